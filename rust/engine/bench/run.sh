#!/bin/bash
# Runs the engine benchmarks and prints a report for
# Documentation/engine-bench.md: run context, memory, ns per report
# (`cargo bench --bench report`) and instructions per report
# (bench/callgrind.sh). Usage: rust/engine/bench/run.sh [pool] [callgrind-pool]
set -euo pipefail
cd "$(dirname "$0")/.."
pool=${1:-1048576}
cgpool=${2:-262144}
echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "- commit: $(git rev-parse --short HEAD)$(git diff --quiet -- . || echo ' (engine tree modified)')"
echo "- machine: $(nproc) CPUs, $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(free -g | awk '/^Mem:/ {print $2}') GiB"
echo "- load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- rustc: $(rustc --version)"
echo
PGHOT_BENCH_POOL=$pool cargo bench --bench report 2>/dev/null
echo
echo "## Instructions per report (callgrind)"
echo
bench/callgrind.sh "$cgpool"
