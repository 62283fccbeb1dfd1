/* libprobe: the record file, one exchange per record (docs/FORMATS.md, "probe records").
 *
 *   file    = "SSRPROBE" u32 version (1) record*
 *   record  = u32 n, body (n bytes), u32 CRC-32 of body       (little endian throughout)
 *   body    = u8 transport, u8 outcome, u8 family (4, 6), u8 0,
 *             u64 seq, i64 t_send_us (UTC), u32 rtt_us,
 *             u16 src_port, u16 dst_port, 16 bytes src address, 16 bytes dst address,
 *             u16 label length, label, u32 query length, query, u32 response length, response
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "probe_priv.h"

#define MAGIC     "SSRPROBE"
#define VERSION   1u
#define FIXED     64u   /* the body's fixed part, through the label length */
#define MAX_LABEL 1024u /* a label's cap */
#define MAX_BODY  (FIXED + MAX_LABEL + 4 + SSR_PROBE_MAX_MSG + 4 + SSR_PROBE_MAX_MSG)

struct ssr_probe_rec {
	FILE *f;
	char *path;
	uint8_t *buf; /* one body */
	int err;
	uint64_t count; /* records put */
};

uint64_t probe_rec_count(const ssr_probe_rec_t *w)
{
	return w->count;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++) {
		p[i] = (uint8_t)(v >> (8 * i));
	}
}

static void put64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++) {
		p[i] = (uint8_t)(v >> (8 * i));
	}
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t get64(const uint8_t *p)
{
	return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

int ssr_probe_rec_open(const char *path, ssr_probe_rec_t **out, ssr_diag_t *diag)
{
	ssr_probe_rec_t *w = calloc(1, sizeof(*w));
	if (w == NULL || (w->buf = malloc(MAX_BODY)) == NULL || (w->path = strdup(path)) == NULL) {
		if (w) {
			free(w->buf);
			free(w);
		}
		return ssr_diag_set(diag, SSR_ENOMEM, "records '%s': out of memory", path);
	}
	if ((w->f = fopen(path, "wb")) == NULL) {
		int e = errno;
		free(w->buf);
		free(w->path);
		free(w);
		return ssr_diag_set(diag, SSR_EIO, "records '%s': cannot create: %s", path,
		                    strerror(e));
	}
	setvbuf(w->f, NULL, _IOFBF, 1 << 20);
	uint8_t h[12];
	memcpy(h, MAGIC, 8);
	put32(h + 8, VERSION);
	if (fwrite(h, 1, sizeof h, w->f) != sizeof h) {
		w->err = SSR_EIO;
	}
	*out = w;
	return SSR_EOK;
}

static void put_addr(uint8_t *port, uint8_t *addr, const struct sockaddr_storage *a)
{
	memset(addr, 0, 16);
	if (a->ss_family == AF_INET) {
		const struct sockaddr_in *s = (const struct sockaddr_in *)a;
		put16(port, ntohs(s->sin_port));
		memcpy(addr, &s->sin_addr, 4);
	} else if (a->ss_family == AF_INET6) {
		const struct sockaddr_in6 *s = (const struct sockaddr_in6 *)a;
		put16(port, ntohs(s->sin6_port));
		memcpy(addr, &s->sin6_addr, 16);
	} else {
		put16(port, 0);
	}
}

int ssr_probe_rec_put(ssr_probe_rec_t *w, const ssr_probe_result_t *r, ssr_diag_t *diag)
{
	if (w->err != SSR_EOK) {
		return ssr_diag_set(diag, w->err, "records '%s': cannot write", w->path);
	}
	size_t ll = r->label ? strlen(r->label) : 0;
	ll = ll > MAX_LABEL ? MAX_LABEL : ll;
	size_t ql = r->qlen > SSR_PROBE_MAX_MSG ? SSR_PROBE_MAX_MSG : r->qlen;
	size_t rl = r->resp == NULL ? 0 : r->rlen > SSR_PROBE_MAX_MSG ? SSR_PROBE_MAX_MSG : r->rlen;
	uint8_t *b = w->buf;
	b[0] = (uint8_t)r->transport;
	b[1] = (uint8_t)r->outcome;
	b[2] = r->dst.ss_family == AF_INET6 ? 6 : 4;
	b[3] = 0;
	put64(b + 4, r->seq);
	put64(b + 12, (uint64_t)r->t_send_us);
	put32(b + 20, r->rtt_us);
	put_addr(b + 24, b + 28, &r->src);
	put_addr(b + 26, b + 44, &r->dst);
	put16(b + 60, (uint16_t)ll);
	size_t o = 62;
	if (ll > 0) {
		memcpy(b + o, r->label, ll);
	}
	o += ll;
	put32(b + o, (uint32_t)ql);
	memcpy(b + o + 4, r->query, ql);
	o += 4 + ql;
	put32(b + o, (uint32_t)rl);
	if (rl > 0) {
		memcpy(b + o + 4, r->resp, rl);
	}
	o += 4 + rl;
	uint8_t n[4], c[4];
	put32(n, (uint32_t)o);
	put32(c, (uint32_t)crc32(0, b, (uInt)o));
	if (fwrite(n, 1, 4, w->f) != 4 || fwrite(b, 1, o, w->f) != o ||
	    fwrite(c, 1, 4, w->f) != 4) {
		w->err = SSR_EIO;
		return ssr_diag_set(diag, SSR_EIO, "records '%s': cannot write: %s", w->path,
		                    strerror(errno));
	}
	w->count++;
	return SSR_EOK;
}

int ssr_probe_rec_close(ssr_probe_rec_t *w, ssr_diag_t *diag)
{
	if (w == NULL) {
		return SSR_EOK;
	}
	int rc = w->err;
	if (fclose(w->f) != 0) {
		rc = SSR_EIO;
	}
	if (rc != SSR_EOK) {
		ssr_diag_set(diag, rc, "records '%s': cannot write (incomplete)", w->path);
	}
	free(w->buf);
	free(w->path);
	free(w);
	return rc;
}

static void get_addr(uint8_t family, const uint8_t *port, const uint8_t *addr,
                     struct sockaddr_storage *a)
{
	memset(a, 0, sizeof(*a));
	if (family == 6) {
		struct sockaddr_in6 *s = (struct sockaddr_in6 *)a;
		s->sin6_family = AF_INET6;
		s->sin6_port = htons(get16(port));
		memcpy(&s->sin6_addr, addr, 16);
	} else {
		struct sockaddr_in *s = (struct sockaddr_in *)a;
		s->sin_family = AF_INET;
		s->sin_port = htons(get16(port));
		memcpy(&s->sin_addr, addr, 4);
	}
}

/* One body into r (pointers into b); a description of what is wrong, or NULL. */
static const char *decode(const uint8_t *b, uint32_t n, ssr_probe_result_t *r, char *label)
{
	if (n < FIXED + 8) {
		return "record shorter than its fixed part";
	}
	if (b[0] < SSR_PROBE_UDP || b[0] > SSR_PROBE_TLS || b[1] > SSR_PROBE_TLSFAIL ||
	    (b[2] != 4 && b[2] != 6)) {
		return "unknown transport, outcome or address family";
	}
	memset(r, 0, sizeof(*r));
	r->transport = (ssr_probe_transport_t)b[0];
	r->outcome = (ssr_probe_outcome_t)b[1];
	r->seq = get64(b + 4);
	r->t_send_us = (int64_t)get64(b + 12);
	r->rtt_us = get32(b + 20);
	get_addr(b[2], b + 24, b + 28, &r->src);
	get_addr(b[2], b + 26, b + 44, &r->dst);
	uint32_t ll = get16(b + 60), o = 62;
	if (ll > MAX_LABEL || n - o < ll + 4) {
		return "label beyond the record";
	}
	memcpy(label, b + o, ll);
	label[ll] = '\0';
	r->label = label;
	o += ll;
	uint32_t ql = get32(b + o);
	o += 4;
	if (ql > SSR_PROBE_MAX_MSG || n - o < ql + 4) {
		return "query beyond the record";
	}
	r->query = b + o;
	r->qlen = ql;
	o += ql;
	uint32_t rl = get32(b + o);
	o += 4;
	if (rl > SSR_PROBE_MAX_MSG || n - o != rl) {
		return "response length does not match the record";
	}
	r->resp = rl > 0 ? b + o : NULL;
	r->rlen = rl;
	return NULL;
}

int ssr_probe_rec_read(const char *path, ssr_probe_rec_fn fn, void *ctx, ssr_diag_t *diag)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL) {
		int e = errno;
		return ssr_diag_set(diag, e == ENOENT ? SSR_ENOTFOUND : SSR_EIO,
		                    "records '%s': cannot open: %s", path, strerror(e));
	}
	uint8_t h[12];
	int rc = SSR_EOK;
	if (fread(h, 1, sizeof h, f) != sizeof h || memcmp(h, MAGIC, 8) != 0) {
		rc = ssr_diag_set(diag, SSR_EPARSE,
		                  "records '%s' offset 0: not a probe record file", path);
	} else if (get32(h + 8) != VERSION) {
		rc = ssr_diag_set(diag, SSR_EPARSE,
		                  "records '%s' offset 8: version %" PRIu32
		                  " (this ssrwatch reads %u)",
		                  path, get32(h + 8), VERSION);
	}
	uint8_t *b = rc == SSR_EOK ? malloc(MAX_BODY) : NULL;
	char *label = rc == SSR_EOK ? malloc(MAX_LABEL + 1) : NULL;
	if (rc == SSR_EOK && (b == NULL || label == NULL)) {
		rc = ssr_diag_set(diag, SSR_ENOMEM, "records '%s': out of memory", path);
	}
	uint64_t off = sizeof h;
	while (rc == SSR_EOK) {
		uint8_t n4[4], c4[4];
		size_t got = fread(n4, 1, 4, f);
		if (got == 0 && feof(f)) {
			break;
		}
		uint32_t n = got == 4 ? get32(n4) : 0;
		if (got != 4 || n > MAX_BODY || fread(b, 1, n, f) != n || fread(c4, 1, 4, f) != 4) {
			rc = ssr_diag_set(diag, ferror(f) ? SSR_EIO : SSR_EPARSE,
			                  "records '%s' offset %" PRIu64 ": %s", path, off,
			                  ferror(f)      ? "read error"
			                  : n > MAX_BODY ? "record longer than any exchange"
			                                 : "truncated record");
			break;
		}
		if ((uint32_t)crc32(0, b, n) != get32(c4)) {
			rc = ssr_diag_set(diag, SSR_EPARSE,
			                  "records '%s' offset %" PRIu64
			                  ": checksum mismatch (corrupt)",
			                  path, off);
			break;
		}
		ssr_probe_result_t r;
		const char *bad = decode(b, n, &r, label);
		if (bad != NULL) {
			rc = ssr_diag_set(diag, SSR_EPARSE, "records '%s' offset %" PRIu64 ": %s",
			                  path, off, bad);
			break;
		}
		rc = fn(&r, ctx);
		off += 8u + n;
	}
	free(b);
	free(label);
	fclose(f);
	return rc;
}
