/* tests for src/libstore/store.c: migrations, one row per zone and date, history */
#include "../test_common.h"
#include "ssrwatch/store.h"

static json_t *metrics(long serial, long deleg)
{
	return json_pack("{s:s,s:i,s:i,s:{s:i},s:i,s:i}", "zone", "example", "serial", serial,
	                 "bytes", 1000, "records", "total", 50, "delegations", deleg,
	                 "signed_delegations", deleg / 4);
}

static void snapshots_and_history(void **state)
{
	(void)state;
	char path[256];
	tmp_write(path, sizeof(path), ".db", "", 0);
	ssr_store_t *st;
	ssr_diag_t d;
	assert_int_equal(ssr_store_open(path, &st, &d), SSR_EOK);
	int v = 0;
	assert_int_equal(ssr_store_schema_version(st, &v, &d), SSR_EOK);
	assert_int_equal(v, 2);
	json_t *m1 = metrics(1, 100), *m2 = metrics(2, 120), *m3 = metrics(3, 140);
	assert_int_equal(ssr_store_put_zone_snapshot(st, "example", "2026-11-01", m1, &d), SSR_EOK);
	/* the same snapshot again does not duplicate it */
	assert_int_equal(ssr_store_put_zone_snapshot(st, "example", "2026-11-01", m1, &d), SSR_EOK);
	assert_int_equal(ssr_store_put_zone_snapshot(st, "example", "2026-11-02", m2, &d), SSR_EOK);
	assert_int_equal(ssr_store_put_zone_snapshot(st, "other", "2026-11-01", m3, &d), SSR_EOK);
	ssr_store_free(st);
	/* reopen: data kept, migrations not rerun */
	assert_int_equal(ssr_store_open(path, &st, &d), SSR_EOK);
	json_t *rows;
	assert_int_equal(ssr_store_zone_history(st, "example", &rows, &d), SSR_EOK);
	assert_int_equal(json_array_size(rows), 2);
	json_t *r0 = json_array_get(rows, 0), *r1 = json_array_get(rows, 1);
	assert_string_equal(json_string_value(json_object_get(r0, "date")), "2026-11-01");
	assert_int_equal(json_integer_value(json_object_get(r1, "serial")), 2);
	assert_int_equal(
	    json_integer_value(json_object_get(json_object_get(r1, "metrics"), "delegations")),
	    120);
	json_decref(rows);
	assert_int_equal(ssr_store_zone_history(st, NULL, &rows, &d), SSR_EOK);
	assert_int_equal(json_array_size(rows), 3);
	json_decref(rows);
	ssr_store_free(st);
	json_decref(m1);
	json_decref(m2);
	json_decref(m3);
	unlink(path);
}

static void bad_stores(void **state)
{
	(void)state;
	ssr_store_t *st;
	ssr_diag_t d;
	assert_int_equal(ssr_store_open("/nonexistent/dir/x.db", &st, &d), SSR_ESTORE);
	assert_non_null(strstr(d.msg, "/nonexistent/dir/x.db"));
	assert_int_equal(ssr_store_open("postgresql://127.0.0.1:1/x?connect_timeout=2", &st, &d),
	                 SSR_ESTORE);
	assert_non_null(strstr(d.msg, "cannot connect"));
	assert_int_equal(ssr_store_open("mysql://localhost/x", &st, &d), SSR_EUNSUPPORTED);
	/* a file that is not a database */
	char path[256];
	tmp_write(path, sizeof(path), ".db", "this is not sqlite, it is text of some length....",
	          49);
	assert_int_equal(ssr_store_open(path, &st, &d), SSR_ESTORE);
	unlink(path);
	/* a store from a newer ssrwatch is refused, not modified */
	tmp_write(path, sizeof(path), ".db", "", 0);
	assert_int_equal(ssr_store_open(path, &st, &d), SSR_EOK);
	ssr_store_free(st);
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "sqlite3 '%s' 'PRAGMA user_version = 99'", path);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(ssr_store_open(path, &st, &d), SSR_ESTORE);
	assert_non_null(strstr(d.msg, "newer"));
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(snapshots_and_history),
	    cmocka_unit_test(bad_stores),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
