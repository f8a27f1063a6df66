/*
 * query.h - what the store's commands share: the options every query takes (--db, --config,
 * --json), the scope a question is narrowed to (--subsystem, --path, --symbol, --class), and
 * the line of builds in first-parent order.
 */
#ifndef KB_QUERY_H
#define KB_QUERY_H

#include "store.h"
#include "util/strbuf.h"

#include <getopt.h>
#include <jansson.h>

#define KB_DEFAULT_DB "kbloat.db"

/* A narrowing of the breakdown rows (items of kind 0) to one subsystem, path or symbol. */
struct kb_scope {
	const char *subsystem, *path, *symbol;
	int cls; /* -1: every class */
};

/* 1 if any narrowing is asked for. */
int kb_scope_any(const struct kb_scope *sc);
/* Appends " AND ..." conditions on items i, paths p and subsystems s for sc to sql, with
 * parameters numbered from first; kb_scope_bind binds them in the same order. */
void kb_scope_sql(const struct kb_scope *sc, struct strbuf *sql, int first);
void kb_scope_bind(const struct kb_scope *sc, sqlite3_stmt *st, int first);
/* The ids of the breakdown items in sc, as a dense 0/1 array (*n entries). */
int kb_scope_items(struct kb_store *s, const struct kb_scope *sc, unsigned char **in, size_t *n);
/*
 * Takes getopt's code c of a scope option ('s' --subsystem, 'p' --path, 'y' --symbol,
 * 'k' --class): 1 if it was one, 0 if not, -1 (error printed) on
 * a class that is not one.
 */
int kb_scope_opt(struct kb_scope *sc, int c, const char *arg);
/* Prints the error and returns -1 if more than one of --subsystem, --path, --symbol is given. */
int kb_scope_check(const struct kb_scope *sc);

/* The ok builds of config_id along the first-parent line that ends at head (0: the newest
 * build no other build names as parent), oldest first. */
int kb_build_line(struct kb_store *s, int64_t config_id, int64_t head, int64_t **ids, size_t *n);

/* What an item is, by item id: loaded whole for show, top and merge. */
struct kb_item_meta {
	int kind, cls;
	const char *name, *path, *subsystem; /* path "" and subsystem NULL when none */
};

struct kb_items {
	struct kb_item_meta *v; /* by item id; kind -1 where no item has that id */
	size_t n;
	struct kb_strtab strs;
};

int kb_items_load(struct kb_store *s, struct kb_items *out);
void kb_items_release(struct kb_items *it);

/*
 * Prints blame's answer: the builds of config_id (in range A..B if given) whose change in
 * scope sc is at least min, largest first, at most limit, with their top symbols and
 * subsystems; as text or JSON. Returns an exit status (errors printed).
 */
int kb_blame_report(struct kb_store *s, int64_t config_id, const struct kb_scope *sc, int64_t min,
		    long limit, const char *range, int json);

/* The 3 items (or, with subsystems, subsystems) of build that grew the most, appended to out
 * as {"name", "delta"[, "file"]}. */
int kb_blame_top(struct kb_store *s, int64_t build, int subsystems, json_t *out);

/*
 * Adds a build's breakdown bytes (its item sizes z, items it) per subsystem into sums, at
 * the id names gives each subsystem ("[no subsystem]" for rows without one); sums grows
 * (*alloc entries, zeroed) as names does.
 */
#define KB_NO_SUBSYSTEM "[no subsystem]"
void kb_subsystem_sums(const struct kb_items *it, const struct kb_sizes *z, struct kb_strtab *names,
		       uint64_t **sums, size_t *alloc);

/* The ids of names, largest sums first (n sums; ids past them count 0), ties by name; the
 * caller frees the array. */
uint32_t *kb_subsystems_by_size(const struct kb_strtab *names, const uint64_t *sums, size_t n);

/* Appends the name of every recorded config to names, tinyconfig first, then by name. */
int kb_config_names(struct kb_store *s, json_t *names);

/*
 * Draws the charts of configs names into outdir (kbloat plot): CONFIG-size and
 * CONFIG-subsystems per config, compare for several; formats: 1 png, 2 svg, 3 both. Adds the
 * number of charts written to *written.
 */
int kb_plot_charts(struct kb_store *s, const struct kb_items *it, json_t *names, const char *outdir,
		   int formats, int top, int annotate, size_t *written);

/* Formats a time as YYYY-MM-DD (UTC) into buf (at least 11 bytes). */
void kb_format_date(int64_t t, char *buf);

#endif
