/*
 * plot.c - the trend charts: their model read from the store, their data files, gnuplot
 * run on them; see plot.h.
 */
#include "plot.h"

#include "escape.h"
#include "subsystems.h"
#include "error.h"
#include "files.h"
#include "run.h"
#include "strbuf.h"
#include "xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct kb_data_where plots_where = {
	"KBLOAT_PLOTS", KB_RELATIVE_PLOTS, KB_BUILD_DIR, KB_SOURCE_PLOTS, KB_INSTALL_PLOTS,
};

/* A sha's first n characters in a data column: hex only, else "?" (a column is a word). */
static const char *gp_sha(const char *sha, size_t n, char *buf)
{
	size_t i;

	for (i = 0; i < n && sha && sha[i]; i++) {
		if (!isxdigit((unsigned char)sha[i]))
			return "?";
		buf[i] = sha[i];
	}
	buf[i] = 0;
	return i ? buf : "?";
}

static void config_release(struct kb_plot_config *c)
{
	size_t k;

	free(c->name);
	free(c->slug);
	kb_line_builds_free(c->builds, c->n);
	free(c->times);
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

/*
 * The running sums of a walk along the line: each breakdown row's subsystem (its id in
 * names, interned as kb_subsystem_sums does, when the row first has bytes) and the bytes
 * per subsystem of the build the walk holds.
 */
struct sub_sums {
	const struct kb_items *it;
	struct kb_strtab *names;
	int64_t *id; /* by item: its subsystem's id in names, -1 not interned yet */
	uint64_t *sum;
	size_t alloc;
};

static uint32_t sub_id(struct sub_sums *a, size_t item)
{
	const char *sub;

	if (a->id[item] < 0) {
		sub = a->it->v[item].subsystem ? a->it->v[item].subsystem : KB_NO_SUBSYSTEM;
		a->id[item] = kb_strtab_intern(a->names, sub, strlen(sub), NULL);
		if (a->id[item] >= (int64_t)a->alloc) {
			size_t old = a->alloc;

			ALLOC_GROW(a->sum, (size_t)a->id[item] + 1, a->alloc);
			memset(a->sum + old, 0, (a->alloc - old) * sizeof(*a->sum));
		}
	}
	return (uint32_t)a->id[item];
}

/* The sums after a step of the walk: whole from the sizes, or moved by the changes. */
static void sums_step(struct sub_sums *a, const struct kb_sizes_walk *w, const struct kb_sizes *z)
{
	const struct kb_size_change *v;
	size_t n, i;

	if (kb_sizes_walk_changes(w, &v, &n)) {
		if (a->alloc)
			memset(a->sum, 0, a->alloc * sizeof(*a->sum));
		for (i = 0; i < z->n && i < a->it->n; i++)
			if (z->v[i] && a->it->v[i].kind == KB_ITEM_ROW) {
				uint32_t k = sub_id(a, i); /* may move a->sum */

				a->sum[k] += z->v[i];
			}
		return;
	}
	for (i = 0; i < n; i++) {
		size_t item = v[i].item;

		if (item >= a->it->n || a->it->v[item].kind != KB_ITEM_ROW)
			continue;
		if (v[i].new || a->id[item] >= 0) {
			uint32_t k = sub_id(a, item); /* may move a->sum */

			a->sum[k] += v[i].new - v[i].old;
		}
	}
}

/* Each build's bytes per subsystem (per[i], alloc[i] entries, ids as names gives them),
 * from one walk along the line: a build's changes move the sums of the build before. */
static int subsystem_sums(struct kb_store *s, const struct kb_items *it,
			  const struct kb_plot_config *c, struct kb_strtab *names, uint64_t **per,
			  size_t *alloc)
{
	struct sub_sums a = { it, names, xcalloc(it->n + 1, sizeof(*a.id)), NULL, 0 };
	struct kb_sizes_walk *w;
	const struct kb_sizes *z;
	size_t i;
	int rc = 0;

	memset(a.id, 0xff, (it->n + 1) * sizeof(*a.id)); /* -1: none yet */
	if (kb_sizes_walk_new(&w, s)) {
		free(a.id);
		return KB_ERR;
	}
	for (i = 0; i < c->n && !rc; i++) {
		rc = kb_sizes_walk_next(w, c->builds[i].id, &z);
		if (rc)
			break;
		sums_step(&a, w, z);
		alloc[i] = names->nr;
		per[i] = xcalloc(alloc[i] + 1, sizeof(*per[i]));
		memcpy(per[i], a.sum, alloc[i] * sizeof(*per[i]));
	}
	kb_sizes_walk_free(w);
	free(a.id);
	free(a.sum);
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
	c->times = kb_chart_times(c->builds, c->n);
	return subsystem_columns(s, it, c, top);
}

/* Each config's file name, distinct among the configs. */
static void names_slugs(struct kb_plot *m, const char *const *names)
{
	char **slugs = kb_file_names(names, m->n);
	size_t i;

	for (i = 0; i < m->n; i++)
		m->v[i].slug = slugs[i];
	free(slugs);
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
	names_slugs(m, names);
	*out = m;
	return 0;
}

void kb_plot_write_size(FILE *f, const struct kb_plot_config *c)
{
	size_t i, k;

	fprintf(f, "# time sha text +rodata +data +bss +init +percpu/other(total)\n");
	for (i = 0; i < c->n; i++) {
		int64_t sum = 0;
		char sha[16];

		fprintf(f, "%lld %s", (long long)c->times[i], gp_sha(c->builds[i].sha, 12, sha));
		for (k = 0; k < KB_CLS_NR; k++) {
			sum += c->builds[i].cls[k];
			if (k < KB_CLS_PERCPU)
				fprintf(f, " %lld", (long long)sum);
		}
		fprintf(f, " %lld\n", (long long)sum);
	}
}

/* Which series a config's builds have: 1 code and data, 2 also the modular analysis's. */
static int proper_level(const struct kb_plot_config *c)
{
	int level = 0;
	size_t i;

	for (i = 0; i < c->n; i++) {
		const struct kb_build_series *b = &c->builds[i].ser;

		if (b->has_modular)
			return 2;
		if (b->has_padding)
			level = 1;
	}
	return level;
}

/* The series of collect --modules and --boot-image (schema 008) a config's builds have, in
 * the words of the size chart's legend (chart.c). */
enum { OUT_MODULES = 1 << 0, OUT_BOOT = 1 << 1 };

static unsigned proper_outputs(const struct kb_plot_config *c)
{
	unsigned have = 0;
	size_t i;

	for (i = 0; i < c->n; i++)
		have |= (c->builds[i].ser.has_modules ? OUT_MODULES : 0) |
			(c->builds[i].ser.has_boot ? OUT_BOOT : 0);
	return have;
}

/* A value of the proper chart, or NaN where the build has none. */
static void gp_value(FILE *f, int has, int64_t v)
{
	if (has)
		fprintf(f, " %lld", (long long)v);
	else
		fprintf(f, " NaN");
}

void kb_plot_write_proper(FILE *f, const struct kb_plot_config *c)
{
	int level = proper_level(c);
	unsigned outputs = proper_outputs(c);
	size_t i;

	fprintf(f, "time \"kernel proper\"");
	if (level >= 1)
		fprintf(f, " \"code and data (no padding)\"");
	if (level >= 2)
		fprintf(f, " \"everything modularized (estimate)\" \"hard core\"");
	if (outputs & OUT_MODULES)
		fprintf(f, " \"in modules (make modules)\"");
	if (outputs & OUT_BOOT)
		fprintf(f, " \"boot image (file)\"");
	fputc('\n', f);
	for (i = 0; i < c->n; i++) {
		const struct kb_build_series *b = &c->builds[i].ser;
		int64_t code = b->total - b->padding;

		fprintf(f, "%lld %lld", (long long)c->times[i], (long long)c->builds[i].total);
		if (level >= 1)
			gp_value(f, b->has_padding, code);
		if (level >= 2) {
			gp_value(f, b->has_modular, kb_series_modular(b));
			gp_value(f, b->has_modular, b->m_core);
		}
		if (outputs & OUT_MODULES)
			gp_value(f, b->has_modules, b->mod_total);
		if (outputs & OUT_BOOT)
			gp_value(f, b->has_boot, b->boot_bytes);
		fputc('\n', f);
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
	char sha[16];

	for (i = 0; i < c->n; i++)
		order[i] = i;
	qsort_r(order, c->n, sizeof(*order), cmp_delta_desc, (void *)c->builds);
	fprintf(f, "# time total \"label\": the largest regressions\n");
	for (k = 0; k < c->n && k < annotate; k++) {
		const struct kb_line_build *b = &c->builds[order[k]];

		if (!b->has_parent || b->delta <= 0)
			break;
		strbuf_reset(&label);
		strbuf_addf(&label, "%s %s %+lld", gp_sha(b->sha, 8, sha),
			    b->author ? b->author : "", (long long)b->delta);
		fprintf(f, "%lld %lld ", (long long)c->times[order[k]], (long long)b->total);
		kb_escape_gnuplot(f, label.buf);
		fputc('\n', f);
	}
	strbuf_release(&label);
	free(order);
}

void kb_plot_write_subsystems(FILE *f, const struct kb_plot_config *c)
{
	size_t i, k, w = c->ntop + 1;

	fprintf(f, "time");
	for (k = 0; k < c->ntop; k++) {
		fputc(' ', f);
		kb_escape_gnuplot(f, c->subsystems[k]);
	}
	fprintf(f, " \"other\"\n");
	for (i = 0; i < c->n; i++) {
		uint64_t sum = 0;

		fprintf(f, "%lld", (long long)c->times[i]);
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

	fprintf(f, "time");
	for (c = 0; c < m->n; c++) {
		fputc(' ', f);
		kb_escape_gnuplot(f, m->v[c].name);
	}
	fprintf(f, "\n");
	for (i = 0; i < first->n; i++) {
		fprintf(f, "%lld", (long long)first->times[i]);
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

/*
 * How gnuplot is run: in a directory of kbloat's own (made inside outdir), on fixed file
 * names ("size.dat", "chart.png"), so that nothing of a path, a config name or a database
 * ever reaches its command text; the chart's strings (title, labels, column headings) are
 * data it reads from files there. What it draws, and the data, are then renamed into
 * outdir under the chart's own names.
 */
#define GP_TITLE "title.dat"

static int gp_error(const char *what, const char *path)
{
	return kb_error_set("%s: %s: %s", path, what, strerror(errno));
}

/* The script's absolute path (gnuplot runs elsewhere), into *sc. */
static int script_path(const char *script, struct strbuf *sc)
{
	struct strbuf rel = STRBUF_INIT;
	char *abs;

	kb_data_dir(&rel, &plots_where);
	strbuf_addf(&rel, "/%s", script);
	abs = realpath(rel.buf, NULL);
	if (!abs) {
		gp_error("cannot read the gnuplot script", rel.buf);
		strbuf_release(&rel);
		return KB_ERR;
	}
	strbuf_addstr(sc, abs);
	free(abs);
	strbuf_release(&rel);
	return 0;
}

/* Moves work/from to outdir/to (the same file system: work is in outdir). */
static int move_out(const char *work, const char *from, const char *outdir, const char *to)
{
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	int rc = 0;

	strbuf_addf(&a, "%s/%s", work, from);
	strbuf_addf(&b, "%s/%s", outdir, to);
	if (rename(a.buf, b.buf))
		rc = gp_error("cannot write", b.buf);
	strbuf_release(&a);
	strbuf_release(&b);
	return rc;
}

static int run_gnuplot(const char *work, const char *outdir, const char *script, const char *vars,
		       const char *term, const char *ext)
{
	struct strbuf e = STRBUF_INIT, sc = STRBUF_INIT, log = STRBUF_INIT, tail = STRBUF_INIT;
	const char *argv[] = { "gnuplot", "-e", NULL, NULL, NULL };
	struct kb_run r = { 0 };
	struct kb_run_result res;
	size_t k;
	int rc = KB_ERR;

	if (script_path(script, &sc))
		goto out;
	strbuf_addf(&log, "%s/gnuplot.log", outdir);
	/* only text of ours, and no name: out is a fixed file in work */
	strbuf_addf(&e, "%s; term='%s'; out='chart.%s'", vars, term, ext);
	argv[2] = e.buf;
	argv[3] = sc.buf;
	r.argv = argv;
	r.cwd = work;
	r.log = log.buf;
	r.timeout = 120;
	if (kb_run(&r, &res))
		goto out;
	if (!res.exited || res.code) {
		kb_log_tail(log.buf, 300, &tail);
		for (k = 0; k < tail.len; k++)
			if (tail.buf[k] == '\n')
				tail.buf[k] = ' ';
		kb_error_set("gnuplot %s failed (%s): %s", script, ext, tail.buf);
		goto out;
	}
	rc = 0;
out:
	strbuf_release(&e);
	strbuf_release(&sc);
	strbuf_release(&log);
	strbuf_release(&tail);
	return rc;
}

/* Draws script in work for each format, each image renamed to outdir/base.EXT. */
static int gnuplot(const char *work, const char *outdir, const char *script, const char *vars,
		   const char *base, unsigned formats, size_t *written)
{
	static const char *const exts[] = { "png", "svg" };
	static const char *const terms[] = { "pngcairo", "svg" };
	struct strbuf from = STRBUF_INIT, to = STRBUF_INIT;
	int i, rc = 0;

	for (i = 0; i < 2 && !rc; i++) {
		if (!(formats & (1u << i)))
			continue;
		strbuf_reset(&from);
		strbuf_reset(&to);
		strbuf_addf(&from, "chart.%s", exts[i]);
		strbuf_addf(&to, "%s.%s", base, exts[i]);
		rc = run_gnuplot(work, outdir, script, vars, terms[i], exts[i]) ||
		     move_out(work, from.buf, outdir, to.buf);
		if (!rc)
			(*written)++;
	}
	strbuf_release(&from);
	strbuf_release(&to);
	return rc ? KB_ERR : 0;
}

static FILE *open_data(const char *work, const char *name, struct strbuf *path)
{
	FILE *f;

	strbuf_reset(path);
	strbuf_addf(path, "%s/%s", work, name);
	f = fopen(path->buf, "w");
	if (!f)
		gp_error("cannot write", path->buf);
	return f;
}

static int close_data(FILE *f, const struct strbuf *path)
{
	if (ferror(f) | fclose(f))
		return gp_error("cannot write", path->buf);
	return 0;
}

/* The chart's title, as the scripts read it (the first string of title.dat). */
static int write_title(const char *work, const char *name, const char *what)
{
	struct strbuf path = STRBUF_INIT, title = STRBUF_INIT;
	FILE *f = open_data(work, GP_TITLE, &path);
	int rc = KB_ERR;

	if (f) {
		strbuf_addf(&title, "%s%s%s", name ? name : "", name ? ": " : "", what);
		kb_escape_gnuplot(f, title.buf);
		fputc('\n', f);
		rc = close_data(f, &path);
	}
	strbuf_release(&path);
	strbuf_release(&title);
	return rc;
}

typedef void (*writer_fn)(FILE *f, const void *arg);

/* Writes the data file work/name with fn and arg. */
static int write_data(const char *work, const char *name, writer_fn fn, const void *arg)
{
	struct strbuf path = STRBUF_INIT;
	FILE *f = open_data(work, name, &path);
	int rc = KB_ERR;

	if (f) {
		fn(f, arg);
		rc = close_data(f, &path);
	}
	strbuf_release(&path);
	return rc;
}

struct reg_arg {
	const struct kb_plot_config *c;
	size_t annotate;
};

static void size_writer(FILE *f, const void *arg)
{
	kb_plot_write_size(f, arg);
}

static void reg_writer(FILE *f, const void *arg)
{
	const struct reg_arg *r = arg;

	kb_plot_write_regressions(f, r->c, r->annotate);
}

static void proper_writer(FILE *f, const void *arg)
{
	kb_plot_write_proper(f, arg);
}

static void subsystems_writer(FILE *f, const void *arg)
{
	kb_plot_write_subsystems(f, arg);
}

static void compare_writer(FILE *f, const void *arg)
{
	kb_plot_write_compare(f, arg);
}

/* Moves work/from to outdir/SLUG-SUFFIX.dat. */
static int move_data(const char *work, const char *from, const char *outdir, const char *slug,
		     const char *suffix)
{
	struct strbuf to = STRBUF_INIT;
	int rc;

	strbuf_addf(&to, "%s%s%s.dat", slug ? slug : "", slug ? "-" : "", suffix);
	rc = move_out(work, from, outdir, to.buf);
	strbuf_release(&to);
	return rc;
}

struct chart_arg {
	const struct kb_chart *ch;
	void (*fn)(FILE *f, const struct kb_chart *c);
};

static void chart_writer(FILE *f, const void *arg)
{
	const struct chart_arg *a = arg;

	a->fn(f, a->ch);
}

struct href_arg {
	const struct kb_plot_config *c;
	const struct kb_plot_opts *o;
};

static int chart_href(struct strbuf *sb, const char *sha, void *arg)
{
	const struct href_arg *h = arg;

	return h->o->href(sb, h->c, sha, h->o->href_arg);
}

struct svg_arg {
	const struct kb_chart *ch;
	struct href_arg h;
};

static void svg_writer(FILE *f, const void *arg)
{
	const struct svg_arg *a = arg;

	kb_chart_write_svg(f, a->ch, a->h.o->href ? chart_href : NULL, (void *)&a->h);
}

/* The scene's data files, then gnuplot's PNG of them (plots/scene.gp). */
static int draw_scene_png(const struct kb_chart *ch, const char *work, const char *outdir,
			  const char *base, size_t *written)
{
	static const struct {
		const char *file;
		void (*fn)(FILE *f, const struct kb_chart *c);
	} files[] = {
		{ "scene-polys.dat", kb_chart_write_polys },
		{ "scene-lines.dat", kb_chart_write_lines },
		{ "scene-rects.dat", kb_chart_write_rects },
		{ "scene-marks.dat", kb_chart_write_marks },
		{ "scene-texts.dat", kb_chart_write_texts },
	};
	struct strbuf vars = STRBUF_INIT;
	size_t k;
	int rc = KB_ERR;

	for (k = 0; k < sizeof(files) / sizeof(*files); k++) {
		struct chart_arg a = { ch, files[k].fn };

		if (write_data(work, files[k].file, chart_writer, &a))
			goto out;
	}
	strbuf_addf(&vars, "npolys=%zu", kb_chart_count(ch, KB_PRIM_POLY));
	rc = gnuplot(work, outdir, "scene.gp", vars.buf, base, KB_PLOT_PNG, written);
out:
	strbuf_release(&vars);
	return rc;
}

/* The chart as SVG, written by kbloat (links through o->href) into outdir/BASE.svg. */
static int draw_scene_svg(const struct kb_chart *ch, const struct kb_plot_config *c,
			  const struct kb_plot_opts *o, const char *work, const char *outdir,
			  const char *base, size_t *written)
{
	struct svg_arg a = { ch, { c, o } };
	struct strbuf to = STRBUF_INIT;
	int rc;

	strbuf_addf(&to, "%s.svg", base);
	rc = write_data(work, "chart.svg", svg_writer, &a) ||
	     move_out(work, "chart.svg", outdir, to.buf);
	if (!rc)
		(*written)++;
	strbuf_release(&to);
	return rc ? KB_ERR : 0;
}

static int draw_size(const struct kb_plot_config *c, const char *work, const char *outdir,
		     const struct kb_plot_opts *o, size_t *written)
{
	struct kb_chart_opts co = { .annotate = o->annotate,
				    .markers = o->markers,
				    .nmarkers = o->nmarkers };
	struct reg_arg reg = { c, o->annotate };
	struct strbuf base = STRBUF_INIT, title = STRBUF_INIT;
	unsigned formats = o->size_formats ? o->size_formats : o->formats;
	struct kb_chart ch;
	int rc = KB_ERR;

	strbuf_addf(&base, "%s-size", c->slug);
	strbuf_addf(&title, "%s: kernel size per commit, by class", c->name);
	kb_chart_layout(&ch, title.buf, c->builds, c->n, &co);
	if (write_data(work, "size.dat", size_writer, c) ||
	    write_data(work, "regressions.dat", reg_writer, &reg) ||
	    ((formats & KB_PLOT_PNG) && draw_scene_png(&ch, work, outdir, base.buf, written)) ||
	    ((formats & KB_PLOT_SVG) &&
	     draw_scene_svg(&ch, c, o, work, outdir, base.buf, written)) ||
	    move_data(work, "size.dat", outdir, c->slug, "size") ||
	    move_data(work, "regressions.dat", outdir, c->slug, "regressions"))
		goto out;
	rc = 0;
out:
	kb_chart_release(&ch);
	strbuf_release(&base);
	strbuf_release(&title);
	return rc;
}

/* The y axis of a chart up to top bytes, as the scripts read it: yunit (bytes), ystep (in
 * yunit) and yname (our own word: KiB, MiB). */
static void y_vars(struct strbuf *vars, int64_t top)
{
	struct kb_chart_yscale y;

	kb_chart_yscale((double)(top > 0 ? top : 1), &y);
	strbuf_addf(vars, "; yunit=%.0f; ystep=%g; yname='%s'", y.unit, y.step / y.unit, y.name);
}

static int64_t max_total(const struct kb_plot_config *c)
{
	int64_t top = 0;
	size_t i;

	for (i = 0; i < c->n; i++)
		if (c->builds[i].total > top)
			top = c->builds[i].total;
	return top;
}

/* The largest value the proper chart draws: the total, the modules' or the boot image's. */
static int64_t max_proper(const struct kb_plot_config *c)
{
	int64_t top = max_total(c);
	size_t i;

	for (i = 0; i < c->n; i++) {
		const struct kb_build_series *b = &c->builds[i].ser;

		if (b->has_modules && b->mod_total > top)
			top = b->mod_total;
		if (b->has_boot && b->boot_bytes > top)
			top = b->boot_bytes;
	}
	return top;
}

static int draw_proper(const struct kb_plot_config *c, const char *work, const char *outdir,
		       const struct kb_plot_opts *o, size_t *written)
{
	static const int ncols[] = { 2, 3, 5 }; /* index and the series, by proper_level */
	struct strbuf base = STRBUF_INIT, vars = STRBUF_INIT, title = STRBUF_INIT;
	unsigned outputs = proper_outputs(c);
	int rc = KB_ERR;

	strbuf_addf(&base, "%s-proper", c->slug);
	strbuf_addf(&vars, "datafile='proper.dat'; titlefile='" GP_TITLE "'; ncols=%d",
		    ncols[proper_level(c)] + !!(outputs & OUT_MODULES) + !!(outputs & OUT_BOOT));
	y_vars(&vars, max_proper(c));
	strbuf_addstr(&title, "kernel proper, code and data, everything modularized, hard core");
	if (outputs & OUT_MODULES)
		strbuf_addstr(&title, ", in modules");
	if (outputs & OUT_BOOT)
		strbuf_addstr(&title, ", boot image");
	if (write_data(work, "proper.dat", proper_writer, c) ||
	    write_title(work, c->name, title.buf) ||
	    gnuplot(work, outdir, "proper.gp", vars.buf, base.buf, o->formats, written) ||
	    move_data(work, "proper.dat", outdir, c->slug, "proper"))
		goto out;
	rc = 0;
out:
	strbuf_release(&base);
	strbuf_release(&vars);
	strbuf_release(&title);
	return rc;
}

static int draw_subsystems(const struct kb_plot_config *c, const char *work, const char *outdir,
			   const struct kb_plot_opts *o, size_t *written)
{
	struct strbuf base = STRBUF_INIT, vars = STRBUF_INIT;
	int rc = KB_ERR;

	strbuf_addf(&base, "%s-subsystems", c->slug);
	strbuf_addf(&vars, "datafile='subsystems.dat'; titlefile='" GP_TITLE "'; ncols=%zu",
		    c->ntop + 2);
	y_vars(&vars, max_total(c));
	if (write_data(work, "subsystems.dat", subsystems_writer, c) ||
	    write_title(work, c->name, "the largest subsystems per commit") ||
	    gnuplot(work, outdir, "subsystems.gp", vars.buf, base.buf, o->formats, written) ||
	    move_data(work, "subsystems.dat", outdir, c->slug, "subsystems"))
		goto out;
	rc = 0;
out:
	strbuf_release(&base);
	strbuf_release(&vars);
	return rc;
}

static int draw_compare(const struct kb_plot *m, const char *work, const char *outdir,
			const struct kb_plot_opts *o, size_t *written)
{
	struct strbuf vars = STRBUF_INIT;
	int rc = KB_ERR;

	int64_t top = 0;
	size_t k;

	for (k = 0; k < m->n; k++)
		if (max_total(&m->v[k]) > top)
			top = max_total(&m->v[k]);
	strbuf_addf(&vars, "datafile='compare.dat'; titlefile='" GP_TITLE "'; ncols=%zu", m->n + 1);
	y_vars(&vars, top);
	if (!write_data(work, "compare.dat", compare_writer, m) &&
	    !write_title(work, NULL, "kernel proper per commit, by config") &&
	    !gnuplot(work, outdir, "compare.gp", vars.buf, "compare", o->formats, written) &&
	    !move_data(work, "compare.dat", outdir, NULL, "compare"))
		rc = 0;
	strbuf_release(&vars);
	return rc;
}

/* Removes the work directory and what a failed run left in it (fixed names only). */
static void remove_work(const char *work)
{
	static const char *const names[] = {
		"size.dat",	   "regressions.dat", "subsystems.dat",	 "proper.dat",
		"compare.dat",	   GP_TITLE,	      "chart.png",	 "chart.svg",
		"scene-polys.dat", "scene-lines.dat", "scene-rects.dat", "scene-marks.dat",
		"scene-texts.dat",
	};
	struct strbuf path = STRBUF_INIT;
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(*names); i++) {
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/%s", work, names[i]);
		unlink(path.buf);
	}
	rmdir(work);
	strbuf_release(&path);
}

int kb_plot_draw(const struct kb_plot *m, const char *outdir, const struct kb_plot_opts *o,
		 size_t *written)
{
	struct strbuf work = STRBUF_INIT;
	size_t i;
	int rc = 0;

	strbuf_addf(&work, "%s/.kbloat-plot-XXXXXX", outdir);
	if (!mkdtemp(work.buf)) {
		rc = gp_error("cannot create the directory", work.buf);
		goto out;
	}
	for (i = 0; i < m->n && !rc; i++)
		rc = draw_size(&m->v[i], work.buf, outdir, o, written) ||
		     draw_proper(&m->v[i], work.buf, outdir, o, written) ||
		     draw_subsystems(&m->v[i], work.buf, outdir, o, written);
	if (!rc && m->n > 1)
		rc = draw_compare(m, work.buf, outdir, o, written);
	remove_work(work.buf);
out:
	strbuf_release(&work);
	return rc ? KB_ERR : 0;
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
