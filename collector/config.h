/*
 * config.h - kernel configurations as kbloat names them, and .config files as
 * scripts/kconfig/merge_config.sh merges them.
 *
 * A config spec is a base target with fragments on top: "tinyconfig", "tinyconfig+kvm-guest",
 * "allnoconfig+map+/path/to/extra.config", or "modular". A fragment is a name in the fragments
 * directory (kernels/configs/NAME.config) or a path to a file.
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
	char *base; /* tinyconfig, allnoconfig, defconfig or modular */
	char **fragments; /* resolved paths, in order */
	size_t nfragments;
};

/* Parses spec; fragments_dir holds NAME.config fragments. Errors name the spec. */
int kb_config_spec_parse(struct kb_config_spec *out, const char *spec, const char *fragments_dir);
void kb_config_spec_release(struct kb_config_spec *s);

/* frag's assignments over c; a changed value is noted as merge_config.sh words it. */
void kb_kconfig_merge(struct kb_kconfig *c, const struct kb_kconfig *frag, const char *frag_name,
		      struct strbuf *notes);
/* The requested values final does not have; each noted. Returns how many. */
size_t kb_kconfig_unmet(const struct kb_kconfig *final, const struct kb_kconfig *requested,
			struct strbuf *notes);

/*
 * The tristate symbols of the kernel tree src: every `config`/`menuconfig` whose type line
 * is tristate or def_tristate in any file named Kconfig* (Documentation/ and .git/ aside).
 * No expression is evaluated: this is the type, not the value.
 */
int kb_kconfig_tristates(const char *src, struct kb_strtab *out);

#endif
