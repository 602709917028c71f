// SPDX-License-Identifier: GPL-2.0

//! The sysfs interface, `/sys/kernel/mm/pghot/`: the value of every knob
//! and counter, and a knob write parsed, applied to what it drives and
//! stored. A write that does not parse or is out of range returns `EINVAL`
//! and changes nothing. The attribute plumbing is in `sysfs.c`, which emits
//! the values returned here and serialises writers.

use kernel::ffi::c_int;
use kernel::prelude::*;

use crate::bindings::{
    self,
    Knob,
    Registration,
    Sampler,
    Stat, //
};
use crate::chmu;
use crate::jiffies;
use crate::knob;
use crate::kpromoted;
use crate::nodes;
use crate::sampler;
use crate::scan;
use crate::state;
use crate::stats;

/// The value of counter `stat`; 0 for an unknown one.
#[no_mangle]
pub(crate) extern "C" fn pghot_stat_value(stat: u32) -> u64 {
    Stat::from_raw(stat).map_or(0, stat_value)
}

fn stat_value(stat: Stat) -> u64 {
    if (stat as u32) < Stat::NR_PERCPU {
        return stats::read_percpu(stat);
    }
    let Some(store) = state::store() else {
        return 0;
    };
    let (s, len) = store.stats();
    match stat {
        Stat::Records => len as u64,
        Stat::RecordsCreated => s.created,
        Stat::RecordsReplaced => s.replaced,
        Stat::RecordsPruned => s.pruned,
        Stat::RecordsDropped => s.dropped,
        Stat::TurnedHot => s.turned_hot,
        Stat::HeapInserted => s.heap_inserted,
        Stat::HeapFull => s.heap_full,
        _ => 0,
    }
}

/// The value of `knob`; 0 for an unknown one.
#[no_mangle]
pub(crate) extern "C" fn pghot_knob_value(knob: u32) -> u64 {
    Knob::from_raw(knob).map_or(0, |k| knob::setting(k).get())
}

/// A write to `knob`: returns 0, or a negative errno and nothing changed.
///
/// # Safety
///
/// `buf` must be valid for reads of `count` bytes.
#[no_mangle]
pub(crate) unsafe extern "C" fn pghot_knob_write(knob: u32, buf: *const u8, count: usize) -> c_int {
    // SAFETY: the caller guarantees `buf` holds `count` readable bytes.
    let input = unsafe { core::slice::from_raw_parts(buf, count) };
    match Knob::from_raw(knob)
        .ok_or(EINVAL)
        .and_then(|k| write(k, input))
    {
        Ok(()) => 0,
        Err(e) => e.to_errno(),
    }
}

/// Parses `input` for `knob`, stores it and applies it to what the knob
/// drives; puts the old value back if applying failed.
fn write(knob: Knob, input: &[u8]) -> Result {
    if matches!(knob, Knob::PoolSize | Knob::ChmuUnits) {
        return Err(EINVAL);
    }
    let setting = knob::setting(knob);
    let value = setting.parse(input)?;
    let old = setting.get();
    setting.set(value);
    if let Err(e) = apply(knob, value) {
        // Put back the old value and what it drives (e.g. threads that a
        // failed `enabled` write started).
        setting.set(old);
        let _ = apply(knob, old);
        return Err(e);
    }
    Ok(())
}

/// Applies a knob's new `value` to what it drives.
fn apply(knob: Knob, value: u64) -> Result {
    match knob {
        Knob::IbsEnabled => return sampler::apply(Sampler::IbsOp),
        Knob::PebsEnabled => return sampler::apply(Sampler::PebsLoads),
        // A new period or threshold restarts a running sampler.
        Knob::IbsPeriod if knob::IBS_ENABLED.on() => return sampler::start(Sampler::IbsOp),
        Knob::PebsPeriod | Knob::PebsLdlat if knob::PEBS_ENABLED.on() => {
            return sampler::start(Sampler::PebsLoads)
        }
        Knob::SourcePgtableScan if value != 0 => scan::supported()?,
        _ => {}
    }
    let Some(store) = state::store() else {
        return Ok(());
    };
    match knob {
        Knob::Enabled => {
            // The scan thread idles in long sleeps while pghot is off.
            scan::wake();
            kpromoted::sync()
        }
        Knob::FreqThreshold => {
            let mut policy = store.policy.lock();
            policy.reset_threshold(nodes::nr_nodes(), value as u8, jiffies::hz())?;
            for nid in 0..nodes::nr_nodes() {
                store.set_threshold(nid, value as u8);
            }
            Ok(())
        }
        Knob::FreqWindowMs => store.set_window(jiffies::from_msecs(value)),
        Knob::PromoteRateLimitMbps => {
            store.policy.lock().limiter.set_rate(value);
            Ok(())
        }
        Knob::SourcePgtableScan | Knob::ScanPeriodMs => {
            scan::wake();
            Ok(())
        }
        Knob::KpromotedSleepMs => {
            // A thread asleep for the old period picks up the new one now.
            for nid in 0..nodes::nr_nodes() {
                kpromoted::wake(nid);
            }
            Ok(())
        }
        Knob::ChmuPollMs => {
            chmu::kick();
            Ok(())
        }
        Knob::ChmuUnitSize | Knob::ChmuThreshold | Knob::ChmuEpochMs => chmu::reconfigure(),
        _ => Ok(()),
    }
}

/// Creates `/sys/kernel/mm/pghot` and its `stats/` directory; removed when
/// the result is dropped.
pub(crate) fn create() -> Result<Registration> {
    // The attributes call back into this file, which lives as long as the
    // module; exit removes the files and waits for running show/store.
    // SAFETY: a matching init/exit pair, called once from module init.
    unsafe { Registration::new(bindings::pghot_sysfs_init, bindings::pghot_sysfs_exit) }
}
