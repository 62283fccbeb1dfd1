/* ssrwatch — RDAP: bootstrap registries (RFC 9224), lookups (RFC 9082), answers (RFC 9083). */
#include <arpa/inet.h>
#include <curl/curl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ssrwatch/rdap.h"

typedef struct {
	char *key;        /* a domain suffix, or an address prefix */
	uint8_t addr[16]; /* IP: the prefix */
	int bits;         /* IP: prefix length */
	char *url;
} boot_entry_t;

struct ssr_rdap_boot {
	ssr_rdap_space_t space;
	boot_entry_t *e;
	size_t n;
};

void ssr_rdap_boot_free(ssr_rdap_boot_t *b)
{
	if (b == NULL) {
		return;
	}
	for (size_t i = 0; i < b->n; i++) {
		free(b->e[i].key);
		free(b->e[i].url);
	}
	free(b->e);
	free(b);
}

/* "192.0.2.0/24" or "2001:db8::/32" */
static bool parse_prefix(const char *s, ssr_rdap_space_t space, uint8_t addr[16], int *bits)
{
	const char *slash = strchr(s, '/');
	char a[64];
	size_t al = slash ? (size_t)(slash - s) : strlen(s);
	if (al >= sizeof(a)) {
		return false;
	}
	memcpy(a, s, al);
	a[al] = '\0';
	int max = space == SSR_RDAP_IPV4 ? 32 : 128;
	memset(addr, 0, 16);
	if (inet_pton(space == SSR_RDAP_IPV4 ? AF_INET : AF_INET6, a, addr) != 1) {
		return false;
	}
	*bits = max;
	if (slash) {
		char *end;
		long v = strtol(slash + 1, &end, 10);
		if (*end || end == slash + 1 || v < 0 || v > max) {
			return false;
		}
		*bits = (int)v;
	}
	return true;
}

int ssr_rdap_boot_parse(const char *text, size_t len, const char *name, ssr_rdap_space_t space,
                        ssr_rdap_boot_t **out, ssr_diag_t *diag)
{
	json_error_t je;
	json_t *j = json_loadb(text, len, 0, &je);
	if (j == NULL) {
		return ssr_diag_set(diag, SSR_EPARSE, "rdap bootstrap '%s' line %d column %d: %s",
		                    name, je.line, je.column, je.text);
	}
	json_t *services = json_object_get(j, "services");
	if (!json_is_array(services)) {
		json_decref(j);
		return ssr_diag_set(diag, SSR_EPARSE, "rdap bootstrap '%s': no 'services' array",
		                    name);
	}
	ssr_rdap_boot_t *b = calloc(1, sizeof(*b));
	if (b == NULL) {
		json_decref(j);
		return ssr_diag_set(diag, SSR_ENOMEM, "rdap bootstrap: out of memory");
	}
	b->space = space;
	int rc = SSR_EOK;
	size_t i, k;
	json_t *svc, *key;
	json_array_foreach(services, i, svc)
	{
		json_t *keys = json_array_get(svc, 0), *urls = json_array_get(svc, 1);
		if (!json_is_array(svc) || !json_is_array(keys) || !json_is_array(urls)) {
			rc = ssr_diag_set(
			    diag, SSR_EPARSE,
			    "rdap bootstrap '%s' service %zu: expected [[keys], [urls]]", name, i);
			break;
		}
		/* an https URL first, else the first one */
		const char *url = NULL;
		json_t *u;
		json_array_foreach(urls, k, u)
		{
			const char *s = json_string_value(u);
			if (s && strncmp(s, "https://", 8) == 0) {
				url = s;
				break;
			}
			if (s && url == NULL && strncmp(s, "http://", 7) == 0) {
				url = s;
			}
		}
		if (url == NULL) {
			rc = ssr_diag_set(diag, SSR_EPARSE,
			                  "rdap bootstrap '%s' service %zu: no http(s) URL", name,
			                  i);
			break;
		}
		json_array_foreach(keys, k, key)
		{
			const char *ks = json_string_value(key);
			if (ks == NULL || strlen(ks) > 255) {
				rc = ssr_diag_set(diag, SSR_EPARSE,
				                  "rdap bootstrap '%s' service %zu: bad entry",
				                  name, i);
				break;
			}
			boot_entry_t e = {0};
			if (space != SSR_RDAP_DNS && !parse_prefix(ks, space, e.addr, &e.bits)) {
				rc =
				    ssr_diag_set(diag, SSR_EPARSE,
				                 "rdap bootstrap '%s' service %zu: bad prefix '%s'",
				                 name, i, ks);
				break;
			}
			boot_entry_t *ne = realloc(b->e, (b->n + 1) * sizeof(*ne));
			if (ne == NULL) {
				rc =
				    ssr_diag_set(diag, SSR_ENOMEM, "rdap bootstrap: out of memory");
				break;
			}
			b->e = ne;
			size_t ul = strlen(url);
			e.key = strdup(ks);
			e.url = malloc(ul + 2);
			if (e.key == NULL || e.url == NULL) {
				free(e.key);
				free(e.url);
				rc =
				    ssr_diag_set(diag, SSR_ENOMEM, "rdap bootstrap: out of memory");
				break;
			}
			memcpy(e.url, url, ul + 1);
			if (ul == 0 || url[ul - 1] != '/') {
				e.url[ul] = '/', e.url[ul + 1] = '\0';
			}
			for (char *c = e.key; *c; c++) {
				*c = (char)(*c >= 'A' && *c <= 'Z' ? *c + 32 : *c);
			}
			b->e[b->n++] = e;
		}
		if (rc != SSR_EOK) {
			break;
		}
	}
	json_decref(j);
	if (rc == SSR_EOK && b->n == 0) {
		rc = ssr_diag_set(diag, SSR_EPARSE, "rdap bootstrap '%s': no entries", name);
	}
	if (rc != SSR_EOK) {
		ssr_rdap_boot_free(b);
		return rc;
	}
	*out = b;
	return SSR_EOK;
}

int ssr_rdap_boot_load(const char *path, ssr_rdap_space_t space, ssr_rdap_boot_t **out,
                       ssr_diag_t *diag)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL) {
		return ssr_diag_set(diag, SSR_EIO, "rdap bootstrap '%s': cannot open", path);
	}
	char *buf = malloc(16u << 20);
	size_t n = buf ? fread(buf, 1, 16u << 20, f) : 0;
	bool big = buf && n == 16u << 20;
	fclose(f);
	if (buf == NULL || big) {
		free(buf);
		return ssr_diag_set(diag, buf ? SSR_ELIMIT : SSR_ENOMEM, "rdap bootstrap '%s': %s",
		                    path, buf ? "larger than 16 MiB" : "out of memory");
	}
	int rc = ssr_rdap_boot_parse(buf, n, path, space, out, diag);
	free(buf);
	return rc;
}

static bool prefix_match(const uint8_t *a, const uint8_t *p, int bits)
{
	int full = bits / 8, rest = bits % 8;
	if (memcmp(a, p, (size_t)full) != 0) {
		return false;
	}
	if (rest == 0) {
		return true;
	}
	uint8_t mask = (uint8_t)(0xff << (8 - rest));
	return (a[full] & mask) == (p[full] & mask);
}

const char *ssr_rdap_boot_find(const ssr_rdap_boot_t *b, const char *key)
{
	const char *best = NULL;
	if (b->space == SSR_RDAP_DNS) {
		/* longest matching label suffix: "example.co.uk" tries "example.co.uk", "co.uk",
		 * "uk" */
		size_t best_len = 0, kl = strlen(key);
		for (size_t i = 0; i < b->n; i++) {
			size_t el = strlen(b->e[i].key);
			if (el > kl || el <= best_len) {
				continue;
			}
			const char *tail = key + kl - el;
			if (strcasecmp(tail, b->e[i].key) == 0 && (el == kl || tail[-1] == '.')) {
				best = b->e[i].url, best_len = el;
			}
		}
		return best;
	}
	uint8_t a[16] = {0};
	if (inet_pton(b->space == SSR_RDAP_IPV4 ? AF_INET : AF_INET6, key, a) != 1) {
		return NULL;
	}
	int best_bits = -1;
	for (size_t i = 0; i < b->n; i++) {
		if (b->e[i].bits > best_bits && prefix_match(a, b->e[i].addr, b->e[i].bits)) {
			best = b->e[i].url, best_bits = b->e[i].bits;
		}
	}
	return best;
}

/* ---- answers ------------------------------------------------------------------------------- */

static bool has_role(json_t *ent, const char *role)
{
	size_t i;
	json_t *r;
	json_array_foreach(json_object_get(ent, "roles"), i, r)
	{
		if (json_is_string(r) && strcasecmp(json_string_value(r), role) == 0) {
			return true;
		}
	}
	return false;
}

/* A jCard property's text value: ["fn", {}, "text", "Example"]; "tel" may be a URI. */
static const char *vcard_prop(json_t *ent, const char *prop)
{
	json_t *props = json_array_get(json_object_get(ent, "vcardArray"), 1);
	size_t i;
	json_t *p;
	json_array_foreach(props, i, p)
	{
		const char *name = json_string_value(json_array_get(p, 0));
		json_t *v = json_array_get(p, 3);
		if (name && strcasecmp(name, prop) == 0 && json_is_string(v)) {
			const char *s = json_string_value(v);
			if (strncmp(s, "mailto:", 7) == 0) {
				s += 7;
			}
			return s;
		}
		/* fn/org may be structured: take the first string */
		if (name && strcasecmp(name, prop) == 0 && json_is_array(v) &&
		    json_is_string(json_array_get(v, 0))) {
			return json_string_value(json_array_get(v, 0));
		}
	}
	return NULL;
}

static void copy(char *dst, size_t cap, const char *src)
{
	if (src != NULL) {
		snprintf(dst, cap, "%s", src);
	}
}

/* The first entity with role (depth-first, at most depth levels). */
static json_t *find_role(json_t *ents, const char *role, int depth)
{
	size_t i;
	json_t *e;
	json_array_foreach(ents, i, e)
	{
		if (json_is_object(e) && has_role(e, role)) {
			return e;
		}
	}
	if (depth > 0) {
		json_array_foreach(ents, i, e)
		{
			json_t *f = find_role(json_object_get(e, "entities"), role, depth - 1);
			if (f != NULL) {
				return f;
			}
		}
	}
	return NULL;
}

static void abuse_contact(json_t *scope, ssr_rdap_entity_t *out)
{
	json_t *ab = find_role(json_object_get(scope, "entities"), "abuse", 3);
	if (ab != NULL) {
		copy(out->email, sizeof(out->email), vcard_prop(ab, "email"));
		const char *tel = vcard_prop(ab, "tel");
		if (tel && strncmp(tel, "tel:", 4) == 0) {
			tel += 4;
		}
		copy(out->phone, sizeof(out->phone), tel);
	}
}

static json_t *load_answer(const char *body, size_t len, const char *want, ssr_diag_t *diag)
{
	json_error_t je;
	json_t *j = json_loadb(body, len, 0, &je);
	if (j == NULL) {
		ssr_diag_set(diag, SSR_EPARSE, "rdap answer line %d column %d: %s", je.line,
		             je.column, je.text);
		return NULL;
	}
	const char *cls = json_string_value(json_object_get(j, "objectClassName"));
	if (!json_is_object(j) || cls == NULL || strcmp(cls, want) != 0) {
		ssr_diag_set(diag, SSR_EPARSE, "rdap answer: not an RDAP %s object", want);
		json_decref(j);
		return NULL;
	}
	return j;
}

int ssr_rdap_domain_registrar(const char *body, size_t len, ssr_rdap_entity_t *out,
                              ssr_diag_t *diag)
{
	memset(out, 0, sizeof(*out));
	json_t *j = load_answer(body, len, "domain", diag);
	if (j == NULL) {
		return SSR_EPARSE;
	}
	json_t *reg = find_role(json_object_get(j, "entities"), "registrar", 0);
	if (reg == NULL) {
		json_decref(j);
		return ssr_diag_set(diag, SSR_ENOTFOUND, "rdap answer: no registrar entity");
	}
	size_t i;
	json_t *pid;
	json_array_foreach(json_object_get(reg, "publicIds"), i, pid)
	{
		const char *t = json_string_value(json_object_get(pid, "type"));
		const char *v = json_string_value(json_object_get(pid, "identifier"));
		if (t && v && strcasecmp(t, "IANA Registrar ID") == 0) {
			char *end;
			long long x = strtoll(v, &end, 10);
			if (*end == '\0' && x > 0) {
				out->iana_id = x;
			}
		}
	}
	copy(out->handle, sizeof(out->handle), json_string_value(json_object_get(reg, "handle")));
	const char *fn = vcard_prop(reg, "fn");
	copy(out->name, sizeof(out->name), fn ? fn : out->handle);
	abuse_contact(reg, out);
	json_decref(j);
	if (out->name[0] == '\0' && out->iana_id == 0) {
		return ssr_diag_set(diag, SSR_ENOTFOUND,
		                    "rdap answer: the registrar has no name or id");
	}
	return SSR_EOK;
}

int ssr_rdap_ip_holder(const char *body, size_t len, ssr_rdap_entity_t *out, ssr_diag_t *diag)
{
	memset(out, 0, sizeof(*out));
	json_t *j = load_answer(body, len, "ip network", diag);
	if (j == NULL) {
		return SSR_EPARSE;
	}
	json_t *reg = find_role(json_object_get(j, "entities"), "registrant", 1);
	const char *name = reg ? vcard_prop(reg, "fn") : NULL;
	const char *handle = reg ? json_string_value(json_object_get(reg, "handle")) : NULL;
	if (name == NULL) {
		name = json_string_value(json_object_get(j, "name"));
	}
	if (handle == NULL) {
		handle = json_string_value(json_object_get(j, "handle"));
	}
	copy(out->name, sizeof(out->name), name);
	copy(out->handle, sizeof(out->handle), handle);
	abuse_contact(j, out);
	json_decref(j);
	if (out->name[0] == '\0' || out->handle[0] == '\0') {
		return ssr_diag_set(diag, SSR_ENOTFOUND,
		                    "rdap answer: the network names no holder");
	}
	return SSR_EOK;
}

/* ---- HTTP ---------------------------------------------------------------------------- */

typedef struct {
	char *buf;
	size_t len;
	bool over;
} sink_t;

static size_t on_data(char *p, size_t size, size_t n, void *ctx)
{
	sink_t *s = ctx;
	size_t add = size * n;
	if (s->len + add > SSR_RDAP_MAX_BODY) {
		s->over = true;
		return 0;
	}
	char *nb = realloc(s->buf, s->len + add + 1);
	if (nb == NULL) {
		return 0;
	}
	memcpy(nb + s->len, p, add);
	s->buf = nb;
	s->len += add;
	s->buf[s->len] = '\0';
	return add;
}

int ssr_rdap_get(const char *url, unsigned timeout_ms, int *status, char **body, size_t *len,
                 ssr_diag_t *diag)
{
	*status = 0;
	*body = NULL;
	*len = 0;
	CURL *c = curl_easy_init();
	if (c == NULL) {
		return ssr_diag_set(diag, SSR_ENOMEM, "rdap: cannot start libcurl");
	}
	sink_t s = {0};
	struct curl_slist *h =
	    curl_slist_append(NULL, "Accept: application/rdap+json, application/json");
	char err[CURL_ERROR_SIZE] = "";
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &s);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)timeout_ms);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, (long)timeout_ms);
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(c, CURLOPT_MAXREDIRS, 3L);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "ssrwatch-portal");
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, err);
	CURLcode cc = curl_easy_perform(c);
	long code = 0;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	if (s.over) {
		free(s.buf);
		return ssr_diag_set(diag, SSR_ELIMIT, "rdap '%s': answer larger than %u bytes", url,
		                    SSR_RDAP_MAX_BODY);
	}
	if (cc != CURLE_OK) {
		free(s.buf);
		return ssr_diag_set(diag, SSR_EIO, "rdap '%s': %s", url,
		                    err[0] ? err : curl_easy_strerror(cc));
	}
	*status = (int)code;
	*body = s.buf ? s.buf : strdup("");
	*len = s.len;
	return *body ? SSR_EOK : ssr_diag_set(diag, SSR_ENOMEM, "rdap: out of memory");
}
