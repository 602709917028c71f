//! One tracked page: its PFN and the packed hotness word.
//!
//! Layout of the 32-bit hotness word ([`Hotness`]):
//!
//! ```text
//!  31                    14 13          4 3      0
//! +------------------------+-------------+--------+
//! |  time (18 bits, ticks) |  nid (10)   | freq(4)|
//! +------------------------+-------------+--------+
//! ```
//!
//! * `freq`: accesses in the current window, saturating at [`FREQ_MAX`] (15).
//!   Thresholds above 15 cannot be expressed; the kernel's useful range is
//!   2..=8.
//! * `nid`: target node of the last report, 0..[`NID_LIMIT`] (1024, the
//!   largest `MAX_NUMNODES` of any architecture, `NODES_SHIFT` = 10).
//! * `time`: last access, in ticks of `2^shift` jiffies (see `clock.rs`).
//!   18 bits give 262144 ticks; with `shift` 0 that is 262 s at HZ=1000 and
//!   43 min at HZ=100. The shard picks the smallest `shift` for which the
//!   prune horizon fits in 1/16 of that range, trading time resolution for
//!   reach.
//!
//! A record is 20 bytes: the PFN is stored as two `u32` halves so that the
//! record needs only 4-byte alignment (a `u64` field would pad it to 24).

use super::clock::TIME_MASK;

/// Bits of the saturating access counter.
pub const FREQ_BITS: u32 = 4;
/// Largest access count a record can hold.
pub const FREQ_MAX: u8 = (1 << FREQ_BITS) - 1;
/// Bits of the node id.
pub const NID_BITS: u32 = 10;
/// Node ids a record can hold: every `nid < NID_LIMIT` (not a count of
/// online nodes; the kernel side has its own, smaller, limit).
pub const NID_LIMIT: u32 = 1 << NID_BITS;

const NID_SHIFT: u32 = FREQ_BITS;
const TIME_SHIFT: u32 = FREQ_BITS + NID_BITS;
const FREQ_MASK: u32 = (1 << FREQ_BITS) - 1;
const NID_MASK: u32 = NID_LIMIT - 1;

/// The packed hotness word of a record: access frequency, target node and
/// time of last access.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Hotness(u32);

impl Hotness {
    /// Packs the three fields; each is truncated to its width.
    pub const fn new(freq: u8, nid: u32, time: u32) -> Self {
        Self(
            (freq as u32 & FREQ_MASK)
                | ((nid & NID_MASK) << NID_SHIFT)
                | ((time & TIME_MASK) << TIME_SHIFT),
        )
    }

    /// Accesses counted in the current window (0..=15).
    pub const fn freq(self) -> u8 {
        (self.0 & FREQ_MASK) as u8
    }

    /// Target node id of the last report.
    pub const fn nid(self) -> u32 {
        (self.0 >> NID_SHIFT) & NID_MASK
    }

    /// Time of the last access, in ticks, modulo 2^18.
    pub const fn time(self) -> u32 {
        self.0 >> TIME_SHIFT
    }

    /// The raw 32-bit word.
    #[cfg(not(CONFIG_RUST))]
    pub const fn raw(self) -> u32 {
        self.0
    }

    /// The same word with another frequency.
    pub(crate) const fn with_freq(self, freq: u8) -> Self {
        Self((self.0 & !FREQ_MASK) | (freq as u32 & FREQ_MASK))
    }
}

/// End of a chain or of the free list.
pub(crate) const NIL: u32 = u32::MAX;
/// `Record::heap` of a slot that holds no record.
pub(crate) const FREE: u32 = u32::MAX;
/// `Record::heap` of a live record that is in no heap.
pub(crate) const NOT_IN_HEAP: u32 = u32::MAX - 1;

/// A slot of the record pool.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Record {
    pfn_lo: u32,
    pfn_hi: u32,
    /// The packed hotness word.
    pub(crate) hot: Hotness,
    /// Next record of the same bucket chain, or of the free list; `NIL` ends.
    pub(crate) next: u32,
    /// Position in the heap of node `hot.nid()`, or `NOT_IN_HEAP`, or
    /// `FREE` when the slot holds no record.
    pub(crate) heap: u32,
}

impl Record {
    /// An unused slot.
    pub(crate) const EMPTY: Record = Record {
        pfn_lo: 0,
        pfn_hi: 0,
        hot: Hotness(0),
        next: NIL,
        heap: FREE,
    };

    /// A live record, in no heap.
    pub(crate) const fn new(pfn: u64, hot: Hotness, next: u32) -> Self {
        Record {
            pfn_lo: pfn as u32,
            pfn_hi: (pfn >> 32) as u32,
            hot,
            next,
            heap: NOT_IN_HEAP,
        }
    }

    /// The page frame number.
    pub(crate) const fn pfn(&self) -> u64 {
        ((self.pfn_hi as u64) << 32) | self.pfn_lo as u64
    }

    /// Replaces the page frame number.
    pub(crate) fn set_pfn(&mut self, pfn: u64) {
        self.pfn_lo = pfn as u32;
        self.pfn_hi = (pfn >> 32) as u32;
    }

    /// Whether the slot holds a record.
    pub(crate) const fn is_live(&self) -> bool {
        self.heap != FREE
    }

    /// Whether the record is in a heap.
    pub(crate) const fn in_heap(&self) -> bool {
        self.heap < NOT_IN_HEAP
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_round_trip() {
        let h = Hotness::new(15, 1023, TIME_MASK);
        assert_eq!((h.freq(), h.nid(), h.time()), (15, 1023, TIME_MASK));
        assert_eq!(h.raw(), u32::MAX);
        let h = Hotness::new(3, 7, 12345).with_freq(9);
        assert_eq!((h.freq(), h.nid(), h.time()), (9, 7, 12345));
    }

    #[test]
    fn record_is_20_bytes() {
        assert_eq!(core::mem::size_of::<Record>(), 20);
        let r = Record::new(u64::MAX - 1, Hotness::default(), NIL);
        assert_eq!(r.pfn(), u64::MAX - 1);
    }
}
