// SPDX-License-Identifier: GPL-2.0

//! KUnit suite of `rust/ring.rs` (a child module of it, built only with
//! `PGHOT_KUNIT=y`): samples come out in the order they went in, a push
//! into a full ring is refused and counted once, a push that interrupts a
//! drain (an NMI during the irq_work) is kept for the next drain, and the
//! indices wrap around `u32` without losing a sample. Each test uses a ring
//! of its own, never the live module's.

use kernel::prelude::*;

#[kunit_tests(pghot_ring)]
mod tests {
    use crate::ring::{
        Ring,
        RING_LEN, //
    };
    use kernel::prelude::*;
    use kernel::sync::atomic::Relaxed;

    fn drain_all(r: &Ring<u64>) -> (KVec<u64>, u32, u32) {
        let mut out = KVec::new();
        let mut failed = false;
        let (taken, overflow) = r.drain(|x| failed |= out.push(x, GFP_KERNEL).is_err());
        assert!(!failed);
        (out, taken, overflow)
    }

    #[test]
    fn drains_in_push_order() {
        let r = KBox::new(Ring::<u64>::new(), GFP_KERNEL).unwrap();
        for x in 10..15 {
            assert!(r.push(x));
        }
        let (out, taken, overflow) = drain_all(&r);
        assert_eq!(&out[..], &[10, 11, 12, 13, 14]);
        assert_eq!((taken, overflow), (5, 0));
        let (out, taken, _) = drain_all(&r);
        assert!(out.is_empty());
        assert_eq!(taken, 0);
    }

    #[test]
    fn full_ring_refuses_and_counts() {
        let r = KBox::new(Ring::<u64>::new(), GFP_KERNEL).unwrap();
        for x in 0..RING_LEN as u64 {
            assert!(r.push(x));
        }
        assert!(!r.push(1000));
        assert!(!r.push(1001));
        let (out, taken, overflow) = drain_all(&r);
        assert_eq!(taken as usize, RING_LEN);
        assert_eq!(overflow, 2);
        assert_eq!(out[0], 0);
        assert_eq!(out[RING_LEN - 1], RING_LEN as u64 - 1);
        // The overflow count was taken by that drain, and there is room.
        assert!(r.push(7));
        let (out, taken, overflow) = drain_all(&r);
        assert_eq!(&out[..], &[7]);
        assert_eq!((taken, overflow), (1, 0));
    }

    #[test]
    fn push_during_drain_is_kept_for_the_next() {
        let r = KBox::new(Ring::<u64>::new(), GFP_KERNEL).unwrap();
        for x in 0..RING_LEN as u64 {
            assert!(r.push(x));
        }
        // An "NMI" pushes while the consumer handles each sample of a full
        // ring: the slot just freed takes it, nothing overflows.
        let mut seen = 0u64;
        let mut pushed = 0u64;
        let (taken, overflow) = r.drain(|x| {
            assert_eq!(x, seen);
            seen += 1;
            if r.push(100 + x) {
                pushed += 1;
            }
        });
        assert_eq!(taken as usize, RING_LEN);
        assert_eq!(overflow, 0);
        assert_eq!(pushed, RING_LEN as u64);
        let (out, taken, _) = drain_all(&r);
        assert_eq!(taken as usize, RING_LEN);
        assert_eq!(out[0], 100);
        assert_eq!(out[RING_LEN - 1], 100 + RING_LEN as u64 - 1);
    }

    #[test]
    fn indices_wrap_around() {
        let r = KBox::new(Ring::<u64>::new(), GFP_KERNEL).unwrap();
        let start = u32::MAX - 3;
        r.head.store(start, Relaxed);
        r.tail.store(start, Relaxed);
        for round in 0..3u64 {
            for x in 0..RING_LEN as u64 {
                assert!(r.push(round * 1000 + x));
            }
            assert!(!r.push(9999));
            let (out, taken, overflow) = drain_all(&r);
            assert_eq!(taken as usize, RING_LEN);
            assert_eq!(overflow, 1);
            assert_eq!(out[0], round * 1000);
            assert_eq!(out[RING_LEN - 1], round * 1000 + RING_LEN as u64 - 1);
        }
    }
}
