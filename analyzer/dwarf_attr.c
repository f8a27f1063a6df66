/*
 * dwarf_attr.c - symbol addresses to source files from DWARF via libdwarf; see dwarf_attr.h.
 *
 * The debug sections are handed to libdwarf through its object access interface, straight
 * from the image's mapping: nothing is relocated or copied, which keeps a 630 MB distro
 * vmlinux within a few hundred MB. Per compile unit only the CU DIE and its top-level
 * children are read: a subprogram with a low_pc or a variable whose location is a single
 * DW_OP_addr (or DWARF 5's DW_OP_addrx, as clang writes it) gives a point (address ->
 * DW_AT_decl_file, following abstract_origin or specification within the unit);
 * .debug_aranges (or the CU's low/high pc) give spans.
 */
#include "dwarf_attr.h"
#include "line_header.h"

#include "error.h"
#include "strtab.h"
#include "xalloc.h"

#include <dwarf.h>
#include <libdwarf.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

struct dw_obj {
	const struct kb_image *img;
	size_t *map; /* libdwarf section index -> ELF section index */
	size_t n;
};

static int obj_section_info(void *obj, Dwarf_Half idx, Dwarf_Obj_Access_Section *ret, int *err)
{
	struct dw_obj *o = obj;
	const struct kb_section *s;

	(void)err;
	if (idx >= o->n)
		return DW_DLV_NO_ENTRY;
	memset(ret, 0, sizeof(*ret));
	if (idx == 0) {
		ret->name = "";
		return DW_DLV_OK;
	}
	s = &o->img->secs[o->map[idx]];
	ret->type = s->type;
	ret->size = s->size;
	ret->name = s->name;
	return DW_DLV_OK;
}

static Dwarf_Endianness obj_byte_order(void *obj)
{
	struct dw_obj *o = obj;

	return o->img->byteorder == ELFDATA2MSB ? DW_OBJECT_MSB : DW_OBJECT_LSB;
}

static Dwarf_Small obj_length_size(void *obj)
{
	struct dw_obj *o = obj;

	return o->img->elfclass == ELFCLASS64 ? 8 : 4;
}

static Dwarf_Small obj_pointer_size(void *obj)
{
	struct dw_obj *o = obj;

	return o->img->elfclass == ELFCLASS64 ? 8 : 4;
}

static Dwarf_Unsigned obj_section_count(void *obj)
{
	return ((struct dw_obj *)obj)->n;
}

static int obj_load_section(void *obj, Dwarf_Half idx, Dwarf_Small **data, int *err)
{
	struct dw_obj *o = obj;
	const struct kb_section *s;
	const void *p;
	size_t len;

	if (idx == 0 || idx >= o->n)
		return DW_DLV_NO_ENTRY;
	s = &o->img->secs[o->map[idx]];
	p = kb_image_section_data(o->img, s, &len);
	if (!p || len < s->size) {
		*err = DW_DLE_ELF_SECT_ERR;
		return DW_DLV_ERROR;
	}
	*data = (Dwarf_Small *)p; /* libdwarf only reads it */
	return DW_DLV_OK;
}

static const Dwarf_Obj_Access_Methods obj_methods = {
	obj_section_info, obj_byte_order, obj_length_size, obj_pointer_size, obj_section_count,
	obj_load_section, NULL,
};

/* The state of one read: raw (absolute) paths interned, then normalised at the end. */
struct dw_read {
	const struct kb_image *img;
	Dwarf_Debug dbg;
	Dwarf_Error err;
	struct kb_strtab paths; /* raw absolute paths */
	struct kb_strtab compdirs; /* distinct DW_AT_comp_dir values */
	struct kb_strtab cunames; /* absolute CU names, for finding the tree root */
	struct {
		uint64_t addr;
		uint32_t path;
	} * points;
	size_t npoints, apoints;
	struct {
		Dwarf_Off off; /* offset of the CU DIE */
		uint32_t path;
		uint64_t lo, hi; /* low/high pc, if the CU has them */
		int has_pc;
	} * cus;
	size_t ncus, acus;
	struct kb_dwarf_stats *st;
	const unsigned char *info, *line; /* .debug_info and .debug_line as mapped */
	size_t info_len, line_len;
	const unsigned char *lines; /* .debug_line, mapped or not: its headers are checked */
	size_t lines_len;
	void (*saved_flags_func)(void); /* see _dwarf_get_elf_flags_func_ptr */
	int restore_flags_func;
};

static int dw_fail(struct dw_read *r, const char *what)
{
	kb_error_set("%s: cannot read DWARF (%s): %s", r->img->path, what,
		     r->err ? dwarf_errmsg(r->err) : "unexpected data");
	return KB_ERR;
}

/* Joins a relative path to the compilation directory and interns it. */
static uint32_t intern_path(struct kb_strtab *t, const char *comp_dir, const char *name)
{
	struct strbuf sb = STRBUF_INIT;
	uint32_t id;

	if (name[0] != '/' && name[0] != '<' && comp_dir && *comp_dir) {
		strbuf_addstr(&sb, comp_dir);
		strbuf_addch(&sb, '/');
	}
	strbuf_addstr(&sb, name);
	id = kb_strtab_intern(t, sb.buf, sb.len, NULL);
	strbuf_release(&sb);
	return id;
}

/* Drops the error of a call whose failure only means "no answer here". */
static void dw_forget(struct dw_read *r)
{
	if (r->err) {
		dwarf_dealloc_error(r->dbg, r->err);
		r->err = NULL;
	}
}

static int die_udata(struct dw_read *r, Dwarf_Die die, Dwarf_Half at, Dwarf_Unsigned *v)
{
	Dwarf_Attribute attr;
	Dwarf_Signed sv;
	int res = dwarf_attr(die, at, &attr, &r->err);

	if (res != DW_DLV_OK)
		return res;
	res = dwarf_formudata(attr, v, &r->err);
	if (res == DW_DLV_ERROR) {
		/* libdwarf 20210528 reads DW_FORM_implicit_const (GCC's DWARF 5) only as signed */
		dw_forget(r);
		res = dwarf_formsdata(attr, &sv, &r->err);
		if (res == DW_DLV_OK && sv < 0)
			res = DW_DLV_NO_ENTRY;
		*v = (Dwarf_Unsigned)sv;
	}
	dwarf_dealloc(r->dbg, attr, DW_DLA_ATTR);
	return res;
}

static const char *die_string(struct dw_read *r, Dwarf_Die die, Dwarf_Half at)
{
	Dwarf_Attribute attr;
	char *s = NULL;

	if (dwarf_attr(die, at, &attr, &r->err) != DW_DLV_OK)
		return NULL;
	if (dwarf_formstring(attr, &s, &r->err) != DW_DLV_OK)
		s = NULL;
	dwarf_dealloc(r->dbg, attr, DW_DLA_ATTR);
	return s;
}

/*
 * The index of a location that is exactly DW_OP_addrx <uleb> (DWARF 5, what clang writes)
 * or DW_OP_GNU_addr_index <uleb> (its GNU forerunner): its address is the index-th of the
 * unit's .debug_addr entries.
 */
static int addr_index(const unsigned char *p, Dwarf_Unsigned len, Dwarf_Unsigned *index)
{
	Dwarf_Unsigned i, v = 0;
	unsigned shift = 0;

	if (len < 2 || (p[0] != DW_OP_addrx && p[0] != DW_OP_GNU_addr_index))
		return 0;
	for (i = 1; i < len && shift < 64; i++, shift += 7) {
		v |= (Dwarf_Unsigned)(p[i] & 0x7f) << shift;
		if (!(p[i] & 0x80)) {
			*index = v;
			return i == len - 1;
		}
	}
	return 0;
}

/* A variable's address if its location is exactly DW_OP_addr <addr>, or DW_OP_addrx. */
static int var_address(struct dw_read *r, Dwarf_Die die, uint64_t *addr)
{
	Dwarf_Attribute attr;
	Dwarf_Unsigned len = 0, index;
	Dwarf_Ptr block = NULL;
	Dwarf_Half form = 0;
	Dwarf_Addr a;
	size_t asz = r->img->elfclass == ELFCLASS64 ? 8 : 4, i;
	const unsigned char *p;
	int ok = 0;

	if (dwarf_attr(die, DW_AT_location, &attr, &r->err) != DW_DLV_OK)
		return 0;
	if (dwarf_whatform(attr, &form, &r->err) != DW_DLV_OK || form != DW_FORM_exprloc ||
	    dwarf_formexprloc(attr, &len, &block, &r->err) != DW_DLV_OK)
		goto out;
	p = block;
	if (len == 1 + asz && p[0] == DW_OP_addr) {
		*addr = 0;
		for (i = 0; i < asz; i++) {
			size_t b = r->img->byteorder == ELFDATA2MSB ? i : asz - 1 - i;

			*addr = (*addr << 8) | p[1 + b];
		}
		ok = 1;
	} else if (addr_index(p, len, &index) &&
		   dwarf_debug_addr_index_to_addr(die, index, &a, &r->err) == DW_DLV_OK) {
		*addr = a;
		ok = 1;
	}
out:
	dwarf_dealloc(r->dbg, attr, DW_DLA_ATTR);
	return ok;
}

/* decl_file of die, or of its abstract origin / specification when that is in the unit. */
static int decl_file(struct dw_read *r, Dwarf_Die die, Dwarf_Off cu_lo, Dwarf_Off cu_hi,
		     Dwarf_Unsigned *file)
{
	static const Dwarf_Half refs[] = { DW_AT_abstract_origin, DW_AT_specification };
	size_t i;

	if (die_udata(r, die, DW_AT_decl_file, file) == DW_DLV_OK)
		return 1;
	for (i = 0; i < ARRAY_SIZE(refs); i++) {
		Dwarf_Attribute attr;
		Dwarf_Off off;
		Dwarf_Die other;
		int res, ok;

		if (dwarf_attr(die, refs[i], &attr, &r->err) != DW_DLV_OK)
			continue;
		res = dwarf_global_formref(attr, &off, &r->err);
		dwarf_dealloc(r->dbg, attr, DW_DLA_ATTR);
		/* a file number means something only in its own unit's line table */
		if (res != DW_DLV_OK || off < cu_lo || off >= cu_hi)
			continue;
		if (dwarf_offdie_b(r->dbg, off, 1, &other, &r->err) != DW_DLV_OK)
			continue;
		ok = die_udata(r, other, DW_AT_decl_file, file) == DW_DLV_OK;
		dwarf_dealloc_die(other);
		if (ok)
			return 1;
	}
	return 0;
}

struct dw_cu {
	Dwarf_Die die;
	Dwarf_Half version;
	const char *comp_dir;
	Dwarf_Off lo, hi; /* the unit's extent in .debug_info */
	char **files;
	Dwarf_Signed nfiles;
	int files_read;
};

/*
 * A relocatable object's line table as libdwarf reads it: with its relocations applied to
 * a copy, which kb_line_header_check (on the image's own bytes) never sees. A relocation
 * whose offset lies a byte off writes over the header's fields: fuzz-dwarf found one that
 * made a file's directory index the directory count, the index libdwarf 20210528's
 * dwarf_srcfiles reads one past its array for (a wild pointer, so the crash came and went
 * with whatever earlier inputs had left on the heap). The directory indexes are checked
 * again here in libdwarf's own reading of the relocated header, with line_header.h's rule:
 * DWARF 5 counts from 0 to count - 1; earlier versions 0 (the compilation directory) to
 * count. NULL if they are sound, else why not (a static string).
 */
static const char *relocated_files_unsound(struct dw_read *r, struct dw_cu *cu)
{
	Dwarf_Line_Context ctx = NULL;
	Dwarf_Unsigned ver = 0, dir;
	Dwarf_Small tables = 0;
	Dwarf_Signed base = 0, count = 0, end = 0, ndirs = 0, i;
	const char *why = NULL;

	if (dwarf_srclines_b(cu->die, &ver, &tables, &ctx, &r->err) != DW_DLV_OK) {
		dw_forget(r);
		return "libdwarf cannot read the relocated line table";
	}
	if (dwarf_srclines_include_dir_count(ctx, &ndirs, &r->err) != DW_DLV_OK ||
	    dwarf_srclines_files_indexes(ctx, &base, &count, &end, &r->err) != DW_DLV_OK ||
	    ndirs < 0)
		why = "libdwarf cannot read the relocated line table";
	for (i = base; !why && i < end; i++) {
		if (dwarf_srclines_files_data_b(ctx, i, NULL, &dir, NULL, NULL, NULL, &r->err) !=
		    DW_DLV_OK)
			why = "libdwarf cannot read the relocated line table";
		else if (ver == 5 ? dir >= (Dwarf_Unsigned)ndirs : dir > (Dwarf_Unsigned)ndirs)
			why = "a file's directory index past the directories, once relocated";
	}
	dw_forget(r);
	dwarf_srclines_dealloc_b(ctx);
	return why;
}

/*
 * 1 if the CU's line table header is sound enough for dwarf_srcfiles (line_header.h says
 * why libdwarf cannot be left to find out); a CU whose header is not gets no file names.
 */
static int line_header_sound(struct dw_read *r, struct dw_cu *cu)
{
	Dwarf_Attribute attr = NULL;
	Dwarf_Off off = 0;
	const char *why = NULL;
	int ok;

	if (dwarf_attr(cu->die, DW_AT_stmt_list, &attr, &r->err) != DW_DLV_OK) {
		dw_forget(r);
		return 0;
	}
	ok = dwarf_global_formref(attr, &off, &r->err) == DW_DLV_OK;
	dw_forget(r);
	if (ok && (kb_line_header_check(r->lines, r->lines_len, r->img->byteorder == ELFDATA2MSB,
					off, &why) ||
		   (r->img->etype == ET_REL && (why = relocated_files_unsound(r, cu))))) {
		if (!r->st->bad_lines++) {
			r->st->bad_line_off = off;
			r->st->bad_line_why = why;
		}
		ok = 0;
	}
	dwarf_dealloc_attribute(attr);
	return ok;
}

static const char *cu_file(struct dw_read *r, struct dw_cu *cu, Dwarf_Unsigned idx)
{
	Dwarf_Unsigned i;

	if (!cu->files_read) {
		cu->files_read = 1;
		if (!line_header_sound(r, cu) ||
		    dwarf_srcfiles(cu->die, &cu->files, &cu->nfiles, &r->err) != DW_DLV_OK) {
			cu->files = NULL;
			cu->nfiles = 0;
		}
	}
	/* DWARF 5 numbers files from 0; earlier versions from 1 */
	if (cu->version >= 5)
		i = idx;
	else if (idx == 0)
		return NULL;
	else
		i = idx - 1;
	return i < (Dwarf_Unsigned)cu->nfiles ? cu->files[i] : NULL;
}

static void add_point(struct dw_read *r, struct dw_cu *cu, Dwarf_Die die, uint64_t addr)
{
	Dwarf_Unsigned idx;
	const char *name;

	if (!decl_file(r, die, cu->lo, cu->hi, &idx))
		return;
	name = cu_file(r, cu, idx);
	if (!name)
		return;
	ALLOC_GROW(r->points, r->npoints + 1, r->apoints);
	r->points[r->npoints].addr = addr;
	r->points[r->npoints].path = intern_path(&r->paths, cu->comp_dir, name);
	r->npoints++;
}

/*
 * Function-scope statics ("static int counter;" inside a function, which the symbol table
 * calls counter.0): variables with a fixed address among the children of a subprogram or of
 * its lexical blocks. Only variables are looked at; offsets must grow, so a DW_AT_sibling
 * that points back cannot loop.
 */
static void scope_statics(struct dw_read *r, struct dw_cu *cu, Dwarf_Die parent, int depth)
{
	Dwarf_Die child = NULL, next;
	Dwarf_Off here, prev = 0;
	Dwarf_Half tag;
	uint64_t addr;
	int res;

	res = dwarf_child(parent, &child, &r->err);
	while (res == DW_DLV_OK) {
		if (dwarf_dieoffset(child, &here, &r->err) != DW_DLV_OK || here <= prev ||
		    here >= cu->hi) {
			dwarf_dealloc_die(child);
			break;
		}
		prev = here;
		if (dwarf_tag(child, &tag, &r->err) == DW_DLV_OK) {
			if (tag == DW_TAG_variable && var_address(r, child, &addr))
				add_point(r, cu, child, addr);
			else if (tag == DW_TAG_lexical_block && depth < 8)
				scope_statics(r, cu, child, depth + 1);
		}
		dw_forget(r);
		res = dwarf_siblingof_b(r->dbg, child, 1, &next, &r->err);
		dwarf_dealloc_die(child);
		child = next;
	}
	dw_forget(r);
}

static void top_level_die(struct dw_read *r, struct dw_cu *cu, Dwarf_Die die)
{
	Dwarf_Half tag;
	Dwarf_Addr lo;
	uint64_t addr;

	r->st->dies++;
	if (dwarf_tag(die, &tag, &r->err) != DW_DLV_OK)
		return;
	if (tag == DW_TAG_subprogram) {
		if (dwarf_lowpc(die, &lo, &r->err) == DW_DLV_OK)
			add_point(r, cu, die, lo);
		dw_forget(r);
		scope_statics(r, cu, die, 0);
	} else if (tag == DW_TAG_variable) {
		if (var_address(r, die, &addr))
			add_point(r, cu, die, addr);
	}
}

/*
 * Gives the pages of [p, p + len) back to the page cache: the image is mapped read-only
 * and never written, so dropping them only means reading them again if asked. This keeps
 * the resident size of a 630 MB vmlinux to what one unit needs, not all 170 MB of DIEs.
 */
static void drop_pages(const unsigned char *p, size_t len)
{
	uintptr_t pg = (uintptr_t)sysconf(_SC_PAGESIZE);
	uintptr_t lo = ((uintptr_t)p + pg - 1) & ~(pg - 1), hi = ((uintptr_t)p + len) & ~(pg - 1);

	if (p && hi > lo)
		madvise((void *)lo, hi - lo, MADV_DONTNEED);
}

static int read_cu(struct dw_read *r, Dwarf_Half version)
{
	struct dw_cu cu = { 0 };
	Dwarf_Die child = NULL, next;
	Dwarf_Off off = 0, len = 0, prev;
	const char *name;
	Dwarf_Addr lo = 0, hi = 0;
	Dwarf_Half form;
	enum Dwarf_Form_Class cls;
	Dwarf_Signed i;
	int res;

	if (dwarf_siblingof_b(r->dbg, NULL, 1, &cu.die, &r->err) != DW_DLV_OK)
		return dw_fail(r, "compile unit DIE");
	cu.version = version;
	if (dwarf_die_CU_offset_range(cu.die, &off, &len, &r->err) != DW_DLV_OK) {
		dwarf_dealloc_die(cu.die);
		return dw_fail(r, "compile unit extent");
	}
	dw_forget(r);
	cu.lo = off;
	cu.hi = off + len;
	prev = off;
	cu.comp_dir = die_string(r, cu.die, DW_AT_comp_dir);
	if (cu.comp_dir)
		kb_strtab_intern(&r->compdirs, cu.comp_dir, strlen(cu.comp_dir), NULL);
	name = die_string(r, cu.die, DW_AT_name);
	if (name) {
		ALLOC_GROW(r->cus, r->ncus + 1, r->acus);
		memset(&r->cus[r->ncus], 0, sizeof(r->cus[0]));
		dwarf_dieoffset(cu.die, &r->cus[r->ncus].off, &r->err);
		r->cus[r->ncus].path = intern_path(&r->paths, cu.comp_dir, name);
		if (name[0] == '/')
			kb_strtab_intern(&r->cunames, name, strlen(name), NULL);
		if (dwarf_lowpc(cu.die, &lo, &r->err) == DW_DLV_OK &&
		    dwarf_highpc_b(cu.die, &hi, &form, &cls, &r->err) == DW_DLV_OK) {
			if (cls == DW_FORM_CLASS_CONSTANT)
				hi += lo;
			r->cus[r->ncus].lo = lo;
			r->cus[r->ncus].hi = hi;
			r->cus[r->ncus].has_pc = hi > lo;
		}
		r->ncus++;
	}
	r->st->cus++;
	if (version < r->st->version_min || !r->st->version_min)
		r->st->version_min = version;
	if (version > r->st->version_max)
		r->st->version_max = version;

	dw_forget(r);
	res = dwarf_child(cu.die, &child, &r->err);
	while (res == DW_DLV_OK) {
		Dwarf_Off here = 0;

		/* a DW_AT_sibling that points back would loop for ever: offsets must grow */
		if (dwarf_dieoffset(child, &here, &r->err) != DW_DLV_OK || here <= prev ||
		    here >= cu.hi) {
			dwarf_dealloc_die(child);
			res = DW_DLV_ERROR;
			break;
		}
		prev = here;
		top_level_die(r, &cu, child);
		dw_forget(r);
		res = dwarf_siblingof_b(r->dbg, child, 1, &next, &r->err);
		dwarf_dealloc_die(child);
		child = next;
	}
	if (cu.files) {
		for (i = 0; i < cu.nfiles; i++)
			dwarf_dealloc(r->dbg, cu.files[i], DW_DLA_STRING);
		dwarf_dealloc(r->dbg, cu.files, DW_DLA_LIST);
	}
	dwarf_dealloc_die(cu.die);
	if (res == DW_DLV_ERROR)
		return dw_fail(r, "DIE tree");
	if (r->info && cu.hi <= r->info_len)
		drop_pages(r->info + cu.lo, cu.hi - cu.lo);
	if (r->st->cus % 64 == 0)
		drop_pages(r->line, r->line_len);
	return 0;
}

static int cmp_cu_off(const void *x, const void *y)
{
	const Dwarf_Off *a = x, *b = y;

	return *a < *b ? -1 : *a > *b;
}

/* Spans from .debug_aranges, falling back to each CU's low/high pc. */
static void read_spans(struct dw_read *r, struct kb_attr *cu_attr, const char *const *paths)
{
	Dwarf_Arange *ar = NULL;
	Dwarf_Signed n = 0, i;
	char *covered = xcalloc(r->ncus + 1, 1);
	size_t k;

	if (dwarf_get_aranges(r->dbg, &ar, &n, &r->err) == DW_DLV_OK) {
		for (i = 0; i < n; i++) {
			Dwarf_Unsigned seg, segsz, len;
			Dwarf_Addr start;
			Dwarf_Off cuoff;
			void *hit;

			if (dwarf_get_arange_info_b(ar[i], &seg, &segsz, &start, &len, &cuoff,
						    &r->err) == DW_DLV_OK &&
			    r->ncus &&
			    (hit = bsearch(&cuoff, r->cus, r->ncus, sizeof(r->cus[0]),
					   cmp_cu_off))) {
				k = (size_t)((char *)hit - (char *)r->cus) / sizeof(r->cus[0]);
				kb_attr_add_span(cu_attr, start, start + len,
						 paths[r->cus[k].path]);
				covered[k] = 1;
			}
			dw_forget(r);
			dwarf_dealloc(r->dbg, ar[i], DW_DLA_ARANGE);
		}
		dwarf_dealloc(r->dbg, ar, DW_DLA_LIST);
	}
	dw_forget(r);
	for (k = 0; k < r->ncus; k++)
		if (!covered[k] && r->cus[k].has_pc)
			kb_attr_add_span(cu_attr, r->cus[k].lo, r->cus[k].hi,
					 paths[r->cus[k].path]);
	free(covered);
}

/*
 * The kernel tree that absolute paths share: the prefix of ".../init/main.c"; else an
 * absolute comp_dir less a relative one (kbuild O= under a prefix map); else the prefix
 * that absolute CU names share.
 */
static void find_root(struct dw_read *r, struct strbuf *root)
{
	struct strbuf clean = STRBUF_INIT;
	size_t i, j, common = 0;
	const char *first = NULL;

	for (i = 0; i < r->paths.nr && !root->len; i++) {
		strbuf_reset(&clean);
		kb_path_relative(&clean, r->paths.strs[i], NULL, 0);
		if (clean.buf[0] == '/' && clean.len > 12 &&
		    !strcmp(clean.buf + clean.len - 12, "/init/main.c"))
			strbuf_add(root, clean.buf, clean.len - 11);
	}
	strbuf_release(&clean);
	for (i = 0; i < r->compdirs.nr && !root->len; i++) {
		const char *abs = r->compdirs.strs[i];
		size_t alen = strlen(abs);

		for (j = 0; j < r->compdirs.nr && abs[0] == '/'; j++) {
			const char *rel = r->compdirs.strs[j];
			size_t rlen = strlen(rel);

			if (rel[0] != '/' && rlen + 1 < alen && abs[alen - rlen - 1] == '/' &&
			    !strcmp(abs + alen - rlen, rel)) {
				strbuf_add(root, abs, alen - rlen);
				break;
			}
		}
	}
	if (root->len || r->cunames.nr < 2)
		return;
	for (i = 0; i < r->cunames.nr; i++) {
		const char *s = r->cunames.strs[i];

		if (!first) {
			first = s;
			common = strlen(s);
			continue;
		}
		for (j = 0; j < common && s[j] == first[j]; j++)
			;
		common = j;
	}
	while (common && first[common - 1] != '/')
		common--;
	if (common > 1)
		strbuf_add(root, first, common);
}

static void normalise(struct dw_read *r, const char *src_root, struct kb_attr *decl,
		      struct kb_attr *cu_attr)
{
	struct strbuf root = STRBUF_INIT, rel = STRBUF_INIT;
	const char **prefixes = xcalloc(r->compdirs.nr + 2, sizeof(*prefixes));
	const char **paths = xcalloc(r->paths.nr + 1, sizeof(*paths));
	struct kb_strtab norm = KB_STRTAB_INIT;
	size_t np = 0, i;

	find_root(r, &root);
	if (src_root)
		prefixes[np++] = src_root;
	if (root.len)
		prefixes[np++] = root.buf;
	for (i = 0; i < r->compdirs.nr; i++)
		prefixes[np++] = r->compdirs.strs[i];
	for (i = 0; i < r->paths.nr; i++) {
		strbuf_reset(&rel);
		kb_path_relative(&rel, r->paths.strs[i], prefixes, np);
		kb_strtab_intern(&norm, rel.buf, rel.len, &paths[i]);
	}
	for (i = 0; i < r->npoints; i++)
		kb_attr_add_point(decl, r->points[i].addr, paths[r->points[i].path]);
	read_spans(r, cu_attr, paths);
	r->st->points = decl->npoints;
	r->st->spans = cu_attr->nspans;
	r->st->root = root.len ? kb_arena_strdup(&decl->files.arena, root.buf) : "";
	kb_strtab_release(&norm);
	free(paths);
	free(prefixes);
	strbuf_release(&root);
	strbuf_release(&rel);
}

void kb_path_relative(struct strbuf *out, const char *path, const char *const *prefixes, size_t n)
{
	struct strbuf clean = STRBUF_INIT;
	size_t best = 0, i, round;
	const char *p = path;

	/* lexical clean-up: drop "." segments and empty ones, fold "dir/.." */
	while (*p) {
		const char *seg = p;
		size_t len;

		while (*p && *p != '/')
			p++;
		len = (size_t)(p - seg);
		if (*p)
			p++;
		if (!len) {
			if (seg == path)
				strbuf_addch(&clean, '/');
			continue;
		}
		if (len == 1 && seg[0] == '.')
			continue;
		if (len == 2 && seg[0] == '.' && seg[1] == '.' && clean.len > 1) {
			size_t k = clean.len - 1; /* clean ends with '/' */
			size_t start;

			while (k && clean.buf[k - 1] != '/')
				k--;
			start = k;
			if (!(clean.len - start == 3 && !strncmp(clean.buf + start, "../", 3))) {
				strbuf_setlen(&clean, start);
				continue;
			}
		}
		strbuf_add(&clean, seg, len);
		strbuf_addch(&clean, '/');
	}
	if (clean.len > 1 && clean.buf[clean.len - 1] == '/')
		strbuf_setlen(&clean, clean.len - 1);
	/* a relative comp_dir may follow an absolute one: strip until nothing matches */
	for (round = 0; round < 4; round++) {
		size_t more = 0;

		for (i = 0; i < n; i++) {
			size_t len = strlen(prefixes[i]);

			while (len > 1 && prefixes[i][len - 1] == '/')
				len--;
			if (len > more && !strncmp(clean.buf + best, prefixes[i], len) &&
			    clean.buf[best + len] == '/')
				more = len + 1;
		}
		if (!more)
			break;
		best += more;
	}
	strbuf_addstr(out, clean.buf + best);
	strbuf_release(&clean);
}

/*
 * The debug sections libdwarf is shown: only those the attribution reads. Range and location
 * lists stay hidden: nothing here needs them, and libdwarf 20210528 double-frees on some
 * malformed .debug_rnglists (found by tests/fuzz/fuzz_dwarf.c).
 */
static int wanted_section(const char *name)
{
	static const char *const names[] = {
		".debug_info",	   ".debug_abbrev",  ".debug_str",  ".debug_line",
		".debug_line_str", ".debug_aranges", ".debug_addr", ".debug_str_offsets",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (!strcmp(name, names[i]))
			return 1;
	return 0;
}

/*
 * libdwarf's libelf reader (relocatable objects) sees every section: the ones the object
 * access interface leaves out are renamed for it instead, their name's offset moved past
 * the leading '.' ("debug_rnglists", which libdwarf does not know), and so are their
 * relocation sections. Only the in-memory header changes: the mapping is private.
 */
static int hide_unread_sections(struct kb_image *img)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	size_t i;

	while ((scn = elf_nextscn(img->elf, scn))) {
		const char *name;

		i = elf_ndxscn(scn);
		if (i >= img->nsecs || !gelf_getshdr(scn, &sh))
			continue;
		name = img->secs[i].name;
		if (!strncmp(name, ".rela.", 6))
			name += 5;
		else if (!strncmp(name, ".rel.", 5))
			name += 4;
		if ((strncmp(name, ".debug_", 7) && strncmp(name, ".zdebug_", 8)) ||
		    wanted_section(name))
			continue;
		sh.sh_name++;
		if (!gelf_update_shdr(scn, &sh))
			return kb_error_set("%s: section %s: cannot hide it from libdwarf: %s",
					    img->path, img->secs[i].name, elf_errmsg(-1));
	}
	return 0;
}

static size_t debug_sections(const struct kb_image *img, size_t *map)
{
	size_t i, n = 1;

	for (i = 1; i < img->nsecs; i++) {
		const struct kb_section *s = &img->secs[i];

		if (s->alloc || !wanted_section(s->name) || s->type == SHT_NOBITS)
			continue;
		map[n++] = i;
	}
	return n;
}

/*
 * libdwarf 20210528's libelf reader leaves this global pointing at its own section-flags
 * reader once it has opened an object, and every later dwarf_object_init_b calls it with
 * *our* object as libelf's: elf_getscn on kbloat's struct, a crash (found by fuzz-dwarf:
 * a .o then an executable). It is saved before that reader opens and put back after it is
 * done. Weak: a libdwarf without it (newer ones) has no such state to undo.
 */
extern void (*_dwarf_get_elf_flags_func_ptr)(void) __attribute__((weak));

/*
 * Opens img's DWARF. An executable's sections are final and go to libdwarf through the
 * object access interface above, from the mapping. A relocatable object (.o, .ko) holds
 * DWARF whose string offsets and addresses are relocations still to apply: libdwarf's
 * libelf reader (dwarf_elf_init_b) applies them, for the machines libdwarf knows (x86,
 * arm64, riscv, ...), so kbloat has no relocator of its own.
 */
static int dwarf_open(struct dw_read *r, Dwarf_Obj_Access_Interface *iface)
{
	if (r->img->etype == ET_REL) {
		if (&_dwarf_get_elf_flags_func_ptr) {
			r->saved_flags_func = _dwarf_get_elf_flags_func_ptr;
			r->restore_flags_func = 1;
		}
		return dwarf_elf_init_b(r->img->elf, DW_DLC_READ, DW_GROUPNUMBER_ANY, NULL, NULL,
					&r->dbg, &r->err);
	}
	return dwarf_object_init_b(iface, NULL, NULL, DW_GROUPNUMBER_ANY, &r->dbg, &r->err);
}

int kb_dwarf_read(struct kb_image *img, const char *src_root, struct kb_attr *decl,
		  struct kb_attr *cu_attr, struct kb_dwarf_stats *st)
{
	struct dw_obj obj = { img, NULL, 0 };
	Dwarf_Obj_Access_Interface iface = { &obj, &obj_methods };
	struct dw_read r = { 0 };
	const struct kb_section *s;
	int res, rc = KB_ERR;

	memset(st, 0, sizeof(*st));
	st->root = "";
	r.img = img;
	r.st = st;
	obj.map = xcalloc(img->nsecs + 1, sizeof(*obj.map));
	if (!kb_image_section_by_name(img, ".debug_info")) {
		/* GNU's old compression (.zdebug_*, binutils before 2.26): said, not skipped */
		if (kb_image_section_by_name(img, ".zdebug_info"))
			kb_error_set(
				"%s: DWARF compressed the old GNU way (.zdebug_info) is not "
				"read (objcopy --decompress-debug-sections makes a readable copy)",
				img->path);
		else
			rc = KB_ENOTFOUND;
		goto out;
	}
	/* compressed DWARF (gcc -gz, ld --compress-debug-sections): libelf inflates it */
	if (kb_image_uncompress_sections(img))
		goto out;
	/* a .o/.ko: relocations against its symbols give the image's laid-out addresses */
	if (kb_image_place_symbols(img) || (img->etype == ET_REL && hide_unread_sections(img)))
		goto out;
	obj.n = debug_sections(img, obj.map);
	s = kb_image_section_by_name(img, ".debug_line");
	if (s)
		r.lines = kb_image_section_data(img, s, &r.lines_len);
	/* only a file mapping may be dropped and read again; libdwarf relocates a copy */
	if (img->fd >= 0 && img->etype != ET_REL) {
		s = kb_image_section_by_name(img, ".debug_info");
		r.info = kb_image_section_data(img, s, &r.info_len);
		s = kb_image_section_by_name(img, ".debug_line");
		if (s)
			r.line = kb_image_section_data(img, s, &r.line_len);
	}
	res = dwarf_open(&r, &iface);
	if (res == DW_DLV_NO_ENTRY) {
		rc = KB_ENOTFOUND;
		goto out_err;
	}
	if (res != DW_DLV_OK) {
		kb_error_set("%s: cannot read DWARF: %s", img->path,
			     r.err ? dwarf_errmsg(r.err) : "libdwarf refused the image");
		goto out_err;
	}
	for (;;) {
		Dwarf_Unsigned hdr_len, typeoff, next;
		Dwarf_Half ver, asz, lsz, esz, cutype;
		Dwarf_Off abbr;
		Dwarf_Sig8 sig;

		res = dwarf_next_cu_header_d(r.dbg, 1, &hdr_len, &ver, &abbr, &asz, &lsz, &esz,
					     &sig, &typeoff, &next, &cutype, &r.err);
		if (res == DW_DLV_NO_ENTRY)
			break;
		if (res != DW_DLV_OK) {
			dw_fail(&r, "compile unit header");
			goto finish;
		}
		if (read_cu(&r, ver))
			goto finish;
	}
	normalise(&r, src_root, decl, cu_attr);
	kb_attr_sort(decl);
	kb_attr_sort(cu_attr);
	rc = 0;
finish:
	if (r.err)
		dwarf_dealloc_error(r.dbg, r.err);
	if (img->etype == ET_REL)
		dwarf_finish(r.dbg, NULL);
	else
		dwarf_object_finish(r.dbg, NULL);
	goto out;
out_err:
	/* libdwarf may hand back an error without a Dwarf_Debug, even with DW_DLV_NO_ENTRY */
	if (r.err)
		dwarf_dealloc_error(NULL, r.err);
	r.err = NULL;
out:
	if (r.restore_flags_func)
		_dwarf_get_elf_flags_func_ptr = r.saved_flags_func;
	kb_strtab_release(&r.paths);
	kb_strtab_release(&r.compdirs);
	kb_strtab_release(&r.cunames);
	free(r.points);
	free(r.cus);
	free(obj.map);
	return rc;
}
