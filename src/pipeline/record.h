/*
 * record.h - turning an analyzed image into what the store keeps: its items (the
 * breakdown's rows and bloat-o-meter's entries) and its .config options.
 */
#ifndef KB_RECORD_H
#define KB_RECORD_H

#include "analysis.h"
#include "store.h"
#include "strbuf.h"

void kb_itemset_from_analysis(struct kb_itemset *set, const struct kb_analysis *a);

struct kb_repo;
struct kb_maint;
struct kb_ktree;

/*
 * What an ok build's analysis gave the store, kept by the collector: a build recorded again
 * without make (the same image, the same MAINTAINERS and Kconfig model) is recorded from it
 * instead of analyzing the image again. kb_record_memo_release() frees it.
 */
struct kb_record_memo {
	int valid;
	char warning[512];
	uint64_t total, padding, cls[7], bk[3];
	int has_modular;
	uint64_t m_tristate, m_bool, m_core, m_rest;
	int has_kallsyms;
	int64_t m_kallsyms;
	struct kb_itemset items;
};
void kb_record_memo_release(struct kb_record_memo *m);

/* One build of a commit to record, as `kbloat record` and the collector hand it over. */
struct kb_record_req {
	const char *config, *arch, *base, *fragments;
	const char *status; /* ok, failed or skipped */
	const char *image, *map; /* an ok build's image, and its linker map or NULL */
	const char *src; /* the kernel tree (absolute) or NULL; maint: its MAINTAINERS or NULL */
	struct kb_maint *maint;
	/* the tree's Kconfig model for arch, kept by the caller across builds; NULL: the
	 * modular analysis reads it */
	struct kb_ktree *ktree;
	const char *obj; /* the O= build directory (absolute), or NULL */
	const char *log; /* the build log: its tail is stored; or NULL */
	const char *log_text; /* or this text as the tail (a timeout, a config step) */
	const char *dotconfig; /* the .config, or NULL */
	const char *compiler, *linker;
	double build_seconds;
	int replace_failed; /* a failed build recorded before is replaced */
	int reused; /* enum kb_reused (reused.h): the image is the build directory's last one,
		     * recorded again without make because no input of it changed */
	/* The collector's rule: an analysis input of the commit's own that cannot be read or
	 * parsed (its image, map or .config; fault: a reason the caller found, such as the
	 * tree's MAINTAINERS) makes the build a failed one, with the reason at the end of its
	 * log, instead of an error: the commit's failure, recorded, and the walk goes on. */
	int record_faults;
	const char *fault;
	/* an ok build: with use_memo and a valid memo, recorded from it without analysis;
	 * else, with memo, memo is replaced by what this analysis gives */
	struct kb_record_memo *memo;
	int use_memo;
	/* an ok build: the boot image make built (boot_name relative to obj, boot_image its
	 * path), or NULL; modules: obj's modules.order sums are recorded too (none if the
	 * .config has no modules). Read on every record, memo or not: they are small. */
	const char *boot_name, *boot_image;
	int modules;
	int no_modules; /* with modules: the .config has none, 0 is recorded (obj not read) */
};

/* 1 if the O= directory obj's .config has CONFIG_MODULES=y (make modules builds something);
 * 0 if not, or if there is no .config. */
int kb_obj_has_modules(const char *obj);

struct kb_record_result {
	int already; /* the build was recorded before: nothing was written */
	uint64_t total; /* an ok build's size */
	char warning[512]; /* the analysis's warning, "" if none */
	/* with record_faults: why the build was recorded as failed, "" if it was not */
	char fault[512];
};

/*
 * Analyzes req's image (for an ok build) and records the build of commit sha (a full sha of
 * repo) in one transaction, with the commit's first-parent line back to a commit the store
 * knows (at most 100,000 commits). Errors name the file, commit or database.
 */
int kb_record_build(struct kb_store *store, struct kb_repo *repo, const char *sha,
		    const struct kb_record_req *req, struct kb_record_result *res);

#endif
