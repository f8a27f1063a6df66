/*
 * test_checkout.c - a commit checked out into a private work tree: the files are the commit's,
 * a checkout against a baseline rewrites only what changed (unchanged files keep their times,
 * so kbuild rebuilds only what changed) and removes what went away, and the repository's own
 * index and work tree are left alone.
 */
#include "check.h"

#include "repo.h"
#include "run.h"
#include "strbuf.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utime.h>

static char root[] = "/tmp/kb-test-checkout-XXXXXX";
static const char *const git_env[] = {
	"GIT_AUTHOR_NAME=T",
	"GIT_AUTHOR_EMAIL=t@example.org",
	"GIT_COMMITTER_NAME=T",
	"GIT_COMMITTER_EMAIL=t@example.org",
	"GIT_AUTHOR_DATE=2026-01-01T00:00:00Z",
	"GIT_COMMITTER_DATE=2026-01-01T00:00:00Z",
	"GIT_CONFIG_NOSYSTEM=1",
	"GIT_CONFIG_GLOBAL=/dev/null",
	NULL,
};

static int git(const char *log, const char *a1, const char *a2, const char *a3, const char *a4)
{
	struct strbuf repo = STRBUF_INIT;
	const char *argv[8];
	struct kb_run r = { argv, git_env, NULL, log, 30 };
	struct kb_run_result res;
	int n = 0, rc;

	strbuf_addf(&repo, "%s/repo", root);
	argv[n++] = "git";
	argv[n++] = "-C";
	argv[n++] = repo.buf;
	argv[n++] = a1;
	argv[n++] = a2;
	argv[n++] = a3;
	argv[n++] = a4;
	argv[n] = NULL;
	rc = kb_run(&r, &res) || !res.exited || res.code;
	strbuf_release(&repo);
	return rc;
}

static void put(const char *rel, const char *text)
{
	struct strbuf p = STRBUF_INIT;
	FILE *f;

	strbuf_addf(&p, "%s/%s", root, rel);
	f = fopen(p.buf, "w");
	fputs(text, f);
	fclose(f);
	strbuf_release(&p);
}

static const char *get(struct strbuf *sb, const char *rel)
{
	struct strbuf p = STRBUF_INIT;

	strbuf_reset(sb);
	strbuf_addf(&p, "%s/%s", root, rel);
	if (strbuf_read_file(sb, p.buf))
		strbuf_addstr(sb, "(missing)");
	strbuf_release(&p);
	return sb->buf;
}

static time_t mtime(const char *rel)
{
	struct strbuf p = STRBUF_INIT;
	struct stat st;

	strbuf_addf(&p, "%s/%s", root, rel);
	if (stat(p.buf, &st))
		st.st_mtime = 0;
	strbuf_release(&p);
	return st.st_mtime;
}

static void age(const char *rel)
{
	struct strbuf p = STRBUF_INIT;
	struct utimbuf t = { 1000000, 1000000 };

	strbuf_addf(&p, "%s/%s", root, rel);
	utime(p.buf, &t);
	strbuf_release(&p);
}

int main(void)
{
	struct strbuf sb = STRBUF_INIT, wt = STRBUF_INIT, repo_path = STRBUF_INIT,
		      log = STRBUF_INIT;
	struct kb_repo *r = NULL;
	char one[41], two[41];

	if (!mkdtemp(root))
		return 2;
	strbuf_addf(&repo_path, "%s/repo", root);
	strbuf_addf(&wt, "%s/wt", root);
	strbuf_addf(&log, "%s/git.log", root);
	mkdir(repo_path.buf, 0755);
	CHECK(git(log.buf, "init", "-q", "-b", "main") == 0);
	put("repo/a.c", "int a = 1;\n");
	put("repo/b.c", "int b;\n");
	put("repo/d.c", "int d;\n");
	CHECK(git(log.buf, "add", "a.c", "b.c", "d.c") == 0);
	CHECK(git(log.buf, "commit", "-q", "-m", "one") == 0);
	put("repo/a.c", "int a = 2;\n");
	put("repo/c.c", "int c;\n");
	CHECK(git(log.buf, "rm", "-q", "d.c", "--") == 0);
	CHECK(git(log.buf, "add", "a.c", "c.c", "--") == 0);
	CHECK(git(log.buf, "commit", "-q", "-m", "two") == 0);

	CHECK(kb_repo_open(&r, repo_path.buf) == 0);
	CHECK(kb_repo_resolve(r, "HEAD~1", one) == 0);
	CHECK(kb_repo_resolve(r, "HEAD", two) == 0);
	CHECK(kb_repo_checkout(r, one, wt.buf, NULL, NULL) == 0);
	CHECK_STR(get(&sb, "wt/a.c"), "int a = 1;\n");
	CHECK_STR(get(&sb, "wt/d.c"), "int d;\n");
	CHECK_STR(get(&sb, "wt/c.c"), "(missing)");

	age("wt/a.c");
	age("wt/b.c");
	CHECK(kb_repo_checkout(r, two, wt.buf, one, NULL) == 0);
	CHECK_STR(get(&sb, "wt/a.c"), "int a = 2;\n");
	CHECK_STR(get(&sb, "wt/c.c"), "int c;\n");
	CHECK_STR(get(&sb, "wt/d.c"), "(missing)");
	CHECK(mtime("wt/b.c") == 1000000); /* unchanged: left alone */
	CHECK(mtime("wt/a.c") != 1000000); /* changed: written */

	/* the changes between the two trees, as the collector's skip decision reads them */
	{
		struct kb_path_changes c;
		int seen = 0;
		size_t i;

		CHECK(kb_repo_changes(r, one, two, &c) == 0);
		CHECK(c.n == 3);
		for (i = 0; i < c.n; i++) {
			if (!strcmp(c.v[i].path, "a.c") && c.v[i].kind == KB_CHANGE_MODIFIED)
				seen |= 1;
			if (!strcmp(c.v[i].path, "c.c") && c.v[i].kind == KB_CHANGE_ADDED)
				seen |= 2;
			if (!strcmp(c.v[i].path, "d.c") && c.v[i].kind == KB_CHANGE_DELETED)
				seen |= 4;
		}
		CHECK(seen == 7);
		kb_path_changes_release(&c);
		CHECK(kb_repo_changes(r, two, two, &c) == 0 && c.n == 0);
		kb_path_changes_release(&c);
	}

	/* the repository's own work tree and index are as they were */
	unlink(log.buf);
	CHECK(git(log.buf, "status", "--porcelain", "--untracked-files=no", "--") == 0);
	CHECK_STR(get(&sb, "git.log"), "");
	CHECK(kb_repo_checkout(r, "0123456789012345678901234567890123456789", wt.buf, NULL, NULL) <
	      0);

	kb_repo_free(r);
	strbuf_release(&sb);
	strbuf_release(&wt);
	strbuf_release(&repo_path);
	strbuf_release(&log);
	{
		const char *rm[] = { "rm", "-rf", root, NULL };
		struct kb_run run = { rm, NULL, NULL, NULL, 30 };
		struct kb_run_result res;

		kb_run(&run, &res);
	}
	return check_done("test_checkout");
}
