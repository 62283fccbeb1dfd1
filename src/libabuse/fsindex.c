/* ssrwatch — first-seen index of delegations: sorted hash runs, k-way merge, atomic rename. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fsindex.h"
#include "ssrwatch/hashrun.h"

#define MAX_PARTS   16
#define MAGIC       "SSRFSI1\n"
#define HEADER_SIZE 32
#define REC_SIZE    12
#define READ_BATCH  4096

struct abuse_fsi {
	char *dir, *zone, *index_path, *new_path;
	ssr_hashrun_t *runs; /* the current delegations' hashes, runs next to the index */
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
	abuse_fsi_t *f = calloc(1, sizeof *f);
	if (f == NULL) {
		return ssr_diag_set(diag, SSR_ENOMEM, "index: out of memory");
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
	int rc = ssr_hashrun_new(f->index_path, mem, MAX_PARTS, &f->runs, diag);
	if (rc != SSR_EOK) {
		abuse_fsi_free(f);
		return rc;
	}
	*out = f;
	return SSR_EOK;
}

void abuse_fsi_reset(abuse_fsi_t *f)
{
	if (f->writer_running) {
		pthread_join(f->writer, NULL);
		f->writer_running = false;
	}
	f->writer_done = false;
	if (f->runs != NULL) {
		ssr_hashrun_reset(f->runs);
	}
}

void abuse_fsi_free(abuse_fsi_t *f)
{
	if (f == NULL) {
		return;
	}
	abuse_fsi_reset(f);
	ssr_hashrun_free(f->runs);
	if (f->pending && f->new_path != NULL) {
		unlink(f->new_path);
	}
	free(f->dir);
	free(f->zone);
	free(f->index_path);
	free(f->new_path);
	free(f);
}

struct ssr_hashrun *abuse_fsi_runs(abuse_fsi_t *f)
{
	return f->runs;
}

int abuse_fsi_add(abuse_fsi_t *f, unsigned part, uint64_t hash)
{
	return ssr_hashrun_add(f->runs, part, hash);
}

/* ---- merging ------------------------------------------------------------------- */

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

int abuse_fsi_save(abuse_fsi_t *f, ssr_state_buf_t *b, ssr_diag_t *diag)
{
	return ssr_state_put_hashes(b, f->runs, NULL, diag);
}

/* The new index's writer: each current delegation's hash (ascending) against the old index. */
typedef struct {
	old_t *old;
	int32_t day;
	FILE *out; /* NULL: a back-fill only counts */
	uint8_t wbuf[READ_BATCH * REC_SIZE];
	size_t wn;
	uint64_t n;
	uint64_t written, started; /* bytes written; bytes whose write-back was started */
} writer_t;

/* Start the write-back of what was written since the last call, every WRITEBACK bytes: the
 * fdatasync at the end (the store commits only after it) then waits for the tail only, not
 * for a 240 MB index of 20M delegations at once. */
#define WRITEBACK (32u << 20)

static void writeback(writer_t *w)
{
	if (w->written - w->started >= WRITEBACK && fflush(w->out) == 0) {
		(void)sync_file_range(fileno(w->out), (off64_t)(HEADER_SIZE + w->started),
		                      (off64_t)(w->written - w->started), SYNC_FILE_RANGE_WRITE);
		w->started = w->written;
	}
}

static int put_record(uint64_t v, void *ctx)
{
	writer_t *w = ctx;
	while (w->old->valid && w->old->hash < v) {
		old_next(w->old);
	}
	int32_t fd = w->day;
	if (w->old->valid && w->old->hash == v && w->old->first < w->day) {
		fd = w->old->first;
	}
	w->n++;
	if (w->out != NULL) {
		memcpy(w->wbuf + w->wn * REC_SIZE, &v, 8);
		memcpy(w->wbuf + w->wn * REC_SIZE + 8, &fd, 4);
		if (++w->wn == READ_BATCH) {
			if (fwrite(w->wbuf, REC_SIZE, w->wn, w->out) != w->wn) {
				return SSR_EIO;
			}
			w->written += w->wn * REC_SIZE;
			w->wn = 0;
			writeback(w);
		}
	}
	return SSR_EOK;
}

/* Merge the runs and residual buffers with the old index into the new one (pending until
 * abuse_fsi_commit); *count: the distinct current delegations. */
static int write_index(abuse_fsi_t *f, int32_t day, uint64_t *count, ssr_diag_t *diag)
{
	writer_t *w = calloc(1, sizeof(*w));
	old_t *old = calloc(1, sizeof(*old));
	if (w == NULL || old == NULL) {
		free(w);
		free(old);
		return ssr_diag_set(diag, SSR_ENOMEM, "index: out of memory");
	}
	header_t oh = {.origin = day, .latest = INT32_MIN};
	int rc = open_old(f, old, &oh, diag);
	bool have_old = rc == SSR_EOK;
	if (rc == SSR_ENOTFOUND) {
		rc = SSR_EOK;
		oh.origin = day;
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
	*w = (writer_t){.old = old, .day = day, .out = out};
	old_next(old);
	if (rc == SSR_EOK) {
		rc = ssr_hashrun_each(f->runs, put_record, w, NULL, diag);
		if (rc == SSR_EIO) {
			rc = ssr_diag_set(diag, SSR_EIO, "index '%s': write failed", f->new_path);
		}
	}
	if (out != NULL) {
		if (rc == SSR_EOK && w->wn > 0 && fwrite(w->wbuf, REC_SIZE, w->wn, out) != w->wn) {
			rc = ssr_diag_set(diag, SSR_EIO, "index '%s': write failed", f->new_path);
		}
		nh.count = w->n;
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
	if (rc == SSR_EOK) {
		*count = w->n;
	}
	free(old);
	free(w);
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
