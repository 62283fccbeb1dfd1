/* libescrow: the timed restore drill.  Restore the zone from the deposits, sign it (ldns-signzone)
 * when keys are given, serve it on loopback with Knot DNS or NSD, ask every delegation (NS: the
 * referral's NS set and in-bailiwick glue; DS: the answer) through libprobe and compare with the
 * original zone file or the original server's answers; each phase timed, the time from deposit
 * to a correctly answering server set against the 4-hour DNS threshold. */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ssrwatch/dname.h"
#include "ssrwatch/escrowrestore.h"
#include "ssrwatch/probe.h"
#include "ssrwatch/regress.h"
#include "ssrwatch/zone.h"

extern char **environ;

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- the expected delegations (from a zone file), one line each in a side file ---- */

#define EXP_MAX       64
#define DRILL_RETRIES 2

typedef struct {
	FILE *out;
	uint8_t origin[256];
	uint8_t cur[256];
	bool have;
	char ns[EXP_MAX][256];
	unsigned nns;
	char ds[EXP_MAX][200];
	unsigned nds;
	char glue[EXP_MAX][300];
	unsigned nglue;
	uint64_t count;
} expw_t;

static int cmp_str(const void *a, const void *b)
{
	return strcmp((const char *)a, (const char *)b);
}

/* name \t ns,ns \t ds|ds \t glue|glue (each list sorted) */
static void exp_flush(expw_t *x)
{
	if (!x->have) {
		return;
	}
	char name[300];
	if (ssr_dname_to_text(x->cur, name, sizeof name, true) < 0) {
		x->have = false;
		return;
	}
	/* the glue a referral carries: addresses of the name servers named (not other hosts below)
	 */
	unsigned keep = 0;
	for (unsigned i = 0; i < x->nglue; i++) {
		char host[256];
		if (sscanf(x->glue[i], "%255s", host) != 1) {
			continue;
		}
		for (unsigned k = 0; k < x->nns; k++) {
			if (strcmp(x->ns[k], host) == 0) {
				if (keep != i) {
					memcpy(x->glue[keep], x->glue[i], sizeof x->glue[0]);
				}
				keep++;
				break;
			}
		}
	}
	x->nglue = keep;
	qsort(x->ns, x->nns, sizeof x->ns[0], cmp_str);
	qsort(x->ds, x->nds, sizeof x->ds[0], cmp_str);
	qsort(x->glue, x->nglue, sizeof x->glue[0], cmp_str);
	fprintf(x->out, "%s\t", name);
	for (unsigned i = 0; i < x->nns; i++) {
		fprintf(x->out, "%s%s", i ? "," : "", x->ns[i]);
	}
	fputc('\t', x->out);
	for (unsigned i = 0; i < x->nds; i++) {
		fprintf(x->out, "%s%s", i ? "|" : "", x->ds[i]);
	}
	fputc('\t', x->out);
	for (unsigned i = 0; i < x->nglue; i++) {
		fprintf(x->out, "%s%s", i ? "|" : "", x->glue[i]);
	}
	fputc('\n', x->out);
	x->count++;
	x->have = false;
	x->nns = x->nds = x->nglue = 0;
}

static void rdata_hex_ds(const ssr_zone_rr_t *rr, char *out, size_t cap)
{
	size_t l =
	    (size_t)snprintf(out, cap, "%u %u %u ", (unsigned)(rr->rdata[0] << 8 | rr->rdata[1]),
	                     rr->rdata[2], rr->rdata[3]);
	for (size_t i = 4; i < rr->rdata_len && l + 3 < cap; i++) {
		l += (size_t)snprintf(out + l, cap - l, "%02X", rr->rdata[i]);
	}
}

static void addr_text(const ssr_zone_rr_t *rr, char *out, size_t cap)
{
	inet_ntop(rr->type == SSR_RRTYPE_A ? AF_INET : AF_INET6, rr->rdata, out, (socklen_t)cap);
}

static int exp_rr(const ssr_zone_rr_t *rr, void *ctx)
{
	expw_t *x = ctx;
	if (ssr_dname_cmp_canonical(rr->owner, x->origin) == 0 ||
	    !ssr_dname_is_under(rr->owner, x->origin)) {
		return SSR_EOK;
	}
	bool at = x->have && ssr_dname_cmp_canonical(rr->owner, x->cur) == 0;
	bool below = x->have && !at && ssr_dname_is_under(rr->owner, x->cur);
	if (rr->type == SSR_RRTYPE_NS && !at && !below) {
		exp_flush(x);
		memcpy(x->cur, rr->owner, rr->owner_len);
		x->have = true;
		at = true;
	}
	if (at && rr->type == SSR_RRTYPE_NS && x->nns < EXP_MAX) {
		if (ssr_dname_to_text(rr->rdata, x->ns[x->nns], sizeof x->ns[0], true) >= 0) {
			x->nns++;
		}
	} else if (at && rr->type == SSR_RRTYPE_DS && x->nds < EXP_MAX && rr->rdata_len > 4) {
		rdata_hex_ds(rr, x->ds[x->nds++], sizeof x->ds[0]);
	} else if (below && (rr->type == SSR_RRTYPE_A || rr->type == SSR_RRTYPE_AAAA) &&
	           x->nglue < EXP_MAX && rr->rdata_len == (rr->type == SSR_RRTYPE_A ? 4 : 16)) {
		char host[256], a[64];
		if (ssr_dname_to_text(rr->owner, host, sizeof host, true) < 0) {
			return SSR_EOK;
		}
		addr_text(rr, a, sizeof a);
		snprintf(x->glue[x->nglue++], sizeof x->glue[0], "%.200s %s %s", host,
		         rr->type == SSR_RRTYPE_A ? "A" : "AAAA", a);
	}
	return SSR_EOK;
}

/* ---- the queries ---- */

typedef struct exp_s {
	char name[256];
	char want[3][4096];   /* ns, ds, glue as written by exp_flush */
	char got[2][3][4096]; /* [server][ns, ds, glue]: 0 restored, 1 original */
	unsigned pending;
	bool failed[2];
	uint8_t tries[2][2]; /* [server][NS, DS]: resent after a timeout */
} exp_t;

typedef struct coll coll_t;

typedef struct {
	const ssr_drill_opts_t *o;
	ssr_drill_t *r;
	FILE *in;
	struct sockaddr_storage dst[2];
	socklen_t dst_len[2];
	unsigned nservers;
	uint64_t submitted;
	uint64_t limit;
	ssr_probe_t *p;
	int rc;
	ssr_diag_t *diag;
	coll_t *coll; /* one answer collector, reused: done() runs serially */
} ver_t;

static void example(ssr_drill_t *r, const char *name, const char *what)
{
	if (r->nexamples < SSR_DRILL_EXAMPLES) {
		snprintf(r->examples[r->nexamples++], sizeof r->examples[0], "%.200s: %.100s", name,
		         what);
	}
}

struct coll {
	exp_t *e;
	int server;
	int qtype; /* 0 NS, 1 DS */
	char lists[3][EXP_MAX][300];
	unsigned n[3];
};

static int coll_rr(int section, const char *text, void *ctx)
{
	coll_t *c = ctx;
	/* owner TTL [class] type rdata (libknot's default style leaves IN out) */
	char owner[300], ttl[32], type[16], rest[400];
	int used = 0;
	if (sscanf(text, "%299s %31s %15s %n", owner, ttl, type, &used) != 3) {
		return SSR_EOK;
	}
	if (strcmp(type, "IN") == 0 || strcmp(type, "CH") == 0 || strcmp(type, "HS") == 0) {
		int more = 0;
		if (sscanf(text + used, "%15s %n", type, &more) != 1) {
			return SSR_EOK;
		}
		used += more;
	}
	snprintf(rest, sizeof rest, "%s", text + used);
	size_t ol = strlen(owner);
	if (ol > 1 && owner[ol - 1] == '.') {
		owner[ol - 1] = '\0';
	}
	for (char *p = owner; *p; p++) {
		*p = (char)tolower((unsigned char)*p);
	}
	size_t rl = strlen(rest);
	while (rl && (rest[rl - 1] == ' ' || rest[rl - 1] == '.')) {
		rest[--rl] = '\0';
	}
	if (c->qtype == 0 && section == 2 && strcmp(type, "NS") == 0 &&
	    strcmp(owner, c->e->name) == 0 && c->n[0] < EXP_MAX) {
		for (char *p = rest; *p; p++) {
			*p = (char)tolower((unsigned char)*p);
		}
		snprintf(c->lists[0][c->n[0]++], 300, "%.299s", rest);
	} else if (c->qtype == 1 && section == 1 && strcmp(type, "DS") == 0 && c->n[1] < EXP_MAX) {
		/* knot prints the digest in groups: one string, upper case */
		char compact[300];
		size_t k = 0;
		unsigned fields = 0;
		for (const char *p = rest; *p && k + 1 < sizeof compact; p++) {
			if (*p == ' ') {
				if (fields < 3) {
					compact[k++] = ' ';
				}
				fields++;
				continue;
			}
			compact[k++] = (char)toupper((unsigned char)*p);
		}
		compact[k] = '\0';
		snprintf(c->lists[1][c->n[1]++], 300, "%.299s", compact);
	} else if (c->qtype == 0 && section == 3 &&
	           (strcmp(type, "A") == 0 || strcmp(type, "AAAA") == 0) && c->n[2] < EXP_MAX) {
		size_t nl = strlen(c->e->name), hl = strlen(owner);
		if (hl > nl + 1 && owner[hl - nl - 1] == '.' &&
		    strcmp(owner + hl - nl, c->e->name) == 0) {
			snprintf(c->lists[2][c->n[2]++], 300, "%.200s %s %.60s", owner, type, rest);
		}
	}
	return SSR_EOK;
}

static void join(char lists[][300], unsigned n, const char *sep, char *out, size_t cap)
{
	qsort(lists, n, 300, cmp_str);
	size_t l = 0;
	out[0] = '\0';
	for (unsigned i = 0; i < n && l + 1 < cap; i++) {
		l += (size_t)snprintf(out + l, cap - l, "%s%s", i ? sep : "", lists[i]);
	}
}

static void finish(ver_t *v, exp_t *e)
{
	ssr_drill_t *r = v->r;
	r->checked++;
	if (e->failed[0] || (v->nservers > 1 && e->failed[1])) {
		r->unanswered++;
		example(r, e->name,
		        e->failed[0] ? "no answer from the restored server"
		                     : "no answer from the original server");
		free(e);
		return;
	}
	const char *want[3];
	for (int k = 0; k < 3; k++) {
		want[k] = v->nservers > 1 ? e->got[1][k] : e->want[k];
	}
	static const char *const what[3] = {"the NS set differs", "the DS set differs",
	                                    "the glue differs"};
	for (int k = 0; k < 3; k++) {
		if (strcmp(want[k], e->got[0][k]) != 0) {
			r->mismatched++;
			char msg[320];
			snprintf(msg, sizeof msg, "%s: '%.100s' against '%.100s'", what[k],
			         e->got[0][k], want[k]);
			example(r, e->name, msg);
			free(e);
			return;
		}
	}
	r->matched++;
	free(e);
}

static void done(const ssr_probe_result_t *res, void *ctx)
{
	ver_t *v = ctx;
	uintptr_t tag = (uintptr_t)res->user;
	exp_t *e = (exp_t *)(tag & ~(uintptr_t)7);
	int server = (int)(tag & 1), qtype = (int)((tag >> 1) & 1);
	ssr_probe_answer_t a;
	ssr_diag_t d;
	if (!res->resp && e->tries[server][qtype] < DRILL_RETRIES && v->p) {
		/* no answer (UDP is lossy under load): ask again, at most twice more */
		e->tries[server][qtype]++;
		ssr_probe_req_t req = {.dst = res->dst,
		                       .dst_len = res->dst.ss_family == AF_INET6
		                                      ? sizeof(struct sockaddr_in6)
		                                      : sizeof(struct sockaddr_in),
		                       .transport = SSR_PROBE_UDP,
		                       .query = res->query,
		                       .qlen = res->qlen,
		                       .timeout_ms = v->o->timeout_ms ? v->o->timeout_ms : 2000,
		                       .user = res->user};
		if (ssr_probe_submit(v->p, &req, &d) == SSR_EOK) {
			v->r->retries++;
			return;
		}
	}
	if (!res->resp ||
	    ssr_probe_parse(res->resp, res->rlen, res->query, res->qlen, &a, &d) != SSR_EOK ||
	    (a.rcode != 0 && a.rcode != 3)) {
		e->failed[server] = true;
	} else {
		coll_t *c = v->coll;
		{
			memset(c->n, 0, sizeof c->n);
			c->e = e;
			c->server = server;
			c->qtype = qtype;
			if (ssr_probe_msg_rrs(res->resp, res->rlen, coll_rr, c, &d) != SSR_EOK) {
				e->failed[server] = true;
			} else if (qtype == 0) {
				join(c->lists[0], c->n[0], ",", e->got[server][0],
				     sizeof e->got[0][0]);
				join(c->lists[2], c->n[2], "|", e->got[server][2],
				     sizeof e->got[0][2]);
			} else {
				join(c->lists[1], c->n[1], "|", e->got[server][1],
				     sizeof e->got[0][1]);
			}
		}
	}
	if (--e->pending == 0) {
		finish(v, e);
	}
}

static bool feed(ssr_probe_t *p, unsigned room, void *ctx)
{
	ver_t *v = ctx;
	char line[16384];
	while (room >= 2 * v->nservers) {
		if (v->limit && v->submitted >= v->limit) {
			return false;
		}
		if (!fgets(line, sizeof line, v->in)) {
			return false;
		}
		line[strcspn(line, "\n")] = '\0';
		exp_t *e = calloc(1, sizeof *e);
		if (!e) {
			v->rc = SSR_ENOMEM;
			return false;
		}
		char *f[4] = {line, NULL, NULL, NULL};
		for (int k = 1; k < 4; k++) {
			f[k] = f[k - 1] ? strchr(f[k - 1], '\t') : NULL;
			if (f[k]) {
				*f[k]++ = '\0';
			}
		}
		snprintf(e->name, sizeof e->name, "%.255s", f[0]);
		snprintf(e->want[0], sizeof e->want[0], "%.4095s", f[1] ? f[1] : "");
		snprintf(e->want[1], sizeof e->want[1], "%.4095s", f[2] ? f[2] : "");
		snprintf(e->want[2], sizeof e->want[2], "%.4095s", f[3] ? f[3] : "");
		e->pending = 2 * v->nservers;
		for (unsigned s = 0; s < v->nservers; s++) {
			for (int q = 0; q < 2; q++) {
				ssr_probe_query_t qq;
				ssr_probe_query_init(&qq);
				qq.qname = e->name;
				qq.qtype = q == 0 ? SSR_RRTYPE_NS : SSR_RRTYPE_DS;
				qq.edns_do = true;
				uint8_t w[512];
				size_t len;
				ssr_diag_t d;
				ssr_probe_req_t req = {
				    .dst = v->dst[s],
				    .dst_len = v->dst_len[s],
				    .transport = SSR_PROBE_UDP,
				    .timeout_ms = v->o->timeout_ms ? v->o->timeout_ms : 2000,
				    .user = (void *)((uintptr_t)e | (uintptr_t)s |
				                     ((uintptr_t)q << 1))};
				if (ssr_probe_query_build(&qq, w, sizeof w, &len, &d) != SSR_EOK) {
					e->failed[s] = true;
					if (--e->pending == 0) {
						finish(v, e);
					}
					continue;
				}
				req.query = w;
				req.qlen = len;
				if (ssr_probe_submit(p, &req, &d) != SSR_EOK) {
					v->rc = SSR_ENOMEM;
					return false;
				}
			}
		}
		v->submitted++;
		room -= 2 * v->nservers;
	}
	return true;
}

static int parse_addr(const char *s, uint16_t def_port, struct sockaddr_storage *ss, socklen_t *len)
{
	char host[128];
	snprintf(host, sizeof host, "%s", s);
	uint16_t port = def_port;
	char *hash = strchr(host, '#');
	if (hash) {
		*hash = '\0';
		char *end;
		unsigned long v = strtoul(hash + 1, &end, 10);
		if (*end != '\0' || v == 0 || v > 65535) {
			return SSR_EINVAL;
		}
		port = (uint16_t)v;
	}
	memset(ss, 0, sizeof *ss);
	struct sockaddr_in *a4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;
	if (inet_pton(AF_INET, host, &a4->sin_addr) == 1) {
		a4->sin_family = AF_INET;
		a4->sin_port = htons(port);
		*len = sizeof *a4;
		return SSR_EOK;
	}
	if (inet_pton(AF_INET6, host, &a6->sin6_addr) == 1) {
		a6->sin6_family = AF_INET6;
		a6->sin6_port = htons(port);
		*len = sizeof *a6;
		return SSR_EOK;
	}
	return SSR_EINVAL;
}

/* ldns-signzone -n (NSEC3, no opt-out) zone key... -> zone.signed */
static int sign(const ssr_drill_opts_t *o, const char *zone, const char *tld, char *signed_path,
                size_t cap, ssr_diag_t *diag)
{
	snprintf(signed_path, cap, "%s.signed", zone);
	const char *argv[80];
	size_t n = 0;
	argv[n++] = "ldns-signzone";
	argv[n++] = "-n";
	argv[n++] = "-o";
	argv[n++] = tld;
	argv[n++] = "-f";
	argv[n++] = signed_path;
	argv[n++] = zone;
	for (size_t i = 0; i < o->nsign_keys && n < 78; i++) {
		argv[n++] = o->sign_keys[i];
	}
	argv[n] = NULL;
	pid_t pid;
	int e = posix_spawnp(&pid, "ldns-signzone", NULL, NULL, (char *const *)argv, environ);
	if (e != 0) {
		return ssr_diag_set(diag, e == ENOENT ? SSR_ENOTFOUND : SSR_EIO,
		                    "drill: ldns-signzone cannot be started: %s", strerror(e));
	}
	int st;
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		return ssr_diag_set(diag, SSR_EIO, "drill: ldns-signzone failed on '%s'", zone);
	}
	return SSR_EOK;
}

int ssr_escrow_drill(const ssr_drill_opts_t *o, ssr_drill_t *r, ssr_diag_t *diag)
{
	memset(r, 0, sizeof *r);
	r->threshold_s = o->threshold_s > 0 ? o->threshold_s : 4 * 3600;
	if (!o->dir || !o->restore.apex || (!o->compare_zone && !o->compare_server)) {
		return ssr_diag_set(
		    diag, SSR_EINVAL,
		    "drill: a working directory, an apex zone and a comparison (zone or "
		    "server) are needed");
	}
	if (mkdir(o->dir, 0755) != 0 && errno != EEXIST) {
		return ssr_diag_set(diag, SSR_EIO, "drill: cannot create '%s': %s", o->dir,
		                    strerror(errno));
	}
	double t_start = now_s();
	char zone[1100];
	snprintf(zone, sizeof zone, "%s/restored.zone", o->dir);
	ssr_escrow_restore_opts_t ro = o->restore;
	ro.out = zone;
	int rc = ssr_escrow_restore(&ro, &r->restore, diag);
	if (rc != SSR_EOK) {
		return rc;
	}
	/* sign */
	const char *served = zone;
	char signed_path[1200];
	if (o->nsign_keys) {
		double t0 = now_s();
		rc = sign(o, zone, r->restore.tld, signed_path, sizeof signed_path, diag);
		if (rc != SSR_EOK) {
			return rc;
		}
		r->sign_s = now_s() - t0;
		served = signed_path;
		r->signed_zone = true;
	}
	/* load: start the server, wait until it answers the SOA */
	double t_load = now_s();
	ssr_regress_daemon_spec_t sp = {.impl = o->server ? o->server : "knot",
	                                .addr = o->listen ? o->listen : "127.0.0.1",
	                                .port = o->port ? o->port : 5353,
	                                .zone = r->restore.tld,
	                                .zonefile = served,
	                                .ready_s = o->load_timeout_s ? o->load_timeout_s : 600};
	ssr_regress_daemon_t *dm = NULL;
	ssr_regress_target_t tg;
	rc = ssr_regress_daemon_start(&sp, &dm, &tg, diag);
	if (rc != SSR_EOK) {
		return rc;
	}
	r->load_s = now_s() - t_load;
	snprintf(r->server, sizeof r->server, "%.30s %.30s", tg.impl, tg.version);
	/* verify */
	double t_ver = now_s();
	char expect[1100];
	snprintf(expect, sizeof expect, "%s/expected.tsv", o->dir);
	expw_t xw = {0};
	xw.out = fopen(expect, "w+");
	if (!xw.out) {
		ssr_regress_daemon_stop(dm);
		return ssr_diag_set(diag, SSR_EIO, "drill: cannot write '%s'", expect);
	}
	if (ssr_dname_from_text(r->restore.tld, strlen(r->restore.tld), NULL, xw.origin,
	                        sizeof xw.origin) < 0) {
		fclose(xw.out);
		ssr_regress_daemon_stop(dm);
		return ssr_diag_set(diag, SSR_EINVAL, "drill: bad TLD '%s'", r->restore.tld);
	}
	/* the delegations to ask: the original zone's (expected answers included), or the restored
	 * zone's when the original server is the reference */
	ssr_zone_opts_t zo = {.origin = r->restore.tld, .no_include = true};
	ssr_zone_read_stats_t zs;
	rc = ssr_zone_read(o->compare_zone ? o->compare_zone : zone, &zo, exp_rr, &xw, &zs, diag);
	if (rc == SSR_EOK) {
		exp_flush(&xw);
		rewind(xw.out);
	}
	ver_t v = {
	    .o = o, .r = r, .in = xw.out, .diag = diag, .nservers = 1, .limit = o->max_queries};
	if (rc == SSR_EOK) {
		v.dst[0] = tg.addr;
		v.dst_len[0] = tg.addr_len;
		if (o->compare_server) {
			if (parse_addr(o->compare_server, 53, &v.dst[1], &v.dst_len[1]) !=
			    SSR_EOK) {
				rc = ssr_diag_set(diag, SSR_EINVAL,
				                  "drill: bad --compare-server '%s'",
				                  o->compare_server);
			}
			v.nservers = 2;
		}
	}
	if (rc == SSR_EOK && !(v.coll = malloc(sizeof *v.coll))) {
		rc = ssr_diag_set(diag, SSR_ENOMEM, "drill: out of memory");
	}
	if (rc == SSR_EOK) {
		ssr_probe_t *p = NULL;
		ssr_probe_opts_t po = {
		    .max_inflight = 200, .done = done, .ctx = &v, .feed = feed, .feed_ctx = &v};
		rc = ssr_probe_new(&po, &p, diag);
		if (rc == SSR_EOK) {
			v.p = p;
			rc = ssr_probe_run(p, diag);
			v.p = NULL;
		}
		ssr_probe_free(p);
		if (rc == SSR_EOK && v.rc != SSR_EOK) {
			rc = ssr_diag_set(diag, v.rc, "drill: out of memory");
		}
	}
	free(v.coll);
	fclose(xw.out);
	unlink(expect);
	r->verify_s = now_s() - t_ver;
	char why[256];
	if (rc == SSR_EOK && !ssr_regress_daemon_alive(dm, why, sizeof why)) {
		rc = ssr_diag_set(diag, SSR_EIO, "drill: %s", why);
	}
	ssr_regress_daemon_stop(dm);
	r->total_s = now_s() - t_start;
	r->answering_s = r->restore.decrypt_s + r->restore.parse_s + r->restore.build_s +
	                 r->sign_s + r->load_s + r->verify_s;
	r->within = r->answering_s <= r->threshold_s;
	r->passed = rc == SSR_EOK && r->checked > 0 && r->matched == r->checked && r->within;
	return rc;
}
