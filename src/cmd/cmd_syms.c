/*
 * cmd_syms.c - `kbloat syms IMAGE`: where an image's bytes go, by symbol, file, directory,
 * subsystem, section or class. Every listing sums to the image's total: bytes no symbol
 * covers are rows of their own, and rows past --top are summed on one line.
 */
#include "kbloat.h"

#include "analysis.h"
#include "error.h"
#include "strbuf.h"
#include "xalloc.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct syms_opts {
	int by; /* -1: rows */
	long top;
	int json, provenance;
};

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

static json_t *classes_json(const uint64_t *cls)
{
	json_t *o = json_object();
	int c;

	for (c = 0; c < KB_CLS_NR; c++)
		json_object_set_new(o, kb_class_name(c), kb_json_u64(cls[c]));
	return o;
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
	return o;
}

static void print_attribution(const struct kb_analysis *a)
{
	const char *sep = "";
	int i;

	printf("Attribution:");
	for (i = 0; i < KB_PROV_NR; i++) {
		if (!a->prov_bytes[i])
			continue;
		printf("%s %s %.1f%%", sep, kb_prov_name(i),
		       a->img->total ? 100.0 * (double)a->prov_bytes[i] / (double)a->img->total :
				       0.0);
		sep = ",";
	}
	if (a->padding_bytes)
		printf("%s padding %.1f%%", sep,
		       a->img->total ? 100.0 * (double)a->padding_bytes / (double)a->img->total :
				       0.0);
	printf(" of bytes%s%s\n", a->have_dwarf ? "" : " (no DWARF)",
	       a->have_map ? "" : " (no map)");
}

static void print_total(const struct kb_analysis *a, size_t nrows)
{
	int c;

	printf("Total: %llu bytes in %zu rows (", (unsigned long long)a->bd->total, nrows);
	for (c = 0; c < KB_CLS_NR; c++)
		printf("%s%s %llu", c ? ", " : "", kb_class_name(c),
		       (unsigned long long)a->bd->cls_bytes[c]);
	printf(")\n");
}

static int list_rows(const struct kb_analysis *a, const struct syms_opts *o)
{
	const struct kb_breakdown *bd = a->bd;
	const struct kb_row **v = sorted_rows(bd);
	size_t n = bd->nrows, shown = o->top >= 0 && (size_t)o->top < n ? (size_t)o->top : n, i;
	uint64_t rest = 0;
	json_t *rows = o->json ? json_array() : NULL;

	for (i = shown; i < n; i++)
		rest += v[i]->bytes;
	if (!o->json)
		printf("%10s %-7s %s %-20s %-36s %s%s\n", "bytes", "class", "t", "section", "file",
		       o->provenance ? "provenance  " : "", "symbol");
	for (i = 0; i < shown; i++) {
		const struct kb_row *r = v[i];

		if (o->json) {
			json_t *j = json_object();

			json_object_set_new(j, "name", json_string(r->name));
			if (r->origin != r->name && strcmp(r->origin, r->name))
				json_object_set_new(j, "origin", json_string(r->origin));
			json_object_set_new(j, "bytes", kb_json_u64(r->bytes));
			json_object_set_new(j, "size", kb_json_u64(r->size));
			json_object_set_new(j, "addr", kb_json_addr(r->addr));
			json_object_set_new(j, "section", json_string(r->sec->name));
			json_object_set_new(j, "class", json_string(kb_class_name(r->sec->cls)));
			json_object_set_new(j, "type", json_stringn(&(char){ type_letter(r) }, 1));
			json_object_set_new(j, "gap", json_boolean(r->flags & KB_ROW_GAP));
			if (!(r->flags & KB_ROW_GAP)) {
				json_object_set_new(j, "binding", json_string(bind_name(r->bind)));
				json_object_set_new(j, "elf_type",
						    json_string(elf_type_name(r->type)));
			}
			json_object_set_new(j, "file",
					    r->file ? json_string(r->file) : json_null());
			json_object_set_new(j, "subsystem",
					    r->subsystem ? json_string(r->subsystem) : json_null());
			json_object_set_new(j, "provenance", json_string(kb_prov_name(r->prov)));
			if (r->naliases) {
				json_t *al = json_array();
				unsigned k;

				for (k = 0; k < r->naliases; k++)
					json_array_append_new(al, json_string(r->aliases[k]));
				json_object_set_new(j, "aliases", al);
			}
			json_array_append_new(rows, j);
			continue;
		}
		printf("%10llu %-7s %c %-20s %-36s ", (unsigned long long)r->bytes,
		       kb_class_name(r->sec->cls), type_letter(r), r->sec->name,
		       r->file ? r->file : "-");
		if (o->provenance)
			printf("%-11s ", kb_prov_name(r->prov));
		printf("%s\n", r->name);
	}
	if (o->json) {
		json_t *root = json_object();

		json_object_set_new(root, "image", json_string(a->img->path));
		json_object_set_new(root, "total", kb_json_u64(bd->total));
		json_object_set_new(root, "classes", classes_json(bd->cls_bytes));
		json_object_set_new(root, "by", json_null());
		json_object_set_new(root, "rows", rows);
		json_object_set_new(root, "rest",
				    json_pack("{s:I,s:I}", "rows", (json_int_t)(n - shown), "bytes",
					      (json_int_t)rest));
		json_object_set_new(root, "attribution", attribution_json(a));
		free(v);
		return kb_json_print(root);
	}
	if (shown < n)
		printf("%10llu %-7s %c %-20s %-36s %s[%zu more rows]\n", (unsigned long long)rest,
		       "-", '-', "-", "-", o->provenance ? "            " : "", n - shown);
	print_total(a, n);
	print_attribution(a);
	free(v);
	return KB_EXIT_OK;
}

static int list_groups(const struct kb_analysis *a, const struct syms_opts *o)
{
	struct kb_groups gs;
	size_t shown, i;
	uint64_t rest[KB_CLS_NR + 1] = { 0 };
	size_t rest_rows = 0;
	json_t *rows = o->json ? json_array() : NULL;
	int c;

	kb_groups_build(&gs, a, o->by);
	shown = o->top >= 0 && (size_t)o->top < gs.n ? (size_t)o->top : gs.n;
	for (i = shown; i < gs.n; i++) {
		for (c = 0; c < KB_CLS_NR; c++)
			rest[c] += gs.g[i].cls[c];
		rest[KB_CLS_NR] += gs.g[i].bytes;
		rest_rows += gs.g[i].rows;
	}
	if (!o->json) {
		printf("%10s", "bytes");
		for (c = 0; c < KB_CLS_NR; c++)
			printf(" %9s", kb_class_name(c));
		printf(" %6s  %s\n", "rows", kb_by_name(o->by));
	}
	for (i = 0; i < shown; i++) {
		const struct kb_group *g = &gs.g[i];

		if (o->json) {
			json_t *j = json_object();

			json_object_set_new(j, "key", json_string(g->key));
			if (o->by == KB_BY_SYMBOL)
				json_object_set_new(j, "file",
						    g->file ? json_string(g->file) : json_null());
			json_object_set_new(j, "bytes", kb_json_u64(g->bytes));
			json_object_set_new(j, "classes", classes_json(g->cls));
			json_object_set_new(j, "rows", kb_json_u64(g->rows));
			json_array_append_new(rows, j);
			continue;
		}
		printf("%10llu", (unsigned long long)g->bytes);
		for (c = 0; c < KB_CLS_NR; c++)
			printf(" %9llu", (unsigned long long)g->cls[c]);
		printf(" %6zu  %s", g->rows, g->key);
		if (o->by == KB_BY_SYMBOL && g->file)
			printf("  (%s)", g->file);
		putchar('\n');
	}
	if (o->json) {
		json_t *root = json_object();

		json_object_set_new(root, "image", json_string(a->img->path));
		json_object_set_new(root, "total", kb_json_u64(a->bd->total));
		json_object_set_new(root, "classes", classes_json(a->bd->cls_bytes));
		json_object_set_new(root, "by", json_string(kb_by_name(o->by)));
		json_object_set_new(root, "rows", rows);
		json_object_set_new(root, "rest",
				    json_pack("{s:I,s:I,s:o}", "groups", (json_int_t)(gs.n - shown),
					      "bytes", (json_int_t)rest[KB_CLS_NR], "classes",
					      classes_json(rest)));
		json_object_set_new(root, "attribution", attribution_json(a));
		kb_groups_release(&gs);
		return kb_json_print(root);
	}
	if (shown < gs.n) {
		printf("%10llu", (unsigned long long)rest[KB_CLS_NR]);
		for (c = 0; c < KB_CLS_NR; c++)
			printf(" %9llu", (unsigned long long)rest[c]);
		printf(" %6zu  [%zu more]\n", rest_rows, gs.n - shown);
	}
	print_total(a, a->bd->nrows);
	print_attribution(a);
	kb_groups_release(&gs);
	return KB_EXIT_OK;
}

static struct syms_opts so = { -1, -1, 0, 0 };
static struct kb_analysis_opts ao;
static const char *src_arg;

static const struct kb_option options[] = {
	KB_OPT_BY(&so.by, "roll up by symbol, file, dir, subsystem, section or class "
			  "(default: every symbol on its own row)"),
	KB_OPT_COUNT(0, "top", &so.top, "N", "the N largest rows, then one row for the rest"),
	KB_OPT_SRC(&src_arg),
	KB_OPT_STRING(0, "map", &ao.map, "FILE",
		      "the GNU ld map of IMAGE: attribution without DWARF"),
	KB_OPT_BOOL(0, "no-dwarf", &ao.no_dwarf, "do not read DWARF (attribute by the map only)"),
	KB_OPT_BOOL(0, "provenance", &so.provenance,
		    "show how each row got its file (dwarf-decl, dwarf-cu, map, none)"),
	KB_OPT_JSON(&so.json),
	KB_OPT_END(),
};

static int run(struct kb_ctx *ctx, int argc, const char **argv)
{
	struct kb_analysis *a = NULL;
	char *src = NULL;
	int rc;

	(void)ctx;
	(void)argc;
	rc = kb_open_src(src_arg, &src, &ao.maint);
	if (rc)
		return rc;
	ao.src = src;
	if (kb_analysis_run(&a, argv[0], &ao)) {
		rc = kb_report_error();
		goto out;
	}
	if (a->warning[0])
		kb_warnf("%s", a->warning);
	rc = so.by < 0 ? list_rows(a, &so) : list_groups(a, &so);
out:
	kb_analysis_free(a);
	kb_maint_free(ao.maint);
	free(src);
	return rc;
}

const struct kb_command kb_cmd_syms = {
	.name = "syms",
	.summary = "symbols, files, directories or subsystems, largest first",
	.usage = (const char *const[]){ "syms [options] IMAGE", NULL },
	.options = options,
	.min_args = 1,
	.max_args = 1,
	.run = run,
};
