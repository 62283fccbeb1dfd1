/* libFuzzer target: the feed reader (every shape) on arbitrary bytes.
 * The first byte picks the format; the rest is the feed.  The batched reader (1 to 8 workers,
 * each with the lines of its chunks) must hand out the same entries and rejected lines in the
 * same order, with the same statistics and result. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ssrwatch/feed.h"

static ssr_psl_t *psl;

/* a digest of every event, in order */
static void mix(uint64_t *h, const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++) {
		*h = (*h ^ b[i]) * 0x100000001b3ull;
	}
}

static void on_reject(const char *file, uint64_t line, ssr_feed_reject_t why, const char *text,
                      size_t len, void *ctx)
{
	(void)file;
	mix(ctx, &line, sizeof line);
	mix(ctx, &why, sizeof why);
	mix(ctx, text, len);
}

static int on_entry(const ssr_feed_entry_t *e, void *ctx)
{
	uint64_t *h = ctx;
	mix(h, e->domain, strlen(e->domain) + 1);
	mix(h, e->tld, strlen(e->tld) + 1);
	mix(h, &e->line, sizeof e->line);
	mix(h, &e->first_seen, sizeof e->first_seen);
	mix(h, &e->last_seen, sizeof e->last_seen);
	mix(h, &e->category, sizeof e->category);
	if (e->host) {
		mix(h, e->host, strlen(e->host) + 1);
	}
	/* an accepted entry is always a registered domain with its TLD as the last label */
	if (e->domain[0] == '\0' || e->tld[0] == '\0') {
		abort();
	}
	/* the host as written (keep_host) normalises to the same registered domain */
	if (e->host) {
		char dom[512];
		ssr_feed_reject_t why;
		if (ssr_feed_normalise(psl, e->host, strlen(e->host), dom, sizeof dom, &why) !=
		        SSR_EOK ||
		    strcmp(dom, e->domain) != 0) {
			abort();
		}
	}
	return SSR_EOK;
}

static int on_batch(const ssr_feed_entry_t *e, const void *slots, size_t n, void *ctx)
{
	(void)slots;
	if (n == 0 || n > SSR_FEED_BATCH) {
		abort();
	}
	for (size_t i = 0; i < n; i++) {
		on_entry(&e[i], ctx);
	}
	return SSR_EOK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1) {
		return 0;
	}
	if (psl == NULL && ssr_psl_new(NULL, &psl, NULL) != SSR_EOK) {
		abort();
	}
	int fd = memfd_create("feed", 0);
	if (fd < 0 || write(fd, data + 1, size - 1) != (ssize_t)(size - 1)) {
		if (fd >= 0) {
			close(fd);
		}
		return 0;
	}
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	ssr_feed_opts_t o = {.name = "fuzz",
	                     .category = SSR_ABUSE_MALWARE,
	                     .format = (ssr_feed_format_t)(data[0] % 5),
	                     .psl = psl,
	                     .keep_host = (data[0] & 8) != 0,
	                     .workers = 1 + ((unsigned)data[0] >> 5)};
	o.on_reject = on_reject;
	ssr_feed_stats_t st, st2;
	ssr_diag_t d, d2;
	uint64_t h1 = 0xcbf29ce484222325ull, h2 = h1;
	o.reject_ctx = &h1;
	int rc = ssr_feed_read(path, &o, on_entry, &h1, &st, &d); /* errors are fine here */
	if (data[0] & 16) {
		o.reject_ctx = &h2;
		int rc2 = ssr_feed_read_batched(path, &o, on_batch, &h2, &st2, &d2);
		if (rc2 != rc || h1 != h2 || memcmp(&st, &st2, sizeof st) != 0 ||
		    (rc != SSR_EOK && strcmp(d.msg, d2.msg) != 0)) {
			abort();
		}
	}
	close(fd);
	return 0;
}
