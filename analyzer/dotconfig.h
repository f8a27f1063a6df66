/*
 * dotconfig.h - a kernel .config (or a config fragment) as data: the options it assigns, in
 * the order first seen, each with its value; "n" stands for "# CONFIG_X is not set".
 * Reading a .config is part of analyzing a build (the modular analysis, the store's record
 * of a build's options); merging fragments as merge_config.sh does is the collector's.
 */
#ifndef KB_DOTCONFIG_H
#define KB_DOTCONFIG_H

#include "strbuf.h"
#include "strtab.h"

#include <stddef.h>

/* A .config or a fragment. */
struct kb_kconfig {
	struct kb_strtab names; /* option names without the CONFIG_ prefix */
	char **values; /* by name id */
	size_t alloc;
};

#define KB_KCONFIG_INIT                 \
	{                               \
		KB_STRTAB_INIT, NULL, 0 \
	}

/* Reads assignments from text; other lines (comments, blanks) are skipped. Returns how many
 * CONFIG_X= lines it read ("# CONFIG_X is not set" lines are not counted). */
size_t kb_kconfig_parse(struct kb_kconfig *c, const char *text, size_t len);
/* Reads a file; errors name it. */
int kb_kconfig_read(struct kb_kconfig *c, const char *path);
/* The same for a build's .config, refused as record refuses it when it has no CONFIG_X=
 * line: "PATH: not a kernel .config". */
int kb_kconfig_read_dotconfig(struct kb_kconfig *c, const char *path);
/* The value of option (without "CONFIG_"), or NULL if the file does not mention it. */
const char *kb_kconfig_get(const struct kb_kconfig *c, const char *option);
void kb_kconfig_set(struct kb_kconfig *c, const char *option, const char *value);
/* Writes c as a .config (in first-seen order). */
void kb_kconfig_write(const struct kb_kconfig *c, struct strbuf *out);
/* Appends one option as a .config line says it ("(unset)" for value NULL). */
void kb_kconfig_describe(struct strbuf *sb, const char *name, const char *value);
void kb_kconfig_release(struct kb_kconfig *c);

/* The set options of a .config, sorted, one "CONFIG_X=v" per line. Errors name the file. */
int kb_read_dotconfig(const char *path, struct strbuf *out);

#endif
