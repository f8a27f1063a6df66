/*
 * fuzz_db_bytes.c - libFuzzer target for a database file of any bytes: written as a file,
 * opened read-only, and every read query of kbloat run over it (history, show and top of each
 * build, blame, walls, lineage, plot's and site's models, ci, db check). Each answers or fails
 * with an error; nothing crashes, hangs, leaks or writes to the file.
 */
#include "fuzz_db.h"

#include <stdint.h>

static char db_path[64];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *f;

	if (!*db_path)
		snprintf(db_path, sizeof(db_path), "/tmp/fuzz_db_bytes.%d.db", (int)getpid());
	fuzz_unlink_db(db_path);
	f = fopen(db_path, "wb");
	if (!f || fwrite(data, 1, size, f) != size || fclose(f))
		abort();
	fuzz_read_everything(db_path);
	fuzz_unlink_db(db_path);
	return 0;
}
