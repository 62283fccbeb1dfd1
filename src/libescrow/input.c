/* libescrow: the input layers.  A deposit file is plain XML (or gzip'd or zstd'd: ssr_input), a
 * tar of XML (and CSV) members, or OpenPGP (RyDE: encrypted, usually compressed, a tar inside).
 * Each layer pushes bytes to the next; OpenPGP plaintext goes from GPGME's output callback straight
 * into the tar reader, never to disk. */
#include <errno.h>
#include <fcntl.h>
#include <gpgme.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "escrow_priv.h"
#include "ssrwatch/input.h"

#define IO_CHUNK (1u << 20)

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- tar ---- */

struct escrow_tar {
	const ssr_escrow_read_opts_t *o;
	ssr_escrow_fn fn;
	ssr_escrow_read_stats_t *st;
	char path[256];
	uint8_t hdr[512];
	size_t hlen;
	uint64_t left; /* bytes of the current member still to come */
	uint64_t pad;  /* padding after it */
	escrow_xml_t *xml;
	char member[260];
	bool csv, zeros, ended;
	/* RFC 4180 syntax of a CSV member, streamed */
	ssr_escrow_csv_t cv;
	int cstate; /* 0 field start, 1 unquoted, 2 quoted, 3 quote in quoted, 4 after CR */
	uint64_t cfields;
	char longname[256]; /* GNU 'L' long name for the next member */
	bool in_longname;
	size_t longname_len;
};

int escrow_tar_new(const ssr_escrow_read_opts_t *o, ssr_escrow_fn fn, ssr_escrow_read_stats_t *st,
                   const char *path, escrow_tar_t **out)
{
	escrow_tar_t *t = calloc(1, sizeof *t);
	if (!t) {
		return SSR_ENOMEM;
	}
	t->o = o;
	t->fn = fn;
	t->st = st;
	snprintf(t->path, sizeof t->path, "%s", path);
	*out = t;
	return SSR_EOK;
}

static bool octal(const uint8_t *p, size_t n, uint64_t *v)
{
	uint64_t r = 0;
	size_t i = 0;
	while (i < n && (p[i] == ' ' || p[i] == '\0')) {
		i++;
	}
	bool any = false;
	for (; i < n && p[i] >= '0' && p[i] <= '7'; i++) {
		if (r > (UINT64_MAX >> 3)) {
			return false;
		}
		r = (r << 3) | (uint64_t)(p[i] - '0');
		any = true;
	}
	for (; i < n; i++) {
		if (p[i] != ' ' && p[i] != '\0') {
			return false;
		}
	}
	*v = r;
	return any;
}

static bool ends_with(const char *s, const char *suf)
{
	size_t a = strlen(s), b = strlen(suf);
	return a >= b && strcmp(s + a - b, suf) == 0;
}

static void csv_bad(escrow_tar_t *t, const char *why)
{
	if (t->cv.valid) {
		t->cv.valid = false;
		snprintf(t->cv.error, sizeof t->cv.error, "%s", why);
	}
}

/* the end of a record: its field count against the first record's */
static void csv_record(escrow_tar_t *t)
{
	t->cfields++;
	if (t->cv.records == 0) {
		t->cv.fields = t->cfields;
	} else if (t->cfields != t->cv.fields) {
		char why[160];
		snprintf(why, sizeof why, "%llu fields where the first record has %llu",
		         (unsigned long long)t->cfields, (unsigned long long)t->cv.fields);
		csv_bad(t, why);
	}
	t->cv.records++;
	t->cfields = 0;
}

/* A field or record separator outside quotes (true when c was one). */
static bool csv_sep(escrow_tar_t *t, uint8_t c)
{
	if (c == ',') {
		t->cfields++;
		t->cstate = 0;
	} else if (c == '\r') {
		t->cstate = 4;
	} else if (c == '\n') {
		csv_record(t);
		t->cv.line++;
		t->cstate = 0;
	} else {
		return false;
	}
	return true;
}

/* RFC 4180: fields separated by commas, records by CRLF (LF accepted), a field with quotes,
 * commas or line breaks quoted, quotes inside doubled */
static void csv_feed(escrow_tar_t *t, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n && t->cv.valid; i++) {
		uint8_t c = p[i];
		switch (t->cstate) {
		case 0: /* a field starts */
		case 1: /* inside an unquoted field */
			if (c == '"') {
				if (t->cstate == 1) {
					csv_bad(t, "a quote inside an unquoted field");
				} else {
					t->cstate = 2;
				}
			} else if (!csv_sep(t, c)) {
				t->cstate = 1;
			}
			break;
		case 2: /* quoted */
			if (c == '"') {
				t->cstate = 3;
			} else if (c == '\n') {
				t->cv.line++;
			}
			break;
		case 3: /* a quote inside a quoted field: doubled, or the end of the field */
			if (c == '"') {
				t->cstate = 2;
			} else if (!csv_sep(t, c)) {
				csv_bad(t, "characters after the closing quote of a field");
			}
			break;
		case 4: /* after CR */
			if (c == '\n') {
				csv_record(t);
				t->cv.line++;
				t->cstate = 0;
			} else {
				csv_bad(t, "a CR not followed by LF");
			}
			break;
		}
	}
}

/* the member's end: an open quoted field is an error; the last record may lack its break */
static int csv_end(escrow_tar_t *t, ssr_diag_t *diag)
{
	if (t->cv.valid) {
		if (t->cstate == 2) {
			csv_bad(t, "a quoted field is not closed");
		} else if (t->cstate == 1 || t->cstate == 3 || (t->cstate == 0 && t->cfields > 0)) {
			csv_record(t);
		} else if (t->cstate == 4) {
			csv_bad(t, "a CR not followed by LF");
		}
	}
	ssr_escrow_event_t e = {
	    .ev = SSR_ESCROW_EV_CSV, .line = t->cv.line, .member = t->member, .csv = &t->cv};
	int rc = t->fn(&e, t->o->ctx);
	return rc == SSR_EOK ? SSR_EOK
	                     : ssr_diag_set(diag, rc, "'%s': stopped by the caller", t->member);
}

static int tar_header(escrow_tar_t *t, ssr_diag_t *diag)
{
	const uint8_t *h = t->hdr;
	bool zero = true;
	for (int i = 0; i < 512; i++) {
		if (h[i]) {
			zero = false;
			break;
		}
	}
	if (zero) {
		if (t->zeros) {
			t->ended = true;
		}
		t->zeros = true;
		return SSR_EOK;
	}
	t->zeros = false;
	unsigned sum = 0;
	for (int i = 0; i < 512; i++) {
		sum += (i >= 148 && i < 156) ? ' ' : h[i];
	}
	uint64_t want, size;
	if (!octal(h + 148, 8, &want) || want != sum || !octal(h + 124, 12, &size)) {
		return ssr_diag_set(diag, SSR_EPARSE,
		                    "deposit '%s': not a tar archive (bad header at offset %llu)",
		                    t->path, (unsigned long long)t->st->bytes_in);
	}
	char name[260];
	if (t->longname[0]) {
		snprintf(name, sizeof name, "%s", t->longname);
		t->longname[0] = '\0';
	} else if (memcmp(h + 257, "ustar", 5) == 0 && h[345]) {
		snprintf(name, sizeof name, "%.155s/%.100s", (const char *)h + 345,
		         (const char *)h);
	} else {
		snprintf(name, sizeof name, "%.100s", (const char *)h);
	}
	char type = (char)h[156];
	t->left = size;
	t->pad = (512 - size % 512) % 512;
	if (type == 'L') { /* GNU long name: the next member's name is the data */
		t->in_longname = true;
		t->longname_len = 0;
		return SSR_EOK;
	}
	if (type != '0' && type != '\0') {
		return SSR_EOK; /* directories, links: skipped */
	}
	snprintf(t->member, sizeof t->member, "%s", name);
	t->csv = ends_with(name, ".csv");
	if (t->csv) {
		t->st->csv_files++;
		memset(&t->cv, 0, sizeof t->cv);
		t->cv.valid = true;
		t->cv.line = 1;
		t->cstate = 0;
		t->cfields = 0;
		if (size == 0) {
			t->csv = false;
			return csv_end(t, diag);
		}
		return SSR_EOK;
	}
	if (!ends_with(name, ".xml")) {
		return SSR_EOK;
	}
	int rc = escrow_xml_new(t->o, t->fn, t->st, name, &t->xml, diag);
	if (rc == SSR_EOK && size == 0) {
		rc = escrow_xml_finish(t->xml, diag);
		escrow_xml_free(t->xml);
		t->xml = NULL;
	}
	return rc;
}

int escrow_tar_feed(escrow_tar_t *t, const uint8_t *p, size_t n, ssr_diag_t *diag)
{
	while (n > 0) {
		if (t->ended) {
			return SSR_EOK; /* trailing blocks */
		}
		if (t->left > 0) {
			size_t k = t->left < n ? (size_t)t->left : n;
			int rc = SSR_EOK;
			if (t->in_longname) {
				size_t c = k;
				if (t->longname_len + c >= sizeof t->longname) {
					c = sizeof t->longname - 1 - t->longname_len;
				}
				memcpy(t->longname + t->longname_len, p, c);
				t->longname_len += c;
				t->longname[t->longname_len] = '\0';
			} else if (t->xml) {
				rc = escrow_xml_feed(t->xml, p, k, diag);
			} else if (t->csv) {
				csv_feed(t, p, k);
			}
			if (rc != SSR_EOK) {
				return rc;
			}
			t->left -= k;
			p += k;
			n -= k;
			if (t->left == 0) {
				t->in_longname = false;
				if (t->csv) {
					t->csv = false;
					rc = csv_end(t, diag);
					if (rc != SSR_EOK) {
						return rc;
					}
				}
				if (t->xml) {
					rc = escrow_xml_finish(t->xml, diag);
					escrow_xml_free(t->xml);
					t->xml = NULL;
					if (rc != SSR_EOK) {
						return rc;
					}
				}
			}
			continue;
		}
		if (t->pad > 0) {
			size_t k = t->pad < n ? (size_t)t->pad : n;
			t->pad -= k;
			p += k;
			n -= k;
			continue;
		}
		size_t k = 512 - t->hlen < n ? 512 - t->hlen : n;
		memcpy(t->hdr + t->hlen, p, k);
		t->hlen += k;
		p += k;
		n -= k;
		if (t->hlen == 512) {
			t->hlen = 0;
			int rc = tar_header(t, diag);
			if (rc != SSR_EOK) {
				return rc;
			}
		}
	}
	return SSR_EOK;
}

int escrow_tar_finish(escrow_tar_t *t, ssr_diag_t *diag)
{
	if (t->left > 0 || t->hlen > 0 || t->xml) {
		return ssr_diag_set(diag, SSR_EPARSE,
		                    "deposit '%s': the tar archive is truncated in '%s'", t->path,
		                    t->member[0] ? t->member : "(header)");
	}
	return SSR_EOK;
}

void escrow_tar_free(escrow_tar_t *t)
{
	if (t) {
		escrow_xml_free(t->xml);
		free(t);
	}
}

/* ---- the stage after decompression or decryption: tar or XML, by the first bytes ---- */

typedef struct {
	const ssr_escrow_read_opts_t *o;
	ssr_escrow_fn fn;
	ssr_escrow_read_stats_t *st;
	const char *path;
	const char *member;
	uint8_t head[512];
	size_t hlen;
	bool decided;
	escrow_tar_t *tar;
	escrow_xml_t *xml;
	ssr_diag_t *diag;
	int rc;
} stage_t;

static int stage_decide(stage_t *s)
{
	s->decided = true;
	if (s->hlen >= 263 && memcmp(s->head + 257, "ustar", 5) == 0) {
		if (escrow_tar_new(s->o, s->fn, s->st, s->path, &s->tar) != SSR_EOK) {
			return ssr_diag_set(s->diag, SSR_ENOMEM, "escrow: out of memory");
		}
		return escrow_tar_feed(s->tar, s->head, s->hlen, s->diag);
	}
	int rc = escrow_xml_new(s->o, s->fn, s->st, s->member, &s->xml, s->diag);
	return rc == SSR_EOK ? escrow_xml_feed(s->xml, s->head, s->hlen, s->diag) : rc;
}

static int stage_push(stage_t *s, const uint8_t *p, size_t n)
{
	if (!s->decided) {
		size_t k = sizeof s->head - s->hlen < n ? sizeof s->head - s->hlen : n;
		memcpy(s->head + s->hlen, p, k);
		s->hlen += k;
		p += k;
		n -= k;
		if (s->hlen < sizeof s->head) {
			return SSR_EOK;
		}
		int rc = stage_decide(s);
		if (rc != SSR_EOK) {
			return rc;
		}
	}
	if (n == 0) {
		return SSR_EOK;
	}
	return s->tar ? escrow_tar_feed(s->tar, p, n, s->diag)
	              : escrow_xml_feed(s->xml, p, n, s->diag);
}

static int stage_finish(stage_t *s)
{
	if (!s->decided) {
		int rc = stage_decide(s);
		if (rc != SSR_EOK) {
			return rc;
		}
	}
	return s->tar ? escrow_tar_finish(s->tar, s->diag) : escrow_xml_finish(s->xml, s->diag);
}

static void stage_release(stage_t *s)
{
	escrow_tar_free(s->tar);
	escrow_xml_free(s->xml);
}

static int stage_sink(void *ctx, const uint8_t *p, size_t n)
{
	stage_t *s = ctx;
	if (s->rc != SSR_EOK) {
		return s->rc;
	}
	s->rc = stage_push(s, p, n);
	return s->rc;
}

/* ---- GPGME ---- */

static int gpg_setup(const char *home, gpgme_ctx_t *ctx, ssr_diag_t *diag)
{
	setlocale(LC_CTYPE, "");
	if (!gpgme_check_version(NULL)) {
		return ssr_diag_set(diag, SSR_EIO, "escrow: GPGME cannot be initialised");
	}
	gpgme_error_t e = gpgme_engine_check_version(GPGME_PROTOCOL_OpenPGP);
	if (e) {
		return ssr_diag_set(diag, SSR_EIO, "escrow: no usable gpg engine: %s",
		                    gpgme_strerror(e));
	}
	e = gpgme_new(ctx);
	if (e) {
		return ssr_diag_set(diag, SSR_EIO, "escrow: gpgme_new: %s", gpgme_strerror(e));
	}
	if (home) {
		e = gpgme_ctx_set_engine_info(*ctx, GPGME_PROTOCOL_OpenPGP, NULL, home);
		if (e) {
			gpgme_release(*ctx);
			return ssr_diag_set(diag, SSR_EIO, "escrow: keyring '%s': %s", home,
			                    gpgme_strerror(e));
		}
	}
	gpgme_set_pinentry_mode(*ctx, GPGME_PINENTRY_MODE_LOOPBACK); /* never prompt */
	return SSR_EOK;
}

typedef struct {
	escrow_sink_fn sink;
	void *ctx;
	int rc;
} gpg_out_t;

static ssize_t gpg_write(void *handle, const void *buf, size_t size)
{
	gpg_out_t *g = handle;
	if (g->rc != SSR_EOK) {
		errno = EIO;
		return -1;
	}
	g->rc = g->sink(g->ctx, buf, size);
	if (g->rc != SSR_EOK) {
		errno = EIO;
		return -1;
	}
	return (ssize_t)size;
}

/* GPGME: decrypt the file at path into sink; key the id of the key used.  Errors: SSR_ECORRUPT
 * (gpg could not decrypt: the message says why), SSR_EIO (GPGME), the sink's. */
static int gpg_decrypt(const char *path, const char *gnupg_home, escrow_sink_fn sink,
                       void *sink_ctx, char *key, size_t key_len, ssr_diag_t *diag)
{
	gpgme_ctx_t ctx;
	int rc = gpg_setup(gnupg_home, &ctx, diag);
	if (rc != SSR_EOK) {
		return rc;
	}
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		gpgme_release(ctx);
		return ssr_diag_set(diag, errno == ENOENT ? SSR_ENOTFOUND : SSR_EIO,
		                    "deposit '%s': %s", path, strerror(errno));
	}
	gpgme_data_t in = NULL, out = NULL;
	gpg_out_t g = {.sink = sink, .ctx = sink_ctx, .rc = SSR_EOK};
	struct gpgme_data_cbs cbs = {.write = gpg_write};
	gpgme_error_t e = gpgme_data_new_from_fd(&in, fd);
	if (!e) {
		e = gpgme_data_new_from_cbs(&out, &cbs, &g);
	}
	if (e) {
		rc = ssr_diag_set(diag, SSR_EIO, "escrow: GPGME data: %s", gpgme_strerror(e));
	} else {
		e = gpgme_op_decrypt(ctx, in, out);
		if (g.rc != SSR_EOK) {
			rc = g.rc; /* the sink's own error (already in diag) */
		} else if (e) {
			gpgme_decrypt_result_t dr = gpgme_op_decrypt_result(ctx);
			const char *why = gpgme_strerror(e);
			if (dr && dr->recipients &&
			    gpgme_err_code(dr->recipients->status) == GPG_ERR_NO_SECKEY) {
				why = "no secret key for it in the keyring";
			}
			rc = ssr_diag_set(diag, SSR_ECORRUPT,
			                  "deposit '%s': cannot be decrypted: %s", path, why);
		} else {
			gpgme_decrypt_result_t dr = gpgme_op_decrypt_result(ctx);
			if (key && key_len) {
				snprintf(key, key_len, "%s",
				         dr && dr->recipients && dr->recipients->keyid
				             ? dr->recipients->keyid
				             : "");
			}
		}
	}
	gpgme_data_release(in);
	gpgme_data_release(out);
	gpgme_release(ctx);
	close(fd);
	return rc;
}

int ssr_escrow_verify(const char *path, const char *sig_path, const char *gnupg_home,
                      const char *signer, bool *valid, char *why, size_t why_len, ssr_diag_t *diag)
{
	*valid = false;
	if (why_len) {
		why[0] = '\0';
	}
	gpgme_ctx_t ctx;
	int rc = gpg_setup(gnupg_home, &ctx, diag);
	if (rc != SSR_EOK) {
		return rc;
	}
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int sfd = open(sig_path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || sfd < 0) {
		const char *bad = fd < 0 ? path : sig_path;
		rc = ssr_diag_set(diag, errno == ENOENT ? SSR_ENOTFOUND : SSR_EIO, "'%s': %s", bad,
		                  strerror(errno));
		if (fd >= 0) {
			close(fd);
		}
		if (sfd >= 0) {
			close(sfd);
		}
		gpgme_release(ctx);
		return rc;
	}
	gpgme_data_t sig = NULL, text = NULL;
	gpgme_error_t e = gpgme_data_new_from_fd(&sig, sfd);
	if (!e) {
		e = gpgme_data_new_from_fd(&text, fd);
	}
	if (!e) {
		e = gpgme_op_verify(ctx, sig, text, NULL);
	}
	if (e) {
		snprintf(why, why_len, "the signature cannot be checked: %s", gpgme_strerror(e));
	} else {
		gpgme_verify_result_t vr = gpgme_op_verify_result(ctx);
		gpgme_signature_t s = vr ? vr->signatures : NULL;
		if (!s) {
			snprintf(why, why_len, "no signature in '%s'", sig_path);
		}
		for (; s; s = s->next) {
			gpgme_err_code_t c = gpgme_err_code(s->status);
			const char *fpr = s->fpr ? s->fpr : "";
			if (c == GPG_ERR_NO_ERROR) {
				size_t fl = strlen(fpr), sl = signer ? strlen(signer) : 0;
				bool match = !signer ||
				             (sl <= fl && (strncasecmp(fpr, signer, sl) == 0 ||
				                           strcasecmp(fpr + fl - sl, signer) == 0));
				if (match) {
					*valid = true;
					snprintf(why, why_len, "good signature by %s", fpr);
					break;
				}
				snprintf(why, why_len,
				         "good signature by %s, which is not the registry's key %s",
				         fpr, signer);
			} else if (c == GPG_ERR_NO_PUBKEY) {
				snprintf(why, why_len,
				         "signed by %s, whose public key is not in the keyring",
				         fpr);
			} else if (c == GPG_ERR_BAD_SIGNATURE) {
				snprintf(why, why_len,
				         "bad signature (the file does not match it)");
			} else {
				snprintf(why, why_len, "signature by %s: %s", fpr,
				         gpgme_strerror(s->status));
			}
		}
	}
	gpgme_data_release(sig);
	gpgme_data_release(text);
	gpgme_release(ctx);
	close(fd);
	close(sfd);
	return SSR_EOK;
}

/* ---- the reader ---- */

typedef struct {
	stage_t *stage;
	double in_sink; /* seconds spent downstream of the decryption (tar, parse, the caller) */
} counted_t;

static int counted_sink(void *ctx, const uint8_t *p, size_t n)
{
	counted_t *c = ctx;
	double t0 = now_s();
	int rc = stage_sink(c->stage, p, n);
	c->in_sink += now_s() - t0;
	return rc;
}

/* OpenPGP: binary packets start with a byte with the top bit set; armour with a BEGIN line. */
static bool looks_openpgp(const uint8_t *h, size_t n)
{
	if (n >= 1 && (h[0] & 0x80) && h[0] != 0x1f) {
		return true;
	}
	return n >= 27 && memcmp(h, "-----BEGIN PGP MESSAGE-----", 27) == 0;
}

int ssr_escrow_read(const char *path, const ssr_escrow_read_opts_t *o, ssr_escrow_fn fn,
                    ssr_escrow_read_stats_t *st, ssr_diag_t *diag)
{
	memset(st, 0, sizeof *st);
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	stage_t s = {.o = o, .fn = fn, .st = st, .path = path, .member = base, .diag = diag};
	FILE *f = fopen(path, "rb");
	if (!f) {
		return ssr_diag_set(diag, errno == ENOENT ? SSR_ENOTFOUND : SSR_EIO,
		                    "deposit '%s': %s", path, strerror(errno));
	}
	uint8_t head[32];
	size_t hn = fread(head, 1, sizeof head, f);
	double t0 = now_s();
	int rc = SSR_EOK;
	if (looks_openpgp(head, hn)) {
		fclose(f);
		st->encrypted = true;
		FILE *g = fopen(path, "rb");
		if (g) {
			fseek(g, 0, SEEK_END);
			long sz = ftell(g);
			st->bytes_in = sz > 0 ? (uint64_t)sz : 0;
			fclose(g);
		}
		counted_t c = {.stage = &s};
		rc = gpg_decrypt(path, o->gnupg_home, counted_sink, &c, st->decrypt_key,
		                 sizeof st->decrypt_key, diag);
		double t1 = now_s();
		if (rc == SSR_EOK) {
			rc = stage_finish(&s);
		}
		c.in_sink += now_s() - t1;
		/* decryption and parsing run as one pipeline: the time is split by where it went */
		st->decrypt_s = now_s() - t0 - c.in_sink;
		st->parse_s = c.in_sink;
	} else {
		/* plain, gzip or zstd: the project's input layer decompresses */
		fclose(f);
		ssr_input_t *in = NULL;
		uint8_t *buf = malloc(IO_CHUNK);
		rc = buf ? ssr_input_open(path, &in, diag)
		         : ssr_diag_set(diag, SSR_ENOMEM, "escrow: out of memory");
		while (rc == SSR_EOK) {
			size_t n = 0;
			rc = ssr_input_read(in, buf, IO_CHUNK, &n, diag);
			if (rc ==
			    SSR_ECORRUPT) { /* a compressed stream cut short: bad input, not keys */
				char why[sizeof diag->msg];
				snprintf(why, sizeof why, "%s",
				         diag ? diag->msg : "corrupt compressed stream");
				rc = ssr_diag_set(diag, SSR_EPARSE, "deposit '%s': %s", path, why);
			}
			if (rc != SSR_EOK || n == 0) {
				break;
			}
			rc = stage_push(&s, buf, n);
		}
		if (in) {
			st->bytes_in = ssr_input_raw_pos(in);
			ssr_input_free(in);
		}
		free(buf);
		if (rc == SSR_EOK) {
			rc = stage_finish(&s);
		}
		st->parse_s = now_s() - t0;
	}
	stage_release(&s);
	return rc;
}
