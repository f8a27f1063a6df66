/*
 * test_mktree.c - the kbuild Makefiles read back as "why is this object linked": chains
 * through members, objects and directories up to the top lists, the Kconfig gates and
 * conditionals on each link, the make syntax kernel Makefiles use, and the bounds that keep
 * a bad Makefile from looping. Trees are in-memory Makefiles added with kb_mktree_add().
 *
 * With KB_REAL_LINUX=/path/to/linux-source set, one more case reads a real tree.
 */
#include "check.h"

#include "mktree.h"
#include "error.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

/* A .config: pairs of name (without CONFIG_) and value, ending with NULL. */
static const char *cfg_val(void *ctx, const char *name)
{
	const char *const *kv = ctx;

	for (; kv[0]; kv += 2)
		if (!strcmp(kv[0], name))
			return kv[1];
	return NULL;
}

static void add(struct kb_mktree *t, const char *dir, const char *text)
{
	kb_mktree_add(t, dir, text, strlen(text));
}

static struct kb_mktree *tree(const char *const *config)
{
	struct kb_mktree *t = NULL;

	CHECK(kb_mktree_open(&t, NULL, "x86", config ? cfg_val : NULL, (void *)config) == 0);
	return t;
}

static const char kbuild[] = "# SPDX-License-Identifier: GPL-2.0\n"
			     "obj-y\t\t\t+= init/\n"
			     "obj-y\t\t\t+= arch/$(SRCARCH)/\n"
			     "obj-y\t\t\t+= kernel/\n"
			     "obj-y\t\t\t+= fs/\n"
			     "obj-$(CONFIG_BLOCK)\t+= block/\n";

static void test_object_in_its_directory_then_the_top(void)
{
	struct kb_mktree *t = tree(NULL);
	struct kb_origin o;

	add(t, "", kbuild);
	add(t, "kernel", "obj-y     = fork.o exec_domain.o panic.o\n");
	CHECK(kb_mktree_resolve(t, "kernel/fork.o", &o) == 0);
	CHECK(o.resolved);
	CHECK_STR(o.object, "kernel/fork.o");
	CHECK(o.why == NULL);
	CHECK(o.nsteps == 2);
	if (o.nsteps == 2) {
		CHECK(o.steps[0].kind == KB_STEP_OBJ);
		CHECK(o.steps[0].flags == 0);
		CHECK(o.steps[0].option == NULL);
		CHECK_STR(o.steps[0].list, "obj-y");
		CHECK_STR(o.steps[0].name, "fork.o");
		CHECK_STR(o.steps[0].file, "kernel/Makefile");
		CHECK(o.steps[0].line == 1);
		CHECK(o.steps[1].kind == KB_STEP_DIR);
		CHECK(o.steps[1].flags == KB_STEP_TOP);
		CHECK_STR(o.steps[1].name, "kernel/");
		CHECK_STR(o.steps[1].file, "Makefile");
		CHECK(o.steps[1].line == 4);
	}
	kb_mktree_free(t);
}

static void test_composite_member_chain_matches_the_header(void)
{
	static const char *const config[] = { "EXT4_FS", "y", NULL };
	struct kb_mktree *t = tree(config);
	struct kb_origin o;

	add(t, "", kbuild);
	add(t, "fs", "obj-y\t\t\t\t+= open.o\nobj-$(CONFIG_EXT4_FS)\t\t+= ext4/\n");
	add(t, "fs/ext4",
	    "obj-$(CONFIG_EXT4_FS) += ext4.o\n"
	    "\n"
	    "ext4-y\t:= balloc.o bitmap.o block_validity.o dir.o ext4_jbd2.o extents.o \\\n"
	    "\t\textents_status.o file.o fsmap.o fsync.o hash.o ialloc.o \\\n"
	    "\t\tindirect.o inline.o inode.o ioctl.o mballoc.o migrate.o\n"
	    "ext4-$(CONFIG_EXT4_FS_POSIX_ACL)\t+= acl.o\n");
	kb_mktree_resolve(t, "fs/ext4/inode.o", &o);
	CHECK(o.resolved);
	CHECK(o.nsteps == 4);
	if (o.nsteps == 4) {
		CHECK(o.steps[0].kind == KB_STEP_MEMBER);
		CHECK_STR(o.steps[0].list, "ext4-y");
		CHECK_STR(o.steps[0].name, "inode.o");
		CHECK(o.steps[0].line == 3);
		CHECK(o.steps[1].kind == KB_STEP_OBJ);
		CHECK_STR(o.steps[1].option, "EXT4_FS");
		CHECK_STR(o.steps[1].list, "obj-$(CONFIG_EXT4_FS)");
		CHECK_STR(o.steps[1].name, "ext4.o");
		CHECK(o.steps[2].kind == KB_STEP_DIR);
		CHECK_STR(o.steps[2].name, "ext4/");
		CHECK_STR(o.steps[2].file, "fs/Makefile");
		CHECK_STR(o.steps[3].name, "fs/");
		CHECK(o.steps[3].flags & KB_STEP_TOP);
	}
	/* a member under its own gate carries it */
	kb_mktree_resolve(t, "fs/ext4/acl.o", &o);
	CHECK(o.resolved);
	CHECK(o.nsteps && o.steps[0].kind == KB_STEP_MEMBER);
	CHECK(o.nsteps && o.steps[0].option && !strcmp(o.steps[0].option, "EXT4_FS_POSIX_ACL"));
	kb_mktree_free(t);
}

static void test_ancestor_names_the_object_by_its_relative_path(void)
{
	struct kb_mktree *t = tree(NULL);
	struct kb_origin o;

	add(t, "", kbuild);
	add(t, "fs", "obj-y += nls/nls_base.o\n");
	add(t, "fs/nls", "obj-$(CONFIG_NLS_UTF8) += nls_utf8.o\n");
	kb_mktree_resolve(t, "fs/nls/nls_base.o", &o);
	CHECK(o.resolved);
	CHECK(o.nsteps == 2);
	CHECK(o.nsteps && !strcmp(o.steps[0].name, "nls/nls_base.o"));
	CHECK(o.nsteps && !strcmp(o.steps[0].file, "fs/Makefile"));
	/* and a directory found from the top by its full path ends the chain there */
	add(t, "", "obj-y += fs/nls/\n");
	kb_mktree_resolve(t, "fs/nls/nls_utf8.o", &o);
	CHECK(o.resolved);
	CHECK(o.nsteps == 2 && !strcmp(o.steps[1].name, "fs/nls/"));
	kb_mktree_free(t);
}

static const char arch_x86[] = "ifeq ($(CONFIG_X86_32),y)\n"
			       "        BITS := 32\n"
			       "else\n"
			       "        BITS := 64\n"
			       "endif\n"
			       "export BITS\n"
			       "core-y += arch/x86/\n"
			       "libs-y  += arch/x86/lib/\n"
			       "drivers-$(CONFIG_PCI)            += arch/x86/pci/\n"
			       "obj-y += kernel/\n";

static void test_arch_makefile_lists_and_bits(void)
{
	static const char *const config64[] = { "X86_64", "y", "PCI", "y", NULL };
	static const char *const config32[] = { "X86_32", "y", NULL };
	struct kb_mktree *t = tree(config64);
	struct kb_origin o;

	add(t, "", "");
	add(t, "arch/x86", arch_x86);
	add(t, "arch/x86/kernel", "extra-y += vmlinux.lds\nobj-y\t\t\t+= head_$(BITS).o\n");
	add(t, "arch/x86/lib",
	    "lib-y := delay.o misc.o\nlib-$(CONFIG_X86_64) += memcpy_$(BITS).o\n");
	add(t, "arch/x86/pci", "obj-y := i386.o init.o\n");
	kb_mktree_resolve(t, "arch/x86/kernel/head_64.o", &o);
	CHECK(o.resolved);
	CHECK(o.nsteps == 3);
	if (o.nsteps == 3) {
		CHECK_STR(o.steps[0].name, "head_64.o");
		CHECK_STR(o.steps[0].list, "obj-y");
		CHECK_STR(o.steps[1].name, "kernel/");
		CHECK(!(o.steps[1].flags & KB_STEP_TOP));
		CHECK_STR(o.steps[2].name, "arch/x86/");
		CHECK_STR(o.steps[2].list, "core-y");
		CHECK(o.steps[2].flags & KB_STEP_TOP);
	}
	kb_mktree_resolve(t, "arch/x86/kernel/head_32.o", &o);
	CHECK(!o.resolved);
	CHECK(o.why && strstr(o.why, "arch/x86/kernel/head_32.o"));

	kb_mktree_resolve(t, "arch/x86/lib/memcpy_64.o", &o);
	CHECK(o.resolved);
	CHECK(o.nsteps == 2);
	CHECK(o.nsteps && (o.steps[0].flags & KB_STEP_LIB));
	CHECK(o.nsteps && o.steps[0].option && !strcmp(o.steps[0].option, "X86_64"));
	CHECK(o.nsteps == 2 && !strcmp(o.steps[1].list, "libs-y"));

	kb_mktree_resolve(t, "arch/x86/pci/init.o", &o);
	CHECK(o.resolved);
	CHECK(o.nsteps == 2 && o.steps[1].option && !strcmp(o.steps[1].option, "PCI"));
	CHECK(o.nsteps == 2 && !strcmp(o.steps[1].list, "drivers-$(CONFIG_PCI)"));
	kb_mktree_free(t);

	t = tree(config32);
	add(t, "", "");
	add(t, "arch/x86", arch_x86);
	add(t, "arch/x86/kernel", "obj-y\t\t\t+= head_$(BITS).o\n");
	kb_mktree_resolve(t, "arch/x86/kernel/head_32.o", &o);
	CHECK(o.resolved);
	kb_mktree_resolve(t, "arch/x86/kernel/head_64.o", &o);
	CHECK(!o.resolved);
	kb_mktree_free(t);
}

static const char conds[] = "obj-y := main.o\n"
			    "ifneq ($(CONFIG_BLK_DEV_INITRD),y)\n"
			    "obj-y += noinitramfs.o\n"
			    "else\n"
			    "obj-$(CONFIG_BLK_DEV_INITRD) += initramfs.o\n"
			    "endif\n"
			    "ifdef CONFIG_SMP\n"
			    "ifeq ($(CONFIG_NUMA),)\n"
			    "obj-y += nested.o\n"
			    "endif\n"
			    "else ifdef CONFIG_UP_EXTRA\n"
			    "obj-y += upextra.o\n"
			    "endif\n"
			    "ifndef CONFIG_MMU\n"
			    "obj-y += nommu.o\n"
			    "endif\n"
			    "ifeq ($(CONFIG_A)$(CONFIG_B),yy)\n"
			    "obj-y += both.o\n"
			    "endif\n";

static void test_conditionals_become_cond_steps(void)
{
	struct kb_mktree *t = tree(NULL);
	struct kb_origin o;

	add(t, "", kbuild);
	add(t, "init", conds);
	/* without a .config every branch is live */
	kb_mktree_resolve(t, "init/noinitramfs.o", &o);
	CHECK(o.resolved);
	CHECK(o.nsteps == 3);
	if (o.nsteps == 3) {
		CHECK(o.steps[1].kind == KB_STEP_COND);
		CHECK_STR(o.steps[1].option, "BLK_DEV_INITRD");
		CHECK(o.steps[1].flags == KB_STEP_NEGATED);
		CHECK_STR(o.steps[1].list, "ifneq ($(CONFIG_BLK_DEV_INITRD),y)");
		CHECK(o.steps[1].line == 2);
		CHECK_STR(o.steps[1].name, "noinitramfs.o");
		CHECK(o.steps[2].kind == KB_STEP_DIR);
	}
	kb_mktree_resolve(t, "init/initramfs.o", &o);
	CHECK(o.resolved);
	CHECK(o.nsteps == 3);
	CHECK(o.nsteps == 3 && o.steps[1].kind == KB_STEP_COND && o.steps[1].flags == 0);
	CHECK(o.nsteps && o.steps[0].option && !strcmp(o.steps[0].option, "BLK_DEV_INITRD"));

	/* innermost first */
	kb_mktree_resolve(t, "init/nested.o", &o);
	CHECK(o.nsteps == 4);
	if (o.nsteps == 4) {
		CHECK_STR(o.steps[1].option, "NUMA");
		CHECK(o.steps[1].flags == KB_STEP_NEGATED);
		CHECK_STR(o.steps[2].option, "SMP");
		CHECK(o.steps[2].flags == 0);
	}
	/* else ifdef: the branch's own test, then the earlier one, negated */
	kb_mktree_resolve(t, "init/upextra.o", &o);
	CHECK(o.nsteps == 4);
	if (o.nsteps == 4) {
		CHECK_STR(o.steps[1].option, "UP_EXTRA");
		CHECK(o.steps[1].flags == 0);
		CHECK_STR(o.steps[2].option, "SMP");
		CHECK(o.steps[2].flags == KB_STEP_NEGATED);
	}
	kb_mktree_resolve(t, "init/nommu.o", &o);
	CHECK(o.nsteps == 3 && o.steps[1].flags == KB_STEP_NEGATED);
	/* a test of two options is no COND step */
	kb_mktree_resolve(t, "init/both.o", &o);
	CHECK(o.resolved && o.nsteps == 2);
	kb_mktree_free(t);
}

static void test_false_conditionals_hide_their_lines(void)
{
	static const char *const config[] = {
		"BLK_DEV_INITRD", "y", "SMP", "y", "NUMA", "y", "MMU", "y", "A", "y", "B", "n", NULL
	};
	struct kb_mktree *t = tree(config);
	struct kb_origin o;

	add(t, "", kbuild);
	add(t, "init", conds);
	kb_mktree_resolve(t, "init/noinitramfs.o", &o);
	CHECK(!o.resolved);
	CHECK(o.why && strstr(o.why, "init/noinitramfs.o") && strstr(o.why, "init/Makefile"));
	kb_mktree_resolve(t, "init/initramfs.o", &o);
	CHECK(o.resolved);
	kb_mktree_resolve(t, "init/nested.o", &o);
	CHECK(!o.resolved);
	kb_mktree_resolve(t, "init/upextra.o", &o);
	CHECK(!o.resolved);
	kb_mktree_resolve(t, "init/nommu.o", &o);
	CHECK(!o.resolved);
	kb_mktree_resolve(t, "init/both.o", &o);
	CHECK(!o.resolved);
	kb_mktree_resolve(t, "init/main.o", &o);
	CHECK(o.resolved);
	kb_mktree_free(t);
}

static void test_first_enabled_entry_wins(void)
{
	static const char *const config[] = { "A", "n", "B", "m", "C", "y", NULL };
	struct kb_mktree *t = tree(config);
	struct kb_origin o;

	add(t, "", kbuild);
	add(t, "kernel",
	    "obj-$(CONFIG_A) += shared.o\n"
	    "obj-$(CONFIG_B) += shared.o\n"
	    "obj-$(CONFIG_C) += shared.o\n"
	    "obj-$(CONFIG_A) += off.o\n"
	    "obj-$(CONFIG_D) += off.o\n"
	    "obj-$(subst m,y,$(CONFIG_B)) += forced.o\n"
	    "obj-$(CONFIG_B:m=y) += forced2.o\n");
	kb_mktree_resolve(t, "kernel/shared.o", &o);
	CHECK(o.nsteps && o.steps[0].option && !strcmp(o.steps[0].option, "C"));
	CHECK(o.nsteps && o.steps[0].line == 3);
	kb_mktree_resolve(t, "kernel/off.o", &o);
	CHECK(o.resolved);
	CHECK(o.nsteps && o.steps[0].line == 4);
	kb_mktree_resolve(t, "kernel/forced.o", &o);
	CHECK(o.resolved);
	CHECK(o.nsteps && (o.steps[0].flags & KB_STEP_FORCE_BUILTIN));
	CHECK(o.nsteps && o.steps[0].option && !strcmp(o.steps[0].option, "B"));
	CHECK_STR(o.nsteps ? o.steps[0].list : NULL, "obj-$(subst m,y,$(CONFIG_B))");
	kb_mktree_resolve(t, "kernel/forced2.o", &o);
	CHECK(o.nsteps && (o.steps[0].flags & KB_STEP_FORCE_BUILTIN));
	kb_mktree_free(t);
}

static void test_variables_and_functions_expand(void)
{
	static const char *const config[] = { "X", "y", "STR", "\"abc\"", NULL };
	struct kb_mktree *t = tree(config);
	struct kb_origin o;
	size_t i;
	static const char *const objs[] = {
		"lib/a_rec.o", "lib/b_simple.o", "lib/sub/pre.o", "lib/suf_x.o", "lib/pat_y.o",
		"lib/ref-1.o", "lib/ref-2.o",	 "lib/kept.o",	  "lib/cont.o",	 "lib/iffed.o",
		"lib/late.o",  "lib/curly.o",	 "lib/notdir.o",  "lib/app.o",
	};

	add(t, "", "libs-y := lib/\n");
	add(t, "lib",
	    "rec = $(name)_rec.o\n"
	    "name = a\n"
	    "obj-y += $(rec)\n"
	    "s := $(name2)_simple.o\n"
	    "name2 := b\n"
	    "s := b_simple.o\n"
	    "obj-y += $(s)\n"
	    "obj-y += $(addprefix sub/,pre.o)\n"
	    "obj-y += $(addsuffix _x.o,suf)\n"
	    "obj-$(CONFIG_X) += $(patsubst %.c,%.o,pat_y.c)\n"
	    "nums := 1 2\n"
	    "obj-y += $(nums:%=ref-%.o)\n"
	    "obj-y += $(filter %.o,kept.o dropped.c) $(shell echo gone.o) $(call f,x.o)\n"
	    "obj-y += \\\n"
	    "\tcont.o # a comment \\\n"
	    "  still the comment.o\n"
	    "obj-y += $(if $(CONFIG_X),iffed.o,notiffed.o)\n"
	    "app = late.o\n"
	    "obj-y += $(app)\n"
	    "obj-y += ${name3}curly.o\n"
	    "obj-y += $(notdir x/notdir.o)\n"
	    "lst := app.o\n"
	    "lst += $(nosuch)\n"
	    "obj-y += $(lst)\n");
	for (i = 0; i < ARRAY_SIZE(objs); i++) {
		kb_mktree_resolve(t, objs[i], &o);
		if (!o.resolved)
			fprintf(stderr, "not resolved: %s: %s\n", objs[i], o.why);
		CHECK(o.resolved);
	}
	kb_mktree_resolve(t, "lib/still.o", &o);
	CHECK(!o.resolved);
	kb_mktree_resolve(t, "lib/gone.o", &o);
	CHECK(!o.resolved);
	kb_mktree_resolve(t, "lib/x.o", &o);
	CHECK(!o.resolved);
	kb_mktree_resolve(t, "lib/dropped.c", &o);
	CHECK(!o.resolved);
	kb_mktree_resolve(t, "lib/cont.o", &o);
	CHECK(o.nsteps && o.steps[0].line == 14);
	kb_mktree_resolve(t, "lib/iffed.o", &o);
	CHECK(o.nsteps == 2);
	kb_mktree_free(t);
}

static void test_recipes_defines_and_other_lists_are_ignored(void)
{
	struct kb_mktree *t = tree(NULL);
	struct kb_origin o;

	add(t, "", kbuild);
	add(t, "kernel",
	    "ccflags-y += -DFOO cflags.o\n"
	    "targets += targeted.o\n"
	    "always-y += always.o\n"
	    "CFLAGS_fork.o := -O2\n"
	    "$(obj)/fork.o: $(src)/x.h\n"
	    "\tobj-y += recipe.o\n"
	    "define filechk_x\n"
	    "\tobj-y += defined.o\n"
	    "endef\n"
	    "hostprogs := host.o\n"
	    "nocomp-y := member.o\n"
	    "$(eval obj-y += evaled.o)\n"
	    "obj-y += fork.o\n");
	kb_mktree_resolve(t, "kernel/fork.o", &o);
	CHECK(o.resolved && o.nsteps == 2 && o.steps[0].line == 13);
	kb_mktree_resolve(t, "kernel/cflags.o", &o);
	CHECK(!o.resolved);
	kb_mktree_resolve(t, "kernel/targeted.o", &o);
	CHECK(!o.resolved);
	kb_mktree_resolve(t, "kernel/always.o", &o);
	CHECK(!o.resolved);
	kb_mktree_resolve(t, "kernel/recipe.o", &o);
	CHECK(!o.resolved);
	kb_mktree_resolve(t, "kernel/defined.o", &o);
	CHECK(!o.resolved);
	kb_mktree_resolve(t, "kernel/host.o", &o);
	CHECK(!o.resolved);
	/* NAME-y whose NAME.o no list names is no composite */
	kb_mktree_resolve(t, "kernel/member.o", &o);
	CHECK(!o.resolved);
	kb_mktree_resolve(t, "kernel/evaled.o", &o);
	CHECK(!o.resolved);
	CHECK(kb_mktree_nskipped(t) == 1); /* the $(eval) */
	CHECK(kb_mktree_nfiles(t) == 2);
	kb_mktree_free(t);
}

static void test_loops_and_self_named_composites_are_bounded(void)
{
	struct kb_mktree *t = tree(NULL);
	struct kb_origin o;

	add(t, "", kbuild);
	add(t, "kernel", "a-y := b.o\nb-y := a.o\nfoo-y := foo.o bar.o\nobj-y += foo.o\n");
	kb_mktree_resolve(t, "kernel/b.o", &o);
	CHECK(!o.resolved);
	CHECK(o.why && strstr(o.why, "loop"));
	CHECK(o.nsteps <= 64);
	/* foo.o is built from foo-y, but its own entry in foo-y cannot explain it */
	kb_mktree_resolve(t, "kernel/foo.o", &o);
	CHECK(o.resolved && o.nsteps == 2 && o.steps[0].kind == KB_STEP_OBJ);
	kb_mktree_resolve(t, "kernel/bar.o", &o);
	CHECK(o.resolved && o.nsteps == 3 && o.steps[0].kind == KB_STEP_MEMBER);
	kb_mktree_free(t);
}

static void test_orphan_makefile_is_passed_over(void)
{
	struct kb_mktree *t = tree(NULL);
	struct kb_origin o;

	add(t, "", "obj-y += drivers/\n");
	add(t, "drivers", "obj-y += st/\n");
	add(t, "drivers/st", "obj-y += sti/bdisp/\n");
	add(t, "drivers/st/sti", "obj-y += bdisp/\n"); /* nothing includes this one */
	add(t, "drivers/st/sti/bdisp", "obj-$(CONFIG_BDISP) += bdisp.o\nbdisp-objs := hw.o\n");
	kb_mktree_resolve(t, "drivers/st/sti/bdisp/hw.o", &o);
	CHECK(o.resolved);
	CHECK(o.nsteps == 5);
	CHECK(o.nsteps == 5 && !strcmp(o.steps[2].name, "sti/bdisp/"));
	kb_mktree_free(t);
}

/*
 * arch/x86/kvm builds virt/kvm's files into its kvm.o by a relative path; kbuild links them as
 * virt/kvm/kvm_main.o, which no Makefile of virt/ names. Once arch/x86/kvm's Makefile is read,
 * the object is found there.
 */
static void test_objects_named_from_another_directory(void)
{
	static const char *const config[] = { "KVM", "y", NULL };
	struct kb_mktree *t = tree(config);
	struct kb_origin o;

	add(t, "", "obj-y += arch/x86/\nobj-y += virt/\n");
	add(t, "arch/x86", "obj-$(CONFIG_KVM) += kvm/\n");
	add(t, "arch/x86/kvm",
	    "KVM := ../../../virt/kvm\nobj-$(CONFIG_KVM) += kvm.o\n"
	    "kvm-y += $(KVM)/kvm_main.o x86.o\nkvm-y += ./mmu/../lapic.o\n");
	add(t, "virt", "obj-y += lib/\n");
	kb_mktree_resolve(t, "virt/kvm/kvm_main.o", &o);
	CHECK(!o.resolved); /* arch/x86/kvm/Makefile is not read yet */
	kb_mktree_resolve(t, "arch/x86/kvm/x86.o", &o);
	CHECK(o.resolved);
	kb_mktree_resolve(t, "virt/kvm/kvm_main.o", &o);
	CHECK(o.resolved);
	CHECK(o.nsteps == 4);
	if (o.nsteps == 4) {
		CHECK(o.steps[0].kind == KB_STEP_MEMBER);
		CHECK_STR(o.steps[0].name, "../../../virt/kvm/kvm_main.o");
		CHECK_STR(o.steps[0].file, "arch/x86/kvm/Makefile");
		CHECK(o.steps[1].kind == KB_STEP_OBJ);
		CHECK_STR(o.steps[1].option, "KVM");
		CHECK_STR(o.steps[2].name, "kvm/");
		CHECK_STR(o.steps[3].name, "arch/x86/");
	}
	/* a path that stays inside its directory is found as the path it names */
	kb_mktree_resolve(t, "arch/x86/kvm/lapic.o", &o);
	CHECK(o.resolved);
	CHECK(o.nsteps == 4 && !strcmp(o.steps[0].name, "lapic.o"));
	kb_mktree_resolve(t, "virt/kvm/eventfd.o", &o);
	CHECK(!o.resolved);
	kb_mktree_free(t);
}

static void test_odd_requests(void)
{
	struct kb_mktree *t = tree(NULL);
	struct kb_origin o;

	add(t, "", "libs-y := lib/\nobj-y += top.o\n");
	add(t, "lib", "lib-y := sort.o\n");
	kb_mktree_resolve(t, "lib/lib.a(sort.o)", &o);
	CHECK(o.resolved);
	CHECK_STR(o.object, "lib/lib.a(sort.o)");
	kb_mktree_resolve(t, "./lib/sort.o", &o);
	CHECK(o.resolved);
	kb_mktree_resolve(t, "lib/", &o);
	CHECK(o.resolved && o.nsteps == 1 && o.steps[0].kind == KB_STEP_DIR);
	kb_mktree_resolve(t, "top.o", &o);
	CHECK(o.resolved && o.nsteps == 1);
	kb_mktree_resolve(t, "", &o);
	CHECK(!o.resolved && o.why);
	kb_mktree_resolve(t, "nowhere/x.o", &o);
	CHECK(!o.resolved && o.nsteps == 0);
	CHECK(o.why && strstr(o.why, "nowhere/x.o: no Makefile names it"));
	kb_mktree_free(t);
}

static void test_open_refuses_what_is_not_a_tree(void)
{
	struct kb_mktree *t = (struct kb_mktree *)&t;

	CHECK(kb_mktree_open(&t, "/nonexistent/linux", "x86", NULL, NULL) == KB_ERR);
	CHECK(t == NULL);
	CHECK(strstr(kb_error_last(), "/nonexistent/linux") != NULL);
	CHECK(kb_mktree_open(&t, NULL, "../x86", NULL, NULL) == KB_ERR);
}

/* kernel/fork.o and friends in a real tree, when KB_REAL_LINUX names one */
static void test_real_tree(void)
{
	const char *src = getenv("KB_REAL_LINUX");
	struct kb_mktree *t;
	struct kb_origin o;

	if (!src) {
		printf("test_mktree: SKIPPED the real-tree case: set KB_REAL_LINUX=/path/to/linux\n");
		return;
	}
	CHECK(kb_mktree_open(&t, src, "x86", NULL, NULL) == 0);
	if (!t)
		return;
	kb_mktree_resolve(t, "kernel/fork.o", &o);
	CHECK(o.resolved && o.nsteps == 2);
	CHECK(o.nsteps == 2 && !strcmp(o.steps[1].name, "kernel/"));
	kb_mktree_resolve(t, "arch/x86/kernel/head_64.o", &o);
	CHECK(o.resolved);
	CHECK(o.nsteps && !strcmp(o.steps[0].name, "head_64.o"));
	kb_mktree_resolve(t, "lib/ctype.o", &o);
	CHECK(o.resolved && o.nsteps && (o.steps[0].flags & KB_STEP_LIB));
	kb_mktree_resolve(t, "fs/ext4/inode.o", &o);
	CHECK(o.resolved && o.nsteps == 4);
	kb_mktree_free(t);
}

int main(void)
{
	test_object_in_its_directory_then_the_top();
	test_composite_member_chain_matches_the_header();
	test_ancestor_names_the_object_by_its_relative_path();
	test_arch_makefile_lists_and_bits();
	test_conditionals_become_cond_steps();
	test_false_conditionals_hide_their_lines();
	test_first_enabled_entry_wins();
	test_variables_and_functions_expand();
	test_recipes_defines_and_other_lists_are_ignored();
	test_loops_and_self_named_composites_are_bounded();
	test_orphan_makefile_is_passed_over();
	test_objects_named_from_another_directory();
	test_odd_requests();
	test_open_refuses_what_is_not_a_tree();
	test_real_tree();
	return check_done("test_mktree");
}
