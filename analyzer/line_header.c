// SPDX-License-Identifier: GPL-2.0
/*
 * line_header.c - a bounds-checked look at a .debug_line unit's header: its directory and
 * file tables, so that a file entry pointing past the directories never reaches libdwarf.
 */
#include "line_header.h"

#include <string.h>

/* DWARF 5 forms that line table entry formats may use (DWARF 5, 7.5.6 and 6.2.4.1) */
enum {
	FORM_block2 = 0x03,
	FORM_block4 = 0x04,
	FORM_data2 = 0x05,
	FORM_data4 = 0x06,
	FORM_data8 = 0x07,
	FORM_string = 0x08,
	FORM_block = 0x09,
	FORM_block1 = 0x0a,
	FORM_data1 = 0x0b,
	FORM_flag = 0x0c,
	FORM_sdata = 0x0d,
	FORM_strp = 0x0e,
	FORM_udata = 0x0f,
	FORM_sec_offset = 0x17,
	FORM_strx = 0x1a,
	FORM_data16 = 0x1e,
	FORM_line_strp = 0x1f,
	FORM_strx1 = 0x25,
	FORM_strx2 = 0x26,
	FORM_strx3 = 0x27,
	FORM_strx4 = 0x28,
};

enum { LNCT_directory_index = 2 };

#define MAX_FORMATS 16 /* DWARF 5 defines 5 content types; producers add a few */

struct cursor {
	const unsigned char *p, *end;
	int msb, bad;
	const char *why;
};

static void fail(struct cursor *c, const char *why)
{
	if (!c->bad)
		c->why = why;
	c->bad = 1;
	c->p = c->end;
}

static uint64_t fixed(struct cursor *c, size_t n)
{
	uint64_t v = 0;
	size_t i;

	if ((size_t)(c->end - c->p) < n) {
		fail(c, "header runs past the section");
		return 0;
	}
	for (i = 0; i < n; i++)
		v |= (uint64_t)c->p[c->msb ? n - 1 - i : i] << (8 * i);
	c->p += n;
	return v;
}

static uint64_t uleb(struct cursor *c)
{
	uint64_t v = 0;
	unsigned shift = 0;

	while (c->p < c->end) {
		unsigned char b = *c->p++;

		if (shift < 64)
			v |= (uint64_t)(b & 0x7f) << shift;
		shift += 7;
		if (!(b & 0x80)) {
			if (shift > 70)
				fail(c, "LEB128 too long");
			return c->bad ? 0 : v;
		}
	}
	fail(c, "LEB128 runs past the header");
	return 0;
}

static void skip(struct cursor *c, uint64_t n)
{
	if ((uint64_t)(c->end - c->p) < n)
		fail(c, "header runs past the section");
	else
		c->p += n;
}

static void cstring(struct cursor *c)
{
	const unsigned char *z = memchr(c->p, 0, (size_t)(c->end - c->p));

	if (!z)
		fail(c, "unterminated string");
	else
		c->p = z + 1;
}

/* Reads one value of form; its number if it is a constant, else 0. */
static uint64_t value(struct cursor *c, uint64_t form, unsigned offset_size)
{
	switch (form) {
	case FORM_data1:
	case FORM_flag:
	case FORM_strx1:
		return fixed(c, 1);
	case FORM_data2:
	case FORM_strx2:
		return fixed(c, 2);
	case FORM_strx3:
		return fixed(c, 3);
	case FORM_data4:
	case FORM_strx4:
		return fixed(c, 4);
	case FORM_data8:
		return fixed(c, 8);
	case FORM_data16:
		skip(c, 16);
		return 0;
	case FORM_udata:
	case FORM_strx:
	case FORM_sdata:
		return uleb(c);
	case FORM_strp:
	case FORM_line_strp:
	case FORM_sec_offset:
		return fixed(c, offset_size);
	case FORM_string:
		cstring(c);
		return 0;
	case FORM_block:
		skip(c, uleb(c));
		return 0;
	case FORM_block1:
		skip(c, fixed(c, 1));
		return 0;
	case FORM_block2:
		skip(c, fixed(c, 2));
		return 0;
	case FORM_block4:
		skip(c, fixed(c, 4));
		return 0;
	}
	fail(c, "an entry format with an unknown form");
	return 0;
}

struct formats {
	uint64_t type[MAX_FORMATS], form[MAX_FORMATS];
	unsigned n;
};

static void read_formats(struct cursor *c, struct formats *f)
{
	unsigned i;

	f->n = (unsigned)fixed(c, 1);
	if (f->n > MAX_FORMATS) {
		fail(c, "too many entry formats");
		return;
	}
	for (i = 0; i < f->n && !c->bad; i++) {
		f->type[i] = uleb(c);
		f->form[i] = uleb(c);
	}
}

/* DWARF 5: directories, then files whose directory index must be below their count */
static void tables_v5(struct cursor *c, unsigned offset_size)
{
	struct formats f;
	uint64_t ndirs, nfiles, i;
	unsigned k;

	read_formats(c, &f);
	ndirs = uleb(c);
	for (i = 0; i < ndirs && !c->bad; i++)
		for (k = 0; k < f.n; k++)
			value(c, f.form[k], offset_size);
	read_formats(c, &f);
	nfiles = uleb(c);
	for (i = 0; i < nfiles && !c->bad; i++)
		for (k = 0; k < f.n; k++) {
			uint64_t v = value(c, f.form[k], offset_size);

			if (f.type[k] == LNCT_directory_index && v >= ndirs && !c->bad)
				fail(c, "a file's directory index past the directories");
		}
}

/* DWARF 2-4: include_directories and file_names, each ended by an empty entry */
static void tables_v4(struct cursor *c)
{
	uint64_t ndirs = 0;

	while (!c->bad && c->p < c->end && *c->p) {
		cstring(c);
		ndirs++;
	}
	skip(c, 1);
	while (!c->bad && c->p < c->end && *c->p) {
		cstring(c);
		if (uleb(c) > ndirs && !c->bad)
			fail(c, "a file's directory index past the directories");
		uleb(c); /* modification time */
		uleb(c); /* length */
	}
	skip(c, 1);
}

int kb_line_header_check(const unsigned char *sec, size_t len, int msb, uint64_t off,
			 const char **why)
{
	struct cursor c = { NULL, NULL, msb, 0, NULL };
	unsigned offset_size = 4, version, opcode_base;
	uint64_t unit_len, header_len;

	if (!sec || off >= len) {
		fail(&c, "offset past the section");
		goto out;
	}
	c.p = sec + off;
	c.end = sec + len;
	unit_len = fixed(&c, 4);
	if (unit_len == 0xffffffff) {
		offset_size = 8;
		unit_len = fixed(&c, 8);
	} else if (unit_len >= 0xfffffff0) {
		fail(&c, "reserved unit length");
	}
	if (c.bad)
		goto out;
	if (unit_len > (uint64_t)(c.end - c.p)) {
		fail(&c, "unit runs past the section");
		goto out;
	}
	c.end = c.p + unit_len;
	version = (unsigned)fixed(&c, 2);
	if (!c.bad && (version < 2 || version > 5)) {
		fail(&c, "unknown version");
		goto out;
	}
	if (version == 5)
		skip(&c, 2); /* address_size, segment_selector_size */
	header_len = fixed(&c, offset_size);
	if (header_len > (uint64_t)(c.end - c.p))
		fail(&c, "header runs past the unit");
	if (c.bad)
		goto out;
	c.end = c.p + header_len;
	/* minimum_instruction_length, [maximum_operations_per_instruction], default_is_stmt,
	 * line_base, line_range */
	skip(&c, version >= 4 ? 5 : 4);
	opcode_base = (unsigned)fixed(&c, 1);
	skip(&c, opcode_base ? opcode_base - 1 : 0); /* standard_opcode_lengths */
	if (version == 5)
		tables_v5(&c, offset_size);
	else
		tables_v4(&c);
out:
	if (why)
		*why = c.bad ? c.why : NULL;
	return c.bad ? -1 : 0;
}
