/*
 * lineage.c - first-parent walks over the store's commits, and a config's build of a
 * commit; see lineage.h.
 */
#include "lineage.h"

#include "store_internal.h"
#include "error.h"
#include "sha.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Reads the commit sha into r, and its first parent into *parent (NULL: a root). 1 when the
 * store does not know it. */
static int read_commit(struct kb_store *s, sqlite3_stmt *st, const char *sha,
		       struct kb_commit_row *r, char **parent)
{
	int rc;

	sqlite3_bind_text(st, 1, sha, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_type(st, 1) != SQLITE_NULL &&
	    !kb_is_sha(kb_column_text(st, 1, NULL))) {
		sqlite3_reset(st);
		return kb_error_set("%s: commits row %lld: a parent_sha that is not 40 lowercase "
				    "hex digits",
				    kb_store_path(s), (long long)sqlite3_column_int64(st, 0));
	}
	if (rc == SQLITE_ROW) {
		r->id = sqlite3_column_int64(st, 0);
		r->sha = xstrdup(sha);
		r->author = kb_column_strdup(st, 2, "");
		r->email = kb_column_strdup(st, 3, "");
		r->subject = kb_column_strdup(st, 4, "");
		r->author_time = sqlite3_column_int64(st, 5);
		*parent = sqlite3_column_type(st, 1) == SQLITE_NULL ? NULL :
								      kb_column_strdup(st, 1, "");
	}
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 0;
	if (rc == SQLITE_DONE)
		return 1;
	return kb_store_fail(s, "cannot read a commit");
}

int kb_store_first_parents(struct kb_store *s, const char *from, const char *until,
			   struct kb_first_parents *fp)
{
	sqlite3_stmt *st;
	char *cur, *parent = NULL, row[64];
	size_t alloc = 0;
	int64_t rows = -1;
	int rc = 0;

	memset(fp, 0, sizeof(*fp));
	if (kb_store_prepare(s, &st,
			     "SELECT id, parent_sha, author_name, author_email, subject, "
			     "author_time FROM commits WHERE sha = ?1"))
		return KB_ERR;
	fp->end = KB_WALK_ROOT;
	snprintf(row, sizeof(row), "commit %.40s", from);
	for (cur = xstrdup(from); cur; cur = parent) {
		struct kb_commit_row r = { 0 };

		rc = kb_store_walk_guard(s, KB_LINKS_COMMITS, fp->n, &rows, row);
		if (rc)
			break;
		if (!strcmp(cur, until)) {
			fp->end = KB_WALK_REACHED;
			break;
		}
		rc = read_commit(s, st, cur, &r, &parent);
		if (rc) {
			fp->end = KB_WALK_UNKNOWN;
			break;
		}
		ALLOC_GROW(fp->v, fp->n + 1, alloc);
		fp->v[fp->n++] = r;
		free(cur);
	}
	free(cur);
	sqlite3_finalize(st);
	return rc < 0 ? KB_ERR : 0;
}

void kb_first_parents_release(struct kb_first_parents *fp)
{
	size_t i;

	for (i = 0; i < fp->n; i++) {
		free(fp->v[i].sha);
		free(fp->v[i].author);
		free(fp->v[i].email);
		free(fp->v[i].subject);
	}
	free(fp->v);
	memset(fp, 0, sizeof(*fp));
}

int kb_store_commit_build(struct kb_store *s, int64_t config_id, int64_t commit_id,
			  struct kb_build_brief *b)
{
	sqlite3_stmt *st;

	memset(b, 0, sizeof(*b));
	if (kb_store_prepare(s, &st,
			     "SELECT b.id, b.status, b.total, b.d_total, b.parent_build_id, "
			     "pc.sha FROM builds b LEFT JOIN builds pb ON pb.id = "
			     "b.parent_build_id LEFT JOIN commits pc ON pc.id = pb.commit_id "
			     "WHERE b.config_id = ?1 AND b.commit_id = ?2"))
		return KB_ERR;
	sqlite3_bind_int64(st, 1, config_id);
	sqlite3_bind_int64(st, 2, commit_id);
	return kb_store_read_brief(s, st, b);
}

int kb_store_build_classes(struct kb_store *s, int64_t build_id, uint64_t *total,
			   uint64_t cls[KB_CLS_NR])
{
	sqlite3_stmt *st;
	int c, rc;

	if (kb_store_prepare(s, &st,
			     "SELECT total, text, rodata, data, bss, init, percpu, other FROM "
			     "builds WHERE id = ?1"))
		return KB_ERR;
	sqlite3_bind_int64(st, 1, build_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*total = (uint64_t)sqlite3_column_int64(st, 0);
		for (c = 0; c < KB_CLS_NR; c++)
			cls[c] = (uint64_t)sqlite3_column_int64(st, 1 + c);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return kb_store_fail(s, "cannot read a build's sizes");
	return 0;
}
