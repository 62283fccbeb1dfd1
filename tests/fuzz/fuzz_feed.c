/* libFuzzer target: the feed reader (every shape) on arbitrary bytes.
 * The first byte picks the format; the rest is the feed. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ssrwatch/feed.h"

static ssr_psl_t *psl;

static int on_entry(const ssr_feed_entry_t *e, void *ctx)
{
	(void)ctx;
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
	                     .keep_host = (data[0] & 8) != 0};
	ssr_feed_stats_t st;
	ssr_diag_t d;
	(void)ssr_feed_read(path, &o, on_entry, NULL, &st, &d); /* errors are fine here */
	close(fd);
	return 0;
}
