# KTAP output for the guest's test programs (busybox ash). Sourced, never run.
#
# The shape is the kernel's selftests one (Documentation/dev-tools/ktap.rst,
# tools/testing/selftests/kselftest/): a test program prints
#
#   TAP version 13
#   1..N                          its plan: N subtests
#   # free text                   diagnostic lines, anywhere
#   ok 1 description              a passed subtest
#   not ok 2 description          a failed one
#   ok 3 description # SKIP why   a skipped one
#   # Totals: pass:2 fail:1 xfail:0 xpass:0 skip:1 error:0
#
# and exits KSFT_PASS (0) when every planned subtest passed or was skipped
# and at least one passed, KSFT_SKIP (4) when all were skipped, KSFT_FAIL (1)
# otherwise (a failure, or fewer results than planned). A program that cannot
# run at all prints "1..0 # SKIP why" (ktap_skip_all) or "Bail out! why"
# (ktap_bail) and exits 4 or 1.

KSFT_PASS=0
KSFT_FAIL=1
KSFT_XFAIL=2
KSFT_XPASS=3
KSFT_SKIP=4

KTAP_PLAN=
KTAP_NR=0
KTAP_PASS=0
KTAP_FAIL=0
KTAP_SKIP=0

ktap_header() { echo "TAP version 13"; }

# ktap_plan N: print the plan (once, before the first result).
ktap_plan() {
	KTAP_PLAN=$1
	echo "1..$1"
}

# ktap_diag TEXT...: diagnostic line(s); every line of TEXT gets "# ".
ktap_diag() {
	printf '%s\n' "$*" | awk '{ print "# " $0 }'
}

# ktap_prefix: filter that turns its input into diagnostic lines, unbuffered
# (busybox awk flushes on fflush(); sed would hold lines back in a pipe).
ktap_prefix() { awk '{ print "# " $0; fflush() }'; }

# _ktap_line ok|"not ok" DESCRIPTION [DIRECTIVE]
_ktap_line() {
	KTAP_NR=$((KTAP_NR + 1))
	if [ -n "${3:-}" ]; then
		echo "$1 $KTAP_NR $2 # $3"
	else
		echo "$1 $KTAP_NR $2"
	fi
}

ktap_pass() {
	KTAP_PASS=$((KTAP_PASS + 1))
	_ktap_line ok "$1"
}

# ktap_fail DESCRIPTION [DIRECTIVE]
ktap_fail() {
	KTAP_FAIL=$((KTAP_FAIL + 1))
	_ktap_line "not ok" "$1" "${2:-}"
}

# ktap_skip DESCRIPTION REASON
ktap_skip() {
	KTAP_SKIP=$((KTAP_SKIP + 1))
	if [ -n "${2:-}" ]; then
		_ktap_line ok "$1" "SKIP $2"
	else
		_ktap_line ok "$1" SKIP
	fi
}

# ktap_result DESCRIPTION COMMAND...: pass if COMMAND succeeds, else fail.
ktap_result() {
	_d=$1
	shift
	if "$@"; then ktap_pass "$_d"; else ktap_fail "$_d"; fi
}

ktap_totals() {
	echo "# Totals: pass:$KTAP_PASS fail:$KTAP_FAIL xfail:0 xpass:0 skip:$KTAP_SKIP error:0"
}

# ktap_exit_code: what ktap_finish would exit with.
ktap_exit_code() {
	if [ "$KTAP_FAIL" -gt 0 ] || [ -z "$KTAP_PLAN" ] ||
		[ "$KTAP_NR" -ne "$KTAP_PLAN" ]; then
		echo $KSFT_FAIL
	elif [ "$KTAP_PASS" -eq 0 ] && [ "$KTAP_SKIP" -gt 0 ]; then
		echo $KSFT_SKIP
	else
		echo $KSFT_PASS
	fi
}

# ktap_finish: totals, then exit with the program's verdict.
ktap_finish() {
	_rc=$(ktap_exit_code)
	[ -z "$KTAP_PLAN" ] || [ "$KTAP_NR" -eq "$KTAP_PLAN" ] ||
		echo "# planned $KTAP_PLAN subtests, ran $KTAP_NR"
	ktap_totals
	exit "$_rc"
}

# ktap_skip_all REASON: nothing can run here (before any plan).
ktap_skip_all() {
	echo "1..0 # SKIP $*"
	exit $KSFT_SKIP
}

# ktap_bail REASON: stop here; what is left of the plan did not run.
ktap_bail() {
	echo "Bail out! $*"
	ktap_totals
	exit $KSFT_FAIL
}
