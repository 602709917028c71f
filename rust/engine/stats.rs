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

impl Stats {
    /// Adds every counter of `other` (e.g. another shard's) to this one,
    /// wrapping like the counters themselves. Summing over shards: start
    /// from `Stats::default()` and merge each shard's `stats()`.
    pub fn merge(&mut self, other: &Stats) {
        // Destructured, so that a new counter cannot be left out.
        let Stats {
            reports,
            updated,
            created,
            replaced,
            dropped,
            invalid,
            window_resets,
            turned_hot,
            heap_inserted,
            heap_full,
            heap_evicted,
            cooled,
            heap_moved,
            taken,
            removed,
            pruned,
            forced_sweeps,
            flushes,
        } = *other;
        self.reports = self.reports.wrapping_add(reports);
        self.updated = self.updated.wrapping_add(updated);
        self.created = self.created.wrapping_add(created);
        self.replaced = self.replaced.wrapping_add(replaced);
        self.dropped = self.dropped.wrapping_add(dropped);
        self.invalid = self.invalid.wrapping_add(invalid);
        self.window_resets = self.window_resets.wrapping_add(window_resets);
        self.turned_hot = self.turned_hot.wrapping_add(turned_hot);
        self.heap_inserted = self.heap_inserted.wrapping_add(heap_inserted);
        self.heap_full = self.heap_full.wrapping_add(heap_full);
        self.heap_evicted = self.heap_evicted.wrapping_add(heap_evicted);
        self.cooled = self.cooled.wrapping_add(cooled);
        self.heap_moved = self.heap_moved.wrapping_add(heap_moved);
        self.taken = self.taken.wrapping_add(taken);
        self.removed = self.removed.wrapping_add(removed);
        self.pruned = self.pruned.wrapping_add(pruned);
        self.forced_sweeps = self.forced_sweeps.wrapping_add(forced_sweeps);
        self.flushes = self.flushes.wrapping_add(flushes);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Stats whose counter number `i` (in declaration order) is `f(i)`.
    fn numbered(f: impl Fn(u64) -> u64) -> Stats {
        Stats {
            reports: f(0),
            updated: f(1),
            created: f(2),
            replaced: f(3),
            dropped: f(4),
            invalid: f(5),
            window_resets: f(6),
            turned_hot: f(7),
            heap_inserted: f(8),
            heap_full: f(9),
            heap_evicted: f(10),
            cooled: f(11),
            heap_moved: f(12),
            taken: f(13),
            removed: f(14),
            pruned: f(15),
            forced_sweeps: f(16),
            flushes: f(17),
        }
    }

    #[test]
    fn merge_adds_every_counter() {
        let mut s = Stats::default();
        s.merge(&numbered(|i| i + 1));
        assert_eq!(s, numbered(|i| i + 1));
        s.merge(&numbered(|i| 10 * (i + 1)));
        assert_eq!(s, numbered(|i| 11 * (i + 1)));
    }

    #[test]
    fn merge_wraps() {
        let mut s = numbered(|_| u64::MAX);
        s.merge(&numbered(|i| i + 2));
        assert_eq!(s, numbered(|i| i + 1));
    }
}
