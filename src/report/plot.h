/*
 * plot.h - trend charts of the store. The headline chart (CONFIG-size) is laid out by
 * kbloat (chart.h) and written as SVG by it, as PNG by gnuplot; the others are drawn by
 * gnuplot. kbloat writes the data files; the
 * scripts in plots/ draw them. gnuplot runs from an argument vector (no shell), in a
 * directory of kbloat's own on fixed file names, and is given no text but ours: every
 * string it draws (a title, a config name, an author, a subsystem) is data it reads, in a
 * data file's double quotes (which it cannot end) and printable (kb_text).
 *
 * Every chart's x axis is the builds' committer time (chart.h says why), its y axis in
 * KiB, MiB or GiB. Per config (CONFIG: kb_file_name of its name, unique among the configs):
 * CONFIG-size.{dat,png,svg} (size per commit stacked by class, the lines of chart.h, the
 * largest regressions and reductions labelled, release markers) with
 * CONFIG-regressions.dat (the largest regressions), CONFIG-proper (the
 * kernel proper, code and data, everything modularized and the hard core as lines, then the
 * bytes in modules and the boot image's (collect --modules, --boot-image), each but the first
 * where builds have them: store_options.h's series), and CONFIG-subsystems
 * (the top subsystems of the newest build stacked, the rest "other"); with several configs,
 * compare (their totals side by side, on the first config's commits).
 */
#ifndef KB_REPORT_PLOT_H
#define KB_REPORT_PLOT_H

#include "chart.h"
#include "strbuf.h"
#include "trend.h"
#include "query.h"
#include "store.h"

#include <stddef.h>
#include <stdio.h>
#include <stdint.h>

enum kb_plot_format {
	KB_PLOT_PNG = 1 << 0,
	KB_PLOT_SVG = 1 << 1,
};

struct kb_plot_config;

/* The href of the page of commit sha in config c into sb (return 1), or 0: none. */
typedef int (*kb_plot_href_fn)(struct strbuf *sb, const struct kb_plot_config *c, const char *sha,
			       void *arg);

struct kb_plot_opts {
	unsigned formats; /* KB_PLOT_PNG, KB_PLOT_SVG or both */
	unsigned size_formats; /* the size chart's, when not 0 (the site's: both) */
	size_t top; /* subsystems drawn on their own; the rest are "other" */
	size_t annotate; /* regressions labelled with sha, author and change, and reductions */
	const struct kb_chart_marker *markers; /* release tags and --label markers */
	size_t nmarkers;
	kb_plot_href_fn href; /* NULL: the SVG's points link nowhere */
	void *href_arg;
};

#define KB_PLOT_TOP 8

/* `kbloat plot`'s defaults */
#define KB_PLOT_OPTS_INIT                                                 \
	{                                                                 \
		.formats = KB_PLOT_PNG, .top = KB_PLOT_TOP, .annotate = 5 \
	}

/* One config's charts: its line of builds and its subsystems per build. */
struct kb_plot_config {
	char *name;
	char *slug; /* its charts' file names start so: kb_file_name's, unique in the plot */
	struct kb_line_build *builds; /* oldest first; at least one */
	size_t n;
	int64_t *times; /* each build's x: kb_chart_times */
	/* the top subsystems of the newest build, largest first, and per build ntop + 1
	 * sums (build i's at cols[i * (ntop + 1)]): each top subsystem's, then the rest's */
	char **subsystems;
	size_t ntop;
	uint64_t *cols;
};

struct kb_plot {
	struct kb_plot_config *v;
	size_t n;
};

/*
 * Reads the charts of the configs names[0..n) (with the items it, as kb_items_load loads
 * them) with the top subsystems each, into a new *out the caller frees with kb_plot_free.
 * A config that is not recorded, or has no ok build, is an error; nothing is handed back
 * then.
 */
int kb_plot_build(struct kb_plot **out, struct kb_store *s, const struct kb_items *it,
		  const char *const *names, size_t n, size_t top);
void kb_plot_free(struct kb_plot *m);

/* The data files, as gnuplot reads them. annotate: how many regressions to list. */
void kb_plot_write_size(FILE *f, const struct kb_plot_config *c);
void kb_plot_write_regressions(FILE *f, const struct kb_plot_config *c, size_t annotate);
void kb_plot_write_subsystems(FILE *f, const struct kb_plot_config *c);
/* A header row of the series' names, then time and a value per series (NaN: none). The
 * files' first column is each build's committer time as the charts draw it (chart.h). */
void kb_plot_write_proper(FILE *f, const struct kb_plot_config *c);
void kb_plot_write_compare(FILE *f, const struct kb_plot *m);

/*
 * Writes each chart's data files into outdir and has gnuplot draw them in o->formats
 * (compare only with several configs). Adds the number of images drawn to *written.
 */
int kb_plot_draw(const struct kb_plot *m, const char *outdir, const struct kb_plot_opts *o,
		 size_t *written);

/* kb_plot_build, kb_plot_draw and kb_plot_free, with o->top. */
int kb_plot_charts(struct kb_store *s, const struct kb_items *it, const char *const *names,
		   size_t n, const char *outdir, const struct kb_plot_opts *o, size_t *written);

#endif
