/*
 * rollup.h - old and new bytes per key (file, subsystem, class...), largest change first: the
 * table `diff --by` and `show` print, from one place so they cannot drift apart.
 */
#ifndef KB_ROLLUP_H
#define KB_ROLLUP_H

#include "strtab.h"

#include <jansson.h>
#include <stdio.h>
#include <stdint.h>
#include <stdio.h>

struct kb_rollup_row {
	const char *key;
	uint64_t old, new;
};

struct kb_rollup {
	struct kb_strtab keys;
	struct kb_rollup_row *v; /* by key id until kb_rollup_sort */
	size_t alloc;
};

#define KB_ROLLUP_INIT                  \
	{                               \
		KB_STRTAB_INIT, NULL, 0 \
	}

void kb_rollup_add(struct kb_rollup *r, const char *key, uint64_t old, uint64_t new);
/* Orders the rows by change, largest growth first, then key; no kb_rollup_add after it. */
void kb_rollup_sort(struct kb_rollup *r);
/* The rows that changed, under a header naming the key column. */
void kb_rollup_write_text(FILE *f, const struct kb_rollup *r, const char *what);
json_t *kb_rollup_json(const struct kb_rollup *r);
void kb_rollup_release(struct kb_rollup *r);

#endif
