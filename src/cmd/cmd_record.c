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
#include "error.h"
#include "strbuf.h"
#include "xalloc.h"

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

static json_t *record_json(const struct record_opts *o, const char *sha,
			   const struct kb_record_result *res)
{
	return json_pack("{s:s,s:s,s:s,s:s,s:b,s:I}", "commit", sha, "config", o->config, "arch",
			 o->arch, "status", o->status, "already_recorded", res->already, "total",
			 (json_int_t)res->total);
}

static int do_record(const struct record_opts *o)
{
	struct kb_store *store = NULL;
	struct kb_repo *repo = NULL;
	struct kb_record_req req = { 0 };
	struct kb_record_result res;
	char sha[41], *src = NULL;
	int ok = !strcmp(o->status, "ok"), rc = KB_EXIT_USAGE;

	if (kb_store_open(&store, o->db, 1) || kb_repo_open(&repo, o->repo) ||
	    kb_repo_resolve(repo, o->commit, sha))
		goto err;
	if (ok && kb_open_src(o->src, &src, &req.maint))
		goto out;
	req.config = o->config;
	req.arch = o->arch;
	req.base = o->base;
	req.fragments = o->fragments;
	req.status = o->status;
	req.image = o->image;
	req.map = o->map;
	req.src = src;
	req.log = o->log;
	req.dotconfig = o->dotconfig;
	req.compiler = o->compiler;
	req.linker = o->linker;
	req.build_seconds = o->build_seconds;
	if (kb_record_build(store, repo, sha, &req, &res))
		goto err;
	if (o->json) {
		rc = kb_json_print(record_json(o, sha, &res));
	} else {
		printf("%s %.12s %s (%s): %s", res.already ? "already recorded" : "recorded", sha,
		       o->config, o->arch, o->status);
		if (ok && !res.already)
			printf(", %llu bytes", (unsigned long long)res.total);
		printf("\n");
		rc = KB_EXIT_OK;
	}
	goto out;
err:
	rc = kb_report_error();
out:
	kb_maint_free(req.maint);
	free(src);
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

/* FIXME(issue 14): parses its own options until it moves onto the option table */
const struct kb_command kb_cmd_record = {
	.name = "record",
	.summary = "store one build of a commit in the database",
	.usage =
		(const char *const[]){
			"record --db DB --repo REPO --commit REV --config NAME [options] [IMAGE]",
			NULL },
	.legacy = cmd_record,
};
