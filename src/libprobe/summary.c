/* libprobe: a run's summary: outcomes, rcodes, exact round-trip order statistics, the rate. */
#include <stdlib.h>
#include <string.h>

#include "probe_priv.h"
#include "ssrwatch/arena.h"
#include "ssrwatch/stat.h"

void ssr_probe_summary_init(ssr_probe_summary_t *s)
{
	memset(s, 0, sizeof(*s));
}

void ssr_probe_summary_add(ssr_probe_summary_t *s, const ssr_probe_result_t *r)
{
	uint64_t now = probe_mono_us();
	uint64_t start = now - r->rtt_us;
	if (s->exchanges == 0 || start < s->t0) {
		s->t0 = r->rtt_us ? start : now;
	}
	s->t1 = now;
	s->exchanges++;
	if ((unsigned)r->outcome < SSR_PROBE_NOUTCOMES) {
		s->outcomes[r->outcome]++;
	}
	if (r->outcome != SSR_PROBE_ANSWER || r->rlen < 12) {
		return;
	}
	uint16_t rc = r->resp[3] & 0x0f; /* the header's rcode (EDNS bits: in the records) */
	if (rc < 24) {
		s->rcodes[rc]++;
	} else {
		s->rcode_other++;
	}
	s->truncated += (r->resp[2] & 0x02) != 0;
	if (s->nrtt == s->caprtt) {
		void *v = s->rtts;
		if (ssr_grow(&v, &s->caprtt, s->nrtt + 1, sizeof(*s->rtts)) != SSR_EOK) {
			s->err = SSR_ENOMEM;
			return;
		}
		s->rtts = v;
	}
	s->rtts[s->nrtt++] = r->rtt_us;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

int ssr_probe_summary_finish(ssr_probe_summary_t *s, ssr_diag_t *diag)
{
	if (s->err != SSR_EOK) {
		return ssr_diag_set(diag, s->err, "probe summary: out of memory");
	}
	s->elapsed_us = s->t1 - s->t0;
	s->qps =
	    s->elapsed_us ? (double)s->outcomes[SSR_PROBE_ANSWER] * 1e6 / (double)s->elapsed_us : 0;
	if (s->nrtt == 0) {
		return SSR_EOK;
	}
	qsort(s->rtts, s->nrtt, sizeof(*s->rtts), cmp_u32);
	double *v = malloc(s->nrtt * sizeof(*v));
	if (v == NULL) {
		return ssr_diag_set(diag, SSR_ENOMEM, "probe summary: out of memory");
	}
	for (size_t i = 0; i < s->nrtt; i++) {
		v[i] = s->rtts[i];
	}
	s->rtt_p50 = ssr_stat_quantile_sorted(v, s->nrtt, 0.5);
	s->rtt_p90 = ssr_stat_quantile_sorted(v, s->nrtt, 0.9);
	s->rtt_p99 = ssr_stat_quantile_sorted(v, s->nrtt, 0.99);
	s->rtt_max = s->rtts[s->nrtt - 1];
	free(v);
	return SSR_EOK;
}

void ssr_probe_summary_release(ssr_probe_summary_t *s)
{
	free(s->rtts);
	s->rtts = NULL;
	s->nrtt = s->caprtt = 0;
}
