/* libprobe: a response's records as presentation text (libknot's dump), for the front ends. */
#include <libknot/libknot.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe_priv.h"

const char *ssr_probe_rcode_name(uint16_t rcode)
{
	/* the IANA registry's names, upper case as dig shows them (16: BADVERS in a message,
	 * BADSIG only in TSIG) */
	static const char *const n[] = {"NOERROR", "FORMERR",   "SERVFAIL", "NXDOMAIN", "NOTIMP",
	                                "REFUSED", "YXDOMAIN",  "YXRRSET",  "NXRRSET",  "NOTAUTH",
	                                "NOTZONE", "DSOTYPENI", NULL,       NULL,       NULL,
	                                NULL,      "BADVERS",   "BADKEY",   "BADTIME",  "BADMODE",
	                                "BADNAME", "BADALG",    "BADTRUNC", "BADCOOKIE"};
	return rcode < sizeof n / sizeof n[0] ? n[rcode] : NULL;
}

const char *ssr_probe_opcode_name(uint8_t opcode)
{
	const knot_lookup_t *l = knot_lookup_by_id(knot_opcode_names, opcode);
	return l ? l->name : NULL;
}

/* ---- which records libknot may show in presentation form --------------------------------
 * libknot parses a message without looking inside most RDATA, and its dumper trusts the lengths
 * it finds there (character strings, salts, hashes, type bitmaps): shown as presentation text
 * is only RDATA checked here to hold together; the rest is shown in the generic form (RFC 3597,
 * "\# length hex"), which reads nothing inside. */

static size_t name_len(const uint8_t *p, const uint8_t *end)
{
	int n = knot_dname_wire_check(p, end, NULL);
	return n > 0 ? (size_t)n : 0;
}

/* Character strings filling [p, end) exactly; at least min of them. */
static bool strings(const uint8_t *p, const uint8_t *end, unsigned min)
{
	unsigned n = 0;
	for (; p < end; n++) {
		p += 1u + *p;
	}
	return p == end && n >= min;
}

/* An NSEC/NSEC3 type bitmap filling [p, end) exactly (may be empty). */
static bool bitmap(const uint8_t *p, const uint8_t *end)
{
	while (p < end) {
		if (end - p < 2 || p[1] == 0 || p[1] > 32 || end - p - 2 < p[1]) {
			return false;
		}
		p += 2u + p[1];
	}
	return true;
}

static bool rdata_ok(uint16_t type, const uint8_t *p, size_t len)
{
	const uint8_t *end = p + len;
	size_t n;
	switch (type) {
	case KNOT_RRTYPE_A:
		return len == 4;
	case KNOT_RRTYPE_AAAA:
		return len == 16;
	case KNOT_RRTYPE_NS:
	case KNOT_RRTYPE_CNAME:
	case KNOT_RRTYPE_DNAME:
	case KNOT_RRTYPE_PTR:
		return name_len(p, end) == len;
	case KNOT_RRTYPE_MX:
		return len > 2 && name_len(p + 2, end) == len - 2;
	case KNOT_RRTYPE_SRV:
		return len > 6 && name_len(p + 6, end) == len - 6;
	case KNOT_RRTYPE_SOA: {
		size_t a = name_len(p, end), b = a > 0 ? name_len(p + a, end) : 0;
		return b > 0 && len == a + b + 20;
	}
	case KNOT_RRTYPE_TXT:
	case KNOT_RRTYPE_SPF:
		return strings(p, end, 1);
	case KNOT_RRTYPE_DS:
	case KNOT_RRTYPE_CDS:
	case KNOT_RRTYPE_DNSKEY:
	case KNOT_RRTYPE_CDNSKEY:
		return len >= 4;
	case KNOT_RRTYPE_RRSIG:
		return len > 18 && (n = name_len(p + 18, end)) > 0 && 18 + n <= len;
	case KNOT_RRTYPE_NSEC:
		return (n = name_len(p, end)) > 0 && bitmap(p + n, end);
	case KNOT_RRTYPE_NSEC3: {
		if (len < 5 || (size_t)5 + p[4] + 1 > len) {
			return false;
		}
		const uint8_t *h = p + 5 + p[4];
		return h[0] > 0 && (size_t)(end - h - 1) >= h[0] && bitmap(h + 1 + h[0], end);
	}
	case KNOT_RRTYPE_NSEC3PARAM:
		return len >= 5 && len == (size_t)5 + p[4];
	case KNOT_RRTYPE_CAA:
		return len >= 2 && p[1] > 0 && (size_t)2 + p[1] <= len;
	case KNOT_RRTYPE_TLSA:
		return len >= 3;
	case KNOT_RRTYPE_SSHFP:
		return len >= 2;
	case KNOT_RRTYPE_ZONEMD:
		return len >= 6;
	default:
		return false;
	}
}

static bool rrset_ok(const knot_rrset_t *rr)
{
	const knot_rdata_t *rd = rr->rrs.rdata;
	for (uint16_t i = 0; i < rr->rrs.count; i++) {
		if (!rdata_ok(rr->type, rd->data, rd->len)) {
			return false;
		}
		rd = knot_rdataset_next((knot_rdata_t *)rd);
	}
	return true;
}

/* Each line of text (several records of one set) to fn. */
static int lines(int section, char *text, ssr_probe_rr_fn fn, void *ctx)
{
	for (char *line = text; line != NULL && *line != '\0';) {
		char *nl = strchr(line, '\n');
		if (nl != NULL) {
			*nl = '\0';
		}
		int rc = fn(section, line, ctx);
		if (rc != SSR_EOK) {
			return rc;
		}
		line = nl ? nl + 1 : NULL;
	}
	return SSR_EOK;
}

int ssr_probe_msg_rrs(const uint8_t *msg, size_t len, ssr_probe_rr_fn fn, void *ctx,
                      ssr_diag_t *diag)
{
	knot_pkt_t *pkt;
	int rc = probe_pkt_open(msg, len, &pkt, diag);
	size_t cap = 4096;
	char *buf = rc == SSR_EOK ? malloc(cap) : NULL; /* the dump grows it as needed */
	if (rc == SSR_EOK && buf == NULL) {
		rc = ssr_diag_set(diag, SSR_ENOMEM, "response: out of memory");
	}
	if (rc == SSR_EOK && knot_wire_get_qdcount(pkt->wire) > 0) {
		char name[KNOT_DNAME_TXT_MAXLEN + 1], type[32], cls[32];
		knot_dname_to_str(name, knot_pkt_qname(pkt), sizeof name);
		knot_rrtype_to_string(knot_pkt_qtype(pkt), type, sizeof type);
		knot_rrclass_to_string(knot_pkt_qclass(pkt), cls, sizeof cls);
		char line[KNOT_DNAME_TXT_MAXLEN + 80];
		snprintf(line, sizeof line, "%s\t%s\t%s", name, cls, type);
		rc = fn(0, line, ctx);
	}
	for (int s = KNOT_ANSWER; rc == SSR_EOK && s <= KNOT_ADDITIONAL; s++) {
		const knot_pktsection_t *sec = knot_pkt_section(pkt, (knot_section_t)s);
		for (uint16_t i = 0; rc == SSR_EOK && i < sec->count; i++) {
			const knot_rrset_t *rr = knot_pkt_rr(sec, i);
			if (rr->type == KNOT_RRTYPE_OPT || rr->type == KNOT_RRTYPE_TSIG) {
				continue;
			}
			knot_dump_style_t style = KNOT_DUMP_STYLE_DEFAULT;
			style.generic = !rrset_ok(rr);
			int w = knot_rrset_txt_dump(rr, &buf, &cap, &style);
			if (w < 0) {
				rc = ssr_diag_set(diag, SSR_EPARSE,
				                  "response: a record cannot be shown: %s",
				                  knot_strerror(w));
				break;
			}
			rc = lines(s - KNOT_ANSWER + 1, buf, fn, ctx);
		}
	}
	free(buf);
	probe_pkt_close(pkt);
	return rc;
}
