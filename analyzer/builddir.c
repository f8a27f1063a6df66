/*
 * builddir.c - an image argument resolved to the files of its build: see builddir.h.
 */
#include "builddir.h"

#include "error.h"
#include "strbuf.h"
#include "xalloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int is_file(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISREG(st.st_mode);
}

static int is_dir(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISDIR(st.st_mode);
}

/* dir/name if it is a regular file, else NULL */
static char *file_in(const char *dir, const char *name)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addf(&sb, "%s/%s", dir, name);
	if (is_file(sb.buf))
		return strbuf_detach(&sb, NULL);
	strbuf_release(&sb);
	return NULL;
}

/* A tree kbuild could build: its Kconfig and Makefile (the MAINTAINERS may be missing). */
static int is_tree(const char *dir)
{
	char *k = file_in(dir, "Kconfig"), *m = file_in(dir, "Makefile");
	int yes = k && m;

	free(k);
	free(m);
	return yes;
}

/* The tree that obj's generated Makefile includes (scripts/mkmakefile: "include
 * /path/to/linux/Makefile"), or NULL. */
static char *tree_of_makefile(const char *obj)
{
	struct strbuf sb = STRBUF_INIT, path = STRBUF_INIT;
	char *line, *next, *tree = NULL;

	strbuf_addf(&path, "%s/Makefile", obj);
	if (!is_file(path.buf) || strbuf_read_file(&sb, path.buf))
		goto out;
	for (line = sb.buf; line && !tree; line = next) {
		size_t n;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (strncmp(line, "include ", 8))
			continue;
		line += 8 + strspn(line + 8, " \t");
		n = strlen(line);
		while (n && strchr(" \t\r", line[n - 1]))
			line[--n] = '\0';
		if (n <= strlen("/Makefile") || strcmp(line + n - 9, "/Makefile"))
			continue;
		line[n - 9] = '\0';
		/* $(abspath ...) or a quoted path is not a plain one: leave it */
		if (line[0] == '/' && !strpbrk(line, "$\"'") && is_tree(line))
			tree = realpath(line, NULL);
	}
out:
	kb_error_clear();
	strbuf_release(&sb);
	strbuf_release(&path);
	return tree;
}

static char *tree_of(const char *obj)
{
	struct strbuf sb = STRBUF_INIT;
	char *tree = NULL;

	strbuf_addf(&sb, "%s/source", obj);
	if (is_dir(sb.buf) && is_tree(sb.buf))
		tree = realpath(sb.buf, NULL);
	strbuf_release(&sb);
	if (!tree)
		tree = tree_of_makefile(obj);
	if (!tree && is_tree(obj))
		tree = xstrdup(obj);
	return tree;
}

int kb_input_find(struct kb_input *in, const char *arg, int no_map)
{
	struct strbuf sb = STRBUF_INIT;

	memset(in, 0, sizeof(*in));
	if (is_dir(arg)) {
		in->is_dir = 1;
		in->obj = realpath(arg, NULL);
		if (!in->obj)
			return kb_error_set("%s: %s", arg, strerror(errno));
		strbuf_addstr(&sb, arg);
		while (sb.len > 1 && sb.buf[sb.len - 1] == '/')
			strbuf_setlen(&sb, sb.len - 1);
		strbuf_addstr(&sb, sb.len && sb.buf[sb.len - 1] == '/' ? "vmlinux" : "/vmlinux");
		if (!is_file(sb.buf)) {
			strbuf_release(&sb);
			kb_input_release(in);
			return kb_error_set("%s: no vmlinux in this directory (a kernel build "
					    "directory has one after make vmlinux)",
					    arg);
		}
		in->image = strbuf_detach(&sb, NULL);
		in->config = file_in(in->obj, ".config");
		in->src = tree_of(in->obj);
	} else {
		in->image = xstrdup(arg);
	}
	if (!no_map) {
		strbuf_addf(&sb, "%s.map", in->image);
		if (is_file(sb.buf))
			in->map = strbuf_detach(&sb, NULL);
	}
	strbuf_release(&sb);
	return 0;
}

void kb_input_release(struct kb_input *in)
{
	free(in->image);
	free(in->obj);
	free(in->map);
	free(in->config);
	free(in->src);
	memset(in, 0, sizeof(*in));
}
