/*
 * site.c - the static site: its model read from the store, its index, and the writing of
 * its pages (site_pages.c) and feed (site_feed.c); see site.h.
 */
#include "site.h"
#include "site_html.h"

#include "chart.h"
#include "escape.h"
#include "lineage.h"
#include "subsystems.h"
#include "error.h"
#include "sha.h"
#include "strbuf.h"
#include "xalloc.h"

#include <errno.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#define SITE_SUBSYSTEMS 20 /* subsystems with a page, per config */
#define SITE_TOP_SYMBOLS 3 /* symbols on a wall's row */

static void row_release(struct kb_site_row *r)
{
	free(r->b.sha);
	free(r->b.author);
	free(r->b.subject);
	kb_changes_free(r->syms, r->nsyms);
	kb_changes_free(r->subs, r->nsubs);
}

static void rows_free(struct kb_site_row *v, size_t n)
{
	size_t i;

	for (i = 0; v && i < n; i++)
		row_release(&v[i]);
	free(v);
}

static void config_release(struct kb_site_config *c)
{
	free(c->name);
	free(c->slug);
	rows_free(c->regressions, c->nregressions);
	rows_free(c->reductions, c->nreductions);
	kb_wall_rows_free(c->failed, c->nfailed);
	kb_config_about_release(&c->about);
	kb_strtab_release(&c->commits);
	free(c->before);
	free(c->after);
	kb_store_names_free(c->subsystems, c->nsubsystems);
	kb_store_names_free(c->subslugs, c->nsubsystems);
}

void kb_site_free(struct kb_site *m)
{
	size_t i;

	if (!m)
		return;
	for (i = 0; i < m->n; i++)
		config_release(&m->v[i]);
	free(m->v);
	kb_plot_free(m->charts);
	kb_store_names_free(m->author_slugs, m->authors.nr);
	kb_strtab_release(&m->authors);
	free(m->repo);
	free(m->site_url);
	free(m);
}

/* The symbols that changed most in r's build, and the subsystem: those that grew on the
 * wall of regressions, those that shrank on the wall of thanks. */
static int read_changes(struct kb_store *s, struct kb_site_row *r, enum kb_wall which)
{
	int shrank = which == KB_WALL_REDUCTIONS ? KB_TOP_SHRANK : 0;

	if (kb_store_top_changes(s, r->b.build, KB_TOP_SYMBOLS | shrank, SITE_TOP_SYMBOLS, &r->syms,
				 &r->nsyms) ||
	    kb_store_top_changes(s, r->b.build, KB_TOP_SUBSYSTEMS | shrank, 1, &r->subs, &r->nsubs))
		return KB_ERR;
	return 0;
}

/* The builds of a wall, each with what changed most in it. */
static int read_wall(struct kb_store *s, int64_t config_id, enum kb_wall which, size_t limit,
		     struct kb_site_row **out, size_t *n)
{
	struct kb_wall_row *w;
	struct kb_site_row *v;
	size_t nw, i;

	*out = NULL;
	*n = 0;
	if (kb_store_wall(s, config_id, which, limit, &w, &nw))
		return KB_ERR;
	v = xcalloc(nw + 1, sizeof(*v));
	for (i = 0; i < nw; i++)
		v[i].b = w[i]; /* the strings move */
	free(w);
	for (i = 0; i < nw; i++) {
		if (read_changes(s, &v[i], which)) {
			rows_free(v, nw);
			return KB_ERR;
		}
	}
	*out = v;
	*n = nw;
	return 0;
}

/* A commit with a page (the store lets out no sha but 40 hex digits: commit_page checks it
 * again where the sha becomes a file name). */
static void add_commit(struct kb_site_config *c, const char *sha)
{
	kb_strtab_intern(&c->commits, sha, strlen(sha), NULL);
}

/* The commits with a page: the line's (every build a chart draws), the newest builds', the
 * walls' and the failed builds' (each once). The line's come first, in its order: a line
 * sha's id in c->commits is its index on the line (site_pages.c's line_index). */
static int read_commits(struct kb_store *s, struct kb_site_config *c, size_t pages)
{
	char **shas;
	size_t n, i;

	for (i = 0; i < c->line->n; i++)
		add_commit(c, c->line->builds[i].sha);
	if (kb_store_newest_shas(s, c->id, pages, &shas, &n))
		return KB_ERR;
	for (i = 0; i < n; i++)
		add_commit(c, shas[i]);
	kb_store_names_free(shas, n);
	for (i = 0; i < c->nregressions; i++)
		add_commit(c, c->regressions[i].b.sha);
	for (i = 0; i < c->nreductions; i++)
		add_commit(c, c->reductions[i].b.sha);
	for (i = 0; i < c->nfailed; i++)
		add_commit(c, c->failed[i].sha);
	return 0;
}

/* The line index of sha, or -1 (the line's shas are the first of c->commits). */
static long on_line(const struct kb_site_config *c, const char *sha)
{
	long k = kb_strtab_find(&c->commits, sha, strlen(sha));

	return k >= 0 && (size_t)k < c->line->n ? k : -1;
}

/* Places the off-line commits on fp (a first-parent chain, newest first) between the line's
 * builds on it. */
static void place_chain(struct kb_site_config *c, const struct kb_first_parents *fp)
{
	size_t i;
	long newer = -1, k;

	for (i = 0; i < fp->n; i++) {
		const char *sha = fp->v[i].sha;

		if ((k = on_line(c, sha)) >= 0) {
			newer = k;
			continue;
		}
		k = kb_strtab_find(&c->commits, sha, strlen(sha));
		if (k >= 0 && c->after[k] == -2)
			c->after[k] = newer;
	}
	/* the line build before each: the first line build further back */
	for (i = fp->n, newer = -1; i-- > 0;) {
		const char *sha = fp->v[i].sha;

		if ((k = on_line(c, sha)) >= 0) {
			newer = k;
			continue;
		}
		k = kb_strtab_find(&c->commits, sha, strlen(sha));
		if (k >= 0 && c->before[k] == -2)
			c->before[k] = newer;
	}
}

/*
 * Where each off-line commit with a page sits among the line's builds: found on the first
 * parents of the line's newest build (one walk), or, for a commit newer than it, by walking
 * back from the commit to it. A commit on neither (a side branch) has no neighbours.
 */
static int read_neighbours(struct kb_store *s, struct kb_site_config *c)
{
	const char *head = c->line->builds[c->line->n - 1].sha;
	struct kb_first_parents fp;
	size_t i;
	int rc;

	c->before = xcalloc(c->commits.nr + 1, sizeof(*c->before));
	c->after = xcalloc(c->commits.nr + 1, sizeof(*c->after));
	for (i = 0; i < c->commits.nr; i++)
		c->before[i] = c->after[i] = i < c->line->n ? -1 : -2; /* -2: not placed yet */
	if (c->commits.nr == c->line->n)
		return 0;
	rc = kb_store_first_parents(s, head, "", &fp); /* "" stops at no commit */
	if (!rc)
		place_chain(c, &fp);
	kb_first_parents_release(&fp);
	for (i = c->line->n; i < c->commits.nr && !rc; i++) {
		if (c->after[i] != -2)
			continue;
		c->before[i] = c->after[i] = -1;
		rc = kb_store_first_parents(s, c->commits.strs[i], head, &fp);
		if (!rc && fp.end == KB_WALK_REACHED)
			c->before[i] = (long)c->line->n - 1;
		kb_first_parents_release(&fp);
	}
	return rc;
}

/* The largest subsystems of the newest build of c, at most SITE_SUBSYSTEMS. */
static int read_subsystems(struct kb_store *s, const struct kb_items *it, struct kb_site_config *c)
{
	struct kb_strtab names = KB_STRTAB_INIT;
	struct kb_sizes z = { 0 };
	uint32_t *order = NULL;
	uint64_t *sums = NULL;
	int64_t head;
	size_t alloc = 0, i;
	int rc = kb_store_head_build(s, c->id, &head, NULL);

	if (rc < 0)
		return KB_ERR;
	rc = KB_ERR;
	if (head && kb_store_sizes(s, head, &z))
		goto out;
	kb_subsystem_sums(it, &z, &names, &sums, &alloc);
	order = kb_subsystems_by_size(&names, sums, alloc);
	c->subsystems = xcalloc(SITE_SUBSYSTEMS + 1, sizeof(*c->subsystems));
	/* rows with no subsystem (padding, sections) have no history page of their own */
	for (i = 0; i < names.nr && c->nsubsystems < SITE_SUBSYSTEMS && sums[order[i]]; i++)
		if (strcmp(names.strs[order[i]], KB_NO_SUBSYSTEM))
			c->subsystems[c->nsubsystems++] = xstrdup(names.strs[order[i]]);
	c->subslugs = kb_file_names((const char *const *)c->subsystems, c->nsubsystems);
	rc = 0;
out:
	free(order);
	free(sums);
	kb_sizes_release(&z);
	kb_strtab_release(&names);
	return rc;
}

static int build_config(struct kb_site_config *c, struct kb_store *s, const struct kb_items *it,
			const struct kb_plot_config *chart, const struct kb_site_opts *o)
{
	const char *name = chart->name;

	c->name = xstrdup(name);
	c->slug = xstrdup(chart->slug); /* the charts' file names are the pages' */
	c->line = chart;
	if (kb_store_find_config(s, name, &c->id) || kb_store_config_about(s, c->id, &c->about) ||
	    read_wall(s, c->id, KB_WALL_REGRESSIONS, o->walls, &c->regressions, &c->nregressions) ||
	    read_wall(s, c->id, KB_WALL_REDUCTIONS, o->walls, &c->reductions, &c->nreductions) ||
	    kb_store_failed_builds(s, c->id, o->pages, &c->failed, &c->nfailed) ||
	    read_commits(s, c, o->pages) || read_neighbours(s, c))
		return KB_ERR;
	return read_subsystems(s, it, c);
}

/* The authors named on the walls, each once with a page's file name. */
static void read_authors(struct kb_site *m)
{
	size_t i, k;
	uint32_t id;

	for (i = 0; i < m->n; i++) {
		struct kb_site_config *c = &m->v[i];

		for (k = 0; k < c->nregressions + c->nreductions; k++) {
			struct kb_site_row *r = k < c->nregressions ?
							&c->regressions[k] :
							&c->reductions[k - c->nregressions];

			id = kb_strtab_intern(&m->authors, r->b.author, strlen(r->b.author), NULL);
			r->author = id;
		}
	}
	m->author_slugs = kb_file_names((const char *const *)m->authors.strs, m->authors.nr);
}

/* The repository's directory name, as the index names it. */
static int read_repo(struct kb_site *m, struct kb_store *s)
{
	char *path, *base;

	if (kb_store_repo(s, &path))
		return KB_ERR;
	if (path) {
		while (strlen(path) > 1 && path[strlen(path) - 1] == '/')
			path[strlen(path) - 1] = 0;
		base = strrchr(path, '/');
		m->repo = xstrdup(base && base[1] ? base + 1 : path);
	}
	free(path);
	return 0;
}

int kb_site_check_url(const char *url)
{
	const char *p = url;

	if (!strncmp(p, "https://", 8))
		p += 8;
	else if (!strncmp(p, "http://", 7))
		p += 7;
	else
		return kb_error_set("--site-url %s: not an http:// or https:// URL", url);
	if (!*p || *p == '/')
		return kb_error_set("--site-url %s: no host", url);
	for (; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || strchr("-._~:/?#@!$&'()*+,;=%[]", *p)))
			return kb_error_set("--site-url %s: a byte a URL does not hold as it is "
					    "(0x%02x)",
					    url, (unsigned char)*p);
	return 0;
}

int kb_site_build(struct kb_site **out, struct kb_store *s, const struct kb_items *it,
		  const char *const *names, size_t n, const struct kb_site_opts *o)
{
	struct kb_site *m = xcalloc(1, sizeof(*m));
	int rc = KB_ERR;

	*out = NULL;
	m->v = xcalloc(n + 1, sizeof(*m->v));
	m->n = n; /* a config not read yet is all zeroes, which frees as an empty one */
	m->markers = o->markers;
	m->nmarkers = o->nmarkers;
	m->commit_url = o->commit_url;
	if (o->site_url) {
		size_t len = strlen(o->site_url);

		while (len && o->site_url[len - 1] == '/')
			len--;
		m->site_url = xstrndup(o->site_url, len);
	}
	m->threshold = o->threshold;
	m->generated = o->generated;
	m->feed = o->feed;
	m->items = it;
	if (read_repo(m, s) || kb_plot_build(&m->charts, s, it, names, n, KB_PLOT_TOP))
		goto out;
	for (size_t i = 0; i < n; i++)
		if (build_config(&m->v[i], s, it, &m->charts->v[i], o))
			goto out;
	read_authors(m);
	*out = m;
	m = NULL;
	rc = 0;
out:
	kb_site_free(m);
	return rc;
}

/*
 * The pages' style: readable on a phone (390 px) and a desktop alike. Text contrast is at
 * least 4.5:1 on white (#222 15.9:1, links #0645ad 7.0:1, .bad #b00000 7.0:1, .good #05660a
 * 7.1:1, small print #555 7.5:1); a wide table scrolls inside its frame, long words break
 * (anywhere in headings and definitions, whose width is the screen's; at word ends in
 * tables, which scroll).
 */
static const char style[] =
	"body{font-family:sans-serif;max-width:1150px;margin:1em auto;padding:0 .8em;color:#222;"
	"background:#fff;line-height:1.4;overflow-wrap:break-word}"
	"a{color:#0645ad}h1{font-size:1.6em}h1,h2,dd{overflow-wrap:anywhere;min-width:0}"
	".scroll{overflow-x:auto;max-width:100%}"
	"table{border-collapse:collapse;margin:.5em 0}td,th{padding:.2em .6em;border-bottom:1px "
	"solid #ddd;text-align:left;vertical-align:top}td.n,th.n{text-align:right;"
	"font-family:monospace;white-space:nowrap}td.s{overflow-wrap:normal;word-break:normal}"
	"pre{background:#f6f6f6;padding:1em;overflow-x:auto;white-space:pre}"
	"img,object{max-width:100%;height:auto}object.chart{width:100%;aspect-ratio:1100/580}"
	".bad{color:#b00000}.good{color:#05660a}small,.muted{color:#555}"
	"dl{display:grid;grid-template-columns:max-content 1fr;gap:.1em 1em}dt{font-weight:bold}"
	"dd{margin:0}nav a{margin-right:1em}";

void kb_site_page_head(FILE *f, const char *title, const char *up)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>",
	      f);
	kb_escape_html(f, title);
	fprintf(f, "</title><style>%s</style>", style);
	fprintf(f,
		"<link rel=\"alternate\" type=\"application/atom+xml\" title=\"size "
		"regressions\" href=\"%sfeed.xml\"></head><body>\n",
		up ? "../" : "");
	if (up)
		fprintf(f, "<nav><a href=\"%s\">&larr; all configs</a></nav>\n", up);
	fputs("<h1>", f);
	kb_escape_html(f, title);
	fputs("</h1>\n", f);
}

void kb_site_page_foot(FILE *f)
{
	fputs("<footer><p><small>made by kbloat " KB_VERSION "</small></p></footer>\n"
	      "</body></html>\n",
	      f);
}

/* "1234567" as "1,234,567" */
static void digits(FILE *f, uint64_t v)
{
	char buf[32];
	int n = snprintf(buf, sizeof(buf), "%llu", (unsigned long long)v), i;

	for (i = 0; i < n; i++) {
		if (i && (n - i) % 3 == 0)
			fputc(',', f);
		fputc(buf[i], f);
	}
}

void kb_site_bytes(FILE *f, int64_t v)
{
	if (v < 0)
		fputc('-', f);
	digits(f, v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v);
}

void kb_site_delta(FILE *f, int64_t v)
{
	if (v >= 0)
		fputc('+', f);
	kb_site_bytes(f, v);
}

void kb_site_delta_cell(FILE *f, int64_t v)
{
	fprintf(f, "<td class=\"n%s\">", v > 0 ? " bad" : v < 0 ? " good" : "");
	kb_site_delta(f, v);
	fputs("</td>", f);
}

void kb_site_time(FILE *f, int64_t t)
{
	struct tm tm;
	time_t tt = (time_t)t;
	char buf[40];

	if (t < -62135596800LL || t > 253402300799LL || !gmtime_r(&tt, &tm) ||
	    !strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M UTC", &tm))
		fputs("?\?\?\?-?\?-?\?", f);
	else
		fputs(buf, f);
}

void kb_site_table_open(FILE *f, const char *const *heads)
{
	fputs("<div class=\"scroll\"><table><thead><tr>", f);
	for (; *heads; heads++)
		fprintf(f, "<th%s>%s</th>", **heads == '#' ? " class=\"n\"" : "",
			**heads == '#' ? *heads + 1 : *heads);
	fputs("</tr></thead><tbody>\n", f);
}

void kb_site_table_close(FILE *f)
{
	fputs("</tbody></table></div>\n", f);
}

void kb_site_commit_link(FILE *f, const struct kb_site_config *c, const char *sha, const char *up)
{
	char s[13];

	snprintf(s, sizeof(s), "%s", sha ? sha : "");
	if (kb_is_sha(sha) && kb_strtab_find(&c->commits, sha, strlen(sha)) >= 0)
		fprintf(f, "<a href=\"%scommit/%s-%s.html\"><code>%s</code></a>", up, sha, c->slug,
			s);
	else {
		fputs("<code>", f);
		kb_escape_html(f, s);
		fputs("</code>", f);
	}
}

long kb_site_author_find(const struct kb_site *m, const char *name)
{
	return name ? kb_strtab_find(&m->authors, name, strlen(name)) : -1;
}

void kb_site_author_link(FILE *f, const struct kb_site *m, size_t k, const char *up)
{
	fprintf(f, "<a href=\"%sauthor/%s.html\">", up, m->author_slugs[k]);
	kb_escape_html(f, m->authors.strs[k]);
	fputs("</a>", f);
}

/* A wall's author: a link to their page. */
static void write_author(FILE *f, const struct kb_site *m, const char *name)
{
	long k = kb_site_author_find(m, name);

	if (k >= 0)
		kb_site_author_link(f, m, (size_t)k, "");
	else
		kb_escape_html(f, name);
}

/* The changes of a wall's row: what grew (or shrank) most, never an empty cell. */
static void write_changes(FILE *f, const struct kb_change *v, size_t n, int with_delta)
{
	size_t k;

	if (!n)
		fputs("<span class=\"muted\">(no symbol of a file changed)</span>", f);
	for (k = 0; k < n; k++) {
		fputs(k ? ", " : "", f);
		kb_escape_html(f, v[k].name);
		if (with_delta) {
			fputc(' ', f);
			kb_site_delta(f, v[k].delta);
		}
	}
}

static void write_wall(FILE *f, const struct kb_site *m, const struct kb_site_config *c,
		       const struct kb_site_row *rows, size_t n)
{
	static const char *const heads[] = { "commit",	  "author", "date",	   "subject",
					     "subsystem", "#delta", "top symbols", NULL };
	size_t i;

	if (!n) {
		fputs("<p>none recorded</p>\n", f);
		return;
	}
	kb_site_table_open(f, heads);
	for (i = 0; i < n; i++) {
		const struct kb_site_row *r = &rows[i];
		char date[16];

		kb_format_date(r->b.author_time, date);
		fputs("<tr><td>", f);
		kb_site_commit_link(f, c, r->b.sha, "");
		fputs("</td><td>", f);
		write_author(f, m, r->b.author);
		fprintf(f, "</td><td class=\"s\">%s</td><td>", date);
		kb_escape_html(f, r->b.subject);
		fputs("</td><td>", f);
		write_changes(f, r->subs, r->nsubs, 0);
		fputs("</td>", f);
		kb_site_delta_cell(f, r->b.delta);
		fputs("<td>", f);
		write_changes(f, r->syms, r->nsyms, 1);
		fputs("</td></tr>\n", f);
	}
	kb_site_table_close(f);
}

static void write_failed(FILE *f, const struct kb_site_config *c)
{
	static const char *const heads[] = { "commit", "author", "date", "subject", NULL };
	size_t i;

	if (!c->nfailed)
		return;
	fputs("<h3>Builds that failed</h3>\n", f);
	kb_site_table_open(f, heads);
	for (i = 0; i < c->nfailed; i++) {
		char date[16];

		kb_format_date(c->failed[i].author_time, date);
		fputs("<tr><td>", f);
		kb_site_commit_link(f, c, c->failed[i].sha, "");
		fputs("</td><td>", f);
		kb_escape_html(f, c->failed[i].author);
		fprintf(f, "</td><td class=\"s\">%s</td><td>", date);
		kb_escape_html(f, c->failed[i].subject);
		fputs("</td></tr>\n", f);
	}
	kb_site_table_close(f);
}

static void write_config(FILE *f, const struct kb_site *m, const struct kb_site_config *c)
{
	size_t k;

	fprintf(f, "<h2 id=\"%s\">", c->slug);
	kb_escape_html(f, c->name);
	fputs("</h2>\n<object class=\"chart\" type=\"image/svg+xml\" data=\"charts/", f);
	fprintf(f,
		"%s-size.svg\" width=\"1100\" height=\"580\"><img src=\"charts/%s-size.png\" "
		"alt=\"size per commit, by class\"></object>\n<img src=\"charts/%s-proper.png\" "
		"alt=\"kernel proper, code and data, everything modularized and hard core per "
		"commit\">\n<img src=\"charts/%s-subsystems.png\" alt=\"the largest subsystems "
		"per commit\">\n<h3>Wall of regressions</h3>\n",
		c->slug, c->slug, c->slug, c->slug);
	write_wall(f, m, c, c->regressions, c->nregressions);
	fputs("<h3>Wall of thanks: the largest reductions</h3>\n", f);
	write_wall(f, m, c, c->reductions, c->nreductions);
	write_failed(f, c);
	fputs("<h3>Subsystems</h3>\n<ul>\n", f);
	for (k = 0; k < c->nsubsystems; k++) {
		fprintf(f, "<li><a href=\"subsystem/%s-%s.html\">", c->subslugs[k], c->slug);
		kb_escape_html(f, c->subsystems[k]);
		fputs("</a></li>\n", f);
	}
	fputs("</ul>\n", f);
}

/* The newest build of the line at or before t, or NULL. */
static const struct kb_line_build *build_at(const struct kb_plot_config *l, int64_t t)
{
	size_t i;

	for (i = l->n; i-- > 0;)
		if (l->times[i] <= t)
			return &l->builds[i];
	return NULL;
}

/* The build of the newest release marker on the line before its newest build (a newest
 * build that is a release is compared with the release before), and the marker, or NULL. */
static const struct kb_line_build *release_build(const struct kb_site *m,
						 const struct kb_plot_config *l,
						 const struct kb_chart_marker **mk)
{
	size_t i, k;

	for (i = l->n - 1; i-- > 0;)
		for (k = 0; k < m->nmarkers; k++)
			if (!strcmp(m->markers[k].sha, l->builds[i].sha)) {
				*mk = &m->markers[k];
				return &l->builds[i];
			}
	return NULL;
}

/* A change cell: the size's change since base, and base's commit (or why there is none). */
static void change_cell(FILE *f, const struct kb_site_config *c, const struct kb_line_build *now,
			const struct kb_line_build *base, const char *why, const char *label)
{
	if (!base || base == now) {
		fprintf(f, "<td class=\"muted\">%s</td>", why);
		return;
	}
	fprintf(f, "<td><span class=\"n%s\">",
		now->total > base->total ? " bad" :
		now->total < base->total ? " good" :
					   "");
	kb_site_delta(f, now->total - base->total);
	fputs("</span> since ", f);
	if (label) {
		kb_escape_html(f, label);
		fputc(' ', f);
	}
	kb_site_commit_link(f, c, base->sha, "");
	fputs("</td>", f);
}

/* Each config's latest size and its change over the last day, week and release. */
static void write_latest(FILE *f, const struct kb_site *m)
{
	static const char *const heads[] = { "config",	 "latest commit", "#size (bytes)",
					     "last day", "last week",	  "since the release",
					     NULL };
	size_t i;

	fputs("<h2>Latest sizes</h2>\n", f);
	kb_site_table_open(f, heads);
	for (i = 0; i < m->n; i++) {
		const struct kb_site_config *c = &m->v[i];
		const struct kb_plot_config *l = c->line;
		const struct kb_line_build *now = &l->builds[l->n - 1], *rel;
		const struct kb_chart_marker *mk = NULL;
		int64_t t = l->times[l->n - 1];

		fprintf(f, "<tr><td><a href=\"#%s\">", c->slug);
		kb_escape_html(f, c->name);
		fputs("</a></td><td>", f);
		kb_site_commit_link(f, c, now->sha, "");
		fputs(" <span class=\"s\">", f);
		kb_site_time(f, t);
		fputs("</span></td><td class=\"n\">", f);
		kb_site_bytes(f, now->total);
		fputs("</td>", f);
		change_cell(f, c, now, build_at(l, t - 86400), "no build a day older", NULL);
		change_cell(f, c, now, build_at(l, t - 7 * 86400), "no build a week older", NULL);
		rel = release_build(m, l, &mk);
		change_cell(f, c, now, rel, "no release tag on the line (--repo, --tags)",
			    mk ? mk->text : NULL);
		fputs("</tr>\n", f);
	}
	kb_site_table_close(f);
}

/* What the site covers: the repository, the range, the configs, arch, toolchains, when. */
static void write_about(FILE *f, const struct kb_site *m)
{
	size_t i, k;

	fputs("<dl>\n<dt>repository</dt><dd>", f);
	kb_escape_html(f, m->repo ? m->repo : "(not recorded)");
	fputs("</dd>\n<dt>generated</dt><dd>", f);
	kb_site_time(f, m->generated);
	fputs("</dd>\n<dt>feed</dt><dd><a href=\"feed.xml\">regressions of ", f);
	kb_site_bytes(f, m->threshold);
	fputs(" bytes or more (Atom)</a></dd>\n</dl>\n", f);
	for (i = 0; i < m->n; i++) {
		const struct kb_site_config *c = &m->v[i];
		const struct kb_plot_config *l = c->line;

		fputs("<dl>\n<dt>config</dt><dd>", f);
		kb_escape_html(f, c->name);
		if (*c->about.spec && strcmp(c->about.spec, c->name)) {
			fputs(" (", f);
			kb_escape_html(f, c->about.spec);
			fputc(')', f);
		}
		fputs("</dd>\n<dt>arch</dt><dd>", f);
		kb_escape_html(f, c->about.arch);
		fputs("</dd>\n<dt>range</dt><dd>", f);
		kb_site_commit_link(f, c, l->builds[0].sha, "");
		fputs(" (", f);
		kb_site_time(f, l->times[0]);
		fputs(") to ", f);
		kb_site_commit_link(f, c, l->builds[l->n - 1].sha, "");
		fputs(" (", f);
		kb_site_time(f, l->times[l->n - 1]);
		fprintf(f,
			"): %zu builds on the first-parent line; %lld ok, %lld failed, %lld "
			"skipped in all</dd>\n<dt>toolchain</dt><dd>",
			l->n, (long long)c->about.ok, (long long)c->about.failed,
			(long long)c->about.skipped);
		for (k = 0; k < c->about.ntoolchains; k++) {
			fputs(k ? "<br>" : "", f);
			kb_escape_html(f, c->about.toolchains[k]);
		}
		if (!c->about.ntoolchains)
			fputs("(not recorded)", f);
		fputs("</dd>\n</dl>\n", f);
	}
}

void kb_site_write_index(FILE *f, const struct kb_site *m)
{
	size_t i;

	kb_site_page_head(f, "Kernel size: who made it grow, who made it shrink", NULL);
	write_about(f, m);
	write_latest(f, m);
	if (m->n > 1)
		fputs("<h2>Configs side by side</h2>\n<img src=\"charts/compare.png\" "
		      "alt=\"kernel proper per commit, by config\">\n",
		      f);
	for (i = 0; i < m->n; i++)
		write_config(f, m, &m->v[i]);
	kb_site_page_foot(f);
}

/*
 * A page is written whole at its close, and only when its bytes differ from the file's: a
 * site made again over the last one (a nightly job's) keeps the mtime of every page that
 * did not change (thousands of commit pages), so that rsync and web caches skip them, and
 * the file system makes no new inode for it.
 */
struct page {
	int fd; /* the file, opened (not truncated) when the page was */
	char *buf;
	size_t len, alloc;
};

static ssize_t page_write(void *cookie, const char *data, size_t n)
{
	struct page *p = cookie;

	ALLOC_GROW(p->buf, p->len + n, p->alloc);
	memcpy(p->buf + p->len, data, n);
	p->len += n;
	return (ssize_t)n;
}

/* 1 when the file holds exactly the page's bytes, 0 when not, -1 on a read error. */
static int page_same(const struct page *p)
{
	struct stat st;
	char buf[65536];
	size_t off = 0;
	ssize_t n;

	if (fstat(p->fd, &st))
		return -1;
	if ((size_t)st.st_size != p->len)
		return 0;
	while (off < p->len) {
		n = pread(p->fd, buf, sizeof(buf), (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -1 : 0;
		if (memcmp(buf, p->buf + off, (size_t)n))
			return 0;
		off += (size_t)n;
	}
	return 1;
}

static int page_close(void *cookie)
{
	struct page *p = cookie;
	size_t off = 0;
	ssize_t n;
	int same = page_same(p), rc = 0;

	if (same < 0) {
		rc = -1;
	} else if (!same) {
		if (ftruncate(p->fd, 0))
			rc = -1;
		while (!rc && off < p->len) {
			n = pwrite(p->fd, p->buf + off, p->len - off, (off_t)off);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				if (!n)
					errno = EIO;
				rc = -1;
			}
			off += n > 0 ? (size_t)n : 0;
		}
	}
	if (close(p->fd) && !rc)
		rc = -1;
	free(p->buf);
	free(p);
	return rc;
}

FILE *kb_site_open_page(const char *path)
{
	static const cookie_io_functions_t io = { .write = page_write, .close = page_close };
	int fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0666);
	struct page *p;
	FILE *f;

	if (fd < 0) {
		kb_error_set("%s: cannot write: %s", path, strerror(errno));
		return NULL;
	}
	p = xcalloc(1, sizeof(*p));
	p->fd = fd;
	f = fopencookie(p, "w", io);
	if (!f) {
		kb_error_set("%s: cannot write: %s", path, strerror(errno));
		close(fd);
		free(p);
	}
	return f;
}

int kb_site_close_page(FILE *f, const char *path)
{
	if (ferror(f) | fclose(f))
		return kb_error_set("%s: cannot write: %s", path, strerror(errno));
	return 0;
}

/* The config's commit pages (its line's in one walk, then the rest: the line's shas are the
 * first c->commits holds) and its subsystem pages, from the sizes that walk summed. */
static int config_pages(const struct kb_site *m, const struct kb_site_config *c, struct kb_store *s,
			const char *outdir, struct kb_site_stats *st)
{
	struct kb_site_series ser = { 0 };
	size_t k;
	int rc = KB_ERR;

	if (kb_site_line_pages(m, s, outdir, c, &ser, &st->pages))
		goto out;
	for (k = c->line->n; k < c->commits.nr; k++, st->pages++)
		if (kb_site_commit_page(m, s, outdir, c, c->commits.strs[k]))
			goto out;
	for (k = 0; k < c->nsubsystems; k++, st->pages++)
		if (kb_site_subsystem_page(m, &ser, outdir, c, k, &st->charts))
			goto out;
	rc = 0;
out:
	free(ser.v);
	return rc;
}

static int make_dirs(const char *outdir)
{
	static const char *const sub[] = { "charts", "commit", "subsystem", "author" };
	struct strbuf path = STRBUF_INIT;
	struct stat st;
	size_t i;
	int rc = 0;

	for (i = 0; i < sizeof(sub) / sizeof(*sub) && !rc; i++) {
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/%s", outdir, sub[i]);
		if (mkdir(path.buf, 0777) && errno != EEXIST)
			rc = kb_error_set("%s: cannot create the directory: %s", path.buf,
					  strerror(errno));
		else if (lstat(path.buf, &st) || !S_ISDIR(st.st_mode))
			rc = kb_error_set("%s: not a directory (a symbolic link is not followed)",
					  path.buf);
	}
	strbuf_release(&path);
	return rc;
}

/* index.html and feed.xml */
static int write_top(const struct kb_site *m, const char *outdir, size_t *entries)
{
	struct strbuf path = STRBUF_INIT;
	FILE *f;
	int rc = KB_ERR;

	strbuf_addf(&path, "%s/index.html", outdir);
	if (!(f = kb_site_open_page(path.buf)))
		goto out;
	kb_site_write_index(f, m);
	if (kb_site_close_page(f, path.buf))
		goto out;
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/feed.xml", outdir);
	if (!(f = kb_site_open_page(path.buf)))
		goto out;
	*entries = kb_site_write_feed(f, m);
	rc = kb_site_close_page(f, path.buf);
out:
	strbuf_release(&path);
	return rc;
}

/* A size chart's point links its commit's page, when the commit has one (from charts/). */
static int chart_href(struct strbuf *sb, const struct kb_plot_config *chart, const char *sha,
		      void *arg)
{
	const struct kb_site *m = arg;
	const struct kb_site_config *c = &m->v[chart - m->charts->v];

	if (!kb_is_sha(sha) || kb_strtab_find(&c->commits, sha, strlen(sha)) < 0)
		return 0;
	strbuf_addf(sb, "../commit/%s-%s.html", sha, c->slug);
	return 1;
}

int kb_site_write(const struct kb_site *m, struct kb_store *s, const char *outdir,
		  struct kb_site_stats *st)
{
	struct kb_plot_opts chart_opts = KB_PLOT_OPTS_INIT;
	struct strbuf charts = STRBUF_INIT;
	size_t i;
	int rc = KB_ERR;

	memset(st, 0, sizeof(*st));
	chart_opts.size_formats = KB_PLOT_PNG | KB_PLOT_SVG;
	chart_opts.markers = m->markers;
	chart_opts.nmarkers = m->nmarkers;
	chart_opts.href = chart_href;
	chart_opts.href_arg = (void *)m;
	strbuf_addf(&charts, "%s/charts", outdir);
	if (make_dirs(outdir) || kb_plot_draw(m->charts, charts.buf, &chart_opts, &st->charts) ||
	    write_top(m, outdir, &st->entries))
		goto out;
	st->pages = 1;
	for (i = 0; i < m->n; i++)
		if (config_pages(m, &m->v[i], s, outdir, st))
			goto out;
	for (i = 0; i < m->authors.nr; i++, st->pages++)
		if (kb_site_author_page(m, outdir, i))
			goto out;
	rc = 0;
out:
	strbuf_release(&charts);
	return rc;
}
