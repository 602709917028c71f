// SPDX-License-Identifier: GPL-2.0

//! KUnit suite of `rust/sample.rs` (a child module of it, built only with
//! `PGHOT_KUNIT=y`): samples encoded as the kernel's IBS and PEBS drivers
//! fill `union perf_mem_data_src` (the tables of
//! `arch/x86/events/amd/ibs.c` and `arch/x86/events/intel/ds.c`, built
//! here from the uapi constants and shifts) are kept when they are loads
//! served by DRAM, CXL or PMEM at a known physical address, and dropped
//! with the right reason otherwise.

use kernel::prelude::*;

#[kunit_tests(pghot_sample)]
mod tests {
    use crate::bindings::{
        perf_mem::*,
        Sample,
        Sampler, //
    };
    use crate::sample::{
        judge,
        Dropped, //
    };

    /// PERF_MEM_S(OP, x) and friends.
    fn op(x: u32) -> u64 {
        u64::from(x) << OP_SHIFT
    }
    fn lvl(x: u32) -> u64 {
        u64::from(x) << LVL_SHIFT
    }
    fn lvlnum(x: u32) -> u64 {
        u64::from(x) << LVLNUM_SHIFT
    }
    fn remote() -> u64 {
        u64::from(PERF_MEM_REMOTE_REMOTE) << PERF_MEM_REMOTE_SHIFT
    }
    fn snoop(x: u32) -> u64 {
        u64::from(x) << PERF_MEM_SNOOP_SHIFT
    }

    /// `PERF_MEM_NA`: what a sample carries when the PMU set no source.
    fn mem_na() -> u64 {
        op(PERF_MEM_OP_NA)
            | lvl(PERF_MEM_LVL_NA)
            | snoop(PERF_MEM_SNOOP_NA)
            | (u64::from(PERF_MEM_LOCK_NA) << PERF_MEM_LOCK_SHIFT)
            | (u64::from(PERF_MEM_TLB_NA) << PERF_MEM_TLB_SHIFT)
    }

    /// An IBS sample of a load from `src` at `phys`: perf_ibs_get_mem_op()
    /// sets the op, the level table the rest; the op bits of PERF_MEM_NA
    /// are replaced, the others stay.
    fn ibs_load(src: u64, phys: u64) -> Sample {
        let na_rest = mem_na() & !op(0x1f) & !lvl(0x3fff);
        Sample {
            phys_addr: phys,
            data_src: na_rest | op(PERF_MEM_OP_LOAD) | src,
            sampler: Sampler::IbsOp as u32,
        }
    }

    /// A PEBS load sample: OP_LH (load, level hit) and the table's value.
    fn pebs_load(src: u64, phys: u64) -> Sample {
        Sample {
            phys_addr: phys,
            data_src: op(PERF_MEM_OP_LOAD) | lvl(PERF_MEM_LVL_HIT) | src,
            sampler: Sampler::PebsLoads as u32,
        }
    }

    const PHYS: u64 = 0x1_2345_6789;
    const PFN: u64 = PHYS >> kernel::page::PAGE_SHIFT;

    #[test]
    fn ibs_memory_loads_are_kept() {
        // g_zen4_data_src: local DRAM, CXL (extension memory), PMEM.
        let dram = lvl(PERF_MEM_LVL_LOC_RAM) | lvlnum(PERF_MEM_LVLNUM_RAM);
        let remote_dram = lvl(PERF_MEM_LVL_REM_RAM1)
            | lvlnum(PERF_MEM_LVLNUM_RAM)
            | remote()
            | (u64::from(PERF_MEM_HOPS_0) << PERF_MEM_HOPS_SHIFT);
        for src in [
            dram,
            remote_dram,
            lvlnum(PERF_MEM_LVLNUM_CXL),
            lvlnum(PERF_MEM_LVLNUM_PMEM),
        ] {
            assert_eq!(judge(&ibs_load(src, PHYS)), Ok(PFN));
        }
        // g_data_src, before Zen 4: the level number is RAM too.
        assert_eq!(judge(&ibs_load(dram, 0x1000)), Ok(1));
    }

    #[test]
    fn ibs_cache_and_io_hits_are_dropped() {
        let l3 = lvl(PERF_MEM_LVL_L3) | lvlnum(PERF_MEM_LVLNUM_L3);
        let near_ccx = lvl(PERF_MEM_LVL_REM_CCE1) | lvlnum(PERF_MEM_LVLNUM_ANY_CACHE) | remote();
        let io = lvl(PERF_MEM_LVL_IO) | lvlnum(PERF_MEM_LVLNUM_IO);
        for src in [l3, near_ccx, io] {
            assert_eq!(judge(&ibs_load(src, PHYS)), Err(Dropped::NotMemory));
        }
        // A load whose source IBS did not report (no level at all).
        let unknown = Sample {
            data_src: op(PERF_MEM_OP_LOAD) | lvlnum(PERF_MEM_LVLNUM_NA),
            ..ibs_load(0, PHYS)
        };
        assert_eq!(judge(&unknown), Err(Dropped::NotMemory));
    }

    #[test]
    fn non_loads_are_dropped() {
        let dram = lvl(PERF_MEM_LVL_LOC_RAM) | lvlnum(PERF_MEM_LVLNUM_RAM);
        // IBS tags stores and ops that are no memory access at all.
        let store = Sample {
            data_src: op(PERF_MEM_OP_STORE) | dram,
            ..ibs_load(0, PHYS)
        };
        let prefetch = Sample {
            data_src: op(PERF_MEM_OP_PFETCH) | dram,
            ..ibs_load(0, PHYS)
        };
        let unset = Sample {
            data_src: mem_na(),
            ..ibs_load(0, PHYS)
        };
        for s in [store, prefetch, unset] {
            assert_eq!(judge(&s), Err(Dropped::NotLoad));
        }
    }

    #[test]
    fn loads_without_physical_address_are_dropped() {
        let dram = lvl(PERF_MEM_LVL_LOC_RAM) | lvlnum(PERF_MEM_LVLNUM_RAM);
        assert_eq!(judge(&ibs_load(dram, 0)), Err(Dropped::NoPhys));
        assert_eq!(judge(&pebs_load(dram, 0)), Err(Dropped::NoPhys));
    }

    #[test]
    fn pebs_memory_loads_are_kept() {
        // pebs_data_source[0x0c]: L3 miss, local DRAM (with a level number).
        let local =
            lvl(PERF_MEM_LVL_LOC_RAM) | lvlnum(PERF_MEM_LVLNUM_RAM) | snoop(PERF_MEM_SNOOP_NONE);
        // Remote DRAM of the newer tables: only the level number and REM.
        let remote_dram = lvlnum(PERF_MEM_LVLNUM_RAM) | remote() | snoop(PERF_MEM_SNOOP_NONE);
        // Older tables set no level number: the LVL bits decide.
        let old_local = lvl(PERF_MEM_LVL_LOC_RAM) | snoop(PERF_MEM_SNOOP_HIT);
        let old_remote = lvl(PERF_MEM_LVL_REM_RAM1) | remote() | snoop(PERF_MEM_SNOOP_HIT);
        // Intel's CXL-attached memory level.
        let cxl = lvlnum(PERF_MEM_LVLNUM_CXL);
        for src in [local, remote_dram, old_local, old_remote, cxl] {
            assert_eq!(judge(&pebs_load(src, PHYS)), Ok(PFN));
        }
    }

    #[test]
    fn pebs_cache_hits_are_dropped() {
        let l1 = lvl(PERF_MEM_LVL_L1) | lvlnum(PERF_MEM_LVLNUM_L1);
        let l3 = lvl(PERF_MEM_LVL_L3) | lvlnum(PERF_MEM_LVLNUM_L3) | snoop(PERF_MEM_SNOOP_HIT);
        // pebs_data_source[0x0b] on older parts: REM_RAM1 in the old bits,
        // but the level number says L3, and the level number wins.
        let l3_rem = lvl(PERF_MEM_LVL_REM_RAM1) | remote() | lvlnum(PERF_MEM_LVLNUM_L3);
        for src in [l1, l3, l3_rem] {
            assert_eq!(judge(&pebs_load(src, PHYS)), Err(Dropped::NotMemory));
        }
    }
}
