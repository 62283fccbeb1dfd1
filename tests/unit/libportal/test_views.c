/* tests for src/libportal/views.c: typed store rows become the API's JSON with keys in order,
 * NULL and 0-as-none become null, and a stored text that is not UTF-8 or a report that is not
 * JSON is an error naming the field, never a dropped key. */
#include "../test_common.h"
#include "views.h"

static char *dump(json_t *v)
{
	char *s = json_dumps(v, JSON_COMPACT);
	assert_non_null(s);
	return s;
}

static void a_case(void **state)
{
	(void)state;
	ssr_case_party_t parties[] = {{7, "registrar", "Reg \"One\"", "registrar", 9001},
	                              {8, "registry", "Verisign", "registry", 0}};
	ssr_case_event_t events[] = {{100, "opened", 0, NULL, NULL},
	                             {160, "routed", 7, "Reg", "x"}};
	ssr_case_report_t reps[] = {
	    {3, 99, "{\"category\":\"phishing\",\"reporter\":{\"email\":\"a@b.example\"}}"}};
	ssr_case_t c = {.id = 5,
	                .domain = "bad.com",
	                .tld = "com",
	                .category = "phishing",
	                .status = "open",
	                .opened = 100,
	                .reports = 1,
	                .reporters = 1,
	                .route_state = "routed",
	                .route_attempts = 1,
	                .parties = parties,
	                .nparties = 2,
	                .events = events,
	                .nevents = 2,
	                .reports_received = reps,
	                .nreports = 1};
	ssr_diag_t d;
	json_t *out = NULL;
	assert_int_equal(portal_view_case(&c, true, &out, &d), SSR_EOK);
	char *s = dump(out);
	assert_string_equal(
	    s, "{\"id\":5,\"domain\":\"bad.com\",\"tld\":\"com\",\"category\":\"phishing\","
	       "\"status\":\"open\",\"opened\":100,\"closed\":null,\"reports\":1,\"reporters\":1,"
	       "\"route_state\":\"routed\",\"route_attempts\":1,\"route_error\":null,"
	       "\"parties\":[{\"party_id\":7,\"role\":\"registrar\",\"name\":\"Reg \\\"One\\\"\","
	       "\"kind\":\"registrar\",\"iana_id\":9001},{\"party_id\":8,\"role\":\"registry\","
	       "\"name\":\"Verisign\",\"kind\":\"registry\",\"iana_id\":null}],"
	       "\"events\":[{\"at\":100,\"kind\":\"opened\",\"party_id\":null,\"party\":null,"
	       "\"detail\":null},{\"at\":160,\"kind\":\"routed\",\"party_id\":7,\"party\":\"Reg\","
	       "\"detail\":\"x\"}],\"reports_received\":[{\"id\":3,\"received\":99,\"report\":"
	       "{\"category\":\"phishing\",\"reporter\":{\"email\":\"a@b.example\"}}}]}");
	free(s);
	json_decref(out);
	/* what a party sees: no reporter */
	assert_int_equal(portal_view_case(&c, false, &out, &d), SSR_EOK);
	s = dump(json_object_get(out, "reports_received"));
	assert_string_equal(s,
	                    "[{\"id\":3,\"received\":99,\"report\":{\"category\":\"phishing\"}}]");
	free(s);
	json_decref(out);

	/* a stored name that is not UTF-8: an error naming the field, nothing half-built */
	parties[1].name = "Veri\xffsign";
	out = NULL;
	assert_int_equal(portal_view_case(&c, true, &out, &d), SSR_ECORRUPT);
	assert_null(out);
	assert_non_null(strstr(d.msg, "name"));
	parties[1].name = "Verisign";
	/* a stored report that is not JSON */
	reps[0].body = "{\"category\":";
	assert_int_equal(portal_view_case(&c, true, &out, &d), SSR_ECORRUPT);
	assert_non_null(strstr(d.msg, "report"));
}

static void lists(void **state)
{
	(void)state;
	ssr_case_row_t rows[] = {{9, "a.com", "com", "spam", "closed", 50, 2, NULL},
	                         {8, "b.org", "org", "malware", "open", 40, 1, "routed"}};
	ssr_diag_t d;
	json_t *out = NULL;
	assert_int_equal(portal_view_case_rows(rows, 2, &out, &d), SSR_EOK);
	char *s = dump(out);
	assert_string_equal(
	    s, "[{\"id\":9,\"domain\":\"a.com\",\"tld\":\"com\",\"category\":\"spam\","
	       "\"status\":\"closed\",\"opened\":50,\"reports\":2,\"party_state\":null},"
	       "{\"id\":8,\"domain\":\"b.org\",\"tld\":\"org\",\"category\":\"malware\","
	       "\"status\":\"open\",\"opened\":40,\"reports\":1,\"party_state\":"
	       "\"routed\"}]");
	free(s);
	json_decref(out);
	rows[1].status = "op\xc0\xaf"
	                 "en"; /* overlong '/' */
	assert_int_equal(portal_view_case_rows(rows, 2, &out, &d), SSR_ECORRUPT);
	assert_non_null(strstr(d.msg, "status"));

	ssr_delivery_attempt_t log[] = {{1, 7, "email", 1, 200, "retry", NULL},
	                                {1, 7, "email", 2, 260, "sent", "250 ok"}};
	assert_int_equal(portal_view_deliveries(log, 2, &out, &d), SSR_EOK);
	s = dump(out);
	assert_string_equal(
	    s, "[{\"delivery_id\":1,\"party_id\":7,\"channel\":\"email\",\"attempt\":1,"
	       "\"at\":200,\"state\":\"retry\",\"detail\":null},{\"delivery_id\":1,"
	       "\"party_id\":7,\"channel\":\"email\",\"attempt\":2,\"at\":260,"
	       "\"state\":\"sent\",\"detail\":\"250 ok\"}]");
	free(s);
	json_decref(out);
	assert_int_equal(portal_view_deliveries(NULL, 0, &out, &d), SSR_EOK);
	assert_int_equal(json_array_size(out), 0);
	json_decref(out);
}

static void a_report(void **state)
{
	(void)state;
	ssr_report_case_t cases[] = {{4, "x.com", "phishing", "closed", 10, 20},
	                             {6, "y.com", "phishing", "open", 11, 0}};
	ssr_report_t r = {2, "phishing", 9, "{\"targets\":[\"x.com\"]}", cases, 2};
	ssr_diag_t d;
	json_t *out = NULL;
	assert_int_equal(portal_view_report(&r, &out, &d), SSR_EOK);
	char *s = dump(out);
	assert_string_equal(
	    s, "{\"id\":2,\"category\":\"phishing\",\"received\":9,\"body\":{\"targets\":"
	       "[\"x.com\"]},\"cases\":[{\"id\":4,\"domain\":\"x.com\",\"category\":"
	       "\"phishing\",\"status\":\"closed\",\"opened\":10,\"closed\":20},{\"id\":6,"
	       "\"domain\":\"y.com\",\"category\":\"phishing\",\"status\":\"open\","
	       "\"opened\":11,\"closed\":null}]}");
	free(s);
	json_decref(out);
	r.body = "not json";
	assert_int_equal(portal_view_report(&r, &out, &d), SSR_ECORRUPT);
	assert_int_equal(portal_view_document("[1", &out, &d), SSR_ECORRUPT);
	assert_int_equal(portal_view_document("[1]", &out, &d), SSR_EOK);
	json_decref(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(a_case),
	    cmocka_unit_test(lists),
	    cmocka_unit_test(a_report),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
