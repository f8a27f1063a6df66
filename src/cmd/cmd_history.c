/*
 * cmd_history.c - `kbloat history`: size per commit along the first-parent line, with each
 * build's change against its parent build; optionally of one subsystem, path or symbol.
 * A scoped history reads one build's full sizes and then only the changes: it costs the
 * number of changed items, not builds times symbols.
 */
#include "kbloat.h"

#include "store_internal.h" /* FIXME(issue 14): its SQL moves into the store */

#include "image.h"
#include "query.h"
#include "subsystems.h"
#include "store.h"
#include "error.h"
#include "xalloc.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Sizes within the scope: the first build's from its full set, then each change's sum. */
static int scoped_sizes(struct kb_store *s, const struct kb_scope *sc, const int64_t *ids, size_t n,
			int64_t *size)
{
	struct strbuf sql = STRBUF_INIT;
	struct kb_sizes z;
	unsigned char *in;
	size_t nin, i;
	sqlite3_stmt *st;
	int64_t first = 0;

	if (kb_scope_items(s, sc, &in, &nin) || kb_store_sizes(s, ids[0], &z)) {
		free(in);
		return KB_ERR;
	}
	for (i = 0; i < z.n && i < nin; i++)
		if (in[i])
			first += (int64_t)z.v[i];
	kb_sizes_release(&z);
	free(in);
	strbuf_addstr(&sql, "SELECT SUM(d.size - d.prev) FROM item_delta d JOIN items i ON i.id = "
			    "d.item_id JOIN paths p ON p.id = i.path_id WHERE d.build_id = ?1 AND "
			    "i.kind = 0");
	kb_scope_sql(sc, &sql, 2);
	if (kb_store_prepare(s, &st, sql.buf)) {
		strbuf_release(&sql);
		return KB_ERR;
	}
	strbuf_release(&sql);
	kb_scope_bind(sc, st, 2);
	size[0] = first;
	for (i = 1; i < n; i++) {
		sqlite3_bind_int64(st, 1, ids[i]);
		size[i] = size[i - 1];
		if (sqlite3_step(st) == SQLITE_ROW)
			size[i] += sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	return 0;
}

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

	if (kb_store_prepare(s, &st, sql[cls < 0 ? KB_CLS_NR : cls]))
		return KB_ERR;
	for (i = 0; i < n; i++) {
		sqlite3_bind_int64(st, 1, ids[i]);
		size[i] = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	return 0;
}

static const char *db = KB_DEFAULT_DB, *config;
static struct kb_scope sc = { NULL, NULL, NULL, -1 };
static int json;

static const struct kb_option options[] = {
	KB_OPT_DB(&db), KB_OPT_CONFIG(&config), KB_OPT_SCOPE(&sc), KB_OPT_JSON(&json), KB_OPT_END(),
};

static int run(struct kb_ctx *ctx, int argc, const char **argv)
{
	struct kb_store *s = ctx->store;
	sqlite3_stmt *st = NULL;
	int64_t config_id, *ids = NULL, *size = NULL;
	size_t n = 0, i;
	int rc = KB_EXIT_USAGE;
	json_t *arr = NULL;

	(void)argc;
	(void)argv;
	if (kb_scope_check(&sc))
		return KB_EXIT_USAGE;
	if (kb_store_find_config(s, config, &config_id) || kb_build_line(s, config_id, 0, &ids, &n))
		goto err;
	size = xcalloc(n + 1, sizeof(*size));
	if (n && ((sc.subsystem || sc.path || sc.symbol) ? scoped_sizes(s, &sc, ids, n, size) :
							   whole_sizes(s, sc.cls, ids, n, size)))
		goto err;
	if (kb_store_prepare(s, &st,
			     "SELECT c.sha, c.author_time, c.author_name, c.subject, "
			     "b.distance FROM builds b JOIN commits c ON c.id = b.commit_id "
			     "WHERE b.id = ?1"))
		goto err;
	if (json)
		arr = json_array();
	else if (!n)
		printf("no builds recorded for this config\n");
	else
		printf("%-12s  %-10s  %10s  %9s  %-18s  %s\n", "commit", "date", "size", "delta",
		       "author", "subject");
	for (i = 0; i < n; i++) {
		int64_t delta = i ? size[i] - size[i - 1] : 0;
		const char *sha, *author, *subject;
		char date[16];

		sqlite3_bind_int64(st, 1, ids[i]);
		if (sqlite3_step(st) != SQLITE_ROW) {
			kb_store_fail(s, "cannot read a build");
			goto err;
		}
		sha = (const char *)sqlite3_column_text(st, 0);
		author = (const char *)sqlite3_column_text(st, 2);
		subject = (const char *)sqlite3_column_text(st, 3);
		kb_format_date(sqlite3_column_int64(st, 1), date);
		if (json) {
			json_array_append_new(
				arr,
				json_pack("{s:s,s:s,s:s,s:I,s:I,s:I}", "commit", sha, "author",
					  author, "subject", subject, "size", (json_int_t)size[i],
					  "delta", (json_int_t)delta, "commits",
					  (json_int_t)(i ? sqlite3_column_int64(st, 4) : 0)));
		} else {
			char d[24] = "";

			if (i)
				snprintf(d, sizeof(d), "%+lld", (long long)delta);
			printf("%.12s  %s  %10lld  %9s  %-18.18s  %.32s\n", sha, date,
			       (long long)size[i], d, author, subject);
		}
		sqlite3_reset(st);
	}
	rc = json ? kb_json_print(json_pack("{s:o}", "builds", arr)) : KB_EXIT_OK;
	arr = NULL;
	goto out;
err:
	rc = kb_report_error();
out:
	json_decref(arr);
	sqlite3_finalize(st);
	free(ids);
	free(size);
	return rc;
}

const struct kb_command kb_cmd_history = {
	.name = "history",
	.summary = "size per commit along the first-parent line",
	.usage = (const char *const[]){ "history [--db DB] [--config C] [--class CLASS]\n"
					"                      [--subsystem S | --path P | "
					"--symbol NAME] [--json]",
					NULL },
	.options = options,
	.max_args = 0,
	.setup = KB_SETUP_STORE,
	.db = &db,
	.run = run,
};
