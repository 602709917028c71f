// SPDX-License-Identifier: GPL-2.0
/*
 * pghotctl: drives /dev/pghot, pghot's agent device, for the agent_dev
 * selftest.
 *
 *   pghotctl open             open the device and close it again
 *   pghotctl -C open          the same without CAP_SYS_ADMIN (uid 0 kept)
 *   pghotctl hold SECONDS     keep the device open that long
 *   pghotctl malformed -n SLOW
 *   pghotctl flow -n SLOW [-t TARGET]
 *
 * open and hold print "OK" or "ERR <ERRNO-NAME> <errno>" (exit 0 / 1).
 *
 * malformed maps 1 MiB on node SLOW and sends one malformed request after
 * another, then well-formed ones while pghot, source_user or the device
 * is switched off (it switches them back on); each must fail with its own
 * errno, and afterwards the counters
 * (stats/user, stats/records, stats/agent_moved, stats/agent_move_failed)
 * and the node of every page must be as before.
 *
 * flow maps 1 MiB on node SLOW (4 KiB pages) and, for promotion to TARGET
 * (default 0):
 *   report   reports the first half of the pages three times and the
 *            second half once, in batches; every access must be taken and
 *            stats/user grow by exactly the accesses reported;
 *   hottest  reads the records of TARGET back: all of its pages, the
 *            thrice-reported half first with freq 3, the rest with freq 1;
 *   move     asks to move the first quarter plus a PFN with no page and a
 *            page already on TARGET: 0 for each of the quarter (now on
 *            TARGET), -ENOENT and -EEXIST for the other two, and the
 *            agent_moved / agent_move_failed counters grow to match.
 * It expects kpromoted to stay asleep meanwhile (the selftest sets
 * kpromoted_sleep_ms and kpromoted_batch_nr so).
 *
 * Lines: "# ..." diagnostics, "STEP <name> ok|FAIL"; exit 0 if all ok.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/capability.h>
#include <linux/types.h>

#include "../include/uapi/pghot.h"

#define MPOL_DEFAULT_ 0
#define MPOL_BIND_ 2
#define MPOL_MF_MOVE_ (1 << 1)
#define MAX_NODES 8
#define PAGE 4096UL
#define DEV "/dev/pghot"
#define SYSFS "/sys/kernel/mm/pghot/"

static const struct {
	int num;
	const char *name;
} names[] = {
	{ EPERM, "EPERM" }, { ENOENT, "ENOENT" }, { E2BIG, "E2BIG" },
	{ EAGAIN, "EAGAIN" }, { ENOMEM, "ENOMEM" }, { EACCES, "EACCES" }, { EXDEV, "EXDEV" },
	{ ETXTBSY, "ETXTBSY" },
	{ EFAULT, "EFAULT" }, { EBUSY, "EBUSY" }, { EEXIST, "EEXIST" },
	{ ENODEV, "ENODEV" }, { EINVAL, "EINVAL" }, { ENOTTY, "ENOTTY" },
	{ EPROTONOSUPPORT, "EPROTONOSUPPORT" }, { EINTR, "EINTR" },
};

static const char *errname(int e)
{
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].num == e)
			return names[i].name;
	return "E?";
}

static void die(const char *what)
{
	perror(what);
	exit(2);
}

static int failures;

static void check(int ok, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void check(int ok, const char *fmt, ...)
{
	va_list ap;

	if (ok)
		return;
	failures++;
	printf("# FAIL: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

static void step(const char *name, int failures_before)
{
	printf("STEP %s %s\n", name, failures == failures_before ? "ok" : "FAIL");
	fflush(stdout);
}

static unsigned long long stat_read(const char *name)
{
	char path[128];
	unsigned long long v = 0;
	FILE *f;

	snprintf(path, sizeof(path), SYSFS "stats/%s", name);
	f = fopen(path, "r");
	if (!f || fscanf(f, "%llu", &v) != 1)
		die(path);
	fclose(f);
	return v;
}

static void knob_write(const char *name, const char *value)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), SYSFS "%s", name);
	f = fopen(path, "w");
	if (!f || fputs(value, f) < 0 || fclose(f))
		die(path);
}

/* Drop CAP_SYS_ADMIN from the effective set, staying uid 0. */
static void drop_sys_admin(void)
{
	struct __user_cap_header_struct h = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d))
		die("capget");
	d[CAP_TO_INDEX(CAP_SYS_ADMIN)].effective &= ~CAP_TO_MASK(CAP_SYS_ADMIN);
	if (syscall(SYS_capset, &h, d))
		die("capset");
}

/* Pages of @n * PAGE bytes bound to @node, written, with their PFNs. */
struct pages {
	size_t n;
	char *base;
	uint64_t *pfn;
	void **addrs;
	int *where;
};

static void pages_map(struct pages *p, size_t n, int node)
{
	unsigned long mask = 1UL << node;
	int pm;

	p->n = n;
	p->base = mmap(NULL, n * PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p->base == MAP_FAILED)
		die("mmap");
	if (madvise(p->base, n * PAGE, MADV_NOHUGEPAGE))
		die("madvise");
	if (syscall(SYS_mbind, p->base, n * PAGE, MPOL_BIND_, &mask,
		    MAX_NODES + 1, 1))
		die("mbind");
	for (size_t i = 0; i < n; i++)
		p->base[i * PAGE] = (char)(i + 1);
	/*
	 * Fresh pages wait in per-CPU batches before they reach the LRU, and
	 * pghot ignores pages off the LRU: MPOL_MF_MOVE drains the batches
	 * (lru_add_drain_all()) and moves nothing, the pages being in place.
	 */
	if (syscall(SYS_mbind, p->base, n * PAGE, MPOL_BIND_, &mask,
		    MAX_NODES + 1, MPOL_MF_MOVE_))
		die("mbind move");
	if (syscall(SYS_mbind, p->base, n * PAGE, MPOL_DEFAULT_, NULL, 0, 0))
		die("mbind default");
	p->pfn = calloc(n, sizeof(*p->pfn));
	p->addrs = calloc(n, sizeof(*p->addrs));
	p->where = calloc(n, sizeof(*p->where));
	if (!p->pfn || !p->addrs || !p->where)
		die("calloc");
	pm = open("/proc/self/pagemap", O_RDONLY);
	if (pm < 0)
		die("pagemap");
	for (size_t i = 0; i < n; i++) {
		uint64_t e;

		p->addrs[i] = p->base + i * PAGE;
		if (pread(pm, &e, 8, (uintptr_t)p->addrs[i] / PAGE * 8) != 8)
			die("pread pagemap");
		if (!(e >> 63) || !(e & ((1ULL << 55) - 1))) {
			fprintf(stderr, "page %zu has no PFN (need root)\n", i);
			exit(2);
		}
		p->pfn[i] = e & ((1ULL << 55) - 1);
	}
	close(pm);
}

/* How many of the pages are on @node now (move_pages() query). */
static size_t pages_on(struct pages *p, int node)
{
	size_t cnt = 0;

	if (syscall(SYS_move_pages, 0, p->n, p->addrs, NULL, p->where, 0))
		die("move_pages");
	for (size_t i = 0; i < p->n; i++)
		cnt += p->where[i] == node;
	return cnt;
}

static int dev_open(void)
{
	int fd = open(DEV, O_RDWR);

	if (fd < 0)
		die("open " DEV);
	return fd;
}

/* ioctl, returning 0 or the errno. */
static int xioctl(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) ? errno : 0;
}

static int report(int fd, struct pghot_agent_access *a, unsigned int nr,
		  struct pghot_agent_report *r)
{
	memset(r, 0, sizeof(*r));
	r->version = PGHOT_AGENT_VERSION;
	r->nr = nr;
	r->accesses = (uintptr_t)a;
	return xioctl(fd, PGHOT_IOC_REPORT, r);
}

static void expect(int got, int want, const char *what)
{
	printf("# %s: %s\n", what, got ? errname(got) : "0");
	check(got == want, "%s: got %s (%d), want %s (%d)", what,
	      got ? errname(got) : "0", got, want ? errname(want) : "0", want);
}

static int cmd_malformed(int slow)
{
	struct pages p;
	size_t n = 256;
	int fd = dev_open(), f0 = failures;
	struct pghot_agent_access *a = calloc(PGHOT_AGENT_MAX_NR + 1, sizeof(*a));
	struct pghot_agent_report r;
	struct pghot_agent_query q;
	struct pghot_agent_hot hot[4];
	struct pghot_agent_move m;
	__s32 status[4];
	__u64 pfns[4];
	const char *counters[] = { "user", "records", "agent_moved",
				   "agent_move_failed", "rejected" };
	unsigned long long before[5];

	if (!a)
		die("calloc");
	pages_map(&p, n, slow);
	for (size_t i = 0; i < n; i++)
		a[i] = (struct pghot_agent_access){ .pfn = p.pfn[i], .nid = -1 };
	for (int i = 0; i < 5; i++)
		before[i] = stat_read(counters[i]);

	/* Reports. */
	memset(&r, 0, sizeof(r));
	r.version = 2;
	r.nr = n;
	r.accesses = (uintptr_t)a;
	expect(xioctl(fd, PGHOT_IOC_REPORT, &r), EPROTONOSUPPORT,
	       "report version 2");
	expect(report(fd, a, 0, &r), EINVAL, "report of no entry");
	expect(report(fd, a, PGHOT_AGENT_MAX_NR + 1, &r), E2BIG,
	       "report of MAX_NR + 1 entries");
	a[n / 2].flags = 1;
	expect(report(fd, a, n, &r), EINVAL, "report with one flagged entry");
	a[n / 2].flags = 0;
	a[n - 1].nid = 999;
	expect(report(fd, a, n, &r), EINVAL, "report with one bad node");
	a[n - 1].nid = -2;
	expect(report(fd, a, n, &r), EINVAL, "report with node -2");
	a[n - 1].nid = -1;
	expect(report(fd, (void *)8, n, &r), EFAULT, "report of a bad array");
	expect(xioctl(fd, PGHOT_IOC_REPORT, (void *)8), EFAULT,
	       "report with a bad header");
	expect(xioctl(fd, _IOWR(PGHOT_IOC_MAGIC, 9, struct pghot_agent_report),
		      &r), ENOTTY, "unknown ioctl");

	/* Queries. */
	memset(&q, 0, sizeof(q));
	q.version = PGHOT_AGENT_VERSION;
	q.nr = 4;
	q.records = (uintptr_t)hot;
	q.nid = -1;
	expect(xioctl(fd, PGHOT_IOC_HOTTEST, &q), EINVAL, "hottest of node -1");
	q.nid = slow;
	expect(xioctl(fd, PGHOT_IOC_HOTTEST, &q), EINVAL,
	       "hottest of a lower-tier node");
	q.nid = 0;
	q.nr = 0;
	expect(xioctl(fd, PGHOT_IOC_HOTTEST, &q), EINVAL, "hottest of 0 records");
	q.nr = 4;
	q.records = 8;
	expect(xioctl(fd, PGHOT_IOC_HOTTEST, &q), EFAULT,
	       "hottest into a bad array");

	/* Moves: none may move anything. */
	for (int i = 0; i < 4; i++)
		pfns[i] = p.pfn[i];
	memset(&m, 0, sizeof(m));
	m.version = PGHOT_AGENT_VERSION;
	m.nid = 0;
	m.nr = 4;
	m.pfns = (uintptr_t)pfns;
	m.status = (uintptr_t)status;
	m.reserved = 1;
	expect(xioctl(fd, PGHOT_IOC_MOVE, &m), EINVAL, "move with reserved set");
	m.reserved = 0;
	m.flags = 4;
	expect(xioctl(fd, PGHOT_IOC_MOVE, &m), EINVAL, "move with a flag");
	m.flags = 0;
	m.nid = slow;
	expect(xioctl(fd, PGHOT_IOC_MOVE, &m), EINVAL,
	       "move to a lower-tier node");
	m.nid = 0;
	m.nr = PGHOT_AGENT_MAX_NR + 1;
	expect(xioctl(fd, PGHOT_IOC_MOVE, &m), E2BIG, "move of MAX_NR + 1");
	m.nr = 4;
	m.status = 8;
	expect(xioctl(fd, PGHOT_IOC_MOVE, &m), EFAULT,
	       "move with a bad status array");
	m.status = (uintptr_t)status;
	m.pfns = 8;
	expect(xioctl(fd, PGHOT_IOC_MOVE, &m), EFAULT,
	       "move with a bad PFN array");
	m.pfns = (uintptr_t)pfns;
	m.version = 0;
	expect(xioctl(fd, PGHOT_IOC_MOVE, &m), EPROTONOSUPPORT,
	       "move version 0");
	m.version = PGHOT_AGENT_VERSION;

	/* Well-formed, but refused in the current state. */
	knob_write("enabled", "0");
	expect(report(fd, a, n, &r), EAGAIN, "report while pghot is disabled");
	for (int i = 0; i < 4; i++)
		status[i] = 12345;
	expect(xioctl(fd, PGHOT_IOC_MOVE, &m), EAGAIN,
	       "move while pghot is disabled");
	for (int i = 0; i < 4; i++)
		check(status[i] == -EAGAIN,
		      "refused move: status[%d] = %d, want -EAGAIN", i,
		      status[i]);
	knob_write("enabled", "1");
	knob_write("source_user", "0");
	expect(report(fd, a, n, &r), EAGAIN, "report while source_user is 0");
	knob_write("source_user", "1");
	knob_write("agent_device", "0");
	expect(report(fd, a, n, &r), ENODEV,
	       "report on an open device switched off");
	expect(xioctl(fd, PGHOT_IOC_MOVE, &m), ENODEV,
	       "move on an open device switched off");
	knob_write("agent_device", "1");

	for (int i = 0; i < 5; i++) {
		unsigned long long now = stat_read(counters[i]);

		check(now == before[i], "stats/%s changed: %llu -> %llu",
		      counters[i], before[i], now);
	}
	check(pages_on(&p, slow) == n, "a page left node %d", slow);
	close(fd);
	step("malformed", f0);
	return failures ? 1 : 0;
}

static int cmd_flow(int slow, int target)
{
	struct pages p, fast;
	size_t n = 256, half = n / 2, quarter = n / 4;
	int fd = dev_open(), f0;
	struct pghot_agent_access *a = calloc(n, sizeof(*a));
	struct pghot_agent_hot *hot = calloc(n + 16, sizeof(*hot));
	struct pghot_agent_report r;
	struct pghot_agent_query q;
	struct pghot_agent_move m;
	__u64 *pfns = calloc(quarter + 2, sizeof(*pfns));
	__s32 *status = calloc(quarter + 2, sizeof(*status));
	unsigned long long user0, moved0, failed0;
	unsigned int taken = 0, ignored = 0;
	int err;

	if (!a || !hot || !pfns || !status)
		die("calloc");
	pages_map(&p, n, slow);
	pages_map(&fast, 1, target);
	check(pages_on(&p, slow) == n, "setup: pages not all on node %d", slow);

	/* report: the first half three times, the rest once. */
	f0 = failures;
	user0 = stat_read("user");
	for (int round = 0; round < 3; round++) {
		size_t nr = round ? half : n;

		for (size_t i = 0; i < nr; i++)
			a[i] = (struct pghot_agent_access){ .pfn = p.pfn[i],
							    .nid = -1 };
		/* Two batches a round, to show batches add up. */
		for (size_t off = 0; off < nr; off += nr / 2) {
			err = report(fd, a + off, nr / 2, &r);
			check(!err, "report: %s", errname(err));
			taken += r.nr_taken;
			ignored += r.nr_ignored;
		}
	}
	printf("# report: taken=%u ignored=%u stats/user +%llu\n", taken,
	       ignored, stat_read("user") - user0);
	check(taken == n + 2 * half && !ignored,
	      "report: taken %u ignored %u, want %zu and 0", taken, ignored,
	      n + 2 * half);
	check(stat_read("user") - user0 == n + 2 * half,
	      "report: stats/user grew by %llu, want %zu",
	      stat_read("user") - user0, n + 2 * half);
	step("report", f0);

	/* hottest: every page, the thrice-reported half first. */
	f0 = failures;
	memset(&q, 0, sizeof(q));
	q.version = PGHOT_AGENT_VERSION;
	q.nid = target;
	q.nr = n + 16;
	q.records = (uintptr_t)hot;
	err = xioctl(fd, PGHOT_IOC_HOTTEST, &q);
	check(!err, "hottest: %s", errname(err));
	printf("# hottest: %u records; first pfn=%#llx freq=%u age=%llums\n",
	       q.nr_out, q.nr_out ? (unsigned long long)hot[0].pfn : 0ULL,
	       q.nr_out ? hot[0].freq : 0,
	       q.nr_out ? (unsigned long long)hot[0].age_ms : 0ULL);
	check(q.nr_out == n, "hottest: %u records, want %zu", q.nr_out, n);
	for (unsigned int i = 0; i < q.nr_out && i < n; i++) {
		size_t j = 0;

		while (j < n && p.pfn[j] != hot[i].pfn)
			j++;
		check(j < n, "hottest: record %u pfn %#llx is not ours", i,
		      (unsigned long long)hot[i].pfn);
		check(hot[i].nid == target, "hottest: record %u for node %d",
		      i, hot[i].nid);
		check(hot[i].freq == (i < half ? 3u : 1u),
		      "hottest: record %u has freq %u", i, hot[i].freq);
		check(j >= n || (i < half) == (j < half),
		      "hottest: record %u is page %zu", i, j);
		check(hot[i].age_ms < 60000, "hottest: record %u is %llu ms old",
		      i, (unsigned long long)hot[i].age_ms);
	}
	step("hottest", f0);

	/* move: a quarter, a PFN with no page, a page already on target. */
	f0 = failures;
	moved0 = stat_read("agent_moved");
	failed0 = stat_read("agent_move_failed");
	for (size_t i = 0; i < quarter; i++)
		pfns[i] = p.pfn[i];
	pfns[quarter] = 1ULL << 40;
	pfns[quarter + 1] = fast.pfn[0];
	memset(&m, 0, sizeof(m));
	m.version = PGHOT_AGENT_VERSION;
	m.nid = target;
	m.nr = quarter + 2;
	m.pfns = (uintptr_t)pfns;
	m.status = (uintptr_t)status;
	for (size_t i = 0; i < quarter + 2; i++)
		status[i] = 12345;
	err = xioctl(fd, PGHOT_IOC_MOVE, &m);
	check(!err, "move: %s", errname(err));
	printf("# move: nr_moved=%u status[0]=%d no-page=%d (%s) top-tier=%d (%s)\n",
	       m.nr_moved, status[0], status[quarter],
	       errname(-status[quarter]), status[quarter + 1],
	       errname(-status[quarter + 1]));
	check(m.nr_moved == quarter, "move: %u moved, want %zu", m.nr_moved,
	      quarter);
	for (size_t i = 0; i < quarter; i++)
		check(status[i] == 0, "move: status[%zu] = %d (%s)", i,
		      status[i], errname(-status[i]));
	check(status[quarter] == -ENOENT, "move: no-page PFN got %d",
	      status[quarter]);
	check(status[quarter + 1] == -EEXIST, "move: top-tier PFN got %d",
	      status[quarter + 1]);
	pages_on(&p, target);
	for (size_t i = 0; i < quarter; i++)
		check(p.where[i] == target, "move: page %zu is on node %d", i,
		      p.where[i]);
	check(stat_read("agent_moved") - moved0 == quarter,
	      "move: agent_moved grew by %llu", stat_read("agent_moved") - moved0);
	check(stat_read("agent_move_failed") - failed0 == 2,
	      "move: agent_move_failed grew by %llu",
	      stat_read("agent_move_failed") - failed0);
	step("move", f0);
	close(fd);
	return failures ? 1 : 0;
}

int main(int argc, char **argv)
{
	int opt, slow = -1, target = 0, nocap = 0, fd;

	while ((opt = getopt(argc, argv, "Cn:t:")) != -1) {
		switch (opt) {
		case 'C': nocap = 1; break;
		case 'n': slow = atoi(optarg); break;
		case 't': target = atoi(optarg); break;
		default: goto usage;
		}
	}
	if (optind >= argc)
		goto usage;
	if (nocap)
		drop_sys_admin();
	if (!strcmp(argv[optind], "open") || !strcmp(argv[optind], "hold")) {
		fd = open(DEV, O_RDWR);
		if (fd < 0) {
			printf("ERR %s %d\n", errname(errno), errno);
			return 1;
		}
		printf("OK\n");
		fflush(stdout);
		if (argv[optind][0] == 'h' && optind + 1 < argc)
			sleep(atoi(argv[optind + 1]));
		close(fd);
		return 0;
	}
	if (slow < 0 || slow >= MAX_NODES)
		goto usage;
	if (!strcmp(argv[optind], "malformed"))
		return cmd_malformed(slow);
	if (!strcmp(argv[optind], "flow"))
		return cmd_flow(slow, target);
usage:
	fprintf(stderr, "usage: pghotctl [-C] open | hold SECONDS | "
			"malformed -n SLOW | flow -n SLOW [-t TARGET]\n");
	return 2;
}
