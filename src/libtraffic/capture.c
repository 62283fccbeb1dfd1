/* libtraffic: captures through libpcap (pcap and pcapng), fed from ssr_input so that gzip, zstd
 * and stdin work like plain files. */
#define _GNU_SOURCE /* fopencookie */
#include <pcap/pcap.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ssrwatch/input.h"
#include "ssrwatch/log.h"
#include "ssrwatch/traffic.h"

static ssize_t cookie_read(void *c, char *buf, size_t size)
{
	size_t got = 0;
	if (ssr_input_read(c, buf, size, &got, NULL) != SSR_EOK) {
		return -1;
	}
	return (ssize_t)got;
}

/* A capture opened for reading: a plain file by libpcap itself (its own buffered reads: the
 * cookie's extra copy cost a fifth of a read), anything else (gzip, zstd, stdin) through
 * ssr_input.  *in (to free after pcap_close) may be NULL.  Errors: ssr_input_open's,
 * SSR_EPARSE (not a capture), SSR_ENOMEM. */
static int capture_open(const char *path, pcap_t **out, ssr_input_t **in_out, int *link,
                        ssr_diag_t *diag)
{
	ssr_input_t *in;
	*out = NULL;
	*in_out = NULL;
	int rc = ssr_input_open(path, &in, diag);
	if (rc != SSR_EOK) {
		return rc;
	}
	char err[PCAP_ERRBUF_SIZE] = "";
	pcap_t *pc = NULL;
	if (ssr_input_kind(in) == SSR_INPUT_PLAIN && strcmp(path, "-") != 0) {
		ssr_input_free(in);
		in = NULL;
		pc = pcap_open_offline(path, err);
	} else {
		cookie_io_functions_t io = {.read = cookie_read};
		FILE *f = fopencookie(in, "r", io);
		if (!f) {
			ssr_input_free(in);
			return ssr_diag_set(diag, SSR_ENOMEM, "capture '%s': out of memory", path);
		}
		pc = pcap_fopen_offline(f, err);
		if (!pc) {
			fclose(f);
		}
	}
	if (!pc) {
		ssr_input_free(in);
		return ssr_diag_set(diag, SSR_EPARSE,
		                    "capture '%s': not a pcap or pcapng file (%s)", path, err);
	}
	*link = pcap_datalink(pc);
	if (*link == DLT_RAW) {
		/* libpcap reports a file's LINKTYPE_RAW (101) as the platform's DLT_RAW (12 on
		 * Linux): raw IP captures (tun devices, many capture tools) */
		*link = SSR_LINK_RAW;
	}
	*out = pc;
	*in_out = in;
	return SSR_EOK;
}

int ssr_capture_read(const char *path, ssr_decoder_t *d, ssr_dns_pkt_fn fn, void *ctx,
                     ssr_capture_stats_t *st, ssr_diag_t *diag)
{
	ssr_input_t *in;
	pcap_t *pc;
	int link;
	int rc = capture_open(path, &pc, &in, &link, diag);
	if (rc != SSR_EOK) {
		return rc;
	}
	if (st) {
		st->linktype = link;
	}
	struct pcap_pkthdr *h;
	const u_char *data;
	int r;
	while ((r = pcap_next_ex(pc, &h, &data)) == 1) {
		if (st) {
			st->packets++;
			st->bytes += h->caplen;
		}
		ssr_decode(d, link, (int64_t)h->ts.tv_sec, data, h->caplen, h->len, fn, ctx);
	}
	if (r == PCAP_ERROR) {
		rc = ssr_diag_set(diag, SSR_ECORRUPT, "capture '%s' after %llu packets: %s", path,
		                  (unsigned long long)(st ? st->packets : 0), pcap_geterr(pc));
	}
	pcap_close(pc); /* closes the file or the cookie */
	ssr_input_free(in);
	return rc;
}

/* ---- one reader, several decoding workers (issue 24) ---------------------------------------- */

#define BATCH_PACKETS 4096
#define BATCH_BYTES   (1u << 20)
#define NBATCH        8

typedef struct {
	int64_t ts;
	uint32_t caplen, origlen;
	size_t off; /* of the bytes in data */
} bpkt_t;

typedef struct {
	bpkt_t pk[BATCH_PACKETS];
	uint8_t *data;
	size_t used, cap;
	unsigned n;
	int link;
	unsigned pending; /* workers yet to decode it */
} batch_t;

typedef struct {
	pthread_mutex_t mu;
	pthread_cond_t ready, freed;
	batch_t *b; /* NBATCH slots: batch s in slot s % NBATCH */
	uint64_t published;
	bool done;
	ssr_capture_worker_t *w;
	unsigned nw;
} pool_t;

typedef struct {
	pool_t *pool;
	unsigned k;
} wctx_t;

static void *worker_run(void *arg)
{
	wctx_t *c = arg;
	pool_t *p = c->pool;
	ssr_capture_worker_t *w = &p->w[c->k];
	for (uint64_t s = 0;; s++) {
		pthread_mutex_lock(&p->mu);
		while (p->published <= s && !p->done) {
			pthread_cond_wait(&p->ready, &p->mu);
		}
		bool have = p->published > s;
		pthread_mutex_unlock(&p->mu);
		if (!have) {
			return NULL;
		}
		batch_t *b = &p->b[s % NBATCH];
		/* every packet: the worker's own flows decoded, the others only move its clock */
		for (unsigned i = 0; i < b->n; i++) {
			const bpkt_t *x = &b->pk[i];
			ssr_decode(w->dec, b->link, x->ts, b->data + x->off, x->caplen, x->origlen,
			           w->fn, w->ctx);
		}
		pthread_mutex_lock(&p->mu);
		if (--b->pending == 0) {
			pthread_cond_broadcast(&p->freed);
		}
		pthread_mutex_unlock(&p->mu);
	}
}

/* The slot of the next batch, once every worker is done with what it held. */
static batch_t *next_slot(pool_t *p)
{
	batch_t *b = &p->b[p->published % NBATCH];
	pthread_mutex_lock(&p->mu);
	while (b->pending > 0) {
		pthread_cond_wait(&p->freed, &p->mu);
	}
	pthread_mutex_unlock(&p->mu);
	b->n = 0;
	b->used = 0;
	return b;
}

static void publish(pool_t *p, batch_t *b)
{
	pthread_mutex_lock(&p->mu);
	b->pending = p->nw;
	p->published++;
	pthread_cond_broadcast(&p->ready);
	pthread_mutex_unlock(&p->mu);
}

/* One capture's packets into batches for the workers. */
static int read_into(pool_t *p, const char *path, ssr_capture_stats_t *st, ssr_diag_t *diag)
{
	ssr_input_t *in;
	pcap_t *pc;
	int link;
	int rc = capture_open(path, &pc, &in, &link, diag);
	if (rc != SSR_EOK) {
		return rc;
	}
	st->linktype = link;
	struct pcap_pkthdr *h;
	const u_char *data;
	int r;
	batch_t *b = next_slot(p);
	b->link = link;
	while ((r = pcap_next_ex(pc, &h, &data)) == 1) {
		st->packets++;
		st->bytes += h->caplen;
		if (b->n == BATCH_PACKETS || b->used + h->caplen > b->cap) {
			publish(p, b);
			b = next_slot(p);
			b->link = link;
		}
		if (h->caplen >
		    b->cap) { /* one packet larger than a batch's bytes: a batch of its own */
			uint8_t *nd = realloc(b->data, h->caplen);
			if (!nd) {
				rc = ssr_diag_set(diag, SSR_ENOMEM, "capture '%s': out of memory",
				                  path);
				break;
			}
			b->data = nd;
			b->cap = h->caplen;
		}
		memcpy(b->data + b->used, data, h->caplen);
		b->pk[b->n++] = (bpkt_t){(int64_t)h->ts.tv_sec, h->caplen, h->len, b->used};
		b->used += h->caplen;
	}
	publish(p, b); /* possibly empty: the workers pass over it */
	if (r == PCAP_ERROR && rc == SSR_EOK) {
		rc = ssr_diag_set(diag, SSR_ECORRUPT, "capture '%s' after %llu packets: %s", path,
		                  (unsigned long long)st->packets, pcap_geterr(pc));
	}
	pcap_close(pc);
	ssr_input_free(in);
	return rc;
}

int ssr_capture_read_workers(const char *const *paths, size_t npaths, ssr_capture_worker_t *w,
                             unsigned nw, const ssr_log_t *log, ssr_diag_t *diag)
{
	if (nw == 0 || nw > SSR_CAPTURE_MAX_WORKERS) {
		return ssr_diag_set(diag, SSR_EINVAL, "capture: %u workers", nw);
	}
	/* the workers must be shards base + k n of n nw (base of n: the caller's own shard) */
	uint32_t shards = w[0].dec->shards > 1 ? w[0].dec->shards : 1;
	uint32_t n = shards / nw ? shards / nw : 1,
	         base = w[0].dec->shards > 1 ? w[0].dec->shard : 0;
	for (unsigned k = 0; k < nw; k++) {
		uint32_t ks = w[k].dec->shards > 1 ? w[k].dec->shards : 1;
		uint32_t ki = w[k].dec->shards > 1 ? w[k].dec->shard : 0;
		if (shards != nw * n || ks != shards || ki != base + k * n) {
			return ssr_diag_set(diag, SSR_EINVAL,
			                    "capture: worker %u is not shard %u of %u", k,
			                    base + k * n, shards);
		}
	}
	pool_t p = {.w = w, .nw = nw};
	p.b = calloc(NBATCH, sizeof *p.b);
	pthread_t th[SSR_CAPTURE_MAX_WORKERS];
	wctx_t wc[SSR_CAPTURE_MAX_WORKERS];
	int rc = p.b ? SSR_EOK : ssr_diag_set(diag, SSR_ENOMEM, "capture: out of memory");
	for (unsigned i = 0; p.b && i < NBATCH && rc == SSR_EOK; i++) {
		p.b[i].cap = BATCH_BYTES;
		if ((p.b[i].data = malloc(BATCH_BYTES)) == NULL) {
			rc = ssr_diag_set(diag, SSR_ENOMEM, "capture: out of memory");
		}
	}
	pthread_mutex_init(&p.mu, NULL);
	pthread_cond_init(&p.ready, NULL);
	pthread_cond_init(&p.freed, NULL);
	unsigned started = 0;
	for (; rc == SSR_EOK && started < nw; started++) {
		wc[started] = (wctx_t){&p, started};
		if (pthread_create(&th[started], NULL, worker_run, &wc[started]) != 0) {
			rc = ssr_diag_set(diag, SSR_EIO, "capture: cannot start a worker thread");
			break;
		}
	}
	/* every capture as one stream of packets, as the single reader reads them */
	for (size_t i = 0; rc == SSR_EOK && i < npaths; i++) {
		ssr_capture_stats_t st = {0};
		ssr_diag_t d = {0};
		int e = read_into(&p, paths[i], &st, &d);
		if (e == SSR_ECORRUPT) {
			ssr_log(log, SSR_LOG_WARNING, "traffic",
			        "%s (the packets before are counted)", d.msg);
		} else if (e != SSR_EOK) {
			rc = e;
			*diag = d;
		}
	}
	pthread_mutex_lock(&p.mu);
	p.done = true;
	pthread_cond_broadcast(&p.ready);
	pthread_mutex_unlock(&p.mu);
	for (unsigned i = 0; i < started; i++) {
		pthread_join(th[i], NULL);
	}
	pthread_cond_destroy(&p.ready);
	pthread_cond_destroy(&p.freed);
	pthread_mutex_destroy(&p.mu);
	for (unsigned i = 0; p.b && i < NBATCH; i++) {
		free(p.b[i].data);
	}
	free(p.b);
	/* streams and datagrams still held: what follows a gap is delivered, the rest counted */
	for (unsigned k = 0; rc == SSR_EOK && k < nw; k++) {
		ssr_decoder_finish(w[k].dec, w[k].fn, w[k].ctx);
	}
	return rc;
}
