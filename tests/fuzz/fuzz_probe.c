/* libFuzzer target: libprobe's readers of hostile bytes.  The first byte picks:
 *   0  a response parsed alone, its records dumped as text, the exchange as JSON
 *   1  a response matched against a fixed query (the engine's judge)
 *   2  one record body, wrapped in a valid file with a right checksum (reaches the decoder)
 *   3  a whole record file as given
 *   4  a query file (probe run --queries)
 * Nothing is checked but the absence of crashes, leaks and sanitizer reports, and that a
 * response the matcher accepts also dumps. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "ssrwatch/probe.h"
#include "ssrwatch/report.h"

static int count_rr(int section, const char *text, void *ctx)
{
	(void)section;
	(void)text;
	(*(int *)ctx)++;
	return SSR_EOK;
}

static int count_rec(const ssr_probe_result_t *r, void *ctx)
{
	json_t *j = NULL;
	ssr_diag_t d;
	if (ssr_report_probe_json(r, &j, &d) == SSR_EOK) {
		json_decref(j);
	}
	(*(int *)ctx)++;
	return SSR_EOK;
}

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++) {
		p[i] = (uint8_t)(v >> (8 * i));
	}
}

static int count_q(const char *name, uint16_t type, uint64_t line, void *ctx)
{
	(void)type;
	(void)line;
	if (name[0] == '\0') {
		abort(); /* a query line always has a name */
	}
	(*(int *)ctx)++;
	return SSR_EOK;
}

static void read_qfile(const uint8_t *b, size_t n)
{
	char path[64];
	snprintf(path, sizeof path, "/dev/shm/ssrwatch-fuzz-probe-q-%d", (int)getpid());
	FILE *f = fopen(path, "wb");
	if (f == NULL) {
		return;
	}
	fwrite(b, 1, n, f);
	fclose(f);
	int k = 0;
	ssr_diag_t d;
	if (ssr_probe_qfile_read(path, count_q, &k, &d) != SSR_EOK && d.msg[0] == '\0') {
		abort();
	}
	unlink(path);
}

static void read_file(const uint8_t *b, size_t n)
{
	char path[64];
	snprintf(path, sizeof path, "/dev/shm/ssrwatch-fuzz-probe-%d", (int)getpid());
	FILE *f = fopen(path, "wb");
	if (f == NULL) {
		return;
	}
	fwrite(b, 1, n, f);
	fclose(f);
	int k = 0;
	ssr_diag_t d;
	(void)!ssr_probe_rec_read(path, count_rec, &k, &d);
	unlink(path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 70000) {
		return 0;
	}
	const uint8_t *m = data + 1;
	size_t n = size - 1;
	ssr_probe_answer_t a;
	ssr_diag_t d;
	int k = 0;
	switch (data[0] % 5) {
	case 0: {
		if (ssr_probe_parse(m, n, NULL, 0, &a, &d) == SSR_EOK &&
		    ssr_probe_msg_rrs(m, n, count_rr, &k, &d) != SSR_EOK && d.msg[0] == '\0') {
			abort(); /* an error always says what */
		}
		ssr_probe_result_t r = {.transport = SSR_PROBE_UDP,
		                        .outcome = SSR_PROBE_ANSWER,
		                        .query = m,
		                        .qlen = n,
		                        .resp = m,
		                        .rlen = n,
		                        .label = ""};
		json_t *j = NULL;
		if (ssr_report_probe_json(&r, &j, &d) == SSR_EOK) {
			json_decref(j);
		}
		break;
	}
	case 1: {
		static uint8_t q[512];
		static size_t ql;
		if (ql == 0) {
			ssr_probe_query_t qq;
			ssr_probe_query_init(&qq);
			qq.qname = "www.example.";
			qq.id = 0x1234;
			if (ssr_probe_query_build(&qq, q, sizeof q, &ql, &d) != SSR_EOK) {
				abort();
			}
		}
		(void)!ssr_probe_parse(m, n, q, ql, &a, &d);
		break;
	}
	case 2: {
		uint8_t *f = malloc(12 + 8 + n);
		if (f == NULL) {
			return 0;
		}
		memcpy(f, "SSRPROBE\1\0\0\0", 12);
		put32(f + 12, (uint32_t)n);
		memcpy(f + 16, m, n);
		put32(f + 16 + n, (uint32_t)crc32(0, m, (uInt)n));
		read_file(f, 20 + n);
		free(f);
		break;
	}
	case 3:
		read_file(m, n);
		break;
	default:
		read_qfile(m, n);
	}
	return 0;
}
