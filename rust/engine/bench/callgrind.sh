#!/bin/bash
# Instructions per report, counted by callgrind, for the engine and both
# baselines on every scenario of the timing benchmark (see
# Documentation/engine-bench.md). Only `common::measured` (the report loop)
# is collected; setup and fill are not. Usage:
#   rust/engine/bench/callgrind.sh [pool]      (default 262144 records)
set -euo pipefail
cd "$(dirname "$0")/.."
pool=${1:-262144}
command -v valgrind >/dev/null || { echo "valgrind is not installed" >&2; exit 1; }
cargo bench --bench icount --no-run 2>/dev/null
bin=$(cargo bench --bench icount --no-run --message-format=json 2>/dev/null |
	sed -n 's/.*"executable":"\([^"]*icount[^"]*\)".*/\1/p' | tail -1)
[ -x "$bin" ] || { echo "icount binary not found" >&2; exit 1; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
printf '| scenario | engine | engine+lock | rfc (a) | flat (b) |\n|---|---:|---:|---:|---:|\n'
for sc in new10 new90 new100 known10 known90 known100; do
	row="| $sc"
	for imp in engine engine+lock rfc flat; do
		n=$(valgrind --tool=callgrind --callgrind-out-file="$out/cg" \
			--toggle-collect='*measured*' "$bin" "$imp" "$sc" "$pool" 2>/dev/null | tail -1)
		ir=$(sed -n 's/^totals: *\([0-9]*\).*/\1/p' "$out/cg")
		[ -n "$ir" ] || ir=$(sed -n 's/^summary: *\([0-9]*\).*/\1/p' "$out/cg")
		row="$row | $(awk -v i="$ir" -v n="$n" 'BEGIN { printf "%.0f", i / n }')"
	done
	echo "$row |"
done
echo
echo "instructions per report (Ir / reports), pool $pool records, $(valgrind --version)"
