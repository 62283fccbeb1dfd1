/* ssrwatch — the portal's store access.  Writes go through one writer thread that takes every
 * request waiting and commits them in one transaction (group commit), each inside its own
 * savepoint so that one bad request rolls back alone.  A request is answered only after the
 * commit that holds its write returned: every 2xx is durable.  Reads use a pool of
 * connections (SQLite WAL: readers never block the writer). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "writer.h"
#include "portal_priv.h"
#include "ssrwatch/crypto.h"
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
		if (atomic_exchange(&w->truncate_wal, false)) {
			/* passive checkpoints fell behind the writes: empty the log now, between
			 * two transactions (a checkpoint on another connection would wait for ever)
			 */
			pthread_mutex_unlock(&w->mu);
			ssr_diag_t td;
			uint64_t left = 0;
			if (ssr_store_wal_truncate(w->st, &left, &td) != SSR_EOK) {
				ssr_log(w->log, SSR_LOG_WARNING, "portal", "checkpoint: %s",
				        td.msg);
			}
			atomic_store(&w->wal_bytes, left);
			atomic_fetch_add(&w->truncations, 1);
			pthread_mutex_lock(&w->mu);
			if (w->head == NULL) {
				pthread_mutex_unlock(&w->mu);
				continue;
			}
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
		uint64_t wal = 0;
		if (ssr_store_checkpoint(w->ck, &wal, &d) != SSR_EOK) {
			ssr_log(w->log, SSR_LOG_WARNING, "portal", "checkpoint: %s", d.msg);
		}
		atomic_store(&w->wal_bytes, wal);
		if (w->wal_max > 0 && wal > w->wal_max) {
			atomic_store(&w->truncate_wal,
			             true); /* the writer does it between commits */
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

int portal_writer_start(writer_t *w, const char *uri, uint64_t wal_max, const ssr_log_t *log,
                        ssr_diag_t *diag)
{
	memset(w, 0, sizeof(*w));
	w->log = log;
	w->wal_max = wal_max;
	int rc = ssr_store_open(uri, &w->st, diag);
	if (rc != SSR_EOK) {
		return rc;
	}
	rc = ssr_store_durable(w->st, wal_max, diag);
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
		portal_writer_stop(w);
		return ssr_diag_set(diag, SSR_ENOMEM, "portal: cannot start the checkpoint thread");
	}
	return SSR_EOK;
}

int portal_writer_run(writer_t *w, wjob_fn fn, void *ctx, ssr_diag_t *diag)
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

void portal_writer_stop(writer_t *w)
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

int portal_pool_init(pool_t *p, const char *uri, unsigned n, ssr_diag_t *diag)
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
			portal_pool_release(p);
			return rc;
		}
	}
	p->n = n;
	return SSR_EOK;
}

ssr_store_t *portal_pool_get(pool_t *p)
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

void portal_pool_put(pool_t *p, ssr_store_t *st)
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

void portal_pool_release(pool_t *p)
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
