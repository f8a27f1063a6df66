/*
 * table.h - a listing's rows as CSV or TSV, for spreadsheets and awk: the same rows its
 * JSON holds (each report's JSON writer builds them from its typed model), so that the
 * three cannot disagree. A header row names the columns; a row's nested object becomes
 * columns "key.sub" (classes.text, classes.rodata, ...), a list one field holding its JSON,
 * null an empty field, true and false as such. Strings are the bytes the report holds (the
 * JSON's escape of non-UTF-8 bytes, json.h, undone).
 *
 * CSV follows RFC 4180: fields are separated by commas, records end in CRLF, and a field
 * holding a comma, a double quote, CR or LF is enclosed in double quotes, its quotes
 * doubled. TSV is the IANA text/tab-separated-values with the escapes of PostgreSQL's
 * text COPY: a field's backslash, tab, LF and CR are written \\, \t, \n and \r, so that
 * every record is one line and every field free of tabs; records end in LF.
 */
#ifndef KB_REPORT_TABLE_H
#define KB_REPORT_TABLE_H

#include <jansson.h>
#include <stdio.h>

enum kb_table_format {
	KB_TABLE_CSV,
	KB_TABLE_TSV,
};

/* Writes rows (a JSON array of objects) to f as a table: the header and the records, or
 * nothing when there are no rows (no columns are known). 0, or -1 if rows is not an array
 * of objects. */
int kb_table_write(FILE *f, json_t *rows, enum kb_table_format fmt);

/*
 * Appends rows (a JSON array of objects; the reference is taken) to table, each with a first
 * member "table": label: the tables of a report that has several (show's symbols and
 * subsystems) as one table whose first column says which.
 */
void kb_table_append(json_t *table, const char *label, json_t *rows);

#endif
