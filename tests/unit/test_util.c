/*
 * test_util.c - the util layer: strbuf growth and formatting, interning identity and ids,
 * arena strings, what a commit sha is.
 */
#include "check.h"

#include "arena.h"
#include "error.h"
#include "sha.h"
#include "strbuf.h"
#include "size.h"
#include "strtab.h"
#include "xalloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void strbuf_grows_and_formats(void)
{
	struct strbuf sb = STRBUF_INIT;
	int i;

	CHECK_STR(sb.buf, "");
	for (i = 0; i < 1000; i++)
		strbuf_addf(&sb, "%d,", i);
	CHECK(sb.len > 3000);
	CHECK(!strncmp(sb.buf, "0,1,2,", 6));
	CHECK(!strcmp(sb.buf + sb.len - 4, "999,"));
	strbuf_setlen(&sb, 2);
	CHECK_STR(sb.buf, "0,");
	strbuf_addchars(&sb, 'x', 3);
	CHECK_STR(sb.buf, "0,xxx");
	strbuf_release(&sb);
	CHECK_U64(sb.len, 0);
}

/* config names, subsystems and paths become file names of collect's and site's */
static void names_become_file_names(void)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_add_filename(&sb, "defconfig+/tmp/x.config");
	CHECK(!strcmp(sb.buf, "defconfig__tmp_x.config"));
	strbuf_reset(&sb);
	strbuf_add_filename(&sb, "X86 ARCHITECTURE (32-BIT <b>)");
	CHECK(!strcmp(sb.buf, "X86_ARCHITECTURE__32-BIT__b__"));
	strbuf_release(&sb);
}

static void strtab_interns_once(void)
{
	struct kb_strtab t = KB_STRTAB_INIT;
	const char *a, *b;
	char name[32];
	uint32_t ids[5000];
	int i;

	for (i = 0; i < 5000; i++) {
		snprintf(name, sizeof(name), "sym_%d", i);
		ids[i] = kb_strtab_intern(&t, name, strlen(name), NULL);
	}
	CHECK_U64(t.nr, 5000);
	for (i = 0; i < 5000; i++) {
		snprintf(name, sizeof(name), "sym_%d", i);
		CHECK_U64(kb_strtab_intern(&t, name, strlen(name), NULL), ids[i]);
		CHECK(kb_strtab_find(&t, name, strlen(name)) == (long)ids[i]);
	}
	kb_strtab_intern(&t, "foo.c", 3, &a); /* a prefix of a longer buffer: "foo" */
	kb_strtab_intern(&t, "foo", 3, &b);
	CHECK(a == b);
	CHECK_STR(a, "foo");
	CHECK(kb_strtab_find(&t, "nope", 4) == -1);
	kb_strtab_release(&t);
}

static void errors_keep_their_text(void)
{
	CHECK(kb_error_set("%s: not an ELF file", "vmlinux") < 0);
	CHECK_STR(kb_error_last(), "vmlinux: not an ELF file");
	kb_error_clear();
	CHECK_STR(kb_error_last(), "");
}

static void sizes_parse_as_people_write_them(void)
{
	static const struct {
		const char *in;
		uint64_t want;
	} ok[] = {
		{ "0", 0 },
		{ "40960", 40960 },
		{ "40K", 40960 },
		{ "40KB", 40960 },
		{ "40KiB", 40960 },
		{ "40k", 40960 },
		{ "1.5M", 1572864 },
		{ "2G", 2147483648ULL },
		{ "1.5K", 1536 },
		{ "12b", 12 },
		/* exact where a double would round (2^53 + 1), and up to the bound */
		{ "9007199254740993", 9007199254740993ULL },
		{ "9223372036854775807", 9223372036854775807ULL },
		{ "8589934591G", 9223372035781033984ULL },
		{ "0.5", 1 },
		{ "0.0001K", 0 },
		{ "1.999999999999K", 2048 },
	};
	static const char *const too_large[] = { "9223372036854775808", "8589934592G",
						 "18446744073709551616",
						 "99999999999999999999999" };
	static const char *const bad[] = { "",	  "K",	  "-4K", "40Q",	  "40 K", "4e999",
					   "nan", "0x10", ".",	 "1.2.3", "+4" };
	uint64_t v;
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		v = 0;
		CHECK(kb_parse_size(ok[i].in, &v) == 0);
		CHECK_U64(v, ok[i].want);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK(kb_parse_size(bad[i], &v) == -1);
	for (i = 0; i < sizeof(too_large) / sizeof(too_large[0]); i++)
		CHECK(kb_parse_size(too_large[i], &v) == -2);
}

/* 40 lowercase hex digits and nothing more; never a read past the string's end */
static void shas_are_forty_lowercase_hex_digits(void)
{
	static const char good[] = "0123456789abcdef0123456789abcdef01234567";
	char buf[48], *p;
	size_t i;

	CHECK(kb_is_sha(good));
	CHECK(kb_is_sha("ffffffffffffffffffffffffffffffffffffffff"));
	CHECK(!kb_is_sha(NULL));
	CHECK(!kb_is_sha(""));
	CHECK(!kb_is_sha("0123456789abcdef0123456789abcdef0123456")); /* 39 */
	CHECK(!kb_is_sha("0123456789abcdef0123456789abcdef012345678")); /* 41 */
	/* each of the 40 places takes the 16 digits and refuses every other byte */
	for (i = 0; i < 40; i++) {
		size_t ok = 0, refused = 0;
		int b;

		for (b = 0; b < 256; b++) {
			int digit = (b >= '0' && b <= '9') || (b >= 'a' && b <= 'f');

			memcpy(buf, good, sizeof(good));
			buf[i] = (char)b;
			if (kb_is_sha(buf) == digit && kb_is_hex40(buf) == digit)
				ok++;
			if (b && !digit && !kb_is_sha(buf) && !kb_is_hex40(buf))
				refused++;
		}
		CHECK_U64(ok, 256);
		CHECK_U64(refused, 256 - 16 - 1);
	}
	/* 40 digits that fill their allocation are read and no further */
	p = malloc(40);
	memcpy(p, good, 40);
	CHECK(kb_is_hex40(p));
	p[39] = 'g';
	CHECK(!kb_is_hex40(p));
	free(p);
	/* a string cut short ends at its NUL: 39 digits at the very end of an allocation */
	p = malloc(40);
	memcpy(p, good, 39);
	p[39] = 0;
	CHECK(!kb_is_sha(p));
	free(p);
}

/*
 * Strings are packed one after the other, every other allocation is aligned for any type,
 * and nothing overlaps across the blocks as they grow (64 KiB doubling to 8 MiB) and past
 * them (an allocation larger than a block).
 */
static void arena_packs_strings_and_aligns_the_rest(void)
{
	enum { N = 200000 };
	struct kb_arena a = KB_ARENA_INIT;
	static char *str[N];
	static unsigned char *num[N];
	char name[48], *big, *p, *q;
	size_t i, packed = 0, aligned = 1;

	p = kb_arena_strndup(&a, "0123456789abcdef0123456789abcdef01234567", 40);
	q = kb_arena_strndup(&a, "abc", 3);
	CHECK(q == p + 41); /* one after the other, each with its NUL */
	for (i = 0; i < N; i++) {
		size_t len = (size_t)snprintf(name, sizeof(name), "%zu-%.*s", i, (int)(i % 31),
					      "abcdefghijklmnopqrstuvwxyzABCDE");

		str[i] = kb_arena_strndup(&a, name, len);
		num[i] = kb_arena_alloc(&a, 1 + i % 24);
		aligned &= (uintptr_t)num[i] % _Alignof(max_align_t) == 0;
		memset(num[i], (int)(i & 0xff), 1 + i % 24);
		if (i && str[i] == str[i - 1] + strlen(str[i - 1]) + 1)
			packed++;
	}
	CHECK(aligned);
	CHECK(packed == 0); /* each string follows an aligned allocation */
	big = kb_arena_alloc(&a, (size_t)9 << 20);
	memset(big, 0x5a, (size_t)9 << 20);
	CHECK(big[0] == 0x5a && big[((size_t)9 << 20) - 1] == 0x5a);
	for (i = 0; i < N; i++) {
		size_t len = (size_t)snprintf(name, sizeof(name), "%zu-%.*s", i, (int)(i % 31),
					      "abcdefghijklmnopqrstuvwxyzABCDE");
		size_t k, same = 1;

		if (strcmp(str[i], name) || strlen(str[i]) != len)
			break;
		for (k = 0; k < 1 + i % 24; k++)
			same &= num[i][k] == (unsigned char)(i & 0xff);
		if (!same)
			break;
	}
	CHECK_U64(i, N);
	CHECK_STR(q, "abc");
	kb_arena_release(&a);
	CHECK(!a.head && !a.used && !a.avail);
}

/* a block of 2 MiB or more starts on a 2 MiB boundary, and is memory like any other */
static void huge_blocks_are_aligned_to_huge_pages(void)
{
	size_t sizes[] = { 1, 4096, XALLOC_HUGE - 1, XALLOC_HUGE, 3 * XALLOC_HUGE + 5 };
	size_t i;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		unsigned char *p = xmalloc_huge(sizes[i]);

		if (sizes[i] >= XALLOC_HUGE)
			CHECK((uintptr_t)p % XALLOC_HUGE == 0);
		memset(p, 0xa5, sizes[i]);
		CHECK(p[0] == 0xa5 && p[sizes[i] - 1] == 0xa5);
		free(p);
	}
}

int main(void)
{
	sizes_parse_as_people_write_them();
	strbuf_grows_and_formats();
	names_become_file_names();
	strtab_interns_once();
	errors_keep_their_text();
	shas_are_forty_lowercase_hex_digits();
	arena_packs_strings_and_aligns_the_rest();
	huge_blocks_are_aligned_to_huge_pages();
	return check_done("test_util");
}
