/*
 * test_inputs.c - kbuild's `.cmd` records read as Linux's fixdep and if_changed write them,
 * the records of a build directory kept and re-read only where make rewrote them, and the
 * decision to skip, configure or build that a commit's changes call for.
 */
#include "check.h"

#include "error.h"
#include "inputs.h"
#include "run.h"
#include "strbuf.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

/* What fixdep writes for init/main.o of an O= build of linux-6.1 (srctree absolute). */
static const char main_o_cmd[] =
	"savedcmd_init/main.o := gcc -Wp,-MMD,init/.main.o.d -nostdinc -I/s/linux/arch/x86/"
	"include -I./arch/x86/include/generated -include /s/linux/include/linux/kconfig.h "
	"-DKBUILD_MODFILE='\"init/main\"' -c -o init/main.o /s/linux/init/main.c\n"
	"\n"
	"source_init/main.o := /s/linux/init/main.c\n"
	"\n"
	"deps_init/main.o := \\\n"
	"    $(wildcard include/config/INIT_ENV_ARG_LIMIT) \\\n"
	"    $(wildcard include/config/PROC_FS) \\\n"
	"  /s/linux/include/linux/compiler-version.h \\\n"
	"  /s/linux/include/linux/types.h \\\n"
	"  include/generated/autoconf.h \\\n"
	"  /usr/lib/gcc/x86_64-linux-gnu/12/include/stddef.h \\\n"
	"  /s/linux/drivers/odd\\ name$$.h \\\n"
	"\n"
	"init/main.o: $(deps_init/main.o)\n"
	"\n"
	"$(deps_init/main.o):\n";

/* if_changed's record: the command line only, with the syscall table on it. */
static const char unistd_cmd[] =
	"savedcmd_arch/x86/include/generated/uapi/asm/unistd_64.h := sh /s/linux/scripts/"
	"syscallhdr.sh --abis common,64 /s/linux/arch/x86/entry/syscalls/syscall_64.tbl "
	"arch/x86/include/generated/uapi/asm/unistd_64.h\n";

static int has(const struct kb_cmd_deps *d, const char *path)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (!strcmp(d->v[i], path))
			return 1;
	return 0;
}

static void fixdep_records_give_the_source_headers_and_command_files(void)
{
	struct kb_cmd_deps d;

	CHECK(kb_cmd_parse(&d, main_o_cmd, strlen(main_o_cmd), "/s/linux/", "x/.main.o.cmd") == 0);
	CHECK(has(&d, "init/main.c"));
	CHECK(has(&d, "include/linux/types.h"));
	CHECK(has(&d, "include/linux/compiler-version.h"));
	CHECK(has(&d, "include/linux/kconfig.h")); /* -include on the command line */
	CHECK(has(&d, "arch/x86/include")); /* -I: a directory, harmless */
	CHECK(has(&d, "drivers/odd name$.h")); /* "\ " and "$$" unescaped */
	CHECK(has(&d, "/usr/lib/gcc/x86_64-linux-gnu/12/include/stddef.h"));
	CHECK(has(&d, "init/.main.o.d")); /* -Wp,-MMD,F */
	/* $(wildcard include/config/X) is a config dependency, not a file */
	CHECK(!has(&d, "include/config/PROC_FS"));
	CHECK(!has(&d, "$(wildcard"));
	CHECK(!has(&d, "gcc"));
	CHECK(!has(&d, "-c"));
	kb_cmd_deps_release(&d);

	CHECK(kb_cmd_parse(&d, unistd_cmd, strlen(unistd_cmd), "/s/linux", "x/.unistd_64.h.cmd") ==
	      0);
	CHECK(has(&d, "arch/x86/entry/syscalls/syscall_64.tbl"));
	CHECK(has(&d, "scripts/syscallhdr.sh"));
	CHECK(!has(&d, "common,64"));
	kb_cmd_deps_release(&d);
}

static void broken_records_are_one_line_errors(void)
{
	static const char cut[] = "deps_a.o := \\\n  include/a.h \\";
	static const char open_ref[] = "deps_a.o := $(wildcard include/config/A\n";
	static const char junk[] = "savedcmd_a.o := gcc\nthis is not make\n";
	static const char nul[] = "deps_a.o := a\0.h\n";
	static const char no_end[] = "deps_a.o := a.h";
	struct kb_cmd_deps d;

	CHECK(kb_cmd_parse(&d, cut, strlen(cut), NULL, "O/.a.o.cmd") < 0);
	CHECK_STR(kb_error_last(), "O/.a.o.cmd:2: ends inside a continued line (a file cut short)");
	CHECK(kb_cmd_parse(&d, open_ref, strlen(open_ref), NULL, "O/.a.o.cmd") < 0);
	CHECK_STR(kb_error_last(), "O/.a.o.cmd:1: a $( reference with no closing parenthesis");
	CHECK(kb_cmd_parse(&d, junk, strlen(junk), NULL, "O/.a.o.cmd") < 0);
	CHECK_STR(kb_error_last(), "O/.a.o.cmd:2: neither an assignment nor a rule");
	CHECK(kb_cmd_parse(&d, nul, sizeof(nul) - 1, NULL, "O/.a.o.cmd") < 0);
	CHECK_STR(kb_error_last(), "O/.a.o.cmd: a NUL byte: not a kbuild record");
	CHECK(kb_cmd_parse(&d, no_end, strlen(no_end), NULL, "O/.a.o.cmd") < 0);
	CHECK_STR(kb_error_last(), "O/.a.o.cmd:1: the last line has no end (a file cut short)");
	CHECK(d.n == 0 && d.v == NULL);
	kb_error_clear();
}

static char root[] = "/tmp/kb-test-inputs-XXXXXX";

static void put(const char *rel, const char *text)
{
	struct strbuf p = STRBUF_INIT;
	FILE *f;

	strbuf_addf(&p, "%s/%s", root, rel);
	f = fopen(p.buf, "w");
	CHECK(f != NULL);
	if (f) {
		fputs(text, f);
		fclose(f);
	}
	strbuf_release(&p);
}

static enum kb_decision decide(struct kb_inputs *in, const char *const *paths,
			       const enum kb_change_kind *kinds, struct strbuf *why)
{
	struct kb_path_change v[16];
	struct kb_path_changes c = { v, 0 };

	for (; paths[c.n]; c.n++) {
		v[c.n].path = (char *)paths[c.n];
		v[c.n].kind = kinds ? kinds[c.n] : KB_CHANGE_MODIFIED;
	}
	return kb_inputs_decide(in, &c, "x86", why);
}

static void a_build_directory_decides_skip_config_or_build(void)
{
	struct strbuf p = STRBUF_INIT, why = STRBUF_INIT;
	struct kb_inputs *in;
	size_t parsed;

	CHECK(mkdtemp(root) != NULL);
	strbuf_addf(&p, "%s/init", root);
	CHECK(mkdir(p.buf, 0755) == 0);
	put("init/.main.o.cmd", main_o_cmd);
	put(".vmlinux.cmd", "savedcmd_vmlinux := ld -T arch/x86/kernel/vmlinux.lds -o vmlinux\n");
	put("init/main.o", "not a record\n");
	in = kb_inputs_new(root, "/s/linux");
	CHECK(kb_inputs_refresh(in) == 0);
	CHECK(kb_inputs_files(in, &parsed) == 2 && parsed == 2);
	CHECK(kb_inputs_refresh(in) == 0); /* nothing rewritten: nothing parsed */
	CHECK(kb_inputs_files(in, &parsed) == 2 && parsed == 0);
	CHECK(kb_inputs_has(in, "include/linux/types.h"));
	CHECK(!kb_inputs_has(in, "include/linux/list.h"));

	{
		const char *const none[] = { "MAINTAINERS",
					     "drivers/net/dummy.c",
					     "include/linux/list.h",
					     "Documentation/x.rst",
					     "arch/arm/configs/a_defconfig",
					     "arch/arm/Makefile",
					     "tools/testing/selftests/sgx/Makefile",
					     "tools/testing/selftests/sgx/sign_key.S",
					     "tools/perf/util/thread.h",
					     "tools/virtio/linux/uaccess.h",
					     NULL };
		const char *const objtool[] = { "tools/objtool/check.c", NULL };
		/* what objtool shares, and a directory of tools/ no list names: builds */
		const char *const toolinc[] = { "tools/include/linux/string.h", NULL };
		const char *const toolnew[] = { "tools/newtool/main.c", NULL };
		const char *const cfg[] = { "fs/ext4/Kconfig", "drivers/net/dummy.c", NULL };
		const char *const cfg2[] = { "arch/x86/configs/tiny.config", NULL };
		const char *const used[] = { "fs/ext4/Kconfig", "include/linux/types.h", NULL };
		const char *const mk[] = { "init/Makefile", NULL };
		/* make built nothing under O/drivers: its Makefiles added nothing to vmlinux */
		const char *const unbuilt[] = { "drivers/net/Makefile", "drivers/Kbuild", NULL };
		const char *const top[] = { "Makefile", NULL };
		const char *const mkinc[] = { "drivers/net/Makefile.lib", NULL };
		const char *const asmkbuild[] = { "arch/x86/include/asm/Kbuild", NULL };
		const char *const lds[] = { "arch/x86/kernel/vmlinux.lds.S", NULL };
		const char *const newh[] = { "include/linux/list2.h", NULL };
		const char *const newinc[] = { "arch/x86/include/asm/thing", NULL };
		const char *const odd[] = { "firmware/blob.bin", NULL };
		const char *const newc[] = { "drivers/net/new.c", NULL };
		const enum kb_change_kind added[] = { KB_CHANGE_ADDED };

		CHECK(decide(in, none, NULL, &why) == KB_DECIDE_SKIP);
		CHECK_STR(why.buf, "10 changed files, none an input");
		/* the rest of tools/ builds: objtool and the host tools the build runs */
		CHECK(decide(in, objtool, NULL, &why) == KB_DECIDE_BUILD);
		CHECK_STR(why.buf,
			  "tools/objtool/check.c: under tools/ (host tools the build runs)");
		CHECK(decide(in, toolinc, NULL, &why) == KB_DECIDE_BUILD);
		CHECK(decide(in, toolnew, NULL, &why) == KB_DECIDE_BUILD);
		CHECK(decide(in, cfg, NULL, &why) == KB_DECIDE_CONFIG);
		CHECK_STR(why.buf, "fs/ext4/Kconfig: a config input");
		CHECK(decide(in, cfg2, NULL, &why) == KB_DECIDE_CONFIG);
		CHECK(decide(in, used, NULL, &why) == KB_DECIDE_BUILD);
		CHECK_STR(why.buf, "include/linux/types.h: named in a kbuild record");
		CHECK(decide(in, mk, NULL, &why) == KB_DECIDE_BUILD);
		CHECK_STR(why.buf, "init/Makefile: a Makefile");
		CHECK(decide(in, unbuilt, NULL, &why) == KB_DECIDE_SKIP);
		CHECK_STR(why.buf, "2 changed files, none an input");
		CHECK(decide(in, top, NULL, &why) == KB_DECIDE_BUILD);
		/* one that others include, and one read for generated headers elsewhere */
		CHECK(decide(in, mkinc, NULL, &why) == KB_DECIDE_BUILD);
		CHECK(decide(in, asmkbuild, NULL, &why) == KB_DECIDE_BUILD);
		CHECK_STR(why.buf, "arch/x86/include/asm/Kbuild: a Makefile");
		CHECK(decide(in, lds, NULL, &why) == KB_DECIDE_BUILD);
		/* a header not in any record: modified, nothing read it; added, it may shadow one */
		CHECK(decide(in, newh, NULL, &why) == KB_DECIDE_SKIP);
		CHECK(decide(in, newh, added, &why) == KB_DECIDE_BUILD);
		CHECK_STR(why.buf, "include/linux/list2.h: a new header");
		CHECK(decide(in, newinc, added, &why) == KB_DECIDE_BUILD);
		/* when in doubt, build: a file of no known kind */
		CHECK(decide(in, odd, NULL, &why) == KB_DECIDE_BUILD);
		CHECK_STR(why.buf, "firmware/blob.bin: not known to be outside the build");
		CHECK(decide(in, newc, added, &why) == KB_DECIDE_SKIP);
	}

	/* make rewrote one record: only it is parsed again; a record gone is forgotten */
	sleep(1);
	put("init/.main.o.cmd", "source_init/main.o := init/main.c\n");
	CHECK(kb_inputs_refresh(in) == 0);
	CHECK(kb_inputs_files(in, &parsed) == 2 && parsed == 1);
	CHECK(!kb_inputs_has(in, "include/linux/types.h"));
	CHECK(kb_inputs_has(in, "arch/x86/kernel/vmlinux.lds"));
	strbuf_reset(&p);
	strbuf_addf(&p, "%s/.vmlinux.cmd", root);
	CHECK(unlink(p.buf) == 0);
	CHECK(kb_inputs_refresh(in) == 0);
	CHECK(kb_inputs_files(in, NULL) == 1);
	CHECK(!kb_inputs_has(in, "arch/x86/kernel/vmlinux.lds"));

	/* a broken record is an error naming it, and leaves no half set behind */
	put("init/.main.o.cmd", "deps_init/main.o := \\\n");
	CHECK(kb_inputs_refresh(in) < 0);
	CHECK(strstr(kb_error_last(), "init/.main.o.cmd:2: ") != NULL);
	CHECK(kb_inputs_files(in, NULL) == 0);
	kb_error_clear();

	kb_inputs_free(in);
	{
		const char *rm[] = { "rm", "-rf", root, NULL };
		struct kb_run run = { rm, NULL, NULL, NULL, 30 };
		struct kb_run_result res;

		CHECK(kb_run(&run, &res) == 0);
	}
	strbuf_release(&p);
	strbuf_release(&why);
}

int main(void)
{
	fixdep_records_give_the_source_headers_and_command_files();
	broken_records_are_one_line_errors();
	a_build_directory_decides_skip_config_or_build();
	return check_done("test_inputs");
}
