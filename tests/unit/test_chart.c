/*
 * test_chart.c - the headline chart's layout (src/report/chart.h) on lines of builds made
 * here: the culprits' boxes never meet and stay on the chart however the regressions
 * crowd, each box is tied to its own point, x rises with committer time (never going back
 * on a skewed clock), and the y axis's labels are binary units.
 */
#include "check.h"

#include "chart.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

/* A line of n builds of random changes (seeded), committer times step apart. */
static struct kb_line_build *line(size_t n, unsigned seed, int64_t step)
{
	struct kb_line_build *b = xcalloc(n, sizeof(*b));
	int64_t total = 6 << 20;
	size_t i;

	srand(seed);
	for (i = 0; i < n; i++) {
		int64_t d = i ? (rand() % 80001) - 40000 : 0;

		total += d;
		snprintf(b[i].sha, sizeof(b[i].sha), "%040zx", i + 1);
		b[i].author = "A. Very Long Name Indeed Of Someone";
		b[i].total = total;
		b[i].delta = d;
		b[i].has_parent = i > 0;
		b[i].cls[0] = total / 2;
		b[i].cls[3] = total - total / 2;
		b[i].committer_time = 1767225600 + (int64_t)i * step;
		b[i].ser.total = total;
		b[i].ser.has_padding = 1;
		b[i].ser.padding = total / 3;
	}
	return b;
}

static int role_box(const struct kb_chart_prim *p)
{
	return p->kind == KB_PRIM_RECT &&
	       (p->role == KB_ROLE_REGRESSION || p->role == KB_ROLE_REDUCTION);
}

static void boxes_apart(size_t n, unsigned seed, int64_t step, size_t annotate)
{
	struct kb_line_build *b = line(n, seed, step);
	struct kb_chart_opts o = { .annotate = annotate };
	struct kb_chart c;
	size_t i, j, nbox = 0, nreg = 0, nred = 0;

	kb_chart_layout(&c, "t", b, n, &o);
	for (i = 1; i < n; i++) {
		nreg += b[i].delta > 0;
		nred += b[i].delta < 0;
	}
	for (i = 0; i < c.n; i++) {
		const struct kb_chart_prim *p = &c.v[i];

		if (!role_box(p))
			continue;
		nbox++;
		CHECK(p->x >= 0 && p->y >= 0 && p->x + p->w <= KB_CHART_W &&
		      p->y + p->h <= KB_CHART_H);
		for (j = i + 1; j < c.n; j++) {
			const struct kb_chart_prim *q = &c.v[j];

			if (role_box(q))
				CHECK(!(p->x < q->x + q->w && q->x < p->x + p->w &&
					p->y < q->y + q->h && q->y < p->y + p->h));
		}
	}
	/* every culprit labelled: annotate of each kind, or all there are */
	CHECK_U64(nbox + c.dropped,
		  (nreg < annotate ? nreg : annotate) + (nred < annotate ? nred : annotate));
	CHECK_U64(c.dropped, 0);
	for (i = 1; i < c.npts; i++)
		CHECK(c.pts[i].x > c.pts[i - 1].x);
	kb_chart_release(&c);
	free(b);
}

/* A leader line runs from its culprit's point to the edge of its box. */
static void leaders_tie_box_to_point(void)
{
	struct kb_line_build *b = line(40, 7, 60);
	struct kb_chart_opts o = { .annotate = 6 };
	struct kb_chart c;
	size_t i, k, nlead = 0;

	kb_chart_layout(&c, "t", b, 40, &o);
	for (i = 0; i + 1 < c.n; i++) {
		const struct kb_chart_prim *l = &c.v[i], *r = &c.v[i + 1];
		int on_point = 0;

		if (l->kind != KB_PRIM_LINE || l->role == KB_ROLE_PLAIN ||
		    l->role == KB_ROLE_RELEASE)
			continue;
		nlead++;
		for (k = 0; k < c.npts; k++)
			on_point |= c.pts[k].x == l->pts[0] && c.pts[k].y == l->pts[1] &&
				    !strcmp(c.pts[k].b->sha, r->sha);
		CHECK(on_point);
		CHECK(role_box(r));
		CHECK(l->pts[2] >= r->x - 0.01 && l->pts[2] <= r->x + r->w + 0.01 &&
		      l->pts[3] >= r->y - 0.01 && l->pts[3] <= r->y + r->h + 0.01);
	}
	CHECK_U64(nlead, 12);
	kb_chart_release(&c);
	free(b);
}

/* A commit whose committer time is before its predecessor's is drawn at its predecessor's. */
static void skewed_clock_never_goes_back(void)
{
	struct kb_line_build *b = line(4, 1, 3600);
	int64_t *t;

	b[2].committer_time = b[0].committer_time - 5;
	t = kb_chart_times(b, 4);
	CHECK(t[0] < t[1] && t[2] == t[1] && t[3] > t[2]);
	free(t);
	free(b);
}

static void binary_units(void)
{
	struct strbuf sb = STRBUF_INIT;
	struct kb_chart_yscale y;

	kb_chart_bytes(&sb, 1536.0 * 1024, 512.0 * 1024);
	CHECK_STR(sb.buf, "1.5 MiB");
	strbuf_reset(&sb);
	kb_chart_bytes(&sb, 20.0 * 1024, 10.0 * 1024);
	CHECK_STR(sb.buf, "20 KiB");
	strbuf_reset(&sb);
	kb_chart_bytes(&sb, 0, 1024);
	CHECK_STR(sb.buf, "0");
	kb_chart_yscale(6.5 * 1024 * 1024, &y);
	CHECK_STR(y.name, "MiB");
	/* the round step at or above range/6 (1.08 MiB): at most six intervals */
	CHECK(y.unit == 1024.0 * 1024 && y.step == 2.0 * 1024 * 1024);
	kb_chart_yscale(175.0 * 1024, &y);
	CHECK_STR(y.name, "KiB");
	CHECK(y.step == 50.0 * 1024); /* above 175/6 = 29.2 KiB */
	strbuf_release(&sb);
}

int main(void)
{
	/* a minute apart; 200 builds an hour apart, 10 of each kind; 25 builds a second
	 * apart, which the axis's hour at least makes a cluster a few pixels wide: 12 boxes
	 * of each kind compete for one place */
	boxes_apart(30, 1, 60, 5);
	boxes_apart(200, 2, 3600, 10);
	boxes_apart(25, 3, 1, 12);
	leaders_tie_box_to_point();
	skewed_clock_never_goes_back();
	binary_units();
	return check_done("test_chart");
}
