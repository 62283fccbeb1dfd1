/* libFuzzer target: the packet decoder and the DNS parser on arbitrary bytes.  The first byte
 * picks the link type (or the bare DNS parser); every decoded message is re-parsed and its
 * fields checked against the bounds the parser promises. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ssrwatch/traffic.h"

static void on_msg(const ssr_dns_pkt_t *p, void *ctx)
{
	(void)ctx;
	if (p->msg->qname_len > 255 || (p->af != 4 && p->af != 6) ||
	    (p->proto != 6 && p->proto != 17)) {
		abort();
	}
	ssr_dns_msg_t again;
	if (ssr_dns_parse(p->dns, p->dns_len, &again) != SSR_DNS_OK || again.id != p->msg->id) {
		abort(); /* the same bytes parse the same way */
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int links[] = {SSR_LINK_ETHERNET, SSR_LINK_LINUX_SLL, SSR_LINK_SLL2,
	                            SSR_LINK_RAW,      SSR_LINK_NULL,      SSR_LINK_LOOP,
	                            SSR_LINK_IPV6};
	if (size < 1 || size > 70000) {
		return 0;
	}
	unsigned pick = data[0] % 8;
	if (pick == 7) {
		ssr_dns_msg_t m;
		ssr_dns_parse(data + 1, size - 1, &m);
		return 0;
	}
	ssr_decoder_t d;
	ssr_decoder_init(&d);
	/* the captured length may be shorter than the original (snaplen) */
	size_t orig = size - 1 + (data[0] >> 3);
	ssr_decode(&d, links[pick], 0, data + 1, size - 1, orig, on_msg, NULL);
	uint64_t sum = d.dns_messages + d.not_dns;
	for (unsigned i = 0; i < SSR_MAL_COUNT; i++) {
		sum += d.malformed[i];
	}
	if (d.packets != 1 || sum == 0) {
		abort(); /* every packet is accounted for somewhere */
	}
	return 0;
}
