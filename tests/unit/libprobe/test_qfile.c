/* tests for src/libprobe/qfile.c and summary.c: query files as dnsperf reads them, and a run's
 * summary with exact order statistics. */
#include "../test_common.h"
#include "ssrwatch/probe.h"

typedef struct {
	int n;
	char names[8][64];
	uint16_t types[8];
	uint64_t lines[8];
} got_t;

static int keep(const char *name, uint16_t type, uint64_t line, void *ctx)
{
	got_t *g = ctx;
	if (g->n < 8) {
		snprintf(g->names[g->n], sizeof g->names[0], "%s", name);
		g->types[g->n] = type;
		g->lines[g->n] = line;
	}
	g->n++;
	return SSR_EOK;
}

static void files(void **state)
{
	(void)state;
	char path[256];
	tmp_text(path, sizeof path,
	         "# a comment\n\nwww.example.com A\n  example.com\tAAAA  \nexample.com\n"
	         "; another\nx.example TYPE65534 # note\n");
	got_t g = {0};
	ssr_diag_t d;
	assert_int_equal(ssr_probe_qfile_read(path, keep, &g, &d), SSR_EOK);
	assert_int_equal(g.n, 4);
	assert_string_equal(g.names[0], "www.example.com");
	assert_int_equal(g.types[0], 1);
	assert_int_equal(g.lines[0], 3);
	assert_string_equal(g.names[1], "example.com");
	assert_int_equal(g.types[1], 28);
	assert_int_equal(g.types[2], 1); /* no type: A */
	assert_int_equal(g.types[3], 65534);
	unlink(path);
	static const struct {
		const char *text, *msg;
	} bad[] = {
	    {"a.example A\nb.example NOPE\n", "line 2: unknown type 'NOPE'"},
	    {"a.example A extra\n", "line 1: text after the type: 'extra'"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		tmp_text(path, sizeof path, bad[i].text);
		memset(&g, 0, sizeof g);
		int rc = ssr_probe_qfile_read(path, keep, &g, &d);
		if (rc != SSR_EPARSE || strstr(d.msg, bad[i].msg) == NULL ||
		    strstr(d.msg, path) == NULL) {
			fail_msg("%zu: %d '%s'", i, rc, d.msg);
		}
		unlink(path);
	}
	char big[3000];
	memset(big, 'a', sizeof big - 2);
	big[sizeof big - 2] = '\n';
	big[sizeof big - 1] = '\0';
	tmp_text(path, sizeof path, big);
	assert_int_equal(ssr_probe_qfile_read(path, keep, &g, &d), SSR_ELIMIT);
	unlink(path);
	assert_int_equal(ssr_probe_qfile_read("/nonexistent/q.txt", keep, &g, &d), SSR_ENOTFOUND);
}

static void summary(void **state)
{
	(void)state;
	ssr_probe_summary_t s;
	ssr_probe_summary_init(&s);
	uint8_t resp[12] = {0, 1, 0x82, 0x03}; /* TC set, NXDOMAIN */
	uint8_t ok[12] = {0, 1, 0x80, 0x00};
	for (uint32_t i = 1; i <= 100; i++) {
		ssr_probe_result_t r = {.outcome = SSR_PROBE_ANSWER,
		                        .rtt_us = i * 10,
		                        .resp = i % 10 == 0 ? resp : ok,
		                        .rlen = 12};
		ssr_probe_summary_add(&s, &r);
	}
	ssr_probe_result_t t = {.outcome = SSR_PROBE_TIMEOUT};
	ssr_probe_summary_add(&s, &t);
	ssr_diag_t d;
	assert_int_equal(ssr_probe_summary_finish(&s, &d), SSR_EOK);
	assert_int_equal(s.exchanges, 101);
	assert_int_equal(s.outcomes[SSR_PROBE_ANSWER], 100);
	assert_int_equal(s.outcomes[SSR_PROBE_TIMEOUT], 1);
	assert_int_equal(s.rcodes[0], 90);
	assert_int_equal(s.rcodes[3], 10);
	assert_int_equal(s.truncated, 10);
	/* type 7 quantiles of 10, 20, ..., 1000 */
	assert_true(s.rtt_p50 > 504.999 && s.rtt_p50 < 505.001);
	assert_true(s.rtt_p90 > 900.999 && s.rtt_p90 < 901.001);
	assert_true(s.rtt_p99 > 990.099 && s.rtt_p99 < 990.101);
	assert_int_equal(s.rtt_max, 1000);
	ssr_probe_summary_release(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(files),
	    cmocka_unit_test(summary),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
