/*
 * store_history.c - sizes and commits along a line of builds; see store_history.h.
 */
#include "store_history.h"

#include "store_internal.h"
#include "store_options.h"
#include "error.h"
#include "image.h"
#include "sha.h"
#include "xalloc.h"

#include <stdlib.h>
#include <stddef.h>
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

/* The columns of commit_columns' select, from column i on: the build is the row's first. */
#define COMMIT_COLUMNS                                                                    \
	"c.sha, c.author_time, c.author_name, c.subject, b.distance, b.reused, b.total, " \
	"b.padding, b.m_tristate, b.m_bool, b.m_core, b.m_rest, b.m_kallsyms"

/*
 * Columns i.. of st's row (COMMIT_COLUMNS) into c, its strings kept in strs. A column read
 * more than one way (type, text, length) is read through its sqlite3_value, one call to
 * the statement rather than one a question (each call costs about 60 instructions; a
 * history asks some 1.7 million of them at 100,000 builds). The values are the statement's
 * own, read at once by the one thread that steps it.
 */
static int commit_columns(struct kb_store *s, sqlite3_stmt *st, int i, struct kb_build_commit *c,
			  struct kb_strtab *strs)
{
	sqlite3_value *sha = sqlite3_column_value(st, i),
		      *subject = sqlite3_column_value(st, i + 3);
	const char *text;

	/* a text of 40 hex digits; anything else kb_column_sha reports */
	if (sqlite3_value_type(sha) == SQLITE_TEXT &&
	    (text = (const char *)sqlite3_value_text(sha)) && sqlite3_value_bytes(sha) == 40 &&
	    kb_is_hex40(text))
		c->sha = text;
	else if (kb_column_sha(s, st, i, 0, sqlite3_column_int64(st, 0), &c->sha))
		return KB_ERR;
	/* shas and subjects are one a commit: copied; authors repeat: interned */
	c->sha = kb_arena_strndup(&strs->arena, c->sha, 40);
	c->author_time = sqlite3_column_int64(st, i + 1);
	c->author = kb_column_text(st, i + 2, strs);
	/* the column's length: a NUL within it ends the string either way */
	text = (const char *)sqlite3_value_text(subject);
	c->subject =
		text ? kb_arena_strndup(&strs->arena, text, (size_t)sqlite3_value_bytes(subject)) :
		       NULL;
	/* never NULL for the reports: "" for SQL NULL (a database db check rejects) */
	if (!c->author)
		c->author = "";
	if (!c->subject)
		c->subject = "";
	c->distance = sqlite3_column_int64(st, i + 4);
	c->reused = sqlite3_column_int(st, i + 5);
	kb_series_columns(st, i + 6, &c->ser);
	return 0;
}

static int commit_row(void *arg, sqlite3_stmt *st, size_t pos)
{
	struct commit_rows *a = arg;

	if (commit_columns(a->s, st, 1, &a->out[pos], a->strs))
		return KB_ERR;
	kb_output_columns(st, 13, &a->out[pos].ser);
	return 0;
}

/*
 * The boot images and modules (schema/008's build_outputs) of config_id's builds into c,
 * which holds the builds v[0..n) in id order: apart from the line's read, which the covering
 * index serves alone, and nearly free where nothing was recorded.
 */
static int config_outputs(struct kb_store *s, int64_t config_id, const struct kb_link *v,
			  struct kb_build_commit *c, size_t n)
{
	sqlite3_stmt *st;
	int step;

	if (kb_store_prepare(s, &st,
			     "SELECT o.build_id, o.boot_bytes, o.boot_payload, o.mod_total FROM "
			     "build_outputs o JOIN builds b ON b.id = o.build_id WHERE "
			     "b.config_id = ?1"))
		return KB_ERR;
	sqlite3_bind_int64(st, 1, config_id);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		size_t lo = kb_lower_bound_i64(v, n, sizeof(*v), offsetof(struct kb_link, id), id);

		if (lo < n && v[lo].id == id)
			kb_output_columns(st, 1, &c[lo].ser);
	}
	sqlite3_finalize(st);
	return step == SQLITE_DONE ? 0 : kb_store_fail(s, "cannot read the builds' outputs");
}

int kb_store_build_commits(struct kb_store *s, const int64_t *ids, size_t n,
			   struct kb_build_commit *out, struct kb_strtab *strs)
{
	struct commit_rows a = { s, out, strs };
	sqlite3_stmt *st;
	int rc;

	if (kb_store_prepare(
		    s, &st,
		    "SELECT b.id, " COMMIT_COLUMNS ", o.boot_bytes, o.boot_payload, "
		    "o.mod_total FROM builds b JOIN commits c ON c.id = b.commit_id LEFT "
		    "JOIN build_outputs o ON o.build_id = b.id WHERE b.id BETWEEN ?1 AND ?2"))
		return KB_ERR;
	rc = kb_store_each_build(s, st, ids, n, 1, "cannot read a build", commit_row, &a);
	sqlite3_finalize(st);
	return rc;
}

/* More builds than this and the line's arrays grow as they are read, rather than in one go. */
#define LINE_ROOM_MAX ((size_t)1 << 22)

/*
 * How many builds config_id can have: the span of its ids, from two seeks of schema/007's
 * index; 0 when it has none or the span is over LINE_ROOM_MAX (ids far apart). The line's
 * arrays are made that big at once, of huge pages (xmalloc_huge): grown as they filled,
 * 100,000 builds' were remapped and faulted in 4 KiB pages.
 */
static int config_room(struct kb_store *s, int64_t config_id, size_t *room)
{
	sqlite3_stmt *st;
	uint64_t span;
	int step;

	*room = 0;
	if (kb_store_prepare(s, &st,
			     "SELECT (SELECT min(id) FROM builds INDEXED BY builds_line WHERE "
			     "config_id = ?1), (SELECT max(id) FROM builds INDEXED BY builds_line "
			     "WHERE config_id = ?1)"))
		return KB_ERR;
	sqlite3_bind_int64(st, 1, config_id);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW && sqlite3_column_type(st, 0) == SQLITE_INTEGER &&
	    sqlite3_column_type(st, 1) == SQLITE_INTEGER) {
		span = (uint64_t)sqlite3_column_int64(st, 1) -
		       (uint64_t)sqlite3_column_int64(st, 0);
		if (span < LINE_ROOM_MAX)
			*room = (size_t)span + 1;
	}
	sqlite3_finalize(st);
	return step == SQLITE_ROW ? 0 : kb_store_fail(s, "cannot read the builds' ids");
}

/*
 * Every build of config_id with its link and its commit: one read of the builds in id order
 * from schema/007's index, which holds every column of builds this reads, the commits
 * joined as it goes (LEFT: a build whose commit row is missing is an error, not a build
 * left out of the line).
 */
static int config_commits(struct kb_store *s, int64_t config_id, struct kb_link **v,
			  struct kb_build_commit **c, size_t *n, struct kb_strtab *strs)
{
	sqlite3_stmt *st;
	size_t alloc = 0, alloc_c = 0;
	int step, rc = 0;

	*v = NULL;
	*c = NULL;
	*n = 0;
	if (config_room(s, config_id, &alloc) ||
	    kb_store_prepare(s, &st,
			     "SELECT b.id, " COMMIT_COLUMNS ", b.parent_build_id, b.status "
			     "FROM builds b INDEXED BY builds_line LEFT JOIN commits c ON c.id = "
			     "b.commit_id WHERE b.config_id = ?1 ORDER BY b.id"))
		return KB_ERR;
	if (alloc) {
		*v = xmalloc_huge(alloc * sizeof(**v));
		*c = xmalloc_huge(alloc * sizeof(**c));
		alloc_c = alloc;
	}
	sqlite3_bind_int64(st, 1, config_id);
	while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
		const unsigned char *text;
		sqlite3_value *status;
		struct kb_link *l;

		ALLOC_GROW(*v, *n + 1, alloc);
		ALLOC_GROW(*c, *n + 1, alloc_c);
		l = memset(&(*v)[*n], 0, sizeof(**v));
		l->id = sqlite3_column_int64(st, 0);
		l->parent = sqlite3_column_int64(st, 14);
		/* 'ok', 'failed' or 'skipped' (schema/001's check): compared here, the text
		 * as it is, rather than by an expression SQLite evaluates a row */
		status = sqlite3_column_value(st, 15);
		text = sqlite3_value_text(status);
		l->ok = text && sqlite3_value_bytes(status) == 2 && !memcmp(text, "ok", 2);
		/* every build's, as a parent link may name a failed one in a bent database */
		rc = commit_columns(s, st, 1, &(*c)[*n], strs);
		(*n)++;
	}
	if (!rc && step != SQLITE_DONE)
		rc = kb_store_fail(s, "cannot read the builds");
	sqlite3_finalize(st);
	if (!rc)
		rc = config_outputs(s, config_id, *v, *c, *n);
	if (rc) {
		free(*v);
		free(*c);
		*v = NULL;
		*c = NULL;
		*n = 0;
	}
	return rc;
}

int kb_store_line_commits(struct kb_store *s, int64_t config_id, int64_t **ids,
			  struct kb_build_commit **out, size_t *n, struct kb_strtab *strs)
{
	struct kb_build_commit *c;
	struct kb_link *links;
	size_t nlinks, *pos, i;
	int ascending = 1;

	*ids = NULL;
	*out = NULL;
	*n = 0;
	if (config_commits(s, config_id, &links, &c, &nlinks, strs))
		return KB_ERR;
	if (kb_links_line(s, links, nlinks, 0, &pos, n)) {
		free(links);
		free(c);
		return KB_ERR;
	}
	*ids = xcalloc(*n + 1, sizeof(**ids));
	for (i = 0; i < *n; i++) {
		(*ids)[i] = links[pos[i]].id;
		ascending &= !i || pos[i] > pos[i - 1];
	}
	/* most often the line is most of the builds, in id order: kept in place */
	if (ascending) {
		for (i = 0; i < *n; i++)
			if (pos[i] != i) /* not the same 144 bytes copied onto themselves */
				c[i] = c[pos[i]];
		*out = c;
	} else {
		*out = xcalloc(*n + 1, sizeof(**out));
		for (i = 0; i < *n; i++)
			(*out)[i] = c[pos[i]];
		free(c);
	}
	free(pos);
	free(links);
	return 0;
}
