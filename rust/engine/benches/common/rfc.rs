//! Baseline (a), for the benchmarks only: the original RFC design.
//!
//! One heap allocation per record (`Box`, 40 bytes: pfn, last access in
//! jiffies, frequency, nid, next pointer, heap index), hash buckets of
//! pointer-linked lists each behind its own lock, and one global lock
//! around the per-node max-heaps of hot records. Records are allocated on
//! first report and freed when evicted or removed. Same hotness rules as
//! the engine: frequency in a window, hot at `threshold`, bounded heaps, and
//! when at capacity a new PFN evicts the coldest record of its chain.

use std::sync::atomic::{
    AtomicUsize,
    Ordering::Relaxed, //
};
use std::sync::Mutex;

const NO_HEAP: usize = usize::MAX;

/// One record: 40 bytes, like the RFC's `struct pghot_info` without the
/// hlist back pointer.
pub(crate) struct Node {
    pfn: u64,
    last: u64,
    freq: u32,
    nid: u32,
    next: Option<Box<Node>>,
    /// Only read and written under the heap lock.
    heap_idx: AtomicUsize,
}

#[derive(Clone, Copy)]
struct Entry {
    freq: u32,
    last: u64,
    node: *const Node,
}

struct Heap {
    e: Vec<Entry>,
    cap: usize,
}

/// The heaps hold pointers to nodes owned by the bucket lists; a node is
/// taken out of its heap (under the heap lock) before it is freed.
struct Heaps(Vec<Heap>);
// SAFETY: the raw node pointers are only dereferenced under the `Mutex`
// that owns this value, and only while the node is alive (see above).
unsafe impl Send for Heaps {}

impl Heap {
    fn key(&self, i: usize) -> (u32, u64) {
        (self.e[i].freq, self.e[i].last)
    }
    fn set(&mut self, i: usize) {
        // SAFETY: nodes in a heap are alive (removed before being freed).
        unsafe { (*self.e[i].node).heap_idx.store(i, Relaxed) };
    }
    fn swap(&mut self, i: usize, j: usize) {
        self.e.swap(i, j);
        self.set(i);
        self.set(j);
    }
    fn up(&mut self, mut i: usize) -> usize {
        while i > 0 && self.key((i - 1) / 2) < self.key(i) {
            self.swap(i, (i - 1) / 2);
            i = (i - 1) / 2;
        }
        i
    }
    fn down(&mut self, mut i: usize) {
        loop {
            let (l, r) = (2 * i + 1, 2 * i + 2);
            let mut m = i;
            if l < self.e.len() && self.key(l) > self.key(m) {
                m = l;
            }
            if r < self.e.len() && self.key(r) > self.key(m) {
                m = r;
            }
            if m == i {
                return;
            }
            self.swap(i, m);
            i = m;
        }
    }
    fn upsert(&mut self, n: &Node) {
        let i = n.heap_idx.load(Relaxed);
        if i != NO_HEAP {
            self.e[i].freq = n.freq;
            self.e[i].last = n.last;
            let j = self.up(i);
            self.down(j);
        } else if self.e.len() < self.cap {
            self.e.push(Entry {
                freq: n.freq,
                last: n.last,
                node: n,
            });
            let i = self.e.len() - 1;
            self.set(i);
            self.up(i);
        }
    }
    fn remove(&mut self, n: &Node) {
        let i = n.heap_idx.load(Relaxed);
        if i == NO_HEAP {
            return;
        }
        let last = self.e.len() - 1;
        self.e.swap(i, last);
        self.e.pop();
        n.heap_idx.store(NO_HEAP, Relaxed);
        if i < self.e.len() {
            self.set(i);
            let j = self.up(i);
            self.down(j);
        }
    }
}

/// The RFC-style table.
pub(crate) struct Rfc {
    buckets: Vec<Mutex<Option<Box<Node>>>>,
    heaps: Mutex<Heaps>,
    count: AtomicUsize,
    cap: usize,
    window: u64,
    threshold: u32,
}

/// The kernel's `hash_64(pfn, bits)`: top bits of the golden-ratio product.
fn bucket(pfn: u64, n: usize) -> usize {
    let bits = n.trailing_zeros();
    pfn.wrapping_mul(0x61C8_8646_80B5_83EB)
        .checked_shr(64 - bits)
        .unwrap_or(0) as usize
}

impl Rfc {
    /// A table for `cap` records with `nr_buckets` (power of two) buckets.
    pub(crate) fn new(
        cap: usize,
        nr_buckets: usize,
        nodes: usize,
        heap_cap: usize,
        window: u64,
        threshold: u32,
    ) -> Self {
        let heaps = (0..nodes)
            .map(|_| Heap {
                e: Vec::with_capacity(heap_cap),
                cap: heap_cap,
            })
            .collect();
        Rfc {
            buckets: (0..nr_buckets).map(|_| Mutex::new(None)).collect(),
            heaps: Mutex::new(Heaps(heaps)),
            count: AtomicUsize::new(0),
            cap,
            window,
            threshold,
        }
    }

    /// Records an access.
    pub(crate) fn report(&self, pfn: u64, nid: u32, now: u64) {
        let mut head = self.buckets[bucket(pfn, self.buckets.len())]
            .lock()
            .unwrap();
        let mut cur = head.as_deref_mut();
        while let Some(n) = cur {
            if n.pfn == pfn {
                n.freq = if now.wrapping_sub(n.last) > self.window {
                    1
                } else {
                    n.freq + 1
                };
                n.last = now;
                n.nid = nid;
                if n.freq >= self.threshold {
                    self.heaps.lock().unwrap().0[nid as usize].upsert(n);
                }
                return;
            }
            cur = n.next.as_deref_mut();
        }
        if self.count.load(Relaxed) >= self.cap {
            // Evict the coldest record of the chain that is in no heap.
            let mut best: Option<(usize, (u32, u64))> = None;
            let mut cur = head.as_deref();
            let mut i = 0;
            while let Some(n) = cur {
                let f = if now.wrapping_sub(n.last) > self.window {
                    0
                } else {
                    n.freq
                };
                if n.heap_idx.load(Relaxed) == NO_HEAP
                    && f < self.threshold
                    && best.is_none_or(|(_, k)| (f, n.last) < k)
                {
                    best = Some((i, (f, n.last)));
                }
                cur = n.next.as_deref();
                i += 1;
            }
            let Some((victim, _)) = best else { return };
            let mut link = &mut *head;
            for _ in 0..victim {
                link = &mut link.as_mut().unwrap().next;
            }
            let mut gone = link.take().unwrap();
            *link = gone.next.take();
            drop(gone);
        } else {
            self.count.fetch_add(1, Relaxed);
        }
        let n = Box::new(Node {
            pfn,
            last: now,
            freq: 1,
            nid,
            next: head.take(),
            heap_idx: AtomicUsize::new(NO_HEAP),
        });
        *head = Some(n);
    }

    /// Stops tracking `pfn`.
    pub(crate) fn remove(&self, pfn: u64) {
        let mut head = self.buckets[bucket(pfn, self.buckets.len())]
            .lock()
            .unwrap();
        let mut link = &mut *head;
        while link.as_ref().is_some_and(|n| n.pfn != pfn) {
            link = &mut link.as_mut().unwrap().next;
        }
        if let Some(mut gone) = link.take() {
            *link = gone.next.take();
            self.heaps.lock().unwrap().0[gone.nid as usize].remove(&gone);
            self.count.fetch_sub(1, Relaxed);
        }
    }

    /// Records tracked.
    pub(crate) fn len(&self) -> usize {
        self.count.load(Relaxed)
    }

    /// Bytes of the bucket array.
    pub(crate) fn bucket_bytes(&self) -> usize {
        self.buckets.len() * std::mem::size_of::<Mutex<Option<Box<Node>>>>()
    }
}

impl Drop for Rfc {
    fn drop(&mut self) {
        // Unlink iteratively: a long chain would overflow the stack.
        for b in &mut self.buckets {
            let mut cur = b.get_mut().unwrap().take();
            while let Some(mut n) = cur {
                cur = n.next.take();
            }
        }
    }
}
