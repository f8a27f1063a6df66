/*
 * item_sets.c - a build's full set of item sizes as one blob (schema/003-blobs.sql).
 *
 * The blob is a format byte (1), the number of items as a varint, then for each item in
 * increasing id order the gap to the previous id (id - previous id - 1; the first item's id
 * itself) and its size, both varints: 7 bits a byte, least significant first, the high bit
 * set on every byte but the last (LEB128). Item ids are dense, so a gap is nearly always
 * one byte, and most sizes are one or two: a 73,000-item kernel fits in about 200 KB where
 * a row per item took about 1.1 MB. Only sizes above 0 are written.
 *
 * Decoding trusts nothing: a varint cut short or longer than 64 bits, a count the bytes
 * cannot hold, an id past the items table, a size beyond 2^63 and bytes after the last item
 * are each a one-line error naming the database and the build.
 */
#include "store_internal.h"

#include "error.h"
#include "strbuf.h"
#include "xalloc.h"

#include <string.h>

#define KB_SET_FORMAT 1

static void put_varint(struct strbuf *sb, uint64_t v)
{
	unsigned char b[10];
	size_t n = 0;

	do {
		b[n] = (unsigned char)(v & 0x7f);
		v >>= 7;
		if (v)
			b[n] |= 0x80;
		n++;
	} while (v);
	strbuf_add(sb, b, n);
}

/* The varint at *p (before end) into *v; 0, or -1 when it is cut short or beyond 64 bits. */
static int get_varint(const unsigned char **p, const unsigned char *end, uint64_t *v)
{
	unsigned shift = 0;

	*v = 0;
	while (*p < end) {
		unsigned char b = *(*p)++;

		if (shift == 63 && (b & 0x7e))
			return -1; /* the tenth byte holds one bit of a 64-bit value */
		*v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80))
			return 0;
		shift += 7;
		if (shift > 63)
			return -1;
	}
	return -1;
}

void kb_set_encode(const struct kb_sizes *z, struct strbuf *blob)
{
	uint64_t count = 0;
	size_t i, prev = 0;
	int first = 1;

	strbuf_reset(blob);
	for (i = 0; i < z->n; i++)
		count += z->v[i] != 0;
	strbuf_addch(blob, KB_SET_FORMAT);
	put_varint(blob, count);
	for (i = 0; i < z->n; i++) {
		if (!z->v[i])
			continue;
		put_varint(blob, first ? i : i - prev - 1);
		put_varint(blob, z->v[i]);
		prev = i;
		first = 0;
	}
}

static int damaged(struct kb_store *s, int64_t build, const char *what)
{
	return kb_error_set("%s: build %lld: its stored set of sizes is damaged: %s",
			    kb_store_path(s), (long long)build, what);
}

int kb_set_decode(struct kb_store *s, int64_t build, const void *blob, size_t len,
		  struct kb_sizes *out)
{
	const unsigned char *p = blob, *end;
	uint64_t count, gap, size, i;
	int64_t id = -1;

	if (!len || !blob)
		return damaged(s, build, "it is empty"); /* SQLite's pointer is NULL then */
	end = p + len;
	if (*p++ != KB_SET_FORMAT)
		return damaged(s, build, "an unknown format");
	if (get_varint(&p, end, &count))
		return damaged(s, build, "a varint is cut short or beyond 64 bits");
	/* each item takes two bytes at least: a count beyond that is a lie */
	if (count > (uint64_t)(end - p) / 2)
		return damaged(s, build, "it holds fewer items than it says");
	for (i = 0; i < count; i++) {
		if (get_varint(&p, end, &gap) || get_varint(&p, end, &size))
			return damaged(s, build, "a varint is cut short or beyond 64 bits");
		if (gap >= (uint64_t)INT64_MAX - (uint64_t)(id + 1))
			return damaged(s, build, "an item id beyond 2^63");
		id += (int64_t)gap + 1;
		if (size > (uint64_t)INT64_MAX)
			return damaged(s, build, "a size beyond 2^63 bytes");
		if (kb_sizes_set(s, out, id, size, build))
			return KB_ERR;
	}
	if (p != end)
		return damaged(s, build, "bytes after its last item");
	return 0;
}

int kb_set_read(struct kb_store *s, sqlite3_stmt *st, int64_t build, struct kb_sizes *out)
{
	int step, rc;

	sqlite3_bind_int64(st, 1, build);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		if (sqlite3_column_type(st, 0) != SQLITE_BLOB)
			rc = damaged(s, build, "not a blob");
		else
			rc = kb_set_decode(s, build, sqlite3_column_blob(st, 0),
					   (size_t)sqlite3_column_bytes(st, 0), out);
	} else if (step == SQLITE_DONE) {
		rc = kb_error_set("%s: build %lld: marked as a snapshot but its set of sizes is "
				  "missing",
				  kb_store_path(s), (long long)build);
	} else {
		rc = kb_store_fail(s, "cannot read a build's set of sizes");
	}
	sqlite3_reset(st);
	return rc;
}

int kb_sets_sound(struct kb_store *s)
{
	sqlite3_stmt *ids = NULL, *set = NULL;
	struct kb_sizes z = { 0 };
	int rc = KB_ERR, step;

	if (kb_store_prepare(s, &ids, "SELECT id FROM builds WHERE snapshot ORDER BY id") ||
	    kb_store_prepare(s, &set, "SELECT sizes FROM item_sets WHERE build_id = ?1"))
		goto out;
	while ((step = sqlite3_step(ids)) == SQLITE_ROW) {
		if (kb_set_read(s, set, sqlite3_column_int64(ids, 0), &z))
			goto out;
		if (z.n)
			memset(z.v, 0, z.n * sizeof(*z.v));
	}
	rc = kb_store_done(s, step, "cannot read builds");
out:
	kb_sizes_release(&z);
	sqlite3_finalize(ids);
	sqlite3_finalize(set);
	return rc;
}
