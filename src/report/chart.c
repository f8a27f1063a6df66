/*
 * chart.c - the headline chart's layout (scales, ticks, series, culprit labels placed so
 * that no two boxes meet) and its two writers, SVG and gnuplot data; see chart.h.
 */
#include "chart.h"

#include "escape.h"
#include "xalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* the plot area, in pixels; the legend is right of it */
#define PL 80.0
#define PR (KB_CHART_W - 250.0)
#define PT 44.0
#define PB (KB_CHART_H - 64.0)
#define LABEL_H (KB_CHART_FONT + 6.0)
#define LABEL_PAD 3.0
#define GAP 3.0 /* between two label boxes, at least */

#define STR(x) #x
#define XSTR(x) STR(x)
#define KB_CHART_STR_W XSTR(KB_CHART_W)
#define KB_CHART_STR_H XSTR(KB_CHART_H)

#define RGB_REGRESSION 0xd62728
#define RGB_REDUCTION 0x2ca02c
#define RGB_AXIS 0x444444
#define RGB_GRID 0xdddddd
#define RGB_RELEASE 0x555555

/* the classes stacked from the axis up, as plots/size.gp drew them */
static const struct {
	const char *name;
	unsigned rgb;
	int first, last; /* the kb_cls range summed */
} stack[] = {
	{ "text", 0x1b9e77, 0, 0 }, { "rodata", 0x66a61e, 1, 1 },
	{ "data", 0xe7298a, 2, 2 }, { "bss", 0x7570b3, 3, 3 },
	{ "init", 0xe6ab02, 4, 4 }, { "percpu+other", 0xb0b0b0, 5, 6 },
};
#define NSTACK (sizeof(stack) / sizeof(*stack))

struct scale {
	double t0, t1; /* the x range, seconds */
	double ymax; /* bytes at PT */
};

static double px(const struct scale *s, double t)
{
	return PL + (t - s->t0) / (s->t1 - s->t0) * (PR - PL);
}

static double py(const struct scale *s, double v)
{
	return PB - v / s->ymax * (PB - PT);
}

static struct kb_chart_prim *add(struct kb_chart *c, enum kb_chart_kind kind)
{
	struct kb_chart_prim *p;

	if (c->n == c->alloc) {
		c->alloc = c->alloc ? 2 * c->alloc : 64;
		c->v = xrealloc(c->v, c->alloc * sizeof(*c->v));
	}
	p = &c->v[c->n++];
	memset(p, 0, sizeof(*p));
	p->kind = kind;
	p->opacity = 1;
	return p;
}

static void add_pt(struct kb_chart_prim *p, double x, double y)
{
	p->pts = xrealloc(p->pts, (p->npts + 1) * 2 * sizeof(*p->pts));
	p->pts[2 * p->npts] = x;
	p->pts[2 * p->npts + 1] = y;
	p->npts++;
}

static void add_seg(struct kb_chart *c, double x0, double y0, double x1, double y1, unsigned rgb,
		    double width, int dashed, enum kb_chart_role role)
{
	struct kb_chart_prim *p = add(c, KB_PRIM_LINE);

	p->stroke = rgb;
	p->width = width;
	p->dashed = dashed;
	p->role = role;
	add_pt(p, x0, y0);
	add_pt(p, x1, y1);
}

static struct kb_chart_prim *add_text(struct kb_chart *c, double x, double y, const char *s,
				      unsigned rgb, enum kb_chart_anchor anchor, double angle,
				      enum kb_chart_role role)
{
	struct kb_chart_prim *p = add(c, KB_PRIM_TEXT);

	p->x = x;
	p->y = y;
	p->rgb = rgb;
	p->anchor = anchor;
	p->angle = angle;
	p->role = role;
	p->text = xstrdup(s);
	return p;
}

static struct kb_chart_prim *add_rect(struct kb_chart *c, double x, double y, double w, double h,
				      unsigned fill, unsigned stroke, double width)
{
	struct kb_chart_prim *p = add(c, KB_PRIM_RECT);

	p->x = x;
	p->y = y;
	p->w = w;
	p->h = h;
	p->rgb = fill;
	p->stroke = stroke;
	p->width = width;
	return p;
}

/* Characters of s as it is shown (kb_text's: a byte that is not UTF-8 shows as \xNN). */
static size_t text_chars(const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	size_t n = 0, i, k;

	kb_text(&sb, s);
	for (i = 0; i < sb.len; i += k, n++) {
		k = kb_utf8_len(sb.buf + i);
		if (!k)
			k = 1;
	}
	strbuf_release(&sb);
	return n;
}

static double text_w(const char *s)
{
	return (double)text_chars(s) * KB_CHART_CHAR_W;
}

void kb_chart_bytes(struct strbuf *sb, double v, double step)
{
	static const struct {
		double unit;
		const char *name;
	} units[] = { { 1024.0 * 1024 * 1024, "GiB" },
		      { 1024.0 * 1024, "MiB" },
		      { 1024.0, "KiB" } };
	double unit = 1, s;
	const char *name = "B";
	size_t k;
	int prec;

	for (k = 0; k < sizeof(units) / sizeof(*units); k++) {
		if (step >= units[k].unit / 10) {
			unit = units[k].unit;
			name = units[k].name;
			break;
		}
	}
	s = step / unit;
	prec = s >= 0.999 ? 0 : s >= 0.0999 ? 1 : 2;
	if (v == 0)
		strbuf_addstr(sb, "0");
	else
		strbuf_addf(sb, "%.*f %s", prec, v / unit, name);
}

void kb_chart_yscale(double range, struct kb_chart_yscale *out)
{
	double raw, mag, m;

	out->unit = range >= 1024.0 * 1024 * 1024 ? 1024.0 * 1024 * 1024 :
		    range >= 1024.0 * 1024	  ? 1024.0 * 1024 :
		    range >= 1024.0		  ? 1024.0 :
						    1;
	out->name = out->unit >= 1024.0 * 1024 * 1024 ? "GiB" :
		    out->unit >= 1024.0 * 1024	      ? "MiB" :
		    out->unit >= 1024.0		      ? "KiB" :
							"B";
	raw = range / out->unit / 6;
	out->step = out->unit;
	if (raw <= 0)
		return;
	mag = pow(10, floor(log10(raw)));
	m = raw / mag;
	m = m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10;
	out->step = m * mag * out->unit;
}

static double y_step(double range)
{
	struct kb_chart_yscale y;

	kb_chart_yscale(range, &y);
	return y.step;
}

static void y_axis(struct kb_chart *c, struct scale *s, double top)
{
	struct strbuf sb = STRBUF_INIT;
	double step = y_step(top), v;

	s->ymax = ceil(top / step) * step;
	if (s->ymax <= 0)
		s->ymax = step;
	for (v = 0; v <= s->ymax * (1 + 1e-9); v += step) {
		double y = py(s, v);

		add_seg(c, PL, y, PR, y, RGB_GRID, 1, 0, KB_ROLE_PLAIN);
		strbuf_reset(&sb);
		kb_chart_bytes(&sb, v, step);
		add_text(c, PL - 6, y, sb.buf, RGB_AXIS, KB_ANCHOR_END, 0, KB_ROLE_PLAIN);
	}
	strbuf_release(&sb);
}

static void x_axis(struct kb_chart *c, const struct scale *s)
{
	static const double steps[] = { 60,
					300,
					900,
					1800,
					3600,
					3 * 3600,
					6 * 3600,
					12 * 3600,
					86400,
					2 * 86400,
					7 * 86400,
					14 * 86400,
					30 * 86400,
					91 * 86400,
					182 * 86400,
					365 * 86400.0,
					730 * 86400.0,
					1826 * 86400.0,
					3652 * 86400.0 };
	size_t k, nsteps = sizeof(steps) / sizeof(*steps);
	double step = steps[nsteps - 1], t;
	char buf[64];

	for (k = 0; k < nsteps; k++)
		if ((s->t1 - s->t0) / steps[k] <= 7) {
			step = steps[k];
			break;
		}
	for (t = ceil(s->t0 / step) * step; t <= s->t1; t += step) {
		time_t tt = (time_t)t;
		struct tm tm;
		double x = px(s, t);

		gmtime_r(&tt, &tm);
		strftime(buf, sizeof(buf),
			 step < 86400	      ? "%Y-%m-%d %H:%M" :
			 step < 365 * 86400.0 ? "%Y-%m-%d" :
						"%Y",
			 &tm);
		add_seg(c, x, PB, x, PB + 5, RGB_AXIS, 1, 0, KB_ROLE_PLAIN);
		add_text(c, x, PB + 16, buf, RGB_AXIS, KB_ANCHOR_MIDDLE, 0, KB_ROLE_PLAIN);
	}
	add_seg(c, PL, PB, PR, PB, RGB_AXIS, 1, 0, KB_ROLE_PLAIN);
	add_seg(c, PL, PT, PL, PB, RGB_AXIS, 1, 0, KB_ROLE_PLAIN);
	add_text(c, (PL + PR) / 2, PB + 38, "committer date (UTC), first-parent line", RGB_AXIS,
		 KB_ANCHOR_MIDDLE, 0, KB_ROLE_PLAIN);
}

/* The builds' x: committer time, never before the previous build's. */
int64_t *kb_chart_times(const struct kb_line_build *b, size_t n)
{
	int64_t *t = xcalloc(n + 1, sizeof(*t));
	size_t i;

	for (i = 0; i < n; i++)
		t[i] = i && b[i].committer_time < t[i - 1] ? t[i - 1] : b[i].committer_time;
	return t;
}

static void areas(struct kb_chart *c, const struct scale *s, const struct kb_line_build *b,
		  const int64_t *t, size_t n)
{
	double *lo = xcalloc(n + 1, sizeof(*lo)), *hi = xcalloc(n + 1, sizeof(*hi));
	size_t k, i;
	int cl;

	for (k = 0; k < NSTACK; k++) {
		struct kb_chart_prim *p = add(c, KB_PRIM_POLY);

		p->rgb = stack[k].rgb;
		p->opacity = 0.85;
		p->text = xstrdup(stack[k].name);
		for (i = 0; i < n; i++) {
			hi[i] = lo[i];
			for (cl = stack[k].first; cl <= stack[k].last; cl++)
				hi[i] += (double)b[i].cls[cl];
			add_pt(p, px(s, (double)t[i]), py(s, hi[i]));
		}
		for (i = n; i-- > 0;)
			add_pt(p, px(s, (double)t[i]), py(s, lo[i]));
		memcpy(lo, hi, n * sizeof(*lo));
	}
	free(lo);
	free(hi);
}

enum series { SER_TOTAL, SER_CODE, SER_MODULAR, SER_CORE, SER_MODULES, SER_BOOT, SER_NR };

static const struct {
	const char *name;
	unsigned rgb;
	double width;
	int dashed;
} series[] = {
	[SER_TOTAL] = { "kernel proper (total)", 0x222222, 1.5, 0 },
	[SER_CODE] = { "code and data (no padding)", 0x1f4e9c, 2.5, 0 },
	[SER_MODULAR] = { "everything modularized (estimate)", 0xd95f02, 2, 1 },
	[SER_CORE] = { "hard core", 0x7b3294, 2, 1 },
	/* collect --modules, --boot-image (schema 008): drawn only where builds have them */
	[SER_MODULES] = { "in modules (make modules)", 0x1b9e77, 2, 0 },
	[SER_BOOT] = { "boot image (file)", 0xb8860b, 1.5, 1 },
};

static int series_value(const struct kb_line_build *b, enum series k, double *v)
{
	const struct kb_build_series *r = &b->ser;

	switch (k) {
	case SER_TOTAL:
		*v = (double)b->total;
		return 1;
	case SER_CODE:
		*v = (double)(r->total - r->padding);
		return r->has_padding;
	case SER_MODULAR:
		*v = (double)kb_series_modular(r);
		return r->has_modular;
	case SER_MODULES:
		*v = (double)r->mod_total;
		return r->has_modules;
	case SER_BOOT:
		*v = (double)r->boot_bytes;
		return r->has_boot;
	default:
		*v = (double)r->m_core;
		return r->has_modular;
	}
}

/* The series' lines (a break where a build has no value); which series any build has. */
static unsigned lines(struct kb_chart *c, const struct scale *s, const struct kb_line_build *b,
		      const int64_t *t, size_t n)
{
	unsigned have = 0;
	size_t i;
	int k;

	for (k = 0; k < SER_NR; k++) {
		struct kb_chart_prim *p = NULL;
		double v;

		for (i = 0; i < n; i++) {
			if (!series_value(&b[i], k, &v)) {
				p = NULL;
				continue;
			}
			have |= 1u << k;
			if (!p) {
				p = add(c, KB_PRIM_LINE);
				p->stroke = series[k].rgb;
				p->width = series[k].width;
				p->dashed = series[k].dashed;
			}
			add_pt(p, px(s, (double)t[i]), py(s, v));
		}
	}
	return have;
}

struct box {
	double x, y, w, h;
};

static int meets(const struct box *a, const struct box *b)
{
	return a->x < b->x + b->w + GAP && b->x < a->x + a->w + GAP && a->y < b->y + b->h + GAP &&
	       b->y < a->y + a->h + GAP;
}

static int free_at(const struct box *bx, const struct box *taken, size_t n)
{
	size_t i;

	if (bx->x < PL + 1 || bx->x + bx->w > PR - 1 || bx->y < PT + 1 || bx->y + bx->h > PB - 1)
		return 0;
	for (i = 0; i < n; i++)
		if (meets(bx, &taken[i]))
			return 0;
	return 1;
}

/*
 * A free place for a box of w x h tied to (ax, ay): right of the anchor, else left of it,
 * stepped away from the curve (up for a regression, down for a reduction) a box height at
 * a time, then the other way; failing those, the free place nearest the anchor on a grid
 * of the plot area. Returns 0 when there is none.
 */
static int place(struct box *out, double ax, double ay, double w, double h, int up,
		 const struct box *taken, size_t n)
{
	double best = -1, gx, gy;
	struct box bx = { 0, 0, w, h };
	int dir, k, side;

	for (dir = 0; dir < 2; dir++) {
		int sign = (up ? -1 : 1) * (dir ? -1 : 1);

		for (k = 0; k < 60; k++) {
			double off = 14 + k * (h + GAP);

			bx.y = sign < 0 ? ay - off - h : ay + off;
			if (bx.y < PT - h || bx.y > PB)
				break;
			for (side = 0; side < 2; side++) {
				bx.x = side ? ax - 6 - w : ax + 6;
				if (free_at(&bx, taken, n)) {
					*out = bx;
					return 1;
				}
			}
		}
	}
	for (gy = PT + 1; gy + h <= PB - 1; gy += 4) {
		for (gx = PL + 1; gx + w <= PR - 1; gx += 4) {
			double dx = gx + w / 2 - ax, dy = gy + h / 2 - ay, d = dx * dx + dy * dy;

			bx.x = gx;
			bx.y = gy;
			if ((best < 0 || d < best) && free_at(&bx, taken, n)) {
				best = d;
				*out = bx;
			}
		}
	}
	return best >= 0;
}

/* The total's line as small boxes a label must not cover: the points and every few pixels
 * between them. Appended to *taken (of n). */
static size_t curve(const struct scale *s, const struct kb_line_build *b, const int64_t *t,
		    size_t n, struct box **taken, size_t nt)
{
	size_t i, alloc = nt + 1;
	double x0, y0, x1, y1, d, k, steps;

	for (i = 0; i < n; i++) {
		x1 = px(s, (double)t[i]);
		y1 = py(s, (double)b[i].total);
		if (!i) {
			x0 = x1;
			y0 = y1;
		}
		d = hypot(x1 - x0, y1 - y0);
		steps = ceil(d / 6) + 1;
		for (k = 0; k < steps; k++) {
			double x = x0 + (x1 - x0) * k / steps, y = y0 + (y1 - y0) * k / steps;

			if (nt + 1 >= alloc) {
				alloc = 2 * alloc + 16;
				*taken = xrealloc(*taken, alloc * sizeof(**taken));
			}
			(*taken)[nt++] = (struct box){ x - 3, y - 3, 6, 6 };
		}
		x0 = x1;
		y0 = y1;
	}
	if (n) {
		if (nt + 1 >= alloc)
			*taken = xrealloc(*taken, (nt + 2) * sizeof(**taken));
		(*taken)[nt++] = (struct box){ x0 - 3, y0 - 3, 6, 6 };
	}
	return nt;
}

/* The end of a leader line from (ax, ay) on the box's edge: its nearest point. */
static void nearest(const struct box *b, double ax, double ay, double *x, double *y)
{
	*x = ax < b->x ? b->x : ax > b->x + b->w ? b->x + b->w : ax;
	*y = ay < b->y ? b->y : ay > b->y + b->h ? b->y + b->h : ay;
}

static int cmp_delta(const void *a, const void *b, void *arg)
{
	const struct kb_line_build *v = arg;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	int64_t dx = v[x].delta < 0 ? -v[x].delta : v[x].delta;
	int64_t dy = v[y].delta < 0 ? -v[y].delta : v[y].delta;

	return dx < dy ? 1 : dx > dy ? -1 : (x > y) - (x < y);
}

static int cmp_index(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return (x > y) - (x < y);
}

/* The builds labelled: the largest regressions and reductions, annotate of each, by x. */
static size_t culprits(const struct kb_line_build *b, size_t n, size_t annotate, size_t **out)
{
	size_t *order = xcalloc(n + 1, sizeof(*order)),
	       *pick = xcalloc(2 * annotate + 1, sizeof(*pick));
	size_t i, nreg = 0, nred = 0, np = 0;

	for (i = 0; i < n; i++)
		order[i] = i;
	qsort_r(order, n, sizeof(*order), cmp_delta, (void *)b);
	for (i = 0; i < n; i++) {
		const struct kb_line_build *x = &b[order[i]];

		if (!x->has_parent || !x->delta)
			continue;
		if (x->delta > 0 && nreg < annotate)
			pick[np++] = order[i], nreg++;
		else if (x->delta < 0 && nred < annotate)
			pick[np++] = order[i], nred++;
	}
	qsort(pick, np, sizeof(*pick), cmp_index);
	free(order);
	*out = pick;
	return np;
}

/* s as shown (kb_text), cut to max characters and more added where it was cut (a box has
 * a width to keep). */
static const char *text_cut(struct strbuf *sb, const char *s, size_t max, const char *more)
{
	size_t i, k, n = 0;

	kb_text(sb, s ? s : "");
	for (i = 0; i < sb->len; i += k, n++) {
		k = kb_utf8_len(sb->buf + i);
		if (!k)
			k = 1;
		if (n == max) {
			strbuf_setlen(sb, i);
			strbuf_addstr(sb, more);
			break;
		}
	}
	return sb->buf;
}

#define LABEL_AUTHOR 24 /* characters of an author's name on a label */
#define MARKER_TEXT 40 /* characters of a release marker's text */

static void culprit_label(struct strbuf *sb, const struct kb_line_build *b)
{
	struct strbuf a = STRBUF_INIT, sha = STRBUF_INIT;

	strbuf_addf(sb, "%s %s %+lld", text_cut(&sha, b->sha, 8, ""),
		    text_cut(&a, b->author, LABEL_AUTHOR, "..."), (long long)b->delta);
	strbuf_release(&a);
	strbuf_release(&sha);
}

static void labels(struct kb_chart *c, const struct scale *s, const struct kb_line_build *b,
		   const int64_t *t, size_t n, struct box *taken, size_t ntaken, size_t annotate)
{
	struct strbuf sb = STRBUF_INIT;
	size_t *pick, np = culprits(b, n, annotate, &pick), k;

	taken = xrealloc(taken, (ntaken + np + 1) * sizeof(*taken));
	for (k = 0; k < np; k++) {
		const struct kb_line_build *x = &b[pick[k]];
		int up = x->delta > 0;
		enum kb_chart_role role = up ? KB_ROLE_REGRESSION : KB_ROLE_REDUCTION;
		unsigned rgb = up ? RGB_REGRESSION : RGB_REDUCTION;
		double ax = px(s, (double)t[pick[k]]), ay = py(s, (double)x->total), lx, ly;
		struct kb_chart_prim *m = add(c, KB_PRIM_MARK), *r;
		struct box bx;

		m->x = ax;
		m->y = ay;
		m->rgb = rgb;
		m->shape = up ? KB_SHAPE_UP : KB_SHAPE_DOWN;
		m->role = role;
		strbuf_reset(&sb);
		culprit_label(&sb, x);
		if (!place(&bx, ax, ay, text_w(sb.buf) + 2 * LABEL_PAD, LABEL_H, up, taken,
			   ntaken)) {
			c->dropped++;
			continue;
		}
		taken[ntaken++] = bx;
		nearest(&bx, ax, ay, &lx, &ly);
		add_seg(c, ax, ay, lx, ly, rgb, 1, 0, role);
		r = add_rect(c, bx.x, bx.y, bx.w, bx.h, 0xffffff, rgb, 1);
		r->role = role;
		r->sha = x->sha;
		r = add_text(c, bx.x + LABEL_PAD, bx.y + bx.h / 2, sb.buf, 0x111111,
			     KB_ANCHOR_START, 0, role);
		r->w = bx.w - 2 * LABEL_PAD;
		r->sha = x->sha;
	}
	free(pick);
	free(taken);
	strbuf_release(&sb);
}

/* The release markers on the line: a dashed line and the text down from the top. Each
 * text's box is taken, so that no culprit label covers it. */
static size_t releases(struct kb_chart *c, const struct scale *s, const struct kb_line_build *b,
		       const int64_t *t, size_t n, const struct kb_chart_opts *o, struct box **out)
{
	struct box *taken = xcalloc(o->nmarkers + 1, sizeof(*taken));
	struct strbuf sb = STRBUF_INIT;
	size_t k, i, j, nt = 0;

	for (k = 0; k < o->nmarkers; k++) {
		const struct kb_chart_marker *m = &o->markers[k];
		struct box bx;
		double x, len;

		for (i = 0; i < n && strcmp(b[i].sha, m->sha); i++)
			;
		if (i == n)
			continue;
		x = px(s, (double)t[i]);
		text_cut(&sb, m->text, MARKER_TEXT, "...");
		len = text_w(sb.buf);
		bx = (struct box){ x + 3, PT + 2, KB_CHART_FONT + 2, len + 4 };
		add_seg(c, x, PT, x, PB, RGB_RELEASE, 1, 1, KB_ROLE_RELEASE);
		/* a marker's text where another's is (tags a day apart on a decade) is left out:
		 * its line says where it is */
		for (j = 0; j < nt && !meets(&bx, &taken[j]); j++)
			;
		if (j < nt)
			continue;
		add_text(c, x + 4 + KB_CHART_FONT / 2, PT + 4, sb.buf, RGB_RELEASE, KB_ANCHOR_START,
			 90, KB_ROLE_RELEASE)
			->w = len;
		taken[nt++] = bx;
	}
	strbuf_release(&sb);
	*out = taken;
	return nt;
}

static void legend(struct kb_chart *c, unsigned have, const struct kb_chart_opts *o)
{
	int marks = o->annotate > 0;
	double x = PR + 18, y = PT + 6;
	size_t k;
	int i;

	for (i = SER_NR; i-- > 0; y += 18) {
		if (!(have & (1u << i))) {
			y -= 18;
			continue;
		}
		add_seg(c, x, y, x + 24, y, series[i].rgb, series[i].width, series[i].dashed,
			KB_ROLE_PLAIN);
		add_text(c, x + 30, y, i == SER_TOTAL && o->total ? o->total : series[i].name,
			 RGB_AXIS, KB_ANCHOR_START, 0, KB_ROLE_PLAIN);
	}
	for (k = NSTACK; k-- > 0; y += 18) {
		struct kb_chart_prim *r = add_rect(c, x, y - 6, 24, 12, stack[k].rgb, 0, 0);

		r->opacity = 0.85;
		add_text(c, x + 30, y, stack[k].name, RGB_AXIS, KB_ANCHOR_START, 0, KB_ROLE_PLAIN);
	}
	for (i = 0; i < 2 && marks; i++, y += 18) {
		struct kb_chart_prim *m = add(c, KB_PRIM_MARK);

		m->x = x + 12;
		m->y = y;
		m->rgb = i ? RGB_REDUCTION : RGB_REGRESSION;
		m->shape = i ? KB_SHAPE_DOWN : KB_SHAPE_UP;
		add_text(c, x + 30, y, i ? "reduction" : "regression", RGB_AXIS, KB_ANCHOR_START, 0,
			 KB_ROLE_PLAIN);
	}
}

void kb_chart_layout(struct kb_chart *out, const char *title, const struct kb_line_build *b,
		     size_t n, const struct kb_chart_opts *o)
{
	int64_t *t = kb_chart_times(b, n);
	struct scale s;
	struct box *taken;
	double top = 1, head, v;
	size_t i, ntaken, nlab = 0;
	unsigned have;
	int k;

	memset(out, 0, sizeof(*out));
	out->title = xstrdup(title);
	s.t0 = (double)t[0];
	s.t1 = (double)t[n - 1];
	if (s.t1 - s.t0 < 3600) {
		s.t0 -= 1800;
		s.t1 += 1800;
	}
	head = (s.t1 - s.t0) * 0.03;
	s.t0 -= head;
	s.t1 += head;
	for (i = 0; i < n; i++) {
		for (k = 0; k < SER_NR; k++)
			if (series_value(&b[i], k, &v) && v > top)
				top = v;
		nlab += b[i].has_parent && b[i].delta > 0;
	}
	/* room above the curve for the regressions' labels, stacked */
	if (nlab > o->annotate)
		nlab = o->annotate;
	head = 24 + (double)nlab * (LABEL_H + GAP);
	if (head > (PB - PT) * 0.5)
		head = (PB - PT) * 0.5;
	y_axis(out, &s, top * (PB - PT) / (PB - PT - head));
	x_axis(out, &s);
	areas(out, &s, b, t, n);
	have = lines(out, &s, b, t, n);
	ntaken = releases(out, &s, b, t, n, o, &taken);
	ntaken = curve(&s, b, t, n, &taken, ntaken);
	out->pts = xcalloc(n + 1, sizeof(*out->pts));
	out->npts = n;
	for (i = 0; i < n; i++) {
		out->pts[i].x = px(&s, (double)t[i]);
		out->pts[i].y = py(&s, (double)b[i].total);
		out->pts[i].b = &b[i];
		out->pts[i].time = t[i];
	}
	labels(out, &s, b, t, n, taken, ntaken, o->annotate);
	legend(out, have, o);
	add_text(out, KB_CHART_W / 2.0, 20, title, 0x111111, KB_ANCHOR_MIDDLE, 0, KB_ROLE_PLAIN);
	free(t);
}

void kb_chart_release(struct kb_chart *c)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		free(c->v[i].pts);
		free(c->v[i].text);
	}
	free(c->v);
	free(c->pts);
	free(c->title);
	memset(c, 0, sizeof(*c));
}

size_t kb_chart_count(const struct kb_chart *c, enum kb_chart_kind kind)
{
	size_t i, n = 0;

	for (i = 0; i < c->n; i++)
		n += c->v[i].kind == kind;
	return n;
}

/* ---- SVG ---- */

static const char *role_class(enum kb_chart_role r)
{
	return r == KB_ROLE_REGRESSION ? "regression" :
	       r == KB_ROLE_REDUCTION  ? "reduction" :
	       r == KB_ROLE_RELEASE    ? "release" :
					 NULL;
}

static void svg_class(FILE *f, const struct kb_chart_prim *p, const char *what)
{
	const char *c = role_class(p->role);

	if (c)
		fprintf(f, " class=\"%s%s%s\"", c, what ? " " : "", what ? what : "");
}

static void svg_prim(FILE *f, const struct kb_chart_prim *p)
{
	static const char *const anchors[] = { "start", "middle", "end" };
	size_t i;

	switch (p->kind) {
	case KB_PRIM_POLY:
	case KB_PRIM_LINE:
		fprintf(f, "<%s points=\"", p->kind == KB_PRIM_POLY ? "polygon" : "polyline");
		for (i = 0; i < p->npts; i++)
			fprintf(f, "%s%.1f,%.1f", i ? " " : "", p->pts[2 * i], p->pts[2 * i + 1]);
		if (p->kind == KB_PRIM_POLY)
			fprintf(f, "\" fill=\"#%06x\" fill-opacity=\"%.2f\" stroke=\"none\"",
				p->rgb, p->opacity);
		else
			fprintf(f, "\" fill=\"none\" stroke=\"#%06x\" stroke-width=\"%.1f\"%s",
				p->stroke, p->width, p->dashed ? " stroke-dasharray=\"6,4\"" : "");
		svg_class(f, p,
			  p->kind == KB_PRIM_LINE && p->role != KB_ROLE_RELEASE ? "leader" : NULL);
		fputs("/>\n", f);
		break;
	case KB_PRIM_RECT:
		fprintf(f,
			"<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#%06x\" "
			"fill-opacity=\"%.2f\"",
			p->x, p->y, p->w, p->h, p->rgb, p->opacity);
		if (p->width > 0)
			fprintf(f, " stroke=\"#%06x\" stroke-width=\"%.1f\"", p->stroke, p->width);
		svg_class(f, p, "label");
		fputs("/>\n", f);
		break;
	case KB_PRIM_TEXT:
		fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" fill=\"#%06x\" text-anchor=\"%s\"", p->x,
			p->y, p->rgb, anchors[p->anchor]);
		if (p->angle)
			fprintf(f, " transform=\"rotate(%.0f %.1f %.1f)\"", p->angle, p->x, p->y);
		if (p->role != KB_ROLE_PLAIN) /* a label or marker, fitted to the box it took */
			fprintf(f, " textLength=\"%.1f\" lengthAdjust=\"spacingAndGlyphs\"", p->w);
		svg_class(f, p, NULL);
		fputc('>', f);
		kb_escape_xml(f, p->text);
		fputs("</text>\n", f);
		break;
	case KB_PRIM_MARK:
		if (p->shape == KB_SHAPE_UP)
			fprintf(f, "<polygon points=\"%.1f,%.1f %.1f,%.1f %.1f,%.1f\"", p->x,
				p->y - 7, p->x - 6, p->y + 4, p->x + 6, p->y + 4);
		else if (p->shape == KB_SHAPE_DOWN)
			fprintf(f, "<polygon points=\"%.1f,%.1f %.1f,%.1f %.1f,%.1f\"", p->x,
				p->y + 7, p->x - 6, p->y - 4, p->x + 6, p->y - 4);
		else
			fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\"", p->x, p->y);
		fprintf(f, " fill=\"#%06x\" stroke=\"#ffffff\" stroke-width=\"1\"", p->rgb);
		svg_class(f, p, "marker");
		fputs("/>\n", f);
		break;
	}
}

/* The hover card: filled from the point's data attributes as text, never as markup. */
static const char svg_script[] =
	"<script type=\"application/ecmascript\"><![CDATA[\n"
	"(function () {\n"
	"  var tip = document.getElementById('tip'), box = document.getElementById('tipbox');\n"
	"  var lines = tip.getElementsByTagName('text');\n"
	"  var keys = ['data-head', 'data-subject', 'data-change'];\n"
	"  function show(e) {\n"
	"    var p = e.currentTarget, w = 0, i, x, y;\n"
	"    for (i = 0; i < lines.length; i++) {\n"
	"      lines[i].textContent = p.getAttribute(keys[i]) || '';\n"
	"      w = Math.max(w, lines[i].getComputedTextLength());\n"
	"    }\n"
	"    x = +p.getAttribute('data-x') + 12; y = +p.getAttribute('data-y') + 12;\n"
	"    if (x + w + 16 > " KB_CHART_STR_W ") x = Math.max(0, x - w - 40);\n"
	"    if (y + 60 > " KB_CHART_STR_H ") y = y - 80;\n"
	"    tip.setAttribute('transform', 'translate(' + x + ' ' + y + ')');\n"
	"    box.setAttribute('width', w + 16);\n"
	"    tip.setAttribute('visibility', 'visible');\n"
	"  }\n"
	"  function hide() { tip.setAttribute('visibility', 'hidden'); }\n"
	"  var pts = document.querySelectorAll('.pt');\n"
	"  for (var i = 0; i < pts.length; i++) {\n"
	"    pts[i].addEventListener('mouseenter', show);\n"
	"    pts[i].addEventListener('mouseleave', hide);\n"
	"  }\n"
	"})();\n"
	"]]></script>\n";

static void svg_attr(FILE *f, const char *name, const char *value)
{
	fprintf(f, " %s=\"", name);
	kb_escape_xml(f, value);
	fputc('"', f);
}

/*
 * The point's hit area: 18 pixels square about it, narrowed to the midpoints between it
 * and its neighbours, so that each of a cluster of commits a few pixels apart keeps a strip
 * of its own to hover and click.
 */
static void svg_hit(FILE *f, const struct kb_chart *c, size_t i)
{
	double x = c->pts[i].x, l = x - 9, r = x + 9;

	if (i && (x + c->pts[i - 1].x) / 2 > l)
		l = (x + c->pts[i - 1].x) / 2;
	if (i + 1 < c->npts && (x + c->pts[i + 1].x) / 2 < r)
		r = (x + c->pts[i + 1].x) / 2;
	if (r - l < 0.01) /* commits at one time: the later one's strip is on top */
		r = l + 0.01;
	fprintf(f,
		"<rect x=\"%.3f\" y=\"%.1f\" width=\"%.3f\" height=\"18\" fill=\"#000000\" "
		"fill-opacity=\"0\"/>",
		l, c->pts[i].y - 9, r - l);
}

static void svg_point(FILE *f, const struct kb_chart *c, size_t i, kb_chart_href_fn href, void *arg)
{
	const struct kb_chart_point *p = &c->pts[i];
	struct strbuf sb = STRBUF_INIT, head = STRBUF_INIT;
	const struct kb_line_build *b = p->b;
	int link = href && href(&sb, b->sha, arg);
	time_t tt = (time_t)b->committer_time;
	struct tm tm;
	char date[32];

	gmtime_r(&tt, &tm);
	strftime(date, sizeof(date), "%Y-%m-%d %H:%M", &tm);
	strbuf_addf(&head, "%.12s %s, ", b->sha, date);
	strbuf_addstr(&head, b->author ? b->author : "");
	fprintf(f, "<%s class=\"pt\"", link ? "a" : "g");
	if (link) {
		svg_attr(f, "href", sb.buf);
		fputs(" target=\"_top\"", f);
	}
	svg_attr(f, "data-sha", b->sha); /* 40 hex digits from the store; escaped all the same */
	fprintf(f, " data-x=\"%.3f\" data-y=\"%.3f\" data-time=\"%lld\"", p->x, p->y,
		(long long)p->time);
	svg_attr(f, "data-head", head.buf);
	svg_attr(f, "data-subject", b->subject ? b->subject : "");
	strbuf_reset(&sb);
	if (b->has_parent)
		strbuf_addf(&sb, "%+lld bytes, total %lld", (long long)b->delta,
			    (long long)b->total);
	else
		strbuf_addf(&sb, "total %lld (no parent build)", (long long)b->total);
	svg_attr(f, "data-change", sb.buf);
	fprintf(f, "><circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"#222222\"/>", p->x, p->y);
	svg_hit(f, c, i);
	fputs("<title>", f);
	kb_escape_xml(f, head.buf);
	fputc('\n', f);
	kb_escape_xml(f, b->subject ? b->subject : "");
	fputc('\n', f);
	kb_escape_xml(f, sb.buf);
	fprintf(f, "</title></%s>\n", link ? "a" : "g");
	strbuf_release(&sb);
	strbuf_release(&head);
}

void kb_chart_write_svg(FILE *f, const struct kb_chart *c, kb_chart_href_fn href, void *arg)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	fprintf(f,
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
		"viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"%.0f\" "
		"dominant-baseline=\"middle\">\n<title>",
		KB_CHART_W, KB_CHART_H, KB_CHART_W, KB_CHART_H, KB_CHART_FONT);
	kb_escape_xml(f, c->title);
	fprintf(f, "</title>\n<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n", KB_CHART_W,
		KB_CHART_H);
	for (i = 0; i < c->n; i++) {
		const struct kb_chart_prim *p = &c->v[i];
		int link = 0;

		strbuf_reset(&sb);
		if (p->sha && href && href(&sb, p->sha, arg)) {
			fputs("<a", f);
			svg_attr(f, "href", sb.buf);
			fputs(" target=\"_top\">", f);
			link = 1;
		}
		svg_prim(f, p);
		if (link)
			fputs("</a>\n", f);
	}
	strbuf_release(&sb);
	fputs("<g id=\"points\">\n", f);
	for (i = 0; i < c->npts; i++)
		svg_point(f, c, i, href, arg);
	fputs("</g>\n<g id=\"tip\" visibility=\"hidden\" pointer-events=\"none\">"
	      "<rect id=\"tipbox\" width=\"200\" height=\"58\" rx=\"4\" fill=\"#ffffee\" "
	      "stroke=\"#444444\"/>"
	      "<text x=\"8\" y=\"12\"/><text x=\"8\" y=\"29\"/><text x=\"8\" y=\"46\"/></g>\n",
	      f);
	fputs(svg_script, f);
	fputs("</svg>\n", f);
}

/* ---- gnuplot data (plots/scene.gp) ---- */

void kb_chart_write_polys(FILE *f, const struct kb_chart *c)
{
	size_t i, k, b = 0;

	fputs("# x y rgb: one block per polygon\n", f);
	for (i = 0; i < c->n; i++) {
		const struct kb_chart_prim *p = &c->v[i];

		if (p->kind != KB_PRIM_POLY)
			continue;
		fputs(b++ ? "\n\n" : "", f);
		for (k = 0; k < p->npts; k++)
			fprintf(f, "%.1f %.1f %u\n", p->pts[2 * k], p->pts[2 * k + 1], p->rgb);
	}
}

/* A culprit's box, leader line and outline, which scene.gp draws over the other lines. */
static int culprit(const struct kb_chart_prim *p)
{
	return p->role == KB_ROLE_REGRESSION || p->role == KB_ROLE_REDUCTION;
}

static void write_segs(FILE *f, const struct kb_chart_prim *p)
{
	size_t k;

	for (k = 0; k + 1 < p->npts; k++)
		fprintf(f, "%.1f %.1f %.1f %.1f %u\n", p->pts[2 * k], p->pts[2 * k + 1],
			p->pts[2 * k + 2] - p->pts[2 * k], p->pts[2 * k + 3] - p->pts[2 * k + 1],
			p->stroke);
}

static void write_outline(FILE *f, const struct kb_chart_prim *p)
{
	fprintf(f,
		"%.1f %.1f %.1f 0 %u\n%.1f %.1f 0 %.1f %u\n%.1f %.1f %.1f 0 %u\n%.1f %.1f 0 %.1f %u\n",
		p->x, p->y, p->w, p->stroke, p->x + p->w, p->y, p->h, p->stroke, p->x + p->w,
		p->y + p->h, -p->w, p->stroke, p->x, p->y + p->h, -p->h, p->stroke);
}

/* Segments: x y dx dy rgb, in five blocks: solid thin, solid thick, dashed thin, dashed
 * thick (scene.gp draws each block's width and dash), then the culprits' leader lines and
 * box outlines, drawn after their boxes. */
void kb_chart_write_lines(FILE *f, const struct kb_chart *c)
{
	int block;
	size_t i;

	fputs("# x y dx dy rgb: solid thin, solid thick, dashed thin, dashed thick, culprits\n", f);
	for (block = 0; block < 5; block++) {
		int dashed = block >= 2, thick = block & 1;

		fputs(block ? "\n\n" : "", f);
		fprintf(f, "-1 -1 0 0 0\n"); /* no block is empty */
		for (i = 0; i < c->n; i++) {
			const struct kb_chart_prim *p = &c->v[i];

			if (block == 4 && culprit(p) && p->kind == KB_PRIM_LINE)
				write_segs(f, p);
			else if (block == 4 && culprit(p) && p->kind == KB_PRIM_RECT)
				write_outline(f, p);
			else if (block < 4 && !culprit(p) && p->kind == KB_PRIM_LINE &&
				 p->dashed == dashed && (p->width > 1.2) == thick)
				write_segs(f, p);
			else if (block == 0 && !culprit(p) && p->kind == KB_PRIM_RECT &&
				 p->width > 0)
				write_outline(f, p);
		}
	}
}

/* Boxes: x y dx dy rgb (centre and half sizes), the legend's then the culprits'. */
void kb_chart_write_rects(FILE *f, const struct kb_chart *c)
{
	int block;
	size_t i;

	fputs("# x y dx dy rgb: centre and half sizes; the legend's, the culprits'\n", f);
	for (block = 0; block < 2; block++) {
		fputs(block ? "\n\n" : "", f);
		fputs("-10 -10 1 1 16777215\n", f);
		for (i = 0; i < c->n; i++) {
			const struct kb_chart_prim *p = &c->v[i];

			if (p->kind == KB_PRIM_RECT && culprit(p) == block)
				fprintf(f, "%.1f %.1f %.1f %.1f %u\n", p->x + p->w / 2,
					p->y + p->h / 2, p->w / 2, p->h / 2, p->rgb);
		}
	}
}

void kb_chart_write_marks(FILE *f, const struct kb_chart *c)
{
	static const int pt[] = { [KB_SHAPE_UP] = 9, [KB_SHAPE_DOWN] = 11, [KB_SHAPE_DOT] = 7 };
	size_t i;

	fputs("# x y pointtype rgb size: the commits' points, then the markers over them\n"
	      "-10 -10 7 16777215 1\n",
	      f);
	for (i = 0; i < c->npts; i++)
		fprintf(f, "%.1f %.1f 7 %u 0.6\n", c->pts[i].x, c->pts[i].y, 0x222222u);
	for (i = 0; i < c->n; i++) {
		const struct kb_chart_prim *p = &c->v[i];

		if (p->kind == KB_PRIM_MARK)
			fprintf(f, "%.1f %.1f %d %u 1.5\n", p->x, p->y, pt[p->shape], p->rgb);
	}
}

/* Texts: x y angle rgb "text", in three blocks by anchor (start, middle, end); gnuplot
 * turns the other way round and reads angles counter-clockwise. */
void kb_chart_write_texts(FILE *f, const struct kb_chart *c)
{
	int a;
	size_t i;

	fputs("# x y angle rgb text: left, centred, right aligned\n", f);
	for (a = 0; a < 3; a++) {
		fputs(a ? "\n\n" : "", f);
		fputs("-10 -10 0 0 \"\"\n", f);
		for (i = 0; i < c->n; i++) {
			const struct kb_chart_prim *p = &c->v[i];

			if (p->kind != KB_PRIM_TEXT || (int)p->anchor != a)
				continue;
			fprintf(f, "%.1f %.1f %.0f %u ", p->x, p->y, -p->angle, p->rgb);
			kb_escape_gnuplot(f, p->text);
			fputc('\n', f);
		}
	}
}
