//! Caller-supplied storage: the one trait through which the engine allocates.
//!
//! The engine never allocates by itself. Every table is obtained once, at
//! construction, from an [`Alloc`] chosen by the caller: `KVec` in the kernel,
//! `Vec` on the host. Nothing is allocated or freed after construction, so
//! the report path cannot fail for lack of memory and never sleeps.

use core::ops::DerefMut;

/// The allocation failed (the kernel maps this to `ENOMEM`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AllocError;

/// A source of fixed-size, initialised arrays.
pub trait Alloc {
    /// An owned array of `T`, freed when dropped (`KVec<T>`, `Vec<T>`).
    type Buf<T: Copy>: DerefMut<Target = [T]>;

    /// Returns an array of `n` copies of `init`.
    fn alloc<T: Copy>(&self, n: usize, init: T) -> Result<Self::Buf<T>, AllocError>;
}
