/*
 * derived.c - files derived from what bytes serve; see derived.h.
 *
 * Every method works from an index of the rows that already have a file (symbol rows by
 * DWARF or the map, gap rows by a map or a compile unit), so that "the function containing
 * address A" is one binary search, and hands its findings to kb_breakdown_attribute_spans()
 * as spans: the breakdown splits its gap rows at their boundaries, which keeps every byte on
 * exactly one row.
 */
#include "derived.h"
#include "kallsyms.h"

#include "xalloc.h"

#include <capstone/capstone.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- rows by address --------------------------------------------------------------------- */

struct frange {
	uint64_t lo, hi;
	const char *file; /* the row's file (NULL in an index of rows without one) */
	size_t row; /* index in bd->rows */
};

struct findex {
	struct frange *r;
	size_t n, alloc;
	const struct kb_attr *cu; /* compile units: what object code is in, if known */
	const struct kb_breakdown *bd; /* whose rows r indexes */
};

static int cmp_frange(const void *x, const void *y)
{
	const struct frange *a = x, *b = y;

	return a->lo < b->lo ? -1 : a->lo > b->lo;
}

/* A row whose bytes can be looked at by address: not the per-CPU template (linked at 0). */
static int addressable(const struct kb_row *r)
{
	return r->sec->cls != KB_CLS_PERCPU && r->bytes;
}

/* with_file: the rows that have a file; else the rows without one that are not padding. */
static void findex_build(struct findex *ix, const struct kb_breakdown *bd, int with_file)
{
	size_t i;

	memset(ix, 0, sizeof(*ix));
	ix->bd = bd;
	for (i = 0; i < bd->nrows; i++) {
		const struct kb_row *r = &bd->rows[i];

		if (!addressable(r) || !!r->file != with_file || (r->flags & KB_ROW_FILL))
			continue;
		ALLOC_GROW(ix->r, ix->n + 1, ix->alloc);
		ix->r[ix->n].lo = r->addr;
		ix->r[ix->n].hi = r->addr + r->bytes;
		ix->r[ix->n].file = r->file;
		ix->r[ix->n++].row = i;
	}
	if (ix->n)
		qsort(ix->r, ix->n, sizeof(*ix->r), cmp_frange);
}

static const struct frange *findex_at(const struct findex *ix, uint64_t addr)
{
	size_t lo = 0, hi = ix->n;

	while (lo < hi) { /* the first range with lo > addr */
		size_t mid = lo + (hi - lo) / 2;

		if (ix->r[mid].lo <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo && addr < ix->r[lo - 1].hi)
		return &ix->r[lo - 1];
	return NULL;
}

/*
 * The file of the code at addr: its compile unit's, where DWARF has one (the object whose
 * tables and literals the entry was emitted with, as a linker map would say: a header's
 * inline function emitted in mm/page_alloc.o is page_alloc.c's), else its row's. An unwind
 * or site entry may name the address just past a function's last byte (where the function's
 * ORC state ends): that is the function's too.
 */
static const char *code_file(const struct findex *ix, uint64_t addr)
{
	const struct kb_attr_span *s = ix->cu ? kb_attr_span_at(ix->cu, addr) : NULL;
	const struct frange *r;

	if (!s && addr && ix->cu)
		s = kb_attr_span_at(ix->cu, addr - 1);
	if (s)
		return s->file;
	r = findex_at(ix, addr);
	if (!r && addr)
		r = findex_at(ix, addr - 1);
	return r ? r->file : NULL;
}

/* The symbol of the code at addr (or just before it, as code_file): its row's, or NULL. */
static const char *code_sym(const struct findex *ix, uint64_t addr)
{
	const struct frange *r = findex_at(ix, addr);

	if (!r && addr)
		r = findex_at(ix, addr - 1);
	return r ? ix->bd->rows[r->row].origin : NULL;
}

static void findex_release(struct findex *ix)
{
	free(ix->r);
	memset(ix, 0, sizeof(*ix));
}

/* ---- reading tables ---------------------------------------------------------------------- */

static uint32_t rd32(const struct kb_image *img, const unsigned char *p)
{
	return (uint32_t)kb_image_word(img, p, 4);
}

static uint64_t rd64(const struct kb_image *img, const unsigned char *p)
{
	return kb_image_word(img, p, 8);
}

/* ---- runs of entries of one file, as spans ----------------------------------------------- */

struct run {
	uint64_t lo, hi;
	const char *file;
	const char *serves; /* the symbol the run's entries serve: a run serves one */
};

static int same_file(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

static void run_flush(struct kb_attr *a, struct run *r)
{
	if (r->file)
		kb_attr_add_span_serving(a, r->lo, r->hi, r->file, r->serves);
	r->file = NULL;
}

static void run_add(struct kb_attr *a, struct run *r, uint64_t lo, uint64_t hi, const char *file,
		    const char *serves)
{
	if (r->file && r->hi == lo && same_file(r->file, file) && same_file(r->serves, serves)) {
		r->hi = hi;
		return;
	}
	run_flush(a, r);
	if (!file)
		return;
	r->lo = lo;
	r->hi = hi;
	r->file = file;
	r->serves = serves;
}

/* ---- generated sections ------------------------------------------------------------------- */

/*
 * Sections the build makes rather than compiles: BTF is pahole's encoding of every unit's
 * DWARF types, deduplicated across units (no byte of it is one file's); .BTF_ids is filled by
 * resolve_btfids; .orc_lookup is space the linker script reserves from .text's size, filled
 * at boot; .orc_header is the ORC format's hash. What they cost is a configuration option's
 * (CONFIG_DEBUG_INFO_BTF, CONFIG_UNWINDER_ORC), not a file's.
 */
static const char *const generated_sections[] = { ".BTF", ".BTF_ids", ".BTF.base", ".orc_lookup",
						  ".orc_header" };

/*
 * scripts/kallsyms writes its tables (kallsyms_offsets, _names, _markers, _token_table, ...)
 * as labels without sizes into .rodata, one after another: they are generated too, from the
 * first of those labels to the end of the last table (its size from kallsyms_num_syms where
 * its format gives one), within the gap they lie in.
 */

/* The size of the kallsyms table name holding num symbols, or 0 if it does not say. */
static uint64_t kallsyms_size(const struct kb_image *img, const char *name, uint64_t num)
{
	unsigned psz = img->elfclass == ELFCLASS64 ? 8 : 4;

	if (!strcmp(name, "kallsyms_token_index"))
		return 256 * 2;
	if (!strcmp(name, "kallsyms_seqs_of_names"))
		return 3 * num;
	if (!strcmp(name, "kallsyms_offsets"))
		return 4 * num;
	if (!strcmp(name, "kallsyms_addresses"))
		return psz * num;
	if (!strcmp(name, "kallsyms_markers"))
		return 4 * ((num + 255) / 256);
	if (!strcmp(name, "kallsyms_relative_base"))
		return psz;
	if (!strcmp(name, "kallsyms_num_syms"))
		return 4;
	return 0; /* names, token_table: only the next label says where they end */
}

static void derive_kallsyms(struct kb_derived *d, const struct kb_breakdown *bd)
{
	const struct kb_image *img = bd->img;
	const struct kb_sym *last = NULL, *nsyms = NULL;
	uint64_t lo = UINT64_MAX, hi = 0, num = 0, size;
	size_t i;

	for (i = 0; i < img->nsyms; i++) {
		const struct kb_sym *s = &img->syms[i];

		if (s->size || !s->shndx || s->shndx >= img->nsecs ||
		    !kb_ksyms_table_symbol(s->name))
			continue;
		if (s->addr < lo)
			lo = s->addr;
		if (!last || s->addr > last->addr)
			last = s;
		if (!strcmp(s->name, "kallsyms_num_syms"))
			nsyms = s;
	}
	if (lo == UINT64_MAX)
		return;
	if (nsyms) {
		const struct kb_section *sec = &img->secs[nsyms->shndx];
		const unsigned char *p = NULL;
		size_t len = 0;

		if (sec->type != SHT_NOBITS)
			p = kb_image_section_data(img, sec, &len);
		if (p && nsyms->addr >= sec->addr && nsyms->addr - sec->addr + 4 <= len)
			num = rd32(img, p + (nsyms->addr - sec->addr));
	}
	for (i = 0; i < bd->nrows; i++) {
		const struct kb_row *r = &bd->rows[i];

		if ((r->flags & KB_ROW_GAP) && !r->file && !(r->flags & KB_ROW_FILL) &&
		    r->addr <= lo && lo < r->addr + r->bytes && r->sec->cls != KB_CLS_PERCPU)
			hi = r->addr + r->bytes;
	}
	/* the last table ends where its size says, if it says: what follows is other files' */
	size = kallsyms_size(img, last->name, num);
	if (size && last->addr + size < hi)
		hi = last->addr + size;
	if (hi > lo)
		kb_attr_add_span(&d->generated, lo, hi, "[generated kallsyms]");
}

static void derive_generated(struct kb_derived *d, const struct kb_breakdown *bd)
{
	const struct kb_image *img = bd->img;
	char label[128];
	size_t i, k;

	for (i = 1; i < img->nsecs; i++) {
		const struct kb_section *s = &img->secs[i];

		if (!s->alloc || !s->size)
			continue;
		for (k = 0; k < ARRAY_SIZE(generated_sections); k++) {
			if (strcmp(s->name, generated_sections[k]))
				continue;
			snprintf(label, sizeof(label), "[generated %s]", s->name);
			kb_attr_add_span(&d->generated, s->addr, s->addr + s->size, label);
		}
	}
	derive_kallsyms(d, bd);
	kb_attr_sort(&d->generated);
}

/* ---- ORC ----------------------------------------------------------------------------------- */

/*
 * .orc_unwind_ip[i] is a 32-bit offset from itself to a code address; .orc_unwind[i], six
 * bytes (struct orc_entry), says how to unwind from there. Both belong to that code's file.
 */
static void derive_orc(struct kb_derived *d, const struct kb_image *img, const struct findex *ix)
{
	const struct kb_section *ips = NULL, *us = NULL;
	const unsigned char *ip = kb_image_alloc_bytes(img, ".orc_unwind_ip", &ips);
	const unsigned char *u = kb_image_alloc_bytes(img, ".orc_unwind", &us);
	struct run rip = { 0 }, ru = { 0 };
	size_t n, i;

	if (!ip || !u || ips->size % 4 || us->size != ips->size / 4 * 6)
		return;
	n = ips->size / 4;
	for (i = 0; i < n; i++)
		if (!kb_image_in_code(img, kb_prel32(ips->addr + 4 * i, rd32(img, ip + 4 * i))))
			return; /* not the layout we know: leave the section alone */
	for (i = 0; i < n; i++) {
		uint64_t code = kb_prel32(ips->addr + 4 * i, rd32(img, ip + 4 * i));
		const char *f = code_file(ix, code), *sym = code_sym(ix, code);

		run_add(&d->orc, &rip, ips->addr + 4 * i, ips->addr + 4 * i + 4, f, sym);
		run_add(&d->orc, &ru, us->addr + 6 * i, us->addr + 6 * i + 6, f, sym);
	}
	run_flush(&d->orc, &rip);
	run_flush(&d->orc, &ru);
	kb_attr_sort(&d->orc);
}

/* ---- tables of code addresses ------------------------------------------------------------- */

/*
 * Tables whose every entry points at the instruction (or function) it is about, with the
 * entry sizes the kernel's versions have used: objtool's site lists (4 bytes), static calls
 * (struct static_call_site, 8), the exception table (struct exception_table_entry, 12 since
 * 5.16, 8 before), bug entries (struct bug_entry with relative pointers: 12 with
 * CONFIG_DEBUG_BUGVERBOSE, 8 without), x86's alternatives (struct alt_instr: 12 in 6.1, 14
 * from 6.3) and paravirt sites (a pointer first), PCI fixups (the hook last), jump labels
 * (struct jump_entry, 16), ftrace's call sites (__mcount_loc, pointers) and initcalls (32-bit
 * offsets with CONFIG_HAVE_ARCH_PREL32_RELOCATIONS, else pointers). A table is a section or
 * the bytes between two linker-script labels. A size is taken only if every entry of the
 * table that is not all zero points into code; zero entries (a table padded to a page, a
 * call site ftrace dropped) are left alone.
 */
static const struct code_table {
	const char *sec, *start, *stop; /* the section, or the labels around the table */
	unsigned sizes[3]; /* candidate entry sizes, 0 for a pointer's size */
	unsigned off; /* where in an entry the field that points at code is */
	int abs; /* that field is a pointer, not a 32-bit offset from itself */
} code_tables[] = {
	{ ".return_sites", NULL, NULL, { 4 }, 0, 0 },
	{ ".retpoline_sites", NULL, NULL, { 4 }, 0, 0 },
	{ ".call_sites", NULL, NULL, { 4 }, 0, 0 },
	{ ".ibt_endbr_seal", NULL, NULL, { 4 }, 0, 0 },
	{ ".cfi_sites", NULL, NULL, { 4 }, 0, 0 },
	{ ".smp_locks", NULL, NULL, { 4 }, 0, 0 },
	{ ".static_call_sites", NULL, NULL, { 8 }, 0, 0 },
	{ "__ex_table", NULL, NULL, { 12, 8 }, 0, 0 },
	{ "__bug_table", NULL, NULL, { 12, 8 }, 0, 0 },
	{ ".altinstructions", NULL, NULL, { 14, 13, 12 }, 0, 0 },
	{ ".parainstructions", NULL, NULL, { 16 }, 0, 1 },
	{ ".pci_fixup", NULL, NULL, { 16 }, 12, 0 },
	{ NULL, "__start___jump_table", "__stop___jump_table", { 16 }, 0, 0 },
	{ NULL, "__start_mcount_loc", "__stop_mcount_loc", { 0 }, 0, 1 },
	{ NULL, "__initcall_start", "__initcall_end", { 4 }, 0, 0 },
	{ NULL, "__initcall_start", "__initcall_end", { 0 }, 0, 1 },
	{ NULL, "__con_initcall_start", "__con_initcall_end", { 4 }, 0, 0 },
	{ NULL, "__con_initcall_start", "__con_initcall_end", { 0 }, 0, 1 },
};

struct table {
	const struct kb_section *sec;
	const unsigned char *p; /* the table's first byte */
	uint64_t addr, size;
};

/* The address an entry's field at addr (bytes p) points at. */
static uint64_t entry_target(const struct kb_image *img, const unsigned char *p, uint64_t addr,
			     int abs)
{
	if (!abs)
		return kb_prel32(addr, rd32(img, p));
	return img->elfclass == ELFCLASS64 ? rd64(img, p) : rd32(img, p);
}

static int all_zero(const unsigned char *p, unsigned n)
{
	while (n--)
		if (*p++)
			return 0;
	return 1;
}

/* Entries of size esz in t, or 0 if some entry that is not all zero points outside code. */
static size_t table_entries(const struct kb_image *img, const struct table *t,
			    const struct code_table *ct, unsigned esz)
{
	unsigned psz = ct->abs ? (img->elfclass == ELFCLASS64 ? 8 : 4) : 4;
	size_t n, i;

	if (!esz || t->size % esz || ct->off + psz > esz || !t->size)
		return 0;
	n = t->size / esz;
	for (i = 0; i < n; i++) {
		const unsigned char *e = t->p + esz * i;

		if (!all_zero(e, esz) &&
		    !kb_image_in_code(img, entry_target(img, e + ct->off,
							t->addr + esz * i + ct->off, ct->abs)))
			return 0;
	}
	return n;
}

/* The address of the symbol name (a label: any size), or 0. */
static uint64_t label_addr(const struct kb_image *img, const char *name,
			   const struct kb_section **sec)
{
	size_t i;

	for (i = 0; i < img->nsyms; i++) {
		const struct kb_sym *s = &img->syms[i];

		if (s->shndx && s->shndx < img->nsecs && !strcmp(s->name, name)) {
			*sec = &img->secs[s->shndx];
			return s->addr;
		}
	}
	return 0;
}

static int find_table(const struct kb_image *img, const struct code_table *ct, struct table *t)
{
	const struct kb_section *s = NULL, *s2 = NULL;
	const unsigned char *p;
	uint64_t lo, hi;
	size_t len = 0;

	if (ct->sec) {
		p = kb_image_alloc_bytes(img, ct->sec, &s);
		if (!p)
			return -1;
		t->sec = s, t->p = p, t->addr = s->addr, t->size = s->size;
		return 0;
	}
	lo = label_addr(img, ct->start, &s);
	hi = label_addr(img, ct->stop, &s2);
	if (!lo || hi <= lo || !s->alloc || s->type == SHT_NOBITS || lo < s->addr ||
	    hi > s->addr + s->size)
		return -1;
	p = kb_image_section_data(img, s, &len);
	if (!p || hi - s->addr > len)
		return -1;
	t->sec = s, t->p = p + (lo - s->addr), t->addr = lo, t->size = hi - lo;
	return 0;
}

/*
 * x86's alternatives: struct alt_instr's second field is a 32-bit offset to the replacement
 * in .altinstr_replacement, and its last byte (replacementlen; in 5.x's 13-byte entry the
 * one before padlen) how long it is. A replacement goes to the file of the instruction it
 * replaces; only if every entry's replacement lies in that section.
 */
static void derive_alt_replacements(struct kb_derived *d, const struct kb_image *img,
				    const struct findex *ix, const struct table *t, unsigned esz,
				    size_t n)
{
	const struct kb_section *rs = kb_image_section_by_name(img, ".altinstr_replacement");
	unsigned len_at = esz == 14 ? 13 : 11;
	size_t i;

	if (!rs || !rs->alloc || !rs->size)
		return;
	for (i = 0; i < n; i++) {
		const unsigned char *e = t->p + esz * i;
		uint64_t at = t->addr + esz * i, repl = kb_prel32(at + 4, rd32(img, e + 4));

		if (!all_zero(e, esz) &&
		    (repl < rs->addr || repl - rs->addr + e[len_at] > rs->size))
			return;
	}
	for (i = 0; i < n; i++) {
		const unsigned char *e = t->p + esz * i;
		uint64_t at = t->addr + esz * i, repl = kb_prel32(at + 4, rd32(img, e + 4));
		const char *file;

		if (all_zero(e, esz) || !e[len_at])
			continue;
		file = code_file(ix, entry_target(img, e, at, 0));
		if (file)
			kb_attr_add_span_serving(&d->sites, repl, repl + e[len_at], file,
						 code_sym(ix, entry_target(img, e, at, 0)));
	}
}

static void derive_code_tables(struct kb_derived *d, const struct kb_image *img,
			       const struct findex *ix)
{
	unsigned psz = img->elfclass == ELFCLASS64 ? 8 : 4;
	size_t c, k, i, n;

	for (c = 0; c < ARRAY_SIZE(code_tables); c++) {
		const struct code_table *ct = &code_tables[c];
		struct run r = { 0 };
		unsigned esz = 0;
		struct table t;

		if (find_table(img, ct, &t))
			continue;
		for (k = 0, n = 0; k < ARRAY_SIZE(ct->sizes) && !n; k++) {
			esz = ct->sizes[k] ? ct->sizes[k] : psz;
			if (k && !ct->sizes[k])
				break;
			n = table_entries(img, &t, ct, esz);
		}
		for (i = 0; i < n; i++) {
			const unsigned char *e = t.p + esz * i;
			uint64_t at = t.addr + esz * i, code;

			if (all_zero(e, esz)) {
				run_add(&d->sites, &r, at, at + esz, NULL, NULL);
				continue;
			}
			code = entry_target(img, e + ct->off, at + ct->off, ct->abs);
			run_add(&d->sites, &r, at, at + esz, code_file(ix, code),
				code_sym(ix, code));
		}
		run_flush(&d->sites, &r);
		if (n && ct->sec && !strcmp(ct->sec, ".altinstructions"))
			derive_alt_replacements(d, img, ix, &t, esz, n);
	}
	kb_attr_sort(&d->sites);
}

/* ---- export tables ------------------------------------------------------------------------ */

/*
 * struct kernel_symbol: { value, name, namespace }, as 32-bit offsets from each field
 * (CONFIG_HAVE_ARCH_PREL32_RELOCATIONS: x86_64, arm64, riscv, ...) or as pointers. name and
 * namespace point into __ksymtab_strings. __kcrctab's entry i is the CRC of __ksymtab's entry
 * i (the kernel finds it by that index). All of an entry's bytes, its CRC and its name go to
 * the file of the symbol it exports; a namespace string that several exports share goes to
 * the first of their files in byte order (kb_attr_sort's rule for equal spans).
 */
struct ksym {
	uint64_t value, name, ns;
};

static int read_ksym(const struct kb_image *img, const struct kb_section *s, const unsigned char *p,
		     size_t i, int prel, struct ksym *k)
{
	unsigned psz = img->elfclass == ELFCLASS64 ? 8 : 4;
	uint64_t at;

	if (prel) {
		at = s->addr + 12 * i;
		k->value = kb_prel32(at, rd32(img, p + 12 * i));
		k->name = kb_prel32(at + 4, rd32(img, p + 12 * i + 4));
		k->ns = kb_prel32(at + 8, rd32(img, p + 12 * i + 8));
		return 0;
	}
	p += 3 * psz * i;
	k->value = psz == 8 ? rd64(img, p) : rd32(img, p);
	k->name = psz == 8 ? rd64(img, p + 8) : rd32(img, p + 4);
	k->ns = psz == 8 ? rd64(img, p + 16) : rd32(img, p + 8);
	return 0;
}

/* The length with its NUL of the string at addr in strings, or 0 if it is not one. */
static uint64_t str_len(const struct kb_section *ss, const unsigned char *strs, uint64_t addr)
{
	uint64_t off = addr - ss->addr, k;

	if (addr < ss->addr || off >= ss->size)
		return 0;
	for (k = off; k < ss->size; k++)
		if (!strs[k])
			return k - off + 1;
	return 0;
}

static size_t ksym_entries(const struct kb_image *img, const struct kb_section *s,
			   const unsigned char *p, int prel, const struct kb_section *ss,
			   const unsigned char *strs)
{
	unsigned esz = prel ? 12 : 3 * (img->elfclass == ELFCLASS64 ? 8 : 4);
	struct ksym k;
	size_t i, n;

	if (s->size % esz)
		return 0;
	n = s->size / esz;
	for (i = 0; i < n; i++)
		if (read_ksym(img, s, p, i, prel, &k) || str_len(ss, strs, k.name) < 2)
			return 0;
	return n;
}

static void derive_exports(struct kb_derived *d, const struct kb_image *img,
			   const struct findex *ix)
{
	static const char *const tabs[][2] = { { "__ksymtab", "__kcrctab" },
					       { "__ksymtab_gpl", "__kcrctab_gpl" } };
	const struct kb_section *ss;
	const unsigned char *strs = kb_image_alloc_bytes(img, "__ksymtab_strings", &ss);
	size_t t, i, n;

	if (!strs)
		return;
	for (t = 0; t < ARRAY_SIZE(tabs); t++) {
		const struct kb_section *s, *cs = NULL;
		const unsigned char *p = kb_image_alloc_bytes(img, tabs[t][0], &s), *crc;
		struct run re = { 0 }, rc = { 0 };
		unsigned esz;
		int prel = 1;

		if (!p)
			continue;
		n = ksym_entries(img, s, p, prel, ss, strs);
		if (!n)
			n = ksym_entries(img, s, p, prel = 0, ss, strs);
		if (!n)
			continue;
		esz = prel ? 12 : 3 * (img->elfclass == ELFCLASS64 ? 8 : 4);
		crc = kb_image_alloc_bytes(img, tabs[t][1], &cs);
		if (crc && cs->size != 4 * n)
			crc = NULL;
		for (i = 0; i < n; i++) {
			struct ksym k;
			const char *f, *sym;
			uint64_t len;

			read_ksym(img, s, p, i, prel, &k);
			f = code_file(ix, k.value);
			/* the name it is exported by, in __ksymtab_strings */
			sym = (const char *)strs + (k.name - ss->addr);
			run_add(&d->exports, &re, s->addr + esz * i, s->addr + esz * (i + 1), f,
				sym);
			if (crc)
				run_add(&d->exports, &rc, cs->addr + 4 * i, cs->addr + 4 * i + 4, f,
					sym);
			if (!f)
				continue;
			kb_attr_add_span_serving(&d->exports, k.name,
						 k.name + str_len(ss, strs, k.name), f, sym);
			len = str_len(ss, strs, k.ns);
			if (len)
				kb_attr_add_span_serving(&d->exports, k.ns, k.ns + len, f, sym);
		}
		run_flush(&d->exports, &re);
		run_flush(&d->exports, &rc);
	}
	kb_attr_sort(&d->exports);
}

/* ---- .bss alignment ----------------------------------------------------------------------- */

/*
 * A gap of a NOBITS section cannot be looked at; without a map's *fill* lines, a gap shorter
 * than the alignment of the address it ends at is taken for alignment: C gives every object
 * a sized symbol, and what the linker script aligns (to a page, to 2 MiB for .bss..decrypted)
 * leaves exactly such gaps.
 */
static void derive_bss_padding(struct kb_derived *d, struct kb_breakdown *bd)
{
	const char *label = NULL;
	const struct kb_section *lsec = NULL;
	size_t i;

	for (i = 0; i < bd->nrows; i++) {
		struct kb_row *r = &bd->rows[i];
		uint64_t hi = r->addr + r->bytes;

		if (!(r->flags & KB_ROW_GAP) || (r->flags & KB_ROW_FILL) || r->file ||
		    r->sec->type != SHT_NOBITS || !hi || r->bytes >= (hi & -hi))
			continue;
		if (r->sec != lsec) {
			size_t len = strlen(r->sec->name) + 12;
			char *p = kb_arena_alloc(&bd->arena, len);

			snprintf(p, len, "[padding %s]", r->sec->name);
			label = p;
			lsec = r->sec;
		}
		r->name = r->origin = label;
		r->flags |= KB_ROW_FILL;
		d->bss_padding += r->bytes;
	}
}

/* ---- code references ---------------------------------------------------------------------- */

struct xref {
	uint64_t to, from;
	const char *file; /* of the referencing code */
	const char *sym; /* the referencing function */
};

struct xrefs {
	struct xref *v;
	size_t n, alloc;
	const struct findex *holes;
	const struct findex *files;
	const char *sym; /* the function being decoded */
};

static void xref_add(struct xrefs *x, uint64_t to, uint64_t from, const char *file)
{
	if (!findex_at(x->holes, to))
		return;
	ALLOC_GROW(x->v, x->n + 1, x->alloc);
	x->v[x->n].to = to;
	x->v[x->n].from = from;
	x->v[x->n].sym = x->sym;
	x->v[x->n++].file = file;
}

/* x86: RIP-relative operands, absolute displacements (also of indexed tables: jump tables),
 * and immediates (-mcmodel=kernel loads an address as a sign-extended 32-bit immediate). */
static void x86_refs(struct xrefs *x, const cs_insn *in, const char *file)
{
	const cs_x86 *d = &in->detail->x86;
	uint8_t i;

	for (i = 0; i < d->op_count; i++) {
		const cs_x86_op *op = &d->operands[i];

		if (op->type == X86_OP_MEM && op->mem.base == X86_REG_RIP)
			xref_add(x, in->address + in->size + (uint64_t)op->mem.disp, in->address,
				 file);
		else if (op->type == X86_OP_MEM && op->mem.base == X86_REG_INVALID)
			xref_add(x, (uint64_t)op->mem.disp, in->address, file);
		else if (op->type == X86_OP_IMM)
			xref_add(x, (uint64_t)op->imm, in->address, file);
	}
}

/* aarch64: adrp's page plus the low 12 bits an add or a load/store of the next
 * instructions adds to the same register; ldr (literal) directly. */
static void a64_refs(struct xrefs *x, const cs_insn *in, const char *file, uint64_t *page,
		     unsigned *page_reg, uint64_t *page_at)
{
	const cs_arm64 *d = &in->detail->arm64;

	if (in->id == ARM64_INS_ADRP && d->op_count == 2 && d->operands[1].type == ARM64_OP_IMM) {
		*page = (uint64_t)d->operands[1].imm;
		*page_reg = d->operands[0].reg;
		*page_at = in->address;
		xref_add(x, *page, in->address, file);
		return;
	}
	if (in->id == ARM64_INS_ADR && d->op_count == 2 && d->operands[1].type == ARM64_OP_IMM) {
		xref_add(x, (uint64_t)d->operands[1].imm, in->address, file);
		return;
	}
	if (!*page_reg || in->address - *page_at > 64)
		return;
	if (in->id == ARM64_INS_ADD && d->op_count == 3 && d->operands[1].type == ARM64_OP_REG &&
	    d->operands[1].reg == *page_reg && d->operands[2].type == ARM64_OP_IMM)
		xref_add(x, *page + (uint64_t)d->operands[2].imm, in->address, file);
	else if (d->op_count == 2 && d->operands[1].type == ARM64_OP_MEM &&
		 d->operands[1].mem.base == *page_reg && d->operands[1].mem.index == 0)
		xref_add(x, *page + (uint64_t)(int64_t)d->operands[1].mem.disp, in->address, file);
	else if (d->op_count == 2 && d->operands[1].type == ARM64_OP_IMM &&
		 (in->id == ARM64_INS_LDR || in->id == ARM64_INS_LDRSW))
		xref_add(x, (uint64_t)d->operands[1].imm, in->address, file);
}

const char *kb_derived_machine(unsigned machine)
{
	switch (machine) {
	case EM_X86_64:
		return "x86_64";
	case EM_386:
		return "i386";
	case EM_AARCH64:
		return "aarch64";
	default:
		return NULL;
	}
}

static int cs_for(const struct kb_image *img, csh *h)
{
	cs_arch arch;
	cs_mode mode;

	switch (img->machine) {
	case EM_X86_64:
		arch = CS_ARCH_X86, mode = CS_MODE_64;
		break;
	case EM_386:
		arch = CS_ARCH_X86, mode = CS_MODE_32;
		break;
	case EM_AARCH64:
		arch = CS_ARCH_ARM64;
		mode = img->byteorder == ELFDATA2MSB ? CS_MODE_BIG_ENDIAN : CS_MODE_LITTLE_ENDIAN;
		break;
	default:
		return -1;
	}
	if (cs_open(arch, mode, h) != CS_ERR_OK)
		return -1;
	cs_option(*h, CS_OPT_DETAIL, CS_OPT_ON);
	return 0;
}

/* Decodes every function that has a file, keeping the references into holes. */
static void decode_code(struct xrefs *x, const struct kb_breakdown *bd, csh h)
{
	const struct kb_image *img = bd->img;
	cs_insn *in = cs_malloc(h);
	size_t i;

	for (i = 0; i < bd->nrows; i++) {
		const struct kb_row *r = &bd->rows[i];
		const unsigned char *data, *code;
		uint64_t addr = r->addr, page = 0, page_at = 0;
		unsigned page_reg = 0;
		size_t len, off, size;
		const char *file;

		if ((r->flags & KB_ROW_GAP) || !r->file || !(r->sec->flags & SHF_EXECINSTR) ||
		    r->sec->type == SHT_NOBITS || !addressable(r))
			continue;
		data = kb_image_section_data(img, r->sec, &len);
		off = (size_t)(r->addr - r->sec->addr);
		if (!data || off >= len)
			continue;
		code = data + off;
		size = r->size < len - off ? (size_t)r->size : len - off;
		file = code_file(x->files, r->addr);
		x->sym = r->origin;
		while (size) {
			if (!cs_disasm_iter(h, &code, &size, &addr, in)) {
				code++, size--, addr++; /* not an instruction: step over a byte */
				continue;
			}
			if (img->machine == EM_AARCH64)
				a64_refs(x, in, file, &page, &page_reg, &page_at);
			else
				x86_refs(x, in, file);
		}
	}
	cs_free(in, 1);
}

static int cmp_xref(const void *p, const void *q)
{
	const struct xref *a = p, *b = q;
	int c;

	if (a->to != b->to)
		return a->to < b->to ? -1 : 1;
	c = a->file == b->file ? 0 : strcmp(a->file, b->file);
	if (c)
		return c;
	return a->from < b->from ? -1 : a->from > b->from;
}

/*
 * Of the references v[0..n) (sorted by file, then by address), the file that references
 * most often; of files referencing equally often, the one whose first reference comes
 * first in the image. *sym: the function of that file's first reference.
 */
static const char *best_file(const struct xref *v, size_t n, const char **sym)
{
	const char *best = NULL;
	size_t i = 0, j, bestn = 0;
	uint64_t bestfrom = 0;

	*sym = NULL;
	while (i < n) {
		uint64_t first = v[i].from;
		const char *first_sym = v[i].sym;

		for (j = i; j < n && same_file(v[j].file, v[i].file); j++)
			if (v[j].from < first)
				first = v[j].from, first_sym = v[j].sym;
		if (j - i > bestn || (j - i == bestn && first < bestfrom)) {
			best = v[i].file;
			bestn = j - i;
			bestfrom = first;
			*sym = first_sym;
		}
		i = j;
	}
	return best;
}

/* The first reference to an address >= addr. */
static size_t xref_search(const struct xrefs *x, uint64_t addr)
{
	size_t lo = 0, hi = x->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (x->v[mid].to < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * A symbol without a file goes to the file that references it most. A gap is cut at each
 * address referenced: the bytes from one referenced address to the next (or to the gap's
 * end) are the literal that starts there, and go to the file that references that address
 * most; bytes before a gap's first referenced address keep no file.
 */
static void xref_spans(struct kb_derived *d, const struct kb_breakdown *bd, const struct xrefs *x)
{
	size_t h, i, j;

	for (h = 0; h < x->holes->n; h++) {
		const struct frange *hr = &x->holes->r[h];
		const struct kb_row *r = &bd->rows[hr->row];
		struct run run = { 0 };
		const char *file, *sym;

		i = xref_search(x, hr->lo);
		if (i >= x->n || x->v[i].to >= hr->hi)
			continue;
		if (!(r->flags & KB_ROW_GAP)) {
			for (j = i; j < x->n && x->v[j].to < hr->hi; j++)
				;
			file = best_file(x->v + i, j - i, &sym);
			kb_attr_add_span_serving(&d->xref, hr->lo, hr->hi, file, sym);
			continue;
		}
		while (i < x->n && x->v[i].to < hr->hi) {
			uint64_t to = x->v[i].to;

			for (j = i; j < x->n && x->v[j].to == to; j++)
				;
			file = best_file(x->v + i, j - i, &sym);
			run_add(&d->xref, &run, to,
				j < x->n && x->v[j].to < hr->hi ? x->v[j].to : hr->hi, file, sym);
			i = j;
		}
		run_flush(&d->xref, &run);
	}
	kb_attr_sort(&d->xref);
}

static void derive_xref(struct kb_derived *d, struct kb_breakdown *bd, const struct kb_attr *cu)
{
	struct findex holes, files;
	struct xrefs x = { 0 };
	csh h;

	if (!kb_derived_machine(bd->img->machine) || cs_for(bd->img, &h))
		return;
	d->xref_machine = kb_derived_machine(bd->img->machine);
	findex_build(&holes, bd, 0);
	findex_build(&files, bd, 1);
	files.cu = cu;
	x.holes = &holes;
	x.files = &files;
	if (holes.n)
		decode_code(&x, bd, h);
	cs_close(&h);
	findex_release(&files);
	if (x.n)
		qsort(x.v, x.n, sizeof(*x.v), cmp_xref);
	d->xrefs = x.n;
	xref_spans(d, bd, &x);
	free(x.v);
	findex_release(&holes);
}

/* ---- all of them ------------------------------------------------------------------------- */

void kb_derived_init(struct kb_derived *d)
{
	memset(d, 0, sizeof(*d));
	kb_attr_init(&d->generated, KB_PROV_NONE, KB_PROV_GENERATED);
	kb_attr_init(&d->orc, KB_PROV_NONE, KB_PROV_ORC);
	kb_attr_init(&d->sites, KB_PROV_NONE, KB_PROV_CODE_TABLE);
	kb_attr_init(&d->exports, KB_PROV_NONE, KB_PROV_EXPORT);
	kb_attr_init(&d->xref, KB_PROV_NONE, KB_PROV_CODE_REF);
}

void kb_derived_attribute(struct kb_derived *d, struct kb_breakdown *bd, const struct kb_attr *cu)
{
	const struct kb_image *img = bd->img;
	struct findex files;

	/* objects are not laid out yet: their tables are relocations, not addresses */
	if (img->etype != ET_EXEC && img->etype != ET_DYN)
		return;
	derive_generated(d, bd);
	kb_breakdown_attribute_spans(bd, &d->generated);
	findex_build(&files, bd, 1);
	files.cu = cu;
	derive_orc(d, img, &files);
	derive_code_tables(d, img, &files);
	derive_exports(d, img, &files);
	findex_release(&files);
	kb_breakdown_attribute_spans(bd, &d->orc);
	kb_breakdown_attribute_spans(bd, &d->sites);
	kb_breakdown_attribute_spans(bd, &d->exports);
	derive_bss_padding(d, bd);
	derive_xref(d, bd, cu);
	kb_breakdown_attribute_spans(bd, &d->xref);
}

void kb_derived_release(struct kb_derived *d)
{
	kb_attr_release(&d->generated);
	kb_attr_release(&d->orc);
	kb_attr_release(&d->sites);
	kb_attr_release(&d->exports);
	kb_attr_release(&d->xref);
}
