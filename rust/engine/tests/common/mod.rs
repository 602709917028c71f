//! Helpers shared by the integration tests.

// Every test crate includes this module (`mod common;`) but uses only some
// of its helpers; the others are dead code in that crate.
#![allow(dead_code)]

use pghot_engine::host::VecAlloc;
use pghot_engine::{
    Params,
    Shard, //
};

pub(crate) type TestShard = Shard<VecAlloc>;

/// Small parameters: every PFN in one bucket unless `nr_buckets` is changed.
pub(crate) fn small(pool: u32, heap: u32, threshold: u8) -> Params {
    Params {
        nr_buckets: 1,
        pool_capacity: pool,
        nr_nodes: 4,
        heap_capacity: heap,
        freq_threshold: threshold,
        window_jiffies: 100,
        prune_windows: 4,
        max_scan: pool,
    }
}

pub(crate) fn shard(p: &Params) -> TestShard {
    let s = Shard::new(p, &VecAlloc).expect("valid params");
    s.check().unwrap();
    s
}

/// PFNs that all fall in bucket `b` of `s`, `n` of them.
pub(crate) fn pfns_in_bucket(s: &TestShard, b: usize, n: usize) -> Vec<u64> {
    (0u64..).filter(|&p| s.bucket_of(p) == b).take(n).collect()
}
