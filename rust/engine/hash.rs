//! PFN hashing: bucket index inside a shard, and shard index for sharding.
//!
//! One multiplicative (Fibonacci) hash feeds both. The bucket is taken from
//! the top bits of the product, which depend on every bit of the PFN; the
//! shard from the low half folded with the high half, so bucket and shard
//! are close to independent and each shard's buckets stay evenly loaded.

/// 2^64 divided by the golden ratio, odd.
const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;

/// The 64-bit hash of a PFN.
pub fn hash_pfn(pfn: u64) -> u64 {
    pfn.wrapping_mul(GOLDEN)
}

/// Bucket of a hash among `2^bits` buckets (`bits <= 32`).
pub(crate) fn bucket_of(hash: u64, bits: u32) -> usize {
    // `checked_shr` yields `None` for a shift of 64, i.e. a single bucket.
    hash.checked_shr(64 - bits).unwrap_or(0) as usize
}

/// The shard, among `nr_shards`, that owns `pfn`. Every report, removal
/// and lookup of a PFN must go to this shard.
pub fn shard_of(pfn: u64, nr_shards: usize) -> usize {
    let h = hash_pfn(pfn);
    let folded = (h ^ (h >> 32)) & 0xffff_ffff;
    // Multiply-shift maps the 32-bit value onto 0..nr_shards without a
    // division; shards are few, so the product fits in 64 bits.
    let n = nr_shards as u64 & 0xffff_ffff;
    (folded.wrapping_mul(n) >> 32) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_bounds() {
        for pfn in [0, 1, 12345, u64::MAX] {
            assert_eq!(bucket_of(hash_pfn(pfn), 0), 0);
            assert!(bucket_of(hash_pfn(pfn), 10) < 1024);
            assert!(bucket_of(hash_pfn(pfn), 32) < (1 << 32));
        }
    }

    #[test]
    fn shard_bounds_and_spread() {
        let mut count = [0u32; 4];
        for pfn in 0..4000u64 {
            let s = shard_of(pfn, 4);
            count[s] += 1;
        }
        for c in count {
            assert!((800..1200).contains(&c), "{count:?}");
        }
        assert_eq!(shard_of(99, 1), 0);
    }
}
