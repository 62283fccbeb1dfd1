/* tests for src/libprobe/record.c: records written are read back exactly; a damaged file is an
 * error naming the offset, never a wrong record. */
#include <arpa/inet.h>

#include "../test_common.h"
#include "ssrwatch/probe.h"

typedef struct {
	int n;
	ssr_probe_result_t r[4];
	uint8_t q[4][64], a[4][64];
	char label[4][32];
} got_t;

static int keep(const ssr_probe_result_t *r, void *ctx)
{
	got_t *g = ctx;
	if (g->n == 4) {
		return SSR_ESTOP;
	}
	g->r[g->n] = *r;
	memcpy(g->q[g->n], r->query, r->qlen);
	if (r->resp) {
		memcpy(g->a[g->n], r->resp, r->rlen);
	}
	snprintf(g->label[g->n], sizeof g->label[0], "%s", r->label);
	g->n++;
	return SSR_EOK;
}

static void round_trip(void **state)
{
	(void)state;
	char path[] = "/tmp/ssr-rec-XXXXXX";
	close(mkstemp(path));
	ssr_probe_rec_t *w;
	ssr_diag_t d;
	assert_int_equal(ssr_probe_rec_open(path, &w, &d), SSR_EOK);
	ssr_probe_result_t r = {0};
	struct sockaddr_in *s4 = (struct sockaddr_in *)&r.src, *d4 = (struct sockaddr_in *)&r.dst;
	s4->sin_family = d4->sin_family = AF_INET;
	s4->sin_port = htons(40000);
	d4->sin_port = htons(53);
	inet_pton(AF_INET, "127.0.0.2", &s4->sin_addr);
	inet_pton(AF_INET, "127.0.0.3", &d4->sin_addr);
	static const uint8_t q[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13};
	static const uint8_t a[] = {9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9};
	r.seq = 7;
	r.transport = SSR_PROBE_TCP;
	r.outcome = SSR_PROBE_ANSWER;
	r.t_send_us = 1796000000123456;
	r.rtt_us = 1234;
	r.query = q;
	r.qlen = sizeof q;
	r.resp = a;
	r.rlen = sizeof a;
	r.label = "case-1 step 2";
	assert_int_equal(ssr_probe_rec_put(w, &r, &d), SSR_EOK);
	/* a timeout: no answer; IPv6 */
	ssr_probe_result_t t = r;
	memset(&t.src, 0, sizeof t.src);
	memset(&t.dst, 0, sizeof t.dst);
	struct sockaddr_in6 *d6 = (struct sockaddr_in6 *)&t.dst;
	d6->sin6_family = AF_INET6;
	d6->sin6_port = htons(5353);
	inet_pton(AF_INET6, "::1", &d6->sin6_addr);
	t.src.ss_family = AF_INET6;
	t.outcome = SSR_PROBE_TIMEOUT;
	t.transport = SSR_PROBE_UDP;
	t.resp = NULL;
	t.rlen = 0;
	t.rtt_us = 0;
	t.label = NULL;
	t.seq = 8;
	assert_int_equal(ssr_probe_rec_put(w, &t, &d), SSR_EOK);
	assert_int_equal(ssr_probe_rec_close(w, &d), SSR_EOK);

	got_t g = {0};
	assert_int_equal(ssr_probe_rec_read(path, keep, &g, &d), SSR_EOK);
	assert_int_equal(g.n, 2);
	assert_int_equal(g.r[0].seq, 7);
	assert_int_equal(g.r[0].transport, SSR_PROBE_TCP);
	assert_int_equal(g.r[0].outcome, SSR_PROBE_ANSWER);
	assert_true(g.r[0].t_send_us == 1796000000123456);
	assert_int_equal(g.r[0].rtt_us, 1234);
	assert_int_equal(g.r[0].qlen, sizeof q);
	assert_memory_equal(g.q[0], q, sizeof q);
	assert_int_equal(g.r[0].rlen, sizeof a);
	assert_memory_equal(g.a[0], a, sizeof a);
	assert_string_equal(g.label[0], "case-1 step 2");
	char s[80];
	ssr_probe_addr_format(&g.r[0].src, s, sizeof s);
	assert_string_equal(s, "127.0.0.2:40000");
	ssr_probe_addr_format(&g.r[0].dst, s, sizeof s);
	assert_string_equal(s, "127.0.0.3:53");
	assert_int_equal(g.r[1].outcome, SSR_PROBE_TIMEOUT);
	assert_null(g.r[1].resp);
	assert_string_equal(g.label[1], "");
	ssr_probe_addr_format(&g.r[1].dst, s, sizeof s);
	assert_string_equal(s, "[::1]:5353");

	/* damage: a flipped byte in the second record is a checksum error at its offset */
	FILE *f = fopen(path, "r+b");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	long size = ftell(f);
	fseek(f, size - 10, SEEK_SET);
	int c = fgetc(f);
	fseek(f, size - 10, SEEK_SET);
	fputc(c ^ 0x55, f);
	fclose(f);
	g.n = 0;
	assert_int_equal(ssr_probe_rec_read(path, keep, &g, &d), SSR_EPARSE);
	assert_int_equal(g.n, 1); /* the first, intact record was handed out */
	assert_non_null(strstr(d.msg, "checksum mismatch"));
	assert_non_null(strstr(d.msg, "offset"));
	/* truncated */
	assert_int_equal(truncate(path, size - 3), 0);
	g.n = 0;
	assert_int_equal(ssr_probe_rec_read(path, keep, &g, &d), SSR_EPARSE);
	assert_non_null(strstr(d.msg, "truncated record"));
	/* not a record file */
	f = fopen(path, "wb");
	fputs("SSRPROBX\1\0\0\0", f);
	fclose(f);
	assert_int_equal(ssr_probe_rec_read(path, keep, &g, &d), SSR_EPARSE);
	assert_non_null(strstr(d.msg, "offset 0: not a probe record file"));
	/* a record length beyond any exchange */
	f = fopen(path, "wb");
	fwrite("SSRPROBE\1\0\0\0\xff\xff\xff\x7f", 1, 16, f);
	fclose(f);
	assert_int_equal(ssr_probe_rec_read(path, keep, &g, &d), SSR_EPARSE);
	assert_non_null(strstr(d.msg, "offset 12: record longer than any exchange"));
	unlink(path);
	assert_int_equal(ssr_probe_rec_read(path, keep, &g, &d), SSR_ENOTFOUND);
	assert_int_equal(ssr_probe_rec_open("/nonexistent-dir/x.rec", &w, &d), SSR_EIO);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
