/*
 * chart.h - the headline chart of a config, laid out by kbloat itself: x by committer time
 * with release markers, y in binary units (KiB, MiB: the 1024 the CLI uses), the kernel
 * proper stacked by class with the lines "code and data" (the total less alignment padding)
 * and, where the modular sums exist, "everything modularized (estimate)" and "hard core";
 * the largest regressions and reductions marked in two colours and labelled by sha, author
 * and change in boxes that never overlap, each tied to its point by a leader line.
 *
 * The layout is a scene of primitives in pixels (y down) that two writers draw the same:
 * kb_chart_write_svg (self-contained: each commit's point has a hover card and, given a
 * page, a link to it; a small script of ours, no network) and kb_chart_write_gnuplot (data
 * files a fixed script, plots/scene.gp, draws as PNG). Label boxes are sized from the text's
 * characters at KB_CHART_CHAR_W pixels each, a width that holds sans at KB_CHART_FONT
 * pixels (the SVG fits each label to its box with textLength, so that it never spills).
 *
 * Why committer time: along a first-parent line it is the time each commit landed, so it
 * rises with the line; author time is when a patch was first written and often lies weeks
 * before the commits it lands after. Where a commit's committer time is before its
 * predecessor's (a skewed clock) it is drawn at its predecessor's: x never goes back.
 */
#ifndef KB_REPORT_CHART_H
#define KB_REPORT_CHART_H

#include "strbuf.h"
#include "trend.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define KB_CHART_W 1100
#define KB_CHART_H 580
#define KB_CHART_FONT 11.0
#define KB_CHART_CHAR_W 6.6 /* 0.6 em of KB_CHART_FONT */

/* A marker on the x axis: a release tag, or a --label REF=TEXT. */
struct kb_chart_marker {
	char sha[41];
	char *text;
};

enum kb_chart_anchor { KB_ANCHOR_START, KB_ANCHOR_MIDDLE, KB_ANCHOR_END };

enum kb_chart_kind {
	KB_PRIM_POLY, /* a filled polygon: pts */
	KB_PRIM_LINE, /* a polyline: pts */
	KB_PRIM_RECT, /* x, y, w, h */
	KB_PRIM_TEXT, /* at x, y (its baseline's middle height), anchor, angle */
	KB_PRIM_MARK, /* a marker at x, y: shape */
};

enum kb_chart_role {
	KB_ROLE_PLAIN,
	KB_ROLE_REGRESSION, /* a culprit's box, text, leader line and marker */
	KB_ROLE_REDUCTION,
	KB_ROLE_RELEASE, /* a release marker's line and text */
};

enum kb_chart_shape { KB_SHAPE_UP, KB_SHAPE_DOWN, KB_SHAPE_DOT };

struct kb_chart_prim {
	enum kb_chart_kind kind;
	enum kb_chart_role role;
	unsigned rgb, stroke; /* fill (text: its colour) and outline; 0xRRGGBB */
	double opacity, width; /* fill opacity; line width (0: none) */
	int dashed;
	double *pts; /* x0 y0 x1 y1 ...: npts points */
	size_t npts;
	double x, y, w, h, angle;
	enum kb_chart_anchor anchor;
	enum kb_chart_shape shape;
	char *text;
	const char *sha; /* a culprit's box and text: its build's commit (the build's string) */
};

/* A commit's point, for the hover card and the link. */
struct kb_chart_point {
	double x, y;
	const struct kb_line_build *b;
	int64_t time; /* the committer time it is drawn at */
};

struct kb_chart {
	char *title;
	struct kb_chart_prim *v;
	size_t n, alloc;
	struct kb_chart_point *pts;
	size_t npts;
	size_t dropped; /* culprit labels with no free place (their markers are drawn) */
};

struct kb_chart_opts {
	size_t annotate; /* regressions labelled, and as many reductions */
	const char *total; /* the total line's name (NULL: "kernel proper (total)") */
	const struct kb_chart_marker *markers;
	size_t nmarkers;
};

/* The builds' x, oldest first: a new array of n committer times, none before the one
 * before it (the caller frees it). */
int64_t *kb_chart_times(const struct kb_line_build *builds, size_t n);

/* Lays out the chart of builds[0..n) (oldest first, n >= 1) into *out (kb_chart_release). */
void kb_chart_layout(struct kb_chart *out, const char *title, const struct kb_line_build *builds,
		     size_t n, const struct kb_chart_opts *o);
void kb_chart_release(struct kb_chart *c);

/* A y axis up to range bytes: its unit (1024^k bytes) and the unit's name, and a round
 * step (1, 2 or 5 times a power of ten of the unit, in bytes) giving about 6 ticks. */
struct kb_chart_yscale {
	double unit, step;
	const char *name; /* "B", "KiB", "MiB", "GiB" */
};
void kb_chart_yscale(double range, struct kb_chart_yscale *out);

/* The y axis's label of v bytes at a tick step of step bytes: "1.5 MiB", "512 KiB". */
void kb_chart_bytes(struct strbuf *sb, double v, double step);

/* The href of a build's page into sb (return 1), or 0 when it has none. */
typedef int (*kb_chart_href_fn)(struct strbuf *sb, const char *sha, void *arg);

/* The chart as a standalone SVG document; href (may be NULL) links the commits' points and
 * the culprits' labels. */
void kb_chart_write_svg(FILE *f, const struct kb_chart *c, kb_chart_href_fn href, void *arg);

/*
 * The chart as plots/scene.gp reads it: the polygons (one block each), lines (one block
 * each), rectangles, segments, markers and texts. Their colours and dash flags are numbers
 * in the data; texts are quoted data strings (kb_text, no double quote), never commands.
 */
void kb_chart_write_polys(FILE *f, const struct kb_chart *c);
void kb_chart_write_lines(FILE *f, const struct kb_chart *c);
void kb_chart_write_rects(FILE *f, const struct kb_chart *c);
void kb_chart_write_marks(FILE *f, const struct kb_chart *c);
void kb_chart_write_texts(FILE *f, const struct kb_chart *c);
/* How many blocks kb_chart_write_polys and _lines write. */
size_t kb_chart_count(const struct kb_chart *c, enum kb_chart_kind kind);

#endif
