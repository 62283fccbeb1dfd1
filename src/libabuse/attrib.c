/* ssrwatch — registrar attribution from registration data files; IANA registrar list; prices. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ssrwatch/abuse.h"
#include "ssrwatch/csv.h"
#include "ssrwatch/date.h"
#include "ssrwatch/hash.h"
#include "ssrwatch/lines.h"

#define MAX_LINE   4096
#define LOG_ERRORS 5

typedef struct {
	ssr_attrib_t base;
	char *path;
	const ssr_log_t *log;
	bool read;
	ssr_strmap_t dum; /* "zone\x01registrar" -> domains */
	uint64_t rows, bad;
} file_attrib_t;

/* Lowercase, no trailing dot; false when it is no plausible name. */
static bool norm_name(const char *s, size_t n, char *out, size_t cap)
{
	while (n > 0 && (s[n - 1] == '.' || s[n - 1] == ' ')) {
		n--;
	}
	while (n > 0 && *s == ' ') {
		s++;
		n--;
	}
	if (n == 0 || n >= cap || memchr(s, '.', n) == NULL) {
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c >= 'A' && c <= 'Z') {
			c = (char)(c - 'A' + 'a');
		}
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
		      c == '_')) {
			return false;
		}
		out[i] = c;
	}
	out[n] = '\0';
	return true;
}

static bool parse_u64(const char *s, size_t n, uint64_t *out)
{
	uint64_t v = 0;
	if (n == 0 || n > 18) {
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9') {
			return false;
		}
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	*out = v;
	return true;
}

/* A creation date: "YYYY-MM-DD" optionally followed by a time ("T..." or " ..."). */
static bool parse_created(const char *s, size_t n, int32_t *day)
{
	if (n > 10 && (s[10] == 'T' || s[10] == ' ')) {
		n = 10;
	}
	return ssr_date_parse(s, n, day) == SSR_EOK;
}

typedef struct {
	ssr_strmap_t want; /* domain -> index + 1 */
	ssr_registration_t *out;
} want_t;

static int file_scan(file_attrib_t *fa, want_t *w, ssr_diag_t *diag)
{
	static const char *const dom_cols[] = {"domain", "domain_name", "name", "fqdn", NULL};
	static const char *const reg_cols[] = {"registrar_id", "iana_id", "registrar_iana_id",
	                                       "registrar", NULL};
	static const char *const cre_cols[] = {"created", "creation_date", "created_date",
	                                       "registered", NULL};
	ssr_lines_t *lr;
	int rc = ssr_lines_open(fa->path, MAX_LINE, &lr, diag);
	if (rc != SSR_EOK) {
		return rc;
	}
	const char *p;
	size_t n;
	bool too_long;
	int dc = -1, rcol = -1, cc = -1;
	char delim = ',';
	bool header = false;
	char store[MAX_LINE + SSR_CSV_MAX_FIELDS + 1];
	const char *f[SSR_CSV_MAX_FIELDS];
	size_t fl[SSR_CSV_MAX_FIELDS];
	uint64_t good = 0;
	while ((rc = ssr_lines_next(lr, &p, &n, &too_long, diag)) == 1) {
		uint64_t line = ssr_lines_number(lr);
		if (!too_long && (n == 0 || p[0] == '#')) {
			continue;
		}
		const char *why = NULL;
		int nf = -1;
		if (too_long) {
			why = "line too long";
		} else {
			if (!header) {
				delim = ssr_csv_delimiter(p, n);
			}
			nf = ssr_csv_split(p, n, delim, store, sizeof(store), f, fl);
			if (nf < 0) {
				why = "malformed CSV";
			}
		}
		if (!header) {
			if (why == NULL) {
				dc = ssr_csv_column(dom_cols, f, fl, nf);
				rcol = ssr_csv_column(reg_cols, f, fl, nf);
				cc = ssr_csv_column(cre_cols, f, fl, nf);
			}
			if (dc < 0 || rcol < 0) {
				rc = ssr_diag_set(
				    diag, SSR_EPARSE,
				    "registrations '%s' line %" PRIu64
				    ": header must name a domain and a registrar_id column",
				    fa->path, line);
				break;
			}
			header = true;
			continue;
		}
		char name[256];
		uint64_t reg = 0;
		int32_t created = SSR_DAY_NONE;
		if (why == NULL && (dc >= nf || rcol >= nf)) {
			why = "missing columns";
		}
		if (why == NULL && !norm_name(f[dc], fl[dc], name, sizeof(name))) {
			why = "bad domain";
		}
		if (why == NULL && !parse_u64(f[rcol], fl[rcol], &reg)) {
			why = "bad registrar id";
		}
		if (why == NULL && cc >= 0 && cc < nf && fl[cc] > 0 &&
		    !parse_created(f[cc], fl[cc], &created)) {
			why = "bad creation date";
		}
		if (why != NULL) {
			if (++fa->bad <= LOG_ERRORS) {
				ssr_log(fa->log, SSR_LOG_WARNING, "attrib",
				        "registrations '%s' line %" PRIu64 ": %s", fa->path, line,
				        why);
			}
			continue;
		}
		good++;
		/* the zone the domain is delegated from: all but its first label */
		const char *zone = strchr(name, '.') + 1;
		char key[300];
		int kl = snprintf(key, sizeof(key), "%s\x01%" PRIu64, zone, reg);
		ssr_strmap_entry_t *e;
		bool ins;
		if ((rc = ssr_strmap_upsert(&fa->dum, key, (size_t)kl, &e, &ins)) != SSR_EOK) {
			ssr_diag_set(diag, rc, "registrations '%s': out of memory", fa->path);
			break;
		}
		e->value++;
		if (w != NULL) {
			ssr_strmap_entry_t *we = ssr_strmap_find(&w->want, name, strlen(name));
			if (we != NULL) {
				w->out[we->value - 1] = (ssr_registration_t){reg, created};
			}
		}
	}
	fa->rows = good;
	ssr_lines_free(lr);
	if (rc < 0) {
		return rc;
	}
	if (fa->bad > LOG_ERRORS) {
		ssr_log(fa->log, SSR_LOG_WARNING, "attrib",
		        "registrations '%s': %" PRIu64 " bad rows skipped in all", fa->path,
		        fa->bad);
	}
	if (good == 0) {
		return ssr_diag_set(diag, SSR_EPARSE, "registrations '%s': no valid row", fa->path);
	}
	fa->read = true;
	return SSR_EOK;
}

static int file_attribute(ssr_attrib_t *self, const char *const *domains, size_t n,
                          ssr_registration_t *out, ssr_diag_t *diag)
{
	file_attrib_t *fa = (file_attrib_t *)self;
	want_t w = {.out = out};
	int rc = ssr_strmap_init(&w.want, n * 2);
	if (rc != SSR_EOK) {
		return ssr_diag_set(diag, rc, "registrations: out of memory");
	}
	for (size_t i = 0; i < n && rc == SSR_EOK; i++) {
		out[i] = (ssr_registration_t){0, SSR_DAY_NONE};
		ssr_strmap_entry_t *e;
		bool ins;
		rc = ssr_strmap_upsert(&w.want, domains[i], strlen(domains[i]), &e, &ins);
		if (rc == SSR_EOK) {
			e->value = i + 1;
		}
	}
	if (rc == SSR_EOK) {
		/* the file is read once per ingest: the denominators come from the same pass */
		ssr_strmap_release(&fa->dum);
		rc = ssr_strmap_init(&fa->dum, 1024);
		if (rc == SSR_EOK) {
			rc = file_scan(fa, &w, diag);
		}
	} else {
		ssr_diag_set(diag, rc, "registrations: out of memory");
	}
	ssr_strmap_release(&w.want);
	return rc;
}

static int file_denominators(ssr_attrib_t *self, ssr_attrib_tld_fn tld_ok, void *tld_ctx,
                             ssr_attrib_dum_fn fn, void *ctx, ssr_diag_t *diag)
{
	file_attrib_t *fa = (file_attrib_t *)self;
	int rc;
	if (!fa->read && (rc = file_scan(fa, NULL, diag)) != SSR_EOK) {
		return rc;
	}
	size_t pos = 0;
	ssr_strmap_entry_t *e;
	while ((e = ssr_strmap_next(&fa->dum, &pos)) != NULL) {
		char key[300];
		memcpy(key, e->key, e->len);
		key[e->len] = '\0';
		char *sep = strchr(key, '\x01');
		*sep = '\0';
		if (tld_ok != NULL && !tld_ok(key, tld_ctx)) {
			continue;
		}
		if ((rc = fn(key, strtoull(sep + 1, NULL, 10), e->value, ctx)) != SSR_EOK) {
			return rc;
		}
	}
	return SSR_EOK;
}

static void file_free(ssr_attrib_t *self)
{
	file_attrib_t *fa = (file_attrib_t *)self;
	ssr_strmap_release(&fa->dum);
	free(fa->path);
	free(fa);
}

int ssr_attrib_file_new(const char *path, const ssr_log_t *log, ssr_attrib_t **out,
                        ssr_diag_t *diag)
{
	file_attrib_t *fa = calloc(1, sizeof(*fa));
	if (fa == NULL || (fa->path = strdup(path)) == NULL ||
	    ssr_strmap_init(&fa->dum, 1024) != SSR_EOK) {
		if (fa != NULL) {
			free(fa->path);
		}
		free(fa);
		return ssr_diag_set(diag, SSR_ENOMEM, "registrations '%s': out of memory", path);
	}
	fa->base = (ssr_attrib_t){"file", file_attribute, file_denominators, file_free};
	fa->log = log;
	*out = &fa->base;
	return SSR_EOK;
}

/* ---- small CSV files: registrar list, prices --------------------------------------- */

typedef struct {
	ssr_registrar_name_fn fn;
	void *ctx;
} reg_ctx_t;

static int registrar_row(const char *path, uint64_t line, const char *const *f, const size_t *fl,
                         int nf, const int *cols, void *ctx, ssr_diag_t *diag)
{
	reg_ctx_t *c = ctx;
	(void)nf;
	uint64_t id;
	if (!parse_u64(f[cols[0]], fl[cols[0]], &id)) {
		return ssr_diag_set(diag, SSR_EPARSE,
		                    "registrar list '%s' line %" PRIu64 ": bad id '%.*s'", path,
		                    line, (int)fl[cols[0]], f[cols[0]]);
	}
	if (fl[cols[1]] == 0) {
		return ssr_diag_set(diag, SSR_EPARSE,
		                    "registrar list '%s' line %" PRIu64 ": no name", path, line);
	}
	return c->fn(id, f[cols[1]], c->ctx);
}

int ssr_registrar_list_read(const char *path, ssr_registrar_name_fn fn, void *ctx, ssr_diag_t *diag)
{
	static const char *const id[] = {"id", "iana_id", "registrar_id", NULL};
	static const char *const name[] = {"registrar name", "name", "registrar_name", NULL};
	static const char *const *const names[] = {id, name};
	static const bool req[] = {true, true};
	reg_ctx_t c = {fn, ctx};
	return ssr_csv_read_table(path, "registrar list", names, req, 2, registrar_row, &c, diag);
}

typedef struct {
	ssr_price_fn fn;
	void *ctx;
} price_ctx_t;

static bool is_decimal(const char *s, size_t n)
{
	size_t digits = 0, dots = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] >= '0' && s[i] <= '9') {
			digits++;
		} else if (s[i] == '.' && dots == 0) {
			dots++;
		} else {
			return false;
		}
	}
	return digits > 0 && n <= 20;
}

static int price_row(const char *path, uint64_t line, const char *const *f, const size_t *fl,
                     int nf, const int *cols, void *ctx, ssr_diag_t *diag)
{
	price_ctx_t *c = ctx;
	(void)nf;
	/* cols: tld, registrar, price, currency, date */
	bool tld = cols[0] >= 0 && fl[cols[0]] > 0;
	int sc = tld ? cols[0] : cols[1];
	if (sc < 0 || fl[sc] == 0) {
		return ssr_diag_set(diag, SSR_EPARSE,
		                    "prices '%s' line %" PRIu64 ": neither tld nor registrar given",
		                    path, line);
	}
	char subject[128];
	uint64_t id;
	if (tld) {
		size_t n = fl[sc];
		while (n > 0 && f[sc][n - 1] == '.') {
			n--;
		}
		bool ok = n > 0 && n < sizeof(subject);
		for (size_t i = 0; ok && i < n; i++) {
			char ch = f[sc][i];
			ch = (ch >= 'A' && ch <= 'Z') ? (char)(ch - 'A' + 'a') : ch;
			ok = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' ||
			     ch == '.';
			subject[i] = ch;
		}
		if (!ok) {
			return ssr_diag_set(diag, SSR_EPARSE,
			                    "prices '%s' line %" PRIu64 ": bad tld '%.*s'", path,
			                    line, (int)fl[sc], f[sc]);
		}
		subject[n] = '\0';
	} else {
		if (!parse_u64(f[sc], fl[sc], &id)) {
			return ssr_diag_set(diag, SSR_EPARSE,
			                    "prices '%s' line %" PRIu64
			                    ": registrar must be an IANA id, not '%.*s'",
			                    path, line, (int)fl[sc], f[sc]);
		}
		snprintf(subject, sizeof(subject), "%" PRIu64, id);
	}
	const char *price = f[cols[2]], *cur = f[cols[3]], *date = f[cols[4]];
	int32_t day;
	if (!is_decimal(price, fl[cols[2]])) {
		return ssr_diag_set(diag, SSR_EPARSE,
		                    "prices '%s' line %" PRIu64 ": bad price '%s'", path, line,
		                    price);
	}
	if (fl[cols[3]] != 3) {
		return ssr_diag_set(diag, SSR_EPARSE,
		                    "prices '%s' line %" PRIu64
		                    ": bad currency '%s' (ISO 4217 code)",
		                    path, line, cur);
	}
	if (ssr_date_parse(date, fl[cols[4]], &day) != SSR_EOK) {
		return ssr_diag_set(diag, SSR_EPARSE, "prices '%s' line %" PRIu64 ": bad date '%s'",
		                    path, line, date);
	}
	char curu[4] = {0};
	for (int i = 0; i < 3; i++) {
		char ch = cur[i];
		curu[i] = (ch >= 'a' && ch <= 'z') ? (char)(ch - 'a' + 'A') : ch;
	}
	return c->fn(tld ? "tld" : "registrar", subject, date, price, curu, c->ctx);
}

int ssr_price_file_read(const char *path, ssr_price_fn fn, void *ctx, ssr_diag_t *diag)
{
	static const char *const tld[] = {"tld", NULL};
	static const char *const reg[] = {"registrar", "registrar_id", "iana_id", NULL};
	static const char *const price[] = {"price", NULL};
	static const char *const cur[] = {"currency", NULL};
	static const char *const date[] = {"date", "price_date", NULL};
	static const char *const *const names[] = {tld, reg, price, cur, date};
	static const bool req[] = {false, false, true, true, true};
	price_ctx_t c = {fn, ctx};
	return ssr_csv_read_table(path, "prices", names, req, 5, price_row, &c, diag);
}
