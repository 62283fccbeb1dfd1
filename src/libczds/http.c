/* libczds: bounded HTTP exchanges over libcurl (one easy handle per request; http and https
 * only; redirects not followed: the API does not send them). */
#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "czds_priv.h"

typedef struct {
	czds_http_t *r;
	FILE *file;
	uint64_t cap;
	bool over;
} sink_t;

static size_t on_body(char *p, size_t size, size_t n, void *ctx)
{
	sink_t *s = ctx;
	size_t l = size * n;
	if (s->file != NULL) {
		if (s->r->written + l > s->cap) {
			s->over = true;
			return 0;
		}
		size_t w = fwrite(p, 1, l, s->file);
		s->r->written += w;
		return w;
	}
	if (s->r->len + l > CZDS_MAX_BODY) {
		s->over = true;
		return 0;
	}
	char *nb = realloc(s->r->body, s->r->len + l + 1);
	if (nb == NULL) {
		return 0;
	}
	memcpy(nb + s->r->len, p, l);
	s->r->body = nb;
	s->r->len += l;
	nb[s->r->len] = '\0';
	return l;
}

static size_t on_header(char *p, size_t size, size_t n, void *ctx)
{
	sink_t *s = ctx;
	size_t l = size * n;
	char line[512];
	size_t c = l < sizeof line - 1 ? l : sizeof line - 1;
	memcpy(line, p, c);
	line[c] = '\0';
	line[strcspn(line, "\r\n")] = '\0';
	if (strncasecmp(line, "Last-Modified:", 14) == 0) {
		time_t t = curl_getdate(line + 14 + strspn(line + 14, " "), NULL);
		s->r->last_modified = t >= 0 ? (int64_t)t : -1;
	} else if (strncasecmp(line, "Content-Length:", 15) == 0) {
		char *end;
		long long v = strtoll(line + 15, &end, 10);
		s->r->length = end != line + 15 && v >= 0 ? v : -1;
	} else if (strncmp(line, "HTTP/", 5) == 0) {
		s->r->length = -1; /* a new response (after 100 Continue) */
	}
	return l;
}

int czds_http(const ssr_czds_opts_t *o, const char *method, const char *url, const char *token,
              const char *body, FILE *file, uint64_t from, long timeout_s, czds_http_t *r,
              ssr_diag_t *diag)
{
	memset(r, 0, sizeof(*r));
	r->last_modified = -1;
	r->length = -1;
	CURL *c = curl_easy_init();
	if (c == NULL) {
		return ssr_diag_set(diag, SSR_EIO, "czds: libcurl could not be set up");
	}
	struct curl_slist *h = NULL;
	char auth[8192];
	h = curl_slist_append(h, "Accept: application/json");
	if (body != NULL) {
		h = curl_slist_append(h, "Content-Type: application/json");
	}
	if (token != NULL) {
		snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
		h = curl_slist_append(h, auth);
	}
	sink_t s = {r, file, o->max_bytes ? o->max_bytes : ((uint64_t)64 << 30), false};
	char range[48];
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, timeout_s);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 30L);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "ssrwatch-czds");
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &s);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, &s);
	if (o->ca_file != NULL) {
		curl_easy_setopt(c, CURLOPT_CAINFO, o->ca_file);
	}
	if (strcmp(method, "HEAD") == 0) {
		curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
	} else if (strcmp(method, "POST") == 0) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body ? body : "");
	}
	if (from > 0) {
		snprintf(range, sizeof range, "%llu-", (unsigned long long)from);
		curl_easy_setopt(c, CURLOPT_RANGE, range);
	}
	char eb[CURL_ERROR_SIZE] = "";
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, eb);
	CURLcode cc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
	if (cc != CURLE_OK) {
		if (s.over) {
			snprintf(r->err, sizeof r->err, "larger than the cap");
		} else if (cc == CURLE_PARTIAL_FILE) {
			r->truncated = true;
			snprintf(r->err, sizeof r->err, "truncated: %.200s",
			         eb[0] ? eb : "short body");
		} else if (cc == CURLE_OPERATION_TIMEDOUT) {
			snprintf(r->err, sizeof r->err, "timeout after %ld s", timeout_s);
		} else {
			snprintf(r->err, sizeof r->err, "%.240s",
			         eb[0] ? eb : curl_easy_strerror(cc));
		}
		if (cc != CURLE_HTTP_RETURNED_ERROR && r->status >= 200 && r->status < 300) {
			r->status = 0; /* not a usable answer */
		}
	}
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	return SSR_EOK;
}

void czds_http_release(czds_http_t *r)
{
	free(r->body);
	r->body = NULL;
}
