# Shared helpers for the guest's test programs, setup steps and the runner
# (busybox ash). Sourced, never run:  . /pghot/lib.sh
#
# Every test program prints KTAP and exits 0 pass / 1 fail / 4 skip
# (ktap_helpers.sh). A program with one result calls, after its header and
# plan of 1, exactly one of
#   pass DETAIL   "# DETAIL", "ok 1 <name>", exit 0
#   fail DETAIL   "# DETAIL", "not ok 1 <name>", exit 1
#   skip REASON   "ok 1 <name> # SKIP REASON", exit 4
# A program with several subtests reports them with ktap_pass/ktap_fail/
# ktap_result or bad/subtest (below) and ends with ktap_finish; there, fail
# stops the program with "Bail out!" (a broken precondition) and skip marks
# the subtests left as skipped.
# Markers written to /dev/kmsg land in the kernel log in order with the
# kernel's own messages (stdout and printk may interleave on the console).
. /pghot/ktap_helpers.sh

PGHOT_KO=${PGHOT_KO:-/pghot.ko}
PGHOT_KUNIT_KO=${PGHOT_KUNIT_KO:-/pghot-kunit.ko}
PGHOT_SYSFS=/sys/kernel/mm/pghot
PGHOT_TIERS=/sys/devices/virtual/memory_tiering

# The test's name, from the file name the runner runs.
PGHOT_NAME=${PGHOT_NAME:-$(basename "$0")}

pass() {
	[ -z "$*" ] || ktap_diag "$*"
	ktap_pass "$PGHOT_NAME"
	ktap_finish
}

fail() {
	if [ "${KTAP_PLAN:-0}" = 1 ] && [ "$KTAP_NR" = 0 ]; then
		ktap_diag "$*"
		ktap_fail "$PGHOT_NAME"
		ktap_finish
	fi
	[ -n "$KTAP_PLAN" ] || { ktap_header; ktap_plan 1; }
	ktap_bail "$*"
}

skip() {
	[ -n "$KTAP_PLAN" ] || ktap_skip_all "$*"
	if [ "$KTAP_PLAN" = 1 ] && [ "$KTAP_NR" = 0 ]; then
		ktap_skip "$PGHOT_NAME" "$*"
	else
		while [ "$KTAP_NR" -lt "$KTAP_PLAN" ]; do
			ktap_skip "subtest $((KTAP_NR + 1))" "$*"
		done
	fi
	ktap_finish
}

info() { ktap_diag "$*"; }

# Subtests made of several assertions: each failed assertion calls
# bad MESSAGE (a diagnostic line); subtest DESCRIPTION then reports ok when
# there was no bad since the previous subtest, not ok otherwise.
PGHOT_ERRS=0
_pghot_e0=0
bad() {
	PGHOT_ERRS=$((PGHOT_ERRS + 1))
	ktap_diag "FAIL: $*"
}
subtest() {
	if [ "$PGHOT_ERRS" -eq "$_pghot_e0" ]; then ktap_pass "$1"; else ktap_fail "$1"; fi
	_pghot_e0=$PGHOT_ERRS
}

# kmsg_mark TEXT: put a line into the kernel log (and so on the console).
kmsg_mark() { echo "$*" >/dev/kmsg; }

# Splat patterns, the same as the host's (qemu/parse-log SPLAT_RE).
SPLAT_ERE='(^|[^A-Za-z0-9_])(BUG|WARNING|Oops|KASAN|Call Trace|Kernel panic)([^A-Za-z0-9_]|$)'

# dmesg_since MARK: kernel log from the last line containing MARK on (all of
# it if the mark has rotated out).
dmesg_since() {
	dmesg | awk -v m="$1" '{ l[NR] = $0 } index($0, m) { s = NR }
		END { for (i = (s ? s : 1); i <= NR; i++) print l[i] }'
}

# splats_since MARK: print the first splat line since MARK; status 0 if any.
splats_since() {
	dmesg_since "$1" | grep -E -m1 "$SPLAT_ERE"
}

# expand_list "0-2,5" -> "0 1 2 5"
expand_list() {
	echo "$1" | tr ',' '\n' | while IFS=- read -r _a _b; do
		[ -n "$_a" ] || continue
		[ -n "$_b" ] || _b=$_a
		while [ "$_a" -le "$_b" ]; do
			echo "$_a"
			_a=$((_a + 1))
		done
	done | tr '\n' ' '
}

# node_tier N: number of the memory_tierX that holds node N (status 1 if none).
node_tier() {
	for _d in "$PGHOT_TIERS"/memory_tier*; do
		[ -f "$_d/nodelist" ] || continue
		for _x in $(expand_list "$(cat "$_d/nodelist")"); do
			if [ "$_x" = "$1" ]; then
				echo "${_d##*memory_tier}"
				return 0
			fi
		done
	done
	return 1
}

# tier_summary: "tier4=0 tier18=1" for every memory tier.
tier_summary() {
	for _d in "$PGHOT_TIERS"/memory_tier*; do
		[ -f "$_d/nodelist" ] || continue
		printf 'tier%s=%s ' "${_d##*memory_tier}" "$(cat "$_d/nodelist")"
	done
}

# Online memory nodes ("N_MEMORY") as a space-separated list.
memory_nodes() { expand_list "$(cat /sys/devices/system/node/has_memory)"; }

# node_mem_kb N: MemTotal of node N in kB.
node_mem_kb() {
	awk '/MemTotal/ { print $4 }' "/sys/devices/system/node/node$1/meminfo" 2>/dev/null
}

# node_cpus N: the node's cpulist ("" when memory-only).
node_cpus() { cat "/sys/devices/system/node/node$1/cpulist" 2>/dev/null; }

# slowest_node: the memory node in the highest-numbered (lowest) tier.
slowest_node() {
	_best= _bt=-1
	for _x in $(memory_nodes); do
		_t=$(node_tier "$_x") || continue
		if [ "$_t" -gt "$_bt" ]; then
			_bt=$_t _best=$_x
		fi
	done
	[ -n "$_best" ] && echo "$_best"
}

# ticks NAME: utime+stime, in clock ticks, of every thread whose name
# starts with NAME (kpromoted, kpghotscand, kdamond).
ticks() {
	for _d in /proc/[0-9]*; do
		read -r _c <"$_d/comm" 2>/dev/null || continue
		case $_c in "$1"*) awk '{ s += $14 + $15 } END { print s + 0 }' "$_d/stat" ;; esac
	done | awk '{ s += $1 } END { print s + 0 }'
}

pghot_loaded() { grep -q '^pghot ' /proc/modules; }

# pghot_load: insmod the module unless loaded; prints the error on failure.
pghot_load() {
	pghot_loaded && return 0
	[ -f "$PGHOT_KO" ] || { echo "no module at $PGHOT_KO"; return 1; }
	_e=$(insmod "$PGHOT_KO" 2>&1) || { echo "insmod failed: $_e"; return 1; }
}

pghot_unload() {
	pghot_loaded || return 0
	_e=$(rmmod pghot 2>&1) || { echo "rmmod failed: $_e"; return 1; }
}

# hotset_summary FILE: one line from a hotset output: hot and cold page
# counts, the first t at which >= 90% of the hot pages were on node 0
# ("never" if none), hot and cold pages on node 0 at the last sample.
hotset_summary() {
	awk '
		/^HOTSET start/ { for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
			hot = v["hot_pages"]; cold = v["ws_pages"] - v["hot_pages"] }
		/^HOTSET t=/ { for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
			if (reach == "" && hot > 0 && v["hot_n0"] * 10 >= hot * 9) reach = v["t"]
			h0 = v["hot_n0"]; c0 = v["cold_n0"]; last = v["t"] }
		END { printf "hot=%d cold=%d reach90=%s hot_on_fast=%d cold_on_fast=%d last_t=%s\n",
			hot, cold, (reach == "" ? "never" : reach), h0, c0, last }' "$1"
}

# hotset_until_promoted FILE BOUND HOTSET-ARGS...: run hotset with a sample
# every second for at most BOUND seconds (-t BOUND), output in FILE; once
# >= 90% of its hot pages are on node 0, let it take two more samples and
# stop it (SIGTERM: it prints its end line and exits 0). Status: hotset's.
hotset_until_promoted() {
	_out=$1 _bound=$2
	shift 2
	hotset "$@" -t "$_bound" -i 1 >"$_out" 2>&1 &
	_hp=$! _after=-1
	while kill -0 "$_hp" 2>/dev/null; do
		sleep 1
		if [ "$_after" -lt 0 ]; then
			case $(hotset_summary "$_out") in
			*reach90=never*) ;;
			*) _after=2 ;;
			esac
		elif [ "$_after" -gt 0 ]; then
			_after=$((_after - 1))
		else
			kill -TERM "$_hp" 2>/dev/null
			break
		fi
	done
	wait "$_hp"
}

# field NAME LINE: the value of NAME=value in LINE.
field() { echo "$2" | tr ' ' '\n' | sed -n "s/^$1=//p" | head -n1; }

# nb_fast: NUMA balancing scans every 100 ms to 1 s, at once (sched
# debugfs), so that a test's promotion by hint faults depends little on
# scan timing, which on a loaded host can leave mode 2 far behind; the
# periods in force are kept for nb_restore. Fails if debugfs has no such
# files.
nb_fast() {
	_nb=/sys/kernel/debug/sched/numa_balancing
	grep -q " /sys/kernel/debug debugfs " /proc/mounts ||
		mount -t debugfs none /sys/kernel/debug
	[ -f $_nb/scan_period_min_ms ] || fail "no $_nb/scan_period_min_ms"
	read -r _nb_min <$_nb/scan_period_min_ms
	read -r _nb_delay <$_nb/scan_delay_ms
	read -r _nb_max <$_nb/scan_period_max_ms
	echo 1000 >$_nb/scan_period_max_ms
	echo 100 >$_nb/scan_period_min_ms
	echo 0 >$_nb/scan_delay_ms
}

nb_restore() {
	echo "$_nb_min" >$_nb/scan_period_min_ms
	echo "$_nb_delay" >$_nb/scan_delay_ms
	echo "$_nb_max" >$_nb/scan_period_max_ms
}

# vm NAME: the value of NAME in /proc/vmstat.
vm() { awk -v k="$1" '$1 == k { print $2 }' /proc/vmstat; }
