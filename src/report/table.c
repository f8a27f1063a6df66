/*
 * table.c - a listing's rows as CSV or TSV; see table.h.
 */
#include "table.h"

#include "json.h"
#include "strbuf.h"

#include <stdlib.h>
#include <string.h>

/* Puts v's scalars into flat under prefix ("classes.text" for an object's members). */
static void flatten(json_t *flat, const char *prefix, json_t *v)
{
	struct strbuf name = STRBUF_INIT;
	const char *k;
	json_t *sub;

	if (!json_is_object(v)) {
		json_object_set(flat, prefix, v);
		return;
	}
	json_object_foreach(v, k, sub)
	{
		strbuf_reset(&name);
		strbuf_addf(&name, "%s%s%s", prefix, *prefix ? "." : "", k);
		flatten(flat, name.buf, sub);
	}
	strbuf_release(&name);
}

/* The field's text: the bytes of a string, a number's digits, a list's JSON. */
static void field_text(json_t *v, struct strbuf *sb)
{
	char *s;

	strbuf_reset(sb);
	if (!v || json_is_null(v))
		return;
	if (json_is_string(v)) {
		if (kb_json_str_bytes(json_string_value(v), json_string_length(v), sb))
			strbuf_add(sb, json_string_value(v), json_string_length(v));
		return;
	}
	if (json_is_integer(v)) {
		strbuf_addf(sb, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		return;
	}
	s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(15));
	if (s)
		strbuf_addstr(sb, s);
	free(s);
}

static void write_field(FILE *f, const struct strbuf *sb, enum kb_table_format fmt)
{
	size_t i;

	if (fmt == KB_TABLE_TSV) {
		for (i = 0; i < sb->len; i++) {
			switch (sb->buf[i]) {
			case '\\':
				fputs("\\\\", f);
				break;
			case '\t':
				fputs("\\t", f);
				break;
			case '\n':
				fputs("\\n", f);
				break;
			case '\r':
				fputs("\\r", f);
				break;
			default:
				fputc(sb->buf[i], f);
			}
		}
		return;
	}
	if (strcspn(sb->buf, ",\"\r\n") == sb->len && memchr(sb->buf, 0, sb->len) == NULL) {
		fwrite(sb->buf, 1, sb->len, f);
		return;
	}
	fputc('"', f);
	for (i = 0; i < sb->len; i++) {
		if (sb->buf[i] == '"')
			fputc('"', f);
		fputc(sb->buf[i], f);
	}
	fputc('"', f);
}

static void write_record(FILE *f, json_t *names, json_t *flat, enum kb_table_format fmt,
			 struct strbuf *sb)
{
	const char *k;
	json_t *v;
	int first = 1;

	json_object_foreach(names, k, v)
	{
		if (!first)
			fputc(fmt == KB_TABLE_TSV ? '\t' : ',', f);
		first = 0;
		if (flat) {
			field_text(json_object_get(flat, k), sb);
		} else {
			strbuf_reset(sb);
			strbuf_addstr(sb, k);
		}
		write_field(f, sb, fmt);
	}
	fputs(fmt == KB_TABLE_TSV ? "\n" : "\r\n", f);
}

int kb_table_write(FILE *f, json_t *rows, enum kb_table_format fmt)
{
	struct strbuf sb = STRBUF_INIT;
	json_t *flats = json_array(), *names = json_object(), *row, *v;
	const char *k;
	size_t i;
	int rc = -1;

	if (!json_is_array(rows))
		goto out;
	json_array_foreach(rows, i, row)
	{
		json_t *flat = json_object();

		if (!json_is_object(row)) {
			json_decref(flat);
			goto out;
		}
		flatten(flat, "", row);
		json_object_foreach(flat, k, v) json_object_set_new(names, k, json_true());
		json_array_append_new(flats, flat);
	}
	if (json_object_size(names)) /* no rows, no columns: nothing to say */
		write_record(f, names, NULL, fmt, &sb);
	json_array_foreach(flats, i, row) write_record(f, names, row, fmt, &sb);
	rc = 0;
out:
	strbuf_release(&sb);
	json_decref(flats);
	json_decref(names);
	return rc;
}

void kb_table_append(json_t *table, const char *label, json_t *rows)
{
	json_t *row;
	size_t i;

	json_array_foreach(rows, i, row)
	{
		json_t *r = json_pack("{s:o}", "table", kb_json_str(label));

		json_object_update(r, row);
		json_array_append_new(table, r);
	}
	json_decref(rows);
}
