/*
 * json.c - JSON values as every report writes them; see json.h.
 */
#include "json.h"

#include <stdio.h>

json_t *kb_json_u64(uint64_t v)
{
	return json_integer((json_int_t)v);
}

json_t *kb_json_addr(uint64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)v);
	return json_string(buf);
}
