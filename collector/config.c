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
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * Config targets that are not a base: they ask questions, read or change the .config there
 * is, or write none. Any other *config target the tree's kbuild knows is one
 * (kb_kbuild_config_targets asks the tree); "modular" is kbloat's own.
 */
static const char *const not_bases[] = {
	"config",	 "menuconfig",	  "nconfig",	   "xconfig",	     "gconfig",
	"oldconfig",	 "olddefconfig",  "syncconfig",	   "localmodconfig", "localyesconfig",
	"savedefconfig", "listnewconfig", "helpnewconfig", "yes2modconfig",  "mod2yesconfig",
	"mod2noconfig",	 "testconfig",
};

/* 1 if s has the shape of a kbuild config target: [A-Za-z0-9_-]+ ending in "config". */
static int is_target_name(const char *s)
{
	size_t n = strlen(s);

	if (n < 6 || strcmp(s + n - 6, "config"))
		return 0;
	return strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-") == n;
}

/* 1 if a spec's part names a file rather than a target or a fragment's name. */
static int is_path(const char *part)
{
	return strchr(part, '/') || strstr(part, ".config") || part[0] == '~';
}

int kb_expand_home(const char *path, struct strbuf *out)
{
	const char *home;

	if (path[0] != '~' || (path[1] && path[1] != '/')) {
		strbuf_addstr(out, path);
		return 0;
	}
	home = getenv("HOME");
	if (!home || !*home) {
		struct passwd *pw = getpwuid(getuid());

		home = pw ? pw->pw_dir : NULL;
	}
	if (!home)
		return kb_error_set("%s: no home directory to expand '~' to (HOME is not set)",
				    path);
	strbuf_addstr(out, home);
	strbuf_addstr(out, path + 1);
	return 0;
}

/* The file part names, '~' expanded, as an absolute path (make runs elsewhere) in *out. */
static int resolve_file(const char *spec, const char *what, const char *part, char **out)
{
	struct strbuf path = STRBUF_INIT;
	int rc = 0;

	*out = NULL;
	if (kb_expand_home(part, &path)) {
		rc = kb_error_set("%s: %s '%s': %s", spec, what, part, kb_error_last());
	} else if (access(path.buf, R_OK)) {
		rc = kb_error_set("%s: %s '%s': %s: %s", spec, what, part, path.buf,
				  strerror(errno));
	} else if (!(*out = realpath(path.buf, NULL))) {
		rc = kb_error_set("%s: %s '%s': %s: %s", spec, what, part, path.buf,
				  strerror(errno));
	}
	strbuf_release(&path);
	return rc;
}

/* The fragment part names, resolved to a readable path in out->fragments. */
static int add_fragment(struct kb_config_spec *out, const char *part, const char *fragments_dir,
			size_t *alloc)
{
	struct strbuf path = STRBUF_INIT;
	int rc = 0;

	if (is_path(part)) {
		char *abs;

		rc = resolve_file(out->name, "fragment", part, &abs);
		if (!rc) {
			ALLOC_GROW(out->fragments, out->nfragments + 1, *alloc);
			out->fragments[out->nfragments++] = abs;
		}
		return rc;
	}
	strbuf_addf(&path, "%s/%s.config", fragments_dir, part);
	if (access(path.buf, R_OK)) {
		rc = kb_error_set("%s: fragment '%s': %s: %s", out->name, part, path.buf,
				  strerror(errno));
	} else {
		ALLOC_GROW(out->fragments, out->nfragments + 1, *alloc);
		out->fragments[out->nfragments++] = strbuf_detach(&path, NULL);
	}
	strbuf_release(&path);
	return rc;
}

/* The base: a .config file (copied in), kbloat's modular, or a kbuild config target. */
static int set_base(struct kb_config_spec *out, const char *part)
{
	size_t i;

	if (!*part)
		return kb_error_set("%s: no base target before the '+' (a config target such as "
				    "tinyconfig or x86_64_defconfig, modular, or a .config file)",
				    out->name);
	if (is_path(part)) {
		if (resolve_file(out->name, "base .config", part, &out->base_file))
			return KB_ERR;
		out->base = xstrdup(out->base_file); /* the store's base: the file */
		return 0;
	}
	for (i = 0; i < sizeof(not_bases) / sizeof(not_bases[0]); i++)
		if (!strcmp(part, not_bases[i]))
			return kb_error_set("%s: '%s' cannot be a base: it asks questions, reads "
					    "the .config there is or writes none",
					    out->name, part);
	if (strcmp(part, "modular") && !is_target_name(part))
		return kb_error_set(
			"%s: unknown base target '%s' (a config target such as tinyconfig "
			"or x86_64_defconfig, modular, or a .config file's path)",
			out->name, part);
	out->base = xstrdup(part);
	return 0;
}

int kb_config_spec_parse(struct kb_config_spec *out, const char *spec, const char *fragments_dir)
{
	char *copy = xstrdup(spec), *part, *next, *last;
	size_t alloc = 0;
	int rc = KB_ERR;

	memset(out, 0, sizeof(*out));
	out->name = xstrdup(spec);
	if (!*spec) {
		kb_error_set("%s: an empty config spec", spec);
		goto out;
	}
	last = strrchr(copy, '+');
	if (last && !strcmp(last + 1, "modular")) {
		out->to_modules = 1;
		*last = 0;
	}
	for (part = copy; part; part = next) {
		next = strchr(part, '+');
		if (next)
			*next++ = 0;
		if (part == copy) {
			if (set_base(out, part))
				goto out;
		} else if (!*part) {
			kb_error_set("%s: an empty fragment name (nothing after a '+')", spec);
			goto out;
		} else if (!strcmp(part, "modular") && out->to_modules) {
			kb_error_set("%s: +modular given twice", spec);
			goto out;
		} else if (!strcmp(part, "modular")) {
			kb_error_set("%s: +modular must end the spec", spec);
			goto out;
		} else if (add_fragment(out, part, fragments_dir, &alloc)) {
			goto out;
		}
	}
	if (out->to_modules && !strcmp(out->base, "modular")) {
		kb_error_set(
			"%s: modular has every tristate a module already: +modular adds nothing",
			spec);
		goto out;
	}
	rc = 0;
out:
	if (rc)
		kb_config_spec_release(out);
	free(copy);
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
	free(s->base_file);
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
			int y_as_m, struct strbuf *notes)
{
	size_t i, n = 0;

	for (i = 0; i < requested->names.nr; i++) {
		const char *name = requested->names.strs[i], *want = requested->values[i];
		const char *got = kb_kconfig_get(final, name);

		/* an option kconfig dropped altogether counts as not set */
		if (got ? !strcmp(got, want) : !strcmp(want, "n"))
			continue;
		if (y_as_m && got && !strcmp(got, "m") && !strcmp(want, "y"))
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

/* the symbols path defines: every one into defined (if not NULL), the tristates into out (if not
 * NULL) */
static int scan_kconfig(const char *path, struct kb_strtab *out, struct kb_strtab *defined)
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
			if (defined && m)
				kb_strtab_intern(defined, sym.buf, sym.len, NULL);
		} else if (out && sym.len &&
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

static struct kb_strtab *scan_out, *scan_defined;
static int scan_err;

static int scan_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	const char *base = path + ftw->base;

	(void)st;
	if (flag == FTW_D && (!strcmp(base, ".git") || !strcmp(base, "Documentation")))
		return FTW_SKIP_SUBTREE;
	if (flag == FTW_F && !strncmp(base, "Kconfig", 7) &&
	    scan_kconfig(path, scan_out, scan_defined)) {
		scan_err = 1;
		return FTW_STOP;
	}
	return FTW_CONTINUE;
}

static int scan_tree(const char *src, struct kb_strtab *out, struct kb_strtab *defined)
{
	scan_out = out;
	scan_defined = defined;
	scan_err = 0;
	if (nftw(src, scan_one, 32, FTW_PHYS | FTW_ACTIONRETVAL) < 0)
		return kb_error_set("%s: cannot read the Kconfig files: %s", src, strerror(errno));
	return scan_err ? KB_ERR : 0;
}

int kb_kconfig_tristates(const char *src, struct kb_strtab *out)
{
	return scan_tree(src, out, NULL);
}

int kb_kconfig_defined(const char *src, struct kb_strtab *out)
{
	return scan_tree(src, NULL, out);
}

size_t kb_kconfig_yes2mod(struct kb_kconfig *c, const struct kb_strtab *tristates)
{
	size_t id, n = 0;

	for (id = 0; id < c->names.nr; id++) {
		const char *name = c->names.strs[id];

		if (id < c->alloc && c->values[id] && !strcmp(c->values[id], "y") &&
		    kb_strtab_find(tristates, name, strlen(name)) >= 0) {
			kb_kconfig_set(c, name, "m");
			n++;
		}
	}
	return n;
}
