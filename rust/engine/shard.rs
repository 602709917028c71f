//! One shard of the engine: hashed record lists, the record pool, per-node
//! heaps of hot records, pruning, and the clock guard that keeps the packed
//! time field unambiguous.
//!
//! A shard is plain single-threaded state (`&mut self`). The kernel runs S
//! shards, each behind its own irq-safe spinlock, and routes a PFN to
//! `shard_of(pfn, S)`; see `Documentation/engine.md`.

use super::clock::{
    before,
    Clock,
    DUE_TICKS,
    SWEEP_CHUNK,
    SWEEP_TICKS, //
};
use super::hash::{
    bucket_of,
    hash_pfn, //
};
use super::heap::{
    self,
    Positions,
    Slot, //
};
use super::params::{
    Derived,
    Error,
    Params, //
};
use super::record::{
    Hotness,
    Record,
    FREQ_MAX,
    NIL,
    NOT_IN_HEAP, //
};
use super::stats::Stats;
use super::storage::Alloc;

/// What a report did to the shard.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// The PFN was tracked; its record was updated.
    Updated,
    /// A new record was created in a free slot.
    Created,
    /// A new record took the slot of the coldest replaceable record of the
    /// PFN's bucket, whose PFN is given.
    Replaced {
        /// PFN of the record that was replaced.
        victim: u64,
    },
    /// The report was dropped: no free slot (or the bucket chain is at
    /// `max_scan`) and no record of the bucket may be replaced.
    Dropped,
    /// The node id was `>= nr_nodes`; nothing changed.
    Invalid,
}

/// Result of [`Shard::record_access`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// What happened to the table.
    pub access: Access,
    /// Whether the record entered its node's heap on this report (it just
    /// turned hot, or found room): the caller may wake the promoter.
    pub entered_heap: bool,
    /// Whether the record is in its node's heap after this report: queued
    /// for the promoter.
    pub queued: bool,
    /// Whether the record is hot after this report (at or above its node's
    /// threshold). A hot record that is not queued waits for room in the
    /// heap, and cannot be replaced while its window lasts.
    pub hot: bool,
}

/// A promotion candidate handed out by [`Shard::take_hottest`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Candidate {
    /// Page frame number.
    pub pfn: u64,
    /// Target node.
    pub nid: u32,
    /// Accesses in its last window.
    pub freq: u8,
}

/// A read-only view of a tracked record (for dumps and tests).
#[cfg(not(CONFIG_RUST))]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RecordInfo {
    /// Page frame number.
    pub pfn: u64,
    /// The packed hotness word.
    pub hotness: Hotness,
    /// Position in the heap of node `hotness.nid()`, if in it.
    pub heap_pos: Option<u32>,
}

#[cfg(not(CONFIG_RUST))]
impl RecordInfo {
    fn of(r: &Record) -> Self {
        RecordInfo {
            pfn: r.pfn(),
            hotness: r.hot,
            heap_pos: if r.in_heap() { Some(r.heap) } else { None },
        }
    }
}

/// Heap members are pool records; each knows its heap position.
impl Positions for [Record] {
    fn set_pos(&mut self, item: u32, pos: u32) {
        self[item as usize].heap = pos;
    }
}

/// Heap slots and length of `node`, borrowed apart from the pool.
#[inline]
fn heap_parts<'a>(
    slots: &'a mut [Slot],
    lens: &'a mut [u32],
    params: &Params,
    node: u32,
) -> (&'a mut [Slot], &'a mut u32) {
    let cap = params.heap_capacity as usize;
    let start = node as usize * cap;
    (&mut slots[start..start + cap], &mut lens[node as usize])
}

/// One shard: hashed lists over a fixed record pool, plus one bounded
/// max-min heap of hot records per node.
pub struct Shard<A: Alloc> {
    pool: A::Buf<Record>,
    buckets: A::Buf<u32>,
    /// `nr_nodes` heaps of `heap_capacity` slots, back to back.
    heap_slots: A::Buf<Slot>,
    heap_lens: A::Buf<u32>,
    thresholds: A::Buf<u8>,
    params: Params,
    derived: Derived,
    clock: Clock,
    /// Head of the list of freed slots below `hwm`.
    free_head: u32,
    /// Slots at and above `hwm` have never been used since the last flush.
    hwm: u32,
    live: u32,
    /// Next slot the prune pass visits.
    cursor: u32,
    /// When the current prune pass started.
    pass_start: u64,
    /// The current pass is overdue (older than `SWEEP_TICKS`): every call
    /// that advances the clock visits more of its slots (see `advance`).
    overdue: bool,
    /// When the pass fell due, and the cursor then.
    due_at: u64,
    due_cursor: u32,
    /// Latest `now` seen; `now` never goes back behind it.
    last_now: u64,
    started: bool,
    stats: Stats,
}

impl<A: Alloc> Shard<A> {
    /// Builds an empty shard, allocating all its memory from `alloc`.
    pub fn new(params: &Params, alloc: &A) -> Result<Self, Error> {
        let derived = params.derive()?;
        let nodes = params.nr_nodes as usize;
        let heap_total = nodes
            .checked_mul(params.heap_capacity as usize)
            .ok_or(Error::NoMemory)?;
        Ok(Shard {
            pool: alloc.alloc(params.pool_capacity as usize, Record::EMPTY)?,
            buckets: alloc.alloc(params.nr_buckets as usize, NIL)?,
            heap_slots: alloc.alloc(heap_total, Slot::EMPTY)?,
            heap_lens: alloc.alloc(nodes, 0)?,
            thresholds: alloc.alloc(nodes, params.freq_threshold)?,
            params: *params,
            derived,
            clock: Clock::new(derived.shift),
            free_head: NIL,
            hwm: 0,
            live: 0,
            cursor: 0,
            pass_start: 0,
            overdue: false,
            due_at: 0,
            due_cursor: 0,
            last_now: 0,
            started: false,
            stats: Stats::default(),
        })
    }

    /// Event counters.
    pub fn stats(&self) -> &Stats {
        &self.stats
    }

    /// Number of tracked records.
    pub fn len(&self) -> usize {
        self.live as usize
    }

    /// Maximum number of tracked records.
    #[cfg(any(not(CONFIG_RUST), all(pghot_kunit, CONFIG_KUNIT = "y")))]
    pub fn capacity(&self) -> usize {
        self.params.pool_capacity as usize
    }

    /// Number of records in the heap of `node` (0 for an invalid node).
    pub fn heap_len(&self, node: u32) -> usize {
        self.heap_lens.get(node as usize).map_or(0, |&l| l as usize)
    }

    /// Hotness threshold of `node` (0 for an invalid node).
    pub fn threshold(&self, node: u32) -> u8 {
        self.thresholds.get(node as usize).copied().unwrap_or(0)
    }

    /// Sets the hotness threshold of `node` (1..=15). Records already in a
    /// heap stay there until their next report re-evaluates them.
    pub fn set_threshold(&mut self, node: u32, threshold: u8) -> Result<(), Error> {
        if threshold == 0 || threshold > FREQ_MAX {
            return Err(Error::Invalid("threshold must be in 1..=15"));
        }
        match self.thresholds.get_mut(node as usize) {
            Some(t) => {
                *t = threshold;
                Ok(())
            }
            None => Err(Error::Invalid("node out of range")),
        }
    }

    /// Changes the window to `window_jiffies` (and with it the prune
    /// horizon), keeping the tick the shard was built with. Fails, changing
    /// nothing, when the new horizon does not fit the clock at that tick:
    /// build the shard with the longest window it must serve (the kernel
    /// builds with the longest `freq_window_ms`) and shorten it here.
    /// Records keep their counts; the new window applies from their next
    /// report.
    pub fn set_window(&mut self, window_jiffies: u64) -> Result<(), Error> {
        if window_jiffies == 0 {
            return Err(Error::Invalid("window_jiffies must be >= 1"));
        }
        let shift = self.derived.shift;
        let rem = window_jiffies & ((1u64 << shift) - 1);
        let window = (window_jiffies >> shift) + u64::from(rem != 0);
        let horizon = window.saturating_mul(u64::from(self.params.prune_windows));
        if horizon > super::clock::MAX_HORIZON_TICKS {
            return Err(Error::Invalid("window too long for the shard's tick"));
        }
        self.params.window_jiffies = window_jiffies;
        // Both fit: horizon <= MAX_HORIZON_TICKS.
        self.derived.window_ticks = window as u32;
        self.derived.horizon_ticks = horizon as u32;
        Ok(())
    }

    /// Bucket index of `pfn` in this shard (exposed for tests and dumps).
    pub fn bucket_of(&self, pfn: u64) -> usize {
        bucket_of(hash_pfn(pfn), self.derived.bucket_bits)
    }

    /// Records an access to `pfn`, on behalf of target node `nid`, at
    /// jiffies `now`.
    ///
    /// Finds or creates the record, counts the access in the current window
    /// (or starts a new window if the last access is older than the
    /// window), stores `nid` and the time, and moves the record into, within
    /// or out of the heap of `nid` according to its node's threshold.
    /// Never allocates. Work is bounded by `max_scan` plus, rarely, a
    /// forced prune pass (see [`Shard::prune`]).
    pub fn record_access(&mut self, pfn: u64, nid: u32, now: u64) -> Outcome {
        self.stats.reports = self.stats.reports.wrapping_add(1);
        if nid >= self.params.nr_nodes {
            self.stats.invalid = self.stats.invalid.wrapping_add(1);
            return Outcome {
                access: Access::Invalid,
                entered_heap: false,
                queued: false,
                hot: false,
            };
        }
        let now = self.advance(now);
        let b = self.bucket_of(pfn);
        let mut idx = self.buckets[b];
        let mut chain = 0u32;
        while idx != NIL {
            let r = &self.pool[idx as usize];
            if r.pfn() == pfn {
                return self.touch(idx, nid, now);
            }
            chain += 1;
            idx = r.next;
        }
        self.create(pfn, nid, now, b, chain)
    }

    /// Counts a new access to the live record `idx`.
    fn touch(&mut self, idx: u32, nid: u32, now: u64) -> Outcome {
        self.stats.updated = self.stats.updated.wrapping_add(1);
        let threshold = self.thresholds[nid as usize];
        let window = self.derived.window_ticks;
        let clock = self.clock;
        let rec = &mut self.pool[idx as usize];
        let old = rec.hot;
        let in_heap = rec.in_heap();
        let fresh = clock.age(old.time(), now) <= window;
        let freq = if fresh {
            (old.freq() + 1).min(FREQ_MAX)
        } else {
            1
        };
        rec.hot = Hotness::new(freq, nid, clock.stamp(now));
        if !fresh {
            self.stats.window_resets = self.stats.window_resets.wrapping_add(1);
        }
        let hot = freq >= threshold;
        if hot && !(fresh && old.freq() >= threshold) {
            self.stats.turned_hot = self.stats.turned_hot.wrapping_add(1);
        }
        if in_heap && old.nid() != nid {
            self.heap_remove(old.nid(), idx);
            self.stats.heap_moved = self.stats.heap_moved.wrapping_add(1);
            let entered_heap = hot && self.heap_insert(nid, idx);
            return Outcome {
                access: Access::Updated,
                entered_heap,
                queued: entered_heap,
                hot,
            };
        }
        let entered_heap = match (hot, in_heap) {
            (true, true) => {
                let pool = &mut *self.pool;
                let pos = pool[idx as usize].heap as usize;
                let (slots, len) =
                    heap_parts(&mut self.heap_slots, &mut self.heap_lens, &self.params, nid);
                slots[pos].key = pool[idx as usize].hot;
                // Same window: more accesses (or saturated) and a later
                // stamp, so never colder than before.
                if fresh {
                    heap::increased(slots, *len as usize, pool, pos);
                } else {
                    heap::fix(slots, *len as usize, pool, pos);
                }
                false
            }
            (true, false) if self.heap_rejects(nid, freq) => {
                self.stats.heap_full = self.stats.heap_full.wrapping_add(1);
                false
            }
            (true, false) => self.heap_insert(nid, idx),
            (false, true) => {
                self.heap_remove(nid, idx);
                self.stats.cooled = self.stats.cooled.wrapping_add(1);
                false
            }
            (false, false) => false,
        };
        Outcome {
            access: Access::Updated,
            entered_heap,
            // Hot and already queued stays queued; otherwise only an entry.
            queued: entered_heap || (hot && in_heap),
            hot,
        }
    }

    /// Creates a record for a PFN not found in bucket `b`, whose chain has
    /// `chain` records.
    fn create(&mut self, pfn: u64, nid: u32, now: u64, b: usize, chain: u32) -> Outcome {
        let hot = Hotness::new(1, nid, self.clock.stamp(now));
        let (idx, access) =
            if chain >= self.params.max_scan || self.live >= self.params.pool_capacity {
                let Some(victim) = self.find_victim(b, now) else {
                    self.stats.dropped = self.stats.dropped.wrapping_add(1);
                    return Outcome {
                        access: Access::Dropped,
                        entered_heap: false,
                        queued: false,
                        hot: false,
                    };
                };
                // The victim is in this very chain and in no heap: reuse its
                // slot in place.
                let r = &mut self.pool[victim as usize];
                let old = r.pfn();
                r.set_pfn(pfn);
                r.hot = hot;
                self.stats.replaced = self.stats.replaced.wrapping_add(1);
                (victim, Access::Replaced { victim: old })
            } else {
                let idx = if self.free_head != NIL {
                    let idx = self.free_head;
                    self.free_head = self.pool[idx as usize].next;
                    idx
                } else {
                    // live < capacity and the free list is empty, so hwm < capacity.
                    let idx = self.hwm;
                    self.hwm += 1;
                    idx
                };
                self.pool[idx as usize] = Record::new(pfn, hot, self.buckets[b]);
                self.buckets[b] = idx;
                self.live += 1;
                self.stats.created = self.stats.created.wrapping_add(1);
                (idx, Access::Created)
            };
        // A new record has one access: hot only with threshold 1.
        let hot = self.thresholds[nid as usize] <= 1;
        if hot {
            self.stats.turned_hot = self.stats.turned_hot.wrapping_add(1);
        }
        let entered_heap = hot && self.heap_insert(nid, idx);
        Outcome {
            access,
            entered_heap,
            queued: entered_heap,
            hot,
        }
    }

    /// The coldest replaceable record of bucket `b`: in no heap and not hot
    /// (frequency below its node's threshold, counting 0 when its window
    /// has expired). Coldest means lowest effective frequency, then oldest
    /// last access; ties go to the first in the chain.
    fn find_victim(&self, b: usize, now: u64) -> Option<u32> {
        let mut best: Option<(u32, u8, u32)> = None;
        let mut idx = self.buckets[b];
        while idx != NIL {
            let r = &self.pool[idx as usize];
            if !r.in_heap() {
                let age = self.clock.age(r.hot.time(), now);
                let freq = if age > self.derived.window_ticks {
                    0
                } else {
                    r.hot.freq()
                };
                if freq < self.thresholds[r.hot.nid() as usize] {
                    let colder = match best {
                        None => true,
                        Some((_, bf, ba)) => freq < bf || (freq == bf && age > ba),
                    };
                    if colder {
                        best = Some((idx, freq, age));
                    }
                }
            }
            idx = r.next;
        }
        best.map(|(idx, _, _)| idx)
    }

    /// Whether the heap of `node` is full of records with at least `freq`
    /// accesses, so that a record with `freq` would not be admitted: the
    /// common case of a hot record reported again, checked without a call.
    #[inline]
    fn heap_rejects(&self, node: u32, freq: u8) -> bool {
        let cap = self.params.heap_capacity as usize;
        let len = self.heap_lens[node as usize] as usize;
        if len < cap {
            return false;
        }
        let start = node as usize * cap;
        let slots = &self.heap_slots[start..start + len];
        heap::min_pos(slots, len).is_some_and(|m| freq <= slots[m].key.freq())
    }

    /// Inserts live record `idx`, in no heap, into the heap of `node`. When
    /// the heap is full the record replaces the coldest member only if it
    /// has strictly more accesses; otherwise it is not inserted. (Recency
    /// alone does not qualify: at equal frequency the newcomer would always
    /// win, and a full heap of saturated records would churn on every
    /// report.) Returns whether it was inserted.
    fn heap_insert(&mut self, node: u32, idx: u32) -> bool {
        let (slots, len) = heap_parts(
            &mut self.heap_slots,
            &mut self.heap_lens,
            &self.params,
            node,
        );
        let pool = &mut *self.pool;
        let slot = Slot {
            key: pool[idx as usize].hot,
            item: idx,
        };
        if *len >= self.params.heap_capacity {
            match heap::min_pos(slots, *len as usize) {
                Some(m) if slot.key.freq() > slots[m].key.freq() => {
                    let out = heap::replace_at(slots, *len as usize, pool, m, slot);
                    pool[out as usize].heap = NOT_IN_HEAP;
                    self.stats.heap_evicted = self.stats.heap_evicted.wrapping_add(1);
                }
                _ => {
                    self.stats.heap_full = self.stats.heap_full.wrapping_add(1);
                    return false;
                }
            }
        } else {
            heap::push(slots, len, pool, slot);
        }
        self.stats.heap_inserted = self.stats.heap_inserted.wrapping_add(1);
        true
    }

    /// Removes live record `idx` from the heap of `node`, which holds it.
    fn heap_remove(&mut self, node: u32, idx: u32) {
        let (slots, len) = heap_parts(
            &mut self.heap_slots,
            &mut self.heap_lens,
            &self.params,
            node,
        );
        let pos = self.pool[idx as usize].heap as usize;
        heap::remove_at(slots, len, &mut *self.pool, pos);
        self.pool[idx as usize].heap = NOT_IN_HEAP;
    }

    /// Unlinks live record `idx` from its chain and its heap and frees its
    /// slot.
    fn unlink(&mut self, idx: u32) {
        let r = self.pool[idx as usize];
        let b = self.bucket_of(r.pfn());
        if self.buckets[b] == idx {
            self.buckets[b] = r.next;
        } else {
            let mut prev = self.buckets[b];
            while self.pool[prev as usize].next != idx {
                prev = self.pool[prev as usize].next;
            }
            self.pool[prev as usize].next = r.next;
        }
        if r.in_heap() {
            self.heap_remove(r.hot.nid(), idx);
        }
        let slot = &mut self.pool[idx as usize];
        *slot = Record::EMPTY;
        slot.next = self.free_head;
        self.free_head = idx;
        self.live -= 1;
    }

    /// Stops tracking `pfn` (e.g. after it was promoted or freed). Returns
    /// whether it was tracked.
    pub fn remove(&mut self, pfn: u64) -> bool {
        let Some(idx) = self.find(pfn) else {
            return false;
        };
        self.unlink(idx);
        self.stats.removed = self.stats.removed.wrapping_add(1);
        true
    }

    fn find(&self, pfn: u64) -> Option<u32> {
        let mut idx = self.buckets[self.bucket_of(pfn)];
        while idx != NIL {
            let r = &self.pool[idx as usize];
            if r.pfn() == pfn {
                return Some(idx);
            }
            idx = r.next;
        }
        None
    }

    /// Visits the next `budget` pool slots (wrapping around, each slot at
    /// most once per call) and removes records idle for more than the prune
    /// horizon (`prune_windows` windows), heap members included. Returns
    /// how many were pruned. A call with `budget >= capacity()` prunes every
    /// idle record.
    ///
    /// Call it regularly (e.g. from kpromoted) with a budget that finishes a
    /// pass well within `SWEEP_TICKS`; a pass still unfinished after that is
    /// finished piecewise by the calls that follow (see `advance`).
    pub fn prune(&mut self, now: u64, budget: u32) -> u32 {
        let before = self.stats.pruned;
        let now = self.advance(now);
        self.sweep(now, budget.min(self.hwm));
        // At most `budget` records were pruned.
        self.stats.pruned.wrapping_sub(before) as u32
    }

    /// Visits the next `steps` slots of the prune pass; reaching `hwm` ends
    /// the pass and starts the next one at slot 0.
    fn sweep(&mut self, now: u64, steps: u32) {
        for _ in 0..steps {
            self.visit(self.cursor, now);
            self.cursor += 1;
            if self.cursor >= self.hwm {
                self.cursor = 0;
                self.pass_start = now;
                self.overdue = false;
            }
        }
    }

    /// Prunes the record in slot `i` if it is idle for too long.
    fn visit(&mut self, i: u32, now: u64) {
        let r = &self.pool[i as usize];
        if r.is_live() && self.clock.age(r.hot.time(), now) > self.derived.horizon_ticks {
            self.unlink(i);
            self.stats.pruned = self.stats.pruned.wrapping_add(1);
        }
    }

    /// Advances the shard's clock to `now` and returns the time to use.
    ///
    /// Keeps the invariant that every live record is younger than half the
    /// time field's range, so that wrapping ages and `later` are exact:
    ///
    /// * `now` behind the latest time seen (reports racing on the lock, or a
    ///   backwards jump) is clamped to it;
    /// * if more than the prune horizon passed since the latest time seen,
    ///   every record is idle for longer than the horizon: all are pruned at
    ///   once (a flush, O(buckets + heaps));
    /// * a prune pass that started `SWEEP_TICKS` ago or more is overdue:
    ///   from then on every call that advances the clock (reports among
    ///   them, which may run with interrupts off) visits more of its
    ///   slots, in proportion to the time since the last call: at least
    ///   [`SWEEP_CHUNK`], and enough that the slots left when it fell due
    ///   are all visited `DUE_TICKS` later. At report rates where a bound
    ///   matters (more than `remaining / SWEEP_CHUNK` calls per
    ///   `DUE_TICKS`) a call thus visits at most `SWEEP_CHUNK` slots;
    ///   calls further apart do more each, in proportion to the time
    ///   since the previous one. kpromoted's own `prune` calls, every
    ///   pass, finish passes long before they fall due, so this is a
    ///   fallback (kpromoted frozen or stopped). Passes last less than
    ///   `SWEEP_TICKS + DUE_TICKS + horizon`, a record is checked at least
    ///   every two passes, and no live record gets older than
    ///   `2 * (SWEEP_TICKS + DUE_TICKS) + 3 * horizon`, which is
    ///   `30/64 * TIME_RANGE` at most, below half the range.
    ///
    /// The flush is a fill of the shard's bucket heads (2 bytes per
    /// record) and heap lengths.
    fn advance(&mut self, now: u64) -> u64 {
        if now == self.last_now && self.started {
            return now;
        }
        if !self.started {
            self.started = true;
            self.last_now = now;
            self.pass_start = now;
            return now;
        }
        if before(now, self.last_now) {
            return self.last_now;
        }
        let gap = self.clock.ticks_between(self.last_now, now);
        self.last_now = now;
        if gap > u64::from(self.derived.horizon_ticks) {
            if self.live > 0 {
                self.flush();
            }
            self.pass_start = now;
            self.overdue = false;
            return now;
        }
        if !self.overdue && self.clock.ticks_between(self.pass_start, now) >= SWEEP_TICKS {
            if self.cursor < self.hwm {
                self.overdue = true;
                self.due_at = now;
                self.due_cursor = self.cursor;
                self.stats.forced_sweeps = self.stats.forced_sweeps.wrapping_add(1);
            } else {
                // Nothing to visit: the pass is over.
                self.pass_start = now;
            }
        }
        if self.overdue {
            // Slots the schedule wants visited by now, since falling due.
            let left = u64::from(self.hwm.saturating_sub(self.due_cursor));
            let elapsed = self.clock.ticks_between(self.due_at, now).min(DUE_TICKS);
            let wanted = (left * elapsed / DUE_TICKS) as u32;
            let done = self.cursor.saturating_sub(self.due_cursor);
            let chunk = wanted.saturating_sub(done).max(SWEEP_CHUNK);
            // Up to the end of the pass at most, which ends it.
            self.sweep(now, chunk.min(self.hwm.saturating_sub(self.cursor)));
        }
        now
    }

    /// Drops every record.
    fn flush(&mut self) {
        self.buckets.fill(NIL);
        self.heap_lens.fill(0);
        self.stats.pruned = self.stats.pruned.wrapping_add(u64::from(self.live));
        self.stats.flushes = self.stats.flushes.wrapping_add(1);
        self.live = 0;
        self.hwm = 0;
        self.free_head = NIL;
        self.cursor = 0;
        self.overdue = false;
    }

    /// Pops up to `out.len()` hottest records of the heap of `node` into
    /// `out`, hottest first, and returns how many. The records stay tracked
    /// with their frequency reset to 0: they must earn the threshold again
    /// to come back (e.g. if their promotion failed). Remove them with
    /// [`Shard::remove`] once promoted.
    pub fn take_hottest(&mut self, node: u32, now: u64, out: &mut [Candidate]) -> usize {
        if node >= self.params.nr_nodes {
            return 0;
        }
        self.advance(now);
        let (slots, len) = heap_parts(
            &mut self.heap_slots,
            &mut self.heap_lens,
            &self.params,
            node,
        );
        let pool = &mut *self.pool;
        let mut n = 0;
        for c in out.iter_mut() {
            if *len == 0 {
                break;
            }
            let idx = heap::remove_at(slots, len, pool, 0);
            let r = &mut pool[idx as usize];
            r.heap = NOT_IN_HEAP;
            *c = Candidate {
                pfn: r.pfn(),
                nid: r.hot.nid(),
                freq: r.hot.freq(),
            };
            r.hot = r.hot.with_freq(0);
            n += 1;
        }
        self.stats.taken = self.stats.taken.wrapping_add(n as u64);
        n
    }

    /// The members of the heap of `node` in heap-array order (the first is
    /// the hottest, the rest unsorted), for a debugfs dump.
    pub fn hottest(&self, node: u32) -> impl Iterator<Item = Candidate> + '_ {
        let cap = self.params.heap_capacity as usize;
        let start = (node as usize).saturating_mul(cap);
        let len = self.heap_len(node);
        let slots = self.heap_slots.get(start..start + len).unwrap_or(&[]);
        slots.iter().map(move |s| {
            let r = &self.pool[s.item as usize];
            Candidate {
                pfn: r.pfn(),
                nid: r.hot.nid(),
                freq: r.hot.freq(),
            }
        })
    }

    /// [`Shard::hottest`] with each record's age at `now`: jiffies since
    /// its last access, to the clock's tick (for the agent device).
    pub fn hottest_aged(&self, node: u32, now: u64) -> impl Iterator<Item = (Candidate, u64)> + '_ {
        let cap = self.params.heap_capacity as usize;
        let start = (node as usize).saturating_mul(cap);
        let len = self.heap_len(node);
        let slots = self.heap_slots.get(start..start + len).unwrap_or(&[]);
        let clock = self.clock;
        let shift = self.derived.shift;
        slots.iter().map(move |s| {
            let r = &self.pool[s.item as usize];
            let age = u64::from(clock.age(r.hot.time(), now)) << shift;
            let c = Candidate {
                pfn: r.pfn(),
                nid: r.hot.nid(),
                freq: r.hot.freq(),
            };
            (c, age)
        })
    }

    /// Checks every structural invariant in O(pool + buckets + heaps):
    /// chains (right bucket, no duplicate PFN, at most `max_scan` long, no
    /// cycle), free list, record count, heap order, and that heap positions
    /// and heap slots point at each other. Also that every live record is
    /// younger than half the time field's range. For tests (host and
    /// KUnit) and debugging.
    #[cfg(any(not(CONFIG_RUST), all(pghot_kunit, CONFIG_KUNIT = "y")))]
    pub fn check(&self) -> Result<(), &'static str> {
        let max_scan = self.params.max_scan;
        let mut reached = 0u64;
        for (b, &head) in self.buckets.iter().enumerate() {
            let mut idx = head;
            let mut n = 0u32;
            while idx != NIL {
                n += 1;
                if n > max_scan {
                    return Err("chain longer than max_scan (or a cycle)");
                }
                let r = self
                    .pool
                    .get(idx as usize)
                    .ok_or("chain index out of range")?;
                if idx >= self.hwm || !r.is_live() {
                    return Err("chain reaches a free slot");
                }
                if self.bucket_of(r.pfn()) != b {
                    return Err("record in the wrong bucket");
                }
                let mut j = r.next;
                while j != NIL {
                    let o = self
                        .pool
                        .get(j as usize)
                        .ok_or("chain index out of range")?;
                    if o.pfn() == r.pfn() {
                        return Err("duplicate PFN");
                    }
                    j = o.next;
                }
                idx = r.next;
            }
            reached += u64::from(n);
        }
        let live_slots = self.pool[..self.hwm as usize]
            .iter()
            .filter(|r| r.is_live())
            .count();
        if reached != u64::from(self.live) || live_slots != self.live as usize {
            return Err("record count mismatch");
        }
        if self.live > self.params.pool_capacity || self.hwm > self.params.pool_capacity {
            return Err("capacity exceeded");
        }
        let mut free = 0u32;
        let mut idx = self.free_head;
        while idx != NIL {
            if idx >= self.hwm || self.pool[idx as usize].is_live() || free >= self.hwm {
                return Err("bad free list");
            }
            free += 1;
            idx = self.pool[idx as usize].next;
        }
        if free + self.live != self.hwm {
            return Err("free list and records do not cover the used slots");
        }
        let cap = self.params.heap_capacity as usize;
        for node in 0..self.params.nr_nodes as usize {
            let len = self.heap_lens[node] as usize;
            if len > cap {
                return Err("heap over capacity");
            }
            let slots = &self.heap_slots[node * cap..node * cap + len];
            for (pos, s) in slots.iter().enumerate() {
                let i = s.item;
                let r = self.pool.get(i as usize).ok_or("heap index out of range")?;
                if s.key != r.hot {
                    return Err("heap key differs from the record's hotness");
                }
                if i >= self.hwm || !r.is_live() {
                    return Err("heap holds a free slot");
                }
                if r.heap as usize != pos || r.hot.nid() as usize != node {
                    return Err("heap position or node mismatch");
                }
            }
            heap::check_order(slots, len)?;
        }
        for r in self.pool[..self.hwm as usize]
            .iter()
            .filter(|r| r.is_live())
        {
            let node = r.hot.nid();
            if node >= self.params.nr_nodes {
                return Err("record with invalid node");
            }
            if r.in_heap() && r.heap >= self.heap_lens[node as usize] {
                return Err("record points past its heap");
            }
            let age = self.clock.age(r.hot.time(), self.last_now);
            if u64::from(age) >= super::clock::TIME_RANGE / 2 {
                return Err("record older than half the time range");
            }
        }
        Ok(())
    }
}

/// Views for the host tests, benchmarks and dumps; the kernel does not use
/// them, so its build does not see them.
#[cfg(not(CONFIG_RUST))]
impl<A: Alloc> Shard<A> {
    /// The parameters the shard was built with.
    pub fn params(&self) -> &Params {
        &self.params
    }

    /// Whether no record is tracked.
    pub fn is_empty(&self) -> bool {
        self.live == 0
    }

    /// The tick of the packed time field is `2^time_shift()` jiffies.
    pub fn time_shift(&self) -> u32 {
        self.clock.shift()
    }

    /// The window, in ticks (rounded up from `window_jiffies`).
    pub fn window_ticks(&self) -> u32 {
        self.derived.window_ticks
    }

    /// The prune horizon, in ticks: `window_ticks() * prune_windows`.
    pub fn horizon_ticks(&self) -> u32 {
        self.derived.horizon_ticks
    }

    /// The packed time field for `now`, as a record stamped at `now` holds it.
    pub fn stamp(&self, now: u64) -> u32 {
        self.clock.stamp(now)
    }

    /// The record of `pfn`, if tracked.
    pub fn get(&self, pfn: u64) -> Option<RecordInfo> {
        self.find(pfn)
            .map(|i| RecordInfo::of(&self.pool[i as usize]))
    }

    /// The hottest record of the heap of `node`, left in place.
    pub fn peek_hottest(&self, node: u32) -> Option<Candidate> {
        self.hottest(node).next()
    }

    /// All tracked records, in pool order.
    pub fn records(&self) -> impl Iterator<Item = RecordInfo> + '_ {
        self.pool[..self.hwm as usize]
            .iter()
            .filter(|r| r.is_live())
            .map(RecordInfo::of)
    }
}
