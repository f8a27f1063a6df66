/*
 * lineage.h - the commits of a first-parent line as the store knows them, and what a
 * config's build of one of them measured: what a report over "the commits after A up to
 * B" walks.
 *
 * Functions return 0 or KB_ERR (the error, naming the database, in kb_error_last()); what
 * they hand back the caller owns and releases with the function named next to it.
 */
#ifndef KB_STORE_LINEAGE_H
#define KB_STORE_LINEAGE_H

#include "image.h"
#include "store.h"

#include <stddef.h>
#include <stdint.h>

/* A commit of the store. */
struct kb_commit_row {
	int64_t id;
	char *sha, *author, *email, *subject; /* never NULL ("" when the store has none) */
	int64_t author_time;
};

/* Why a walk along the first parents stopped. */
enum kb_walk_end {
	KB_WALK_REACHED, /* at the commit it was to stop at */
	KB_WALK_ROOT, /* at a root commit, without meeting it */
	KB_WALK_UNKNOWN, /* at a commit the store does not know */
};

struct kb_first_parents {
	struct kb_commit_row *v; /* newest first */
	size_t n;
	enum kb_walk_end end;
};

/*
 * The commits from from (a full sha) back along the first parents up to, not including,
 * until (a full sha), as far as the store knows them; fp->end says where the walk stopped.
 * Release fp with kb_first_parents_release (also after an error).
 */
int kb_store_first_parents(struct kb_store *s, const char *from, const char *until,
			   struct kb_first_parents *fp);
void kb_first_parents_release(struct kb_first_parents *fp);

/* The build of commit commit_id in config config_id: 0 and *b filled, 1 when there is
 * none, or KB_ERR. */
int kb_store_commit_build(struct kb_store *s, int64_t config_id, int64_t commit_id,
			  struct kb_build_brief *b);

/* An ok build's sizes as its row holds them: the total and each class. */
int kb_store_build_classes(struct kb_store *s, int64_t build_id, uint64_t *total,
			   uint64_t cls[KB_CLS_NR]);

#endif
