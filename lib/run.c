/*
 * run.c - build steps as processes; see run.h.
 */
#include "run.h"

#include "error.h"
#include "files.h"
#include "xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* environ with r->env's names replaced or added */
static char **make_env(const char *const *add)
{
	size_t n = 0, k = 0, i, j;
	char **env;

	while (environ[n])
		n++;
	while (add && add[k])
		k++;
	env = xcalloc(n + k + 1, sizeof(*env));
	for (i = 0, j = 0; i < n; i++) {
		size_t a, len = strcspn(environ[i], "=");
		int replaced = 0;

		for (a = 0; a < k && !replaced; a++)
			replaced = !strncmp(add[a], environ[i], len) && add[a][len] == '=';
		if (!replaced)
			env[j++] = environ[i];
	}
	for (i = 0; i < k; i++)
		env[j++] = (char *)add[i];
	return env;
}

/* Ends the process group: TERM, a grace period, then KILL. */
static void end_group(pid_t pid)
{
	double deadline = now() + 5.0;
	int status;

	kill(-pid, SIGTERM);
	while (now() < deadline) {
		if (waitpid(pid, &status, WNOHANG) == pid) {
			kill(-pid, SIGKILL); /* children that outlived make */
			return;
		}
		usleep(20000);
	}
	kill(-pid, SIGKILL);
}

static unsigned long long start_ticks(long pid);

/* "PID STARTTIME": the start time tells this process from a later one given the same pid */
static void write_pid(const char *path, pid_t pid)
{
	FILE *f = fopen(path, "w");

	if (f) {
		fprintf(f, "%ld %llu\n", (long)pid, start_ticks(pid));
		fclose(f);
	}
}

static int run_spawned(const struct kb_run *r, struct kb_run_result *res);

int kb_run(const struct kb_run *r, struct kb_run_result *res)
{
	int rc = run_spawned(r, res);

	if (r->pidfile)
		unlink(r->pidfile);
	return rc;
}

static int run_spawned(const struct kb_run *r, struct kb_run_result *res)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t none, all;
	char **env = make_env(r->env);
	double start = now();
	pid_t pid;
	int status = 0, err, got;

	memset(res, 0, sizeof(*res));
	posix_spawn_file_actions_init(&fa);
	posix_spawnattr_init(&attr);
	sigemptyset(&none);
	sigfillset(&all);
	/* its own process group, default signal handling, nothing blocked */
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK |
						POSIX_SPAWN_SETSIGDEF);
	posix_spawnattr_setpgroup(&attr, 0);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setsigdefault(&attr, &all);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	if (r->cwd)
		posix_spawn_file_actions_addchdir_np(&fa, r->cwd);
	posix_spawn_file_actions_addopen(&fa, 1, r->log ? r->log : "/dev/null",
					 O_WRONLY | O_CREAT | O_APPEND, 0644);
	posix_spawn_file_actions_adddup2(&fa, 1, 2);
	err = posix_spawnp(&pid, r->argv[0], &fa, &attr, (char *const *)r->argv, env);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	free(env);
	if (err)
		return kb_error_set("%s: cannot run: %s", r->argv[0], strerror(err));
	if (r->pidfile)
		write_pid(r->pidfile, pid);
	for (;;) {
		got = waitpid(pid, &status, r->timeout > 0 || r->stop ? WNOHANG : 0);
		if (got == pid)
			break;
		if (got < 0 && errno != EINTR) {
			end_group(pid);
			return kb_error_set("%s: cannot wait for it: %s", r->argv[0],
					    strerror(errno));
		}
		if (r->timeout > 0 && now() - start > r->timeout) {
			end_group(pid);
			res->timed_out = 1;
			res->signal = SIGTERM;
			res->seconds = now() - start;
			return 0;
		}
		if (r->stop && *r->stop) {
			end_group(pid);
			res->stopped = 1;
			res->signal = SIGTERM;
			res->seconds = now() - start;
			return 0;
		}
		if (got == 0)
			usleep(20000);
	}
	res->seconds = now() - start;
	if (WIFEXITED(status)) {
		res->exited = 1;
		res->code = WEXITSTATUS(status);
	} else if (WIFSIGNALED(status)) {
		res->signal = WTERMSIG(status);
	}
	return 0;
}

/* 1 if process pid runs prog with an argument that starts with arg (its command line in
 * /proc/PID/cmdline, NUL-separated) */
static int runs_with_arg(long pid, const char *prog, const char *arg)
{
	struct strbuf path = STRBUF_INIT, cmd = STRBUF_INIT;
	const char *p, *end;
	int yes = 0;

	strbuf_addf(&path, "/proc/%ld/cmdline", pid);
	if (strbuf_read_file(&cmd, path.buf) || strcmp(cmd.buf, prog))
		goto out;
	end = cmd.buf + cmd.len;
	for (p = cmd.buf; p < end && !yes; p += strlen(p) + 1)
		yes = !strncmp(p, arg, strlen(arg));
out:
	strbuf_release(&path);
	strbuf_release(&cmd);
	return yes;
}

/* When process pid started: /proc/PID/stat's starttime (clock ticks after boot, the 22nd
 * field); 0 if unknown. */
static unsigned long long start_ticks(long pid)
{
	struct strbuf path = STRBUF_INIT, sb = STRBUF_INIT;
	unsigned long long ticks = 0;
	const char *p;
	int field;

	strbuf_addf(&path, "/proc/%ld/stat", pid);
	if (strbuf_read_file(&sb, path.buf) || !(p = strrchr(sb.buf, ')')))
		goto out;
	/* the fields after "pid (comm)" start with the 3rd, state */
	for (field = 2, p++; *p && field < 22; field++) {
		p += strspn(p, " ");
		if (field < 21)
			p += strcspn(p, " ");
	}
	if (field != 22 || sscanf(p, "%llu", &ticks) != 1)
		ticks = 0;
out:
	strbuf_release(&path);
	strbuf_release(&sb);
	return ticks;
}

int kb_run_reap(const char *pidfile, const char *prog, const char *arg)
{
	unsigned long long ticks = 0;
	FILE *f = fopen(pidfile, "r");
	long pid = 0;
	int ended = 0;

	if (!f)
		return 0;
	if (fscanf(f, "%ld %llu", &pid, &ticks) != 2)
		pid = 0;
	fclose(f);
	/* only the group leader it wrote (the same start time: not a later process given the
	 * pid), still running the same program with our argument */
	if (pid > 1 && ticks && start_ticks(pid) == ticks && runs_with_arg(pid, prog, arg) &&
	    getpgid((pid_t)pid) == (pid_t)pid) {
		double deadline = now() + 5.0;

		kill(-(pid_t)pid, SIGTERM);
		while (now() < deadline && !kill(-(pid_t)pid, 0))
			usleep(20000);
		kill(-(pid_t)pid, SIGKILL);
		ended = 1;
	}
	unlink(pidfile);
	return ended;
}

int kb_log_tail(const char *path, size_t max, struct strbuf *out)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p;

	/* a log may come through a pipe: record --log <(grep error: build.log) */
	if (strbuf_read_path(&sb, path, 1)) {
		kb_error_set("%s: %s", path, kb_strerror(errno));
		strbuf_release(&sb);
		return KB_ERR;
	}
	p = sb.len > max ? sb.buf + sb.len - max : sb.buf;
	if (p != sb.buf && strchr(p, '\n'))
		p = strchr(p, '\n') + 1;
	strbuf_addstr(out, p);
	strbuf_release(&sb);
	return 0;
}
