/*
 * cmd_plot.c - `kbloat plot`: trend charts from the store with gnuplot. kbloat writes the
 * data files; the scripts in plots/ draw them. gnuplot runs from an argument vector (no
 * shell), and every string that reaches it (a config name, an author, a subsystem) is made
 * safe first: printable ASCII but for quotes and backslashes, inside single quotes.
 *
 * Per config: CONFIG-size.{png,svg} (size per commit stacked by class, the largest
 * regressions marked) and CONFIG-subsystems (the top subsystems stacked, the rest "other");
 * with several configs, compare (their totals side by side).
 */
#include "kbloat.h"

#include "store_internal.h" /* FIXME(issue 14): its SQL moves into the store */

#include "image.h"
#include "query.h"
#include "subsystems.h"
#include "run.h"
#include "store.h"
#include "error.h"
#include "strbuf.h"
#include "xalloc.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char plot_usage[] =
	"usage: kbloat plot [--db DB] [--config C...] --out DIR [--format png|svg|both]\n"
	"                   [--top N] [--annotate N]\n"
	"\n"
	"  --top N        subsystems drawn on their own (default 8; the rest are \"other\")\n"
	"  --annotate N   regressions marked with sha, author and change (default 5)\n";

static const char *plots_dir(void)
{
	return kb_data_dir("KBLOAT_PLOTS", KB_SOURCE_PLOTS, KB_INSTALL_PLOTS);
}

/* s made safe for gnuplot: printable ASCII, no quotes or backslashes (which become '). */
static void gp_safe(struct strbuf *out, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\' || c == '\'' || c == '`')
			strbuf_addch(out, '.');
		else if (c < 0x20 || c >= 0x7f)
			strbuf_addch(out, '?');
		else
			strbuf_addch(out, (char)c);
	}
}

struct line {
	int64_t *ids;
	size_t n;
	char (*sha)[41];
	char **author;
	int64_t *total, *delta, (*cls)[KB_CLS_NR];
	int *has_delta;
};

static void line_release(struct line *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->author[i]);
	free(l->ids);
	free(l->sha);
	free(l->author);
	free(l->total);
	free(l->delta);
	free(l->cls);
	free(l->has_delta);
	memset(l, 0, sizeof(*l));
}

static int load_line(struct kb_store *s, int64_t config_id, struct line *l)
{
	sqlite3_stmt *st;
	size_t i;
	int c;

	memset(l, 0, sizeof(*l));
	if (kb_build_line(s, config_id, 0, &l->ids, &l->n))
		return KB_ERR;
	l->sha = xcalloc(l->n + 1, sizeof(*l->sha));
	l->author = xcalloc(l->n + 1, sizeof(*l->author));
	l->total = xcalloc(l->n + 1, sizeof(*l->total));
	l->delta = xcalloc(l->n + 1, sizeof(*l->delta));
	l->cls = xcalloc(l->n + 1, sizeof(*l->cls));
	l->has_delta = xcalloc(l->n + 1, sizeof(*l->has_delta));
	if (kb_store_prepare(s, &st,
			     "SELECT c.sha, c.author_name, b.total, b.d_total, b.parent_build_id "
			     "IS NOT NULL, b.text, b.rodata, b.data, b.bss, b.init, b.percpu, "
			     "b.other FROM builds b JOIN commits c ON c.id = b.commit_id WHERE "
			     "b.id = ?1"))
		return KB_ERR;
	for (i = 0; i < l->n; i++) {
		sqlite3_bind_int64(st, 1, l->ids[i]);
		if (sqlite3_step(st) != SQLITE_ROW) {
			sqlite3_finalize(st);
			return kb_store_fail(s, "cannot read a build");
		}
		snprintf(l->sha[i], 41, "%s", (const char *)sqlite3_column_text(st, 0));
		l->author[i] = xstrdup((const char *)sqlite3_column_text(st, 1));
		l->total[i] = sqlite3_column_int64(st, 2);
		l->delta[i] = sqlite3_column_int64(st, 3);
		l->has_delta[i] = sqlite3_column_int(st, 4);
		for (c = 0; c < KB_CLS_NR; c++)
			l->cls[i][c] = sqlite3_column_int64(st, 5 + c);
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	return 0;
}

static FILE *open_out(const struct strbuf *path)
{
	FILE *f = fopen(path->buf, "w");

	if (!f)
		kb_error_set("%s: cannot write: %s", path->buf, strerror(errno));
	return f;
}

static int close_out(FILE *f, const struct strbuf *path)
{
	if (ferror(f) | fclose(f))
		return kb_error_set("%s: cannot write: %s", path->buf, strerror(errno));
	return 0;
}

/* Runs gnuplot on script with the variables vars ("name='value'; ..."), for each format. */
static int gnuplot(const char *outdir, const char *script, const char *vars, const char *base,
		   int formats, size_t *written)
{
	static const char *const exts[] = { "png", "svg" };
	struct strbuf e = STRBUF_INIT, sc = STRBUF_INIT, log = STRBUF_INIT, tail = STRBUF_INIT;
	int i, rc = 0;

	strbuf_addf(&sc, "%s/%s", plots_dir(), script);
	strbuf_addf(&log, "%s/gnuplot.log", outdir);
	for (i = 0; i < 2 && !rc; i++) {
		const char *argv[] = { "gnuplot", "-e", NULL, sc.buf, NULL };
		struct kb_run r = { 0 };
		struct kb_run_result res;

		if (!(formats & (1 << i)))
			continue;
		strbuf_reset(&e);
		strbuf_addf(&e, "%s; term='%s'; out='%s/%s.%s'", vars, i ? "svg" : "pngcairo",
			    outdir, base, exts[i]);
		argv[2] = e.buf;
		r.argv = argv;
		r.log = log.buf;
		r.timeout = 120;
		if (kb_run(&r, &res)) {
			rc = KB_ERR;
		} else if (!res.exited || res.code) {
			kb_log_tail(log.buf, 300, &tail);
			for (size_t k = 0; k < tail.len; k++)
				if (tail.buf[k] == '\n')
					tail.buf[k] = ' ';
			rc = kb_error_set("gnuplot %s failed for %s.%s: %s", script, base, exts[i],
					  tail.buf);
		} else {
			(*written)++;
		}
	}
	strbuf_release(&e);
	strbuf_release(&sc);
	strbuf_release(&log);
	strbuf_release(&tail);
	return rc;
}

static int cmp_delta_desc(const void *a, const void *b, void *arg)
{
	const struct line *l = arg;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return l->delta[x] < l->delta[y] ? 1 : l->delta[x] > l->delta[y] ? -1 : (x > y) - (x < y);
}

static int plot_size(const char *outdir, const char *name, const struct line *l, int annotate,
		     int formats, size_t *written)
{
	struct strbuf path = STRBUF_INIT, reg = STRBUF_INIT, base = STRBUF_INIT;
	struct strbuf vars = STRBUF_INIT, label = STRBUF_INIT;
	size_t *order = xcalloc(l->n + 1, sizeof(*order)), i, k;
	FILE *f;
	int rc = KB_ERR;

	strbuf_add_filename(&base, name);
	strbuf_addf(&path, "%s/%s-size.dat", outdir, base.buf);
	strbuf_addf(&reg, "%s/%s-regressions.dat", outdir, base.buf);
	if (!(f = open_out(&path)))
		goto out;
	fprintf(f, "# index sha text +rodata +data +bss +init +percpu/other(total)\n");
	for (i = 0; i < l->n; i++) {
		int64_t sum = 0;

		fprintf(f, "%zu %.12s", i, l->sha[i]);
		for (k = 0; k < KB_CLS_NR; k++) {
			sum += l->cls[i][k];
			if (k < KB_CLS_PERCPU)
				fprintf(f, " %lld", (long long)sum);
		}
		fprintf(f, " %lld\n", (long long)sum);
	}
	if (close_out(f, &path) || !(f = open_out(&reg)))
		goto out;
	for (i = 0; i < l->n; i++)
		order[i] = i;
	qsort_r(order, l->n, sizeof(*order), cmp_delta_desc, (void *)l);
	fprintf(f, "# index total \"label\": the largest regressions\n");
	for (k = 0; k < l->n && k < (size_t)annotate; k++) {
		i = order[k];
		if (!l->has_delta[i] || l->delta[i] <= 0)
			break;
		strbuf_reset(&label);
		strbuf_addf(&label, "%.8s ", l->sha[i]);
		gp_safe(&label, l->author[i]);
		strbuf_addf(&label, " %+lld", (long long)l->delta[i]);
		fprintf(f, "%zu %lld \"%s\"\n", i, (long long)l->total[i], label.buf);
	}
	if (close_out(f, &reg))
		goto out;
	strbuf_addf(&vars, "datafile='%s'; regfile='%s'; title='", path.buf, reg.buf);
	gp_safe(&vars, name);
	strbuf_addstr(&vars, ": kernel size per commit, by class'");
	strbuf_addstr(&base, "-size");
	rc = gnuplot(outdir, "size.gp", vars.buf, base.buf, formats, written);
out:
	free(order);
	strbuf_release(&path);
	strbuf_release(&reg);
	strbuf_release(&base);
	strbuf_release(&vars);
	strbuf_release(&label);
	return rc;
}

/*
 * The item sizes of each build of the line in turn, into z: the next build's are its
 * parent's with its own changes applied (one read of item_delta), not rebuilt from a
 * snapshot each time. prev is the build z holds (0: none).
 */
static int next_sizes(struct kb_store *s, sqlite3_stmt *par, sqlite3_stmt *dl, int64_t prev,
		      int64_t build, struct kb_sizes *z)
{
	int64_t parent = 0;

	sqlite3_bind_int64(par, 1, build);
	if (sqlite3_step(par) == SQLITE_ROW)
		parent = sqlite3_column_int64(par, 0);
	sqlite3_reset(par);
	if (!prev || parent != prev) {
		kb_sizes_release(z);
		return kb_store_sizes(s, build, z);
	}
	sqlite3_bind_int64(dl, 1, build);
	while (sqlite3_step(dl) == SQLITE_ROW) {
		int64_t item = sqlite3_column_int64(dl, 0);

		if (item < 0)
			continue;
		if ((size_t)item >= z->n) {
			z->v = xrealloc(z->v, ((size_t)item + 1) * sizeof(*z->v));
			memset(z->v + z->n, 0, ((size_t)item + 1 - z->n) * sizeof(*z->v));
			z->n = (size_t)item + 1;
		}
		z->v[item] = (uint64_t)sqlite3_column_int64(dl, 1);
	}
	sqlite3_reset(dl);
	return 0;
}

static int plot_subsystems(struct kb_store *s, const struct kb_items *it, const char *outdir,
			   const char *name, const struct line *l, int top, int formats,
			   size_t *written)
{
	struct kb_strtab names = KB_STRTAB_INIT;
	struct strbuf path = STRBUF_INIT, base = STRBUF_INIT, vars = STRBUF_INIT;
	uint64_t **per = xcalloc(l->n + 1, sizeof(*per));
	size_t *alloc = xcalloc(l->n + 1, sizeof(*alloc)), i, k, ntop;
	uint32_t *order = NULL;
	int *rank = NULL, rc = KB_ERR;
	sqlite3_stmt *par = NULL, *dl = NULL;
	struct kb_sizes z = { 0 };
	FILE *f = NULL;

	if (kb_store_prepare(s, &par, "SELECT parent_build_id FROM builds WHERE id = ?1") ||
	    kb_store_prepare(s, &dl, "SELECT item_id, size FROM item_delta WHERE build_id = ?1"))
		goto out;
	for (i = 0; i < l->n; i++) {
		if (next_sizes(s, par, dl, i ? l->ids[i - 1] : 0, l->ids[i], &z))
			goto out;
		kb_subsystem_sums(it, &z, &names, &per[i], &alloc[i]);
	}
	/* the top subsystems are the newest build's largest */
	order = kb_subsystems_by_size(&names, l->n ? per[l->n - 1] : NULL,
				      l->n ? alloc[l->n - 1] : 0);
	ntop = names.nr < (size_t)top ? names.nr : (size_t)top;
	rank = xcalloc(names.nr + 1, sizeof(*rank));
	for (k = 0; k < names.nr; k++)
		rank[order[k]] = k < ntop ? (int)k : (int)ntop;
	strbuf_add_filename(&base, name);
	strbuf_addf(&path, "%s/%s-subsystems.dat", outdir, base.buf);
	if (!(f = open_out(&path)))
		goto out;
	fprintf(f, "index");
	for (k = 0; k < ntop; k++) {
		struct strbuf sb = STRBUF_INIT;

		gp_safe(&sb, names.strs[order[k]]);
		fprintf(f, " \"%s\"", sb.buf);
		strbuf_release(&sb);
	}
	fprintf(f, " \"other\"\n");
	for (i = 0; i < l->n; i++) {
		uint64_t *col = xcalloc(ntop + 1, sizeof(*col)), sum = 0;

		for (k = 0; k < names.nr && k < alloc[i]; k++)
			col[rank[k]] += per[i][k];
		fprintf(f, "%zu", i);
		for (k = 0; k <= ntop; k++) {
			sum += col[k];
			fprintf(f, " %llu", (unsigned long long)sum);
		}
		fprintf(f, "\n");
		free(col);
	}
	if (close_out(f, &path))
		goto out;
	strbuf_addf(&vars, "datafile='%s'; ncols=%zu; title='", path.buf, ntop + 2);
	gp_safe(&vars, name);
	strbuf_addstr(&vars, ": the largest subsystems per commit'");
	strbuf_addstr(&base, "-subsystems");
	rc = gnuplot(outdir, "subsystems.gp", vars.buf, base.buf, formats, written);
out:
	for (i = 0; i < l->n; i++)
		free(per[i]);
	free(per);
	free(alloc);
	free(order);
	free(rank);
	sqlite3_finalize(par);
	sqlite3_finalize(dl);
	kb_sizes_release(&z);
	kb_strtab_release(&names);
	strbuf_release(&path);
	strbuf_release(&base);
	strbuf_release(&vars);
	return rc;
}

/* The configs' totals side by side, on the first config's commits. */
static int plot_compare(const char *outdir, json_t *names, const struct line *lines, int formats,
			size_t *written)
{
	struct strbuf path = STRBUF_INIT, vars = STRBUF_INIT;
	size_t i, c, k, n = json_array_size(names);
	FILE *f;
	int rc = KB_ERR;

	strbuf_addf(&path, "%s/compare.dat", outdir);
	if (!(f = open_out(&path)))
		goto out;
	fprintf(f, "index");
	for (c = 0; c < n; c++) {
		struct strbuf sb = STRBUF_INIT;

		gp_safe(&sb, json_string_value(json_array_get(names, c)));
		fprintf(f, " \"%s\"", sb.buf);
		strbuf_release(&sb);
	}
	fprintf(f, "\n");
	for (i = 0; i < lines[0].n; i++) {
		fprintf(f, "%zu", i);
		for (c = 0; c < n; c++) {
			for (k = 0; k < lines[c].n && strcmp(lines[c].sha[k], lines[0].sha[i]); k++)
				;
			if (k < lines[c].n)
				fprintf(f, " %lld", (long long)lines[c].total[k]);
			else
				fprintf(f, " NaN");
		}
		fprintf(f, "\n");
	}
	if (close_out(f, &path))
		goto out;
	strbuf_addf(&vars, "datafile='%s'; ncols=%zu; title='kernel proper per commit, by config'",
		    path.buf, n + 1);
	rc = gnuplot(outdir, "compare.gp", vars.buf, "compare", formats, written);
out:
	strbuf_release(&path);
	strbuf_release(&vars);
	return rc;
}

int kb_plot_charts(struct kb_store *s, const struct kb_items *it, json_t *names, const char *outdir,
		   int formats, int top, int annotate, size_t *written)
{
	struct line *lines = xcalloc(json_array_size(names) + 1, sizeof(*lines));
	size_t i, n = 0;
	int rc = KB_ERR;

	for (i = 0; i < json_array_size(names); i++) {
		const char *name = json_string_value(json_array_get(names, i));
		int64_t config_id;

		n++;
		if (kb_store_find_config(s, name, &config_id) || load_line(s, config_id, &lines[i]))
			goto out;
		if (!lines[i].n) {
			kb_error_set("%s: no ok build of config %s to plot", kb_store_path(s),
				     name);
			goto out;
		}
		if (plot_size(outdir, name, &lines[i], annotate, formats, written) ||
		    plot_subsystems(s, it, outdir, name, &lines[i], top, formats, written))
			goto out;
	}
	rc = n > 1 ? plot_compare(outdir, names, lines, formats, written) : 0;
out:
	for (i = 0; i < n; i++)
		line_release(&lines[i]);
	free(lines);
	return rc;
}

int cmd_plot(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'D' },
		{ "config", required_argument, NULL, 'c' },
		{ "out", required_argument, NULL, 'o' },
		{ "format", required_argument, NULL, 'f' },
		{ "top", required_argument, NULL, 't' },
		{ "annotate", required_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *db = KB_DEFAULT_DB, *out = NULL;
	struct kb_store *s = NULL;
	struct kb_items it = { 0 };
	json_t *names = json_array();
	long top = 8, annotate = 5;
	int formats = 1, c, rc = KB_EXIT_USAGE;
	size_t written = 0;
	char *outdir = NULL;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'D':
			db = optarg;
			break;
		case 'c':
			json_array_append_new(names, json_string(optarg));
			break;
		case 'o':
			out = optarg;
			break;
		case 'f':
			formats = !strcmp(optarg, "png")  ? 1 :
				  !strcmp(optarg, "svg")  ? 2 :
				  !strcmp(optarg, "both") ? 3 :
							    0;
			if (!formats) {
				kb_errorf("--format %s: not png, svg or both", optarg);
				goto done;
			}
			break;
		case 't':
		case 'a':
			if (kb_parse_count(optarg) < 1) {
				kb_errorf("--%s %s: not a positive count",
					  c == 't' ? "top" : "annotate", optarg);
				goto done;
			}
			*(c == 't' ? &top : &annotate) = kb_parse_count(optarg);
			break;
		case 'h':
			fputs(plot_usage, stdout);
			rc = KB_EXIT_OK;
			goto done;
		default:
			rc = kb_usage(plot_usage);
			goto done;
		}
	}
	if (optind != argc || !out) {
		rc = kb_usage(plot_usage);
		goto done;
	}
	outdir = kb_make_outdir(out);
	if (!outdir)
		goto done;
	if (kb_store_open(&s, db, 0) || (!json_array_size(names) && kb_config_names(s, names)) ||
	    kb_items_load(s, &it))
		goto err;
	if (kb_plot_charts(s, &it, names, outdir, formats, (int)top, (int)annotate, &written))
		goto err;
	printf("%zu charts in %s\n", written, outdir);
	rc = KB_EXIT_OK;
	goto done;
err:
	rc = kb_report_error();
done:
	kb_items_release(&it);
	json_decref(names);
	free(outdir);
	kb_store_close(s);
	return rc;
}

/* FIXME(issue 14): parses its own options until it moves onto the option table */
const struct kb_command kb_cmd_plot = {
	.name = "plot",
	.summary = "trend charts (gnuplot) per config and subsystem",
	.usage =
		(const char *const[]){ "plot [--db DB] [--config C...] --out DIR [options]", NULL },
	.legacy = cmd_plot,
};
