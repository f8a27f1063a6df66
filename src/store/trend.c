/*
 * trend.c - the store's answers for the trend charts; see trend.h.
 */
#include "trend.h"

#include "query.h"
#include "store_internal.h"
#include "error.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void kb_line_builds_free(struct kb_line_build *v, size_t n)
{
	size_t i;

	for (i = 0; v && i < n; i++) {
		free(v[i].author);
		free(v[i].subject);
	}
	free(v);
}

static int read_line_build(struct kb_store *s, sqlite3_stmt *st, struct kb_line_build *b)
{
	const char *sha;
	int c;

	if (kb_column_sha(s, st, 0, 0, b->id, &sha))
		return KB_ERR;
	snprintf(b->sha, sizeof(b->sha), "%s", sha);
	b->author = kb_column_strdup(st, 1, "");
	b->total = sqlite3_column_int64(st, 2);
	b->delta = sqlite3_column_int64(st, 3);
	b->has_parent = sqlite3_column_int(st, 4);
	for (c = 0; c < KB_CLS_NR; c++)
		b->cls[c] = sqlite3_column_int64(st, 5 + c);
	b->subject = kb_column_strdup(st, 5 + KB_CLS_NR, "");
	b->author_time = sqlite3_column_int64(st, 6 + KB_CLS_NR);
	b->committer_time = sqlite3_column_int64(st, 7 + KB_CLS_NR);
	return 0;
}

int kb_store_line_builds(struct kb_store *s, int64_t config_id, struct kb_line_build **out,
			 size_t *n)
{
	struct kb_line_build *v = NULL;
	struct kb_build_series *ser = NULL;
	sqlite3_stmt *st = NULL;
	int64_t *ids = NULL;
	size_t nids = 0, i = 0;
	int rc = KB_ERR;

	*out = NULL;
	*n = 0;
	if (kb_build_line(s, config_id, 0, &ids, &nids))
		return KB_ERR;
	v = xcalloc(nids + 1, sizeof(*v));
	if (kb_store_prepare(
		    s, &st,
		    "SELECT c.sha, c.author_name, b.total, b.d_total, b.parent_build_id "
		    "IS NOT NULL, b.text, b.rodata, b.data, b.bss, b.init, b.percpu, "
		    "b.other, c.subject, c.author_time, c.committer_time FROM builds b JOIN commits c ON c.id = b.commit_id WHERE "
		    "b.id = ?1"))
		goto out;
	for (i = 0; i < nids; i++) {
		sqlite3_bind_int64(st, 1, ids[i]);
		if (sqlite3_step(st) != SQLITE_ROW) {
			kb_store_fail(s, "cannot read a build");
			goto out;
		}
		v[i].id = ids[i];
		if (read_line_build(s, st, &v[i])) {
			i++;
			goto out;
		}
		sqlite3_reset(st);
	}
	ser = xcalloc(nids + 1, sizeof(*ser));
	if (kb_store_line_series(s, ids, nids, ser))
		goto out;
	for (i = 0; i < nids; i++)
		v[i].ser = ser[i];
	*out = v;
	*n = nids;
	v = NULL;
	rc = 0;
out:
	kb_line_builds_free(v, i);
	sqlite3_finalize(st);
	free(ser);
	free(ids);
	return rc;
}

struct kb_sizes_walk {
	struct kb_store *s;
	sqlite3_stmt *parent, *delta;
	int64_t build; /* the build z holds; 0: none */
	struct kb_sizes z;
	struct kb_size_change *changes; /* the last step's, when it applied a build's changes */
	size_t nchanges, achanges;
	int whole; /* the last step read its build whole */
	uint64_t sum; /* of z: at most INT64_MAX (kb_sizes_bounded) */
};

int kb_sizes_walk_new(struct kb_sizes_walk **out, struct kb_store *s)
{
	struct kb_sizes_walk *w = xcalloc(1, sizeof(*w));

	*out = NULL;
	w->s = s;
	w->whole = 1;
	if (kb_store_prepare(s, &w->parent, "SELECT parent_build_id FROM builds WHERE id = ?1") ||
	    kb_store_prepare(s, &w->delta,
			     "SELECT item_id, size FROM item_delta WHERE build_id = ?1")) {
		kb_sizes_walk_free(w);
		return KB_ERR;
	}
	*out = w;
	return 0;
}

void kb_sizes_walk_free(struct kb_sizes_walk *w)
{
	if (!w)
		return;
	sqlite3_finalize(w->parent);
	sqlite3_finalize(w->delta);
	kb_sizes_release(&w->z);
	free(w->changes);
	free(w);
}

/* Sets z[item] = size for each item build changed, noting the size it replaces; z grows
 * (zeroed) as the ids need. */
static int apply_delta(struct kb_sizes_walk *w, int64_t build)
{
	struct kb_sizes *z = &w->z;
	struct kb_size_change *c;
	int step;

	w->nchanges = 0;
	sqlite3_bind_int64(w->delta, 1, build);
	while ((step = sqlite3_step(w->delta)) == SQLITE_ROW) {
		int64_t item = sqlite3_column_int64(w->delta, 0);

		if (kb_store_item_ok(w->s, item, "build", build))
			break;
		if ((size_t)item >= z->n) {
			z->v = xrealloc(z->v, ((size_t)item + 1) * sizeof(*z->v));
			memset(z->v + z->n, 0, ((size_t)item + 1 - z->n) * sizeof(*z->v));
			z->n = (size_t)item + 1;
		}
		ALLOC_GROW(w->changes, w->nchanges + 1, w->achanges);
		c = &w->changes[w->nchanges++];
		c->item = (size_t)item;
		c->old = z->v[item];
		z->v[item] = (uint64_t)sqlite3_column_int64(w->delta, 1);
		c->new = z->v[item];
	}
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		kb_store_fail(w->s, "cannot read a build's changes");
	sqlite3_reset(w->delta);
	return step == SQLITE_DONE ? 0 : KB_ERR;
}

/* kb_sizes_bounded's check of the sizes after a step, from the one before: every old size
 * taken out of the sum first, so that it goes past INT64_MAX only if the new sizes do. */
static int step_bounded(struct kb_sizes_walk *w, int64_t build)
{
	size_t k;

	for (k = 0; k < w->nchanges; k++)
		w->sum -= w->changes[k].old;
	for (k = 0; k < w->nchanges; k++) {
		if (w->changes[k].new > (uint64_t)INT64_MAX - w->sum)
			return kb_sizes_bounded(w->s, &w->z, build); /* says so */
		w->sum += w->changes[k].new;
	}
	return 0;
}

static uint64_t sizes_sum(const struct kb_sizes *z)
{
	uint64_t sum = 0;
	size_t i;

	for (i = 0; i < z->n; i++)
		sum += z->v[i]; /* kb_store_sizes checked that it stays below 2^63 */
	return sum;
}

int kb_sizes_walk_next(struct kb_sizes_walk *w, int64_t build, const struct kb_sizes **z)
{
	int64_t parent = 0;
	int step;

	*z = NULL;
	sqlite3_bind_int64(w->parent, 1, build);
	step = sqlite3_step(w->parent);
	if (step == SQLITE_ROW)
		parent = sqlite3_column_int64(w->parent, 0);
	sqlite3_reset(w->parent);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		return kb_store_fail(w->s, "cannot read a build");
	w->whole = !(w->build && parent == w->build);
	w->nchanges = 0;
	if (!w->whole) {
		if (apply_delta(w, build) || step_bounded(w, build)) {
			w->build = 0;
			return KB_ERR;
		}
	} else {
		kb_sizes_release(&w->z);
		w->build = 0;
		if (kb_store_sizes(w->s, build, &w->z))
			return KB_ERR;
		w->sum = sizes_sum(&w->z);
	}
	w->build = build;
	*z = &w->z;
	return 0;
}

int kb_sizes_walk_changes(const struct kb_sizes_walk *w, const struct kb_size_change **v, size_t *n)
{
	*v = w->whole ? NULL : w->changes;
	*n = w->whole ? 0 : w->nchanges;
	return w->whole;
}
