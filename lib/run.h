/*
 * run.h - running a build step (make, a config script) as the collector needs: from an
 * argument vector, never a shell; in its own process group, so that a timeout or an
 * interrupt ends the whole make tree; its output appended to a log; the environment
 * amended with the pinned variables a reproducible kbuild needs.
 */
#ifndef KB_RUN_H
#define KB_RUN_H

#include "strbuf.h"

#include <signal.h>

struct kb_run {
	const char *const *argv; /* argv[0] is looked up in PATH */
	const char *const *env; /* "NAME=value" to set, NULL-terminated; may be NULL */
	const char *cwd; /* NULL: the current directory */
	const char *log; /* appended to (made if missing); NULL: output discarded */
	double timeout; /* seconds; 0: none */
	/* when it becomes non-zero (a signal handler sets it), the process group is ended */
	const volatile sig_atomic_t *stop;
	/* the process group's id is written here while it runs (removed once it ended), so
	 * that a later run can end a make that outlived a kbloat killed with SIGKILL */
	const char *pidfile;
};

struct kb_run_result {
	int exited; /* 1 if it exited, with status in code */
	int code;
	int signal; /* the signal that ended it, or 0 */
	int timed_out; /* 1 if kbloat ended it for taking longer than the timeout */
	int stopped; /* 1 if kbloat ended it because *stop was set */
	double seconds;
};

/*
 * Runs r and waits for it. Returns 0 when the process ran (whatever its status; see res),
 * or KB_ERR when it could not be started (kb_error_last() names the program and why).
 */
int kb_run(const struct kb_run *r, struct kb_run_result *res);

/*
 * Ends the process group a pidfile of an earlier run names (a make left behind by a kbloat
 * killed with SIGKILL) if that process is still the one written: the same pid and start
 * time (a pid reused since is not ours), the group leader, running the program prog with an
 * argument that starts with arg (make's "O=WORK/build/"). Then removes the file. Returns 1
 * if a group was ended, 0 if not.
 */
int kb_run_reap(const char *pidfile, const char *prog, const char *arg);

/* The last max bytes of a log, from a line start. Errors name the file. */
int kb_log_tail(const char *path, size_t max, struct strbuf *out);

#endif
