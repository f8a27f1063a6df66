/*
 * cmd_plot.c - `kbloat plot`: trend charts from the store with gnuplot, per config and the
 * configs side by side (src/report/plot.h draws them).
 */
#include "kbloat.h"

#include "chart.h"
#include "escape.h"
#include "plot.h"
#include "query.h"
#include "store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *db = KB_DEFAULT_DB, *out;
static struct kb_strlist configs;
static struct kb_plot_opts opts = KB_PLOT_OPTS_INIT;
static struct kb_markers_opts mo;
static long top = 8, annotate = 5;
static int json;

static int opt_format(const struct kb_option *opt, const char *arg)
{
	unsigned *formats = opt->value;

	*formats = !strcmp(arg, "png")	? KB_PLOT_PNG :
		   !strcmp(arg, "svg")	? KB_PLOT_SVG :
		   !strcmp(arg, "both") ? KB_PLOT_PNG | KB_PLOT_SVG :
					  0;
	if (!*formats) {
		kb_errorf("--format %s: not png, svg or both", arg);
		return -1;
	}
	return 0;
}

static const struct kb_option options[] = {
	KB_OPT_DB(&db),
	KB_OPT_LIST(0, "config", &configs, "C", "a config to draw (default: all)"),
	KB_OPT_STRING_F(0, "out", &out, "DIR", "the directory the charts go in", KB_OPT_REQUIRED),
	KB_OPT_CALLBACK(0, "format", &opts.formats, "png|svg|both",
			"the images drawn (default png; the SVG has hover cards)", opt_format),
	KB_OPT_POSITIVE(0, "top", &top, "N",
			"subsystems drawn on their own (default 8; the rest are \"other\")"),
	KB_OPT_POSITIVE(0, "annotate", &annotate, "N",
			"regressions labelled with sha, author and change, and as many "
			"reductions (default 5)"),
	KB_OPT_MARKERS(&mo),
	KB_OPT_JSON(&json),
	KB_OPT_END(),
};

static int run(struct kb_ctx *ctx, int argc, const char **argv)
{
	struct kb_store *s = ctx->store;
	struct kb_items it = { 0 };
	struct kb_chart_marker *markers = NULL;
	char **stored = NULL, *outdir;
	size_t nstored = 0, written = 0, nmarkers = 0;
	int rc = KB_EXIT_USAGE;

	(void)argc;
	(void)argv;
	outdir = kb_make_outdir(out);
	if (!outdir)
		goto out;
	opts.top = (size_t)top;
	opts.annotate = (size_t)annotate;
	if (kb_chart_markers(s, mo.repo, mo.tags, &mo.labels, &markers, &nmarkers)) {
		rc = kb_report_error();
		goto out;
	}
	opts.markers = markers;
	opts.nmarkers = nmarkers;
	if ((!configs.n && kb_store_config_names(s, &stored, &nstored)) || kb_items_load(s, &it) ||
	    kb_plot_charts(s, &it, configs.n ? configs.v : (const char *const *)stored,
			   configs.n ? configs.n : nstored, outdir, &opts, &written)) {
		rc = kb_report_error();
		goto out;
	}
	if (json) {
		rc = kb_json_print(json_pack("{s:o,s:I}", "out", kb_json_str(outdir), "charts",
					     (json_int_t)written));
		goto out;
	}
	printf("%zu charts in ", written);
	kb_escape_text(stdout, outdir);
	putchar('\n');
	rc = KB_EXIT_OK;
out:
	kb_items_release(&it);
	kb_store_names_free(stored, nstored);
	kb_strlist_release(&configs);
	kb_strlist_release(&mo.labels);
	kb_chart_markers_free(markers, nmarkers);
	free(outdir);
	return rc;
}

const struct kb_command kb_cmd_plot = {
	.name = "plot",
	.summary = "trend charts (gnuplot) per config and subsystem",
	.usage = (const char *const[]){ "plot [--db DB] [--config C...] --out DIR "
					"[--format png|svg|both]\n"
					"                   [--top N] [--annotate N] [--repo DIR "
					"[--tags GLOB]] [--label REF=TEXT...] [--json]",
					NULL },
	.options = options,
	.max_args = 0,
	.setup = KB_SETUP_STORE | KB_SETUP_STORE_READ,
	.db = &db,
	.run = run,
};
