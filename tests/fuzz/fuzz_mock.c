/* libFuzzer target: the mock hierarchy's query handling (libknot's parser, then the lookup and
 * the answer writer) on arbitrary bytes, against the shipped signed root and secure. zones.
 * An answer never exceeds its buffer, and when given it starts with the query's ID and QR set. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ssrwatch/regress.h"

static ssr_regress_mock_t *mock;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	ssr_regress_mock_server_t s[2];
	memset(s, 0, sizeof s);
	const char *zones[][3] = {{"root", ".", "root.zone"}, {"secure", "secure.", "secure.zone"}};
	for (int i = 0; i < 2; i++) {
		snprintf(s[i].name, sizeof s[i].name, "%s", zones[i][0]);
		snprintf(s[i].addr, sizeof s[i].addr, "127.54.9.%d", i + 1);
		snprintf(s[i].zone, sizeof s[i].zone, "%s", zones[i][1]);
		snprintf(s[i].file, sizeof s[i].file, "%s/regress/hierarchy/%s", SSR_DATA_DIR,
		         zones[i][2]);
	}
	ssr_diag_t d;
	/* port 0: ephemeral ports, nothing is sent to them */
	if (ssr_regress_mock_start(s, 2, 0, &mock, &d) != SSR_EOK) {
		fprintf(stderr, "fuzz_mock: %s\n", d.msg);
		abort();
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 65535) {
		return 0;
	}
	static uint8_t out[65535];
	for (size_t srv = 0; srv < 2; srv++) {
		for (int tcp = 0; tcp < 2; tcp++) {
			size_t len = 0;
			size_t cap = tcp ? sizeof out : 1232;
			if (ssr_regress_mock_answer(mock, srv, data, size, tcp, out, cap, &len) !=
			        SSR_EOK ||
			    len > cap) {
				abort();
			}
			if (len > 0 &&
			    (len < 12 || memcmp(out, data, 2) != 0 || !(out[2] & 0x80))) {
				abort();
			}
		}
	}
	return 0;
}
