/* libFuzzer target: the portal's parsers of untrusted text: RDAP bootstrap registries and
 * lookups in them, RDAP domain and IP answers, base64 attachments.  The first byte selects. */
#include <stdlib.h>
#include <string.h>

#include "ssrwatch/crypto.h"
#include "ssrwatch/error.h"
#include "ssrwatch/rdap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1) {
		return 0;
	}
	const char *text = (const char *)data + 1;
	size_t len = size - 1;
	ssr_diag_t d;
	switch (data[0] % 4) {
	case 0: {
		ssr_rdap_space_t sp = (ssr_rdap_space_t)((data[0] >> 2) % 3);
		ssr_rdap_boot_t *b = NULL;
		if (ssr_rdap_boot_parse(text, len, "fuzz", sp, &b, &d) == SSR_EOK) {
			static const char *keys[] = {
			    "example.com", "a.b.co.uk",   "com", "",
			    "192.0.2.1",   "2001:db8::1", "::",  "255.255.255.255"};
			for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
				const char *u = ssr_rdap_boot_find(b, keys[i]);
				if (u != NULL && u[strlen(u) - 1] != '/') {
					abort(); /* base URLs always end in '/' */
				}
			}
			ssr_rdap_boot_free(b);
		}
		break;
	}
	case 1: {
		ssr_rdap_entity_t e;
		if (ssr_rdap_domain_registrar(text, len, &e, &d) == SSR_EOK &&
		    (strlen(e.name) >= sizeof(e.name) || e.iana_id < 0)) {
			abort();
		}
		break;
	}
	case 2: {
		ssr_rdap_entity_t e;
		if (ssr_rdap_ip_holder(text, len, &e, &d) == SSR_EOK && e.handle[0] == '\0') {
			abort();
		}
		break;
	}
	default: {
		uint8_t out[4096];
		size_t n = 0;
		if (ssr_base64_decode(text, len, out, sizeof(out), &n) == SSR_EOK) {
			/* round trip: encoding the bytes decodes to them again */
			char *enc = malloc(ssr_base64_len(n) + 1);
			uint8_t back[4096];
			size_t m = 0;
			if (enc == NULL) {
				return 0;
			}
			ssr_base64_encode(out, n, enc);
			if (ssr_base64_decode(enc, strlen(enc), back, sizeof(back), &m) !=
			        SSR_EOK ||
			    m != n || memcmp(back, out, n) != 0) {
				abort();
			}
			free(enc);
		}
		break;
	}
	}
	return 0;
}
