/*
 * test_config.c - config specs resolve their base and fragments; .config files merge as
 * scripts/kconfig/merge_config.sh merges them, and requested values that did not survive
 * olddefconfig are found.
 */
#include "check.h"

#include "config.h"
#include "error.h"

#include <stdlib.h>
#include <unistd.h>

static char dir[] = "/tmp/kb-test-config-XXXXXX";

static void write_file(const char *name, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
}

static void specs_name_a_base_and_fragments(void)
{
	struct kb_config_spec s;
	char path[256];

	write_file("kvm-guest.config", "CONFIG_VIRTIO=y\n");
	write_file("extra.config", "CONFIG_NET=y\n");
	CHECK(kb_config_spec_parse(&s, "tinyconfig", dir) == 0);
	CHECK_STR(s.base, "tinyconfig");
	CHECK_U64(s.nfragments, 0);
	kb_config_spec_release(&s);

	snprintf(path, sizeof(path), "allnoconfig+kvm-guest+%s/extra.config", dir);
	CHECK(kb_config_spec_parse(&s, path, dir) == 0);
	CHECK_STR(s.base, "allnoconfig");
	CHECK_U64(s.nfragments, 2);
	snprintf(path, sizeof(path), "%s/kvm-guest.config", dir);
	CHECK_STR(s.fragments[0], path);
	snprintf(path, sizeof(path), "%s/extra.config", dir);
	CHECK_STR(s.fragments[1], path);
	kb_config_spec_release(&s);

	CHECK(kb_config_spec_parse(&s, "modular", dir) == 0);
	CHECK_STR(s.base, "modular");
	CHECK(!s.to_modules);
	kb_config_spec_release(&s);
}

/* +modular ends a spec: the base and fragments before it, the modifier set */
static void modular_modifier_ends_a_spec(void)
{
	struct kb_config_spec s;
	char path[256];

	CHECK(kb_config_spec_parse(&s, "defconfig+modular", dir) == 0);
	CHECK_STR(s.name, "defconfig+modular");
	CHECK_STR(s.base, "defconfig");
	CHECK_U64(s.nfragments, 0);
	CHECK(s.to_modules);
	kb_config_spec_release(&s);

	CHECK(kb_config_spec_parse(&s, "tinyconfig+kvm-guest+modular", dir) == 0);
	CHECK_STR(s.base, "tinyconfig");
	CHECK_U64(s.nfragments, 1);
	snprintf(path, sizeof(path), "%s/kvm-guest.config", dir);
	CHECK_STR(s.fragments[0], path);
	CHECK(s.to_modules);
	kb_config_spec_release(&s);

	CHECK(kb_config_spec_parse(&s, "tinyconfig+kvm-guest", dir) == 0);
	CHECK(!s.to_modules);
	kb_config_spec_release(&s);
}

static void bad_modifiers_are_refused(void)
{
	static const struct {
		const char *spec, *error;
	} bad[] = {
		{ "+modular", "+modular: no base target before the '+'" },
		{ "+tinyconfig", "+tinyconfig: no base target before the '+'" },
		{ "defconfig+modular+modular", "defconfig+modular+modular: +modular given twice" },
		{ "defconfig+modular+kvm-guest", "defconfig+modular+kvm-guest: +modular must end" },
		{ "modular+modular", "modular+modular: modular has every tristate a module" },
		{ "modular+kvm-guest+modular", "modular+kvm-guest+modular: modular has every" },
		{ "tinyconfig++kvm-guest", "tinyconfig++kvm-guest: an empty fragment name" },
		{ "defconfig+", "defconfig+: an empty fragment name" },
		{ "modularx+modular", "modularx+modular: unknown base target 'modularx'" },
	};
	struct kb_config_spec s;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK(kb_config_spec_parse(&s, bad[i].spec, dir) < 0);
		CHECK(strstr(kb_error_last(), bad[i].error) == kb_error_last());
		CHECK(strchr(kb_error_last(), '\n') == NULL);
		CHECK(s.name == NULL && s.base == NULL && s.fragments == NULL);
	}
}

static void bad_specs_say_what_is_wrong(void)
{
	struct kb_config_spec s;

	CHECK(kb_config_spec_parse(&s, "huge-kernel", dir) < 0);
	CHECK(strstr(kb_error_last(), "huge-kernel: unknown base target 'huge-kernel'") != NULL);
	CHECK(kb_config_spec_parse(&s, "x86 defconfig", dir) < 0);
	CHECK(strstr(kb_error_last(), "unknown base target 'x86 defconfig'") != NULL);
	/* targets that ask questions, or read or change the .config there is */
	CHECK(kb_config_spec_parse(&s, "menuconfig+kvm-guest", dir) < 0);
	CHECK(strstr(kb_error_last(), "'menuconfig' cannot be a base") != NULL);
	CHECK(kb_config_spec_parse(&s, "olddefconfig", dir) < 0);
	CHECK(strstr(kb_error_last(), "'olddefconfig' cannot be a base") != NULL);
	CHECK(kb_config_spec_parse(&s, "/nonexistent/base.config", dir) < 0);
	CHECK(strstr(kb_error_last(), "base .config '/nonexistent/base.config'") != NULL);
	CHECK(kb_config_spec_parse(&s, "tinyconfig+nosuch", dir) < 0);
	CHECK(strstr(kb_error_last(), "tinyconfig+nosuch: fragment 'nosuch'") != NULL);
	CHECK(kb_config_spec_parse(&s, "", dir) < 0);
}

/* any *config target is a base as far as the spec goes (the tree says which it knows); a
 * path is a .config file, made absolute; '~/' is the home directory in every path */
static void bases_are_targets_or_files_and_tilde_is_home(void)
{
	struct kb_config_spec s;
	char path[256], spec[600];
	char *old_home = getenv("HOME") ? strdup(getenv("HOME")) : NULL;

	CHECK(kb_config_spec_parse(&s, "x86_64_defconfig+modular", dir) == 0);
	CHECK_STR(s.base, "x86_64_defconfig");
	CHECK(s.base_file == NULL && s.to_modules);
	kb_config_spec_release(&s);
	CHECK(kb_config_spec_parse(&s, "allyesconfig", dir) == 0);
	kb_config_spec_release(&s);

	write_file("distro-config", "CONFIG_NET=y\n");
	write_file("mine.config", "CONFIG_VIRTIO=y\n");
	setenv("HOME", dir, 1);
	snprintf(path, sizeof(path), "%s/distro-config", dir);
	CHECK(kb_config_spec_parse(&s, "~/distro-config+kvm-guest+~/mine.config+modular", dir) ==
	      0);
	CHECK_STR(s.base_file, path);
	CHECK_STR(s.base, path);
	CHECK_U64(s.nfragments, 2);
	snprintf(path, sizeof(path), "%s/mine.config", dir);
	CHECK_STR(s.fragments[1], path);
	CHECK(s.to_modules);
	kb_config_spec_release(&s);

	/* a relative path is made absolute: make runs in another directory */
	CHECK(chdir(dir) == 0);
	snprintf(spec, sizeof(spec), "tinyconfig+./mine.config");
	CHECK(kb_config_spec_parse(&s, spec, "/nonexistent") == 0);
	CHECK_STR(s.fragments[0], path);
	kb_config_spec_release(&s);

	/* ~user is not expanded: a file of that name, which is not there */
	CHECK(kb_config_spec_parse(&s, "tinyconfig+~nosuchuser/mine.config", dir) < 0);
	CHECK(strstr(kb_error_last(), "fragment '~nosuchuser/mine.config'") != NULL);
	if (old_home)
		setenv("HOME", old_home, 1);
	free(old_home);
}

static void fragments_override_and_say_so(void)
{
	static const char base[] = "#\n# Automatically generated file\n#\nCONFIG_EXPERT=y\n"
				   "# CONFIG_VMLINUX_MAP is not set\nCONFIG_LOG_BUF_SHIFT=12\n"
				   "CONFIG_CMDLINE=\"quiet\"\n";
	static const char frag[] = "CONFIG_VMLINUX_MAP=y\nCONFIG_LOG_BUF_SHIFT=12\n"
				   "# CONFIG_EXPERT is not set\nCONFIG_NEW=m\nnot a line\n";
	struct kb_kconfig c = KB_KCONFIG_INIT, f = KB_KCONFIG_INIT;
	struct strbuf notes = STRBUF_INIT, out = STRBUF_INIT;

	kb_kconfig_parse(&c, base, strlen(base));
	kb_kconfig_parse(&f, frag, strlen(frag));
	CHECK_STR(kb_kconfig_get(&c, "VMLINUX_MAP"), "n");
	CHECK_STR(kb_kconfig_get(&c, "CMDLINE"), "\"quiet\"");
	CHECK(kb_kconfig_get(&c, "NEW") == NULL);
	kb_kconfig_merge(&c, &f, "map.config", &notes);
	CHECK_STR(kb_kconfig_get(&c, "VMLINUX_MAP"), "y");
	CHECK_STR(kb_kconfig_get(&c, "EXPERT"), "n");
	CHECK_STR(kb_kconfig_get(&c, "NEW"), "m");
	/* two values changed, LOG_BUF_SHIFT was asked for as it was: two notes */
	CHECK(strstr(notes.buf, "Value of CONFIG_VMLINUX_MAP is redefined by fragment map.config: "
				"# CONFIG_VMLINUX_MAP is not set -> CONFIG_VMLINUX_MAP=y") != NULL);
	CHECK(strstr(notes.buf, "CONFIG_EXPERT=y -> # CONFIG_EXPERT is not set") != NULL);
	CHECK(strstr(notes.buf, "LOG_BUF_SHIFT") == NULL);
	kb_kconfig_write(&c, &out);
	CHECK_STR(out.buf, "# CONFIG_EXPERT is not set\nCONFIG_VMLINUX_MAP=y\n"
			   "CONFIG_LOG_BUF_SHIFT=12\nCONFIG_CMDLINE=\"quiet\"\nCONFIG_NEW=m\n");
	strbuf_release(&notes);
	strbuf_release(&out);
	kb_kconfig_release(&c);
	kb_kconfig_release(&f);
}

static void unmet_requests_are_found(void)
{
	static const char final[] = "CONFIG_VMLINUX_MAP=y\n# CONFIG_NET is not set\nCONFIG_A=m\n";
	static const char asked[] = "CONFIG_VMLINUX_MAP=y\nCONFIG_NET=y\nCONFIG_A=y\n"
				    "# CONFIG_GONE is not set\nCONFIG_DROPPED=y\n";
	struct kb_kconfig c = KB_KCONFIG_INIT, r = KB_KCONFIG_INIT;
	struct strbuf notes = STRBUF_INIT;

	kb_kconfig_parse(&c, final, strlen(final));
	kb_kconfig_parse(&r, asked, strlen(asked));
	/* NET, A and DROPPED did not stick; GONE is absent, which counts as not set */
	CHECK_U64(kb_kconfig_unmet(&c, &r, 0, &notes), 3);
	CHECK(strstr(notes.buf, "Value requested for CONFIG_NET not in final .config: requested "
				"CONFIG_NET=y, actual # CONFIG_NET is not set") != NULL);
	CHECK(strstr(notes.buf, "CONFIG_DROPPED=y, actual (unset)") != NULL);
	CHECK(strstr(notes.buf, "GONE") == NULL);
	/* after +modular, A=m meets A=y: one fewer; a requested bool y still must be y */
	strbuf_reset(&notes);
	CHECK_U64(kb_kconfig_unmet(&c, &r, 1, &notes), 2);
	CHECK(strstr(notes.buf, "CONFIG_A") == NULL);
	CHECK(strstr(notes.buf, "CONFIG_NET=y, actual # CONFIG_NET is not set") != NULL);
	strbuf_release(&notes);
	kb_kconfig_release(&c);
	kb_kconfig_release(&r);
}

/* the fallback of +modular: the tristates at y become m; bools, m, n and values stay */
static void yes2mod_takes_only_tristates_at_y(void)
{
	static const char text[] = "CONFIG_EXT4_FS=y\nCONFIG_BLOCK=y\nCONFIG_DUMMY=m\n"
				   "# CONFIG_SERIAL_8250 is not set\nCONFIG_CRC32=y\n"
				   "CONFIG_LOG_BUF_SHIFT=14\n";
	struct kb_kconfig c = KB_KCONFIG_INIT;
	struct kb_strtab tri = KB_STRTAB_INIT;
	struct strbuf out = STRBUF_INIT;
	const char *names[] = { "EXT4_FS", "DUMMY", "SERIAL_8250", "CRC32", "UNUSED" };
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		kb_strtab_intern(&tri, names[i], strlen(names[i]), NULL);
	kb_kconfig_parse(&c, text, strlen(text));
	CHECK_U64(kb_kconfig_yes2mod(&c, &tri), 2);
	kb_kconfig_write(&c, &out);
	CHECK_STR(out.buf, "CONFIG_EXT4_FS=m\nCONFIG_BLOCK=y\nCONFIG_DUMMY=m\n"
			   "# CONFIG_SERIAL_8250 is not set\nCONFIG_CRC32=m\n"
			   "CONFIG_LOG_BUF_SHIFT=14\n");
	CHECK(kb_kconfig_get(&c, "UNUSED") == NULL);
	strbuf_release(&out);
	kb_strtab_release(&tri);
	kb_kconfig_release(&c);
}

/* A value holding a NUL byte ends there, so what is written reads back the same (fuzz_dotconfig
 * found "CONFIG_m=\r\0y" written as "CONFIG_m=\r" and read back as ""). */
static void values_read_back_as_written(void)
{
	static const char text[] = "CONFIG_M=\r\0y\r_1\nCONFIG_S=\"a\"\r\n";
	struct kb_kconfig c = KB_KCONFIG_INIT, again = KB_KCONFIG_INIT;
	struct strbuf once = STRBUF_INIT, twice = STRBUF_INIT;

	kb_kconfig_parse(&c, text, sizeof(text) - 1);
	CHECK_STR(kb_kconfig_get(&c, "M"), "");
	CHECK_STR(kb_kconfig_get(&c, "S"), "\"a\"");
	kb_kconfig_write(&c, &once);
	kb_kconfig_parse(&again, once.buf, once.len);
	kb_kconfig_write(&again, &twice);
	CHECK_STR(twice.buf, once.buf);
	strbuf_release(&once);
	strbuf_release(&twice);
	kb_kconfig_release(&c);
	kb_kconfig_release(&again);
}

/* What a fragment's line is: 0 anything else, 1 a comment, 2 CONFIG_X=v, 3 "# CONFIG_X is
 * not set" */
static int line_kind(const char *line)
{
	size_t n = strlen(line);

	if (!strncmp(line, "CONFIG_", 7))
		return 2;
	if (!strncmp(line, "# CONFIG_", 9) && n > 11 && !strcmp(line + n - 11, " is not set"))
		return 3;
	return line[0] == '#';
}

/*
 * kernels/configs/kvm-host.config: every line reads as an assignment or a comment, every
 * value asked for has its own comment above it (why it is there; a run of "is not set"
 * lines may share one), no option is given twice, and the hypervisor's core is asked for.
 */
static void kvm_host_fragment_says_why(void)
{
	static const char *const want[][2] = {
		{ "KVM", "y" },	      { "KVM_INTEL", "y" }, { "KVM_AMD", "y" },
		{ "VHOST_NET", "y" }, { "EVENTFD", "y" },   { "SERIAL_8250_CONSOLE", "y" },
		{ "VT", "n" },
	};
	struct kb_kconfig c = KB_KCONFIG_INIT;
	struct strbuf sb = STRBUF_INIT;
	char *line, *save = NULL;
	size_t assignments = 0, uncommented = 0, other = 0, i;
	int prev = 0, kind;

	CHECK(strbuf_read_file(&sb, KB_FRAGMENTS "/kvm-host.config") == 0);
	for (line = strtok_r(sb.buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		kind = line_kind(line);
		other += !kind;
		assignments += kind >= 2;
		uncommented += kind >= 2 && prev != 1 && !(kind == 3 && prev == 3);
		prev = kind;
	}
	CHECK_U64(other, 0);
	CHECK_U64(uncommented, 0);
	CHECK(assignments >= 30);
	CHECK(kb_kconfig_read(&c, KB_FRAGMENTS "/kvm-host.config") == 0);
	CHECK_U64(c.names.nr, assignments); /* each read, none twice */
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		CHECK_STR(kb_kconfig_get(&c, want[i][0]), want[i][1]);
	strbuf_release(&sb);
	kb_kconfig_release(&c);
}

int main(void)
{
	char cmd[300];
	int rc;

	if (!mkdtemp(dir))
		return 2;
	specs_name_a_base_and_fragments();
	bad_specs_say_what_is_wrong();
	bases_are_targets_or_files_and_tilde_is_home();
	fragments_override_and_say_so();
	unmet_requests_are_found();
	modular_modifier_ends_a_spec();
	bad_modifiers_are_refused();
	yes2mod_takes_only_tristates_at_y();
	kvm_host_fragment_says_why();
	values_read_back_as_written();
	rc = check_done("test_config");
	snprintf(cmd, sizeof(cmd), "%s/kvm-guest.config", dir);
	unlink(cmd);
	snprintf(cmd, sizeof(cmd), "%s/extra.config", dir);
	unlink(cmd);
	rmdir(dir);
	return rc;
}
