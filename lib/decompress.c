/*
 * decompress.c - gzip (zlib), xz (liblzma) and zstd (libzstd) streams into memory; see
 * decompress.h. The output grows by doubling up to the cap, so a small image costs little
 * and a bomb stops at the cap.
 */
#include "decompress.h"

#include "error.h"
#include "size.h"
#include "xalloc.h"

#include <lzma.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

static const struct {
	const char *name;
	unsigned char magic[6];
	size_t len;
} formats[] = {
	[KB_COMP_NONE] = { "uncompressed", { 0 }, 0 },
	[KB_COMP_GZIP] = { "gzip", { 0x1f, 0x8b }, 2 },
	[KB_COMP_XZ] = { "xz", { 0xfd, '7', 'z', 'X', 'Z', 0x00 }, 6 },
	[KB_COMP_ZSTD] = { "zstd", { 0x28, 0xb5, 0x2f, 0xfd }, 4 },
};

enum kb_compression kb_compression_sniff(const void *buf, size_t len)
{
	size_t i;

	for (i = KB_COMP_GZIP; i < ARRAY_SIZE(formats); i++)
		if (len >= formats[i].len && !memcmp(buf, formats[i].magic, formats[i].len))
			return (enum kb_compression)i;
	return KB_COMP_NONE;
}

const char *kb_compression_name(enum kb_compression c)
{
	return (unsigned)c < ARRAY_SIZE(formats) ? formats[c].name : "?";
}

int kb_decompress_limit(uint64_t *out)
{
	const char *s = getenv("KBLOAT_DECOMPRESS_LIMIT");

	*out = KB_DECOMPRESS_LIMIT_DEFAULT;
	if (!s || !*s)
		return 0;
	if (kb_parse_size(s, out) || !*out)
		return kb_error_set("KBLOAT_DECOMPRESS_LIMIT: '%s' is not a size (e.g. 512M, 4G)",
				    s);
	return 0;
}

/* The output buffer: grows by doubling, never past the cap. */
struct outbuf {
	unsigned char *p;
	size_t len, alloc;
	uint64_t limit;
};

/* Makes room for more output; 0 if the cap is reached. */
static int outbuf_grow(struct outbuf *o)
{
	size_t want;

	if (o->alloc >= o->limit || o->alloc > SIZE_MAX / 2)
		return 0;
	want = o->alloc ? o->alloc * 2 : 1 << 16;
	if (want > o->limit)
		want = (size_t)o->limit;
	o->p = xrealloc(o->p, want);
	o->alloc = want;
	return 1;
}

static int too_big(const char *name, enum kb_compression c, uint64_t limit)
{
	return kb_error_set("%s: the %s stream decompresses to more than %llu bytes "
			    "(KBLOAT_DECOMPRESS_LIMIT)",
			    name, kb_compression_name(c), (unsigned long long)limit);
}

static int corrupt(const char *name, enum kb_compression c, const char *why)
{
	return kb_error_set("%s: truncated or corrupt %s stream (%s)", name, kb_compression_name(c),
			    why);
}

/* 1 if [p, p + len) is all zero bytes: padding that gzip -d accepts after a stream. */
static int all_zero(const unsigned char *p, size_t len)
{
	while (len && !*p)
		p++, len--;
	return !len;
}

static int gunzip(struct outbuf *o, const unsigned char *in, size_t len, const char *name)
{
	z_stream z;
	int ret, rc = KB_ERR;

	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, 15 + 16) != Z_OK)
		return kb_error_set("%s: cannot start zlib", name);
	z.next_in = (Bytef *)in;
	for (;;) {
		/* zlib counts in uInt: feed at most 1 GiB at a time */
		if (!z.avail_in) {
			size_t left = len - (size_t)(z.next_in - in);

			z.avail_in = (uInt)(left > (1u << 30) ? (1u << 30) : left);
		}
		if (o->len == o->alloc && !outbuf_grow(o)) {
			too_big(name, KB_COMP_GZIP, o->limit);
			goto out;
		}
		z.next_out = o->p + o->len;
		z.avail_out =
			(uInt)((o->alloc - o->len) > (1u << 30) ? (1u << 30) : (o->alloc - o->len));
		{
			uInt before = z.avail_out;

			ret = inflate(&z, Z_NO_FLUSH);
			o->len += before - z.avail_out;
		}
		if (ret == Z_STREAM_END) {
			size_t used = (size_t)(z.next_in - in);

			if (used == len || all_zero(in + used, len - used))
				break;
			if (kb_compression_sniff(in + used, len - used) != KB_COMP_GZIP) {
				kb_error_set("%s: %zu bytes after the end of the gzip stream that "
					     "are not another one",
					     name, len - used);
				goto out;
			}
			inflateReset(&z); /* a concatenated member, as gzip -d reads it */
			continue;
		}
		if (ret == Z_BUF_ERROR && z.avail_out) { /* input ran out before the end */
			corrupt(name, KB_COMP_GZIP, "it ends before its end marker");
			goto out;
		}
		if (ret != Z_OK && ret != Z_BUF_ERROR) {
			corrupt(name, KB_COMP_GZIP, z.msg ? z.msg : "zlib refused it");
			goto out;
		}
	}
	rc = 0;
out:
	inflateEnd(&z);
	return rc;
}

static int unxz(struct outbuf *o, const unsigned char *in, size_t len, const char *name)
{
	lzma_stream s = LZMA_STREAM_INIT;
	lzma_ret ret;
	int rc = KB_ERR;

	if (lzma_stream_decoder(&s, UINT64_MAX, LZMA_CONCATENATED) != LZMA_OK)
		return kb_error_set("%s: cannot start liblzma", name);
	s.next_in = in;
	s.avail_in = len;
	for (;;) {
		if (o->len == o->alloc && !outbuf_grow(o)) {
			too_big(name, KB_COMP_XZ, o->limit);
			goto out;
		}
		s.next_out = o->p + o->len;
		s.avail_out = o->alloc - o->len;
		ret = lzma_code(&s, LZMA_FINISH);
		o->len = o->alloc - s.avail_out;
		if (ret == LZMA_STREAM_END)
			break;
		if (ret == LZMA_OK)
			continue;
		if (ret == LZMA_BUF_ERROR && s.avail_out) {
			corrupt(name, KB_COMP_XZ, "it ends before its end marker");
			goto out;
		}
		if (ret != LZMA_BUF_ERROR) {
			corrupt(name, KB_COMP_XZ,
				ret == LZMA_DATA_ERROR	 ? "bad data" :
				ret == LZMA_FORMAT_ERROR ? "bad format" :
				ret == LZMA_MEM_ERROR	 ? "out of memory" :
							   "liblzma refused it");
			goto out;
		}
	}
	rc = 0;
out:
	lzma_end(&s);
	return rc;
}

static int unzstd(struct outbuf *o, const unsigned char *in, size_t len, const char *name)
{
	ZSTD_DCtx *d = ZSTD_createDCtx();
	ZSTD_inBuffer ib = { in, len, 0 };
	size_t ret = 1;
	int rc = KB_ERR;

	if (!d)
		return kb_error_set("%s: cannot start libzstd", name);
	while (ib.pos < ib.size || ret) {
		ZSTD_outBuffer ob;

		if (o->len == o->alloc && !outbuf_grow(o)) {
			too_big(name, KB_COMP_ZSTD, o->limit);
			goto out;
		}
		ob.dst = o->p;
		ob.size = o->alloc;
		ob.pos = o->len;
		ret = ZSTD_decompressStream(d, &ob, &ib);
		o->len = ob.pos;
		if (ZSTD_isError(ret)) {
			corrupt(name, KB_COMP_ZSTD, ZSTD_getErrorName(ret));
			goto out;
		}
		/* all input read, the frame not finished, and room left: it was cut short */
		if (ret && ib.pos == ib.size && ob.pos < ob.size) {
			corrupt(name, KB_COMP_ZSTD, "it ends before its last frame does");
			goto out;
		}
	}
	rc = 0;
out:
	ZSTD_freeDCtx(d);
	return rc;
}

int kb_decompress(void **out, size_t *outlen, const void *in, size_t len, enum kb_compression c,
		  uint64_t limit, const char *name)
{
	struct outbuf o = { NULL, 0, 0, limit };
	int rc;

	*out = NULL;
	*outlen = 0;
	switch (c) {
	case KB_COMP_GZIP:
		rc = gunzip(&o, in, len, name);
		break;
	case KB_COMP_XZ:
		rc = unxz(&o, in, len, name);
		break;
	case KB_COMP_ZSTD:
		rc = unzstd(&o, in, len, name);
		break;
	default:
		return kb_error_set("%s: not a compressed stream", name);
	}
	if (rc) {
		free(o.p);
		return rc;
	}
	*out = o.p ? o.p : xmalloc(1);
	*outlen = o.len;
	return 0;
}
