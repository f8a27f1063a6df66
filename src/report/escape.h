/*
 * escape.h - the one escaper of each output language the reports write: whatever they did
 * not write themselves (names, subjects, paths, symbols from a repository or a database)
 * goes through here. None of them trusts its input to be UTF-8 or free of control bytes.
 *
 * What each does with a byte that is not valid UTF-8 (or a control character) is shown as
 * the four characters \xNN (its hex value) in text, Markdown, HTML and XML: readable, never
 * blank, and the document stays valid in its language. JSON keeps every byte
 * (kb_json_str in json.h).
 */
#ifndef KB_REPORT_ESCAPE_H
#define KB_REPORT_ESCAPE_H

#include "strbuf.h"

#include <stddef.h>
#include <stdio.h>

/*
 * The length of the valid UTF-8 character at s (1 to 4 bytes; overlong forms, surrogates
 * and code points above U+10FFFF are not valid), or 0 if s does not start one. Reads no
 * further than a NUL.
 */
size_t kb_utf8_len(const char *s);

/* s as HTML text or attribute value: & < > " ' escaped, control characters (C0 but tab
 * and line ends, DEL, C1) and bytes that are not UTF-8 as \xNN (NULL writes nothing). */
void kb_escape_html(FILE *f, const char *s);
/* s as XML 1.0 text or attribute value: & < > " ' escaped, and what XML cannot hold (the
 * control characters but tab and line ends, U+FFFE, U+FFFF, bytes that are not UTF-8) as
 * \xNN, and so are DEL and the C1 controls. */
void kb_escape_xml(FILE *f, const char *s);

/*
 * s as a field of a text report on a terminal: valid UTF-8 but the C0 controls, DEL and the
 * C1 controls (U+0080..U+009F), which are written as \xNN, as are bytes that are not
 * UTF-8. A line end or tab in s is a control too: a field stays on its line. Always, not
 * only on a terminal, so that what a report prints does not depend on where it goes.
 * kb_text resets sb to it and returns its text (for printf's widths); kb_escape_text
 * writes it.
 */
const char *kb_text(struct strbuf *sb, const char *s);
void kb_escape_text(FILE *f, const char *s);
/*
 * s as a gnuplot data string: kb_text's printable text in double quotes, its own double
 * quotes made single (a data string cannot hold one). gnuplot reads data as data: nothing
 * in it is evaluated, and the scripts draw it noenhanced. NULL is "".
 */
void kb_escape_gnuplot(FILE *f, const char *s);
/* kb_text, cut to at most max bytes between two characters (never inside one, so that a
 * column stays UTF-8: printf's precision cuts bytes). */
const char *kb_text_cut(struct strbuf *sb, const char *s, size_t max);

/*
 * s as Markdown (GitHub's) text in a table cell or a list line: as kb_text, and the ASCII
 * punctuation Markdown or HTML would read (\ ` * _ [ ] < > | ~ & ! #) backslash-escaped;
 * never a line end or an unescaped |. kb_md resets sb and returns its text.
 */
const char *kb_md(struct strbuf *sb, const char *s);
/*
 * s as Markdown inline code (for symbols, shas and paths): between backtick fences longer
 * than any run of backticks in s, its | escaped for tables, its control characters and
 * non-UTF-8 bytes as \xNN. kb_md_code resets sb and returns its text.
 */
const char *kb_md_code(struct strbuf *sb, const char *s);

/*
 * Appends a file name for name (a config, a subsystem): name itself if it is made of
 * [A-Za-z0-9._-] only (1 to 100 bytes, not "." or ".."); else its characters so made ('_' for the
 * others, cut at 100 bytes) and "~" and 8 hex digits of a hash of name, so that "x/y"
 * and "x_y" do not fold to the same file. Never a '/', never "." or "..". Callers that
 * name several files in one directory still check the names are distinct (a hash can
 * collide).
 */
void kb_file_name(struct strbuf *sb, const char *name);

/* The file names of names[0..n), each kb_file_name's, made distinct ("~2", "~3" ... after a
 * repeat): a new array of n new strings (kb_store_names_free or free each and it). */
char **kb_file_names(const char *const *names, size_t n);

#endif
