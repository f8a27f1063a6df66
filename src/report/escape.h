/*
 * escape.h - the one escaper of each markup language the reports write: whatever they did
 * not write themselves (names, subjects, paths, symbols from a repository or a database)
 * goes through here.
 */
#ifndef KB_REPORT_ESCAPE_H
#define KB_REPORT_ESCAPE_H

#include <stdio.h>

/* s as HTML text or attribute value: & < > " ' escaped (NULL writes nothing). */
void kb_escape_html(FILE *f, const char *s);
/* s as XML 1.0 text or attribute value: & < > " ' escaped, and the control characters
 * XML cannot hold (all but tab and line ends) written as '?'. */
void kb_escape_xml(FILE *f, const char *s);

#endif
