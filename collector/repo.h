/*
 * repo.h - the collector's view of a git repository: open it, resolve revisions to commits,
 * read a commit's metadata, walk its first parents and list the commits of a range.
 *
 * Promises:
 *  - libgit2 stays inside: callers need no <git2.h>. Each open kb_repo holds one reference
 *    on libgit2's process-wide initialisation (git_libgit2_init() is refcounted), so the
 *    last kb_repo_free() shuts libgit2 down and a program that frees what it opens leaks
 *    nothing.
 *  - Every error is one line, kept with kb_error_set(), that names the repository path or
 *    the revision: "linux: not a git repository", "v9.9: unknown revision in linux".
 *    libgit2's own text (git_error_last()) is appended where it says more.
 *  - A sha is 40 lowercase hex digits and a NUL.
 *  - Nothing here runs a shell or the git program.
 *  - A kb_repo is used by one thread at a time; open one per thread.
 */
#ifndef KB_REPO_H
#define KB_REPO_H

#include <stddef.h>
#include <stdint.h>

struct kb_repo;
struct git_repository;

struct kb_commit_info {
	char sha[41]; /* full hex */
	char parent[41]; /* first parent, "" for a root commit */
	unsigned nparents;
	/* owned by the struct, freed by kb_commit_info_release(); never NULL once filled */
	char *author_name, *author_email;
	int64_t author_time, committer_time; /* seconds since the epoch */
	/*
	 * The message's first line, without its line end or trailing blanks: the kernel's
	 * subject line. Not git's "%s", which joins the whole first paragraph. Bytes as the
	 * commit stores them (no re-encoding of a non-UTF-8 i18n.commitEncoding).
	 */
	char *subject;
};

/*
 * Opens the repository at path, a work tree or a .git directory (or a bare repository);
 * parent directories are not searched. Returns 0 and a repo the caller frees with
 * kb_repo_free(), or KB_ERR: "PATH: not a git repository", or "PATH: cannot open
 * repository: DETAIL".
 */
int kb_repo_open(struct kb_repo **out, const char *path);
void kb_repo_free(struct kb_repo *r);

/* The path the repo was opened with, for messages. */
/*
 * Checks commit sha out into dir, a private work tree kbloat owns: the repository's own
 * index and work tree are never touched. With baseline (the sha dir holds now), only the
 * files that differ are written or removed, so their neighbours keep their times and an
 * incremental kbuild rebuilds only what changed; without, every file is written. changed,
 * when not NULL, is kb_repo_changes(baseline, sha) as the caller has it already.
 */
struct kb_path_changes;
int kb_repo_checkout(struct kb_repo *r, const char *sha, const char *dir, const char *baseline,
		     const struct kb_path_changes *changed);

const char *kb_repo_path(const struct kb_repo *r);

/* A path that differs between two commits' trees, as libgit2's tree-to-tree diff finds it
 * (no rename detection: a rename is a deletion and an addition). */
enum kb_change_kind { KB_CHANGE_ADDED, KB_CHANGE_DELETED, KB_CHANGE_MODIFIED };

struct kb_path_change {
	char *path; /* relative to the top of the tree */
	enum kb_change_kind kind;
};

struct kb_path_changes {
	struct kb_path_change *v;
	size_t n;
};

/*
 * The paths that differ between commits from and to (full shas), file by file (a type
 * change, a mode change and a submodule's new commit count as modified). Returns 0 and
 * *out, which the caller releases with kb_path_changes_release(), or KB_ERR naming the commit.
 */
int kb_repo_changes(struct kb_repo *r, const char *from, const char *to,
		    struct kb_path_changes *out);
void kb_path_changes_release(struct kb_path_changes *c);

/* The libgit2 handle, for the collector's own modules (checkout); owned by r. */
struct git_repository *kb_repo_git(struct kb_repo *r);

/*
 * Resolves rev (a sha or unique prefix, branch, tag, HEAD~3, v6.1^2, anything git's
 * revparse takes for one object) to the commit it names, peeling tags. Returns 0 and the
 * commit's sha, or KB_ERR with sha set to "": "REV: unknown revision in PATH", "REV:
 * ambiguous revision in PATH", "REV: not a commit (tree)".
 */
int kb_repo_resolve(struct kb_repo *r, const char *rev, char sha[41]);

/*
 * Fills out with the commit sha (a full 40-digit sha). Returns 0, and the caller releases
 * out with kb_commit_info_release(); or KB_ERR with out zeroed: "SHA: not a full commit
 * sha", "SHA: no such commit in PATH".
 */
int kb_repo_commit_info(struct kb_repo *r, const char *sha, struct kb_commit_info *out);

/* Frees ci's strings and zeroes it; safe on a zeroed or already released ci. */
void kb_commit_info_release(struct kb_commit_info *ci);

/*
 * Calls fn for sha's first-parent ancestors, starting with sha itself, newest first, and
 * at most max of them (SIZE_MAX: no limit; 0: none). Returns the first non-zero value fn
 * returns, or 0 once a root commit was given to fn or max commits were, or KB_ERR if a
 * commit cannot be read ("SHA: parent PARENT missing in PATH" in a shallow clone). ci and
 * its strings are valid only during the call.
 */
int kb_repo_walk_first_parents(struct kb_repo *r, const char *sha, size_t max,
			       int (*fn)(const struct kb_commit_info *ci, void *arg), void *arg);

/*
 * The commits of range, oldest first: "A..B" (reachable from B, not from A; an empty side
 * means HEAD), or one REV meaning its whole history. Parents come before their children,
 * otherwise commits are in committer-time order (git rev-list --reverse --date-order).
 * With first_parent, only B's first-parent line is followed, and commits reachable from A
 * by any parent are still excluded (git rev-list --first-parent). Returns 0, *shas (which
 * the caller frees; NULL when *n is 0) and *n, or KB_ERR: a side's resolve error, or "RANGE:
 * symmetric difference (A...B) not supported".
 */
int kb_repo_range(struct kb_repo *r, const char *range, int first_parent, char (**shas)[41],
		  size_t *n);

/*
 * The commits that tags point to (annotated tags peeled), sorted by sha for bsearch with
 * strcmp; *shas is the caller's to free (NULL when *n is 0). Errors name the repository.
 */
int kb_repo_tagged(struct kb_repo *r, char (**shas)[41], size_t *n);

/* A tag: its name without refs/tags/ and the commit it points to (peeled). */
struct kb_repo_tag {
	char *name;
	char sha[41];
};

/*
 * The tags of commits whose names match the fnmatch pattern glob (NULL: all), by name;
 * *tags (each name and the array) is the caller's, freed with kb_repo_tags_free. Errors
 * name the repository; nothing is handed back then.
 */
int kb_repo_tags(struct kb_repo *r, const char *glob, struct kb_repo_tag **tags, size_t *n);
void kb_repo_tags_free(struct kb_repo_tag *tags, size_t n);

/*
 * The local branches (names without refs/heads/) and the commits they point to, by name,
 * then "HEAD" and its commit unless HEAD is unborn; freed with kb_repo_tags_free. Errors
 * name the repository; nothing is handed back then.
 */
int kb_repo_branches(struct kb_repo *r, struct kb_repo_tag **heads, size_t *n);

#endif
