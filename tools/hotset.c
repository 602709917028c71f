// SPDX-License-Identifier: GPL-2.0
/*
 * hotset: a guest workload for page promotion tests.
 *
 * Maps a working set of anonymous memory, places it on one NUMA node
 * (mbind MPOL_BIND, then a write to every page), optionally drops the
 * binding again so that the kernel (NUMA balancing, pghot) may migrate the
 * pages, and then keeps touching a hot subset of it for a time or a number
 * of passes. Every interval it prints one machine-readable line with the
 * number of hot and cold pages on each node (move_pages status query) and
 * the access rate. Raw syscalls only: no libnuma, so it links statically.
 *
 * Output lines (one per event, "key=value" tokens separated by spaces):
 *   HOTSET start pid=P page=4096 ws_pages=N hot_pages=M node=K access=write
 *                policy=default layout=head thp=0 nodes=2
 *   HOTSET t=1.00 pass=12 ops=196608 ops_s=196000 hot_n0=10 hot_n1=8182
 *                hot_na=0 cold_n0=0 cold_n1=57344 cold_na=0
 *   HOTSET end t=10.00 passes=120 ops=1966080 ops_s=196608 utime_ms=.. stime_ms=..
 * hot_nX/cold_nX count pages on node X; *_na counts pages whose status is an
 * error (not present, ...). "t" is seconds since the hot loop started; ops
 * and ops_s cover the interval since the previous line (ops_s excludes the
 * time spent in the status query). A line "HOTSET error ..." on stderr and a
 * non-zero exit mean the workload could not be set up as asked.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* From include/uapi/linux/mempolicy.h, so no kernel headers are needed. */
#define PG_MPOL_DEFAULT 0
#define PG_MPOL_BIND 2
#define PG_MPOL_F_NUMA_BALANCING (1 << 13)
#define PG_MPOL_MF_STRICT (1 << 0)

#define MAX_NODES 64

enum access { ACC_WRITE, ACC_READ };
enum policy { POL_DEFAULT, POL_BIND, POL_BIND_NB };
enum layout { LAY_HEAD, LAY_SPREAD };

static volatile sig_atomic_t stop;
static volatile uint64_t sink;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void usage(FILE *f)
{
	fprintf(f,
"usage: hotset [options]\n"
"  -s MiB    working set size (default 64)\n"
"  -H MiB    hot subset size, <= working set (default: the whole set)\n"
"  -n NODE   node the working set is placed on (default 1)\n"
"  -a MODE   access pattern on the hot subset: 'write' = one write per hot\n"
"            page per pass (default), 'read' = random 8-byte reads, one\n"
"            pass = as many reads as there are hot pages\n"
"  -P POL    memory policy after placement: 'default' = drop the binding\n"
"            so pages may migrate (default), 'bind' = keep MPOL_BIND,\n"
"            'bindnb' = MPOL_BIND|MPOL_F_NUMA_BALANCING\n"
"  -l LAY    where the hot pages are: 'head' = first pages (default),\n"
"            'spread' = evenly spread over the working set\n"
"  -t SEC    run the hot loop for SEC seconds (default 10 if no -p)\n"
"  -p K      stop after K passes (whichever of -t/-p comes first)\n"
"  -i SEC    seconds between status lines (default 1; 0 = only start/end)\n"
"  -T        allow transparent huge pages (default: MADV_NOHUGEPAGE)\n"
"  -F PATH   map the working set from file PATH (created, MAP_SHARED; on\n"
"            tmpfs: shmem) instead of anonymous memory\n"
"  -k        with -F: fork a second process that maps the file too and\n"
"            writes to the hot pages until the first one ends\n"
"  -j N      N threads touch the hot set (default 1): N-1 more threads\n"
"            each write to their own 1/N of it, without pause\n"
"  -S SEED   random seed for -a read (default 1)\n"
"  -f MS     every MS ms, map, touch and unmap 64 pages from a helper\n"
"            thread, which flushes the whole TLB of every CPU running the\n"
"            workload (see flush_loop())\n"
"  -h        this help\n"
"Output: 'HOTSET start ...', then every interval\n"
"  'HOTSET t=SEC pass=P ops=N ops_s=R hot_n0=.. hot_n1=.. hot_na=.. cold_n0=.. cold_n1=.. cold_na=..'\n"
"and 'HOTSET end ...'; *_nX = pages on node X, *_na = pages with no node.\n");
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double parse_num(const char *s, const char *what)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || v < 0) {
		fprintf(stderr, "HOTSET error bad %s '%s'\n", what, s);
		exit(2);
	}
	return v;
}

/* Highest node number in /sys/devices/system/node/online ("0-1,3"). */
static int online_max_node(void)
{
	char buf[256];
	int max = 0;
	FILE *f = fopen("/sys/devices/system/node/online", "r");

	if (!f)
		return 0;
	if (fgets(buf, sizeof(buf), f)) {
		char *p = buf;

		while (*p) {
			char *end;
			long v;

			if (*p < '0' || *p > '9') {	/* '-', ',', '\n' */
				p++;
				continue;
			}
			v = strtol(p, &end, 10);
			if (v > max && v < MAX_NODES)
				max = (int)v;
			p = end;
		}
	}
	fclose(f);
	return max;
}

static long sys_mbind(void *addr, unsigned long len, int mode,
		      const unsigned long *mask, unsigned long maxnode,
		      unsigned int flags)
{
	return syscall(SYS_mbind, addr, len, mode, mask, maxnode, flags);
}

struct state {
	char *base;
	size_t page;
	size_t ws_pages, hot_pages;
	size_t *hot_idx;	/* page numbers of the hot pages */
	unsigned char *is_hot;	/* per page */
	void **addrs;		/* per page, for move_pages */
	int *status;		/* per page, from move_pages */
	int nr_nodes;		/* columns printed: nodes 0..nr_nodes-1 */
};

#define MAX_THREADS 16

/* The share of the hot set one extra thread writes to. */
struct slice {
	struct state *st;
	size_t from, to;
};

static void *slice_loop(void *arg)
{
	struct slice *sl = arg;
	size_t i;

	while (!stop)
		for (i = sl->from; i < sl->to; i++)
			sl->st->base[sl->st->hot_idx[i] * sl->st->page + 16]++;
	return NULL;
}

/*
 * -f: under QEMU's TCG, a vCPU's software TLB starts at 256 entries and is
 * resized only when it is flushed whole. A workload that never sees a full
 * flush keeps 256 entries however many pages it touches, and pays a page
 * walk on almost every access to a large hot set, while the same workload
 * next to migrations (each a TLB shootdown) gets a TLB sized to its hot
 * set and runs several times faster: placement would not be what is
 * measured. Unmapping more pages than the kernel flushes one by one (33
 * on x86) flushes the whole TLB of every CPU that runs this mm, so a few
 * such unmaps a second give every mode the same TLB. On hardware they are
 * noise.
 */
static long flush_ms;

static void *flush_loop(void *arg)
{
	const size_t len = 64 * 4096;
	struct timespec ts = { flush_ms / 1000, flush_ms % 1000 * 1000000L };

	(void)arg;
	while (!stop) {
		char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p != MAP_FAILED) {
			for (size_t i = 0; i < len; i += 4096)
				p[i] = 1;
			munmap(p, len);
		}
		nanosleep(&ts, NULL);
	}
	return NULL;
}

/* Query where every page is; fills per-node counts. */
static int query(struct state *st, unsigned long *hot, unsigned long *cold,
		 unsigned long *hot_na, unsigned long *cold_na)
{
	size_t i;

	memset(hot, 0, MAX_NODES * sizeof(*hot));
	memset(cold, 0, MAX_NODES * sizeof(*cold));
	*hot_na = *cold_na = 0;
	if (syscall(SYS_move_pages, 0, st->ws_pages, st->addrs, NULL,
		    st->status, 0) < 0)
		return -errno;
	for (i = 0; i < st->ws_pages; i++) {
		int s = st->status[i];

		if (s >= 0 && s < MAX_NODES) {
			if (s >= st->nr_nodes)
				st->nr_nodes = s + 1;
			if (st->is_hot[i])
				hot[s]++;
			else
				cold[s]++;
		} else if (st->is_hot[i]) {
			(*hot_na)++;
		} else {
			(*cold_na)++;
		}
	}
	return 0;
}

static void print_counts(struct state *st, unsigned long *hot,
			 unsigned long *cold, unsigned long hot_na,
			 unsigned long cold_na)
{
	int n;

	for (n = 0; n < st->nr_nodes; n++)
		printf(" hot_n%d=%lu", n, hot[n]);
	printf(" hot_na=%lu", hot_na);
	for (n = 0; n < st->nr_nodes; n++)
		printf(" cold_n%d=%lu", n, cold[n]);
	printf(" cold_na=%lu", cold_na);
}

static void report(struct state *st, double t, unsigned long long pass,
		   unsigned long long ops, double busy)
{
	unsigned long hot[MAX_NODES], cold[MAX_NODES], hot_na, cold_na;
	int err = query(st, hot, cold, &hot_na, &cold_na);

	printf("HOTSET t=%.2f pass=%llu ops=%llu ops_s=%.0f", t, pass, ops,
	       busy > 0 ? ops / busy : 0.0);
	if (err)
		printf(" query_err=%d", -err);
	else
		print_counts(st, hot, cold, hot_na, cold_na);
	printf("\n");
	fflush(stdout);
}

static inline uint64_t xorshift(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*s = x;
	return x;
}

int main(int argc, char **argv)
{
	double ws_mib = 64, hot_mib = -1, dur = -1, interval = 1;
	long long max_passes = -1;
	int node = 1, thp = 0, opt, twin = 0, fd = -1;
	const char *file = NULL;
	pid_t twin_pid = 0;
	int nthreads = 1;
	pthread_t threads[MAX_THREADS];
	struct slice slices[MAX_THREADS];
	enum access acc = ACC_WRITE;
	enum policy pol = POL_DEFAULT;
	enum layout lay = LAY_HEAD;
	uint64_t seed = 1;
	static const char *acc_names[] = { "write", "read" };
	static const char *pol_names[] = { "default", "bind", "bindnb" };
	static const char *lay_names[] = { "head", "spread" };
	struct state st = { 0 };
	unsigned long mask[MAX_NODES / (8 * sizeof(unsigned long))] = { 0 };
	unsigned long maxnode = 8 * sizeof(mask) + 1;
	size_t len, i, misplaced = 0;
	int mode;

	while ((opt = getopt(argc, argv, "s:H:n:a:P:l:t:p:i:TS:F:kj:f:h")) != -1) {
		switch (opt) {
		case 's': ws_mib = parse_num(optarg, "size"); break;
		case 'H': hot_mib = parse_num(optarg, "hot size"); break;
		case 'n': node = (int)parse_num(optarg, "node"); break;
		case 't': dur = parse_num(optarg, "time"); break;
		case 'p': max_passes = (long long)parse_num(optarg, "passes"); break;
		case 'i': interval = parse_num(optarg, "interval"); break;
		case 'T': thp = 1; break;
		case 'F': file = optarg; break;
		case 'k': twin = 1; break;
		case 'j': nthreads = (int)parse_num(optarg, "threads"); break;
		case 'f': flush_ms = (long)parse_num(optarg, "flush period"); break;
		case 'S': seed = (uint64_t)parse_num(optarg, "seed") | 1; break;
		case 'a':
			if (!strcmp(optarg, "write")) acc = ACC_WRITE;
			else if (!strcmp(optarg, "read")) acc = ACC_READ;
			else { usage(stderr); return 2; }
			break;
		case 'P':
			if (!strcmp(optarg, "default")) pol = POL_DEFAULT;
			else if (!strcmp(optarg, "bind")) pol = POL_BIND;
			else if (!strcmp(optarg, "bindnb")) pol = POL_BIND_NB;
			else { usage(stderr); return 2; }
			break;
		case 'l':
			if (!strcmp(optarg, "head")) lay = LAY_HEAD;
			else if (!strcmp(optarg, "spread")) lay = LAY_SPREAD;
			else { usage(stderr); return 2; }
			break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc || node >= MAX_NODES) {
		usage(stderr);
		return 2;
	}
	if (dur < 0 && max_passes < 0)
		dur = 10;

	st.page = (size_t)sysconf(_SC_PAGESIZE);
	st.ws_pages = (size_t)(ws_mib * 1024 * 1024) / st.page;
	st.hot_pages = hot_mib < 0 ? st.ws_pages :
		(size_t)(hot_mib * 1024 * 1024) / st.page;
	if (!st.ws_pages || st.hot_pages > st.ws_pages) {
		fprintf(stderr, "HOTSET error hot set (%zu pages) must fit in a non-empty working set (%zu pages)\n",
			st.hot_pages, st.ws_pages);
		return 2;
	}
	len = st.ws_pages * st.page;

	st.hot_idx = calloc(st.hot_pages ? st.hot_pages : 1, sizeof(*st.hot_idx));
	st.is_hot = calloc(st.ws_pages, 1);
	st.addrs = calloc(st.ws_pages, sizeof(*st.addrs));
	st.status = calloc(st.ws_pages, sizeof(*st.status));
	if (!st.hot_idx || !st.is_hot || !st.addrs || !st.status) {
		fprintf(stderr, "HOTSET error out of memory for bookkeeping\n");
		return 1;
	}

	if (file) {
		fd = open(file, O_RDWR | O_CREAT | O_TRUNC, 0600);
		if (fd < 0 || ftruncate(fd, len)) {
			fprintf(stderr, "HOTSET error file %s: %s\n", file,
				strerror(errno));
			return 1;
		}
	}
	st.base = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       file ? MAP_SHARED : MAP_PRIVATE | MAP_ANONYMOUS, fd, 0);
	if (st.base == MAP_FAILED) {
		fprintf(stderr, "HOTSET error mmap %zu bytes: %s\n", len,
			strerror(errno));
		return 1;
	}
	/* Base pages by default: page counts then mean what they say. */
	madvise(st.base, len, thp ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);

	mask[node / (8 * sizeof(unsigned long))] |=
		1UL << (node % (8 * sizeof(unsigned long)));
	mode = PG_MPOL_BIND | (pol == POL_BIND_NB ? PG_MPOL_F_NUMA_BALANCING : 0);
	if (sys_mbind(st.base, len, mode, mask, maxnode, PG_MPOL_MF_STRICT)) {
		fprintf(stderr, "HOTSET error mbind node %d: %s\n", node,
			strerror(errno));
		return 1;
	}
	for (i = 0; i < st.ws_pages; i++) {
		st.addrs[i] = st.base + i * st.page;
		st.base[i * st.page] = (char)i;	/* fault it in on the node */
	}
	if (pol == POL_DEFAULT &&
	    sys_mbind(st.base, len, PG_MPOL_DEFAULT, NULL, 0, 0)) {
		fprintf(stderr, "HOTSET error mbind MPOL_DEFAULT: %s\n",
			strerror(errno));
		return 1;
	}

	for (i = 0; i < st.hot_pages; i++) {
		size_t p = lay == LAY_HEAD ? i :
			(size_t)((unsigned __int128)i * st.ws_pages / st.hot_pages);

		st.hot_idx[i] = p;
		st.is_hot[p] = 1;
	}

	st.nr_nodes = online_max_node() + 1;
	if (node >= st.nr_nodes)
		st.nr_nodes = node + 1;
	if (syscall(SYS_move_pages, 0, st.ws_pages, st.addrs, NULL, st.status,
		    0) < 0) {
		fprintf(stderr, "HOTSET error move_pages query: %s\n",
			strerror(errno));
		return 1;
	}
	for (i = 0; i < st.ws_pages; i++)
		misplaced += st.status[i] != node;

	printf("HOTSET start pid=%d page=%zu ws_pages=%zu hot_pages=%zu node=%d access=%s policy=%s layout=%s thp=%d nodes=%d misplaced=%zu\n",
	       getpid(), st.page, st.ws_pages, st.hot_pages, node,
	       acc_names[acc], pol_names[pol], lay_names[lay], thp,
	       st.nr_nodes, misplaced);
	report(&st, 0, 0, 0, 0);

	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);

	if (nthreads < 1 || nthreads > MAX_THREADS) {
		fprintf(stderr, "HOTSET error -j must be 1..%d\n", MAX_THREADS);
		return 2;
	}
	for (int t = 1; t < nthreads; t++) {
		slices[t].st = &st;
		slices[t].from = st.hot_pages * t / nthreads;
		slices[t].to = st.hot_pages * (t + 1) / nthreads;
		if (pthread_create(&threads[t], NULL, slice_loop, &slices[t])) {
			fprintf(stderr, "HOTSET error pthread_create\n");
			return 1;
		}
	}

	if (flush_ms > 0) {
		pthread_t flusher;

		if (pthread_create(&flusher, NULL, flush_loop, NULL)) {
			fprintf(stderr, "HOTSET error pthread_create\n");
			return 1;
		}
		pthread_detach(flusher);
	}

	if (file && twin) {
		twin_pid = fork();
		if (twin_pid < 0) {
			fprintf(stderr, "HOTSET error fork: %s\n", strerror(errno));
			return 1;
		}
		if (!twin_pid) {
			/* Its own mapping of the file: a second mapper. */
			char *b = mmap(NULL, len, PROT_READ | PROT_WRITE,
				       MAP_SHARED, fd, 0);

			if (b == MAP_FAILED)
				_exit(1);
			while (!stop && getppid() != 1)
				for (i = 0; i < st.hot_pages; i++)
					b[st.hot_idx[i] * st.page + 8]++;
			_exit(0);
		}
	}

	{
		double t0 = now(), next = t0 + interval, end = dur >= 0 ? t0 + dur : 0;
		double last = t0, busy = 0, t;
		unsigned long long pass = 0, ops = 0, iops = 0, total_ops = 0;
		uint64_t rnd = seed * 0x9E3779B97F4A7C15ULL | 1;
		size_t off = 0;

		while (!stop && (max_passes < 0 || pass < (unsigned long long)max_passes)) {
			if (!st.hot_pages) {
				struct timespec ts = { 0, 10 * 1000 * 1000 };

				nanosleep(&ts, NULL);
			} else if (acc == ACC_WRITE) {
				/* One write per hot page; a new cache line each pass. */
				for (i = 0; i < st.hot_pages; i++)
					st.base[st.hot_idx[i] * st.page + off]++;
				off = (off + 64) % st.page;
				ops += st.hot_pages;
			} else {
				uint64_t acc_sum = 0;

				for (i = 0; i < st.hot_pages; i++) {
					uint64_t r = xorshift(&rnd);
					size_t p = st.hot_idx[r % st.hot_pages];
					size_t o = (r >> 40) % st.page & ~(size_t)7;

					acc_sum += *(volatile uint64_t *)(st.base + p * st.page + o);
				}
				sink += acc_sum;
				ops += st.hot_pages;
			}
			pass++;
			t = now();
			if (interval > 0 && t >= next) {
				busy += t - last;
				report(&st, t - t0, pass, ops - iops, busy);
				total_ops += ops - iops;
				iops = ops;
				busy = 0;
				last = now();
				while (next <= last)
					next += interval;
			}
			if (end && t >= end)
				break;
		}
		t = now();
		busy += t - last;
		if (ops > iops || interval == 0) {
			report(&st, t - t0, pass, ops - iops, busy);
			total_ops += ops - iops;
		}
		struct rusage ru;

		getrusage(RUSAGE_SELF, &ru);
		/* System time includes promotion done in this task's faults. */
		stop = 1;
		for (int t = 1; t < nthreads; t++)
			pthread_join(threads[t], NULL);
		if (twin_pid > 0) {
			kill(twin_pid, SIGTERM);
			waitpid(twin_pid, NULL, 0);
		}
		printf("HOTSET end t=%.2f passes=%llu ops=%llu ops_s=%.0f utime_ms=%ld stime_ms=%ld\n",
		       t - t0, pass, total_ops,
		       t > t0 ? total_ops / (t - t0) : 0.0,
		       ru.ru_utime.tv_sec * 1000L + ru.ru_utime.tv_usec / 1000,
		       ru.ru_stime.tv_sec * 1000L + ru.ru_stime.tv_usec / 1000);
	}
	return 0;
}
