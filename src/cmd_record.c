/*
 * cmd_record.c - `kbloat record`: analyze one image (or note a failed build) and store it for
 * a commit, for a CI that builds on its own. The commit's metadata and first-parent line come
 * from the repository; the build lands in one transaction.
 */
#include "kbloat.h"

#include "record.h"
#include "repo.h"
#include "run.h"
#include "store.h"
#include "util/error.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char record_usage[] =
	"usage: kbloat record --db DB --repo REPO --commit REV --config NAME [options] [IMAGE]\n"
	"\n"
	"  --arch ARCH         the architecture (default x86_64)\n"
	"  --base TARGET       the config's base target (tinyconfig, allnoconfig, defconfig)\n"
	"  --fragments LIST    the fragments merged on top of it\n"
	"  --dotconfig FILE    the resulting .config: its options are stored\n"
	"  --status STATUS     ok (default: needs IMAGE), failed or skipped\n"
	"  --log FILE          the build log; its tail is stored for a failed build\n"
	"  --build-seconds S   how long the build took\n"
	"  --compiler TEXT     the compiler's version line; --linker TEXT likewise\n"
	"  --map FILE          IMAGE's linker map;  --src TREE  the kernel tree\n"
	"  --json              print what was recorded as JSON\n";

struct record_opts {
	const char *db, *repo, *commit, *config, *arch, *base, *fragments, *dotconfig;
	const char *status, *log, *compiler, *linker, *map, *src, *image;
	double build_seconds;
	int json;
};

struct chain {
	struct kb_store *store;
	struct kb_commit_info *v;
	size_t n, alloc;
};

static void to_store_commit(const struct kb_commit_info *ci, struct kb_store_commit *c)
{
	c->sha = ci->sha;
	c->parent = ci->parent;
	c->author_name = ci->author_name;
	c->author_email = ci->author_email;
	c->subject = ci->subject;
	c->author_time = ci->author_time;
	c->committer_time = ci->committer_time;
}

/* Collects first parents until one the store already knows (its line is known from there). */
static int collect_chain(const struct kb_commit_info *ci, void *arg)
{
	struct chain *c = arg;
	int known = kb_store_has_commit(c->store, ci->sha);

	if (known < 0)
		return -1;
	ALLOC_GROW(c->v, c->n + 1, c->alloc);
	memset(&c->v[c->n], 0, sizeof(c->v[c->n]));
	memcpy(c->v[c->n].sha, ci->sha, sizeof(ci->sha));
	memcpy(c->v[c->n].parent, ci->parent, sizeof(ci->parent));
	c->v[c->n].author_name = xstrdup(ci->author_name);
	c->v[c->n].author_email = xstrdup(ci->author_email);
	c->v[c->n].subject = xstrdup(ci->subject);
	c->v[c->n].author_time = ci->author_time;
	c->v[c->n].committer_time = ci->committer_time;
	c->n++;
	return known; /* stop at a known commit, after keeping it */
}

static json_t *record_json(const struct record_opts *o, const struct kb_commit_info *ci,
			   const struct kb_build_rec *rec, int already)
{
	return json_pack("{s:s,s:s,s:s,s:s,s:b,s:I}", "commit", ci->sha, "config", o->config,
			 "arch", o->arch, "status", o->status, "already_recorded", already, "total",
			 (json_int_t)rec->total);
}

static int do_record(const struct record_opts *o)
{
	struct kb_store *store = NULL;
	struct kb_repo *repo = NULL;
	struct kb_commit_info ci = { 0 };
	struct chain chain = { 0 };
	struct kb_store_commit commit, *links = NULL;
	struct kb_itemset items = { 0 };
	struct kb_analysis *a = NULL;
	struct kb_analysis_opts ao = { 0 };
	struct kb_build_rec rec = { 0 };
	struct strbuf dotconfig = STRBUF_INIT, tail = STRBUF_INIT;
	char sha[41], *src = NULL;
	int ok = !strcmp(o->status, "ok"), already = 0, rc = KB_EXIT_USAGE, c;
	size_t i;
	struct timespec t0, t1;

	if (kb_store_open(&store, o->db, 1) || kb_repo_open(&repo, o->repo) ||
	    kb_repo_resolve(repo, o->commit, sha) || kb_repo_commit_info(repo, sha, &ci))
		goto err;
	chain.store = store;
	/* a first record into an empty database walks back at most this far: a parent build
	 * further back is found once `kbloat collect` or a later record fills the line in */
	if (ci.parent[0] &&
	    kb_repo_walk_first_parents(repo, ci.parent, 100000, collect_chain, &chain) < 0)
		goto err;
	if (o->dotconfig && kb_read_dotconfig(o->dotconfig, &dotconfig))
		goto err;
	if (o->log && kb_log_tail(o->log, 4096, &tail))
		goto err;
	if (ok) {
		if (kb_open_src(o->src, &src, &ao.maint))
			goto out;
		ao.src = src;
		ao.map = o->map;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		if (kb_analysis_run(&a, o->image, &ao))
			goto err;
		kb_itemset_from_analysis(&items, a);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		rec.analysis_seconds =
			(double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
		rec.total = a->img->total;
		for (c = 0; c < KB_CLS_NR; c++)
			rec.cls[c] = a->img->cls_size[c];
		for (c = 0; c < KB_BK_NR; c++)
			rec.bk[c] = a->img->berkeley[c];
		rec.items = &items;
	}
	to_store_commit(&ci, &commit);
	links = xcalloc(chain.n + 1, sizeof(*links));
	for (i = 0; i < chain.n; i++)
		to_store_commit(&chain.v[i], &links[i]);
	rec.commit = &commit;
	rec.chain = links;
	rec.nchain = chain.n;
	rec.config = o->config;
	rec.arch = o->arch;
	rec.base = o->base;
	rec.fragments = o->fragments;
	rec.status = o->status;
	rec.log_tail = tail.len ? tail.buf : NULL;
	rec.dotconfig = dotconfig.len ? dotconfig.buf : NULL;
	rec.compiler = o->compiler;
	rec.linker = o->linker;
	rec.build_seconds = o->build_seconds;
	if (kb_store_record(store, &rec, &already))
		goto err;
	if (o->json)
		rc = kb_json_print(record_json(o, &ci, &rec, already));
	else {
		printf("%s %.12s %s (%s): %s", already ? "already recorded" : "recorded", ci.sha,
		       o->config, o->arch, o->status);
		if (ok && !already)
			printf(", %llu bytes", (unsigned long long)rec.total);
		printf("\n");
		rc = KB_EXIT_OK;
	}
	goto out;
err:
	rc = kb_report_error();
out:
	for (i = 0; i < chain.n; i++)
		kb_commit_info_release(&chain.v[i]);
	free(chain.v);
	free(links);
	kb_commit_info_release(&ci);
	kb_itemset_release(&items);
	kb_analysis_free(a);
	kb_maint_free(ao.maint);
	free(src);
	strbuf_release(&dotconfig);
	strbuf_release(&tail);
	kb_repo_free(repo);
	kb_store_close(store);
	return rc;
}

int cmd_record(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'D' },
		{ "repo", required_argument, NULL, 'R' },
		{ "commit", required_argument, NULL, 'C' },
		{ "config", required_argument, NULL, 'c' },
		{ "arch", required_argument, NULL, 'a' },
		{ "base", required_argument, NULL, 'B' },
		{ "fragments", required_argument, NULL, 'F' },
		{ "dotconfig", required_argument, NULL, 'o' },
		{ "status", required_argument, NULL, 'S' },
		{ "log", required_argument, NULL, 'l' },
		{ "build-seconds", required_argument, NULL, 'T' },
		{ "compiler", required_argument, NULL, 'P' },
		{ "linker", required_argument, NULL, 'L' },
		{ "map", required_argument, NULL, 'm' },
		{ "src", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct record_opts o = { 0 };
	char *end;
	int c;

	o.arch = "x86_64";
	o.status = "ok";
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'D':
			o.db = optarg;
			break;
		case 'R':
			o.repo = optarg;
			break;
		case 'C':
			o.commit = optarg;
			break;
		case 'c':
			o.config = optarg;
			break;
		case 'a':
			o.arch = optarg;
			break;
		case 'B':
			o.base = optarg;
			break;
		case 'F':
			o.fragments = optarg;
			break;
		case 'o':
			o.dotconfig = optarg;
			break;
		case 'S':
			o.status = optarg;
			break;
		case 'l':
			o.log = optarg;
			break;
		case 'P':
			o.compiler = optarg;
			break;
		case 'L':
			o.linker = optarg;
			break;
		case 'm':
			o.map = optarg;
			break;
		case 's':
			o.src = optarg;
			break;
		case 'j':
			o.json = 1;
			break;
		case 'T':
			o.build_seconds = strtod(optarg, &end);
			if (*end || end == optarg || o.build_seconds < 0) {
				kb_errorf("--build-seconds %s: not a number of seconds", optarg);
				return KB_EXIT_USAGE;
			}
			break;
		case 'h':
			fputs(record_usage, stdout);
			return KB_EXIT_OK;
		default:
			return kb_usage(record_usage);
		}
	}
	if (!o.db || !o.repo || !o.commit || !o.config)
		return kb_usage(record_usage);
	if (strcmp(o.status, "ok") && strcmp(o.status, "failed") && strcmp(o.status, "skipped")) {
		kb_errorf("--status %s: not one of ok, failed, skipped", o.status);
		return KB_EXIT_USAGE;
	}
	o.image = optind < argc ? argv[optind] : NULL;
	if (argc - optind > 1 || (!strcmp(o.status, "ok") != !!o.image)) {
		kb_errorf(o.image ? "an IMAGE is recorded only for an ok build" :
				    "an ok build needs its IMAGE");
		return KB_EXIT_USAGE;
	}
	return do_record(&o);
}
