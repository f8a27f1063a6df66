/*
 * store.h - the SQLite store of measured builds (the files of schema/; the design's §5).
 *
 * Promises:
 *  - kb_store_open applies the schema files compiled into the binary in order, with PRAGMA
 *    user_version as the schema version: a new database is created, an older one migrated
 *    in place, a newer one refused ("DB: schema version 7 is newer than this kbloat's 1").
 *  - A store is one SQLite connection for one thread at a time (opened without SQLite's
 *    per-call mutex): threads that share a database open a store each.
 *  - WAL, a busy timeout, foreign keys. kb_store_record is one IMMEDIATE transaction: a
 *    process killed at any point leaves the database as it was before that build, and two
 *    processes recording at once both land (the second waits for the first).
 *  - After each recorded build a PASSIVE checkpoint moves the WAL into the database file (as
 *    far as no reader's older snapshot pins it): DB alone keeps every finished build.
 *  - Nothing read from a database is trusted (databases travel between CI jobs): item ids
 *    index arrays only once in range, walks along parent links are bounded by the table's
 *    rows, every step's end is checked, and no commit sha but 40 lowercase hex digits
 *    leaves the store; a database that breaks these gives an error naming it and the row.
 *  - Each ok build's item sizes are stored as changes against its parent build (the nearest
 *    ok build of its configuration on the first-parent line), with full snapshots at chain
 *    starts and every KB_SNAPSHOT_EVERY builds, each one blob (schema/003-blobs.sql);
 *    recording a build between two recorded ones re-links the later one to it, so deltas
 *    are always against the parent build.
 */
#ifndef KB_STORE_H
#define KB_STORE_H

#include "strtab.h"

#include <stddef.h>
#include <stdint.h>

#define KB_SNAPSHOT_EVERY 64

enum kb_item_kind {
	KB_ITEM_ROW,
	KB_ITEM_BOM_T,
	KB_ITEM_BOM_D,
	KB_ITEM_BOM_R,
	KB_ITEM_OPTION, /* schema/002: an enabled option's code and data; class: kb_opt_class */
	KB_ITEM_NKINDS
};

/* The class of a KB_ITEM_OPTION item: what the modular analysis found the option to be. */
enum kb_opt_class {
	KB_OPT_TRI_CAND, /* a tristate at y that could be m today: candidate (1) */
	KB_OPT_TRI_KEPT, /* a tristate at y that must stay built in */
	KB_OPT_BOOL_CAND, /* a bool no built-in code needs: candidate (2) */
	KB_OPT_BOOL_KEPT, /* a bool with built-in users */
	KB_OPT_TRI_FREED, /* a tristate only (2) candidates keep at y: goes with (2) */
	KB_OPT_NCLASSES
};

/* A commit as the store keeps it. */
struct kb_store_commit {
	const char *sha, *parent; /* parent: first parent, NULL or "" for a root */
	const char *author_name, *author_email, *subject;
	int64_t author_time, committer_time;
};

/* One item of a build: an analyzer row (kind 0), a bloat-o-meter entry (kinds 1-3) or an
 * option of the modular analysis (kind 4: name "EXT4_FS", no path, cls a kb_opt_class). */
struct kb_item {
	int kind;
	const char *name;
	const char *path; /* "" or NULL: no file */
	const char *subsystem; /* NULL: none */
	int cls;
	uint64_t size;
};

struct kb_itemset {
	struct kb_item *v;
	size_t n, alloc;
	struct kb_strtab strs; /* owns the strings the items point to */
};

void kb_itemset_add(struct kb_itemset *s, int kind, const char *name, const char *path,
		    const char *subsystem, int cls, uint64_t size);
void kb_itemset_release(struct kb_itemset *s);

struct kb_store;
struct kb_sizes;

/*
 * The items many builds share (merge: an input database's items, by its item ids), so that
 * each build names them by number instead of by their strings. The store finds an item's id
 * the first time a build it records has it, and keeps it here for the builds after: one
 * lookup per item, not one per item per build. The items' subsystem is their path's, one per
 * path (as a database has it): a path's subsystem is set when its first item is looked up.
 * Ids are the store's that found them; a rolled back record forgets them.
 */
struct kb_itemdict {
	const struct kb_item *v; /* by number; sizes unused, kind -1: no item; the caller's */
	size_t n;
	/* the store's: the id of v[i] in it, -1 while not looked up; v's kinds a byte each */
	int64_t *ids;
	unsigned char *kinds;
	const struct kb_store *store;
	uint64_t epoch;
};

void kb_itemdict_release(struct kb_itemdict *d); /* frees the store's ids and kinds, not v */

/* An M: or L: line of the MAINTAINERS section named subsystem (schema/005-maintainers.sql). */
struct kb_contact {
	const char *subsystem;
	char role; /* 'M' or 'L' */
	const char *address; /* the line after its tag, as the file has it */
};

/* What `kbloat record` and the collector hand over for one build. */
/* What a build made besides vmlinux (schema/008-boot-modules.sql): collect --boot-image
 * and --modules. Sizes below 2^63. */
struct kb_build_outputs {
	const char *boot_name; /* the boot image relative to O=, or NULL: none built */
	uint64_t boot_bytes;
	int has_boot_payload; /* 0: the image has no compressed payload (a raw Image) */
	uint64_t boot_payload;
	int has_modules; /* make modules ran */
	uint64_t mod_count, mod_total, mod_cls[7]; /* mod_cls by enum kb_class, summing to total */
};

struct kb_build_rec {
	const struct kb_store_commit *commit;
	/* first-parent ancestors of commit, nearest first, as far as was walked: they let the
	 * store find the parent build and let later merges re-link builds without the repo */
	const struct kb_store_commit *chain;
	size_t nchain;
	const char *config, *arch, *base, *fragments;
	const char *status; /* "ok", "failed", "skipped" */
	const char *log_tail; /* failed builds */
	const char *dotconfig; /* the .config's set options, or NULL */
	const char *compiler, *linker;
	double build_seconds, analysis_seconds;
	/* ok builds: sizes per class (total first, then the 7 classes), binutils split */
	uint64_t total, cls[7], bk[3];
	uint64_t padding; /* ok builds: bytes of the breakdown's [padding] rows */
	int padding_unknown; /* stores padding as NULL: a build merged from before schema 002 */
	/* ok builds: the modular analysis in bytes of code and data (schema/002-modular.sql),
	 * summing to total - padding; has_modular 0 stores NULLs (it did not run) */
	int has_modular;
	uint64_t m_tristate, m_bool, m_core, m_rest;
	/* with has_modular: the relearnt kallsyms term of (1) and (2) (schema/009), what
	 * `kbloat modular` adds to its estimate; has_kallsyms 0 stores NULL (not relearnt).
	 * |m_kallsyms| <= total - padding. */
	int has_kallsyms;
	int64_t m_kallsyms;
	const struct kb_itemset *items;
	/* or, in place of items, the items of dict that have a size in dict_sizes (by dict
	 * number, 0: absent): what merge hands over (dict is written: the ids found) */
	struct kb_itemdict *dict;
	const struct kb_sizes *dict_sizes;
	int replace_failed; /* a failed build of (commit, config) is replaced, not kept */
	/* ok builds: enum kb_reused (reused.h), the collector recorded the build directory's
	 * image again without running make; 0 for a build make ran */
	int reused;
	/* ok builds recorded with the tree's MAINTAINERS (has_contacts): the M: and L: lines of
	 * the sections the items name, grouped by section in the file's order; each section
	 * the items name gets these lines in place of those stored before (none, if it has
	 * none here). Without has_contacts the stored lines stay. */
	int has_contacts;
	const struct kb_contact *contacts;
	size_t ncontacts;
	struct kb_build_outputs outputs; /* ok builds; nothing stored when none was built */
};

/*
 * Opens (creating with create) the database at path for writing, migrating its schema.
 * Errors name the file. A database this call created is removed again by kb_store_close
 * when nothing (no commit, no build) was ever recorded in it: a first run that fails leaves
 * nothing behind; a database that existed before is never removed.
 */
int kb_store_open(struct kb_store **out, const char *path, int create);
/*
 * Opens the database at path read-only (SQLITE_OPEN_READONLY: a 0444 file or a read-only
 * mount can be read), in one read transaction that every query shares: it takes no lock a
 * writer holds, waits for no writer, writes nothing (an empty file stays empty: "not a kbloat
 * database") and migrates nothing (an older schema is refused, saying that a command that
 * writes upgrades it). Writing through such a store fails.
 */
int kb_store_open_read(struct kb_store **out, const char *path);
void kb_store_close(struct kb_store *s);
const char *kb_store_path(const struct kb_store *s);

/* Records one build; *already is set when (commit, config) was recorded before (nothing
 * is written then). Returns 0, or KB_ERR with the reason. */
int kb_store_record(struct kb_store *s, const struct kb_build_rec *rec, int *already);

/* A build's full item sizes, dense by item id: sizes[item] (0: absent). What kb_store_sizes
 * hands out adds up to below 2^63 (else it is an error): sums of some of them, and their
 * differences between builds, fit in an int64_t. */
struct kb_sizes {
	uint64_t *v;
	size_t n; /* item ids below n */
};

int kb_store_sizes(struct kb_store *s, int64_t build_id, struct kb_sizes *out);
/*
 * The same for builds read one after another (merge reads a database's builds oldest first):
 * z holds the sizes of build *from (z empty: none), and becomes build_id's, by applying the
 * changes of the builds between when *from is on build_id's parent links nearer than a
 * snapshot, else read as kb_store_sizes does; *from becomes build_id. On error z is released
 * and *from 0.
 */
int kb_store_sizes_next(struct kb_store *s, int64_t build_id, int64_t *from, struct kb_sizes *z);
void kb_sizes_release(struct kb_sizes *z);

/* The build of a commit (full sha or unique prefix) in a config ("" or NULL: the only
 * config, or error if several). Errors name the revision or config. */
int kb_store_find_build(struct kb_store *s, const char *rev, const char *config, int64_t *build_id);
/* Resolves a config name to its id; NULL/"" means the only one recorded. */
int kb_store_find_config(struct kb_store *s, const char *config, int64_t *config_id);

/* What the store has of a build of commit sha (full) in config name and arch. */
struct kb_build_brief {
	int64_t id;
	char status[8]; /* ok, failed, skipped */
	int64_t total, d_total; /* ok builds; d_total only with a parent build */
	int has_parent;
	char parent_sha[41]; /* the parent build's commit, "" without one */
};

/* Returns 0 and fills b when the build is recorded, 1 when it is not, or KB_ERR. */
int kb_store_build_brief(struct kb_store *s, const char *sha, const char *config, const char *arch,
			 struct kb_build_brief *b);

/* The full sha (the caller frees it) of the commit the store knows by sha or unique prefix
 * rev (4 to 40 lowercase hex digits). Errors: "REV: unknown commit in DB", "ambiguous". */
int kb_store_resolve_sha(struct kb_store *s, const char *rev, char **sha);

/*
 * The repository the builds came from and its refs at the last collect or record
 * (schema/006-refs.sql, refs.c), so that a tag or branch resolves without the repository.
 */
enum kb_ref_kind { KB_REF_TAG, KB_REF_BRANCH, KB_REF_HEAD };

struct kb_store_ref {
	int kind; /* enum kb_ref_kind */
	const char *name; /* "v6.1", "main", "HEAD" */
	const char *sha; /* the commit (a tag peeled): 40 lowercase hex digits */
};

/* Replaces the stored repository path and refs with repo's and v[0..n), in one
 * transaction. 0 or KB_ERR. */
int kb_store_set_refs(struct kb_store *s, const char *repo, const struct kb_store_ref *v, size_t n);
/* The recorded repository's path (the caller frees it), NULL when none was; 0 or KB_ERR. */
int kb_store_repo(struct kb_store *s, char **path);
/* The commit of the stored ref name (a tag before a branch of the same name, as git):
 * 0 and sha, 1 when there is no such ref, or KB_ERR. */
int kb_store_ref_sha(struct kb_store *s, const char *name, char sha[41]);
/* The first parent of commit sha (full) as the store has it: 0 and parent ("" for a root
 * commit), 1 when the store does not know sha, or KB_ERR. */
int kb_store_parent_sha(struct kb_store *s, const char *sha, char parent[41]);

/* 1 if the store knows commit sha, 0 if not, <0 on error. */
int kb_store_has_commit(struct kb_store *s, const char *sha);

#endif
