/*
 * check.h - the few assertions the C unit tests need. A failed check prints the file, line
 * and expression, and the test exits non-zero at the end.
 */
#ifndef KB_CHECK_H
#define KB_CHECK_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static int check_failures;
static int check_count;

#define CHECK(cond)                                                                              \
	do {                                                                                     \
		check_count++;                                                                   \
		if (!(cond)) {                                                                   \
			fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
			check_failures++;                                                        \
		}                                                                                \
	} while (0)

#define CHECK_STR(a, b)                                                                          \
	do {                                                                                     \
		const char *a_ = (a), *b_ = (b);                                                 \
		check_count++;                                                                   \
		if (!a_ || !b_ || strcmp(a_, b_)) {                                              \
			fprintf(stderr, "%s:%d: CHECK_STR failed: %s = \"%s\", want \"%s\"\n",   \
				__FILE__, __LINE__, #a, a_ ? a_ : "(null)", b_ ? b_ : "(null)"); \
			check_failures++;                                                        \
		}                                                                                \
	} while (0)

#define CHECK_U64(a, b)                                                                          \
	do {                                                                                     \
		uint64_t a_ = (a), b_ = (b);                                                     \
		check_count++;                                                                   \
		if (a_ != b_) {                                                                  \
			fprintf(stderr,                                                          \
				"%s:%d: CHECK_U64 failed: %s = %" PRIu64 ", want %" PRIu64 "\n", \
				__FILE__, __LINE__, #a, a_, b_);                                 \
			check_failures++;                                                        \
		}                                                                                \
	} while (0)

static inline int check_done(const char *name)
{
	printf("%s: %d checks, %d failed\n", name, check_count, check_failures);
	return check_failures ? 1 : 0;
}

#endif
