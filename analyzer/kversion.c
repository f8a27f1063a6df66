/*
 * kversion.c - a kernel's version from its image's banner or its tree's Makefile; see
 * kversion.h. Only the major and minor number are read; everything after them is free
 * text (local versions, distribution suffixes) that no rule here depends on.
 */
#include "kversion.h"
#include "image.h"

#include "error.h"
#include "files.h"
#include "strbuf.h"

#include <errno.h>
#include <string.h>

/* Up to 4 decimal digits at *p; advances *p. Returns -1 if there is none or more. */
static long digits(const char **p, const char *e)
{
	long v = 0;
	int n = 0;

	while (*p < e && **p >= '0' && **p <= '9') {
		if (++n > 4)
			return -1;
		v = v * 10 + (**p - '0');
		(*p)++;
	}
	return n ? v : -1;
}

/* "MAJOR.MINOR" at the start of [p, e). */
static int parse_mm(unsigned *out, const char *p, const char *e)
{
	long major, minor;

	major = digits(&p, e);
	if (major < 0 || p >= e || *p != '.')
		return 1;
	p++;
	minor = digits(&p, e);
	if (minor < 0)
		return 1;
	*out = KB_KVER(major, minor);
	return 0;
}

int kb_kver_parse(unsigned *out, const char *s)
{
	if (parse_mm(out, s, s + strlen(s)))
		return kb_error_set("%s: not a kernel version (want MAJOR.MINOR, as 6.1 or 6.12)",
				    s);
	return 0;
}

int kb_kver_of_image(unsigned *out, const struct kb_image *img)
{
	static const char prefix[] = "Linux version ";
	const size_t plen = sizeof(prefix) - 1;
	size_t i, len;

	for (i = 0; i < img->nsyms; i++) {
		const struct kb_sym *s = &img->syms[i];
		const struct kb_section *sec;
		const char *data;

		if (strcmp(s->name, "linux_banner") || !s->shndx || s->size <= plen)
			continue;
		sec = &img->secs[s->shndx];
		data = kb_image_section_data(img, sec, &len);
		if (!data || s->addr < sec->addr || s->addr - sec->addr > len ||
		    s->size > len - (s->addr - sec->addr))
			continue;
		data += s->addr - sec->addr;
		if (memcmp(data, prefix, plen))
			continue;
		if (!parse_mm(out, data + plen, data + s->size))
			return 0;
	}
	return 1;
}

/* The value of "NAME = value" at the start of a Makefile line, if this line sets NAME. */
static int assignment(const char *p, const char *e, const char *name, unsigned *val)
{
	size_t n = strlen(name);
	long v;

	if ((size_t)(e - p) <= n || memcmp(p, name, n))
		return 0;
	p += n;
	while (p < e && (*p == ' ' || *p == '\t'))
		p++;
	if (p < e && (*p == ':' || *p == '?'))
		p++;
	if (p >= e || *p != '=')
		return 0;
	p++;
	while (p < e && (*p == ' ' || *p == '\t'))
		p++;
	v = digits(&p, e);
	if (v < 0)
		return 0;
	*val = (unsigned)v;
	return 1;
}

int kb_kver_of_makefile(unsigned *out, const char *text, size_t len)
{
	const char *p = text, *e = text + len;
	unsigned version = 0, patchlevel = 0;
	int have_v = 0, have_p = 0;

	while (p < e && !(have_v && have_p)) {
		const char *nl = memchr(p, '\n', e - p), *le = nl ? nl : e;

		if (!have_v)
			have_v = assignment(p, le, "VERSION", &version);
		if (!have_p)
			have_p = assignment(p, le, "PATCHLEVEL", &patchlevel);
		p = nl ? nl + 1 : e;
	}
	if (!have_v || !have_p)
		return 1;
	*out = KB_KVER(version, patchlevel);
	return 0;
}

int kb_kver_of_tree(unsigned *out, const char *dir)
{
	struct strbuf path = STRBUF_INIT, text = STRBUF_INIT;
	int ret = 0;

	strbuf_addf(&path, "%s/Makefile", dir);
	if (strbuf_read_file(&text, path.buf) < 0)
		ret = kb_error_set("%s: cannot read: %s", path.buf, kb_strerror(errno));
	else if (kb_kver_of_makefile(out, text.buf, text.len))
		ret = kb_error_set("%s: no VERSION and PATCHLEVEL (not a kernel tree's Makefile)",
				   path.buf);
	strbuf_release(&path);
	strbuf_release(&text);
	return ret;
}
