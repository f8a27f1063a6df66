/*
 * cmd_syms.c - `kbloat syms IMAGE`: where an image's bytes go, by symbol, file, directory,
 * subsystem, section or class. Every listing sums to the image's total: bytes no symbol
 * covers are rows of their own, and rows past --top are summed on one line.
 */
#include "kbloat.h"

#include "analysis.h"
#include "builddir.h"
#include "listing.h"
#include "error.h"
#include "strbuf.h"
#include "xalloc.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static struct kb_listing_opts lo = { .by = -1, .inner = -1, .top = -1 };
static int fmt;
static struct kb_analysis_opts ao;
static const char *src_arg;
static int no_map;

/* --by KEY, or --by OUTER,INNER: two levels */
static int opt_by(const struct kb_option *opt, const char *arg)
{
	const char *comma = strchr(arg, ',');
	char *outer;
	int rc;

	(void)opt;
	lo.inner = -1;
	if (!comma)
		return kb_opt_by(opt, arg);
	outer = xstrndup(arg, (size_t)(comma - arg));
	lo.by = kb_by_parse(outer);
	lo.inner = kb_by_parse(comma + 1);
	free(outer);
	rc = lo.by < 0 || lo.inner < 0 || lo.by == lo.inner ? -1 : 0;
	if (rc)
		kb_errorf("--by %s: not KEY or OUTER,INNER, two different keys of symbol, file, "
			  "dir, subsystem, section, class",
			  arg);
	return rc;
}

static const struct kb_option options[] = {
	KB_OPT_CALLBACK(0, "by", &lo.by, "KEY[,KEY]",
			"roll up by symbol, file, dir, subsystem, section or class (default: "
			"every symbol on its own row); two keys, as file,symbol: each row of the "
			"first broken down by the second",
			opt_by),
	KB_OPT_BOOL(0, "tree", &lo.tree,
		    "with --by dir: the directories as a tree, each with its subdirectories' "
		    "bytes"),
	KB_OPT_COUNT(0, "top", &lo.top, "N",
		     "the N largest rows (of each level), then one row for the rest"),
	KB_OPT_BOOL(0, "percent", &lo.percent,
		    "a column of each row's share of the total (a tree or two levels have it)"),
	KB_OPT_SRC(&src_arg),
	KB_OPT_STRING(0, "map", &ao.map, "FILE",
		      "the GNU ld or lld map of IMAGE: attribution without DWARF"),
	KB_OPT_NO_MAP(&no_map),
	KB_OPT_BOOL(0, "no-dwarf", &ao.no_dwarf, "do not read DWARF (attribute by the map only)"),
	KB_OPT_BOOL(0, "provenance", &lo.provenance,
		    "show how each row got its file (dwarf-decl, dwarf-cu, map, none)"),
	KB_OPT_FORMAT(&fmt),
	KB_OPT_JSON(&fmt),
	KB_OPT_END(),
};

static int check(int argc, const char **argv)
{
	(void)argc;
	(void)argv;
	if (lo.tree && (lo.by != KB_BY_DIR || lo.inner >= 0)) {
		kb_errorf("--tree: only with --by dir");
		return KB_EXIT_USAGE;
	}
	return 0;
}

static int run(struct kb_ctx *ctx, int argc, const char **argv)
{
	struct kb_analysis *a = NULL;
	struct kb_input in;
	char *src = NULL;
	int rc;

	(void)ctx;
	(void)argc;
	rc = kb_open_input(&in, argv[0], no_map || ao.map);
	if (rc)
		return rc;
	rc = kb_open_src(src_arg ? src_arg : in.src, &src, &ao.maint);
	if (rc)
		goto out;
	ao.src = src;
	ao.obj = in.obj;
	if (!ao.map)
		ao.map = in.map;
	if (kb_analysis_run(&a, in.image, &ao)) {
		rc = kb_report_error();
		goto out;
	}
	kb_input_note(&in, src_arg);
	if (a->warning[0])
		kb_warnf("%s", a->warning);
	if (fmt == KB_FMT_JSON) {
		rc = kb_json_print(kb_listing_json(a, &lo));
	} else if (fmt) {
		rc = kb_table_print(kb_listing_table(a, &lo), fmt);
	} else {
		kb_listing_write_text(stdout, a, &lo);
		rc = KB_EXIT_OK;
	}
out:
	kb_analysis_free(a);
	kb_maint_free(ao.maint);
	kb_input_release(&in);
	free(src);
	return rc;
}

const struct kb_command kb_cmd_syms = {
	.name = "syms",
	.summary = "symbols, files, directories or subsystems, largest first",
	.usage = (const char *const[]){ "syms [options] IMAGE|BUILD-DIR", NULL },
	.options = options,
	.min_args = 1,
	.max_args = 1,
	.check = check,
	.run = run,
};
