/*
 * cmd_collect.c - `kbloat collect`: a commit range of a kernel repository built in each
 * config and recorded, oldest first, incrementally and resumably.
 */
#include "kbloat.h"

#include "collect.h"
#include "repo.h"
#include "store.h"
#include "error.h"
#include "strbuf.h"
#include "xalloc.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <time.h>
#include <unistd.h>

static const char collect_usage[] =
	"usage: kbloat collect --repo LINUX --range A..B [--config SPEC...] [options]\n"
	"\n"
	"  --config SPEC      tinyconfig (default), allnoconfig, defconfig or modular, with\n"
	"                     fragments: tinyconfig+kvm-guest+my.config (repeatable)\n"
	"  --db DB            the database (default kbloat.db); --workdir DIR (default DB.work)\n"
	"  --arch ARCH        kbuild's ARCH (default: this machine's); --cross PREFIX, --llvm\n"
	"  --first-parent     follow the first-parent line only\n"
	"  --every N          every Nth commit of the range (always its last); --tags: tagged only\n"
	"  --shard K/N        the Kth of N contiguous slices of the commits (for several machines)\n"
	"  -j N               make's jobs (default: the processors)\n"
	"  --cc-wrapper W     ccache, distcc or icecc: CC=\"W gcc\"\n"
	"  --timeout T        a build's time limit: 90s, 30m, 2h (default none)\n"
	"  --keep-going       go on after 5 failed builds in a row (default: stop, the tools\n"
	"                     rather than the commits are likely broken)\n"
	"  --retry-failed     build again the builds recorded as failed\n"
	"  --dry-run          list the builds the walk would make, build nothing\n";

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

static int do_collect(const struct kb_collect_opts *o, const char *range, int first_parent,
		      int tags, long every, long shard_k, long shard_n, int keep_going, int dry_run)
{
	struct kb_collector *c = NULL;
	struct walk w = { NULL, 0 };
	struct progress p = { 0 };
	size_t i, k, built = 0, already = 0, failed = 0, in_a_row = 0;
	int rc = KB_EXIT_USAGE;

	if (kb_collector_open(&c, o) ||
	    kb_repo_range(c->repo, range, first_parent, &w.shas, &w.n) ||
	    select_commits(c->repo, &w, tags, every, shard_k, shard_n))
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

			if (dry_run) {
				found = kb_collect_needed(c, w.shas[i], k, &b);
				if (found < 0) {
					kb_commit_info_release(&ci);
					goto err;
				}
				if (found)
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
				snprintf(p.last, sizeof(p.last), "%s %+lld", c->cfgs[k].spec.name,
					 (long long)(out.has_delta ? out.delta : 0));
				in_a_row = 0;
			} else {
				fprintf(stderr, " (%s)", out.what);
				snprintf(p.last, sizeof(p.last), "%s failed", c->cfgs[k].spec.name);
				failed++;
				in_a_row++;
			}
			fprintf(stderr, " %.1fs  %s\n", out.seconds, ci.subject);
			if (in_a_row >= FAILS_IN_A_ROW && !keep_going) {
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
	if (dry_run) {
		rc = KB_EXIT_OK;
		goto out;
	}
	printf("%zu commits x %zu configs: %zu built (%zu failed), %zu already recorded\n", w.n,
	       c->ncfgs, built, failed, already);
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
	free(w.shas);
	kb_collector_close(c);
	return rc;
}

/* kbuild's ARCH for this machine, as the kernel's top Makefile derives SUBARCH */

int cmd_collect(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "repo", required_argument, NULL, 'R' },
		{ "range", required_argument, NULL, 'r' },
		{ "config", required_argument, NULL, 'c' },
		{ "db", required_argument, NULL, 'D' },
		{ "workdir", required_argument, NULL, 'W' },
		{ "arch", required_argument, NULL, 'a' },
		{ "cross", required_argument, NULL, 'X' },
		{ "llvm", no_argument, NULL, 'L' },
		{ "first-parent", no_argument, NULL, 'f' },
		{ "every", required_argument, NULL, 'e' },
		{ "tags", no_argument, NULL, 't' },
		{ "shard", required_argument, NULL, 's' },
		{ "cc-wrapper", required_argument, NULL, 'w' },
		{ "timeout", required_argument, NULL, 'T' },
		{ "keep-going", no_argument, NULL, 'k' },
		{ "retry-failed", no_argument, NULL, 'F' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct kb_collect_opts o = { 0 };
	const char **configs = NULL, *range = NULL;
	size_t alloc = 0;
	long every = 0, shard_k = 1, shard_n = 1, jobs = sysconf(_SC_NPROCESSORS_ONLN);
	int first_parent = 0, tags = 0, keep_going = 0, dry_run = 0, c, rc;

	o.db = "kbloat.db";
	o.arch = kb_host_arch();
	while ((c = getopt_long(argc, argv, "hj:", opts, NULL)) != -1) {
		switch (c) {
		case 'R':
			o.repo = optarg;
			break;
		case 'r':
			range = optarg;
			break;
		case 'c':
			ALLOC_GROW(configs, o.nconfigs + 1, alloc);
			configs[o.nconfigs++] = optarg;
			break;
		case 'D':
			o.db = optarg;
			break;
		case 'W':
			o.workdir = optarg;
			break;
		case 'a':
			o.arch = optarg;
			break;
		case 'X':
			o.cross = optarg;
			break;
		case 'L':
			o.llvm = 1;
			break;
		case 'f':
			first_parent = 1;
			break;
		case 'e':
			every = kb_parse_count(optarg);
			if (every < 1) {
				kb_errorf("--every %s: not a positive count", optarg);
				free(configs);
				return KB_EXIT_USAGE;
			}
			break;
		case 't':
			tags = 1;
			break;
		case 's':
			if (parse_shard(optarg, &shard_k, &shard_n)) {
				kb_errorf("--shard %s: not K/N with 1 <= K <= N", optarg);
				free(configs);
				return KB_EXIT_USAGE;
			}
			break;
		case 'w':
			if (strcmp(optarg, "ccache") && strcmp(optarg, "distcc") &&
			    strcmp(optarg, "icecc")) {
				kb_errorf("--cc-wrapper %s: not ccache, distcc or icecc", optarg);
				free(configs);
				return KB_EXIT_USAGE;
			}
			o.cc_wrapper = optarg;
			break;
		case 'T':
			o.timeout = kb_parse_duration(optarg);
			if (o.timeout <= 0) {
				kb_errorf("--timeout %s: not a duration (90s, 30m, 2h)", optarg);
				free(configs);
				return KB_EXIT_USAGE;
			}
			break;
		case 'j':
			jobs = kb_parse_count(optarg);
			if (jobs < 1) {
				kb_errorf("-j %s: not a positive count", optarg);
				free(configs);
				return KB_EXIT_USAGE;
			}
			break;
		case 'k':
			keep_going = 1;
			break;
		case 'F':
			o.retry_failed = 1;
			break;
		case 'n':
			dry_run = 1;
			break;
		case 'h':
			free(configs);
			fputs(collect_usage, stdout);
			return KB_EXIT_OK;
		default:
			free(configs);
			return kb_usage(collect_usage);
		}
	}
	if (optind != argc || !o.repo || !range) {
		free(configs);
		return kb_usage(collect_usage);
	}
	if (!o.nconfigs) {
		ALLOC_GROW(configs, 1, alloc);
		configs[o.nconfigs++] = "tinyconfig";
	}
	o.configs = configs;
	o.jobs = jobs > 0 ? (int)jobs : 1;
	rc = do_collect(&o, range, first_parent, tags, every, shard_k, shard_n, keep_going,
			dry_run);
	free(configs);
	return rc;
}

/* FIXME(issue 14): parses its own options until it moves onto the option table */
const struct kb_command kb_cmd_collect = {
	.name = "collect",
	.summary = "build a commit range in each config and record it",
	.usage =
		(const char *const[]){
			"collect --repo LINUX --range A..B [--config SPEC...] [options]", NULL },
	.legacy = cmd_collect,
};
