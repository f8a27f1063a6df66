/*
 * mktree.h - the kbuild Makefiles of a kernel tree read back as the answer to "why is this
 * object file linked into vmlinux?": the chain of list entries, each under the Kconfig option
 * (if any) that puts it there, from the object out to the top of the tree.
 *
 *   fs/ext4/inode.o  <- ext4-y := ... inode.o ...            fs/ext4/Makefile  (member)
 *                    <- obj-$(CONFIG_EXT4_FS) += ext4.o       fs/ext4/Makefile  (obj, EXT4_FS)
 *                    <- obj-$(CONFIG_EXT4_FS) += ext4/        fs/Makefile       (dir, EXT4_FS)
 *                    <- obj-y += fs/                          Kbuild            (dir, top)
 *
 * How an object is found: in its own directory's Makefile (Kbuild, if present, wins as in
 * kbuild), then in each ancestor directory's, up to the top (Kbuild, Makefile and
 * arch/$(SRCARCH)/Makefile, whose core-y, drivers-y, libs-y, head-y... name tree-relative
 * paths), as the name relative to that directory ("inode.o", "ext4/inode.o", "fs/ext4/
 * inode.o"). A directory "fs/ext4" is found the same way, as "ext4/" from fs/ and so on.
 * The first (innermost) directory whose lists name it wins; among several entries there,
 * the first whose gates are all enabled in the .config wins, else the first.
 *
 * What counts as a list: obj-*, lib-* (lib.a: linked when referenced), extra-y/head-y and,
 * at the top and in the arch Makefile, core-*, drivers-*, libs-*, net-*, init-*, virt-*;
 * a composite's members are NAME-y, NAME-objs, NAME-$(CONFIG_X) for a NAME.o that a list of
 * the same directory names. Everything else (ccflags-y, CFLAGS_x.o, targets, always-y,
 * hostprogs, subdir-y, rules) is ignored.
 *
 * Make syntax understood: logical lines (backslash continuations, # comments), the
 * assignment operators = := ::= += ?=, $(VAR) and ${VAR} of variables assigned earlier in
 * the same file or in arch/$(SRCARCH)/Makefile (BITS), SRCARCH, ARCH, srctree, src and obj;
 * $(addprefix), $(addsuffix), $(patsubst %,x%,...) and $(subst m,y,$(CONFIG_X)) (an entry
 * built in even when X=m); conditionals ifdef, ifndef, ifeq, ifneq (both spellings), else,
 * else ifxxx, endif, nested. A conditional whose test names one CONFIG_ option becomes a COND
 * step of the lines it holds; one that can be evaluated on the .config and is false hides
 * its lines. $(shell ...), $(call ...) and unknown functions expand to nothing. `include`
 * is not followed from the top Makefiles (kbuild's own machinery); a directory's Makefile
 * that includes a file of the tree (nouveau's nvkm/Kbuild) has its lines read in place, and
 * steps name the included file.
 *
 * A chain that dies out (an orphan Makefile names a directory that its parent does not,
 * as drivers/media/platform/st/sti/Makefile) is searched again further up the tree.
 *
 * Promises: reading accepts any bytes and never reads outside the text; a line it does not
 * understand is skipped. Lookups are deterministic (file order).
 */
#ifndef KB_MKTREE_H
#define KB_MKTREE_H

#include "kconfig_tree.h"

#include <stddef.h>

enum kb_step_kind {
	KB_STEP_MEMBER, /* NAME-$(CONFIG_X) += a.o / NAME-y / NAME-objs: a member of NAME.o */
	KB_STEP_OBJ, /* obj-$(CONFIG_X) += a.o, lib-y += a.o, extra-y, head-y */
	KB_STEP_DIR, /* obj-$(CONFIG_X) += dir/, core-y += dir/ ... */
	KB_STEP_COND /* ifdef CONFIG_X ... endif (and the ifeq/ifneq spellings) around the line
			of the step before it; its list is the conditional as written
			("ifneq ($(CONFIG_BLK_DEV_INITRD),y)", the if's for an else branch),
			its name the guarded word, file and line the conditional's */
};

enum {
	KB_STEP_FORCE_BUILTIN = 1 << 0, /* $(subst m,y,$(CONFIG_X)): built in even when X=m */
	KB_STEP_NEGATED = 1 << 1, /* COND: holds when the option is n (ifndef, else branch) */
	KB_STEP_LIB = 1 << 2, /* lib-*: in lib.a, linked only when something refers to it */
	KB_STEP_TOP = 1 << 3 /* in a top-level list (Kbuild, Makefile, arch Makefile) */
};

struct kb_step {
	enum kb_step_kind kind;
	unsigned flags;
	const char *option; /* "EXT4_FS" (no CONFIG_), or NULL: obj-y, ext4-y, core-y */
	const char *list; /* the list's name as written: "obj-$(CONFIG_EXT4_FS)", "ext4-y" */
	const char *name; /* the word that named the next link: "ext4.o", "ext4/", "inode.o" */
	const char *file; /* tree-relative Makefile: "fs/ext4/Makefile" */
	unsigned line; /* first line of the logical line */
};

struct kb_origin {
	const char *object; /* the tree-relative object as asked: "fs/ext4/inode.o" */
	struct kb_step *steps; /* innermost first, ending with the top-level entry */
	size_t nsteps;
	int resolved; /* the chain reached a top-level list */
	const char *why; /* when not resolved: "fs/ext4/inode.o: no Makefile names it" */
};

struct kb_mktree;

/*
 * Opens the Makefiles of srctree for srcarch; they are read lazily, each once. val gives the
 * .config's values (may be NULL: then every conditional is taken as true and every gate as
 * enabled). Errors: srctree is not a directory with a Makefile.
 */
int kb_mktree_open(struct kb_mktree **out, const char *srctree, const char *srcarch, kb_kval_fn val,
		   void *ctx);

/*
 * Adds text[0..len) as the Makefile of directory dir ("" for the top; "fs/ext4") without
 * touching the file system, in place of any file there. For tests and fuzzing: a tree opened
 * with srctree NULL reads nothing else. The text for "" stands for the root's Kbuild and
 * Makefile; the text for "arch/SRCARCH" is both that directory's Makefile and the arch
 * Makefile. Adding after a lookup makes the next lookup read everything afresh.
 */
void kb_mktree_add(struct kb_mktree *t, const char *dir, const char *text, size_t len);

/*
 * Explains object (tree-relative, "fs/ext4/inode.o", "lib/sort.o"; an archive member as a
 * link map writes it, "lib/lib.a(sort.o)", is taken as "lib/sort.o"; a name ending in '/'
 * is a directory). Returns 0 with *out
 * filled (resolved or not); the tree owns what *out points to, until kb_mktree_free().
 */
int kb_mktree_resolve(struct kb_mktree *t, const char *object, struct kb_origin *out);

/* How many Makefiles were read, and how many logical lines were skipped as not understood. */
size_t kb_mktree_nfiles(const struct kb_mktree *t);
size_t kb_mktree_nskipped(const struct kb_mktree *t);

void kb_mktree_free(struct kb_mktree *t);

#endif
