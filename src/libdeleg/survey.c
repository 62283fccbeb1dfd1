/* libdeleg: asking the proposed name servers (every address, every vantage point, UDP and
 * TCP) the questions the rules judge, in one libprobe engine; and RRsets out of the answers. */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "deleg_priv.h"
#include "ssrwatch/text.h"
#include "ssrwatch/zonemem.h"

static const uint16_t qtypes[DELEG_NQ] = {KNOT_RRTYPE_SOA, KNOT_RRTYPE_NS, KNOT_RRTYPE_DNSKEY,
                                          KNOT_RRTYPE_NSEC3PARAM};

deleg_ans_t *deleg_ans(const deleg_survey_t *s, unsigned src, size_t srv, unsigned tr, unsigned q)
{
	return &s->ans[((src * s->nsrv + srv) * DELEG_NTR + tr) * DELEG_NQ + q];
}

deleg_ans_t *deleg_glue(const deleg_survey_t *s, unsigned src, size_t srv, unsigned ns,
                        unsigned fam)
{
	return &s->glue[((src * s->nsrv + srv) * s->ch.nns + ns) * 2 + fam];
}

bool deleg_auth(const deleg_ans_t *a)
{
	return a->sent && a->outcome == SSR_PROBE_ANSWER && a->rcode == KNOT_RCODE_NOERROR &&
	       (a->flags & 0x0400) != 0;
}

/* ---- the engine ---------------------------------------------------------------------------- */

static void done(const ssr_probe_result_t *r, void *ctx)
{
	deleg_ans_t *a = r->user;
	deleg_survey_t *s = ctx;
	s->exchanges++;
	a->outcome = r->outcome;
	a->seq = r->seq;
	a->rcode = -1;
	if (r->outcome != SSR_PROBE_ANSWER || r->resp == NULL) {
		return;
	}
	ssr_probe_answer_t pa;
	ssr_diag_t d;
	if (ssr_probe_parse(r->resp, r->rlen, r->query, r->qlen, &pa, &d) != SSR_EOK) {
		a->outcome = SSR_PROBE_MALFORMED;
		return;
	}
	a->rcode = pa.rcode;
	a->flags = pa.flags;
	if ((a->resp = malloc(r->rlen)) != NULL) {
		memcpy(a->resp, r->resp, r->rlen);
		a->rlen = r->rlen;
	}
}

static int submit(ssr_probe_t *p, const deleg_survey_t *s, deleg_ans_t *a,
                  const struct sockaddr_storage *dst, socklen_t dlen, unsigned src, bool rd,
                  ssr_diag_t *diag)
{
	ssr_probe_query_t q;
	ssr_probe_query_init(&q);
	q.qname = a->qname;
	q.qtype = a->qtype;
	q.rd = rd;
	q.edns_do = !rd;
	uint8_t w[512];
	size_t len;
	int rc = ssr_probe_query_build(&q, w, sizeof w, &len, diag);
	if (rc != SSR_EOK) {
		return rc;
	}
	ssr_probe_req_t req = {.dst = *dst,
	                       .dst_len = dlen,
	                       .transport = a->transport,
	                       .query = w,
	                       .qlen = len,
	                       .timeout_ms = s->o->timeout_ms,
	                       .fresh_conn = true,
	                       .label = "delegation",
	                       .user = a};
	if (src < s->o->nsources) {
		req.src = s->o->sources[src];
		req.src_len = s->o->source_lens[src];
	}
	a->sent = true;
	a->rcode = -1;
	return ssr_probe_submit(p, &req, diag);
}

static int engine_new(deleg_survey_t *s, ssr_probe_t **p, ssr_diag_t *diag)
{
	ssr_probe_opts_t po = {
	    .max_inflight = 64, .udp_sockets = 4, .done = done, .ctx = s, .record = s->o->record};
	return ssr_probe_new(&po, p, diag);
}

/* The addresses of name servers given without any, from the resolver's answers. */
static int lookup(deleg_survey_t *s, ssr_diag_t *diag)
{
	unsigned missing = 0;
	for (unsigned i = 0; i < s->ch.nns; i++) {
		missing += s->ch.ns[i].naddr == 0;
	}
	if (missing == 0) {
		return SSR_EOK;
	}
	if (s->o->resolver == NULL) {
		return SSR_EOK; /* nothing to look them up with: ns-addresses reports them */
	}
	deleg_ans_t *q = calloc(2 * (size_t)s->ch.nns, sizeof(*q));
	ssr_probe_t *p = NULL;
	if (q == NULL) {
		return ssr_diag_set(diag, SSR_ENOMEM, "delegation: out of memory");
	}
	int rc = engine_new(s, &p, diag);
	for (unsigned i = 0; rc == SSR_EOK && i < s->ch.nns; i++) {
		for (unsigned f = 0; rc == SSR_EOK && f < 2 && s->ch.ns[i].naddr == 0; f++) {
			deleg_ans_t *a = &q[2 * i + f];
			snprintf(a->qname, sizeof a->qname, "%s", s->ch.ns[i].name);
			a->qtype = f ? KNOT_RRTYPE_AAAA : KNOT_RRTYPE_A;
			a->transport = SSR_PROBE_UDP;
			rc = submit(p, s, a, s->o->resolver, s->o->resolver_len, UINT32_MAX, true,
			            diag);
		}
	}
	if (rc == SSR_EOK) {
		rc = ssr_probe_run(p, diag);
	}
	ssr_probe_free(p);
	for (unsigned i = 0; rc == SSR_EOK && i < s->ch.nns; i++) {
		ssr_deleg_ns_t *ns = &s->ch.ns[i];
		for (unsigned f = 0; f < 2 && !ns->given; f++) {
			const deleg_ans_t *a = &q[2 * i + f];
			if (a->resp == NULL) {
				continue;
			}
			knot_pkt_t *pkt = knot_pkt_new(a->resp, a->rlen, NULL);
			if (pkt == NULL || knot_pkt_parse(pkt, 0) != KNOT_EOK) {
				knot_pkt_free(pkt);
				continue;
			}
			const knot_pktsection_t *an = knot_pkt_section(pkt, KNOT_ANSWER);
			for (uint16_t k = 0; k < an->count && ns->naddr < SSR_DELEG_MAX_ADDRS;
			     k++) {
				const knot_rrset_t *rr = knot_pkt_rr(an, k);
				const knot_rdata_t *rd = rr->rrs.rdata;
				struct sockaddr_storage *sa = &ns->addr[ns->naddr];
				memset(sa, 0, sizeof(*sa));
				if (rr->type == KNOT_RRTYPE_A && rd->len == 4) {
					struct sockaddr_in *v4 = (struct sockaddr_in *)sa;
					v4->sin_family = AF_INET;
					v4->sin_port = htons(53);
					memcpy(&v4->sin_addr, rd->data, 4);
					ns->addr_len[ns->naddr++] = sizeof(*v4);
				} else if (rr->type == KNOT_RRTYPE_AAAA && rd->len == 16) {
					struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)sa;
					v6->sin6_family = AF_INET6;
					v6->sin6_port = htons(53);
					memcpy(&v6->sin6_addr, rd->data, 16);
					ns->addr_len[ns->naddr++] = sizeof(*v6);
				}
			}
			knot_pkt_free(pkt);
		}
	}
	for (size_t i = 0; i < 2 * (size_t)s->ch.nns; i++) {
		free(q[i].resp);
	}
	free(q);
	return rc;
}

int deleg_survey_run(deleg_survey_t *s, ssr_diag_t *diag)
{
	if (knot_dname_from_str(s->apex, s->ch.zone, sizeof s->apex) == NULL) {
		return ssr_diag_set(diag, SSR_EINVAL, "delegation: bad zone '%s'", s->ch.zone);
	}
	int rc = lookup(s, diag);
	if (rc != SSR_EOK) {
		return rc;
	}
	size_t total = 0;
	for (unsigned i = 0; i < s->ch.nns; i++) {
		total += s->ch.ns[i].naddr;
	}
	s->srv = calloc(total ? total : 1, sizeof(*s->srv));
	if (s->srv == NULL) {
		return ssr_diag_set(diag, SSR_ENOMEM, "delegation: out of memory");
	}
	for (unsigned i = 0; i < s->ch.nns; i++) {
		for (unsigned k = 0; k < s->ch.ns[i].naddr; k++) {
			const struct sockaddr_storage *a = &s->ch.ns[i].addr[k];
			if ((a->ss_family == AF_INET && s->o->no_ipv4) ||
			    (a->ss_family == AF_INET6 && s->o->no_ipv6)) {
				continue;
			}
			deleg_srv_t *v = &s->srv[s->nsrv++];
			v->ns = i;
			v->addr = *a;
			v->len = s->ch.ns[i].addr_len[k];
			char as[80];
			ssr_probe_addr_format(a, as, sizeof as);
			snprintf(v->label, sizeof v->label, "%.200s %.79s", s->ch.ns[i].name, as);
		}
	}
	s->nsrc = s->o->nsources ? s->o->nsources : 1;
	for (unsigned i = 0; i < s->nsrc; i++) {
		if (i < s->o->nsources) {
			ssr_probe_addr_format(&s->o->sources[i], s->src[i], sizeof s->src[i]);
			char *colon = strrchr(s->src[i], ':'); /* the port (0) left out */
			if (colon != NULL) {
				*colon = '\0';
			}
			if (s->src[i][0] == '[') {
				memmove(s->src[i], s->src[i] + 1, strlen(s->src[i]));
				s->src[i][strlen(s->src[i]) - 1] = '\0';
			}
		} else {
			snprintf(s->src[i], sizeof s->src[i], "default");
		}
	}
	size_t na = (size_t)s->nsrc * (s->nsrv ? s->nsrv : 1) * DELEG_NTR * DELEG_NQ;
	size_t ng = (size_t)s->nsrc * (s->nsrv ? s->nsrv : 1) * s->ch.nns * 2;
	s->ans = calloc(na, sizeof(*s->ans));
	s->glue = calloc(ng ? ng : 1, sizeof(*s->glue));
	if (s->ans == NULL || s->glue == NULL) {
		return ssr_diag_set(diag, SSR_ENOMEM, "delegation: out of memory");
	}
	ssr_probe_t *p = NULL;
	rc = engine_new(s, &p, diag);
	for (unsigned src = 0; rc == SSR_EOK && src < s->nsrc; src++) {
		for (size_t v = 0; rc == SSR_EOK && v < s->nsrv; v++) {
			const deleg_srv_t *sv = &s->srv[v];
			/* a vantage point only reaches addresses of its own family */
			if (src < s->o->nsources &&
			    s->o->sources[src].ss_family != sv->addr.ss_family) {
				continue;
			}
			for (unsigned tr = 0; rc == SSR_EOK && tr < DELEG_NTR; tr++) {
				for (unsigned q = 0; rc == SSR_EOK && q < DELEG_NQ; q++) {
					deleg_ans_t *a = deleg_ans(s, src, v, tr, q);
					snprintf(a->qname, sizeof a->qname, "%s", s->ch.zone);
					a->qtype = qtypes[q];
					a->transport = tr ? SSR_PROBE_TCP : SSR_PROBE_UDP;
					a->src = src;
					a->srv = (unsigned)v;
					rc = submit(p, s, a, &sv->addr, sv->len, src, false, diag);
				}
			}
			for (unsigned n = 0; rc == SSR_EOK && n < s->ch.nns; n++) {
				if (!deleg_in_zone(s->ch.ns[n].name, s->ch.zone)) {
					continue;
				}
				for (unsigned f = 0; rc == SSR_EOK && f < 2; f++) {
					deleg_ans_t *a = deleg_glue(s, src, v, n, f);
					snprintf(a->qname, sizeof a->qname, "%s", s->ch.ns[n].name);
					a->qtype = f ? KNOT_RRTYPE_AAAA : KNOT_RRTYPE_A;
					a->transport = SSR_PROBE_UDP;
					a->src = src;
					a->srv = (unsigned)v;
					rc = submit(p, s, a, &sv->addr, sv->len, src, false, diag);
				}
			}
		}
	}
	if (rc == SSR_EOK) {
		rc = ssr_probe_run(p, diag);
	}
	ssr_probe_free(p);
	return rc;
}

void deleg_survey_release(deleg_survey_t *s)
{
	size_t na = (size_t)s->nsrc * (s->nsrv ? s->nsrv : 1) * DELEG_NTR * DELEG_NQ;
	size_t ng = (size_t)s->nsrc * (s->nsrv ? s->nsrv : 1) * s->ch.nns * 2;
	for (size_t i = 0; s->ans != NULL && i < na; i++) {
		free(s->ans[i].resp);
	}
	for (size_t i = 0; s->glue != NULL && i < ng; i++) {
		free(s->glue[i].resp);
	}
	free(s->ans);
	free(s->glue);
	free(s->srv);
	s->ans = s->glue = NULL;
	s->srv = NULL;
}

/* ---- RRsets out of answers ----------------------------------------------------------------- */

static int rd_cmp(const uint8_t *a, uint16_t al, const uint8_t *b, uint16_t bl)
{
	int c = memcmp(a, b, al < bl ? al : bl);
	return c ? c : (int)al - (int)bl;
}

int deleg_rrset(const deleg_ans_t *a, int section, const uint8_t *owner, uint16_t type,
                uint16_t covered, deleg_rrset_t *out)
{
	memset(out, 0, sizeof(*out));
	if (a->resp == NULL) {
		return SSR_EINVAL;
	}
	knot_pkt_t *pkt = knot_pkt_new(a->resp, a->rlen, NULL);
	if (pkt == NULL) {
		return SSR_ENOMEM;
	}
	if (knot_pkt_parse(pkt, 0) != KNOT_EOK) {
		knot_pkt_free(pkt);
		return SSR_EPARSE;
	}
	static const int secs[4] = {0, KNOT_ANSWER, KNOT_AUTHORITY, KNOT_ADDITIONAL};
	const knot_pktsection_t *sec = knot_pkt_section(pkt, secs[section]);
	int rc = SSR_EOK;
	for (uint16_t i = 0; rc == SSR_EOK && i < sec->count; i++) {
		const knot_rrset_t *rr = knot_pkt_rr(sec, i);
		if (rr->type != type || !knot_dname_is_case_equal(rr->owner, owner)) {
			continue;
		}
		const knot_rdata_t *rd = rr->rrs.rdata;
		for (uint16_t j = 0; rc == SSR_EOK && j < rr->rrs.count;
		     j++, rd = knot_rdataset_next((knot_rdata_t *)rd)) {
			if (type == KNOT_RRTYPE_RRSIG &&
			    (rd->len < 2 ||
			     (uint16_t)(rd->data[0] << 8 | rd->data[1]) != covered)) {
				continue;
			}
			if (out->n == DELEG_RR_MAX) {
				rc = SSR_ELIMIT;
				break;
			}
			uint8_t *c = malloc(rd->len ? rd->len : 1);
			if (c == NULL) {
				rc = SSR_ENOMEM;
				break;
			}
			memcpy(c, rd->data, rd->len);
			ssr_zmem_canonical_rdata(type, c, rd->len);
			/* insert in canonical order, a duplicate dropped */
			size_t at = 0;
			int cmp = 1;
			while (at < out->n &&
			       (cmp = rd_cmp(out->rd[at], out->len[at], c, rd->len)) < 0) {
				at++;
			}
			if (at < out->n && cmp == 0) {
				free(c);
				continue;
			}
			memmove(&out->rd[at + 1], &out->rd[at], (out->n - at) * sizeof(out->rd[0]));
			memmove(&out->len[at + 1], &out->len[at],
			        (out->n - at) * sizeof(out->len[0]));
			out->rd[at] = c;
			out->len[at] = rd->len;
			out->n++;
		}
	}
	knot_pkt_free(pkt);
	if (rc != SSR_EOK) {
		deleg_rrset_release(out);
	}
	return rc;
}

void deleg_rrset_release(deleg_rrset_t *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->rd[i]);
	}
	r->n = 0;
}

/* ---- results ------------------------------------------------------------------------------ */

void deleg_evidence(ssr_deleg_check_t *r, const deleg_survey_t *s, const deleg_ans_t *a)
{
	if (!a->sent || r->nev == SSR_DELEG_MAX_EVIDENCE) {
		return;
	}
	for (size_t i = 0; i < r->nev; i++) {
		if (r->ev[i].seq == a->seq) {
			return;
		}
	}
	if (r->ev == NULL && (r->ev = calloc(SSR_DELEG_MAX_EVIDENCE, sizeof(*r->ev))) == NULL) {
		return; /* evidence is shown when memory allows; the verdict stands */
	}
	ssr_deleg_evidence_t *e = &r->ev[r->nev++];
	e->seq = a->seq;
	snprintf(e->server, sizeof e->server, "%s", s->srv[a->srv].label);
	snprintf(e->src, sizeof e->src, "%s", s->src[a->src]);
	e->transport = a->transport;
	snprintf(e->qname, sizeof e->qname, "%s", a->qname);
	e->qtype = a->qtype;
	e->outcome = a->outcome;
	e->rcode = a->rcode;
	e->flags = a->flags;
}

void deleg_msg(ssr_deleg_check_t *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	ssr_text_vappendf(r->message, sizeof r->message, "; ", fmt, ap);
	va_end(ap);
}

int deleg_addr_from_rdata(uint16_t type, const uint8_t *rd, uint16_t len,
                          struct sockaddr_storage *sa, socklen_t *salen)
{
	memset(sa, 0, sizeof(*sa));
	if (type == KNOT_RRTYPE_A && len == 4) {
		struct sockaddr_in *v4 = (struct sockaddr_in *)sa;
		v4->sin_family = AF_INET;
		v4->sin_port = htons(53);
		memcpy(&v4->sin_addr, rd, 4);
		*salen = sizeof(*v4);
		return SSR_EOK;
	}
	if (type == KNOT_RRTYPE_AAAA && len == 16) {
		struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)sa;
		v6->sin6_family = AF_INET6;
		v6->sin6_port = htons(53);
		memcpy(&v6->sin6_addr, rd, 16);
		*salen = sizeof(*v6);
		return SSR_EOK;
	}
	return SSR_EINVAL;
}
