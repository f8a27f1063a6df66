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

/* bytes' share of the image, in percent */
static double share(const struct kb_analysis *a, uint64_t bytes)
{
	return a->bd->total ? 100.0 * (double)bytes / (double)a->bd->total : 0.0;
}

/* The share as JSON: a number of two decimals. */
static json_t *share_json(const struct kb_analysis *a, uint64_t bytes)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%.2f", share(a, bytes));
	return json_real(strtod(buf, NULL));
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
	fprintf(f, "%10s %s%-7s %s %-20s %-36s %s%s\n", "bytes", o->percent ? "     % " : "",
		"class", "t", "section", "file", o->provenance ? "provenance  " : "", "symbol");
	for (i = 0; i < shown; i++) {
		const struct kb_row *r = v[i];

		fprintf(f, "%10llu ", (unsigned long long)r->bytes);
		if (o->percent)
			fprintf(f, "%5.1f%% ", share(a, r->bytes));
		fprintf(f, "%-7s %c %-20s %-36s ", kb_class_name(r->sec->cls), type_letter(r),
			kb_text(&sec, r->sec->name), kb_text(&file, r->file ? r->file : "-"));
		if (o->provenance)
			fprintf(f, "%-11s ", kb_prov_name(r->prov));
		fprintf(f, "%s", kb_text(&name, r->name));
		if (r->serves) /* what a derived row is for: "[section .orc_unwind] -> schedule" */
			fprintf(f, " -> %s", kb_text(&name, r->serves));
		fprintf(f, "\n");
	}
	strbuf_release(&sec);
	strbuf_release(&file);
	strbuf_release(&name);
	if (shown < n)
		fprintf(f, "%10llu %s%-7s %c %-20s %-36s %s[%zu more rows]\n",
			(unsigned long long)rest, o->percent ? "     - " : "", "-", '-', "-", "-",
			o->provenance ? "            " : "", n - shown);
	write_total(f, a, n);
	write_attribution(f, a);
	free(v);
}

static json_t *row_json(const struct kb_analysis *a, const struct kb_listing_opts *o,
			const struct kb_row *r)
{
	json_t *j = json_object();

	json_object_set_new(j, "name", kb_json_str(r->name));
	if (r->origin != r->name && strcmp(r->origin, r->name))
		json_object_set_new(j, "origin", kb_json_str(r->origin));
	json_object_set_new(j, "bytes", kb_json_u64(r->bytes));
	if (o->percent)
		json_object_set_new(j, "percent", share_json(a, r->bytes));
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
	if (r->serves)
		json_object_set_new(j, "serves", kb_json_str(r->serves));
	if (r->naliases) {
		json_t *al = json_array();
		unsigned k;

		for (k = 0; k < r->naliases; k++)
			json_array_append_new(al, kb_json_str(r->aliases[k]));
		json_object_set_new(j, "aliases", al);
	}
	return j;
}

/* The top of a listing's JSON: the image, its total and classes, and the grouping (by). */
static json_t *listing_root(const struct kb_analysis *a, json_t *by)
{
	json_t *root = json_object();

	json_object_set_new(root, "image", kb_json_str(a->img->path));
	json_object_set_new(root, "total", kb_json_u64(a->bd->total));
	json_object_set_new(root, "classes", kb_json_classes(a->bd->cls_bytes));
	json_object_set_new(root, "by", by);
	return root;
}

/* The listing of every row: the JSON, or with flat its rows alone (a table's). */
static json_t *rows_json(const struct kb_analysis *a, const struct kb_listing_opts *o, int flat)
{
	const struct kb_breakdown *bd = a->bd;
	const struct kb_row **v = sorted_rows(bd);
	size_t n = bd->nrows, shown = shown_of(o, n), i;
	uint64_t rest = 0;
	json_t *rows = json_array(), *root;

	for (i = shown; i < n; i++)
		rest += v[i]->bytes;
	for (i = 0; i < shown; i++)
		json_array_append_new(rows, row_json(a, o, v[i]));
	if (flat) {
		free(v);
		return rows;
	}
	root = listing_root(a, json_null());
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
	if (o->percent)
		fprintf(f, " %6s", "%");
	for (c = 0; c < KB_CLS_NR; c++)
		fprintf(f, " %9s", kb_class_name(c));
	fprintf(f, " %6s  %s\n", "rows", kb_by_name(o->by));
	for (i = 0; i < shown; i++) {
		const struct kb_group *g = &gs.g[i];

		fprintf(f, "%10llu", (unsigned long long)g->bytes);
		if (o->percent)
			fprintf(f, " %5.1f%%", share(a, g->bytes));
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
		if (o->percent)
			fprintf(f, " %5.1f%%", share(a, rest[KB_CLS_NR]));
		for (c = 0; c < KB_CLS_NR; c++)
			fprintf(f, " %9llu", (unsigned long long)rest[c]);
		fprintf(f, " %6zu  [%zu more]\n", rest_rows, gs.n - shown);
	}
	write_total(f, a, a->bd->nrows);
	write_attribution(f, a);
	kb_groups_release(&gs);
}

/* The groups of --by KEY: the JSON, or with flat its rows alone (a table's). */
static json_t *groups_json(const struct kb_analysis *a, const struct kb_listing_opts *o, int flat)
{
	struct kb_groups gs;
	uint64_t rest[KB_CLS_NR + 1] = { 0 };
	json_t *rows = json_array(), *root;
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
		if (o->percent)
			json_object_set_new(j, "percent", share_json(a, g->bytes));
		json_object_set_new(j, "classes", kb_json_classes(g->cls));
		json_object_set_new(j, "rows", kb_json_u64(g->rows));
		json_array_append_new(rows, j);
	}
	if (flat) {
		kb_groups_release(&gs);
		return rows;
	}
	root = listing_root(a, kb_json_str(kb_by_name(o->by)));
	json_object_set_new(root, "rows", rows);
	json_object_set_new(root, "rest",
			    json_pack("{s:I,s:I,s:o}", "groups", (json_int_t)(gs.n - shown),
				      "bytes", (json_int_t)rest[KB_CLS_NR], "classes",
				      kb_json_classes(rest)));
	json_object_set_new(root, "attribution", attribution_json(a));
	kb_groups_release(&gs);
	return root;
}

/* --- the directories as a tree (--by dir --tree) --- */

/* The shown children of a level (--top N of them) and the rest's bytes. */
static size_t level_shown(const struct kb_dirtree *t, const struct kb_listing_opts *o,
			  const size_t *v, size_t n, uint64_t *rest)
{
	size_t shown = shown_of(o, n), i;

	*rest = 0;
	for (i = shown; i < n; i++)
		*rest += t->v[v[i]].bytes;
	return shown;
}

static void tree_text_level(FILE *f, const struct kb_analysis *a, const struct kb_listing_opts *o,
			    const struct kb_dirtree *t, const size_t *v, size_t n, size_t depth)
{
	uint64_t rest;
	size_t shown = level_shown(t, o, v, n, &rest), i;

	for (i = 0; i < shown; i++) {
		const struct kb_dirnode *d = &t->v[v[i]];

		fprintf(f, "%10llu %5.1f%% %10llu %6zu  %*s", (unsigned long long)d->bytes,
			share(a, d->bytes), (unsigned long long)d->own, d->rows, (int)(2 * depth),
			"");
		kb_escape_text(f, d->name);
		fputc('\n', f);
		tree_text_level(f, a, o, t, d->kids, d->nkids, depth + 1);
	}
	if (shown < n)
		fprintf(f, "%10llu %5.1f%% %10s %6s  %*s[%zu more]\n", (unsigned long long)rest,
			share(a, rest), "-", "-", (int)(2 * depth), "", n - shown);
}

static void tree_text(FILE *f, const struct kb_analysis *a, const struct kb_listing_opts *o)
{
	struct kb_dirtree t;

	kb_dirtree_build(&t, a);
	fprintf(f, "%10s %6s %10s %6s  %s\n", "bytes", "%", "own", "rows",
		"dir (bytes: its files' and its subdirectories')");
	tree_text_level(f, a, o, &t, t.roots, t.nroots, 0);
	write_total(f, a, a->bd->nrows);
	write_attribution(f, a);
	kb_dirtree_release(&t);
}

static json_t *dirnode_json(const struct kb_analysis *a, const struct kb_dirnode *d)
{
	json_t *j = json_object();

	json_object_set_new(j, "dir", kb_json_str(d->path));
	json_object_set_new(j, "name", kb_json_str(d->name));
	json_object_set_new(j, "bytes", kb_json_u64(d->bytes));
	json_object_set_new(j, "own", kb_json_u64(d->own));
	json_object_set_new(j, "percent", share_json(a, d->bytes));
	json_object_set_new(j, "classes", kb_json_classes(d->cls));
	json_object_set_new(j, "rows", kb_json_u64(d->rows));
	return j;
}

/* A level as JSON: nested (children, rest) into arr; or, with flat, every shown node of
 * the subtree appended to flat in depth-first order, with its depth. */
static void tree_json_level(json_t *arr, json_t *flat, const struct kb_analysis *a,
			    const struct kb_listing_opts *o, const struct kb_dirtree *t,
			    const size_t *v, size_t n, json_t *parent)
{
	uint64_t rest;
	size_t shown = level_shown(t, o, v, n, &rest), i;

	for (i = 0; i < shown; i++) {
		const struct kb_dirnode *d = &t->v[v[i]];
		json_t *j = dirnode_json(a, d), *kids = NULL;

		if (flat) {
			json_object_set_new(j, "depth", kb_json_u64(d->depth));
			json_array_append_new(flat, j);
		} else {
			kids = json_array();
			json_object_set_new(j, "children", kids);
			json_array_append_new(arr, j);
		}
		tree_json_level(kids, flat, a, o, t, d->kids, d->nkids, flat ? NULL : j);
	}
	if (shown < n && parent)
		json_object_set_new(parent, "rest",
				    json_pack("{s:I,s:I}", "dirs", (json_int_t)(n - shown), "bytes",
					      (json_int_t)rest));
}

static json_t *tree_json(const struct kb_analysis *a, const struct kb_listing_opts *o, int flat)
{
	struct kb_dirtree t;
	json_t *rows = json_array(), *root;
	uint64_t rest;
	size_t shown;

	kb_dirtree_build(&t, a);
	shown = level_shown(&t, o, t.roots, t.nroots, &rest);
	tree_json_level(flat ? NULL : rows, flat ? rows : NULL, a, o, &t, t.roots, t.nroots, NULL);
	if (flat) {
		kb_dirtree_release(&t);
		return rows;
	}
	root = listing_root(a, kb_json_str("dir"));
	json_object_set_new(root, "tree", json_true());
	json_object_set_new(root, "rows", rows);
	json_object_set_new(root, "rest",
			    json_pack("{s:I,s:I}", "dirs", (json_int_t)(t.nroots - shown), "bytes",
				      (json_int_t)rest));
	json_object_set_new(root, "attribution", attribution_json(a));
	kb_dirtree_release(&t);
	return root;
}

/* --- two levels (--by OUTER,INNER) --- */

static void nest_text(FILE *f, const struct kb_analysis *a, const struct kb_listing_opts *o)
{
	struct kb_nest ns;
	size_t shown, i, k;

	kb_nest_build(&ns, a, o->by, o->inner);
	shown = shown_of(o, ns.outer.n);
	fprintf(f, "%10s %6s %6s  %s / %s\n", "bytes", "%", "rows", kb_by_name(o->by),
		kb_by_name(o->inner));
	for (i = 0; i <= shown && i < ns.outer.n; i++) {
		const struct kb_groups *in = &ns.inner[i];
		uint64_t rest[KB_CLS_NR + 1] = { 0 };
		size_t rest_rows, ishown;

		if (i == shown) { /* the outer rest */
			rest_rows = groups_rest(&ns.outer, shown, rest);
			fprintf(f, "%10llu %5.1f%% %6zu  [%zu more]\n",
				(unsigned long long)rest[KB_CLS_NR], share(a, rest[KB_CLS_NR]),
				rest_rows, ns.outer.n - shown);
			break;
		}
		fprintf(f, "%10llu %5.1f%% %6zu  ", (unsigned long long)ns.outer.g[i].bytes,
			share(a, ns.outer.g[i].bytes), ns.outer.g[i].rows);
		kb_escape_text(f, ns.outer.g[i].key);
		fputc('\n', f);
		ishown = shown_of(o, in->n);
		for (k = 0; k < ishown; k++) {
			const struct kb_group *g = &in->g[k];

			fprintf(f, "%10llu %5.1f%% %6zu    ", (unsigned long long)g->bytes,
				share(a, g->bytes), g->rows);
			kb_escape_text(f, g->key);
			if (o->inner == KB_BY_SYMBOL && g->file && o->by != KB_BY_FILE) {
				fputs("  (", f);
				kb_escape_text(f, g->file);
				fputc(')', f);
			}
			fputc('\n', f);
		}
		if (ishown < in->n) {
			rest_rows = groups_rest(in, ishown, rest);
			fprintf(f, "%10llu %5.1f%% %6zu    [%zu more]\n",
				(unsigned long long)rest[KB_CLS_NR], share(a, rest[KB_CLS_NR]),
				rest_rows, in->n - ishown);
		}
	}
	write_total(f, a, a->bd->nrows);
	write_attribution(f, a);
	kb_nest_release(&ns);
}

static json_t *group_json(const struct kb_analysis *a, enum kb_by by, const struct kb_group *g)
{
	json_t *j = json_object();

	json_object_set_new(j, "key", kb_json_str(g->key));
	if (by == KB_BY_SYMBOL)
		json_object_set_new(j, "file", g->file ? kb_json_str(g->file) : json_null());
	json_object_set_new(j, "bytes", kb_json_u64(g->bytes));
	json_object_set_new(j, "percent", share_json(a, g->bytes));
	json_object_set_new(j, "classes", kb_json_classes(g->cls));
	json_object_set_new(j, "rows", kb_json_u64(g->rows));
	return j;
}

static json_t *rest_json(const struct kb_groups *gs, size_t shown)
{
	uint64_t rest[KB_CLS_NR + 1] = { 0 };

	groups_rest(gs, shown, rest);
	return json_pack("{s:I,s:I,s:o}", "groups", (json_int_t)(gs->n - shown), "bytes",
			 (json_int_t)rest[KB_CLS_NR], "classes", kb_json_classes(rest));
}

/* An inner row of a nest as a table's row: {OUTER: its outer key, INNER: its key, ...} */
static json_t *nest_row_json(const struct kb_analysis *a, const struct kb_listing_opts *o,
			     const char *outer_key, const struct kb_group *g)
{
	json_t *r = json_object();

	json_object_set_new(r, kb_by_name(o->by), kb_json_str(outer_key));
	json_object_set_new(r, kb_by_name(o->inner), kb_json_str(g->key));
	if (o->inner == KB_BY_SYMBOL)
		json_object_set_new(r, "symbol_file", g->file ? kb_json_str(g->file) : json_null());
	json_object_set_new(r, "bytes", kb_json_u64(g->bytes));
	json_object_set_new(r, "percent", share_json(a, g->bytes));
	json_object_set_new(r, "classes", kb_json_classes(g->cls));
	json_object_set_new(r, "rows", kb_json_u64(g->rows));
	return r;
}

/* Two levels: the JSON, or with flat a table's rows (nest_row_json). */
static json_t *nest_json(const struct kb_analysis *a, const struct kb_listing_opts *o, int flat)
{
	struct kb_nest ns;
	json_t *rows = json_array(), *root;
	size_t shown, i, k;

	kb_nest_build(&ns, a, o->by, o->inner);
	shown = shown_of(o, ns.outer.n);
	for (i = 0; i < shown; i++) {
		const struct kb_groups *in = &ns.inner[i];
		size_t ishown = shown_of(o, in->n);
		json_t *j, *inner;

		if (flat) {
			for (k = 0; k < ishown; k++)
				json_array_append_new(rows, nest_row_json(a, o, ns.outer.g[i].key,
									  &in->g[k]));
			continue;
		}
		j = group_json(a, o->by, &ns.outer.g[i]);
		inner = json_array();
		for (k = 0; k < ishown; k++)
			json_array_append_new(inner, group_json(a, o->inner, &in->g[k]));
		json_object_set_new(j, "inner", inner);
		json_object_set_new(j, "rest", rest_json(in, ishown));
		json_array_append_new(rows, j);
	}
	if (flat) {
		kb_nest_release(&ns);
		return rows;
	}
	root = listing_root(a, kb_json_str(kb_by_name(o->by)));
	json_object_set_new(root, "inner", kb_json_str(kb_by_name(o->inner)));
	json_object_set_new(root, "rows", rows);
	json_object_set_new(root, "rest", rest_json(&ns.outer, shown));
	json_object_set_new(root, "attribution", attribution_json(a));
	kb_nest_release(&ns);
	return root;
}

void kb_listing_write_text(FILE *f, const struct kb_analysis *a, const struct kb_listing_opts *o)
{
	if (o->by < 0)
		rows_text(f, a, o);
	else if (o->tree)
		tree_text(f, a, o);
	else if (o->inner >= 0)
		nest_text(f, a, o);
	else
		groups_text(f, a, o);
}

/* The listing's JSON, or with flat its rows as one flat array (kb_listing_table). */
static json_t *listing_json(const struct kb_analysis *a, const struct kb_listing_opts *o, int flat)
{
	if (o->by < 0)
		return rows_json(a, o, flat);
	if (o->tree)
		return tree_json(a, o, flat);
	if (o->inner >= 0)
		return nest_json(a, o, flat);
	return groups_json(a, o, flat);
}

json_t *kb_listing_json(const struct kb_analysis *a, const struct kb_listing_opts *o)
{
	return listing_json(a, o, 0);
}

json_t *kb_listing_table(const struct kb_analysis *a, const struct kb_listing_opts *o)
{
	return listing_json(a, o, 1);
}
