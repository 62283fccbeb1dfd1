/* libdeleg: the post-change audit of a zone update (zone diff --check): the delegations a diff
 * found changed, rebuilt from the new zone file (NS set, DS set, the zone's addresses for the
 * name servers) in two passes, each run through the delegation suite. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "deleg_priv.h"
#include "ssrwatch/zone.h"

typedef struct {
	char **names; /* the delegations, sorted */
	size_t n;
	ssr_deleg_change_t *ch; /* in the same order */
	char **targets;         /* pass 2: the name servers' names, sorted, distinct */
	size_t ntargets;
	int pass;
	ssr_diag_t *diag;
} audit_t;

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char **find(char **v, size_t n, const char *s)
{
	return n ? bsearch(&s, v, n, sizeof(*v), str_cmp) : NULL;
}

static int on_rr(const ssr_zone_rr_t *rr, void *ctx)
{
	audit_t *a = ctx;
	char owner[KNOT_DNAME_TXT_MAXLEN + 1];
	if (knot_dname_to_str(owner, rr->owner, sizeof owner) == NULL) {
		return SSR_EOK;
	}
	if (a->pass == 1 && (rr->type == KNOT_RRTYPE_NS || rr->type == KNOT_RRTYPE_DS)) {
		char **hit = find(a->names, a->n, owner);
		if (hit == NULL) {
			return SSR_EOK;
		}
		ssr_deleg_change_t *ch = &a->ch[hit - a->names];
		char text[KNOT_DNAME_TXT_MAXLEN + 200];
		if (rr->type == KNOT_RRTYPE_NS) {
			if (knot_dname_to_str(text, rr->rdata, sizeof text) == NULL) {
				return SSR_EOK;
			}
			ssr_diag_t d;
			int rc = ssr_deleg_ns_add(ch, text, &d);
			if (rc == SSR_ELIMIT) {
				return ssr_diag_set(a->diag, rc, "zone '%s' line %llu: %s",
				                    rr->file, (unsigned long long)rr->line, d.msg);
			}
		} else if (rr->rdata_len > 4 && ch->nds < SSR_DELEG_MAX_DS &&
		           rr->rdata_len - 4 <= 64) {
			ssr_deleg_ds_t *ds = &ch->ds[ch->nds++];
			ds->tag = (uint16_t)(rr->rdata[0] << 8 | rr->rdata[1]);
			ds->alg = rr->rdata[2];
			ds->digest_type = rr->rdata[3];
			ds->len = (uint8_t)(rr->rdata_len - 4);
			memcpy(ds->digest, rr->rdata + 4, ds->len);
		}
		return SSR_EOK;
	}
	if (a->pass == 2 && (rr->type == KNOT_RRTYPE_A || rr->type == KNOT_RRTYPE_AAAA) &&
	    find(a->targets, a->ntargets, owner) != NULL) {
		for (size_t i = 0; i < a->n; i++) {
			for (unsigned k = 0; k < a->ch[i].nns; k++) {
				ssr_deleg_ns_t *ns = &a->ch[i].ns[k];
				if (strcmp(ns->name, owner) != 0 ||
				    ns->naddr == SSR_DELEG_MAX_ADDRS) {
					continue;
				}
				if (deleg_addr_from_rdata(rr->type, rr->rdata, rr->rdata_len,
				                          &ns->addr[ns->naddr],
				                          &ns->addr_len[ns->naddr]) == SSR_EOK) {
					ns->naddr++;
					ns->given = true;
				}
			}
		}
	}
	return SSR_EOK;
}

int ssr_deleg_audit(const char *zone_path, const char *origin, const char *const *names, size_t n,
                    const ssr_regress_suite_t *suite, const ssr_deleg_opts_t *o,
                    ssr_deleg_audit_fn fn, void *ctx, ssr_diag_t *diag)
{
	audit_t a = {.n = n, .diag = diag};
	a.names = calloc(n ? n : 1, sizeof(*a.names));
	a.ch = calloc(n ? n : 1, sizeof(*a.ch));
	int rc = a.names && a.ch ? SSR_EOK : ssr_diag_set(diag, SSR_ENOMEM, "audit: out of memory");
	for (size_t i = 0; rc == SSR_EOK && i < n; i++) {
		if ((a.names[i] = strdup(names[i])) == NULL) {
			rc = ssr_diag_set(diag, SSR_ENOMEM, "audit: out of memory");
		}
	}
	if (rc == SSR_EOK) {
		qsort(a.names, n, sizeof(*a.names), str_cmp);
	}
	for (size_t i = 0; rc == SSR_EOK && i < n; i++) {
		rc = ssr_deleg_change_init(&a.ch[i], a.names[i], diag);
	}
	ssr_zone_opts_t zo = {.origin = origin, .no_include = true};
	ssr_zone_read_stats_t zs;
	a.pass = 1;
	if (rc == SSR_EOK) {
		rc = ssr_zone_read(zone_path, &zo, on_rr, &a, &zs, diag);
	}
	/* pass 2: the addresses of every name server named */
	size_t nt = 0;
	for (size_t i = 0; i < n; i++) {
		nt += a.ch[i].nns;
	}
	if (rc == SSR_EOK && (a.targets = calloc(nt ? nt : 1, sizeof(char *))) == NULL) {
		rc = ssr_diag_set(diag, SSR_ENOMEM, "audit: out of memory");
	}
	for (size_t i = 0; rc == SSR_EOK && i < n; i++) {
		for (unsigned k = 0; k < a.ch[i].nns; k++) {
			a.targets[a.ntargets++] = a.ch[i].ns[k].name;
		}
	}
	if (rc == SSR_EOK) {
		qsort(a.targets, a.ntargets, sizeof(char *), str_cmp);
		a.pass = 2;
		rc = ssr_zone_read(zone_path, &zo, on_rr, &a, &zs, diag);
	}
	for (size_t i = 0; rc == SSR_EOK && i < n; i++) {
		ssr_deleg_report_t rep;
		if (a.ch[i].nns == 0) {
			rc = fn(&a.ch[i], NULL, ctx); /* removed: nothing to check */
			continue;
		}
		rc = ssr_deleg_check(suite, &a.ch[i], o, &rep, diag);
		if (rc == SSR_EOK) {
			rc = fn(&a.ch[i], &rep, ctx);
			ssr_deleg_report_release(&rep);
		}
	}
	for (size_t i = 0; a.names != NULL && i < n; i++) {
		free(a.names[i]);
	}
	free(a.names);
	free(a.ch);
	free(a.targets);
	return rc;
}
