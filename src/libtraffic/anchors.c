/* libtraffic: trust anchor telemetry (SSR2 Rec 21, 27): RFC 8145 key tag queries (_ta-XXXX)
 * and EDNS key tag options, RFC 8509 root-key-sentinel queries, the DO bit, and RFC 6975 DAU
 * algorithm signals; per key tag the queries and the distinct resolvers sending them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ssrwatch/arena.h"
#include "ssrwatch/traffic.h"
#include "traffic_priv.h"

#define MAX_TAGS 4096 /* distinct key tags tracked per kind; more are counted as untracked */

typedef struct {
	uint32_t key; /* kind-specific: the key tag, or sentinel kind << 16 | tag */
	uint64_t queries;
	aset_t src;
} tagc_t;

typedef struct {
	tagc_t *v;
	size_t n, cap;
	uint64_t untracked;
} tags_t;

struct ssr_anchors {
	uint64_t queries, do_queries;
	tags_t ta, edns, sentinel;
	aset_t dau[256];
	bool oom;
};

int ssr_anchors_new(ssr_anchors_t **out)
{
	*out = calloc(1, sizeof **out);
	return *out ? SSR_EOK : SSR_ENOMEM;
}

static void tags_free(tags_t *t)
{
	for (size_t i = 0; i < t->n; i++) {
		traffic_aset_free(&t->v[i].src);
	}
	free(t->v);
}

void ssr_anchors_free(ssr_anchors_t *a)
{
	if (!a) {
		return;
	}
	tags_free(&a->ta);
	tags_free(&a->edns);
	tags_free(&a->sentinel);
	for (int i = 0; i < 256; i++) {
		traffic_aset_free(&a->dau[i]);
	}
	free(a);
}

static void source_key(const ssr_dns_pkt_t *p, uint8_t key[16])
{
	memset(key, 0, 16);
	memcpy(key, p->src, p->af == 4 ? 4 : 16);
	key[15] ^= p->af == 4 ? 0x40 : 0;
}

static void tag_add(ssr_anchors_t *a, tags_t *t, uint32_t key, const uint8_t *src)
{
	tagc_t *c = NULL;
	for (size_t i = 0; i < t->n; i++) {
		if (t->v[i].key == key) {
			c = &t->v[i];
			break;
		}
	}
	if (!c) {
		if (t->n >= MAX_TAGS) {
			t->untracked++;
			return;
		}
		if (ssr_grow((void **)&t->v, &t->cap, t->n + 1, sizeof *t->v) != SSR_EOK) {
			a->oom = true;
			return;
		}
		c = &t->v[t->n++];
		memset(c, 0, sizeof *c);
		c->key = key;
	}
	c->queries++;
	if (traffic_aset_add(&c->src, src) != SSR_EOK) {
		a->oom = true;
	}
}

static int hexval(uint8_t c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

void ssr_anchors_add(const ssr_dns_pkt_t *p, void *ctx)
{
	ssr_anchors_t *a = ctx;
	const ssr_dns_msg_t *m = p->msg;
	if (m->qr) {
		return;
	}
	a->queries++;
	a->do_queries += m->do_bit;
	uint8_t src[16];
	source_key(p, src);
	for (unsigned i = 0; i < m->nkeytags; i++) {
		tag_add(a, &a->edns, m->keytags[i], src);
	}
	for (unsigned i = 0; i < m->ndau; i++) {
		if (traffic_aset_add(&a->dau[m->dau[i]], src) != SSR_EOK) {
			a->oom = true;
		}
	}
	if (!m->has_question || m->qname_len < 2) {
		return;
	}
	const uint8_t *l = m->qname + 1;
	size_t n = m->qname[0];
	/* _ta-XXXX[-YYYY...]: hex key tags of 4 digits */
	if (n >= 8 && memcmp(l, "_ta-", 4) == 0 && (n - 3) % 5 == 0) {
		uint32_t tags[12];
		size_t k = 0;
		bool ok = true;
		for (size_t at = 3; at < n && ok && k < 12; at += 5) {
			uint32_t v = 0;
			ok = l[at] == '-';
			for (size_t j = 1; j <= 4 && ok; j++) {
				int h = hexval(l[at + j]);
				ok = h >= 0;
				v = v << 4 | (uint32_t)(h < 0 ? 0 : h);
			}
			tags[k++] = v;
		}
		for (size_t i = 0; ok && i < k; i++) {
			tag_add(a, &a->ta, tags[i], src);
		}
		return;
	}
	/* root-key-sentinel-is-ta-DDDDD, root-key-sentinel-not-ta-DDDDD */
	static const char is[] = "root-key-sentinel-is-ta-", not_[] = "root-key-sentinel-not-ta-";
	size_t pre = n == sizeof is - 1 + 5 && memcmp(l, is, sizeof is - 1) == 0 ? sizeof is - 1
	             : n == sizeof not_ - 1 + 5 && memcmp(l, not_, sizeof not_ - 1) == 0
	                 ? sizeof not_ - 1
	                 : 0;
	if (pre) {
		uint32_t v = 0;
		for (size_t j = 0; j < 5; j++) {
			if (l[pre + j] < '0' || l[pre + j] > '9') {
				return;
			}
			v = v * 10 + (uint32_t)(l[pre + j] - '0');
		}
		if (v <= 65535) {
			tag_add(a, &a->sentinel, (pre == sizeof is - 1 ? 0u : 1u) << 16 | v, src);
		}
	}
}

static json_t *tags_json(const tags_t *t, bool sentinel)
{
	json_t *o = json_object();
	for (size_t i = 0; i < t->n; i++) {
		char k[32];
		if (sentinel) {
			snprintf(k, sizeof k, "%s-ta-%05u", t->v[i].key >> 16 ? "not" : "is",
			         t->v[i].key & 0xffff);
		} else {
			snprintf(k, sizeof k, "%u", t->v[i].key);
		}
		json_object_set_new(o, k,
		                    json_pack("{s:I,s:I}", "queries", (json_int_t)t->v[i].queries,
		                              "resolvers", (json_int_t)t->v[i].src.count));
	}
	if (t->untracked) {
		json_object_set_new(o, "untracked", json_integer((json_int_t)t->untracked));
	}
	return o;
}

json_t *ssr_anchors_json(const ssr_anchors_t *a)
{
	if (a->oom) {
		return NULL;
	}
	json_t *dau = json_object();
	for (int i = 0; i < 256; i++) {
		if (a->dau[i].count) {
			char k[8];
			snprintf(k, sizeof k, "%d", i);
			json_object_set_new(dau, k, json_integer((json_int_t)a->dau[i].count));
		}
	}
	return json_pack("{s:I,s:I,s:f,s:o,s:o,s:o,s:o}", "queries", (json_int_t)a->queries,
	                 "do_queries", (json_int_t)a->do_queries, "do_share",
	                 a->queries ? (double)a->do_queries / (double)a->queries : 0.0,
	                 "ta_queries", tags_json(&a->ta, false), "edns_key_tag",
	                 tags_json(&a->edns, false), "sentinel", tags_json(&a->sentinel, true),
	                 "dau_algorithms", dau);
}

/* ---- state (--save-state, traffic merge) -------------------------------------------------- */

static void tags_save(traffic_wr_t *w, const tags_t *t)
{
	traffic_w_u64(w, t->untracked);
	traffic_w_u32(w, (uint32_t)t->n);
	for (size_t i = 0; i < t->n; i++) {
		traffic_w_u32(w, t->v[i].key);
		traffic_w_u64(w, t->v[i].queries);
		traffic_w_aset(w, &t->v[i].src, 16);
	}
}

int ssr_anchors_save(const ssr_anchors_t *a, const char *path, ssr_diag_t *diag)
{
	if (a->oom) {
		return ssr_diag_set(diag, SSR_ENOMEM, "trust anchors: out of memory");
	}
	traffic_wr_t w;
	int rc = traffic_wr_open(&w, path, TRAFFIC_MAGIC_ANCHORS, diag);
	if (rc != SSR_EOK) {
		return rc;
	}
	traffic_w_u64(&w, a->queries);
	traffic_w_u64(&w, a->do_queries);
	tags_save(&w, &a->ta);
	tags_save(&w, &a->edns);
	tags_save(&w, &a->sentinel);
	for (int i = 0; i < 256; i++) {
		traffic_w_aset(&w, &a->dau[i], 16);
	}
	return traffic_wr_close(&w, path, diag);
}

static void tags_merge(traffic_rd_t *r, ssr_anchors_t *a, tags_t *t)
{
	t->untracked += traffic_r_uint(r, 8);
	uint64_t n = traffic_r_uint(r, 4);
	for (uint64_t i = 0; i < n && !r->err; i++) {
		uint64_t key = traffic_r_uint(r, 4), queries = traffic_r_uint(r, 8);
		tagc_t *c = NULL;
		for (size_t j = 0; j < t->n && !c; j++) {
			c = t->v[j].key == key ? &t->v[j] : NULL;
		}
		if (!c && t->n < MAX_TAGS && !r->err) {
			if (ssr_grow((void **)&t->v, &t->cap, t->n + 1, sizeof *t->v) != SSR_EOK) {
				a->oom = true;
				return;
			}
			c = &t->v[t->n++];
			memset(c, 0, sizeof *c);
			c->key = (uint32_t)key;
		}
		aset_t skip = {0};
		if (c) {
			c->queries += queries;
		} else {
			t->untracked += queries;
		}
		traffic_r_aset(r, c ? &c->src : &skip, 16, &a->oom);
		traffic_aset_free(&skip);
	}
}

int ssr_anchors_merge(ssr_anchors_t *a, const char *path, ssr_diag_t *diag)
{
	traffic_rd_t *r;
	int rc = traffic_rd_open(&r, path, TRAFFIC_MAGIC_ANCHORS, diag);
	if (rc != SSR_EOK) {
		return rc;
	}
	a->queries += traffic_r_uint(r, 8);
	a->do_queries += traffic_r_uint(r, 8);
	tags_merge(r, a, &a->ta);
	tags_merge(r, a, &a->edns);
	tags_merge(r, a, &a->sentinel);
	for (int i = 0; i < 256 && !r->err; i++) {
		traffic_r_aset(r, &a->dau[i], 16, &a->oom);
	}
	rc = traffic_rd_finish(r);
	if (rc == SSR_EOK && a->oom) {
		rc = ssr_diag_set(diag, SSR_ENOMEM, "state '%s': out of memory", path);
	}
	traffic_rd_free(r);
	return rc;
}
