/* libescrow: the EBERO discrepancy listing.  The deposits are restored into a zone (with the
 * zone file's own apex), and that zone is diffed against the zone file with the zone diff's
 * external sort, so neither side has to fit in memory; the names the deposits keep out of the
 * zone for their status are a hash set. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ssrwatch/dname.h"
#include "ssrwatch/escrowrestore.h"
#include "ssrwatch/hash.h"
#include "ssrwatch/zonediff.h"

static const char *const cat_names[SSR_RECON_NCATS] = {"zone-only", "deposit-only", "held-in-zone",
                                                       "ns-differ", "ds-differ",    "glue-differ"};

const char *ssr_recon_cat_name(ssr_recon_cat_t c)
{
	return (unsigned)c < SSR_RECON_NCATS ? cat_names[c] : "?";
}

typedef struct {
	uint64_t *v;
	size_t n, cap;
} hvec_t;

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static uint64_t name_hash(const char *s)
{
	return ssr_hash64(s, strlen(s));
}

typedef struct {
	ssr_recon_t *r;
	hvec_t held;
	char whole[300]; /* the last delegation on one side only: its DS and glue are part of it */
} rc_t;

static void note(ssr_recon_t *r, ssr_recon_cat_t c, const char *name, const char *why)
{
	r->count[c]++;
	if (r->nexamples[c] < SSR_RECON_EXAMPLES) {
		snprintf(r->examples[c][r->nexamples[c]++], sizeof r->examples[0][0],
		         "%.200s: %.100s", name, why);
	}
}

static bool held(const rc_t *x, const char *name)
{
	uint64_t h = name_hash(name);
	return x->held.n && bsearch(&h, x->held.v, x->held.n, sizeof h, cmp_u64) != NULL;
}

static int on_change(const ssr_zdiff_change_t *c, void *ctx)
{
	rc_t *x = ctx;
	char owner[300], deleg[300] = "";
	if (ssr_dname_to_text(c->owner, owner, sizeof owner, true) < 0) {
		return SSR_EOK;
	}
	if (c->deleg && ssr_dname_to_text(c->deleg, deleg, sizeof deleg, true) < 0) {
		deleg[0] = '\0';
	}
	if ((c->kind == SSR_ZDIFF_DS && strcmp(owner, x->whole) == 0) ||
	    (c->kind == SSR_ZDIFF_GLUE && strcmp(deleg, x->whole) == 0)) {
		return SSR_EOK;
	}
	if (c->kind == SSR_ZDIFF_DELEG_ADDED || c->kind == SSR_ZDIFF_DELEG_REMOVED) {
		snprintf(x->whole, sizeof x->whole, "%s", owner);
	}
	switch (c->kind) {
	case SSR_ZDIFF_DELEG_ADDED: /* in the zone, not delegated by the deposit */
		if (held(x, owner)) {
			note(x->r, SSR_RECON_HELD_IN_ZONE, owner,
			     "delegated in the zone, on hold in the deposit");
		} else {
			note(x->r, SSR_RECON_ZONE_ONLY, owner,
			     "delegated in the zone, not in the deposit");
		}
		break;
	case SSR_ZDIFF_DELEG_REMOVED:
		note(x->r, SSR_RECON_DEPOSIT_ONLY, owner,
		     "delegated by the deposit, not in the zone");
		break;
	case SSR_ZDIFF_NS:
		note(x->r, SSR_RECON_NS, owner, "the NS sets differ");
		break;
	case SSR_ZDIFF_DS:
		note(x->r, SSR_RECON_DS, owner, "the DS sets differ");
		break;
	case SSR_ZDIFF_GLUE: {
		char why[320];
		snprintf(why, sizeof why, "the addresses differ (under %.250s)", deleg);
		note(x->r, SSR_RECON_GLUE, owner, why);
		break;
	}
	default:
		break; /* the apex comes from the zone itself; DNSSEC records are not deposit data
		        */
	}
	return SSR_EOK;
}

static int load_held(const char *path, hvec_t *h, ssr_diag_t *diag)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		return ssr_diag_set(diag, SSR_EIO, "reconcile: cannot read '%s'", path);
	}
	char line[320];
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\r\n")] = '\0';
		if (!line[0]) {
			continue;
		}
		if (h->n == h->cap &&
		    ssr_grow((void **)&h->v, &h->cap, h->n + 1, sizeof *h->v) != SSR_EOK) {
			fclose(f);
			return ssr_diag_set(diag, SSR_ENOMEM, "reconcile: out of memory");
		}
		h->v[h->n++] = name_hash(line);
	}
	fclose(f);
	if (h->n) {
		qsort(h->v, h->n, sizeof *h->v, cmp_u64);
	}
	return SSR_EOK;
}

int ssr_escrow_reconcile(const ssr_recon_opts_t *o, ssr_recon_t *r, ssr_diag_t *diag)
{
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	memset(r, 0, sizeof *r);
	if (!o->zone) {
		return ssr_diag_set(diag, SSR_EINVAL, "reconcile: a zone file is needed");
	}
	const char *tmpd = o->tmp_dir ? o->tmp_dir : getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	char base[1024];
	snprintf(base, sizeof base, "%s/ssrwatch-recon-XXXXXX", tmpd);
	int fd = mkstemp(base);
	if (fd < 0) {
		return ssr_diag_set(diag, SSR_EIO,
		                    "reconcile: cannot make a temporary file in '%s'", tmpd);
	}
	close(fd);
	char zone[1100], heldp[1100];
	snprintf(zone, sizeof zone, "%s.zone", base);
	snprintf(heldp, sizeof heldp, "%s.held", base);
	ssr_escrow_restore_opts_t ro = o->restore;
	ro.apex = o->zone;
	ro.out = zone;
	ro.held_out = heldp;
	rc_t x = {.r = r};
	int rc = ssr_escrow_restore(&ro, &r->restore, diag);
	if (rc == SSR_EOK) {
		rc = load_held(heldp, &x.held, diag);
	}
	if (rc == SSR_EOK) {
		ssr_zdiff_opts_t zo = {
		    .origin = r->restore.tld, .memory = o->memory, .tmp_dir = o->tmp_dir};
		ssr_zdiff_stats_t zs;
		rc = ssr_zdiff(zone, o->zone, &zo, on_change, &x, &zs, diag);
		r->deposit_delegations = zs.delegations[0];
		r->zone_delegations = zs.delegations[1];
	}
	unlink(base);
	unlink(zone);
	unlink(heldp);
	free(x.held.v);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	r->seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	return rc;
}
