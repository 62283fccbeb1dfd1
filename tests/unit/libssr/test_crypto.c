/* tests for src/libssr/crypto.c: SHA-256 (FIPS 180-4 examples), HMAC-SHA256 (RFC 4231),
 * base64 (RFC 4648 section 10), random tokens */
#include "../test_common.h"
#include "ssrwatch/crypto.h"
#include "ssrwatch/error.h"

static void hex_of(const void *data, size_t len, char out[65])
{
	uint8_t h[SSR_SHA256_LEN];
	ssr_sha256(data, len, h);
	ssr_hex(h, sizeof(h), out);
}

static void sha256_vectors(void **state)
{
	(void)state;
	char hex[65];
	hex_of("", 0, hex);
	assert_string_equal(hex,
	                    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	hex_of("abc", 3, hex);
	assert_string_equal(hex,
	                    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	hex_of(two, strlen(two), hex);
	assert_string_equal(hex,
	                    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	/* a million 'a' fed in odd-sized pieces: the block buffer across update calls */
	ssr_sha256_t c;
	ssr_sha256_init(&c);
	char a[997];
	memset(a, 'a', sizeof(a));
	size_t left = 1000000;
	while (left > 0) {
		size_t n = left < sizeof(a) ? left : sizeof(a);
		ssr_sha256_update(&c, a, n);
		left -= n;
	}
	uint8_t h[SSR_SHA256_LEN];
	ssr_sha256_final(&c, h);
	ssr_hex(h, sizeof(h), hex);
	assert_string_equal(hex,
	                    "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	/* 1000 bytes (checked with Python's hashlib) */
	char k[1000];
	memset(k, 'a', sizeof(k));
	hex_of(k, sizeof(k), hex);
	assert_string_equal(hex,
	                    "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3");
	ssr_sha256_hex("abc", hex);
	assert_string_equal(hex,
	                    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void hmac_vectors(void **state)
{
	(void)state;
	uint8_t mac[SSR_SHA256_LEN];
	char hex[65];
	/* RFC 4231 test case 1 */
	uint8_t key1[20];
	memset(key1, 0x0b, sizeof(key1));
	ssr_hmac_sha256(key1, sizeof(key1), "Hi There", 8, mac);
	ssr_hex(mac, sizeof(mac), hex);
	assert_string_equal(hex,
	                    "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
	/* test case 2 */
	ssr_hmac_sha256("Jefe", 4, "what do ya want for nothing?", 28, mac);
	ssr_hex(mac, sizeof(mac), hex);
	assert_string_equal(hex,
	                    "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
	/* test case 6: a key longer than the block is hashed first */
	uint8_t key6[131];
	memset(key6, 0xaa, sizeof(key6));
	const char *m6 = "Test Using Larger Than Block-Size Key - Hash Key First";
	ssr_hmac_sha256(key6, sizeof(key6), m6, strlen(m6), mac);
	ssr_hex(mac, sizeof(mac), hex);
	assert_string_equal(hex,
	                    "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
	/* Python: hmac.new(b"key"*30, b"The quick brown fox"*7, sha256) */
	char key[91] = "", msg[134] = "";
	for (int i = 0; i < 30; i++) {
		memcpy(key + 3 * i, "key", 3);
	}
	for (int i = 0; i < 7; i++) {
		memcpy(msg + 19 * i, "The quick brown fox", 19);
	}
	ssr_hmac_sha256(key, 90, msg, 133, mac);
	ssr_hex(mac, sizeof(mac), hex);
	assert_string_equal(hex,
	                    "a5ba8db99f27bb498fff0fb312d708dd5bf02f5bd08df764fc0201317280a8b9");
}

static void base64(void **state)
{
	(void)state;
	const char *plain[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
	const char *enc[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
	for (size_t i = 0; i < 7; i++) {
		char out[16];
		size_t n = strlen(plain[i]);
		assert_int_equal(ssr_base64_len(n), strlen(enc[i]));
		ssr_base64_encode((const uint8_t *)plain[i], n, out);
		assert_string_equal(out, enc[i]);
		uint8_t back[16];
		size_t blen = 99;
		assert_int_equal(
		    ssr_base64_decode(enc[i], strlen(enc[i]), back, sizeof(back), &blen), SSR_EOK);
		assert_int_equal(blen, n);
		assert_memory_equal(back, plain[i], n);
	}
	uint8_t b[8];
	size_t bl;
	assert_int_equal(ssr_base64_decode("Zm9v!A==", 8, b, sizeof(b), &bl), SSR_EPARSE);
	assert_int_equal(ssr_base64_decode("Z", 1, b, sizeof(b), &bl), SSR_EPARSE);
	assert_int_equal(ssr_base64_decode("Zm9vYmFyZm9vYmFy", 16, b, sizeof(b), &bl), SSR_ELIMIT);
	/* URL-safe alphabet decodes too */
	assert_int_equal(ssr_base64_decode("-_8", 3, b, sizeof(b), &bl), SSR_EOK);
	assert_int_equal(bl, 2);
	assert_int_equal(b[0], 0xfb);
	assert_int_equal(b[1], 0xff);
	/* base32hex (RFC 4648 10's vectors, no padding, either case) */
	uint8_t h[16];
	assert_int_equal(ssr_base32hex_decode("CPNMUOJ1E8", 10, h, sizeof h), 6);
	assert_memory_equal(h, "foobar", 6);
	assert_int_equal(ssr_base32hex_decode("cpnmuog", 7, h, sizeof h), 4);
	assert_memory_equal(h, "foob", 4);
	assert_int_equal(ssr_base32hex_decode("CPNMUOW1", 8, h, sizeof h),
	                 0);                                               /* W: not base32hex */
	assert_int_equal(ssr_base32hex_decode("CPNMUOJ1E8", 10, h, 3), 0); /* too small */
}

static void hex_decode(void **state)
{
	(void)state;
	uint8_t b[4];
	size_t n = 9;
	assert_int_equal(ssr_hex_decode("00aBff7E", b, sizeof b, &n), SSR_EOK);
	assert_int_equal(n, 4);
	assert_int_equal(b[0], 0x00);
	assert_int_equal(b[1], 0xab);
	assert_int_equal(b[2], 0xff);
	assert_int_equal(b[3], 0x7e);
	assert_int_equal(ssr_hex_decode("", b, sizeof b, &n), SSR_EOK);
	assert_int_equal(n, 0);
	assert_int_equal(ssr_hex_decode("abc", b, sizeof b, &n), SSR_EINVAL);
	assert_int_equal(ssr_hex_decode("zz", b, sizeof b, &n), SSR_EINVAL);
	assert_int_equal(ssr_hex_decode("+1", b, sizeof b, &n), SSR_EINVAL);
	assert_int_equal(ssr_hex_decode("0011223344", b, sizeof b, &n), SSR_ELIMIT);
}

static void tokens(void **state)
{
	(void)state;
	char t1[64], t2[64];
	assert_int_equal(ssr_random_token(32, t1, sizeof(t1)), SSR_EOK);
	assert_int_equal(ssr_random_token(32, t2, sizeof(t2)), SSR_EOK);
	assert_int_equal(strlen(t1), 43); /* 256 bits, unpadded */
	assert_string_not_equal(t1, t2);
	for (const char *p = t1; *p; p++) {
		assert_true((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		            (*p >= '0' && *p <= '9') || *p == '-' || *p == '_');
	}
	assert_int_equal(ssr_random_token(32, t1, 20), SSR_EINVAL);
	assert_true(ssr_ct_equal("abcd", "abcd", 4));
	assert_false(ssr_ct_equal("abcd", "abce", 4));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(sha256_vectors), cmocka_unit_test(hmac_vectors),
	    cmocka_unit_test(base64),         cmocka_unit_test(hex_decode),
	    cmocka_unit_test(tokens),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
