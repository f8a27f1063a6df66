/*
 * decompress.h - gzip, xz and zstd streams into memory, told apart by their magic bytes
 * (never by a file's name), with a cap on what a stream may grow to.
 *
 * Promises: a stream that ends early, is corrupt, or is followed by bytes that are not
 * another stream of its format is an error naming the thing; so is one that would grow
 * past the cap (an xz bomb stops at the cap, it does not fill memory first).
 */
#ifndef KB_DECOMPRESS_H
#define KB_DECOMPRESS_H

#include <stddef.h>
#include <stdint.h>

enum kb_compression { KB_COMP_NONE, KB_COMP_GZIP, KB_COMP_XZ, KB_COMP_ZSTD };

/* The format whose magic begins buf, or KB_COMP_NONE. */
enum kb_compression kb_compression_sniff(const void *buf, size_t len);
const char *kb_compression_name(enum kb_compression c);

/* The default cap: 4 GiB, more than any vmlinux with DWARF that kbloat has met (630 MB). */
#define KB_DECOMPRESS_LIMIT_DEFAULT ((uint64_t)4 << 30)

/*
 * The cap on one stream's decompressed size: $KBLOAT_DECOMPRESS_LIMIT (a size: 64M, 2G)
 * if set, else KB_DECOMPRESS_LIMIT_DEFAULT. A value that is not a size is an error.
 */
int kb_decompress_limit(uint64_t *out);

/*
 * Decompresses the whole of [in, in + len), a stream of format c (concatenated streams of
 * one format are read as one, as gzip -d and xz -d read them), into a malloc'd *out of
 * *outlen bytes that the caller frees. At most limit bytes are produced. Errors name name
 * ("vmlinux.gz: truncated or corrupt gzip stream") and leave *out NULL.
 */
int kb_decompress(void **out, size_t *outlen, const void *in, size_t len, enum kb_compression c,
		  uint64_t limit, const char *name);

#endif
