/*
 * record.c - what the store keeps of an analyzed image; see record.h.
 */
#include "record.h"

#include "bloatometer.h"
#include "util/error.h"
#include "util/xalloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void kb_itemset_from_analysis(struct kb_itemset *set, const struct kb_analysis *a)
{
	static const char *const bom_types[] = { KB_BOM_FUNCTION, KB_BOM_DATA_C, KB_BOM_RODATA };
	size_t i, k;

	for (i = 0; i < a->bd->nrows; i++) {
		const struct kb_row *r = &a->bd->rows[i];

		if (r->bytes)
			kb_itemset_add(set, KB_ITEM_ROW, r->name, r->file, r->subsystem,
				       r->sec->cls, r->bytes);
	}
	for (k = 0; k < 3; k++) {
		struct kb_bom b;

		kb_bom_entries(&b, a->img, bom_types[k]);
		for (i = 0; i < b.nrows; i++)
			kb_itemset_add(set, KB_ITEM_BOM_T + (int)k, b.rows[i].name, NULL, NULL, 0,
				       b.rows[i].new);
		kb_bom_release(&b);
	}
}

static int cmp_str(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

int kb_read_dotconfig(const char *path, struct strbuf *out)
{
	struct strbuf sb = STRBUF_INIT;
	char **lines = NULL, *p, *save = NULL;
	size_t n = 0, alloc = 0, i;

	if (strbuf_read_file(&sb, path))
		return kb_error_set("%s: %s", path, strerror(errno));
	for (p = strtok_r(sb.buf, "\n", &save); p; p = strtok_r(NULL, "\n", &save)) {
		if (strncmp(p, "CONFIG_", 7) || !strchr(p, '='))
			continue; /* comments, "# CONFIG_X is not set", blank lines */
		ALLOC_GROW(lines, n + 1, alloc);
		lines[n++] = p;
	}
	if (!n) {
		free(lines);
		strbuf_release(&sb);
		return kb_error_set("%s: not a kernel .config (no CONFIG_ lines)", path);
	}
	qsort(lines, n, sizeof(*lines), cmp_str);
	for (i = 0; i < n; i++) {
		strbuf_addstr(out, lines[i]);
		strbuf_addch(out, '\n');
	}
	free(lines);
	strbuf_release(&sb);
	return 0;
}
