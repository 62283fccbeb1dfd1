/* ssrwatch — registered domains via libpsl, ICANN section only. */
#include <errno.h>
#include <libpsl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ssrwatch/hash.h"
#include "ssrwatch/psl.h"

struct ssr_psl {
	psl_ctx_t *ctx;
	bool owned;
	ssr_strmap_t providers; /* further provider suffixes (ssr_psl_load_providers) */
	bool have_providers;
};

int ssr_psl_new(const char *path, ssr_psl_t **out, ssr_diag_t *diag)
{
	ssr_psl_t *p = calloc(1, sizeof(*p));
	if (p == NULL) {
		return ssr_diag_set(diag, SSR_ENOMEM, "psl: out of memory");
	}
	if (path != NULL) {
		p->ctx = psl_load_file(path);
		p->owned = true;
		if (p->ctx == NULL) {
			free(p);
			return ssr_diag_set(diag, SSR_EIO, "psl '%s': cannot load", path);
		}
	} else {
		p->ctx = psl_latest(NULL);
		p->owned = true;
		if (p->ctx == NULL) {
			p->ctx = (psl_ctx_t *)psl_builtin();
			p->owned = false;
		}
		if (p->ctx == NULL) {
			free(p);
			return ssr_diag_set(diag, SSR_ENOTFOUND, "psl: no public suffix list");
		}
	}
	*out = p;
	return SSR_EOK;
}

void ssr_psl_free(ssr_psl_t *p)
{
	if (p == NULL) {
		return;
	}
	if (p->owned) {
		psl_free(p->ctx);
	}
	if (p->have_providers) {
		ssr_strmap_release(&p->providers);
	}
	free(p);
}

int ssr_psl_load_providers(ssr_psl_t *p, const char *path, size_t *added, ssr_diag_t *diag)
{
	FILE *f = fopen(path, "r");
	if (f == NULL) {
		return ssr_diag_set(diag, errno == ENOENT ? SSR_ENOTFOUND : SSR_EIO,
		                    "providers '%s': %s", path, strerror(errno));
	}
	if (!p->have_providers) {
		if (ssr_strmap_init(&p->providers, 64) != SSR_EOK) {
			fclose(f);
			return ssr_diag_set(diag, SSR_ENOMEM, "providers: out of memory");
		}
		p->have_providers = true;
	}
	char line[512];
	unsigned long no = 0;
	size_t n = 0;
	int rc = SSR_EOK;
	while (rc == SSR_EOK && fgets(line, sizeof line, f) != NULL) {
		no++;
		char *s = line;
		while (*s == ' ' || *s == '\t') {
			s++;
		}
		size_t l = strcspn(s, " \t\r\n#");
		if (l == 0) {
			continue;
		}
		bool ok = strchr(s, '.') != NULL && s + l > strchr(s, '.');
		for (size_t i = 0; ok && i < l; i++) {
			char c = s[i];
			ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
			     c == '.';
		}
		if (!ok || l > 253 || s[0] == '.' || s[l - 1] == '.') {
			rc = ssr_diag_set(
			    diag, SSR_EPARSE,
			    "providers '%s' line %lu: not a lowercase domain name '%.*s'", path, no,
			    (int)(l > 80 ? 80 : l), s);
			break;
		}
		ssr_strmap_entry_t *e;
		bool fresh;
		if (ssr_strmap_upsert(&p->providers, s, l, &e, &fresh) != SSR_EOK) {
			rc = ssr_diag_set(diag, SSR_ENOMEM, "providers: out of memory");
			break;
		}
		n += fresh;
	}
	if (rc == SSR_EOK && ferror(f)) {
		rc = ssr_diag_set(diag, SSR_EIO, "providers '%s': read error", path);
	}
	fclose(f);
	if (added != NULL) {
		*added = n;
	}
	return rc;
}

bool ssr_psl_is_public_suffix(const ssr_psl_t *p, const char *name)
{
	return psl_is_public_suffix2(p->ctx, name, PSL_TYPE_ICANN) != 0;
}

/* The registered domain's start in host: walk the suffixes from the longest, the first that is
 * an ICANN public suffix decides; *suffix: host itself is one (then host is returned).  No
 * suffix matching (libpsl's implicit "*" rule makes this rare): the host itself. */
static const char *registered_start(const ssr_psl_t *p, const char *host, bool *suffix)
{
	const char *prev = NULL;
	*suffix = false;
	for (const char *s = host; s != NULL && *s != '\0';) {
		if (psl_is_public_suffix2(p->ctx, s, PSL_TYPE_ICANN)) {
			*suffix = prev == NULL;
			return prev != NULL ? prev : s;
		}
		prev = s;
		const char *dot = strchr(s, '.');
		s = dot != NULL ? dot + 1 : NULL;
	}
	return host;
}

static int copy_out(const char *best, char *out, size_t cap)
{
	size_t n = strlen(best);
	if (n + 1 > cap) {
		return SSR_ELIMIT;
	}
	memcpy(out, best, n + 1);
	return (int)n;
}

int ssr_psl_registrable(const ssr_psl_t *p, const char *host, char *out, size_t cap)
{
	bool suffix;
	const char *best = registered_start(p, host, &suffix);
	return suffix ? SSR_ENOTFOUND : copy_out(best, out, cap);
}

int ssr_psl_registered_domain(const ssr_psl_t *p, const char *host, char *out, size_t cap)
{
	bool suffix;
	return copy_out(registered_start(p, host, &suffix), out, cap);
}

int ssr_psl_private_suffix(const ssr_psl_t *p, const char *host, char *out, size_t cap)
{
	/* from the longest proper suffix: the first private-section rule that matches */
	const char *dot = strchr(host, '.');
	for (const char *s = dot != NULL ? dot + 1 : NULL; s != NULL && *s != '\0';) {
		bool listed =
		    p->have_providers && ssr_strmap_find(&p->providers, s, strlen(s)) != NULL;
		if (strchr(s, '.') != NULL &&
		    (listed ||
		     psl_is_public_suffix2(p->ctx, s, PSL_TYPE_PRIVATE | PSL_TYPE_NO_STAR_RULE))) {
			size_t n = strlen(s);
			if (n + 1 > cap) {
				return SSR_ELIMIT;
			}
			memcpy(out, s, n + 1);
			return (int)n;
		}
		dot = strchr(s, '.');
		s = dot != NULL ? dot + 1 : NULL;
	}
	if (cap > 0) {
		out[0] = '\0';
	}
	return 0;
}
