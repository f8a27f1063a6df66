/*
 * breakdown.c - rows that cover every allocated byte once; see breakdown.h.
 *
 * Per section, sized symbols are walked in address order: a group of symbols with the same
 * address and size is one row (aliases count once); a symbol that overlaps one before it
 * counts only the bytes not yet counted; bytes between symbols become gap rows. Gap rows are
 * split at the boundaries of the attribution spans so that, say, the string literals of
 * kernel/fork.o in .rodata count for kernel/fork.c.
 */
#include "breakdown.h"

#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const prov_names[KB_PROV_NR] = {
	[KB_PROV_NONE] = "none",
	[KB_PROV_DWARF_DECL] = "dwarf-decl",
	[KB_PROV_DWARF_CU] = "dwarf-cu",
	[KB_PROV_MAP] = "map",
	[KB_PROV_GENERATED] = "generated",
	[KB_PROV_ORC] = "orc",
	[KB_PROV_CODE_TABLE] = "code-table",
	[KB_PROV_EXPORT] = "export",
	[KB_PROV_CODE_REF] = "code-ref",
	[KB_PROV_OBJECT_SYM] = "object-sym",
};

const char *kb_prov_name(enum kb_prov p)
{
	return (unsigned)p < KB_PROV_NR ? prov_names[p] : "?";
}

/* ---- attribution sources ------------------------------------------------------------- */

void kb_attr_init(struct kb_attr *a, enum kb_prov point_prov, enum kb_prov span_prov)
{
	memset(a, 0, sizeof(*a));
	a->point_prov = point_prov;
	a->span_prov = span_prov;
}

void kb_attr_add_point(struct kb_attr *a, uint64_t addr, const char *file)
{
	const char *f;

	kb_strtab_intern(&a->files, file, strlen(file), &f);
	ALLOC_GROW(a->points, a->npoints + 1, a->apoints);
	a->points[a->npoints].addr = addr;
	a->points[a->npoints].file = f;
	a->npoints++;
}

void kb_attr_add_span_serving(struct kb_attr *a, uint64_t lo, uint64_t hi, const char *file,
			      const char *serves)
{
	const char *f, *sv = NULL;

	if (hi <= lo)
		return;
	kb_strtab_intern(&a->files, file, strlen(file), &f);
	if (serves)
		kb_strtab_intern(&a->files, serves, strlen(serves), &sv);
	ALLOC_GROW(a->spans, a->nspans + 1, a->aspans);
	a->spans[a->nspans].lo = lo;
	a->spans[a->nspans].hi = hi;
	a->spans[a->nspans].file = f;
	a->spans[a->nspans].serves = sv;
	a->nspans++;
}

void kb_attr_add_span(struct kb_attr *a, uint64_t lo, uint64_t hi, const char *file)
{
	kb_attr_add_span_serving(a, lo, hi, file, NULL);
}

static int cmp_point(const void *x, const void *y)
{
	const struct kb_attr_point *a = x, *b = y;

	if (a->addr != b->addr)
		return a->addr < b->addr ? -1 : 1;
	return strcmp(a->file, b->file); /* deterministic whatever qsort does */
}

static int cmp_span(const void *x, const void *y)
{
	const struct kb_attr_span *a = x, *b = y;

	if (a->lo != b->lo)
		return a->lo < b->lo ? -1 : 1;
	if (a->hi != b->hi)
		return a->hi > b->hi ? -1 : 1;
	return strcmp(a->file, b->file);
}

void kb_attr_sort(struct kb_attr *a)
{
	size_t i, n = 0;
	uint64_t end = 0;

	if (a->npoints)
		qsort(a->points, a->npoints, sizeof(*a->points), cmp_point);
	for (i = 0; i < a->npoints; i++)
		if (!n || a->points[n - 1].addr != a->points[i].addr)
			a->points[n++] = a->points[i];
	a->npoints = n;

	if (a->nspans)
		qsort(a->spans, a->nspans, sizeof(*a->spans), cmp_span);
	n = 0;
	for (i = 0; i < a->nspans; i++) {
		struct kb_attr_span s = a->spans[i];

		if (n && s.lo < end)
			s.lo = end; /* overlapping: keep the part not yet covered */
		if (s.lo >= s.hi)
			continue;
		a->spans[n++] = s;
		end = s.hi;
	}
	a->nspans = n;
}

/* Index of the first span whose hi > addr. */
static size_t span_search(const struct kb_attr *a, uint64_t addr)
{
	size_t lo = 0, hi = a->nspans;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (a->spans[mid].hi <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const struct kb_attr_span *kb_attr_span_at(const struct kb_attr *a, uint64_t addr)
{
	size_t i = span_search(a, addr);

	if (i < a->nspans && a->spans[i].lo <= addr)
		return &a->spans[i];
	return NULL;
}

const struct kb_attr_point *kb_attr_point_at(const struct kb_attr *a, uint64_t addr)
{
	size_t lo = 0, hi = a->npoints;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (a->points[mid].addr < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < a->npoints && a->points[lo].addr == addr)
		return &a->points[lo];
	return NULL;
}

void kb_attr_release(struct kb_attr *a)
{
	free(a->points);
	free(a->spans);
	kb_strtab_release(&a->files);
	memset(a, 0, sizeof(*a));
}

/* ---- rows ---------------------------------------------------------------------------- */

size_t kb_clone_origin_len(const char *name)
{
	static const char *const suffixes[] = {
		".constprop.", ".isra.", ".part.", ".cold", ".localalias", ".llvm.", ".lto_priv.",
	};
	size_t len = strlen(name), i;

	for (i = 0; i < ARRAY_SIZE(suffixes); i++) {
		const char *p = strstr(name, suffixes[i]);

		/* a clone suffix never starts the name */
		if (p && p != name && (size_t)(p - name) < len)
			len = (size_t)(p - name);
	}
	return len;
}

struct cand {
	const struct kb_sym *sym;
	uint64_t addr;
};

static int sym_rank(const struct kb_sym *s)
{
	int r = 0;

	r += s->bind == STB_GLOBAL ? 0 : s->bind == STB_WEAK ? 1 : 2;
	r *= 2;
	r += (s->type == STT_FUNC || s->type == STT_OBJECT) ? 0 : 1;
	r *= 2;
	r += kb_clone_origin_len(s->name) == strlen(s->name) ? 0 : 1;
	return r;
}

static int cmp_cand(const void *x, const void *y)
{
	const struct cand *a = x, *b = y;
	int ra, rb;

	if (a->sym->shndx != b->sym->shndx)
		return a->sym->shndx < b->sym->shndx ? -1 : 1;
	if (a->addr != b->addr)
		return a->addr < b->addr ? -1 : 1;
	if (a->sym->size != b->sym->size)
		return a->sym->size > b->sym->size ? -1 : 1;
	ra = sym_rank(a->sym);
	rb = sym_rank(b->sym);
	if (ra != rb)
		return ra - rb;
	return strcmp(a->sym->name, b->sym->name);
}

static struct kb_row *new_row(struct kb_breakdown *bd)
{
	struct kb_row *r;

	ALLOC_GROW(bd->rows, bd->nrows + 1, bd->arows);
	r = &bd->rows[bd->nrows++];
	memset(r, 0, sizeof(*r));
	return r;
}

static void add_gap(struct kb_breakdown *bd, const struct kb_section *sec, const char *label,
		    uint64_t lo, uint64_t hi)
{
	struct kb_row *r;

	if (hi <= lo)
		return;
	r = new_row(bd);
	r->name = r->origin = label;
	r->addr = lo;
	r->size = r->bytes = hi - lo;
	r->sec = sec;
	r->flags = KB_ROW_GAP;
	r->nm = sec->nm;
}

static const char *gap_label(struct kb_breakdown *bd, const struct kb_section *sec,
			     const char *kind)
{
	size_t n = strlen(sec->name) + strlen(kind) + 4;
	char *p = kb_arena_alloc(&bd->arena, n);

	snprintf(p, n, "[%s %s]", kind, sec->name);
	return p;
}

/* Whether [lo, hi) of sec holds one byte value repeated: alignment fill, not data. */
static int is_fill(const struct kb_breakdown *bd, const struct kb_section *sec, uint64_t lo,
		   uint64_t hi)
{
	const unsigned char *p;
	size_t len, i, off = (size_t)(lo - sec->addr), n = (size_t)(hi - lo);

	p = kb_image_section_data(bd->img, sec, &len);
	if (!p || off > len || n > len - off || n == 0)
		return 0;
	for (i = 1; i < n; i++)
		if (p[off + i] != p[off])
			return 0;
	return 1;
}

/* A gap of a section with symbols: "[padding .text]" if it is fill, else "[unnamed .text]". */
static void add_unnamed(struct kb_breakdown *bd, const struct kb_section *sec, const char **labels,
			uint64_t lo, uint64_t hi)
{
	int fill = is_fill(bd, sec, lo, hi);

	if (!labels[fill])
		labels[fill] = gap_label(bd, sec, fill ? "padding" : "unnamed");
	add_gap(bd, sec, labels[fill], lo, hi);
	if (fill)
		bd->rows[bd->nrows - 1].flags |= KB_ROW_FILL;
}

static void add_sym_row(struct kb_breakdown *bd, const struct cand *c, size_t ngroup,
			uint64_t bytes)
{
	const struct kb_sym *s = c->sym;
	struct kb_row *r = new_row(bd);
	size_t olen = kb_clone_origin_len(s->name), i;

	r->name = s->name;
	r->origin = olen == strlen(s->name) ? s->name : kb_arena_strndup(&bd->arena, s->name, olen);
	if (olen != strlen(s->name) && strstr(s->name + olen, ".localalias") != s->name + olen)
		r->flags |= KB_ROW_CLONE;
	r->addr = c->addr;
	r->size = s->size;
	r->bytes = bytes;
	r->sec = &bd->img->secs[s->shndx];
	r->type = s->type;
	r->bind = s->bind;
	r->nm = s->nm;
	r->naliases = (unsigned)(ngroup - 1);
	if (ngroup > 1) {
		r->aliases = kb_arena_alloc(&bd->arena, (ngroup - 1) * sizeof(*r->aliases));
		for (i = 1; i < ngroup; i++)
			r->aliases[i - 1] = c[i].sym->name;
	}
}

static uint64_t tls_base(const struct kb_image *img)
{
	uint64_t base = UINT64_MAX;
	size_t i;

	for (i = 1; i < img->nsecs; i++)
		if (img->secs[i].alloc && (img->secs[i].flags & SHF_TLS) &&
		    img->secs[i].addr < base)
			base = img->secs[i].addr;
	return base == UINT64_MAX ? 0 : base;
}

/* Walks one section's candidates (sorted) and appends its rows. */
static void section_rows(struct kb_breakdown *bd, const struct kb_section *sec,
			 const struct cand *c, size_t n)
{
	uint64_t end = sec->addr + sec->size, covered = sec->addr;
	const char *labels[2] = { NULL, NULL };
	size_t i = 0, g;

	while (i < n) {
		uint64_t lo, hi;

		for (g = i + 1; g < n && c[g].addr == c[i].addr && c[g].sym->size == c[i].sym->size;
		     g++)
			;
		lo = c[i].addr > covered ? c[i].addr : covered;
		hi = c[i].addr + c[i].sym->size < c[i].addr ? end : c[i].addr + c[i].sym->size;
		hi = hi < end ? hi : end;
		if (lo < hi) {
			if (lo > covered)
				add_unnamed(bd, sec, labels, covered, lo);
			add_sym_row(bd, &c[i], g - i, hi - lo);
			covered = hi;
		} else {
			bd->nested++;
		}
		i = g;
	}
	if (covered < end && n)
		add_unnamed(bd, sec, labels, covered, end);
	else if (covered < end)
		add_gap(bd, sec, gap_label(bd, sec, "section"), covered, end);
}

int kb_breakdown_build(struct kb_breakdown **out, const struct kb_image *img)
{
	struct kb_breakdown *bd = xcalloc(1, sizeof(*bd));
	struct cand *c = xcalloc(img->nsyms ? img->nsyms : 1, sizeof(*c));
	uint64_t tls = tls_base(img);
	size_t nc = 0, i, j, sec;

	bd->img = img;
	for (i = 0; i < img->nsyms; i++) {
		const struct kb_sym *s = &img->syms[i];
		const struct kb_section *ss;

		if (!s->size || !s->shndx || s->type == STT_SECTION || s->type == STT_FILE)
			continue;
		ss = &img->secs[s->shndx];
		if (!ss->alloc || !ss->size)
			continue;
		c[nc].sym = s;
		c[nc].addr = s->addr;
		if (s->type == STT_TLS && img->etype != ET_REL)
			c[nc].addr += tls;
		if (img->etype == ET_REL)
			c[nc].addr += ss->addr;
		nc++;
	}
	if (nc)
		qsort(c, nc, sizeof(*c), cmp_cand);
	/* bytes of a section outside its symbols' reach are a gap of that section */
	j = 0;
	for (sec = 1; sec < img->nsecs; sec++) {
		const struct kb_section *s = &img->secs[sec];
		size_t k = j;

		while (k < nc && c[k].sym->shndx == sec)
			k++;
		if (s->alloc && s->size)
			section_rows(bd, s, c + j, k - j);
		j = k;
	}
	for (i = 0; i < bd->nrows; i++) {
		bd->total += bd->rows[i].bytes;
		bd->cls_bytes[bd->rows[i].sec->cls] += bd->rows[i].bytes;
	}
	free(c);
	*out = bd;
	return 0;
}

void kb_breakdown_attribute_points(struct kb_breakdown *bd, const struct kb_attr *a)
{
	size_t i;

	if (!a->npoints)
		return;
	for (i = 0; i < bd->nrows; i++) {
		struct kb_row *r = &bd->rows[i];
		const struct kb_attr_point *p;

		if (r->file || (r->flags & KB_ROW_GAP))
			continue;
		p = kb_attr_point_at(a, r->addr);
		if (p) {
			r->file = p->file;
			r->prov = a->point_prov;
		}
	}
}

/* Appends (or, for the first piece, overwrites row i with) a piece of gap row r. */
static void gap_piece(struct kb_breakdown *bd, size_t i, int *first, const struct kb_row *r,
		      uint64_t lo, uint64_t hi, const struct kb_attr_span *s, enum kb_prov prov)
{
	struct kb_row *piece = *first ? &bd->rows[i] : new_row(bd);

	*piece = *r;
	piece->addr = lo;
	piece->size = piece->bytes = hi - lo;
	piece->file = s ? s->file : NULL;
	piece->serves = s ? s->serves : NULL;
	piece->prov = s ? prov : KB_PROV_NONE;
	*first = 0;
}

/* Splits gap rows without a file at the boundaries of a's spans, attributing the pieces. */
static void split_gaps(struct kb_breakdown *bd, const struct kb_attr *a)
{
	size_t i, n = bd->nrows;

	for (i = 0; i < n; i++) {
		struct kb_row r = bd->rows[i];
		uint64_t pos = r.addr, end = r.addr + r.bytes;
		size_t k = span_search(a, pos);
		int first = 1;

		if (!(r.flags & KB_ROW_GAP) || r.file)
			continue;
		while (pos < end) {
			const struct kb_attr_span *s = k < a->nspans ? &a->spans[k] : NULL;
			uint64_t hi;

			if (!s || s->lo >= end) {
				gap_piece(bd, i, &first, &r, pos, end, NULL, KB_PROV_NONE);
				break;
			}
			if (s->lo > pos) {
				gap_piece(bd, i, &first, &r, pos, s->lo, NULL, KB_PROV_NONE);
				pos = s->lo;
			}
			hi = s->hi < end ? s->hi : end;
			gap_piece(bd, i, &first, &r, pos, hi, s, a->span_prov);
			pos = hi;
			k++;
		}
	}
}

void kb_breakdown_attribute_spans(struct kb_breakdown *bd, const struct kb_attr *a)
{
	size_t i;

	if (!a->nspans)
		return;
	split_gaps(bd, a);
	for (i = 0; i < bd->nrows; i++) {
		struct kb_row *r = &bd->rows[i];
		const struct kb_attr_span *s;

		if (r->file || (r->flags & KB_ROW_GAP))
			continue;
		s = kb_attr_span_at(a, r->addr);
		if (s) {
			r->file = s->file;
			r->serves = s->serves;
			r->prov = a->span_prov;
		}
	}
}

void kb_breakdown_mark_fill(struct kb_breakdown *bd, const struct kb_attr *fill)
{
	size_t i;

	for (i = 0; i < bd->nrows; i++) {
		struct kb_row *r = &bd->rows[i];
		uint64_t pos = r->addr, end = r->addr + r->bytes;
		const struct kb_attr_span *s;

		if (!(r->flags & KB_ROW_GAP) || (r->flags & KB_ROW_FILL) || r->file)
			continue;
		/* covered end to end by fill spans, which may follow one another */
		while (pos < end && (s = kb_attr_span_at(fill, pos)))
			pos = s->hi;
		if (pos < end)
			continue;
		r->name = r->origin = gap_label(bd, r->sec, "padding");
		r->flags |= KB_ROW_FILL;
	}
}

/* NULL-safe strcmp: NULL first. */
static int cmp_opt(const char *a, const char *b)
{
	if (a == b)
		return 0;
	if (!a || !b)
		return a ? 1 : -1;
	return strcmp(a, b);
}

static int cmp_gap(const void *x, const void *y)
{
	const struct kb_row *a = x, *b = y;
	int c;

	if (a->sec->index != b->sec->index)
		return a->sec->index < b->sec->index ? -1 : 1;
	c = strcmp(a->name, b->name);
	if (c)
		return c;
	if (a->prov != b->prov)
		return a->prov < b->prov ? -1 : 1;
	if (a->file != b->file) {
		if (!a->file || !b->file)
			return a->file ? 1 : -1;
		c = strcmp(a->file, b->file);
		if (c)
			return c;
	}
	c = cmp_opt(a->serves, b->serves);
	if (c)
		return c;
	return a->addr < b->addr ? -1 : a->addr > b->addr;
}

/* Gap rows of one section, name, provenance, file and served symbol become one row. */
static int same_gap(const struct kb_row *a, const struct kb_row *b)
{
	if (a->sec != b->sec || strcmp(a->name, b->name) || a->prov != b->prov)
		return 0;
	return !cmp_opt(a->file, b->file) && !cmp_opt(a->serves, b->serves);
}

static int cmp_fill(const void *x, const void *y)
{
	const struct kb_fill_range *a = x, *b = y;

	return a->lo < b->lo ? -1 : a->lo > b->lo;
}

/* The padding rows' address ranges, before merging loses them. */
static void keep_fills(struct kb_breakdown *bd)
{
	size_t i, alloc = 0;

	free(bd->fills);
	bd->fills = NULL;
	bd->nfills = 0;
	for (i = 0; i < bd->nrows; i++) {
		const struct kb_row *r = &bd->rows[i];

		if (!(r->flags & KB_ROW_FILL) || !r->bytes)
			continue;
		ALLOC_GROW(bd->fills, bd->nfills + 1, alloc);
		bd->fills[bd->nfills].lo = r->addr;
		bd->fills[bd->nfills++].hi = r->addr + r->bytes;
	}
	if (bd->nfills)
		qsort(bd->fills, bd->nfills, sizeof(*bd->fills), cmp_fill);
}

void kb_breakdown_finish(struct kb_breakdown *bd)
{
	size_t i, n = 0, g;

	keep_fills(bd);

	/* symbol rows first, in their order; then gap rows grouped */
	for (i = 0; i < bd->nrows; i++) {
		if (!(bd->rows[i].flags & KB_ROW_GAP)) {
			struct kb_row t = bd->rows[n];

			bd->rows[n++] = bd->rows[i];
			bd->rows[i] = t;
		}
	}
	if (bd->nrows > n)
		qsort(bd->rows + n, bd->nrows - n, sizeof(*bd->rows), cmp_gap);
	for (g = i = n; i < bd->nrows; i++) {
		if (g > n && same_gap(&bd->rows[g - 1], &bd->rows[i])) {
			bd->rows[g - 1].bytes += bd->rows[i].bytes;
			bd->rows[g - 1].size += bd->rows[i].size;
		} else {
			bd->rows[g++] = bd->rows[i];
		}
	}
	bd->nrows = g;
}

struct kb_breakdown *kb_breakdown_concat(const struct kb_image *img,
					 struct kb_breakdown *const *parts, size_t n)
{
	struct kb_breakdown *bd = xcalloc(1, sizeof(*bd));
	size_t i, k;
	int c;

	bd->img = img;
	for (i = 0; i < n; i++) {
		const struct kb_breakdown *p = parts[i];

		ALLOC_GROW(bd->rows, bd->nrows + p->nrows, bd->arows);
		for (k = 0; k < p->nrows; k++)
			bd->rows[bd->nrows++] = p->rows[k];
		bd->total += p->total;
		for (c = 0; c < KB_CLS_NR; c++)
			bd->cls_bytes[c] += p->cls_bytes[c];
		bd->nested += p->nested;
	}
	return bd;
}

void kb_breakdown_free(struct kb_breakdown *bd)
{
	if (!bd)
		return;
	free(bd->rows);
	free(bd->fills);
	kb_arena_release(&bd->arena);
	free(bd);
}
