/*
 * site.h - a static site from the store that needs no server: an index saying what it covers
 * (repository, range, configs, arch, toolchains, when it was made), each config's latest size
 * and its change over the last day, week and release, its charts, a wall of the largest
 * regressions and a wall of thanks for the largest reductions, its failed builds; a page per
 * commit (its metadata, previous and next builds, bloat-o-meter's table, the roll-ups by
 * subsystem and file, the options that changed, a failed build's log), per subsystem (its
 * own chart, its largest commits, its history) and per author named on a wall (their
 * regressions and reductions); and feed.xml, an Atom feed of the regressions over a
 * threshold. The pages are rendered in-process from the show and history reports.
 * Each chart is an SVG whose points link their commits' pages; every build a chart draws has
 * a page. The pages carry a viewport and scroll their wide tables in place (phones).
 * Everything that comes from a repository or a database (names, subjects, paths,
 * symbols, the pages' text) is HTML-escaped with kb_escape_html (the feed's with
 * kb_escape_xml); file names are built from shas of 40 hex digits (a build with any other sha
 * gets no page) and kb_file_name's names only, and pages are written without following a
 * symbolic link.
 *
 *	struct kb_site *m;
 *
 *	if (kb_site_build(&m, store, &items, names, n, &opts) ||
 *	    kb_site_write(m, store, outdir, &stats))
 *		...
 *	kb_site_free(m);
 */
#ifndef KB_REPORT_SITE_H
#define KB_REPORT_SITE_H

#include "changes.h"
#include "plot.h"
#include "query.h"
#include "store.h"
#include "strtab.h"
#include "walls.h"
#include "query.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct kb_site_opts {
	size_t walls; /* rows on each wall */
	size_t pages; /* commit pages per config besides the walls': its newest builds' */
	const struct kb_chart_marker *markers; /* on the size charts' x axes */
	size_t nmarkers;
	const char *commit_url; /* upstream links: kb_ci_check_url's template, or NULL */
	const char *site_url; /* where the site is published (kb_site_check_url's), or NULL */
	int64_t threshold; /* the feed's regressions: at least this many bytes */
	int64_t generated; /* when the site says it was made: seconds since the epoch */
	size_t feed; /* entries in the feed at most */
};

/* `kbloat site`'s defaults */
#define KB_SITE_OPTS_INIT                                                \
	{                                                                \
		.walls = 20, .pages = 100, .threshold = 4096, .feed = 50 \
	}

/* A build on a wall, and what grew most in it. */
struct kb_site_row {
	struct kb_wall_row b;
	struct kb_change *syms; /* the symbols that grew (a reduction's: shrank) most, at most 3 */
	size_t nsyms;
	struct kb_change *subs; /* the subsystem that grew most, if any grew */
	size_t nsubs;
	size_t author; /* its author's index in the site's authors */
};

struct kb_site_config {
	char *name;
	char *slug; /* name made safe for a file name */
	int64_t id;
	struct kb_site_row *regressions, *reductions;
	size_t nregressions, nreductions;
	struct kb_wall_row *failed; /* its failed builds, newest first (at most --pages) */
	size_t nfailed;
	struct kb_config_about about;
	const struct kb_plot_config *line; /* its chart: the line of ok builds, oldest first */
	/* the commits with a page, each once: the line's, the newest builds', the walls' and
	 * the failed builds' */
	struct kb_strtab commits;
	/* by id in commits, for a commit off the line (a failed build's, a side branch's):
	 * the index of the line's build before it on its first-parent chain and after it, or
	 * -1 (the line's own builds have their neighbours on the line) */
	long *before, *after;
	/* the largest subsystems of the newest build (at most 20), with a page each, and
	 * their pages' file names (kb_file_names) */
	char **subsystems, **subslugs;
	size_t nsubsystems;
};

struct kb_site {
	struct kb_site_config *v;
	size_t n;
	struct kb_plot *charts; /* drawn into charts/ as PNG, the size charts also as SVG */
	const struct kb_chart_marker *markers; /* kb_site_opts's */
	size_t nmarkers;
	const char *commit_url; /* kb_site_opts's */
	char *site_url; /* kb_site_opts's without its trailing '/', or NULL: the feed's links
			 * are then relative to it */
	int64_t threshold, generated;
	size_t feed;
	char *repo; /* the recorded repository's directory name, or NULL */
	/* the authors named on a wall, each once, and their pages' file names */
	struct kb_strtab authors;
	char **author_slugs;
	const struct kb_items *items; /* kb_site_build's (the caller keeps them) */
};

/* What kb_site_write made. */
struct kb_site_stats {
	size_t pages; /* the index and the commit, subsystem and author pages */
	size_t charts; /* images gnuplot drew, and the subsystems' SVG charts */
	size_t entries; /* the feed's */
};

/*
 * Reads the site of the configs names[0..n) (with the items it, as kb_items_load loads
 * them) into a new *out the caller frees with kb_site_free. A config that is not recorded,
 * or has no ok build to chart, is an error; nothing is handed back then.
 */
int kb_site_build(struct kb_site **out, struct kb_store *s, const struct kb_items *it,
		  const char *const *names, size_t n, const struct kb_site_opts *o);
void kb_site_free(struct kb_site *m);

/* 0 when url can be --site-url: http:// or https:// and a host, in the bytes a URL keeps
 * as they are (no space, quote or angle bracket); else KB_ERR with the error naming it. */
int kb_site_check_url(const char *url);

/* index.html: what the site covers, the latest sizes, and the charts, the walls, the
 * failed builds and the subsystems of each config, linking the pages. */
void kb_site_write_index(FILE *f, const struct kb_site *m);

/* feed.xml: the regressions of at least m->threshold bytes on the configs' lines, newest
 * first, at most m->feed, linking their pages under m->site_url (else relative to the feed);
 * returns how many entries it wrote. */
size_t kb_site_write_feed(FILE *f, const struct kb_site *m);

/*
 * Writes the site into the directory outdir (which exists): index.html, feed.xml, charts/,
 * commit/SHA-CONFIG.html, subsystem/SUBSYSTEM-CONFIG.html and author/AUTHOR.html, whose
 * reports it builds from s one page at a time. Fills *st.
 */
int kb_site_write(const struct kb_site *m, struct kb_store *s, const char *outdir,
		  struct kb_site_stats *st);

#endif
