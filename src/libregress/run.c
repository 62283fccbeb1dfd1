/* libregress: running cases through libprobe and judging each answer against its case. */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "ssrwatch/regress.h"
#include "ssrwatch/regressstore.h"
#include "ssrwatch/text.h"

/* ---- judging ------------------------------------------------------------------------------ */

typedef struct {
	ssr_regress_result_t *r;
} verdict_t;

static void append(char *buf, size_t cap, const char *word)
{
	size_t l = strlen(buf);
	/* no word twice */
	for (const char *p = buf; (p = strstr(p, word)) != NULL; p++) {
		size_t wl = strlen(word);
		if ((p == buf || p[-1] == ' ') && (p[wl] == ' ' || p[wl] == '\0')) {
			return;
		}
	}
	snprintf(buf + l, cap - l, "%s%s", l ? " " : "", word);
}

static void fail(ssr_regress_result_t *r, const char *code, const char *tag, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void fail(ssr_regress_result_t *r, const char *code, const char *tag, const char *fmt, ...)
{
	r->result = SSR_RES_FAIL;
	append(r->codes, sizeof r->codes, code);
	if (tag != NULL) {
		append(r->tags, sizeof r->tags, tag);
	}
	va_list ap;
	va_start(ap, fmt);
	ssr_text_vappendf(r->details, sizeof r->details, "; ", fmt, ap);
	va_end(ap);
}

static const char *rname(int rcode, char *buf)
{
	const char *n = ssr_probe_rcode_name((uint16_t)rcode);
	if (n != NULL) {
		return n;
	}
	snprintf(buf, 16, "RCODE%d", rcode);
	return buf;
}

/* The rcode seen as a result tag: its name in lower case ("formerr"). */
static void rcode_tag(int rcode, char *out)
{
	char b[16];
	const char *n = rname(rcode, b);
	size_t i = 0;
	for (; n[i] && i < 15; i++) {
		out[i] = (char)tolower((unsigned char)n[i]);
	}
	out[i] = '\0';
}

static void flag(ssr_regress_result_t *r, ssr_tri_t want, bool got, const char *name,
                 const char *tag_missing, const char *tag_present)
{
	if (want < 0 || (want == 1) == got) {
		return;
	}
	char code[16];
	snprintf(code, sizeof code, "FLAG_%s", name);
	for (char *p = code; *p; p++) {
		*p = (char)toupper((unsigned char)*p);
	}
	fail(r, code, want ? tag_missing : tag_present, "%s %s, expected %s", name,
	     got ? "set" : "clear", want ? "set" : "clear");
}

static bool has_opt(const ssr_probe_answer_t *a, uint16_t code)
{
	for (unsigned i = 0; i < a->nopts; i++) {
		if (a->opt_codes[i] == code) {
			return true;
		}
	}
	return false;
}

void ssr_regress_judge(const ssr_regress_case_t *c, const ssr_probe_result_t *pr,
                       ssr_regress_result_t *r)
{
	const ssr_regress_target_t *t = r->target;
	const char *suite = r->suite;
	memset(r, 0, sizeof(*r));
	r->target = t;
	r->suite = suite;
	r->c = c;
	r->seq = pr->seq;
	const ssr_regress_expect_t *x = &c->expect;
	if (pr->outcome == SSR_PROBE_TIMEOUT && x->timeout_ok) {
		snprintf(r->tags, sizeof r->tags, "ok");
		snprintf(r->details, sizeof r->details, "no answer in time (allowed)");
		return;
	}
	if (pr->outcome != SSR_PROBE_ANSWER) {
		const char *o = ssr_probe_outcome_name(pr->outcome);
		fail(r, "NO_ANSWER", o, "no answer over %s: %s",
		     ssr_probe_transport_name(pr->transport), o);
		return;
	}
	ssr_probe_answer_t a;
	ssr_diag_t d;
	if (ssr_probe_parse(pr->resp, pr->rlen, pr->query, pr->qlen, &a, &d) != SSR_EOK) {
		fail(r, "MALFORMED", "malformed", "%s", d.msg);
		return;
	}
	char b1[16], b2[16], tag[16];
	if (x->rcode >= 0 && (int)a.rcode != x->rcode) {
		rcode_tag(a.rcode, tag);
		fail(r, "RCODE", tag, "rcode %s, expected %s", rname(a.rcode, b1),
		     rname(x->rcode, b2));
	}
	flag(r, x->aa, a.flags & 0x0400, "aa", "noaa", "aa");
	flag(r, x->tc, a.flags & 0x0200, "tc", "notc", "tc");
	flag(r, x->rd, a.flags & 0x0100, "rd", "nord", "rd");
	flag(r, x->ra, a.flags & 0x0080, "ra", "nora", "ra");
	flag(r, x->z, a.flags & 0x0040, "z", "noz", "mbz");
	flag(r, x->ad, a.flags & 0x0020, "ad", "noad", "ad");
	flag(r, x->cd, a.flags & 0x0010, "cd", "nocd", "cd");
	if (x->opt == 1 && !a.edns) {
		fail(r, "OPT_MISSING", "noopt", "no OPT record in the answer");
	} else if (x->opt == 0 && a.edns) {
		fail(r, "OPT_PRESENT", "opt", "an OPT record in the answer to a query without one");
	}
	if (a.edns) {
		if (x->edns_version >= 0 && a.edns_version != x->edns_version) {
			fail(r, "EDNS_VERSION", "badversion", "EDNS version %u, expected %d",
			     a.edns_version, x->edns_version);
		}
		if (x->do_bit >= 0 && ((a.edns_flags & 0x8000) != 0) != (x->do_bit == 1)) {
			fail(r, "EDNS_DO", x->do_bit ? "nodo" : "do", "DO %s, expected %s",
			     (a.edns_flags & 0x8000) ? "set" : "clear",
			     x->do_bit ? "set" : "clear");
		}
		if (a.edns_flags & x->mbz) {
			fail(r, "EDNS_MBZ", "mbz", "EDNS flags 0x%04x: bits 0x%04x must be zero",
			     a.edns_flags, a.edns_flags & x->mbz);
		}
		for (unsigned i = 0; i < x->nechoed; i++) {
			if (!has_opt(&a, x->echoed[i])) {
				snprintf(tag, sizeof tag, "%s",
				         x->echoed[i] == 3    ? "nonsid"
				         : x->echoed[i] == 10 ? "nocookie"
				         : x->echoed[i] == 9  ? "noexpire"
				         : x->echoed[i] == 8  ? "noecs"
				                              : "nooption");
				fail(r, "EDNS_OPTION_MISSING", tag, "option %u not in the answer",
				     x->echoed[i]);
			}
		}
		for (unsigned i = 0; i < x->nnot_echoed; i++) {
			if (has_opt(&a, x->not_echoed[i])) {
				fail(r, "EDNS_OPTION_ECHOED", "echoed", "option %u echoed",
				     x->not_echoed[i]);
			}
		}
	}
	static const char *const secname[] = {"", "answer", "authority", "additional"};
	static const char *const seccode[] = {"", "ANSWER_COUNT", "AUTHORITY_COUNT",
	                                      "ADDITIONAL_COUNT"};
	for (int sec = 1; sec <= 3; sec++) {
		const __typeof__(x->answer[0]) *arr = sec == 1   ? x->answer
		                                      : sec == 2 ? x->authority
		                                                 : x->additional;
		unsigned na = sec == 1 ? x->nanswer : sec == 2 ? x->nauthority : x->nadditional;
		for (unsigned i = 0; i < na; i++) {
			unsigned n = 0;
			int lo = arr[i].min, hi = arr[i].max;
			uint16_t ty = arr[i].type;
			if (ssr_probe_count_rrs(pr->resp, pr->rlen, sec, ty, &n, &d) != SSR_EOK) {
				fail(r, "MALFORMED", "malformed", "%s", d.msg);
			} else if ((lo >= 0 && n < (unsigned)lo) || (hi >= 0 && n > (unsigned)hi)) {
				const char *tg =
				    ty == 6 && n == 0 && sec == 1 ? "nosoa" : secname[sec];
				char tn[24] = "";
				if (ty != 0) {
					snprintf(tn, sizeof tn, " of type %u", ty);
				}
				fail(r, seccode[sec], tg, "%u %s records%s, expected %d to %d", n,
				     secname[sec], tn, lo < 0 ? 0 : lo, hi < 0 ? 65535 : hi);
			}
		}
	}
	char why[160];
	if (x->proof > 0 &&
	    !ssr_regress_proof_check((ssr_regress_proof_t)x->proof, pr->query, pr->qlen, pr->resp,
	                             pr->rlen, why, sizeof why)) {
		fail(r, "PROOF", "noproof", "no %s proof: %s",
		     ssr_regress_proof_name((ssr_regress_proof_t)x->proof), why);
	}
	if (x->size_max > 0 && a.size > x->size_max && !(a.flags & 0x0200)) {
		fail(r, "SIZE", "toobig", "%zu bytes without TC, at most %u allowed", a.size,
		     x->size_max);
	}
	if (r->result == SSR_RES_PASS) {
		snprintf(r->tags, sizeof r->tags, "ok");
	}
}

/* ---- running -------------------------------------------------------------------------------- */

int ssr_regress_target_parse(const char *s, ssr_regress_target_t *t)
{
	memset(t, 0, sizeof(*t));
	const char *eq = strchr(s, '=');
	if (eq == NULL || eq == s || (size_t)(eq - s) >= sizeof t->name) {
		return SSR_EINVAL;
	}
	snprintf(t->name, sizeof t->name, "%.*s", (int)(eq - s), s);
	for (const char *p = t->name; *p; p++) {
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_' && *p != '.') {
			return SSR_EINVAL;
		}
	}
	return ssr_probe_addr_parse(eq + 1, 53, &t->addr, &t->addr_len);
}

typedef struct {
	ssr_regress_result_t *res;
	const ssr_regress_case_t **cases;
	char (*down)[256];  /* per target: why it went down during the run ("" up) */
	size_t final_round; /* per result: the round of the case's own query */
	size_t round;
} run_t;

static void done(const ssr_probe_result_t *r, void *ctx)
{
	run_t *x = ctx;
	size_t i = (size_t)(uintptr_t)r->user;
	if (x->round == x->cases[i]->nbefore) {
		ssr_regress_judge(x->cases[i], r, &x->res[i]);
	}
}

/* The case's name under the zone: "@" the apex, "x" x.zone, "x." as given (without a zone:
 * only the last). */
static int resolve(const char *name, const char *zone, char *out, size_t cap)
{
	size_t nl = strlen(name);
	if (nl > 0 && name[nl - 1] == '.') {
		int w = snprintf(out, cap, "%s", name);
		return w > 0 && (size_t)w < cap ? SSR_EOK : SSR_ELIMIT;
	}
	if (zone == NULL || *zone == '\0') {
		return SSR_EINVAL;
	}
	size_t zl = strlen(zone);
	bool zdot = zl > 0 && zone[zl - 1] == '.';
	int w;
	if (strcmp(name, "@") == 0) {
		w = snprintf(out, cap, "%s%s", zone, zdot ? "" : ".");
	} else if (strcmp(zone, ".") == 0) {
		w = snprintf(out, cap, "%s.", name);
	} else {
		w = snprintf(out, cap, "%s.%s%s", name, zone, zdot ? "" : ".");
	}
	return w > 0 && (size_t)w < cap ? SSR_EOK : SSR_ELIMIT;
}

/* The labels of a name; a first label '_' (RFC 9156 2.3: a minimised query's stand-in) does
 * not count. */
static unsigned labels(const char *name)
{
	unsigned n = 0;
	for (const char *p = name; *p; p++) {
		n += *p == '.' && p != name;
	}
	if (strncmp(name, "_.", 2) == 0) {
		n--;
	}
	return strcmp(name, ".") == 0 ? 0 : n;
}

/* name at or under zone (or exactly it), without case. */
static bool under(const char *name, const char *zone, bool exact)
{
	size_t nl = strlen(name), zl = strlen(zone);
	if (exact || strcmp(zone, ".") == 0) {
		return exact ? strcasecmp(name, zone) == 0 : true;
	}
	return nl >= zl && strcasecmp(name + nl - zl, zone) == 0 &&
	       (nl == zl || name[nl - zl - 1] == '.');
}

/* The case's upstream expectations against what the mock servers logged from the target. */
static void judge_upstream(const ssr_regress_case_t *c, const ssr_regress_mock_t *m,
                           const ssr_regress_mock_query_t *log, size_t nlog,
                           ssr_regress_result_t *r)
{
	const char *src = r->target->source;
	bool was_pass = r->result == SSR_RES_PASS;
	for (unsigned u = 0; u < c->nupstream; u++) {
		const ssr_regress_upstream_t *x = &c->upstream[u];
		int count = 0;
		const char *deep = NULL, *plain = NULL;
		for (size_t i = 0; i < nlog; i++) {
			const ssr_regress_mock_query_t *q = &log[i];
			const ssr_regress_mock_server_t *sv = ssr_regress_mock_server(m, q->server);
			if (sv == NULL || strcmp(sv->name, x->server) != 0 ||
			    (src[0] && strcmp(q->src, src) != 0) ||
			    !under(q->qname, x->under, x->exact) ||
			    (x->qtype && q->qtype != x->qtype) ||
			    (x->transport >= 0 && q->tcp != (x->transport == SSR_PROBE_TCP))) {
				continue;
			}
			count++;
			if (x->max_labels >= 0 && labels(q->qname) > (unsigned)x->max_labels &&
			    deep == NULL) {
				deep = q->qname;
			}
			if (x->edns == 1 && !q->edns && plain == NULL) {
				plain = q->qname;
			}
		}
		const char *what = x->exact ? "" : "under ";
		if ((x->min_count >= 0 && count < x->min_count) ||
		    (x->max_count >= 0 && count > x->max_count)) {
			fail(r, "UPSTREAM_COUNT", count < x->min_count ? "noupstream" : "upstream",
			     "%d queries to %s for %s'%s'%s%s, expected %d to %d", count, x->server,
			     what, x->under,
			     x->transport == SSR_PROBE_TCP   ? " over TCP"
			     : x->transport == SSR_PROBE_UDP ? " over UDP"
			                                     : "",
			     x->qtype ? " of the type" : "", x->min_count < 0 ? 0 : x->min_count,
			     x->max_count < 0 ? 100000 : x->max_count);
		}
		if (deep != NULL) {
			fail(r, "UPSTREAM_QNAME", "noqmin",
			     "%s was asked '%s', more than %d labels (the full name leaked)",
			     x->server, deep, x->max_labels);
		}
		if (plain != NULL) {
			fail(r, "UPSTREAM_NO_EDNS", "ednsfallback",
			     "%s was asked '%s' without EDNS (a fallback after timeouts)",
			     x->server, plain);
		}
	}
	if (was_pass && r->result != SSR_RES_PASS) {
		/* the answer was right, the way to it was not: only the upstream's tags */
		char keep[128];
		snprintf(keep, sizeof keep, "%s", r->tags);
		if (strncmp(keep, "ok", 2) == 0) {
			memmove(keep, keep + (keep[2] == ' ' ? 3 : 2), strlen(keep) - 1);
		}
		snprintf(r->tags, sizeof r->tags, "%s", keep);
	}
}

/* A case not tested because its target is down (did not start, or died): failed, with why;
 * not tested is never passed. */
static void mark_down(ssr_regress_result_t *r, const char *why)
{
	r->result = SSR_RES_FAIL;
	snprintf(r->codes, sizeof r->codes, "TARGET_DOWN");
	snprintf(r->tags, sizeof r->tags, "down");
	snprintf(r->details, sizeof r->details, "%s", why);
	r->seq = UINT64_MAX;
}

/* One round of one step: every case of that step sends its query of that round (a 'before'
 * query, or its own after them), all at once in one engine. */
static int run_round(const ssr_regress_suite_t *suites, size_t nsuites,
                     const ssr_regress_target_t *targets, size_t ntargets,
                     const ssr_regress_opts_t *o, run_t *x, size_t step, size_t round,
                     ssr_diag_t *diag)
{
	/* a target that died since: its cases from here on fail with the reason */
	for (size_t t = 0, i = 0; o->alive != NULL && t < ntargets; t++) {
		char why[256] = "";
		bool up = x->down[t][0] == '\0' && targets[t].down[0] == '\0' &&
		          o->alive(&targets[t], why, sizeof why, o->alive_ctx);
		if (!up && x->down[t][0] == '\0' && targets[t].down[0] == '\0') {
			snprintf(x->down[t], sizeof x->down[t], "%s", why);
		}
		for (size_t s = 0; s < nsuites; s++) {
			for (size_t k = 0; k < suites[s].ncases; k++, i++) {
				const ssr_regress_case_t *c = &suites[s].cases[k];
				if (x->down[t][0] != '\0' && c->step == step &&
				    round == c->nbefore) {
					mark_down(&x->res[i], x->down[t]);
				}
			}
		}
	}
	x->round = round;
	ssr_probe_opts_t po = {
	    .max_inflight = 32, .udp_sockets = 4, .done = done, .ctx = x, .record = o->record};
	ssr_probe_t *p = NULL;
	int rc = ssr_probe_new(&po, &p, diag);
	size_t i = 0;
	for (size_t t = 0; rc == SSR_EOK && t < ntargets; t++) {
		for (size_t s = 0; rc == SSR_EOK && s < nsuites; s++) {
			for (size_t k = 0; rc == SSR_EOK && k < suites[s].ncases; k++, i++) {
				const ssr_regress_case_t *c = &suites[s].cases[k];
				if (targets[t].down[0] != '\0' || x->down[t][0] != '\0' ||
				    c->step != step || round > c->nbefore || c->check[0] != '\0') {
					continue;
				}
				const char *qn =
				    round < c->nbefore ? c->before[round].qname : c->qname;
				char name[300], label[320];
				ssr_probe_query_t q =
				    round < c->nbefore ? c->before[round].q : c->q;
				if (resolve(qn, o->zone, name, sizeof name) != SSR_EOK) {
					rc = ssr_diag_set(diag, SSR_EINVAL,
					                  "regress: case '%s': bad name '%s' (too "
					                  "long, or relative without --zone)",
					                  c->id, qn);
					break;
				}
				q.qname = name;
				uint8_t w[1024];
				size_t len;
				if ((rc = ssr_probe_query_build(&q, w, sizeof w, &len, diag)) !=
				    SSR_EOK) {
					rc =
					    ssr_diag_set(diag, SSR_EINVAL, "regress: case '%s': %s",
					                 c->id, diag->msg);
					break;
				}
				if (round < c->nbefore) {
					snprintf(label, sizeof label, "%s/%s#%zu@%s",
					         suites[s].name, c->id, round + 1, targets[t].name);
				} else {
					snprintf(label, sizeof label, "%s/%s@%s", suites[s].name,
					         c->id, targets[t].name);
				}
				ssr_probe_transport_t tr =
				    round < c->nbefore ? c->before[round].transport : c->transport;
				ssr_probe_req_t req = {.dst = targets[t].addr,
				                       .dst_len = targets[t].addr_len,
				                       .transport = tr,
				                       .query = w,
				                       .qlen = len,
				                       .timeout_ms = c->timeout_ms ? c->timeout_ms
				                                                   : o->timeout_ms,
				                       .fresh_conn = true,
				                       .src_len = o->src != NULL ? o->src_len : 0,
				                       .label = label,
				                       .user = (void *)(uintptr_t)i};
				if (o->src != NULL) {
					req.src = *o->src;
				}
				if (tr == SSR_PROBE_TLS) {
					/* DNS over TLS: port 853 of the target's address */
					if (req.dst.ss_family == AF_INET) {
						((struct sockaddr_in *)&req.dst)->sin_port =
						    htons(853);
					} else {
						((struct sockaddr_in6 *)&req.dst)->sin6_port =
						    htons(853);
					}
				}
				rc = ssr_probe_submit(p, &req, diag);
			}
		}
	}
	if (rc == SSR_EOK) {
		rc = ssr_probe_run(p, diag);
	}
	ssr_probe_free(p);
	return rc;
}

/* The index of the mock server of that name (past the end when there is none: the calls
 * that take it refuse it). */
static size_t server_index(const ssr_regress_mock_t *m, const char *name)
{
	size_t i = 0;
	const ssr_regress_mock_server_t *sv;
	while ((sv = ssr_regress_mock_server(m, i)) != NULL && strcmp(sv->name, name) != 0) {
		i++;
	}
	return i;
}

/* Into step 'step' of the timeline: the resolvers' clock moves on (the clock file holds the
 * offset in seconds, written whole through a rename; libssrclock reads it), the mock servers switch
 * files, and the resolvers get settle_ms to act on it (RFC 5011 timers, refreshes). */
static int next_step(const ssr_regress_suite_t *suites, size_t nsuites, size_t step,
                     const ssr_regress_opts_t *o, int64_t *offset, ssr_diag_t *diag)
{
	for (size_t s = 0; s < nsuites; s++) {
		if (step > suites[s].nsteps) {
			continue;
		}
		const ssr_regress_step_def_t *st = &suites[s].steps[step - 1];
		*offset += st->after;
		if (o->clock_file != NULL) {
			char tmp[600];
			snprintf(tmp, sizeof tmp, "%s.new", o->clock_file);
			FILE *f = fopen(tmp, "w");
			if (f == NULL || fprintf(f, "+%lld\n", (long long)*offset) < 0 ||
			    fclose(f) != 0 || rename(tmp, o->clock_file) != 0) {
				return ssr_diag_set(diag, SSR_EIO, "regress: cannot write '%s'",
				                    o->clock_file);
			}
		}
		for (unsigned k = 0; k < st->nturn; k++) {
			size_t i = server_index(o->mock, st->turn[k].server);
			int rc = ssr_regress_mock_behave(o->mock, i, st->turn[k].behaviour, diag);
			if (rc != SSR_EOK) {
				return rc;
			}
		}
		for (unsigned k = 0; k < st->nswap; k++) {
			size_t i = server_index(o->mock, st->swap[k].server);
			int rc = ssr_regress_mock_load(o->mock, i, st->swap[k].file, diag);
			if (rc != SSR_EOK) {
				return rc;
			}
		}
	}
	unsigned ms = o->settle_ms ? o->settle_ms : 3000;
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
	return SSR_EOK;
}

int ssr_regress_run(const ssr_regress_suite_t *suites, size_t nsuites,
                    const ssr_regress_target_t *targets, size_t ntargets,
                    const ssr_regress_opts_t *o, ssr_regress_result_t **out, size_t *n,
                    ssr_diag_t *diag)
{
	*out = NULL;
	*n = 0;
	size_t per = 0, rounds = 1;
	bool resolver = false;
	for (size_t s = 0; s < nsuites; s++) {
		per += suites[s].ncases;
		resolver |= strcmp(suites[s].kind, "resolver") == 0;
		for (size_t k = 0; k < suites[s].ncases; k++) {
			if (suites[s].cases[k].nbefore + 1 > rounds) {
				rounds = suites[s].cases[k].nbefore + 1;
			}
		}
	}
	if (!resolver && (o->zone == NULL || *o->zone == '\0')) {
		return ssr_diag_set(diag, SSR_EINVAL, "regress: no zone to ask about (--zone)");
	}
	if (resolver && o->mock == NULL) {
		return ssr_diag_set(diag, SSR_EINVAL,
		                    "regress: a resolver suite needs its hierarchy");
	}
	/* a timeline that moves the clock: only resolvers ssrwatch started (on its clock) follow */
	for (size_t si = 0; si < nsuites; si++) {
		for (size_t k = 0; k < suites[si].nsteps; k++) {
			if (suites[si].steps[k].after == 0) {
				continue;
			}
			for (size_t t = 0; t < ntargets; t++) {
				if (targets[t].down[0] == '\0' &&
				    (targets[t].source[0] == '\0' || o->clock_file == NULL)) {
					return ssr_diag_set(
					    diag, SSR_EINVAL,
					    "regress: step '%s' moves the clock: only resolvers "
					    "started by ssrwatch (--impl) can follow it, not '%s'",
					    suites[si].steps[k].name, targets[t].name);
				}
			}
		}
	}
	size_t total = per * ntargets;
	run_t x = {calloc(total ? total : 1, sizeof(*x.res)),
	           calloc(total ? total : 1, sizeof(*x.cases)),
	           calloc(ntargets ? ntargets : 1, sizeof(*x.down)), 0, 0};
	if (x.res == NULL || x.cases == NULL || x.down == NULL) {
		free(x.res);
		free(x.cases);
		free(x.down);
		return ssr_diag_set(diag, SSR_ENOMEM, "regress: out of memory");
	}
	/* every result first: its target, case and suite; a target that is down fails every case
	 * with the reason (not tested is not passed) */
	size_t nsteps = 0;
	for (size_t t = 0, i = 0; t < ntargets; t++) {
		for (size_t s = 0; s < nsuites; s++) {
			if (suites[s].nsteps > nsteps) {
				nsteps = suites[s].nsteps;
			}
			for (size_t k = 0; k < suites[s].ncases; k++, i++) {
				ssr_regress_result_t *r = &x.res[i];
				x.cases[i] = &suites[s].cases[k];
				r->target = &targets[t];
				r->c = x.cases[i];
				r->suite = suites[s].name;
				if (targets[t].down[0] != '\0') {
					mark_down(r, targets[t].down);
				} else if (x.cases[i]->check[0] != '\0') {
					r->result = SSR_RES_FAIL;
					snprintf(r->codes, sizeof r->codes, "NOT_A_QUERY");
					snprintf(
					    r->details, sizeof r->details,
					    "a delegation check ('%s'), run by delegation check",
					    x.cases[i]->check);
					r->seq = UINT64_MAX;
				}
			}
		}
	}
	int rc = SSR_EOK;
	int64_t offset = 0;
	for (size_t step = 0; rc == SSR_EOK && step <= nsteps; step++) {
		if (step > 0) {
			rc = next_step(suites, nsuites, step, o, &offset, diag);
		}
		for (size_t round = 0; rc == SSR_EOK && round < rounds; round++) {
			rc =
			    run_round(suites, nsuites, targets, ntargets, o, &x, step, round, diag);
		}
	}
	if (rc == SSR_EOK && o->mock != NULL) {
		ssr_regress_mock_query_t *log = NULL;
		size_t nlog = 0;
		rc = ssr_regress_mock_log(o->mock, &log, &nlog, diag);
		for (size_t i = 0; rc == SSR_EOK && i < total; i++) {
			if (x.cases[i]->nupstream > 0 && x.res[i].target->down[0] == '\0' &&
			    strcmp(x.res[i].codes, "NO_ANSWER") != 0) {
				judge_upstream(x.cases[i], o->mock, log, nlog, &x.res[i]);
			}
		}
		free(log);
	}
	free(x.cases);
	free(x.down);
	if (rc != SSR_EOK) {
		free(x.res);
		return rc;
	}
	/* an exchange number points into the record file: without one it names nothing */
	for (size_t i = 0; o->record == NULL && i < total; i++) {
		x.res[i].seq = UINT64_MAX;
	}
	*out = x.res;
	*n = total;
	return SSR_EOK;
}

int ssr_regress_shipped(char ***paths, size_t *n, ssr_diag_t *diag)
{
	static const char *const files[] = {"edns.yaml",
	                                    "dnssec.yaml",
	                                    "resolver.yaml",
	                                    "ksk-rollover.yaml",
	                                    "algorithm-rollover.yaml",
	                                    "serve-stale.yaml"};
	*paths = NULL;
	*n = 0;
	char **v = calloc(sizeof files / sizeof files[0], sizeof(*v));
	if (v == NULL) {
		return ssr_diag_set(diag, SSR_ENOMEM, "regress: out of memory");
	}
	const char *dir = getenv("SSRWATCH_DATA");
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		char p[4096];
		snprintf(p, sizeof p, "%s/regress/%s", dir ? dir : SSR_DATA_DIR, files[i]);
		if ((v[i] = strdup(p)) == NULL) {
			ssr_regress_paths_free(v, i);
			return ssr_diag_set(diag, SSR_ENOMEM, "regress: out of memory");
		}
	}
	*paths = v;
	*n = sizeof files / sizeof files[0];
	return SSR_EOK;
}

void ssr_regress_paths_free(char **paths, size_t n)
{
	for (size_t i = 0; paths && i < n; i++) {
		free(paths[i]);
	}
	free(paths);
}

int ssr_regress_store(ssr_store_t *st, const ssr_regress_result_t *r, size_t n, const char *date,
                      ssr_diag_t *diag)
{
	int rc = ssr_store_begin(st, diag);
	for (size_t i = 0; rc == SSR_EOK && i < n;) {
		size_t j = i;
		ssr_regress_row_t row = {.date = date,
		                         .target = r[i].target->name,
		                         .implementation = r[i].target->impl,
		                         .version = r[i].target->version,
		                         .suite = r[i].suite};
		for (; j < n && r[j].target == r[i].target && strcmp(r[j].suite, r[i].suite) == 0;
		     j++) {
			row.cases++;
			row.passed += r[j].result == SSR_RES_PASS;
			row.failed_errors +=
			    r[j].result == SSR_RES_FAIL && r[j].c->severity == SSR_SEV_ERROR;
		}
		rc = ssr_store_regress_put(st, &row, diag);
		i = j;
	}
	if (rc == SSR_EOK) {
		return ssr_store_commit(st, diag);
	}
	ssr_store_rollback(st);
	return rc;
}
