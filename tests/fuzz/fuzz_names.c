/* libFuzzer: the misleading-name matcher on arbitrary names, brand lines and permutations.
 * First byte: 0 check the rest as a name, 1 the ASCII skeleton fast path against ICU (they
 * must agree), 2 the rest as a brand line of a fresh matcher, then a check, 3 permute. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ssrwatch/names.h"
#include "ssrwatch/psl.h"

static ssr_psl_t *psl;
static ssr_names_t *nm;

static int count(const ssr_names_subject_t *s, const ssr_names_match_t *m, void *ctx)
{
	(void)s;
	if (m->score <= 0 || m->score > 1 || m->kinds == 0 || !m->brand || !m->detail) {
		abort();
	}
	(*(unsigned *)ctx)++;
	return SSR_EOK;
}

static int perm(const char *kind, const char *domain, void *ctx)
{
	(void)kind;
	(void)domain;
	return ++*(unsigned *)ctx > 5000 ? SSR_ESTOP : SSR_EOK;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	static const char *const brands[] = {
	    "paypal.com", "google",    "microsoft", "bücher.de", "xn--80ak6aa92e.com", "hp",
	    "a-b-c",      "apple.com", "chase.com", "orange.fr"}; /* common-word brands: the context
	                                                             rules */
	ssr_names_opts_t o;
	if (ssr_psl_new(NULL, &psl, NULL) != SSR_EOK) {
		abort();
	}
	/* providers (the PSL's private section is always there; the shipped list when found) */
	(void)ssr_psl_load_providers(psl, ssr_names_providers_path(), NULL, NULL);
	memset(&o, 0, sizeof o);
	o.psl = psl;
	if (ssr_names_new(&o, &nm, NULL) != SSR_EOK) {
		abort();
	}
	for (size_t i = 0; i < sizeof brands / sizeof brands[0]; i++) {
		bool added;
		(void)ssr_names_add_brand(nm, brands[i], strlen(brands[i]), &added, NULL);
	}
	if (ssr_names_build(nm, NULL) != SSR_EOK) {
		abort();
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 2048) {
		return 0;
	}
	const char *s = (const char *)data + 1;
	size_t n = size - 1;
	unsigned c = 0;
	switch (data[0] & 3) {
	case 0: {
		int r = ssr_names_check(nm, s, n, count, &c, NULL);
		if (r >= 0 && (unsigned)r != c) {
			abort();
		}
		break;
	}
	case 1: {
		char lab[128], a[512], b[512];
		size_t m = 0;
		for (size_t i = 0; i < n && m < 100; i++) {
			char ch = (char)(s[i] | 0x20);
			if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-') {
				lab[m++] = ch;
			}
		}
		if (m == 0) {
			break;
		}
		int x = ssr_names_skeleton(nm, lab, m, a, sizeof a);
		int y = ssr_names_skeleton_icu(nm, lab, m, b, sizeof b);
		if (x != y || (x > 0 && memcmp(a, b, (size_t)x) != 0)) {
			abort();
		}
		break;
	}
	case 2: {
		ssr_names_opts_t o;
		ssr_names_t *f;
		bool added;
		memset(&o, 0, sizeof o);
		o.psl = psl;
		if (ssr_names_new(&o, &f, NULL) != SSR_EOK) {
			abort();
		}
		if (ssr_names_add_brand(f, s, n, &added, NULL) == SSR_EOK && added &&
		    ssr_names_build(f, NULL) == SSR_EOK) {
			(void)ssr_names_check(f, s, n, count, &c, NULL);
			(void)ssr_names_check(f, "paypa1.com", 10, count, &c, NULL);
		}
		ssr_names_free(f);
		break;
	}
	default: {
		char d[300];
		size_t m = n < sizeof d - 1 ? n : sizeof d - 1;
		memcpy(d, s, m);
		d[m] = '\0';
		(void)ssr_names_permute(nm, d, SSR_NAMES_ALL, perm, &c, NULL);
		break;
	}
	}
	return 0;
}
