/* libFuzzer target: presentation <-> wire name conversion and comparisons. */
#include <stdlib.h>
#include <string.h>

#include "ssrwatch/dname.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t origin[] = {4, 'f', 'u', 'z', 'z', 0};
	uint8_t w[SSR_DNAME_MAXLEN + 1], w2[SSR_DNAME_MAXLEN + 1];
	char text[SSR_DNAME_TEXTMAX];
	int l = ssr_dname_from_text((const char *)data, size, origin, w, sizeof(w));
	if (l <= 0) {
		return 0;
	}
	if (ssr_dname_len(w, (size_t)l) != (size_t)l) {
		abort();
	}
	int tl = ssr_dname_to_text(w, text, sizeof(text), false);
	if (tl < 0) {
		abort();
	}
	/* Round trip: text form parses back to the same wire name. */
	int l2 = ssr_dname_from_text(text, (size_t)tl, NULL, w2, sizeof(w2));
	if (l2 != l || memcmp(w, w2, (size_t)l) != 0) {
		abort();
	}
	if (ssr_dname_cmp_canonical(w, w2) != 0 || ssr_dname_cmp_text(w, w2) != 0 ||
	    !ssr_dname_is_under(w, (const uint8_t *)"")) {
		abort();
	}
	return 0;
}
