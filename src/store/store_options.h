/*
 * store_options.h - what the store answers about the modular analysis of builds
 * (schema/002-modular.sql): each build's series (kernel proper, padding, the four sums), the
 * enabled options of one build against its parent build's, and one option's cost along a
 * line of builds, read from its items' changes rather than each build's full sizes.
 *
 * Functions return 0 or KB_ERR (the error, naming the database or the option, in
 * kb_error_last()); what they hand back the caller owns and releases with the function
 * named next to it; nothing is handed back on error.
 */
#ifndef KB_STORE_OPTIONS_H
#define KB_STORE_OPTIONS_H

#include "store.h"
#include "strtab.h"

#include <stddef.h>
#include <stdint.h>

/* A build's sizes as the series name them; a NULL column (a build recorded before schema 2,
 * or without the analysis) has its has_ flag 0 and its value 0. */
struct kb_build_series {
	int64_t total; /* the kernel proper */
	int has_padding, has_modular;
	int64_t padding; /* code and data = total - padding */
	int64_t m_tristate, m_bool, m_core, m_rest;
	/* schema 009: what the kallsyms table changes by, relearnt, with (1) and (2) modules
	 * (kbloat modular's kallsyms_relearnt_tristate_and_bool); has_kallsyms 0 (and 0) where
	 * the analysis did not relearn it or has_modular is 0 */
	int has_kallsyms;
	int64_t m_kallsyms;
	/* schema 008: the boot image (collect --boot-image) and the modules (--modules) */
	int has_boot, has_payload, has_modules;
	int64_t boot_bytes, boot_payload, mod_total;
};

/*
 * "Everything modularized", the estimate of b's code and data with every candidate (1) and
 * (2) a module: total - padding - m_tristate - m_bool + m_kallsyms, what `kbloat modular`
 * prints as tristate_and_bool_as_modules for the build. Meaningful where b->has_modular;
 * every report of the series takes it from here.
 */
int64_t kb_series_modular(const struct kb_build_series *b);

/* The series of builds ids[0..n) into out[0..n). */
int kb_store_line_series(struct kb_store *s, const int64_t *ids, size_t n,
			 struct kb_build_series *out);

/* One option in one build: its bytes and class (enum kb_opt_class; -1: not enabled). */
struct kb_option_point {
	int64_t size;
	int cls;
};

/*
 * The option name (as Kconfig spells it, without CONFIG_) in each build of ids[0..n), a
 * line of parent builds oldest first (kb_build_line), into out[0..n): the first build's
 * from its full sizes, the others from one query over the option's items' changes. An
 * option no build of the database has enabled is an error naming it.
 */
int kb_store_option_line(struct kb_store *s, const char *name, const int64_t *ids, size_t n,
			 struct kb_option_point *out);

/* An option enabled in a build or in its parent build. */
struct kb_build_option {
	const char *name; /* interned in the set's strs */
	int cls, prev_cls; /* enum kb_opt_class; -1: not enabled there */
	int64_t size, prev;
};

struct kb_build_options {
	struct kb_build_option *v; /* in no particular order */
	size_t n;
	int64_t parent; /* the parent build compared with (analyzed); 0: none */
	struct kb_strtab strs;
};

/*
 * The options of build (which must have the analysis: the caller checks its series) and of
 * its parent build, when that has the analysis too. Release with kb_build_options_release.
 */
int kb_store_build_options(struct kb_store *s, int64_t build, struct kb_build_options *out);
void kb_build_options_release(struct kb_build_options *o);

#endif
