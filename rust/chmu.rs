// SPDX-License-Identifier: GPL-2.0

//! The CXL Hotness Monitoring Unit source. At load, every CXL memory
//! device whose Register Locator names a CHMU block is mapped (`cxl.c`),
//! its instances are probed and programmed from the `chmu_*` knobs
//! (`chmu_regs.rs`), and its committed HDM decoders are read (`hdm.rs`).
//! A delayed work then drains the hot lists every `chmu_poll_ms`,
//! translates each hot unit's device physical address to host PFNs and
//! reports them, in batches, as source `chmu`.
//!
//! With no CHMU (the case on every machine this was run on so far) nothing
//! is started: `chmu_units` reads 0 and the kernel log says so.

use core::pin::Pin;

use kernel::ffi::{
    c_uint,
    c_void, //
};
use kernel::page::PAGE_SHIFT;
use kernel::prelude::*;
use kernel::sync::atomic::{
    Acquire,
    Atomic,
    Release, //
};
use kernel::sync::{
    new_mutex,
    Mutex, //
};

use crate::bindings::{
    self,
    Access as AccessReport,
    Source,
    Stat,
    NUMA_NO_NODE, //
};
use crate::chmu_regs::{
    self,
    Config,
    Drained,
    Instance, //
};
use crate::hdm::{
    Decoders,
    MAX_DECODERS, //
};
use crate::jiffies;
use crate::knob;
use crate::mmio::Mmio;
use crate::report;
use crate::stats;

/// CXL memory devices with a CHMU that are mapped at most.
const MAX_DEVS: usize = 8;
/// CHMU instances driven at most, over all devices.
const MAX_UNITS: usize = 16;
/// Accesses reported in one call.
const BATCH: usize = 64;
/// Page reports from one hot list entry at most (a 2 MiB unit).
pub(crate) const MAX_PAGES_PER_ENTRY: usize = 512;

/// One CHMU instance and the decoders of its device.
struct Unit {
    regs: Mmio,
    hdm: Decoders,
    inst: Instance,
    /// Index of its device in `Chmu::devs`, and of the instance in the
    /// device's CHMU block, for messages.
    dev: usize,
    index: usize,
    /// A drain failed already (said once in the log).
    warned: bool,
}

impl Drop for Unit {
    fn drop(&mut self) {
        // Leave the device counting nothing, as it was found: on unload,
        // and when a unit is dropped before it ran.
        if self.inst.programmed() {
            let _ = self.inst.disable(&mut self.regs);
        }
    }
}

impl Unit {
    /// Programs the instance with `cfg`, counting the DPA its decoders map.
    fn program(&mut self, cfg: &Config) -> Result {
        let mut ranges = [(0u64, 0u64); MAX_DECODERS];
        let decoders = self.hdm.list();
        for (r, d) in ranges.iter_mut().zip(decoders) {
            *r = (d.dpa_base, d.dpa_size());
        }
        self.inst
            .program(&mut self.regs, cfg, &ranges[..decoders.len()])
    }
}

/// Reports collected for one call of `pghot_record_accesses`.
struct Batch {
    reports: [AccessReport; BATCH],
    nr: usize,
}

impl Batch {
    fn push(&mut self, pfn: u64, now: u64) {
        self.reports[self.nr] = AccessReport {
            pfn: pfn as usize,
            nid: NUMA_NO_NODE,
            src: Source::Chmu as u32,
            now: now as usize,
        };
        self.nr += 1;
        if self.nr == BATCH {
            self.flush();
        }
    }

    fn flush(&mut self) {
        if self.nr == 0 {
            return;
        }
        stats::add(Stat::ChmuTranslated, self.nr as u64);
        // SAFETY: `reports` holds `nr` initialised entries for the call.
        unsafe { report::pghot_record_accesses(self.reports.as_ptr(), self.nr as u32) };
        self.nr = 0;
    }
}

/// Passes to `pfn` the host page of every part of the hot unit at `dpa`,
/// `unit_size` bytes long, each page once and at most
/// `MAX_PAGES_PER_ENTRY` of them; returns how many. The unit is translated
/// in steps of the interleave granularity (or of a page, or of the unit,
/// whichever is smallest), since consecutive device addresses need not be
/// consecutive host addresses. When a step does not translate, fails with
/// its error having passed nothing.
pub(crate) fn unit_pfns(
    hdm: &Decoders,
    dpa: u64,
    unit_size: u64,
    page_shift: u32,
    mut pfn: impl FnMut(u64),
) -> Result<usize> {
    let gran = hdm.granularity(dpa).ok_or(ENXIO)?;
    let step = unit_size.min(gran).min(1 << page_shift);
    // Two passes, so that a unit is reported whole or not at all.
    for emit in [false, true] {
        let mut last = None;
        let mut pages = 0;
        let mut off = 0;
        while off < unit_size && pages < MAX_PAGES_PER_ENTRY {
            let p = hdm.dpa_to_hpa(dpa + off)? >> page_shift;
            if last != Some(p) {
                if emit {
                    pfn(p);
                }
                last = Some(p);
                pages += 1;
            }
            off += step;
        }
        if emit {
            return Ok(pages);
        }
    }
    Ok(0)
}

/// Reports the pages of the hot unit at `dpa`, or counts why it cannot.
fn report_unit(hdm: &Decoders, dpa: u64, unit_size: u64, now: u64, batch: &mut Batch) {
    let res = unit_pfns(hdm, dpa, unit_size, PAGE_SHIFT as u32, |pfn| {
        batch.push(pfn, now)
    });
    match res {
        Ok(_) => {}
        Err(e) if e == ENXIO => stats::inc(Stat::ChmuDropNoDecoder),
        Err(_) => stats::inc(Stat::ChmuDropInterleave),
    }
}

/// The running units, behind the lock that the drain work and knob
/// writes take.
struct Units {
    units: KVec<Unit>,
    batch: Batch,
}

#[pin_data]
struct Live {
    #[pin]
    state: Mutex<Units>,
}

impl Live {
    /// Drains every unit's hot list and reports what it held.
    fn drain(&self) {
        let mut guard = self.state.lock();
        let Units { units, batch } = &mut *guard;
        let now = jiffies::now();
        for u in units.iter_mut() {
            if !u.inst.programmed() {
                continue;
            }
            let unit_size = u.inst.unit_size();
            let hdm = &u.hdm;
            let res = u.inst.drain(&mut u.regs, |dpa, _count| {
                report_unit(hdm, dpa, unit_size, now, batch)
            });
            match res {
                Ok(Drained {
                    entries,
                    malformed,
                    overflow,
                }) => {
                    stats::add(Stat::ChmuDrained, entries);
                    stats::add(Stat::ChmuDropMalformed, malformed);
                    if overflow {
                        stats::inc(Stat::ChmuOverflows);
                    }
                }
                Err(e) => {
                    stats::inc(Stat::ChmuErrors);
                    if !u.warned {
                        pr_warn!(
                            "chmu: device {} instance {}: hot list unreadable ({:?})\n",
                            u.dev,
                            u.index,
                            e
                        );
                        u.warned = true;
                    }
                }
            }
        }
        batch.flush();
    }
}

static LIVE: Atomic<*mut Live> = Atomic::new(core::ptr::null_mut());

/// The running units, if any. Callers are knob writes, which cannot
/// overlap the load or the unload (see `Chmu`).
fn live() -> Option<&'static Live> {
    let p = LIVE.load(Acquire);
    // SAFETY: a non-null pointer is published by `Chmu::start` from a
    // pinned box that is freed only after `LIVE` is cleared, and the only
    // callers run while the sysfs files exist, which the module creates
    // after `start` and removes before dropping `Chmu`.
    unsafe { p.as_ref() }
}

/// The configuration the knobs ask for.
fn config() -> Config {
    Config {
        unit_size: knob::CHMU_UNIT_SIZE.get(),
        threshold: knob::CHMU_THRESHOLD.get(),
        epoch_ms: knob::CHMU_EPOCH_MS.get(),
    }
}

/// Applies the `chmu_*` knobs to every unit: all are checked first, so a
/// value one unit refuses changes none (`EINVAL`). Reprogramming resets
/// the counters and empties the hot lists.
pub(crate) fn reconfigure() -> Result {
    let cfg = config();
    // Checked with or without units, so a write means the same everywhere.
    if !cfg.unit_size.is_power_of_two() {
        return Err(EINVAL);
    }
    chmu_regs::encode_epoch(cfg.epoch_ms)?;
    let Some(live) = live() else {
        return Ok(());
    };
    let mut guard = live.state.lock();
    for u in guard.units.iter() {
        u.inst.validate(&cfg)?;
    }
    for u in guard.units.iter_mut() {
        u.program(&cfg)?;
    }
    Ok(())
}

/// A new `chmu_poll_ms` takes effect now.
pub(crate) fn kick() {
    // SAFETY: serialised with start and stop in C; does nothing unless
    // the work is started.
    unsafe { bindings::pghot_chmu_kick() }
}

/// The drain work (`cxl.c`): drains every unit of `ctx` and returns the
/// milliseconds until the next drain.
///
/// # Safety
///
/// `ctx` must be the `Live` given to `pghot_chmu_start`, and
/// `pghot_chmu_stop` not have returned yet.
#[no_mangle]
pub(crate) unsafe extern "C" fn pghot_chmu_poll(ctx: *mut c_void) -> c_uint {
    // SAFETY: `ctx` is the `Live` given to `pghot_chmu_start`, which stays
    // allocated until `pghot_chmu_stop` has returned, and the work that
    // calls this does not run after that.
    let live = unsafe { &*ctx.cast::<Live>() };
    if knob::ENABLED.on() && knob::source(Source::Chmu).on() {
        live.drain();
    }
    knob::CHMU_POLL_MS.get() as c_uint
}

/// The devices `cxl.c` mapped: register mappings and PCI device references.
struct Devs(KVec<bindings::pghot_cxl_dev>);

// SAFETY: the pointers are MMIO mappings and counted PCI device
// references, which any thread may use or release; `Chmu` touches them
// only at load and unload.
unsafe impl Send for Devs {}
// SAFETY: as above; shared references only read the pointers.
unsafe impl Sync for Devs {}

/// The CHMU source: mapped devices and, when some unit runs, the drain
/// work. Dropping it stops the work, disables the units and unmaps.
pub(crate) struct Chmu {
    live: Option<Pin<KBox<Live>>>,
    devs: Devs,
    nr_devs: usize,
}

impl Chmu {
    /// Finds, programs and starts every CHMU instance. A device or an
    /// instance that cannot be used is logged and left alone; finding
    /// none is not an error.
    pub(crate) fn start() -> Result<Self> {
        let mut devs = KVec::with_capacity(MAX_DEVS, GFP_KERNEL)?;
        for _ in 0..MAX_DEVS {
            devs.push(bindings::pghot_cxl_dev::default(), GFP_KERNEL)?;
        }
        let mut memdevs = 0;
        // SAFETY: `devs` holds `MAX_DEVS` zeroed entries for the C side to
        // fill; what it maps stays mapped until `pghot_cxl_unmap` in drop.
        let nr =
            unsafe { bindings::pghot_cxl_map(devs.as_mut_ptr(), MAX_DEVS as u32, &mut memdevs) };
        let mut chmu = Chmu {
            live: None,
            devs: Devs(devs),
            nr_devs: usize::try_from(nr).unwrap_or(0).min(MAX_DEVS),
        };
        let mut units = KVec::new();
        let mut found = 0;
        for (i, dev) in chmu.devs.0[..chmu.nr_devs].iter().enumerate() {
            // SAFETY: the C side mapped both blocks with these lengths;
            // they stay mapped until drop, after every unit is gone.
            let (regs, comp) = unsafe {
                (
                    Mmio::new(dev.chmu, dev.chmu_len),
                    Mmio::new(dev.component, dev.component_len),
                )
            };
            let hdm = match Decoders::read(&comp) {
                Ok(hdm) => hdm,
                Err(e) => {
                    pr_warn!("chmu: device {}: HDM decoders unreadable ({:?})\n", i, e);
                    continue;
                }
            };
            if hdm.list().iter().any(|d| d.pos.is_none()) {
                pr_info!(
                    "chmu: device {}: interleaved decoders, their hot units are dropped\n",
                    i
                );
            }
            let nr_inst = match chmu_regs::instances(&regs) {
                Ok((nr, _)) => nr,
                Err(e) => {
                    pr_warn!("chmu: device {}: CHMU block unreadable ({:?})\n", i, e);
                    continue;
                }
            };
            found += nr_inst;
            for index in 0..nr_inst {
                if units.len() == MAX_UNITS {
                    break;
                }
                match Instance::probe(&regs, index) {
                    Ok(inst) => units.push(
                        Unit {
                            // SAFETY: as above, the same mapping.
                            regs: unsafe { Mmio::new(dev.chmu, dev.chmu_len) },
                            hdm,
                            inst,
                            dev: i,
                            index,
                            warned: false,
                        },
                        GFP_KERNEL,
                    )?,
                    Err(e) => {
                        pr_warn!(
                            "chmu: device {} instance {}: unusable ({:?})\n",
                            i,
                            index,
                            e
                        )
                    }
                }
            }
        }
        let cfg = config();
        units.retain(|u| match u.program(&cfg) {
            Ok(()) => true,
            Err(e) => {
                pr_warn!(
                    "chmu: device {} instance {}: cannot program ({:?})\n",
                    u.dev,
                    u.index,
                    e
                );
                false
            }
        });
        knob::CHMU_UNITS.set(units.len() as u64);
        if units.is_empty() {
            pr_info!(
                "chmu: no CHMU found: {} CXL memory devices, {} with a CHMU, {} instances usable\n",
                memdevs,
                chmu.nr_devs,
                found
            );
            return Ok(chmu);
        }
        let live = KBox::pin_init(
            pin_init!(Live {
                state <- new_mutex!(Units {
                    units,
                    batch: Batch {
                        reports: [AccessReport::default(); BATCH],
                        nr: 0,
                    },
                }, "pghot_chmu"),
            }),
            GFP_KERNEL,
        )?;
        let ptr = core::ptr::from_ref::<Live>(&live).cast_mut();
        LIVE.store(ptr, Release);
        // SAFETY: `live` stays pinned and allocated until drop, which
        // stops the work before freeing it.
        unsafe { bindings::pghot_chmu_start(ptr.cast(), knob::CHMU_POLL_MS.get() as c_uint) };
        pr_info!(
            "chmu: {} CHMU instances running on {} of {} CXL memory devices\n",
            knob::CHMU_UNITS.get(),
            chmu.nr_devs,
            memdevs
        );
        chmu.live = Some(live);
        Ok(chmu)
    }
}

impl Drop for Chmu {
    fn drop(&mut self) {
        if let Some(live) = self.live.take() {
            // SAFETY: returns once the work is not running and will not
            // run again; nothing else uses `live` after that but us.
            unsafe { bindings::pghot_chmu_stop() };
            LIVE.store(core::ptr::null_mut(), Release);
            // Each unit disables its instance as it drops.
            drop(live);
        }
        knob::CHMU_UNITS.set(0);
        // SAFETY: the first `nr_devs` entries were mapped by
        // `pghot_cxl_map` and no `Mmio` of them is left.
        unsafe { bindings::pghot_cxl_unmap(self.devs.0.as_mut_ptr(), self.nr_devs as u32) };
    }
}

#[cfg(pghot_kunit)]
#[path = "../kunit/chmu.rs"]
mod kunit;
