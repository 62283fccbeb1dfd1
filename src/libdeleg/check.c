/* libdeleg: a delegation suite run on a change: the survey, the query cases through the
 * regression runner (every server address as a target, from every vantage point), the
 * conformance suites named by "conformance" checks, then the rules; the verdict. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "deleg_priv.h"

/* The regression suite a "conformance" check names (a shipped one by name, or a path). */
static int conformance_suite(const ssr_regress_case_t *c, ssr_regress_suite_t *out,
                             ssr_diag_t *diag)
{
	char path[4096];
	if (strchr(c->param, '/') != NULL || strstr(c->param, ".yaml") != NULL) {
		snprintf(path, sizeof path, "%s", c->param);
	} else {
		const char *dir = getenv("SSRWATCH_DATA");
		snprintf(path, sizeof path, "%s/regress/%s.yaml", dir ? dir : SSR_DATA_DIR,
		         c->param);
	}
	int rc = ssr_regress_suite_read(path, out, diag);
	if (rc == SSR_EOK && strcmp(out->kind, "authoritative") != 0) {
		ssr_regress_suite_release(out);
		rc = ssr_diag_set(
		    diag, SSR_EINVAL,
		    "delegation: check '%s': suite '%s' is not for authoritative servers", c->id,
		    c->param);
	}
	return rc;
}

/* Run the query cases of suite (delegation suites: those without a check) on every server
 * from every vantage point; fold the results into checks[i] of the case (all_fail: the case
 * stands for the whole suite: conformance). */
static int run_queries(const deleg_survey_t *s, const ssr_regress_suite_t *suite,
                       ssr_deleg_check_t *whole, ssr_deleg_check_t *per_case, ssr_diag_t *diag)
{
	if (s->nsrv == 0) {
		return SSR_EOK;
	}
	ssr_regress_target_t *t = calloc(s->nsrv, sizeof(*t));
	if (t == NULL) {
		return ssr_diag_set(diag, SSR_ENOMEM, "delegation: out of memory");
	}
	for (size_t v = 0; v < s->nsrv; v++) {
		snprintf(t[v].name, sizeof t[v].name, "s%zu", v);
		t[v].addr = s->srv[v].addr;
		t[v].addr_len = s->srv[v].len;
	}
	int rc = SSR_EOK;
	for (unsigned src = 0; rc == SSR_EOK && src < s->nsrc; src++) {
		ssr_regress_opts_t ro = {
		    .zone = s->ch.zone, .timeout_ms = s->o->timeout_ms, .record = s->o->record};
		if (src < s->o->nsources) {
			ro.src = &s->o->sources[src];
			ro.src_len = s->o->source_lens[src];
		}
		/* a vantage point asks only the addresses of its family; a conformance suite only
		 * the servers that answered the zone's SOA authoritatively (a lame server is the
		 * authoritative check's finding, not an EDNS one) */
		unsigned lame = 0;
		for (size_t v = 0; v < s->nsrv; v++) {
			t[v].down[0] = '\0';
			if (ro.src != NULL && ro.src->ss_family != s->srv[v].addr.ss_family) {
				snprintf(t[v].down, sizeof t[v].down, "another address family");
			} else if (whole != NULL &&
			           !deleg_auth(deleg_ans(s, src, v, 0, DELEG_Q_SOA))) {
				snprintf(t[v].down, sizeof t[v].down, "not authoritative");
				lame++;
			}
		}
		if (whole != NULL && lame > 0) {
			deleg_msg(whole,
			          "%u server address%s not authoritative for the zone left out "
			          "from %s",
			          lame, lame == 1 ? "" : "es", s->src[src]);
		}
		ssr_regress_result_t *res = NULL;
		size_t n = 0;
		rc = ssr_regress_run(suite, 1, t, s->nsrv, &ro, &res, &n, diag);
		for (size_t i = 0; rc == SSR_EOK && i < n; i++) {
			const ssr_regress_result_t *x = &res[i];
			size_t v = (size_t)(x->target - t);
			if (x->c->check[0] != '\0' || t[v].down[0] != '\0') {
				continue;
			}
			ssr_deleg_check_t *r = whole ? whole : &per_case[x->c - suite->cases];
			if (x->result != SSR_RES_FAIL ||
			    (whole != NULL && x->c->severity != SSR_SEV_ERROR)) {
				continue;
			}
			r->result = SSR_DELEG_FAIL;
			if (x->seq != UINT64_MAX && r->nev < SSR_DELEG_MAX_EVIDENCE &&
			    (r->ev != NULL ||
			     (r->ev = calloc(SSR_DELEG_MAX_EVIDENCE, sizeof(*r->ev))) != NULL)) {
				ssr_deleg_evidence_t *e = &r->ev[r->nev++];
				e->seq = x->seq;
				snprintf(e->server, sizeof e->server, "%s", s->srv[v].label);
				snprintf(e->src, sizeof e->src, "%s", s->src[src]);
				e->transport = x->c->transport;
				if (strcmp(x->c->qname, "@") == 0) {
					snprintf(e->qname, sizeof e->qname, "%s", s->ch.zone);
				} else {
					snprintf(e->qname, sizeof e->qname, "%s", x->c->qname);
				}
				e->qtype = x->c->q.qtype;
				e->outcome = strstr(x->codes, "NO_ANSWER") ? SSR_PROBE_TIMEOUT
				                                           : SSR_PROBE_ANSWER;
				e->rcode = -1;
			}
			if (whole != NULL) {
				deleg_msg(r, "%s: %s [%s] %s", s->srv[v].label, x->c->id, x->tags,
				          x->details);
			} else {
				deleg_msg(r, "%s: %s", s->srv[v].label, x->details);
			}
		}
		free(res);
	}
	free(t);
	return rc;
}

int ssr_deleg_check(const ssr_regress_suite_t *suite, const ssr_deleg_change_t *ch,
                    const ssr_deleg_opts_t *o, ssr_deleg_report_t *out, ssr_diag_t *diag)
{
	memset(out, 0, sizeof(*out));
	if (strcmp(suite->kind, "delegation") != 0) {
		return ssr_diag_set(diag, SSR_EINVAL,
		                    "delegation: suite '%s' is of kind '%s', not "
		                    "delegation",
		                    suite->file, suite->kind);
	}
	for (size_t i = 0; i < suite->ncases; i++) {
		const ssr_regress_case_t *c = &suite->cases[i];
		if (c->check[0] != '\0' && !ssr_deleg_rule_known(c->check)) {
			return ssr_diag_set(diag, SSR_EINVAL,
			                    "delegation: suite '%s' line %u: unknown check '%s'",
			                    c->file, c->line, c->check);
		}
	}
	if (ch->nns == 0) {
		return ssr_diag_set(diag, SSR_EINVAL, "delegation: no name servers (--ns)");
	}
	deleg_survey_t *s = calloc(1, sizeof(*s));
	ssr_deleg_check_t *checks = calloc(suite->ncases, sizeof(*checks));
	if (s == NULL || checks == NULL) {
		free(s);
		free(checks);
		return ssr_diag_set(diag, SSR_ENOMEM, "delegation: out of memory");
	}
	s->ch = *ch;
	s->o = o;
	s->now = o->now ? o->now : (int64_t)time(NULL);
	for (size_t i = 0; i < suite->ncases; i++) {
		checks[i].c = &suite->cases[i];
	}
	int rc = deleg_survey_run(s, diag);
	if (rc == SSR_EOK && s->nsrv == 0) {
		rc = ssr_diag_set(diag, SSR_EINVAL,
		                  "delegation: no name server address of the families asked for");
	}
	if (rc == SSR_EOK) {
		rc = run_queries(s, suite, NULL, checks, diag);
	}
	for (size_t i = 0; rc == SSR_EOK && i < suite->ncases; i++) {
		const ssr_regress_case_t *c = &suite->cases[i];
		ssr_deleg_check_t *r = &checks[i];
		if (c->check[0] == '\0') {
			if (r->result == SSR_DELEG_PASS) {
				deleg_msg(r, "every server (%zu addresses) as expected", s->nsrv);
			}
			continue;
		}
		if (strcmp(c->check, "conformance") == 0) {
			ssr_regress_suite_t cs;
			rc = conformance_suite(c, &cs, diag);
			if (rc == SSR_EOK) {
				rc = run_queries(s, &cs, r, NULL, diag);
				if (rc == SSR_EOK && r->result == SSR_DELEG_PASS) {
					deleg_msg(
					    r,
					    "every error-severity case of suite '%s' (%zu cases) "
					    "passes on every server",
					    cs.name, cs.ncases);
				}
				ssr_regress_suite_release(&cs);
			}
			continue;
		}
		rc = deleg_rule(c->check)(s, c, r, diag);
	}
	out->exchanges = s->exchanges;
	if (rc == SSR_EOK) {
		out->suite = suite;
		out->change = ch;
		out->checks = checks;
		out->n = suite->ncases;
		out->passed = true;
		for (size_t i = 0; i < out->n; i++) {
			ssr_deleg_res_t res = checks[i].result;
			ssr_regress_sev_t sev = checks[i].c->severity;
			if (res == SSR_DELEG_FAIL || res == SSR_DELEG_ERROR) {
				out->failed[sev]++;
				if (sev == SSR_SEV_ERROR || sev == SSR_SEV_CRITICAL) {
					out->passed = false;
				}
			}
		}
		out->nsources = s->nsrc;
		for (unsigned i = 0; i < s->nsrc; i++) {
			snprintf(out->sources[i], sizeof out->sources[i], "%s", s->src[i]);
		}
		/* the name servers' addresses as used (looked up ones included) */
		out->resolved = malloc(sizeof(*out->resolved));
		if (out->resolved != NULL) {
			*out->resolved = s->ch;
		}
	} else {
		for (size_t i = 0; i < suite->ncases; i++) {
			free(checks[i].ev);
		}
		free(checks);
	}
	deleg_survey_release(s);
	free(s);
	return rc;
}

void ssr_deleg_report_release(ssr_deleg_report_t *r)
{
	for (size_t i = 0; r->checks != NULL && i < r->n; i++) {
		free(r->checks[i].ev);
	}
	free(r->checks);
	free(r->resolved);
	memset(r, 0, sizeof(*r));
}
