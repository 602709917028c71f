// SPDX-License-Identifier: GPL-2.0
/*
 * memfill: bring a node's free memory down to just above a watermark and
 * watch it, for tests of how far promotion may drain the fast tier.
 *
 *   memfill -n NODE [-a PAGES] [-c SEC] [-t SEC]
 *
 * Reads the highest populated zone of NODE in /proc/zoneinfo, maps
 * anonymous memory bound to NODE (MPOL_BIND, 4 KiB pages) until that
 * zone's free pages are about PAGES (default 1024) above its high
 * watermark, prints "MEMFILL ready free=F pcp=P high=H headroom=R" (R =
 * F - H: what the kernel's watermark checks see above the watermark), then
 * samples the zone every 10 ms for SEC seconds (default 20) and prints
 * "MEMFILL end consumed=C headroom=R min_free=F high=H": C is the most
 * memory the zone lost since "ready", counting as free the pages cached
 * on the per-CPU lists (zoneinfo's "count"), which move between the zone
 * and those lists as CPUs allocate and free.
 *
 * With -c CTRL, a control period comes first: after "ready" it samples
 * the zone the same way for CTRL seconds, prints "MEMFILL control
 * consumed=B secs=CTRL" (what everything else running took meanwhile)
 * and then "MEMFILL go", from which the measured period starts afresh.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define MPOL_BIND_ 2
#define PAGE 4096L

struct zone_state {
	long free, high, pcp;
};

/* The last zone of @node in /proc/zoneinfo with present pages. */
static int read_zone(int node, struct zone_state *z)
{
	FILE *f = fopen("/proc/zoneinfo", "r");
	char line[256];
	int in = 0, found = 0;
	long free = 0, high = 0, present = 0, pcp = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		int n;
		char name[32];
		long v;

		if (sscanf(line, "Node %d, zone %31s", &n, name) == 2) {
			if (in && present > 0) {
				z->free = free;
				z->high = high;
				z->pcp = pcp;
				found = 1;
			}
			in = n == node;
			free = high = present = pcp = 0;
			continue;
		}
		if (!in)
			continue;
		if (sscanf(line, " pages free %ld", &v) == 1)
			free = v;
		else if (sscanf(line, " high %ld", &v) == 1)
			high = v;
		else if (sscanf(line, " present %ld", &v) == 1)
			present = v;
		else if (sscanf(line, " count: %ld", &v) == 1)
			pcp += v;
	}
	if (in && present > 0) {
		z->free = free;
		z->high = high;
		z->pcp = pcp;
		found = 1;
	}
	fclose(f);
	return found ? 0 : -1;
}

/*
 * Sample @node's zone every 10 ms for @secs seconds, starting from *@z.
 * Returns the most memory (free plus per-CPU lists) it lost against the
 * start; *@min_free is the lowest free count seen. *@z is the last sample.
 */
static long watch(int node, long secs, struct zone_state *z, long *min_free)
{
	long start = z->free + z->pcp, min = start;
	struct timespec t0, t, tick = { 0, 10 * 1000 * 1000 };

	*min_free = z->free;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		nanosleep(&tick, NULL);
		if (!read_zone(node, z)) {
			if (z->free + z->pcp < min)
				min = z->free + z->pcp;
			if (z->free < *min_free)
				*min_free = z->free;
		}
		clock_gettime(CLOCK_MONOTONIC, &t);
	} while (t.tv_sec - t0.tv_sec < secs);
	return start - min;
}

int main(int argc, char **argv)
{
	long above = 1024, secs = 20, ctrl = 0;
	int node = 0, opt;
	struct zone_state z;

	while ((opt = getopt(argc, argv, "n:a:c:t:")) != -1) {
		switch (opt) {
		case 'n': node = atoi(optarg); break;
		case 'a': above = atol(optarg); break;
		case 'c': ctrl = atol(optarg); break;
		case 't': secs = atol(optarg); break;
		default:
			fprintf(stderr, "usage: memfill -n NODE [-a PAGES] [-c SEC] [-t SEC]\n");
			return 2;
		}
	}
	if (read_zone(node, &z)) {
		fprintf(stderr, "MEMFILL no zone of node %d\n", node);
		return 2;
	}
	unsigned long mask = 1UL << node;

	/* Approach the target in steps, re-reading the zone after each. */
	for (int round = 0; round < 64; round++) {
		long want = z.free - z.high - above;

		if (want <= 16)
			break;
		if (round)
			want = want / 2 + 1;
		char *p = mmap(NULL, want * PAGE, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			return 2;
		madvise(p, want * PAGE, MADV_NOHUGEPAGE);
		if (syscall(SYS_mbind, p, want * PAGE, MPOL_BIND_, &mask, 64, 0))
			return 2;
		for (long i = 0; i < want; i++)
			p[i * PAGE] = 1;
		if (read_zone(node, &z))
			return 2;
	}
	printf("MEMFILL ready free=%ld pcp=%ld high=%ld headroom=%ld\n", z.free,
	       z.pcp, z.high, z.free - z.high);
	fflush(stdout);

	long headroom = z.free - z.high, consumed, min_free;

	if (ctrl > 0) {
		consumed = watch(node, ctrl, &z, &min_free);
		printf("MEMFILL control consumed=%ld secs=%ld\n", consumed, ctrl);
		printf("MEMFILL go\n");
		fflush(stdout);
	}
	consumed = watch(node, secs, &z, &min_free);
	printf("MEMFILL end consumed=%ld headroom=%ld min_free=%ld high=%ld\n",
	       consumed, headroom, min_free, z.high);
	return 0;
}
