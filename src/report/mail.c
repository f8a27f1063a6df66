/*
 * mail.c - header values, addresses and mbox framing for mails written from a repository's
 * text; see mail.h. The rule throughout: what reaches a header is rebuilt from checked
 * pieces, never copied through.
 */
#include "mail.h"

#include "escape.h"

#include <string.h>
#include <time.h>

#define LINE_MAX_SOFT 78 /* RFC 5322 2.1.1: lines SHOULD be no longer */
#define VALUE_MAX 1000 /* bytes of a value kept: a header stays far below the 998 limit */

/*
 * s made safe for a header: control characters (C0 with CR, LF and TAB, DEL, C1) become
 * blanks, bytes that do not start a valid UTF-8 character U+FFFD; cut at about VALUE_MAX
 * bytes, between two characters.
 */
static void sanitize(struct strbuf *sb, const char *s)
{
	strbuf_reset(sb);
	while (s && *s && sb->len < VALUE_MAX) {
		unsigned char c = (unsigned char)*s;
		size_t n = kb_utf8_len(s);

		if (!n) {
			strbuf_addstr(sb, "\xef\xbf\xbd");
			s++;
		} else if (c < 0x20 || c == 0x7f ||
			   (n == 2 && c == 0xc2 && (unsigned char)s[1] < 0xa0)) {
			strbuf_addch(sb, ' ');
			s += n;
		} else {
			strbuf_add(sb, s, n);
			s += n;
		}
	}
}

static int needs_encoding(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80 || (s[0] == '=' && s[1] == '?'))
			return 1;
	return 0;
}

static void base64(struct strbuf *sb, const unsigned char *p, size_t n)
{
	static const char b64[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t i;

	for (i = 0; i + 2 < n; i += 3) {
		strbuf_addch(sb, b64[p[i] >> 2]);
		strbuf_addch(sb, b64[((p[i] & 3) << 4) | (p[i + 1] >> 4)]);
		strbuf_addch(sb, b64[((p[i + 1] & 15) << 2) | (p[i + 2] >> 6)]);
		strbuf_addch(sb, b64[p[i + 2] & 63]);
	}
	if (n - i == 1) {
		strbuf_addch(sb, b64[p[i] >> 2]);
		strbuf_addch(sb, b64[(p[i] & 3) << 4]);
		strbuf_addstr(sb, "==");
	} else if (n - i == 2) {
		strbuf_addch(sb, b64[p[i] >> 2]);
		strbuf_addch(sb, b64[((p[i] & 3) << 4) | (p[i + 1] >> 4)]);
		strbuf_addch(sb, b64[(p[i + 1] & 15) << 2]);
		strbuf_addch(sb, '=');
	}
}

/*
 * Appends s (sanitized, valid UTF-8) as RFC 2047 encoded words, each of whole characters;
 * the first fits in first columns, the others in 75 (each after fold, "\n " or " ").
 */
static void encoded_words(struct strbuf *sb, const char *s, size_t first, const char *fold)
{
	size_t room = first < 24 ? 24 : first;
	int any = 0;

	while (*s) {
		size_t max = (room - 12) / 4 * 3, n = 0, k;

		if (max > 45)
			max = 45; /* an encoded word is at most 75 characters */
		while (s[n] && (k = kb_utf8_len(s + n)) && n + k <= max)
			n += k;
		if (!n) /* s is valid UTF-8 (sanitize), a character is at most 4 bytes */
			n = kb_utf8_len(s) ? kb_utf8_len(s) : 1;
		if (any)
			strbuf_addstr(sb, fold);
		strbuf_addstr(sb, "=?UTF-8?B?");
		base64(sb, (const unsigned char *)s, n);
		strbuf_addstr(sb, "?=");
		s += n;
		any = 1;
		room = 75;
	}
}

void kb_mail_header(FILE *f, const char *field, const char *value)
{
	struct strbuf v = STRBUF_INIT, out = STRBUF_INIT;
	size_t col = strlen(field) + 2;

	sanitize(&v, value);
	if (needs_encoding(v.buf)) {
		encoded_words(&out, v.buf, LINE_MAX_SOFT - col, "\n ");
	} else {
		/* folded before a blank when the word after it would pass the soft limit */
		const char *p = v.buf;

		while (*p) {
			const char *sp = strchr(p + (*p == ' '), ' ');
			size_t n = sp ? (size_t)(sp - p) : strlen(p);

			if (*p == ' ' && col + n > LINE_MAX_SOFT && col > strlen(field) + 2) {
				strbuf_addch(&out, '\n');
				col = 0;
			}
			strbuf_add(&out, p, n);
			col += n;
			p += n;
		}
	}
	fprintf(f, "%s: %s\n", field, out.buf);
	strbuf_release(&v);
	strbuf_release(&out);
}

static int addr_byte_ok(unsigned char c)
{
	return c > 0x20 && c < 0x7f && !strchr("\"\\()<>[],;:@", c);
}

int kb_mail_addr_ok(const char *addr)
{
	const char *at = strchr(addr, '@'), *p;

	if (!at || at == addr || !at[1] || strlen(addr) > 254)
		return 0;
	for (p = addr; *p; p++)
		if (p != at && !addr_byte_ok((unsigned char)*p))
			return 0;
	return 1;
}

static void trim_add(struct strbuf *sb, const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	/* a name MAINTAINERS or git quoted: the quotes are not part of it */
	if (end - p >= 2 && *p == '"' && end[-1] == '"') {
		p++;
		end--;
	}
	strbuf_add(sb, p, (size_t)(end - p));
}

int kb_mail_mailbox(const char *text, struct strbuf *name, struct strbuf *addr)
{
	const char *lt = strchr(text, '<'), *gt;

	strbuf_reset(name);
	strbuf_reset(addr);
	if (lt && (gt = strchr(lt, '>'))) {
		trim_add(name, text, lt);
		trim_add(addr, lt + 1, gt);
	} else {
		const char *p = text + strspn(text, " \t");

		strbuf_add(addr, p, strcspn(p, " \t"));
	}
	if (kb_mail_addr_ok(addr->buf))
		return 0;
	strbuf_reset(name);
	strbuf_reset(addr);
	return -1;
}

/* atext (RFC 5322 3.2.3) and the blank between words: a phrase that needs no quotes */
static int atoms_only(const char *s)
{
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || strchr("!#$%&'*+-/=?^_`{|}~ ", *s)))
			return 0;
	return 1;
}

void kb_mail_add_mailbox(struct strbuf *sb, const char *name, const char *addr)
{
	struct strbuf n = STRBUF_INIT;
	const char *p;

	sanitize(&n, name);
	p = n.buf + strspn(n.buf, " ");
	memmove(n.buf, p, strlen(p) + 1);
	strbuf_setlen(&n, strlen(n.buf));
	while (n.len && n.buf[n.len - 1] == ' ')
		strbuf_setlen(&n, n.len - 1);
	if (!n.len) {
		strbuf_addstr(sb, addr);
	} else if (needs_encoding(n.buf)) {
		encoded_words(sb, n.buf, 75, " ");
		strbuf_addf(sb, " <%s>", addr);
	} else if (atoms_only(n.buf)) {
		strbuf_addf(sb, "%s <%s>", n.buf, addr);
	} else {
		strbuf_addch(sb, '"');
		for (p = n.buf; *p; p++) {
			if (*p == '"' || *p == '\\')
				strbuf_addch(sb, '\\');
			strbuf_addch(sb, *p);
		}
		strbuf_addf(sb, "\" <%s>", addr);
	}
	strbuf_release(&n);
}

void kb_mail_address_header(FILE *f, const char *field, const char *list)
{
	size_t col = strlen(field) + 2;
	const char *p = list;
	int first = 1;

	fprintf(f, "%s: ", field);
	while (*p) {
		const char *e = strchrnul(p, '\n');
		size_t n = (size_t)(e - p);

		if (!first) {
			fputc(',', f);
			col++;
			if (col + 1 + n > LINE_MAX_SOFT) {
				fputc('\n', f);
				col = 0;
			}
			fputc(' ', f);
			col++;
		}
		fwrite(p, 1, n, f);
		col += n;
		first = 0;
		p = *e ? e + 1 : e;
	}
	fputc('\n', f);
}

void kb_mail_date(int64_t t, char buf[40])
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!gmtime_r(&tt, &tm) || !strftime(buf, 40, "%a, %d %b %Y %H:%M:%S +0000", &tm))
		snprintf(buf, 40, "Thu, 01 Jan 1970 00:00:00 +0000");
}

void kb_mbox_from_line(FILE *f, const char *addr, int64_t t)
{
	time_t tt = (time_t)t;
	char when[40];
	struct tm tm;

	if (!gmtime_r(&tt, &tm) || !strftime(when, sizeof(when), "%a %b %e %H:%M:%S %Y", &tm))
		snprintf(when, sizeof(when), "Thu Jan  1 00:00:00 1970");
	fprintf(f, "From %s %s\n", kb_mail_addr_ok(addr) ? addr : "MAILER-DAEMON", when);
}

void kb_mbox_body(FILE *f, const char *body, size_t len)
{
	const char *p = body, *end = body + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p), q = 0;

		while (q < n && p[q] == '>')
			q++;
		if (n - q >= 5 && !memcmp(p + q, "From ", 5))
			fputc('>', f);
		fwrite(p, 1, n, f);
		fputc('\n', f);
		p += n + (nl != NULL);
	}
	fputc('\n', f);
}
