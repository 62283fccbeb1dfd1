/* ssrwatch — sets of 64-bit hashes in bounded memory: sorted runs and a k-way merge
 * (include/ssrwatch/hashrun.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ssrwatch/arena.h"
#include "ssrwatch/hashrun.h"
#include "ssrwatch/sort.h"

#define READ_BATCH 4096

/* One per reader thread, each on its own cache lines: the parts append concurrently, and a
 * shared line (false sharing) cost ~100 ns per delegation. */
typedef struct {
	_Alignas(64) uint64_t *buf;
	uint64_t *tmp;
	size_t n;
	uint64_t added;
	char **runs;
	bool *sorted; /* per run: written sorted (else as added, while deferred) */
	size_t nruns;
	bool repeats; /* a buffer written as a run held a hash twice */
	bool defer;   /* spill full buffers as they are (ssr_hashrun_defer) */
	int err;
} part_t;

struct ssr_hashrun {
	char *prefix;
	size_t cap; /* hashes per part buffer */
	unsigned nparts;
	part_t part[SSR_HASHRUN_MAX_PARTS];
};

int ssr_hashrun_new(const char *path_prefix, size_t mem, unsigned parts, ssr_hashrun_t **out,
                    ssr_diag_t *diag)
{
	if (parts == 0 || parts > SSR_HASHRUN_MAX_PARTS) {
		return ssr_diag_set(diag, SSR_EINVAL, "hash runs: %u parts", parts);
	}
	/* cache-line aligned, so that each part really has its lines to itself */
	size_t size = (sizeof(ssr_hashrun_t) + 63) / 64 * 64;
	ssr_hashrun_t *h = aligned_alloc(64, size);
	if (h != NULL) {
		memset(h, 0, size);
		h->prefix = strdup(path_prefix);
	}
	if (h == NULL || h->prefix == NULL) {
		free(h);
		return ssr_diag_set(diag, SSR_ENOMEM, "hash runs: out of memory");
	}
	if (mem == 0) {
		mem = 64u << 20;
	}
	h->nparts = parts;
	/* a buffer and its radix-sort scratch per part, for as many parts as run at once */
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned active = cpus < 1 ? 1 : cpus < (long)parts ? (unsigned)cpus : parts;
	h->cap = mem / active / 16;
	if (h->cap < 1024) {
		h->cap = 1024;
	}
	*out = h;
	return SSR_EOK;
}

static void drop_runs(part_t *p)
{
	for (size_t i = 0; i < p->nruns; i++) {
		unlink(p->runs[i]);
		free(p->runs[i]);
	}
	free(p->runs);
	free(p->sorted);
	p->runs = NULL;
	p->sorted = NULL;
	p->nruns = 0;
}

void ssr_hashrun_reset(ssr_hashrun_t *h)
{
	for (unsigned i = 0; i < h->nparts; i++) {
		drop_runs(&h->part[i]);
		h->part[i].n = 0;
		h->part[i].added = 0;
		h->part[i].repeats = false;
		h->part[i].defer = false;
		h->part[i].err = SSR_EOK;
	}
}

void ssr_hashrun_free(ssr_hashrun_t *h)
{
	if (h == NULL) {
		return;
	}
	ssr_hashrun_reset(h);
	for (unsigned i = 0; i < h->nparts; i++) {
		free(h->part[i].buf);
		free(h->part[i].tmp);
	}
	free(h->prefix);
	free(h);
}

uint64_t ssr_hashrun_count(const ssr_hashrun_t *h)
{
	uint64_t n = 0;
	for (unsigned i = 0; i < h->nparts; i++) {
		n += h->part[i].added;
	}
	return n;
}

/* Sort (radix) and drop repeats (noted in the part); the buffer's new length. */
static size_t sort_unique(part_t *p, size_t cap)
{
	if (p->tmp == NULL) {
		if ((p->tmp = malloc(cap * sizeof(uint64_t))) == NULL) {
			p->err = SSR_ENOMEM;
			return p->n;
		}
		ssr_mem_hugepages(p->tmp, cap * sizeof(uint64_t));
	}
	uint64_t *a = p->buf;
	ssr_sort_u64(a, p->tmp, p->n);
	size_t m = 0;
	for (size_t i = 0; i < p->n; i++) {
		if (m == 0 || a[m - 1] != a[i]) {
			a[m++] = a[i];
		}
	}
	p->repeats |= m != p->n;
	return m;
}

/* Write buf[0..n) to run file r (a new one when r == p->nruns). */
static int write_run(ssr_hashrun_t *h, unsigned part, size_t r, size_t n, bool sorted)
{
	part_t *p = &h->part[part];
	if (r == p->nruns) {
		char suffix[96];
		snprintf(suffix, sizeof(suffix), ".run.%ld.%u.%zu", (long)getpid(), part, p->nruns);
		size_t pl = strlen(h->prefix) + strlen(suffix) + 1;
		char *path = malloc(pl);
		char **runs = realloc(p->runs, (p->nruns + 1) * sizeof(char *));
		if (runs != NULL) {
			p->runs = runs;
		}
		bool *srt = realloc(p->sorted, (p->nruns + 1) * sizeof(bool));
		if (srt != NULL) {
			p->sorted = srt;
		}
		if (path == NULL || runs == NULL || srt == NULL) {
			free(path);
			return SSR_ENOMEM;
		}
		snprintf(path, pl, "%s%s", h->prefix, suffix);
		p->runs[p->nruns] = path;
		p->sorted[p->nruns++] = false;
	}
	FILE *fp = fopen(p->runs[r], "wb");
	if (fp == NULL) {
		return SSR_EIO;
	}
	bool ok = fwrite(p->buf, sizeof(uint64_t), n, fp) == n;
	ok &= fclose(fp) == 0;
	p->sorted[r] = sorted;
	return ok ? SSR_EOK : SSR_EIO;
}

static int spill(ssr_hashrun_t *h, unsigned part)
{
	part_t *p = &h->part[part];
	bool sorted = !p->defer;
	size_t n = sorted ? sort_unique(p, h->cap) : p->n;
	if (p->err != SSR_EOK) {
		return p->err;
	}
	p->n = 0;
	return write_run(h, part, p->nruns, n, sorted);
}

/* Before a walk: every run written unsorted is read back, sorted and written again (the
 * buffer's hashes first spilled, sorted, to make room). */
static int sort_deferred(ssr_hashrun_t *h, unsigned part)
{
	part_t *p = &h->part[part];
	bool any = false;
	for (size_t r = 0; r < p->nruns; r++) {
		any |= !p->sorted[r];
	}
	p->defer = false;
	if (!any) {
		return SSR_EOK;
	}
	int rc = p->n > 0 ? spill(h, part) : SSR_EOK;
	for (size_t r = 0; r < p->nruns && rc == SSR_EOK; r++) {
		if (p->sorted[r]) {
			continue;
		}
		FILE *fp = fopen(p->runs[r], "rb");
		if (fp == NULL) {
			return SSR_EIO;
		}
		p->n = fread(p->buf, sizeof(uint64_t), h->cap, fp);
		bool bad = ferror(fp) || fgetc(fp) != EOF;
		fclose(fp);
		if (bad) {
			p->n = 0;
			return SSR_EIO;
		}
		size_t n = sort_unique(p, h->cap);
		p->n = 0;
		rc = p->err != SSR_EOK ? p->err : write_run(h, part, r, n, true);
	}
	return rc;
}

void ssr_hashrun_defer(ssr_hashrun_t *h, unsigned part, bool defer)
{
	if (part < h->nparts) {
		h->part[part].defer = defer;
	}
}

int ssr_hashrun_add(ssr_hashrun_t *h, unsigned part, uint64_t v)
{
	if (part >= h->nparts) {
		return SSR_EINVAL;
	}
	part_t *p = &h->part[part];
	if (p->err != SSR_EOK) {
		return p->err;
	}
	if (p->buf == NULL) {
		if ((p->buf = malloc(h->cap * sizeof(uint64_t))) == NULL) {
			return p->err = SSR_ENOMEM;
		}
		ssr_mem_hugepages(p->buf, h->cap * sizeof(uint64_t));
	}
	if (p->n == h->cap) {
		int rc = spill(h, part);
		if (rc != SSR_EOK) {
			return p->err = rc;
		}
	}
	p->buf[p->n++] = v;
	p->added++;
	return SSR_EOK;
}

/* ---- the walk: a heap of sources (run files and sorted buffers) ------------------------- */

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

/* The heap holds each source's current hash beside it: the comparisons read one contiguous
 * array, not a source each (the walk of 20M hashes from a dozen runs is the first-seen index
 * writer's whole work). */
typedef struct {
	uint64_t cur;
	source_t *src;
} head_t;

/* The entry e put at i and moved down to its place (a hole moved, no swaps). */
static void sift_down(head_t *heap, size_t n, size_t i, head_t e)
{
	for (;;) {
		size_t l = 2 * i + 1;
		if (l >= n) {
			break;
		}
		size_t m = l + 1 < n && heap[l + 1].cur < heap[l].cur ? l + 1 : l;
		if (heap[m].cur >= e.cur) {
			break;
		}
		heap[i] = heap[m];
		i = m;
	}
	heap[i] = e;
}

int ssr_hashrun_each(ssr_hashrun_t *h, int (*fn)(uint64_t v, void *ctx), void *ctx, bool *repeats,
                     ssr_diag_t *diag)
{
	bool rep = false;
	size_t nsrc = 0;
	for (unsigned i = 0; i < h->nparts; i++) {
		if (h->part[i].err != SSR_EOK) {
			return ssr_diag_set(diag, h->part[i].err, "hash runs '%s': %s", h->prefix,
			                    ssr_strerror(h->part[i].err));
		}
		int rc = sort_deferred(h, i);
		if (rc != SSR_EOK) {
			return ssr_diag_set(diag, h->part[i].err = rc, "hash runs '%s': %s",
			                    h->prefix, ssr_strerror(rc));
		}
		nsrc += h->part[i].nruns + (h->part[i].n > 0);
	}
	source_t *src = calloc(nsrc ? nsrc : 1, sizeof(*src));
	head_t *heap = calloc(nsrc ? nsrc : 1, sizeof(*heap));
	int rc = src && heap ? SSR_EOK : ssr_diag_set(diag, SSR_ENOMEM, "hash runs: out of memory");
	size_t k = 0;
	for (unsigned i = 0; i < h->nparts && rc == SSR_EOK; i++) {
		part_t *p = &h->part[i];
		for (size_t r = 0; r < p->nruns && rc == SSR_EOK; r++) {
			if ((src[k].fp = fopen(p->runs[r], "rb")) == NULL) {
				rc = ssr_diag_set(diag, SSR_EIO, "hash run '%s': %s", p->runs[r],
				                  strerror(errno));
			} else {
				k++;
			}
		}
		if (p->n > 0 && rc == SSR_EOK) {
			p->n = sort_unique(p, h->cap);
			if (p->err != SSR_EOK) {
				rc = ssr_diag_set(diag, p->err, "hash runs: out of memory");
				break;
			}
			src[k].mem = p->buf;
			src[k].n = p->n;
			k++;
		}
		rep |= p->repeats;
	}
	size_t hn = 0;
	for (size_t i = 0; i < k && rc == SSR_EOK; i++) {
		if (src_next(&src[i])) {
			heap[hn++] = (head_t){src[i].cur, &src[i]};
		}
	}
	for (size_t i = hn; rc == SSR_EOK && i-- > 0;) {
		sift_down(heap, hn, i, heap[i]);
	}
	uint64_t last = 0;
	bool have_last = false;
	while (rc == SSR_EOK && hn > 0) {
		source_t *top = heap[0].src;
		uint64_t v = heap[0].cur;
		if (src_next(top)) {
			sift_down(heap, hn, 0, (head_t){top->cur, top});
		} else if (--hn > 0) {
			sift_down(heap, hn, 0, heap[hn]);
		}
		if (have_last && v == last) {
			rep = true; /* in two runs or buffers */
			continue;
		}
		have_last = true;
		last = v;
		if (fn != NULL) {
			rc = fn(v, ctx);
		}
	}
	for (size_t i = 0; i < k; i++) {
		if (src[i].fp != NULL) {
			fclose(src[i].fp);
		}
	}
	free(src);
	free(heap);
	if (rc == SSR_EOK && repeats != NULL) {
		*repeats = rep;
	}
	return rc;
}
