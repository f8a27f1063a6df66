/*
 * config.c - config specs and merge_config.sh's merging; see config.h.
 */
#include "config.h"

#include "error.h"
#include "files.h"
#include "xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <ftw.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const bases[] = { "tinyconfig", "allnoconfig", "defconfig", "modular" };

int kb_config_spec_parse(struct kb_config_spec *out, const char *spec, const char *fragments_dir)
{
	struct strbuf path = STRBUF_INIT;
	char *copy = xstrdup(spec), *part, *save = NULL;
	size_t i, alloc = 0;
	int first = 1, rc = KB_ERR;

	memset(out, 0, sizeof(*out));
	out->name = xstrdup(spec);
	for (part = strtok_r(copy, "+", &save); part;
	     part = strtok_r(NULL, "+", &save), first = 0) {
		if (first) {
			for (i = 0; i < sizeof(bases) / sizeof(bases[0]); i++)
				if (!strcmp(part, bases[i]))
					out->base = xstrdup(part);
			if (!out->base) {
				kb_error_set(
					"%s: unknown base target '%s' (tinyconfig, allnoconfig, "
					"defconfig or modular)",
					spec, part);
				goto out;
			}
			continue;
		}
		strbuf_reset(&path);
		if (strchr(part, '/') || strstr(part, ".config"))
			strbuf_addstr(&path, part);
		else
			strbuf_addf(&path, "%s/%s.config", fragments_dir, part);
		if (access(path.buf, R_OK)) {
			kb_error_set("%s: fragment '%s': %s: %s", spec, part, path.buf,
				     strerror(errno));
			goto out;
		}
		ALLOC_GROW(out->fragments, out->nfragments + 1, alloc);
		out->fragments[out->nfragments++] = xstrdup(path.buf);
	}
	if (!out->base) {
		kb_error_set("%s: an empty config spec", spec);
		goto out;
	}
	rc = 0;
out:
	if (rc)
		kb_config_spec_release(out);
	free(copy);
	strbuf_release(&path);
	return rc;
}

void kb_config_spec_release(struct kb_config_spec *s)
{
	size_t i;

	for (i = 0; i < s->nfragments; i++)
		free(s->fragments[i]);
	free(s->fragments);
	free(s->name);
	free(s->base);
	memset(s, 0, sizeof(*s));
}

void kb_kconfig_merge(struct kb_kconfig *c, const struct kb_kconfig *frag, const char *frag_name,
		      struct strbuf *notes)
{
	size_t i;

	for (i = 0; i < frag->names.nr; i++) {
		const char *name = frag->names.strs[i], *was = kb_kconfig_get(c, name);
		const char *now = frag->values[i];

		if (was && strcmp(was, now) && notes) {
			strbuf_addf(notes, "Value of CONFIG_%s is redefined by fragment %s: ", name,
				    frag_name);
			kb_kconfig_describe(notes, name, was);
			strbuf_addstr(notes, " -> ");
			kb_kconfig_describe(notes, name, now);
			strbuf_addch(notes, '\n');
		}
		kb_kconfig_set(c, name, now);
	}
}

size_t kb_kconfig_unmet(const struct kb_kconfig *final, const struct kb_kconfig *requested,
			struct strbuf *notes)
{
	size_t i, n = 0;

	for (i = 0; i < requested->names.nr; i++) {
		const char *name = requested->names.strs[i], *want = requested->values[i];
		const char *got = kb_kconfig_get(final, name);

		/* an option kconfig dropped altogether counts as not set */
		if (got ? !strcmp(got, want) : !strcmp(want, "n"))
			continue;
		n++;
		if (!notes)
			continue;
		strbuf_addf(notes, "Value requested for CONFIG_%s not in final .config: requested ",
			    name);
		kb_kconfig_describe(notes, name, want);
		strbuf_addstr(notes, ", actual ");
		kb_kconfig_describe(notes, name, got);
		strbuf_addch(notes, '\n');
	}
	return n;
}

/* The first word of a Kconfig line, after its indentation: its length, *word set. */
static size_t first_word(const char *line, const char **word)
{
	const char *p = line, *q;

	while (*p == ' ' || *p == '\t')
		p++;
	for (q = p; *q && *q != ' ' && *q != '\t' && *q != '\n'; q++)
		;
	*word = p;
	return (size_t)(q - p);
}

static int word_is(const char *w, size_t n, const char *s)
{
	return n == strlen(s) && !strncmp(w, s, n);
}

static int scan_kconfig(const char *path, struct kb_strtab *out)
{
	struct strbuf sb = STRBUF_INIT, sym = STRBUF_INIT;
	char *line, *save = NULL;

	if (strbuf_read_file(&sb, path)) {
		strbuf_release(&sb);
		return kb_error_set("%s: %s", path, kb_strerror(errno));
	}
	for (line = strtok_r(sb.buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		const char *w, *name;
		size_t n = first_word(line, &w), m;

		if (word_is(w, n, "config") || word_is(w, n, "menuconfig")) {
			m = first_word(w + n, &name);
			strbuf_reset(&sym);
			strbuf_add(&sym, name, m);
		} else if (sym.len &&
			   (word_is(w, n, "tristate") || word_is(w, n, "def_tristate"))) {
			kb_strtab_intern(out, sym.buf, sym.len, NULL);
		} else if (word_is(w, n, "help") || word_is(w, n, "---help---") ||
			   word_is(w, n, "choice") || word_is(w, n, "menu") ||
			   word_is(w, n, "comment") || word_is(w, n, "if") ||
			   word_is(w, n, "endif") || word_is(w, n, "endmenu") ||
			   word_is(w, n, "endchoice") || word_is(w, n, "source")) {
			strbuf_reset(&sym); /* the type comes before help; help text is prose */
		}
	}
	strbuf_release(&sb);
	strbuf_release(&sym);
	return 0;
}

static struct kb_strtab *scan_out;
static int scan_err;

static int scan_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	const char *base = path + ftw->base;

	(void)st;
	if (flag == FTW_D && (!strcmp(base, ".git") || !strcmp(base, "Documentation")))
		return FTW_SKIP_SUBTREE;
	if (flag == FTW_F && !strncmp(base, "Kconfig", 7) && scan_kconfig(path, scan_out)) {
		scan_err = 1;
		return FTW_STOP;
	}
	return FTW_CONTINUE;
}

int kb_kconfig_tristates(const char *src, struct kb_strtab *out)
{
	scan_out = out;
	scan_err = 0;
	if (nftw(src, scan_one, 32, FTW_PHYS | FTW_ACTIONRETVAL) < 0)
		return kb_error_set("%s: cannot read the Kconfig files: %s", src, strerror(errno));
	return scan_err ? KB_ERR : 0;
}
