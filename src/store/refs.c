/*
 * refs.c - the repository a store's builds came from and its tags and branch heads
 * (schema/006-refs.sql): written by collect and record, read to resolve a ref without the
 * repository. See store.h.
 */
#include "store_internal.h"

#include "error.h"
#include "sha.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

static const char *const kind_names[] = { "tag", "branch", "head" };

static int step_done(struct kb_store *s, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	return kb_store_done(s, rc, what);
}

static int put_refs(struct kb_store *s, const char *repo, const struct kb_store_ref *v, size_t n)
{
	sqlite3_stmt *st = NULL;
	size_t i;

	if (kb_store_prepare(s, &st, "DELETE FROM refs") ||
	    step_done(s, st, "cannot replace the refs"))
		goto fail;
	sqlite3_finalize(st);
	if (kb_store_prepare(s, &st, "INSERT OR REPLACE INTO repository (id, path) VALUES (1, ?1)"))
		goto fail;
	sqlite3_bind_text(st, 1, repo, -1, SQLITE_STATIC);
	if (step_done(s, st, "cannot store the repository's path"))
		goto fail;
	sqlite3_finalize(st);
	if (kb_store_prepare(s, &st,
			     "INSERT OR REPLACE INTO refs (kind, name, sha) VALUES (?1, ?2, ?3)"))
		goto fail;
	for (i = 0; i < n; i++) {
		if (!kb_is_sha(v[i].sha) || v[i].kind < 0 || v[i].kind > KB_REF_HEAD) {
			kb_error_set("%s: a bad ref %s", kb_store_path(s), v[i].name);
			goto fail;
		}
		sqlite3_bind_text(st, 1, kind_names[v[i].kind], -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, v[i].name, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, v[i].sha, -1, SQLITE_STATIC);
		if (step_done(s, st, "cannot store a ref"))
			goto fail;
	}
	sqlite3_finalize(st);
	return 0;
fail:
	sqlite3_finalize(st);
	return KB_ERR;
}

int kb_store_set_refs(struct kb_store *s, const char *repo, const struct kb_store_ref *v, size_t n)
{
	sqlite3 *db = kb_store_db(s);

	if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return kb_store_fail(s, "cannot store the refs");
	if (put_refs(s, repo, v, n)) {
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		return KB_ERR;
	}
	if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		kb_store_fail(s, "cannot store the refs");
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		return KB_ERR;
	}
	return 0;
}

int kb_store_repo(struct kb_store *s, char **path)
{
	sqlite3_stmt *st;
	int rc;

	*path = NULL;
	if (kb_store_prepare(s, &st, "SELECT path FROM repository WHERE id = 1"))
		return KB_ERR;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*path = kb_column_strdup(st, 0, NULL);
		rc = sqlite3_step(st);
	}
	sqlite3_finalize(st);
	if (kb_store_done(s, rc, "cannot read the repository's path")) {
		free(*path);
		*path = NULL;
		return KB_ERR;
	}
	return 0;
}

/* Copies column 0 of st's row, a sha, into sha: 0, or KB_ERR naming the database and what. */
static int sha_column(struct kb_store *s, sqlite3_stmt *st, const char *what, char sha[41])
{
	const char *v = kb_column_text(st, 0, NULL);

	if (!v || !kb_is_sha(v))
		return kb_error_set("%s: %s: not a commit sha of 40 lowercase hex digits "
				    "(kbloat db check names it)",
				    kb_store_path(s), what);
	memcpy(sha, v, 41);
	return 0;
}

int kb_store_ref_sha(struct kb_store *s, const char *name, char sha[41])
{
	sqlite3_stmt *st;
	int rc, found = 1;

	sha[0] = '\0';
	/* as git's revparse: a tag before a branch of the same name */
	if (kb_store_prepare(s, &st,
			     "SELECT sha FROM refs WHERE name = ?1 ORDER BY CASE kind WHEN 'tag' "
			     "THEN 0 WHEN 'branch' THEN 1 ELSE 2 END LIMIT 1"))
		return KB_ERR;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		found = sha_column(s, st, name, sha) ? KB_ERR : 0;
		rc = SQLITE_DONE;
	}
	sqlite3_finalize(st);
	if (kb_store_done(s, rc, "cannot look a ref up"))
		return KB_ERR;
	return found;
}

int kb_store_parent_sha(struct kb_store *s, const char *sha, char parent[41])
{
	sqlite3_stmt *st;
	int rc, found = 1;

	parent[0] = '\0';
	if (kb_store_prepare(s, &st, "SELECT parent_sha FROM commits WHERE sha = ?1"))
		return KB_ERR;
	sqlite3_bind_text(st, 1, sha, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		found = 0;
		if (sqlite3_column_type(st, 0) != SQLITE_NULL && sha_column(s, st, sha, parent))
			found = KB_ERR;
		rc = SQLITE_DONE;
	}
	sqlite3_finalize(st);
	if (kb_store_done(s, rc, "cannot look a commit up"))
		return KB_ERR;
	return found;
}
