/*
 * cmd_bisect.c - `kbloat bisect`: the first commit between a good and a bad point at which
 * the kernel had grown by a threshold (the engine is pipeline/bisect.c), printed as blame
 * prints it; and `kbloat bisect-run`, the same question asked of one commit, as a `git
 * bisect run` script.
 */
#include "kbloat.h"

#include "bisect.h"
#include "blame.h"
#include "collect.h"
#include "query.h"
#include "repo.h"
#include "store.h"
#include "error.h"
#include "size.h"
#include "strbuf.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* git bisect run aborts the bisection on an exit status above 127 (125 is "skip"): an
 * error of kbloat's must not be taken for a bad commit. */
#define KB_EXIT_BISECT_ABORT 128

static const char bisect_run_epilogue[] =
	"bisect-run measures REV (default: the repository's HEAD, where git bisect put it) and\n"
	"exits 0 (good), 1 (bad: grown by SIZE or more since A), 125 (does not build: skip) or\n"
	"128 (kbloat's own error: git bisect run stops).\n";

struct bisect_opts {
	struct kb_collect_opts co;
	const char *config, *good, *bad, *subsystem, *rev;
	int64_t min; /* -1: not given */
	int json, run;
};

static const char *what(const struct bisect_opts *o)
{
	return o->subsystem ? o->subsystem : "the image";
}

/* Builds and measures sha for bisect-run, saying what its analysis warned of. */
static int measure(struct kb_collector *c, const struct bisect_opts *o, const char *sha,
		   struct kb_outcome *out, int64_t *size)
{
	if (kb_bisect_measure(c, o->subsystem, sha, out, size))
		return KB_ERR;
	if (out->warning[0])
		kb_warnf("%.12s: %s", sha, out->warning);
	return 0;
}

/* The engine's steps, as lines on stderr. */
static void progress(void *arg, const struct kb_bisect_step *st, const struct kb_bisect_result *r)
{
	const struct bisect_opts *o = arg;

	switch (st->kind) {
	case KB_BISECT_WARNING:
		kb_warnf("%.12s: %s", st->sha, st->what);
		break;
	case KB_BISECT_BEGIN:
		fprintf(stderr,
			"bisect: %zu commits, %s %lld -> %lld bytes (%+lld); looking for the "
			"first that is %lld or more above %.12s\n",
			r->ncommits, what(o), (long long)r->base, (long long)r->top,
			(long long)(r->top - r->base), (long long)r->min, r->good);
		break;
	case KB_BISECT_SKIPPED:
		fprintf(stderr, "bisect: %.12s does not build: skipped\n", st->sha);
		break;
	case KB_BISECT_TESTED:
		fprintf(stderr, "bisect: %.12s %+lld: %s\n", st->sha, (long long)st->delta,
			st->bad ? "bad" : "good");
		break;
	}
}

/* Bisects, then prints the culprit as blame does. */
static int bisect(struct kb_collector *c, const struct bisect_opts *o)
{
	struct kb_bisect_opts bo = { o->good, o->bad, o->subsystem, o->min, progress, (void *)o };
	struct kb_scope sc = { NULL, NULL, NULL, -1 };
	struct kb_bisect_result r;
	struct kb_blame *culprit;
	int64_t config_id;
	int rc;

	if (kb_bisect(c, &bo, &r))
		return kb_report_error();
	if (r.nothing) {
		fprintf(stderr, "bisect: %.12s is not %lld bytes above %.12s: nothing to find\n",
			r.bad, (long long)r.min, r.good);
		return KB_EXIT_OK;
	}
	if (r.stopped) {
		kb_errorf("interrupted: the builds made so far are recorded");
		return 130;
	}
	fprintf(stderr, "bisect: %zu builds made between the ends (and %zu of the ends), %s\n",
		r.builds, r.end_builds,
		r.unbuildable ? "some commits between do not build" : "first bad commit found");
	if (kb_store_find_config(c->store, c->cfgs[0].spec.name, &config_id))
		return kb_report_error();
	if (r.unbuildable)
		fprintf(stderr,
			"bisect: the culprit is one of %ld commits up to %.12s; they do not build\n",
			r.unbuildable, r.first_bad);
	sc.subsystem = o->subsystem;
	if (kb_blame_build(&culprit, c->store, config_id, &sc, INT64_MIN, 1, r.range))
		return kb_report_error();
	if (o->json == KB_FMT_JSON) {
		rc = kb_json_print(kb_blame_json(culprit));
	} else if (o->json) {
		rc = kb_table_print(kb_blame_table(culprit), o->json);
	} else {
		kb_blame_write_text(stdout, culprit);
		rc = KB_EXIT_OK;
	}
	kb_blame_free(culprit);
	return rc;
}

/* bisect-run's verdict on sha as JSON (delta: JSON null when it does not build); rc, or
 * the abort status if it could not be written. */
static int verdict_json(const struct bisect_opts *o, const char *sha, const char *good,
			json_t *delta, const char *verdict, const char *why, int rc)
{
	json_t *j = json_pack("{s:s,s:s,s:o,s:I,s:o,s:s,s:o}", "commit", sha, "good", good, "scope",
			      kb_json_str(what(o)), "min", (json_int_t)o->min, "delta", delta,
			      "verdict", verdict, "why", why ? kb_json_str(why) : json_null());

	return kb_json_print(j) ? KB_EXIT_BISECT_ABORT : rc;
}

static int bisect_run(struct kb_collector *c, const struct bisect_opts *o)
{
	char good[41], sha[41];
	struct kb_outcome out;
	int64_t base, size;
	int bad;

	if (kb_repo_resolve(c->repo, o->good, good) || kb_repo_resolve(c->repo, o->rev, sha) ||
	    measure(c, o, good, &out, &base)) {
		kb_report_error();
		return KB_EXIT_BISECT_ABORT;
	}
	if (out.status != KB_OUT_OK) {
		kb_errorf("%s: the good commit does not build (%s)", o->good, out.what);
		return KB_EXIT_BISECT_ABORT;
	}
	if (measure(c, o, sha, &out, &size)) {
		kb_report_error();
		return KB_EXIT_BISECT_ABORT;
	}
	if (out.status == KB_OUT_STOPPED)
		return KB_EXIT_BISECT_ABORT;
	if (out.status != KB_OUT_OK) {
		if (o->json)
			return verdict_json(o, sha, good, json_null(), "skip", out.what,
					    KB_EXIT_SKIP);
		printf("%.12s: does not build (%s): skip\n", sha, out.what);
		return KB_EXIT_SKIP;
	}
	bad = size - base >= (int64_t)o->min;
	if (o->json)
		return verdict_json(o, sha, good, json_integer(size - base), bad ? "bad" : "good",
				    NULL, bad ? KB_EXIT_THRESHOLD : KB_EXIT_OK);
	printf("%.12s: %s %+lld bytes since %.12s (bad at %llu): %s\n", sha, what(o),
	       (long long)(size - base), good, (unsigned long long)o->min, bad ? "bad" : "good");
	return bad ? KB_EXIT_THRESHOLD : KB_EXIT_OK;
}

static struct bisect_opts o = { .co.db = KB_DEFAULT_DB,
				.config = "tinyconfig",
				.rev = "HEAD",
				.min = -1 };
static long jobs;
static struct kb_strlist make_args;

#define BISECT_OPTIONS                                                                            \
	KB_OPT_STRING_F(0, "repo", &o.co.repo, "R", "the kernel repository", KB_OPT_REQUIRED),    \
		KB_OPT_STRING(0, "config", &o.config, "SPEC",                                     \
			      "the config to build (default tinyconfig), as collect's"),          \
		KB_OPT_STRING_F(0, "good", &o.good, "A", "a commit known good", KB_OPT_REQUIRED), \
		KB_OPT_STRING(0, "subsystem", &o.subsystem, "S",                                  \
			      "the size of subsystem S (as MAINTAINERS names it), not the "       \
			      "image"),                                                           \
		KB_OPT_DB(&o.co.db)

static const struct kb_option bisect_options[] = {
	BISECT_OPTIONS,
	KB_OPT_STRING_F(0, "bad", &o.bad, "B", "a later commit known bad", KB_OPT_REQUIRED),
	KB_OPT_SIZE(0, "min", &o.min, "SIZE",
		    "the growth since --good that makes a commit bad (40K, 1.5M; default: more "
		    "than half the growth from A to B)"),
	KB_OPT_FORMAT(&o.json),
	KB_OPT_JSON(&o.json),
	KB_OPT_GROUP("build options (as collect takes them):"),
	KB_OPT_BUILD(&o.co, &jobs, &make_args),
	KB_OPT_END(),
};

static const struct kb_option bisect_run_options[] = {
	BISECT_OPTIONS,
	KB_OPT_SIZE(0, "min", &o.min, "SIZE",
		    "the growth since --good that makes a commit bad (40K, 1.5M)"),
	KB_OPT_JSON(&o.json),
	KB_OPT_GROUP("build options (as collect takes them):"),
	KB_OPT_BUILD(&o.co, &jobs, &make_args),
	KB_OPT_END(),
};

static int run_either(int argc, const char **argv, int is_run)
{
	int usage_rc = is_run ? KB_EXIT_BISECT_ABORT : KB_EXIT_USAGE;
	struct kb_collector *c = NULL;
	int rc;

	o.run = is_run;
	if (is_run && argc)
		o.rev = argv[0];
	if (is_run && o.min < 0) {
		kb_errorf("bisect-run: --min SIZE is required");
		return usage_rc;
	}
	o.co.configs = &o.config;
	o.co.nconfigs = 1;
	if (!jobs)
		jobs = sysconf(_SC_NPROCESSORS_ONLN);
	o.co.jobs = jobs > 0 ? (int)jobs : 1;
	o.co.make_args = make_args.v;
	o.co.nmake_args = make_args.n;
	if (kb_collector_open(&c, &o.co)) {
		kb_report_error();
		return usage_rc;
	}
	if (c->reaped_make)
		kb_warnf("%s: ended a make an earlier, killed kbloat left running", c->work);
	kb_collect_catch_signals();
	rc = is_run ? bisect_run(c, &o) : bisect(c, &o);
	kb_collector_close(c);
	return rc;
}

static int run_bisect(struct kb_ctx *ctx, int argc, const char **argv)
{
	(void)ctx;
	return run_either(argc, argv, 0);
}

static int run_bisect_run(struct kb_ctx *ctx, int argc, const char **argv)
{
	(void)ctx;
	return run_either(argc, argv, 1);
}

const struct kb_command kb_cmd_bisect = {
	.name = "bisect",
	.summary = "the first commit that grew the kernel by a threshold",
	.usage = (const char *const[]){ "bisect --repo R --good A --bad B [--config SPEC] "
					"[--min SIZE] [options]",
					NULL },
	.options = bisect_options,
	.max_args = 0,
	.run = run_bisect,
};

const struct kb_command kb_cmd_bisect_run = {
	.name = "bisect-run",
	.summary = "the same for one commit, as a git bisect run script",
	.usage = (const char *const[]){ "bisect-run --repo R --good A --min SIZE [--config SPEC] "
					"[options] [REV]",
					NULL },
	.options = bisect_run_options,
	.max_args = 1,
	.usage_status = KB_EXIT_BISECT_ABORT,
	.epilogue = bisect_run_epilogue,
	.run = run_bisect_run,
};
