/* tests for src/libssr/input.c: plain, gzip, zstd, truncation, corruption, rewind */
#include <zlib.h>
#include <zstd.h>

#include "../test_common.h"
#include "ssrwatch/input.h"

static char *payload(size_t n)
{
	char *p = malloc(n);
	assert_non_null(p);
	for (size_t i = 0; i < n; i++) {
		p[i] = (char)('a' + (i * 7 + i / 13) % 26);
	}
	return p;
}

static size_t gz(const char *in, size_t n, uint8_t *out, size_t cap)
{
	z_stream z = {0};
	assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
	z.next_in = (Bytef *)in;
	z.avail_in = (uInt)n;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
	size_t len = z.total_out;
	deflateEnd(&z);
	return len;
}

/* Read everything; returns code, fills *got_len. */
static int read_all(const char *path, char *buf, size_t cap, size_t *got_len, ssr_diag_t *d,
                    ssr_input_kind_t *kind)
{
	ssr_input_t *in;
	int rc = ssr_input_open(path, &in, d);
	if (rc != SSR_EOK) {
		return rc;
	}
	if (kind) {
		*kind = ssr_input_kind(in);
	}
	size_t total = 0, got;
	do {
		rc = ssr_input_read(in, buf + total, cap - total > 7777 ? 7777 : cap - total, &got,
		                    d);
		total += got;
	} while (rc == SSR_EOK && got > 0);
	*got_len = total;
	ssr_input_free(in);
	return rc;
}

static void plain_gzip_zstd_same_bytes(void **state)
{
	(void)state;
	size_t n = 3 << 20;
	char *p = payload(n);
	char *back = malloc(n + 10);
	size_t cap = ZSTD_compressBound(n) + n;
	uint8_t *c = malloc(cap);
	char path[256];
	size_t got;
	ssr_diag_t d;
	ssr_input_kind_t k;

	tmp_write(path, sizeof(path), ".txt", p, n);
	assert_int_equal(read_all(path, back, n + 10, &got, &d, &k), SSR_EOK);
	assert_int_equal(k, SSR_INPUT_PLAIN);
	assert_int_equal(got, n);
	assert_memory_equal(p, back, n);
	unlink(path);

	size_t gl = gz(p, n, c, cap);
	tmp_write(path, sizeof(path), ".gz", c, gl);
	assert_int_equal(read_all(path, back, n + 10, &got, &d, &k), SSR_EOK);
	assert_int_equal(k, SSR_INPUT_GZIP);
	assert_int_equal(got, n);
	assert_memory_equal(p, back, n);
	unlink(path);
	/* truncated gzip: a clear error naming the file */
	tmp_write(path, sizeof(path), ".gz", c, gl / 2);
	assert_int_equal(read_all(path, back, n + 10, &got, &d, NULL), SSR_ECORRUPT);
	assert_non_null(strstr(d.msg, "truncated gzip"));
	assert_non_null(strstr(d.msg, path));
	unlink(path);
	/* corrupt gzip body */
	c[gl / 2] ^= 0xff;
	c[gl / 2 + 1] ^= 0x55;
	tmp_write(path, sizeof(path), ".gz", c, gl);
	assert_int_equal(read_all(path, back, n + 10, &got, &d, NULL), SSR_ECORRUPT);
	unlink(path);

	size_t zl = ZSTD_compress(c, cap, p, n, 3);
	assert_false(ZSTD_isError(zl));
	tmp_write(path, sizeof(path), ".zst", c, zl);
	assert_int_equal(read_all(path, back, n + 10, &got, &d, &k), SSR_EOK);
	assert_int_equal(k, SSR_INPUT_ZSTD);
	assert_int_equal(got, n);
	assert_memory_equal(p, back, n);
	unlink(path);
	tmp_write(path, sizeof(path), ".zst", c, zl - 100);
	assert_int_equal(read_all(path, back, n + 10, &got, &d, NULL), SSR_ECORRUPT);
	assert_non_null(strstr(d.msg, "zstd"));
	unlink(path);
	free(p);
	free(back);
	free(c);
}

static void concatenated_gzip_members(void **state)
{
	(void)state;
	uint8_t c[512];
	size_t a = gz("hello ", 6, c, sizeof(c));
	size_t b = gz("world\n", 6, c + a, sizeof(c) - a);
	char path[256], back[64];
	size_t got;
	ssr_diag_t d;
	tmp_write(path, sizeof(path), ".gz", c, a + b);
	assert_int_equal(read_all(path, back, sizeof(back), &got, &d, NULL), SSR_EOK);
	assert_int_equal(got, 12);
	assert_memory_equal(back, "hello world\n", 12);
	unlink(path);
}

static void missing_dir_and_rewind(void **state)
{
	(void)state;
	ssr_input_t *in;
	ssr_diag_t d;
	assert_int_equal(ssr_input_open("/nonexistent/zone", &in, &d), SSR_ENOTFOUND);
	assert_non_null(strstr(d.msg, "'/nonexistent/zone'"));
	assert_int_equal(ssr_input_open("/tmp", &in, &d), SSR_EIO);
	assert_non_null(strstr(d.msg, "directory"));
	char path[256], buf[16];
	size_t got;
	tmp_write(path, sizeof(path), ".txt", "abcdef", 6);
	assert_int_equal(ssr_input_open(path, &in, &d), SSR_EOK);
	assert_int_equal(ssr_input_raw_size(in), 6);
	assert_int_equal(ssr_input_read(in, buf, 4, &got, &d), SSR_EOK);
	assert_int_equal(got, 4);
	assert_int_equal(ssr_input_rewind(in, &d), SSR_EOK);
	assert_int_equal(ssr_input_read(in, buf, 16, &got, &d), SSR_EOK);
	assert_int_equal(got, 6);
	assert_memory_equal(buf, "abcdef", 6);
	assert_int_equal(ssr_input_read(in, buf, 16, &got, &d), SSR_EOK);
	assert_int_equal(got, 0);
	ssr_input_free(in);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(plain_gzip_zstd_same_bytes),
	    cmocka_unit_test(concatenated_gzip_members),
	    cmocka_unit_test(missing_dir_and_rewind),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
