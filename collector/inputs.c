/*
 * inputs.c - a build directory's inputs from kbuild's `.cmd` records, and the decision
 * whether a commit's changes can reach the image; see inputs.h.
 */
#include "inputs.h"

#include "error.h"
#include "strbuf.h"
#include "xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- one .cmd file ------------------------------------------------------------------- */

struct parse {
	struct kb_cmd_deps *out;
	const char *src, *name;
	size_t srclen;
	unsigned line; /* of the logical line's start */
};

static void add_path(struct parse *p, const char *s, size_t len)
{
	struct kb_cmd_deps *d = p->out;

	while (len > 2 && s[0] == '.' && s[1] == '/') {
		s += 2;
		len -= 2;
	}
	if (p->srclen && len > p->srclen && s[0] == '/' && !memcmp(s, p->src, p->srclen) &&
	    s[p->srclen] == '/') {
		s += p->srclen + 1;
		len -= p->srclen + 1;
	}
	if (!len)
		return;
	d->v = xrealloc(d->v, (d->n + 1) * sizeof(*d->v));
	d->v[d->n] = xmalloc(len + 1);
	memcpy(d->v[d->n], s, len);
	d->v[d->n][len] = 0;
	d->n++;
}

/* A word of a command line as the file it may name: options' values (-Wp,-MMD,F; -T F;
 * --flag=F) and quotes taken off. Words with neither '/' nor '.' name no file worth keeping
 * (the top-level files that would are always-inputs). */
static void add_command_word(struct parse *p, const char *w, size_t len)
{
	size_t i;

	while (len && (*w == '\'' || *w == '"' || *w == '(' || *w == '<' || *w == '>')) {
		w++;
		len--;
	}
	while (len && strchr("'\";)&|", w[len - 1]))
		len--;
	if (len > 1 && w[0] == '-') {
		for (i = len; i > 0; i--)
			if (w[i - 1] == ',' || w[i - 1] == '=')
				break;
		if (i) {
			w += i;
			len -= i;
		} else if (len > 2 && strchr("TIL", w[1])) {
			w += 2;
			len -= 2;
		} else {
			return;
		}
	}
	if (memchr(w, '/', len) || memchr(w, '.', len))
		add_path(p, w, len);
}

/*
 * Splits value into words as make reads them ("\ " a space within a word, "$$" a dollar,
 * "\#" a hash) and hands each to the list: deps (skipping $(wildcard ...) config
 * dependencies and other $(...) references) or a command line.
 */
static int add_words(struct parse *p, const char *v, int command)
{
	struct strbuf w = STRBUF_INIT;
	const char *s = v;
	int rc = 0;

	for (;;) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			break;
		strbuf_reset(&w);
		if (s[0] == '$' && s[1] == '(') {
			const char *end = strchr(s, ')');

			if (!end) {
				rc = kb_error_set(
					"%s:%u: a $( reference with no closing parenthesis",
					p->name, p->line);
				break;
			}
			s = end + 1; /* $(wildcard include/config/X): a config dependency */
			continue;
		}
		while (*s && *s != ' ' && *s != '\t') {
			if (s[0] == '\\' && (s[1] == ' ' || s[1] == '#' || s[1] == '\\')) {
				strbuf_addch(&w, s[1]);
				s += 2;
			} else if (s[0] == '$' && s[1] == '$') {
				strbuf_addch(&w, '$');
				s += 2;
			} else {
				strbuf_addch(&w, *s++);
			}
		}
		if (command)
			add_command_word(p, w.buf, w.len);
		else
			add_path(p, w.buf, w.len);
	}
	strbuf_release(&w);
	return rc;
}

static int prefixed(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/* One logical line (continuations joined): an assignment or a rule. */
static int parse_line(struct parse *p, char *line)
{
	char *eq, *colon, *lhs = line;

	while (*lhs == ' ' || *lhs == '\t')
		lhs++;
	if (!*lhs || *lhs == '#')
		return 0;
	eq = strstr(lhs, ":=");
	colon = strchr(lhs, ':');
	if (eq && eq == colon) {
		*eq = 0;
		/* savedcmd_T (cmd_T before Linux 6.1) is a command line; source_T, deps_T and
		 * anything else a list of files: a word too many costs nothing, one missed a build */
		return add_words(p, eq + 2, prefixed(lhs, "savedcmd_") || prefixed(lhs, "cmd_"));
	}
	if (colon) /* "T: $(deps_T)", "$(deps_T):", or a rule with files of its own */
		return add_words(p, colon + 1, 0);
	return kb_error_set("%s:%u: neither an assignment nor a rule", p->name, p->line);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorts and de-duplicates d for bsearch. */
static void sort_unique(struct kb_cmd_deps *d)
{
	size_t i, k = 0;

	if (!d->n)
		return;
	qsort(d->v, d->n, sizeof(*d->v), cmp_str);
	for (i = 1; i < d->n; i++) {
		if (!strcmp(d->v[i], d->v[k]))
			free(d->v[i]);
		else
			d->v[++k] = d->v[i];
	}
	d->n = k + 1;
}

int kb_cmd_parse(struct kb_cmd_deps *out, const char *text, size_t len, const char *src,
		 const char *name)
{
	struct parse p = { out, src, name, src ? strlen(src) : 0, 1 };
	struct strbuf line = STRBUF_INIT;
	unsigned lineno = 1;
	size_t i;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	while (p.srclen > 1 && src[p.srclen - 1] == '/')
		p.srclen--;
	if (memchr(text, 0, len)) {
		kb_error_set("%s: a NUL byte: not a kbuild record", name);
		return KB_ERR;
	}
	for (i = 0; i < len && !rc; i++) {
		if (text[i] == '\\' && i + 1 < len && text[i + 1] == '\n') {
			strbuf_addch(&line, ' ');
			i++;
			lineno++;
			continue;
		}
		if (text[i] != '\n') {
			strbuf_addch(&line, text[i]);
			continue;
		}
		rc = parse_line(&p, line.buf);
		strbuf_reset(&line);
		p.line = ++lineno;
	}
	if (!rc && len && text[len - 1] == '\\')
		rc = kb_error_set("%s:%u: ends inside a continued line (a file cut short)", name,
				  lineno);
	else if (!rc && line.len)
		rc = kb_error_set("%s:%u: the last line has no end (a file cut short)", name,
				  lineno);
	strbuf_release(&line);
	if (rc) {
		kb_cmd_deps_release(out);
		return KB_ERR;
	}
	sort_unique(out);
	return 0;
}

void kb_cmd_deps_release(struct kb_cmd_deps *d)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		free(d->v[i]);
	free(d->v);
	memset(d, 0, sizeof(*d));
}

/* ---- the records of a build directory ------------------------------------------------ */

struct cmd_file {
	char *path; /* relative to obj */
	struct timespec mtime;
	off_t size;
	struct kb_cmd_deps deps;
};

struct kb_inputs {
	char *obj, *src;
	struct cmd_file *v; /* sorted by path */
	size_t n, parsed;
};

struct kb_inputs *kb_inputs_new(const char *obj, const char *src)
{
	struct kb_inputs *in = xcalloc(1, sizeof(*in));

	in->obj = xstrdup(obj);
	in->src = xstrdup(src);
	return in;
}

static void cmd_file_release(struct cmd_file *f)
{
	free(f->path);
	kb_cmd_deps_release(&f->deps);
}

void kb_inputs_free(struct kb_inputs *in)
{
	size_t i;

	if (!in)
		return;
	for (i = 0; i < in->n; i++)
		cmd_file_release(&in->v[i]);
	free(in->v);
	free(in->obj);
	free(in->src);
	free(in);
}

struct scan {
	struct kb_inputs *in;
	struct cmd_file *v; /* the new list */
	size_t n, alloc;
};

static struct cmd_file *find_old(struct kb_inputs *in, const char *path)
{
	size_t lo = 0, hi = in->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(in->v[mid].path, path);

		if (!c)
			return &in->v[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static int is_cmd_name(const char *name)
{
	size_t len = strlen(name);

	return name[0] == '.' && len > 5 && !strcmp(name + len - 4, ".cmd");
}

/* One .cmd file: the old parse kept when its size and time are the same, else parsed. */
static int scan_file(struct scan *sc, const char *rel, const char *full, const struct stat *st)
{
	struct cmd_file *old = find_old(sc->in, rel), f = { 0 };
	struct strbuf text = STRBUF_INIT;

	if (old && old->size == st->st_size && old->mtime.tv_sec == st->st_mtim.tv_sec &&
	    old->mtime.tv_nsec == st->st_mtim.tv_nsec) {
		f = *old; /* the parse moves over; the old entry keeps its path for the search */
		f.path = xstrdup(old->path);
		memset(&old->deps, 0, sizeof(old->deps));
	} else {
		if (strbuf_read_file(&text, full)) {
			strbuf_release(&text);
			return KB_ERR;
		}
		if (kb_cmd_parse(&f.deps, text.buf, text.len, sc->in->src, full)) {
			strbuf_release(&text);
			return KB_ERR;
		}
		strbuf_release(&text);
		f.path = xstrdup(rel);
		f.mtime = st->st_mtim;
		f.size = st->st_size;
		sc->in->parsed++;
	}
	if (sc->n == sc->alloc) {
		sc->alloc = sc->alloc ? 2 * sc->alloc : 256;
		sc->v = xrealloc(sc->v, sc->alloc * sizeof(*sc->v));
	}
	sc->v[sc->n++] = f;
	return 0;
}

static int scan_dir(struct scan *sc, struct strbuf *rel)
{
	struct strbuf full = STRBUF_INIT;
	struct dirent *e;
	size_t len = rel->len;
	int rc = 0;
	DIR *d;

	strbuf_addf(&full, "%s%s%s", sc->in->obj, rel->len ? "/" : "", rel->buf);
	d = opendir(full.buf);
	if (!d) {
		rc = kb_error_set("%s: cannot read the directory: %s", full.buf, strerror(errno));
		goto out;
	}
	while (!rc && (e = readdir(d))) {
		struct stat st;
		size_t flen = full.len;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		strbuf_addf(&full, "/%s", e->d_name);
		strbuf_addf(rel, "%s%s", rel->len ? "/" : "", e->d_name);
		if (lstat(full.buf, &st)) {
			rc = kb_error_set("%s: %s", full.buf, strerror(errno));
		} else if (S_ISDIR(st.st_mode)) {
			rc = scan_dir(sc, rel);
		} else if (S_ISREG(st.st_mode) && is_cmd_name(e->d_name)) {
			rc = scan_file(sc, rel->buf, full.buf, &st);
		}
		strbuf_setlen(&full, flen);
		strbuf_setlen(rel, len);
	}
	closedir(d);
out:
	strbuf_release(&full);
	return rc;
}

static int cmp_file(const void *a, const void *b)
{
	return strcmp(((const struct cmd_file *)a)->path, ((const struct cmd_file *)b)->path);
}

int kb_inputs_refresh(struct kb_inputs *in)
{
	struct scan sc = { in, NULL, 0, 0 };
	struct strbuf rel = STRBUF_INIT;
	size_t i;
	int rc;

	in->parsed = 0;
	rc = scan_dir(&sc, &rel);
	strbuf_release(&rel);
	for (i = 0; i < in->n; i++)
		cmd_file_release(&in->v[i]); /* what moved over is empty here */
	free(in->v);
	in->v = sc.v;
	in->n = sc.n;
	if (in->n)
		qsort(in->v, in->n, sizeof(*in->v), cmp_file);
	if (rc) { /* a half-read directory must not pass for a whole one */
		for (i = 0; i < in->n; i++)
			cmd_file_release(&in->v[i]);
		free(in->v);
		in->v = NULL;
		in->n = 0;
	}
	return rc;
}

int kb_inputs_has(const struct kb_inputs *in, const char *path)
{
	size_t i;

	for (i = 0; i < in->n; i++)
		if (in->v[i].deps.n &&
		    bsearch(&path, in->v[i].deps.v, in->v[i].deps.n, sizeof(char *), cmp_str))
			return 1;
	return 0;
}

size_t kb_inputs_files(const struct kb_inputs *in, size_t *parsed)
{
	if (parsed)
		*parsed = in->parsed;
	return in->n;
}

/* ---- the decision -------------------------------------------------------------------- */

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

static int ends(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && !strcmp(s + a - b, suffix);
}

/* What the config targets read: Kconfig files and the fragments of tinyconfig & co. */
static int config_input(const char *path, const char *srcarch)
{
	size_t n = strlen(srcarch);

	if (prefixed(base_name(path), "Kconfig") || prefixed(path, "kernel/configs/"))
		return 1;
	return prefixed(path, "arch/") && !strncmp(path + 5, srcarch, n) &&
	       prefixed(path + 5 + n, "/configs/");
}

/* What make and kbuild's scripts read without a record naming it. */
static const char *always_input(const char *path)
{
	const char *b = base_name(path);

	if (prefixed(b, "Makefile") || prefixed(b, "Kbuild"))
		return "a Makefile";
	if (prefixed(path, "scripts/"))
		return "under scripts/";
	if (prefixed(path, "tools/"))
		return "under tools/ (host tools the build runs)";
	if (strstr(b, ".lds"))
		return "a linker script";
	if (prefixed(b, "localversion"))
		return "read by setlocalversion";
	return NULL;
}

static int in_include_dir(const char *path)
{
	return prefixed(path, "include/") || strstr(path, "/include/");
}

/*
 * tools/'s user-space programs and their tests (Linux 6.1 to 6.12): no kernel build reads
 * them (perf only for its tarball targets). What the build does use stays an input:
 * objtool, resolve_btfids and bpftool (tools/bpf), the libraries, headers and build rules
 * they share (tools/lib, include, arch, build, scripts), tools/Makefile, and any directory
 * not named here.
 */
static int user_space_tool(const char *path)
{
	static const char *const dirs[] = {
		"accounting", "bootconfig", "certs",	 "cgroup",	 "counter", "crypto",
		"debugging",  "edid",	    "firewire",	 "firmware",	 "gpio",    "hv",
		"iio",	      "io_uring",   "kvm",	 "laptop",	 "leds",    "memory-model",
		"mm",	      "net",	    "pci",	 "pcmcia",	 "perf",    "power",
		"rcu",	      "sched_ext",  "sound",	 "spi",		 "testing", "thermal",
		"time",	      "tracing",    "usb",	 "verification", "virtio",  "vm",
		"wmi",	      "workqueue",  "writeback",
	};
	const char *d = path + 6, *end;
	size_t i;

	if (!prefixed(path, "tools/") || !(end = strchr(d, '/')))
		return 0;
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		if (strlen(dirs[i]) == (size_t)(end - d) && !strncmp(d, dirs[i], end - d))
			return 1;
	return 0;
}

/* Files no build reads. */
static int never_input(const char *path, const char *srcarch)
{
	static const char *const names[] = {
		"MAINTAINERS",	"CREDITS",	  "COPYING",	   ".mailmap",
		".gitignore",	".gitattributes", ".clang-format", ".get_maintainer.ignore",
		".cocciconfig",
	};
	const char *b = base_name(path);
	size_t i, n = strlen(srcarch);

	if (prefixed(path, "Documentation/") || prefixed(path, "LICENSES/") ||
	    prefixed(b, "README") || user_space_tool(path))
		return 1;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(b, names[i]))
			return 1;
	/* another architecture's directory: only arch/SRCARCH/ and arch/'s own files count */
	return prefixed(path, "arch/") && strchr(path + 5, '/') &&
	       (strncmp(path + 5, srcarch, n) || path[5 + n] != '/');
}

/*
 * A directory's own Makefile or Kbuild where make built nothing: kbuild makes O/DIR for the
 * first target it builds in DIR, so a DIR without it added nothing to vmlinux, and whether
 * make enters it at all is its parent's Makefile's say (an input). Not in an include
 * directory, whose Kbuild files (generic-y) are read for another directory's targets, and
 * not at the top, which make always reads.
 */
static int makefile_of_unbuilt_dir(const struct kb_inputs *in, const char *path)
{
	const char *b = base_name(path);
	struct strbuf dir = STRBUF_INIT;
	struct stat sb;
	int unbuilt;

	if (b == path || (strcmp(b, "Makefile") && strcmp(b, "Kbuild")) || in_include_dir(path))
		return 0;
	strbuf_addf(&dir, "%s/%.*s", in->obj, (int)(b - 1 - path), path);
	unbuilt = lstat(dir.buf, &sb) && errno == ENOENT;
	strbuf_release(&dir);
	return unbuilt;
}

static int source_like(const char *path)
{
	return ends(path, ".c") || ends(path, ".h") || ends(path, ".S") || ends(path, ".s") ||
	       ends(path, ".rs");
}

int kb_inputs_config_touched(const struct kb_path_changes *changes, const char *srcarch)
{
	size_t i;

	for (i = 0; i < changes->n; i++) {
		const char *p = changes->v[i].path;

		if (config_input(p, srcarch) || prefixed(p, "scripts/") ||
		    prefixed(base_name(p), "Makefile"))
			return 1;
	}
	return 0;
}

enum kb_decision kb_inputs_decide(const struct kb_inputs *in, const struct kb_path_changes *changes,
				  const char *srcarch, struct strbuf *why)
{
	enum kb_decision d = KB_DECIDE_SKIP;
	const char *reason;
	size_t i;

	for (i = 0; i < changes->n; i++) {
		const struct kb_path_change *c = &changes->v[i];

		reason = NULL;
		if (kb_inputs_has(in, c->path))
			reason = "named in a kbuild record";
		else if (config_input(c->path, srcarch)) {
			if (d == KB_DECIDE_SKIP) {
				strbuf_reset(why);
				strbuf_addf(why, "%s: a config input", c->path);
			}
			d = KB_DECIDE_CONFIG;
			continue;
		} else if (never_input(c->path, srcarch)) {
			continue; /* even a Makefile there: make never enters it */
		} else if (makefile_of_unbuilt_dir(in, c->path)) {
			continue;
		} else if ((reason = always_input(c->path))) {
		} else if (c->kind == KB_CHANGE_ADDED &&
			   (in_include_dir(c->path) || ends(c->path, ".h"))) {
			reason = "a new header";
		} else if (source_like(c->path)) {
			continue;
		} else {
			reason = "not known to be outside the build";
		}
		strbuf_reset(why);
		strbuf_addf(why, "%s: %s", c->path, reason);
		return KB_DECIDE_BUILD;
	}
	if (d == KB_DECIDE_SKIP) {
		strbuf_reset(why);
		strbuf_addf(why, "%zu changed files, none an input", changes->n);
	}
	return d;
}
