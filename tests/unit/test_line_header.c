// SPDX-License-Identifier: GPL-2.0
/*
 * test_line_header.c - kb_line_header_check on line table headers built here (DWARF 4 and
 * 5, 32- and 64-bit offsets, either byte order), on every truncation of them, and on every
 * unit of the fixtures' .debug_line as gcc wrote them (none may be refused).
 */
#include "check.h"
#include "image.h"
#include "line_header.h"

#include <stdlib.h>

struct buf {
	unsigned char b[1024];
	size_t n;
	int msb;
};

static void put(struct buf *b, uint64_t v, size_t size)
{
	size_t i;

	for (i = 0; i < size; i++)
		b->b[b->n + i] = (unsigned char)(v >> (8 * (b->msb ? size - 1 - i : i)));
	b->n += size;
}

static void patch(struct buf *b, size_t at, uint64_t v, size_t size)
{
	size_t n = b->n;

	b->n = at;
	put(b, v, size);
	b->n = n;
}

static void uleb(struct buf *b, uint64_t v)
{
	do {
		unsigned char c = v & 0x7f;

		v >>= 7;
		b->b[b->n++] = c | (v ? 0x80 : 0);
	} while (v);
}

static void str(struct buf *b, const char *s)
{
	size_t n = strlen(s) + 1;

	memcpy(b->b + b->n, s, n);
	b->n += n;
}

/*
 * A line table unit of version 4 or 5 with ndirs directories and nfiles files, file i in
 * directory dir[i]; form_path is the form of a file's path in DWARF 5 (0x08 string, 0x1f
 * line_strp). Returns the offset at which the header's tables end.
 */
static size_t unit(struct buf *b, int version, int off64, unsigned ndirs, const unsigned *dir,
		   unsigned nfiles, unsigned form_path)
{
	size_t osz = off64 ? 8 : 4, len_at, hdr_at, end;
	unsigned i;

	if (off64)
		put(b, 0xffffffff, 4);
	len_at = b->n;
	put(b, 0, osz);
	put(b, (uint64_t)version, 2);
	if (version == 5) {
		put(b, 8, 1); /* address_size */
		put(b, 0, 1); /* segment_selector_size */
	}
	hdr_at = b->n;
	put(b, 0, osz);
	put(b, 1, 1); /* minimum_instruction_length */
	if (version >= 4)
		put(b, 1, 1); /* maximum_operations_per_instruction */
	put(b, 1, 1); /* default_is_stmt */
	put(b, (uint8_t)-5, 1);
	put(b, 14, 1);
	put(b, 13, 1); /* opcode_base */
	for (i = 1; i < 13; i++)
		put(b, i == 2 || i == 3 ? 1 : 0, 1);
	if (version == 5) {
		put(b, 1, 1); /* directory formats: path as a string */
		uleb(b, 1);
		uleb(b, 0x08);
		uleb(b, ndirs);
		for (i = 0; i < ndirs; i++)
			str(b, i ? "include/linux" : "/src/linux");
		put(b, 2, 1); /* file formats: path, directory index */
		uleb(b, 1);
		uleb(b, form_path);
		uleb(b, 2);
		uleb(b, 0x0f);
		uleb(b, nfiles);
		for (i = 0; i < nfiles; i++) {
			if (form_path == 0x08)
				str(b, "main.c");
			else
				put(b, 0x40 + i, osz);
			uleb(b, dir[i]);
		}
	} else {
		for (i = 0; i < ndirs; i++)
			str(b, "include/linux");
		put(b, 0, 1);
		for (i = 0; i < nfiles; i++) {
			str(b, "main.c");
			uleb(b, dir[i]);
			uleb(b, 0);
			uleb(b, 0);
		}
		put(b, 0, 1);
	}
	end = b->n;
	patch(b, hdr_at, end - hdr_at - osz, osz);
	put(b, 0x01, 1); /* a DW_LNS_copy: the program, which is not looked at */
	patch(b, len_at, b->n - len_at - osz, osz);
	return end;
}

static int check_unit(const struct buf *b, const char **why)
{
	return kb_line_header_check(b->b, b->n, b->msb, 0, why);
}

static void sound_units(void)
{
	static const unsigned dirs5[] = { 0, 1, 1 }, dirs4[] = { 0, 1, 2 };
	const char *why = "unset";
	int msb, off64, form;

	for (msb = 0; msb < 2; msb++)
		for (off64 = 0; off64 < 2; off64++)
			for (form = 0; form < 2; form++) {
				struct buf b = { .msb = msb };

				unit(&b, 5, off64, 2, dirs5, 3, form ? 0x1f : 0x08);
				CHECK(check_unit(&b, &why) == 0);
				CHECK(why == NULL);
				b.n = 0;
				unit(&b, 4, off64, 2, dirs4, 3, 0);
				CHECK(check_unit(&b, &why) == 0);
			}
}

static void directory_past_the_end(void)
{
	static const unsigned dirs5[] = { 0, 2 }, dirs4[] = { 0, 3 };
	struct buf b = { 0 };
	const char *why = NULL;

	/* DWARF 5 numbers directories from 0: index 2 of 2 is one past the end (the libdwarf
	 * 20210528 read one pointer beyond its array for it) */
	unit(&b, 5, 0, 2, dirs5, 2, 0x1f);
	CHECK(check_unit(&b, &why) == -1);
	CHECK_STR(why, "a file's directory index past the directories");
	/* DWARF 4: 0 is the compilation directory, 1..2 the two listed; 3 is past them */
	b.n = 0;
	unit(&b, 4, 0, 2, dirs4, 2, 0);
	CHECK(check_unit(&b, &why) == -1);
	CHECK_STR(why, "a file's directory index past the directories");
}

static void every_truncation(void)
{
	static const unsigned dirs[] = { 0, 1 };
	int version;

	for (version = 4; version <= 5; version++) {
		struct buf b = { 0 };
		size_t end = unit(&b, version, 0, 2, dirs, 2, 0x1f), n, refused = 0;

		/* a copy of each prefix on the heap, so that ASan sees any read past it */
		for (n = 0; n < end; n++) {
			unsigned char *p = malloc(n ? n : 1);

			memcpy(p, b.b, n);
			refused += kb_line_header_check(p, n, 0, 0, NULL) == -1;
			free(p);
		}
		CHECK_U64(refused, end);
	}
}

/*
 * The header's own length shortened byte by byte, the unit left whole: every table entry
 * then runs past the header's end, which only the parser's own bounds can see.
 */
static void every_short_header(void)
{
	static const unsigned dirs[] = { 0, 1 };
	int version;

	for (version = 4; version <= 5; version++) {
		struct buf b = { 0 };
		size_t end = unit(&b, version, 0, 2, dirs, 2, 0x08), body = version == 5 ? 12 : 10;
		/* the tables start after 6 one-byte fields and 12 opcode lengths */
		size_t k, refused = 0, tables = body + 6 + 12;

		for (k = tables; k < end; k++) {
			patch(&b, body - 4, k - body, 4);
			refused += check_unit(&b, NULL) == -1;
		}
		CHECK_U64(refused, end - tables);
		patch(&b, body - 4, end - body, 4);
		CHECK(check_unit(&b, NULL) == 0);
	}
}

static void other_faults(void)
{
	static const unsigned dirs[] = { 0 };
	struct buf b = { 0 };
	const char *why = NULL;
	size_t end;

	end = unit(&b, 5, 0, 1, dirs, 1, 0x1f);
	CHECK(kb_line_header_check(b.b, b.n, 0, b.n, &why) == -1);
	CHECK_STR(why, "offset past the section");
	CHECK(kb_line_header_check(NULL, 0, 0, 0, &why) == -1);
	patch(&b, 4, 6, 2); /* version 6 */
	CHECK(check_unit(&b, &why) == -1);
	CHECK_STR(why, "unknown version");
	patch(&b, 4, 5, 2);
	CHECK(check_unit(&b, &why) == 0);
	/* the file path's form made unknown: from the end, the entry (4-byte line_strp, dir),
	 * the count, then the formats 1 FORM 2 0x0f */
	b.b[end - 9] = 0x7f;
	CHECK(check_unit(&b, &why) == -1);
	CHECK_STR(why, "an entry format with an unknown form");
	patch(&b, 0, 0xfffffff0, 4); /* a reserved unit length */
	CHECK(check_unit(&b, &why) == -1);
	CHECK_STR(why, "reserved unit length");
}

/* every unit gcc wrote into the fixtures' .debug_line passes */
static void fixtures(void)
{
	static const char *const names[] = { "vmlinux-g4", "vmlinux-g5", "hello-g" };
	const char *dir = getenv("FIXTURES");
	size_t i, units = 0;

	CHECK(dir != NULL);
	if (!dir)
		return;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char path[4096];
		struct kb_image *img;
		const struct kb_section *s;
		const unsigned char *p;
		size_t len = 0, off = 0;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		CHECK(kb_image_open(&img, path) == 0);
		s = kb_image_section_by_name(img, ".debug_line");
		CHECK(s != NULL);
		p = s ? kb_image_section_data(img, s, &len) : NULL;
		while (p && off + 4 <= len) {
			uint32_t ul = p[off] | p[off + 1] << 8 | p[off + 2] << 16 |
				      (uint32_t)p[off + 3] << 24;
			const char *why = NULL;

			CHECK(kb_line_header_check(p, len, 0, off, &why) == 0);
			if (why)
				fprintf(stderr, "%s: unit at %zu: %s\n", names[i], off, why);
			units++;
			off += 4 + (size_t)ul;
		}
		kb_image_free(img);
	}
	/* the fixtures hold a few units each: not none */
	CHECK(units >= 6);
}

int main(void)
{
	sound_units();
	directory_past_the_end();
	every_truncation();
	every_short_header();
	other_faults();
	fixtures();
	return check_done("test_line_header");
}
