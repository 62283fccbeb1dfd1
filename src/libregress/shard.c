/* ssrwatch — regression runs in shards (issue 23): a shard tests its share of the targets
 * (every suite, every case); its state keeps those targets and their verdicts, and the merge
 * puts them back in the single run's order (target, suite, case). */
#include <stdlib.h>
#include <string.h>

#include "ssrwatch/arena.h"
#include "ssrwatch/regress.h"
#include "ssrwatch/state.h"

int ssr_regress_shard_save(const ssr_regress_suite_t *suites, size_t ns,
                           const ssr_regress_target_t *targets, size_t nt, uint32_t shard,
                           uint32_t shards, const ssr_regress_result_t *r, size_t n,
                           ssr_state_buf_t *b, ssr_diag_t *diag)
{
	uint32_t mine = 0, verdicts = 0;
	for (size_t t = 0; t < nt; t++) {
		mine += ssr_state_item_has((uint32_t)t, shard, shards);
	}
	ssr_state_put_u64(b, mine);
	for (size_t t = 0; t < nt; t++) {
		if (ssr_state_item_has((uint32_t)t, shard, shards)) {
			ssr_state_put_u32(b, (uint32_t)t);
			ssr_state_put_str(b, targets[t].name);
			ssr_state_put_str(b, targets[t].impl);
			ssr_state_put_str(b, targets[t].version);
		}
	}
	size_t at = b->n;
	ssr_state_put_u64(b, 0);
	for (size_t i = 0; i < n; i++) {
		size_t t = (size_t)(r[i].target - targets), s = 0;
		while (s < ns && r[i].suite != suites[s].name) {
			s++;
		}
		if (t >= nt || s == ns || r[i].c < suites[s].cases ||
		    r[i].c >= suites[s].cases + suites[s].ncases) {
			return ssr_diag_set(diag, SSR_EINVAL,
			                    "regress: a result of no target or suite given");
		}
		if (!ssr_state_item_has((uint32_t)t, shard, shards)) {
			continue;
		}
		verdicts++;
		ssr_state_put_u32(b, (uint32_t)t);
		ssr_state_put_u32(b, (uint32_t)s);
		ssr_state_put_u32(b, (uint32_t)(r[i].c - suites[s].cases));
		ssr_state_put_u8(b, (uint8_t)r[i].result);
		ssr_state_put_str(b, r[i].codes);
		ssr_state_put_str(b, r[i].tags);
		ssr_state_put_str(b, r[i].details);
	}
	if (b->oom) {
		return ssr_diag_set(diag, SSR_ENOMEM, "regress: out of memory");
	}
	for (int k = 0; k < 4; k++) {
		b->p[at + (size_t)k] = (uint8_t)(verdicts >> (8 * k));
	}
	return SSR_EOK;
}

typedef struct {
	uint32_t target, suite, kase;
	ssr_regress_result_t r;
} item_t;

static int cmp_item(const void *x, const void *y)
{
	const item_t *a = x, *b = y;
	if (a->target != b->target) {
		return a->target < b->target ? -1 : 1;
	}
	if (a->suite != b->suite) {
		return a->suite < b->suite ? -1 : 1;
	}
	return a->kase < b->kase ? -1 : a->kase > b->kase;
}

int ssr_regress_shard_combine(const ssr_state_set_t *set, const ssr_regress_suite_t *suites,
                              size_t ns, uint32_t ntargets, ssr_regress_target_t **targets,
                              ssr_regress_result_t **res, size_t *nres, ssr_diag_t *diag)
{
	*targets = NULL;
	*res = NULL;
	*nres = 0;
	int rc = ssr_state_complete(set, diag);
	if (rc != SSR_EOK) {
		return rc;
	}
	ssr_regress_target_t *tg = calloc(ntargets ? ntargets : 1, sizeof *tg);
	bool *seen = calloc(ntargets ? ntargets : 1, sizeof *seen);
	item_t *v = NULL;
	size_t n = 0, cap = 0;
	if (!tg || !seen) {
		rc = ssr_diag_set(diag, SSR_ENOMEM, "regress: out of memory");
	}
	for (size_t e = 0; e < set->n && rc == SSR_EOK; e++) {
		const ssr_state_entry_t *en = &set->entry[e];
		ssr_state_rd_t r = ssr_state_entry_rd(en);
		uint64_t nt = ssr_state_get_count(&r, 16);
		for (uint64_t t = 0; t < nt && !r.bad; t++) {
			uint32_t g = ssr_state_get_u32(&r);
			if (g >= ntargets || seen[g] ||
			    !ssr_state_item_has(g, en->shard, set->head.shards)) {
				ssr_state_rd_fail(&r, "a target that is not this shard's");
				break;
			}
			seen[g] = true;
			ssr_state_get_str(&r, tg[g].name, sizeof tg[g].name);
			ssr_state_get_str(&r, tg[g].impl, sizeof tg[g].impl);
			ssr_state_get_str(&r, tg[g].version, sizeof tg[g].version);
		}
		uint64_t nr = ssr_state_get_count(&r, 25);
		if (!r.bad && ssr_grow((void **)&v, &cap, n + (size_t)nr, sizeof *v) != SSR_EOK) {
			rc = ssr_diag_set(diag, SSR_ENOMEM, "regress: out of memory");
			break;
		}
		for (uint64_t i = 0; i < nr && !r.bad; i++) {
			item_t *x = &v[n];
			memset(x, 0, sizeof *x);
			x->target = ssr_state_get_u32(&r);
			x->suite = ssr_state_get_u32(&r);
			x->kase = ssr_state_get_u32(&r);
			uint8_t res8 = ssr_state_get_u8(&r);
			ssr_state_get_str(&r, x->r.codes, sizeof x->r.codes);
			ssr_state_get_str(&r, x->r.tags, sizeof x->r.tags);
			ssr_state_get_str(&r, x->r.details, sizeof x->r.details);
			if (r.bad) {
				break;
			}
			if (x->target >= ntargets || !seen[x->target] || x->suite >= ns ||
			    x->kase >= suites[x->suite].ncases || res8 > SSR_RES_SKIP) {
				ssr_state_rd_fail(
				    &r, "a result of no target, suite or case of the run");
				break;
			}
			x->r.result = (ssr_regress_res_t)res8;
			x->r.seq = UINT64_MAX;
			n++;
		}
		if (rc == SSR_EOK) {
			rc = ssr_state_rd_done(&r, diag);
		}
	}
	for (uint32_t g = 0; g < ntargets && rc == SSR_EOK; g++) {
		if (!seen[g]) {
			rc = ssr_diag_set(diag, SSR_EINVAL, "regress: target %u is in no state",
			                  g + 1);
		}
	}
	size_t per = 0;
	for (size_t s = 0; s < ns; s++) {
		per += suites[s].ncases;
	}
	if (rc == SSR_EOK && n != per * ntargets) {
		rc = ssr_diag_set(diag, SSR_ECORRUPT,
		                  "regress: %zu verdicts in the states, not %zu (%u targets, %zu "
		                  "cases)",
		                  n, per * ntargets, ntargets, per);
	}
	ssr_regress_result_t *out = NULL;
	if (rc == SSR_EOK) {
		qsort(v, n, sizeof *v, cmp_item);
		out = calloc(n ? n : 1, sizeof *out);
		if (!out) {
			rc = ssr_diag_set(diag, SSR_ENOMEM, "regress: out of memory");
		}
	}
	for (size_t i = 0; rc == SSR_EOK && i < n; i++) {
		if (i > 0 && cmp_item(&v[i - 1], &v[i]) == 0) {
			rc = ssr_diag_set(
			    diag, SSR_ECORRUPT, "regress: case '%s' of target '%s' twice",
			    suites[v[i].suite].cases[v[i].kase].id, tg[v[i].target].name);
			break;
		}
		out[i] = v[i].r;
		out[i].target = &tg[v[i].target];
		out[i].c = &suites[v[i].suite].cases[v[i].kase];
		out[i].suite = suites[v[i].suite].name;
	}
	free(v);
	free(seen);
	if (rc != SSR_EOK) {
		free(out);
		free(tg);
		return rc;
	}
	*targets = tg;
	*res = out;
	*nres = n;
	return SSR_EOK;
}
