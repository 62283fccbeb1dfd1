/* libdeleg: the proposed delegation (zone, name servers, DS set) as the CLI gives it. */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "deleg_priv.h"
#include "ssrwatch/crypto.h"

#ifndef SSR_DATA_DIR
#define SSR_DATA_DIR "data"
#endif

/* name lowercased and made absolute into out (256 bytes); false when it is no domain name. */
static bool fqdn(const char *name, char *out)
{
	size_t l = strlen(name);
	if (l == 0 || l > 254 || (l == 254 && name[l - 1] != '.')) {
		return false;
	}
	for (size_t i = 0; i < l; i++) {
		out[i] = (char)tolower((unsigned char)name[i]);
	}
	out[l] = '\0';
	if (out[l - 1] != '.') {
		out[l++] = '.';
		out[l] = '\0';
	}
	uint8_t w[KNOT_DNAME_MAXLEN];
	return knot_dname_from_str(w, out, sizeof w) != NULL &&
	       (strcmp(out, ".") == 0 || strstr(out, "..") == NULL);
}

bool deleg_in_zone(const char *name, const char *zone)
{
	size_t n = strlen(name), z = strlen(zone);
	if (strcmp(zone, ".") == 0) {
		return true;
	}
	return n >= z && strcmp(name + n - z, zone) == 0 && (n == z || name[n - z - 1] == '.');
}

int ssr_deleg_change_init(ssr_deleg_change_t *ch, const char *zone, ssr_diag_t *diag)
{
	memset(ch, 0, sizeof(*ch));
	if (!fqdn(zone, ch->zone)) {
		return ssr_diag_set(diag, SSR_EINVAL, "delegation: bad zone name '%s'", zone);
	}
	return SSR_EOK;
}

int ssr_deleg_ns_add(ssr_deleg_change_t *ch, const char *s, ssr_diag_t *diag)
{
	if (ch->nns == SSR_DELEG_MAX_NS) {
		return ssr_diag_set(diag, SSR_ELIMIT, "delegation: more than %d name servers",
		                    SSR_DELEG_MAX_NS);
	}
	ssr_deleg_ns_t *ns = &ch->ns[ch->nns];
	memset(ns, 0, sizeof(*ns));
	const char *eq = strchr(s, '=');
	size_t nl = eq ? (size_t)(eq - s) : strlen(s);
	char name[256];
	if (nl == 0 || nl >= sizeof name) {
		return ssr_diag_set(diag, SSR_EINVAL, "delegation: bad name server '%s'", s);
	}
	memcpy(name, s, nl);
	name[nl] = '\0';
	/* the name as given, lowercased and absolute: its syntax is a check of its own, so only
	 * what cannot be a name on the wire is refused here */
	if (!fqdn(name, ns->name)) {
		return ssr_diag_set(diag, SSR_EINVAL, "delegation: bad name server name '%s'",
		                    name);
	}
	for (unsigned i = 0; i < ch->nns; i++) {
		if (strcmp(ch->ns[i].name, ns->name) == 0) {
			return ssr_diag_set(diag, SSR_EINVAL,
			                    "delegation: name server '%s' given twice", ns->name);
		}
	}
	for (const char *p = eq ? eq + 1 : NULL; p != NULL && *p;) {
		const char *c = strchr(p, ',');
		size_t al = c ? (size_t)(c - p) : strlen(p);
		char a[80];
		if (al == 0 || al >= sizeof a) {
			return ssr_diag_set(diag, SSR_EINVAL,
			                    "delegation: name server '%s': bad address list",
			                    ns->name);
		}
		memcpy(a, p, al);
		a[al] = '\0';
		if (ns->naddr == SSR_DELEG_MAX_ADDRS) {
			return ssr_diag_set(diag, SSR_ELIMIT,
			                    "delegation: name server '%s': more than %d addresses",
			                    ns->name, SSR_DELEG_MAX_ADDRS);
		}
		if (ssr_probe_addr_parse(a, 53, &ns->addr[ns->naddr], &ns->addr_len[ns->naddr]) !=
		    SSR_EOK) {
			return ssr_diag_set(diag, SSR_EINVAL,
			                    "delegation: name server '%s': bad address '%s'",
			                    ns->name, a);
		}
		ns->naddr++;
		p = c ? c + 1 : NULL;
	}
	ns->given = ns->naddr > 0;
	ch->nns++;
	return SSR_EOK;
}

int ssr_deleg_ds_add(ssr_deleg_change_t *ch, const char *s, ssr_diag_t *diag)
{
	if (ch->nds == SSR_DELEG_MAX_DS) {
		return ssr_diag_set(diag, SSR_ELIMIT, "delegation: more than %d DS records",
		                    SSR_DELEG_MAX_DS);
	}
	/* words, split at blanks and commas */
	char buf[1024], *w[64];
	size_t nw = 0;
	if (strlen(s) >= sizeof buf) {
		return ssr_diag_set(diag, SSR_EINVAL, "delegation: DS too long");
	}
	snprintf(buf, sizeof buf, "%s", s);
	for (char *p = buf; *p && nw < 64;) {
		while (*p == ' ' || *p == '\t' || *p == ',') {
			*p++ = '\0';
		}
		if (*p == '\0') {
			break;
		}
		w[nw++] = p;
		while (*p && *p != ' ' && *p != '\t' && *p != ',') {
			p++;
		}
	}
	size_t f = 0;
	for (size_t i = 0; i < nw; i++) {
		if (strcasecmp(w[i], "DS") == 0) {
			f = i + 1; /* "OWNER [TTL] [IN] DS TAG ..." */
		}
	}
	ssr_deleg_ds_t *d = &ch->ds[ch->nds];
	char hex[400] = "";
	size_t hl = 0;
	for (size_t i = f + 3; i < nw; i++) {
		size_t l = strlen(w[i]);
		if (hl + l >= sizeof hex) {
			return ssr_diag_set(diag, SSR_EINVAL,
			                    "delegation: DS digest too long in '%s'", s);
		}
		memcpy(hex + hl, w[i], l + 1);
		hl += l;
	}
	char *end;
	unsigned long v[3];
	bool ok = nw >= f + 4;
	for (size_t i = 0; ok && i < 3; i++) {
		v[i] = strtoul(w[f + i], &end, 10);
		ok = *end == '\0' && isdigit((unsigned char)w[f + i][0]) &&
		     v[i] <= (i ? 255 : 65535);
	}
	size_t dl = 0;
	if (!ok || ssr_hex_decode(hex, d->digest, sizeof d->digest, &dl) != SSR_EOK || dl == 0) {
		return ssr_diag_set(diag, SSR_EINVAL,
		                    "delegation: bad DS '%s' (TAG ALG DIGESTTYPE HEX expected)", s);
	}
	d->tag = (uint16_t)v[0];
	d->alg = (uint8_t)v[1];
	d->digest_type = (uint8_t)v[2];
	d->len = (uint8_t)dl;
	ch->nds++;
	return SSR_EOK;
}

void ssr_deleg_suite_path(char *out, size_t cap)
{
	const char *dir = getenv("SSRWATCH_DATA");
	snprintf(out, cap, "%s/delegation/iana.yaml", dir ? dir : SSR_DATA_DIR);
}

const char *ssr_deleg_res_name(ssr_deleg_res_t r)
{
	switch (r) {
	case SSR_DELEG_PASS:
		return "pass";
	case SSR_DELEG_FAIL:
		return "fail";
	case SSR_DELEG_SKIP:
		return "skip";
	default:
		return "error";
	}
}
