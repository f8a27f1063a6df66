/*
 * modular.h - what could leave the kernel proper: each object linked into vmlinux traced to
 * the Kconfig option that builds it (the kbuild Makefiles), each option to its type, value
 * and what forces it (the Kconfig files), and the object files' symbol references to tell
 * code that built-in code needs from code that could be a module.
 *
 * The model, from one build (vmlinux, vmlinux.map, .config, the object files) and its tree:
 *  - objs: every object the map places bytes of, with its bytes per class and its chain of
 *    Makefile steps; its category:
 *      TRISTATE  the chain has a tristate gate (obj-$(CONFIG_X) += x.o / dir/, X tristate):
 *                the innermost is its owner; at X=m the object leaves vmlinux (an object
 *                of a (1) candidate that the Makefiles, read again with the candidates at
 *                m, still build in takes the chain and owner they give: stays_at_m)
 *      BOOL      no tristate gate, but a bool one (obj-, a composite's member, ifdef): owner
 *      CORE      obj-y all the way to the top: the hard core
 *      UNKNOWN   no Makefile names it (or a chain that does not reach the top)
 *  - opts: every owner, with its objects' bytes and, for tristates built in (y) and bools,
 *    whether it is a candidate and if not, why (the blockers).
 *  - the bytes no object claims: the linker's fill (alignment padding) and bytes outside any
 *    input section (linker-made), each a row of its own, so that
 *    sum(objs) + fill + linker = image total, per class.
 *
 * Candidates:
 *  (1) tristate owners at y that could be m today (as if CONFIG_MODULES=y where it is not):
 *      every tristate at y starts as one; one is dropped when an option that stays y selects
 *      it, when an enabled option's `depends on` would fail with it at m (X=y), when it has no
 *      prompt and its default is y, or when the Makefile builds it in regardless
 *      ($(subst m,y,...)); repeated until nothing changes.
 *  (2) bool owners at y with no built-in-only users found: no option that stays y selects
 *      it, and no object that stays built in (CORE, another bool's, a tristate that is not a
 *      candidate, UNKNOWN) refers to a symbol its objects define; with them, the tristates at
 *      y that only (2) candidates select or need y (a bool made tristate selects them as m).
 */
#ifndef KB_MODULAR_H
#define KB_MODULAR_H

#include "breakdown.h"
#include "dotconfig.h"
#include "image.h"
#include "kallsyms.h"
#include "kconfig_tree.h"
#include "maintainers.h"
#include "mktree.h"

#include <stdint.h>

enum kb_mod_cat { KB_MOD_TRISTATE, KB_MOD_BOOL, KB_MOD_CORE, KB_MOD_UNKNOWN, KB_MOD_NCAT };
const char *kb_mod_cat_name(enum kb_mod_cat c); /* "tristate", "bool", "core", "unknown" */

/* Why an option is not a candidate, or who uses it. */
enum kb_mod_why_kind {
	KB_WHY_SELECTED, /* who selects it and stays y */
	KB_WHY_NEEDS_Y, /* who depends on it being y (its dependency fails at m) */
	KB_WHY_DEFAULT_Y, /* no prompt, and its default is y */
	KB_WHY_MAKEFILE, /* the Makefile builds it in at m too: $(subst m,y,...) */
	KB_WHY_USED_BY, /* an object that stays built in refers to one of its symbols */
	KB_WHY_LOADER, /* MODULES: the module loader itself */
	KB_WHY_BOOT_TABLE, /* its object registers in a table early boot code walks */
};
const char *kb_mod_why_name(enum kb_mod_why_kind k);

struct kb_mod_why {
	enum kb_mod_why_kind kind;
	const char *who; /* option or object; NULL for DEFAULT_Y */
	const char *detail; /* USED_BY: the symbol; SELECTED/NEEDS_Y: "bool, y" */
};

struct kb_mod_obj {
	const char *object; /* "fs/ext4/inode.o" */
	const char *source; /* "fs/ext4/inode.c" when the tree has it, else object */
	const char *dir; /* "fs/ext4" */
	const char *subsystem; /* MAINTAINERS section, or the top two directories */
	uint64_t cls[KB_CLS_NR], bytes;
	struct kb_origin origin;
	enum kb_mod_cat cat;
	long owner; /* index in opts, or -1 */
	const char *module; /* TRISTATE: "fs/ext4/ext4" (its .ko as modules.builtin names it) */
	const char *boot_table; /* an input section of a boot-time table it fills, or NULL */
	/* a (1) candidate's by its chain, but built in with the candidates at m (kbuild reaches
	 * it another way then): origin, cat and owner are those of that build */
	int stays_at_m;
	uint64_t pad; /* with a breakdown: its bytes that are alignment padding */
	/* with a breakdown: its share of the kallsyms table (its symbols' entries), counted in
	 * its code and data; the table's own object holds minus what it gave away */
	int64_t kshare;
	/* with a breakdown: its share of the tables the link writes for the code and data of
	 * every object (kb_modular.tables: their entries that name its bytes), counted in its
	 * code and data; the object holding a table, minus what it gave away */
	int64_t tshare;
};

/*
 * A table that the link writes with an entry for each piece of code or data it is about,
 * which therefore shrinks with each object that leaves; each entry is given to the object
 * whose bytes hold the address it names (shared), else stays the table's object's:
 *  - objtool's tables in vmlinux.o, written after its ld -r when kbuild runs objtool on
 *    vmlinux.o (X86_KERNEL_IBT, LTO), so no object of the tree holds them: ORC
 *    (.orc_unwind_ip, with .orc_unwind entry i by i), call, return and retpoline sites,
 *    static call sites, the IBT seal list, __mcount_loc; the other sections of vmlinux.o
 *    no object made (its build id) are listed with no entries;
 *  - the export table modpost writes for vmlinux (.vmlinux.export.o, Linux 6.2+): each
 *    struct kernel_symbol in __ksymtab and __ksymtab_gpl with its name string (and CRC)
 *    goes to the object defining the symbol, as does the symbol's kallsyms share.
 */
struct kb_mod_table {
	const char *section; /* ".orc_unwind_ip", "__ksymtab" (with _gpl, strings, CRCs) */
	long obj; /* the object holding it: objs index */
	uint64_t bytes, shared; /* its bytes in the image; those given to other objects */
	size_t entries; /* 0: not a layout kbloat knows, or an entry named no code */
};

struct kb_mod_opt {
	const char *name; /* "EXT4_FS" */
	const struct kb_ksym *ks; /* NULL when no Kconfig file defines it */
	enum kb_ktype type;
	const char *value; /* in .config; "n" when absent */
	enum kb_mod_cat cat; /* TRISTATE or BOOL */
	uint64_t cls[KB_CLS_NR], bytes;
	uint64_t pad; /* with a breakdown: its objects' padding */
	/* and their shares of the kallsyms table and of the link's other tables:
	 * bytes - pad + kshare + tshare is its code and data */
	int64_t kshare, tshare;
	size_t nobjs;
	const char *subsystem; /* of its largest object */
	int candidate; /* 1: (1) or (2); 2: a tristate only (2) candidates keep at y (goes with (2)) */
	struct kb_mod_why *why; /* blockers (not a candidate) or, for candidates, nothing */
	size_t nwhy, awhy;
	size_t nusers; /* USED_BY blockers found, of which at most a few are kept in why */
	int builtin_listed; /* TRISTATE: modules.builtin lists its module */
	const struct kb_ksym **selectors; /* enabled options that select it (condition holds) */
	size_t nselectors;
};

struct kb_modular {
	char *src, *build, *srcarch;
	struct kb_image *img;
	struct kb_kconfig config;
	struct kb_ktree *kt; /* the caller's when kt_borrowed (kb_modular_opts.ktree) */
	int kt_borrowed;
	struct kb_mktree *mk;
	struct kb_mktree *mk_m; /* the Makefiles read with the (1) candidates at m, or NULL */
	struct kb_mod_obj *objs;
	size_t nobjs;
	struct kb_mod_opt *opts;
	size_t nopts, aopts;
	struct kb_strtab opt_ids; /* option name -> index in opts */
	uint64_t fill[KB_CLS_NR], linker[KB_CLS_NR]; /* bytes no object claims */
	uint64_t cat_cls[KB_MOD_NCAT][KB_CLS_NR]; /* objects' bytes by category */
	uint64_t total, total_cls[KB_CLS_NR]; /* the image's: sum of everything above */
	uint64_t save1[KB_CLS_NR], save2[KB_CLS_NR]; /* bytes of candidates (1) and (2) */
	int modules_on; /* CONFIG_MODULES=y in the .config */
	size_t nbuiltin, nbuiltin_matched; /* modules.builtin entries, and those kbloat found */
	const char **builtin_missing; /* the entries kbloat did not find as tristate objects */
	int have_ranges; /* modules.builtin.ranges was read */
	uint64_t ranges_bytes, ranges_agree; /* bytes it places in modules; of them, in TRISTATE */
	size_t refs_read; /* object files whose symbols were read */
	/*
	 * With a breakdown (kb_modular_opts.bd): the same split in bytes of code and data, the
	 * breakdown's padding rows left out. pad_total is their bytes, pad_outside those in no
	 * object's input sections (the linker's fill, mostly). code_save1 and code_save2 are the
	 * candidates' objects, code_core the CORE objects with the linker's fill and its own
	 * bytes, code_rest the objects of options that stay built in and UNKNOWN objects; the
	 * four sum to total - pad_total, exactly (kb_modular_run fails otherwise). Each object
	 * counts its share of the kallsyms table (kb_mod_obj.kshare): ks_table is the table's code
	 * and data, ks_given what it gave to objects (0 without the table); and its share of
	 * the other tables of the link (kb_mod_obj.tshare, kb_mod_table).
	 */
	int have_code;
	uint64_t pad_total, pad_outside;
	uint64_t ks_table, ks_given;
	long ks_obj; /* the kallsyms table the link made (.tmp_vmlinux.kallsyms2.o): objs index, or -1 */
	/*
	 * How the table was shared: ks_decoded, the image's table read (kb_ksyms_decode), each
	 * symbol giving its object its entry's exact bytes (offset or address, the 3-byte name
	 * index where the image has one, its length prefix and compressed name; the token table,
	 * markers and alignment stay with the table's object); else each symbol the fixed bytes
	 * and the table's average rate per name byte. ks_relearnt: the token learning, done
	 * again on every name, gave the image's table back exactly (kb_ksyms_check), so the
	 * prediction relearns it from the names that stay: ks_relearn1 and ks_relearn2 are what
	 * the table then changes by beyond the shares that leave (the staying names compressed
	 * anew, the token table, the markers), with (1) and with (1) and (2); 0 otherwise.
	 * They are part of the predictions, not of the sums below (which split this image).
	 * ks_note says why the table was not decoded or not relearnt ("" when it was).
	 */
	int ks_decoded, ks_relearnt;
	int64_t ks_relearn1, ks_relearn2;
	size_t ks_syms; /* decoded: the table's entries */
	char ks_note[256];
	struct kb_ksyms *ks; /* the decoded table, or NULL */
	long *ks_eobj; /* decoded: the object each entry's share went to, or -1 */
	/* the link's tables shared out by what their entries name (kb_mod_obj.tshare), and the
	 * sum of what they gave */
	struct kb_mod_table *tables;
	size_t ntables, atables;
	uint64_t tab_given;
	uint64_t code_save1, code_save2, code_core, code_rest;
	/* every tristate at y that (1) takes to m, by name without CONFIG_, in the Kconfig
	 * model's order: the candidates, and the tristates that own no code but select one
	 * (kbuild's olddefconfig would put a candidate they select back to y) */
	const char **to_m;
	size_t nto_m;
	/* what was worked around, for the caller to print ("": nothing): the map's warning
	 * (kb_map_parse_composed: a vmlinux linked from vmlinux.o) */
	char warning[512];
	struct kb_strtab strs;
};

/*
 * With the kallsyms table decoded and its learning checked (m->ks_relearnt): what the table
 * changes by beyond the shares that leave when the objects whose leaves[i] is non-zero
 * leave (the names that stay compressed with tokens learnt from them alone, the token
 * table, the markers), in *delta. KB_ERR when m cannot relearn (m->ks_note says why).
 */
int kb_modular_kallsyms_relearn(const struct kb_modular *m, const unsigned char *leaves,
				int64_t *delta);

/* The code and data predicted with every (1) candidate a module (set 1), or with (1) and (2)
 * (set 2): now less the candidates' code and data, plus the relearnt kallsyms term. With a
 * breakdown only (m->have_code). */
uint64_t kb_modular_predicted(const struct kb_modular *m, int set);

struct kb_modular_opts {
	const char *src; /* the kernel tree */
	const char *build; /* the O= directory: vmlinux, vmlinux.map, .config, *.o */
	const char *arch; /* SRCARCH; NULL: from the .config's header */
	struct kb_maint *maint; /* MAINTAINERS, or NULL: subsystems by directory */
	/* the breakdown of the same vmlinux (kb_analysis's), or NULL: its KB_ROW_FILL rows
	 * are the padding that the code-and-data sums leave out */
	const struct kb_breakdown *bd;
	/* the tree's Kconfig model for srcarch, read by the caller (kb_ktree_read), which
	 * keeps it across builds of one tree version; NULL: read here. Not changed, not freed. */
	struct kb_ktree *ktree;
};

/*
 * Runs the analysis. Errors (no vmlinux, no map, a map of another link, an unreadable
 * .config or Kconfig tree, a breakdown of another image or whose padding the map cannot
 * place) return KB_ERR with kb_error_last() naming the file.
 */
int kb_modular_run(struct kb_modular **out, const struct kb_modular_opts *o);
void kb_modular_free(struct kb_modular *m);

/* "x86_64" -> "x86" as kbuild's SRCARCH; others unchanged. */
const char *kb_srcarch(const char *arch);

/* The modules a modules.builtin text lists: "kernel/fs/ext4/ext4.ko" interned as
 * "fs/ext4/ext4"; other lines are skipped. */
void kb_modules_builtin_parse(struct kb_strtab *mods, const char *text);

/* Called for each range of a modules.builtin.ranges text: modules is its space-separated
 * module names (the callee may cut it up: strtok). */
typedef void (*kb_range_fn)(void *arg, const char *sect, uint64_t lo, uint64_t hi, char *modules);
/* Reads a modules.builtin.ranges text ("SECTION START-END MODULE...", hex offsets; anchors
 * and malformed or empty ranges skipped), calling fn per range. */
void kb_builtin_ranges_parse(const char *text, kb_range_fn fn, void *arg);

#endif
