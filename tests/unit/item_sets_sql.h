/*
 * item_sets_sql.h - the tests' own reader and writer of item_sets blobs (format 1, as
 * src/store/item_sets.c says it: a format byte, a varint count, then per item the varint gap
 * to the previous id and the varint size), written apart from the store's so that each
 * checks the other. item_sets_functions() adds two SQL functions to a connection, so that a
 * test bends a stored size in SQL as it bent an item_snapshot row before schema 003:
 *
 *   set_size(blob, item, size)   the blob with item's size set (0: the item removed)
 *   get_size(blob, item)         item's size in the blob, 0 when absent; NULL when damaged
 */
#ifndef KB_TEST_ITEM_SETS_SQL_H
#define KB_TEST_ITEM_SETS_SQL_H

#include <sqlite3.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct test_set {
	int64_t *id;
	uint64_t *size;
	size_t n;
};

static int test_varint(const unsigned char **p, const unsigned char *end, uint64_t *v)
{
	unsigned shift;

	*v = 0;
	for (shift = 0; shift < 64 && *p < end; shift += 7) {
		unsigned char b = *(*p)++;

		*v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80))
			return 0;
	}
	return -1;
}

/* 0 and the set in t (the caller frees t->id and t->size), or -1 when damaged. */
static int test_set_decode(const unsigned char *p, size_t len, struct test_set *t)
{
	const unsigned char *end = p + len;
	uint64_t count, gap, size, i;
	int64_t id = -1;

	memset(t, 0, sizeof(*t));
	if (!len || *p++ != 1 || test_varint(&p, end, &count) || count > len)
		return -1;
	t->id = calloc(count + 1, sizeof(*t->id));
	t->size = calloc(count + 1, sizeof(*t->size));
	for (i = 0; i < count; i++) {
		if (test_varint(&p, end, &gap) || test_varint(&p, end, &size))
			return -1;
		id += (int64_t)gap + 1;
		t->id[t->n] = id;
		t->size[t->n++] = size;
	}
	return p == end ? 0 : -1;
}

static void test_put_varint(unsigned char *out, size_t *len, uint64_t v)
{
	do {
		out[(*len)++] = (unsigned char)((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
		v >>= 7;
	} while (v);
}

static void test_set_release(struct test_set *t)
{
	free(t->id);
	free(t->size);
}

static void get_size_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	struct test_set t;
	int64_t item = sqlite3_value_int64(argv[1]);
	size_t i;

	(void)argc;
	if (test_set_decode(sqlite3_value_blob(argv[0]), (size_t)sqlite3_value_bytes(argv[0]),
			    &t)) {
		test_set_release(&t);
		sqlite3_result_null(ctx);
		return;
	}
	sqlite3_result_int64(ctx, 0);
	for (i = 0; i < t.n; i++)
		if (t.id[i] == item)
			sqlite3_result_int64(ctx, (int64_t)t.size[i]);
	test_set_release(&t);
}

static void set_size_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	struct test_set t;
	int64_t item = sqlite3_value_int64(argv[1]), prev = -1;
	uint64_t size = (uint64_t)sqlite3_value_int64(argv[2]), count = 0;
	unsigned char *out;
	size_t i, len = 0;
	int put = 0;

	(void)argc;
	if (test_set_decode(sqlite3_value_blob(argv[0]), (size_t)sqlite3_value_bytes(argv[0]),
			    &t)) {
		test_set_release(&t);
		sqlite3_result_error(ctx, "set_size: a damaged blob", -1);
		return;
	}
	out = malloc(21 * (t.n + 2));
	for (i = 0; i < t.n; i++)
		count += t.id[i] != item;
	count += size != 0;
	out[len++] = 1;
	test_put_varint(out, &len, count);
	for (i = 0; i <= t.n; i++) {
		if (!put && size && (i == t.n || t.id[i] > item)) {
			test_put_varint(out, &len, (uint64_t)(item - prev - 1));
			test_put_varint(out, &len, size);
			prev = item;
			put = 1;
		}
		if (i == t.n || t.id[i] == item)
			continue;
		test_put_varint(out, &len, (uint64_t)(t.id[i] - prev - 1));
		test_put_varint(out, &len, t.size[i]);
		prev = t.id[i];
	}
	sqlite3_result_blob(ctx, out, (int)len, free);
	test_set_release(&t);
}

static void item_sets_functions(sqlite3 *h)
{
	sqlite3_create_function(h, "get_size", 2, SQLITE_UTF8, NULL, get_size_fn, NULL, NULL);
	sqlite3_create_function(h, "set_size", 3, SQLITE_UTF8, NULL, set_size_fn, NULL, NULL);
}

#endif
