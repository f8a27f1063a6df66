/*
 * maintainers.h - the Linux MAINTAINERS file: which section owns a source path.
 *
 * Promises:
 *  - kb_maint_lookup() names the section that scripts/get_maintainer.pl lists first for
 *    `get_maintainer.pl --sections -f PATH`: sections excluded by an X: line are dropped;
 *    each other section takes the value of its last F: or N: line that matches (an F: line
 *    scores its number of '/', plus one unless it ends in '/', or -1 if it starts with '*';
 *    an N: line scores 0); the highest value wins. Where get_maintainer.pl leaves a tie
 *    to Perl's hash order, the match with the longer literal part wins (a file named
 *    outright over a glob of the same depth), then the section earlier in the file.
 *  - F: and X: patterns are globs as get_maintainer.pl reads them: '*' matches any run of
 *    characters, '/' included; '?' matches one; "[...]" is a character class; everything
 *    else is literal. A pattern matches a prefix of the path; unless it ends in '/' the
 *    path must also have as many '/' as the pattern. A pattern that names a directory of
 *    the tree is read with a trailing '/'.
 *  - N: lines are POSIX extended regular expressions searched for in the path, read as
 *    Perl's /x flag would (blanks and #-comments dropped). An N: line that does not
 *    compile is ignored, and so is one that could make glibc's regex engine slow: longer
 *    than 256 bytes, or with back-references, {} bounds, or '+' on a group or on another
 *    quantifier. The real file uses none of these.
 *  - Parsing accepts any bytes and reads none past the given length.
 *  - The map owns everything it points to; kb_maint_free() releases it all.
 *
 * A map is not safe for concurrent kb_maint_lookup() calls: lookups share scratch space.
 */
#ifndef KB_MAINTAINERS_H
#define KB_MAINTAINERS_H

#include <stddef.h>

struct kb_maint;

/*
 * Reads TREE/MAINTAINERS; whether an F: or X: pattern names a directory is decided under
 * TREE. Errors name the file: "linux/MAINTAINERS: no such file".
 */
int kb_maint_open(struct kb_maint **out, const char *tree);

/*
 * Parses len bytes of MAINTAINERS text (not necessarily NUL-terminated). name is used in
 * error messages; tree may be NULL, and then no pattern is taken for a directory. Fails
 * only if the text holds no section at all.
 */
int kb_maint_parse(struct kb_maint **out, const char *name, const char *text, size_t len,
		   const char *tree);

/*
 * The title of the section that owns path (relative to the top of the tree, as
 * "fs/ext4/inode.c"; "./" parts and repeated '/' are dropped first, as Perl's canonpath
 * would), or NULL if no section matches. The string lives until kb_maint_free().
 */
const char *kb_maint_lookup(struct kb_maint *m, const char *path);

/* An M: or L: line of a section: whom get_maintainer.pl mails for it. */
struct kb_maint_contact {
	char role; /* 'M': a maintainer ("Name <address>"); 'L': a list ("list@host (...)") */
	const char *value; /* the line after its tag, blanks at either end dropped */
};

/*
 * The M: and L: lines of the first section titled title, in the file's order; *n of them
 * (NULL and 0 when no section has that title or it has none). They live until
 * kb_maint_free(). The text is the file's: a caller that puts it in a mail header checks it.
 */
const struct kb_maint_contact *kb_maint_contacts(const struct kb_maint *m, const char *title,
						 size_t *n);

size_t kb_maint_nsections(const struct kb_maint *m);

void kb_maint_free(struct kb_maint *m);

#endif
