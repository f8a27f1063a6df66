/*
 * maintainers.c - parse MAINTAINERS and find the section that owns a path, deciding as
 * scripts/get_maintainer.pl does (read_maintainer_file(), get_maintainers(),
 * file_match_pattern()); see maintainers.h for what is promised.
 *
 * get_maintainer.pl turns each F:/X: glob into a Perl regex ('.' to "\.", '*' to ".*", '?'
 * to '.') and tries every pattern against every file. We keep that converted text (its '/'
 * count and its directory test are made on it, as the script makes them) but match it with
 * a glob matcher, and only try the patterns whose literal leading text is a prefix of the
 * path: the distinct literal prefixes are interned, and a lookup probes each prefix of the
 * path once. N: regexes are few; each is first screened by a literal that it requires.
 *
 * Sections are found as the script finds them: blank and '#' lines are dropped, a run of
 * tag lines (a capital letter and a colon: "M:", "F:", ...) is a section, and its title is
 * the line kept just before the run (the run's own first line if nothing is kept before).
 */
#include "maintainers.h"

#include "arena.h"
#include "error.h"
#include "files.h"
#include "strbuf.h"
#include "strtab.h"
#include "xalloc.h"

#include <errno.h>
#include <regex.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define NAME_RE_MAX 256 /* longer N: lines are ignored */
#define CLASS_MAX 256 /* a '[' with no ']' within this many bytes is literal */

/* An F: or X: line, as get_maintainer.pl holds it after converting the glob. */
struct maint_pat {
	const char *re; /* the converted text; not NUL-terminated */
	size_t len;
	size_t lit; /* bytes of re that make the literal prefix */
	uint32_t section; /* index in m->sections */
	uint32_t ord; /* position among its section's tag lines */
	size_t slashes; /* number of '/' in re */
	long value; /* get_maintainer.pl's $value_pd */
	bool dir; /* re ends in '/': matches everything under it */
};

/* An N: line. */
struct maint_name {
	regex_t re;
	const char *need; /* a literal every match contains, or NULL */
	size_t need_len;
	uint32_t section, ord;
};

struct maint_section {
	const char *title;
	size_t xfirst, xnr; /* its X: lines in m->xpats */
	size_t cfirst, cnr; /* its M: and L: lines in m->contacts */
};

struct kb_maint {
	struct kb_arena arena;
	struct maint_section *sections;
	size_t nsections, sections_alloc;
	struct maint_pat *fpats, *xpats;
	size_t nf, f_alloc, nx, x_alloc;
	struct maint_name *names;
	size_t nnames, names_alloc;
	struct kb_maint_contact *contacts; /* every section's M: and L: lines, in file order */
	size_t ncontacts, contacts_alloc;

	/* F: patterns by literal prefix: those of prefix id i are byprefix[first[i]..first[i+1]) */
	struct kb_strtab prefixes;
	size_t *first;
	uint32_t *byprefix;
	size_t max_prefix;
	bool *has_len; /* has_len[k]: some literal prefix is k bytes long (k <= max_prefix) */

	/* lookup scratch: per section, the last matching line seen in this lookup */
	uint32_t *stamp, *ord, *touched;
	long *value;
	size_t *lit; /* literal prefix of the section's deciding match: breaks ties */
	uint32_t gen;
	struct strbuf path;
};

/* --- the converted glob: tokens, classes, prefix matching -------------------------- */

enum tok_kind { TOK_LIT, TOK_ANY, TOK_STAR, TOK_CLASS };

struct tok {
	enum tok_kind kind;
	unsigned char c; /* TOK_LIT */
	const char *cls, *cls_end; /* TOK_CLASS: between the brackets */
	size_t len; /* bytes of re the token takes */
};

/*
 * Returns the end of the class body that starts at p (just after '['), or NULL. The bound
 * keeps a line of unclosed '[' from costing time quadratic in its length.
 */
static const char *class_end(const char *p, const char *end)
{
	if ((size_t)(end - p) > CLASS_MAX)
		end = p + CLASS_MAX;
	if (p < end && *p == '^')
		p++;
	if (p < end && *p == ']')
		p++;
	while (p < end && *p != ']')
		p += (*p == '\\' && p + 1 < end) ? 2 : 1;
	return p < end ? p : NULL;
}

static void tok_next(const char *p, const char *end, struct tok *t)
{
	const char *ce;

	t->kind = TOK_LIT;
	t->c = (unsigned char)*p;
	t->len = 1;
	if (*p == '.' && p + 1 < end && p[1] == '*') {
		t->kind = TOK_STAR;
		t->len = 2;
	} else if (*p == '.') {
		t->kind = TOK_ANY;
	} else if (*p == '\\' && p + 1 < end) {
		t->c = (unsigned char)p[1];
		t->len = 2;
	} else if (*p == '[' && (ce = class_end(p + 1, end))) {
		t->kind = TOK_CLASS;
		t->cls = p + 1;
		t->cls_end = ce;
		t->len = (size_t)(ce + 1 - p);
	}
}

/* One member of a class body at *pp (an escape or a plain byte); advances *pp. */
static unsigned char class_atom(const char **pp, const char *end)
{
	const char *p = *pp;

	if (*p == '\\' && p + 1 < end) {
		*pp = p + 2;
		return (unsigned char)p[1];
	}
	*pp = p + 1;
	return (unsigned char)*p;
}

/* A ']' first in the body is a member: class_end() stepped over it, and so does this. */
static bool class_match(const char *p, const char *end, unsigned char c)
{
	bool neg = false, in = false;

	if (p < end && *p == '^') {
		neg = true;
		p++;
	}
	while (p < end) {
		unsigned char lo = class_atom(&p, end), hi = lo;

		if (p + 1 < end && *p == '-') {
			p++;
			hi = class_atom(&p, end);
		}
		if (c >= lo && c <= hi)
			in = true;
	}
	return in != neg;
}

static bool tok_matches(const struct tok *t, unsigned char c)
{
	switch (t->kind) {
	case TOK_LIT:
		return c == t->c;
	case TOK_ANY:
		return c != '\n';
	case TOK_CLASS:
		return class_match(t->cls, t->cls_end, c);
	default:
		return false;
	}
}

/*
 * Does the converted glob p..pe match a prefix of s..se? A glob whose only variable part is
 * ".*" needs to retry only the last star it passed.
 */
static bool glob_prefix(const char *p, const char *pe, const char *s, const char *se)
{
	const char *star_p = NULL, *star_s = NULL;
	struct tok t;

	while (p < pe) {
		tok_next(p, pe, &t);
		if (t.kind == TOK_STAR) {
			p += t.len;
			star_p = p;
			star_s = s;
			continue;
		}
		if (s < se && tok_matches(&t, (unsigned char)*s)) {
			p += t.len;
			s++;
			continue;
		}
		if (!star_p || star_s >= se || *star_s == '\n')
			return false;
		p = star_p;
		s = ++star_s;
	}
	return true;
}

/* file_match_pattern(), for a path whose literal prefix pat->lit is already known to match */
static bool pat_matches(const struct maint_pat *pat, const char *path, size_t len, size_t skip,
			size_t slashes)
{
	if (!pat->dir && pat->slashes != slashes)
		return false;
	return glob_prefix(pat->re + pat->lit, pat->re + pat->len, path + skip, path + len);
}

/* Decodes the literal prefix of re into sb; returns the bytes of re it takes. */
static size_t literal_prefix(const char *re, size_t len, struct strbuf *sb)
{
	const char *p = re, *end = re + len;
	struct tok t;

	strbuf_reset(sb);
	while (p < end) {
		tok_next(p, end, &t);
		if (t.kind != TOK_LIT)
			break;
		strbuf_addch(sb, t.c);
		p += t.len;
	}
	return (size_t)(p - re);
}

/* --- parsing ------------------------------------------------------------------------ */

/* Perl's \s on bytes: space, \t, \n, \v, \f, \r */
static bool is_space(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

/* read_maintainer_file(): '.' to "\.", '*' to ".*", '?' to '.' */
static void convert_glob(struct strbuf *sb, const char *v, size_t len)
{
	size_t i;

	strbuf_reset(sb);
	for (i = 0; i < len; i++) {
		if (v[i] == '.')
			strbuf_add(sb, "\\.", 2);
		else if (v[i] == '*')
			strbuf_add(sb, ".*", 2);
		else if (v[i] == '?')
			strbuf_addch(sb, '.');
		else
			strbuf_addch(sb, v[i]);
	}
}

/* `-d $value` under tree (an absolute pattern as it stands), on the converted text as the script */
static bool names_dir(const char *tree, const struct strbuf *re, struct strbuf *tmp)
{
	struct stat st;

	if (!tree || !re->len || memchr(re->buf, '\0', re->len))
		return false;
	strbuf_reset(tmp);
	if (re->buf[0] != '/') {
		strbuf_addstr(tmp, tree);
		if (tmp->len && tmp->buf[tmp->len - 1] != '/')
			strbuf_addch(tmp, '/');
	}
	strbuf_add(tmp, re->buf, re->len);
	return !stat(tmp->buf, &st) && S_ISDIR(st.st_mode);
}

struct parser {
	struct kb_maint *m;
	const char *tree;
	struct strbuf re, tmp;
	uint32_t ord; /* tag lines seen in the current section */
};

static void add_pattern(struct parser *ps, char type, const char *v, size_t len)
{
	struct kb_maint *m = ps->m;
	struct maint_pat *pat;
	size_t i;

	convert_glob(&ps->re, v, len);
	if (names_dir(ps->tree, &ps->re, &ps->tmp) && ps->re.buf[ps->re.len - 1] != '/')
		strbuf_addch(&ps->re, '/');
	if (type == 'F') {
		ALLOC_GROW(m->fpats, m->nf + 1, m->f_alloc);
		pat = &m->fpats[m->nf++];
	} else {
		ALLOC_GROW(m->xpats, m->nx + 1, m->x_alloc);
		pat = &m->xpats[m->nx++];
		m->sections[m->nsections - 1].xnr++;
	}
	memset(pat, 0, sizeof(*pat));
	pat->re = kb_arena_strndup(&m->arena, ps->re.buf, ps->re.len);
	pat->len = ps->re.len;
	pat->section = (uint32_t)(m->nsections - 1);
	pat->ord = ps->ord;
	for (i = 0; i < pat->len; i++)
		pat->slashes += pat->re[i] == '/';
	pat->dir = pat->len && pat->re[pat->len - 1] == '/';
	pat->value = (long)pat->slashes + !pat->dir;
	if (pat->len >= 2 && pat->re[0] == '.' && pat->re[1] == '*')
		pat->value = -1;
}

/*
 * The regex as Perl's /x reads it: unescaped blanks and '#' comments outside a bracket
 * expression are dropped. Returns false for what we choose not to compile: glibc copies
 * the operand of '+' and of a {} bound, so '+' on a group or on another quantifier, or a
 * bound, can make the compiled regex exponentially large; back-references make matching
 * slow and deeply recursive.
 */
static bool strip_x(struct strbuf *sb, const char *v, size_t len)
{
	char prev = 'a'; /* 'a' after an atom, ')' after a group, '*' after a quantifier */
	size_t i;

	if (len > NAME_RE_MAX || memchr(v, '\0', len))
		return false;
	strbuf_reset(sb);
	for (i = 0; i < len; i++) {
		char c = v[i];

		if (c == '\\' && i + 1 < len) {
			if (v[i + 1] >= '1' && v[i + 1] <= '9')
				return false;
			strbuf_add(sb, v + i, 2);
			i++;
			prev = 'a';
		} else if (c == '[') {
			const char *ce = class_end(v + i + 1, v + len);
			size_t n = ce ? (size_t)(ce + 1 - (v + i)) : 1;

			strbuf_add(sb, v + i, n);
			i += n - 1;
			prev = 'a';
		} else if (c == '#') {
			break;
		} else if (!is_space(c)) {
			if (c == '{' || (c == '+' && prev != 'a'))
				return false;
			strbuf_addch(sb, c);
			prev = c == ')' ? ')' : strchr("*+?", c) ? '*' : 'a';
		}
	}
	return true;
}

/*
 * The longest run of literal bytes that every match of the ERE re must contain, so that a
 * lookup can skip regexec() when the path lacks it. Gives up (NULL) on alternation.
 */
static const char *required_literal(const char *re, size_t len, size_t *out_len)
{
	const char *best = NULL, *run = NULL;
	size_t best_len = 0, run_len = 0, i;
	int depth = 0;

	if (memchr(re, '|', len))
		return NULL;
	for (i = 0; i <= len; i++) {
		char c = i < len ? re[i] : '\0';
		bool lit = i < len && depth == 0 && !strchr("\\[]().^$*+?{}", c);

		if (lit) {
			if (!run_len)
				run = re + i;
			run_len++;
			continue;
		}
		if (i < len && strchr("*?", c) && run_len)
			run_len--; /* the byte before a quantifier may be absent */
		if (run_len > best_len) {
			best = run;
			best_len = run_len;
		}
		run_len = 0;
		if (i == len)
			break;
		if (c == '\\') {
			i++;
		} else if (c == '[') {
			const char *ce = class_end(re + i + 1, re + len);

			if (ce)
				i = (size_t)(ce - re);
		} else if (c == '(') {
			depth++;
		} else if (c == ')' && depth > 0) {
			depth--;
		}
	}
	*out_len = best_len;
	return best;
}

static void add_name(struct parser *ps, const char *v, size_t len)
{
	struct kb_maint *m = ps->m;
	struct maint_name *n;
	size_t need_len = 0;
	const char *need;

	if (!strip_x(&ps->re, v, len))
		return;
	ALLOC_GROW(m->names, m->nnames + 1, m->names_alloc);
	n = &m->names[m->nnames];
	if (regcomp(&n->re, ps->re.buf, REG_EXTENDED | REG_NOSUB))
		return;
	need = required_literal(ps->re.buf, ps->re.len, &need_len);
	n->need = need ? kb_arena_strndup(&m->arena, need, need_len) : NULL;
	n->need_len = need_len;
	n->section = (uint32_t)(m->nsections - 1);
	n->ord = ps->ord;
	m->nnames++;
}

static void start_section(struct parser *ps, const char *title, size_t title_len)
{
	struct kb_maint *m = ps->m;
	struct maint_section *s;

	ALLOC_GROW(m->sections, m->nsections + 1, m->sections_alloc);
	s = &m->sections[m->nsections++];
	s->title = kb_arena_strndup(&m->arena, title, title_len);
	s->xfirst = m->nx;
	s->xnr = 0;
	s->cfirst = m->ncontacts;
	s->cnr = 0;
	ps->ord = 0;
}

/* An M: or L: line: who get_maintainer.pl would mail for the section. */
static void add_contact(struct parser *ps, char role, const char *v, size_t len)
{
	struct kb_maint *m = ps->m;
	struct kb_maint_contact *c;

	while (len && is_space(v[len - 1]))
		len--;
	if (!len)
		return;
	ALLOC_GROW(m->contacts, m->ncontacts + 1, m->contacts_alloc);
	c = &m->contacts[m->ncontacts++];
	c->role = role;
	c->value = kb_arena_strndup(&m->arena, v, len);
	m->sections[m->nsections - 1].cnr++;
}

static void parse_lines(struct parser *ps, const char *text, size_t len)
{
	const char *p = text, *end = text + len;
	const char *title = NULL;
	size_t title_len = 0;
	bool in_section = false, kept_any = false;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end, *v;

		if (le - p >= 2 && *p >= 'A' && *p <= 'Z' && p[1] == ':') {
			for (v = p + 2; v < le && is_space(*v);)
				v++;
			if (!in_section) {
				/* nothing kept before: the script takes the tag line itself */
				if (!kept_any) {
					convert_glob(&ps->tmp, v, (size_t)(le - v));
					strbuf_reset(&ps->re);
					strbuf_add(&ps->re, p, 2);
					if (*p == 'F' || *p == 'X')
						strbuf_add(&ps->re, ps->tmp.buf, ps->tmp.len);
					else
						strbuf_add(&ps->re, v, (size_t)(le - v));
					title = ps->re.buf;
					title_len = ps->re.len;
				}
				start_section(ps, title, title_len);
				in_section = true;
			}
			if (*p == 'F' || *p == 'X')
				add_pattern(ps, *p, v, (size_t)(le - v));
			else if (*p == 'N')
				add_name(ps, v, (size_t)(le - v));
			else if (*p == 'M' || *p == 'L')
				add_contact(ps, *p, v, (size_t)(le - v));
			ps->ord++;
			kept_any = true;
		} else {
			for (v = p; v < le && is_space(*v);)
				v++;
			if (v < le && *v != '#') {
				title = p;
				title_len = (size_t)(le - p);
				in_section = false;
				kept_any = true;
			}
		}
		p = nl ? nl + 1 : end;
	}
}

/* Groups the F: patterns by interned literal prefix. */
static void build_index(struct kb_maint *m)
{
	struct strbuf lit = STRBUF_INIT;
	uint32_t *ids = xcalloc(m->nf ? m->nf : 1, sizeof(*ids));
	size_t i, n;

	for (i = 0; i < m->nf; i++) {
		struct maint_pat *pat = &m->fpats[i];

		pat->lit = literal_prefix(pat->re, pat->len, &lit);
		if (memchr(lit.buf, '\0', lit.len)) { /* no path holds a NUL: never matches */
			ids[i] = UINT32_MAX;
			continue;
		}
		ids[i] = kb_strtab_intern(&m->prefixes, lit.buf, lit.len, NULL);
		if (lit.len > m->max_prefix)
			m->max_prefix = lit.len;
	}
	n = m->prefixes.nr;
	m->first = xcalloc(n + 2, sizeof(*m->first));
	m->byprefix = xcalloc(m->nf ? m->nf : 1, sizeof(*m->byprefix));
	m->has_len = xcalloc(m->max_prefix + 1, sizeof(*m->has_len));
	for (i = 0; i < n; i++)
		m->has_len[strlen(m->prefixes.strs[i])] = true;
	for (i = 0; i < m->nf; i++)
		if (ids[i] != UINT32_MAX)
			m->first[ids[i] + 2]++;
	for (i = 2; i < n + 2; i++)
		m->first[i] += m->first[i - 1];
	/* first[id + 1] is the fill cursor; it ends as the start of id + 1 */
	for (i = 0; i < m->nf; i++)
		if (ids[i] != UINT32_MAX)
			m->byprefix[m->first[ids[i] + 1]++] = (uint32_t)i;
	free(ids);
	strbuf_release(&lit);
}

int kb_maint_parse(struct kb_maint **out, const char *name, const char *text, size_t len,
		   const char *tree)
{
	struct parser ps = { .tree = tree, .re = STRBUF_INIT, .tmp = STRBUF_INIT };
	struct kb_maint *m = xcalloc(1, sizeof(*m));

	*out = NULL;
	ps.m = m;
	parse_lines(&ps, text, len);
	strbuf_release(&ps.re);
	strbuf_release(&ps.tmp);
	if (!m->nsections) {
		kb_maint_free(m);
		return kb_error_set("%s: no MAINTAINERS sections found", name);
	}
	build_index(m);
	m->stamp = xcalloc(m->nsections, sizeof(*m->stamp));
	m->ord = xcalloc(m->nsections, sizeof(*m->ord));
	m->touched = xcalloc(m->nsections, sizeof(*m->touched));
	m->value = xcalloc(m->nsections, sizeof(*m->value));
	m->lit = xcalloc(m->nsections, sizeof(*m->lit));
	strbuf_init(&m->path, 256);
	*out = m;
	return 0;
}

int kb_maint_open(struct kb_maint **out, const char *tree)
{
	struct strbuf path = STRBUF_INIT, text = STRBUF_INIT;
	int ret;

	*out = NULL;
	strbuf_addstr(&path, tree);
	if (path.len && path.buf[path.len - 1] != '/')
		strbuf_addch(&path, '/');
	strbuf_addstr(&path, "MAINTAINERS");
	if (strbuf_read_file(&text, path.buf) < 0) {
		if (errno == ENOENT)
			ret = kb_error_set("%s: no such file", path.buf);
		else
			ret = kb_error_set("%s: %s", path.buf, kb_strerror(errno));
		goto out;
	}
	ret = kb_maint_parse(out, path.buf, text.buf, text.len, tree);
out:
	strbuf_release(&text);
	strbuf_release(&path);
	return ret;
}

/* --- lookup ------------------------------------------------------------------------- */

/* As File::Spec->canonpath: drop "." parts and repeated '/'; keep a leading or trailing '/'. */
static void canon_path(struct strbuf *sb, const char *path)
{
	const char *p = path;

	strbuf_reset(sb);
	if (*p == '/')
		strbuf_addch(sb, '/');
	while (*p) {
		const char *e = strchrnul(p, '/');
		size_t n = (size_t)(e - p);

		if (n && !(n == 1 && *p == '.')) {
			if (sb->len && sb->buf[sb->len - 1] != '/')
				strbuf_addch(sb, '/');
			strbuf_add(sb, p, n);
		}
		if (!*e && (!n || (n == 1 && *p == '.')) && sb->len && sb->buf[sb->len - 1] != '/')
			strbuf_addch(sb, '/');
		p = *e ? e + 1 : e;
	}
}

/* A line of section s matched: the script keeps the value of the section's last match. */
static void note_match(struct kb_maint *m, size_t *ntouched, uint32_t s, uint32_t ord, long value,
		       size_t lit)
{
	if (m->stamp[s] != m->gen) {
		m->stamp[s] = m->gen;
		m->touched[(*ntouched)++] = s;
	} else if (ord < m->ord[s]) {
		return;
	}
	m->ord[s] = ord;
	m->value[s] = value;
	m->lit[s] = lit;
}

static bool excluded(const struct kb_maint *m, uint32_t s, const char *path, size_t len,
		     size_t slashes)
{
	const struct maint_section *sec = &m->sections[s];
	size_t i;

	for (i = sec->xfirst; i < sec->xfirst + sec->xnr; i++)
		if (pat_matches(&m->xpats[i], path, len, 0, slashes))
			return true;
	return false;
}

static void match_files(struct kb_maint *m, size_t *ntouched, const char *path, size_t len,
			size_t slashes)
{
	size_t k, j;

	for (k = 0; k <= len && k <= m->max_prefix; k++) {
		long id;

		if (!m->has_len[k] || (id = kb_strtab_find(&m->prefixes, path, k)) < 0)
			continue;
		for (j = m->first[id]; j < m->first[id + 1]; j++) {
			const struct maint_pat *pat = &m->fpats[m->byprefix[j]];

			if (pat_matches(pat, path, len, k, slashes))
				note_match(m, ntouched, pat->section, pat->ord, pat->value,
					   pat->lit);
		}
	}
}

/* memmem() for a needle of a few bytes in a short path, without memmem()'s set-up cost */
static bool contains(const char *s, size_t len, const char *needle, size_t n)
{
	const char *end = s + len, *p = s;

	while (n && (size_t)(end - p) >= n && (p = memchr(p, *needle, (size_t)(end - p - n + 1)))) {
		if (!memcmp(p, needle, n))
			return true;
		p++;
	}
	return !n;
}

static void match_names(struct kb_maint *m, size_t *ntouched, const char *path, size_t len)
{
	size_t i;

	for (i = 0; i < m->nnames; i++) {
		const struct maint_name *n = &m->names[i];

		if (n->need && !contains(path, len, n->need, n->need_len))
			continue;
		if (!regexec(&n->re, path, 0, NULL, 0))
			note_match(m, ntouched, n->section, n->ord, 0, 0);
	}
}

const char *kb_maint_lookup(struct kb_maint *m, const char *path)
{
	size_t ntouched = 0, slashes = 0, i, len;
	const char *p;
	long best_value = 0;
	long best = -1;

	canon_path(&m->path, path);
	p = m->path.buf;
	len = m->path.len;
	for (i = 0; i < len; i++)
		slashes += p[i] == '/';
	if (++m->gen == 0) { /* wrapped: no stale stamp may look current */
		memset(m->stamp, 0, m->nsections * sizeof(*m->stamp));
		m->gen = 1;
	}
	match_files(m, &ntouched, p, len, slashes);
	match_names(m, &ntouched, p, len);
	for (i = 0; i < ntouched; i++) {
		uint32_t s = m->touched[i];

		/*
		 * get_maintainer.pl leaves a tie of depths to Perl's hash order; here the match
		 * with the longer literal wins (a file named outright over a glob of the same
		 * depth), then the earlier section.
		 */
		if (best >= 0 && (m->value[s] < best_value ||
				  (m->value[s] == best_value &&
				   (m->lit[s] < m->lit[best] ||
				    (m->lit[s] == m->lit[best] && s > (uint32_t)best)))))
			continue;
		if (excluded(m, s, p, len, slashes))
			continue;
		best = s;
		best_value = m->value[s];
	}
	return best >= 0 ? m->sections[best].title : NULL;
}

const struct kb_maint_contact *kb_maint_contacts(const struct kb_maint *m, const char *title,
						 size_t *n)
{
	size_t i;

	*n = 0;
	for (i = 0; i < m->nsections; i++) {
		const struct maint_section *sec = &m->sections[i];

		if (strcmp(sec->title, title))
			continue;
		*n = sec->cnr;
		return sec->cnr ? &m->contacts[sec->cfirst] : NULL;
	}
	return NULL;
}

size_t kb_maint_nsections(const struct kb_maint *m)
{
	return m->nsections;
}

void kb_maint_free(struct kb_maint *m)
{
	size_t i;

	if (!m)
		return;
	for (i = 0; i < m->nnames; i++)
		regfree(&m->names[i].re);
	free(m->names);
	free(m->contacts);
	free(m->sections);
	free(m->fpats);
	free(m->xpats);
	free(m->first);
	free(m->byprefix);
	free(m->has_len);
	free(m->stamp);
	free(m->ord);
	free(m->touched);
	free(m->value);
	free(m->lit);
	strbuf_release(&m->path);
	kb_strtab_release(&m->prefixes);
	kb_arena_release(&m->arena);
	free(m);
}
