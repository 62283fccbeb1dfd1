/* tests for src/libportal/intake.c over a real store and the writer: a valid report normalised
 * to registered domains (libpsl) and deduplicated into one open case per (domain, category);
 * every invalid field reported at once with its name, nothing stored for an invalid report;
 * the category rules; attachments checked against their declared type and size. */
#include "intake.h"
#include "portal_fixture.h"

static json_t *parse(const char *text)
{
	json_error_t e;
	json_t *j = json_loads(text, 0, &e);
	if (j == NULL) {
		fail_msg("test JSON: %s: %s", e.text, text);
	}
	return j;
}

/* The field names of the errors, space-separated, in order. */
static void fields_of(json_t *errors, char *out, size_t cap)
{
	size_t i, o = 0;
	json_t *e;
	out[0] = '\0';
	json_array_foreach(errors, i, e)
	{
		o += (size_t)snprintf(out + o, cap - o, "%s%s", o ? " " : "",
		                      json_string_value(json_object_get(e, "field")));
	}
}

static int64_t stored_cases(pfx_t *f)
{
	ssr_store_t *st = portal_pool_get(&f->p.pool);
	size_t n = 0;
	ssr_diag_t d;
	ssr_case_row_t *cases = NULL;
	ssr_case_filter_t flt = {.limit = 1000};
	assert_int_equal(ssr_store_cases(st, &flt, &cases, &n, &d), SSR_EOK);
	ssr_store_case_rows_free(cases, n);
	portal_pool_put(&f->p.pool, st);
	return (int64_t)n;
}

static void valid_and_dedup(void **state)
{
	pfx_t *f = *state;
	ssr_diag_t d;
	json_t *in = parse("{\"category\": \"phishing\","
	                   " \"targets\": [\"https://Login.Bad-PayPal.com/verify?x=1\","
	                   "  \"www.bad-paypal.com\", \"shop.example.co.uk\"],"
	                   " \"evidence\": {\"imitates\": \"PayPal\", \"description\": \"credential"
	                   " form\"}, \"reporter\": {\"email\": \"cert@cert.example\"}}");
	json_t *res = NULL, *errors = NULL;
	assert_int_equal(portal_intake_submit(&f->p, in, "192.0.2.1", &res, &errors, &d), SSR_EOK);
	assert_null(errors);
	json_t *cases = json_object_get(res, "cases");
	assert_int_equal(json_array_size(cases), 2); /* two registered domains */
	assert_string_equal(json_string_value(json_object_get(json_array_get(cases, 0), "domain")),
	                    "bad-paypal.com");
	assert_string_equal(json_string_value(json_object_get(json_array_get(cases, 1), "domain")),
	                    "example.co.uk");
	assert_false(json_is_true(json_object_get(json_array_get(cases, 0), "joined")));
	assert_true(strlen(json_string_value(json_object_get(res, "token"))) >= 40);
	json_int_t first = json_integer_value(json_object_get(json_array_get(cases, 0), "id"));
	json_decref(res);
	/* the same domain and category again joins the open case */
	res = NULL;
	assert_int_equal(portal_intake_submit(&f->p, in, "192.0.2.2", &res, &errors, &d), SSR_EOK);
	json_t *c0 = json_array_get(json_object_get(res, "cases"), 0);
	assert_int_equal(json_integer_value(json_object_get(c0, "id")), first);
	assert_true(json_is_true(json_object_get(c0, "joined")));
	json_decref(res);
	json_decref(in);
	assert_int_equal(stored_cases(f), 2);
}

static void field_errors(void **state)
{
	pfx_t *f = *state;
	ssr_diag_t d;
	static const struct {
		const char *json, *fields;
	} bad[] = {
	    {"{}", "category targets"},
	    {"{\"category\": \"fraud\", \"targets\": [\"x.com\"]}", "category"},
	    /* none: and so no URL among them either */
	    {"{\"category\": \"phishing\", \"targets\": []}", "targets targets evidence.imitates"},
	    {"{\"category\": \"phishing\", \"targets\": [\"not a host\"],"
	     " \"evidence\": {\"imitates\": \"X\"}}",
	     "targets[0] targets"},
	    {"{\"category\": \"phishing\", \"targets\": [\"com\"], \"evidence\": {\"imitates\": "
	     "\"X\"}}",
	     "targets[0] targets"},
	    /* phishing needs a URL among the targets and what it imitates */
	    {"{\"category\": \"phishing\", \"targets\": [\"bad.com\"]}",
	     "targets evidence.imitates"},
	    {"{\"category\": \"malware\", \"targets\": [\"http://bad.com/a.exe\"],"
	     " \"evidence\": {\"description\": \"drops a trojan\", \"sample_sha256\": \"zz\"}}",
	     "evidence.sample_sha256"},
	    {"{\"category\": \"other\", \"targets\": [\"bad.com\"],"
	     " \"evidence\": {\"description\": \"short\"}}",
	     "evidence.description"},
	    {"{\"category\": \"phishing\", \"targets\": [\"https://bad.com/\"],"
	     " \"evidence\": {\"imitates\": \"X\"}, \"ips\": [\"300.1.2.3\"]}",
	     "ips[0]"},
	    {"{\"category\": \"phishing\", \"targets\": [\"https://bad.com/\"],"
	     " \"evidence\": {\"imitates\": \"X\"}, \"reporter\": {\"email\": \"a@b\\r\\nBcc: "
	     "c@d.e\"}}",
	     "reporter.email"},
	    {"{\"category\": \"phishing\", \"targets\": [\"https://bad.com/\"],"
	     " \"evidence\": {\"imitates\": \"X\"},"
	     " \"attachments\": [{\"name\": \"a.txt\", \"type\": \"text/plain\", \"data\": "
	     "\"!!\"}]}",
	     "attachments[0]"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		json_t *in = parse(bad[i].json), *res = NULL, *errors = NULL;
		int rc = portal_intake_submit(&f->p, in, "192.0.2.1", &res, &errors, &d);
		char got[512];
		fields_of(errors, got, sizeof got);
		if (rc != SSR_EINVAL || res != NULL || strcmp(got, bad[i].fields) != 0) {
			fail_msg("case %zu: rc %d, fields '%s', want '%s'", i, rc, got,
			         bad[i].fields);
		}
		json_decref(errors);
		json_decref(in);
	}
	assert_int_equal(stored_cases(f), 0); /* nothing of an invalid report is stored */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(valid_and_dedup, pfx_setup, pfx_teardown),
	    cmocka_unit_test_setup_teardown(field_errors, pfx_setup, pfx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
