/*
 * site_html.h - what the site's writers (site.c, site_pages.c, site_feed.c) share: a page's
 * frame (head with viewport, style and language; foot), the page files, links to commit
 * and author pages, and sizes as the pages print them. Internal to the site.
 */
#ifndef KB_REPORT_SITE_HTML_H
#define KB_REPORT_SITE_HTML_H

#include "site.h"

#include <stdint.h>
#include <stdio.h>

/* A page's head and title (escaped); up: the index, relative to the page (NULL: the index
 * itself, which also links the feed). */
void kb_site_page_head(FILE *f, const char *title, const char *up);
void kb_site_page_foot(FILE *f);

/* A page to write (a symbolic link in its place is not followed: an error), and its close. */
FILE *kb_site_open_page(const char *path);
int kb_site_close_page(FILE *f, const char *path);

/* A link to the commit's page (up: the path to the site's top, "" or "../"), or its (escaped)
 * short sha alone when it has none. */
void kb_site_commit_link(FILE *f, const struct kb_site_config *c, const char *sha, const char *up);
/* The name of author k of the site, linking its page. */
void kb_site_author_link(FILE *f, const struct kb_site *m, size_t k, const char *up);
/* The index of author name among the site's authors, or -1: none (not on a wall). */
long kb_site_author_find(const struct kb_site *m, const char *name);

/* Bytes as the pages print them: "1,234,567" and a signed "+1,234". */
void kb_site_bytes(FILE *f, int64_t v);
void kb_site_delta(FILE *f, int64_t v);
/* A delta's cell: right-aligned, coloured (bad: growth; good: reduction). */
void kb_site_delta_cell(FILE *f, int64_t v);
/* A date and time, UTC: "2026-12-07 07:11 UTC" (unknown: "????-??-??"). */
void kb_site_time(FILE *f, int64_t t);

/* A wide table's frame: a container that scrolls it sideways on a narrow screen. */
void kb_site_table_open(FILE *f, const char *const *heads);
void kb_site_table_close(FILE *f);

/*
 * The sizes of a config's subsystems with a page along its line of builds: for subsystem k
 * (of c->subsystems) and line build i, v[(k * n + i) * KB_SITE_SERIES] holds the
 * subsystem's bytes and the KB_CLS_NR after it its bytes of each class.
 */
#define KB_SITE_SERIES (1 + KB_CLS_NR)
struct kb_site_series {
	int64_t *v;
	size_t n; /* the line's builds */
};

/*
 * The commit pages of c's line of builds, made in one walk along it (each build's views from
 * its changes against the build before: show.h's kb_show_walk), and the sizes of c's
 * subsystems on that walk into *ser (whose v the caller frees, whatever is returned); adds
 * the pages to *pages.
 */
int kb_site_line_pages(const struct kb_site *m, struct kb_store *s, const char *outdir,
		       const struct kb_site_config *c, struct kb_site_series *ser, size_t *pages);
/* The subsystem, commit and author pages (site_pages.c): a commit page of any build. */
int kb_site_commit_page(const struct kb_site *m, struct kb_store *s, const char *outdir,
			const struct kb_site_config *c, const char *sha);
int kb_site_subsystem_page(const struct kb_site *m, const struct kb_site_series *ser,
			   const char *outdir, const struct kb_site_config *c, size_t k,
			   size_t *charts);
int kb_site_author_page(const struct kb_site *m, const char *outdir, size_t k);

#endif
