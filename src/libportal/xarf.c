/* ssrwatch — reports as XARF v4 (https://xarf.org, JSON; xarf-core.json): one XARF report per
 * portal report ("one incident, one report"), for the API's export endpoints, the e-mail
 * attachment and the webhook body.  docs/API.md gives the category mapping. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "xarf.h"
#include "ssrwatch/crypto.h"
#include "ssrwatch/date.h"

#define XARF_DESC_MAX     1000               /* xarf-core: description maxLength */
#define XARF_EVIDENCE_MAX (5u * 1024 * 1024) /* xarf-core: evidence item size maximum */

static const struct {
	const char *portal, *category, *type;
} map[] = {
    {"phishing", "content", "phishing"},
    {"malware", "content", "malware"},
    {"botnet-c2", "infrastructure", "botnet"},
    {"spam", "messaging", "spam"},
    {"misleading-name", "content", "brand_infringement"},
    {"other", "reputation", "threat_intelligence"},
};

/* A UUID (version 4 layout) derived from the portal's base URL and the report id, so that the
 * same report exported twice keeps its report_id and receivers can deduplicate. */
static void report_uuid(const char *base, int64_t id, char out[37])
{
	char seed[400];
	snprintf(seed, sizeof(seed), "ssrwatch-xarf|%s|%lld", base, (long long)id);
	uint8_t h[SSR_SHA256_LEN];
	ssr_sha256(seed, strlen(seed), h);
	h[6] = (uint8_t)((h[6] & 0x0f) | 0x40);
	h[8] = (uint8_t)((h[8] & 0x3f) | 0x80);
	char hex[33];
	ssr_hex(h, 16, hex);
	snprintf(out, 37, "%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12, hex + 16, hex + 20);
}

/* The length of s cut to at most max bytes at a UTF-8 character boundary. */
static size_t utf8_cut(const char *s, size_t max)
{
	size_t l = strlen(s);
	if (l > max) {
		l = max;
		while (l > 0 && ((unsigned char)s[l] & 0xc0) == 0x80) {
			l--;
		}
	}
	return l;
}

static json_t *contact(const char *org, const char *email)
{
	json_t *c = json_object();
	json_object_set_new(c, "org", json_string(org));
	json_object_set_new(c, "contact", json_string(email));
	const char *at = strrchr(email, '@');
	json_object_set_new(c, "domain", json_string(at && at[1] ? at + 1 : "localhost"));
	return c;
}

int portal_xarf(ssr_portal_t *p, ssr_store_t *st, int64_t report_id, int64_t received, json_t *body,
                const char *domain, bool with_reporter, json_t **out, ssr_diag_t *diag)
{
	const char *cat = json_string_value(json_object_get(body, "category"));
	size_t m = 0;
	while (m < sizeof(map) / sizeof(map[0]) - 1 &&
	       (cat == NULL || strcmp(cat, map[m].portal))) {
		m++;
	}
	json_t *ev = json_object_get(body, "evidence");
	json_t *x = json_object();
	char t[21], uuid[37];
	report_uuid(p->base_url, report_id, uuid);
	json_object_set_new(x, "xarf_version", json_string("4.0.0"));
	json_object_set_new(x, "report_id", json_string(uuid));
	json_t *obs = json_object_get(ev, "observed");
	ssr_time_format(json_is_integer(obs) ? json_integer_value(obs) : received, t);
	json_object_set_new(x, "timestamp", json_string(t));
	/* the sender is the portal; the reporter's contact only where the reporter asks for it */
	const char *from = p->cfg.smtp_from ? p->cfg.smtp_from : "ssrwatch@localhost";
	json_t *rep = json_object_get(body, "reporter");
	const char *remail = json_string_value(json_object_get(rep, "email"));
	const char *rname = json_string_value(json_object_get(rep, "name"));
	if (with_reporter && remail) {
		json_object_set_new(x, "reporter", contact(rname ? rname : remail, remail));
	} else {
		json_object_set_new(
		    x, "reporter",
		    contact("ssrwatch abuse portal (on behalf of a reporter)", from));
	}
	json_object_set_new(x, "sender", contact("ssrwatch abuse portal", from));
	json_object_set_new(x, "source_identifier", json_string(domain));
	json_object_set_new(x, "category", json_string(map[m].category));
	json_object_set_new(x, "type", json_string(map[m].type));
	/* a person's report; for spam XARF's own word for it (its type schema's enum) */
	json_object_set_new(
	    x, "evidence_source",
	    json_string(strcmp(map[m].type, "spam") == 0 ? "user_complaint" : "user_report"));
	json_object_set_new(x, "domain", json_string(domain));
	/* the first reported URL on this domain, else the domain's root */
	const char *url = NULL;
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(body, "targets"), i, v)
	{
		const char *in = json_string_value(json_object_get(v, "input"));
		const char *d = json_string_value(json_object_get(v, "domain"));
		if (url == NULL && in && d && strcmp(d, domain) == 0 && strstr(in, "://")) {
			url = in;
		}
	}
	char root[300];
	snprintf(root, sizeof(root), "http://%s/", domain);
	json_object_set_new(x, "url", json_string(url ? url : root));
	const char *desc = json_string_value(json_object_get(ev, "description"));
	if (desc) {
		json_object_set_new(x, "description",
		                    json_stringn(desc, utf8_cut(desc, XARF_DESC_MAX)));
	}
	const char *imit = json_string_value(json_object_get(ev, "imitates"));
	if (imit) {
		json_object_set_new(x, "target_brand", json_string(imit));
	}
	const char *sha = json_string_value(json_object_get(ev, "sample_sha256"));
	if (sha) {
		json_t *fh = json_object();
		json_object_set_new(fh, "sha256", json_string(sha));
		json_object_set_new(x, "file_hashes", fh);
	}
	if (strcmp(map[m].type, "spam") == 0) {
		/* messaging-spam.json: protocol smtp needs the envelope sender and source port */
		json_object_set_new(x, "protocol", json_string("smtp"));
		json_t *f = json_object_get(ev, "smtp_from"),
		       *port = json_object_get(ev, "source_port");
		if (json_is_string(f)) {
			json_object_set(x, "smtp_from", f);
		}
		if (json_is_integer(port)) {
			json_object_set(x, "source_port", port);
		}
		json_t *subj = json_object_get(ev, "subject");
		if (json_is_string(subj)) {
			json_object_set(x, "subject", subj);
		}
	}
	if (strcmp(map[m].type, "brand_infringement") == 0) {
		json_object_set_new(x, "infringement_type", json_string("lookalike"));
		json_t *legit = json_object_get(ev, "legitimate_site");
		if (json_is_string(legit)) {
			json_object_set(x, "legitimate_site", legit);
		}
	}
	if (strcmp(map[m].type, "botnet") == 0) {
		/* infrastructure-botnet.json: how the compromise was seen (the report's words) */
		size_t dl = desc ? utf8_cut(desc, 200) : 0;
		char ce[300];
		snprintf(ce, sizeof(ce), "command and control server reported by a user%s%.*s",
		         desc ? ": " : "", (int)dl, desc ? desc : "");
		json_object_set_new(x, "compromise_evidence", json_string(ce));
	}
	if (strcmp(map[m].category, "reputation") == 0) {
		json_object_set_new(x, "threat_type", json_string("abuse_report"));
	}
	json_t *ips = json_object_get(body, "ips");
	if (json_array_size(ips) > 0) {
		json_object_set(x, "source_ips", ips);
	}
	/* evidence: the attachments (their bytes), then the evidence URLs as text */
	json_t *items = json_array();
	ssr_attachment_t *att = NULL;
	size_t natt = 0;
	int rc = ssr_store_attachments(st, report_id, &att, &natt, diag);
	if (rc != SSR_EOK) {
		json_decref(items);
		json_decref(x);
		return rc;
	}
	for (size_t k = 0; k < natt; k++) {
		const ssr_attachment_t *f = &att[k];
		if ((uint64_t)f->size > XARF_EVIDENCE_MAX) {
			continue;
		}
		char hash[80];
		snprintf(hash, sizeof(hash), "sha256:%s", f->sha256 ? f->sha256 : "");
		json_t *e = json_object();
		json_object_set_new(e, "content_type", json_string(f->type ? f->type : ""));
		json_object_set_new(e, "payload", json_string(f->data_b64 ? f->data_b64 : ""));
		json_object_set_new(e, "description", json_string(f->name ? f->name : ""));
		json_object_set_new(e, "hash", json_string(hash));
		json_object_set_new(e, "size", json_integer(f->size));
		json_array_append_new(items, e);
	}
	ssr_store_attachments_free(att, natt);
	json_t *urls = json_object_get(ev, "urls");
	if (json_array_size(urls) > 0) {
		char *txt = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&txt, &len);
		if (f != NULL) {
			json_array_foreach(urls, i, v)
			{
				fprintf(f, "%s\n", json_string_value(v));
			}
			fclose(f);
			char *b64 = malloc(ssr_base64_len(len) + 1);
			if (b64 != NULL) {
				ssr_base64_encode((const uint8_t *)txt, len, b64);
				json_t *e = json_object();
				json_object_set_new(e, "content_type",
				                    json_string("text/uri-list"));
				json_object_set_new(e, "payload", json_string(b64));
				json_object_set_new(e, "description", json_string("evidence URLs"));
				json_object_set_new(e, "size", json_integer((json_int_t)len));
				json_array_append_new(items, e);
				free(b64);
			}
			free(txt);
		}
	}
	if (json_array_size(items) > 0) {
		json_object_set_new(x, "evidence", items);
	} else {
		json_decref(items);
	}
	json_t *tags = json_array();
	char tag[80];
	snprintf(tag, sizeof(tag), "ssrwatch:report-%lld", (long long)report_id);
	json_array_append_new(tags, json_string(tag));
	snprintf(tag, sizeof(tag), "ssrwatch:category-%s", cat ? cat : "other");
	json_array_append_new(tags, json_string(tag));
	json_object_set_new(x, "tags", tags);
	*out = x;
	return SSR_EOK;
}

int portal_case_xarf(ssr_portal_t *p, ssr_store_t *st, json_t *kase, json_t **out, ssr_diag_t *diag)
{
	json_t *a = json_array();
	const char *domain = json_string_value(json_object_get(kase, "domain"));
	size_t i;
	json_t *r;
	json_array_foreach(json_object_get(kase, "reports_received"), i, r)
	{
		json_t *x = NULL;
		int rc = portal_xarf(p, st, json_integer_value(json_object_get(r, "id")),
		                     json_integer_value(json_object_get(r, "received")),
		                     json_object_get(r, "report"), domain ? domain : "", false, &x,
		                     diag);
		if (rc != SSR_EOK) {
			json_decref(a);
			return rc;
		}
		json_array_append_new(a, x);
	}
	*out = a;
	return SSR_EOK;
}
