/*
 * store_merge.h - joining databases recorded apart (shards of a range recorded on different
 * machines): every commit of the input is copied, then every build is recorded again through
 * kb_store_record, oldest first, so parent builds and changes are worked out across the
 * shards and the result is the database one run would have recorded. A build the output
 * already has is left alone, so merging twice changes nothing. The input's items are looked
 * up in the output once (a kb_itemdict), not once per build, and each build's sizes are
 * those read before plus its changes (kb_store_sizes_next): what is left of a build is a few
 * passes over arrays of its sizes and the SQL of what changed.
 */
#ifndef KB_STORE_MERGE_H
#define KB_STORE_MERGE_H

#include "store.h"

#include <stddef.h>

/*
 * Merges the database at in_path into out; sets *added to the builds that were new to out,
 * *had to those it had. Returns 0, or KB_ERR with the reason; the builds merged before an
 * error stay (each lands in its own transaction).
 */
int kb_store_merge(struct kb_store *out, const char *in_path, size_t *added, size_t *had);

#endif
