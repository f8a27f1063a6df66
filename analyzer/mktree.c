/*
 * mktree.c - the kbuild Makefiles of a kernel tree read as lists of what they link, and the
 * chain from an object file up to the top-level list that brings it into vmlinux; see
 * mktree.h for what is promised.
 *
 * Each Makefile is read once, when a lookup first reaches its directory. Reading runs a
 * small subset of make over it: logical lines, conditionals (evaluated on the .config when
 * they can be, otherwise taken as true), assignments kept in a per-file variable table and
 * expanded when used, and a handful of functions. Every word of a list assignment (obj-*,
 * lib-*, NAME-y...) becomes an entry, indexed by "file number\nword" in one string table,
 * so a lookup is one probe per directory walked. Conditionals that name one CONFIG_ option
 * are kept as a tree of nodes (each pointing at the one around it), and an entry holds the
 * innermost: the COND steps of a chain are that node's path to the root.
 *
 * The arch Makefile is read first: what it assigns (BITS) is seen by every other file, as
 * kbuild exports it. A variable assigned where a conditional could not be evaluated is
 * "unknown", and so is a conditional that tests it: both are then taken as true rather
 * than guessed.
 */
#include "mktree.h"

#include "arena.h"
#include "error.h"
#include "strbuf.h"
#include "strtab.h"
#include "xalloc.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_STEPS 64 /* links (not counting COND steps): a longer chain is a loop */
#define MAX_TOTAL_STEPS 1024 /* steps, COND steps included */
#define MAX_TRIES 256 /* searches for one chain, retries included */
#define MAX_INCLUDES 8 /* nested includes followed */
#define MAX_DEPTH 16 /* nested references within one expansion */
#define MAX_EXPANSION (64 * 1024) /* bytes one expansion may produce */
#define MAX_REFS 20000 /* references one expansion may follow */
#define NONE UINT32_MAX
#define UNSET (UINT32_MAX - 1) /* t->dir_file: not looked at yet */

/* What a list's name says its words are. */
enum list_class {
	LC_OBJ, /* obj-* */
	LC_LIB, /* lib-* */
	LC_EXTRA, /* extra-*, head-* */
	LC_TOP, /* core-*, drivers-*, libs-*, net-*, init-*, virt-*: the top and arch Makefile */
	LC_OTHER /* NAME-*: members of NAME.o, if NAME.o is named in the same file */
};

/* How a list's gate expands on the .config; lower is better when entries compete. */
enum gate { GATE_Y, GATE_M, GATE_OFF };

/* What a Makefile is read as: a directory's, the root's, or arch/$(SRCARCH)/Makefile. */
enum role { ROLE_DIR, ROLE_TOP, ROLE_ARCH };

/* Liveness of a line: lower is "less live" so that nesting takes the minimum. */
enum live { LIVE_NO, LIVE_MAYBE, LIVE_YES };

struct mk_entry {
	const char *list; /* as written */
	const char *option; /* the gate's CONFIG_ option, or NULL */
	const char *word; /* as expanded */
	const char *name; /* the list's NAME (obj, lib, ext4...) */
	const char *path; /* the file it is written in (a Makefile, or one it includes) */
	uint32_t file; /* index in t->files: the directory's Makefile */
	uint32_t next; /* next entry of the same file and word, or NONE */
	uint32_t cond; /* innermost COND node, or NONE */
	unsigned line;
	unsigned flags;
	unsigned char cls, gate;
};

struct mk_cond {
	const char *option, *text;
	const char *path; /* the file it is written in */
	uint32_t parent; /* the node around this one, or NONE */
	unsigned line;
	unsigned flags; /* KB_STEP_NEGATED */
};

struct mk_file {
	const char *path; /* tree-relative: "fs/ext4/Makefile" */
	const char *dir; /* "fs/ext4", "" at the top */
};

/* A global variable: what arch/$(SRCARCH)/Makefile left assigned. */
struct mk_gvar {
	const char *value;
	bool unknown;
};

struct kb_mktree {
	struct kb_arena arena; /* strings, steps: everything a kb_origin points to */
	char *srctree, *srcarch;
	kb_kval_fn val;
	void *ctx;

	/* texts given by kb_mktree_add(), by directory */
	struct kb_strtab added;
	char **added_text;
	size_t *added_len;
	size_t added_alloc;

	/* what has been read; kb_mktree_add() after a lookup starts these afresh */
	struct kb_strtab paths; /* file path -> index in files */
	struct mk_file *files;
	size_t files_alloc;
	struct kb_strtab dirs; /* directory -> its Makefile's index in files, or NONE */
	uint32_t *dir_file;
	size_t dir_alloc;
	struct kb_strtab keys; /* "file\nword" -> heads/tails */
	uint32_t *heads, *tails;
	size_t keys_alloc;
	struct mk_entry *entries;
	size_t nentries, entries_alloc;
	struct mk_cond *conds;
	size_t nconds, conds_alloc;
	struct kb_strtab gnames; /* global variables */
	struct mk_gvar *gvars;
	size_t gvars_alloc;
	uint32_t top[3]; /* Kbuild, Makefile, arch/$(SRCARCH)/Makefile: indices or NONE */
	bool top_ready;
	/*
	 * Words that reach outside their Makefile's directory ("$(KVM)/kvm_main.o" with
	 * KVM := ../../../virt/kvm in arch/x86/kvm): the tree path they name -> the Makefile
	 * (far_file) and the word as written (far_word), for the object kbuild links as
	 * virt/kvm/kvm_main.o. The first Makefile read that names a path keeps it.
	 */
	struct kb_strtab far;
	uint32_t *far_file;
	const char **far_word;
	size_t far_alloc;

	struct kb_strtab strs; /* interned names, lists, words: what steps point to */
	size_t nread, nskipped;
	struct strbuf key, key2, tmp;
};

/* --- small string helpers ---------------------------------------------------------- */

static bool is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static bool is_ident(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

static void trim(const char **s, size_t *len)
{
	while (*len && is_ws(**s)) {
		(*s)++;
		(*len)--;
	}
	while (*len && is_ws((*s)[*len - 1]))
		(*len)--;
}

static bool eq(const char *s, size_t len, const char *lit)
{
	return strlen(lit) == len && !memcmp(s, lit, len);
}

static bool starts(const char *s, size_t len, const char *lit)
{
	size_t n = strlen(lit);

	return len >= n && !memcmp(s, lit, n);
}

static bool ends(const char *s, size_t len, const char *lit)
{
	size_t n = strlen(lit);

	return len >= n && !memcmp(s + len - n, lit, n);
}

/* The next whitespace-separated word of p..end, or NULL. */
static const char *next_word(const char **pp, const char *end, size_t *len)
{
	const char *p = *pp, *w;

	while (p < end && is_ws(*p))
		p++;
	if (p >= end) {
		*pp = p;
		return NULL;
	}
	for (w = p; p < end && !is_ws(*p);)
		p++;
	*len = (size_t)(p - w);
	*pp = p;
	return w;
}

static void add_word(struct strbuf *out, const char *w, size_t len)
{
	if (out->len && !is_ws(out->buf[out->len - 1]))
		strbuf_addch(out, ' ');
	strbuf_add(out, w, len);
}

/* The ')' (or '}') closing the reference whose body starts at p; NULL if unterminated. */
static const char *find_close(const char *p, const char *end, char open, char close)
{
	int depth = 0;

	for (; p < end; p++) {
		if (*p == open) {
			depth++;
		} else if (*p == close) {
			if (!depth)
				return p;
			depth--;
		}
	}
	return NULL;
}

/*
 * The one CONFIG_ option that s names, without its prefix; NULL when it names none or
 * several. *len gets its length.
 */
static const char *single_option(const char *s, size_t slen, size_t *len)
{
	const char *found = NULL, *p = s, *end = s + slen;
	size_t flen = 0;

	while (p + 7 < end) {
		const char *c = memmem(p, (size_t)(end - p), "CONFIG_", 7);
		const char *o, *oe;

		if (!c)
			break;
		p = c + 7;
		if (c > s && is_ident(c[-1]))
			continue;
		for (o = oe = c + 7; oe < end && is_ident(*oe);)
			oe++;
		if (oe == o)
			continue;
		if (found && ((size_t)(oe - o) != flen || memcmp(found, o, flen)))
			return NULL;
		found = o;
		flen = (size_t)(oe - o);
		p = oe;
	}
	*len = flen;
	return found;
}

/* Matches word against a make pattern with at most one '%'; *stem gets what '%' took. */
static bool pat_match(const char *pat, size_t plen, const char *w, size_t wlen, const char **stem,
		      size_t *stem_len)
{
	const char *pc = memchr(pat, '%', plen);
	size_t pre, suf;

	if (!pc) {
		*stem = w;
		*stem_len = 0;
		return plen == wlen && !memcmp(pat, w, wlen);
	}
	pre = (size_t)(pc - pat);
	suf = plen - pre - 1;
	if (wlen < pre + suf || memcmp(pat, w, pre) || memcmp(pc + 1, w + wlen - suf, suf))
		return false;
	*stem = w + pre;
	*stem_len = wlen - pre - suf;
	return true;
}

/* patsubst of one word: rep with its first '%' replaced by the stem. */
static void pat_replace(struct strbuf *out, const char *rep, size_t rlen, const char *stem,
			size_t stem_len)
{
	const char *rc = memchr(rep, '%', rlen);

	if (!rc) {
		strbuf_add(out, rep, rlen);
		return;
	}
	strbuf_add(out, rep, (size_t)(rc - rep));
	strbuf_add(out, stem, stem_len);
	strbuf_add(out, rc + 1, rlen - (size_t)(rc - rep) - 1);
}

/* --- reading one Makefile: variables and expansion --------------------------------- */

struct mk_var {
	struct strbuf value;
	bool recursive; /* = : expanded at each use; := : already expanded */
	bool unknown; /* assigned under a conditional that could not be evaluated */
};

/* One branch of an open conditional. */
struct frame {
	enum live outer; /* liveness around the conditional */
	enum live live; /* liveness of the current branch, outer included */
	bool seen_true, seen_maybe; /* an earlier branch surely / perhaps taken */
	bool in_else; /* past a bare else */
	uint32_t base; /* the COND node around the conditional */
	uint32_t neg; /* base, plus the negations of the tests of earlier branches */
	uint32_t head; /* the node for lines of the current branch */
	/* the current branch's test, to negate at the next else */
	const char *opt, *text;
	unsigned line;
	bool holds_n; /* the test holds when opt is n */
};

struct parser {
	struct kb_mktree *t;
	uint32_t file;
	const char *dir; /* $(obj), $(src) */
	const char *path; /* the file being read: the Makefile or one it includes */
	bool top; /* a top Makefile: its includes are kbuild's own, not followed */
	int includes; /* depth of include */
	struct kb_strtab names, exports;
	struct mk_var *vars;
	size_t vars_alloc;
	struct frame *frames;
	size_t nframes, frames_alloc;
	bool in_recipe;
	int in_define;

	/* expansion state */
	bool unknown; /* the last expansion met something it could not know */
	size_t refs; /* references followed by the current expansion */
	const char *ov_opt; /* a hypothetical: CONFIG_<ov_opt> expands to "" (n) */
	size_t ov_len;
};

static void expand(struct parser *ps, const char *s, size_t len, struct strbuf *out, int depth);

static struct mk_var *var_find(struct parser *ps, const char *name, size_t len)
{
	long id = kb_strtab_find(&ps->names, name, len);

	return id < 0 ? NULL : &ps->vars[id];
}

static struct mk_var *var_get(struct parser *ps, const char *name, size_t len)
{
	uint32_t id = kb_strtab_intern(&ps->names, name, len, NULL);
	size_t old = ps->vars_alloc;

	ALLOC_GROW(ps->vars, (size_t)id + 1, ps->vars_alloc);
	if (ps->vars_alloc > old)
		memset(ps->vars + old, 0, (ps->vars_alloc - old) * sizeof(*ps->vars));
	if (!ps->vars[id].value.buf)
		strbuf_init(&ps->vars[id].value, 0);
	return &ps->vars[id];
}

/* The .config value of CONFIG_<name>, as auto.conf would give it to make. */
static void config_value(struct parser *ps, const char *name, size_t len, struct strbuf *out)
{
	struct kb_mktree *t = ps->t;
	const char *v;

	if (ps->ov_opt && len == ps->ov_len && !memcmp(name, ps->ov_opt, len))
		return;
	if (!t->val) {
		/* no .config: every gate is enabled, but nothing can be decided on it */
		ps->unknown = true;
		strbuf_addch(out, 'y');
		return;
	}
	strbuf_reset(&t->tmp);
	strbuf_add(&t->tmp, name, len);
	if (memchr(t->tmp.buf, '\0', len))
		return;
	v = t->val(t->ctx, t->tmp.buf);
	if (v && strcmp(v, "n"))
		strbuf_addstr(out, v);
}

static void lookup_var(struct parser *ps, const char *name, size_t len, struct strbuf *out,
		       int depth)
{
	struct kb_mktree *t = ps->t;
	struct mk_var *v;
	long id;

	if (len > 7 && starts(name, len, "CONFIG_")) {
		config_value(ps, name + 7, len - 7, out);
		return;
	}
	v = var_find(ps, name, len);
	if (v) {
		if (v->unknown)
			ps->unknown = true;
		if (v->recursive)
			expand(ps, v->value.buf, v->value.len, out, depth + 1);
		else
			strbuf_add(out, v->value.buf, v->value.len);
		return;
	}
	id = kb_strtab_find(&t->gnames, name, len);
	if (id >= 0) {
		if (t->gvars[id].unknown)
			ps->unknown = true;
		strbuf_addstr(out, t->gvars[id].value);
	} else if (eq(name, len, "SRCARCH") || eq(name, len, "ARCH")) {
		strbuf_addstr(out, t->srcarch);
	} else if (eq(name, len, "srctree") || eq(name, len, "objtree")) {
		strbuf_addch(out, '.');
	} else if (eq(name, len, "src") || eq(name, len, "obj")) {
		strbuf_addstr(out, *ps->dir ? ps->dir : ".");
	} else {
		ps->unknown = true; /* from the command line, the environment, another file */
	}
}

/* Splits args at top-level commas into at most max pieces (the last takes the rest). */
static size_t split_args(const char *s, size_t len, const char **arg, size_t *alen, size_t max)
{
	const char *p = s, *end = s + len, *a = s;
	size_t n = 0;
	int depth = 0;

	for (; p < end; p++) {
		if (*p == '(' || *p == '{') {
			depth++;
		} else if ((*p == ')' || *p == '}') && depth) {
			depth--;
		} else if (*p == ',' && !depth && n + 1 < max) {
			arg[n] = a;
			alen[n++] = (size_t)(p - a);
			a = p + 1;
		}
	}
	arg[n] = a;
	alen[n++] = (size_t)(end - a);
	return n;
}

enum fn {
	FN_SUBST,
	FN_PATSUBST,
	FN_STRIP,
	FN_FINDSTRING,
	FN_FILTER,
	FN_FILTER_OUT,
	FN_SORT,
	FN_FIRSTWORD,
	FN_LASTWORD,
	FN_DIR,
	FN_NOTDIR,
	FN_BASENAME,
	FN_ADDSUFFIX,
	FN_ADDPREFIX,
	FN_IF,
	FN_OR,
	FN_AND,
	FN_OPAQUE /* known to make, not to us: expands to nothing */
};

static const struct {
	const char *name;
	enum fn fn;
	size_t nargs;
} functions[] = {
	{ "subst", FN_SUBST, 3 },
	{ "patsubst", FN_PATSUBST, 3 },
	{ "strip", FN_STRIP, 1 },
	{ "findstring", FN_FINDSTRING, 2 },
	{ "filter", FN_FILTER, 2 },
	{ "filter-out", FN_FILTER_OUT, 2 },
	{ "sort", FN_SORT, 1 },
	{ "firstword", FN_FIRSTWORD, 1 },
	{ "lastword", FN_LASTWORD, 1 },
	{ "dir", FN_DIR, 1 },
	{ "notdir", FN_NOTDIR, 1 },
	{ "basename", FN_BASENAME, 1 },
	{ "addsuffix", FN_ADDSUFFIX, 2 },
	{ "addprefix", FN_ADDPREFIX, 2 },
	{ "if", FN_IF, 3 },
	{ "or", FN_OR, 64 },
	{ "and", FN_AND, 64 },
	{ "shell", FN_OPAQUE, 1 },
	{ "call", FN_OPAQUE, 1 },
	{ "foreach", FN_OPAQUE, 1 },
	{ "wildcard", FN_OPAQUE, 1 },
	{ "eval", FN_OPAQUE, 1 },
	{ "origin", FN_OPAQUE, 1 },
	{ "flavor", FN_OPAQUE, 1 },
	{ "value", FN_OPAQUE, 1 },
	{ "info", FN_OPAQUE, 1 },
	{ "warning", FN_OPAQUE, 1 },
	{ "error", FN_OPAQUE, 1 },
	{ "realpath", FN_OPAQUE, 1 },
	{ "abspath", FN_OPAQUE, 1 },
	{ "words", FN_OPAQUE, 1 },
	{ "word", FN_OPAQUE, 1 },
	{ "wordlist", FN_OPAQUE, 1 },
	{ "join", FN_OPAQUE, 1 },
	{ "suffix", FN_OPAQUE, 1 },
	{ "file", FN_OPAQUE, 1 },
	{ "let", FN_OPAQUE, 1 },
	{ "intcmp", FN_OPAQUE, 1 },
	{ "guile", FN_OPAQUE, 1 },
};

/* An expanded argument, in its own buffer. */
static void expand_arg(struct parser *ps, const char *s, size_t len, struct strbuf *out, int depth)
{
	strbuf_init(out, 0);
	expand(ps, s, len, out, depth + 1);
}

/* The functions of one word list (addprefix...), applied to the words of text. */
static void word_fn(enum fn fn, const struct strbuf *a, const struct strbuf *text,
		    struct strbuf *out)
{
	const char *p = text->buf, *end = text->buf + text->len, *w, *stem;
	size_t wl, sl;

	while ((w = next_word(&p, end, &wl))) {
		const char *slash = NULL, *q;

		for (q = w; q < w + wl; q++)
			if (*q == '/')
				slash = q;
		switch (fn) {
		case FN_ADDPREFIX:
			add_word(out, a->buf, a->len);
			strbuf_add(out, w, wl);
			break;
		case FN_ADDSUFFIX:
			add_word(out, w, wl);
			strbuf_add(out, a->buf, a->len);
			break;
		case FN_DIR:
			if (slash)
				add_word(out, w, (size_t)(slash + 1 - w));
			else
				add_word(out, "./", 2);
			break;
		case FN_NOTDIR:
			if (slash)
				add_word(out, slash + 1, (size_t)(w + wl - slash - 1));
			else
				add_word(out, w, wl);
			break;
		case FN_BASENAME: {
			const char *dot = NULL;

			for (q = slash ? slash : w; q < w + wl; q++)
				if (*q == '.')
					dot = q;
			add_word(out, w, dot ? (size_t)(dot - w) : wl);
			break;
		}
		case FN_FILTER:
		case FN_FILTER_OUT: {
			const char *pp = a->buf, *pe = a->buf + a->len, *pat;
			size_t pl;
			bool hit = false;

			while (!hit && (pat = next_word(&pp, pe, &pl)))
				hit = pat_match(pat, pl, w, wl, &stem, &sl);
			if (hit == (fn == FN_FILTER))
				add_word(out, w, wl);
			break;
		}
		default:
			add_word(out, w, wl);
			break;
		}
		if (fn == FN_FIRSTWORD)
			break;
	}
}

/* $(patsubst pat,rep,text) and $(text:pat=rep): each word of text that matches pat */
static void patsubst(const struct strbuf *pa, const struct strbuf *ra, const struct strbuf *text,
		     struct strbuf *out)
{
	const char *pat = pa->buf, *rep = ra->buf, *p = text->buf, *end = text->buf + text->len;
	const char *w, *stem;
	size_t pl = pa->len, rl = ra->len, wl, sl;

	trim(&pat, &pl);
	trim(&rep, &rl);
	while ((w = next_word(&p, end, &wl))) {
		if (out->len && !is_ws(out->buf[out->len - 1]))
			strbuf_addch(out, ' ');
		if (pat_match(pat, pl, w, wl, &stem, &sl))
			pat_replace(out, rep, rl, stem, sl);
		else
			strbuf_add(out, w, wl);
	}
}

/* A function's result, in its own buffer: word lists are joined by spaces within it. */
static void call_fn(struct parser *ps, enum fn fn, size_t nargs, const char *s, size_t len,
		    struct strbuf *dst, int depth)
{
	const char *arg[64] = { NULL };
	size_t alen[64] = { 0 }, n, i;
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT, c = STRBUF_INIT, r = STRBUF_INIT;
	struct strbuf *out = &r;
	const char *p, *end, *w;
	size_t wl;

	n = split_args(s, len, arg, alen, nargs);
	switch (fn) {
	case FN_OPAQUE:
		ps->unknown = true;
		break;
	case FN_IF:
		expand_arg(ps, arg[0], alen[0], &a, depth);
		p = a.buf;
		if (next_word(&p, a.buf + a.len, &wl))
			expand(ps, arg[1], n > 1 ? alen[1] : 0, out, depth + 1);
		else if (n > 2)
			expand(ps, arg[2], alen[2], out, depth + 1);
		break;
	case FN_OR:
	case FN_AND:
		for (i = 0; i < n; i++) {
			bool empty;

			strbuf_release(&a);
			expand_arg(ps, arg[i], alen[i], &a, depth);
			p = a.buf;
			empty = !next_word(&p, a.buf + a.len, &wl);
			if (fn == FN_OR ? !empty : empty)
				break;
		}
		if (fn == FN_OR ? i < n : i == n || !n)
			strbuf_add(out, a.buf, a.len);
		break;
	case FN_SUBST:
	case FN_PATSUBST:
		if (n < 3)
			break;
		expand_arg(ps, arg[0], alen[0], &a, depth);
		expand_arg(ps, arg[1], alen[1], &b, depth);
		expand_arg(ps, arg[2], alen[2], &c, depth);
		if (fn == FN_SUBST) {
			p = c.buf;
			end = c.buf + c.len;
			while (a.len && p < end) {
				const char *m = memmem(p, (size_t)(end - p), a.buf, a.len);

				if (!m)
					break;
				strbuf_add(out, p, (size_t)(m - p));
				strbuf_add(out, b.buf, b.len);
				p = m + a.len;
			}
			strbuf_add(out, p, (size_t)(end - p));
			break;
		}
		patsubst(&a, &b, &c, out);
		break;
	case FN_FINDSTRING:
		if (n < 2)
			break;
		expand_arg(ps, arg[0], alen[0], &a, depth);
		expand_arg(ps, arg[1], alen[1], &b, depth);
		if (!a.len || memmem(b.buf, b.len, a.buf, a.len))
			strbuf_add(out, a.buf, a.len);
		break;
	case FN_FILTER:
	case FN_FILTER_OUT:
	case FN_ADDPREFIX:
	case FN_ADDSUFFIX:
		if (n < 2)
			break;
		expand_arg(ps, arg[0], alen[0], &a, depth);
		expand_arg(ps, arg[1], alen[1], &b, depth);
		if (fn == FN_ADDPREFIX || fn == FN_ADDSUFFIX) {
			const char *as = a.buf;
			size_t al = a.len;

			trim(&as, &al);
			strbuf_reset(&c);
			strbuf_add(&c, as, al);
			word_fn(fn, &c, &b, out);
		} else {
			word_fn(fn, &a, &b, out);
		}
		break;
	default: /* the functions of one argument */
		expand_arg(ps, arg[0], alen[0], &a, depth);
		if (fn == FN_LASTWORD) {
			const char *last = NULL;
			size_t ll = 0;

			p = a.buf;
			while ((w = next_word(&p, a.buf + a.len, &wl))) {
				last = w;
				ll = wl;
			}
			if (last)
				add_word(out, last, ll);
		} else {
			word_fn(fn, &b, &a, out);
		}
		break;
	}
	strbuf_add(dst, r.buf, r.len);
	strbuf_release(&a);
	strbuf_release(&b);
	strbuf_release(&c);
	strbuf_release(&r);
}

/* A reference's body, between "$(" and ")": a function call or a variable. */
static void expand_ref(struct parser *ps, const char *s, size_t len, struct strbuf *out, int depth)
{
	struct strbuf name = STRBUF_INIT, val = STRBUF_INIT, pa = STRBUF_INIT, ra = STRBUF_INIT;
	const char *p, *colon = NULL, *equal = NULL;
	size_t i;
	int d = 0;

	for (p = s; p < s + len && !is_ws(*p) && *p != ',' && *p != '$';)
		p++;
	if (p < s + len && is_ws(*p)) {
		for (i = 0; i < ARRAY_SIZE(functions); i++) {
			if (!eq(s, (size_t)(p - s), functions[i].name))
				continue;
			while (p < s + len && is_ws(*p))
				p++;
			call_fn(ps, functions[i].fn, functions[i].nargs, p, (size_t)(s + len - p),
				out, depth);
			return;
		}
	}
	/* $(VAR:pat=rep), a substitution reference: a ':' and then '=' at the top level */
	for (p = s; p < s + len; p++) {
		if (*p == '(' || *p == '{')
			d++;
		else if ((*p == ')' || *p == '}') && d)
			d--;
		else if (!d && *p == ':' && !colon)
			colon = p;
		else if (!d && *p == '=' && colon && !equal)
			equal = p;
	}
	if (!equal)
		colon = NULL;
	expand(ps, s, colon ? (size_t)(colon - s) : len, &name, depth + 1);
	lookup_var(ps, name.buf, name.len, &val, depth);
	if (colon) {
		expand(ps, colon + 1, (size_t)(equal - colon - 1), &pa, depth + 1);
		expand(ps, equal + 1, (size_t)(s + len - equal - 1), &ra, depth + 1);
		if (!memchr(pa.buf, '%', pa.len)) {
			/* $(VAR:a=b) is $(VAR:%a=%b) */
			strbuf_reset(&name);
			strbuf_addch(&name, '%');
			strbuf_add(&name, pa.buf, pa.len);
			strbuf_reset(&pa);
			strbuf_add(&pa, name.buf, name.len);
			strbuf_reset(&name);
			strbuf_addch(&name, '%');
			strbuf_add(&name, ra.buf, ra.len);
			strbuf_reset(&ra);
			strbuf_add(&ra, name.buf, name.len);
		}
		strbuf_reset(&name);
		patsubst(&pa, &ra, &val, &name);
		strbuf_add(out, name.buf, name.len);
	} else {
		strbuf_add(out, val.buf, val.len);
	}
	strbuf_release(&name);
	strbuf_release(&val);
	strbuf_release(&pa);
	strbuf_release(&ra);
}

/*
 * Expands s[0..len) into out as make would, within bounds: nested references deeper than
 * MAX_DEPTH, output past MAX_EXPANSION and references past MAX_REFS are dropped, and the
 * expansion is then "unknown".
 */
static void expand(struct parser *ps, const char *s, size_t len, struct strbuf *out, int depth)
{
	const char *p = s, *end;

	if (depth > MAX_DEPTH) {
		ps->unknown = true;
		return;
	}
	if (!len) /* s may be NULL: a function's missing argument */
		return;
	end = s + len;
	while (p < end) {
		const char *dollar = memchr(p, '$', (size_t)(end - p)), *c;

		if (out->len > MAX_EXPANSION || ps->refs > MAX_REFS) {
			ps->unknown = true;
			return;
		}
		if (!dollar) {
			strbuf_add(out, p, (size_t)(end - p));
			return;
		}
		strbuf_add(out, p, (size_t)(dollar - p));
		p = dollar + 1;
		if (p >= end)
			return;
		ps->refs++;
		if (*p == '$') {
			strbuf_addch(out, '$');
			p++;
		} else if (*p == '(' || *p == '{') {
			c = find_close(p + 1, end, *p, *p == '(' ? ')' : '}');
			if (!c) {
				ps->unknown = true;
				return;
			}
			expand_ref(ps, p + 1, (size_t)(c - p - 1), out, depth);
			p = c + 1;
		} else {
			lookup_var(ps, p, 1, out, depth); /* $@, $<, $1 ... */
			p++;
		}
	}
}

/* Expands s into out (reset first), from a fresh budget; returns true if all was known. */
static bool expand_top(struct parser *ps, const char *s, size_t len, struct strbuf *out)
{
	strbuf_reset(out);
	ps->unknown = false;
	ps->refs = 0;
	expand(ps, s, len, out, 0);
	return !ps->unknown;
}

/* --- reading one Makefile: conditionals ------------------------------------------- */

enum test_kind { T_IFDEF, T_IFNDEF, T_IFEQ, T_IFNEQ };

/* The two sides of ifeq/ifneq: "(a,b)", "a" "b" or 'a' 'b'. Returns false if malformed. */
static bool test_sides(const char *s, size_t len, const char **a, size_t *al, const char **b,
		       size_t *bl)
{
	const char *end = s + len, *c, *arg[2];
	size_t alen[2];

	if (!len)
		return false;
	if (*s == '(') {
		c = find_close(s + 1, end, '(', ')');
		if (!c || split_args(s + 1, (size_t)(c - s - 1), arg, alen, 2) != 2)
			return false;
		*a = arg[0];
		*al = alen[0];
		*b = arg[1];
		*bl = alen[1];
		return true;
	}
	if (*s != '"' && *s != '\'')
		return false;
	c = memchr(s + 1, *s, (size_t)(end - s - 1));
	if (!c)
		return false;
	*a = s + 1;
	*al = (size_t)(c - s - 1);
	for (s = c + 1; s < end && is_ws(*s);)
		s++;
	if (s >= end || (*s != '"' && *s != '\''))
		return false;
	c = memchr(s + 1, *s, (size_t)(end - s - 1));
	if (!c)
		return false;
	*b = s + 1;
	*bl = (size_t)(c - s - 1);
	return true;
}

/* Is variable name (expanded) defined with a value? *known is cleared if we cannot tell. */
static bool var_defined(struct parser *ps, const char *name, size_t len, bool *known)
{
	struct kb_mktree *t = ps->t;
	struct mk_var *v;
	long id;

	if (len > 7 && starts(name, len, "CONFIG_")) {
		struct strbuf sb = STRBUF_INIT;
		bool set;

		config_value(ps, name + 7, len - 7, &sb);
		set = sb.len > 0;
		strbuf_release(&sb);
		return set;
	}
	v = var_find(ps, name, len);
	if (v) {
		if (v->unknown)
			*known = false;
		return v->value.len > 0;
	}
	id = kb_strtab_find(&t->gnames, name, len);
	if (id >= 0) {
		if (t->gvars[id].unknown)
			*known = false;
		return *t->gvars[id].value;
	}
	if (eq(name, len, "SRCARCH") || eq(name, len, "ARCH") || eq(name, len, "srctree") ||
	    eq(name, len, "objtree") || eq(name, len, "src") || eq(name, len, "obj"))
		return true;
	*known = false;
	return false;
}

/*
 * Evaluates a conditional's test. With ps->ov_opt set it is a hypothetical (that option is
 * n) and the answer is a best guess, never LIVE_MAYBE. Without a .config it is LIVE_MAYBE.
 */
static enum live eval_test(struct parser *ps, enum test_kind k, const char *arg, size_t len,
			   bool *malformed)
{
	struct strbuf x = STRBUF_INIT, y = STRBUF_INIT;
	const char *a, *b;
	size_t al, bl;
	bool holds, known = true;

	if (k == T_IFDEF || k == T_IFNDEF) {
		known = expand_top(ps, arg, len, &x);
		a = x.buf;
		al = x.len;
		trim(&a, &al);
		if (!al || memchr(a, ' ', al) || memchr(a, '\t', al))
			*malformed = true;
		ps->unknown = false;
		holds = var_defined(ps, a, al, &known) != (k == T_IFNDEF);
		known = known && !ps->unknown;
	} else if (test_sides(arg, len, &a, &al, &b, &bl)) {
		known = expand_top(ps, a, al, &x);
		known = expand_top(ps, b, bl, &y) && known;
		a = x.buf;
		al = x.len;
		trim(&a, &al);
		b = y.buf;
		bl = y.len;
		trim(&b, &bl);
		holds = (al == bl && !memcmp(a, b, al)) != (k == T_IFNEQ);
	} else {
		*malformed = true;
		holds = true;
		known = false;
	}
	strbuf_release(&x);
	strbuf_release(&y);
	if (ps->ov_opt)
		return holds ? LIVE_YES : LIVE_NO;
	if (!known || !ps->t->val)
		return LIVE_MAYBE;
	return holds ? LIVE_YES : LIVE_NO;
}

static enum live current_live(const struct parser *ps)
{
	return ps->nframes ? ps->frames[ps->nframes - 1].live : LIVE_YES;
}

static uint32_t current_cond(const struct parser *ps)
{
	return ps->nframes ? ps->frames[ps->nframes - 1].head : NONE;
}

static enum live min_live(enum live a, enum live b)
{
	return a < b ? a : b;
}

static const char *intern(struct kb_mktree *t, const char *s, size_t len);

static uint32_t add_cond(struct parser *ps, const char *opt, const char *text, unsigned line,
			 unsigned flags, uint32_t parent)
{
	struct kb_mktree *t = ps->t;
	struct mk_cond *c;

	ALLOC_GROW(t->conds, t->nconds + 1, t->conds_alloc);
	c = &t->conds[t->nconds];
	c->option = opt;
	c->text = text;
	c->path = ps->path;
	c->parent = parent;
	c->line = line;
	c->flags = flags;
	return (uint32_t)t->nconds++;
}

/*
 * Starts the branch of frame f that tests k/arg (text: the test as written): evaluates it,
 * and gives it a COND node when it names one option.
 */
static void enter_test(struct parser *ps, struct frame *f, enum test_kind k, const char *arg,
		       size_t len, const char *text, size_t tlen, unsigned line)
{
	enum live res = LIVE_MAYBE, branch;
	bool malformed = false;
	const char *opt;
	size_t olen;

	trim(&arg, &len);
	f->opt = NULL;
	f->head = f->neg;
	if (f->outer == LIVE_NO) {
		f->live = LIVE_NO;
		return;
	}
	res = eval_test(ps, k, arg, len, &malformed);
	if (malformed)
		ps->t->nskipped++;
	if (f->seen_true)
		branch = LIVE_NO;
	else if (res == LIVE_NO)
		branch = LIVE_NO;
	else
		branch = f->seen_maybe ? LIVE_MAYBE : res;
	f->seen_true = f->seen_true || branch == LIVE_YES;
	f->seen_maybe = f->seen_maybe || branch == LIVE_MAYBE;
	f->live = min_live(f->outer, branch);

	opt = single_option(arg, len, &olen);
	if (!opt)
		return;
	f->opt = intern(ps->t, opt, olen);
	f->text = intern(ps->t, text, tlen);
	f->line = line;
	ps->ov_opt = opt;
	ps->ov_len = olen;
	f->holds_n = eval_test(ps, k, arg, len, &malformed) == LIVE_YES;
	ps->ov_opt = NULL;
	f->head = add_cond(ps, f->opt, f->text, line, f->holds_n ? KB_STEP_NEGATED : 0, f->neg);
}

static bool test_kind(const char *w, size_t len, enum test_kind *k)
{
	if (eq(w, len, "ifdef"))
		*k = T_IFDEF;
	else if (eq(w, len, "ifndef"))
		*k = T_IFNDEF;
	else if (eq(w, len, "ifeq"))
		*k = T_IFEQ;
	else if (eq(w, len, "ifneq"))
		*k = T_IFNEQ;
	else
		return false;
	return true;
}

static void cond_if(struct parser *ps, enum test_kind k, const char *arg, size_t len,
		    const char *text, size_t tlen, unsigned line)
{
	struct frame *f;

	ALLOC_GROW(ps->frames, ps->nframes + 1, ps->frames_alloc);
	f = &ps->frames[ps->nframes];
	memset(f, 0, sizeof(*f));
	f->outer = current_live(ps);
	f->base = f->neg = current_cond(ps);
	ps->nframes++;
	enter_test(ps, f, k, arg, len, text, tlen, line);
}

/* "else" or "else ifxxx ...": rest is what follows "else". */
static void cond_else(struct parser *ps, const char *rest, size_t len, unsigned line)
{
	struct frame *f;
	const char *w, *p = rest;
	size_t wl;
	enum test_kind k;

	if (!ps->nframes || ps->frames[ps->nframes - 1].in_else) {
		ps->t->nskipped++;
		return;
	}
	f = &ps->frames[ps->nframes - 1];
	if (f->opt && f->outer != LIVE_NO)
		f->neg = add_cond(ps, f->opt, f->text, f->line, f->holds_n ? 0 : KB_STEP_NEGATED,
				  f->neg);
	w = next_word(&p, rest + len, &wl);
	if (w && test_kind(w, wl, &k)) {
		enter_test(ps, f, k, p, (size_t)(rest + len - p), w, (size_t)(rest + len - w),
			   line);
		return;
	}
	if (w)
		ps->t->nskipped++; /* "else junk" */
	f->in_else = true;
	f->opt = NULL;
	f->head = f->neg;
	if (f->outer == LIVE_NO || f->seen_true)
		f->live = LIVE_NO;
	else
		f->live = min_live(f->outer, f->seen_maybe ? LIVE_MAYBE : LIVE_YES);
}

static void cond_endif(struct parser *ps)
{
	if (ps->nframes)
		ps->nframes--;
	else
		ps->t->nskipped++;
}

/* --- reading one Makefile: lists and assignments --------------------------------- */

static const char *const not_lists[] = {
	"always",   "targets",	 "subdir",  "hostprogs", "userprogs", "ccflags",
	"asflags",  "ldflags",	 "cflags",  "aflags",	 "cppflags",  "clean",
	"no-clean", "mandatory", "generic", "generated", "header",    "CFLAGS",
	"AFLAGS",   "KBUILD",	 "LDFLAGS", "quiet_cmd", "cmd",
};

static enum list_class list_class(const char *name, size_t len, bool *is_list)
{
	size_t i;

	*is_list = true;
	for (i = 0; i < ARRAY_SIZE(not_lists); i++) {
		size_t n = strlen(not_lists[i]);

		if (starts(name, len, not_lists[i]) &&
		    (len == n || name[n] == '-' || name[n] == '_'))
			*is_list = false;
	}
	if (eq(name, len, "obj"))
		return LC_OBJ;
	if (eq(name, len, "lib"))
		return LC_LIB;
	if (eq(name, len, "extra") || eq(name, len, "head"))
		return LC_EXTRA;
	if (eq(name, len, "core") || eq(name, len, "drivers") || eq(name, len, "libs") ||
	    eq(name, len, "net") || eq(name, len, "init") || eq(name, len, "virt"))
		return LC_TOP;
	return LC_OTHER;
}

/* Where a list's name splits into NAME and gate: the first "-$(" or "-${", else the last '-'. */
static bool list_split(const char *s, size_t len, size_t *split)
{
	size_t i, last = len;
	int depth = 0;

	for (i = 0; i < len; i++) {
		if (s[i] == '$' && i + 1 < len && (s[i + 1] == '(' || s[i + 1] == '{')) {
			if (!depth && i && s[i - 1] == '-') {
				*split = i - 1;
				return true;
			}
			depth++;
			i++;
		} else if ((s[i] == ')' || s[i] == '}') && depth) {
			depth--;
		} else if (s[i] == '-' && !depth) {
			last = i;
		}
	}
	if (last == len)
		return false;
	*split = last;
	s += last + 1;
	len -= last + 1;
	return !len || eq(s, len, "y") || eq(s, len, "m") || eq(s, len, "n") || eq(s, len, "objs");
}

static uint32_t key_find(struct kb_mktree *t, struct strbuf *sb, uint32_t file, const char *w,
			 size_t wl)
{
	long id;

	strbuf_reset(sb);
	strbuf_addf(sb, "%u\n", file);
	strbuf_add(sb, w, wl);
	id = kb_strtab_find(&t->keys, sb->buf, sb->len);
	return id < 0 ? NONE : (uint32_t)id;
}

/*
 * dir/word with "." and ".." folded, into sb; false if it climbs above the top of the tree.
 */
static bool fold_path(struct strbuf *sb, const char *dir, const char *word)
{
	const char *p = word;

	strbuf_reset(sb);
	strbuf_addstr(sb, dir);
	while (*p) {
		size_t n = strcspn(p, "/");

		if (n == 2 && p[0] == '.' && p[1] == '.') {
			char *slash;

			if (!sb->len)
				return false;
			slash = memrchr(sb->buf, '/', sb->len);
			strbuf_setlen(sb, slash ? (size_t)(slash - sb->buf) : 0);
		} else if (n && !(n == 1 && p[0] == '.')) {
			if (sb->len)
				strbuf_addch(sb, '/');
			strbuf_add(sb, p, n);
		}
		p += n;
		if (*p == '/') {
			p++;
			if (!*p) /* a directory keeps its trailing slash */
				strbuf_addch(sb, '/');
		}
	}
	return sb->len > 0;
}

/* A word of file naming path (folded), outside file's directory: found by that path. */
static void add_far(struct kb_mktree *t, uint32_t file, const char *word, const struct strbuf *path)
{
	size_t n = t->far.nr;
	uint32_t id = kb_strtab_intern(&t->far, path->buf, path->len, NULL);

	if (id < n)
		return; /* the first Makefile read that names it keeps it */
	ALLOC_GROW(t->far_file, (size_t)id + 1, t->far_alloc);
	t->far_word = xreallocarray(t->far_word, t->far_alloc, sizeof(*t->far_word));
	t->far_file[id] = file;
	t->far_word[id] = word;
}

static void add_entry(struct parser *ps, const struct mk_entry *proto, const char *w, size_t wl)
{
	struct kb_mktree *t = ps->t;
	struct strbuf path = STRBUF_INIT;
	const char *dir = t->files[ps->file].dir;
	struct mk_entry *e;
	uint32_t id, n = (uint32_t)t->nentries;
	size_t old = t->keys_alloc, dl = strlen(dir);
	bool far = false;

	/* "./x.o", "sub/../x.o": as the path they name; "../../virt/x.o": found from there */
	if (memmem(w, wl, "./", 2)) {
		char *word = xstrndup(w, wl);

		if (fold_path(&path, dir, word)) {
			if (!dl) {
				w = path.buf;
				wl = path.len;
			} else if (!strncmp(path.buf, dir, dl) && path.buf[dl] == '/') {
				w = path.buf + dl + 1;
				wl = path.len - dl - 1;
			} else {
				far = true;
			}
		}
		free(word);
	}
	strbuf_reset(&t->key);
	strbuf_addf(&t->key, "%u\n", ps->file);
	strbuf_add(&t->key, w, wl);
	id = kb_strtab_intern(&t->keys, t->key.buf, t->key.len, NULL);
	ALLOC_GROW(t->heads, (size_t)id + 1, t->keys_alloc);
	if (t->keys_alloc > old) {
		t->tails = xreallocarray(t->tails, t->keys_alloc, sizeof(*t->tails));
		memset(t->heads + old, 0xff, (t->keys_alloc - old) * sizeof(*t->heads));
	}
	ALLOC_GROW(t->entries, t->nentries + 1, t->entries_alloc);
	e = &t->entries[t->nentries++];
	*e = *proto;
	e->word = intern(t, w, wl);
	if (far)
		add_far(t, ps->file, e->word, &path);
	e->next = NONE;
	if (t->heads[id] == NONE)
		t->heads[id] = n;
	else
		t->entries[t->tails[id]].next = n;
	t->tails[id] = n;
	strbuf_release(&path);
}

/* A list assignment: name as written (trimmed), words its expanded value. */
static void add_list(struct parser *ps, const char *name, size_t len, const struct strbuf *words,
		     unsigned line)
{
	struct kb_mktree *t = ps->t;
	struct strbuf sb = STRBUF_INIT;
	struct mk_entry proto;
	const char *p, *end, *w, *opt, *n;
	size_t split, wl, olen, nl;
	bool known, is_list;

	if (!list_split(name, len, &split))
		return;
	memset(&proto, 0, sizeof(proto));
	expand_top(ps, name, split, &sb);
	n = sb.buf;
	nl = sb.len;
	trim(&n, &nl);
	if (ends(n, nl, "-objs"))
		nl -= 5;
	proto.cls = (unsigned char)list_class(n, nl, &is_list);
	if (!nl || !is_list || memchr(n, ' ', nl) || memchr(n, '\t', nl)) {
		strbuf_release(&sb);
		return;
	}
	proto.name = intern(t, n, nl);
	known = expand_top(ps, name + split + 1, len - split - 1, &sb);
	n = sb.buf;
	nl = sb.len;
	trim(&n, &nl);
	if (!known || eq(n, nl, "y") || eq(n, nl, "objs"))
		proto.gate = GATE_Y;
	else
		proto.gate = eq(n, nl, "m") ? GATE_M : GATE_OFF;
	strbuf_release(&sb);

	opt = single_option(name + split, len - split, &olen);
	proto.option = opt ? intern(t, opt, olen) : NULL;
	proto.list = intern(t, name, len);
	proto.file = ps->file;
	proto.path = ps->path;
	proto.cond = current_cond(ps);
	proto.line = line;
	if (proto.cls == LC_LIB)
		proto.flags |= KB_STEP_LIB;
	if (memmem(name, len, "subst m,y,", 10) || memmem(name, len, ":m=y", 4))
		proto.flags |= KB_STEP_FORCE_BUILTIN;

	p = words->buf;
	end = words->buf + words->len;
	while ((w = next_word(&p, end, &wl))) {
		while (wl > 2 && w[0] == '.' && w[1] == '/') {
			w += 2;
			wl -= 2;
		}
		if (ends(w, wl, ".o") || (proto.cls != LC_OTHER && wl > 1 && ends(w, wl, "/")))
			add_entry(ps, &proto, w, wl);
	}
}

/* op: '=', ':' (:= ::= :::=), '+', '?', '!' */
static void assign(struct parser *ps, const char *name, size_t nlen, char op, const char *val,
		   size_t vlen, unsigned line)
{
	struct strbuf vname = STRBUF_INIT, words = STRBUF_INIT;
	bool maybe = current_live(ps) == LIVE_MAYBE, known, have_words = false;
	const char *n;
	size_t nl;
	struct mk_var *v;

	trim(&name, &nlen);
	trim(&val, &vlen);
	known = expand_top(ps, name, nlen, &vname);
	n = vname.buf;
	nl = vname.len;
	trim(&n, &nl);
	if (!nl || memchr(n, ' ', nl) || memchr(n, '\t', nl)) {
		ps->t->nskipped++;
		goto out;
	}
	v = var_find(ps, n, nl);
	if (op == '?' && v)
		goto out;
	if (op == '+' && v && !v->recursive) {
		known = expand_top(ps, val, vlen, &words);
		have_words = true;
	}
	if (op == ':' || op == '!') {
		known = expand_top(ps, val, vlen, &words);
		have_words = true;
	}
	if (!(op == '+' && v))
		v = NULL;
	if (!v) {
		/* a fresh value: = ?= := != and += of an undefined variable */
		v = var_get(ps, n, nl);
		strbuf_reset(&v->value);
		v->recursive = op != ':' && op != '!';
		v->unknown = false;
	} else if (v->value.len) {
		strbuf_addch(&v->value, ' ');
	}
	if (op == '!') {
		v->unknown = true;
		goto out;
	}
	if (v->recursive)
		strbuf_add(&v->value, val, vlen);
	else
		strbuf_add(&v->value, words.buf, words.len);
	v->unknown = v->unknown || maybe || (!v->recursive && !known);
	if (!have_words)
		expand_top(ps, val, vlen, &words);
	add_list(ps, name, nlen, &words, line);
out:
	strbuf_release(&vname);
	strbuf_release(&words);
}

/* --- reading one Makefile: lines --------------------------------------------------- */

/*
 * Reads the logical line at *pp into sb: backslash-newline and the blanks around it become
 * one space, NUL bytes become spaces. *lineno counts the physical lines taken.
 */
static void read_line(const char **pp, const char *end, struct strbuf *sb, unsigned *lineno)
{
	const char *p = *pp;
	size_t i;

	strbuf_reset(sb);
	for (;;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *le = nl ? nl : end;
		size_t bs = 0;

		(*lineno)++;
		while (le - bs > p && le[-1 - (long)bs] == '\\')
			bs++;
		if (!nl || bs % 2 == 0) {
			strbuf_add(sb, p, (size_t)(le - p));
			p = nl ? nl + 1 : end;
			break;
		}
		strbuf_add(sb, p, (size_t)(le - 1 - p));
		while (sb->len && is_ws(sb->buf[sb->len - 1]))
			strbuf_setlen(sb, sb->len - 1);
		strbuf_addch(sb, ' ');
		for (p = nl + 1; p < end && (*p == ' ' || *p == '\t');)
			p++;
	}
	for (i = 0; i < sb->len; i++)
		if (!sb->buf[i])
			sb->buf[i] = ' ';
	*pp = p;
}

/* Cuts a '#' comment (not one escaped or inside a reference) off s. */
static size_t strip_comment(const char *s, size_t len)
{
	size_t i;
	int depth = 0;

	for (i = 0; i < len; i++) {
		if (s[i] == '\\' && i + 1 < len)
			i++;
		else if (s[i] == '$' && i + 1 < len && (s[i + 1] == '(' || s[i + 1] == '{'))
			depth++, i++;
		else if ((s[i] == ')' || s[i] == '}') && depth)
			depth--;
		else if (s[i] == '#' && !depth)
			return i;
	}
	return len;
}

/* The first word of s if it is lit, followed by a blank, '(' or the end; *rest after it. */
static bool keyword(const char *s, size_t len, const char *lit, const char **rest)
{
	size_t n = strlen(lit);

	if (!starts(s, len, lit) || (len > n && !is_ws(s[n]) && s[n] != '('))
		return false;
	*rest = s + n;
	return true;
}

/* Assignment or rule: finds the operator at the top level of s. */
static void assignment_or_rule(struct parser *ps, const char *s, size_t len, unsigned line)
{
	size_t i;
	int depth = 0;

	for (i = 0; i < len; i++) {
		char c = s[i];

		if (c == '$' && i + 1 < len && (s[i + 1] == '(' || s[i + 1] == '{')) {
			depth++;
			i++;
		} else if ((c == ')' || c == '}') && depth) {
			depth--;
		} else if (!depth && c == '=') {
			char op = i && strchr("+?!", s[i - 1]) ? s[i - 1] : '=';

			ps->in_recipe = false;
			assign(ps, s, op == '=' ? i : i - 1, op, s + i + 1, len - i - 1, line);
			return;
		} else if (!depth && c == ':') {
			size_t j = i;

			while (j < len && s[j] == ':')
				j++;
			if (j < len && s[j] == '=' && j - i <= 3) {
				ps->in_recipe = false;
				assign(ps, s, i, ':', s + j + 1, len - j - 1, line);
			} else {
				ps->in_recipe = true; /* a rule: the lines after it are recipes */
			}
			return;
		}
	}
	/* a line of one reference ($(warning ...), $(if ...)) does nothing here, unless it
	   makes make read more ($(eval ...)) */
	if (len > 3 && s[0] == '$' && (s[1] == '(' || s[1] == '{') &&
	    find_close(s + 2, s + len, s[1], s[1] == '(' ? ')' : '}') == s + len - 1 &&
	    !memmem(s, len, "eval", 4))
		return;
	ps->t->nskipped++;
}

static void include(struct parser *ps, const char *args, size_t len);

static void process_line(struct parser *ps, const char *s, size_t len, unsigned line)
{
	bool tab = len && s[0] == '\t';
	const char *rest, *p, *w;
	enum test_kind k;
	size_t wl;

	if (ps->in_define) {
		trim(&s, &len);
		if (keyword(s, len, "endef", &rest))
			ps->in_define--;
		else if (keyword(s, len, "define", &rest))
			ps->in_define++;
		return;
	}
	if (tab && ps->in_recipe)
		return;
	len = strip_comment(s, len);
	trim(&s, &len);
	if (!len)
		return;
	p = s;
	w = next_word(&p, s + len, &wl);
	if (wl > 4 && w[4] == '(' && starts(w, wl, "ifeq"))
		wl = 4;
	else if (wl > 5 && w[5] == '(' && starts(w, wl, "ifneq"))
		wl = 5;
	if (test_kind(w, wl, &k)) {
		cond_if(ps, k, w + wl, (size_t)(s + len - w - wl), s, len, line);
		return;
	}
	if (keyword(s, len, "else", &rest)) {
		cond_else(ps, rest, (size_t)(s + len - rest), line);
		return;
	}
	if (keyword(s, len, "endif", &rest)) {
		cond_endif(ps);
		return;
	}
	if (keyword(s, len, "define", &rest)) {
		ps->in_define = 1;
		return;
	}
	if (current_live(ps) == LIVE_NO)
		return;
	if (keyword(s, len, "include", &rest) || keyword(s, len, "-include", &rest) ||
	    keyword(s, len, "sinclude", &rest)) {
		include(ps, rest, (size_t)(s + len - rest));
		return;
	}
	if (keyword(s, len, "vpath", &rest) || keyword(s, len, "unexport", &rest) ||
	    keyword(s, len, "undefine", &rest))
		return;
	while (keyword(s, len, "export", &rest) || keyword(s, len, "override", &rest) ||
	       keyword(s, len, "private", &rest)) {
		bool exp = s[0] == 'e';

		len -= (size_t)(rest - s);
		s = rest;
		trim(&s, &len);
		if (exp && !memchr(s, '=', len)) {
			/* export NAME...: seen by the sub-makes, as BITS is */
			p = s;
			while ((w = next_word(&p, s + len, &wl)))
				kb_strtab_intern(&ps->exports, w, wl, NULL);
			return;
		}
		if (exp) {
			for (p = s; p < s + len && !is_ws(*p) && *p != '=' && *p != ':' &&
				    *p != '+' && *p != '?' && *p != '!';)
				p++;
			kb_strtab_intern(&ps->exports, s, (size_t)(p - s), NULL);
		}
	}
	if (!len)
		return;
	assignment_or_rule(ps, s, len, line);
}

/* The exported variables of the arch Makefile become everyone's. */
static void export_globals(struct parser *ps)
{
	struct kb_mktree *t = ps->t;
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	for (i = 0; i < ps->exports.nr; i++) {
		const char *name = ps->exports.strs[i];
		size_t len = strlen(name), old = t->gvars_alloc;
		struct mk_var *v = var_find(ps, name, len);
		uint32_t id;
		bool known;

		if (!v)
			continue;
		if (v->recursive) {
			known = expand_top(ps, v->value.buf, v->value.len, &sb);
		} else {
			strbuf_reset(&sb);
			strbuf_add(&sb, v->value.buf, v->value.len);
			known = true;
		}
		id = kb_strtab_intern(&t->gnames, name, len, NULL);
		ALLOC_GROW(t->gvars, (size_t)id + 1, t->gvars_alloc);
		if (t->gvars_alloc > old)
			memset(t->gvars + old, 0, (t->gvars_alloc - old) * sizeof(*t->gvars));
		t->gvars[id].value = kb_arena_strndup(&t->arena, sb.buf, sb.len);
		t->gvars[id].unknown = v->unknown || !known;
	}
	strbuf_release(&sb);
}

static void parse_text(struct parser *ps, const char *text, size_t len)
{
	const char *p = text, *end = text + len;
	struct strbuf line = STRBUF_INIT;
	unsigned lineno = 0, first;

	while (p < end) {
		first = lineno + 1;
		read_line(&p, end, &line, &lineno);
		process_line(ps, line.buf, line.len, first);
	}
	strbuf_release(&line);
}

/*
 * include FILE...: a directory's Makefile that includes another file of the tree
 * (nouveau's nvkm/Kbuild, i915's gvt/Makefile) has its lists read in place; what the top
 * Makefiles include is kbuild's machinery, and is not followed.
 */
static void include(struct parser *ps, const char *args, size_t len)
{
	struct kb_mktree *t = ps->t;
	struct strbuf words = STRBUF_INIT, full = STRBUF_INIT, text = STRBUF_INIT;
	const char *p, *w, *saved = ps->path;
	size_t wl, nframes = ps->nframes;
	struct stat st;

	if (!t->srctree || ps->top || ps->includes >= MAX_INCLUDES) {
		strbuf_release(&words);
		return;
	}
	expand_top(ps, args, len, &words);
	p = words.buf;
	while ((w = next_word(&p, words.buf + words.len, &wl))) {
		while (wl > 2 && w[0] == '.' && w[1] == '/') {
			w += 2;
			wl -= 2;
		}
		if (w[0] == '/' || memmem(w, wl, "..", 2))
			continue;
		strbuf_reset(&full);
		strbuf_addf(&full, "%s/%.*s", t->srctree, (int)wl, w);
		strbuf_reset(&text);
		if (stat(full.buf, &st) || !S_ISREG(st.st_mode) ||
		    strbuf_read_file(&text, full.buf))
			continue;
		t->nread++;
		ps->path = intern(t, w, wl);
		ps->includes++;
		parse_text(ps, text.buf, text.len);
		ps->includes--;
		ps->path = saved;
		if (ps->nframes > nframes) /* an unbalanced file does not leak its conditionals */
			ps->nframes = nframes;
	}
	strbuf_release(&words);
	strbuf_release(&full);
	strbuf_release(&text);
}

static void parse_file(struct kb_mktree *t, uint32_t file, const char *text, size_t len,
		       enum role role)
{
	struct parser ps = { .t = t, .file = file, .dir = t->files[file].dir };
	size_t i;

	ps.path = t->files[file].path;
	ps.top = role != ROLE_DIR;
	ps.names = (struct kb_strtab)KB_STRTAB_INIT;
	ps.exports = (struct kb_strtab)KB_STRTAB_INIT;
	parse_text(&ps, text, len);
	if (role == ROLE_ARCH)
		export_globals(&ps);
	t->nread++;
	for (i = 0; i < ps.names.nr; i++)
		strbuf_release(&ps.vars[i].value);
	free(ps.vars);
	free(ps.frames);
	kb_strtab_release(&ps.names);
	kb_strtab_release(&ps.exports);
}

/* --- the tree: which Makefile a directory has ------------------------------------- */

static const char *intern(struct kb_mktree *t, const char *s, size_t len)
{
	const char *out;

	kb_strtab_intern(&t->strs, s, len, &out);
	return out;
}

static void path_join(struct strbuf *sb, const char *dir, const char *name)
{
	strbuf_reset(sb);
	if (*dir) {
		strbuf_addstr(sb, dir);
		strbuf_addch(sb, '/');
	}
	strbuf_addstr(sb, name);
}

/* Reads and parses the Makefile at path (tree-relative) of directory dir; its index. */
static uint32_t load_file(struct kb_mktree *t, const char *path, const char *dir, const char *text,
			  size_t len, enum role role)
{
	uint32_t id;
	size_t n = t->paths.nr;

	id = kb_strtab_intern(&t->paths, path, strlen(path), NULL);
	if (id < n)
		return id;
	ALLOC_GROW(t->files, t->paths.nr, t->files_alloc);
	t->files[id].path = intern(t, path, strlen(path));
	t->files[id].dir = intern(t, dir, strlen(dir));
	parse_file(t, id, text, len, role);
	return id;
}

/* The text kb_mktree_add() gave for dir, or NULL. */
static const char *added(struct kb_mktree *t, const char *dir, size_t *len)
{
	long id = kb_strtab_find(&t->added, dir, strlen(dir));

	if (id < 0)
		return NULL;
	*len = t->added_len[id];
	return t->added_text[id];
}

/* Loads srctree/dir/name if it is a regular file; NONE if not. */
static uint32_t load_disk(struct kb_mktree *t, const char *dir, const char *name, enum role role)
{
	struct strbuf rel = STRBUF_INIT, full = STRBUF_INIT, text = STRBUF_INIT;
	uint32_t id = NONE;
	struct stat st;

	if (!t->srctree)
		return NONE;
	path_join(&rel, dir, name);
	strbuf_addf(&full, "%s/%s", t->srctree, rel.buf);
	if (!stat(full.buf, &st) && S_ISREG(st.st_mode) && !strbuf_read_file(&text, full.buf))
		id = load_file(t, rel.buf, dir, text.buf, text.len, role);
	strbuf_release(&rel);
	strbuf_release(&full);
	strbuf_release(&text);
	return id;
}

/* Directory dir's Makefile (Kbuild wins, as in kbuild), loaded once; NONE if it has none. */
static uint32_t dir_file(struct kb_mktree *t, const char *dir)
{
	uint32_t id = kb_strtab_intern(&t->dirs, dir, strlen(dir), NULL), f;
	size_t old = t->dir_alloc, len;
	struct strbuf path = STRBUF_INIT;
	const char *text;

	ALLOC_GROW(t->dir_file, (size_t)id + 1, t->dir_alloc);
	while (old < t->dir_alloc)
		t->dir_file[old++] = UNSET;
	if (t->dir_file[id] != UNSET)
		return t->dir_file[id];
	text = added(t, dir, &len);
	if (text) {
		path_join(&path, dir, "Makefile");
		f = load_file(t, path.buf, dir, text, len, ROLE_DIR);
	} else {
		f = load_disk(t, dir, "Kbuild", ROLE_DIR);
		if (f == NONE)
			f = load_disk(t, dir, "Makefile", ROLE_DIR);
	}
	strbuf_release(&path);
	t->dir_file[id] = f;
	return f;
}

/* The top: Kbuild and Makefile of the root, and arch/$(SRCARCH)/Makefile, read first. */
static void ensure_top(struct kb_mktree *t)
{
	struct strbuf dir = STRBUF_INIT, path = STRBUF_INIT;
	const char *text;
	size_t len;

	if (t->top_ready)
		return;
	t->top_ready = true;
	t->top[0] = t->top[1] = t->top[2] = NONE;
	strbuf_addf(&dir, "arch/%s", t->srcarch);
	text = added(t, dir.buf, &len);
	if (text) {
		path_join(&path, dir.buf, "Makefile");
		t->top[2] = load_file(t, path.buf, dir.buf, text, len, ROLE_ARCH);
	} else {
		t->top[2] = load_disk(t, dir.buf, "Makefile", ROLE_ARCH);
	}
	text = added(t, "", &len);
	if (text) {
		t->top[0] = load_file(t, "Makefile", "", text, len, ROLE_TOP);
	} else {
		t->top[0] = load_disk(t, "", "Kbuild", ROLE_TOP);
		t->top[1] = load_disk(t, "", "Makefile", ROLE_TOP);
	}
	strbuf_release(&dir);
	strbuf_release(&path);
}

/* Forgets what was read (the strings stay: earlier answers point to them). */
static void reset_reading(struct kb_mktree *t)
{
	size_t i;

	kb_strtab_release(&t->paths);
	kb_strtab_release(&t->dirs);
	kb_strtab_release(&t->keys);
	kb_strtab_release(&t->gnames);
	kb_strtab_release(&t->far);
	t->far = (struct kb_strtab)KB_STRTAB_INIT;
	t->paths = (struct kb_strtab)KB_STRTAB_INIT;
	t->dirs = (struct kb_strtab)KB_STRTAB_INIT;
	t->keys = (struct kb_strtab)KB_STRTAB_INIT;
	t->gnames = (struct kb_strtab)KB_STRTAB_INIT;
	if (t->heads)
		memset(t->heads, 0xff, t->keys_alloc * sizeof(*t->heads));
	for (i = 0; i < t->dir_alloc; i++)
		t->dir_file[i] = UNSET;
	t->nentries = 0;
	t->nconds = 0;
	t->top_ready = false;
}

/* --- lookups ----------------------------------------------------------------------- */

struct found {
	uint32_t entry; /* NONE: nothing yet */
	int rank;
	bool top, member;
	const char *dir; /* the directory whose Makefile names it */
	unsigned level; /* how many directories up from the one asked about */
};

/*
 * Does file (a top file if top) name rel? self is the object asked for, which a composite of
 * its own name cannot explain. Keeps in *best the first entry of the best gate.
 */
static void pick(struct kb_mktree *t, uint32_t file, const char *rel, size_t len, bool top,
		 const char *self, struct found *best)
{
	uint32_t id = key_find(t, &t->key, file, rel, len), e;

	if (id == NONE)
		return;
	for (e = t->heads[id]; e != NONE; e = t->entries[e].next) {
		const struct mk_entry *me = &t->entries[e];
		bool member = me->cls == LC_OTHER || (me->cls == LC_TOP && !top);

		if (member) {
			const char *dir = t->files[file].dir;

			strbuf_reset(&t->tmp);
			strbuf_addf(&t->tmp, "%s.o", me->name);
			if (key_find(t, &t->key2, file, t->tmp.buf, t->tmp.len) == NONE)
				continue;
			path_join(&t->key2, dir, t->tmp.buf);
			if (!strcmp(t->key2.buf, self))
				continue;
		}
		if (best->entry == NONE || me->gate < best->rank) {
			best->entry = e;
			best->rank = me->gate;
			best->top = top;
			best->member = member;
			best->dir = t->files[file].dir;
		}
	}
}

static void looked_in(struct kb_mktree *t, struct strbuf *looked, uint32_t file)
{
	if (file == NONE)
		return;
	if (looked->len)
		strbuf_addstr(looked, ", ");
	strbuf_addstr(looked, t->files[file].path);
}

/*
 * Finds what names cur (a tree-relative object, or a directory if is_dir): in cur's own
 * directory, then in each ancestor's, then at the top, leaving out the first skip of these
 * levels. Returns false if nothing does; best->level says where it was found.
 */
static bool search(struct kb_mktree *t, const char *cur, bool is_dir, unsigned skip,
		   struct found *best, struct strbuf *looked)
{
	struct strbuf dir = STRBUF_INIT, rel = STRBUF_INIT;
	const char *slash = strrchr(cur, '/');
	unsigned level;
	size_t i;

	best->entry = NONE;
	strbuf_reset(looked);
	strbuf_add(&dir, cur, slash ? (size_t)(slash - cur) : 0);
	for (level = 0;; level++) {
		strbuf_reset(&rel);
		strbuf_addstr(&rel, cur + (dir.len ? dir.len + 1 : 0));
		if (is_dir)
			strbuf_addch(&rel, '/');
		if (level < skip) {
			/* tried before: its chain led nowhere */
		} else if (!dir.len) {
			for (i = 0; i < ARRAY_SIZE(t->top); i++) {
				if (t->top[i] == NONE)
					continue;
				pick(t, t->top[i], rel.buf, rel.len, true, cur, best);
				looked_in(t, looked, t->top[i]);
			}
		} else {
			uint32_t f = dir_file(t, dir.buf);

			if (f != NONE) {
				pick(t, f, rel.buf, rel.len, false, cur, best);
				looked_in(t, looked, f);
			}
		}
		if (best->entry != NONE || !dir.len)
			break;
		slash = strrchr(dir.buf, '/');
		strbuf_setlen(&dir, slash ? (size_t)(slash - dir.buf) : 0);
	}
	if (best->entry == NONE && skip <= level) {
		/* named from another directory's Makefile with ../ (a Makefile already read) */
		long id;

		strbuf_reset(&rel);
		strbuf_addstr(&rel, cur);
		if (is_dir)
			strbuf_addch(&rel, '/');
		id = kb_strtab_find(&t->far, rel.buf, rel.len);
		if (id >= 0) {
			const char *w = t->far_word[id];

			pick(t, t->far_file[id], w, strlen(w), false, cur, best);
			looked_in(t, looked, t->far_file[id]);
			level++;
		}
	}
	best->level = level;
	strbuf_release(&dir);
	strbuf_release(&rel);
	return best->entry != NONE;
}

struct chain {
	struct kb_step *steps;
	size_t n, alloc;
};

static void add_steps(struct kb_mktree *t, struct chain *c, const struct found *f)
{
	const struct mk_entry *e = &t->entries[f->entry];
	struct kb_step *s;
	uint32_t k;

	ALLOC_GROW(c->steps, c->n + 1, c->alloc);
	s = &c->steps[c->n++];
	if (f->member)
		s->kind = KB_STEP_MEMBER;
	else
		s->kind = e->word[strlen(e->word) - 1] == '/' ? KB_STEP_DIR : KB_STEP_OBJ;
	s->flags = e->flags | (f->top && !f->member ? KB_STEP_TOP : 0);
	s->option = e->option;
	s->list = e->list;
	s->name = e->word;
	s->file = e->path;
	s->line = e->line;
	for (k = e->cond; k != NONE && c->n < MAX_TOTAL_STEPS; k = t->conds[k].parent) {
		const struct mk_cond *mc = &t->conds[k];

		ALLOC_GROW(c->steps, c->n + 1, c->alloc);
		s = &c->steps[c->n++];
		s->kind = KB_STEP_COND;
		s->flags = mc->flags;
		s->option = mc->option;
		s->list = mc->text;
		s->name = e->word;
		s->file = mc->path;
		s->line = mc->line;
	}
}

/* The object as a tree-relative path: "./" dropped, "dir/lib.a(x.o)" as "dir/x.o". */
static bool normalize(const char *object, struct strbuf *cur)
{
	const char *o = object, *paren;
	size_t len;

	while (o[0] == '.' && o[1] == '/')
		o++, o++;
	len = strlen(o);
	paren = memchr(o, '(', len);
	strbuf_reset(cur);
	if (paren && len && o[len - 1] == ')') {
		const char *slash = memrchr(o, '/', (size_t)(paren - o));

		if (slash)
			strbuf_add(cur, o, (size_t)(slash + 1 - o));
		strbuf_add(cur, paren + 1, (size_t)(o + len - 1 - paren - 1));
	} else {
		strbuf_add(cur, o, len);
	}
	return cur->len > 0 && cur->buf[cur->len - 1] == '/';
}

/* One link of a chain being built: what is looked for, and where it was found. */
struct link {
	const char *cur; /* tree-relative object, or directory if is_dir */
	bool is_dir;
	unsigned skip, level;
	size_t nsteps; /* steps before this link's */
};

/*
 * Builds the chain for out->object from cur. A link whose chain dies out (an orphan
 * Makefile names a directory that its parent does not) is searched again further up.
 */
static void build_chain(struct kb_mktree *t, const char *cur, bool is_dir, struct chain *c,
			struct kb_origin *out, struct strbuf *why)
{
	struct strbuf looked = STRBUF_INIT, next = STRBUF_INIT;
	struct link *links = NULL;
	size_t n = 0, alloc = 0, tries = 0;
	struct found f;

	ALLOC_GROW(links, n + 1, alloc);
	links[n++] = (struct link){ intern(t, cur, strlen(cur)), is_dir, 0, 0, 0 };
	while (n) {
		struct link *l = &links[n - 1];

		c->n = l->nsteps;
		if (n > MAX_STEPS || c->n >= MAX_TOTAL_STEPS || ++tries > MAX_TRIES) {
			strbuf_reset(why);
			strbuf_addf(why, "%s: chain longer than %d links (a loop?) at %s%s",
				    out->object, MAX_STEPS, l->cur, l->is_dir ? "/" : "");
			break;
		}
		if (!search(t, l->cur, l->is_dir, l->skip, &f, &looked)) {
			if (!why->len)
				strbuf_addf(why, "%s: no Makefile names %s%s (looked in %s)",
					    out->object, n > 1 ? l->cur : "it",
					    n > 1 && l->is_dir ? "/" : "",
					    looked.len ? looked.buf : "no Makefile found");
			if (--n)
				links[n - 1].skip = links[n - 1].level + 1;
			continue;
		}
		l->level = f.level;
		add_steps(t, c, &f);
		if (f.top && !f.member) {
			out->resolved = 1;
			break;
		}
		if (f.member) {
			strbuf_reset(&looked);
			strbuf_addf(&looked, "%s.o", t->entries[f.entry].name);
			path_join(&next, f.dir, looked.buf);
		} else {
			strbuf_reset(&next);
			strbuf_addstr(&next, f.dir);
		}
		ALLOC_GROW(links, n + 1, alloc);
		links[n++] = (struct link){ intern(t, next.buf, next.len), !f.member, 0, 0, c->n };
	}
	if (out->resolved)
		strbuf_reset(why);
	free(links);
	strbuf_release(&looked);
	strbuf_release(&next);
}

int kb_mktree_resolve(struct kb_mktree *t, const char *object, struct kb_origin *out)
{
	struct strbuf cur = STRBUF_INIT, why = STRBUF_INIT;
	struct chain c = { NULL, 0, 0 };
	bool is_dir;

	memset(out, 0, sizeof(*out));
	out->object = intern(t, object, strlen(object));
	ensure_top(t);
	is_dir = normalize(object, &cur);
	while (cur.len && cur.buf[cur.len - 1] == '/')
		strbuf_setlen(&cur, cur.len - 1);
	if (cur.len)
		build_chain(t, cur.buf, is_dir, &c, out, &why);
	else
		strbuf_addf(&why, "%s: not a path in the tree", object);
	if (c.n) {
		out->steps = kb_arena_alloc(&t->arena, c.n * sizeof(*c.steps));
		memcpy(out->steps, c.steps, c.n * sizeof(*c.steps));
		out->nsteps = c.n;
	}
	if (!out->resolved)
		out->why = kb_arena_strndup(&t->arena, why.buf, why.len);
	free(c.steps);
	strbuf_release(&cur);
	strbuf_release(&why);
	return 0;
}

/* --- opening and closing ----------------------------------------------------------- */

int kb_mktree_open(struct kb_mktree **out, const char *srctree, const char *srcarch, kb_kval_fn val,
		   void *ctx)
{
	struct kb_mktree *t;
	struct strbuf path = STRBUF_INIT;
	struct stat st;

	*out = NULL;
	if (!srcarch || !*srcarch || strchr(srcarch, '/'))
		return kb_error_set("%s: not an architecture directory name",
				    srcarch ? srcarch : "(null)");
	if (srctree) {
		strbuf_addf(&path, "%s/Makefile", srctree);
		if (stat(path.buf, &st) || !S_ISREG(st.st_mode)) {
			strbuf_release(&path);
			return kb_error_set("%s: not a kernel tree (no Makefile)", srctree);
		}
		strbuf_release(&path);
	}
	t = xcalloc(1, sizeof(*t));
	t->srctree = srctree ? xstrdup(srctree) : NULL;
	t->srcarch = xstrdup(srcarch);
	t->val = val;
	t->ctx = ctx;
	strbuf_init(&t->key, 0);
	strbuf_init(&t->key2, 0);
	strbuf_init(&t->tmp, 0);
	*out = t;
	return 0;
}

void kb_mktree_add(struct kb_mktree *t, const char *dir, const char *text, size_t len)
{
	size_t old = t->added_alloc;
	uint32_t id = kb_strtab_intern(&t->added, dir, strlen(dir), NULL);

	ALLOC_GROW(t->added_text, (size_t)id + 1, t->added_alloc);
	if (t->added_alloc > old) {
		t->added_len = xreallocarray(t->added_len, t->added_alloc, sizeof(*t->added_len));
		memset(t->added_text + old, 0, (t->added_alloc - old) * sizeof(*t->added_text));
	}
	free(t->added_text[id]);
	t->added_text[id] = xmalloc(len ? len : 1);
	if (len)
		memcpy(t->added_text[id], text, len);
	t->added_len[id] = len;
	if (t->top_ready || t->paths.nr)
		reset_reading(t);
}

size_t kb_mktree_nfiles(const struct kb_mktree *t)
{
	return t->nread;
}

size_t kb_mktree_nskipped(const struct kb_mktree *t)
{
	return t->nskipped;
}

void kb_mktree_free(struct kb_mktree *t)
{
	size_t i;

	if (!t)
		return;
	for (i = 0; i < t->added.nr; i++)
		free(t->added_text[i]);
	free(t->added_text);
	free(t->added_len);
	kb_strtab_release(&t->added);
	reset_reading(t);
	free(t->files);
	free(t->dir_file);
	free(t->heads);
	free(t->tails);
	free(t->entries);
	free(t->conds);
	free(t->gvars);
	free(t->far_file);
	free(t->far_word);
	kb_strtab_release(&t->strs);
	kb_arena_release(&t->arena);
	strbuf_release(&t->key);
	strbuf_release(&t->key2);
	strbuf_release(&t->tmp);
	free(t->srctree);
	free(t->srcarch);
	free(t);
}
