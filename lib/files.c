/*
 * files.c - where a program finds its data files; see files.h.
 */
#include "files.h"

#include <stdlib.h>
#include <sys/stat.h>

const char *kb_data_dir(const char *env, const char *source, const char *installed)
{
	const char *v = getenv(env);
	struct stat st;

	if (v && *v)
		return v;
	if (!stat(source, &st) && S_ISDIR(st.st_mode))
		return source;
	return installed;
}
