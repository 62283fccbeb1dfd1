/* libFuzzer target: the small input readers of abuse ingest on arbitrary bytes — registration
 * data (attribution), the IANA registrar list, prices, the feeds config.  The first byte picks
 * the reader; the rest is the file. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ssrwatch/abuse.h"

static int on_registrar(uint64_t id, const char *name, void *ctx)
{
	(void)id;
	(void)ctx;
	if (name[0] == '\0') {
		abort(); /* the reader refuses empty names */
	}
	return SSR_EOK;
}

static int on_price(const char *kind, const char *subject, const char *date, const char *price,
                    const char *currency, void *ctx)
{
	(void)ctx;
	(void)price;
	if ((strcmp(kind, "tld") != 0 && strcmp(kind, "registrar") != 0) || subject[0] == '\0' ||
	    strlen(date) != 10 || strlen(currency) != 3) {
		abort();
	}
	return SSR_EOK;
}

static int on_dum(const char *tld, uint64_t registrar, uint64_t domains, void *ctx)
{
	(void)tld;
	(void)registrar;
	(void)ctx;
	if (domains == 0) {
		abort();
	}
	return SSR_EOK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1) {
		return 0;
	}
	int fd = memfd_create("input", 0);
	if (fd < 0 || write(fd, data + 1, size - 1) != (ssize_t)(size - 1)) {
		if (fd >= 0) {
			close(fd);
		}
		return 0;
	}
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	ssr_diag_t d;
	switch (data[0] % 4) {
	case 0: {
		ssr_attrib_t *a;
		if (ssr_attrib_file_new(path, NULL, &a, &d) != SSR_EOK) {
			abort();
		}
		const char *doms[] = {"example.alpha", "x.bravo"};
		ssr_registration_t out[2];
		if (a->attribute(a, doms, 2, out, &d) == SSR_EOK) {
			a->denominators(a, NULL, NULL, on_dum, NULL, &d);
		}
		a->free(a);
		break;
	}
	case 1:
		(void)ssr_registrar_list_read(path, on_registrar, NULL, &d);
		break;
	case 2:
		(void)ssr_price_file_read(path, on_price, NULL, &d);
		break;
	case 3: {
		ssr_abuse_feed_t *f;
		size_t n;
		if (ssr_abuse_feeds_config(path, &f, &n, &d) == SSR_EOK) {
			ssr_abuse_feeds_free(f, n);
		}
		break;
	}
	}
	close(fd);
	return 0;
}
