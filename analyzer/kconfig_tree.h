/*
 * kconfig_tree.h - the Kconfig files of a kernel tree read as scripts/kconfig reads them:
 * every symbol's type, prompts, defaults, dependencies, and who selects or implies it, with
 * expressions kept as trees that can be evaluated against a .config's values.
 *
 * This is not a Kconfig solver: it computes no values. The values come from a .config
 * (through a kb_kval_fn), and the tree answers "what is this option, and what forces it?".
 *
 * Promises:
 *  - reading starts at SRCTREE/Kconfig and follows source/rsource/osource/orsource as
 *    scripts/kconfig does ($(SRCARCH) and $(srctree) expanded; a glob in a path is
 *    expanded; a missing file is an error for source/rsource, skipped for
 *    osource/orsource; a path with another macro is skipped and counted in nskipped).
 *  - a symbol defined in several places (several arches' Kconfigs, or `config X` twice)
 *    is one kb_ksym: its properties are the union of all definitions, its dependency the
 *    OR of each definition's (each definition's own `depends on` ANDed with the enclosing
 *    `if`/`menu ... depends on`/`choice` dependencies).
 *  - parsing accepts any bytes: a line it does not understand is skipped, never read past
 *    its end; an expression that does not parse is dropped (its property is then
 *    unconditional) and counted in nbad.
 */
#ifndef KB_KCONFIG_TREE_H
#define KB_KCONFIG_TREE_H

#include "arena.h"
#include "strbuf.h"
#include "strtab.h"

#include <stddef.h>
#include <stdint.h>

/*
 * A symbol's value as a .config states it, name without "CONFIG_": "y", "m", "n" (for
 * "# CONFIG_X is not set"), a string or number, or NULL when the .config does not mention it
 * (evaluated as n, as scripts/kconfig does for a symbol that is not visible).
 */
typedef const char *(*kb_kval_fn)(void *ctx, const char *name);

enum kb_ktype { KB_KT_UNKNOWN, KB_KT_BOOL, KB_KT_TRISTATE, KB_KT_STRING, KB_KT_INT, KB_KT_HEX };
const char *kb_ktype_name(enum kb_ktype t); /* "bool", "tristate", ..., "unknown" */

/* Tristate values: the order matters (AND is min, OR is max, NOT is 2 - x). */
enum { KB_TRI_N = 0, KB_TRI_M = 1, KB_TRI_Y = 2 };

enum kb_kexpr_op {
	KB_KE_SYM, /* a symbol: sym is its id in the tree; constants 'y', 'm', 'n' and numbers and
		      strings are symbols too, with is_const set */
	KB_KE_NOT,
	KB_KE_AND,
	KB_KE_OR,
	KB_KE_EQ,
	KB_KE_NE,
	KB_KE_LT,
	KB_KE_LE,
	KB_KE_GT,
	KB_KE_GE
};

struct kb_kexpr {
	enum kb_kexpr_op op;
	const struct kb_kexpr *l, *r; /* NOT: l; AND, OR: l, r; EQ...GE: l, r are KB_KE_SYM */
	uint32_t sym; /* KB_KE_SYM */
	int is_const; /* KB_KE_SYM: a quoted string, a number, or y/m/n */
	const char *text; /* KB_KE_SYM: the symbol's name or the constant's text, unquoted */
};

/* A select or imply of the symbol `sym`, under `cond` (NULL: unconditional). */
struct kb_kref {
	uint32_t sym;
	const struct kb_kexpr *cond;
	const char *file;
	unsigned line;
};

struct kb_kdefault {
	const struct kb_kexpr *value; /* `default y`, `def_bool FOO && BAR` */
	const struct kb_kexpr *cond; /* `if ...`, NULL if none */
};

struct kb_ksym {
	const char *name; /* without "CONFIG_" */
	enum kb_ktype type; /* def_bool is bool, def_tristate tristate */
	int defined; /* has a `config` or `menuconfig` entry; 0 for a name only mentioned */
	int has_prompt; /* some definition has a prompt, so a user can set it */
	/* has_prompt: when some prompt is visible (a user's value counts): the OR over the
	 * prompts of their definition's dependency (blocks, `depends on`) AND the prompt's own
	 * `if`; NULL: always. An invisible prompt leaves the symbol to its defaults, as
	 * tinyconfig leaves TCP_CONG_CUBIC (prompt inside `if TCP_CONG_ADVANCED`) at y. */
	const struct kb_kexpr *prompt_dep;
	int in_choice; /* defined inside a choice block */
	int is_modules; /* carries the `modules` attribute (MODULES) */
	const char *file; /* first definition: tree-relative path, line */
	unsigned line;
	const struct kb_kexpr *depends; /* see the promises; NULL: no dependency */
	struct kb_kdefault *defaults; /* in file order */
	size_t ndefaults;
	struct kb_kref *selects, *implies; /* this symbol selects / implies ... */
	size_t nselects, nimplies;
	/* the reverse: kb_kref entries whose sym is the selecting / implying symbol */
	struct kb_kref *selected_by, *implied_by;
	size_t nselected_by, nimplied_by;
};

struct kb_ktree {
	struct kb_strtab names; /* symbol ids; constants are interned here too */
	struct kb_ksym *syms; /* by id, names.nr of them (constants: defined = 0, type UNKNOWN) */
	size_t nfiles; /* Kconfig files read */
	size_t nskipped; /* source lines not followed */
	size_t nbad; /* expressions that did not parse */
	struct kb_arena arena; /* owns expressions, file names, arrays */
};

/*
 * Reads the Kconfig tree of the kernel source srctree for the architecture srcarch ("x86",
 * "arm64": the directory under arch/). Errors (no SRCTREE/Kconfig, an unreadable sourced
 * file, sources nested deeper than 64) return KB_ERR with kb_error_last() naming the file.
 */
int kb_ktree_read(struct kb_ktree **out, const char *srctree, const char *srcarch);

/*
 * Parses text[0..len) (not NUL-terminated) as one Kconfig file named name, into a new tree;
 * source lines are counted in nskipped, not followed. For tests and fuzzing.
 */
int kb_ktree_parse(struct kb_ktree **out, const char *name, const char *text, size_t len);

/* The symbol named name (without "CONFIG_"), or NULL. */
const struct kb_ksym *kb_ktree_sym(const struct kb_ktree *t, const char *name);

/*
 * The tristate value of e (KB_TRI_N/M/Y) as scripts/kconfig computes it, with symbol
 * values from val: y/m/n as given; a bool or tristate the .config does not mention is n;
 * values that both read as numbers compare as numbers (0x10 = 16), except that = and !=
 * with a string symbol on either side compare text, as kconfig does; other values compare
 * as strings; a non-tristate symbol used alone is n. override, if not NULL, is
 * asked first: it returns a value ("y", "m", "n", ...) to use instead of val's, or NULL.
 * A NULL e (no dependency, no condition) is y.
 */
int kb_kexpr_eval(const struct kb_ktree *t, const struct kb_kexpr *e, kb_kval_fn val, void *ctx);
int kb_kexpr_eval_with(const struct kb_ktree *t, const struct kb_kexpr *e, kb_kval_fn val,
		       void *ctx, kb_kval_fn override, void *octx);

/*
 * e written back as Kconfig would: "EXT4_FS && (BLOCK || X=y)" with minimal parentheses,
 * except that '!' of a comparison is written "!(X=y)" (kconfig reads "!X=y" the same way, a
 * reader may not). A NULL e is written "y".
 */
void kb_kexpr_print(const struct kb_kexpr *e, struct strbuf *out);

void kb_ktree_free(struct kb_ktree *t);

#endif
