/*
 * site.c - the static site: its model read from the store, its index, and its commit and
 * subsystem pages rendered one at a time from the show and history reports; see site.h.
 */
#include "site.h"

#include "escape.h"
#include "history.h"
#include "show.h"
#include "subsystems.h"
#include "error.h"
#include "sha.h"
#include "strbuf.h"
#include "xalloc.h"

#include <errno.h>
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
	kb_strtab_release(&c->commits);
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
	free(m);
}

/* The symbols that grew most in r's build, and the subsystem. */
static int read_changes(struct kb_store *s, struct kb_site_row *r)
{
	if (kb_store_top_changes(s, r->b.build, KB_TOP_SYMBOLS, SITE_TOP_SYMBOLS, &r->syms,
				 &r->nsyms) ||
	    kb_store_top_changes(s, r->b.build, KB_TOP_SUBSYSTEMS, 1, &r->subs, &r->nsubs))
		return KB_ERR;
	return 0;
}

/* The builds of a wall, each with what grew most in it. */
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
		if (read_changes(s, &v[i])) {
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

/* The commits with a page: the newest builds', then the walls' (each once). */
static int read_commits(struct kb_store *s, struct kb_site_config *c, size_t pages)
{
	char **shas;
	size_t n, i;

	if (kb_store_newest_shas(s, c->id, pages, &shas, &n))
		return KB_ERR;
	for (i = 0; i < n; i++)
		add_commit(c, shas[i]);
	kb_store_names_free(shas, n);
	for (i = 0; i < c->nregressions; i++)
		add_commit(c, c->regressions[i].b.sha);
	for (i = 0; i < c->nreductions; i++)
		add_commit(c, c->reductions[i].b.sha);
	return 0;
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
	if (kb_store_find_config(s, name, &c->id) ||
	    read_wall(s, c->id, KB_WALL_REGRESSIONS, o->walls, &c->regressions, &c->nregressions) ||
	    read_wall(s, c->id, KB_WALL_REDUCTIONS, o->walls, &c->reductions, &c->nreductions) ||
	    read_commits(s, c, o->pages))
		return KB_ERR;
	return read_subsystems(s, it, c);
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
	if (kb_plot_build(&m->charts, s, it, names, n, KB_PLOT_TOP))
		goto out;
	for (size_t i = 0; i < n; i++)
		if (build_config(&m->v[i], s, it, &m->charts->v[i], o))
			goto out;
	*out = m;
	m = NULL;
	rc = 0;
out:
	kb_site_free(m);
	return rc;
}

static const char style[] =
	"body{font-family:sans-serif;max-width:1150px;margin:2em auto;color:#222}"
	"table{border-collapse:collapse;margin:1em 0}td,th{padding:.2em .6em;border-bottom:1px "
	"solid #ddd;text-align:left}td.n{text-align:right;font-family:monospace}"
	"pre{background:#f6f6f6;padding:1em;overflow-x:auto}img{max-width:100%}"
	".bad{color:#b00}.good{color:#070}";

/* A page's head and title; up: the index, relative to the page (NULL: the index itself). */
static void page_head(FILE *f, const char *title, const char *up)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>", f);
	kb_escape_html(f, title);
	fprintf(f, "</title><style>%s</style></head><body>\n", style);
	if (up)
		fprintf(f, "<p><a href=\"%s\">&larr; all configs</a></p>\n", up);
	fputs("<h1>", f);
	kb_escape_html(f, title);
	fputs("</h1>\n", f);
}

static void page_foot(FILE *f)
{
	fputs("<p><small>made by kbloat " KB_VERSION "</small></p>\n</body></html>\n", f);
}

/* A link to the commit's page, or its (escaped) sha alone if it has none. */
static void write_commit_link(FILE *f, const struct kb_site_config *c, const char *sha)
{
	char s[13];

	snprintf(s, sizeof(s), "%s", sha ? sha : "");
	if (kb_is_sha(sha))
		fprintf(f, "<a href=\"commit/%s-%s.html\"><code>%s</code></a>", sha, c->slug, s);
	else {
		fputs("<code>", f);
		kb_escape_html(f, s);
		fputs("</code>", f);
	}
}

static void write_wall(FILE *f, const struct kb_site_config *c, const struct kb_site_row *rows,
		       size_t n, enum kb_wall which)
{
	size_t i, k;

	if (!n) {
		fputs("<p>none recorded</p>\n", f);
		return;
	}
	fputs("<table><tr><th>commit</th><th>author</th><th>date</th><th>subject</th>"
	      "<th>subsystem</th><th>delta</th><th>top symbols</th></tr>\n",
	      f);
	for (i = 0; i < n; i++) {
		const struct kb_site_row *r = &rows[i];
		char date[16];

		kb_format_date(r->b.author_time, date);
		fputs("<tr><td>", f);
		write_commit_link(f, c, r->b.sha);
		fputs("</td><td>", f);
		kb_escape_html(f, r->b.author);
		fprintf(f, "</td><td>%s</td><td>", date);
		kb_escape_html(f, r->b.subject);
		fputs("</td><td>", f);
		if (r->nsubs)
			kb_escape_html(f, r->subs[0].name);
		fprintf(f, "</td><td class=\"n %s\">%+lld</td><td>",
			which == KB_WALL_REGRESSIONS ? "bad" : "good", (long long)r->b.delta);
		for (k = 0; k < r->nsyms; k++) {
			fputs(k ? ", " : "", f);
			kb_escape_html(f, r->syms[k].name);
			fprintf(f, " %+lld", (long long)r->syms[k].delta);
		}
		fputs("</td></tr>\n", f);
	}
	fputs("</table>\n", f);
}

static void write_config(FILE *f, const struct kb_site_config *c)
{
	size_t k;

	fprintf(f, "<h2 id=\"%s\">", c->slug);
	kb_escape_html(f, c->name);
	fprintf(f,
		"</h2>\n<object type=\"image/svg+xml\" data=\"charts/%s-size.svg\" "
		"width=\"1100\" height=\"580\"><img src=\"charts/%s-size.png\" alt=\"size "
		"per commit, by class\"></object>\n<img src=\"charts/%s-proper.png\" "
		"alt=\"kernel proper, code "
		"and data, everything modularized and hard core per commit\">\n<img "
		"src=\"charts/%s-subsystems.png\" alt=\"the largest subsystems per "
		"commit\">\n<h3>Wall of regressions</h3>\n",
		c->slug, c->slug, c->slug, c->slug);
	write_wall(f, c, c->regressions, c->nregressions, KB_WALL_REGRESSIONS);
	fputs("<h3>Wall of thanks: the largest reductions</h3>\n", f);
	write_wall(f, c, c->reductions, c->nreductions, KB_WALL_REDUCTIONS);
	fputs("<h3>Subsystems</h3>\n<ul>\n", f);
	for (k = 0; k < c->nsubsystems; k++) {
		fprintf(f, "<li><a href=\"subsystem/%s-%s.html\">", c->subslugs[k], c->slug);
		kb_escape_html(f, c->subsystems[k]);
		fputs("</a></li>\n", f);
	}
	fputs("</ul>\n", f);
}

void kb_site_write_index(FILE *f, const struct kb_site *m)
{
	size_t i;

	page_head(f, "Kernel size: who made it grow, who made it shrink", NULL);
	if (m->n > 1)
		fputs("<h2>Configs side by side</h2>\n<img src=\"charts/compare.png\" "
		      "alt=\"kernel proper per commit, by config\">\n",
		      f);
	for (i = 0; i < m->n; i++)
		write_config(f, &m->v[i]);
	page_foot(f);
}

/* A page to write; a symbolic link in its place is not followed (an error). */
static FILE *open_page(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0666);
	FILE *f = fd < 0 ? NULL : fdopen(fd, "w");

	if (!f) {
		kb_error_set("%s: cannot write: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
	}
	return f;
}

static int close_page(FILE *f, const char *path)
{
	if (ferror(f) | fclose(f))
		return kb_error_set("%s: cannot write: %s", path, strerror(errno));
	return 0;
}

/* A report's text, as its writer wrote it, escaped in a <pre>. */
struct pre {
	FILE *f;
	char *buf;
	size_t len;
};

static FILE *pre_open(struct pre *p)
{
	memset(p, 0, sizeof(*p));
	p->f = open_memstream(&p->buf, &p->len);
	if (!p->f)
		kb_error_set("cannot hold a page's text: %s", strerror(errno));
	return p->f;
}

static int pre_close(struct pre *p, FILE *page)
{
	int rc = 0;

	if (ferror(p->f) | fclose(p->f))
		rc = kb_error_set("cannot hold a page's text: %s", strerror(errno));
	else {
		fputs("<pre>", page);
		kb_escape_html(page, p->buf);
		fputs("</pre>\n", page);
	}
	free(p->buf);
	return rc;
}

/* What `kbloat show` prints of the build of sha in c. */
static int show_body(FILE *f, struct kb_store *s, const struct kb_site_config *c, const char *sha)
{
	struct kb_show *m;
	struct pre p;
	int64_t build;
	int rc;

	if (kb_store_find_build(s, sha, c->name, &build) || kb_show_build(&m, s, build))
		return KB_ERR;
	rc = pre_open(&p) ? 0 : KB_ERR;
	if (!rc) {
		kb_show_write_text(p.f, m);
		rc = pre_close(&p, f);
	}
	kb_show_free(m);
	return rc;
}

/* What `kbloat history --subsystem sub` prints of c. */
static int history_body(FILE *f, struct kb_store *s, const struct kb_site_config *c,
			const char *sub)
{
	struct kb_scope sc = { .subsystem = sub, .cls = -1 };
	struct kb_history *m;
	struct pre p;
	int rc;

	if (kb_history_build(&m, s, c->id, &sc))
		return KB_ERR;
	rc = pre_open(&p) ? 0 : KB_ERR;
	if (!rc) {
		kb_history_write_text(p.f, m);
		rc = pre_close(&p, f);
	}
	kb_history_free(m);
	return rc;
}

static int commit_page(const char *outdir, struct kb_store *s, const struct kb_site_config *c,
		       const char *sha)
{
	struct strbuf path = STRBUF_INIT, title = STRBUF_INIT;
	FILE *f;
	int rc = KB_ERR;

	if (!kb_is_sha(sha)) /* a file name is made of it: never "../x" */
		return kb_error_set("not a commit sha: a page is not named by it");
	strbuf_addf(&path, "%s/commit/%s-%s.html", outdir, sha, c->slug);
	strbuf_addf(&title, "%.12s in %s", sha, c->name);
	if (!(f = open_page(path.buf)))
		goto out;
	page_head(f, title.buf, "../index.html");
	rc = show_body(f, s, c, sha);
	page_foot(f);
	rc = close_page(f, path.buf) || rc ? KB_ERR : 0;
out:
	strbuf_release(&path);
	strbuf_release(&title);
	return rc;
}

static int subsystem_page(const char *outdir, struct kb_store *s, const struct kb_site_config *c,
			  size_t k)
{
	struct strbuf path = STRBUF_INIT, title = STRBUF_INIT;
	const char *sub = c->subsystems[k];
	FILE *f;
	int rc = KB_ERR;

	strbuf_addf(&path, "%s/subsystem/%s-%s.html", outdir, c->subslugs[k], c->slug);
	strbuf_addf(&title, "%s in %s", sub, c->name);
	if (!(f = open_page(path.buf)))
		goto out;
	page_head(f, title.buf, "../index.html");
	rc = history_body(f, s, c, sub);
	page_foot(f);
	rc = close_page(f, path.buf) || rc ? KB_ERR : 0;
out:
	strbuf_release(&path);
	strbuf_release(&title);
	return rc;
}

static int config_pages(const struct kb_site_config *c, struct kb_store *s, const char *outdir,
			size_t *pages)
{
	size_t k;

	for (k = 0; k < c->commits.nr; k++, ++*pages)
		if (commit_page(outdir, s, c, c->commits.strs[k]))
			return KB_ERR;
	for (k = 0; k < c->nsubsystems; k++, ++*pages)
		if (subsystem_page(outdir, s, c, k))
			return KB_ERR;
	return 0;
}

static int make_dirs(const char *outdir)
{
	static const char *const sub[] = { "charts", "commit", "subsystem" };
	struct strbuf path = STRBUF_INIT;
	struct stat st;
	size_t i;
	int rc = 0;

	for (i = 0; i < 3 && !rc; i++) {
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

static int write_index(const struct kb_site *m, const char *outdir)
{
	struct strbuf path = STRBUF_INIT;
	FILE *f;
	int rc = KB_ERR;

	strbuf_addf(&path, "%s/index.html", outdir);
	if ((f = open_page(path.buf))) {
		kb_site_write_index(f, m);
		rc = close_page(f, path.buf);
	}
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
	    write_index(m, outdir))
		goto out;
	st->pages = 1;
	for (i = 0; i < m->n; i++)
		if (config_pages(&m->v[i], s, outdir, &st->pages))
			goto out;
	rc = 0;
out:
	strbuf_release(&charts);
	return rc;
}
