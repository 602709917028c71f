//! Bounded, indexed max-min heap of record indices, one per target node.
//!
//! A max-min heap is a binary heap whose even levels (the root's included)
//! are ordered like a max-heap and whose odd levels like a min-heap: every
//! element on an even level is at least as hot as all its descendants, and
//! every element on an odd level at most as hot. The hottest element is the
//! root and the coldest is one of its two children, so both ends are O(1)
//! and insertion, removal at any position and re-keying are O(log n). The
//! cold end is what makes a bounded heap cheap: when the heap is full, a new
//! record replaces the coldest member only if it is hotter.
//!
//! A slot holds a record index and a copy of the record's hotness word, so
//! that sifting compares slots without touching the records; the owner
//! refreshes the copy when the record changes. Each member's position is
//! written back through [`Positions::set_pos`] on every move, so the owner
//! can find a member in O(1) to re-key or remove it.

use super::clock::later;
use super::record::Hotness;

/// One heap entry.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Slot {
    /// Copy of the member's hotness word: the heap's key.
    pub(crate) key: Hotness,
    /// The member (a record index).
    pub(crate) item: u32,
}

impl Slot {
    /// An unused slot.
    pub(crate) const EMPTY: Slot = Slot {
        key: Hotness::new(0, 0, 0),
        item: u32::MAX,
    };
}

/// Heap order: more accesses first, then the more recent last access. A
/// strict weak order as long as all stamps lie within half the time field's
/// range, which the shard guarantees for live records.
pub(crate) fn hotter(a: Hotness, b: Hotness) -> bool {
    a.freq() > b.freq() || (a.freq() == b.freq() && later(a.time(), b.time()))
}

/// Where the heap reports the positions of its members.
pub(crate) trait Positions {
    /// Records that member `item` is now at position `pos`.
    fn set_pos(&mut self, item: u32, pos: u32);
}

/// Whether position `i` is on a max (even) level.
fn is_max_level(i: usize) -> bool {
    // Level of i is floor(log2(i + 1)).
    let level = (usize::BITS - 1).wrapping_sub((i + 1).leading_zeros());
    level % 2 == 0
}

const fn parent(i: usize) -> usize {
    (i - 1) / 2
}

/// Whether `a` belongs above `b` on a level of the given kind (`MAX`: a max
/// level). The kind is a constant so that each loop compiles to one
/// direction.
#[inline(always)]
fn above<const MAX: bool>(a: Slot, b: Slot) -> bool {
    if MAX {
        hotter(a.key, b.key)
    } else {
        hotter(b.key, a.key)
    }
}

#[inline(always)]
fn swap<K: Positions + ?Sized>(h: &mut [Slot], k: &mut K, i: usize, j: usize) {
    h.swap(i, j);
    k.set_pos(h[i].item, i as u32);
    k.set_pos(h[j].item, j as u32);
}

/// Moves the element at `i` up through its grandparents, which are on the
/// same kind of level. Ancestors move down into the hole and the element is
/// written once, where it stops.
fn bubble_up_grand<const MAX: bool, K: Positions + ?Sized>(h: &mut [Slot], k: &mut K, i: usize) {
    let x = h[i];
    let mut hole = i;
    while hole >= 3 {
        let g = parent(parent(hole));
        if !above::<MAX>(x, h[g]) {
            break;
        }
        h[hole] = h[g];
        k.set_pos(h[hole].item, hole as u32);
        hole = g;
    }
    if hole != i {
        h[hole] = x;
        k.set_pos(x.item, hole as u32);
    }
}

/// Restores the order between the element at `i` and its ancestors, when
/// it is already ordered with respect to its descendants. The parent is on
/// the other kind of level: if the element belongs above it there, it
/// moves to the parent's level kind.
fn bubble_up<K: Positions + ?Sized>(h: &mut [Slot], k: &mut K, i: usize) {
    if i == 0 {
        return;
    }
    let p = parent(i);
    if is_max_level(i) {
        if above::<false>(h[i], h[p]) {
            swap(h, k, i, p);
            bubble_up_grand::<false, K>(h, k, p);
        } else {
            bubble_up_grand::<true, K>(h, k, i);
        }
    } else if above::<true>(h[i], h[p]) {
        swap(h, k, i, p);
        bubble_up_grand::<true, K>(h, k, p);
    } else {
        bubble_up_grand::<false, K>(h, k, i);
    }
}

/// Restores the order between the element at `i` and its descendants.
/// Returns where that element ended up.
fn trickle_down<K: Positions + ?Sized>(h: &mut [Slot], len: usize, k: &mut K, i: usize) -> usize {
    if is_max_level(i) {
        trickle::<true, K>(h, len, k, i)
    } else {
        trickle::<false, K>(h, len, k, i)
    }
}

/// `trickle_down` on a level of kind `MAX`; the element moves by
/// grandchildren, so the kind stays the same.
fn trickle<const MAX: bool, K: Positions + ?Sized>(
    h: &mut [Slot],
    len: usize,
    k: &mut K,
    mut i: usize,
) -> usize {
    // Position of the element that started at `i`, once it stopped being
    // the one moved down.
    let mut tracked: Option<usize> = None;
    loop {
        let first = 2 * i + 1;
        if first >= len {
            break;
        }
        // Best of the (up to) two children and four grandchildren.
        let mut m = first;
        for c in [first + 1, 4 * i + 3, 4 * i + 4, 4 * i + 5, 4 * i + 6] {
            if c < len && above::<MAX>(h[c], h[m]) {
                m = c;
            }
        }
        if !above::<MAX>(h[m], h[i]) {
            break;
        }
        swap(h, k, i, m);
        if m <= first + 1 {
            // A child: it sits on the other level kind and has no
            // descendants the moved element could violate.
            return tracked.unwrap_or(m);
        }
        // A grandchild: the moved element must also stay ordered with the
        // grandchild's parent, which is on the other level kind.
        let p = parent(m);
        if above::<MAX>(h[p], h[m]) {
            swap(h, k, m, p);
            if tracked.is_none() {
                tracked = Some(p);
            }
        }
        i = m;
    }
    tracked.unwrap_or(i)
}

/// Restores the heap after the element at `i` changed, or was replaced by
/// another member.
pub(crate) fn fix<K: Positions + ?Sized>(h: &mut [Slot], len: usize, k: &mut K, i: usize) {
    let j = trickle_down(h, len, k, i);
    bubble_up(h, k, j);
}

/// Restores the heap after the element at `i` got hotter (or stayed the
/// same). On a max level it can only have to move up; on a min level it may
/// also have become hotter than some descendants.
pub(crate) fn increased<K: Positions + ?Sized>(h: &mut [Slot], len: usize, k: &mut K, i: usize) {
    if is_max_level(i) {
        bubble_up(h, k, i);
    } else {
        fix(h, len, k, i);
    }
}

/// Puts `slot` in place of the member at `pos < len` and returns the
/// member it replaced, whose position is no longer maintained. One sift
/// instead of a removal and an insertion.
pub(crate) fn replace_at<K: Positions + ?Sized>(
    h: &mut [Slot],
    len: usize,
    k: &mut K,
    pos: usize,
    slot: Slot,
) -> u32 {
    let old = h[pos].item;
    h[pos] = slot;
    k.set_pos(slot.item, pos as u32);
    fix(h, len, k, pos);
    old
}

/// Adds `slot` to the heap `h[..*len]`; the caller checks that there is room.
pub(crate) fn push<K: Positions + ?Sized>(h: &mut [Slot], len: &mut u32, k: &mut K, slot: Slot) {
    let i = *len as usize;
    h[i] = slot;
    k.set_pos(slot.item, i as u32);
    *len += 1;
    bubble_up(h, k, i);
}

/// Removes and returns the member at position `pos < *len`. Its position is
/// no longer maintained; the caller marks it as out of the heap.
pub(crate) fn remove_at<K: Positions + ?Sized>(
    h: &mut [Slot],
    len: &mut u32,
    k: &mut K,
    pos: usize,
) -> u32 {
    let last = *len as usize - 1;
    let item = h[pos].item;
    *len -= 1;
    if pos != last {
        h[pos] = h[last];
        k.set_pos(h[pos].item, pos as u32);
        fix(h, last, k, pos);
    }
    item
}

/// Position of the coldest member, if any.
pub(crate) fn min_pos(h: &[Slot], len: usize) -> Option<usize> {
    match len {
        0 => None,
        1 => Some(0),
        2 => Some(1),
        _ => Some(if hotter(h[1].key, h[2].key) { 2 } else { 1 }),
    }
}

/// Checks the max-min order of `h[..len]`: each element against its parent
/// and grandparent, which by transitivity covers all ancestors. For
/// `Shard::check`.
#[cfg(any(not(CONFIG_RUST), all(pghot_kunit, CONFIG_KUNIT = "y")))]
pub(crate) fn check_order(h: &[Slot], len: usize) -> Result<(), &'static str> {
    for i in 1..len {
        let p = parent(i);
        let violates = if is_max_level(p) {
            above::<true>(h[i], h[p])
        } else {
            above::<false>(h[i], h[p])
        };
        if violates {
            return Err("heap: child out of order with its parent");
        }
        if i >= 3 {
            let g = parent(p);
            let violates = if is_max_level(g) {
                above::<true>(h[i], h[g])
            } else {
                above::<false>(h[i], h[g])
            };
            if violates {
                return Err("heap: element out of order with its grandparent");
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const N: usize = 64;

    /// Items 0..N with integer keys (< 1024) mapped onto hotness words in
    /// the same order; positions kept like the shard does.
    struct Keys {
        key: [u32; N],
        pos: [u32; N],
    }

    impl Keys {
        fn slot(&self, item: usize) -> Slot {
            let k = self.key[item];
            Slot {
                key: Hotness::new((k >> 6) as u8, 0, k & 63),
                item: item as u32,
            }
        }
    }

    impl Positions for Keys {
        fn set_pos(&mut self, item: u32, pos: u32) {
            self.pos[item as usize] = pos;
        }
    }

    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u32 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 >> 32) as u32
        }
    }

    fn check(h: &[Slot], len: u32, k: &Keys) {
        let h = &h[..len as usize];
        check_order(h, h.len()).unwrap();
        for (i, s) in h.iter().enumerate() {
            assert_eq!(k.pos[s.item as usize] as usize, i);
            assert_eq!(s.key, k.slot(s.item as usize).key);
        }
        if let Some(m) = min_pos(h, h.len()) {
            let keys = || h.iter().map(|s| k.key[s.item as usize]);
            assert_eq!(keys().min(), Some(k.key[h[m].item as usize]));
            assert_eq!(keys().max(), Some(k.key[h[0].item as usize]));
        }
    }

    #[test]
    fn random_ops_keep_order_and_positions() {
        let mut rng = Rng(0x1234_5678_9abc_def1);
        for round in 0..200 {
            let mut k = Keys {
                key: [0; N],
                pos: [u32::MAX; N],
            };
            let mut h = [Slot::EMPTY; N];
            let mut len = 0u32;
            let mut in_heap = [false; N];
            let key_range = if round % 2 == 0 { 8 } else { 1000 };
            for _ in 0..400 {
                let item = rng.next() as usize % N;
                match rng.next() % 4 {
                    0 | 1 if !in_heap[item] => {
                        k.key[item] = rng.next() % key_range;
                        let slot = k.slot(item);
                        push(&mut h, &mut len, &mut k, slot);
                        in_heap[item] = true;
                    }
                    0 | 1 => {
                        k.key[item] = rng.next() % key_range;
                        let pos = k.pos[item] as usize;
                        h[pos] = k.slot(item);
                        fix(&mut h, len as usize, &mut k, pos);
                    }
                    2 if in_heap[item] => {
                        let pos = k.pos[item] as usize;
                        let got = remove_at(&mut h, &mut len, &mut k, pos);
                        assert_eq!(got as usize, item);
                        in_heap[item] = false;
                    }
                    3 if !in_heap[item] && len > 0 && rng.next() & 1 == 0 => {
                        // Replace the coldest member, as a full heap does.
                        let m = min_pos(&h, len as usize).unwrap();
                        let min = k.key[h[m].item as usize];
                        k.key[item] = rng.next() % key_range;
                        let slot = k.slot(item);
                        let out = replace_at(&mut h, len as usize, &mut k, m, slot);
                        assert_eq!(k.key[out as usize], min);
                        in_heap[out as usize] = false;
                        in_heap[item] = true;
                    }
                    _ if len > 0 => {
                        let got = remove_at(&mut h, &mut len, &mut k, 0);
                        let max = (0..N).filter(|&i| in_heap[i]).map(|i| k.key[i]).max();
                        assert_eq!(Some(k.key[got as usize]), max);
                        in_heap[got as usize] = false;
                    }
                    _ => {}
                }
                check(&h, len, &k);
                assert_eq!(in_heap.iter().filter(|&&b| b).count(), len as usize);
            }
        }
    }

    #[test]
    fn levels() {
        assert!(is_max_level(0));
        assert!(!is_max_level(1) && !is_max_level(2));
        assert!((3..7).all(is_max_level));
        assert!(!is_max_level(7) && !is_max_level(14) && is_max_level(15));
    }
}
