//! Event counters of a shard, readable by the caller (debugfs, vmstat).

/// Counters of one shard. All wrap on overflow; read them as deltas.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Reports passed to `record_access`.
    pub reports: u64,
    /// Reports for a PFN already tracked.
    pub updated: u64,
    /// Records created in a free slot.
    pub created: u64,
    /// Records created by replacing the coldest replaceable record of the
    /// bucket (pool full, or bucket chain at `max_scan`).
    pub replaced: u64,
    /// Reports dropped: no room and nothing replaceable in the bucket.
    pub dropped: u64,
    /// Reports with a node id `>= nr_nodes`, ignored.
    pub invalid: u64,
    /// Updates that started a new window (last access older than it).
    pub window_resets: u64,
    /// Reports that made a record hot (frequency reached the threshold).
    pub turned_hot: u64,
    /// Records inserted into a heap.
    pub heap_inserted: u64,
    /// Hot records not inserted because their heap was full of hotter ones.
    pub heap_full: u64,
    /// Records pushed out of a full heap by a hotter one (they stay tracked).
    pub heap_evicted: u64,
    /// Heap members that left their heap because they cooled down (a new
    /// window reset their frequency below the threshold).
    pub cooled: u64,
    /// Heap members moved to another node's heap (target node changed).
    pub heap_moved: u64,
    /// Records handed out by `take_hottest`.
    pub taken: u64,
    /// Records removed by `remove`.
    pub removed: u64,
    /// Records pruned (idle for more than `prune_windows` windows),
    /// including those dropped by a flush.
    pub pruned: u64,
    /// Prune passes finished inside a call because `prune` was not called
    /// often enough to finish them in time.
    pub forced_sweeps: u64,
    /// Whole-shard flushes: the clock jumped past the prune horizon, so
    /// every record was idle for too long.
    pub flushes: u64,
}
