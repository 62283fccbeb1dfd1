/* tests for src/libstore/store.c on both backends: migrations, one row per zone and date,
 * history, abuse snapshots and rows written and read back field by field (NULLs, text that
 * COPY must escape), replacement, rollback, ordering, a newer schema refused.
 *
 * Every test runs on SQLite and on a real PostgreSQL server that CTest starts on loopback
 * (tests/pg/harness.sh; SSR_PG_STATE and SSR_PG_HARNESS name it).  Its databases collate
 * en-US, so an ORDER BY that depends on the database's collation shows up here. */
#include "../test_common.h"
#include "ssrwatch/portalstore.h"
#include "ssrwatch/store.h"
#include "ssrwatch/abusestore.h"
#include "ssrwatch/namesstore.h"
#include "ssrwatch/zonestore.h"

typedef struct {
	bool pg;
	char uri[512];
} backend_t;

static backend_t sqlite_backend = {false, ""};
static backend_t pg_backend = {true, ""};

static int setup(void **state)
{
	backend_t *b = *state;
	if (!b->pg) {
		tmp_write(b->uri, sizeof(b->uri), ".db", "", 0);
		unlink(b->uri); /* the store creates it */
		return 0;
	}
	const char *st = getenv("SSR_PG_STATE"), *harness = getenv("SSR_PG_HARNESS");
	if (st == NULL || harness == NULL) {
		fprintf(stderr, "SSR_PG_STATE/SSR_PG_HARNESS unset: run through ctest\n");
		return -1;
	}
	static unsigned seq;
	char cmd[1024];
	snprintf(cmd, sizeof(cmd), "bash '%s' createdb '%s' unit_store_%ld_%u", harness, st,
	         (long)getpid(), seq++);
	FILE *p = popen(cmd, "r");
	if (p == NULL || fgets(b->uri, sizeof(b->uri), p) == NULL) {
		if (p != NULL) {
			pclose(p);
		}
		return -1;
	}
	b->uri[strcspn(b->uri, "\n")] = '\0';
	return pclose(p) == 0 ? 0 : -1;
}

static int teardown(void **state)
{
	backend_t *b = *state;
	if (!b->pg) {
		char side[600];
		unlink(b->uri);
		snprintf(side, sizeof(side), "%s-wal", b->uri);
		unlink(side);
		snprintf(side, sizeof(side), "%s-shm", b->uri);
		unlink(side);
	}
	return 0;
}

/* A statistics document as text (keys deliberately unsorted: the store keeps one form). */
static void metrics(char *out, size_t cap, long serial, long deleg)
{
	snprintf(out, cap,
	         "{\"zone\": \"example\", \"serial\": %ld, \"bytes\": 1000,"
	         " \"records\": {\"total\": 50}, \"delegations\": %ld,"
	         " \"signed_delegations\": %ld}",
	         serial, deleg, deleg / 4);
}

static void snapshots_and_history(void **state)
{
	backend_t *b = *state;
	ssr_store_t *st;
	ssr_diag_t d;
	assert_int_equal(ssr_store_open(b->uri, &st, &d), SSR_EOK);
	assert_string_equal(ssr_store_backend(st), b->pg ? "postgresql" : "sqlite");
	int v = 0;
	assert_int_equal(ssr_store_schema_version(st, &v, &d), SSR_EOK);
	assert_int_equal(v, 15);
	char m1[256], m2[256], m3[256];
	metrics(m1, sizeof m1, 1, 100);
	metrics(m2, sizeof m2, 2, 120);
	metrics(m3, sizeof m3, 3, 140);
	assert_int_equal(ssr_store_zone_snapshot_put(st, "example", "2026-11-01", m1, &d), SSR_EOK);
	/* the same snapshot again does not duplicate it */
	assert_int_equal(ssr_store_zone_snapshot_put(st, "example", "2026-11-01", m1, &d), SSR_EOK);
	assert_int_equal(ssr_store_zone_snapshot_put(st, "example", "2026-11-02", m2, &d), SSR_EOK);
	assert_int_equal(ssr_store_zone_snapshot_put(st, "Other", "2026-11-01", m3, &d), SSR_EOK);
	/* not a JSON object: refused, nothing stored */
	assert_int_equal(ssr_store_zone_snapshot_put(st, "bad", "2026-11-01", "[1]", &d),
	                 SSR_EPARSE);
	assert_int_equal(ssr_store_zone_snapshot_put(st, "bad", "2026-11-01", "{", &d), SSR_EPARSE);
	ssr_store_free(st);
	/* reopen: data kept, migrations not rerun */
	assert_int_equal(ssr_store_open_existing(b->uri, &st, &d), SSR_EOK);
	ssr_zone_snapshot_t *rows = NULL;
	size_t n = 0;
	assert_int_equal(ssr_store_zone_snapshots(st, "example", &rows, &n, &d), SSR_EOK);
	assert_int_equal(n, 2);
	assert_string_equal(rows[0].zone, "example");
	assert_string_equal(rows[0].date, "2026-11-01");
	assert_true(rows[1].has_serial);
	assert_int_equal(rows[1].serial, 2);
	assert_int_equal(rows[1].bytes, 1000);
	/* stored in one canonical form: keys sorted, compact */
	assert_string_equal(rows[1].metrics,
	                    "{\"bytes\":1000,\"delegations\":120,\"records\":{\"total\":50},"
	                    "\"serial\":2,\"signed_delegations\":30,\"zone\":\"example\"}");
	ssr_store_zone_snapshots_free(rows, n);
	/* all zones, in byte order ("Other" before "example" in C, after it in en-US) */
	assert_int_equal(ssr_store_zone_snapshots(st, NULL, &rows, &n, &d), SSR_EOK);
	assert_int_equal(n, 3);
	assert_string_equal(rows[0].zone, "Other");
	ssr_store_zone_snapshots_free(rows, n);
	ssr_store_free(st);
}

/* ---- abuse: write, read back ------------------------------------------------- */

typedef struct {
	char buf[8192];
	size_t len;
} sink_t;

static void put(sink_t *s, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(s->buf + s->len, sizeof(s->buf) - s->len, fmt, ap);
	va_end(ap);
	assert_true(n >= 0 && (size_t)n < sizeof(s->buf) - s->len);
	s->len += (size_t)n;
}

#define OR_NULL(x) ((x) ? (x) : "NULL")

static int on_snapshot(const ssr_abuse_snapshot_t *s, void *ctx)
{
	put(ctx, "S %s %s %s %llu %llu %llu %s %d %s\n", s->tld, s->date, OR_NULL(s->zone_file),
	    (unsigned long long)s->zone_size, (unsigned long long)s->listed,
	    (unsigned long long)s->listed_in_zone, OR_NULL(s->index_origin), s->has_registrations,
	    OR_NULL(s->feeds));
	return SSR_EOK;
}

static int on_row(const char *tld, const char *date, const ssr_abuse_row_t *r, void *ctx)
{
	put(ctx, "R %s %s %s %d%d %u %s %s %s %s %llu\n", tld, date, r->domain, r->listed,
	    r->in_zone, r->categories, OR_NULL(r->feeds), OR_NULL(r->feed_first_seen),
	    OR_NULL(r->zone_first_seen), OR_NULL(r->created), (unsigned long long)r->registrar);
	return SSR_EOK;
}

static int on_dum(const char *tld, const char *date, uint64_t registrar, uint64_t domains,
                  void *ctx)
{
	put(ctx, "D %s %s %llu %llu\n", tld, date, (unsigned long long)registrar,
	    (unsigned long long)domains);
	return SSR_EOK;
}

static int on_registrar(uint64_t id, const char *name, void *ctx)
{
	put(ctx, "N %llu [%s]\n", (unsigned long long)id, name);
	return SSR_EOK;
}

static int on_price(const char *kind, const char *subject, const char *date, const char *price,
                    const char *currency, void *ctx)
{
	put(ctx, "P %s %s %s %s %s\n", kind, subject, date, price, currency);
	return SSR_EOK;
}

static int on_domain(const char *domain, void *ctx)
{
	put(ctx, "%s ", domain);
	return SSR_EOK;
}

static int count_domain(const char *domain, void *ctx)
{
	(void)domain;
	((sink_t *)ctx)->len++;
	return SSR_EOK;
}

typedef struct {
	size_t n, bad;
	char last[64];
} rows_seen_t;

/* Rows of abuse_many_parts: in (domain, date) order, each with the values it was written with. */
static int check_row(const char *tld, const char *date, const ssr_abuse_row_t *r, void *ctx)
{
	rows_seen_t *v = ctx;
	char key[64];
	snprintf(key, sizeof key, "%s %s", r->domain, date);
	unsigned long i = strtoul(r->domain + 1, NULL, 10);
	bool ok = strcmp(tld, "gamma") == 0 && strcmp(key, v->last) > 0 &&
	          r->listed == (i % 3 != 0) && r->in_zone == (i % 5 != 0) &&
	          r->categories == i % 7 && r->registrar == i &&
	          strcmp(r->feeds, i % 2 ? "op" : "op,sh") == 0 &&
	          (i % 4 ? r->feed_first_seen && strcmp(r->feed_first_seen, "2026-07-01") == 0
	                 : r->feed_first_seen == NULL) &&
	          strcmp(r->zone_first_seen, "2026-07-06") == 0 &&
	          strcmp(r->created, i % 11 ? "1999-12-31" : "sometime") == 0;
	v->bad += !ok;
	snprintf(v->last, sizeof v->last, "%s", key);
	v->n++;
	return SSR_EOK;
}

static void dump(ssr_store_t *st, const char *to, sink_t *s)
{
	ssr_diag_t d;
	s->len = 0;
	s->buf[0] = '\0';
	assert_int_equal(ssr_store_abuse_snapshots(st, to, on_snapshot, s, &d), SSR_EOK);
	assert_int_equal(ssr_store_abuse_rows(st, to, on_row, s, &d), SSR_EOK);
	assert_int_equal(ssr_store_registrar_domains(st, to, on_dum, s, &d), SSR_EOK);
	assert_int_equal(ssr_store_registrars(st, on_registrar, s, &d), SSR_EOK);
	assert_int_equal(ssr_store_prices(st, on_price, s, &d), SSR_EOK);
}

static void put_snapshot(ssr_store_t *st, const char *tld, const char *date, uint64_t size,
                         const ssr_abuse_row_t *rows, size_t n)
{
	ssr_diag_t d;
	ssr_abuse_snapshot_t s = {
	    .tld = tld,
	    .date = date,
	    .zone_file = "/data/zones/a b\\c.zone",
	    .zone_size = size,
	    .listed = n,
	    .listed_in_zone = n ? n - 1 : 0,
	    .index_origin = strcmp(date, "2026-07-06") == 0 ? NULL : "2026-07-06",
	    .has_registrations = true,
	    .feeds = "{\"op\": {\"lines\": 3, \"note\": \"tab\\there, quote \\\" back\\\\\"}}",
	};
	assert_int_equal(ssr_store_begin(st, &d), SSR_EOK);
	assert_int_equal(ssr_store_abuse_snapshot_put(st, &s, &d), SSR_EOK);
	assert_int_equal(ssr_store_abuse_rows_begin(st, &d), SSR_EOK);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(ssr_store_abuse_row_put(st, tld, date, &rows[i], &d), SSR_EOK);
	}
	assert_int_equal(ssr_store_abuse_rows_end(st, &d), SSR_EOK);
	assert_int_equal(ssr_store_registrar_domains_put(st, tld, date, 1049, size / 2, &d),
	                 SSR_EOK);
	assert_int_equal(ssr_store_registrar_domains_put(st, tld, date, 9, size / 3, &d), SSR_EOK);
	assert_int_equal(ssr_store_commit(st, &d), SSR_EOK);
}

/* in domain (byte) order, as the store takes them */
static const ssr_abuse_row_t rows1[] = {
    {"_dmarc-x.alpha", true, true, 8, "c2", NULL, "2026-07-06", NULL, 0},
    {"b-c.alpha", true, true, 1, "op", "2026-07-01", "2026-07-06", "2026-06-30", 1049},
    {"b0.alpha", true, true, 2, "uh", NULL, "2026-07-06", "2019-01-02", 9},
    {"bc.alpha", true, false, 5, "op,sh", NULL, NULL, NULL, 0},
};
static const ssr_abuse_row_t rows2[] = {
    {"b-c.alpha", false, true, 0, NULL, NULL, "2026-07-06", "2026-06-30", 1049},
    {"new.alpha", true, true, 1, "op", NULL, "2026-07-20", "2026-07-19", 1049},
};

static const char want_all[] =
    "S alpha 2026-07-06 /data/zones/a b\\c.zone 1000 4 3 NULL 1 {\"op\": {\"lines\": 3, "
    "\"note\": \"tab\\there, quote \\\" back\\\\\"}}\n"
    "S alpha 2026-07-20 /data/zones/a b\\c.zone 1010 2 1 2026-07-06 1 {\"op\": {\"lines\": 3, "
    "\"note\": \"tab\\there, quote \\\" back\\\\\"}}\n"
    "R alpha 2026-07-06 _dmarc-x.alpha 11 8 c2 NULL 2026-07-06 NULL 0\n"
    "R alpha 2026-07-06 b-c.alpha 11 1 op 2026-07-01 2026-07-06 2026-06-30 1049\n"
    "R alpha 2026-07-20 b-c.alpha 01 0  NULL 2026-07-06 2026-06-30 1049\n" /* no feeds: "" */
    "R alpha 2026-07-06 b0.alpha 11 2 uh NULL 2026-07-06 2019-01-02 9\n"
    "R alpha 2026-07-06 bc.alpha 10 5 op,sh NULL NULL NULL 0\n"
    "R alpha 2026-07-20 new.alpha 11 1 op NULL 2026-07-20 2026-07-19 1049\n"
    "D alpha 2026-07-06 9 333\n"
    "D alpha 2026-07-06 1049 500\n"
    "D alpha 2026-07-20 9 336\n"
    "D alpha 2026-07-20 1049 505\n"
    "N 9 [Zeta \"Z\"\tRegistrar, S.A.]\n"
    "N 1049 [ab\\c Ünïcode GmbH]\n"
    "P registrar 1049 2026-07-01 8.5 EUR\n"
    "P tld Alpha 2026-07-01 12.00 USD\n"
    "P tld alpha 2026-07-01 10.99 USD\n";

static void abuse_roundtrip(void **state)
{
	backend_t *b = *state;
	ssr_store_t *st;
	ssr_diag_t d;
	sink_t s;
	assert_int_equal(ssr_store_open(b->uri, &st, &d), SSR_EOK);
	/* a first write of the 07-20 snapshot that the second one replaces */
	put_snapshot(st, "alpha", "2026-07-20", 7, rows1, 4);
	put_snapshot(st, "alpha", "2026-07-06", 1000, rows1, 4);
	put_snapshot(st, "alpha", "2026-07-20", 1010, rows2, 2);
	assert_int_equal(ssr_store_registrar_put(st, 1049, "ab\\c Ünïcode GmbH", &d), SSR_EOK);
	assert_int_equal(ssr_store_registrar_put(st, 9, "Zeta \"Z\"\tRegistrar, S.A.", &d),
	                 SSR_EOK);
	assert_int_equal(ssr_store_price_put(st, "tld", "alpha", "2026-07-01", "10.99", "USD", &d),
	                 SSR_EOK);
	assert_int_equal(ssr_store_price_put(st, "tld", "Alpha", "2026-07-01", "12.00", "USD", &d),
	                 SSR_EOK);
	assert_int_equal(
	    ssr_store_price_put(st, "registrar", "1049", "2026-07-01", "8.5", "EUR", &d), SSR_EOK);
	ssr_store_free(st);

	assert_int_equal(ssr_store_open_existing(b->uri, &st, &d), SSR_EOK);
	dump(st, "2026-12-31", &s);
	assert_string_equal(s.buf, want_all);
	/* `to` cuts off later snapshots */
	dump(st, "2026-07-19", &s);
	assert_null(strstr(s.buf, "2026-07-20"));
	assert_non_null(strstr(s.buf, "R alpha 2026-07-06 bc.alpha"));
	/* previous snapshot, and the listings still open at it */
	char prev[11];
	assert_int_equal(ssr_store_abuse_previous(st, "alpha", "2026-08-03", prev, &d), SSR_EOK);
	assert_string_equal(prev, "2026-07-20");
	assert_int_equal(ssr_store_abuse_previous(st, "alpha", "2026-07-20", prev, &d), SSR_EOK);
	assert_string_equal(prev, "2026-07-06");
	assert_int_equal(ssr_store_abuse_previous(st, "alpha", "2026-07-06", prev, &d),
	                 SSR_ENOTFOUND);
	assert_int_equal(ssr_store_abuse_previous(st, "bravo", "2026-08-03", prev, &d),
	                 SSR_ENOTFOUND);
	s.len = 0;
	assert_int_equal(
	    ssr_store_abuse_open_listings(st, "alpha", "2026-07-06", on_domain, &s, &d), SSR_EOK);
	assert_string_equal(s.buf, "_dmarc-x.alpha b-c.alpha b0.alpha ");
	/* rows out of domain order, or of another snapshot, are refused naming them */
	assert_int_equal(ssr_store_begin(st, &d), SSR_EOK);
	assert_int_equal(ssr_store_abuse_rows_begin(st, &d), SSR_EOK);
	assert_int_equal(ssr_store_abuse_row_put(st, "alpha", "2026-08-03", &rows1[2], &d),
	                 SSR_EOK);
	assert_int_equal(ssr_store_abuse_row_put(st, "alpha", "2026-08-03", &rows1[1], &d),
	                 SSR_EINVAL);
	assert_non_null(strstr(d.msg, "out of domain order: 'b-c.alpha' after 'b0.alpha'"));
	assert_int_equal(ssr_store_abuse_row_put(st, "alpha", "2026-08-03", &rows1[2], &d),
	                 SSR_EINVAL);
	assert_int_equal(ssr_store_abuse_row_put(st, "bravo", "2026-08-03", &rows1[3], &d),
	                 SSR_EINVAL);
	assert_non_null(strstr(d.msg, "'bravo'"));
	ssr_store_rollback(st);
	ssr_store_free(st);
}

/* A snapshot of many parts (4096 rows each): every row back in order, the open ones too, and
 * a second snapshot merged with it row by row. */
static void abuse_many_parts(void **state)
{
	backend_t *b = *state;
	ssr_store_t *st;
	ssr_diag_t d;
	assert_int_equal(ssr_store_open(b->uri, &st, &d), SSR_EOK);
	const size_t n = 9001;
	ssr_abuse_row_t *r = calloc(n, sizeof(*r));
	char(*names)[32] = calloc(n, sizeof(*names));
	assert_non_null(r);
	assert_non_null(names);
	for (size_t k = 0; k < 2; k++) {
		const char *date = k ? "2026-07-20" : "2026-07-06";
		size_t m = 0;
		for (size_t i = k; i < n; i += 1 + k) {
			snprintf(names[m], sizeof names[m], "d%06zu.gamma", i);
			r[m] = (ssr_abuse_row_t){.domain = names[m],
			                         .listed = i % 3 != 0,
			                         .in_zone = i % 5 != 0,
			                         .categories = (uint32_t)(i % 7),
			                         .feeds = i % 2 ? "op" : "op,sh",
			                         .feed_first_seen = i % 4 ? "2026-07-01" : NULL,
			                         .zone_first_seen = "2026-07-06",
			                         .created = i % 11 ? "1999-12-31" : "sometime",
			                         .registrar = i};
			m++;
		}
		put_snapshot(st, "gamma", date, n, r, m);
	}
	sink_t *s = malloc(sizeof(*s));
	assert_non_null(s);
	s->len = 0;
	s->buf[0] = '\0';
	assert_int_equal(
	    ssr_store_abuse_open_listings(st, "gamma", "2026-07-06", count_domain, s, &d), SSR_EOK);
	size_t open = 0;
	for (size_t i = 0; i < n; i++) {
		open += i % 3 != 0 && i % 5 != 0;
	}
	assert_int_equal(s->len, open);
	rows_seen_t seen = {0};
	assert_int_equal(ssr_store_abuse_rows(st, "2026-12-31", check_row, &seen, &d), SSR_EOK);
	assert_int_equal(seen.n, n + n / 2);
	assert_int_equal(seen.bad, 0);
	free(s);
	free(names);
	free(r);
	ssr_store_free(st);
}

/* A transaction rolled back (a failed ingest) leaves nothing behind. */
static void rollback_leaves_nothing(void **state)
{
	backend_t *b = *state;
	ssr_store_t *st;
	ssr_diag_t d;
	sink_t before, after;
	assert_int_equal(ssr_store_open(b->uri, &st, &d), SSR_EOK);
	put_snapshot(st, "alpha", "2026-07-06", 1000, rows1, 4);
	dump(st, "2026-12-31", &before);
	assert_int_equal(ssr_store_begin(st, &d), SSR_EOK);
	ssr_abuse_snapshot_t s = {
	    .tld = "alpha", .date = "2026-07-06", .zone_file = "x", .zone_size = 5, .feeds = "{}"};
	assert_int_equal(ssr_store_abuse_snapshot_put(st, &s, &d), SSR_EOK);
	assert_int_equal(ssr_store_abuse_rows_begin(st, &d), SSR_EOK);
	assert_int_equal(ssr_store_abuse_row_put(st, "alpha", "2026-07-06", &rows2[1], &d),
	                 SSR_EOK);
	assert_int_equal(ssr_store_abuse_rows_end(st, &d), SSR_EOK);
	assert_int_equal(ssr_store_registrar_put(st, 77, "Half written", &d), SSR_EOK);
	ssr_store_rollback(st);
	dump(st, "2026-12-31", &after);
	assert_string_equal(after.buf, before.buf);
	/* freeing a store inside a transaction rolls it back too */
	assert_int_equal(ssr_store_begin(st, &d), SSR_EOK);
	assert_int_equal(ssr_store_registrar_put(st, 78, "Never committed", &d), SSR_EOK);
	ssr_store_free(st);
	assert_int_equal(ssr_store_open_existing(b->uri, &st, &d), SSR_EOK);
	dump(st, "2026-12-31", &after);
	assert_string_equal(after.buf, before.buf);
	ssr_store_free(st);
}

static int names_scan_out(const char *date, const char *zone, uint64_t delegations,
                          const char *brands, void *ctx)
{
	sink_t *s = ctx;
	s->len += (size_t)snprintf(s->buf + s->len, sizeof s->buf - s->len, "%s %s %llu %s;", date,
	                           zone, (unsigned long long)delegations, brands);
	return SSR_EOK;
}

static int names_match_out(const ssr_names_row_t *r, void *ctx)
{
	sink_t *s = ctx;
	s->len +=
	    (size_t)snprintf(s->buf + s->len, sizeof s->buf - s->len, "%s %s %s %s %s %.2f %s;",
	                     r->date, r->zone, r->domain, r->brand, r->kinds, r->score, r->detail);
	return SSR_EOK;
}

/* Misleading-name scans: stored, read back in key order, a repeat of (date, zone) replaces. */
static void names_roundtrip(void **state)
{
	backend_t *b = *state;
	ssr_store_t *st;
	ssr_diag_t d;
	assert_int_equal(ssr_store_open(b->uri, &st, &d), SSR_EOK);
	ssr_names_row_t m1 = {"2026-09-28", "com", "paypa1.com",       "paypal.com",
	                      "homoglyph",  0.95,  "skeleton 'paypal'"};
	ssr_names_row_t m2 = {"2026-09-28", "com", "paypal-login.com", "paypal.com",
	                      "combosquat", 0.8,   "with 'login'"};
	ssr_names_row_t m3 = {"2026-09-28", "net", "g00gle.net", "google", "homoglyph", 0.95, "x"};
	assert_int_equal(ssr_store_begin(st, &d), SSR_EOK);
	assert_int_equal(ssr_store_names_scan_put(st, "2026-09-28", "com", 1000, "b.txt", &d),
	                 SSR_EOK);
	assert_int_equal(ssr_store_names_match_put(st, &m1, &d), SSR_EOK);
	assert_int_equal(ssr_store_names_match_put(st, &m2, &d), SSR_EOK);
	assert_int_equal(ssr_store_names_scan_put(st, "2026-09-28", "net", 500, "b.txt", &d),
	                 SSR_EOK);
	assert_int_equal(ssr_store_names_match_put(st, &m3, &d), SSR_EOK);
	assert_int_equal(ssr_store_commit(st, &d), SSR_EOK);
	sink_t s = {0};
	assert_int_equal(
	    ssr_store_names_scans(st, "2026-07-01", "2026-09-30", names_scan_out, &s, &d), SSR_EOK);
	assert_string_equal(s.buf, "2026-09-28 com 1000 b.txt;2026-09-28 net 500 b.txt;");
	s = (sink_t){0};
	assert_int_equal(
	    ssr_store_names_matches(st, "2026-07-01", "2026-09-30", names_match_out, &s, &d),
	    SSR_EOK);
	assert_string_equal(s.buf,
	                    "2026-09-28 com paypa1.com paypal.com homoglyph 0.95 skeleton "
	                    "'paypal';2026-09-28 com paypal-login.com paypal.com combosquat "
	                    "0.80 with 'login';2026-09-28 net g00gle.net google homoglyph 0.95 x;");
	/* a repeat scan of (date, com) replaces com's matches, not net's */
	assert_int_equal(ssr_store_names_scan_put(st, "2026-09-28", "com", 1200, "c.txt", &d),
	                 SSR_EOK);
	assert_int_equal(ssr_store_names_match_put(st, &m2, &d), SSR_EOK);
	s = (sink_t){0};
	assert_int_equal(
	    ssr_store_names_matches(st, "2026-09-28", "2026-09-28", names_match_out, &s, &d),
	    SSR_EOK);
	assert_string_equal(s.buf,
	                    "2026-09-28 com paypal-login.com paypal.com combosquat 0.80 with "
	                    "'login';2026-09-28 net g00gle.net google homoglyph 0.95 x;");
	s = (sink_t){0};
	assert_int_equal(
	    ssr_store_names_scans(st, "2026-10-01", "2026-12-31", names_scan_out, &s, &d), SSR_EOK);
	assert_string_equal(s.buf, "");
	ssr_store_free(st);
}

/* A store written by a newer ssrwatch is refused and left as it is. */
static void newer_schema_refused(void **state)
{
	backend_t *b = *state;
	ssr_store_t *st;
	ssr_diag_t d;
	assert_int_equal(ssr_store_open(b->uri, &st, &d), SSR_EOK);
	ssr_store_free(st);
	char cmd[1200];
	if (b->pg) {
		snprintf(cmd, sizeof(cmd),
		         "psql -q '%s' -c \"UPDATE ssr_meta SET value = '99' WHERE key = "
		         "'schema_version'\" >/dev/null",
		         b->uri);
	} else {
		snprintf(cmd, sizeof(cmd), "sqlite3 '%s' 'PRAGMA user_version = 99'", b->uri);
	}
	assert_int_equal(system(cmd), 0);
	assert_int_equal(ssr_store_open(b->uri, &st, &d), SSR_ESTORE);
	assert_non_null(strstr(d.msg, "newer"));
	assert_int_equal(ssr_store_open_existing(b->uri, &st, &d), SSR_ESTORE);
}

static void bad_stores(void **state)
{
	(void)state;
	ssr_store_t *st;
	ssr_diag_t d;
	assert_int_equal(ssr_store_open("/nonexistent/dir/x.db", &st, &d), SSR_ESTORE);
	assert_non_null(strstr(d.msg, "/nonexistent/dir/x.db"));
	/* readers do not create a store */
	assert_int_equal(ssr_store_open_existing("/tmp/ssrwatch-no-such-store.db", &st, &d),
	                 SSR_ENOTFOUND);
	assert_string_equal(d.msg, "store '/tmp/ssrwatch-no-such-store.db': no such file");
	assert_int_equal(access("/tmp/ssrwatch-no-such-store.db", F_OK), -1);
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
}

/* Accounts and the principals of tokens and sessions come back as typed structs: every field,
 * a session only until it expires, a missing one SSR_ENOTFOUND. */
static void accounts_and_principals(void **state)
{
	backend_t *b = *state;
	ssr_store_t *st;
	ssr_diag_t d;
	assert_int_equal(ssr_store_open(b->uri, &st, &d), SSR_EOK);
	ssr_party_t party = {.kind = "registrar", .name = "Reg One", .iana_id = 9001};
	int64_t pid = 0, aid = 0, admin_id = 0;
	assert_int_equal(ssr_store_party_put(st, &party, 100, &pid, &d), SSR_EOK);
	assert_int_equal(
	    ssr_store_account_put(st, "reg1", "$argon2id$x", pid, false, 100, &aid, &d), SSR_EOK);
	assert_int_equal(
	    ssr_store_account_put(st, "root", "$argon2id$y", 0, true, 100, &admin_id, &d), SSR_EOK);
	assert_int_equal(ssr_store_account_set_editor(st, "root", true, &d), SSR_EOK);

	ssr_account_t a;
	assert_int_equal(ssr_store_account_by_login(st, "reg1", &a, &d), SSR_EOK);
	assert_int_equal(a.id, aid);
	assert_string_equal(a.login, "reg1");
	assert_string_equal(a.pw_hash, "$argon2id$x");
	assert_int_equal(a.party_id, pid);
	assert_false(a.admin);
	assert_false(a.editor);
	assert_int_equal(ssr_store_account_by_login(st, "root", &a, &d), SSR_EOK);
	assert_int_equal(a.party_id, 0);
	assert_true(a.admin);
	assert_true(a.editor);
	assert_int_equal(ssr_store_account_by_login(st, "nobody", &a, &d), SSR_ENOTFOUND);

	ssr_principal_t w;
	assert_int_equal(ssr_store_token_put(st, "tdigest", aid, "ci", 100, &d), SSR_EOK);
	assert_int_equal(ssr_store_token_principal(st, "tdigest", &w, &d), SSR_EOK);
	assert_int_equal(w.account_id, aid);
	assert_string_equal(w.login, "reg1");
	assert_int_equal(w.party_id, pid);
	assert_string_equal(w.csrf, "");
	assert_int_equal(w.expires, 0);
	assert_int_equal(ssr_store_token_principal(st, "other", &w, &d), SSR_ENOTFOUND);

	assert_int_equal(ssr_store_session_put(st, "sdigest", admin_id, "csrf-token", 200, &d),
	                 SSR_EOK);
	assert_int_equal(ssr_store_session_principal(st, "sdigest", 199, &w, &d), SSR_EOK);
	assert_int_equal(w.account_id, admin_id);
	assert_string_equal(w.login, "root");
	assert_true(w.admin && w.editor);
	assert_string_equal(w.csrf, "csrf-token");
	assert_int_equal(w.expires, 200);
	assert_int_equal(ssr_store_session_principal(st, "sdigest", 200, &w, &d), SSR_ENOTFOUND);

	/* a stored value longer than its field is an error, never cut */
	char big[SSR_LOGIN_MAX + 40];
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(ssr_store_account_put(st, big, "h", 0, false, 100, &aid, &d), SSR_EOK);
	assert_int_equal(ssr_store_account_by_login(st, big, &a, &d), SSR_ELIMIT);
	ssr_store_free(st);
}

/* A store secret: made once, the same for every process (store handle) after; rate limits and
 * login backoff shared by two handles. */
static void shared_secret(void **state)
{
	backend_t *b = *state;
	ssr_store_t *s1, *s2;
	ssr_diag_t d;
	assert_int_equal(ssr_store_open(b->uri, &s1, &d), SSR_EOK);
	assert_int_equal(ssr_store_open(b->uri, &s2, &d), SSR_EOK);
	uint8_t a[32], c[32], e[32], zero[32] = {0};
	assert_int_equal(ssr_store_secret(s1, "portal.csrf", a, sizeof a, &d), SSR_EOK);
	assert_int_equal(ssr_store_secret(s2, "portal.csrf", c, sizeof c, &d), SSR_EOK);
	assert_memory_equal(a, c, sizeof a);
	assert_memory_not_equal(a, zero, sizeof a);
	assert_int_equal(ssr_store_secret(s2, "other", e, sizeof e, &d), SSR_EOK);
	assert_memory_not_equal(a, e, sizeof a);
	/* the same name asked with another length: refused, the stored value untouched */
	assert_int_equal(ssr_store_secret(s1, "portal.csrf", e, 16, &d), SSR_ECORRUPT);
	/* a rate limit shared by two handles: 3 a minute (one every 20 s, 40 s of burst) */
	bool ok;
	int64_t tat;
	const int64_t now = 1795000000000LL;
	for (int i = 0; i < 3; i++) {
		assert_int_equal(ssr_store_rate_hit(i % 2 ? s1 : s2, "ip:192.0.2.1", now, 20000,
		                                    40000, &ok, &tat, &d),
		                 SSR_EOK);
		assert_true(ok);
	}
	assert_int_equal(ssr_store_rate_hit(s1, "ip:192.0.2.1", now, 20000, 40000, &ok, &tat, &d),
	                 SSR_EOK);
	assert_false(ok);
	assert_int_equal(tat - 40000 - now, 20000); /* wait 20 s */
	assert_int_equal(ssr_store_rate_hit(s2, "ip:192.0.2.2", now, 20000, 40000, &ok, &tat, &d),
	                 SSR_EOK);
	assert_true(ok); /* another key */
	assert_int_equal(
	    ssr_store_rate_hit(s2, "ip:192.0.2.1", now + 20000, 20000, 40000, &ok, &tat, &d),
	    SSR_EOK);
	assert_true(ok); /* 20 s later: one more */
	/* a login's backoff shared by two handles: failures from both count, the later wait holds,
	 * a success forgets the login */
	unsigned fails = 0;
	int64_t until = -1;
	assert_int_equal(ssr_store_backoff_get(s1, "loginfail:ann", &until, &d), SSR_EOK);
	assert_int_equal(until, 0);
	for (unsigned i = 1; i <= 6; i++) {
		assert_int_equal(
		    ssr_store_backoff_fail(i % 2 ? s1 : s2, "loginfail:ann", &fails, &d), SSR_EOK);
		assert_int_equal(fails, i);
	}
	assert_int_equal(ssr_store_backoff_set(s1, "loginfail:ann", 1795000100LL, &d), SSR_EOK);
	assert_int_equal(ssr_store_backoff_set(s2, "loginfail:ann", 1795000050LL, &d), SSR_EOK);
	assert_int_equal(ssr_store_backoff_get(s2, "loginfail:ann", &until, &d), SSR_EOK);
	assert_int_equal(until, 1795000100LL); /* never made earlier */
	assert_int_equal(ssr_store_backoff_get(s2, "loginfail:bob", &until, &d), SSR_EOK);
	assert_int_equal(until, 0);
	assert_int_equal(ssr_store_backoff_set(s2, "loginfail:ann", 0, &d), SSR_EOK);
	assert_int_equal(ssr_store_backoff_get(s1, "loginfail:ann", &until, &d), SSR_EOK);
	assert_int_equal(until, 0);
	assert_int_equal(ssr_store_backoff_fail(s1, "loginfail:ann", &fails, &d), SSR_EOK);
	assert_int_equal(fails, 1); /* afresh after the success */
	ssr_store_free(s1);
	ssr_store_free(s2);
}

#define BOTH(fn)                                                                                   \
	cmocka_unit_test_prestate_setup_teardown(fn, setup, teardown, &sqlite_backend),            \
	    cmocka_unit_test_prestate_setup_teardown(fn, setup, teardown, &pg_backend)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    BOTH(snapshots_and_history),   BOTH(abuse_roundtrip),      BOTH(abuse_many_parts),
	    BOTH(rollback_leaves_nothing), BOTH(newer_schema_refused), BOTH(names_roundtrip),
	    BOTH(accounts_and_principals), BOTH(shared_secret),        cmocka_unit_test(bad_stores),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
