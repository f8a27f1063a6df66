/*
 * site_feed.c - feed.xml, the site's Atom feed (RFC 4287) of the regressions over the
 * threshold on each config's first-parent line, newest first, so that people can subscribe
 * to the shame. Every text from a repository or database goes through kb_escape_xml; the
 * ids are URNs of shas and the configs' file names, the links relative to the feed (which
 * lies beside index.html) or, with --site-url, absolute: many feed readers resolve a
 * relative link against the feed's own address, some not at all. See site.h.
 */
#include "site_html.h"

#include "escape.h"
#include "sha.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

struct entry {
	const struct kb_site_config *c;
	const struct kb_line_build *b;
	int64_t time;
};

static int newest_first(const void *x, const void *y)
{
	const struct entry *a = x, *b = y;
	int c;

	if (a->time != b->time)
		return a->time > b->time ? -1 : 1;
	c = strcmp(a->b->sha, b->b->sha);
	return c ? c : strcmp(a->c->slug, b->c->slug);
}

/* RFC 3339 in UTC; a time no calendar holds is the epoch's (Atom needs a date). */
static void atom_time(FILE *f, int64_t t)
{
	struct tm tm;
	time_t tt = (time_t)t;
	char buf[32];

	if (t < 0 || t > 253402300799LL || !gmtime_r(&tt, &tm) ||
	    !strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm))
		strcpy(buf, "1970-01-01T00:00:00Z");
	fputs(buf, f);
}

/* The regressions of at least the threshold on the lines, newest first, at most m->feed. */
static struct entry *entries(const struct kb_site *m, size_t *n)
{
	struct entry *v = NULL;
	size_t nv = 0, alloc = 0, i, k;

	for (i = 0; i < m->n; i++) {
		const struct kb_site_config *c = &m->v[i];

		for (k = 0; k < c->line->n; k++) {
			const struct kb_line_build *b = &c->line->builds[k];

			if (!b->has_parent || b->delta < m->threshold || !kb_is_sha(b->sha))
				continue;
			ALLOC_GROW(v, nv + 1, alloc);
			v[nv].c = c;
			v[nv].b = b;
			v[nv++].time = c->line->times[k];
		}
	}
	if (nv)
		qsort(v, nv, sizeof(*v), newest_first);
	*n = nv < m->feed ? nv : m->feed;
	return v;
}

/* The start of the feed's links: the site's URL and a '/', or nothing (relative). */
static void base(FILE *f, const struct kb_site *m)
{
	if (m->site_url) {
		kb_escape_xml(f, m->site_url); /* kb_site_check_url's bytes, escaped all the same */
		fputc('/', f);
	}
}

static void write_entry(FILE *f, const struct kb_site *m, const struct entry *e)
{
	const struct kb_line_build *b = e->b;

	fputs("<entry>\n<title>", f);
	kb_escape_xml(f, e->c->name);
	fprintf(f, ": +%lld bytes: ", (long long)b->delta);
	kb_escape_xml(f, b->subject);
	fprintf(f, "</title>\n<id>urn:kbloat:commit:%s:%s</id>\n<updated>", b->sha, e->c->slug);
	atom_time(f, e->time);
	fputs("</updated>\n<link rel=\"alternate\" type=\"text/html\" href=\"", f);
	base(f, m);
	fprintf(f, "commit/%s-%s.html\"/>\n<author><name>", b->sha, e->c->slug);
	kb_escape_xml(f, *b->author ? b->author : "unknown");
	fprintf(f, "</name></author>\n<summary type=\"text\">%.12s grew the kernel proper of ",
		b->sha);
	kb_escape_xml(f, e->c->name);
	fprintf(f, " by %lld bytes, to %lld bytes: ", (long long)b->delta, (long long)b->total);
	kb_escape_xml(f, b->subject);
	fputs("</summary>\n</entry>\n", f);
}

size_t kb_site_write_feed(FILE *f, const struct kb_site *m)
{
	size_t n, i;
	struct entry *v = entries(m, &n);
	struct strbuf id = STRBUF_INIT;

	kb_file_name(&id, m->repo ? m->repo : "kernel");
	fputs("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	      "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n<title>",
	      f);
	kb_escape_xml(f, m->repo ? m->repo : "kernel");
	fprintf(f, ": size regressions of %lld bytes or more</title>\n", (long long)m->threshold);
	fprintf(f, "<id>urn:kbloat:feed:%s</id>\n<updated>", id.buf);
	atom_time(f, n ? v[0].time : m->generated);
	fputs("</updated>\n<link rel=\"alternate\" type=\"text/html\" href=\"", f);
	base(f, m);
	fputs("index.html\"/>\n<link rel=\"self\" type=\"application/atom+xml\" href=\"", f);
	base(f, m);
	fputs("feed.xml\"/>\n<generator>kbloat " KB_VERSION "</generator>\n", f);
	for (i = 0; i < n; i++)
		write_entry(f, m, &v[i]);
	fputs("</feed>\n", f);
	free(v);
	strbuf_release(&id);
	return n;
}
