// SPDX-License-Identifier: GPL-2.0

//! The live store, reachable from C callbacks (report path, kpromoted,
//! sysfs, hotplug).
//!
//! The store is published before any source or thread can run and
//! unpublished only after every source is unregistered, every kpromoted has
//! stopped and the sysfs files are gone, so a callback that finds it may use
//! it for the whole call.

use kernel::sync::atomic::{
    Acquire,
    Atomic,
    Release, //
};

use crate::hotness::Store;

static STORE: Atomic<*mut Store> = Atomic::new(core::ptr::null_mut());

/// The published store, if the module is live.
#[inline]
pub(crate) fn store() -> Option<&'static Store> {
    // Acquire pairs with the Release of `publish`: a caller that sees the
    // pointer sees the store fully built.
    let p = STORE.load(Acquire);
    // SAFETY: a non-null pointer was published by `publish` from a pinned
    // box that is only freed after `unpublish`, which runs once nothing can
    // call in any more (see the module comment).
    unsafe { p.as_ref() }
}

/// Makes `store` reachable from callbacks.
pub(crate) fn publish(store: &Store) {
    STORE.store(core::ptr::from_ref(store).cast_mut(), Release);
}

/// Makes the store unreachable; call only once no callback can run.
pub(crate) fn unpublish() {
    STORE.store(core::ptr::null_mut(), Release);
}
