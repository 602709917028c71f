// SPDX-License-Identifier: GPL-2.0

//! KUnit suite of `rust/sampler.rs` (a child module of it, built only with
//! `PGHOT_KUNIT=y`): samples pushed into a ring as the NMI handler does,
//! then drained as the irq_work does, yield the PFNs of the memory loads in
//! order and a tally of the rest by reason, a full ring's losses included.
//! The test's ring is its own; nothing reaches the live store.

use kernel::prelude::*;

#[kunit_tests(pghot_sampler)]
mod tests {
    use crate::bindings::{
        perf_mem::*,
        Sample,
        Sampler, //
    };
    use crate::ring::{
        Ring,
        RING_LEN, //
    };
    use crate::sampler::{
        drain_ring,
        Tally, //
    };
    use kernel::prelude::*;

    fn sample(op: u32, lvlnum: u32, phys: u64) -> Sample {
        Sample {
            phys_addr: phys,
            data_src: (u64::from(op) << OP_SHIFT) | (u64::from(lvlnum) << LVLNUM_SHIFT),
            sampler: Sampler::IbsOp as u32,
        }
    }

    #[test]
    fn drain_reports_memory_loads_and_tallies_the_rest() {
        let r = KBox::new(Ring::<Sample>::new(), GFP_KERNEL).unwrap();
        let dram = |pfn: u64| sample(PERF_MEM_OP_LOAD, PERF_MEM_LVLNUM_RAM, pfn << 12);
        assert!(r.push(dram(0x100)));
        assert!(r.push(sample(PERF_MEM_OP_STORE, PERF_MEM_LVLNUM_RAM, 0x5000)));
        assert!(r.push(sample(PERF_MEM_OP_LOAD, PERF_MEM_LVLNUM_L3, 0x6000)));
        assert!(r.push(sample(PERF_MEM_OP_LOAD, PERF_MEM_LVLNUM_CXL, 0x200 << 12)));
        assert!(r.push(dram(0)));
        assert!(r.push(dram(0x300)));
        let mut pfns = KVec::new();
        let mut failed = false;
        let t = drain_ring(&r, |pfn| failed |= pfns.push(pfn, GFP_KERNEL).is_err());
        assert!(!failed);
        assert_eq!(&pfns[..], &[0x100, 0x200, 0x300]);
        assert_eq!(
            t,
            Tally {
                samples: 6,
                kept: 3,
                no_phys: 1,
                not_load: 1,
                not_memory: 1,
                ring_full: 0,
            }
        );
    }

    #[test]
    fn samples_lost_to_a_full_ring_are_counted() {
        let r = KBox::new(Ring::<Sample>::new(), GFP_KERNEL).unwrap();
        let s = sample(PERF_MEM_OP_LOAD, PERF_MEM_LVLNUM_RAM, 0x7000);
        for _ in 0..RING_LEN + 5 {
            r.push(s);
        }
        let mut kept = 0;
        let t = drain_ring(&r, |_| kept += 1);
        assert_eq!(kept, RING_LEN);
        assert_eq!(t.samples as usize, RING_LEN + 5);
        assert_eq!(t.kept as usize, RING_LEN);
        assert_eq!(t.ring_full, 5);
        // The next drain starts from zero.
        assert_eq!(drain_ring(&r, |_| {}), Tally::default());
    }
}
