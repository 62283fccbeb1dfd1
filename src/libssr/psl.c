/* ssrwatch — registered domains via libpsl, ICANN section only. */
#include <libpsl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "ssrwatch/psl.h"

struct ssr_psl {
	psl_ctx_t *ctx;
	bool owned;
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
	free(p);
}

bool ssr_psl_is_public_suffix(const ssr_psl_t *p, const char *name)
{
	return psl_is_public_suffix2(p->ctx, name, PSL_TYPE_ICANN) != 0;
}

int ssr_psl_registered_domain(const ssr_psl_t *p, const char *host, char *out, size_t cap)
{
	/* Walk suffixes from the longest: the first that is an ICANN public suffix decides. */
	const char *prev = NULL;
	const char *s = host;
	const char *best = host;
	while (s != NULL && *s != '\0') {
		if (psl_is_public_suffix2(p->ctx, s, PSL_TYPE_ICANN)) {
			best = prev != NULL ? prev : s;
			break;
		}
		prev = s;
		const char *dot = strchr(s, '.');
		s = dot != NULL ? dot + 1 : NULL;
	}
	/* No suffix matched (libpsl's implicit "*" rule makes this rare): the host itself. */
	size_t n = strlen(best);
	if (n + 1 > cap) {
		return SSR_ELIMIT;
	}
	memcpy(out, best, n + 1);
	return (int)n;
}
