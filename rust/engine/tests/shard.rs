//! Unit tests of the shard: records, windows, heaps, replacement, pruning,
//! clock wrap and aliasing.

mod common;

use common::*;
use pghot_engine::host::VecAlloc;
use pghot_engine::{
    Access,
    Candidate,
    Error,
    Params,
    Shard,
    FREQ_MAX,
    TIME_BITS, //
};

fn access(s: &mut TestShard, pfn: u64, nid: u32, now: u64) -> Access {
    let o = s.record_access(pfn, nid, now);
    s.check().unwrap();
    o.access
}

fn freq(s: &TestShard, pfn: u64) -> u8 {
    s.get(pfn).expect("tracked").hotness.freq()
}

#[test]
fn create_update_saturate() {
    let mut s = shard(&small(8, 4, 15));
    assert_eq!(access(&mut s, 42, 1, 1000), Access::Created);
    assert_eq!(freq(&s, 42), 1);
    for i in 0..20 {
        assert_eq!(access(&mut s, 42, 1, 1001 + i), Access::Updated);
    }
    assert_eq!(freq(&s, 42), FREQ_MAX);
    let info = s.get(42).unwrap();
    assert_eq!(info.hotness.nid(), 1);
    assert_eq!(info.hotness.time(), s.stamp(1020));
    assert_eq!(s.len(), 1);
    assert_eq!(s.stats().created, 1);
    assert_eq!(s.stats().updated, 20);
}

#[test]
fn invalid_node_is_ignored() {
    let mut s = shard(&small(8, 4, 2));
    let o = s.record_access(1, 4, 10);
    assert_eq!(o.access, Access::Invalid);
    assert!(s.is_empty());
    assert_eq!(s.stats().invalid, 1);
}

#[test]
fn window_reset_after_idle() {
    let mut s = shard(&small(8, 4, 15));
    access(&mut s, 7, 0, 0);
    access(&mut s, 7, 0, 100); // exactly one window later: same window
    assert_eq!(freq(&s, 7), 2);
    access(&mut s, 7, 0, 201); // 101 > window since the last access
    assert_eq!(freq(&s, 7), 1);
    assert_eq!(s.stats().window_resets, 1);
}

#[test]
fn turns_hot_enters_heap_and_is_taken_hottest_first() {
    let mut s = shard(&small(16, 8, 3));
    let mut now = 10;
    // pfn p gets p accesses (p = 1..=5); threshold 3 => 3, 4, 5 are hot.
    for p in 1..=5u64 {
        for _ in 0..p {
            now += 1;
            let o = s.record_access(p, 2, now);
            assert_eq!(
                o.entered_heap,
                p >= 3 && s.get(p).unwrap().hotness.freq() == 3
            );
        }
    }
    s.check().unwrap();
    assert_eq!(s.heap_len(2), 3);
    assert_eq!(s.stats().turned_hot, 3);
    assert_eq!(s.peek_hottest(2).unwrap().pfn, 5);
    let mut out = [Candidate::default(); 2];
    assert_eq!(s.take_hottest(2, now, &mut out), 2);
    assert_eq!(out.map(|c| (c.pfn, c.freq, c.nid)), [(5, 5, 2), (4, 4, 2)]);
    s.check().unwrap();
    // Taken records stay tracked, cold, and must earn the threshold again.
    assert_eq!(freq(&s, 5), 0);
    assert_eq!(s.heap_len(2), 1);
    for _ in 0..2 {
        now += 1;
        assert!(!s.record_access(5, 2, now).entered_heap);
    }
    now += 1;
    assert!(s.record_access(5, 2, now).entered_heap);
    let mut big = [Candidate::default(); 8];
    assert_eq!(s.take_hottest(2, now, &mut big), 2);
    assert_eq!(s.take_hottest(2, now, &mut big), 0);
    assert_eq!(s.take_hottest(9, now, &mut big), 0);
    assert_eq!(s.stats().taken, 4);
}

#[test]
fn recency_breaks_frequency_ties() {
    let mut s = shard(&small(8, 8, 2));
    for (p, t) in [(1u64, 10u64), (2, 20), (3, 30)] {
        s.record_access(p, 0, t);
        s.record_access(p, 0, t + 1);
    }
    let mut out = [Candidate::default(); 3];
    s.take_hottest(0, 40, &mut out);
    assert_eq!(out.map(|c| c.pfn), [3, 2, 1]);
}

#[test]
fn full_heap_keeps_the_hottest() {
    let mut s = shard(&small(16, 2, 2));
    let mut now = 0;
    let mut hit = |s: &mut TestShard, p: u64, n: u32| {
        for _ in 0..n {
            now += 1;
            s.record_access(p, 0, now);
        }
        s.check().unwrap();
    };
    hit(&mut s, 1, 3); // freq 3
    hit(&mut s, 2, 4); // freq 4
    assert_eq!(s.heap_len(0), 2);
    hit(&mut s, 3, 2); // freq 2: colder than the minimum (3): not inserted
    assert_eq!(s.stats().heap_full, 1);
    assert!(s.get(3).unwrap().heap_pos.is_none());
    hit(&mut s, 3, 2); // freq 4 now: evicts pfn 1
    assert_eq!(s.stats().heap_evicted, 1);
    assert!(s.get(1).unwrap().heap_pos.is_none());
    assert!(s.get(3).unwrap().heap_pos.is_some());
    assert_eq!(s.heap_len(0), 2);
}

#[test]
fn cooled_record_leaves_heap_and_node_change_moves_it() {
    let mut s = shard(&small(8, 4, 2));
    s.record_access(9, 0, 0);
    assert!(s.record_access(9, 0, 1).entered_heap);
    // Reported for node 3 now: moves heaps.
    assert!(s.record_access(9, 3, 2).entered_heap);
    s.check().unwrap();
    assert_eq!((s.heap_len(0), s.heap_len(3)), (0, 1));
    assert_eq!(s.stats().heap_moved, 1);
    // A new window resets freq to 1 < 2: leaves the heap.
    s.record_access(9, 3, 200);
    s.check().unwrap();
    assert_eq!(s.heap_len(3), 0);
    assert_eq!(s.stats().cooled, 1);
}

#[test]
fn replacement_takes_the_coldest_and_drops_when_none() {
    // Pool of 4, one bucket, threshold 3.
    let mut s = shard(&small(4, 4, 3));
    // 10: freq 2 at t=50; 11: freq 1 at t=10; 12: freq 1 at t=40;
    // 13: hot (3 accesses), in the heap.
    for (p, ts) in [
        (13u64, &[1u64, 2, 3][..]),
        (11, &[10]),
        (12, &[40]),
        (10, &[49, 50]),
    ] {
        for &t in ts {
            s.record_access(p, 0, t);
        }
    }
    assert_eq!(s.len(), 4);
    // Pool full: the coldest is 11 (freq 1, oldest).
    assert_eq!(access(&mut s, 20, 0, 60), Access::Replaced { victim: 11 });
    // Then 12 (freq 1, t=40) before 20 (freq 1, t=60) and 10 (freq 2).
    assert_eq!(access(&mut s, 21, 0, 61), Access::Replaced { victim: 12 });
    assert_eq!(access(&mut s, 22, 0, 62), Access::Replaced { victim: 20 });
    // An expired window counts as frequency 0: 10 (freq 2 at t=50) is
    // older than a window at t=151, 21 and 22 are not.
    assert_eq!(access(&mut s, 23, 0, 151), Access::Replaced { victim: 10 });
    // Make the rest hot: 21, 22, 23 reach 3 and join 13 in the heap.
    for p in [21u64, 22, 23] {
        for t in 0..2 {
            s.record_access(p, 0, 152 + t);
        }
    }
    s.check().unwrap();
    assert_eq!(s.heap_len(0), 4);
    assert_eq!(access(&mut s, 30, 0, 160), Access::Dropped);
    assert_eq!(s.stats().dropped, 1);
    assert_eq!(s.stats().replaced, 4);
    assert!(s.get(30).is_none());
}

#[test]
fn chain_limit_bounds_lookups_even_with_free_slots() {
    let mut p = small(64, 4, 15);
    p.nr_buckets = 4;
    p.max_scan = 3;
    let mut s = shard(&p);
    let same = pfns_in_bucket(&s, 1, 5);
    for (i, &pfn) in same.iter().take(3).enumerate() {
        assert_eq!(access(&mut s, pfn, 0, i as u64), Access::Created);
    }
    // Chain full (3), pool not: the coldest of the chain is replaced.
    assert_eq!(
        access(&mut s, same[3], 0, 10),
        Access::Replaced { victim: same[0] }
    );
    assert_eq!(s.len(), 3);
}

#[test]
fn prune_removes_idle_records_incrementally() {
    let mut s = shard(&small(16, 16, 2));
    // horizon = 4 windows of 100 jiffies.
    assert_eq!(s.horizon_ticks(), 400);
    for p in 0..10u64 {
        s.record_access(p, 0, p);
        s.record_access(p, 0, p + 1); // all hot, in the heap
    }
    for p in 5..10u64 {
        // A new window (freq 1, out of the heap), then hot again.
        s.record_access(p, 0, 300);
        s.record_access(p, 0, 300);
    }
    // At 405, pfns 0..=3 (last access 1..=4) are idle for more than 400.
    let mut pruned = 0;
    for _ in 0..10 {
        pruned += s.prune(405, 1);
        s.check().unwrap();
    }
    assert_eq!(pruned, 4);
    assert_eq!(s.len(), 6);
    assert!(s.get(3).is_none() && s.get(4).is_some());
    // A full-budget call prunes everything idle: pfn 4 (idle 695), not
    // 5..10 (idle exactly 400, the horizon).
    assert_eq!(s.prune(700, u32::MAX), 1);
    assert_eq!(s.len(), 5);
    assert_eq!(s.heap_len(0), 5);
    // Freed slots are reused.
    for p in 100..111u64 {
        assert_eq!(access(&mut s, p, 0, 700), Access::Created);
    }
    assert_eq!(s.len(), 16);
    assert_eq!(s.prune(701, u32::MAX), 5);
    assert_eq!(s.heap_len(0), 0);
}

#[test]
fn remove_by_pfn() {
    let mut s = shard(&small(8, 4, 1));
    s.record_access(5, 1, 0);
    s.record_access(6, 1, 0);
    assert_eq!(s.heap_len(1), 2);
    assert!(s.remove(5));
    assert!(!s.remove(5));
    s.check().unwrap();
    assert_eq!(s.heap_len(1), 1);
    assert_eq!(s.len(), 1);
    assert_eq!(s.stats().removed, 1);
}

#[test]
fn jiffies_wrap_is_seamless() {
    let mut s = shard(&small(8, 4, 3));
    let t0 = u64::MAX - 2;
    s.record_access(1, 0, t0);
    s.record_access(1, 0, t0.wrapping_add(50)); // wrapped past 0
    let o = s.record_access(1, 0, t0.wrapping_add(100));
    assert!(o.entered_heap);
    assert_eq!(freq(&s, 1), 3);
    s.record_access(1, 0, t0.wrapping_add(201));
    assert_eq!(
        freq(&s, 1),
        1,
        "idle for more than a window across the wrap"
    );
    assert_eq!(s.prune(t0.wrapping_add(601), u32::MAX), 0);
    assert_eq!(s.prune(t0.wrapping_add(602), u32::MAX), 1);
    s.check().unwrap();
}

#[test]
fn time_going_backwards_is_clamped() {
    let mut s = shard(&small(8, 4, 15));
    s.record_access(1, 0, 1000);
    s.record_access(1, 0, 990);
    assert_eq!(s.get(1).unwrap().hotness.time(), s.stamp(1000));
    assert_eq!(freq(&s, 1), 2);
}

/// A jump longer than the prune horizon flushes the shard: even when the
/// jump is a whole multiple of the field range, so that the stale stamp is
/// bit-for-bit the current one, the record is not taken as fresh.
#[test]
fn long_jump_flushes_instead_of_aliasing() {
    let range = 1u64 << TIME_BITS;
    for start in [0u64, u64::MAX - 10, 12345] {
        let mut s = shard(&small(8, 4, 2));
        assert_eq!(s.time_shift(), 0);
        s.record_access(1, 0, start);
        s.record_access(2, 0, start);
        let later = start.wrapping_add(range);
        assert_eq!(s.stamp(later), s.stamp(start));
        assert_eq!(access(&mut s, 1, 0, later), Access::Created);
        assert_eq!(freq(&s, 1), 1);
        assert!(s.get(2).is_none());
        assert_eq!(s.heap_len(0), 0);
        assert_eq!(s.stats().flushes, 1);
    }
}

/// An overdue prune pass is finished a piece per call (reports may run with
/// interrupts off), not all at once: with 4000 idle records and reports
/// coming `per_horizon` times per prune horizon, one report prunes at most
/// `worst` of them, the pass is finished, and no record ever gets old
/// enough for its age to alias (`check`).
fn overdue_sweep(per_horizon: u64) -> u64 {
    let p = Params {
        nr_buckets: 2048,
        window_jiffies: 2000,
        prune_windows: 8,
        max_scan: 16,
        ..small(4096, 4, 2)
    };
    let mut s = shard(&p);
    let step = u64::from(s.horizon_ticks()) / per_horizon; // never a flush
    let t0 = 1000;
    let mut made = 0u64;
    let mut pfn = 1u64;
    while made < 4000 {
        if access(&mut s, pfn, 0, t0) == Access::Created {
            made += 1;
        }
        pfn += 1;
    }
    let filler = pfn + 1;
    let mut now = t0;
    let mut worst = 0;
    // Past two sweep periods: a pass falls due and is worked off.
    while now - t0 < (1u64 << TIME_BITS) / 2 {
        now += step;
        let before = s.stats().pruned;
        s.record_access(filler, 0, now);
        worst = worst.max(s.stats().pruned - before);
        s.check().unwrap();
    }
    assert!(s.stats().forced_sweeps > 0, "no pass fell due");
    assert!(s.len() <= 2, "idle records left: {}", s.len());
    worst
}

#[test]
fn overdue_sweep_is_bounded_per_call_at_high_rates() {
    let worst = overdue_sweep(128);
    assert!(worst <= 256, "one call pruned {worst} records");
}

/// Reports a whole horizon apart: each does more, in proportion to the
/// time since the one before (here the whole rest of the pass), and the
/// records still never alias.
#[test]
fn overdue_sweep_keeps_up_when_calls_are_rare() {
    let worst = overdue_sweep(1);
    assert!(worst > 256, "one call pruned {worst} records");
}

/// The aliasing guard without any jump and without the caller ever calling
/// `prune`: a record left idle while other pages keep the clock moving is
/// pruned by forced sweeps before its age could wrap the 18-bit field.
#[test]
fn idle_record_never_aliases_without_prune_calls() {
    let p = Params {
        window_jiffies: 2000,
        prune_windows: 8,
        ..small(64, 4, 2)
    };
    let mut s = shard(&p);
    assert_eq!(s.time_shift(), 0);
    let range = 1u64 << TIME_BITS;
    let step = u64::from(s.horizon_ticks()); // never a flush
    let t0 = u64::MAX - 5 * step; // and wrap the jiffies counter too
    s.record_access(1, 0, t0);
    s.record_access(1, 0, t0 + 1);
    let mut off = step;
    while off < range {
        s.record_access(2, 0, t0.wrapping_add(off));
        s.check().unwrap();
        off += step;
    }
    let at = t0.wrapping_add(range + 1);
    assert_eq!(s.stamp(at), s.stamp(t0 + 1));
    assert_eq!(s.stats().flushes, 0);
    assert!(s.stats().forced_sweeps > 0);
    assert_eq!(
        access(&mut s, 1, 0, at),
        Access::Created,
        "must not be seen as fresh"
    );
    assert_eq!(freq(&s, 1), 1);
}

#[test]
fn time_shift_grows_with_the_horizon() {
    let mut p = small(8, 4, 2);
    p.window_jiffies = 1000;
    p.prune_windows = 16; // 16000 <= 16384 ticks
    assert_eq!(shard(&p).time_shift(), 0);
    p.prune_windows = 17;
    let s = shard(&p);
    assert_eq!(s.time_shift(), 1);
    assert_eq!(s.window_ticks(), 500);
    p.window_jiffies = 10 * 1000; // 10 s at HZ=1000
    p.prune_windows = 8;
    let s = shard(&p);
    assert_eq!(s.time_shift(), 3);
    assert_eq!(s.horizon_ticks(), 8 * 1250);
}

#[test]
fn params_are_validated() {
    let ok = small(8, 4, 2);
    let bad = |f: fn(&mut Params)| {
        let mut p = ok;
        f(&mut p);
        match Shard::new(&p, &VecAlloc) {
            Err(Error::Invalid(_)) => {}
            _ => panic!("{p:?} accepted"),
        }
    };
    bad(|p| p.nr_buckets = 3);
    bad(|p| p.pool_capacity = 0);
    bad(|p| p.nr_nodes = 0);
    bad(|p| p.nr_nodes = 1025);
    bad(|p| p.heap_capacity = 0);
    bad(|p| p.freq_threshold = 0);
    bad(|p| p.freq_threshold = 16);
    bad(|p| p.window_jiffies = 0);
    bad(|p| p.prune_windows = 0);
    bad(|p| p.max_scan = 0);
    bad(|p| {
        p.window_jiffies = u64::MAX;
        p.prune_windows = u32::MAX;
    });
    let mut s = shard(&ok);
    assert!(s.set_threshold(0, 0).is_err());
    assert!(s.set_threshold(4, 2).is_err());
    s.set_threshold(3, 15).unwrap();
    assert_eq!(s.threshold(3), 15);
}

#[test]
fn default_params_and_memory() {
    let p = Params::with_capacity(1 << 20, 2, 1000);
    let s = shard(&p);
    assert_eq!(p.nr_buckets, 1 << 19);
    assert_eq!(Params::RECORD_BYTES, 20);
    let mem = p.memory_bytes().unwrap();
    assert_eq!(mem, (1 << 20) * 20 + (1 << 19) * 4 + 2 * 4096 * 8 + 2 * 5);
    assert_eq!(s.capacity(), 1 << 20);
}

#[test]
fn dumps_list_heap_and_records() {
    let mut s = shard(&small(8, 4, 2));
    for p in 0..4u64 {
        s.record_access(p, 1, 0);
    }
    s.record_access(2, 1, 1);
    s.record_access(3, 1, 2);
    let mut heap: Vec<u64> = s.hottest(1).map(|c| c.pfn).collect();
    heap.sort();
    assert_eq!(heap, [2, 3]);
    let mut all: Vec<u64> = s.records().map(|r| r.pfn).collect();
    all.sort();
    assert_eq!(all, [0, 1, 2, 3]);
    assert_eq!(s.hottest(99).count(), 0);
}

#[test]
fn set_window_keeps_the_tick_and_checks_the_horizon() {
    let mut p = small(8, 4, 2);
    p.window_jiffies = 1000;
    p.prune_windows = 16; // 16000 ticks at shift 0: the longest that fits
    let mut s = shard(&p);
    assert_eq!(s.time_shift(), 0);
    assert!(s.set_window(0).is_err());
    assert!(
        s.set_window(1025).is_err(),
        "16 * 1025 ticks do not fit shift 0"
    );
    assert_eq!(s.window_ticks(), 1000);
    s.set_window(100).unwrap();
    assert_eq!((s.window_ticks(), s.horizon_ticks()), (100, 1600));
    // The new window applies to the next report, the new horizon to prune
    // and to the flush guard.
    s.record_access(1, 0, 0);
    s.record_access(1, 0, 101);
    assert_eq!(freq(&s, 1), 1);
    assert_eq!(s.prune(1701, u32::MAX), 0);
    assert_eq!(s.prune(1702, u32::MAX), 1);
    s.record_access(2, 0, 2000);
    assert_eq!(access(&mut s, 3, 0, 3601), Access::Created);
    assert!(s.get(2).is_none(), "a gap beyond the new horizon flushes");
    s.check().unwrap();
}
