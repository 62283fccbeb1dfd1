/* libzone internals shared by its files: the IANA RR type table (rrtype.c). */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* Library-internal: not part of the library's interface (hidden when built shared). */
#pragma GCC visibility push(hidden)

typedef enum {
	SSR_RRTYPE_USE_DATA = 0, /* may appear in a zone file */
	SSR_RRTYPE_USE_META = 1, /* query or meta type */
} zone_rrtype_use_t;

typedef struct {
	uint16_t value;
	const char *name;
	zone_rrtype_use_t use;
	/* read as this type when libzscanner lacks it ("": rdata not validated; "dsync") */
	const char *twin;
} zone_rrtype_t;

/* The registry's entry of a type, or NULL. */
const zone_rrtype_t *zone_rrtype_by_value(uint16_t value);
/* The entry of a mnemonic (any case), or NULL. */
const zone_rrtype_t *zone_rrtype_by_name(const char *s, size_t n);

#pragma GCC visibility pop
