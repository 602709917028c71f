// SPDX-License-Identifier: GPL-2.0
/*
 * integrity: a workload whose data must survive page migration.
 *
 * Maps MiB of anonymous memory on NODE and fills every 8-byte word with a
 * value derived from its address and a generation number. Then, for SECS
 * seconds, it walks the first HOT MiB page by page: each word is checked
 * against the current generation and rewritten with the next one. At the
 * end the whole buffer is checked once more. Any mismatch is printed and
 * makes the exit status 1.
 *
 *   integrity -s MiB -H MiB -n NODE -t SECS [-r SECS]
 *
 * With -r, every that many seconds the whole buffer is moved back to NODE
 * (mbind MPOL_BIND with MPOL_MF_MOVE, then MPOL_DEFAULT again), so that
 * promotion has work for as long as it runs. SIGTERM ends the hot loop
 * early; the final check still runs.
 *
 * Output: "INTEGRITY start ...", "INTEGRITY end passes=P words=W bad=B".
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define PAGE 4096UL
#define WORDS (PAGE / 8)

static uint64_t pattern(uintptr_t addr, uint64_t gen)
{
	return (addr * 0x9e3779b97f4a7c15ULL) ^ (gen << 1) ^ 0x5a5a5a5a5a5a5a5aULL;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static volatile sig_atomic_t stop;

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

int main(int argc, char **argv)
{
	unsigned long mib = 64, hot = 32, node = 1, secs = 10, rebind = 0;
	int opt;

	while ((opt = getopt(argc, argv, "s:H:n:t:r:")) != -1) {
		switch (opt) {
		case 's': mib = strtoul(optarg, NULL, 0); break;
		case 'H': hot = strtoul(optarg, NULL, 0); break;
		case 'n': node = strtoul(optarg, NULL, 0); break;
		case 't': secs = strtoul(optarg, NULL, 0); break;
		case 'r': rebind = strtoul(optarg, NULL, 0); break;
		default:
			fprintf(stderr, "usage: integrity -s MiB -H MiB -n NODE -t SECS [-r SECS]\n");
			return 2;
		}
	}
	if (!mib || hot > mib || node >= 64)
		return 2;

	size_t len = mib << 20, pages = len / PAGE, hot_pages = (hot << 20) / PAGE;
	uint64_t *base = mmap(NULL, len, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (base == MAP_FAILED) {
		perror("mmap");
		return 2;
	}
	madvise(base, len, MADV_NOHUGEPAGE);
	unsigned long mask = 1UL << node;
	if (syscall(SYS_mbind, base, len, 2, &mask, 65, 1)) {
		perror("mbind");
		return 2;
	}
	/* gen[p]: the generation page p holds now. */
	uint32_t *gen = calloc(pages, sizeof(*gen));
	if (!gen)
		return 2;
	for (size_t w = 0; w < pages * WORDS; w++)
		base[w] = pattern((uintptr_t)&base[w], 0);
	syscall(SYS_mbind, base, len, 0, NULL, 0, 0);
	printf("INTEGRITY start pages=%zu hot_pages=%zu node=%lu\n", pages, hot_pages, node);
	fflush(stdout);

	signal(SIGTERM, on_term);
	uint64_t bad = 0, checked = 0, passes = 0, moves = 0;
	double end = now() + secs, next_move = now() + rebind;
	while (now() < end && !stop) {
		if (rebind && now() >= next_move) {
			/* MPOL_MF_MOVE: migrate what is elsewhere back to NODE. */
			if (!syscall(SYS_mbind, base, len, 2, &mask, 65, 2))
				moves++;
			syscall(SYS_mbind, base, len, 0, NULL, 0, 0);
			next_move = now() + rebind;
		}
		for (size_t p = 0; p < hot_pages; p++) {
			uint64_t *w = base + p * WORDS;

			for (size_t i = 0; i < WORDS; i++) {
				if (w[i] != pattern((uintptr_t)&w[i], gen[p])) {
					if (bad++ < 5)
						printf("INTEGRITY bad page=%zu word=%zu\n", p, i);
				}
				w[i] = pattern((uintptr_t)&w[i], gen[p] + 1);
			}
			gen[p]++;
			checked += WORDS;
		}
		passes++;
	}
	for (size_t p = 0; p < pages; p++) {
		uint64_t *w = base + p * WORDS;

		for (size_t i = 0; i < WORDS; i++)
			if (w[i] != pattern((uintptr_t)&w[i], gen[p]) && bad++ < 5)
				printf("INTEGRITY bad page=%zu word=%zu (final)\n", p, i);
		checked += WORDS;
	}
	printf("INTEGRITY end passes=%llu words=%llu bad=%llu moves=%llu\n",
	       (unsigned long long)passes, (unsigned long long)checked,
	       (unsigned long long)bad, (unsigned long long)moves);
	return bad ? 1 : 0;
}
