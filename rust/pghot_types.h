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
	X(HOTPLUG_EVENTS, HotplugEvents, "hotplug_events") \
	/* records forgotten because their memory went offline */	\
	X(RECORDS_OFFLINED, RecordsOfflined, "records_offlined") \
	/* the page-table scan source (base pages; CPU time in ns) */	\
	X(SCAN_PASSES, ScanPasses, "scan_passes")			\
	X(SCAN_PAGES, ScanPages, "scan_pages")				\
	X(SCAN_YOUNG, ScanYoung, "scan_young")				\
	X(SCAN_CONTENDED, ScanContended, "scan_contended")		\
	X(SCAN_CPU_NS, ScanCpuNs, "scan_cpu_ns") \
	/* PFNs of agent move requests (/dev/pghot) moved, not moved */	\
	X(AGENT_MOVED, AgentMoved, "agent_moved")			\
	X(AGENT_MOVE_FAILED, AgentMoveFailed, "agent_move_failed") \
	/* CXL hotness units: hot list entries, pages reported, drops */ \
	X(CHMU_DRAINED, ChmuDrained, "chmu_drained")			\
	X(CHMU_TRANSLATED, ChmuTranslated, "chmu_translated")		\
	X(CHMU_DROP_MALFORMED, ChmuDropMalformed, "chmu_dropped_malformed") \
	X(CHMU_DROP_NO_DECODER, ChmuDropNoDecoder, "chmu_dropped_no_decoder") \
	X(CHMU_DROP_INTERLEAVE, ChmuDropInterleave,			\
	  "chmu_dropped_interleave")					\
	X(CHMU_OVERFLOWS, ChmuOverflows, "chmu_overflows")		\
	X(CHMU_ERRORS, ChmuErrors, "chmu_errors") \
	/* hardware samplers: samples taken, kept as accesses, dropped */ \
	X(IBS_SAMPLES, IbsSamples, "ibs_samples")			\
	X(IBS_KEPT, IbsKept, "ibs_kept")				\
	X(IBS_DROPPED_NO_PHYS, IbsDroppedNoPhys, "ibs_dropped_no_phys")	\
	X(IBS_DROPPED_NOT_LOAD, IbsDroppedNotLoad, "ibs_dropped_not_load") \
	X(IBS_DROPPED_NOT_MEMORY, IbsDroppedNotMemory,			\
	  "ibs_dropped_not_memory")					\
	X(IBS_DROPPED_RING_FULL, IbsDroppedRingFull,			\
	  "ibs_dropped_ring_full")					\
	X(PEBS_SAMPLES, PebsSamples, "pebs_samples")			\
	X(PEBS_KEPT, PebsKept, "pebs_kept")				\
	X(PEBS_DROPPED_NO_PHYS, PebsDroppedNoPhys, "pebs_dropped_no_phys") \
	X(PEBS_DROPPED_NOT_LOAD, PebsDroppedNotLoad,			\
	  "pebs_dropped_not_load")					\
	X(PEBS_DROPPED_NOT_MEMORY, PebsDroppedNotMemory,		\
	  "pebs_dropped_not_memory")					\
	X(PEBS_DROPPED_RING_FULL, PebsDroppedRingFull,			\
	  "pebs_dropped_ring_full")

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
	X(POLICY, Policy, "policy")	/* users' mempolicy or cpuset */ \
	X(BUSY, Busy, "busy")	/* locked, dirty, rmap contended */	\
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
	X(SCAN_PERIOD_MS, ScanPeriodMs, "scan_period_ms", 0644)	\
	X(SCAN_BUDGET_PAGES, ScanBudgetPages, "scan_budget_pages", 0644) \
	X(AGENT_DEVICE, AgentDevice, "agent_device", 0644)		\
	X(POOL_SIZE, PoolSize, "pool_size", 0444)			\
	X(CHMU_UNITS, ChmuUnits, "chmu_units", 0444)			\
	X(CHMU_POLL_MS, ChmuPollMs, "chmu_poll_ms", 0644)		\
	X(CHMU_UNIT_SIZE, ChmuUnitSize, "chmu_unit_size", 0644)		\
	X(CHMU_THRESHOLD, ChmuThreshold, "chmu_threshold", 0644)	\
	X(CHMU_EPOCH_MS, ChmuEpochMs, "chmu_epoch_ms", 0644) \
	X(IBS_ENABLED, IbsEnabled, "ibs_enabled", 0644)			\
	X(IBS_PERIOD, IbsPeriod, "ibs_period", 0644)			\
	X(PEBS_ENABLED, PebsEnabled, "pebs_enabled", 0644)		\
	X(PEBS_PERIOD, PebsPeriod, "pebs_period", 0644)			\
	X(PEBS_LDLAT, PebsLdlat, "pebs_ldlat", 0644)

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

/* What one call of pghot_scan_range() found, added to the caller's. */
struct pghot_scan_result {
	u64 scanned;		/* base pages of LRU folios looked at */
	u64 young;		/* folios with an accessed bit set */
	u64 contended;		/* folios skipped on a contended lock */
};

#endif /* _PGHOT_TYPES_H */
