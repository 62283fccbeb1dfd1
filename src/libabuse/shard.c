/* ssrwatch — abuse ingest on several machines (issue 23): each shard reads the feeds and the
 * previous snapshot's open listings (small) and its part of the zones (large); its state keeps
 * the zone part's statistics, which listings it found delegated (decided by name, as the single
 * run does) and the hashes of every delegation it read (for the first-seen index).  The merge
 * reads the feeds again, marks the listings the shards found, feeds the hashes to the index and
 * runs the single ingest's last phases: the same store rows, summary and index. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsindex.h"
#include "ingest.h"
#include "ssrwatch/abuse.h"
#include "ssrwatch/sort.h"
#include "ssrwatch/state.h"

/* ---- the head: what a shard depends on besides the zones -------------------------------- */

/* "args=ARGS\nfeeds=NAME:CATEGORY:FORMAT:SIZE:PATH;...\nprev=TLD:DATE;..." */
static int state_head(ingest_t *in, const char *args, uint32_t shards, ssr_state_head_t *h,
                      ssr_diag_t *diag)
{
	const ssr_abuse_ingest_opts_t *o = in->o;
	ssr_state_buf_t b = {0};
	ssr_state_put_bytes(&b, "args=", 5);
	ssr_state_put_bytes(&b, args, strlen(args));
	ssr_state_put_bytes(&b, "\nfeeds=", 7);
	for (size_t f = 0; f < o->nfeeds; f++) {
		struct stat sb;
		if (stat(o->feeds[f].path, &sb) != 0) {
			ssr_state_buf_release(&b);
			return ssr_diag_set(diag, SSR_ENOTFOUND, "feed '%s': %s", o->feeds[f].path,
			                    strerror(errno));
		}
		char t[160];
		int l = snprintf(t, sizeof t, "%s:%s:%s:%" PRIu64 ":", o->feeds[f].name,
		                 ssr_abuse_category_name(o->feeds[f].category),
		                 ssr_feed_format_name(o->feeds[f].format), (uint64_t)sb.st_size);
		ssr_state_put_bytes(&b, t, (size_t)l < sizeof t ? (size_t)l : sizeof t - 1);
		ssr_state_put_bytes(&b, o->feeds[f].path, strlen(o->feeds[f].path));
		ssr_state_put_u8(&b, ';');
	}
	ssr_state_put_bytes(&b, "\nprev=", 6);
	for (size_t zi = 0; zi < in->nzones; zi++) {
		const zone_t *z = &in->zones[zi];
		ssr_state_put_bytes(&b, z->name, strlen(z->name));
		ssr_state_put_u8(&b, ':');
		ssr_state_put_bytes(&b, z->prev[0] ? z->prev : "-", z->prev[0] ? 10 : 1);
		ssr_state_put_u8(&b, ';');
	}
	ssr_state_put_u8(&b, 0);
	if (b.oom) {
		ssr_state_buf_release(&b);
		return ssr_diag_set(diag, SSR_ENOMEM, "ingest: out of memory");
	}
	const char **paths = malloc(in->nzones * sizeof *paths);
	int rc = paths ? SSR_EOK : ssr_diag_set(diag, SSR_ENOMEM, "ingest: out of memory");
	for (size_t zi = 0; paths && zi < in->nzones; zi++) {
		paths[zi] = in->zones[zi].path;
	}
	if (rc == SSR_EOK) {
		rc = ssr_state_head_init(h, SSR_ABUSE_STATE_KIND, SSR_ABUSE_STATE_VERSION,
		                         (const char *)b.p, o->date, shards, paths, in->nzones,
		                         "zone", diag);
	}
	free(paths);
	ssr_state_buf_release(&b);
	return rc;
}

int ssr_abuse_state_args(const ssr_state_head_t *h, char **args, ssr_diag_t *diag)
{
	*args = NULL;
	const char *p = h->options;
	const char *e = strchr(p, '\n');
	if (strcmp(h->kind, SSR_ABUSE_STATE_KIND) != 0 || strncmp(p, "args=", 5) != 0 || !e) {
		return ssr_diag_set(diag, SSR_EINVAL, "not an abuse ingest state (kind '%s')",
		                    h->kind);
	}
	*args = strndup(p + 5, (size_t)(e - p - 5));
	return *args ? SSR_EOK : ssr_diag_set(diag, SSR_ENOMEM, "out of memory");
}

/* ---- map ---------------------------------------------------------------------------------- */

typedef struct {
	ingest_t *in;
	const char *tmpdir;
	uint64_t cut_size;
	ssr_diag_t *diag;
} shard_t;

static void patch_u64(ssr_state_buf_t *b, size_t at, uint64_t v)
{
	if (b->oom || at + 8 > b->n) {
		return;
	}
	for (int i = 0; i < 8; i++) {
		b->p[at + (size_t)i] = (uint8_t)(v >> (8 * i));
	}
}

static int shard_part(ssr_state_buf_t *b, uint32_t zi, uint32_t k, uint32_t parts, void *ctx)
{
	shard_t *s = ctx;
	ingest_t *in = s->in;
	zone_t *z = &in->zones[zi];
	const ssr_abuse_ingest_opts_t *o = in->o;
	ssr_diag_t *diag = s->diag;
	in->cur_zone = zi;
	abuse_fsi_free(z->fsi);
	z->fsi = NULL;
	int rc = abuse_fsi_new(s->tmpdir, z->name, o->index_mem, &z->fsi, diag);
	if (rc != SSR_EOK) {
		return rc;
	}
	if (in->filter != NULL && (rc = abuse_present_begin(in, zi, diag)) != SSR_EOK) {
		return rc;
	}
	ssr_zone_analyze_opts_t ao;
	abuse_ingest_zone_opts(in, &ao);
	size_t at = b->n;
	ssr_state_put_u64(b, 0);
	rc = ssr_zone_stats_part(z->path, &ao, k, parts, s->cut_size, b, diag);
	abuse_ingest_collect_present(in);
	if (rc != SSR_EOK) {
		return rc;
	}
	patch_u64(b, at, b->n - at - 8);
	/* the listings found delegated here, by hash (the merge finds them by it) */
	size_t np = 0;
	for (size_t i = 0; i < in->n; i++) {
		np += in->v[i].zone == zi && in->v[i].present;
	}
	uint64_t *ph = malloc((np ? np : 1) * 2 * sizeof *ph);
	if (!ph) {
		return ssr_diag_set(diag, SSR_ENOMEM, "ingest: out of memory");
	}
	np = 0;
	for (size_t i = 0; i < in->n; i++) {
		if (in->v[i].zone == zi && in->v[i].present) {
			ph[np++] = in->v[i].hash;
			in->v[i].present = 0;
		}
	}
	ssr_sort_u64(ph, ph + np, np);
	ssr_state_put_u64(b, np);
	for (size_t i = 0; i < np; i++) {
		ssr_state_put_u64(b, ph[i]);
	}
	free(ph);
	/* every delegation's hash, ascending and distinct, as varint differences */
	rc = abuse_fsi_save(z->fsi, b, diag);
	if (rc != SSR_EOK) {
		return rc;
	}
	abuse_fsi_free(z->fsi);
	z->fsi = NULL;
	return b->oom ? ssr_diag_set(diag, SSR_ENOMEM, "ingest: out of memory") : SSR_EOK;
}

int ssr_abuse_ingest_shard(ssr_store_t *st, const ssr_abuse_ingest_opts_t *o, const char *args,
                           uint32_t shard, uint32_t shards, const char *path, ssr_diag_t *diag)
{
	if (shard >= shards) {
		return ssr_diag_set(diag, SSR_EINVAL, "ingest: shard %u of %u", shard + 1, shards);
	}
	if (strchr(args, '\n') != NULL) {
		return ssr_diag_set(diag, SSR_EINVAL, "ingest: an argument with a line break");
	}
	ingest_t in;
	ssr_state_head_t h = {0};
	ssr_state_buf_t b = {0};
	char tmpdir[4096] = "";
	int rc = abuse_ingest_open(&in, o, false, diag);
	if (rc == SSR_EOK) {
		rc = abuse_ingest_listings(&in, st, diag);
	}
	if (rc == SSR_EOK) {
		rc = state_head(&in, args, shards, &h, diag);
	}
	if (rc == SSR_EOK) {
		/* the hash runs of a large part spill here, not in the shared index directory */
		const char *t = getenv("TMPDIR");
		snprintf(tmpdir, sizeof tmpdir, "%s/ssrwatch-abuse-XXXXXX", t && *t ? t : "/tmp");
		if (mkdtemp(tmpdir) == NULL) {
			rc = ssr_diag_set(diag, SSR_EIO, "cannot make a directory '%s': %s", tmpdir,
			                  strerror(errno));
			tmpdir[0] = '\0';
		}
	}
	if (rc == SSR_EOK) {
		shard_t s = {.in = &in, .tmpdir = tmpdir, .diag = diag};
		bool cut = in.nzones == 1 && ssr_zone_splittable(in.zones[0].path, &s.cut_size);
		if (!cut) {
			s.cut_size = 0;
		}
		rc = ssr_state_shard_work(&b, (const char *const *)h.input_path, h.ninputs, cut,
		                          shard, shards, shard_part, &s, diag);
		abuse_ingest_phase(&in, "shard zone pass");
	}
	if (rc == SSR_EOK) {
		ssr_state_entry_t e = {.shard = shard, .data = b.p, .len = b.n};
		rc = ssr_state_write(path, &h, &e, 1, diag);
	}
	abuse_ingest_close(&in);
	if (tmpdir[0]) {
		rmdir(tmpdir);
	}
	ssr_state_head_release(&h);
	ssr_state_buf_release(&b);
	return rc;
}

/* ---- merge -------------------------------------------------------------------------------- */

typedef struct {
	uint32_t zone;
	const uint8_t *present; /* np u64 */
	uint64_t np;
	ssr_state_rd_t hashes; /* the delegations' hashes (ssr_state_get_hashes) */
	const char *file;
} mpart_t;

static uint64_t le64(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--) {
		v = v << 8 | p[i];
	}
	return v;
}

/* A part's bytes: its zone statistics (into zp) and its listings and hashes (into mp). */
static int split_part(const ssr_state_part_t *p, ssr_state_part_t *zp, mpart_t *mp,
                      ssr_diag_t *diag)
{
	ssr_state_rd_t r = {.p = p->data, .n = p->len, .base = p->offset, .file = p->file};
	uint64_t zl = ssr_state_get_u64(&r);
	size_t zoff = r.off;
	const uint8_t *zb = zl <= r.n - r.off ? ssr_state_get_bytes(&r, (size_t)zl) : NULL;
	if (!zb) {
		ssr_state_rd_fail(&r, "zone statistics past the part's end");
	}
	*zp = *p;
	zp->data = zb;
	zp->len = (size_t)zl;
	zp->offset = p->offset + zoff;
	mp->zone = p->input;
	mp->file = p->file;
	mp->np = ssr_state_get_count(&r, 8);
	mp->present = ssr_state_get_bytes(&r, (size_t)mp->np * 8);
	mp->hashes = r; /* read when the index is fed */
	if (!r.bad) {
		r.off = r.n;
	}
	return ssr_state_rd_done(&r, diag);
}

/* The listing of zone zi with hash h: its index in in->v, or -1.  by: (hash, index) pairs of
 * every listing, sorted. */
static long find_listing(const ingest_t *in, const ssr_pair_t *by, size_t n, uint32_t zi,
                         uint64_t h)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (by[mid].key < h) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	for (; lo < n && by[lo].key == h; lo++) {
		if (in->v[by[lo].value].zone == zi) {
			return (long)by[lo].value;
		}
	}
	return -1;
}

static int add_hash(uint64_t h, void *ctx)
{
	return abuse_fsi_add(ctx, 0, h);
}

/* Zone zi's parts: the delegations' hashes into its new index, its listings found delegated
 * flagged. */
static int feed_zone(ingest_t *in, unsigned zi, const mpart_t *mp, size_t n, const ssr_pair_t *by,
                     size_t nby, ssr_diag_t *diag)
{
	zone_t *z = &in->zones[zi];
	const ssr_abuse_ingest_opts_t *o = in->o;
	int rc = abuse_fsi_new(o->index_dir, z->name, o->index_mem, &z->fsi, diag);
	for (size_t i = 0; i < n && rc == SSR_EOK; i++) {
		if (mp[i].zone != zi) {
			continue;
		}
		for (uint64_t j = 0; j < mp[i].np; j++) {
			long l = find_listing(in, by, nby, zi, le64(mp[i].present + 8 * j));
			if (l < 0) {
				return ssr_diag_set(
				    diag, SSR_EINVAL,
				    "state '%s': a domain it found delegated in zone '%s' is not "
				    "among the feeds' and the previous snapshot's listings (were "
				    "the feeds or the store changed after the shards ran?)",
				    mp[i].file, z->name);
			}
			in->v[l].present = 1;
		}
		ssr_state_rd_t hr = mp[i].hashes;
		rc = ssr_state_get_hashes(&hr, add_hash, z->fsi);
		if (rc != SSR_EOK) {
			return ssr_diag_set(diag, rc, "index of zone '%s': %s", z->name,
			                    ssr_strerror(rc));
		}
		if ((rc = ssr_state_rd_done(&hr, diag)) != SSR_EOK) {
			return rc;
		}
	}
	return rc;
}

/* (hash, index) of every listing, sorted; two listings of one zone with one hash would make a
 * shard's finding ambiguous: refused. */
static int listing_pairs(const ingest_t *in, ssr_pair_t **out, ssr_diag_t *diag)
{
	ssr_pair_t *v = malloc((in->n ? in->n : 1) * 2 * sizeof *v);
	if (!v) {
		return ssr_diag_set(diag, SSR_ENOMEM, "ingest: out of memory");
	}
	for (size_t i = 0; i < in->n; i++) {
		v[i] = (ssr_pair_t){in->v[i].hash, i};
	}
	ssr_sort_pairs(v, v + in->n, in->n);
	for (size_t i = 1; i < in->n; i++) {
		for (size_t j = i; j-- > 0 && v[j].key == v[i].key;) {
			if (in->v[v[j].value].zone == in->v[v[i].value].zone) {
				const char *a = in->v[v[j].value].text, *b = in->v[v[i].value].text;
				free(v);
				return ssr_diag_set(
				    diag, SSR_EINVAL,
				    "ingest: listed domains '%s' and '%s' share one "
				    "64-bit hash, so shards cannot tell them apart: "
				    "ingest this snapshot in one run",
				    a, b);
			}
		}
	}
	*out = v;
	return SSR_EOK;
}

int ssr_abuse_ingest_merge(ssr_store_t *st, const ssr_abuse_ingest_opts_t *o,
                           const ssr_state_set_t *set, json_t **summary, ssr_diag_t *diag)
{
	ingest_t in;
	ssr_state_head_t h = {0};
	ssr_state_part_t *pp = NULL, *zp = NULL;
	mpart_t *mp = NULL;
	ssr_pair_t *by = NULL;
	json_t *zs = NULL;
	char *args = NULL;
	size_t n = 0;
	int rc = ssr_abuse_state_args(&set->head, &args, diag);
	if (rc == SSR_EOK) {
		rc = abuse_ingest_open(&in, o, true, diag);
	} else {
		memset(&in, 0, sizeof in);
	}
	if (rc == SSR_EOK) {
		rc = abuse_ingest_side(&in, diag);
	}
	if (rc == SSR_EOK) {
		rc = abuse_ingest_listings(&in, st, diag);
	}
	if (rc == SSR_EOK) {
		rc = state_head(&in, args, set->head.shards, &h, diag);
	}
	if (rc == SSR_EOK) {
		const char *why = ssr_state_head_diff(&h, &set->head);
		if (why && strcmp(why, "other options") == 0) {
			const char *a = strstr(h.options, "\nprev="),
			           *b = strstr(set->head.options, "\nprev=");
			why = a && b && strcmp(a, b) != 0
			          ? "the store's previous snapshots changed since the shards ran"
			          : "the feeds changed since the shards ran";
		}
		if (why) {
			rc = ssr_diag_set(diag, SSR_EINVAL, "state '%s': %s",
			                  set->files ? set->entry[0].file : "?", why);
		}
	}
	if (rc == SSR_EOK) {
		rc = ssr_state_complete(set, diag);
	}
	if (rc == SSR_EOK) {
		rc = ssr_state_parts(set, &pp, &n, diag);
	}
	if (rc == SSR_EOK) {
		zp = calloc(n ? n : 1, sizeof *zp);
		mp = calloc(n ? n : 1, sizeof *mp);
		if (!zp || !mp) {
			rc = ssr_diag_set(diag, SSR_ENOMEM, "ingest: out of memory");
		}
	}
	for (size_t i = 0; i < n && rc == SSR_EOK; i++) {
		rc = split_part(&pp[i], &zp[i], &mp[i], diag);
	}
	if (rc == SSR_EOK) {
		ssr_zone_analyze_opts_t ao;
		abuse_ingest_zone_opts(&in, &ao);
		rc = ssr_zone_stats_combine_parts(zp, n, &set->head, &ao, &zs, diag);
	}
	if (rc == SSR_EOK) {
		rc = listing_pairs(&in, &by, diag);
	}
	for (unsigned zi = 0; zi < in.nzones && rc == SSR_EOK; zi++) {
		in.zones[zi].stats = json_incref(json_array_get(zs, zi));
		rc = feed_zone(&in, zi, mp, n, by, in.n, diag);
		if (rc == SSR_EOK) {
			rc = abuse_ingest_first_seen(&in, zi, diag);
		}
	}
	if (rc == SSR_EOK) {
		rc = abuse_ingest_finish(&in, st, diag);
	}
	if (rc == SSR_EOK && summary != NULL) {
		*summary = json_incref(in.sum);
	}
	abuse_ingest_close(&in);
	json_decref(zs);
	free(by);
	free(zp);
	free(mp);
	free(pp);
	free(args);
	ssr_state_head_release(&h);
	return rc;
}
