// SPDX-License-Identifier: GPL-2.0
/*
 * The page side of promotion: turn PFNs chosen by the Rust policy into
 * isolated folios and migrate them in one batch. In C because it lives on
 * static inlines (folio_try_get(), folio_test_lru(), list_head).
 */

#include <linux/memory-tiers.h>
#include <linux/migrate.h>
#include <linux/mm.h>

#include "pghot_shim.h"

/*
 * Isolate @folio onto @folios for migration to @nid; returns 0, or the
 * reason it cannot move, negated (-PGHOT_FAIL_*). Reason 0 is
 * PGHOT_FAIL_INVALID, which is never returned here.
 */
static int pghot_isolate(struct folio *folio, int nid,
			 struct list_head *folios)
{
	int err;

	if (node_is_toptier(folio_nid(folio)))
		return -PGHOT_FAIL_TOPTIER;
	if (!folio_test_lru(folio))
		return -PGHOT_FAIL_NOT_LRU;
	if (folio_maybe_dma_pinned(folio))
		return -PGHOT_FAIL_PINNED;

	err = migrate_misplaced_folio_prepare(folio, NULL, nid);
	if (err == -EACCES)
		return -PGHOT_FAIL_SHARED;
	if (err) {
		/* Lost the LRU flag to someone else, or the target is full. */
		return folio_test_lru(folio) ? -PGHOT_FAIL_NO_SPACE :
					       -PGHOT_FAIL_ISOLATED;
	}
	list_add_tail(&folio->lru, folios);
	return 0;
}

void pghot_promote_batch(const unsigned long *pfns, unsigned int nr, int nid,
			 struct pghot_promote_result *res)
{
	LIST_HEAD(folios);
	unsigned int i, moved = 0;

	memset(res, 0, sizeof(*res));
	for (i = 0; i < nr; i++) {
		struct page *page = pfn_to_online_page(pfns[i]);
		int why;
		struct folio *folio;

		if (!page) {
			res->fail[PGHOT_FAIL_INVALID]++;
			continue;
		}
		folio = page_folio(page);
		if (!folio_try_get(folio)) {
			res->fail[PGHOT_FAIL_ISOLATED]++;
			continue;
		}
		/* The folio may have been split or freed and reused meanwhile. */
		if (unlikely(page_folio(page) != folio)) {
			folio_put(folio);
			res->fail[PGHOT_FAIL_ISOLATED]++;
			continue;
		}
		why = pghot_isolate(folio, nid, &folios);
		if (!why)
			res->nr_isolated += folio_nr_pages(folio);
		else
			res->fail[-why] += folio_nr_pages(folio);
		/* Isolation holds a reference of its own. */
		folio_put(folio);
	}

	if (list_empty(&folios))
		return;
	migrate_misplaced_folios_batch(&folios, nid, &moved);
	res->nr_moved = moved;
	if (res->nr_isolated > moved)
		res->fail[PGHOT_FAIL_MIGRATE] += res->nr_isolated - moved;
}
