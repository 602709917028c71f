// SPDX-License-Identifier: GPL-2.0

//! The knobs under `/sys/kernel/mm/pghot/`: strict parsing, range checks,
//! storage, and applying a new value to what it drives. A write that does
//! not parse or is out of range returns `EINVAL` and changes nothing. The C
//! shim forwards sysfs show/store here and serialises writers.

use kernel::prelude::*;
use kernel::sync::atomic::{Atomic, Relaxed};

use crate::bindings::{self, pghot_knob};
use crate::state;

/// A knob: its stored value and the range a write must fall in.
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

    /// Whether the value is non-zero (for switches).
    #[inline]
    pub(crate) fn on(&self) -> bool {
        self.get() != 0
    }

    /// Parses `input` as a sysfs write; returns the value if it is in range.
    pub(crate) fn parse(&self, input: &[u8]) -> Result<u64> {
        parse_u64(input, self.min, self.max)
    }

    /// Parses and stores `input`, without applying it to anything.
    pub(crate) fn set_from(&self, input: &[u8]) -> Result {
        let value = self.parse(input)?;
        self.value.store(value, Relaxed);
        Ok(())
    }

    fn store(&self, value: u64) {
        self.value.store(value, Relaxed);
    }

    /// The accepted range.
    pub(crate) fn range(&self) -> (u64, u64) {
        (self.min, self.max)
    }
}

/// `enabled`: 1 records accesses and runs kpromoted; 0 stops both, and the
/// kernel promotes as it would without pghot.
pub(crate) static ENABLED: Knob = Knob::new(1, 0, 1);
/// `source_<name>`: one switch per source, in `enum pghot_src` order.
pub(crate) static SOURCES: [Knob; 6] = [const { Knob::new(1, 0, 1) }; 6];
/// `freq_threshold`: accesses within a window that make a page hot, and the
/// floor of the dynamic threshold. 1 by default: a NUMA hint fault already
/// means "touched since the last scan", and scans come many seconds apart,
/// so waiting for a second one delays promotion by a whole scan period
/// (measured: 1-2 s to promote a hot set at 1, 15 s at 2). The threshold
/// rises above 1 by itself when more candidates come than the rate limit
/// admits.
pub(crate) static FREQ_THRESHOLD: Knob = Knob::new(1, 1, 15);
/// `freq_window_ms`: length of the frequency window. NUMA balancing revisits
/// a page every several seconds (6 to 15 s in the test guests), so a window
/// of 15 s lets hint faults from consecutive scans count together once the
/// threshold is above 1.
pub(crate) static FREQ_WINDOW_MS: Knob = Knob::new(15_000, 10, 60_000);
/// `promote_rate_limit_MBps`: promotion budget per target node.
pub(crate) static PROMOTE_RATE_LIMIT_MBPS: Knob = Knob::new(65536, 1, 1 << 20);
/// `kpromoted_sleep_ms`: kpromoted's period when nothing wakes it.
pub(crate) static KPROMOTED_SLEEP_MS: Knob = Knob::new(50, 1, 60_000);
/// `kpromoted_batch_nr`: most pages migrated in one batch.
pub(crate) static KPROMOTED_BATCH_NR: Knob = Knob::new(512, 1, MAX_BATCH as u64);
/// `pool_size`: records per shard times shards; read-only, set at load.
pub(crate) static POOL_SIZE: Knob = Knob::new(0, 0, 0);

/// Largest `kpromoted_batch_nr`; kpromoted's buffers are this big.
pub(crate) const MAX_BATCH: usize = 4096;

fn knob(id: pghot_knob) -> Option<&'static Knob> {
    let first_source = bindings::PGHOT_KNOB_SOURCE_HINT_FAULT;
    Some(match id {
        bindings::PGHOT_KNOB_ENABLED => &ENABLED,
        bindings::PGHOT_KNOB_SOURCE_HINT_FAULT..=bindings::PGHOT_KNOB_SOURCE_USER => {
            &SOURCES[(id - first_source) as usize]
        }
        bindings::PGHOT_KNOB_FREQ_THRESHOLD => &FREQ_THRESHOLD,
        bindings::PGHOT_KNOB_FREQ_WINDOW_MS => &FREQ_WINDOW_MS,
        bindings::PGHOT_KNOB_PROMOTE_RATE_LIMIT_MBPS => &PROMOTE_RATE_LIMIT_MBPS,
        bindings::PGHOT_KNOB_KPROMOTED_SLEEP_MS => &KPROMOTED_SLEEP_MS,
        bindings::PGHOT_KNOB_KPROMOTED_BATCH_NR => &KPROMOTED_BATCH_NR,
        bindings::PGHOT_KNOB_POOL_SIZE => &POOL_SIZE,
        _ => return None,
    })
}

// Every knob the C side lists has a definition here, and the per-source
// switches line up with `enum pghot_src`.
const _: () = assert!(bindings::PGHOT_KNOB_NR == 13);
const _: () = assert!(
    bindings::PGHOT_KNOB_SOURCE_USER - bindings::PGHOT_KNOB_SOURCE_HINT_FAULT + 1
        == bindings::PGHOT_SRC_NR
);

/// Sets the stored value of a knob (module init: `pool_size`).
pub(crate) fn init_value(k: &Knob, value: u64) {
    k.store(value);
}

/// Parses `input` for knob `id`, applies it to what the knob drives, and
/// stores it only if that worked.
fn write(id: pghot_knob, k: &'static Knob, input: &[u8]) -> Result {
    if id == bindings::PGHOT_KNOB_POOL_SIZE {
        return Err(EINVAL);
    }
    let value = k.parse(input)?;
    let old = k.get();
    k.store(value);
    if let Err(e) = state::apply(id, value) {
        // Put back the old value and what it drives (e.g. threads that a
        // failed `enabled` write started).
        k.store(old);
        let _ = state::apply(id, old);
        return Err(e);
    }
    Ok(())
}

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

/// Size of the buffer sysfs hands to show: `PAGE_SIZE`, 4096 on x86_64,
/// the only architecture pghot builds for so far.
const SYSFS_BUF: usize = 4096;

/// The sysfs show buffer at `buf` as a slice.
///
/// # Safety
///
/// `buf` must be a sysfs show buffer (`PAGE_SIZE` writable bytes) that
/// nothing else uses while the slice lives.
pub(crate) unsafe fn sysfs_buf<'a>(buf: *mut u8) -> &'a mut [u8] {
    // SAFETY: the caller guarantees `buf` is valid for SYSFS_BUF bytes and
    // not aliased.
    unsafe { core::slice::from_raw_parts_mut(buf, SYSFS_BUF) }
}

/// sysfs show for knob `id`.
///
/// # Safety
///
/// `buf` must be a sysfs show buffer of `PAGE_SIZE` bytes.
#[no_mangle]
pub(crate) unsafe extern "C" fn pghot_knob_show(id: pghot_knob, buf: *mut u8) -> isize {
    let Some(k) = knob(id) else {
        return EINVAL.to_errno() as isize;
    };
    // SAFETY: the caller guarantees `buf` is a PAGE_SIZE sysfs buffer.
    let out = unsafe { sysfs_buf(buf) };
    format_u64(k.get(), out) as isize
}

/// sysfs store for knob `id`. Writers are serialised by the caller.
///
/// # Safety
///
/// `buf` must be valid for reads of `count` bytes.
#[no_mangle]
pub(crate) unsafe extern "C" fn pghot_knob_store(
    id: pghot_knob,
    buf: *const u8,
    count: usize,
) -> isize {
    let Some(k) = knob(id) else {
        return EINVAL.to_errno() as isize;
    };
    // SAFETY: the caller guarantees `buf` holds `count` readable bytes.
    let input = unsafe { core::slice::from_raw_parts(buf, count) };
    match write(id, k, input) {
        Ok(()) => count as isize,
        Err(e) => e.to_errno() as isize,
    }
}
