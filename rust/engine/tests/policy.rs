//! Tests of the policy pieces: rate limiter, threshold tuner, target node
//! selection, and PFN-to-shard routing.

use pghot_engine::host::VecAlloc;
use pghot_engine::{
    mb_to_pages,
    select_target,
    shard_of,
    Error,
    RateLimiter,
    ThresholdTuner,
    TunerParams, //
};
use proptest::prelude::*;

const HZ: u32 = 250;

/// The page size the tests assume (4 KiB); the kernel passes its own.
const HOST_PAGE_SHIFT: u32 = 12;

fn limiter(mb: u64) -> RateLimiter<VecAlloc> {
    RateLimiter::new(4, mb, HOST_PAGE_SHIFT, &VecAlloc).unwrap()
}

#[test]
fn rate_limit_budget_per_second() {
    assert_eq!(mb_to_pages(1, HOST_PAGE_SHIFT), 256);
    let mut rl = limiter(1); // 256 pages per second
    assert_eq!(rl.budget(), 256);
    assert_eq!(rl.admit(0, 200, 1000, HZ), 200);
    assert_eq!(rl.admit(0, 200, 1100, HZ), 56); // partial
    assert_eq!(rl.admit(0, 1, 1249, HZ), 0); // still the same second
    assert_eq!(rl.admit(1, 300, 1249, HZ), 256); // other node, own budget
    assert_eq!(rl.admit(0, 300, 1250, HZ), 256); // new window
    assert_eq!(rl.admit(9, 1, 1250, HZ), 0); // unknown node

    // Time going backwards stays in the current window.
    assert_eq!(rl.admit(0, 1, 1200, HZ), 0);
    rl.set_rate(2);
    assert_eq!(rl.admit(0, 1000, 1251, HZ), 256);
    assert!(matches!(
        RateLimiter::new(0, 1, HOST_PAGE_SHIFT, &VecAlloc),
        Err(Error::Invalid(_))
    ));
}

#[test]
fn rate_limit_follows_the_page_size() {
    // 16 KiB, 64 KiB and 1 MiB pages; larger pages round down.
    assert_eq!(mb_to_pages(1, 14), 64);
    assert_eq!(mb_to_pages(3, 16), 48);
    assert_eq!(mb_to_pages(5, 20), 5);
    assert_eq!(mb_to_pages(5, 21), 2);
    assert_eq!(mb_to_pages(5, 90), 0);
    assert_eq!(mb_to_pages(u64::MAX, 0), u64::MAX);
    let mut rl = RateLimiter::new(1, 2, 16, &VecAlloc).unwrap();
    assert_eq!(rl.budget(), 32);
    assert_eq!(rl.admit(0, 100, 0, HZ), 32);
    // A new rate keeps the page size.
    rl.set_rate(1);
    assert_eq!(rl.budget(), 16);
    assert!(matches!(
        RateLimiter::new(1, 1, 21, &VecAlloc),
        Err(Error::Invalid(_))
    ));
}

#[test]
fn rate_limit_across_jiffies_wrap() {
    let mut rl = limiter(1);
    let t = u64::MAX - 10;
    assert_eq!(rl.admit(2, 256, t, HZ), 256);
    assert_eq!(rl.admit(2, 1, t.wrapping_add(u64::from(HZ) - 1), HZ), 0);
    assert_eq!(rl.admit(2, 1, t.wrapping_add(u64::from(HZ)), HZ), 1);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Whatever the request pattern: no request gets more than it asked,
    /// no limiter window admits more than the budget, no sliding second
    /// admits more than two budgets, and a request opening a new window is
    /// served up to the budget.
    #[test]
    fn rate_limiter_never_exceeds_budget(
        mb in 0u64..4,
        start in prop_oneof![Just(0u64), any::<u64>(), (0u64..1000).prop_map(|d| u64::MAX - d)],
        reqs in prop::collection::vec((0u64..400, 0u32..2, 0u64..700), 1..200),
    ) {
        let mut rl = limiter(mb);
        let budget = rl.budget();
        let hz = u128::from(HZ);
        let mut now = u128::from(start);
        // Per node: (time, admitted) history and the model's window start.
        let mut hist: Vec<Vec<(u128, u64)>> = vec![Vec::new(); 2];
        let mut win: Vec<Option<(u128, u64)>> = vec![None; 2];
        for (dt, node, nr) in reqs {
            now += u128::from(dt);
            let got = rl.admit(node, nr, now as u64, HZ);
            prop_assert!(got <= nr);
            let n = node as usize;
            let fresh = match win[n] {
                Some((s, _)) => now - s >= hz,
                None => true,
            };
            if fresh {
                win[n] = Some((now, 0));
                prop_assert_eq!(got, nr.min(budget));
            }
            let w = win[n].as_mut().unwrap();
            w.1 += got;
            prop_assert!(w.1 <= budget, "window admitted {} > {}", w.1, budget);
            hist[n].push((now, got));
            let recent: u64 = hist[n].iter().filter(|(t, _)| now - t < hz).map(|(_, g)| g).sum();
            prop_assert!(recent <= 2 * budget);
        }
    }
}

fn tuner() -> ThresholdTuner<VecAlloc> {
    let p = TunerParams {
        period_jiffies: 1000,
        min: 2,
        max: 8,
        step: 1,
        initial: 4,
    };
    ThresholdTuner::new(2, p, &VecAlloc).unwrap()
}

#[test]
fn tuner_tightens_and_relaxes_within_bounds() {
    let mut t = tuner();
    let pps = 1000; // pages per second the rate limit admits
                    // HZ=1000, 1000-jiffy period: 1000 expected candidates.
    assert_eq!(t.adjust(0, 0, 1000, pps), None); // opens the first period
    t.count(0, 1101); // > 110%
    assert_eq!(t.adjust(0, 999, 1000, pps), None); // period not over
    assert_eq!(t.adjust(0, 1000, 1000, pps), Some(5));
    t.count(0, 1100); // exactly 110%: unchanged
    assert_eq!(t.adjust(0, 2000, 1000, pps), Some(5));
    t.count(0, 899); // < 90%
    assert_eq!(t.adjust(0, 3000, 1000, pps), Some(4));
    for i in 0..10 {
        t.count(0, 5000);
        t.adjust(0, 4000 + i * 1000, 1000, pps);
    }
    assert_eq!(t.threshold(0), 8);
    for i in 0..10 {
        t.adjust(0, 20000 + i * 1000, 1000, pps);
    }
    assert_eq!(t.threshold(0), 2);
    // The other node was never touched.
    assert_eq!(t.threshold(1), 4);
    assert_eq!(t.threshold(7), 0);
    assert_eq!(t.adjust(7, 0, 1000, pps), None);
}

#[test]
fn tuner_scales_expectation_by_elapsed_time_and_ignores_backwards_time() {
    let mut t = tuner();
    t.adjust(1, u64::MAX - 100, 100, 100);
    assert_eq!(t.adjust(1, u64::MAX - 200, 100, 100), None);
    // 3000 jiffies at HZ=100 with 100 pages/s: 3000 expected; 3000 seen.
    t.count(1, 3000);
    assert_eq!(
        t.adjust(1, (u64::MAX - 100).wrapping_add(3000), 100, 100),
        Some(4)
    );
}

#[test]
fn tuner_params_are_validated() {
    let ok = TunerParams {
        period_jiffies: 10,
        min: 1,
        max: 15,
        step: 1,
        initial: 2,
    };
    assert!(ThresholdTuner::new(1, ok, &VecAlloc).is_ok());
    for bad in [
        TunerParams {
            period_jiffies: 0,
            ..ok
        },
        TunerParams { step: 0, ..ok },
        TunerParams { min: 0, ..ok },
        TunerParams { max: 16, ..ok },
        TunerParams { initial: 0, ..ok },
        TunerParams { min: 3, ..ok },
    ] {
        assert!(ThresholdTuner::new(1, bad, &VecAlloc).is_err(), "{bad:?}");
    }
    assert!(ThresholdTuner::new(0, ok, &VecAlloc).is_err());
}

/// Distances of a 4-node box: nodes 0 and 1 have CPUs and DRAM, 2 is a
/// CPU-less DRAM node near 1, 3 is CXL memory behind node 1.
const DIST: [[u32; 4]; 4] = [
    [10, 20, 30, 40],
    [20, 10, 15, 25],
    [30, 15, 10, 25],
    [40, 25, 25, 10],
];

#[test]
fn target_selection() {
    let d = |a: u32, b: u32| DIST[a as usize][b as usize];
    let top = [0, 1, 2];
    assert_eq!(select_target(Some(1), 3, &top, d), Some(1)); // accessing node is top tier
    assert_eq!(select_target(Some(3), 3, &top, d), Some(1)); // nearest
    assert_eq!(select_target(None, 3, &top, d), Some(1)); // from the page's node
                                                          // A CPU-less top-tier node is a valid target.
    assert_eq!(select_target(Some(3), 3, &[0, 2], d), Some(2));
    // Ties go to the lowest id.
    assert_eq!(select_target(Some(3), 3, &[2, 1], |_, _| 7), Some(1));
    assert_eq!(select_target(Some(3), 3, &[], d), None);
}

proptest! {
    #[test]
    fn target_is_nearest_top_tier(
        n in 1usize..8,
        dist in prop::collection::vec(1u32..50, 64),
        top_mask in 0u32..256,
        accessing in prop::option::of(0u32..8),
        page in 0u32..8,
    ) {
        let n32 = n as u32;
        let accessing = accessing.map(|a| a % n32);
        let page = page % n32;
        let top: Vec<u32> = (0..n32).filter(|i| top_mask & (1 << i) != 0).collect();
        let d = |a: u32, b: u32| dist[(a * 8 + b) as usize];
        let got = select_target(accessing, page, &top, d);
        let from = accessing.unwrap_or(page);
        let want = if top.contains(&from) {
            Some(from)
        } else {
            top.iter().copied().min_by_key(|&t| (d(from, t), t))
        };
        prop_assert_eq!(got, want);
    }

    #[test]
    fn shard_of_is_in_range(pfn in any::<u64>(), n in 1usize..64) {
        prop_assert!(shard_of(pfn, n) < n);
    }
}
