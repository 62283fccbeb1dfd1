/* tests for src/libssr/psl.c */
#include "../test_common.h"
#include "ssrwatch/psl.h"

static void registered_domains(void **state)
{
	(void)state;
	ssr_psl_t *p;
	ssr_diag_t d;
	assert_int_equal(ssr_psl_new(NULL, &p, &d), SSR_EOK);
	char out[256];
	struct {
		const char *host, *want;
	} cases[] = {
	    {"ns1.example.com", "example.com"},
	    {"a.b.c.example.co.uk", "example.co.uk"},
	    {"ns.nic.de", "nic.de"},
	    {"example.com", "example.com"},
	    {"com", "com"},
	    {"ns1.nic.ssrtest", "nic.ssrtest"},       /* unknown TLD: the implicit "*" rule */
	    {"ns1.foo.blogspot.com", "blogspot.com"}, /* private section is ignored */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int n = ssr_psl_registered_domain(p, cases[i].host, out, sizeof(out));
		assert_int_equal(n, (int)strlen(cases[i].want));
		assert_string_equal(out, cases[i].want);
	}
	assert_int_equal(ssr_psl_registered_domain(p, "ns1.example.com", out, 5), SSR_ELIMIT);
	ssr_psl_free(p);
	assert_int_equal(ssr_psl_new("/nonexistent/psl.dat", &p, &d), SSR_EIO);
	assert_non_null(strstr(d.msg, "/nonexistent/psl.dat"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(registered_domains)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
