// SPDX-License-Identifier: GPL-2.0
/*
 * memfill: bring a node's free memory down to just above a watermark and
 * watch it, for tests of how far promotion may drain the fast tier.
 *
 *   memfill -n NODE [-a PAGES] [-c SEC] [-t SEC]
 *
 * Reads NODE's zones in /proc/zoneinfo and maps anonymous memory bound to
 * NODE (MPOL_BIND; transparent huge pages for the bulk, 4 KiB pages
 * for the last steps) until the highest populated zone's free
 * pages are about PAGES (default 1024) above its high watermark. It then
 * prints "MEMFILL ready free=F pcp=P high=H zone_headroom=Z headroom=R":
 * F, P and H are that zone's free pages, per-CPU list pages and high
 * watermark, Z = F - H, and R is the headroom as the kernel's promotion
 * check sees it (migrate_balanced_pgdat(): a folio may move while any
 * populated zone of the node keeps its high watermark plus its
 * lowmem_reserve for movable allocations), the largest over the zones of
 * free - high - reserve. A node with a small DMA zone that is never
 * allocated from can thus allow more than Z.
 *
 * It then samples the node every 10 ms for SEC seconds (default 20) and
 * prints "MEMFILL end consumed=C headroom=R min_free=F high=H
 * start_room=S min_room=M": C is the most memory the node (all its zones)
 * lost since the period started, counting as free the pages cached on the
 * per-CPU lists (zoneinfo's "count"), which move between the zones and
 * those lists as CPUs allocate and free; F is the lowest free count of the
 * highest zone; S is the kernel's headroom (as R) when the period started
 * and M the lowest it was at any sample. The kernel's own promotion moves
 * a folio only while the headroom covers it, so it never takes the
 * headroom below zero: what else runs can, which the control period
 * measures.
 *
 * With -c CTRL, a control period comes first: after "ready" it samples
 * the node the same way for CTRL seconds, prints "MEMFILL control
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
#define MAX_ZONES 8

struct zone_state {
	long free, high, pcp, present, reserve;
};

struct node_state {
	struct zone_state z[MAX_ZONES];
	int nr, top;		/* zones read; the highest populated one */
	long total;		/* free + per-CPU list pages, all zones */
	long room;		/* the kernel's promotion headroom */
};

/*
 * Read @node's zones from /proc/zoneinfo. A zone's lowmem_reserve for
 * movable allocations is the entry of its "protection:" list at the index
 * of the Movable zone, which zoneinfo lists among the node's zones.
 */
static int read_node(int node, struct node_state *ns)
{
	FILE *f = fopen("/proc/zoneinfo", "r");
	char line[512];
	int in = 0, movable = -1, i;
	long prot[MAX_ZONES][MAX_ZONES] = { { 0 } };

	if (!f)
		return -1;
	memset(ns, 0, sizeof(*ns));
	ns->top = -1;
	while (fgets(line, sizeof(line), f)) {
		struct zone_state *z = &ns->z[ns->nr ? ns->nr - 1 : 0];
		char name[32], *p;
		long v;
		int n;

		if (sscanf(line, "Node %d, zone %31s", &n, name) == 2) {
			in = n == node && ns->nr < MAX_ZONES;
			if (in) {
				if (!strcmp(name, "Movable"))
					movable = ns->nr;
				ns->nr++;
			}
			continue;
		}
		if (!in)
			continue;
		if (sscanf(line, " pages free %ld", &v) == 1)
			z->free = v;
		else if (sscanf(line, " high %ld", &v) == 1)
			z->high = v;
		else if (sscanf(line, " present %ld", &v) == 1)
			z->present = v;
		else if (sscanf(line, " count: %ld", &v) == 1)
			z->pcp += v;
		else if ((p = strstr(line, "protection: ("))) {
			p += strlen("protection: (");
			for (i = 0; i < MAX_ZONES && *p && *p != ')'; i++) {
				prot[ns->nr - 1][i] = strtol(p, &p, 10);
				while (*p == ',' || *p == ' ')
					p++;
			}
		}
	}
	fclose(f);
	ns->room = -(1L << 40);
	for (i = 0; i < ns->nr; i++) {
		struct zone_state *z = &ns->z[i];

		if (!z->present)
			continue;
		ns->top = i;
		z->reserve = movable >= 0 ? prot[i][movable] : 0;
		ns->total += z->free + z->pcp;
		if (z->free - z->high - z->reserve > ns->room)
			ns->room = z->free - z->high - z->reserve;
	}
	return ns->top >= 0 ? 0 : -1;
}

/*
 * Sample @node every 10 ms for @secs seconds, starting from *@ns.
 * Returns the most memory (free plus per-CPU lists, all zones) it lost
 * against the start; *@min_free is the lowest free count of the highest
 * zone and *@min_room the lowest headroom. *@ns is the last sample.
 */
static long watch(int node, long secs, struct node_state *ns, long *min_free,
		  long *min_room)
{
	long start = ns->total, min = start;
	struct timespec t0, t, tick = { 0, 10 * 1000 * 1000 };

	*min_free = ns->z[ns->top].free;
	*min_room = ns->room;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		nanosleep(&tick, NULL);
		if (!read_node(node, ns)) {
			if (ns->total < min)
				min = ns->total;
			if (ns->z[ns->top].free < *min_free)
				*min_free = ns->z[ns->top].free;
			if (ns->room < *min_room)
				*min_room = ns->room;
		}
		clock_gettime(CLOCK_MONOTONIC, &t);
	} while (t.tv_sec - t0.tv_sec < secs);
	return start - min;
}

int main(int argc, char **argv)
{
	long above = 1024, secs = 20, ctrl = 0;
	int node = 0, opt;
	struct node_state ns;

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
	if (read_node(node, &ns)) {
		fprintf(stderr, "MEMFILL no zone of node %d\n", node);
		return 2;
	}
	unsigned long mask = 1UL << node;

	/* Approach the target in steps, re-reading the zone after each. */
	for (int round = 0; round < 64; round++) {
		struct zone_state *z = &ns.z[ns.top];
		long want = z->free - z->high - above;

		if (want <= 16)
			break;
		if (round)
			want = want / 2 + 1;
		char *p = mmap(NULL, want * PAGE, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			return 2;
		/*
		 * Huge pages for the bulk (a debug kernel under TCG takes
		 * minutes to fault in a gigabyte page by page), base pages
		 * for the last steps.
		 */
		madvise(p, want * PAGE, want > 4 * 512 ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
		if (syscall(SYS_mbind, p, want * PAGE, MPOL_BIND_, &mask, 64, 0))
			return 2;
		for (long i = 0; i < want; i++)
			p[i * PAGE] = 1;
		if (read_node(node, &ns))
			return 2;
	}
	struct zone_state *z = &ns.z[ns.top];

	printf("MEMFILL ready free=%ld pcp=%ld high=%ld zone_headroom=%ld headroom=%ld\n",
	       z->free, z->pcp, z->high, z->free - z->high, ns.room);
	fflush(stdout);

	long headroom = ns.room, consumed, min_free, min_room, start_room;

	if (ctrl > 0) {
		consumed = watch(node, ctrl, &ns, &min_free, &min_room);
		printf("MEMFILL control consumed=%ld secs=%ld\n", consumed, ctrl);
		printf("MEMFILL go\n");
		fflush(stdout);
	}
	start_room = ns.room;
	consumed = watch(node, secs, &ns, &min_free, &min_room);
	printf("MEMFILL end consumed=%ld headroom=%ld min_free=%ld high=%ld start_room=%ld min_room=%ld\n",
	       consumed, headroom, min_free, ns.z[ns.top].high, start_room, min_room);
	return 0;
}
