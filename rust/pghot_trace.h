/* SPDX-License-Identifier: GPL-2.0 */
/* Tracepoints of pghot, usable from perf and BPF: events/pghot/. */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM pghot

#if !defined(_PGHOT_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _PGHOT_TRACE_H

#include <linux/tracepoint.h>

/* A record reached its node's (possibly tuned) hotness threshold. */
TRACE_EVENT(pghot_hot,
	TP_PROTO(unsigned long pfn, int nid, unsigned int threshold),
	TP_ARGS(pfn, nid, threshold),
	TP_STRUCT__entry(
		__field(unsigned long, pfn)
		__field(int, nid)
		__field(unsigned int, threshold)
	),
	TP_fast_assign(
		__entry->pfn = pfn;
		__entry->nid = nid;
		__entry->threshold = threshold;
	),
	TP_printk("pfn=0x%lx target_nid=%d threshold=%u",
		  __entry->pfn, __entry->nid, __entry->threshold)
);

/* One migrated batch: folios asked for, base pages that moved. */
TRACE_EVENT(pghot_migrate_batch,
	TP_PROTO(int nid, unsigned int nr_asked, unsigned int nr_moved),
	TP_ARGS(nid, nr_asked, nr_moved),
	TP_STRUCT__entry(
		__field(int, nid)
		__field(unsigned int, nr_asked)
		__field(unsigned int, nr_moved)
	),
	TP_fast_assign(
		__entry->nid = nid;
		__entry->nr_asked = nr_asked;
		__entry->nr_moved = nr_moved;
	),
	TP_printk("nid=%d folios_asked=%u pages_moved=%u",
		  __entry->nid, __entry->nr_asked, __entry->nr_moved)
);

#endif /* _PGHOT_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE pghot_trace
#include <trace/define_trace.h>
