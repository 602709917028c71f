//! The agent device's requests (`include/uapi/pghot.h`) as pure logic: the
//! headers and arrays an agent passes, decoded from their bytes and
//! checked in full before anything acts on them, and the choice of the
//! hottest records returned to it. The kernel side copies the bytes from
//! and to user memory and maps [`AgentError`] to errnos; this file never
//! sees a user pointer other than as a number.
//!
//! Everything is native-endian, as the C structures are. Output fields
//! of a header (`nr_taken`, `nr_out`, ...) are ignored on input.

/// `PGHOT_AGENT_VERSION`: the only version of the headers understood.
pub const AGENT_VERSION: u32 = 1;
/// `PGHOT_AGENT_MAX_NR`: most entries in one request.
pub const AGENT_MAX_NR: u32 = 4096;

/// `sizeof(struct pghot_agent_report)`.
pub const REPORT_SIZE: usize = 24;
/// `sizeof(struct pghot_agent_access)`.
pub const ACCESS_SIZE: usize = 16;
/// `sizeof(struct pghot_agent_query)`.
pub const QUERY_SIZE: usize = 24;
/// `sizeof(struct pghot_agent_hot)`.
pub const HOT_SIZE: usize = 24;
/// `sizeof(struct pghot_agent_move)`.
pub const MOVE_SIZE: usize = 40;
/// `sizeof(__u64)`, one PFN of a move request.
pub const PFN_SIZE: usize = 8;
/// `sizeof(__s32)`, one status of a move request.
pub const STATUS_SIZE: usize = 4;

/// Why a request is malformed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AgentError {
    /// The header's version is not [`AGENT_VERSION`].
    Version,
    /// More than [`AGENT_MAX_NR`] entries.
    TooMany,
    /// Any other malformed field: no entry, a non-zero flag or reserved
    /// field, a bad node.
    Invalid,
}

fn u32_at(b: &[u8], off: usize) -> u32 {
    let mut w = [0u8; 4];
    w.copy_from_slice(&b[off..off + 4]);
    u32::from_ne_bytes(w)
}

fn u64_at(b: &[u8], off: usize) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(&b[off..off + 8]);
    u64::from_ne_bytes(w)
}

fn put_u32(b: &mut [u8], off: usize, v: u32) {
    b[off..off + 4].copy_from_slice(&v.to_ne_bytes());
}

fn put_u64(b: &mut [u8], off: usize, v: u64) {
    b[off..off + 8].copy_from_slice(&v.to_ne_bytes());
}

/// Checks a header's version and entry count.
fn check_common(version: u32, nr: u32) -> Result<(), AgentError> {
    if version != AGENT_VERSION {
        return Err(AgentError::Version);
    }
    if nr == 0 {
        return Err(AgentError::Invalid);
    }
    if nr > AGENT_MAX_NR {
        return Err(AgentError::TooMany);
    }
    Ok(())
}

/// A checked `struct pghot_agent_report`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReportRequest {
    /// Entries in the array, `1..=AGENT_MAX_NR`.
    pub nr: u32,
    /// User address of the array.
    pub accesses: u64,
}

impl ReportRequest {
    /// Decodes and checks a report header.
    pub fn parse(h: &[u8; REPORT_SIZE]) -> Result<Self, AgentError> {
        let nr = u32_at(h, 4);
        check_common(u32_at(h, 0), nr)?;
        Ok(Self {
            nr,
            accesses: u64_at(h, 8),
        })
    }

    /// Bytes of the array.
    pub fn array_len(&self) -> usize {
        self.nr as usize * ACCESS_SIZE
    }

    /// Writes the outputs into the header `h`.
    pub fn set_result(h: &mut [u8; REPORT_SIZE], taken: u32, ignored: u32) {
        put_u32(h, 16, taken);
        put_u32(h, 20, ignored);
    }
}

/// One checked `struct pghot_agent_access`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AgentAccess {
    /// The page accessed.
    pub pfn: u64,
    /// The accessing node, or -1.
    pub nid: i32,
}

/// Checks every entry of an access array (`flags` zero, `nid` -1 or
/// accepted by `nid_ok`), and only then returns them all. An array whose
/// length is not a whole number of entries is invalid.
pub fn parse_accesses<'a>(
    bytes: &'a [u8],
    nid_ok: impl Fn(i32) -> bool,
) -> Result<impl Iterator<Item = AgentAccess> + 'a, AgentError> {
    if bytes.is_empty() || !bytes.chunks_exact(ACCESS_SIZE).remainder().is_empty() {
        return Err(AgentError::Invalid);
    }
    let decode = |e: &[u8]| {
        (
            AgentAccess {
                pfn: u64_at(e, 0),
                nid: u32_at(e, 8) as i32,
            },
            u32_at(e, 12),
        )
    };
    for e in bytes.chunks_exact(ACCESS_SIZE) {
        let (a, flags) = decode(e);
        if flags != 0 || !(a.nid == -1 || (a.nid >= 0 && nid_ok(a.nid))) {
            return Err(AgentError::Invalid);
        }
    }
    Ok(bytes.chunks_exact(ACCESS_SIZE).map(move |e| decode(e).0))
}

/// A checked `struct pghot_agent_query`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QueryRequest {
    /// The node asked about; not yet checked to be a promotion target.
    pub nid: u32,
    /// Room in the output array, `1..=AGENT_MAX_NR`.
    pub nr: u32,
    /// User address of the output array.
    pub records: u64,
}

impl QueryRequest {
    /// Decodes and checks a query header.
    pub fn parse(h: &[u8; QUERY_SIZE]) -> Result<Self, AgentError> {
        let nr = u32_at(h, 8);
        check_common(u32_at(h, 0), nr)?;
        let nid = u32_at(h, 4) as i32;
        let nid = u32::try_from(nid).map_err(|_| AgentError::Invalid)?;
        Ok(Self {
            nid,
            nr,
            records: u64_at(h, 16),
        })
    }

    /// Writes the number of records returned into the header `h`.
    pub fn set_result(h: &mut [u8; QUERY_SIZE], nr_out: u32) {
        put_u32(h, 12, nr_out);
    }
}

/// One record for the agent: a `struct pghot_agent_hot`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HotRecord {
    /// Head PFN of the folio.
    pub pfn: u64,
    /// Promotion target.
    pub nid: u32,
    /// Accesses in the current window.
    pub freq: u8,
    /// Time since the last access, in ms.
    pub age_ms: u64,
}

impl HotRecord {
    /// Whether `self` is hotter than `other`: more accesses, then more
    /// recent, then (for a total order) the lower PFN.
    pub fn hotter_than(&self, other: &Self) -> bool {
        use core::cmp::Reverse;
        (Reverse(self.freq), self.age_ms, self.pfn) < (Reverse(other.freq), other.age_ms, other.pfn)
    }

    /// Encodes `self` as entry `i` of the output array `out`.
    pub fn encode(&self, out: &mut [u8], i: usize) {
        let e = &mut out[i * HOT_SIZE..(i + 1) * HOT_SIZE];
        put_u64(e, 0, self.pfn);
        put_u32(e, 8, self.nid);
        put_u32(e, 12, u32::from(self.freq));
        put_u64(e, 16, self.age_ms);
    }
}

/// The `N` hottest of a stream of records, in caller memory: a min-heap
/// on hotness whose root is the coolest kept, so that a record cooler than
/// it is dropped in O(1) and a hotter one replaces it in O(log N).
pub struct TopN<'a> {
    heap: &'a mut [HotRecord],
    len: usize,
}

impl<'a> TopN<'a> {
    /// Keeps at most `buf.len()` records.
    pub fn new(buf: &'a mut [HotRecord]) -> Self {
        Self { heap: buf, len: 0 }
    }

    /// Records kept so far.
    #[cfg(not(CONFIG_RUST))]
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether none is kept.
    #[cfg(not(CONFIG_RUST))]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Offers one record.
    pub fn push(&mut self, r: HotRecord) {
        if self.len < self.heap.len() {
            let mut i = self.len;
            self.heap[i] = r;
            self.len += 1;
            while i > 0 {
                let parent = (i - 1) / 2;
                if !self.heap[parent].hotter_than(&self.heap[i]) {
                    break;
                }
                self.heap.swap(parent, i);
                i = parent;
            }
        } else if self.len > 0 && r.hotter_than(&self.heap[0]) {
            self.heap[0] = r;
            self.sift_down(0);
        }
    }

    fn sift_down(&mut self, mut i: usize) {
        loop {
            let (l, r) = (2 * i + 1, 2 * i + 2);
            let mut coolest = i;
            if l < self.len && self.heap[coolest].hotter_than(&self.heap[l]) {
                coolest = l;
            }
            if r < self.len && self.heap[coolest].hotter_than(&self.heap[r]) {
                coolest = r;
            }
            if coolest == i {
                return;
            }
            self.heap.swap(i, coolest);
            i = coolest;
        }
    }

    /// The records kept, hottest first.
    pub fn into_sorted(self) -> &'a [HotRecord] {
        let kept = &mut self.heap[..self.len];
        kept.sort_unstable_by(|a, b| {
            if a.hotter_than(b) {
                core::cmp::Ordering::Less
            } else if b.hotter_than(a) {
                core::cmp::Ordering::Greater
            } else {
                core::cmp::Ordering::Equal
            }
        });
        kept
    }
}

/// A checked `struct pghot_agent_move`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MoveRequest {
    /// The target node; not yet checked to be one kpromoted serves.
    pub nid: u32,
    /// PFNs to move, `1..=AGENT_MAX_NR`.
    pub nr: u32,
    /// User address of the PFN array.
    pub pfns: u64,
    /// User address of the status array.
    pub status: u64,
}

impl MoveRequest {
    /// Decodes and checks a move header.
    pub fn parse(h: &[u8; MOVE_SIZE]) -> Result<Self, AgentError> {
        let nr = u32_at(h, 8);
        check_common(u32_at(h, 0), nr)?;
        if u32_at(h, 32) != 0 || u32_at(h, 36) != 0 {
            return Err(AgentError::Invalid);
        }
        let nid = u32::try_from(u32_at(h, 4) as i32).map_err(|_| AgentError::Invalid)?;
        Ok(Self {
            nid,
            nr,
            pfns: u64_at(h, 16),
            status: u64_at(h, 24),
        })
    }

    /// Writes the number of PFNs moved into the header `h`.
    pub fn set_result(h: &mut [u8; MOVE_SIZE], nr_moved: u32) {
        put_u32(h, 12, nr_moved);
    }
}

/// The PFNs of a move request's array (whole entries only).
pub fn move_pfns(bytes: &[u8]) -> impl Iterator<Item = u64> + '_ {
    bytes.chunks_exact(PFN_SIZE).map(|e| u64_at(e, 0))
}

/// Encodes `status` as the status array of a move request.
pub fn encode_status(status: &[i32], out: &mut [u8]) {
    for (i, s) in status.iter().enumerate() {
        let at = i * STATUS_SIZE;
        if let Some(e) = out.get_mut(at..at + STATUS_SIZE) {
            e.copy_from_slice(&s.to_ne_bytes());
        }
    }
}
