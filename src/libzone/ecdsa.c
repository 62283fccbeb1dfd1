/* libzone: ECDSA P-256 and P-384 signature checks with OpenSSL's libcrypto, the fast path of
 * zone verification (zone_priv.h says why; libdnssec stays the reference and the path of every
 * other algorithm).  Keys are built once per DNSKEY and only read afterwards, so the verifying
 * threads share them. */
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <stdlib.h>
#include <string.h>

#include "zone_priv.h"

static bool fast_path_on(void)
{
	const char *v = getenv("SSRWATCH_CRYPTO");
	return v == NULL || strcmp(v, "libdnssec") != 0;
}

void *zone_ecdsa_key(const uint8_t *rdata, size_t len)
{
	if (len < 4 || rdata[2] != 3 || (rdata[3] != 13 && rdata[3] != 14) || !fast_path_on()) {
		return NULL;
	}
	size_t klen = rdata[3] == 13 ? 64 : 96;
	if (len - 4 != klen) {
		return NULL; /* not a key of that size: libdnssec judges it */
	}
	uint8_t pub[1 + 96];
	pub[0] = 0x04; /* an uncompressed point: X || Y */
	memcpy(pub + 1, rdata + 4, klen);
	OSSL_PARAM_BLD *b = OSSL_PARAM_BLD_new();
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *key = NULL;
	if (b != NULL &&
	    OSSL_PARAM_BLD_push_utf8_string(b, OSSL_PKEY_PARAM_GROUP_NAME,
	                                    rdata[3] == 13 ? "prime256v1" : "secp384r1", 0) &&
	    OSSL_PARAM_BLD_push_octet_string(b, OSSL_PKEY_PARAM_PUB_KEY, pub, klen + 1) &&
	    (params = OSSL_PARAM_BLD_to_param(b)) != NULL &&
	    (ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL)) != NULL &&
	    EVP_PKEY_fromdata_init(ctx) == 1) {
		if (EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY, params) != 1) {
			key = NULL; /* not a point on the curve: libdnssec judges it */
		}
	}
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(b);
	return key;
}

void zone_ecdsa_free(void *key)
{
	EVP_PKEY_free(key);
}

int zone_ecdsa_verify(void *key, uint8_t alg, const uint8_t *data, size_t len, const uint8_t *sig,
                      size_t siglen)
{
	size_t half = alg == 13 ? 32 : 48;
	if (siglen != 2 * half) {
		return 0;
	}
	/* DNSSEC's r || s (RFC 6605) as the DER ECDSA-Sig-Value OpenSSL verifies */
	ECDSA_SIG *es = ECDSA_SIG_new();
	BIGNUM *r = BN_bin2bn(sig, (int)half, NULL), *s = BN_bin2bn(sig + half, (int)half, NULL);
	unsigned char der[128], *p = der;
	int dl = 0;
	if (es != NULL && r != NULL && s != NULL && ECDSA_SIG_set0(es, r, s) == 1) {
		r = s = NULL; /* owned by es now */
		if (i2d_ECDSA_SIG(es, NULL) <= (int)sizeof der) {
			dl = i2d_ECDSA_SIG(es, &p);
		}
	}
	BN_free(r);
	BN_free(s);
	ECDSA_SIG_free(es);
	if (dl <= 0) {
		return 0;
	}
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	int ok = md != NULL &&
	         EVP_DigestVerifyInit(md, NULL, alg == 13 ? EVP_sha256() : EVP_sha384(), NULL,
	                              (EVP_PKEY *)key) == 1 &&
	         EVP_DigestVerify(md, der, (size_t)dl, data, len) == 1;
	EVP_MD_CTX_free(md);
	return ok ? 1 : 0;
}
