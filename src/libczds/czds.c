/* libczds: the daily run against the CZDS API (czds.h) and the availability over stored days. */
#include <errno.h>
#include <jansson.h>
#include <libknot/libknot.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "czds_priv.h"
#include "ssrwatch/date.h"
#include "ssrwatch/probe.h"
#include "ssrwatch/zone.h"
#include "ssrwatch/zonemem.h"

#define MAX_TLDS  5000
#define MAX_PAGES 1000

typedef struct {
	char tld[64];
	char status[16];
	char expires[24];
	char id[80];
	char url[700];
	bool request, link;
} zone_t;

typedef struct {
	const ssr_czds_opts_t *o;
	ssr_diag_t *diag;
	char token[4096];
	zone_t *z;
	size_t n, cap;
	char day[11];
	int64_t now;
} run_t;

static void logf_(const run_t *r, ssr_log_level_t lv, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void logf_(const run_t *r, ssr_log_level_t lv, const char *fmt, ...)
{
	if (r->o->log == NULL) {
		return;
	}
	char m[600];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(m, sizeof m, fmt, ap);
	va_end(ap);
	r->o->log(r->o->log_ctx, lv, "czds", m);
}

static zone_t *zone_get(run_t *r, const char *tld)
{
	for (size_t i = 0; i < r->n; i++) {
		if (strcmp(r->z[i].tld, tld) == 0) {
			return &r->z[i];
		}
	}
	if (r->n == MAX_TLDS || strlen(tld) >= sizeof r->z[0].tld || tld[0] == '\0' ||
	    ssr_grow((void **)&r->z, &r->cap, r->n + 1, sizeof(*r->z)) != SSR_EOK) {
		return NULL;
	}
	zone_t *z = &r->z[r->n++];
	memset(z, 0, sizeof(*z));
	for (size_t i = 0; tld[i]; i++) {
		z->tld[i] = (char)(tld[i] >= 'A' && tld[i] <= 'Z' ? tld[i] + 32 : tld[i]);
	}
	snprintf(z->status, sizeof z->status, "none");
	return z;
}

/* An API answer as JSON of the documented kind; its body quoted in the error otherwise. */
static int api_json(const run_t *r, const char *what, const czds_http_t *h, json_type want,
                    json_t **out)
{
	*out = NULL;
	if (h->status == 0) {
		return ssr_diag_set(r->diag, SSR_EIO, "czds: %s: %s", what, h->err);
	}
	if (h->status != 200) {
		return ssr_diag_set(r->diag, SSR_EIO, "czds: %s: HTTP %ld: %.200s", what, h->status,
		                    h->body ? h->body : "");
	}
	json_error_t je;
	json_t *j = h->body ? json_loads(h->body, 0, &je) : NULL;
	if (j == NULL || json_typeof(j) != want) {
		json_decref(j);
		return ssr_diag_set(
		    r->diag, SSR_EPARSE, "czds: %s: the answer is not a JSON %s: '%.120s'", what,
		    want == JSON_ARRAY ? "array" : "object", h->body ? h->body : "");
	}
	*out = j;
	return SSR_EOK;
}

static int authenticate(run_t *r)
{
	json_t *cred = json_pack("{s:s,s:s}", "username", r->o->username ? r->o->username : "",
	                         "password", r->o->password ? r->o->password : "");
	char *body = cred ? json_dumps(cred, JSON_COMPACT) : NULL;
	json_decref(cred);
	if (body == NULL) {
		return ssr_diag_set(r->diag, SSR_ENOMEM, "czds: out of memory");
	}
	char url[1024];
	snprintf(url, sizeof url, "%s/api/authenticate", r->o->auth_url);
	czds_http_t h;
	int rc = czds_http(r->o, "POST", url, NULL, body, NULL, 0, r->o->timeout_s, &h, r->diag);
	free(body);
	json_t *j = NULL;
	if (rc == SSR_EOK) {
		rc = api_json(r, "authenticate", &h, JSON_OBJECT, &j);
	}
	const char *tok = j ? json_string_value(json_object_get(j, "accessToken")) : NULL;
	if (rc == SSR_EOK && (tok == NULL || strlen(tok) >= sizeof r->token || tok[0] == '\0')) {
		rc = ssr_diag_set(r->diag, SSR_EPARSE,
		                  "czds: authenticate: no 'accessToken' string in the answer");
	}
	if (rc == SSR_EOK && tok != NULL) {
		memcpy(r->token, tok, strlen(tok) + 1);
	}
	json_decref(j);
	czds_http_release(&h);
	return rc;
}

/* Every access request of the account (paged). */
/* One page of the request list (j, an object) into r's zones; *total as announced. */
static int requests_page(run_t *r, json_t *j, long seen, long *total, size_t *count)
{
	json_t *reqs = json_object_get(j, "requests");
	json_t *tot = json_object_get(j, "totalRequests");
	if (!json_is_array(reqs) || !json_is_integer(tot)) {
		return ssr_diag_set(
		    r->diag, SSR_EPARSE,
		    "czds: requests/all: no 'requests' array or 'totalRequests' number");
	}
	*total = (long)json_integer_value(tot);
	*count = json_array_size(reqs);
	size_t k;
	json_t *q;
	json_array_foreach(reqs, k, q)
	{
		const char *tld = json_string_value(json_object_get(q, "tld"));
		const char *st = json_string_value(json_object_get(q, "status"));
		json_t *ex = json_object_get(q, "expired"), *id = json_object_get(q, "requestId");
		if (tld == NULL || st == NULL || (ex && !json_is_null(ex) && !json_is_string(ex)) ||
		    !json_is_string(id)) {
			return ssr_diag_set(
			    r->diag, SSR_EPARSE,
			    "czds: requests/all: request %ld lacks 'tld', 'status' or "
			    "'requestId' strings",
			    seen + (long)k + 1);
		}
		zone_t *z = zone_get(r, tld);
		if (z == NULL) {
			return ssr_diag_set(r->diag, SSR_ELIMIT,
			                    "czds: bad or too many TLDs ('%.60s')", tld);
		}
		z->request = true;
		snprintf(z->status, sizeof z->status, "%s", st);
		for (char *p = z->status; *p; p++) {
			*p = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
		}
		const char *exs = ex ? json_string_value(ex) : NULL;
		snprintf(z->expires, sizeof z->expires, "%s", exs ? exs : "");
		snprintf(z->id, sizeof z->id, "%s", json_string_value(id));
	}
	return SSR_EOK;
}

static int requests(run_t *r)
{
	char url[1024];
	snprintf(url, sizeof url, "%s/czds/requests/all", r->o->czds_url);
	long total = -1, seen = 0;
	int rc = SSR_EOK;
	for (int page = 0; rc == SSR_EOK && page < MAX_PAGES && (total < 0 || seen < total);
	     page++) {
		char body[256];
		snprintf(
		    body, sizeof body,
		    "{\"status\":\"\",\"filter\":\"\",\"pagination\":{\"size\":100,\"page\":%d},"
		    "\"sort\":{\"field\":\"tld\",\"direction\":\"asc\"}}",
		    page);
		czds_http_t h;
		json_t *j = NULL;
		size_t count = 0;
		rc = czds_http(r->o, "POST", url, r->token, body, NULL, 0, r->o->timeout_s, &h,
		               r->diag);
		if (rc == SSR_EOK) {
			rc = api_json(r, "requests/all", &h, JSON_OBJECT, &j);
		}
		czds_http_release(&h);
		if (rc == SSR_EOK) {
			rc = requests_page(r, j, seen, &total, &count);
		}
		json_decref(j);
		seen += (long)count;
		if (rc == SSR_EOK && count == 0) {
			break; /* fewer than announced: the list is what there is */
		}
	}
	return rc;
}

/* The link list (j, an array) into r's zones. */
static int links_parse(run_t *r, json_t *j)
{
	size_t i;
	json_t *v;
	json_array_foreach(j, i, v)
	{
		const char *u = json_string_value(v);
		const char *slash = u ? strrchr(u, '/') : NULL;
		const char *dot = slash ? strstr(slash, ".zone") : NULL;
		char tld[64];
		if (dot == NULL || dot[5] != '\0' || dot - slash - 1 <= 0 ||
		    (size_t)(dot - slash - 1) >= sizeof tld || strlen(u) >= sizeof r->z[0].url) {
			return ssr_diag_set(r->diag, SSR_EPARSE,
			                    "czds: downloads/links: link %zu is not '.../TLD.zone'",
			                    i + 1);
		}
		memcpy(tld, slash + 1, (size_t)(dot - slash - 1));
		tld[dot - slash - 1] = '\0';
		zone_t *z = zone_get(r, tld);
		if (z == NULL) {
			return ssr_diag_set(r->diag, SSR_ELIMIT,
			                    "czds: bad or too many TLDs ('%.60s')", tld);
		}
		z->link = true;
		snprintf(z->url, sizeof z->url, "%s", u);
		if (!z->request) {
			snprintf(z->status, sizeof z->status, "approved");
		}
	}
	return SSR_EOK;
}

static int links(run_t *r)
{
	char url[1024];
	snprintf(url, sizeof url, "%s/czds/downloads/links", r->o->czds_url);
	czds_http_t h;
	json_t *j = NULL;
	int rc = czds_http(r->o, "GET", url, r->token, NULL, NULL, 0, r->o->timeout_s, &h, r->diag);
	if (rc == SSR_EOK) {
		rc = api_json(r, "downloads/links", &h, JSON_ARRAY, &j);
	}
	czds_http_release(&h);
	if (rc == SSR_EOK) {
		rc = links_parse(r, j);
	}
	json_decref(j);
	return rc;
}

int czds_parse_answer(int which, const char *body, size_t len, ssr_diag_t *diag)
{
	ssr_czds_opts_t o = {0};
	run_t r = {.o = &o, .diag = diag};
	czds_http_t h = {.status = 200, .body = malloc(len + 1), .len = len};
	if (h.body == NULL) {
		return SSR_ENOMEM;
	}
	memcpy(h.body, body, len);
	h.body[len] = '\0';
	json_t *j = NULL;
	long total;
	size_t count;
	int rc = api_json(&r, "fuzz", &h, which == 2 ? JSON_ARRAY : JSON_OBJECT, &j);
	if (rc == SSR_EOK) {
		rc = which == 1   ? requests_page(&r, j, 0, &total, &count)
		     : which == 2 ? links_parse(&r, j)
		                  : SSR_EOK;
	}
	json_decref(j);
	czds_http_release(&h);
	free(r.z);
	return rc;
}

static void set_error(ssr_czds_day_t *d, long status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void set_error(ssr_czds_day_t *d, long status, const char *fmt, ...)
{
	if (d->row.error[0] != '\0') {
		return; /* the first error stands */
	}
	d->row.http_status = (int)status;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(d->row.error, sizeof d->row.error, fmt, ap);
	va_end(ap);
}

/* The reason a refusing API gives (its JSON "message", or the body's start). */
static void reason(const czds_http_t *h, char *out, size_t cap)
{
	json_error_t je;
	json_t *j = h->body ? json_loads(h->body, 0, &je) : NULL;
	const char *m = j ? json_string_value(json_object_get(j, "message")) : NULL;
	snprintf(out, cap, "%.200s", m ? m : h->body ? h->body : "");
	for (char *p = out; *p; p++) {
		if (*p == '\n' || *p == '\r') {
			*p = ' ';
		}
	}
	json_decref(j);
}

static int post_simple(run_t *r, const char *url, const char *body, czds_http_t *h)
{
	return czds_http(r->o, "POST", url, r->token, body, NULL, 0, r->o->timeout_s, h, r->diag);
}

static int access_check(run_t *r, zone_t *z, ssr_czds_day_t *d)
{
	unsigned warn = r->o->warn_days ? r->o->warn_days : 30;
	int64_t ex;
	d->days_left = -1;
	if (z->expires[0] && ssr_time_parse(z->expires, &ex) == SSR_EOK) {
		d->days_left = (int)((ex - r->now) / 86400);
	}
	char url[1024], why[256];
	czds_http_t h;
	int rc = SSR_EOK;
	if (strcmp(z->status, "approved") == 0 && d->days_left >= 0 &&
	    (unsigned)d->days_left <= warn) {
		d->warned = true;
		logf_(r, SSR_LOG_WARNING, "access to '%s' expires in %d days (%s)", z->tld,
		      d->days_left, z->expires);
		if (r->o->extend && z->id[0]) {
			snprintf(url, sizeof url, "%s/czds/requests/extension/%s", r->o->czds_url,
			         z->id);
			rc = post_simple(r, url, "", &h);
			if (rc == SSR_EOK && h.status == 200) {
				d->extend_requested = true;
			} else if (rc == SSR_EOK && h.status == 0) {
				set_error(d, 0, "extension: %s", h.err);
			} else if (rc == SSR_EOK) {
				reason(&h, why, sizeof why);
				set_error(d, h.status, "extension: HTTP %ld: %s", h.status, why);
			}
			czds_http_release(&h);
		}
	}
	if (rc == SSR_EOK && strcmp(z->status, "approved") != 0 &&
	    strcmp(z->status, "pending") != 0 && r->o->request_reason != NULL) {
		/* the terms' version first, as the API wants it in the request */
		snprintf(url, sizeof url, "%s/czds/terms/condition", r->o->czds_url);
		rc = czds_http(r->o, "GET", url, r->token, NULL, NULL, 0, r->o->timeout_s, &h,
		               r->diag);
		json_t *t = NULL;
		const char *ver = NULL;
		if (rc == SSR_EOK && h.status == 200 && h.body) {
			json_error_t je;
			t = json_loads(h.body, 0, &je);
			ver = t ? json_string_value(json_object_get(t, "version")) : NULL;
		}
		czds_http_release(&h);
		json_t *req = json_pack("{s:b,s:[s],s:s,s:s,s:[]}", "allTlds", 0, "tldNames",
		                        z->tld, "reason", r->o->request_reason, "tcVersion",
		                        ver ? ver : "", "additionalFTPIps");
		char *body = req ? json_dumps(req, JSON_COMPACT) : NULL;
		json_decref(req);
		json_decref(t);
		if (rc == SSR_EOK && body != NULL) {
			snprintf(url, sizeof url, "%s/czds/requests/create", r->o->czds_url);
			rc = post_simple(r, url, body, &h);
			if (rc == SSR_EOK && h.status == 200) {
				d->access_requested = true;
			} else if (rc == SSR_EOK) {
				reason(&h, why, sizeof why);
				char e[300];
				snprintf(e, sizeof e, "access request: HTTP %ld: %s", h.status,
				         why);
				set_error(d, h.status, "%s", e);
			}
			czds_http_release(&h);
		}
		free(body);
	}
	return rc;
}

/* The zone file's SOA serial, records and whether it has ZONEMD. */
typedef struct {
	const uint8_t *apex;
	int64_t serial;
	uint64_t records;
	bool zonemd;
} scan_t;

static int on_rr(const ssr_zone_rr_t *rr, void *ctx)
{
	scan_t *s = ctx;
	s->records++;
	if (knot_dname_is_equal(rr->owner, s->apex)) {
		if (rr->type == SSR_RRTYPE_SOA && rr->rdata_len >= 20) {
			const uint8_t *p = rr->rdata + rr->rdata_len - 20;
			s->serial = (int64_t)((uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
			                      (uint32_t)p[2] << 8 | p[3]);
		} else if (rr->type == 63) {
			s->zonemd = true;
		}
	}
	return SSR_EOK;
}

static int64_t file_size(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? (int64_t)st.st_size : -1;
}

static int mkdirs(const char *dir)
{
	char p[1024];
	snprintf(p, sizeof p, "%s", dir);
	for (char *s = p + 1; *s; s++) {
		if (*s == '/') {
			*s = '\0';
			if (mkdir(p, 0755) != 0 && errno != EEXIST) {
				return -1;
			}
			*s = '/';
		}
	}
	return mkdir(p, 0755) != 0 && errno != EEXIST ? -1 : 0;
}

static int download(run_t *r, zone_t *z, ssr_czds_day_t *d)
{
	char dir[400], part[600];
	if (snprintf(dir, sizeof dir, "%s/%s", r->o->dir, r->day) >= (int)sizeof dir) {
		return ssr_diag_set(r->diag, SSR_EINVAL, "czds: directory name too long");
	}
	snprintf(d->path, sizeof d->path, "%s/%s.zone.gz", dir, z->tld);
	snprintf(part, sizeof part, "%s.part", d->path);
	if (mkdirs(dir) != 0) {
		return ssr_diag_set(r->diag, SSR_EIO, "czds: cannot make '%s': %s", dir,
		                    strerror(errno));
	}
	long t = (long)(r->o->timeout_s ? r->o->timeout_s : 60);
	czds_http_t h;
	int rc = czds_http(r->o, "HEAD", z->url, r->token, NULL, NULL, 0, t, &h, r->diag);
	if (rc != SSR_EOK) {
		return rc;
	}
	if (h.status != 200) {
		/* the reason is in the body: ask again with GET */
		czds_http_t g;
		long hs = h.status;
		char why[256] = "";
		if (czds_http(r->o, "GET", z->url, r->token, NULL, NULL, 0, t, &g, r->diag) ==
		    SSR_EOK) {
			reason(&g, why, sizeof why);
			czds_http_release(&g);
		}
		if (hs == 0) {
			set_error(d, 0, "download: %s", h.err);
		} else {
			set_error(d, hs, "download: HTTP %ld: %s", hs, why);
		}
		d->path[0] = '\0';
		return SSR_EOK;
	}
	int64_t lm = h.last_modified, announced = h.length;
	if (lm >= 0) {
		char ts[21];
		ssr_time_format(lm, ts);
		int64_t day0;
		char t0[21];
		snprintf(t0, sizeof t0, "%sT00:00:00Z", r->day);
		if (ssr_time_parse(t0, &day0) == SSR_EOK) {
			unsigned hr = r->o->expected_hour ? r->o->expected_hour : 6;
			d->row.on_time = lm >= day0 && lm <= day0 + 3600 * (int64_t)hr ? 1 : 0;
			if (!d->row.on_time) {
				logf_(r, SSR_LOG_WARNING,
				      "'%s': the file was modified at %s, not by %02u:00 "
				      "UTC of %s",
				      z->tld, ts, hr, r->day);
			}
		}
	}
	/* resume a partial file of an earlier try the same day */
	int64_t have = file_size(part);
	FILE *f = fopen(part, have > 0 ? "ab" : "wb");
	if (f == NULL) {
		return ssr_diag_set(r->diag, SSR_EIO, "czds: cannot write '%s': %s", part,
		                    strerror(errno));
	}
	uint64_t from = have > 0 && announced > 0 && have < announced ? (uint64_t)have : 0;
	if (from == 0 && have > 0) {
		fclose(f);
		f = fopen(part, "wb");
		if (f == NULL) {
			return ssr_diag_set(r->diag, SSR_EIO, "czds: cannot write '%s'", part);
		}
	}
	rc = czds_http(r->o, "GET", z->url, r->token, NULL, f, from, t * 100, &h, r->diag);
	if (rc == SSR_EOK && from > 0 && h.status == 200) {
		/* the server ignored the range: the body is the whole file; start over */
		if (fflush(f) != 0 || ftruncate(fileno(f), 0) != 0 || fseek(f, 0, SEEK_SET) != 0) {
			rc = ssr_diag_set(r->diag, SSR_EIO, "czds: cannot rewrite '%s'", part);
		} else {
			from = 0;
			rc = czds_http(r->o, "GET", z->url, r->token, NULL, f, 0, t * 100, &h,
			               r->diag);
		}
	}
	if (fclose(f) != 0 && rc == SSR_EOK) {
		rc = ssr_diag_set(r->diag, SSR_EIO, "czds: cannot write '%s'", part);
	}
	if (rc != SSR_EOK) {
		return rc;
	}
	int64_t got = file_size(part);
	if (h.status == 0 && !h.truncated) {
		set_error(d, 0, "download: %s", h.err);
		d->path[0] = '\0';
		return SSR_EOK;
	}
	if (h.status != 200 && h.status != 206 && !h.truncated) {
		set_error(d, h.status, "download: HTTP %ld", h.status);
		d->path[0] = '\0';
		return SSR_EOK;
	}
	if (h.truncated || (announced >= 0 && got != announced) || h.err[0]) {
		set_error(d, 0, "download: truncated: %lld of %lld bytes%s%s", (long long)got,
		          (long long)announced, h.err[0] ? "; " : "", h.err);
		d->path[0] = '\0'; /* the part stays for a resume */
		return SSR_EOK;
	}
	/* the file end to end: decompresses and parses completely */
	uint8_t apex[256];
	char origin[80];
	snprintf(origin, sizeof origin, "%s.", z->tld);
	if (knot_dname_from_str(apex, origin, sizeof apex) == NULL) {
		set_error(d, 0, "zone: bad TLD name '%s'", z->tld);
		return SSR_EOK;
	}
	scan_t s = {apex, -1, 0, false};
	ssr_zone_opts_t zo = {.origin = origin, .no_include = true};
	ssr_zone_read_stats_t zs;
	ssr_diag_t zd;
	if (ssr_zone_read(part, &zo, on_rr, &s, &zs, &zd) != SSR_EOK) {
		set_error(d, 0, "zone: %s", zd.msg);
		char bad[1300];
		snprintf(bad, sizeof bad, "%s.bad", d->path);
		(void)rename(part, bad);
		d->path[0] = '\0';
		return SSR_EOK;
	}
	if (s.serial < 0) {
		set_error(d, 0, "zone: no SOA record at the apex");
	}
	if (rename(part, d->path) != 0) {
		return ssr_diag_set(r->diag, SSR_EIO, "czds: cannot rename '%s': %s", part,
		                    strerror(errno));
	}
	d->row.downloaded = s.serial >= 0 ? 1 : 0;
	d->row.bytes = got;
	d->row.records = (int64_t)s.records;
	d->row.serial_file = s.serial;
	snprintf(d->row.zonemd, sizeof d->row.zonemd, s.zonemd ? "unchecked" : "absent");
	uint64_t vmax = r->o->verify_max ? r->o->verify_max : 5000000;
	if (s.zonemd && s.records <= vmax) {
		ssr_zmem_t zm;
		ssr_zv_result_t vr;
		ssr_zv_opts_t vo = {.now = r->now};
		if (ssr_zmem_load(&zm, origin, d->path, vmax, &zd) == SSR_EOK &&
		    ssr_zmem_verify(&zm, &vo, &vr, &zd) == SSR_EOK) {
			snprintf(d->row.zonemd, sizeof d->row.zonemd, "%s",
			         vr.zonemd_valid ? "valid" : "invalid");
			if (!vr.zonemd_valid) {
				set_error(d, 0, "zone: ZONEMD does not verify");
			}
			/* the signatures were checked too (zone verify): their first error */
			for (size_t i = 0; i < vr.nproblems; i++) {
				const ssr_zv_problem_t *p = &vr.problems[i];
				if (p->severity == SSR_ZV_ERROR) {
					set_error(
					    d, 0,
					    "zone: DNSSEC: %llu errors, the first '%s' type %u: %s",
					    (unsigned long long)vr.errors, p->owner, p->type,
					    p->problem);
					break;
				}
			}
			ssr_zv_result_release(&vr);
		} else {
			set_error(d, 0, "zone: ZONEMD not checked: %s", zd.msg);
		}
		ssr_zmem_release(&zm);
	}
	return SSR_EOK;
}

typedef struct {
	uint8_t *buf;
	size_t cap, len;
	char err[64];
} one_t;

static void one_done(const ssr_probe_result_t *res, void *ctx)
{
	one_t *o = ctx;
	if (res->outcome == SSR_PROBE_ANSWER && res->resp != NULL && res->rlen <= o->cap) {
		memcpy(o->buf, res->resp, res->rlen);
		o->len = res->rlen;
	} else {
		snprintf(o->err, sizeof o->err, "%s", ssr_probe_outcome_name(res->outcome));
	}
}

/* The live SOA serial of tld from its server (--soa-server), -1 when not asked or no answer. */
static void live_serial(run_t *r, const zone_t *z, ssr_czds_day_t *d)
{
	const char *addr = NULL;
	size_t tl = strlen(z->tld);
	for (size_t i = 0; i < r->o->nsoa; i++) {
		if (strncmp(r->o->soa_servers[i], z->tld, tl) == 0 &&
		    r->o->soa_servers[i][tl] == '=') {
			addr = r->o->soa_servers[i] + tl + 1;
		}
	}
	d->row.serial_live = -1;
	if (addr == NULL) {
		return;
	}
	char name[80];
	snprintf(name, sizeof name, "%s.", z->tld);
	ssr_probe_query_t q;
	ssr_probe_query_init(&q);
	q.qname = name;
	q.qtype = SSR_RRTYPE_SOA;
	uint8_t w[512], resp[4096];
	size_t len, rl = 0;
	ssr_diag_t dd;
	ssr_probe_req_t req = {.transport = SSR_PROBE_UDP, .timeout_ms = 3000};
	if (ssr_probe_query_build(&q, w, sizeof w, &len, &dd) != SSR_EOK ||
	    ssr_probe_addr_parse(addr, 53, &req.dst, &req.dst_len) != SSR_EOK) {
		set_error(d, 0, "live SOA: bad server '%s'", addr);
		return;
	}
	req.query = w;
	req.qlen = len;
	one_t one = {resp, sizeof resp, 0, ""};
	ssr_probe_opts_t po = {.max_inflight = 1, .udp_sockets = 1, .done = one_done, .ctx = &one};
	ssr_probe_t *p = NULL;
	if (ssr_probe_new(&po, &p, &dd) != SSR_EOK || ssr_probe_submit(p, &req, &dd) != SSR_EOK ||
	    ssr_probe_run(p, &dd) != SSR_EOK) {
		ssr_probe_free(p);
		set_error(d, 0, "live SOA: %s", dd.msg);
		return;
	}
	ssr_probe_free(p);
	rl = one.len;
	if (rl == 0) {
		set_error(d, 0, "live SOA: %s from '%s'", one.err, addr);
		return;
	}
	knot_pkt_t *pkt = knot_pkt_new(resp, rl, NULL);
	if (pkt != NULL && knot_pkt_parse(pkt, 0) == KNOT_EOK) {
		const knot_pktsection_t *an = knot_pkt_section(pkt, KNOT_ANSWER);
		for (uint16_t i = 0; i < an->count; i++) {
			const knot_rrset_t *rr = knot_pkt_rr(an, i);
			if (rr->type == KNOT_RRTYPE_SOA && rr->rrs.count > 0) {
				d->row.serial_live = knot_soa_serial(rr->rrs.rdata);
			}
		}
	}
	knot_pkt_free(pkt);
	if (d->row.serial_live < 0) {
		set_error(d, 0, "live SOA: no SOA in the answer of '%s'", addr);
	}
}

static int cmp_zone(const void *a, const void *b)
{
	return strcmp(((const zone_t *)a)->tld, ((const zone_t *)b)->tld);
}

static bool wanted(const ssr_czds_opts_t *o, const char *tld)
{
	if (o->tlds == NULL) {
		return true;
	}
	for (size_t i = 0; i < o->ntlds; i++) {
		if (strcasecmp(o->tlds[i], tld) == 0) {
			return true;
		}
	}
	return false;
}

int ssr_czds_run(const ssr_czds_opts_t *o, ssr_store_t *st, ssr_czds_day_t **out, size_t *n,
                 ssr_diag_t *diag)
{
	*out = NULL;
	*n = 0;
	if (o->auth_url == NULL || o->czds_url == NULL || o->dir == NULL) {
		return ssr_diag_set(diag, SSR_EINVAL,
		                    "czds: the API addresses and a directory are "
		                    "needed");
	}
	run_t r = {.o = o, .diag = diag};
	r.now = o->now ? o->now : (int64_t)time(NULL);
	if (o->day != NULL) {
		int32_t dd;
		if (strlen(o->day) != 10 || ssr_date_parse(o->day, 10, &dd) != SSR_EOK) {
			return ssr_diag_set(diag, SSR_EINVAL, "czds: bad day '%s'", o->day);
		}
		snprintf(r.day, sizeof r.day, "%s", o->day);
		if (o->now == 0) {
			/* a given day is judged as of its noon (UTC): reruns give the same rows */
			char noon[21];
			snprintf(noon, sizeof noon, "%sT12:00:00Z", o->day);
			if (ssr_time_parse(noon, &r.now) != SSR_EOK) {
				r.now = (int64_t)time(NULL);
			}
		}
	} else {
		char ts[21];
		ssr_time_format(r.now, ts);
		snprintf(r.day, sizeof r.day, "%.10s", ts);
	}
	int rc = authenticate(&r);
	if (rc == SSR_EOK) {
		rc = requests(&r);
	}
	if (rc == SSR_EOK) {
		rc = links(&r);
	}
	/* the run failed for everyone: the TLDs asked for (or known) are recorded with it, their
	 * access unknown unless the request list said */
	for (size_t i = 0; rc != SSR_EOK && i < o->ntlds; i++) {
		zone_t *z = zone_get(&r, o->tlds[i]);
		if (z != NULL && !z->request && !z->link) {
			snprintf(z->status, sizeof z->status, "unknown");
		}
	}
	size_t k = 0;
	for (size_t i = 0; i < r.n; i++) {
		if (wanted(o, r.z[i].tld)) {
			r.z[k++] = r.z[i];
		}
	}
	r.n = k;
	if (r.n > 0) {
		qsort(r.z, r.n, sizeof(*r.z), cmp_zone);
	}
	ssr_czds_day_t *days = calloc(r.n ? r.n : 1, sizeof(*days));
	if (days == NULL) {
		free(r.z);
		return ssr_diag_set(diag, SSR_ENOMEM, "czds: out of memory");
	}
	char runerr[256] = "";
	if (rc != SSR_EOK) {
		snprintf(runerr, sizeof runerr, "%.255s", diag->msg);
	}
	int rrc = SSR_EOK; /* errors of the files and the store: the run's own */
	for (size_t i = 0; i < r.n && rrc == SSR_EOK; i++) {
		zone_t *z = &r.z[i];
		ssr_czds_day_t *d = &days[i];
		ssr_czds_row_t *w = &d->row;
		snprintf(w->day, sizeof w->day, "%s", r.day);
		snprintf(w->tld, sizeof w->tld, "%s", z->tld);
		snprintf(w->status, sizeof w->status, "%s", z->status);
		snprintf(w->expires, sizeof w->expires, "%s", z->expires);
		snprintf(w->zonemd, sizeof w->zonemd, "unchecked");
		w->on_time = w->fresh = -1;
		w->serial_file = w->serial_live = -1;
		d->size_change = NAN;
		d->days_left = -1;
		if (runerr[0]) {
			set_error(d, 0, "%s", runerr);
		} else {
			rrc = access_check(&r, z, d);
			if (rrc == SSR_EOK && z->link && strcmp(z->status, "approved") == 0) {
				rrc = download(&r, z, d);
			} else if (rrc == SSR_EOK) {
				set_error(d, 0, "no access (%s)", z->status);
			}
			if (rrc == SSR_EOK) {
				live_serial(&r, z, d);
				if (w->serial_file >= 0 && w->serial_live >= 0) {
					w->fresh = w->serial_file == w->serial_live ? 1 : 0;
					if (!w->fresh) {
						set_error(d, 0,
						          "stale: the file has serial %lld, the "
						          "servers %lld",
						          (long long)w->serial_file,
						          (long long)w->serial_live);
					}
				}
			}
		}
		ssr_czds_row_t prev;
		ssr_diag_t sd;
		if (st != NULL && w->downloaded &&
		    ssr_store_czds_before(st, w->tld, w->day, &prev, &sd) == SSR_EOK &&
		    prev.bytes > 0) {
			d->size_change =
			    ((double)w->bytes - (double)prev.bytes) / (double)prev.bytes;
		}
		if (rrc == SSR_EOK && st != NULL) {
			rrc = ssr_store_czds_put(st, w, diag);
		}
	}
	free(r.z);
	if (rrc != SSR_EOK) {
		free(days);
		return rrc;
	}
	*out = days;
	*n = r.n;
	return rc;
}

int ssr_czds_availability(ssr_store_t *st, const char *from, const char *to, ssr_czds_avail_t **out,
                          size_t *n, ssr_diag_t *diag)
{
	*out = NULL;
	*n = 0;
	ssr_czds_row_t *rows = NULL;
	size_t nr = 0;
	int rc = ssr_store_czds_rows(st, from, to, &rows, &nr, diag);
	if (rc != SSR_EOK) {
		return rc;
	}
	ssr_czds_avail_t *a = calloc(nr ? nr : 1, sizeof(*a));
	if (a == NULL) {
		free(rows);
		return ssr_diag_set(diag, SSR_ENOMEM, "czds: out of memory");
	}
	size_t k = 0;
	for (size_t i = 0; i < nr; i++) {
		const ssr_czds_row_t *w = &rows[i];
		if (k == 0 || strcmp(a[k - 1].tld, w->tld) != 0) {
			snprintf(a[k++].tld, sizeof a[0].tld, "%s", w->tld);
		}
		ssr_czds_avail_t *x = &a[k - 1];
		x->days++;
		x->downloaded += w->downloaded == 1;
		x->on_time += w->on_time == 1;
		x->fresh += w->fresh == 1;
		x->stale += w->fresh == 0;
		x->zonemd_valid += strcmp(w->zonemd, "valid") == 0;
		x->zonemd_invalid += strcmp(w->zonemd, "invalid") == 0;
		x->no_access +=
		    strcmp(w->status, "approved") != 0 && strcmp(w->status, "unknown") != 0;
		x->errors += w->error[0] != '\0';
		snprintf(x->last_status, sizeof x->last_status, "%s", w->status);
		snprintf(x->last_expires, sizeof x->last_expires, "%s", w->expires);
		snprintf(x->last_error, sizeof x->last_error, "%s", w->error);
	}
	for (size_t i = 0; i < k; i++) {
		a[i].availability = a[i].days ? (double)a[i].downloaded / a[i].days : 0;
	}
	free(rows);
	*out = a;
	*n = k;
	return SSR_EOK;
}
