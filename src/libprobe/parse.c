/* libprobe: a response parsed by libknot and matched strictly against its query. */
#include <libknot/libknot.h>
#include <stdlib.h>
#include <string.h>

#include "probe_priv.h"

/* The EDNS options of the OPT record, by walking its RDATA (libknot checked their bounds). */
static void opt_list(const knot_rrset_t *opt, ssr_probe_answer_t *a)
{
	const knot_rdata_t *rd = opt->rrs.rdata;
	if (opt->rrs.count == 0 || rd == NULL) {
		return;
	}
	const uint8_t *p = rd->data, *end = rd->data + rd->len;
	while (end - p >= 4) {
		uint16_t code = (uint16_t)(p[0] << 8 | p[1]), len = (uint16_t)(p[2] << 8 | p[3]);
		if ((size_t)(end - p - 4) < len) {
			break;
		}
		if (a->nopts < sizeof(a->opt_codes) / sizeof(a->opt_codes[0])) {
			a->opt_codes[a->nopts++] = code;
		}
		if (code == KNOT_EDNS_OPTION_NSID && !a->has_nsid) {
			a->has_nsid = true;
			a->nsid_len = (uint8_t)(len > sizeof(a->nsid) ? sizeof(a->nsid) : len);
			memcpy(a->nsid, p + 4, a->nsid_len);
		}
		a->has_cookie |= code == KNOT_EDNS_OPTION_COOKIE;
		p += 4 + len;
	}
}

int probe_pkt_open(const uint8_t *msg, size_t len, knot_pkt_t **pkt, ssr_diag_t *diag)
{
	*pkt = NULL;
	if (len < KNOT_WIRE_HEADER_SIZE || len > SSR_PROBE_MAX_MSG) {
		return ssr_diag_set(diag, SSR_EPARSE, "response: %zu bytes, not a DNS message",
		                    len);
	}
	uint8_t *copy = malloc(len);
	if (copy == NULL) {
		return ssr_diag_set(diag, SSR_ENOMEM, "response: out of memory");
	}
	memcpy(copy, msg, len);
	knot_pkt_t *p = knot_pkt_new(copy, (uint16_t)len, NULL);
	int k = p ? knot_pkt_parse(p, 0) : KNOT_ENOMEM;
	if (k != KNOT_EOK) {
		knot_pkt_free(p);
		free(copy);
		return ssr_diag_set(diag, k == KNOT_ENOMEM ? SSR_ENOMEM : SSR_EPARSE,
		                    "response: not a DNS message: %s", knot_strerror(k));
	}
	*pkt = p;
	return SSR_EOK;
}

void probe_pkt_close(knot_pkt_t *pkt)
{
	if (pkt != NULL) {
		uint8_t *copy = pkt->wire;
		knot_pkt_free(pkt);
		free(copy);
	}
}

int ssr_probe_parse(const uint8_t *msg, size_t len, const uint8_t *query, size_t qlen,
                    ssr_probe_answer_t *a, ssr_diag_t *diag)
{
	memset(a, 0, sizeof(*a));
	if (len < KNOT_WIRE_HEADER_SIZE) {
		return ssr_diag_set(diag, SSR_EPARSE, "response: %zu bytes, shorter than a header",
		                    len);
	}
	if (len > SSR_PROBE_MAX_MSG) {
		return ssr_diag_set(diag, SSR_EPARSE, "response: %zu bytes, larger than a message",
		                    len);
	}
	a->size = len;
	a->id = knot_wire_get_id(msg);
	a->opcode = knot_wire_get_opcode(msg);
	a->flags =
	    (uint16_t)(((msg[2] & 0x87u) << 8) | (msg[3] & 0xf0u)); /* without opcode, rcode */
	a->qdcount = knot_wire_get_qdcount(msg);
	a->ancount = knot_wire_get_ancount(msg);
	a->nscount = knot_wire_get_nscount(msg);
	a->arcount = knot_wire_get_arcount(msg);
	a->rcode = knot_wire_get_rcode(msg);
	knot_pkt_t *pkt;
	int rc = probe_pkt_open(msg, len, &pkt, diag);
	if (rc == SSR_EOK) {
		a->rcode = knot_pkt_ext_rcode(pkt);
		if (pkt->opt_rr != NULL) {
			a->edns = true;
			a->edns_version = knot_edns_get_version(pkt->opt_rr);
			a->edns_bufsize = knot_edns_get_payload(pkt->opt_rr);
			a->edns_flags = (uint16_t)(pkt->opt_rr->ttl & 0xffffu);
			opt_list(pkt->opt_rr, a);
		}
		probe_pkt_close(pkt);
	}
	if (rc != SSR_EOK || query == NULL) {
		return rc;
	}
	if (!knot_wire_get_qr(msg)) {
		return ssr_diag_set(diag, SSR_EINVAL, "response: QR is not set");
	}
	if (qlen < KNOT_WIRE_HEADER_SIZE || knot_wire_get_id(query) != a->id) {
		return ssr_diag_set(diag, SSR_EINVAL, "response: ID %u answers no query", a->id);
	}
	size_t qs = probe_question_size(query, qlen);
	if (a->qdcount == 0 && (a->rcode & 0xf) != KNOT_RCODE_NOERROR) {
		return SSR_EOK; /* an error answer may leave the question out (FORMERR, NOTIMP) */
	}
	if (qs == 0 || a->qdcount != 1 || len < KNOT_WIRE_HEADER_SIZE + qs ||
	    memcmp(msg + KNOT_WIRE_HEADER_SIZE, query + KNOT_WIRE_HEADER_SIZE, qs) != 0) {
		return ssr_diag_set(
		    diag, SSR_EINVAL,
		    "response: its question is not the query's (name, case, type or "
		    "class)");
	}
	return SSR_EOK;
}

int ssr_probe_count_rrs(const uint8_t *msg, size_t len, int section, uint16_t type, unsigned *n,
                        ssr_diag_t *diag)
{
	*n = 0;
	if (section < 1 || section > 3) {
		return ssr_diag_set(diag, SSR_EPARSE, "response: no section %d", section);
	}
	knot_pkt_t *pkt;
	int rc = probe_pkt_open(msg, len, &pkt, diag);
	if (rc == SSR_EOK) {
		const knot_pktsection_t *sec =
		    knot_pkt_section(pkt, (knot_section_t)(KNOT_ANSWER + section - 1));
		for (uint16_t i = 0; i < sec->count; i++) {
			const knot_rrset_t *rr = knot_pkt_rr(sec, i);
			if (type == 0 || rr->type == type) {
				*n += rr->rrs.count;
			}
		}
		probe_pkt_close(pkt);
	}
	return rc;
}
