# Shared helpers for the guest runner, setup steps and checks (busybox ash).
# Sourced, never run:  . /pghot/lib.sh
#
# Result protocol (parsed by the host, qemu/parse-log):
#   PGHOT-CHECK <name> PASS|FAIL <detail>     exactly one per check
#   PGHOT-SETUP <name> PASS|FAIL <detail>     one per setup step
#   PGHOT-DONE                                the runner finished
# Markers written to /dev/kmsg land in the kernel log in order with the
# kernel's own messages (stdout and printk may interleave on the console).

PGHOT_KO=${PGHOT_KO:-/pghot.ko}
PGHOT_SYSFS=/sys/kernel/mm/pghot
PGHOT_TIERS=/sys/devices/virtual/memory_tiering

# pghot_result NAME PASS|FAIL DETAIL...
pghot_result() {
	_n=$1 _r=$2
	shift 2
	echo "PGHOT-${PGHOT_KIND:-CHECK} $_n $_r $*"
}

# The check's name, from the file name the runner runs.
PGHOT_NAME=${PGHOT_NAME:-$(basename "$0")}
pass() { pghot_result "$PGHOT_NAME" PASS "$*"; exit 0; }
fail() { pghot_result "$PGHOT_NAME" FAIL "$*"; exit 1; }

info() { echo "[$PGHOT_NAME] $*"; }

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
