/*
 * cmd_db.c - `kbloat db check`: SQLite's own integrity and foreign-key checks, then kbloat's:
 * every ok build's stored sizes (its snapshot plus the changes since) add up to its total,
 * bloat-o-meter's views to their totals, and each class change equals its parent build's
 * difference. Exit 0 when all hold, 1 when something does not, 2 when the database cannot be
 * read.
 */
#include "kbloat.h"

#include "store_internal.h" /* FIXME(issue 14): its SQL moves into the store */

#include "query.h"
#include "store.h"
#include "error.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

static const char db_usage[] = "usage: kbloat db check [--db DB] [--verbose] [--json]\n";

static int sqlite_checks(struct kb_store *s)
{
	sqlite3_stmt *st;
	int problems = 0;

	if (kb_store_prepare(s, &st, "PRAGMA integrity_check"))
		return -1;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(st, 0);

		if (strcmp(t, "ok")) {
			fprintf(stderr, "kbloat: %s: %s\n", kb_store_path(s), t);
			problems++;
		}
	}
	sqlite3_finalize(st);
	if (kb_store_prepare(s, &st, "PRAGMA foreign_key_check"))
		return -1;
	while (sqlite3_step(st) == SQLITE_ROW) {
		fprintf(stderr, "kbloat: %s: row %lld of %s names a missing row of %s\n",
			kb_store_path(s), (long long)sqlite3_column_int64(st, 1),
			(const char *)sqlite3_column_text(st, 0),
			(const char *)sqlite3_column_text(st, 2));
		problems++;
	}
	sqlite3_finalize(st);
	return problems;
}

/* Sizes of each ok build against its totals, and its class deltas against its parent's. */
static int build_checks(struct kb_store *s, int verbose)
{
	sqlite3_stmt *st;
	struct kb_items items;
	int problems = 0, rc;

	if (kb_store_prepare(s, &st,
			     "SELECT b.id, c.sha, b.total, b.bom_t, b.bom_d, b.bom_r, "
			     "b.d_total IS NOT (b.total - p.total), p.status IS NOT NULL AND "
			     "(p.status != 'ok' OR p.config_id != b.config_id) FROM builds b JOIN "
			     "commits c ON c.id = b.commit_id LEFT JOIN builds p ON p.id = "
			     "b.parent_build_id WHERE b.status = 'ok' ORDER BY b.id"))
		return -1;
	if (kb_items_load(s, &items)) {
		sqlite3_finalize(st);
		return -1;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		const char *sha = (const char *)sqlite3_column_text(st, 1);
		int64_t want[4], got[4] = { 0 };
		struct kb_sizes z;
		size_t i;
		int k;

		for (k = 0; k < 4; k++)
			want[k] = sqlite3_column_int64(st, 2 + k);
		if (sqlite3_column_int(st, 6)) {
			fprintf(stderr,
				"kbloat: build of %.12s: its delta is not its parent's "
				"difference\n",
				sha);
			problems++;
		}
		if (sqlite3_column_int(st, 7)) {
			fprintf(stderr,
				"kbloat: build of %.12s: its parent build is not an ok build "
				"of its config\n",
				sha);
			problems++;
		}
		if (kb_store_sizes(s, id, &z)) {
			fprintf(stderr, "kbloat: build of %.12s: %s\n", sha, kb_error_last());
			problems++;
			continue;
		}
		for (i = 0; i < z.n; i++) {
			if (!z.v[i])
				continue;
			if (i >= items.n || items.v[i].kind < 0) {
				fprintf(stderr,
					"kbloat: build of %.12s: a size of item %zu, which "
					"does not exist\n",
					sha, i);
				problems++;
				continue;
			}
			got[items.v[i].kind] += (int64_t)z.v[i];
		}
		kb_sizes_release(&z);
		for (k = 0; k < 4; k++) {
			if (got[k] == want[k])
				continue;
			fprintf(stderr,
				"kbloat: build of %.12s: stored %s sum to %lld, its total "
				"says %lld\n",
				sha, k ? "bloat-o-meter entries" : "sizes", (long long)got[k],
				(long long)want[k]);
			problems++;
		}
		if (verbose)
			printf("build of %.12s: ok\n", sha);
	}
	kb_items_release(&items);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? problems : -1;
}

int cmd_db(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'D' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *db = KB_DEFAULT_DB;
	struct kb_store *s = NULL;
	int c, verbose = 0, json = 0, a, b, rc;

	if (argc < 2 || strcmp(argv[1], "check"))
		return kb_usage(db_usage);
	argc--;
	argv++;
	while ((c = getopt_long(argc, argv, "hv", opts, NULL)) != -1) {
		switch (c) {
		case 'D':
			db = optarg;
			break;
		case 'v':
			verbose = 1;
			break;
		case 'j':
			json = 1;
			break;
		case 'h':
			fputs(db_usage, stdout);
			return KB_EXIT_OK;
		default:
			return kb_usage(db_usage);
		}
	}
	if (optind != argc)
		return kb_usage(db_usage);
	if (kb_store_open(&s, db, 0))
		return kb_report_error();
	a = sqlite_checks(s);
	b = a < 0 ? -1 : build_checks(s, verbose);
	if (a < 0 || b < 0) {
		rc = kb_report_error();
	} else {
		/* each problem was said on stderr as it was found */
		if (json)
			kb_json_print(json_pack("{s:s,s:b,s:i}", "db", db, "ok", !(a + b),
						"problems", a + b));
		else if (a + b)
			fprintf(stderr, "kbloat: %s: %d problem%s\n", db, a + b,
				a + b == 1 ? "" : "s");
		else
			printf("%s: ok\n", db);
		rc = a + b ? KB_EXIT_THRESHOLD : KB_EXIT_OK;
	}
	kb_store_close(s);
	return rc;
}

/* FIXME(issue 14): parses its own options until it moves onto the option table */
const struct kb_command kb_cmd_db = {
	.name = "db",
	.summary = "integrity and consistency checks of a database",
	.usage = (const char *const[]){ "db check [--db DB] [--verbose] [--json]", NULL },
	.legacy = cmd_db,
};
