// SPDX-License-Identifier: GPL-2.0

//! A device register block mapped by the C shim (`cxl.c`), accessed
//! through `chmu_regs::Regs`. Every access is checked against the block's
//! length here too, so that no value a device reports can make the module
//! touch memory outside the mapping.

use kernel::ffi::{
    c_ulong,
    c_void, //
};

use crate::bindings;
use crate::chmu_regs::Regs;

/// `len` bytes of registers at `base`.
pub(crate) struct Mmio {
    base: *mut c_void,
    len: usize,
}

// SAFETY: MMIO through readq()/writeq() may be done from any thread; the
// mapping is not tied to the thread that made it.
unsafe impl Send for Mmio {}

impl Mmio {
    /// # Safety
    ///
    /// `base` must map `len` bytes of device registers and stay mapped for
    /// as long as the result lives.
    pub(crate) unsafe fn new(base: *mut c_void, len: u64) -> Self {
        Mmio {
            base,
            len: usize::try_from(len).unwrap_or(0),
        }
    }

    fn inside(&self, off: usize, size: usize) -> bool {
        off % size == 0 && off.checked_add(size).is_some_and(|end| end <= self.len)
    }
}

impl Regs for Mmio {
    fn len(&self) -> usize {
        self.len
    }

    fn read64(&self, off: usize) -> u64 {
        if !self.inside(off, 8) {
            return u64::MAX;
        }
        // SAFETY: `off..off + 8` is an aligned register inside the mapping,
        // which `new`'s caller keeps mapped while `self` lives.
        unsafe { bindings::pghot_mmio_read64(self.base, off as c_ulong) }
    }

    fn write64(&mut self, off: usize, val: u64) {
        if self.inside(off, 8) {
            // SAFETY: as in `read64`.
            unsafe { bindings::pghot_mmio_write64(self.base, off as c_ulong, val) }
        }
    }

    fn read32(&self, off: usize) -> u32 {
        if !self.inside(off, 4) {
            return u32::MAX;
        }
        // SAFETY: as in `read64`, for 4 bytes.
        unsafe { bindings::pghot_mmio_read32(self.base, off as c_ulong) }
    }

    fn read16(&self, off: usize) -> u16 {
        if !self.inside(off, 2) {
            return u16::MAX;
        }
        // SAFETY: as in `read64`, for 2 bytes.
        unsafe { bindings::pghot_mmio_read16(self.base, off as c_ulong) }
    }

    fn write16(&mut self, off: usize, val: u16) {
        if self.inside(off, 2) {
            // SAFETY: as in `read64`, for 2 bytes.
            unsafe { bindings::pghot_mmio_write16(self.base, off as c_ulong, val) }
        }
    }

    fn relax(&self) {
        // SAFETY: a 10 us busy wait, valid in any context.
        unsafe { bindings::pghot_mmio_relax() }
    }
}
