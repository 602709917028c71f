// SPDX-License-Identifier: GPL-2.0

//! KUnit suite of `rust/hotness.rs` (a child module of it, built only with
//! `PGHOT_KUNIT=y`): the hotness engine inside the kernel, on memory from
//! the kernel allocator, behind the interrupt-safe shard locks. Every test
//! builds its own shard or store; none touches the live one.

use kernel::prelude::*;

#[kunit_tests(pghot_hotness)]
mod tests {
    use crate::engine::{
        Candidate,
        Params,
        Shard, //
    };
    use crate::hotness::{
        self,
        KernelAlloc,
        Store, //
    };

    /// Ticks per second of the test clock.
    const HZ: u32 = 250;

    fn store_params() -> Params {
        hotness::params(128, 2, HZ, 2, 60 * u64::from(HZ)).expect("params")
    }

    fn small_params() -> Params {
        let mut p = Params::with_capacity(256, 4, 250);
        p.freq_threshold = 2;
        p.window_jiffies = 250;
        p
    }

    #[test]
    fn shard_on_kernel_memory_turns_hot_and_hands_out() {
        let mut shard = Shard::new(&small_params(), &KernelAlloc).expect("shard");
        let now = 1000;
        for pfn in 0..100u64 {
            shard.record_access(pfn, 1, now);
        }
        // A second access within the window makes the first ten hot.
        for pfn in 0..10u64 {
            let o = shard.record_access(pfn, 1, now + 1);
            assert!(o.entered_heap);
        }
        assert_eq!(shard.len(), 100);
        assert_eq!(shard.heap_len(1), 10);
        let mut out = [Candidate::default(); 32];
        let n = shard.take_hottest(1, now + 2, &mut out);
        assert_eq!(n, 10);
        assert!(out[..n]
            .iter()
            .all(|c| c.pfn < 10 && c.nid == 1 && c.freq >= 2));
        assert_eq!(shard.heap_len(1), 0);
        assert_eq!(shard.check(), Ok(()));
    }

    #[test]
    fn pool_never_exceeds_capacity() {
        let mut shard = Shard::new(&small_params(), &KernelAlloc).expect("shard");
        for pfn in 0..10_000u64 {
            shard.record_access(pfn * 7919, 0, 5000);
        }
        assert!(shard.len() <= shard.capacity());
        let st = shard.stats();
        assert_eq!(st.created + st.replaced + st.dropped, 10_000);
        assert_eq!(shard.check(), Ok(()));
    }

    #[test]
    fn sharded_store_takes_from_every_shard() {
        let store =
            Store::new(&store_params(), 65536, hotness::tuner_params(2, HZ)).expect("store");
        store.set_window(250).expect("window");
        for pfn in 0..64u64 {
            store.record(pfn, 0, 100);
            store.record(pfn, 0, 101);
        }
        let mut out = [Candidate::default(); 64];
        let n = store.take_hottest(0, 102, &mut out);
        assert_eq!(n, 64);
        let mut seen = [false; 64];
        for c in &out[..n] {
            assert!(!seen[c.pfn as usize]);
            seen[c.pfn as usize] = true;
        }
        for pfn in 0..64u64 {
            store.remove(pfn);
        }
        assert_eq!(store.stats().1, 0);
    }

    #[test]
    fn rate_limit_caps_each_second() {
        // 1 MB/s: 256 pages of 4 KiB per second and node.
        let store = Store::new(&store_params(), 1, hotness::tuner_params(2, HZ)).expect("store");
        let mut policy = store.policy.lock();
        let first = policy.limiter.admit(0, 1000, 10_000, 250);
        let more = policy.limiter.admit(0, 1000, 10_100, 250);
        assert_eq!(first, 256);
        assert_eq!(more, 0);
        let next = policy.limiter.admit(0, 1000, 10_000 + 251, 250);
        assert_eq!(next, 256);
    }

    /// Records an access to one of 64 PFNs into the `Store` at `ctx`.
    extern "C" fn report_into(ctx: *mut kernel::ffi::c_void, i: u32) {
        // SAFETY: the test passes a pointer to its own `Store`, which lives
        // until the C helper that calls this returns.
        let store = unsafe { &*ctx.cast::<Store>() };
        let _ = store.record(1000 + u64::from(i % 64), 0, 500 + u64::from(i / 64));
    }

    /// The report path from a hard interrupt and under a raw spinlock: the
    /// shard locks must be raw spinlocks (lockdep with
    /// `PROVE_RAW_LOCK_NESTING` reports a `spinlock_t` there as an invalid
    /// wait context, which fails the run), and the worst time of one report
    /// with interrupts off is logged.
    #[test]
    fn reports_from_hard_irq_and_under_a_raw_lock() {
        use crate::bindings::{
            self,
            IrqResult, //
        };

        let store =
            Store::new(&store_params(), 65536, hotness::tuner_params(2, HZ)).expect("store");
        let ctx = core::ptr::from_ref::<Store>(&store)
            .cast_mut()
            .cast::<kernel::ffi::c_void>();
        let mut hard = IrqResult::default();
        // SAFETY: `report_into` only reads `ctx` as the `Store` above, which
        // outlives the call; `hard` is valid for a write.
        let err =
            unsafe { bindings::pghot_kunit_in_hardirq(Some(report_into), ctx, 256, &mut hard) };
        assert_eq!(err, 0);
        assert!(hard.hardirq);
        let mut raw = IrqResult::default();
        // SAFETY: as above; `raw` is valid for a write.
        unsafe { bindings::pghot_kunit_under_raw_lock(Some(report_into), ctx, 256, &mut raw) };
        let (stats, len) = store.stats();
        assert_eq!(len, 64);
        assert_eq!(stats.created, 64);
        kernel::pr_info!(
            "report path, interrupts off: worst {} ns in hard IRQ, {} ns under a raw lock (256 reports each)\n",
            hard.max_ns,
            raw.max_ns
        );
    }
}
