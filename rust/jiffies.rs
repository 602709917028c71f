// SPDX-License-Identifier: GPL-2.0

//! The kernel's clock as pghot uses it: jiffies, `HZ`, and conversion from
//! the milliseconds of the knobs.

use kernel::sync::atomic::{
    Atomic,
    Relaxed, //
};

use crate::bindings;

/// The current jiffies.
#[inline]
pub(crate) fn now() -> u64 {
    // SAFETY: reads the `jiffies` variable, always valid.
    unsafe { bindings::pghot_jiffies() as u64 }
}

/// Timer ticks per second.
#[inline]
pub(crate) fn hz() -> u32 {
    // `HZ` is a compile-time constant of the kernel, so one call suffices.
    static HZ: Atomic<u32> = Atomic::new(0);
    let hz = HZ.load(Relaxed);
    if hz != 0 {
        return hz;
    }
    // SAFETY: returns the compile-time constant `HZ`.
    let hz = unsafe { bindings::pghot_hz() };
    HZ.store(hz, Relaxed);
    hz
}

/// `msecs` in jiffies, rounded up.
pub(crate) fn from_msecs(msecs: u64) -> u64 {
    kernel::time::msecs_to_jiffies(msecs.min(u64::from(u32::MAX)) as u32) as u64
}
