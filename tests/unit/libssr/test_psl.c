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
	/* the one-walk form agrees on every host that is not itself a suffix, and says which are */
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char one[256];
		int n = ssr_psl_registrable(p, cases[i].host, one, sizeof(one));
		if (ssr_psl_is_public_suffix(p, cases[i].host)) {
			assert_int_equal(n, SSR_ENOTFOUND);
		} else {
			assert_int_equal(n, (int)strlen(cases[i].want));
			assert_string_equal(one, cases[i].want);
		}
	}
	assert_int_equal(ssr_psl_registrable(p, "co.uk", out, sizeof(out)), SSR_ENOTFOUND);
	assert_int_equal(ssr_psl_registrable(p, "ssrtest", out, sizeof(out)), SSR_ENOTFOUND);
	assert_int_equal(ssr_psl_registrable(p, "ns1.example.com", out, 5), SSR_ELIMIT);
	ssr_psl_free(p);
	assert_int_equal(ssr_psl_new("/nonexistent/psl.dat", &p, &d), SSR_EIO);
	assert_non_null(strstr(d.msg, "/nonexistent/psl.dat"));
}

/* hosting and dynamic-DNS providers: the PSL's private section (issue 25's provider routing) */
static void private_suffixes(void **state)
{
	(void)state;
	ssr_psl_t *p;
	ssr_diag_t d;
	assert_int_equal(ssr_psl_new(NULL, &p, &d), SSR_EOK);
	char out[256];
	struct {
		const char *host, *want;
	} cases[] = {
	    {"app10paypal.blogspot.com", "blogspot.com"},
	    {"appleaccounthelp.sytes.net", "sytes.net"},
	    {"b-chase-com-515be.firebaseapp.com", "firebaseapp.com"},
	    {"x.y.github.io", "github.io"},
	    {"blogspot.com", ""},    /* the provider itself is not under it */
	    {"www.example.com", ""}, /* an ICANN suffix only */
	    {"paypal.com.example.net", ""},
	    {"com", ""},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int n = ssr_psl_private_suffix(p, cases[i].host, out, sizeof(out));
		assert_int_equal(n, (int)strlen(cases[i].want));
		assert_string_equal(out, cases[i].want);
	}
	assert_int_equal(ssr_psl_private_suffix(p, "a.blogspot.com", out, 5), SSR_ELIMIT);
	/* site builders the PSL does not list come from the shipped list */
	assert_int_equal(
	    ssr_psl_private_suffix(p, "alertchasesupp001.000webhostapp.com", out, sizeof out), 0);
	size_t added = 0;
	assert_int_equal(
	    ssr_psl_load_providers(p, SSR_SOURCE_DIR "/data/names/providers.txt", &added, &d),
	    SSR_EOK);
	assert_true(added >= 10);
	assert_int_equal(
	    ssr_psl_private_suffix(p, "alertchasesupp001.000webhostapp.com", out, sizeof out),
	    (int)strlen("000webhostapp.com"));
	assert_string_equal(out, "000webhostapp.com");
	assert_int_equal(ssr_psl_private_suffix(
	                     p, "2018microsoft0utlook.editor.multiscreensite.com", out, sizeof out),
	                 (int)strlen("editor.multiscreensite.com")); /* the longest listed */
	assert_int_equal(ssr_psl_private_suffix(p, "app10paypal.blogspot.com", out, sizeof out),
	                 (int)strlen("blogspot.com"));
	/* a bad line names the file and line */
	FILE *f = fopen("/tmp/ssrwatch-test-providers.txt", "w");
	assert_non_null(f);
	fputs("# ok\nexample.net Example\nNot A Name\n", f);
	fclose(f);
	assert_int_equal(ssr_psl_load_providers(p, "/tmp/ssrwatch-test-providers.txt", NULL, &d),
	                 SSR_EPARSE);
	assert_non_null(strstr(d.msg, "line 3"));
	remove("/tmp/ssrwatch-test-providers.txt");
	assert_int_equal(ssr_psl_load_providers(p, "/nonexistent/p.txt", NULL, &d), SSR_ENOTFOUND);
	ssr_psl_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(registered_domains),
	                                   cmocka_unit_test(private_suffixes)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
