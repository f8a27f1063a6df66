/*
 * test_maintainers.c - MAINTAINERS lookup decides as scripts/get_maintainer.pl does: the most
 * specific pattern wins, '/' counting, globs, X: and N: lines, THE REST, ties, directories
 * found in the tree; and no input makes the parser fall over.
 */
#include "check.h"

#include "maintainers.h"
#include "error.h"
#include "strbuf.h"
#include "xalloc.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static const char sample[] = "List of maintainers\n"
			     "===================\n"
			     "\n"
			     "\tM: *Mail* patches to: FullName <address@domain>\n"
			     "\tF: *Files* and directories wildcard patterns.\n"
			     "\n"
			     "Maintainers List\n"
			     "----------------\n"
			     "\n"
			     "EXT4 FILE SYSTEM\n"
			     "M:\tTed <tytso@example.org>\n"
			     "S:\tMaintained\n"
			     "F:\tfs/ext4/\n"
			     "F:\tinclude/trace/events/ext4.h\n"
			     "\n"
			     "FILESYSTEMS (VFS and infrastructure)\n"
			     "M:\tAl <viro@example.org>\n"
			     "F:\tfs/*\n"
			     "F:\tinclude/linux/fs.h\n"
			     "\n"
			     "FOO DRIVER\n"
			     "M:\tSomeone <s@example.org>\n"
			     "F:\tdrivers/misc/foo\n"
			     "\n"
			     "BROADCOM PHY\n"
			     "F:\tdrivers/net/phy/bcm*.[ch]\n"
			     "F:\tdrivers/net/phy/broadcom.c\n"
			     "\n"
			     "NETWORKING DRIVERS\n"
			     "F:\tdrivers/net/\n"
			     "X:\tdrivers/net/wireless/\n"
			     "\n"
			     "NETWORKING [WIRELESS]\n"
			     "F:\tdrivers/net/wireless/\n"
			     "X:\tdrivers/net/wireless/ath/\n"
			     "\n"
			     "BPF SELFTESTS\n"
			     "F:\ttools/*/bpf/\n"
			     "\n"
			     "MDIO HEADERS\n"
			     "F:\tinclude/linux/*mdio*.h\n"
			     "F:\tinclude/linux/mii?.h\n"
			     "\n"
			     "SOC DRIVERS\n"
			     "F:\tdrivers/soc/\n"
			     "\n"
			     "TEGRA ARCHITECTURE SUPPORT\n"
			     "F:\tdrivers/soc/tegra/\n"
			     "N:\t[^a-z]tegra\n"
			     "\n"
			     "FIRST OF TWINS\n"
			     "F:\tlib/twin.c\n"
			     "\n"
			     "SECOND OF TWINS\n"
			     "F:\tlib/twin.c\n"
			     "\n"
			     "SPLIT BY A BLANK LINE AND A COMMENT\n"
			     "F:\tblock/\n"
			     "# a comment does not end a section\n"
			     "\n"
			     "F:\tipc/\n"
			     "\n"
			     "BROKEN REGEX\n"
			     "N:\t(unclosed\n"
			     "F:\tsamples/broken/\n"
			     "\n"
			     "THE REST\n"
			     "M:\tLinus <torvalds@example.org>\n"
			     "F:\t*\n"
			     "F:\t*/\n";

static struct kb_maint *parse_sample(void)
{
	struct kb_maint *m = NULL;

	CHECK(!kb_maint_parse(&m, "MAINTAINERS", sample, strlen(sample), NULL));
	return m;
}

static void the_header_is_no_section(void)
{
	struct kb_maint *m = parse_sample();

	CHECK_U64(kb_maint_nsections(m), 15);
	kb_maint_free(m);
}

static void most_specific_wins(void)
{
	struct kb_maint *m = parse_sample();

	CHECK_STR(kb_maint_lookup(m, "fs/ext4/inode.c"), "EXT4 FILE SYSTEM");
	CHECK_STR(kb_maint_lookup(m, "fs/namei.c"), "FILESYSTEMS (VFS and infrastructure)");
	CHECK_STR(kb_maint_lookup(m, "drivers/net/phy/bcm7xxx.c"), "BROADCOM PHY");
	CHECK_STR(kb_maint_lookup(m, "drivers/net/phy/phy.c"), "NETWORKING DRIVERS");
	CHECK_STR(kb_maint_lookup(m, "./fs//ext4/super.c"), "EXT4 FILE SYSTEM");
	kb_maint_free(m);
}

static void file_pattern_needs_as_many_slashes_as_path(void)
{
	struct kb_maint *m = parse_sample();

	/* "drivers/misc/foo" is not a directory here: it matches a prefix at the same depth */
	CHECK_STR(kb_maint_lookup(m, "drivers/misc/foo.c"), "FOO DRIVER");
	CHECK_STR(kb_maint_lookup(m, "drivers/misc/foobar.c"), "FOO DRIVER");
	CHECK_STR(kb_maint_lookup(m, "drivers/misc/foo/core.c"), "THE REST");
	/* a trailing star stays at its depth: FILESYSTEMS names the files of fs/ only */
	CHECK_STR(kb_maint_lookup(m, "fs/nfs/inode.c"), "THE REST");
	kb_maint_free(m);
}

static void star_crosses_directories(void)
{
	struct kb_maint *m = parse_sample();

	CHECK_STR(kb_maint_lookup(m, "tools/testing/selftests/bpf/test_verifier.c"),
		  "BPF SELFTESTS");
	CHECK_STR(kb_maint_lookup(m, "tools/lib/bpf/btf.c"), "BPF SELFTESTS");
	CHECK_STR(kb_maint_lookup(m, "tools/bpf/bpftool/main.c"), "THE REST");
	CHECK_STR(kb_maint_lookup(m, "include/linux/of_mdio.h"), "MDIO HEADERS");
	CHECK_STR(kb_maint_lookup(m, "include/linux/mdio/mdio-xgene.h"), "THE REST");
	CHECK_STR(kb_maint_lookup(m, "include/linux/mii.h"), "THE REST");
	CHECK_STR(kb_maint_lookup(m, "include/linux/miix.h"), "MDIO HEADERS");
	CHECK_STR(kb_maint_lookup(m, "drivers/net/phy/bcm7xxx.o"), "NETWORKING DRIVERS");
	kb_maint_free(m);
}

static void exclusion_drops_the_section(void)
{
	struct kb_maint *m = parse_sample();

	CHECK_STR(kb_maint_lookup(m, "drivers/net/wireless/mac80211_hwsim.c"),
		  "NETWORKING [WIRELESS]");
	/* excluded from both: nothing below THE REST is left */
	CHECK_STR(kb_maint_lookup(m, "drivers/net/wireless/ath/main.c"), "THE REST");
	kb_maint_free(m);
}

static void name_regex_matches_with_value_zero(void)
{
	struct kb_maint *m = parse_sample();

	CHECK_STR(kb_maint_lookup(m, "arch/arm/mach-tegra/board.c"), "TEGRA ARCHITECTURE SUPPORT");
	CHECK_STR(kb_maint_lookup(m, "arch/arm/mach-mytegra/board.c"), "THE REST");
	/* the script keeps a section's last match: the N: line (0) after the F: line (3) */
	CHECK_STR(kb_maint_lookup(m, "drivers/soc/tegra/pmc.c"), "SOC DRIVERS");
	CHECK_STR(kb_maint_lookup(m, "drivers/soc/tegrax/pmc.c"), "SOC DRIVERS");
	/* an N: line that does not compile is ignored, the rest of its section is not */
	CHECK_STR(kb_maint_lookup(m, "samples/broken/x.c"), "BROKEN REGEX");
	kb_maint_free(m);
}

static void the_rest_takes_what_nothing_else_does(void)
{
	struct kb_maint *m = parse_sample();

	CHECK_STR(kb_maint_lookup(m, "Makefile"), "THE REST");
	CHECK_STR(kb_maint_lookup(m, "scripts/kconfig/conf.c"), "THE REST");
	kb_maint_free(m);
}

static void ties_go_to_the_earlier_section(void)
{
	struct kb_maint *m = parse_sample();

	CHECK_STR(kb_maint_lookup(m, "lib/twin.c"), "FIRST OF TWINS");
	kb_maint_free(m);
}

static void a_named_file_beats_a_glob_of_the_same_depth(void)
{
	/* both score 2 for lib/vsprintf.c: the file named outright wins, wherever it stands */
	static const char text[] = "LIBRARY CODE\nF:\tlib/*\n\nVSPRINTF\nF:\tlib/vsprintf.c\n";
	struct kb_maint *m = NULL;

	CHECK(!kb_maint_parse(&m, "M", text, strlen(text), NULL));
	CHECK_STR(kb_maint_lookup(m, "lib/vsprintf.c"), "VSPRINTF");
	CHECK_STR(kb_maint_lookup(m, "lib/sort.c"), "LIBRARY CODE");
	kb_maint_free(m);
}

static void blank_and_comment_lines_do_not_split_a_section(void)
{
	struct kb_maint *m = parse_sample();

	CHECK_STR(kb_maint_lookup(m, "ipc/msg.c"), "SPLIT BY A BLANK LINE AND A COMMENT");
	kb_maint_free(m);
}

static void no_match_gives_null(void)
{
	static const char text[] = "EXT4\nF:\tfs/ext4/\n";
	struct kb_maint *m = NULL;

	CHECK(!kb_maint_parse(&m, "M", text, strlen(text), NULL));
	CHECK(kb_maint_lookup(m, "fs/ext4/inode.c") != NULL);
	CHECK(kb_maint_lookup(m, "mm/slab.c") == NULL);
	kb_maint_free(m);
}

static void text_without_sections_is_an_error(void)
{
	static const char text[] = "just\nsome\n\tM: prose\n";
	struct kb_maint *m = (struct kb_maint *)1;

	CHECK(kb_maint_parse(&m, "notes.txt", text, strlen(text), NULL) < 0);
	CHECK(m == NULL);
	CHECK_STR(kb_error_last(), "notes.txt: no MAINTAINERS sections found");
}

static void a_leading_tag_line_is_its_own_title(void)
{
	static const char text[] = "F:\tfoo.c\nM:\tx\n";
	struct kb_maint *m = NULL;

	CHECK(!kb_maint_parse(&m, "M", text, strlen(text), NULL));
	CHECK_STR(kb_maint_lookup(m, "foo.c"), "F:foo\\.c");
	kb_maint_free(m);
}

static void garbage_does_not_crash(void)
{
	static const char *const texts[] = {
		"",
		"F:",
		"X\nF:\n",
		"T\nF:[\nF:[]\nF:[^\nF:\\\nN:\nN:(\nN:\\1\nN:a{1}{2}\nX:*\n",
		"T\nF:*[*\nF:?*?*?*\nF:.*\nF:[a-\nF:[]-a]\nN:   # only a comment\n",
		"T\r\nF:\tfs/\r\n",
		"T\nF:\ta\0b\nN:\tx\0y\nF:\t\0\n",
		"\n\n\n#\n  \n",
		"A:B:C:\nZ:\n",
		/* each '+' would double glibc's compiled regex: ignored, not compiled */
		"T\nN:-+++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++\n"
		"N:((((((((((((((((((((((((((((((((((((((((a+)+)+)+)+)+)+)+)+)+)+)+)+)+)+)+)+)+)"
		"+)+)+)+)+)+)+)+)+)+)+)+)+)+)+)+)+)+)+)+)+)+)+)+\n",
	};
	static const char *const paths[] = { "", "/", "a", "fs/x.c", "a/b/c/d/e/f/g", "[", "." };
	struct strbuf noise = STRBUF_INIT;
	unsigned int seed = 1;
	size_t i, j;

	for (i = 0; i < ARRAY_SIZE(texts); i++) {
		struct kb_maint *m = NULL;
		size_t len = strlen(texts[i]);

		if (i == 6)
			len = sizeof("T\nF:\ta\0b\nN:\tx\0y\nF:\t\0\n") - 1;
		if (kb_maint_parse(&m, "garbage", texts[i], len, NULL))
			continue;
		for (j = 0; j < ARRAY_SIZE(paths); j++)
			kb_maint_lookup(m, paths[j]);
		kb_maint_free(m);
	}
	for (i = 0; i < 200; i++) {
		struct kb_maint *m = NULL;

		strbuf_reset(&noise);
		for (j = 0; j < 512; j++) {
			seed = seed * 1103515245u + 12345u;
			strbuf_addch(&noise, "F:X:N:T\n\t []*?.^/\\#-abc"[(seed >> 16) % 24]);
		}
		if (kb_maint_parse(&m, "noise", noise.buf, noise.len, NULL))
			continue;
		for (j = 0; j < ARRAY_SIZE(paths); j++)
			kb_maint_lookup(m, paths[j]);
		kb_maint_free(m);
	}
	strbuf_release(&noise);
	CHECK(1);
}

static void pattern_naming_a_directory_gets_a_slash(void)
{
	static const char text[] = "FOO DRIVER\nF:\tdrivers/misc/foo\n"
				   "MISC\nF:\tdrivers/misc/\n";
	char tmpl[] = "/tmp/test_maintainers.XXXXXX";
	struct strbuf path = STRBUF_INIT;
	struct kb_maint *m = NULL;
	char *tree = mkdtemp(tmpl);
	FILE *f;

	CHECK(tree != NULL);
	if (!tree)
		return;
	strbuf_addf(&path, "%s/drivers", tree);
	CHECK(!mkdir(path.buf, 0700));
	strbuf_addstr(&path, "/misc");
	CHECK(!mkdir(path.buf, 0700));
	strbuf_addstr(&path, "/foo");
	CHECK(!mkdir(path.buf, 0700));

	CHECK(kb_maint_open(&m, tree) < 0);
	CHECK(strstr(kb_error_last(), "/MAINTAINERS: no such file") != NULL);

	strbuf_reset(&path);
	strbuf_addf(&path, "%s/MAINTAINERS", tree);
	f = fopen(path.buf, "w");
	CHECK(f != NULL);
	if (f) {
		fputs(text, f);
		fclose(f);
	}
	CHECK(!kb_maint_open(&m, tree));
	if (m) {
		/* read as "drivers/misc/foo/": everything below it, no longer its neighbours */
		CHECK_STR(kb_maint_lookup(m, "drivers/misc/foo/core/main.c"), "FOO DRIVER");
		CHECK_STR(kb_maint_lookup(m, "drivers/misc/foobar.c"), "MISC");
		kb_maint_free(m);
	}
	/* without the tree the same text reads "drivers/misc/foo" as a file pattern */
	CHECK(!kb_maint_parse(&m, "MAINTAINERS", text, strlen(text), NULL));
	CHECK_STR(kb_maint_lookup(m, "drivers/misc/foo/core/main.c"), "MISC");
	CHECK_STR(kb_maint_lookup(m, "drivers/misc/foobar.c"), "FOO DRIVER");
	kb_maint_free(m);

	unlink(path.buf);
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/drivers/misc/foo", tree);
	rmdir(path.buf);
	strbuf_setlen(&path, path.len - 4);
	rmdir(path.buf);
	strbuf_setlen(&path, path.len - 5);
	rmdir(path.buf);
	rmdir(tree);
	strbuf_release(&path);
}

/* M: and L: lines are kept per section in the file's order, with blanks trimmed; the
 * preamble's indented example lines are not a section's */
static void contacts_are_a_sections_m_and_l_lines_in_order(void)
{
	static const char text[] =
		"\tM: *Mail* patches to: FullName <address@domain>\n"
		"\n"
		"PRINTK\n"
		"M:\tPetr <pmladek@example.org>  \n"
		"R:\tJohn <john@example.org>\n"
		"L:\tlinux-kernel@vger.kernel.org (moderated for non-subscribers)\n"
		"S:\tMaintained\n"
		"M:\tSergey <senozhatsky@example.org>\n"
		"F:\tkernel/printk/\n"
		"\n"
		"NOBODY\n"
		"S:\tOrphan\n"
		"F:\tlib/orphan.c\n";
	const struct kb_maint_contact *c;
	struct kb_maint *m = NULL;
	size_t n = 99;

	CHECK(!kb_maint_parse(&m, "MAINTAINERS", text, strlen(text), NULL));
	c = kb_maint_contacts(m, "PRINTK", &n);
	CHECK_U64(n, 3);
	CHECK(c && c[0].role == 'M' && c[1].role == 'L' && c[2].role == 'M');
	CHECK_STR(c[0].value, "Petr <pmladek@example.org>");
	CHECK_STR(c[1].value, "linux-kernel@vger.kernel.org (moderated for non-subscribers)");
	CHECK_STR(c[2].value, "Sergey <senozhatsky@example.org>");
	n = 99;
	CHECK(kb_maint_contacts(m, "NOBODY", &n) == NULL && n == 0);
	n = 99;
	CHECK(kb_maint_contacts(m, "NO SUCH SECTION", &n) == NULL && n == 0);
	kb_maint_free(m);
}

int main(void)
{
	contacts_are_a_sections_m_and_l_lines_in_order();
	the_header_is_no_section();
	most_specific_wins();
	file_pattern_needs_as_many_slashes_as_path();
	star_crosses_directories();
	exclusion_drops_the_section();
	name_regex_matches_with_value_zero();
	the_rest_takes_what_nothing_else_does();
	ties_go_to_the_earlier_section();
	a_named_file_beats_a_glob_of_the_same_depth();
	blank_and_comment_lines_do_not_split_a_section();
	no_match_gives_null();
	text_without_sections_is_an_error();
	a_leading_tag_line_is_its_own_title();
	garbage_does_not_crash();
	pattern_naming_a_directory_gets_a_slash();
	return check_done("test_maintainers");
}
