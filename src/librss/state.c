/* librss: the monthly state of a vantage point as a file (docs/FORMATS.md, "RSS state").
 * Little-endian; a file is one or more sections, each a header and fixed-size interval records;
 * every header and record carries its own CRC-32, so an append cut short by a crash is found and
 * named by its offset, and merged files are the concatenation of sections. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "rss_priv.h"

#define MAGIC     "SSRWRSS1"
#define REC_TAG   "IVL1"
#define VERSION   1
#define HDR_FIXED (8 + 64 + 64 + 4 + 4)
#define SAMPLE_SZ 13
#define CORR_SZ   11

static const char *const tf_names[SSR_RSS_NT] = {"udp4", "tcp4", "udp6", "tcp6"};

const char *ssr_rss_tf_name(int tf)
{
	return tf >= 0 && tf < SSR_RSS_NT ? tf_names[tf] : "?";
}

bool rss_month_parse(const char *month, int64_t *start_s, unsigned *days)
{
	int y, m;
	char extra;
	if (month == NULL || strlen(month) != 7 ||
	    sscanf(month, "%4d-%2d%c", &y, &m, &extra) != 2 || month[4] != '-' || y < 1970 ||
	    y > 9999 || m < 1 || m > 12) {
		return false;
	}
	static const unsigned dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	unsigned d = dm[m - 1];
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) {
		d = 29;
	}
	struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = 1};
	*start_s = (int64_t)timegm(&tm);
	*days = d;
	return true;
}

void rss_month_of(int64_t t_s, char out[8])
{
	time_t t = (time_t)t_s;
	struct tm tm;
	gmtime_r(&t, &tm);
	unsigned y = (unsigned)(tm.tm_year + 1900) % 10000u, m = (unsigned)(tm.tm_mon + 1) % 13u;
	out[0] = (char)('0' + y / 1000);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	out[4] = '-';
	out[5] = (char)('0' + m / 10);
	out[6] = (char)('0' + m % 10);
	out[7] = 0;
}

bool rss_serial_lt(uint32_t a, uint32_t b)
{
	return a != b && (uint32_t)(b - a) < 0x80000000u;
}

/* ---- encoding -------------------------------------------------------------------------------- */

static uint8_t *p16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	return p + 2;
}

static uint8_t *p32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++) {
		p[i] = (uint8_t)(v >> (8 * i));
	}
	return p + 4;
}

static uint8_t *p64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++) {
		p[i] = (uint8_t)(v >> (8 * i));
	}
	return p + 8;
}

static uint16_t g16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t g32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t g64(const uint8_t *p)
{
	return (uint64_t)g32(p) | (uint64_t)g32(p + 4) << 32;
}

static size_t hdr_size(uint32_t nrsi)
{
	return 8 + 4 + 4 + HDR_FIXED + 16 * (size_t)nrsi + 4;
}

static size_t rec_size(uint32_t nrsi)
{
	return 4 + 4 + 4 + 8 + (size_t)nrsi * (SSR_RSS_NT * SAMPLE_SZ + CORR_SZ) + 4;
}

static size_t hdr_encode(const ssr_rss_hdr_t *h, uint8_t *b)
{
	uint8_t *p = b;
	memcpy(p, MAGIC, 8);
	p += 8;
	p = p32(p, VERSION);
	p = p32(p, (uint32_t)(HDR_FIXED + 16 * h->nrsi));
	memset(p, 0, HDR_FIXED + 16 * (size_t)h->nrsi);
	memcpy(p, h->month, strnlen(h->month, 7));
	memcpy(p + 8, h->vp, strnlen(h->vp, 63));
	memcpy(p + 72, h->region, strnlen(h->region, 63));
	p += 136;
	p = p32(p, h->interval_s);
	p = p32(p, h->nrsi);
	for (uint32_t i = 0; i < h->nrsi; i++) {
		memcpy(p, h->rsi[i], strnlen(h->rsi[i], 15));
		p += 16;
	}
	p = p32(p, (uint32_t)crc32(0, b, (uInt)(p - b)));
	return (size_t)(p - b);
}

static size_t rec_encode(uint32_t nrsi, const ssr_rss_interval_t *iv, uint8_t *b)
{
	uint8_t *p = b;
	memcpy(p, REC_TAG, 4);
	p += 4;
	p = p32(p, iv->idx);
	p = p32(p, iv->flags);
	p = p64(p, (uint64_t)iv->t_us);
	for (uint32_t r = 0; r < nrsi; r++) {
		for (int t = 0; t < SSR_RSS_NT; t++) {
			const ssr_rss_sample_t *s = &iv->soa[r][t];
			*p++ = s->status;
			*p++ = s->outcome;
			p = p16(p, s->rcode);
			p = p32(p, s->rtt_us);
			p = p32(p, s->serial);
			*p++ = s->has_serial;
		}
	}
	for (uint32_t r = 0; r < nrsi; r++) {
		const ssr_rss_corr_t *c = &iv->corr[r];
		*p++ = c->result;
		*p++ = c->tf;
		*p++ = c->negative;
		*p++ = c->reason;
		p = p16(p, c->qtype);
		*p++ = c->tc_retry;
		p = p32(p, c->serial);
	}
	p = p32(p, (uint32_t)crc32(0, b, (uInt)(p - b)));
	return (size_t)(p - b);
}

/* A record's fields, checked (values within their ranges). */
static bool rec_decode(uint32_t nrsi, const uint8_t *b, ssr_rss_interval_t *iv)
{
	const uint8_t *p = b + 4;
	memset(iv, 0, sizeof(*iv));
	iv->idx = g32(p);
	iv->flags = g32(p + 4);
	iv->t_us = (int64_t)g64(p + 8);
	p += 16;
	for (uint32_t r = 0; r < nrsi; r++) {
		for (int t = 0; t < SSR_RSS_NT; t++) {
			ssr_rss_sample_t *s = &iv->soa[r][t];
			s->status = p[0];
			s->outcome = p[1];
			s->rcode = g16(p + 2);
			s->rtt_us = g32(p + 4);
			s->serial = g32(p + 8);
			s->has_serial = p[12];
			p += SAMPLE_SZ;
			if (s->status > SSR_RSS_S_FAILED || s->has_serial > 1) {
				return false;
			}
		}
	}
	for (uint32_t r = 0; r < nrsi; r++) {
		ssr_rss_corr_t *c = &iv->corr[r];
		c->result = p[0];
		c->tf = p[1];
		c->negative = p[2];
		c->reason = p[3];
		c->qtype = g16(p + 4);
		c->tc_retry = p[6];
		c->serial = g32(p + 7);
		p += CORR_SZ;
		if (c->result > SSR_RSS_C_UNCHECKED || c->tf >= SSR_RSS_NT || c->negative > 1 ||
		    c->reason >= SSR_RSS_R_COUNT || c->tc_retry > 1) {
			return false;
		}
	}
	return true;
}

/* ---- reading --------------------------------------------------------------------------------- */

static int hdr_decode(const char *path, uint64_t off, const uint8_t *b, size_t have,
                      ssr_rss_hdr_t *h, size_t *used, ssr_diag_t *diag)
{
	if (have < 16 || memcmp(b, MAGIC, 8) != 0) {
		return ssr_diag_set(diag, SSR_EPARSE,
		                    "rss state '%s' offset %llu: not an RSS state", path,
		                    (unsigned long long)off);
	}
	if (g32(b + 8) != VERSION) {
		return ssr_diag_set(
		    diag, SSR_EPARSE,
		    "rss state '%s' offset %llu: version %u (this ssrwatch reads %d)", path,
		    (unsigned long long)off, g32(b + 8), VERSION);
	}
	uint32_t hl = g32(b + 12);
	if (hl < HDR_FIXED || (hl - HDR_FIXED) % 16 != 0 ||
	    (hl - HDR_FIXED) / 16 > SSR_RSS_MAX_RSI) {
		return ssr_diag_set(diag, SSR_EPARSE,
		                    "rss state '%s' offset %llu: bad header length %u", path,
		                    (unsigned long long)off, hl);
	}
	uint32_t nrsi = (hl - HDR_FIXED) / 16;
	size_t need = hdr_size(nrsi);
	if (have < need) {
		return ssr_diag_set(diag, SSR_EPARSE,
		                    "rss state '%s' offset %llu: truncated header", path,
		                    (unsigned long long)off);
	}
	if ((uint32_t)crc32(0, b, (uInt)(need - 4)) != g32(b + need - 4)) {
		return ssr_diag_set(diag, SSR_EPARSE, "rss state '%s' offset %llu: header checksum",
		                    path, (unsigned long long)off);
	}
	memset(h, 0, sizeof(*h));
	const uint8_t *p = b + 16;
	memcpy(h->month, p, 7);
	memcpy(h->vp, p + 8, 63);
	memcpy(h->region, p + 72, 63);
	h->interval_s = g32(p + 136);
	h->nrsi = g32(p + 140);
	if (h->nrsi != nrsi || h->interval_s == 0) {
		return ssr_diag_set(diag, SSR_EPARSE, "rss state '%s' offset %llu: bad header",
		                    path, (unsigned long long)off);
	}
	p += 144;
	for (uint32_t i = 0; i < nrsi; i++, p += 16) {
		memcpy(h->rsi[i], p, 15);
		if (h->rsi[i][0] == 0 || (i > 0 && strcmp(h->rsi[i - 1], h->rsi[i]) >= 0)) {
			return ssr_diag_set(
			    diag, SSR_EPARSE,
			    "rss state '%s' offset %llu: RSI list not sorted and unique", path,
			    (unsigned long long)off);
		}
	}
	int64_t ms;
	unsigned days;
	if (!rss_month_parse(h->month, &ms, &days) || h->vp[0] == 0) {
		return ssr_diag_set(diag, SSR_EPARSE, "rss state '%s' offset %llu: bad month or VP",
		                    path, (unsigned long long)off);
	}
	*used = need;
	return SSR_EOK;
}

int ssr_rss_state_read(const char *path, ssr_rss_section_fn on_hdr, ssr_rss_interval_fn on_iv,
                       void *ctx, ssr_diag_t *diag)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL) {
		return ssr_diag_set(diag, errno == ENOENT ? SSR_ENOTFOUND : SSR_EIO,
		                    "rss state '%s': %s", path, strerror(errno));
	}
	size_t cap = 1 << 20;
	uint8_t *buf = malloc(cap);
	ssr_rss_interval_t *iv = malloc(sizeof(*iv));
	int rc = SSR_EOK;
	if (buf == NULL || iv == NULL) {
		rc = ssr_diag_set(diag, SSR_ENOMEM, "out of memory");
		goto out;
	}
	size_t have = 0, pos = 0;
	uint64_t off = 0; /* file offset of buf[pos] */
	bool eof = false, in_section = false;
	ssr_rss_hdr_t h;
	memset(&h, 0, sizeof h);
	for (;;) {
		if (!eof && have - pos < 8192) {
			memmove(buf, buf + pos, have - pos);
			have -= pos;
			pos = 0;
			size_t got = fread(buf + have, 1, cap - have, f);
			if (got == 0) {
				if (ferror(f)) {
					rc = ssr_diag_set(diag, SSR_EIO,
					                  "rss state '%s': read error", path);
					goto out;
				}
				eof = true;
			}
			have += got;
		}
		if (pos == have) {
			break;
		}
		const uint8_t *b = buf + pos;
		size_t avail = have - pos;
		if (avail >= 4 && memcmp(b, MAGIC, 4) == 0) {
			size_t used = 0;
			if ((rc = hdr_decode(path, off, b, avail, &h, &used, diag)) != SSR_EOK) {
				goto out;
			}
			if (on_hdr != NULL && (rc = on_hdr(&h, ctx)) != SSR_EOK) {
				goto out;
			}
			in_section = true;
			pos += used;
			off += used;
			continue;
		}
		if (!in_section) {
			rc = ssr_diag_set(diag, SSR_EPARSE,
			                  "rss state '%s' offset %llu: not an RSS state", path,
			                  (unsigned long long)off);
			goto out;
		}
		size_t rs = rec_size(h.nrsi);
		if (avail < 4 || memcmp(b, REC_TAG, 4) != 0) {
			rc = ssr_diag_set(diag, SSR_EPARSE,
			                  "rss state '%s' offset %llu: not a record", path,
			                  (unsigned long long)off);
			goto out;
		}
		if (avail < rs) {
			rc = ssr_diag_set(
			    diag, SSR_EPARSE,
			    "rss state '%s' offset %llu: truncated record (%zu of %zu bytes)", path,
			    (unsigned long long)off, avail, rs);
			goto out;
		}
		if ((uint32_t)crc32(0, b, (uInt)(rs - 4)) != g32(b + rs - 4)) {
			rc = ssr_diag_set(diag, SSR_EPARSE,
			                  "rss state '%s' offset %llu: record checksum", path,
			                  (unsigned long long)off);
			goto out;
		}
		int64_t ms;
		unsigned days;
		(void)rss_month_parse(h.month, &ms, &days);
		if (!rec_decode(h.nrsi, b, iv) || iv->idx >= days * (86400 / h.interval_s)) {
			rc = ssr_diag_set(diag, SSR_EPARSE,
			                  "rss state '%s' offset %llu: bad record values", path,
			                  (unsigned long long)off);
			goto out;
		}
		if (on_iv != NULL && (rc = on_iv(&h, iv, ctx)) != SSR_EOK) {
			goto out;
		}
		pos += rs;
		off += rs;
	}
	if (!in_section) {
		rc = ssr_diag_set(diag, SSR_EPARSE, "rss state '%s': empty", path);
	}
out:
	free(iv);
	free(buf);
	fclose(f);
	return rc;
}

/* ---- appending --------------------------------------------------------------------------------
 */

struct ssr_rss_state {
	int fd;
	bool nosync;
	char *path;
	ssr_rss_hdr_t h;
	int64_t last;
	uint8_t *rec;
};

typedef struct {
	const ssr_rss_hdr_t *want;
	const char *path;
	int64_t last;
	unsigned sections;
	ssr_diag_t *diag;
} open_ctx_t;

static bool same_hdr(const ssr_rss_hdr_t *a, const ssr_rss_hdr_t *b)
{
	if (strcmp(a->month, b->month) != 0 || strcmp(a->vp, b->vp) != 0 ||
	    strcmp(a->region, b->region) != 0 || a->nrsi != b->nrsi ||
	    a->interval_s != b->interval_s) {
		return false;
	}
	for (uint32_t i = 0; i < a->nrsi; i++) {
		if (strcmp(a->rsi[i], b->rsi[i]) != 0) {
			return false;
		}
	}
	return true;
}

static int open_hdr(const ssr_rss_hdr_t *h, void *vctx)
{
	open_ctx_t *c = vctx;
	if (++c->sections > 1 || !same_hdr(h, c->want)) {
		return ssr_diag_set(
		    c->diag, SSR_EINVAL,
		    "rss state '%s': of VP '%s' region '%s' month %s and %u RSIs, not "
		    "the VP, region, month and RSIs measured now",
		    c->path, h->vp, h->region, h->month, h->nrsi);
	}
	return SSR_EOK;
}

static int open_iv(const ssr_rss_hdr_t *h, const ssr_rss_interval_t *iv, void *vctx)
{
	(void)h;
	open_ctx_t *c = vctx;
	if ((int64_t)iv->idx <= c->last) {
		return ssr_diag_set(c->diag, SSR_EPARSE, "rss state '%s': interval %u out of order",
		                    c->path, iv->idx);
	}
	c->last = iv->idx;
	return SSR_EOK;
}

int ssr_rss_state_open(const char *path, const ssr_rss_hdr_t *hdr, bool repair,
                       ssr_rss_state_t **out, int64_t *last, ssr_diag_t *diag)
{
	*out = NULL;
	*last = -1;
	if (hdr->nrsi == 0 || hdr->nrsi > SSR_RSS_MAX_RSI) {
		return ssr_diag_set(diag, SSR_EINVAL, "rss state '%s': bad RSI count", path);
	}
	ssr_rss_state_t *s = calloc(1, sizeof(*s));
	uint8_t hb[4096];
	if (s == NULL || (s->path = strdup(path)) == NULL ||
	    (s->rec = malloc(rec_size(SSR_RSS_MAX_RSI))) == NULL) {
		ssr_rss_state_close(s);
		return ssr_diag_set(diag, SSR_ENOMEM, "out of memory");
	}
	s->h = *hdr;
	s->fd = -1;
	struct stat st;
	int rc = SSR_EOK;
	if (stat(path, &st) == 0 && st.st_size > 0) {
		/* records are of fixed size: a torn last append leaves a remainder */
		off_t hs = (off_t)hdr_size(hdr->nrsi), rs = (off_t)rec_size(hdr->nrsi);
		if (repair && st.st_size > hs && (st.st_size - hs) % rs != 0) {
			off_t keep = hs + (st.st_size - hs) / rs * rs;
			if (truncate(path, keep) != 0) {
				ssr_rss_state_close(s);
				return ssr_diag_set(diag, SSR_EIO, "rss state '%s': cannot cut: %s",
				                    path, strerror(errno));
			}
		}
		open_ctx_t c = {.want = hdr, .path = path, .last = -1, .diag = diag};
		rc = ssr_rss_state_read(path, open_hdr, open_iv, &c, diag);
		if (rc != SSR_EOK) {
			ssr_rss_state_close(s);
			return rc;
		}
		*last = s->last = c.last;
		s->fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
	} else {
		s->last = -1;
		s->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
		if (s->fd >= 0) {
			size_t n = hdr_encode(hdr, hb);
			if (write(s->fd, hb, n) != (ssize_t)n || fsync(s->fd) != 0) {
				rc = SSR_EIO;
			}
		}
	}
	if (s->fd < 0 || rc != SSR_EOK) {
		rc = ssr_diag_set(diag, SSR_EIO, "rss state '%s': %s", path, strerror(errno));
		ssr_rss_state_close(s);
		return rc;
	}
	*out = s;
	return SSR_EOK;
}

int ssr_rss_state_append(ssr_rss_state_t *s, const ssr_rss_interval_t *iv, ssr_diag_t *diag)
{
	if ((int64_t)iv->idx <= s->last) {
		return ssr_diag_set(diag, SSR_EINVAL,
		                    "rss state '%s': interval %u already recorded", s->path,
		                    iv->idx);
	}
	size_t n = rec_encode(s->h.nrsi, iv, s->rec);
	if (write(s->fd, s->rec, n) != (ssize_t)n || (!s->nosync && fdatasync(s->fd) != 0)) {
		return ssr_diag_set(diag, SSR_EIO, "rss state '%s': write: %s", s->path,
		                    strerror(errno));
	}
	s->last = iv->idx;
	return SSR_EOK;
}

void ssr_rss_state_nosync(ssr_rss_state_t *s)
{
	s->nosync = true;
}

void ssr_rss_state_close(ssr_rss_state_t *s)
{
	if (s == NULL) {
		return;
	}
	if (s->fd >= 0) {
		close(s->fd);
	}
	free(s->rec);
	free(s->path);
	free(s);
}

/* ---- merging ------------------------------------------------------------------------------------
 */

typedef struct {
	ssr_rss_hdr_t h;
	uint8_t *recs; /* encoded records, rec_size(h.nrsi) each */
	uint32_t *idx;
	uint16_t *file;
	size_t n, cap;
} mvp_t;

typedef struct {
	const char *const *paths;
	size_t cur;
	ssr_rss_hdr_t first;
	bool have_first;
	mvp_t *v;
	size_t nv, capv;
	mvp_t *at;
	ssr_diag_t *diag;
} merge_t;

static int merge_hdr(const ssr_rss_hdr_t *h, void *vctx)
{
	merge_t *m = vctx;
	const char *path = m->paths[m->cur];
	if (!m->have_first) {
		m->first = *h;
		m->have_first = true;
	}
	ssr_rss_hdr_t want = m->first;
	snprintf(want.vp, sizeof want.vp, "%s", h->vp);
	snprintf(want.region, sizeof want.region, "%s", h->region);
	if (!same_hdr(h, &want)) {
		return ssr_diag_set(
		    m->diag, SSR_EINVAL,
		    "rss state '%s': VP '%s' is of month %s or another RSI set than '%s'", path,
		    h->vp, h->month, m->paths[0]);
	}
	for (size_t i = 0; i < m->nv; i++) {
		if (strcmp(m->v[i].h.vp, h->vp) == 0) {
			if (strcmp(m->v[i].h.region, h->region) != 0) {
				return ssr_diag_set(
				    m->diag, SSR_EINVAL,
				    "rss state '%s': VP '%s' in region '%s' here, '%s' before",
				    path, h->vp, h->region, m->v[i].h.region);
			}
			m->at = &m->v[i];
			return SSR_EOK;
		}
	}
	if (m->nv == m->capv) {
		size_t nc = m->capv ? 2 * m->capv : 16;
		mvp_t *nv = realloc(m->v, nc * sizeof(*nv));
		if (nv == NULL) {
			return ssr_diag_set(m->diag, SSR_ENOMEM, "out of memory");
		}
		m->v = nv;
		m->capv = nc;
	}
	m->at = &m->v[m->nv++];
	memset(m->at, 0, sizeof(*m->at));
	m->at->h = *h;
	return SSR_EOK;
}

static int merge_iv(const ssr_rss_hdr_t *h, const ssr_rss_interval_t *iv, void *vctx)
{
	merge_t *m = vctx;
	mvp_t *v = m->at;
	size_t rs = rec_size(h->nrsi);
	if (v->n == v->cap) {
		size_t nc = v->cap ? 2 * v->cap : 1024;
		uint8_t *nr = realloc(v->recs, nc * rs);
		if (nr != NULL) {
			v->recs = nr;
		}
		uint32_t *ni = nr ? realloc(v->idx, nc * sizeof(*ni)) : NULL;
		if (ni != NULL) {
			v->idx = ni;
		}
		uint16_t *nf = ni ? realloc(v->file, nc * sizeof(*nf)) : NULL;
		if (nf == NULL) {
			return ssr_diag_set(m->diag, SSR_ENOMEM, "out of memory");
		}
		v->file = nf;
		v->cap = nc;
	}
	rec_encode(h->nrsi, iv, v->recs + v->n * rs);
	v->idx[v->n] = iv->idx;
	v->file[v->n] = (uint16_t)m->cur;
	v->n++;
	return SSR_EOK;
}

static int mvp_cmp(const void *a, const void *b)
{
	return strcmp(((const mvp_t *)a)->h.vp, ((const mvp_t *)b)->h.vp);
}

int ssr_rss_state_merge(const char *const *paths, size_t n, const char *out, ssr_diag_t *diag)
{
	merge_t m = {.paths = paths, .diag = diag};
	int rc = SSR_EOK;
	if (n > 65535) {
		return ssr_diag_set(diag, SSR_ELIMIT, "rss merge: more than 65535 states");
	}
	for (m.cur = 0; m.cur < n && rc == SSR_EOK; m.cur++) {
		rc = ssr_rss_state_read(paths[m.cur], merge_hdr, merge_iv, &m, diag);
	}
	FILE *f = NULL;
	char tmp[4096];
	snprintf(tmp, sizeof tmp, "%s.tmp", out);
	if (rc == SSR_EOK && (f = fopen(tmp, "wb")) == NULL) {
		rc = ssr_diag_set(diag, SSR_EIO, "rss merge: cannot write '%s': %s", tmp,
		                  strerror(errno));
	}
	qsort(m.v, m.nv, sizeof(*m.v), mvp_cmp);
	uint8_t hb[4096];
	for (size_t i = 0; rc == SSR_EOK && i < m.nv; i++) {
		mvp_t *v = &m.v[i];
		size_t rs = rec_size(v->h.nrsi);
		/* the records in interval order (an index sort: the records are large) */
		size_t *ord = malloc((v->n ? v->n : 1) * sizeof(*ord));
		if (ord == NULL) {
			rc = ssr_diag_set(diag, SSR_ENOMEM, "out of memory");
			break;
		}
		for (size_t k = 0; k < v->n; k++) {
			ord[k] = k;
		}
		for (size_t k = 1; k < v->n; k++) { /* nearly sorted already: insertion */
			size_t x = ord[k], j = k;
			while (j > 0 && v->idx[ord[j - 1]] > v->idx[x]) {
				ord[j] = ord[j - 1];
				j--;
			}
			ord[j] = x;
		}
		for (size_t k = 1; k < v->n && rc == SSR_EOK; k++) {
			if (v->idx[ord[k]] == v->idx[ord[k - 1]]) {
				rc = ssr_diag_set(
				    diag, SSR_EINVAL,
				    "rss state '%s': VP '%s' interval %u is also in '%s'",
				    paths[v->file[ord[k]]], v->h.vp, v->idx[ord[k]],
				    paths[v->file[ord[k - 1]]]);
			}
		}
		size_t l = hdr_encode(&v->h, hb);
		if (rc == SSR_EOK && fwrite(hb, 1, l, f) != l) {
			rc = SSR_EIO;
		}
		for (size_t k = 0; k < v->n && rc == SSR_EOK; k++) {
			if (fwrite(v->recs + ord[k] * rs, 1, rs, f) != rs) {
				rc = ssr_diag_set(diag, SSR_EIO, "rss merge: cannot write '%s'",
				                  tmp);
			}
		}
		free(ord);
	}
	if (rc == SSR_EOK && m.nv == 0) {
		rc = ssr_diag_set(diag, SSR_EINVAL, "rss merge: no state");
	}
	if (f != NULL) {
		if (fclose(f) != 0 && rc == SSR_EOK) {
			rc = ssr_diag_set(diag, SSR_EIO, "rss merge: cannot write '%s'", tmp);
		}
		if (rc == SSR_EOK && rename(tmp, out) != 0) {
			rc = ssr_diag_set(diag, SSR_EIO, "rss merge: cannot rename to '%s': %s",
			                  out, strerror(errno));
		}
		if (rc != SSR_EOK) {
			unlink(tmp);
		}
	}
	for (size_t i = 0; i < m.nv; i++) {
		free(m.v[i].recs);
		free(m.v[i].idx);
		free(m.v[i].file);
	}
	free(m.v);
	return rc;
}
