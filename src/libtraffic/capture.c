/* libtraffic: captures through libpcap (pcap and pcapng), fed from ssr_input so that gzip, zstd
 * and stdin work like plain files. */
#define _GNU_SOURCE /* fopencookie */
#include <pcap/pcap.h>
#include <stdio.h>
#include <string.h>

#include "ssrwatch/input.h"
#include "ssrwatch/traffic.h"

static ssize_t cookie_read(void *c, char *buf, size_t size)
{
	size_t got = 0;
	if (ssr_input_read(c, buf, size, &got, NULL) != SSR_EOK) {
		return -1;
	}
	return (ssize_t)got;
}

int ssr_capture_read(const char *path, ssr_decoder_t *d, ssr_dns_pkt_fn fn, void *ctx,
                     ssr_capture_stats_t *st, ssr_diag_t *diag)
{
	ssr_input_t *in;
	int rc = ssr_input_open(path, &in, diag);
	if (rc != SSR_EOK) {
		return rc;
	}
	cookie_io_functions_t io = {.read = cookie_read};
	FILE *f = fopencookie(in, "r", io);
	if (!f) {
		ssr_input_free(in);
		return ssr_diag_set(diag, SSR_ENOMEM, "capture '%s': out of memory", path);
	}
	char err[PCAP_ERRBUF_SIZE] = "";
	pcap_t *pc = pcap_fopen_offline(f, err);
	if (!pc) {
		fclose(f);
		ssr_input_free(in);
		return ssr_diag_set(diag, SSR_EPARSE,
		                    "capture '%s': not a pcap or pcapng file (%s)", path, err);
	}
	int link = pcap_datalink(pc);
	if (link == DLT_RAW) {
		/* libpcap reports a file's LINKTYPE_RAW (101) as the platform's DLT_RAW (12 on
		 * Linux): raw IP captures (tun devices, many capture tools) */
		link = SSR_LINK_RAW;
	}
	if (st) {
		st->linktype = link;
	}
	struct pcap_pkthdr *h;
	const u_char *data;
	int r;
	while ((r = pcap_next_ex(pc, &h, &data)) == 1) {
		if (st) {
			st->packets++;
			st->bytes += h->caplen;
		}
		ssr_decode(d, link, (int64_t)h->ts.tv_sec, data, h->caplen, h->len, fn, ctx);
	}
	if (r == PCAP_ERROR) {
		rc = ssr_diag_set(diag, SSR_ECORRUPT, "capture '%s' after %llu packets: %s", path,
		                  (unsigned long long)(st ? st->packets : 0), pcap_geterr(pc));
	}
	pcap_close(pc); /* closes f */
	ssr_input_free(in);
	return rc;
}
