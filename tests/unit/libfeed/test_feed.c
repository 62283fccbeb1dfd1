/* tests for src/libfeed/feed.c: every shape, normalisation, reject accounting, bad input */
#include <zlib.h>

#include "../psl_fixture.h"
#include "ssrwatch/feed.h"

typedef struct {
	char got[64][128];
	int n;
	uint64_t reject_lines[64];
	ssr_feed_reject_t reject_why[64];
	int nrej;
} sink_t;

static int on_entry(const ssr_feed_entry_t *e, void *ctx)
{
	sink_t *s = ctx;
	if (s->n < 64) {
		snprintf(s->got[s->n++], 128, "%s|%s|%s|%lld|%lld|%llu", e->domain, e->tld,
		         ssr_abuse_category_name(e->category), (long long)e->first_seen,
		         (long long)e->last_seen, (unsigned long long)e->line);
	}
	return SSR_EOK;
}

static void on_reject(const char *file, uint64_t line, ssr_feed_reject_t why, const char *text,
                      size_t len, void *ctx)
{
	(void)file;
	(void)text;
	(void)len;
	sink_t *s = ctx;
	if (s->nrej < 64) {
		s->reject_lines[s->nrej] = line;
		s->reject_why[s->nrej++] = why;
	}
}

static bool only_measured(const char *tld, void *ctx)
{
	(void)ctx;
	return strcmp(tld, "com") == 0 || strcmp(tld, "example") == 0 || strcmp(tld, "uk") == 0 ||
	       strcmp(tld, "xn--p1ai") == 0;
}

static int read_text(const char *text, ssr_feed_format_t fmt, sink_t *s, ssr_feed_stats_t *st,
                     ssr_diag_t *d)
{
	char path[256];
	tmp_text(path, sizeof(path), text);
	ssr_feed_opts_t o = {.name = "test",
	                     .category = SSR_ABUSE_PHISHING,
	                     .format = fmt,
	                     .psl = psl,
	                     .tld_ok = only_measured,
	                     .on_reject = on_reject,
	                     .reject_ctx = s};
	memset(s, 0, sizeof(*s));
	int rc = ssr_feed_read(path, &o, on_entry, s, st, d);
	unlink(path);
	return rc;
}

static void normalise_hosts_and_urls(void **state)
{
	(void)state;
	struct {
		const char *in, *want;
		ssr_feed_reject_t why;
	} cases[] = {
	    {"WWW.Example.COM.", "example.com", 0},
	    {"  login.bank.example.co.uk  ", "example.co.uk", 0},
	    {"https://user:pw@Paypal-Secure.example.com:8443/login?x=1#f", "example.com", 0},
	    {"http://a.b.c.example/", "c.example", 0},
	    {"//cdn.example.com/x.js", "example.com", 0},
	    {"*.wild.example.com", "example.com", 0},
	    {"пример.рф", "xn--e1afmkfd.xn--p1ai", 0},
	    {"http://192.0.2.1/x", NULL, SSR_FEED_REJECT_IP},
	    {"198.51.100.7", NULL, SSR_FEED_REJECT_IP},
	    {"http://[2001:db8::1]/", NULL, SSR_FEED_REJECT_IP},
	    {"2001:db8::1", NULL, SSR_FEED_REJECT_IP},
	    {"co.uk", NULL, SSR_FEED_REJECT_SUFFIX},
	    {"com", NULL, SSR_FEED_REJECT_SUFFIX},
	    {"bad..example.com", NULL, SSR_FEED_REJECT_SYNTAX},
	    {"spa ce.com", NULL, SSR_FEED_REJECT_SYNTAX},
	    {"exa$mple.com", NULL, SSR_FEED_REJECT_SYNTAX},
	    {"", NULL, SSR_FEED_REJECT_SYNTAX},
	    {"http://host.example.com:80x/", NULL, SSR_FEED_REJECT_SYNTAX},
	    {"\xff\xfe.com", NULL, SSR_FEED_REJECT_IDN},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char out[256];
		ssr_feed_reject_t why = SSR_FEED_REJECT_COUNT;
		int rc = ssr_feed_normalise(psl, cases[i].in, strlen(cases[i].in), out, sizeof(out),
		                            &why);
		if (cases[i].want != NULL) {
			if (rc != SSR_EOK) {
				print_error("case %zu '%s': rejected as %s\n", i, cases[i].in,
				            ssr_feed_reject_name(why));
			}
			assert_int_equal(rc, SSR_EOK);
			assert_string_equal(out, cases[i].want);
		} else {
			if (rc == SSR_EOK || why != cases[i].why) {
				print_error("case %zu '%s': rc %d why %s\n", i, cases[i].in, rc,
				            ssr_feed_reject_name(why));
			}
			assert_int_equal(rc, SSR_EPARSE);
			assert_int_equal(why, cases[i].why);
		}
	}
}

/* Found by fuzz_feed: a NUL inside a line once made an empty registered domain. */
static void control_bytes_are_syntax_errors(void **state)
{
	(void)state;
	static const char nul[] = "eil.e.\0\x80"
	                          "a.me";
	char out[256];
	ssr_feed_reject_t why = SSR_FEED_REJECT_COUNT;
	assert_int_equal(ssr_feed_normalise(psl, nul, sizeof(nul) - 1, out, sizeof(out), &why),
	                 SSR_EPARSE);
	assert_int_equal(why, SSR_FEED_REJECT_SYNTAX);
	assert_int_equal(ssr_feed_normalise(psl, "a\x01b.com", 7, out, sizeof(out), &why),
	                 SSR_EPARSE);
	assert_int_equal(why, SSR_FEED_REJECT_SYNTAX);
}

static void times_and_categories(void **state)
{
	(void)state;
	int64_t t;
	assert_int_equal(ssr_feed_parse_time("2026-11-23", 10, &t), SSR_EOK);
	assert_int_equal(t, 1795392000);
	assert_int_equal(ssr_feed_parse_time("2026-11-23 01:02:03", 19, &t), SSR_EOK);
	assert_int_equal(t, 1795392000 + 3723);
	assert_int_equal(ssr_feed_parse_time("2026-11-23T01:02:03Z", 20, &t), SSR_EOK);
	assert_int_equal(t, 1795392000 + 3723);
	assert_int_equal(ssr_feed_parse_time("1700000000", 10, &t), SSR_EOK);
	assert_int_equal(t, 1700000000);
	assert_int_equal(ssr_feed_parse_time("23/11/2026", 10, &t), SSR_EPARSE);
	assert_int_equal(ssr_feed_parse_time("2026-13-01", 10, &t), SSR_EPARSE);
	ssr_abuse_category_t c;
	assert_int_equal(ssr_abuse_category_parse("C2", 2, &c), SSR_EOK);
	assert_int_equal(c, SSR_ABUSE_BOTNET_CC);
	assert_int_equal(ssr_abuse_category_parse("Phish", 5, &c), SSR_EOK);
	assert_int_equal(c, SSR_ABUSE_PHISHING);
	assert_int_equal(ssr_abuse_category_parse("adware", 6, &c), SSR_EINVAL);
}

static void domains_feed_with_rejects(void **state)
{
	(void)state;
	sink_t s;
	ssr_feed_stats_t st;
	ssr_diag_t d;
	assert_int_equal(read_text("# a comment\n"
	                           "evil.example.com\n"
	                           "\n"
	                           "phish.co.uk # trailing comment\n"
	                           "192.0.2.9\n"
	                           "bad..name.com\n"
	                           "other.org\n"
	                           "two words.com here\n"
	                           "SHOP.Example\r\n",
	                           SSR_FEED_AUTO, &s, &st, &d),
	                 SSR_EOK);
	assert_int_equal(st.format, SSR_FEED_DOMAINS);
	assert_int_equal(st.lines, 9);
	assert_int_equal(st.skipped, 2);
	assert_int_equal(st.accepted, 3);
	assert_string_equal(s.got[0], "example.com|com|phishing|0|0|2");
	assert_string_equal(s.got[1], "phish.co.uk|uk|phishing|0|0|4");
	assert_string_equal(s.got[2], "shop.example|example|phishing|0|0|9");
	assert_int_equal(st.rejected[SSR_FEED_REJECT_IP], 1);
	assert_int_equal(st.rejected[SSR_FEED_REJECT_SYNTAX], 2);
	assert_int_equal(st.rejected[SSR_FEED_REJECT_TLD], 1); /* other.org */
	assert_int_equal(s.nrej, 4);
	assert_int_equal(s.reject_lines[0], 5);
	assert_int_equal(s.reject_why[0], SSR_FEED_REJECT_IP);
}

static void csv_urls_and_hosts_feeds(void **state)
{
	(void)state;
	sink_t s;
	ssr_feed_stats_t st;
	ssr_diag_t d;
	assert_int_equal(
	    read_text("id,url,date_added,threat\n"
	              "1,\"http://x.evil.com/a,b\",2026-11-01 10:00:00,malware_download\n"
	              "2,https://login.example.co.uk/,2026-11-02,phish\n"
	              "3,http://y.evil.com/,not-a-date,malware\n"
	              "4,http://z.evil.com/,2026-11-03,adware\n"
	              "5\n",
	              SSR_FEED_AUTO, &s, &st, &d),
	    SSR_EOK);
	assert_int_equal(st.format, SSR_FEED_CSV);
	assert_int_equal(st.accepted, 2);
	assert_string_equal(s.got[0], "evil.com|com|malware|1793527200|0|2");
	assert_string_equal(s.got[1], "example.co.uk|uk|phishing|1793577600|0|3");
	assert_int_equal(st.rejected[SSR_FEED_REJECT_DATE], 1);
	assert_int_equal(st.rejected[SSR_FEED_REJECT_CATEGORY], 1);
	assert_int_equal(st.rejected[SSR_FEED_REJECT_SYNTAX], 1);

	assert_int_equal(read_text("# hosts\n0.0.0.0 a.evil.com b.evil.example # c\n"
	                           "127.0.0.1 localhost\nnot-an-ip host.com\n",
	                           SSR_FEED_AUTO, &s, &st, &d),
	                 SSR_EOK);
	assert_int_equal(st.format, SSR_FEED_HOSTS);
	assert_int_equal(st.accepted, 2);
	assert_string_equal(s.got[1], "evil.example|example|phishing|0|0|2");
	assert_int_equal(st.rejected[SSR_FEED_REJECT_SUFFIX], 1); /* localhost */
	assert_int_equal(st.rejected[SSR_FEED_REJECT_SYNTAX], 1);

	assert_int_equal(
	    read_text("https://a.example.com/x\nftp://b.example.com\n", SSR_FEED_AUTO, &s, &st, &d),
	    SSR_EOK);
	assert_int_equal(st.format, SSR_FEED_URLS);
	assert_int_equal(st.accepted, 2);
}

static void bad_feeds(void **state)
{
	(void)state;
	sink_t s;
	ssr_feed_stats_t st;
	ssr_diag_t d;
	assert_int_equal(read_text("# nothing\n192.0.2.1\nfoo.org\n", SSR_FEED_AUTO, &s, &st, &d),
	                 SSR_EPARSE);
	assert_non_null(strstr(d.msg, "no valid lines (3 lines, 2 rejected)"));
	assert_int_equal(read_text("a,b,c\n1,2,3\n", SSR_FEED_CSV, &s, &st, &d), SSR_EPARSE);
	assert_non_null(strstr(d.msg, "line 1: CSV header names no domain or url column"));
	/* a line over the cap is counted, not fatal */
	char *big = malloc(SSR_FEED_MAX_LINE * 2 + 64);
	memset(big, 'a', SSR_FEED_MAX_LINE * 2);
	memcpy(big + SSR_FEED_MAX_LINE * 2, ".com\nok.example.com\n", 21);
	assert_int_equal(read_text(big, SSR_FEED_DOMAINS, &s, &st, &d), SSR_EOK);
	assert_int_equal(st.rejected[SSR_FEED_REJECT_LONG], 1);
	assert_int_equal(st.accepted, 1);
	assert_string_equal(s.got[0], "example.com|com|phishing|0|0|2");
	free(big);
	ssr_feed_opts_t o = {.name = "x", .psl = psl};
	assert_int_equal(ssr_feed_read("/nonexistent/feed.txt", &o, on_entry, &s, &st, &d),
	                 SSR_ENOTFOUND);
	assert_non_null(strstr(d.msg, "feed 'x'"));
}

static void gzip_feed(void **state)
{
	(void)state;
	char path[256];
	tmp_text(path, sizeof(path), "");
	gzFile g = gzopen(path, "wb");
	gzputs(g, "a.example.com\nb.example.com\n");
	gzclose(g);
	sink_t s = {0};
	ssr_feed_stats_t st;
	ssr_diag_t d;
	ssr_feed_opts_t o = {.name = "gz", .category = SSR_ABUSE_SPAM, .psl = psl};
	assert_int_equal(ssr_feed_read(path, &o, on_entry, &s, &st, &d), SSR_EOK);
	assert_int_equal(st.accepted, 2);
	assert_string_equal(s.got[1], "example.com|com|spam|0|0|2");
	unlink(path);
}

/* ---- the batched reader: the same events, in the same order, as the one-by-one reader ---- */

typedef struct {
	char *log; /* one line per event */
	size_t n, cap;
	size_t entries, stop_after; /* stop_after: fail on that many entries (0: never) */
	size_t batches, prepared;
} events_t;

static void ev_add(events_t *ev, const char *s)
{
	size_t l = strlen(s);
	if (ev->n + l + 2 > ev->cap) {
		ev->cap = (ev->cap + l + 2) * 2;
		ev->log = realloc(ev->log, ev->cap);
		assert_non_null(ev->log);
	}
	memcpy(ev->log + ev->n, s, l);
	ev->n += l;
	ev->log[ev->n++] = '\n';
	ev->log[ev->n] = '\0';
}

static int ev_entry(const ssr_feed_entry_t *e, void *ctx)
{
	events_t *ev = ctx;
	if (ev->stop_after && ev->entries == ev->stop_after) {
		return SSR_ESTOP;
	}
	ev->entries++;
	char b[2048];
	snprintf(b, sizeof b, "E %s %s %d %lld %llu %s", e->domain, e->tld, (int)e->category,
	         (long long)e->first_seen, (unsigned long long)e->line, e->host ? e->host : "-");
	ev_add(ev, b);
	return SSR_EOK;
}

/* on the reading thread: each entry's line and domain length into its slot */
static void ev_prepare(const ssr_feed_entry_t *e, void *slot, void *ctx)
{
	(void)ctx;
	uint64_t v[2] = {e->line, strlen(e->domain)};
	memcpy(slot, v, sizeof v);
}

static int ev_batch(const ssr_feed_entry_t *e, const void *slots, size_t n, void *ctx)
{
	events_t *ev = ctx;
	assert_true(n >= 1 && n <= SSR_FEED_BATCH);
	ev->batches++;
	for (size_t i = 0; i < n && slots != NULL; i++) {
		const uint64_t *v = (const uint64_t *)slots + 2 * i;
		assert_int_equal(v[0], e[i].line);
		assert_int_equal(v[1], strlen(e[i].domain));
		ev->prepared++;
	}
	for (size_t i = 0; i < n; i++) {
		int rc = ev_entry(&e[i], ctx);
		if (rc != SSR_EOK) {
			return rc;
		}
	}
	return SSR_EOK;
}

static void ev_reject(const char *file, uint64_t line, ssr_feed_reject_t why, const char *text,
                      size_t len, void *ctx)
{
	(void)file;
	events_t *ev = ctx;
	char b[64];
	snprintf(b, sizeof b, "R %llu %d %zu %02x%02x", (unsigned long long)line, (int)why, len,
	         len ? (unsigned char)text[0] : 0, len ? (unsigned char)text[len - 1] : 0);
	ev_add(ev, b);
}

/* The two logs equal; else the first line where they part. */
static void same_log(const events_t *a, const events_t *b)
{
	size_t i = 0, line = 1;
	while (a->log[i] != '\0' && a->log[i] == b->log[i]) {
		line += a->log[i++] == '\n';
	}
	if (a->log[i] != b->log[i]) {
		fail_msg("logs part at line %zu: '%.60s' / '%.60s'", line, a->log + i, b->log + i);
	}
}

static int read_both(const char *path, bool keep_host, size_t stop_after, events_t *one,
                     events_t *bat, ssr_feed_stats_t *st1, ssr_feed_stats_t *st2, ssr_diag_t *d1,
                     ssr_diag_t *d2, int *rc2, unsigned workers)
{
	ssr_feed_opts_t o = {.name = "big",
	                     .category = SSR_ABUSE_MALWARE,
	                     .psl = psl,
	                     .tld_ok = only_measured,
	                     .on_reject = ev_reject,
	                     .keep_host = keep_host,
	                     .workers = workers};
	*one = (events_t){.stop_after = stop_after};
	*bat = (events_t){.stop_after = stop_after};
	o.reject_ctx = one;
	int rc1 = ssr_feed_read(path, &o, ev_entry, one, st1, d1);
	o.reject_ctx = bat;
	if (keep_host) { /* and the work on the reading thread */
		o.prepare = ev_prepare;
		o.slot_size = 2 * sizeof(uint64_t);
	}
	*rc2 = ssr_feed_read_batched(path, &o, ev_batch, bat, st2, d2);
	return rc1;
}

static void batched_reader_agrees(void **state)
{
	(void)state;
	/* 6,000 lines: entries, every kind of reject, comments, lines over the cap (each fills
	 * much of a batch's text), enough for many batches through the 4-batch queue */
	size_t cap = 6000 * 64 + 140 * (SSR_FEED_MAX_LINE + 200);
	char *text = malloc(cap);
	assert_non_null(text);
	size_t n = 0;
	for (int i = 0; i < 6000; i++) {
		switch (i % 11) {
		case 3:
			n += (size_t)snprintf(text + n, cap - n, "192.0.2.%d\n", i % 250);
			break;
		case 5:
			n += (size_t)snprintf(text + n, cap - n, "x%d.other.org\n", i);
			break;
		case 7:
			n += (size_t)snprintf(text + n, cap - n, "# comment %d\n", i);
			break;
		case 9:
			if (i % 44 == 9) {
				memset(text + n, 'a' + i % 26, SSR_FEED_MAX_LINE + 100);
				n += SSR_FEED_MAX_LINE + 100;
				text[n++] = '\n';
				break;
			}
			n += (size_t)snprintf(text + n, cap - n, "bad..%d.com\n", i);
			break;
		default:
			n += (size_t)snprintf(text + n, cap - n,
			                      "https://WWW.Host%d.Example.com/p\n", i % 997);
		}
	}
	text[n] = '\0';
	char path[256];
	tmp_text(path, sizeof(path), text);
	free(text);
	for (int keep = 0; keep < 2 * 4; keep++) {
		/* one to four workers, each with and without the host and the prepare step */
		unsigned workers = 1 + (unsigned)keep / 2;
		events_t one, bat;
		ssr_feed_stats_t st1, st2;
		ssr_diag_t d1, d2;
		int rc2;
		assert_int_equal(
		    read_both(path, keep % 2, 0, &one, &bat, &st1, &st2, &d1, &d2, &rc2, workers),
		    SSR_EOK);
		assert_int_equal(rc2, SSR_EOK);
		assert_true(one.entries > 3000);
		assert_true(bat.batches >= one.entries / SSR_FEED_BATCH);
		same_log(&one, &bat);
		assert_memory_equal(&st1, &st2, sizeof(st1));
		assert_int_equal(st1.rejected[SSR_FEED_REJECT_LONG], 137);
		assert_int_equal(bat.prepared, keep % 2 ? bat.entries : 0);
		free(one.log);
		free(bat.log);
		/* an error of the callback stops both at the same entry, nothing after it (inside
		 * the second worker's first chunk, at a chunk's first entry, late in the file) */
		static const size_t stops[] = {1500, 1, 239, 3100};
		for (size_t k = 0; k < sizeof stops / sizeof stops[0]; k++) {
			assert_int_equal(read_both(path, keep % 2, stops[k], &one, &bat, &st1, &st2,
			                           &d1, &d2, &rc2, workers),
			                 SSR_ESTOP);
			assert_int_equal(rc2, SSR_ESTOP);
			assert_int_equal(bat.entries, stops[k]);
			same_log(&one, &bat);
			free(one.log);
			free(bat.log);
		}
	}
	unlink(path);
	/* hosts lines of up to 40 names (a chunk in several batches), runs of comment lines that
	 * leave whole chunks without an entry, a file ending inside a chunk; the same as CSV with
	 * a header, and gzip-compressed */
	for (int form = 0; form < 3; form++) {
		size_t hcap = 4u << 20;
		char *h = malloc(hcap);
		assert_non_null(h);
		size_t hn = 0;
		if (form > 0) {
			hn += (size_t)snprintf(h + hn, hcap - hn, "# a feed\nid,url,first_seen\n");
		}
		for (int i = 0; i < 4321; i++) {
			if (i >= 700 && i < 2300) {
				hn += (size_t)snprintf(h + hn, hcap - hn, "# quiet %d\n", i);
				continue;
			}
			if (form > 0) {
				hn += (size_t)snprintf(h + hn, hcap - hn,
				                       "%d,http://n%d.w%d.example.com/,%s\n", i, i,
				                       i % 7, i % 13 == 0 ? "never" : "2026-11-01");
				continue;
			}
			hn += (size_t)snprintf(h + hn, hcap - hn, "0.0.0.0");
			for (int k = 0; k <= i % 40; k++) {
				hn += (size_t)snprintf(h + hn, hcap - hn, " h%d-%d.example.%s", i,
				                       k, k % 9 == 4 ? "org" : "com");
			}
			hn += (size_t)snprintf(h + hn, hcap - hn, "\n");
		}
		h[hn] = '\0';
		char hp[256];
		if (form == 2) {
			tmp_text(hp, sizeof(hp), "");
			gzFile g = gzopen(hp, "wb");
			assert_non_null(g);
			assert_int_equal(gzwrite(g, h, (unsigned)hn), (int)hn);
			gzclose(g);
		} else {
			tmp_text(hp, sizeof(hp), h);
		}
		free(h);
		for (unsigned workers = 1; workers <= SSR_FEED_WORKERS_MAX + 1; workers++) {
			events_t one, bat;
			ssr_feed_stats_t st1, st2;
			ssr_diag_t d1, d2;
			int rc2;
			int rc1 = read_both(hp, workers % 2, 0, &one, &bat, &st1, &st2, &d1, &d2,
			                    &rc2, workers);
			if (rc1 != SSR_EOK) {
				fail_msg("form %d: %s %.300s", form, d1.msg, one.log);
			}
			assert_int_equal(rc2, SSR_EOK);
			assert_true(one.entries > 2000);
			same_log(&one, &bat);
			assert_memory_equal(&st1, &st2, sizeof(st1));
			assert_int_equal(st2.format, form > 0 ? SSR_FEED_CSV : SSR_FEED_HOSTS);
			free(one.log);
			free(bat.log);
		}
		unlink(hp);
	}
	/* the reader's own errors come back with their messages */
	tmp_text(path, sizeof(path), "a,b,c\n1,2,3\n");
	ssr_feed_opts_t o = {.name = "x", .format = SSR_FEED_CSV, .psl = psl};
	events_t ev = {0};
	ssr_feed_stats_t st;
	ssr_diag_t d;
	assert_int_equal(ssr_feed_read_batched(path, &o, ev_batch, &ev, &st, &d), SSR_EPARSE);
	assert_non_null(strstr(d.msg, "line 1: CSV header names no domain or url column"));
	unlink(path);
	tmp_text(path, sizeof(path), "# nothing\n192.0.2.1\n");
	assert_int_equal(ssr_feed_read_batched(path, &o, ev_batch, &ev, &st, &d), SSR_EPARSE);
	o.format = SSR_FEED_AUTO;
	assert_int_equal(ssr_feed_read_batched(path, &o, ev_batch, &ev, &st, &d), SSR_EPARSE);
	assert_non_null(strstr(d.msg, "no valid lines (2 lines, 1 rejected)"));
	unlink(path);
	assert_int_equal(ssr_feed_read_batched("/nonexistent/feed.txt", &o, ev_batch, &ev, &st, &d),
	                 SSR_ENOTFOUND);
	o.prepare = ev_prepare;
	o.slot_size = SSR_FEED_SLOT_MAX + 1;
	tmp_text(path, sizeof(path), "a.example.com\n");
	assert_int_equal(ssr_feed_read_batched(path, &o, ev_batch, &ev, &st, &d), SSR_EINVAL);
	assert_non_null(strstr(d.msg, "feed 'x': bad options (slot size 1025)"));
	unlink(path);
	assert_int_equal(ev.batches, 0);
	free(ev.log);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(normalise_hosts_and_urls),
	    cmocka_unit_test(control_bytes_are_syntax_errors),
	    cmocka_unit_test(times_and_categories),
	    cmocka_unit_test(domains_feed_with_rejects),
	    cmocka_unit_test(csv_urls_and_hosts_feeds),
	    cmocka_unit_test(bad_feeds),
	    cmocka_unit_test(gzip_feed),
	    cmocka_unit_test(batched_reader_agrees),
	};
	return cmocka_run_group_tests(tests, psl_setup, psl_teardown);
}
