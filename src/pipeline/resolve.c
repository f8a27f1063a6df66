/*
 * resolve.c - revisions resolved through the store, the repository, or the refs the store
 * recorded: see resolve.h.
 */
#include "resolve.h"

#include "repo.h"
#include "store.h"
#include "error.h"
#include "xalloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static int put_refs(struct kb_store_ref **v, size_t *n, size_t *alloc, int kind,
		    const struct kb_repo_tag *t, size_t nt)
{
	size_t i;

	for (i = 0; i < nt; i++) {
		ALLOC_GROW(*v, *n + 1, *alloc);
		(*v)[*n].kind = kind;
		(*v)[*n].name = t[i].name;
		(*v)[(*n)++].sha = t[i].sha;
	}
	return 0;
}

int kb_refs_record(struct kb_store *s, struct kb_repo *r)
{
	struct kb_repo_tag *tags = NULL, *heads = NULL;
	size_t ntags = 0, nheads = 0, n = 0, alloc = 0;
	struct kb_store_ref *v = NULL;
	char *path = NULL;
	int rc = KB_ERR;

	if (kb_repo_tags(r, NULL, &tags, &ntags) || kb_repo_branches(r, &heads, &nheads))
		goto out;
	path = realpath(kb_repo_path(r), NULL);
	if (!path) {
		kb_error_set("%s: %s", kb_repo_path(r), strerror(errno));
		goto out;
	}
	put_refs(&v, &n, &alloc, KB_REF_TAG, tags, ntags);
	/* kb_repo_branches hands HEAD last */
	put_refs(&v, &n, &alloc, KB_REF_BRANCH, heads, nheads);
	if (nheads && !strcmp(heads[nheads - 1].name, "HEAD"))
		v[n - 1].kind = KB_REF_HEAD;
	rc = kb_store_set_refs(s, path, v, n);
out:
	free(v);
	free(path);
	kb_repo_tags_free(tags, ntags);
	kb_repo_tags_free(heads, nheads);
	return rc;
}

static int is_hex_prefix(const char *rev)
{
	size_t n = strlen(rev);

	return n >= 4 && n <= 40 && strspn(rev, "0123456789abcdef") == n;
}

/* A sha or prefix the store knows: 0 and sha, 1 when it knows none, KB_ERR (ambiguous). */
static int store_sha(struct kb_store *s, const char *rev, char sha[41])
{
	char *full = NULL;

	if (!is_hex_prefix(rev))
		return 1;
	if (!kb_store_resolve_sha(s, rev, &full)) {
		memcpy(sha, full, 41);
		free(full);
		return 0;
	}
	/* "unknown" lets a repository or a ref try; "ambiguous" or a bad row is an error */
	if (!strstr(kb_error_last(), ": unknown commit in "))
		return KB_ERR;
	kb_error_clear();
	return 1;
}

/* rev in the repository at path: 0, KB_ERR with its error, or 1 when path cannot be opened
 * and must_open is 0 (a recorded repository that is gone). */
static int repo_sha(const char *path, int must_open, const char *rev, char sha[41])
{
	struct kb_repo *r;
	int rc;

	if (kb_repo_open(&r, path)) {
		if (must_open)
			return KB_ERR;
		kb_error_clear();
		return 1;
	}
	rc = kb_repo_resolve(r, rev, sha);
	kb_repo_free(r);
	return rc;
}

/* NAME[~N|^|^1]... through the stored refs and commits. */
static int stored_sha(struct kb_store *s, const char *rev, char sha[41])
{
	size_t len = strcspn(rev, "~^");
	char *name = xstrndup(rev, len);
	const char *p = rev + len;
	int rc;

	rc = store_sha(s, name, sha);
	if (rc == 1)
		rc = kb_store_ref_sha(s, name, sha);
	free(name);
	if (rc == 1)
		return kb_error_set("%s: no such tag, branch or commit in %s (give --repo DIR to "
				    "resolve it in the repository)",
				    rev, kb_store_path(s));
	if (rc)
		return KB_ERR;
	while (*p) {
		unsigned long steps = 1;
		char *end;

		if (*p == '^' && p[1] == '1')
			p += 2;
		else if (*p == '^')
			p++;
		else if (p[1] >= '0' && p[1] <= '9') {
			errno = 0;
			steps = strtoul(p + 1, &end, 10);
			if (errno || steps > 1000000)
				return kb_error_set("%s: not a revision", rev);
			p = end;
		} else
			p++;
		if (*p && !strchr("~^", *p))
			return kb_error_set("%s: only ~N and ^ (first parents) resolve without "
					    "the repository (give --repo DIR)",
					    rev);
		while (steps--) {
			char parent[41];

			rc = kb_store_parent_sha(s, sha, parent);
			if (rc < 0)
				return KB_ERR;
			if (rc)
				return kb_error_set("%s: the history of %.12s is not in %s (give "
						    "--repo DIR)",
						    rev, sha, kb_store_path(s));
			if (!parent[0])
				return kb_error_set("%s: %.12s is a root commit", rev, sha);
			memcpy(sha, parent, 41);
		}
	}
	return 0;
}

int kb_resolve_rev(struct kb_store *s, const char *repo, const char *rev, char sha[41])
{
	char *recorded = NULL;
	int rc;

	sha[0] = '\0';
	if (!*rev)
		return kb_error_set("an empty revision names no commit");
	rc = store_sha(s, rev, sha);
	if (rc <= 0)
		return rc;
	if (repo)
		return repo_sha(repo, 1, rev, sha);
	if (kb_store_repo(s, &recorded))
		return KB_ERR;
	rc = recorded ? repo_sha(recorded, 0, rev, sha) : 1;
	free(recorded);
	if (rc <= 0)
		return rc;
	return stored_sha(s, rev, sha);
}

int kb_resolve_range(struct kb_store *s, const char *repo, const char *range, struct strbuf *out)
{
	const char *dots = strstr(range, "..");
	char a[41], b[41], *left;
	int rc;

	if (!dots || dots == range || !dots[2] || strstr(dots + 2, ".."))
		return kb_error_set("%s: not a range A..B", range);
	if (dots[2] == '.')
		return kb_error_set("%s: symmetric difference (A...B) not supported", range);
	left = xstrndup(range, (size_t)(dots - range));
	rc = kb_resolve_rev(s, repo, left, a) || kb_resolve_rev(s, repo, dots + 2, b) ? KB_ERR : 0;
	free(left);
	if (!rc)
		strbuf_addf(out, "%s..%s", a, b);
	return rc;
}
