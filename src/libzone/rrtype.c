/* ssrwatch — DNS RR types by value and mnemonic, from the IANA registry shipped in
 * data/rrtypes.csv (compiled in by CMake as rrtypes.inc). */
#include <pthread.h>
#include <stdint.h>
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

/* Mnemonics by hash: an open-addressing table of indexes into types, built once (a zone's
 * every RRSIG and NSEC3 line looks up two to six names). */
#define NAME_SLOTS   1024 /* a power of two, over twice the registry */
#define NAME_MAX_LEN 16
static uint16_t by_name[NAME_SLOTS]; /* index + 1; 0 empty */
static pthread_once_t by_name_once = PTHREAD_ONCE_INIT;

static uint32_t name_hash(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++) {
		uint8_t c = (uint8_t)s[i];
		c = (uint8_t)(c - ((unsigned)(c - 'a') < 26u ? 32 : 0)); /* upper case */
		h = (h ^ c) * 16777619u;
	}
	return h;
}

static void by_name_build(void)
{
	for (size_t i = 0; i < NTYPES; i++) {
		size_t n = strlen(types[i].name);
		uint32_t h = name_hash(types[i].name, n) & (NAME_SLOTS - 1);
		while (by_name[h] != 0) {
			h = (h + 1) & (NAME_SLOTS - 1);
		}
		by_name[h] = (uint16_t)(i + 1);
	}
}

const zone_rrtype_t *zone_rrtype_by_name(const char *s, size_t n)
{
	if (n == 0 || n > NAME_MAX_LEN) {
		return NULL;
	}
	pthread_once(&by_name_once, by_name_build);
	for (uint32_t h = name_hash(s, n) & (NAME_SLOTS - 1); by_name[h] != 0;
	     h = (h + 1) & (NAME_SLOTS - 1)) {
		const zone_rrtype_t *t = &types[by_name[h] - 1];
		/* a shorter name differs at its end: name[n] is read only when it is as long */
		if (strncasecmp(t->name, s, n) == 0 && t->name[n] == '\0') {
			return t;
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
