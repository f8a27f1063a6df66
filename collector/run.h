/*
 * run.h - running a build step (make, a config script) as the collector needs: from an
 * argument vector, never a shell; in its own process group, so that a timeout or an
 * interrupt ends the whole make tree; its output appended to a log; the environment
 * amended with the pinned variables a reproducible kbuild needs.
 */
#ifndef KB_RUN_H
#define KB_RUN_H

#include "util/strbuf.h"

struct kb_run {
	const char *const *argv; /* argv[0] is looked up in PATH */
	const char *const *env; /* "NAME=value" to set, NULL-terminated; may be NULL */
	const char *cwd; /* NULL: the current directory */
	const char *log; /* appended to (made if missing); NULL: output discarded */
	double timeout; /* seconds; 0: none */
};

struct kb_run_result {
	int exited; /* 1 if it exited, with status in code */
	int code;
	int signal; /* the signal that ended it, or 0 */
	int timed_out; /* 1 if kbloat ended it for taking longer than the timeout */
	double seconds;
};

/*
 * Runs r and waits for it. Returns 0 when the process ran (whatever its status; see res),
 * or KB_ERR when it could not be started (kb_error_last() names the program and why).
 */
int kb_run(const struct kb_run *r, struct kb_run_result *res);

/* The last max bytes of a log, from a line start. Errors name the file. */
int kb_log_tail(const char *path, size_t max, struct strbuf *out);

#endif
