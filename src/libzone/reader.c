/* ssrwatch — streaming zone file reader.
 *
 * The AUTO engine splits the input into logical records itself (handling comments, quotes,
 * escapes and parentheses), parses the plain one-record-per-line form of NS, A, AAAA and DS
 * directly into wire form, and hands every other record to libzscanner with the reader's state
 * (origin, default TTL, last owner) installed.  Directives are handled here.  The ZSCANNER
 * engine lets libzscanner read the whole file and is the reference the tests compare with. */
#include <arpa/inet.h>
#include <errno.h>
#include <libzscanner/scanner.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ssrwatch/dname.h"
#include "ssrwatch/input.h"
#include "ssrwatch/zone.h"

#define READ_BUF (4u << 20)

typedef struct {
	const ssr_zone_opts_t *opts;
	ssr_zone_rr_fn fn;
	void *ctx;
	ssr_zone_read_stats_t *st;
	ssr_diag_t *diag;
	zs_scanner_t *zs; /* lazily created for the fallback */
	uint8_t origin[SSR_DNAME_MAXLEN + 1];
	size_t origin_len;
	uint32_t default_ttl;
	uint8_t owner[SSR_DNAME_MAXLEN + 1]; /* last owner, as written (case kept) */
	size_t owner_len;
	char *rec; /* assembly buffer for multi-line records */
	size_t rec_len;
	int depth;
	int stop; /* callback's non-OK return code */
} reader_t;

typedef struct {
	ssr_input_t *in;
	const char *name;
	char *dir; /* for relative $INCLUDE */
	char *buf;
	size_t beg, end;
	bool eof;
	uint64_t line; /* number of the next line */
	bool top;
} zfile_t;

/* ---- helpers ---------------------------------------------------------- */

static const uint8_t *class_tab(void)
{
	/* 1: name character for the fast path; 2: white space; 4: special for the splitter */
	static uint8_t t[256];
	static int init;
	if (!init) {
		for (int c = 'a'; c <= 'z'; c++) {
			t[c] = 1;
			t[c - 32] = 1;
		}
		for (int c = '0'; c <= '9'; c++) {
			t[c] = 1;
		}
		t['-'] = t['_'] = t['*'] = 1;
		t[' '] = t['\t'] = 2;
		t['('] = t[')'] = t['"'] = t['\\'] = t[';'] = 4;
		init = 1;
	}
	return t;
}

static inline uint8_t lc(uint8_t c)
{
	return (c >= 'A' && c <= 'Z') ? (uint8_t)(c + 32) : c;
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
	excerpt(text, len, ex, sizeof(ex));
	snprintf(msg, sizeof(msg), "zone '%s' line %llu: %s in '%s'", file,
		 (unsigned long long)line, reason, ex);
	if (r->opts->keep_going) {
		r->st->errors++;
		if (r->opts->on_error != NULL) {
			r->opts->on_error(file, line, msg, r->opts->error_ctx);
		}
		return SSR_EOK;
	}
	return ssr_diag_set(r->diag, SSR_EPARSE, "%s", msg);
}

static int emit(reader_t *r, const uint8_t *owner, size_t owner_len, uint16_t type,
		uint16_t rclass, uint32_t ttl, const uint8_t *rdata, size_t rdlen, const char *file,
		uint64_t line)
{
	uint8_t low[SSR_DNAME_MAXLEN + 1];
	memcpy(low, owner, owner_len);
	ssr_dname_lower(low);
	ssr_zone_rr_t rr = {
	    .owner = low,
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

/* ---- the fast path ---------------------------------------------------- */

/* Plain name ([A-Za-z0-9_*-] labels) to wire; relative names get the origin.  <0: not plain. */
static int fast_name(const char *s, size_t n, const uint8_t *origin, size_t olen, uint8_t *out)
{
	const uint8_t *t = class_tab();
	size_t o = 1, lpos = 0;
	unsigned l = 0;
	if (n == 0) {
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		uint8_t c = (uint8_t)s[i];
		if (c == '.') {
			if (l == 0) {
				return -1;
			}
			out[lpos] = (uint8_t)l;
			lpos = o++;
			l = 0;
			continue;
		}
		if (!(t[c] & 1) || l == 63 || o >= SSR_DNAME_MAXLEN) {
			return -1;
		}
		out[o++] = c;
		l++;
	}
	if (s[n - 1] == '.') {
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

static inline int hexval(uint8_t c)
{
	if (c >= '0' && c <= '9') {
		return c - '0';
	}
	c = lc(c);
	if (c >= 'a' && c <= 'f') {
		return c - 'a' + 10;
	}
	return -1;
}

#define MAX_TOK 16

/* Parse one plain line (no quotes, escapes, parentheses; comment already cut).
 * Returns 1 when emitted, 0 when the line must go to libzscanner, <0 on a callback stop. */
static int fast_line(reader_t *r, zfile_t *f, const char *p, size_t n, uint64_t line)
{
	const uint8_t *t = class_tab();
	const char *tok[MAX_TOK];
	size_t tl[MAX_TOK];
	size_t nt = 0, i = 0;
	bool blank_owner = (t[(uint8_t)p[0]] & 2) != 0;
	while (i < n) {
		while (i < n && (t[(uint8_t)p[i]] & 2)) {
			i++;
		}
		if (i == n) {
			break;
		}
		if (nt == MAX_TOK) {
			return 0;
		}
		size_t s = i;
		while (i < n && !(t[(uint8_t)p[i]] & 2)) {
			i++;
		}
		tok[nt] = p + s;
		tl[nt++] = i - s;
	}
	size_t k = 0;
	uint8_t owner[SSR_DNAME_MAXLEN + 1];
	int olen;
	if (blank_owner) {
		if (r->owner_len == 0) {
			return 0;
		}
		memcpy(owner, r->owner, r->owner_len);
		olen = (int)r->owner_len;
	} else {
		if (nt == 0) {
			return 0;
		}
		if (tl[0] == 1 && tok[0][0] == '@') {
			memcpy(owner, r->origin, r->origin_len);
			olen = (int)r->origin_len;
		} else {
			olen = fast_name(tok[0], tl[0], r->origin, r->origin_len, owner);
			if (olen < 0) {
				return 0;
			}
		}
		k = 1;
	}
	uint32_t ttl = r->default_ttl;
	bool have_ttl = false, have_class = false;
	for (int j = 0; j < 2 && k < nt; j++) {
		const char *w = tok[k];
		if (!have_class && tl[k] == 2 && lc((uint8_t)w[0]) == 'i' && lc((uint8_t)w[1]) == 'n') {
			have_class = true;
			k++;
		} else if (!have_ttl && w[0] >= '0' && w[0] <= '9') {
			if (fast_u32(w, tl[k], 0x7fffffffu, &ttl) != 0) {
				return 0;
			}
			have_ttl = true;
			k++;
		}
	}
	if (k >= nt) {
		return 0;
	}
	const char *ty = tok[k];
	size_t tyl = tl[k++];
	uint8_t rd[SSR_DNAME_MAXLEN + 64];
	size_t rdlen = 0;
	uint16_t type;
	if (tyl == 2 && lc((uint8_t)ty[0]) == 'n' && lc((uint8_t)ty[1]) == 's') {
		type = SSR_RRTYPE_NS;
		if (nt - k != 1) {
			return 0;
		}
		int l = fast_name(tok[k], tl[k], r->origin, r->origin_len, rd);
		if (l < 0) {
			if (tl[k] == 1 && tok[k][0] == '@') {
				memcpy(rd, r->origin, r->origin_len);
				l = (int)r->origin_len;
			} else {
				return 0;
			}
		}
		rdlen = (size_t)l;
	} else if (tyl == 1 && lc((uint8_t)ty[0]) == 'a') {
		type = SSR_RRTYPE_A;
		char tmp[20];
		if (nt - k != 1 || tl[k] >= sizeof(tmp)) {
			return 0;
		}
		memcpy(tmp, tok[k], tl[k]);
		tmp[tl[k]] = '\0';
		if (inet_pton(AF_INET, tmp, rd) != 1) {
			return 0;
		}
		rdlen = 4;
	} else if (tyl == 4 && lc((uint8_t)ty[0]) == 'a' && lc((uint8_t)ty[1]) == 'a' &&
		   lc((uint8_t)ty[2]) == 'a' && lc((uint8_t)ty[3]) == 'a') {
		type = SSR_RRTYPE_AAAA;
		char tmp[48];
		if (nt - k != 1 || tl[k] >= sizeof(tmp)) {
			return 0;
		}
		memcpy(tmp, tok[k], tl[k]);
		tmp[tl[k]] = '\0';
		if (inet_pton(AF_INET6, tmp, rd) != 1) {
			return 0;
		}
		rdlen = 16;
	} else if (tyl == 2 && lc((uint8_t)ty[0]) == 'd' && lc((uint8_t)ty[1]) == 's') {
		type = SSR_RRTYPE_DS;
		uint32_t tag, alg, dt;
		if (nt - k < 4 || fast_u32(tok[k], tl[k], 65535, &tag) != 0 ||
		    fast_u32(tok[k + 1], tl[k + 1], 255, &alg) != 0 ||
		    fast_u32(tok[k + 2], tl[k + 2], 255, &dt) != 0) {
			return 0;
		}
		rd[0] = (uint8_t)(tag >> 8);
		rd[1] = (uint8_t)tag;
		rd[2] = (uint8_t)alg;
		rd[3] = (uint8_t)dt;
		rdlen = 4;
		for (size_t j = k + 3; j < nt; j++) {
			if (tl[j] % 2 != 0 || rdlen + tl[j] / 2 > sizeof(rd)) {
				return 0;
			}
			for (size_t q = 0; q < tl[j]; q += 2) {
				int hi = hexval((uint8_t)tok[j][q]), lo = hexval((uint8_t)tok[j][q + 1]);
				if (hi < 0 || lo < 0) {
					return 0;
				}
				rd[rdlen++] = (uint8_t)(hi << 4 | lo);
			}
		}
	} else {
		return 0;
	}
	memcpy(r->owner, owner, (size_t)olen);
	r->owner_len = (size_t)olen;
	r->st->fast_records++;
	if (emit(r, owner, (size_t)olen, type, SSR_CLASS_IN, ttl, rd, rdlen, f->name, line) !=
	    SSR_EOK) {
		return -1;
	}
	return 1;
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

/* Parse text (one or more complete lines) with libzscanner from the reader's state. */
static int slow_text(reader_t *r, zfile_t *f, const char *text, size_t len, uint64_t line)
{
	int rc = zs_ready(r);
	if (rc != SSR_EOK) {
		return rc;
	}
	zs_scanner_t *s = r->zs;
	memcpy(s->zone_origin, r->origin, r->origin_len);
	s->zone_origin_length = (uint32_t)r->origin_len;
	s->default_ttl = r->default_ttl;
	memcpy(s->r_owner, r->owner, r->owner_len);
	s->r_owner_length = (uint32_t)r->owner_len;
	if (zs_set_input_string(s, text, len) != 0) {
		return ssr_diag_set(r->diag, SSR_EIO, "zone '%s' line %llu: libzscanner refused input",
				    f->name, (unsigned long long)line);
	}
	s->line_counter = line;
	for (;;) {
		if (zs_parse_record(s) != 0 && s->state != ZS_STATE_ERROR) {
			return ssr_diag_set(r->diag, SSR_EPARSE, "zone '%s' line %llu: libzscanner failed",
					    f->name, (unsigned long long)line);
		}
		if (s->state == ZS_STATE_DATA) {
			memcpy(r->owner, s->r_owner, s->r_owner_length);
			r->owner_len = s->r_owner_length;
			if (emit(r, s->r_owner, s->r_owner_length, s->r_type, s->r_class, s->r_ttl,
				 s->r_data, s->r_data_length, f->name, line) != SSR_EOK) {
				return r->stop;
			}
		} else if (s->state == ZS_STATE_ERROR) {
			rc = report_bad(r, f->name, s->line_counter, zs_strerror(s->error.code), text,
					len);
			if (rc != SSR_EOK) {
				return rc;
			}
			if (s->error.fatal) {
				return SSR_EOK;
			}
		} else if (s->state == ZS_STATE_INCLUDE) {
			return report_bad(r, f->name, line, "unexpected $INCLUDE", text, len);
		} else {
			return SSR_EOK; /* EOF or STOP */
		}
	}
}

/* ---- directives -------------------------------------------------------- */

static int read_file(reader_t *r, const char *path, const char *display);

/* Split a directive line into up to 3 plain tokens (comments cut). */
static size_t words(const char *p, size_t n, const char **w, size_t *wl, size_t max)
{
	size_t k = 0, i = 0;
	while (i < n && k < max) {
		while (i < n && (p[i] == ' ' || p[i] == '\t')) {
			i++;
		}
		if (i == n || p[i] == ';') {
			break;
		}
		size_t s = i;
		while (i < n && p[i] != ' ' && p[i] != '\t' && p[i] != ';') {
			i++;
		}
		w[k] = p + s;
		wl[k++] = i - s;
	}
	return k;
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
		case 's': m = 1; break;
		case 'm': m = 60; break;
		case 'h': m = 3600; break;
		case 'd': m = 86400; break;
		case 'w': m = 604800; break;
		default: return -1;
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

static int directive(reader_t *r, zfile_t *f, const char *p, size_t n, uint64_t line)
{
	const char *w[4];
	size_t wl[4];
	size_t k = words(p, n, w, wl, 4);
	char reason[300];
	if (k >= 1 && wl[0] == 7 && strncasecmp(w[0], "$ORIGIN", 7) == 0) {
		if (k != 2) {
			return report_bad(r, f->name, line, "$ORIGIN needs one name", p, n);
		}
		uint8_t o[SSR_DNAME_MAXLEN + 1];
		int l = ssr_dname_from_text(w[1], wl[1], r->origin, o, sizeof(o));
		if (l < 0) {
			return report_bad(r, f->name, line, "bad $ORIGIN name", p, n);
		}
		memcpy(r->origin, o, (size_t)l);
		r->origin_len = (size_t)l;
		return SSR_EOK;
	}
	if (k >= 1 && wl[0] == 4 && strncasecmp(w[0], "$TTL", 4) == 0) {
		uint32_t v;
		if (k != 2 || parse_ttl(w[1], wl[1], &v) != 0) {
			return report_bad(r, f->name, line, "bad $TTL", p, n);
		}
		r->default_ttl = v;
		return SSR_EOK;
	}
	if (k >= 1 && wl[0] == 8 && strncasecmp(w[0], "$INCLUDE", 8) == 0) {
		if (r->opts->no_include) {
			return report_bad(r, f->name, line, "$INCLUDE refused (--no-include)", p, n);
		}
		if (k < 2 || k > 3) {
			return report_bad(r, f->name, line, "$INCLUDE needs a file name", p, n);
		}
		if (r->depth >= SSR_ZONE_MAX_INCLUDE_DEPTH) {
			return report_bad(r, f->name, line, "$INCLUDE nested too deep", p, n);
		}
		char path[4096];
		if (w[1][0] == '/' || f->dir == NULL) {
			snprintf(path, sizeof(path), "%.*s", (int)wl[1], w[1]);
		} else {
			snprintf(path, sizeof(path), "%s/%.*s", f->dir, (int)wl[1], w[1]);
		}
		uint8_t saved[SSR_DNAME_MAXLEN + 1];
		size_t saved_len = r->origin_len;
		memcpy(saved, r->origin, saved_len);
		if (k == 3) {
			uint8_t o[SSR_DNAME_MAXLEN + 1];
			int l = ssr_dname_from_text(w[2], wl[2], r->origin, o, sizeof(o));
			if (l < 0) {
				return report_bad(r, f->name, line, "bad $INCLUDE origin", p, n);
			}
			memcpy(r->origin, o, (size_t)l);
			r->origin_len = (size_t)l;
		}
		r->depth++;
		int rc = read_file(r, path, path);
		r->depth--;
		memcpy(r->origin, saved, saved_len);
		r->origin_len = saved_len;
		if (rc != SSR_EOK && r->opts->keep_going && rc != r->stop &&
		    (rc == SSR_ENOTFOUND || rc == SSR_EIO)) {
			return report_bad(r, f->name, line, r->diag->msg, p, n);
		}
		return rc;
	}
	snprintf(reason, sizeof(reason), "unknown directive '%.*s'", (int)(k ? wl[0] : 1),
		 k ? w[0] : "$");
	return report_bad(r, f->name, line, reason, p, n);
}

/* ---- line splitting ---------------------------------------------------- */

static int refill(reader_t *r, zfile_t *f)
{
	if (f->beg > 0) {
		memmove(f->buf, f->buf + f->beg, f->end - f->beg);
		f->end -= f->beg;
		f->beg = 0;
	}
	size_t got = 0;
	int rc = ssr_input_read(f->in, f->buf + f->end, READ_BUF - f->end, &got, r->diag);
	if (rc != SSR_EOK) {
		return rc;
	}
	if (got == 0) {
		f->eof = true;
	}
	f->end += got;
	r->st->bytes += got;
	if (f->top) {
		r->st->raw_bytes = ssr_input_raw_pos(f->in);
		if (r->opts->progress != NULL) {
			ssr_progress_update(r->opts->progress, r->st->raw_bytes);
		}
	}
	return SSR_EOK;
}

/* Next physical line: [*p, *p + *n) without the newline or a trailing CR. 0 at the end. */
static int next_line(reader_t *r, zfile_t *f, const char **p, size_t *n, int *rc)
{
	for (;;) {
		char *s = f->buf + f->beg;
		char *nl = memchr(s, '\n', f->end - f->beg);
		if (nl != NULL || (f->eof && f->end > f->beg)) {
			size_t len = nl != NULL ? (size_t)(nl - s) : f->end - f->beg;
			f->beg += len + (nl != NULL);
			f->line++;
			if (len > 0 && s[len - 1] == '\r') {
				len--;
			}
			*p = s;
			*n = len;
			return 1;
		}
		if (f->eof) {
			return 0;
		}
		if (f->end - f->beg > SSR_ZONE_MAX_RECORD_TEXT) {
			*rc = ssr_diag_set(r->diag, SSR_ELIMIT,
					   "zone '%s' line %llu: line longer than %u bytes", f->name,
					   (unsigned long long)f->line + 1, SSR_ZONE_MAX_RECORD_TEXT);
			return 0;
		}
		*rc = refill(r, f);
		if (*rc != SSR_EOK) {
			return 0;
		}
	}
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
	const uint8_t *t = class_tab();
	sc->cut = n;
	for (size_t i = 0; i < n; i++) {
		uint8_t c = (uint8_t)p[i];
		if (!(t[c] & 4)) {
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
	while (next_line(r, f, &p, &n, &rc)) {
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
			if (sc.special) {
				rc = report_bad(r, f->name, line, "unsupported directive syntax", p, n);
			} else {
				rc = directive(r, f, p, cut, line);
			}
			if (rc != SSR_EOK) {
				return rc;
			}
			continue;
		}
		if (!sc.special) {
			int fr = fast_line(r, f, p, cut, line);
			if (fr < 0) {
				return r->stop;
			}
			if (fr == 1) {
				continue;
			}
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
					/* a quoted string may not span lines: let the scanner say so */
					sc.quote = false;
				}
				scan_line(q, qn, &sc);
				if ((rc = rec_append(r, f, q, qn, f->line)) != SSR_EOK) {
					return rc;
				}
			}
		}
		rc = slow_text(r, f, r->rec, r->rec_len, line);
		if (rc != SSR_EOK) {
			return rc;
		}
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
	int rc = ssr_input_open(path, &f.in, r->diag);
	if (rc != SSR_EOK) {
		return ssr_diag_set(r->diag, rc, "zone '%s': %s", display,
				    rc == SSR_ENOTFOUND ? "no such file" : r->diag->msg);
	}
	f.buf = malloc(READ_BUF);
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
	if (emit(w->r, s->r_owner, s->r_owner_length, s->r_type, s->r_class, s->r_ttl,
		 s->r_data, s->r_data_length, w->name, s->line_counter) != SSR_EOK) {
		w->rc = w->r->stop;
		s->state = ZS_STATE_STOP;
	}
}

static void zsw_error(zs_scanner_t *s)
{
	zsw_t *w = s->process.data;
	const char *a = s->input.current, *b = s->input.current;
	if (a > s->input.end) {
		a = b = s->input.end;
	}
	while (a > s->input.start && a[-1] != '\n') {
		a--;
	}
	while (b < s->input.end && *b != '\n') {
		b++;
	}
	int rc = report_bad(w->r, w->name, s->line_counter, zs_strerror(s->error.code), a,
			    (size_t)(b - a));
	if (rc != SSR_EOK || s->error.fatal) {
		w->rc = rc != SSR_EOK ? rc : SSR_EPARSE;
		if (rc == SSR_EOK) {
			ssr_diag_set(w->r->diag, SSR_EPARSE, "zone '%s' line %llu: %s", w->name,
				     (unsigned long long)s->line_counter, zs_strerror(s->error.code));
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
		rc = ssr_diag_set(r->diag, SSR_EIO, "zone '%s': libzscanner cannot map input", path);
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
	int l = ssr_dname_from_text(r.opts->origin ? r.opts->origin : ".",
				    r.opts->origin ? strlen(r.opts->origin) : 1, NULL, r.origin,
				    sizeof(r.origin));
	if (l < 0) {
		return ssr_diag_set(diag, SSR_EINVAL, "zone '%s': bad origin '%s'", path,
				    r.opts->origin);
	}
	r.origin_len = (size_t)l;
	int rc;
	if (r.opts->engine == SSR_ZONE_ENGINE_ZSCANNER) {
		rc = read_zscanner(&r, path);
	} else {
		r.rec = malloc(SSR_ZONE_MAX_RECORD_TEXT);
		if (r.rec == NULL) {
			return ssr_diag_set(diag, SSR_ENOMEM, "zone: out of memory");
		}
		rc = read_file(&r, path, strcmp(path, "-") == 0 ? "(stdin)" : path);
		free(r.rec);
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

void ssr_rrtype_name(uint16_t type, char *out, size_t cap)
{
	static const struct {
		uint16_t t;
		const char *n;
	} names[] = {
	    {1, "A"},         {2, "NS"},       {5, "CNAME"},   {6, "SOA"},      {12, "PTR"},
	    {13, "HINFO"},    {15, "MX"},      {16, "TXT"},    {17, "RP"},      {18, "AFSDB"},
	    {24, "SIG"},      {25, "KEY"},     {28, "AAAA"},   {29, "LOC"},     {33, "SRV"},
	    {35, "NAPTR"},    {36, "KX"},      {37, "CERT"},   {39, "DNAME"},   {42, "APL"},
	    {43, "DS"},       {44, "SSHFP"},   {45, "IPSECKEY"}, {46, "RRSIG"}, {47, "NSEC"},
	    {48, "DNSKEY"},   {49, "DHCID"},   {50, "NSEC3"},  {51, "NSEC3PARAM"}, {52, "TLSA"},
	    {53, "SMIMEA"},   {59, "CDS"},     {60, "CDNSKEY"}, {61, "OPENPGPKEY"}, {62, "CSYNC"},
	    {63, "ZONEMD"},   {64, "SVCB"},    {65, "HTTPS"},  {99, "SPF"},     {104, "NID"},
	    {105, "L32"},     {106, "L64"},    {107, "LP"},    {108, "EUI48"},  {109, "EUI64"},
	    {256, "URI"},     {257, "CAA"},
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (names[i].t == type) {
			snprintf(out, cap, "%s", names[i].n);
			return;
		}
	}
	snprintf(out, cap, "TYPE%u", type);
}
