/*
 * rollup.c - per-key old/new tables; see rollup.h.
 */
#include "rollup.h"
#include "escape.h"
#include "json.h"

#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void kb_rollup_add(struct kb_rollup *r, const char *key, uint64_t old, uint64_t new)
{
	uint32_t k = kb_strtab_intern(&r->keys, key, strlen(key), NULL);

	if (k >= r->alloc) {
		size_t was = r->alloc;

		ALLOC_GROW(r->v, (size_t)k + 1, r->alloc);
		memset(r->v + was, 0, (r->alloc - was) * sizeof(*r->v));
	}
	r->v[k].key = r->keys.strs[k];
	r->v[k].old += old;
	r->v[k].new += new;
}

static int cmp_row(const void *x, const void *y)
{
	const struct kb_rollup_row *a = x, *b = y;
	int64_t da = (int64_t)a->new - (int64_t)a->old, db = (int64_t)b->new - (int64_t)b->old;

	if (da != db)
		return da > db ? -1 : 1;
	return strcmp(a->key, b->key);
}

void kb_rollup_sort(struct kb_rollup *r)
{
	if (r->keys.nr)
		qsort(r->v, r->keys.nr, sizeof(*r->v), cmp_row);
}

void kb_rollup_write_text(FILE *f, const struct kb_rollup *r, const char *what)
{
	struct strbuf key = STRBUF_INIT;
	size_t i;

	fprintf(f, "%-48s %10s %10s %10s\n", what, "old", "new", "delta");
	for (i = 0; i < r->keys.nr; i++) {
		const struct kb_rollup_row *w = &r->v[i];

		if (w->new != w->old)
			fprintf(f, "%-48s %10llu %10llu %+10lld\n", kb_text(&key, w->key),
				(unsigned long long)w->old, (unsigned long long)w->new,
				(long long)w->new - (long long)w->old);
	}
	strbuf_release(&key);
}

json_t *kb_rollup_json(const struct kb_rollup *r)
{
	json_t *arr = json_array();
	size_t i;

	for (i = 0; i < r->keys.nr; i++) {
		const struct kb_rollup_row *w = &r->v[i];

		if (w->new != w->old)
			json_array_append_new(
				arr, json_pack("{s:o,s:I,s:I,s:I}", "key", kb_json_str(w->key),
					       "old", (json_int_t)w->old, "new", (json_int_t)w->new,
					       "delta", (json_int_t)w->new - (json_int_t)w->old));
	}
	return arr;
}

void kb_rollup_release(struct kb_rollup *r)
{
	free(r->v);
	kb_strtab_release(&r->keys);
	memset(r, 0, sizeof(*r));
}
