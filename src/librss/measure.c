/* librss: one vantage point's measurement process (RSSAC047 sections 4, 5.1, 5.3).  Each
 * five-minute interval: wait a random 0-60 s, ask every RSI ". SOA" over UDP and TCP, IPv4 and
 * IPv6 with NSID, and one correctness question per RSI, all at once through libprobe; retry
 * truncated correctness answers over TCP; check them against the verified root zones; append
 * the interval to the month's state (fsync'ed) so a restart resumes without counting an
 * interval twice. */
#include <arpa/inet.h>
#include <errno.h>
#include <libknot/libknot.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

#include "rss_priv.h"
#include "ssrwatch/crypto.h"
#include "ssrwatch/probe.h"
#include "ssrwatch/rng.h"

#define JUMP_LIMIT_US 1000000 /* run clock against monotonic clock since the last interval */
#define NSLOTS        (SSR_RSS_MAX_RSI * (SSR_RSS_NT + 2) + 1)

typedef struct {
	const ssr_rss_measure_opts_t *o;
	ssr_rng_t rng;
	int64_t wall0_us; /* the wall time of the simulated clock's origin */
	int64_t mono_off; /* a simulation: wall time minus the monotonic clock, taken once */
	ssr_rss_zones_t *zones;
	ssr_rss_state_t *state;
	char month[8];
	int64_t last;
	struct sockaddr_storage src[2];
	socklen_t src_len[2];
	ssr_log_t *log;
} run_t;

enum { SLOT_SOA = 0, SLOT_CORR = 1, SLOT_DIST = 2 };

typedef struct {
	int kind;
	unsigned rsi, tf;
	bool negative, tc_retry;
	uint16_t qtype;
	char qname[KNOT_DNAME_TXT_MAXLEN + 1];
	/* the result */
	bool done;
	int outcome;
	uint32_t rtt_us;
	uint8_t *resp;
	size_t rlen;
} slot_t;

typedef struct {
	slot_t slot[NSLOTS];
	size_t n;
} batch_t;

static int64_t clock_us(clockid_t c)
{
	struct timespec ts;
	clock_gettime(c, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* The clock that times the run: a test's injected one; in a simulation the machine's
 * monotonic clock, set to the wall time once at the start (every process of a simulation, the
 * relay included, reads the same machine-wide clock, so a step of the wall clock while it runs,
 * an NTP correction say, moves no simulated interval); otherwise the wall clock. */
static int64_t run_clock_us(const run_t *r)
{
	if (r->o->wall_clock != NULL) {
		return r->o->wall_clock(r->o->clock_ctx);
	}
	if (r->o->sim_interval_ms != 0) {
		return clock_us(CLOCK_MONOTONIC) + r->mono_off;
	}
	return clock_us(CLOCK_REALTIME);
}

/* Nominal time: the wall clock, or the simulated one (elapsed time, sped up). */
static int64_t now_us(const run_t *r)
{
	int64_t w = run_clock_us(r);
	if (r->o->sim_interval_ms == 0) {
		return w;
	}
	return r->o->sim_start_us + (int64_t)((__int128)(w - r->wall0_us) *
	                                      (SSR_RSS_INTERVAL * 1000) / r->o->sim_interval_ms);
}

/* Sleep until nominal time t (bounded by the wall clock: one interval at most per call). */
static void sleep_until(const run_t *r, int64_t t)
{
	for (;;) {
		int64_t d = t - now_us(r);
		if (d <= 0) {
			return;
		}
		if (r->o->sim_interval_ms != 0) {
			d = (int64_t)((__int128)d * r->o->sim_interval_ms /
			              (SSR_RSS_INTERVAL * 1000));
		}
		if (d > 1000000) {
			d = 1000000; /* look at the clock again every second */
		}
		struct timespec ts = {.tv_sec = d / 1000000, .tv_nsec = (d % 1000000) * 1000};
		nanosleep(&ts, NULL);
	}
}

static void slot_free(batch_t *b)
{
	for (size_t i = 0; i < b->n; i++) {
		free(b->slot[i].resp);
		b->slot[i].resp = NULL;
	}
}

static void on_done(const ssr_probe_result_t *res, void *ctx)
{
	(void)ctx;
	slot_t *s = res->user;
	s->done = true;
	s->outcome = res->outcome;
	s->rtt_us = res->rtt_us;
	if (res->resp != NULL && (s->resp = malloc(res->rlen)) != NULL) {
		memcpy(s->resp, res->resp, res->rlen);
		s->rlen = res->rlen;
	}
}

static bool family_on(const run_t *r, const ssr_rss_rsi_t *rsi, int fam)
{
	if (rsi->addr_len[fam] == 0) {
		return false;
	}
	return fam == 0 ? !r->o->no_ipv4 : !r->o->no_ipv6;
}

/* Queue one query of slot s to RSI rsi over tf. */
static int submit(run_t *r, ssr_probe_t *p, const ssr_rss_rsi_t *rsi, slot_t *s, bool dnssec,
                  ssr_diag_t *diag)
{
	int fam = s->tf >= 2;
	bool tcp = s->tf % 2 == 1;
	ssr_probe_query_t q;
	ssr_probe_query_init(&q);
	q.qname = s->qname;
	q.qtype = s->qtype;
	q.rd = false;
	q.edns = true;
	q.nsid = true;                           /* RSSAC047 [mgj] */
	q.edns_do = dnssec;                      /* RSSAC047 [rhe] */
	q.edns_bufsize = 1220;                   /* RSSAC047 [rja] */
	q.case_randomize = r->o->case_randomize; /* RSSAC047 [zon] */
	q.cookie = r->o->cookie;                 /* RSSAC047 [ujj] */
	uint8_t wire[512];
	size_t wl;
	int rc = ssr_probe_query_build(&q, wire, sizeof wire, &wl, diag);
	if (rc != SSR_EOK) {
		return rc;
	}
	char label[64];
	snprintf(label, sizeof label, "%s %s %s", rsi->id,
	         s->kind == SLOT_SOA    ? "soa"
	         : s->kind == SLOT_CORR ? "correctness"
	                                : "dist",
	         ssr_rss_tf_name((int)s->tf));
	ssr_probe_req_t req = {
	    .dst_len = rsi->addr_len[fam],
	    .transport = tcp ? SSR_PROBE_TCP : SSR_PROBE_UDP, /* RSSAC047 [ykn] */
	    .query = wire,
	    .qlen = wl,
	    .timeout_ms = r->o->timeout_ms ? r->o->timeout_ms : 4000, /* RSSAC047 [ywz] [twf] */
	    .fresh_conn = true, /* RSSAC047 [epp]: every TCP time from its own connect; no TFO
	                           (RSSAC047 [zbf]) */
	    .label = label,
	    .user = s,
	};
	req.dst = rsi->addr[fam];
	if (r->src_len[fam] != 0) {
		req.src = r->src[fam];
		req.src_len = r->src_len[fam];
	}
	/* RSSAC047 [wsb] [uym]: the engine draws the ID; source ports are the kernel's random ones;
	 * RSSAC047 [doh]: it takes only an answer with the ID, address, port and question asked;
	 * RSSAC047 [xyl] [dks]: one query, no retry (libprobe never retries);
	 * RSSAC047 [jbt]: no socket option asks for TCP Fast Open */
	return ssr_probe_submit(p, &req, diag);
}

/* Run one batch through a fresh engine (new sockets, new ports), every exchange recorded. */
static int run_batch(run_t *r, batch_t *b, size_t from, ssr_probe_rec_t *rec, ssr_diag_t *diag,
                     uint64_t *queries)
{
	ssr_probe_opts_t po = {.done = on_done, .record = rec, .max_inflight = 256};
	ssr_probe_t *p;
	int rc = ssr_probe_new(&po, &p, diag);
	if (rc != SSR_EOK) {
		return rc;
	}
	for (size_t i = from; i < b->n && rc == SSR_EOK; i++) {
		slot_t *s = &b->slot[i];
		const ssr_rss_rsi_t *rsi = &r->o->rsi[s->rsi];
		rc = submit(r, p, rsi, s, s->kind == SLOT_CORR, diag);
		(*queries)++;
	}
	if (rc == SSR_EOK) {
		rc = ssr_probe_run(p, diag);
	}
	ssr_probe_free(p);
	return rc;
}

/* The SOA serial of an answer for ". SOA" (RSSAC047 [tub]: none from a bogus one). */
static bool soa_serial(const uint8_t *msg, size_t len, uint32_t *serial, uint16_t *rcode)
{
	knot_pkt_t *pkt = knot_pkt_new((void *)msg, len, NULL);
	bool ok = false;
	if (pkt != NULL && knot_pkt_parse(pkt, 0) == KNOT_EOK) {
		*rcode = knot_pkt_ext_rcode(pkt);
		const knot_pktsection_t *an = knot_pkt_section(pkt, KNOT_ANSWER);
		for (uint16_t i = 0; i < an->count && !ok; i++) {
			const knot_rrset_t *rr = knot_pkt_rr(an, i);
			if (rr->type == KNOT_RRTYPE_SOA && rr->owner[0] == 0 &&
			    rr->rrs.count == 1 && rr->rrs.rdata->len >= 22) {
				*serial = knot_soa_serial(rr->rrs.rdata);
				ok = true;
			}
		}
	}
	knot_pkt_free(pkt);
	return ok;
}

static uint16_t rcode_of(const uint8_t *msg, size_t len)
{
	ssr_probe_answer_t a;
	ssr_diag_t d = {0};
	return ssr_probe_parse(msg, len, NULL, 0, &a, &d) == SSR_EOK ? a.rcode : 0xffff;
}

static bool has_tc(const uint8_t *msg, size_t len)
{
	return len >= 12 && (msg[2] & 0x02);
}

/* One interval: every query, the checks, the record.  iv filled. */
static int measure_interval(run_t *r, uint32_t idx, ssr_rss_interval_t *iv, int64_t t_us,
                            ssr_rss_measure_stats_t *st, ssr_diag_t *diag)
{
	const ssr_rss_measure_opts_t *o = r->o;
	batch_t *b = calloc(1, sizeof(*b));
	if (b == NULL) {
		return ssr_diag_set(diag, SSR_ENOMEM, "out of memory");
	}
	memset(iv, 0, sizeof(*iv));
	iv->idx = idx;
	iv->t_us = t_us;
	/* the zones first: a new file in the directory, a new serial at the distribution server */
	if (o->zone_dir != NULL) {
		ssr_diag_t d2 = {0};
		if (ssr_rss_zones_scan(r->zones, o->zone_dir, t_us, &d2) != SSR_EOK) {
			ssr_log(r->log, SSR_LOG_ERROR, "rss", "%s", d2.msg);
		}
	}
	if (o->axfr != NULL) {
		uint32_t have = 0, got;
		bool any = ssr_rss_zones_newest(r->zones, &have);
		char path[4096];
		snprintf(path, sizeof path, "%s/axfr-%s.zone", o->state_dir, o->vp);
		ssr_diag_t d2 = {0};
		bool added;
		if (ssr_rss_axfr(o->axfr, path, 10000, &got, &d2) != SSR_EOK) {
			ssr_log(r->log, SSR_LOG_ERROR, "rss", "%s", d2.msg);
		} else if ((!any || got != have) &&
		           ssr_rss_zones_add(r->zones, path, t_us, &added, &d2) != SSR_EOK) {
			ssr_log(r->log, SSR_LOG_ERROR, "rss", "root zone by AXFR not used: %s",
			        d2.msg);
		}
	}
	/* RSSAC047 [hht] [ykn] [jhb] [yns]: ". SOA" over each transport and family */
	for (unsigned i = 0; i < o->nrsi; i++) {
		for (unsigned tf = 0; tf < SSR_RSS_NT; tf++) {
			if (!family_on(r, &o->rsi[i], tf >= 2)) {
				continue;
			}
			slot_t *s = &b->slot[b->n++];
			*s = (slot_t){
			    .kind = SLOT_SOA, .rsi = i, .tf = tf, .qtype = KNOT_RRTYPE_SOA};
			snprintf(s->qname, sizeof s->qname, ".");
		}
	}
	/* RSSAC047 [wca] [thb] [ogo] [yyg]: one correctness question per RSI */
	for (unsigned i = 0; i < o->nrsi; i++) {
		unsigned tfs[SSR_RSS_NT], ntf = 0;
		for (unsigned tf = 0; tf < SSR_RSS_NT; tf++) {
			if (family_on(r, &o->rsi[i], tf >= 2)) {
				tfs[ntf++] = tf;
			}
		}
		if (ntf == 0) {
			continue;
		}
		slot_t *s = &b->slot[b->n++];
		*s = (slot_t){.kind = SLOT_CORR, .rsi = i, .tf = tfs[ssr_rng_below(&r->rng, ntf)]};
		size_t nq = 0;
		bool negative = ssr_rng_below(&r->rng, 10) == 0;
		if (!negative) {
			size_t pick = 0;
			if (ssr_rss_zones_question(r->zones, o->arpa_ns, 0, s->qname,
			                           sizeof s->qname, &s->qtype, &nq) == SSR_EOK &&
			    nq > 0) {
				pick = ssr_rng_below(&r->rng, (unsigned)nq);
				if (ssr_rss_zones_question(r->zones, o->arpa_ns, pick, s->qname,
				                           sizeof s->qname, &s->qtype,
				                           &nq) != SSR_EOK) {
					negative = true;
				}
			} else {
				negative =
				    true; /* no zone yet: only the negative kind can be asked */
			}
		}
		if (negative) {
			/* RSSAC047 [hkc] [dse]: www.rssac047-test.<10 random letters> */
			char rnd[11];
			for (int k = 0; k < 10; k++) {
				rnd[k] = (char)('a' + ssr_rng_below(&r->rng, 26));
			}
			rnd[10] = 0;
			snprintf(s->qname, sizeof s->qname, "www.rssac047-test.%s.", rnd);
			s->qtype = KNOT_RRTYPE_A;
		}
		s->negative = negative;
	}
	/* the raw exchanges (RSSAC047 [otd]) */
	ssr_probe_rec_t *rec = NULL;
	int rc = SSR_EOK;
	if (o->raw_dir != NULL) {
		char day[16], path[4096];
		time_t ts = (time_t)(t_us / 1000000);
		struct tm tm;
		gmtime_r(&ts, &tm);
		strftime(day, sizeof day, "%Y-%m-%d", &tm);
		snprintf(path, sizeof path, "%s/%s", o->raw_dir, day);
		if (mkdir(path, 0755) != 0 && errno != EEXIST) {
			rc = ssr_diag_set(diag, SSR_EIO, "rss raw directory '%s': %s", path,
			                  strerror(errno));
			goto out;
		}
		char hms[16];
		strftime(hms, sizeof hms, "%H%M%S", &tm);
		snprintf(path + strlen(path), sizeof path - strlen(path), "/%s-%s.rec", o->vp, hms);
		if ((rc = ssr_probe_rec_open(path, &rec, diag)) != SSR_EOK) {
			goto out;
		}
	}
	if ((rc = run_batch(r, b, 0, rec, diag, &st->queries)) != SSR_EOK) {
		goto out;
	}
	/* RSSAC047 [hjw]: a truncated correctness answer asked again over TCP, a new timeout */
	size_t first_retry = b->n;
	for (size_t i = 0; i < first_retry; i++) {
		slot_t *s = &b->slot[i];
		if (s->kind == SLOT_CORR && s->outcome == SSR_PROBE_ANSWER && s->tf % 2 == 0 &&
		    has_tc(s->resp, s->rlen) && b->n < NSLOTS) {
			slot_t *t = &b->slot[b->n++];
			*t = *s;
			t->tf = s->tf + 1;
			t->tc_retry = true;
			t->done = false;
			t->resp = NULL;
			t->rlen = 0;
			s->kind = -1; /* superseded by the retry */
		}
	}
	if (b->n > first_retry &&
	    (rc = run_batch(r, b, first_retry, rec, diag, &st->queries)) != SSR_EOK) {
		goto out;
	}
	for (size_t i = 0; i < b->n; i++) {
		slot_t *s = &b->slot[i];
		if (s->kind == SLOT_SOA) {
			ssr_rss_sample_t *m = &iv->soa[s->rsi][s->tf];
			m->outcome = (uint8_t)s->outcome;
			m->status = SSR_RSS_S_FAILED; /* RSSAC047 [dfl]: errors are timeouts */
			if (s->outcome == SSR_PROBE_ANSWER) {
				uint16_t rcode = 0xffff;
				uint32_t serial = 0;
				bool has = soa_serial(s->resp, s->rlen, &serial, &rcode);
				m->rcode = rcode;
				m->rtt_us = s->rtt_us; /* RSSAC047 [aym] [tsm] [epp] */
				if (rcode == 0) {      /* RSSAC047 [yve] [ppo] */
					m->status = SSR_RSS_S_ANSWERED;
					m->serial = serial;
					m->has_serial = has;
				}
			}
		} else if (s->kind == SLOT_CORR) {
			ssr_rss_corr_t *c = &iv->corr[s->rsi];
			c->tf = (uint8_t)s->tf;
			c->negative = s->negative;
			c->qtype = s->qtype;
			c->tc_retry = s->tc_retry;
			c->result = SSR_RSS_C_NORESPONSE;
			if (s->outcome != SSR_PROBE_ANSWER) {
				continue;
			}
			uint16_t rcode = rcode_of(s->resp, s->rlen);
			if (rcode != 0 && rcode != 3) {
				continue; /* RSSAC047 [ote] */
			}
			bool ok;
			ssr_rss_reason_t why;
			uint32_t serial;
			ssr_diag_t d2 = {0};
			int crc = ssr_rss_check(r->zones, s->resp, s->rlen, t_us, &ok, &why,
			                        &serial, &d2);
			if (crc == SSR_ENOMEM) {
				rc = ssr_diag_set(diag, crc, "%s", d2.msg);
				goto out;
			}
			if (crc != SSR_EOK) {
				c->result =
				    SSR_RSS_C_UNCHECKED; /* could not be checked: never a pass */
				continue;
			}
			/* RSSAC047 [jof] [lbl] [xog] */
			c->result = ok ? SSR_RSS_C_CORRECT : SSR_RSS_C_INCORRECT;
			c->reason = (uint8_t)why;
			c->serial = serial;
			if (!ok) {
				ssr_log(r->log, SSR_LOG_WARNING, "rss",
				        "%s: incorrect answer to %s type %u (%s)",
				        o->rsi[s->rsi].id, s->qname, s->qtype,
				        ssr_rss_reason_name(why));
			}
		}
	}
out:
	if (rec != NULL) {
		ssr_diag_t d2 = {0};
		if (ssr_probe_rec_close(rec, &d2) != SSR_EOK && rc == SSR_EOK) {
			rc = ssr_diag_set(diag, SSR_EIO, "%s", d2.msg);
		}
	}
	slot_free(b);
	free(b);
	return rc;
}

static int open_month(run_t *r, const char *month, ssr_diag_t *diag)
{
	const ssr_rss_measure_opts_t *o = r->o;
	ssr_rss_state_close(r->state);
	r->state = NULL;
	ssr_rss_hdr_t h;
	memset(&h, 0, sizeof h);
	snprintf(h.month, sizeof h.month, "%s", month);
	snprintf(h.vp, sizeof h.vp, "%s", o->vp);
	snprintf(h.region, sizeof h.region, "%s", o->region ? o->region : "");
	h.interval_s = SSR_RSS_INTERVAL;
	h.nrsi = (uint32_t)o->nrsi;
	for (size_t i = 0; i < o->nrsi; i++) {
		snprintf(h.rsi[i], sizeof h.rsi[i], "%s", o->rsi[i].id);
	}
	char path[4096];
	snprintf(path, sizeof path, "%s/%s-%s.state", o->state_dir, o->vp, month);
	int rc = ssr_rss_state_open(path, &h, o->repair, &r->state, &r->last, diag);
	if (rc == SSR_EOK) {
		snprintf(r->month, sizeof r->month, "%s", month);
		if (r->last >= 0) {
			ssr_log(r->log, SSR_LOG_NOTICE, "rss",
			        "state '%s': resuming after interval %lld", path,
			        (long long)r->last);
		}
	}
	return rc;
}

static bool src_parse(const char *s, int fam, struct sockaddr_storage *a, socklen_t *len)
{
	memset(a, 0, sizeof(*a));
	if (fam == 0) {
		struct sockaddr_in *a4 = (struct sockaddr_in *)a;
		a4->sin_family = AF_INET;
		*len = sizeof(*a4);
		return inet_pton(AF_INET, s, &a4->sin_addr) == 1;
	}
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)a;
	a6->sin6_family = AF_INET6;
	*len = sizeof(*a6);
	return inet_pton(AF_INET6, s, &a6->sin6_addr) == 1;
}

static double cpu_seconds(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
	       ru.ru_stime.tv_usec / 1e6;
}

int ssr_rss_measure(const ssr_rss_measure_opts_t *o, ssr_rss_measure_stats_t *stats,
                    ssr_diag_t *diag)
{
	memset(stats, 0, sizeof(*stats));
	if (o->nrsi == 0 || o->nrsi > SSR_RSS_MAX_RSI || o->vp == NULL || o->vp[0] == 0 ||
	    strchr(o->vp, '/') != NULL || o->state_dir == NULL) {
		return ssr_diag_set(
		    diag, SSR_EINVAL,
		    "rss measure: an RSI list, a VP name (no '/') and a state directory "
		    "are required");
	}
	run_t r = {.o = o, .log = o->log, .last = -1};
	r.rng.s = o->seed;
	if (o->seed == 0 && ssr_random(&r.rng.s, sizeof r.rng.s) != SSR_EOK) {
		return ssr_diag_set(diag, SSR_EIO, "rss measure: no random seed");
	}
	if ((o->src4 != NULL && !src_parse(o->src4, 0, &r.src[0], &r.src_len[0])) ||
	    (o->src6 != NULL && !src_parse(o->src6, 1, &r.src[1], &r.src_len[1]))) {
		return ssr_diag_set(diag, SSR_EINVAL, "rss measure: bad source address");
	}
	r.mono_off = clock_us(CLOCK_REALTIME) - clock_us(CLOCK_MONOTONIC);
	r.wall0_us = o->sim_epoch_us ? o->sim_epoch_us : run_clock_us(&r);
	int rc = ssr_rss_zones_new(o->ds, o->log, &r.zones, diag);
	if (rc != SSR_EOK) {
		return rc;
	}
	double cpu0 = cpu_seconds();
	ssr_rss_interval_t *iv = malloc(sizeof(*iv));
	if (iv == NULL) {
		ssr_rss_zones_free(r.zones);
		return ssr_diag_set(diag, SSR_ENOMEM, "out of memory");
	}
	int64_t last_here = -1; /* the last interval this run measured */
	/* the run's clock against the monotonic one since the last interval measured: a jump
	 * anywhere in between (a wait included) marks the next interval measured (a simulation
	 * runs on the monotonic clock: nothing to see unless a test injects a clock) */
	int64_t w_ref = run_clock_us(&r), m_ref = clock_us(CLOCK_MONOTONIC);
	if (o->sim_interval_ms != 0) {
		sleep_until(&r, o->sim_start_us); /* a simulation starts at its start */
	}
	while (o->intervals == 0 || stats->intervals < o->intervals) {
		int64_t now = now_us(&r);
		char month[8];
		rss_month_of(now / 1000000, month);
		int64_t ms0;
		unsigned days;
		(void)rss_month_parse(month, &ms0, &days);
		if (strcmp(month, r.month) != 0 && (rc = open_month(&r, month, diag)) != SSR_EOK) {
			break;
		}
		uint32_t idx =
		    (uint32_t)((now / 1000000 - ms0) / SSR_RSS_INTERVAL); /* RSSAC047 [wyn] [nms] */
		int64_t start_us = (ms0 + (int64_t)idx * SSR_RSS_INTERVAL) * 1000000;
		if ((int64_t)idx <= r.last) {
			/* measured already (before a restart, or just now): never twice; on to the
			 * next */
			stats->skipped += (int64_t)idx != last_here;
			sleep_until(&r, start_us + SSR_RSS_INTERVAL * 1000000LL);
			continue;
		}
		/* RSSAC047 [fzk]: a random 0-60 s wait */
		int64_t at = start_us + (int64_t)ssr_rng_below(&r.rng, 60001) * 1000;
		sleep_until(&r, at);
		int64_t t = now_us(&r);
		if (t / 1000000 - ms0 >= (int64_t)days * 86400 ||
		    (uint32_t)((t / 1000000 - ms0) / SSR_RSS_INTERVAL) != idx) {
			continue; /* the clock moved past the interval while waiting */
		}
		rc = measure_interval(&r, idx, iv, t, stats, diag);
		if (rc != SSR_EOK) {
			break;
		}
		int64_t w1 = run_clock_us(&r), m1 = clock_us(CLOCK_MONOTONIC);
		int64_t dw = w1 - w_ref, dm = m1 - m_ref;
		w_ref = w1;
		m_ref = m1;
		if (dw - dm > JUMP_LIMIT_US || dm - dw > JUMP_LIMIT_US) {
			/* RSSAC047 [ugt]: the wall clock jumped while measuring: the interval is
			 * kept but excluded, with the reason recorded */
			iv->flags |= SSR_RSS_F_CLOCKJUMP;
			stats->clock_jumps++;
			ssr_log(r.log, SSR_LOG_WARNING, "rss",
			        "interval %u: the wall clock moved %lld ms against the monotonic "
			        "clock; "
			        "excluded",
			        idx, (long long)((dw - dm) / 1000));
		}
		if ((rc = ssr_rss_state_append(r.state, iv, diag)) != SSR_EOK) {
			break;
		}
		r.last = last_here = idx;
		stats->intervals++;
	}
	stats->cpu_s = cpu_seconds() - cpu0;
	free(iv);
	ssr_rss_state_close(r.state);
	ssr_rss_zones_free(r.zones);
	return rc;
}
