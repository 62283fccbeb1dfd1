/* ssrwatch — shard states: one file format for every engine (include/ssrwatch/state.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "ssrwatch/arena.h"
#include "ssrwatch/state.h"
#include "ssrwatch/hashrun.h"

static const char MAGIC[8] = {'S', 'S', 'R', 'W', 'S', 'T', 'A', 'T'};

/* ---- building ---------------------------------------------------------------------------- */

void ssr_state_put_bytes(ssr_state_buf_t *b, const void *p, size_t n)
{
	if (b->oom) {
		return;
	}
	if (b->n + n > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		while (cap < b->n + n) {
			cap *= 2;
		}
		uint8_t *q = realloc(b->p, cap);
		if (q == NULL) {
			b->oom = true;
			return;
		}
		b->p = q;
		b->cap = cap;
	}
	if (n) {
		memcpy(b->p + b->n, p, n);
	}
	b->n += n;
}

static void put_le(ssr_state_buf_t *b, uint64_t v, int bytes)
{
	uint8_t t[8];
	for (int i = 0; i < bytes; i++) {
		t[i] = (uint8_t)(v >> (8 * i));
	}
	ssr_state_put_bytes(b, t, (size_t)bytes);
}

void ssr_state_put_u8(ssr_state_buf_t *b, uint8_t v)
{
	put_le(b, v, 1);
}

void ssr_state_put_u16(ssr_state_buf_t *b, uint16_t v)
{
	put_le(b, v, 2);
}

void ssr_state_put_u32(ssr_state_buf_t *b, uint32_t v)
{
	put_le(b, v, 4);
}

void ssr_state_put_u64(ssr_state_buf_t *b, uint64_t v)
{
	put_le(b, v, 8);
}

void ssr_state_put_str(ssr_state_buf_t *b, const char *s)
{
	size_t n = s ? strlen(s) : 0;
	ssr_state_put_u32(b, (uint32_t)n);
	ssr_state_put_bytes(b, s, n);
}

void ssr_state_buf_release(ssr_state_buf_t *b)
{
	free(b->p);
	memset(b, 0, sizeof *b);
}

/* ---- reading ----------------------------------------------------------------------------- */

void ssr_state_rd_fail(ssr_state_rd_t *r, const char *why)
{
	if (!r->bad) {
		r->bad = true;
		snprintf(r->why, sizeof r->why, "offset %zu: %s", r->base + r->off, why);
	}
}

const uint8_t *ssr_state_get_bytes(ssr_state_rd_t *r, size_t n)
{
	if (r->bad) {
		return NULL;
	}
	if (n > r->n - r->off) {
		ssr_state_rd_fail(r, "truncated");
		return NULL;
	}
	const uint8_t *p = r->p + r->off;
	r->off += n;
	return p;
}

static uint64_t get_le(ssr_state_rd_t *r, int bytes)
{
	const uint8_t *p = ssr_state_get_bytes(r, (size_t)bytes);
	uint64_t v = 0;
	for (int i = 0; p && i < bytes; i++) {
		v |= (uint64_t)p[i] << (8 * i);
	}
	return v;
}

uint8_t ssr_state_get_u8(ssr_state_rd_t *r)
{
	return (uint8_t)get_le(r, 1);
}

uint16_t ssr_state_get_u16(ssr_state_rd_t *r)
{
	return (uint16_t)get_le(r, 2);
}

uint32_t ssr_state_get_u32(ssr_state_rd_t *r)
{
	return (uint32_t)get_le(r, 4);
}

uint64_t ssr_state_get_u64(ssr_state_rd_t *r)
{
	return get_le(r, 8);
}

uint64_t ssr_state_get_count(ssr_state_rd_t *r, size_t min_item)
{
	uint64_t n = ssr_state_get_u64(r);
	if (!r->bad && min_item && n > (r->n - r->off) / min_item) {
		ssr_state_rd_fail(r, "a count larger than the bytes that follow");
		return 0;
	}
	return r->bad ? 0 : n;
}

void ssr_state_get_str(ssr_state_rd_t *r, char *out, size_t cap)
{
	uint32_t n = ssr_state_get_u32(r);
	if (!r->bad && n >= cap) {
		ssr_state_rd_fail(r, "a text longer than its field");
	}
	const uint8_t *p = r->bad ? NULL : ssr_state_get_bytes(r, n);
	if (p) {
		memcpy(out, p, n);
		out[n] = '\0';
	} else if (cap) {
		out[0] = '\0';
	}
}

/* A u32-length string, malloc'ed (at most max bytes). */
static char *get_strdup(ssr_state_rd_t *r, size_t max)
{
	uint32_t n = ssr_state_get_u32(r);
	if (!r->bad && n > max) {
		ssr_state_rd_fail(r, "a text longer than its field");
	}
	const uint8_t *p = r->bad ? NULL : ssr_state_get_bytes(r, n);
	char *s = p ? malloc((size_t)n + 1) : NULL;
	if (s) {
		memcpy(s, p, n);
		s[n] = '\0';
	} else if (p) {
		ssr_state_rd_fail(r, "out of memory");
	}
	return s;
}

int ssr_state_rd_done(ssr_state_rd_t *r, ssr_diag_t *diag)
{
	if (!r->bad && r->off != r->n) {
		ssr_state_rd_fail(r, "bytes after the end");
	}
	if (r->bad) {
		return ssr_diag_set(diag, SSR_ECORRUPT, "state '%s' %s", r->file ? r->file : "?",
		                    r->why);
	}
	return SSR_EOK;
}

/* ---- files ------------------------------------------------------------------------------- */

static void put_head(ssr_state_buf_t *b, const ssr_state_head_t *h)
{
	ssr_state_put_bytes(b, MAGIC, sizeof MAGIC);
	ssr_state_put_u32(b, SSR_STATE_FORMAT);
	ssr_state_put_str(b, h->kind);
	ssr_state_put_u32(b, h->version);
	ssr_state_put_str(b, h->options);
	ssr_state_put_str(b, h->date);
	ssr_state_put_u32(b, h->shards);
	ssr_state_put_u32(b, h->ninputs);
	for (uint32_t i = 0; i < h->ninputs; i++) {
		ssr_state_put_str(b, h->input_path[i]);
		ssr_state_put_u64(b, h->input_size[i]);
	}
}

static int write_all(int fd, const uint8_t *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR) {
			continue;
		}
		if (w <= 0) {
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int ssr_state_write(const char *path, const ssr_state_head_t *h, const ssr_state_entry_t *e,
                    size_t n, ssr_diag_t *diag)
{
	ssr_state_buf_t b = {0};
	put_head(&b, h);
	ssr_state_put_u32(&b, (uint32_t)n);
	uint32_t crc = 0;
	for (size_t i = 0; i < n; i++) {
		ssr_state_put_u32(&b, e[i].shard);
		ssr_state_put_u64(&b, e[i].len);
	}
	if (b.oom) {
		ssr_state_buf_release(&b);
		return ssr_diag_set(diag, SSR_ENOMEM, "state '%s': out of memory", path);
	}
	crc = (uint32_t)crc32(0L, b.p, (uInt)b.n);
	for (size_t i = 0; i < n; i++) {
		const uint8_t *p = e[i].data;
		size_t left = e[i].len;
		while (left > 0) { /* crc32's length is an unsigned int */
			uInt chunk = left > (1u << 30) ? (1u << 30) : (uInt)left;
			crc = (uint32_t)crc32(crc, p, chunk);
			p += chunk;
			left -= chunk;
		}
	}
	uint8_t tail[4] = {(uint8_t)crc, (uint8_t)(crc >> 8), (uint8_t)(crc >> 16),
	                   (uint8_t)(crc >> 24)};
	struct stat sb;
	bool direct = stat(path, &sb) == 0 && !S_ISREG(sb.st_mode);
	char tmp[4096];
	if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp) {
		ssr_state_buf_release(&b);
		return ssr_diag_set(diag, SSR_EINVAL, "state '%s': name too long", path);
	}
	const char *target = direct ? path : tmp;
	int fd = open(target, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	bool ok = fd >= 0 && write_all(fd, b.p, b.n) == 0;
	for (size_t i = 0; ok && i < n; i++) {
		ok = write_all(fd, e[i].data, e[i].len) == 0;
	}
	ok = ok && write_all(fd, tail, sizeof tail) == 0;
	int err = errno;
	if (fd >= 0 && close(fd) != 0 && ok) {
		ok = false;
		err = errno;
	}
	ssr_state_buf_release(&b);
	if (ok && !direct && rename(tmp, path) != 0) {
		ok = false;
		err = errno;
	}
	if (!ok) {
		if (!direct) {
			unlink(tmp);
		}
		return ssr_diag_set(diag, SSR_EIO, "state '%s': cannot write: %s", path,
		                    strerror(err));
	}
	return SSR_EOK;
}

struct ssr_state_file {
	char *path;
	uint8_t *map;
	size_t len;
};

void ssr_state_head_release(ssr_state_head_t *h)
{
	free(h->options);
	for (uint32_t i = 0; h->input_path && i < h->ninputs; i++) {
		free(h->input_path[i]);
	}
	free(h->input_path);
	free(h->input_size);
	memset(h, 0, sizeof *h);
}

static int map_file(const char *path, struct ssr_state_file *f, ssr_diag_t *diag)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		return ssr_diag_set(diag, errno == ENOENT ? SSR_ENOTFOUND : SSR_EIO,
		                    "state '%s': cannot open: %s", path, strerror(errno));
	}
	struct stat sb;
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		close(fd);
		return ssr_diag_set(diag, SSR_EIO, "state '%s': not a regular file", path);
	}
	f->len = (size_t)sb.st_size;
	f->map = f->len ? mmap(NULL, f->len, PROT_READ, MAP_PRIVATE, fd, 0) : NULL;
	close(fd);
	if (f->len && f->map == MAP_FAILED) {
		f->map = NULL;
		return ssr_diag_set(diag, SSR_EIO, "state '%s': cannot map: %s", path,
		                    strerror(errno));
	}
	f->path = strdup(path);
	if (!f->path) {
		return ssr_diag_set(diag, SSR_ENOMEM, "state '%s': out of memory", path);
	}
	return SSR_EOK;
}

static void unmap_file(struct ssr_state_file *f)
{
	if (f->map) {
		munmap(f->map, f->len);
	}
	free(f->path);
	memset(f, 0, sizeof *f);
}

/* Parse a mapped file's head (into h) and, when entries is not NULL, its entry table
 * (appended to *entries). */
static int parse(struct ssr_state_file *f, ssr_state_head_t *h, ssr_state_entry_t **entries,
                 size_t *nent, size_t *capent, ssr_diag_t *diag)
{
	memset(h, 0, sizeof *h);
	if (f->len < sizeof MAGIC + 4 + 4 || memcmp(f->map, MAGIC, sizeof MAGIC) != 0) {
		return ssr_diag_set(diag, SSR_ECORRUPT,
		                    "state '%s': not an ssrwatch state (no SSRWSTAT head)",
		                    f->path);
	}
	ssr_state_rd_t r = {.p = f->map, .n = f->len - 4, .file = f->path};
	ssr_state_get_bytes(&r, sizeof MAGIC);
	uint32_t fmt = ssr_state_get_u32(&r);
	if (fmt != SSR_STATE_FORMAT) {
		return ssr_diag_set(diag, SSR_EUNSUPPORTED,
		                    "state '%s': format version %u, this build reads %d", f->path,
		                    fmt, SSR_STATE_FORMAT);
	}
	ssr_state_get_str(&r, h->kind, sizeof h->kind);
	h->version = ssr_state_get_u32(&r);
	h->options = get_strdup(&r, 1u << 20);
	ssr_state_get_str(&r, h->date, sizeof h->date);
	h->shards = ssr_state_get_u32(&r);
	if (!r.bad && (h->shards == 0 || h->shards > SSR_STATE_MAX_SHARDS)) {
		ssr_state_rd_fail(&r, "a shard count out of range");
	}
	uint32_t ni = ssr_state_get_u32(&r);
	if (!r.bad && (ni > SSR_STATE_MAX_INPUTS || ni > (r.n - r.off) / 12)) {
		ssr_state_rd_fail(&r, "an input count larger than the bytes that follow");
	}
	if (!r.bad) {
		h->input_path = calloc(ni ? ni : 1, sizeof *h->input_path);
		h->input_size = calloc(ni ? ni : 1, sizeof *h->input_size);
		if (!h->input_path || !h->input_size) {
			ssr_state_rd_fail(&r, "out of memory");
		}
	}
	for (uint32_t i = 0; !r.bad && i < ni; i++) {
		h->input_path[i] = get_strdup(&r, 4096);
		h->input_size[i] = ssr_state_get_u64(&r);
		h->ninputs = i + 1;
	}
	uint32_t ne = ssr_state_get_u32(&r);
	if (!r.bad && ne > (r.n - r.off) / 12) {
		ssr_state_rd_fail(&r, "an entry count larger than the bytes that follow");
	}
	size_t first = *nent;
	for (uint32_t i = 0; !r.bad && i < ne; i++) {
		uint32_t shard = ssr_state_get_u32(&r);
		uint64_t len = ssr_state_get_u64(&r);
		if (!r.bad && shard >= h->shards) {
			ssr_state_rd_fail(&r, "a shard index beyond the shard count");
		}
		if (r.bad || !entries) {
			continue;
		}
		if (ssr_grow((void **)entries, capent, *nent + 1, sizeof **entries) != SSR_EOK) {
			ssr_state_rd_fail(&r, "out of memory");
			break;
		}
		(*entries)[(*nent)++] =
		    (ssr_state_entry_t){.shard = shard, .len = (size_t)len, .file = f->path};
		if (len > r.n) {
			ssr_state_rd_fail(&r, "an entry longer than the file");
		}
	}
	/* the payloads follow the table, in its order */
	for (size_t i = first; entries && !r.bad && i < *nent; i++) {
		(*entries)[i].offset = r.off;
		(*entries)[i].data = ssr_state_get_bytes(&r, (*entries)[i].len);
	}
	if (entries && !r.bad) {
		if (r.off != r.n) {
			ssr_state_rd_fail(&r, "bytes after the last entry");
		} else {
			const uint8_t *t = f->map + f->len - 4;
			uint32_t want = (uint32_t)t[0] | (uint32_t)t[1] << 8 |
			                (uint32_t)t[2] << 16 | (uint32_t)t[3] << 24;
			uint32_t crc = 0;
			const uint8_t *p = f->map;
			size_t left = f->len - 4;
			while (left > 0) {
				uInt chunk = left > (1u << 30) ? (1u << 30) : (uInt)left;
				crc = (uint32_t)crc32(crc, p, chunk);
				p += chunk;
				left -= chunk;
			}
			if (crc != want) {
				r.off = f->len - 4;
				ssr_state_rd_fail(&r, "checksum mismatch (corrupted or cut short)");
			}
		}
	}
	if (r.bad) {
		*nent = first;
		ssr_state_head_release(h);
		return ssr_diag_set(diag, SSR_ECORRUPT, "state '%s' %s", f->path, r.why);
	}
	return SSR_EOK;
}

int ssr_state_kind(const char *path, char out[32], ssr_diag_t *diag)
{
	struct ssr_state_file f = {0};
	int rc = map_file(path, &f, diag);
	/* the engines that keep a format of their own */
	static const char *const own[][2] = {{"SSRWTRAF", "traffic"},
	                                     {"SSRWCOLL", "traffic"},
	                                     {"SSRWANCH", "traffic"},
	                                     {"SSRWRSS1", "rss"}};
	for (size_t i = 0; rc == SSR_EOK && f.len >= 8 && i < sizeof own / sizeof own[0]; i++) {
		if (memcmp(f.map, own[i][0], 8) == 0) {
			snprintf(out, 32, "%s", own[i][1]);
			unmap_file(&f);
			return SSR_EOK;
		}
	}
	ssr_state_head_t h;
	size_t nent = 0, cap = 0;
	if (rc == SSR_EOK) {
		rc = parse(&f, &h, NULL, &nent, &cap, diag);
	}
	if (rc == SSR_EOK) {
		snprintf(out, 32, "%s", h.kind);
		ssr_state_head_release(&h);
	}
	unmap_file(&f);
	return rc;
}

const char *ssr_state_head_diff(const ssr_state_head_t *a, const ssr_state_head_t *b)
{
	if (strcmp(a->kind, b->kind) != 0) {
		return "another engine";
	}
	if (a->version != b->version) {
		return "another state version";
	}
	if (strcmp(a->options, b->options) != 0) {
		return "other options";
	}
	if (strcmp(a->date, b->date) != 0) {
		return "another date";
	}
	if (a->shards != b->shards) {
		return "another shard count";
	}
	if (a->ninputs != b->ninputs) {
		return "other inputs";
	}
	for (uint32_t i = 0; i < a->ninputs; i++) {
		if (strcmp(a->input_path[i], b->input_path[i]) != 0 ||
		    a->input_size[i] != b->input_size[i]) {
			return "other inputs";
		}
	}
	return NULL;
}

static int cmp_entry(const void *x, const void *y)
{
	const ssr_state_entry_t *a = x, *b = y;
	return a->shard < b->shard ? -1 : a->shard > b->shard;
}

void ssr_state_set_release(ssr_state_set_t *set)
{
	ssr_state_head_release(&set->head);
	for (size_t i = 0; i < set->nfiles; i++) {
		unmap_file(&set->files[i]);
	}
	free(set->files);
	free(set->entry);
	memset(set, 0, sizeof *set);
}

int ssr_state_gather(const char *const *paths, size_t n, ssr_state_set_t *set, ssr_diag_t *diag)
{
	memset(set, 0, sizeof *set);
	if (n == 0) {
		return ssr_diag_set(diag, SSR_EINVAL, "no state given");
	}
	set->files = calloc(n, sizeof *set->files);
	if (!set->files) {
		return ssr_diag_set(diag, SSR_ENOMEM, "out of memory");
	}
	size_t cap = 0;
	int rc = SSR_EOK;
	for (size_t i = 0; i < n && rc == SSR_EOK; i++) {
		rc = map_file(paths[i], &set->files[i], diag);
		if (rc != SSR_EOK) {
			break;
		}
		set->nfiles = i + 1;
		ssr_state_head_t h;
		rc = parse(&set->files[i], i == 0 ? &set->head : &h, &set->entry, &set->n, &cap,
		           diag);
		if (rc == SSR_EOK && i > 0) {
			const char *why = ssr_state_head_diff(&set->head, &h);
			if (why) {
				rc = ssr_diag_set(diag, SSR_EINVAL,
				                  "state '%s': %s than '%s' (%s %s, %u shards, "
				                  "options '%s')",
				                  paths[i], why, paths[0], h.kind,
				                  h.date[0] ? h.date : "-", h.shards, h.options);
			}
			ssr_state_head_release(&h);
		}
	}
	if (rc == SSR_EOK) {
		qsort(set->entry, set->n, sizeof *set->entry, cmp_entry);
		for (size_t i = 1; i < set->n; i++) {
			if (set->entry[i].shard == set->entry[i - 1].shard) {
				rc = ssr_diag_set(
				    diag, SSR_EINVAL,
				    "state '%s': shard %u of %u is also in '%s' (the same "
				    "shard twice)",
				    set->entry[i].file, set->entry[i].shard + 1, set->head.shards,
				    set->entry[i - 1].file);
				break;
			}
		}
	}
	if (rc != SSR_EOK) {
		ssr_state_set_release(set);
	}
	return rc;
}

int ssr_state_complete(const ssr_state_set_t *set, ssr_diag_t *diag)
{
	if (set->n == set->head.shards) {
		return SSR_EOK;
	}
	char list[256];
	size_t l = 0, j = 0;
	unsigned missing = 0;
	for (uint32_t s = 0; s < set->head.shards; s++) {
		if (j < set->n && set->entry[j].shard == s) {
			j++;
			continue;
		}
		missing++;
		if (l < sizeof list - 16) {
			int w = snprintf(list + l, sizeof list - l, "%s%u", l ? ", " : "", s + 1);
			l += w > 0 ? (size_t)w : 0;
		}
	}
	return ssr_diag_set(diag, SSR_EINVAL, "shard%s %s%s of %u missing", missing > 1 ? "s" : "",
	                    list, l >= sizeof list - 16 ? ", ..." : "", set->head.shards);
}

int ssr_state_shard_parse(const char *text, uint32_t *index, uint32_t *count)
{
	char *end;
	errno = 0;
	unsigned long i = strtoul(text, &end, 10);
	if (end == text || *end != '/' || errno) {
		return SSR_EINVAL;
	}
	const char *q = end + 1;
	unsigned long n = strtoul(q, &end, 10);
	if (end == q || *end != '\0' || errno || i < 1 || i > n || n > SSR_STATE_MAX_SHARDS) {
		return SSR_EINVAL;
	}
	*index = (uint32_t)(i - 1);
	*count = (uint32_t)n;
	return SSR_EOK;
}

bool ssr_state_item_has(uint64_t item, uint32_t shard, uint32_t shards)
{
	return shards > 0 && item % shards == shard;
}

void ssr_state_assign(const uint64_t *sizes, size_t n, uint32_t shards, uint32_t *out)
{
	uint64_t *load = calloc(shards ? shards : 1, sizeof *load);
	bool *done = calloc(n ? n : 1, sizeof *done);
	if (!load || !done) { /* no memory for the balance: round robin, still deterministic */
		for (size_t i = 0; i < n; i++) {
			out[i] = shards ? (uint32_t)(i % shards) : 0;
		}
		free(load);
		free(done);
		return;
	}
	for (size_t k = 0; k < n; k++) {
		size_t best = n; /* the largest input not yet assigned, the first of equals */
		for (size_t i = 0; i < n; i++) {
			if (!done[i] && (best == n || sizes[i] > sizes[best])) {
				best = i;
			}
		}
		uint32_t s = 0;
		for (uint32_t j = 1; j < shards; j++) {
			if (load[j] < load[s]) {
				s = j;
			}
		}
		out[best] = s;
		done[best] = true;
		load[s] += sizes[best];
	}
	free(load);
	free(done);
}

int ssr_state_wrap_file(const char *path, const ssr_state_head_t *h, uint32_t shard,
                        const char *payload_path, ssr_diag_t *diag)
{
	struct ssr_state_file f = {0};
	int rc = map_file(payload_path, &f, diag);
	if (rc == SSR_EOK) {
		ssr_state_entry_t e = {.shard = shard, .data = f.map, .len = f.len};
		rc = ssr_state_write(path, h, &e, 1, diag);
	}
	unmap_file(&f);
	return rc;
}

int ssr_state_entry_file(const ssr_state_entry_t *e, char *out, size_t cap, ssr_diag_t *diag)
{
	const char *dir = getenv("TMPDIR");
	if (snprintf(out, cap, "%s/ssrwatch-shard-XXXXXX", dir && *dir ? dir : "/tmp") >=
	    (int)cap) {
		return ssr_diag_set(diag, SSR_EINVAL, "temporary file name too long");
	}
	int fd = mkstemp(out);
	if (fd < 0) {
		return ssr_diag_set(diag, SSR_EIO, "cannot create '%s': %s", out, strerror(errno));
	}
	bool ok = write_all(fd, e->data, e->len) == 0;
	int err = errno;
	if (close(fd) != 0 && ok) {
		ok = false;
		err = errno;
	}
	if (!ok) {
		unlink(out);
		return ssr_diag_set(diag, SSR_EIO, "cannot write '%s': %s", out, strerror(err));
	}
	return SSR_EOK;
}

int ssr_state_head_init(ssr_state_head_t *h, const char *kind, uint32_t version,
                        const char *options, const char *date, uint32_t shards,
                        const char *const *paths, size_t n, const char *what, ssr_diag_t *diag)
{
	memset(h, 0, sizeof *h);
	snprintf(h->kind, sizeof h->kind, "%s", kind);
	h->version = version;
	snprintf(h->date, sizeof h->date, "%s", date ? date : "");
	h->shards = shards;
	if (n > SSR_STATE_MAX_INPUTS) {
		return ssr_diag_set(diag, SSR_ELIMIT, "%s: more than %d inputs", what,
		                    SSR_STATE_MAX_INPUTS);
	}
	h->options = strdup(options);
	h->input_path = calloc(n ? n : 1, sizeof *h->input_path);
	h->input_size = calloc(n ? n : 1, sizeof *h->input_size);
	if (!h->options || !h->input_path || !h->input_size) {
		ssr_state_head_release(h);
		return ssr_diag_set(diag, SSR_ENOMEM, "%s: out of memory", what);
	}
	for (size_t i = 0; i < n; i++) {
		struct stat sb;
		if (strcmp(paths[i], "-") == 0 || stat(paths[i], &sb) != 0) {
			ssr_state_head_release(h);
			return ssr_diag_set(
			    diag, strcmp(paths[i], "-") == 0 ? SSR_EINVAL : SSR_ENOTFOUND,
			    "%s '%s': %s", what, paths[i],
			    strcmp(paths[i], "-") == 0
			        ? "standard input cannot be sharded (every shard reads "
			          "the same inputs)"
			        : "no such file");
		}
		h->input_path[i] = strdup(paths[i]);
		h->input_size[i] = (uint64_t)sb.st_size;
		h->ninputs = (uint32_t)i + 1;
		if (!h->input_path[i]) {
			ssr_state_head_release(h);
			return ssr_diag_set(diag, SSR_ENOMEM, "%s: out of memory", what);
		}
	}
	return SSR_EOK;
}

void ssr_state_part_begin(ssr_state_buf_t *b, uint32_t input, uint32_t k, uint32_t n, size_t *at)
{
	ssr_state_put_u32(b, input);
	ssr_state_put_u32(b, k);
	ssr_state_put_u32(b, n);
	*at = b->n;
	ssr_state_put_u64(b, 0); /* the length, filled in by ssr_state_part_end */
}

void ssr_state_part_end(ssr_state_buf_t *b, size_t at)
{
	if (b->oom || at + 8 > b->n) {
		return;
	}
	uint64_t len = b->n - at - 8;
	for (int i = 0; i < 8; i++) {
		b->p[at + (size_t)i] = (uint8_t)(len >> (8 * i));
	}
}

static int cmp_part(const void *x, const void *y)
{
	const ssr_state_part_t *a = x, *b = y;
	if (a->input != b->input) {
		return a->input < b->input ? -1 : 1;
	}
	return a->k < b->k ? -1 : a->k > b->k;
}

int ssr_state_parts(const ssr_state_set_t *set, ssr_state_part_t **out, size_t *nout,
                    ssr_diag_t *diag)
{
	*out = NULL;
	*nout = 0;
	int rc = ssr_state_complete(set, diag);
	ssr_state_part_t *v = NULL;
	size_t n = 0, cap = 0;
	for (size_t e = 0; e < set->n && rc == SSR_EOK; e++) {
		const ssr_state_entry_t *en = &set->entry[e];
		ssr_state_rd_t r = ssr_state_entry_rd(en);
		uint32_t np = ssr_state_get_u32(&r);
		for (uint32_t i = 0; i < np && !r.bad; i++) {
			uint32_t input = ssr_state_get_u32(&r), k = ssr_state_get_u32(&r);
			uint32_t parts = ssr_state_get_u32(&r);
			uint64_t len = ssr_state_get_u64(&r);
			size_t at = r.off;
			const uint8_t *data =
			    len <= r.n - r.off ? ssr_state_get_bytes(&r, (size_t)len) : NULL;
			if (!r.bad && !data) {
				ssr_state_rd_fail(&r, "a part longer than its entry");
			}
			if (!r.bad && (input >= set->head.ninputs || k >= parts)) {
				ssr_state_rd_fail(&r, "a part of no input");
			}
			if (r.bad) {
				break;
			}
			if (ssr_grow((void **)&v, &cap, n + 1, sizeof *v) != SSR_EOK) {
				rc = ssr_diag_set(diag, SSR_ENOMEM, "out of memory");
				break;
			}
			v[n++] = (ssr_state_part_t){.input = input,
			                            .k = k,
			                            .n = parts,
			                            .shard = en->shard,
			                            .data = data,
			                            .len = (size_t)len,
			                            .offset = en->offset + at,
			                            .file = en->file};
		}
		if (rc == SSR_EOK) {
			rc = ssr_state_rd_done(&r, diag);
		}
	}
	if (rc == SSR_EOK) {
		qsort(v, n, sizeof *v, cmp_part);
		/* every input whole: its parts 0..n-1, once each */
		size_t at = 0;
		for (uint32_t f = 0; f < set->head.ninputs && rc == SSR_EOK; f++) {
			size_t m = 0;
			while (at + m < n && v[at + m].input == f) {
				m++;
			}
			bool whole = m > 0 && m == v[at].n;
			for (size_t k = 0; whole && k < m; k++) {
				whole = v[at + k].k == k && v[at + k].n == v[at].n;
			}
			if (!whole) {
				rc = ssr_diag_set(diag, SSR_EINVAL,
				                  "input '%s': %zu parts in the states, not its %u",
				                  set->head.input_path[f], m, m ? v[at].n : 0);
			}
			at += m;
		}
	}
	if (rc != SSR_EOK) {
		free(v);
		return rc;
	}
	*out = v;
	*nout = n;
	return SSR_EOK;
}

int ssr_state_shard_work(ssr_state_buf_t *b, const char *const *paths, size_t n, bool cut,
                         uint32_t shard, uint32_t shards, ssr_state_part_fn fn, void *ctx,
                         ssr_diag_t *diag)
{
	if (n == 1 && cut) { /* one input in byte ranges: this shard's */
		size_t at;
		ssr_state_put_u32(b, 1);
		ssr_state_part_begin(b, 0, shard, shards, &at);
		int rc = fn(b, 0, shard, shards, ctx);
		ssr_state_part_end(b, at);
		return rc;
	}
	uint64_t *sizes = calloc(n ? n : 1, sizeof *sizes);
	uint32_t *to = calloc(n ? n : 1, sizeof *to);
	if (!sizes || !to) {
		free(sizes);
		free(to);
		return ssr_diag_set(diag, SSR_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < n; i++) {
		struct stat sb;
		sizes[i] = stat(paths[i], &sb) == 0 ? (uint64_t)sb.st_size : 0;
	}
	ssr_state_assign(sizes, n, shards, to);
	uint32_t mine = 0;
	for (size_t i = 0; i < n; i++) {
		mine += to[i] == shard;
	}
	ssr_state_put_u32(b, mine);
	int rc = SSR_EOK;
	for (size_t i = 0; i < n && rc == SSR_EOK; i++) {
		if (to[i] == shard) {
			size_t at;
			ssr_state_part_begin(b, (uint32_t)i, 0, 1, &at);
			rc = fn(b, (uint32_t)i, 0, 1, ctx);
			ssr_state_part_end(b, at);
		}
	}
	free(sizes);
	free(to);
	if (rc == SSR_EOK && b->oom) {
		rc = ssr_diag_set(diag, SSR_ENOMEM, "out of memory");
	}
	return rc;
}

/* ---- sets of hashes ------------------------------------------------------------------------ */

typedef struct {
	ssr_state_buf_t *b;
	uint64_t count, prev;
} hput_t;

static int put_one(uint64_t v, void *ctx)
{
	hput_t *h = ctx;
	uint64_t d = h->count ? v - h->prev : v;
	uint8_t t[10];
	size_t n = 0;
	while (d >= 0x80) {
		t[n++] = (uint8_t)(d | 0x80);
		d >>= 7;
	}
	t[n++] = (uint8_t)d;
	ssr_state_put_bytes(h->b, t, n);
	h->prev = v;
	h->count++;
	return h->b->oom ? SSR_ENOMEM : SSR_EOK;
}

int ssr_state_put_hashes(ssr_state_buf_t *b, struct ssr_hashrun *h, bool *repeats, ssr_diag_t *diag)
{
	size_t at = b->n;
	ssr_state_put_u64(b, 0);
	hput_t x = {.b = b};
	int rc = ssr_hashrun_each(h, put_one, &x, repeats, diag);
	if (rc == SSR_ENOMEM || b->oom) {
		return ssr_diag_set(diag, SSR_ENOMEM, "state: out of memory");
	}
	if (rc == SSR_EOK) {
		for (int i = 0; i < 8; i++) {
			b->p[at + (size_t)i] = (uint8_t)(x.count >> (8 * i));
		}
	}
	return rc;
}

int ssr_state_get_hashes(ssr_state_rd_t *r, int (*fn)(uint64_t v, void *ctx), void *ctx)
{
	uint64_t n = ssr_state_get_count(r, 1), v = 0;
	const uint8_t *p = r->p + r->off, *e = r->p + r->n;
	for (uint64_t j = 0; j < n && !r->bad; j++) {
		uint64_t d = 0;
		unsigned sh = 0;
		while (p < e && (*p & 0x80) && sh < 63) {
			d |= (uint64_t)(*p++ & 0x7f) << sh;
			sh += 7;
		}
		if (p == e || (sh == 63 && *p > 1)) {
			r->off = (size_t)(p - r->p);
			ssr_state_rd_fail(r, "a bad hash");
			break;
		}
		d |= (uint64_t)*p++ << sh;
		if (j > 0 && (d == 0 || v + d < v)) {
			r->off = (size_t)(p - r->p);
			ssr_state_rd_fail(r, "hashes out of order");
			break;
		}
		v = j > 0 ? v + d : d;
		int rc = fn(v, ctx);
		if (rc != SSR_EOK) {
			return rc;
		}
	}
	if (!r->bad) {
		r->off = (size_t)(p - r->p);
	}
	return SSR_EOK;
}
