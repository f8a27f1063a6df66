/*
 * fuzz_budget.c - libFuzzer target for the budget reader (src/report/budget.c): any bytes
 * read as a budget file, from a file as `kbloat budget check` reads it, then every target
 * checked against extreme measures. Must never crash or leak; a limit read is below 2^63
 * and a check's headroom never wraps.
 */
#include "budget.h"
#include "error.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static void check_target(const struct kb_budget_target *t)
{
	static const char *const names[] = { "PRINTK", "EXT4 FILE SYSTEM" };
	static const uint64_t bytes[] = { UINT64_MAX, INT64_MAX };
	struct kb_limit_result *res = calloc(t->nlimits + 1, sizeof(*res));
	struct kb_measure m;
	size_t i, k;

	for (k = 0; k < 2; k++) {
		memset(&m, 0, sizeof(m));
		m.total = k ? INT64_MAX : 0;
		for (i = 0; i < KB_CLS_NR; i++)
			m.cls[i] = k ? INT64_MAX : 0;
		m.sub_names = names;
		m.sub_bytes = bytes;
		m.nsubs = k ? 2 : 0;
		m.have_growth = 1;
		m.growth = k ? INT64_MAX : -1;
		kb_budget_check(t, &m, res);
		for (i = 0; i < t->nlimits; i++)
			if (t->limits[i].max > INT64_MAX || res[i].used < 0)
				abort();
		json_decref(kb_budget_json(t, res));
	}
	free(res);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	char path[] = "/tmp/fuzz_budget.XXXXXX";
	struct kb_budget b;
	int fd = mkstemp(path);
	size_t i;

	if (fd < 0)
		return 0;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		unlink(path);
		return 0;
	}
	close(fd);
	if (!kb_budget_read(&b, path)) {
		for (i = 0; i < b.ntargets; i++)
			check_target(&b.targets[i]);
		kb_budget_target(&b, NULL, path);
		kb_budget_release(&b);
	}
	unlink(path);
	kb_error_clear();
	return 0;
}
