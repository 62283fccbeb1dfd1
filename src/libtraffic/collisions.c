/* libtraffic: name collisions (SSR2 Rec 28): queries for TLDs the root zone does not delegate,
 * per TLD with distinct sources, second-level labels and query types, and the special-use and
 * reserved names they fall under. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ssrwatch/dname.h"
#include "ssrwatch/hash.h"
#include "ssrwatch/traffic.h"
#include "ssrwatch/zone.h"
#include "traffic_priv.h"

#define MAX_TLDS 100000 /* undelegated TLDs tracked; more are counted as "other" */
#define MAX_SLDS 10000  /* second-level labels tracked per TLD; more counted as overflow */

typedef struct {
	char name[64];
	uint64_t queries, slds_overflow;
	uint64_t qtypes[256]; /* the common types; others in [255] */
	uint64_t qtype_other;
	ssr_strmap_t slds;    /* label -> queries */
	ssr_strmap_t sources; /* 16-byte address -> 1 */
} ctld_t;

struct ssr_collisions {
	ssr_strmap_t delegated; /* TLD -> 1 */
	ssr_strmap_t index;     /* undelegated TLD -> index + 1 */
	ctld_t *t;
	size_t n, cap;
	uint64_t queries, undelegated, other;
	bool oom;
};

static int on_rr(const ssr_zone_rr_t *rr, void *ctx)
{
	ssr_collisions_t *c = ctx;
	if (rr->type != SSR_RRTYPE_NS || rr->owner[0] == 0 || rr->owner[1 + rr->owner[0]] != 0) {
		return SSR_EOK; /* only NS records of one-label owners: the TLD delegations */
	}
	char tld[64];
	size_t l = rr->owner[0];
	for (size_t i = 0; i < l; i++) {
		uint8_t ch = rr->owner[1 + i];
		tld[i] = (char)(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
	}
	ssr_strmap_entry_t *e;
	bool ins;
	return ssr_strmap_upsert(&c->delegated, tld, l, &e, &ins);
}

int ssr_collisions_new(const char *root_zone, ssr_collisions_t **out, ssr_diag_t *diag)
{
	ssr_collisions_t *c = calloc(1, sizeof *c);
	if (!c || ssr_strmap_init(&c->delegated, 2048) != SSR_EOK ||
	    ssr_strmap_init(&c->index, 256) != SSR_EOK) {
		free(c);
		return ssr_diag_set(diag, SSR_ENOMEM, "collisions: out of memory");
	}
	if (!root_zone) { /* filled by the first merged state */
		*out = c;
		return SSR_EOK;
	}
	ssr_zone_opts_t zo = {.origin = ".", .no_include = true};
	ssr_zone_read_stats_t zs;
	int rc = ssr_zone_read(root_zone, &zo, on_rr, c, &zs, diag);
	if (rc == SSR_EOK && c->delegated.count == 0) {
		rc = ssr_diag_set(diag, SSR_EPARSE,
		                  "root zone '%s': no TLD delegation (NS records)", root_zone);
	}
	if (rc != SSR_EOK) {
		ssr_collisions_free(c);
		return rc;
	}
	*out = c;
	return SSR_EOK;
}

void ssr_collisions_free(ssr_collisions_t *c)
{
	if (!c) {
		return;
	}
	for (size_t i = 0; i < c->n; i++) {
		ssr_strmap_release(&c->t[i].slds);
		ssr_strmap_release(&c->t[i].sources);
	}
	free(c->t);
	ssr_strmap_release(&c->delegated);
	ssr_strmap_release(&c->index);
	free(c);
}

static ctld_t *tld_get(ssr_collisions_t *c, const char *name, size_t len)
{
	ssr_strmap_entry_t *e;
	bool ins;
	if (c->n >= MAX_TLDS && !ssr_strmap_find(&c->index, name, len)) {
		return NULL;
	}
	if (ssr_strmap_upsert(&c->index, name, len, &e, &ins) != SSR_EOK) {
		c->oom = true;
		return NULL;
	}
	if (!ins) {
		return &c->t[e->value - 1];
	}
	if (ssr_grow((void **)&c->t, &c->cap, c->n + 1, sizeof *c->t) != SSR_EOK) {
		c->oom = true;
		return NULL;
	}
	ctld_t *t = &c->t[c->n];
	memset(t, 0, sizeof *t);
	memcpy(t->name, name, len);
	if (ssr_strmap_init(&t->slds, 64) != SSR_EOK ||
	    ssr_strmap_init(&t->sources, 64) != SSR_EOK) {
		c->oom = true;
		return NULL;
	}
	e->value = ++c->n;
	return t;
}

void ssr_collisions_add(const ssr_dns_pkt_t *p, void *ctx)
{
	ssr_collisions_t *c = ctx;
	const ssr_dns_msg_t *m = p->msg;
	if (m->qr || !m->has_question || m->qname_len < 2) {
		return;
	}
	c->queries++;
	/* the last label and the one before it */
	const uint8_t *w = m->qname;
	size_t off = 0, last = SIZE_MAX, prev = SIZE_MAX;
	while (off < m->qname_len && w[off] != 0) {
		prev = last;
		last = off;
		off += 1 + (size_t)w[off];
	}
	if (last == SIZE_MAX) {
		return;
	}
	size_t tl = w[last];
	if (tl == 0 || tl > 63) {
		return;
	}
	if (ssr_strmap_find(&c->delegated, w + last + 1, tl)) {
		return;
	}
	c->undelegated++;
	ctld_t *t = tld_get(c, (const char *)w + last + 1, tl);
	if (!t) {
		c->other++;
		return;
	}
	t->queries++;
	if (m->qtype < 255) {
		t->qtypes[m->qtype]++;
	} else {
		t->qtype_other++;
	}
	ssr_strmap_entry_t *e;
	bool ins;
	uint8_t key[16] = {0};
	memcpy(key, p->src, p->af == 4 ? 4 : 16);
	key[15] ^= p->af == 4 ? 0x40 : 0; /* keep IPv4 apart from IPv6 */
	if (ssr_strmap_upsert(&t->sources, key, 16, &e, &ins) != SSR_EOK) {
		c->oom = true;
	}
	if (prev != SIZE_MAX && w[prev] > 0) {
		if (t->slds.count >= MAX_SLDS &&
		    !ssr_strmap_find(&t->slds, w + prev + 1, w[prev])) {
			t->slds_overflow++;
		} else if (ssr_strmap_upsert(&t->slds, w + prev + 1, w[prev], &e, &ins) ==
		           SSR_EOK) {
			e->value++;
		} else {
			c->oom = true;
		}
	}
}

/* Names set aside by the IETF and ICANN. */
static const char *special(const char *tld)
{
	static const struct {
		const char *tld, *why;
	} s[] = {{"test", "RFC 6761"},
	         {"localhost", "RFC 6761"},
	         {"invalid", "RFC 6761"},
	         {"example", "RFC 6761"},
	         {"local", "RFC 6762 (mDNS)"},
	         {"onion", "RFC 7686"},
	         {"alt", "RFC 9476"},
	         {"internal", "ICANN reserved for private use (2024)"},
	         {"home", "ICANN name collision: not delegated (2018)"},
	         {"corp", "ICANN name collision: not delegated (2018)"},
	         {"mail", "ICANN name collision: not delegated (2018)"}};
	for (size_t i = 0; i < sizeof s / sizeof s[0]; i++) {
		if (strcmp(s[i].tld, tld) == 0) {
			return s[i].why;
		}
	}
	return NULL;
}

static int cmp_tld(const void *a, const void *b)
{
	const ctld_t *x = *(const ctld_t *const *)a, *y = *(const ctld_t *const *)b;
	if (x->queries != y->queries) {
		return x->queries > y->queries ? -1 : 1;
	}
	return strcmp(x->name, y->name);
}

typedef struct {
	const char *k;
	size_t l;
	uint64_t v;
} kv_t;

static int cmp_kv(const void *a, const void *b)
{
	const kv_t *x = a, *y = b;
	if (x->v != y->v) {
		return x->v > y->v ? -1 : 1;
	}
	size_t l = x->l < y->l ? x->l : y->l;
	int c = memcmp(x->k, y->k, l);
	return c ? c : (x->l > y->l) - (x->l < y->l);
}

json_t *ssr_collisions_json(const ssr_collisions_t *c, unsigned top)
{
	const ctld_t **order = malloc((c->n ? c->n : 1) * sizeof *order);
	if (!order || c->oom) {
		free(order);
		return NULL;
	}
	for (size_t i = 0; i < c->n; i++) {
		order[i] = &c->t[i];
	}
	qsort(order, c->n, sizeof *order, cmp_tld);
	json_t *tlds = json_array();
	for (size_t i = 0; i < c->n && (top == 0 || i < top); i++) {
		const ctld_t *t = order[i];
		kv_t *kv = malloc((t->slds.count ? t->slds.count : 1) * sizeof *kv);
		json_t *slds = json_array(), *qt = json_object();
		size_t pos = 0, n = 0;
		const ssr_strmap_entry_t *e;
		while (kv && (e = ssr_strmap_next(&t->slds, &pos)) != NULL) {
			kv[n++] = (kv_t){(const char *)e->key, e->len, e->value};
		}
		if (kv) {
			qsort(kv, n, sizeof *kv, cmp_kv);
		}
		for (size_t j = 0; j < n && j < 10; j++) {
			json_array_append_new(slds,
			                      json_pack("{s:s%,s:I}", "label", kv[j].k, kv[j].l,
			                                "queries", (json_int_t)kv[j].v));
		}
		free(kv);
		for (unsigned q = 0; q < 255; q++) {
			if (t->qtypes[q]) {
				char name[24];
				ssr_rrtype_name((uint16_t)q, name, sizeof name);
				json_object_set_new(qt, name,
				                    json_integer((json_int_t)t->qtypes[q]));
			}
		}
		if (t->qtype_other) {
			json_object_set_new(qt, "other", json_integer((json_int_t)t->qtype_other));
		}
		const char *sp = special(t->name);
		json_array_append_new(
		    tlds, json_pack("{s:s,s:I,s:I,s:I,s:I,s:o,s:o,s:s?}", "tld", t->name, "queries",
		                    (json_int_t)t->queries, "sources", (json_int_t)t->sources.count,
		                    "second_level_labels", (json_int_t)t->slds.count,
		                    "second_level_overflow", (json_int_t)t->slds_overflow,
		                    "top_second_level", slds, "qtypes", qt, "reserved", sp));
	}
	free(order);
	return json_pack("{s:I,s:I,s:I,s:f,s:I,s:I,s:o}", "delegated_tlds",
	                 (json_int_t)c->delegated.count, "queries", (json_int_t)c->queries,
	                 "undelegated_queries", (json_int_t)c->undelegated, "undelegated_share",
	                 c->queries ? (double)c->undelegated / (double)c->queries : 0.0,
	                 "undelegated_tlds", (json_int_t)c->n, "untracked_queries",
	                 (json_int_t)c->other, "tlds", tlds);
}

/* ---- state (--save-state, traffic merge) -------------------------------------------------- */

int ssr_collisions_save(const ssr_collisions_t *c, const char *path, ssr_diag_t *diag)
{
	if (c->oom) {
		return ssr_diag_set(diag, SSR_ENOMEM, "collisions: out of memory");
	}
	traffic_wr_t w;
	int rc = traffic_wr_open(&w, path, TRAFFIC_MAGIC_COLLISIONS, diag);
	if (rc != SSR_EOK) {
		return rc;
	}
	/* the root zone's TLDs, so that states made against different zones are not mixed */
	traffic_w_u32(&w, (uint32_t)c->delegated.count);
	size_t pos = 0;
	const ssr_strmap_entry_t *e;
	while ((e = ssr_strmap_next(&c->delegated, &pos)) != NULL) {
		uint8_t l = (uint8_t)e->len;
		traffic_w_bytes(&w, &l, 1);
		traffic_w_bytes(&w, e->key, l);
	}
	traffic_w_u64(&w, c->queries);
	traffic_w_u64(&w, c->undelegated);
	traffic_w_u64(&w, c->other);
	traffic_w_u32(&w, (uint32_t)c->n);
	for (size_t i = 0; i < c->n; i++) {
		const ctld_t *t = &c->t[i];
		uint8_t l = (uint8_t)strlen(t->name);
		traffic_w_bytes(&w, &l, 1);
		traffic_w_bytes(&w, t->name, l);
		traffic_w_u64(&w, t->queries);
		traffic_w_u64(&w, t->slds_overflow);
		traffic_w_u64(&w, t->qtype_other);
		traffic_w_sparse(&w, t->qtypes, 256);
		traffic_w_u32(&w, (uint32_t)t->slds.count);
		for (pos = 0; (e = ssr_strmap_next(&t->slds, &pos)) != NULL;) {
			uint8_t ll = (uint8_t)e->len;
			traffic_w_bytes(&w, &ll, 1);
			traffic_w_bytes(&w, e->key, ll);
			traffic_w_u64(&w, e->value);
		}
		traffic_w_u64(&w, t->sources.count);
		for (pos = 0; (e = ssr_strmap_next(&t->sources, &pos)) != NULL;) {
			traffic_w_bytes(&w, e->key, 16);
		}
	}
	return traffic_wr_close(&w, path, diag);
}

/* A label (u8 length 1..63, bytes) into out[64]; its length, 0 on error. */
static size_t read_label(traffic_rd_t *r, char out[64])
{
	uint8_t l = 0;
	if (traffic_r_bytes(r, &l, 1) != SSR_EOK) {
		return 0;
	}
	if (l == 0 || l > 63) {
		traffic_rd_bad(r, "bad label length");
		return 0;
	}
	memset(out, 0, 64);
	return traffic_r_bytes(r, out, l) == SSR_EOK ? l : 0;
}

/* One TLD's record added into t (NULL: past MAX_TLDS, read and counted as untracked). */
static void merge_tld(traffic_rd_t *r, ssr_collisions_t *c, ctld_t *t)
{
	uint64_t queries = traffic_r_uint(r, 8), over = traffic_r_uint(r, 8),
	         qother = traffic_r_uint(r, 8);
	uint64_t qt[256] = {0};
	traffic_r_sparse(r, qt, 256);
	if (t) {
		t->queries += queries;
		t->slds_overflow += over;
		t->qtype_other += qother;
		for (int q = 0; q < 256; q++) {
			t->qtypes[q] += qt[q];
		}
	} else {
		c->other += queries;
	}
	uint64_t n = traffic_r_uint(r, 4);
	for (uint64_t i = 0; i < n && !r->err; i++) {
		char label[64];
		size_t l = read_label(r, label);
		uint64_t v = traffic_r_uint(r, 8);
		if (r->err || !t) {
			continue;
		}
		ssr_strmap_entry_t *e;
		bool ins;
		if (t->slds.count >= MAX_SLDS && !ssr_strmap_find(&t->slds, label, l)) {
			t->slds_overflow += v;
		} else if (ssr_strmap_upsert(&t->slds, label, l, &e, &ins) == SSR_EOK) {
			e->value += v;
		} else {
			c->oom = true;
		}
	}
	n = traffic_r_uint(r, 8);
	for (uint64_t i = 0; i < n && !r->err; i++) {
		uint8_t key[16];
		ssr_strmap_entry_t *e;
		bool ins;
		if (traffic_r_bytes(r, key, 16) == SSR_EOK && t &&
		    ssr_strmap_upsert(&t->sources, key, 16, &e, &ins) != SSR_EOK) {
			c->oom = true;
		}
	}
}

int ssr_collisions_merge(ssr_collisions_t *c, const char *path, ssr_diag_t *diag)
{
	traffic_rd_t *r;
	int rc = traffic_rd_open(&r, path, TRAFFIC_MAGIC_COLLISIONS, diag);
	if (rc != SSR_EOK) {
		return rc;
	}
	uint64_t nd = traffic_r_uint(r, 4);
	bool adopt = c->delegated.count == 0, same = nd == c->delegated.count;
	for (uint64_t i = 0; i < nd && !r->err; i++) {
		char tld[64];
		size_t l = read_label(r, tld);
		ssr_strmap_entry_t *e;
		bool ins;
		if (r->err) {
			break;
		}
		if (adopt) {
			if (ssr_strmap_upsert(&c->delegated, tld, l, &e, &ins) != SSR_EOK) {
				c->oom = true;
			}
		} else {
			same = same && ssr_strmap_find(&c->delegated, tld, l) != NULL;
		}
	}
	if (!r->err && !adopt && !same) {
		traffic_rd_bad(r, "made against another root zone");
	}
	c->queries += traffic_r_uint(r, 8);
	c->undelegated += traffic_r_uint(r, 8);
	c->other += traffic_r_uint(r, 8);
	uint64_t n = traffic_r_uint(r, 4);
	for (uint64_t i = 0; i < n && !r->err; i++) {
		char name[64];
		size_t l = read_label(r, name);
		if (r->err) {
			break;
		}
		merge_tld(r, c, tld_get(c, name, l));
	}
	rc = traffic_rd_finish(r);
	if (rc == SSR_EOK && c->oom) {
		rc = ssr_diag_set(diag, SSR_ENOMEM, "state '%s': out of memory", path);
	}
	traffic_rd_free(r);
	return rc;
}
