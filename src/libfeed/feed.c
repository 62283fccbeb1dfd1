/* ssrwatch — reputation feed readers and normalisation to registered domains. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <idn2.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ssrwatch/csv.h"
#include "ssrwatch/feed.h"
#include "ssrwatch/lines.h"

/* ---- names ---------------------------------------------------------------------------- */

int ssr_feed_format_parse(const char *text, ssr_feed_format_t *out)
{
	static const char *const n[] = {"auto", "domains", "urls", "csv", "hosts"};
	for (int i = 0; i < 5; i++) {
		if (strcmp(text, n[i]) == 0) {
			*out = (ssr_feed_format_t)i;
			return SSR_EOK;
		}
	}
	return SSR_EINVAL;
}

const char *ssr_feed_format_name(ssr_feed_format_t f)
{
	static const char *const n[] = {"auto", "domains", "urls", "csv", "hosts"};
	return (unsigned)f < 5 ? n[f] : "?";
}

const char *ssr_feed_reject_name(ssr_feed_reject_t r)
{
	static const char *const n[] = {"ip_literal",       "syntax",   "idn",  "public_suffix",
	                                "tld_not_measured", "too_long", "date", "category"};
	return (unsigned)r < SSR_FEED_REJECT_COUNT ? n[r] : "?";
}

/* ---- normalisation -------------------------------------------------------- */

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* ssr_feed_normalise, and the host as written (case and U-labels kept, no scheme, user info,
 * port or trailing dot) into as_written when it is not NULL (as_cap bytes). */
static int normalise(const ssr_psl_t *psl, const char *text, size_t len, char *out, size_t cap,
                     ssr_feed_reject_t *why, char *as_written, size_t as_cap)
{
	const char *s = text, *e = text + len;
	while (s < e && is_space(*s)) {
		s++;
	}
	while (e > s && is_space(e[-1])) {
		e--;
	}
	/* URL: drop the scheme, the path/query/fragment, user info and port */
	const char *sch = memmem(s, (size_t)(e - s), "://", 3);
	if (sch != NULL) {
		s = sch + 3;
	} else if (e - s >= 2 && s[0] == '/' && s[1] == '/') {
		s += 2;
	}
	const char *end = s;
	while (end < e && *end != '/' && *end != '?' && *end != '#') {
		end++;
	}
	const char *at = memrchr(s, '@', (size_t)(end - s));
	if (at != NULL) {
		s = at + 1;
	}
	if (s < end && *s == '[') {
		*why = SSR_FEED_REJECT_IP; /* [IPv6] */
		return SSR_EPARSE;
	}
	char host[1024];
	size_t hl = (size_t)(end - s);
	if (hl == 0 || hl >= sizeof(host)) {
		*why = SSR_FEED_REJECT_SYNTAX;
		return SSR_EPARSE;
	}
	memcpy(host, s, hl);
	host[hl] = '\0';
	char *colon = strchr(host, ':');
	if (colon != NULL) {
		if (strchr(colon + 1, ':') != NULL) { /* bare IPv6 */
			unsigned char a6[16];
			*why = inet_pton(AF_INET6, host, a6) == 1 ? SSR_FEED_REJECT_IP
			                                          : SSR_FEED_REJECT_SYNTAX;
			return SSR_EPARSE;
		}
		for (const char *q = colon + 1; *q; q++) {
			if (*q < '0' || *q > '9') {
				*why = SSR_FEED_REJECT_SYNTAX;
				return SSR_EPARSE;
			}
		}
		*colon = '\0'; /* port */
		hl = (size_t)(colon - host);
	}
	char *h = host;
	if (hl >= 2 && h[0] == '*' && h[1] == '.') {
		h += 2;
		hl -= 2;
	}
	while (hl > 0 && h[hl - 1] == '.') {
		h[--hl] = '\0';
	}
	if (hl == 0) {
		*why = SSR_FEED_REJECT_SYNTAX;
		return SSR_EPARSE;
	}
	for (size_t i = 0; i < hl; i++) { /* NUL, controls, DEL: never part of a name */
		unsigned char c = (unsigned char)h[i];
		if (c < 0x21 || c == 0x7f) {
			*why = SSR_FEED_REJECT_SYNTAX;
			return SSR_EPARSE;
		}
	}
	unsigned char a4[4];
	if (inet_pton(AF_INET, h, a4) == 1) {
		*why = SSR_FEED_REJECT_IP;
		return SSR_EPARSE;
	}
	if (as_written) {
		if (hl >= as_cap) {
			*why = SSR_FEED_REJECT_SYNTAX;
			return SSR_EPARSE;
		}
		memcpy(as_written, h, hl + 1);
	}
	char ascii[1024];
	bool nonascii = false;
	for (size_t i = 0; i < hl; i++) {
		nonascii |= (unsigned char)h[i] >= 0x80;
	}
	if (nonascii) {
		char *a = NULL;
		if (idn2_to_ascii_8z(h, &a, IDN2_NONTRANSITIONAL | IDN2_NFC_INPUT) != IDN2_OK) {
			*why = SSR_FEED_REJECT_IDN;
			return SSR_EPARSE;
		}
		size_t al = strlen(a);
		if (al >= sizeof(ascii)) {
			idn2_free(a);
			*why = SSR_FEED_REJECT_SYNTAX;
			return SSR_EPARSE;
		}
		memcpy(ascii, a, al + 1);
		idn2_free(a);
		h = ascii;
		hl = al;
	}
	/* lowercase LDH (and '_') labels of 1-63 bytes, 253 at most in all */
	size_t lab = 0;
	for (size_t i = 0; i < hl; i++) {
		char c = h[i];
		if (c >= 'A' && c <= 'Z') {
			c = (char)(c + 32);
			h[i] = c;
		}
		if (c == '.') {
			if (lab == 0) {
				*why = SSR_FEED_REJECT_SYNTAX;
				return SSR_EPARSE;
			}
			lab = 0;
			continue;
		}
		bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
		if (!ok || ++lab > 63) {
			*why = SSR_FEED_REJECT_SYNTAX;
			return SSR_EPARSE;
		}
	}
	if (hl > 253) {
		*why = SSR_FEED_REJECT_SYNTAX;
		return SSR_EPARSE;
	}
	int r = ssr_psl_registrable(psl, h, out, cap);
	if (r < 0) {
		*why = r == SSR_ENOTFOUND ? SSR_FEED_REJECT_SUFFIX : SSR_FEED_REJECT_SYNTAX;
		return SSR_EPARSE;
	}
	return SSR_EOK;
}

int ssr_feed_normalise(const ssr_psl_t *psl, const char *text, size_t len, char *out, size_t cap,
                       ssr_feed_reject_t *why)
{
	return normalise(psl, text, len, out, cap, why, NULL, 0);
}

int ssr_feed_normalise_host(const ssr_psl_t *psl, const char *text, size_t len, char *out,
                            size_t cap, ssr_feed_reject_t *why, char *host, size_t host_cap)
{
	return normalise(psl, text, len, out, cap, why, host, host_cap);
}

int ssr_feed_parse_time(const char *text, size_t len, int64_t *out)
{
	char buf[40];
	while (len > 0 && is_space(text[len - 1])) {
		len--;
	}
	while (len > 0 && is_space(*text)) {
		text++;
		len--;
	}
	if (len == 0 || len >= sizeof(buf)) {
		return SSR_EPARSE;
	}
	memcpy(buf, text, len);
	buf[len] = '\0';
	bool digits = true;
	for (size_t i = 0; i < len; i++) {
		digits &= buf[i] >= '0' && buf[i] <= '9';
	}
	if (digits && len <= 12) {
		*out = strtoll(buf, NULL, 10);
		return SSR_EOK;
	}
	static const char *const fmts[] = {"%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%dT%H:%M:%S",
	                                   "%Y-%m-%d %H:%M:%S", "%Y-%m-%d"};
	for (size_t i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++) {
		struct tm tm = {0};
		const char *rest = strptime(buf, fmts[i], &tm);
		if (rest != NULL && *rest == '\0' && tm.tm_year >= 70) {
			*out = (int64_t)timegm(&tm);
			return SSR_EOK;
		}
	}
	return SSR_EPARSE;
}

/* ---- CSV ---------------------------------------------------------------- */

typedef struct {
	char delim;
	int domain, url, first, last, category; /* column indices, -1 absent */
} csv_t;

/* Read a header line; SSR_EOK when it names a domain or url column. */
static int csv_header(const char *p, size_t n, csv_t *c)
{
	static const char *const dom[] = {"domain", "host",        "hostname",
	                                  "fqdn",   "domain_name", NULL};
	static const char *const url[] = {"url", "uri", NULL};
	static const char *const first[] = {"first_seen", "firstseen",      "date_added",
	                                    "dateadded",  "first_seen_utc", NULL};
	static const char *const last[] = {"last_seen", "lastseen", "last_online", NULL};
	static const char *const cat[] = {"category", "threat", "threat_type", "type", NULL};
	char store[SSR_FEED_MAX_LINE + SSR_CSV_MAX_FIELDS];
	const char *f[SSR_CSV_MAX_FIELDS];
	size_t fl[SSR_CSV_MAX_FIELDS];
	for (int d = 0; d < 2; d++) {
		char delim = d == 0 ? ',' : '\t';
		if (memchr(p, delim, n) == NULL) {
			continue;
		}
		int nf = ssr_csv_split(p, n, delim, store, sizeof(store), f, fl);
		if (nf < 1) {
			continue;
		}
		c->delim = delim;
		c->domain = ssr_csv_column(dom, f, fl, nf);
		c->url = ssr_csv_column(url, f, fl, nf);
		c->first = ssr_csv_column(first, f, fl, nf);
		c->last = ssr_csv_column(last, f, fl, nf);
		c->category = ssr_csv_column(cat, f, fl, nf);
		if (c->domain >= 0 || c->url >= 0) {
			return SSR_EOK;
		}
	}
	return SSR_EPARSE;
}

/* ---- the reader ----------------------------------------------------------- */

/* The batched reader's hand-over: the reading thread fills batches (entries and rejected lines
 * in line order, their strings copied into the batch's text), the caller's thread empties them.
 * QUEUE batches circulate; a batch is closed when full or when its text might not hold one
 * more item (a domain, a host and a whole line). */
#define QUEUE     4
#define QTEXT     (64 * 1024)
#define QITEM_MAX (512 + 1024 + SSR_FEED_MAX_LINE + 8)

typedef struct {
	ssr_feed_entry_t e; /* an entry (why < 0), or the rejected line's number */
	int why;            /* a ssr_feed_reject_t: a rejected line, text/len */
	const char *text;
	size_t len;
} qitem_t;

typedef struct {
	qitem_t it[SSR_FEED_BATCH];
	size_t n, used;
	size_t nent;    /* entries among the items: entry k's slot is at slots + k * slot_size */
	uint8_t *slots; /* opts->prepare's */
	uint64_t chunk; /* the chunk of lines its items come from */
	bool chunk_end; /* the chunk's last batch (possibly empty) */
	char text[QTEXT];
} qbatch_t;

typedef struct {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	qbatch_t *ring[QUEUE]; /* full batches: ring[head .. head + full) (mod QUEUE) */
	size_t head, full;
	qbatch_t *free[QUEUE];
	size_t nfree;
	bool done, stop; /* the reader finished; the caller wants no more */
	qbatch_t *cur;   /* the reader's batch being filled */
} queue_t;

typedef struct {
	const ssr_feed_opts_t *o;
	const char *path;
	ssr_feed_entry_fn fn;
	void *ctx; /* fn's; batched: the batch function's (opts->prepare's) */
	ssr_feed_stats_t *st;
	queue_t *q; /* batched: items go here instead of to fn / on_reject */
	/* batched: the lines are cut into chunks of FEED_CHUNK lines, chunk c read by worker
	 * c % workers (every worker reads every line, for the format and the CSV header) */
	unsigned worker, workers;
	uint64_t chunk; /* the chunk being filled, when in_chunk */
	bool in_chunk;
} feed_t;

#define FEED_CHUNK 512 /* lines */

/* The worker hands its batch over (when it has items or ends its chunk) and, unless last,
 * takes an empty one for its chunk.  SSR_ESTOP when the caller stopped. */
static int q_handover(queue_t *q, uint64_t chunk, bool chunk_end, bool last)
{
	pthread_mutex_lock(&q->mu);
	if (q->cur != NULL && (q->cur->n > 0 || chunk_end)) {
		q->cur->chunk_end = chunk_end;
		q->ring[(q->head + q->full) % QUEUE] = q->cur;
		q->full++;
		q->cur = NULL;
	}
	if (last) {
		q->done = true;
	}
	pthread_cond_broadcast(&q->cv);
	while (!last && q->cur == NULL && !q->stop) {
		if (q->nfree > 0) {
			q->cur = q->free[--q->nfree];
			q->cur->n = 0;
			q->cur->used = 0;
			q->cur->nent = 0;
			q->cur->chunk = chunk;
			q->cur->chunk_end = false;
		} else {
			pthread_cond_wait(&q->cv, &q->mu);
		}
	}
	int rc = q->stop ? SSR_ESTOP : SSR_EOK;
	pthread_mutex_unlock(&q->mu);
	return rc;
}

static char *q_copy(qbatch_t *b, const char *s, size_t n)
{
	char *t = b->text + b->used;
	memcpy(t, s, n);
	t[n] = '\0';
	b->used += n + 1;
	return t;
}

/* Room for one more item in the worker's batch. */
static int q_room(feed_t *F)
{
	qbatch_t *b = F->q->cur;
	if (b == NULL || b->n == SSR_FEED_BATCH || QTEXT - b->used < QITEM_MAX) {
		return q_handover(F->q, F->chunk, false, false);
	}
	return SSR_EOK;
}

static int reject(feed_t *F, uint64_t line, ssr_feed_reject_t why, const char *p, size_t n)
{
	F->st->rejected[why]++;
	if (F->o->on_reject == NULL) {
		return SSR_EOK;
	}
	if (F->q == NULL) {
		F->o->on_reject(F->path, line, why, p, n, F->o->reject_ctx);
		return SSR_EOK;
	}
	int rc = q_room(F);
	if (rc == SSR_EOK) {
		qbatch_t *b = F->q->cur;
		n = n > SSR_FEED_MAX_LINE ? SSR_FEED_MAX_LINE : n;
		b->it[b->n++] = (qitem_t){
		    .e = {.line = line}, .why = (int)why, .text = q_copy(b, p, n), .len = n};
	}
	return rc;
}

/* One host/URL text of a line: normalise, check the TLD, hand it out. */
static int take(feed_t *F, uint64_t line, const char *text, size_t len, const char *lp, size_t ln,
                ssr_abuse_category_t cat, int64_t first, int64_t last)
{
	char dom[512], host[1024];
	ssr_feed_reject_t why;
	if (normalise(F->o->psl, text, len, dom, sizeof(dom), &why, F->o->keep_host ? host : NULL,
	              sizeof host) != SSR_EOK) {
		return reject(F, line, why, lp, ln);
	}
	const char *tld = strrchr(dom, '.');
	tld = tld != NULL ? tld + 1 : dom;
	if (F->o->tld_ok != NULL && !F->o->tld_ok(tld, F->o->tld_ctx)) {
		return reject(F, line, SSR_FEED_REJECT_TLD, lp, ln);
	}
	ssr_feed_entry_t e = {.domain = dom,
	                      .tld = tld,
	                      .category = cat,
	                      .first_seen = first,
	                      .last_seen = last,
	                      .line = line,
	                      .host = F->o->keep_host ? host : NULL};
	F->st->accepted++;
	if (F->q == NULL) {
		return F->fn(&e, F->ctx);
	}
	int rc = q_room(F);
	if (rc == SSR_EOK) {
		qbatch_t *b = F->q->cur;
		size_t dl = strlen(dom);
		e.domain = q_copy(b, dom, dl);
		e.tld = e.domain + (tld - dom);
		if (e.host != NULL) {
			e.host = q_copy(b, host, strlen(host));
		}
		b->it[b->n++] = (qitem_t){.e = e, .why = -1};
		if (F->o->prepare != NULL) {
			F->o->prepare(&b->it[b->n - 1].e, b->slots + b->nent * F->o->slot_size,
			              F->ctx);
		}
		b->nent++;
	}
	return rc;
}

static bool looks_like_ip(const char *p, size_t n)
{
	char buf[64];
	if (n == 0 || n >= sizeof(buf)) {
		return false;
	}
	memcpy(buf, p, n);
	buf[n] = '\0';
	unsigned char a[16];
	return inet_pton(AF_INET, buf, a) == 1 || inet_pton(AF_INET6, buf, a) == 1;
}

static ssr_feed_format_t detect(const char *p, size_t n, csv_t *c)
{
	if (csv_header(p, n, c) == SSR_EOK) {
		return SSR_FEED_CSV;
	}
	size_t t = 0;
	while (t < n && !is_space(p[t])) {
		t++;
	}
	if (t < n && looks_like_ip(p, t)) {
		return SSR_FEED_HOSTS;
	}
	return memmem(p, n, "://", 3) != NULL ? SSR_FEED_URLS : SSR_FEED_DOMAINS;
}

/* Batched: line begins or continues a chunk; *mine: the chunk is this worker's.  A chunk of
 * this worker's that the line leaves is handed over, ended (possibly empty). */
static int chunk_at(feed_t *F, uint64_t line, bool *mine)
{
	uint64_t c = (line - 1) / FEED_CHUNK;
	*mine = c % F->workers == F->worker;
	int rc = SSR_EOK;
	if (F->in_chunk && c != F->chunk) {
		F->in_chunk = false;
		rc = q_handover(F->q, F->chunk, true, false);
	}
	if (rc == SSR_EOK && *mine && !F->in_chunk) {
		/* a batch from the start: an empty chunk is handed over too */
		F->chunk = c;
		F->in_chunk = true;
		if (F->q->cur == NULL) {
			rc = q_handover(F->q, c, false, false);
		} else {
			F->q->cur->chunk = c;
		}
	}
	return rc;
}

/* The lines of a feed, to fn or into the queue. */
static int feed_loop(feed_t *F, ssr_lines_t *lr, const char *name, ssr_diag_t *diag)
{
	ssr_feed_format_t fmt = F->o->format;
	csv_t csv = {.domain = -1, .url = -1, .first = -1, .last = -1, .category = -1};
	bool have_header = false;
	char store[SSR_FEED_MAX_LINE + SSR_CSV_MAX_FIELDS];
	const char *f[SSR_CSV_MAX_FIELDS];
	size_t fl[SSR_CSV_MAX_FIELDS];
	const char *p;
	size_t n;
	bool too_long;
	int got = 0, rc = SSR_EOK;
	while (rc == SSR_EOK && (got = ssr_lines_next(lr, &p, &n, &too_long, diag)) == 1) {
		uint64_t line = ssr_lines_number(lr);
		bool mine = true;
		if (F->q != NULL) {
			if ((rc = chunk_at(F, line, &mine)) != SSR_EOK) {
				break;
			}
		}
		F->st->lines += mine;
		if (too_long) {
			if (mine) {
				rc = reject(F, line, SSR_FEED_REJECT_LONG, p, n);
			}
			continue;
		}
		size_t i = 0;
		while (i < n && is_space(p[i])) {
			i++;
		}
		if (i == n || p[i] == '#') {
			F->st->skipped += mine;
			continue;
		}
		/* the format and the CSV header: decided by every worker on the same line */
		if (fmt == SSR_FEED_AUTO) {
			fmt = detect(p + i, n - i, &csv);
			have_header = fmt == SSR_FEED_CSV;
			if (have_header) {
				F->st->skipped += mine;
				continue;
			}
		} else if (fmt == SSR_FEED_CSV && !have_header) {
			if (csv_header(p + i, n - i, &csv) != SSR_EOK) {
				rc = ssr_diag_set(diag, SSR_EPARSE,
				                  "feed '%s' ('%s') line %llu: CSV header names no "
				                  "domain or url column",
				                  name, F->path, (unsigned long long)line);
				break;
			}
			have_header = true;
			F->st->skipped += mine;
			continue;
		}
		if (!mine) {
			continue;
		}
		if (fmt == SSR_FEED_CSV) {
			int nf = ssr_csv_split(p, n, csv.delim, store, sizeof(store), f, fl);
			int need = csv.domain > csv.url ? csv.domain : csv.url;
			if (nf <= need) {
				rc = reject(F, line, SSR_FEED_REJECT_SYNTAX, p, n);
				continue;
			}
			int64_t first = 0, last = 0;
			if ((csv.first >= 0 && csv.first < nf && fl[csv.first] > 0 &&
			     ssr_feed_parse_time(f[csv.first], fl[csv.first], &first) != SSR_EOK) ||
			    (csv.last >= 0 && csv.last < nf && fl[csv.last] > 0 &&
			     ssr_feed_parse_time(f[csv.last], fl[csv.last], &last) != SSR_EOK)) {
				rc = reject(F, line, SSR_FEED_REJECT_DATE, p, n);
				continue;
			}
			ssr_abuse_category_t cat = F->o->category;
			if (csv.category >= 0 && csv.category < nf && fl[csv.category] > 0 &&
			    ssr_abuse_category_parse(f[csv.category], fl[csv.category], &cat) !=
			        SSR_EOK) {
				rc = reject(F, line, SSR_FEED_REJECT_CATEGORY, p, n);
				continue;
			}
			int k = csv.domain >= 0 && fl[csv.domain] > 0 ? csv.domain : csv.url;
			if (k < 0 || k >= nf) {
				rc = reject(F, line, SSR_FEED_REJECT_SYNTAX, p, n);
				continue;
			}
			rc = take(F, line, f[k], fl[k], p, n, cat, first, last);
		} else if (fmt == SSR_FEED_HOSTS) {
			/* "0.0.0.0 name [name...] [# comment]" */
			size_t j = i;
			while (j < n && !is_space(p[j])) {
				j++;
			}
			if (!looks_like_ip(p + i, j - i)) {
				rc = reject(F, line, SSR_FEED_REJECT_SYNTAX, p, n);
				continue;
			}
			bool any = false;
			while (j < n && rc == SSR_EOK) {
				while (j < n && is_space(p[j])) {
					j++;
				}
				if (j == n || p[j] == '#') {
					break;
				}
				size_t s = j;
				while (j < n && !is_space(p[j])) {
					j++;
				}
				any = true;
				rc = take(F, line, p + s, j - s, p, n, F->o->category, 0, 0);
			}
			if (!any) {
				rc = reject(F, line, SSR_FEED_REJECT_SYNTAX, p, n);
			}
		} else {
			/* one domain or URL; for domains, " #" starts a comment */
			size_t j = n;
			if (fmt == SSR_FEED_DOMAINS) {
				for (size_t q = i; q + 1 < n; q++) {
					if (is_space(p[q]) && p[q + 1] == '#') {
						j = q;
						break;
					}
				}
			}
			size_t k = i;
			while (k < j && !is_space(p[k])) {
				k++;
			}
			size_t rest = k;
			while (rest < j && is_space(p[rest])) {
				rest++;
			}
			if (rest < j) { /* two words on a domain/URL line */
				rc = reject(F, line, SSR_FEED_REJECT_SYNTAX, p, n);
				continue;
			}
			rc = take(F, line, p + i, k - i, p, n, F->o->category, 0, 0);
		}
		if (rc != SSR_EOK) {
			break;
		}
	}
	if (got < 0) {
		rc = ssr_diag_set(diag, got, "feed '%s': %s", name, diag->msg);
	}
	F->st->format = fmt;
	return rc;
}

/* After the lines: a feed with no accepted line is an error. */
static int feed_end(const ssr_feed_stats_t *stats, const char *name, const char *path,
                    ssr_diag_t *diag)
{
	if (stats->accepted > 0) {
		return SSR_EOK;
	}
	uint64_t rej = 0;
	for (int r = 0; r < SSR_FEED_REJECT_COUNT; r++) {
		rej += stats->rejected[r];
	}
	return ssr_diag_set(diag, SSR_EPARSE,
	                    "feed '%s' ('%s'): no valid lines (%llu lines, %llu rejected)", name,
	                    path, (unsigned long long)stats->lines, (unsigned long long)rej);
}

static int feed_open(const char *path, const ssr_feed_opts_t *opts, ssr_lines_t **lr,
                     ssr_diag_t *diag)
{
	const char *name = opts->name ? opts->name : path;
	if (opts->psl == NULL || (unsigned)opts->category >= SSR_ABUSE_COUNT) {
		return ssr_diag_set(diag, SSR_EINVAL, "feed '%s': bad options", name);
	}
	int rc = ssr_lines_open(path, SSR_FEED_MAX_LINE, lr, diag);
	if (rc != SSR_EOK) {
		return ssr_diag_set(diag, rc, "feed '%s': %s", name, diag->msg);
	}
	return SSR_EOK;
}

int ssr_feed_read(const char *path, const ssr_feed_opts_t *opts, ssr_feed_entry_fn fn, void *ctx,
                  ssr_feed_stats_t *stats, ssr_diag_t *diag)
{
	ssr_lines_t *lr;
	memset(stats, 0, sizeof(*stats));
	int rc = feed_open(path, opts, &lr, diag);
	if (rc != SSR_EOK) {
		return rc;
	}
	const char *name = opts->name ? opts->name : path;
	feed_t F = {.o = opts, .path = path, .fn = fn, .ctx = ctx, .st = stats};
	rc = feed_loop(&F, lr, name, diag);
	ssr_lines_free(lr);
	return rc == SSR_EOK ? feed_end(stats, name, path, diag) : rc;
}

typedef struct {
	feed_t F;
	ssr_lines_t *lr;
	const char *name;
	ssr_feed_stats_t st; /* this worker's lines */
	queue_t q;
	ssr_diag_t diag;
	int rc;
	pthread_t th;
	bool started;
} reader_t;

static void *reader_run(void *arg)
{
	reader_t *r = arg;
	r->rc = feed_loop(&r->F, r->lr, r->name, &r->diag);
	q_handover(r->F.q, r->F.chunk, r->F.in_chunk, true);
	return NULL;
}

/* Every worker stops taking lines. */
static void stop_all(reader_t *r, unsigned nr)
{
	for (unsigned w = 0; w < nr; w++) {
		pthread_mutex_lock(&r[w].q.mu);
		r[w].q.stop = true;
		pthread_cond_broadcast(&r[w].q.cv);
		pthread_mutex_unlock(&r[w].q.mu);
	}
}

/* One batch's items to fn and on_reject, in order. */
static int drain_batch(qbatch_t *b, const ssr_feed_opts_t *opts, const char *path,
                       ssr_feed_batch_fn fn, void *ctx)
{
	int rc = SSR_EOK;
	ssr_feed_entry_t e[SSR_FEED_BATCH];
	size_t ne = 0, k0 = 0; /* e[0] is the batch's entry k0 */
	for (size_t i = 0; i <= b->n && rc == SSR_EOK; i++) {
		const qitem_t *it = i < b->n ? &b->it[i] : NULL;
		if (it != NULL && it->why < 0) {
			e[ne++] = it->e;
			continue;
		}
		/* a rejected line or the batch's end: the entries before it first */
		if (ne > 0) {
			const uint8_t *slots =
			    opts->prepare != NULL ? b->slots + k0 * opts->slot_size : NULL;
			rc = fn(e, slots, ne, ctx);
			k0 += ne;
			ne = 0;
		}
		if (rc == SSR_EOK && it != NULL) {
			opts->on_reject(path, it->e.line, (ssr_feed_reject_t)it->why, it->text,
			                it->len, opts->reject_ctx);
		}
	}
	return rc;
}

/* The caller's side: chunk 0, 1, 2, ... from their workers' queues, each batch's items to fn
 * and on_reject: everything in line order.  The lines end where a chunk's worker has finished
 * without it. */
static int drain(reader_t *r, unsigned nr, const ssr_feed_opts_t *opts, const char *path,
                 ssr_feed_batch_fn fn, void *ctx, ssr_diag_t *diag)
{
	int rc = SSR_EOK;
	for (uint64_t c = 0;;) {
		queue_t *q = &r[c % nr].q;
		pthread_mutex_lock(&q->mu);
		while (q->full == 0 && !q->done) {
			pthread_cond_wait(&q->cv, &q->mu);
		}
		qbatch_t *b = NULL;
		if (q->full > 0) {
			b = q->ring[q->head];
			q->head = (q->head + 1) % QUEUE;
			q->full--;
		}
		pthread_mutex_unlock(&q->mu);
		if (b == NULL) {
			return SSR_EOK;
		}
		if (b->chunk != c) { /* the hand-over's invariant: never seen */
			rc = ssr_diag_set(diag, SSR_EINVAL,
			                  "feed '%s': lines %llu.. came before lines %llu..", path,
			                  (unsigned long long)b->chunk * FEED_CHUNK + 1,
			                  (unsigned long long)c * FEED_CHUNK + 1);
		} else {
			rc = drain_batch(b, opts, path, fn, ctx);
		}
		c += b->chunk_end;
		pthread_mutex_lock(&q->mu);
		q->free[q->nfree++] = b;
		pthread_cond_broadcast(&q->cv);
		pthread_mutex_unlock(&q->mu);
		if (rc != SSR_EOK) {
			return rc;
		}
	}
}

/* Reading threads for a feed: one for stdin and other streams that cannot be opened twice. */
static unsigned workers_for(const char *path, const ssr_feed_opts_t *opts)
{
	struct stat sb;
	if (strcmp(path, "-") == 0 || stat(path, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		return 1;
	}
	unsigned w = opts->workers;
	if (w == 0) {
		long cpus = sysconf(_SC_NPROCESSORS_ONLN);
		w = cpus > 1 ? (unsigned)cpus : 1;
	}
	return w > SSR_FEED_WORKERS_MAX ? SSR_FEED_WORKERS_MAX : w;
}

static void sum_stats(ssr_feed_stats_t *to, const ssr_feed_stats_t *from)
{
	to->lines += from->lines;
	to->skipped += from->skipped;
	to->accepted += from->accepted;
	for (int k = 0; k < SSR_FEED_REJECT_COUNT; k++) {
		to->rejected[k] += from->rejected[k];
	}
}

int ssr_feed_read_batched(const char *path, const ssr_feed_opts_t *opts, ssr_feed_batch_fn fn,
                          void *ctx, ssr_feed_stats_t *stats, ssr_diag_t *diag)
{
	const char *name = opts->name ? opts->name : path;
	memset(stats, 0, sizeof(*stats));
	if (opts->prepare != NULL &&
	    (opts->slot_size == 0 || opts->slot_size > SSR_FEED_SLOT_MAX)) {
		return ssr_diag_set(diag, SSR_EINVAL, "feed '%s': bad options (slot size %zu)",
		                    name, opts->slot_size);
	}
	unsigned nr = workers_for(path, opts);
	size_t slots = opts->prepare != NULL ? SSR_FEED_BATCH * opts->slot_size : 0;
	reader_t *r = calloc(nr, sizeof(*r));
	if (r == NULL) {
		return ssr_diag_set(diag, SSR_ENOMEM, "feed '%s': out of memory", name);
	}
	int rc = SSR_EOK;
	unsigned opened = 0;
	for (; opened < nr && rc == SSR_EOK; opened++) {
		reader_t *w = &r[opened];
		queue_t *q = &w->q;
		pthread_mutex_init(&q->mu, NULL);
		pthread_cond_init(&q->cv, NULL);
		for (size_t k = 0; k < QUEUE; k++) {
			qbatch_t *b = malloc(sizeof(qbatch_t));
			uint8_t *sl = b != NULL && slots > 0 ? malloc(slots) : NULL;
			if (b == NULL || (slots > 0 && sl == NULL)) {
				free(b);
				free(sl);
				continue;
			}
			b->slots = sl;
			q->free[q->nfree++] = b;
		}
		if (q->nfree < QUEUE) {
			rc = ssr_diag_set(diag, SSR_ENOMEM, "feed '%s': out of memory", name);
			continue;
		}
		if ((rc = feed_open(path, opts, &w->lr, diag)) != SSR_EOK) {
			continue;
		}
		w->F = (feed_t){.o = opts,
		                .path = path,
		                .ctx = ctx,
		                .st = &w->st,
		                .q = q,
		                .worker = opened,
		                .workers = nr};
		w->name = name;
	}
	for (unsigned k = 0; k < nr && rc == SSR_EOK; k++) {
		if (pthread_create(&r[k].th, NULL, reader_run, &r[k]) != 0) {
			rc = ssr_diag_set(diag, SSR_ENOMEM, "feed '%s': cannot start a thread",
			                  name);
			break;
		}
		r[k].started = true;
	}
	if (rc == SSR_EOK) {
		rc = drain(r, nr, opts, path, fn, ctx, diag);
	}
	/* after the last chunk every worker has handed over all its lines; one still reading
	 * others' lines, or one the caller stopped, ends with SSR_ESTOP */
	stop_all(r, nr);
	for (unsigned k = 0; k < nr; k++) {
		if (r[k].started) {
			pthread_join(r[k].th, NULL);
		}
	}
	/* the workers' own errors: each saw every line, so the first worker's is the first */
	for (unsigned k = 0; k < nr && rc == SSR_EOK; k++) {
		if (r[k].started && r[k].rc != SSR_EOK && r[k].rc != SSR_ESTOP) {
			rc = r[k].rc;
			*diag = r[k].diag;
		}
	}
	for (unsigned k = 0; k < nr; k++) {
		sum_stats(stats, &r[k].st);
	}
	if (nr > 0 && r[0].started) {
		stats->format = r[0].st.format;
	}
	if (rc == SSR_EOK) {
		rc = feed_end(stats, name, path, diag);
	}
	for (unsigned k = 0; k < opened; k++) {
		queue_t *q = &r[k].q;
		for (size_t i = 0; i < q->nfree; i++) {
			free(q->free[i]->slots);
			free(q->free[i]);
		}
		for (size_t i = 0; i < q->full; i++) {
			free(q->ring[(q->head + i) % QUEUE]->slots);
			free(q->ring[(q->head + i) % QUEUE]);
		}
		if (q->cur != NULL) {
			free(q->cur->slots);
			free(q->cur);
		}
		pthread_cond_destroy(&q->cv);
		pthread_mutex_destroy(&q->mu);
		ssr_lines_free(r[k].lr);
	}
	free(r);
	return rc;
}
