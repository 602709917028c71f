// SPDX-License-Identifier: GPL-2.0
/*
 * The page side of promotion: turn PFNs chosen by the Rust policy into
 * isolated folios and migrate them in one batch. In C because it lives on
 * static inlines (folio_try_get(), folio_test_lru(), list_head).
 */

#include <linux/memory-tiers.h>
#include <linux/migrate.h>
#include <linux/mm.h>
#include <linux/rcupdate.h>

#include "pghot_shim.h"

/*
 * Isolate @folio for migration to @nid, onto @list; @nr_batched counts the
 * base pages isolated so far, which the target's free memory must cover
 * besides this folio. Returns 0, or the reason it cannot move, negated
 * (-PGHOT_FAIL_*). Reason 0 is PGHOT_FAIL_INVALID, which is never returned
 * here.
 */
static int pghot_isolate(struct folio *folio, int nid, unsigned long *nr_batched,
			 struct list_head *list)
{
	int err;

	if (node_is_toptier(folio_nid(folio)))
		return -PGHOT_FAIL_TOPTIER;
	if (!folio_test_lru(folio))
		return -PGHOT_FAIL_NOT_LRU;
	if (folio_maybe_dma_pinned(folio))
		return -PGHOT_FAIL_PINNED;

	err = migrate_misplaced_folio_prepare_batch(folio, nid, nr_batched);
	if (err == -EACCES)
		return -PGHOT_FAIL_SHARED;
	if (err == -EPERM)
		return -PGHOT_FAIL_POLICY;
	if (err == -ENOSPC)
		return -PGHOT_FAIL_NO_SPACE;
	if (err) {
		/*
		 * Lost the LRU flag to someone else, or still ours but busy:
		 * a dirty file folio, or a lock the policy check needs was
		 * contended.
		 */
		return folio_test_lru(folio) ? -PGHOT_FAIL_BUSY :
					       -PGHOT_FAIL_ISOLATED;
	}
	list_add_tail(&folio->lru, list);
	return 0;
}

/*
 * Migrate the large folio just isolated onto @one on its own, at once:
 * migrate_pages() gives up on the rest of a list when a large folio cannot
 * get its block on @nid (-ENOMEM), which fragmentation alone can cause,
 * and a large folio kept off its LRU list until the base pages have moved
 * makes MADV_COLLAPSE of its range fail (-EAGAIN) for that long; the
 * fault path holds a folio isolated only for its own migration. Its pages
 * leave @nr_batched: from now on the target's free count shows what it
 * took.
 */
static void pghot_migrate_large(struct list_head *one, int nid,
				unsigned long *nr_batched,
				struct pghot_promote_result *res)
{
	struct folio *folio = list_first_entry(one, struct folio, lru);
	unsigned long nr = folio_nr_pages(folio);
	unsigned int moved = 0;

	migrate_misplaced_folios_batch(one, nid, &moved);
	res->nr_moved += moved;
	*nr_batched -= min(*nr_batched, nr);
}

void pghot_promote_batch(const unsigned long *pfns, unsigned int nr, int nid,
			 struct pghot_promote_result *res)
{
	LIST_HEAD(base);
	LIST_HEAD(one);
	unsigned long nr_batched = 0;
	unsigned int i, moved = 0;
	struct folio *folio;

	memset(res, 0, sizeof(*res));
	for (i = 0; i < nr; i++) {
		struct page *page;
		int why;

		folio = NULL;
		rcu_read_lock();
		page = pghot_pfn_to_page_rcu(pfns[i]);
		if (page) {
			folio = page_folio(page);
			/* It may have been split or freed and reused meanwhile. */
			if (!folio_try_get(folio))
				folio = NULL;
			else if (unlikely(page_folio(page) != folio)) {
				folio_put(folio);
				folio = NULL;
			}
		}
		rcu_read_unlock();
		if (!folio) {
			res->fail[page ? PGHOT_FAIL_ISOLATED : PGHOT_FAIL_INVALID]++;
			continue;
		}
		why = pghot_isolate(folio, nid, &nr_batched,
				    folio_test_large(folio) ? &one : &base);
		if (!why)
			res->nr_isolated += folio_nr_pages(folio);
		else
			res->fail[-why] += folio_nr_pages(folio);
		/* Isolation holds a reference of its own. */
		folio_put(folio);
		if (!list_empty(&one))
			pghot_migrate_large(&one, nid, &nr_batched, res);
	}

	/* The base pages in one batch. */
	if (!list_empty(&base)) {
		migrate_misplaced_folios_batch(&base, nid, &moved);
		res->nr_moved += moved;
	}
	if (res->nr_isolated > res->nr_moved)
		res->fail[PGHOT_FAIL_MIGRATE] += res->nr_isolated - res->nr_moved;
}

/*
 * Move the folio holding @pfn to @nid on its own, for an agent's move
 * request, which wants the fate of each PFN: true when it moved, else
 * false with the reason in *@why. The checks and the isolation are those
 * of a kpromoted batch; one migration per folio costs more than a batch,
 * but agent requests are few next to kpromoted's. Sleeps.
 */
bool pghot_move_pfn(unsigned long pfn, int nid, enum pghot_fail *why)
{
	unsigned long nr_batched = 0;
	struct folio *folio = NULL;
	unsigned int moved = 0;
	LIST_HEAD(folios);
	struct page *page;
	int err;

	rcu_read_lock();
	page = pghot_pfn_to_page_rcu(pfn);
	if (page) {
		folio = page_folio(page);
		if (!folio_try_get(folio)) {
			folio = NULL;
		} else if (unlikely(page_folio(page) != folio)) {
			folio_put(folio);
			folio = NULL;
		}
	}
	rcu_read_unlock();
	if (!folio) {
		*why = page ? PGHOT_FAIL_ISOLATED : PGHOT_FAIL_INVALID;
		return false;
	}
	err = pghot_isolate(folio, nid, &nr_batched, &folios);
	folio_put(folio);
	if (err) {
		*why = -err;
		return false;
	}
	migrate_misplaced_folios_batch(&folios, nid, &moved);
	if (!moved) {
		*why = PGHOT_FAIL_MIGRATE;
		return false;
	}
	return true;
}
