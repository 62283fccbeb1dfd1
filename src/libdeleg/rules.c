/* libdeleg: the rules of a delegation suite over what the name servers answered.  Each rule
 * sets the result, a message for people and the exchanges behind it; a rule that has nothing
 * to judge (no server answered) is an error (could not run), never a pass. */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "deleg_priv.h"
#include "ssrwatch/zonemem.h"

#define MAX_VALUES 8

static int str_ptr_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* ---- consistency across servers ----------------------------------------------------------- */

typedef struct {
	char v[MAX_VALUES][200];
	char who[MAX_VALUES][400];
	const deleg_ans_t *first[MAX_VALUES];
	unsigned n, seen;
} values_t;

static void value_add(values_t *x, const char *v, const deleg_survey_t *s, const deleg_ans_t *a)
{
	x->seen++;
	unsigned i = 0;
	while (i < x->n && strcmp(x->v[i], v) != 0) {
		i++;
	}
	if (i == x->n) {
		if (x->n == MAX_VALUES) {
			return;
		}
		snprintf(x->v[i], sizeof x->v[i], "%s", v);
		x->first[i] = a;
		x->n++;
	}
	size_t l = strlen(x->who[i]);
	if (strstr(x->who[i], s->srv[a->srv].label) == NULL && l + 2 < sizeof x->who[i]) {
		snprintf(x->who[i] + l, sizeof x->who[i] - l, "%s%s", l ? ", " : "",
		         s->srv[a->srv].label);
	}
}

/* Judge values: one value passes; none is an error; more fail, each value with its servers. */
static int values_judge(const values_t *x, const deleg_survey_t *s, ssr_deleg_check_t *r,
                        const char *what)
{
	if (x->seen == 0) {
		r->result = SSR_DELEG_ERROR;
		deleg_msg(r, "no name server answered authoritatively: %s cannot be compared",
		          what);
		return SSR_EOK;
	}
	for (unsigned i = 0; i < x->n; i++) {
		deleg_evidence(r, s, x->first[i]);
	}
	if (x->n == 1) {
		r->result = SSR_DELEG_PASS;
		deleg_msg(r, "one %s on every server: %s", what, x->v[0]);
		return SSR_EOK;
	}
	r->result = SSR_DELEG_FAIL;
	char list[700] = "";
	for (unsigned i = 0, l = 0; i < x->n && l + 4 < sizeof list; i++) {
		l += (unsigned)snprintf(list + l, sizeof list - l, "%s'%s' from %s", i ? "; " : "",
		                        x->v[i], x->who[i]);
	}
	deleg_msg(r, "%u different %ss: %s", x->n, what, list);
	return SSR_EOK;
}

static void value(const deleg_survey_t *s, const deleg_ans_t *a, int field, char *out, size_t cap);

static int consistent(const deleg_survey_t *s, ssr_deleg_check_t *r, unsigned q, int field,
                      const char *what)
{
	values_t x;
	memset(&x, 0, sizeof x);
	for (unsigned src = 0; src < s->nsrc; src++) {
		for (size_t v = 0; v < s->nsrv; v++) {
			for (unsigned tr = 0; tr < DELEG_NTR; tr++) {
				const deleg_ans_t *a = deleg_ans(s, src, v, tr, q);
				char val[200] = "";
				if (!deleg_auth(a)) {
					continue;
				}
				value(s, a, field, val, sizeof val);
				if (val[0] != '\0') {
					value_add(&x, val, s, a);
				}
			}
		}
	}
	return values_judge(&x, s, r, what);
}

typedef struct {
	char mname[256], rname[256];
	uint32_t serial, refresh, retry, expire, minimum;
} soa_t;

static bool soa_of(const deleg_survey_t *s, const deleg_ans_t *a, soa_t *o)
{
	deleg_rrset_t rs;
	if (deleg_rrset(a, 1, s->apex, KNOT_RRTYPE_SOA, 0, &rs) != SSR_EOK) {
		return false;
	}
	bool ok = false;
	if (rs.n == 1) {
		const uint8_t *p = rs.rd[0], *end = p + rs.len[0];
		size_t l1 = knot_dname_size(p);
		ok = l1 < rs.len[0];
		size_t l2 = ok ? knot_dname_size(p + l1) : 0;
		ok = ok && p + l1 + l2 + 20 == end &&
		     knot_dname_to_str(o->mname, p, sizeof o->mname) != NULL &&
		     knot_dname_to_str(o->rname, p + l1, sizeof o->rname) != NULL;
		if (ok) {
			const uint8_t *t = p + l1 + l2;
			uint32_t f[5];
			for (int i = 0; i < 5; i++) {
				f[i] = (uint32_t)t[4 * i] << 24 | (uint32_t)t[4 * i + 1] << 16 |
				       (uint32_t)t[4 * i + 2] << 8 | t[4 * i + 3];
			}
			o->serial = f[0];
			o->refresh = f[1];
			o->retry = f[2];
			o->expire = f[3];
			o->minimum = f[4];
		}
	}
	deleg_rrset_release(&rs);
	return ok;
}

enum { V_SERIAL, V_RNAME, V_MNAME, V_TIMERS, V_NS, V_DNSKEY };

static void v_ns(const deleg_survey_t *s, const deleg_ans_t *a, char *out, size_t cap);
static void v_dnskey(const deleg_survey_t *s, const deleg_ans_t *a, char *out, size_t cap);

/* The value an answer gives for one of the compared fields, as text ("" none). */
static void value(const deleg_survey_t *s, const deleg_ans_t *a, int field, char *out, size_t cap)
{
	soa_t o;
	if (field == V_NS) {
		v_ns(s, a, out, cap);
	} else if (field == V_DNSKEY) {
		v_dnskey(s, a, out, cap);
	} else if (soa_of(s, a, &o)) {
		if (field == V_SERIAL) {
			snprintf(out, cap, "%u", o.serial);
		} else if (field == V_RNAME || field == V_MNAME) {
			snprintf(out, cap, "%.199s", field == V_RNAME ? o.rname : o.mname);
		} else {
			snprintf(out, cap, "refresh %u retry %u expire %u minimum %u", o.refresh,
			         o.retry, o.expire, o.minimum);
		}
	}
}

/* The NS names of an answer, sorted, space-separated. */
static void v_ns(const deleg_survey_t *s, const deleg_ans_t *a, char *out, size_t cap)
{
	deleg_rrset_t rs;
	if (deleg_rrset(a, 1, s->apex, KNOT_RRTYPE_NS, 0, &rs) != SSR_EOK) {
		return;
	}
	char names[DELEG_RR_MAX][256];
	size_t n = 0;
	for (size_t i = 0; i < rs.n; i++) {
		if (knot_dname_to_str(names[n], rs.rd[i], sizeof names[n]) != NULL) {
			n++;
		}
	}
	qsort(names, n, sizeof names[0], (int (*)(const void *, const void *))strcmp);
	size_t l = 0;
	out[0] = '\0';
	for (size_t i = 0; i < n && l + 2 < cap; i++) {
		l += (size_t)snprintf(out + l, cap - l, "%s%s", i ? " " : "", names[i]);
	}
	deleg_rrset_release(&rs);
}

/* The DNSKEY set of an answer: its size and key tags. */
static void v_dnskey(const deleg_survey_t *s, const deleg_ans_t *a, char *out, size_t cap)
{
	deleg_rrset_t rs;
	if (deleg_rrset(a, 1, s->apex, KNOT_RRTYPE_DNSKEY, 0, &rs) != SSR_EOK) {
		return;
	}
	size_t l = (size_t)snprintf(out, cap, "%zu keys:", rs.n);
	for (size_t i = 0; i < rs.n && l + 8 < cap; i++) {
		uint32_t ac = 0; /* RFC 4034 appendix B */
		for (size_t k = 0; k < rs.len[i]; k++) {
			ac += (k & 1) ? rs.rd[i][k] : (uint32_t)rs.rd[i][k] << 8;
		}
		ac += (ac >> 16) & 0xffff;
		l += (size_t)snprintf(out + l, cap - l, " %u", ac & 0xffff);
	}
	deleg_rrset_release(&rs);
}

/* The rules that compare one value across every authoritative answer. */
static const struct {
	const char *name;
	unsigned q;
	int field;
	const char *what;
} compared_rules[] = {
    {"soa-serial", DELEG_Q_SOA, V_SERIAL, "SOA serial"},
    {"soa-rname", DELEG_Q_SOA, V_RNAME, "SOA RNAME"},
    {"soa-mname", DELEG_Q_SOA, V_MNAME, "SOA MNAME"},
    {"soa-timers", DELEG_Q_SOA, V_TIMERS, "SOA timer set"},
    {"ns-consistent", DELEG_Q_NS, V_NS, "NS set"},
    {"dnskey-consistent", DELEG_Q_DNSKEY, V_DNSKEY, "DNSKEY set"},
};

static int r_consistent(const deleg_survey_t *s, const ssr_regress_case_t *c, ssr_deleg_check_t *r,
                        ssr_diag_t *d)
{
	for (size_t i = 0; i < sizeof compared_rules / sizeof compared_rules[0]; i++) {
		if (strcmp(compared_rules[i].name, c->check) == 0) {
			return consistent(s, r, compared_rules[i].q, compared_rules[i].field,
			                  compared_rules[i].what);
		}
	}
	return ssr_diag_set(d, SSR_EINVAL, "delegation: no comparison '%s'", c->check);
}

/* The child's NS set equals the proposed one. */
static int r_ns_match(const deleg_survey_t *s, const ssr_regress_case_t *c, ssr_deleg_check_t *r,
                      ssr_diag_t *d)
{
	(void)c, (void)d;
	char want[4096] = "", *names[SSR_DELEG_MAX_NS];
	for (unsigned i = 0; i < s->ch.nns; i++) {
		names[i] = (char *)s->ch.ns[i].name;
	}
	qsort(names, s->ch.nns, sizeof names[0], str_ptr_cmp);
	size_t l = 0;
	for (unsigned i = 0; i < s->ch.nns; i++) {
		l += (size_t)snprintf(want + l, sizeof want - l, "%s%s", i ? " " : "", names[i]);
	}
	unsigned seen = 0, bad = 0;
	for (unsigned src = 0; src < s->nsrc; src++) {
		for (size_t v = 0; v < s->nsrv; v++) {
			const deleg_ans_t *a = deleg_ans(s, src, v, 0, DELEG_Q_NS);
			char got[4096] = "";
			if (!deleg_auth(a)) {
				continue;
			}
			v_ns(s, a, got, sizeof got);
			seen++;
			if (strcmp(got, want) != 0) {
				if (bad++ == 0) {
					deleg_msg(r, "the delegation names '%s'", want);
				}
				deleg_evidence(r, s, a);
				deleg_msg(r, "%s serves '%s'", s->srv[v].label, got);
			}
		}
	}
	if (seen == 0) {
		r->result = SSR_DELEG_ERROR;
		deleg_msg(r, "no name server answered the NS query authoritatively");
	} else if (bad == 0) {
		deleg_msg(r, "every server's NS set is the delegation's: %s", want);
	} else {
		r->result = SSR_DELEG_FAIL;
	}
	return SSR_EOK;
}

/* Per server: the SOA over UDP equals the SOA over TCP (RST consistent resolution). */
static int r_transports(const deleg_survey_t *s, const ssr_regress_case_t *c, ssr_deleg_check_t *r,
                        ssr_diag_t *d)
{
	(void)c, (void)d;
	unsigned pairs = 0, bad = 0;
	for (unsigned src = 0; src < s->nsrc; src++) {
		for (size_t v = 0; v < s->nsrv; v++) {
			const deleg_ans_t *u = deleg_ans(s, src, v, 0, DELEG_Q_SOA);
			const deleg_ans_t *t = deleg_ans(s, src, v, 1, DELEG_Q_SOA);
			soa_t a, b;
			if (!deleg_auth(u) || !deleg_auth(t) || !soa_of(s, u, &a) ||
			    !soa_of(s, t, &b)) {
				continue;
			}
			pairs++;
			if (a.serial != b.serial || a.refresh != b.refresh || a.retry != b.retry ||
			    a.expire != b.expire || a.minimum != b.minimum ||
			    strcmp(a.mname, b.mname) != 0 || strcmp(a.rname, b.rname) != 0) {
				bad++;
				deleg_evidence(r, s, u);
				deleg_evidence(r, s, t);
				deleg_msg(r, "%s: serial %u over UDP, %u over TCP", s->srv[v].label,
				          a.serial, b.serial);
			}
		}
	}
	if (pairs == 0) {
		r->result = SSR_DELEG_ERROR;
		deleg_msg(r, "no server answered authoritatively over both UDP and TCP");
	} else {
		r->result = bad ? SSR_DELEG_FAIL : SSR_DELEG_PASS;
		if (!bad) {
			deleg_msg(r, "%u servers answer the same SOA over UDP and TCP", pairs);
		}
	}
	return SSR_EOK;
}

/* ---- the delegation itself --------------------------------------------------------------- */

static int r_ns_count(const deleg_survey_t *s, const ssr_regress_case_t *c, ssr_deleg_check_t *r,
                      ssr_diag_t *d)
{
	(void)d;
	long min = 2;
	if (c->param[0] != '\0') {
		char *end;
		min = strtol(c->param, &end, 10);
		if (*end != '\0' || min < 1 || min > SSR_DELEG_MAX_NS) {
			return ssr_diag_set(d, SSR_EINVAL,
			                    "delegation: check '%s': param '%s' is no count", c->id,
			                    c->param);
		}
	}
	r->result = s->ch.nns >= (unsigned)min ? SSR_DELEG_PASS : SSR_DELEG_FAIL;
	deleg_msg(r, "%u name servers, at least %ld required", s->ch.nns, min);
	return SSR_EOK;
}

/* RFC 1123 2.1 host name: letters, digits, hyphens; no label starts or ends with a hyphen;
 * labels of 1..63; the top label not all digits.  Why not into why. */
static bool host_ok(const char *name, char *why, size_t cap)
{
	size_t n = strlen(name);
	if (n > 254) {
		snprintf(why, cap, "longer than 253 characters");
		return false;
	}
	const char *lab = name, *last = name;
	for (const char *p = name;; p++) {
		if (*p == '.' || *p == '\0') {
			size_t l = (size_t)(p - lab);
			if (l == 0 && *p == '\0') {
				break; /* the root after the final dot */
			}
			if (l == 0 || l > 63) {
				snprintf(why, cap, "a label of %zu characters", l);
				return false;
			}
			if (lab[0] == '-' || lab[l - 1] == '-') {
				snprintf(why, cap, "label '%.*s' starts or ends with a hyphen",
				         (int)l, lab);
				return false;
			}
			last = lab;
			if (*p == '\0') {
				break;
			}
			lab = p + 1;
			continue;
		}
		if (!isalnum((unsigned char)*p) && *p != '-') {
			snprintf(why, cap, "character '%c' is not a letter, digit or hyphen", *p);
			return false;
		}
	}
	bool digits = true;
	for (const char *p = last; *p && *p != '.'; p++) {
		digits &= isdigit((unsigned char)*p) != 0;
	}
	if (digits && strcmp(name, ".") != 0) {
		snprintf(why, cap, "the top-level label is all digits");
		return false;
	}
	return true;
}

static int r_ns_hostname(const deleg_survey_t *s, const ssr_regress_case_t *c, ssr_deleg_check_t *r,
                         ssr_diag_t *d)
{
	(void)c, (void)d;
	r->result = SSR_DELEG_PASS;
	for (unsigned i = 0; i < s->ch.nns; i++) {
		char why[128];
		if (!host_ok(s->ch.ns[i].name, why, sizeof why)) {
			r->result = SSR_DELEG_FAIL;
			deleg_msg(r, "'%s': %s", s->ch.ns[i].name, why);
		}
	}
	if (r->result == SSR_DELEG_PASS) {
		deleg_msg(r, "%u name server names are valid host names", s->ch.nns);
	}
	return SSR_EOK;
}

static int r_zone_name(const deleg_survey_t *s, const ssr_regress_case_t *c, ssr_deleg_check_t *r,
                       ssr_diag_t *d)
{
	(void)c, (void)d;
	char why[128];
	bool ok = host_ok(s->ch.zone, why, sizeof why);
	r->result = ok ? SSR_DELEG_PASS : SSR_DELEG_FAIL;
	deleg_msg(r, ok ? "'%s' is a valid host name" : "'%s': %s", s->ch.zone, why);
	return SSR_EOK;
}

static int r_ns_addresses(const deleg_survey_t *s, const ssr_regress_case_t *c,
                          ssr_deleg_check_t *r, ssr_diag_t *d)
{
	(void)c, (void)d;
	r->result = SSR_DELEG_PASS;
	for (unsigned i = 0; i < s->ch.nns; i++) {
		const ssr_deleg_ns_t *ns = &s->ch.ns[i];
		if (ns->naddr == 0) {
			r->result = SSR_DELEG_FAIL;
			deleg_msg(r,
			          s->o->resolver
			              ? "'%s' has no address (the resolver found none)"
			              : "'%s' has no address (none given, and no resolver "
			                "to look it up)",
			          ns->name);
		} else if (!ns->given && deleg_in_zone(ns->name, s->ch.zone)) {
			r->result = SSR_DELEG_FAIL;
			deleg_msg(r, "'%s' is in the zone and needs glue addresses", ns->name);
		}
	}
	if (r->result == SSR_DELEG_PASS) {
		deleg_msg(r, "every name server has an address; in-zone ones have glue");
	}
	return SSR_EOK;
}

static bool addr_equal(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
	if (a->ss_family != b->ss_family) {
		return false;
	}
	if (a->ss_family == AF_INET) {
		return memcmp(&((const struct sockaddr_in *)a)->sin_addr,
		              &((const struct sockaddr_in *)b)->sin_addr, 4) == 0;
	}
	return memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr,
	              &((const struct sockaddr_in6 *)b)->sin6_addr, 16) == 0;
}

static void addr_text(const struct sockaddr_storage *a, char *out, size_t cap)
{
	const void *p = a->ss_family == AF_INET
	                    ? (const void *)&((const struct sockaddr_in *)a)->sin_addr
	                    : (const void *)&((const struct sockaddr_in6 *)a)->sin6_addr;
	if (inet_ntop(a->ss_family, p, out, (socklen_t)cap) == NULL) {
		snprintf(out, cap, "?");
	}
}

static int r_addr_distinct(const deleg_survey_t *s, const ssr_regress_case_t *c,
                           ssr_deleg_check_t *r, ssr_diag_t *d)
{
	(void)c, (void)d;
	r->result = SSR_DELEG_PASS;
	unsigned distinct = 0;
	for (unsigned i = 0; i < s->ch.nns; i++) {
		for (unsigned k = 0; k < s->ch.ns[i].naddr; k++) {
			bool first = true;
			for (unsigned j = 0; j <= i; j++) {
				for (unsigned m = 0; m < s->ch.ns[j].naddr && (j < i || m < k);
				     m++) {
					if (addr_equal(&s->ch.ns[i].addr[k],
					               &s->ch.ns[j].addr[m])) {
						first = false;
						if (j != i) {
							char a[64];
							addr_text(&s->ch.ns[i].addr[k], a,
							          sizeof a);
							r->result = SSR_DELEG_FAIL;
							deleg_msg(r, "'%s' and '%s' share %s",
							          s->ch.ns[j].name,
							          s->ch.ns[i].name, a);
						}
					}
				}
			}
			distinct += first;
		}
	}
	if (distinct < 2) {
		r->result = SSR_DELEG_FAIL;
		deleg_msg(r, "%u distinct address%s: at least two required", distinct,
		          distinct == 1 ? "" : "es");
	} else if (r->result == SSR_DELEG_PASS) {
		deleg_msg(r, "%u distinct addresses", distinct);
	}
	return SSR_EOK;
}

/* An address in the IANA special-purpose registries (RFC 6890 and successors) that is not
 * globally reachable; its name into what. */
static bool addr_special(const struct sockaddr_storage *a, const char **what)
{
	if (a->ss_family == AF_INET) {
		const uint8_t *b = (const uint8_t *)&((const struct sockaddr_in *)a)->sin_addr;
		static const struct {
			uint8_t p[4];
			unsigned bits;
			const char *what;
		} v4[] = {{{0, 0, 0, 0}, 8, "this network (0.0.0.0/8)"},
		          {{10, 0, 0, 0}, 8, "private (10.0.0.0/8)"},
		          {{100, 64, 0, 0}, 10, "shared address space (100.64.0.0/10)"},
		          {{127, 0, 0, 0}, 8, "loopback (127.0.0.0/8)"},
		          {{169, 254, 0, 0}, 16, "link local (169.254.0.0/16)"},
		          {{172, 16, 0, 0}, 12, "private (172.16.0.0/12)"},
		          {{192, 0, 0, 0}, 24, "IETF protocol assignments (192.0.0.0/24)"},
		          {{192, 0, 2, 0}, 24, "documentation (192.0.2.0/24)"},
		          {{192, 168, 0, 0}, 16, "private (192.168.0.0/16)"},
		          {{198, 18, 0, 0}, 15, "benchmarking (198.18.0.0/15)"},
		          {{198, 51, 100, 0}, 24, "documentation (198.51.100.0/24)"},
		          {{203, 0, 113, 0}, 24, "documentation (203.0.113.0/24)"},
		          {{224, 0, 0, 0}, 4, "multicast (224.0.0.0/4)"},
		          {{240, 0, 0, 0}, 4, "reserved (240.0.0.0/4)"}};
		uint32_t x =
		    (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
		for (size_t i = 0; i < sizeof v4 / sizeof v4[0]; i++) {
			uint32_t p = (uint32_t)v4[i].p[0] << 24 | (uint32_t)v4[i].p[1] << 16 |
			             (uint32_t)v4[i].p[2] << 8 | v4[i].p[3];
			uint32_t m = 0xffffffffu << (32 - v4[i].bits);
			if ((x & m) == p) {
				*what = v4[i].what;
				return true;
			}
		}
		return false;
	}
	const uint8_t *b = ((const struct sockaddr_in6 *)a)->sin6_addr.s6_addr;
	static const uint8_t zero[16] = {0};
	if (memcmp(b, zero, 15) == 0 && b[15] <= 1) {
		*what = b[15] ? "loopback (::1/128)" : "unspecified (::/128)";
		return true;
	}
	if (memcmp(b, zero, 10) == 0 && b[10] == 0xff && b[11] == 0xff) {
		*what = "IPv4-mapped (::ffff:0:0/96)";
		return true;
	}
	if ((b[0] & 0xfe) == 0xfc) {
		*what = "unique local (fc00::/7)";
		return true;
	}
	if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) {
		*what = "link local (fe80::/10)";
		return true;
	}
	if (b[0] == 0xff) {
		*what = "multicast (ff00::/8)";
		return true;
	}
	if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8) {
		*what = "documentation (2001:db8::/32)";
		return true;
	}
	if (b[0] == 0x01 && memcmp(b + 1, zero, 7) == 0) {
		*what = "discard only (100::/64)";
		return true;
	}
	return false;
}

static int r_addr_public(const deleg_survey_t *s, const ssr_regress_case_t *c, ssr_deleg_check_t *r,
                         ssr_diag_t *d)
{
	(void)c, (void)d;
	unsigned special = 0;
	for (unsigned i = 0; i < s->ch.nns; i++) {
		for (unsigned k = 0; k < s->ch.ns[i].naddr; k++) {
			const char *what;
			if (addr_special(&s->ch.ns[i].addr[k], &what)) {
				char a[64];
				addr_text(&s->ch.ns[i].addr[k], a, sizeof a);
				special++;
				deleg_msg(r, "'%s' %s is %s", s->ch.ns[i].name, a, what);
			}
		}
	}
	if (special == 0) {
		r->result = SSR_DELEG_PASS;
		deleg_msg(r, "every address is globally reachable");
	} else if (s->o->allow_private) {
		r->result = SSR_DELEG_PASS;
		deleg_msg(r, "%u special-purpose address%s allowed (--allow-private)", special,
		          special == 1 ? "" : "es");
	} else {
		r->result = SSR_DELEG_FAIL;
	}
	return SSR_EOK;
}

/* The in-zone name servers' addresses in the child equal the glue of the delegation. */
static int r_glue(const deleg_survey_t *s, const ssr_regress_case_t *c, ssr_deleg_check_t *r,
                  ssr_diag_t *d)
{
	(void)c, (void)d;
	unsigned compared = 0, inzone = 0;
	for (unsigned n = 0; n < s->ch.nns; n++) {
		const ssr_deleg_ns_t *ns = &s->ch.ns[n];
		if (!deleg_in_zone(ns->name, s->ch.zone) || !ns->given) {
			continue;
		}
		inzone++;
		uint8_t owner[KNOT_DNAME_MAXLEN];
		if (knot_dname_from_str(owner, ns->name, sizeof owner) == NULL) {
			continue;
		}
		knot_dname_to_lower(owner);
		for (unsigned src = 0; src < s->nsrc; src++) {
			for (size_t v = 0; v < s->nsrv; v++) {
				for (unsigned f = 0; f < 2; f++) {
					const deleg_ans_t *a = deleg_glue(s, src, v, n, f);
					deleg_rrset_t rs;
					if (!deleg_auth(a) ||
					    deleg_rrset(a, 1, owner,
					                f ? KNOT_RRTYPE_AAAA : KNOT_RRTYPE_A, 0,
					                &rs) != SSR_EOK) {
						continue;
					}
					compared++;
					/* the glue of that family, as a set */
					unsigned want = 0, found = 0;
					int fam = f ? AF_INET6 : AF_INET;
					for (unsigned k = 0; k < ns->naddr; k++) {
						if (ns->addr[k].ss_family != fam) {
							continue;
						}
						want++;
						const uint8_t *ab =
						    fam == AF_INET
						        ? (const uint8_t *)&(
						              (const struct sockaddr_in *)&ns
						                  ->addr[k])
						              ->sin_addr
						        : ((const struct sockaddr_in6 *)&ns
						               ->addr[k])
						              ->sin6_addr.s6_addr;
						for (size_t j = 0; j < rs.n; j++) {
							found +=
							    rs.len[j] == (f ? 16 : 4) &&
							    memcmp(rs.rd[j], ab, rs.len[j]) == 0;
						}
					}
					if (found != want || rs.n != want) {
						char got[256] = "";
						size_t l = 0;
						for (size_t j = 0; j < rs.n && l + 48 < sizeof got;
						     j++) {
							char t[64] = "?";
							if (rs.len[j] == (f ? 16 : 4)) {
								inet_ntop(fam, rs.rd[j], t,
								          sizeof t);
							}
							l += (size_t)snprintf(
							    got + l, sizeof got - l, "%s%s",
							    j ? " " : "", t);
						}
						r->result = SSR_DELEG_FAIL;
						deleg_evidence(r, s, a);
						deleg_msg(
						    r,
						    "%s serves %s %s '%s', the delegation's glue "
						    "has %u address%s of that family",
						    s->srv[v].label, ns->name, f ? "AAAA" : "A",
						    got, want, want == 1 ? "" : "es");
					}
					deleg_rrset_release(&rs);
				}
			}
		}
	}
	if (inzone == 0) {
		r->result = SSR_DELEG_PASS;
		deleg_msg(r, "no in-zone name servers: no glue to compare");
	} else if (compared == 0) {
		r->result = SSR_DELEG_ERROR;
		deleg_msg(r, "no server answered the address queries for the in-zone name servers "
		             "authoritatively");
	} else if (r->result == SSR_DELEG_PASS) {
		deleg_msg(r, "the glue of %u in-zone name servers equals the zone's addresses",
		          inzone);
	}
	return SSR_EOK;
}

/* At least two networks: IPv4 /24, IPv6 /48. */
static int r_prefixes(const deleg_survey_t *s, const ssr_regress_case_t *c, ssr_deleg_check_t *r,
                      ssr_diag_t *d)
{
	(void)c, (void)d;
	char seen[64][64];
	unsigned n = 0, addrs = 0;
	for (unsigned i = 0; i < s->ch.nns; i++) {
		for (unsigned k = 0; k < s->ch.ns[i].naddr; k++) {
			const struct sockaddr_storage *a = &s->ch.ns[i].addr[k];
			char p[64];
			if (a->ss_family == AF_INET) {
				const uint8_t *b =
				    (const uint8_t *)&((const struct sockaddr_in *)a)->sin_addr;
				snprintf(p, sizeof p, "%u.%u.%u.0/24", b[0], b[1], b[2]);
			} else {
				const uint8_t *b =
				    ((const struct sockaddr_in6 *)a)->sin6_addr.s6_addr;
				snprintf(p, sizeof p, "%02x%02x:%02x%02x:%02x%02x::/48", b[0], b[1],
				         b[2], b[3], b[4], b[5]);
			}
			addrs++;
			bool dup = false;
			for (unsigned j = 0; j < n; j++) {
				dup |= strcmp(seen[j], p) == 0;
			}
			if (!dup && n < 64) {
				snprintf(seen[n++], sizeof seen[0], "%s", p);
			}
		}
	}
	r->result = n >= 2 ? SSR_DELEG_PASS : SSR_DELEG_FAIL;
	char list[600] = "";
	for (unsigned j = 0, l = 0; j < n && l + 4 < sizeof list; j++) {
		l += (unsigned)snprintf(list + l, sizeof list - l, "%s%s", j ? ", " : "", seen[j]);
	}
	deleg_msg(r, "%u address%s in %u network%s: %s", addrs, addrs == 1 ? "" : "es", n,
	          n == 1 ? "" : "s", list);
	return SSR_EOK;
}

/* AS diversity from a table of "PREFIX/LEN ASN" lines (longest prefix wins). */
static int r_asns(const deleg_survey_t *s, const ssr_regress_case_t *c, ssr_deleg_check_t *r,
                  ssr_diag_t *d)
{
	(void)c;
	if (s->o->asn_table == NULL) {
		r->result = SSR_DELEG_SKIP;
		deleg_msg(r, "no AS table given (--asn-table): AS diversity not judged");
		return SSR_EOK;
	}
	FILE *f = fopen(s->o->asn_table, "r");
	if (f == NULL) {
		return ssr_diag_set(d, errno == ENOENT ? SSR_ENOTFOUND : SSR_EIO,
		                    "asn table '%s': cannot open: %s", s->o->asn_table,
		                    strerror(errno));
	}
	unsigned nsaddr = 0;
	for (unsigned i = 0; i < s->ch.nns; i++) {
		nsaddr += s->ch.ns[i].naddr;
	}
	unsigned *best_len = calloc(nsaddr ? nsaddr : 1, sizeof(unsigned));
	unsigned long *asn = calloc(nsaddr ? nsaddr : 1, sizeof(unsigned long));
	int *have = calloc(nsaddr ? nsaddr : 1, sizeof(int));
	int rc = best_len && asn && have ? SSR_EOK : SSR_ENOMEM;
	if (rc != SSR_EOK) {
		rc = ssr_diag_set(d, rc, "delegation: out of memory");
	}
	char line[256];
	unsigned long ln = 0;
	while (rc == SSR_EOK && fgets(line, sizeof line, f) != NULL) {
		ln++;
		char pfx[64], *slash, *end;
		unsigned long a;
		if (line[0] == '#' || line[0] == '\n') {
			continue;
		}
		int got = sscanf(line, "%63s %lu", pfx, &a);
		slash = got == 2 ? strchr(pfx, '/') : NULL;
		unsigned long bits = slash ? strtoul(slash + 1, &end, 10) : 0;
		uint8_t net[16];
		int fam = slash && strchr(pfx, ':') ? AF_INET6 : AF_INET;
		if (slash != NULL) {
			*slash = '\0';
		}
		if (slash == NULL || *end != '\0' || bits > (fam == AF_INET ? 32u : 128u) ||
		    inet_pton(fam, pfx, net) != 1) {
			rc = ssr_diag_set(d, SSR_EPARSE,
			                  "asn table '%s' line %lu: not 'PREFIX/LEN ASN'",
			                  s->o->asn_table, ln);
			break;
		}
		unsigned idx = 0;
		for (unsigned i = 0; i < s->ch.nns; i++) {
			for (unsigned k = 0; k < s->ch.ns[i].naddr; k++, idx++) {
				const struct sockaddr_storage *sa = &s->ch.ns[i].addr[k];
				if (sa->ss_family != fam) {
					continue;
				}
				const uint8_t *b =
				    fam == AF_INET
				        ? (const uint8_t *)&((const struct sockaddr_in *)sa)
				              ->sin_addr
				        : ((const struct sockaddr_in6 *)sa)->sin6_addr.s6_addr;
				bool in = true;
				for (unsigned bit = 0; in && bit < bits; bit++) {
					in = ((b[bit / 8] ^ net[bit / 8]) & (0x80 >> (bit % 8))) ==
					     0;
				}
				if (in && (!have[idx] || bits >= best_len[idx])) {
					have[idx] = 1;
					best_len[idx] = (unsigned)bits;
					asn[idx] = a;
				}
			}
		}
	}
	fclose(f);
	if (rc == SSR_EOK) {
		unsigned long seen[64];
		unsigned n = 0, unknown = 0;
		for (unsigned i = 0; i < nsaddr; i++) {
			if (!have[i]) {
				unknown++;
				continue;
			}
			bool dup = false;
			for (unsigned j = 0; j < n; j++) {
				dup |= seen[j] == asn[i];
			}
			if (!dup && n < 64) {
				seen[n++] = asn[i];
			}
		}
		r->result = n >= 2 ? SSR_DELEG_PASS : unknown ? SSR_DELEG_ERROR : SSR_DELEG_FAIL;
		char list[600] = "";
		for (unsigned j = 0, l = 0; j < n && l + 4 < sizeof list; j++) {
			l += (unsigned)snprintf(list + l, sizeof list - l, "%sAS%lu", j ? ", " : "",
			                        seen[j]);
		}
		deleg_msg(r, "%u AS%s: %s", n, n == 1 ? "" : "es", list);
		if (unknown) {
			deleg_msg(r, "%u address%s not in the table", unknown,
			          unknown == 1 ? "" : "es");
		}
	}
	free(best_len);
	free(asn);
	free(have);
	return rc;
}

/* A referral to the zone with every name server and its glue fits 512 bytes (no EDNS). */
static int r_referral(const deleg_survey_t *s, const ssr_regress_case_t *c, ssr_deleg_check_t *r,
                      ssr_diag_t *d)
{
	(void)c, (void)d;
	size_t zl = knot_dname_size(s->apex);
	/* the question: a name of the longest label under the zone (RFC 1035 limits) */
	size_t ql = zl + 64 > 255 ? 255 : zl + 64;
	size_t size = 12 + ql + 4;
	for (unsigned i = 0; i < s->ch.nns; i++) {
		/* NS: the owner compressed to the zone (2), type class ttl rdlen (10), the name
		 * compressed against the zone when under it */
		size_t nl = strlen(s->ch.ns[i].name);
		size_t rd = deleg_in_zone(s->ch.ns[i].name, s->ch.zone)
		                ? nl - strlen(s->ch.zone) + 2
		                : nl + 1;
		size += 2 + 10 + rd;
		if (deleg_in_zone(s->ch.ns[i].name, s->ch.zone)) {
			for (unsigned k = 0; k < s->ch.ns[i].naddr; k++) {
				size +=
				    2 + 10 + (s->ch.ns[i].addr[k].ss_family == AF_INET ? 4 : 16);
			}
		}
	}
	r->result = size <= 512 ? SSR_DELEG_PASS : SSR_DELEG_FAIL;
	deleg_msg(r, "a referral with every name server and its glue is %zu bytes (limit 512)",
	          size);
	return SSR_EOK;
}

/* SOA values in the usual ranges (Zonemaster Zone02-05, DENIC NAST). */
static int r_soa_values(const deleg_survey_t *s, const ssr_regress_case_t *c, ssr_deleg_check_t *r,
                        ssr_diag_t *d)
{
	(void)c, (void)d;
	for (unsigned src = 0; src < s->nsrc; src++) {
		for (size_t v = 0; v < s->nsrv; v++) {
			const deleg_ans_t *a = deleg_ans(s, src, v, 0, DELEG_Q_SOA);
			soa_t o;
			if (!deleg_auth(a) || !soa_of(s, a, &o)) {
				continue;
			}
			deleg_evidence(r, s, a);
			r->result = SSR_DELEG_PASS;
			if (o.refresh < 14400) {
				r->result = SSR_DELEG_FAIL;
				deleg_msg(r, "refresh %u under 14400", o.refresh);
			}
			if (o.retry < 3600 || o.retry >= o.refresh) {
				r->result = SSR_DELEG_FAIL;
				deleg_msg(r, "retry %u under 3600 or not under refresh %u", o.retry,
				          o.refresh);
			}
			if (o.expire < 604800 || o.expire < 7ull * o.refresh) {
				r->result = SSR_DELEG_FAIL;
				deleg_msg(r, "expire %u under 604800 or under 7 x refresh",
				          o.expire);
			}
			if (o.minimum < 300 || o.minimum > 86400) {
				r->result = SSR_DELEG_FAIL;
				deleg_msg(r, "minimum %u outside 300..86400", o.minimum);
			}
			if (r->result == SSR_DELEG_PASS) {
				deleg_msg(
				    r,
				    "refresh %u retry %u expire %u minimum %u (from %s) in range",
				    o.refresh, o.retry, o.expire, o.minimum, s->srv[v].label);
			}
			return SSR_EOK;
		}
	}
	r->result = SSR_DELEG_ERROR;
	deleg_msg(r, "no server answered the SOA query authoritatively");
	return SSR_EOK;
}

/* ---- DNSSEC ----------------------------------------------------------------------------- */

static bool alg_ok(unsigned alg)
{
	return alg == 8 || alg == 10 || alg == 13 || alg == 14 || alg == 15 || alg == 16;
}

static int r_ds_digest(const deleg_survey_t *s, const ssr_regress_case_t *c, ssr_deleg_check_t *r,
                       ssr_diag_t *d)
{
	(void)c, (void)d;
	if (s->ch.nds == 0) {
		r->result = SSR_DELEG_SKIP;
		deleg_msg(r, "no DS records in the change");
		return SSR_EOK;
	}
	r->result = SSR_DELEG_PASS;
	for (unsigned i = 0; i < s->ch.nds; i++) {
		const ssr_deleg_ds_t *ds = &s->ch.ds[i];
		if (ds->digest_type != 2 && ds->digest_type != 4) {
			r->result = SSR_DELEG_FAIL;
			deleg_msg(
			    r, "DS %u: digest type %u (%s) is not allowed (2 SHA-256, 4 SHA-384)",
			    ds->tag, ds->digest_type,
			    ds->digest_type == 1   ? "SHA-1"
			    : ds->digest_type == 3 ? "GOST R 34.11-94"
			                           : "unassigned");
		} else if ((ds->digest_type == 2 && ds->len != 32) ||
		           (ds->digest_type == 4 && ds->len != 48)) {
			r->result = SSR_DELEG_FAIL;
			deleg_msg(r, "DS %u: a digest of %u bytes for digest type %u", ds->tag,
			          ds->len, ds->digest_type);
		}
	}
	if (r->result == SSR_DELEG_PASS) {
		deleg_msg(r, "%u DS records with SHA-256 or SHA-384 digests", s->ch.nds);
	}
	return SSR_EOK;
}

/* The DNSKEY RRset one server answered (UDP, DO), canonical. */
static bool keys_of(const deleg_survey_t *s, unsigned src, size_t v, deleg_rrset_t *keys,
                    const deleg_ans_t **a)
{
	*a = deleg_ans(s, src, v, 0, DELEG_Q_DNSKEY);
	if (!deleg_auth(*a) ||
	    deleg_rrset(*a, 1, s->apex, KNOT_RRTYPE_DNSKEY, 0, keys) != SSR_EOK) {
		return false;
	}
	return true;
}

static int r_algorithm(const deleg_survey_t *s, const ssr_regress_case_t *c, ssr_deleg_check_t *r,
                       ssr_diag_t *d)
{
	(void)c, (void)d;
	unsigned nkeys = 0;
	r->result = SSR_DELEG_PASS;
	for (unsigned i = 0; i < s->ch.nds; i++) {
		if (!alg_ok(s->ch.ds[i].alg)) {
			r->result = SSR_DELEG_FAIL;
			deleg_msg(r, "DS %u: algorithm %u not allowed", s->ch.ds[i].tag,
			          s->ch.ds[i].alg);
		}
	}
	unsigned bad[256] = {0};
	for (unsigned src = 0; src < s->nsrc; src++) {
		for (size_t v = 0; v < s->nsrv; v++) {
			deleg_rrset_t k;
			const deleg_ans_t *a;
			if (!keys_of(s, src, v, &k, &a)) {
				continue;
			}
			for (size_t i = 0; i < k.n; i++) {
				nkeys++;
				if (k.len[i] >= 4 && !alg_ok(k.rd[i][3]) &&
				    bad[k.rd[i][3]]++ == 0) {
					r->result = SSR_DELEG_FAIL;
					deleg_evidence(r, s, a);
					deleg_msg(r, "DNSKEY algorithm %u (from %s) not allowed",
					          k.rd[i][3], s->srv[v].label);
				}
			}
			deleg_rrset_release(&k);
		}
	}
	if (nkeys == 0 && s->ch.nds == 0) {
		r->result = SSR_DELEG_SKIP;
		deleg_msg(r, "neither DS nor DNSKEY records: the zone is not signed");
	} else if (r->result == SSR_DELEG_PASS) {
		deleg_msg(r, "every algorithm is one of 8, 10, 13, 14, 15, 16");
	}
	return SSR_EOK;
}

/* DS records that match one of keys: a bit per DS; *unknown those of digest types that cannot
 * be computed. */
static unsigned ds_matching(const deleg_survey_t *s, const deleg_rrset_t *k, bool *match,
                            unsigned *unknown)
{
	unsigned n = 0;
	*unknown = 0;
	for (unsigned i = 0; i < s->ch.nds; i++) {
		const ssr_deleg_ds_t *ds = &s->ch.ds[i];
		match[i] = false;
		for (size_t j = 0; j < k->n && !match[i]; j++) {
			ssr_zmem_rdata_t key = {k->rd[j], k->len[j]};
			int m = ssr_zmem_ds_matches(s->apex, ds->tag, ds->alg, ds->digest_type,
			                            ds->digest, ds->len, &key);
			if (m < 0) {
				(*unknown)++;
				break;
			}
			match[i] = m == 1;
		}
		n += match[i];
	}
	return n;
}

static int r_ds_match(const deleg_survey_t *s, const ssr_regress_case_t *c, ssr_deleg_check_t *r,
                      ssr_diag_t *d)
{
	(void)c, (void)d;
	if (s->ch.nds == 0) {
		r->result = SSR_DELEG_SKIP;
		deleg_msg(r, "no DS records in the change");
		return SSR_EOK;
	}
	unsigned seen = 0;
	bool reported[SSR_DELEG_MAX_DS] = {false};
	r->result = SSR_DELEG_PASS;
	for (unsigned src = 0; src < s->nsrc; src++) {
		for (size_t v = 0; v < s->nsrv; v++) {
			deleg_rrset_t k;
			const deleg_ans_t *a;
			if (!keys_of(s, src, v, &k, &a)) {
				continue;
			}
			seen++;
			bool m[SSR_DELEG_MAX_DS];
			unsigned unknown;
			ds_matching(s, &k, m, &unknown);
			for (unsigned i = 0; i < s->ch.nds; i++) {
				if (!m[i] && !reported[i]) {
					reported[i] = true;
					r->result = SSR_DELEG_FAIL;
					deleg_evidence(r, s, a);
					deleg_msg(r, "DS %u %u %u matches no DNSKEY %s%s",
					          s->ch.ds[i].tag, s->ch.ds[i].alg,
					          s->ch.ds[i].digest_type,
					          k.n ? "served by " : "(none served by ",
					          s->srv[v].label);
					if (k.n == 0) {
						deleg_msg(r, "no keys)");
					}
				}
			}
			deleg_rrset_release(&k);
		}
	}
	if (seen == 0) {
		r->result = SSR_DELEG_ERROR;
		deleg_msg(r, "no server answered the DNSKEY query authoritatively");
	} else if (r->result == SSR_DELEG_PASS) {
		deleg_msg(r, "every DS matches a DNSKEY on %u answers", seen);
	}
	return SSR_EOK;
}

/* RRset type at the apex signed by one of signers (all keys when NULL) on every server. */
static int signed_by(const deleg_survey_t *s, ssr_deleg_check_t *r, unsigned q, uint16_t type,
                     bool ds_keys)
{
	if (s->ch.nds == 0) {
		r->result = SSR_DELEG_SKIP;
		deleg_msg(r, "no DS records in the change");
		return SSR_EOK;
	}
	unsigned seen = 0, bad = 0;
	for (unsigned src = 0; src < s->nsrc; src++) {
		for (size_t v = 0; v < s->nsrv; v++) {
			deleg_rrset_t k, set, sig;
			const deleg_ans_t *ka;
			if (!keys_of(s, src, v, &k, &ka)) {
				continue;
			}
			const deleg_ans_t *a = deleg_ans(s, src, v, 0, q);
			if (!deleg_auth(a) ||
			    deleg_rrset(a, 1, s->apex, type, 0, &set) != SSR_EOK) {
				deleg_rrset_release(&k);
				continue;
			}
			if (deleg_rrset(a, 1, s->apex, KNOT_RRTYPE_RRSIG, type, &sig) != SSR_EOK) {
				sig.n = 0;
			}
			seen++;
			/* the signing keys: those a DS matches, or every key */
			ssr_zmem_rdata_t keys[DELEG_RR_MAX], rd[DELEG_RR_MAX];
			size_t nk = 0;
			for (size_t j = 0; j < k.n; j++) {
				bool use = !ds_keys;
				for (unsigned i = 0; ds_keys && i < s->ch.nds && !use; i++) {
					ssr_zmem_rdata_t key = {k.rd[j], k.len[j]};
					const ssr_deleg_ds_t *ds = &s->ch.ds[i];
					use = ssr_zmem_ds_matches(s->apex, ds->tag, ds->alg,
					                          ds->digest_type, ds->digest,
					                          ds->len, &key) == 1;
				}
				if (use) {
					keys[nk++] = (ssr_zmem_rdata_t){k.rd[j], k.len[j]};
				}
			}
			for (size_t j = 0; j < set.n; j++) {
				rd[j] = (ssr_zmem_rdata_t){set.rd[j], set.len[j]};
			}
			bool ok = false;
			char why[200] = "no RRSIG";
			for (size_t j = 0; j < sig.n && !ok; j++) {
				ssr_diag_t dd;
				ok = ssr_zmem_verify_rrset(s->apex, type, rd, set.n, sig.rd[j],
				                           sig.len[j], keys, nk, s->now,
				                           &dd) == SSR_EOK;
				if (!ok) {
					snprintf(why, sizeof why, "%.199s", dd.msg);
				}
			}
			if (nk == 0) {
				snprintf(why, sizeof why, "no DNSKEY that a DS matches");
			}
			if (!ok) {
				bad++;
				deleg_evidence(r, s, a);
				deleg_msg(r, "%s: %s", s->srv[v].label, why);
			}
			deleg_rrset_release(&k);
			deleg_rrset_release(&set);
			deleg_rrset_release(&sig);
		}
	}
	if (seen == 0) {
		r->result = SSR_DELEG_ERROR;
		deleg_msg(r, "no server answered authoritatively with the RRset and the DNSKEYs");
	} else {
		r->result = bad ? SSR_DELEG_FAIL : SSR_DELEG_PASS;
		if (!bad) {
			deleg_msg(r, "valid signatures on %u answers", seen);
		}
	}
	return SSR_EOK;
}

static int r_dnskey_signed(const deleg_survey_t *s, const ssr_regress_case_t *c,
                           ssr_deleg_check_t *r, ssr_diag_t *d)
{
	(void)c, (void)d;
	return signed_by(s, r, DELEG_Q_DNSKEY, KNOT_RRTYPE_DNSKEY, true);
}

static int r_soa_signed(const deleg_survey_t *s, const ssr_regress_case_t *c, ssr_deleg_check_t *r,
                        ssr_diag_t *d)
{
	(void)c, (void)d;
	return signed_by(s, r, DELEG_Q_SOA, KNOT_RRTYPE_SOA, false);
}

/* NSEC3 with 0 iterations and no salt (RFC 9276; RST dnssec-93). */
static int r_nsec3(const deleg_survey_t *s, const ssr_regress_case_t *c, ssr_deleg_check_t *r,
                   ssr_diag_t *d)
{
	(void)c, (void)d;
	unsigned seen = 0, nsec3 = 0;
	r->result = SSR_DELEG_PASS;
	for (unsigned src = 0; src < s->nsrc; src++) {
		for (size_t v = 0; v < s->nsrv; v++) {
			const deleg_ans_t *a = deleg_ans(s, src, v, 0, DELEG_Q_NSEC3PARAM);
			deleg_rrset_t p;
			if (!deleg_auth(a) ||
			    deleg_rrset(a, 1, s->apex, KNOT_RRTYPE_NSEC3PARAM, 0, &p) != SSR_EOK) {
				continue;
			}
			seen++;
			for (size_t j = 0; j < p.n; j++) {
				if (p.len[j] < 5) {
					continue;
				}
				nsec3++;
				unsigned it = (unsigned)p.rd[j][2] << 8 | p.rd[j][3];
				unsigned salt = p.rd[j][4];
				if (it != 0 || salt != 0) {
					r->result = SSR_DELEG_FAIL;
					deleg_evidence(r, s, a);
					deleg_msg(
					    r,
					    "%s: NSEC3 with %u iterations and a salt of %u bytes",
					    s->srv[v].label, it, salt);
				}
			}
			deleg_rrset_release(&p);
		}
	}
	if (seen == 0) {
		r->result = s->ch.nds ? SSR_DELEG_ERROR : SSR_DELEG_SKIP;
		deleg_msg(r, "no server answered the NSEC3PARAM query authoritatively");
	} else if (r->result == SSR_DELEG_PASS) {
		deleg_msg(r, nsec3 ? "NSEC3 with 0 iterations and no salt"
		                   : "no NSEC3PARAM: NSEC or an unsigned zone");
	}
	return SSR_EOK;
}

static const struct {
	const char *name;
	deleg_rule_fn fn;
} rules[] = {
    {"ns-count", r_ns_count},
    {"ns-hostname", r_ns_hostname},
    {"zone-name", r_zone_name},
    {"ns-addresses", r_ns_addresses},
    {"address-distinct", r_addr_distinct},
    {"address-public", r_addr_public},
    {"prefix-diversity", r_prefixes},
    {"as-diversity", r_asns},
    {"referral-size", r_referral},
    {"soa-serial", r_consistent},
    {"soa-rname", r_consistent},
    {"soa-mname", r_consistent},
    {"soa-timers", r_consistent},
    {"soa-values", r_soa_values},
    {"ns-consistent", r_consistent},
    {"ns-match", r_ns_match},
    {"glue-consistent", r_glue},
    {"transport-consistent", r_transports},
    {"dnskey-consistent", r_consistent},
    {"ds-digest", r_ds_digest},
    {"algorithm", r_algorithm},
    {"ds-match", r_ds_match},
    {"dnskey-signed", r_dnskey_signed},
    {"soa-signed", r_soa_signed},
    {"nsec3-params", r_nsec3},
};

deleg_rule_fn deleg_rule(const char *name)
{
	for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
		if (strcmp(rules[i].name, name) == 0) {
			return rules[i].fn;
		}
	}
	return NULL;
}

bool ssr_deleg_rule_known(const char *name)
{
	return deleg_rule(name) != NULL || strcmp(name, "conformance") == 0;
}
