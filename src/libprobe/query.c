/* libprobe: queries as wire bytes (libknot builds them), the randomness of IDs, ports, cookies
 * and 0x20 case, and the names of types and classes. */
#include <errno.h>
#include <libknot/libknot.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "probe_priv.h"

static __thread struct {
	uint8_t b[4096];
	size_t used;
} pool = {.used = sizeof(pool.b)};

void probe_random(void *buf, size_t n)
{
	uint8_t *o = buf;
	while (n > 0) {
		if (pool.used == sizeof(pool.b)) {
			size_t got = 0;
			while (got < sizeof(pool.b)) {
				ssize_t r = getrandom(pool.b + got, sizeof(pool.b) - got, 0);
				if (r < 0 && errno != EINTR) {
					abort(); /* no randomness: no safe query IDs or ports */
				}
				got += r > 0 ? (size_t)r : 0;
			}
			pool.used = 0;
		}
		size_t k = sizeof(pool.b) - pool.used < n ? sizeof(pool.b) - pool.used : n;
		memcpy(o, pool.b + pool.used, k);
		pool.used += k;
		o += k;
		n -= k;
	}
}

uint16_t probe_random16(void)
{
	uint16_t v;
	probe_random(&v, sizeof v);
	return v;
}

uint64_t probe_mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

int64_t probe_utc_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

size_t probe_question_size(const uint8_t *msg, size_t len)
{
	if (len < KNOT_WIRE_HEADER_SIZE || knot_wire_get_qdcount(msg) == 0) {
		return 0;
	}
	size_t o = KNOT_WIRE_HEADER_SIZE;
	while (o < len && msg[o] != 0) {
		if ((msg[o] & 0xc0) != 0) {
			return 0; /* a compressed question name: not from a query we built */
		}
		o += 1u + msg[o];
	}
	o += 1 + 4; /* the root label, type, class */
	return o <= len ? o - KNOT_WIRE_HEADER_SIZE : 0;
}

void ssr_probe_query_init(ssr_probe_query_t *q)
{
	memset(q, 0, sizeof(*q));
	q->qname = ".";
	q->qtype = KNOT_RRTYPE_A;
	q->qclass = KNOT_CLASS_IN;
	q->edns = true;
	q->edns_bufsize = 1232;
}

/* Letters of a wire name in random case. */
static void randomize_case(uint8_t *name)
{
	uint8_t bits[32];
	size_t nb = 0;
	probe_random(bits, sizeof bits);
	for (uint8_t *p = name; *p != 0; p += 1u + *p) {
		for (unsigned i = 1; i <= *p; i++) {
			uint8_t c = p[i];
			if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
				bool up = (bits[(nb / 8) % sizeof bits] >> (nb % 8)) & 1;
				nb++;
				p[i] = up ? (uint8_t)(c & ~0x20) : (uint8_t)(c | 0x20);
			}
		}
	}
}

static int add_opt(knot_rrset_t *opt, uint16_t code, uint16_t len, const uint8_t *data,
                   ssr_diag_t *diag)
{
	int rc = knot_edns_add_option(opt, code, len, data, NULL);
	if (rc != KNOT_EOK) {
		return ssr_diag_set(diag, rc == KNOT_ENOMEM ? SSR_ENOMEM : SSR_EINVAL,
		                    "query: EDNS option %u: %s", code, knot_strerror(rc));
	}
	return SSR_EOK;
}

static int build_opt(const ssr_probe_query_t *q, size_t msg_size, knot_rrset_t *opt,
                     ssr_diag_t *diag)
{
	if (knot_edns_init(opt, q->edns_bufsize ? q->edns_bufsize : 1232, 0, q->edns_version,
	                   NULL) != KNOT_EOK) {
		return ssr_diag_set(diag, SSR_ENOMEM, "query: out of memory");
	}
	/* TTL: extended rcode (8), version (8), flags (16) */
	opt->ttl = (opt->ttl & 0xffff0000u) | q->edns_flags;
	if (q->edns_do) {
		knot_edns_set_do(opt);
	}
	int rc = SSR_EOK;
	if (q->nsid) {
		rc = add_opt(opt, KNOT_EDNS_OPTION_NSID, 0, NULL, diag);
	}
	if (rc == SSR_EOK && q->cookie) {
		uint8_t c[8];
		probe_random(c, sizeof c);
		rc = add_opt(opt, KNOT_EDNS_OPTION_COOKIE, sizeof c, c, diag);
	}
	for (unsigned i = 0; rc == SSR_EOK && i < q->nopts && i < SSR_PROBE_MAX_OPTS; i++) {
		rc = add_opt(opt, q->opts[i].code, q->opts[i].len, q->opts[i].data, diag);
	}
	if (rc == SSR_EOK && q->padding > 0) {
		/* the OPT record: root name 1, type 2, class 2, TTL 4, RDLENGTH 2, its options;
		 * then the padding option's own 4 bytes */
		size_t total = msg_size + 11 + (opt->rrs.rdata ? opt->rrs.rdata->len : 0) + 4;
		size_t pad = (q->padding - total % q->padding) % q->padding;
		static const uint8_t zeros[512];
		if (pad > sizeof zeros) {
			return ssr_diag_set(diag, SSR_EINVAL,
			                    "query: padding block over 512 bytes");
		}
		rc = add_opt(opt, KNOT_EDNS_OPTION_PADDING, (uint16_t)pad, zeros, diag);
	}
	return rc;
}

int ssr_probe_query_build(const ssr_probe_query_t *q, uint8_t *out, size_t cap, size_t *len,
                          ssr_diag_t *diag)
{
	knot_dname_storage_t name;
	if (q->qname == NULL || knot_dname_from_str(name, q->qname, sizeof name) == NULL) {
		return ssr_diag_set(diag, SSR_EINVAL, "query: bad name '%s'",
		                    q->qname ? q->qname : "");
	}
	if (q->opcode > 15) {
		return ssr_diag_set(diag, SSR_EINVAL, "query: opcode %u is not 0 to 15", q->opcode);
	}
	if (q->case_randomize) {
		randomize_case(name);
	}
	if (cap < KNOT_WIRE_HEADER_SIZE) {
		return ssr_diag_set(diag, SSR_ELIMIT, "query: no room for a header");
	}
	memset(out, 0, KNOT_WIRE_HEADER_SIZE); /* libknot keeps what a header there said */
	knot_pkt_t *pkt =
	    knot_pkt_new(out, (uint16_t)(cap > SSR_PROBE_MAX_MSG ? SSR_PROBE_MAX_MSG : cap), NULL);
	if (pkt == NULL) {
		return ssr_diag_set(diag, SSR_ENOMEM, "query: out of memory");
	}
	knot_wire_set_id(pkt->wire, q->id ? q->id : probe_random16());
	int rc = SSR_EOK;
	int k = knot_pkt_put_question(pkt, name, q->qclass, q->qtype);
	if (k != KNOT_EOK) {
		rc = ssr_diag_set(diag, k == KNOT_ESPACE ? SSR_ELIMIT : SSR_EINVAL,
		                  "query: question: %s", knot_strerror(k));
	}
	/* knot_pkt_put_question copies the name as given: 0x20 case survives */
	knot_wire_set_opcode(pkt->wire, q->opcode);
	if (q->rd) {
		knot_wire_set_rd(pkt->wire);
	}
	if (q->cd) {
		knot_wire_set_cd(pkt->wire);
	}
	if (q->ad) {
		knot_wire_set_ad(pkt->wire);
	}
	if (q->z) {
		knot_wire_set_z(pkt->wire);
	}
	if (q->aa) {
		knot_wire_set_aa(pkt->wire);
	}
	if (q->tc) {
		knot_wire_set_tc(pkt->wire);
	}
	if (q->ra) {
		knot_wire_set_ra(pkt->wire);
	}
	if (rc == SSR_EOK && q->edns) {
		knot_rrset_t opt;
		rc = build_opt(q, pkt->size, &opt, diag);
		if (rc == SSR_EOK && (k = knot_pkt_begin(pkt, KNOT_ADDITIONAL)) == KNOT_EOK) {
			k = knot_pkt_put(pkt, KNOT_COMPR_HINT_NONE, &opt, 0);
		}
		if (rc == SSR_EOK && k != KNOT_EOK) {
			rc = ssr_diag_set(diag, k == KNOT_ESPACE ? SSR_ELIMIT : SSR_EINVAL,
			                  "query: EDNS: %s", knot_strerror(k));
		}
		knot_rrset_clear(&opt, NULL);
	}
	*len = pkt->size;
	knot_pkt_free(pkt);
	return rc;
}

int ssr_probe_type_parse(const char *s, uint16_t *type)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);
	if (*s >= '0' && *s <= '9' && *end == '\0' && v <= 65535) {
		*type = (uint16_t)v;
		return SSR_EOK;
	}
	return knot_rrtype_from_string(s, type) == 0 ? SSR_EOK : SSR_EINVAL;
}

int ssr_probe_class_parse(const char *s, uint16_t *cls)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);
	if (*s >= '0' && *s <= '9' && *end == '\0' && v <= 65535) {
		*cls = (uint16_t)v;
		return SSR_EOK;
	}
	return knot_rrclass_from_string(s, cls) == 0 ? SSR_EOK : SSR_EINVAL;
}
