// SPDX-License-Identifier: GPL-2.0
/*
 * The tracepoints of rust/pghot_trace.h, with plain functions for Rust to call:
 * trace events are macros all the way down.
 */

#define CREATE_TRACE_POINTS
#include "pghot_trace.h"

#include "pghot_shim.h"

void pghot_trace_hot(unsigned long pfn, int nid, unsigned int threshold)
{
	trace_pghot_hot(pfn, nid, threshold);
}

void pghot_trace_migrate_batch(int nid, unsigned int nr_asked,
			       unsigned int nr_moved)
{
	trace_pghot_migrate_batch(nid, nr_asked, nr_moved);
}
