/*
 * cmd_blame.c - `kbloat blame`: the commits whose own change added the most, largest first
 * ("which commit added 40KB?"). A build's change is against its parent build; when that is
 * more than one commit back (a sampled history), the row names the range, not one commit.
 * With --core, the commits that grew (and shrank) the hard core of the modular analysis:
 * the code and data that cannot leave vmlinux (schema/002-modular.sql's d_core).
 */
#include "kbloat.h"
#include "table.h"
#include "resolve.h"

#include "blame.h"
#include "query.h"
#include "store.h"
#include "error.h"

#include <stdint.h>
#include <stdio.h>

static const char *db = KB_DEFAULT_DB, *config, *range, *repo;
static struct kb_scope sc = { NULL, NULL, NULL, -1 };
static int64_t min = 1;
static long limit = 20;
static int json, core;

static const struct kb_option options[] = {
	KB_OPT_DB(&db),
	KB_OPT_SIZE(0, "min", &min, "SIZE",
		    "only changes that added at least SIZE bytes (40K, 40KB, 1.5M)"),
	KB_OPT_CONFIG(&config),
	KB_OPT_SCOPE(&sc),
	KB_OPT_STRING(0, "range", &range, "A..B",
		      "only builds of commits after A up to B (first parents, in the store; A "
		      "and B a sha, tag, branch or HEAD~N)"),
	KB_OPT_REPO_REVS(&repo),
	KB_OPT_POSITIVE(0, "limit", &limit, "N", "at most N rows (default 20)"),
	KB_OPT_BOOL(0, "core", &core,
		    "the hard core's changes (the modular analysis): grown, then shrunk"),
	KB_OPT_FORMAT(&json),
	KB_OPT_JSON(&json),
	KB_OPT_END(),
};

static int run(struct kb_ctx *ctx, int argc, const char **argv)
{
	struct strbuf shas = STRBUF_INIT;
	struct kb_blame *b;
	int64_t config_id;
	int rc;

	(void)argc;
	(void)argv;
	if (kb_scope_check(&sc))
		return KB_EXIT_USAGE;
	if (core && (kb_scope_narrows(&sc) || sc.cls >= 0)) {
		kb_errorf("--core: not with --class, --subsystem, --path or --symbol");
		return KB_EXIT_USAGE;
	}
	if (kb_store_find_config(ctx->store, config, &config_id) ||
	    (range && kb_resolve_range(ctx->store, repo, range, &shas)))
		return kb_report_error();
	rc = core ? kb_blame_build_core(&b, ctx->store, config_id, min, limit,
					range ? shas.buf : NULL) :
		    kb_blame_build(&b, ctx->store, config_id, &sc, min, limit,
				   range ? shas.buf : NULL);
	strbuf_release(&shas);
	if (rc)
		return kb_report_error();
	if (json == KB_FMT_JSON) {
		rc = kb_json_print(kb_blame_json(b));
	} else if (json) {
		rc = kb_table_print(kb_blame_table(b), json);
	} else {
		kb_blame_write_text(stdout, b);
		rc = KB_EXIT_OK;
	}
	kb_blame_free(b);
	return rc;
}

const struct kb_command kb_cmd_blame = {
	.name = "blame",
	.summary = "the commits that added the most (blame --min 40K)",
	.usage =
		(const char *const[]){
			"blame [--db DB] [--min SIZE] [--config C] [--class CLASS]\n"
			"                    [--subsystem S | --path P | "
			"--symbol NAME] [--range A..B] [--repo DIR]\n"
			"                    [--limit N] [--core] [--json] [--format FMT]",
			NULL },
	.options = options,
	.max_args = 0,
	.setup = KB_SETUP_STORE | KB_SETUP_STORE_READ,
	.db = &db,
	.run = run,
};
