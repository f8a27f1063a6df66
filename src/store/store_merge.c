/*
 * store_merge.c - one database's commits and builds recorded into another; see
 * store_merge.h.
 */
#include "store_merge.h"

#include "store_internal.h"
#include "error.h"

#include <string.h>

/* Copies every commit of the database at in into out, in one transaction. */
static int copy_commits(struct kb_store *out, const char *in)
{
	sqlite3 *db = kb_store_db(out);
	sqlite3_stmt *st;
	int rc;

	if (kb_store_prepare(out, &st, "ATTACH DATABASE ?1 AS src"))
		return KB_ERR;
	sqlite3_bind_text(st, 1, in, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return kb_store_fail(out, "cannot attach the input");
	rc = sqlite3_exec(
		db,
		"BEGIN IMMEDIATE; INSERT OR IGNORE INTO main.commits (sha, parent_sha, "
		"author_name, author_email, author_time, committer_time, subject) SELECT "
		"sha, parent_sha, author_name, author_email, author_time, committer_time, "
		"subject FROM src.commits; COMMIT;",
		NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		kb_store_fail(out, "cannot copy commits");
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	}
	sqlite3_exec(db, "DETACH DATABASE src", NULL, NULL, NULL);
	return rc == SQLITE_OK ? 0 : KB_ERR;
}

static const char builds_sql[] =
	"SELECT b.id, c.sha, c.parent_sha, c.author_name, c.author_email, "
	"c.author_time, c.committer_time, c.subject, cf.name, cf.arch, "
	"cf.base, cf.fragments, b.status, b.log_tail, dc.options, "
	"t.compiler, t.linker, b.build_seconds, b.analysis_seconds, b.total, "
	"b.text, b.rodata, b.data, b.bss, b.init, b.percpu, b.other, "
	"b.bk_text, b.bk_data, b.bk_bss FROM builds b JOIN commits c ON "
	"c.id = b.commit_id JOIN configs cf ON cf.id = b.config_id LEFT JOIN "
	"dotconfigs dc ON dc.id = b.dotconfig_id LEFT JOIN toolchains t ON "
	"t.id = b.toolchain_id ORDER BY c.committer_time, c.author_time, b.id";

/* A row of builds_sql as kb_store_record takes it; its strings are the row's own. */
static void read_rec(sqlite3_stmt *st, struct kb_store_commit *c, struct kb_build_rec *rec)
{
	int k;

	memset(c, 0, sizeof(*c));
	memset(rec, 0, sizeof(*rec));
	c->sha = kb_column_text(st, 1, NULL);
	c->parent = kb_column_text(st, 2, NULL);
	c->author_name = kb_column_text(st, 3, NULL);
	c->author_email = kb_column_text(st, 4, NULL);
	c->author_time = sqlite3_column_int64(st, 5);
	c->committer_time = sqlite3_column_int64(st, 6);
	c->subject = kb_column_text(st, 7, NULL);
	rec->commit = c;
	rec->config = kb_column_text(st, 8, NULL);
	rec->arch = kb_column_text(st, 9, NULL);
	rec->base = kb_column_text(st, 10, NULL);
	rec->fragments = kb_column_text(st, 11, NULL);
	rec->status = kb_column_text(st, 12, NULL);
	rec->log_tail = kb_column_text(st, 13, NULL);
	rec->dotconfig = kb_column_text(st, 14, NULL);
	rec->compiler = kb_column_text(st, 15, NULL);
	rec->linker = kb_column_text(st, 16, NULL);
	rec->build_seconds = sqlite3_column_double(st, 17);
	rec->analysis_seconds = sqlite3_column_double(st, 18);
	rec->total = (uint64_t)sqlite3_column_int64(st, 19);
	for (k = 0; k < 7; k++)
		rec->cls[k] = (uint64_t)sqlite3_column_int64(st, 20 + k);
	for (k = 0; k < 3; k++)
		rec->bk[k] = (uint64_t)sqlite3_column_int64(st, 27 + k);
}

/* The items of an ok build of in, as kb_store_record takes them. */
static int build_items(struct kb_store *in, int64_t build, const struct kb_items *items,
		       struct kb_itemset *set)
{
	struct kb_sizes z;
	size_t i;

	if (kb_store_sizes(in, build, &z))
		return KB_ERR;
	for (i = 0; i < z.n && i < items->n; i++) {
		const struct kb_item_meta *m = &items->v[i];

		if (z.v[i] && m->kind >= 0)
			kb_itemset_add(set, m->kind, m->name, m->path, m->subsystem, m->cls,
				       z.v[i]);
	}
	kb_sizes_release(&z);
	return 0;
}

/* Records the build on st's current row (of in) into out. */
static int merge_build(struct kb_store *out, struct kb_store *in, sqlite3_stmt *st,
		       const struct kb_items *items, int *already)
{
	struct kb_store_commit c;
	struct kb_build_rec rec;
	struct kb_itemset set = { 0 };
	int rc;

	read_rec(st, &c, &rec);
	if (rec.status && !strcmp(rec.status, "ok")) {
		if (build_items(in, sqlite3_column_int64(st, 0), items, &set)) {
			kb_itemset_release(&set);
			return KB_ERR;
		}
		rec.items = &set;
	}
	rc = kb_store_record(out, &rec, already);
	kb_itemset_release(&set);
	return rc;
}

int kb_store_merge(struct kb_store *out, const char *in_path, size_t *added, size_t *had)
{
	struct kb_store *in = NULL;
	struct kb_items items = { 0 };
	sqlite3_stmt *st = NULL;
	int rc = KB_ERR, step;

	*added = *had = 0;
	if (kb_store_open(&in, in_path, 0) || copy_commits(out, in_path) ||
	    kb_items_load(in, &items) || kb_store_prepare(in, &st, builds_sql))
		goto out;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		int already = 0;

		if (merge_build(out, in, st, &items, &already))
			goto out;
		++*(already ? had : added);
	}
	if (step != SQLITE_DONE) {
		kb_store_fail(in, "cannot read builds");
		goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(st);
	kb_items_release(&items);
	kb_store_close(in);
	return rc;
}
