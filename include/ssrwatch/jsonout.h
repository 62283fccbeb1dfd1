/* ssrwatch — building JSON at the edges (API bodies, report documents) from typed rows: an
 * object builder that keeps the first failure, so a stored text that is not UTF-8 or a stored
 * document that is not JSON becomes an error naming the key, never a silently dropped key.
 * Keys keep the order they are put in. */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ssrwatch/error.h"

typedef struct {
	json_t *o;
	int rc;          /* the first failure: SSR_ECORRUPT or SSR_ENOMEM */
	const char *bad; /* its key (a string the caller keeps) */
} ssr_jobj_t;

/* A new empty object (rc SSR_ENOMEM when it cannot be made). */
ssr_jobj_t ssr_jobj_new(void);
/* Put v (a new reference, may be NULL for failure with code why) under k; after a failure
 * every put only drops its value. */
void ssr_jobj_put(ssr_jobj_t *b, const char *k, json_t *v, int why);
void ssr_jobj_int(ssr_jobj_t *b, const char *k, int64_t v);
/* v, or null when v is 0 (ids and times the store keeps as NULL when there is none). */
void ssr_jobj_int0(ssr_jobj_t *b, const char *k, int64_t v);
void ssr_jobj_real(ssr_jobj_t *b, const char *k, double v);
void ssr_jobj_bool(ssr_jobj_t *b, const char *k, int v);
/* s, or null when s is NULL; SSR_ECORRUPT when s is not UTF-8. */
void ssr_jobj_str(ssr_jobj_t *b, const char *k, const char *s);
/* JSON text parsed (null when text is NULL); SSR_ECORRUPT when it does not parse. */
void ssr_jobj_doc(ssr_jobj_t *b, const char *k, const char *text);
/* The finished object into *out, or the first failure with the object freed and *out
 * untouched.  Errors: SSR_ECORRUPT (diag: "<what>: a stored <key> is not valid UTF-8 or JSON"),
 * SSR_ENOMEM. */
int ssr_jobj_finish(ssr_jobj_t *b, const char *what, json_t **out, ssr_diag_t *diag) SSR_CHECK
    SSR_NONNULL(3);
/* ssr_jobj_finish, then append to arr.  Errors: those of ssr_jobj_finish. */
int ssr_jobj_append(ssr_jobj_t *b, const char *what, json_t *arr, ssr_diag_t *diag) SSR_CHECK;

/* Fill b with row i of rows (ctx as given); false leaves the row out. */
typedef bool (*ssr_jobj_fill_fn)(ssr_jobj_t *b, const void *rows, size_t i, const void *ctx);
/* An array of the objects fill makes of rows[0..n) into *out.  Errors: those of
 * ssr_jobj_finish (the first row that failed), SSR_ENOMEM. */
int ssr_jarr_build(const void *rows, size_t n, ssr_jobj_fill_fn fill, const void *ctx,
                   const char *what, json_t **out, ssr_diag_t *diag) SSR_CHECK;
