/* libescrow: ICANN RST v2.0 StandardRDE (rde-01 .. rde-15) over one streamed deposit.
 *
 * Objects are checked one at a time as the reader hands them over.  What needs the whole deposit
 * (uniqueness, references between objects, counts, URIs) is kept as sets of 64-bit hashes of the
 * names and ids (8 bytes per object and set, a hash collision would hide a duplicate or a dangling
 * reference with probability ~n^2/2^65), and references whose target was not yet seen are kept
 * with the strings needed to report them and resolved when the deposit ends. */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include "escrow_priv.h"
#include "ssrwatch/error.h"

#ifndef SSR_DATA_DIR
#define SSR_DATA_DIR "data"
#endif
#include "ssrwatch/date.h"
#include "ssrwatch/hash.h"

static uint64_t h64(const char *s)
{
	return ssr_u64set_key(s, strlen(s));
}

/* ---- the validation state ---- */

enum { T_REGISTRAR = 0, T_CONTACT, T_HOST, T_IDN, T_DOMAIN, T_NTARGETS };

typedef struct {
	uint64_t target; /* hash of the referenced id */
	uint8_t set;     /* T_* */
	uint16_t code;   /* index into the code table */
	uint64_t line;
	size_t subject, detail; /* offsets into the strings arena */
} ref_t;

typedef struct {
	const ssr_rde_opts_t *o;
	ssr_rde_result_t *r;
	const ssr_rde_code_t *codes;
	size_t ncodes;
	ssr_u64set_t sets[T_NTARGETS];
	ssr_u64set_t domain_roids, host_roids, contact_roids, nndn_names;
	ref_t *refs;
	size_t nrefs, cap_refs;
	char *strs;
	size_t nstrs, cap_strs;
	char tld[256]; /* lower case, no trailing dot */
	bool have_deposit;
	int64_t watermark;
	char *menu[SSR_ESCROW_MAX_LIST], *hdr[SSR_ESCROW_MAX_LIST];
	unsigned nmenu, nhdr;
	int64_t hdr_count[SSR_ESCROW_MAX_LIST];
	char **repo_ids, **rr_ids, **ext_uris;
	size_t nrepo_ids, nrr_ids, next_uris;
	bool policy_registrant;
	int rc; /* a fatal error from inside a callback (ENOMEM) */
	/* the TLD not known yet (no usable file name, no --tld, the header still to come): names
	 * are tallied by their last label and judged when the deposit ends */
	struct {
		char label[64];
		uint64_t domains, bare_hosts; /* domains; hosts without an address */
		uint64_t dline, hline;
		char dname[256], hname[256];
	} tally[16];
	unsigned ntally;
	uint64_t tally_over; /* names whose label found no room (judged not under the TLD) */
	const char *member;  /* the current document's name (member_buf) */
	char member_buf[260];
} val_t;

/* An object's name for messages ("domain 'a.example'"), made only when a message needs it. */
typedef struct {
	const char *kind, *name;
	char text[300];
	bool made;
} subj_t;

static const char *subj_text(subj_t *s)
{
	if (!s->made) {
		snprintf(s->text, sizeof s->text, "%s '%s'", s->kind, s->name ? s->name : "");
		s->made = true;
	}
	return s->text;
}

static int code_of(const char *code)
{
	int i = ssr_rde_code_index(code);
	return i < 0 ? 0 : i; /* every name used below is in the table (a unit test holds it) */
}

static void add_example(val_t *v, int ci, const char *member, uint64_t line, const char *subject,
                        const char *detail)
{
	ssr_rde_finding_t *f = &v->r->findings[ci];
	unsigned cap = v->o->examples ? v->o->examples : 5;
	if (f->count == 0) {
		v->r->codes++;
		if (v->codes[ci].severity == SSR_RDE_SEV_CRITICAL) {
			v->r->critical = true;
		}
	}
	f->count++;
	if (f->nexamples >= cap) {
		return;
	}
	if (!f->examples) {
		f->examples = calloc(cap, sizeof *f->examples);
		if (!f->examples) {
			v->rc = SSR_ENOMEM;
			return;
		}
	}
	ssr_rde_example_t *e = &f->examples[f->nexamples++];
	e->line = line;
	snprintf(e->member, sizeof e->member, "%s", member ? member : "");
	snprintf(e->subject, sizeof e->subject, "%s", subject ? subject : "");
	snprintf(e->detail, sizeof e->detail, "%s", detail ? detail : "");
}

static void raise_code(val_t *v, const char *code, uint64_t line, const char *subject,
                       const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void raise_code(val_t *v, const char *code, uint64_t line, const char *subject,
                       const char *fmt, ...)
{
	char detail[256] = "";
	if (fmt) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(detail, sizeof detail, fmt, ap);
		va_end(ap);
	}
	add_example(v, code_of(code), v->member, line, subject, detail);
}

static size_t keep_str(val_t *v, const char *s)
{
	size_t n = strlen(s) + 1;
	if (v->nstrs + n > v->cap_strs) {
		size_t nc = v->cap_strs ? v->cap_strs * 2 : 1 << 16;
		while (nc < v->nstrs + n) {
			nc *= 2;
		}
		char *ns = realloc(v->strs, nc);
		if (!ns) {
			v->rc = SSR_ENOMEM;
			return 0;
		}
		v->strs = ns;
		v->cap_strs = nc;
	}
	memcpy(v->strs + v->nstrs, s, n);
	size_t off = v->nstrs;
	v->nstrs += n;
	return off;
}

/* A reference from 'subject' to id in set t: resolved now when the target was seen, kept for the
 * end otherwise. */
static void ref(val_t *v, int t, const char *id, const char *code, uint64_t line, subj_t *subject,
                const char *what)
{
	if (!id || !*id) {
		return;
	}
	char lower[300];
	const char *key = id;
	if (t == T_HOST || t == T_DOMAIN) { /* names compare without case */
		size_t n = strlen(id);
		if (n >= sizeof lower) {
			n = sizeof lower - 1;
		}
		for (size_t i = 0; i < n; i++) {
			lower[i] = (char)tolower((unsigned char)id[i]);
		}
		lower[n] = '\0';
		key = lower;
	}
	uint64_t h = h64(key);
	if (ssr_u64set_has(&v->sets[t], h)) {
		return;
	}
	if (v->nrefs == v->cap_refs) {
		size_t nc = v->cap_refs ? v->cap_refs * 2 : 1024;
		ref_t *nr = realloc(v->refs, nc * sizeof *nr);
		if (!nr) {
			v->rc = SSR_ENOMEM;
			return;
		}
		v->refs = nr;
		v->cap_refs = nc;
	}
	char detail[300];
	snprintf(detail, sizeof detail, "%s '%s' is not in the deposit", what, id);
	ref_t *r = &v->refs[v->nrefs++];
	r->target = h;
	r->set = (uint8_t)t;
	r->code = (uint16_t)code_of(code);
	r->line = line;
	r->subject = keep_str(v, subj_text(subject));
	r->detail = keep_str(v, detail);
}

static bool is_ldh_label(const char *s, size_t n)
{
	if (n < 1 || n > 63 || s[0] == '-' || s[n - 1] == '-') {
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (!(isalnum(c) || c == '-')) {
			return false;
		}
	}
	/* R-LDH labels ("ab--") other than A-labels are reserved (RFC 5890) */
	if (n >= 4 && s[2] == '-' && s[3] == '-' && strncasecmp(s, "xn", 2) != 0) {
		return false;
	}
	return true;
}

/* A host name: LDH labels, 253 octets at most, at least two labels. */
static bool hostname_ok(const char *name)
{
	size_t n = strlen(name);
	if (n == 0 || n > 253) {
		return false;
	}
	if (name[n - 1] == '.') {
		n--;
	}
	size_t start = 0, labels = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i == n || name[i] == '.') {
			if (!is_ldh_label(name + start, i - start)) {
				return false;
			}
			labels++;
			start = i + 1;
		}
	}
	return labels >= 2;
}

/* name is below the deposit's TLD */
static bool under_tld(const val_t *v, const char *name)
{
	size_t n = strlen(name), t = strlen(v->tld);
	if (n && name[n - 1] == '.') {
		n--;
	}
	return t > 0 && n > t + 1 && name[n - t - 1] == '.' &&
	       strncasecmp(name + n - t, v->tld, t) == 0;
}

static const char *const domain_statuses[] = {"clientDeleteProhibited",
                                              "clientHold",
                                              "clientRenewProhibited",
                                              "clientTransferProhibited",
                                              "clientUpdateProhibited",
                                              "inactive",
                                              "ok",
                                              "pendingCreate",
                                              "pendingDelete",
                                              "pendingRenew",
                                              "pendingTransfer",
                                              "pendingUpdate",
                                              "serverDeleteProhibited",
                                              "serverHold",
                                              "serverRenewProhibited",
                                              "serverTransferProhibited",
                                              "serverUpdateProhibited",
                                              NULL};
static const char *const host_statuses[] = {"clientDeleteProhibited",
                                            "clientUpdateProhibited",
                                            "linked",
                                            "ok",
                                            "pendingCreate",
                                            "pendingDelete",
                                            "pendingTransfer",
                                            "pendingUpdate",
                                            "serverDeleteProhibited",
                                            "serverUpdateProhibited",
                                            NULL};

static bool in_list(const char *const *l, const char *s)
{
	for (; *l; l++) {
		if (strcmp(*l, s) == 0) {
			return true;
		}
	}
	return false;
}

/* Statuses: known values, none twice.  (RFC 5731 forbids "ok" with other values, but RFC 9022's
 * own example deposit combines them: not an RST finding.)  NULL when fine, else why. */
static const char *status_problem(const char *const *st, unsigned n, const char *const *known)
{
	for (unsigned i = 0; i < n; i++) {
		if (!st[i] || !in_list(known, st[i])) {
			return "an unknown status value";
		}
		for (unsigned j = 0; j < i; j++) {
			if (strcmp(st[i], st[j]) == 0) {
				return "a status value given twice";
			}
		}
	}
	return NULL;
}

static bool sorted_has(char **list, size_t n, const char *s)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(s, list[mid]);
		if (c == 0) {
			return true;
		}
		if (c < 0) {
			hi = mid;
		} else {
			lo = mid + 1;
		}
	}
	return false;
}

/* the roid rules of rde-07/08/09: *why set when bad */
static bool roid_ok(const val_t *v, const char *roid, char *why, size_t wl)
{
	const char *repo;
	if (!ssr_rde_roid_valid(roid, &repo)) {
		snprintf(why, wl, "roid '%s' is not of the RFC 5730 form", roid);
		return false;
	}
	if (v->repo_ids && !sorted_has(v->repo_ids, v->nrepo_ids, repo)) {
		snprintf(why, wl, "roid '%s': repository ID '%s' is not registered", roid, repo);
		return false;
	}
	return true;
}

static bool is_dt(const char *s, int64_t *t)
{
	return s && ssr_escrow_time_parse(s, t) == SSR_EOK;
}

static bool lower_copy(const char *s, char *out, size_t cap)
{
	size_t n = strlen(s);
	if (n >= cap) {
		return false;
	}
	for (size_t i = 0; i <= n; i++) {
		out[i] = (char)tolower((unsigned char)s[i]);
	}
	if (n && out[n - 1] == '.') {
		out[n - 1] = '\0';
	}
	return true;
}

static void check_rr(val_t *v, const char *id, const char *code, uint64_t line, subj_t *subj,
                     const char *what)
{
	ref(v, T_REGISTRAR, id, code, line, subj, what);
}

/* Tally a name whose TLD is not known yet (domain, or host without an address). */
static void tally(val_t *v, const char *lname, bool host, uint64_t line)
{
	const char *dot = strrchr(lname, '.');
	const char *label = dot ? dot + 1 : lname;
	unsigned i = 0;
	while (i < v->ntally && strcmp(v->tally[i].label, label) != 0) {
		i++;
	}
	if (i == v->ntally) {
		if (v->ntally == 16 || strlen(label) >= sizeof v->tally[0].label) {
			v->tally_over++;
			return;
		}
		memset(&v->tally[i], 0, sizeof v->tally[i]);
		snprintf(v->tally[i].label, sizeof v->tally[i].label, "%s", label);
		v->ntally++;
	}
	if (host) {
		if (!v->tally[i].bare_hosts++) {
			v->tally[i].hline = line;
			snprintf(v->tally[i].hname, sizeof v->tally[i].hname, "%.250s", lname);
		}
	} else if (!v->tally[i].domains++) {
		v->tally[i].dline = line;
		snprintf(v->tally[i].dname, sizeof v->tally[i].dname, "%.250s", lname);
	}
}

/* The deposit's end: the tallied names against the TLD now known (the header's, else the most
 * common last label of the domains). */
static void tally_judge(val_t *v)
{
	if (!v->ntally && !v->tally_over) {
		return;
	}
	if (!v->tld[0]) {
		unsigned best = 0;
		for (unsigned i = 1; i < v->ntally; i++) {
			if (v->tally[i].domains > v->tally[best].domains) {
				best = i;
			}
		}
		snprintf(v->tld, sizeof v->tld, "%s", v->ntally ? v->tally[best].label : "");
	}
	for (unsigned i = 0; i < v->ntally; i++) {
		bool ours = strcmp(v->tally[i].label, v->tld) == 0;
		char subj[300];
		if (!ours) {
			snprintf(subj, sizeof subj, "domain '%.250s'", v->tally[i].dname);
			for (uint64_t k = 0; k < v->tally[i].domains; k++) {
				add_example(v, code_of("RDE_DOMAIN_HAS_INVALID_NAME"), v->member,
				            v->tally[i].dline, subj,
				            "not a domain name under the deposit's TLD");
			}
		} else {
			snprintf(subj, sizeof subj, "host '%.250s'", v->tally[i].hname);
			for (uint64_t k = 0; k < v->tally[i].bare_hosts; k++) {
				add_example(v, code_of("RDE_HOST_HAS_MISSING_IP_ADDRESS"),
				            v->member, v->tally[i].hline, subj,
				            "a host under the TLD without an address");
			}
		}
	}
	for (uint64_t k = 0; k < v->tally_over; k++) {
		add_example(v, code_of("RDE_DOMAIN_HAS_INVALID_NAME"), v->member, 0, "domain",
		            "not a domain name under the deposit's TLD");
	}
}

/* key into set; dup_code raised when it was there already.  false: out of memory (v->rc). */
static bool unique(val_t *v, ssr_u64set_t *set, const char *key, const char *dup_code,
                   uint64_t line, subj_t *sj, const char *what)
{
	bool dup = false;
	if (ssr_u64set_add(set, h64(key), &dup) != SSR_EOK) {
		v->rc = SSR_ENOMEM;
		return false;
	}
	if (dup) {
		raise_code(v, dup_code, line, subj_text(sj), "%s '%s' twice in the deposit", what,
		           key);
	}
	return true;
}

/* The roid rules of rde-07/08/09: present (when missing_code), well-formed and registered,
 * unique.  false: out of memory. */
static bool roid_rules(val_t *v, const char *roid, ssr_u64set_t *set, const char *missing_code,
                       const char *invalid_code, const char *dup_code, uint64_t line, subj_t *sj)
{
	char why[300];
	if (!roid) {
		if (missing_code) {
			raise_code(v, missing_code, line, subj_text(sj), NULL);
		}
		return true;
	}
	if (!roid_ok(v, roid, why, sizeof why)) {
		raise_code(v, invalid_code, line, subj_text(sj), "%s", why);
		return true;
	}
	return unique(v, set, roid, dup_code, line, sj, "roid");
}

static void on_domain(val_t *v, const ssr_escrow_domain_t *d, uint64_t line)
{
	bool full = v->r->type == SSR_ESCROW_FULL;
	subj_t sj = {.kind = "domain", .name = d->name};
	char lname[300];
	bool named = d->name && lower_copy(d->name, lname, sizeof lname) && hostname_ok(lname);
	if (named && !v->tld[0]) {
		tally(v, lname, false, line); /* judged at the end; uniqueness now */
	}
	if (!named || (v->tld[0] && !under_tld(v, lname))) {
		raise_code(v, "RDE_DOMAIN_HAS_INVALID_NAME", line, subj_text(&sj),
		           "not a domain name under '%s'", v->tld);
	} else if (!unique(v, &v->sets[T_DOMAIN], lname, "RDE_DOMAIN_HAS_NON_UNIQUE_NAME", line,
	                   &sj, "name")) {
		return;
	}
	if (!roid_rules(v, d->roid, &v->domain_roids, "RDE_DOMAIN_HAS_MISSING_ROID",
	                "RDE_DOMAIN_HAS_INVALID_ROID", "RDE_DOMAIN_HAS_NON_UNIQUE_ROID", line,
	                &sj)) {
		return;
	}
	bool pending_delete = false;
	if (d->nstatus == 0) {
		raise_code(v, "RDE_DOMAIN_HAS_MISSING_STATUS", line, subj_text(&sj), NULL);
	} else {
		const char *p = status_problem(d->status, d->nstatus, domain_statuses);
		if (p) {
			raise_code(v, "RDE_DOMAIN_HAS_INVALID_STATUS", line, subj_text(&sj), "%s",
			           p);
		}
		for (unsigned i = 0; i < d->nstatus; i++) {
			if (d->status[i] && strcmp(d->status[i], "pendingDelete") == 0) {
				pending_delete = true;
			}
		}
	}
	if (!d->registrant) {
		if (v->r->model == SSR_RDE_MODEL_MAXIMUM) {
			raise_code(v, "RDE_DOMAIN_HAS_MISSING_REGISTRANT", line, subj_text(&sj),
			           NULL);
		}
	} else if (full) {
		ref(v, T_CONTACT, d->registrant, "RDE_DOMAIN_HAS_INVALID_REGISTRANT", line, &sj,
		    "registrant");
	}
	if (full) {
		for (unsigned i = 0; i < d->ncontacts; i++) {
			char what[64];
			snprintf(what, sizeof what, "%s contact",
			         d->contacts[i].type ? d->contacts[i].type : "");
			ref(v, T_CONTACT, d->contacts[i].id, "RDE_DOMAIN_HAS_MISSING_CONTACT", line,
			    &sj, what);
		}
	}
	if (d->nhost_obj) {
		if (v->r->hosts == SSR_RDE_HOSTS_ATTRIBUTES) {
			raise_code(v, "RDE_DOMAIN_HAS_UNEXPECTED_HOST_OBJECTS", line,
			           subj_text(&sj), "hostObj under the host attribute model");
		} else if (full) {
			for (unsigned i = 0; i < d->nhost_obj; i++) {
				ref(v, T_HOST, d->host_obj[i], "RDE_DOMAIN_HAS_MISSING_NAMESERVER",
				    line, &sj, "name server");
			}
		}
	}
	if (d->nhost_attr) {
		if (v->r->hosts == SSR_RDE_HOSTS_OBJECTS) {
			raise_code(v, "RDE_DOMAIN_HAS_UNEXPECTED_HOST_ATTRIBUTES", line,
			           subj_text(&sj), "hostAttr under the host object model");
		}
	}
	if (!d->clid) {
		raise_code(v, "RDE_DOMAIN_HAS_MISSING_CLID", line, subj_text(&sj), NULL);
	} else if (full) {
		check_rr(v, d->clid, "RDE_DOMAIN_HAS_INVALID_CLID", line, &sj,
		         "sponsoring registrar");
	}
	if (full) {
		check_rr(v, d->crrr, "RDE_DOMAIN_HAS_INVALID_CRRR", line, &sj, "crRr registrar");
		check_rr(v, d->uprr, "RDE_DOMAIN_HAS_INVALID_UPRR", line, &sj, "upRr registrar");
		check_rr(v, d->rerr, "RDE_DOMAIN_HAS_INVALID_RERR", line, &sj, "reRr registrar");
		check_rr(v, d->acrr, "RDE_DOMAIN_HAS_INVALID_ACRR", line, &sj, "acRr registrar");
	}
	int64_t t;
	if (!d->crdate) {
		raise_code(v, "RDE_DOMAIN_HAS_MISSING_CRDATE", line, subj_text(&sj), NULL);
	} else if (!is_dt(d->crdate, &t)) {
		raise_code(v, "RDE_DOMAIN_HAS_INVALID_CRDATE", line, subj_text(&sj),
		           "'%s' is not a date-time", d->crdate);
	} else if (v->watermark != INT64_MIN && t >= v->watermark) {
		raise_code(v, "RDE_DOMAIN_HAS_INVALID_CRDATE", line, subj_text(&sj),
		           "created %s, not before the watermark", d->crdate);
	}
	if (!d->exdate) {
		raise_code(v, "RDE_DOMAIN_HAS_MISSING_EXDATE", line, subj_text(&sj), NULL);
	} else if (!is_dt(d->exdate, &t)) {
		raise_code(v, "RDE_DOMAIN_HAS_INVALID_EXDATE", line, subj_text(&sj),
		           "'%s' is not a date-time", d->exdate);
	} else if (v->watermark != INT64_MIN && t <= v->watermark && !pending_delete) {
		raise_code(v, "RDE_DOMAIN_HAS_INVALID_EXDATE", line, subj_text(&sj),
		           "expires %s, not after the watermark (and not pendingDelete)",
		           d->exdate);
	}
	if (d->idn_table && full) {
		ref(v, T_IDN, d->idn_table, "RDE_IDN_OBJECT_MISSING", line, &sj, "IDN table");
	}
}

static bool ip_ok(const char *a, bool v6)
{
	unsigned char buf[16];
	return a && inet_pton(v6 ? AF_INET6 : AF_INET, a, buf) == 1;
}

static void on_host(val_t *v, const ssr_escrow_host_t *h, uint64_t line)
{
	subj_t sj = {.kind = "host", .name = h->name};
	char lname[300];
	bool named = h->name && lower_copy(h->name, lname, sizeof lname) && hostname_ok(lname);
	if (!named) {
		raise_code(v, "RDE_HOST_HAS_INVALID_NAME", line, subj_text(&sj), "not a host name");
	} else if (!unique(v, &v->sets[T_HOST], lname, "RDE_HOST_HAS_NON_UNIQUE_NAME", line, &sj,
	                   "name")) {
		return;
	}
	if (!roid_rules(v, h->roid, &v->host_roids, "RDE_HOST_HAS_MISSING_ROID",
	                "RDE_HOST_HAS_INVALID_ROID", "RDE_HOST_HAS_NON_UNIQUE_ROID", line, &sj)) {
		return;
	}
	if (h->nstatus == 0) {
		raise_code(v, "RDE_HOST_HAS_MISSING_STATUS", line, subj_text(&sj), NULL);
	} else {
		const char *p = status_problem(h->status, h->nstatus, host_statuses);
		if (p) {
			raise_code(v, "RDE_HOST_HAS_INVALID_STATUS", line, subj_text(&sj), "%s", p);
		}
	}
	if (named && !v->tld[0] && h->naddrs == 0) {
		tally(v, lname, true, line);
	} else if (named && under_tld(v, lname) && h->naddrs == 0) {
		raise_code(v, "RDE_HOST_HAS_MISSING_IP_ADDRESS", line, subj_text(&sj),
		           "a host under the TLD without an address");
	}
	for (unsigned i = 0; i < h->naddrs; i++) {
		if (!ip_ok(h->addrs[i], h->v6[i])) {
			raise_code(v, "RDE_HOST_HAS_INVALID_IP_ADDRESS", line, subj_text(&sj),
			           "'%s' is not an IP%s address", h->addrs[i] ? h->addrs[i] : "",
			           h->v6[i] ? "v6" : "v4");
			break;
		}
	}
	if (!h->clid) {
		raise_code(v, "RDE_HOST_HAS_MISSING_CLID", line, subj_text(&sj), NULL);
	} else if (v->r->type == SSR_ESCROW_FULL) {
		check_rr(v, h->clid, "RDE_HOST_HAS_INVALID_CLID", line, &sj,
		         "sponsoring registrar");
	}
}

static void on_contact(val_t *v, const ssr_escrow_contact_t *c, uint64_t line)
{
	subj_t sj = {.kind = "contact", .name = c->id};
	if (c->id && !unique(v, &v->sets[T_CONTACT], c->id, "RDE_CONTACT_HAS_NON_UNIQUE_ID", line,
	                     &sj, "id")) {
		return;
	}
	if (!roid_rules(v, c->roid, &v->contact_roids, NULL, "RDE_CONTACT_HAS_INVALID_ROID",
	                "RDE_CONTACT_HAS_NON_UNIQUE_ROID", line, &sj)) {
		return;
	}
	for (unsigned i = 0; i < c->npostal; i++) {
		for (unsigned j = 0; j < i; j++) {
			if (c->postal_types[i] && c->postal_types[j] &&
			    strcmp(c->postal_types[i], c->postal_types[j]) == 0) {
				raise_code(v, "RDE_CONTACT_HAS_MULTIPLE_POSTALINFO_TYPES", line,
				           subj_text(&sj), "two postalInfo of type '%s'",
				           c->postal_types[i]);
				i = c->npostal;
				break;
			}
		}
	}
	for (unsigned i = 0; i < c->npostal; i++) {
		if (c->cc[i] && !ssr_rde_cc_valid(c->cc[i])) {
			raise_code(v, "RDE_CONTACT_HAS_INVALID_CC", line, subj_text(&sj),
			           "'%s' is not an ISO 3166 code", c->cc[i]);
			break;
		}
	}
	if (c->email && !ssr_rde_email_valid(c->email)) {
		raise_code(v, "RDE_CONTACT_HAS_INVALID_EMAIL", line, subj_text(&sj),
		           "'%s' is not an RFC 5322 address", c->email);
	}
	if (v->r->type == SSR_ESCROW_FULL) {
		check_rr(v, c->clid, "RDE_CONTACT_HAS_UNKNOWN_CLID", line, &sj,
		         "sponsoring registrar");
		check_rr(v, c->crrr, "RDE_CONTACT_HAS_UNKNOWN_CRRR", line, &sj, "crRr registrar");
		check_rr(v, c->uprr, "RDE_CONTACT_HAS_UNKNOWN_UPRR", line, &sj, "upRr registrar");
		check_rr(v, c->rerr, "RDE_CONTACT_HAS_UNKNOWN_RERR", line, &sj, "reRr registrar");
		check_rr(v, c->acrr, "RDE_CONTACT_HAS_UNKNOWN_ACRR", line, &sj, "acRr registrar");
	}
}

static void on_registrar(val_t *v, const ssr_escrow_registrar_t *g, uint64_t line)
{
	subj_t sj = {.kind = "registrar", .name = g->id};
	if (!g->id) {
		raise_code(v, "RDE_REGISTRAR_HAS_MISSING_ID", line, subj_text(&sj), NULL);
	} else {
		size_t n = strlen(g->id);
		if (n < 3 || n > 16) {
			raise_code(v, "RDE_REGISTRAR_HAS_INVALID_ID", line, subj_text(&sj),
			           "an id of %zu characters", n);
		}
		if (!unique(v, &v->sets[T_REGISTRAR], g->id, "RDE_REGISTRAR_HAS_NON_UNIQUE_ID",
		            line, &sj, "id")) {
			return;
		}
	}
	if (!g->name) {
		raise_code(v, "RDE_REGISTRAR_HAS_MISSING_NAME", line, subj_text(&sj), NULL);
	} else if (!*g->name || strlen(g->name) > 255) {
		raise_code(v, "RDE_REGISTRAR_HAS_INVALID_NAME", line, subj_text(&sj),
		           "an empty or over-long name");
	}
	if (!g->gurid) {
		raise_code(v, "RDE_REGISTRAR_HAS_MISSING_GURID", line, subj_text(&sj), NULL);
	} else {
		bool ok = *g->gurid && g->gurid[0] != '0';
		for (const char *p = g->gurid; ok && *p; p++) {
			ok = *p >= '0' && *p <= '9';
		}
		if (ok && v->rr_ids) {
			ok = sorted_has(v->rr_ids, v->nrr_ids, g->gurid);
		}
		if (!ok) {
			raise_code(v, "RDE_REGISTRAR_HAS_INVALID_GURID", line, subj_text(&sj),
			           "gurid '%s' is not %s", g->gurid,
			           v->rr_ids ? "an IANA registrar ID" : "a positive integer");
		}
	}
}

/* http(s)://host[/...] */
static bool url_ok(const char *u)
{
	const char *p = NULL;
	if (strncmp(u, "https://", 8) == 0) {
		p = u + 8;
	} else if (strncmp(u, "http://", 7) == 0) {
		p = u + 7;
	}
	if (!p || !*p || *p == '/') {
		return false;
	}
	for (const char *q = u; *q; q++) {
		if ((unsigned char)*q <= ' ' || *q == '"' || *q == '<' || *q == '>') {
			return false;
		}
	}
	return true;
}

static void on_idn(val_t *v, const ssr_escrow_idn_t *i, uint64_t line)
{
	subj_t sj = {.kind = "IDN table", .name = i->id};
	if (i->id) {
		if (ssr_u64set_add(&v->sets[T_IDN], h64(i->id), NULL) != SSR_EOK) {
			v->rc = SSR_ENOMEM;
			return;
		}
		if (v->o->idn_tables_given) {
			bool expected = false;
			for (unsigned k = 0; k < v->o->nidn_tables; k++) {
				expected |= strcmp(v->o->idn_tables[k], i->id) == 0;
			}
			if (!expected) {
				raise_code(v, "RDE_IDN_OBJECT_UNEXPECTED", line, subj_text(&sj),
				           "not a table of the TLD");
			}
		}
	}
	if ((i->url && !url_ok(i->url)) || (i->url_policy && !url_ok(i->url_policy))) {
		raise_code(v, "RDE_IDN_OBJECT_INVALID", line, subj_text(&sj),
		           "url or urlPolicy is not a valid URL");
	}
}

static void on_nndn(val_t *v, const ssr_escrow_nndn_t *n, uint64_t line)
{
	subj_t sj = {.kind = "NNDN", .name = n->aname};
	char lname[300];
	if (n->aname && lower_copy(n->aname, lname, sizeof lname)) {
		uint64_t h = h64(lname);
		if (!unique(v, &v->nndn_names, lname, "RDE_NNDN_HAS_NON_UNIQUE_NAME", line, &sj,
		            "name")) {
			return;
		}
		/* against the domains: seen ones now, later ones at the end */
		if (v->nrefs == v->cap_refs) {
			size_t nc = v->cap_refs ? v->cap_refs * 2 : 1024;
			ref_t *nr = realloc(v->refs, nc * sizeof *nr);
			if (!nr) {
				v->rc = SSR_ENOMEM;
				return;
			}
			v->refs = nr;
			v->cap_refs = nc;
		}
		/* an inverted reference: an error when the target IS there (set marks it) */
		ref_t *r = &v->refs[v->nrefs++];
		r->target = h;
		r->set = T_DOMAIN | 0x80;
		r->code = (uint16_t)code_of("RDE_NNDN_CONFLICTS_WITH_DOMAIN");
		r->line = line;
		r->subject = keep_str(v, subj_text(&sj));
		r->detail = keep_str(v, "the name is also a domain object");
	}
	if (n->name_state && strcmp(n->name_state, "blocked") != 0 &&
	    strcmp(n->name_state, "withheld") != 0 && strcmp(n->name_state, "mirrored") != 0) {
		raise_code(v, "RDE_SCHEMA_VALIDATION_ERROR", line, subj_text(&sj), "nameState '%s'",
		           n->name_state);
	}
	if (n->idn_table && v->r->type == SSR_ESCROW_FULL) {
		ref(v, T_IDN, n->idn_table, "RDE_IDN_OBJECT_MISSING", line, &sj, "IDN table");
	}
}

#define URI_DOMAIN  "urn:ietf:params:xml:ns:domain-1.0"
#define URI_HOST    "urn:ietf:params:xml:ns:host-1.0"
#define URI_CONTACT "urn:ietf:params:xml:ns:contact-1.0"

static void on_eppparams(val_t *v, const ssr_escrow_eppparams_t *p, uint64_t line)
{
	subj_t sj = {.kind = "object", .name = "eppParams"};
	bool dom = false, host = false, contact = false;
	for (unsigned i = 0; i < p->nobj_uris; i++) {
		const char *u = p->obj_uris[i];
		if (strcmp(u, URI_DOMAIN) == 0) {
			dom = true;
		} else if (strcmp(u, URI_HOST) == 0) {
			host = true;
			if (v->r->hosts == SSR_RDE_HOSTS_ATTRIBUTES) {
				raise_code(v, "RDE_EPP_PARAMS_UNEXPECTED_OBJURI", line,
				           subj_text(&sj),
				           "the host object under the host attribute model");
			}
		} else if (strcmp(u, URI_CONTACT) == 0) {
			contact = true;
			if (v->r->model == SSR_RDE_MODEL_MINIMUM) {
				raise_code(v, "RDE_EPP_PARAMS_UNEXPECTED_OBJURI", line,
				           subj_text(&sj),
				           "the contact object under the minimum data model");
			}
		} else if (v->ext_uris && !sorted_has(v->ext_uris, v->next_uris, u)) {
			raise_code(v, "RDE_EPP_PARAMS_UNEXPECTED_OBJURI", line, subj_text(&sj),
			           "'%s' is not in the EPP extension registry", u);
		}
	}
	if (!dom) {
		raise_code(v, "RDE_EPP_PARAMS_MISSING_OBJURI", line, subj_text(&sj), "'%s' missing",
		           URI_DOMAIN);
	}
	if (!host && v->r->hosts == SSR_RDE_HOSTS_OBJECTS) {
		raise_code(v, "RDE_EPP_PARAMS_MISSING_OBJURI", line, subj_text(&sj), "'%s' missing",
		           URI_HOST);
	}
	if (!contact &&
	    (v->r->model == SSR_RDE_MODEL_MAXIMUM || v->r->model == SSR_RDE_MODEL_PER_REGISTRAR)) {
		raise_code(v, "RDE_EPP_PARAMS_MISSING_OBJURI", line, subj_text(&sj), "'%s' missing",
		           URI_CONTACT);
	}
	static const char *const required[] = {"urn:ietf:params:xml:ns:secDNS-1.1",
	                                       "urn:ietf:params:xml:ns:rgp-1.0"};
	for (unsigned k = 0; k < 2; k++) {
		bool have = false;
		for (unsigned i = 0; i < p->next_uris; i++) {
			have |= strcmp(p->ext_uris[i], required[k]) == 0;
		}
		if (!have) {
			raise_code(v, "RDE_EPP_PARAMS_MISSING_EXTURI", line, subj_text(&sj),
			           "'%s' missing", required[k]);
		}
	}
	if (v->ext_uris) {
		for (unsigned i = 0; i < p->next_uris; i++) {
			if (!sorted_has(v->ext_uris, v->next_uris, p->ext_uris[i])) {
				raise_code(
				    v, "RDE_EPP_PARAMS_UNEXPECTED_EXTURI", line, subj_text(&sj),
				    "'%s' is not in the EPP extension registry", p->ext_uris[i]);
			}
		}
	}
}

static void on_policy(val_t *v, const ssr_escrow_policy_t *p, uint64_t line)
{
	if (!p->scope || strncmp(p->scope, "//rde:deposit/rde:contents/", 27) != 0 || !p->element ||
	    !strchr(p->element, ':')) {
		raise_code(v, "RDE_POLICY_OBJECT_INVALID", line, "policy",
		           "scope '%s' element '%s': not an XPath into the deposit's objects",
		           p->scope ? p->scope : "", p->element ? p->element : "");
		return;
	}
	if (strstr(p->scope, "rdeDomain:domain") &&
	    strcmp(p->element, "rdeDomain:registrant") == 0) {
		v->policy_registrant = true;
	}
}

static void on_header(val_t *v, const ssr_escrow_header_t *h, uint64_t line)
{
	(void)line;
	if (h->tld && !v->tld[0]) {
		lower_copy(h->tld, v->tld, sizeof v->tld);
	}
	snprintf(v->r->tld, sizeof v->r->tld, "%s", h->tld ? h->tld : "");
	for (unsigned i = 0; i < h->ncounts && v->nhdr < SSR_ESCROW_MAX_LIST; i++) {
		if (!h->uris[i]) {
			continue;
		}
		v->hdr[v->nhdr] = strdup(h->uris[i]);
		v->hdr_count[v->nhdr++] = h->counts[i];
		int k = ssr_escrow_kind_of_uri(h->uris[i]);
		if (k >= 0) {
			v->r->header[k] = h->counts[i];
		}
	}
}

static int on_event(const ssr_escrow_event_t *e, void *ctx)
{
	val_t *v = ctx;
	if (e->member && strcmp(e->member, v->member_buf) != 0) {
		/* kept: the reader's copy goes with its document, the end checks come after */
		snprintf(v->member_buf, sizeof v->member_buf, "%s", e->member);
	}
	v->member = v->member_buf;
	switch (e->ev) {
	case SSR_ESCROW_EV_DEPOSIT: {
		const ssr_escrow_deposit_t *d = e->u.deposit;
		if (!v->have_deposit) {
			v->have_deposit = true;
			v->r->type = d->type;
			snprintf(v->r->id, sizeof v->r->id, "%s", d->id ? d->id : "");
			snprintf(v->r->prev_id, sizeof v->r->prev_id, "%s",
			         d->prev_id ? d->prev_id : "");
			snprintf(v->r->watermark, sizeof v->r->watermark, "%s",
			         d->watermark ? d->watermark : "");
			v->r->resend = d->resend;
			v->watermark = d->watermark_t;
		}
		for (unsigned i = 0; i < d->nmenu_uris && v->nmenu < SSR_ESCROW_MAX_LIST; i++) {
			v->menu[v->nmenu] = strdup(d->menu_uris[i]);
			if (!v->menu[v->nmenu]) {
				return SSR_ENOMEM;
			}
			v->nmenu++;
		}
		if (v->r->model == SSR_RDE_MODEL_AUTO || v->r->hosts == SSR_RDE_HOSTS_AUTO) {
			bool contact = false, host = false;
			for (unsigned i = 0; i < d->nmenu_uris; i++) {
				contact |= strcmp(d->menu_uris[i],
				                  ssr_escrow_kind_uri(SSR_ESCROW_CONTACT)) == 0;
				host |= strcmp(d->menu_uris[i],
				               ssr_escrow_kind_uri(SSR_ESCROW_HOST)) == 0;
			}
			if (v->r->model == SSR_RDE_MODEL_AUTO) {
				v->r->model =
				    contact ? SSR_RDE_MODEL_MAXIMUM : SSR_RDE_MODEL_MINIMUM;
			}
			if (v->r->hosts == SSR_RDE_HOSTS_AUTO) {
				v->r->hosts =
				    host ? SSR_RDE_HOSTS_OBJECTS : SSR_RDE_HOSTS_ATTRIBUTES;
			}
		}
		break;
	}
	case SSR_ESCROW_EV_OBJECT:
		v->r->counted[e->kind]++;
		switch (e->kind) {
		case SSR_ESCROW_DOMAIN:
			on_domain(v, e->u.domain, e->line);
			break;
		case SSR_ESCROW_HOST:
			on_host(v, e->u.host, e->line);
			break;
		case SSR_ESCROW_CONTACT:
			on_contact(v, e->u.contact, e->line);
			break;
		case SSR_ESCROW_REGISTRAR:
			on_registrar(v, e->u.registrar, e->line);
			break;
		case SSR_ESCROW_IDN:
			on_idn(v, e->u.idn, e->line);
			break;
		case SSR_ESCROW_NNDN:
			on_nndn(v, e->u.nndn, e->line);
			break;
		case SSR_ESCROW_EPPPARAMS:
			on_eppparams(v, e->u.eppparams, e->line);
			break;
		case SSR_ESCROW_POLICY:
			on_policy(v, e->u.policy, e->line);
			break;
		case SSR_ESCROW_HEADER:
			on_header(v, e->u.header, e->line);
			break;
		}
		break;
	case SSR_ESCROW_EV_CSV:
		if (!e->csv->valid) {
			raise_code(v, "RDE_INVALID_CSV", e->line, e->member, "%s", e->csv->error);
		}
		break;
	case SSR_ESCROW_EV_OTHER:
		if (strcmp(e->local, "(root)") == 0) {
			raise_code(v, "RDE_SCHEMA_VALIDATION_ERROR", e->line, e->member,
			           "the root element is not rde:deposit");
		} else {
			raise_code(v, "RDE_UNEXPECTED_OBJECT", e->line, e->local,
			           "an element of '%s'", e->uri);
		}
		break;
	default:
		break;
	}
	return v->rc;
}

static void on_schema(const char *member, uint64_t line, const char *msg, void *ctx)
{
	val_t *v = ctx;
	add_example(v, code_of("RDE_SCHEMA_VALIDATION_ERROR"), member, line, member, msg);
}

/* ---- list files ---- */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int load_list(const char *path, char ***out, size_t *n, ssr_diag_t *diag)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		return ssr_diag_set(diag, SSR_EINVAL, "list '%s': %s", path, strerror(errno));
	}
	char line[512];
	char **v = NULL;
	size_t cnt = 0, cap = 0;
	int rc = SSR_EOK;
	while (fgets(line, sizeof line, f)) {
		char *s = line;
		while (*s == ' ' || *s == '\t') {
			s++;
		}
		size_t l = strcspn(s, " \t\r\n#,");
		if (l == 0 || *s == '#') {
			continue;
		}
		s[l] = '\0';
		if (cnt == cap) {
			cap = cap ? cap * 2 : 256;
			char **nv = realloc(v, cap * sizeof *nv);
			if (!nv) {
				rc = SSR_ENOMEM;
				break;
			}
			v = nv;
		}
		v[cnt] = strdup(s);
		if (!v[cnt]) {
			rc = SSR_ENOMEM;
			break;
		}
		cnt++;
	}
	fclose(f);
	if (rc != SSR_EOK) {
		for (size_t i = 0; i < cnt; i++) {
			free(v[i]);
		}
		free(v);
		return ssr_diag_set(diag, rc, "list '%s': out of memory", path);
	}
	if (cnt) {
		qsort(v, cnt, sizeof *v, cmp_str);
	}
	*out = v;
	*n = cnt;
	return SSR_EOK;
}

static void free_list(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i]);
	}
	free(v);
}

void ssr_rde_opts_init(ssr_rde_opts_t *o)
{
	memset(o, 0, sizeof *o);
	o->examples = 5;
}

static void state(ssr_rde_result_t *r, int check, ssr_rde_state_t s, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void state(ssr_rde_result_t *r, int check, ssr_rde_state_t s, const char *fmt, ...)
{
	r->state[check - 1] = s;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->why[check - 1], sizeof r->why[0], fmt, ap);
	va_end(ap);
}

/* rde-01: {tld}_{YYYY-MM-DD}_{full|diff|incr}_S{n}_R{n}.{ryde|xml|tar}[.gz] */
static bool filename_ok(const char *file, char *tld, size_t tl, char *type, size_t tyl)
{
	const char *u1 = strchr(file, '_');
	if (!u1 || u1 == file || (size_t)(u1 - file) >= tl) {
		return false;
	}
	memcpy(tld, file, (size_t)(u1 - file));
	tld[u1 - file] = '\0';
	for (const char *p = tld; *p; p++) {
		if (!(islower((unsigned char)*p) || isdigit((unsigned char)*p) || *p == '-')) {
			tld[0] = '\0';
			return false;
		}
	}
	/* from here on the TLD part stands (the caller may use it) even when the rest is bad */
	const char *d = u1 + 1;
	int32_t day;
	if (strlen(d) < 11 || d[10] != '_' || ssr_date_parse(d, 10, &day) != SSR_EOK) {
		return false;
	}
	const char *t = d + 11;
	const char *u3 = strchr(t, '_');
	if (!u3 || (size_t)(u3 - t) >= tyl) {
		return false;
	}
	memcpy(type, t, (size_t)(u3 - t));
	type[u3 - t] = '\0';
	if (strcmp(type, "full") != 0 && strcmp(type, "diff") != 0 && strcmp(type, "incr") != 0) {
		return false;
	}
	const char *p = u3 + 1;
	if (*p++ != 'S' || !isdigit((unsigned char)*p)) {
		return false;
	}
	while (isdigit((unsigned char)*p)) {
		p++;
	}
	if (*p++ != '_' || *p++ != 'R' || !isdigit((unsigned char)*p)) {
		return false;
	}
	while (isdigit((unsigned char)*p)) {
		p++;
	}
	return strcmp(p, ".ryde") == 0 || strcmp(p, ".xml") == 0 || strcmp(p, ".tar") == 0 ||
	       strcmp(p, ".xml.gz") == 0;
}

static bool file_exists(const char *p)
{
	struct stat sb;
	return stat(p, &sb) == 0 && S_ISREG(sb.st_mode);
}

static void uri_sets(val_t *v)
{
	/* rde-05: expected URIs */
	ssr_rde_result_t *r = v->r;
	struct {
		ssr_escrow_kind_t k;
		int want; /* 1 required, 0 optional, -1 must not */
	} rules[] = {
	    {SSR_ESCROW_DOMAIN, 1},
	    {SSR_ESCROW_REGISTRAR, 1},
	    {SSR_ESCROW_EPPPARAMS, 1},
	    {SSR_ESCROW_CONTACT, r->model == SSR_RDE_MODEL_MINIMUM ? -1 : 1},
	    {SSR_ESCROW_HOST, r->hosts == SSR_RDE_HOSTS_OBJECTS ? 1 : -1},
	    {SSR_ESCROW_IDN, v->o->idn_tables_given ? (v->o->nidn_tables ? 1 : -1) : 0},
	    {SSR_ESCROW_NNDN, 0},
	    {SSR_ESCROW_POLICY, 0},
	};
	for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
		const char *uri = ssr_escrow_kind_uri(rules[i].k);
		bool in_menu = false, in_hdr = false;
		for (unsigned j = 0; j < v->nmenu; j++) {
			in_menu |= strcmp(v->menu[j], uri) == 0;
		}
		for (unsigned j = 0; j < v->nhdr; j++) {
			in_hdr |= strcmp(v->hdr[j], uri) == 0;
		}
		if (rules[i].want == 1 && (!in_menu || !in_hdr)) {
			raise_code(v, "RDE_MISSING_OBJECT_URI", 0, uri, "not in the %s",
			           !in_menu && !in_hdr ? "menu or the header"
			           : !in_menu          ? "menu"
			                               : "header");
		} else if (rules[i].want == -1 && (in_menu || in_hdr)) {
			raise_code(v, "RDE_UNEXPECTED_OBJECT_URI", 0, uri,
			           "listed though the %s excludes it",
			           rules[i].k == SSR_ESCROW_CONTACT ? "minimum data model"
			           : rules[i].k == SSR_ESCROW_HOST  ? "host attribute model"
			                                            : "TLD's IDN tables");
		}
	}
	/* URIs of no known kind */
	for (unsigned j = 0; j < v->nmenu; j++) {
		if (ssr_escrow_kind_of_uri(v->menu[j]) < 0) {
			raise_code(v, "RDE_UNEXPECTED_OBJECT_URI", 0, v->menu[j], "in the menu");
		}
	}
	for (unsigned j = 0; j < v->nhdr; j++) {
		if (ssr_escrow_kind_of_uri(v->hdr[j]) < 0) {
			raise_code(v, "RDE_UNEXPECTED_OBJECT_URI", 0, v->hdr[j], "in the header");
		}
	}
	/* menu vs header (the header's own URI is not counted) */
	const char *hdr_uri = ssr_escrow_kind_uri(SSR_ESCROW_HEADER);
	for (unsigned j = 0; j < v->nmenu; j++) {
		bool in = strcmp(v->menu[j], hdr_uri) == 0;
		for (unsigned k = 0; !in && k < v->nhdr; k++) {
			in = strcmp(v->menu[j], v->hdr[k]) == 0;
		}
		if (!in) {
			raise_code(v, "RDE_MENU_AND_HEADER_URIS_DIFFER", 0, v->menu[j],
			           "in the menu, not the header");
		}
	}
	for (unsigned k = 0; k < v->nhdr; k++) {
		bool in = false;
		for (unsigned j = 0; !in && j < v->nmenu; j++) {
			in = strcmp(v->menu[j], v->hdr[k]) == 0;
		}
		if (!in) {
			raise_code(v, "RDE_MENU_AND_HEADER_URIS_DIFFER", 0, v->hdr[k],
			           "in the header, not the menu");
		}
	}
}

static void end_checks(val_t *v)
{
	tally_judge(v);
	ssr_rde_result_t *r = v->r;
	bool full = r->type == SSR_ESCROW_FULL;
	/* rde-05 */
	uri_sets(v);
	/* rde-06: counts (FULL: the header counts the objects of the deposit) */
	if (full) {
		for (unsigned j = 0; j < v->nhdr; j++) {
			int k = ssr_escrow_kind_of_uri(v->hdr[j]);
			if (k < 0) {
				continue;
			}
			if (v->hdr_count[j] != (int64_t)r->counted[k]) {
				raise_code(
				    v, "RDE_OBJECT_COUNT_MISMATCH", 0, ssr_escrow_kind_name(k),
				    "the header says %lld, the deposit holds %llu",
				    (long long)v->hdr_count[j], (unsigned long long)r->counted[k]);
			}
		}
	} else {
		state(r, 6, SSR_RDE_SKIPPED,
		      "a %s deposit: the header counts the registry, the deposit its changes",
		      r->type == SSR_ESCROW_DIFF ? "DIFF" : "INCR");
	}
	/* objects of a kind in neither the menu nor the header */
	for (int k = 0; k < SSR_ESCROW_NKINDS; k++) {
		if (k == SSR_ESCROW_HEADER || !r->counted[k]) {
			continue;
		}
		const char *uri = ssr_escrow_kind_uri(k);
		bool listed = false;
		for (unsigned j = 0; j < v->nmenu; j++) {
			listed |= strcmp(v->menu[j], uri) == 0;
		}
		for (unsigned j = 0; j < v->nhdr; j++) {
			listed |= strcmp(v->hdr[j], uri) == 0;
		}
		if (!listed) {
			raise_code(
			    v, "RDE_UNEXPECTED_OBJECT", 0, ssr_escrow_kind_name(k),
			    "%llu objects of '%s', listed in neither the menu nor the header",
			    (unsigned long long)r->counted[k], uri);
		}
	}
	if (full) {
		if (!r->counted[SSR_ESCROW_DOMAIN]) {
			raise_code(v, "RDE_DOMAIN_OBJECT_MISSING", 0, "domain", "no domain object");
		}
		if (!r->counted[SSR_ESCROW_REGISTRAR]) {
			raise_code(v, "RDE_REGISTRAR_OBJECT_MISSING", 0, "registrar",
			           "no registrar object");
		}
		if (r->hosts == SSR_RDE_HOSTS_OBJECTS && !r->counted[SSR_ESCROW_HOST]) {
			raise_code(v, "RDE_HOST_OBJECT_MISSING", 0, "host",
			           "no host object (host object model)");
		}
		if (r->model != SSR_RDE_MODEL_MINIMUM && !r->counted[SSR_ESCROW_CONTACT]) {
			raise_code(v, "RDE_CONTACT_OBJECT_MISSING", 0, "contact",
			           "no contact object");
		}
		if (r->counted[SSR_ESCROW_EPPPARAMS] == 0) {
			raise_code(v, "RDE_MISSING_EPP_PARAMS_OBJECT", 0, "eppParams",
			           "no EPP parameters object");
		}
	}
	if (r->counted[SSR_ESCROW_EPPPARAMS] > 1) {
		raise_code(v, "RDE_MULTIPLE_EPP_PARAMS_OBJECTS", 0, "eppParams", "%llu objects",
		           (unsigned long long)r->counted[SSR_ESCROW_EPPPARAMS]);
	}
	if (r->model == SSR_RDE_MODEL_MINIMUM && r->counted[SSR_ESCROW_CONTACT]) {
		raise_code(v, "RDE_UNEXPECTED_OBJECT", 0, "contact",
		           "%llu contact objects under the minimum model",
		           (unsigned long long)r->counted[SSR_ESCROW_CONTACT]);
	}
	/* rde-11: every table of the TLD present */
	if (v->o->idn_tables_given && full) {
		for (unsigned k = 0; k < v->o->nidn_tables; k++) {
			if (!ssr_u64set_has(&v->sets[T_IDN], h64(v->o->idn_tables[k]))) {
				raise_code(v, "RDE_IDN_OBJECT_MISSING", 0, v->o->idn_tables[k],
				           "a table of the TLD with no IDN object");
			}
		}
	}
	/* rde-14: policy */
	if (r->model == SSR_RDE_MODEL_MAXIMUM && full) {
		if (r->counted[SSR_ESCROW_POLICY] == 0) {
			raise_code(v, "RDE_POLICY_OBJECT_MISSING", 0, "policy",
			           "no policy object (maximum model)");
		} else if (!v->policy_registrant) {
			raise_code(v, "RDE_POLICY_OBJECT_MISSING_OBJECTS", 0, "policy",
			           "no policy makes rdeDomain:registrant mandatory");
		}
	}
	/* references */
	for (size_t i = 0; i < v->nrefs; i++) {
		const ref_t *f = &v->refs[i];
		bool inverted = f->set & 0x80;
		bool there = ssr_u64set_has(&v->sets[f->set & 0x7f], f->target);
		if (inverted ? there : !there) {
			add_example(v, f->code, v->member, f->line, v->strs + f->subject,
			            v->strs + f->detail);
		}
	}
}

int ssr_rde_validate(const char *path, const ssr_rde_opts_t *o, ssr_rde_result_t *r,
                     ssr_diag_t *diag)
{
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	memset(r, 0, sizeof *r);
	size_t ncodes;
	const ssr_rde_code_t *codes = ssr_rde_codes(&ncodes);
	r->findings = calloc(ncodes, sizeof *r->findings);
	if (!r->findings) {
		return ssr_diag_set(diag, SSR_ENOMEM, "escrow: out of memory");
	}
	snprintf(r->path, sizeof r->path, "%s", path);
	const char *base = strrchr(path, '/');
	snprintf(r->file, sizeof r->file, "%s", base ? base + 1 : path);
	for (int k = 0; k < SSR_ESCROW_NKINDS; k++) {
		r->header[k] = -1;
	}
	val_t v = {.o = o,
	           .r = r,
	           .codes = codes,
	           .ncodes = ncodes,
	           .watermark = INT64_MIN,
	           .member = r->file};
	int rc = SSR_EOK;
	if (o->repo_ids &&
	    (rc = load_list(o->repo_ids, &v.repo_ids, &v.nrepo_ids, diag)) != SSR_EOK) {
		goto out;
	}
	if (o->registrar_ids &&
	    (rc = load_list(o->registrar_ids, &v.rr_ids, &v.nrr_ids, diag)) != SSR_EOK) {
		goto out;
	}
	if (o->epp_extensions &&
	    (rc = load_list(o->epp_extensions, &v.ext_uris, &v.next_uris, diag)) != SSR_EOK) {
		goto out;
	}
	if (!file_exists(path)) {
		rc = ssr_diag_set(diag, SSR_ENOTFOUND, "deposit '%s': no such file", path);
		goto out;
	}
	/* rde-01 */
	char ftld[64] = "", ftype[8] = "";
	bool fname = filename_ok(r->file, ftld, sizeof ftld, ftype, sizeof ftype);
	if (!fname) {
		raise_code(&v, "RDE_INVALID_FILENAME", 0, r->file,
		           "not {tld}_{YYYY-MM-DD}_{full|diff|incr}_S{n}_R{n}.ryde");
		/* the TLD then comes from --tld or the deposit itself (the header) */
	} else {
		bool listed = o->ntlds == 0;
		for (unsigned i = 0; i < o->ntlds; i++) {
			listed |= strcasecmp(o->tlds[i], ftld) == 0;
		}
		if (!listed) {
			raise_code(&v, "RDE_INVALID_FILENAME", 0, r->file,
			           "TLD '%s' is not a TLD of the test", ftld);
		} else if (o->require_full && strcmp(ftype, "full") != 0) {
			raise_code(&v, "RDE_INVALID_FILENAME", 0, r->file,
			           "type '%s', the test needs a full deposit", ftype);
		}
		snprintf(v.tld, sizeof v.tld, "%s", ftld);
	}
	if (!v.tld[0] && o->ntlds) {
		lower_copy(o->tlds[0], v.tld, sizeof v.tld);
	}
	/* rde-02: the signature over the file as delivered */
	char sig[1100] = "";
	if (o->signature) {
		snprintf(sig, sizeof sig, "%s", o->signature);
	} else {
		snprintf(sig, sizeof sig, "%s", path);
		char *dot = strrchr(sig, '.');
		char *slash = strrchr(sig, '/');
		if (dot && (!slash || dot > slash)) {
			snprintf(dot, sizeof sig - (size_t)(dot - sig), ".sig");
		}
		if (strcmp(sig, path) == 0 || !file_exists(sig)) {
			sig[0] = '\0';
		}
	}
	/* the data model and host model: given, or (AUTO) from the menu's URIs when the deposit
	 * element arrives, before any object */
	r->model = o->model;
	r->hosts = o->hosts;
	if (sig[0]) {
		bool good = false;
		char why[256];
		rc = ssr_escrow_verify(path, sig, o->gnupg_home, o->signer, &good, why, sizeof why,
		                       diag);
		if (rc != SSR_EOK) {
			state(r, 2, SSR_RDE_NOT_RUN, "%s", diag ? diag->msg : "cannot verify");
			rc = SSR_EOK;
		} else if (!good) {
			raise_code(&v, "RDE_INVALID_SIGNATURE", 0, sig, "%s", why);
		}
	} else {
		bool encrypted = strlen(path) > 5 && strcmp(path + strlen(path) - 5, ".ryde") == 0;
		if (encrypted) {
			state(r, 2, SSR_RDE_NOT_RUN,
			      "no signature file next to the deposit (give --signature)");
		} else {
			state(r, 2, SSR_RDE_SKIPPED, "a plain deposit with no signature file");
		}
	}
	/* the stream: rde-03 .. rde-13 */
	char schema[4096];
	const char *data = getenv("SSRWATCH_DATA");
	snprintf(schema, sizeof schema, "%s/escrow/escrow.xsd", data ? data : SSR_DATA_DIR);
	ssr_escrow_read_opts_t ro = {.schema = o->no_schema ? NULL
	                                       : o->schema  ? o->schema
	                                                    : schema,
	                             .on_schema_error = on_schema,
	                             .schema_inline = o->schema_inline,
	                             .gnupg_home = o->gnupg_home,
	                             .ctx = &v};
	if (o->no_schema) {
		state(r, 4, SSR_RDE_NOT_RUN, "XML Schema validation was switched off");
	}
	/* AUTO models need the menu before the first object; the menu comes first in every deposit
	 */
	ssr_diag_t rd = {0};
	rc = ssr_escrow_read(path, &ro, on_event, &r->read, &rd);
	if (v.rc != SSR_EOK) {
		rc = ssr_diag_set(diag, v.rc, "escrow: out of memory");
		goto out;
	}
	if (rc == SSR_ENOTFOUND || rc == SSR_ENOMEM) {
		rc = ssr_diag_set(diag, rc, "%s", rd.msg);
		goto out;
	}
	if (rc == SSR_ECORRUPT) {
		raise_code(&v, "RDE_DECRYPTION_FAILED", 0, r->file, "%s", rd.msg);
	} else if (rc == SSR_EPARSE || rc == SSR_EUNSUPPORTED || rc == SSR_ELIMIT) {
		raise_code(&v, "RDE_XML_PARSE_ERROR", 0, r->file, "%s", rd.msg);
	} else if (rc != SSR_EOK) {
		for (int c = 3; c <= 15; c++) {
			state(r, c, SSR_RDE_NOT_RUN, "%s", rd.msg);
		}
	}
	bool stream_ok = rc == SSR_EOK;
	rc = SSR_EOK;
	if (!r->read.encrypted) {
		state(r, 3, SSR_RDE_SKIPPED, "the deposit is not encrypted");
	}
	if (stream_ok && r->read.documents == 0) {
		raise_code(&v, "RDE_MISSING_FILES", 0, r->file, "no XML document in the deposit");
	}
	if (r->read.csv_files) {
		state(r, 4, SSR_RDE_NOT_RUN,
		      "%u CSV files: their RFC 4180 syntax is checked, the CSV model's objects are "
		      "not read yet",
		      r->read.csv_files);
		state(r, 15, SSR_RDE_NOT_RUN, "the CSV model is not supported yet");
	} else if (r->state[14] == SSR_RDE_RUN) {
		state(r, 15, SSR_RDE_SKIPPED, "no domain object in the CSV model");
	}
	if (stream_ok && !v.have_deposit) {
		if (r->findings[code_of("RDE_SCHEMA_VALIDATION_ERROR")].count == 0) {
			raise_code(&v, "RDE_SCHEMA_VALIDATION_ERROR", 0, r->file,
			           "no rde:deposit element");
		}
	}
	if (stream_ok && v.have_deposit) {
		end_checks(&v);
		if (v.rc != SSR_EOK) {
			rc = ssr_diag_set(diag, v.rc, "escrow: out of memory");
			goto out;
		}
	} else if (!stream_ok) {
		for (int c = 5; c <= 14; c++) {
			if (r->state[c - 1] == SSR_RDE_RUN) {
				state(r, c, SSR_RDE_NOT_RUN,
				      "the deposit could not be read to the end");
			}
		}
	}
	if (r->hosts == SSR_RDE_HOSTS_ATTRIBUTES && r->state[7] == SSR_RDE_RUN) {
		state(r, 8, SSR_RDE_SKIPPED, "the host attribute model");
	}
	if (r->model == SSR_RDE_MODEL_MINIMUM && r->state[8] == SSR_RDE_RUN) {
		state(r, 9, SSR_RDE_SKIPPED, "the minimum data model");
	}
	if (!o->idn_tables_given && r->counted[SSR_ESCROW_IDN] == 0 &&
	    r->state[10] == SSR_RDE_RUN) {
		state(r, 11, SSR_RDE_SKIPPED, "no IDN tables given and none in the deposit");
	}
	if (r->counted[SSR_ESCROW_NNDN] == 0 && r->state[11] == SSR_RDE_RUN) {
		state(r, 12, SSR_RDE_SKIPPED, "no NNDN objects");
	}
	if (r->model != SSR_RDE_MODEL_MAXIMUM && r->counted[SSR_ESCROW_POLICY] == 0 &&
	    r->state[13] == SSR_RDE_RUN) {
		state(r, 14, SSR_RDE_SKIPPED, "no policy objects and not the maximum model");
	}
	r->xref_bytes = 0;
	for (int t = 0; t < T_NTARGETS; t++) {
		r->xref_bytes += v.sets[t].cap * sizeof(uint64_t);
	}
	r->xref_bytes +=
	    (v.domain_roids.cap + v.host_roids.cap + v.contact_roids.cap + v.nndn_names.cap) *
	        sizeof(uint64_t) +
	    v.cap_refs * sizeof(ref_t) + v.cap_strs;
out:
	r->valid = r->codes == 0;
	for (int c = 0; c < SSR_RDE_NCHECKS; c++) {
		if (r->state[c] == SSR_RDE_NOT_RUN) {
			r->valid = false;
		}
	}
	if (rc != SSR_EOK) {
		r->valid = false;
	}
	for (int t = 0; t < T_NTARGETS; t++) {
		ssr_u64set_release(&v.sets[t]);
	}
	ssr_u64set_release(&v.domain_roids);
	ssr_u64set_release(&v.host_roids);
	ssr_u64set_release(&v.contact_roids);
	ssr_u64set_release(&v.nndn_names);
	free(v.refs);
	free(v.strs);
	for (unsigned i = 0; i < v.nmenu; i++) {
		free(v.menu[i]);
	}
	for (unsigned i = 0; i < v.nhdr; i++) {
		free(v.hdr[i]);
	}
	free_list(v.repo_ids, v.nrepo_ids);
	free_list(v.rr_ids, v.nrr_ids);
	free_list(v.ext_uris, v.next_uris);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	r->seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	return rc;
}

void ssr_rde_result_release(ssr_rde_result_t *r)
{
	if (!r || !r->findings) {
		return;
	}
	size_t n;
	ssr_rde_codes(&n);
	for (size_t i = 0; i < n; i++) {
		free(r->findings[i].examples);
	}
	free(r->findings);
	r->findings = NULL;
}
