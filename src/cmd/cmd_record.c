/*
 * cmd_record.c - `kbloat record`: analyze one image (or note a failed build) and store it for
 * a commit, for a CI that builds on its own. The commit's metadata and first-parent line come
 * from the repository; the build lands in one transaction.
 */
#include "kbloat.h"
#include "resolve.h"

#include "collect.h"
#include "record.h"
#include "repo.h"
#include "run.h"
#include "store.h"
#include "error.h"
#include "json.h"
#include "strbuf.h"
#include "xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct record_opts {
	const char *db, *repo, *commit, *config, *arch, *base, *fragments, *dotconfig;
	const char *status, *log, *compiler, *linker, *map, *src, *build, *image;
	const char *boot_image; /* the boot image the build made, or NULL */
	double build_seconds;
	int modules; /* the modules of build's modules.order are recorded */
	int json;
};

/* The boot image's name as the store keeps it: relative to the build directory when it is
 * in it (arch/x86/boot/bzImage, as collect records it), else the path as given. */
static const char *boot_name(const char *boot_abs, const char *build, const char *given)
{
	size_t n = build ? strlen(build) : 0;

	if (n && !strncmp(boot_abs, build, n) && boot_abs[n] == '/')
		return boot_abs + n + 1;
	return given;
}

static json_t *record_json(const struct record_opts *o, const char *sha,
			   const struct kb_record_result *res)
{
	return json_pack("{s:o,s:o,s:o,s:s,s:b,s:I}", "commit", kb_json_str(sha), "config",
			 kb_json_str(o->config), "arch", kb_json_str(o->arch), "status", o->status,
			 "already_recorded", res->already, "total", (json_int_t)res->total);
}

static int do_record(struct kb_store *store, const struct record_opts *o)
{
	struct kb_repo *repo = NULL;
	struct kb_record_req req = { 0 };
	struct kb_record_result res;
	char sha[41], *src = NULL, *build = NULL, *boot = NULL;
	int ok = !strcmp(o->status, "ok"), rc = KB_EXIT_USAGE;

	if (kb_repo_open(&repo, o->repo) || kb_repo_resolve(repo, o->commit, sha))
		goto err;
	if (ok && kb_open_src(o->src, &src, &req.maint))
		goto out;
	if (ok && o->build && !(build = realpath(o->build, NULL))) {
		kb_errorf("%s: not a build directory (--build wants kbuild's O= directory)",
			  o->build);
		goto out;
	}
	req.config = o->config;
	req.arch = o->arch;
	req.base = o->base;
	req.fragments = o->fragments;
	req.status = o->status;
	req.image = o->image;
	req.map = o->map;
	req.src = src;
	req.obj = build;
	req.log = o->log;
	req.dotconfig = o->dotconfig;
	req.compiler = o->compiler;
	req.linker = o->linker;
	req.build_seconds = o->build_seconds;
	if (o->boot_image && !(boot = realpath(o->boot_image, NULL))) {
		kb_errorf("--boot-image %s: %s", o->boot_image, strerror(errno));
		goto out;
	}
	if (boot) {
		req.boot_image = boot;
		req.boot_name = boot_name(boot, build, o->boot_image);
	}
	req.modules = o->modules;
	req.no_modules = o->modules && !kb_obj_has_modules(build);
	if (kb_record_build(store, repo, sha, &req, &res) || kb_refs_record(store, repo))
		goto err;
	if (res.warning[0])
		kb_warnf("%s", res.warning);
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
	free(build);
	free(boot);
	kb_repo_free(repo);
	return rc;
}

static struct record_opts o = { .status = "ok" };

static int opt_seconds(const struct kb_option *opt, const char *arg)
{
	char *end;
	double v = strtod(arg, &end);

	if (*end || end == arg || v < 0) {
		kb_errorf("--build-seconds %s: not a number of seconds", arg);
		return -1;
	}
	*(double *)opt->value = v;
	return 0;
}

static const struct kb_option options[] = {
	KB_OPT_STRING_F(0, "db", &o.db, "DB", "the database (created if missing)", KB_OPT_REQUIRED),
	KB_OPT_STRING_F(0, "repo", &o.repo, "REPO", "the kernel repository", KB_OPT_REQUIRED),
	KB_OPT_STRING_F(0, "commit", &o.commit, "REV", "the commit this build is of",
			KB_OPT_REQUIRED),
	KB_OPT_STRING_F(0, "config", &o.config, "NAME", "the config's name", KB_OPT_REQUIRED),
	KB_OPT_ARCH(&o.arch),
	KB_OPT_STRING(
		0, "base", &o.base, "TARGET",
		"the config's base (a config target: tinyconfig, x86_64_defconfig, ...; or a .config file)"),
	KB_OPT_STRING(0, "fragments", &o.fragments, "LIST", "the fragments merged on top of it"),
	KB_OPT_STRING(0, "dotconfig", &o.dotconfig, "FILE",
		      "the resulting .config: its options are stored"),
	KB_OPT_STRING(0, "status", &o.status, "STATUS",
		      "ok (default: needs IMAGE), failed or skipped"),
	KB_OPT_STRING(0, "log", &o.log, "FILE",
		      "the build log; its tail is stored for a failed build"),
	KB_OPT_CALLBACK(0, "build-seconds", &o.build_seconds, "S", "how long the build took",
			opt_seconds),
	KB_OPT_STRING(0, "compiler", &o.compiler, "TEXT", "the compiler's version line"),
	KB_OPT_STRING(0, "linker", &o.linker, "TEXT", "the linker's version line"),
	KB_OPT_STRING(0, "map", &o.map, "FILE", "IMAGE's linker map"),
	KB_OPT_SRC(&o.src),
	KB_OPT_STRING(0, "build", &o.build, "DIR",
		      "IMAGE's O= build directory (its vmlinux, vmlinux.map, .config, objects): "
		      "with --src, the modular analysis is stored too"),
	KB_OPT_STRING(0, "boot-image", &o.boot_image, "FILE",
		      "the boot image the build made (bzImage, Image.gz): its size and compressed "
		      "payload are stored, as collect --boot-image stores them"),
	KB_OPT_BOOL(0, "modules", &o.modules,
		    "the modules --build's modules.order names: their count and bytes are stored, "
		    "as collect --modules stores them"),
	KB_OPT_BOOL(0, "json", &o.json, "print what was recorded as JSON"),
	KB_OPT_END(),
};

static int check(int argc, const char **argv)
{
	if (!o.arch)
		o.arch = kb_host_arch();
	if (strcmp(o.status, "ok") && strcmp(o.status, "failed") && strcmp(o.status, "skipped")) {
		kb_errorf("--status %s: not one of ok, failed, skipped", o.status);
		return KB_EXIT_USAGE;
	}
	if (o.build && !o.src) {
		kb_errorf("--build needs --src (the modular analysis reads the tree's Kconfig and "
			  "Makefiles)");
		return KB_EXIT_USAGE;
	}
	if (o.modules && !o.build) {
		kb_errorf(
			"--modules needs --build (the O= directory whose modules.order names them)");
		return KB_EXIT_USAGE;
	}
	o.image = argc ? argv[0] : NULL;
	if ((o.boot_image || o.modules) && strcmp(o.status, "ok")) {
		kb_errorf("%s: only for an ok build", o.boot_image ? "--boot-image" : "--modules");
		return KB_EXIT_USAGE;
	}
	if (!strcmp(o.status, "ok") != !!o.image) {
		kb_errorf(o.image ? "an IMAGE is recorded only for an ok build" :
				    "an ok build needs its IMAGE");
		return KB_EXIT_USAGE;
	}
	return KB_EXIT_OK;
}

static int run(struct kb_ctx *ctx, int argc, const char **argv)
{
	(void)argc;
	(void)argv;
	return do_record(ctx->store, &o);
}

const struct kb_command kb_cmd_record = {
	.name = "record",
	.summary = "store one build of a commit in the database",
	.usage = (const char *const[]){ "record --db DB --repo REPO --commit REV --config NAME "
					"[options] [IMAGE]",
					NULL },
	.options = options,
	.max_args = 1,
	.setup = KB_SETUP_STORE | KB_SETUP_STORE_CREATE,
	.db = &o.db,
	.check = check,
	.run = run,
};
