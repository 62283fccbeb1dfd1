/* ssrwatch — report intake: validation with field-level errors, normalisation of every reported
 * name to its registered domain (libpsl), and the write that joins the report to the open case
 * of each (domain, category) or opens one.  docs/API.md lists the rules. */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "intake.h"
#include "vocab.h"
#include "work.h"
#include "ssrwatch/names.h"
#include "ssrwatch/crypto.h"
#include "ssrwatch/feed.h"

#define MAX_TARGETS       100
#define MAX_IPS           20
#define MAX_EVIDENCE_URLS 20
#define MAX_URL           2048
#define MAX_DESCRIPTION   20000
#define MIN_DESCRIPTION   20

static void field_error(json_t *errors, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void field_error(json_t *errors, const char *field, const char *fmt, ...)
{
	char msg[300];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	json_t *e = json_object();
	json_object_set_new(e, "field", json_string(field));
	json_object_set_new(e, "message", json_string(msg));
	json_array_append_new(errors, e);
}

/* A string field: NULL if absent; an error if present but not a string or too long. */
static const char *str_field(json_t *obj, const char *key, const char *field, size_t max,
                             json_t *errors)
{
	json_t *v = json_object_get(obj, key);
	if (v == NULL || json_is_null(v)) {
		return NULL;
	}
	if (!json_is_string(v)) {
		field_error(errors, field, "must be a string");
		return NULL;
	}
	const char *s = json_string_value(v);
	if (strlen(s) > max) {
		field_error(errors, field, "longer than %zu characters", max);
		return NULL;
	}
	while (*s && isspace((unsigned char)*s)) {
		s++;
	}
	return *s ? json_string_value(v) : NULL;
}

static bool http_url(const char *s)
{
	if (strncmp(s, "http://", 7) != 0 && strncmp(s, "https://", 8) != 0) {
		return false;
	}
	const char *h = strstr(s, "://") + 3;
	if (*h == '\0' || *h == '/') {
		return false;
	}
	for (const char *c = s; *c; c++) {
		if ((unsigned char)*c <= ' ' || *c == 0x7f) {
			return false;
		}
	}
	return true;
}

static bool is_hex64(const char *s)
{
	if (strlen(s) != 64) {
		return false;
	}
	for (; *s; s++) {
		if (!isxdigit((unsigned char)*s)) {
			return false;
		}
	}
	return true;
}

typedef struct {
	ssr_portal_t *p;
	json_t *norm;    /* the normalised report (stored as the body) */
	json_t *domains; /* [{domain, tld}] distinct, in order of first mention */
	json_t *attach;  /* [{name, type, size, sha256, data}] */
	const char *category, *email, *name;
	const char *ip;
	char token[64], digest[65];
	int64_t now;
	/* results */
	int64_t report_id;
	json_t *cases;
	uint64_t opened;
} submit_t;

/* Is tld one the portal can route?  With a registry directory loaded: listed in it; with an
 * empty one: an ICANN TLD (PSL).  *dir_n caches the directory's size for the report (-1: not
 * counted yet). */
static bool tld_known(ssr_portal_t *p, ssr_store_t *st, const char *tld, int64_t *dir_n)
{
	ssr_diag_t d;
	if (*dir_n < 0 && ssr_store_registry_count(st, dir_n, &d) != SSR_EOK) {
		*dir_n = -1;
		return false;
	}
	if (*dir_n == 0) {
		return ssr_psl_is_public_suffix(p->psl, tld);
	}
	ssr_registry_t r = {0};
	bool ok = ssr_store_registry_get(st, tld, &r, &d) == SSR_EOK;
	ssr_store_registry_release(&r);
	return ok;
}

/* The protected names a reported host (as the reporter wrote it) imitates, by the rule of
 * `names check` (ssr_names_check), best first: target["protected_names"]. */
static int on_protected(const ssr_names_subject_t *sub, const ssr_names_match_t *m, void *ctx)
{
	json_t *arr = ctx;
	if (json_array_size(arr) >= 8) {
		return SSR_EOK;
	}
	json_t *kinds = json_array();
	for (unsigned i = 0; i < SSR_NAMES_KIND_COUNT; i++) {
		if (m->kinds & (1u << i)) {
			json_array_append_new(kinds, json_string(ssr_names_kind_name(i)));
		}
	}
	json_t *o = json_pack("{s:s,s:o,s:f,s:s,s:s}", "brand", m->brand, "kinds", kinds, "score",
	                      (double)(long)(m->score * 100 + 0.5) / 100, "position", m->position,
	                      "detail", m->detail);
	if (o && sub->provider) {
		json_object_set_new(o, "provider", json_string(sub->provider));
	}
	return o && json_array_append_new(arr, o) == 0 ? SSR_EOK : SSR_ENOMEM;
}

static void protected_names(const ssr_names_t *nm, const char *host, json_t *target)
{
	json_t *arr = json_array();
	if (!arr) {
		return;
	}
	if (ssr_names_check(nm, host, strlen(host), on_protected, arr, NULL) > 0 &&
	    json_array_size(arr) > 0) {
		json_object_set_new(target, "protected_names", arr);
	} else {
		json_decref(arr);
	}
}

static void check_targets(submit_t *s, json_t *in, json_t *errors, bool *has_url)
{
	json_t *t = json_object_get(in, "targets");
	if (!json_is_array(t) || json_array_size(t) == 0) {
		field_error(errors, "targets", "at least one domain name or URL is required");
		return;
	}
	if (json_array_size(t) > MAX_TARGETS) {
		field_error(errors, "targets", "at most %d domain names or URLs per report",
		            MAX_TARGETS);
		return;
	}
	json_t *out = json_array();
	size_t i;
	json_t *v;
	int64_t dir_n = -1;
	ssr_store_t *st = portal_pool_get(&s->p->pool);
	json_array_foreach(t, i, v)
	{
		char field[32];
		snprintf(field, sizeof(field), "targets[%zu]", i);
		const char *txt = json_string_value(v);
		if (txt == NULL) {
			field_error(errors, field, "must be a string");
			continue;
		}
		size_t len = strlen(txt);
		if (len == 0 || len > MAX_URL) {
			field_error(errors, field, len ? "longer than %d characters" : "empty",
			            MAX_URL);
			continue;
		}
		bool url = strstr(txt, "://") != NULL;
		if (url && !http_url(txt) && strncmp(txt, "ftp://", 6) != 0) {
			field_error(errors, field, "'%.100s' is not an http, https or ftp URL",
			            txt);
			continue;
		}
		char dom[256], host[1024];
		ssr_feed_reject_t why;
		if (ssr_feed_normalise_host(s->p->psl, txt, len, dom, sizeof(dom), &why, host,
		                            sizeof host) != SSR_EOK) {
			const char *m = why == SSR_FEED_REJECT_IP
			                    ? "is an IP address: report it under 'ips'"
			                : why == SSR_FEED_REJECT_SUFFIX
			                    ? "is a public suffix, not a registered domain"
			                : why == SSR_FEED_REJECT_IDN
			                    ? "is not a valid internationalised domain name"
			                    : "is not a domain name or URL";
			field_error(errors, field, "'%.100s' %s", txt, m);
			continue;
		}
		const char *tld = strrchr(dom, '.');
		if (tld == NULL) {
			field_error(errors, field,
			            "'%.100s' is a top-level domain, not a registered domain", txt);
			continue;
		}
		tld++;
		if (!tld_known(s->p, st, tld, &dir_n)) {
			field_error(errors, field, "'%.100s': unknown TLD '%s'%s", txt, tld,
			            dir_n > 0 ? " (not in the registry directory)" : "");
			continue;
		}
		*has_url |= url;
		json_t *o = json_object();
		json_object_set_new(o, "input", json_string(txt));
		json_object_set_new(o, "domain", json_string(dom));
		if (s->p->names) {
			protected_names(s->p->names, host, o);
		}
		json_array_append_new(out, o);
		bool seen = false;
		size_t k;
		json_t *d;
		json_array_foreach(s->domains, k, d)
		{
			seen |= strcmp(json_string_value(json_object_get(d, "domain")), dom) == 0;
		}
		if (!seen) {
			json_t *dd = json_object();
			json_object_set_new(dd, "domain", json_string(dom));
			json_object_set_new(dd, "tld", json_string(tld));
			json_array_append_new(s->domains, dd);
		}
	}
	portal_pool_put(&s->p->pool, st);
	json_object_set_new(s->norm, "targets", out);
}

static void check_ips(submit_t *s, json_t *in, json_t *errors)
{
	json_t *a = json_object_get(in, "ips");
	json_t *out = json_array();
	json_object_set_new(s->norm, "ips", out);
	if (a == NULL || json_is_null(a)) {
		return;
	}
	if (!json_is_array(a) || json_array_size(a) > MAX_IPS) {
		field_error(errors, "ips", "must be a list of at most %d IP addresses", MAX_IPS);
		return;
	}
	size_t i;
	json_t *v;
	json_array_foreach(a, i, v)
	{
		char field[32], buf[16];
		snprintf(field, sizeof(field), "ips[%zu]", i);
		const char *t = json_string_value(v);
		if (t == NULL ||
		    (inet_pton(AF_INET, t, buf) != 1 && inet_pton(AF_INET6, t, buf) != 1)) {
			field_error(errors, field, "'%.60s' is not an IPv4 or IPv6 address",
			            t ? t : "(not a string)");
			continue;
		}
		json_array_append_new(out, json_string(t));
	}
}

static void check_evidence(submit_t *s, json_t *in, json_t *errors, bool has_url)
{
	json_t *ev = json_object_get(in, "evidence");
	if (ev != NULL && !json_is_object(ev)) {
		field_error(errors, "evidence", "must be an object");
		return;
	}
	json_t *e = json_object();
	json_object_set_new(s->norm, "evidence", e);
	const char *desc =
	    str_field(ev, "description", "evidence.description", MAX_DESCRIPTION, errors);
	const char *imit = str_field(ev, "imitates", "evidence.imitates", 200, errors);
	const char *obs = str_field(ev, "observed", "evidence.observed", 40, errors);
	const char *sha = str_field(ev, "sample_sha256", "evidence.sample_sha256", 64, errors);
	/* what XARF needs for spam (SMTP) and brand infringement reports */
	const char *from = str_field(ev, "smtp_from", "evidence.smtp_from", 254, errors);
	const char *subj = str_field(ev, "subject", "evidence.subject", 500, errors);
	const char *legit =
	    str_field(ev, "legitimate_site", "evidence.legitimate_site", MAX_URL, errors);
	int64_t port = 0;
	json_t *pv = json_object_get(ev, "source_port");
	if (pv != NULL && !json_is_null(pv)) {
		/* a number, or digits in a string (what a form sends) */
		const char *ps = json_string_value(pv);
		char *end = NULL;
		if (json_is_integer(pv)) {
			port = json_integer_value(pv);
		} else if (ps != NULL && *ps >= '0' && *ps <= '9') {
			port = strtoll(ps, &end, 10);
			if (*end != '\0') {
				port = -1;
			}
		} else if (ps == NULL || *ps != '\0') {
			port = -1;
		}
		if (port < 0 || port > 65535 || (port == 0 && ps == NULL)) {
			field_error(errors, "evidence.source_port",
			            "must be a port number, 1 to 65535");
			port = 0;
		}
	}
	if (from) {
		if (!portal_is_email(from)) {
			field_error(errors, "evidence.smtp_from", "'%s' is not an e-mail address",
			            from);
		} else {
			json_object_set_new(e, "smtp_from", json_string(from));
		}
	}
	if (port > 0) {
		json_object_set_new(e, "source_port", json_integer(port));
	}
	if (subj) {
		json_object_set_new(e, "subject", json_string(subj));
	}
	if (legit) {
		if (strlen(legit) > MAX_URL || !http_url(legit)) {
			field_error(errors, "evidence.legitimate_site", "not an http or https URL");
		} else {
			json_object_set_new(e, "legitimate_site", json_string(legit));
		}
	}
	if (desc) {
		json_object_set_new(e, "description", json_string(desc));
	}
	if (imit) {
		json_object_set_new(e, "imitates", json_string(imit));
	}
	if (obs) {
		int64_t t;
		if (ssr_feed_parse_time(obs, strlen(obs), &t) != SSR_EOK) {
			field_error(errors, "evidence.observed",
			            "'%s' is not a time (2026-11-23T10:00:00Z or 2026-11-23)", obs);
		} else if (t > s->now + 86400) {
			field_error(errors, "evidence.observed", "'%s' is in the future", obs);
		} else {
			json_object_set_new(e, "observed", json_integer(t));
		}
	}
	if (sha) {
		if (!is_hex64(sha)) {
			field_error(errors, "evidence.sample_sha256",
			            "must be 64 hexadecimal digits");
		} else {
			json_object_set_new(e, "sample_sha256", json_string(sha));
		}
	}
	json_t *urls = json_object_get(ev, "urls");
	json_t *uo = json_array();
	json_object_set_new(e, "urls", uo);
	if (urls != NULL && !json_is_null(urls)) {
		if (!json_is_array(urls) || json_array_size(urls) > MAX_EVIDENCE_URLS) {
			field_error(errors, "evidence.urls", "must be a list of at most %d URLs",
			            MAX_EVIDENCE_URLS);
		} else {
			size_t i;
			json_t *v;
			json_array_foreach(urls, i, v)
			{
				char field[40];
				snprintf(field, sizeof(field), "evidence.urls[%zu]", i);
				const char *u = json_string_value(v);
				if (u == NULL || strlen(u) > MAX_URL || !http_url(u)) {
					field_error(errors, field, "not an http or https URL");
				} else {
					json_array_append_new(uo, json_string(u));
				}
			}
		}
	}
	/* the minimum evidence per category */
	size_t dl = desc ? strlen(desc) : 0;
	const char *c = s->category;
	if (c == NULL) {
		return;
	}
	if (strcmp(c, "phishing") == 0) {
		if (!has_url) {
			field_error(errors, "targets", "a phishing report needs the phishing URL");
		}
		if (!imit) {
			field_error(errors, "evidence.imitates",
			            "a phishing report needs the brand or site it imitates");
		}
	} else if (strcmp(c, "malware") == 0) {
		if (!has_url && !sha) {
			field_error(
			    errors, "evidence.sample_sha256",
			    "a malware report needs the download URL or the sample's SHA-256");
		}
		if (dl == 0) {
			field_error(errors, "evidence.description",
			            "a malware report needs a description");
		}
	} else if (strcmp(c, "botnet-c2") == 0) {
		if (dl == 0) {
			field_error(errors, "evidence.description",
			            "a botnet-c2 report needs a description of the traffic seen");
		}
		if (!obs) {
			field_error(errors, "evidence.observed",
			            "a botnet-c2 report needs the time the traffic was seen");
		}
	} else if (strcmp(c, "misleading-name") == 0) {
		if (!imit) {
			field_error(errors, "evidence.imitates",
			            "a misleading-name report needs the name it imitates");
		}
		if (!legit) {
			field_error(errors, "evidence.legitimate_site",
			            "a misleading-name report needs the address of the legitimate "
			            "site (https://...)");
		}
	} else if (dl < MIN_DESCRIPTION) { /* spam, other */
		field_error(errors, "evidence.description",
		            "a %s report needs a description of at least %d characters", c,
		            MIN_DESCRIPTION);
	}
	if (strcmp(c, "spam") == 0) { /* XARF's spam type wants the SMTP envelope */
		if (!from) {
			field_error(errors, "evidence.smtp_from",
			            "a spam report needs the envelope sender (MAIL FROM) address");
		}
		if (port == 0) {
			field_error(
			    errors, "evidence.source_port",
			    "a spam report needs the sending server's source port (from the "
			    "Received header)");
		}
	}
}

/* A media type as RFC 6838 section 4.2 restricts names: type "/" subtype, each a letter or
 * digit then up to 126 of letters, digits and ! # $ & - ^ _ . + (parameters are not kept). */
static bool media_type_ok(const char *t)
{
	static const char more[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	                           "!#$&-^_.+";
	const char *slash = strchr(t, '/');
	if (slash == NULL) {
		return false;
	}
	size_t a = (size_t)(slash - t), b = strlen(slash + 1);
	return a >= 1 && a <= 127 && b >= 1 && b <= 127 && isalnum((unsigned char)t[0]) &&
	       isalnum((unsigned char)slash[1]) && strspn(t, more) == a &&
	       strspn(slash + 1, more) == b;
}

static bool has_control(const char *s)
{
	for (; *s; s++) {
		if ((unsigned char)*s < 0x20 || *s == 0x7f) {
			return true;
		}
	}
	return false;
}

static void check_attachments(submit_t *s, json_t *in, json_t *errors)
{
	json_t *a = json_object_get(in, "attachments");
	json_t *meta = json_array();
	json_object_set_new(s->norm, "attachments", meta);
	if (a == NULL || json_is_null(a)) {
		return;
	}
	unsigned max = s->p->cfg.max_attachments;
	if (!json_is_array(a) || json_array_size(a) > max) {
		field_error(errors, "attachments", "must be a list of at most %u files", max);
		return;
	}
	size_t i;
	json_t *v;
	json_array_foreach(a, i, v)
	{
		char field[40];
		snprintf(field, sizeof(field), "attachments[%zu]", i);
		json_t *fe = json_array();
		const char *name = str_field(v, "name", field, 200, fe);
		const char *type = str_field(v, "type", field, 100, fe);
		const char *data = json_string_value(json_object_get(v, "data"));
		if (json_array_size(fe) > 0 || !name || !data || strchr(name, '/') ||
		    strchr(name, '\\')) {
			field_error(errors, field,
			            "needs a file name (no path), a type and base64 data");
			json_decref(fe);
			continue;
		}
		json_decref(fe);
		if (has_control(name)) {
			field_error(errors, field, "the file name has control characters");
			continue;
		}
		char tl[128];
		if (type != NULL) {
			/* what the browser or client declared, as a bare lowercase media type; it
			 * goes into deliveries (XARF content_type) */
			size_t k = strcspn(type, "; \t");
			snprintf(tl, sizeof(tl), "%.*s",
			         (int)(k < sizeof(tl) - 1 ? k : sizeof(tl) - 1), type);
			for (char *c = tl; *c; c++) {
				*c = (char)tolower((unsigned char)*c);
			}
			if (!media_type_ok(tl)) {
				field_error(errors, field,
				            "type '%s' is not a media type (type/subtype)", tl);
				continue;
			}
			type = tl;
		}
		size_t cap = s->p->cfg.max_attachment, n = 0;
		if (strlen(data) / 4 * 3 > cap + 3) {
			field_error(errors, field, "larger than %zu bytes", cap);
			continue;
		}
		uint8_t *raw = malloc(cap + 3);
		if (raw == NULL) {
			field_error(errors, field, "out of memory");
			continue;
		}
		int rc = ssr_base64_decode(data, strlen(data), raw, cap, &n);
		if (rc != SSR_EOK) {
			if (rc == SSR_ELIMIT) {
				field_error(errors, field, "larger than %zu bytes", cap);
			} else {
				field_error(errors, field, "data is not base64");
			}
			free(raw);
			continue;
		}
		uint8_t h[SSR_SHA256_LEN];
		char hex[65];
		ssr_sha256(raw, n, h);
		ssr_hex(h, sizeof(h), hex);
		free(raw);
		json_t *m = json_object();
		json_object_set_new(m, "name", json_string(name));
		json_object_set_new(m, "type",
		                    json_string(type ? type : "application/octet-stream"));
		json_object_set_new(m, "size", json_integer((json_int_t)n));
		json_object_set_new(m, "sha256", json_string(hex));
		json_array_append(meta, m);
		json_t *full = json_deep_copy(m);
		json_object_set(full, "data", json_object_get(v, "data"));
		json_array_append_new(s->attach, full);
		json_decref(m);
	}
}

static void check_reporter(submit_t *s, json_t *in, json_t *errors)
{
	json_t *r = json_object_get(in, "reporter");
	if (r == NULL || json_is_null(r)) {
		return;
	}
	if (!json_is_object(r)) {
		field_error(errors, "reporter", "must be an object");
		return;
	}
	s->name = str_field(r, "name", "reporter.name", 200, errors);
	s->email = str_field(r, "email", "reporter.email", 254, errors);
	if (s->email && !portal_is_email(s->email)) {
		field_error(errors, "reporter.email", "'%.80s' is not an e-mail address", s->email);
		s->email = NULL;
	}
	json_t *o = json_object();
	if (s->name) {
		json_object_set_new(o, "name", json_string(s->name));
	}
	if (s->email) {
		json_object_set_new(o, "email", json_string(s->email));
	}
	json_object_set_new(s->norm, "reporter", o);
}

/* The write: runs in the writer thread inside a savepoint. */
static int submit_write(ssr_store_t *st, void *ctx, ssr_diag_t *diag)
{
	submit_t *s = ctx;
	char *body = json_dumps(s->norm, JSON_COMPACT | JSON_SORT_KEYS);
	if (body == NULL) {
		return ssr_diag_set(diag, SSR_ENOMEM, "portal: out of memory");
	}
	ssr_report_rec_t rec = {s->digest, s->category, s->now, s->email, s->name, s->ip, body};
	int rc = ssr_store_report_insert(st, &rec, &s->report_id, diag);
	free(body);
	size_t i;
	json_t *a;
	json_array_foreach(s->attach, i, a)
	{
		if (rc != SSR_EOK) {
			break;
		}
		rc = ssr_store_attachment_insert(
		    st, s->report_id, json_string_value(json_object_get(a, "name")),
		    json_string_value(json_object_get(a, "type")),
		    json_integer_value(json_object_get(a, "size")),
		    json_string_value(json_object_get(a, "sha256")),
		    json_string_value(json_object_get(a, "data")), diag);
	}
	json_decref(s->cases);
	s->cases = json_array();
	s->opened = 0;
	json_t *d;
	json_array_foreach(s->domains, i, d)
	{
		if (rc != SSR_EOK) {
			break;
		}
		const char *dom = json_string_value(json_object_get(d, "domain"));
		const char *tld = json_string_value(json_object_get(d, "tld"));
		int64_t cid = 0;
		bool joined = false, again = false;
		char detail[40];
		snprintf(detail, sizeof(detail), "report %lld", (long long)s->report_id);
		rc = ssr_store_case_find_open(st, dom, s->category, &cid, diag);
		if (rc == SSR_EOK && cid == 0) {
			rc = ssr_store_case_insert(st, dom, tld, s->category, s->now, &cid, diag);
			if (rc == SSR_EOK) {
				rc =
				    ssr_store_event_add(st, cid, 0, "opened", s->now, detail, diag);
			}
			s->opened++;
		} else if (rc == SSR_EOK) {
			joined = true;
			if (s->email != NULL) {
				rc = ssr_store_case_has_reporter(st, cid, s->email, &again, diag);
			}
			if (rc == SSR_EOK) {
				rc =
				    ssr_store_event_add(st, cid, 0, "report", s->now, detail, diag);
			}
		}
		if (rc == SSR_EOK) {
			rc = ssr_store_report_link(st, s->report_id, cid, diag);
		}
		if (rc == SSR_EOK) {
			rc = ssr_store_case_count_report(st, cid, !again, diag);
		}
		json_t *c = json_object();
		json_object_set_new(c, "id", json_integer(cid));
		json_object_set_new(c, "domain", json_string(dom));
		json_object_set_new(c, "category", json_string(s->category));
		json_object_set_new(c, "joined", json_boolean(joined));
		json_array_append_new(s->cases, c);
	}
	return rc;
}

int portal_intake_submit(ssr_portal_t *p, json_t *in, const char *ip, json_t **result,
                         json_t **errors, ssr_diag_t *diag)
{
	*result = NULL;
	*errors = json_array();
	submit_t s = {.p = p,
	              .norm = json_object(),
	              .domains = json_array(),
	              .attach = json_array(),
	              .ip = ip,
	              .now = portal_now(p)};
	int rc = SSR_EOK;
	if (!json_is_object(in)) {
		field_error(*errors, "", "the report must be a JSON object");
		rc = SSR_EINVAL;
		goto out;
	}
	s.category = str_field(in, "category", "category", 40, *errors);
	if (s.category == NULL || !portal_is_category(s.category)) {
		field_error(*errors, "category",
		            "one of phishing, malware, botnet-c2, spam, misleading-name, other");
		s.category = NULL;
	} else {
		json_object_set_new(s.norm, "category", json_string(s.category));
	}
	bool has_url = false;
	check_targets(&s, in, *errors, &has_url);
	check_ips(&s, in, *errors);
	check_evidence(&s, in, *errors, has_url);
	check_attachments(&s, in, *errors);
	check_reporter(&s, in, *errors);
	if (json_array_size(*errors) > 0) {
		rc = SSR_EINVAL;
		goto out;
	}
	json_object_set_new(s.norm, "received", json_integer(s.now));
	if ((rc = ssr_random_token(32, s.token, sizeof(s.token))) != SSR_EOK) {
		rc = ssr_diag_set(diag, rc, "portal: no randomness for the report token");
		goto out;
	}
	ssr_sha256_hex(s.token, s.digest);
	rc = portal_writer_run(&p->writer, submit_write, &s, diag);
	if (rc == SSR_EOK) {
		json_t *res = json_object();
		char link[512];
		snprintf(link, sizeof(link), "%s/r/%s", p->base_url, s.token);
		json_object_set_new(res, "report_id", json_integer(s.report_id));
		json_object_set_new(res, "token", json_string(s.token));
		json_object_set_new(res, "link", json_string(link));
		json_object_set(res, "cases", s.cases);
		*result = res;
		atomic_fetch_add(&p->cases_opened, s.opened);
		if (s.opened > 0) {
			portal_work_kick(p);
		}
	}
out:
	json_decref(s.norm);
	json_decref(s.domains);
	json_decref(s.attach);
	json_decref(s.cases);
	if (rc == SSR_EOK) {
		json_decref(*errors);
		*errors = NULL;
		atomic_fetch_add(&p->reports_ok, 1);
	} else if (rc == SSR_EINVAL) {
		atomic_fetch_add(&p->reports_rejected, 1);
	}
	return rc;
}
