/*
 * test_run.c - build steps run from argument vectors: output lands in the log, exit status
 * and signals are told apart, the environment is amended, a timeout ends the whole process
 * group, and a program that does not exist is an error naming it.
 */
#include "check.h"

#include "run.h"
#include "error.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[] = "/tmp/kb-test-run-XXXXXX";
static char log_path[128];

static const char *log_text(struct strbuf *sb)
{
	strbuf_reset(sb);
	strbuf_read_file(sb, log_path);
	return sb->buf;
}

static void output_and_status_are_kept(void)
{
	const char *echo[] = { "echo", "hello from make", NULL };
	const char *fail[] = { "false", NULL };
	struct kb_run r = { echo, NULL, NULL, log_path, 0 };
	struct kb_run_result res;
	struct strbuf sb = STRBUF_INIT;

	CHECK(kb_run(&r, &res) == 0);
	CHECK(res.exited && res.code == 0 && !res.timed_out);
	CHECK(strstr(log_text(&sb), "hello from make\n") != NULL);
	r.argv = fail;
	CHECK(kb_run(&r, &res) == 0);
	CHECK(res.exited && res.code == 1);
	strbuf_release(&sb);
}

static void environment_and_directory_are_set(void)
{
	const char *env[] = { "KBUILD_BUILD_USER=kbloat", "LANG=C", NULL };
	const char *show[] = { "sh", "-c", "echo user=$KBUILD_BUILD_USER lang=$LANG; pwd", NULL };
	struct kb_run r = { show, env, dir, log_path, 0 };
	struct kb_run_result res;
	struct strbuf sb = STRBUF_INIT, want = STRBUF_INIT;

	unlink(log_path);
	CHECK(kb_run(&r, &res) == 0);
	strbuf_addf(&want, "user=kbloat lang=C\n%s\n", dir);
	CHECK_STR(log_text(&sb), want.buf);
	strbuf_release(&sb);
	strbuf_release(&want);
}

static void a_timeout_ends_the_whole_group(void)
{
	char pidfile[160], script[300];
	const char *argv[] = { "sh", "-c", script, NULL };
	struct kb_run r = { argv, NULL, NULL, log_path, 0.3 };
	struct kb_run_result res;
	struct strbuf sb = STRBUF_INIT;
	long child;
	int i, gone = 0;

	snprintf(pidfile, sizeof(pidfile), "%s/pid", dir);
	/* a grandchild of the process kbloat runs, as make's compilers are */
	snprintf(script, sizeof(script), "sleep 30 & echo $! > %s; wait", pidfile);
	CHECK(kb_run(&r, &res) == 0);
	CHECK(res.timed_out);
	CHECK(res.seconds < 10);
	strbuf_read_file(&sb, pidfile);
	child = strtol(sb.buf, NULL, 10);
	CHECK(child > 0);
	for (i = 0; i < 100 && !gone; i++) {
		gone = kill((pid_t)child, 0) && errno == ESRCH;
		if (!gone)
			usleep(20000);
	}
	CHECK(gone);
	unlink(pidfile);
	strbuf_release(&sb);
}

static volatile sig_atomic_t stop_flag;

static void on_alarm(int sig)
{
	(void)sig;
	stop_flag = 1;
}

/* Ctrl-C reaches kbloat, not make (its own group): the flag kbloat's handler sets ends it. */
static void a_stop_flag_ends_the_group(void)
{
	const char *argv[] = { "sh", "-c", "sleep 30 & wait", NULL };
	struct kb_run r = { argv, NULL, NULL, log_path, 0 };
	struct kb_run_result res;
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	r.stop = &stop_flag;
	ualarm(200000, 0);
	CHECK(kb_run(&r, &res) == 0);
	CHECK(res.stopped && !res.timed_out && !res.exited);
	CHECK(res.seconds < 10);
	stop_flag = 0;
	/* a flag that stays 0 changes nothing */
	argv[2] = "exit 3";
	CHECK(kb_run(&r, &res) == 0);
	CHECK(res.exited && res.code == 3 && !res.stopped);
}

static void a_missing_program_is_named(void)
{
	const char *argv[] = { "kbloat-no-such-program", NULL };
	struct kb_run r = { argv, NULL, NULL, NULL, 0 };
	struct kb_run_result res;

	CHECK(kb_run(&r, &res) < 0);
	CHECK(strstr(kb_error_last(), "kbloat-no-such-program: cannot run") != NULL);
}

static void the_log_tail_starts_at_a_line(void)
{
	struct strbuf sb = STRBUF_INIT;
	FILE *f = fopen(log_path, "w");
	int i;

	for (i = 0; i < 100; i++)
		fprintf(f, "line %d\n", i);
	fclose(f);
	CHECK(kb_log_tail(log_path, 30, &sb) == 0);
	CHECK(!strncmp(sb.buf, "line ", 5));
	CHECK(strstr(sb.buf, "line 99\n") != NULL);
	CHECK(sb.len <= 30);
	CHECK(kb_log_tail("/nonexistent/log", 30, &sb) < 0);
	strbuf_release(&sb);
}

int main(void)
{
	int rc;

	if (!mkdtemp(dir))
		return 2;
	snprintf(log_path, sizeof(log_path), "%s/build.log", dir);
	output_and_status_are_kept();
	environment_and_directory_are_set();
	a_timeout_ends_the_whole_group();
	a_stop_flag_ends_the_group();
	a_missing_program_is_named();
	the_log_tail_starts_at_a_line();
	rc = check_done("test_run");
	unlink(log_path);
	rmdir(dir);
	return rc;
}
