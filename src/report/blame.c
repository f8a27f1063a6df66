/*
 * blame.c - the blame report and the top changes of a build; see blame.h.
 */
#include "blame.h"
#include "escape.h"
#include "json.h"
#include "table.h"

#include "lineage.h"
#include "subsystems.h"
#include "error.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

int kb_top_changes_load(struct kb_top_changes *t, struct kb_store *s, int64_t build_id)
{
	memset(t, 0, sizeof(*t));
	if (kb_store_top_changes(s, build_id, KB_TOP_SYMBOLS, KB_TOP_CHANGES, &t->syms,
				 &t->nsyms) ||
	    kb_store_top_changes(s, build_id, KB_TOP_SUBSYSTEMS, KB_TOP_CHANGES, &t->subs,
				 &t->nsubs)) {
		kb_top_changes_release(t);
		return KB_ERR;
	}
	return 0;
}

void kb_top_changes_release(struct kb_top_changes *t)
{
	kb_changes_free(t->syms, t->nsyms);
	kb_changes_free(t->subs, t->nsubs);
	memset(t, 0, sizeof(*t));
}

void kb_top_changes_write(FILE *f, const struct kb_top_changes *t, const char *indent, int md)
{
	struct strbuf name = STRBUF_INIT, file = STRBUF_INIT;
	const char *(*esc)(struct strbuf *, const char *) = md ? kb_md : kb_text;
	size_t i;

	for (i = 0; i < t->nsyms; i++) {
		const struct kb_change *c = &t->syms[i];

		fprintf(f, "%s%s%s %+lld (%s)\n", indent, md ? "- " : "",
			md ? kb_md_code(&name, c->name) : kb_text(&name, c->name),
			(long long)c->delta,
			!c->file ? "no file" :
			md	 ? kb_md_code(&file, c->file) :
				   kb_text(&file, c->file));
	}
	if (t->nsubs) {
		fprintf(f, md ? "%s- subsystems:" : "%ssubsystems:", indent);
		for (i = 0; i < t->nsubs; i++)
			fprintf(f, "%s %s %+lld", i ? "," : "", esc(&name, t->subs[i].name),
				(long long)t->subs[i].delta);
		fputc('\n', f);
	}
	strbuf_release(&name);
	strbuf_release(&file);
}

static json_t *changes_json(const struct kb_change *v, size_t n, int with_file)
{
	json_t *arr = json_array();
	size_t i;

	for (i = 0; i < n; i++) {
		json_t *o = json_pack("{s:o,s:I}", "name", kb_json_str(v[i].name), "delta",
				      (json_int_t)v[i].delta);

		if (with_file)
			json_object_set_new(o, "file", kb_json_str(v[i].file ? v[i].file : ""));
		json_array_append_new(arr, o);
	}
	return arr;
}

void kb_top_changes_json(json_t *o, const struct kb_top_changes *t)
{
	json_object_set_new(o, "top_symbols", changes_json(t->syms, t->nsyms, 1));
	json_object_set_new(o, "top_subsystems", changes_json(t->subs, t->nsubs, 0));
}

/* "A..B" into the commits after A up to B, or an error naming the range. */
static int range_commits(struct kb_store *s, const char *range, struct kb_first_parents *fp)
{
	const char *dots = strstr(range, "..");
	char *a = NULL, *b = NULL, *spec;
	int rc = KB_ERR;

	memset(fp, 0, sizeof(*fp));
	if (!dots || dots == range || !dots[2] || strstr(dots + 2, ".."))
		return kb_error_set("%s: not a range A..B", range);
	spec = xstrndup(range, (size_t)(dots - range));
	/* both ends among the commits the store knows */
	if (kb_store_resolve_sha(s, spec, &a) || kb_store_resolve_sha(s, dots + 2, &b) ||
	    kb_store_first_parents(s, b, a, fp))
		goto out;
	/* a commit the store does not know ends the range where the store's history does */
	if (fp->end == KB_WALK_ROOT) {
		kb_error_set("%s: %s is not a first-parent ancestor of %s", range, a, dots + 2);
		goto out;
	}
	rc = 0;
out:
	if (rc)
		kb_first_parents_release(fp);
	free(spec);
	free(a);
	free(b);
	return rc;
}

static void rows_free(struct kb_blame_row *rows, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		struct kb_growth *g = &rows[i].g;

		kb_top_changes_release(&rows[i].top);
		free(g->sha);
		free(g->base_sha);
		free(g->author);
		free(g->email);
		free(g->subject);
	}
	free(rows);
}

void kb_blame_free(struct kb_blame *b)
{
	if (!b)
		return;
	rows_free(b->rows, b->n);
	rows_free(b->shrank, b->nshrank);
	free(b);
}

/* The builds q selects, each with its top changes, into *rows (freed with the report). */
static int blame_rows(struct kb_store *s, const struct kb_growth_query *q,
		      struct kb_blame_row **rows, size_t *n)
{
	struct kb_growth *g = NULL;
	size_t i;

	*rows = NULL;
	if (kb_store_growths(s, q, &g, n))
		return KB_ERR;
	/* the rows take over the growths' strings */
	*rows = xcalloc(*n + 1, sizeof(**rows));
	for (i = 0; i < *n; i++)
		(*rows)[i].g = g[i];
	free(g);
	for (i = 0; i < *n; i++)
		if (kb_top_changes_load(&(*rows)[i].top, s, (*rows)[i].g.build))
			return KB_ERR;
	return 0;
}

/* The report of q (and, for the core, of its reductions), over range if not NULL. */
static int blame_build(struct kb_blame **out, struct kb_store *s, struct kb_growth_query *q,
		       const char *range)
{
	struct kb_first_parents fp = { 0 };
	struct kb_blame *b = xcalloc(1, sizeof(*b));
	int rc = KB_ERR;

	*out = NULL;
	b->min = q->min;
	b->scoped = kb_scope_narrows(q->sc);
	b->core = q->of == KB_GROWTH_CORE;
	if (range) {
		if (range_commits(s, range, &fp))
			goto out;
		q->in = &fp;
	}
	if (blame_rows(s, q, &b->rows, &b->n))
		goto out;
	if (b->core) {
		q->shrink = 1;
		if (blame_rows(s, q, &b->shrank, &b->nshrank))
			goto out;
	}
	rc = 0;
out:
	kb_first_parents_release(&fp);
	if (rc)
		kb_blame_free(b);
	else
		*out = b;
	return rc;
}

int kb_blame_build(struct kb_blame **out, struct kb_store *s, int64_t config_id,
		   const struct kb_scope *sc, int64_t min, long limit, const char *range)
{
	struct kb_growth_query q = { config_id, sc, min, limit, NULL, KB_GROWTH_TOTAL, 0 };

	return blame_build(out, s, &q, range);
}

int kb_blame_build_core(struct kb_blame **out, struct kb_store *s, int64_t config_id, int64_t min,
			long limit, const char *range)
{
	static const struct kb_scope whole = { NULL, NULL, NULL, -1 };
	struct kb_growth_query q = { config_id, &whole, min, limit, NULL, KB_GROWTH_CORE, 0 };

	return blame_build(out, s, &q, range);
}

static void write_row(FILE *f, const struct kb_blame_row *r, int scoped)
{
	const struct kb_growth *g = &r->g;
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT, sha = STRBUF_INIT;
	const char *sep = "";
	char date[16];
	int c;

	kb_format_date(g->author_time, date);
	fprintf(f, "%+9lld  %s  %s  %-20s  %s\n", (long long)g->delta,
		kb_text_cut(&sha, g->sha, 12), date, kb_text_cut(&a, g->author, 20),
		kb_text_cut(&b, g->subject, 40));
	if (g->distance > 1)
		fprintf(f, "%11s range %s..%s: %lld commits, not built one by one\n", "",
			kb_text_cut(&a, g->base_sha, 12), sha.buf, (long long)g->distance);
	strbuf_release(&a);
	strbuf_release(&b);
	strbuf_release(&sha);
	/* the classes are the whole image's change, which a scoped delta is only part of */
	fprintf(f, "%11s%s", "", scoped ? "whole image: " : "");
	for (c = 0; c < KB_CLS_NR; c++) {
		if (!g->cls[c])
			continue;
		fprintf(f, "%s%s %+lld", sep, kb_class_name(c), (long long)g->cls[c]);
		sep = ", ";
	}
	fputc('\n', f);
	kb_top_changes_write(f, &r->top, "            ", 0);
}

/* The hard core's report: the commits that grew it, then those that shrank it. */
static void write_core(FILE *f, const struct kb_blame *b)
{
	size_t i;

	if (!b->n)
		fprintf(f, "no commit grew the hard core by %lld bytes or more\n",
			(long long)b->min);
	else
		fprintf(f, "the hard core grew:\n%9s  %-12s  %-10s  %-20s  %s\n", "delta", "commit",
			"date", "author", "subject");
	for (i = 0; i < b->n; i++)
		write_row(f, &b->rows[i], 1);
	if (!b->nshrank)
		fprintf(f, "no commit shrank the hard core by %lld bytes or more\n",
			(long long)b->min);
	else
		fprintf(f, "the hard core shrank:\n%9s  %-12s  %-10s  %-20s  %s\n", "delta",
			"commit", "date", "author", "subject");
	for (i = 0; i < b->nshrank; i++)
		write_row(f, &b->shrank[i], 1);
}

void kb_blame_write_text(FILE *f, const struct kb_blame *b)
{
	size_t i;

	if (b->core) {
		write_core(f, b);
		return;
	}
	if (!b->n) {
		fprintf(f, "no commit added %lld bytes or more\n", (long long)b->min);
		return;
	}
	fprintf(f, "%9s  %-12s  %-10s  %-20s  %s\n", "delta", "commit", "date", "author",
		"subject");
	for (i = 0; i < b->n; i++)
		write_row(f, &b->rows[i], b->scoped);
}

static json_t *row_json(const struct kb_blame_row *r)
{
	const struct kb_growth *g = &r->g;
	json_t *o = json_object(), *cls = json_object();
	int c;

	json_object_set_new(o, "commit", kb_json_str(g->sha));
	json_object_set_new(o, "base", kb_json_str(g->base_sha));
	json_object_set_new(o, "commits", json_integer((json_int_t)g->distance));
	json_object_set_new(o, "author", kb_json_str(g->author));
	json_object_set_new(o, "email", kb_json_str(g->email));
	json_object_set_new(o, "author_time", json_integer((json_int_t)g->author_time));
	json_object_set_new(o, "subject", kb_json_str(g->subject));
	json_object_set_new(o, "delta", json_integer((json_int_t)g->delta));
	for (c = 0; c < KB_CLS_NR; c++)
		json_object_set_new(cls, kb_class_name(c), json_integer((json_int_t)g->cls[c]));
	json_object_set_new(o, "classes", cls);
	kb_top_changes_json(o, &r->top);
	return o;
}

static json_t *rows_json(const struct kb_blame_row *v, size_t n)
{
	json_t *rows = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(rows, row_json(&v[i]));
	return rows;
}

json_t *kb_blame_table(const struct kb_blame *b)
{
	json_t *t = json_array();

	kb_table_append(t, "grew", rows_json(b->rows, b->n));
	if (b->core)
		kb_table_append(t, "shrank", rows_json(b->shrank, b->nshrank));
	return t;
}

json_t *kb_blame_json(const struct kb_blame *b)
{
	json_t *o =
		json_pack("{s:I,s:o}", "min", (json_int_t)b->min, "rows", rows_json(b->rows, b->n));

	if (b->core) {
		json_object_set_new(o, "core", json_true());
		json_object_set_new(o, "shrank", rows_json(b->shrank, b->nshrank));
	}
	return o;
}
