// SPDX-License-Identifier: GPL-2.0

//! An interrupt-safe raw spinlock (`raw_spin_lock_irqsave()`), which the
//! `kernel` crate does not offer yet. Reports arrive from hard-IRQ context,
//! so every lock they take must be held with interrupts off everywhere, and
//! must be a raw spinlock: a `spinlock_t` sleeps on PREEMPT_RT, and lockdep
//! (`PROVE_RAW_LOCK_NESTING`) reports one taken in hard IRQ or under a raw
//! lock as an invalid wait context. Work under it must be short.

use kernel::bindings;
use kernel::ffi::c_ulong;
use kernel::sync::lock::{Backend, Lock};

use crate::bindings as shim;

/// A `raw_spinlock_t` taken with `raw_spin_lock_irqsave()`.
pub(crate) type SpinLockIrq<T> = Lock<T, SpinLockIrqBackend>;

/// Lock backend of [`SpinLockIrq`]: the guard keeps the saved IRQ flags.
pub(crate) struct SpinLockIrqBackend;

// SAFETY: `raw_spinlock_t` gives mutual exclusion between `lock` and `unlock`;
// `relock` uses the default, which calls `lock`, the same method.
unsafe impl Backend for SpinLockIrqBackend {
    type State = bindings::raw_spinlock_t;
    type GuardState = c_ulong;

    unsafe fn init(
        ptr: *mut Self::State,
        name: *const kernel::ffi::c_char,
        key: *mut bindings::lock_class_key,
    ) {
        // SAFETY: the caller guarantees `ptr` is valid for writes and that
        // `name` and `key` stay valid forever.
        unsafe { shim::pghot_raw_spin_lock_init(ptr.cast(), name, key.cast()) }
    }

    unsafe fn lock(ptr: *mut Self::State) -> Self::GuardState {
        // SAFETY: the caller guarantees `ptr` is an initialised raw spinlock.
        unsafe { shim::pghot_spin_lock_irqsave(ptr.cast()) }
    }

    unsafe fn try_lock(ptr: *mut Self::State) -> Option<Self::GuardState> {
        let mut flags: c_ulong = 0;
        // SAFETY: the caller guarantees `ptr` is an initialised spinlock;
        // `flags` is valid for writes.
        let taken = unsafe { shim::pghot_spin_trylock_irqsave(ptr.cast(), &mut flags) };
        taken.then_some(flags)
    }

    unsafe fn unlock(ptr: *mut Self::State, flags: &Self::GuardState) {
        // SAFETY: the caller owns the lock, and `flags` came from `lock`.
        unsafe { shim::pghot_spin_unlock_irqrestore(ptr.cast(), *flags) }
    }

    unsafe fn assert_is_held(ptr: *mut Self::State) {
        // SAFETY: the caller guarantees `ptr` is an initialised spinlock.
        unsafe { shim::pghot_spin_assert_held(ptr.cast()) }
    }
}
