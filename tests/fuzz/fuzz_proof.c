/* libFuzzer target: the DNSSEC denial-proof checker (src/libregress/proof.c) on hostile
 * answers: the first byte picks the query's name, the rest is the response.  Every kind is
 * checked; nothing may read outside the message or loop (compression, counts beyond the
 * message, NSEC3 owners that are no base32hex, hashes of any length). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ssrwatch/probe.h"
#include "ssrwatch/regress.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 65536) {
		return 0;
	}
	static const char *const names[] = {"nx.sub2.example.", "www.example.", "a.b.wild.example.",
	                                    "www.sub.example.", "example.",     "."};
	ssr_probe_query_t q;
	ssr_probe_query_init(&q);
	q.qname = names[data[0] % 6];
	q.qtype = (uint16_t)(data[0] >> 3);
	q.edns = true;
	q.edns_do = true;
	uint8_t w[512];
	size_t len;
	ssr_diag_t d;
	if (ssr_probe_query_build(&q, w, sizeof w, &len, &d) != SSR_EOK) {
		return 0;
	}
	char why[160];
	for (int k = SSR_PROOF_NONE; k <= SSR_PROOF_NODS; k++) {
		(void)ssr_regress_proof_check((ssr_regress_proof_t)k, w, len, data + 1, size - 1,
		                              why, sizeof why);
		if (strlen(why) >= sizeof why) {
			abort();
		}
	}
	return 0;
}
