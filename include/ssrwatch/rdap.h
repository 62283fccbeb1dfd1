/* ssrwatch — RDAP client pieces: IANA bootstrap registries (RFC 9224: dns.json, ipv4.json,
 * ipv6.json), domain and IP lookups over HTTPS (libcurl, RFC 9082), and the fields routing needs
 * from the answers (RFC 9083: the registrar entity, its IANA id and abuse contact; the network's
 * registrant and abuse contact). */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "ssrwatch/error.h"

#define SSR_RDAP_MAX_BODY (1u << 20) /* an answer larger than this is refused */

typedef enum { SSR_RDAP_DNS, SSR_RDAP_IPV4, SSR_RDAP_IPV6 } ssr_rdap_space_t;

typedef struct ssr_rdap_boot ssr_rdap_boot_t;

/* Load a bootstrap file; errors name the file and the entry.
 * Errors: SSR_ENOTFOUND or SSR_EIO (the file), SSR_ELIMIT (over 16 MiB), SSR_EPARSE, SSR_ENOMEM. */
int ssr_rdap_boot_load(const char *path, ssr_rdap_space_t space, ssr_rdap_boot_t **out,
                       ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(3);
/* The same from memory (fuzzing, tests); name is used in messages.
 * Errors: SSR_EPARSE (not an RFC 9224 bootstrap file; diag says where), SSR_ENOMEM. */
int ssr_rdap_boot_parse(const char *text, size_t len, const char *name, ssr_rdap_space_t space,
                        ssr_rdap_boot_t **out, ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(5);
void ssr_rdap_boot_free(ssr_rdap_boot_t *b);
/* The base URL (ending in '/') for a domain (longest matching label suffix) or an IP address
 * (longest matching prefix); an https URL is preferred.  NULL if none. */
const char *ssr_rdap_boot_find(const ssr_rdap_boot_t *b, const char *key);

typedef struct {
	int64_t iana_id; /* registrars: IANA Registrar ID; 0 none */
	char handle[128];
	char name[256];
	char email[256]; /* the abuse contact's e-mail */
	char phone[64];  /* the abuse contact's phone */
} ssr_rdap_entity_t;

/* The registrar of an RDAP domain answer: SSR_ENOTFOUND if it names none, SSR_EPARSE if the
 * answer is not RDAP JSON. */
int ssr_rdap_domain_registrar(const char *body, size_t len, ssr_rdap_entity_t *out,
                              ssr_diag_t *diag) SSR_CHECK;
/* The holder of an RDAP IP network answer (registrant, else the network's name) and its abuse
 * contact.
 * Errors: SSR_ENOTFOUND (no holder named), SSR_EPARSE (not an RDAP IP network object). */
int ssr_rdap_ip_holder(const char *body, size_t len, ssr_rdap_entity_t *out,
                       ssr_diag_t *diag) SSR_CHECK;

/* GET url with Accept: application/rdap+json; *status the HTTP status (0 when no answer came);
 * *body (NUL-terminated, caller frees) on any answer.  SSR_EIO for transport failures and
 * timeouts, SSR_ELIMIT for an answer over SSR_RDAP_MAX_BODY. */
int ssr_rdap_get(const char *url, unsigned timeout_ms, int *status, char **body, size_t *len,
                 ssr_diag_t *diag) SSR_CHECK;
