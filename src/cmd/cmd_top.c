/*
 * cmd_top.c - `kbloat top`: where a recorded build's bytes go, by symbol, file, subsystem or
 * class, largest first, from the store alone (no image needed). The rows and the "more" line
 * sum to the build's total (report/top.h).
 */
#include "kbloat.h"
#include "resolve.h"

#include "query.h"
#include "store.h"
#include "top.h"

#include <stdio.h>
#include <stdlib.h>

static const char *db = KB_DEFAULT_DB, *config, *commit, *repo;
static int by = KB_TOP_SYMBOL, json;
static long limit = 20;

static int opt_top_by(const struct kb_option *opt, const char *arg)
{
	int v = kb_top_by_parse(arg);

	if (v < 0) {
		kb_errorf("--by %s: not one of symbol, file, subsystem, class", arg);
		return -1;
	}
	*(int *)opt->value = v;
	return 0;
}

static const struct kb_option options[] = {
	KB_OPT_DB(&db),
	KB_OPT_CONFIG(&config),
	KB_OPT_STRING(0, "commit", &commit, "REV",
		      "the build of commit REV (a sha, tag or branch; default: the newest)"),
	KB_OPT_REPO_REVS(&repo),
	KB_OPT_CALLBACK(0, "by", &by, "KEY", "sum by symbol (default), file, subsystem or class",
			opt_top_by),
	KB_OPT_POSITIVE(0, "limit", &limit, "N", "at most N rows (default 20)"),
	KB_OPT_FORMAT(&json),
	KB_OPT_JSON(&json),
	KB_OPT_END(),
};

/* The build asked for: --commit's, else the newest ok build of the config (0: none). */
static int which_build(struct kb_store *s, int64_t *build)
{
	int64_t config_id;

	char sha[41];

	*build = 0;
	if (kb_store_find_config(s, config, &config_id))
		return -1;
	if (commit)
		return kb_resolve_rev(s, repo, commit, sha) ||
				       kb_store_find_build(s, sha, config, build) ?
			       -1 :
			       0;
	return kb_store_head_build(s, config_id, build, NULL) < 0 ? -1 : 0;
}

static int run(struct kb_ctx *ctx, int argc, const char **argv)
{
	struct kb_top *m;
	int64_t build;
	int rc;

	(void)argc;
	(void)argv;
	if (which_build(ctx->store, &build))
		return kb_report_error();
	if (!build) {
		printf("no ok build recorded for this config\n");
		return KB_EXIT_OK;
	}
	if (kb_top_build(&m, ctx->store, build, by, (size_t)limit))
		return kb_report_error();
	if (json == KB_FMT_JSON) {
		rc = kb_json_print(kb_top_json(m));
	} else if (json) {
		rc = kb_table_print(kb_top_table(m), json);
	} else {
		kb_top_write_text(stdout, m);
		rc = KB_EXIT_OK;
	}
	kb_top_free(m);
	return rc;
}

const struct kb_command kb_cmd_top = {
	.name = "top",
	.summary = "where a recorded build's bytes go",
	.usage = (const char *const[]){ "top [--db DB] [--config C] [--commit REV] [--repo DIR]\n"
					"                  [--by symbol|file|subsystem|class] "
					"[--limit N] [--json] [--format FMT]",
					NULL },
	.options = options,
	.max_args = 0,
	.setup = KB_SETUP_STORE | KB_SETUP_STORE_READ,
	.db = &db,
	.run = run,
};
