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

#include "util/strbuf.h"
#include "util/strtab.h"

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

/* A .config or a fragment: options in the order first seen, each with its value; "n" stands
 * for "# CONFIG_X is not set". */
struct kb_kconfig {
	struct kb_strtab names; /* option names without the CONFIG_ prefix */
	char **values; /* by name id */
	size_t alloc;
};

#define KB_KCONFIG_INIT                 \
	{                               \
		KB_STRTAB_INIT, NULL, 0 \
	}

/* Reads assignments from text; other lines (comments, blanks) are skipped. */
void kb_kconfig_parse(struct kb_kconfig *c, const char *text, size_t len);
/* Reads a file; errors name it. */
int kb_kconfig_read(struct kb_kconfig *c, const char *path);
/* The value of option (without "CONFIG_"), or NULL if the file does not mention it. */
const char *kb_kconfig_get(const struct kb_kconfig *c, const char *option);
void kb_kconfig_set(struct kb_kconfig *c, const char *option, const char *value);
/* frag's assignments over c; a changed value is noted as merge_config.sh words it. */
void kb_kconfig_merge(struct kb_kconfig *c, const struct kb_kconfig *frag, const char *frag_name,
		      struct strbuf *notes);
/* Writes c as a .config (in first-seen order). */
void kb_kconfig_write(const struct kb_kconfig *c, struct strbuf *out);
/* The requested values final does not have; each noted. Returns how many. */
size_t kb_kconfig_unmet(const struct kb_kconfig *final, const struct kb_kconfig *requested,
			struct strbuf *notes);
void kb_kconfig_release(struct kb_kconfig *c);

/*
 * The tristate symbols of the kernel tree src: every `config`/`menuconfig` whose type line
 * is tristate or def_tristate in any file named Kconfig* (Documentation/ and .git/ aside).
 * No expression is evaluated: this is the type, not the value.
 */
int kb_kconfig_tristates(const char *src, struct kb_strtab *out);

#endif
