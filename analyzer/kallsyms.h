/*
 * kallsyms.h - the kallsyms table of a linked kernel read back, and scripts/kallsyms' token
 * learning done again, on all its names or on a subset.
 *
 * scripts/kallsyms writes, in .rodata: kallsyms_num_syms; kallsyms_names, per symbol a
 * length (one byte, or two from 128 on: ULEB128) and its name (type letter first)
 * compressed with 256 tokens; kallsyms_markers, the offset in the names of every 256th
 * symbol; kallsyms_token_table, each token expanded and NUL-terminated;
 * kallsyms_token_index, each token's offset in it (16 bits); kallsyms_offsets (32 bits per
 * symbol, from kallsyms_relative_base) or kallsyms_addresses (a pointer per symbol); and
 * (Linux 6.2+, 6.1 stable) kallsyms_seqs_of_names, 3 bytes per symbol.
 *
 * The tokens are learnt from the names: each byte value no name uses becomes, from 255
 * down, the pair of bytes (or tokens) that occurs most often in the names as they are then
 * compressed, and every occurrence is replaced left to right. So the bytes a name takes
 * depend on every other name in the table: a kernel with fewer symbols has tokens fitted
 * to the names left. kb_ksyms_learn does that learning again (the algorithm as Linux 6.1
 * and 6.12 have it, reimplemented); kb_ksyms_check says whether it gives this image's own
 * table back, byte for byte.
 *
 * The image is untrusted: every table is read within its section's bytes, and a table that
 * does not decode (absent, cut short, a token or length that points past its end, a name
 * that expands to nothing or past KB_KSYMS_NAME_MAX, names that expand past
 * KB_KSYMS_NAMES_MAX together) is an error, never a read past it.
 */
#ifndef KB_KALLSYMS_H
#define KB_KALLSYMS_H

#include "image.h"

#include <stddef.h>
#include <stdint.h>

#define KB_KSYMS_NAME_MAX 4096 /* an expanded name longer than this is corruption */
/* the names expanded, all together: past this, corruption (defconfig's are 3.5 MB) */
#define KB_KSYMS_NAMES_MAX ((size_t)64 << 20)

struct kb_ksyms_entry {
	uint64_t addr; /* as the kernel's kallsyms_sym_address() computes it */
	uint32_t off; /* of its length byte in kallsyms_names */
	uint32_t bytes; /* its length prefix and compressed name: its bytes in kallsyms_names */
	uint32_t name; /* its expanded name (type letter first) in kb_ksyms.names */
	uint32_t len; /* that name's length */
};

struct kb_ksyms {
	struct kb_ksyms_entry *v; /* in table order (by address) */
	size_t n;
	char *names; /* the expanded names, each NUL-terminated (owned) */
	size_t names_len;
	const unsigned char *stream; /* kallsyms_names' bytes (in the image's mapping) */
	uint64_t names_bytes; /* the sum of v[].bytes */
	char *tokens[256]; /* expanded (owned) */
	uint64_t token_bytes; /* kallsyms_token_table: the 256 tokens with their NULs */
	unsigned marker_size; /* 4 or 8 (a pointer, before Linux 6.2); 0: no markers read */
	int has_offsets, has_seqs;
};

/*
 * Decodes img's kallsyms table into *out (freed with kb_ksyms_free; it points into img's
 * bytes, so img must outlive it). absolute_percpu: CONFIG_KALLSYMS_ABSOLUTE_PERCPU (the
 * offsets' meaning). Returns KB_ERR, with kb_error_last() saying what is missing or
 * corrupt, and *out NULL, when it does not decode.
 */
int kb_ksyms_decode(struct kb_ksyms **out, const struct kb_image *img, int absolute_percpu);

/* 1 if name labels one of the tables scripts/kallsyms writes (kallsyms_offsets, _names,
 * _token_table, ...: the table's own symbols, which it leaves out of itself) */
int kb_ksyms_table_symbol(const char *name);
void kb_ksyms_free(struct kb_ksyms *k);

/* What the learning gives for a set of names. */
struct kb_ksyms_learnt {
	uint64_t names_bytes; /* the names' length prefixes and compressed bytes */
	uint64_t token_bytes; /* the token table they make, NULs included */
	size_t n; /* names */
};

/*
 * Learns the tokens from the names of k whose keep[i] is non-zero (every name when keep is
 * NULL), as scripts/kallsyms does, and says what the table's names and token table take.
 */
void kb_ksyms_learn(const struct kb_ksyms *k, const unsigned char *keep,
		    struct kb_ksyms_learnt *out);

/*
 * Learns from all of k's names and compares with the image's table: 0 when every name's
 * bytes and the token table are the image's exactly; else KB_ERR, kb_error_last() naming
 * the first difference (a kernel whose scripts/kallsyms learns otherwise).
 */
int kb_ksyms_check(const struct kb_ksyms *k);

#endif
