/*
 * cmd_modular.c - `kbloat modular`: the worklist for whoever drives code out of the core, of
 * a build directory and its tree, or of a collector's build (--db); the analysis is the
 * analyzer's (modular.h), the worklist the report's (worklist.h).
 */
#include "kbloat.h"

#include "analysis.h"
#include "builddir.h"
#include "collect.h"
#include "modular.h"
#include "worklist.h"
#include "error.h"
#include "strbuf.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct modular_opts {
	const char *src, *build, *db, *config, *arch;
	enum kb_worklist_by by;
	long top;
	int json, fragment;
};

/* --db DB: the collector's work tree and the build directory of --config and --arch. */
static void paths_from_db(struct modular_opts *o, struct strbuf *src, struct strbuf *build)
{
	char *key = kb_collect_key(o->config ? o->config : "tinyconfig", kb_collect_arch(o->arch),
				   NULL);

	strbuf_addf(src, "%s.work/src", o->db);
	strbuf_addf(build, "%s.work/build/%s", o->db, key);
	free(key);
	if (!o->src)
		o->src = src->buf;
	if (!o->build)
		o->build = build->buf;
}

/*
 * The breakdown of build's vmlinux with its map (no DWARF: only the padding rows are used),
 * for the sums in bytes of code and data; NULL when it cannot be made (no map: the analysis
 * says so itself), and the report goes without them.
 */
static const struct kb_breakdown *padding_of(const char *build, const char *src,
					     struct kb_analysis **a)
{
	struct strbuf image = STRBUF_INIT, map = STRBUF_INIT;
	struct kb_analysis_opts ao = { 0 };

	strbuf_addf(&image, "%s/vmlinux", build);
	strbuf_addf(&map, "%s/vmlinux.map", build);
	ao.map = map.buf;
	ao.src = src;
	ao.obj = build;
	ao.no_dwarf = 1;
	if (kb_analysis_run(a, image.buf, &ao)) {
		*a = NULL;
		kb_error_clear();
	}
	strbuf_release(&image);
	strbuf_release(&map);
	return *a ? (*a)->bd : NULL;
}

static struct modular_opts o = { .by = KB_WORKLIST_BY_OPTION, .top = 20 };

static int opt_by(const struct kb_option *opt, const char *arg)
{
	if (!strcmp(arg, "option"))
		*(enum kb_worklist_by *)opt->value = KB_WORKLIST_BY_OPTION;
	else if (!strcmp(arg, "dir"))
		*(enum kb_worklist_by *)opt->value = KB_WORKLIST_BY_DIR;
	else if (!strcmp(arg, "subsystem"))
		*(enum kb_worklist_by *)opt->value = KB_WORKLIST_BY_SUBSYSTEM;
	else {
		kb_errorf("--by %s: not option, dir or subsystem", arg);
		return -1;
	}
	return 0;
}

static const struct kb_option options[] = {
	KB_OPT_STRING(0, "src", &o.src, "TREE",
		      "the kernel source tree (Kconfig, Makefiles, MAINTAINERS)"),
	KB_OPT_STRING(0, "build", &o.build, "DIR",
		      "its O= build: vmlinux, vmlinux.map, .config, the object files"),
	KB_OPT_STRING(0, "db", &o.db, "DB",
		      "a collector's database: TREE and DIR are its work tree and the build "
		      "directory of --config (default tinyconfig) and --arch"),
	KB_OPT_STRING(0, "config", &o.config, "NAME", "with --db: which config's build directory"),
	KB_OPT_STRING(0, "arch", &o.arch, "ARCH",
		      "kbuild's ARCH (default: the .config's header; with --db, the "
		      "build directory's, this machine's by default)"),
	KB_OPT_CALLBACK(0, "by", &o.by, "KEY",
			"group the lists by option (default), dir or subsystem", opt_by),
	KB_OPT_COUNT(0, "top", &o.top, "N", "rows per list in text (default 20; 0: all)"),
	KB_OPT_SET_INT(0, "json", &o.json, KB_FMT_JSON,
		       "the whole model as JSON: every object with its Makefile chain"),
	KB_OPT_FORMAT(&o.json),
	KB_OPT_BOOL(0, "fragment", &o.fragment,
		    "a config fragment instead: MODULES=y and every tristate (1) takes to m"),
	KB_OPT_END(),
};

/* BUILD-DIR: --build, and --src unless given (*src_found, the caller's to free). */
static int from_build_dir(const char *arg, char **src_found)
{
	struct kb_input in;

	if (kb_input_find(&in, arg, 1))
		return kb_report_error();
	if (!in.is_dir) {
		kb_input_release(&in);
		kb_errorf("%s: not a build directory (modular wants kbuild's O= directory)", arg);
		return KB_EXIT_USAGE;
	}
	if (!o.src && !in.src) {
		kb_input_release(&in);
		kb_errorf("%s: no source tree found (no source link, no Makefile including one, "
			  "not a tree itself): give --src TREE",
			  arg);
		return KB_EXIT_USAGE;
	}
	if (!o.src)
		o.src = *src_found = in.src;
	in.src = NULL;
	o.build = arg;
	kb_input_release(&in);
	return 0;
}

static int run(struct kb_ctx *ctx, int argc, const char **argv)
{
	struct strbuf dbsrc = STRBUF_INIT, dbbuild = STRBUF_INIT;
	struct kb_modular_opts mo = { NULL, NULL, NULL, NULL };
	struct kb_modular *m = NULL;
	struct kb_analysis *a = NULL;
	struct kb_worklist_opts wo;
	char *src = NULL, *build = NULL, *src_found = NULL;
	int rc = KB_EXIT_USAGE;

	(void)ctx;
	if (argc && (o.build || o.db)) {
		kb_errorf("%s: a build directory and %s exclude each other", argv[0],
			  o.build ? "--build" : "--db");
		return KB_EXIT_USAGE;
	}
	if (argc && (rc = from_build_dir(argv[0], &src_found)))
		return rc;
	rc = KB_EXIT_USAGE;
	if (o.db)
		paths_from_db(&o, &dbsrc, &dbbuild);
	else if (o.config) {
		kb_errorf("--config needs --db (without it, --build names the build)");
		goto out;
	}
	if (o.json && o.fragment) {
		kb_errorf("--%s and --fragment: choose one",
			  o.json == KB_FMT_JSON ? "json" : "format");
		return KB_EXIT_USAGE;
	}
	if (!o.src || !o.build) {
		kb_errorf("modular: needs a build directory (with its tree found, or --src TREE), "
			  "--src TREE and --build DIR, or --db DB");
		kb_usage_print(&kb_cmd_modular, stderr);
		goto out;
	}
	if (kb_open_src(o.src, &src, &mo.maint))
		goto out;
	build = realpath(o.build, NULL);
	if (!build) {
		kb_errorf("%s: not a build directory (--build wants kbuild's O= directory)",
			  o.build);
		goto out;
	}
	mo.src = src;
	mo.build = build;
	mo.arch = o.arch;
	mo.bd = padding_of(build, src, &a);
	if (kb_modular_run(&m, &mo)) {
		rc = kb_report_error();
		goto out;
	}
	if (m->warning[0])
		kb_warnf("%s", m->warning);
	wo.by = o.by;
	wo.top = o.top;
	if (o.json == KB_FMT_JSON) {
		rc = kb_json_print(kb_worklist_json(m, &wo));
	} else if (o.json) { /* as a table: every object, with its category and why */
		rc = kb_table_print(kb_worklist_table(m), o.json);
	} else if (o.fragment) {
		kb_worklist_write_fragment(stdout, m);
		rc = KB_EXIT_OK;
	} else {
		kb_worklist_write_text(stdout, m, &wo);
		rc = KB_EXIT_OK;
	}
out:
	kb_modular_free(m);
	kb_analysis_free(a);
	kb_maint_free(mo.maint);
	free(src);
	free(build);
	free(src_found);
	strbuf_release(&dbsrc);
	strbuf_release(&dbbuild);
	return rc;
}

const struct kb_command kb_cmd_modular = {
	.name = "modular",
	.summary = "what could leave the core: options, bytes, blockers",
	.usage = (const char *const[]){ "modular [options] BUILD-DIR",
					"modular --src TREE --build DIR [options]",
					"modular --db DB [--config NAME] [options]", NULL },
	.options = options,
	.max_args = 1,
	.run = run,
};
