/*
 * query.h - what the store's queries share: the scope a question is narrowed to
 * (--subsystem, --path, --symbol, --class), the line of builds in first-parent order, and
 * what each item is.
 */
#ifndef KB_QUERY_H
#define KB_QUERY_H

#include "store.h"

/* A narrowing of the breakdown rows (items of kind 0) to one subsystem, path or symbol. */
struct kb_scope {
	const char *subsystem, *path, *symbol;
	int cls; /* -1: every class */
};

/* 1 if sc (which may be NULL) narrows to a subsystem, path or symbol: to some items, whose
 * sizes must be summed, rather than to a class, which the builds' columns hold. */
int kb_scope_narrows(const struct kb_scope *sc);
/* The bytes of build within sc: its full item sizes, summed over the items sc holds. */
int kb_store_scope_size(struct kb_store *s, const struct kb_scope *sc, int64_t build,
			int64_t *size);
/* The ids of the breakdown items in sc, as a dense 0/1 array (*n entries). */
int kb_scope_items(struct kb_store *s, const struct kb_scope *sc, unsigned char **in, size_t *n);

/*
 * The head build of config_id: its newest ok build (by committer time) that no other build
 * of the config names as its parent (parent links stay within a config), found among the
 * config's links in memory as kb_build_line finds it. Returns 0 with *build_id (and, if sha is not NULL, the commit's full
 * sha in *sha, which the caller frees), 1 when the config has no ok build, or KB_ERR.
 */
int kb_store_head_build(struct kb_store *s, int64_t config_id, int64_t *build_id, char **sha);

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
 * The name of every recorded config, tinyconfig first, then by name: a new array *names of
 * *n strings (NULL-terminated besides), each and the array the caller's, freed with
 * kb_store_names_free. Nothing is handed back on error.
 */
int kb_store_config_names(struct kb_store *s, char ***names, size_t *n);
void kb_store_names_free(char **names, size_t n);

#endif
