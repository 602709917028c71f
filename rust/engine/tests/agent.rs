//! Tests of the agent device's request parsing: every malformed header or
//! entry is refused as a whole, good ones decode to what was written, and
//! the hottest-N selection agrees with a full sort. A bounded random fuzz
//! loop throws arbitrary bytes at every parser.

use pghot_engine::agent::{
    encode_status,
    move_pfns,
    parse_accesses,
    AgentError,
    HotRecord,
    MoveRequest,
    QueryRequest,
    ReportRequest,
    TopN,
    ACCESS_SIZE,
    AGENT_MAX_NR,
    AGENT_VERSION,
    HOT_SIZE,
    MOVE_SIZE,
    QUERY_SIZE,
    REPORT_SIZE, //
};
use proptest::prelude::*;

fn report_header(version: u32, nr: u32, ptr: u64, out: [u32; 2]) -> [u8; REPORT_SIZE] {
    let mut h = [0u8; REPORT_SIZE];
    h[0..4].copy_from_slice(&version.to_ne_bytes());
    h[4..8].copy_from_slice(&nr.to_ne_bytes());
    h[8..16].copy_from_slice(&ptr.to_ne_bytes());
    h[16..20].copy_from_slice(&out[0].to_ne_bytes());
    h[20..24].copy_from_slice(&out[1].to_ne_bytes());
    h
}

fn move_header(version: u32, nid: i32, nr: u32, flags: u32, reserved: u32) -> [u8; MOVE_SIZE] {
    let mut h = [0u8; MOVE_SIZE];
    h[0..4].copy_from_slice(&version.to_ne_bytes());
    h[4..8].copy_from_slice(&nid.to_ne_bytes());
    h[8..12].copy_from_slice(&nr.to_ne_bytes());
    h[12..16].copy_from_slice(&77u32.to_ne_bytes());
    h[16..24].copy_from_slice(&0x1000u64.to_ne_bytes());
    h[24..32].copy_from_slice(&0x2000u64.to_ne_bytes());
    h[32..36].copy_from_slice(&flags.to_ne_bytes());
    h[36..40].copy_from_slice(&reserved.to_ne_bytes());
    h
}

fn query_header(version: u32, nid: i32, nr: u32, ptr: u64) -> [u8; QUERY_SIZE] {
    let mut h = [0u8; QUERY_SIZE];
    h[0..4].copy_from_slice(&version.to_ne_bytes());
    h[4..8].copy_from_slice(&nid.to_ne_bytes());
    h[8..12].copy_from_slice(&nr.to_ne_bytes());
    h[12..16].copy_from_slice(&9u32.to_ne_bytes());
    h[16..24].copy_from_slice(&ptr.to_ne_bytes());
    h
}

fn access(pfn: u64, nid: i32, flags: u32) -> [u8; ACCESS_SIZE] {
    let mut e = [0u8; ACCESS_SIZE];
    e[0..8].copy_from_slice(&pfn.to_ne_bytes());
    e[8..12].copy_from_slice(&nid.to_ne_bytes());
    e[12..16].copy_from_slice(&flags.to_ne_bytes());
    e
}

fn nid_ok(nid: i32) -> bool {
    (0..4).contains(&nid)
}

#[test]
fn report_header_checks() {
    let ok = ReportRequest::parse(&report_header(AGENT_VERSION, 3, 0xabc, [5, 6])).unwrap();
    assert_eq!(
        ok,
        ReportRequest {
            nr: 3,
            accesses: 0xabc
        }
    );
    assert_eq!(ok.array_len(), 3 * ACCESS_SIZE);
    let max = ReportRequest::parse(&report_header(AGENT_VERSION, AGENT_MAX_NR, 1, [0, 0]));
    assert!(max.is_ok());
    assert_eq!(
        ReportRequest::parse(&report_header(2, 3, 0, [0, 0])),
        Err(AgentError::Version)
    );
    assert_eq!(
        ReportRequest::parse(&report_header(0, 3, 0, [0, 0])),
        Err(AgentError::Version)
    );
    assert_eq!(
        ReportRequest::parse(&report_header(AGENT_VERSION, 0, 0, [0, 0])),
        Err(AgentError::Invalid)
    );
    assert_eq!(
        ReportRequest::parse(&report_header(AGENT_VERSION, AGENT_MAX_NR + 1, 0, [0, 0])),
        Err(AgentError::TooMany)
    );
    let mut h = report_header(AGENT_VERSION, 1, 0, [0, 0]);
    ReportRequest::set_result(&mut h, 11, 12);
    assert_eq!(&h[16..20], &11u32.to_ne_bytes());
    assert_eq!(&h[20..24], &12u32.to_ne_bytes());
}

#[test]
fn accesses_all_or_nothing() {
    let mut bytes = Vec::new();
    for (pfn, nid) in [(10u64, 0i32), (11, -1), (12, 3)] {
        bytes.extend_from_slice(&access(pfn, nid, 0));
    }
    let got: Vec<_> = parse_accesses(&bytes, nid_ok)
        .unwrap()
        .map(|a| (a.pfn, a.nid))
        .collect();
    assert_eq!(got, [(10, 0), (11, -1), (12, 3)]);

    // One bad entry anywhere refuses the whole array.
    for bad in [access(13, 4, 0), access(13, -2, 0), access(13, 0, 1)] {
        for pos in 0..=3 {
            let mut b = bytes.clone();
            let at = pos * ACCESS_SIZE;
            b.splice(at..at, bad);
            assert_eq!(parse_accesses(&b, nid_ok).err(), Some(AgentError::Invalid));
        }
    }
    assert!(parse_accesses(&[], nid_ok).is_err());
    assert!(parse_accesses(&bytes[..ACCESS_SIZE + 3], nid_ok).is_err());
}

#[test]
fn query_header_checks() {
    let q = QueryRequest::parse(&query_header(AGENT_VERSION, 2, 64, 0x10)).unwrap();
    assert_eq!(
        q,
        QueryRequest {
            nid: 2,
            nr: 64,
            records: 0x10
        }
    );
    assert_eq!(
        QueryRequest::parse(&query_header(AGENT_VERSION, -1, 64, 0)),
        Err(AgentError::Invalid)
    );
    assert_eq!(
        QueryRequest::parse(&query_header(AGENT_VERSION, 0, 0, 0)),
        Err(AgentError::Invalid)
    );
    assert_eq!(
        QueryRequest::parse(&query_header(7, 0, 1, 0)),
        Err(AgentError::Version)
    );
    let mut h = query_header(AGENT_VERSION, 0, 1, 0);
    QueryRequest::set_result(&mut h, 42);
    assert_eq!(&h[12..16], &42u32.to_ne_bytes());
}

#[test]
fn move_header_checks() {
    let m = MoveRequest::parse(&move_header(AGENT_VERSION, 0, 2, 0, 0)).unwrap();
    assert_eq!(
        m,
        MoveRequest {
            nid: 0,
            nr: 2,
            pfns: 0x1000,
            status: 0x2000
        }
    );
    assert_eq!(
        MoveRequest::parse(&move_header(AGENT_VERSION, 0, 2, 1, 0)),
        Err(AgentError::Invalid)
    );
    assert_eq!(
        MoveRequest::parse(&move_header(AGENT_VERSION, 0, 2, 0, 1)),
        Err(AgentError::Invalid)
    );
    assert_eq!(
        MoveRequest::parse(&move_header(AGENT_VERSION, -3, 2, 0, 0)),
        Err(AgentError::Invalid)
    );
    assert_eq!(
        MoveRequest::parse(&move_header(AGENT_VERSION, 0, AGENT_MAX_NR + 1, 0, 0)),
        Err(AgentError::TooMany)
    );
    assert_eq!(
        MoveRequest::parse(&move_header(AGENT_VERSION + 1, 0, 1, 0, 0)),
        Err(AgentError::Version)
    );
    let mut h = move_header(AGENT_VERSION, 0, 2, 0, 0);
    MoveRequest::set_result(&mut h, 1);
    assert_eq!(&h[12..16], &1u32.to_ne_bytes());

    let pfns: Vec<u8> = [5u64, 6, 7].iter().flat_map(|p| p.to_ne_bytes()).collect();
    assert_eq!(move_pfns(&pfns).collect::<Vec<_>>(), [5, 6, 7]);
    let mut out = [0u8; 12];
    encode_status(&[0, -2, -16], &mut out);
    assert_eq!(&out[4..8], &(-2i32).to_ne_bytes());
    assert_eq!(&out[8..12], &(-16i32).to_ne_bytes());
}

#[test]
fn hot_record_encoding() {
    let r = HotRecord {
        pfn: 0x1234,
        nid: 1,
        freq: 7,
        age_ms: 250,
    };
    let mut out = [0u8; 2 * HOT_SIZE];
    r.encode(&mut out, 1);
    assert_eq!(out[..HOT_SIZE], [0u8; HOT_SIZE]);
    assert_eq!(&out[HOT_SIZE..HOT_SIZE + 8], &0x1234u64.to_ne_bytes());
    assert_eq!(&out[HOT_SIZE + 8..HOT_SIZE + 12], &1u32.to_ne_bytes());
    assert_eq!(&out[HOT_SIZE + 12..HOT_SIZE + 16], &7u32.to_ne_bytes());
    assert_eq!(&out[HOT_SIZE + 16..], &250u64.to_ne_bytes());
}

fn record() -> impl Strategy<Value = HotRecord> {
    (0u64..64, 0u8..16, 0u64..8).prop_map(|(pfn, freq, age_ms)| HotRecord {
        pfn,
        nid: 0,
        freq,
        age_ms,
    })
}

proptest! {
    /// The kept records are exactly the first N of a full sort.
    #[test]
    fn top_n_matches_sort(mut recs in prop::collection::vec(record(), 0..200), n in 1usize..40) {
        recs.sort_by_key(|r| r.pfn);
        recs.dedup_by_key(|r| r.pfn);
        let mut buf = vec![HotRecord::default(); n];
        let mut top = TopN::new(&mut buf);
        for r in &recs {
            top.push(*r);
        }
        prop_assert_eq!(top.len(), recs.len().min(n));
        let got = top.into_sorted().to_vec();
        let mut want = recs.clone();
        want.sort_by_key(|r| (std::cmp::Reverse(r.freq), r.age_ms, r.pfn));
        want.truncate(n);
        prop_assert_eq!(got, want);
    }

    /// A header decodes iff its version, count and reserved fields are good,
    /// and then to exactly what was written.
    #[test]
    fn move_header_roundtrip(version in 0u32..3, nid in -2i32..4, nr in 0u32..5000,
                             flags in 0u32..2, reserved in 0u32..2) {
        let r = MoveRequest::parse(&move_header(version, nid, nr, flags, reserved));
        let good = version == AGENT_VERSION && nid >= 0 && (1..=AGENT_MAX_NR).contains(&nr)
            && flags == 0 && reserved == 0;
        prop_assert_eq!(r.is_ok(), good);
        if let Ok(m) = r {
            prop_assert_eq!((m.nid as i32, m.nr), (nid, nr));
        }
    }
}

/// xorshift64*: a fixed-seed generator, so that a failure reproduces.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// Mostly small values and the edges, sometimes anything.
    fn word(&mut self) -> u32 {
        match self.next() % 8 {
            0 => u32::MAX,
            1 => AGENT_MAX_NR + (self.next() % 3) as u32 - 1,
            2..=4 => (self.next() % 6) as u32,
            _ => self.next() as u32,
        }
    }

    /// `good` with, half of the time, one aligned word overwritten.
    fn mutate(&mut self, mut good: Vec<u8>) -> Vec<u8> {
        if self.next() & 1 == 0 && good.len() >= 4 {
            let at = (self.next() as usize % (good.len() / 4)) * 4;
            let w = self.word();
            good[at..at + 4].copy_from_slice(&w.to_ne_bytes());
        }
        good
    }

    fn bytes(&mut self, n: usize) -> Vec<u8> {
        let mut b: Vec<u8> = (0..n / 4).flat_map(|_| self.word().to_ne_bytes()).collect();
        b.extend((0..n % 4).map(|_| self.next() as u8));
        b
    }
}

/// Bounded random fuzzing of every parser: none panics, and whatever one
/// accepts satisfies every rule the kernel relies on.
#[test]
fn fuzz_parsers() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut accepted = [0u32; 4];
    for _ in 0..200_000 {
        let h: [u8; REPORT_SIZE] = rng.bytes(REPORT_SIZE).try_into().unwrap();
        if let Ok(r) = ReportRequest::parse(&h) {
            accepted[0] += 1;
            assert_eq!(
                u32::from_ne_bytes(h[0..4].try_into().unwrap()),
                AGENT_VERSION
            );
            assert!((1..=AGENT_MAX_NR).contains(&r.nr));
            assert!(r.array_len() <= AGENT_MAX_NR as usize * ACCESS_SIZE);
        }
        let h: [u8; QUERY_SIZE] = rng.bytes(QUERY_SIZE).try_into().unwrap();
        if let Ok(q) = QueryRequest::parse(&h) {
            accepted[1] += 1;
            assert!((1..=AGENT_MAX_NR).contains(&q.nr));
            assert!(q.nid <= i32::MAX as u32);
        }
        let h = if rng.next() & 1 == 0 {
            rng.bytes(MOVE_SIZE)
        } else {
            let nr = rng.word();
            rng.mutate(move_header(AGENT_VERSION, 0, nr, 0, 0).to_vec())
        };
        let h: [u8; MOVE_SIZE] = h.try_into().unwrap();
        if let Ok(m) = MoveRequest::parse(&h) {
            accepted[2] += 1;
            assert!((1..=AGENT_MAX_NR).contains(&m.nr));
            assert_eq!(&h[32..40], &[0u8; 8]);
        }
        let arr = if rng.next() & 1 == 0 {
            let len = (rng.next() % 100) as usize;
            rng.bytes(len)
        } else {
            let n = (rng.next() % 6) as usize;
            let good: Vec<u8> = (0..n)
                .flat_map(|i| access(rng.next(), i as i32 - 1, 0))
                .collect();
            rng.mutate(good)
        };
        let len = arr.len();
        let valid = !arr.is_empty()
            && len.is_multiple_of(ACCESS_SIZE)
            && arr.chunks_exact(ACCESS_SIZE).all(|e| {
                let nid = i32::from_ne_bytes(e[8..12].try_into().unwrap());
                let flags = u32::from_ne_bytes(e[12..16].try_into().unwrap());
                flags == 0 && (nid == -1 || nid_ok(nid))
            });
        match parse_accesses(&arr, nid_ok) {
            Ok(it) => {
                accepted[3] += 1;
                assert!(valid);
                assert_eq!(it.count(), len / ACCESS_SIZE);
            }
            Err(e) => {
                assert!(!valid);
                assert_eq!(e, AgentError::Invalid);
            }
        }
        // Whole entries only, whatever the length.
        assert_eq!(move_pfns(&arr).count(), len / 8);
    }
    // The generator reaches the accepting paths too, not only the refusals.
    assert!(accepted.iter().all(|&n| n > 100), "{accepted:?}");
}
