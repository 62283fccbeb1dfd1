/* ssrwatch — first-seen index of delegations: sorted hash runs, k-way merge, atomic rename. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fsindex.h"
#include "ssrwatch/sort.h"

#define MAX_PARTS   16
#define MAGIC       "SSRFSI1\n"
#define HEADER_SIZE 32
#define REC_SIZE    12
#define READ_BATCH  4096

/* One per reader thread, each on its own cache lines: the parts append concurrently, and a
 * shared line (false sharing) cost ~100 ns per delegation. */
typedef struct {
	_Alignas(64) uint64_t *buf;
	uint64_t *tmp;
	size_t n;
	char **runs;
	size_t nruns;
	int err;
} part_t;

struct abuse_fsi {
	char *dir, *zone, *index_path, *new_path;
	size_t cap; /* hashes per part buffer */
	part_t part[MAX_PARTS];
	bool pending;
	/* the background writer of the new index */
	pthread_t writer;
	bool writer_running, writer_done;
	int32_t writer_day;
	int writer_rc;
	uint64_t writer_count;
	ssr_diag_t writer_diag;
};

static char *join(const char *a, const char *b, const char *c)
{
	size_t n = strlen(a) + strlen(b) + strlen(c) + 1;
	char *s = malloc(n);
	if (s != NULL) {
		snprintf(s, n, "%s%s%s", a, b, c);
	}
	return s;
}

int abuse_fsi_new(const char *dir, const char *zone, size_t mem, abuse_fsi_t **out,
                  ssr_diag_t *diag)
{
	/* cache-line aligned, so that each part really has its lines to itself */
	size_t size = (sizeof(abuse_fsi_t) + 63) / 64 * 64;
	abuse_fsi_t *f = aligned_alloc(64, size);
	if (f != NULL) {
		memset(f, 0, size);
	}
	if (f == NULL) {
		return ssr_diag_set(diag, SSR_ENOMEM, "index: out of memory");
	}
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	if (cpus < 1) {
		cpus = 1;
	}
	if (cpus > MAX_PARTS) {
		cpus = MAX_PARTS;
	}
	if (mem == 0) {
		mem = 64u << 20;
	}
	/* a buffer and its radix-sort scratch per part */
	f->cap = mem / (size_t)cpus / 16;
	if (f->cap < 1024) {
		f->cap = 1024;
	}
	char name[300];
	snprintf(name, sizeof(name), "/%s.fsi", zone);
	f->dir = strdup(dir);
	f->zone = strdup(zone);
	f->index_path = join(dir, name, "");
	char suffix[64];
	snprintf(suffix, sizeof(suffix), ".new.%ld", (long)getpid());
	f->new_path = f->index_path ? join(f->index_path, suffix, "") : NULL;
	if (f->dir == NULL || f->zone == NULL || f->index_path == NULL || f->new_path == NULL) {
		abuse_fsi_free(f);
		return ssr_diag_set(diag, SSR_ENOMEM, "index: out of memory");
	}
	*out = f;
	return SSR_EOK;
}

static void drop_runs(part_t *p)
{
	for (size_t i = 0; i < p->nruns; i++) {
		unlink(p->runs[i]);
		free(p->runs[i]);
	}
	free(p->runs);
	p->runs = NULL;
	p->nruns = 0;
}

void abuse_fsi_reset(abuse_fsi_t *f)
{
	if (f->writer_running) {
		pthread_join(f->writer, NULL);
		f->writer_running = false;
	}
	f->writer_done = false;
	for (unsigned i = 0; i < MAX_PARTS; i++) {
		drop_runs(&f->part[i]);
		f->part[i].n = 0;
		f->part[i].err = SSR_EOK;
	}
}

void abuse_fsi_free(abuse_fsi_t *f)
{
	if (f == NULL) {
		return;
	}
	abuse_fsi_reset(f);
	for (unsigned i = 0; i < MAX_PARTS; i++) {
		free(f->part[i].buf);
		free(f->part[i].tmp);
	}
	if (f->pending && f->new_path != NULL) {
		unlink(f->new_path);
	}
	free(f->dir);
	free(f->zone);
	free(f->index_path);
	free(f->new_path);
	free(f);
}

/* Sort (radix) and drop repeats; returns the new length. */
static size_t sort_unique(uint64_t *a, uint64_t *tmp, size_t n)
{
	ssr_sort_u64(a, tmp, n);
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		if (m == 0 || a[m - 1] != a[i]) {
			a[m++] = a[i];
		}
	}
	return m;
}

static int spill(abuse_fsi_t *f, unsigned part)
{
	part_t *p = &f->part[part];
	if (p->tmp == NULL && (p->tmp = malloc(f->cap * sizeof(uint64_t))) == NULL) {
		return SSR_ENOMEM;
	}
	size_t n = sort_unique(p->buf, p->tmp, p->n);
	char suffix[96];
	snprintf(suffix, sizeof(suffix), ".run.%ld.%u.%zu", (long)getpid(), part, p->nruns);
	char *path = join(f->index_path, suffix, "");
	char **runs = realloc(p->runs, (p->nruns + 1) * sizeof(char *));
	if (path == NULL || runs == NULL) {
		free(path);
		if (runs != NULL) {
			p->runs = runs;
		}
		return SSR_ENOMEM;
	}
	p->runs = runs;
	FILE *fp = fopen(path, "wb");
	if (fp == NULL) {
		free(path);
		return SSR_EIO;
	}
	p->runs[p->nruns++] = path;
	bool ok = fwrite(p->buf, sizeof(uint64_t), n, fp) == n;
	ok &= fclose(fp) == 0;
	p->n = 0;
	return ok ? SSR_EOK : SSR_EIO;
}

int abuse_fsi_add(abuse_fsi_t *f, unsigned part, uint64_t hash)
{
	if (part >= MAX_PARTS) {
		return SSR_EINVAL;
	}
	part_t *p = &f->part[part];
	if (p->buf == NULL && (p->buf = malloc(f->cap * sizeof(uint64_t))) == NULL) {
		return p->err = SSR_ENOMEM;
	}
	if (p->n == f->cap) {
		int rc = spill(f, part);
		if (rc != SSR_EOK) {
			return p->err = rc;
		}
	}
	p->buf[p->n++] = hash;
	return SSR_EOK;
}

/* ---- merging ------------------------------------------------------------------- */

typedef struct {
	FILE *fp;            /* a run file, or NULL: the memory array */
	const uint64_t *mem; /* residual sorted buffer */
	size_t pos, n;       /* within mem or the read batch */
	uint64_t batch[READ_BATCH];
	uint64_t cur;
} source_t;

static bool src_next(source_t *s)
{
	if (s->fp == NULL) {
		if (s->pos >= s->n) {
			return false;
		}
		s->cur = s->mem[s->pos++];
		return true;
	}
	if (s->pos >= s->n) {
		s->n = fread(s->batch, sizeof(uint64_t), READ_BATCH, s->fp);
		s->pos = 0;
		if (s->n == 0) {
			return false;
		}
	}
	s->cur = s->batch[s->pos++];
	return true;
}

typedef struct {
	source_t **heap;
	size_t n;
} heap_t;

static void sift_down(heap_t *h, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		if (l < h->n && h->heap[l]->cur < h->heap[m]->cur) {
			m = l;
		}
		if (r < h->n && h->heap[r]->cur < h->heap[m]->cur) {
			m = r;
		}
		if (m == i) {
			return;
		}
		source_t *t = h->heap[i];
		h->heap[i] = h->heap[m];
		h->heap[m] = t;
		i = m;
	}
}

/* Next distinct hash of the current delegations; false at the end. */
static bool heap_next(heap_t *h, uint64_t *out, bool *have_last, uint64_t *last)
{
	while (h->n > 0) {
		source_t *top = h->heap[0];
		uint64_t v = top->cur;
		if (!src_next(top)) {
			h->heap[0] = h->heap[--h->n];
		}
		sift_down(h, 0);
		if (*have_last && v == *last) {
			continue;
		}
		*have_last = true;
		*last = v;
		*out = v;
		return true;
	}
	return false;
}

typedef struct {
	FILE *fp;
	uint8_t batch[READ_BATCH * REC_SIZE];
	size_t pos, n;
	uint64_t remaining;
	uint64_t hash;
	int32_t first;
	bool valid;
} old_t;

static void old_next(old_t *o)
{
	o->valid = false;
	if (o->fp == NULL || o->remaining == 0) {
		return;
	}
	if (o->pos >= o->n) {
		size_t want = o->remaining < READ_BATCH ? (size_t)o->remaining : READ_BATCH;
		o->n = fread(o->batch, REC_SIZE, want, o->fp);
		o->pos = 0;
		if (o->n == 0) {
			o->remaining = 0;
			return;
		}
	}
	memcpy(&o->hash, o->batch + o->pos * REC_SIZE, 8);
	memcpy(&o->first, o->batch + o->pos * REC_SIZE + 8, 4);
	o->pos++;
	o->remaining--;
	o->valid = true;
}

typedef struct {
	int32_t origin, latest;
	uint64_t count;
} header_t;

static void put_header(uint8_t out[HEADER_SIZE], const header_t *h)
{
	memset(out, 0, HEADER_SIZE);
	memcpy(out, MAGIC, 8);
	memcpy(out + 8, &h->origin, 4);
	memcpy(out + 12, &h->latest, 4);
	memcpy(out + 16, &h->count, 8);
}

/* Open the existing index: SSR_ENOTFOUND when there is none. */
static int open_old(abuse_fsi_t *f, old_t *o, header_t *h, ssr_diag_t *diag)
{
	o->fp = fopen(f->index_path, "rb");
	if (o->fp == NULL) {
		if (errno == ENOENT) {
			return SSR_ENOTFOUND;
		}
		return ssr_diag_set(diag, SSR_EIO, "index '%s': cannot open: %s", f->index_path,
		                    strerror(errno));
	}
	uint8_t hb[HEADER_SIZE];
	if (fread(hb, 1, HEADER_SIZE, o->fp) != HEADER_SIZE || memcmp(hb, MAGIC, 8) != 0) {
		fclose(o->fp);
		o->fp = NULL;
		return ssr_diag_set(diag, SSR_ECORRUPT,
		                    "index '%s': not a first-seen index (bad header)",
		                    f->index_path);
	}
	memcpy(&h->origin, hb + 8, 4);
	memcpy(&h->latest, hb + 12, 4);
	memcpy(&h->count, hb + 16, 8);
	o->remaining = h->count;
	return SSR_EOK;
}

/* The sources of the hashes added: every run and every residual buffer (sorted here), in a
 * heap; release with close_sources. */
typedef struct {
	source_t *src;
	size_t k;
	heap_t h;
} sources_t;

static void close_sources(sources_t *s)
{
	for (size_t i = 0; i < s->k; i++) {
		if (s->src[i].fp != NULL) {
			fclose(s->src[i].fp);
		}
	}
	free(s->src);
	free(s->h.heap);
	memset(s, 0, sizeof *s);
}

static int open_sources(abuse_fsi_t *f, sources_t *s, ssr_diag_t *diag)
{
	memset(s, 0, sizeof *s);
	for (unsigned i = 0; i < MAX_PARTS; i++) {
		if (f->part[i].err != SSR_EOK) {
			return ssr_diag_set(diag, f->part[i].err, "index '%s': %s", f->index_path,
			                    ssr_strerror(f->part[i].err));
		}
	}
	size_t nsrc = 0;
	for (unsigned i = 0; i < MAX_PARTS; i++) {
		nsrc += f->part[i].nruns + (f->part[i].n > 0);
	}
	s->src = calloc(nsrc ? nsrc : 1, sizeof(*s->src));
	s->h.heap = calloc(nsrc ? nsrc : 1, sizeof(source_t *));
	if (s->src == NULL || s->h.heap == NULL) {
		close_sources(s);
		return ssr_diag_set(diag, SSR_ENOMEM, "index: out of memory");
	}
	int rc = SSR_EOK;
	for (unsigned i = 0; i < MAX_PARTS && rc == SSR_EOK; i++) {
		part_t *p = &f->part[i];
		for (size_t r = 0; r < p->nruns; r++) {
			s->src[s->k].fp = fopen(p->runs[r], "rb");
			if (s->src[s->k].fp == NULL) {
				rc = ssr_diag_set(diag, SSR_EIO, "index run '%s': %s", p->runs[r],
				                  strerror(errno));
				break;
			}
			s->k++;
		}
		if (p->n > 0 && rc == SSR_EOK) {
			if (p->tmp == NULL &&
			    (p->tmp = malloc(f->cap * sizeof(uint64_t))) == NULL) {
				rc = ssr_diag_set(diag, SSR_ENOMEM, "index: out of memory");
				break;
			}
			p->n = sort_unique(p->buf, p->tmp, p->n);
			s->src[s->k].mem = p->buf;
			s->src[s->k].n = p->n;
			s->k++;
		}
	}
	if (rc != SSR_EOK) {
		close_sources(s);
		return rc;
	}
	for (size_t i = 0; i < s->k; i++) {
		if (src_next(&s->src[i])) {
			s->h.heap[s->h.n++] = &s->src[i];
		}
	}
	for (size_t i = s->h.n; i-- > 0;) {
		sift_down(&s->h, i);
	}
	return SSR_EOK;
}

int abuse_fsi_each(abuse_fsi_t *f, int (*fn)(uint64_t hash, void *ctx), void *ctx, ssr_diag_t *diag)
{
	sources_t s;
	int rc = open_sources(f, &s, diag);
	uint64_t v = 0, last = 0;
	bool have_last = false;
	while (rc == SSR_EOK && heap_next(&s.h, &v, &have_last, &last)) {
		rc = fn(v, ctx);
	}
	close_sources(&s);
	return rc;
}

/* Merge the runs and residual buffers with the old index into the new one (pending until
 * abuse_fsi_commit); *count: the distinct current delegations. */
static int write_index(abuse_fsi_t *f, int32_t day, uint64_t *count, ssr_diag_t *diag)
{
	sources_t s;
	int rc = open_sources(f, &s, diag);
	if (rc != SSR_EOK) {
		return rc;
	}
	old_t *old = calloc(1, sizeof(*old));
	if (old == NULL) {
		close_sources(&s);
		return ssr_diag_set(diag, SSR_ENOMEM, "index: out of memory");
	}
	header_t oh = {.origin = day, .latest = INT32_MIN};
	bool have_old = false;
	if (rc == SSR_EOK) {
		rc = open_old(f, old, &oh, diag);
		have_old = rc == SSR_EOK;
		if (rc == SSR_ENOTFOUND) {
			rc = SSR_EOK;
			oh.origin = day;
		}
	}
	bool write = rc == SSR_EOK && (!have_old || day >= oh.latest);
	FILE *out = NULL;
	if (write) {
		out = fopen(f->new_path, "wb");
		if (out == NULL) {
			rc = ssr_diag_set(diag, SSR_EIO, "index '%s': cannot write: %s",
			                  f->new_path, strerror(errno));
		} else {
			f->pending = true;
			uint8_t hb[HEADER_SIZE] = {0};
			if (fwrite(hb, 1, HEADER_SIZE, out) != HEADER_SIZE) {
				rc = SSR_EIO;
			}
		}
	}
	header_t nh = {.origin = have_old && oh.origin < day ? oh.origin : day,
	               .latest = have_old && oh.latest > day ? oh.latest : day};
	uint64_t v = 0, last = 0, n = 0;
	bool have_last = false;
	uint8_t wbuf[READ_BATCH * REC_SIZE];
	size_t wn = 0;
	old_next(old);
	while (rc == SSR_EOK && heap_next(&s.h, &v, &have_last, &last)) {
		while (old->valid && old->hash < v) {
			old_next(old);
		}
		int32_t fd = day;
		if (old->valid && old->hash == v && old->first < day) {
			fd = old->first;
		}
		n++;
		if (out != NULL) {
			memcpy(wbuf + wn * REC_SIZE, &v, 8);
			memcpy(wbuf + wn * REC_SIZE + 8, &fd, 4);
			if (++wn == READ_BATCH) {
				if (fwrite(wbuf, REC_SIZE, wn, out) != wn) {
					rc = ssr_diag_set(diag, SSR_EIO, "index '%s': write failed",
					                  f->new_path);
				}
				wn = 0;
			}
		}
	}
	if (out != NULL) {
		if (rc == SSR_EOK && wn > 0 && fwrite(wbuf, REC_SIZE, wn, out) != wn) {
			rc = ssr_diag_set(diag, SSR_EIO, "index '%s': write failed", f->new_path);
		}
		nh.count = n;
		uint8_t hb[HEADER_SIZE];
		put_header(hb, &nh);
		if (rc == SSR_EOK && (fseek(out, 0, SEEK_SET) != 0 ||
		                      fwrite(hb, 1, HEADER_SIZE, out) != HEADER_SIZE ||
		                      fflush(out) != 0 || fdatasync(fileno(out)) != 0)) {
			rc = ssr_diag_set(diag, SSR_EIO, "index '%s': write failed: %s",
			                  f->new_path, strerror(errno));
		}
		if (fclose(out) != 0 && rc == SSR_EOK) {
			rc = ssr_diag_set(diag, SSR_EIO, "index '%s': write failed", f->new_path);
		}
	}
	if (old->fp != NULL) {
		fclose(old->fp);
	}
	free(old);
	close_sources(&s);
	if (rc == SSR_EOK) {
		*count = n;
	}
	return rc;
}

static void *writer_run(void *arg)
{
	abuse_fsi_t *f = arg;
	f->writer_rc = write_index(f, f->writer_day, &f->writer_count, &f->writer_diag);
	return NULL;
}

int abuse_fsi_write_start(abuse_fsi_t *f, int32_t day, ssr_diag_t *diag)
{
	for (unsigned i = 0; i < MAX_PARTS; i++) {
		if (f->part[i].err != SSR_EOK) {
			return ssr_diag_set(diag, f->part[i].err, "index '%s': %s", f->index_path,
			                    ssr_strerror(f->part[i].err));
		}
	}
	if (f->writer_running) {
		return ssr_diag_set(diag, SSR_EINVAL, "index '%s': already being written",
		                    f->index_path);
	}
	f->writer_day = day;
	f->writer_rc = SSR_EOK;
	ssr_diag_clear(&f->writer_diag);
	if (pthread_create(&f->writer, NULL, writer_run, f) != 0) {
		/* no thread: write it here */
		f->writer_rc = write_index(f, day, &f->writer_count, &f->writer_diag);
		f->writer_done = true;
		return SSR_EOK;
	}
	f->writer_running = true;
	return SSR_EOK;
}

int abuse_fsi_write_wait(abuse_fsi_t *f, uint64_t *count, ssr_diag_t *diag)
{
	if (f->writer_running) {
		pthread_join(f->writer, NULL);
		f->writer_running = false;
		f->writer_done = true;
	}
	if (!f->writer_done) {
		return ssr_diag_set(diag, SSR_EINVAL, "index '%s': not being written",
		                    f->index_path);
	}
	if (f->writer_rc != SSR_EOK) {
		return ssr_diag_set(diag, f->writer_rc, "%s", f->writer_diag.msg);
	}
	*count = f->writer_count;
	return SSR_EOK;
}

int abuse_fsi_lookup(abuse_fsi_t *f, int32_t day, const uint64_t *q, size_t nq, int32_t *first,
                     int32_t *origin, ssr_diag_t *diag)
{
	old_t *old = calloc(1, sizeof(*old));
	if (old == NULL) {
		return ssr_diag_set(diag, SSR_ENOMEM, "index: out of memory");
	}
	header_t oh = {.origin = day, .latest = INT32_MIN};
	int rc = open_old(f, old, &oh, diag);
	bool have_old = rc == SSR_EOK;
	if (rc == SSR_ENOTFOUND) {
		rc = SSR_EOK;
	}
	if (rc == SSR_EOK) {
		old_next(old);
		for (size_t i = 0; i < nq; i++) {
			while (old->valid && old->hash < q[i]) {
				old_next(old);
			}
			first[i] =
			    old->valid && old->hash == q[i] && old->first < day ? old->first : day;
		}
		*origin = have_old && oh.origin < day ? oh.origin : day;
	}
	if (old->fp != NULL) {
		fclose(old->fp);
	}
	free(old);
	return rc;
}

int abuse_fsi_commit(abuse_fsi_t *f, ssr_diag_t *diag)
{
	if (!f->pending) {
		return SSR_EOK;
	}
	if (rename(f->new_path, f->index_path) != 0) {
		return ssr_diag_set(diag, SSR_EIO, "index '%s': cannot rename: %s", f->index_path,
		                    strerror(errno));
	}
	f->pending = false;
	return SSR_EOK;
}
