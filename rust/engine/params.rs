//! Construction parameters of a shard, their limits, and derived values.

use super::clock::{
    MAX_HORIZON_TICKS,
    MAX_SHIFT, //
};
use super::heap::Slot;
use super::record::{
    Record,
    FREQ_MAX,
    NID_LIMIT, //
};
use super::storage::AllocError;

/// Sizes and policy of one shard. All memory is sized from these at
/// construction; see [`Params::memory_bytes`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Params {
    /// Bucket heads; a power of two, at most 2^31. Half the pool capacity
    /// keeps chains at two records on average when the pool is full.
    pub nr_buckets: u32,
    /// Records in the pool, 1..=2^31.
    pub pool_capacity: u32,
    /// Node ids accepted, and heaps allocated (one per id), 1..=1024.
    /// Reports for a higher node id are ignored.
    pub nr_nodes: u32,
    /// Members per heap, 1..=2^24.
    pub heap_capacity: u32,
    /// Initial hotness threshold of every node: accesses within a window,
    /// 1..=15. Changed per node with `Shard::set_threshold`.
    pub freq_threshold: u8,
    /// Length of the frequency window, in jiffies, >= 1.
    pub window_jiffies: u64,
    /// Records idle for more than this many windows are pruned, >= 1.
    pub prune_windows: u32,
    /// Longest bucket chain, 1..=1024: bounds the work of every lookup, and
    /// is the reach of replacement.
    pub max_scan: u32,
}

/// Why a shard (or a policy object) could not be built.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Error {
    /// The allocator failed (`ENOMEM`).
    NoMemory,
    /// A parameter is out of range (`EINVAL`); the text names it.
    Invalid(&'static str),
}

impl From<AllocError> for Error {
    fn from(_: AllocError) -> Self {
        Error::NoMemory
    }
}

/// Values derived from validated [`Params`].
#[derive(Clone, Copy, Debug)]
pub(crate) struct Derived {
    /// log2(nr_buckets).
    pub(crate) bucket_bits: u32,
    /// Tick shift: a tick is `2^shift` jiffies.
    pub(crate) shift: u32,
    /// Window in ticks, rounded up.
    pub(crate) window_ticks: u32,
    /// Prune horizon in ticks: `window_ticks * prune_windows`.
    pub(crate) horizon_ticks: u32,
}

impl Params {
    /// Reasonable defaults for a pool of `pool_capacity` records, `nr_nodes`
    /// node ids and a kernel running at `hz`: one-second window, threshold
    /// 2, prune after 4 idle windows, chains of at most 8.
    pub fn with_capacity(pool_capacity: u32, nr_nodes: u32, hz: u32) -> Self {
        let half = (pool_capacity / 2).max(1);
        Params {
            nr_buckets: half.checked_next_power_of_two().unwrap_or(1 << 31),
            pool_capacity,
            nr_nodes,
            heap_capacity: (pool_capacity / 16).clamp(1, 4096),
            freq_threshold: 2,
            window_jiffies: u64::from(hz.max(1)),
            prune_windows: 4,
            max_scan: 8,
        }
    }

    /// Checks every limit and derives the time resolution.
    pub(crate) fn derive(&self) -> Result<Derived, Error> {
        if !self.nr_buckets.is_power_of_two() || self.nr_buckets > 1 << 31 {
            return Err(Error::Invalid("nr_buckets must be a power of two <= 2^31"));
        }
        if self.pool_capacity == 0 || self.pool_capacity > 1 << 31 {
            return Err(Error::Invalid("pool_capacity must be in 1..=2^31"));
        }
        if self.nr_nodes == 0 || self.nr_nodes > NID_LIMIT {
            return Err(Error::Invalid("nr_nodes must be in 1..=1024"));
        }
        if self.heap_capacity == 0 || self.heap_capacity > 1 << 24 {
            return Err(Error::Invalid("heap_capacity must be in 1..=2^24"));
        }
        if self.freq_threshold == 0 || self.freq_threshold > FREQ_MAX {
            return Err(Error::Invalid("freq_threshold must be in 1..=15"));
        }
        if self.window_jiffies == 0 {
            return Err(Error::Invalid("window_jiffies must be >= 1"));
        }
        if self.prune_windows == 0 {
            return Err(Error::Invalid("prune_windows must be >= 1"));
        }
        if self.max_scan == 0 || self.max_scan > 1024 {
            return Err(Error::Invalid("max_scan must be in 1..=1024"));
        }
        // The smallest tick for which the prune horizon fits the clock.
        for shift in 0..=MAX_SHIFT {
            let rem = self.window_jiffies & ((1u64 << shift) - 1);
            let window = (self.window_jiffies >> shift) + u64::from(rem != 0);
            let horizon = window.saturating_mul(u64::from(self.prune_windows));
            if horizon <= MAX_HORIZON_TICKS {
                return Ok(Derived {
                    bucket_bits: self.nr_buckets.trailing_zeros(),
                    shift,
                    // Both fit: horizon <= 2^14.
                    window_ticks: window as u32,
                    horizon_ticks: horizon as u32,
                });
            }
        }
        Err(Error::Invalid("window_jiffies * prune_windows is too long"))
    }

    /// Bytes of memory a shard built from these parameters allocates, or
    /// `None` if that overflows `usize`.
    pub fn memory_bytes(&self) -> Option<usize> {
        let pool = (self.pool_capacity as usize).checked_mul(Self::RECORD_BYTES)?;
        let buckets = (self.nr_buckets as usize).checked_mul(4)?;
        let heaps = (self.nr_nodes as usize)
            .checked_mul(self.heap_capacity as usize)?
            .checked_mul(core::mem::size_of::<Slot>())?;
        // Heap lengths (u32) and thresholds (u8), one each per node.
        let per_node = (self.nr_nodes as usize).checked_mul(5)?;
        pool.checked_add(buckets)?
            .checked_add(heaps)?
            .checked_add(per_node)
    }

    /// Bytes of one pool record.
    pub const RECORD_BYTES: usize = core::mem::size_of::<Record>();
}
