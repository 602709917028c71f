/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The vocabularies shared by the C and Rust halves of pghot.ko. Each is
 * written once, as an X-macro list X(NAME, RustName, ...), and yields the
 * C enum, the sysfs name table and, through bindgen, a Rust enum.
 *
 * In C an enumerator is PREFIX_NAME (PGHOT_STAT_PROMOTED). When bindgen
 * reads this header (__BINDGEN__) the enumerators are the RustName column
 * instead, so that Rust code reads Stat::Promoted. C enumerators share one
 * namespace, so the Rust names are unique across all lists. No list sets a
 * value explicitly: the values of an enum are exactly 0..count-1, which the
 * Rust side relies on to convert a raw value from C (rust/bindings.rs).
 */
#ifndef _PGHOT_TYPES_H
#define _PGHOT_TYPES_H

#include <linux/types.h>

#include "../include/pghot.h"

#ifdef __BINDGEN__
#define PGHOT_ENUMERATOR(c_name, rust_name)	rust_name,
#else
#define PGHOT_ENUMERATOR(c_name, rust_name)	c_name,
#endif
#define PGHOT_COUNT_ONE(...)			+ 1

/* Event counters kept per CPU, beyond the per-source ones. */
#define PGHOT_EVENT_STATS(X)						\
	/* reports deliberately ignored */				\
	X(IGNORED_INVALID_PFN, IgnoredInvalidPfn, "ignored_invalid_pfn") \
	X(IGNORED_TOPTIER, IgnoredToptier, "ignored_toptier")		\
	X(IGNORED_NOT_LRU, IgnoredNotLru, "ignored_not_lru")		\
	X(IGNORED_DISABLED, IgnoredDisabled, "ignored_disabled")	\
	X(IGNORED_NO_TARGET, IgnoredNoTarget, "ignored_no_target")	\
	/* reports refused for bad arguments */				\
	X(REJECTED, Rejected, "rejected")				\
	/* promotion, in base pages */					\
	X(PROMOTE_CANDIDATES, PromoteCandidates, "promote_candidates")	\
	X(PROMOTED, Promoted, "promoted")				\
	X(RATE_LIMITED, RateLimited, "rate_limited")			\
	X(BATCHES, Batches, "batches")					\
	/* the dynamic threshold moved up or down for some node */	\
	X(THRESHOLD_UP, ThresholdUp, "threshold_up")			\
	X(THRESHOLD_DOWN, ThresholdDown, "threshold_down")		\
	/* memory went online or offline somewhere */			\
	X(HOTPLUG_EVENTS, HotplugEvents, "hotplug_events")

/*
 * Why a promotion candidate did not move; each reason is also a per-CPU
 * counter, stats/fail_<name>.
 */
#define PGHOT_FAILS(X)							\
	X(INVALID, Invalid, "invalid")	/* no longer an online page */	\
	X(TOPTIER, Toptier, "already_toptier")				\
	X(NOT_LRU, NotLru, "not_lru")	/* not on an LRU list */	\
	X(ISOLATED, Isolated, "isolated_elsewhere") /* freed, isolated */ \
	X(PINNED, Pinned, "pinned")	/* maybe DMA-pinned */		\
	X(SHARED, Shared, "shared_file") /* shared file, maybe a library */ \
	X(NO_SPACE, NoSpace, "no_space") /* target short of free memory */ \
	X(MIGRATE, Migrate, "migrate")	/* migrate_pages() did not move it */

/* The hotness engine's own counters, summed over shards when read. */
#define PGHOT_ENGINE_STATS(X)						\
	X(RECORDS, Records, "records")					\
	X(RECORDS_CREATED, RecordsCreated, "records_created")		\
	X(RECORDS_REPLACED, RecordsReplaced, "records_replaced")	\
	X(RECORDS_PRUNED, RecordsPruned, "records_pruned")		\
	X(RECORDS_DROPPED, RecordsDropped, "records_dropped")		\
	X(TURNED_HOT, TurnedHot, "turned_hot")				\
	X(HEAP_INSERTED, HeapInserted, "heap_inserted")			\
	X(HEAP_FULL, HeapFull, "heap_full")

/*
 * Every counter, one file each under /sys/kernel/mm/pghot/stats/: accesses
 * recorded per source, the events, the failure reasons (all per CPU), then
 * the engine's counters.
 */
#define PGHOT_STATS(SRC, EVENT, FAIL, ENGINE)				\
	PGHOT_SOURCES(SRC) PGHOT_EVENT_STATS(EVENT)			\
	PGHOT_FAILS(FAIL) PGHOT_ENGINE_STATS(ENGINE)

#define PGHOT_STAT_SRC(c, rs, name)					\
	PGHOT_ENUMERATOR(PGHOT_STAT_##c, rs##Accesses)
#define PGHOT_STAT_EVENT(c, rs, name)					\
	PGHOT_ENUMERATOR(PGHOT_STAT_##c, rs)
#define PGHOT_STAT_FAIL(c, rs, name)					\
	PGHOT_ENUMERATOR(PGHOT_STAT_FAIL_##c, Fail##rs)

enum pghot_stat {
	PGHOT_STATS(PGHOT_STAT_SRC, PGHOT_STAT_EVENT, PGHOT_STAT_FAIL,
		    PGHOT_STAT_EVENT)
};

enum {
	PGHOT_STAT_FAIL_FIRST = 0 PGHOT_SOURCES(PGHOT_COUNT_ONE)
		PGHOT_EVENT_STATS(PGHOT_COUNT_ONE),
	PGHOT_STAT_NR_PERCPU = PGHOT_STAT_FAIL_FIRST
		PGHOT_FAILS(PGHOT_COUNT_ONE),
	PGHOT_STAT_NR = PGHOT_STAT_NR_PERCPU
		PGHOT_ENGINE_STATS(PGHOT_COUNT_ONE),
};

/*
 * Knobs, one file each under /sys/kernel/mm/pghot/: X(NAME, RustName,
 * "file", mode). Their ranges and defaults are in rust/knob.rs.
 */
#define PGHOT_KNOBS(X, SRC)						\
	X(ENABLED, Enabled, "enabled", 0644)				\
	PGHOT_SOURCES(SRC)						\
	X(FREQ_THRESHOLD, FreqThreshold, "freq_threshold", 0644)	\
	X(FREQ_WINDOW_MS, FreqWindowMs, "freq_window_ms", 0644)		\
	X(PROMOTE_RATE_LIMIT_MBPS, PromoteRateLimitMbps,		\
	  "promote_rate_limit_MBps", 0644)				\
	X(KPROMOTED_SLEEP_MS, KpromotedSleepMs, "kpromoted_sleep_ms", 0644) \
	X(KPROMOTED_BATCH_NR, KpromotedBatchNr, "kpromoted_batch_nr", 0644) \
	X(POOL_SIZE, PoolSize, "pool_size", 0444)

#define PGHOT_KNOB_ENTRY(c, rs, name, mode)				\
	PGHOT_ENUMERATOR(PGHOT_KNOB_##c, rs)
#define PGHOT_KNOB_SRC(c, rs, name)					\
	PGHOT_ENUMERATOR(PGHOT_KNOB_SOURCE_##c, Source##rs)

enum pghot_knob {
	PGHOT_KNOBS(PGHOT_KNOB_ENTRY, PGHOT_KNOB_SRC)
};

enum {
	PGHOT_KNOB_NR = 0 PGHOT_KNOBS(PGHOT_COUNT_ONE, PGHOT_COUNT_ONE),
};

#define PGHOT_FAIL_ENTRY(c, rs, name)	PGHOT_ENUMERATOR(PGHOT_FAIL_##c, rs)

enum pghot_fail {
	PGHOT_FAILS(PGHOT_FAIL_ENTRY)
};

enum {
	PGHOT_FAIL_NR = 0 PGHOT_FAILS(PGHOT_COUNT_ONE),
};

/* What a PFN is, as far as recording an access to it goes. */
#define PGHOT_PFN_CLASSES(X)						\
	X(NO_PAGE, NoPage)	/* no online page */			\
	X(OFF_LRU, OffLru)	/* not on an LRU list: cannot migrate */ \
	X(ON_LRU, OnLru)	/* on an LRU list: migratable if not top tier */

#define PGHOT_PFN_ENTRY(c, rs)		PGHOT_ENUMERATOR(PGHOT_PFN_##c, rs)

enum pghot_pfn_class {
	PGHOT_PFN_CLASSES(PGHOT_PFN_ENTRY)
};

enum {
	PGHOT_PFN_CLASS_NR = 0 PGHOT_PFN_CLASSES(PGHOT_COUNT_ONE),
};

#ifdef __BINDGEN__
/* enum pghot_src of the public header, with the names Rust uses. */
#define PGHOT_SOURCE_ENTRY(c, rs, name)	rs,
enum pghot_source {
	PGHOT_SOURCES(PGHOT_SOURCE_ENTRY)
};
#endif

enum {
	PGHOT_SOURCE_NR = PGHOT_SRC_NR,
};

/* Outcome of pghot_promote_batch(), in base pages. */
struct pghot_promote_result {
	unsigned int nr_isolated;
	unsigned int nr_moved;
	unsigned int fail[PGHOT_FAIL_NR];
};

#endif /* _PGHOT_TYPES_H */
