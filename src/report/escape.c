/*
 * escape.c - escaping for text, Markdown, HTML and XML; see escape.h.
 */
#include "escape.h"
#include "strtab.h"

#include <ctype.h>
#include <stdint.h>
#include <string.h>

#include "xalloc.h"

size_t kb_utf8_len(const char *p)
{
	const unsigned char *s = (const unsigned char *)p;
	size_t n, i;
	unsigned cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80) /* a NUL stops here too */
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

/* How a language writes the characters it must not hold as they are. */
enum lang { HTML, XML, TEXT, MD };

static void add_hex(struct strbuf *sb, unsigned char c)
{
	strbuf_addf(sb, "\\x%02x", c);
}

/* The entity or backslash escape of an ASCII character c in lang, or NULL. */
static const char *ascii_escape(unsigned char c, enum lang lang)
{
	static const char md_punct[] = "\\`*_[]<>|~&!#";

	switch (lang) {
	case HTML:
	case XML:
		return c == '&'	 ? "&amp;" :
		       c == '<'	 ? "&lt;" :
		       c == '>'	 ? "&gt;" :
		       c == '"'	 ? "&quot;" :
		       c == '\'' ? (lang == XML ? "&apos;" : "&#39;") :
				   NULL;
	case MD:
		return c && strchr(md_punct, c) ? "\\" : NULL;
	default:
		return NULL;
	}
}

/* Whether the valid character at s (n bytes) must be written as \xNN bytes in lang. */
static int is_control(const unsigned char *s, size_t n, enum lang lang)
{
	if (n == 1) {
		if (s[0] == 0x7f) /* XML 1.0 holds DEL and C1, but nothing of ours needs them */
			return 1;
		if (s[0] >= 0x20)
			return 0;
		/* markup keeps its tabs and line ends; a text field or cell does not */
		return !((lang == HTML || lang == XML) &&
			 (s[0] == '\t' || s[0] == '\n' || s[0] == '\r'));
	}
	if (n == 2 && s[0] == 0xc2 && s[1] < 0xa0) /* C1: U+0080..U+009F */
		return 1;
	/* U+FFFE, U+FFFF: not XML characters */
	return n == 3 && s[0] == 0xef && s[1] == 0xbf && s[2] >= 0xbe && lang == XML;
}

static void escape_add(struct strbuf *sb, const char *str, enum lang lang)
{
	const unsigned char *s = (const unsigned char *)str, *start = s;

	while (s && *s) {
		size_t n = kb_utf8_len((const char *)s), i;
		const char *e;

		if (!n) {
			add_hex(sb, *s++);
			continue;
		}
		if (is_control(s, n, lang)) {
			for (i = 0; i < n; i++)
				add_hex(sb, s[i]);
		} else if (lang == MD && *s == '_' && s > start && isalnum(s[-1]) &&
			   isalnum(s[1])) {
			strbuf_addch(sb, '_'); /* within a word, _ is no emphasis */
		} else if (n == 1 && (e = ascii_escape(*s, lang))) {
			strbuf_addstr(sb, e);
			if (lang == MD)
				strbuf_addch(sb, (char)*s);
		} else {
			strbuf_add(sb, s, n);
		}
		s += n;
	}
}

static void escape(FILE *f, const char *s, enum lang lang)
{
	struct strbuf sb = STRBUF_INIT;

	escape_add(&sb, s, lang);
	fwrite(sb.buf, 1, sb.len, f);
	strbuf_release(&sb);
}

void kb_escape_html(FILE *f, const char *s)
{
	escape(f, s, HTML);
}

void kb_escape_xml(FILE *f, const char *s)
{
	escape(f, s, XML);
}

const char *kb_text(struct strbuf *sb, const char *s)
{
	strbuf_reset(sb);
	escape_add(sb, s, TEXT);
	return sb->buf;
}

const char *kb_text_cut(struct strbuf *sb, const char *s, size_t max)
{
	size_t len = 0, n;

	/* printable ASCII is itself: a field that is only that up to the cut is copied */
	while (s && len < max && s[len] >= 0x20 && s[len] < 0x7f)
		len++;
	if (s && (len == max || !s[len])) {
		strbuf_reset(sb);
		strbuf_add(sb, s, len);
		return sb->buf;
	}
	len = 0;
	kb_text(sb, s);
	while (len < sb->len && (n = kb_utf8_len(sb->buf + len)) && len + n <= max)
		len += n;
	strbuf_setlen(sb, len);
	return sb->buf;
}

void kb_escape_text(FILE *f, const char *s)
{
	escape(f, s, TEXT);
}

void kb_escape_gnuplot(FILE *f, const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	kb_text(&sb, s ? s : "");
	for (i = 0; i < sb.len; i++)
		if (sb.buf[i] == '"')
			sb.buf[i] = '\'';
	fprintf(f, "\"%s\"", sb.buf);
	strbuf_release(&sb);
}

const char *kb_md(struct strbuf *sb, const char *s)
{
	strbuf_reset(sb);
	escape_add(sb, s, MD);
	return sb->buf;
}

/* The longest run of backticks in s. */
static size_t backtick_run(const char *s)
{
	size_t run = 0, max = 0;

	for (; s && *s; s++) {
		run = *s == '`' ? run + 1 : 0;
		if (run > max)
			max = run;
	}
	return max;
}

const char *kb_md_code(struct strbuf *sb, const char *s)
{
	struct strbuf body = STRBUF_INIT;
	size_t fence = backtick_run(s) + 1, i;
	int pad;

	/* in code, only what would end the span, the cell or the line needs escaping */
	escape_add(&body, s, TEXT);
	strbuf_reset(sb);
	strbuf_addchars(sb, '`', fence);
	/* a space keeps a backtick at either end from joining the fence (and is dropped) */
	pad = !body.len || (body.buf[0] == '`' || body.buf[body.len - 1] == '`' ||
			    (body.buf[0] == ' ' && body.buf[body.len - 1] == ' '));
	if (pad)
		strbuf_addch(sb, ' ');
	for (i = 0; i < body.len; i++) {
		/* GFM reads \\ before | as an escaped \, leaving the | to end the cell */
		if (body.buf[i] == '\\' && body.buf[i + 1] == '|') {
			strbuf_addstr(sb, "\\x5c");
			continue;
		}
		if (body.buf[i] == '|')
			strbuf_addch(sb, '\\');
		strbuf_addch(sb, body.buf[i]);
	}
	if (pad)
		strbuf_addch(sb, ' ');
	strbuf_addchars(sb, '`', fence);
	strbuf_release(&body);
	return sb->buf;
}

#define FILE_NAME_MAX 100 /* bytes of a name kept in a file name */

void kb_file_name(struct strbuf *sb, const char *name)
{
	size_t start = sb->len, len = strlen(name);

	strbuf_add_filename(sb, name);
	if (len && len <= FILE_NAME_MAX && !strcmp(sb->buf + start, name) && strcmp(name, ".") &&
	    strcmp(name, ".."))
		return;
	if (sb->len - start > FILE_NAME_MAX)
		strbuf_setlen(sb, start + FILE_NAME_MAX);
	strbuf_addf(sb, "~%08x", kb_strhash(name, len));
}

char **kb_file_names(const char *const *names, size_t n)
{
	char **v = xcalloc(n + 1, sizeof(*v));
	struct strbuf sb = STRBUF_INIT;
	size_t i, j, k;

	for (i = 0; i < n; i++) {
		strbuf_reset(&sb);
		kb_file_name(&sb, names[i]);
		for (k = 2;; k++) {
			for (j = 0; j < i && strcmp(v[j], sb.buf); j++)
				;
			if (j == i)
				break;
			strbuf_addf(&sb, "~%zu", k);
		}
		v[i] = xstrdup(sb.buf);
	}
	strbuf_release(&sb);
	return v;
}
