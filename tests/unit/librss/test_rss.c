/* tests for src/librss: the RSSAC047 worked examples of RSS availability, the state file (resume,
 * repair, bad input naming the offset), merging in any order or grouping, exclusions, the RSI
 * list, publication latency, root zone verification and the correctness rules against answers
 * of a server made from the simulated root zone. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../test_common.h"
#include "ssrwatch/regress.h"
#include "ssrwatch/report.h"
#include "ssrwatch/rss.h"
#include "ssrwatch/rssgen.h"

#define SIM SSR_TEST_DATA "/../../data/rss/sim"

static char dir[256];

static int setup(void **state)
{
	(void)state;
	const char *t = getenv("TMPDIR");
	snprintf(dir, sizeof dir, "%s/ssrrss-XXXXXX", t ? t : "/tmp");
	return mkdtemp(dir) == NULL;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) != 0;
}

static void path_of(char *out, size_t cap, const char *name)
{
	snprintf(out, cap, "%s/%s", dir, name);
}

/* ---- RSSAC047 6.1's worked examples, one per transport and family ------------------------- */

/* udp4: six RSIs down all month; tcp4: in one interval one VP reaches only seven RSIs; udp6: a
 * 24-hour attack takes out every RSI; tcp6: one RSI down all month. */
static ssr_rssgen_fate_t examples(unsigned vp, uint32_t idx, unsigned rsi, int tf, void *ctx)
{
	(void)ctx;
	switch (tf) {
	case SSR_RSS_UDP4:
		return rsi < 6 ? SSR_RSSGEN_FAILED : SSR_RSSGEN_OK;
	case SSR_RSS_TCP4:
		return vp == 7 && idx == 4000 && rsi < 6 ? SSR_RSSGEN_FAILED : SSR_RSSGEN_OK;
	case SSR_RSS_UDP6:
		return idx / 288 == 9 ? SSR_RSSGEN_FAILED : SSR_RSSGEN_OK;
	default:
		return rsi == 12 ? SSR_RSSGEN_FAILED : SSR_RSSGEN_OK;
	}
}

static void test_worked_examples(void **state)
{
	(void)state;
	/* RSSAC047: n = 13, k = 8, a 30-day month, 20 vantage points */
	ssr_rssgen_states_opts_t g = {
	    .month = "2026-11", .vps = 20, .nrsi = 13, .seed = 1, .fate = examples};
	ssr_diag_t d;
	char sub[300];
	path_of(sub, sizeof sub, "examples");
	assert_int_equal(mkdir(sub, 0755), 0);
	assert_int_equal(ssr_rssgen_states(&g, sub, &d), SSR_EOK);
	const char *paths[20];
	char buf[20][400];
	for (int i = 0; i < 20; i++) {
		snprintf(buf[i], sizeof buf[i], "%s/vp%02d-2026-11.state", sub, i + 1);
		paths[i] = buf[i];
	}
	ssr_rss_report_opts_t o = {.month = "2026-11"};
	ssr_rss_report_t *r;
	assert_int_equal(ssr_rss_report_build(paths, 20, &o, &r, &d), SSR_EOK);
	char pct[32];
	const uint64_t all = 288ull * 30 * 20 * 8; /* sum of k */
	/* RSSAC047 [cvf]: 87.50% = 7/8 */
	assert_int_equal(r->rss[SSR_RSS_UDP4].sum_k, all);
	assert_int_equal(r->rss[SSR_RSS_UDP4].sum_min, all / 8 * 7);
	ssr_rss_pct(r->rss[SSR_RSS_UDP4].sum_min, r->rss[SSR_RSS_UDP4].sum_k, 2, pct, sizeof pct);
	assert_string_equal(pct, "87.50");
	/* RSSAC047 [cvf]: 99.99992% = ((288*30*20*8)-1)/(288*30*20*8) */
	assert_int_equal(r->rss[SSR_RSS_TCP4].sum_min, all - 1);
	ssr_rss_pct(r->rss[SSR_RSS_TCP4].sum_min, r->rss[SSR_RSS_TCP4].sum_k, 5, pct, sizeof pct);
	assert_string_equal(pct, "99.99992");
	assert_int_equal(r->rss[SSR_RSS_TCP4].avail_v, SSR_RSS_PASS); /* RSSAC047 [wzz] */
	/* 96.66% = 29/30 */
	ssr_rss_pct(r->rss[SSR_RSS_UDP6].sum_min, r->rss[SSR_RSS_UDP6].sum_k, 2, pct, sizeof pct);
	assert_string_equal(pct, "96.66");
	assert_int_equal(r->rss[SSR_RSS_UDP6].avail_v, SSR_RSS_FAIL);
	/* one RSI down: 100% */
	assert_int_equal(r->rss[SSR_RSS_TCP6].sum_min, all);
	/* per RSI ([yah] [ydw]): a failed 0% on UDP4, passes TCP4 with one miss in 172,800 */
	assert_int_equal(r->rsis[0].tf[SSR_RSS_UDP4].sent, 288 * 30 * 20);
	assert_int_equal(r->rsis[0].tf[SSR_RSS_UDP4].answered, 0);
	assert_int_equal(r->rsis[0].tf[SSR_RSS_UDP4].avail_v, SSR_RSS_FAIL);
	assert_int_equal(r->rsis[0].tf[SSR_RSS_TCP4].answered, 288 * 30 * 20 - 1);
	assert_int_equal(r->rsis[0].tf[SSR_RSS_TCP4].avail_v, SSR_RSS_PASS);
	assert_int_equal(r->rsis[0].tf[SSR_RSS_UDP4].lat_v, SSR_RSS_NODATA); /* [vpa] */
	assert_int_equal(r->nvp, 20);
	ssr_rss_report_free(r);
}

static void test_pct(void **state)
{
	(void)state;
	char p[32];
	ssr_rss_pct(1382399, 1382400, 5, p, sizeof p); /* 99.9999276...: truncated, not rounded */
	assert_string_equal(p, "99.99992");
	ssr_rss_pct(7, 8, 2, p, sizeof p);
	assert_string_equal(p, "87.50");
	ssr_rss_pct(5, 5, 3, p, sizeof p);
	assert_string_equal(p, "100.000");
	ssr_rss_pct(0, 0, 3, p, sizeof p);
	assert_string_equal(p, "n/a");
}

/* ---- the state file -------------------------------------------------------------------------- */

static void hdr_init(ssr_rss_hdr_t *h, const char *vp, unsigned nrsi)
{
	memset(h, 0, sizeof(*h));
	snprintf(h->month, sizeof h->month, "2026-11");
	snprintf(h->vp, sizeof h->vp, "%s", vp);
	snprintf(h->region, sizeof h->region, "Europe");
	h->interval_s = 300;
	h->nrsi = nrsi;
	for (unsigned i = 0; i < nrsi; i++) {
		h->rsi[i][0] = (char)('a' + i);
	}
}

static int count_iv(const ssr_rss_hdr_t *h, const ssr_rss_interval_t *iv, void *ctx)
{
	(void)h;
	(void)iv;
	(*(int *)ctx)++;
	return SSR_EOK;
}

static void test_state(void **state)
{
	(void)state;
	char p[300];
	path_of(p, sizeof p, "vp-2026-11.state");
	ssr_rss_hdr_t h;
	hdr_init(&h, "vp", 2);
	ssr_rss_state_t *s;
	int64_t last;
	ssr_diag_t d;
	assert_int_equal(ssr_rss_state_open(p, &h, false, &s, &last, &d), SSR_EOK);
	assert_int_equal(last, -1);
	ssr_rss_interval_t iv;
	memset(&iv, 0, sizeof iv);
	for (uint32_t i = 0; i < 3; i++) {
		iv.idx = i * 2;
		iv.soa[0][0].status = SSR_RSS_S_ANSWERED;
		assert_int_equal(ssr_rss_state_append(s, &iv, &d), SSR_EOK);
	}
	/* never the same interval twice */
	assert_int_equal(ssr_rss_state_append(s, &iv, &d), SSR_EINVAL);
	ssr_rss_state_close(s);
	/* a restart resumes after the last interval */
	assert_int_equal(ssr_rss_state_open(p, &h, false, &s, &last, &d), SSR_EOK);
	assert_int_equal(last, 4);
	ssr_rss_state_close(s);
	/* another VP's or month's header: refused, nothing written */
	ssr_rss_hdr_t other = h;
	snprintf(other.month, sizeof other.month, "2026-12");
	assert_int_equal(ssr_rss_state_open(p, &other, false, &s, &last, &d), SSR_EINVAL);
	assert_non_null(strstr(d.msg, "month 2026-11"));
	/* a torn last append: an error naming the offset, unless repaired */
	struct stat st;
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(truncate(p, st.st_size - 7), 0);
	int n = 0;
	assert_int_equal(ssr_rss_state_read(p, NULL, count_iv, &n, &d), SSR_EPARSE);
	assert_non_null(strstr(d.msg, "truncated record"));
	assert_non_null(strstr(d.msg, "offset"));
	assert_int_equal(ssr_rss_state_open(p, &h, false, &s, &last, &d), SSR_EPARSE);
	assert_int_equal(ssr_rss_state_open(p, &h, true, &s, &last, &d), SSR_EOK);
	assert_int_equal(last, 2);
	ssr_rss_state_close(s);
	n = 0;
	assert_int_equal(ssr_rss_state_read(p, NULL, count_iv, &n, &d), SSR_EOK);
	assert_int_equal(n, 2);
	/* a flipped byte: the record's checksum */
	FILE *f = fopen(p, "r+b");
	assert_non_null(f);
	assert_int_equal(fseek(f, -20, SEEK_END), 0);
	int c = fgetc(f);
	assert_int_equal(fseek(f, -20, SEEK_END), 0);
	fputc(c ^ 0x40, f);
	fclose(f);
	assert_int_equal(ssr_rss_state_read(p, NULL, count_iv, &n, &d), SSR_EPARSE);
	assert_non_null(strstr(d.msg, "checksum"));
	/* not a state at all */
	char q[300];
	tmp_text(q, sizeof q, "hello\n");
	assert_int_equal(ssr_rss_state_read(q, NULL, count_iv, &n, &d), SSR_EPARSE);
	assert_non_null(strstr(d.msg, "not an RSS state"));
	unlink(q);
}

/* ---- merging: any order, any grouping, the same report ----------------------------------------
 */

static ssr_rssgen_fate_t flaky(unsigned vp, uint32_t idx, unsigned rsi, int tf, void *ctx)
{
	(void)ctx;
	if (tf >= 2 && vp == 1) {
		return SSR_RSSGEN_ABSENT; /* a VP without IPv6 */
	}
	return (idx * 7 + rsi * 3 + vp + (unsigned)tf) % 97 == 0 ? SSR_RSSGEN_FAILED
	                                                         : SSR_RSSGEN_OK;
}

static char *report_text(const char *const *paths, size_t n, const ssr_rss_excl_t *ex, size_t nex)
{
	ssr_rss_report_opts_t o = {.month = "2026-02", .excl = ex, .nexcl = nex};
	ssr_rss_report_t *r;
	ssr_diag_t d;
	if (ssr_rss_report_build(paths, n, &o, &r, &d) != SSR_EOK) {
		fprintf(stderr, "%s\n", d.msg);
		return NULL;
	}
	json_t *j;
	assert_int_equal(ssr_report_rss_json(r, &j), SSR_EOK);
	ssr_rss_report_free(r);
	char *s = json_dumps(j, JSON_SORT_KEYS);
	json_decref(j);
	return s;
}

static void test_merge(void **state)
{
	(void)state;
	char sub[300];
	path_of(sub, sizeof sub, "merge");
	assert_int_equal(mkdir(sub, 0755), 0);
	ssr_rssgen_states_opts_t g = {.month = "2026-02",
	                              .vps = 3,
	                              .nrsi = 13,
	                              .seed = 7,
	                              .fate = flaky,
	                              .serial_every = 144,
	                              .correctness = true};
	ssr_diag_t d;
	assert_int_equal(ssr_rssgen_states(&g, sub, &d), SSR_EOK);
	char a[400], b[400], c[400], ab[400], cab[400];
	snprintf(a, sizeof a, "%s/vp01-2026-02.state", sub);
	snprintf(b, sizeof b, "%s/vp02-2026-02.state", sub);
	snprintf(c, sizeof c, "%s/vp03-2026-02.state", sub);
	snprintf(ab, sizeof ab, "%s/ab.state", sub);
	snprintf(cab, sizeof cab, "%s/cab.state", sub);
	const char *p1[] = {a, b, c}, *p2[] = {c, a, b};
	char *r1 = report_text(p1, 3, NULL, 0), *r2 = report_text(p2, 3, NULL, 0);
	assert_non_null(r1);
	assert_non_null(r2);
	assert_string_equal(r1, r2);
	const char *m1[] = {b, a};
	assert_int_equal(ssr_rss_state_merge(m1, 2, ab, &d), SSR_EOK);
	const char *p3[] = {c, ab};
	char *r3 = report_text(p3, 2, NULL, 0);
	assert_non_null(r3);
	assert_string_equal(r1, r3);
	const char *m2[] = {c, ab};
	assert_int_equal(ssr_rss_state_merge(m2, 2, cab, &d), SSR_EOK);
	const char *p4[] = {cab};
	char *r4 = report_text(p4, 1, NULL, 0);
	assert_string_equal(r1, r4);
	/* an interval twice: refused, naming both files */
	const char *dup[] = {a, ab};
	ssr_rss_report_opts_t o = {.month = "2026-02"};
	ssr_rss_report_t *r;
	assert_int_equal(ssr_rss_report_build(dup, 2, &o, &r, &d), SSR_EINVAL);
	assert_non_null(strstr(d.msg, "is also in"));
	assert_int_equal(ssr_rss_state_merge(dup, 2, cab, &d), SSR_EINVAL);
	/* another month */
	o.month = "2026-03";
	assert_int_equal(ssr_rss_report_build(p1, 3, &o, &r, &d), SSR_EINVAL);
	assert_non_null(strstr(d.msg, "not 2026-03"));
	/* exclusions (RSSAC047 [raz] [xjv]): a VP for the month, an RSI at another VP for a day */
	char ex[400];
	snprintf(ex, sizeof ex, "%s/excl.txt", sub);
	FILE *f = fopen(ex, "w");
	fputs("# published exclusions\n"
	      "vp02 * 2026-02-01T00:00:00Z 2026-03-01T00:00:00Z vantage point lost its upstream\n"
	      "vp01 c 2026-02-03T00:00:00Z 2026-02-04T00:00:00Z RSO maintenance, announced\n",
	      f);
	fclose(f);
	ssr_rss_excl_t *e;
	size_t ne;
	assert_int_equal(ssr_rss_excl_load(ex, &e, &ne, &d), SSR_EOK);
	assert_int_equal(ne, 2);
	assert_string_equal(e[1].reason, "RSO maintenance, announced");
	o.month = "2026-02";
	o.excl = e;
	o.nexcl = ne;
	assert_int_equal(ssr_rss_report_build(p1, 3, &o, &r, &d), SSR_EOK);
	/* vp02 measures IPv4 only: 28 days x 288 x 13 RSIs x 2 + 13 correctness */
	assert_int_equal(r->excl[0].removed, 28ull * 288 * 13 * 3);
	assert_int_equal(r->excl[1].removed, 288ull * 5);
	assert_int_equal(r->rsis[2].tf[SSR_RSS_UDP4].sent, 28ull * 288 * 2 - 288);
	assert_int_equal(r->rsis[3].tf[SSR_RSS_UDP4].sent, 28ull * 288 * 2);
	assert_int_equal(r->rss[SSR_RSS_UDP4].vp_intervals, 28ull * 288 * 2);
	ssr_rss_report_free(r);
	free(e);
	/* a bad line names the file and line */
	f = fopen(ex, "w");
	fputs("vp01 a 2026-02-03 2026-02-04 no times\n", f);
	fclose(f);
	assert_int_equal(ssr_rss_excl_load(ex, &e, &ne, &d), SSR_EPARSE);
	assert_non_null(strstr(d.msg, "line 1"));
	free(r1);
	free(r2);
	free(r3);
	free(r4);
}

/* ---- publication latency, by hand ------------------------------------------------------------ */

static void test_publication(void **state)
{
	(void)state;
	/* one VP, RSIs a and b: serial 1 until interval 3; a sees serial 2 from interval 3 (when it
	 * is first seen: 0 min), b from 5 (10 min); b's UDP answer has the new serial at 4 but
	 * its TCP one the old: the minimum over transports counts (RSSAC047 [cnj]) */
	char p[300];
	path_of(p, sizeof p, "pub.state");
	ssr_rss_hdr_t h;
	hdr_init(&h, "solo", 2);
	ssr_rss_state_t *s;
	int64_t last;
	ssr_diag_t d;
	assert_int_equal(ssr_rss_state_open(p, &h, false, &s, &last, &d), SSR_EOK);
	ssr_rss_interval_t iv;
	for (uint32_t i = 0; i < 10; i++) {
		memset(&iv, 0, sizeof iv);
		iv.idx = i;
		for (int r = 0; r < 2; r++) {
			for (int t = 0; t < 2; t++) {
				ssr_rss_sample_t *m = &iv.soa[r][t];
				m->status = SSR_RSS_S_ANSWERED;
				m->rtt_us = 1000;
				m->has_serial = 1;
				uint32_t from = r == 0 ? 3 : (t == 0 ? 4 : 5);
				m->serial = i >= from ? 2 : 1;
			}
		}
		assert_int_equal(ssr_rss_state_append(s, &iv, &d), SSR_EOK);
	}
	ssr_rss_state_close(s);
	const char *paths[] = {p};
	ssr_rss_report_opts_t o = {.month = "2026-11"};
	ssr_rss_report_t *r;
	assert_int_equal(ssr_rss_report_build(paths, 1, &o, &r, &d), SSR_EOK);
	assert_int_equal(r->nserials, 1); /* serial 1 was there from the start: not new */
	assert_string_equal(r->serials[0].serial, "2");
	assert_int_equal(r->rsis[0].pub.n, 1);
	assert_true(r->rsis[0].pub.median_min == 0.0);  /* RSSAC047 [udz] */
	assert_true(r->rsis[1].pub.median_min == 10.0); /* RSSAC047 [kvg] */
	assert_true(r->rss_pub.median_min == 5.0);      /* RSSAC047 [zgb]: median of 0 and 10 */
	assert_int_equal(r->pub_hist[0], 1);
	assert_int_equal(r->pub_hist[2], 1);
	ssr_rss_report_free(r);
}

/* ---- the RSI list ---------------------------------------------------------------------------- */

static void test_rsi_list(void **state)
{
	(void)state;
	char p[300];
	tmp_text(p, sizeof p,
	         ";       This file holds the information on root name servers\n"
	         ".                        3600000      NS    A.ROOT-SERVERS.NET.\n"
	         "A.ROOT-SERVERS.NET.      3600000      A     127.12.0.1\n"
	         "A.ROOT-SERVERS.NET.      3600000      AAAA  ::1\n"
	         "B.ROOT-SERVERS.NET.      3600000      A     127.12.0.2\n");
	ssr_rss_rsi_t r[SSR_RSS_MAX_RSI];
	size_t n;
	ssr_diag_t d;
	assert_int_equal(ssr_rss_rsi_load(p, r, SSR_RSS_MAX_RSI, &n, &d), SSR_EOK);
	assert_int_equal(n, 2);
	assert_string_equal(r[0].id, "a");
	assert_string_equal(r[0].name, "a.root-servers.net.");
	assert_int_not_equal(r[0].addr_len[1], 0);
	assert_int_equal(r[1].addr_len[1], 0); /* b: no IPv6 given */
	unlink(p);
	tmp_text(p, sizeof p, "m 127.12.0.13:5300 [::1]:5313\nl 127.12.0.12\n");
	assert_int_equal(ssr_rss_rsi_load(p, r, SSR_RSS_MAX_RSI, &n, &d), SSR_EOK);
	assert_string_equal(r[0].id, "l"); /* sorted */
	unlink(p);
	tmp_text(p, sizeof p, "a 127.0.0.1\nb 300.1.2.3\n");
	assert_int_equal(ssr_rss_rsi_load(p, r, SSR_RSS_MAX_RSI, &n, &d), SSR_EPARSE);
	assert_non_null(strstr(d.msg, "line 2: bad address '300.1.2.3'"));
	unlink(p);
}

/* ---- root zones and correctness ---------------------------------------------------------------
 */

static void test_zones(void **state)
{
	(void)state;
	char ds[128] = "";
	FILE *f = fopen(SIM "/root.ds", "r");
	assert_non_null(f);
	assert_non_null(fgets(ds, sizeof ds, f));
	fclose(f);
	ds[strcspn(ds, "\n")] = 0;
	ssr_rss_zones_t *z;
	ssr_diag_t d;
	assert_int_equal(ssr_rss_zones_new(ds, NULL, &z, &d), SSR_EOK);
	bool added;
	int64_t now = 1793491200LL * 1000000; /* 2026-11-01 */
	assert_int_equal(ssr_rss_zones_add(z, SIM "/bad-signature.zone", now, &added, &d),
	                 SSR_EINVAL);
	assert_non_null(strstr(d.msg, "does not verify"));
	assert_int_equal(ssr_rss_zones_add(z, SIM "/bad-zonemd.zone", now, &added, &d), SSR_EINVAL);
	assert_non_null(strstr(d.msg, "ZONEMD"));
	assert_int_equal(ssr_rss_zones_count(z), 0);
	assert_int_equal(ssr_rss_zones_add(z, SIM "/root-2026110100.zone", now, &added, &d),
	                 SSR_EOK);
	assert_true(added);
	assert_int_equal(ssr_rss_zones_add(z, SIM "/root-2026110100.zone", now, &added, &d),
	                 SSR_EOK);
	assert_false(added); /* a serial already kept */
	/* the positive questions ([mow]): 3 apex ones, every TLD's NS but ARPA's ([unt]), DS */
	char qn[256];
	uint16_t qt;
	size_t nq, nq_arpa;
	assert_int_equal(ssr_rss_zones_question(z, false, 0, qn, sizeof qn, &qt, &nq), SSR_EOK);
	assert_string_equal(qn, ".");
	assert_int_equal(qt, 6);
	assert_int_equal(ssr_rss_zones_question(z, true, 0, qn, sizeof qn, &qt, &nq_arpa), SSR_EOK);
	assert_int_equal(nq_arpa, nq + 1);
	for (size_t i = 0; i < nq; i++) {
		assert_int_equal(ssr_rss_zones_question(z, false, i, qn, sizeof qn, &qt, &nq),
		                 SSR_EOK);
		assert_false(strcmp(qn, "arpa.") == 0 && qt == 2);
	}
	/* a trust anchor of several DS in zone-file form (a KSK rollover: /usr/share/dns/root.ds),
	 * the digest split by blanks; a DS of an unknown digest type is not used */
	char multi[512];
	size_t dl = strlen(ds);
	snprintf(multi, sizeof multi,
	         "; root anchors\n. 86400 IN DS 20326 8 2 "
	         "E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D\n"
	         ". IN DS %.*s %s\n",
	         (int)(dl - 10), ds, ds + dl - 10);
	ssr_rss_zones_t *z2;
	assert_int_equal(ssr_rss_zones_new(multi, NULL, &z2, &d), SSR_EOK);
	assert_int_equal(ssr_rss_zones_add(z2, SIM "/root-2026110101.zone", now, &added, &d),
	                 SSR_EOK);
	ssr_rss_zones_free(z2);
	char other[128];
	snprintf(other, sizeof other, "%.*s 99 %s", (int)(strchr(ds, ' ') - ds + 2), ds,
	         strrchr(ds, ' ') + 1);
	assert_int_equal(ssr_rss_zones_new(other, NULL, &z2, &d), SSR_EOK);
	assert_int_equal(ssr_rss_zones_add(z2, SIM "/root-2026110101.zone", now, &added, &d),
	                 SSR_EINVAL);
	assert_non_null(strstr(d.msg, "no DNSKEY matches"));
	ssr_rss_zones_free(z2);
	assert_int_equal(ssr_rss_zones_new("not a DS", NULL, &z2, &d), SSR_EINVAL);
	/* a wrong trust anchor: refused */
	assert_int_equal(ssr_rss_zones_new("1 8 2 00", NULL, &z2, &d), SSR_EOK);
	assert_int_equal(ssr_rss_zones_add(z2, SIM "/root-2026110101.zone", now, &added, &d),
	                 SSR_EINVAL);
	ssr_rss_zones_free(z2);
	ssr_rss_zones_free(z);
}

static ssr_regress_mock_t *mock;

/* What the mock root (the simulated zone of serial file) answers to name/type with DO. */
static size_t answer(const char *name, uint16_t type, uint8_t *out, size_t cap)
{
	ssr_probe_query_t q;
	ssr_probe_query_init(&q);
	q.qname = name;
	q.qtype = type;
	q.edns_do = true;
	q.edns_bufsize = 4096;
	uint8_t w[512];
	size_t wl, rl = 0;
	ssr_diag_t d;
	assert_int_equal(ssr_probe_query_build(&q, w, sizeof w, &wl, &d), SSR_EOK);
	assert_int_equal(ssr_regress_mock_answer(mock, 0, w, wl, true, out, cap, &rl), SSR_EOK);
	assert_true(rl > 12);
	return rl;
}

static void expect(ssr_rss_zones_t *z, const uint8_t *m, size_t len, bool want,
                   ssr_rss_reason_t why, const char *what)
{
	bool ok;
	ssr_rss_reason_t r;
	uint32_t serial;
	ssr_diag_t d;
	int64_t now = 1793491200LL * 1000000;
	assert_int_equal(ssr_rss_check(z, m, len, now, &ok, &r, &serial, &d), SSR_EOK);
	if (ok != want || r != why) {
		fail_msg("%s: correct %d reason %s, want %d %s", what, ok, ssr_rss_reason_name(r),
		         want, ssr_rss_reason_name(why));
	}
}

static void test_correctness(void **state)
{
	(void)state;
	ssr_regress_mock_server_t s = {.name = "root", .addr = "127.54.9.1", .zone = "."};
	snprintf(s.file, sizeof s.file, "%s", SIM "/root-2026110101.zone");
	ssr_diag_t d;
	uint16_t port = (uint16_t)(20000 + (getpid() * 11) % 40000);
	assert_int_equal(ssr_regress_mock_start(&s, 1, port, &mock, &d), SSR_EOK);
	ssr_rss_zones_t *z;
	assert_int_equal(ssr_rss_zones_new(NULL, NULL, &z, &d), SSR_EOK);
	bool added;
	int64_t t0 = 1793491200LL * 1000000 - 3600LL * 1000000;
	assert_int_equal(ssr_rss_zones_add(z, SIM "/root-2026110100.zone", t0, &added, &d),
	                 SSR_EOK);
	assert_int_equal(ssr_rss_zones_add(z, SIM "/root-2026110101.zone", t0, &added, &d),
	                 SSR_EOK);
	static uint8_t m[65535];
	size_t n;
	/* every kind correct: RSSAC047 [owf] [amj] [djd] [hmk] [dru] [vcu] */
	static const struct {
		const char *name;
		uint16_t type;
	} good[] = {{".", 6},
	            {".", 2},
	            {".", 48},
	            {"com.", 2},
	            {"com.", 43},
	            {"org.", 2},
	            {"new.", 2},
	            {"www.rssac047-test.qwertyuiop.", 1},
	            {"www.rssac047-test.aaaaaaaaaa.", 1},
	            {"www.rssac047-test.zzzzzzzzzz.", 1}};
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		n = answer(good[i].name, good[i].type, m, sizeof m);
		expect(z, m, n, true, SSR_RSS_R_OK, good[i].name);
	}
	/* new. exists only in the newer zone: an older zone does not make it incorrect, and the
	 * NODATA of a DS the zone lacks is judged by its proof */
	n = answer("new.", 43, m, sizeof m);
	expect(z, m, n, true, SSR_RSS_R_OK, "new./DS NODATA");
	/* RSSAC047 [xhr]: the AA bit */
	n = answer(".", 6, m, sizeof m);
	m[2] ^= 0x04;
	expect(z, m, n, false, SSR_RSS_R_AA, "SOA without AA");
	/* RSSAC047 [ujy]: a referral with AA */
	n = answer("com.", 2, m, sizeof m);
	m[2] ^= 0x04;
	expect(z, m, n, false, SSR_RSS_R_AA, "referral with AA");
	/* RSSAC047 [vnk]: an RRset not in the zone (the relay's "alter") */
	static const struct {
		const char *name;
		uint16_t type;
	} alt[] = {{".", 6}, {".", 48}, {"com.", 2}, {"com.", 43}, {"www.rssac047-test.abc.", 1}};
	for (size_t i = 0; i < sizeof alt / sizeof alt[0]; i++) {
		n = answer(alt[i].name, alt[i].type, m, sizeof m);
		assert_true(ssr_rssgen_alter(m, n));
		expect(z, m, n, false, SSR_RSS_R_RRSET, alt[i].name);
		/* RSSAC047 [yds]: a signature that does not validate (the relay's "badsig") */
		n = answer(alt[i].name, alt[i].type, m, sizeof m);
		assert_true(ssr_rssgen_badsig(m, n));
		expect(z, m, n, false, SSR_RSS_R_SIGNATURE, alt[i].name);
	}
	/* an RCODE that no rule covers, a message that does not parse */
	n = answer(".", 6, m, sizeof m);
	m[3] = (uint8_t)((m[3] & 0xf0) | 2);
	expect(z, m, n, false, SSR_RSS_R_UNEXPECTED, "SERVFAIL");
	expect(z, m, 20, false, SSR_RSS_R_MALFORMED, "truncated message");
	/* signatures checked at the query's time: in 2040 they have expired */
	n = answer(".", 6, m, sizeof m);
	bool ok;
	ssr_rss_reason_t why;
	uint32_t serial;
	assert_int_equal(ssr_rss_check(z, m, n, 2208988800LL * 1000000, &ok, &why, &serial, &d),
	                 SSR_EOK);
	assert_false(ok);
	assert_int_equal(why, SSR_RSS_R_SIGNATURE);
	/* no zone in use before the first was seen: cannot be checked (never a pass) */
	assert_int_equal(ssr_rss_check(z, m, n, t0 - 1, &ok, &why, &serial, &d), SSR_ENOTFOUND);
	ssr_rss_zones_free(z);
	ssr_regress_mock_stop(mock);
}

/* ---- the measurement process ------------------------------------------------------------------
 */

typedef struct {
	int64_t t0, jump_after_us, jump_us;
} fakeclock_t;

static int64_t real_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* The wall clock, jumping jump_us ahead once jump_after_us have passed. */
static int64_t fake_wall(void *ctx)
{
	fakeclock_t *c = ctx;
	int64_t now = real_us();
	return now - c->t0 >= c->jump_after_us ? now + c->jump_us : now;
}

typedef struct {
	int n, flagged;
	uint32_t idx[16];
	ssr_rss_interval_t last;
} seen_t;

static int collect(const ssr_rss_hdr_t *h, const ssr_rss_interval_t *iv, void *ctx)
{
	(void)h;
	seen_t *s = ctx;
	if (s->n < 16) {
		s->idx[s->n] = iv->idx;
	}
	s->n++;
	s->flagged += (iv->flags & SSR_RSS_F_CLOCKJUMP) != 0;
	s->last = *iv;
	return SSR_EOK;
}

static void test_measure(void **state)
{
	(void)state;
	/* one RSI served by a mock root from the simulated zone, one that never answers */
	ssr_regress_mock_server_t s = {.name = "root", .addr = "127.54.9.1", .zone = "."};
	snprintf(s.file, sizeof s.file, "%s", SIM "/root-2026110100.zone");
	ssr_diag_t d;
	uint16_t port = (uint16_t)(20000 + (getpid() * 13 + 7) % 40000);
	assert_int_equal(ssr_regress_mock_start(&s, 1, port, &mock, &d), SSR_EOK);
	char list[300], zones[300], states[300], raw[300], text[200];
	path_of(list, sizeof list, "rsi.list");
	path_of(zones, sizeof zones, "zones");
	path_of(states, sizeof states, "states");
	path_of(raw, sizeof raw, "raw");
	assert_int_equal(mkdir(zones, 0755), 0);
	assert_int_equal(mkdir(states, 0755), 0);
	assert_int_equal(mkdir(raw, 0755), 0);
	char zl[400];
	snprintf(zl, sizeof zl, "%s/root-2026110100.zone", zones);
	assert_int_equal(symlink(SIM "/root-2026110100.zone", zl), 0);
	FILE *f = fopen(list, "w");
	snprintf(text, sizeof text, "a 127.54.9.1:%u\nb 127.54.9.2:%u\n", port, port);
	fputs(text, f);
	fclose(f);
	ssr_rss_rsi_t rsi[SSR_RSS_MAX_RSI];
	size_t nrsi;
	assert_int_equal(ssr_rss_rsi_load(list, rsi, SSR_RSS_MAX_RSI, &nrsi, &d), SSR_EOK);
	char ds[128] = "";
	f = fopen(SIM "/root.ds", "r");
	assert_non_null(fgets(ds, sizeof ds, f));
	fclose(f);
	ds[strcspn(ds, "\n")] = 0;
	int64_t start = 1793491200LL * 1000000; /* 2026-11-01T00:00:00Z */
	ssr_rss_measure_opts_t o = {.rsi = rsi,
	                            .nrsi = nrsi,
	                            .vp = "unit",
	                            .region = "Europe",
	                            .state_dir = states,
	                            .raw_dir = raw,
	                            .zone_dir = zones,
	                            .ds = ds,
	                            .intervals = 3,
	                            .timeout_ms = 300,
	                            .seed = 5,
	                            .sim_start_us = start,
	                            .sim_epoch_us = real_us(),
	                            .sim_interval_ms = 400};
	ssr_rss_measure_stats_t st;
	assert_int_equal(ssr_rss_measure(&o, &st, &d), SSR_EOK);
	assert_int_equal(st.intervals, 3);
	char sp[400];
	snprintf(sp, sizeof sp, "%s/unit-2026-11.state", states);
	seen_t seen = {0};
	assert_int_equal(ssr_rss_state_read(sp, NULL, collect, &seen, &d), SSR_EOK);
	assert_int_equal(seen.n, 3); /* in order (a stalled machine may skip one: not asserted) */
	assert_true(seen.idx[0] < seen.idx[1] && seen.idx[1] < seen.idx[2]);
	/* a: answered over UDP and TCP with the zone's serial (RSSAC047 [hht] [ykn]); no IPv6
	 * address, not measured ([jhb]); b: nobody listens, failed ([dfl]) */
	const ssr_rss_interval_t *iv = &seen.last;
	assert_int_equal(iv->soa[0][SSR_RSS_UDP4].status, SSR_RSS_S_ANSWERED);
	assert_int_equal(iv->soa[0][SSR_RSS_TCP4].status, SSR_RSS_S_ANSWERED);
	assert_int_equal(iv->soa[0][SSR_RSS_UDP4].serial, 2026110100u);
	assert_int_equal(iv->soa[0][SSR_RSS_UDP6].status, SSR_RSS_S_NONE);
	assert_int_equal(iv->soa[1][SSR_RSS_UDP4].status, SSR_RSS_S_FAILED);
	/* RSSAC047 [lbl]: the correctness answer checked against the verified zone */
	assert_int_equal(iv->corr[0].result, SSR_RSS_C_CORRECT);
	assert_int_equal(iv->corr[0].serial, 2026110100u);
	assert_int_equal(iv->corr[1].result, SSR_RSS_C_NORESPONSE);
	/* a restart in the middle of what was measured: never twice, on from the next one */
	o.intervals = 1;
	uint32_t last = seen.idx[2];
	o.sim_epoch_us = real_us() - 450000; /* nominal: early in interval 1, measured before */
	assert_int_equal(ssr_rss_measure(&o, &st, &d), SSR_EOK);
	assert_true(st.skipped >= 1);
	memset(&seen, 0, sizeof seen);
	assert_int_equal(ssr_rss_state_read(sp, NULL, collect, &seen, &d), SSR_EOK);
	assert_int_equal(seen.n, 4);
	assert_true(seen.idx[3] > last);
	/* the wall clock jumps 2 s ahead while measuring: that interval is marked ([ugt]) */
	fakeclock_t fc = {.t0 = real_us(), .jump_after_us = 500000, .jump_us = 2000000};
	o.wall_clock = fake_wall;
	o.clock_ctx = &fc;
	o.intervals = 3;
	o.sim_epoch_us = fc.t0 - 400000 * (int64_t)(seen.idx[3] + 1); /* after the last measured */
	assert_int_equal(ssr_rss_measure(&o, &st, &d), SSR_EOK);
	assert_int_equal(st.clock_jumps, 1);
	memset(&seen, 0, sizeof seen);
	assert_int_equal(ssr_rss_state_read(sp, NULL, collect, &seen, &d), SSR_EOK);
	assert_int_equal(seen.n, 7);
	assert_int_equal(seen.flagged, 1);
	/* the report leaves the marked interval out and says so */
	const char *paths[] = {sp};
	ssr_rss_report_opts_t ro = {.month = "2026-11"};
	ssr_rss_report_t *r;
	assert_int_equal(ssr_rss_report_build(paths, 1, &ro, &r, &d), SSR_EOK);
	assert_int_equal(r->excluded_clock, 1);
	assert_int_equal(r->rsis[0].tf[SSR_RSS_UDP4].sent, 6);
	assert_int_equal(r->rsis[0].corr.correct, 6);
	ssr_rss_report_free(r);
	/* AXFR: a server that does not transfer, and nobody listening: errors naming the server,
	 * nothing left under the file's name */
	char zf[300];
	path_of(zf, sizeof zf, "axfr.zone");
	uint32_t serial;
	char srv[64];
	snprintf(srv, sizeof srv, "127.54.9.1:%u", port);
	assert_int_not_equal(ssr_rss_axfr(srv, zf, 500, &serial, &d), SSR_EOK);
	assert_non_null(strstr(d.msg, srv));
	assert_int_equal(access(zf, F_OK), -1);
	snprintf(srv, sizeof srv, "127.54.9.3:%u", port);
	assert_int_equal(ssr_rss_axfr(srv, zf, 500, &serial, &d), SSR_EIO);
	assert_non_null(strstr(d.msg, "cannot connect"));
	assert_int_equal(ssr_rss_axfr("not-an-address", zf, 500, &serial, &d), SSR_EINVAL);
	ssr_regress_mock_stop(mock);
}

/* ---- the simulation plan --------------------------------------------------------------------- */

static void test_plan(void **state)
{
	(void)state;
	ssr_rssgen_plan_t *p = malloc(sizeof(*p));
	assert_non_null(p);
	ssr_diag_t d;
	assert_int_equal(ssr_rssgen_plan_load(SIM "/plan.txt", p, &d), SSR_EOK);
	assert_int_equal(p->intervals, 24);
	assert_int_equal(p->nrsi_plan, 13);
	assert_int_equal(p->npublish, 2);
	assert_non_null(strstr(p->initial, "/root-2026110100.zone"));
	assert_int_equal(p->nfaults, 12);
	/* bad lines, each named by file and line: an unknown fault, a delay without its time, a
	 * backend that is not loopback, a stale fault without a stale backend */
	static const char *const bad[] = {
	    "start 2026-11-01T00:00:00Z\ninterval-ms 3000\nintervals 2\nbackend k "
	    "127.0.0.1:53\nrsi a k\nfault a 0 1 melt\n",
	    "start 2026-11-01T00:00:00Z\ninterval-ms 3000\nintervals 2\nbackend k "
	    "127.0.0.1:53\nrsi a k\nfault a 0 1 delay\n",
	    "start 2026-11-01T00:00:00Z\ninterval-ms 3000\nintervals 2\nbackend k "
	    "192.0.2.1:53\nrsi a k\n",
	    "start 2026-11-01T00:00:00Z\ninterval-ms 3000\nintervals 2\nbackend k "
	    "127.0.0.1:53\nrsi a k\nfault a 0 1 stale\n",
	    "interval-ms 3000\n"};
	static const char *const want[] = {"line 6: bad line 'fault a 0 1 melt'",
	                                   "line 6: bad line 'fault a 0 1 delay'",
	                                   "line 4: bad line 'backend k 192.0.2.1:53'",
	                                   "a stale fault needs 'stale'", "are required"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char f[300];
		tmp_text(f, sizeof f, bad[i]);
		assert_int_equal(ssr_rssgen_plan_load(f, p, &d), SSR_EPARSE);
		if (strstr(d.msg, want[i]) == NULL || strstr(d.msg, f) == NULL) {
			fail_msg("plan %zu: '%s' lacks '%s'", i, d.msg, want[i]);
		}
		unlink(f);
	}
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_pct),         cmocka_unit_test(test_worked_examples),
	    cmocka_unit_test(test_state),       cmocka_unit_test(test_merge),
	    cmocka_unit_test(test_publication), cmocka_unit_test(test_rsi_list),
	    cmocka_unit_test(test_zones),       cmocka_unit_test(test_correctness),
	    cmocka_unit_test(test_measure),     cmocka_unit_test(test_plan),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
