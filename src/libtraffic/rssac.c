/* libtraffic: RSSAC002 v3 metrics (traffic-volume, traffic-sizes, rcode-volume, unique-sources)
 * per period: source sets are hash sets of the addresses seen, or HyperLogLog sketches with
 * --approx.  The period type and its helpers are shared with state.c (save and merge). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ssrwatch/arena.h"
#include "ssrwatch/hash.h"
#include "ssrwatch/traffic.h"
#include "traffic_priv.h"

struct ssr_rssac {
	unsigned interval;
	unsigned depth; /* labels of the zone served: 0 root, 1 a TLD */
	bool approx;    /* HyperLogLog sketches in place of the source sets */
	rssac_period_t *p;
	size_t n, cap;
	bool oom;
};

int ssr_rssac_new(unsigned interval, ssr_rssac_t **out)
{
	ssr_rssac_t *r = calloc(1, sizeof *r);
	if (!r) {
		return SSR_ENOMEM;
	}
	r->interval = interval ? interval : 86400;
	*out = r;
	return SSR_EOK;
}

void ssr_rssac_set_approx(ssr_rssac_t *r, bool approx)
{
	r->approx = approx;
}

bool ssr_rssac_approx(const ssr_rssac_t *r)
{
	return r->approx;
}

unsigned ssr_rssac_interval(const ssr_rssac_t *r)
{
	return r->interval;
}

unsigned ssr_rssac_depth(const ssr_rssac_t *r)
{
	return r->depth;
}

size_t traffic_rssac_periods(const ssr_rssac_t *r, rssac_period_t **p)
{
	*p = r->p;
	return r->n;
}

void ssr_rssac_free(ssr_rssac_t *r)
{
	if (!r) {
		return;
	}
	for (size_t i = 0; i < r->n; i++) {
		free(r->p[i].sizes);
		for (int k = 0; k < 3; k++) {
			traffic_aset_free(&r->p[i].src[k]);
			free(r->p[i].hll[k]);
		}
	}
	free(r->p);
	free(r);
}

rssac_period_t *traffic_rssac_period(ssr_rssac_t *r, int64_t ts)
{
	int64_t start = ts - ((ts % r->interval) + r->interval) % r->interval;
	for (size_t i = r->n; i-- > 0;) {
		if (r->p[i].start == start) {
			return &r->p[i];
		}
	}
	if (ssr_grow((void **)&r->p, &r->cap, r->n + 1, sizeof *r->p) != SSR_EOK) {
		return NULL;
	}
	/* keep periods in time order */
	size_t at = r->n;
	while (at > 0 && r->p[at - 1].start > start) {
		at--;
	}
	memmove(&r->p[at + 1], &r->p[at], (r->n - at) * sizeof *r->p);
	rssac_period_t *p = &r->p[at];
	memset(p, 0, sizeof *p);
	p->start = start;
	p->sizes = calloc(4 * RSSAC_SIZE_BINS, sizeof *p->sizes);
	bool ok = p->sizes != NULL;
	for (int k = 0; k < 3 && r->approx; k++) {
		ok = ok && (p->hll[k] = calloc(TRAFFIC_HLL_M, 1)) != NULL;
	}
	if (!ok) {
		free(p->sizes);
		for (int k = 0; k < 3; k++) {
			free(p->hll[k]);
		}
		memmove(&r->p[at], &r->p[at + 1], (r->n - at) * sizeof *r->p);
		return NULL;
	}
	r->n++;
	return p;
}

void ssr_rssac_set_depth(ssr_rssac_t *r, unsigned depth)
{
	r->depth = depth;
}

static unsigned labels(const ssr_dns_msg_t *m)
{
	unsigned n = 0;
	for (size_t off = 0; off < m->qname_len && m->qname[off] != 0; off += 1 + m->qname[off]) {
		n++;
	}
	return n;
}

static void privacy(ssr_rssac_t *r, rssac_period_t *p, const ssr_dns_msg_t *m)
{
	p->queries++;
	if (m->has_question && m->qname_len >= 1) {
		p->named++;
		/* minimised: no more labels than the zone's own plus one (RFC 9156) */
		p->minimised += labels(m) <= r->depth + 1;
	}
	p->edns += m->edns;
	p->cookie += m->cookie;
	p->padding += m->padding;
	if (m->ecs) {
		p->ecs++;
		if ((m->ecs_family == 1 && m->ecs_source <= 32) ||
		    (m->ecs_family == 2 && m->ecs_source <= 128)) {
			p->ecs_len[m->ecs_family == 2][m->ecs_source]++;
		}
	}
}

void ssr_rssac_add(const ssr_dns_pkt_t *pk, void *ctx)
{
	ssr_rssac_t *r = ctx;
	rssac_period_t *p = traffic_rssac_period(r, pk->ts_sec);
	if (!p) {
		r->oom = true;
		return;
	}
	int tcp = pk->proto == 6, v6 = pk->af == 6, resp = pk->msg->qr;
	p->vol[tcp][v6][resp]++;
	size_t bin = pk->dns_len / 16;
	p->sizes[((size_t)tcp * 2 + (size_t)resp) * RSSAC_SIZE_BINS +
	         (bin < RSSAC_SIZE_BINS ? bin : RSSAC_SIZE_BINS - 1)]++;
	if (resp) {
		p->rcodes[pk->msg->rcode & 0xfff]++;
		return;
	}
	privacy(r, p, pk->msg);
	uint8_t key[16] = {0};
	if (!v6) {
		memcpy(key, pk->src, 4);
		traffic_rssac_source(r, p, 0, key);
	} else {
		traffic_rssac_source(r, p, 1, pk->src);
		memcpy(key, pk->src, 8);
		traffic_rssac_source(r, p, 2, key);
	}
}

void traffic_rssac_source(ssr_rssac_t *r, rssac_period_t *p, int k, const uint8_t *key)
{
	if (p->hll[k]) {
		traffic_hll_add(p->hll[k], key);
	} else if (traffic_aset_add(&p->src[k], key) != SSR_EOK) {
		r->oom = true;
	}
}

/* Distinct sources of kind k (0 IPv4, 1 IPv6, 2 IPv6 /64): exact, or the sketch's estimate. */
static uint64_t sources(const rssac_period_t *p, int k)
{
	return p->hll[k] ? traffic_hll_count(p->hll[k]) : p->src[k].count;
}

static void start_text(int64_t t, char out[32])
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static const char *const vol_keys[2][2][2] = {
    {{"dns-udp-queries-received-ipv4", "dns-udp-responses-sent-ipv4"},
     {"dns-udp-queries-received-ipv6", "dns-udp-responses-sent-ipv6"}},
    {{"dns-tcp-queries-received-ipv4", "dns-tcp-responses-sent-ipv4"},
     {"dns-tcp-queries-received-ipv6", "dns-tcp-responses-sent-ipv6"}}};
static const char *const size_keys[4] = {"udp-request-sizes", "udp-response-sizes",
                                         "tcp-request-sizes", "tcp-response-sizes"};

json_t *ssr_rssac_json(const ssr_rssac_t *r, const ssr_decoder_t *d)
{
	json_t *periods = json_array();
	for (size_t i = 0; i < r->n; i++) {
		const rssac_period_t *p = &r->p[i];
		char st[32];
		start_text(p->start, st);
		json_t *vol = json_object(), *sizes = json_object(), *rc = json_object();
		for (int t = 0; t < 2; t++) {
			for (int v = 0; v < 2; v++) {
				for (int q = 0; q < 2; q++) {
					json_object_set_new(
					    vol, vol_keys[t][v][q],
					    json_integer((json_int_t)p->vol[t][v][q]));
				}
			}
		}
		for (int k = 0; k < 4; k++) {
			json_t *bins = json_object();
			for (size_t b = 0; b < RSSAC_SIZE_BINS; b++) {
				uint64_t c = p->sizes[(size_t)k * RSSAC_SIZE_BINS + b];
				if (c) {
					char key[48];
					snprintf(key, sizeof key, "%zu-%zu", b * 16, b * 16 + 15);
					json_object_set_new(bins, key, json_integer((json_int_t)c));
				}
			}
			json_object_set_new(sizes, size_keys[k], bins);
		}
		for (size_t c = 0; c < 4096; c++) {
			if (p->rcodes[c]) {
				char key[8];
				snprintf(key, sizeof key, "%zu", c);
				json_object_set_new(rc, key,
				                    json_integer((json_int_t)p->rcodes[c]));
			}
		}
		json_t *lens = json_object();
		for (int f = 0; f < 2; f++) {
			json_t *o = json_object();
			for (int l = 0; l <= 128; l++) {
				if (p->ecs_len[f][l]) {
					char k[8];
					snprintf(k, sizeof k, "%d", l);
					json_object_set_new(
					    o, k, json_integer((json_int_t)p->ecs_len[f][l]));
				}
			}
			json_object_set_new(lens, f ? "ipv6" : "ipv4", o);
		}
		double q = p->queries ? (double)p->queries : 1.0;
		json_t *priv = json_pack("{s:I,s:I,s:f,s:I,s:f,s:o,s:I,s:f,s:I,s:f,s:I}", "queries",
		                         (json_int_t)p->queries, "qname_minimised",
		                         (json_int_t)p->minimised, "qname_minimised_share",
		                         p->named ? (double)p->minimised / (double)p->named : 0.0,
		                         "ecs", (json_int_t)p->ecs, "ecs_share", (double)p->ecs / q,
		                         "ecs_source_prefix", lens, "cookie", (json_int_t)p->cookie,
		                         "cookie_share", (double)p->cookie / q, "padding",
		                         (json_int_t)p->padding, "padding_share",
		                         (double)p->padding / q, "edns", (json_int_t)p->edns);
		json_array_append_new(
		    periods, json_pack("{s:s,s:o,s:o,s:o,s:o,s:{s:I,s:I,s:I}}", "start-period", st,
		                       "privacy", priv, "traffic-volume", vol, "traffic-sizes",
		                       sizes, "rcode-volume", rc, "unique-sources",
		                       "num-sources-ipv4", (json_int_t)sources(p, 0),
		                       "num-sources-ipv6", (json_int_t)sources(p, 1),
		                       "num-sources-ipv6-aggregate", (json_int_t)sources(p, 2)));
		if (p->hll[0]) {
			json_object_set_new(json_array_get(periods, json_array_size(periods) - 1),
			                    "unique-sources-method",
			                    json_pack("{s:s,s:i,s:f}", "method", "hyperloglog",
			                              "registers", TRAFFIC_HLL_M, "standard_error",
			                              1.04 / sqrt((double)TRAFFIC_HLL_M)));
		}
	}
	json_t *mal = json_object();
	for (unsigned m = 0; m < SSR_MAL_COUNT; m++) {
		json_object_set_new(mal, ssr_mal_name((ssr_mal_t)m),
		                    json_integer((json_int_t)d->malformed[m]));
	}
	return json_pack(
	    "{s:o,s:{s:I,s:I,s:I},s:{s:I,s:I},s:{s:I,s:I,s:I,s:I,s:I},s:o}", "periods", periods,
	    "packets", "total", (json_int_t)d->packets, "dns_messages", (json_int_t)d->dns_messages,
	    "not_dns", (json_int_t)d->not_dns, "encrypted_ports", "853", (json_int_t)d->port853,
	    "443", (json_int_t)d->port443, "reassembly", "fragments", (json_int_t)d->fragments,
	    "datagrams", (json_int_t)d->datagrams, "tcp_segments_held", (json_int_t)d->tcp_held,
	    "tcp_multi_segment_messages", (json_int_t)d->tcp_multi, "tcp_retransmissions",
	    (json_int_t)d->tcp_retransmits, "malformed", mal);
}

static void head(FILE *out, const char *service, const char *start, const char *metric)
{
	fprintf(out, "---\nversion: rssac002v3\nservice: %s\nstart-period: %s\nmetric: %s\n",
	        service, start, metric);
}

static const char *const metrics[4] = {"traffic-volume", "traffic-sizes", "rcode-volume",
                                       "unique-sources"};

/* One RSSAC002 document: metric k of period p. */
static void metric_yaml(const rssac_period_t *p, const char *service, int k, FILE *out)
{
	char st[32];
	start_text(p->start, st);
	head(out, service, st, metrics[k]);
	if (k == 0) {
		for (int t = 0; t < 2; t++) {
			for (int q = 0; q < 2; q++) {
				for (int v = 0; v < 2; v++) {
					fprintf(out, "%s: %llu\n", vol_keys[t][v][q],
					        (unsigned long long)p->vol[t][v][q]);
				}
			}
		}
	} else if (k == 1) {
		for (int z = 0; z < 4; z++) {
			bool any = false;
			fprintf(out, "%s:", size_keys[z]);
			for (size_t b = 0; b < RSSAC_SIZE_BINS; b++) {
				uint64_t c = p->sizes[(size_t)z * RSSAC_SIZE_BINS + b];
				if (c) {
					fprintf(out, "\n  %zu-%zu: %llu", b * 16, b * 16 + 15,
					        (unsigned long long)c);
					any = true;
				}
			}
			fputs(any ? "\n" : " {}\n", out);
		}
	} else if (k == 2) {
		for (size_t c = 0; c < 4096; c++) {
			if (p->rcodes[c]) {
				fprintf(out, "%zu: %llu\n", c, (unsigned long long)p->rcodes[c]);
			}
		}
	} else {
		fprintf(
		    out,
		    "num-sources-ipv4: %llu\nnum-sources-ipv6: %llu\nnum-sources-ipv6-aggregate: "
		    "%llu\n",
		    (unsigned long long)sources(p, 0), (unsigned long long)sources(p, 1),
		    (unsigned long long)sources(p, 2));
	}
}

int ssr_rssac_yaml(const ssr_rssac_t *r, const char *service, FILE *out)
{
	if (r->oom) {
		return SSR_ENOMEM;
	}
	for (size_t i = 0; i < r->n; i++) {
		for (int k = 0; k < 4; k++) {
			metric_yaml(&r->p[i], service, k, out);
		}
	}
	return ferror(out) ? SSR_EIO : SSR_EOK;
}

int ssr_rssac_yaml_dir(const ssr_rssac_t *r, const char *service, const char *dir, ssr_diag_t *diag)
{
	if (r->oom) {
		return ssr_diag_set(diag, SSR_ENOMEM, "traffic: out of memory");
	}
	/* the file name's service: "a.root-servers.net" -> "a-root", others as given */
	char svc[64];
	const char *dot = strchr(service, '.');
	if (dot && strcmp(dot, ".root-servers.net") == 0 && dot - service < 8) {
		snprintf(svc, sizeof svc, "%.*s-root", (int)(dot - service), service);
	} else {
		snprintf(svc, sizeof svc, "%s", service);
	}
	for (size_t i = 0; i < r->n; i++) {
		time_t tt = (time_t)r->p[i].start;
		struct tm tm;
		char day[16];
		gmtime_r(&tt, &tm);
		strftime(day, sizeof day, r->interval == 86400 ? "%Y%m%d" : "%Y%m%d%H", &tm);
		for (int k = 0; k < 4; k++) {
			char path[4096], tmp[4200];
			snprintf(path, sizeof path, "%s/%s-%s-%s.yaml", dir, svc, day, metrics[k]);
			snprintf(tmp, sizeof tmp, "%s.tmp", path);
			FILE *f = fopen(tmp, "w");
			if (!f) {
				return ssr_diag_set(diag, SSR_EIO, "traffic: cannot write '%s'",
				                    tmp);
			}
			metric_yaml(&r->p[i], service, k, f);
			/* written whole, then renamed: no half-written file under the final name */
			if (ferror(f) | (fclose(f) != 0) || rename(tmp, path) != 0) {
				remove(tmp);
				return ssr_diag_set(diag, SSR_EIO, "traffic: cannot write '%s'",
				                    path);
			}
		}
	}
	return SSR_EOK;
}
