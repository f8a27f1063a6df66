/*
 * escape.c - HTML and XML escaping; see escape.h.
 */
#include "escape.h"

enum lang { HTML, XML };

static void escape(FILE *f, const char *s, enum lang lang)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&':
			fputs("&amp;", f);
			break;
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		case '\'':
			fputs(lang == XML ? "&apos;" : "&#39;", f);
			break;
		default:
			/* XML 1.0 allows no control characters but tab and line ends */
			if (lang == XML && (unsigned char)*s < 0x20 && *s != '\t' && *s != '\n' &&
			    *s != '\r')
				fputc('?', f);
			else
				fputc(*s, f);
		}
	}
}

void kb_escape_html(FILE *f, const char *s)
{
	escape(f, s, HTML);
}

void kb_escape_xml(FILE *f, const char *s)
{
	escape(f, s, XML);
}
