/*
 * store_check.c - integrity and consistency checks of a database; see store_check.h.
 */
#include "store_check.h"

#include "store_internal.h"
#include "error.h"
#include "strbuf.h"
#include "xalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

__attribute__((format(printf, 2, 3))) static void problem(struct kb_check *c, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	ALLOC_GROW(c->problems, c->nproblems + 1, c->problems_alloc);
	c->problems[c->nproblems++] = strbuf_detach(&sb, NULL);
}

/* SQLite's integrity check and foreign-key check. */
static int sqlite_checks(struct kb_store *s, struct kb_check *c)
{
	sqlite3_stmt *st;

	if (kb_store_prepare(s, &st, "PRAGMA integrity_check"))
		return KB_ERR;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *t = kb_column_text(st, 0, NULL);

		if (t && strcmp(t, "ok"))
			problem(c, "%s: %s", kb_store_path(s), t);
	}
	sqlite3_finalize(st);
	if (kb_store_prepare(s, &st, "PRAGMA foreign_key_check"))
		return KB_ERR;
	while (sqlite3_step(st) == SQLITE_ROW)
		problem(c, "%s: row %lld of %s names a missing row of %s", kb_store_path(s),
			(long long)sqlite3_column_int64(st, 1), kb_column_text(st, 0, NULL),
			kb_column_text(st, 2, NULL));
	sqlite3_finalize(st);
	return 0;
}

/* Do the build's stored sizes add up to its totals (sizes, then bloat-o-meter's views)? */
static void sums_check(struct kb_check *c, const char *sha, const struct kb_sizes *z,
		       const struct kb_items *items, const int64_t *want)
{
	int64_t got[KB_ITEM_NKINDS] = { 0 };
	size_t i;
	int k;

	for (i = 0; i < z->n; i++) {
		if (!z->v[i])
			continue;
		if (i >= items->n || items->v[i].kind < 0) {
			problem(c, "build of %.12s: a size of item %zu, which does not exist", sha,
				i);
			continue;
		}
		got[items->v[i].kind] += (int64_t)z->v[i];
	}
	for (k = 0; k < KB_ITEM_NKINDS; k++)
		if (got[k] != want[k])
			problem(c, "build of %.12s: stored %s sum to %lld, its total says %lld",
				sha, k ? "bloat-o-meter entries" : "sizes", (long long)got[k],
				(long long)want[k]);
}

/* One ok build (a row of build_checks' query): its links, then its sums. */
static void build_check(struct kb_store *s, struct kb_check *c, sqlite3_stmt *st,
			const struct kb_items *items)
{
	struct kb_check_build *b;
	int64_t want[KB_ITEM_NKINDS];
	struct kb_sizes z;
	int k;

	ALLOC_GROW(c->builds, c->nbuilds + 1, c->builds_alloc);
	b = &c->builds[c->nbuilds++];
	snprintf(b->sha, sizeof(b->sha), "%s", kb_column_text(st, 1, NULL));
	b->sizes_read = 0;
	for (k = 0; k < KB_ITEM_NKINDS; k++)
		want[k] = sqlite3_column_int64(st, 2 + k);
	if (sqlite3_column_int(st, 6))
		problem(c, "build of %.12s: its delta is not its parent's difference", b->sha);
	if (sqlite3_column_int(st, 7))
		problem(c, "build of %.12s: its parent build is not an ok build of its config",
			b->sha);
	if (kb_store_sizes(s, sqlite3_column_int64(st, 0), &z)) {
		problem(c, "build of %.12s: %s", b->sha, kb_error_last());
		return;
	}
	b->sizes_read = 1;
	sums_check(c, b->sha, &z, items, want);
	kb_sizes_release(&z);
}

/* Sizes of each ok build against its totals, and its class deltas against its parent's. */
static int build_checks(struct kb_store *s, struct kb_check *c)
{
	struct kb_items items;
	sqlite3_stmt *st;
	int rc;

	if (kb_store_prepare(s, &st,
			     "SELECT b.id, c.sha, b.total, b.bom_t, b.bom_d, b.bom_r, "
			     "b.d_total IS NOT (b.total - p.total), p.status IS NOT NULL AND "
			     "(p.status != 'ok' OR p.config_id != b.config_id) FROM builds b JOIN "
			     "commits c ON c.id = b.commit_id LEFT JOIN builds p ON p.id = "
			     "b.parent_build_id WHERE b.status = 'ok' ORDER BY b.id"))
		return KB_ERR;
	if (kb_items_load(s, &items)) {
		sqlite3_finalize(st);
		return KB_ERR;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		build_check(s, c, st, &items);
	if (rc != SQLITE_DONE)
		kb_store_fail(s, "cannot read builds");
	kb_items_release(&items);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : KB_ERR;
}

int kb_store_check(struct kb_store *s, struct kb_check *out)
{
	memset(out, 0, sizeof(*out));
	if (sqlite_checks(s, out) || build_checks(s, out)) {
		kb_check_release(out);
		return KB_ERR;
	}
	return 0;
}

void kb_check_release(struct kb_check *c)
{
	size_t i;

	for (i = 0; i < c->nproblems; i++)
		free(c->problems[i]);
	free(c->problems);
	free(c->builds);
	memset(c, 0, sizeof(*c));
}
