/*
 * cmd_site.c - `kbloat site`: a static site from the store that needs no server. An index
 * with each config's charts, a wall of the largest regressions and a wall of thanks for the
 * largest reductions; a page per commit (bloat-o-meter's text and the subsystem roll-up, as
 * `kbloat show` prints them) and per subsystem (its history). Everything that comes from a
 * repository (names, subjects, paths, symbols) is HTML-escaped; file names are built from
 * shas and made-safe names only.
 */
#include "kbloat.h"

#include "store_internal.h" /* FIXME(issue 14): its SQL moves into the store */

#include "plot.h"
#include "query.h"
#include "subsystems.h"
#include "run.h"
#include "store.h"
#include "error.h"
#include "strbuf.h"
#include "xalloc.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char site_usage[] =
	"usage: kbloat site [--db DB] --out DIR [--config C...] [--walls N] [--pages N]\n"
	"\n"
	"  --walls N   rows on the walls of regressions and of thanks (default 20)\n"
	"  --pages N   commit pages per config besides the walls': the newest N builds (default "
	"100)\n";

static void html(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&':
			fputs("&amp;", f);
			break;
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		case '\'':
			fputs("&#39;", f);
			break;
		default:
			fputc(*s, f);
		}
	}
}

static const char style[] =
	"body{font-family:sans-serif;max-width:1150px;margin:2em auto;color:#222}"
	"table{border-collapse:collapse;margin:1em 0}td,th{padding:.2em .6em;border-bottom:1px "
	"solid #ddd;text-align:left}td.n{text-align:right;font-family:monospace}"
	"pre{background:#f6f6f6;padding:1em;overflow-x:auto}img{max-width:100%}"
	".bad{color:#b00}.good{color:#070}";

static FILE *page(const char *path, const char *title, const char *up)
{
	FILE *f = fopen(path, "w");

	if (!f) {
		kb_error_set("%s: cannot write: %s", path, strerror(errno));
		return NULL;
	}
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>", f);
	html(f, title);
	fprintf(f, "</title><style>%s</style></head><body>\n", style);
	if (up)
		fprintf(f, "<p><a href=\"%s\">&larr; all configs</a></p>\n", up);
	fputs("<h1>", f);
	html(f, title);
	fputs("</h1>\n", f);
	return f;
}

static int end_page(FILE *f, const char *path)
{
	fputs("<p><small>made by kbloat " KB_VERSION "</small></p>\n</body></html>\n", f);
	if (ferror(f) | fclose(f))
		return kb_error_set("%s: cannot write: %s", path, strerror(errno));
	return 0;
}

/* Runs kbloat itself (no shell) with argv and puts its output, escaped, in a <pre>. */
static int pre_of(FILE *f, const char *self, const char *const *argv, const char *tmp)
{
	struct kb_run r = { 0 };
	struct kb_run_result res;
	struct strbuf out = STRBUF_INIT;
	const char *v[16];
	size_t i;

	v[0] = self;
	for (i = 0; argv[i] && i < 14; i++)
		v[i + 1] = argv[i];
	v[i + 1] = NULL;
	unlink(tmp);
	r.argv = v;
	r.log = tmp;
	r.timeout = 300;
	if (kb_run(&r, &res))
		return KB_ERR;
	if (strbuf_read_file(&out, tmp))
		strbuf_reset(&out);
	unlink(tmp);
	fputs("<pre>", f);
	html(f, out.buf);
	fputs("</pre>\n", f);
	strbuf_release(&out);
	if (!res.exited || res.code)
		return kb_error_set("kbloat %s failed while making a page (its output is on it)",
				    argv[0]);
	return 0;
}

struct wall_row {
	int64_t build, delta, time;
	char *sha, *author, *subject;
};

static int wall(struct kb_store *s, int64_t config_id, int regressions, long n,
		struct wall_row **rows, size_t *nrows)
{
	sqlite3_stmt *st;
	size_t alloc = 0;

	*rows = NULL;
	*nrows = 0;
	if (kb_store_prepare(s, &st,
			     regressions ?
				     "SELECT b.id, b.d_total, c.author_time, c.sha, c.author_name, "
				     "c.subject FROM builds b JOIN commits c ON c.id = b.commit_id "
				     "WHERE b.config_id = ?1 AND b.status = 'ok' AND b.d_total > 0 "
				     "ORDER BY b.d_total DESC, c.sha LIMIT ?2" :
				     "SELECT b.id, b.d_total, c.author_time, c.sha, c.author_name, "
				     "c.subject FROM builds b JOIN commits c ON c.id = b.commit_id "
				     "WHERE b.config_id = ?1 AND b.status = 'ok' AND b.d_total < 0 "
				     "ORDER BY b.d_total, c.sha LIMIT ?2"))
		return KB_ERR;
	sqlite3_bind_int64(st, 1, config_id);
	sqlite3_bind_int64(st, 2, n);
	while (sqlite3_step(st) == SQLITE_ROW) {
		struct wall_row *r;

		ALLOC_GROW(*rows, *nrows + 1, alloc);
		r = &(*rows)[(*nrows)++];
		r->build = sqlite3_column_int64(st, 0);
		r->delta = sqlite3_column_int64(st, 1);
		r->time = sqlite3_column_int64(st, 2);
		r->sha = xstrdup((const char *)sqlite3_column_text(st, 3));
		r->author = xstrdup((const char *)sqlite3_column_text(st, 4));
		r->subject = xstrdup((const char *)sqlite3_column_text(st, 5));
	}
	sqlite3_finalize(st);
	return 0;
}

static void wall_release(struct wall_row *rows, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(rows[i].sha);
		free(rows[i].author);
		free(rows[i].subject);
	}
	free(rows);
}

static int print_wall(FILE *f, struct kb_store *s, const char *cslug, const struct wall_row *rows,
		      size_t n, int regressions)
{
	size_t i, k;

	if (!n) {
		fputs("<p>none recorded</p>\n", f);
		return 0;
	}
	fputs("<table><tr><th>commit</th><th>author</th><th>date</th><th>subject</th>"
	      "<th>subsystem</th><th>delta</th><th>top symbols</th></tr>\n",
	      f);
	for (i = 0; i < n; i++) {
		json_t *syms = json_array(), *subs = json_array();
		char date[16];

		if (kb_blame_top(s, rows[i].build, 0, syms) ||
		    kb_blame_top(s, rows[i].build, 1, subs)) {
			json_decref(syms);
			json_decref(subs);
			return KB_ERR;
		}
		kb_format_date(rows[i].time, date);
		fprintf(f, "<tr><td><a href=\"commit/%s-%s.html\"><code>%.12s</code></a></td><td>",
			rows[i].sha, cslug, rows[i].sha);
		html(f, rows[i].author);
		fprintf(f, "</td><td>%s</td><td>", date);
		html(f, rows[i].subject);
		fputs("</td><td>", f);
		if (json_array_size(subs))
			html(f,
			     json_string_value(json_object_get(json_array_get(subs, 0), "name")));
		fprintf(f, "</td><td class=\"n %s\">%+lld</td><td>", regressions ? "bad" : "good",
			(long long)rows[i].delta);
		for (k = 0; k < json_array_size(syms); k++) {
			json_t *o = json_array_get(syms, k);

			fputs(k ? ", " : "", f);
			html(f, json_string_value(json_object_get(o, "name")));
			fprintf(f, " %+lld",
				(long long)json_integer_value(json_object_get(o, "delta")));
		}
		fputs("</td></tr>\n", f);
		json_decref(syms);
		json_decref(subs);
	}
	fputs("</table>\n", f);
	return 0;
}

/* The commits that get a page: the walls', and the newest builds of the line. */
static int commit_pages(struct kb_store *s, int64_t config_id, long pages, json_t *shas)
{
	sqlite3_stmt *st;

	if (kb_store_prepare(s, &st,
			     "SELECT c.sha FROM builds b JOIN commits c ON c.id = b.commit_id "
			     "WHERE b.config_id = ?1 ORDER BY c.committer_time DESC, b.id DESC "
			     "LIMIT ?2"))
		return KB_ERR;
	sqlite3_bind_int64(st, 1, config_id);
	sqlite3_bind_int64(st, 2, pages);
	while (sqlite3_step(st) == SQLITE_ROW)
		json_object_set_new(shas, (const char *)sqlite3_column_text(st, 0), json_true());
	sqlite3_finalize(st);
	return 0;
}

/* The largest subsystems of the newest build of config, at most n. */
static int top_subsystems(struct kb_store *s, const struct kb_items *it, int64_t config_id, long n,
			  json_t *out)
{
	struct kb_strtab names = KB_STRTAB_INIT;
	struct kb_sizes z = { 0 };
	uint32_t *order = NULL;
	uint64_t *sums = NULL;
	int64_t *ids = NULL;
	size_t nb = 0, alloc = 0, i;
	int rc = KB_ERR;

	if (kb_build_line(s, config_id, 0, &ids, &nb))
		return KB_ERR;
	if (nb && kb_store_sizes(s, ids[nb - 1], &z))
		goto out;
	kb_subsystem_sums(it, &z, &names, &sums, &alloc);
	order = kb_subsystems_by_size(&names, sums, alloc);
	/* rows with no subsystem (padding, sections) have no history page of their own */
	for (i = 0; i < names.nr && json_array_size(out) < (size_t)n && sums[order[i]]; i++)
		if (strcmp(names.strs[order[i]], KB_NO_SUBSYSTEM))
			json_array_append_new(out, json_string(names.strs[order[i]]));
	rc = 0;
out:
	free(order);
	free(sums);
	free(ids);
	kb_sizes_release(&z);
	kb_strtab_release(&names);
	return rc;
}

static int site(const char *db, const char *outdir, json_t *names, long walls, long pages)
{
	struct kb_store *s = NULL;
	struct kb_items it = { 0 };
	struct strbuf path = STRBUF_INIT, tmp = STRBUF_INIT, cs = STRBUF_INIT;
	char self[PATH_MAX];
	ssize_t len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	size_t i, k, written = 0, npages = 0;
	FILE *f = NULL;
	int rc = KB_ERR;

	if (len <= 0)
		return kb_error_set("cannot find kbloat's own binary: %s", strerror(errno));
	self[len] = 0;
	strbuf_addf(&tmp, "%s/.kbloat-page.tmp", outdir);
	if (kb_store_open(&s, db, 0) || (!json_array_size(names) && kb_config_names(s, names)) ||
	    kb_items_load(s, &it))
		goto out;
	for (i = 0; i < 3; i++) {
		static const char *const sub[] = { "charts", "commit", "subsystem" };

		strbuf_reset(&path);
		strbuf_addf(&path, "%s/%s", outdir, sub[i]);
		if (mkdir(path.buf, 0777) && errno != EEXIST) {
			kb_error_set("%s: cannot create the directory: %s", path.buf,
				     strerror(errno));
			goto out;
		}
	}
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/charts", outdir);
	{
		struct kb_plot_opts po = KB_PLOT_OPTS_INIT;
		const char **v = xcalloc(json_array_size(names) + 1, sizeof(*v));

		for (i = 0; i < json_array_size(names); i++)
			v[i] = json_string_value(json_array_get(names, i));
		rc = kb_plot_charts(s, &it, v, json_array_size(names), path.buf, &po, &written);
		free(v);
		if (rc)
			goto out;
		rc = KB_ERR;
	}
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/index.html", outdir);
	if (!(f = page(path.buf, "Kernel size: who made it grow, who made it shrink", NULL)))
		goto out;
	if (json_array_size(names) > 1)
		fputs("<h2>Configs side by side</h2>\n<img src=\"charts/compare.png\" "
		      "alt=\"kernel proper per commit, by config\">\n",
		      f);
	for (i = 0; i < json_array_size(names); i++) {
		const char *name = json_string_value(json_array_get(names, i));
		struct wall_row *reg = NULL, *red = NULL;
		size_t nreg = 0, nred = 0;
		json_t *shas = json_object(), *subs = json_array(), *v;
		const char *sha;
		int64_t config_id;

		strbuf_reset(&cs);
		strbuf_add_filename(&cs, name);
		if (kb_store_find_config(s, name, &config_id) ||
		    wall(s, config_id, 1, walls, &reg, &nreg) ||
		    wall(s, config_id, 0, walls, &red, &nred) ||
		    commit_pages(s, config_id, pages, shas) ||
		    top_subsystems(s, &it, config_id, 20, subs)) {
			wall_release(reg, nreg);
			wall_release(red, nred);
			json_decref(shas);
			json_decref(subs);
			goto out;
		}
		fprintf(f, "<h2 id=\"%s\">", cs.buf);
		html(f, name);
		fprintf(f,
			"</h2>\n<img src=\"charts/%s-size.png\" alt=\"size per commit, by "
			"class\">\n<img src=\"charts/%s-subsystems.png\" alt=\"the largest "
			"subsystems per commit\">\n<h3>Wall of regressions</h3>\n",
			cs.buf, cs.buf);
		rc = print_wall(f, s, cs.buf, reg, nreg, 1);
		if (!rc) {
			fputs("<h3>Wall of thanks: the largest reductions</h3>\n", f);
			rc = print_wall(f, s, cs.buf, red, nred, 0);
		}
		for (k = 0; !rc && k < nreg + nred; k++)
			json_object_set_new(shas, k < nreg ? reg[k].sha : red[k - nreg].sha,
					    json_true());
		wall_release(reg, nreg);
		wall_release(red, nred);
		if (!rc) {
			fputs("<h3>Subsystems</h3>\n<ul>\n", f);
			for (k = 0; k < json_array_size(subs); k++) {
				struct strbuf ss = STRBUF_INIT;
				const char *sub = json_string_value(json_array_get(subs, k));

				strbuf_add_filename(&ss, sub);
				fprintf(f, "<li><a href=\"subsystem/%s-%s.html\">", ss.buf, cs.buf);
				html(f, sub);
				fputs("</a></li>\n", f);
				strbuf_release(&ss);
			}
			fputs("</ul>\n", f);
		}
		/* the pages: per commit, and per subsystem */
		json_object_foreach(shas, sha, v)
		{
			const char *argv[] = { "show", "--db", db, "--config", name, sha, NULL };
			FILE *p;

			if (rc)
				break;
			strbuf_reset(&path);
			strbuf_addf(&path, "%s/commit/%s-%s.html", outdir, sha, cs.buf);
			{
				struct strbuf title = STRBUF_INIT;

				strbuf_addf(&title, "%.12s in %s", sha, name);
				p = page(path.buf, title.buf, "../index.html");
				strbuf_release(&title);
			}
			if (!p || pre_of(p, self, argv, tmp.buf) || end_page(p, path.buf))
				rc = KB_ERR;
			npages++;
		}
		for (k = 0; !rc && k < json_array_size(subs); k++) {
			const char *sub = json_string_value(json_array_get(subs, k));
			const char *argv[] = { "history", "--db",	 db,  "--config",
					       name,	  "--subsystem", sub, NULL };
			struct strbuf ss = STRBUF_INIT, title = STRBUF_INIT;
			FILE *p;

			strbuf_add_filename(&ss, sub);
			strbuf_reset(&path);
			strbuf_addf(&path, "%s/subsystem/%s-%s.html", outdir, ss.buf, cs.buf);
			strbuf_addf(&title, "%s in %s", sub, name);
			p = page(path.buf, title.buf, "../index.html");
			if (!p || pre_of(p, self, argv, tmp.buf) || end_page(p, path.buf))
				rc = KB_ERR;
			npages++;
			strbuf_release(&ss);
			strbuf_release(&title);
		}
		json_decref(shas);
		json_decref(subs);
		if (rc)
			goto out;
	}
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/index.html", outdir);
	rc = end_page(f, path.buf);
	f = NULL;
	if (!rc)
		printf("%s/index.html: %zu configs, %zu pages, %zu charts\n", outdir,
		       json_array_size(names), npages + 1, written);
out:
	if (f)
		fclose(f);
	kb_items_release(&it);
	kb_store_close(s);
	strbuf_release(&path);
	strbuf_release(&tmp);
	strbuf_release(&cs);
	return rc;
}

int cmd_site(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'D' },
		{ "out", required_argument, NULL, 'o' },
		{ "config", required_argument, NULL, 'c' },
		{ "walls", required_argument, NULL, 'w' },
		{ "pages", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *db = KB_DEFAULT_DB, *out = NULL;
	json_t *names = json_array();
	long walls = 20, pages = 100;
	char *outdir = NULL;
	int c, rc = KB_EXIT_USAGE;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'D':
			db = optarg;
			break;
		case 'o':
			out = optarg;
			break;
		case 'c':
			json_array_append_new(names, json_string(optarg));
			break;
		case 'w':
		case 'p':
			if (kb_parse_count(optarg) < 1) {
				kb_errorf("--%s %s: not a positive count",
					  c == 'w' ? "walls" : "pages", optarg);
				goto done;
			}
			*(c == 'w' ? &walls : &pages) = kb_parse_count(optarg);
			break;
		case 'h':
			fputs(site_usage, stdout);
			rc = KB_EXIT_OK;
			goto done;
		default:
			rc = kb_usage(site_usage);
			goto done;
		}
	}
	if (optind != argc || !out) {
		rc = kb_usage(site_usage);
		goto done;
	}
	outdir = kb_make_outdir(out);
	if (!outdir)
		goto done;
	rc = site(db, outdir, names, walls, pages) ? kb_report_error() : KB_EXIT_OK;
done:
	json_decref(names);
	free(outdir);
	return rc;
}

/* FIXME(issue 14): parses its own options until it moves onto the option table */
const struct kb_command kb_cmd_site = {
	.name = "site",
	.summary = "a static site: charts, walls of regressions and thanks",
	.usage = (const char *const[]){ "site [--db DB] --out DIR [options]", NULL },
	.legacy = cmd_site,
};
