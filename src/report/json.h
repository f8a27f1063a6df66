/*
 * json.h - JSON values as every report writes them (Jansson).
 */
#ifndef KB_REPORT_JSON_H
#define KB_REPORT_JSON_H

#include <jansson.h>
#include <stdint.h>

/* A JSON integer from a byte count (jansson's json_int_t is long long). */
json_t *kb_json_u64(uint64_t v);
/* An address as a JSON string "0xffffffff81000000" (JSON numbers cannot hold them all). */
json_t *kb_json_addr(uint64_t v);

#endif
