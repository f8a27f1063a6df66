/*
 * store_options.c - the builds' modular series, a build's options and one option's line;
 * see store_options.h.
 */
#include "store_options.h"

#include "store_internal.h"
#include "error.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

void kb_series_columns(sqlite3_stmt *st, int i, struct kb_build_series *b)
{
	sqlite3_value *v[6];
	int c;

	memset(b, 0, sizeof(*b));
	b->total = sqlite3_column_int64(st, i);
	/* each column asked its type and its value through one sqlite3_value (commit_columns
	 * in store_history.c says why) */
	v[0] = sqlite3_column_value(st, i + 1);
	b->has_padding = sqlite3_value_type(v[0]) != SQLITE_NULL;
	if (!b->has_padding)
		return;
	b->padding = sqlite3_value_int64(v[0]);
	/* the four sums are written together: one NULL means no analysis */
	b->has_modular = 1;
	for (c = 1; c < 5 && b->has_modular; c++) {
		v[c] = sqlite3_column_value(st, i + 1 + c);
		b->has_modular = sqlite3_value_type(v[c]) != SQLITE_NULL;
	}
	if (b->has_modular) {
		b->m_tristate = sqlite3_value_int64(v[1]);
		b->m_bool = sqlite3_value_int64(v[2]);
		b->m_core = sqlite3_value_int64(v[3]);
		b->m_rest = sqlite3_value_int64(v[4]);
		/* schema 009: the relearnt kallsyms term, where the analysis relearnt */
		v[5] = sqlite3_column_value(st, i + 6);
		b->has_kallsyms = sqlite3_value_type(v[5]) != SQLITE_NULL;
		b->m_kallsyms = sqlite3_value_int64(v[5]);
	}
}

int64_t kb_series_modular(const struct kb_build_series *b)
{
	/* in uint64_t: a bent row (db check says which) wraps rather than overflows */
	return (int64_t)((uint64_t)b->total - (uint64_t)b->padding - (uint64_t)b->m_tristate -
			 (uint64_t)b->m_bool + (uint64_t)b->m_kallsyms);
}

void kb_output_columns(sqlite3_stmt *st, int i, struct kb_build_series *b)
{
	/* build_outputs' boot_bytes, boot_payload and mod_total (a LEFT JOIN: NULL if none) */
	b->has_boot = sqlite3_column_type(st, i) != SQLITE_NULL;
	b->boot_bytes = sqlite3_column_int64(st, i);
	b->has_payload = sqlite3_column_type(st, i + 1) != SQLITE_NULL;
	b->boot_payload = sqlite3_column_int64(st, i + 1);
	b->has_modules = sqlite3_column_type(st, i + 2) != SQLITE_NULL;
	b->mod_total = sqlite3_column_int64(st, i + 2);
}

static int series_row(void *arg, sqlite3_stmt *st, size_t pos)
{
	kb_series_columns(st, 1, &((struct kb_build_series *)arg)[pos]);
	kb_output_columns(st, 8, &((struct kb_build_series *)arg)[pos]);
	return 0;
}

int kb_store_line_series(struct kb_store *s, const int64_t *ids, size_t n,
			 struct kb_build_series *out)
{
	sqlite3_stmt *st;
	int rc;

	if (kb_store_prepare(s, &st,
			     "SELECT b.id, b.total, b.padding, b.m_tristate, b.m_bool, b.m_core, "
			     "b.m_rest, b.m_kallsyms, o.boot_bytes, o.boot_payload, o.mod_total "
			     "FROM builds b "
			     "LEFT JOIN build_outputs o ON o.build_id = b.id WHERE b.id BETWEEN "
			     "?1 AND ?2"))
		return KB_ERR;
	rc = kb_store_each_build(s, st, ids, n, 1, "cannot read a build's sizes", series_row, out);
	sqlite3_finalize(st);
	return rc;
}

/* The option items of one name (or every option item, name NULL). */
struct opt_items {
	int64_t *id;
	int *cls;
	const char **name; /* interned into strs when every item is read */
	size_t n, alloc;
	struct kb_strtab strs;
};

static void opt_items_release(struct opt_items *it)
{
	free(it->id);
	free(it->cls);
	free(it->name);
	kb_strtab_release(&it->strs);
	memset(it, 0, sizeof(*it));
}

static int opt_items_load(struct kb_store *s, const char *name, struct opt_items *it)
{
	sqlite3_stmt *st;
	size_t ncls = 0, nname = 0;
	int step;

	memset(it, 0, sizeof(*it));
	if (kb_store_prepare(s, &st,
			     "SELECT id, class, name FROM items WHERE kind = 4 AND (?1 IS NULL OR "
			     "name = ?1) ORDER BY id"))
		return KB_ERR;
	if (name)
		sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0), cls = sqlite3_column_int64(st, 1);
		const char *nm = kb_column_text(st, 2, &it->strs);

		if (kb_store_item_ok(s, id, "items row", id))
			break;
		if (cls < 0 || cls >= KB_OPT_NCLASSES || !nm) {
			kb_error_set("%s: items row %lld: an option with class %lld or no name",
				     kb_store_path(s), (long long)id, (long long)cls);
			break;
		}
		ALLOC_GROW(it->id, it->n + 1, it->alloc);
		ALLOC_GROW(it->cls, it->n + 1, ncls);
		ALLOC_GROW(it->name, it->n + 1, nname);
		it->id[it->n] = id;
		it->cls[it->n] = (int)cls;
		it->name[it->n++] = nm;
	}
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		kb_store_fail(s, "cannot read the option items");
	sqlite3_finalize(st);
	if (step != SQLITE_DONE) {
		opt_items_release(it);
		return KB_ERR;
	}
	return 0;
}

/* The option's bytes and class from its items' sizes now[0..it->n): the largest item's
 * class (one at most is non-zero in a sound database), the sum of their bytes. */
static struct kb_option_point point_of(const struct opt_items *it, const uint64_t *now)
{
	struct kb_option_point p = { 0, -1 };
	uint64_t best = 0;
	size_t k;

	for (k = 0; k < it->n; k++) {
		p.size = (int64_t)((uint64_t)p.size + now[k]); /* wraps, never UB */
		if (now[k] > best) {
			best = now[k];
			p.cls = it->cls[k];
		}
	}
	return p;
}

/* Where build sits in the line: ids sorted by value with their positions. */
struct line_pos {
	int64_t build;
	size_t pos;
};

static int cmp_pos(const void *a, const void *b)
{
	const struct line_pos *x = a, *y = b;

	return x->build < y->build ? -1 : x->build > y->build;
}

/* One change of an option item in a build of the line. */
struct opt_change {
	size_t pos, item; /* the build's place in the line, the item's in opt_items */
	uint64_t size;
};

static int cmp_change(const void *a, const void *b)
{
	const struct opt_change *x = a, *y = b;

	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* The changes of it's items in the builds of the line (pos sorted by build). */
static int line_changes(struct kb_store *s, const char *name, const struct opt_items *it,
			const struct line_pos *pos, size_t n, struct opt_change **out, size_t *nout)
{
	size_t alloc = 0;
	sqlite3_stmt *st;
	int step;

	*out = NULL;
	*nout = 0;
	if (kb_store_prepare(s, &st,
			     "SELECT d.build_id, d.item_id, d.size FROM items i JOIN item_delta d "
			     "ON d.item_id = i.id WHERE i.kind = 4 AND i.name = ?1"))
		return KB_ERR;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct line_pos key = { sqlite3_column_int64(st, 0), 0 };
		int64_t item = sqlite3_column_int64(st, 1);
		const struct line_pos *p = bsearch(&key, pos, n, sizeof(*pos), cmp_pos);
		size_t k;

		for (k = 0; k < it->n && it->id[k] != item; k++)
			;
		if (!p || !p->pos || k == it->n)
			continue; /* another line's build, or the first build's (read whole) */
		ALLOC_GROW(*out, *nout + 1, alloc);
		(*out)[(*nout)++] =
			(struct opt_change){ p->pos, k, (uint64_t)sqlite3_column_int64(st, 2) };
	}
	sqlite3_finalize(st);
	if (step != SQLITE_DONE) {
		free(*out);
		*out = NULL;
		*nout = 0;
		return kb_store_fail(s, "cannot read an option's changes");
	}
	if (*nout)
		qsort(*out, *nout, sizeof(**out), cmp_change);
	return 0;
}

/* The option's items' sizes in the line's first build, from its full sizes. */
static int first_sizes(struct kb_store *s, int64_t build, const struct opt_items *it, uint64_t *now)
{
	struct kb_sizes z;
	size_t k;

	if (kb_store_sizes(s, build, &z))
		return KB_ERR;
	for (k = 0; k < it->n; k++)
		now[k] = (size_t)it->id[k] < z.n ? z.v[it->id[k]] : 0;
	kb_sizes_release(&z);
	return 0;
}

int kb_store_option_line(struct kb_store *s, const char *name, const int64_t *ids, size_t n,
			 struct kb_option_point *out)
{
	struct line_pos *pos = NULL;
	struct opt_change *ch = NULL;
	struct opt_items it;
	uint64_t *now = NULL;
	size_t nch = 0, i, c = 0;
	int rc = KB_ERR;

	if (opt_items_load(s, name, &it))
		return KB_ERR;
	if (!it.n) {
		opt_items_release(&it);
		return kb_error_set("CONFIG_%s: no build in %s has this option enabled", name,
				    kb_store_path(s));
	}
	if (!n)
		goto done;
	pos = xcalloc(n, sizeof(*pos));
	for (i = 0; i < n; i++)
		pos[i] = (struct line_pos){ ids[i], i };
	qsort(pos, n, sizeof(*pos), cmp_pos);
	now = xcalloc(it.n, sizeof(*now));
	if (first_sizes(s, ids[0], &it, now) || line_changes(s, name, &it, pos, n, &ch, &nch))
		goto out;
	for (i = 0; i < n; i++) {
		for (; c < nch && ch[c].pos == i; c++)
			now[ch[c].item] = ch[c].size;
		out[i] = point_of(&it, now);
	}
done:
	rc = 0;
out:
	free(pos);
	free(ch);
	free(now);
	opt_items_release(&it);
	return rc;
}

void kb_build_options_release(struct kb_build_options *o)
{
	free(o->v);
	kb_strtab_release(&o->strs);
	memset(o, 0, sizeof(*o));
}

/* The parent build of build, when it has the analysis (its m_core is not NULL); else 0. */
static int analyzed_parent(struct kb_store *s, int64_t build, int64_t *parent)
{
	sqlite3_stmt *st;
	int step;

	*parent = 0;
	if (kb_store_prepare(s, &st,
			     "SELECT p.id FROM builds b JOIN builds p ON p.id = b.parent_build_id "
			     "WHERE b.id = ?1 AND p.m_core IS NOT NULL"))
		return KB_ERR;
	sqlite3_bind_int64(st, 1, build);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		*parent = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		return kb_store_fail(s, "cannot read a build's parent");
	return 0;
}

/* Adds the options of it that z (prev: of the parent build) holds to o, by name. */
static void add_sizes(struct kb_build_options *o, const struct opt_items *it,
		      const struct kb_sizes *z, int prev, size_t *alloc)
{
	size_t k;

	for (k = 0; k < it->n; k++) {
		uint64_t size = (size_t)it->id[k] < z->n ? z->v[it->id[k]] : 0;
		const char *nm = it->name[k];
		struct kb_build_option *e;
		uint32_t id;

		if (!size)
			continue;
		id = kb_strtab_intern(&o->strs, nm, strlen(nm), &nm);
		if (id == o->n) {
			ALLOC_GROW(o->v, o->n + 1, *alloc);
			o->v[o->n++] = (struct kb_build_option){ nm, -1, -1, 0, 0 };
		}
		e = &o->v[id];
		if (prev) {
			e->prev = (int64_t)((uint64_t)e->prev + size);
			e->prev_cls = it->cls[k];
		} else {
			e->size = (int64_t)((uint64_t)e->size + size);
			e->cls = it->cls[k];
		}
	}
}

int kb_store_build_options(struct kb_store *s, int64_t build, struct kb_build_options *out)
{
	struct kb_sizes z = { 0 }, pz = { 0 };
	struct opt_items it;
	size_t alloc = 0;
	int rc = KB_ERR;

	memset(out, 0, sizeof(*out));
	if (opt_items_load(s, NULL, &it))
		return KB_ERR;
	if (analyzed_parent(s, build, &out->parent) || kb_store_sizes(s, build, &z) ||
	    (out->parent && kb_store_sizes(s, out->parent, &pz)))
		goto out;
	add_sizes(out, &it, &z, 0, &alloc);
	add_sizes(out, &it, &pz, 1, &alloc);
	rc = 0;
out:
	if (rc)
		kb_build_options_release(out);
	kb_sizes_release(&z);
	kb_sizes_release(&pz);
	opt_items_release(&it);
	return rc;
}
