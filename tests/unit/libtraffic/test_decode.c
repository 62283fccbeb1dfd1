/* libtraffic: the DNS parser (compression, loops, EDNS options, extended rcodes) and the packet
 * decoder on hand-built frames of every link type, IPv6 extension headers, fragments, TCP
 * framing, snaplen cuts. */
#include <string.h>

#include "../test_common.h"
#include "ssrwatch/traffic.h"

/* example.com A query, id 0x1234, EDNS with DO, ECS /24, cookie, key tag */
static const uint8_t query[] = {
    0x12, 0x34, 0x01, 0x00, 0,    1,    0,   0,    0,   0,   0,   1,                  /* header */
    7,    'E',  'x',  'a',  'm',  'p',  'l', 'e',  3,   'c', 'o', 'm', 0, 0, 1, 0, 1, /* question */
    0,    0,    41,   0x10, 0x00, 0x01, 0,   0x80, 0,   0,   23,     /* OPT, ext rcode 1 */
    0,    8,    0,    7,    0,    1,    24,  0,    192, 0,   2,      /* ECS 192.0.2/24 */
    0,    10,   0,    8,    1,    2,    3,   4,    5,   6,   7,   8, /* cookie */
};

static void dns_parse(void **state)
{
	(void)state;
	ssr_dns_msg_t m;
	assert_int_equal(ssr_dns_parse(query, sizeof query - 16, &m), SSR_DNS_TRUNCATED);
	/* fix the OPT rdlen for the trimmed options: only ECS */
	uint8_t q[sizeof query];
	memcpy(q, query, sizeof q);
	q[39] = 11;
	assert_int_equal(ssr_dns_parse(q, 51, &m), SSR_DNS_OK);
	assert_int_equal(m.id, 0x1234);
	assert_false(m.qr);
	assert_true(m.rd);
	assert_int_equal(m.qname_len, 13);
	assert_memory_equal(m.qname, "\7example\3com", 13); /* lowercased */
	assert_int_equal(m.qtype, 1);
	assert_true(m.edns && m.do_bit && m.ecs);
	assert_false(m.cookie);
	assert_int_equal(m.udp_size, 4096);
	assert_int_equal(m.ecs_source, 24);
	assert_int_equal(m.rcode, 16); /* extended rcode 1 << 4: BADVERS */
	assert_int_equal(ssr_dns_parse(query, sizeof query, &m), SSR_DNS_OK);
	assert_true(m.ecs && m.cookie);
	assert_int_equal(ssr_dns_parse(query, 11, &m), SSR_DNS_SHORT);
	/* a pointer to itself, a forward pointer, one past the end */
	uint8_t loop[] = {0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 12, 0, 1, 0, 1};
	assert_int_equal(ssr_dns_parse(loop, sizeof loop, &m), SSR_DNS_LOOP);
	loop[13] = 14;
	assert_int_equal(ssr_dns_parse(loop, sizeof loop, &m), SSR_DNS_LOOP);
	loop[13] = 200;
	assert_int_equal(ssr_dns_parse(loop, sizeof loop, &m), SSR_DNS_BAD_NAME);
	/* a backward pointer chain is fine: answer name -> question name */
	uint8_t resp[] = {0, 0,    0x84, 0x03, 0, 1, 0, 1, 0, 0, 0, 0, 1, 'a', 0, 0, 1, 0,
	                  1, 0xc0, 12,   0,    1, 0, 1, 0, 0, 0, 9, 0, 4, 192, 0, 2, 1};
	assert_int_equal(ssr_dns_parse(resp, sizeof resp, &m), SSR_DNS_OK);
	assert_true(m.qr);
	assert_int_equal(m.rcode, 3);
	/* RFC 8145 key tags and RFC 6975 DAU in the OPT record */
	uint8_t kt[] = {0, 0, 0,    0,    0,    1,    0, 0, 0, 0, 0, 1,  0,  0, 1,
	                0, 1, 0,    0,    41,   4,    0, 0, 0, 0, 0, 0,  15, 0, 14,
	                0, 4, 0x4f, 0x66, 0x97, 0x28, 0, 5, 0, 3, 8, 13, 15};
	assert_int_equal(ssr_dns_parse(kt, sizeof kt, &m), SSR_DNS_OK);
	assert_int_equal(m.nkeytags, 2);
	assert_int_equal(m.keytags[0], 20326);
	assert_int_equal(m.keytags[1], 38696);
	assert_int_equal(m.ndau, 3);
	assert_int_equal(m.dau[2], 15);
	uint8_t ext[] = {0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0x40, 'a', 0, 0, 1, 0, 1};
	assert_int_equal(ssr_dns_parse(ext, sizeof ext, &m), SSR_DNS_BAD_NAME);
}

static unsigned seen;
static ssr_dns_pkt_t last;
static void on_msg(const ssr_dns_pkt_t *p, void *ctx)
{
	(void)ctx;
	seen++;
	last = *p;
}

/* An IPv4/UDP packet carrying query[] from 192.0.2.7:5555 to port 53. */
static size_t ipv4_udp(uint8_t *f, uint16_t frag)
{
	size_t n = sizeof query;
	memset(f, 0, 28);
	f[0] = 0x45;
	f[2] = (uint8_t)((28 + n) >> 8);
	f[3] = (uint8_t)(28 + n);
	f[6] = (uint8_t)(frag >> 8);
	f[7] = (uint8_t)frag;
	f[9] = 17;
	uint8_t src[4] = {192, 0, 2, 7};
	memcpy(f + 12, src, 4);
	f[20] = 0x15;
	f[21] = 0xb3;
	f[23] = 53;
	f[24] = (uint8_t)((8 + n) >> 8);
	f[25] = (uint8_t)(8 + n);
	memcpy(f + 28, query, n);
	return 28 + n;
}

static void link_types(void **state)
{
	(void)state;
	ssr_decoder_t d;
	ssr_decoder_init(&d);
	uint8_t ip[256], f[300];
	size_t n = ipv4_udp(ip, 0);
	/* Ethernet with two VLAN tags */
	memset(f, 0, 22);
	f[12] = 0x88;
	f[13] = 0xa8;
	f[16] = 0x81;
	f[17] = 0x00;
	f[20] = 0x08;
	memcpy(f + 22, ip, n);
	seen = 0;
	ssr_decode(&d, SSR_LINK_ETHERNET, 1, f, 22 + n, 22 + n, on_msg, NULL);
	assert_int_equal(seen, 1);
	assert_int_equal(last.af, 4);
	assert_int_equal(last.sport, 5555);
	assert_int_equal(last.src[3], 7);
	/* Linux cooked v1 and v2, raw, loopback (BSD, network order) */
	memset(f, 0, 20);
	f[14] = 0x08;
	memcpy(f + 16, ip, n);
	ssr_decode(&d, SSR_LINK_LINUX_SLL, 1, f, 16 + n, 16 + n, on_msg, NULL);
	memset(f, 0, 20);
	f[0] = 0x08;
	memcpy(f + 20, ip, n);
	ssr_decode(&d, SSR_LINK_SLL2, 1, f, 20 + n, 20 + n, on_msg, NULL);
	ssr_decode(&d, SSR_LINK_RAW, 1, ip, n, n, on_msg, NULL);
	uint8_t lo[4] = {0, 0, 0, 2};
	memcpy(f, lo, 4);
	memcpy(f + 4, ip, n);
	ssr_decode(&d, SSR_LINK_LOOP, 1, f, 4 + n, 4 + n, on_msg, NULL);
	assert_int_equal(seen, 5);
	/* a first fragment whose length is not a multiple of 8, a snaplen cut, an unknown link
	 * type (fragments that reassemble: test_reasm.c) */
	size_t m = ipv4_udp(ip, 0x2000);
	ssr_decode(&d, SSR_LINK_RAW, 1, ip, m, m, on_msg, NULL);
	assert_int_equal(d.fragments, 1);
	assert_int_equal(d.malformed[SSR_MAL_FRAGMENT], 1);
	m = ipv4_udp(ip, 0);
	ssr_decode(&d, SSR_LINK_RAW, 1, ip, 40, m, on_msg, NULL);
	assert_int_equal(d.malformed[SSR_MAL_SNAPLEN], 1);
	ssr_decode(&d, 12345, 1, ip, m, m, on_msg, NULL);
	assert_int_equal(d.malformed[SSR_MAL_LINK], 1);
	assert_int_equal(seen, 5);
	assert_int_equal(d.packets, 8);
	ssr_decoder_finish(&d, on_msg, NULL);
	assert_int_equal(d.malformed[SSR_MAL_FRAG_INCOMPLETE], 0);
	assert_null(d.reasm);
}

static void ipv6_and_tcp(void **state)
{
	(void)state;
	ssr_decoder_t d;
	ssr_decoder_init(&d);
	uint8_t f[512];
	size_t n = sizeof query;
	/* IPv6 with a hop-by-hop header, then TCP carrying two messages and half a third */
	memset(f, 0, 68);
	f[0] = 0x60;
	size_t tcp = 20 + 2 * (2 + n) + 3;
	f[4] = (uint8_t)((8 + tcp) >> 8);
	f[5] = (uint8_t)(8 + tcp);
	f[6] = 0; /* hop-by-hop */
	f[8] = 0x20;
	f[40] = 6; /* next: TCP */
	f[41] = 0; /* 8 bytes */
	uint8_t *t = f + 48;
	t[0] = 0x15;
	t[1] = 0xb3;
	t[3] = 53;
	t[12] = 0x50;
	size_t off = 20;
	for (int i = 0; i < 2; i++) {
		t[off] = (uint8_t)(n >> 8);
		t[off + 1] = (uint8_t)n;
		memcpy(t + off + 2, query, n);
		off += 2 + n;
	}
	t[off] = 0;
	t[off + 1] = 40;
	t[off + 2] = 0x12;
	seen = 0;
	size_t len = 48 + tcp;
	ssr_decode(&d, SSR_LINK_IPV6, 1, f, len, len, on_msg, NULL);
	assert_int_equal(seen, 2);
	assert_int_equal(last.af, 6);
	assert_int_equal(last.proto, 6);
	assert_int_equal(last.src[0], 0x20);
	assert_int_equal(d.tcp_held, 1); /* the third waits for its next segment */
	assert_int_equal(d.malformed[SSR_MAL_TCP_PARTIAL], 0);
	/* an atomic fragment (RFC 6946: offset 0, no more) is a whole datagram */
	f[6] = 44;
	ssr_decode(&d, SSR_LINK_IPV6, 1, f, len, len, on_msg, NULL);
	assert_int_equal(seen, 2); /* the same segment again: a retransmission */
	assert_int_equal(d.tcp_retransmits, 1);
	/* a first fragment of a length not a multiple of 8: bad */
	f[43] = 1;
	ssr_decode(&d, SSR_LINK_IPV6, 1, f, len, len, on_msg, NULL);
	assert_int_equal(d.fragments, 1);
	assert_int_equal(d.malformed[SSR_MAL_FRAGMENT], 1);
	f[43] = 0;
	/* another port: not DNS */
	f[6] = 0;
	t[3] = 80;
	t[1] = 80;
	ssr_decode(&d, SSR_LINK_IPV6, 1, f, len, len, on_msg, NULL);
	assert_int_equal(d.not_dns, 1);
	assert_int_equal(seen, 2);
	ssr_decoder_finish(&d, on_msg, NULL);
	assert_int_equal(d.malformed[SSR_MAL_TCP_PARTIAL], 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(dns_parse),
	    cmocka_unit_test(link_types),
	    cmocka_unit_test(ipv6_and_tcp),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
