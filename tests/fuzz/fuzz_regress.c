/* libFuzzer target: regression suite files (YAML through libyaml, then the strict schema) on
 * arbitrary bytes.  An error always names the file; a suite that loads has at least one case,
 * each with an id and a title. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ssrwatch/regress.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 200000) {
		return 0;
	}
	char path[64];
	snprintf(path, sizeof path, "/dev/shm/ssrwatch-fuzz-regress-%d.yaml", (int)getpid());
	FILE *f = fopen(path, "wb");
	if (f == NULL) {
		return 0;
	}
	fwrite(data, 1, size, f);
	fclose(f);
	ssr_regress_suite_t s;
	ssr_diag_t d;
	int rc = ssr_regress_suite_read(path, &s, &d);
	if (rc != SSR_EOK && strstr(d.msg, path) == NULL) {
		abort();
	}
	if (rc == SSR_EOK) {
		if (s.ncases == 0) {
			abort();
		}
		for (size_t i = 0; i < s.ncases; i++) {
			if (s.cases[i].id[0] == '\0' || s.cases[i].title[0] == '\0') {
				abort();
			}
		}
		ssr_regress_suite_release(&s);
	}
	unlink(path);
	return 0;
}
