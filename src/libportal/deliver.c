/* ssrwatch — delivery: every party a case is routed to gets it the way its profile says, by
 * e-mail (SMTP through libcurl: a text part and the XARF reports as a JSON attachment) and/or a
 * signed webhook (HTTP POST, JSON, HMAC-SHA256 over "timestamp.body" with the party's secret).
 * Each attempt is logged; failures retry with exponential backoff up to retry-max attempts. */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cases.h"
#include "work.h"
#include "xarf.h"
#include "ssrwatch/crypto.h"

#define DETAIL_MAX 300

typedef struct {
	int64_t id, at, next_at;
	int attempt;
	const char *state;
	char detail[DETAIL_MAX];
} attempt_t;

static int attempt_write(ssr_store_t *st, void *ctx, ssr_diag_t *diag)
{
	attempt_t *a = ctx;
	return ssr_store_delivery_attempt(st, a->id, a->attempt, a->at, a->state, a->next_at,
	                                  a->detail, diag);
}

/* The mail's text: what happened, where, what to do, and the evidence in words. */
static char *mail_text(ssr_portal_t *p, json_t *kase, const ssr_party_t *party, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);
	if (f == NULL) {
		return NULL;
	}
	long long id = (long long)json_integer_value(json_object_get(kase, "id"));
	fprintf(f,
	        "Abuse report for %s (%s), case #%lld\n\n"
	        "The ssrwatch abuse portal received %lld report(s) from %lld reporter(s) about\n"
	        "this domain and routed the case to you as %s.\n\n"
	        "Acknowledge and resolve the case at %s/cases/%lld (or through the API,\n"
	        "docs/API.md); your response times are published at %s/stats.\n\n"
	        "The reports follow; the attached JSON carries them in XARF v4.\n",
	        json_string_value(json_object_get(kase, "domain")),
	        json_string_value(json_object_get(kase, "category")), id,
	        (long long)json_integer_value(json_object_get(kase, "reports")),
	        (long long)json_integer_value(json_object_get(kase, "reporters")), party->name,
	        p->base_url, id, p->base_url);
	size_t i, k;
	json_t *r, *v;
	json_array_foreach(json_object_get(kase, "reports_received"), i, r)
	{
		json_t *rep = json_object_get(r, "report"), *ev = json_object_get(rep, "evidence");
		fprintf(f, "\n--- report #%lld ---\n",
		        (long long)json_integer_value(json_object_get(r, "id")));
		json_array_foreach(json_object_get(rep, "targets"), k, v)
		{
			fprintf(f, "Reported: %s\n",
			        json_string_value(json_object_get(v, "input")));
		}
		json_array_foreach(json_object_get(rep, "ips"), k, v)
		{
			fprintf(f, "IP address: %s\n", json_string_value(v));
		}
		const char *s = json_string_value(json_object_get(ev, "imitates"));
		if (s) {
			fprintf(f, "Imitates: %s\n", s);
		}
		if ((s = json_string_value(json_object_get(ev, "sample_sha256"))) != NULL) {
			fprintf(f, "Sample SHA-256: %s\n", s);
		}
		json_array_foreach(json_object_get(ev, "urls"), k, v)
		{
			fprintf(f, "Evidence URL: %s\n", json_string_value(v));
		}
		if ((s = json_string_value(json_object_get(ev, "description"))) != NULL) {
			fprintf(f, "\n%s\n", s);
		}
	}
	fclose(f);
	return buf;
}

static size_t sink(char *ptr, size_t size, size_t n, void *ud)
{
	(void)ptr, (void)ud;
	return size * n;
}

/* Send the mail; 0 sent, else a failure described in detail. */
static int send_mail(ssr_portal_t *p, json_t *kase, const ssr_party_t *party, const char *xarf,
                     int64_t delivery_id, char detail[DETAIL_MAX])
{
	const char *to = party->email;
	if (p->cfg.smtp_url == NULL || to == NULL) {
		snprintf(detail, DETAIL_MAX, "%s",
		         to ? "e-mail delivery is not configured (smtp-url)"
		            : "party has no e-mail");
		return -1;
	}
	size_t tlen = 0;
	char *text = mail_text(p, kase, party, &tlen);
	CURL *c = curl_easy_init();
	if (c == NULL || text == NULL) {
		free(text);
		if (c) {
			curl_easy_cleanup(c);
		}
		snprintf(detail, DETAIL_MAX, "out of memory");
		return -1;
	}
	long long id = (long long)json_integer_value(json_object_get(kase, "id"));
	const char *domain = json_string_value(json_object_get(kase, "domain"));
	char from[300], rcpt[300], h[5][400], fname[64];
	snprintf(from, sizeof(from), "<%s>", p->cfg.smtp_from);
	snprintf(rcpt, sizeof(rcpt), "<%s>", to);
	time_t now = (time_t)portal_now(p);
	struct tm tm;
	gmtime_r(&now, &tm);
	char date[64];
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000", &tm);
	snprintf(h[0], sizeof(h[0]), "Date: %s", date);
	snprintf(h[1], sizeof(h[1]), "From: ssrwatch abuse portal <%s>", p->cfg.smtp_from);
	snprintf(h[2], sizeof(h[2]), "To: <%s>", to);
	snprintf(h[3], sizeof(h[3]), "Subject: [ssrwatch case %lld] %s abuse report: %s", id,
	         json_string_value(json_object_get(kase, "category")), domain);
	const char *at = strrchr(p->cfg.smtp_from, '@');
	/* the same for every attempt of the delivery: a mail sent again (its instance was killed
	 * before it could record the send) is recognisably the same message */
	snprintf(h[4], sizeof(h[4]), "Message-ID: <delivery-%lld.case-%lld.party-%lld@%s>",
	         (long long)delivery_id, id, (long long)party->id, at ? at + 1 : "localhost");
	struct curl_slist *hdr = NULL, *rc_list = NULL;
	for (int i = 0; i < 5; i++) {
		hdr = curl_slist_append(hdr, h[i]);
	}
	rc_list = curl_slist_append(rc_list, rcpt);
	curl_mime *mime = curl_mime_init(c);
	curl_mimepart *part = curl_mime_addpart(mime);
	curl_mime_data(part, text, tlen);
	curl_mime_type(part, "text/plain; charset=utf-8");
	curl_mime_encoder(part, "quoted-printable");
	part = curl_mime_addpart(mime);
	curl_mime_data(part, xarf, strlen(xarf));
	curl_mime_type(part, "application/json");
	snprintf(fname, sizeof(fname), "xarf-case-%lld.json", id);
	curl_mime_filename(part, fname);
	curl_mime_encoder(part, "base64");
	curl_easy_setopt(c, CURLOPT_URL, p->cfg.smtp_url);
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rc_list);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(c, CURLOPT_MIMEPOST, mime);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)p->cfg.webhook_timeout_ms);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sink);
	CURLcode cc = curl_easy_perform(c);
	long code = 0;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	int rc = 0;
	if (cc != CURLE_OK) {
		snprintf(detail, DETAIL_MAX, "smtp '%s' to %s: %s (reply %ld)", p->cfg.smtp_url, to,
		         curl_easy_strerror(cc), code);
		rc = -1;
	} else {
		snprintf(detail, DETAIL_MAX, "mailed to %s (reply %ld)", to, code);
	}
	curl_mime_free(mime);
	curl_slist_free_all(hdr);
	curl_slist_free_all(rc_list);
	curl_easy_cleanup(c);
	free(text);
	return rc;
}

/* POST the webhook; 0 delivered (2xx), else the failure in detail. */
static int send_webhook(ssr_portal_t *p, json_t *kase, const ssr_party_t *party, json_t *xarf,
                        int64_t delivery_id, char detail[DETAIL_MAX])
{
	const char *url = party->webhook;
	const char *secret = party->secret;
	if (url == NULL) {
		snprintf(detail, DETAIL_MAX, "party has no webhook URL");
		return -1;
	}
	json_t *b = json_object();
	long long id = (long long)json_integer_value(json_object_get(kase, "id"));
	char link[400];
	snprintf(link, sizeof(link), "%s/cases/%lld", p->base_url, id);
	json_object_set_new(b, "event", json_string("case.routed"));
	json_object_set_new(b, "delivery_id", json_integer(delivery_id));
	json_t *c = json_object();
	static const char *const keys[] = {"id",     "domain", "tld",     "category",
	                                   "status", "opened", "reports", "reporters"};
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		json_object_set(c, keys[i], json_object_get(kase, keys[i]));
	}
	json_object_set_new(c, "link", json_string(link));
	json_object_set_new(b, "case", c);
	json_t *pj = json_object();
	json_object_set_new(pj, "id", json_integer(party->id));
	json_object_set_new(pj, "name", party->name ? json_string(party->name) : json_null());
	json_object_set_new(b, "party", pj);
	json_object_set(b, "xarf", xarf);
	char *body = json_dumps(b, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(b);
	CURL *cu = curl_easy_init();
	if (body == NULL || cu == NULL) {
		free(body);
		if (cu) {
			curl_easy_cleanup(cu);
		}
		snprintf(detail, DETAIL_MAX, "out of memory");
		return -1;
	}
	/* signature: HMAC-SHA256(secret, "<timestamp>.<body>"), hex; the timestamp lets the
	 * receiver refuse replays */
	long long ts = (long long)portal_now(p);
	char tsb[24], sig[200], tsh[64], idh[64];
	snprintf(tsb, sizeof(tsb), "%lld.", ts);
	size_t bl = strlen(body), tl = strlen(tsb);
	char *msg = malloc(tl + bl);
	uint8_t mac[SSR_SHA256_LEN];
	char hex[2 * SSR_SHA256_LEN + 1];
	if (msg == NULL) {
		free(body);
		curl_easy_cleanup(cu);
		snprintf(detail, DETAIL_MAX, "out of memory");
		return -1;
	}
	memcpy(msg, tsb, tl);
	memcpy(msg + tl, body, bl);
	const char *key = secret ? secret : "";
	ssr_hmac_sha256(key, strlen(key), msg, tl + bl, mac);
	free(msg);
	ssr_hex(mac, SSR_SHA256_LEN, hex);
	snprintf(sig, sizeof(sig), "X-Ssrwatch-Signature: t=%lld,v1=%s", ts, hex);
	snprintf(tsh, sizeof(tsh), "X-Ssrwatch-Timestamp: %lld", ts);
	snprintf(idh, sizeof(idh), "X-Ssrwatch-Delivery: %lld", (long long)delivery_id);
	struct curl_slist *hdr = curl_slist_append(NULL, "Content-Type: application/json");
	hdr = curl_slist_append(hdr, "X-Ssrwatch-Event: case.routed");
	hdr = curl_slist_append(hdr, sig);
	hdr = curl_slist_append(hdr, tsh);
	hdr = curl_slist_append(hdr, idh);
	hdr = curl_slist_append(hdr, "Expect:");
	curl_easy_setopt(cu, CURLOPT_URL, url);
	curl_easy_setopt(cu, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(cu, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(cu, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(cu, CURLOPT_POSTFIELDSIZE, (long)bl);
	curl_easy_setopt(cu, CURLOPT_TIMEOUT_MS, (long)p->cfg.webhook_timeout_ms);
	curl_easy_setopt(cu, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(cu, CURLOPT_USERAGENT, "ssrwatch-portal");
	curl_easy_setopt(cu, CURLOPT_WRITEFUNCTION, sink);
	CURLcode cc = curl_easy_perform(cu);
	long code = 0;
	curl_easy_getinfo(cu, CURLINFO_RESPONSE_CODE, &code);
	int rc = 0;
	if (cc != CURLE_OK) {
		snprintf(detail, DETAIL_MAX, "webhook '%.200s': %s", url, curl_easy_strerror(cc));
		rc = -1;
	} else if (code < 200 || code > 299) {
		snprintf(detail, DETAIL_MAX, "webhook '%.200s': HTTP status %ld", url, code);
		rc = -1;
	} else {
		snprintf(detail, DETAIL_MAX, "HTTP status %ld", code);
	}
	curl_slist_free_all(hdr);
	curl_easy_cleanup(cu);
	free(body);
	return rc;
}

void portal_deliver_one(ssr_portal_t *p, const ssr_delivery_due_t *due)
{
	attempt_t a = {.id = due->id, .attempt = (int)due->attempts + 1, .at = portal_now(p)};
	int64_t case_id = due->case_id;
	int64_t party_id = due->party_id;
	const char *channel = due->channel ? due->channel : "";
	ssr_store_t *st = portal_pool_get(&p->pool);
	ssr_diag_t d;
	json_t *kase = NULL, *xarf = NULL;
	ssr_party_t party = {0};
	/* parties never see who reported */
	int rc = portal_case_document(st, case_id, false, &kase, &d);
	if (rc == SSR_EOK) {
		rc = ssr_store_party_get(st, party_id, true, &party, &d);
	}
	if (rc == SSR_EOK) {
		rc = portal_case_xarf(p, st, kase, &xarf, &d);
	}
	portal_pool_put(&p->pool, st);
	int sent = -1;
	if (rc != SSR_EOK) {
		snprintf(a.detail, sizeof(a.detail), "%.290s", d.msg);
	} else if (strcmp(channel, "email") == 0) {
		char *x = json_dumps(xarf, JSON_INDENT(2) | JSON_SORT_KEYS);
		sent = x ? send_mail(p, kase, &party, x, a.id, a.detail) : -1;
		free(x);
	} else {
		sent = send_webhook(p, kase, &party, xarf, a.id, a.detail);
	}
	bool unconfigured = strcmp(channel, "email") == 0 && p->cfg.smtp_url == NULL;
	if (sent == 0) {
		a.state = "sent";
	} else if ((unsigned)a.attempt >= p->cfg.retry_max || unconfigured) {
		a.state = "failed";
	} else {
		int64_t delay = (int64_t)p->cfg.retry_base_s
		                << (a.attempt < 12 ? a.attempt - 1 : 11);
		a.state = "retry";
		a.next_at = a.at + (delay > 86400 ? 86400 : delay);
	}
	if (portal_writer_run(&p->writer, attempt_write, &a, &d) != SSR_EOK) {
		ssr_log(&p->cfg.log, SSR_LOG_ERROR, "portal", "delivery %lld: %s", (long long)a.id,
		        d.msg);
	} else if (sent != 0) {
		ssr_log(&p->cfg.log, SSR_LOG_NOTICE, "portal",
		        "delivery %lld (case %lld, %s) %s: %s", (long long)a.id, (long long)case_id,
		        channel, a.state, a.detail);
	}
	json_decref(kase);
	ssr_store_party_release(&party);
	json_decref(xarf);
}
