/*
 * changes.h - what changed in a build, as the store knows it: the symbols and subsystems
 * that grew most in one build, the builds whose own change is largest (blame), and the
 * newest build of a config (the head a report starts from).
 *
 * Every function returns 0 or KB_ERR (the error, naming the database, in kb_error_last()).
 * What they hand back is plain C data the caller owns and frees with the function named
 * next to it; on error nothing is handed back.
 */
#ifndef KB_STORE_CHANGES_H
#define KB_STORE_CHANGES_H

#include "image.h"
#include "query.h"
#include "store.h"

#include <stddef.h>
#include <stdint.h>

struct kb_first_parents;

/* A symbol (or a subsystem) and how much it grew in one build. */
struct kb_change {
	char *name; /* the symbol, or the subsystem ("[no file]" for items without one) */
	char *file; /* NULL: none (always NULL for subsystems) */
	int64_t delta;
};

/* What kb_store_top_changes ranks: symbols or subsystems, that grew or (| KB_TOP_SHRANK)
 * that shrank. */
enum { KB_TOP_SYMBOLS = 0, KB_TOP_SUBSYSTEMS = 1, KB_TOP_SHRANK = 2 };

/*
 * The breakdown items (or, with KB_TOP_SUBSYSTEMS in what, the subsystems) of build_id that
 * grew in it against its parent build, largest first (ties by name), at most limit; with
 * KB_TOP_SHRANK, those that shrank, the largest reduction first (delta negative).
 * *out is an array of *n changes (NULL when none) the caller frees with kb_changes_free.
 */
int kb_store_top_changes(struct kb_store *s, int64_t build_id, int what, size_t limit,
			 struct kb_change **out, size_t *n);
void kb_changes_free(struct kb_change *v, size_t n);

/* An M: or L: line of a subsystem's MAINTAINERS section (schema/005-maintainers.sql). */
struct kb_subsystem_contact {
	char role; /* 'M' or 'L' */
	char *address; /* the line after its tag: text from a repository */
};

/*
 * The M: and L: lines stored for the subsystem named name, in the file's order: *out is an
 * array of *n (NULL and 0 when none are stored) freed with kb_subsystem_contacts_free.
 */
int kb_store_subsystem_contacts(struct kb_store *s, const char *name,
				struct kb_subsystem_contact **out, size_t *n);
void kb_subsystem_contacts_free(struct kb_subsystem_contact *v, size_t n);

/* A build's own change (against its parent build), with its commit's and parent's. */
struct kb_growth {
	int64_t build;
	int64_t delta; /* within the scope asked for; the whole image's without one */
	int64_t cls[KB_CLS_NR]; /* the whole image's change per class */
	int64_t distance; /* first-parent steps from the parent build's commit */
	char *sha, *base_sha; /* the commit, and its parent build's commit */
	char *author, *email, *subject;
	int64_t author_time;
};

/* What a growth is of: the whole image (d_total, or the scope's), or the hard core of the
 * modular analysis (d_core: builds where it and the parent build were analyzed). */
enum kb_growth_of { KB_GROWTH_TOTAL, KB_GROWTH_CORE };

/* Which builds kb_store_growths considers. */
struct kb_growth_query {
	int64_t config_id;
	const struct kb_scope *sc; /* the change within this scope (cls -1: every class) */
	int64_t min; /* at least this change */
	long limit; /* at most this many rows */
	const struct kb_first_parents *in; /* only the builds of these commits; NULL: all */
	enum kb_growth_of of; /* KB_GROWTH_CORE: sc must not narrow */
	int shrink; /* the changes of at most -min, largest reduction first */
};

/*
 * The ok builds with a parent build that q selects, largest change first (with q->shrink,
 * largest reduction first; then by committer time and sha), into *out (*n of them, NULL when none); free with kb_growths_free.
 */
int kb_store_growths(struct kb_store *s, const struct kb_growth_query *q, struct kb_growth **out,
		     size_t *n);
void kb_growths_free(struct kb_growth *v, size_t n);

#endif
