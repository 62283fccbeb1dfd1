/* ssrwatch — feed specifications: "CATEGORY:NAME:FILE" and the feeds config file. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ssrwatch/abuse.h"
#include "ssrwatch/lines.h"

static bool good_name(const char *s, size_t n)
{
	if (n == 0 || n > 64) {
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '-' || c == '.')) {
			return false;
		}
	}
	return true;
}

int ssr_abuse_feed_parse(const char *spec, ssr_abuse_feed_t *out, ssr_diag_t *diag)
{
	const char *c1 = strchr(spec, ':');
	const char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
	if (c1 == NULL || c2 == NULL || c2[1] == '\0') {
		return ssr_diag_set(diag, SSR_EINVAL, "feed '%s': expected CATEGORY:NAME:FILE",
		                    spec);
	}
	memset(out, 0, sizeof(*out));
	if (ssr_abuse_category_parse(spec, (size_t)(c1 - spec), &out->category) != SSR_EOK) {
		return ssr_diag_set(diag, SSR_EINVAL,
		                    "feed '%s': unknown category '%.*s' (phishing, malware, "
		                    "botnet_cc or spam)",
		                    spec, (int)(c1 - spec), spec);
	}
	if (!good_name(c1 + 1, (size_t)(c2 - c1 - 1))) {
		return ssr_diag_set(diag, SSR_EINVAL,
		                    "feed '%s': bad name '%.*s' (letters, digits, '_', '-', '.')",
		                    spec, (int)(c2 - c1 - 1), c1 + 1);
	}
	char *name = strndup(c1 + 1, (size_t)(c2 - c1 - 1));
	char *file = strdup(c2 + 1);
	if (name == NULL || file == NULL) {
		free(name);
		free(file);
		return ssr_diag_set(diag, SSR_ENOMEM, "feed '%s': out of memory", spec);
	}
	out->name = name;
	out->path = file;
	out->format = SSR_FEED_AUTO;
	return SSR_EOK;
}

int ssr_abuse_feeds_config(const char *path, ssr_abuse_feed_t **out, size_t *n, ssr_diag_t *diag)
{
	ssr_lines_t *lr;
	int rc = ssr_lines_open(path, 4096, &lr, diag);
	if (rc != SSR_EOK) {
		return rc;
	}
	ssr_abuse_feed_t *v = NULL;
	size_t nv = 0;
	const char *p;
	size_t len;
	bool too_long;
	const char *slash = strrchr(path, '/');
	size_t dirlen = slash ? (size_t)(slash - path + 1) : 0;
	while ((rc = ssr_lines_next(lr, &p, &len, &too_long, diag)) == 1) {
		uint64_t line = ssr_lines_number(lr);
		char buf[4096];
		if (too_long) {
			rc = ssr_diag_set(diag, SSR_EPARSE,
			                  "feeds config '%s' line %" PRIu64 ": too long", path,
			                  line);
			break;
		}
		memcpy(buf, p, len);
		buf[len] = '\0';
		char *hash = strchr(buf, '#');
		if (hash != NULL) {
			*hash = '\0';
		}
		char *tok[5];
		int nt = 0;
		for (char *s = buf; nt < 5;) {
			while (*s == ' ' || *s == '\t') {
				s++;
			}
			if (*s == '\0') {
				break;
			}
			tok[nt++] = s;
			while (*s && *s != ' ' && *s != '\t') {
				s++;
			}
			if (*s) {
				*s++ = '\0';
			}
		}
		if (nt == 0) {
			continue;
		}
		if (nt < 3 || nt > 4) {
			rc = ssr_diag_set(diag, SSR_EPARSE,
			                  "feeds config '%s' line %" PRIu64
			                  ": expected CATEGORY NAME FILE [FORMAT]",
			                  path, line);
			break;
		}
		ssr_abuse_feed_t f = {0};
		if (ssr_abuse_category_parse(tok[0], strlen(tok[0]), &f.category) != SSR_EOK) {
			rc = ssr_diag_set(diag, SSR_EPARSE,
			                  "feeds config '%s' line %" PRIu64
			                  ": unknown category '%s'",
			                  path, line, tok[0]);
			break;
		}
		if (!good_name(tok[1], strlen(tok[1]))) {
			rc = ssr_diag_set(diag, SSR_EPARSE,
			                  "feeds config '%s' line %" PRIu64 ": bad feed name '%s'",
			                  path, line, tok[1]);
			break;
		}
		if (nt == 4 && ssr_feed_format_parse(tok[3], &f.format) != SSR_EOK) {
			rc = ssr_diag_set(diag, SSR_EPARSE,
			                  "feeds config '%s' line %" PRIu64 ": unknown format '%s'",
			                  path, line, tok[3]);
			break;
		}
		ssr_abuse_feed_t *nvp = realloc(v, (nv + 1) * sizeof(*v));
		size_t fl = strlen(tok[2]);
		size_t pl = tok[2][0] == '/' ? fl : dirlen + fl;
		char *fp = malloc(pl + 1);
		char *nm = strdup(tok[1]);
		if (nvp == NULL || fp == NULL || nm == NULL) {
			free(fp);
			free(nm);
			if (nvp != NULL) {
				v = nvp;
			}
			rc = ssr_diag_set(diag, SSR_ENOMEM, "feeds config: out of memory");
			break;
		}
		v = nvp;
		if (tok[2][0] == '/') {
			memcpy(fp, tok[2], fl + 1);
		} else {
			memcpy(fp, path, dirlen);
			memcpy(fp + dirlen, tok[2], fl + 1);
		}
		f.path = fp;
		f.name = nm;
		v[nv++] = f;
	}
	ssr_lines_free(lr);
	if (rc == SSR_EOK && nv == 0) {
		rc = ssr_diag_set(diag, SSR_EPARSE, "feeds config '%s': no feeds", path);
	}
	if (rc != SSR_EOK) {
		ssr_abuse_feeds_free(v, nv);
		return rc;
	}
	*out = v;
	*n = nv;
	return SSR_EOK;
}

void ssr_abuse_feeds_free(ssr_abuse_feed_t *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free((char *)v[i].path);
		free((char *)v[i].name);
	}
	free(v);
}
