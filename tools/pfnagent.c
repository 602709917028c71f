// SPDX-License-Identifier: GPL-2.0
/*
 * pfnagent: a user-space hotness agent for tests of pghot's user source.
 *
 * Maps MiB of anonymous memory on NODE (MPOL_BIND, a write to every page,
 * 4 KiB pages, or transparent huge pages with -H), then drops the binding, looks up each page's PFN in
 * /proc/self/pagemap (root only), and reports every PFN REPEAT times to
 * /sys/kernel/mm/pghot/report as "PFN NID" lines, NID being -1 (unknown
 * accessor) unless -a says otherwise. It then waits up to WAIT seconds,
 * printing once a second how many of its pages are on each node, and exits
 * 0 as soon as every page has left NODE, 1 if some have not by then.
 *
 *   pfnagent -s MiB -n NODE [-a NID] [-r REPEAT] [-w WAIT] [-H | -M] [-B]
 *            [-g FILE]
 *
 * With -M the first half of the memory may use transparent huge pages and
 * the second half has base pages only (MiB a multiple of 4); the last line
 * then also says how many pages of each half moved ("base_moved=.. of ..
 * huge_moved=.. of ..").
 *
 * With -g, it prints "PFNAGENT mapped" once its memory is in place and
 * waits until FILE exists before it reports.
 *
 * Before it reports, it writes 1 to /proc/sys/vm/drop_caches, which drains
 * every CPU's batch of pages waiting to be added to an LRU list: pghot
 * ignores reports of pages that are not on an LRU list, and a page just
 * faulted in may wait in such a batch until more pages follow it.
 *
 * With -B the binding to NODE is kept (MPOL_BIND stays the VMA's policy),
 * so a promotion of these pages would break the policy.
 *
 * With -H every base page of each huge page is reported (as a sampler
 * sees subpages), and the first output line says how many of the pages
 * are in huge pages ("PFNAGENT thp pages=.."), from
 * /proc/self/smaps_rollup's AnonHugePages.
 *
 * Output: "PFNAGENT t=.. n0=.. n1=.. n2=.. na=.." lines and a final
 * "PFNAGENT end moved=M of N".
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MPOL_DEFAULT_ 0
#define MPOL_BIND_ 2
#define MAX_NODES 8
#define PAGE 4096UL
#define HPAGE (2UL << 20)

static void die(const char *what)
{
	perror(what);
	exit(2);
}

int main(int argc, char **argv)
{
	unsigned long mib = 8, node = 2, repeat = 2, wait_s = 20;
	long acc = -1;
	int opt, huge = 0, keep_bind = 0, mixed = 0;
	const char *go = NULL;

	while ((opt = getopt(argc, argv, "s:n:a:r:w:HBMg:")) != -1) {
		switch (opt) {
		case 's': mib = strtoul(optarg, NULL, 0); break;
		case 'n': node = strtoul(optarg, NULL, 0); break;
		case 'a': acc = strtol(optarg, NULL, 0); break;
		case 'r': repeat = strtoul(optarg, NULL, 0); break;
		case 'w': wait_s = strtoul(optarg, NULL, 0); break;
		case 'H': huge = 1; break;
		case 'B': keep_bind = 1; break;
		case 'M': mixed = 1; break;
		case 'g': go = optarg; break;
		default:
			fprintf(stderr, "usage: pfnagent -s MiB -n NODE [-a NID] [-r REPEAT] [-w WAIT] [-H | -M] [-B] [-g FILE]\n");
			return 2;
		}
	}
	if (!mib || node >= MAX_NODES || (mixed && (huge || mib % 4)))
		return 2;

	size_t len = mib << 20, n = len / PAGE;
	/* 2 MiB more, so that a 2 MiB-aligned start can be chosen. */
	char *map = mmap(NULL, len + HPAGE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (map == MAP_FAILED)
		die("mmap");
	char *base = (char *)(((uintptr_t)map + HPAGE - 1) & ~(HPAGE - 1));

	if (mixed) {
		if (madvise(base, len / 2, MADV_HUGEPAGE) ||
		    madvise(base + len / 2, len / 2, MADV_NOHUGEPAGE))
			die("madvise");
	} else if (madvise(base, len, huge ? MADV_HUGEPAGE : MADV_NOHUGEPAGE)) {
		die("madvise");
	}
	unsigned long mask = 1UL << node;
	if (syscall(SYS_mbind, base, len, MPOL_BIND_, &mask, MAX_NODES + 1, 1))
		die("mbind");
	for (size_t i = 0; i < n; i++)
		base[i * PAGE] = (char)i;
	if (!keep_bind && syscall(SYS_mbind, base, len, MPOL_DEFAULT_, NULL, 0, 0))
		die("mbind default");

	if (huge || mixed) {
		FILE *f = fopen("/proc/self/smaps_rollup", "r");
		char line[256];
		unsigned long kb = 0;

		while (f && fgets(line, sizeof(line), f))
			if (sscanf(line, "AnonHugePages: %lu kB", &kb) == 1)
				break;
		if (f)
			fclose(f);
		printf("PFNAGENT thp pages=%lu of %zu\n", kb / 4, n);
	}

	int pm = open("/proc/self/pagemap", O_RDONLY);
	if (pm < 0)
		die("pagemap");
	uint64_t *pfn = calloc(n, sizeof(*pfn));
	void **addrs = calloc(n, sizeof(*addrs));
	int *status = calloc(n, sizeof(*status));
	if (!pfn || !addrs || !status)
		die("calloc");
	for (size_t i = 0; i < n; i++) {
		uint64_t e;

		addrs[i] = base + i * PAGE;
		if (pread(pm, &e, 8, (uintptr_t)addrs[i] / PAGE * 8) != 8)
			die("pread pagemap");
		if (!(e >> 63) || !(e & ((1ULL << 55) - 1))) {
			fprintf(stderr, "PFNAGENT page %zu has no PFN (need root)\n", i);
			return 2;
		}
		pfn[i] = e & ((1ULL << 55) - 1);
	}

	if (go) {
		printf("PFNAGENT mapped\n");
		fflush(stdout);
		while (access(go, F_OK))
			usleep(10000);
	}

	int dc = open("/proc/sys/vm/drop_caches", O_WRONLY);
	if (dc < 0 || write(dc, "1", 1) != 1)
		die("drop_caches");
	close(dc);

	int fd = open("/sys/kernel/mm/pghot/report", O_WRONLY);
	if (fd < 0)
		die("open report");
	char buf[4096];
	for (unsigned long r = 0; r < repeat; r++) {
		size_t i = 0;

		while (i < n) {
			int len2 = 0, lines = 0;

			while (i < n && lines < 128 && len2 < (int)sizeof(buf) - 40) {
				len2 += snprintf(buf + len2, sizeof(buf) - len2,
						 "0x%llx %ld\n",
						 (unsigned long long)pfn[i], acc);
				i++, lines++;
			}
			if (write(fd, buf, len2) != len2)
				die("write report");
		}
	}
	close(fd);
	printf("PFNAGENT reported pages=%zu repeat=%lu nid=%ld from_node=%lu\n",
	       n, repeat, acc, node);

	size_t moved = 0, half_moved[2] = { 0, 0 };
	for (unsigned long t = 0; t <= wait_s; t++) {
		size_t cnt[MAX_NODES] = { 0 }, na = 0;

		if (syscall(SYS_move_pages, 0, n, addrs, NULL, status, 0))
			die("move_pages");
		half_moved[0] = half_moved[1] = 0;
		for (size_t i = 0; i < n; i++) {
			if (status[i] >= 0 && status[i] < MAX_NODES)
				cnt[status[i]]++;
			else
				na++;
			if (status[i] >= 0 && (unsigned long)status[i] != node)
				half_moved[i >= n / 2]++;
		}
		moved = n - cnt[node];
		printf("PFNAGENT t=%lu n0=%zu n1=%zu n2=%zu na=%zu\n", t,
		       cnt[0], cnt[1], cnt[2], na);
		fflush(stdout);
		if (moved == n)
			break;
		sleep(1);
	}
	if (mixed)
		printf("PFNAGENT end moved=%zu of %zu base_moved=%zu of %zu huge_moved=%zu of %zu\n",
		       moved, n, half_moved[1], n / 2, half_moved[0], n / 2);
	else
		printf("PFNAGENT end moved=%zu of %zu\n", moved, n);
	return moved == n ? 0 : 1;
}
