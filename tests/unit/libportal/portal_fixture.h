/* A portal object for unit tests without its HTTP server: a fresh SQLite store, the read pool,
 * the writer thread, the shipped public suffix list and a scripted clock. */
#pragma once

#include "../test_common.h"
#include "portal_priv.h"
#include "ssrwatch/portalstore.h"

typedef struct {
	struct ssr_portal p;
	char path[128];
	int64_t now;
} pfx_t;

static int64_t pfx_clock(void *ctx)
{
	return ((pfx_t *)ctx)->now;
}

static inline int pfx_setup(void **state)
{
	pfx_t *f = calloc(1, sizeof(*f));
	const char *dir = getenv("TMPDIR");
	snprintf(f->path, sizeof f->path, "%s/ssr-portal-unit-%d-%p.db", dir ? dir : "/tmp",
	         (int)getpid(), (void *)f);
	unlink(f->path);
	ssr_diag_t d;
	ssr_store_t *st;
	if (ssr_store_open(f->path, &st, &d) != SSR_EOK) { /* create and migrate */
		return -1;
	}
	ssr_store_free(st);
	ssr_portal_config_init(&f->p.cfg);
	f->now = 1800000000;
	f->p.cfg.clock = pfx_clock;
	f->p.cfg.clock_ctx = f;
	snprintf(f->p.base_url, sizeof f->p.base_url, "http://127.0.0.1:1");
	if (ssr_psl_new(NULL, &f->p.psl, &d) != SSR_EOK ||
	    portal_pool_init(&f->p.pool, f->path, 2, &d) != SSR_EOK ||
	    portal_writer_start(&f->p.writer, f->path, 0, &f->p.cfg.log, &d) != SSR_EOK ||
	    portal_ratelimit_init(&f->p.rl, 1024) != SSR_EOK) {
		fprintf(stderr, "portal fixture: %s\n", d.msg);
		return -1;
	}
	*state = f;
	return 0;
}

static inline int pfx_teardown(void **state)
{
	pfx_t *f = *state;
	portal_writer_stop(&f->p.writer);
	portal_pool_release(&f->p.pool);
	portal_ratelimit_release(&f->p.rl);
	ssr_psl_free(f->p.psl);
	char side[160];
	unlink(f->path);
	snprintf(side, sizeof side, "%s-wal", f->path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", f->path);
	unlink(side);
	free(f);
	return 0;
}
