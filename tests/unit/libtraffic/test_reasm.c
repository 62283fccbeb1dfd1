/* tests for src/libtraffic/reasm.c: IPv4 and IPv6 fragments (out of order, duplicates,
 * overlaps, timeouts, bad lengths), TCP streams (a message over several segments, a length
 * prefix split, several messages in one segment, retransmissions, out-of-order segments, a
 * missing SYN, a gap never filled, RST), the memory cap, checksums. */
#include <string.h>

#include "../test_common.h"
#include "ssrwatch/traffic.h"

static unsigned seen;
static uint8_t got[4096];
static size_t got_len;
static ssr_dns_pkt_t last;
static ssr_dns_msg_t last_msg; /* p->msg lives only during the callback */

static void on_msg(const ssr_dns_pkt_t *p, void *ctx)
{
	(void)ctx;
	seen++;
	last = *p;
	last_msg = *p->msg;
	got_len = p->dns_len < sizeof got ? p->dns_len : sizeof got;
	memcpy(got, p->dns, got_len);
}

static void put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v & 0xffff);
}

/* A DNS response of n bytes (n >= 29): "a." TXT with one record filling the rest. */
static size_t dns_response(uint8_t *m, size_t n, uint16_t id)
{
	memset(m, 0, n);
	put16(m, id);
	m[2] = 0x84;
	put16(m + 4, 1);
	put16(m + 6, 1);
	m[12] = 1;
	m[13] = 'a';
	put16(m + 15, 16);
	put16(m + 17, 1);
	put16(m + 19, 0xc00c);
	put16(m + 21, 16);
	put16(m + 23, 1);
	put16(m + 29, (unsigned)(n - 31));
	for (size_t i = 31; i < n; i++) {
		m[i] = (uint8_t)('a' + i % 26);
	}
	return n;
}

/* An IPv4 packet: header (protocol, id, fragment field) + payload. */
static size_t ipv4(uint8_t *f, uint8_t proto, uint16_t id, uint16_t frag, const uint8_t *pl,
                   size_t n)
{
	memset(f, 0, 20);
	f[0] = 0x45;
	put16(f + 2, (unsigned)(20 + n));
	put16(f + 4, id);
	put16(f + 6, frag);
	f[8] = 64;
	f[9] = proto;
	f[12] = 192;
	f[14] = 2;
	f[15] = 7;
	f[16] = 198;
	f[17] = 41;
	f[19] = 4;
	memcpy(f + 20, pl, n);
	return 20 + n;
}

/* UDP from port 53 to 40000 around a DNS message. */
static size_t udp(uint8_t *u, const uint8_t *m, size_t n)
{
	put16(u, 53);
	put16(u + 2, 40000);
	put16(u + 4, (unsigned)(8 + n));
	put16(u + 6, 0);
	memcpy(u + 8, m, n);
	return 8 + n;
}

/* A TCP segment sport -> 53 with seq and flags around n payload bytes. */
static size_t tcp(uint8_t *t, uint16_t sport, uint32_t seq, uint8_t flags, const uint8_t *pl,
                  size_t n)
{
	memset(t, 0, 20);
	put16(t, sport);
	put16(t + 2, 53);
	put32(t + 4, seq);
	t[12] = 0x50;
	t[13] = flags;
	if (n > 0) {
		memcpy(t + 20, pl, n);
	}
	return 20 + n;
}

static void v4_fragments(void **state)
{
	(void)state;
	ssr_decoder_t d;
	ssr_decoder_init(&d);
	uint8_t m[3500], u[3600], f[4000];
	size_t n = dns_response(m, 3400, 0x4242), ul = udp(u, m, n);
	/* three pieces: 0-1479, 1480-2959, the rest; last first, the middle twice */
	size_t p = ipv4(f, 17, 7, 2960 / 8, u + 2960, ul - 2960);
	seen = 0;
	ssr_decode(&d, SSR_LINK_RAW, 10, f, p, p, on_msg, NULL);
	p = ipv4(f, 17, 7, 0x2000 | 1480 / 8, u + 1480, 1480);
	ssr_decode(&d, SSR_LINK_RAW, 10, f, p, p, on_msg, NULL);
	ssr_decode(&d, SSR_LINK_RAW, 10, f, p, p, on_msg, NULL);
	assert_int_equal(seen, 0);
	p = ipv4(f, 17, 7, 0x2000, u, 1480);
	ssr_decode(&d, SSR_LINK_RAW, 11, f, p, p, on_msg, NULL);
	assert_int_equal(seen, 1);
	assert_int_equal(got_len, n);
	assert_memory_equal(got, m, n);
	assert_int_equal(last.ts_sec, 11);
	assert_int_equal(last.sport, 53);
	assert_true(last_msg.qr);
	assert_int_equal(d.fragments, 4);
	assert_int_equal(d.datagrams, 1);
	/* the same id again but the middle piece with other bytes: an overlap, dropped */
	p = ipv4(f, 17, 8, 0x2000, u, 1480);
	ssr_decode(&d, SSR_LINK_RAW, 12, f, p, p, on_msg, NULL);
	u[1470] ^= 1;
	p = ipv4(f, 17, 8, 0x2000 | (1480 - 16) / 8, u + 1480 - 16, 1480);
	ssr_decode(&d, SSR_LINK_RAW, 12, f, p, p, on_msg, NULL);
	u[1470] ^= 1;
	assert_int_equal(d.malformed[SSR_MAL_FRAG_OVERLAP], 1);
	p = ipv4(f, 17, 8, 2960 / 8, u + 2960, ul - 2960);
	ssr_decode(&d, SSR_LINK_RAW, 12, f, p, p, on_msg, NULL);
	assert_int_equal(seen, 1);
	/* a middle piece not a multiple of 8 bytes */
	p = ipv4(f, 17, 9, 0x2000, u, 1479);
	ssr_decode(&d, SSR_LINK_RAW, 12, f, p, p, on_msg, NULL);
	assert_int_equal(d.malformed[SSR_MAL_FRAGMENT], 1);
	/* a piece beyond 65535 bytes */
	p = ipv4(f, 17, 9, 0x1fff, u, 100);
	ssr_decode(&d, SSR_LINK_RAW, 12, f, p, p, on_msg, NULL);
	assert_int_equal(d.malformed[SSR_MAL_FRAGMENT], 2);
	/* id 8's last piece is held; 31 s later it is given up */
	assert_int_equal(d.malformed[SSR_MAL_FRAG_INCOMPLETE], 0);
	p = ipv4(f, 17, 10, 0, u, ul);
	ssr_decode(&d, SSR_LINK_RAW, 44, f, p, p, on_msg, NULL);
	assert_int_equal(d.malformed[SSR_MAL_FRAG_INCOMPLETE], 1);
	assert_int_equal(seen, 2); /* the unfragmented one */
	ssr_decoder_finish(&d, on_msg, NULL);
	assert_int_equal(d.malformed[SSR_MAL_FRAG_INCOMPLETE], 1);
	assert_null(d.reasm);
}

static void v6_fragments(void **state)
{
	(void)state;
	ssr_decoder_t d;
	ssr_decoder_init(&d);
	uint8_t m[2000], u[2100], f[1400];
	size_t n = dns_response(m, 1800, 7), ul = udp(u, m, n);
	seen = 0;
	/* IPv6 minimum MTU: 1232-byte pieces behind a fragment header */
	for (size_t off = 0; off < ul; off += 1232) {
		size_t len = ul - off < 1232 ? ul - off : 1232;
		memset(f, 0, 48);
		f[0] = 0x60;
		put16(f + 4, (unsigned)(8 + len));
		f[6] = 44;
		f[8] = 0x20;
		f[24] = 0x20;
		f[39] = 1;
		f[40] = 17;
		put16(f + 42, (unsigned)(off | (off + len < ul)));
		put32(f + 44, 0xdeadbeef);
		memcpy(f + 48, u + off, len);
		ssr_decode(&d, SSR_LINK_IPV6, 5, f, 48 + len, 48 + len, on_msg, NULL);
	}
	assert_int_equal(seen, 1);
	assert_int_equal(last.af, 6);
	assert_int_equal(last.proto, 17);
	assert_int_equal(got_len, n);
	assert_memory_equal(got, m, n);
	assert_int_equal(d.datagrams, 1);
	ssr_decoder_finish(&d, on_msg, NULL);
}

static void decode_tcp(ssr_decoder_t *d, int64_t ts, uint16_t sport, uint32_t seq, uint8_t flags,
                       const uint8_t *pl, size_t n)
{
	static uint8_t t[70000], f[70100];
	size_t tl = tcp(t, sport, seq, flags, pl, n);
	size_t p = ipv4(f, 6, 1, 0, t, tl);
	ssr_decode(d, SSR_LINK_RAW, ts, f, p, p, on_msg, NULL);
}

static void tcp_streams(void **state)
{
	(void)state;
	ssr_decoder_t d;
	ssr_decoder_init(&d);
	uint8_t s[8000];
	size_t n1 = dns_response(s + 2, 1000, 1);
	put16(s, (unsigned)n1);
	size_t n2 = dns_response(s + 2 + n1 + 2, 100, 2);
	put16(s + 2 + n1, (unsigned)n2);
	size_t n3 = dns_response(s + 4 + n1 + n2 + 2, 300, 3);
	put16(s + 4 + n1 + n2, (unsigned)n3);
	size_t total = 6 + n1 + n2 + n3;
	seen = 0;
	uint32_t isn = 0xfffffff0; /* the sequence numbers wrap */
	decode_tcp(&d, 1, 5555, isn, 0x02, NULL, 0);
	/* one byte (half the length), 500 bytes, the rest of message 1 with message 2 and the
	 * first 10 bytes of 3, then the rest of 3 */
	uint32_t b = isn + 1;
	decode_tcp(&d, 1, 5555, b, 0x18, s, 1);
	decode_tcp(&d, 1, 5555, b + 1, 0x18, s + 1, 500);
	assert_int_equal(seen, 0);
	size_t cut = 4 + n1 + n2 + 10;
	decode_tcp(&d, 1, 5555, b + 501, 0x18, s + 501, cut - 501);
	assert_int_equal(seen, 2);
	assert_int_equal(got_len, n2);
	decode_tcp(&d, 1, 5555, b + 501, 0x18, s + 501, cut - 501); /* a retransmission */
	assert_int_equal(seen, 2);
	assert_int_equal(d.tcp_retransmits, 1);
	decode_tcp(&d, 2, 5555, b + (uint32_t)cut, 0x19, s + cut, total - cut); /* with FIN */
	assert_int_equal(seen, 3);
	assert_int_equal(got_len, n3);
	assert_memory_equal(got, s + 6 + n1 + n2, n3);
	assert_int_equal(last.ts_sec, 2);
	assert_int_equal(d.tcp_multi, 2);

	/* out of order, overlapping a retransmission, no SYN (joined mid-connection) */
	seen = 0;
	decode_tcp(&d, 3, 5556, 1000, 0x18, s, 300);
	decode_tcp(&d, 3, 5556, 1000 + 600, 0x18, s + 600, total - 600);
	decode_tcp(&d, 3, 5556, 1000 + 250, 0x18, s + 250, 400);
	assert_int_equal(seen, 3);
	/* a segment lost for good: what follows comes out at the end, the gap counted */
	seen = 0;
	decode_tcp(&d, 4, 5557, 5000, 0x10, s, 300);
	decode_tcp(&d, 4, 5557, 5000 + (uint32_t)(2 + n1), 0x10, s + 2 + n1, total - 2 - n1);
	assert_int_equal(seen, 0);
	ssr_decoder_finish(&d, on_msg, NULL);
	assert_int_equal(seen, 2);
	assert_int_equal(d.malformed[SSR_MAL_TCP_GAP], 1);
	assert_int_equal(d.malformed[SSR_MAL_TCP_PARTIAL], 1);

	/* RST drops what was begun; a SYN on the same ports starts over */
	ssr_decoder_init(&d);
	seen = 0;
	decode_tcp(&d, 1, 5558, 100, 0x18, s, 300);
	decode_tcp(&d, 1, 5558, 400, 0x04, NULL, 0);
	decode_tcp(&d, 1, 5558, 7000, 0x02, NULL, 0);
	decode_tcp(&d, 1, 5558, 7001, 0x18, s, total);
	assert_int_equal(seen, 3);
	assert_int_equal(d.malformed[SSR_MAL_TCP_PARTIAL], 1);
	/* a new connection on the same ports without its SYN (sequence numbers far off, even
	 * behind): a new stream, not a retransmission; the message begun before is lost */
	seen = 0;
	decode_tcp(&d, 1, 5561, 100000, 0x18, s, 300);
	decode_tcp(&d, 1, 5561, 100000 - (1u << 30), 0x18, s, total);
	assert_int_equal(seen, 3);
	assert_int_equal(d.malformed[SSR_MAL_TCP_PARTIAL], 2);
	d.malformed[SSR_MAL_TCP_PARTIAL] = 1;
	/* idle streams are closed after the timeout */
	decode_tcp(&d, 1, 5559, 9000, 0x18, s, 300);
	decode_tcp(&d, 40, 5560, 1, 0x10, NULL, 0);
	assert_int_equal(d.malformed[SSR_MAL_TCP_PARTIAL], 2);
	ssr_decoder_finish(&d, on_msg, NULL);
}

/* One connection whose client sends every message's 2-byte length in a segment of its own (as
 * some resolvers do), with holes in the capture: the first hole ends just before a message's
 * body (whose prefix was lost), the second in the middle of a body.  The stream must find the
 * framing again and count every message whose bytes were all captured; it counted 3 of ~39
 * messages in a public capture of this shape. */
static void tcp_resync_after_gap(void **state)
{
	(void)state;
	ssr_decoder_t d;
	ssr_decoder_init(&d);
	enum { N = 30 };
	uint8_t body[N][200];
	size_t len[N];
	for (int i = 0; i < N; i++) {
		len[i] = dns_response(body[i], 40 + (size_t)i * 3, (uint16_t)(100 + i));
	}
	seen = 0;
	uint32_t seq = 777;
	decode_tcp(&d, 1, 6001, seq++, 0x02, NULL, 0);
	for (int i = 0; i < N; i++) {
		uint8_t pre[2];
		put16(pre, (unsigned)len[i]);
		/* lost: queries 10-15 whole and the prefix of 16; the prefix of 22 and the first 5
		 * bytes of its body */
		bool lose_pre = (i >= 10 && i <= 16) || i == 22;
		bool lose_body = i >= 10 && i <= 15;
		if (!lose_pre) {
			decode_tcp(&d, 1, 6001, seq, 0x18, pre, 2);
		}
		seq += 2;
		if (i == 22) {
			decode_tcp(&d, 1, 6001, seq + 5, 0x18, body[i] + 5, len[i] - 5);
		} else if (!lose_body) {
			decode_tcp(&d, 1, 6001, seq, 0x18, body[i], len[i]);
		}
		seq += (uint32_t)len[i];
	}
	assert_int_equal(seen, 10);                  /* 0-9; the rest waits for the holes */
	decode_tcp(&d, 2, 6001, seq, 0x11, NULL, 0); /* FIN: the holes are given up */
	/* 0-9, 16 (its whole body, the prefix lost), 17-21, 23-29 */
	assert_int_equal(seen, 10 + 1 + 5 + 7);
	assert_int_equal(got_len, len[N - 1]);
	assert_memory_equal(got, body[N - 1], len[N - 1]);
	assert_int_equal(d.malformed[SSR_MAL_TCP_GAP], 2);
	assert_int_equal(d.malformed[SSR_MAL_TCP_RESYNC], 1); /* the tail of 22 */
	assert_int_equal(d.malformed[SSR_MAL_TCP_PARTIAL], 0);

	ssr_decoder_finish(&d, on_msg, NULL);

	/* after a gap: a framed segment (length and message) is found again, and a 2-byte tail
	 * that looks like a length but is not one is skipped when the next segment does not fit */
	seen = 0;
	ssr_decoder_init(&d);
	uint8_t s[400];
	put16(s, (unsigned)len[0]);
	memcpy(s + 2, body[0], len[0]);
	decode_tcp(&d, 1, 6002, 10, 0x18, s, 2 + len[0]);
	/* hole of 50 bytes; then 2 bytes (0x00 0x40, 64 >= 12), then a framed message */
	uint8_t junk[2] = {0, 64};
	decode_tcp(&d, 1, 6002, 10 + 2 + (uint32_t)len[0] + 50, 0x18, junk, 2);
	decode_tcp(&d, 1, 6002, 10 + 4 + (uint32_t)len[0] + 50, 0x18, s, 2 + len[0]);
	ssr_decoder_finish(&d, on_msg, NULL);
	assert_int_equal(seen, 2);
	assert_int_equal(d.malformed[SSR_MAL_TCP_GAP], 1);
	assert_int_equal(d.malformed[SSR_MAL_TCP_RESYNC], 1);
}

static void memory_cap(void **state)
{
	(void)state;
	ssr_decoder_t d;
	ssr_decoder_init(&d);
	d.reasm_max_bytes = 20000; /* a few datagrams' worth */
	uint8_t m[2000], u[2100], f[1600];
	size_t n = dns_response(m, 1800, 7), ul = udp(u, m, n);
	(void)n;
	for (uint16_t id = 0; id < 100; id++) {
		size_t p = ipv4(f, 17, id, 0x2000, u, 1480);
		ssr_decode(&d, SSR_LINK_RAW, 1, f, p, p, on_msg, NULL);
	}
	/* the oldest were given up to make room; never more held than the cap */
	assert_true(d.malformed[SSR_MAL_FRAG_INCOMPLETE] >= 80);
	seen = 0;
	size_t p = ipv4(f, 17, 99, 1480 / 8, u + 1480, ul - 1480);
	ssr_decode(&d, SSR_LINK_RAW, 1, f, p, p, on_msg, NULL);
	assert_int_equal(seen, 1); /* the newest survived */
	d.reasm_max_bytes = 10;    /* nothing fits */
	p = ipv4(f, 17, 200, 0x2000, u, 1480);
	ssr_decode(&d, SSR_LINK_RAW, 1, f, p, p, on_msg, NULL);
	assert_true(d.malformed[SSR_MAL_REASM_MEMORY] >= 1);
	ssr_decoder_release(&d);
	assert_null(d.reasm);

	/* a fragment's growth evicts a stream holding bytes after a gap: the stream's messages
	 * come out as it closes, and its last, unfinished one may not evict the fragment */
	ssr_decoder_init(&d);
	d.reasm_max_bytes = 3000;
	uint8_t st[2000];
	size_t n1 = dns_response(st + 2, 1000, 1), n2;
	put16(st, (unsigned)n1);
	n2 = dns_response(st + 4 + n1, 100, 2);
	put16(st + 2 + n1, (unsigned)n2);
	put16(st + 4 + n1 + n2, 500); /* a third message: only 20 of its 500 bytes */
	decode_tcp(&d, 1, 6001, 100, 0x18, st, 300);
	decode_tcp(&d, 1, 6001, 100 + (uint32_t)(2 + n1), 0x18, st + 2 + n1, 2 + n2 + 22);
	seen = 0;
	p = ipv4(f, 17, 300, 0x2000, u, 1480);
	ssr_decode(&d, SSR_LINK_RAW, 1, f, p, p, on_msg, NULL);
	assert_int_equal(seen, 1); /* message 2, out of the closed stream */
	assert_int_equal(d.malformed[SSR_MAL_TCP_GAP], 1);
	assert_int_equal(d.malformed[SSR_MAL_TCP_PARTIAL], 2); /* messages 1 and 3 */
	d.reasm_max_bytes = 1 << 20; /* room for the rest: the first piece must still be held */
	p = ipv4(f, 17, 300, 1480 / 8, u + 1480, ul - 1480);
	ssr_decode(&d, SSR_LINK_RAW, 1, f, p, p, on_msg, NULL);
	assert_int_equal(seen, 2); /* the fragment's datagram is whole */
	ssr_decoder_finish(&d, on_msg, NULL);
}

/* RFC 1071, written out independently of the decoder */
static uint16_t csum(const uint8_t *pseudo, size_t pn, const uint8_t *p, size_t n)
{
	uint32_t s = 0;
	for (size_t i = 0; i < pn; i += 2) {
		s += (uint32_t)pseudo[i] << 8 | pseudo[i + 1];
	}
	for (size_t i = 0; i < n; i++) {
		s += (i & 1) ? p[i] : (uint32_t)p[i] << 8;
	}
	while (s >> 16) {
		s = (s & 0xffff) + (s >> 16);
	}
	return (uint16_t)~s;
}

static void checksums(void **state)
{
	(void)state;
	ssr_decoder_t d;
	ssr_decoder_init(&d);
	d.verify_checksums = true;
	uint8_t m[200], u[300], f[400];
	size_t n = dns_response(m, 100, 1), ul = udp(u, m, n);
	size_t p = ipv4(f, 17, 1, 0, u, ul);
	put16(f + 10, csum(NULL, 0, f, 20));
	uint8_t ph[12] = {192, 0, 2, 7, 198, 41, 0, 4, 0, 17, 0, (uint8_t)ul};
	put16(f + 26, csum(ph, 12, f + 20, ul));
	seen = 0;
	ssr_decode(&d, SSR_LINK_RAW, 1, f, p, p, on_msg, NULL);
	assert_int_equal(seen, 1);
	f[60] ^= 0x10; /* the payload */
	ssr_decode(&d, SSR_LINK_RAW, 1, f, p, p, on_msg, NULL);
	f[60] ^= 0x10;
	f[8] = 63; /* the header */
	ssr_decode(&d, SSR_LINK_RAW, 1, f, p, p, on_msg, NULL);
	assert_int_equal(seen, 1);
	assert_int_equal(d.malformed[SSR_MAL_CHECKSUM], 2);
	d.verify_checksums = false; /* as tshark: not checked */
	ssr_decode(&d, SSR_LINK_RAW, 1, f, p, p, on_msg, NULL);
	assert_int_equal(seen, 2);
	ssr_decoder_release(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(v4_fragments), cmocka_unit_test(v6_fragments),
	    cmocka_unit_test(tcp_streams),  cmocka_unit_test(memory_cap),
	    cmocka_unit_test(checksums),    cmocka_unit_test(tcp_resync_after_gap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
