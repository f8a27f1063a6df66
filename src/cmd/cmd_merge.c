/*
 * cmd_merge.c - `kbloat merge OUT IN...`: joins databases recorded apart (shards of a range on
 * different machines) into OUT. Every commit is copied, then every build is recorded again
 * through the same path as `kbloat record`, oldest first, so parent builds and changes are
 * worked out across the shards: the result is the database one run would have recorded. A
 * build OUT already has is left alone, so merging twice changes nothing.
 */
#include "kbloat.h"

#include "store_internal.h" /* FIXME(issue 14): its SQL moves into the store */

#include "query.h"
#include "store.h"
#include "error.h"
#include "xalloc.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char merge_usage[] = "usage: kbloat merge [--json] OUT.db IN.db...\n";

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

static const char *col(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

/* Records every build of in into out; counts what was new and what was there. */
static int merge_one(struct kb_store *out, const char *path, size_t *added, size_t *had)
{
	struct kb_store *in = NULL;
	struct kb_items items = { 0 };
	sqlite3_stmt *st = NULL;
	int rc = KB_ERR, step, k;

	if (kb_store_open(&in, path, 0) || copy_commits(out, path) || kb_items_load(in, &items))
		goto out;
	if (kb_store_prepare(in, &st,
			     "SELECT b.id, c.sha, c.parent_sha, c.author_name, c.author_email, "
			     "c.author_time, c.committer_time, c.subject, cf.name, cf.arch, "
			     "cf.base, cf.fragments, b.status, b.log_tail, dc.options, "
			     "t.compiler, t.linker, b.build_seconds, b.analysis_seconds, b.total, "
			     "b.text, b.rodata, b.data, b.bss, b.init, b.percpu, b.other, "
			     "b.bk_text, b.bk_data, b.bk_bss FROM builds b JOIN commits c ON "
			     "c.id = b.commit_id JOIN configs cf ON cf.id = b.config_id LEFT JOIN "
			     "dotconfigs dc ON dc.id = b.dotconfig_id LEFT JOIN toolchains t ON "
			     "t.id = b.toolchain_id ORDER BY c.committer_time, c.author_time, b.id"))
		goto out;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct kb_store_commit c = { col(st, 1),
					     col(st, 2),
					     col(st, 3),
					     col(st, 4),
					     col(st, 7),
					     sqlite3_column_int64(st, 5),
					     sqlite3_column_int64(st, 6) };
		struct kb_build_rec rec = { 0 };
		struct kb_itemset set = { 0 };
		struct kb_sizes z = { 0 };
		int already = 0, failed;
		size_t i;

		rec.commit = &c;
		rec.config = col(st, 8);
		rec.arch = col(st, 9);
		rec.base = col(st, 10);
		rec.fragments = col(st, 11);
		rec.status = col(st, 12);
		rec.log_tail = col(st, 13);
		rec.dotconfig = col(st, 14);
		rec.compiler = col(st, 15);
		rec.linker = col(st, 16);
		rec.build_seconds = sqlite3_column_double(st, 17);
		rec.analysis_seconds = sqlite3_column_double(st, 18);
		rec.total = (uint64_t)sqlite3_column_int64(st, 19);
		for (k = 0; k < 7; k++)
			rec.cls[k] = (uint64_t)sqlite3_column_int64(st, 20 + k);
		for (k = 0; k < 3; k++)
			rec.bk[k] = (uint64_t)sqlite3_column_int64(st, 27 + k);
		if (!strcmp(rec.status, "ok")) {
			if (kb_store_sizes(in, sqlite3_column_int64(st, 0), &z))
				goto out;
			for (i = 0; i < z.n && i < items.n; i++) {
				const struct kb_item_meta *m = &items.v[i];

				if (z.v[i] && m->kind >= 0)
					kb_itemset_add(&set, m->kind, m->name, m->path,
						       m->subsystem, m->cls, z.v[i]);
			}
			rec.items = &set;
		}
		failed = kb_store_record(out, &rec, &already);
		kb_itemset_release(&set);
		kb_sizes_release(&z);
		if (failed)
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

int cmd_merge(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct kb_store *out = NULL;
	json_t *arr = NULL;
	int c, json = 0, i, rc = KB_EXIT_OK;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = 1;
			break;
		case 'h':
			fputs(merge_usage, stdout);
			return KB_EXIT_OK;
		default:
			return kb_usage(merge_usage);
		}
	}
	if (argc - optind < 2)
		return kb_usage(merge_usage);
	if (kb_store_open(&out, argv[optind], 1))
		return kb_report_error();
	arr = json ? json_array() : NULL;
	for (i = optind + 1; i < argc; i++) {
		size_t added = 0, had = 0;

		if (merge_one(out, argv[i], &added, &had)) {
			/* what was merged before stays: each build landed in its own transaction */
			rc = kb_report_error();
			break;
		}
		if (json)
			json_array_append_new(arr, json_pack("{s:s,s:I,s:I}", "input", argv[i],
							     "added", (json_int_t)added, "already",
							     (json_int_t)had));
		else
			printf("%s: %zu builds added, %zu already there\n", argv[i], added, had);
	}
	if (json && rc == KB_EXIT_OK)
		rc = kb_json_print(json_pack("{s:s,s:o}", "output", argv[optind], "inputs", arr));
	else
		json_decref(arr);
	kb_store_close(out);
	return rc;
}

/* FIXME(issue 14): parses its own options until it moves onto the option table */
const struct kb_command kb_cmd_merge = {
	.name = "merge",
	.summary = "join databases recorded apart (shards)",
	.usage = (const char *const[]){ "merge [--json] OUT.db IN.db...", NULL },
	.legacy = cmd_merge,
};
