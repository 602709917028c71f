// SPDX-License-Identifier: GPL-2.0

//! pghot: collects page-access reports from every source and promotes hot
//! pages from slow memory tiers. The crate root only wires the parts
//! together: sources -> report -> hotness store -> kpromoted.

use core::pin::Pin;

use kernel::prelude::*;

mod agent;
mod bindings;
mod chmu;
mod chmu_regs;
mod debugfs;
#[path = "engine/mod.rs"]
#[allow(
    unreachable_pub,
    reason = "the engine is also a host crate, whose API is `pub`"
)]
mod engine;
mod hdm;
mod hintfault;
mod hotness;
mod hotplug;
mod jiffies;
mod knob;
mod kpromoted;
mod lock;
mod mmio;
mod nodes;
mod pfn;
mod report;
mod ring;
mod sample;
mod sampler;
mod scan;
mod state;
mod stats;
mod sysfs;
mod trace;
mod user;

module! {
    type: Pghot,
    name: "pghot",
    authors: ["pghot developers"],
    description: "Page hotness tracking and promotion for tiered memory",
    license: "GPL",
    params: {
        pool_size: u32 {
            default: 65536,
            description: "Records tracked at most, 1024..16777216 (rounded down to a multiple of 16)",
        },
    },
}

/// Largest `pool_size`: 16 Mi records, about 256 MiB of pool per node id.
const MAX_POOL: u32 = 1 << 24;

/// The loaded module. Fields drop in order: first everything that can call
/// in (the hint-fault source, hotplug, sysfs writers, the CHMU drain work,
/// which sysfs writes reconfigure), then the threads, and
/// the store they all feed last.
struct Pghot {
    _hint_fault: bindings::Registration,
    _agent: bindings::Registration,
    _hotplug: bindings::Registration,
    _sysfs: bindings::Registration,
    _chmu: chmu::Chmu,
    // After sysfs, whose writes start samplers; before the store.
    _samplers: sampler::Samplers,
    _debugfs: debugfs::Debugfs,
    _scan: bindings::Registration,
    _threads: kpromoted::Threads,
    _published: Published,
    store: Pin<KBox<hotness::Store>>,
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
        if !(1024..=MAX_POOL).contains(&requested) {
            pr_err!("pool_size={} is outside 1024..={}\n", requested, MAX_POOL);
            return Err(EINVAL);
        }
        let per_shard = requested / hotness::NR_SHARDS as u32;
        nodes::refresh();
        let hz = jiffies::hz();
        let threshold = knob::FREQ_THRESHOLD.get() as u8;
        let (_, longest_window_ms) = knob::FREQ_WINDOW_MS.range();
        let params = hotness::params(
            per_shard,
            nodes::nr_nodes(),
            hz,
            threshold,
            jiffies::from_msecs(longest_window_ms),
        )?;
        let store = hotness::Store::new(
            &params,
            knob::PROMOTE_RATE_LIMIT_MBPS.get(),
            hotness::tuner_params(threshold, hz),
        )?;
        store.set_window(jiffies::from_msecs(knob::FREQ_WINDOW_MS.get()))?;
        knob::POOL_SIZE.set(u64::from(per_shard) * hotness::NR_SHARDS as u64);

        // Reachable before anything that calls in is started.
        state::publish(&store);
        let published = Published;
        let threads = kpromoted::Threads::start()?;
        let scan = scan::start()?;
        let debugfs = debugfs::Debugfs::create();
        let chmu = chmu::Chmu::start()?;
        let samplers = sampler::Samplers::register()?;
        let sysfs = sysfs::create()?;
        let hotplug = hotplug::register()?;
        let agent = agent::register()?;
        let hint_fault = hintfault::register()?;

        pr_info!(
            "loaded: {} records, targets {:#x}, {} bytes per shard\n",
            knob::POOL_SIZE.get(),
            nodes::targets(),
            params.memory_bytes().unwrap_or(0)
        );
        Ok(Pghot {
            _hint_fault: hint_fault,
            _agent: agent,
            _hotplug: hotplug,
            _sysfs: sysfs,
            _chmu: chmu,
            _samplers: samplers,
            _debugfs: debugfs,
            _scan: scan,
            _threads: threads,
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
