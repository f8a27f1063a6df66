/*
 * files.c - where a program finds its data files, and opening one for reading; see files.h.
 */
#include "files.h"

#include "error.h"
#include "xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* 1 if path is a directory */
static int is_dir(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISDIR(st.st_mode);
}

void kb_data_dir(struct strbuf *out, const struct kb_data_where *w)
{
	const char *v = getenv(w->env), *slash;
	char *exe = realpath("/proc/self/exe", NULL);
	size_t n = w->build_dir ? strlen(w->build_dir) : 0;
	size_t len = out->len;

	if (v && *v) {
		strbuf_addstr(out, v);
	} else if (exe && n && !strncmp(exe, w->build_dir, n) && exe[n] == '/' &&
		   is_dir(w->source)) {
		strbuf_addstr(out, w->source);
	} else {
		slash = exe ? strrchr(exe, '/') : NULL;
		if (slash) {
			strbuf_add(out, exe, (size_t)(slash - exe) + 1);
			strbuf_addstr(out, w->relative);
		}
		if (!slash || !is_dir(out->buf + len)) {
			strbuf_setlen(out, len);
			strbuf_addstr(out, w->installed);
		}
	}
	free(exe);
}

int kb_open_regular(const char *path)
{
	return kb_open_readable(path, 0);
}

int kb_open_readable(const char *path, int allow_pipe)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC), flags;

	if (fd < 0)
		return -1;
	if (fstat(fd, &st)) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	if (!S_ISREG(st.st_mode) && !(allow_pipe && S_ISFIFO(st.st_mode))) {
		close(fd);
		errno = KB_ENOTREG;
		return -1;
	}
	flags = fcntl(fd, F_GETFL);
	if (flags >= 0)
		fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
	return fd;
}

const char *kb_strerror(int err)
{
	return err == KB_ENOTREG ? "not a regular file" : strerror(err);
}

int kb_mkdirs(const char *path)
{
	char *p = xstrdup(path), *s;

	for (s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = 0;
		if (mkdir(p, 0777) && errno != EEXIST)
			goto fail;
		*s = '/';
	}
	if (mkdir(p, 0777) && errno != EEXIST)
		goto fail;
	free(p);
	return 0;
fail:
	kb_error_set("%s: cannot create the directory: %s", p, strerror(errno));
	free(p);
	return KB_ERR;
}
