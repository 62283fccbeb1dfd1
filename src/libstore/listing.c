/* ssrwatch — a snapshot's abuse listings in parts (docs/FORMATS.md "Abuse listing parts").
 * The rows of one (TLD, date) come in domain order; every STORE_LPART_ROWS of them make one
 * part: front-coded domains, integer days, a per-part dictionary of feed sets, varints,
 * compressed with zstd into one blob row of abuse_listing_part.  A 200k-listing snapshot is
 * ~50 inserts instead of 200k rows in two b-trees; the decoder checks every length and the
 * domain order, so a damaged blob is an error naming its part, never a wrong report. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zstd.h>

#include "ssrwatch/date.h"
#include "store_priv.h"

#define LPART_MAGIC    "SSRL"
#define LPART_VERSION  1
#define LPART_MAX_RAW  (64u << 20) /* decoded bytes of one part */
#define LPART_MAX_TEXT STORE_LPART_TEXT
#define LPART_LEVEL    1

/* ---- writing ------------------------------------------------------------------------ */

static int raw_need(store_lpart_writer_t *w, size_t n)
{
	if (w->len + n <= w->cap) {
		return SSR_EOK;
	}
	size_t cap = w->cap ? w->cap : 1u << 16;
	while (cap < w->len + n) {
		cap *= 2;
	}
	uint8_t *p = realloc(w->raw, cap);
	if (p == NULL) {
		return SSR_ENOMEM;
	}
	w->raw = p;
	w->cap = cap;
	return SSR_EOK;
}

static void put_varint(store_lpart_writer_t *w, uint64_t v)
{
	while (v >= 0x80) {
		w->raw[w->len++] = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	w->raw[w->len++] = (uint8_t)v;
}

static void put_text(store_lpart_writer_t *w, const char *s, size_t n)
{
	put_varint(w, n);
	memcpy(w->raw + w->len, s, n);
	w->len += n;
}

/* A date: 0 NULL, 1 verbatim text (anything not a canonical YYYY-MM-DD), else the day. */
static void put_date(store_lpart_writer_t *w, const char *d)
{
	if (d == NULL) {
		put_varint(w, 0);
		return;
	}
	size_t n = strlen(d);
	int32_t day;
	char back[11];
	if (n == 10 && ssr_date_parse(d, n, &day) == SSR_EOK &&
	    (ssr_date_format(day, back), memcmp(back, d, 10) == 0)) {
		put_varint(w, (uint64_t)day + 2); /* the parser takes 1970 on: day >= 0 */
		return;
	}
	put_varint(w, 1);
	put_text(w, d, n);
}

void store_lpart_writer_init(store_lpart_writer_t *w)
{
	memset(w, 0, sizeof(*w));
}

void store_lpart_writer_release(store_lpart_writer_t *w)
{
	free(w->raw);
	for (unsigned i = 0; i < w->nfeeds; i++) {
		free(w->feeds[i]);
	}
	free(w->feeds);
	memset(w, 0, sizeof(*w));
}

int store_lpart_add(store_lpart_writer_t *w, const ssr_abuse_row_t *r, ssr_diag_t *diag)
{
	const char *dom = r->domain ? r->domain : "";
	size_t dl = strlen(dom);
	const char *feeds = r->feeds ? r->feeds : "";
	size_t fl = strlen(feeds);
	if (dl == 0 || dl > LPART_MAX_TEXT || fl > LPART_MAX_TEXT) {
		return ssr_diag_set(diag, SSR_EINVAL,
		                    "store: abuse row '%.64s': domain or feeds of %zu/%zu bytes",
		                    dom, dl, fl);
	}
	if (w->last_len != 0 || w->nrows_all != 0) {
		size_t m = dl < w->last_len ? dl : w->last_len;
		int c = memcmp(dom, w->last, m);
		if (c < 0 || (c == 0 && dl <= w->last_len)) {
			return ssr_diag_set(
			    diag, SSR_EINVAL,
			    "store: abuse rows out of domain order: '%.64s' after '%.64s'", dom,
			    w->last);
		}
	}
	/* the worst case of one row: three varints of 10, texts with theirs, 3 dates */
	if (raw_need(w, 64 + dl + fl + 3 * (LPART_MAX_TEXT + 10)) != SSR_EOK) {
		return ssr_diag_set(diag, SSR_ENOMEM, "store: out of memory");
	}
	size_t shared = 0;
	if (w->nrows != 0) {
		size_t m = dl < w->last_len ? dl : w->last_len;
		while (shared < m && dom[shared] == w->last[shared]) {
			shared++;
		}
	}
	put_varint(w, shared);
	put_text(w, dom + shared, dl - shared);
	w->raw[w->len++] = (uint8_t)((r->listed ? 1 : 0) | (r->in_zone ? 2 : 0));
	put_varint(w, r->categories);
	put_varint(w, r->registrar);
	unsigned f = w->last_feed;
	if (f >= w->nfeeds || strcmp(w->feeds[f], feeds) != 0) {
		for (f = 0; f < w->nfeeds && strcmp(w->feeds[f], feeds) != 0; f++) {
		}
	}
	put_varint(w, f);
	if (f == w->nfeeds) {
		char **nf = realloc(w->feeds, (w->nfeeds + 1) * sizeof(*nf));
		char *copy = nf ? strdup(feeds) : NULL;
		if (copy == NULL) {
			if (nf != NULL) {
				w->feeds = nf;
			}
			return ssr_diag_set(diag, SSR_ENOMEM, "store: out of memory");
		}
		w->feeds = nf;
		w->feeds[w->nfeeds++] = copy;
		put_text(w, feeds, fl);
	}
	w->last_feed = f;
	put_date(w, r->feed_first_seen);
	put_date(w, r->zone_first_seen);
	put_date(w, r->created);
	memcpy(w->last, dom, dl + 1);
	w->last_len = dl;
	w->nrows++;
	w->nrows_all++;
	return SSR_EOK;
}

int store_lpart_finish(store_lpart_writer_t *w, uint8_t **blob, size_t *len, ssr_diag_t *diag)
{
	size_t bound = ZSTD_compressBound(w->len);
	uint8_t *b = malloc(bound + 32);
	if (b == NULL) {
		return ssr_diag_set(diag, SSR_ENOMEM, "store: out of memory");
	}
	size_t o = 0;
	memcpy(b, LPART_MAGIC, 4);
	o = 4;
	b[o++] = LPART_VERSION;
	for (uint64_t v = w->nrows;; v >>= 7) {
		b[o++] = (uint8_t)(v < 0x80 ? v : (v | 0x80));
		if (v < 0x80) {
			break;
		}
	}
	for (uint64_t v = w->len;; v >>= 7) {
		b[o++] = (uint8_t)(v < 0x80 ? v : (v | 0x80));
		if (v < 0x80) {
			break;
		}
	}
	size_t z = ZSTD_compress(b + o, bound, w->raw, w->len, LPART_LEVEL);
	if (ZSTD_isError(z)) {
		free(b);
		return ssr_diag_set(diag, SSR_EIO, "store: compressing abuse rows: %s",
		                    ZSTD_getErrorName(z));
	}
	*blob = b;
	*len = o + z;
	/* the next part starts its front coding and dictionary afresh */
	w->len = 0;
	w->nrows = 0;
	for (unsigned i = 0; i < w->nfeeds; i++) {
		free(w->feeds[i]);
	}
	w->nfeeds = 0;
	w->last_feed = 0;
	return SSR_EOK;
}

/* ---- reading ------------------------------------------------------------------------ */

typedef struct {
	const uint8_t *p;
	size_t len, off;
} rd_t;

static bool get_varint(rd_t *r, uint64_t *v)
{
	uint64_t x = 0;
	for (unsigned s = 0; s < 64; s += 7) {
		if (r->off >= r->len) {
			return false;
		}
		uint8_t b = r->p[r->off++];
		x |= (uint64_t)(b & 0x7f) << s;
		if (!(b & 0x80)) {
			*v = x;
			return s < 63 || b <= 1;
		}
	}
	return false;
}

static int text_put(store_lpart_t *out, const void *p, size_t n, uint32_t *at)
{
	if (out->tlen + n + 1 > out->tcap) {
		size_t cap = out->tcap ? out->tcap : 1u << 16;
		while (cap < out->tlen + n + 1) {
			cap *= 2;
		}
		char *t = realloc(out->text, cap);
		if (t == NULL) {
			return SSR_ENOMEM;
		}
		out->text = t;
		out->tcap = cap;
	}
	memcpy(out->text + out->tlen, p, n);
	out->text[out->tlen + n] = '\0';
	*at = (uint32_t)out->tlen + 1; /* 0: NULL */
	out->tlen += n + 1;
	return SSR_EOK;
}

static int bad(ssr_diag_t *diag, const char *what, size_t off, const char *why)
{
	return ssr_diag_set(diag, SSR_ECORRUPT, "%s offset %zu: %s", what, off, why);
}

static int get_date(rd_t *r, store_lpart_t *out, uint32_t *at, const char *what, ssr_diag_t *diag)
{
	uint64_t t;
	if (!get_varint(r, &t)) {
		return bad(diag, what, r->off, "truncated date");
	}
	if (t == 0) {
		*at = 0;
		return SSR_EOK;
	}
	if (t == 1) {
		uint64_t n;
		if (!get_varint(r, &n) || n > LPART_MAX_TEXT || n > r->len - r->off) {
			return bad(diag, what, r->off, "bad date text length");
		}
		int rc = text_put(out, r->p + r->off, (size_t)n, at);
		r->off += (size_t)n;
		return rc == SSR_EOK ? SSR_EOK : ssr_diag_set(diag, rc, "store: out of memory");
	}
	if (t - 2 > (uint64_t)ssr_date_from_civil(9999, 12, 31)) {
		return bad(diag, what, r->off, "date out of range");
	}
	int32_t day = (int32_t)(t - 2);
	char b[16];
	ssr_date_format(day, b);
	int rc = text_put(out, b, strlen(b), at);
	return rc == SSR_EOK ? SSR_EOK : ssr_diag_set(diag, rc, "store: out of memory");
}

void store_lpart_release(store_lpart_t *p)
{
	free(p->row);
	free(p->text);
	memset(p, 0, sizeof(*p));
}

int store_lpart_decode(const uint8_t *blob, size_t len, const char *what, store_lpart_t *out,
                       ssr_diag_t *diag)
{
	store_lpart_release(out);
	if (len < 5 || memcmp(blob, LPART_MAGIC, 4) != 0) {
		return bad(diag, what, 0, "not an abuse listing part");
	}
	if (blob[4] != LPART_VERSION) {
		return ssr_diag_set(diag, SSR_ECORRUPT,
		                    "%s: abuse listing part version %u, this ssrwatch reads %u",
		                    what, blob[4], LPART_VERSION);
	}
	rd_t h = {.p = blob, .len = len, .off = 5};
	uint64_t nrows, rawlen;
	if (!get_varint(&h, &nrows) || !get_varint(&h, &rawlen)) {
		return bad(diag, what, h.off, "truncated header");
	}
	if (rawlen > LPART_MAX_RAW || nrows > STORE_LPART_ROWS || nrows > rawlen / 5) {
		return bad(diag, what, 5, "row count or size beyond the limits");
	}
	unsigned long long zs = ZSTD_getFrameContentSize(blob + h.off, len - h.off);
	if (zs != rawlen) {
		return bad(diag, what, h.off,
		           "compressed rows of another size than the header says");
	}
	uint8_t *raw = malloc(rawlen ? rawlen : 1);
	out->row = calloc(nrows ? nrows : 1, sizeof(*out->row));
	if (raw == NULL || out->row == NULL) {
		free(raw);
		store_lpart_release(out);
		return ssr_diag_set(diag, SSR_ENOMEM, "store: out of memory");
	}
	size_t d = ZSTD_decompress(raw, rawlen, blob + h.off, len - h.off);
	if (ZSTD_isError(d) || d != rawlen) {
		free(raw);
		store_lpart_release(out);
		return bad(diag, what, h.off, "compressed rows damaged");
	}
	rd_t r = {.p = raw, .len = rawlen};
	uint32_t feeds[1024];
	unsigned nfeeds = 0;
	uint32_t prev = 0;
	size_t prev_len = 0;
	int rc = SSR_EOK;
	for (uint64_t i = 0; i < nrows && rc == SSR_EOK; i++) {
		store_lrow_t *row = &out->row[i];
		uint64_t shared, n, cats, reg, f;
		if (!get_varint(&r, &shared) || !get_varint(&r, &n)) {
			rc = bad(diag, what, r.off, "truncated domain");
			break;
		}
		if (shared > prev_len || (i == 0 && shared != 0) || n > LPART_MAX_TEXT ||
		    shared + n > LPART_MAX_TEXT || n > r.len - r.off) {
			rc = bad(diag, what, r.off, "bad domain length");
			break;
		}
		char dom[2 * LPART_MAX_TEXT + 2];
		if (shared) {
			memcpy(dom, out->text + prev - 1, (size_t)shared);
		}
		memcpy(dom + shared, r.p + r.off, (size_t)n);
		r.off += (size_t)n;
		size_t dl = (size_t)(shared + n);
		if (dl == 0) {
			rc = bad(diag, what, r.off, "empty domain");
			break;
		}
		if (i > 0) {
			size_t m = dl < prev_len ? dl : prev_len;
			int c = memcmp(dom, out->text + prev - 1, m);
			if (c < 0 || (c == 0 && dl <= prev_len)) {
				rc = bad(diag, what, r.off, "domains out of order");
				break;
			}
		}
		if (memchr(dom, '\0', dl) != NULL) {
			rc = bad(diag, what, r.off, "NUL in a domain");
			break;
		}
		if (text_put(out, dom, dl, &row->domain) != SSR_EOK) {
			rc = ssr_diag_set(diag, SSR_ENOMEM, "store: out of memory");
			break;
		}
		prev = row->domain;
		prev_len = dl;
		if (r.off >= r.len) {
			rc = bad(diag, what, r.off, "truncated row");
			break;
		}
		uint8_t fl = r.p[r.off++];
		if (fl & ~3u) {
			rc = bad(diag, what, r.off - 1, "unknown row flags");
			break;
		}
		row->listed = fl & 1;
		row->in_zone = (fl >> 1) & 1;
		if (!get_varint(&r, &cats) || cats > 0xffffffffu || !get_varint(&r, &reg) ||
		    !get_varint(&r, &f)) {
			rc = bad(diag, what, r.off, "truncated row");
			break;
		}
		row->categories = (uint32_t)cats;
		row->registrar = reg;
		if (f > nfeeds) {
			rc = bad(diag, what, r.off, "feed set index out of range");
			break;
		}
		if (f == nfeeds) {
			if (nfeeds == sizeof(feeds) / sizeof(feeds[0]) || !get_varint(&r, &n) ||
			    n > LPART_MAX_TEXT || n > r.len - r.off) {
				rc = bad(diag, what, r.off, "bad feed set");
				break;
			}
			if (text_put(out, r.p + r.off, (size_t)n, &feeds[nfeeds]) != SSR_EOK) {
				rc = ssr_diag_set(diag, SSR_ENOMEM, "store: out of memory");
				break;
			}
			r.off += (size_t)n;
			nfeeds++;
		}
		row->feeds = feeds[f];
		for (int k = 0; k < 3 && rc == SSR_EOK; k++) {
			rc = get_date(&r, out, &row->date[k], what, diag);
		}
		out->n = i + 1;
	}
	if (rc == SSR_EOK && r.off != r.len) {
		rc = bad(diag, what, r.off, "bytes after the last row");
	}
	free(raw);
	if (rc != SSR_EOK) {
		store_lpart_release(out);
	}
	return rc;
}

void store_lpart_row(const store_lpart_t *p, size_t i, ssr_abuse_row_t *r)
{
	const store_lrow_t *x = &p->row[i];
	const char *t = p->text - 1;
	*r = (ssr_abuse_row_t){.domain = t + x->domain,
	                       .listed = x->listed,
	                       .in_zone = x->in_zone,
	                       .categories = x->categories,
	                       .feeds = t + x->feeds,
	                       .feed_first_seen = x->date[0] ? t + x->date[0] : NULL,
	                       .zone_first_seen = x->date[1] ? t + x->date[1] : NULL,
	                       .created = x->date[2] ? t + x->date[2] : NULL,
	                       .registrar = x->registrar};
}
