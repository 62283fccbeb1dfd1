/* tests for src/libportal/router.c: the route table (method, literal parts, {id}, {token},
 * {rec}; HEAD as GET; repeated and trailing slashes), the policies a route carries before the
 * body is read, and the answers for addresses no route takes (the API's 404s and 405s). */
#include "router.h"
#include "../test_common.h"

static route_fn look(const char *method, const char *url, route_args_t *a, unsigned *flags)
{
	static char seg[PORTAL_SEG_MAX];
	req_t q = {.method = method, .url = url};
	return portal_router_lookup(&q, a, seg, flags);
}

static void table(void **state)
{
	(void)state;
	route_args_t a;
	unsigned f;
	assert_ptr_equal(look("GET", "/", &a, &f), portal_page_home);
	assert_ptr_equal(look("HEAD", "/", &a, &f), portal_page_home);
	assert_null(look("POST", "/", &a, &f));
	assert_ptr_equal(look("POST", "/report", &a, &f), portal_page_report_post);
	assert_int_equal(f, PORTAL_R_ANON | PORTAL_R_REPORT);
	assert_ptr_equal(look("POST", "/login", &a, &f), portal_page_login_post);
	assert_int_equal(f, PORTAL_R_ANON | PORTAL_R_LOGIN);
	assert_ptr_equal(look("POST", "/logout", &a, &f), portal_page_logout_post);
	assert_int_equal(f, PORTAL_R_LOGOUT);
	assert_ptr_equal(look("GET", "/r/AbC-12_x", &a, &f), portal_page_reporter);
	assert_string_equal(a.seg, "AbC-12_x");
	assert_null(look("GET", "/r/", &a, &f));
	assert_null(look("GET", "/r/a/b", &a, &f));
	/* {id}: a positive number of at most 18 digits */
	assert_ptr_equal(look("GET", "/cases/42", &a, &f), portal_page_case_get);
	assert_int_equal(a.id, 42);
	assert_null(look("GET", "/cases/0", &a, &f));
	assert_null(look("GET", "/cases/042", &a, &f));
	assert_null(look("GET", "/cases/1234567890123456789", &a, &f));
	assert_null(look("GET", "/cases/-1", &a, &f));
	assert_ptr_equal(look("POST", "/cases/7/resolve", &a, &f), portal_page_case_post);
	assert_int_equal(a.id, 7);
	assert_string_equal(a.arg, "resolve");
	assert_ptr_equal(look("POST", "/admin/registry", &a, &f), portal_page_admin_post);
	assert_string_equal(a.arg, "registry");
	/* {rec}: the tracker's ids */
	assert_ptr_equal(look("GET", "/recs/SSR2-17.1", &a, &f), portal_page_rec_get);
	assert_string_equal(a.seg, "SSR2-17.1");
	assert_null(look("GET", "/recs/bad!id", &a, &f));
	assert_ptr_equal(look("POST", "/recs/SSR2-1/evidence", &a, &f), portal_page_rec_post);
	assert_string_equal(a.arg, "evidence");
	/* the API */
	assert_ptr_equal(look("POST", "/api/v1/reports", &a, &f), portal_api_report_post);
	assert_int_equal(f, PORTAL_R_API | PORTAL_R_REPORT);
	assert_ptr_equal(look("GET", "/api/v1/reports/tok/xarf", &a, &f), portal_api_report_xarf);
	assert_ptr_equal(look("GET", "/api/v1//cases/", &a, &f), portal_api_cases_get);
	assert_ptr_equal(look("GET", "/api/v1/parties", &a, &f), portal_api_parties);
	assert_ptr_equal(look("POST", "/api/v1/parties", &a, &f), portal_api_parties);
	assert_null(look("PUT", "/api/v1/parties", &a, &f));
	assert_null(look("DELETE", "/api/v1/cases/1", &a, &f));
	/* operations: any method, no authentication */
	assert_ptr_equal(look("PUT", "/healthz", &a, &f), portal_ops_healthz);
	assert_int_equal(f, PORTAL_R_OPS);
	/* a segment longer than the cap matches nothing */
	char url[PORTAL_SEG_MAX + 16] = "/r/";
	memset(url + 3, 'a', PORTAL_SEG_MAX);
	url[3 + PORTAL_SEG_MAX] = '\0';
	assert_null(look("GET", url, &a, &f));
}

static void api_misses(void **state)
{
	(void)state;
	static const struct {
		const char *method, *url;
		int status;
		const char *msg;
	} want[] = {
	    {"PUT", "/api/v1/reports", 405,
	     "POST /api/v1/reports or GET /api/v1/reports/{token}[/xarf]"},
	    {"GET", "/api/v1/cases/x", 404, "no such case"},
	    {"GET", "/api/v1/cases/0/xarf", 404, "no such case"},
	    {"PUT", "/api/v1/cases/1", 405,
	     "GET /api/v1/cases[/{id}[/xarf]], POST .../{id}/acknowledge|resolve"},
	    {"GET", "/api/v1/recs/no!", 404, "no such recommendation"},
	    {"GET", "/api/v1/recs/SSR2-1/x", 405,
	     "GET /api/v1/recs[/{id}], POST /api/v1/recs/{id}/status|evidence"},
	    {"GET", "/api/v1/nope", 404, "no such API endpoint"},
	    {"GET", "/api/v1/casesX", 404, "no such API endpoint"},
	};
	for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
		req_t q = {.method = want[i].method, .url = want[i].url};
		resp_t r = {0};
		portal_router_miss(&q, &r);
		json_t *j = json_loadb(r.body, r.len, 0, NULL);
		assert_non_null(j);
		if (r.status != want[i].status ||
		    strcmp(json_string_value(json_object_get(j, "error")), want[i].msg) != 0) {
			fail_msg("%s %s: %d %.*s", want[i].method, want[i].url, r.status,
			         (int)r.len, r.body);
		}
		json_decref(j);
		free(r.body);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(table),
	    cmocka_unit_test(api_misses),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
