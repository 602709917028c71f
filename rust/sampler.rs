// SPDX-License-Identifier: GPL-2.0

//! The hardware samplers as a source: AMD IBS op sampling and Intel PEBS
//! load-latency sampling, through perf kernel counters (`sampler.c`). The
//! overflow handler runs in NMI, where nothing may be reported: it pushes
//! the sample into its CPU's ring, one per sampler and CPU, and the CPU's
//! irq_work drains the rings, judges each sample (`sample.rs`), counts it,
//! and reports the loads served from memory as accesses of `PGHOT_SRC_IBS`
//! or `PGHOT_SRC_PEBS`, from the sampling CPU's node.

use kernel::ffi::{
    c_int,
    c_uint, //
};
use kernel::prelude::*;
use kernel::sync::atomic::{
    Acquire,
    Atomic,
    Relaxed,
    Release, //
};

use crate::bindings::{
    self,
    Registration,
    Sample,
    Sampler,
    Source,
    Stat, //
};
use crate::jiffies;
use crate::knob;
use crate::report;
use crate::ring::Ring;
use crate::sample::{
    self,
    Dropped, //
};
use crate::stats;

/// One ring per sampler and CPU: `rings[cpu * Sampler::COUNT + sampler]`.
static RINGS: Atomic<*const Ring<Sample>> = Atomic::new(core::ptr::null());
static NR_RINGS: Atomic<usize> = Atomic::new(0);

/// The rings, while published.
fn rings() -> &'static [Ring<Sample>] {
    // Acquire pairs with the Release of `Samplers::register`: a caller that
    // sees the pointer sees the rings built. The length is stored first.
    let p = RINGS.load(Acquire);
    if p.is_null() {
        return &[];
    }
    let n = NR_RINGS.load(Relaxed);
    // SAFETY: a non-null pointer is the buffer of `Samplers::rings`, `n`
    // initialised rings long, unpublished before it is freed and only after
    // every perf event is released and every irq_work has finished.
    unsafe { core::slice::from_raw_parts(p, n) }
}

fn ring(cpu: c_uint, sampler: Sampler) -> Option<&'static Ring<Sample>> {
    rings().get((cpu as usize).checked_mul(Sampler::COUNT)? + sampler as usize)
}

/// In NMI, from the overflow handler on CPU `cpu`: queues a sample.
/// Returns false if it was dropped (ring full, or no rings).
///
/// # Safety
///
/// `sample` must point to a readable `struct pghot_sample`, and the caller
/// must be the only producer of `cpu`'s rings: the overflow handler, on
/// `cpu`, in NMI.
#[no_mangle]
pub(crate) unsafe extern "C" fn pghot_sample_push(cpu: c_uint, sample: *const Sample) -> bool {
    // SAFETY: the caller guarantees `sample` is readable.
    let sample = unsafe { *sample };
    let Some(sampler) = Sampler::from_raw(sample.sampler) else {
        return false;
    };
    ring(cpu, sampler).is_some_and(|r| r.push(sample))
}

/// What one drain of a ring found.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Tally {
    /// Samples the handler took: queued ones plus those the full ring lost.
    pub(crate) samples: u32,
    /// Loads served from memory, handed to the report path.
    pub(crate) kept: u32,
    pub(crate) no_phys: u32,
    pub(crate) not_load: u32,
    pub(crate) not_memory: u32,
    pub(crate) ring_full: u32,
}

/// Takes every sample queued in `ring`, passes the PFN of each access to
/// `keep`, and tallies the rest by the reason it was dropped.
pub(crate) fn drain_ring(ring: &Ring<Sample>, mut keep: impl FnMut(u64)) -> Tally {
    let mut t = Tally::default();
    // One drain takes at most a ring's worth plus what the handler pushes
    // meanwhile; saturating adds keep an absurd overflow count harmless.
    let (taken, overflow) = ring.drain(|s| {
        let n = match sample::judge(&s) {
            Ok(pfn) => {
                keep(pfn);
                &mut t.kept
            }
            Err(Dropped::NoPhys) => &mut t.no_phys,
            Err(Dropped::NotLoad) => &mut t.not_load,
            Err(Dropped::NotMemory) => &mut t.not_memory,
            Err(Dropped::RingFull) => &mut t.ring_full,
        };
        *n = n.saturating_add(1);
    });
    t.samples = taken.saturating_add(overflow);
    t.ring_full = t.ring_full.saturating_add(overflow);
    t
}

/// Drains `cpu`'s rings: in its irq_work, in an IPI on it, or on it with
/// interrupts off once its events are gone. `nid` is `cpu`'s node.
#[no_mangle]
pub(crate) extern "C" fn pghot_samples_drain(cpu: c_uint, nid: c_int) {
    let now = jiffies::now();
    for sampler in Sampler::all() {
        let Some(r) = ring(cpu, sampler) else {
            return;
        };
        let src = source(sampler) as u32;
        // Refusals (pghot or the source switched off) and ignored pages
        // are counted by the report path.
        let t = drain_ring(r, |pfn| {
            let _ = report::record(pfn, nid, src, now);
        });
        stats::add(counter(sampler, Counter::Samples), t.samples.into());
        stats::add(counter(sampler, Counter::Kept), t.kept.into());
        for (why, n) in [
            (Dropped::NoPhys, t.no_phys),
            (Dropped::NotLoad, t.not_load),
            (Dropped::NotMemory, t.not_memory),
            (Dropped::RingFull, t.ring_full),
        ] {
            stats::add(dropped(sampler, why), n.into());
        }
    }
}

/// The report source of `sampler`.
fn source(sampler: Sampler) -> Source {
    match sampler {
        Sampler::IbsOp => Source::Ibs,
        Sampler::PebsLoads => Source::Pebs,
    }
}

/// The counters each sampler has besides its drop reasons.
#[derive(Clone, Copy)]
enum Counter {
    Samples,
    Kept,
}

fn counter(sampler: Sampler, c: Counter) -> Stat {
    match (sampler, c) {
        (Sampler::IbsOp, Counter::Samples) => Stat::IbsSamples,
        (Sampler::IbsOp, Counter::Kept) => Stat::IbsKept,
        (Sampler::PebsLoads, Counter::Samples) => Stat::PebsSamples,
        (Sampler::PebsLoads, Counter::Kept) => Stat::PebsKept,
    }
}

fn dropped(sampler: Sampler, why: Dropped) -> Stat {
    match (sampler, why) {
        (Sampler::IbsOp, Dropped::NoPhys) => Stat::IbsDroppedNoPhys,
        (Sampler::IbsOp, Dropped::NotLoad) => Stat::IbsDroppedNotLoad,
        (Sampler::IbsOp, Dropped::NotMemory) => Stat::IbsDroppedNotMemory,
        (Sampler::IbsOp, Dropped::RingFull) => Stat::IbsDroppedRingFull,
        (Sampler::PebsLoads, Dropped::NoPhys) => Stat::PebsDroppedNoPhys,
        (Sampler::PebsLoads, Dropped::NotLoad) => Stat::PebsDroppedNotLoad,
        (Sampler::PebsLoads, Dropped::NotMemory) => Stat::PebsDroppedNotMemory,
        (Sampler::PebsLoads, Dropped::RingFull) => Stat::PebsDroppedRingFull,
    }
}

/// Starts `sampler` with the current values of its knobs (restarts it if
/// it runs); `ENODEV` when its PMU is not available here.
pub(crate) fn start(sampler: Sampler) -> Result {
    let (period, ldlat) = match sampler {
        Sampler::IbsOp => (knob::IBS_PERIOD.get(), 0),
        Sampler::PebsLoads => (knob::PEBS_PERIOD.get(), knob::PEBS_LDLAT.get()),
    };
    // SAFETY: called in process context (a sysfs write), where the C side
    // may sleep; it serialises itself with its mutex and fails with ENODEV
    // unless `pghot_sampler_init()` found the PMU, so it is sound before
    // init and after exit too.
    kernel::error::to_result(unsafe { bindings::pghot_sampler_start(sampler, period, ldlat) })
}

/// Stops `sampler`; what its rings hold is reported first.
pub(crate) fn stop(sampler: Sampler) {
    // SAFETY: called in process context (a sysfs write or unload); the C
    // side serialises itself with its mutex and does nothing for a sampler
    // that does not run.
    unsafe { bindings::pghot_sampler_stop(sampler) }
}

/// Applies the knobs of `sampler`: starts, restarts or stops it.
pub(crate) fn apply(sampler: Sampler) -> Result {
    let on = match sampler {
        Sampler::IbsOp => knob::IBS_ENABLED.on(),
        Sampler::PebsLoads => knob::PEBS_ENABLED.on(),
    };
    if on {
        start(sampler)
    } else {
        stop(sampler);
        Ok(())
    }
}

/// The rings and the samplers' hotplug callbacks; every sampler is
/// stopped when this is dropped.
pub(crate) struct Samplers {
    // The registration goes first: it releases every event and waits for
    // every drain, after which nothing reaches the rings.
    _hotplug: Registration,
    _rings: KVec<Ring<Sample>>,
}

impl Samplers {
    /// Allocates the rings, probes the PMUs, registers for CPU hotplug.
    pub(crate) fn register() -> Result<Self> {
        let n = (kernel::cpu::nr_cpu_ids() as usize)
            .checked_mul(Sampler::COUNT)
            .ok_or(EINVAL)?;
        let mut rings = KVec::with_capacity(n, GFP_KERNEL)?;
        for _ in 0..n {
            rings.push(Ring::new(), GFP_KERNEL)?;
        }
        NR_RINGS.store(n, Relaxed);
        RINGS.store(rings.as_ptr(), Release);
        // No event exists before `pghot_sampler_start()`, which only a
        // knob write calls; exit stops every sampler and waits for every
        // handler and drain before it returns.
        // SAFETY: a matching init/exit pair, called once from module init.
        let hotplug = unsafe {
            Registration::new(bindings::pghot_sampler_init, bindings::pghot_sampler_exit)
        };
        match hotplug {
            Ok(hotplug) => Ok(Samplers {
                _hotplug: hotplug,
                _rings: rings,
            }),
            Err(e) => {
                RINGS.store(core::ptr::null(), Release);
                Err(e)
            }
        }
    }
}

impl Drop for Samplers {
    fn drop(&mut self) {
        // `_hotplug` is dropped after this body: stop every sampler first,
        // so the rings are unpublished only once nothing can reach them.
        for sampler in Sampler::all() {
            stop(sampler);
        }
        RINGS.store(core::ptr::null(), Release);
        NR_RINGS.store(0, Relaxed);
    }
}

#[cfg(pghot_kunit)]
#[path = "../kunit/sampler.rs"]
mod kunit;
