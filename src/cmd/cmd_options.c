/*
 * cmd_options.c - `kbloat options [REV]`: every option a recorded build enables, what its
 * objects cost in vmlinux, whether the modular analysis found it a candidate to leave
 * (tristate (1), bool (2)), and how each changed against the parent build; the totals
 * reconcile with the build's stored sums (report/build_options.h).
 */
#include "kbloat.h"
#include "resolve.h"

#include "build_options.h"
#include "store.h"

#include <stdio.h>

static const char *db = KB_DEFAULT_DB, *repo;
static struct kb_options_query q;
static int json;

static const struct kb_option options[] = {
	KB_OPT_DB(&db),
	KB_OPT_CONFIG(&q.config),
	KB_OPT_REPO_REVS(&repo),
	KB_OPT_POSITIVE(0, "top", &q.top, "N", "only the N largest options"),
	KB_OPT_BOOL(0, "changed", &q.changed,
		    "only the options that changed against the parent build"),
	KB_OPT_FORMAT(&json),
	KB_OPT_JSON(&json),
	KB_OPT_END(),
};

static int run(struct kb_ctx *ctx, int argc, const char **argv)
{
	struct kb_options_report *r;
	char sha[41];
	int rc;

	if (argc && kb_resolve_rev(ctx->store, repo, argv[0], sha))
		return kb_report_error();
	q.rev = argc ? sha : NULL;
	if (kb_options_build(&r, ctx->store, &q))
		return kb_report_error();
	if (json == KB_FMT_JSON) {
		rc = kb_json_print(kb_options_json(r));
	} else if (json) {
		rc = kb_table_print(kb_options_table(r), json);
	} else {
		kb_options_write_text(stdout, r);
		rc = KB_EXIT_OK;
	}
	kb_options_free(r);
	return rc;
}

const struct kb_command kb_cmd_options = {
	.name = "options",
	.summary = "what each enabled option costs in a build, and how it changed",
	.usage =
		(const char *const[]){
			"options [REV] [--db DB] [--config C] [--repo DIR] [--top N] "
			"[--changed] [--json] [--format FMT]",
			NULL },
	.options = options,
	.max_args = 1,
	.setup = KB_SETUP_STORE | KB_SETUP_STORE_READ,
	.db = &db,
	.run = run,
};
