/*
 * history.c - size per commit along a line of builds; see history.h.
 */
#include "history.h"
#include "escape.h"
#include "json.h"
#include "reused.h"

#include "store_history.h"
#include "subsystems.h"
#include "error.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *kb_opt_type(int cls)
{
	return cls == KB_OPT_TRI_CAND || cls == KB_OPT_TRI_KEPT	  ? "tristate" :
	       cls == KB_OPT_BOOL_CAND || cls == KB_OPT_BOOL_KEPT ? "bool" :
								    NULL;
}

int kb_opt_candidate(int cls)
{
	return cls == KB_OPT_TRI_CAND || cls == KB_OPT_BOOL_CAND;
}

/* Each row's size (sizes of the option name, or within sc), into size[0..m->n); the
 * totals are c's. */
static int line_sizes(struct kb_history *m, struct kb_store *s, const struct kb_scope *sc,
		      const char *name, const int64_t *ids, const struct kb_build_commit *c,
		      int64_t *size)
{
	struct kb_option_point *p;
	size_t i;

	if (!name && !kb_scope_narrows(sc) && !(sc && sc->cls >= 0)) {
		for (i = 0; i < m->n; i++)
			size[i] = c[i].ser.total;
		return 0;
	}
	if (!name)
		return kb_store_line_sizes(s, sc, ids, m->n, size);
	p = xcalloc(m->n + 1, sizeof(*p));
	if (kb_store_option_line(s, name, ids, m->n, p)) {
		free(p);
		return KB_ERR;
	}
	for (i = 0; i < m->n; i++) {
		size[i] = p[i].size;
		m->rows[i].cls = p[i].cls;
	}
	free(p);
	return 0;
}

/* The rows' series, when the history is of the whole image: m->series if any has one. */
static void line_series(struct kb_history *m, const struct kb_scope *sc,
			const struct kb_build_commit *c)
{
	size_t i;

	if (kb_scope_narrows(sc) || (sc && sc->cls >= 0))
		return;
	for (i = 0; i < m->n; i++) {
		m->rows[i].ser = c[i].ser;
		m->series |= c[i].ser.has_padding || c[i].ser.has_modular;
	}
}

/* Each row's size, delta, commit and series, from the line's ids. */
static int fill_rows(struct kb_history *m, struct kb_store *s, const struct kb_scope *sc,
		     const char *name, const int64_t *ids)
{
	struct kb_build_commit *c = xcalloc(m->n + 1, sizeof(*c));
	int64_t *size = xcalloc(m->n + 1, sizeof(*size));
	size_t i;
	int rc = KB_ERR;

	if (kb_store_build_commits(s, ids, m->n, c, &m->strs) ||
	    line_sizes(m, s, sc, name, ids, c, size))
		goto out;
	line_series(m, sc, c);
	for (i = 0; i < m->n; i++) {
		struct kb_history_row *r = &m->rows[i];

		r->build_id = ids[i];
		r->sha = c[i].sha;
		r->author = c[i].author;
		r->subject = c[i].subject;
		r->author_time = c[i].author_time;
		r->size = size[i];
		r->delta = i ? size[i] - size[i - 1] : 0;
		r->commits = i ? c[i].distance : 0;
		r->reused = c[i].reused;
	}
	rc = 0;
out:
	free(c);
	free(size);
	return rc;
}

static int history_build(struct kb_history **out, struct kb_store *s, int64_t config_id,
			 const struct kb_scope *sc, const char *name)
{
	struct kb_history *m = xcalloc(1, sizeof(*m));
	int64_t *ids = NULL;
	int rc;

	*out = NULL;
	if (name)
		kb_strtab_intern(&m->strs, name, strlen(name), &m->option);
	rc = kb_build_line(s, config_id, 0, &ids, &m->n);
	if (!rc) {
		m->rows = xcalloc(m->n + 1, sizeof(*m->rows));
		rc = fill_rows(m, s, sc, name, ids);
	}
	free(ids);
	if (rc) {
		kb_history_free(m);
		return KB_ERR;
	}
	*out = m;
	return 0;
}

int kb_history_build(struct kb_history **out, struct kb_store *s, int64_t config_id,
		     const struct kb_scope *sc)
{
	return history_build(out, s, config_id, sc, NULL);
}

int kb_history_build_option(struct kb_history **out, struct kb_store *s, int64_t config_id,
			    const char *name)
{
	if (!strncmp(name, "CONFIG_", 7))
		name += 7;
	if (!*name)
		return kb_error_set("CONFIG_: not an option name");
	return history_build(out, s, config_id, NULL, name);
}

void kb_history_free(struct kb_history *m)
{
	if (!m)
		return;
	free(m->rows);
	kb_strtab_release(&m->strs);
	free(m);
}

/* A series value, or "-" where the build has none. */
static const char *series_value(char *buf, size_t len, int has, int64_t v)
{
	if (!has)
		return "-";
	snprintf(buf, len, "%lld", (long long)v);
	return buf;
}

/* The line under a row: code and data, everything modularized, hard core. */
static void write_series(FILE *f, const struct kb_build_series *b)
{
	char code[24], mod[24], core[24];
	int64_t cd = b->total - b->padding;

	fprintf(f, "%12s  code and data %10s  modularized %10s  hard core %10s\n", "",
		series_value(code, sizeof(code), b->has_padding, cd),
		series_value(mod, sizeof(mod), b->has_modular, cd - b->m_tristate - b->m_bool),
		series_value(core, sizeof(core), b->has_modular, b->m_core));
}

/* The line under a row for what the build made besides vmlinux, if it made any. */
static void write_outputs(FILE *f, const struct kb_build_series *b)
{
	if (!b->has_boot && !b->has_modules)
		return;
	fprintf(f, "%12s", "");
	if (b->has_boot) {
		fprintf(f, "  boot image %10lld", (long long)b->boot_bytes);
		if (b->has_payload)
			fprintf(f, " (payload %lld)", (long long)b->boot_payload);
	}
	if (b->has_modules)
		fprintf(f, "  modules %10lld", (long long)b->mod_total);
	fputc('\n', f);
}

/* "tristate cand", "bool kept", ... or "-" for an option's class. */
static const char *class_text(int cls)
{
	static const char *const names[KB_OPT_NCLASSES] = { "tristate cand", "tristate kept",
							    "bool cand", "bool kept" };

	return cls >= 0 && cls < KB_OPT_NCLASSES ? names[cls] : "-";
}

static void write_option_text(FILE *f, const struct kb_history *m)
{
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT, c = STRBUF_INIT;
	size_t i;

	fprintf(f, "CONFIG_%s: its code and data per build\n", kb_text(&a, m->option));
	fprintf(f, "%-12s  %-10s  %9s  %8s  %-13s  %-14s  %s\n", "commit", "date", "bytes", "delta",
		"class", "author", "subject");
	for (i = 0; i < m->n; i++) {
		const struct kb_history_row *r = &m->rows[i];
		char date[16], d[24] = "";

		kb_format_date(r->author_time, date);
		if (i)
			snprintf(d, sizeof(d), "%+lld", (long long)r->delta);
		fprintf(f, "%s  %s  %9lld  %8s  %-13s  %-14s  %s\n", kb_text_cut(&c, r->sha, 12),
			date, (long long)r->size, d, class_text(r->cls),
			kb_text_cut(&a, r->author, 14), kb_text_cut(&b, r->subject, 22));
	}
	strbuf_release(&a);
	strbuf_release(&b);
	strbuf_release(&c);
}

void kb_history_write_text(FILE *f, const struct kb_history *m)
{
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT, c = STRBUF_INIT;
	size_t i;

	if (!m->n) {
		fprintf(f, "no builds recorded for this config\n");
		return;
	}
	if (m->option) {
		write_option_text(f, m);
		return;
	}
	fprintf(f, "%-12s  %-10s  %10s  %9s  %-18s  %s\n", "commit", "date", "size", "delta",
		"author", "subject");
	for (i = 0; i < m->n; i++) {
		const struct kb_history_row *r = &m->rows[i];
		char date[16], d[24] = "";

		kb_format_date(r->author_time, date);
		if (i)
			snprintf(d, sizeof(d), "%+lld", (long long)r->delta);
		fprintf(f, "%s  %s  %10lld  %9s  %-18s  %s\n", kb_text_cut(&c, r->sha, 12), date,
			(long long)r->size, d, kb_text_cut(&a, r->author, 18),
			kb_text_cut(&b, r->subject, 31));
		/* under the row: the table keeps within 100 columns */
		if (kb_reused_text(r->reused))
			fprintf(f, "%14s%s\n", "", kb_reused_text(r->reused));
		if (m->series)
			write_series(f, &r->ser);
		write_outputs(f, &r->ser);
	}
	strbuf_release(&a);
	strbuf_release(&b);
	strbuf_release(&c);
}

/* A series value as a JSON number, or null where the build has none. */
static json_t *series_json(int has, int64_t v)
{
	return has ? json_integer((json_int_t)v) : json_null();
}

static void row_series_json(json_t *o, const struct kb_build_series *b)
{
	int64_t cd = b->total - b->padding;

	json_object_set_new(o, "padding", series_json(b->has_padding, b->padding));
	json_object_set_new(o, "code", series_json(b->has_padding, cd));
	json_object_set_new(o, "m_tristate", series_json(b->has_modular, b->m_tristate));
	json_object_set_new(o, "m_bool", series_json(b->has_modular, b->m_bool));
	json_object_set_new(o, "m_core", series_json(b->has_modular, b->m_core));
	json_object_set_new(o, "m_rest", series_json(b->has_modular, b->m_rest));
	json_object_set_new(o, "modular",
			    series_json(b->has_modular, cd - b->m_tristate - b->m_bool));
	/* only builds collected with --boot-image or --modules have these (schema 008) */
	if (b->has_boot) {
		json_object_set_new(o, "boot_image", json_integer((json_int_t)b->boot_bytes));
		json_object_set_new(o, "boot_payload",
				    series_json(b->has_payload, b->boot_payload));
	}
	if (b->has_modules)
		json_object_set_new(o, "modules", json_integer((json_int_t)b->mod_total));
}

static json_t *row_json(const struct kb_history *m, const struct kb_history_row *r)
{
	json_t *o = json_pack("{s:o,s:o,s:o,s:I,s:I,s:I}", "commit", kb_json_str(r->sha), "author",
			      kb_json_str(r->author), "subject", kb_json_str(r->subject), "size",
			      (json_int_t)r->size, "delta", (json_int_t)r->delta, "commits",
			      (json_int_t)r->commits);

	row_series_json(o, &r->ser);
	/* why make did not run for it ("not rebuilt: no input changed"), or null */
	json_object_set_new(o, "not_rebuilt",
			    kb_reused_text(r->reused) ? json_string(kb_reused_text(r->reused)) :
							json_null());
	if (m->option) {
		const char *type = kb_opt_type(r->cls);

		json_object_set_new(o, "type", type ? json_string(type) : json_null());
		json_object_set_new(o, "candidate",
				    type ? json_boolean(kb_opt_candidate(r->cls)) : json_null());
	}
	return o;
}

json_t *kb_history_json(const struct kb_history *m)
{
	json_t *arr = json_array(), *o;
	size_t i;

	for (i = 0; i < m->n; i++)
		json_array_append_new(arr, row_json(m, &m->rows[i]));
	o = json_pack("{s:o}", "builds", arr);
	if (m->option)
		json_object_set_new(o, "option", kb_json_str(m->option));
	return o;
}
