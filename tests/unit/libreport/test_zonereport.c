/* tests for src/libreport/zone.c: the zone history report from stored snapshots (the JSON
 * slice of each document, the serial missing shown as "-") and a stored document that is not a
 * JSON object refused with the zone and date named, nothing written. */
#include "../test_common.h"
#include "ssrwatch/report.h"

static char *history(ssr_zone_snapshot_t *rows, size_t n, ssr_format_t fmt, int *rc, ssr_diag_t *d)
{
	char *buf = NULL;
	size_t len;
	FILE *f = open_memstream(&buf, &len);
	*rc = ssr_report_zone_history(rows, n, fmt, f, d);
	fclose(f);
	return buf;
}

static void rows_and_bad_documents(void **state)
{
	(void)state;
	char doc[] = "{\"delegations\":100,\"signed_delegations\":25,\"signed_share\":0.25,"
	             "\"ds\":{\"algorithms\":{\"13\":20,\"8\":5}},"
	             "\"ns\":{\"concentration\":{\"top_n_share\":0.5,\"hhi\":1234.5}}}";
	ssr_zone_snapshot_t rows[2] = {
	    {"example", "2026-11-01", true, 2026110101, 1000, doc},
	    {"example", "2026-11-02", false, 0, 1100, doc},
	};
	ssr_diag_t d;
	int rc;
	char *out = history(rows, 2, SSR_FORMAT_CSV, &rc, &d);
	assert_int_equal(rc, SSR_EOK);
	assert_non_null(
	    strstr(out, "example,2026-11-01,2026110101,100,25,25.00%,8:20.0% 13:80.0%"));
	assert_non_null(strstr(out, "example,2026-11-02,-,100,"));
	free(out);
	out = history(rows, 2, SSR_FORMAT_JSON, &rc, &d);
	assert_int_equal(rc, SSR_EOK);
	json_t *j = json_loads(out, 0, NULL);
	assert_int_equal(json_array_size(j), 2);
	assert_true(json_is_null(json_object_get(json_array_get(j, 1), "serial")));
	assert_int_equal(json_integer_value(json_object_get(json_array_get(j, 0), "delegations")),
	                 100);
	json_decref(j);
	free(out);
	/* a document that does not parse, or is not an object: named, nothing written */
	char broken[] = "{\"delegations\":";
	rows[1].metrics = broken;
	out = history(rows, 2, SSR_FORMAT_TABLE, &rc, &d);
	assert_int_equal(rc, SSR_ECORRUPT);
	assert_non_null(strstr(d.msg, "'example' on 2026-11-02"));
	assert_string_equal(out, "");
	free(out);
	char array[] = "[1]";
	rows[0].metrics = array;
	out = history(rows, 1, SSR_FORMAT_JSON, &rc, &d);
	assert_int_equal(rc, SSR_ECORRUPT);
	assert_non_null(strstr(d.msg, "'example' on 2026-11-01 are not a JSON object"));
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(rows_and_bad_documents),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
