/*
 * cmd_site.c - `kbloat site`: a static site from the store that needs no server (its
 * charts, walls, pages and Atom feed: src/report/site.h). The time it says it was made is
 * SOURCE_DATE_EPOCH's when that is set (reproducible builds' convention), else now.
 */
#include "kbloat.h"

#include "chart.h"
#include "ci.h"
#include "escape.h"
#include "query.h"
#include "site.h"
#include "store.h"
#include "strbuf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static const char *db = KB_DEFAULT_DB, *out, *commit_url, *site_url;
static struct kb_strlist configs;
static struct kb_markers_opts mo;
static long walls = 20, pages = 100;
static int64_t threshold = 4096;
static int json;

static const struct kb_option options[] = {
	KB_OPT_DB(&db),
	KB_OPT_STRING_F(0, "out", &out, "DIR", "the directory the site goes in", KB_OPT_REQUIRED),
	KB_OPT_LIST(0, "config", &configs, "C", "a config to show (default: all)"),
	KB_OPT_POSITIVE(0, "walls", &walls, "N",
			"rows on the walls of regressions and of thanks (default 20)"),
	KB_OPT_POSITIVE(0, "pages", &pages, "N",
			"commit pages per config besides the charts' and walls': the newest N "
			"builds, failed ones included (default 100)"),
	KB_OPT_STRING(0, "commit-url", &commit_url, "TEMPLATE",
		      "link commits upstream: TEMPLATE with %H the sha, %h its first 12 "
		      "characters"),
	KB_OPT_STRING(0, "site-url", &site_url, "URL",
		      "where the site is published: the feed's links are absolute under it"),
	KB_OPT_SIZE(0, "threshold", &threshold, "SIZE",
		    "the feed's regressions: commits that add this much or more (default 4K)"),
	KB_OPT_MARKERS(&mo),
	KB_OPT_JSON(&json),
	KB_OPT_END(),
};

/* When the site says it was made: SOURCE_DATE_EPOCH, if set, else now. */
static int made_at(int64_t *t)
{
	const char *e = getenv("SOURCE_DATE_EPOCH");
	char *end;
	long long v;

	if (!e) {
		*t = (int64_t)time(NULL);
		return 0;
	}
	errno = 0;
	v = strtoll(e, &end, 10);
	if (!*e || *end || errno || v < 0) {
		kb_errorf("SOURCE_DATE_EPOCH=%s: not a number of seconds", e);
		return -1;
	}
	*t = v;
	return 0;
}

static int run(struct kb_ctx *ctx, int argc, const char **argv)
{
	struct kb_site_opts opts = KB_SITE_OPTS_INIT;
	struct kb_store *s = ctx->store;
	struct kb_items it = { 0 };
	struct kb_site *m = NULL;
	struct kb_site_stats st;
	struct kb_chart_marker *markers = NULL;
	char **stored = NULL, *outdir;
	size_t nstored = 0, nmarkers = 0;
	int rc = KB_EXIT_USAGE;

	(void)argc;
	(void)argv;
	opts.walls = (size_t)walls;
	opts.pages = (size_t)pages;
	opts.threshold = threshold;
	opts.commit_url = commit_url;
	opts.site_url = site_url;
	if ((commit_url && kb_ci_check_url(commit_url)) ||
	    (site_url && kb_site_check_url(site_url)))
		return kb_report_error();
	if (made_at(&opts.generated))
		return KB_EXIT_USAGE;
	outdir = kb_make_outdir(out);
	if (!outdir)
		goto out;
	if (kb_chart_markers(s, mo.repo, mo.tags, &mo.labels, &markers, &nmarkers)) {
		rc = kb_report_error();
		goto out;
	}
	opts.markers = markers;
	opts.nmarkers = nmarkers;
	if ((!configs.n && kb_store_config_names(s, &stored, &nstored)) || kb_items_load(s, &it) ||
	    kb_site_build(&m, s, &it, configs.n ? configs.v : (const char *const *)stored,
			  configs.n ? configs.n : nstored, &opts) ||
	    kb_site_write(m, s, outdir, &st)) {
		rc = kb_report_error();
		goto out;
	}
	if (json) {
		struct strbuf index = STRBUF_INIT;

		strbuf_addf(&index, "%s/index.html", outdir);
		rc = kb_json_print(json_pack("{s:o,s:o,s:I,s:I,s:I}", "out", kb_json_str(outdir),
					     "index", kb_json_str(index.buf), "configs",
					     (json_int_t)m->n, "pages", (json_int_t)st.pages,
					     "charts", (json_int_t)st.charts));
		strbuf_release(&index);
		goto out;
	}
	kb_escape_text(stdout, outdir);
	printf("/index.html: %zu configs, %zu pages, %zu charts, %zu feed entries\n", m->n,
	       st.pages, st.charts, st.entries);
	rc = KB_EXIT_OK;
out:
	kb_site_free(m);
	kb_items_release(&it);
	kb_store_names_free(stored, nstored);
	kb_strlist_release(&configs);
	kb_strlist_release(&mo.labels);
	kb_chart_markers_free(markers, nmarkers);
	free(outdir);
	return rc;
}

const struct kb_command kb_cmd_site = {
	.name = "site",
	.summary = "a static site: charts, walls of regressions and thanks, an Atom feed",
	.usage =
		(const char *const[]){
			"site [--db DB] --out DIR [--config C...] [--walls N] "
			"[--pages N]\n"
			"                   [--commit-url TEMPLATE] [--site-url URL] "
			"[--threshold SIZE]\n"
			"                   [--repo DIR [--tags GLOB]] "
			"[--label REF=TEXT...] [--json]",
			NULL },
	.options = options,
	.max_args = 0,
	.setup = KB_SETUP_STORE | KB_SETUP_STORE_READ,
	.db = &db,
	.run = run,
};
