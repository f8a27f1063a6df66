/*
 * resolve.h - a commit as kernel developers name it (v6.1, main, HEAD~3, a sha prefix)
 * resolved for the commands that read the store, and the refs that let them do it without
 * the repository.
 *
 * Promises:
 *  - A sha or unique sha prefix (4 to 40 lowercase hex digits) the store knows resolves
 *    without any repository.
 *  - Otherwise the repository of --repo resolves it (git's revparse: anything that names
 *    one commit), else the repository the store recorded, when it can still be opened.
 *  - Without a repository, the refs stored at collect time resolve NAME, NAME~N, NAME^ and
 *    NAME^1 (first parents, through the commits the store keeps), NAME a stored tag,
 *    branch or HEAD, or a sha (prefix) the store knows.
 *  - Errors are one line naming the revision: "v9.9: unknown revision in linux",
 *    "v9.9: no such tag, branch or commit in k.db (give --repo DIR to resolve it there)".
 */
#ifndef KB_RESOLVE_H
#define KB_RESOLVE_H

#include "strbuf.h"

struct kb_store;
struct kb_repo;

/* Stores r's tags, branch heads, HEAD and absolute path in s (kb_store_set_refs). */
int kb_refs_record(struct kb_store *s, struct kb_repo *r);

/* rev's commit into sha, as the promises above say; repo is --repo's value or NULL.
 * 0 or KB_ERR. */
int kb_resolve_rev(struct kb_store *s, const char *repo, const char *rev, char sha[41]);

/* "A..B" with each side resolved, into out as "SHA..SHA"; 0 or KB_ERR naming the range. */
int kb_resolve_range(struct kb_store *s, const char *repo, const char *range, struct strbuf *out);

#endif
