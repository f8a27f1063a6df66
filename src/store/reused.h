/*
 * reused.h - builds the collector recorded without running make (schema/004-reused.sql):
 * their image is the build directory's last one, because no input of it changed.
 */
#ifndef KB_REUSED_H
#define KB_REUSED_H

#include <stdint.h>

struct kb_store;

enum kb_reused {
	KB_REUSED_NO = 0, /* built by make */
	KB_REUSED_INPUTS = 1, /* no input of the build changed */
	KB_REUSED_CONFIG = 2, /* only config inputs changed, and .config did not */
};

/* What show and history say of a reused build ("not rebuilt: no input changed"), or NULL
 * for a build make ran (or an unknown code, which db check reports). */
const char *kb_reused_text(int reused);

/* Marks build (being recorded, inside kb_store_record's transaction) as reused. */
int kb_store_mark_reused(struct kb_store *s, int64_t build, int reused);

#endif
