/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pghot: one place where every source of page-access information reports,
 * so that hot pages on slow memory tiers can be found and promoted.
 *
 * This is the interface for C callers (drivers, kernel hooks). The functions
 * are implemented in Rust inside pghot.ko and exported GPL.
 */
#ifndef _PGHOT_H
#define _PGHOT_H

#include <linux/types.h>

/*
 * Who saw the access: X(NAME, RustName, "sysfs_name"). The list is the one
 * definition of the sources; pghot derives from it the per-source switch
 * (source_<name>) and counter (stats/<name>). The second column is the name
 * the Rust half of pghot uses; C callers use enum pghot_src below.
 */
#define PGHOT_SOURCES(X)						\
	X(HINT_FAULT, HintFault, "hint_fault")	/* NUMA hint fault */	\
	X(PGTABLE_SCAN, PgtableScan, "pgtable_scan") /* young PTE */	\
	X(IBS, Ibs, "ibs")			/* AMD IBS op sampling */ \
	X(PEBS, Pebs, "pebs")			/* Intel PEBS loads */	\
	X(CHMU, Chmu, "chmu")			/* CXL hotness unit */	\
	X(USER, User, "user")			/* a root user agent */

#define PGHOT_SRC_ENUMERATOR(c, rs, name)	PGHOT_SRC_##c,

enum pghot_src {
	PGHOT_SOURCES(PGHOT_SRC_ENUMERATOR)
	PGHOT_SRC_NR,
};

/* One access, for batched reporting. */
struct pghot_access {
	unsigned long pfn;	/* physical page that was accessed */
	int nid;		/* accessing node, or NUMA_NO_NODE */
	u32 src;		/* enum pghot_src */
	unsigned long now;	/* jiffies when it was seen */
};

/*
 * Report that @pfn was accessed from node @nid (NUMA_NO_NODE if unknown) at
 * jiffies @now, as seen by @src. Callable from any context but NMI; never
 * sleeps and never allocates. Returns 0 when the report was taken or
 * deliberately ignored (page in the top tier, not on the LRU, offline),
 * -EINVAL for a bad @src or @nid, -EAGAIN when pghot or @src is disabled.
 */
int pghot_record_access(unsigned long pfn, int nid, enum pghot_src src,
			unsigned long now);

/* Report @nr accesses; returns how many were taken, or a negative errno. */
int pghot_record_accesses(const struct pghot_access *batch, unsigned int nr);

#endif /* _PGHOT_H */
