/*
 * top.h - where a recorded build's bytes go, by symbol, file, subsystem or class, largest
 * first, from the store alone (no image needed). The rows shown and the rest sum to the
 * build's total. `kbloat top` writes it.
 */
#ifndef KB_REPORT_TOP_H
#define KB_REPORT_TOP_H

#include "store.h"
#include "strtab.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum kb_top_by {
	KB_TOP_SYMBOL, /* a function with its compiler clones, within its file */
	KB_TOP_FILE,
	KB_TOP_SUBSYSTEM, /* a file without one counts alone */
	KB_TOP_CLASS,
	KB_TOP_NR
};

/* The key named name ("symbol", "file", "subsystem", "class"), or -1. */
int kb_top_by_parse(const char *name);
const char *kb_top_by_name(enum kb_top_by by);

struct kb_top_row {
	const char *key; /* owned by the model */
	uint64_t bytes;
};

struct kb_top {
	enum kb_top_by by;
	struct kb_top_row *rows; /* the largest, at most the limit */
	size_t n;
	size_t more; /* rows past the limit */
	uint64_t rest; /* their bytes */
	uint64_t total;
	struct kb_strtab keys;
};

/*
 * The bytes of build_id's breakdown rows summed by key, largest first (ties by key), the
 * first limit of them kept as rows. *out is set only on success; errors (KB_ERR) are kept
 * for kb_error_last().
 */
int kb_top_build(struct kb_top **out, struct kb_store *s, int64_t build_id, enum kb_top_by by,
		 size_t limit);
void kb_top_free(struct kb_top *m);

/* bytes, share and key a row, a "[N more]" row for the rest, then the total */
void kb_top_write_text(FILE *f, const struct kb_top *m);
/* {"by", "total", "rows": [{"key", "bytes"}, ...], "rest"} */
json_t *kb_top_json(const struct kb_top *m);
/* Its rows as report/table.h writes them (CSV, TSV): the rows of its JSON. */
json_t *kb_top_table(const struct kb_top *m);

#endif
