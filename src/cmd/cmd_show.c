/*
 * cmd_show.c - `kbloat show REV`: one build against its parent build, as `kbloat diff` would
 * print the two images (bloat-o-meter's text, from the entries the store keeps of it), then
 * rolled up by subsystem, then the config options that changed (report/show.h).
 */
#include "kbloat.h"

#include "table.h"
#include "resolve.h"
#include "show.h"
#include "store.h"

#include <stdio.h>

static const char *db = KB_DEFAULT_DB, *config, *repo;
static int json;

static const struct kb_option options[] = {
	KB_OPT_DB(&db),	      KB_OPT_CONFIG(&config), KB_OPT_REPO_REVS(&repo),
	KB_OPT_FORMAT(&json), KB_OPT_JSON(&json),     KB_OPT_END(),
};

static int run(struct kb_ctx *ctx, int argc, const char **argv)
{
	struct kb_show *m;
	int64_t build;
	char sha[41];
	int rc;

	(void)argc;
	if (kb_resolve_rev(ctx->store, repo, argv[0], sha) ||
	    kb_store_find_build(ctx->store, sha, config, &build) ||
	    kb_show_build(&m, ctx->store, build))
		return kb_report_error();
	if (json == KB_FMT_JSON) {
		rc = kb_json_print(kb_show_json(m));
	} else if (json) {
		rc = kb_table_print(kb_show_table(m), json);
	} else {
		kb_show_write_text(stdout, m);
		rc = KB_EXIT_OK;
	}
	kb_show_free(m);
	return rc;
}

const struct kb_command kb_cmd_show = {
	.name = "show",
	.summary = "a recorded build against its parent build",
	.usage =
		(const char *const[]){
			"show [--db DB] [--config C] [--repo DIR] [--json] [--format FMT] REV",
			NULL },
	.options = options,
	.min_args = 1,
	.max_args = 1,
	.setup = KB_SETUP_STORE | KB_SETUP_STORE_READ,
	.db = &db,
	.run = run,
};
