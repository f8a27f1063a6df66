/*
 * store_history.c - sizes and commits along a line of builds; see store_history.h.
 */
#include "store_history.h"

#include "store_internal.h"
#include "store_options.h"
#include "error.h"
#include "image.h"

#include <stdlib.h>
#include <string.h>

/* Sizes within the scope: the first build's from its full set, then each change's sum. */
static int scoped_sizes(struct kb_store *s, const struct kb_scope *sc, const int64_t *ids, size_t n,
			int64_t *size)
{
	struct strbuf sql = STRBUF_INIT;
	sqlite3_stmt *st;
	size_t i;
	int rc = 0;

	if (kb_store_scope_size(s, sc, ids[0], &size[0]))
		return KB_ERR;
	strbuf_addstr(&sql, "SELECT SUM(d.size - d.prev) FROM item_delta d JOIN items i ON i.id = "
			    "d.item_id JOIN paths p ON p.id = i.path_id WHERE d.build_id = ?1 AND "
			    "i.kind = 0");
	kb_scope_sql(sc, &sql, 2);
	rc = kb_store_prepare(s, &st, sql.buf);
	strbuf_release(&sql);
	if (rc)
		return KB_ERR;
	kb_scope_bind(sc, st, 2);
	for (i = 1; i < n && !rc; i++) {
		int step;

		sqlite3_bind_int64(st, 1, ids[i]);
		size[i] = size[i - 1];
		step = sqlite3_step(st);
		if (step == SQLITE_ROW)
			size[i] = (int64_t)((uint64_t)size[i] +
					    (uint64_t)sqlite3_column_int64(st, 0));
		else if (step != SQLITE_DONE)
			rc = kb_store_fail(s, "cannot read a build's changes");
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	return rc;
}

static int size_row(void *arg, sqlite3_stmt *st, size_t pos)
{
	((int64_t *)arg)[pos] = sqlite3_column_int64(st, 1);
	return 0;
}

/* The builds' totals, or one class's bytes (cls >= 0); 0 for a build not stored. */
static int whole_sizes(struct kb_store *s, int cls, const int64_t *ids, size_t n, int64_t *size)
{
	static const char *const sql[KB_CLS_NR + 1] = {
		"SELECT id, text FROM builds WHERE id BETWEEN ?1 AND ?2",
		"SELECT id, rodata FROM builds WHERE id BETWEEN ?1 AND ?2",
		"SELECT id, data FROM builds WHERE id BETWEEN ?1 AND ?2",
		"SELECT id, bss FROM builds WHERE id BETWEEN ?1 AND ?2",
		"SELECT id, init FROM builds WHERE id BETWEEN ?1 AND ?2",
		"SELECT id, percpu FROM builds WHERE id BETWEEN ?1 AND ?2",
		"SELECT id, other FROM builds WHERE id BETWEEN ?1 AND ?2",
		"SELECT id, total FROM builds WHERE id BETWEEN ?1 AND ?2",
	};
	sqlite3_stmt *st;
	int rc;

	memset(size, 0, n * sizeof(*size));
	if (kb_store_prepare(s, &st, sql[cls < 0 || cls >= KB_CLS_NR ? KB_CLS_NR : cls]))
		return KB_ERR;
	rc = kb_store_each_build(s, st, ids, n, 0, "cannot read a build's size", size_row, size);
	sqlite3_finalize(st);
	return rc;
}

int kb_store_line_sizes(struct kb_store *s, const struct kb_scope *sc, const int64_t *ids, size_t n,
			int64_t *size)
{
	if (!n)
		return 0;
	if (kb_scope_narrows(sc))
		return scoped_sizes(s, sc, ids, n, size);
	return whole_sizes(s, sc ? sc->cls : -1, ids, n, size);
}

struct commit_rows {
	struct kb_store *s;
	struct kb_build_commit *out;
	struct kb_strtab *strs;
};

static int commit_row(void *arg, sqlite3_stmt *st, size_t pos)
{
	struct commit_rows *a = arg;
	struct kb_build_commit *c = &a->out[pos];

	const char *subject = (const char *)sqlite3_column_text(st, 4);

	if (kb_column_sha(a->s, st, 1, 0, sqlite3_column_int64(st, 0), &c->sha))
		return KB_ERR;
	/* shas and subjects are one a commit: copied; authors repeat: interned */
	c->sha = kb_arena_strndup(&a->strs->arena, c->sha, 40);
	c->author_time = sqlite3_column_int64(st, 2);
	c->author = kb_column_text(st, 3, a->strs);
	c->subject = subject ? kb_arena_strndup(&a->strs->arena, subject, strlen(subject)) : NULL;
	/* never NULL for the reports: "" for SQL NULL (a database db check rejects) */
	if (!c->author)
		c->author = "";
	if (!c->subject)
		c->subject = "";
	c->distance = sqlite3_column_int64(st, 5);
	c->reused = sqlite3_column_int(st, 6);
	kb_series_columns(st, 7, &c->ser);
	return 0;
}

int kb_store_build_commits(struct kb_store *s, const int64_t *ids, size_t n,
			   struct kb_build_commit *out, struct kb_strtab *strs)
{
	struct commit_rows a = { s, out, strs };
	sqlite3_stmt *st;
	int rc;

	if (kb_store_prepare(s, &st,
			     "SELECT b.id, c.sha, c.author_time, c.author_name, c.subject, "
			     "b.distance, b.reused, b.total, b.padding, b.m_tristate, b.m_bool, "
			     "b.m_core, b.m_rest, o.boot_bytes, o.boot_payload, o.mod_total "
			     "FROM builds b JOIN commits c ON c.id = b.commit_id LEFT JOIN "
			     "build_outputs o ON o.build_id = b.id WHERE b.id BETWEEN ?1 AND ?2"))
		return KB_ERR;
	rc = kb_store_each_build(s, st, ids, n, 1, "cannot read a build", commit_row, &a);
	sqlite3_finalize(st);
	return rc;
}
