/*
 * mail.h - RFC 5322 messages in an mbox, for text that comes from a repository: header
 * values that cannot break out of their header (no CR or LF passes, whatever the input),
 * non-ASCII text as RFC 2047 encoded words, addresses taken only when they are plain
 * addr-specs, and mbox From_ lines with the body's "From " lines quoted (mboxrd).
 *
 * Lines end in LF, as mbox files hold them. Nothing here sends anything.
 */
#ifndef KB_REPORT_MAIL_H
#define KB_REPORT_MAIL_H

#include "strbuf.h"

#include <stdint.h>
#include <stdio.h>

/*
 * Reads a mailbox as MAINTAINERS and git write them: "Name <user@host>", "user@host", or
 * "user@host (remark)" (an L: line). Sets name (maybe empty) and addr and returns 0, or
 * returns -1 when no plain address is there: user and host of printable ASCII without
 * blanks, quotes, backslashes, brackets, parentheses, commas, semicolons, colons or '@'.
 */
int kb_mail_mailbox(const char *text, struct strbuf *name, struct strbuf *addr);

/* 1 if addr is such a plain address. */
int kb_mail_addr_ok(const char *addr);

/*
 * Appends a mailbox for an address header: addr alone without a name, else "name <addr>"
 * with name as atoms, a quoted string, or RFC 2047 encoded words when it has non-ASCII
 * text (control characters and line ends in name become blanks first).
 */
void kb_mail_add_mailbox(struct strbuf *sb, const char *name, const char *addr);

/*
 * Writes "Field: value\n" for an unstructured header (Subject): control characters and
 * line ends in value become blanks and bytes that are not UTF-8 U+FFFD; the value is
 * folded at blanks to lines of at most 78 characters where it can be, and written as
 * RFC 2047 encoded words (UTF-8, base64) when it has non-ASCII text or "=?".
 */
void kb_mail_header(FILE *f, const char *field, const char *value);

/* Writes "Field: a, b, c\n" for a list of mailboxes (kb_mail_add_mailbox's, separated by
 * '\n' in list), folded after each comma that would make a line longer than 78. */
void kb_mail_address_header(FILE *f, const char *field, const char *list);

/* t as an RFC 5322 date in UTC: "Thu, 01 Jan 2026 01:00:00 +0000" */
void kb_mail_date(int64_t t, char buf[40]);

/* The mbox From_ line of a message from addr written at t: "From addr Thu Jan  1 01:00:00
 * 2026\n" (asctime's form, UTC). */
void kb_mbox_from_line(FILE *f, const char *addr, int64_t t);

/* Writes body (len bytes) as an mbox message's body: every line that starts with ">*From "
 * gets one more '>' (mboxrd), a last line gets its LF, and a blank line ends the message. */
void kb_mbox_body(FILE *f, const char *body, size_t len);

#endif
