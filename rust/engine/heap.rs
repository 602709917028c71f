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
//! The heap stores `u32` record indices. Each member's position is written
//! back through [`Keyed::set_pos`] on every move, so the owner can find a
//! member in O(1) to re-key or remove it.

/// How the heap compares its members and reports their positions.
pub(crate) trait Keyed {
    /// Whether member `a` is strictly hotter than member `b`. Must be a
    /// strict weak order over the members of one heap.
    fn hotter(&self, a: u32, b: u32) -> bool;
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

/// Whether `a` belongs above `b` on a level of the given kind.
fn above<K: Keyed + ?Sized>(k: &K, max: bool, a: u32, b: u32) -> bool {
    if max {
        k.hotter(a, b)
    } else {
        k.hotter(b, a)
    }
}

fn swap<K: Keyed + ?Sized>(h: &mut [u32], k: &mut K, i: usize, j: usize) {
    h.swap(i, j);
    k.set_pos(h[i], i as u32);
    k.set_pos(h[j], j as u32);
}

/// Moves the element at `i` up through its grandparents, which are on the
/// same kind of level.
fn bubble_up_grand<K: Keyed + ?Sized>(h: &mut [u32], k: &mut K, mut i: usize, max: bool) {
    while i >= 3 {
        let g = parent(parent(i));
        if !above(k, max, h[i], h[g]) {
            break;
        }
        swap(h, k, i, g);
        i = g;
    }
}

/// Restores the order between the element at `i` and its ancestors, when
/// it is already ordered with respect to its descendants.
fn bubble_up<K: Keyed + ?Sized>(h: &mut [u32], k: &mut K, i: usize) {
    if i == 0 {
        return;
    }
    let p = parent(i);
    let max = is_max_level(i);
    // The parent is on the other kind of level: if the element belongs
    // above it there, it moves to the parent's level kind.
    if above(k, !max, h[i], h[p]) {
        swap(h, k, i, p);
        bubble_up_grand(h, k, p, !max);
    } else {
        bubble_up_grand(h, k, i, max);
    }
}

/// Restores the order between the element at `i` and its descendants.
/// Returns where that element ended up.
fn trickle_down<K: Keyed + ?Sized>(h: &mut [u32], len: usize, k: &mut K, mut i: usize) -> usize {
    // Position of the element that started at `i`, while it is still the
    // one being moved down.
    let mut tracked: Option<usize> = None;
    loop {
        let max = is_max_level(i);
        let first = 2 * i + 1;
        if first >= len {
            break;
        }
        // Best of the (up to) two children and four grandchildren.
        let mut m = first;
        for c in [first + 1, 4 * i + 3, 4 * i + 4, 4 * i + 5, 4 * i + 6] {
            if c < len && above(k, max, h[c], h[m]) {
                m = c;
            }
        }
        if !above(k, max, h[m], h[i]) {
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
        if above(k, max, h[p], h[m]) {
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
pub(crate) fn fix<K: Keyed + ?Sized>(h: &mut [u32], len: usize, k: &mut K, i: usize) {
    let j = trickle_down(h, len, k, i);
    bubble_up(h, k, j);
}

/// Adds `item` to the heap `h[..*len]`; the caller checks that there is room.
pub(crate) fn push<K: Keyed + ?Sized>(h: &mut [u32], len: &mut u32, k: &mut K, item: u32) {
    let i = *len as usize;
    h[i] = item;
    k.set_pos(item, i as u32);
    *len += 1;
    bubble_up(h, k, i);
}

/// Removes and returns the member at position `pos < *len`. Its position is
/// no longer maintained; the caller marks it as out of the heap.
pub(crate) fn remove_at<K: Keyed + ?Sized>(
    h: &mut [u32],
    len: &mut u32,
    k: &mut K,
    pos: usize,
) -> u32 {
    let last = *len as usize - 1;
    let item = h[pos];
    *len -= 1;
    if pos != last {
        h[pos] = h[last];
        k.set_pos(h[pos], pos as u32);
        fix(h, last, k, pos);
    }
    item
}

/// Position of the coldest member, if any.
pub(crate) fn min_pos<K: Keyed + ?Sized>(h: &[u32], len: usize, k: &K) -> Option<usize> {
    match len {
        0 => None,
        1 => Some(0),
        2 => Some(1),
        _ => Some(if k.hotter(h[1], h[2]) { 2 } else { 1 }),
    }
}

/// Checks the max-min order of `h[..len]`: each element against its parent
/// and grandparent, which by transitivity covers all ancestors.
pub(crate) fn check_order<K: Keyed + ?Sized>(h: &[u32], len: usize, k: &K) -> Result<(), &'static str> {
    for i in 1..len {
        let p = parent(i);
        if above(k, is_max_level(p), h[i], h[p]) {
            return Err("heap: child out of order with its parent");
        }
        if i >= 3 {
            let g = parent(p);
            if above(k, is_max_level(g), h[i], h[g]) {
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

    /// Items 0..N with keys; positions kept like the shard does.
    struct Keys {
        key: [u32; N],
        pos: [u32; N],
    }

    impl Keyed for Keys {
        fn hotter(&self, a: u32, b: u32) -> bool {
            self.key[a as usize] > self.key[b as usize]
        }
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

    fn check(h: &[u32], len: u32, k: &Keys) {
        check_order(h, len as usize, k).unwrap();
        for (i, &it) in h[..len as usize].iter().enumerate() {
            assert_eq!(k.pos[it as usize] as usize, i);
        }
        if let Some(m) = min_pos(h, len as usize, k) {
            for &it in &h[..len as usize] {
                assert!(k.key[it as usize] >= k.key[h[m] as usize]);
            }
            for &it in &h[..len as usize] {
                assert!(k.key[it as usize] <= k.key[h[0] as usize]);
            }
        }
    }

    #[test]
    fn random_ops_keep_order_and_positions() {
        let mut rng = Rng(0x1234_5678_9abc_def1);
        for round in 0..200 {
            let mut k = Keys { key: [0; N], pos: [u32::MAX; N] };
            let mut h = [0u32; N];
            let mut len = 0u32;
            let mut in_heap = [false; N];
            let key_range = if round % 2 == 0 { 8 } else { 1000 };
            for _ in 0..400 {
                let item = rng.next() as usize % N;
                match rng.next() % 4 {
                    0 | 1 if !in_heap[item] => {
                        k.key[item] = rng.next() % key_range;
                        push(&mut h, &mut len, &mut k, item as u32);
                        in_heap[item] = true;
                    }
                    0 | 1 => {
                        k.key[item] = rng.next() % key_range;
                        let pos = k.pos[item] as usize;
                        fix(&mut h, len as usize, &mut k, pos);
                    }
                    2 if in_heap[item] => {
                        let pos = k.pos[item] as usize;
                        let got = remove_at(&mut h, &mut len, &mut k, pos);
                        assert_eq!(got as usize, item);
                        in_heap[item] = false;
                    }
                    _ if len > 0 => {
                        let top = h[0];
                        let max = h[..len as usize].iter().map(|&i| k.key[i as usize]).max();
                        assert_eq!(Some(k.key[top as usize]), max);
                        let got = remove_at(&mut h, &mut len, &mut k, 0);
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
