/* ssrwatch — DNS RR types by value and mnemonic, from the IANA registry shipped in
 * data/rrtypes.csv (compiled in by CMake as rrtypes.inc). */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "ssrwatch/zone.h"
#include "zone_priv.h"

static const zone_rrtype_t types[] = {
#include "rrtypes.inc"
};

#define NTYPES (sizeof(types) / sizeof(types[0]))

const zone_rrtype_t *zone_rrtype_by_value(uint16_t value)
{
	size_t lo = 0, hi = NTYPES; /* the CSV lists values in ascending order */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (types[mid].value == value) {
			return &types[mid];
		}
		if (types[mid].value < value) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	return NULL;
}

const zone_rrtype_t *zone_rrtype_by_name(const char *s, size_t n)
{
	for (size_t i = 0; i < NTYPES; i++) {
		if (strlen(types[i].name) == n && strncasecmp(types[i].name, s, n) == 0) {
			return &types[i];
		}
	}
	return NULL;
}

void ssr_rrtype_name(uint16_t type, char *out, size_t cap)
{
	const zone_rrtype_t *t = zone_rrtype_by_value(type);
	if (t != NULL) {
		snprintf(out, cap, "%s", t->name);
	} else {
		snprintf(out, cap, "TYPE%u", type);
	}
}

int ssr_rrtype_from_text(const char *s, size_t n, uint16_t *out)
{
	const zone_rrtype_t *t = zone_rrtype_by_name(s, n);
	if (t != NULL) {
		*out = t->value;
		return SSR_EOK;
	}
	if (n > 4 && n <= 9 && strncasecmp(s, "TYPE", 4) == 0) {
		unsigned v = 0;
		for (size_t i = 4; i < n; i++) {
			if (s[i] < '0' || s[i] > '9' || (i == 4 && s[i] == '0' && n > 5)) {
				return SSR_EPARSE;
			}
			v = v * 10 + (unsigned)(s[i] - '0');
		}
		if (v > 65535) {
			return SSR_EPARSE;
		}
		*out = (uint16_t)v;
		return SSR_EOK;
	}
	return SSR_EPARSE;
}
