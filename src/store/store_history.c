/*
 * store_history.c - sizes and commits along a line of builds; see store_history.h.
 */
#include "store_history.h"

#include "store_internal.h"
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

/* The builds' totals, or one class's bytes (cls >= 0). */
static int whole_sizes(struct kb_store *s, int cls, const int64_t *ids, size_t n, int64_t *size)
{
	static const char *const sql[KB_CLS_NR + 1] = {
		"SELECT text FROM builds WHERE id = ?1",  "SELECT rodata FROM builds WHERE id = ?1",
		"SELECT data FROM builds WHERE id = ?1",  "SELECT bss FROM builds WHERE id = ?1",
		"SELECT init FROM builds WHERE id = ?1",  "SELECT percpu FROM builds WHERE id = ?1",
		"SELECT other FROM builds WHERE id = ?1", "SELECT total FROM builds WHERE id = ?1",
	};
	sqlite3_stmt *st;
	size_t i;
	int rc = 0;

	if (kb_store_prepare(s, &st, sql[cls < 0 || cls >= KB_CLS_NR ? KB_CLS_NR : cls]))
		return KB_ERR;
	for (i = 0; i < n && !rc; i++) {
		int step;

		sqlite3_bind_int64(st, 1, ids[i]);
		step = sqlite3_step(st);
		size[i] = step == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
		if (step != SQLITE_ROW && step != SQLITE_DONE)
			rc = kb_store_fail(s, "cannot read a build's size");
		sqlite3_reset(st);
	}
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

int kb_store_build_commits(struct kb_store *s, const int64_t *ids, size_t n,
			   struct kb_build_commit *out, struct kb_strtab *strs)
{
	sqlite3_stmt *st;
	size_t i;
	int rc = 0;

	if (kb_store_prepare(
		    s, &st,
		    "SELECT c.sha, c.author_time, c.author_name, c.subject, "
		    "b.distance, b.reused FROM builds b JOIN commits c ON c.id = b.commit_id "
		    "WHERE b.id = ?1"))
		return KB_ERR;
	for (i = 0; i < n && !rc; i++) {
		struct kb_build_commit *c = &out[i];

		sqlite3_bind_int64(st, 1, ids[i]);
		if (sqlite3_step(st) != SQLITE_ROW) {
			rc = kb_store_fail(s, "cannot read a build");
			break;
		}
		rc = kb_column_sha(s, st, 0, 0, ids[i], &c->sha);
		if (rc)
			break;
		c->sha = kb_column_text(st, 0, strs);
		c->author_time = sqlite3_column_int64(st, 1);
		c->author = kb_column_text(st, 2, strs);
		c->subject = kb_column_text(st, 3, strs);
		/* never NULL for the reports: "" for SQL NULL (a database db check rejects) */
		if (!c->author)
			c->author = "";
		if (!c->subject)
			c->subject = "";
		c->distance = sqlite3_column_int64(st, 4);
		c->reused = sqlite3_column_int(st, 5);
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	return rc;
}
