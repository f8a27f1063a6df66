/*
 * json.c - JSON values as every report writes them; see json.h.
 */
#include "json.h"

#include "escape.h"
#include "image.h"

#include <stdio.h>

#define KB_JSON_BYTE_BASE 0xf700 /* byte b is written as U+F700 + b */

json_t *kb_json_u64(uint64_t v)
{
	return json_integer((json_int_t)v);
}

json_t *kb_json_classes(const uint64_t *cls)
{
	json_t *o = json_object();
	int c;

	for (c = 0; c < KB_CLS_NR; c++)
		json_object_set_new(o, kb_class_name(c), kb_json_u64(cls[c]));
	return o;
}

json_t *kb_json_addr(uint64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)v);
	return json_string(buf);
}

/* Whether the n bytes of UTF-8 at s are one of U+F780..U+F7FF (EF 9E 80..EF 9F BF). */
static int is_byte_char(const unsigned char *s, size_t n)
{
	return n == 3 && s[0] == 0xef && (s[1] == 0x9e || s[1] == 0x9f);
}

static void add_byte_char(struct strbuf *sb, unsigned char b)
{
	unsigned cp = KB_JSON_BYTE_BASE + b;

	strbuf_addch(sb, (char)(0xe0 | cp >> 12));
	strbuf_addch(sb, (char)(0x80 | ((cp >> 6) & 0x3f)));
	strbuf_addch(sb, (char)(0x80 | (cp & 0x3f)));
}

json_t *kb_json_str(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	struct strbuf sb = STRBUF_INIT;
	json_t *j;

	if (!s)
		return json_null();
	while (*s && *s < 0x80)
		s++;
	if (!*s) /* ASCII, as nearly every name is: nothing to escape, nothing to check */
		return json_stringn_nocheck(str, (size_t)(s - (const unsigned char *)str));
	strbuf_add(&sb, str, (size_t)(s - (const unsigned char *)str));
	while (*s) {
		size_t n = kb_utf8_len((const char *)s), i;

		if (n && !is_byte_char(s, n)) {
			strbuf_add(&sb, s, n);
		} else {
			n = n ? n : 1;
			for (i = 0; i < n; i++)
				add_byte_char(&sb, s[i]);
		}
		s += n;
	}
	/* valid UTF-8 by construction */
	j = json_stringn_nocheck(sb.buf, sb.len);
	strbuf_release(&sb);
	return j;
}

int kb_json_str_bytes(const char *utf8, size_t len, struct strbuf *sb)
{
	const unsigned char *s = (const unsigned char *)utf8, *end = s + len;

	while (s < end) {
		size_t n = *s ? kb_utf8_len((const char *)s) : 1;

		if (!n || n > (size_t)(end - s))
			return -1;
		if (is_byte_char(s, n))
			strbuf_addch(sb, (char)((((s[1] & 0x3f) << 6) | (s[2] & 0x3f)) & 0xff));
		else
			strbuf_add(sb, s, n);
		s += n;
	}
	return 0;
}
