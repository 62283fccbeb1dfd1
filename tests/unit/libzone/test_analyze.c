/* tests for src/libzone/analyze.c: parallel parts give exactly the sequential figures, and every
 * case where the parts do not fit together falls back to one sequential read. */
#include "../psl_fixture.h"
#include "ssrwatch/zonegen.h"
#include "ssrwatch/zonestats.h"

static unsigned last_parts; /* parts the last run read its file in */

static int run(const char *path, unsigned threads, json_t **out, ssr_diag_t *d)
{
	ssr_zone_analyze_opts_t o = {0};
	o.stats.psl = psl;
	o.threads = threads;
	o.parts_used = &last_parts;
	last_parts = 0;
	return ssr_zone_stats_analyze(path, &o, out, d);
}

/* The parts of the run that gave j (the last one): not in the report, which must be the same
 * however the file was split. */
static json_int_t parts(json_t *j)
{
	(void)j;
	return (json_int_t)last_parts;
}

/* The same report, byte for byte (no field says how the file was split). */
static void assert_same_figures(json_t *a, json_t *b)
{
	json_t *x = json_deep_copy(a), *y = json_deep_copy(b);
	if (!json_equal(x, y)) {
		char *sa = json_dumps(x, JSON_SORT_KEYS), *sb = json_dumps(y, JSON_SORT_KEYS);
		print_error("sequential: %s\nparallel:   %s\n", sa, sb);
		free(sa);
		free(sb);
		fail();
	}
	json_decref(x);
	json_decref(y);
}

/* Write the zone text, analyze it in one piece and in `threads` parts, require the same
 * figures; the caller gets the sequential result (to check more) and owns it. */
static json_t *same_in_parts(const char *text, size_t len, unsigned threads)
{
	char path[256];
	tmp_write(path, sizeof(path), ".zone", text, len);
	json_t *seq, *par;
	ssr_diag_t d;
	assert_int_equal(run(path, 1, &seq, &d), SSR_EOK);
	assert_int_equal(run(path, threads, &par, &d), SSR_EOK);
	assert_same_figures(seq, par);
	json_decref(par);
	unlink(path);
	return seq;
}

__attribute__((noinline)) /* GCC 12 -O3 takes open_memstream's buffer for a local */
static char *
gen_text(uint64_t n, bool plain, uint64_t seed, size_t *len)
{
	ssr_zonegen_opts_t o;
	ssr_zonegen_defaults(&o);
	o.delegations = n;
	o.plain = plain;
	o.seed = seed;
	o.signed_apex = true;
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);
	assert_int_equal(ssr_zonegen_write(&o, f, NULL), SSR_EOK);
	fclose(f);
	return buf;
}

static void parallel_equals_sequential(void **state)
{
	(void)state;
	for (int plain = 0; plain < 2; plain++) {
		size_t len;
		char *z = gen_text(40000, plain, 21, &len);
		char path[256];
		tmp_write(path, sizeof(path), ".zone", z, len);
		free(z);
		json_t *seq, *par;
		ssr_diag_t d;
		assert_int_equal(run(path, 1, &seq, &d), SSR_EOK);
		assert_int_equal(parts(seq), 1);
		for (unsigned t = 2; t <= 4; t++) {
			assert_int_equal(run(path, t, &par, &d), SSR_EOK);
			assert_int_equal(parts(par), t); /* really read in parts */
			assert_same_figures(seq, par);
			json_decref(par);
		}
		json_decref(seq);
		unlink(path);
	}
}

/* Insert text at the line start nearest to frac of the zone. */
static char *insert_at(const char *z, size_t len, double frac, const char *ins, size_t *out_len)
{
	size_t at = (size_t)((double)len * frac);
	while (at < len && z[at - 1] != '\n') {
		at++;
	}
	size_t il = strlen(ins);
	char *r = malloc(len + il + 1);
	memcpy(r, z, at);
	memcpy(r + at, ins, il);
	memcpy(r + at + il, z + at, len - at);
	*out_len = len + il;
	return r;
}

static void origin_change_falls_back(void **state)
{
	(void)state;
	size_t len, l2;
	char *z = gen_text(30000, false, 22, &len); /* the mixed form has relative owners */
	/* from 40% on, relative owners mean other names: parts must not assume the old origin */
	char *y = insert_at(z, len, 0.4, "$ORIGIN other.\nrelative NS ns1.x.\n", &l2);
	json_t *seq = same_in_parts(y, l2, 3);
	/* everything after the directive is outside the zone */
	assert_true(json_integer_value(
	                json_object_get(json_object_get(seq, "records"), "out_of_zone_ns")) > 3000);
	json_decref(seq);
	free(z);
	free(y);
}

static void error_in_a_later_part_reports_the_true_line(void **state)
{
	(void)state;
	size_t len, l2;
	char *z = gen_text(30000, true, 23, &len);
	char *y = insert_at(z, len, 0.8, "bad A 1.2.3.999\n", &l2);
	char path[256];
	tmp_write(path, sizeof(path), ".zone", y, l2);
	json_t *j = NULL;
	ssr_diag_t d1, d2;
	assert_int_equal(run(path, 1, &j, &d1), SSR_EPARSE);
	assert_int_equal(run(path, 3, &j, &d2), SSR_EPARSE);
	assert_string_equal(d1.msg, d2.msg);
	assert_non_null(strstr(d2.msg, "line "));
	unlink(path);
	free(z);
	free(y);
}

static void unsorted_falls_back_to_the_owner_index(void **state)
{
	(void)state;
	size_t len;
	char *z = gen_text(30000, true, 24, &len);
	/* move the last third of the lines to the front (after the apex): owners out of order */
	size_t third = len * 2 / 3;
	while (z[third - 1] != '\n') {
		third++;
	}
	size_t head = 0;
	for (int k = 0; k < 12; k++) { /* the comment, directives and apex records */
		head = (size_t)(strchr(z + head, '\n') - z) + 1;
	}
	char *y = malloc(len);
	memcpy(y, z, head);
	memcpy(y + head, z + third, len - third);
	memcpy(y + head + (len - third), z + head, third - head);
	json_t *seq = same_in_parts(y, len, 2);
	assert_string_equal(json_string_value(json_object_get(seq, "owner_index")), "memory");
	assert_int_equal(json_integer_value(json_object_get(seq, "delegations")), 30000);
	json_decref(seq);
	free(z);
	free(y);
}

/* A SOA far into the file: records before it use the initial origin as apex, so no part may
 * start before it with the SOA's apex assumed. */
static void late_soa_stays_sequential(void **state)
{
	(void)state;
	size_t len, l2;
	char *z = gen_text(30000, true, 25, &len);
	char *soa = strstr(z, " SOA ");
	assert_non_null(soa);
	while (soa > z && soa[-1] != '\n') {
		soa--;
	}
	size_t sl = (size_t)(strchr(soa, '\n') - soa) + 1;
	char line[512];
	memcpy(line, soa, sl);
	line[sl] = '\0';
	memmove(soa, soa + sl, len - (size_t)(soa - z) - sl); /* cut the SOA line ... */
	len -= sl;
	z[len] = '\0';
	char *y = insert_at(z, len, 0.45, line, &l2); /* ... and put it at 45% */
	json_t *seq = same_in_parts(y, l2, 3);
	assert_int_equal(json_integer_value(json_object_get(seq, "serial")), 2026112301);
	json_decref(seq);
	free(z);
	free(y);
}

static void small_compressed_and_stdin_stay_sequential(void **state)
{
	(void)state;
	json_t *j;
	ssr_diag_t d;
	assert_int_equal(run(SSR_TEST_DATA "/ssrtest.signed.zone", 4, &j, &d), SSR_EOK);
	assert_int_equal(parts(j), 1);
	json_decref(j);
}

static void count_error(const char *file, uint64_t line, const char *msg, void *ctx)
{
	(void)file;
	(void)line;
	(void)msg;
	(*(int *)ctx)++;
}

typedef struct {
	int warnings;
	char first[512];
} logs_t;

static void count_log(void *ctx, ssr_log_level_t level, const char *source, const char *msg)
{
	(void)source;
	logs_t *l = ctx;
	if (level == SSR_LOG_WARNING && l->warnings++ == 0) {
		snprintf(l->first, sizeof(l->first), "%s", msg);
	}
}

/* A zone not grouped by owner is read twice; its bad records are reported once (they were
 * reported twice and the CLI said "skipped 34" where the JSON said 17), and a record type read
 * with unvalidated rdata is said once per type, also in parallel parts. */
static void second_pass_reports_nothing_twice(void **state)
{
	(void)state;
	char path[256];
	tmp_text(path, sizeof(path),
	         "$ORIGIN t.\n$TTL 60\n@ SOA ns.t. h.t. 1 2 3 4 5\na NS ns.x.\nb NS ns.x.\n"
	         "bad 1w2q NS ns.x.\na DS 1 8 2 00\nh HHIT AAEC\nh HHIT AAED\nworse A 1.2.3.999\n"
	         "b A 192.0.2.1\n");
	int calls = 0;
	logs_t logs = {0};
	ssr_log_t log = {count_log, &logs, SSR_LOG_DEBUG};
	ssr_zone_analyze_opts_t o = {0};
	o.stats.psl = psl;
	o.threads = 1;
	o.log = &log;
	o.read.keep_going = true;
	o.read.on_error = count_error;
	o.read.error_ctx = &calls;
	json_t *z;
	ssr_diag_t d;
	assert_int_equal(ssr_zone_stats_analyze(path, &o, &z, &d), SSR_EOK);
	assert_string_equal(json_string_value(json_object_get(z, "owner_index")), "memory");
	assert_int_equal(json_integer_value(json_object_get(z, "errors")), 2);
	assert_int_equal(calls, 2);
	assert_int_equal(logs.warnings, 1);
	assert_non_null(strstr(logs.first, "2 HHIT records (type 67) counted with their rdata not "
	                                   "validated"));
	json_t *uv = json_object_get(json_object_get(z, "records"), "unvalidated_rdata");
	assert_int_equal(json_integer_value(json_object_get(uv, "HHIT")), 2);
	assert_int_equal(json_integer_value(json_object_get(
	                     json_object_get(json_object_get(z, "records"), "by_type"), "HHIT")),
	                 2);
	json_decref(z);
	unlink(path);

	/* parallel parts: the same figures, the type said once */
	size_t len;
	char *text = gen_text(40000, true, 5, &len);
	char *more = malloc(len + 64);
	memcpy(more, text, len);
	memcpy(more + len, "zz HHIT AAEC\n", 14);
	tmp_write(path, sizeof(path), ".zone", more, len + 13);
	logs.warnings = 0;
	o.threads = 2;
	unsigned used = 0;
	o.parts_used = &used;
	assert_int_equal(ssr_zone_stats_analyze(path, &o, &z, &d), SSR_EOK);
	assert_int_equal(used, 2);
	assert_int_equal(logs.warnings, 1);
	uv = json_object_get(json_object_get(z, "records"), "unvalidated_rdata");
	assert_int_equal(json_integer_value(json_object_get(uv, "HHIT")), 1);
	json_decref(z);
	unlink(path);
	free(more);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(parallel_equals_sequential),
	    cmocka_unit_test(origin_change_falls_back),
	    cmocka_unit_test(error_in_a_later_part_reports_the_true_line),
	    cmocka_unit_test(unsorted_falls_back_to_the_owner_index),
	    cmocka_unit_test(late_soa_stays_sequential),
	    cmocka_unit_test(small_compressed_and_stdin_stay_sequential),
	    cmocka_unit_test(second_pass_reports_nothing_twice),
	};
	return cmocka_run_group_tests(tests, psl_setup, psl_teardown);
}
