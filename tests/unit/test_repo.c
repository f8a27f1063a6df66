/*
 * test_repo.c - the collector's git layer over a repository the test makes with libgit2
 * (fixed dates, a first-parent line, a side branch that merges main back in, a merge):
 * resolving revisions, commit metadata, first-parent walks and ranges. Where the git
 * program is installed, every range is also checked against `git rev-list`.
 *
 *   R -- A ------ B ------ M -- C     main (HEAD); tags: light -> A, v1.0 -> B
 *         \        \      /
 *          S1 ----- S2 --'            side: S2 = merge(S1, B), M = merge(B, S2)
 */
#include "check.h"

#include "repo.h"

#include "error.h"
#include "strbuf.h"
#include "xalloc.h"

#include <git2.h>

#include <ftw.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

enum { R, A, S1, B, S2, M, C, NCOMMITS };

static const char *const names[NCOMMITS] = { "R", "A", "S1", "B", "S2", "M", "C" };

struct fixture {
	struct strbuf tmp; /* the temporary directory, removed at the end */
	struct strbuf path; /* the repository's work tree inside it */
	char sha[NCOMMITS][41];
};

/* Commits tree with the given parents; author time t, committer time t + 60. */
static void make_commit(git_repository *repo, git_oid *out, const git_tree *tree, int64_t t,
			const char *msg, const git_commit **parents, size_t nparents)
{
	git_signature *author, *committer;

	CHECK(!git_signature_new(&author, "Ada Author", "ada@example.org", t, 60));
	CHECK(!git_signature_new(&committer, "Carl Committer", "carl@example.org", t + 60, 0));
	CHECK(!git_commit_create(out, repo, NULL, author, committer, NULL, msg, tree, nparents,
				 parents));
	git_signature_free(author);
	git_signature_free(committer);
}

static void make_repo(struct fixture *f)
{
	static const struct {
		int parents[2];
		size_t nparents;
		int64_t time;
		const char *msg;
	} plan[NCOMMITS] = {
		[R] = { { 0 }, 0, 1000000000, "init: the root\n" },
		[A] = { { R }, 1, 1000001000, "mm: add a\n" },
		[S1] = { { A }, 1, 1000001500, "net: side one\n" },
		[B] = { { A }, 1, 1000002000, "sched: fix b  \r\n\r\nBody of b.\r\n" },
		[S2] = { { S1, B }, 2, 1000002500, "Merge branch 'main' into side\n" },
		[M] = { { B, S2 }, 2, 1000003000, "Merge branch 'side'\n" },
		[C] = { { M },
			1,
			1000004000,
			"kbuild: shrink the image\nby a lot\n\nSigned-off-by: Ada\n" },
	};
	git_oid oids[NCOMMITS], blob, tree_id, tag;
	git_treebuilder *tb;
	git_repository *repo;
	git_reference *ref;
	git_signature *tagger;
	git_object *obj;
	git_tree *tree;
	int i;
	size_t j;

	CHECK(!git_repository_init(&repo, f->path.buf, 0));
	CHECK(!git_blob_create_from_buffer(&blob, repo, "hello\n", 6));
	CHECK(!git_treebuilder_new(&tb, repo, NULL));
	CHECK(!git_treebuilder_insert(NULL, tb, "README", &blob, GIT_FILEMODE_BLOB));
	CHECK(!git_treebuilder_write(&tree_id, tb));
	git_treebuilder_free(tb);
	CHECK(!git_tree_lookup(&tree, repo, &tree_id));

	for (i = 0; i < NCOMMITS; i++) {
		const git_commit *parents[2];

		for (j = 0; j < plan[i].nparents; j++)
			CHECK(!git_commit_lookup((git_commit **)&parents[j], repo,
						 &oids[plan[i].parents[j]]));
		make_commit(repo, &oids[i], tree, plan[i].time, plan[i].msg, parents,
			    plan[i].nparents);
		for (j = 0; j < plan[i].nparents; j++)
			git_commit_free((git_commit *)parents[j]);
		git_oid_tostr(f->sha[i], 41, &oids[i]);
	}

	CHECK(!git_reference_create(&ref, repo, "refs/heads/main", &oids[C], 0, NULL));
	git_reference_free(ref);
	CHECK(!git_reference_create(&ref, repo, "refs/heads/side", &oids[S2], 0, NULL));
	git_reference_free(ref);
	CHECK(!git_repository_set_head(repo, "refs/heads/main"));

	CHECK(!git_signature_new(&tagger, "Tom Tagger", "tom@example.org", 1000005000, 0));
	CHECK(!git_object_lookup(&obj, repo, &oids[B], GIT_OBJECT_COMMIT));
	CHECK(!git_tag_create(&tag, repo, "v1.0", obj, tagger, "v1.0\n", 0));
	git_object_free(obj);
	CHECK(!git_object_lookup(&obj, repo, &blob, GIT_OBJECT_BLOB));
	CHECK(!git_tag_create(&tag, repo, "blob-tag", obj, tagger, "a blob\n", 0));
	git_object_free(obj);
	CHECK(!git_object_lookup(&obj, repo, &oids[A], GIT_OBJECT_COMMIT));
	CHECK(!git_tag_create_lightweight(&tag, repo, "light", obj, 0));
	git_object_free(obj);
	git_signature_free(tagger);

	git_tree_free(tree);
	git_repository_free(repo);
}

static void setup(struct fixture *f)
{
	const char *tmpdir = getenv("TMPDIR");

	strbuf_init(&f->tmp, 0);
	strbuf_init(&f->path, 0);
	strbuf_addf(&f->tmp, "%s/kbloat-test-repo-XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
	if (!mkdtemp(f->tmp.buf)) {
		perror(f->tmp.buf);
		exit(1);
	}
	strbuf_addf(&f->path, "%s/linux", f->tmp.buf);
	git_libgit2_init();
	make_repo(f);
	git_libgit2_shutdown();
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

static void teardown(struct fixture *f)
{
	CHECK(!nftw(f->tmp.buf, remove_one, 16, FTW_DEPTH | FTW_PHYS));
	strbuf_release(&f->tmp);
	strbuf_release(&f->path);
}

/* Which commit of the fixture sha is, or -1. */
static int which(const struct fixture *f, const char *sha)
{
	int i;

	for (i = 0; i < NCOMMITS; i++)
		if (!strcmp(f->sha[i], sha))
			return i;
	return -1;
}

/* shas[0..n) as fixture names, space-separated, into sb. */
static void name_list(struct strbuf *sb, const struct fixture *f, char (*shas)[41], size_t n)
{
	size_t i;

	strbuf_reset(sb);
	for (i = 0; i < n; i++) {
		int k = which(f, shas[i]);

		strbuf_addf(sb, "%s%s", i ? " " : "", k < 0 ? shas[i] : names[k]);
	}
}

static void open_takes_a_work_tree_or_a_git_dir(struct fixture *f)
{
	struct strbuf sb = STRBUF_INIT;
	struct kb_repo *r;

	CHECK(!kb_repo_open(&r, f->path.buf));
	CHECK_STR(kb_repo_path(r), f->path.buf);
	CHECK(kb_repo_git(r) != NULL);
	kb_repo_free(r);

	strbuf_addf(&sb, "%s/.git", f->path.buf);
	CHECK(!kb_repo_open(&r, sb.buf));
	kb_repo_free(r);

	/* the temporary directory holds a repository but is none: no searching */
	CHECK(kb_repo_open(&r, f->tmp.buf) == KB_ERR);
	CHECK(r == NULL);
	strbuf_reset(&sb);
	strbuf_addf(&sb, "%s: not a git repository", f->tmp.buf);
	CHECK_STR(kb_error_last(), sb.buf);

	strbuf_reset(&sb);
	strbuf_addf(&sb, "%s/linux/README", f->tmp.buf);
	CHECK(kb_repo_open(&r, sb.buf) == KB_ERR);
	strbuf_addstr(&sb, ": not a git repository");
	CHECK_STR(kb_error_last(), sb.buf);
	strbuf_release(&sb);
}

static void check_resolves(struct kb_repo *r, const char *rev, const char *want)
{
	char sha[41];

	kb_error_clear();
	CHECK(!kb_repo_resolve(r, rev, sha));
	CHECK_STR(sha, want);
	CHECK_STR(kb_error_last(), "");
}

static void check_resolve_fails(struct kb_repo *r, const char *rev, const char *problem)
{
	struct strbuf want = STRBUF_INIT;
	char sha[41] = "x";

	strbuf_addf(&want, "%s: %s", rev, problem);
	CHECK(kb_repo_resolve(r, rev, sha) == KB_ERR);
	CHECK_STR(sha, "");
	CHECK_STR(kb_error_last(), want.buf);
	strbuf_release(&want);
}

static void resolve_takes_shas_prefixes_refs_tags_and_ancestry(struct fixture *f)
{
	struct strbuf sb = STRBUF_INIT;
	struct kb_repo *r;
	char prefix[13];

	CHECK(!kb_repo_open(&r, f->path.buf));
	check_resolves(r, f->sha[M], f->sha[M]);
	memcpy(prefix, f->sha[S1], 12);
	prefix[12] = '\0';
	check_resolves(r, prefix, f->sha[S1]);
	check_resolves(r, "HEAD", f->sha[C]);
	check_resolves(r, "main", f->sha[C]);
	check_resolves(r, "side", f->sha[S2]);
	check_resolves(r, "HEAD~1", f->sha[M]);
	check_resolves(r, "HEAD~2", f->sha[B]);
	check_resolves(r, "HEAD^^2", f->sha[S2]);
	check_resolves(r, "v1.0", f->sha[B]); /* annotated: peeled to its commit */
	check_resolves(r, "light", f->sha[A]);
	check_resolves(r, "refs/tags/v1.0^{commit}", f->sha[B]);

	strbuf_addf(&sb, "unknown revision in %s", f->path.buf);
	check_resolve_fails(r, "nope", sb.buf);
	check_resolve_fails(r, "HEAD~9", sb.buf);
	check_resolve_fails(r, "v1.0..main", sb.buf);
	check_resolve_fails(r, "HEAD^{tree}", "not a commit (tree)");
	check_resolve_fails(r, "blob-tag", "not a commit (blob)");
	kb_repo_free(r);
	strbuf_release(&sb);
}

static void commit_info_reads_parents_author_dates_and_the_first_line(struct fixture *f)
{
	struct kb_commit_info ci;
	struct strbuf sb = STRBUF_INIT;
	struct kb_repo *r;

	CHECK(!kb_repo_open(&r, f->path.buf));
	CHECK(!kb_repo_commit_info(r, f->sha[C], &ci));
	CHECK_STR(ci.sha, f->sha[C]);
	CHECK_STR(ci.parent, f->sha[M]);
	CHECK_U64(ci.nparents, 1);
	CHECK_STR(ci.author_name, "Ada Author");
	CHECK_STR(ci.author_email, "ada@example.org");
	CHECK_U64(ci.author_time, 1000004000);
	CHECK_U64(ci.committer_time, 1000004060);
	/* the first line only: git's %s (git_commit_summary) would add "by a lot" */
	CHECK_STR(ci.subject, "kbuild: shrink the image");
	kb_commit_info_release(&ci);
	CHECK(ci.subject == NULL && ci.sha[0] == '\0');
	kb_commit_info_release(&ci);

	CHECK(!kb_repo_commit_info(r, f->sha[M], &ci));
	CHECK_STR(ci.parent, f->sha[B]);
	CHECK_U64(ci.nparents, 2);
	CHECK_STR(ci.subject, "Merge branch 'side'");
	kb_commit_info_release(&ci);

	CHECK(!kb_repo_commit_info(r, f->sha[B], &ci));
	CHECK_STR(ci.subject, "sched: fix b"); /* CRLF and trailing blanks dropped */
	kb_commit_info_release(&ci);

	CHECK(!kb_repo_commit_info(r, f->sha[R], &ci));
	CHECK_STR(ci.parent, "");
	CHECK_U64(ci.nparents, 0);
	CHECK_STR(ci.subject, "init: the root");
	kb_commit_info_release(&ci);

	CHECK(kb_repo_commit_info(r, "HEAD", &ci) == KB_ERR);
	CHECK_STR(kb_error_last(), "HEAD: not a full commit sha");
	CHECK(ci.author_name == NULL);
	CHECK(kb_repo_commit_info(r, "0123456789012345678901234567890123456789", &ci) == KB_ERR);
	strbuf_addf(&sb, "0123456789012345678901234567890123456789: no such commit in %s",
		    f->path.buf);
	CHECK_STR(kb_error_last(), sb.buf);
	strbuf_release(&sb);
	kb_repo_free(r);
}

struct walk_log {
	const struct fixture *f;
	struct strbuf seen; /* fixture names, space-separated */
	int stop_at; /* the commit whose visit returns 7, or -1 */
	int strings_ok;
};

static int log_commit(const struct kb_commit_info *ci, void *arg)
{
	struct walk_log *log = arg;
	int k = which(log->f, ci->sha);

	strbuf_addf(&log->seen, "%s%s", log->seen.len ? " " : "", k < 0 ? ci->sha : names[k]);
	log->strings_ok &= ci->author_name && !strcmp(ci->author_email, "ada@example.org");
	return k == log->stop_at ? 7 : 0;
}

static void check_walk(struct kb_repo *r, const struct fixture *f, int from, size_t max,
		       int stop_at, int want_ret, const char *want)
{
	struct walk_log log = { f, STRBUF_INIT, stop_at, 1 };

	CHECK(kb_repo_walk_first_parents(r, f->sha[from], max, log_commit, &log) == want_ret);
	CHECK_STR(log.seen.buf, want);
	CHECK(log.strings_ok);
	strbuf_release(&log.seen);
}

static void walk_follows_first_parents_until_told_root_or_max(struct fixture *f)
{
	struct walk_log log = { f, STRBUF_INIT, -1, 1 };
	struct kb_repo *r;

	CHECK(!kb_repo_open(&r, f->path.buf));
	check_walk(r, f, C, SIZE_MAX, -1, 0, "C M B A R");
	check_walk(r, f, S2, SIZE_MAX, -1, 0, "S2 S1 A R");
	check_walk(r, f, C, SIZE_MAX, B, 7, "C M B");
	check_walk(r, f, C, SIZE_MAX, C, 7, "C");
	check_walk(r, f, C, 2, -1, 0, "C M");
	check_walk(r, f, C, 5, -1, 0, "C M B A R");
	check_walk(r, f, C, 0, -1, 0, "");
	check_walk(r, f, R, SIZE_MAX, -1, 0, "R");

	CHECK(kb_repo_walk_first_parents(r, "deadbeef", SIZE_MAX, log_commit, &log) == KB_ERR);
	CHECK_STR(kb_error_last(), "deadbeef: not a full commit sha");
	CHECK_STR(log.seen.buf, "");
	kb_repo_free(r);
}

/*
 * `git rev-list --reverse --date-order [--first-parent] RANGE` in the fixture, as names;
 * returns -1 if the git program cannot be run (the comparison is then skipped).
 */
static int git_rev_list(struct strbuf *out, const struct fixture *f, const char *range,
			int first_parent)
{
	char *argv[9], buf[4096];
	posix_spawn_file_actions_t fa;
	struct strbuf raw = STRBUF_INIT;
	int pipefd[2], status, argc = 0;
	char *line, *save;
	ssize_t got;
	pid_t pid;

	argv[argc++] = "git";
	argv[argc++] = "-C";
	argv[argc++] = f->path.buf;
	argv[argc++] = "rev-list";
	argv[argc++] = "--reverse";
	argv[argc++] = "--date-order";
	if (first_parent)
		argv[argc++] = "--first-parent";
	argv[argc++] = (char *)range;
	argv[argc] = NULL;

	if (pipe(pipefd))
		return -1;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], 1);
	posix_spawn_file_actions_addclose(&fa, pipefd[0]);
	posix_spawn_file_actions_addclose(&fa, pipefd[1]);
	status = posix_spawnp(&pid, "git", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(pipefd[1]);
	if (status) {
		close(pipefd[0]);
		return -1;
	}
	while ((got = read(pipefd[0], buf, sizeof(buf))) > 0)
		strbuf_add(&raw, buf, got);
	close(pipefd[0]);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status)) {
		strbuf_release(&raw);
		return -1;
	}

	strbuf_reset(out);
	for (line = strtok_r(raw.buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		int k = which(f, line);

		strbuf_addf(out, "%s%s", out->len ? " " : "", k < 0 ? line : names[k]);
	}
	strbuf_release(&raw);
	return 0;
}

static void check_range(struct kb_repo *r, const struct fixture *f, const char *range,
			int first_parent, const char *want)
{
	struct strbuf got = STRBUF_INIT, git = STRBUF_INIT;
	char(*shas)[41];
	size_t n;

	CHECK(!kb_repo_range(r, range, first_parent, &shas, &n));
	name_list(&got, f, shas, n);
	CHECK_STR(got.buf, want);
	if (!git_rev_list(&git, f, range, first_parent))
		CHECK_STR(got.buf, git.buf);
	else
		fprintf(stderr, "test_repo: git not runnable; %s not compared with rev-list\n",
			range);
	free(shas);
	strbuf_release(&got);
	strbuf_release(&git);
}

static void range_lists_oldest_first_and_follows_first_parents_when_asked(struct fixture *f)
{
	struct strbuf sb = STRBUF_INIT;
	struct kb_repo *r;
	char(*shas)[41];
	size_t n;

	CHECK(!kb_repo_open(&r, f->path.buf));
	check_range(r, f, "main", 0, "R A S1 B S2 M C");
	check_range(r, f, "main", 1, "R A B M C");
	check_range(r, f, "light..main", 0, "S1 B S2 M C");
	check_range(r, f, "light..main", 1, "B M C");
	check_range(r, f, "v1.0..HEAD~1", 0, "S1 S2 M");
	check_range(r, f, "v1.0..HEAD~1", 1, "M");
	/* B is reachable from side only through S2's second parent: still excluded */
	check_range(r, f, "side..main", 0, "M C");
	check_range(r, f, "side..main", 1, "M C");
	check_range(r, f, "v1.0..", 1, "M C"); /* an empty side is HEAD */
	check_range(r, f, "main..v1.0", 0, "");

	CHECK(kb_repo_range(r, "nope..main", 0, &shas, &n) == KB_ERR);
	CHECK(shas == NULL && n == 0);
	strbuf_addf(&sb, "nope: unknown revision in %s", f->path.buf);
	CHECK_STR(kb_error_last(), sb.buf);
	CHECK(kb_repo_range(r, "v1.0..HEAD^{tree}", 0, &shas, &n) == KB_ERR);
	CHECK_STR(kb_error_last(), "HEAD^{tree}: not a commit (tree)");
	CHECK(kb_repo_range(r, "v1.0...main", 0, &shas, &n) == KB_ERR);
	CHECK_STR(kb_error_last(), "v1.0...main: symmetric difference (A...B) not supported");
	kb_repo_free(r);
	strbuf_release(&sb);
}

int main(void)
{
	struct fixture f;

	setup(&f);
	open_takes_a_work_tree_or_a_git_dir(&f);
	resolve_takes_shas_prefixes_refs_tags_and_ancestry(&f);
	commit_info_reads_parents_author_dates_and_the_first_line(&f);
	walk_follows_first_parents_until_told_root_or_max(&f);
	range_lists_oldest_first_and_follows_first_parents_when_asked(&f);
	teardown(&f);
	kb_error_clear();
	return check_done("test_repo");
}
