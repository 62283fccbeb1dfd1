/* libregress: differential runs (respdiff's method): the same queries to several servers, the
 * answers compared field by field, what differs asked again once so that a disagreement that
 * does not repeat is dropped. */
#include <libknot/libknot.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ssrwatch/regress.h"
#include "ssrwatch/traffic.h"
#include "ssrwatch/zone.h"

#define MAXT        8
#define MAX_QUERIES 20000 /* the views of both rounds stay in memory: 1.6 KB per answer */

typedef struct {
	char *names; /* NUL-separated */
	size_t *off;
	uint16_t *types;
	size_t n, cap, used, ncap;
} qlist_t;

static int keep(const char *name, uint16_t type, uint64_t line, void *ctx)
{
	(void)line;
	qlist_t *q = ctx;
	size_t l = strlen(name) + 1;
	if (q->n == MAX_QUERIES) {
		return SSR_ELIMIT;
	}
	if (q->n == q->cap) {
		size_t nc = q->cap ? 2 * q->cap : 256;
		size_t *no = realloc(q->off, nc * sizeof(*no));
		if (no == NULL) {
			return SSR_ENOMEM;
		}
		q->off = no;
		uint16_t *nt = realloc(q->types, nc * sizeof(*nt));
		if (nt == NULL) {
			return SSR_ENOMEM;
		}
		q->types = nt;
		q->cap = nc;
	}
	if (q->used + l > q->ncap) {
		size_t nc = (q->used + l) * 2;
		char *nn = realloc(q->names, nc);
		if (nn == NULL) {
			return SSR_ENOMEM;
		}
		q->names = nn;
		q->ncap = nc;
	}
	memcpy(q->names + q->used, name, l);
	q->off[q->n] = q->used;
	q->types[q->n++] = type;
	q->used += l;
	return SSR_EOK;
}

/* The fields of one answer as comparable text ("" for a timeout: the field "(none)"). */
typedef struct {
	char f[SSR_DIFF_FIELDS][160];
	bool answered;
} view_t;

typedef struct {
	view_t *v; /* [query][target] */
	size_t nt;
} run_t;

typedef struct {
	char *buf;
	size_t len, cap;
	int section;
	bool rrsig;
} lines_t;

/* A record line without its TTL (owner, TTL, type, data: the second field dropped). */
static int add_line(int section, const char *text, void *ctx)
{
	lines_t *l = ctx;
	if (section != l->section) {
		l->rrsig |= strstr(text, "\tRRSIG\t") != NULL;
		return SSR_EOK;
	}
	l->rrsig |= strstr(text, "\tRRSIG\t") != NULL;
	const char *t1 = strchr(text, '\t');
	const char *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
	char line[600];
	if (t1 && t2) {
		snprintf(line, sizeof line, "%.*s%s", (int)(t1 - text), text, t2);
	} else {
		snprintf(line, sizeof line, "%s", text);
	}
	size_t n = strlen(line);
	if (l->len + n + 3 < l->cap) {
		memcpy(l->buf + l->len, line, n);
		l->len += n;
		memcpy(l->buf + l->len, " | ", 3);
		l->len += 3;
		l->buf[l->len] = '\0';
	}
	return SSR_EOK;
}

static void squash(char *s)
{
	/* runs of spaces and tabs as one space: servers pad owners differently */
	char *o = s;
	for (const char *p = s; *p; p++) {
		if (*p == '\t' || *p == ' ') {
			if (o > s && o[-1] == ' ') {
				continue;
			}
			*o++ = ' ';
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
}

static void make_view(const ssr_probe_result_t *r, view_t *v)
{
	memset(v, 0, sizeof(*v));
	if (r->outcome != SSR_PROBE_ANSWER) {
		for (int f = 0; f < SSR_DIFF_FIELDS; f++) {
			snprintf(v->f[f], sizeof v->f[f], "(%s)",
			         ssr_probe_outcome_name(r->outcome));
		}
		return;
	}
	v->answered = true;
	ssr_probe_answer_t a;
	ssr_diag_t d;
	if (ssr_probe_parse(r->resp, r->rlen, r->query, r->qlen, &a, &d) != SSR_EOK) {
		for (int f = 0; f < SSR_DIFF_FIELDS; f++) {
			snprintf(v->f[f], sizeof v->f[f], "(malformed)");
		}
		return;
	}
	const char *rn = ssr_probe_rcode_name(a.rcode);
	snprintf(v->f[0], sizeof v->f[0], "%s", rn ? rn : "unassigned");
	snprintf(v->f[1], sizeof v->f[1], "%s%s%s%s%s%s%s", (a.flags & 0x400) ? "aa " : "",
	         (a.flags & 0x200) ? "tc " : "", (a.flags & 0x100) ? "rd " : "",
	         (a.flags & 0x80) ? "ra " : "", (a.flags & 0x40) ? "z " : "",
	         (a.flags & 0x20) ? "ad " : "", (a.flags & 0x10) ? "cd " : "");
	for (int s = 1; s <= 2; s++) {
		char buf[2048] = "";
		lines_t l = {buf, 0, sizeof buf, s, false};
		if (ssr_probe_msg_rrs(r->resp, r->rlen, add_line, &l, &d) != SSR_EOK) {
			snprintf(buf, sizeof buf, "(unreadable)");
		}
		squash(buf);
		snprintf(v->f[1 + s], sizeof v->f[1 + s], "%.159s", buf);
		if (s == 1) {
			snprintf(v->f[4], sizeof v->f[4], "%s", l.rrsig ? "yes" : "no");
		}
	}
}

static void done(const ssr_probe_result_t *r, void *ctx)
{
	run_t *x = ctx;
	make_view(r, &x->v[(size_t)(uintptr_t)r->user]);
}

/* Ask queries sel (NULL: all) of q of every target; views into v[query * nt + target]. */
static int ask(const qlist_t *q, const bool *sel, const ssr_regress_target_t *t, size_t nt,
               const ssr_regress_diff_opts_t *o, view_t *v, uint64_t *asked, ssr_diag_t *diag)
{
	run_t x = {v, nt};
	ssr_probe_opts_t po = {
	    .max_inflight = 64, .udp_sockets = 4, .done = done, .ctx = &x, .record = o->record};
	ssr_probe_t *p = NULL;
	int rc = ssr_probe_new(&po, &p, diag);
	for (size_t i = 0; rc == SSR_EOK && i < q->n; i++) {
		if (sel != NULL && !sel[i]) {
			continue;
		}
		ssr_probe_query_t pq;
		ssr_probe_query_init(&pq);
		pq.qname = q->names + q->off[i];
		pq.qtype = q->types[i];
		pq.rd = o->rd;
		uint8_t w[600];
		size_t len;
		if ((rc = ssr_probe_query_build(&pq, w, sizeof w, &len, diag)) != SSR_EOK) {
			break;
		}
		(*asked)++;
		for (size_t k = 0; rc == SSR_EOK && k < nt; k++) {
			ssr_probe_req_t req = {.dst = t[k].addr,
			                       .dst_len = t[k].addr_len,
			                       .transport = SSR_PROBE_UDP,
			                       .query = w,
			                       .qlen = len,
			                       .timeout_ms = o->timeout_ms,
			                       .label = "regress diff",
			                       .user = (void *)(uintptr_t)(i * nt + k)};
			rc = ssr_probe_submit(p, &req, diag);
		}
	}
	if (rc == SSR_EOK) {
		rc = ssr_probe_run(p, diag);
	}
	ssr_probe_free(p);
	return rc;
}

/* Whether query i disagrees in field f; the odd ones out, or unstable. */
static bool disagree(const view_t *row, size_t nt, int f, bool *unstable, bool *odd)
{
	size_t best = 0, bestn = 0;
	for (size_t a = 0; a < nt; a++) {
		size_t same = 0;
		for (size_t b = 0; b < nt; b++) {
			same += strcmp(row[a].f[f], row[b].f[f]) == 0;
		}
		if (same > bestn) {
			bestn = same;
			best = a;
		}
	}
	if (bestn == nt) {
		return false;
	}
	*unstable = bestn * 2 <= nt; /* no value most targets hold */
	for (size_t a = 0; a < nt; a++) {
		odd[a] = !*unstable && strcmp(row[a].f[f], row[best].f[f]) != 0;
	}
	return true;
}

/* Whether q already holds name and type (a linear look at the last ones is too weak: a hash). */
typedef struct {
	qlist_t *q;
	uint64_t *slots; /* hash of (name, type) + 1; 0 empty */
	size_t nslots;
	int rc;
} distinct_t;

static uint64_t qhash(const char *name, uint16_t type)
{
	uint64_t h = 1469598103934665603ULL ^ type;
	for (const char *p = name; *p; p++) {
		h = (h ^ (uint8_t)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p)) * 1099511628211ULL;
	}
	return h | 1;
}

/* Keep name/type once (a colliding hash compares the names themselves). */
static int keep_distinct(distinct_t *x, const char *name, uint16_t type)
{
	uint64_t h = qhash(name, type);
	size_t i = (size_t)(h % x->nslots);
	for (; x->slots[i] != 0; i = (i + 1) % x->nslots) {
		if (x->slots[i] != h) {
			continue;
		}
		for (size_t k = 0; k < x->q->n; k++) {
			if (x->q->types[k] == type &&
			    strcasecmp(x->q->names + x->q->off[k], name) == 0) {
				return SSR_EOK;
			}
		}
	}
	int rc = keep(name, type, 0, x->q);
	if (rc == SSR_EOK) {
		x->slots[i] = h;
	}
	return rc;
}

static void on_packet(const ssr_dns_pkt_t *p, void *ctx)
{
	distinct_t *x = ctx;
	const ssr_dns_msg_t *m = p->msg;
	if (x->rc != SSR_EOK || m == NULL || m->qr || !m->has_question || m->opcode != 0) {
		return;
	}
	char name[KNOT_DNAME_TXT_MAXLEN + 1];
	if (knot_dname_to_str(name, m->qname, sizeof name) == NULL) {
		return;
	}
	x->rc = keep_distinct(x, name, m->qtype);
}

static int from_capture(const char *path, qlist_t *q, ssr_diag_t *diag)
{
	distinct_t x = {q, calloc(2 * MAX_QUERIES + 1, sizeof(uint64_t)), 2 * MAX_QUERIES + 1,
	                SSR_EOK};
	if (x.slots == NULL) {
		return ssr_diag_set(diag, SSR_ENOMEM, "regress diff: out of memory");
	}
	ssr_decoder_t dec;
	ssr_decoder_init(&dec);
	ssr_capture_stats_t st;
	int rc = ssr_capture_read(path, &dec, on_packet, &x, &st, diag);
	ssr_decoder_finish(&dec, on_packet, &x);
	ssr_decoder_release(&dec);
	free(x.slots);
	if (rc == SSR_EOK && x.rc != SSR_EOK) {
		rc = x.rc == SSR_ELIMIT ? SSR_ELIMIT
		                        : ssr_diag_set(diag, x.rc, "regress diff: out of memory");
	}
	return rc;
}

static int on_zone_rr(const ssr_zone_rr_t *rr, void *ctx)
{
	distinct_t *d = ctx;
	if (rr->type == KNOT_RRTYPE_RRSIG || rr->type == KNOT_RRTYPE_NSEC ||
	    rr->type == KNOT_RRTYPE_NSEC3 || rr->type == KNOT_RRTYPE_NSEC3PARAM) {
		return SSR_EOK;
	}
	char name[KNOT_DNAME_TXT_MAXLEN + 1];
	if (knot_dname_to_str(name, rr->owner, sizeof name) == NULL) {
		return SSR_EOK;
	}
	return keep_distinct(d, name, rr->type);
}

/* Every distinct name and type of a zone file (the project's zone reader: its errors name the
 * file and line). */
static int from_zone(const char *path, const char *origin, qlist_t *q, ssr_diag_t *diag)
{
	distinct_t d = {q, calloc(2 * MAX_QUERIES + 1, sizeof(uint64_t)), 2 * MAX_QUERIES + 1,
	                SSR_EOK};
	if (d.slots == NULL) {
		return ssr_diag_set(diag, SSR_ENOMEM, "regress diff: out of memory");
	}
	ssr_zone_opts_t zo = {.origin = origin, .no_include = true};
	ssr_zone_read_stats_t st;
	int rc = ssr_zone_read(path, &zo, on_zone_rr, &d, &st, diag);
	free(d.slots);
	return rc == SSR_ENOMEM ? ssr_diag_set(diag, rc, "regress diff: out of memory") : rc;
}

const char *ssr_regress_diff_field(int field)
{
	static const char *const n[] = {"rcode", "flags", "answer", "authority", "rrsig"};
	return field >= 0 && field < SSR_DIFF_FIELDS ? n[field] : "?";
}

int ssr_regress_diff(const char *path, const ssr_regress_target_t *targets, size_t nt,
                     const ssr_regress_diff_opts_t *o, ssr_regress_diff_t **out, size_t *n,
                     uint64_t *asked, uint64_t *timeouts, ssr_diag_t *diag)
{
	*out = NULL;
	*n = 0;
	*asked = *timeouts = 0;
	if (nt < 2 || nt > MAXT) {
		return ssr_diag_set(diag, SSR_EINVAL, "regress diff: 2 to %d targets", MAXT);
	}
	qlist_t q = {0};
	int rc = o->from == SSR_DIFF_CAPTURE ? from_capture(path, &q, diag)
	         : o->from == SSR_DIFF_ZONE  ? from_zone(path, o->origin, &q, diag)
	                                     : ssr_probe_qfile_read(path, keep, &q, diag);
	if (rc == SSR_ELIMIT && q.n == MAX_QUERIES) {
		rc = ssr_diag_set(diag, SSR_ELIMIT,
		                  "%s '%s': more than %d distinct queries (split it)",
		                  o->from == SSR_DIFF_CAPTURE ? "capture"
		                  : o->from == SSR_DIFF_ZONE  ? "zone"
		                                              : "queries",
		                  path, MAX_QUERIES);
	}
	view_t *v1 = NULL, *v2 = NULL;
	bool *again = NULL;
	if (rc == SSR_EOK && q.n == 0) {
		rc = ssr_diag_set(diag, SSR_EPARSE, "%s '%s': no query in it",
		                  o->from == SSR_DIFF_CAPTURE ? "capture"
		                  : o->from == SSR_DIFF_ZONE  ? "zone"
		                                              : "queries",
		                  path);
	}
	if (rc == SSR_EOK && ((v1 = calloc(q.n * nt, sizeof(*v1))) == NULL ||
	                      (v2 = calloc(q.n * nt, sizeof(*v2))) == NULL ||
	                      (again = calloc(q.n, sizeof(*again))) == NULL)) {
		rc = ssr_diag_set(diag, SSR_ENOMEM, "regress diff: out of memory");
	}
	if (rc == SSR_EOK) {
		rc = ask(&q, NULL, targets, nt, o, v1, asked, diag);
	}
	bool odd[MAXT], un;
	size_t nagain = 0;
	for (size_t i = 0; rc == SSR_EOK && i < q.n; i++) {
		for (size_t k = 0; k < nt; k++) {
			*timeouts += !v1[i * nt + k].answered;
		}
		for (int f = 0; f < SSR_DIFF_FIELDS && !again[i]; f++) {
			again[i] = disagree(&v1[i * nt], nt, f, &un, odd);
		}
		nagain += again[i];
	}
	if (rc == SSR_EOK && nagain > 0) {
		uint64_t more = 0;
		rc = ask(&q, again, targets, nt, o, v2, &more, diag);
	}
	/* a disagreement counts when the same field disagrees in the same way both times */
	ssr_regress_diff_t *res = NULL;
	size_t nres = 0, cap = 0;
	for (size_t i = 0; rc == SSR_EOK && i < q.n; i++) {
		for (int f = 0; again[i] && f < SSR_DIFF_FIELDS && rc == SSR_EOK; f++) {
			bool odd2[MAXT], un2;
			if (!disagree(&v1[i * nt], nt, f, &un, odd) ||
			    !disagree(&v2[i * nt], nt, f, &un2, odd2) || un != un2 ||
			    memcmp(odd, odd2, nt * sizeof(bool)) != 0) {
				continue;
			}
			if (nres == cap) {
				size_t nc = cap ? 2 * cap : 16;
				ssr_regress_diff_t *nr = realloc(res, nc * sizeof(*nr));
				if (nr == NULL) {
					rc = ssr_diag_set(diag, SSR_ENOMEM,
					                  "regress diff: out of memory");
					break;
				}
				res = nr;
				cap = nc;
			}
			ssr_regress_diff_t *r = &res[nres++];
			memset(r, 0, sizeof(*r));
			snprintf(r->qname, sizeof r->qname, "%s", q.names + q.off[i]);
			r->qtype = q.types[i];
			r->field = f;
			r->unstable = un;
			for (size_t k = 0; k < nt; k++) {
				snprintf(r->values[k], sizeof r->values[k], "%s",
				         v1[i * nt + k].f[f]);
				if (odd[k]) {
					size_t l = strlen(r->odd);
					snprintf(r->odd + l, sizeof r->odd - l, "%s%s",
					         l ? " " : "", targets[k].name);
				}
			}
		}
	}
	free(v1);
	free(v2);
	free(again);
	free(q.names);
	free(q.off);
	free(q.types);
	if (rc != SSR_EOK) {
		free(res);
		return rc;
	}
	*out = res;
	*n = nres;
	return SSR_EOK;
}
