/* librss: the inputs an operator writes: the RSI list (root hints or a plain list) and the
 * exclusions published with a report (RSSAC047 [raz] [hnr] [xjv] [dew]). */
#include <arpa/inet.h>
#include <ctype.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rss_priv.h"
#include "ssrwatch/date.h"
#include "ssrwatch/lines.h"

#define MAX_LINE 1024
#define MAX_EXCL 100000

/* Split s into at most max whitespace-separated words (s is modified). */
static size_t words(char *s, char **w, size_t max)
{
	size_t n = 0;
	char *p = s;
	while (*p && n < max) {
		while (*p && isspace((unsigned char)*p)) {
			p++;
		}
		if (!*p || *p == '#' || *p == ';') {
			break;
		}
		w[n++] = p;
		while (*p && !isspace((unsigned char)*p)) {
			p++;
		}
		if (*p) {
			*p++ = 0;
		}
	}
	return n;
}

bool ssr_rss_addr_parse(const char *s, int want, struct sockaddr_storage *a, socklen_t *len)
{
	char host[64];
	unsigned long port = 53;
	const char *colon = strrchr(s, ':');
	memset(a, 0, sizeof(*a));
	if (s[0] == '[') {
		const char *e = strchr(s, ']');
		if (e == NULL || (size_t)(e - s - 1) >= sizeof host) {
			return false;
		}
		memcpy(host, s + 1, (size_t)(e - s - 1));
		host[e - s - 1] = 0;
		if (e[1] == ':') {
			char *end;
			port = strtoul(e + 2, &end, 10);
			if (*end || port == 0 || port > 65535) {
				return false;
			}
		} else if (e[1] != 0) {
			return false;
		}
	} else if (colon != NULL && strchr(s, ':') == colon) { /* one colon: IPv4 with a port */
		if ((size_t)(colon - s) >= sizeof host) {
			return false;
		}
		memcpy(host, s, (size_t)(colon - s));
		host[colon - s] = 0;
		char *end;
		port = strtoul(colon + 1, &end, 10);
		if (*end || port == 0 || port > 65535) {
			return false;
		}
	} else {
		if (strlen(s) >= sizeof host) {
			return false;
		}
		snprintf(host, sizeof host, "%s", s);
	}
	struct sockaddr_in *a4 = (struct sockaddr_in *)a;
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)a;
	if (want != 6 && inet_pton(AF_INET, host, &a4->sin_addr) == 1) {
		a4->sin_family = AF_INET;
		a4->sin_port = htons((uint16_t)port);
		*len = sizeof(*a4);
		return true;
	}
	if (want != 4 && inet_pton(AF_INET6, host, &a6->sin6_addr) == 1) {
		a6->sin6_family = AF_INET6;
		a6->sin6_port = htons((uint16_t)port);
		*len = sizeof(*a6);
		return true;
	}
	return false;
}

static int rsi_cmp(const void *a, const void *b)
{
	return strcmp(((const ssr_rss_rsi_t *)a)->id, ((const ssr_rss_rsi_t *)b)->id);
}

/* The RSI of id in out[0..*n), added when new. */
static ssr_rss_rsi_t *rsi_get(ssr_rss_rsi_t *out, size_t cap, size_t *n, const char *id)
{
	for (size_t i = 0; i < *n; i++) {
		if (strcmp(out[i].id, id) == 0) {
			return &out[i];
		}
	}
	if (*n == cap) {
		return NULL;
	}
	ssr_rss_rsi_t *r = &out[(*n)++];
	memset(r, 0, sizeof(*r));
	snprintf(r->id, sizeof r->id, "%s", id);
	return r;
}

int ssr_rss_rsi_load(const char *path, ssr_rss_rsi_t *out, size_t cap, size_t *n, ssr_diag_t *diag)
{
	*n = 0;
	ssr_lines_t *lr;
	int rc = ssr_lines_open(path, MAX_LINE, &lr, diag);
	if (rc != SSR_EOK) {
		return rc;
	}
	const char *p;
	size_t len;
	bool too_long;
	while ((rc = ssr_lines_next(lr, &p, &len, &too_long, diag)) == 1) {
		unsigned long ln = (unsigned long)ssr_lines_number(lr);
		if (too_long) {
			rc = ssr_diag_set(diag, SSR_EPARSE, "rsi list '%s' line %lu: too long",
			                  path, ln);
			break;
		}
		char buf[MAX_LINE + 1], *w[8];
		memcpy(buf, p, len);
		buf[len] = 0;
		size_t nw = words(buf, w, 8);
		if (nw == 0) {
			continue;
		}
		ssr_rss_rsi_t *r;
		if (nw >= 4 && (strcasecmp(w[2], "A") == 0 || strcasecmp(w[2], "AAAA") == 0 ||
		                strcasecmp(w[2], "NS") == 0)) {
			/* root hints: NAME TTL TYPE DATA */
			if (strcasecmp(w[2], "NS") == 0) {
				continue;
			}
			char id[16] = "", name[80];
			snprintf(name, sizeof name, "%s", w[0]);
			for (char *c = name; *c; c++) {
				*c = (char)tolower((unsigned char)*c);
			}
			size_t l = strcspn(name, ".");
			if (l == 0 || l >= sizeof id ||
			    strcmp(name + l, ".root-servers.net.") != 0) {
				/* a name of another form: the whole name is the id */
				l = strlen(name) < sizeof id ? strlen(name) : sizeof id - 1;
			}
			memcpy(id, name, l);
			id[l] = 0;
			if ((r = rsi_get(out, cap, n, id)) == NULL) {
				rc = ssr_diag_set(diag, SSR_ELIMIT,
				                  "rsi list '%s' line %lu: more than %zu RSIs",
				                  path, ln, cap);
				break;
			}
			snprintf(r->name, sizeof r->name, "%s", name);
			int fam = strcasecmp(w[2], "A") == 0 ? 4 : 6;
			if (!ssr_rss_addr_parse(w[3], fam, &r->addr[fam == 6],
			                        &r->addr_len[fam == 6])) {
				rc = ssr_diag_set(diag, SSR_EPARSE,
				                  "rsi list '%s' line %lu: bad address '%s'", path,
				                  ln, w[3]);
				break;
			}
			continue;
		}
		/* a list: ID ADDR [ADDR] */
		if (nw < 2 || nw > 3 || strlen(w[0]) >= sizeof(r->id)) {
			rc = ssr_diag_set(
			    diag, SSR_EPARSE,
			    "rsi list '%s' line %lu: want 'ID IPV4 [IPV6]' or a root hints line",
			    path, ln);
			break;
		}
		if ((r = rsi_get(out, cap, n, w[0])) == NULL) {
			rc = ssr_diag_set(diag, SSR_ELIMIT,
			                  "rsi list '%s' line %lu: more than %zu RSIs", path, ln,
			                  cap);
			break;
		}
		snprintf(r->name, sizeof r->name, "%s.root-servers.net.", w[0]);
		for (size_t i = 1; i < nw; i++) {
			struct sockaddr_storage a;
			socklen_t al;
			if (!ssr_rss_addr_parse(w[i], 0, &a, &al)) {
				rc = ssr_diag_set(diag, SSR_EPARSE,
				                  "rsi list '%s' line %lu: bad address '%s'", path,
				                  ln, w[i]);
				goto done;
			}
			int f = a.ss_family == AF_INET6;
			if (r->addr_len[f] != 0) {
				rc = ssr_diag_set(
				    diag, SSR_EPARSE,
				    "rsi list '%s' line %lu: RSI '%s' has two IPv%d addresses",
				    path, ln, r->id, f ? 6 : 4);
				goto done;
			}
			r->addr[f] = a;
			r->addr_len[f] = al;
		}
	}
done:
	ssr_lines_free(lr);
	if (rc < 0) {
		return rc;
	}
	if (*n == 0) {
		return ssr_diag_set(diag, SSR_EPARSE, "rsi list '%s': no RSI", path);
	}
	qsort(out, *n, sizeof(*out), rsi_cmp);
	return SSR_EOK;
}

/* "YYYY-MM-DDTHH:MM:SSZ" into microseconds since the epoch. */
static bool time_parse(const char *s, int64_t *us)
{
	int64_t t;
	if (ssr_time_parse(s, &t) != SSR_EOK) {
		return false;
	}
	*us = t * 1000000;
	return true;
}

int ssr_rss_excl_load(const char *path, ssr_rss_excl_t **out, size_t *n, ssr_diag_t *diag)
{
	*out = NULL;
	*n = 0;
	ssr_lines_t *lr;
	int rc = ssr_lines_open(path, MAX_LINE, &lr, diag);
	if (rc != SSR_EOK) {
		return rc;
	}
	ssr_rss_excl_t *v = NULL;
	size_t cap = 0;
	const char *p;
	size_t len;
	bool too_long;
	while ((rc = ssr_lines_next(lr, &p, &len, &too_long, diag)) == 1) {
		unsigned long ln = (unsigned long)ssr_lines_number(lr);
		char buf[MAX_LINE + 1], *w[5];
		memcpy(buf, p, len);
		buf[len] = 0;
		char *hash = strchr(buf, '#');
		if (hash != NULL) {
			*hash = 0;
		}
		/* the reason is the rest of the line: split only the first four words */
		char *q = buf;
		size_t nw = 0;
		while (nw < 4) {
			while (*q && isspace((unsigned char)*q)) {
				q++;
			}
			if (!*q) {
				break;
			}
			w[nw++] = q;
			while (*q && !isspace((unsigned char)*q)) {
				q++;
			}
			if (*q) {
				*q++ = 0;
			}
		}
		while (*q && isspace((unsigned char)*q)) {
			q++;
		}
		if (too_long) {
			rc = ssr_diag_set(diag, SSR_EPARSE, "exclusions '%s' line %lu: too long",
			                  path, ln);
			break;
		}
		if (nw == 0) {
			continue;
		}
		ssr_rss_excl_t e = {0};
		if (nw < 4 || *q == 0) {
			rc = ssr_diag_set(diag, SSR_EPARSE,
			                  "exclusions '%s' line %lu: want 'VP RSI FROM TO REASON'",
			                  path, ln);
			break;
		}
		if (strlen(w[0]) >= sizeof e.vp || strlen(w[1]) >= sizeof e.rsi) {
			rc = ssr_diag_set(diag, SSR_EPARSE,
			                  "exclusions '%s' line %lu: VP or RSI too long", path, ln);
			break;
		}
		if (!time_parse(w[2], &e.from_us) || !time_parse(w[3], &e.to_us) ||
		    e.to_us <= e.from_us) {
			rc =
			    ssr_diag_set(diag, SSR_EPARSE,
			                 "exclusions '%s' line %lu: bad time range '%s' '%s' (want "
			                 "YYYY-MM-DDTHH:MM:SSZ, FROM before TO)",
			                 path, ln, w[2], w[3]);
			break;
		}
		snprintf(e.vp, sizeof e.vp, "%s", w[0]);
		snprintf(e.rsi, sizeof e.rsi, "%s", w[1]);
		size_t rl = strlen(q);
		while (rl > 0 && isspace((unsigned char)q[rl - 1])) {
			rl--;
		}
		if (rl >= sizeof e.reason) {
			rc = ssr_diag_set(diag, SSR_EPARSE,
			                  "exclusions '%s' line %lu: reason over %zu bytes", path,
			                  ln, sizeof e.reason - 1);
			break;
		}
		memcpy(e.reason, q, rl);
		e.reason[rl] = 0;
		if (*n == MAX_EXCL) {
			rc = ssr_diag_set(diag, SSR_ELIMIT, "exclusions '%s': more than %d", path,
			                  MAX_EXCL);
			break;
		}
		if (*n == cap) {
			cap = cap ? 2 * cap : 16;
			ssr_rss_excl_t *nv = realloc(v, cap * sizeof(*nv));
			if (nv == NULL) {
				rc = ssr_diag_set(diag, SSR_ENOMEM, "out of memory");
				break;
			}
			v = nv;
		}
		v[(*n)++] = e;
	}
	ssr_lines_free(lr);
	if (rc < 0) {
		free(v);
		*n = 0;
		return rc;
	}
	*out = v;
	return SSR_EOK;
}
