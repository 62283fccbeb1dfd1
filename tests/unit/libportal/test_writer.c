/* tests for src/libportal/writer.c: many threads' write jobs through the one writer thread
 * (every job answered after the commit that holds it; a failing job rolled back alone in its
 * savepoint while the others of its batch commit), and the read pool seeing the result. */
#include <pthread.h>

#include "portal_fixture.h"
#include "ssrwatch/abusestore.h"

#define THREADS 8
#define JOBS    40

typedef struct {
	uint64_t id;
	bool fail;
} job_t;

static int put_job(ssr_store_t *st, void *ctx, ssr_diag_t *diag)
{
	job_t *j = ctx;
	char name[32];
	snprintf(name, sizeof name, "registrar %llu", (unsigned long long)j->id);
	int rc = ssr_store_registrar_put(st, j->id, name, diag);
	if (rc == SSR_EOK && j->fail) { /* written, then refused: must not stay */
		return ssr_diag_set(diag, SSR_EINVAL, "job %llu refused",
		                    (unsigned long long)j->id);
	}
	return rc;
}

typedef struct {
	pfx_t *f;
	unsigned t;
	unsigned ok, refused;
} worker_t;

static void *worker(void *arg)
{
	worker_t *w = arg;
	for (unsigned i = 0; i < JOBS; i++) {
		job_t j = {.id = 1000 + w->t * JOBS + i, .fail = i % 10 == 3};
		ssr_diag_t d;
		int rc = portal_writer_run(&w->f->p.writer, put_job, &j, &d);
		if (rc == SSR_EOK) {
			w->ok++;
		} else if (rc == SSR_EINVAL && strstr(d.msg, "refused") != NULL) {
			w->refused++;
		}
	}
	return NULL;
}

static int count_row(uint64_t id, const char *name, void *ctx)
{
	(void)name;
	uint64_t *n = ctx;
	n[0]++;
	if ((id - 1000) % JOBS % 10 == 3) {
		n[1]++; /* a refused job's row */
	}
	return SSR_EOK;
}

static void group_commit(void **state)
{
	pfx_t *f = *state;
	pthread_t th[THREADS];
	worker_t w[THREADS];
	for (unsigned t = 0; t < THREADS; t++) {
		w[t] = (worker_t){.f = f, .t = t};
		assert_int_equal(pthread_create(&th[t], NULL, worker, &w[t]), 0);
	}
	unsigned ok = 0, refused = 0;
	for (unsigned t = 0; t < THREADS; t++) {
		pthread_join(th[t], NULL);
		ok += w[t].ok;
		refused += w[t].refused;
	}
	assert_int_equal(ok, THREADS * JOBS * 9 / 10);
	assert_int_equal(refused, THREADS * JOBS / 10);
	/* every answered job is committed and readable from the pool; no refused row stayed */
	ssr_store_t *st = portal_pool_get(&f->p.pool);
	uint64_t n[2] = {0, 0};
	ssr_diag_t d;
	assert_int_equal(ssr_store_registrars(st, count_row, n, &d), SSR_EOK);
	portal_pool_put(&f->p.pool, st);
	assert_int_equal(n[0], ok);
	assert_int_equal(n[1], 0);
	uint64_t jobs = atomic_load(&f->p.writer.jobs), batches = atomic_load(&f->p.writer.batches);
	assert_int_equal(jobs, THREADS * JOBS);
	assert_true(batches >= 1 && batches <= jobs);
	assert_int_equal(atomic_load(&f->p.writer.failed), refused);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(group_commit, pfx_setup, pfx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
