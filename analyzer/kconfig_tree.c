/*
 * kconfig_tree.c - reads Kconfig files as scripts/kconfig/lexer.l and parser.y read them
 * into the symbol table of kconfig_tree.h, and evaluates its expressions as expr.c does.
 *
 * The lexer is lexer.l's INITIAL and STRING states: '#' starts a comment outside strings,
 * a backslash before a newline joins lines, a character it does not know is ignored, a
 * string ends at its quote or at the end of the line, and a word holding '$' is a macro
 * kept as its raw text. The help state is skip_help(); an assignment (`cc-option = ...`)
 * has its value skipped to the end of the line, as lexer.l's ASSIGN_VAL state takes it.
 *
 * The parser reads one statement a line. Entries (config, menu, choice, if, ...) end the
 * entry before them; attributes go to the current entry. Blocks (if, menu, choice) form a
 * stack whose dependencies, ANDed outermost first, are each definition's inherited
 * dependency, as menu_finalize() gives it. Anything not understood is skipped to the end
 * of its line; the lexer never reads past the text it is given.
 *
 * Expressions are trees in the tree's arena. Their depth is bounded when they are built
 * (EXPR_MAX_DEPTH for what is parsed, DEP_MAX_DEPTH for dependencies ANDed and ORed
 * together), so evaluating and printing them recurse no deeper than that.
 */
#include "kconfig_tree.h"

#include "error.h"
#include "files.h"
#include "xalloc.h"

#include <errno.h>
#include <glob.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define SOURCE_MAX_NEST 64
#define EXPR_MAX_DEPTH 200 /* a parsed expression: deeper is refused and counted in nbad */
#define DEP_MAX_DEPTH 1000 /* a dependency combined of blocks and definitions */

/* An expression node and the depth of the tree below it (1 for a symbol). */
struct knode {
	struct kb_kexpr e;
	unsigned depth;
};

enum tok {
	T_EOF,
	T_EOL,
	T_WORD,
	T_STRING,
	T_MACRO, /* a word holding '$': "$(cc-option,-mfoo)" */
	T_OR,
	T_AND,
	T_EQ,
	T_NE,
	T_LT,
	T_LE,
	T_GT,
	T_GE,
	T_NOT,
	T_LPAREN,
	T_RPAREN,
	T_ASSIGN /* := or += */
};

enum kw {
	K_NONE,
	K_CONFIG,
	K_MENUCONFIG,
	K_CHOICE,
	K_ENDCHOICE,
	K_COMMENT,
	K_MENU,
	K_ENDMENU,
	K_IF,
	K_ENDIF,
	K_MAINMENU,
	K_SOURCE,
	K_RSOURCE,
	K_OSOURCE,
	K_ORSOURCE,
	K_BOOL,
	K_TRISTATE,
	K_STRING,
	K_INT,
	K_HEX,
	K_DEF_BOOL,
	K_DEF_TRISTATE,
	K_PROMPT,
	K_DEFAULT,
	K_DEPENDS,
	K_ON,
	K_SELECT,
	K_IMPLY,
	K_VISIBLE,
	K_RANGE,
	K_OPTION,
	K_MODULES,
	K_OPTIONAL,
	K_TRANSITIONAL,
	K_HELP
};

static const struct {
	const char *word;
	enum kw kw;
} keywords[] = {
	{ "config", K_CONFIG },
	{ "menuconfig", K_MENUCONFIG },
	{ "choice", K_CHOICE },
	{ "endchoice", K_ENDCHOICE },
	{ "comment", K_COMMENT },
	{ "menu", K_MENU },
	{ "endmenu", K_ENDMENU },
	{ "if", K_IF },
	{ "endif", K_ENDIF },
	{ "mainmenu", K_MAINMENU },
	{ "source", K_SOURCE },
	{ "rsource", K_RSOURCE },
	{ "osource", K_OSOURCE },
	{ "orsource", K_ORSOURCE },
	{ "bool", K_BOOL },
	{ "boolean", K_BOOL }, /* an old spelling */
	{ "tristate", K_TRISTATE },
	{ "string", K_STRING },
	{ "int", K_INT },
	{ "hex", K_HEX },
	{ "def_bool", K_DEF_BOOL },
	{ "def_tristate", K_DEF_TRISTATE },
	{ "prompt", K_PROMPT },
	{ "default", K_DEFAULT },
	{ "depends", K_DEPENDS },
	{ "on", K_ON },
	{ "select", K_SELECT },
	{ "imply", K_IMPLY },
	{ "visible", K_VISIBLE },
	{ "range", K_RANGE },
	{ "option", K_OPTION }, /* older kernels */
	{ "modules", K_MODULES },
	{ "optional", K_OPTIONAL },
	{ "transitional", K_TRANSITIONAL }, /* newer kernels */
	{ "help", K_HELP },
	{ "---help---", K_HELP }, /* older kernels */
};

/* The reading position in one file; a sourced file gets its own. */
struct klex {
	const char *p, *end;
	const char *file; /* tree-relative, in the arena */
	unsigned line; /* of p */
	enum tok tok; /* the current token */
	const char *ts; /* T_WORD, T_MACRO: its text */
	size_t tlen;
	unsigned tline; /* the current token's line */
};

enum bkind { B_IF, B_MENU, B_CHOICE };

struct kblock {
	enum bkind kind;
	const struct kb_kexpr *dep; /* its own: the if's condition, the menu's `depends on` */
	const struct kb_kexpr *acc; /* AND of the deps of this block and all below */
	bool acc_ok; /* acc is up to date: true for every block but perhaps the top */
	long choice; /* index of the innermost choice block at or below, or -1 */
	enum kb_ktype type; /* B_CHOICE: its type */
};

enum ekind { E_NONE, E_CONFIG, E_MENU, E_CHOICE, E_COMMENT };

/* The entry that attributes go to. */
struct kentry {
	enum ekind kind;
	uint32_t sym; /* E_CONFIG */
	unsigned line;
	const struct kb_kexpr *deps; /* E_CONFIG: its own `depends on` lines, ANDed */
	bool prompt; /* E_CONFIG: this definition has a prompt ... */
	const struct kb_kexpr *prompt_if; /* ... under this `if` (NULL: none) */
};

struct pend_default {
	uint32_t sym;
	struct kb_kdefault d;
};

/* A select or imply while reading: from selects r.sym. */
struct pend_ref {
	uint32_t from;
	struct kb_kref r;
};

struct kparser {
	struct kb_ktree *t;
	size_t nsyms, syms_alloc;
	struct klex *lx;
	struct strbuf str; /* the current T_STRING, unquoted */
	struct kblock *blocks;
	size_t nblocks, blocks_alloc;
	struct kentry cur;
	unsigned stmt_line;
	struct pend_default *defs;
	size_t ndefs, defs_alloc;
	struct pend_ref *sels, *imps;
	size_t nsels, sels_alloc, nimps, imps_alloc;
	/* kb_ktree_read: the tree and arch; NULL for kb_ktree_parse, which follows no source */
	const char *srctree, *srcarch;
	unsigned nest;
};

const char *kb_ktype_name(enum kb_ktype t)
{
	switch (t) {
	case KB_KT_BOOL:
		return "bool";
	case KB_KT_TRISTATE:
		return "tristate";
	case KB_KT_STRING:
		return "string";
	case KB_KT_INT:
		return "int";
	case KB_KT_HEX:
		return "hex";
	default:
		return "unknown";
	}
}

/* --- symbols and expression nodes -------------------------------------------------- */

static uint32_t sym_id(struct kparser *ps, const char *s, size_t len)
{
	struct kb_ktree *t = ps->t;
	const char *name;
	uint32_t id = kb_strtab_intern(&t->names, s, len, &name);

	if (id == ps->nsyms) {
		ALLOC_GROW(t->syms, ps->nsyms + 1, ps->syms_alloc);
		memset(&t->syms[id], 0, sizeof(t->syms[id]));
		t->syms[id].name = name;
		ps->nsyms++;
	}
	return id;
}

static unsigned depth_of(const struct kb_kexpr *e)
{
	return e ? ((const struct knode *)e)->depth : 0;
}

/* A new node, or NULL if the tree would be deeper than limit. */
static const struct kb_kexpr *mk_expr(struct kparser *ps, enum kb_kexpr_op op,
				      const struct kb_kexpr *l, const struct kb_kexpr *r,
				      unsigned limit)
{
	unsigned dl = depth_of(l), dr = depth_of(r), d = 1 + (dl > dr ? dl : dr);
	struct knode *n;

	if (d > limit)
		return NULL;
	n = kb_arena_alloc(&ps->t->arena, sizeof(*n));
	memset(n, 0, sizeof(*n));
	n->e.op = op;
	n->e.l = l;
	n->e.r = r;
	n->depth = d;
	return &n->e;
}

static const struct kb_kexpr *mk_sym(struct kparser *ps, const char *s, size_t len, int is_const)
{
	struct knode *n = kb_arena_alloc(&ps->t->arena, sizeof(*n));

	memset(n, 0, sizeof(*n));
	n->e.op = KB_KE_SYM;
	n->e.sym = sym_id(ps, s, len);
	n->e.is_const = is_const;
	n->e.text = ps->t->syms[n->e.sym].name;
	n->depth = 1;
	return &n->e;
}

/*
 * a op b for combining dependencies; NULL (no dependency) is the identity of AND. A result
 * too deep to evaluate safely keeps a and counts b as bad.
 */
static const struct kb_kexpr *combine(struct kparser *ps, enum kb_kexpr_op op,
				      const struct kb_kexpr *a, const struct kb_kexpr *b)
{
	const struct kb_kexpr *e;

	if (!a)
		return b;
	if (!b)
		return a;
	e = mk_expr(ps, op, a, b, DEP_MAX_DEPTH);
	if (!e) {
		ps->t->nbad++;
		return a;
	}
	return e;
}

/* --- the lexer ----------------------------------------------------------------------- */

static bool is_word_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-';
}

static enum kw keyword(const char *s, size_t len)
{
	size_t i;

	if (!len || !((*s >= 'a' && *s <= 'z') || *s == '-'))
		return K_NONE;
	for (i = 0; i < ARRAY_SIZE(keywords); i++)
		if (strlen(keywords[i].word) == len && !memcmp(keywords[i].word, s, len))
			return keywords[i].kw;
	return K_NONE;
}

static bool tok_is(const struct klex *lx, enum kw kw)
{
	return lx->tok == T_WORD && keyword(lx->ts, lx->tlen) == kw;
}

/* The end of a $(...) that starts at p: its matching ')', or the end of the line. */
static const char *skip_parens(const char *p, const char *end)
{
	int depth = 0;

	for (; p < end && *p != '\n' && *p != '\0'; p++) {
		if (*p == '(') {
			depth++;
		} else if (*p == ')' && --depth == 0) {
			return p + 1;
		}
	}
	return p;
}

/* A word of [A-Za-z0-9_-] and '$' (lexer.l's {n}+ and ({n}|$)+), a macro's parens and all. */
static const char *lex_word(struct klex *lx, const char *p)
{
	const char *end = lx->end;

	lx->tok = T_WORD;
	lx->ts = p;
	while (p < end) {
		if (is_word_char(*p)) {
			p++;
		} else if (*p == '$') {
			lx->tok = T_MACRO;
			p++;
			if (p < end && *p == '(')
				p = skip_parens(p, end);
		} else {
			break;
		}
	}
	lx->tlen = (size_t)(p - lx->ts);
	return p;
}

/* A quoted string: backslash takes the next byte as it is; NUL bytes are dropped. */
static const char *lex_string(struct klex *lx, const char *p, struct strbuf *sb)
{
	const char *end = lx->end;
	char q = *p++;

	lx->tok = T_STRING;
	strbuf_reset(sb);
	while (p < end && *p != '\n') {
		char c = *p++;

		if (c == q)
			break;
		if (c == '\\') {
			if (p >= end || *p == '\n')
				continue;
			c = *p++;
		}
		if (c)
			strbuf_addch(sb, c);
	}
	return p;
}

/* Two-character operators and their one-character forms; 0: not an operator. */
static int lex_op(const char *p, const char *end, enum tok *tok)
{
	char c = *p, n = p + 1 < end ? p[1] : '\0';

	switch (c) {
	case '|':
	case '&':
		if (n != c)
			return 0;
		*tok = c == '|' ? T_OR : T_AND;
		return 2;
	case '=':
		*tok = T_EQ;
		return 1;
	case '!':
		*tok = n == '=' ? T_NE : T_NOT;
		return n == '=' ? 2 : 1;
	case '<':
		*tok = n == '=' ? T_LE : T_LT;
		return n == '=' ? 2 : 1;
	case '>':
		*tok = n == '=' ? T_GE : T_GT;
		return n == '=' ? 2 : 1;
	case '(':
		*tok = T_LPAREN;
		return 1;
	case ')':
		*tok = T_RPAREN;
		return 1;
	case ':':
	case '+':
		if (n != '=')
			return 0;
		*tok = T_ASSIGN;
		return 2;
	default:
		return 0;
	}
}

static void lex_next(struct kparser *ps)
{
	struct klex *lx = ps->lx;
	const char *p = lx->p, *end = lx->end;
	int n;

	for (;;) {
		lx->tline = lx->line;
		if (p >= end) {
			lx->tok = T_EOF;
			break;
		}
		if (*p == '\\' && p + 1 < end && p[1] == '\n') {
			p += 2;
			lx->line++;
		} else if (*p == '#') {
			while (p < end && *p != '\n')
				p++;
		} else if (*p == '\n') {
			lx->tok = T_EOL;
			lx->line++;
			p++;
			break;
		} else if (*p == '"' || *p == '\'') {
			p = lex_string(lx, p, &ps->str);
			break;
		} else if (is_word_char(*p) || *p == '$') {
			p = lex_word(lx, p);
			break;
		} else if ((n = lex_op(p, end, &lx->tok))) {
			p += n;
			break;
		} else {
			p++; /* blanks, and what lexer.l warns of and ignores */
		}
	}
	lx->p = p;
}

/* Skips to the end of the statement: the current token is then T_EOL or T_EOF. */
static void skip_line(struct kparser *ps)
{
	while (ps->lx->tok != T_EOL && ps->lx->tok != T_EOF)
		lex_next(ps);
}

/* An assignment's value is the rest of the physical line, whatever it holds. */
static void skip_raw_line(struct kparser *ps)
{
	struct klex *lx = ps->lx;
	const char *nl = memchr(lx->p, '\n', (size_t)(lx->end - lx->p));

	lx->p = nl ? nl : lx->end;
	lex_next(ps);
}

/*
 * Help text after the line of `help`: blank lines, and lines indented at least as far as
 * its first non-blank line (tabs to multiples of 8); a first line not indented ends it.
 */
static void skip_help(struct klex *lx)
{
	const char *p = lx->p, *end = lx->end;
	size_t first = 0;

	while (p < end) {
		const char *q = p, *nl;
		size_t ts = 0;

		for (; q < end && (*q == ' ' || *q == '\t'); q++)
			ts = *q == '\t' ? (ts & ~(size_t)7) + 8 : ts + 1;
		while (q < end && *q == '\r')
			q++;
		if (q < end && *q != '\n') {
			if (!first && !ts)
				break;
			if (!first)
				first = ts;
			else if (ts < first)
				break;
		}
		nl = memchr(q, '\n', (size_t)(end - q));
		if (!nl) {
			p = end;
			break;
		}
		p = nl + 1;
		lx->line++;
	}
	lx->p = p;
}

/* --- expressions ------------------------------------------------------------------- */

static bool is_number(const char *s, size_t len)
{
	size_t i = 0;

	if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		for (i = 2; i < len; i++)
			if (!strchr("0123456789abcdefABCDEF", s[i]))
				return false;
		return true;
	}
	if (len && s[0] == '-')
		i = 1;
	if (i == len)
		return false;
	for (; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

static bool is_tristate_const(const char *s, size_t len)
{
	return len == 1 && (*s == 'y' || *s == 'm' || *s == 'n');
}

/* A symbol or constant at the current token, consumed; NULL if there is none. */
static const struct kb_kexpr *parse_symbol(struct kparser *ps)
{
	struct klex *lx = ps->lx;
	const struct kb_kexpr *e;

	switch (lx->tok) {
	case T_WORD:
		if (keyword(lx->ts, lx->tlen) != K_NONE)
			return NULL;
		e = mk_sym(ps, lx->ts, lx->tlen,
			   is_tristate_const(lx->ts, lx->tlen) || is_number(lx->ts, lx->tlen));
		break;
	case T_MACRO:
		e = mk_sym(ps, lx->ts, lx->tlen, 1);
		break;
	case T_STRING:
		e = mk_sym(ps, ps->str.buf, ps->str.len, 1);
		break;
	default:
		return NULL;
	}
	lex_next(ps);
	return e;
}

static enum kb_kexpr_op cmp_op(enum tok tok)
{
	switch (tok) {
	case T_EQ:
		return KB_KE_EQ;
	case T_NE:
		return KB_KE_NE;
	case T_LT:
		return KB_KE_LT;
	case T_LE:
		return KB_KE_LE;
	case T_GT:
		return KB_KE_GT;
	case T_GE:
		return KB_KE_GE;
	default:
		return KB_KE_SYM;
	}
}

static const struct kb_kexpr *parse_or(struct kparser *ps, unsigned nest);

/* parser.y's `symbol [op symbol]`, `( expr )` and `! expr`: '!' binds tightest. */
static const struct kb_kexpr *parse_primary(struct kparser *ps, unsigned nest)
{
	const struct kb_kexpr *l, *r;
	enum kb_kexpr_op op;

	if (nest > EXPR_MAX_DEPTH)
		return NULL;
	switch (ps->lx->tok) {
	case T_NOT:
		lex_next(ps);
		l = parse_primary(ps, nest + 1);
		return l ? mk_expr(ps, KB_KE_NOT, l, NULL, EXPR_MAX_DEPTH) : NULL;
	case T_LPAREN:
		lex_next(ps);
		l = parse_or(ps, nest + 1);
		if (!l || ps->lx->tok != T_RPAREN)
			return NULL;
		lex_next(ps);
		return l;
	default:
		l = parse_symbol(ps);
		op = cmp_op(ps->lx->tok);
		if (!l || op == KB_KE_SYM)
			return l;
		lex_next(ps);
		r = parse_symbol(ps);
		return r ? mk_expr(ps, op, l, r, EXPR_MAX_DEPTH) : NULL;
	}
}

static const struct kb_kexpr *parse_and(struct kparser *ps, unsigned nest)
{
	const struct kb_kexpr *l = parse_primary(ps, nest), *r;

	while (l && ps->lx->tok == T_AND) {
		lex_next(ps);
		r = parse_primary(ps, nest);
		l = r ? mk_expr(ps, KB_KE_AND, l, r, EXPR_MAX_DEPTH) : NULL;
	}
	return l;
}

static const struct kb_kexpr *parse_or(struct kparser *ps, unsigned nest)
{
	const struct kb_kexpr *l = parse_and(ps, nest), *r;

	while (l && ps->lx->tok == T_OR) {
		lex_next(ps);
		r = parse_and(ps, nest);
		l = r ? mk_expr(ps, KB_KE_OR, l, r, EXPR_MAX_DEPTH) : NULL;
	}
	return l;
}

static bool at_eol(const struct klex *lx)
{
	return lx->tok == T_EOL || lx->tok == T_EOF;
}

/*
 * An expression that ends the statement, or (if_ok) is followed by `if`. NULL, with the
 * statement skipped and nbad counted, if it does not parse.
 */
static const struct kb_kexpr *parse_expr(struct kparser *ps, bool if_ok)
{
	const struct kb_kexpr *e = parse_or(ps, 0);

	if (e && (at_eol(ps->lx) || (if_ok && tok_is(ps->lx, K_IF))))
		return e;
	ps->t->nbad++;
	skip_line(ps);
	return NULL;
}

/*
 * The optional `if expr` that ends an attribute, into *cond (NULL: none, or dropped as
 * bad). Returns false, with the statement skipped, if something else is in its place.
 */
static bool parse_cond(struct kparser *ps, const struct kb_kexpr **cond)
{
	*cond = NULL;
	if (at_eol(ps->lx))
		return true;
	if (!tok_is(ps->lx, K_IF)) {
		skip_line(ps);
		return false;
	}
	lex_next(ps);
	*cond = parse_expr(ps, false);
	return true;
}

/* --- blocks and entries ------------------------------------------------------------ */

static const struct kb_kexpr *block_deps(struct kparser *ps)
{
	struct kblock *b;

	if (!ps->nblocks)
		return NULL;
	b = &ps->blocks[ps->nblocks - 1];
	if (!b->acc_ok) {
		b->acc = combine(ps, KB_KE_AND, ps->nblocks > 1 ? b[-1].acc : NULL, b->dep);
		b->acc_ok = true;
	}
	return b->acc;
}

static void push_block(struct kparser *ps, enum bkind kind, const struct kb_kexpr *dep)
{
	struct kblock *b;

	block_deps(ps); /* the block below is complete now */
	ALLOC_GROW(ps->blocks, ps->nblocks + 1, ps->blocks_alloc);
	b = &ps->blocks[ps->nblocks++];
	memset(b, 0, sizeof(*b));
	b->kind = kind;
	b->dep = dep;
	b->choice = kind == B_CHOICE ? (long)ps->nblocks - 1 : ps->nblocks > 1 ? b[-1].choice : -1;
}

/* endif, endmenu, endchoice: closes the innermost such block opened in this file (>= base). */
static void pop_block(struct kparser *ps, enum bkind kind, size_t base)
{
	size_t i = ps->nblocks;

	while (i > base && ps->blocks[i - 1].kind != kind)
		i--;
	if (i > base)
		ps->nblocks = i - 1;
}

/* A definition ends: its dependency joins the symbol's (see the header's promises). */
static void end_config(struct kparser *ps)
{
	struct kb_ksym *s = &ps->t->syms[ps->cur.sym];
	const struct kb_kexpr *dep = combine(ps, KB_KE_AND, block_deps(ps), ps->cur.deps);
	long choice = ps->nblocks ? ps->blocks[ps->nblocks - 1].choice : -1;

	if (choice >= 0) {
		s->in_choice = 1;
		if (s->type == KB_KT_UNKNOWN)
			s->type = ps->blocks[choice].type;
	}
	if (ps->cur.prompt) {
		const struct kb_kexpr *vis = combine(ps, KB_KE_AND, dep, ps->cur.prompt_if);

		if (!s->has_prompt)
			s->prompt_dep = vis;
		else if (s->prompt_dep)
			s->prompt_dep = vis ? combine(ps, KB_KE_OR, s->prompt_dep, vis) : NULL;
		s->has_prompt = 1;
	}
	if (!s->defined) {
		s->defined = 1;
		s->file = ps->lx->file;
		s->line = ps->cur.line;
		s->depends = dep;
	} else if (s->depends) {
		s->depends = dep ? combine(ps, KB_KE_OR, s->depends, dep) : NULL;
	}
}

static void end_entry(struct kparser *ps)
{
	if (ps->cur.kind == E_CONFIG)
		end_config(ps);
	memset(&ps->cur, 0, sizeof(ps->cur));
}

/* --- attributes --------------------------------------------------------------------- */

static enum kb_ktype type_of(enum kw kw)
{
	switch (kw) {
	case K_BOOL:
	case K_DEF_BOOL:
		return KB_KT_BOOL;
	case K_TRISTATE:
	case K_DEF_TRISTATE:
		return KB_KT_TRISTATE;
	case K_STRING:
		return KB_KT_STRING;
	case K_INT:
		return KB_KT_INT;
	case K_HEX:
		return KB_KT_HEX;
	default:
		return KB_KT_UNKNOWN;
	}
}

/* menu_set_type(): the first type given stays. */
static void set_type(struct kparser *ps, enum kb_ktype type)
{
	enum kb_ktype *tp = NULL;

	if (ps->cur.kind == E_CONFIG)
		tp = &ps->t->syms[ps->cur.sym].type;
	else if (ps->cur.kind == E_CHOICE)
		tp = &ps->blocks[ps->nblocks - 1].type;
	if (tp && *tp == KB_KT_UNKNOWN)
		*tp = type;
}

/* A prompt of the current definition, visible under cond (NULL: always); counted when the
 * definition ends, with its dependencies. */
static void add_prompt(struct kparser *ps, const struct kb_kexpr *cond)
{
	if (ps->cur.kind != E_CONFIG)
		return;
	ps->cur.prompt = true;
	ps->cur.prompt_if = cond;
}

/* bool/tristate/string/int/hex ["prompt" [if expr]] */
static void attr_type(struct kparser *ps, enum kw kw)
{
	const struct kb_kexpr *cond;

	set_type(ps, type_of(kw));
	lex_next(ps);
	if (ps->lx->tok == T_STRING) {
		lex_next(ps);
		if (parse_cond(ps, &cond))
			add_prompt(ps, cond);
		return;
	}
	skip_line(ps);
}

/* default expr [if expr]; def_bool, def_tristate: a type as well */
static void attr_default(struct kparser *ps, enum kw kw)
{
	struct pend_default *d;
	const struct kb_kexpr *value, *cond;

	if (kw != K_DEFAULT)
		set_type(ps, type_of(kw));
	if (ps->cur.kind != E_CONFIG) {
		skip_line(ps);
		return;
	}
	lex_next(ps);
	value = parse_expr(ps, true);
	if (!value || !parse_cond(ps, &cond))
		return;
	ALLOC_GROW(ps->defs, ps->ndefs + 1, ps->defs_alloc);
	d = &ps->defs[ps->ndefs++];
	d->sym = ps->cur.sym;
	d->d.value = value;
	d->d.cond = cond;
}

/* select SYM [if expr], imply SYM [if expr] */
static void attr_ref(struct kparser *ps, enum kw kw)
{
	struct klex *lx = ps->lx;
	struct pend_ref *r;
	const struct kb_kexpr *cond;
	uint32_t target;

	lex_next(ps);
	if (ps->cur.kind != E_CONFIG || lx->tok != T_WORD || keyword(lx->ts, lx->tlen) != K_NONE) {
		skip_line(ps);
		return;
	}
	target = sym_id(ps, lx->ts, lx->tlen);
	lex_next(ps);
	if (!parse_cond(ps, &cond))
		return;
	if (kw == K_SELECT) {
		ALLOC_GROW(ps->sels, ps->nsels + 1, ps->sels_alloc);
		r = &ps->sels[ps->nsels++];
	} else {
		ALLOC_GROW(ps->imps, ps->nimps + 1, ps->imps_alloc);
		r = &ps->imps[ps->nimps++];
	}
	r->from = ps->cur.sym;
	r->r.sym = target;
	r->r.cond = cond;
	r->r.file = lx->file;
	r->r.line = ps->stmt_line;
}

/* depends on expr: to a config's own dependency, or a menu's or choice's block */
static void attr_depends(struct kparser *ps)
{
	const struct kb_kexpr *e;
	struct kblock *b;

	lex_next(ps);
	if (!tok_is(ps->lx, K_ON) || ps->cur.kind == E_NONE || ps->cur.kind == E_COMMENT) {
		skip_line(ps);
		return;
	}
	lex_next(ps);
	e = parse_expr(ps, false);
	if (!e)
		return;
	if (ps->cur.kind == E_CONFIG) {
		ps->cur.deps = combine(ps, KB_KE_AND, ps->cur.deps, e);
	} else {
		b = &ps->blocks[ps->nblocks - 1];
		b->dep = combine(ps, KB_KE_AND, b->dep, e);
		b->acc_ok = false;
	}
}

/* range a b [if expr], visible [if expr], prompt "x" [if expr]: read, mostly not kept */
static void attr_other(struct kparser *ps, enum kw kw)
{
	const struct kb_kexpr *cond;
	bool ok = true;

	lex_next(ps);
	if (kw == K_RANGE)
		ok = parse_symbol(ps) && parse_symbol(ps);
	else if (kw == K_PROMPT)
		ok = ps->lx->tok == T_STRING && (lex_next(ps), true);
	if (!ok) {
		skip_line(ps);
		return;
	}
	if (parse_cond(ps, &cond) && kw == K_PROMPT)
		add_prompt(ps, cond);
}

/* option modules (older kernels; the attribute `modules` now); other options ignored */
static void attr_option(struct kparser *ps)
{
	for (lex_next(ps); !at_eol(ps->lx); lex_next(ps))
		if (tok_is(ps->lx, K_MODULES) && ps->cur.kind == E_CONFIG)
			ps->t->syms[ps->cur.sym].is_modules = 1;
}

static void attribute(struct kparser *ps, enum kw kw)
{
	switch (kw) {
	case K_BOOL:
	case K_TRISTATE:
	case K_STRING:
	case K_INT:
	case K_HEX:
		attr_type(ps, kw);
		break;
	case K_DEF_BOOL:
	case K_DEF_TRISTATE:
	case K_DEFAULT:
		attr_default(ps, kw);
		break;
	case K_SELECT:
	case K_IMPLY:
		attr_ref(ps, kw);
		break;
	case K_DEPENDS:
		attr_depends(ps);
		break;
	case K_RANGE:
	case K_VISIBLE:
	case K_PROMPT:
		attr_other(ps, kw);
		break;
	case K_OPTION:
		attr_option(ps);
		break;
	case K_MODULES:
		if (ps->cur.kind == E_CONFIG)
			ps->t->syms[ps->cur.sym].is_modules = 1;
		skip_line(ps);
		break;
	case K_HELP:
		skip_line(ps);
		if (ps->lx->tok == T_EOL)
			skip_help(ps->lx);
		break;
	default: /* optional, transitional, and words that start no statement */
		skip_line(ps);
		break;
	}
}

/* --- entries and source ------------------------------------------------------------ */

static int parse_text(struct kparser *ps, const char *file, const char *text, size_t len);

static bool has_glob(const char *s)
{
	return strpbrk(s, "*?[") != NULL;
}

/* Appends path to sb, "." and ".." parts resolved and repeated '/' dropped. */
static void add_clean_path(struct strbuf *sb, const char *path)
{
	size_t root = sb->len;
	const char *p = path;

	if (*p == '/') {
		strbuf_addch(sb, '/');
		root++;
	}
	while (*p) {
		const char *e = strchrnul(p, '/');
		size_t n = (size_t)(e - p);

		if (n == 2 && p[0] == '.' && p[1] == '.' && sb->len > root) {
			char *slash = memrchr(sb->buf + root, '/', sb->len - root);
			size_t keep = slash ? (size_t)(slash - sb->buf) : root;

			if (strcmp(sb->buf + (slash ? keep + 1 : root), "..")) {
				strbuf_setlen(sb, keep);
				n = 0;
			}
		}
		if (n && !(n == 1 && *p == '.')) {
			if (sb->len > root)
				strbuf_addch(sb, '/');
			strbuf_add(sb, p, n);
		}
		p = *e ? e + 1 : e;
	}
}

/*
 * The source path as written into a tree-relative (or absolute) path: $(SRCARCH) and
 * $(srctree) expanded, rsource's relative to the current file's directory. Returns false
 * if another macro is left in it.
 */
static bool source_path(struct kparser *ps, struct strbuf *out, const char *path, bool rel)
{
	struct strbuf raw = STRBUF_INIT, joined = STRBUF_INIT;
	const char *p = path, *m, *s;
	size_t n = strlen(ps->srctree);
	bool ok = true;

	while (ok && (m = strstr(p, "$("))) {
		strbuf_add(&raw, p, (size_t)(m - p));
		if (!strncmp(m, "$(SRCARCH)", 10))
			strbuf_addstr(&raw, ps->srcarch);
		else if (!strncmp(m, "$(srctree)", 10))
			strbuf_addstr(&raw, ps->srctree);
		else
			ok = false;
		p = m + 10;
	}
	strbuf_addstr(&raw, p);
	s = raw.buf;
	if (!strncmp(s, ps->srctree, n) && s[n] == '/') {
		s += n + 1;
	} else if (rel && *s != '/') {
		const char *slash = strrchr(ps->lx->file, '/');

		if (slash)
			strbuf_add(&joined, ps->lx->file, (size_t)(slash - ps->lx->file + 1));
	}
	strbuf_addstr(&joined, s);
	strbuf_reset(out);
	add_clean_path(out, joined.buf);
	strbuf_release(&raw);
	strbuf_release(&joined);
	return ok;
}

/*
 * Reads and parses the file at rel (tree-relative, or absolute). KB_ENOTFOUND, with no
 * error set, if there is no such file.
 */
static int read_file(struct kparser *ps, const char *rel)
{
	struct strbuf path = STRBUF_INIT, text = STRBUF_INIT;
	struct stat st;
	int ret;

	if (rel[0] != '/') {
		strbuf_addstr(&path, ps->srctree);
		strbuf_addch(&path, '/');
	}
	strbuf_addstr(&path, rel);
	/* only regular files: a tree's "source" of a device or a FIFO must not hang the reader */
	if (!stat(path.buf, &st) && !S_ISREG(st.st_mode)) {
		ret = kb_error_set("%s: not a regular file", path.buf);
		goto out;
	}
	if (strbuf_read_file(&text, path.buf) < 0) {
		if (errno == ENOENT)
			ret = KB_ENOTFOUND;
		else
			ret = kb_error_set("%s: %s", path.buf, kb_strerror(errno));
		goto out;
	}
	ps->t->nfiles++;
	ps->nest++;
	ret = parse_text(ps, kb_arena_strdup(&ps->t->arena, rel), text.buf, text.len);
	ps->nest--;
out:
	strbuf_release(&text);
	strbuf_release(&path);
	return ret;
}

/* A source line whose file is not there: an error unless the source is optional. */
static int source_missing(struct kparser *ps, const char *written, unsigned line, bool optional)
{
	if (optional) {
		ps->t->nskipped++;
		return 0;
	}
	return kb_error_set("%s:%u: source \"%s\": no such file", ps->lx->file, line, written);
}

static int source_glob(struct kparser *ps, const char *path, const char *written, unsigned line,
		       bool optional)
{
	struct strbuf full = STRBUF_INIT;
	size_t skip = 0, i;
	glob_t g;
	int ret = 0, r;

	if (path[0] != '/') {
		strbuf_addstr(&full, ps->srctree);
		strbuf_addch(&full, '/');
		skip = full.len;
	}
	strbuf_addstr(&full, path);
	r = glob(full.buf, 0, NULL, &g);
	if (r == GLOB_NOMATCH)
		ret = source_missing(ps, written, line, optional);
	else if (r)
		ret = kb_error_set("%s:%u: source \"%s\": cannot expand", ps->lx->file, line,
				   written);
	for (i = 0; !r && !ret && i < g.gl_pathc; i++) {
		ret = read_file(ps, g.gl_pathv[i] + skip);
		if (ret == KB_ENOTFOUND)
			ret = source_missing(ps, written, line, optional);
	}
	if (r != GLOB_NOMATCH)
		globfree(&g);
	strbuf_release(&full);
	return ret;
}

/* source, rsource, osource, orsource "path" */
static int do_source(struct kparser *ps, enum kw kw)
{
	struct klex *lx = ps->lx;
	bool optional = kw == K_OSOURCE || kw == K_ORSOURCE;
	struct strbuf path = STRBUF_INIT;
	unsigned line = ps->stmt_line;
	char *written;
	int ret = 0;

	lex_next(ps);
	if (lx->tok != T_STRING) {
		skip_line(ps);
		return 0;
	}
	written = xstrdup(ps->str.buf);
	skip_line(ps);
	if (!ps->srctree || !source_path(ps, &path, written, kw == K_RSOURCE || kw == K_ORSOURCE)) {
		ps->t->nskipped++;
	} else if (ps->nest >= SOURCE_MAX_NEST) {
		ret = kb_error_set("%s:%u: source \"%s\": sources nested deeper than %d", lx->file,
				   line, written, SOURCE_MAX_NEST);
	} else if (has_glob(path.buf)) {
		ret = source_glob(ps, path.buf, written, line, optional);
	} else {
		ret = read_file(ps, path.buf);
		if (ret == KB_ENOTFOUND)
			ret = source_missing(ps, written, line, optional);
	}
	free(written);
	strbuf_release(&path);
	return ret;
}

/* config SYM, menuconfig SYM */
static void entry_config(struct kparser *ps)
{
	struct klex *lx = ps->lx;

	lex_next(ps);
	if (lx->tok == T_WORD && keyword(lx->ts, lx->tlen) == K_NONE) {
		ps->cur.kind = E_CONFIG;
		ps->cur.sym = sym_id(ps, lx->ts, lx->tlen);
		ps->cur.line = ps->stmt_line;
	}
	skip_line(ps);
}

static int statement(struct kparser *ps, size_t base)
{
	struct klex *lx = ps->lx;
	enum kw kw = lx->tok == T_WORD ? keyword(lx->ts, lx->tlen) : K_NONE;

	ps->stmt_line = lx->tline;
	switch (kw) {
	case K_CONFIG:
	case K_MENUCONFIG:
	case K_CHOICE:
	case K_MENU:
	case K_COMMENT:
	case K_IF:
	case K_ENDIF:
	case K_ENDMENU:
	case K_ENDCHOICE:
	case K_MAINMENU:
	case K_SOURCE:
	case K_RSOURCE:
	case K_OSOURCE:
	case K_ORSOURCE:
		end_entry(ps);
		break;
	default:
		break;
	}
	switch (kw) {
	case K_NONE:
		/* `name = value`, `name := value`, `name += value`: a macro variable */
		lex_next(ps);
		if (ps->stmt_line == lx->tline && (lx->tok == T_EQ || lx->tok == T_ASSIGN))
			skip_raw_line(ps);
		break;
	case K_CONFIG:
	case K_MENUCONFIG:
		entry_config(ps);
		break;
	case K_CHOICE:
	case K_MENU:
		push_block(ps, kw == K_CHOICE ? B_CHOICE : B_MENU, NULL);
		ps->cur.kind = kw == K_CHOICE ? E_CHOICE : E_MENU;
		break;
	case K_COMMENT:
		ps->cur.kind = E_COMMENT;
		break;
	case K_IF:
		lex_next(ps);
		push_block(ps, B_IF, parse_expr(ps, false));
		break;
	case K_ENDIF:
	case K_ENDMENU:
	case K_ENDCHOICE:
		pop_block(ps, kw == K_ENDIF ? B_IF : kw == K_ENDMENU ? B_MENU : B_CHOICE, base);
		break;
	case K_SOURCE:
	case K_RSOURCE:
	case K_OSOURCE:
	case K_ORSOURCE:
		return do_source(ps, kw);
	case K_MAINMENU:
		break;
	default:
		attribute(ps, kw);
		break;
	}
	skip_line(ps);
	return 0;
}

/* One file's text; blocks it leaves open are closed at its end, as its entry is. */
static int parse_text(struct kparser *ps, const char *file, const char *text, size_t len)
{
	struct klex lx = { .p = text, .end = text + len, .file = file, .line = 1 };
	struct klex *outer = ps->lx;
	size_t base = ps->nblocks;
	int ret = 0;

	ps->lx = &lx;
	for (lex_next(ps); !ret && lx.tok != T_EOF; lex_next(ps))
		if (lx.tok != T_EOL)
			ret = statement(ps, base);
	end_entry(ps);
	ps->nblocks = base;
	ps->lx = outer;
	return ret;
}

/* --- the tree ------------------------------------------------------------------------ */

static void *arena_array(struct kb_arena *a, size_t n, size_t size)
{
	return n ? kb_arena_alloc(a, n * size) : NULL;
}

/* Hands the pending defaults, selects and implies to their symbols, and the reverse. */
static void place_lists(struct kparser *ps)
{
	struct kb_ktree *t = ps->t;
	struct kb_arena *a = &t->arena;
	struct kb_ksym *s;
	size_t i;

	for (i = 0; i < ps->ndefs; i++)
		t->syms[ps->defs[i].sym].ndefaults++;
	for (i = 0; i < ps->nsels; i++) {
		t->syms[ps->sels[i].from].nselects++;
		t->syms[ps->sels[i].r.sym].nselected_by++;
	}
	for (i = 0; i < ps->nimps; i++) {
		t->syms[ps->imps[i].from].nimplies++;
		t->syms[ps->imps[i].r.sym].nimplied_by++;
	}
	for (i = 0; i < ps->nsyms; i++) {
		s = &t->syms[i];
		s->defaults = arena_array(a, s->ndefaults, sizeof(*s->defaults));
		s->selects = arena_array(a, s->nselects, sizeof(*s->selects));
		s->implies = arena_array(a, s->nimplies, sizeof(*s->implies));
		s->selected_by = arena_array(a, s->nselected_by, sizeof(*s->selected_by));
		s->implied_by = arena_array(a, s->nimplied_by, sizeof(*s->implied_by));
		s->ndefaults = s->nselects = s->nimplies = s->nselected_by = s->nimplied_by = 0;
	}
	for (i = 0; i < ps->ndefs; i++) {
		s = &t->syms[ps->defs[i].sym];
		s->defaults[s->ndefaults++] = ps->defs[i].d;
	}
	for (i = 0; i < ps->nsels; i++) {
		struct kb_kref r = ps->sels[i].r;

		s = &t->syms[ps->sels[i].from];
		s->selects[s->nselects++] = r;
		s = &t->syms[r.sym];
		r.sym = ps->sels[i].from;
		s->selected_by[s->nselected_by++] = r;
	}
	for (i = 0; i < ps->nimps; i++) {
		struct kb_kref r = ps->imps[i].r;

		s = &t->syms[ps->imps[i].from];
		s->implies[s->nimplies++] = r;
		s = &t->syms[r.sym];
		r.sym = ps->imps[i].from;
		s->implied_by[s->nimplied_by++] = r;
	}
}

static void parser_init(struct kparser *ps)
{
	memset(ps, 0, sizeof(*ps));
	ps->t = xcalloc(1, sizeof(*ps->t));
	strbuf_init(&ps->str, 64);
}

/* The tree, its lists in place; the parser's own memory freed. */
static struct kb_ktree *parser_finish(struct kparser *ps)
{
	place_lists(ps);
	free(ps->defs);
	free(ps->sels);
	free(ps->imps);
	free(ps->blocks);
	strbuf_release(&ps->str);
	return ps->t;
}

int kb_ktree_parse(struct kb_ktree **out, const char *name, const char *text, size_t len)
{
	struct kparser ps;

	parser_init(&ps);
	ps.t->nfiles = 1;
	parse_text(&ps, kb_arena_strdup(&ps.t->arena, name), text, len);
	*out = parser_finish(&ps);
	return 0;
}

int kb_ktree_read(struct kb_ktree **out, const char *srctree, const char *srcarch)
{
	struct strbuf tree = STRBUF_INIT;
	struct kparser ps;
	struct kb_ktree *t;
	int ret;

	*out = NULL;
	strbuf_addstr(&tree, srctree);
	while (tree.len > 1 && tree.buf[tree.len - 1] == '/')
		strbuf_setlen(&tree, tree.len - 1);
	parser_init(&ps);
	ps.srctree = tree.buf;
	ps.srcarch = srcarch ? srcarch : "";
	ret = read_file(&ps, "Kconfig");
	if (ret == KB_ENOTFOUND)
		ret = kb_error_set("%s/Kconfig: no such file", tree.buf);
	t = parser_finish(&ps);
	strbuf_release(&tree);
	if (ret) {
		kb_ktree_free(t);
		return KB_ERR;
	}
	*out = t;
	return 0;
}

const struct kb_ksym *kb_ktree_sym(const struct kb_ktree *t, const char *name)
{
	long id = kb_strtab_find(&t->names, name, strlen(name));

	return id < 0 ? NULL : &t->syms[id];
}

void kb_ktree_free(struct kb_ktree *t)
{
	if (!t)
		return;
	kb_strtab_release(&t->names);
	kb_arena_release(&t->arena);
	free(t->syms);
	free(t);
}

/* --- evaluation ---------------------------------------------------------------------- */

struct keval {
	const struct kb_ktree *t;
	kb_kval_fn val, override;
	void *ctx, *octx;
};

/* A number as expr_parse_string() takes one: decimal, or hex with 0x (or of a hex symbol). */
struct knum {
	bool neg;
	unsigned long long mag;
};

static bool parse_num(const char *s, bool hex, struct knum *n)
{
	const char *d = s;
	char *end;
	int base = 10;

	n->neg = false;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		d = s + 2;
		base = 16;
	} else if (hex) {
		base = 16;
	} else if (s[0] == '-') {
		n->neg = true;
		d = s + 1;
	}
	if (!*d || strspn(d, base == 16 ? "0123456789abcdefABCDEF" : "0123456789") != strlen(d))
		return false;
	errno = 0;
	n->mag = strtoull(d, &end, base);
	if (errno)
		return false;
	if (!n->mag)
		n->neg = false;
	return true;
}

static int num_cmp(const struct knum *a, const struct knum *b)
{
	int c;

	if (a->neg != b->neg)
		return a->neg ? -1 : 1;
	c = (a->mag > b->mag) - (a->mag < b->mag);
	return a->neg ? -c : c;
}

static enum kb_ktype sym_type(const struct keval *ev, const struct kb_kexpr *e)
{
	if (e->is_const || e->sym >= ev->t->names.nr)
		return KB_KT_UNKNOWN;
	return ev->t->syms[e->sym].type;
}

static const char *lookup(const struct keval *ev, const struct kb_kexpr *e)
{
	const char *v = NULL;

	if (e->is_const)
		return e->text;
	if (ev->override)
		v = ev->override(ev->octx, e->text);
	if (!v && ev->val)
		v = ev->val(ev->ctx, e->text);
	return v;
}

static int tri_value(const char *v)
{
	if (!v || !v[0] || v[1])
		return KB_TRI_N;
	return v[0] == 'y' ? KB_TRI_Y : v[0] == 'm' ? KB_TRI_M : KB_TRI_N;
}

/* A symbol alone: a string, int or hex symbol is n, as its tristate value is in kconfig. */
static int eval_sym(const struct keval *ev, const struct kb_kexpr *e)
{
	enum kb_ktype type = sym_type(ev, e);

	if (type == KB_KT_STRING || type == KB_KT_INT || type == KB_KT_HEX)
		return KB_TRI_N;
	return tri_value(lookup(ev, e));
}

/* An operand of a comparison: a value the .config does not give is "n" or "". */
static const char *cmp_value(const struct keval *ev, const struct kb_kexpr *e)
{
	const char *v = lookup(ev, e);
	enum kb_ktype type;

	if (v)
		return v;
	type = sym_type(ev, e);
	return type == KB_KT_BOOL || type == KB_KT_TRISTATE ? "n" : "";
}

static int eval_cmp(const struct keval *ev, const struct kb_kexpr *e)
{
	const char *a, *b;
	struct knum x, y;
	int res, numeric;

	if (!e->l || !e->r || e->l->op != KB_KE_SYM || e->r->op != KB_KE_SYM)
		return KB_TRI_N;
	a = cmp_value(ev, e->l);
	b = cmp_value(ev, e->r);
	/* as kconfig: numbers compare as numbers (0x10 = 16), unless = or != has a string side */
	numeric = (e->op != KB_KE_EQ && e->op != KB_KE_NE) ||
		  (sym_type(ev, e->l) != KB_KT_STRING && sym_type(ev, e->r) != KB_KT_STRING);
	if (numeric && parse_num(a, sym_type(ev, e->l) == KB_KT_HEX, &x) &&
	    parse_num(b, sym_type(ev, e->r) == KB_KT_HEX, &y))
		res = num_cmp(&x, &y);
	else
		res = strcmp(a, b);
	switch (e->op) {
	case KB_KE_EQ:
		return res ? KB_TRI_N : KB_TRI_Y;
	case KB_KE_NE:
		return res ? KB_TRI_Y : KB_TRI_N;
	case KB_KE_LT:
		return res < 0 ? KB_TRI_Y : KB_TRI_N;
	case KB_KE_LE:
		return res <= 0 ? KB_TRI_Y : KB_TRI_N;
	case KB_KE_GT:
		return res > 0 ? KB_TRI_Y : KB_TRI_N;
	default:
		return res >= 0 ? KB_TRI_Y : KB_TRI_N;
	}
}

static int eval(const struct keval *ev, const struct kb_kexpr *e, unsigned depth)
{
	int a, b;

	if (!e || depth > DEP_MAX_DEPTH + EXPR_MAX_DEPTH)
		return KB_TRI_N;
	switch (e->op) {
	case KB_KE_SYM:
		return eval_sym(ev, e);
	case KB_KE_NOT:
		return KB_TRI_Y - eval(ev, e->l, depth + 1);
	case KB_KE_AND:
		a = eval(ev, e->l, depth + 1);
		if (a == KB_TRI_N)
			return a;
		b = eval(ev, e->r, depth + 1);
		return a < b ? a : b;
	case KB_KE_OR:
		a = eval(ev, e->l, depth + 1);
		if (a == KB_TRI_Y)
			return a;
		b = eval(ev, e->r, depth + 1);
		return a > b ? a : b;
	default:
		return eval_cmp(ev, e);
	}
}

int kb_kexpr_eval_with(const struct kb_ktree *t, const struct kb_kexpr *e, kb_kval_fn val,
		       void *ctx, kb_kval_fn override, void *octx)
{
	struct keval ev = { .t = t, .val = val, .ctx = ctx, .override = override, .octx = octx };

	return e ? eval(&ev, e, 0) : KB_TRI_Y;
}

int kb_kexpr_eval(const struct kb_ktree *t, const struct kb_kexpr *e, kb_kval_fn val, void *ctx)
{
	return kb_kexpr_eval_with(t, e, val, ctx, NULL, NULL);
}

/* --- printing ------------------------------------------------------------------------ */

static int prec(enum kb_kexpr_op op)
{
	switch (op) {
	case KB_KE_OR:
		return 1;
	case KB_KE_AND:
		return 2;
	case KB_KE_NOT:
		return 3;
	case KB_KE_SYM:
		return 5;
	default:
		return 4; /* comparisons */
	}
}

static const char *op_text(enum kb_kexpr_op op)
{
	static const char *const text[] = {
		[KB_KE_AND] = " && ", [KB_KE_OR] = " || ", [KB_KE_EQ] = "=", [KB_KE_NE] = "!=",
		[KB_KE_LT] = "<",     [KB_KE_LE] = "<=",   [KB_KE_GT] = ">", [KB_KE_GE] = ">=",
	};

	return op < ARRAY_SIZE(text) && text[op] ? text[op] : "?";
}

/* A name or number bare, a macro as written, any other constant as a quoted string. */
static void print_sym(const struct kb_kexpr *e, struct strbuf *out)
{
	const char *s = e->text ? e->text : "";
	size_t len = strlen(s);

	if (!e->is_const || is_tristate_const(s, len) || is_number(s, len) || strchr(s, '$')) {
		strbuf_addstr(out, s);
		return;
	}
	strbuf_addch(out, '"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			strbuf_addch(out, '\\');
		strbuf_addch(out, *s);
	}
	strbuf_addch(out, '"');
}

/*
 * e where an operator of precedence need is expected: parenthesised if it binds less
 * tightly. '!' takes a comparison in parentheses though kconfig would not need them:
 * "!(A=y)" reads as it parses, "!A=y" does not.
 */
static void print_expr(const struct kb_kexpr *e, struct strbuf *out, int need, unsigned depth)
{
	bool paren;

	if (!e || depth > DEP_MAX_DEPTH + EXPR_MAX_DEPTH) {
		strbuf_addstr(out, "...");
		return;
	}
	paren = prec(e->op) < need;
	if (paren)
		strbuf_addch(out, '(');
	switch (e->op) {
	case KB_KE_SYM:
		print_sym(e, out);
		break;
	case KB_KE_NOT:
		strbuf_addch(out, '!');
		print_expr(e->l, out, e->l && e->l->op == KB_KE_NOT ? 3 : 5, depth + 1);
		break;
	default:
		print_expr(e->l, out, prec(e->op), depth + 1);
		strbuf_addstr(out, op_text(e->op));
		print_expr(e->r, out, prec(e->op), depth + 1);
		break;
	}
	if (paren)
		strbuf_addch(out, ')');
}

void kb_kexpr_print(const struct kb_kexpr *e, struct strbuf *out)
{
	if (!e)
		strbuf_addch(out, 'y');
	else
		print_expr(e, out, 0, 0);
}
