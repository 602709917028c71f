//! Shared benchmark support: the workload, the three implementations behind
//! one `Reporter` interface, and a counting global allocator.

// Both benchmarks include this module (`mod common;`) but each uses only
// part of it; the rest is dead code in that benchmark.
#![allow(dead_code)]

pub(crate) mod flat;
pub(crate) mod rfc;

use pghot_engine::host::VecAlloc;
use pghot_engine::{
    shard_of,
    Params,
    Shard, //
};
use std::alloc::{
    GlobalAlloc,
    Layout,
    System, //
};
use std::sync::atomic::{
    AtomicU64,
    Ordering::Relaxed, //
};
use std::sync::Mutex;

/// Counts every allocation made through the global allocator.
pub(crate) struct Counting;

pub(crate) static ALLOCS: AtomicU64 = AtomicU64::new(0);

thread_local! {
    /// Allocations made by this thread (const-initialised: no allocation).
    static THREAD_ALLOCS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

fn count_thread() {
    // `try_with`: the slot may be gone while a thread exits.
    let _ = THREAD_ALLOCS.try_with(|c| c.set(c.get() + 1));
}
pub(crate) static ALLOC_BYTES: AtomicU64 = AtomicU64::new(0);

// SAFETY: forwards every call unchanged to the system allocator; the
// counters are plain atomics.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Relaxed);
        count_thread();
        ALLOC_BYTES.fetch_add(l.size() as u64, Relaxed);
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(l) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(p, l) }
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, n: usize) -> *mut u8 {
        ALLOCS.fetch_add(1, Relaxed);
        count_thread();
        ALLOC_BYTES.fetch_add(n as u64, Relaxed);
        // SAFETY: same contract as the caller's.
        unsafe { System.realloc(p, l, n) }
    }
}

/// Allocations made so far by the calling thread.
pub(crate) fn allocs() -> u64 {
    THREAD_ALLOCS.with(|c| c.get())
}

/// Resident memory of this process, in bytes.
pub(crate) fn rss() -> usize {
    let s = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    s.split_whitespace()
        .nth(1)
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(0)
        * 4096
}

/// Jiffies advance by one every 4096 reports.
pub(crate) const REPORTS_PER_JIFFY: u64 = 4096;
pub(crate) const HZ: u32 = 1000;

/// The PFN universe: `span` lower-tier pages from `base`, visited in a
/// scrambled order so that consecutive indices are far apart.
#[derive(Clone, Copy)]
pub(crate) struct Workload {
    pub(crate) pool: usize,
    pub(crate) base: u64,
    pub(crate) span: u64,
}

impl Workload {
    pub(crate) fn new(pool: usize) -> Self {
        Workload {
            pool,
            base: 1 << 20,
            span: (pool as u64 * 16).next_power_of_two(),
        }
    }
    /// PFN number `i`: a bijection of 0..span made of xorshift and
    /// odd-multiply rounds on the span's bit width. (A single multiply, like
    /// the hashes under test, correlates with them: it left half of the
    /// baseline's buckets empty and no fresh PFN in an empty engine bucket.)
    pub(crate) fn pfn(&self, i: u64) -> u64 {
        let bits = self.span.trailing_zeros();
        let m = self.span - 1;
        let mut x = i & m;
        x ^= x >> (bits / 2);
        x = x.wrapping_mul(0x9E37_79B1) & m;
        x ^= x >> (bits / 2 - 1);
        x = x.wrapping_mul(0x85EB_CA6B) & m;
        x ^= x >> (bits / 2);
        self.base + x
    }
    /// `n` PFNs drawn uniformly from the first `filled`, reproducibly.
    pub(crate) fn known(&self, filled: usize, n: usize, seed: u64) -> Vec<u64> {
        let mut x = seed | 1;
        (0..n)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                self.pfn(x % filled as u64)
            })
            .collect()
    }
    /// `n` PFNs never tracked before, starting at index `2 * pool + from`.
    pub(crate) fn fresh(&self, from: usize, n: usize) -> Vec<u64> {
        assert!(
            (2 * self.pool + from + n) as u64 <= self.span,
            "fresh PFNs exhausted"
        );
        (0..n)
            .map(|i| self.pfn((2 * self.pool + from + i) as u64))
            .collect()
    }
}

/// Engine parameters of the benchmark for a pool of `pool` records.
pub(crate) fn engine_params(pool: usize) -> Params {
    let mut p = Params::with_capacity(pool as u32, 2, HZ);
    p.heap_capacity = 4096;
    p.window_jiffies = 4096;
    p.prune_windows = 4;
    p
}

/// Something that takes reports.
pub(crate) trait Reporter {
    fn report(&mut self, pfn: u64, nid: u32, now: u64);
    fn remove(&mut self, pfn: u64);
}

impl Reporter for Shard<VecAlloc> {
    #[inline]
    fn report(&mut self, pfn: u64, nid: u32, now: u64) {
        self.record_access(pfn, nid, now);
    }
    fn remove(&mut self, pfn: u64) {
        Shard::remove(self, pfn);
    }
}

/// Engine shards, each behind its own lock (the kernel's irq-safe spinlock).
#[derive(Clone, Copy)]
pub(crate) struct Locked<'a>(pub(crate) &'a [Mutex<Shard<VecAlloc>>]);

impl Reporter for Locked<'_> {
    #[inline]
    fn report(&mut self, pfn: u64, nid: u32, now: u64) {
        let s = shard_of(pfn, self.0.len());
        self.0[s].lock().unwrap().record_access(pfn, nid, now);
    }
    fn remove(&mut self, pfn: u64) {
        let s = shard_of(pfn, self.0.len());
        self.0[s].lock().unwrap().remove(pfn);
    }
}

impl Reporter for &rfc::Rfc {
    #[inline]
    fn report(&mut self, pfn: u64, nid: u32, now: u64) {
        rfc::Rfc::report(self, pfn, nid, now);
    }
    fn remove(&mut self, pfn: u64) {
        rfc::Rfc::remove(self, pfn);
    }
}

impl Reporter for &flat::Flat {
    #[inline]
    fn report(&mut self, pfn: u64, _nid: u32, now: u64) {
        flat::Flat::report(self, pfn, now);
    }
    fn remove(&mut self, _pfn: u64) {}
}

/// The measured loop: one report per PFN, node from the PFN's low bit,
/// jiffies advancing from `now`. Returns the final jiffies.
#[inline(never)]
pub(crate) fn measured<R: Reporter>(r: &mut R, pfns: &[u64], now: u64) -> u64 {
    let mut t = now;
    for (i, &pfn) in pfns.iter().enumerate() {
        if (i as u64).is_multiple_of(REPORTS_PER_JIFFY) {
            t += 1;
        }
        r.report(pfn, (pfn & 1) as u32, t);
    }
    t
}

pub(crate) fn new_shard(pool: usize) -> Shard<VecAlloc> {
    Shard::new(&engine_params(pool), &VecAlloc).unwrap()
}

/// `n` engine shards sharing a pool of `pool` records, each behind a lock.
pub(crate) fn new_locked(pool: usize, n: usize) -> Vec<Mutex<Shard<VecAlloc>>> {
    (0..n).map(|_| Mutex::new(new_shard(pool / n))).collect()
}

pub(crate) fn new_rfc(pool: usize) -> rfc::Rfc {
    let p = engine_params(pool);
    rfc::Rfc::new(
        pool,
        p.nr_buckets as usize,
        2,
        4096,
        p.window_jiffies,
        u32::from(p.freq_threshold),
    )
}

pub(crate) fn new_flat(w: &Workload) -> flat::Flat {
    flat::Flat::new(w.base, w.span as usize)
}

/// Reports the first `filled` PFNs of the workload once (not collected by
/// callgrind: it does not go through `measured`).
pub(crate) fn prefill<R: Reporter>(r: &mut R, w: &Workload, filled: usize, now: u64) -> u64 {
    let mut t = now;
    for i in 0..filled as u64 {
        if i % REPORTS_PER_JIFFY == 0 {
            t += 1;
        }
        let pfn = w.pfn(i);
        r.report(pfn, (pfn & 1) as u32, t);
    }
    t
}
