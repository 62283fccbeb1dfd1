/* libtraffic: link layers -> IP -> UDP/TCP -> DNS messages, and the DNS message parser.  Every
 * read is bounds-checked against the captured length; fragments and TCP segments go through
 * reassembly (reasm.c), nothing else is allocated. */
#include <string.h>

#include "traffic_priv.h"

static inline uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* ---- DNS ----------------------------------------------------------------------------------- */

static const char *const dns_reasons[] = {"ok", "short", "bad-name", "loop", "truncated"};

const char *ssr_dns_status_name(ssr_dns_status_t s)
{
	return (unsigned)s < SSR_DNS_REASON_COUNT ? dns_reasons[s] : "?";
}

/* A name at *off: copied (lowercased, wire form) into out when out is non-NULL; *off moves past
 * it in the message (past the first pointer when compressed). */
static ssr_dns_status_t read_name(const uint8_t *m, size_t n, size_t *off, uint8_t *out,
                                  uint16_t *out_len)
{
	size_t p = *off, end = 0, len = 0;
	unsigned jumps = 0;
	bool jumped = false;
	for (;;) {
		if (p >= n) {
			return SSR_DNS_TRUNCATED;
		}
		uint8_t l = m[p];
		if ((l & 0xc0) == 0xc0) {
			if (p + 1 >= n) {
				return SSR_DNS_TRUNCATED;
			}
			size_t target = (size_t)((l & 0x3f) << 8 | m[p + 1]);
			if (!jumped) {
				end = p + 2;
				jumped = true;
			}
			if (++jumps > SSR_DNS_MAX_JUMPS || target >= p) {
				/* only backward pointers: a forward or self pointer can loop */
				return target >= n ? SSR_DNS_BAD_NAME : SSR_DNS_LOOP;
			}
			p = target;
			continue;
		}
		if ((l & 0xc0) != 0) {
			return SSR_DNS_BAD_NAME; /* extended label types */
		}
		if (len + 1 + l > 255) {
			return SSR_DNS_BAD_NAME;
		}
		if (p + 1 + l > n) {
			return SSR_DNS_TRUNCATED;
		}
		if (out) {
			out[len] = l;
			for (size_t i = 0; i < l; i++) {
				uint8_t c = m[p + 1 + i];
				out[len + 1 + i] = (c >= 'A' && c <= 'Z') ? (uint8_t)(c + 32) : c;
			}
		}
		len += 1 + l;
		if (l == 0) {
			p += 1;
			break;
		}
		p += 1 + l;
	}
	*off = jumped ? end : p;
	if (out_len) {
		*out_len = (uint16_t)len;
	}
	return SSR_DNS_OK;
}

static void edns_options(const uint8_t *m, size_t at, size_t rdlen, ssr_dns_msg_t *o)
{
	size_t p = at, end = at + rdlen;
	while (p + 4 <= end) {
		uint16_t code = be16(m + p), len = be16(m + p + 2);
		if (p + 4 + len > end) {
			return;
		}
		if (code == 8) {
			o->ecs = true;
			if (len >= 3) {
				o->ecs_family = be16(m + p + 4);
				o->ecs_source = m[p + 6];
			}
		} else if (code == 10) {
			o->cookie = true;
		} else if (code == 12) {
			o->padding = true;
		} else if (code == 14) {
			o->keytag = true;
			for (size_t i = 0; i + 1 < len && o->nkeytags < 8; i += 2) {
				o->keytags[o->nkeytags++] = be16(m + p + 4 + i);
			}
		} else if (code == 5) {
			for (size_t i = 0; i < len && o->ndau < 16; i++) {
				o->dau[o->ndau++] = m[p + 4 + i];
			}
		}
		p += 4 + (size_t)len;
	}
}

ssr_dns_status_t ssr_dns_parse(const uint8_t *m, size_t n, ssr_dns_msg_t *o)
{
	memset(o, 0, offsetof(ssr_dns_msg_t, qname));
	o->qname_len = 0;
	o->qtype = o->qclass = 0;
	o->edns = o->do_bit = o->ecs = o->cookie = o->padding = o->keytag = false;
	o->udp_size = 0;
	o->edns_version = 0;
	o->ecs_source = 0;
	o->ecs_family = 0;
	o->nkeytags = o->ndau = 0;
	if (n < 12) {
		return SSR_DNS_SHORT;
	}
	o->id = be16(m);
	o->qr = m[2] & 0x80;
	o->opcode = (m[2] >> 3) & 0xf;
	o->tc = m[2] & 0x02;
	o->rd = m[2] & 0x01;
	o->rcode = m[3] & 0xf;
	o->qdcount = be16(m + 4);
	o->ancount = be16(m + 6);
	o->nscount = be16(m + 8);
	o->arcount = be16(m + 10);
	size_t off = 12;
	ssr_dns_status_t s;
	for (unsigned i = 0; i < o->qdcount; i++) {
		s = read_name(m, n, &off, i == 0 ? o->qname : NULL, i == 0 ? &o->qname_len : NULL);
		if (s != SSR_DNS_OK) {
			return s;
		}
		if (off + 4 > n) {
			return SSR_DNS_TRUNCATED;
		}
		if (i == 0) {
			o->has_question = true;
			o->qtype = be16(m + off);
			o->qclass = be16(m + off + 2);
		}
		off += 4;
	}
	unsigned rrs = (unsigned)o->ancount + o->nscount + o->arcount;
	for (unsigned i = 0; i < rrs; i++) {
		s = read_name(m, n, &off, NULL, NULL);
		if (s != SSR_DNS_OK) {
			return s;
		}
		if (off + 10 > n) {
			return SSR_DNS_TRUNCATED;
		}
		uint16_t type = be16(m + off), rdlen = be16(m + off + 8);
		if (off + 10 + rdlen > n) {
			return SSR_DNS_TRUNCATED;
		}
		if (type == 41 && i >= (unsigned)o->ancount + o->nscount && !o->edns) {
			o->edns = true;
			o->udp_size = be16(m + off + 2);
			o->rcode |= (uint16_t)(m[off + 4] << 4);
			o->edns_version = m[off + 5];
			o->do_bit = m[off + 6] & 0x80;
			edns_options(m, off + 10, rdlen, o);
		}
		off += 10 + (size_t)rdlen;
	}
	return SSR_DNS_OK;
}

/* ---- packets ------------------------------------------------------------------------------- */

static const char *const mal_names[SSR_MAL_COUNT] = {"link",
                                                     "ip",
                                                     "checksum",
                                                     "fragment",
                                                     "fragment-overlap",
                                                     "fragment-incomplete",
                                                     "transport",
                                                     "snaplen",
                                                     "tcp-gap",
                                                     "tcp-partial",
                                                     "reassembly-memory",
                                                     "dns-short",
                                                     "dns-bad-name",
                                                     "dns-pointer-loop",
                                                     "dns-truncated",
                                                     "tcp-resync"};

const char *ssr_mal_name(ssr_mal_t m)
{
	return (unsigned)m < SSR_MAL_COUNT ? mal_names[m] : "?";
}

void ssr_decoder_init(ssr_decoder_t *d)
{
	memset(d, 0, sizeof *d);
	d->ports[0] = 53;
	d->reasm_max_bytes = (size_t)128 << 20;
	d->reasm_timeout = 30;
}

static inline uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The Internet checksum's running sum (RFC 1071). */
static uint32_t csum_add(uint32_t s, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i + 1 < n; i += 2) {
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	}
	if (n & 1) {
		s += (uint32_t)p[n - 1] << 8;
	}
	return s;
}

static bool csum_ok(uint32_t s)
{
	while (s >> 16) {
		s = (s & 0xffff) + (s >> 16);
	}
	return s == 0xffff;
}

/* A UDP or TCP checksum over the pseudo-header and the whole segment; UDP over IPv4 may have
 * none (zero). */
static bool l4_csum_ok(const ssr_dns_pkt_t *pk, const uint8_t *p, size_t len)
{
	if (pk->proto == 17 && pk->af == 4 && be16(p + 6) == 0) {
		return true;
	}
	size_t al = pk->af == 4 ? 4 : 16;
	uint32_t s = csum_add(0, pk->src, al);
	s = csum_add(s, pk->dst, al);
	s += pk->proto + (uint32_t)(len & 0xffff) + (uint32_t)(len >> 16);
	return csum_ok(csum_add(s, p, len));
}

static bool dns_port(const ssr_decoder_t *d, uint16_t port)
{
	for (size_t i = 0; i < sizeof d->ports / sizeof d->ports[0] && d->ports[i]; i++) {
		if (d->ports[i] == port) {
			return true;
		}
	}
	return false;
}

/* Encrypted DNS is not decoded, only counted by its ports (a privacy signal). */
static void count_ports(ssr_decoder_t *d, const ssr_dns_pkt_t *pk)
{
	d->port853 += pk->sport == 853 || pk->dport == 853;
	d->port443 += pk->sport == 443 || pk->dport == 443;
}

static void decode_message(ssr_decoder_t *d, ssr_dns_pkt_t *pk, const uint8_t *m, size_t n,
                           const traffic_sink_t *out)
{
	ssr_dns_msg_t msg;
	ssr_dns_status_t s = ssr_dns_parse(m, n, &msg);
	if (s != SSR_DNS_OK) {
		d->malformed[SSR_MAL_DNS_SHORT + (s - SSR_DNS_SHORT)]++;
		return;
	}
	d->dns_messages++;
	pk->dns = m;
	pk->dns_len = n;
	pk->msg = &msg;
	out->fn(pk, out->ctx);
}

static void transport(ssr_decoder_t *d, ssr_dns_pkt_t *pk, const uint8_t *p, size_t avail,
                      size_t ip_payload, bool cut, const traffic_sink_t *out)
{
	if (pk->proto == 17) {
		if (avail < 8) {
			d->malformed[cut ? SSR_MAL_SNAPLEN : SSR_MAL_TRANSPORT]++;
			return;
		}
		pk->sport = be16(p);
		pk->dport = be16(p + 2);
		count_ports(d, pk);
		size_t ulen = be16(p + 4);
		if (!dns_port(d, pk->sport) && !dns_port(d, pk->dport)) {
			d->not_dns++;
			return;
		}
		if (ulen < 8 || ulen > ip_payload) {
			d->malformed[SSR_MAL_TRANSPORT]++;
			return;
		}
		if (ulen > avail) {
			d->malformed[SSR_MAL_SNAPLEN]++;
			return;
		}
		if (d->verify_checksums && !l4_csum_ok(pk, p, ulen)) {
			d->malformed[SSR_MAL_CHECKSUM]++;
			return;
		}
		decode_message(d, pk, p + 8, ulen - 8, out);
		return;
	}
	/* TCP: the stream's bytes through reassembly (2-byte length framing) */
	if (avail < 20) {
		d->malformed[cut ? SSR_MAL_SNAPLEN : SSR_MAL_TRANSPORT]++;
		return;
	}
	pk->sport = be16(p);
	pk->dport = be16(p + 2);
	count_ports(d, pk);
	if (!dns_port(d, pk->sport) && !dns_port(d, pk->dport)) {
		d->not_dns++;
		return;
	}
	size_t hl = (size_t)(p[12] >> 4) * 4;
	if (hl < 20 || hl > ip_payload || hl > avail) {
		d->malformed[hl > avail && hl <= ip_payload ? SSR_MAL_SNAPLEN
		                                            : SSR_MAL_TRANSPORT]++;
		return;
	}
	if (ip_payload > avail) {
		d->malformed[SSR_MAL_SNAPLEN]++;
		return;
	}
	if (d->verify_checksums && !l4_csum_ok(pk, p, ip_payload)) {
		d->malformed[SSR_MAL_CHECKSUM]++;
		return;
	}
	traffic_tcp(d, pk, be32(p + 4), p[13], p + hl, ip_payload - hl, out);
}

/* IPv6 extension headers from nh at p[*off]: hop-by-hop, routing, destination options; the
 * upper-layer protocol (or 44, a fragment header) left in *nh. */
static bool v6_ext(const uint8_t *p, size_t len, size_t *off, uint8_t *nh)
{
	for (int i = 0; i < 8 && (*nh == 0 || *nh == 43 || *nh == 60); i++) {
		if (*off + 8 > len) {
			return false;
		}
		size_t el = ((size_t)p[*off + 1] + 1) * 8;
		*nh = p[*off];
		*off += el;
	}
	return *off <= len;
}

static void decode_datagram(ssr_decoder_t *d, ssr_dns_pkt_t *pk, uint8_t nh, const uint8_t *p,
                            size_t len, const traffic_sink_t *out)
{
	size_t off = 0;
	if (pk->af == 6 && !v6_ext(p, len, &off, &nh)) {
		d->malformed[SSR_MAL_IP]++;
		return;
	}
	pk->proto = nh;
	if (nh != 17 && nh != 6) {
		d->not_dns++;
		return;
	}
	transport(d, pk, p + off, len - off, len - off, false, out);
}

/* Is the flow of this address pair this shard's (the pair taken in order, so both directions
 * agree)?  FNV-1a over the smaller address, then the larger. */
static bool pair_mine(const ssr_decoder_t *d, const uint8_t *a, const uint8_t *b, size_t n)
{
	if (d->shards <= 1) {
		return true;
	}
	if (memcmp(a, b, n) > 0) {
		const uint8_t *t = a;
		a = b;
		b = t;
	}
	uint64_t h = 0xcbf29ce484222325ULL;
	for (size_t i = 0; i < n; i++) {
		h = (h ^ a[i]) * 0x100000001b3ULL;
	}
	for (size_t i = 0; i < n; i++) {
		h = (h ^ b[i]) * 0x100000001b3ULL;
	}
	h ^= h >> 29;
	return (uint32_t)(h % d->shards) == d->shard;
}

/* A packet without addresses is shard 0's. */
static inline bool first_shard(const ssr_decoder_t *d)
{
	return d->shards <= 1 || d->shard == 0;
}

/* Count a packet that is this shard's; false when it is another's (nothing counted). */
#define OWN_OR_RETURN(cond)                                                                        \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			return;                                                                    \
		}                                                                                  \
		d->packets++;                                                                      \
	} while (0)

static void ip(ssr_decoder_t *d, int64_t ts, const uint8_t *p, size_t caplen, size_t origlen,
               const traffic_sink_t *out)
{
	ssr_dns_pkt_t pk;
	memset(&pk, 0, sizeof pk);
	pk.ts_sec = ts;
	if (caplen < 1) {
		OWN_OR_RETURN(first_shard(d));
		d->malformed[SSR_MAL_IP]++;
		return;
	}
	bool cut = caplen < origlen;
	unsigned v = p[0] >> 4;
	if (v == 4) {
		if (caplen < 20) {
			OWN_OR_RETURN(first_shard(d));
			d->malformed[cut ? SSR_MAL_SNAPLEN : SSR_MAL_IP]++;
			return;
		}
		OWN_OR_RETURN(pair_mine(d, p + 12, p + 16, 4));
		size_t ihl = (size_t)(p[0] & 0xf) * 4, total = be16(p + 2);
		if (ihl < 20 || total < ihl || ihl > caplen) {
			d->malformed[SSR_MAL_IP]++;
			return;
		}
		if (d->verify_checksums && !csum_ok(csum_add(0, p, ihl))) {
			d->malformed[SSR_MAL_CHECKSUM]++;
			return;
		}
		uint16_t frag = be16(p + 6);
		pk.af = 4;
		pk.proto = p[9];
		memcpy(pk.src, p + 12, 4);
		memcpy(pk.dst, p + 16, 4);
		if (pk.proto != 17 && pk.proto != 6) {
			d->not_dns++;
			return;
		}
		if ((frag & 0x2000) || (frag & 0x1fff)) {
			if (total > caplen) {
				d->malformed[SSR_MAL_SNAPLEN]++;
				return;
			}
			traffic_frag(d, &pk, be16(p + 4), pk.proto, (size_t)(frag & 0x1fff) * 8,
			             frag & 0x2000, p + ihl, total - ihl, out);
			return;
		}
		size_t avail = (total < caplen ? total : caplen) - ihl;
		transport(d, &pk, p + ihl, avail, total - ihl, cut && total > caplen, out);
		return;
	}
	if (v == 6) {
		if (caplen < 40) {
			OWN_OR_RETURN(first_shard(d));
			d->malformed[cut ? SSR_MAL_SNAPLEN : SSR_MAL_IP]++;
			return;
		}
		OWN_OR_RETURN(pair_mine(d, p + 8, p + 24, 16));
		size_t plen = be16(p + 4), off = 40;
		uint8_t nh = p[6];
		pk.af = 6;
		memcpy(pk.src, p + 8, 16);
		memcpy(pk.dst, p + 24, 16);
		bool whole = v6_ext(p, caplen, &off, &nh);
		if (!whole || off > 40 + plen) {
			d->malformed[!whole && cut ? SSR_MAL_SNAPLEN : SSR_MAL_IP]++;
			return;
		}
		if (nh == 44) { /* a fragment header */
			if (40 + plen > caplen) {
				d->malformed[cut ? SSR_MAL_SNAPLEN : SSR_MAL_IP]++;
				return;
			}
			if (off + 8 > 40 + plen) {
				d->malformed[SSR_MAL_FRAGMENT]++;
				return;
			}
			uint16_t fo = be16(p + off + 2);
			if ((fo & 0xfff8) == 0 && !(fo & 1)) { /* an atomic fragment (RFC 6946) */
				decode_datagram(d, &pk, p[off], p + off + 8, 40 + plen - off - 8,
				                out);
				return;
			}
			traffic_frag(d, &pk, be32(p + off + 4), p[off], fo & 0xfff8, fo & 1,
			             p + off + 8, 40 + plen - off - 8, out);
			return;
		}
		pk.proto = nh;
		if (nh != 17 && nh != 6) {
			d->not_dns++;
			return;
		}
		size_t end = 40 + plen < caplen ? 40 + plen : caplen;
		transport(d, &pk, p + off, end - off, 40 + plen - off, cut && 40 + plen > caplen,
		          out);
		return;
	}
	OWN_OR_RETURN(first_shard(d));
	d->malformed[SSR_MAL_IP]++;
}

/* A packet ssr_decode itself ends (no IP in it): counted by shard 0 only. */
static inline void count_link(ssr_decoder_t *d, bool first, bool malformed)
{
	if (first) {
		d->packets++;
		if (malformed) {
			d->malformed[SSR_MAL_LINK]++;
		} else {
			d->not_dns++;
		}
	}
}

void ssr_decode(ssr_decoder_t *d, int linktype, int64_t ts_sec, const uint8_t *p, size_t caplen,
                size_t orig_len, ssr_dns_pkt_fn fn, void *ctx)
{
	const traffic_sink_t sink = {.message = decode_message,
	                             .datagram = decode_datagram,
	                             .fn = fn,
	                             .ctx = ctx},
	                     *out = &sink;
	/* every packet moves the reassembly clock, whichever shard it is */
	if (d->reasm) {
		traffic_reasm_expire(d, ts_sec, out);
	}
	/* packets without addresses (link errors, not IP) are shard 0's; IP counts its own */
	bool first = first_shard(d);
	size_t off = 0;
	uint16_t et = 0;
	switch (linktype) {
	case SSR_LINK_ETHERNET:
		if (caplen < 14) {
			count_link(d, first, true);
			return;
		}
		et = be16(p + 12);
		off = 14;
		while ((et == 0x8100 || et == 0x88a8) && off + 4 <= caplen) { /* VLAN tags */
			et = be16(p + off + 2);
			off += 4;
		}
		break;
	case SSR_LINK_LINUX_SLL:
		if (caplen < 16) {
			count_link(d, first, true);
			return;
		}
		et = be16(p + 14);
		off = 16;
		break;
	case SSR_LINK_SLL2:
		if (caplen < 20) {
			count_link(d, first, true);
			return;
		}
		et = be16(p);
		off = 20;
		break;
	case SSR_LINK_NULL:
	case SSR_LINK_LOOP: {
		if (caplen < 4) {
			count_link(d, first, true);
			return;
		}
		uint32_t fam;
		memcpy(&fam, p, 4);
		if (linktype == SSR_LINK_LOOP || fam > 0xffff) {
			fam = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
			      p[3];
		}
		et = fam == 2                                             ? 0x0800
		     : (fam == 24 || fam == 28 || fam == 30 || fam == 10) ? 0x86dd
		                                                          : 0;
		off = 4;
		break;
	}
	case SSR_LINK_RAW:
	case SSR_LINK_IPV4:
	case SSR_LINK_IPV6:
		et = caplen > 0 && (p[0] >> 4) == 6 ? 0x86dd : 0x0800;
		break;
	default:
		count_link(d, first, true);
		return;
	}
	if (et != 0x0800 && et != 0x86dd) {
		if (off > caplen || et == 0) {
			count_link(d, first, true);
		} else {
			count_link(d, first, false);
		}
		return;
	}
	if (off > caplen) {
		count_link(d, first, true);
		return;
	}
	ip(d, ts_sec, p + off, caplen - off, orig_len > off ? orig_len - off : 0, out);
}

void ssr_decoder_finish(ssr_decoder_t *d, ssr_dns_pkt_fn fn, void *ctx)
{
	const traffic_sink_t sink = {
	    .message = decode_message, .datagram = decode_datagram, .fn = fn, .ctx = ctx};
	traffic_reasm_close_all(d, &sink);
	ssr_decoder_release(d);
}
