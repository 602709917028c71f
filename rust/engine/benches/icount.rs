//! Instruction counts per report, under callgrind: `bench/callgrind.sh`.
//!
//! `icount <impl> <scenario> [pool]` builds one implementation (`engine`,
//! `engine+lock`, `rfc`, `flat`), fills it to the scenario's level, and runs
//! the scenario's reports through `common::measured`, the only function
//! callgrind collects. Scenarios: `new10`, `new90`, `new100`, `known10`,
//! `known90`, `known100`. Prints the number of measured reports; the script
//! divides the collected instructions by it. Without arguments (as `cargo
//! bench` runs it) it runs one small scenario of each implementation.

mod common;

use common::*;

fn run<R: Reporter>(r: &mut R, w: &Workload, scenario: &str) -> usize {
    let (kind, fill) = scenario.split_at(if scenario.starts_with("new") { 3 } else { 5 });
    let fill: usize = fill.parse().expect("scenario: new|known + 10|90|100");
    let filled = w.pool * fill / 100;
    let mut now = prefill(r, w, filled, 1000);
    let pfns = match kind {
        // Below 100%, as many new PFNs as keep the fill level within 1%.
        "new" if fill < 100 => w.fresh(0, (w.pool / 100).max(1)),
        "new" => w.fresh(0, w.pool),
        _ => w.known(filled, w.pool, 7),
    };
    // Warm up the known path on other PFNs (counted outside `measured`).
    if kind == "known" {
        for (i, &p) in w.known(filled, w.pool / 4 * warm(), 11).iter().enumerate() {
            now += u64::from((i as u64).is_multiple_of(REPORTS_PER_JIFFY));
            r.report(p, (p & 1) as u32, now);
        }
    }
    measured(r, &pfns, now);
    pfns.len()
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    if args.is_empty() {
        for imp in ["engine", "engine+lock", "rfc", "flat"] {
            let n = one(imp, "known90", 1 << 12);
            println!("icount smoke run: {imp} known90: {n} reports");
        }
        return;
    }
    let pool = args.get(2).and_then(|v| v.parse().ok()).unwrap_or(1 << 18);
    println!("{}", one(&args[0], &args[1], pool));
}

fn one(imp: &str, scenario: &str, pool: usize) -> usize {
    let w = Workload::new(pool);
    match imp {
        "engine" => run(&mut new_shard(pool), &w, scenario),
        "engine+lock" => run(&mut Locked(&new_locked(pool, 1)), &w, scenario),
        "rfc" => run(&mut &new_rfc(pool), &w, scenario),
        "flat" => run(&mut &new_flat(&w), &w, scenario),
        _ => panic!("implementation: engine|engine+lock|rfc|flat"),
    }
}

/// Known-PFN warm-up, in quarters of the pool (`PGHOT_ICOUNT_WARM`,
/// default 1). Longer warm-ups reach the steady state where frequencies
/// have saturated and full heaps no longer evict.
fn warm() -> usize {
    std::env::var("PGHOT_ICOUNT_WARM")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1)
}
