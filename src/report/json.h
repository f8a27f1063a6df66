/*
 * json.h - JSON values as every report writes them (Jansson).
 *
 * Strings from a repository or a database are bytes, not always UTF-8 (Linux's history
 * has Latin-1 author names), and JSON holds only UTF-8. kb_json_str writes every string
 * and keeps every byte, by one reversible escape:
 *
 *   - valid UTF-8 passes unchanged, but for the 128 private-use characters
 *     U+F780..U+F7FF (which no kernel text uses);
 *   - every other byte b (0x80..0xff: a byte that is not part of valid UTF-8, or one of
 *     the UTF-8 bytes of U+F780..U+F7FF) is written as the character U+F700 + b.
 *
 * To get the bytes back, replace each character U+F780..U+F7FF of the JSON string by the
 * byte (code point - 0xF700) and encode every other character as UTF-8; kb_json_str_bytes
 * does so. In Python: bytes(ord(c) - 0xF700 if 0xF780 <= ord(c) <= 0xF7FF else c.encode()
 * for c in s) (with the encoded characters joined). Valid UTF-8 thus reads as itself.
 */
#ifndef KB_REPORT_JSON_H
#define KB_REPORT_JSON_H

#include "strbuf.h"

#include <jansson.h>
#include <stdint.h>

/* A JSON integer from a byte count (jansson's json_int_t is long long). */
json_t *kb_json_u64(uint64_t v);
/* A size per class (image.h's KB_CLS_NR of them) as {"text": N, ...}, by kb_class_name. */
json_t *kb_json_classes(const uint64_t *cls);
/* An address as a JSON string "0xffffffff81000000" (JSON numbers cannot hold them all). */
json_t *kb_json_addr(uint64_t v);
/* The JSON string of the bytes s, escaped as above (NULL: JSON null). Never NULL. */
json_t *kb_json_str(const char *s);
/* The bytes a JSON string written by kb_json_str holds (the string's UTF-8 as Jansson
 * returns it), appended to sb. Returns 0, or -1 if the UTF-8 is not valid. */
int kb_json_str_bytes(const char *utf8, size_t len, struct strbuf *sb);

#endif
