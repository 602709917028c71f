//! `cargo bench --bench report`: cost of one report, in ns, for the engine
//! and the two baselines, on the same workload in the same run.
//!
//! Scenarios: a new PFN and a known PFN, with the pool 10%, 90% and 100%
//! full; single-threaded, and two threads reporting at once. Implementations:
//! `engine` (one shard, no lock), `engine+lock` (the same behind a Mutex, as
//! the kernel runs it), `rfc` (baseline a) and `flat` (baseline b). With two
//! threads the engine runs two shards, each behind a Mutex, and each thread
//! reports PFNs of both shards; `engine x16` is the same pool split into 16
//! shards.
//!
//! For each scenario all implementations are built and filled side by side,
//! then sampled in turn (engine, engine+lock, rfc, flat, engine, ...), so that
//! background load hits them alike; every implementation gets the same PFNs
//! and the same clock. The minimum and the median over the samples are shown;
//! ratios use the minimum, the least disturbed figure.
//!
//! Environment: `PGHOT_BENCH_POOL` (records, default 2^20) and
//! `PGHOT_BENCH_REPS` (samples per figure, default 7). A counting global
//! allocator checks that the engine's report path never allocates (the run
//! aborts if it does).

// Timings are reported as floating-point averages and ratios.
#![allow(clippy::float_arithmetic)]

mod common;

use common::*;
use std::sync::Barrier;
use std::time::Instant;

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Samples of one figure.
#[derive(Default)]
struct Acc {
    ns: Vec<f64>,
    allocs: u64,
    reports: usize,
}

impl Acc {
    /// Adds a sample: time, allocations, reports per thread (for the time
    /// per report) and reports in all (for allocations per report).
    fn add(&mut self, (ns, allocs, per_thread, total): (f64, u64, usize, usize)) {
        self.ns.push(ns / per_thread as f64);
        self.allocs += allocs;
        self.reports += total;
    }
    fn min(&self) -> f64 {
        self.ns.iter().copied().fold(f64::INFINITY, f64::min)
    }
    fn median(&self) -> f64 {
        let mut v = self.ns.clone();
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    }
    fn allocs_per_report(&self) -> f64 {
        self.allocs as f64 / self.reports as f64
    }
}

/// The PFNs of a scenario.
struct Plan {
    w: Workload,
    new: bool,
    full: bool,
    filled: usize,
    /// New PFNs below 100% fill: rounds per sample, each removed afterwards
    /// (untimed) so the fill level stays put.
    rounds: usize,
    batch: usize,
}

impl Plan {
    fn new(w: Workload, new: bool, fill: usize) -> Self {
        let full = fill == 100;
        let (rounds, batch) = match (new, full) {
            (true, false) => (10, (w.pool / 100).max(1)),
            _ => (1, w.pool),
        };
        Plan {
            w,
            new,
            full,
            filled: w.pool * fill / 100,
            rounds,
            batch,
        }
    }
    /// The reports of round `round` of sample `rep`.
    fn pfns(&self, rep: usize, round: usize) -> Vec<u64> {
        if self.new {
            self.w
                .fresh((rep * self.rounds + round) * self.batch, self.batch)
        } else {
            self.w.known(self.filled, self.batch, 0x5EED + rep as u64)
        }
    }
    fn removes(&self) -> bool {
        self.new && !self.full
    }
}

/// One single-threaded sample: (ns, allocations, reports, reports).
fn sample_1<R: Reporter>(
    r: &mut R,
    plan: &Plan,
    rep: usize,
    now: &mut u64,
) -> (f64, u64, usize, usize) {
    let (mut ns, mut allocs, mut n) = (0.0, 0, 0);
    for round in 0..plan.rounds {
        let pfns = plan.pfns(rep, round);
        let a = common::allocs();
        let t = Instant::now();
        *now = measured(r, &pfns, *now);
        ns += t.elapsed().as_nanos() as f64;
        allocs += common::allocs() - a;
        n += pfns.len();
        if plan.removes() {
            for &p in &pfns {
                r.remove(p);
            }
        }
    }
    (ns, allocs, n, n)
}

/// One thread's share: its time in ns and its allocations.
fn run_part<R: Reporter>(mut h: R, part: &[u64], barrier: &Barrier, now: u64) -> (f64, u64) {
    barrier.wait();
    let a = common::allocs();
    let t = Instant::now();
    measured(&mut h, part, now);
    let ns = t.elapsed().as_nanos() as f64;
    (ns, common::allocs() - a)
}

/// One two-thread sample: each thread reports half of each round at once.
/// Returns the wall time (the slower thread), the allocations, the reports
/// of one thread (wall time over them is the time per report as each thread
/// sees it) and the reports of both.
fn sample_2<R: Reporter + Copy + Send>(
    h: R,
    plan: &Plan,
    rep: usize,
    now: &mut u64,
) -> (f64, u64, usize, usize) {
    let (mut ns, mut allocs, mut n, mut total) = (0.0, 0, 0, 0);
    for round in 0..plan.rounds {
        let pfns = plan.pfns(rep, round);
        let (a, b) = pfns.split_at(pfns.len() / 2);
        let barrier = &Barrier::new(2);
        let t = *now;
        let (wall, al) = std::thread::scope(|s| {
            let x = s.spawn(move || run_part(h, a, barrier, t));
            let y = s.spawn(move || run_part(h, b, barrier, t));
            let ((tx, ax), (ty, ay)) = (x.join().unwrap(), y.join().unwrap());
            (tx.max(ty), ax + ay)
        });
        *now += (a.len() as u64).div_ceil(REPORTS_PER_JIFFY);
        ns += wall;
        allocs += al;
        n += a.len();
        total += pfns.len();
        if plan.removes() {
            let mut h = h;
            for &p in &pfns {
                h.remove(p);
            }
        }
    }
    (ns, allocs, n, total)
}

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn row(fill: usize, threads: usize, what: &str, name: &str, m: &Acc, engine: &Acc, flat: &Acc) {
    println!(
        "| {fill:>3}% | {threads} | {what:<5} | {name:<11} | {:>7.1} | {:>7.1} | {:>5.2} | {:>6.2} | {:>6.2} |",
        m.min(),
        m.median(),
        m.allocs_per_report(),
        m.min() / engine.min(),
        m.min() / flat.min()
    );
}

const MIB: f64 = 1048576.0;

fn memory(w: &Workload) {
    let p = engine_params(w.pool);
    let engine = p.memory_bytes().unwrap();
    println!(
        "## Memory (pool {} records, lower tier {} pages)\n",
        w.pool, w.span
    );
    println!("| implementation | bytes/record | total MiB | how |");
    println!("|---|---:|---:|---|");
    println!(
        "| engine | {:.2} | {:.1} | computed: {} B record + {} B heads/record + heaps |",
        engine as f64 / w.pool as f64,
        engine as f64 / MIB,
        pghot_engine::Params::RECORD_BYTES,
        f64::from(p.nr_buckets) * 4.0 / w.pool as f64
    );
    // Baseline (a) at 100% fill, measured before anything else was freed,
    // so that the allocator cannot reuse memory.
    let r0 = rss();
    let b0 = ALLOC_BYTES.load(std::sync::atomic::Ordering::Relaxed);
    let rfc = new_rfc(w.pool);
    let mut h = &rfc;
    prefill(&mut h, w, w.pool, 1);
    let requested = ALLOC_BYTES.load(std::sync::atomic::Ordering::Relaxed) - b0;
    let resident = rss() - r0;
    println!(
        "| rfc (a) | {:.2} | {:.1} | measured RSS; {} B records + {:.1} B of bucket heads+locks per record requested, {:.2} B/record in all |",
        resident as f64 / w.pool as f64,
        resident as f64 / MIB,
        std::mem::size_of::<rfc::Node>(),
        rfc.bucket_bytes() as f64 / w.pool as f64,
        requested as f64 / w.pool as f64
    );
    drop(rfc);
    println!(
        "| flat (b) | {:.2} at 100% fill, {:.2} at 10% | {:.1} | 1 B per lower-tier page, tracked or not |\n",
        w.span as f64 / w.pool as f64,
        w.span as f64 / (w.pool as f64 * 0.1),
        w.span as f64 / MIB
    );
}

fn main() {
    let pool = env("PGHOT_BENCH_POOL", 1 << 20);
    let reps = env("PGHOT_BENCH_REPS", 7);
    let w = Workload::new(pool);
    memory(&w);
    println!(
        "## Time per report ({reps} samples per figure; a sample is {} new PFNs below 100% fill, else {pool} reports)\n",
        10 * (pool / 100).max(1)
    );
    println!(
        "| fill | thr | PFN | impl | ns min | ns median | allocs/report | x engine | x flat |"
    );
    println!("|---:|---:|---|---|---:|---:|---:|---:|---:|");
    let start = 1_000_000;
    for fill in [10, 90, 100] {
        for what in ["new", "known"] {
            let plan = Plan::new(w, what == "new", fill);
            // One thread: all four built and filled, then sampled in turn.
            let mut shard = new_shard(pool);
            let locked = new_locked(pool, 1);
            let rfc = new_rfc(pool);
            let flat = new_flat(&w);
            let mut now = [start; 4];
            now[0] = prefill(&mut shard, &w, plan.filled, now[0]);
            now[1] = prefill(&mut Locked(&locked), &w, plan.filled, now[1]);
            now[2] = prefill(&mut &rfc, &w, plan.filled, now[2]);
            now[3] = prefill(&mut &flat, &w, plan.filled, now[3]);
            let mut acc: [Acc; 4] = Default::default();
            for rep in 0..reps {
                acc[0].add(sample_1(&mut shard, &plan, rep, &mut now[0]));
                acc[1].add(sample_1(&mut Locked(&locked), &plan, rep, &mut now[1]));
                acc[2].add(sample_1(&mut &rfc, &plan, rep, &mut now[2]));
                acc[3].add(sample_1(&mut &flat, &plan, rep, &mut now[3]));
            }
            assert!(
                acc[0].allocs == 0 && acc[1].allocs == 0,
                "the engine allocated on the report path"
            );
            for (i, name) in ["engine", "engine+lock", "rfc (a)", "flat (b)"]
                .iter()
                .enumerate()
            {
                row(fill, 1, what, name, &acc[i], &acc[0], &acc[3]);
            }
            let st = *shard.stats();
            println!(
                "| | | | engine: created {}, replaced {}, dropped {}, heap inserted {}, evicted {}, full {} | | | | | |",
                st.created, st.replaced, st.dropped, st.heap_inserted, st.heap_evicted, st.heap_full
            );
            drop((shard, locked, rfc, flat));
            // Two threads; also the engine with 16 shards sharing the same
            // pool, to show the effect of more shards than CPUs.
            let locked = new_locked(pool, 2);
            let locked16 = new_locked(pool, 16);
            let rfc = new_rfc(pool);
            let flat = new_flat(&w);
            let mut now = [start; 4];
            now[0] = prefill(&mut Locked(&locked), &w, plan.filled, now[0]);
            now[1] = prefill(&mut &rfc, &w, plan.filled, now[1]);
            now[2] = prefill(&mut &flat, &w, plan.filled, now[2]);
            now[3] = prefill(&mut Locked(&locked16), &w, plan.filled, now[3]);
            let mut acc: [Acc; 4] = Default::default();
            for rep in 0..reps {
                acc[0].add(sample_2(Locked(&locked), &plan, rep, &mut now[0]));
                acc[1].add(sample_2(&rfc, &plan, rep, &mut now[1]));
                acc[2].add(sample_2(&flat, &plan, rep, &mut now[2]));
                acc[3].add(sample_2(Locked(&locked16), &plan, rep, &mut now[3]));
            }
            assert!(
                acc[0].allocs == 0 && acc[3].allocs == 0,
                "the engine allocated on the report path"
            );
            for (i, name) in ["engine+lock", "rfc (a)", "flat (b)", "engine x16"]
                .iter()
                .enumerate()
            {
                row(fill, 2, what, name, &acc[i], &acc[0], &acc[2]);
            }
        }
    }
    println!("\nallocations on the engine's report path: 0 (checked on every sample)");
}
