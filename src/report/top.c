/*
 * top.c - a build's bytes by key, largest first; see top.h.
 */
#include "top.h"
#include "escape.h"
#include "json.h"

#include "breakdown.h"
#include "image.h"
#include "query.h"
#include "error.h"
#include "strbuf.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

static const char *const by_names[KB_TOP_NR] = { "symbol", "file", "subsystem", "class" };

int kb_top_by_parse(const char *name)
{
	int i;

	for (i = 0; i < KB_TOP_NR; i++)
		if (!strcmp(name, by_names[i]))
			return i;
	return -1;
}

const char *kb_top_by_name(enum kb_top_by by)
{
	return by_names[by];
}

static int cmp_row(const void *x, const void *y)
{
	const struct kb_top_row *a = x, *b = y;

	if (a->bytes != b->bytes)
		return a->bytes > b->bytes ? -1 : 1;
	return strcmp(a->key, b->key);
}

static void item_key(const struct kb_item_meta *m, enum kb_top_by by, struct strbuf *key)
{
	strbuf_reset(key);
	switch (by) {
	case KB_TOP_CLASS:
		strbuf_addstr(key, kb_class_name(m->cls));
		break;
	case KB_TOP_FILE:
		strbuf_addstr(key, *m->path ? m->path : m->name);
		break;
	case KB_TOP_SUBSYSTEM:
		strbuf_addstr(key, m->subsystem ? m->subsystem : *m->path ? m->path : m->name);
		break;
	default:
		/* a function with its compiler clones, within its file */
		strbuf_add(key, m->name, kb_clone_origin_len(m->name));
		if (*m->path)
			strbuf_addf(key, "  (%s)", m->path);
		break;
	}
}

/* Sums the build's rows by key into m->rows (one per key, unsorted); returns their count. */
static size_t sum_by_key(struct kb_top *m, const struct kb_items *it, const struct kb_sizes *z)
{
	struct strbuf key = STRBUF_INIT;
	size_t n = 0, alloc = 0, i;

	for (i = 0; i < z->n && i < it->n; i++) {
		uint32_t k;

		if (!z->v[i] || it->v[i].kind != KB_ITEM_ROW)
			continue;
		item_key(&it->v[i], m->by, &key);
		k = kb_strtab_intern(&m->keys, key.buf, key.len, NULL);
		if (k >= n) {
			ALLOC_GROW(m->rows, (size_t)k + 1, alloc);
			m->rows[k].bytes = 0;
			n = (size_t)k + 1;
		}
		m->rows[k].bytes += z->v[i];
		m->total += z->v[i];
	}
	for (i = 0; i < n; i++)
		m->rows[i].key = m->keys.strs[i];
	strbuf_release(&key);
	return n;
}

int kb_top_build(struct kb_top **out, struct kb_store *s, int64_t build_id, enum kb_top_by by,
		 size_t limit)
{
	struct kb_top *m;
	struct kb_sizes z;
	struct kb_items it;
	size_t n, i;

	*out = NULL;
	if (kb_store_sizes(s, build_id, &z))
		return KB_ERR;
	if (kb_items_load(s, &it)) {
		kb_sizes_release(&z);
		return KB_ERR;
	}
	m = xcalloc(1, sizeof(*m));
	m->by = by;
	n = sum_by_key(m, &it, &z);
	if (n)
		qsort(m->rows, n, sizeof(*m->rows), cmp_row);
	m->n = n < limit ? n : limit;
	m->more = n - m->n;
	for (i = m->n; i < n; i++)
		m->rest += m->rows[i].bytes;
	kb_items_release(&it);
	kb_sizes_release(&z);
	*out = m;
	return 0;
}

void kb_top_free(struct kb_top *m)
{
	if (!m)
		return;
	free(m->rows);
	kb_strtab_release(&m->keys);
	free(m);
}

static double share(uint64_t bytes, uint64_t total)
{
	return total ? 100.0 * (double)bytes / (double)total : 0.0;
}

void kb_top_write_text(FILE *f, const struct kb_top *m)
{
	struct strbuf key = STRBUF_INIT;
	size_t i;

	fprintf(f, "%10s %6s  %s\n", "bytes", "share", kb_top_by_name(m->by));
	for (i = 0; i < m->n; i++)
		fprintf(f, "%10llu %5.1f%%  %s\n", (unsigned long long)m->rows[i].bytes,
			share(m->rows[i].bytes, m->total), kb_text(&key, m->rows[i].key));
	strbuf_release(&key);
	if (m->more)
		fprintf(f, "%10llu %5.1f%%  [%zu more]\n", (unsigned long long)m->rest,
			share(m->rest, m->total), m->more);
	fprintf(f, "Total: %llu bytes\n", (unsigned long long)m->total);
}

json_t *kb_top_table(const struct kb_top *m)
{
	json_t *arr = json_array();
	size_t i;

	for (i = 0; i < m->n; i++)
		json_array_append_new(arr,
				      json_pack("{s:o,s:I}", "key", kb_json_str(m->rows[i].key),
						"bytes", (json_int_t)m->rows[i].bytes));
	return arr;
}

json_t *kb_top_json(const struct kb_top *m)
{
	return json_pack("{s:s,s:I,s:o,s:I}", "by", kb_top_by_name(m->by), "total",
			 (json_int_t)m->total, "rows", kb_top_table(m), "rest",
			 (json_int_t)m->rest);
}
