/*
 * listing.c - an image's breakdown listed as `kbloat syms` prints it; see listing.h.
 */
#include "listing.h"
#include "escape.h"

#include "json.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

static int cmp_row(const void *x, const void *y)
{
	const struct kb_row *a = *(const struct kb_row *const *)x;
	const struct kb_row *b = *(const struct kb_row *const *)y;

	if (a->bytes != b->bytes)
		return a->bytes > b->bytes ? -1 : 1;
	if (a->addr != b->addr)
		return a->addr < b->addr ? -1 : 1;
	return strcmp(a->name, b->name);
}

static const struct kb_row **sorted_rows(const struct kb_breakdown *bd)
{
	const struct kb_row **v = xcalloc(bd->nrows + 1, sizeof(*v));
	size_t i;

	for (i = 0; i < bd->nrows; i++)
		v[i] = &bd->rows[i];
	qsort(v, bd->nrows, sizeof(*v), cmp_row);
	return v;
}

static char type_letter(const struct kb_row *r)
{
	return (r->flags & KB_ROW_GAP) ? '-' : r->nm ? r->nm : '?';
}

static const char *bind_name(unsigned char b)
{
	switch (b) {
	case STB_LOCAL:
		return "local";
	case STB_GLOBAL:
		return "global";
	case STB_WEAK:
		return "weak";
	case STB_GNU_UNIQUE:
		return "unique";
	default:
		return "other";
	}
}

static const char *elf_type_name(unsigned char t)
{
	switch (t) {
	case STT_FUNC:
		return "func";
	case STT_OBJECT:
		return "object";
	case STT_NOTYPE:
		return "notype";
	case STT_TLS:
		return "tls";
	case STT_GNU_IFUNC:
		return "ifunc";
	default:
		return "other";
	}
}

static json_t *attribution_json(const struct kb_analysis *a)
{
	json_t *o = json_object(), *p = json_object();
	int i;

	json_object_set_new(o, "dwarf", json_boolean(a->have_dwarf));
	json_object_set_new(o, "map", json_boolean(a->have_map));
	for (i = 0; i < KB_PROV_NR; i++)
		json_object_set_new(p, kb_prov_name(i), kb_json_u64(a->prov_bytes[i]));
	json_object_set_new(p, "padding", kb_json_u64(a->padding_bytes));
	json_object_set_new(o, "bytes", p);
	/* whose code was decoded for the literals it references: "x86_64", or null */
	json_object_set_new(o, "code_refs",
			    a->derived.xref_machine ? kb_json_str(a->derived.xref_machine) :
						      json_null());
	return o;
}

/* How many rows of n the listing shows: --top N, or all. */
static size_t shown_of(const struct kb_listing_opts *o, size_t n)
{
	return o->top >= 0 && (size_t)o->top < n ? (size_t)o->top : n;
}

static void write_attribution(FILE *f, const struct kb_analysis *a)
{
	const char *sep = "";
	int i;

	fprintf(f, "Attribution:");
	for (i = 0; i < KB_PROV_NR; i++) {
		if (!a->prov_bytes[i])
			continue;
		fprintf(f, "%s %s %.1f%%", sep, kb_prov_name(i),
			a->img->total ? 100.0 * (double)a->prov_bytes[i] / (double)a->img->total :
					0.0);
		sep = ",";
	}
	if (a->padding_bytes)
		fprintf(f, "%s padding %.1f%%", sep,
			a->img->total ? 100.0 * (double)a->padding_bytes / (double)a->img->total :
					0.0);
	fprintf(f, " of bytes%s%s", a->have_dwarf ? "" : " (no DWARF)",
		a->have_map ? "" : " (no map)");
	if (!a->derived.xref_machine && a->img->etype != ET_REL)
		fprintf(f, " (code references not decoded for ELF machine %u)", a->img->machine);
	fprintf(f, "\n");
}

static void write_total(FILE *f, const struct kb_analysis *a, size_t nrows)
{
	int c;

	fprintf(f, "Total: %llu bytes in %zu rows (", (unsigned long long)a->bd->total, nrows);
	for (c = 0; c < KB_CLS_NR; c++)
		fprintf(f, "%s%s %llu", c ? ", " : "", kb_class_name(c),
			(unsigned long long)a->bd->cls_bytes[c]);
	fprintf(f, ")\n");
}

static void rows_text(FILE *f, const struct kb_analysis *a, const struct kb_listing_opts *o)
{
	const struct kb_breakdown *bd = a->bd;
	const struct kb_row **v = sorted_rows(bd);
	size_t n = bd->nrows, shown = shown_of(o, n), i;
	struct strbuf sec = STRBUF_INIT, file = STRBUF_INIT, name = STRBUF_INIT;
	uint64_t rest = 0;

	for (i = shown; i < n; i++)
		rest += v[i]->bytes;
	fprintf(f, "%10s %-7s %s %-20s %-36s %s%s\n", "bytes", "class", "t", "section", "file",
		o->provenance ? "provenance  " : "", "symbol");
	for (i = 0; i < shown; i++) {
		const struct kb_row *r = v[i];

		fprintf(f, "%10llu %-7s %c %-20s %-36s ", (unsigned long long)r->bytes,
			kb_class_name(r->sec->cls), type_letter(r), kb_text(&sec, r->sec->name),
			kb_text(&file, r->file ? r->file : "-"));
		if (o->provenance)
			fprintf(f, "%-11s ", kb_prov_name(r->prov));
		fprintf(f, "%s\n", kb_text(&name, r->name));
	}
	strbuf_release(&sec);
	strbuf_release(&file);
	strbuf_release(&name);
	if (shown < n)
		fprintf(f, "%10llu %-7s %c %-20s %-36s %s[%zu more rows]\n",
			(unsigned long long)rest, "-", '-', "-", "-",
			o->provenance ? "            " : "", n - shown);
	write_total(f, a, n);
	write_attribution(f, a);
	free(v);
}

static json_t *row_json(const struct kb_row *r)
{
	json_t *j = json_object();

	json_object_set_new(j, "name", kb_json_str(r->name));
	if (r->origin != r->name && strcmp(r->origin, r->name))
		json_object_set_new(j, "origin", kb_json_str(r->origin));
	json_object_set_new(j, "bytes", kb_json_u64(r->bytes));
	json_object_set_new(j, "size", kb_json_u64(r->size));
	json_object_set_new(j, "addr", kb_json_addr(r->addr));
	json_object_set_new(j, "section", kb_json_str(r->sec->name));
	json_object_set_new(j, "class", kb_json_str(kb_class_name(r->sec->cls)));
	json_object_set_new(j, "type", json_stringn(&(char){ type_letter(r) }, 1));
	json_object_set_new(j, "gap", json_boolean(r->flags & KB_ROW_GAP));
	if (!(r->flags & KB_ROW_GAP)) {
		json_object_set_new(j, "binding", kb_json_str(bind_name(r->bind)));
		json_object_set_new(j, "elf_type", kb_json_str(elf_type_name(r->type)));
	}
	json_object_set_new(j, "file", r->file ? kb_json_str(r->file) : json_null());
	json_object_set_new(j, "subsystem", r->subsystem ? kb_json_str(r->subsystem) : json_null());
	json_object_set_new(j, "provenance", kb_json_str(kb_prov_name(r->prov)));
	if (r->naliases) {
		json_t *al = json_array();
		unsigned k;

		for (k = 0; k < r->naliases; k++)
			json_array_append_new(al, kb_json_str(r->aliases[k]));
		json_object_set_new(j, "aliases", al);
	}
	return j;
}

static json_t *rows_json(const struct kb_analysis *a, const struct kb_listing_opts *o)
{
	const struct kb_breakdown *bd = a->bd;
	const struct kb_row **v = sorted_rows(bd);
	size_t n = bd->nrows, shown = shown_of(o, n), i;
	uint64_t rest = 0;
	json_t *rows = json_array(), *root = json_object();

	for (i = shown; i < n; i++)
		rest += v[i]->bytes;
	for (i = 0; i < shown; i++)
		json_array_append_new(rows, row_json(v[i]));
	json_object_set_new(root, "image", kb_json_str(a->img->path));
	json_object_set_new(root, "total", kb_json_u64(bd->total));
	json_object_set_new(root, "classes", kb_json_classes(bd->cls_bytes));
	json_object_set_new(root, "by", json_null());
	json_object_set_new(root, "rows", rows);
	json_object_set_new(root, "rest",
			    json_pack("{s:I,s:I}", "rows", (json_int_t)(n - shown), "bytes",
				      (json_int_t)rest));
	json_object_set_new(root, "attribution", attribution_json(a));
	free(v);
	return root;
}

/* The groups past the shown ones, summed: per class, then in all at [KB_CLS_NR]. */
static size_t groups_rest(const struct kb_groups *gs, size_t shown, uint64_t *rest)
{
	size_t rows = 0, i;
	int c;

	for (i = shown; i < gs->n; i++) {
		for (c = 0; c < KB_CLS_NR; c++)
			rest[c] += gs->g[i].cls[c];
		rest[KB_CLS_NR] += gs->g[i].bytes;
		rows += gs->g[i].rows;
	}
	return rows;
}

static void groups_text(FILE *f, const struct kb_analysis *a, const struct kb_listing_opts *o)
{
	struct kb_groups gs;
	uint64_t rest[KB_CLS_NR + 1] = { 0 };
	size_t shown, rest_rows, i;
	int c;

	kb_groups_build(&gs, a, o->by);
	shown = shown_of(o, gs.n);
	rest_rows = groups_rest(&gs, shown, rest);
	fprintf(f, "%10s", "bytes");
	for (c = 0; c < KB_CLS_NR; c++)
		fprintf(f, " %9s", kb_class_name(c));
	fprintf(f, " %6s  %s\n", "rows", kb_by_name(o->by));
	for (i = 0; i < shown; i++) {
		const struct kb_group *g = &gs.g[i];

		fprintf(f, "%10llu", (unsigned long long)g->bytes);
		for (c = 0; c < KB_CLS_NR; c++)
			fprintf(f, " %9llu", (unsigned long long)g->cls[c]);
		fprintf(f, " %6zu  ", g->rows);
		kb_escape_text(f, g->key);
		if (o->by == KB_BY_SYMBOL && g->file) {
			fputs("  (", f);
			kb_escape_text(f, g->file);
			fputc(')', f);
		}
		fputc('\n', f);
	}
	if (shown < gs.n) {
		fprintf(f, "%10llu", (unsigned long long)rest[KB_CLS_NR]);
		for (c = 0; c < KB_CLS_NR; c++)
			fprintf(f, " %9llu", (unsigned long long)rest[c]);
		fprintf(f, " %6zu  [%zu more]\n", rest_rows, gs.n - shown);
	}
	write_total(f, a, a->bd->nrows);
	write_attribution(f, a);
	kb_groups_release(&gs);
}

static json_t *groups_json(const struct kb_analysis *a, const struct kb_listing_opts *o)
{
	struct kb_groups gs;
	uint64_t rest[KB_CLS_NR + 1] = { 0 };
	json_t *rows = json_array(), *root = json_object();
	size_t shown, i;

	kb_groups_build(&gs, a, o->by);
	shown = shown_of(o, gs.n);
	groups_rest(&gs, shown, rest);
	for (i = 0; i < shown; i++) {
		const struct kb_group *g = &gs.g[i];
		json_t *j = json_object();

		json_object_set_new(j, "key", kb_json_str(g->key));
		if (o->by == KB_BY_SYMBOL)
			json_object_set_new(j, "file",
					    g->file ? kb_json_str(g->file) : json_null());
		json_object_set_new(j, "bytes", kb_json_u64(g->bytes));
		json_object_set_new(j, "classes", kb_json_classes(g->cls));
		json_object_set_new(j, "rows", kb_json_u64(g->rows));
		json_array_append_new(rows, j);
	}
	json_object_set_new(root, "image", kb_json_str(a->img->path));
	json_object_set_new(root, "total", kb_json_u64(a->bd->total));
	json_object_set_new(root, "classes", kb_json_classes(a->bd->cls_bytes));
	json_object_set_new(root, "by", kb_json_str(kb_by_name(o->by)));
	json_object_set_new(root, "rows", rows);
	json_object_set_new(root, "rest",
			    json_pack("{s:I,s:I,s:o}", "groups", (json_int_t)(gs.n - shown),
				      "bytes", (json_int_t)rest[KB_CLS_NR], "classes",
				      kb_json_classes(rest)));
	json_object_set_new(root, "attribution", attribution_json(a));
	kb_groups_release(&gs);
	return root;
}

void kb_listing_write_text(FILE *f, const struct kb_analysis *a, const struct kb_listing_opts *o)
{
	if (o->by < 0)
		rows_text(f, a, o);
	else
		groups_text(f, a, o);
}

json_t *kb_listing_json(const struct kb_analysis *a, const struct kb_listing_opts *o)
{
	return o->by < 0 ? rows_json(a, o) : groups_json(a, o);
}
