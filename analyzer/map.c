/*
 * map.c - reads a GNU ld or an LLVM lld linker map into address-sorted spans; see map.h.
 *
 * GNU ld.
 * Only the "Linker script and memory map" part is read. Within it, ld writes:
 *
 *   .text           0xffffffff81000000   0x400100 load address 0x0000000001000000
 *    *(.head.text)
 *    .head.text     0xffffffff81000000      0x244 arch/x86/kernel/head_64.o
 *                   0xffffffff81000000                startup_64
 *    *fill*         0xffffffff8100047c        0x4 cccc
 *    .rodata.str1.1
 *                   0xffffffff81611d20      0x1dc init/main.o
 *                                          0x205 (size before relaxing)
 *                   0xffffffff8100000c        0x8 QUAD 0x1234
 *
 * that is: output sections at column 0, input sections (and padding) indented by one
 * space, script patterns (anything with a parenthesis), and deeper-indented symbols,
 * assignments and data statements. A name too long for its column is alone on its line
 * and its address and size follow on the next. Everything else is skipped: the parser is
 * line-based, never looks past the end of a line, and keeps no state across lines but
 * the current output section and one pending name.
 *
 * LLVM lld (`ld.lld -Map`, what a clang kernel built with LLVM=1 writes) prints one table,
 * every row starting with its columns and the depth of its name telling what it is:
 *
 *              VMA              LMA     Size Align Out     In      Symbol
 *   ffffffff81000000 0000000001000000   400100  4096 .text
 *   ffffffff81000000 0000000001000000      244     1         arch/x86/kernel/head_64.o:(.head.text)
 *   ffffffff81000000 0000000001000000        0     1                 startup_64
 *   ffffffff81611d20 ffffffff81611d20     1dc      1         <internal>:(.rodata)
 *   ffffffff8100000c 000000000100000c        8     1         QUAD(0x1234)
 *                  0                0        0     1 __init_begin = .
 *
 * in hex without 0x (Align in decimal; LLVM before 11 printed no LMA column): at depth 0 an
 * output section (or an assignment, which has blanks in it), at 8 an input section as
 * FILE:(SECTION), a data statement or an assignment, at 16 a symbol. lld writes no *fill*:
 * gaps between input sections are left to the analyzer, which labels them as it does bytes
 * no map covers; but an assignment ". = ALIGN(...)" inside an output section has the size
 * it moved the location by (x86_64's 2 MiB alignment at the end of .bss: 1.2 MB of a
 * tinyconfig), and that is a *fill* span, as GNU ld would list it (an assignment that
 * reserves, ". += 64 * 1024", is not). Archive members are "lib.a(member.o)" as in GNU ld
 * maps; "<internal>" (sections lld makes: merged strings, GOT) and "lto.tmp" (the objects
 * of an LTO link, which are not files of the tree) name no source, nor does kbuild's
 * vmlinux.o where no vmlinux.o.map resolves it to objects (kb_map_parse_composed).
 */
#include "map.h"
#include "image.h"

#include "error.h"
#include "files.h"
#include "strbuf.h"
#include "xalloc.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAP_MARKER "Linker script and memory map"
#define MAP_XREF "Cross Reference Table"
#define VMLINUX_O "vmlinux.o"

enum pending { PEND_NONE, PEND_OUT, PEND_IN };

struct parser {
	struct kb_map *m;
	size_t spans_alloc, outsecs_alloc;
	long cur; /* index in outsecs of the output section being read, or -1 */
	int placed; /* whether that section's input sections become spans */
	int relocatable; /* an ld -r map: every section's inputs are spans, sections at 0 too */
	size_t *first; /* relocatable: per output section, the index of its first span */
	size_t first_alloc;
	uint64_t cur_addr, cur_end;
	const char *cur_name;

	enum pending pend; /* a name alone on its line, waiting for address and size */
	const char *pend_name;
	size_t pend_len;

	/* source path by the strtab id of an object name, once worked out */
	const char **source;
	unsigned char *source_done;
	size_t source_alloc;
	struct strbuf scratch;
};

static int is_ws(char c)
{
	return c == ' ' || c == '\t';
}

static const char *skip_ws(const char *p, const char *e)
{
	while (p < e && is_ws(*p))
		p++;
	return p;
}

static const char *tok_end(const char *p, const char *e)
{
	while (p < e && !is_ws(*p))
		p++;
	return p;
}

static int starts_with(const char *p, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);

	return len >= n && !memcmp(p, prefix, n);
}

static int line_is(const char *p, const char *e, const char *s)
{
	return (size_t)(e - p) == strlen(s) && !memcmp(p, s, e - p);
}

/* Parses a "0x1f" token at p; returns the whitespace or end after it, or NULL. */
static const char *parse_hex(const char *p, const char *e, uint64_t *val)
{
	const char *q;
	uint64_t v = 0;

	if (e - p < 3 || p[0] != '0' || p[1] != 'x')
		return NULL;
	for (q = p + 2; q < e && !is_ws(*q); q++) {
		int d;

		if (*q >= '0' && *q <= '9')
			d = *q - '0';
		else if (*q >= 'a' && *q <= 'f')
			d = *q - 'a' + 10;
		else if (*q >= 'A' && *q <= 'F')
			d = *q - 'A' + 10;
		else
			return NULL;
		if (q - p > 17) /* more than 16 digits */
			return NULL;
		v = v << 4 | (uint64_t)d;
	}
	*val = v;
	return q;
}

/* Parses "0xADDR 0xSIZE" at p (after blanks); *rest gets what follows, blanks skipped. */
static int parse_addr_size(const char *p, const char *e, uint64_t *addr, uint64_t *size,
			   const char **rest)
{
	p = parse_hex(skip_ws(p, e), e, addr);
	if (!p)
		return 0;
	p = parse_hex(skip_ws(p, e), e, size);
	if (!p)
		return 0;
	*rest = skip_ws(p, e);
	return 1;
}

static uint64_t end_of(uint64_t addr, uint64_t size)
{
	return size > UINT64_MAX - addr ? UINT64_MAX : addr + size;
}

static const char *intern(struct parser *ps, const char *s, size_t len)
{
	const char *out;

	kb_strtab_intern(&ps->m->strs, s, len, &out);
	return out;
}

/*
 * The tree-relative path of an object as the map names it: "lib/lib.a(sort.o)" is
 * lib/sort.o (a regular archive keeps bare member names, built next to the archive);
 * "vmlinux.a(kernel/fork.o)" is kernel/fork.o (a thin archive's member is its own path).
 */
static void object_path(struct strbuf *sb, const char *obj, size_t len)
{
	const char *open = memchr(obj, '(', len);

	strbuf_reset(sb);
	if (open && len >= 2 && obj[len - 1] == ')' && open + 1 < obj + len - 1) {
		const char *mem = open + 1;
		size_t mlen = obj + len - 1 - mem;

		if (!memchr(mem, '/', mlen)) {
			const char *slash = NULL, *q;

			for (q = obj; q < open; q++)
				if (*q == '/')
					slash = q;
			if (slash)
				strbuf_add(sb, obj, slash + 1 - obj);
		}
		strbuf_add(sb, mem, mlen);
	} else {
		strbuf_add(sb, obj, len);
	}
	while (sb->len > 2 && sb->buf[0] == '.' && sb->buf[1] == '/') {
		memmove(sb->buf, sb->buf + 2, sb->len - 2);
		strbuf_setlen(sb, sb->len - 2);
	}
}

/*
 * Objects that are not files: "linker stubs" (the BFD that ld makes for stubs), "*ABS*",
 * lld's "<internal>" and "lto.tmp" (what an LTO link compiled, as one object).
 */
static int object_is_linker(const char *obj, size_t len)
{
	return line_is(obj, obj + len, "linker stubs") || line_is(obj, obj + len, "lto.tmp") ||
	       obj[0] == '*' || obj[0] == '<';
}

static const char *source_of(struct parser *ps, const char *obj, size_t len, const char **stored)
{
	uint32_t id = kb_strtab_intern(&ps->m->strs, obj, len, stored);

	if (id >= ps->source_alloc) {
		size_t old = ps->source_alloc;

		ALLOC_GROW(ps->source, (size_t)id + 1, ps->source_alloc);
		ps->source_done = xrealloc(ps->source_done, ps->source_alloc);
		memset(ps->source_done + old, 0, ps->source_alloc - old);
	}
	if (!ps->source_done[id]) {
		ps->source_done[id] = 1;
		ps->source[id] = NULL;
		if (!object_is_linker(obj, len)) {
			object_path(&ps->scratch, obj, len);
			ps->source[id] = intern(ps, ps->scratch.buf, ps->scratch.len);
		}
	}
	return ps->source[id];
}

static void add_outsec(struct parser *ps, const char *name, size_t len, uint64_t addr,
		       uint64_t size)
{
	struct kb_map *m = ps->m;
	struct kb_map_outsec *o;

	ALLOC_GROW(m->outsecs, m->noutsecs + 1, ps->outsecs_alloc);
	if (ps->relocatable) {
		ALLOC_GROW(ps->first, m->noutsecs + 1, ps->first_alloc);
		ps->first[m->noutsecs] = m->nspans;
	}
	o = &m->outsecs[m->noutsecs];
	o->name = intern(ps, name, len);
	o->addr = addr;
	o->size = size;
	ps->cur = (long)m->noutsecs++;
	ps->cur_name = o->name;
	ps->cur_addr = addr;
	ps->cur_end = end_of(addr, size);
	ps->placed = ps->relocatable || addr != 0 || starts_with(name, len, ".data..percpu");
}

/* An input section, padding or data statement at [addr, addr + size) of the current output. */
static void add_span(struct parser *ps, const char *insec, size_t ilen, uint64_t addr,
		     uint64_t size, const char *obj, size_t olen)
{
	struct kb_map *m = ps->m;
	struct kb_map_span *s;
	uint64_t end = end_of(addr, size);

	if (ps->cur < 0 || !ps->placed)
		return;
	if (addr < ps->cur_addr)
		addr = ps->cur_addr;
	if (end > ps->cur_end)
		end = ps->cur_end;
	if (end <= addr)
		return;

	ALLOC_GROW(m->spans, m->nspans + 1, ps->spans_alloc);
	s = &m->spans[m->nspans++];
	s->addr = addr;
	s->size = end - addr;
	s->insec = intern(ps, insec, ilen);
	s->outsec = ps->cur_name;
	s->object = NULL;
	s->source = NULL;
	s->after_ld_r = 0;
	if (olen && !line_is(insec, insec + ilen, "*fill*"))
		s->source = source_of(ps, obj, olen, &s->object);
}

/* Column 0: an output section ("name 0xADDR 0xSIZE ...", or "name" alone), or LOAD etc. */
static void output_line(struct parser *ps, const char *p, const char *e)
{
	const char *t = tok_end(p, e), *rest;
	uint64_t addr, size;

	ps->cur = -1;
	if (skip_ws(t, e) == e) {
		ps->pend = PEND_OUT;
		ps->pend_name = p;
		ps->pend_len = t - p;
	} else if (parse_addr_size(t, e, &addr, &size, &rest)) {
		add_outsec(ps, p, t - p, addr, size);
	}
}

/* One space in: " .text 0xADDR 0xSIZE file.o", " *fill* ...", " *(.text)", " COMMON ...". */
static void input_line(struct parser *ps, const char *p, const char *e)
{
	const char *t = tok_end(p, e), *rest;
	uint64_t addr, size;

	if (memchr(p, '(', t - p)) /* a script pattern: *(.text .text.*), KEEP(...) */
		return;
	if (skip_ws(t, e) == e) {
		ps->pend = PEND_IN;
		ps->pend_name = p;
		ps->pend_len = t - p;
	} else if (parse_addr_size(t, e, &addr, &size, &rest)) {
		add_span(ps, p, t - p, addr, size, rest, e - rest);
	}
}

/* The address and size of a name alone on the line before; 0 if this is not that. */
static int continuation(struct parser *ps, enum pending pend, const char *p, const char *e)
{
	uint64_t addr, size;
	const char *rest;

	if (!parse_addr_size(p, e, &addr, &size, &rest))
		return 0;
	if (pend == PEND_OUT)
		add_outsec(ps, ps->pend_name, ps->pend_len, addr, size);
	else
		add_span(ps, ps->pend_name, ps->pend_len, addr, size, rest, e - rest);
	return 1;
}

/* Deeper in: symbols and assignments (skipped) and data statements ("0x.. 0x8 QUAD 0x1"). */
static void deep_line(struct parser *ps, const char *p, const char *e)
{
	static const char *const data[] = { "BYTE", "SHORT", "LONG", "QUAD", "SQUAD" };
	uint64_t addr, size;
	const char *rest, *t;
	size_t i;

	if (!parse_addr_size(p, e, &addr, &size, &rest))
		return;
	t = tok_end(rest, e);
	for (i = 0; i < ARRAY_SIZE(data); i++)
		if (line_is(rest, t, data[i]))
			add_span(ps, rest, t - rest, addr, size, NULL, 0);
}

static void parse_line(struct parser *ps, const char *p, const char *e)
{
	enum pending pend = ps->pend;

	ps->pend = PEND_NONE;
	if (p == e)
		return;
	if (!is_ws(*p)) {
		output_line(ps, p, e);
		return;
	}
	if (pend != PEND_NONE && continuation(ps, pend, p, e))
		return;
	if (*p == ' ' && p + 1 < e && !is_ws(p[1]))
		input_line(ps, p + 1, e);
	else
		deep_line(ps, p, e);
}

/* Stable merge sort of spans by address: the first listed of two at one address wins. */
static void sort_spans(struct kb_map_span *v, struct kb_map_span *tmp, size_t n)
{
	size_t mid = n / 2, i = 0, j = mid, k = 0;

	if (n < 2)
		return;
	sort_spans(v, tmp, mid);
	sort_spans(v + mid, tmp, n - mid);
	if (v[mid - 1].addr <= v[mid].addr)
		return;
	while (i < mid && j < n)
		tmp[k++] = v[j].addr < v[i].addr ? v[j++] : v[i++];
	while (i < mid)
		tmp[k++] = v[i++];
	memcpy(v, tmp, k * sizeof(*v)); /* v[j..n) is in place already */
}

/* Sorts spans and trims each to start where the one before ends; drops emptied ones. */
static void settle_spans(struct kb_map *m)
{
	struct kb_map_span *tmp;
	uint64_t prev_end = 0;
	size_t i, n = 0;

	if (!m->nspans)
		return;
	tmp = xmalloc(m->nspans * sizeof(*tmp));
	sort_spans(m->spans, tmp, m->nspans);
	free(tmp);
	for (i = 0; i < m->nspans; i++) {
		struct kb_map_span s = m->spans[i];
		uint64_t end = s.addr + s.size;

		if (n && s.addr < prev_end) {
			if (end <= prev_end)
				continue;
			s.addr = prev_end;
			s.size = end - prev_end;
		}
		m->spans[n++] = s;
		prev_end = end;
	}
	m->nspans = n;
}

/*
 * Where the memory map starts in text, or NULL (with the error set). An lld map starts with
 * its header line ("VMA LMA Size Align Out In Symbol", or "Address Size Align Out In
 * Symbol" before LLVM 11): *lld_cols is then the number of columns before the names.
 */
static const char *find_script(const char *name, const char *text, size_t len, int *lld_cols)
{
	const char *p = text, *e = text + len;
	int first = 1;

	*lld_cols = 0;
	while (p < e) {
		const char *nl = memchr(p, '\n', e - p), *le = nl ? nl : e;
		const char *next = nl ? nl + 1 : e;

		while (le > p && (is_ws(le[-1]) || le[-1] == '\r'))
			le--;
		if (line_is(p, le, MAP_MARKER))
			return next;
		if (first && memmem(p, le - p, "Out", 3) && memmem(p, le - p, "In", 2) &&
		    memmem(p, le - p, "Symbol", 6) &&
		    (memmem(p, le - p, "VMA", 3) || memmem(p, le - p, "Address", 7))) {
			*lld_cols = memmem(p, le - p, "LMA", 3) ? 4 : 3;
			return next;
		}
		first = 0;
		p = next;
	}
	kb_error_set("%s: not a linker map (no \"" MAP_MARKER "\" line of GNU ld, no column "
		     "header of LLVM lld)",
		     name);
	return NULL;
}

/* A bare hex (lld: "ffffffff81000000") or decimal number at p; the blank or end after it. */
static const char *parse_bare(const char *p, const char *e, int base, uint64_t *val)
{
	const char *q;
	uint64_t v = 0;

	for (q = p; q < e && !is_ws(*q); q++) {
		int d;

		if (*q >= '0' && *q <= '9')
			d = *q - '0';
		else if (base == 16 && *q >= 'a' && *q <= 'f')
			d = *q - 'a' + 10;
		else if (base == 16 && *q >= 'A' && *q <= 'F')
			d = *q - 'A' + 10;
		else
			return NULL;
		if (q - p >= 16 || (base == 10 && q - p >= 10))
			return NULL;
		v = v * (uint64_t)base + (uint64_t)d;
	}
	if (q == p)
		return NULL;
	*val = v;
	return q;
}

/* lld's "FILE:(SECTION)": splits it at the last ":(", or returns 0 if it is not that. */
static int lld_input(const char *p, const char *e, const char **obj_end, const char **sec,
		     const char **sec_end)
{
	const char *q;

	if (e - p < 4 || e[-1] != ')')
		return 0;
	for (q = e - 2; q > p; q--) {
		if (q[0] == '(' && q[-1] == ':') {
			*obj_end = q - 1;
			*sec = q + 1;
			*sec_end = e - 1;
			return *obj_end > p;
		}
	}
	return 0;
}

/* One row of an lld map: ncols numbers, then a name at depth 0, 8 or 16 (see the top). */
static void lld_line(struct parser *ps, const char *p, const char *e, int ncols)
{
	static const char *const data[] = { "BYTE", "SHORT", "LONG", "QUAD", "SQUAD" };
	const char *oe, *sec, *se;
	uint64_t v[4] = { 0 }, addr, size;
	size_t depth = 0, i;
	int c;

	for (c = 0; c < ncols; c++) {
		p = parse_bare(skip_ws(p, e), e, c == ncols - 1 ? 10 : 16, &v[c]);
		if (!p)
			return;
	}
	addr = v[0];
	size = v[ncols - 2];
	if (p < e && *p == ' ')
		p++; /* the blank after the Align column */
	while (p < e && *p == ' ') {
		p++;
		depth++;
	}
	if (p == e)
		return;
	if (depth == 0) {
		ps->cur = -1;
		if (tok_end(p, e) == e) /* a section name has no blanks; an assignment has */
			add_outsec(ps, p, e - p, addr, size);
		return;
	}
	if (depth != 8)
		return; /* a symbol (16), or nothing lld writes */
	if (lld_input(p, e, &oe, &sec, &se)) {
		add_span(ps, sec, se - sec, addr, size, p, oe - p);
		return;
	}
	for (i = 0; i < ARRAY_SIZE(data); i++)
		if (starts_with(p, e - p, data[i]) && !memchr(p, '=', e - p))
			add_span(ps, data[i], strlen(data[i]), addr, size, NULL, 0);
	/* the script's alignment inside an output section: what GNU ld lists as *fill* */
	if (size && starts_with(p, e - p, ". = ALIGN"))
		add_span(ps, "*fill*", 6, addr, size, NULL, 0);
}

static void parser_release(struct parser *ps)
{
	free(ps->source);
	free(ps->source_done);
	free(ps->first);
	strbuf_release(&ps->scratch);
}

/* Reads text into a new ps->m, its spans in map order (not yet settled); KB_ERR: no map. */
static int parse_text(struct parser *ps, const char *name, const char *text, size_t len)
{
	const char *p, *e = text + len;
	int lld_cols;

	p = find_script(name, text, len, &lld_cols);
	if (!p)
		return KB_ERR;
	ps->m = xcalloc(1, sizeof(*ps->m));
	ps->m->name = xstrdup(name);
	ps->cur = -1;
	strbuf_init(&ps->scratch, 0);
	while (p < e) {
		const char *nl = memchr(p, '\n', e - p), *le = nl ? nl : e;
		const char *next = nl ? nl + 1 : e;

		while (le > p && (is_ws(le[-1]) || le[-1] == '\r'))
			le--;
		if (line_is(p, le, MAP_XREF))
			break;
		if (lld_cols)
			lld_line(ps, p, le, lld_cols);
		else
			parse_line(ps, p, le);
		p = next;
	}
	return 0;
}

/* Whether s is an input section of vmlinux.o (link-vmlinux.sh links it, not vmlinux.a). */
static int of_vmlinux_o(const struct kb_map_span *s)
{
	const char *base;

	if (!s->source)
		return 0;
	base = strrchr(s->source, '/');
	return !strcmp(base ? base + 1 : s->source, VMLINUX_O);
}

static int links_vmlinux_o(const struct kb_map *m)
{
	size_t i;

	for (i = 0; i < m->nspans; i++)
		if (of_vmlinux_o(&m->spans[i]))
			return 1;
	return 0;
}

/* The ld -r map of vmlinux.o, its output sections chained by name. */
struct inner {
	struct parser ps; /* ps.m the map, ps.first where each output section's spans start */
	size_t *head; /* by the strtab id of a name: its first output section, or SIZE_MAX */
	size_t *next; /* by output section: the next of the same name, or SIZE_MAX */
	unsigned char *used; /* by output section: already placed */
};

static void inner_index(struct inner *in)
{
	const struct kb_map *r = in->ps.m;
	size_t i;

	in->head = xmalloc((r->strs.nr + 1) * sizeof(*in->head));
	in->next = xmalloc((r->noutsecs + 1) * sizeof(*in->next));
	in->used = xcalloc(r->noutsecs + 1, 1);
	for (i = 0; i < r->strs.nr; i++)
		in->head[i] = SIZE_MAX;
	for (i = r->noutsecs; i-- > 0;) {
		long id = kb_strtab_find(&r->strs, r->outsecs[i].name, strlen(r->outsecs[i].name));

		in->next[i] = SIZE_MAX;
		if (id < 0) /* a name with a NUL in it: as a C string, no name the map has */
			continue;
		in->next[i] = in->head[id];
		in->head[id] = i;
	}
}

static void inner_release(struct inner *in)
{
	kb_map_free(in->ps.m);
	parser_release(&in->ps);
	free(in->head);
	free(in->next);
	free(in->used);
}

/*
 * Whether name is a section of mergeable strings or constants (gcc's .rodata.str1.1,
 * .rodata.cst8): the link of vmlinux merges their duplicates, so vmlinux.map places fewer
 * bytes of vmlinux.o's than vmlinux.o.map lists.
 */
static int merged(const char *name)
{
	return !strncmp(name, ".rodata.str", 11) || !strncmp(name, ".rodata.cst", 11);
}

/*
 * The unused output section of vmlinux.o.map that is vmlinux.o's input section s: the first
 * of its name and size, or for merged strings and constants, of its name and at least its
 * size (its inputs are then placed as a direct link's map places them: one after another,
 * the first listed keeping the bytes, cut at the section's end). SIZE_MAX if none; *named
 * then says whether one of that name exists.
 */
static size_t inner_find(const struct inner *in, const struct kb_map_span *s, int *named)
{
	const struct kb_map *r = in->ps.m;
	long id = kb_strtab_find(&r->strs, s->insec, strlen(s->insec));
	size_t i, first = id < 0 ? SIZE_MAX : in->head[id];

	*named = first != SIZE_MAX;
	for (i = first; i != SIZE_MAX; i = in->next[i])
		if (!in->used[i] && r->outsecs[i].size == s->size)
			return i;
	if (merged(s->insec))
		for (i = first; i != SIZE_MAX; i = in->next[i])
			if (!in->used[i] && r->outsecs[i].size > s->size)
				return i;
	return SIZE_MAX;
}

/* Appends vmlinux.o.map's output section k, placed where s (vmlinux.o's part of it) is. */
static void place_inner(struct parser *ps, size_t *alloc, struct kb_map_span **v, size_t *n,
			const struct kb_map_span *s, const struct inner *in, size_t k)
{
	const struct kb_map *r = in->ps.m;
	size_t j, end = k + 1 < r->noutsecs ? in->ps.first[k + 1] : r->nspans;
	uint64_t base = r->outsecs[k].addr;

	for (j = in->ps.first[k]; j < end; j++) {
		const struct kb_map_span *rs = &r->spans[j];
		struct kb_map_span *o;
		uint64_t off = rs->addr - base;

		if (rs->addr < base || off >= s->size)
			continue; /* add_span kept it inside its section: cannot happen */
		ALLOC_GROW(*v, *n + 1, *alloc);
		o = &(*v)[(*n)++];
		o->addr = s->addr + off;
		o->size = rs->size < s->size - off ? rs->size : s->size - off;
		o->insec = intern(ps, rs->insec, strlen(rs->insec));
		o->outsec = s->outsec;
		o->object = rs->object ? intern(ps, rs->object, strlen(rs->object)) : NULL;
		o->source = rs->source ? intern(ps, rs->source, strlen(rs->source)) : NULL;
		o->after_ld_r = 0;
	}
}

/*
 * Replaces each input section of vmlinux.o in ps->m by the input sections rtext (the ld -r
 * map that made vmlinux.o) lists for it, where the sizes agree; a one-line warning in
 * ps->m->warning otherwise, or when there is no rtext.
 */
static void compose(struct parser *ps, const char *rname, const char *rtext, size_t rlen)
{
	struct kb_map *m = ps->m;
	struct inner in = { 0 };
	struct kb_map_span *v = NULL;
	size_t i, n = 0, alloc = 0, bad = 0, bad_first = 0;

	if (!rtext) {
		snprintf(m->warning, sizeof(m->warning),
			 "%s: vmlinux was linked from " VMLINUX_O " and no " VMLINUX_O
			 ".map is beside it: the map names no object for " VMLINUX_O
			 "'s bytes (CONFIG_BUILTIN_MODULE_RANGES=y writes it: 6.12+, not with LTO)",
			 m->name);
		return;
	}
	in.ps.relocatable = 1;
	if (parse_text(&in.ps, rname, rtext, rlen)) {
		snprintf(m->warning, sizeof(m->warning),
			 "%s; the map names no object for " VMLINUX_O "'s bytes", kb_error_last());
		kb_error_clear();
		parser_release(&in.ps);
		return;
	}
	inner_index(&in);
	for (i = 0; i < m->nspans; i++) {
		const struct kb_map_span *s = &m->spans[i];
		size_t k = SIZE_MAX;
		int named = 0;

		if (of_vmlinux_o(s))
			k = inner_find(&in, s, &named);
		if (k == SIZE_MAX) {
			if (named && !bad++)
				bad_first = i;
			ALLOC_GROW(v, n + 1, alloc);
			v[n] = *s;
			v[n++].after_ld_r = of_vmlinux_o(s) && !named;
			continue;
		}
		in.used[k] = 1;
		place_inner(ps, &alloc, &v, &n, s, &in, k);
	}
	if (bad) {
		const struct kb_map_span *s = &m->spans[bad_first];

		snprintf(m->warning, sizeof(m->warning),
			 "%s: %s of " VMLINUX_O " is 0x%" PRIx64 " bytes at 0x%" PRIx64
			 ", %s has no section of that name and size: %zu section%s of " VMLINUX_O
			 " not composed (is %s stale?)",
			 m->name, s->insec, s->size, s->addr, rname, bad, bad > 1 ? "s" : "",
			 rname);
	}
	free(m->spans);
	m->spans = v;
	m->nspans = n;
	inner_release(&in);
}

/*
 * vmlinux.o is kbuild's relocatable link of the build, no source: the input sections of it
 * that compose() could not resolve to objects keep it as their object but name no source,
 * and are counted in m->unresolved.
 */
static void unresolve(struct kb_map *m)
{
	size_t i;

	for (i = 0; i < m->nspans; i++) {
		struct kb_map_span *s = &m->spans[i];

		if (!s->after_ld_r && of_vmlinux_o(s)) {
			s->source = NULL;
			m->unresolved += s->size;
		}
	}
}

int kb_map_parse_composed(struct kb_map **out, const char *name, const char *text, size_t len,
			  const char *rname, const char *rtext, size_t rlen)
{
	struct parser ps = { 0 };

	*out = NULL;
	if (parse_text(&ps, name, text, len)) {
		parser_release(&ps);
		return KB_ERR;
	}
	if (links_vmlinux_o(ps.m)) {
		compose(&ps, rname ? rname : VMLINUX_O ".map", rtext, rlen);
		unresolve(ps.m);
	}
	parser_release(&ps);
	settle_spans(ps.m);
	*out = ps.m;
	return 0;
}

int kb_map_parse(struct kb_map **out, const char *name, const char *text, size_t len)
{
	return kb_map_parse_composed(out, name, text, len, NULL, NULL, 0);
}

int kb_map_open(struct kb_map **out, const char *path)
{
	struct strbuf sb = STRBUF_INIT, rpath = STRBUF_INIT, rsb = STRBUF_INIT;
	struct parser ps = { 0 };
	const char *slash = strrchr(path, '/');
	int ret = 0;

	*out = NULL;
	if (strbuf_read_file(&sb, path) < 0) {
		ret = kb_error_set("%s: cannot read: %s", path, kb_strerror(errno));
		goto out;
	}
	if (parse_text(&ps, path, sb.buf, sb.len)) {
		ret = KB_ERR;
		goto out;
	}
	if (links_vmlinux_o(ps.m)) {
		/* the ld -r map kbuild writes beside vmlinux.map (CONFIG_BUILTIN_MODULE_RANGES) */
		if (slash)
			strbuf_add(&rpath, path, (size_t)(slash + 1 - path));
		strbuf_addstr(&rpath, VMLINUX_O ".map");
		if (strbuf_read_file(&rsb, rpath.buf) >= 0)
			compose(&ps, rpath.buf, rsb.buf, rsb.len);
		else if (errno == ENOENT)
			compose(&ps, rpath.buf, NULL, 0);
		else
			snprintf(ps.m->warning, sizeof(ps.m->warning),
				 "%s: cannot read: %s; the map names no object for " VMLINUX_O
				 "'s bytes",
				 rpath.buf, kb_strerror(errno));
		unresolve(ps.m);
	}
	settle_spans(ps.m);
	*out = ps.m;
	ps.m = NULL;
out:
	kb_map_free(ps.m);
	parser_release(&ps);
	strbuf_release(&sb);
	strbuf_release(&rpath);
	strbuf_release(&rsb);
	return ret;
}

const struct kb_map_span *kb_map_lookup(const struct kb_map *m, uint64_t addr)
{
	size_t lo = 0, hi = m->nspans;

	/* find the first span starting above addr; the one before may hold it */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (m->spans[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo && addr - m->spans[lo - 1].addr < m->spans[lo - 1].size)
		return &m->spans[lo - 1];
	return NULL;
}

static int outsec_placed(const struct kb_map_outsec *o)
{
	return o->addr != 0 || !strncmp(o->name, ".data..percpu", 13);
}

/* The non-empty output section called name, at addr if there is one there; or NULL. */
static const struct kb_map_outsec *find_outsec(const struct kb_map *m, const char *name,
					       uint64_t addr)
{
	const struct kb_map_outsec *found = NULL;
	size_t i;

	for (i = 0; i < m->noutsecs; i++) {
		const struct kb_map_outsec *o = &m->outsecs[i];

		if (!o->size || strcmp(o->name, name))
			continue;
		if (o->addr == addr)
			return o;
		if (!found)
			found = o;
	}
	return found;
}

static const struct kb_section *find_section(const struct kb_image *img, const char *name,
					     uint64_t addr)
{
	const struct kb_section *found = NULL;
	size_t i;

	for (i = 1; i < img->nsecs; i++) {
		const struct kb_section *s = &img->secs[i];

		if (!s->alloc || !s->size || !s->name || strcmp(s->name, name))
			continue;
		if (s->addr == addr)
			return s;
		if (!found)
			found = s;
	}
	return found;
}

static int mismatch(const struct kb_map *m, const struct kb_image *img, const char *sec,
		    const char *map_says, const char *img_has)
{
	return kb_error_set("%s: does not belong to %s (section %s: map %s, image %s)", m->name,
			    img->path, sec, map_says, img_has);
}

int kb_map_check(const struct kb_map *m, const struct kb_image *img)
{
	struct strbuf ms = STRBUF_INIT, is = STRBUF_INIT;
	int ret = 0;
	size_t i;

	for (i = 1; i < img->nsecs && !ret; i++) {
		const struct kb_section *s = &img->secs[i];
		const struct kb_map_outsec *o;

		if (!s->alloc || !s->size || !s->name)
			continue;
		o = find_outsec(m, s->name, s->addr);
		if (o && o->addr == s->addr && o->size == s->size)
			continue;
		strbuf_addf(&is, "has 0x%" PRIx64 " bytes at 0x%" PRIx64, s->size, s->addr);
		if (o)
			strbuf_addf(&ms, "says 0x%" PRIx64 " bytes at 0x%" PRIx64, o->size,
				    o->addr);
		else
			strbuf_addstr(&ms, "has no such output section");
		ret = mismatch(m, img, s->name, ms.buf, is.buf);
	}
	for (i = 0; i < m->noutsecs && !ret; i++) {
		const struct kb_map_outsec *o = &m->outsecs[i];

		const struct kb_section *s;

		if (!o->size || !outsec_placed(o))
			continue;
		s = find_section(img, o->name, o->addr);
		if (s && s->addr == o->addr && s->size == o->size)
			continue;
		strbuf_addf(&ms, "says 0x%" PRIx64 " bytes at 0x%" PRIx64, o->size, o->addr);
		if (s)
			strbuf_addf(&is, "has 0x%" PRIx64 " bytes at 0x%" PRIx64, s->size, s->addr);
		else
			strbuf_addstr(&is, "has no such allocated section");
		ret = mismatch(m, img, o->name, ms.buf, is.buf);
	}
	strbuf_release(&ms);
	strbuf_release(&is);
	return ret;
}

void kb_map_free(struct kb_map *m)
{
	if (!m)
		return;
	free(m->name);
	free(m->spans);
	free(m->outsecs);
	kb_strtab_release(&m->strs);
	free(m);
}
