/* ssrwatch — file/stdin input with transparent gzip and zstd decompression. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include "ssrwatch/input.h"

#define RAW_BUF (1u << 20)
/* A plain read at least this large goes straight to the caller's buffer (no copy). */
#define DIRECT_MIN (64u << 10)

struct ssr_input {
	char *name;
	int fd;
	bool is_stdin;
	bool seekable;
	ssr_input_kind_t kind;
	uint64_t raw_pos;  /* raw bytes consumed from fd */
	uint64_t raw_size; /* 0 if unknown */
	uint8_t *raw;      /* compressed read buffer */
	size_t raw_len, raw_off;
	bool raw_eof;
	z_stream zs;
	bool zs_init;
	bool gz_member_done; /* last inflate returned Z_STREAM_END */
	ZSTD_DCtx *zd;
	size_t zstd_last; /* last ZSTD_decompressStream return: 0 at a frame end */
	bool ended;
	uint64_t limit; /* bytes left in a range; UINT64_MAX: no range */
};

static ssize_t limited_read(ssr_input_t *in, void *buf, size_t cap)
{
	if (in->limit < cap) {
		cap = (size_t)in->limit;
	}
	if (cap == 0) {
		return 0;
	}
	ssize_t n;
	do {
		n = read(in->fd, buf, cap);
	} while (n < 0 && errno == EINTR);
	if (n > 0 && in->limit != UINT64_MAX) {
		in->limit -= (uint64_t)n;
	}
	return n;
}

static int fill_raw(ssr_input_t *in, ssr_diag_t *diag)
{
	if (in->raw_off < in->raw_len || in->raw_eof) {
		return SSR_EOK;
	}
	ssize_t n = limited_read(in, in->raw, RAW_BUF);
	if (n < 0) {
		return ssr_diag_set(diag, SSR_EIO, "input '%s': read failed at offset %llu: %s",
		                    in->name, (unsigned long long)in->raw_pos, strerror(errno));
	}
	in->raw_len = (size_t)n;
	in->raw_off = 0;
	in->raw_pos += (uint64_t)n;
	if (n == 0) {
		in->raw_eof = true;
	}
	return SSR_EOK;
}

static int start(ssr_input_t *in, ssr_diag_t *diag)
{
	in->raw_len = in->raw_off = 0;
	in->raw_eof = false;
	in->ended = false;
	in->raw_pos = 0;
	/* Sniff magic bytes from the first raw block. */
	int r = fill_raw(in, diag);
	if (r != SSR_EOK) {
		return r;
	}
	const uint8_t *b = in->raw;
	in->kind = SSR_INPUT_PLAIN;
	if (in->raw_len >= 2 && b[0] == 0x1f && b[1] == 0x8b) {
		in->kind = SSR_INPUT_GZIP;
	} else if (in->raw_len >= 4 && b[0] == 0x28 && b[1] == 0xb5 && b[2] == 0x2f &&
	           b[3] == 0xfd) {
		in->kind = SSR_INPUT_ZSTD;
	}
	if (in->kind == SSR_INPUT_GZIP) {
		if (in->zs_init) {
			inflateEnd(&in->zs);
			in->zs_init = false;
		}
		memset(&in->zs, 0, sizeof(in->zs));
		if (inflateInit2(&in->zs, 15 + 32) != Z_OK) {
			return ssr_diag_set(diag, SSR_ENOMEM, "input '%s': cannot start gzip",
			                    in->name);
		}
		in->zs_init = true;
		in->gz_member_done = false;
	} else if (in->kind == SSR_INPUT_ZSTD) {
		if (in->zd == NULL) {
			in->zd = ZSTD_createDCtx();
			if (in->zd == NULL) {
				return ssr_diag_set(diag, SSR_ENOMEM,
				                    "input '%s': cannot start zstd", in->name);
			}
		}
		ZSTD_DCtx_reset(in->zd, ZSTD_reset_session_only);
		in->zstd_last = 0;
	}
	return SSR_EOK;
}

int ssr_input_open(const char *path, ssr_input_t **out, ssr_diag_t *diag)
{
	ssr_input_t *in = calloc(1, sizeof(*in));
	if (in == NULL) {
		return ssr_diag_set(diag, SSR_ENOMEM, "input '%s': out of memory", path);
	}
	in->limit = UINT64_MAX;
	in->is_stdin = strcmp(path, "-") == 0;
	in->name = strdup(in->is_stdin ? "(stdin)" : path);
	in->raw = malloc(RAW_BUF);
	if (in->name == NULL || in->raw == NULL) {
		ssr_input_free(in);
		return ssr_diag_set(diag, SSR_ENOMEM, "input '%s': out of memory", path);
	}
	if (in->is_stdin) {
		in->fd = 0;
	} else {
		in->fd = open(path, O_RDONLY | O_CLOEXEC);
		if (in->fd < 0) {
			int e = errno;
			free(in->name);
			free(in->raw);
			free(in);
			return ssr_diag_set(diag, e == ENOENT ? SSR_ENOTFOUND : SSR_EIO,
			                    "input '%s': cannot open: %s", path, strerror(e));
		}
	}
	struct stat sb;
	if (fstat(in->fd, &sb) == 0) {
		if (S_ISDIR(sb.st_mode)) {
			ssr_input_free(in);
			return ssr_diag_set(diag, SSR_EIO, "input '%s': is a directory", path);
		}
		if (S_ISREG(sb.st_mode)) {
			in->raw_size = (uint64_t)sb.st_size;
			in->seekable = !in->is_stdin;
		}
	}
	if (!in->is_stdin && in->seekable) {
		posix_fadvise(in->fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	}
	int r = start(in, diag);
	if (r != SSR_EOK) {
		ssr_input_free(in);
		return r;
	}
	*out = in;
	return SSR_EOK;
}

int ssr_input_open_range(const char *path, uint64_t offset, uint64_t length, ssr_input_t **out,
                         ssr_diag_t *diag)
{
	ssr_input_t *in;
	int rc = ssr_input_open(path, &in, diag);
	if (rc != SSR_EOK) {
		return rc;
	}
	if (in->kind != SSR_INPUT_PLAIN || !in->seekable || offset > in->raw_size) {
		ssr_input_free(in);
		return ssr_diag_set(diag, SSR_EUNSUPPORTED,
		                    "input '%s': byte ranges need a plain regular file", path);
	}
	if (lseek(in->fd, (off_t)offset, SEEK_SET) != (off_t)offset) {
		ssr_input_free(in);
		return ssr_diag_set(diag, SSR_EIO, "input '%s': cannot seek to %llu", path,
		                    (unsigned long long)offset);
	}
	in->raw_len = in->raw_off = 0;
	in->raw_eof = false;
	in->raw_pos = 0;
	in->limit = length;
	in->seekable = false; /* a range is read once */
	*out = in;
	return SSR_EOK;
}

void ssr_input_free(ssr_input_t *in)
{
	if (in == NULL) {
		return;
	}
	if (!in->is_stdin && in->fd >= 0) {
		close(in->fd);
	}
	if (in->zs_init) {
		inflateEnd(&in->zs);
	}
	ZSTD_freeDCtx(in->zd);
	free(in->raw);
	free(in->name);
	free(in);
}

static int read_plain(ssr_input_t *in, uint8_t *buf, size_t cap, size_t *got, ssr_diag_t *diag)
{
	if (in->raw_off == in->raw_len) {
		if (in->raw_eof) {
			*got = 0;
			return SSR_EOK;
		}
		/* Large reads go straight to the caller's buffer. */
		if (cap >= DIRECT_MIN) {
			ssize_t n = limited_read(in, buf, cap);
			if (n < 0) {
				return ssr_diag_set(
				    diag, SSR_EIO, "input '%s': read failed at offset %llu: %s",
				    in->name, (unsigned long long)in->raw_pos, strerror(errno));
			}
			in->raw_pos += (uint64_t)n;
			if (n == 0) {
				in->raw_eof = true;
			}
			*got = (size_t)n;
			return SSR_EOK;
		}
		int r = fill_raw(in, diag);
		if (r != SSR_EOK) {
			return r;
		}
	}
	size_t n = in->raw_len - in->raw_off;
	if (n > cap) {
		n = cap;
	}
	memcpy(buf, in->raw + in->raw_off, n);
	in->raw_off += n;
	*got = n;
	return SSR_EOK;
}

static int read_gzip(ssr_input_t *in, uint8_t *buf, size_t cap, size_t *got, ssr_diag_t *diag)
{
	in->zs.next_out = buf;
	in->zs.avail_out = (uInt)(cap > UINT32_MAX ? UINT32_MAX : cap);
	while (in->zs.avail_out > 0) {
		int r = fill_raw(in, diag);
		if (r != SSR_EOK) {
			return r;
		}
		if (in->raw_off == in->raw_len) { /* raw end */
			if (!in->gz_member_done) {
				return ssr_diag_set(
				    diag, SSR_ECORRUPT,
				    "input '%s': truncated gzip stream at offset %llu", in->name,
				    (unsigned long long)in->raw_pos);
			}
			break;
		}
		if (in->gz_member_done) { /* concatenated member */
			inflateReset(&in->zs);
			in->gz_member_done = false;
		}
		in->zs.next_in = in->raw + in->raw_off;
		in->zs.avail_in = (uInt)(in->raw_len - in->raw_off);
		int zr = inflate(&in->zs, Z_NO_FLUSH);
		in->raw_off = in->raw_len - in->zs.avail_in;
		if (zr == Z_STREAM_END) {
			in->gz_member_done = true;
		} else if (zr != Z_OK && zr != Z_BUF_ERROR) {
			uint64_t off = in->raw_pos - (in->raw_len - in->raw_off);
			return ssr_diag_set(diag, SSR_ECORRUPT,
			                    "input '%s': corrupt gzip data near offset %llu: %s",
			                    in->name, (unsigned long long)off,
			                    in->zs.msg ? in->zs.msg : "inflate failed");
		}
	}
	*got = cap - in->zs.avail_out;
	return SSR_EOK;
}

static int read_zstd(ssr_input_t *in, uint8_t *buf, size_t cap, size_t *got, ssr_diag_t *diag)
{
	ZSTD_outBuffer ob = {buf, cap, 0};
	while (ob.pos < ob.size) {
		int r = fill_raw(in, diag);
		if (r != SSR_EOK) {
			return r;
		}
		if (in->raw_off == in->raw_len) {
			/* Flush what the decoder still holds. */
			ZSTD_inBuffer ib = {in->raw, 0, 0};
			size_t zr = ZSTD_decompressStream(in->zd, &ob, &ib);
			if (ZSTD_isError(zr)) {
				return ssr_diag_set(diag, SSR_ECORRUPT,
				                    "input '%s': corrupt zstd data: %s", in->name,
				                    ZSTD_getErrorName(zr));
			}
			if (ob.pos < ob.size && in->zstd_last != 0) {
				return ssr_diag_set(
				    diag, SSR_ECORRUPT,
				    "input '%s': truncated zstd stream at offset %llu", in->name,
				    (unsigned long long)in->raw_pos);
			}
			break;
		}
		ZSTD_inBuffer ib = {in->raw + in->raw_off, in->raw_len - in->raw_off, 0};
		size_t zr = ZSTD_decompressStream(in->zd, &ob, &ib);
		in->raw_off += ib.pos;
		if (ZSTD_isError(zr)) {
			uint64_t off = in->raw_pos - (in->raw_len - in->raw_off);
			return ssr_diag_set(diag, SSR_ECORRUPT,
			                    "input '%s': corrupt zstd data near offset %llu: %s",
			                    in->name, (unsigned long long)off,
			                    ZSTD_getErrorName(zr));
		}
		in->zstd_last = zr;
	}
	*got = ob.pos;
	return SSR_EOK;
}

int ssr_input_read(ssr_input_t *in, void *buf, size_t cap, size_t *got, ssr_diag_t *diag)
{
	*got = 0;
	if (in->ended || cap == 0) {
		return SSR_EOK;
	}
	int r;
	switch (in->kind) {
	case SSR_INPUT_GZIP:
		r = read_gzip(in, buf, cap, got, diag);
		break;
	case SSR_INPUT_ZSTD:
		r = read_zstd(in, buf, cap, got, diag);
		break;
	default:
		r = read_plain(in, buf, cap, got, diag);
		break;
	}
	if (r == SSR_EOK && *got == 0) {
		in->ended = true;
	}
	return r;
}

int ssr_input_rewind(ssr_input_t *in, ssr_diag_t *diag)
{
	if (!in->seekable) {
		return ssr_diag_set(diag, SSR_ENOSEEK, "input '%s': cannot be read twice",
		                    in->name);
	}
	if (lseek(in->fd, 0, SEEK_SET) != 0) {
		return ssr_diag_set(diag, SSR_EIO, "input '%s': cannot rewind: %s", in->name,
		                    strerror(errno));
	}
	return start(in, diag);
}

ssr_input_kind_t ssr_input_kind(const ssr_input_t *in)
{
	return in->kind;
}

const char *ssr_input_name(const ssr_input_t *in)
{
	return in->name;
}

uint64_t ssr_input_raw_pos(const ssr_input_t *in)
{
	return in->raw_pos - (in->raw_len - in->raw_off);
}

uint64_t ssr_input_raw_size(const ssr_input_t *in)
{
	return in->raw_size;
}
