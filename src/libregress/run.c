/* libregress: running cases through libprobe and judging each answer against its case. */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ssrwatch/regress.h"
#include "ssrwatch/regressstore.h"

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
	size_t l = strlen(r->details);
	if (l + 3 < sizeof r->details) {
		if (l > 0) {
			memcpy(r->details + l, "; ", 3);
			l += 2;
		}
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(r->details + l, sizeof r->details - l, fmt, ap);
		va_end(ap);
	}
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
	if (x->answer_min >= 0 || x->answer_max >= 0) {
		unsigned n = 0;
		if (ssr_probe_count_rrs(pr->resp, pr->rlen, 1, x->answer_type, &n, &d) != SSR_EOK) {
			fail(r, "MALFORMED", "malformed", "%s", d.msg);
		} else if ((x->answer_min >= 0 && n < (unsigned)x->answer_min) ||
		           (x->answer_max >= 0 && n > (unsigned)x->answer_max)) {
			const char *tg = x->answer_type == 6 && n == 0 ? "nosoa" : "answer";
			fail(r, "ANSWER_COUNT", tg, "%u answer records%s, expected %d to %d", n,
			     x->answer_type ? " of the type" : "", x->answer_min,
			     x->answer_max < 0 ? 65535 : x->answer_max);
		}
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
} run_t;

static void done(const ssr_probe_result_t *r, void *ctx)
{
	run_t *x = ctx;
	size_t i = (size_t)(uintptr_t)r->user;
	ssr_regress_judge(x->cases[i], r, &x->res[i]);
}

/* The case's name under the zone: "@" the apex, "x" x.zone, "x." as given. */
static int resolve(const char *name, const char *zone, char *out, size_t cap)
{
	size_t zl = strlen(zone);
	bool zdot = zl > 0 && zone[zl - 1] == '.';
	int w;
	if (strcmp(name, "@") == 0) {
		w = snprintf(out, cap, "%s%s", zone, zdot ? "" : ".");
	} else if (name[0] != '\0' && name[strlen(name) - 1] == '.') {
		w = snprintf(out, cap, "%s", name);
	} else if (strcmp(zone, ".") == 0) {
		w = snprintf(out, cap, "%s.", name);
	} else {
		w = snprintf(out, cap, "%s.%s%s", name, zone, zdot ? "" : ".");
	}
	return w > 0 && (size_t)w < cap ? SSR_EOK : SSR_ELIMIT;
}

int ssr_regress_run(const ssr_regress_suite_t *suites, size_t nsuites,
                    const ssr_regress_target_t *targets, size_t ntargets,
                    const ssr_regress_opts_t *o, ssr_regress_result_t **out, size_t *n,
                    ssr_diag_t *diag)
{
	*out = NULL;
	*n = 0;
	if (o->zone == NULL || *o->zone == '\0') {
		return ssr_diag_set(diag, SSR_EINVAL, "regress: no zone to ask about (--zone)");
	}
	size_t per = 0;
	for (size_t s = 0; s < nsuites; s++) {
		per += suites[s].ncases;
	}
	size_t total = per * ntargets;
	run_t x = {calloc(total ? total : 1, sizeof(*x.res)),
	           calloc(total ? total : 1, sizeof(*x.cases))};
	if (x.res == NULL || x.cases == NULL) {
		free(x.res);
		free(x.cases);
		return ssr_diag_set(diag, SSR_ENOMEM, "regress: out of memory");
	}
	ssr_probe_opts_t po = {
	    .max_inflight = 32, .udp_sockets = 4, .done = done, .ctx = &x, .record = o->record};
	ssr_probe_t *p = NULL;
	int rc = ssr_probe_new(&po, &p, diag);
	size_t i = 0;
	for (size_t t = 0; rc == SSR_EOK && t < ntargets; t++) {
		for (size_t s = 0; rc == SSR_EOK && s < nsuites; s++) {
			for (size_t k = 0; rc == SSR_EOK && k < suites[s].ncases; k++, i++) {
				const ssr_regress_case_t *c = &suites[s].cases[k];
				x.cases[i] = c;
				x.res[i].target = &targets[t];
				x.res[i].c = c;
				x.res[i].suite = suites[s].name;
				if (targets[t].down[0] != '\0') {
					/* not tested is not passed: every case fails with the
					 * reason */
					ssr_regress_result_t *r = &x.res[i];
					r->result = SSR_RES_FAIL;
					snprintf(r->codes, sizeof r->codes, "TARGET_DOWN");
					snprintf(r->tags, sizeof r->tags, "down");
					snprintf(r->details, sizeof r->details, "%s",
					         targets[t].down);
					r->seq = UINT64_MAX;
					continue;
				}
				char name[300], label[200];
				ssr_probe_query_t q = c->q;
				if ((rc = resolve(c->qname, o->zone, name, sizeof name)) !=
				    SSR_EOK) {
					rc = ssr_diag_set(diag, SSR_EINVAL,
					                  "regress: case '%s': name too long",
					                  c->id);
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
				snprintf(label, sizeof label, "%s/%s@%s", suites[s].name, c->id,
				         targets[t].name);
				ssr_probe_req_t req = {.dst = targets[t].addr,
				                       .dst_len = targets[t].addr_len,
				                       .transport = c->transport,
				                       .query = w,
				                       .qlen = len,
				                       .timeout_ms = o->timeout_ms,
				                       .fresh_conn = true,
				                       .label = label,
				                       .user = (void *)(uintptr_t)i};
				rc = ssr_probe_submit(p, &req, diag);
			}
		}
	}
	if (rc == SSR_EOK) {
		rc = ssr_probe_run(p, diag);
	}
	ssr_probe_free(p);
	free(x.cases);
	if (rc != SSR_EOK) {
		free(x.res);
		return rc;
	}
	*out = x.res;
	*n = total;
	return SSR_EOK;
}

int ssr_regress_shipped(char ***paths, size_t *n, ssr_diag_t *diag)
{
	static const char *const files[] = {"edns.yaml"};
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
