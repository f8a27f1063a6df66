/*
 * build_options.c - the options of a build and their costs; see build_options.h.
 */
#include "build_options.h"
#include "escape.h"
#include "history.h"
#include "json.h"

#include "query.h"
#include "store_history.h"
#include "error.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

void kb_options_free(struct kb_options_report *r)
{
	if (!r)
		return;
	free(r->rows);
	kb_build_options_release(&r->opts);
	free(r);
}

enum kb_opt_change kb_options_change(const struct kb_options_report *r,
				     const struct kb_build_option *o)
{
	if (!r->parent_sha[0])
		return KB_OPTCH_NONE;
	if (o->prev_cls < 0)
		return KB_OPTCH_NEW;
	if (o->cls < 0)
		return KB_OPTCH_GONE;
	if (o->cls != o->prev_cls)
		return KB_OPTCH_CLASS;
	return o->size > o->prev ? KB_OPTCH_GROWN :
	       o->size < o->prev ? KB_OPTCH_SHRUNK :
				   KB_OPTCH_SAME;
}

const char *kb_options_change_name(enum kb_opt_change c)
{
	static const char *const names[] = {
		NULL, "same", "new", "gone", "grown", "shrunk", "class"
	};

	return names[c];
}

/* The build q names: its commit's, or the config's newest. */
static int find_build(struct kb_store *s, const struct kb_options_query *q, int64_t *build)
{
	int64_t config_id;
	int rc;

	if (q->rev)
		return kb_store_find_build(s, q->rev, q->config, build);
	if (kb_store_find_config(s, q->config, &config_id))
		return KB_ERR;
	rc = kb_store_head_build(s, config_id, build, NULL);
	if (rc > 0)
		return kb_error_set("%s: no ok build of config %s", kb_store_path(s),
				    q->config && *q->config ? q->config : "(the only one)");
	return rc;
}

/* The commit shas of the build and of the parent build it is compared with. */
static int read_shas(struct kb_options_report *r, struct kb_store *s, int64_t build)
{
	struct kb_strtab strs = KB_STRTAB_INIT;
	struct kb_build_commit c[2];
	int64_t ids[2] = { build, r->opts.parent };
	int rc;

	rc = kb_store_build_commits(s, ids, r->opts.parent ? 2 : 1, c, &strs);
	if (!rc) {
		snprintf(r->sha, sizeof(r->sha), "%s", c[0].sha);
		if (r->opts.parent)
			snprintf(r->parent_sha, sizeof(r->parent_sha), "%s", c[1].sha);
	}
	kb_strtab_release(&strs);
	return rc;
}

/* Adds o to the group of its class. */
static void add_sum(struct kb_options_report *r, const struct kb_build_option *o)
{
	struct kb_options_sum *g = o->cls == KB_OPT_TRI_CAND ? &r->tri_cand :
				   o->cls == KB_OPT_BOOL_CAND || o->cls == KB_OPT_TRI_FREED ?
							       &r->bool_cand :
							       &r->kept;

	if (o->cls < 0)
		return;
	g->options++;
	g->bytes += o->size;
}

static int cmp_rows(const void *a, const void *b)
{
	const struct kb_build_option *x = *(const struct kb_build_option *const *)a;
	const struct kb_build_option *y = *(const struct kb_build_option *const *)b;

	/* gone options (0 bytes) last, by what they had */
	if (x->size != y->size)
		return x->size < y->size ? 1 : -1;
	if (x->prev != y->prev)
		return x->prev < y->prev ? 1 : -1;
	return strcmp(x->name, y->name);
}

/* The rows q shows, sorted, and the sums over every enabled option. */
static void select_rows(struct kb_options_report *r, const struct kb_options_query *q)
{
	size_t i;

	r->rows = xcalloc(r->opts.n + 1, sizeof(*r->rows));
	for (i = 0; i < r->opts.n; i++) {
		const struct kb_build_option *o = &r->opts.v[i];
		enum kb_opt_change c;

		add_sum(r, o);
		c = kb_options_change(r, o);
		if (q->changed && (c == KB_OPTCH_SAME || c == KB_OPTCH_NONE))
			continue;
		r->rows[r->n++] = o;
	}
	qsort(r->rows, r->n, sizeof(*r->rows), cmp_rows);
	if (q->top > 0 && r->n > (size_t)q->top)
		r->n = (size_t)q->top;
}

int kb_options_build(struct kb_options_report **out, struct kb_store *s,
		     const struct kb_options_query *q)
{
	struct kb_options_report *r = xcalloc(1, sizeof(*r));
	int64_t build;

	*out = NULL;
	if (find_build(s, q, &build) || kb_store_line_series(s, &build, 1, &r->ser))
		goto fail;
	if (!r->ser.has_modular) {
		kb_error_set("%s: the build of %s in %s has no modular analysis (recorded before "
			     "schema 2, failed, or the analysis did not run)",
			     q->rev ? q->rev : "the newest commit",
			     q->config && *q->config ? q->config : "its config", kb_store_path(s));
		goto fail;
	}
	if (kb_store_build_options(s, build, &r->opts) || read_shas(r, s, build))
		goto fail;
	select_rows(r, q);
	*out = r;
	return 0;
fail:
	kb_options_free(r);
	return KB_ERR;
}

/* "tristate" / "bool" and "yes" / "no" of a class, "-" for none. */
static const char *type_text(int cls)
{
	const char *t = kb_opt_type(cls);

	return t ? t : "-";
}

static const char *cand_text(int cls)
{
	return cls < 0 ? "-" : kb_opt_candidate(cls) ? "yes" : "no";
}

static void write_row(FILE *f, const struct kb_options_report *r, const struct kb_build_option *o)
{
	enum kb_opt_change c = kb_options_change(r, o);
	struct strbuf name = STRBUF_INIT;
	char d[24] = "";

	if (c != KB_OPTCH_NONE && c != KB_OPTCH_SAME)
		snprintf(d, sizeof(d), "%+lld", (long long)(o->size - o->prev));
	fprintf(f, "%10lld  %9s  %-8s  %-4s  %-6s  %s", (long long)o->size, d,
		type_text(o->cls >= 0 ? o->cls : o->prev_cls), cand_text(o->cls),
		c == KB_OPTCH_NONE ? "" : kb_options_change_name(c), kb_text(&name, o->name));
	if (c == KB_OPTCH_CLASS)
		fprintf(f, " (was %s, %s)", type_text(o->prev_cls),
			kb_opt_candidate(o->prev_cls) ? "a candidate" : "not a candidate");
	fputc('\n', f);
	strbuf_release(&name);
}

/* A total against the build's stored sum: "= m_tristate" when they agree. */
static void write_sum(FILE *f, const char *what, const struct kb_options_sum *g, const char *col,
		      int64_t stored)
{
	fprintf(f, "%-24s %5lld options %10lld bytes", what, (long long)g->options,
		(long long)g->bytes);
	if (col)
		fprintf(f, " %s %s %lld", g->bytes == stored ? "=" : "!=", col, (long long)stored);
	fputc('\n', f);
}

void kb_options_write_text(FILE *f, const struct kb_options_report *r)
{
	const struct kb_build_series *b = &r->ser;
	int64_t code = b->total - b->padding;
	size_t i;

	fprintf(f, "options of %.12s", r->sha);
	if (r->parent_sha[0])
		fprintf(f, ", changes against %.12s", r->parent_sha);
	fprintf(f, "\n%10s  %9s  %-8s  %-4s  %-6s  %s\n", "bytes", "change", "type", "cand", "what",
		"option");
	for (i = 0; i < r->n; i++)
		write_row(f, r, r->rows[i]);
	if (!r->n)
		fprintf(f, "(no option to show)\n");
	write_sum(f, "tristate candidates (1)", &r->tri_cand, "m_tristate", b->m_tristate);
	write_sum(f, "bool candidates (2)", &r->bool_cand, "m_bool", b->m_bool);
	write_sum(f, "options kept built in", &r->kept, NULL, 0);
	fprintf(f,
		"kernel proper %lld, code and data %lld, everything modularized %lld, "
		"hard core %lld\n",
		(long long)b->total, (long long)code, (long long)kb_series_modular(b),
		(long long)b->m_core);
}

static json_t *class_json(int cls, int cand)
{
	if (cls < 0)
		return json_null();
	return cand ? json_boolean(kb_opt_candidate(cls)) : json_string(kb_opt_type(cls));
}

static json_t *row_json(const struct kb_options_report *r, const struct kb_build_option *o)
{
	enum kb_opt_change c = kb_options_change(r, o);
	json_t *j = json_object();

	json_object_set_new(j, "name", kb_json_str(o->name));
	json_object_set_new(j, "type", class_json(o->cls, 0));
	json_object_set_new(j, "candidate", class_json(o->cls, 1));
	json_object_set_new(j, "bytes", json_integer((json_int_t)o->size));
	json_object_set_new(j, "delta",
			    c == KB_OPTCH_NONE ? json_null() :
						 json_integer((json_int_t)(o->size - o->prev)));
	json_object_set_new(j, "change",
			    c == KB_OPTCH_NONE ? json_null() :
						 json_string(kb_options_change_name(c)));
	json_object_set_new(j, "was_type", class_json(o->prev_cls, 0));
	json_object_set_new(j, "was_candidate", class_json(o->prev_cls, 1));
	return j;
}

static json_t *sum_json(const struct kb_options_sum *g)
{
	return json_pack("{s:I,s:I}", "options", (json_int_t)g->options, "bytes",
			 (json_int_t)g->bytes);
}

json_t *kb_options_table(const struct kb_options_report *r)
{
	json_t *rows = json_array();
	size_t i;

	for (i = 0; i < r->n; i++)
		json_array_append_new(rows, row_json(r, r->rows[i]));
	return rows;
}

json_t *kb_options_json(const struct kb_options_report *r)
{
	const struct kb_build_series *b = &r->ser;
	int64_t code = b->total - b->padding;
	json_t *rows = kb_options_table(r);

	return json_pack("{s:o,s:o,s:o,s:{s:o,s:o,s:o},s:{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:o,s:I}}",
			 "commit", kb_json_str(r->sha), "parent",
			 r->parent_sha[0] ? kb_json_str(r->parent_sha) : json_null(), "options",
			 rows, "totals", "tristate_candidates", sum_json(&r->tri_cand),
			 "bool_candidates", sum_json(&r->bool_cand), "kept", sum_json(&r->kept),
			 "build", "total", (json_int_t)b->total, "padding", (json_int_t)b->padding,
			 "code", (json_int_t)code, "m_tristate", (json_int_t)b->m_tristate,
			 "m_bool", (json_int_t)b->m_bool, "m_core", (json_int_t)b->m_core, "m_rest",
			 (json_int_t)b->m_rest, "m_kallsyms",
			 b->has_kallsyms ? json_integer((json_int_t)b->m_kallsyms) : json_null(),
			 "modular", (json_int_t)kb_series_modular(b));
}
