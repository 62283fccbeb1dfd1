/* librss: the monthly report merged from VP states (RSSAC047 sections 5 and 6).  Every figure is
 * computed from integers (counts, microseconds, interval indexes) in an order fixed by VP name
 * and interval, so that any order or grouping of the same states gives the same report.
 * RSSAC047 [rps] [ver] [jps]: one calendar month, intervals counted from 00:00 UTC of its first
 * day; RSSAC047 [gfa] [fhw] [ebg] [udc] [jtz] [dbo]: every VP's measurements of the month. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rss_priv.h"
#include "ssrwatch/arena.h"

/* One SOA measurement as the report keeps it. */
typedef struct {
	uint32_t rtt_us, serial;
	uint8_t status, has_serial;
} soa_t;

typedef struct {
	uint8_t result, reason;
} corr_t;

typedef struct {
	uint32_t idx, flags;
	uint16_t file; /* which input it came from (for errors) */
	soa_t *soa;    /* nrsi * 4 */
	corr_t *corr;  /* nrsi */
} ivl_t;

typedef struct {
	char name[64], region[64];
	ivl_t *iv;
	size_t n, cap;
} vp_t;

typedef struct {
	const char *const *paths;
	size_t cur;
	const ssr_rss_report_opts_t *o;
	ssr_rss_hdr_t first;
	bool have_first;
	vp_t *vps;
	size_t nvp, capvp;
	vp_t *vp;          /* the section being read */
	ssr_arena_t arena; /* every interval's measurements */
	ssr_diag_t *diag;
} build_t;

typedef struct {
	uint32_t *v;
	size_t n, cap;
} u32v_t;

static int u32v_push(u32v_t *a, uint32_t x)
{
	if (ssr_grow((void **)&a->v, &a->cap, a->n + 1, sizeof(*a->v)) != SSR_EOK) {
		return SSR_ENOMEM;
	}
	a->v[a->n++] = x;
	return SSR_EOK;
}

static int u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

/* The median of a (sorted here); the mean of the middle two for an even count. */
static double median(u32v_t *a)
{
	if (a->n == 0) {
		return 0;
	}
	qsort(a->v, a->n, sizeof(*a->v), u32_cmp);
	if (a->n % 2 == 1) {
		return a->v[a->n / 2];
	}
	return ((double)a->v[a->n / 2 - 1] + (double)a->v[a->n / 2]) / 2;
}

const char *ssr_rss_verdict_name(ssr_rss_verdict_t v)
{
	return v == SSR_RSS_PASS ? "pass" : v == SSR_RSS_FAIL ? "fail" : "nodata";
}

void ssr_rss_pct(uint64_t num, uint64_t den, int decimals, char *out, size_t cap)
{
	if (den == 0) {
		snprintf(out, cap, "n/a");
		return;
	}
	uint64_t scale = 1;
	for (int i = 0; i < decimals; i++) {
		scale *= 10;
	}
	/* floor(100 * scale * num / den) exactly, in 128 bits */
	unsigned __int128 q = (unsigned __int128)num * 100u * scale / den;
	uint64_t ip = (uint64_t)(q / scale), fp = (uint64_t)(q % scale);
	if (decimals > 0 && decimals < 19) {
		char frac[24];
		for (int i = decimals - 1; i >= 0; i--) {
			frac[i] = (char)('0' + fp % 10);
			fp /= 10;
		}
		frac[decimals] = 0;
		snprintf(out, cap, "%" PRIu64 ".%s", ip, frac);
	} else {
		snprintf(out, cap, "%" PRIu64, ip);
	}
}

/* ---- reading the states ---------------------------------------------------------------------- */

static int on_hdr(const ssr_rss_hdr_t *h, void *vctx)
{
	build_t *b = vctx;
	const char *path = b->paths[b->cur];
	if (strcmp(h->month, b->o->month) != 0) {
		return ssr_diag_set(b->diag, SSR_EINVAL,
		                    "rss state '%s': VP '%s' is of month %s, not %s", path, h->vp,
		                    h->month, b->o->month);
	}
	if (!b->have_first) {
		b->first = *h;
		b->have_first = true;
	} else {
		bool same = h->nrsi == b->first.nrsi && h->interval_s == b->first.interval_s;
		for (uint32_t i = 0; same && i < h->nrsi; i++) {
			same = strcmp(h->rsi[i], b->first.rsi[i]) == 0;
		}
		if (!same) {
			return ssr_diag_set(
			    b->diag, SSR_EINVAL,
			    "rss state '%s': VP '%s' measured another RSI set or interval than "
			    "'%s' (VP '%s')",
			    path, h->vp, b->paths[0], b->first.vp);
		}
	}
	for (size_t i = 0; i < b->nvp; i++) {
		if (strcmp(b->vps[i].name, h->vp) == 0) {
			if (strcmp(b->vps[i].region, h->region) != 0) {
				return ssr_diag_set(
				    b->diag, SSR_EINVAL,
				    "rss state '%s': VP '%s' in region '%s' here, '%s' before",
				    path, h->vp, h->region, b->vps[i].region);
			}
			b->vp = &b->vps[i];
			return SSR_EOK;
		}
	}
	if (ssr_grow((void **)&b->vps, &b->capvp, b->nvp + 1, sizeof(*b->vps)) != SSR_EOK) {
		return ssr_diag_set(b->diag, SSR_ENOMEM, "out of memory");
	}
	vp_t *v = &b->vps[b->nvp++];
	memset(v, 0, sizeof(*v));
	snprintf(v->name, sizeof v->name, "%s", h->vp);
	snprintf(v->region, sizeof v->region, "%s", h->region);
	b->vp = v;
	return SSR_EOK;
}

static int on_iv(const ssr_rss_hdr_t *h, const ssr_rss_interval_t *iv, void *vctx)
{
	build_t *b = vctx;
	vp_t *v = b->vp;
	if (ssr_grow((void **)&v->iv, &v->cap, v->n + 1, sizeof(*v->iv)) != SSR_EOK) {
		return ssr_diag_set(b->diag, SSR_ENOMEM, "out of memory");
	}
	ivl_t *d = &v->iv[v->n];
	/* the measurements of every interval in one arena: no allocation of its own each */
	d->soa = ssr_arena_alloc(&b->arena, h->nrsi * SSR_RSS_NT * sizeof(soa_t));
	d->corr = ssr_arena_alloc(&b->arena, h->nrsi * sizeof(corr_t));
	if (d->soa == NULL || d->corr == NULL) {
		return ssr_diag_set(b->diag, SSR_ENOMEM, "out of memory");
	}
	d->idx = iv->idx;
	d->flags = iv->flags;
	d->file = (uint16_t)b->cur;
	for (uint32_t r = 0; r < h->nrsi; r++) {
		for (int t = 0; t < SSR_RSS_NT; t++) {
			const ssr_rss_sample_t *s = &iv->soa[r][t];
			d->soa[r * SSR_RSS_NT + t] =
			    (soa_t){s->rtt_us, s->serial, s->status, s->has_serial};
		}
		d->corr[r] = (corr_t){iv->corr[r].result, iv->corr[r].reason};
	}
	v->n++;
	return SSR_EOK;
}

static int ivl_cmp(const void *a, const void *b)
{
	const ivl_t *x = a, *y = b;
	return (x->idx > y->idx) - (x->idx < y->idx);
}

static int vp_cmp(const void *a, const void *b)
{
	return strcmp(((const vp_t *)a)->name, ((const vp_t *)b)->name);
}

static void vps_free(vp_t *vps, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(vps[i].iv);
	}
	free(vps);
}

/* Read every state; the VPs sorted by name, each one's intervals by index, none twice. */
static int load(build_t *b, const char *const *paths, size_t n)
{
	b->paths = paths;
	for (b->cur = 0; b->cur < n; b->cur++) {
		if (b->cur > 65535) {
			return ssr_diag_set(b->diag, SSR_ELIMIT,
			                    "rss report: more than 65536 states");
		}
		int rc = ssr_rss_state_read(paths[b->cur], on_hdr, on_iv, b, b->diag);
		if (rc != SSR_EOK) {
			return rc;
		}
	}
	qsort(b->vps, b->nvp, sizeof(*b->vps), vp_cmp);
	for (size_t i = 0; i < b->nvp; i++) {
		vp_t *v = &b->vps[i];
		qsort(v->iv, v->n, sizeof(*v->iv), ivl_cmp);
		for (size_t j = 1; j < v->n; j++) {
			if (v->iv[j].idx == v->iv[j - 1].idx) {
				return ssr_diag_set(
				    b->diag, SSR_EINVAL,
				    "rss state '%s': VP '%s' interval %u is also in '%s'",
				    paths[v->iv[j].file], v->name, v->iv[j].idx,
				    paths[v->iv[j - 1].file]);
			}
		}
	}
	return SSR_EOK;
}

/* ---- the figures ----------------------------------------------------------------------------- */

/* The exclusion that removes RSI r (-1: the whole VP) of vp at interval start t_us, if any. */
static ssr_rss_excl_t *excluded(ssr_rss_report_t *rep, const char *vp, const char *rsi,
                                int64_t t_us)
{
	for (size_t i = 0; i < rep->nexcl; i++) {
		ssr_rss_excl_t *e = &rep->excl[i];
		if ((strcmp(e->vp, "*") == 0 || strcmp(e->vp, vp) == 0) &&
		    (rsi == NULL ? strcmp(e->rsi, "*") == 0
		                 : (strcmp(e->rsi, "*") == 0 || strcmp(e->rsi, rsi) == 0)) &&
		    t_us >= e->from_us && t_us < e->to_us) {
			return e;
		}
	}
	return NULL;
}

static const unsigned lat_limit_ms[SSR_RSS_NT] = {250, 500, 250, 500}; /* RSSAC047 [zuc] [bpl] */
static const unsigned rss_lat_limit_ms[SSR_RSS_NT] = {150, 300, 150,
                                                      300}; /* RSSAC047 [uwf] [lmx] */

typedef struct {
	u32v_t lat[SSR_RSS_MAX_RSI][SSR_RSS_NT], rsslat[SSR_RSS_NT];
	u32v_t pub[SSR_RSS_MAX_RSI], rsspub;
	u32v_t day_lat[SSR_RSS_MAX_RSI][31];
} acc_t;

static void acc_free(acc_t *a)
{
	for (int r = 0; r < SSR_RSS_MAX_RSI; r++) {
		for (int t = 0; t < SSR_RSS_NT; t++) {
			free(a->lat[r][t].v);
		}
		free(a->pub[r].v);
		for (int d = 0; d < 31; d++) {
			free(a->day_lat[r][d].v);
		}
	}
	for (int t = 0; t < SSR_RSS_NT; t++) {
		free(a->rsslat[t].v);
	}
	free(a->rsspub.v);
	free(a);
}

/* RSSAC047 5.1, 5.2, 5.3, 6.1, 6.2, 6.3 for one VP interval.  RSSAC047 [dzn] [wdo] [mba] [spx]:
 * the one SOA measurement feeds availability, latency (here) and publication latency. */
static int count_interval(ssr_rss_report_t *rep, acc_t *a, const vp_t *v, const ivl_t *iv,
                          int64_t t_us, unsigned day, bool *rsi_out)
{
	unsigned nrsi = rep->nrsi, k = rep->k;
	for (unsigned r = 0; r < nrsi; r++) {
		ssr_rss_excl_t *e = excluded(rep, v->name, rep->rsi[r], t_us);
		rsi_out[r] = e != NULL;
		if (e != NULL) {
			for (int t = 0; t < SSR_RSS_NT; t++) {
				e->removed += iv->soa[r * SSR_RSS_NT + t].status != SSR_RSS_S_NONE;
			}
			e->removed += iv->corr[r].result != SSR_RSS_C_NONE;
			continue;
		}
		ssr_rss_rsistat_t *s = &rep->rsis[r];
		for (int t = 0; t < SSR_RSS_NT; t++) {
			const soa_t *m = &iv->soa[r * SSR_RSS_NT + t];
			if (m->status == SSR_RSS_S_NONE) {
				continue;
			}
			/* RSSAC047 [gfa] [yah]: answered / sent over every VP; [ppo] [dfl] failures
			 */
			s->tf[t].sent++;
			s->day_sent[day]++;
			if (m->status == SSR_RSS_S_ANSWERED) {
				s->tf[t].answered++;
				s->day_answered[day]++;
				/* RSSAC047 [zvy] [vpa] [fhw]: answered queries' times only */
				if (u32v_push(&a->lat[r][t], m->rtt_us) != SSR_EOK ||
				    (t == SSR_RSS_UDP4 &&
				     u32v_push(&a->day_lat[r][day], m->rtt_us) != SSR_EOK)) {
					return SSR_ENOMEM;
				}
			}
		}
		/* RSSAC047 [ebg] [skm]: correct / responses; [ote] no response not counted */
		ssr_rss_corrstat_t *c = &s->corr;
		switch (iv->corr[r].result) {
		case SSR_RSS_C_CORRECT:
			c->responses++;
			c->correct++;
			break;
		case SSR_RSS_C_INCORRECT:
			c->responses++;
			c->incorrect++;
			c->by_reason[iv->corr[r].reason < SSR_RSS_R_COUNT ? iv->corr[r].reason
			                                                  : 0]++;
			break;
		case SSR_RSS_C_NORESPONSE:
			c->noresponse++;
			break;
		case SSR_RSS_C_UNCHECKED:
			c->unchecked++;
			break;
		default:
			break;
		}
	}
	/* RSSAC047 [egb] [cvf]: r(t,v) RSIs answering per transport and family; [bom] the k lowest
	 * latencies.  RSI-only exclusions do not change the system's figures. */
	for (int t = 0; t < SSR_RSS_NT; t++) {
		uint32_t lat[SSR_RSS_MAX_RSI];
		unsigned measured = 0, ans = 0;
		for (unsigned r = 0; r < nrsi; r++) {
			const soa_t *m = &iv->soa[r * SSR_RSS_NT + t];
			measured += m->status != SSR_RSS_S_NONE;
			if (m->status == SSR_RSS_S_ANSWERED) {
				lat[ans++] = m->rtt_us;
			}
		}
		if (measured == 0) {
			continue; /* this VP does not measure this family */
		}
		rep->rss[t].sum_min += ans < k ? ans : k;
		rep->rss[t].sum_k += k;
		rep->rss[t].vp_intervals++;
		qsort(lat, ans, sizeof(*lat), u32_cmp);
		for (unsigned i = 0; i < ans && i < k; i++) {
			if (u32v_push(&a->rsslat[t], lat[i]) != SSR_EOK) {
				return SSR_ENOMEM;
			}
		}
	}
	return SSR_EOK;
}

/* Per VP, interval and RSI the minimum serial of the answers (RSSAC047 [cnj] [tub]); 0 flag: none.
 */
typedef struct {
	uint32_t serial;
	uint8_t have;
} minser_t;

static int publication(ssr_rss_report_t *rep, acc_t *a, size_t nvp, minser_t **ms, bool **live,
                       uint32_t nidx)
{
	unsigned nrsi = rep->nrsi;
	/* RSSAC047 [kzu]: from the SOA answers of the availability measurements.
	 * RSSAC047 [yxn]: a serial is published in the first interval any VP saw it from any RSI */
	typedef struct {
		uint32_t serial, first;
	} pubt;
	pubt *ser = NULL;
	size_t ns = 0, cs = 0;
	uint32_t first_any = UINT32_MAX;
	for (size_t v = 0; v < nvp; v++) {
		for (uint32_t i = 0; i < nidx; i++) {
			if (!live[v][i]) {
				continue;
			}
			if (i < first_any) {
				first_any = i;
			}
			for (unsigned r = 0; r < nrsi; r++) {
				const minser_t *m = &ms[v][(size_t)i * nrsi + r];
				if (!m->have) {
					continue;
				}
				size_t j = 0;
				while (j < ns && ser[j].serial != m->serial) {
					j++;
				}
				if (j == ns) {
					if (ns == cs) {
						cs = cs ? 2 * cs : 16;
						pubt *nn = realloc(ser, cs * sizeof(*nn));
						if (nn == NULL) {
							free(ser);
							return SSR_ENOMEM;
						}
						ser = nn;
					}
					ser[ns++] = (pubt){m->serial, i};
				} else if (i < ser[j].first) {
					ser[j].first = i;
				}
			}
		}
	}
	/* in publication order (then serial order); those there from the first interval are not
	 * new: when they were published is not known */
	for (size_t i = 1; i < ns; i++) {
		for (size_t j = i; j > 0 && (ser[j - 1].first > ser[j].first ||
		                             (ser[j - 1].first == ser[j].first &&
		                              rss_serial_lt(ser[j].serial, ser[j - 1].serial)));
		     j--) {
			pubt t = ser[j];
			ser[j] = ser[j - 1];
			ser[j - 1] = t;
		}
	}
	int64_t ms0;
	unsigned days;
	(void)rss_month_parse(rep->month, &ms0, &days);
	uint32_t per = (uint32_t)(rep->days * 86400u / nidx); /* seconds per interval */
	rep->serials = calloc(ns ? ns : 1, sizeof(*rep->serials));
	if (rep->serials == NULL) {
		free(ser);
		return SSR_ENOMEM;
	}
	for (size_t s = 0; s < ns; s++) {
		if (ser[s].first == first_any) {
			continue;
		}
		ssr_rss_serial_t *o = &rep->serials[rep->nserials++];
		snprintf(o->serial, sizeof o->serial, "%u", ser[s].serial);
		o->published_us = (ms0 + (int64_t)ser[s].first * per) * 1000000;
		uint32_t S = ser[s].serial, P = ser[s].first;
		for (size_t v = 0; v < nvp; v++) {
			if (!live[v][P]) {
				continue; /* this VP was not measuring when it was published */
			}
			for (unsigned r = 0; r < nrsi; r++) {
				/* RSSAC047 [kvg] [udz]: intervals until the VP sees S or newer,
				 * times five minutes; 0 in the publication interval */
				bool seen = false;
				uint32_t i;
				for (i = P; i < nidx; i++) {
					const minser_t *m = &ms[v][(size_t)i * nrsi + r];
					if (live[v][i] && m->have && !rss_serial_lt(m->serial, S)) {
						seen = true;
						break;
					}
				}
				if (!seen) {
					rep->rsis[r].pub.censored++;
					rep->rss_pub.censored++;
					continue;
				}
				uint32_t lat_s = (i - P) * per;
				if (u32v_push(&a->pub[r], lat_s) != SSR_EOK ||
				    u32v_push(&a->rsspub, lat_s) != SSR_EOK) {
					free(ser);
					return SSR_ENOMEM;
				}
				rep->pub_hist[i - P < 63 ? i - P : 63]++;
			}
		}
	}
	free(ser);
	return SSR_EOK;
}

static ssr_rss_verdict_t verdict(uint64_t n, bool pass)
{
	return n == 0 ? SSR_RSS_NODATA : pass ? SSR_RSS_PASS : SSR_RSS_FAIL;
}

static int compute(ssr_rss_report_t *rep, vp_t *vps, size_t nvp, ssr_diag_t *diag)
{
	int64_t ms0;
	unsigned days;
	(void)rss_month_parse(rep->month, &ms0, &days);
	uint32_t nidx = rep->days * 288u;
	acc_t *a = calloc(1, sizeof(*a));
	minser_t **ms = calloc(nvp ? nvp : 1, sizeof(*ms));
	bool **live = calloc(nvp ? nvp : 1, sizeof(*live));
	int rc = SSR_EOK;
	if (a == NULL || ms == NULL || live == NULL) {
		rc = SSR_ENOMEM;
		goto out;
	}
	bool rsi_excl[SSR_RSS_MAX_RSI];
	for (size_t vi = 0; vi < nvp; vi++) {
		const vp_t *v = &vps[vi];
		ms[vi] = calloc((size_t)nidx * rep->nrsi, sizeof(minser_t));
		live[vi] = calloc(nidx, sizeof(bool));
		if (ms[vi] == NULL || live[vi] == NULL) {
			rc = SSR_ENOMEM;
			goto out;
		}
		for (size_t j = 0; j < v->n; j++) {
			const ivl_t *iv = &v->iv[j];
			int64_t t_us = (ms0 + (int64_t)iv->idx * 300) * 1000000;
			unsigned day = iv->idx / 288;
			rep->intervals++;
			if (iv->flags & SSR_RSS_F_CLOCKJUMP) {
				rep->excluded_clock++;
				continue;
			}
			ssr_rss_excl_t *e = excluded(rep, v->name, NULL, t_us);
			if (e != NULL) { /* RSSAC047 [raz] [ahh]: the VP left out */
				for (unsigned r = 0; r < rep->nrsi; r++) {
					for (int t = 0; t < SSR_RSS_NT; t++) {
						e->removed += iv->soa[r * SSR_RSS_NT + t].status !=
						              SSR_RSS_S_NONE;
					}
					e->removed += iv->corr[r].result != SSR_RSS_C_NONE;
				}
				continue;
			}
			live[vi][iv->idx] = true;
			if ((rc = count_interval(rep, a, v, iv, t_us, day, rsi_excl)) != SSR_EOK) {
				goto out;
			}
			for (unsigned r = 0; r < rep->nrsi; r++) {
				if (rsi_excl[r]) {
					continue;
				}
				minser_t *m = &ms[vi][(size_t)iv->idx * rep->nrsi + r];
				for (int t = 0; t < SSR_RSS_NT; t++) {
					const soa_t *s = &iv->soa[r * SSR_RSS_NT + t];
					if (s->status == SSR_RSS_S_ANSWERED && s->has_serial &&
					    (!m->have || rss_serial_lt(s->serial, m->serial))) {
						m->serial = s->serial;
						m->have = 1;
					}
				}
			}
		}
	}
	if ((rc = publication(rep, a, nvp, ms, live, nidx)) != SSR_EOK) {
		goto out;
	}
	/* the verdicts, monthly (RSSAC047 [vmx] [znh] [mah] [erf] for the RSIs; [fdy] [gwm] [vpj]
	 * [tkw] for the RSS): integer comparisons for the percentages */
	for (unsigned r = 0; r < rep->nrsi; r++) {
		ssr_rss_rsistat_t *s = &rep->rsis[r];
		for (int t = 0; t < SSR_RSS_NT; t++) {
			ssr_rss_tfstat_t *f = &s->tf[t];
			/* RSSAC047 [ydw]: 96% */
			f->avail_v = verdict(f->sent, f->answered * 100 >= f->sent * 96);
			f->lat_n = a->lat[r][t].n;
			f->lat_median_ms = median(&a->lat[r][t]) / 1000.0; /* RSSAC047 [mzx] */
			f->lat_v = verdict(f->lat_n, f->lat_median_ms <= lat_limit_ms[t]);
		}
		/* RSSAC047 [ahw]: 100% */
		s->corr.v = verdict(s->corr.responses, s->corr.correct == s->corr.responses);
		rep->rss_corr.responses += s->corr.responses;
		rep->rss_corr.correct += s->corr.correct;
		rep->rss_corr.incorrect += s->corr.incorrect;
		rep->rss_corr.unchecked += s->corr.unchecked;
		rep->rss_corr.noresponse += s->corr.noresponse;
		for (int i = 0; i < SSR_RSS_R_COUNT; i++) {
			rep->rss_corr.by_reason[i] += s->corr.by_reason[i];
		}
		/* RSSAC047 [yzp] [fwa]: the median within 65 minutes */
		s->pub.n = a->pub[r].n;
		s->pub.median_min = median(&a->pub[r]) / 60.0;
		s->pub.v = verdict(s->pub.n, s->pub.median_min <= 65);
		for (unsigned d = 0; d < 31; d++) {
			s->day_lat_ms[d] =
			    a->day_lat[r][d].n ? median(&a->day_lat[r][d]) / 1000.0 : -1;
		}
	}
	for (int t = 0; t < SSR_RSS_NT; t++) {
		ssr_rss_systf_t *f = &rep->rss[t];
		/* RSSAC047 [wzz]: 99.999% */
		f->avail_v = verdict(f->sum_k, f->sum_min * 100000 >= f->sum_k * 99999);
		f->lat_n = a->rsslat[t].n;
		f->lat_median_ms = median(&a->rsslat[t]) / 1000.0; /* RSSAC047 [jbr] */
		f->lat_v = verdict(f->lat_n, f->lat_median_ms <= rss_lat_limit_ms[t]);
	}
	/* RSSAC047 [ywo] [gfh] */
	rep->rss_corr.v =
	    verdict(rep->rss_corr.responses, rep->rss_corr.correct == rep->rss_corr.responses);
	/* RSSAC047 [zgb] [zkl]: the median within 35 minutes */
	rep->rss_pub.n = a->rsspub.n;
	rep->rss_pub.median_min = median(&a->rsspub) / 60.0;
	rep->rss_pub.v = verdict(rep->rss_pub.n, rep->rss_pub.median_min <= 35);
out:
	for (size_t i = 0; i < nvp; i++) {
		if (ms != NULL) {
			free(ms[i]);
		}
		if (live != NULL) {
			free(live[i]);
		}
	}
	free(ms);
	free(live);
	if (a != NULL) {
		acc_free(a);
	}
	if (rc == SSR_ENOMEM) {
		return ssr_diag_set(diag, rc, "rss report: out of memory");
	}
	return rc;
}

int ssr_rss_report_build(const char *const *paths, size_t n, const ssr_rss_report_opts_t *o,
                         ssr_rss_report_t **out, ssr_diag_t *diag)
{
	*out = NULL;
	int64_t ms0;
	unsigned days;
	if (!rss_month_parse(o->month, &ms0, &days)) {
		return ssr_diag_set(diag, SSR_EINVAL, "rss report: bad month '%s' (want YYYY-MM)",
		                    o->month ? o->month : "");
	}
	if (n == 0) {
		return ssr_diag_set(diag, SSR_EINVAL, "rss report: no state given");
	}
	build_t b = {.o = o, .diag = diag};
	ssr_arena_init(&b.arena, 4 << 20);
	int rc = load(&b, paths, n);
	ssr_rss_report_t *rep = NULL;
	if (rc == SSR_EOK && b.first.interval_s != SSR_RSS_INTERVAL) {
		rc =
		    ssr_diag_set(diag, SSR_EUNSUPPORTED,
		                 "rss state '%s': interval of %u s (the report reads 300 s states)",
		                 paths[0], b.first.interval_s);
	}
	if (rc == SSR_EOK && (rep = calloc(1, sizeof(*rep))) == NULL) {
		rc = ssr_diag_set(diag, SSR_ENOMEM, "out of memory");
	}
	if (rc == SSR_EOK) {
		snprintf(rep->month, sizeof rep->month, "%s", o->month);
		rep->k = o->k ? o->k : SSR_RSS_K; /* RSSAC047 [dlw]: n from the RSI list, k given */
		rep->nrsi = b.first.nrsi;
		rep->days = days;
		memcpy(rep->rsi, b.first.rsi, sizeof rep->rsi);
		for (unsigned r = 0; r < rep->nrsi; r++) {
			memcpy(rep->rsis[r].id, b.first.rsi[r], sizeof rep->rsis[r].id);
		}
		rep->nvp = (unsigned)b.nvp;
		rep->vps = calloc(b.nvp ? b.nvp : 1, sizeof(*rep->vps));
		rep->excl = calloc(o->nexcl ? o->nexcl : 1, sizeof(*rep->excl));
		if (rep->vps == NULL || rep->excl == NULL) {
			rc = ssr_diag_set(diag, SSR_ENOMEM, "out of memory");
		}
	}
	if (rc == SSR_EOK) {
		for (size_t i = 0; i < b.nvp; i++) {
			snprintf(rep->vps[i][0], 64, "%s", b.vps[i].name);
			snprintf(rep->vps[i][1], 64, "%s", b.vps[i].region);
		}
		for (size_t i = 0; i < o->nexcl; i++) {
			rep->excl[i] = o->excl[i];
			rep->excl[i].removed = 0;
		}
		rep->nexcl = o->nexcl;
		rc = compute(rep, b.vps, b.nvp, diag);
	}
	vps_free(b.vps, b.nvp);
	ssr_arena_release(&b.arena);
	if (rc != SSR_EOK) {
		ssr_rss_report_free(rep);
		return rc;
	}
	*out = rep;
	return SSR_EOK;
}

void ssr_rss_report_free(ssr_rss_report_t *r)
{
	if (r == NULL) {
		return;
	}
	free(r->vps);
	free(r->serials);
	free(r->excl);
	free(r);
}
