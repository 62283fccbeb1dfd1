/* ssrwatch — SHA-256 (FIPS 180-4), HMAC-SHA256 (RFC 2104), random tokens, hex and base64. */
#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include "ssrwatch/crypto.h"
#include "ssrwatch/error.h"

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

static inline uint32_t ror(uint32_t x, int n)
{
	return (x >> n) | (x << (32 - n));
}

static void block(uint32_t h[8], const uint8_t *p)
{
	uint32_t w[64];
	for (int i = 0; i < 16; i++) {
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		       (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
	}
	for (int i = 16; i < 64; i++) {
		uint32_t s0 = ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^ (w[i - 15] >> 3);
		uint32_t s1 = ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^ (w[i - 2] >> 10);
		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
	for (int i = 0; i < 64; i++) {
		uint32_t t1 =
		    hh + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
		uint32_t t2 = (ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
		hh = g, g = f, f = e, e = d + t1, d = c, c = b, b = a, a = t1 + t2;
	}
	h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e, h[5] += f, h[6] += g, h[7] += hh;
}

void ssr_sha256_init(ssr_sha256_t *c)
{
	static const uint32_t iv[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
	                               0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
	memcpy(c->h, iv, sizeof(iv));
	c->len = 0;
	c->nbuf = 0;
}

void ssr_sha256_update(ssr_sha256_t *c, const void *data, size_t len)
{
	const uint8_t *p = data;
	c->len += len;
	if (c->nbuf > 0) {
		size_t take = 64 - c->nbuf < len ? 64 - c->nbuf : len;
		memcpy(c->buf + c->nbuf, p, take);
		c->nbuf += take, p += take, len -= take;
		if (c->nbuf < 64) {
			return;
		}
		block(c->h, c->buf);
		c->nbuf = 0;
	}
	for (; len >= 64; p += 64, len -= 64) {
		block(c->h, p);
	}
	memcpy(c->buf, p, len);
	c->nbuf = len;
}

void ssr_sha256_final(ssr_sha256_t *c, uint8_t out[SSR_SHA256_LEN])
{
	uint64_t bits = c->len * 8;
	uint8_t pad = 0x80;
	ssr_sha256_update(c, &pad, 1);
	uint8_t zero = 0;
	while (c->nbuf != 56) {
		ssr_sha256_update(c, &zero, 1);
	}
	uint8_t lenbe[8];
	for (int i = 0; i < 8; i++) {
		lenbe[i] = (uint8_t)(bits >> (56 - 8 * i));
	}
	ssr_sha256_update(c, lenbe, 8);
	for (int i = 0; i < 8; i++) {
		out[4 * i] = (uint8_t)(c->h[i] >> 24);
		out[4 * i + 1] = (uint8_t)(c->h[i] >> 16);
		out[4 * i + 2] = (uint8_t)(c->h[i] >> 8);
		out[4 * i + 3] = (uint8_t)c->h[i];
	}
}

void ssr_sha256(const void *data, size_t len, uint8_t out[SSR_SHA256_LEN])
{
	ssr_sha256_t c;
	ssr_sha256_init(&c);
	ssr_sha256_update(&c, data, len);
	ssr_sha256_final(&c, out);
}

void ssr_hmac_sha256(const void *key, size_t klen, const void *msg, size_t mlen,
                     uint8_t out[SSR_SHA256_LEN])
{
	uint8_t k[64] = {0}, pad[64], inner[SSR_SHA256_LEN];
	if (klen > 64) {
		ssr_sha256(key, klen, k);
	} else if (klen > 0) {
		memcpy(k, key, klen);
	}
	ssr_sha256_t c;
	for (int i = 0; i < 64; i++) {
		pad[i] = k[i] ^ 0x36;
	}
	ssr_sha256_init(&c);
	ssr_sha256_update(&c, pad, 64);
	ssr_sha256_update(&c, msg, mlen);
	ssr_sha256_final(&c, inner);
	for (int i = 0; i < 64; i++) {
		pad[i] = k[i] ^ 0x5c;
	}
	ssr_sha256_init(&c);
	ssr_sha256_update(&c, pad, 64);
	ssr_sha256_update(&c, inner, sizeof(inner));
	ssr_sha256_final(&c, out);
}

void ssr_hex(const uint8_t *in, size_t len, char *out)
{
	static const char d[] = "0123456789abcdef";
	for (size_t i = 0; i < len; i++) {
		out[2 * i] = d[in[i] >> 4];
		out[2 * i + 1] = d[in[i] & 15];
	}
	out[2 * len] = '\0';
}

static int nibble(char c)
{
	return c >= '0' && c <= '9'   ? c - '0'
	       : c >= 'a' && c <= 'f' ? c - 'a' + 10
	       : c >= 'A' && c <= 'F' ? c - 'A' + 10
	                              : -1;
}

int ssr_hex_decode(const char *s, uint8_t *out, size_t cap, size_t *len)
{
	size_t n = strlen(s);
	if (n % 2 != 0) {
		return SSR_EINVAL;
	}
	if (n / 2 > cap) {
		return SSR_ELIMIT;
	}
	for (size_t i = 0; i < n / 2; i++) {
		int hi = nibble(s[2 * i]), lo = nibble(s[2 * i + 1]);
		if (hi < 0 || lo < 0) {
			return SSR_EINVAL;
		}
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	*len = n / 2;
	return SSR_EOK;
}

void ssr_sha256_hex(const char *s, char out[65])
{
	uint8_t h[SSR_SHA256_LEN];
	ssr_sha256(s, strlen(s), h);
	ssr_hex(h, sizeof(h), out);
}

int ssr_random(void *buf, size_t len)
{
	uint8_t *p = buf;
	while (len > 0) {
		ssize_t n = getrandom(p, len, 0);
		if (n < 0) {
			if (errno == EINTR) {
				continue;
			}
			return SSR_EIO;
		}
		p += n;
		len -= (size_t)n;
	}
	return SSR_EOK;
}

static const char B64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char B64URL[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/* Encode; pad: '=' padding.  Returns the length written. */
static size_t b64(const uint8_t *in, size_t n, char *out, const char *alpha, int pad)
{
	size_t o = 0, i = 0;
	for (; i + 3 <= n; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
		out[o++] = alpha[v >> 18];
		out[o++] = alpha[(v >> 12) & 63];
		out[o++] = alpha[(v >> 6) & 63];
		out[o++] = alpha[v & 63];
	}
	if (i < n) {
		uint32_t v = (uint32_t)in[i] << 16 | (i + 1 < n ? (uint32_t)in[i + 1] << 8 : 0);
		out[o++] = alpha[v >> 18];
		out[o++] = alpha[(v >> 12) & 63];
		if (i + 1 < n) {
			out[o++] = alpha[(v >> 6) & 63];
		} else if (pad) {
			out[o++] = '=';
		}
		if (pad) {
			out[o++] = '=';
		}
	}
	out[o] = '\0';
	return o;
}

int ssr_random_token(size_t nbytes, char *out, size_t cap)
{
	uint8_t raw[64];
	if (nbytes == 0 || nbytes > sizeof(raw) || cap < 4 * nbytes / 3 + 2) {
		return SSR_EINVAL;
	}
	int rc = ssr_random(raw, nbytes);
	if (rc != SSR_EOK) {
		return rc;
	}
	b64(raw, nbytes, out, B64URL, 0);
	return SSR_EOK;
}

size_t ssr_base64_len(size_t n)
{
	return (n + 2) / 3 * 4;
}

void ssr_base64_encode(const uint8_t *in, size_t n, char *out)
{
	b64(in, n, out, B64, 1);
}

static int b64val(char c)
{
	if (c >= 'A' && c <= 'Z') {
		return c - 'A';
	}
	if (c >= 'a' && c <= 'z') {
		return c - 'a' + 26;
	}
	if (c >= '0' && c <= '9') {
		return c - '0' + 52;
	}
	if (c == '+' || c == '-') {
		return 62;
	}
	if (c == '/' || c == '_') {
		return 63;
	}
	return -1;
}

int ssr_base64_decode(const char *in, size_t n, uint8_t *out, size_t cap, size_t *outlen)
{
	while (n > 0 && in[n - 1] == '=') {
		n--;
	}
	if (n % 4 == 1) {
		return SSR_EPARSE;
	}
	size_t need = n / 4 * 3 + (n % 4 ? n % 4 - 1 : 0);
	if (need > cap) {
		return SSR_ELIMIT;
	}
	size_t o = 0;
	uint32_t acc = 0;
	int bits = 0;
	for (size_t i = 0; i < n; i++) {
		int v = b64val(in[i]);
		if (v < 0) {
			return SSR_EPARSE;
		}
		acc = acc << 6 | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (uint8_t)(acc >> bits);
		}
	}
	*outlen = o;
	return SSR_EOK;
}

bool ssr_ct_equal(const void *a, const void *b, size_t len)
{
	const volatile uint8_t *x = a, *y = b;
	uint8_t d = 0;
	for (size_t i = 0; i < len; i++) {
		d |= x[i] ^ y[i];
	}
	return d == 0;
}

size_t ssr_base32hex_decode(const char *text, size_t len, uint8_t *out, size_t cap)
{
	size_t n = 0;
	uint64_t acc = 0;
	int bits = 0;
	for (size_t i = 0; i < len; i++) {
		char ch = text[i];
		unsigned v;
		if (ch >= '0' && ch <= '9') {
			v = (unsigned)(ch - '0');
		} else if (ch >= 'a' && ch <= 'v') {
			v = (unsigned)(ch - 'a' + 10);
		} else if (ch >= 'A' && ch <= 'V') {
			v = (unsigned)(ch - 'A' + 10);
		} else {
			return 0;
		}
		acc = acc << 5 | v;
		bits += 5;
		if (bits >= 8) {
			bits -= 8;
			if (n == cap) {
				return 0;
			}
			out[n++] = (uint8_t)(acc >> bits);
		}
	}
	return n;
}
