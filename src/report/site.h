/*
 * site.h - a static site from the store that needs no server: an index with each config's
 * charts, a wall of the largest regressions and a wall of thanks for the largest
 * reductions; a page per commit (what `kbloat show` prints of its build) and per subsystem
 * (what `kbloat history --subsystem S` prints), both rendered in-process from their
 * reports. Each config's size chart is an SVG whose points link their commits' pages.
 * Everything that comes from a repository or a database (names, subjects, paths,
 * symbols, the pages' text) is HTML-escaped with kb_escape_html; file names are built from
 * shas of 40 hex digits (a build with any other sha gets no page) and kb_file_name's names
 * only, and pages are written without following a symbolic link.
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

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct kb_site_opts {
	size_t walls; /* rows on each wall */
	size_t pages; /* commit pages per config besides the walls': its newest builds' */
	const struct kb_chart_marker *markers; /* on the size charts' x axes */
	size_t nmarkers;
};

/* `kbloat site`'s defaults */
#define KB_SITE_OPTS_INIT                 \
	{                                 \
		.walls = 20, .pages = 100 \
	}

/* A build on a wall, and what grew most in it. */
struct kb_site_row {
	struct kb_wall_row b;
	struct kb_change *syms; /* the symbols that grew most, at most 3 */
	size_t nsyms;
	struct kb_change *subs; /* the subsystem that grew most, if any grew */
	size_t nsubs;
};

struct kb_site_config {
	char *name;
	char *slug; /* name made safe for a file name */
	int64_t id;
	struct kb_site_row *regressions, *reductions;
	size_t nregressions, nreductions;
	/* the commits with a page, each once: the newest builds', then the walls' */
	struct kb_strtab commits;
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
};

/* What kb_site_write made. */
struct kb_site_stats {
	size_t pages; /* the index, the commit pages and the subsystem pages */
	size_t charts; /* images gnuplot drew */
};

/*
 * Reads the site of the configs names[0..n) (with the items it, as kb_items_load loads
 * them) into a new *out the caller frees with kb_site_free. A config that is not recorded,
 * or has no ok build to chart, is an error; nothing is handed back then.
 */
int kb_site_build(struct kb_site **out, struct kb_store *s, const struct kb_items *it,
		  const char *const *names, size_t n, const struct kb_site_opts *o);
void kb_site_free(struct kb_site *m);

/* index.html: the charts, the walls and the subsystems of each config, linking the pages. */
void kb_site_write_index(FILE *f, const struct kb_site *m);

/*
 * Writes the site into the directory outdir (which exists): index.html, charts/,
 * commit/SHA-CONFIG.html and subsystem/SUBSYSTEM-CONFIG.html, whose reports it builds from s
 * one page at a time. Fills *st.
 */
int kb_site_write(const struct kb_site *m, struct kb_store *s, const char *outdir,
		  struct kb_site_stats *st);

#endif
