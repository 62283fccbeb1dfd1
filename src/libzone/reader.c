/* ssrwatch — streaming zone file reader.
 *
 * The AUTO engine splits the input into logical records itself (handling comments, quotes,
 * escapes and parentheses), parses the plain one-record-per-line form of NS, A, AAAA, DS and the
 * DNSSEC types (RRSIG, DNSKEY, NSEC, NSEC3, NSEC3PARAM) directly into wire form, and hands every
 * other record to libzscanner with the reader's state (origin, default TTL, last owner) installed.
 * Directives are handled here.  The ZSCANNER engine lets libzscanner read the whole file and is the
 * reference the tests compare with.
 *
 * Over 800 lines: the fast path (record splitting and the plain NS/A/AAAA/DS parser) and the
 * libzscanner fallback share the reader's state and must agree byte for byte; one file keeps
 * the hot loop inlinable (docs/PERFORMANCE.md). */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <libzscanner/scanner.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ssrwatch/dname.h"
#include "ssrwatch/hash.h"
#include "ssrwatch/input.h"
#include "ssrwatch/zone.h"
#include "zone_priv.h"

#define READ_BUF (1u << 20)
/* The read buffer's allocation: READ_BUF, a final newline, and whole 64-byte blocks behind it
 * for the SIMD loads that read past the data (names: 64 bytes, the block classes: 3 blocks
 * from a line's start). */
#define BUF_ALLOC  (READ_BUF + 4 * 64)
#define BUF_BLOCKS (BUF_ALLOC / 64)
/* Classified blocks kept (a ring by block index): a line needs 3 from its start; the kernel
 * runs BM_AHEAD blocks at a time. */
#define BM_RING  16
#define BM_AHEAD 8

typedef struct {
	const ssr_zone_opts_t *opts;
	ssr_zone_rr_fn fn;
	void *ctx;
	ssr_zone_read_stats_t *st;
	ssr_diag_t *diag;
	zs_scanner_t *zs;                        /* lazily created for the fallback */
	uint8_t origin[SSR_DNAME_MAXLEN + 1];    /* as written: libzscanner's origin */
	uint8_t origin_lc[SSR_DNAME_MAXLEN + 1]; /* lowercase: the fast path's */
	size_t origin_len;
	uint32_t default_ttl;
	uint8_t owner[SSR_DNAME_MAXLEN + 1]; /* last owner (lowercase after the fast path) */
	size_t owner_len;
	char owner_text[SSR_DNAME_MAXLEN + 1]; /* the fast path's last owner token */
	size_t owner_text_len;                 /* 0: no reusable token */
	char *rec;                             /* assembly buffer for multi-line records */
	size_t rec_len;
	char *alt; /* a record rewritten for libzscanner (types it predates); lazily allocated */
	/* types libzscanner was asked about (bit set in probed), and those it knows */
	uint64_t zs_probed[1024], zs_known[1024];
	int depth;
	int stop; /* callback's non-OK return code */
	/* the fast path's DNSSEC rdata (signatures, keys, type bitmaps): here, not on the stack of
	 * every line's call */
	uint8_t drd[4096];
	zone_classify_fn classify; /* the tokenizer's byte classes; NULL: byte-table loop */
} reader_t;

typedef struct {
	ssr_input_t *in;
	const char *name;
	char *dir; /* for relative $INCLUDE */
	char *buf; /* BUF_ALLOC bytes: READ_BUF of data, room for a final newline, padding */
	/* byte classes of buf's 64-byte blocks [bm_next - BM_RING, bm_next), at bm[block %
	 * BM_RING]; bm_next is 0 after every refill */
	zone_blockmask_t bm[BM_RING];
	size_t bm_next;
	size_t beg, end;
	size_t lim; /* one past the last newline in [beg, end) */
	bool eof;
	uint64_t line; /* number of the next line */
	bool top;
	/* after a bad $ORIGIN (keep_going): its line, and the records skipped since */
	uint64_t skip_from, skip_count, skip_last;
} zfile_t;

/* ---- helpers ---------------------------------------------------------- */

/* Splitter classes: 1 white space, 2 special (quotes, escapes, parentheses, comments). */
static const uint8_t split_tab[256] = {
    [' '] = 1, ['\t'] = 1, ['('] = 2, [')'] = 2, ['"'] = 2, ['\\'] = 2, [';'] = 2,
};

/* Characters a plain owner or host name may hold on the fast path. */
#define NC_RANGE(a, b) [a... b] = 1
static const uint8_t name_tab[256] = {
    NC_RANGE('a', 'z'), NC_RANGE('A', 'Z'), NC_RANGE('0', '9'), ['-'] = 1, ['_'] = 1, ['*'] = 1,
};

static inline uint8_t lc(uint8_t c)
{
	return (uint8_t)(c + ((unsigned)(c - 'A') < 26u ? 32 : 0));
}

/* Quote a short excerpt of a record for an error message. */
static void excerpt(const char *s, size_t n, char *out, size_t cap)
{
	size_t o = 0;
	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' ')) {
		n--;
	}
	for (size_t i = 0; i < n && o + 4 < cap; i++) {
		char c = s[i];
		out[o++] = (c == '\n' || c == '\t' || c == '\r') ? ' ' : c;
		if (i == 79 && n > 80) {
			out[o++] = '.';
			out[o++] = '.';
			out[o++] = '.';
			break;
		}
	}
	out[o] = '\0';
}

static int report_bad(reader_t *r, const char *file, uint64_t line, const char *reason,
                      const char *text, size_t len)
{
	char ex[128];
	char msg[400];
	if (text != NULL) {
		excerpt(text, len, ex, sizeof(ex));
		snprintf(msg, sizeof(msg), "zone '%s' line %llu: %s in '%s'", file,
		         (unsigned long long)line, reason, ex);
	} else {
		snprintf(msg, sizeof(msg), "zone '%s' line %llu: %s", file,
		         (unsigned long long)line, reason);
	}
	if (r->opts->keep_going) {
		r->st->errors++;
		if (r->opts->on_error != NULL) {
			r->opts->on_error(file, line, msg, r->opts->error_ctx);
		}
		return SSR_EOK;
	}
	return ssr_diag_set(r->diag, SSR_EPARSE, "%s", msg);
}

/* Hand a record whose owner is already lowercase to the callback. */
static int emit_lower(reader_t *r, const uint8_t *owner, size_t owner_len, uint16_t type,
                      uint16_t rclass, uint32_t ttl, const uint8_t *rdata, size_t rdlen,
                      const char *file, uint64_t line)
{
	ssr_zone_rr_t rr = {
	    .owner = owner,
	    .owner_len = (uint16_t)owner_len,
	    .type = type,
	    .rclass = rclass,
	    .ttl = ttl,
	    .rdata = rdata,
	    .rdata_len = (uint16_t)rdlen,
	    .file = file,
	    .line = line,
	};
	r->st->records++;
	int rc = r->fn(&rr, r->ctx);
	if (rc != SSR_EOK) {
		r->stop = rc;
	}
	return rc;
}

/* Hand a record from libzscanner: lowercase the owner and an NS target first. */
static int emit(reader_t *r, const uint8_t *owner, size_t owner_len, uint16_t type, uint16_t rclass,
                uint32_t ttl, uint8_t *rdata, size_t rdlen, const char *file, uint64_t line)
{
	uint8_t low[SSR_DNAME_MAXLEN + 1];
	memcpy(low, owner, owner_len);
	ssr_dname_lower(low);
	if (type == SSR_RRTYPE_NS && ssr_dname_len(rdata, rdlen) == rdlen) {
		ssr_dname_lower(rdata);
	}
	return emit_lower(r, low, owner_len, type, rclass, ttl, rdata, rdlen, file, line);
}

/* ---- the fast path ---------------------------------------------------- */

static void set_origin(reader_t *r, const uint8_t *o, size_t len)
{
	memcpy(r->origin, o, len);
	memcpy(r->origin_lc, o, len);
	ssr_dname_lower(r->origin_lc);
	r->origin_len = len;
	r->owner_text_len = 0; /* relative owner tokens now mean other names */
}

/* Plain name ([A-Za-z0-9_*-] labels) to lowercase wire; relative names get the origin;
 * "@" is the origin.  <0: not a plain name (the record goes to libzscanner). */
static int fast_name(const char *s, size_t n, const uint8_t *origin, size_t olen, uint8_t *out)
{
	if (n == 1 && s[0] == '@') {
		memcpy(out, origin, olen);
		return (int)olen;
	}
	if (n == 0 || n >= SSR_DNAME_MAXLEN) {
		return -1;
	}
	size_t o = 1, lpos = 0;
	for (size_t i = 0; i < n; i++) {
		uint8_t c = (uint8_t)s[i];
		if (c == '.') {
			size_t l = o - lpos - 1;
			if (l == 0 || l > 63) {
				return -1;
			}
			out[lpos] = (uint8_t)l;
			lpos = o++;
			continue;
		}
		if (!name_tab[c]) {
			return -1;
		}
		out[o++] = lc(c);
	}
	size_t l = o - lpos - 1;
	if (l > 63) {
		return -1;
	}
	if (l == 0) { /* ended with a dot: absolute */
		out[lpos] = 0;
		return (int)o;
	}
	out[lpos] = (uint8_t)l;
	if (o + olen > SSR_DNAME_MAXLEN) {
		return -1;
	}
	memcpy(out + o, origin, olen);
	return (int)(o + olen);
}

#if defined(__SSE2__)
#include <emmintrin.h>

/* Unsigned range test lo <= b < lo + n on 16 bytes. */
static inline __m128i in_range(__m128i b, char lo, char n)
{
	__m128i y = _mm_xor_si128(_mm_sub_epi8(b, _mm_set1_epi8(lo)), _mm_set1_epi8((char)0x80));
	return _mm_cmplt_epi8(y, _mm_set1_epi8((char)(n ^ 0x80)));
}

/* fast_name for tokens shorter than 64 bytes: validate, lowercase and place label lengths
 * with SSE2.  The caller guarantees 64 readable bytes at s and 80 writable bytes at out. */
static int fast_name_simd(const char *s, size_t n, const uint8_t *origin, size_t olen, uint8_t *out)
{
	uint64_t valid = 0, dots = 0;
	for (size_t q = 0; q < n; q += 16) {
		__m128i b = _mm_loadu_si128((const __m128i *)(s + q));
		__m128i up = in_range(b, 'A', 26);
		__m128i ok =
		    _mm_or_si128(_mm_or_si128(up, in_range(b, 'a', 26)), in_range(b, '0', 10));
		__m128i dot = _mm_cmpeq_epi8(b, _mm_set1_epi8('.'));
		ok = _mm_or_si128(ok, _mm_or_si128(_mm_cmpeq_epi8(b, _mm_set1_epi8('-')),
		                                   _mm_cmpeq_epi8(b, _mm_set1_epi8('_'))));
		ok = _mm_or_si128(ok, _mm_or_si128(_mm_cmpeq_epi8(b, _mm_set1_epi8('*')), dot));
		_mm_storeu_si128((__m128i *)(out + 1 + q),
		                 _mm_add_epi8(b, _mm_and_si128(up, _mm_set1_epi8(0x20))));
		valid |= (uint64_t)(uint32_t)_mm_movemask_epi8(ok) << q;
		dots |= (uint64_t)(uint32_t)_mm_movemask_epi8(dot) << q;
	}
	uint64_t all = n == 64 ? ~0ULL : (1ULL << n) - 1;
	dots &= all;
	if ((valid & all) != all || (dots & 1) || (dots & (dots >> 1))) {
		return -1; /* bad character, leading dot or empty label */
	}
	int prev = -1;
	uint64_t d = dots;
	while (d != 0) {
		int i = __builtin_ctzll(d);
		out[prev + 1] = (uint8_t)(i - prev - 1);
		prev = i;
		d &= d - 1;
	}
	if (prev == (int)n - 1) { /* absolute */
		out[n] = 0;
		return (int)n + 1;
	}
	out[prev + 1] = (uint8_t)((int)n - prev - 1);
	if (n + 1 + olen > SSR_DNAME_MAXLEN) {
		return -1;
	}
	memcpy(out + n + 1, origin, olen);
	return (int)(n + 1 + olen);
}
#endif

static int fast_u32(const char *s, size_t n, uint32_t max, uint32_t *out)
{
	if (n == 0 || n > 10) {
		return -1;
	}
	uint64_t v = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned d = (unsigned)(s[i] - '0');
		if (d > 9) {
			return -1;
		}
		v = v * 10 + d;
	}
	if (v > max) {
		return -1;
	}
	*out = (uint32_t)v;
	return 0;
}

/* Hex digits: 0x10 | value; 0 for anything else. */
#define HX(c, v) [c] = 0x10 | v
static const uint8_t hex_tab[256] = {
    HX('0', 0),  HX('1', 1),  HX('2', 2),  HX('3', 3),  HX('4', 4),  HX('5', 5),
    HX('6', 6),  HX('7', 7),  HX('8', 8),  HX('9', 9),  HX('a', 10), HX('b', 11),
    HX('c', 12), HX('d', 13), HX('e', 14), HX('f', 15), HX('A', 10), HX('B', 11),
    HX('C', 12), HX('D', 13), HX('E', 14), HX('F', 15),
};

/* Dotted quad as inet_pton(AF_INET) takes it: four decimal octets, no leading zeros. */
static int fast_ipv4(const char *s, size_t n, uint8_t out[4])
{
	size_t i = 0;
	for (int k = 0; k < 4; k++) {
		if (i >= n || s[i] < '0' || s[i] > '9') {
			return -1;
		}
		unsigned v = 0, digits = 0;
		while (i < n && s[i] >= '0' && s[i] <= '9') {
			v = v * 10 + (unsigned)(s[i++] - '0');
			if (++digits > 3) {
				return -1;
			}
		}
		if (v > 255 || (digits > 1 && s[i - digits] == '0')) {
			return -1;
		}
		out[k] = (uint8_t)v;
		if (k < 3) {
			if (i >= n || s[i] != '.') {
				return -1;
			}
			i++;
		}
	}
	return i == n ? 0 : -1;
}

#define MAX_TOK   16
#define FAST_BAIL 0

/* The byte classes of blocks b0, b0 + 1 and b0 + 2 of f->buf in the ring, classifying up to
 * BM_AHEAD blocks ahead. */
static inline void bm_need(const reader_t *r, zfile_t *f, size_t b0)
{
	if (b0 + 3 <= f->bm_next && b0 + BM_RING >= f->bm_next) {
		return;
	}
	if (b0 > f->bm_next || b0 + BM_RING < f->bm_next) {
		f->bm_next = b0; /* blocks before b0 are not needed */
	}
	size_t to = f->bm_next + BM_AHEAD > b0 + 3 ? f->bm_next + BM_AHEAD : b0 + 3;
	if (to > BUF_BLOCKS) {
		to = BUF_BLOCKS;
	}
	while (f->bm_next < to) {
		size_t slot = f->bm_next % BM_RING;
		size_t n = to - f->bm_next < BM_RING - slot ? to - f->bm_next : BM_RING - slot;
		r->classify(f->buf + f->bm_next * 64, n, &f->bm[slot]);
		f->bm_next += n;
	}
}

/* 64 bits of a class from bit sh of block word a on, continued by block word b. */
static inline uint64_t bm_cat(uint64_t a, uint64_t b, unsigned sh)
{
	return sh ? a >> sh | b << (64 - sh) : a;
}

/* Tokenize the line at offset off of f->buf from the block classes, for lines up to 128
 * bytes.  Returns the line length (offset of its newline), -1 to bail (special characters, too
 * many tokens), -2 when the line is longer than this path handles. */
static inline long simd_tokens(const reader_t *r, zfile_t *f, size_t off, const char **tok,
                               uint32_t *tl, size_t *nt)
{
	const char *p = f->buf + off;
	size_t b0 = off / 64;
	unsigned sh = (unsigned)(off % 64);
	bm_need(r, f, b0);
	const zone_blockmask_t *x = &f->bm[b0 % BM_RING], *y = &f->bm[(b0 + 1) % BM_RING];
	uint64_t ws[2] = {bm_cat(x->ws, y->ws, sh), 0}, nl[2] = {bm_cat(x->nl, y->nl, sh), 0},
	         sp[2] = {bm_cat(x->sp, y->sp, sh), 0};
	int blocks = 1;
	if (nl[0] == 0) {
		const zone_blockmask_t *z = &f->bm[(b0 + 2) % BM_RING];
		ws[1] = bm_cat(y->ws, z->ws, sh);
		nl[1] = bm_cat(y->nl, z->nl, sh);
		sp[1] = bm_cat(y->sp, z->sp, sh);
		blocks = 2;
	}
	int b = blocks - 1;
	if (nl[b] == 0) {
		return -2;
	}
	unsigned end = (unsigned)__builtin_ctzll(nl[b]); /* newline position within block b */
	uint64_t inside = end ? (~0ULL >> (64 - end)) : 0;
	if ((sp[b] & inside) != 0 || (b == 1 && sp[0] != 0)) {
		return -1;
	}
	size_t n = 0;
	uint64_t carry = 1; /* position -1 counts as white space */
	for (int k = 0; k <= b; k++) {
		uint64_t lim = k < b ? ~0ULL : inside;
		uint64_t word = ~ws[k] & lim;
		uint64_t prev_ws = (ws[k] << 1) | carry;
		uint64_t starts = word & prev_ws;
		uint64_t next_ws = (ws[k] >> 1) | (k < b ? (ws[k + 1] & 1) << 63 : 0);
		/* last byte of each token: white space follows, or the line ends */
		uint64_t ends = word & (k < b ? next_ws : (next_ws | ~(lim >> 1)));
		carry = ws[k] >> 63;
		while (starts != 0) {
			if (n == MAX_TOK) {
				return -1;
			}
			unsigned s0 = (unsigned)__builtin_ctzll(starts);
			uint64_t e = ends & (~0ULL << s0);
			if (e == 0) { /* token runs into the next block */
				if (k == b) {
					return -1;
				}
				uint64_t word2 = ~ws[k + 1] & (k + 1 < b ? ~0ULL : inside);
				uint64_t gap = ~word2;
				unsigned e1 = gap ? (unsigned)__builtin_ctzll(gap) : 64;
				tok[n] = p + k * 64 + s0;
				tl[n++] = 64 - s0 + e1;
				starts &= starts - 1;
				continue;
			}
			unsigned e0 = (unsigned)__builtin_ctzll(e);
			tok[n] = p + k * 64 + s0;
			tl[n++] = e0 - s0 + 1;
			starts &= starts - 1;
		}
	}
	*nt = n;
	return (long)(b * 64 + end);
}

/* A name token of a fast-path line (64 bytes readable at s: the read buffer is padded). */
static inline int name_token(const char *s, size_t n, const uint8_t *origin, size_t olen,
                             uint8_t *out)
{
#if defined(__SSE2__)
	if (n > 1 && n < 64) {
		return fast_name_simd(s, n, origin, olen, out);
	}
#endif
	return fast_name(s, n, origin, olen, out);
}

/* ---- the fast path's DNSSEC types: the plain one-line forms libzscanner reads the same way;
 * anything else (multi-line, TYPEnnn, unusual case or encodings) goes to libzscanner ---------- */

static const int8_t b64_tab[256] = {
    ['A'] = 1,  ['B'] = 2,  ['C'] = 3,  ['D'] = 4,  ['E'] = 5,  ['F'] = 6,  ['G'] = 7,  ['H'] = 8,
    ['I'] = 9,  ['J'] = 10, ['K'] = 11, ['L'] = 12, ['M'] = 13, ['N'] = 14, ['O'] = 15, ['P'] = 16,
    ['Q'] = 17, ['R'] = 18, ['S'] = 19, ['T'] = 20, ['U'] = 21, ['V'] = 22, ['W'] = 23, ['X'] = 24,
    ['Y'] = 25, ['Z'] = 26, ['a'] = 27, ['b'] = 28, ['c'] = 29, ['d'] = 30, ['e'] = 31, ['f'] = 32,
    ['g'] = 33, ['h'] = 34, ['i'] = 35, ['j'] = 36, ['k'] = 37, ['l'] = 38, ['m'] = 39, ['n'] = 40,
    ['o'] = 41, ['p'] = 42, ['q'] = 43, ['r'] = 44, ['s'] = 45, ['t'] = 46, ['u'] = 47, ['v'] = 48,
    ['w'] = 49, ['x'] = 50, ['y'] = 51, ['z'] = 52, ['0'] = 53, ['1'] = 54, ['2'] = 55, ['3'] = 56,
    ['4'] = 57, ['5'] = 58, ['6'] = 59, ['7'] = 60, ['8'] = 61, ['9'] = 62, ['+'] = 63, ['/'] = 64,
};

/* Base64 of tokens tok[k..nt) (one string, padded to a multiple of 4) appended to rd at *len
 * (cap bytes); -1 when it is not that. */
static int fast_b64(const char *const *tok, const uint32_t *tl, size_t k, size_t nt, uint8_t *rd,
                    size_t *len, size_t cap)
{
	uint32_t acc = 0;
	unsigned n = 0, pad = 0;
	size_t o = *len;
	for (size_t j = k; j < nt; j++) {
		const uint8_t *t = (const uint8_t *)tok[j];
		uint32_t i = 0;
		if (tl[j] % 4 != 0) {
			return -1; /* pieces of whole quads only, as libzscanner takes them */
		}
		/* quads of data characters, four at a time; a quad with '=' or anything else goes
		 * one by one below */
		while (pad == 0 && i + 4 <= tl[j]) {
			int a = b64_tab[t[i]], b = b64_tab[t[i + 1]], c = b64_tab[t[i + 2]],
			    d = b64_tab[t[i + 3]];
			if (a == 0 || b == 0 || c == 0 || d == 0 || o + 3 > cap) {
				break;
			}
			uint32_t v = (uint32_t)(a - 1) << 18 | (uint32_t)(b - 1) << 12 |
			             (uint32_t)(c - 1) << 6 | (uint32_t)(d - 1);
			rd[o] = (uint8_t)(v >> 16);
			rd[o + 1] = (uint8_t)(v >> 8);
			rd[o + 2] = (uint8_t)v;
			o += 3;
			i += 4;
		}
		for (; i < tl[j]; i++) {
			uint8_t c = t[i];
			if (c == '=') {
				pad++;
				acc <<= 6;
			} else {
				int v = b64_tab[c];
				if (v == 0 || pad > 0) {
					return -1;
				}
				acc = acc << 6 | (uint32_t)(v - 1);
			}
			if (++n == 4) {
				if (o + 3 > cap || pad > 2) {
					return -1;
				}
				rd[o++] = (uint8_t)(acc >> 16);
				if (pad < 2) {
					rd[o++] = (uint8_t)(acc >> 8);
				}
				if (pad < 1) {
					rd[o++] = (uint8_t)acc;
				}
				n = 0;
				acc = 0;
			}
		}
	}
	if (n != 0 || o == *len) {
		return -1;
	}
	*len = o;
	return 0;
}

/* Base32hex without padding (an NSEC3 next owner): whole bytes only. */
static int fast_b32hex(const char *s, size_t n, uint8_t *out, size_t *len)
{
	if (n == 0 || n * 5 % 8 != 0 || n * 5 / 8 > 255) {
		return -1;
	}
	uint64_t acc = 0;
	unsigned bits = 0;
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		uint8_t c = lc((uint8_t)s[i]);
		unsigned v = c >= '0' && c <= '9'   ? (unsigned)(c - '0')
		             : c >= 'a' && c <= 'v' ? (unsigned)(c - 'a' + 10)
		                                    : 32;
		if (v == 32) {
			return -1;
		}
		acc = acc << 5 | v;
		bits += 5;
		if (bits >= 8) {
			out[o++] = (uint8_t)(acc >> (bits - 8));
			bits -= 8;
		}
	}
	*len = o;
	return 0;
}

/* An RRSIG time: YYYYMMDDHHmmSS (UTC, 1970 to 2105) or seconds (at most 10 digits). */
static int fast_time(const char *s, size_t n, uint32_t *out)
{
	if (n != 14) {
		return n <= 10 ? fast_u32(s, n, 0xffffffffu, out) : -1;
	}
	unsigned v[6];
	static const unsigned w[6] = {4, 2, 2, 2, 2, 2};
	for (unsigned i = 0, o = 0; i < 6; o += w[i], i++) {
		v[i] = 0;
		for (unsigned j = 0; j < w[i]; j++) {
			unsigned d = (unsigned)(s[o + j] - '0');
			if (d > 9) {
				return -1;
			}
			v[i] = v[i] * 10 + d;
		}
	}
	if (v[0] < 1970 || v[0] > 2105 || v[1] < 1 || v[1] > 12 || v[2] < 1 || v[2] > 31 ||
	    v[3] > 23 || v[4] > 59 || v[5] > 59) {
		return -1;
	}
	/* days from civil (proleptic Gregorian) */
	int y = (int)v[0] - (v[1] <= 2);
	int era = y / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned mp = (v[1] + 9) % 12;
	unsigned doy = (153 * mp + 2) / 5 + v[2] - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	int64_t days = (int64_t)era * 146097 + (int64_t)doe - 719468;
	int64_t t = days * 86400 + v[3] * 3600 + v[4] * 60 + v[5];
	if (t < 0 || t > 0xffffffffLL) {
		return -1;
	}
	*out = (uint32_t)t;
	return 0;
}

/* A type mnemonic libzscanner knows (no TYPEnnn: that form goes to it). */
static int fast_type(const char *s, size_t n, uint16_t *out)
{
	/* the commonest mnemonics as zone files write them, without the table (the same values) */
	uint16_t v = 0;
	switch (n) {
	case 1:
		v = s[0] == 'A' ? SSR_RRTYPE_A : 0;
		break;
	case 2:
		v = s[1] != 'S' ? 0 : s[0] == 'N' ? SSR_RRTYPE_NS : s[0] == 'D' ? SSR_RRTYPE_DS : 0;
		break;
	case 4:
		v = memcmp(s, "NSEC", 4) == 0   ? SSR_RRTYPE_NSEC
		    : memcmp(s, "AAAA", 4) == 0 ? SSR_RRTYPE_AAAA
		                                : 0;
		break;
	case 5:
		v = memcmp(s, "RRSIG", 5) == 0   ? SSR_RRTYPE_RRSIG
		    : memcmp(s, "NSEC3", 5) == 0 ? SSR_RRTYPE_NSEC3
		                                 : 0;
		break;
	case 6:
		v = memcmp(s, "DNSKEY", 6) == 0 ? SSR_RRTYPE_DNSKEY : 0;
		break;
	default:
		break;
	}
	if (v != 0) {
		*out = v;
		return 0;
	}
	const zone_rrtype_t *t = zone_rrtype_by_name(s, n);
	if (t == NULL || (t->twin != NULL && t->twin[0] != '\0') ||
	    (n > 4 && lc((uint8_t)s[0]) == 't' && lc((uint8_t)s[1]) == 'y' &&
	     lc((uint8_t)s[2]) == 'p' && lc((uint8_t)s[3]) == 'e' && s[4] >= '0' && s[4] <= '9')) {
		return -1;
	}
	*out = t->value;
	return 0;
}

/* An NSEC3 type bitmap of tok[k..nt) appended to rd (RFC 4034 4.1.2 windows). */
static int fast_bitmap(const char *const *tok, const uint32_t *tl, size_t k, size_t nt, uint8_t *rd,
                       size_t *len, size_t cap)
{
	uint8_t win[256][32]; /* a window's bytes are cleared when it is first used */
	uint8_t used[256];    /* bytes of a window in use, valid where touched has its bit */
	uint64_t touched[4] = {0, 0, 0, 0};
	for (size_t j = k; j < nt; j++) {
		uint16_t t;
		if (fast_type(tok[j], tl[j], &t) != 0) {
			return -1;
		}
		unsigned w = t >> 8;
		uint8_t lo = (uint8_t)t;
		if (!(touched[w >> 6] >> (w & 63) & 1)) {
			touched[w >> 6] |= 1ULL << (w & 63);
			memset(win[w], 0, sizeof win[w]);
			used[w] = 0;
		}
		win[w][lo >> 3] |= (uint8_t)(0x80 >> (lo & 7));
		if ((unsigned)(lo >> 3) + 1 > used[w]) {
			used[w] = (uint8_t)((lo >> 3) + 1);
		}
	}
	size_t o = *len;
	for (unsigned q = 0; q < 4; q++) {
		for (uint64_t m = touched[q]; m != 0; m &= m - 1) {
			unsigned w = q * 64 + (unsigned)__builtin_ctzll(m);
			if (o + 2 + used[w] > cap) {
				return -1;
			}
			rd[o++] = (uint8_t)w;
			rd[o++] = used[w];
			memcpy(rd + o, win[w], used[w]);
			o += used[w];
		}
	}
	*len = o;
	return 0;
}

/* The salt of NSEC3 and NSEC3PARAM: '-' none, else hex; as a length byte and the bytes. */
static int fast_salt(const char *s, size_t n, uint8_t *rd, size_t *len)
{
	size_t o = *len;
	if (n == 1 && s[0] == '-') {
		rd[o++] = 0;
		*len = o;
		return 0;
	}
	if (n % 2 != 0 || n / 2 > 255) {
		return -1;
	}
	rd[o++] = (uint8_t)(n / 2);
	uint8_t ok = 0x10;
	for (size_t q = 0; q < n; q += 2) {
		uint8_t hi = hex_tab[(uint8_t)s[q]], lo = hex_tab[(uint8_t)s[q + 1]];
		ok &= hi & lo;
		rd[o++] = (uint8_t)(hi << 4 | (lo & 15));
	}
	*len = o;
	return ok ? 0 : -1;
}

/* Whether a name in rdata whose case libzscanner keeps (an RRSIG's signer, an NSEC's next owner)
 * can be read on the fast path, which lowercases: absolute and without capitals (such a name, or
 * a relative one, goes to libzscanner). */
static bool fast_kept_name(const char *s, size_t n)
{
	if (n < 1 || s[n - 1] != '.') {
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		if ((unsigned)((uint8_t)s[i] - 'A') < 26u) {
			return false;
		}
	}
	return true;
}

/* The rdata of an RRSIG, DNSKEY, NSEC, NSEC3 or NSEC3PARAM line (type ty, tokens from k); -1 when
 * the line goes to libzscanner.  Kept out of fast_line (noinline): the common lines' path stays
 * small enough to be inlined into the read loop. */
__attribute__((noinline)) static int fast_dnssec(reader_t *r, uint16_t ty, const char *const *tok,
                                                 const uint32_t *tl, size_t k, size_t nt,
                                                 uint8_t *rd, size_t *rdlen, size_t cap)
{
	uint32_t a, b, c;
	size_t o = 0;
	switch (ty) {
	case SSR_RRTYPE_RRSIG: {
		uint16_t cov;
		uint32_t ottl, exp, inc, tag;
		if (nt - k < 9 || fast_type(tok[k], tl[k], &cov) != 0 ||
		    fast_u32(tok[k + 1], tl[k + 1], 255, &a) != 0 ||
		    fast_u32(tok[k + 2], tl[k + 2], 255, &b) != 0 ||
		    fast_u32(tok[k + 3], tl[k + 3], 0xffffffffu, &ottl) != 0 ||
		    fast_time(tok[k + 4], tl[k + 4], &exp) != 0 ||
		    fast_time(tok[k + 5], tl[k + 5], &inc) != 0 ||
		    fast_u32(tok[k + 6], tl[k + 6], 65535, &tag) != 0 ||
		    !fast_kept_name(tok[k + 7], tl[k + 7])) {
			return -1;
		}
		const uint32_t v[] = {ottl, exp, inc};
		rd[o++] = (uint8_t)(cov >> 8);
		rd[o++] = (uint8_t)cov;
		rd[o++] = (uint8_t)a;
		rd[o++] = (uint8_t)b;
		for (int i = 0; i < 3; i++) {
			rd[o++] = (uint8_t)(v[i] >> 24);
			rd[o++] = (uint8_t)(v[i] >> 16);
			rd[o++] = (uint8_t)(v[i] >> 8);
			rd[o++] = (uint8_t)v[i];
		}
		rd[o++] = (uint8_t)(tag >> 8);
		rd[o++] = (uint8_t)tag;
		int l = name_token(tok[k + 7], tl[k + 7], r->origin_lc, r->origin_len, rd + o);
		if (l < 0) {
			return -1;
		}
		o += (size_t)l;
		*rdlen = o;
		return fast_b64(tok, tl, k + 8, nt, rd, rdlen, cap);
	}
	case SSR_RRTYPE_DNSKEY:
		if (nt - k < 4 || fast_u32(tok[k], tl[k], 65535, &a) != 0 ||
		    fast_u32(tok[k + 1], tl[k + 1], 255, &b) != 0 ||
		    fast_u32(tok[k + 2], tl[k + 2], 255, &c) != 0) {
			return -1;
		}
		rd[0] = (uint8_t)(a >> 8);
		rd[1] = (uint8_t)a;
		rd[2] = (uint8_t)b;
		rd[3] = (uint8_t)c;
		*rdlen = 4;
		return fast_b64(tok, tl, k + 3, nt, rd, rdlen, cap);
	case SSR_RRTYPE_NSEC: {
		/* the next owner (as fast_kept_name takes it) and at least one type */
		if (nt - k < 2 || !fast_kept_name(tok[k], tl[k])) {
			return -1;
		}
		int l = name_token(tok[k], tl[k], r->origin_lc, r->origin_len, rd);
		if (l < 0) {
			return -1;
		}
		o = (size_t)l;
		if (fast_bitmap(tok, tl, k + 1, nt, rd, &o, cap) != 0) {
			return -1;
		}
		*rdlen = o;
		return 0;
	}
	case SSR_RRTYPE_NSEC3:
	case SSR_RRTYPE_NSEC3PARAM: {
		uint32_t it;
		if (nt - k < (ty == SSR_RRTYPE_NSEC3 ? 5u : 4u) ||
		    (ty == SSR_RRTYPE_NSEC3PARAM && nt - k != 4) ||
		    fast_u32(tok[k], tl[k], 255, &a) != 0 ||
		    fast_u32(tok[k + 1], tl[k + 1], 255, &b) != 0 ||
		    fast_u32(tok[k + 2], tl[k + 2], 65535, &it) != 0) {
			return -1;
		}
		rd[o++] = (uint8_t)a;
		rd[o++] = (uint8_t)b;
		rd[o++] = (uint8_t)(it >> 8);
		rd[o++] = (uint8_t)it;
		if (fast_salt(tok[k + 3], tl[k + 3], rd, &o) != 0) {
			return -1;
		}
		if (ty == SSR_RRTYPE_NSEC3) {
			size_t hl;
			if (fast_b32hex(tok[k + 4], tl[k + 4], rd + o + 1, &hl) != 0) {
				return -1;
			}
			rd[o] = (uint8_t)hl;
			o += 1 + hl;
			if (fast_bitmap(tok, tl, k + 5, nt, rd, &o, cap) != 0) {
				return -1;
			}
		}
		*rdlen = o;
		return 0;
	}
	default:
		return -1;
	}
}

/* One line on the fast path, starting at p; the buffer holds a newline at or before the end of
 * this line (sentinel), so the tokenizer needs no bounds checks.  Handles the plain form of NS,
 * A, AAAA and DS and blank lines.  Returns the bytes consumed (through the newline), FAST_BAIL
 * when the line must go through the general splitter, or <0 when the callback stopped. */
static long fast_line(reader_t *r, zfile_t *f, const char *p)
{
	const char *tok[MAX_TOK];
	uint32_t tl[MAX_TOK];
	size_t nt = 0, i = 0;
	if (p[0] == '$') {
		return FAST_BAIL;
	}
	long len = r->classify != NULL ? simd_tokens(r, f, (size_t)(p - f->buf), tok, tl, &nt) : -2;
	if (len == -1) {
		return FAST_BAIL;
	}
	if (len >= 0) {
		i = (size_t)len;
		goto tokenized;
	}
	nt = 0;
	for (;;) {
		uint8_t c;
		while ((c = zone_token_class[(uint8_t)p[i]]) == ZONE_TK_SPACE) {
			i++;
		}
		if (c == ZONE_TK_NL) {
			break;
		}
		if (c == ZONE_TK_STOP || nt == MAX_TOK) {
			return FAST_BAIL;
		}
		size_t st = i;
		while (zone_token_class[(uint8_t)p[++i]] == ZONE_TK_WORD) {
		}
		tok[nt] = p + st;
		tl[nt++] = (uint32_t)(i - st);
	}
tokenized:;
	long used = (long)i + 1;
	f->line++;
	if (nt == 0) {
		return used; /* blank line */
	}
	uint64_t line = f->line;
	size_t k = 0;
	bool blank_owner = zone_token_class[(uint8_t)p[0]] == ZONE_TK_SPACE;
	if (!blank_owner) {
		/* Same owner token as the previous fast line: keep the wire form. */
		if (tl[0] != r->owner_text_len || !ssr_mem_equal(tok[0], r->owner_text, tl[0])) {
			uint8_t o[SSR_DNAME_MAXLEN + 1 + 80];
			int olen = name_token(tok[0], tl[0], r->origin_lc, r->origin_len, o);
			if (olen < 0) {
				f->line--;
				return FAST_BAIL;
			}
			memcpy(r->owner, o, (size_t)olen);
			r->owner_len = (size_t)olen;
			memcpy(r->owner_text, tok[0], tl[0]);
			r->owner_text_len = tl[0];
		}
		k = 1;
	} else if (r->owner_len == 0) {
		f->line--;
		return FAST_BAIL;
	}
	uint32_t ttl = r->default_ttl;
	bool have_ttl = false, have_class = false;
	for (int j = 0; j < 2 && k < nt; j++) {
		const char *w = tok[k];
		if (!have_class && tl[k] == 2 && lc((uint8_t)w[0]) == 'i' &&
		    lc((uint8_t)w[1]) == 'n') {
			have_class = true;
			k++;
		} else if (!have_ttl && w[0] >= '0' && w[0] <= '9') {
			if (fast_u32(w, tl[k], 0x7fffffffu, &ttl) != 0) {
				goto bail;
			}
			have_ttl = true;
			k++;
		}
	}
	if (k >= nt) {
		goto bail;
	}
	const char *ty = tok[k];
	size_t tyl = tl[k++];
	uint8_t rd[SSR_DNAME_MAXLEN + 64 + 80];
	const uint8_t *rdata = rd;
	size_t rdlen = 0;
	uint16_t type;
	uint8_t t0 = lc((uint8_t)ty[0]);
	if (tyl == 2 && t0 == 'n' && lc((uint8_t)ty[1]) == 's') {
		type = SSR_RRTYPE_NS;
		int l;
		if (nt - k != 1 ||
		    (l = name_token(tok[k], tl[k], r->origin_lc, r->origin_len, rd)) < 0) {
			goto bail;
		}
		rdlen = (size_t)l;
	} else if (tyl == 1 && t0 == 'a') {
		type = SSR_RRTYPE_A;
		if (nt - k != 1 || fast_ipv4(tok[k], tl[k], rd) != 0) {
			goto bail;
		}
		rdlen = 4;
	} else if (tyl == 4 && t0 == 'a' && lc((uint8_t)ty[1]) == 'a' &&
	           lc((uint8_t)ty[2]) == 'a' && lc((uint8_t)ty[3]) == 'a') {
		type = SSR_RRTYPE_AAAA;
		char tmp[48];
		if (nt - k != 1 || tl[k] >= sizeof(tmp)) {
			goto bail;
		}
		memcpy(tmp, tok[k], tl[k]);
		tmp[tl[k]] = '\0';
		if (inet_pton(AF_INET6, tmp, rd) != 1) {
			goto bail;
		}
		rdlen = 16;
	} else if (tyl == 2 && t0 == 'd' && lc((uint8_t)ty[1]) == 's') {
		type = SSR_RRTYPE_DS;
		uint32_t tag, alg, dt;
		if (nt - k < 4 || fast_u32(tok[k], tl[k], 65535, &tag) != 0 ||
		    fast_u32(tok[k + 1], tl[k + 1], 255, &alg) != 0 ||
		    fast_u32(tok[k + 2], tl[k + 2], 255, &dt) != 0) {
			goto bail;
		}
		rd[0] = (uint8_t)(tag >> 8);
		rd[1] = (uint8_t)tag;
		rd[2] = (uint8_t)alg;
		rd[3] = (uint8_t)dt;
		rdlen = 4;
		for (size_t j = k + 3; j < nt; j++) {
			if (tl[j] % 2 != 0 || rdlen + tl[j] / 2 > sizeof(rd)) {
				goto bail;
			}
			const uint8_t *hx = (const uint8_t *)tok[j];
			uint8_t ok = 0x10;
			for (size_t q = 0; q < tl[j]; q += 2) {
				uint8_t hi = hex_tab[hx[q]], lo = hex_tab[hx[q + 1]];
				ok &= hi & lo;
				rd[rdlen++] = (uint8_t)(hi << 4 | (lo & 15));
			}
			if (ok == 0) {
				goto bail;
			}
		}
	} else {
		/* the DNSSEC types of a signed zone (RRSIG on every DS and NSEC3 in .com) */
		uint16_t dt;
		if (fast_type(ty, tyl, &dt) != 0 ||
		    (dt != SSR_RRTYPE_RRSIG && dt != SSR_RRTYPE_DNSKEY && dt != SSR_RRTYPE_NSEC &&
		     dt != SSR_RRTYPE_NSEC3 && dt != SSR_RRTYPE_NSEC3PARAM) ||
		    fast_dnssec(r, dt, tok, tl, k, nt, r->drd, &rdlen, sizeof r->drd) != 0) {
			goto bail;
		}
		type = dt;
		rdata = r->drd;
	}
	r->st->fast_records++;
	if (emit_lower(r, r->owner, r->owner_len, type, SSR_CLASS_IN, ttl, rdata, rdlen, f->name,
	               line) != SSR_EOK) {
		return -1;
	}
	return used;
bail:
	f->line--;
	return FAST_BAIL;
}

/* ---- libzscanner fallback -------------------------------------------- */

static int zs_ready(reader_t *r)
{
	if (r->zs != NULL) {
		return SSR_EOK;
	}
	r->zs = malloc(sizeof(*r->zs));
	if (r->zs == NULL) {
		return ssr_diag_set(r->diag, SSR_ENOMEM, "zone: out of memory");
	}
	if (zs_init(r->zs, ".", SSR_CLASS_IN, r->default_ttl) != 0) {
		free(r->zs);
		r->zs = NULL;
		return ssr_diag_set(r->diag, SSR_ENOMEM, "zone: cannot start libzscanner");
	}
	return SSR_EOK;
}

/* Hand text (one or more complete lines) to libzscanner with the reader's state installed. */
static int zs_start(reader_t *r, zfile_t *f, const char *text, size_t len, uint64_t line)
{
	int rc = zs_ready(r);
	if (rc != SSR_EOK) {
		return rc;
	}
	zs_scanner_t *s = r->zs;
	if (s->state == ZS_STATE_ERROR) {
		/* the scanner would take the new text for the rest of the bad record: restart it */
		zs_deinit(s);
		if (zs_init(s, ".", SSR_CLASS_IN, r->default_ttl) != 0) {
			free(r->zs);
			r->zs = NULL;
			return ssr_diag_set(r->diag, SSR_ENOMEM, "zone: cannot start libzscanner");
		}
	}
	memcpy(s->zone_origin, r->origin, r->origin_len);
	s->zone_origin_length = (uint32_t)r->origin_len;
	s->default_ttl = r->default_ttl;
	memcpy(s->r_owner, r->owner, r->owner_len);
	s->r_owner_length = (uint32_t)r->owner_len;
	if (zs_set_input_string(s, text, len) != 0) {
		return ssr_diag_set(r->diag, SSR_EIO,
		                    "zone '%s' line %llu: libzscanner refused input", f->name,
		                    (unsigned long long)line);
	}
	s->line_counter = line;
	return SSR_EOK;
}

/* The next result of the scanner started by zs_start: its state (DATA, ERROR, EOF...). */
static int zs_next(reader_t *r, zfile_t *f, uint64_t line, int *state)
{
	zs_scanner_t *s = r->zs;
	if (zs_parse_record(s) != 0 && s->state != ZS_STATE_ERROR) {
		return ssr_diag_set(r->diag, SSR_EPARSE, "zone '%s' line %llu: libzscanner failed",
		                    f->name, (unsigned long long)line);
	}
	*state = s->state;
	return SSR_EOK;
}

/* The scanner's last owner becomes the reader's previous owner (length 0 after a bad owner:
 * a blank owner that follows is then refused, as libzscanner does). */
static void take_owner(reader_t *r)
{
	zs_scanner_t *s = r->zs;
	memcpy(r->owner, s->r_owner, s->r_owner_length);
	ssr_dname_lower(r->owner);
	r->owner_len = s->r_owner_length;
	r->owner_text_len = 0;
}

/* ---- types newer than libzscanner ------------------------------------------ */

/* Next token of a record's header from *i: blanks, line ends and parentheses separate (depth
 * tracks the parentheses), comments are skipped, escapes stay in the token. */
static bool hdr_token(const char *t, size_t n, size_t *i, const char **tok, size_t *tl, int *depth)
{
	size_t k = *i;
	for (;;) {
		while (k < n && strchr(" \t\r\n()", t[k]) != NULL) {
			*depth += t[k] == '(' ? 1 : t[k] == ')' ? -1 : 0;
			k++;
		}
		if (k < n && t[k] == ';') {
			while (k < n && t[k] != '\n') {
				k++;
			}
			continue;
		}
		break;
	}
	if (k >= n) {
		return false;
	}
	size_t st = k;
	while (k < n && strchr(" \t\r\n();", t[k]) == NULL) {
		k += (t[k] == '\\' && k + 1 < n) ? 2 : 1;
	}
	*tok = t + st;
	*tl = k - st;
	*i = k;
	return true;
}

static bool is_class_token(const char *s, size_t n)
{
	if (n == 2 && (strncasecmp(s, "IN", 2) == 0 || strncasecmp(s, "CH", 2) == 0 ||
	               strncasecmp(s, "HS", 2) == 0 || strncasecmp(s, "CS", 2) == 0)) {
		return true;
	}
	return n > 5 && strncasecmp(s, "CLASS", 5) == 0 && s[5] >= '0' && s[5] <= '9';
}

typedef struct {
	size_t type_off, type_len; /* the type token */
	size_t rest_off;           /* what follows it (rdata) */
	int depth;                 /* parentheses open at rest_off */
} hdr_t;

/* Find the type token of one record's text: [owner] [TTL] [class] [TTL] TYPE. */
static bool record_header(const char *t, size_t n, hdr_t *h)
{
	size_t i = 0;
	int depth = 0;
	const char *tok;
	size_t tl;
	if (n > 0 && t[0] != ' ' && t[0] != '\t' &&
	    !hdr_token(t, n, &i, &tok, &tl, &depth)) { /* the owner */
		return false;
	}
	for (int k = 0; k < 3; k++) {
		if (!hdr_token(t, n, &i, &tok, &tl, &depth)) {
			return false;
		}
		if ((tok[0] >= '0' && tok[0] <= '9') || is_class_token(tok, tl)) {
			continue;
		}
		h->type_off = (size_t)(tok - t);
		h->type_len = tl;
		h->rest_off = i;
		h->depth = depth;
		return true;
	}
	return false;
}

/* Does the installed libzscanner know the mnemonic?  Asked once per type. */
static int zs_knows(reader_t *r, zfile_t *f, const zone_rrtype_t *e, bool *known)
{
	uint16_t v = e->value;
	uint64_t bit = 1ull << (v & 63);
	if (r->zs_probed[v >> 6] & bit) {
		*known = (r->zs_known[v >> 6] & bit) != 0;
		return SSR_EOK;
	}
	char probe[64];
	int n = snprintf(probe, sizeof(probe), ". 0 IN %s \\# 0\n", e->name);
	int state = ZS_STATE_NONE, rc = zs_start(r, f, probe, (size_t)n, 1);
	if (rc == SSR_EOK) {
		rc = zs_next(r, f, 1, &state);
	}
	if (rc != SSR_EOK) {
		return rc;
	}
	r->zs_probed[v >> 6] |= bit;
	if (!(state == ZS_STATE_ERROR && r->zs->error.code == ZS_UNSUPPORTED_TYPE)) {
		r->zs_known[v >> 6] |= bit;
	}
	*known = (r->zs_known[v >> 6] & bit) != 0;
	return SSR_EOK;
}

/* Parse alt (one record) and leave its result in the scanner: *ok false on a scanner error. */
static int zs_one(reader_t *r, zfile_t *f, const char *alt, size_t n, uint64_t line, bool *ok)
{
	int state = ZS_STATE_NONE, rc = zs_start(r, f, alt, n, line);
	if (rc == SSR_EOK) {
		rc = zs_next(r, f, line, &state);
	}
	*ok = rc == SSR_EOK && state == ZS_STATE_DATA;
	return rc;
}

/* Copy text into r->alt with [a, b) replaced by repl, then tail (when tail is not NULL, it
 * replaces everything from b on). */
static int rewrite(reader_t *r, const char *text, size_t len, size_t a, size_t b, const char *repl,
                   const char *tail, size_t *out_len)
{
	if (r->alt == NULL && (r->alt = malloc(SSR_ZONE_MAX_RECORD_TEXT + 128)) == NULL) {
		return ssr_diag_set(r->diag, SSR_ENOMEM, "zone: out of memory");
	}
	size_t rl = strlen(repl), o = 0;
	size_t tl = tail != NULL ? strlen(tail) : len - b;
	if (a + rl + tl + 1 > SSR_ZONE_MAX_RECORD_TEXT + 128) {
		return ssr_diag_set(r->diag, SSR_ELIMIT, "zone: record too long");
	}
	memcpy(r->alt, text, a);
	o = a;
	memcpy(r->alt + o, repl, rl);
	o += rl;
	memcpy(r->alt + o, tail != NULL ? tail : text + b, tl);
	o += tl;
	if (o == 0 || r->alt[o - 1] != '\n') {
		r->alt[o++] = '\n';
	}
	*out_len = o;
	return SSR_EOK;
}

static void count_unvalidated(reader_t *r, uint16_t type)
{
	ssr_zone_read_stats_t *st = r->st;
	for (unsigned i = 0; i < st->n_unvalidated; i++) {
		if (st->unvalidated[i].type == type) {
			st->unvalidated[i].count++;
			return;
		}
	}
	if (st->n_unvalidated < SSR_ZONE_MAX_UNVALIDATED) {
		st->unvalidated[st->n_unvalidated].type = type;
		st->unvalidated[st->n_unvalidated++].count = 1;
	}
}

/* Labels as libzscanner takes them in names: letters, digits, * - _ /, \X and \DDD, dots. */
static bool name_chars_ok(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint8_t c = (uint8_t)s[i];
		if (c == '\\') {
			if (i + 1 >= n) {
				return false;
			}
			if (s[i + 1] >= '0' && s[i + 1] <= '9') {
				if (i + 3 >= n || !(s[i + 2] >= '0' && s[i + 2] <= '9') ||
				    !(s[i + 3] >= '0' && s[i + 3] <= '9')) {
					return false;
				}
				i += 3;
			} else {
				i++;
			}
			continue;
		}
		if (!name_tab[c] && c != '/' && c != '.') {
			return false;
		}
	}
	return true;
}

/* A name of a directive or an rdata field: libzscanner's characters, then RFC 1035 rules. */
static int text_name(const char *s, size_t n, const uint8_t *origin, uint8_t *out)
{
	if (!(n == 1 && s[0] == '@') && !name_chars_ok(s, n)) {
		return SSR_EPARSE;
	}
	return ssr_dname_from_text(s, n, origin, out, SSR_DNAME_MAXLEN + 1);
}

static bool all_digits(const char *s, size_t n, uint32_t max, uint32_t *out)
{
	return fast_u32(s, n, max, out) == 0;
}

/* DSYNC rdata in presentation form: RRtype scheme port target. */
static int dsync_rdata(reader_t *r, const char *t, size_t n, uint8_t *rd, size_t *rdlen,
                       const char **why)
{
	const char *tok[5];
	size_t tl[5], i = 0, k = 0;
	int depth = 0;
	while (k < 5 && hdr_token(t, n, &i, &tok[k], &tl[k], &depth)) {
		k++;
	}
	if (k != 4) {
		*why =
		    k < 4 ? "DSYNC needs type, scheme, port and target" : "DSYNC: unexpected item";
		return SSR_EPARSE;
	}
	uint16_t type;
	uint32_t scheme, port;
	if (ssr_rrtype_from_text(tok[0], tl[0], &type) != SSR_EOK) {
		*why = "DSYNC: bad type";
		return SSR_EPARSE;
	}
	if (tl[1] == 6 && strncasecmp(tok[1], "NOTIFY", 6) == 0) {
		scheme = 1;
	} else if (!all_digits(tok[1], tl[1], 255, &scheme)) {
		*why = "DSYNC: bad scheme";
		return SSR_EPARSE;
	}
	if (!all_digits(tok[2], tl[2], 65535, &port)) {
		*why = "DSYNC: bad port";
		return SSR_EPARSE;
	}
	int l = text_name(tok[3], tl[3], r->origin, rd + 5);
	if (l < 0) {
		*why = "DSYNC: bad target name";
		return SSR_EPARSE;
	}
	rd[0] = (uint8_t)(type >> 8);
	rd[1] = (uint8_t)type;
	rd[2] = (uint8_t)scheme;
	rd[3] = (uint8_t)(port >> 8);
	rd[4] = (uint8_t)port;
	*rdlen = 5 + (size_t)l;
	return SSR_EOK;
}

/* Only blanks, line ends, parentheses and comments left? */
static bool rest_empty(const char *t, size_t n)
{
	size_t i = 0;
	int depth = 0;
	const char *tok;
	size_t tl;
	return !hdr_token(t, n, &i, &tok, &tl, &depth);
}

/* A record libzscanner refused.  If its type is one of the IANA registry's that the installed
 * libzscanner predates, read it as its twin, with the DSYNC reader, or count it with its rdata
 * unvalidated; *handled then says the record was emitted or its error reported here. */
static int newer_type(reader_t *r, zfile_t *f, const char *text, size_t len, uint64_t line,
                      bool *handled)
{
	*handled = false;
	hdr_t h;
	if (!record_header(text, len, &h)) {
		return SSR_EOK;
	}
	const char *ty = text + h.type_off;
	const zone_rrtype_t *e = zone_rrtype_by_name(ty, h.type_len);
	uint16_t v;
	if (e == NULL && ssr_rrtype_from_text(ty, h.type_len, &v) == SSR_EOK) {
		e = zone_rrtype_by_value(v); /* TYPEnnn with the type's own presentation form */
	}
	bool known = true;
	int rc;
	if (e == NULL || e->use != SSR_RRTYPE_USE_DATA ||
	    (rc = zs_knows(r, f, e, &known)) != SSR_EOK || known) {
		return e == NULL || e->use != SSR_RRTYPE_USE_DATA || known ? SSR_EOK : rc;
	}
	*handled = true;
	const char *rest = text + h.rest_off;
	size_t rn = len - h.rest_off, i = 0;
	int depth = 0;
	const char *first = NULL;
	size_t fl = 0;
	bool generic = hdr_token(rest, rn, &i, &first, &fl, &depth) && fl == 2 &&
	               first[0] == '\\' && first[1] == '#';
	char repl[32], tail[64];
	size_t n;
	bool ok;
	bool dsync = strcmp(e->twin, "dsync") == 0;
	uint8_t rd[SSR_DNAME_MAXLEN + 8];
	size_t rdlen = 0;
	const char *why = NULL;
	if (generic || (e->twin[0] != '\0' && !dsync)) {
		/* RFC 3597 form through its number, or the twin's presentation form */
		if (generic) {
			snprintf(repl, sizeof(repl), "TYPE%u", e->value);
		} else {
			snprintf(repl, sizeof(repl), "%s", e->twin);
		}
		if ((rc = rewrite(r, text, len, h.type_off, h.type_off + h.type_len, repl, NULL,
		                  &n)) != SSR_EOK ||
		    (rc = zs_one(r, f, r->alt, n, line, &ok)) != SSR_EOK) {
			return rc;
		}
		if (!ok) {
			take_owner(r);
			return report_bad(r, f->name, line, zs_strerror(r->zs->error.code), text,
			                  len);
		}
		zs_scanner_t *s = r->zs;
		if (generic && dsync &&
		    (s->r_data_length < 6 ||
		     ssr_dname_len(s->r_data + 5, s->r_data_length - 5) != s->r_data_length - 5)) {
			take_owner(r);
			return report_bad(r, f->name, line, "bad DSYNC rdata", text, len);
		}
		take_owner(r);
		return emit(r, s->r_owner, s->r_owner_length, e->value, s->r_class, s->r_ttl,
		            s->r_data, s->r_data_length, f->name, line) == SSR_EOK
		           ? SSR_EOK
		           : r->stop;
	}
	/* the header through libzscanner (owner, TTL, class), the rdata here */
	snprintf(repl, sizeof(repl), "TYPE%u", e->value);
	int d = h.depth > 0 && h.depth < 8 ? h.depth : 0;
	snprintf(tail, sizeof(tail), " \\# 0%.*s\n", d, "))))))))");
	if ((rc = rewrite(r, text, len, h.type_off, h.type_off + h.type_len, repl, tail, &n)) !=
	        SSR_EOK ||
	    (rc = zs_one(r, f, r->alt, n, line, &ok)) != SSR_EOK) {
		return rc;
	}
	take_owner(r);
	if (!ok) {
		return report_bad(r, f->name, line, zs_strerror(r->zs->error.code), text, len);
	}
	if (rest_empty(rest, rn)) {
		return report_bad(r, f->name, line, "missing rdata", text, len);
	}
	if (dsync) {
		if (dsync_rdata(r, rest, rn, rd, &rdlen, &why) != SSR_EOK) {
			return report_bad(r, f->name, line, why, text, len);
		}
	} else {
		count_unvalidated(r, e->value);
	}
	zs_scanner_t *s = r->zs;
	return emit(r, s->r_owner, s->r_owner_length, e->value, s->r_class, s->r_ttl, rd, rdlen,
	            f->name, line) == SSR_EOK
	           ? SSR_EOK
	           : r->stop;
}

/* Parse text (one or more complete lines) with libzscanner from the reader's state. */
static int slow_text(reader_t *r, zfile_t *f, const char *text, size_t len, uint64_t line)
{
	int rc = zs_start(r, f, text, len, line);
	if (rc != SSR_EOK) {
		return rc;
	}
	zs_scanner_t *s = r->zs;
	for (;;) {
		int state = ZS_STATE_NONE;
		if ((rc = zs_next(r, f, line, &state)) != SSR_EOK) {
			return rc;
		}
		if (state == ZS_STATE_DATA) {
			take_owner(r);
			if (emit(r, s->r_owner, s->r_owner_length, s->r_type, s->r_class, s->r_ttl,
			         s->r_data, s->r_data_length, f->name, line) != SSR_EOK) {
				return r->stop;
			}
		} else if (state == ZS_STATE_ERROR) {
			uint64_t at = s->line_counter;
			int code = s->error.code;
			take_owner(r);
			bool handled = false;
			if ((rc = newer_type(r, f, text, len, line, &handled)) != SSR_EOK ||
			    handled) {
				return rc; /* text is one record: nothing follows it */
			}
			/* text is one record: nothing of it is left to read */
			return report_bad(r, f->name, at, zs_strerror(code), text, len);
		} else if (state == ZS_STATE_INCLUDE) {
			return report_bad(r, f->name, line, "unexpected $INCLUDE", text, len);
		} else {
			return SSR_EOK; /* EOF or STOP */
		}
	}
}

/* ---- directives -------------------------------------------------------- */

static int read_file(reader_t *r, const char *path, const char *display);

/* A token of a directive line: a quoted string (without its quotes) or a run of other
 * characters; escapes are kept. */
typedef struct {
	const char *p;
	size_t n;
	bool quoted;
} dtok_t;

/* Split a directive's arguments (comment already cut) into at most max tokens; *count is
 * max + 1 when there are more.  NULL: fine; otherwise why the line cannot be split. */
static const char *dir_tokens(const char *p, size_t n, dtok_t *w, size_t max, size_t *count)
{
	size_t k = 0, i = 0;
	*count = 0;
	while (i < n) {
		while (i < n && (p[i] == ' ' || p[i] == '\t')) {
			i++;
		}
		if (i == n) {
			break;
		}
		if (k == max) {
			*count = max + 1;
			return NULL;
		}
		if (p[i] == '(' || p[i] == ')') {
			return "parentheses in a directive";
		}
		size_t st = i;
		bool quoted = p[i] == '"';
		if (quoted) {
			st = ++i;
			while (i < n && p[i] != '"') {
				i += (p[i] == '\\' && i + 1 < n) ? 2 : 1;
			}
			if (i >= n) {
				return "unclosed quote";
			}
			w[k++] = (dtok_t){p + st, i - st, true};
			i++;
			if (i < n && p[i] != ' ' && p[i] != '\t') {
				return "text after a quoted string";
			}
			continue;
		}
		while (i < n && p[i] != ' ' && p[i] != '\t') {
			if (p[i] == '"' || p[i] == '(' || p[i] == ')') {
				return "unescaped special character";
			}
			i += (p[i] == '\\' && i + 1 < n) ? 2 : 1;
		}
		w[k++] = (dtok_t){p + st, i - st, false};
	}
	*count = k;
	return NULL;
}

/* A file name token without its escapes (\X is X, \DDD the byte DDD); false if bad. */
static bool unescape_path(const dtok_t *t, char *out, size_t cap)
{
	size_t o = 0;
	for (size_t i = 0; i < t->n; i++) {
		char c = t->p[i];
		if (c == '\\') {
			if (i + 1 >= t->n) {
				return false;
			}
			if (t->p[i + 1] >= '0' && t->p[i + 1] <= '9') {
				uint32_t v;
				if (i + 3 >= t->n || fast_u32(t->p + i + 1, 3, 255, &v) != 0 ||
				    v == 0) {
					return false;
				}
				c = (char)v;
				i += 3;
			} else {
				c = t->p[++i];
			}
		}
		if (c == '\0' || o + 1 >= cap) {
			return false;
		}
		out[o++] = c;
	}
	out[o] = '\0';
	return o > 0;
}

static int parse_ttl(const char *s, size_t n, uint32_t *out)
{
	/* Seconds, or BIND units: 1w2d3h4m5s (case-insensitive). */
	uint64_t total = 0, cur = 0;
	bool digits = false, unit = false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c >= '0' && c <= '9') {
			cur = cur * 10 + (uint64_t)(c - '0');
			if (cur > 0xffffffffULL) {
				return -1;
			}
			digits = true;
			continue;
		}
		uint64_t m;
		switch (lc((uint8_t)c)) {
		case 's':
			m = 1;
			break;
		case 'm':
			m = 60;
			break;
		case 'h':
			m = 3600;
			break;
		case 'd':
			m = 86400;
			break;
		case 'w':
			m = 604800;
			break;
		default:
			return -1;
		}
		if (!digits) {
			return -1;
		}
		total += cur * m;
		cur = 0;
		digits = false;
		unit = true;
	}
	if (digits) {
		total += cur;
	} else if (!unit) {
		return -1;
	}
	if (total > 0xffffffffULL) {
		return -1;
	}
	*out = (uint32_t)total;
	return 0;
}

/* The end of a run of records skipped after a bad $ORIGIN: say how many. */
static void skip_end(reader_t *r, zfile_t *f)
{
	if (f->skip_from != 0 && f->skip_count > 0 && r->opts->on_error != NULL) {
		char msg[400];
		snprintf(
		    msg, sizeof(msg),
		    "zone '%s' line %llu: %llu record%s after the bad $ORIGIN skipped (to line "
		    "%llu)",
		    f->name, (unsigned long long)f->skip_from, (unsigned long long)f->skip_count,
		    f->skip_count == 1 ? "" : "s", (unsigned long long)f->skip_last);
		r->opts->on_error(f->name, f->skip_from, msg, r->opts->error_ctx);
	}
	f->skip_from = f->skip_count = f->skip_last = 0;
}

/* A record (or an $INCLUDE) read while skipping after a bad $ORIGIN. */
static void skip_record(reader_t *r, zfile_t *f, uint64_t line)
{
	f->skip_count++;
	f->skip_last = line;
	r->st->skipped++;
	r->st->errors++;
}

/* A bad $ORIGIN: the names after it cannot be trusted.  Without keep_going the read stops;
 * with it, every record is skipped until the next valid $ORIGIN or the end of the file. */
static int bad_origin(reader_t *r, zfile_t *f, uint64_t line, const char *why, const char *p,
                      size_t n)
{
	if (!r->opts->keep_going) {
		return report_bad(r, f->name, line, why, p, n);
	}
	char reason[400];
	snprintf(reason, sizeof(reason),
	         "%s (the records after it are skipped up to the next valid $ORIGIN: their names "
	         "cannot be trusted)",
	         why);
	int rc = report_bad(r, f->name, line, reason, p, n);
	if (f->skip_from == 0) {
		f->skip_from = line;
	}
	r->owner_len = 0; /* the previous owner is gone with the origin */
	r->owner_text_len = 0;
	return rc;
}

static bool keyword(const char *p, size_t n, const char *kw, size_t *after)
{
	size_t l = strlen(kw);
	if (n < l || strncasecmp(p, kw, l) != 0 || (n > l && p[l] != ' ' && p[l] != '\t')) {
		return false;
	}
	*after = l;
	return true;
}

static int directive(reader_t *r, zfile_t *f, const char *p, size_t n, uint64_t line)
{
	dtok_t w[3];
	size_t k = 0, at;
	const char *why;
	char reason[300];
	if (keyword(p, n, "$ORIGIN", &at)) {
		why = dir_tokens(p + at, n - at, w, 1, &k);
		if (why != NULL || k != 1) {
			snprintf(reason, sizeof(reason), "bad $ORIGIN: %s",
			         why != NULL ? why
			         : k == 0    ? "no name"
			                     : "more than one name");
			return bad_origin(r, f, line, reason, p, n);
		}
		uint8_t o[SSR_DNAME_MAXLEN + 1];
		int l = w[0].quoted ? -1 : text_name(w[0].p, w[0].n, r->origin, o);
		if (l < 0) {
			return bad_origin(r, f, line, "bad $ORIGIN name", p, n);
		}
		skip_end(r, f);
		set_origin(r, o, (size_t)l);
		return SSR_EOK;
	}
	if (keyword(p, n, "$TTL", &at)) {
		uint32_t v;
		why = dir_tokens(p + at, n - at, w, 1, &k);
		if (why != NULL || k != 1 || w[0].quoted || parse_ttl(w[0].p, w[0].n, &v) != 0) {
			return report_bad(r, f->name, line, "bad $TTL", p, n);
		}
		r->default_ttl = v;
		return SSR_EOK;
	}
	if (keyword(p, n, "$INCLUDE", &at)) {
		if (f->skip_from != 0) {
			skip_record(r, f, line); /* its origin may be relative to the bad one */
			return SSR_EOK;
		}
		if (r->opts->no_include) {
			return report_bad(r, f->name, line, "$INCLUDE refused (--no-include)", p,
			                  n);
		}
		why = dir_tokens(p + at, n - at, w, 2, &k);
		if (why != NULL) {
			snprintf(reason, sizeof(reason), "bad $INCLUDE: %s", why);
			return report_bad(r, f->name, line, reason, p, n);
		}
		if (k < 1 || k > 2) {
			return report_bad(r, f->name, line,
			                  k < 1 ? "$INCLUDE needs a file name"
			                        : "$INCLUDE: more than a file name and an origin",
			                  p, n);
		}
		if (r->depth >= SSR_ZONE_MAX_INCLUDE_DEPTH) {
			return report_bad(r, f->name, line, "$INCLUDE nested too deep", p, n);
		}
		char name[2048], path[4096];
		if (!unescape_path(&w[0], name, sizeof(name))) {
			return report_bad(r, f->name, line, "bad $INCLUDE file name", p, n);
		}
		if (name[0] == '/' || f->dir == NULL) {
			snprintf(path, sizeof(path), "%s", name);
		} else {
			snprintf(path, sizeof(path), "%s/%s", f->dir, name);
		}
		uint8_t saved[SSR_DNAME_MAXLEN + 1];
		size_t saved_len = r->origin_len;
		memcpy(saved, r->origin, saved_len);
		if (k == 2) {
			uint8_t o[SSR_DNAME_MAXLEN + 1];
			int l = w[1].quoted ? -1 : text_name(w[1].p, w[1].n, r->origin, o);
			if (l < 0) {
				return report_bad(r, f->name, line, "bad $INCLUDE origin", p, n);
			}
			set_origin(r, o, (size_t)l);
		}
		r->depth++;
		int rc = read_file(r, path, path);
		r->depth--;
		set_origin(r, saved, saved_len);
		if (rc != SSR_EOK && r->opts->keep_going && rc != r->stop &&
		    (rc == SSR_ENOTFOUND || rc == SSR_EIO)) {
			return report_bad(r, f->name, line, r->diag->msg, p, n);
		}
		return rc;
	}
	size_t wl = 1;
	while (wl < n && p[wl] != ' ' && p[wl] != '\t') {
		wl++;
	}
	snprintf(reason, sizeof(reason), "unknown directive '%.*s'", (int)(wl > 64 ? 64 : wl), p);
	return report_bad(r, f->name, line, reason, p, n);
}

/* ---- line splitting ---------------------------------------------------- */

/* Read more input behind the unconsumed tail; set lim past the last complete line. */
static int refill(reader_t *r, zfile_t *f)
{
	f->bm_next = 0; /* the buffer changes */
	if (f->beg > 0) {
		memmove(f->buf, f->buf + f->beg, f->end - f->beg);
		f->end -= f->beg;
		f->beg = 0;
	}
	size_t got = 0;
	int rc = SSR_EOK;
	while (!f->eof && f->end < READ_BUF) {
		rc = ssr_input_read(f->in, f->buf + f->end, READ_BUF - f->end, &got, r->diag);
		if (rc != SSR_EOK) {
			return rc;
		}
		if (got == 0) {
			f->eof = true;
			break;
		}
		f->end += got;
		r->st->bytes += got;
		if (memchr(f->buf + f->end - got, '\n', got) != NULL) {
			break;
		}
	}
	if (f->top) {
		r->st->raw_bytes = ssr_input_raw_pos(f->in);
		if (r->opts->progress != NULL) {
			ssr_progress_update(r->opts->progress, r->st->raw_bytes);
		}
	}
	if (f->eof && f->end > 0 && f->buf[f->end - 1] != '\n') {
		f->buf[f->end++] = '\n'; /* the buffer has one spare byte for this */
	}
	const char *last = memrchr(f->buf, '\n', f->end);
	f->lim = last != NULL ? (size_t)(last - f->buf) + 1 : 0;
	if (f->lim == 0 && f->end >= SSR_ZONE_MAX_RECORD_TEXT) {
		return ssr_diag_set(r->diag, SSR_ELIMIT,
		                    "zone '%s' line %llu: line longer than %u bytes", f->name,
		                    (unsigned long long)f->line + 1, SSR_ZONE_MAX_RECORD_TEXT);
	}
	return SSR_EOK;
}

/* Make sure a complete line starts at beg; 0 at the end of input (or on error, in *rc). */
static int have_line(reader_t *r, zfile_t *f, int *rc)
{
	while (f->beg >= f->lim) {
		if (f->eof) {
			return 0;
		}
		if ((*rc = refill(r, f)) != SSR_EOK) {
			return 0;
		}
	}
	return 1;
}

/* Next physical line: [*p, *p + *n) without the newline or a trailing CR. 0 at the end. */
static int next_line(reader_t *r, zfile_t *f, const char **p, size_t *n, int *rc)
{
	if (!have_line(r, f, rc)) {
		return 0;
	}
	char *s = f->buf + f->beg;
	char *nl = memchr(s, '\n', f->lim - f->beg);
	size_t len = (size_t)(nl - s);
	f->beg += len + 1;
	f->line++;
	if (len > 0 && s[len - 1] == '\r') {
		len--;
	}
	*p = s;
	*n = len;
	return 1;
}

/* Scan a line for the splitter: paren depth change, open quote carried, first comment. */
typedef struct {
	int depth;
	bool quote;
	bool special; /* quotes, escapes or parentheses seen */
	size_t cut;   /* length without the comment */
} scan_t;

static void scan_line(const char *p, size_t n, scan_t *sc)
{
	sc->cut = n;
	for (size_t i = 0; i < n; i++) {
		uint8_t c = (uint8_t)p[i];
		if (split_tab[c] != 2) {
			continue;
		}
		if (c == '\\') {
			sc->special = true;
			i++;
			continue;
		}
		if (c == '"') {
			sc->special = true;
			sc->quote = !sc->quote;
			continue;
		}
		if (sc->quote) {
			continue;
		}
		if (c == ';') {
			sc->cut = i;
			return;
		}
		sc->special = true;
		sc->depth += (c == '(') ? 1 : -1;
	}
}

static int rec_append(reader_t *r, zfile_t *f, const char *p, size_t n, uint64_t line)
{
	if (r->rec_len + n + 1 > SSR_ZONE_MAX_RECORD_TEXT) {
		return ssr_diag_set(r->diag, SSR_ELIMIT,
		                    "zone '%s' line %llu: record longer than %u bytes", f->name,
		                    (unsigned long long)line, SSR_ZONE_MAX_RECORD_TEXT);
	}
	memcpy(r->rec + r->rec_len, p, n);
	r->rec_len += n;
	r->rec[r->rec_len++] = '\n';
	return SSR_EOK;
}

static int read_lines(reader_t *r, zfile_t *f)
{
	const char *p;
	size_t n;
	int rc = SSR_EOK;
	for (;;) {
		if (!have_line(r, f, &rc)) {
			break;
		}
		long used = f->skip_from == 0 ? fast_line(r, f, f->buf + f->beg) : FAST_BAIL;
		if (used > 0) {
			f->beg += (size_t)used;
			continue;
		}
		if (used < 0) {
			return r->stop;
		}
		if (!next_line(r, f, &p, &n, &rc)) {
			break;
		}
		uint64_t line = f->line;
		scan_t sc = {0};
		scan_line(p, n, &sc);
		size_t cut = sc.cut;
		while (cut > 0 && (p[cut - 1] == ' ' || p[cut - 1] == '\t')) {
			cut--;
		}
		if (cut == 0) {
			continue; /* blank or comment */
		}
		size_t lead = 0;
		while (lead < cut && (p[lead] == ' ' || p[lead] == '\t')) {
			lead++;
		}
		if (lead == cut) {
			continue;
		}
		if (p[0] == '$') {
			rc = directive(r, f, p, cut, line);
			if (rc != SSR_EOK) {
				return rc;
			}
			continue;
		}
		if (!sc.special) {
			r->rec_len = 0;
			if ((rc = rec_append(r, f, p, n, line)) != SSR_EOK) {
				return rc;
			}
		} else {
			/* Assemble a multi-line record until parentheses close. */
			r->rec_len = 0;
			if ((rc = rec_append(r, f, p, n, line)) != SSR_EOK) {
				return rc;
			}
			while (sc.depth > 0 || sc.quote) {
				const char *q;
				size_t qn;
				if (!next_line(r, f, &q, &qn, &rc)) {
					if (rc != SSR_EOK) {
						return rc;
					}
					break; /* libzscanner reports the unclosed record */
				}
				if (sc.quote) {
					/* a quoted string may not span lines: let the scanner say
					 * so */
					sc.quote = false;
				}
				scan_line(q, qn, &sc);
				if ((rc = rec_append(r, f, q, qn, f->line)) != SSR_EOK) {
					return rc;
				}
			}
		}
		if (f->skip_from != 0) {
			skip_record(r, f, line);
			continue;
		}
		rc = slow_text(r, f, r->rec, r->rec_len, line);
		if (rc != SSR_EOK) {
			return rc;
		}
	}
	if (rc == SSR_EOK) {
		skip_end(r, f);
	}
	return rc;
}

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (slash == NULL) {
		return strdup(".");
	}
	if (slash == path) {
		return strdup("/");
	}
	return strndup(path, (size_t)(slash - path));
}

static int read_file(reader_t *r, const char *path, const char *display)
{
	zfile_t f = {0};
	f.name = display;
	f.top = r->depth == 0;
	int rc = (f.top && r->opts->range_length > 0)
	             ? ssr_input_open_range(path, r->opts->range_offset, r->opts->range_length,
	                                    &f.in, r->diag)
	             : ssr_input_open(path, &f.in, r->diag);
	if (rc != SSR_EOK) {
		return ssr_diag_set(r->diag, rc, "zone '%s': %s", display,
		                    rc == SSR_ENOTFOUND ? "no such file" : r->diag->msg);
	}
	f.buf = calloc(1, BUF_ALLOC);
	f.dir = strcmp(path, "-") == 0 ? NULL : dir_of(path);
	if (f.buf == NULL) {
		rc = ssr_diag_set(r->diag, SSR_ENOMEM, "zone '%s': out of memory", display);
	} else {
		rc = read_lines(r, &f);
		if (f.top) {
			r->st->lines = f.line;
			r->st->raw_bytes = ssr_input_raw_pos(f.in);
		}
	}
	free(f.dir);
	free(f.buf);
	ssr_input_free(f.in);
	return rc;
}

/* ---- whole-file libzscanner engine ------------------------------------- */

typedef struct {
	reader_t *r;
	const char *name;
	int rc;
} zsw_t;

static void zsw_record(zs_scanner_t *s)
{
	zsw_t *w = s->process.data;
	if (emit(w->r, s->r_owner, s->r_owner_length, s->r_type, s->r_class, s->r_ttl, s->r_data,
	         s->r_data_length, w->name, s->line_counter) != SSR_EOK) {
		w->rc = w->r->stop;
		s->state = ZS_STATE_STOP;
	}
}

static void zsw_error(zs_scanner_t *s)
{
	zsw_t *w = s->process.data;
	/* libzscanner's position after an error is not the record's: no excerpt here */
	int rc = report_bad(w->r, w->name, s->line_counter, zs_strerror(s->error.code), NULL, 0);
	if (rc != SSR_EOK || s->error.fatal) {
		w->rc = rc != SSR_EOK ? rc : SSR_EPARSE;
		if (rc == SSR_EOK) {
			ssr_diag_set(w->r->diag, SSR_EPARSE, "zone '%s' line %llu: %s", w->name,
			             (unsigned long long)s->line_counter,
			             zs_strerror(s->error.code));
		}
		s->state = ZS_STATE_STOP;
	}
}

/* Decompress into an unlinked temporary file that libzscanner can map. */
static int spool(reader_t *r, const char *path, int *fd_out)
{
	ssr_input_t *in;
	int rc = ssr_input_open(path, &in, r->diag);
	if (rc != SSR_EOK) {
		return rc;
	}
	const char *tmpdir = getenv("TMPDIR");
	char tmpl[4096];
	snprintf(tmpl, sizeof(tmpl), "%s/ssrwatch-zone-XXXXXX", tmpdir ? tmpdir : "/tmp");
	int fd = mkstemp(tmpl);
	if (fd < 0) {
		ssr_input_free(in);
		return ssr_diag_set(r->diag, SSR_EIO, "zone '%s': cannot create temporary file",
		                    path);
	}
	unlink(tmpl);
	char *buf = malloc(READ_BUF);
	rc = buf ? SSR_EOK : ssr_diag_set(r->diag, SSR_ENOMEM, "zone: out of memory");
	while (rc == SSR_EOK) {
		size_t got;
		rc = ssr_input_read(in, buf, READ_BUF, &got, r->diag);
		if (rc != SSR_EOK || got == 0) {
			break;
		}
		if (write(fd, buf, got) != (ssize_t)got) {
			rc = ssr_diag_set(r->diag, SSR_EIO, "zone '%s': temporary file: %s", path,
			                  strerror(errno));
		}
		r->st->bytes += got;
	}
	r->st->raw_bytes = ssr_input_raw_pos(in);
	free(buf);
	ssr_input_free(in);
	if (rc != SSR_EOK) {
		close(fd);
		return rc;
	}
	*fd_out = fd;
	return SSR_EOK;
}

static int read_zscanner(reader_t *r, const char *path)
{
	int fd = -1;
	int rc = spool(r, path, &fd);
	if (rc != SSR_EOK) {
		return rc;
	}
	zs_scanner_t *s = malloc(sizeof(*s));
	char origin[SSR_DNAME_TEXTMAX + 1];
	int ol = ssr_dname_to_text(r->origin, origin, sizeof(origin) - 1, false);
	if (ol > 0 && strcmp(origin, ".") != 0) {
		origin[ol] = '.';
		origin[ol + 1] = '\0';
	}
	if (s == NULL || zs_init(s, origin, SSR_CLASS_IN, r->default_ttl) != 0) {
		free(s);
		close(fd);
		return ssr_diag_set(r->diag, SSR_ENOMEM, "zone: cannot start libzscanner");
	}
	char fdpath[64];
	snprintf(fdpath, sizeof(fdpath), "/dev/fd/%d", fd);
	zsw_t w = {.r = r, .name = path, .rc = SSR_EOK};
	zs_set_processing(s, zsw_record, zsw_error, &w);
	if (zs_set_input_file(s, fdpath) != 0) {
		rc =
		    ssr_diag_set(r->diag, SSR_EIO, "zone '%s': libzscanner cannot map input", path);
	} else {
		if (strcmp(path, "-") != 0) {
			char *d = dir_of(path);
			if (d != NULL) {
				free(s->path);
				s->path = d;
			}
		}
		zs_parse_all(s);
		rc = w.rc;
		if (rc == SSR_EOK && s->error.fatal) {
			rc = ssr_diag_set(r->diag, SSR_EPARSE, "zone '%s' line %llu: %s", path,
			                  (unsigned long long)s->line_counter,
			                  zs_strerror(s->error.code));
		}
	}
	r->st->lines = s->line_counter;
	zs_deinit(s);
	free(s);
	close(fd);
	return rc;
}

/* ---- entry point ------------------------------------------------------- */

int ssr_zone_read(const char *path, const ssr_zone_opts_t *opts, ssr_zone_rr_fn fn, void *ctx,
                  ssr_zone_read_stats_t *stats, ssr_diag_t *diag)
{
	static const ssr_zone_opts_t defaults;
	ssr_diag_t local;
	if (diag == NULL) {
		diag = &local;
	}
	ssr_diag_clear(diag);
	reader_t r = {0};
	r.opts = opts != NULL ? opts : &defaults;
	r.fn = fn;
	r.ctx = ctx;
	r.st = stats;
	r.diag = diag;
	memset(stats, 0, sizeof(*stats));
	r.default_ttl = r.opts->default_ttl ? r.opts->default_ttl : 3600;
	uint8_t origin[SSR_DNAME_MAXLEN + 1];
	int l = ssr_dname_from_text(r.opts->origin ? r.opts->origin : ".",
	                            r.opts->origin ? strlen(r.opts->origin) : 1, NULL, origin,
	                            sizeof(origin));
	if (l < 0) {
		return ssr_diag_set(diag, SSR_EINVAL, "zone '%s': bad origin '%s'", path,
		                    r.opts->origin);
	}
	set_origin(&r, origin, (size_t)l);
	if (r.opts->engine != SSR_ZONE_ENGINE_ZSCANNER && r.opts->simd != SSR_ZONE_SIMD_SCALAR &&
	    zone_classifier(r.opts->simd, &r.classify) != SSR_EOK) {
		return ssr_diag_set(
		    diag, SSR_EINVAL,
		    "zone '%s': the tokenizer kernel asked for is not available on this CPU", path);
	}
	int rc;
	if (r.opts->engine == SSR_ZONE_ENGINE_ZSCANNER) {
		rc = read_zscanner(&r, path);
	} else {
		r.rec = malloc(SSR_ZONE_MAX_RECORD_TEXT);
		if (r.rec == NULL) {
			return ssr_diag_set(diag, SSR_ENOMEM, "zone: out of memory");
		}
		rc = read_file(&r, path, strcmp(path, "-") == 0 ? "(stdin)" : path);
		memcpy(stats->end_origin, r.origin, r.origin_len);
		stats->end_origin_len = (uint16_t)r.origin_len;
		stats->end_ttl = r.default_ttl;
		free(r.rec);
		free(r.alt);
		if (r.zs != NULL) {
			zs_deinit(r.zs);
			free(r.zs);
		}
	}
	if (r.opts->progress != NULL) {
		ssr_progress_update(r.opts->progress, stats->raw_bytes);
	}
	if (rc != SSR_EOK && r.stop != SSR_EOK && rc == r.stop && diag->code == SSR_EOK) {
		ssr_diag_set(diag, rc, "zone '%s': stopped: %s", path, ssr_strerror(rc));
	}
	return rc;
}
