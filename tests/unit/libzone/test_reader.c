/* tests for src/libzone/reader.c: RFC 1035 features, both engines, bad input */
#include <sys/stat.h>
#include <zlib.h>

#include "../test_common.h"
#include "ssrwatch/dname.h"
#include "ssrwatch/zone.h"
#include "ssrwatch/zonegen.h"

typedef struct {
	char **rows;
	size_t n, cap;
	int stop_after; /* 0: never */
} rows_t;

static int collect(const ssr_zone_rr_t *rr, void *ctx)
{
	rows_t *r = ctx;
	char owner[SSR_DNAME_TEXTMAX], type[24];
	assert_true(ssr_dname_to_text(rr->owner, owner, sizeof(owner), false) > 0);
	ssr_rrtype_name(rr->type, type, sizeof(type));
	size_t len = strlen(owner) + 64 + 2 * (size_t)rr->rdata_len;
	char *row = malloc(len);
	assert_non_null(row);
	int o = snprintf(row, len, "%s %u %u %s ", owner, rr->ttl, rr->rclass, type);
	for (uint16_t i = 0; i < rr->rdata_len; i++) {
		o += snprintf(row + o, len - (size_t)o, "%02x", rr->rdata[i]);
	}
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 64;
		r->rows = realloc(r->rows, r->cap * sizeof(char *));
		assert_non_null(r->rows);
	}
	r->rows[r->n++] = row;
	if (r->stop_after && (int)r->n >= r->stop_after) {
		return SSR_ESTOP;
	}
	return SSR_EOK;
}

static void rows_free(rows_t *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->rows[i]);
	}
	free(r->rows);
	memset(r, 0, sizeof(*r));
}

/* the AUTO engine's tokenizer kernel for read_with */
static ssr_zone_simd_t read_simd = SSR_ZONE_SIMD_AUTO;

static int read_with(const char *path, ssr_zone_engine_t engine, bool keep_going, rows_t *rows,
                     ssr_zone_read_stats_t *st, ssr_diag_t *d)
{
	ssr_zone_opts_t o = {.engine = engine, .keep_going = keep_going, .simd = read_simd};
	int rc = ssr_zone_read(path, &o, collect, rows, st, d);
	if (getenv("SSR_TEST_DUMP") != NULL) { /* debugging aid: print what was read */
		for (size_t i = 0; i < rows->n; i++) {
			printf("%s\n", rows->rows[i]);
		}
	}
	return rc;
}

static bool has_row(const rows_t *r, const char *row)
{
	for (size_t i = 0; i < r->n; i++) {
		if (strcmp(r->rows[i], row) == 0) {
			return true;
		}
	}
	return false;
}

/* bytes: compare byte counts too (the ZSCANNER engine does not count $INCLUDEd files).  The
 * AUTO engine with each tokenizer kernel this CPU has (scalar, SSE2, AVX2, the automatic
 * choice) against libzscanner. */
static void assert_engines_agree(const char *path, uint64_t want_records, bool bytes)
{
	static const ssr_zone_simd_t kernels[] = {SSR_ZONE_SIMD_AUTO, SSR_ZONE_SIMD_SSE2,
	                                          SSR_ZONE_SIMD_AVX2, SSR_ZONE_SIMD_SCALAR};
	rows_t b = {0};
	ssr_zone_read_stats_t sa, sb;
	ssr_diag_t d;
	assert_int_equal(read_with(path, SSR_ZONE_ENGINE_ZSCANNER, false, &b, &sb, &d), SSR_EOK);
	if (want_records) {
		assert_int_equal(b.n, want_records);
	}
	for (size_t k = 0; k < sizeof(kernels) / sizeof(kernels[0]); k++) {
		if (kernels[k] == SSR_ZONE_SIMD_AVX2 && !__builtin_cpu_supports("avx2")) {
			continue;
		}
		rows_t a = {0};
		read_simd = kernels[k];
		assert_int_equal(read_with(path, SSR_ZONE_ENGINE_AUTO, false, &a, &sa, &d),
		                 SSR_EOK);
		read_simd = SSR_ZONE_SIMD_AUTO;
		assert_int_equal(a.n, b.n);
		for (size_t i = 0; i < a.n; i++) {
			assert_string_equal(a.rows[i], b.rows[i]);
		}
		if (bytes) {
			assert_int_equal(sa.bytes, sb.bytes);
		}
		rows_free(&a);
	}
	rows_free(&b);
}

static void rfc1035_features(void **state)
{
	(void)state;
	rows_t r = {0};
	ssr_zone_read_stats_t st;
	ssr_diag_t d;
	assert_int_equal(
	    read_with(SSR_TEST_DATA "/rfc1035.zone", SSR_ZONE_ENGINE_AUTO, false, &r, &st, &d),
	    SSR_EOK);
	assert_int_equal(r.n, 26);
	/* multi-line SOA with comments, relative names, $TTL 1h30m = 5400 */
	assert_true(has_row(&r, "example.test 5400 1 SOA 036e7331074578616d706c650454455354000a686f"
	                        "73746d6173746572074578616d706c6504544553540078c4052e00001c2000"
	                        "000e10001275000000012c"));
	/* omitted owner continues the SOA owner; NS targets are lowercased */
	assert_true(has_row(&r, "example.test 5400 1 NS 036e7331076578616d706c650474657374"
	                        "00"));
	/* class before TTL and TTL before class */
	assert_true(has_row(&r, "ns2.example.test 600 1 A c0000236"));
	assert_true(has_row(&r, "ns2.example.test 600 1 AAAA 20010db8000000000000000000000054"));
	/* quoted strings with ';' and escaped quote, unquoted \065BC, multi-line TXT */
	assert_true(has_row(
	    &r, "txt.example.test 5400 1 TXT "
	        "1671756f746564203b206e6f74206120636f6d6d656e740b74776f22737472696e677303414243"));
	assert_true(has_row(&r, "txt2.example.test 5400 1 TXT 056d756c7469046c696e65"));
	/* escapes in owner names */
	assert_true(has_row(&r, "esc\\.dot.example.test 5400 1 A c0000201"));
	assert_true(has_row(&r, "abc.example.test 5400 1 A c0000202"));
	/* RFC 3597 generic type and rdata */
	assert_true(has_row(&r, "generic.example.test 5400 1 TYPE65280 0a0b0c0d"));
	assert_true(has_row(&r, "generic2.example.test 5400 1 A c0000201"));
	/* multi-line DS */
	assert_true(has_row(
	    &r, "sub.example.test 5400 1 DS "
	        "ec450802d4b7d520e7bb5f0f67674a0cceb1e3e0614b93c4f9e99b8383f6a1e4469da50a"));
	/* $ORIGIN change, omitted owner, $INCLUDE with its own origin, origin restored after */
	assert_true(has_row(&r, "b.deleg.example.test 5400 1 NS 036e7331076578616d706c650474657374"
	                        "00"));
	assert_true(has_row(&r, "x.other.example.test 5400 1 NS 036e7331076578616d706c6504746573"
	                        "7400"));
	assert_true(has_row(&r, "y.other.example.test 300 1 NS 036e7332076578616d706c650474657374"
	                        "00"));
	assert_true(has_row(&r, "c.deleg.example.test 5400 1 NS 036e7331076578616d706c650474657374"
	                        "00"));
	assert_true(st.fast_records > 5 && st.fast_records < r.n);
	rows_free(&r);
	assert_engines_agree(SSR_TEST_DATA "/rfc1035.zone", 26, false);
}

static void engines_agree_on_fixtures_and_generated(void **state)
{
	(void)state;
	assert_engines_agree(SSR_TEST_DATA "/ssrtest.signed.zone", 49, true);
	/* plain and mixed forms; signed at the apex, or as .com is (RRSIG on every DS, an
	 * opt-out NSEC3 chain: the fast path's DNSSEC types), sorted or not */
	for (int v = 0; v < 8; v++) {
		int plain = v % 2;
		ssr_zonegen_opts_t o;
		ssr_zonegen_defaults(&o);
		o.delegations = 3000;
		o.seed = 11 + (uint64_t)v;
		o.signed_apex = v < 2;
		o.signed_delegations = v >= 2;
		o.unsorted = v >= 4 && v < 6;
		o.nsec = v >= 6; /* an NSEC chain, as the root zone has it */
		o.plain = plain;
		char path[256];
		tmp_text(path, sizeof(path), "");
		FILE *f = fopen(path, "w");
		ssr_diag_t d;
		assert_int_equal(ssr_zonegen_write(&o, f, &d), SSR_EOK);
		fclose(f);
		assert_engines_agree(path, 0, true);
		unlink(path);
	}
}

/* Zones larger than the read buffer (1 MiB): lines across refills, the block classes
 * recomputed after each; lines of every length up to past the 128 bytes the block tokenizer
 * takes, each starting at every offset of a 64-byte block. */
static void kernels_agree_across_buffers(void **state)
{
	(void)state;
	ssr_zonegen_opts_t o;
	ssr_zonegen_defaults(&o);
	o.delegations = 9000;
	o.seed = 5;
	o.signed_delegations = true;
	o.plain = true;
	char path[256];
	tmp_text(path, sizeof(path), "");
	FILE *f = fopen(path, "w");
	ssr_diag_t d;
	assert_int_equal(ssr_zonegen_write(&o, f, &d), SSR_EOK);
	/* names of 1 to 150 bytes, lines of 1 to 170: every start offset modulo 64 */
	for (int i = 0; i < 3000; i++) {
		int n = 1 + i % 150, pad = i % 7;
		fprintf(f, "zz%05d.example.%*s NS  %s", i, pad, "", i % 11 == 0 ? "\t" : "");
		for (int k = 0; k < n; k++) {
			fputc(k % 20 == 19 && k != n - 1 ? '.' : 'a' + (i + k) % 26, f);
		}
		fprintf(f, ".%s\n", i % 13 == 0 ? " ; a comment" : "");
	}
	fclose(f);
	struct stat sb;
	assert_int_equal(stat(path, &sb), 0);
	assert_true(sb.st_size > 2 * (1 << 20));
	assert_engines_agree(path, 0, true);
	unlink(path);
}

/* A kernel that is not there is refused, naming the file. */
static void unknown_kernel_refused(void **state)
{
	(void)state;
	char path[256];
	tmp_text(path, sizeof(path), "a.example. 3600 NS ns.example.\n");
	rows_t r = {0};
	ssr_zone_read_stats_t st;
	ssr_diag_t d;
	read_simd = (ssr_zone_simd_t)9;
	assert_int_equal(read_with(path, SSR_ZONE_ENGINE_AUTO, false, &r, &st, &d), SSR_EINVAL);
	read_simd = SSR_ZONE_SIMD_AUTO;
	assert_non_null(strstr(d.msg, path));
	assert_non_null(strstr(d.msg, "not available"));
	assert_int_equal(r.n, 0);
	unlink(path);
}

/* The fast path's DNSSEC forms and the ones it leaves to libzscanner: the same records either
 * way (times as dates and as seconds, base64 in pieces, salts, type bitmaps over several
 * windows, a signer with capitals or relative, TYPEnnn, bad encodings that only libzscanner
 * may refuse are kept out of this file). */
static void dnssec_fast_path_agrees(void **state)
{
	(void)state;
	char path[256];
	tmp_text(path, sizeof(path),
	         "$ORIGIN Example.\n$TTL 300\n"
	         "@ SOA ns hm 1 2 3 4 5\n"
	         "@ 3600 IN DNSKEY 257 3 13 mdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+GqJxpVXckHAe"
	         "F+KkxLbxILfDLUT0rAK9iUzy1L53eKGQ==\n"
	         "@ 3600 DNSKEY 256 3 8 AwEAAc1H kL2N Y4Pr 9xwj sW1a 7x4T rM3N 2KqF2w==\n"
	         "@ 0 IN NSEC3PARAM 1 0 10 AABBCCDD\n"
	         "@ 3600 IN RRSIG SOA 13 1 3600 20261223000000 20261123000000 10000 example. "
	         "/6BCssTmw7XYowDZJH6m53qq3MehYX3Ul0FCtO5mg413D+h2U56tT367DHGyu9rKcey6R+YBubVNNiy"
	         "e2OobVg==\n"
	         "@ 3600 IN RRSIG NS 8 1 3600 1798761600 1796083200 10001 example. AAEC AwQF BgcI\n"
	         "@ 3600 IN RRSIG DNSKEY 13 1 3600 20261223000000 20261123000000 10002 Example. "
	         "AAECAw==\n"
	         "@ 3600 IN rrsig nsec3param 13 1 0 20261223000000 20261123000000 10003 example "
	         "AAECAw==\n"
	         "@ 3600 IN RRSIG TYPE65 13 1 0 20261223000000 20261123000000 10003 example. "
	         "AAECAw==\n"
	         "a NS ns.a\n"
	         "a DS 1 13 2 0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF\n"
	         "a 86400 IN RRSIG DS 13 2 86400 20261223000000 20261123000000 10001 example. "
	         "p+KAdK139d02BqCZAqpWPy7o06HfPNqWrEYnF0LvGNb/TTQAfupQA6fAZPXw0J5zVLjg0PHidz3iG9ZPp"
	         "wdkRw==\n"
	         "0p9mhaveqvm6t7vbl5lop2u3t2rp3tom 86400 IN NSEC3 1 1 12 aabbccdd "
	         "2vptu5timamqttgl4luu9kg21e0aor3s A RRSIG\n"
	         "2vptu5timamqttgl4luu9kg21e0aor3s 86400 IN NSEC3 1 0 0 - "
	         "0P9MHAVEQVM6T7VBL5LOP2U3T2RP3TOM NS SOA RRSIG DNSKEY NSEC3PARAM CAA TYPE65534 "
	         "URI\n"
	         "3b0n6j3dmbvvb5qp2gbm2amdfs5dg4e6 86400 IN NSEC3 1 1 0 - "
	         "0p9mhaveqvm6t7vbl5lop2u3t2rp3tom ns ds rrsig caa uri\n"
	         "3b0n6j3dmbvvb5qp2gbm2amdfs5dg4e6 86400 IN RRSIG NSEC3 13 2 86400 20261223000000 "
	         "20261123000000 10001 example. AAECAwQFBgcICQ==\n"
	         "b 86400 IN NSEC c.example. NS DS RRSIG NSEC\n"
	         "c 86400 IN NSEC D.example. NS RRSIG NSEC\n"
	         "d 86400 IN NSEC e NS RRSIG NSEC\n"
	         "e 86400 IN NSEC example. A AAAA TXT CAA URI TYPE65534 RRSIG NSEC\n"
	         "h 86400 IN NSEC example. A CAA NS URI RRSIG NSEC\n"
	         "h 3600 IN DNSKEY 256 3 8 AwEA AAc1HkL2 NY4Pr9xwjsW1 a7x4TrM3N2KqF2w=\n"
	         "h 3600 IN RRSIG NSEC 8 2 86400 20261223000000 20261123000000 10001 example. "
	         "AAEC AwQFBgcI CQ==\n"
	         "f 86400 IN nsec . ns rrsig nsec\n"
	         "g 86400 IN NSEC \\072.example. NS RRSIG NSEC\n");
	assert_engines_agree(path, 0, true);
	rows_t r = {0};
	ssr_zone_read_stats_t st;
	ssr_diag_t d;
	assert_int_equal(read_with(path, SSR_ZONE_ENGINE_AUTO, false, &r, &st, &d), SSR_EOK);
	/* the plain forms went the fast way (NSEC: b and h, its windows 0 and 1; h's DNSKEY and
	 * RRSIG with base64 in pieces of 4, 8 and 12; not the capital, relative, escaped or
	 * TYPEnnn forms) */
	assert_int_equal(st.fast_records, 15);
	rows_free(&r);
	unlink(path);
}

/* Base64 in pieces that are not whole quads: libzscanner refuses it, and so does the AUTO
 * engine (its fast path leaves the line to libzscanner), naming the line. */
static void base64_pieces_of_broken_quads_refused(void **state)
{
	(void)state;
	char path[256];
	tmp_text(path, sizeof(path),
	         "$ORIGIN example.\n$TTL 300\n@ SOA ns hm 1 2 3 4 5\n"
	         "@ 3600 IN DNSKEY 256 3 8 AwEAAc1H kL2N\n"
	         "@ 3600 IN DNSKEY 256 3 8 AwE AAc1HkL2N\n");
	for (int e = 0; e < 2; e++) {
		rows_t r = {0};
		ssr_zone_read_stats_t st;
		ssr_diag_t d;
		int rc = read_with(path, e ? SSR_ZONE_ENGINE_ZSCANNER : SSR_ZONE_ENGINE_AUTO, false,
		                   &r, &st, &d);
		assert_int_equal(rc, SSR_EPARSE);
		assert_non_null(strstr(d.msg, "line 5"));
		assert_int_equal(r.n, 2); /* the SOA and the first key */
		rows_free(&r);
	}
	unlink(path);
}

static void bad_record_stops_with_file_and_line(void **state)
{
	(void)state;
	char path[256];
	tmp_text(path, sizeof(path),
	         "$ORIGIN t.\na NS ns1.x.\nb 1w2q NS ns1.x.\nc A 1.2.3.999\nd NS ns1.x.\n");
	rows_t r = {0};
	ssr_zone_read_stats_t st;
	ssr_diag_t d;
	for (int e = 0; e < 2; e++) {
		assert_int_equal(read_with(path, (ssr_zone_engine_t)e, false, &r, &st, &d),
		                 SSR_EPARSE);
		assert_non_null(strstr(d.msg, path));
		assert_non_null(strstr(d.msg, "line 3"));
		assert_int_equal(r.n, 1); /* only the record before the bad one */
		rows_free(&r);
		assert_int_equal(read_with(path, (ssr_zone_engine_t)e, true, &r, &st, &d), SSR_EOK);
		assert_int_equal(st.errors, 2);
		assert_int_equal(r.n, 2);
		assert_true(has_row(&r, "d.t 3600 1 NS 036e7331017800"));
		rows_free(&r);
	}
	unlink(path);
}

static void directives_and_limits(void **state)
{
	(void)state;
	char path[256];
	rows_t r = {0};
	ssr_zone_read_stats_t st;
	ssr_diag_t d;
	ssr_zone_opts_t o = {.no_include = true};
	assert_int_equal(ssr_zone_read(SSR_TEST_DATA "/rfc1035.zone", &o, collect, &r, &st, &d),
	                 SSR_EPARSE);
	assert_non_null(strstr(d.msg, "$INCLUDE refused"));
	assert_non_null(strstr(d.msg, "line 32"));
	rows_free(&r);

	tmp_text(path, sizeof(path), "$GENERATE 1-10 a$ NS ns\n");
	assert_int_equal(read_with(path, SSR_ZONE_ENGINE_AUTO, false, &r, &st, &d), SSR_EPARSE);
	assert_non_null(strstr(d.msg, "unknown directive '$GENERATE'"));
	unlink(path);

	tmp_text(path, sizeof(path), "$TTL 1x\n");
	assert_int_equal(read_with(path, SSR_ZONE_ENGINE_AUTO, false, &r, &st, &d), SSR_EPARSE);
	assert_non_null(strstr(d.msg, "bad $TTL"));
	unlink(path);

	tmp_text(path, sizeof(path), "$INCLUDE /nonexistent/x.zone\n");
	assert_int_equal(read_with(path, SSR_ZONE_ENGINE_AUTO, false, &r, &st, &d), SSR_ENOTFOUND);
	assert_non_null(strstr(d.msg, "/nonexistent/x.zone"));
	unlink(path);

	/* one record over the hard cap: a clear limit error, no crash */
	size_t big = SSR_ZONE_MAX_RECORD_TEXT + 100;
	char *z = malloc(big + 64);
	int o2 = snprintf(z, 64, "a. TXT (");
	memset(z + o2, 'x', big);
	memcpy(z + o2 + big, ")\n", 3);
	tmp_text(path, sizeof(path), z);
	assert_int_equal(read_with(path, SSR_ZONE_ENGINE_AUTO, false, &r, &st, &d), SSR_ELIMIT);
	assert_non_null(strstr(d.msg, "longer than"));
	unlink(path);
	free(z);
	rows_free(&r);
}

static void callback_stop_and_compressed(void **state)
{
	(void)state;
	rows_t r = {.stop_after = 3};
	ssr_zone_read_stats_t st;
	ssr_diag_t d;
	assert_int_equal(read_with(SSR_TEST_DATA "/ssrtest.signed.zone", SSR_ZONE_ENGINE_AUTO,
	                           false, &r, &st, &d),
	                 SSR_ESTOP);
	assert_int_equal(r.n, 3);
	rows_free(&r);

	/* the same zone through gzip gives the same records; a truncated one is an error */
	FILE *f = fopen(SSR_TEST_DATA "/ssrtest.signed.zone", "rb");
	char buf[16384];
	size_t n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	char path[256];
	tmp_text(path, sizeof(path), "");
	gzFile g = gzopen(path, "wb");
	gzwrite(g, buf, (unsigned)n);
	gzclose(g);
	r.stop_after = 0;
	assert_int_equal(read_with(path, SSR_ZONE_ENGINE_AUTO, false, &r, &st, &d), SSR_EOK);
	assert_int_equal(r.n, 49);
	assert_int_equal(st.bytes, n);
	assert_true(st.raw_bytes < n);
	rows_free(&r);
	assert_int_equal(truncate(path, (off_t)(st.raw_bytes / 2)), 0);
	assert_int_equal(read_with(path, SSR_ZONE_ENGINE_AUTO, false, &r, &st, &d), SSR_ECORRUPT);
	assert_non_null(strstr(d.msg, "truncated gzip"));
	rows_free(&r);
	unlink(path);
}

typedef struct {
	int calls;
	char msgs[8][512];
} errs_t;

static void on_err(const char *file, uint64_t line, const char *msg, void *ctx)
{
	(void)file;
	(void)line;
	errs_t *e = ctx;
	if (e->calls < 8) {
		snprintf(e->msgs[e->calls], sizeof(e->msgs[0]), "%s", msg);
	}
	e->calls++;
}

/* A blank owner means the previous owner; after a record whose owner was bad there is none:
 * the record is refused, as libzscanner does (it was attributed to the last good owner). */
static void blank_owner_after_bad_owner(void **state)
{
	(void)state;
	char path[256];
	tmp_text(path, sizeof(path),
	         "$ORIGIN t.\n$TTL 1\ngood NS ns.x.\n&bad NS ns.x.\n\tNS ns2.x.\nnext NS ns.x.\n"
	         "own A 1.2.3.999\n\tNS ns3.x.\n");
	for (int e = 0; e < 2; e++) {
		rows_t r = {0};
		ssr_zone_read_stats_t st;
		ssr_diag_t d;
		assert_int_equal(read_with(path, (ssr_zone_engine_t)e, true, &r, &st, &d), SSR_EOK);
		assert_int_equal(st.errors, 3); /* &bad, the blank owner after it, the bad A */
		assert_int_equal(r.n, 3);
		assert_true(has_row(&r, "good.t 1 1 NS 026e73017800"));
		assert_false(has_row(&r, "good.t 1 1 NS 036e7332017800"));
		assert_true(has_row(&r, "next.t 1 1 NS 026e73017800"));
		/* a bad rdata keeps its good owner as the previous owner (libzscanner's rule) */
		assert_true(has_row(&r, "own.t 1 1 NS 036e7333017800"));
		rows_free(&r);
	}
	unlink(path);
}

/* A bad $ORIGIN: without --keep-going the read stops there; with it, the records up to the next
 * valid $ORIGIN are skipped and counted (their names cannot be trusted), and the reader says
 * so twice: at the directive and with the number skipped. */
static void bad_origin_skips_to_the_next_origin(void **state)
{
	(void)state;
	char path[256];
	tmp_text(path, sizeof(path),
	         "$ORIGIN t.\n$TTL 1\na NS ns.x.\n$ORIGIN \nb NS ns.x.\nabs. NS ns.x.\n"
	         "m TXT ( \"one\"\n  \"two\" )\n\tNS ns.x.\n$INCLUDE nowhere.zone\n"
	         "$ORIGIN bad\\1.\nc NS ns.x.\n$ORIGIN u.\n\tNS ns.x.\nd NS ns.x.\n");
	rows_t r = {0};
	ssr_zone_read_stats_t st;
	ssr_diag_t d;
	assert_int_equal(read_with(path, SSR_ZONE_ENGINE_AUTO, false, &r, &st, &d), SSR_EPARSE);
	assert_non_null(strstr(d.msg, "line 4: bad $ORIGIN"));
	assert_int_equal(r.n, 1);
	rows_free(&r);

	errs_t e = {0};
	ssr_zone_opts_t o = {.keep_going = true, .on_error = on_err, .error_ctx = &e};
	assert_int_equal(ssr_zone_read(path, &o, collect, &r, &st, &d), SSR_EOK);
	/* b, abs., m (two lines), the blank owner, the $INCLUDE and c are skipped */
	assert_int_equal(st.skipped, 6);
	/* the two bad $ORIGINs, the blank owner after the good one (no previous owner), skipped */
	assert_int_equal(st.errors, 2 + 1 + 6);
	assert_int_equal(r.n, 2);
	assert_true(has_row(&r, "a.t 1 1 NS 026e73017800"));
	assert_true(has_row(&r, "d.u 1 1 NS 026e73017800"));
	assert_int_equal(e.calls, 4);
	assert_non_null(strstr(e.msgs[0], "line 4: bad $ORIGIN: no name"));
	assert_non_null(strstr(e.msgs[0], "skipped up to the next valid $ORIGIN"));
	assert_non_null(strstr(e.msgs[1], "line 11: bad $ORIGIN name"));
	assert_non_null(
	    strstr(e.msgs[2], "line 4: 6 records after the bad $ORIGIN skipped (to line 12)"));
	assert_non_null(strstr(e.msgs[3], "line 14"));
	rows_free(&r);

	/* a bad $ORIGIN to the end of the file: still said how many were skipped */
	tmp_text(path, sizeof(path), "$ORIGIN t.\na NS ns.x.\n$ORIGIN %\nb NS ns.x.\n");
	memset(&e, 0, sizeof(e));
	assert_int_equal(ssr_zone_read(path, &o, collect, &r, &st, &d), SSR_EOK);
	assert_int_equal(st.skipped, 1);
	assert_int_equal(r.n, 1);
	assert_int_equal(e.calls, 2);
	assert_non_null(
	    strstr(e.msgs[1], "line 3: 1 record after the bad $ORIGIN skipped (to line 4)"));
	rows_free(&r);
	unlink(path);
}

/* $INCLUDE and $ORIGIN forms with quotes and escapes (libzscanner's test cases take them). */
static void include_and_origin_escapes(void **state)
{
	(void)state;
	char dir[256], path[512], inc[512];
	const char *tmp = getenv("TMPDIR");
	snprintf(dir, sizeof(dir), "%s/ssrtest-incXXXXXX", tmp ? tmp : "/tmp");
	assert_non_null(mkdtemp(dir));
	snprintf(inc, sizeof(inc), "%s/inc", dir);
	assert_int_equal(mkdir(inc, 0700), 0);
	snprintf(path, sizeof(path), "%s/inc/one", dir);
	FILE *f = fopen(path, "w");
	fputs("@ NS @\n", f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/inc/2", dir); /* \050 is decimal: '2' */
	f = fopen(path, "w");
	fputs("x NS @\n", f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/main.zone", dir);
	f = fopen(path, "w");
	fputs("$ORIGIN .\n$TTL 1\n"
	      "$INCLUDE \"inc/one\" .\n"
	      "$INCLUDE inc/\\050 tld.\n"
	      "$INCLUDE \\./inc/one _a_.-b-c-./d/.\n"
	      "$INCLUDE inc/one \\0320\\ \\\\\\\"\\.\\@\\*.tld.\n"
	      "$ORIGIN \\0320\\ \\\\\\\"\\.\\@\\*.tld.\n"
	      "@ NS @\n"
	      "$INCLUDE \"inc/one\" \"quoted.\"\n",
	      f);
	fclose(f);
	rows_t r = {0};
	ssr_zone_read_stats_t st;
	ssr_diag_t d;
	assert_int_equal(read_with(path, SSR_ZONE_ENGINE_AUTO, true, &r, &st, &d), SSR_EOK);
	assert_int_equal(r.n, 5);
	assert_int_equal(st.errors, 1); /* a quoted origin */
	assert_true(has_row(&r, ". 1 1 NS 00"));
	assert_true(has_row(&r, "x.tld 1 1 NS 03746c6400"));
	assert_true(has_row(&r, "_a_.-b-c-./d/ 1 1 NS 035f615f052d622d632d032f642f00"));
	/* the origin with special characters (\032, 0, an escaped space, backslash, quote, dot,
	 * @, *), through $INCLUDE and through $ORIGIN */
	size_t same = 0;
	for (size_t i = 0; i < r.n; i++) {
		if (strstr(r.rows[i], " 1 1 NS 082030205c222e402a03746c6400") != NULL) {
			same++;
		}
	}
	assert_int_equal(same, 2);
	rows_free(&r);
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

/* Types newer than Debian's libzscanner: read through a twin type (TXT for WALLET/RESINFO), with
 * ssrwatch's own DSYNC reader, as RFC 3597 generic data, or counted with unvalidated rdata;
 * never an error when valid, an error when bad. */
static void newer_types_are_read_not_refused(void **state)
{
	(void)state;
	char path[256];
	tmp_text(path, sizeof(path),
	         "$ORIGIN example.\n$TTL 1\n"
	         "@ WALLET \"a\" b\n"
	         "@ resinfo \"qnamemin\"\n"
	         "@ TYPE261 \"x\"\n"
	         "_dsync DSYNC CDS NOTIFY 53 x.example.\n"
	         "_dsync TYPE66 ( CSYNC 1\n  5360 . )\n"
	         "@ WALLET \\# 2 0161\n"
	         "@ NULL \\# 2 abcd\n"
	         "h HHIT AAECAw==\n");
	rows_t r = {0};
	ssr_zone_read_stats_t st;
	ssr_diag_t d;
	assert_int_equal(read_with(path, SSR_ZONE_ENGINE_AUTO, false, &r, &st, &d), SSR_EOK);
	assert_int_equal(r.n, 8);
	assert_true(has_row(&r, "example 1 1 WALLET 01610162"));
	assert_true(has_row(&r, "example 1 1 RESINFO 08716e616d656d696e"));
	assert_true(has_row(&r, "example 1 1 RESINFO 0178"));
	/* type 59 (CDS), scheme 1, port 53, target */
	assert_true(has_row(&r, "_dsync.example 1 1 DSYNC 003b0100350178076578616d706c6500"));
	assert_true(has_row(&r, "_dsync.example 1 1 DSYNC 003e0114f000"));
	assert_true(has_row(&r, "example 1 1 WALLET 0161"));
	assert_true(has_row(&r, "example 1 1 NULL abcd"));
	assert_true(has_row(&r, "h.example 1 1 HHIT "));
	assert_int_equal(st.n_unvalidated, 1);
	assert_int_equal(st.unvalidated[0].type, 67);
	assert_int_equal(st.unvalidated[0].count, 1);
	rows_free(&r);

	/* bad ones are errors with the reason */
	tmp_text(path, sizeof(path),
	         "$ORIGIN example.\n@ WALLET\n@ DSYNC\n@ DSYNC \\# 0\n@ DSYNC CDS\n"
	         "@ DSYNC JUNK NOTIFY 53 x.\n@ DSYNC CDS JUNK 53 x.\n@ DSYNC CDS NOTIFY 65567 x.\n"
	         "@ DSYNC CDS NOTIFY 1 a&b.\n@ HHIT\n@ WALLET \"unclosed\n");
	assert_int_equal(read_with(path, SSR_ZONE_ENGINE_AUTO, true, &r, &st, &d), SSR_EOK);
	assert_int_equal(r.n, 0);
	assert_int_equal(st.errors, 10);
	rows_free(&r);
	assert_int_equal(read_with(path, SSR_ZONE_ENGINE_AUTO, false, &r, &st, &d), SSR_EPARSE);
	assert_non_null(strstr(d.msg, "line 2"));
	rows_free(&r);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(rfc1035_features),
	    cmocka_unit_test(engines_agree_on_fixtures_and_generated),
	    cmocka_unit_test(kernels_agree_across_buffers),
	    cmocka_unit_test(unknown_kernel_refused),
	    cmocka_unit_test(base64_pieces_of_broken_quads_refused),
	    cmocka_unit_test(dnssec_fast_path_agrees),
	    cmocka_unit_test(bad_record_stops_with_file_and_line),
	    cmocka_unit_test(directives_and_limits),
	    cmocka_unit_test(callback_stop_and_compressed),
	    cmocka_unit_test(blank_owner_after_bad_owner),
	    cmocka_unit_test(bad_origin_skips_to_the_next_origin),
	    cmocka_unit_test(include_and_origin_escapes),
	    cmocka_unit_test(newer_types_are_read_not_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
