/*
 * walls.c - the static site's queries: its walls and the commits of the newest builds; see
 * walls.h.
 */
#include "walls.h"

#include "query.h"
#include "store_internal.h"
#include "error.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

static int64_t sql_limit(size_t limit)
{
	return limit > INT64_MAX ? INT64_MAX : (int64_t)limit;
}

void kb_wall_rows_free(struct kb_wall_row *v, size_t n)
{
	size_t i;

	for (i = 0; v && i < n; i++) {
		free(v[i].sha);
		free(v[i].author);
		free(v[i].subject);
	}
	free(v);
}

int kb_store_wall(struct kb_store *s, int64_t config_id, enum kb_wall which, size_t limit,
		  struct kb_wall_row **out, size_t *n)
{
	static const char *const sql[] = {
		[KB_WALL_REGRESSIONS] =
			"SELECT b.id, b.d_total, c.author_time, c.sha, c.author_name, c.subject "
			"FROM builds b JOIN commits c ON c.id = b.commit_id WHERE b.config_id = ?1 "
			"AND b.status = 'ok' AND b.d_total > 0 ORDER BY b.d_total DESC, c.sha "
			"LIMIT ?2",
		[KB_WALL_REDUCTIONS] =
			"SELECT b.id, b.d_total, c.author_time, c.sha, c.author_name, c.subject "
			"FROM builds b JOIN commits c ON c.id = b.commit_id WHERE b.config_id = ?1 "
			"AND b.status = 'ok' AND b.d_total < 0 ORDER BY b.d_total, c.sha LIMIT ?2",
	};
	struct kb_wall_row *v = NULL;
	size_t nv = 0, alloc = 0;
	const char *sha;
	sqlite3_stmt *st;
	int rc;

	*out = NULL;
	*n = 0;
	if (kb_store_prepare(s, &st, sql[which]))
		return KB_ERR;
	sqlite3_bind_int64(st, 1, config_id);
	sqlite3_bind_int64(st, 2, sql_limit(limit));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct kb_wall_row *r;

		ALLOC_GROW(v, nv + 1, alloc);
		r = &v[nv++];
		r->build = sqlite3_column_int64(st, 0);
		r->delta = sqlite3_column_int64(st, 1);
		r->author_time = sqlite3_column_int64(st, 2);
		r->sha = NULL;
		r->author = r->subject = NULL;
		if (kb_column_sha(s, st, 3, 0, r->build, &sha))
			break;
		r->sha = xstrdup(sha);
		r->author = kb_column_strdup(st, 4, "");
		r->subject = kb_column_strdup(st, 5, "");
	}
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		kb_store_fail(s, "cannot read the builds of a wall");
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		kb_wall_rows_free(v, nv);
		return KB_ERR;
	}
	*out = v;
	*n = nv;
	return 0;
}

int kb_store_newest_shas(struct kb_store *s, int64_t config_id, size_t limit, char ***out,
			 size_t *n)
{
	char **v = NULL;
	size_t nv = 0, alloc = 0;
	sqlite3_stmt *st;
	int rc;

	*out = NULL;
	*n = 0;
	if (kb_store_prepare(s, &st,
			     "SELECT c.sha, b.id FROM builds b JOIN commits c ON c.id = b.commit_id "
			     "WHERE b.config_id = ?1 ORDER BY c.committer_time DESC, b.id DESC "
			     "LIMIT ?2"))
		return KB_ERR;
	sqlite3_bind_int64(st, 1, config_id);
	sqlite3_bind_int64(st, 2, sql_limit(limit));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *sha;

		if (kb_column_sha(s, st, 0, 0, sqlite3_column_int64(st, 1), &sha))
			break;
		ALLOC_GROW(v, nv + 1, alloc);
		v[nv++] = xstrdup(sha);
	}
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		kb_store_fail(s, "cannot read the newest builds");
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		kb_store_names_free(v, nv);
		return KB_ERR;
	}
	*out = v;
	*n = nv;
	return 0;
}

int kb_store_failed_builds(struct kb_store *s, int64_t config_id, size_t limit,
			   struct kb_wall_row **out, size_t *n)
{
	struct kb_wall_row *v = NULL;
	size_t nv = 0, alloc = 0;
	const char *sha;
	sqlite3_stmt *st;
	int rc;

	*out = NULL;
	*n = 0;
	if (kb_store_prepare(
		    s, &st,
		    "SELECT b.id, c.author_time, c.sha, c.author_name, c.subject FROM builds "
		    "b JOIN commits c ON c.id = b.commit_id WHERE b.config_id = ?1 AND "
		    "b.status = 'failed' ORDER BY c.committer_time DESC, b.id DESC LIMIT ?2"))
		return KB_ERR;
	sqlite3_bind_int64(st, 1, config_id);
	sqlite3_bind_int64(st, 2, sql_limit(limit));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct kb_wall_row *r;

		if (kb_column_sha(s, st, 2, 0, sqlite3_column_int64(st, 0), &sha))
			break;
		ALLOC_GROW(v, nv + 1, alloc);
		r = &v[nv++];
		r->build = sqlite3_column_int64(st, 0);
		r->delta = 0;
		r->author_time = sqlite3_column_int64(st, 1);
		r->sha = xstrdup(sha);
		r->author = kb_column_strdup(st, 3, "");
		r->subject = kb_column_strdup(st, 4, "");
	}
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		kb_store_fail(s, "cannot read the failed builds");
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		kb_wall_rows_free(v, nv);
		return KB_ERR;
	}
	*out = v;
	*n = nv;
	return 0;
}

void kb_config_about_release(struct kb_config_about *a)
{
	free(a->arch);
	free(a->spec);
	kb_store_names_free(a->toolchains, a->ntoolchains);
	memset(a, 0, sizeof(*a));
}

/* The config's arch and spec, and its builds counted by status. */
static int about_config(struct kb_store *s, int64_t config_id, struct kb_config_about *a)
{
	sqlite3_stmt *st;
	int rc;

	if (kb_store_prepare(
		    s, &st,
		    "SELECT arch, trim(coalesce(base, '') || ' + ' || coalesce(fragments, "
		    "''), ' +'), (SELECT count(*) FROM builds WHERE config_id = ?1 AND "
		    "status = 'ok'), (SELECT count(*) FROM builds WHERE config_id = ?1 AND "
		    "status = 'failed'), (SELECT count(*) FROM builds WHERE config_id = ?1 "
		    "AND status = 'skipped') FROM configs WHERE id = ?1"))
		return KB_ERR;
	sqlite3_bind_int64(st, 1, config_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		a->arch = kb_column_strdup(st, 0, "");
		a->spec = kb_column_strdup(st, 1, "");
		a->ok = sqlite3_column_int64(st, 2);
		a->failed = sqlite3_column_int64(st, 3);
		a->skipped = sqlite3_column_int64(st, 4);
	}
	if (rc != SQLITE_ROW)
		kb_store_fail(s, "cannot read a config");
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : KB_ERR;
}

/* The toolchains of the config's builds, the newest build's first. */
static int about_toolchains(struct kb_store *s, int64_t config_id, struct kb_config_about *a)
{
	size_t alloc = 0;
	sqlite3_stmt *st;
	int rc;

	if (kb_store_prepare(
		    s, &st,
		    "SELECT t.compiler || '; ' || t.linker FROM toolchains t JOIN builds b ON "
		    "b.toolchain_id = t.id JOIN commits c ON c.id = b.commit_id WHERE "
		    "b.config_id = ?1 GROUP BY t.id ORDER BY max(c.committer_time) DESC, "
		    "t.id DESC"))
		return KB_ERR;
	sqlite3_bind_int64(st, 1, config_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		ALLOC_GROW(a->toolchains, a->ntoolchains + 1, alloc);
		a->toolchains[a->ntoolchains++] = kb_column_strdup(st, 0, "");
	}
	if (rc != SQLITE_DONE)
		kb_store_fail(s, "cannot read a config's toolchains");
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : KB_ERR;
}

int kb_store_config_about(struct kb_store *s, int64_t config_id, struct kb_config_about *out)
{
	memset(out, 0, sizeof(*out));
	if (about_config(s, config_id, out) || about_toolchains(s, config_id, out)) {
		kb_config_about_release(out);
		return KB_ERR;
	}
	return 0;
}
