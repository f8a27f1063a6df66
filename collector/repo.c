/*
 * repo.c - a git repository through libgit2: open, resolve, commit metadata, first-parent
 * walks and range walks; see repo.h.
 *
 * libgit2's initialisation is refcounted by libgit2 itself, so each kb_repo takes one
 * reference in kb_repo_open() and drops it in kb_repo_free(): no state of our own. Errors
 * are copied into kb_error_set() text before any call that could drop the last reference,
 * as git_error_last() lives in libgit2's per-thread state.
 */
#include "repo.h"

#include "error.h"
#include "strbuf.h"
#include "xalloc.h"

#include <git2.h>

#include <fnmatch.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

struct kb_repo {
	git_repository *git;
	char *path; /* as given to kb_repo_open, for messages */
};

/*
 * Sets the error to the formatted text, then ": " and libgit2's last message, all on one
 * line (libgit2 messages sometimes carry a newline of their own). Returns KB_ERR.
 */
static int __attribute__((format(printf, 1, 2))) git_fail(const char *fmt, ...)
{
	const git_error *e = git_error_last();
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	size_t i;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	strbuf_addf(&sb, ": %s", e && e->message && *e->message ? e->message : "unknown error");
	for (i = 0; i < sb.len; i++)
		if (sb.buf[i] == '\n' || sb.buf[i] == '\r')
			sb.buf[i] = ' ';
	while (sb.len && sb.buf[sb.len - 1] == ' ')
		strbuf_setlen(&sb, sb.len - 1);
	kb_error_set("%s", sb.buf);
	strbuf_release(&sb);
	return KB_ERR;
}

int kb_repo_open(struct kb_repo **out, const char *path)
{
	struct kb_repo *r;
	int err;

	*out = NULL;
	if (git_libgit2_init() < 0)
		return git_fail("%s: cannot initialise libgit2", path);
	r = xcalloc(1, sizeof(*r));
	r->path = xstrdup(path);
	err = git_repository_open_ext(&r->git, path, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL);
	if (err == GIT_ENOTFOUND) {
		kb_error_set("%s: not a git repository", path);
		goto out_free;
	} else if (err < 0) {
		git_fail("%s: cannot open repository", path);
		goto out_free;
	}
	*out = r;
	return 0;

out_free:
	free(r->path);
	free(r);
	git_libgit2_shutdown();
	return KB_ERR;
}

void kb_repo_free(struct kb_repo *r)
{
	if (!r)
		return;
	git_repository_free(r->git);
	free(r->path);
	free(r);
	git_libgit2_shutdown();
}

const char *kb_repo_path(const struct kb_repo *r)
{
	return r->path;
}

struct git_repository *kb_repo_git(struct kb_repo *r)
{
	return r->git;
}

int kb_repo_resolve(struct kb_repo *r, const char *rev, char sha[41])
{
	git_object *obj = NULL, *commit = NULL;
	int err;

	sha[0] = '\0';
	err = git_revparse_single(&obj, r->git, rev);
	if (err == GIT_ENOTFOUND || err == GIT_EINVALIDSPEC)
		return kb_error_set("%s: unknown revision in %s", rev, r->path);
	if (err == GIT_EAMBIGUOUS)
		return kb_error_set("%s: ambiguous revision in %s", rev, r->path);
	if (err < 0)
		return git_fail("%s: cannot resolve in %s", rev, r->path);

	err = git_object_peel(&commit, obj, GIT_OBJECT_COMMIT);
	if (err < 0) {
		/* what the revision named, or what its tag chain ends in */
		git_object *target = NULL;
		git_object_t type = git_object_type(obj);

		if (type == GIT_OBJECT_TAG && !git_object_peel(&target, obj, GIT_OBJECT_ANY))
			type = git_object_type(target);
		kb_error_set("%s: not a commit (%s)", rev, git_object_type2string(type));
		git_object_free(target);
		git_object_free(obj);
		return KB_ERR;
	}
	git_oid_tostr(sha, 41, git_object_id(commit));
	git_object_free(commit);
	git_object_free(obj);
	return 0;
}

/* Parses a full sha; the message names it. */
static int parse_sha(git_oid *oid, const char *sha)
{
	if (strlen(sha) != GIT_OID_HEXSZ || git_oid_fromstr(oid, sha) < 0)
		return kb_error_set("%s: not a full commit sha", sha);
	return 0;
}

static int lookup_commit(git_commit **out, struct kb_repo *r, const git_oid *oid)
{
	char hex[GIT_OID_HEXSZ + 1];
	int err;

	err = git_commit_lookup(out, r->git, oid);
	if (!err)
		return 0;
	git_oid_tostr(hex, sizeof(hex), oid);
	if (err == GIT_ENOTFOUND)
		return kb_error_set("%s: no such commit in %s", hex, r->path);
	return git_fail("%s: cannot read commit in %s", hex, r->path);
}

/* The first line of msg, without its line end and trailing blanks. */
static char *first_line(const char *msg)
{
	size_t len = strcspn(msg, "\n");

	while (len && (msg[len - 1] == '\r' || msg[len - 1] == ' ' || msg[len - 1] == '\t'))
		len--;
	return xstrndup(msg, len);
}

static void fill_info(struct kb_commit_info *ci, const git_commit *c)
{
	const git_signature *author = git_commit_author(c);
	const char *msg = git_commit_message(c);

	memset(ci, 0, sizeof(*ci));
	git_oid_tostr(ci->sha, sizeof(ci->sha), git_commit_id(c));
	ci->nparents = git_commit_parentcount(c);
	if (ci->nparents)
		git_oid_tostr(ci->parent, sizeof(ci->parent), git_commit_parent_id(c, 0));
	ci->author_name = xstrdup(author->name ? author->name : "");
	ci->author_email = xstrdup(author->email ? author->email : "");
	ci->author_time = author->when.time;
	ci->committer_time = git_commit_time(c);
	ci->subject = first_line(msg ? msg : "");
}

int kb_repo_commit_info(struct kb_repo *r, const char *sha, struct kb_commit_info *out)
{
	git_commit *c;
	git_oid oid;

	memset(out, 0, sizeof(*out));
	if (parse_sha(&oid, sha) < 0 || lookup_commit(&c, r, &oid) < 0)
		return KB_ERR;
	fill_info(out, c);
	git_commit_free(c);
	return 0;
}

void kb_commit_info_release(struct kb_commit_info *ci)
{
	free(ci->author_name);
	free(ci->author_email);
	free(ci->subject);
	memset(ci, 0, sizeof(*ci));
}

int kb_repo_walk_first_parents(struct kb_repo *r, const char *sha, size_t max,
			       int (*fn)(const struct kb_commit_info *ci, void *arg), void *arg)
{
	struct kb_commit_info ci;
	git_commit *c = NULL;
	git_oid oid;
	size_t seen;
	int ret = 0;

	if (parse_sha(&oid, sha) < 0 || lookup_commit(&c, r, &oid) < 0)
		return KB_ERR;
	for (seen = 0; seen < max; seen++) {
		git_commit *parent;
		int err;

		fill_info(&ci, c);
		ret = fn(&ci, arg);
		kb_commit_info_release(&ci);
		if (ret || !git_commit_parentcount(c))
			break;
		err = git_commit_parent(&parent, c, 0);
		if (err < 0) {
			char child[GIT_OID_HEXSZ + 1], hex[GIT_OID_HEXSZ + 1];

			git_oid_tostr(child, sizeof(child), git_commit_id(c));
			git_oid_tostr(hex, sizeof(hex), git_commit_parent_id(c, 0));
			if (err == GIT_ENOTFOUND)
				ret = kb_error_set("%s: parent %s missing in %s", child, hex,
						   r->path);
			else
				ret = git_fail("%s: cannot read parent %s in %s", child, hex,
					       r->path);
			break;
		}
		git_commit_free(c);
		c = parent;
	}
	git_commit_free(c);
	return ret;
}

/* Splits "A..B" into its two sides (an empty side is HEAD); *from is NULL for one REV. */
static int split_range(const char *range, char **from, char **to)
{
	const char *dots = strstr(range, "..");

	*from = *to = NULL;
	if (!dots) {
		*to = xstrdup(range);
		return 0;
	}
	if (dots[2] == '.')
		return kb_error_set("%s: symmetric difference (A...B) not supported", range);
	*from = dots == range ? xstrdup("HEAD") : xstrndup(range, dots - range);
	*to = xstrdup(dots[2] ? dots + 2 : "HEAD");
	return 0;
}

/* Pushes the resolved sides of range into walk. */
static int push_range(struct kb_repo *r, git_revwalk *walk, const char *range)
{
	char *from, *to, sha[41];
	git_oid oid;
	int ret;

	ret = split_range(range, &from, &to);
	if (ret < 0)
		return ret;
	if (from) {
		ret = kb_repo_resolve(r, from, sha);
		if (ret < 0)
			goto out;
		git_oid_fromstr(&oid, sha);
		if (git_revwalk_hide(walk, &oid) < 0) {
			ret = git_fail("%s: cannot walk %s", range, r->path);
			goto out;
		}
	}
	ret = kb_repo_resolve(r, to, sha);
	if (ret < 0)
		goto out;
	git_oid_fromstr(&oid, sha);
	if (git_revwalk_push(walk, &oid) < 0)
		ret = git_fail("%s: cannot walk %s", range, r->path);
out:
	free(from);
	free(to);
	return ret;
}

int kb_repo_range(struct kb_repo *r, const char *range, int first_parent, char (**shas)[41],
		  size_t *n)
{
	char(*list)[41] = NULL;
	size_t nr = 0, alloc = 0;
	git_revwalk *walk;
	git_oid oid;
	int err, ret = KB_ERR;

	*shas = NULL;
	*n = 0;
	if (git_revwalk_new(&walk, r->git) < 0)
		return git_fail("%s: cannot walk %s", range, r->path);
	/* parents before children, else by committer time; reversed: oldest first */
	err = git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME | GIT_SORT_REVERSE);
	if (!err && first_parent)
		err = git_revwalk_simplify_first_parent(walk);
	if (err < 0) {
		git_fail("%s: cannot walk %s", range, r->path);
		goto out;
	}
	if (push_range(r, walk, range) < 0)
		goto out;
	while (!(err = git_revwalk_next(&oid, walk))) {
		ALLOC_GROW(list, nr + 1, alloc);
		git_oid_tostr(list[nr++], 41, &oid);
	}
	if (err != GIT_ITEROVER) {
		git_fail("%s: cannot walk %s", range, r->path);
		goto out;
	}
	*shas = list;
	*n = nr;
	list = NULL;
	ret = 0;
out:
	free(list);
	git_revwalk_free(walk);
	return ret;
}

static int commit_tree(git_tree **out, struct kb_repo *r, const char *sha)
{
	git_commit *c;
	git_oid oid;
	int rc;

	if (parse_sha(&oid, sha) < 0 || lookup_commit(&c, r, &oid) < 0)
		return KB_ERR;
	rc = git_commit_tree(out, c);
	git_commit_free(c);
	if (rc < 0)
		return git_fail("%s: cannot read its tree in %s", sha, r->path);
	return 0;
}

/* Beyond this many changed paths a checkout looks at the whole tree, as without a baseline. */
#define CHECKOUT_PATHS_MAX 20000

int kb_repo_checkout(struct kb_repo *r, const char *sha, const char *dir, const char *baseline,
		     const struct kb_path_changes *changed)
{
	git_checkout_options opts = GIT_CHECKOUT_OPTIONS_INIT;
	git_tree *tree = NULL, *base = NULL;
	struct kb_path_changes ch = { 0 };
	char **paths = NULL;
	int rc = KB_ERR;
	size_t i;

	if (commit_tree(&tree, r, sha) || (baseline && commit_tree(&base, r, baseline)))
		goto out;
	opts.checkout_strategy = GIT_CHECKOUT_FORCE | GIT_CHECKOUT_DONT_UPDATE_INDEX;
	opts.target_directory = dir;
	opts.baseline = base;
	/*
	 * With a baseline, only the paths the two trees differ in (a tree-to-tree diff, which
	 * skips unchanged subtrees by their ids): libgit2 then looks at those files alone,
	 * where a whole-tree checkout stats every file of the work tree and loads its
	 * attributes (seconds for Linux's 80,000 files).
	 */
	if (baseline) {
		if (!changed) {
			if (kb_repo_changes(r, baseline, sha, &ch))
				goto out;
			changed = &ch;
		}
		if (!changed->n) {
			rc = 0;
			goto out;
		}
		if (changed->n <= CHECKOUT_PATHS_MAX) {
			paths = xcalloc(changed->n, sizeof(*paths));
			for (i = 0; i < changed->n; i++)
				paths[i] = changed->v[i].path;
			opts.paths.strings = paths;
			opts.paths.count = changed->n;
			opts.checkout_strategy |= GIT_CHECKOUT_DISABLE_PATHSPEC_MATCH;
		}
	}
	if (git_checkout_tree(r->git, (const git_object *)tree, &opts) < 0) {
		git_fail("%s: cannot check %s out into %s", r->path, sha, dir);
		goto out;
	}
	rc = 0;
out:
	free(paths);
	kb_path_changes_release(&ch);
	git_tree_free(tree);
	git_tree_free(base);
	return rc;
}

static int change_cb(const git_diff_delta *d, float progress, void *payload)
{
	struct kb_path_changes *c = payload;
	const char *path = d->new_file.path ? d->new_file.path : d->old_file.path;

	(void)progress;
	c->v = xrealloc(c->v, (c->n + 1) * sizeof(*c->v));
	c->v[c->n].path = xstrdup(path);
	c->v[c->n].kind = d->status == GIT_DELTA_ADDED	 ? KB_CHANGE_ADDED :
			  d->status == GIT_DELTA_DELETED ? KB_CHANGE_DELETED :
							   KB_CHANGE_MODIFIED;
	c->n++;
	return 0;
}

int kb_repo_changes(struct kb_repo *r, const char *from, const char *to,
		    struct kb_path_changes *out)
{
	git_diff_options opts = GIT_DIFF_OPTIONS_INIT;
	git_tree *a = NULL, *b = NULL;
	git_diff *diff = NULL;
	int rc = KB_ERR;

	memset(out, 0, sizeof(*out));
	if (commit_tree(&a, r, from) || commit_tree(&b, r, to))
		goto out;
	/* a type change is one entry, not a deletion and an addition */
	opts.flags = GIT_DIFF_INCLUDE_TYPECHANGE;
	if (git_diff_tree_to_tree(&diff, r->git, a, b, &opts) < 0) {
		git_fail("%s..%s: cannot diff the trees in %s", from, to, r->path);
		goto out;
	}
	if (git_diff_foreach(diff, change_cb, NULL, NULL, NULL, out) < 0) {
		git_fail("%s..%s: cannot list the changes in %s", from, to, r->path);
		kb_path_changes_release(out);
		goto out;
	}
	rc = 0;
out:
	git_diff_free(diff);
	git_tree_free(a);
	git_tree_free(b);
	return rc;
}

void kb_path_changes_release(struct kb_path_changes *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		free(c->v[i].path);
	free(c->v);
	memset(c, 0, sizeof(*c));
}

struct tagged {
	git_repository *git;
	char (*v)[41];
	size_t n, alloc;
};

static int tag_cb(const char *name, git_oid *oid, void *payload)
{
	struct tagged *t = payload;
	git_object *obj = NULL, *peeled = NULL;

	(void)name;
	/* a tag of a tree or blob is no commit to build: left out */
	if (!git_object_lookup(&obj, t->git, oid, GIT_OBJECT_ANY) &&
	    !git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT)) {
		ALLOC_GROW(t->v, t->n + 1, t->alloc);
		git_oid_tostr(t->v[t->n++], 41, git_object_id(peeled));
	}
	git_object_free(peeled);
	git_object_free(obj);
	git_error_clear();
	return 0;
}

static int cmp_sha(const void *a, const void *b)
{
	return strcmp(a, b);
}

int kb_repo_tagged(struct kb_repo *r, char (**shas)[41], size_t *n)
{
	struct tagged t = { r->git, NULL, 0, 0 };

	*shas = NULL;
	*n = 0;
	if (git_tag_foreach(r->git, tag_cb, &t) < 0 && git_error_last()) {
		free(t.v);
		return git_fail("%s: cannot list the tags", r->path);
	}
	if (t.n)
		qsort(t.v, t.n, sizeof(*t.v), cmp_sha);
	*shas = t.v;
	*n = t.n;
	return 0;
}

struct named_tags {
	git_repository *git;
	const char *glob;
	struct kb_repo_tag *v;
	size_t n, alloc;
};

static int named_tag_cb(const char *name, git_oid *oid, void *payload)
{
	struct named_tags *t = payload;
	git_object *obj = NULL, *peeled = NULL;

	if (!strncmp(name, "refs/tags/", 10))
		name += 10;
	if ((!t->glob || !fnmatch(t->glob, name, 0)) &&
	    !git_object_lookup(&obj, t->git, oid, GIT_OBJECT_ANY) &&
	    !git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT)) {
		ALLOC_GROW(t->v, t->n + 1, t->alloc);
		t->v[t->n].name = xstrdup(name);
		git_oid_tostr(t->v[t->n++].sha, 41, git_object_id(peeled));
	}
	git_object_free(peeled);
	git_object_free(obj);
	git_error_clear();
	return 0;
}

static int cmp_tag_name(const void *a, const void *b)
{
	return strcmp(((const struct kb_repo_tag *)a)->name, ((const struct kb_repo_tag *)b)->name);
}

void kb_repo_tags_free(struct kb_repo_tag *tags, size_t n)
{
	size_t i;

	for (i = 0; tags && i < n; i++)
		free(tags[i].name);
	free(tags);
}

int kb_repo_tags(struct kb_repo *r, const char *glob, struct kb_repo_tag **tags, size_t *n)
{
	struct named_tags t = { r->git, glob, NULL, 0, 0 };

	*tags = NULL;
	*n = 0;
	if (git_tag_foreach(r->git, named_tag_cb, &t) < 0 && git_error_last()) {
		kb_repo_tags_free(t.v, t.n);
		return git_fail("%s: cannot list the tags", r->path);
	}
	if (t.n)
		qsort(t.v, t.n, sizeof(*t.v), cmp_tag_name);
	*tags = t.v;
	*n = t.n;
	return 0;
}

int kb_repo_branches(struct kb_repo *r, struct kb_repo_tag **heads, size_t *n)
{
	struct named_tags t = { r->git, NULL, NULL, 0, 0 };
	git_branch_iterator *it = NULL;
	git_reference *ref, *head = NULL;
	git_branch_t type;
	git_object *obj;
	int rc;

	*heads = NULL;
	*n = 0;
	if (git_branch_iterator_new(&it, r->git, GIT_BRANCH_LOCAL) < 0)
		return git_fail("%s: cannot list the branches", r->path);
	while (!(rc = git_branch_next(&ref, &type, it))) {
		const char *name = NULL;

		if (!git_branch_name(&name, ref) &&
		    !git_reference_peel(&obj, ref, GIT_OBJECT_COMMIT)) {
			ALLOC_GROW(t.v, t.n + 1, t.alloc);
			t.v[t.n].name = xstrdup(name);
			git_oid_tostr(t.v[t.n++].sha, 41, git_object_id(obj));
			git_object_free(obj);
		}
		git_reference_free(ref);
	}
	git_branch_iterator_free(it);
	if (rc != GIT_ITEROVER) {
		kb_repo_tags_free(t.v, t.n);
		return git_fail("%s: cannot list the branches", r->path);
	}
	git_error_clear();
	if (t.n)
		qsort(t.v, t.n, sizeof(*t.v), cmp_tag_name);
	/* HEAD last: the commit checked out (an unborn or broken HEAD is left out) */
	if (!git_repository_head(&head, r->git) &&
	    !git_reference_peel(&obj, head, GIT_OBJECT_COMMIT)) {
		ALLOC_GROW(t.v, t.n + 1, t.alloc);
		t.v[t.n].name = xstrdup("HEAD");
		git_oid_tostr(t.v[t.n++].sha, 41, git_object_id(obj));
		git_object_free(obj);
	}
	git_reference_free(head);
	git_error_clear();
	*heads = t.v;
	*n = t.n;
	return 0;
}
