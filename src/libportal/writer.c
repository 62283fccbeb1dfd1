/* ssrwatch — the portal's store access.  Writes go through one writer thread that takes every
 * request waiting and commits them in one transaction (group commit), each inside its own
 * savepoint so that one bad request rolls back alone.  A request is answered only after the
 * commit that holds its write returned: every 2xx is durable.  Reads use a pool of
 * connections (SQLite WAL: readers never block the writer). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "portal_priv.h"
#include "ssrwatch/hash.h"

#define MAX_BATCH 512

static void *writer_main(void *arg)
{
	writer_t *w = arg;
	for (;;) {
		pthread_mutex_lock(&w->mu);
		while (w->head == NULL && !w->stop) {
			pthread_cond_wait(&w->more, &w->mu);
		}
		if (w->head == NULL && w->stop) {
			pthread_mutex_unlock(&w->mu);
			break;
		}
		wjob_t *batch = w->head, *last = batch;
		unsigned n = 1;
		while (last->next != NULL && n < MAX_BATCH) {
			last = last->next;
			n++;
		}
		w->head = last->next;
		if (w->head == NULL) {
			w->tail = NULL;
		}
		last->next = NULL;
		pthread_mutex_unlock(&w->mu);

		ssr_diag_t d;
		int trc = ssr_store_begin(w->st, &d);
		for (wjob_t *j = batch; j != NULL; j = j->next) {
			if (trc != SSR_EOK) {
				j->rc = trc;
				j->diag = d;
				continue;
			}
			int rc = ssr_store_savepoint(w->st, &j->diag);
			if (rc == SSR_EOK) {
				rc = j->fn(w->st, j->ctx, &j->diag);
				if (rc == SSR_EOK) {
					rc = ssr_store_savepoint_release(w->st, &j->diag);
				} else {
					ssr_store_savepoint_rollback(w->st);
				}
			}
			j->rc = rc;
		}
		if (trc == SSR_EOK) {
			trc = ssr_store_commit(w->st, &d);
			if (trc != SSR_EOK) {
				ssr_log(w->log, SSR_LOG_ERROR, "portal", "%s", d.msg);
				for (wjob_t *j = batch; j != NULL; j = j->next) {
					if (j->rc == SSR_EOK) {
						j->rc = trc;
						j->diag = d;
					}
				}
			}
		} else {
			ssr_log(w->log, SSR_LOG_ERROR, "portal", "%s", d.msg);
		}
		atomic_fetch_add(&w->batches, 1);
		atomic_fetch_add(&w->jobs, n);
		pthread_mutex_lock(&w->mu);
		for (wjob_t *j = batch; j != NULL;) {
			wjob_t *next = j->next;
			if (j->rc != SSR_EOK) {
				atomic_fetch_add(&w->failed, 1);
			}
			j->done = true; /* j belongs to its waiter from here on */
			pthread_cond_signal(&j->cv);
			j = next;
		}
		pthread_mutex_unlock(&w->mu);
	}
	return NULL;
}

/* Checkpoints off the commit path: every 200 ms, and once more at stop. */
static void *checkpoint_main(void *arg)
{
	writer_t *w = arg;
	pthread_mutex_lock(&w->mu);
	for (;;) {
		bool stop = w->stop;
		pthread_mutex_unlock(&w->mu);
		ssr_diag_t d;
		if (ssr_store_checkpoint(w->ck, &d) != SSR_EOK) {
			ssr_log(w->log, SSR_LOG_WARNING, "portal", "checkpoint: %s", d.msg);
		}
		pthread_mutex_lock(&w->mu);
		if (stop) {
			break;
		}
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 200000000;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++, ts.tv_nsec -= 1000000000;
		}
		if (!w->stop) {
			pthread_cond_timedwait(&w->ck_cv, &w->mu, &ts);
		}
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

int writer_start(writer_t *w, const char *uri, const ssr_log_t *log, ssr_diag_t *diag)
{
	memset(w, 0, sizeof(*w));
	w->log = log;
	int rc = ssr_store_open(uri, &w->st, diag);
	if (rc != SSR_EOK) {
		return rc;
	}
	rc = ssr_store_durable(w->st, diag);
	if (rc != SSR_EOK) {
		ssr_store_free(w->st);
		return rc;
	}
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->more, NULL);
	if (pthread_create(&w->thread, NULL, writer_main, w) != 0) {
		ssr_store_free(w->st);
		return ssr_diag_set(diag, SSR_ENOMEM, "portal: cannot start the writer thread");
	}
	w->started = true;
	pthread_cond_init(&w->ck_cv, NULL);
	if (ssr_store_open_existing(uri, &w->ck, diag) == SSR_EOK) {
		w->ck_started = pthread_create(&w->ck_thread, NULL, checkpoint_main, w) == 0;
	}
	if (!w->ck_started) {
		ssr_store_free(w->ck);
		w->ck = NULL;
		writer_stop(w);
		return ssr_diag_set(diag, SSR_ENOMEM, "portal: cannot start the checkpoint thread");
	}
	return SSR_EOK;
}

int writer_run(writer_t *w, wjob_fn fn, void *ctx, ssr_diag_t *diag)
{
	wjob_t j = {.fn = fn, .ctx = ctx};
	pthread_cond_init(&j.cv, NULL);
	pthread_mutex_lock(&w->mu);
	if (w->stop) {
		pthread_mutex_unlock(&w->mu);
		pthread_cond_destroy(&j.cv);
		return ssr_diag_set(diag, SSR_ESTORE, "portal: shutting down");
	}
	if (w->tail != NULL) {
		w->tail->next = &j;
	} else {
		w->head = &j;
	}
	w->tail = &j;
	pthread_cond_signal(&w->more);
	while (!j.done) {
		pthread_cond_wait(&j.cv, &w->mu);
	}
	pthread_mutex_unlock(&w->mu);
	pthread_cond_destroy(&j.cv);
	if (j.rc != SSR_EOK && diag != NULL) {
		*diag = j.diag;
		diag->code = j.rc;
	}
	return j.rc;
}

void writer_stop(writer_t *w)
{
	if (!w->started) {
		return;
	}
	pthread_mutex_lock(&w->mu);
	w->stop = true;
	pthread_cond_signal(&w->more);
	pthread_cond_signal(&w->ck_cv);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->thread, NULL);
	if (w->ck_started) {
		pthread_join(w->ck_thread, NULL); /* its last checkpoint runs after the writer's */
		w->ck_started = false;
	}
	ssr_store_free(w->ck);
	pthread_cond_destroy(&w->ck_cv);
	ssr_store_free(w->st);
	pthread_mutex_destroy(&w->mu);
	pthread_cond_destroy(&w->more);
	w->started = false;
}

/* ---- read pool ------------------------------------------------------------------------ */

int pool_init(pool_t *p, const char *uri, unsigned n, ssr_diag_t *diag)
{
	memset(p, 0, sizeof(*p));
	p->conns = calloc(n, sizeof(*p->conns));
	p->busy = calloc(n, sizeof(*p->busy));
	if (p->conns == NULL || p->busy == NULL) {
		free(p->conns);
		free(p->busy);
		return ssr_diag_set(diag, SSR_ENOMEM, "portal: out of memory");
	}
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->freed, NULL);
	for (unsigned i = 0; i < n; i++) {
		int rc = ssr_store_open_existing(uri, &p->conns[i], diag);
		if (rc != SSR_EOK) {
			p->n = i;
			pool_release(p);
			return rc;
		}
	}
	p->n = n;
	return SSR_EOK;
}

ssr_store_t *pool_get(pool_t *p)
{
	pthread_mutex_lock(&p->mu);
	for (;;) {
		for (unsigned i = 0; i < p->n; i++) {
			if (!p->busy[i]) {
				p->busy[i] = true;
				pthread_mutex_unlock(&p->mu);
				return p->conns[i];
			}
		}
		pthread_cond_wait(&p->freed, &p->mu);
	}
}

void pool_put(pool_t *p, ssr_store_t *st)
{
	pthread_mutex_lock(&p->mu);
	for (unsigned i = 0; i < p->n; i++) {
		if (p->conns[i] == st) {
			p->busy[i] = false;
		}
	}
	pthread_cond_signal(&p->freed);
	pthread_mutex_unlock(&p->mu);
}

void pool_release(pool_t *p)
{
	for (unsigned i = 0; i < p->n; i++) {
		ssr_store_free(p->conns[i]);
	}
	free(p->conns);
	free(p->busy);
	if (p->n > 0 || p->conns != NULL) {
		pthread_mutex_destroy(&p->mu);
		pthread_cond_destroy(&p->freed);
	}
	memset(p, 0, sizeof(*p));
}

/* ---- rate limits ------------------------------------------------------------------------ */

struct rl_slot {
	char key[72];
	int64_t window; /* minute number */
	unsigned count;
};

int ratelimit_init(ratelimit_t *r, unsigned cap)
{
	r->slots = calloc(cap, sizeof(*r->slots));
	if (r->slots == NULL) {
		return SSR_ENOMEM;
	}
	r->cap = cap;
	pthread_mutex_init(&r->mu, NULL);
	return SSR_EOK;
}

void ratelimit_release(ratelimit_t *r)
{
	if (r->slots != NULL) {
		free(r->slots);
		pthread_mutex_destroy(&r->mu);
	}
	r->slots = NULL;
}

bool ratelimit_hit(ratelimit_t *r, const char *key, unsigned limit, int64_t now, int *retry)
{
	if (limit == 0 || r->slots == NULL) {
		return true;
	}
	int64_t win = now / 60;
	uint64_t h = ssr_hash64(key, strlen(key));
	pthread_mutex_lock(&r->mu);
	/* open addressing over 8 probes; a slot from an old window is free to take */
	struct rl_slot *s = NULL;
	for (unsigned i = 0; i < 8; i++) {
		struct rl_slot *c = &r->slots[(h + i) % r->cap];
		if (strcmp(c->key, key) == 0) {
			s = c;
			break;
		}
		if (s == NULL && (c->key[0] == '\0' || c->window != win)) {
			s = c;
		}
	}
	if (s == NULL) {
		s = &r->slots[h % r->cap]; /* all 8 busy this minute: share the first */
	}
	if (strcmp(s->key, key) != 0 || s->window != win) {
		snprintf(s->key, sizeof(s->key), "%s", key);
		s->window = win;
		s->count = 0;
	}
	bool ok = ++s->count <= limit;
	pthread_mutex_unlock(&r->mu);
	if (!ok && retry != NULL) {
		*retry = (int)(60 - now % 60);
	}
	return ok;
}

bool portal_rate_ok(ssr_portal_t *p, const char *kind, const char *key, unsigned limit, resp_t *r)
{
	char k[96];
	snprintf(k, sizeof(k), "%s:%s", kind, key);
	int retry = 0;
	if (ratelimit_hit(&p->rl, k, limit, portal_now(p), &retry)) {
		return true;
	}
	atomic_fetch_add(&p->rate_limited, 1);
	r->retry_after = retry;
	return false;
}
