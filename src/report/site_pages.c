/*
 * site_pages.c - the site's commit, subsystem and author pages, each an HTML rendering of a
 * report's model (show, history, the walls' lines): tables, never a <pre> of a text report,
 * so that a subject is never cut and a phone scrolls a table in place. See site.h.
 */
#include "site_html.h"

#include "bom.h"
#include "build_options.h"
#include "chart.h"
#include "ci.h"
#include "escape.h"
#include "history.h"
#include "show.h"
#include "subsystems.h"
#include "error.h"
#include "sha.h"
#include "strbuf.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

#define SITE_LARGEST 10 /* a subsystem's largest commits, each way */

/* The index of sha on c's line of builds, or -1: the line's shas are the first the site's
 * commits interned, in the line's order (read_commits), so a sha's id there is its index. */
static long line_index(const struct kb_site_config *c, const char *sha)
{
	long k = kb_strtab_find(&c->commits, sha, strlen(sha));

	if (k < 0 || (size_t)k >= c->line->n || strcmp(c->line->builds[k].sha, sha))
		return -1;
	return k;
}

/* Previous and next build of the line, the parent build, upstream. */
static void commit_nav(FILE *f, const struct kb_site *m, const struct kb_site_config *c,
		       const struct kb_build_head *h)
{
	struct strbuf url = STRBUF_INIT;
	long i = line_index(c, h->sha), k, before = i - 1, after = i + 1;

	if (i < 0) { /* off the line: the line's builds around it on its first parents */
		k = kb_strtab_find(&c->commits, h->sha, strlen(h->sha));
		before = k >= 0 ? c->before[k] : -1;
		after = k >= 0 ? c->after[k] : -1;
	}
	fputs("<nav><p>", f);
	if (before >= 0) {
		fputs("&larr; previous: ", f);
		kb_site_commit_link(f, c, c->line->builds[before].sha, "../");
		fputc(' ', f);
	}
	if (after >= 0 && (size_t)after < c->line->n) {
		fputs("next: ", f);
		kb_site_commit_link(f, c, c->line->builds[after].sha, "../");
		fputs(" &rarr; ", f);
	}
	if (i < 0)
		fputs("not on the config's first-parent line of ok builds ", f);
	/* the URL's bytes are kb_ci_commit_url's (no quote, no '<'), escaped all the same */
	if (m->commit_url && !kb_ci_commit_url(&url, m->commit_url, h->sha)) {
		fputs("<a href=\"", f);
		kb_escape_html(f, url.buf);
		fputs("\">upstream</a>", f);
	}
	fputs("</p></nav>\n", f);
	strbuf_release(&url);
}

static void commit_meta(FILE *f, const struct kb_site_config *c, const struct kb_show *sh)
{
	const struct kb_build_head *h = &sh->head;
	long i = line_index(c, h->sha);

	fputs("<dl>\n<dt>commit</dt><dd><code>", f);
	kb_escape_html(f, h->sha);
	fputs("</code></dd>\n<dt>subject</dt><dd>", f);
	kb_escape_html(f, h->subject);
	if (h->author) {
		fputs("</dd>\n<dt>author</dt><dd>", f);
		kb_escape_html(f, h->author);
		fputs("</dd>\n<dt>date</dt><dd>", f);
		kb_site_time(f, h->author_time);
	}
	fputs("</dd>\n<dt>config</dt><dd>", f);
	kb_escape_html(f, c->name);
	fputs("</dd>\n<dt>build</dt><dd>", f);
	kb_escape_html(f, h->status);
	fputs("</dd>\n", f);
	if (i >= 0) {
		const struct kb_line_build *b = &c->line->builds[i];

		fputs("<dt>kernel proper</dt><dd>", f);
		kb_site_bytes(f, b->total);
		fputs(" bytes", f);
		if (b->has_parent) {
			fprintf(f, ", <span class=\"%s\">", b->delta > 0 ? "bad" : "good");
			kb_site_delta(f, b->delta);
			fputs("</span>", f);
		}
		fputs("</dd>\n", f);
	}
	if (h->parent_sha) {
		fputs("<dt>against</dt><dd>", f);
		kb_site_commit_link(f, c, h->parent_sha, "../");
		if (h->distance > 1)
			fprintf(f, ", %lld commits back (the ones between were not built)",
				(long long)h->distance);
		fputs("</dd>\n", f);
	}
	fputs("</dl>\n", f);
}

static void write_bom(FILE *f, const struct kb_bom *b)
{
	static const char *const heads[] = { "symbol", "#old", "#new", "#delta", NULL };
	size_t i;

	fprintf(f,
		"<h2>bloat-o-meter</h2>\n<p><code>add/remove: %lu/%lu grow/shrink: %lu/%lu "
		"up/down: %llu/%lld (%lld)</code></p>\n",
		b->add, b->remove, b->grow, b->shrink, (unsigned long long)b->up,
		-(long long)b->down, (long long)b->up - (long long)b->down);
	kb_site_table_open(f, heads);
	for (i = 0; i < b->nrows; i++) {
		const struct kb_bom_row *r = &b->rows[i];

		if (!r->delta)
			continue;
		fputs("<tr><td><code>", f);
		kb_escape_html(f, r->name);
		fputs("</code></td><td class=\"n\">", f);
		if (r->in_old)
			kb_site_bytes(f, (int64_t)r->old);
		else
			fputc('-', f);
		fputs("</td><td class=\"n\">", f);
		if (r->in_new)
			kb_site_bytes(f, (int64_t)r->new);
		else
			fputc('-', f);
		fputs("</td>", f);
		kb_site_delta_cell(f, r->delta);
		fputs("</tr>\n", f);
	}
	kb_site_table_close(f);
	fprintf(f, "<p>Total: Before=%llu, After=%llu, chg %+.2f%%</p>\n",
		(unsigned long long)b->old_total, (unsigned long long)b->new_total,
		kb_change_percent(b->old_total, b->new_total));
}

static void write_rollup(FILE *f, const struct kb_rollup *r, const char *what, const char *key)
{
	const char *heads[] = { key, "#old", "#new", "#delta", NULL };
	size_t i, n = 0;

	fprintf(f, "<h2>%s</h2>\n", what);
	for (i = 0; i < r->keys.nr; i++)
		n += r->v[i].new != r->v[i].old;
	if (!n) {
		fputs("<p>nothing changed</p>\n", f);
		return;
	}
	kb_site_table_open(f, heads);
	for (i = 0; i < r->keys.nr; i++) {
		const struct kb_rollup_row *w = &r->v[i];

		if (w->new == w->old)
			continue;
		fputs("<tr><td>", f);
		kb_escape_html(f, w->key);
		fputs("</td><td class=\"n\">", f);
		kb_site_bytes(f, (int64_t)w->old);
		fputs("</td><td class=\"n\">", f);
		kb_site_bytes(f, (int64_t)w->new);
		fputs("</td>", f);
		kb_site_delta_cell(f, (int64_t)w->new - (int64_t)w->old);
		fputs("</tr>\n", f);
	}
	kb_site_table_close(f);
}

/* The options whose bytes or class changed, from the modular analysis's per-option items. */
static int write_option_items(FILE *f, struct kb_store *s, const struct kb_site_config *c,
			      const char *sha)
{
	static const char *const heads[] = { "option", "change", "type", "#bytes", "#delta", NULL };
	struct kb_options_query q = { .rev = sha, .config = c->name, .changed = 1 };
	struct kb_options_report *r;
	size_t i;

	if (kb_options_build(&r, s, &q))
		return KB_ERR;
	fputs("<h3>What the options' objects cost (the modular analysis)</h3>\n", f);
	if (!r->n)
		fputs("<p>no option's objects changed</p>\n", f);
	else
		kb_site_table_open(f, heads);
	for (i = 0; i < r->n; i++) {
		const struct kb_build_option *o = r->rows[i];
		const char *ch = kb_options_change_name(kb_options_change(r, o));
		const char *type = kb_opt_type(o->cls >= 0 ? o->cls : o->prev_cls);

		fputs("<tr><td><code>CONFIG_", f);
		kb_escape_html(f, o->name);
		fprintf(f, "</code></td><td>%s</td><td>%s</td><td class=\"n\">", ch ? ch : "",
			type ? type : "");
		kb_site_bytes(f, o->size);
		fputs("</td>", f);
		kb_site_delta_cell(f, o->size - o->prev);
		fputs("</tr>\n", f);
	}
	if (r->n)
		kb_site_table_close(f);
	kb_options_free(r);
	return 0;
}

/* The .config lines that changed, and the options' bytes where the analysis ran. */
static int write_options(FILE *f, struct kb_store *s, const struct kb_site_config *c,
			 const struct kb_show *sh)
{
	long i = line_index(c, sh->head.sha);
	size_t k;

	fputs("<h2>Config options that changed</h2>\n", f);
	if (!sh->noptions)
		fputs("<p>none: the two builds' .configs set the same options</p>\n", f);
	else
		fputs("<ul>\n", f);
	for (k = 0; k < sh->noptions; k++) {
		fprintf(f, "<li><code>%c", sh->options[k].change);
		kb_escape_html(f, sh->options[k].option);
		fputs("</code></li>\n", f);
	}
	if (sh->noptions)
		fputs("</ul>\n", f);
	if (i < 0 || !c->line->builds[i].ser.has_modular || !sh->head.parent)
		return 0;
	return write_option_items(f, s, c, sh->head.sha);
}

static void write_failed_build(FILE *f, const struct kb_build_head *h)
{
	fputs("<h2>The build did not succeed</h2>\n<p>status: ", f);
	kb_escape_html(f, h->status);
	fputs("</p>\n", f);
	if (!h->log) {
		fputs("<p>no log was kept</p>\n", f);
		return;
	}
	fputs("<h3>The end of its log</h3>\n<pre>", f);
	kb_escape_html(f, h->log);
	fputs("</pre>\n", f);
}

static int commit_body(FILE *f, const struct kb_site *m, struct kb_store *s,
		       const struct kb_site_config *c, const struct kb_show *sh)
{
	commit_nav(f, m, c, &sh->head);
	commit_meta(f, c, sh);
	if (!sh->measured) {
		write_failed_build(f, &sh->head);
		return 0;
	}
	if (!sh->head.parent) {
		fputs("<p>no parent build: the first build of this config on its line</p>\n", f);
		return 0;
	}
	write_bom(f, &sh->bom);
	write_rollup(f, &sh->subsystems, "By subsystem", "subsystem");
	write_rollup(f, &sh->files, "By file", "file");
	return write_options(f, s, c, sh);
}

/* commit/SHA-CONFIG.html of the build sh shows. */
static int commit_page(const struct kb_site *m, struct kb_store *s, const char *outdir,
		       const struct kb_site_config *c, const char *sha, const struct kb_show *sh)
{
	struct strbuf path = STRBUF_INIT, title = STRBUF_INIT;
	FILE *f;
	int rc = KB_ERR;

	if (!kb_is_sha(sha)) /* a file name is made of it: never "../x" */
		return kb_error_set("not a commit sha: a page is not named by it");
	strbuf_addf(&path, "%s/commit/%s-%s.html", outdir, sha, c->slug);
	strbuf_addf(&title, "%.12s in %s", sha, c->name);
	if (!(f = kb_site_open_page(path.buf)))
		goto out;
	kb_site_page_head(f, title.buf, "../index.html");
	rc = commit_body(f, m, s, c, sh);
	kb_site_page_foot(f);
	rc = kb_site_close_page(f, path.buf) || rc ? KB_ERR : 0;
out:
	strbuf_release(&path);
	strbuf_release(&title);
	return rc;
}

int kb_site_commit_page(const struct kb_site *m, struct kb_store *s, const char *outdir,
			const struct kb_site_config *c, const char *sha)
{
	struct kb_show *sh = NULL;
	int64_t build;
	int rc;

	if (!kb_is_sha(sha))
		return kb_error_set("not a commit sha: a page is not named by it");
	if (kb_store_find_build(s, sha, c->name, &build) ||
	    kb_show_build_items(&sh, s, m->items, build))
		return KB_ERR;
	rc = commit_page(m, s, outdir, c, sha, sh);
	kb_show_free(sh);
	return rc;
}

/* Each item's subsystem page (its index in c->subsystems), or -1: breakdown rows only. */
static int *page_of_items(const struct kb_items *it, const struct kb_site_config *c)
{
	struct kb_strtab names = KB_STRTAB_INIT;
	int *page = xcalloc(it->n + 1, sizeof(*page));
	size_t i, k;

	for (k = 0; k < c->nsubsystems; k++)
		kb_strtab_intern(&names, c->subsystems[k], strlen(c->subsystems[k]), NULL);
	for (i = 0; i < it->n; i++) {
		const char *sub = it->v[i].subsystem;
		long id = it->v[i].kind == KB_ITEM_ROW && sub ?
				  kb_strtab_find(&names, sub, strlen(sub)) :
				  -1;

		page[i] = id >= 0 ? (int)id : -1; /* names are c->subsystems, each once */
	}
	kb_strtab_release(&names);
	return page;
}

/* A subsystem's sizes: its bytes, then its bytes of each class. */
static void series_add(uint64_t *sum, int cls, uint64_t add)
{
	sum[0] += add;
	if (cls >= 0 && cls < KB_CLS_NR)
		sum[1 + cls] += add;
}

/* The subsystems' sums after the walk's step: whole from the sizes, or moved by the changes
 * (as a scoped history sums them: the first build whole, then each build's changes). */
static void series_step(const struct kb_show_walk *w, const struct kb_items *it, const int *page,
			uint64_t *sum, size_t nsub)
{
	const struct kb_size_change *v;
	const struct kb_sizes *z;
	size_t n, i;

	if (kb_show_walk_changes(w, &z, &v, &n)) {
		memset(sum, 0, nsub * KB_SITE_SERIES * sizeof(*sum));
		for (i = 0; i < it->n && i < z->n; i++)
			if (page[i] >= 0)
				series_add(&sum[(size_t)page[i] * KB_SITE_SERIES], it->v[i].cls,
					   z->v[i]);
		return;
	}
	for (i = 0; i < n; i++)
		if (v[i].item < it->n && page[v[i].item] >= 0)
			series_add(&sum[(size_t)page[v[i].item] * KB_SITE_SERIES],
				   it->v[v[i].item].cls, v[i].new - v[i].old);
}

int kb_site_line_pages(const struct kb_site *m, struct kb_store *s, const char *outdir,
		       const struct kb_site_config *c, struct kb_site_series *ser, size_t *pages)
{
	const struct kb_plot_config *l = c->line;
	size_t nsub = c->nsubsystems, i, k, j;
	uint64_t *sum = xcalloc(nsub * KB_SITE_SERIES + 1, sizeof(*sum));
	int *page = page_of_items(m->items, c);
	struct kb_show_walk *w = NULL;
	int rc = KB_ERR;

	ser->n = l->n;
	ser->v = xcalloc(nsub * l->n * KB_SITE_SERIES + 1, sizeof(*ser->v));
	if (kb_show_walk_new(&w, s, m->items))
		goto out;
	for (i = 0; i < l->n; i++, ++*pages) {
		struct kb_show *sh;

		if (kb_show_walk_next(w, l->builds[i].id, &sh))
			goto out;
		rc = commit_page(m, s, outdir, c, l->builds[i].sha, sh);
		kb_show_free(sh);
		if (rc)
			goto out;
		rc = KB_ERR;
		series_step(w, m->items, page, sum, nsub);
		for (k = 0; k < nsub; k++)
			for (j = 0; j < KB_SITE_SERIES; j++)
				ser->v[(k * l->n + i) * KB_SITE_SERIES + j] =
					(int64_t)sum[k * KB_SITE_SERIES + j];
	}
	rc = 0;
out:
	kb_show_walk_free(w);
	free(sum);
	free(page);
	return rc;
}

/* Subsystem k's sizes in line build i. */
static const int64_t *series_at(const struct kb_site_series *ser, size_t k, size_t i)
{
	return &ser->v[(k * ser->n + i) * KB_SITE_SERIES];
}

/* The subsystem's line of builds as a chart draws it: its bytes by class in each build. */
static struct kb_line_build *subsystem_line(const struct kb_site_config *c,
					    const struct kb_site_series *ser, size_t k)
{
	struct kb_line_build *v = xcalloc(c->line->n + 1, sizeof(*v));
	size_t i;
	int cls;

	for (i = 0; i < c->line->n; i++) {
		const int64_t *p = series_at(ser, k, i);

		v[i] = c->line->builds[i]; /* the strings stay the line's */
		memset(&v[i].ser, 0, sizeof(v[i].ser));
		v[i].total = p[0];
		v[i].delta = i ? p[0] - series_at(ser, k, i - 1)[0] : 0;
		for (cls = 0; cls < KB_CLS_NR; cls++)
			v[i].cls[cls] = p[1 + cls];
	}
	return v;
}

/* A subsystem's point links its commit's page (from charts/). */
static int sub_href(struct strbuf *sb, const char *sha, void *arg)
{
	const struct kb_site_config *c = arg;

	if (!kb_is_sha(sha) || kb_strtab_find(&c->commits, sha, strlen(sha)) < 0)
		return 0;
	strbuf_addf(sb, "../commit/%s-%s.html", sha, c->slug);
	return 1;
}

/* charts/sub-SUBSYSTEM-CONFIG.svg, laid out by chart.c as the size charts are. */
static int subsystem_chart(const struct kb_site *m, const struct kb_site_series *ser,
			   const char *outdir, const struct kb_site_config *c, size_t k)
{
	struct kb_chart_opts o = { .annotate = 5,
				   .markers = m->markers,
				   .nmarkers = m->nmarkers,
				   .total = "the subsystem (total)" };
	struct strbuf path = STRBUF_INIT, title = STRBUF_INIT;
	struct kb_line_build *v = subsystem_line(c, ser, k);
	struct kb_chart chart;
	FILE *f;
	int rc = KB_ERR;

	strbuf_addf(&path, "%s/charts/sub-%s-%s.svg", outdir, c->subslugs[k], c->slug);
	strbuf_addf(&title, "%s in %s", c->subsystems[k], c->name);
	kb_chart_layout(&chart, title.buf, v, c->line->n, &o);
	if ((f = kb_site_open_page(path.buf))) {
		kb_chart_write_svg(f, &chart, sub_href, (void *)c);
		rc = kb_site_close_page(f, path.buf);
	}
	kb_chart_release(&chart);
	free(v);
	strbuf_release(&path);
	strbuf_release(&title);
	return rc;
}

/* Rows of a history in order: a commit, its date, size, change, author and subject. */
static void history_rows(FILE *f, const struct kb_site *m, const struct kb_site_config *c,
			 const struct kb_history_row *const *rows, size_t n)
{
	static const char *const heads[] = { "commit", "date",	  "#size", "#delta",
					     "author", "subject", NULL };
	size_t i;

	kb_site_table_open(f, heads);
	for (i = 0; i < n; i++) {
		const struct kb_history_row *r = rows[i];
		long a = kb_site_author_find(m, r->c->author);
		char date[16];

		kb_format_date(r->c->author_time, date);
		fputs("<tr><td>", f);
		kb_site_commit_link(f, c, r->c->sha, "../");
		fprintf(f, "</td><td class=\"s\">%s</td><td class=\"n\">", date);
		kb_site_bytes(f, r->size);
		fputs("</td>", f);
		kb_site_delta_cell(f, r->delta);
		fputs("<td>", f);
		if (a >= 0)
			kb_site_author_link(f, m, (size_t)a, "../");
		else
			kb_escape_html(f, r->c->author);
		fputs("</td><td>", f);
		kb_escape_html(f, r->c->subject);
		fputs("</td></tr>\n", f);
	}
	kb_site_table_close(f);
}

static int by_delta_desc(const void *x, const void *y)
{
	const struct kb_history_row *a = *(const struct kb_history_row *const *)x,
				    *b = *(const struct kb_history_row *const *)y;

	if (a->delta != b->delta)
		return a->delta > b->delta ? -1 : 1;
	return strcmp(a->c->sha, b->c->sha);
}

/* The largest regressions and reductions of a history, and every build, newest first. */
static void subsystem_tables(FILE *f, const struct kb_site *m, const struct kb_site_config *c,
			     const struct kb_history *h)
{
	const struct kb_history_row **v = xcalloc(h->n + 1, sizeof(*v));
	size_t i, n = 0, up = 0, down = 0;

	for (i = 0; i < h->n; i++)
		if (h->rows[i].delta)
			v[n++] = &h->rows[i];
	qsort(v, n, sizeof(*v), by_delta_desc);
	while (up < n && up < SITE_LARGEST && v[up]->delta > 0)
		up++;
	while (down < n - up && down < SITE_LARGEST && v[n - 1 - down]->delta < 0)
		down++;
	fputs("<h2>Its largest regressions</h2>\n", f);
	if (up)
		history_rows(f, m, c, v, up);
	else
		fputs("<p>none recorded</p>\n", f);
	fputs("<h2>Its largest reductions</h2>\n", f);
	if (down) { /* the largest reduction first */
		const struct kb_history_row **r = xcalloc(down + 1, sizeof(*r));

		for (i = 0; i < down; i++)
			r[i] = v[n - 1 - i];
		history_rows(f, m, c, r, down);
		free(r);
	} else {
		fputs("<p>none recorded</p>\n", f);
	}
	fputs("<h2>Every build, newest first</h2>\n", f);
	for (i = 0; i < h->n; i++)
		v[i] = &h->rows[h->n - 1 - i];
	history_rows(f, m, c, v, h->n);
	free(v);
}

/* Subsystem k's history along the line, as kb_history_build scopes it to the subsystem: the
 * line's builds with the subsystem's bytes and their change against the build before. */
static void subsystem_history(const struct kb_site_config *c, const struct kb_site_series *ser,
			      size_t k, struct kb_history *h)
{
	size_t i;

	memset(h, 0, sizeof(*h));
	h->n = c->line->n;
	h->rows = xcalloc(h->n + 1, sizeof(*h->rows));
	h->commits = xcalloc(h->n + 1, sizeof(*h->commits));
	for (i = 0; i < h->n; i++) {
		const struct kb_line_build *b = &c->line->builds[i];
		struct kb_history_row *r = &h->rows[i];
		struct kb_build_commit *bc = &h->commits[i];

		bc->sha = b->sha;
		bc->author = b->author;
		bc->subject = b->subject;
		bc->author_time = b->author_time;
		r->build_id = b->id;
		r->c = bc;
		r->size = series_at(ser, k, i)[0];
		r->delta = i ? r->size - series_at(ser, k, i - 1)[0] : 0;
		r->cls = -1;
	}
}

int kb_site_subsystem_page(const struct kb_site *m, const struct kb_site_series *ser,
			   const char *outdir, const struct kb_site_config *c, size_t k,
			   size_t *charts)
{
	struct strbuf path = STRBUF_INIT, title = STRBUF_INIT;
	struct kb_history h;
	FILE *f;
	int rc = KB_ERR;

	subsystem_history(c, ser, k, &h);
	strbuf_addf(&path, "%s/subsystem/%s-%s.html", outdir, c->subslugs[k], c->slug);
	strbuf_addf(&title, "%s in %s", c->subsystems[k], c->name);
	if (subsystem_chart(m, ser, outdir, c, k) || !(f = kb_site_open_page(path.buf)))
		goto out;
	++*charts;
	kb_site_page_head(f, title.buf, "../index.html");
	fprintf(f,
		"<object class=\"chart\" type=\"image/svg+xml\" data=\"../charts/sub-%s-%s.svg\" "
		"width=\"1100\" height=\"580\">its size per commit, by class</object>\n",
		c->subslugs[k], c->slug);
	subsystem_tables(f, m, c, &h);
	kb_site_page_foot(f);
	rc = kb_site_close_page(f, path.buf);
out:
	free(h.rows);
	free(h.commits);
	strbuf_release(&path);
	strbuf_release(&title);
	return rc;
}

/* The builds of config c's line by author name that changed its size, most first. */
static void author_config(FILE *f, const struct kb_site_config *c, const char *name)
{
	static const char *const heads[] = { "commit", "date", "#delta", "subject", NULL };
	const struct kb_line_build *l = c->line->builds;
	size_t i, n = 0, way;

	for (i = 0; i < c->line->n; i++)
		n += l[i].has_parent && l[i].delta && !strcmp(l[i].author, name);
	if (!n)
		return;
	fputs("<h2>In ", f);
	kb_escape_html(f, c->name);
	fputs("</h2>\n", f);
	for (way = 0; way < 2; way++) {
		const struct kb_line_build **v = xcalloc(n + 1, sizeof(*v));
		size_t nv = 0, j;

		for (i = 0; i < c->line->n; i++)
			if (l[i].has_parent && !strcmp(l[i].author, name) &&
			    (way ? l[i].delta < 0 : l[i].delta > 0))
				v[nv++] = &l[i];
		fputs(way ? "<h3>Reductions</h3>\n" : "<h3>Regressions</h3>\n", f);
		if (!nv)
			fputs("<p>none</p>\n", f);
		else
			kb_site_table_open(f, heads);
		for (j = 0; j < nv; j++) { /* newest first */
			const struct kb_line_build *b = v[nv - 1 - j];
			char date[16];

			kb_format_date(b->author_time, date);
			fputs("<tr><td>", f);
			kb_site_commit_link(f, c, b->sha, "../");
			fprintf(f, "</td><td class=\"s\">%s</td>", date);
			kb_site_delta_cell(f, b->delta);
			fputs("<td>", f);
			kb_escape_html(f, b->subject);
			fputs("</td></tr>\n", f);
		}
		if (nv)
			kb_site_table_close(f);
		free(v);
	}
}

int kb_site_author_page(const struct kb_site *m, const char *outdir, size_t k)
{
	struct strbuf path = STRBUF_INIT;
	const char *name = m->authors.strs[k];
	FILE *f;
	size_t i;
	int rc = KB_ERR;

	strbuf_addf(&path, "%s/author/%s.html", outdir, m->author_slugs[k]);
	if ((f = kb_site_open_page(path.buf))) {
		kb_site_page_head(f, name, "../index.html");
		fputs("<p>Their commits that changed the kernel's size, per config, on each "
		      "config's first-parent line of builds.</p>\n",
		      f);
		for (i = 0; i < m->n; i++)
			author_config(f, &m->v[i], name);
		kb_site_page_foot(f);
		rc = kb_site_close_page(f, path.buf);
	}
	strbuf_release(&path);
	return rc;
}
