/* ssrwatch — the store from the portal's threads: one writer thread with group commit
 * (writer.c), a pool of read connections.  Private to libportal. */
#pragma once

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "ssrwatch/log.h"
#include "ssrwatch/store.h"

#pragma GCC visibility push(hidden)

/* A write job runs inside a savepoint of the writer's current transaction. */
typedef int (*wjob_fn)(ssr_store_t *st, void *ctx, ssr_diag_t *diag);

typedef struct wjob {
	wjob_fn fn;
	void *ctx;
	int rc;
	ssr_diag_t diag;
	bool done;
	pthread_cond_t cv; /* the waiter's own: a commit wakes only its requests */
	struct wjob *next;
} wjob_t;

typedef struct {
	ssr_store_t *st; /* the writer's own connection */
	pthread_t thread;
	ssr_store_t *ck; /* the checkpointer's connection */
	pthread_t ck_thread;
	pthread_cond_t ck_cv;
	bool ck_started;
	pthread_mutex_t mu;
	pthread_cond_t more;
	wjob_t *head, *tail;
	bool stop, started;
	atomic_uint_fast64_t batches, jobs, failed;
	atomic_uint_fast64_t wal_bytes; /* the write-ahead log after the last checkpoint */
	atomic_uint_fast64_t truncations;
	atomic_bool truncate_wal; /* the checkpointer asks the writer to empty the log */
	uint64_t wal_max;         /* truncated past this (SQLite) */
	const ssr_log_t *log;
} writer_t;

int portal_writer_start(writer_t *w, const char *uri, uint64_t wal_max, const ssr_log_t *log,
                        ssr_diag_t *diag);
/* Run fn in the writer and wait until its transaction committed (or failed). */
int portal_writer_run(writer_t *w, wjob_fn fn, void *ctx, ssr_diag_t *diag);
void portal_writer_stop(writer_t *w);

typedef struct {
	ssr_store_t **conns;
	bool *busy;
	unsigned n;
	pthread_mutex_t mu;
	pthread_cond_t freed;
} pool_t;

int portal_pool_init(pool_t *p, const char *uri, unsigned n, ssr_diag_t *diag);
ssr_store_t *portal_pool_get(pool_t *p);
void portal_pool_put(pool_t *p, ssr_store_t *st);
void portal_pool_release(pool_t *p);

#pragma GCC visibility pop
