/* ssrwatch — deterministic TLD zone generator.
 *
 * Realistic shape for tests and benchmarks: Zipf-distributed sharing of NS hosts among DNS
 * hosting providers, ~25% DS (algorithms 8/13/15, digest types 2/4), IDN delegations made with
 * libidn2, in-zone hosters with glue, varied TTLs, and (unless plain) relative owners, omitted
 * owners, class/TTL in both orders and multi-line DS records.  Output is in canonical order. */
#include <idn2.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ssrwatch/rng.h"
#include "ssrwatch/zonegen.h"

typedef struct {
	char domain[64]; /* absolute, with trailing dot */
	unsigned nhosts;
	bool in_zone;
} hoster_t;

typedef struct {
	char *label;
	int hoster; /* >= 0: this delegation is an in-zone hoster's domain */
} name_t;

static int cmp_name(const void *a, const void *b)
{
	return strcmp(((const name_t *)a)->label, ((const name_t *)b)->label);
}

void ssr_zonegen_defaults(ssr_zonegen_opts_t *o)
{
	memset(o, 0, sizeof(*o));
	o->origin = "example";
	o->delegations = 1000;
	o->seed = 1;
	o->hosters = 5000;
	o->ds_share = 0.25;
	o->idn_share = 0.03;
}

static const char *const syll[] = {
    "ka",  "lo",  "mi",  "ne",  "ru",   "sa",  "to",   "vi",  "ber",   "cor", "dan", "fel",
    "gar", "hol", "jin", "kel", "lum",  "mar", "nor",  "pix", "qua",   "ros", "sun", "tek",
    "web", "xen", "yo",  "zed", "shop", "net", "tech", "art", "cloud", "home"};

static void word(ssr_rng_t *r, char *out, size_t cap, unsigned min_syl, unsigned max_syl)
{
	unsigned n = min_syl + ssr_rng_below(r, max_syl - min_syl + 1);
	size_t o = 0;
	for (unsigned i = 0; i < n; i++) {
		const char *s = syll[ssr_rng_below(r, sizeof(syll) / sizeof(syll[0]))];
		size_t l = strlen(s);
		if (o + l + 1 >= cap) {
			break;
		}
		memcpy(out + o, s, l);
		o += l;
	}
	if (ssr_rng_below(r, 4) == 0 && o + 4 < cap) {
		o += (size_t)snprintf(out + o, cap - o, "%u", ssr_rng_below(r, 1000));
	} else if (ssr_rng_below(r, 8) == 0 && o + 6 < cap) {
		out[o++] = '-';
		const char *s = syll[ssr_rng_below(r, sizeof(syll) / sizeof(syll[0]))];
		size_t l = strlen(s);
		memcpy(out + o, s, l);
		o += l;
	}
	out[o] = '\0';
}

/* An IDN label (A-label) from a random Unicode word. */
static int idn_label(ssr_rng_t *r, char *out, size_t cap)
{
	static const uint32_t base[] = {0x430, 0x3b1, 0xe0, 0x4e00, 0x5d0, 0xac00};
	static const uint32_t span[] = {32, 24, 30, 2000, 27, 2000};
	unsigned s = ssr_rng_below(r, 6);
	unsigned n = 2 + ssr_rng_below(r, 6);
	uint32_t u[16];
	for (unsigned i = 0; i < n; i++) {
		u[i] = base[s] + ssr_rng_below(r, span[s]);
		if (s == 2 && (u[i] == 0xf7 || u[i] == 0xd7)) {
			u[i] = 0xe9;
		}
	}
	u[n] = 0;
	char *a = NULL;
	if (idn2_to_ascii_4z(u, &a, IDN2_NONTRANSITIONAL) != IDN2_OK) {
		return -1;
	}
	size_t l = strlen(a);
	if (l + 1 > cap || l > 63) {
		idn2_free(a);
		return -1;
	}
	memcpy(out, a, l + 1);
	idn2_free(a);
	return 0;
}

static void hex(ssr_rng_t *r, char *out, unsigned bytes)
{
	static const char d[] = "0123456789ABCDEF";
	for (unsigned i = 0; i < bytes; i++) {
		uint8_t b = (uint8_t)ssr_rng_next(r);
		out[2 * i] = d[b >> 4];
		out[2 * i + 1] = d[b & 15];
	}
	out[2 * bytes] = '\0';
}

/* Base64 (RFC 4648, padded) of bytes random bytes. */
static void b64(ssr_rng_t *r, char *out, unsigned bytes)
{
	static const char d[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	uint8_t raw[256];
	unsigned o = 0;
	for (unsigned i = 0; i < bytes && i < sizeof(raw); i++) {
		raw[i] = (uint8_t)ssr_rng_next(r);
	}
	for (unsigned i = 0; i < bytes; i += 3) {
		unsigned n = bytes - i >= 3 ? 3 : bytes - i;
		uint32_t v = (uint32_t)raw[i] << 16 | (n > 1 ? (uint32_t)raw[i + 1] << 8 : 0) |
		             (n > 2 ? raw[i + 2] : 0);
		out[o++] = d[(v >> 18) & 63];
		out[o++] = d[(v >> 12) & 63];
		out[o++] = n > 1 ? d[(v >> 6) & 63] : '=';
		out[o++] = n > 2 ? d[v & 63] : '=';
	}
	out[o] = '\0';
}

static unsigned zipf_pick(ssr_rng_t *r, const double *cdf, unsigned n)
{
	double u = ssr_rng_unit(r) * cdf[n - 1];
	unsigned lo = 0, hi = n - 1;
	while (lo < hi) {
		unsigned mid = (lo + hi) / 2;
		if (cdf[mid] < u) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	return lo;
}

static const char *ttl_class(ssr_rng_t *r, bool plain, char *buf, size_t cap)
{
	static const unsigned ttls[] = {3600, 7200, 86400, 172800};
	unsigned x = ssr_rng_below(r, 20);
	unsigned t = ttls[ssr_rng_below(r, 4)];
	if (x < 14) {
		return "";
	}
	if (x < 17 || plain) {
		snprintf(buf, cap, " %u", t);
	} else if (x < 19) {
		snprintf(buf, cap, " %u IN", t);
	} else {
		snprintf(buf, cap, " IN %u", t);
	}
	return buf;
}

/* One generation: the options, the random stream (its order of use fixes the output) and
 * what the phases build. */
typedef struct {
	const ssr_zonegen_opts_t *o;
	ssr_rng_t r;
	unsigned H;
	uint64_t N;
	double ds_share, idn_share;
	const char *tld;
	char apex[80];
	hoster_t *hs;
	double *cdf; /* Zipf (s=1) cumulative weights of the hosters */
	name_t *names;
	uint64_t n;
	FILE *out;
	ssr_diag_t *diag;
	ssr_rng_t sig;    /* signatures and hashes: the rest is the unsigned zone's */
	uint64_t nsigned; /* delegations with DS so far: an NSEC3 each (opt-out) */
} zgen_t;

/* Phase 1: the DNS hosters, every tenth (up to 1% of the delegations) inside the zone. */
static void make_hosters(zgen_t *g)
{
	static const char *const tlds[] = {"com", "net", "org", "de", "co.uk", "io", "com.br"};
	uint64_t in_zone = 0;
	double acc = 0;
	for (unsigned h = 0; h < g->H; h++) {
		char w[40];
		word(&g->r, w, sizeof(w), 2, 3);
		bool iz = (h % 10 == 3) && in_zone < g->N / 100 + 1;
		g->hs[h].in_zone = iz;
		g->hs[h].nhosts = 2 + ssr_rng_below(&g->r, 3);
		if (iz) {
			snprintf(g->hs[h].domain, sizeof(g->hs[h].domain), "dns%u%s.%s.", h, w,
			         g->tld);
			in_zone++;
		} else {
			snprintf(g->hs[h].domain, sizeof(g->hs[h].domain), "%s-dns%u.%s.", w, h,
			         tlds[ssr_rng_below(&g->r, 7)]);
		}
		acc += 1.0 / pow((double)h + 1.0, 1.0);
		g->cdf[h] = acc;
	}
}

/* Phase 2: the delegations' labels, in-zone hosters first, the rest random (IDNs among them),
 * sorted. */
static int make_names(zgen_t *g)
{
	for (unsigned h = 0; h < g->H && g->n < g->N; h++) {
		if (g->hs[h].in_zone) {
			const char *dot = strchr(g->hs[h].domain, '.');
			g->names[g->n].label =
			    strndup(g->hs[h].domain, (size_t)(dot - g->hs[h].domain));
			g->names[g->n++].hoster = (int)h;
		}
	}
	while (g->n < g->N) {
		char l[80];
		if (ssr_rng_unit(&g->r) < g->idn_share) {
			if (idn_label(&g->r, l, sizeof(l)) != 0) {
				continue;
			}
		} else {
			word(&g->r, l, sizeof(l), 1, 4);
		}
		g->names[g->n].label = strdup(l);
		g->names[g->n++].hoster = -1;
	}
	int rc = SSR_EOK;
	for (uint64_t i = 0; i < g->n; i++) {
		if (g->names[i].label == NULL) {
			rc = ssr_diag_set(g->diag, SSR_ENOMEM, "gen zone: out of memory");
		}
	}
	qsort(g->names, g->n, sizeof(*g->names), cmp_name);
	return rc;
}

/* Phase 3: unique labels: in every run of equal labels all but one (an in-zone hoster's, if
 * any) get their index as a suffix; resort and repeat until no label repeats. */
static int make_unique(zgen_t *g)
{
	name_t *names = g->names;
	uint64_t n = g->n;
	for (int pass = 0;; pass++) {
		bool dup = false;
		for (uint64_t i = 0; i < n;) {
			uint64_t j = i + 1;
			while (j < n && strcmp(names[j].label, names[i].label) == 0) {
				j++;
			}
			if (j - i > 1) {
				dup = true;
				uint64_t keep = i;
				for (uint64_t k = i; k < j; k++) {
					if (names[k].hoster >= 0) {
						keep = k;
					}
				}
				for (uint64_t k = i; k < j; k++) {
					if (k == keep) {
						continue;
					}
					size_t l = strlen(names[k].label);
					char *nl = malloc(l + 24);
					if (nl == NULL) {
						return ssr_diag_set(g->diag, SSR_ENOMEM,
						                    "gen zone: out of memory");
					}
					snprintf(nl, l + 24, "%s%llu", names[k].label,
					         (unsigned long long)k);
					free(names[k].label);
					names[k].label = nl;
				}
			}
			i = j;
		}
		if (!dup) {
			return SSR_EOK;
		}
		if (pass == 64) {
			return ssr_diag_set(g->diag, SSR_EINVAL,
			                    "gen zone: cannot make %llu names unique",
			                    (unsigned long long)n);
		}
		qsort(names, n, sizeof(*names), cmp_name);
	}
}

/* Phase 4: the apex: SOA, NS and, when signed, DNSKEYs, RRSIGs and NSEC3PARAM. */
static void write_apex(zgen_t *g)
{
	FILE *out = g->out;
	const char *apex = g->apex, *tld = g->tld;
	fprintf(out,
	        "; generated by ssrwatch gen zone --origin %s --delegations %llu --seed %llu\n",
	        tld, (unsigned long long)g->N, (unsigned long long)g->o->seed);
	fprintf(out, "$ORIGIN %s\n$TTL 86400\n", apex);
	if (g->o->plain) {
		fprintf(out,
		        "%s 86400 IN SOA a.%s-servers.net. hostmaster.nic.%s 2026112301 "
		        "1800 900 604800 86400\n",
		        apex, tld, apex);
	} else {
		fprintf(out,
		        "@ IN SOA a.%s-servers.net. hostmaster.nic.%s (\n"
		        "\t\t2026112301 ; serial\n\t\t1800 900 604800 86400 )\n",
		        tld, apex);
	}
	for (char c = 'a'; c <= 'd'; c++) {
		fprintf(out, "%s 172800 IN NS %c.%s-servers.net.\n", apex, c, tld);
	}
	if (g->o->signed_apex || g->o->signed_delegations) {
		char k[200];
		b64(&g->r, k, 64);
		fprintf(out, "%s 3600 IN DNSKEY 257 3 13 %s\n", apex, k);
		b64(&g->r, k, 64);
		fprintf(out, "%s 3600 IN DNSKEY 256 3 13 %s\n", apex, k);
		bool nsec = g->o->nsec; /* only with signed_delegations */
		const char *const covered[] = {"SOA", "NS", "DNSKEY", nsec ? "NSEC" : "NSEC3PARAM"};
		for (int i = 0; i < 4; i++) {
			b64(&g->r, k, 64);
			fprintf(out,
			        "%s 3600 IN RRSIG %s 13 1 86400 20261223000000 "
			        "20261123000000 %u %s %s\n",
			        apex, covered[i], 10000 + i, apex, k);
		}
		if (!nsec) {
			fprintf(out, "%s 0 IN NSEC3PARAM 1 0 0 -\n", apex);
		} else if (g->n > 0) { /* the chain starts at the apex */
			fprintf(out, "%s 86400 IN NSEC %s.%s NS SOA RRSIG NSEC DNSKEY\n", apex,
			        g->names[0].label, apex);
		} else {
			fprintf(out, "%s 86400 IN NSEC %s NS SOA RRSIG NSEC DNSKEY\n", apex, apex);
		}
	}
}

/* Phase 5, per delegation: its NS records (one or two hosters), a DS now and then, and the
 * glue of an in-zone hoster's name servers. */
static void write_delegation(zgen_t *g, const name_t *nm)
{
	FILE *out = g->out;
	ssr_rng_t *r = &g->r;
	bool plain = g->o->plain;
	char own[160], tc[32];
	bool rel = !plain && ssr_rng_below(r, 10) < 3;
	snprintf(own, sizeof(own), rel ? "%s" : "%s.%s", nm->label, g->apex);
	int h0 = nm->hoster >= 0 ? nm->hoster : (int)zipf_pick(r, g->cdf, g->H);
	int h1 =
	    (nm->hoster < 0 && ssr_rng_below(r, 100) < 15) ? (int)zipf_pick(r, g->cdf, g->H) : h0;
	unsigned nns = h1 != h0 ? 2 : g->hs[h0].nhosts;
	for (unsigned j = 0; j < nns; j++) {
		const hoster_t *hh = &g->hs[(h1 != h0 && j == 1) ? h1 : h0];
		bool blank = !plain && j > 0 && ssr_rng_below(r, 2) == 0;
		fprintf(out, "%s%s NS ns%u.%s\n", blank ? "\t" : own,
		        ttl_class(r, plain, tc, sizeof(tc)), j + 1, hh->domain);
	}
	bool ds = ssr_rng_unit(r) < g->ds_share;
	if (ds) {
		unsigned a = ssr_rng_below(r, 100);
		unsigned alg = a < 35 ? 8 : (a < 95 ? 13 : 15);
		unsigned dt = ssr_rng_below(r, 10) == 0 ? 4 : 2;
		char d[100];
		hex(r, d, dt == 4 ? 48 : 32);
		unsigned tag = ssr_rng_below(r, 65536);
		if (!plain && ssr_rng_below(r, 10) == 0) {
			fprintf(out, "%s 86400 IN DS %u %u %u (\n\t\t%.*s\n\t\t%s )\n", own, tag,
			        alg, dt, 32, d, d + 32);
		} else {
			fprintf(out, "%s%s DS %u %u %u %s\n", own,
			        ttl_class(r, plain, tc, sizeof(tc)), tag, alg, dt, d);
		}
		if (g->o->signed_delegations) { /* the DS RRset signed by the zone */
			char k[200];
			b64(&g->sig, k, 64);
			fprintf(
			    out,
			    "%s 86400 IN RRSIG DS 13 2 86400 20261223000000 20261123000000 10001 "
			    "%s %s\n",
			    own, g->apex, k);
			g->nsigned++;
		}
	}
	if (g->o->nsec) { /* the next name in canonical order */
		uint64_t i = (uint64_t)(nm - g->names);
		char next[160], k[200];
		if (i + 1 < g->n) {
			snprintf(next, sizeof(next), "%s.%s", g->names[i + 1].label, g->apex);
		} else {
			snprintf(next, sizeof(next), "%s", g->apex);
		}
		fprintf(out, "%s 86400 IN NSEC %s NS %sRRSIG NSEC\n", own, next, ds ? "DS " : "");
		b64(&g->sig, k, 64);
		fprintf(out,
		        "%s 86400 IN RRSIG NSEC 13 2 86400 20261223000000 20261123000000 10001 %s "
		        "%s\n",
		        own, g->apex, k);
	}
	if (nm->hoster >= 0) {
		const hoster_t *hh = &g->hs[nm->hoster];
		for (unsigned j = 0; j < hh->nhosts; j++) {
			unsigned v = (unsigned)nm->hoster;
			fprintf(out, "ns%u.%s A 192.0.%u.%u\n", j + 1, hh->domain, (v >> 8) & 255,
			        (v & 255) ^ j);
			if (ssr_rng_below(r, 2) == 0) {
				fprintf(out, "ns%u.%s AAAA 2001:db8:%x::%x\n", j + 1, hh->domain, v,
				        j + 1);
			}
		}
	}
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* Base32hex (RFC 4648, no padding) of a 20-byte hash made of the 8-byte key and 12 more. */
static void b32hex(uint64_t key, ssr_rng_t *r, char out[33])
{
	static const char d[] = "0123456789abcdefghijklmnopqrstuv";
	uint8_t raw[20];
	for (int i = 0; i < 8; i++) {
		raw[i] = (uint8_t)(key >> (56 - 8 * i));
	}
	for (int i = 8; i < 20; i++) {
		raw[i] = (uint8_t)ssr_rng_next(r);
	}
	unsigned o = 0;
	for (unsigned i = 0; i < 20; i += 5) {
		uint64_t v = 0;
		for (unsigned j = 0; j < 5; j++) {
			v = v << 8 | raw[i + j];
		}
		for (int j = 7; j >= 0; j--) {
			out[o++] = d[(v >> (5 * j)) & 31];
		}
	}
	out[o] = '\0';
}

/* The NSEC3 chain of an opt-out zone as .com has it: the apex and each signed delegation have
 * an NSEC3 (hashed owner, next hashed owner, types) with its RRSIG; after the delegations, each
 * owner in one run (the zone's owners are then not in canonical order, as many dumps are not). */
static int write_nsec3(zgen_t *g)
{
	uint64_t n = g->nsigned + 1;
	uint64_t *h = malloc(n * sizeof *h);
	if (h == NULL) {
		return ssr_diag_set(g->diag, SSR_ENOMEM, "gen zone: out of memory");
	}
	for (uint64_t i = 0; i < n; i++) {
		h[i] = ssr_rng_next(&g->sig);
	}
	qsort(h, n, sizeof *h, cmp_u64);
	char own[33], next[33], k[200];
	ssr_rng_t tail = g->sig; /* the hashes' other 12 bytes, the same for owner and next */
	for (uint64_t i = 0; i < n; i++) {
		ssr_rng_t a = tail, b = tail;
		a.s ^= h[i];
		b.s ^= h[(i + 1) % n];
		b32hex(h[i], &a, own);
		b32hex(h[(i + 1) % n], &b, next);
		fprintf(g->out, "%s.%s 86400 IN NSEC3 1 1 0 - %s %s\n", own, g->apex, next,
		        i == 0 ? "NS SOA RRSIG DNSKEY NSEC3PARAM" : "NS DS RRSIG");
		b64(&g->sig, k, 64);
		fprintf(g->out,
		        "%s.%s 86400 IN RRSIG NSEC3 13 2 86400 20261223000000 20261123000000 "
		        "10001 %s %s\n",
		        own, g->apex, g->apex, k);
	}
	free(h);
	return SSR_EOK;
}

/* The delegations as the sorted zone has them (the same random draws, in the same order),
 * written first to a temporary file, then copied out block by block in a shuffled order. */
static int write_shuffled(zgen_t *g)
{
	FILE *out = g->out, *tmp = tmpfile();
	uint64_t *at = malloc((g->n + 1) * sizeof *at),
	         *perm = malloc((g->n ? g->n : 1) * sizeof *perm);
	char *buf = NULL;
	int rc = tmp && at && perm ? SSR_EOK
	                           : ssr_diag_set(g->diag, SSR_ENOMEM, "gen zone: out of memory");
	g->out = tmp;
	for (uint64_t i = 0; rc == SSR_EOK && i < g->n; i++) {
		long pos = ftell(tmp);
		at[i] = pos < 0 ? 0 : (uint64_t)pos;
		write_delegation(g, &g->names[i]);
	}
	g->out = out;
	if (rc == SSR_EOK) {
		long end = ftell(tmp);
		at[g->n] = end < 0 ? 0 : (uint64_t)end;
		if (end < 0 || ferror(tmp) || fflush(tmp) != 0) {
			rc = ssr_diag_set(g->diag, SSR_EIO, "gen zone: temporary file failed");
		}
	}
	/* Fisher-Yates with a generator of its own: the records do not depend on the order */
	ssr_rng_t r = {g->o->seed * 0x9e3779b97f4a7c15ULL + 11};
	for (uint64_t i = 0; rc == SSR_EOK && i < g->n; i++) {
		perm[i] = i;
	}
	for (uint64_t i = g->n; rc == SSR_EOK && i > 1; i--) {
		uint64_t j = ssr_rng_below(&r, (unsigned)i), t = perm[i - 1];
		perm[i - 1] = perm[j];
		perm[j] = t;
	}
	size_t cap = 0;
	for (uint64_t k = 0; rc == SSR_EOK && k < g->n; k++) {
		uint64_t i = perm[k], len = at[i + 1] - at[i];
		if (len > cap) {
			free(buf);
			cap = len * 2;
			if ((buf = malloc(cap)) == NULL) {
				rc = ssr_diag_set(g->diag, SSR_ENOMEM, "gen zone: out of memory");
				break;
			}
		}
		if (fseeko(tmp, (off_t)at[i], SEEK_SET) != 0 || fread(buf, 1, len, tmp) != len ||
		    fwrite(buf, 1, len, out) != len) {
			rc = ssr_diag_set(g->diag, SSR_EIO, "gen zone: write failed");
		}
	}
	free(buf);
	free(at);
	free(perm);
	if (tmp) {
		fclose(tmp);
	}
	return rc;
}

int ssr_zonegen_write(const ssr_zonegen_opts_t *o, FILE *out, ssr_diag_t *diag)
{
	zgen_t g = {.o = o,
	            .r = {o->seed * 0x2545f4914f6cdd1dULL + 7},
	            .H = o->hosters ? o->hosters : 5000,
	            .N = o->delegations,
	            .ds_share = o->ds_share < 0 ? 0.25 : o->ds_share,
	            .idn_share = o->idn_share < 0 ? 0.03 : o->idn_share,
	            .tld = o->origin,
	            .out = out,
	            .diag = diag,
	            .sig = {o->seed * 0x94d049bb133111ebULL + 13}};
	if (g.tld == NULL || *g.tld == '\0' || strlen(g.tld) > 63) {
		return ssr_diag_set(diag, SSR_EINVAL, "gen zone: bad origin");
	}
	if (o->nsec && !o->signed_delegations) {
		return ssr_diag_set(diag, SSR_EINVAL,
		                    "gen zone: an NSEC chain (--nsec) needs --signed-delegations");
	}
	snprintf(g.apex, sizeof(g.apex), "%s.", g.tld);
	g.hs = calloc(g.H, sizeof(*g.hs));
	g.cdf = malloc(g.H * sizeof(double));
	g.names = calloc(g.N ? g.N : 1, sizeof(*g.names));
	int rc = SSR_EOK;
	if (g.hs == NULL || g.cdf == NULL || g.names == NULL) {
		rc = ssr_diag_set(diag, SSR_ENOMEM, "gen zone: out of memory");
	}
	if (rc == SSR_EOK) {
		make_hosters(&g);
		rc = make_names(&g);
	}
	if (rc == SSR_EOK) {
		rc = make_unique(&g);
	}
	if (rc == SSR_EOK) {
		write_apex(&g);
		rc = o->unsorted ? write_shuffled(&g) : SSR_EOK;
		for (uint64_t i = 0; !o->unsorted && i < g.n; i++) {
			write_delegation(&g, &g.names[i]);
		}
		if (rc == SSR_EOK && o->signed_delegations && !o->nsec) {
			rc = write_nsec3(&g);
		}
		if (rc == SSR_EOK && ferror(out)) {
			rc = ssr_diag_set(diag, SSR_EIO, "gen zone: write failed");
		}
	}
	for (uint64_t i = 0; g.names != NULL && i < g.n; i++) {
		free(g.names[i].label);
	}
	free(g.names);
	free(g.hs);
	free(g.cdf);
	return rc;
}
