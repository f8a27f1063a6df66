/*
 * plot.c - the trend charts: their model read from the store, their data files, gnuplot
 * run on them; see plot.h.
 */
#include "plot.h"

#include "subsystems.h"
#include "error.h"
#include "files.h"
#include "run.h"
#include "strbuf.h"
#include "xalloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const char *plots_dir(void)
{
	return kb_data_dir("KBLOAT_PLOTS", KB_SOURCE_PLOTS, KB_INSTALL_PLOTS);
}

/* s made safe for gnuplot: printable ASCII, no quotes or backslashes (which become .). */
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

/* s made safe, as a quoted column heading */
static void gp_heading(FILE *f, const char *s)
{
	struct strbuf sb = STRBUF_INIT;

	gp_safe(&sb, s);
	fprintf(f, " \"%s\"", sb.buf);
	strbuf_release(&sb);
}

static void config_release(struct kb_plot_config *c)
{
	size_t k;

	free(c->name);
	kb_line_builds_free(c->builds, c->n);
	for (k = 0; k < c->ntop; k++)
		free(c->subsystems[k]);
	free(c->subsystems);
	free(c->cols);
}

void kb_plot_free(struct kb_plot *m)
{
	size_t i;

	if (!m)
		return;
	for (i = 0; i < m->n; i++)
		config_release(&m->v[i]);
	free(m->v);
	free(m);
}

/* Each build's bytes per subsystem (per[i], alloc[i] entries, ids as names gives them). */
static int subsystem_sums(struct kb_store *s, const struct kb_items *it,
			  const struct kb_plot_config *c, struct kb_strtab *names, uint64_t **per,
			  size_t *alloc)
{
	struct kb_sizes_walk *w;
	const struct kb_sizes *z;
	size_t i;
	int rc = 0;

	if (kb_sizes_walk_new(&w, s))
		return KB_ERR;
	for (i = 0; i < c->n && !rc; i++) {
		rc = kb_sizes_walk_next(w, c->builds[i].id, &z);
		if (!rc)
			kb_subsystem_sums(it, z, names, &per[i], &alloc[i]);
	}
	kb_sizes_walk_free(w);
	return rc;
}

/* The top subsystems of the newest build, and each build's sums folded into their columns. */
static int subsystem_columns(struct kb_store *s, const struct kb_items *it,
			     struct kb_plot_config *c, size_t top)
{
	struct kb_strtab names = KB_STRTAB_INIT;
	uint64_t **per = xcalloc(c->n + 1, sizeof(*per));
	size_t *alloc = xcalloc(c->n + 1, sizeof(*alloc)), i, k, w;
	uint32_t *order = NULL;
	size_t *rank = NULL;
	int rc = KB_ERR;

	if (subsystem_sums(s, it, c, &names, per, alloc))
		goto out;
	order = kb_subsystems_by_size(&names, per[c->n - 1], alloc[c->n - 1]);
	c->ntop = names.nr < top ? names.nr : top;
	c->subsystems = xcalloc(c->ntop + 1, sizeof(*c->subsystems));
	for (k = 0; k < c->ntop; k++)
		c->subsystems[k] = xstrdup(names.strs[order[k]]);
	rank = xcalloc(names.nr + 1, sizeof(*rank));
	for (k = 0; k < names.nr; k++)
		rank[order[k]] = k < c->ntop ? k : c->ntop;
	w = c->ntop + 1;
	c->cols = xcalloc(c->n * w, sizeof(*c->cols));
	for (i = 0; i < c->n; i++)
		for (k = 0; k < names.nr && k < alloc[i]; k++)
			c->cols[i * w + rank[k]] += per[i][k];
	rc = 0;
out:
	for (i = 0; i < c->n; i++)
		free(per[i]);
	free(per);
	free(alloc);
	free(order);
	free(rank);
	kb_strtab_release(&names);
	return rc;
}

static int build_config(struct kb_plot_config *c, struct kb_store *s, const struct kb_items *it,
			const char *name, size_t top)
{
	int64_t config_id;

	c->name = xstrdup(name);
	if (kb_store_find_config(s, name, &config_id) ||
	    kb_store_line_builds(s, config_id, &c->builds, &c->n))
		return KB_ERR;
	if (!c->n)
		return kb_error_set("%s: no ok build of config %s to plot", kb_store_path(s), name);
	return subsystem_columns(s, it, c, top);
}

int kb_plot_build(struct kb_plot **out, struct kb_store *s, const struct kb_items *it,
		  const char *const *names, size_t n, size_t top)
{
	struct kb_plot *m = xcalloc(1, sizeof(*m));

	size_t i;

	*out = NULL;
	m->v = xcalloc(n + 1, sizeof(*m->v));
	m->n = n; /* a config not read yet is all zeroes, which frees as an empty one */
	for (i = 0; i < n; i++) {
		if (build_config(&m->v[i], s, it, names[i], top)) {
			kb_plot_free(m);
			return KB_ERR;
		}
	}
	*out = m;
	return 0;
}

void kb_plot_write_size(FILE *f, const struct kb_plot_config *c)
{
	size_t i, k;

	fprintf(f, "# index sha text +rodata +data +bss +init +percpu/other(total)\n");
	for (i = 0; i < c->n; i++) {
		int64_t sum = 0;

		fprintf(f, "%zu %.12s", i, c->builds[i].sha);
		for (k = 0; k < KB_CLS_NR; k++) {
			sum += c->builds[i].cls[k];
			if (k < KB_CLS_PERCPU)
				fprintf(f, " %lld", (long long)sum);
		}
		fprintf(f, " %lld\n", (long long)sum);
	}
}

static int cmp_delta_desc(const void *a, const void *b, void *arg)
{
	const struct kb_line_build *v = arg;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return v[x].delta < v[y].delta ? 1 : v[x].delta > v[y].delta ? -1 : (x > y) - (x < y);
}

void kb_plot_write_regressions(FILE *f, const struct kb_plot_config *c, size_t annotate)
{
	size_t *order = xcalloc(c->n + 1, sizeof(*order)), i, k;
	struct strbuf label = STRBUF_INIT;

	for (i = 0; i < c->n; i++)
		order[i] = i;
	qsort_r(order, c->n, sizeof(*order), cmp_delta_desc, (void *)c->builds);
	fprintf(f, "# index total \"label\": the largest regressions\n");
	for (k = 0; k < c->n && k < annotate; k++) {
		const struct kb_line_build *b = &c->builds[order[k]];

		if (!b->has_parent || b->delta <= 0)
			break;
		strbuf_reset(&label);
		strbuf_addf(&label, "%.8s ", b->sha);
		gp_safe(&label, b->author);
		strbuf_addf(&label, " %+lld", (long long)b->delta);
		fprintf(f, "%zu %lld \"%s\"\n", order[k], (long long)b->total, label.buf);
	}
	strbuf_release(&label);
	free(order);
}

void kb_plot_write_subsystems(FILE *f, const struct kb_plot_config *c)
{
	size_t i, k, w = c->ntop + 1;

	fprintf(f, "index");
	for (k = 0; k < c->ntop; k++)
		gp_heading(f, c->subsystems[k]);
	fprintf(f, " \"other\"\n");
	for (i = 0; i < c->n; i++) {
		uint64_t sum = 0;

		fprintf(f, "%zu", i);
		for (k = 0; k < w; k++) {
			sum += c->cols[i * w + k];
			fprintf(f, " %llu", (unsigned long long)sum);
		}
		fprintf(f, "\n");
	}
}

void kb_plot_write_compare(FILE *f, const struct kb_plot *m)
{
	const struct kb_plot_config *first = &m->v[0];
	size_t i, c, k;

	fprintf(f, "index");
	for (c = 0; c < m->n; c++)
		gp_heading(f, m->v[c].name);
	fprintf(f, "\n");
	for (i = 0; i < first->n; i++) {
		fprintf(f, "%zu", i);
		for (c = 0; c < m->n; c++) {
			const struct kb_plot_config *o = &m->v[c];

			for (k = 0; k < o->n && strcmp(o->builds[k].sha, first->builds[i].sha); k++)
				;
			if (k < o->n)
				fprintf(f, " %lld", (long long)o->builds[k].total);
			else
				fprintf(f, " NaN");
		}
		fprintf(f, "\n");
	}
}

/* Runs gnuplot on script with the variables vars ("name='value'; ..."), for each format. */
static int gnuplot(const char *outdir, const char *script, const char *vars, const char *base,
		   unsigned formats, size_t *written)
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

		if (!(formats & (1u << i)))
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

static FILE *open_data(const struct strbuf *path)
{
	FILE *f = fopen(path->buf, "w");

	if (!f)
		kb_error_set("%s: cannot write: %s", path->buf, strerror(errno));
	return f;
}

static int close_data(FILE *f, const struct strbuf *path)
{
	if (ferror(f) | fclose(f))
		return kb_error_set("%s: cannot write: %s", path->buf, strerror(errno));
	return 0;
}

static int draw_size(const struct kb_plot_config *c, const char *outdir,
		     const struct kb_plot_opts *o, size_t *written)
{
	struct strbuf path = STRBUF_INIT, reg = STRBUF_INIT, base = STRBUF_INIT;
	struct strbuf vars = STRBUF_INIT;
	FILE *f;
	int rc = KB_ERR;

	strbuf_add_filename(&base, c->name);
	strbuf_addf(&path, "%s/%s-size.dat", outdir, base.buf);
	strbuf_addf(&reg, "%s/%s-regressions.dat", outdir, base.buf);
	if (!(f = open_data(&path)))
		goto out;
	kb_plot_write_size(f, c);
	if (close_data(f, &path) || !(f = open_data(&reg)))
		goto out;
	kb_plot_write_regressions(f, c, o->annotate);
	if (close_data(f, &reg))
		goto out;
	strbuf_addf(&vars, "datafile='%s'; regfile='%s'; title='", path.buf, reg.buf);
	gp_safe(&vars, c->name);
	strbuf_addstr(&vars, ": kernel size per commit, by class'");
	strbuf_addstr(&base, "-size");
	rc = gnuplot(outdir, "size.gp", vars.buf, base.buf, o->formats, written);
out:
	strbuf_release(&path);
	strbuf_release(&reg);
	strbuf_release(&base);
	strbuf_release(&vars);
	return rc;
}

static int draw_subsystems(const struct kb_plot_config *c, const char *outdir,
			   const struct kb_plot_opts *o, size_t *written)
{
	struct strbuf path = STRBUF_INIT, base = STRBUF_INIT, vars = STRBUF_INIT;
	FILE *f;
	int rc = KB_ERR;

	strbuf_add_filename(&base, c->name);
	strbuf_addf(&path, "%s/%s-subsystems.dat", outdir, base.buf);
	if (!(f = open_data(&path)))
		goto out;
	kb_plot_write_subsystems(f, c);
	if (close_data(f, &path))
		goto out;
	strbuf_addf(&vars, "datafile='%s'; ncols=%zu; title='", path.buf, c->ntop + 2);
	gp_safe(&vars, c->name);
	strbuf_addstr(&vars, ": the largest subsystems per commit'");
	strbuf_addstr(&base, "-subsystems");
	rc = gnuplot(outdir, "subsystems.gp", vars.buf, base.buf, o->formats, written);
out:
	strbuf_release(&path);
	strbuf_release(&base);
	strbuf_release(&vars);
	return rc;
}

static int draw_compare(const struct kb_plot *m, const char *outdir, const struct kb_plot_opts *o,
			size_t *written)
{
	struct strbuf path = STRBUF_INIT, vars = STRBUF_INIT;
	FILE *f;
	int rc = KB_ERR;

	strbuf_addf(&path, "%s/compare.dat", outdir);
	if (!(f = open_data(&path)))
		goto out;
	kb_plot_write_compare(f, m);
	if (close_data(f, &path))
		goto out;
	strbuf_addf(&vars, "datafile='%s'; ncols=%zu; title='kernel proper per commit, by config'",
		    path.buf, m->n + 1);
	rc = gnuplot(outdir, "compare.gp", vars.buf, "compare", o->formats, written);
out:
	strbuf_release(&path);
	strbuf_release(&vars);
	return rc;
}

int kb_plot_draw(const struct kb_plot *m, const char *outdir, const struct kb_plot_opts *o,
		 size_t *written)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		if (draw_size(&m->v[i], outdir, o, written) ||
		    draw_subsystems(&m->v[i], outdir, o, written))
			return KB_ERR;
	return m->n > 1 ? draw_compare(m, outdir, o, written) : 0;
}

int kb_plot_charts(struct kb_store *s, const struct kb_items *it, const char *const *names,
		   size_t n, const char *outdir, const struct kb_plot_opts *o, size_t *written)
{
	struct kb_plot *m;
	int rc;

	if (kb_plot_build(&m, s, it, names, n, o->top))
		return KB_ERR;
	rc = kb_plot_draw(m, outdir, o, written);
	kb_plot_free(m);
	return rc;
}
