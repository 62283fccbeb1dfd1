/* tests for src/libssr/dname.c */
#include "../test_common.h"
#include "ssrwatch/dname.h"
#include "ssrwatch/error.h"

static int w(const char *text, const char *origin_text, uint8_t *out)
{
	uint8_t o[256];
	const uint8_t *op = NULL;
	if (origin_text != NULL) {
		assert_true(
		    ssr_dname_from_text(origin_text, strlen(origin_text), NULL, o, sizeof(o)) > 0);
		op = o;
	}
	return ssr_dname_from_text(text, strlen(text), op, out, 256);
}

static void from_text_absolute_relative_and_at(void **state)
{
	(void)state;
	uint8_t n[256];
	assert_int_equal(w("www.Example.com.", NULL, n), 17);
	assert_memory_equal(n, "\3www\7Example\3com\0", 17);
	assert_int_equal(w("www", "example.com.", n), 17);
	assert_memory_equal(n, "\3www\7example\3com\0", 17);
	assert_int_equal(w("@", "example.com.", n), 13);
	assert_memory_equal(n, "\7example\3com\0", 13);
	assert_int_equal(w(".", NULL, n), 1);
	assert_int_equal(n[0], 0);
}

static void from_text_escapes(void **state)
{
	(void)state;
	uint8_t n[256];
	/* \. is a dot inside a label, \065 is 'A' */
	assert_int_equal(w("a\\.b.\\065c.", NULL, n), 8);
	assert_memory_equal(n, "\3a.b\2Ac\0", 8);
	assert_int_equal(w("a\\", NULL, n), SSR_EPARSE);
	assert_int_equal(w("a\\25", NULL, n), SSR_EPARSE);
	assert_int_equal(w("a\\256.", NULL, n), SSR_EPARSE);
}

static void from_text_limits(void **state)
{
	(void)state;
	uint8_t n[256];
	char lab64[80];
	memset(lab64, 'a', 64);
	lab64[64] = '.';
	lab64[65] = '\0';
	assert_int_equal(w(lab64, NULL, n), SSR_ELIMIT);
	lab64[63] = '.';
	lab64[64] = '\0';
	assert_int_equal(w(lab64, NULL, n), 65);
	assert_int_equal(w("a..b.", NULL, n), SSR_EPARSE);
	assert_int_equal(w(".a.", NULL, n), SSR_EPARSE);
	/* 127 labels of one char = 254 bytes + root = 255: fits; one more does not */
	char big[400] = "";
	size_t bl = 0;
	for (int i = 0; i < 127; i++) {
		bl += (size_t)snprintf(big + bl, sizeof(big) - bl, "a.");
	}
	assert_int_equal(w(big, NULL, n), 255);
	snprintf(big + bl, sizeof(big) - bl, "b.");
	assert_int_equal(w(big, NULL, n), SSR_ELIMIT);
}

static void to_text_round_trip(void **state)
{
	(void)state;
	uint8_t n[256];
	char t[SSR_DNAME_TEXTMAX];
	assert_int_equal(w("WWW.a\\.b.\\032x.", NULL, n), 12);
	assert_int_equal(ssr_dname_to_text(n, t, sizeof(t), true), 14);
	assert_string_equal(t, "www.a\\.b.\\032x");
	assert_int_equal(ssr_dname_to_text(n, t, sizeof(t), false), 14);
	assert_string_equal(t, "WWW.a\\.b.\\032x");
	assert_int_equal(ssr_dname_to_text((const uint8_t *)"", t, sizeof(t), true), 1);
	assert_string_equal(t, ".");
	assert_int_equal(ssr_dname_to_text(n, t, 5, true), SSR_ELIMIT);
}

static void canonical_order_rfc4034_example(void **state)
{
	(void)state;
	/* RFC 4034 section 6.1, in order */
	const char *names[] = {"example.",         "a.example.",      "yljkjljk.a.example.",
	                       "Z.a.example.",     "zABC.a.EXAMPLE.", "z.example.",
	                       "\\001.z.example.", "*.z.example.",    "\\200.z.example."};
	uint8_t a[256], b[256];
	for (size_t i = 0; i + 1 < sizeof(names) / sizeof(names[0]); i++) {
		assert_true(w(names[i], NULL, a) > 0);
		assert_true(w(names[i + 1], NULL, b) > 0);
		assert_true(ssr_dname_cmp_canonical(a, b) < 0);
		assert_true(ssr_dname_cmp_canonical(b, a) > 0);
	}
	assert_true(w("Z.A.example.", NULL, a) > 0);
	assert_true(w("z.a.EXAMPLE.", NULL, b) > 0);
	assert_int_equal(ssr_dname_cmp_canonical(a, b), 0);
}

static void text_order(void **state)
{
	(void)state;
	uint8_t a[256], b[256];
	/* '-' sorts before '.', so a-b.com < a.com in text order, the reverse in canonical */
	assert_true(w("a-b.com.", NULL, a) > 0);
	assert_true(w("a.com.", NULL, b) > 0);
	assert_true(ssr_dname_cmp_text(a, b) < 0);
	assert_true(ssr_dname_cmp_canonical(a, b) > 0);
	assert_true(w("ab.com.", NULL, a) > 0);
	assert_true(w("AB.com.", NULL, b) > 0);
	assert_int_equal(ssr_dname_cmp_text(a, b), 0);
	assert_true(w("ab.", NULL, a) > 0);
	assert_true(w("ab.c.", NULL, b) > 0);
	assert_true(ssr_dname_cmp_text(a, b) < 0);
}

static void under_labels_xn_lower(void **state)
{
	(void)state;
	uint8_t a[256], b[256];
	assert_true(w("ns1.Example.COM.", NULL, a) > 0);
	assert_true(w("example.com.", NULL, b) > 0);
	assert_true(ssr_dname_is_under(a, b));
	assert_true(ssr_dname_is_under(b, b));
	assert_false(ssr_dname_is_under(b, a));
	assert_true(w("notexample.com.", NULL, a) > 0);
	assert_false(ssr_dname_is_under(a, b));
	assert_int_equal(ssr_dname_labels(b), 2);
	assert_true(w("XN--bcher-kva.example.", NULL, a) > 0);
	assert_true(ssr_dname_has_xn(a, false));
	assert_true(w("www.xn--bcher-kva.example.", NULL, a) > 0);
	assert_false(ssr_dname_has_xn(a, false));
	assert_true(ssr_dname_has_xn(a, true));
	assert_true(w("Mixed.CASE.", NULL, a) > 0);
	ssr_dname_lower(a);
	assert_memory_equal(a, "\5mixed\4case\0", 12);
	assert_int_equal(ssr_dname_len(a, 12), 12);
	assert_int_equal(ssr_dname_len(a, 11), 0);
	assert_int_equal(ssr_dname_len((const uint8_t *)"\100abc", 4), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(from_text_absolute_relative_and_at),
	    cmocka_unit_test(from_text_escapes),
	    cmocka_unit_test(from_text_limits),
	    cmocka_unit_test(to_text_round_trip),
	    cmocka_unit_test(canonical_order_rfc4034_example),
	    cmocka_unit_test(text_order),
	    cmocka_unit_test(under_labels_xn_lower),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
