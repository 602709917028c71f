// SPDX-License-Identifier: GPL-2.0

//! pghot: collects page-access reports from every source and promotes hot
//! pages from slow memory tiers. The crate root only wires the parts
//! together: sources -> report -> hotness store -> kpromoted.

use core::pin::Pin;

use kernel::prelude::*;

mod bindings;
mod debugfs;
#[path = "engine/mod.rs"]
#[allow(unreachable_pub, dead_code, unused_imports, clippy::all)]
mod engine;
mod hotness;
mod knob;
mod kpromoted;
mod lock;
mod nodes;
mod report;
mod source;
mod state;
mod user;
mod stats;

#[path = "../kunit/engine.rs"]
mod kunit_engine;
#[path = "../kunit/knob.rs"]
mod kunit_knob;
#[path = "../kunit/report.rs"]
mod kunit_report;

module! {
    type: Pghot,
    name: "pghot",
    authors: ["pghot developers"],
    description: "Page hotness tracking and promotion for tiered memory",
    license: "GPL",
    params: {
        pool_size: u32 {
            default: 65536,
            description: "Records tracked at most (rounded down to a multiple of 16, min 1024)",
        },
    },
}

/// The loaded module. Fields drop in order: sources and threads go first,
/// the store it all feeds last.
struct Pghot {
    _hint_fault: bindings::HintFaultConsumer,
    _threads: Threads,
    _hotplug: bindings::HotplugNotifier,
    _debugfs: debugfs::Debugfs,
    _sysfs: bindings::Sysfs,
    _published: Published,
    store: Pin<KBox<hotness::Store>>,
}

/// Stops every kpromoted thread on drop.
struct Threads;

impl Drop for Threads {
    fn drop(&mut self) {
        let _ = bindings::kpromoted_sync(0);
    }
}

/// Unpublishes the store on drop, once nothing can reach it any more.
struct Published;

impl Drop for Published {
    fn drop(&mut self) {
        state::unpublish();
    }
}

impl kernel::Module for Pghot {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let requested = *module_parameters::pool_size.value();
        let per_shard = (requested as usize / hotness::NR_SHARDS).max(64) as u32;
        nodes::refresh();
        let params = hotness::params(per_shard, nodes::nr_nodes())?;
        let store = hotness::Store::new(
            &params,
            knob::PROMOTE_RATE_LIMIT_MBPS.get(),
            hotness::tuner_params(knob::FREQ_THRESHOLD.get() as u8),
        )?;
        store.set_window(bindings::msecs_to_jiffies(knob::FREQ_WINDOW_MS.get()))?;
        knob::init_value(
            &knob::POOL_SIZE,
            u64::from(per_shard) * hotness::NR_SHARDS as u64,
        );

        // Reachable before anything that calls in is started.
        state::publish(&store);
        let published = Published;
        let sysfs = bindings::Sysfs::create()?;
        let debugfs = debugfs::Debugfs::create();
        let hotplug = bindings::HotplugNotifier::register()?;
        let threads = Threads;
        state::sync_threads()?;
        let hint_fault = bindings::HintFaultConsumer::register()?;

        pr_info!(
            "loaded: {} records, targets {:#x}, {} bytes per shard\n",
            knob::POOL_SIZE.get(),
            nodes::targets(),
            params.memory_bytes().unwrap_or(0)
        );
        Ok(Pghot {
            _hint_fault: hint_fault,
            _threads: threads,
            _hotplug: hotplug,
            _debugfs: debugfs,
            _sysfs: sysfs,
            _published: published,
            store,
        })
    }
}

impl Drop for Pghot {
    fn drop(&mut self) {
        let (stats, len) = self.store.stats();
        pr_info!("unloading: {} records, {} created\n", len, stats.created);
    }
}
