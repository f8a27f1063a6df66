/*
 * bom.c - bloat-o-meter's text and its JSON; see bom.h.
 */
#include "bom.h"
#include "escape.h"

#include "json.h"

#include <stdio.h>
#include <string.h>

double kb_change_percent(uint64_t before, uint64_t after)
{
	if (!before)
		return 0.0;
	return ((double)((int64_t)after - (int64_t)before) * 100.0) / (double)before;
}

void kb_bom_write_text(FILE *f, const struct kb_bom *b, const char *title)
{
	struct strbuf name = STRBUF_INIT;
	char old[32], new[32];
	size_t i;

	/* Python prints -down: "-0" never appears */
	fprintf(f, "add/remove: %lu/%lu grow/shrink: %lu/%lu up/down: %llu/%lld (%lld)\n", b->add,
		b->remove, b->grow, b->shrink, (unsigned long long)b->up, -(long long)b->down,
		(long long)b->up - (long long)b->down);
	fprintf(f, "%-40s %7s %7s %7s\n", title, "old", "new", "delta");
	for (i = 0; i < b->nrows; i++) {
		const struct kb_bom_row *r = &b->rows[i];

		if (!r->delta)
			continue;
		if (r->in_old)
			snprintf(old, sizeof(old), "%llu", (unsigned long long)r->old);
		else
			strcpy(old, "-");
		if (r->in_new)
			snprintf(new, sizeof(new), "%llu", (unsigned long long)r->new);
		else
			strcpy(new, "-");
		fprintf(f, "%-40s %7s %7s %+7lld\n", kb_text(&name, r->name), old, new,
			(long long)r->delta);
	}
	strbuf_release(&name);
	fprintf(f, "Total: Before=%llu, After=%llu, chg %+.2f%%\n",
		(unsigned long long)b->old_total, (unsigned long long)b->new_total,
		kb_change_percent(b->old_total, b->new_total));
}

json_t *kb_bom_rows_json(const struct kb_bom *b)
{
	json_t *rows = json_array();
	size_t i;

	for (i = 0; i < b->nrows; i++) {
		const struct kb_bom_row *r = &b->rows[i];

		if (!r->delta)
			continue;
		json_array_append_new(
			rows, json_pack("{s:o,s:o,s:o,s:I}", "name", kb_json_str(r->name), "old",
					r->in_old ? kb_json_u64(r->old) : json_null(), "new",
					r->in_new ? kb_json_u64(r->new) : json_null(), "delta",
					(json_int_t)r->delta));
	}
	return rows;
}

json_t *kb_bom_json(const struct kb_bom *b, const char *title)
{
	json_t *o = json_object();

	json_object_set_new(o, "type", json_string(title));
	json_object_set_new(o, "add", kb_json_u64(b->add));
	json_object_set_new(o, "remove", kb_json_u64(b->remove));
	json_object_set_new(o, "grow", kb_json_u64(b->grow));
	json_object_set_new(o, "shrink", kb_json_u64(b->shrink));
	json_object_set_new(o, "up", kb_json_u64(b->up));
	json_object_set_new(o, "down", kb_json_u64(b->down));
	json_object_set_new(o, "net", json_integer((json_int_t)b->up - (json_int_t)b->down));
	json_object_set_new(o, "rows", kb_bom_rows_json(b));
	json_object_set_new(o, "total_before", kb_json_u64(b->old_total));
	json_object_set_new(o, "total_after", kb_json_u64(b->new_total));
	json_object_set_new(o, "change_percent",
			    json_real(kb_change_percent(b->old_total, b->new_total)));
	return o;
}
