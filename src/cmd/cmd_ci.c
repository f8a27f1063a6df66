/*
 * cmd_ci.c - `kbloat ci`: the nightly report. The commits after a baseline on the
 * first-parent line, each config's change per commit, the ones over a threshold with the
 * symbols and subsystems that grew, and the budgets with how far each is from its limit;
 * as text, Markdown (a PR comment, a mail), JSON (schema/report.schema.json) or JUnit XML.
 * Exit 0 within budget and threshold, 1 when one is broken, 2 on error.
 */
#include "kbloat.h"

#include "budget.h"
#include "ci.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

enum { F_TEXT, F_MD, F_JSON, F_JUNIT };

static const char *db = KB_DEFAULT_DB, *baseline, *head, *budget_path;
static struct kb_strlist configs;
static int64_t threshold = 4096;
static int format = F_TEXT;

static int opt_format(const struct kb_option *opt, const char *arg)
{
	static const char *const names[] = {
		[F_TEXT] = "text", [F_MD] = "md", [F_JSON] = "json", [F_JUNIT] = "junit"
	};
	int f;

	for (f = 0; f < (int)(sizeof(names) / sizeof(names[0])); f++) {
		if (!strcmp(arg, names[f])) {
			*(int *)opt->value = f;
			return 0;
		}
	}
	kb_errorf("--format %s: not text, md, json or junit", arg);
	return -1;
}

static const struct kb_option options[] = {
	KB_OPT_DB(&db),
	KB_OPT_STRING_F(0, "baseline", &baseline, "REV",
			"the last commit the previous report covered (a sha or prefix)",
			KB_OPT_REQUIRED),
	KB_OPT_STRING(0, "head", &head, "REV",
		      "the newest commit to report (default: the newest build)"),
	KB_OPT_LIST(0, "config", &configs, "C", "a recorded config (default: every one)"),
	KB_OPT_STRING(0, "budget", &budget_path, "FILE",
		      "budgets: targets with \"config\" hold that config's head build"),
	KB_OPT_SIZE(0, "threshold", &threshold, "SIZE",
		    "a commit that adds this much or more is a regression (default 4K)"),
	KB_OPT_CALLBACK(0, "format", &format, "FMT", "text, md, json or junit (default text)",
			opt_format),
	KB_OPT_END(),
};

static int write_report(const struct kb_ci *r)
{
	switch (format) {
	case F_JSON:
		return kb_json_print(kb_ci_json(r));
	case F_JUNIT:
		kb_ci_write_junit(stdout, r);
		break;
	case F_MD:
		kb_ci_write_md(stdout, r);
		break;
	default:
		kb_ci_write_text(stdout, r);
	}
	return KB_EXIT_OK;
}

static int run(struct kb_ctx *ctx, int argc, const char **argv)
{
	struct kb_budget budget = { 0 };
	struct kb_ci_opts o = { baseline, head, configs.v, configs.n, NULL, threshold };
	struct kb_ci *r = NULL;
	int rc;

	(void)argc;
	(void)argv;
	if (budget_path) {
		if (kb_budget_read(&budget, budget_path))
			return kb_report_error();
		o.budget = &budget;
	}
	if (kb_ci_build(&r, ctx->store, &o)) {
		rc = kb_report_error();
		goto out;
	}
	rc = write_report(r);
	if (!rc && !r->ok)
		rc = KB_EXIT_THRESHOLD;
out:
	kb_ci_free(r);
	kb_budget_release(&budget);
	kb_strlist_release(&configs);
	return rc;
}

const struct kb_command kb_cmd_ci = {
	.name = "ci",
	.summary = "the nightly report: new commits, regressions, budgets",
	.usage = (const char *const[]){ "ci [--db DB] --baseline REV [--head REV] [--config C...] "
					"[--budget FILE]\n"
					"                 [--threshold SIZE] [--format "
					"text|md|json|junit]",
					NULL },
	.options = options,
	.max_args = 0,
	.setup = KB_SETUP_STORE | KB_SETUP_STORE_READ,
	.db = &db,
	.run = run,
};
