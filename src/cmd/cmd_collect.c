/*
 * cmd_collect.c - `kbloat collect`: a commit range of a kernel repository built in each
 * config and recorded, oldest first, incrementally and resumably.
 */
#include "kbloat.h"

#include "collect.h"
#include "repo.h"
#include "reused.h"
#include "store.h"
#include "error.h"
#include "strbuf.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <time.h>
#include <unistd.h>

#define FAILS_IN_A_ROW 5

struct walk {
	char (*shas)[41];
	size_t n;
};

static int parse_shard(const char *s, long *k, long *n)
{
	char *end;

	*k = strtol(s, &end, 10);
	if (end == s || *end != '/')
		return -1;
	s = end + 1;
	*n = strtol(s, &end, 10);
	if (end == s || *end || *n < 1 || *k < 1 || *k > *n)
		return -1;
	return 0;
}

static int cmp_sha(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* Narrows the walk: tags only, every Nth (keeping the last), the Kth of N slices. */
static int select_commits(struct kb_repo *repo, struct walk *w, int tags, long every, long shard_k,
			  long shard_n)
{
	size_t i, j = 0;

	if (tags) {
		char(*tagged)[41];
		size_t nt;

		if (kb_repo_tagged(repo, &tagged, &nt))
			return KB_ERR;
		for (i = 0; i < w->n; i++)
			if (nt && bsearch(w->shas[i], tagged, nt, sizeof(*tagged), cmp_sha))
				memmove(w->shas[j++], w->shas[i], 41);
		w->n = j;
		free(tagged);
	}
	if (every > 1) {
		for (i = 0, j = 0; i < w->n; i++)
			if ((w->n - 1 - i) % (size_t)every == 0)
				memmove(w->shas[j++], w->shas[i], 41);
		w->n = j;
	}
	if (shard_n > 1) {
		/* contiguous slices: consecutive commits build incrementally within a shard */
		size_t from = w->n * (size_t)(shard_k - 1) / (size_t)shard_n;
		size_t to = w->n * (size_t)shard_k / (size_t)shard_n;

		memmove(w->shas, w->shas + from, (to - from) * sizeof(*w->shas));
		w->n = to - from;
	}
	return 0;
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void hms(double s, char *buf, size_t size)
{
	long t = (long)(s + 0.5);

	snprintf(buf, size, "%02ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
}

struct progress {
	int tty;
	size_t done, total; /* builds */
	double start, build_time;
	size_t builds_run;
	char last[64];
};

/* The bar on a terminal: done/total, elapsed, ETA, what builds now, the last delta. */
static void draw_bar(const struct progress *p, const char *sha, const char *subject)
{
	char el[32], eta[32] = "--:--:--";
	int width = 20, fill = p->total ? (int)(p->done * (size_t)width / p->total) : width;

	if (!p->tty)
		return;
	hms(now() - p->start, el, sizeof(el));
	if (p->builds_run)
		hms(p->build_time / (double)p->builds_run * (double)(p->total - p->done), eta,
		    sizeof(eta));
	fprintf(stderr, "\r\033[K[%.*s%*s] %zu/%zu %s ETA %s  %.12s %.40s%s%s", fill,
		"####################", width - fill, "", p->done, p->total, el, eta, sha, subject,
		p->last[0] ? "  last: " : "", p->last);
	fflush(stderr);
}

static void clear_bar(const struct progress *p)
{
	if (p->tty)
		fputs("\r\033[K", stderr);
}

static const char *const outcome_names[] = { "ok", "failed", "timed out", "stopped" };

/* How the range is walked and what the walk does on failure. */
struct walk_opts {
	const char *range;
	int first_parent, tags, keep_going, dry_run;
	long every, shard_k, shard_n;
};

/* One build's line of --json: what stderr says of it, as data. */
static json_t *build_json(const char *sha, const char *config, const struct kb_outcome *out,
			  double seconds)
{
	json_t *j = json_pack("{s:s,s:o,s:s}", "commit", sha, "config", kb_json_str(config),
			      "status", outcome_names[out->status]);

	if (out->status == KB_OUT_OK) {
		json_object_set_new(j, "total", json_integer(out->total));
		json_object_set_new(j, "delta",
				    out->has_delta ? json_integer(out->delta) : json_null());
		json_object_set_new(j, "reused",
				    kb_reused_text(out->reused) ?
					    kb_json_str(kb_reused_text(out->reused)) :
					    json_null());
	} else {
		json_object_set_new(j, "why", kb_json_str(out->what));
	}
	json_object_set_new(j, "seconds", json_real(seconds));
	return j;
}

static int do_collect(const struct kb_collect_opts *o, const struct walk_opts *wo, int json)
{
	json_t *rows = json_array();
	struct kb_collector *c = NULL;
	struct walk w = { NULL, 0 };
	struct progress p = { 0 };
	size_t i, k, built = 0, already = 0, failed = 0, in_a_row = 0, reused = 0;
	int rc = KB_EXIT_USAGE;

	if (kb_collector_open(&c, o) ||
	    kb_repo_range(c->repo, wo->range, wo->first_parent, &w.shas, &w.n) ||
	    select_commits(c->repo, &w, wo->tags, wo->every, wo->shard_k, wo->shard_n))
		goto err;
	if (c->reaped_make)
		kb_warnf("%s: ended a make an earlier, killed kbloat left running", c->work);
	p.tty = isatty(STDERR_FILENO);
	p.total = w.n * c->ncfgs;
	p.start = now();
	kb_collect_catch_signals();
	for (i = 0; i < w.n && !kb_collect_stop; i++) {
		struct kb_commit_info ci = { 0 };

		if (kb_repo_commit_info(c->repo, w.shas[i], &ci))
			goto err;
		for (k = 0; k < c->ncfgs && !kb_collect_stop; k++) {
			struct kb_build_brief b;
			struct kb_outcome out;
			double t0 = now();
			int found;

			if (wo->dry_run) {
				found = kb_collect_needed(c, w.shas[i], k, &b);
				if (found < 0) {
					kb_commit_info_release(&ci);
					goto err;
				}
				if (found && json)
					json_array_append_new(
						rows, json_pack("{s:s,s:o}", "commit", w.shas[i],
								"config",
								kb_json_str(c->cfgs[k].spec.name)));
				else if (found)
					printf("%s %s\n", w.shas[i], c->cfgs[k].spec.name);
				continue;
			}
			draw_bar(&p, ci.sha, ci.subject);
			if (kb_collect_build(c, w.shas[i], k, &out)) {
				clear_bar(&p);
				kb_commit_info_release(&ci);
				goto err;
			}
			p.done++;
			if (out.warning[0]) {
				clear_bar(&p);
				kb_warnf("%.12s %s: %s", ci.sha, c->cfgs[k].spec.name, out.warning);
			}
			if (out.status == KB_OUT_STOPPED)
				break;
			if (out.already) {
				already++;
				continue;
			}
			built++;
			p.builds_run++;
			p.build_time += now() - t0;
			clear_bar(&p);
			fprintf(stderr, "[%zu/%zu] %.12s %s: %s", p.done, p.total, ci.sha,
				c->cfgs[k].spec.name, outcome_names[out.status]);
			if (out.status == KB_OUT_OK) {
				fprintf(stderr, " %lld", (long long)out.total);
				if (out.has_delta)
					fprintf(stderr, " (%+lld)", (long long)out.delta);
				if (kb_reused_text(out.reused)) {
					fprintf(stderr, " [%s]", kb_reused_text(out.reused));
					reused++;
				}
				snprintf(p.last, sizeof(p.last), "%s %+lld", c->cfgs[k].spec.name,
					 (long long)(out.has_delta ? out.delta : 0));
				in_a_row = 0;
			} else {
				fprintf(stderr, " (%s)", out.what);
				snprintf(p.last, sizeof(p.last), "%s failed", c->cfgs[k].spec.name);
				failed++;
				in_a_row++;
			}
			/* the whole step (checkout, decision, make, analysis, record), and make's
			 * share when it ran: what a skipped commit costs is the difference */
			fprintf(stderr, " %.2fs", now() - t0);
			if (out.seconds > 0)
				fprintf(stderr, " (make %.1fs)", out.seconds);
			fprintf(stderr, "  %s\n", ci.subject);
			json_array_append_new(rows, build_json(w.shas[i], c->cfgs[k].spec.name,
							       &out, now() - t0));
			if (in_a_row >= FAILS_IN_A_ROW && !wo->keep_going) {
				kb_commit_info_release(&ci);
				kb_errorf(
					"%d builds in a row failed (the last: %.12s, %s); stopping, as "
					"the toolchain or config is the likelier culprit: see the "
					"logs in %s/logs (--keep-going goes on)",
					FAILS_IN_A_ROW, w.shas[i], out.what, c->work);
				goto out;
			}
		}
		kb_commit_info_release(&ci);
	}
	clear_bar(&p);
	if (wo->dry_run) {
		rc = json ? kb_json_print(json_pack("{s:b,s:O}", "dry_run", 1, "needed", rows)) :
			    KB_EXIT_OK;
		goto out;
	}
	if (json) {
		json_t *cfgs = json_array();

		for (k = 0; k < c->ncfgs; k++)
			json_array_append_new(cfgs, kb_json_str(c->cfgs[k].spec.name));
		rc = kb_json_print(json_pack(
			"{s:b,s:I,s:o,s:I,s:I,s:I,s:I,s:b,s:O}", "dry_run", 0, "commits",
			(json_int_t)w.n, "configs", cfgs, "built", (json_int_t)built, "failed",
			(json_int_t)failed, "already", (json_int_t)already, "reused",
			(json_int_t)reused, "interrupted", kb_collect_stop != 0, "builds", rows));
		if (rc)
			goto out;
		if (kb_collect_stop) {
			kb_errorf(
				"interrupted: every build finished before it is recorded; run the "
				"same command again to go on");
			rc = 130;
		}
		goto out;
	}
	printf("%zu commits x %zu configs: %zu built (%zu failed), %zu already recorded\n", w.n,
	       c->ncfgs, built, failed, already);
	if (reused)
		printf("%zu of the builds recorded without make: no input of theirs changed\n",
		       reused);
	if (built) {
		struct strbuf line = STRBUF_INIT;

		kb_collect_ccache_summary(c, &line);
		if (line.len)
			printf("%s\n", line.buf);
		strbuf_release(&line);
	}
	if (kb_collect_stop) {
		kb_errorf("interrupted: every build finished before it is recorded; run the same "
			  "command again to go on");
		rc = 130;
		goto out;
	}
	rc = KB_EXIT_OK;
	goto out;
err:
	rc = kb_report_error();
out:
	json_decref(rows);
	free(w.shas);
	kb_collector_close(c);
	return rc;
}

/* kbuild's ARCH for this machine, as the kernel's top Makefile derives SUBARCH */

static struct kb_collect_opts co = { .db = KB_DEFAULT_DB };
static struct kb_strlist configs;
static long jobs;
static int json;
static struct kb_strlist make_args;
static struct walk_opts wo = { .shard_k = 1, .shard_n = 1 };

static int opt_shard(const struct kb_option *opt, const char *arg)
{
	(void)opt;
	if (parse_shard(arg, &wo.shard_k, &wo.shard_n)) {
		kb_errorf("--shard %s: not K/N with 1 <= K <= N", arg);
		return -1;
	}
	return 0;
}

static const struct kb_option options[] = {
	KB_OPT_STRING_F(0, "repo", &co.repo, "LINUX", "the kernel repository", KB_OPT_REQUIRED),
	KB_OPT_STRING_F(0, "range", &wo.range, "A..B", "the commits to build (git's range syntax)",
			KB_OPT_REQUIRED),
	KB_OPT_LIST(0, "config", &configs, "SPEC",
		    "a config target of the tree (tinyconfig, the default; defconfig, "
		    "x86_64_defconfig, ...), modular, or a .config file, with fragments and, "
		    "last, +modular (every built-in tristate a module): "
		    "tinyconfig+kvm-guest+~/my.config, defconfig+modular"),
	KB_OPT_DB(&co.db),
	KB_OPT_BOOL(0, "first-parent", &wo.first_parent, "follow the first-parent line only"),
	KB_OPT_POSITIVE(0, "every", &wo.every, "N",
			"every Nth commit of the range (always its last)"),
	KB_OPT_BOOL(0, "tags", &wo.tags, "tagged commits only"),
	KB_OPT_CALLBACK(0, "shard", NULL, "K/N",
			"the Kth of N contiguous slices of the commits (for several machines)",
			opt_shard),
	KB_OPT_BOOL(0, "keep-going", &wo.keep_going,
		    "go on after 5 failed builds in a row (default: stop, the tools rather "
		    "than the commits are likely broken)"),
	KB_OPT_BOOL(0, "retry-failed", &co.retry_failed,
		    "build again the builds recorded as failed"),
	KB_OPT_BOOL(0, "dry-run", &wo.dry_run,
		    "list the builds the walk would make, build nothing"),
	KB_OPT_JSON(&json),
	KB_OPT_BOOL(0, "boot-image", &co.boot_image,
		    "build the arch's boot image too (make image_name: bzImage, Image.gz) and "
		    "record its size and its compressed payload's"),
	KB_OPT_BOOL(0, "modules", &co.modules,
		    "make modules too where .config has CONFIG_MODULES=y, and record the "
		    "modules' bytes by class"),
	KB_OPT_GROUP("build options (collect, bisect and bisect-run take them alike):"),
	KB_OPT_BUILD(&co, &jobs, &make_args),
	KB_OPT_END(),
};

static int run(struct kb_ctx *ctx, int argc, const char **argv)
{
	int rc;

	(void)ctx;
	(void)argc;
	(void)argv;
	if (!configs.n)
		kb_strlist_push(&configs, "tinyconfig");
	co.configs = configs.v;
	co.dry_run = wo.dry_run;
	co.nconfigs = configs.n;
	if (!jobs)
		jobs = sysconf(_SC_NPROCESSORS_ONLN);
	co.jobs = jobs > 0 ? (int)jobs : 1;
	co.make_args = make_args.v;
	co.nmake_args = make_args.n;
	rc = do_collect(&co, &wo, json);
	kb_strlist_release(&configs);
	return rc;
}

const struct kb_command kb_cmd_collect = {
	.name = "collect",
	.summary = "build a commit range in each config and record it",
	.usage = (const char *const[]){ "collect --repo LINUX --range A..B [--config SPEC...] "
					"[options]",
					NULL },
	.options = options,
	.max_args = 0,
	.run = run,
};
