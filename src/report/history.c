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
	return cls == KB_OPT_TRI_CAND || cls == KB_OPT_TRI_KEPT || cls == KB_OPT_TRI_FREED ?
		       "tristate" :
	       cls == KB_OPT_BOOL_CAND || cls == KB_OPT_BOOL_KEPT ? "bool" :
								    NULL;
}

int kb_opt_candidate(int cls)
{
	return cls == KB_OPT_TRI_CAND || cls == KB_OPT_BOOL_CAND || cls == KB_OPT_TRI_FREED;
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

/* The rows' series, when the history is of the whole image (m->series if any has one);
 * none in a scoped one. */
static void line_series(struct kb_history *m, const struct kb_scope *sc)
{
	static const struct kb_build_series none;
	int whole = !kb_scope_narrows(sc) && !(sc && sc->cls >= 0);
	size_t i;

	for (i = 0; i < m->n; i++) {
		const struct kb_build_series *b = &m->commits[i].ser;

		m->rows[i].ser = whole ? b : &none;
		m->series |= whole && (b->has_padding || b->has_modular);
	}
}

/* Each row's size, delta, commit and series, from the line's ids and commits. */
static int fill_rows(struct kb_history *m, struct kb_store *s, const struct kb_scope *sc,
		     const char *name, const int64_t *ids)
{
	const struct kb_build_commit *c = m->commits;
	int64_t *size = xcalloc(m->n + 1, sizeof(*size));
	size_t i;
	int rc = KB_ERR;

	if (line_sizes(m, s, sc, name, ids, c, size))
		goto out;
	line_series(m, sc);
	for (i = 0; i < m->n; i++) {
		struct kb_history_row *r = &m->rows[i];

		r->build_id = ids[i];
		r->c = &c[i];
		r->size = size[i];
		r->delta = i ? size[i] - size[i - 1] : 0;
		r->commits = i ? c[i].distance : 0;
	}
	rc = 0;
out:
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
	rc = kb_store_line_commits(s, config_id, &ids, &m->commits, &m->n, &m->strs);
	if (!rc) {
		m->rows = memset(xmalloc_huge((m->n + 1) * sizeof(*m->rows)), 0,
				 (m->n + 1) * sizeof(*m->rows));
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
	free(m->commits);
	kb_strtab_release(&m->strs);
	free(m);
}

/*
 * The text table's writer: each line is put together in one buffer, written out every
 * 64 KB, not printed field by field (200,000 lines at 100,000 builds: fprintf's parsing and
 * locking were most of the time). Room for a whole line is made when it starts, so that
 * its fields are stored without a check each. The columns are printf's: a field narrower
 * than its width is padded with spaces, left or right, counted in bytes as printf does.
 */
struct text_out {
	FILE *f;
	struct strbuf buf, field;
	char *p; /* where the line goes on, within buf's room */
	int64_t day; /* the day of date, or INT64_MIN */
	char date[16];
};

#define TEXT_OUT_FLUSH 65536
/* more than any line takes: a row's fields are cut to 12 + 10 + 18 + 31 bytes, its numbers
 * 20 digits and a sign at most, the series line three of them; and OUT_SLACK beyond */
#define TEXT_OUT_LINE 512

/* Padding is stored OUT_SLACK spaces at a time (more than any column's width), a store of a
 * constant size rather than a call to memset with the width left; the line's room has them
 * beyond its last field. */
#define OUT_SLACK 32
static const char out_spaces[OUT_SLACK + 1] = "                                ";

static void out_flush(struct text_out *o)
{
	if (o->buf.len)
		fwrite(o->buf.buf, 1, o->buf.len, o->f);
	strbuf_reset(&o->buf);
}

static void out_line(struct text_out *o)
{
	strbuf_grow(&o->buf, TEXT_OUT_LINE);
	o->p = o->buf.buf + o->buf.len;
}

/* Ends the line; writes the buffer out when it is full. */
static void out_eol(struct text_out *o)
{
	*o->p++ = '\n';
	strbuf_setlen(&o->buf, (size_t)(o->p - o->buf.buf));
	if (o->buf.len >= TEXT_OUT_FLUSH)
		out_flush(o);
}

static void out_put(struct text_out *o, const char *s, size_t len)
{
	memcpy(o->p, s, len);
	o->p += len;
}

#define out_lit(o, s) out_put(o, s, sizeof(s) - 1)

/* width (at most OUT_SLACK) less len spaces, if any */
static void out_pad(struct text_out *o, size_t len, size_t width)
{
	if (len < width) {
		memcpy(o->p, out_spaces, OUT_SLACK);
		o->p += width - len;
	}
}

/* printf's "%Wlld" (W at most OUT_SLACK), or "%+Wlld" with plus: its digits written from
 * the field's end, two at a time */
static void out_int(struct text_out *o, int64_t v, size_t width, int plus)
{
	static const char two[] = "00010203040506070809101112131415161718192021222324252627282930"
				  "31323334353637383940414243444546474849505152535455565758596061"
				  "62636465666768697071727374757677787980818283848586878889909192"
				  "93949596979899";
	uint64_t u = v < 0 ? -(uint64_t)v : (uint64_t)v, p10 = 10;
	size_t digits = 1, len;
	char *q;

	/* counted by comparing, not dividing (10^19 is the last power below 2^64) */
	while (digits < 20 && u >= p10) {
		digits++;
		p10 *= 10;
	}
	len = digits + (v < 0 || plus);
	out_pad(o, len, width);
	o->p += len;
	q = o->p;
	while (u >= 100) {
		size_t r = (size_t)(u % 100) * 2;

		u /= 100;
		*--q = two[r + 1];
		*--q = two[r];
	}
	if (u >= 10) {
		*--q = two[u * 2 + 1];
		*--q = two[u * 2];
	} else {
		*--q = (char)('0' + u);
	}
	if (v < 0)
		*--q = '-';
	else if (plus)
		*--q = '+';
}

/* A text field, kb_text_cut to max bytes, as printf's "%-Ws" of it: printable ASCII up to
 * the cut (kb_text_cut's own fast path) is stored as it is. */
static void out_text(struct text_out *o, const char *s, size_t max, size_t width)
{
	size_t len = 0;

	while (len < max && s[len] >= 0x20 && s[len] < 0x7f)
		len++;
	if (len == max || !s[len]) {
		out_put(o, s, len);
	} else {
		kb_text_cut(&o->field, s, max);
		len = o->field.len;
		out_put(o, o->field.buf, len);
	}
	out_pad(o, len, width);
}

/* kb_format_date's date of t: the days of a line are few, each formatted once. */
static void out_date(struct text_out *o, int64_t t)
{
	int64_t day = t / 86400 - (t % 86400 < 0);

	if (day != o->day) {
		kb_format_date(t, o->date);
		o->day = day;
	}
	out_put(o, o->date, 10);
}

/* A series value, or "-" where the build has none, as "%10s". */
static void out_series_value(struct text_out *o, int has, int64_t v)
{
	if (has) {
		out_int(o, v, 10, 0);
	} else {
		out_pad(o, 1, 10);
		out_lit(o, "-");
	}
}

/* The line under a row: code and data, everything modularized, hard core. */
static void write_series(struct text_out *o, const struct kb_build_series *b)
{
	int64_t cd = (int64_t)((uint64_t)b->total - (uint64_t)b->padding);

	out_line(o);
	out_lit(o, "              code and data ");
	out_series_value(o, b->has_padding, cd);
	out_lit(o, "  modularized ");
	out_series_value(o, b->has_modular, kb_series_modular(b));
	out_lit(o, "  hard core ");
	out_series_value(o, b->has_modular, b->m_core);
	out_eol(o);
}

/* The line under a row for what the build made besides vmlinux, if it made any. */
static void write_outputs(struct text_out *o, const struct kb_build_series *b)
{
	if (!b->has_boot && !b->has_modules)
		return;
	out_line(o);
	out_lit(o, "            ");
	if (b->has_boot) {
		out_lit(o, "  boot image ");
		out_int(o, b->boot_bytes, 10, 0);
		if (b->has_payload) {
			out_lit(o, " (payload ");
			out_int(o, b->boot_payload, 0, 0);
			out_lit(o, ")");
		}
	}
	if (b->has_modules) {
		out_lit(o, "  modules ");
		out_int(o, b->mod_total, 10, 0);
	}
	out_eol(o);
}

/* "tristate cand", "bool kept", ... or "-" for an option's class. */
static const char *class_text(int cls)
{
	static const char *const names[KB_OPT_NCLASSES] = { "tristate cand", "tristate kept",
							    "bool cand", "bool kept",
							    "tristate freed" };

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

		kb_format_date(r->c->author_time, date);
		if (i)
			snprintf(d, sizeof(d), "%+lld", (long long)r->delta);
		fprintf(f, "%s  %s  %9lld  %8s  %-13s  %-14s  %s\n", kb_text_cut(&c, r->c->sha, 12),
			date, (long long)r->size, d, class_text(r->cls),
			kb_text_cut(&a, r->c->author, 14), kb_text_cut(&b, r->c->subject, 22));
	}
	strbuf_release(&a);
	strbuf_release(&b);
	strbuf_release(&c);
}

/* A row of the table: commit, date, size, delta, author, subject. */
static void write_row(struct text_out *o, const struct kb_history_row *r, int first)
{
	out_line(o);
	/* the store reads only 40 hex digits, but a model may come from elsewhere (the fuzzer's):
	 * out_text copies 12 printable bytes as they are and cuts anything else safely */
	out_text(o, r->c->sha, 12, 0);
	out_lit(o, "  ");
	out_date(o, r->c->author_time);
	out_lit(o, "  ");
	out_int(o, r->size, 10, 0);
	out_lit(o, "  ");
	if (first)
		out_pad(o, 0, 9);
	else
		out_int(o, r->delta, 9, 1);
	out_lit(o, "  ");
	out_text(o, r->c->author, 18, 18);
	out_lit(o, "  ");
	out_text(o, r->c->subject, 31, 0);
	out_eol(o);
	/* under the row: the table keeps within 100 columns */
	if (kb_reused_text(r->c->reused)) {
		out_line(o);
		out_lit(o, "              ");
		out_put(o, kb_reused_text(r->c->reused), strlen(kb_reused_text(r->c->reused)));
		out_eol(o);
	}
}

void kb_history_write_text(FILE *f, const struct kb_history *m)
{
	struct text_out o = { f, STRBUF_INIT, STRBUF_INIT, NULL, INT64_MIN, "" };
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
	strbuf_grow(&o.buf, TEXT_OUT_FLUSH + TEXT_OUT_LINE);
	for (i = 0; i < m->n; i++) {
		const struct kb_history_row *r = &m->rows[i];

		write_row(&o, r, !i);
		if (m->series)
			write_series(&o, r->ser);
		write_outputs(&o, r->ser);
	}
	out_flush(&o);
	strbuf_release(&o.buf);
	strbuf_release(&o.field);
}

/* A series value as a JSON number, or null where the build has none. */
static json_t *series_json(int has, int64_t v)
{
	return has ? json_integer((json_int_t)v) : json_null();
}

/* o's member key (a literal: ASCII, checked by no one) */
#define row_set(o, key, v) json_object_set_new_nocheck(o, key, v)

static void row_series_json(json_t *o, const struct kb_build_series *b)
{
	int64_t cd = b->total - b->padding;

	row_set(o, "padding", series_json(b->has_padding, b->padding));
	row_set(o, "code", series_json(b->has_padding, cd));
	row_set(o, "m_tristate", series_json(b->has_modular, b->m_tristate));
	row_set(o, "m_bool", series_json(b->has_modular, b->m_bool));
	row_set(o, "m_core", series_json(b->has_modular, b->m_core));
	row_set(o, "m_rest", series_json(b->has_modular, b->m_rest));
	/* schema 009: null where the analysis did not relearn the table (none in modular) */
	row_set(o, "m_kallsyms", series_json(b->has_kallsyms, b->m_kallsyms));
	row_set(o, "modular", series_json(b->has_modular, kb_series_modular(b)));
	/* only builds collected with --boot-image or --modules have these (schema 008) */
	if (b->has_boot) {
		row_set(o, "boot_image", json_integer((json_int_t)b->boot_bytes));
		row_set(o, "boot_payload", series_json(b->has_payload, b->boot_payload));
	}
	if (b->has_modules)
		row_set(o, "modules", json_integer((json_int_t)b->mod_total));
}

/* A row's object, its members set one by one (json_pack parsed its format for each of
 * 100,000 rows) */
static json_t *row_json(const struct kb_history *m, const struct kb_history_row *r)
{
	json_t *o = json_object();

	row_set(o, "commit", kb_json_str(r->c->sha));
	row_set(o, "author", kb_json_str(r->c->author));
	row_set(o, "subject", kb_json_str(r->c->subject));
	row_set(o, "size", json_integer((json_int_t)r->size));
	row_set(o, "delta", json_integer((json_int_t)r->delta));
	row_set(o, "commits", json_integer((json_int_t)r->commits));
	row_series_json(o, r->ser);
	/* why make did not run for it ("not rebuilt: no input changed"), or null */
	row_set(o, "not_rebuilt",
		kb_reused_text(r->c->reused) ? json_string(kb_reused_text(r->c->reused)) :
					       json_null());
	if (m->option) {
		const char *type = kb_opt_type(r->cls);

		row_set(o, "type", type ? json_string(type) : json_null());
		row_set(o, "candidate",
			type ? json_boolean(kb_opt_candidate(r->cls)) : json_null());
	}
	return o;
}

json_t *kb_history_json_row(const struct kb_history *m, size_t i)
{
	return row_json(m, &m->rows[i]);
}

json_t *kb_history_table(const struct kb_history *m)
{
	json_t *arr = json_array();
	size_t i;

	for (i = 0; i < m->n; i++)
		json_array_append_new(arr, row_json(m, &m->rows[i]));
	return arr;
}

json_t *kb_history_json_tail(const struct kb_history *m)
{
	json_t *o = json_object();

	if (m->option)
		json_object_set_new(o, "option", kb_json_str(m->option));
	return o;
}

json_t *kb_history_json(const struct kb_history *m)
{
	json_t *o = json_pack("{s:o}", "builds", kb_history_table(m)),
	       *tail = kb_history_json_tail(m);

	json_object_update(o, tail);
	json_decref(tail);
	return o;
}
