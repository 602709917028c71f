//! Property tests of the shard against a reference model.
//!
//! Random sequences of reports, clock steps (small ticks, jumps around the
//! prune horizon and around multiples of the time field's range, backwards
//! steps), removals, prunes, threshold changes and heap extractions run on
//! a shard and on a model that keeps exact (128-bit, never wrapping) times
//! in a map and finds heap order by sorting. After every step:
//!
//! * the shard's structural check passes (chains, free list, capacity,
//!   heap order, heap positions);
//! * the shard holds exactly the model's records, with the same frequency,
//!   node, time stamp and heap membership: nothing lost or duplicated;
//! * records the shard pruned on its own (prune passes, forced sweeps,
//!   flushes) were all idle for longer than the horizon, by exact time;
//! * creation, replacement and drops follow the rules: a replaced record was
//!   the coldest replaceable record of the bucket, and a drop means there
//!   was none;
//! * `take_hottest` returned the hottest members, in order.

mod common;

use pghot_engine::host::VecAlloc;
use pghot_engine::{
    Access,
    Candidate,
    Params,
    RecordInfo,
    Shard,
    FREQ_MAX,
    TIME_BITS, //
};
use proptest::prelude::*;
use std::collections::BTreeMap;

#[derive(Clone, Debug)]
enum Op {
    Report {
        pfn: u8,
        nid: u8,
    },
    Tick(u64),
    Jump {
        kind: u8,
        x: u64,
    },
    Back(u64),
    Remove {
        pfn: u8,
    },
    Prune {
        budget: u32,
    },
    Take {
        node: u8,
        n: u8,
    },
    SetThreshold {
        node: u8,
        th: u8,
    },
    /// `steps` times: move the clock by the prune horizon (no flush) and
    /// report a filler page, without calling `prune`. Enough steps carry
    /// idle records past the time field's range, where only the shard's
    /// forced sweeps keep them from looking fresh.
    Drift {
        steps: u8,
    },
    /// `Shard::set_window` to a window no longer than the one built with.
    SetWindow {
        x: u16,
    },
}

/// Stands for a node id `>= nr_nodes` in `Op::Report`.
const INVALID: u8 = 255;

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        12 => (0u8..40, prop_oneof![20 => 0u8..3, 1 => Just(INVALID)])
            .prop_map(|(pfn, nid)| Op::Report { pfn, nid }),
        6 => (0u64..32).prop_map(Op::Tick),
        2 => (prop_oneof![6 => Just(0u8), 1 => Just(1u8), 1 => Just(2u8), 1 => Just(3u8)], any::<u64>())
            .prop_map(|(kind, x)| Op::Jump { kind, x }),
        1 => (0u64..8).prop_map(Op::Back),
        1 => (0u8..40).prop_map(|pfn| Op::Remove { pfn }),
        2 => prop_oneof![0u32..8, Just(u32::MAX)].prop_map(|budget| Op::Prune { budget }),
        2 => (0u8..4, 0u8..4).prop_map(|(node, n)| Op::Take { node, n }),
        1 => (0u8..4, 1u8..=4).prop_map(|(node, th)| Op::SetThreshold { node, th }),
        1 => (1u8..40).prop_map(|steps| Op::Drift { steps }),
        1 => any::<u16>().prop_map(|x| Op::SetWindow { x }),
    ]
}

fn params() -> impl Strategy<Value = Params> {
    (
        1u32..=24,
        0u32..=3,
        1u32..=3,
        1u32..=4,
        1u8..=4,
        prop_oneof![1u64..=50, 1000u64..=2000, 4000u64..=6000],
        1u32..=8,
        1u32..=6,
    )
        .prop_map(|(pool, bbits, nodes, heap, thr, window, pw, scan)| Params {
            nr_buckets: 1 << bbits,
            pool_capacity: pool,
            nr_nodes: nodes,
            heap_capacity: heap,
            freq_threshold: thr,
            window_jiffies: window,
            prune_windows: pw,
            max_scan: scan,
        })
}

fn start() -> impl Strategy<Value = u64> {
    prop_oneof![
        Just(0u64),
        any::<u64>(),
        (0u64..2000).prop_map(|d| u64::MAX - d)
    ]
}

/// PFN number `i` of the test universe; spread over both 32-bit halves.
fn pfn_of(i: u8) -> u64 {
    u64::from(i).wrapping_mul(0x0000_0009_0000_0007)
}

#[derive(Clone, Copy, Debug)]
struct MRec {
    /// Exact time of the last access.
    last: u128,
    freq: u8,
    nid: u32,
    in_heap: bool,
}

struct Model {
    p: Params,
    shift: u32,
    window: u128,
    horizon: u128,
    recs: BTreeMap<u64, MRec>,
    thr: Vec<u8>,
    /// The clock, exact.
    now: u128,
    /// Latest time the shard was given (it clamps to it).
    last: Option<u128>,
}

impl Model {
    fn advance(&mut self) -> u128 {
        let t = match self.last {
            Some(l) if l > self.now => l,
            _ => self.now,
        };
        self.last = Some(t);
        t
    }

    fn age(&self, r: &MRec, t: u128) -> u128 {
        (t >> self.shift) - (r.last >> self.shift)
    }

    fn stale(&self, r: &MRec, t: u128) -> bool {
        self.age(r, t) > self.horizon
    }

    fn key(&self, r: &MRec) -> (u8, u128) {
        (r.freq, r.last >> self.shift)
    }

    fn heap_members(&self, node: u32) -> Vec<(u64, MRec)> {
        self.recs
            .iter()
            .filter(|(_, r)| r.in_heap && r.nid == node)
            .map(|(&p, &r)| (p, r))
            .collect()
    }
}

fn snapshot(s: &Shard<VecAlloc>) -> BTreeMap<u64, RecordInfo> {
    let mut m = BTreeMap::new();
    for r in s.records() {
        assert!(m.insert(r.pfn, r).is_none(), "duplicate pfn {}", r.pfn);
    }
    m
}

/// Removes from the model what the shard pruned on its own, checking that
/// each was idle for longer than the horizon at `t`.
fn sync_pruned(
    m: &mut Model,
    snap: &BTreeMap<u64, RecordInfo>,
    t: u128,
    victim: Option<u64>,
) -> usize {
    let gone: Vec<u64> = m
        .recs
        .keys()
        .copied()
        .filter(|p| !snap.contains_key(p) && Some(*p) != victim)
        .collect();
    for p in &gone {
        let r = m.recs.remove(p).unwrap();
        assert!(m.stale(&r, t), "pfn {p} pruned while live: {r:?} at {t}");
    }
    gone.len()
}

fn compare(m: &Model, s: &Shard<VecAlloc>) {
    s.check().unwrap();
    let snap = snapshot(s);
    assert_eq!(
        snap.len(),
        m.recs.len(),
        "record sets differ: {snap:?} vs {:?}",
        m.recs
    );
    assert!(s.len() <= s.capacity());
    for (p, r) in &m.recs {
        let e = snap.get(p).unwrap_or_else(|| panic!("pfn {p} lost"));
        let h = e.hotness;
        let stamp = ((r.last >> m.shift) as u64 & ((1 << TIME_BITS) - 1)) as u32;
        assert_eq!(
            (h.freq(), h.nid(), h.time()),
            (r.freq, r.nid, stamp),
            "pfn {p}"
        );
        assert_eq!(
            e.heap_pos.is_some(),
            r.in_heap,
            "heap membership of pfn {p}"
        );
    }
    for node in 0..m.p.nr_nodes {
        assert!(s.heap_len(node) <= m.p.heap_capacity as usize);
    }
}

/// Applies the heap rules to `rec` (not yet in `m.recs`) and inserts it.
/// Returns whether it entered its heap.
fn place(m: &mut Model, s: &Shard<VecAlloc>, pfn: u64, mut rec: MRec) -> bool {
    let hot = rec.freq >= m.thr[rec.nid as usize];
    let entered = match (hot, rec.in_heap) {
        (true, false) => {
            let members = m.heap_members(rec.nid);
            if members.len() < m.p.heap_capacity as usize {
                true
            } else {
                let min = members.iter().map(|(_, r)| m.key(r)).min().unwrap();
                // Admission to a full heap takes strictly more accesses.
                if rec.freq > min.0 {
                    // The shard evicted one of the coldest members.
                    let evicted: Vec<u64> = members
                        .iter()
                        .filter(|(p, _)| s.get(*p).is_some_and(|e| e.heap_pos.is_none()))
                        .map(|(p, _)| *p)
                        .collect();
                    assert_eq!(evicted.len(), 1, "exactly one member evicted");
                    let ev = m.recs.get_mut(&evicted[0]).unwrap();
                    assert_eq!(
                        (ev.freq, ev.last >> m.shift),
                        min,
                        "evicted member was not the coldest"
                    );
                    ev.in_heap = false;
                    true
                } else {
                    false
                }
            }
        }
        (false, true) => {
            rec.in_heap = false;
            false
        }
        _ => false,
    };
    if entered {
        rec.in_heap = true;
    }
    m.recs.insert(pfn, rec);
    entered
}

fn report(m: &mut Model, s: &mut Shard<VecAlloc>, pfn: u64, nid: u32) {
    if nid >= m.p.nr_nodes {
        let before = snapshot(s);
        assert_eq!(
            s.record_access(pfn, nid, m.now as u64).access,
            Access::Invalid
        );
        assert_eq!(snapshot(s), before);
        return;
    }
    let t = m.advance();
    let out = s.record_access(pfn, nid, m.now as u64);
    let snap = snapshot(s);
    let victim = match out.access {
        Access::Replaced { victim } => Some(victim),
        _ => None,
    };
    sync_pruned(m, &snap, t, victim);
    if matches!(out.access, Access::Created | Access::Replaced { .. }) {
        // Tracked before, but pruned by this call's sweep before the lookup.
        if let Some(r) = m.recs.remove(&pfn) {
            assert!(m.stale(&r, t), "pfn {pfn} recreated while live");
        }
    }
    let entered = if let Some(r) = m.recs.get(&pfn).copied() {
        assert_eq!(out.access, Access::Updated);
        let freq = if m.age(&r, t) <= m.window {
            (r.freq + 1).min(FREQ_MAX)
        } else {
            1
        };
        let in_heap = r.in_heap && r.nid == nid;
        m.recs.remove(&pfn);
        place(
            m,
            s,
            pfn,
            MRec {
                last: t,
                freq,
                nid,
                in_heap,
            },
        )
    } else {
        let b = s.bucket_of(pfn);
        let chain: Vec<(u64, MRec)> = m
            .recs
            .iter()
            .filter(|(p, _)| s.bucket_of(**p) == b)
            .map(|(&p, &r)| (p, r))
            .collect();
        let full =
            m.recs.len() >= m.p.pool_capacity as usize || chain.len() >= m.p.max_scan as usize;
        if !full {
            assert_eq!(out.access, Access::Created);
        } else {
            // Replaceable: in no heap and not hot (an expired window counts
            // as frequency 0). Coldness: frequency, then age.
            let coldness = |r: &MRec| {
                let age = m.age(r, t);
                let f = if age > m.window { 0 } else { r.freq };
                (f, std::cmp::Reverse(age))
            };
            let cands: Vec<(u64, MRec)> = chain
                .iter()
                .filter(|(_, r)| !r.in_heap && coldness(r).0 < m.thr[r.nid as usize])
                .copied()
                .collect();
            match cands.iter().map(|(_, r)| coldness(r)).min() {
                None => {
                    assert_eq!(out.access, Access::Dropped);
                    assert!(!out.entered_heap);
                    assert!(!out.queued && !out.hot, "a dropped report is neither");
                    return;
                }
                Some(coldest) => {
                    let Access::Replaced { victim } = out.access else {
                        panic!("expected a replacement, got {out:?}");
                    };
                    let v = cands
                        .iter()
                        .find(|(p, _)| *p == victim)
                        .expect("victim replaceable, in reach");
                    assert_eq!(
                        coldness(&v.1),
                        coldest,
                        "victim was not the coldest in reach"
                    );
                    m.recs.remove(&victim);
                }
            }
        }
        place(
            m,
            s,
            pfn,
            MRec {
                last: t,
                freq: 1,
                nid,
                in_heap: false,
            },
        )
    };
    assert_eq!(out.entered_heap, entered, "entered_heap for pfn {pfn}");
    let r = m.recs.get(&pfn).expect("a recorded PFN has a record");
    assert_eq!(out.queued, r.in_heap, "queued for pfn {pfn}");
    assert_eq!(
        out.hot,
        r.freq >= m.thr[r.nid as usize],
        "hot for pfn {pfn}"
    );
}

fn run(p: Params, start: u64, ops: Vec<Op>) -> pghot_engine::Stats {
    let mut s = Shard::new(&p, &VecAlloc).unwrap();
    let shift = s.time_shift();
    let mut m = Model {
        p,
        shift,
        window: u128::from(s.window_ticks()),
        horizon: u128::from(s.horizon_ticks()),
        recs: BTreeMap::new(),
        thr: vec![p.freq_threshold; p.nr_nodes as usize],
        now: u128::from(start),
        last: None,
    };
    let mut horizon_j = (m.horizon << shift) as u64;
    let range_j = 1u64 << (TIME_BITS + shift);
    for op in ops {
        match op {
            Op::Report { pfn, nid } => {
                let nid = if nid == INVALID {
                    p.nr_nodes
                } else {
                    u32::from(nid) % p.nr_nodes
                };
                report(&mut m, &mut s, pfn_of(pfn), nid)
            }
            Op::Tick(d) => m.now += u128::from(d) * (u128::from(p.window_jiffies) / 16 + 1),
            Op::Jump { kind, x } => {
                m.now += u128::from(match kind {
                    // Up to the horizon: the shard keeps its records.
                    0 => x % (horizon_j + 1),
                    // Past the horizon.
                    1 => horizon_j + x % (horizon_j + 1),
                    // Close to a multiple of the time field's range, where
                    // stale stamps look fresh.
                    2 => (range_j * (1 + x % 3))
                        .wrapping_add(x >> 60)
                        .wrapping_sub(4 << shift),
                    _ => x % (1 << 40),
                })
            }
            Op::Back(d) => m.now = m.now.saturating_sub(u128::from(d)),
            Op::Remove { pfn } => {
                let pfn = pfn_of(pfn);
                assert_eq!(s.remove(pfn), m.recs.remove(&pfn).is_some());
            }
            Op::Prune { budget } => {
                let t = m.advance();
                let n = s.prune(m.now as u64, budget);
                let gone = sync_pruned(&mut m, &snapshot(&s), t, None);
                assert_eq!(n as usize, gone);
                if budget >= p.pool_capacity {
                    assert!(
                        m.recs.values().all(|r| !m.stale(r, t)),
                        "full prune left idle records"
                    );
                }
            }
            Op::Take { node, n } => {
                let node = u32::from(node);
                let mut out = vec![Candidate::default(); n as usize];
                if node >= p.nr_nodes {
                    assert_eq!(s.take_hottest(node, m.now as u64, &mut out), 0);
                } else {
                    let t = m.advance();
                    let got = s.take_hottest(node, m.now as u64, &mut out);
                    sync_pruned(&mut m, &snapshot(&s), t, None);
                    // The popped records were members before the pop.
                    for c in &out[..got] {
                        m.recs.get_mut(&c.pfn).expect("taken pfn tracked").in_heap = true;
                    }
                    let mut keys: Vec<(u8, u128)> =
                        m.heap_members(node).iter().map(|(_, r)| m.key(r)).collect();
                    keys.sort_by(|a, b| b.cmp(a));
                    assert_eq!(got, (n as usize).min(keys.len()));
                    for (i, c) in out[..got].iter().enumerate() {
                        let r = m.recs.get_mut(&c.pfn).unwrap();
                        assert_eq!((c.nid, c.freq), (r.nid, r.freq));
                        assert_eq!(
                            (r.freq, r.last >> shift),
                            keys[i],
                            "not taken hottest first"
                        );
                        r.in_heap = false;
                        r.freq = 0;
                    }
                }
            }
            Op::Drift { steps } => {
                for _ in 0..steps {
                    m.now += u128::from(horizon_j);
                    report(&mut m, &mut s, pfn_of(39), 0);
                    compare(&m, &s);
                }
            }
            Op::SetWindow { x } => {
                let w = 1 + u64::from(x) % p.window_jiffies;
                s.set_window(w).unwrap();
                m.window = u128::from(s.window_ticks());
                m.horizon = u128::from(s.horizon_ticks());
                assert_eq!(m.window, u128::from(w.div_ceil(1 << shift)));
                horizon_j = (m.horizon << shift) as u64;
            }
            Op::SetThreshold { node, th } => {
                let node = u32::from(node) % p.nr_nodes;
                s.set_threshold(node, th).unwrap();
                m.thr[node as usize] = th;
            }
        }
        compare(&m, &s);
    }
    *s.stats()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2048, ..ProptestConfig::default() })]

    #[test]
    fn shard_matches_model(p in params(), start in start(), ops in prop::collection::vec(op(), 1..300)) {
        run(p, start, ops);
    }
}

/// The random sequences do reach the interesting paths: every kind of event
/// occurs in a fixed sample of generated cases.
#[test]
fn sequences_cover_every_path() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    use std::cell::RefCell;
    let total = RefCell::new(pghot_engine::Stats::default());
    let strategy = (params(), start(), prop::collection::vec(op(), 1..160));
    let mut runner = TestRunner::deterministic();
    for _ in 0..384 {
        let (p, start, ops) = strategy.new_tree(&mut runner).unwrap().current();
        let st = run(p, start, ops);
        let mut t = total.borrow_mut();
        t.created += st.created;
        t.replaced += st.replaced;
        t.dropped += st.dropped;
        t.invalid += st.invalid;
        t.window_resets += st.window_resets;
        t.heap_inserted += st.heap_inserted;
        t.heap_full += st.heap_full;
        t.heap_evicted += st.heap_evicted;
        t.cooled += st.cooled;
        t.heap_moved += st.heap_moved;
        t.taken += st.taken;
        t.pruned += st.pruned;
        t.removed += st.removed;
        t.turned_hot += st.turned_hot;
        t.forced_sweeps += st.forced_sweeps;
        t.flushes += st.flushes;
    }
    let t = total.into_inner();
    println!("{t:#?}");
    for (name, v) in [
        ("created", t.created),
        ("replaced", t.replaced),
        ("dropped", t.dropped),
        ("invalid", t.invalid),
        ("window_resets", t.window_resets),
        ("heap_inserted", t.heap_inserted),
        ("heap_full", t.heap_full),
        ("heap_evicted", t.heap_evicted),
        ("cooled", t.cooled),
        ("heap_moved", t.heap_moved),
        ("taken", t.taken),
        ("pruned", t.pruned),
        ("removed", t.removed),
        ("turned_hot", t.turned_hot),
        ("forced_sweeps", t.forced_sweeps),
        ("flushes", t.flushes),
    ] {
        assert!(v >= 8, "{name} happened only {v} times");
    }
}
