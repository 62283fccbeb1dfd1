/* libescrow: the zone from escrow deposits.  The FULL deposit streams straight into the zone file
 * (NS and DS as domains arrive); the later DIFF/INCR deposits are read first into an override
 * map (their changes are a day's worth, small next to the FULL); in-zone host addresses go to a
 * side file and become glue at the end, for hosts under a delegated domain. */
#include <ctype.h>
#include <errno.h>
#include <libknot/libknot.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "escrow_priv.h"
#include "ssrwatch/dname.h"
#include "ssrwatch/escrowrestore.h"
#include "ssrwatch/hash.h"
#include "ssrwatch/zone.h"

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint64_t lh(const char *s)
{
	char b[300];
	size_t n = strlen(s);
	if (n >= sizeof b) {
		n = sizeof b - 1;
	}
	for (size_t i = 0; i < n; i++) {
		b[i] = (char)tolower((unsigned char)s[i]);
	}
	if (n && b[n - 1] == '.') {
		n--;
	}
	return ssr_u64set_key(b, n);
}

/* ---- the deposits' order ---- */

typedef struct {
	const char *path;
	ssr_escrow_type_t type;
	char id[32], prev[32], wm[40];
	int64_t wm_t;
	unsigned resend;
	bool seen;
} dep_t;

static int head_cb(const ssr_escrow_event_t *e, void *ctx)
{
	dep_t *d = ctx;
	if (e->ev != SSR_ESCROW_EV_DEPOSIT) {
		return SSR_EOK;
	}
	const ssr_escrow_deposit_t *x = e->u.deposit;
	d->type = x->type;
	snprintf(d->id, sizeof d->id, "%s", x->id ? x->id : "");
	snprintf(d->prev, sizeof d->prev, "%s", x->prev_id ? x->prev_id : "");
	snprintf(d->wm, sizeof d->wm, "%s", x->watermark ? x->watermark : "");
	d->wm_t = x->watermark_t;
	d->resend = x->resend;
	d->seen = true;
	return SSR_ESTOP;
}

static int cmp_dep(const void *a, const void *b)
{
	const dep_t *x = a, *y = b;
	if (x->wm_t != y->wm_t) {
		return x->wm_t < y->wm_t ? -1 : 1;
	}
	return (int)x->resend - (int)y->resend;
}

/* ---- restore state ---- */

typedef struct {
	char *text; /* NS/DS lines for the zone; NULL: deleted */
	bool held;
	bool delegated;
} dovr_t;

typedef struct {
	const ssr_escrow_restore_opts_t *o;
	ssr_escrow_restore_t *r;
	FILE *zone, *hosts, *held;
	char tld[256];
	uint32_t ttl;
	/* overrides from DIFF/INCR */
	ssr_strmap_t dmap, hmap;
	dovr_t *dv;
	size_t ndv, cap_dv;
	char **hv; /* host address lines; NULL deleted */
	size_t nhv, cap_hv;
	bool overriding; /* reading a DIFF into the maps (else the FULL into the zone) */
	char *text;      /* domain_text's buffer */
	size_t text_cap;
	ssr_u64set_t delegated;
	double cb_s;
	int rc;
	ssr_diag_t *diag;
} rst_t;

static bool is_hold(const ssr_escrow_domain_t *d)
{
	for (unsigned i = 0; i < d->nstatus; i++) {
		if (d->status[i] && (strcmp(d->status[i], "clientHold") == 0 ||
		                     strcmp(d->status[i], "serverHold") == 0)) {
			return true;
		}
	}
	return false;
}

static void lower(const char *s, char *out, size_t cap)
{
	size_t n = strlen(s);
	if (n >= cap) {
		n = cap - 1;
	}
	for (size_t i = 0; i < n; i++) {
		out[i] = (char)tolower((unsigned char)s[i]);
	}
	if (n && out[n - 1] == '.') {
		n--;
	}
	out[n] = '\0';
}

/* the zone lines of a domain into s->text (grown, reused per domain); NULL when out of
 * memory. Every line is at most the owner, one bounded field and 64 bytes of fixed text. */
static const char *domain_text(rst_t *s, const ssr_escrow_domain_t *d, const char *name)
{
	size_t per = strlen(name) + 300 + 64, cap = 1;
	for (unsigned i = 0; i < d->nds; i++) {
		cap += per + (d->ds[i].digest ? strlen(d->ds[i].digest) : 0);
	}
	cap += (size_t)(d->nhost_obj + d->nhost_attr) * per;
	if (cap > s->text_cap) {
		char *t = realloc(s->text, cap);
		if (!t) {
			return NULL;
		}
		s->text = t;
		s->text_cap = cap;
	}
	char *t = s->text;
	size_t l = 0;
	t[0] = '\0';
	for (unsigned i = 0; i < d->nhost_obj; i++) {
		char h[300];
		lower(d->host_obj[i], h, sizeof h);
		l += (size_t)snprintf(t + l, cap - l, "%s. %u IN NS %s.\n", name, s->ttl, h);
	}
	for (unsigned i = 0; i < d->nhost_attr; i++) {
		char h[300];
		lower(d->host_attr[i].name ? d->host_attr[i].name : "", h, sizeof h);
		l += (size_t)snprintf(t + l, cap - l, "%s. %u IN NS %s.\n", name, s->ttl, h);
	}
	for (unsigned i = 0; i < d->nds; i++) {
		l += (size_t)snprintf(t + l, cap - l, "%s. %u IN DS %u %u %u %s\n", name,
		                      s->ttl < 86400 ? s->ttl : 86400, d->ds[i].key_tag,
		                      d->ds[i].alg, d->ds[i].digest_type,
		                      d->ds[i].digest ? d->ds[i].digest : "");
	}
	return t;
}

/* hostAttr addresses (the host attribute model) as host lines */
static void attr_hosts(rst_t *s, const ssr_escrow_domain_t *d)
{
	for (unsigned i = 0; i < d->nhost_attr; i++) {
		char h[300];
		lower(d->host_attr[i].name ? d->host_attr[i].name : "", h, sizeof h);
		for (unsigned k = 0; k < d->host_attr[i].naddrs; k++) {
			fprintf(s->hosts, "%s %s %s\n", h, d->host_attr[i].v6[k] ? "AAAA" : "A",
			        d->host_attr[i].addrs[k]);
		}
	}
}

static int put_ovr(rst_t *s, ssr_strmap_t *m, const char *name, size_t *idx_out, bool *fresh)
{
	ssr_strmap_entry_t *e;
	bool created;
	if (ssr_strmap_upsert(m, name, strlen(name), &e, &created) != SSR_EOK) {
		return SSR_ENOMEM;
	}
	*fresh = created;
	if (created) {
		e->value = m == &s->dmap ? s->ndv : s->nhv;
		if (m == &s->dmap) {
			if (s->ndv == s->cap_dv && ssr_grow((void **)&s->dv, &s->cap_dv, s->ndv + 1,
			                                    sizeof *s->dv) != SSR_EOK) {
				return SSR_ENOMEM;
			}
			memset(&s->dv[s->ndv++], 0, sizeof *s->dv);
		} else {
			if (s->nhv == s->cap_hv && ssr_grow((void **)&s->hv, &s->cap_hv, s->nhv + 1,
			                                    sizeof *s->hv) != SSR_EOK) {
				return SSR_ENOMEM;
			}
			s->hv[s->nhv++] = NULL;
		}
	}
	*idx_out = (size_t)e->value;
	return SSR_EOK;
}

static void emit_domain(rst_t *s, const char *name, const char *text, bool held, bool has_ns)
{
	s->r->domains++;
	if (held) {
		s->r->held++;
		if (s->held) {
			fprintf(s->held, "%s\n", name);
		}
		return;
	}
	if (!has_ns) {
		s->r->no_ns++;
		return;
	}
	s->r->delegated++;
	if (ssr_u64set_add(&s->delegated, lh(name), NULL) != SSR_EOK) {
		s->rc = SSR_ENOMEM;
		return;
	}
	fputs(text, s->zone);
	for (const char *p = text; (p = strstr(p, " IN DS ")); p++) {
		s->r->ds++;
	}
}

static int restore_cb(const ssr_escrow_event_t *e, void *ctx)
{
	rst_t *s = ctx;
	double t0 = now_s();
	if (e->ev == SSR_ESCROW_EV_OBJECT && e->kind == SSR_ESCROW_DOMAIN) {
		const ssr_escrow_domain_t *d = e->u.domain;
		char name[300];
		lower(d->name ? d->name : "", name, sizeof name);
		bool has_ns = d->nhost_obj + d->nhost_attr > 0;
		if (s->overriding) {
			size_t i;
			bool fresh;
			if (put_ovr(s, &s->dmap, name, &i, &fresh) != SSR_EOK) {
				return SSR_ENOMEM;
			}
			const char *t = domain_text(s, d, name);
			char *copy = t ? strdup(t) : NULL;
			if (!copy) {
				return SSR_ENOMEM;
			}
			free(s->dv[i].text);
			s->dv[i].text = copy;
			s->dv[i].held = is_hold(d);
			s->dv[i].delegated = has_ns;
			attr_hosts(s, d);
		} else if (!ssr_strmap_find(&s->dmap, name, strlen(name))) {
			const char *t = domain_text(s, d, name);
			if (!t) {
				return SSR_ENOMEM;
			}
			emit_domain(s, name, t, is_hold(d), has_ns);
			attr_hosts(s, d);
		}
	} else if (e->ev == SSR_ESCROW_EV_OBJECT && e->kind == SSR_ESCROW_HOST) {
		const ssr_escrow_host_t *h = e->u.host;
		char name[300];
		lower(h->name ? h->name : "", name, sizeof name);
		s->r->hosts++;
		if (s->overriding) {
			size_t i;
			bool fresh;
			if (put_ovr(s, &s->hmap, name, &i, &fresh) != SSR_EOK) {
				return SSR_ENOMEM;
			}
			free(s->hv[i]);
			size_t cap = 16 + (size_t)h->naddrs * 360, l = 0;
			s->hv[i] = malloc(cap);
			if (!s->hv[i]) {
				return SSR_ENOMEM;
			}
			s->hv[i][0] = '\0';
			for (unsigned k = 0; k < h->naddrs; k++) {
				l += (size_t)snprintf(s->hv[i] + l, cap - l, "%s %s %s\n", name,
				                      h->v6[k] ? "AAAA" : "A", h->addrs[k]);
			}
		} else if (!ssr_strmap_find(&s->hmap, name, strlen(name))) {
			for (unsigned k = 0; k < h->naddrs; k++) {
				fprintf(s->hosts, "%s %s %s\n", name, h->v6[k] ? "AAAA" : "A",
				        h->addrs[k]);
			}
		}
	} else if (e->ev == SSR_ESCROW_EV_DELETE && s->overriding &&
	           (e->kind == SSR_ESCROW_DOMAIN || e->kind == SSR_ESCROW_HOST)) {
		char name[300];
		lower(e->deleted, name, sizeof name);
		size_t i;
		bool fresh;
		ssr_strmap_t *m = e->kind == SSR_ESCROW_DOMAIN ? &s->dmap : &s->hmap;
		if (put_ovr(s, m, name, &i, &fresh) != SSR_EOK) {
			return SSR_ENOMEM;
		}
		if (e->kind == SSR_ESCROW_DOMAIN) {
			free(s->dv[i].text);
			s->dv[i].text = NULL;
		} else {
			free(s->hv[i]);
			s->hv[i] = NULL;
		}
	} else if (e->ev == SSR_ESCROW_EV_OBJECT && e->kind == SSR_ESCROW_HEADER &&
	           e->u.header->tld) {
		char t[256];
		lower(e->u.header->tld, t, sizeof t);
		if (s->tld[0] && strcmp(t, s->tld) != 0) {
			return ssr_diag_set(s->diag, SSR_EINVAL,
			                    "deposit '%s': for TLD '%s', not '%s'", e->member, t,
			                    s->tld);
		}
	}
	s->cb_s += now_s() - t0;
	return s->rc;
}

/* ---- the apex from the template ---- */

typedef struct {
	rst_t *s;
	uint8_t origin[256];
	uint32_t serial;
	char **ns_names;
	size_t nns;
	char *glue; /* A/AAAA lines of in-zone names (apex NS candidates) */
	size_t gl, gcap;
	int rc;
} apex_t;

static int rr_text(const ssr_zone_rr_t *rr, char *out, size_t cap)
{
	knot_rrset_t set;
	knot_dname_t *owner = knot_dname_copy(rr->owner, NULL);
	if (!owner) {
		return SSR_ENOMEM;
	}
	knot_rrset_init(&set, owner, rr->type, KNOT_CLASS_IN, rr->ttl);
	int rc = knot_rrset_add_rdata(&set, rr->rdata, rr->rdata_len, NULL);
	if (rc == KNOT_EOK) {
		char *buf = out;
		size_t len = cap;
		rc = knot_rrset_txt_dump(&set, &buf, &len, &KNOT_DUMP_STYLE_DEFAULT);
	}
	knot_rrset_clear(&set, NULL);
	return rc < 0 ? SSR_EPARSE : SSR_EOK;
}

static int apex_cb(const ssr_zone_rr_t *rr, void *ctx)
{
	apex_t *a = ctx;
	bool at_apex = ssr_dname_cmp_canonical(rr->owner, a->origin) == 0;
	if (at_apex) {
		switch (rr->type) {
		case SSR_RRTYPE_RRSIG:
		case SSR_RRTYPE_NSEC:
		case SSR_RRTYPE_NSEC3:
		case SSR_RRTYPE_NSEC3PARAM:
		case SSR_RRTYPE_DNSKEY:
		case 59: /* CDS */
		case 60: /* CDNSKEY */
		case 63: /* ZONEMD */
			return SSR_EOK;
		default:
			break;
		}
		char text[70000];
		uint8_t rd[65535];
		ssr_zone_rr_t copy = *rr;
		if (rr->type == SSR_RRTYPE_SOA && rr->rdata_len >= 20) {
			memcpy(rd, rr->rdata, rr->rdata_len);
			size_t so = rr->rdata_len - 20;
			uint32_t serial = (uint32_t)rd[so] << 24 | (uint32_t)rd[so + 1] << 16 |
			                  (uint32_t)rd[so + 2] << 8 | rd[so + 3];
			if (a->s->o->serial) {
				serial = a->s->o->serial;
				rd[so] = (uint8_t)(serial >> 24);
				rd[so + 1] = (uint8_t)(serial >> 16);
				rd[so + 2] = (uint8_t)(serial >> 8);
				rd[so + 3] = (uint8_t)serial;
				copy.rdata = rd;
			}
			a->serial = serial;
		}
		if (rr_text(&copy, text, sizeof text) != SSR_EOK) {
			return ssr_diag_set(a->s->diag, SSR_EPARSE,
			                    "apex '%s' line %llu: cannot print a record", rr->file,
			                    (unsigned long long)rr->line);
		}
		fputs(text, a->s->zone);
		return SSR_EOK;
	}
	if (rr->type == SSR_RRTYPE_A || rr->type == SSR_RRTYPE_AAAA) {
		/* kept aside: written at the end when it is the address of an apex name server
		 * outside every delegation */
		char text[512];
		if (rr_text(rr, text, sizeof text) != SSR_EOK) {
			return SSR_EOK;
		}
		size_t n = strlen(text);
		if (a->gl + n + 1 > a->gcap) {
			size_t nc = a->gcap ? a->gcap * 2 : 4096;
			while (nc < a->gl + n + 1) {
				nc *= 2;
			}
			char *ng = realloc(a->glue, nc);
			if (!ng) {
				return SSR_ENOMEM;
			}
			a->glue = ng;
			a->gcap = nc;
		}
		memcpy(a->glue + a->gl, text, n + 1);
		a->gl += n;
	}
	return SSR_EOK;
}

typedef struct {
	uint8_t owner[256];
	bool have;
} soa_t;

static int soa_owner(const ssr_zone_rr_t *rr, void *ctx)
{
	soa_t *so = ctx;
	if (rr->type != SSR_RRTYPE_SOA) {
		return SSR_EOK;
	}
	memcpy(so->owner, rr->owner, rr->owner_len);
	so->have = true;
	return SSR_ESTOP;
}

/* the registered domain a host belongs to: the delegated name it is at or below, if any */
static bool under_delegation(const rst_t *s, const char *host)
{
	size_t tl = strlen(s->tld);
	for (const char *p = host; p && *p; p = strchr(p, '.') ? strchr(p, '.') + 1 : NULL) {
		size_t n = strlen(p);
		if (n <= tl + 1) {
			break;
		}
		if (ssr_u64set_has(&s->delegated, lh(p))) {
			return true;
		}
	}
	return false;
}

static int write_glue(rst_t *s, const char *hosts_path)
{
	FILE *f = fopen(hosts_path, "r");
	if (!f) {
		return ssr_diag_set(s->diag, SSR_EIO, "restore: cannot read '%s'", hosts_path);
	}
	ssr_u64set_t seen = {0};
	char line[1024];
	int rc = SSR_EOK;
	while (rc == SSR_EOK && fgets(line, sizeof line, f)) {
		char host[300], type[8], addr[128];
		if (sscanf(line, "%299s %7s %127s", host, type, addr) != 3) {
			continue;
		}
		if (!under_delegation(s, host)) {
			continue;
		}
		uint64_t h = lh(line);
		if (ssr_u64set_has(&seen, h)) {
			continue;
		}
		if (ssr_u64set_add(&seen, h, NULL) != SSR_EOK) {
			rc = ssr_diag_set(s->diag, SSR_ENOMEM, "restore: out of memory");
			break;
		}
		fprintf(s->zone, "%s. %u IN %s %s\n", host, s->ttl, type, addr);
		s->r->glue++;
	}
	fclose(f);
	ssr_u64set_release(&seen);
	return rc;
}

int ssr_escrow_restore(const ssr_escrow_restore_opts_t *o, ssr_escrow_restore_t *r,
                       ssr_diag_t *diag)
{
	memset(r, 0, sizeof *r);
	if (o->ndeposits == 0 || !o->apex || !o->out) {
		return ssr_diag_set(diag, SSR_EINVAL,
		                    "restore: deposits, an apex zone and an output are needed");
	}
	if (o->ndeposits > SSR_ESCROW_MAX_DEPOSITS) {
		return ssr_diag_set(diag, SSR_EINVAL, "restore: at most %d deposits",
		                    SSR_ESCROW_MAX_DEPOSITS);
	}
	/* 1. every deposit's type, id and watermark */
	dep_t deps[SSR_ESCROW_MAX_DEPOSITS];
	memset(deps, 0, sizeof deps);
	ssr_escrow_read_opts_t ro = {.gnupg_home = o->gnupg_home};
	for (size_t i = 0; i < o->ndeposits; i++) {
		deps[i].path = o->deposits[i];
		ro.ctx = &deps[i];
		ssr_escrow_read_stats_t st;
		int rc = ssr_escrow_read(o->deposits[i], &ro, head_cb, &st, diag);
		if (rc != SSR_EOK && rc != SSR_ESTOP) {
			return rc;
		}
		if (!deps[i].seen || deps[i].wm_t == INT64_MIN) {
			return ssr_diag_set(diag, SSR_EINVAL,
			                    "deposit '%s': no deposit element with a watermark",
			                    o->deposits[i]);
		}
	}
	qsort(deps, o->ndeposits, sizeof deps[0], cmp_dep);
	/* 2. the last FULL (the highest resend of it), then the later changes in order */
	ssize_t full = -1;
	for (size_t i = 0; i < o->ndeposits; i++) {
		if (deps[i].type == SSR_ESCROW_FULL) {
			full = (ssize_t)i;
		}
	}
	if (full < 0) {
		return ssr_diag_set(diag, SSR_EINVAL,
		                    "restore: no FULL deposit among the %zu given", o->ndeposits);
	}
	size_t chain[SSR_ESCROW_MAX_DEPOSITS], nchain = 0;
	const char *prev = deps[full].id; /* the deposit a DIFF follows */
	const char *base = deps[full].id; /* the last FULL or INCR: what an INCR follows */
	for (size_t i = (size_t)full + 1; i < o->ndeposits; i++) {
		if (deps[i].type == SSR_ESCROW_FULL) {
			continue;
		}
		/* a later resend of the same deposit replaces an earlier one */
		if (nchain && strcmp(deps[chain[nchain - 1]].id, deps[i].id) == 0) {
			chain[nchain - 1] = i;
			r->skipped++;
			continue;
		}
		if (strcmp(deps[i].id, deps[full].id) == 0) {
			r->skipped++;
			continue;
		}
		bool incr = deps[i].type == SSR_ESCROW_INCR;
		const char *want = incr ? base : prev;
		if (!o->allow_gaps && strcmp(deps[i].prev, want) != 0) {
			return ssr_diag_set(
			    diag, SSR_EINVAL,
			    "restore: a gap in the deposit chain: %s '%s' (%s) follows '%s', not "
			    "'%s' (--allow-gaps to apply it anyway)",
			    incr ? "INCR" : "DIFF", deps[i].id, deps[i].path,
			    deps[i].prev[0] ? deps[i].prev : "(none)", want);
		}
		chain[nchain++] = i;
		prev = deps[i].id;
		if (incr) {
			base = deps[i].id;
		}
	}
	r->skipped += (unsigned)full;
	snprintf(r->full, sizeof r->full, "%s", deps[full].path);
	snprintf(r->full_id, sizeof r->full_id, "%s", deps[full].id);
	snprintf(r->watermark, sizeof r->watermark, "%s",
	         nchain ? deps[chain[nchain - 1]].wm : deps[full].wm);
	/* 3. the files */
	apex_t a = {0};
	rst_t s = {.o = o, .r = r, .ttl = o->ttl ? o->ttl : 172800, .diag = diag};
	char tmp[1100], hosts[1100];
	snprintf(tmp, sizeof tmp, "%s.tmp", o->out);
	snprintf(hosts, sizeof hosts, "%s.hosts", o->out);
	int rc = SSR_EOK;
	a.s = &s;
	if (ssr_strmap_init(&s.dmap, 1024) != SSR_EOK ||
	    ssr_strmap_init(&s.hmap, 1024) != SSR_EOK) {
		ssr_strmap_release(&s.dmap);
		return ssr_diag_set(diag, SSR_ENOMEM, "restore: out of memory");
	}
	s.zone = fopen(tmp, "w");
	s.hosts = fopen(hosts, "w+");
	if (o->held_out) {
		s.held = fopen(o->held_out, "w");
	}
	if (!s.zone || !s.hosts || (o->held_out && !s.held)) {
		rc = ssr_diag_set(diag, SSR_EIO, "restore: cannot write '%s': %s", o->out,
		                  strerror(errno));
		goto out;
	}
	{
		/* the apex: a first pass finds the SOA owner (the TLD; the deposits' header must
		 * match) */
		soa_t so = {.have = false};
		ssr_zone_opts_t zo = {.no_include = true};
		ssr_zone_read_stats_t zs;
		rc = ssr_zone_read(o->apex, &zo, soa_owner, &so, &zs, diag);
		if (rc == SSR_ESTOP) {
			rc = SSR_EOK;
		}
		if (rc == SSR_EOK && !so.have) {
			rc = ssr_diag_set(diag, SSR_EINVAL, "apex '%s': no SOA record", o->apex);
		}
		if (rc != SSR_EOK) {
			goto out;
		}
		memcpy(a.origin, so.owner, sizeof a.origin);
		char t[256];
		if (ssr_dname_to_text(a.origin, t, sizeof t, true) < 0) {
			rc = ssr_diag_set(diag, SSR_EINVAL, "apex '%s': bad owner", o->apex);
			goto out;
		}
		snprintf(s.tld, sizeof s.tld, "%s", t);
		snprintf(r->tld, sizeof r->tld, "%s", t);
		zo.origin = t;
		rc = ssr_zone_read(o->apex, &zo, apex_cb, &a, &zs, diag);
		if (rc != SSR_EOK) {
			goto out;
		}
		r->serial = a.serial;
	}
	/* 4. the changes, then the FULL */
	double dec = 0, parse = 0;
	s.overriding = true;
	for (size_t i = 0; i < nchain && rc == SSR_EOK; i++) {
		ssr_escrow_read_stats_t st;
		ro.ctx = &s;
		rc = ssr_escrow_read(deps[chain[i]].path, &ro, restore_cb, &st, diag);
		dec += st.decrypt_s;
		parse += st.parse_s;
		r->diffs++;
	}
	/* later changes win: the chain was read oldest first, each overriding the one before */
	s.overriding = false;
	if (rc == SSR_EOK) {
		ssr_escrow_read_stats_t st;
		ro.ctx = &s;
		rc = ssr_escrow_read(deps[full].path, &ro, restore_cb, &st, diag);
		dec += st.decrypt_s;
		parse += st.parse_s;
	}
	if (rc == SSR_EOK) {
		rc = s.rc;
	}
	double tb = now_s();
	if (rc == SSR_EOK) {
		/* the overrides: changed and added domains, changed hosts */
		for (size_t i = 0; i < s.ndv && s.rc == SSR_EOK; i++) {
			if (!s.dv[i].text) {
				continue;
			}
			ssr_strmap_entry_t *e = &s.dmap.entries[i];
			char name[300];
			snprintf(name, sizeof name, "%.*s", (int)e->len, (const char *)e->key);
			emit_domain(&s, name, s.dv[i].text, s.dv[i].held, s.dv[i].delegated);
		}
		for (size_t i = 0; i < s.nhv; i++) {
			if (s.hv[i]) {
				fputs(s.hv[i], s.hosts);
			}
		}
		rc = s.rc;
	}
	if (rc == SSR_EOK && fflush(s.hosts) != 0) {
		rc = ssr_diag_set(diag, SSR_EIO, "restore: cannot write '%s'", hosts);
	}
	if (rc == SSR_EOK) {
		rc = write_glue(&s, hosts);
	}
	if (rc == SSR_EOK && a.glue) {
		/* in-zone addresses from the apex file that no delegation covers (the TLD's own
		 * servers) */
		for (char *line = a.glue; *line;) {
			char *nl = strchr(line, '\n');
			size_t n = nl ? (size_t)(nl - line + 1) : strlen(line);
			char owner[300];
			if (sscanf(line, "%299s", owner) == 1 && !under_delegation(&s, owner)) {
				fwrite(line, 1, n, s.zone);
			}
			line += n;
		}
	}
	r->build_s = s.cb_s + (now_s() - tb);
	r->decrypt_s = dec;
	r->parse_s = parse - s.cb_s > 0 ? parse - s.cb_s : 0;
out:
	if (s.zone && fclose(s.zone) != 0 && rc == SSR_EOK) {
		rc = ssr_diag_set(diag, SSR_EIO, "restore: cannot write '%s'", tmp);
	}
	if (s.hosts) {
		fclose(s.hosts);
	}
	if (s.held && fclose(s.held) != 0 && rc == SSR_EOK) {
		rc = ssr_diag_set(diag, SSR_EIO, "restore: cannot write '%s'", o->held_out);
	}
	unlink(hosts);
	if (rc == SSR_EOK && rename(tmp, o->out) != 0) {
		rc = ssr_diag_set(diag, SSR_EIO, "restore: cannot rename to '%s': %s", o->out,
		                  strerror(errno));
	}
	if (rc != SSR_EOK) {
		unlink(tmp);
	}
	for (size_t i = 0; i < s.ndv; i++) {
		free(s.dv[i].text);
	}
	free(s.dv);
	free(s.text);
	for (size_t i = 0; i < s.nhv; i++) {
		free(s.hv[i]);
	}
	free(s.hv);
	free(a.glue);
	ssr_strmap_release(&s.dmap);
	ssr_strmap_release(&s.hmap);
	ssr_u64set_release(&s.delegated);
	return rc;
}
