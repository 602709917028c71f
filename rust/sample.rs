// SPDX-License-Identifier: GPL-2.0

//! Which hardware samples are accesses pghot should count: loads served
//! from memory (local or remote DRAM, CXL, persistent memory) at a known
//! physical address. Cache hits are not evidence that the slow tier is hot,
//! stores are not what the samplers were asked for, and a sample without
//! a physical address names no page.
//!
//! A sample's source is described by `union perf_mem_data_src` of
//! `include/uapi/linux/perf_event.h`, as the IBS and PEBS drivers fill it;
//! the constants come from that header through bindgen.

use crate::bindings::{
    perf_mem,
    Sample, //
};

/// Why a sample was not taken as an access.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Dropped {
    /// No physical address (the PMU could not translate it, or the page
    /// was not mapped when the handler looked).
    NoPhys,
    /// Not a load: a store, a prefetch, or an operation of unknown kind.
    NotLoad,
    /// A load served by a cache, I/O, or an unknown level.
    NotMemory,
    /// The CPU's ring was full when the sample came.
    RingFull,
}

/// A field of `perf_mem_data_src`: `width` bits at `shift`.
fn field(data_src: u64, shift: u32, width: u32) -> u64 {
    (data_src >> shift) & ((1 << width) - 1)
}

/// Whether `data_src` says the access was served by memory. The newer
/// level number field decides when it is set; older encodings (older Intel
/// tables, AMD before Zen 4) only set the memory level bits.
pub(crate) fn from_memory(data_src: u64) -> bool {
    let lvl_num = field(data_src, perf_mem::LVLNUM_SHIFT, 4);
    match lvl_num {
        perf_mem::LVLNUM_RAM | perf_mem::LVLNUM_PMEM | perf_mem::LVLNUM_CXL => true,
        0 | perf_mem::LVLNUM_NA => {
            let lvl = field(data_src, perf_mem::LVL_SHIFT, 14);
            lvl & (perf_mem::LVL_LOC_RAM | perf_mem::LVL_REM_RAM1 | perf_mem::LVL_REM_RAM2) != 0
        }
        _ => false,
    }
}

/// The PFN `sample` is an access to, or why it is not one.
pub(crate) fn judge(sample: &Sample) -> Result<u64, Dropped> {
    let op = field(sample.data_src, perf_mem::OP_SHIFT, 5);
    if op & perf_mem::OP_LOAD == 0 {
        return Err(Dropped::NotLoad);
    }
    if !from_memory(sample.data_src) {
        return Err(Dropped::NotMemory);
    }
    if sample.phys_addr == 0 {
        return Err(Dropped::NoPhys);
    }
    Ok(sample.phys_addr >> kernel::page::PAGE_SHIFT)
}

#[cfg(pghot_kunit)]
#[path = "../kunit/sample.rs"]
mod kunit;
