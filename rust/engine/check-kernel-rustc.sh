#!/bin/bash
# Compiles the engine module files the way pghot.ko's crate includes them:
# a private `#[path = "engine/mod.rs"] mod engine;` in a no_std crate, with
# only `#[allow(unreachable_pub)]` on it (engine items are `pub` for the host
# crate). The kernel's rustc is used when present (/usr/bin/rustc, Debian's
# rustc-web 1.96), with edition 2021, overflow checks, panic=abort, and the
# kernel's rustc lints as errors; dead code and unused imports are errors
# too. The stand-in crate root below uses exactly the engine API that the
# kernel side uses (rust/*.rs; kunit/*.rs in the KUnit build), so dead code
# here is dead code in pghot.ko. It is built as the module on a kernel with
# and without CONFIG_KUNIT, and as the module's KUnit build (`--cfg
# pghot_kunit`, PGHOT_KUNIT=y in Kbuild). When the kernel's clippy-driver is
# present, the same builds also run the kernel's clippy lints
# (rust_common_flags in the kernel Makefile); `cargo clippy` checks the host
# crate (Cargo.toml).
#
# Keep kernel_side() / kunit_side() in step with the kernel side: a new use
# there belongs here, and an API the kernel stops using must be gated to the
# host (`#[cfg(not(CONFIG_RUST))]`, see "Host-only items" in mod.rs) or
# removed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
rustc=${KRUSTC:-/usr/bin/rustc}
[ -x "$rustc" ] || rustc=rustc
clippy=${KCLIPPY:-/usr/bin/clippy-driver}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat >"$tmp/root.rs" <<ROOT
//! Stand-in for the pghot.ko crate root.
#![no_std]

extern crate alloc;

#[path = "$here/mod.rs"]
#[allow(unreachable_pub)] // Engine items are \`pub\` for the host crate.
mod engine;

use alloc::vec::Vec;
use engine::agent::{
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
    HOT_SIZE,
    MOVE_SIZE,
    PFN_SIZE,
    QUERY_SIZE,
    REPORT_SIZE,
    STATUS_SIZE, //
};
use engine::{
    select_target,
    shard_of,
    Access,
    Alloc,
    AllocError,
    Candidate,
    Error,
    Outcome,
    Params,
    RateLimiter,
    Shard,
    Stats,
    ThresholdTuner,
    TunerParams, //
};

/// Like the kernel's \`KVVec\`-backed allocator (rust/hotness.rs).
pub struct KernelAlloc;

impl Alloc for KernelAlloc {
    type Buf<T: Copy> = Vec<T>;

    fn alloc<T: Copy>(&self, n: usize, init: T) -> Result<Vec<T>, AllocError> {
        let mut v = Vec::new();
        v.try_reserve_exact(n).map_err(|_| AllocError)?;
        v.resize(n, init);
        Ok(v)
    }
}

/// rust/hotness.rs \`errno\`.
pub fn errno(e: Error) -> i32 {
    match e {
        Error::NoMemory => -12,
        Error::Invalid(_) => -22,
    }
}

/// What the kernel side (rust/*.rs: hotness, kpromoted, nodes, stats,
/// sysfs, debugfs) does with the engine.
pub fn kernel_side(now: u64, hz: u32, page_shift: u32) -> Result<u64, Error> {
    let mut p = Params::with_capacity(128, 2, hz);
    p.freq_threshold = 2;
    p.window_jiffies = u64::from(hz);
    p.heap_capacity = 16;
    p.memory_bytes().ok_or(Error::NoMemory)?;
    let mut shards = [Shard::new(&p, &KernelAlloc)?, Shard::new(&p, &KernelAlloc)?];
    let mut limiter = RateLimiter::new(p.nr_nodes, 256, page_shift, &KernelAlloc)?;
    let tp = TunerParams {
        period_jiffies: 2 * u64::from(hz),
        min: 2,
        max: 15,
        step: 1,
        initial: 2,
    };
    let mut tuner = ThresholdTuner::new(p.nr_nodes, tp, &KernelAlloc)?;

    let shard = &mut shards[shard_of(7, 2)];
    let o: Outcome = shard.record_access(7, 1, now);
    let mut acc = u64::from(o.entered_heap) + shard.heap_len(1) as u64;
    let stored = !matches!(o.access, Access::Dropped | Access::Invalid);
    acc += u64::from(o.queued || (stored && !o.hot));
    acc += u64::from(shard.threshold(1));

    let mut out = [Candidate::default(); 8];
    let n = shard.take_hottest(1, now, &mut out);
    for c in &out[..n] {
        acc += c.pfn + u64::from(c.freq);
        acc += limiter.admit(1, 1, now, hz);
    }
    shard.remove(7);
    shard.prune(now, 64);
    shard.set_threshold(1, 3)?;
    shard.set_window(u64::from(hz))?;
    for c in shard.hottest(1).take(4) {
        acc += c.pfn + u64::from(c.freq);
    }

    tuner.count(1, acc);
    let before = tuner.threshold(1);
    if let Some(t) = tuner.adjust(1, now, hz, limiter.budget()) {
        acc += u64::from(t) + u64::from(before);
    }
    limiter.set_rate(512);

    let mut sum = Stats::default();
    let mut len = 0;
    for s in &shards {
        sum.merge(s.stats());
        len += s.len();
    }
    acc += sum.created + len as u64;

    let top = [0u32];
    if let Some(t) = select_target(Some(1), 1, &top, |a, b| a.abs_diff(b)) {
        acc += u64::from(t);
    }
    acc += agent_side(&shards[0], now);
    Ok(acc)
}

/// What rust/agent.rs does with the engine: the agent device's requests.
pub fn agent_side(shard: &Shard<KernelAlloc>, now: u64) -> u64 {
    let mut acc = 0;
    let mut h = [0u8; REPORT_SIZE];
    if let Ok(r) = ReportRequest::parse(&h) {
        let bytes = Vec::from([0u8; ACCESS_SIZE]);
        if let Ok(it) = parse_accesses(&bytes, |nid| nid < 4) {
            acc += it.map(|a| a.pfn + a.nid as u64).sum::<u64>();
        }
        acc += r.accesses + r.array_len() as u64;
        ReportRequest::set_result(&mut h, 1, 2);
    }
    let mut h = [0u8; QUERY_SIZE];
    if let Ok(q) = QueryRequest::parse(&h) {
        let mut kept = [HotRecord::default(); 4];
        let mut top = TopN::new(&mut kept);
        for (c, age) in shard.hottest_aged(q.nid, now) {
            top.push(HotRecord {
                pfn: c.pfn,
                nid: c.nid,
                freq: c.freq,
                age_ms: age,
            });
        }
        let mut out = [0u8; 4 * HOT_SIZE];
        for (i, r) in top.into_sorted().iter().enumerate() {
            r.encode(&mut out, i);
        }
        acc += q.records + u64::from(q.nr);
        QueryRequest::set_result(&mut h, 1);
    }
    let mut h = [0u8; MOVE_SIZE];
    if let Ok(m) = MoveRequest::parse(&h) {
        let bytes = [0u8; PFN_SIZE];
        acc += move_pfns(&bytes).sum::<u64>() + m.pfns + m.status + u64::from(m.nid);
        let mut out = [0u8; STATUS_SIZE];
        encode_status(&[0], &mut out);
        MoveRequest::set_result(&mut h, 1);
    }
    acc += match ReportRequest::parse(&[1; REPORT_SIZE]) {
        Err(AgentError::Version) => 1,
        Err(AgentError::TooMany) => 2,
        Err(AgentError::Invalid) => 3,
        Ok(_) => 4,
    };
    acc
}

/// What kunit/hotness.rs does beyond kernel_side(); compiled where the
/// KUnit suites are (`#[cfg(pghot_kunit)] mod kunit;`, and `#[kunit_tests]`
/// adds `CONFIG_KUNIT="y"`).
#[cfg(all(pghot_kunit, CONFIG_KUNIT = "y"))]
pub fn kunit_side(now: u64, hz: u32, page_shift: u32) -> Result<bool, &'static str> {
    let p = Params::with_capacity(256, 4, hz);
    let mut shard = Shard::new(&p, &KernelAlloc).map_err(|_| "shard")?;
    let entered = shard.record_access(1, 1, now).entered_heap;
    let mut out = [Candidate::default(); 4];
    let n = shard.take_hottest(1, now, &mut out);
    let nids = out[..n].iter().all(|c| c.nid == 1);
    let st = shard.stats();
    let counted = st.created + st.replaced + st.dropped == 1;
    shard.check()?;
    let mut limiter = RateLimiter::new(2, 1, page_shift, &KernelAlloc).map_err(|_| "limiter")?;
    let admitted = limiter.admit(0, 1000, now, hz);
    Ok(entered
        && nids
        && counted
        && shard.len() <= shard.capacity()
        && shard.heap_len(1) == 0
        && admitted > 0)
}
ROOT

flags=(--edition=2021 --crate-type rlib --crate-name pghot_check
	-Copt-level=2 -Coverflow-checks=y -Cdebug-assertions=y -Cpanic=abort
	-Dwarnings -Dnon_ascii_idents -Dunsafe_op_in_unsafe_fn
	-Wmissing_docs -Wrust_2018_idioms -Wunreachable_pub
	-Wdead_code -Wunused)
# The kernel's clippy lints (rust_common_flags).
clippy_flags=(-Wclippy::all -Wclippy::as_ptr_cast_mut -Wclippy::as_underscore
	-Wclippy::cast_lossless -Aclippy::collapsible_if -Aclippy::collapsible_match
	-Wclippy::ignored_unit_patterns -Aclippy::incompatible_msrv -Wclippy::mut_mut
	-Wclippy::needless_bitwise_bool -Aclippy::needless_lifetimes
	-Wclippy::no_mangle_with_rust_abi -Wclippy::ptr_as_ptr
	-Wclippy::ptr_cast_constness -Wclippy::ref_as_ptr
	-Wclippy::undocumented_unsafe_blocks -Aclippy::uninlined_format_args
	-Wclippy::unnecessary_safety_comment -Wclippy::unnecessary_safety_doc
	-Aclippy::unwrap_or_default)

"$rustc" --version
# As include/generated/rustc_cfg has them; CONFIG_KUNIT also as `CONFIG_KUNIT`.
kernel=(--cfg CONFIG_RUST --cfg 'CONFIG_RUST="y"')
kunit=(--cfg CONFIG_KUNIT --cfg 'CONFIG_KUNIT="y"')
for variant in module-kunit-kernel module kunit-build; do
	case $variant in
	module-kunit-kernel) cfg=("${kernel[@]}" "${kunit[@]}") ;;
	module) cfg=("${kernel[@]}") ;;
	kunit-build) cfg=("${kernel[@]}" "${kunit[@]}" --cfg pghot_kunit) ;;
	esac
	out="$tmp/$variant"
	mkdir -p "$out"
	"$rustc" "${flags[@]}" "${cfg[@]}" --emit=metadata,obj --out-dir "$out" "$tmp/root.rs"
	echo "kernel-style build of rust/engine/mod.rs ($variant): ok"
	if [ -x "$clippy" ]; then
		"$clippy" "${flags[@]}" "${clippy_flags[@]}" "${cfg[@]}" \
			--emit=metadata --out-dir "$out" "$tmp/root.rs"
		echo "kernel clippy lints ($variant): ok"
	fi
done
