/* libFuzzer target: the packet decoder with fragment and stream reassembly, and the DNS parser,
 * on arbitrary bytes.  The first byte picks the link type (or the bare DNS parser), checksum
 * checking and a small or large reassembly cap; every decoded message is re-parsed and its
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

static uint64_t accounted(const ssr_decoder_t *d)
{
	uint64_t sum =
	    d->dns_messages + d->not_dns + d->fragments + d->tcp_held + d->tcp_retransmits;
	for (unsigned i = 0; i < SSR_MAL_COUNT; i++) {
		sum += d->malformed[i];
	}
	return sum;
}

/* Input: a selector byte, then packets as [2-byte length][1-byte time step][bytes], all through
 * one decoder (so that fragments and TCP segments meet), then the end of input. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int links[] = {SSR_LINK_ETHERNET, SSR_LINK_LINUX_SLL, SSR_LINK_SLL2,
	                            SSR_LINK_RAW,      SSR_LINK_NULL,      SSR_LINK_LOOP,
	                            SSR_LINK_IPV6};
	if (size < 1 || size > 200000) {
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
	d.verify_checksums = data[0] & 0x80;
	d.reasm_max_bytes = (data[0] & 0x40) ? 4096 : (size_t)1 << 20; /* the cap reached, or not */
	int64_t ts = 0;
	uint64_t packets = 0;
	for (size_t off = 1; off + 3 <= size;) {
		size_t len = (size_t)data[off] << 8 | data[off + 1];
		ts += data[off + 2] & 0x3f;
		off += 3;
		if (len > size - off) {
			len = size - off;
		}
		/* the captured length may be shorter than the original (snaplen) */
		size_t orig = len + (data[0] >> 3 & 7);
		uint64_t before = accounted(&d);
		ssr_decode(&d, links[pick], ts, data + off, len, orig, on_msg, NULL);
		packets++;
		if (d.packets != packets || accounted(&d) == before) {
			abort(); /* every packet is accounted for somewhere */
		}
		off += len;
	}
	ssr_decoder_finish(&d, on_msg, NULL);
	if (d.reasm) {
		abort();
	}
	return 0;
}
