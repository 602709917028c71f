//! `Vec`-backed storage for the engine on the host (tests and benchmarks).

use crate::{
    Alloc,
    AllocError, //
};
use std::vec::Vec;

/// Allocates engine storage with the global allocator, like `KVec` does in
/// the kernel. Fails instead of aborting when memory runs out.
#[derive(Clone, Copy, Debug, Default)]
pub struct VecAlloc;

impl Alloc for VecAlloc {
    type Buf<T: Copy> = Vec<T>;

    fn alloc<T: Copy>(&self, n: usize, init: T) -> Result<Vec<T>, AllocError> {
        let mut v = Vec::new();
        v.try_reserve_exact(n).map_err(|_| AllocError)?;
        v.resize(n, init);
        Ok(v)
    }
}
