/*
 * config.h - kernel configurations as kbloat names them, and .config files as
 * scripts/kconfig/merge_config.sh merges them.
 *
 * A config spec is a base with fragments on top: "tinyconfig", "tinyconfig+kvm-guest",
 * "x86_64_defconfig+map+~/extra.config", "/boot/config-6.1.0-amd64+map", or "modular". The
 * base is a config target of the tree's kbuild (any [A-Za-z0-9_-]*config name but those that
 * ask questions or read the .config there is; kb_kbuild_config_targets asks the tree which it
 * knows), kbloat's "modular", or a .config file (a part with a '/' or ".config", or starting
 * with '~'), copied in as O/.config. A fragment is a name in the fragments directory
 * (kernels/configs/NAME.config) or a path to a file. '~' and '~/' start the user's home
 * directory; paths are made absolute.
 *
 * Any spec but modular may end in the modifier "+modular" ("defconfig+modular",
 * "tinyconfig+kvm-host+modular"): the same config with everything that can be a module a
 * module. After the base target, the fragments and olddefconfig, CONFIG_MODULES=y and
 * olddefconfig; then every built-in tristate becomes m and every bool stays: `make
 * yes2modconfig` where the tree has that target (Linux since v5.6), else through the Kconfig
 * files: each symbol kb_kconfig_tristates lists that is y in .config is written m, then
 * olddefconfig (which puts back to y what a y bool selects, as yes2modconfig's own write does).
 * "modular" is tinyconfig with every tristate it can reach a module already, so
 * "modular+modular" is refused, as are "+modular" twice or before a fragment.
 *
 * Merging follows merge_config.sh: the fragments' assignments ("CONFIG_X=v" and
 * "# CONFIG_X is not set") replace the base's, later fragments win, and each value a fragment
 * redefines is noted. After olddefconfig, kb_kconfig_unmet names the requested values that did
 * not survive (a dependency was missing), as merge_config.sh warns.
 */
#ifndef KB_CONFIG_H
#define KB_CONFIG_H

#include "dotconfig.h"
#include "strbuf.h"
#include "strtab.h"

#include <stddef.h>

struct kb_config_spec {
	char *name; /* the spec as given */
	char *base; /* the config target, modular, or base_file */
	char *base_file; /* the base .config file (absolute), or NULL for a target */
	char **fragments; /* resolved paths, in order */
	size_t nfragments;
	int to_modules; /* ended in +modular: every built-in tristate made m at the end */
};

/* Parses spec; fragments_dir holds NAME.config fragments. Errors name the spec. */
int kb_config_spec_parse(struct kb_config_spec *out, const char *spec, const char *fragments_dir);
void kb_config_spec_release(struct kb_config_spec *s);

/* path with a leading "~" or "~/" made the user's home directory ($HOME, else the password
 * database's), appended to out; any other path as it is. KB_ERR if there is no home. */
int kb_expand_home(const char *path, struct strbuf *out);

/* frag's assignments over c; a changed value is noted as merge_config.sh words it. */
void kb_kconfig_merge(struct kb_kconfig *c, const struct kb_kconfig *frag, const char *frag_name,
		      struct strbuf *notes);
/*
 * The requested values final does not have; each noted. Returns how many. With y_as_m, a
 * requested y that is m in final is met: +modular made that tristate a module (only a
 * tristate can be m).
 */
size_t kb_kconfig_unmet(const struct kb_kconfig *final, const struct kb_kconfig *requested,
			int y_as_m, struct strbuf *notes);

/*
 * The tristate symbols of the kernel tree src: every `config`/`menuconfig` whose type line
 * is tristate or def_tristate in any file named Kconfig* (Documentation/ and .git/ aside).
 * No expression is evaluated: this is the type, not the value.
 */
int kb_kconfig_tristates(const char *src, struct kb_strtab *out);

/* Every symbol the kernel tree src defines (`config`/`menuconfig`, any type), as above. */
int kb_kconfig_defined(const char *src, struct kb_strtab *out);

/* +modular without yes2modconfig: every symbol of tristates that is y in c set to m. Returns
 * how many. olddefconfig must follow (a tristate a y bool selects goes back to y). */
size_t kb_kconfig_yes2mod(struct kb_kconfig *c, const struct kb_strtab *tristates);

#endif
