/* ssrwatch — the small cryptographic helpers the portal needs: SHA-256 and HMAC-SHA256
 * (FIPS 180-4, RFC 2104; webhook signatures, token digests), random tokens from the kernel
 * (getrandom), hex and base64 (RFC 4648) text, and a constant-time comparison.
 * Password hashing is Argon2id through libargon2, in libportal. */
#pragma once

#include "ssrwatch/error.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SSR_SHA256_LEN 32

typedef struct {
	uint32_t h[8];
	uint64_t len; /* bytes hashed so far */
	uint8_t buf[64];
	size_t nbuf;
} ssr_sha256_t;

void ssr_sha256_init(ssr_sha256_t *c);
void ssr_sha256_update(ssr_sha256_t *c, const void *data, size_t len);
void ssr_sha256_final(ssr_sha256_t *c, uint8_t out[SSR_SHA256_LEN]);
void ssr_sha256(const void *data, size_t len, uint8_t out[SSR_SHA256_LEN]);
void ssr_hmac_sha256(const void *key, size_t klen, const void *msg, size_t mlen,
                     uint8_t out[SSR_SHA256_LEN]);

/* Lowercase hex of len bytes into out (2 * len + 1 bytes). */
void ssr_hex(const uint8_t *in, size_t len, char *out);
/* Hex text (either case, even length, "" for none) into out (cap bytes); *len the bytes.
 * Errors: SSR_EINVAL (not hex, odd length), SSR_ELIMIT (more than cap bytes). */
int ssr_hex_decode(const char *s, uint8_t *out, size_t cap, size_t *len) SSR_CHECK;
/* SHA-256 of a string as 64 hex digits (out: 65 bytes). */
void ssr_sha256_hex(const char *s, char out[65]);

/* Fill buf with len random bytes from the kernel; SSR_EIO if that fails. */
int ssr_random(void *buf, size_t len) SSR_CHECK;
/* A random token: nbytes of randomness as URL-safe base64 without padding into out
 * (cap >= 4 * nbytes / 3 + 2).  Returns SSR_EOK or an error code. */
int ssr_random_token(size_t nbytes, char *out, size_t cap) SSR_CHECK;

/* Base64 (standard alphabet, padded).  Encoded length of n bytes, without the NUL. */
/* Base32hex without padding (RFC 4648 7, either case; NSEC3 owner labels): the bytes of
 * text[0..len) into out (cap bytes); their number, 0 when it is not base32hex or out is too
 * small. */
size_t ssr_base32hex_decode(const char *text, size_t len, uint8_t *out, size_t cap);
size_t ssr_base64_len(size_t n);
/* out: ssr_base64_len(n) + 1 bytes. */
void ssr_base64_encode(const uint8_t *in, size_t n, char *out);
/* Decode standard or URL-safe base64 (padding optional, no whitespace) into out (cap bytes);
 * *outlen the length.  SSR_EPARSE on a bad character or length, SSR_ELIMIT if cap is short. */
int ssr_base64_decode(const char *in, size_t n, uint8_t *out, size_t cap, size_t *outlen) SSR_CHECK;

/* Equality of two byte strings in time that depends only on the length. */
bool ssr_ct_equal(const void *a, const void *b, size_t len);
