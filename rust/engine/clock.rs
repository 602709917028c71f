//! Jiffies arithmetic: the packed time field, its unit, and wrap-safe ages.
//!
//! A record stores the time of its last access in [`TIME_BITS`] bits, in
//! units of `2^shift` jiffies ("ticks" below). Both the jiffies counter
//! (`u64`) and the field wrap; every comparison is a wrapping difference.
//! A difference is only meaningful while the real age is below the field's
//! range, so the shard keeps every live record younger than half the range
//! (see `Shard::advance` and `Documentation/engine.md`): records idle for
//! longer are pruned before their age could alias to a small value, and
//! after a jump longer than the prune horizon the whole shard is flushed.

/// Width of the packed time field.
pub const TIME_BITS: u32 = 18;

/// Mask of the packed time field.
pub(crate) const TIME_MASK: u32 = (1 << TIME_BITS) - 1;

/// Range of the packed time field, in ticks.
pub(crate) const TIME_RANGE: u64 = 1 << TIME_BITS;

/// Longest prune horizon (`window * prune_windows`) in ticks: 1/16 of the
/// field's range. The tick (`shift`) is chosen so that the horizon fits.
pub const MAX_HORIZON_TICKS: u64 = TIME_RANGE / 16;

/// Longest time, in ticks, that a prune pass may take before it is overdue
/// and the calls that follow finish it piecewise: 1/8 of the field's range.
pub(crate) const SWEEP_TICKS: u64 = TIME_RANGE / 8;

/// Time within which an overdue prune pass is finished, by calls that each
/// visit a share of it in proportion to the time since the previous call.
pub(crate) const DUE_TICKS: u64 = TIME_RANGE / 64;

/// Fewest slots a call visits of an overdue prune pass; also the most,
/// when calls come often enough to finish the pass within `DUE_TICKS`.
pub(crate) const SWEEP_CHUNK: u32 = 256;

/// Largest tick shift: keeps `2^TIME_BITS` a divisor of `2^(64 - shift)`, so
/// the packed field wraps in step with the jiffies counter.
pub(crate) const MAX_SHIFT: u32 = 64 - TIME_BITS;

/// Converts jiffies into ticks of `2^shift` jiffies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Clock {
    shift: u32,
}

impl Clock {
    /// A clock whose tick is `2^shift` jiffies; `shift <= MAX_SHIFT`.
    pub(crate) const fn new(shift: u32) -> Self {
        Self { shift }
    }

    /// The tick shift.
    #[cfg(not(CONFIG_RUST))]
    pub(crate) const fn shift(self) -> u32 {
        self.shift
    }

    /// The packed time field for `now`.
    pub(crate) fn stamp(self, now: u64) -> u32 {
        // Truncation intended: the field keeps the low TIME_BITS of the tick.
        ((now >> self.shift) as u32) & TIME_MASK
    }

    /// Ticks elapsed from the packed time `stamp` to `now`, modulo the field
    /// range. Exact while the real age is below [`TIME_RANGE`].
    pub(crate) fn age(self, stamp: u32, now: u64) -> u32 {
        self.stamp(now).wrapping_sub(stamp) & TIME_MASK
    }

    /// Ticks from `earlier` to `later` (full jiffies values, `later` not
    /// before `earlier`), across a wrap of the jiffies counter.
    pub(crate) fn ticks_between(self, earlier: u64, later: u64) -> u64 {
        (later >> self.shift).wrapping_sub(earlier >> self.shift) & (u64::MAX >> self.shift)
    }
}

/// Whether packed time `a` is strictly later than packed time `b`. A total
/// order as long as all compared stamps lie within half the field range,
/// which the shard guarantees for live records.
pub(crate) fn later(a: u32, b: u32) -> bool {
    let d = a.wrapping_sub(b) & TIME_MASK;
    d != 0 && u64::from(d) < TIME_RANGE / 2
}

/// Whether jiffies value `now` is before `last` (a wrapping difference of
/// more than half the counter range counts as "before").
pub(crate) fn before(now: u64, last: u64) -> bool {
    now.wrapping_sub(last) > u64::MAX / 2
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamp_wraps_with_jiffies() {
        for shift in [0, 3, MAX_SHIFT] {
            let c = Clock::new(shift);
            let t0 = u64::MAX - 5;
            let t1 = t0.wrapping_add(10 << shift);
            assert_eq!(c.age(c.stamp(t0), t1), 10);
            assert_eq!(c.ticks_between(t0, t1), 10);
        }
    }

    #[test]
    fn later_is_wrap_safe() {
        assert!(later(1, TIME_MASK));
        assert!(!later(TIME_MASK, 1));
        assert!(!later(5, 5));
        assert!(later(100, 99));
    }

    #[test]
    fn before_handles_wrap() {
        assert!(before(u64::MAX, 0));
        assert!(!before(0, u64::MAX));
        assert!(!before(7, 7));
    }
}
