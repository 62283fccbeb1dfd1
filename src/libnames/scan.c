/* libnames: a zone streamed through the zone reader, every delegation checked once. */
#include <stdio.h>
#include <string.h>

#include "names_priv.h"
#include "ssrwatch/dname.h"

typedef struct {
	const ssr_names_t *nm;
	ssr_names_scan_fn fn;
	void *ctx;
	ssr_names_scan_stats_t *st;
	uint8_t apex[SSR_DNAME_MAXLEN + 1];
	size_t apex_labels;
	bool have_apex, apex_is_suffix;
	char apex_text[SSR_DNAME_TEXTMAX];
	uint8_t last[SSR_DNAME_MAXLEN + 1];
	uint16_t last_len;
	bool matched;
} scan_t;

static int on_match(const ssr_names_subject_t *s, const ssr_names_match_t *m, void *ctx)
{
	scan_t *sc = ctx;
	sc->st->matches++;
	sc->matched = true;
	for (unsigned i = 0; i < SSR_NAMES_KIND_COUNT; i++) {
		if (m->kinds & (1u << i)) {
			sc->st->by_kind[i]++;
		}
	}
	return sc->fn ? sc->fn(sc->apex_text, s, m, sc->ctx) : SSR_EOK;
}

static void set_apex(scan_t *sc, const uint8_t *owner, size_t len)
{
	memcpy(sc->apex, owner, len);
	sc->apex_labels = ssr_dname_labels(owner);
	if (ssr_dname_to_text(owner, sc->apex_text, sizeof sc->apex_text, true) < 0 ||
	    strcmp(sc->apex_text, ".") == 0) {
		sc->apex_text[0] = '\0';
	}
	sc->apex_is_suffix =
	    sc->apex_text[0] == '\0' || ssr_psl_is_public_suffix(sc->nm->o.psl, sc->apex_text);
	sc->have_apex = true;
}

static int on_rr(const ssr_zone_rr_t *rr, void *ctx)
{
	scan_t *sc = ctx;
	sc->st->records++;
	if (rr->type == SSR_RRTYPE_SOA && !sc->have_apex) {
		set_apex(sc, rr->owner, rr->owner_len);
		return SSR_EOK;
	}
	if (rr->type != SSR_RRTYPE_NS) {
		return SSR_EOK;
	}
	if (!sc->have_apex) {
		/* no SOA first: the shortest NS owner seen is taken as the apex when it comes */
		set_apex(sc, (const uint8_t *)"", 1);
	}
	if (rr->owner_len == sc->last_len && memcmp(rr->owner, sc->last, rr->owner_len) == 0) {
		return SSR_EOK;
	}
	memcpy(sc->last, rr->owner, rr->owner_len);
	sc->last_len = rr->owner_len;
	size_t labels = ssr_dname_labels(rr->owner);
	if (labels <= sc->apex_labels || !ssr_dname_is_under(rr->owner, sc->apex)) {
		return SSR_EOK; /* the apex itself, or out of zone */
	}
	char text[SSR_DNAME_TEXTMAX], reg[NAMES_NAME_MAX + 1], prefix[NAMES_NAME_MAX + 1];
	int n = ssr_dname_to_text(rr->owner, text, sizeof text, true);
	if (n <= 0 || n > NAMES_NAME_MAX) {
		return SSR_EOK;
	}
	const char *regdom = text;
	prefix[0] = '\0';
	if (!(labels == sc->apex_labels + 1 && sc->apex_is_suffix)) {
		if (ssr_psl_is_public_suffix(sc->nm->o.psl, text)) {
			sc->st->suffixes++;
			return SSR_EOK;
		}
		int r = ssr_psl_registered_domain(sc->nm->o.psl, text, reg, sizeof reg);
		if (r <= 0) {
			return SSR_EOK;
		}
		size_t pl = (size_t)n - (size_t)r;
		pl = pl > 0 ? pl - 1 : 0;
		memcpy(prefix, text, pl);
		prefix[pl] = '\0';
		regdom = reg;
	}
	sc->st->delegations++;
	const char *dot = strchr(regdom, '.');
	size_t lablen = dot ? (size_t)(dot - regdom) : strlen(regdom);
	/* names are LDH here; anything else (underscores, escapes) is not a host name */
	for (const char *p = text; *p; p++) {
		char c = *p;
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.')) {
			return SSR_EOK;
		}
	}
	ssr_names_subject_t subj = {0};
	sc->matched = false;
	int rc = names_check_parts(sc->nm, regdom, lablen, prefix, NULL, &subj, on_match, sc);
	if (subj.bad_punycode) {
		sc->st->bad_punycode++;
	}
	if (subj.allowed) {
		sc->st->allowed++;
	}
	if (sc->matched) {
		sc->st->matched++;
	}
	return rc < 0 ? rc : SSR_EOK;
}

int names_scan_range(const ssr_names_t *nm, const char *path, const ssr_zone_opts_t *zopts,
                     const uint8_t *apex, ssr_names_scan_fn fn, void *ctx,
                     ssr_names_scan_stats_t *stats, ssr_diag_t *diag)
{
	if (!nm->built) {
		return ssr_diag_set(diag, SSR_EINVAL, "names: index not built");
	}
	scan_t sc = {.nm = nm, .fn = fn, .ctx = ctx, .st = stats};
	ssr_zone_opts_t o = {0};
	if (zopts) {
		o = *zopts;
	}
	if (apex) { /* a part after the first: the zone's apex is the first SOA's owner */
		set_apex(&sc, apex, ssr_dname_len(apex, SSR_DNAME_MAXLEN));
	} else if (o.origin) {
		uint8_t w[SSR_DNAME_MAXLEN + 1];
		int wl = ssr_dname_from_text(o.origin, strlen(o.origin), NULL, w, sizeof w);
		if (wl > 0) {
			set_apex(&sc, w, (size_t)wl);
		}
	}
	ssr_zone_read_stats_t zs;
	int rc = ssr_zone_read(path, &o, on_rr, &sc, &zs, diag);
	snprintf(stats->zone, sizeof stats->zone, "%.*s", (int)sizeof stats->zone - 1,
	         sc.apex_text);
	return rc;
}

int ssr_names_scan_zone(const ssr_names_t *nm, const char *path, const ssr_zone_opts_t *zopts,
                        ssr_names_scan_fn fn, void *ctx, ssr_names_scan_stats_t *stats,
                        ssr_diag_t *diag)
{
	return names_scan_range(nm, path, zopts, NULL, fn, ctx, stats, diag);
}
