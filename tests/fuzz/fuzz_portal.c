/* libFuzzer target: the portal's own parsers of untrusted input.  First byte selects:
 *   0: a config file ('key = value' lines) through ssr_portal_config_load;
 *   1: a JSON report through intake validation and normalisation (portal_intake_submit) on a real
 *      portal with its store in /dev/shm: an invalid report must come back as field errors
 *      and store nothing, a valid one as a stored report with a token;
 *   2 (mod 4): form pieces as libmicrohttpd's post processor hands them over, into form.c
 *      (records of [key length][key][name length][file name][piece length][piece]): the caps
 *      hold, a refused form says why, every value read back is NUL-terminated. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "intake.h"

static ssr_portal_t *portal;

static void start(void)
{
	char path[64];
	snprintf(path, sizeof(path), "/dev/shm/ssrwatch-fuzz-portal-%d.db", (int)getpid());
	unlink(path);
	static ssr_portal_config_t cfg;
	ssr_portal_config_init(&cfg);
	cfg.store_uri = strdup(path);
	cfg.port = 0;
	cfg.threads = 1;
	cfg.background = false;
	cfg.rate_ip = 0;
	ssr_diag_t d;
	if (ssr_portal_start(&cfg, &portal, &d) != SSR_EOK) {
		fprintf(stderr, "fuzz_portal: %s\n", d.msg);
		abort();
	}
}

static int64_t reports(void)
{
	ssr_store_t *st = portal_pool_get(&portal->pool);
	ssr_diag_t d;
	int64_t n = -1;
	if (ssr_store_report_count(st, &n, &d) != SSR_EOK) {
		abort();
	}
	portal_pool_put(&portal->pool, st);
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1) {
		return 0;
	}
	const char *text = (const char *)data + 1;
	size_t len = size - 1;
	ssr_diag_t d;
	if (data[0] % 4 == 2) {
		form_t f;
		if (portal_form_init(&f, 3, 1000) != SSR_EOK) {
			abort();
		}
		size_t i = 0;
		uint64_t off = 0;
		while (i + 3 <= len) {
			char key[80], fn[80];
			size_t kl = (uint8_t)text[i++] % 70, fl;
			if (i + kl + 1 > len) {
				break;
			}
			memcpy(key, text + i, kl);
			key[kl] = '\0';
			i += kl;
			fl = (uint8_t)text[i++] % 70;
			if (i + fl + 1 > len) {
				break;
			}
			memcpy(fn, text + i, fl);
			fn[fl] = '\0';
			i += fl;
			size_t pl = (uint8_t)text[i++] * 8u;
			if (pl > len - i) {
				pl = len - i;
			}
			off = (fl % 3 == 0) ? 0 : off; /* a new value or the next piece of it */
			if (portal_form_piece(&f, key, fl ? fn : NULL, "text/plain", text + i, off,
			                      pl) != SSR_EOK) {
				abort();
			}
			off += pl;
			i += pl;
		}
		portal_form_check(&f);
		if (f.status != 0 && f.error[0] == '\0') {
			abort(); /* a refusal always says why */
		}
		for (size_t k = 0; k < f.nfields; k++) {
			size_t vl = 0;
			const char *v = portal_form_get(&f, f.fields[k].key, &vl);
			if (v == NULL || vl > FORM_FIELD_MAX || v[vl] != '\0') {
				abort();
			}
		}
		if (f.nfiles > 3) {
			abort();
		}
		for (size_t k = 0; k < f.nfiles; k++) {
			if (f.files[k].len > 1000) {
				abort();
			}
		}
		portal_form_release(&f);
		return 0;
	}
	if (data[0] % 2 == 0) {
		int fd = memfd_create("portal.conf", 0);
		if (fd < 0 || write(fd, text, len) != (ssize_t)len) {
			abort();
		}
		char path[64];
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		ssr_portal_config_t cfg;
		ssr_portal_config_init(&cfg);
		ssr_arena_t keep;
		ssr_arena_init(&keep, 4096);
		int rc = ssr_portal_config_load(&cfg, path, &keep, &d);
		if (rc != SSR_EOK && strstr(d.msg, "portal.conf") == NULL && d.msg[0] == '\0') {
			abort(); /* an error always says what and where */
		}
		if (rc == SSR_EOK && cfg.port > 65535) {
			abort();
		}
		ssr_arena_release(&keep);
		close(fd);
		return 0;
	}
	if (portal == NULL) {
		start();
	}
	json_t *in = json_loadb(text, len, 0, NULL);
	if (in == NULL) {
		return 0;
	}
	int64_t before = reports();
	json_t *res = NULL, *errs = NULL;
	int rc = portal_intake_submit(portal, in, "192.0.2.1", &res, &errs, &d);
	json_decref(in);
	if (rc == SSR_EINVAL) {
		if (json_array_size(errs) == 0 || res != NULL || reports() != before) {
			abort(); /* refused: with reasons, and nothing stored */
		}
	} else if (rc == SSR_EOK) {
		if (errs != NULL || json_integer_value(json_object_get(res, "report_id")) <= 0 ||
		    strlen(json_string_value(json_object_get(res, "token"))) < 40 ||
		    reports() != before + 1) {
			abort();
		}
	}
	json_decref(res);
	json_decref(errs);
	return 0;
}
