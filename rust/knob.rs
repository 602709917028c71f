// SPDX-License-Identifier: GPL-2.0

//! The knobs under `/sys/kernel/mm/pghot/`: strict parsing, range checks and
//! storage. A write that does not parse or is out of range returns `EINVAL`
//! and changes nothing. The C shim only forwards sysfs show/store here.

use kernel::prelude::*;
use kernel::sync::atomic::{Atomic, Relaxed};

use crate::bindings::{self, pghot_knob};

/// A writable knob: its stored value and the range a write must fall in.
pub(crate) struct Knob {
    value: Atomic<u64>,
    min: u64,
    max: u64,
}

impl Knob {
    const fn new(default: u64, min: u64, max: u64) -> Self {
        Knob {
            value: Atomic::new(default),
            min,
            max,
        }
    }

    /// The current value.
    #[inline]
    pub(crate) fn get(&self) -> u64 {
        self.value.load(Relaxed)
    }

    /// Parses `input` as a sysfs write and stores it if it is in range.
    pub(crate) fn set_from(&self, input: &[u8]) -> Result {
        let value = parse_u64(input, self.min, self.max)?;
        self.value.store(value, Relaxed);
        Ok(())
    }
}

/// `enabled`: 1 records accesses, 0 ignores them (sources stay attached).
pub(crate) static ENABLED: Knob = Knob::new(1, 0, 1);

fn knob(id: pghot_knob) -> Option<&'static Knob> {
    match id {
        bindings::PGHOT_KNOB_ENABLED => Some(&ENABLED),
        _ => None,
    }
}

// Every knob the C side lists must have a definition here.
const _: () = assert!(bindings::PGHOT_KNOB_NR == 1);

/// Longest write accepted: 20 digits for a u64 and one newline.
const MAX_INPUT: usize = 21;

/// Parses a decimal u64 in `min..=max`, written as sysfs writes arrive: only
/// ASCII digits, one optional trailing newline, no sign, no spaces.
pub(crate) fn parse_u64(input: &[u8], min: u64, max: u64) -> Result<u64> {
    let digits = input.strip_suffix(b"\n").unwrap_or(input);
    if digits.is_empty() || input.len() > MAX_INPUT {
        return Err(EINVAL);
    }
    let mut value: u64 = 0;
    for &c in digits {
        if !c.is_ascii_digit() {
            return Err(EINVAL);
        }
        value = value
            .checked_mul(10)
            .and_then(|v| v.checked_add(u64::from(c - b'0')))
            .ok_or(EINVAL)?;
    }
    if value < min || value > max {
        return Err(EINVAL);
    }
    Ok(value)
}

/// Writes `value` and a newline in decimal into `out`; returns the length.
pub(crate) fn format_u64(value: u64, out: &mut [u8]) -> usize {
    let mut digits = [0u8; 20];
    let mut n = 0;
    let mut v = value;
    loop {
        digits[n] = b'0' + (v % 10) as u8;
        n += 1;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    let len = n + 1;
    if out.len() < len {
        return 0;
    }
    for (i, d) in digits[..n].iter().rev().enumerate() {
        out[i] = *d;
    }
    out[n] = b'\n';
    len
}

/// Size of the buffer sysfs hands to show and store.
const SYSFS_BUF: usize = 4096;

/// sysfs show for knob `id`.
///
/// # Safety
///
/// `buf` must be a sysfs show buffer of `PAGE_SIZE` bytes.
#[no_mangle]
pub unsafe extern "C" fn pghot_knob_show(id: pghot_knob, buf: *mut u8) -> isize {
    let Some(k) = knob(id) else {
        return EINVAL.to_errno() as isize;
    };
    // SAFETY: the caller guarantees `buf` is writable for PAGE_SIZE (4096 on
    // every architecture pghot builds for, and never smaller) bytes.
    let out = unsafe { core::slice::from_raw_parts_mut(buf, SYSFS_BUF) };
    format_u64(k.get(), out) as isize
}

/// sysfs store for knob `id`.
///
/// # Safety
///
/// `buf` must be valid for reads of `count` bytes.
#[no_mangle]
pub unsafe extern "C" fn pghot_knob_store(id: pghot_knob, buf: *const u8, count: usize) -> isize {
    let Some(k) = knob(id) else {
        return EINVAL.to_errno() as isize;
    };
    // SAFETY: the caller guarantees `buf` holds `count` readable bytes.
    let input = unsafe { core::slice::from_raw_parts(buf, count) };
    match k.set_from(input) {
        Ok(()) => count as isize,
        Err(e) => e.to_errno() as isize,
    }
}
