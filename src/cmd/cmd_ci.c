/*
 * cmd_ci.c - `kbloat ci`: the nightly report. The commits after a baseline on the
 * first-parent line, each config's change per commit, the ones over a threshold with the
 * symbols and subsystems that grew, and the budgets with how far each is from its limit;
 * as text, Markdown (a PR comment), JSON (schema/report.schema.json), JUnit XML, or an
 * mbox of mails to the authors of the commits over the threshold, as the 0-day robot
 * writes them (never sent). Exit 0 within budget and threshold, 1 when one is broken, 2 on
 * error.
 */
#include "kbloat.h"
#include "resolve.h"

#include "budget.h"
#include "ci.h"

#include "strbuf.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

enum { F_TEXT, F_MD, F_JSON, F_JUNIT, F_MAIL };

static const char *db = KB_DEFAULT_DB, *baseline, *head, *budget_path, *commit_url, *mbox, *repo;
static const char *mail_from = "kbloat <kbloat@localhost>";
static struct kb_strlist configs;
static int64_t threshold = 4096;
static int format = F_TEXT;

static int opt_format(const struct kb_option *opt, const char *arg)
{
	static const char *const names[] = {
		[F_TEXT] = "text", [F_MD] = "md", [F_JSON] = "json", [F_JUNIT] = "junit", [F_MAIL] = "mail"
	};
	int f;

	for (f = 0; f < (int)(sizeof(names) / sizeof(names[0])); f++) {
		if (!strcmp(arg, names[f])) {
			*(int *)opt->value = f;
			return 0;
		}
	}
	kb_errorf("--format %s: not text, md, json, junit or mail", arg);
	return -1;
}

static const struct kb_option options[] = {
	KB_OPT_DB(&db),
	KB_OPT_STRING_F(0, "baseline", &baseline, "REV",
			"the last commit the previous report covered (a sha, tag, branch, HEAD~N)",
			KB_OPT_REQUIRED),
	KB_OPT_STRING(0, "head", &head, "REV",
		      "the newest commit to report (default: the newest build)"),
	KB_OPT_REPO_REVS(&repo),
	KB_OPT_LIST(0, "config", &configs, "C", "a recorded config (default: every one)"),
	KB_OPT_STRING(0, "budget", &budget_path, "FILE",
		      "budgets: targets with \"config\" hold that config's head build"),
	KB_OPT_SIZE(0, "threshold", &threshold, "SIZE",
		    "a commit that adds this much or more is a regression (default 4K)"),
	KB_OPT_CALLBACK(0, "format", &format, "FMT", "text, md, json, junit or mail (default text)",
			opt_format),
	KB_OPT_SET_INT(0, "json", &format, F_JSON, "the same as --format json"),
	KB_OPT_STRING(0, "commit-url", &commit_url, "TEMPLATE",
		      "link commits to TEMPLATE with %H the sha, %h its first 12 characters"),
	KB_OPT_STRING(0, "mbox", &mbox, "FILE",
		      "--format mail: write the mbox to FILE (default standard output)"),
	KB_OPT_STRING(0, "mail-from", &mail_from, "MAILBOX",
		      "--format mail: the sender (default \"kbloat <kbloat@localhost>\")"),
	KB_OPT_END(),
};

/* The mbox to FILE: written whole to FILE.tmp, then renamed over it. */
static int write_mbox(const struct kb_ci *r, const struct kb_ci_mail_opts *mo)
{
	struct strbuf tmp = STRBUF_INIT;
	FILE *f;
	int rc = KB_EXIT_USAGE;

	strbuf_addf(&tmp, "%s.tmp", mbox);
	f = fopen(tmp.buf, "w");
	if (!f) {
		kb_errorf("--mbox %s: %s", mbox, strerror(errno));
		goto out;
	}
	kb_ci_write_mail(f, r, mo);
	if (ferror(f) | fclose(f)) {
		kb_errorf("--mbox %s: cannot write: %s", tmp.buf, strerror(errno));
		unlink(tmp.buf);
		goto out;
	}
	if (rename(tmp.buf, mbox)) {
		kb_errorf("--mbox %s: %s", mbox, strerror(errno));
		unlink(tmp.buf);
		goto out;
	}
	rc = KB_EXIT_OK;
out:
	strbuf_release(&tmp);
	return rc;
}

static int write_report(const struct kb_ci *r)
{
	struct kb_ci_mail_opts mo = { mail_from };

	switch (format) {
	case F_MAIL:
		if (mbox)
			return write_mbox(r, &mo);
		kb_ci_write_mail(stdout, r, &mo);
		break;
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
	struct kb_ci_opts o = { baseline, head,	     configs.v,	 configs.n,
				NULL,	  threshold, commit_url, format == F_MAIL };
	struct kb_ci *r = NULL;
	char base_sha[41], head_sha[41];
	int rc;

	(void)argc;
	(void)argv;
	if (kb_resolve_rev(ctx->store, repo, baseline, base_sha) ||
	    (head && kb_resolve_rev(ctx->store, repo, head, head_sha)))
		return kb_report_error();
	o.baseline = base_sha;
	if (head)
		o.head = head_sha;
	if (mbox && format != F_MAIL) {
		kb_errorf("--mbox %s: only with --format mail", mbox);
		return KB_EXIT_USAGE;
	}
	if (format == F_MAIL && kb_ci_check_from(mail_from))
		return kb_report_error();
	if (commit_url && kb_ci_check_url(commit_url))
		return kb_report_error();
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
	.usage =
		(const char *const[]){
			"ci [--db DB] --baseline REV [--head REV] [--repo DIR] [--config C...] "
			"[--budget FILE]\n"
			"                 [--threshold SIZE] [--commit-url TEMPLATE]\n"
			"                 [--format text|md|json|junit|mail] [--mbox "
			"FILE] [--mail-from MAILBOX]",
			NULL },
	.options = options,
	.max_args = 0,
	.setup = KB_SETUP_STORE | KB_SETUP_STORE_READ,
	.db = &db,
	.run = run,
};
