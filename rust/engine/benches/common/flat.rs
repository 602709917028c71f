//! Baseline (b), for the benchmarks only: one byte per lower-tier page,
//! updated with a single compare-and-swap; the practical lower bound of a
//! report. The byte packs a 3-bit saturating frequency and a 5-bit coarse
//! time (jiffies >> 7), in the spirit of the RFC's later "default mode". It
//! keeps no heap: finding hot pages means scanning the array.

use std::sync::atomic::{
    AtomicU8,
    Ordering::Relaxed, //
};

/// The flat array.
pub(crate) struct Flat {
    bytes: Vec<AtomicU8>,
    base: u64,
}

impl Flat {
    /// One byte for each page of `base..base + pages`.
    pub(crate) fn new(base: u64, pages: usize) -> Self {
        Flat {
            bytes: (0..pages).map(|_| AtomicU8::new(0)).collect(),
            base,
        }
    }

    /// Records an access.
    #[inline]
    pub(crate) fn report(&self, pfn: u64, now: u64) {
        let a = &self.bytes[(pfn - self.base) as usize];
        let t = ((now >> 7) & 31) as u8;
        let mut cur = a.load(Relaxed);
        loop {
            let f = if cur >> 3 == t {
                (cur & 7).saturating_add(1).min(7)
            } else {
                1
            };
            match a.compare_exchange_weak(cur, (t << 3) | f, Relaxed, Relaxed) {
                Ok(_) => return,
                Err(x) => cur = x,
            }
        }
    }

    /// Bytes of memory.
    pub(crate) fn bytes(&self) -> usize {
        self.bytes.len()
    }
}
