/*
 * dotconfig.c - reading a kernel .config; see dotconfig.h.
 */
#include "dotconfig.h"

#include "error.h"
#include "files.h"
#include "xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

static size_t name_len(const char *p, const char *end)
{
	const char *q = p;

	while (q < end && (isalnum((unsigned char)*q) || *q == '_'))
		q++;
	return (size_t)(q - p);
}

void kb_kconfig_set(struct kb_kconfig *c, const char *option, const char *value)
{
	uint32_t id = kb_strtab_intern(&c->names, option, strlen(option), NULL);

	if (id >= c->alloc) {
		size_t old = c->alloc;

		ALLOC_GROW(c->values, (size_t)id + 1, c->alloc);
		memset(c->values + old, 0, (c->alloc - old) * sizeof(*c->values));
	}
	free(c->values[id]);
	c->values[id] = xstrdup(value);
}

size_t kb_kconfig_parse(struct kb_kconfig *c, const char *text, size_t len)
{
	const char *p = text, *end = text + len;
	size_t assigned = 0;

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p)), *q;
		struct strbuf name = STRBUF_INIT, value = STRBUF_INIT;
		size_t n;

		if (!eol)
			eol = end;
		if (eol - p > 7 && !strncmp(p, "CONFIG_", 7)) {
			n = name_len(p + 7, eol);
			q = p + 7 + n;
			if (n && q < eol && *q == '=') {
				strbuf_add(&name, p + 7, n);
				strbuf_add(&value, q + 1, (size_t)(eol - q - 1));
				/* a value ends at a NUL byte, as the C string it is kept as */
				strbuf_setlen(&value, strlen(value.buf));
				while (value.len && (value.buf[value.len - 1] == '\r' ||
						     value.buf[value.len - 1] == ' '))
					strbuf_setlen(&value, value.len - 1);
				kb_kconfig_set(c, name.buf, value.buf);
				assigned++;
			}
		} else if (eol - p > 9 && !strncmp(p, "# CONFIG_", 9)) {
			n = name_len(p + 9, eol);
			q = p + 9 + n;
			if (n && (size_t)(eol - q) >= 11 && !strncmp(q, " is not set", 11)) {
				strbuf_add(&name, p + 9, n);
				kb_kconfig_set(c, name.buf, "n");
			}
		}
		strbuf_release(&name);
		strbuf_release(&value);
		p = eol + 1;
	}
	return assigned;
}

/* Reads path into c; *assigned (if not NULL) counts its CONFIG_X= lines. */
static int read_file(struct kb_kconfig *c, const char *path, size_t *assigned)
{
	struct strbuf sb = STRBUF_INIT;
	size_t n;

	if (strbuf_read_file(&sb, path)) {
		kb_error_set("%s: %s", path, kb_strerror(errno));
		strbuf_release(&sb);
		return KB_ERR;
	}
	n = kb_kconfig_parse(c, sb.buf, sb.len);
	if (assigned)
		*assigned = n;
	strbuf_release(&sb);
	return 0;
}

int kb_kconfig_read(struct kb_kconfig *c, const char *path)
{
	return read_file(c, path, NULL);
}

int kb_kconfig_read_dotconfig(struct kb_kconfig *c, const char *path)
{
	size_t n;

	if (read_file(c, path, &n))
		return KB_ERR;
	if (!n) /* as kb_read_dotconfig, which record uses, says it */
		return kb_error_set("%s: not a kernel .config (no CONFIG_ lines)", path);
	return 0;
}

const char *kb_kconfig_get(const struct kb_kconfig *c, const char *option)
{
	long id = kb_strtab_find(&c->names, option, strlen(option));

	return id < 0 || (size_t)id >= c->alloc ? NULL : c->values[id];
}

void kb_kconfig_describe(struct strbuf *sb, const char *name, const char *value)
{
	if (!value)
		strbuf_addstr(sb, "(unset)");
	else if (!strcmp(value, "n"))
		strbuf_addf(sb, "# CONFIG_%s is not set", name);
	else
		strbuf_addf(sb, "CONFIG_%s=%s", name, value);
}

void kb_kconfig_write(const struct kb_kconfig *c, struct strbuf *out)
{
	size_t i;

	for (i = 0; i < c->names.nr; i++) {
		kb_kconfig_describe(out, c->names.strs[i], c->values[i]);
		strbuf_addch(out, '\n');
	}
}

void kb_kconfig_release(struct kb_kconfig *c)
{
	size_t i;

	for (i = 0; i < c->names.nr && i < c->alloc; i++)
		free(c->values[i]);
	free(c->values);
	kb_strtab_release(&c->names);
	memset(c, 0, sizeof(*c));
}

static int cmp_str(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

int kb_read_dotconfig(const char *path, struct strbuf *out)
{
	struct strbuf sb = STRBUF_INIT;
	char **lines = NULL, *p, *save = NULL;
	size_t n = 0, alloc = 0, i;

	if (strbuf_read_file(&sb, path))
		return kb_error_set("%s: %s", path, kb_strerror(errno));
	for (p = strtok_r(sb.buf, "\n", &save); p; p = strtok_r(NULL, "\n", &save)) {
		if (strncmp(p, "CONFIG_", 7) || !strchr(p, '='))
			continue; /* comments, "# CONFIG_X is not set", blank lines */
		ALLOC_GROW(lines, n + 1, alloc);
		lines[n++] = p;
	}
	if (!n) {
		free(lines);
		strbuf_release(&sb);
		return kb_error_set("%s: not a kernel .config (no CONFIG_ lines)", path);
	}
	qsort(lines, n, sizeof(*lines), cmp_str);
	for (i = 0; i < n; i++) {
		strbuf_addstr(out, lines[i]);
		strbuf_addch(out, '\n');
	}
	free(lines);
	strbuf_release(&sb);
	return 0;
}
