/*
 * cmd_db.c - `kbloat db check`: SQLite's own integrity and foreign-key checks, then kbloat's:
 * every ok build's stored sizes (its snapshot plus the changes since) add up to its total,
 * bloat-o-meter's views to their totals, and each class change equals its parent build's
 * difference (store_check.h). Each problem is a line on stderr. Exit 0 when all hold, 1 when
 * something does not, 2 when the database cannot be read.
 */
#include "kbloat.h"

#include "store.h"
#include "store_check.h"

#include <stdio.h>
#include <string.h>

static const char *db = KB_DEFAULT_DB;
static int verbose, json;

static const struct kb_option options[] = {
	KB_OPT_DB(&db),
	KB_OPT_BOOL('v', "verbose", &verbose, "say each build that was checked"),
	KB_OPT_JSON(&json),
	KB_OPT_END(),
};

static void say(const struct kb_check *c)
{
	size_t i;

	for (i = 0; i < c->nproblems; i++)
		fprintf(stderr, "kbloat: %s\n", c->problems[i]);
	for (i = 0; verbose && i < c->nbuilds; i++)
		if (c->builds[i].sizes_read)
			printf("build of %.12s: ok\n", c->builds[i].sha);
}

static int run(struct kb_ctx *ctx, int argc, const char **argv)
{
	const struct kb_command *self = &kb_cmd_db;
	struct kb_check c;
	size_t n;

	(void)argc;
	if (strcmp(argv[0], "check")) {
		kb_errorf("db: '%s' is not a db subcommand (only check is)", argv[0]);
		kb_usage_print(self, stderr);
		return KB_EXIT_USAGE;
	}
	if (kb_store_check(ctx->store, &c))
		return kb_report_error();
	say(&c);
	n = c.nproblems;
	kb_check_release(&c);
	if (json)
		kb_json_print(json_pack("{s:o,s:b,s:i}", "db", kb_json_str(db), "ok", !n,
					"problems", (int)n));
	else if (n)
		fprintf(stderr, "kbloat: %s: %zu problem%s\n", db, n, n == 1 ? "" : "s");
	else
		printf("%s: ok\n", db);
	return n ? KB_EXIT_THRESHOLD : KB_EXIT_OK;
}

const struct kb_command kb_cmd_db = {
	.name = "db",
	.summary = "integrity and consistency checks of a database",
	.usage = (const char *const[]){ "db check [--db DB] [--verbose] [--json]", NULL },
	.options = options,
	.min_args = 1,
	.max_args = 1,
	.setup = KB_SETUP_STORE | KB_SETUP_STORE_READ,
	.db = &db,
	.run = run,
};
