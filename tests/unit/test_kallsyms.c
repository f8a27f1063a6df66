/*
 * test_kallsyms.c - scripts/kallsyms' token learning (kb_ksyms_learn, kb_ksyms_check) on
 * name sets small enough to learn by hand: which pair wins a tie, how a name is rewritten,
 * what the token table holds.
 */
#include "check.h"
#include "kallsyms.h"

#include <stdlib.h>

/*
 * A table as an image would hold it: names (expanded), the compressed bytes of each name
 * (its length prefix added here) and the tokens (slot, text; every byte a name uses is a
 * token of itself, the other slots empty).
 */
struct hand {
	struct kb_ksyms k;
	struct kb_ksyms_entry v[4];
	char names[64];
	unsigned char stream[64];
};

static void hand_table(struct hand *h, const char *const *names, const char *const *packed,
		       size_t n, const int *slots, const char *const *texts, size_t ntok)
{
	static char empty[] = "", self[256][2];
	size_t i, at = 0, off = 0;

	memset(h, 0, sizeof(*h));
	for (i = 0; i < 256; i++)
		h->k.tokens[i] = empty;
	for (i = 0; i < n; i++) {
		size_t len = strlen(names[i]), plen = strlen(packed[i]), j;

		for (j = 0; j < len; j++) {
			unsigned char c = (unsigned char)names[i][j];

			self[c][0] = (char)c;
			h->k.tokens[c] = self[c];
		}
		memcpy(h->names + at, names[i], len + 1);
		h->v[i].name = (uint32_t)at;
		h->v[i].len = (uint32_t)len;
		h->v[i].off = (uint32_t)off;
		h->v[i].bytes = (uint32_t)(plen + 1);
		h->stream[off] = (unsigned char)plen;
		memcpy(h->stream + off + 1, packed[i], plen);
		at += len + 1;
		off += plen + 1;
		h->k.names_bytes += plen + 1;
	}
	for (i = 0; i < ntok; i++)
		h->k.tokens[slots[i]] = (char *)texts[i];
	h->k.v = h->v;
	h->k.n = n;
	h->k.names = h->names;
	h->k.names_len = at;
	h->k.stream = h->stream;
}

/* "ab" and "ba" once each: a tie, which the lower pair index (first byte + 256 * second)
 * wins, "ba" (0x6162) before "ab" (0x6261), whose first byte is lower */
static void ties_go_to_the_lower_second_byte(void)
{
	static const char *const names[] = { "ab", "ba" };
	static const char *const packed[] = { "\xfe", "\xff" }, *const swapped[] = { "\xff",
										     "\xfe" };
	static const int slots[] = { 255, 254 };
	static const char *const texts[] = { "ba", "ab" }, *const first_byte[] = { "ab", "ba" };
	struct hand h;
	struct kb_ksyms_learnt lt;

	hand_table(&h, names, packed, 2, slots, texts, 2);
	CHECK(kb_ksyms_check(&h.k) == 0);
	kb_ksyms_learn(&h.k, NULL, &lt);
	CHECK_U64(lt.n, 2);
	CHECK_U64(lt.names_bytes, 4);
	/* 'a' and 'b', "ba" and "ab", each with its NUL; 252 empty slots */
	CHECK_U64(lt.token_bytes, 2 + 2 + 3 + 3 + 252);
	hand_table(&h, names, swapped, 2, slots, first_byte, 2);
	CHECK(kb_ksyms_check(&h.k) != 0);
}

/*
 * "abab" and "abc": "ab" occurs three times and becomes token 255 ("abab" -> 255 255,
 * "abc" -> 255 c); then (255, 255) and (255, c) once each, and (255, c) = 0x63ff wins over
 * 0xffff: token 254, "abc" -> 254; then (255, 255): token 253, "abab" -> 253. No pair left:
 * slots 252 down stay empty.
 */
static void each_token_is_the_most_frequent_pair_of_the_names_as_rewritten(void)
{
	static const char *const names[] = { "abab", "abc" };
	static const char *const packed[] = { "\xfd", "\xfe" };
	static const int slots[] = { 255, 254, 253 };
	static const char *const texts[] = { "ab", "abc", "abab" };
	static const unsigned char keep_abc[] = { 0, 1 };
	struct hand h;
	struct kb_ksyms_learnt lt;

	hand_table(&h, names, packed, 2, slots, texts, 3);
	CHECK(kb_ksyms_check(&h.k) == 0);
	kb_ksyms_learn(&h.k, NULL, &lt);
	CHECK_U64(lt.names_bytes, 2 + 2);
	CHECK_U64(lt.token_bytes, 3 * 2 + 3 + 4 + 5 + 250);
	/* "abc" alone: 255 = "ab" (0x6261) ties with "bc" (0x6362) and wins; then (255, c) */
	kb_ksyms_learn(&h.k, keep_abc, &lt);
	CHECK_U64(lt.n, 1);
	CHECK_U64(lt.names_bytes, 2);
	CHECK_U64(lt.token_bytes, 3 * 2 + 3 + 4 + 251);
	/* the image's "abab" written another way: the check names it */
	h.stream[1] = 0xff;
	CHECK(kb_ksyms_check(&h.k) != 0);
}

/*
 * "aaab": (a, a) occurs twice and becomes 255, replaced from the left: 255 a b (from the
 * right it would be a 255 b); then (255, a) = 0x61ff beats (a, b) = 0x6261: 254 = "aaa",
 * the name 254 b; then 253 = "aaab". (From the right, 254 would be "aab".)
 */
static void a_name_is_rewritten_left_to_right(void)
{
	static const char *const names[] = { "aaab" };
	static const char *const packed[] = { "\xfd" };
	static const int slots[] = { 255, 254, 253 }, wrong_slots[] = { 255, 254, 253 };
	static const char *const texts[] = { "aa", "aaa", "aaab" };
	static const char *const from_the_right[] = { "aa", "aab", "aaab" };
	struct hand h;
	struct kb_ksyms_learnt lt;

	hand_table(&h, names, packed, 1, slots, texts, 3);
	CHECK(kb_ksyms_check(&h.k) == 0);
	kb_ksyms_learn(&h.k, NULL, &lt);
	CHECK_U64(lt.names_bytes, 2);
	CHECK_U64(lt.token_bytes, 2 + 2 + 3 + 4 + 5 + 251);
	hand_table(&h, names, packed, 1, wrong_slots, from_the_right, 3);
	CHECK(kb_ksyms_check(&h.k) != 0);
}

int main(void)
{
	ties_go_to_the_lower_second_byte();
	each_token_is_the_most_frequent_pair_of_the_names_as_rewritten();
	a_name_is_rewritten_left_to_right();
	printf("test_kallsyms: %d checks, %d failed\n", check_count, check_failures);
	return check_failures != 0;
}
