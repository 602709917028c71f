// SPDX-License-Identifier: GPL-2.0

//! The page-table scan source: which lower-tier PFNs one pass of the scan
//! thread looks at, and what it reports. Each pass spends at most
//! `scan_budget_pages` base pages, shared by the lower-tier nodes, going on
//! from where the last pass of each node stopped; `scan_period_ms` apart.
//! A folio whose mappings were accessed since the scanner's last look is
//! reported to the store as one access (source `pgtable_scan`); a page
//! seen by hint faults too is the same record. The first sweep of a node
//! after the source is switched on only clears the accessed bits: a bit
//! set before the scanner's last look cannot say when it was set. The
//! thread and the per-folio work are in `scan.c`.

use kernel::ffi::{
    c_uint,
    c_ulong, //
};
use kernel::prelude::*;
use kernel::sync::atomic::{
    Atomic,
    Relaxed, //
};

use crate::bindings::{
    self,
    Registration,
    ScanResult,
    Source,
    Stat, //
};
use crate::jiffies;
use crate::knob;
use crate::nodes::{
    self,
    MAX_NODES, //
};
use crate::report;
use crate::stats;

/// Young folios reported per call into C; the buffer lives on the stack.
const CHUNK: usize = 64;

/// How long a pass sleeps while the source is off, in ms (a switch wakes
/// the thread at once).
const IDLE_MS: c_uint = 60_000;

/// `CURSOR[n]`: the next PFN of node `n` to look at.
static CURSOR: [Atomic<u64>; MAX_NODES] = [const { Atomic::new(0) }; MAX_NODES];
/// `ARMED[n]`: a full sweep of node `n` has cleared its accessed bits since
/// the source was switched on, so a young folio is a recent access.
static ARMED: [Atomic<bool>; MAX_NODES] = [const { Atomic::new(false) }; MAX_NODES];
/// The thread's CPU time at the start of its previous pass.
static RUNTIME: Atomic<u64> = Atomic::new(0);

/// Starts the scan thread; stopped when the result is dropped.
pub(crate) fn start() -> Result<Registration> {
    // The one scan thread only calls `pghot_scan_pass` (this file, which
    // lives as long as the module).
    // SAFETY: `pghot_scand_stop` waits for the pass in progress and the
    // thread's exit, after which nothing of the thread holds a folio.
    unsafe { Registration::new(bindings::pghot_scand_start, bindings::pghot_scand_stop) }
}

/// Makes the thread look at its switch now.
pub(crate) fn wake() {
    // SAFETY: wakes the thread if there is one; sysfs, the only caller, is
    // removed before the thread is stopped.
    unsafe { bindings::pghot_scand_wake() }
}

/// Whether the scan source can run on this kernel: `ENODEV` when the
/// accessed bits it clears would be lost to reclaim. `folio_mkold()` keeps
/// what it clears in the folio's young flag, which exists only with
/// `CONFIG_PAGE_IDLE_FLAG` on 64-bit kernels.
pub(crate) fn supported() -> Result {
    if cfg!(all(CONFIG_PAGE_IDLE_FLAG, CONFIG_64BIT)) {
        Ok(())
    } else {
        Err(ENODEV)
    }
}

fn runtime_ns() -> u64 {
    // SAFETY: reads the calling thread's own scheduler statistics.
    unsafe { bindings::pghot_scand_runtime_ns() }
}

fn pfn_range(nid: u32) -> Option<(u64, u64)> {
    let (mut start, mut end): (c_ulong, c_ulong) = (0, 0);
    // SAFETY: both pointers are valid for a write; out-of-range ids and
    // nodes without memory answer false.
    let ok = unsafe { bindings::pghot_node_pfn_range(nid as i32, &mut start, &mut end) };
    ok.then_some((start as u64, end as u64))
}

/// Forgets every node's sweep: after the source was off, the next pass
/// starts again at the node's first page and clears the accessed bits over
/// one whole sweep before it reports any, so nothing accessed while the
/// source was off is reported.
fn disarm() {
    for armed in &ARMED {
        armed.store(false, Relaxed);
    }
    for cursor in &CURSOR {
        cursor.store(0, Relaxed);
    }
}

/// Scans up to `budget` base pages of node `nid` from its cursor and
/// reports the young folios; returns the pages spent.
fn scan_node(nid: u32, budget: u64, res: &mut ScanResult) -> u64 {
    let Some((start, end)) = pfn_range(nid) else {
        return budget;
    };
    let cursor = &CURSOR[nid as usize];
    let armed = &ARMED[nid as usize];
    let mut pfn = cursor.load(Relaxed).clamp(start, end);
    let mut spent = 0;
    let mut out = [0 as c_ulong; CHUNK];
    while spent < budget {
        if pfn >= end {
            // A full sweep: from now on young means accessed since.
            armed.store(true, Relaxed);
            pfn = start;
        }
        let report = armed.load(Relaxed);
        let before = pfn;
        let mut next = pfn as c_ulong;
        // SAFETY: `next` and `res` are valid for reads and writes, `out` for
        // `CHUNK` writes; called from the scan thread, which may sleep.
        let n = unsafe {
            bindings::pghot_scan_range(
                &mut next,
                end as c_ulong,
                (budget - spent) as c_ulong,
                report,
                out.as_mut_ptr(),
                CHUNK as c_uint,
                res,
            )
        };
        pfn = next as u64;
        spent += (pfn - before).max(1);
        let now = jiffies::now();
        for &head in &out[..n as usize] {
            // An unknown accessor: the target is the nearest to the page.
            let _ = report::record(head as u64, -1, Source::PgtableScan as u32, now);
        }
    }
    cursor.store(pfn, Relaxed);
    spent
}

/// One pass of the scan thread. Returns the time to sleep, in ms.
#[no_mangle]
pub(crate) extern "C" fn pghot_scan_pass() -> c_uint {
    let runtime = runtime_ns();
    let last = RUNTIME.xchg(runtime, Relaxed);
    stats::add(Stat::ScanCpuNs, runtime.saturating_sub(last));
    if !knob::ENABLED.on() || !knob::source(Source::PgtableScan).on() {
        disarm();
        return IDLE_MS;
    }
    let period = knob::SCAN_PERIOD_MS.get() as c_uint;
    let targets = nodes::targets();
    let lower: u32 = (0..nodes::nr_nodes())
        .filter(|&n| targets & (1 << n) == 0 && pfn_range(n).is_some())
        .count() as u32;
    if lower == 0 {
        return period;
    }
    let share = (knob::SCAN_BUDGET_PAGES.get() / u64::from(lower)).max(1);
    let mut res = ScanResult::default();
    for nid in 0..nodes::nr_nodes() {
        if targets & (1 << nid) == 0 {
            scan_node(nid, share, &mut res);
        }
    }
    stats::inc(Stat::ScanPasses);
    stats::add(Stat::ScanPages, res.scanned);
    stats::add(Stat::ScanYoung, res.young);
    stats::add(Stat::ScanContended, res.contended);
    period
}
