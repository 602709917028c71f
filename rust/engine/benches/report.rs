//! `cargo bench --bench report`: cost of one report, in ns, for the engine
//! and the two baselines, on the same workload in the same run.
//!
//! Scenarios: a new PFN and a known PFN, with the pool 10%, 90% and 100%
//! full; single-threaded, and two threads reporting at once. Implementations:
//! `engine` (one shard, no lock), `engine+lock` (the same behind a Mutex, as
//! the kernel runs it), `rfc` (baseline a) and `flat` (baseline b). With two
//! threads the engine runs two shards, each behind a Mutex.
//!
//! Environment: `PGHOT_BENCH_POOL` (records, default 2^20) and
//! `PGHOT_BENCH_REPS` (samples per figure, default 5; the median is shown).
//! A counting global allocator checks that the engine's report path never
//! allocates (the run aborts if it does).

// Timings are reported as floating-point averages and ratios.
#![allow(clippy::float_arithmetic)]

mod common;

use common::*;
use std::sync::Barrier;
use std::time::Instant;

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Median ns per report, and allocations per report.
#[derive(Clone, Copy, Default)]
struct Meas {
    ns: f64,
    allocs: f64,
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

struct Ctx {
    w: Workload,
    reps: usize,
    now: u64,
    /// Next fresh PFN index.
    seq: usize,
    seed: u64,
}

impl Ctx {
    /// Rounds of new PFNs per sample (each round removed afterwards, untimed,
    /// so the fill level stays put) and their size.
    fn new_rounds(&self, full: bool) -> (usize, usize) {
        if full {
            (1, self.w.pool)
        } else {
            (10, (self.w.pool / 100).max(1))
        }
    }

    fn fresh(&mut self, n: usize) -> Vec<u64> {
        let v = self.w.fresh(self.seq, n);
        self.seq += n;
        v
    }

    fn known(&mut self, filled: usize, n: usize) -> Vec<u64> {
        self.seed = self.seed.wrapping_add(0x9E37_79B9);
        self.w.known(filled, n, self.seed)
    }
}

/// New PFNs, one thread.
fn new_1<R: Reporter>(c: &mut Ctx, r: &mut R, full: bool) -> Meas {
    let (rounds, batch) = c.new_rounds(full);
    let (mut samples, mut allocs, mut n) = (Vec::new(), 0, 0);
    for _ in 0..c.reps {
        let mut ns = 0.0;
        for _ in 0..rounds {
            let pfns = c.fresh(batch);
            let a = common::allocs();
            let t = Instant::now();
            c.now = measured(r, &pfns, c.now);
            ns += t.elapsed().as_nanos() as f64;
            allocs += common::allocs() - a;
            n += pfns.len();
            if !full {
                for &p in &pfns {
                    r.remove(p);
                }
            }
        }
        samples.push(ns / (rounds * batch) as f64);
    }
    Meas {
        ns: median(samples),
        allocs: allocs as f64 / n as f64,
    }
}

/// Known PFNs, one thread.
fn known_1<R: Reporter>(c: &mut Ctx, r: &mut R, filled: usize) -> Meas {
    let m = 2 * c.w.pool;
    let (mut samples, mut allocs) = (Vec::new(), 0);
    for _ in 0..c.reps {
        let pfns = c.known(filled, m);
        let a = common::allocs();
        let t = Instant::now();
        c.now = measured(r, &pfns, c.now);
        let ns = t.elapsed().as_nanos() as f64;
        allocs += common::allocs() - a;
        samples.push(ns / m as f64);
    }
    Meas {
        ns: median(samples),
        allocs: allocs as f64 / (m * c.reps) as f64,
    }
}

/// One thread's share: returns its time in ns and its allocations.
fn run_part<R: Reporter>(mut h: R, part: &[u64], barrier: &Barrier, now: u64) -> (f64, u64) {
    barrier.wait();
    let a = common::allocs();
    let t = Instant::now();
    measured(&mut h, part, now);
    let ns = t.elapsed().as_nanos() as f64;
    (ns, common::allocs() - a)
}

/// Two threads report the two halves of `pfns` at once. Returns the wall
/// time (the slower thread) in ns and the allocations made meanwhile.
fn two<R: Reporter + Copy + Send>(h: R, pfns: &[u64], now: u64) -> (f64, u64) {
    let (a, b) = pfns.split_at(pfns.len() / 2);
    let barrier = Barrier::new(2);
    let barrier = &barrier;
    std::thread::scope(|s| {
        let x = s.spawn(move || run_part(h, a, barrier, now));
        let y = s.spawn(move || run_part(h, b, barrier, now));
        let ((tx, ax), (ty, ay)) = (x.join().unwrap(), y.join().unwrap());
        (tx.max(ty), ax + ay)
    })
}

/// New PFNs, two threads; ns per report of one thread (wall / half).
fn new_2<R: Reporter + Copy + Send>(c: &mut Ctx, h: R, full: bool) -> Meas {
    let (rounds, batch) = c.new_rounds(full);
    let (mut samples, mut allocs, mut n) = (Vec::new(), 0, 0);
    for _ in 0..c.reps {
        let mut ns = 0.0;
        for _ in 0..rounds {
            let pfns = c.fresh(batch);
            let (t, a) = two(h, &pfns, c.now);
            c.now += (batch as u64 / 2) / REPORTS_PER_JIFFY + 1;
            ns += t;
            allocs += a;
            n += pfns.len();
            if !full {
                let mut h = h;
                for &p in &pfns {
                    h.remove(p);
                }
            }
        }
        samples.push(ns / (rounds * batch / 2) as f64);
    }
    Meas {
        ns: median(samples),
        allocs: allocs as f64 / n as f64,
    }
}

/// Known PFNs, two threads; ns per report of one thread.
fn known_2<R: Reporter + Copy + Send>(c: &mut Ctx, h: R, filled: usize) -> Meas {
    let m = 2 * c.w.pool;
    let (mut samples, mut allocs) = (Vec::new(), 0);
    for _ in 0..c.reps {
        let pfns = c.known(filled, m);
        let (t, a) = two(h, &pfns, c.now);
        c.now += (m as u64 / 2) / REPORTS_PER_JIFFY + 1;
        samples.push(t / (m / 2) as f64);
        allocs += a;
    }
    Meas {
        ns: median(samples),
        allocs: allocs as f64 / (m * c.reps) as f64,
    }
}

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn row(fill: usize, threads: usize, what: &str, name: &str, m: Meas, engine: Meas, flat: Meas) {
    println!(
        "| {fill:>3}% | {threads} | {what:<5} | {name:<11} | {:>7.1} | {:>5.2} | {:>6.2} | {:>6.2} |",
        m.ns,
        m.allocs,
        m.ns / engine.ns,
        m.ns / flat.ns
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
        "| rfc (a) | {:.2} | {:.1} | measured RSS; {} B records requested + {:.1} B bucket locks/record; requested {:.2} B/record |",
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
    // `cargo bench` passes `--bench`; there is nothing to filter.
    let pool = env("PGHOT_BENCH_POOL", 1 << 20);
    let reps = env("PGHOT_BENCH_REPS", 5);
    let w = Workload::new(pool);
    memory(&w);
    let mut c = Ctx {
        w,
        reps,
        now: 1_000_000,
        seq: 0,
        seed: 1,
    };
    let (r1, b1) = c.new_rounds(false);
    println!(
        "## Time per report (median of {reps} samples; new PFN: {} reports/sample below 100% fill, {} at 100%; known PFN: {} reports/sample)\n",
        r1 * b1,
        pool,
        2 * pool
    );
    println!("| fill | thr | PFN | impl | ns/report | allocs/report | x engine | x flat |");
    println!("|---:|---:|---|---|---:|---:|---:|---:|");
    for fill in [10, 90, 100] {
        let filled = pool * fill / 100;
        let full = fill == 100;
        for what in ["new", "known"] {
            // One thread. Every implementation gets the same fresh PFNs.
            c.seq = 0;
            let mut shard = new_shard(pool);
            c.now = prefill(&mut shard, &w, filled, c.now);
            let e = if what == "new" {
                new_1(&mut c, &mut shard, full)
            } else {
                known_1(&mut c, &mut shard, filled)
            };
            let stats = *shard.stats();
            drop(shard);
            c.seq = 0;
            let locked = new_locked(pool, 1);
            let mut h = Locked(&locked);
            c.now = prefill(&mut h, &w, filled, c.now);
            let el = if what == "new" {
                new_1(&mut c, &mut h, full)
            } else {
                known_1(&mut c, &mut h, filled)
            };
            drop(locked);
            c.seq = 0;
            let rfc = new_rfc(pool);
            let mut h = &rfc;
            c.now = prefill(&mut h, &w, filled, c.now);
            let a = if what == "new" {
                new_1(&mut c, &mut h, full)
            } else {
                known_1(&mut c, &mut h, filled)
            };
            drop(rfc);
            c.seq = 0;
            let flat = new_flat(&w);
            let mut h = &flat;
            c.now = prefill(&mut h, &w, filled, c.now);
            let b = if what == "new" {
                new_1(&mut c, &mut h, full)
            } else {
                known_1(&mut c, &mut h, filled)
            };
            drop(flat);
            assert!(
                e.allocs == 0.0 && el.allocs == 0.0,
                "the engine allocated on the report path: {} {}",
                e.allocs,
                el.allocs
            );
            row(fill, 1, what, "engine", e, e, b);
            row(fill, 1, what, "engine+lock", el, e, b);
            row(fill, 1, what, "rfc (a)", a, e, b);
            row(fill, 1, what, "flat (b)", b, e, b);
            println!(
                "|      |   | {what:<5} | (engine: created {}, replaced {}, dropped {}, heap inserted {}, evicted {}, full {}) | | | | |",
                stats.created, stats.replaced, stats.dropped, stats.heap_inserted, stats.heap_evicted, stats.heap_full
            );
            // Two threads.
            c.seq = 0;
            let locked = new_locked(pool, 2);
            let mut h = Locked(&locked);
            c.now = prefill(&mut h, &w, filled, c.now);
            let e2 = if what == "new" {
                new_2(&mut c, h, full)
            } else {
                known_2(&mut c, h, filled)
            };
            drop(locked);
            c.seq = 0;
            let rfc = new_rfc(pool);
            let mut h = &rfc;
            c.now = prefill(&mut h, &w, filled, c.now);
            let a2 = if what == "new" {
                new_2(&mut c, h, full)
            } else {
                known_2(&mut c, h, filled)
            };
            drop(rfc);
            c.seq = 0;
            let flat = new_flat(&w);
            let mut h = &flat;
            c.now = prefill(&mut h, &w, filled, c.now);
            let b2 = if what == "new" {
                new_2(&mut c, h, full)
            } else {
                known_2(&mut c, h, filled)
            };
            drop(flat);
            assert!(e2.allocs == 0.0, "the engine allocated on the report path");
            row(fill, 2, what, "engine+lock", e2, e2, b2);
            row(fill, 2, what, "rfc (a)", a2, e2, b2);
            row(fill, 2, what, "flat (b)", b2, e2, b2);
        }
    }
    println!("\nallocations on the engine's report path: 0 (checked)");
}
