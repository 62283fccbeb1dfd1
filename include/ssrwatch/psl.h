/* ssrwatch — registered domains from the ICANN section of the Public Suffix List (libpsl), and
 * the providers (the private section, and a list of our own) a host name is under. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "ssrwatch/error.h"

typedef struct ssr_psl ssr_psl_t;

/* path: a PSL file (.dat or .dafsa); NULL: the newest of libpsl's built-in and the system list.
 * Errors: SSR_ENOTFOUND or SSR_EIO (the list file), SSR_ENOMEM. */
int ssr_psl_new(const char *path, ssr_psl_t **out, ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(2);
void ssr_psl_free(ssr_psl_t *psl);
/* True when name (lowercase, no trailing dot) is itself a public suffix (ICANN section). */
bool ssr_psl_is_public_suffix(const ssr_psl_t *psl, const char *name);
/* ssr_psl_registered_domain for a host that must not itself be a public suffix, in one walk
 * over its suffixes (ssr_psl_is_public_suffix and then ssr_psl_registered_domain take two).
 * Returns the length written.
 * Errors: SSR_ENOTFOUND (host is itself a public suffix), SSR_ELIMIT (longer than out). */
int ssr_psl_registrable(const ssr_psl_t *psl, const char *host, char *out, size_t cap) SSR_CHECK
    SSR_NONNULL(1, 2, 3);
/* Registered domain of a lowercase host name without trailing dot ("ns1.example.co.uk" ->
 * "example.co.uk").  A host that is itself a public suffix, or has one label, is its own
 * registered domain.  Returns the length written, or the error SSR_ELIMIT (longer than out). */
int ssr_psl_registered_domain(const ssr_psl_t *psl, const char *host, char *out,
                              size_t cap) SSR_CHECK;

/* Further provider suffixes beyond the PSL's private section (data/names/providers.txt: site
 * builders and free hosts the PSL does not list): one lowercase domain per line, then the
 * service's name; '#' comments.  *added (may be NULL) the new ones.  Errors: SSR_ENOTFOUND,
 * SSR_EIO (the file), SSR_EPARSE (a line that is not a domain name: file and line named),
 * SSR_ENOMEM. */
int ssr_psl_load_providers(ssr_psl_t *psl, const char *path, size_t *added,
                           ssr_diag_t *diag) SSR_CHECK SSR_NONNULL(1, 2);

/* The provider a host is under: the longest suffix of host (lowercase, no trailing dot), host
 * itself excluded, that is a public suffix of the PSL's private section or a loaded provider
 * suffix (hosting, site-builder and dynamic-DNS services that hand out subdomains:
 * "blogspot.com", "sytes.net", "firebaseapp.com", "000webhostapp.com"), into out.  Returns its
 * length, 0 when host is under none, or the error SSR_ELIMIT (longer than out). */
int ssr_psl_private_suffix(const ssr_psl_t *psl, const char *host, char *out, size_t cap) SSR_CHECK;
