/*
 * sha.h - what a full commit sha is, as kbloat stores and prints them: 40 lowercase hex
 * digits. One test, shared by the store (no other sha leaves it) and the reports (no other
 * sha becomes a file name or a link).
 */
#ifndef KB_SHA_H
#define KB_SHA_H

/* 1 when s (which may be NULL) is 40 lowercase hex digits and nothing more. */
int kb_is_sha(const char *s);
/* 1 when s[0..40) (40 bytes that are there to read) are lowercase hex digits: kb_is_sha of a
 * string whose length is known to be 40. */
int kb_is_hex40(const char *s);

#endif
