/* ssrwatch gen escrow: an RFC 8909/9022 deposit (XML model) from a zone file.  The zone is read
 * once (delegations are handed over owner by owner, as a sorted zone has them); each delegation
 * becomes a domain object, its name servers host objects (in-zone ones with their glue), around
 * them a deterministic world of registrars, contacts, IDN tables, NNDNs, EPP parameters and a
 * policy; the header with the counts comes last.  Optionally wrapped as RyDE: a tar of the XML,
 * OpenPGP-encrypted to a test key (made in the keyring when it has none) and signed. */
#include <errno.h>
#include <fcntl.h>
#include <gpgme.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ssrwatch/date.h"
#include "ssrwatch/dname.h"
#include "ssrwatch/escrowgen.h"
#include "ssrwatch/hash.h"
#include "ssrwatch/zone.h"
#include "ssrwatch/zonediff.h"
#include "ssrwatch/arena.h"

static const struct {
	const char *name, *code;
} faults[] = {
    {"count", "RDE_OBJECT_COUNT_MISMATCH"},
    {"menu-uri", "RDE_MENU_AND_HEADER_URIS_DIFFER"},
    {"registrar", "RDE_DOMAIN_HAS_INVALID_CLID"},
    {"contact", "RDE_DOMAIN_HAS_MISSING_CONTACT"},
    {"registrant", "RDE_DOMAIN_HAS_INVALID_REGISTRANT"},
    {"host", "RDE_DOMAIN_HAS_MISSING_NAMESERVER"},
    {"crdate", "RDE_DOMAIN_HAS_INVALID_CRDATE"},
    {"exdate", "RDE_DOMAIN_HAS_INVALID_EXDATE"},
    {"duplicate", "RDE_DOMAIN_HAS_NON_UNIQUE_NAME"},
    {"roid", "RDE_DOMAIN_HAS_INVALID_ROID"}, /* found with --repo-ids (the roid is well-formed) */
    {"status", "RDE_DOMAIN_HAS_MISSING_STATUS"},
    {"schema", "RDE_SCHEMA_VALIDATION_ERROR"},
    {"host-addr", "RDE_HOST_HAS_MISSING_IP_ADDRESS"},
    {"host-ip", "RDE_HOST_HAS_INVALID_IP_ADDRESS"},
    {"email", "RDE_CONTACT_HAS_INVALID_EMAIL"},
    {"cc", "RDE_CONTACT_HAS_INVALID_CC"},
    {"postalinfo", "RDE_CONTACT_HAS_MULTIPLE_POSTALINFO_TYPES"},
    {"gurid", "RDE_REGISTRAR_HAS_MISSING_GURID"},
    {"nndn", "RDE_NNDN_CONFLICTS_WITH_DOMAIN"},
    {"idn", "RDE_IDN_OBJECT_MISSING"},
    {"epp-ext", "RDE_EPP_PARAMS_MISSING_EXTURI"},
    {"policy", "RDE_POLICY_OBJECT_MISSING"},
    {"truncated", "RDE_XML_PARSE_ERROR"},
    {"doctype", "RDE_XML_PARSE_ERROR"},
    {"signature", "RDE_INVALID_SIGNATURE"},
    {"filename", "RDE_INVALID_FILENAME"},
};
#define NFAULTS (sizeof faults / sizeof faults[0])

const char *const *ssr_escrowgen_faults(void)
{
	static const char *names[NFAULTS + 1];
	for (size_t i = 0; i < NFAULTS; i++) {
		names[i] = faults[i].name;
	}
	names[NFAULTS] = NULL;
	return names;
}

const char *ssr_escrowgen_fault_code(const char *fault)
{
	for (size_t i = 0; i < NFAULTS; i++) {
		if (strcmp(fault, faults[i].name) == 0) {
			return faults[i].code;
		}
	}
	return NULL;
}

void ssr_escrowgen_defaults(ssr_escrowgen_opts_t *o)
{
	memset(o, 0, sizeof *o);
	o->date = "2026-01-01";
	o->repo = "SSRW";
	o->registrars = 20;
	o->contacts = 0; /* 0: one per 4 domains, at least 10 (maximum model) */
	o->idn_tables = 2;
	o->nndn = 3;
	o->seed = 1;
}

#define NS_LIST  64
#define GLUE_MAX 64

typedef struct {
	const ssr_escrowgen_opts_t *o;
	FILE *out;
	uint8_t origin[256];
	char tld[256];
	int64_t watermark;
	char wm[32];
	/* the delegation being collected */
	uint8_t cur[256];
	bool have_cur;
	char ns[NS_LIST][256];
	unsigned nns;
	char ds[16][320];
	unsigned nds;
	struct {
		char host[256];
		char addr[64];
		bool v6;
	} glue[GLUE_MAX];
	unsigned nglue;
	ssr_u64set_t hosts_seen; /* hosts already written */
	/* in-zone name servers named before (or without) the delegation that holds their glue:
	 * written at the end if no delegation did (value 1: named by a delegation written) */
	ssr_strmap_t pending;
	uint64_t domains, hosts, contacts_n;
	unsigned ncontacts;
	bool fault[NFAULTS];
	char first_domain[256];
	bool faulted_domain, dup_written, host_fault_done;
	/* DIFF: the delegations to write (hashes of changed names); the others only counted */
	uint64_t *chg;
	size_t nchg, cap_chg;
	FILE *sink, *null;
	char *del; /* removed delegations (NUL-separated names) */
	size_t ldel, cdel, ndel;
	char prev_id[32];
	int rc;
	ssr_diag_t *diag;
} gen_t;

static bool has_fault(const gen_t *g, const char *name)
{
	for (size_t i = 0; i < NFAULTS; i++) {
		if (g->fault[i] && strcmp(faults[i].name, name) == 0) {
			return true;
		}
	}
	return false;
}

static int host_seen(gen_t *g, const char *name, bool *seen)
{
	return ssr_u64set_add(&g->hosts_seen, ssr_u64set_key(name, strlen(name)), seen);
}

static void ts(int64_t t, char out[32])
{
	char b[21];
	ssr_time_format(t, b);
	snprintf(out, 32, "%s", b);
}

static uint64_t mix(const char *s, uint64_t seed)
{
	return ssr_hash64(s, strlen(s)) ^ (seed * 0x9e3779b97f4a7c15ULL);
}

static bool under_tld(const gen_t *g, const char *name)
{
	size_t n = strlen(name), t = strlen(g->tld);
	return n > t + 1 && name[n - t - 1] == '.' && strcmp(name + n - t, g->tld) == 0;
}

/* mode: 0 the glue as addresses, 1 none (fault host-addr), 2 one bad address (fault host-ip),
 * 3 an address of its own (an in-zone host whose domain the zone does not delegate) */
static void write_host(gen_t *g, const char *name, int mode)
{
	uint64_t h = mix(name, g->o->seed);
	unsigned rr = (unsigned)(h % g->o->registrars) + 1;
	FILE *f = g->out;
	fprintf(f,
	        "<rdeHost:host>\n <rdeHost:name>%s</rdeHost:name>\n "
	        "<rdeHost:roid>H%016llX-%s</rdeHost:roid>\n"
	        " <rdeHost:status s=\"ok\"/>\n",
	        name, (unsigned long long)ssr_hash64(name, strlen(name)), g->o->repo);
	if (mode == 2) {
		fprintf(f, " <rdeHost:addr ip=\"v4\">999.1.2.3</rdeHost:addr>\n");
	} else if (mode == 3) { /* a registered host whose domain is not delegated: no glue */
		fprintf(f, " <rdeHost:addr ip=\"v4\">198.51.100.%u</rdeHost:addr>\n",
		        (unsigned)(h % 254) + 1);
	} else if (mode == 0) {
		for (unsigned i = 0; i < g->nglue; i++) {
			if (strcmp(g->glue[i].host, name) == 0) {
				fprintf(f, " <rdeHost:addr ip=\"%s\">%s</rdeHost:addr>\n",
				        g->glue[i].v6 ? "v6" : "v4", g->glue[i].addr);
			}
		}
	}
	char cr[32];
	ts(g->watermark - 86400 * (int64_t)(1 + h % 2000), cr);
	fprintf(
	    f,
	    " <rdeHost:clID>registrar%u</rdeHost:clID>\n <rdeHost:crRr>registrar%u</rdeHost:crRr>\n"
	    " <rdeHost:crDate>%s</rdeHost:crDate>\n</rdeHost:host>\n",
	    rr, rr, cr);
	g->hosts++;
}

static void write_domain(gen_t *g, const char *name, bool fault_here)
{
	FILE *f = g->out;
	const ssr_escrowgen_opts_t *o = g->o;
	uint64_t h = mix(name, o->seed);
	unsigned rr = (unsigned)(h % o->registrars) + 1;
	bool f_reg = fault_here && has_fault(g, "registrar");
	char roid[64]; /* stable from deposit to deposit: from the name */
	snprintf(roid, sizeof roid, "D%016llX-%s",
	         (unsigned long long)ssr_hash64(name, strlen(name)), o->repo);
	if (fault_here && has_fault(g, "roid")) { /* well-formed, an unregistered repository */
		snprintf(roid, sizeof roid, "D%llu-NOTREG", (unsigned long long)(g->domains + 1));
	}
	if (g->dup_written) { /* the duplicate: same name, its own roid */
		snprintf(roid, sizeof roid, "D%llu-%s", (unsigned long long)(g->domains + 1),
		         o->repo);
	}
	fprintf(f,
	        "<rdeDomain:domain>\n <rdeDomain:name>%s</rdeDomain:name>\n "
	        "<rdeDomain:roid>%s</rdeDomain:roid>\n",
	        name, roid);
	if (strncmp(name, "xn--", 4) == 0 && o->idn_tables > 0) {
		fprintf(f, " <rdeDomain:idnTableId>%s</rdeDomain:idnTableId>\n",
		        fault_here && has_fault(g, "idn") ? "zz-missing" : "table1");
	} else if (fault_here && has_fault(g, "idn")) {
		fprintf(f, " <rdeDomain:idnTableId>zz-missing</rdeDomain:idnTableId>\n");
	}
	if (!(fault_here && has_fault(g, "status"))) {
		fprintf(f, " <rdeDomain:status s=\"%s\"/>\n",
		        h % 50 == 7 ? "clientTransferProhibited" : "ok");
	}
	if (!o->minimum) {
		unsigned n = g->ncontacts;
		unsigned c1 = (unsigned)(h % n) + 1, c2 = (unsigned)((h >> 20) % n) + 1;
		if (fault_here && has_fault(g, "registrant")) {
			fprintf(f, " <rdeDomain:registrant>nosuchcontact</rdeDomain:registrant>\n");
		} else {
			fprintf(f, " <rdeDomain:registrant>contact%u</rdeDomain:registrant>\n", c1);
		}
		if (fault_here && has_fault(g, "contact")) {
			fprintf(
			    f,
			    " <rdeDomain:contact type=\"admin\">nosuchadmin</rdeDomain:contact>\n");
		} else {
			fprintf(
			    f, " <rdeDomain:contact type=\"admin\">contact%u</rdeDomain:contact>\n",
			    c1);
		}
		fprintf(f, " <rdeDomain:contact type=\"tech\">contact%u</rdeDomain:contact>\n", c2);
	}
	if (g->nns) {
		fprintf(f, " <rdeDomain:ns>\n");
		for (unsigned i = 0; i < g->nns; i++) {
			if (o->host_attributes) {
				fprintf(f,
				        "  <domain:hostAttr><domain:hostName>%s</domain:hostName>",
				        g->ns[i]);
				for (unsigned k = 0; k < g->nglue; k++) {
					if (strcmp(g->glue[k].host, g->ns[i]) == 0) {
						fprintf(f,
						        "<domain:hostAddr "
						        "ip=\"%s\">%s</domain:hostAddr>",
						        g->glue[k].v6 ? "v6" : "v4",
						        g->glue[k].addr);
					}
				}
				fprintf(f, "</domain:hostAttr>\n");
			} else {
				const char *ns = g->ns[i];
				if (fault_here && i == 0 && has_fault(g, "host")) {
					ns = "ns.nosuchhost.invalid";
				}
				fprintf(f, "  <domain:hostObj>%s</domain:hostObj>\n", ns);
			}
		}
		fprintf(f, " </rdeDomain:ns>\n");
	}
	fprintf(f,
	        " <rdeDomain:clID>%s%u</rdeDomain:clID>\n "
	        "<rdeDomain:crRr>registrar%u</rdeDomain:crRr>\n",
	        f_reg ? "noregistrar" : "registrar", rr, rr);
	int64_t cr = g->watermark - 86400 * (int64_t)(1 + h % 3000);
	int64_t ex = cr + 86400 * 365 * (int64_t)(1 + (g->watermark - cr) / (86400 * 365));
	if (ex <= g->watermark) {
		ex += 86400 * 365;
	}
	if (fault_here && has_fault(g, "crdate")) {
		cr = g->watermark + 3600;
	}
	if (fault_here && has_fault(g, "exdate")) {
		ex = g->watermark - 86400;
	}
	char crs[32], exs[32];
	ts(cr, crs);
	ts(ex, exs);
	fprintf(
	    f,
	    " <rdeDomain:crDate>%s</rdeDomain:crDate>\n <rdeDomain:exDate>%s</rdeDomain:exDate>\n",
	    crs, exs);
	if (fault_here && has_fault(g, "schema")) {
		fprintf(f, " <rdeDomain:colour>blue</rdeDomain:colour>\n");
	}
	if (g->nds) {
		fprintf(f, " <rdeDomain:secDNS>\n");
		for (unsigned i = 0; i < g->nds; i++) {
			fprintf(f, "  %s\n", g->ds[i]);
		}
		fprintf(f, " </rdeDomain:secDNS>\n");
	}
	fprintf(f, "</rdeDomain:domain>\n");
	g->domains++;
}

/* One host, once: mode as write_host's. */
static int host_once(gen_t *g, const char *name)
{
	bool seen = false;
	if (host_seen(g, name, &seen) != SSR_EOK) {
		return g->rc = ssr_diag_set(g->diag, SSR_ENOMEM, "gen escrow: out of memory");
	}
	if (seen) {
		return SSR_EOK;
	}
	int mode = 0;
	if (under_tld(g, name) && !g->host_fault_done) {
		if (has_fault(g, "host-addr")) {
			mode = 1;
			g->host_fault_done = true;
		} else if (has_fault(g, "host-ip")) {
			mode = 2;
			g->host_fault_done = true;
		}
	}
	write_host(g, name, mode);
	return SSR_EOK;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* The delegation collected: the hosts it holds (its glue) and the out-of-zone hosts it names,
 * then the domain.  An in-zone host under another delegation is written with that one (where
 * its glue is). */
static void flush(gen_t *g)
{
	if (!g->have_cur) {
		return;
	}
	char name[256];
	if (ssr_dname_to_text(g->cur, name, sizeof name, true) < 0) {
		g->have_cur = false;
		return;
	}
	bool fault_here = !g->faulted_domain;
	g->faulted_domain = true;
	if (g->o->diff_from) { /* a DIFF writes the changed delegations only */
		uint64_t h = ssr_hash64(name, strlen(name));
		bool changed = g->nchg && bsearch(&h, g->chg, g->nchg, sizeof h, cmp_u64) != NULL;
		g->out = changed ? g->sink : g->null;
		fault_here = false;
	}
	if (!g->o->host_attributes) {
		for (unsigned i = 0; i < g->nglue && g->rc == SSR_EOK; i++) {
			host_once(g, g->glue[i].host);
		}
		size_t nl = strlen(name);
		for (unsigned i = 0; i < g->nns && g->rc == SSR_EOK; i++) {
			/* out-of-zone hosts, and hosts below this delegation even without glue (a
			 * DIFF then carries the host with its addresses gone) */
			size_t hl = strlen(g->ns[i]);
			bool below = hl > nl + 1 && g->ns[i][hl - nl - 1] == '.' &&
			             strcmp(g->ns[i] + hl - nl, name) == 0;
			if (!under_tld(g, g->ns[i]) || below) {
				host_once(g, g->ns[i]);
			} else if (!ssr_u64set_has(&g->hosts_seen,
			                           ssr_u64set_key(g->ns[i], strlen(g->ns[i])))) {
				ssr_strmap_entry_t *e;
				bool fresh;
				if (ssr_strmap_upsert(&g->pending, g->ns[i], strlen(g->ns[i]), &e,
				                      &fresh) != SSR_EOK) {
					g->rc = ssr_diag_set(g->diag, SSR_ENOMEM,
					                     "gen escrow: out of memory");
					return;
				}
				e->value |= g->out == g->sink ? 1 : 0;
			}
		}
	}
	write_domain(g, name, fault_here);
	if (fault_here && has_fault(g, "duplicate")) {
		g->dup_written = true;
		write_domain(g, name, false);
		g->dup_written = false;
	}
	if (!g->first_domain[0]) {
		snprintf(g->first_domain, sizeof g->first_domain, "%s", name);
	}
	g->have_cur = false;
	g->nns = g->nds = g->nglue = 0;
}

static int on_rr(const ssr_zone_rr_t *rr, void *ctx)
{
	gen_t *g = ctx;
	if (g->rc != SSR_EOK) {
		return g->rc;
	}
	bool apex = ssr_dname_cmp_canonical(rr->owner, g->origin) == 0;
	if (apex || !ssr_dname_is_under(rr->owner, g->origin)) {
		return SSR_EOK;
	}
	bool at_cur = g->have_cur && ssr_dname_cmp_canonical(rr->owner, g->cur) == 0;
	bool below_cur = g->have_cur && !at_cur && ssr_dname_is_under(rr->owner, g->cur);
	if (rr->type == SSR_RRTYPE_NS && !at_cur && !below_cur) {
		flush(g);
		memcpy(g->cur, rr->owner, rr->owner_len);
		g->have_cur = true;
		at_cur = true;
	}
	if (at_cur && rr->type == SSR_RRTYPE_NS && g->nns < NS_LIST) {
		if (ssr_dname_to_text(rr->rdata, g->ns[g->nns], sizeof g->ns[0], true) >= 0) {
			g->nns++;
		}
	} else if (at_cur && rr->type == SSR_RRTYPE_DS && g->nds < 16 && rr->rdata_len > 4) {
		char hex[129];
		size_t dl = rr->rdata_len - 4;
		if (dl > 64) {
			dl = 64;
		}
		for (size_t i = 0; i < dl; i++) {
			snprintf(hex + 2 * i, 3, "%02X", rr->rdata[4 + i]);
		}
		hex[2 * dl] = '\0';
		snprintf(
		    g->ds[g->nds++], sizeof g->ds[0],
		    "<secDNS:dsData><secDNS:keyTag>%u</secDNS:keyTag><secDNS:alg>%u</secDNS:alg>"
		    "<secDNS:digestType>%u</secDNS:digestType><secDNS:digest>%s</secDNS:digest></"
		    "secDNS:dsData>",
		    (unsigned)(rr->rdata[0] << 8 | rr->rdata[1]), rr->rdata[2], rr->rdata[3], hex);
	} else if (below_cur && (rr->type == SSR_RRTYPE_A || rr->type == SSR_RRTYPE_AAAA) &&
	           g->nglue < GLUE_MAX) {
		char host[256];
		if (ssr_dname_to_text(rr->owner, host, sizeof host, true) < 0) {
			return SSR_EOK;
		}
		snprintf(g->glue[g->nglue].host, sizeof g->glue[0].host, "%s", host);
		g->glue[g->nglue].v6 = rr->type == SSR_RRTYPE_AAAA;
		if (rr->type == SSR_RRTYPE_A && rr->rdata_len == 4) {
			snprintf(g->glue[g->nglue].addr, sizeof g->glue[0].addr, "%u.%u.%u.%u",
			         rr->rdata[0], rr->rdata[1], rr->rdata[2], rr->rdata[3]);
		} else if (rr->rdata_len == 16) {
			char *p = g->glue[g->nglue].addr;
			size_t cap = sizeof g->glue[0].addr;
			size_t off = 0;
			for (int i = 0; i < 16; i += 2) {
				off += (size_t)snprintf(
				    p + off, cap - off, "%s%x", i ? ":" : "",
				    (unsigned)(rr->rdata[i] << 8 | rr->rdata[i + 1]));
			}
		} else {
			return SSR_EOK;
		}
		g->nglue++;
	}
	return SSR_EOK;
}

static void write_prologue(gen_t *g)
{
	const ssr_escrowgen_opts_t *o = g->o;
	FILE *f = g->out;
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	if (has_fault(g, "doctype")) {
		fprintf(f, "<!DOCTYPE deposit [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b "
		           "\"&a;&a;&a;&a;&a;\">]>\n");
	}
	char id[16];
	snprintf(id, sizeof id, "%.4s%.2s%.2s001", o->date, o->date + 5, o->date + 8);
	fprintf(
	    f,
	    "<rde:deposit type=\"%s\" id=\"%s\"%s%s%s\n"
	    "  xmlns:rde=\"urn:ietf:params:xml:ns:rde-1.0\"\n"
	    "  xmlns:rdeHeader=\"urn:ietf:params:xml:ns:rdeHeader-1.0\"\n"
	    "  xmlns:rdeDomain=\"urn:ietf:params:xml:ns:rdeDomain-1.0\"\n"
	    "  xmlns:domain=\"urn:ietf:params:xml:ns:domain-1.0\"\n"
	    "  xmlns:secDNS=\"urn:ietf:params:xml:ns:secDNS-1.1\"\n"
	    "  xmlns:rdeHost=\"urn:ietf:params:xml:ns:rdeHost-1.0\"\n"
	    "  xmlns:rdeContact=\"urn:ietf:params:xml:ns:rdeContact-1.0\"\n"
	    "  xmlns:contact=\"urn:ietf:params:xml:ns:contact-1.0\"\n"
	    "  xmlns:rdeRegistrar=\"urn:ietf:params:xml:ns:rdeRegistrar-1.0\"\n"
	    "  xmlns:rdeIDN=\"urn:ietf:params:xml:ns:rdeIDN-1.0\"\n"
	    "  xmlns:rdeNNDN=\"urn:ietf:params:xml:ns:rdeNNDN-1.0\"\n"
	    "  xmlns:rdeEppParams=\"urn:ietf:params:xml:ns:rdeEppParams-1.0\"\n"
	    "  xmlns:epp=\"urn:ietf:params:xml:ns:epp-1.0\"\n"
	    "  xmlns:rdePolicy=\"urn:ietf:params:xml:ns:rdePolicy-1.0\">\n"
	    "<rde:watermark>%s</rde:watermark>\n<rde:rdeMenu>\n<rde:version>1.0</rde:version>\n",
	    o->diff_from ? "DIFF" : "FULL", id, o->diff_from ? " prevId=\"" : "",
	    o->diff_from ? g->prev_id : "", o->diff_from ? "\"" : "", g->wm);
	const char *uris[] = {"rdeHeader",  "rdeDomain",    "rdeHost",
	                      "rdeContact", "rdeRegistrar", "rdeIDN",
	                      "rdeNNDN",    "rdeEppParams", "rdePolicy"};
	for (size_t i = 0; i < sizeof uris / sizeof uris[0]; i++) {
		if ((strcmp(uris[i], "rdeHost") == 0 && o->host_attributes) ||
		    (strcmp(uris[i], "rdeContact") == 0 && o->minimum) ||
		    (strcmp(uris[i], "rdeIDN") == 0 && o->idn_tables == 0) ||
		    (strcmp(uris[i], "rdeNNDN") == 0 && o->nndn == 0) ||
		    (strcmp(uris[i], "rdePolicy") == 0 && (o->minimum || has_fault(g, "policy"))) ||
		    (strcmp(uris[i], "rdeNNDN") == 0 && has_fault(g, "menu-uri"))) {
			continue;
		}
		fprintf(f, "<rde:objURI>urn:ietf:params:xml:ns:%s-1.0</rde:objURI>\n", uris[i]);
	}
	fprintf(f, "</rde:rdeMenu>\n");
	if (o->diff_from) {
		/* the deletions, then only the changed objects (written as the zone is read) */
		if (g->ndel) {
			fprintf(f, "<rde:deletes>\n<rdeDomain:delete>\n");
			for (const char *p = g->del; p < g->del + g->ldel; p += strlen(p) + 1) {
				fprintf(f, " <rdeDomain:name>%s</rdeDomain:name>\n", p);
			}
			fprintf(f, "</rdeDomain:delete>\n</rde:deletes>\n");
		}
		fprintf(f, "<rde:contents>\n");
		return;
	}
	fprintf(f, "<rde:contents>\n");
	/* registrars */
	for (unsigned i = 1; i <= o->registrars; i++) {
		fprintf(
		    f,
		    "<rdeRegistrar:registrar>\n <rdeRegistrar:id>registrar%u</rdeRegistrar:id>\n"
		    " <rdeRegistrar:name>Registrar %u Ltd.</rdeRegistrar:name>\n",
		    i, i);
		if (!(i == 1 && has_fault(g, "gurid"))) {
			fprintf(f, " <rdeRegistrar:gurid>%u</rdeRegistrar:gurid>\n", 1000 + i);
		}
		fprintf(f,
		        " <rdeRegistrar:status>ok</rdeRegistrar:status>\n"
		        " <rdeRegistrar:postalInfo type=\"int\"><rdeRegistrar:addr>"
		        "<rdeRegistrar:street>%u Main Street</rdeRegistrar:street>"
		        "<rdeRegistrar:city>Springfield</rdeRegistrar:city><rdeRegistrar:cc>US</"
		        "rdeRegistrar:cc>"
		        "</rdeRegistrar:addr></rdeRegistrar:postalInfo>\n"
		        " <rdeRegistrar:email>abuse@registrar%u.example.net</rdeRegistrar:email>\n"
		        " <rdeRegistrar:crDate>2010-01-01T00:00:00Z</rdeRegistrar:crDate>\n"
		        "</rdeRegistrar:registrar>\n",
		        i, i);
	}
	/* contacts */
	static const char *const ccs[] = {"US", "DE", "FR", "JP", "BR",
	                                  "IN", "GB", "CA", "AU", "NL"};
	for (unsigned i = 1; i <= g->ncontacts; i++) {
		unsigned rr = (i % o->registrars) + 1;
		const char *cc = ccs[i % 10];
		if (i == 1 && has_fault(g, "cc")) {
			cc = "XX";
		}
		fprintf(
		    f,
		    "<rdeContact:contact>\n <rdeContact:id>contact%u</rdeContact:id>\n"
		    " <rdeContact:roid>C%u-%s</rdeContact:roid>\n <rdeContact:status s=\"ok\"/>\n"
		    " <rdeContact:postalInfo type=\"int\"><contact:name>Holder %u</contact:name>"
		    "<contact:addr><contact:street>%u Side "
		    "Road</contact:street><contact:city>Town</contact:city>"
		    "<contact:cc>%s</contact:cc></contact:addr></rdeContact:postalInfo>\n",
		    i, i, o->repo, i, i, cc);
		if (i == 1 && has_fault(g, "postalinfo")) {
			fprintf(f, " <rdeContact:postalInfo "
			           "type=\"int\"><contact:name>Holder</contact:name>"
			           "<contact:addr><contact:city>Town</contact:city><contact:cc>US</"
			           "contact:cc>"
			           "</contact:addr></rdeContact:postalInfo>\n");
		}
		fprintf(f,
		        " <rdeContact:voice>+1.5555550%03u</rdeContact:voice>\n"
		        " <rdeContact:email>%s%u@example.net</rdeContact:email>\n"
		        " <rdeContact:clID>registrar%u</rdeContact:clID>\n "
		        "<rdeContact:crRr>registrar%u</rdeContact:crRr>\n"
		        " <rdeContact:crDate>2015-06-01T00:00:00Z</rdeContact:crDate>\n</"
		        "rdeContact:contact>\n",
		        i % 1000, i == 1 && has_fault(g, "email") ? "holder..bad" : "holder", i, rr,
		        rr);
	}
	/* IDN tables */
	for (unsigned i = 1; i <= o->idn_tables; i++) {
		fprintf(f,
		        "<rdeIDN:idnTableRef id=\"table%u\">\n "
		        "<rdeIDN:url>https://www.iana.org/domains/idn-tables/"
		        "tables/%s_table%u_1.0.txt</rdeIDN:url>\n "
		        "<rdeIDN:urlPolicy>https://nic.%s/idn-policy</rdeIDN:urlPolicy>\n"
		        "</rdeIDN:idnTableRef>\n",
		        i, g->tld, i, g->tld);
	}
	/* EPP parameters */
	fprintf(f,
	        "<rdeEppParams:eppParams>\n <rdeEppParams:version>1.0</rdeEppParams:version>\n"
	        " <rdeEppParams:lang>en</rdeEppParams:lang>\n"
	        " <rdeEppParams:objURI>urn:ietf:params:xml:ns:domain-1.0</rdeEppParams:objURI>\n");
	if (!o->host_attributes) {
		fprintf(f, " <rdeEppParams:objURI>urn:ietf:params:xml:ns:host-1.0</"
		           "rdeEppParams:objURI>\n");
	}
	if (!o->minimum) {
		fprintf(f, " <rdeEppParams:objURI>urn:ietf:params:xml:ns:contact-1.0</"
		           "rdeEppParams:objURI>\n");
	}
	fprintf(f, " <rdeEppParams:svcExtension>\n");
	if (!has_fault(g, "epp-ext")) {
		fprintf(f, "  <epp:extURI>urn:ietf:params:xml:ns:secDNS-1.1</epp:extURI>\n");
	}
	fprintf(f, "  <epp:extURI>urn:ietf:params:xml:ns:rgp-1.0</epp:extURI>\n "
	           "</rdeEppParams:svcExtension>\n"
	           " <rdeEppParams:dcp>\n  <epp:access><epp:all/></epp:access>\n"
	           "  <epp:statement><epp:purpose><epp:admin/><epp:prov/></epp:purpose>"
	           "<epp:recipient><epp:ours/><epp:public/></"
	           "epp:recipient><epp:retention><epp:stated/></epp:retention>"
	           "</epp:statement>\n </rdeEppParams:dcp>\n</rdeEppParams:eppParams>\n");
	if (!o->minimum && !has_fault(g, "policy")) {
		fprintf(f, "<rdePolicy:policy scope=\"//rde:deposit/rde:contents/rdeDomain:domain\""
		           " element=\"rdeDomain:registrant\"/>\n");
	}
}

static void write_epilogue(gen_t *g)
{
	const ssr_escrowgen_opts_t *o = g->o;
	FILE *f = g->out;
	/* NNDNs: names that are not domains (one that is, with the fault); a DIFF has no changes */
	for (unsigned i = 1; i <= o->nndn && !o->diff_from; i++) {
		char name[300];
		if (i == 1 && has_fault(g, "nndn") && g->first_domain[0]) {
			snprintf(name, sizeof name, "%s", g->first_domain);
		} else {
			snprintf(name, sizeof name, "reserved-name-%u.%s", i, g->tld);
		}
		fprintf(f,
		        "<rdeNNDN:NNDN>\n <rdeNNDN:aName>%s</rdeNNDN:aName>\n "
		        "<rdeNNDN:nameState>%s</rdeNNDN:nameState>\n"
		        " <rdeNNDN:crDate>2020-01-01T00:00:00Z</rdeNNDN:crDate>\n</rdeNNDN:NNDN>\n",
		        name, i % 2 ? "blocked" : "withheld");
	}
	uint64_t domains = g->domains + (has_fault(g, "count") ? 1 : 0);
	fprintf(f, "<rdeHeader:header>\n <rdeHeader:tld>%s</rdeHeader:tld>\n", g->tld);
	fprintf(f,
	        " <rdeHeader:count "
	        "uri=\"urn:ietf:params:xml:ns:rdeDomain-1.0\">%llu</rdeHeader:count>\n",
	        (unsigned long long)domains);
	if (!o->host_attributes) {
		fprintf(f,
		        " <rdeHeader:count "
		        "uri=\"urn:ietf:params:xml:ns:rdeHost-1.0\">%llu</rdeHeader:count>\n",
		        (unsigned long long)g->hosts);
	}
	if (!o->minimum) {
		fprintf(f,
		        " <rdeHeader:count "
		        "uri=\"urn:ietf:params:xml:ns:rdeContact-1.0\">%u</rdeHeader:count>\n",
		        g->ncontacts);
	}
	fprintf(f,
	        " <rdeHeader:count "
	        "uri=\"urn:ietf:params:xml:ns:rdeRegistrar-1.0\">%u</rdeHeader:count>\n",
	        o->registrars);
	if (o->idn_tables) {
		fprintf(f,
		        " <rdeHeader:count "
		        "uri=\"urn:ietf:params:xml:ns:rdeIDN-1.0\">%u</rdeHeader:count>\n",
		        o->idn_tables);
	}
	if (o->nndn) {
		fprintf(f,
		        " <rdeHeader:count "
		        "uri=\"urn:ietf:params:xml:ns:rdeNNDN-1.0\">%u</rdeHeader:count>\n",
		        o->nndn);
	}
	fprintf(f, " <rdeHeader:count "
	           "uri=\"urn:ietf:params:xml:ns:rdeEppParams-1.0\">1</rdeHeader:count>\n");
	if (!o->minimum && !has_fault(g, "policy")) {
		fprintf(f, " <rdeHeader:count "
		           "uri=\"urn:ietf:params:xml:ns:rdePolicy-1.0\">1</rdeHeader:count>\n");
	}
	fprintf(f, "</rdeHeader:header>\n</rde:contents>\n</rde:deposit>\n");
}

/* ---- RyDE: tar + OpenPGP ---- */

typedef struct {
	FILE *xml;
	uint8_t hdr[512];
	uint64_t size, sent;
	int phase; /* 0 header, 1 data, 2 padding + end blocks, 3 done */
	size_t pos;
	size_t tail; /* bytes of padding + 1024 zero bytes */
} tar_src_t;

static ssize_t tar_read(void *handle, void *buf, size_t size)
{
	tar_src_t *t = handle;
	uint8_t *out = buf;
	size_t done = 0;
	while (done < size && t->phase < 3) {
		if (t->phase == 0) {
			size_t k = 512 - t->pos < size - done ? 512 - t->pos : size - done;
			memcpy(out + done, t->hdr + t->pos, k);
			t->pos += k;
			done += k;
			if (t->pos == 512) {
				t->phase = 1;
			}
		} else if (t->phase == 1) {
			size_t want = size - done;
			if (want > t->size - t->sent) {
				want = (size_t)(t->size - t->sent);
			}
			size_t n = want ? fread(out + done, 1, want, t->xml) : 0;
			if (want && n == 0) {
				errno = EIO;
				return -1;
			}
			t->sent += n;
			done += n;
			if (t->sent == t->size) {
				t->phase = 2;
				t->pos = 0;
			}
		} else {
			size_t k = t->tail - t->pos < size - done ? t->tail - t->pos : size - done;
			memset(out + done, 0, k);
			t->pos += k;
			done += k;
			if (t->pos == t->tail) {
				t->phase = 3;
			}
		}
	}
	return (ssize_t)done;
}

static void tar_header(uint8_t h[512], const char *name, uint64_t size)
{
	memset(h, 0, 512);
	snprintf((char *)h, 100, "%.99s", name);
	snprintf((char *)h + 100, 8, "%07o", 0644);
	snprintf((char *)h + 108, 8, "%07o", 0);
	snprintf((char *)h + 116, 8, "%07o", 0);
	snprintf((char *)h + 124, 12, "%011llo", (unsigned long long)size);
	snprintf((char *)h + 136, 12, "%011o", 0);
	h[156] = '0';
	memcpy(h + 257, "ustar", 6);
	memcpy(h + 263, "00", 2);
	memset(h + 148, ' ', 8);
	unsigned sum = 0;
	for (int i = 0; i < 512; i++) {
		sum += h[i];
	}
	snprintf((char *)h + 148, 8, "%06o", sum);
	h[155] = ' ';
}

static int gpg_ctx(const char *home, gpgme_ctx_t *ctx, ssr_diag_t *diag)
{
	setlocale(LC_CTYPE, "");
	gpgme_check_version(NULL);
	if (gpgme_new(ctx)) {
		return ssr_diag_set(diag, SSR_EIO, "gen escrow: GPGME cannot start");
	}
	if (home && gpgme_ctx_set_engine_info(*ctx, GPGME_PROTOCOL_OpenPGP, NULL, home)) {
		gpgme_release(*ctx);
		return ssr_diag_set(diag, SSR_EIO, "gen escrow: keyring '%s' cannot be used", home);
	}
	gpgme_set_pinentry_mode(*ctx, GPGME_PINENTRY_MODE_LOOPBACK);
	return SSR_EOK;
}

static int ryde(const ssr_escrowgen_opts_t *o, const char *xml_path, const char *member,
                const char *ryde_path, const char *sig_path, bool bad_sig, char *fpr, size_t fl,
                ssr_diag_t *diag)
{
	gpgme_ctx_t ctx;
	int rc = gpg_ctx(o->gnupg_home, &ctx, diag);
	if (rc != SSR_EOK) {
		return rc;
	}
	gpgme_key_t key = NULL;
	const char *uid = "ssrwatch escrow test key <escrow-test@example.invalid>";
	if (gpgme_op_keylist_start(ctx, uid, 1) == 0) {
		gpgme_op_keylist_next(ctx, &key);
		gpgme_op_keylist_end(ctx);
	}
	if (!key) {
		gpgme_error_t e = gpgme_op_createkey(ctx, uid, "future-default", 0, 0, NULL,
		                                     GPGME_CREATE_NOPASSWD | GPGME_CREATE_NOEXPIRE);
		if (e) {
			gpgme_release(ctx);
			return ssr_diag_set(diag, SSR_EIO, "gen escrow: cannot make a test key: %s",
			                    gpgme_strerror(e));
		}
		if (gpgme_op_keylist_start(ctx, uid, 1) == 0) {
			gpgme_op_keylist_next(ctx, &key);
			gpgme_op_keylist_end(ctx);
		}
		if (!key) {
			gpgme_release(ctx);
			return ssr_diag_set(diag, SSR_EIO,
			                    "gen escrow: the new test key cannot be found");
		}
	}
	snprintf(fpr, fl, "%s", key->fpr ? key->fpr : "");
	FILE *x = fopen(xml_path, "rb");
	FILE *out = fopen(ryde_path, "wb");
	if (!x || !out) {
		if (x) {
			fclose(x);
		}
		if (out) {
			fclose(out);
		}
		gpgme_key_unref(key);
		gpgme_release(ctx);
		return ssr_diag_set(diag, SSR_EIO, "gen escrow: cannot write '%s'", ryde_path);
	}
	struct stat sb;
	fstat(fileno(x), &sb);
	tar_src_t t = {.xml = x, .size = (uint64_t)sb.st_size};
	t.tail = (size_t)((512 - t.size % 512) % 512) + 1024;
	tar_header(t.hdr, member, t.size);
	struct gpgme_data_cbs cbs = {.read = tar_read};
	gpgme_data_t plain = NULL, cipher = NULL, sig = NULL, signed_in = NULL;
	gpgme_error_t e = gpgme_data_new_from_cbs(&plain, &cbs, &t);
	if (!e) {
		e = gpgme_data_new_from_stream(&cipher, out);
	}
	gpgme_key_t keys[2] = {key, NULL};
	if (!e) {
		e = gpgme_op_encrypt(ctx, keys, GPGME_ENCRYPT_ALWAYS_TRUST, plain, cipher);
	}
	gpgme_data_release(plain);
	gpgme_data_release(cipher);
	fclose(x);
	if (fclose(out) != 0 && !e) {
		rc = ssr_diag_set(diag, SSR_EIO, "gen escrow: cannot write '%s'", ryde_path);
	}
	if (e) {
		rc = ssr_diag_set(diag, SSR_EIO, "gen escrow: encryption failed: %s",
		                  gpgme_strerror(e));
	}
	if (rc == SSR_EOK) {
		/* the detached signature, armoured, over the .ryde (or, for the fault, over the
		 * XML) */
		FILE *in = fopen(bad_sig ? xml_path : ryde_path, "rb");
		FILE *so = fopen(sig_path, "wb");
		gpgme_set_armor(ctx, 1);
		gpgme_signers_clear(ctx);
		gpgme_signers_add(ctx, key);
		e = (!in || !so) ? gpg_error(GPG_ERR_GENERAL)
		                 : gpgme_data_new_from_stream(&signed_in, in);
		if (!e) {
			e = gpgme_data_new_from_stream(&sig, so);
		}
		if (!e) {
			e = gpgme_op_sign(ctx, signed_in, sig, GPGME_SIG_MODE_DETACH);
		}
		gpgme_data_release(signed_in);
		gpgme_data_release(sig);
		if (in) {
			fclose(in);
		}
		if (so && fclose(so) != 0 && !e) {
			e = gpg_error(GPG_ERR_GENERAL);
		}
		if (e) {
			rc = ssr_diag_set(diag, SSR_EIO, "gen escrow: signing failed: %s",
			                  gpgme_strerror(e));
		}
	}
	gpgme_key_unref(key);
	gpgme_release(ctx);
	return rc;
}

/* DIFF: what changed from the old zone to the new one */
static int on_change(const ssr_zdiff_change_t *c, void *ctx)
{
	gen_t *g = ctx;
	const uint8_t *n = c->kind == SSR_ZDIFF_GLUE ? c->deleg : c->owner;
	char name[300];
	if (c->kind == SSR_ZDIFF_APEX || c->kind == SSR_ZDIFF_OTHER || !n ||
	    ssr_dname_to_text(n, name, sizeof name, true) < 0) {
		return SSR_EOK;
	}
	if (c->kind == SSR_ZDIFF_DELEG_REMOVED) {
		size_t l = strlen(name) + 1;
		if (g->ldel + l > g->cdel &&
		    ssr_grow((void **)&g->del, &g->cdel, g->ldel + l, 1) != SSR_EOK) {
			return SSR_ENOMEM;
		}
		memcpy(g->del + g->ldel, name, l);
		g->ldel += l;
		g->ndel++;
		return SSR_EOK;
	}
	if (g->nchg == g->cap_chg &&
	    ssr_grow((void **)&g->chg, &g->cap_chg, g->nchg + 1, sizeof *g->chg) != SSR_EOK) {
		return SSR_ENOMEM;
	}
	g->chg[g->nchg++] = ssr_hash64(name, strlen(name));
	return SSR_EOK;
}

static int diff_prepare(gen_t *g, ssr_diag_t *diag)
{
	const ssr_escrowgen_opts_t *o = g->o;
	if (o->nfaults) {
		return ssr_diag_set(diag, SSR_EINVAL,
		                    "gen escrow: faults go with FULL deposits only");
	}
	ssr_zdiff_opts_t zo = {.origin = g->tld};
	ssr_zdiff_stats_t zs;
	int rc = ssr_zdiff(o->diff_from, o->zone, &zo, on_change, g, &zs, diag);
	if (rc != SSR_EOK) {
		return rc;
	}
	if (g->nchg) {
		qsort(g->chg, g->nchg, sizeof *g->chg, cmp_u64);
	}
	if (o->prev_id) {
		snprintf(g->prev_id, sizeof g->prev_id, "%s", o->prev_id);
	} else {
		/* the day before's FULL or DIFF, as gen escrow names them */
		int32_t day;
		if (ssr_date_parse(o->date, strlen(o->date), &day) != SSR_EOK) {
			return ssr_diag_set(diag, SSR_EINVAL, "gen escrow: bad --date '%s'",
			                    o->date);
		}
		char prev[11];
		ssr_date_format(day - 1, prev);
		snprintf(g->prev_id, sizeof g->prev_id, "%.4s%.2s%.2s001", prev, prev + 5,
		         prev + 8);
	}
	g->null = fopen("/dev/null", "w");
	if (!g->null) {
		return ssr_diag_set(diag, SSR_EIO, "gen escrow: cannot open /dev/null");
	}
	return SSR_EOK;
}

int ssr_escrowgen_write(const ssr_escrowgen_opts_t *o, ssr_escrowgen_result_t *r, ssr_diag_t *diag)
{
	memset(r, 0, sizeof *r);
	if (!o->zone || !o->tld || !o->dir) {
		return ssr_diag_set(diag, SSR_EINVAL,
		                    "gen escrow: --zone, --tld and --dir are required");
	}
	if (o->registrars == 0) {
		return ssr_diag_set(diag, SSR_EINVAL, "gen escrow: at least one registrar");
	}
	gen_t g = {.o = o, .diag = diag};
	for (unsigned i = 0; i < o->nfaults; i++) {
		bool known = false;
		for (size_t k = 0; k < NFAULTS; k++) {
			if (strcmp(o->faults[i], faults[k].name) == 0) {
				g.fault[k] = true;
				known = true;
			}
		}
		if (!known) {
			return ssr_diag_set(diag, SSR_EINVAL, "gen escrow: unknown fault '%s'",
			                    o->faults[i]);
		}
	}
	if (has_fault(&g, "signature") && !o->encrypt) {
		return ssr_diag_set(diag, SSR_EINVAL,
		                    "gen escrow: the 'signature' fault needs --encrypt");
	}
	if (o->minimum &&
	    (has_fault(&g, "contact") || has_fault(&g, "registrant") || has_fault(&g, "email") ||
	     has_fault(&g, "cc") || has_fault(&g, "postalinfo") || has_fault(&g, "policy"))) {
		return ssr_diag_set(diag, SSR_EINVAL,
		                    "gen escrow: contact faults need the maximum model");
	}
	int32_t day;
	if (ssr_date_parse(o->date, strlen(o->date), &day) != SSR_EOK) {
		return ssr_diag_set(diag, SSR_EINVAL, "gen escrow: bad --date '%s'", o->date);
	}
	g.watermark = (int64_t)day * 86400;
	ts(g.watermark, g.wm);
	snprintf(g.tld, sizeof g.tld, "%s", o->tld);
	for (char *p = g.tld; *p; p++) {
		if (*p >= 'A' && *p <= 'Z') {
			*p = (char)(*p - 'A' + 'a');
		}
	}
	size_t tl = strlen(g.tld);
	if (tl && g.tld[tl - 1] == '.') {
		g.tld[tl - 1] = '\0';
	}
	int wl = ssr_dname_from_text(g.tld, strlen(g.tld), NULL, g.origin, sizeof g.origin);
	if (wl < 0) {
		return ssr_diag_set(diag, SSR_EINVAL, "gen escrow: bad --tld '%s'", o->tld);
	}
	g.ncontacts = o->minimum ? 0 : o->contacts ? o->contacts : 10;
	if (mkdir(o->dir, 0755) != 0 && errno != EEXIST) {
		return ssr_diag_set(diag, SSR_EIO, "gen escrow: cannot create '%s': %s", o->dir,
		                    strerror(errno));
	}
	char base[300];
	snprintf(base, sizeof base, "%s_%s_%s_S1_R0", g.tld, o->date,
	         o->diff_from ? "diff" : "full");
	if (has_fault(&g, "filename")) {
		snprintf(base, sizeof base, "%s_%s_full_S1", g.tld, o->date); /* no _R{n} */
	}
	char xml_path[1024];
	snprintf(xml_path, sizeof xml_path, "%s/%s.xml", o->dir, base);
	g.out = fopen(xml_path, "w+b");
	if (!g.out) {
		return ssr_diag_set(diag, SSR_EIO, "gen escrow: cannot create '%s': %s", xml_path,
		                    strerror(errno));
	}
	g.sink = g.out;
	int rc = ssr_strmap_init(&g.pending, 1024) != SSR_EOK
	             ? ssr_diag_set(diag, SSR_ENOMEM, "gen escrow: out of memory")
	         : o->diff_from ? diff_prepare(&g, diag)
	                        : SSR_EOK;
	if (rc == SSR_EOK) {
		write_prologue(&g);
		ssr_zone_opts_t zo = {.origin = g.tld, .no_include = true};
		ssr_zone_read_stats_t zs;
		rc = ssr_zone_read(o->zone, &zo, on_rr, &g, &zs, diag);
	}
	if (rc == SSR_EOK) {
		flush(&g);
		rc = g.rc;
	}
	/* in-zone hosts no delegation of the zone carries (their domain is not delegated) */
	size_t pos = 0;
	for (ssr_strmap_entry_t *e; rc == SSR_EOK && (e = ssr_strmap_next(&g.pending, &pos));) {
		char host[300];
		snprintf(host, sizeof host, "%.*s", (int)e->len, (const char *)e->key);
		bool seen = false;
		if (host_seen(&g, host, &seen) != SSR_EOK) {
			rc = ssr_diag_set(diag, SSR_ENOMEM, "gen escrow: out of memory");
		} else if (!seen) {
			g.out = (!o->diff_from || e->value) ? g.sink : g.null;
			write_host(&g, host, 3);
		}
	}
	g.out = g.sink;
	if (rc == SSR_EOK) {
		write_epilogue(&g);
	}
	ssr_u64set_release(&g.hosts_seen);
	ssr_strmap_release(&g.pending);
	free(g.chg);
	free(g.del);
	if (g.null) {
		fclose(g.null);
	}
	if (rc == SSR_EOK && has_fault(&g, "truncated")) {
		long end = ftell(g.out);
		if (fflush(g.out) != 0 || ftruncate(fileno(g.out), end * 2 / 3) != 0) {
			rc = ssr_diag_set(diag, SSR_EIO, "gen escrow: cannot truncate '%s'",
			                  xml_path);
		}
	}
	if (rc == SSR_EOK) {
		r->bytes = (uint64_t)ftell(g.out);
	}
	if (fclose(g.out) != 0 && rc == SSR_EOK) {
		rc = ssr_diag_set(diag, SSR_EIO, "gen escrow: cannot write '%s'", xml_path);
	}
	if (rc != SSR_EOK) {
		unlink(xml_path);
		return rc;
	}
	r->domains = g.domains;
	r->hosts = g.hosts;
	r->contacts = g.ncontacts;
	r->registrars = o->registrars;
	if (o->encrypt) {
		char member[320];
		snprintf(member, sizeof member, "%s.xml", base);
		snprintf(r->path, sizeof r->path, "%s/%s.ryde", o->dir, base);
		snprintf(r->sig, sizeof r->sig, "%s/%s.sig", o->dir, base);
		rc = ryde(o, xml_path, member, r->path, r->sig, has_fault(&g, "signature"), r->key,
		          sizeof r->key, diag);
		unlink(xml_path);
		if (rc != SSR_EOK) {
			unlink(r->path);
			unlink(r->sig);
			return rc;
		}
	} else {
		snprintf(r->path, sizeof r->path, "%s", xml_path);
	}
	return SSR_EOK;
}
