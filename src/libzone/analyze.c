/* ssrwatch — zone statistics of one file, start to end: sequential or in parallel parts, with a
 * second pass through an owner index when the zone is not grouped by owner. */
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ssrwatch/arena.h"
#include "ssrwatch/dname.h"
#include "ssrwatch/hashrun.h"
#include "ssrwatch/input.h"
#include "ssrwatch/zonestats.h"

#define PARALLEL_AUTO_MIN (32ull << 20) /* automatic splitting from this size on */
#define PARALLEL_PART_MIN (1ull << 20)  /* no part smaller than this */
#define PARALLEL_MAX      16

static json_t *u64(uint64_t v)
{
	return json_integer((json_int_t)v);
}

/* Owner runs for parts readers: every counted owner's hash, in bounded memory (runs spilled
 * to $TMPDIR); NULL when they cannot be had (the zone is then counted as before: in order, or
 * read again with the owner index). */
static ssr_hashrun_t *owner_runs_new(unsigned parts)
{
	static unsigned seq;
	const char *tmp = getenv("TMPDIR");
	char prefix[512];
	snprintf(prefix, sizeof prefix, "%s/ssrwatch-owners-%ld-%u", tmp && *tmp ? tmp : "/tmp",
	         (long)getpid(), __atomic_fetch_add(&seq, 1, __ATOMIC_RELAXED));
	ssr_hashrun_t *h = NULL;
	return ssr_hashrun_new(prefix, 0, parts, &h, NULL) == SSR_EOK ? h : NULL;
}

/* The owner runs of a streaming pass over parts parts: the caller's (emptied for the pass) or
 * our own; the caller is told whether the pass adds every counted owner to its runs. */
static ssr_hashrun_t *pass_runs(const ssr_zone_analyze_opts_t *opts, unsigned parts)
{
	ssr_hashrun_t *runs = NULL;
	if (opts->owner_runs == NULL) {
		/* ours are walked only when the zone is out of order: their sorting waits until
		 * then (ssr_zone_stats_add stops the waiting for a part whose owners are not) */
		runs = owner_runs_new(parts);
		for (unsigned i = 0; runs != NULL && i < parts; i++) {
			ssr_hashrun_defer(runs, i, true);
		}
	} else if (parts <= SSR_HASHRUN_MAX_PARTS) {
		runs = opts->owner_runs;
		ssr_hashrun_reset(runs);
	}
	if (opts->on_pass != NULL) {
		opts->on_pass(opts->stats.delegation_ctx, runs != NULL && runs == opts->owner_runs);
	}
	return runs;
}

static void pass_runs_done(const ssr_zone_analyze_opts_t *opts, ssr_hashrun_t *runs)
{
	if (runs != opts->owner_runs) {
		ssr_hashrun_free(runs);
	}
}

/* A zone out of order whose counted owners each came in one run is counted exactly already:
 * no second pass. */
static void prove_grouped(ssr_zone_stats_t *st, ssr_hashrun_t *runs, const char *path,
                          const ssr_zone_analyze_opts_t *opts)
{
	bool repeats = true;
	ssr_diag_t d;
	if (runs == NULL || ssr_zone_stats_ordered(st) ||
	    ssr_hashrun_each(runs, NULL, NULL, &repeats, &d) != SSR_EOK || repeats) {
		return;
	}
	ssr_zone_stats_grouped(st);
	ssr_log(opts->log, SSR_LOG_INFO, "zone",
	        "zone '%s': owners not in order but each in one run: counted in one pass", path);
}

static int one_pass(const char *path, const ssr_zone_analyze_opts_t *opts, bool index,
                    ssr_zone_stats_t **out, ssr_zone_read_stats_t *rs, ssr_diag_t *diag)
{
	ssr_zone_stats_opts_t so = opts->stats;
	so.owner_index = index;
	ssr_hashrun_t *runs = NULL;
	if (!index) {
		runs = pass_runs(opts, 1);
	} else if (opts->on_pass != NULL) {
		opts->on_pass(opts->stats.delegation_ctx, false);
	}
	so.owner_runs = runs;
	so.part = 0;
	ssr_zone_stats_t *st;
	int rc = ssr_zone_stats_new(&so, &st);
	if (rc != SSR_EOK) {
		pass_runs_done(opts, runs);
		return ssr_diag_set(diag, rc, "zone '%s': %s", path, ssr_strerror(rc));
	}
	rc = ssr_zone_read(path, &opts->read, ssr_zone_stats_add, st, rs, diag);
	if (rc == SSR_EOK) {
		rc = ssr_zone_stats_finish(st);
	}
	if (rc == SSR_EOK) {
		prove_grouped(st, runs, path, opts);
	}
	pass_runs_done(opts, runs);
	if (rc != SSR_EOK) {
		if (diag->code == SSR_EOK) {
			ssr_diag_set(diag, rc, "zone '%s': %s", path, ssr_strerror(rc));
		}
		ssr_zone_stats_free(st);
		return rc;
	}
	*out = st;
	return SSR_EOK;
}

/* ---- parallel parts ------------------------------------------------------- */

typedef struct {
	const char *path;
	ssr_zone_opts_t read;
	ssr_zone_stats_opts_t stats;
	ssr_zone_stats_t *st;
	ssr_zone_read_stats_t rs;
	ssr_diag_t diag;
	int rc;
} part_t;

static void *part_run(void *arg)
{
	part_t *p = arg;
	p->rc = ssr_zone_stats_new(&p->stats, &p->st);
	if (p->rc == SSR_EOK) {
		p->rc =
		    ssr_zone_read(p->path, &p->read, ssr_zone_stats_add, p->st, &p->rs, &p->diag);
	}
	if (p->rc == SSR_EOK) {
		p->rc = ssr_zone_stats_finish(p->st);
	}
	return NULL;
}

typedef struct {
	bool found;
	uint8_t apex[SSR_DNAME_MAXLEN + 1];
	uint32_t serial;
} soa_probe_t;

static int stop_at_soa(const ssr_zone_rr_t *rr, void *ctx)
{
	soa_probe_t *p = ctx;
	if (rr->type != SSR_RRTYPE_SOA) {
		return SSR_EOK;
	}
	memcpy(p->apex, rr->owner, rr->owner_len);
	p->found = true;
	const uint8_t *rd = rr->rdata;
	size_t a = ssr_dname_len(rd, rr->rdata_len);
	size_t b = a ? ssr_dname_len(rd + a, rr->rdata_len - a) : 0;
	if (b && a + b + 4 <= rr->rdata_len) {
		const uint8_t *q = rd + a + b;
		p->serial =
		    (uint32_t)q[0] << 24 | (uint32_t)q[1] << 16 | (uint32_t)q[2] << 8 | q[3];
	}
	return SSR_ESTOP;
}

int ssr_zone_probe_soa(const char *path, const ssr_zone_opts_t *opts,
                       uint8_t apex[SSR_DNAME_MAXLEN + 1], uint32_t *serial, ssr_diag_t *diag)
{
	soa_probe_t probe = {0};
	ssr_zone_read_stats_t rs;
	ssr_zone_opts_t ro = *opts;
	ro.progress = NULL;
	int rc = ssr_zone_read(path, &ro, stop_at_soa, &probe, &rs, diag);
	if (rc == SSR_ESTOP && probe.found) {
		memcpy(apex, probe.apex, ssr_dname_len(probe.apex, sizeof(probe.apex)));
		*serial = probe.serial;
		return SSR_EOK;
	}
	if (rc == SSR_EOK) {
		return ssr_diag_set(diag, SSR_EPARSE, "zone '%s': no SOA record", path);
	}
	return rc;
}

static size_t token_len(const char *p, size_t n)
{
	size_t i = 0;
	while (i < n && p[i] != ' ' && p[i] != '\t' && p[i] != '\n' && p[i] != '\r') {
		i++;
	}
	return i;
}

/* A line start at or after off where a part may begin: the line starts with a letter or digit
 * (an explicit owner, not a directive, comment or continuation), the line before it names a
 * different owner explicitly, and has no parenthesis or quote.  0 when none is found. */
static uint64_t split_point(int fd, uint64_t off, uint64_t size)
{
	char buf[65536];
	ssize_t n = pread(fd, buf, sizeof(buf), (off_t)off);
	if (n <= 0) {
		return 0;
	}
	char *nl = memchr(buf, '\n', (size_t)n);
	if (nl == NULL) {
		return 0;
	}
	size_t prev = (size_t)(nl - buf) + 1; /* first whole line */
	for (;;) {
		char *e = memchr(buf + prev, '\n', (size_t)n - prev);
		if (e == NULL) {
			return 0;
		}
		size_t cur = (size_t)(e - buf) + 1;
		if (cur >= (size_t)n || off + cur >= size) {
			return 0;
		}
		char c = buf[cur], pc = buf[prev];
		bool alnum =
		    (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
		bool palnum = (pc >= 'a' && pc <= 'z') || (pc >= 'A' && pc <= 'Z') ||
		              (pc >= '0' && pc <= '9');
		if (alnum && palnum && memchr(buf + prev, '(', cur - prev) == NULL &&
		    memchr(buf + prev, '"', cur - prev) == NULL) {
			size_t lp = token_len(buf + prev, cur - prev);
			size_t lc = token_len(buf + cur, (size_t)n - cur);
			if (cur + lc < (size_t)n &&
			    (lp != lc || memcmp(buf + prev, buf + cur, lc) != 0)) {
				return off + cur;
			}
		}
		prev = cur;
	}
}

/* Records of types counted with unvalidated rdata: src's added to dst's. */
static void add_unvalidated(ssr_zone_read_stats_t *dst, const ssr_zone_read_stats_t *src)
{
	for (unsigned i = 0; i < src->n_unvalidated; i++) {
		unsigned k = 0;
		while (k < dst->n_unvalidated &&
		       dst->unvalidated[k].type != src->unvalidated[i].type) {
			k++;
		}
		if (k == dst->n_unvalidated) {
			if (k == SSR_ZONE_MAX_UNVALIDATED) {
				continue;
			}
			dst->unvalidated[k].type = src->unvalidated[i].type;
			dst->unvalidated[k].count = 0;
			dst->n_unvalidated++;
		}
		dst->unvalidated[k].count += src->unvalidated[i].count;
	}
}

/* The reader's counts of the part after dst's added to dst's (parallel parts, shards). */
static void add_read(ssr_zone_read_stats_t *dst, const ssr_zone_read_stats_t *src)
{
	dst->bytes += src->bytes;
	dst->raw_bytes += src->raw_bytes;
	dst->records += src->records;
	dst->fast_records += src->fast_records;
	dst->lines += src->lines;
	add_unvalidated(dst, src);
}

/* Said once per file and type, after the file is read (a pass read twice says it once). */
static void warn_unvalidated(const ssr_zone_analyze_opts_t *opts, const char *path,
                             const ssr_zone_read_stats_t *rs)
{
	for (unsigned i = 0; i < rs->n_unvalidated; i++) {
		char tn[24];
		ssr_rrtype_name(rs->unvalidated[i].type, tn, sizeof(tn));
		ssr_log(
		    opts->log, SSR_LOG_WARNING, "zone",
		    "zone '%s': %llu %s records (type %u) counted with their rdata not validated: "
		    "the installed libzscanner predates the type and ssrwatch has no reader of "
		    "its own for it",
		    path, (unsigned long long)rs->unvalidated[i].count, tn,
		    rs->unvalidated[i].type);
	}
}

/* Returns SSR_EOK with *out, or SSR_EUNSUPPORTED when the file must be read sequentially. */
static int analyze_parallel(const char *path, const ssr_zone_analyze_opts_t *opts, unsigned parts,
                            uint64_t size, json_t **out, ssr_zone_read_stats_t *rs_out)
{
	/* The state every part after the first starts from: the first SOA's owner, and $ORIGIN and
	 * $TTL as they stand there.  Each part's end state is checked against it afterwards. */
	soa_probe_t probe = {0};
	ssr_zone_read_stats_t prs;
	ssr_diag_t d;
	ssr_zone_opts_t ro = opts->read;
	ro.progress = NULL;
	ro.on_error = NULL; /* the parts, or the sequential read, report them */
	ro.range_offset = 0;
	/* the SOA must lie in the first part: the probe looks no further than the nearest split
	 * point can be (PARALLEL_PART_MIN / 2) */
	ro.range_length = size < PARALLEL_PART_MIN / 4 ? size : PARALLEL_PART_MIN / 4;
	int rc = ssr_zone_read(path, &ro, stop_at_soa, &probe, &prs, &d);
	if (rc != SSR_ESTOP || !probe.found) {
		return SSR_EUNSUPPORTED;
	}
	char origin[SSR_DNAME_TEXTMAX + 2];
	uint8_t owire[SSR_DNAME_MAXLEN + 1];
	memcpy(owire, prs.end_origin, prs.end_origin_len);
	int ol = ssr_dname_to_text(owire, origin, sizeof(origin) - 1, false);
	if (ol < 0) {
		return SSR_EUNSUPPORTED;
	}
	if (strcmp(origin, ".") != 0) {
		origin[ol] = '.';
		origin[ol + 1] = '\0';
	}
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		return SSR_EUNSUPPORTED;
	}
	uint64_t start[PARALLEL_MAX + 1];
	unsigned n = 0;
	start[n++] = 0;
	for (unsigned k = 1; k < parts; k++) {
		uint64_t sp = split_point(fd, size * k / parts, size);
		if (sp > start[n - 1] + PARALLEL_PART_MIN / 2) {
			start[n++] = sp;
		}
	}
	close(fd);
	start[n] = size;
	if (n < 2) {
		return SSR_EUNSUPPORTED;
	}
	part_t *p = calloc(n, sizeof(*p));
	pthread_t *th = calloc(n, sizeof(*th));
	if (p == NULL || th == NULL) {
		free(p);
		free(th);
		return SSR_EUNSUPPORTED;
	}
	ssr_hashrun_t *runs = pass_runs(opts, n);
	for (unsigned i = 0; i < n; i++) {
		p[i].path = path;
		p[i].read = opts->read;
		p[i].read.keep_going = false; /* any error: sequential run, exact messages */
		p[i].read.range_offset = start[i];
		p[i].read.range_length = start[i + 1] - start[i];
		p[i].stats = opts->stats;
		p[i].stats.part = i;
		p[i].stats.owner_runs = runs;
		if (i > 0) {
			p[i].read.origin = origin;
			p[i].read.default_ttl = prs.end_ttl;
			p[i].read.progress = NULL;
			p[i].stats.apex = probe.apex;
		} else if (opts->read.progress != NULL) {
			opts->read.progress->total = start[1];
		}
	}
	unsigned started = 1;
	for (unsigned i = 1; i < n; i++, started++) {
		if (pthread_create(&th[i], NULL, part_run, &p[i]) != 0) {
			break;
		}
	}
	part_run(&p[0]);
	for (unsigned i = 1; i < started; i++) {
		pthread_join(th[i], NULL);
	}
	bool ok = started == n;
	for (unsigned i = 0; i < n && ok; i++) {
		ok = p[i].rc == SSR_EOK;
		if (ok && i + 1 < n) {
			/* the next part assumed this part's end state */
			ok = p[i].rs.end_ttl == prs.end_ttl &&
			     p[i].rs.end_origin_len == prs.end_origin_len &&
			     memcmp(p[i].rs.end_origin, prs.end_origin, prs.end_origin_len) == 0;
		}
	}
	json_t *z = NULL;
	if (ok) {
		ssr_zone_read_stats_t sum = p[0].rs;
		for (unsigned i = 1; i < n && ok; i++) {
			ok = ssr_zone_stats_merge(p[0].st, p[i].st) == SSR_EOK;
			add_read(&sum, &p[i].rs);
		}
		*rs_out = sum;
		if (ok) {
			prove_grouped(p[0].st, runs, path, opts);
		}
		if (ok && ssr_zone_stats_ordered(p[0].st) &&
		    ssr_zone_stats_to_json(p[0].st, &sum, &z) == SSR_EOK) {
			json_object_set_new(z, "lines", u64(sum.lines));
			json_object_set_new(z, "fast_path_records", u64(sum.fast_records));
		}
	}
	for (unsigned i = 0; i < n; i++) {
		ssr_zone_stats_free(p[i].st);
	}
	pass_runs_done(opts, runs);
	free(p);
	free(th);
	if (z == NULL) {
		ssr_log(opts->log, SSR_LOG_INFO, "zone",
		        "zone '%s': parallel parts did not fit together; reading it in one piece",
		        path);
		return SSR_EUNSUPPORTED;
	}
	ssr_log(opts->log, SSR_LOG_INFO, "zone", "zone '%s': read in %u parallel parts", path, n);
	if (opts->parts_used) {
		*opts->parts_used = n;
	}
	*out = z;
	return SSR_EOK;
}

static void restart(const ssr_zone_analyze_opts_t *opts)
{
	if (opts->on_restart != NULL) {
		opts->on_restart(opts->stats.delegation_ctx);
	}
}

static unsigned parts_for(const char *path, const ssr_zone_analyze_opts_t *opts, uint64_t *size)
{
	struct stat sb;
	if (opts->threads == 1 || opts->stats.owner_index ||
	    opts->read.engine != SSR_ZONE_ENGINE_AUTO || strcmp(path, "-") == 0 ||
	    stat(path, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		return 1;
	}
	*size = (uint64_t)sb.st_size;
	unsigned n = opts->threads;
	if (n == 0) {
		long cpus = sysconf(_SC_NPROCESSORS_ONLN);
		n = cpus > 1 ? (unsigned)cpus : 1;
		if (*size < PARALLEL_AUTO_MIN) {
			return 1;
		}
	}
	if (n > PARALLEL_MAX) {
		n = PARALLEL_MAX;
	}
	while (n > 1 && *size / n < PARALLEL_PART_MIN) {
		n--;
	}
	/* only plain files can be read in ranges */
	return n > 1 && ssr_zone_splittable(path, size) ? n : 1;
}

int ssr_zone_stats_analyze(const char *path, const ssr_zone_analyze_opts_t *opts, json_t **out,
                           ssr_diag_t *diag)
{
	uint64_t size = 0;
	unsigned parts = parts_for(path, opts, &size);
	ssr_zone_read_stats_t rs;
	if (parts > 1) {
		if (analyze_parallel(path, opts, parts, size, out, &rs) == SSR_EOK) {
			json_object_set_new(*out, "file", json_string(path));
			warn_unvalidated(opts, path, &rs);
			return SSR_EOK;
		}
		restart(opts);
	}
	ssr_zone_stats_t *st = NULL;
	int rc = one_pass(path, opts, opts->stats.owner_index, &st, &rs, diag);
	if (rc != SSR_EOK) {
		return rc;
	}
	if (!ssr_zone_stats_ordered(st)) {
		ssr_zone_stats_free(st);
		st = NULL;
		struct stat sb;
		if (strcmp(path, "-") == 0 || stat(path, &sb) != 0 || !S_ISREG(sb.st_mode)) {
			return ssr_diag_set(
			    diag, SSR_ENOSEEK,
			    "zone '%s': owners are not grouped in canonical or text "
			    "order and the input cannot be read twice; read it from a "
			    "file or pass --owner-index",
			    strcmp(path, "-") == 0 ? "(stdin)" : path);
		}
		restart(opts);
		ssr_log(opts->log, SSR_LOG_NOTICE, "zone",
		        "zone '%s': owners not grouped in canonical or text order; second pass "
		        "with an in-memory owner index",
		        path);
		/* the first pass said what was wrong with the records; this one only counts */
		ssr_zone_analyze_opts_t again = *opts;
		again.read.on_error = NULL;
		rc = one_pass(path, &again, true, &st, &rs, diag);
		if (rc != SSR_EOK) {
			return rc;
		}
	}
	warn_unvalidated(opts, path, &rs);
	rc = ssr_zone_stats_to_json(st, &rs, out);
	if (rc == SSR_EOK) {
		json_object_set_new(*out, "file", json_string(strcmp(path, "-") == 0 ? "-" : path));
		json_object_set_new(*out, "lines", u64(rs.lines));
		json_object_set_new(*out, "fast_path_records", u64(rs.fast_records));
		if (opts->parts_used) {
			*opts->parts_used = 1;
		}
	}
	ssr_zone_stats_free(st);
	return rc;
}

/* ---- shards (issue 23): parts of the inputs on several machines, merged exactly ---------- */

enum { PART_REPORT = 0, PART_STATS = 1 };

static void put_read(ssr_state_buf_t *b, const ssr_zone_read_stats_t *rs)
{
	ssr_state_put_u64(b, rs->bytes);
	ssr_state_put_u64(b, rs->raw_bytes);
	ssr_state_put_u64(b, rs->records);
	ssr_state_put_u64(b, rs->fast_records);
	ssr_state_put_u64(b, rs->errors);
	ssr_state_put_u64(b, rs->skipped);
	ssr_state_put_u64(b, rs->lines);
	ssr_state_put_u32(b, rs->n_unvalidated);
	for (unsigned i = 0; i < rs->n_unvalidated; i++) {
		ssr_state_put_u16(b, rs->unvalidated[i].type);
		ssr_state_put_u64(b, rs->unvalidated[i].count);
	}
}

static void get_read(ssr_state_rd_t *r, ssr_zone_read_stats_t *rs)
{
	memset(rs, 0, sizeof *rs);
	rs->bytes = ssr_state_get_u64(r);
	rs->raw_bytes = ssr_state_get_u64(r);
	rs->records = ssr_state_get_u64(r);
	rs->fast_records = ssr_state_get_u64(r);
	rs->errors = ssr_state_get_u64(r);
	rs->skipped = ssr_state_get_u64(r);
	rs->lines = ssr_state_get_u64(r);
	uint32_t n = ssr_state_get_u32(r);
	if (!r->bad && n > SSR_ZONE_MAX_UNVALIDATED) {
		ssr_state_rd_fail(r, "too many unvalidated types");
	}
	for (uint32_t i = 0; i < n && !r->bad; i++) {
		rs->unvalidated[i].type = ssr_state_get_u16(r);
		rs->unvalidated[i].count = ssr_state_get_u64(r);
		rs->n_unvalidated = i + 1;
	}
}

/* $ORIGIN (wire) and $TTL: where a part ended, or what the part after a split assumed. */
static void put_rstate(ssr_state_buf_t *b, const uint8_t *origin, size_t len, uint32_t ttl)
{
	ssr_state_put_u16(b, (uint16_t)len);
	ssr_state_put_bytes(b, origin, len);
	ssr_state_put_u32(b, ttl);
}

typedef struct {
	uint8_t origin[SSR_DNAME_MAXLEN + 1];
	uint16_t len;
	uint32_t ttl;
} rstate_t;

static void get_rstate(ssr_state_rd_t *r, rstate_t *s)
{
	s->len = ssr_state_get_u16(r);
	const uint8_t *p = s->len <= SSR_DNAME_MAXLEN ? ssr_state_get_bytes(r, s->len) : NULL;
	if (!p) {
		ssr_state_rd_fail(r, "a bad origin");
		s->len = 0;
	} else {
		memcpy(s->origin, p, s->len);
	}
	s->ttl = ssr_state_get_u32(r);
}

/* The byte ranges of a plain file in `count` parts, split where the parallel parts split (a
 * line with an explicit owner other than the line before); parts may be empty. */
static void split_ranges(const char *path, uint64_t size, uint32_t count, uint64_t *start)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	start[0] = 0;
	for (uint32_t k = 1; k < count; k++) {
		uint64_t sp = fd >= 0 ? split_point(fd, size * k / count, size) : 0;
		if (sp == 0) {
			sp = size; /* no owner line after it: the rest stays with the part before */
		}
		start[k] = sp > start[k - 1] ? sp : start[k - 1];
	}
	start[count] = size;
	if (fd >= 0) {
		close(fd);
	}
}

/* Part k (of count) of a plain file: read its range and save statistics and reader state. */
int ssr_zone_part_plan(const char *path, const ssr_zone_opts_t *read, uint64_t size, uint32_t k,
                       uint32_t count, ssr_zone_part_t *pp, ssr_diag_t *diag)
{
	memset(pp, 0, sizeof *pp);
	uint64_t *start = calloc((size_t)count + 1, sizeof *start);
	if (!start) {
		return ssr_diag_set(diag, SSR_ENOMEM, "zone '%s': out of memory", path);
	}
	split_ranges(path, size, count, start);
	pp->offset = start[k];
	pp->length = start[k + 1] - start[k];
	uint64_t first_end = start[1] ? start[1] : size;
	free(start);
	if (k == 0) {
		return SSR_EOK; /* the first part starts as the whole file does */
	}
	/* the state the parts after the first start from: the first SOA's owner and $ORIGIN and
	 * $TTL there; the SOA must lie in the first part */
	soa_probe_t probe = {0};
	ssr_zone_read_stats_t prs = {0};
	ssr_zone_opts_t ro = *read;
	ro.progress = NULL;
	ro.on_error = NULL;
	ro.range_offset = 0;
	ro.range_length = first_end;
	int rc = ssr_zone_read(path, &ro, stop_at_soa, &probe, &prs, diag);
	if (rc != SSR_ESTOP || !probe.found) {
		return rc < 0 && rc != SSR_ESTOP
		           ? rc
		           : ssr_diag_set(diag, SSR_EPARSE,
		                          "zone '%s': no SOA record in the first shard's part",
		                          path);
	}
	int ol = ssr_dname_to_text(prs.end_origin, pp->origin, sizeof(pp->origin) - 1, false);
	if (ol < 0) {
		return ssr_diag_set(diag, SSR_EPARSE, "zone '%s': bad $ORIGIN", path);
	}
	if (strcmp(pp->origin, ".") != 0) {
		pp->origin[ol] = '.';
		pp->origin[ol + 1] = '\0';
	}
	pp->ttl = prs.end_ttl;
	memcpy(pp->origin_wire, prs.end_origin, prs.end_origin_len);
	pp->origin_wire_len = prs.end_origin_len;
	memcpy(pp->apex, probe.apex, ssr_dname_len(probe.apex, sizeof probe.apex));
	pp->preset = true;
	return SSR_EOK;
}

/* Part k (of count) of a plain file: read its range and save statistics and reader state. */
static int shard_part(const char *path, const ssr_zone_analyze_opts_t *opts, uint32_t k,
                      uint32_t count, uint64_t size, ssr_state_buf_t *b, ssr_diag_t *diag)
{
	ssr_zone_part_t pp;
	int rc = ssr_zone_part_plan(path, &opts->read, size, k, count, &pp, diag);
	if (rc != SSR_EOK) {
		return rc;
	}
	part_t p = {.path = path, .read = opts->read, .stats = opts->stats};
	p.read.keep_going = false;
	p.read.progress = NULL;
	p.read.range_offset = pp.offset;
	p.read.range_length = pp.length;
	bool empty = pp.length == 0;
	if (pp.preset) {
		p.read.origin = pp.origin;
		p.read.default_ttl = pp.ttl;
		p.stats.apex = pp.apex;
	}
	/* the counted owners' hashes go with the part: a merge can then prove an unsorted zone
	 * grouped across the parts */
	ssr_hashrun_t *runs = owner_runs_new(1);
	if (!runs) {
		return ssr_diag_set(diag, SSR_ENOMEM, "zone '%s': out of memory", path);
	}
	p.stats.owner_runs = runs;
	p.stats.part = 0;
	if (empty) {
		p.rc = ssr_zone_stats_new(&p.stats, &p.st);
		if (p.rc == SSR_EOK) {
			p.rc = ssr_zone_stats_finish(p.st);
		}
	} else {
		part_run(&p);
	}
	if (p.rc != SSR_EOK) {
		rc = p.rc;
		if (p.diag.code != SSR_EOK) {
			*diag = p.diag;
		} else {
			ssr_diag_set(diag, rc, "zone '%s': %s", path, ssr_strerror(rc));
		}
	} else {
		if (empty) { /* an empty part ends where it started */
			p.rs.end_origin_len = pp.origin_wire_len;
			memcpy(p.rs.end_origin, pp.origin_wire, pp.origin_wire_len);
			p.rs.end_ttl = pp.ttl;
		}
		ssr_state_put_u8(b, PART_STATS);
		put_read(b, &p.rs);
		put_rstate(b, p.rs.end_origin, p.rs.end_origin_len, p.rs.end_ttl);
		put_rstate(b, pp.origin_wire, pp.origin_wire_len, pp.ttl);
		rc = ssr_zone_stats_save(p.st, b);
		if (rc != SSR_EOK) {
			ssr_diag_set(diag, rc, "zone '%s': %s", path, ssr_strerror(rc));
		}
		bool repeats = false;
		if (rc == SSR_EOK) {
			rc = ssr_state_put_hashes(b, runs, &repeats, diag);
		}
		ssr_state_put_u8(b, repeats);
	}
	ssr_zone_stats_free(p.st);
	ssr_hashrun_free(runs);
	return rc;
}

bool ssr_zone_splittable(const char *path, uint64_t *size)
{
	struct stat sb;
	if (strcmp(path, "-") == 0 || stat(path, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		return false;
	}
	*size = (uint64_t)sb.st_size;
	ssr_input_t *in;
	if (ssr_input_open(path, &in, NULL) != SSR_EOK) {
		return false;
	}
	bool plain = ssr_input_kind(in) == SSR_INPUT_PLAIN;
	ssr_input_free(in);
	return plain;
}

int ssr_zone_stats_part(const char *path, const ssr_zone_analyze_opts_t *opts, uint32_t k,
                        uint32_t parts, uint64_t cut_size, ssr_state_buf_t *b, ssr_diag_t *diag)
{
	if (parts > 1 || cut_size > 0) {
		return shard_part(path, opts, k, parts, cut_size, b, diag);
	}
	json_t *r = NULL;
	int rc = ssr_zone_stats_analyze(path, opts, &r, diag);
	/* the report's own key order: the combined report is the single run's, key for key */
	char *text = rc == SSR_EOK ? json_dumps(r, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	if (rc == SSR_EOK && !text) {
		rc = ssr_diag_set(diag, SSR_ENOMEM, "zone stats: out of memory");
	}
	if (rc == SSR_EOK) {
		ssr_state_put_u8(b, PART_REPORT);
		ssr_state_put_str(b, text);
	}
	free(text);
	json_decref(r);
	return rc;
}

typedef struct {
	const char *const *paths;
	const ssr_zone_analyze_opts_t *opts;
	uint64_t size;
	ssr_diag_t *diag;
} zshard_t;

/* One part of a shard: a byte range's statistics, or a whole file's report. */
static int zone_part(ssr_state_buf_t *b, uint32_t input, uint32_t k, uint32_t parts, void *ctx)
{
	zshard_t *z = ctx;
	return ssr_zone_stats_part(z->paths[input], z->opts, k, parts, z->size, b, z->diag);
}

int ssr_zone_stats_shard(const char *const *paths, size_t n, const ssr_zone_analyze_opts_t *opts,
                         uint32_t shard, uint32_t shards, ssr_state_buf_t *b, ssr_diag_t *diag)
{
	if (opts->stats.owner_index || opts->read.keep_going) {
		return ssr_diag_set(diag, SSR_EINVAL,
		                    "zone stats: --shard cannot be combined with %s",
		                    opts->stats.owner_index ? "--owner-index" : "--keep-going");
	}
	zshard_t z = {.paths = paths, .opts = opts, .diag = diag};
	bool cut = n == 1 && ssr_zone_splittable(paths[0], &z.size);
	return ssr_state_shard_work(b, paths, n, cut, shard, shards, zone_part, &z, diag);
}

/* One file's part as read back from a state. */
typedef struct {
	uint32_t file, k, n;
	int mode;
	json_t *report;
	ssr_zone_stats_t *st;
	ssr_zone_read_stats_t rs;
	rstate_t end, start;
	uint32_t shard;
	ssr_state_rd_t owners; /* the counted owners' hashes (ssr_state_get_hashes) */
	bool repeats;          /* an owner counted twice inside the part */
} rpart_t;

static int skip_hash(uint64_t v, void *ctx)
{
	(void)v;
	(void)ctx;
	return SSR_EOK;
}

static int add_owner(uint64_t v, void *ctx)
{
	return ssr_hashrun_add(ctx, 0, v);
}

/* A file's parts out of order after their merge: grouped when no part counted an owner twice
 * and no owner is in two parts. */
static bool parts_grouped(rpart_t *v, size_t m)
{
	ssr_hashrun_t *runs = owner_runs_new(1);
	bool repeats = runs == NULL;
	for (size_t k = 0; k < m && !repeats; k++) {
		ssr_state_rd_t r = v[k].owners;
		repeats =
		    v[k].repeats || ssr_state_get_hashes(&r, add_owner, runs) != SSR_EOK || r.bad;
	}
	ssr_diag_t d;
	if (!repeats && ssr_hashrun_each(runs, NULL, NULL, &repeats, &d) != SSR_EOK) {
		repeats = true;
	}
	ssr_hashrun_free(runs);
	return !repeats;
}

static int read_parts(const ssr_state_part_t *pp, size_t n, const ssr_zone_analyze_opts_t *opts,
                      rpart_t **out, size_t *nout, ssr_diag_t *diag)
{
	*out = NULL;
	*nout = 0;
	int rc = SSR_EOK;
	rpart_t *v = calloc(n ? n : 1, sizeof *v);
	if (rc == SSR_EOK && !v) {
		rc = ssr_diag_set(diag, SSR_ENOMEM, "merge: out of memory");
	}
	for (size_t i = 0; i < n && rc == SSR_EOK; i++) {
		rpart_t *p = &v[i];
		p->shard = pp[i].shard;
		p->file = pp[i].input;
		p->k = pp[i].k;
		p->n = pp[i].n;
		ssr_state_rd_t r = {
		    .p = pp[i].data, .n = pp[i].len, .base = pp[i].offset, .file = pp[i].file};
		p->mode = ssr_state_get_u8(&r);
		if (p->mode == PART_REPORT) {
			uint32_t l = ssr_state_get_u32(&r);
			const uint8_t *t = ssr_state_get_bytes(&r, l);
			json_error_t je;
			p->report = t ? json_loadb((const char *)t, l, 0, &je) : NULL;
			if (!r.bad && !json_is_object(p->report)) {
				ssr_state_rd_fail(&r, "a report that is not a JSON object");
			}
		} else if (p->mode == PART_STATS) {
			get_read(&r, &p->rs);
			get_rstate(&r, &p->end);
			get_rstate(&r, &p->start);
			if (!r.bad) {
				int lr = ssr_zone_stats_load(&r, &opts->stats, &p->st);
				if (lr != SSR_EOK && !r.bad) {
					rc = ssr_diag_set(diag, lr, "state '%s': %s", pp[i].file,
					                  ssr_strerror(lr));
				}
			}
			/* the owners' hashes: checked here, walked again if the zone is unsorted */
			p->owners = r;
			if (rc == SSR_EOK && !r.bad) {
				rc = ssr_state_get_hashes(&r, skip_hash, NULL);
				p->repeats = ssr_state_get_u8(&r) != 0;
			}
		} else {
			ssr_state_rd_fail(&r, "an unknown part kind");
		}
		if (rc == SSR_EOK) {
			rc = ssr_state_rd_done(&r, diag);
		}
	}
	*out = v;
	*nout = v ? n : 0;
	return rc;
}

static void free_parts(rpart_t *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		json_decref(v[i].report);
		ssr_zone_stats_free(v[i].st);
	}
	free(v);
}

/* The report of one file from its parts v[0..m) (sorted, of that file). */
static int combine_file(const char *path, rpart_t *v, size_t m, json_t **out, ssr_diag_t *diag)
{
	if (m != v[0].n) {
		return ssr_diag_set(diag, SSR_EINVAL,
		                    "zone '%s': %zu of its %u parts in the states", path, m,
		                    v[0].n);
	}
	for (size_t k = 0; k < m; k++) {
		if (v[k].k != k || v[k].n != v[0].n || v[k].mode != v[0].mode) {
			return ssr_diag_set(diag, SSR_EINVAL, "zone '%s': its parts do not fit",
			                    path);
		}
	}
	if (v[0].mode == PART_REPORT) {
		*out = json_incref(v[0].report);
		return SSR_EOK;
	}
	ssr_zone_read_stats_t sum = v[0].rs;
	for (size_t k = 0; k + 1 < m; k++) {
		/* the next part assumed this part's end state */
		if (v[k].end.len != v[k + 1].start.len || v[k].end.ttl != v[k + 1].start.ttl ||
		    memcmp(v[k].end.origin, v[k + 1].start.origin, v[k].end.len) != 0) {
			return ssr_diag_set(
			    diag, SSR_EINVAL,
			    "zone '%s': shard %u began with another $ORIGIN or $TTL "
			    "than shard %u ended with (they change inside the file): "
			    "give it fewer shards or read it whole",
			    path, v[k + 1].shard + 1, v[k].shard + 1);
		}
	}
	int rc = SSR_EOK;
	for (size_t k = 1; k < m && rc == SSR_EOK; k++) {
		rc = ssr_zone_stats_merge(v[0].st, v[k].st);
		add_read(&sum, &v[k].rs);
	}
	if (rc != SSR_EOK) {
		return ssr_diag_set(diag, rc, "zone '%s': %s", path, ssr_strerror(rc));
	}
	if (!ssr_zone_stats_ordered(v[0].st) && parts_grouped(v, m)) {
		ssr_zone_stats_grouped(v[0].st); /* out of order, but each owner in one run */
	}
	if (!ssr_zone_stats_ordered(v[0].st)) {
		return ssr_diag_set(
		    diag, SSR_EINVAL,
		    "zone '%s': an owner's records are in two places of the file, so it "
		    "cannot be counted in parts: run 'zone stats' on it whole",
		    path);
	}
	json_t *z = NULL;
	rc = ssr_zone_stats_to_json(v[0].st, &sum, &z);
	if (rc != SSR_EOK) {
		return ssr_diag_set(diag, rc, "zone '%s': %s", path, ssr_strerror(rc));
	}
	json_object_set_new(z, "file", json_string(path));
	json_object_set_new(z, "lines", u64(sum.lines));
	json_object_set_new(z, "fast_path_records", u64(sum.fast_records));
	*out = z;
	return SSR_EOK;
}

int ssr_zone_stats_combine_parts(const ssr_state_part_t *parts, size_t nparts,
                                 const ssr_state_head_t *head, const ssr_zone_analyze_opts_t *opts,
                                 json_t **zones, ssr_diag_t *diag)
{
	*zones = NULL;
	rpart_t *v = NULL;
	size_t n = 0;
	int rc = read_parts(parts, nparts, opts, &v, &n, diag);
	json_t *arr = rc == SSR_EOK ? json_array() : NULL;
	if (rc == SSR_EOK && !arr) {
		rc = ssr_diag_set(diag, SSR_ENOMEM, "merge: out of memory");
	}
	size_t at = 0;
	for (uint32_t f = 0; f < head->ninputs && rc == SSR_EOK; f++) {
		size_t m = 0;
		while (at + m < n && v[at + m].file == f) {
			m++;
		}
		if (m == 0) {
			rc = ssr_diag_set(diag, SSR_EINVAL, "zone '%s': in no shard of the states",
			                  head->input_path[f]);
			break;
		}
		json_t *z = NULL;
		rc = combine_file(head->input_path[f], v + at, m, &z, diag);
		if (rc == SSR_EOK) {
			json_array_append_new(arr, z);
		}
		at += m;
	}
	free_parts(v, n);
	if (rc != SSR_EOK) {
		json_decref(arr);
		return rc;
	}
	*zones = arr;
	return SSR_EOK;
}

int ssr_zone_stats_combine(const ssr_state_set_t *set, const ssr_zone_analyze_opts_t *opts,
                           json_t **zones, ssr_diag_t *diag)
{
	*zones = NULL;
	ssr_state_part_t *pp = NULL;
	size_t n = 0;
	int rc = ssr_state_complete(set, diag);
	if (rc == SSR_EOK) {
		rc = ssr_state_parts(set, &pp, &n, diag);
	}
	if (rc == SSR_EOK) {
		rc = ssr_zone_stats_combine_parts(pp, n, &set->head, opts, zones, diag);
	}
	free(pp);
	return rc;
}

int ssr_zone_stats_state_head(const char *const *paths, size_t n,
                              const ssr_zone_analyze_opts_t *opts, const char *extra,
                              uint32_t shards, const char *date, ssr_state_head_t *h,
                              ssr_diag_t *diag)
{
	/* what changes the figures (not threads, progress or the error printing) */
	char o[1024];
	int l = snprintf(o, sizeof o, "engine=%s;top=%u;origin=%s;include=%s;%s",
	                 opts->read.engine == SSR_ZONE_ENGINE_ZSCANNER ? "zscanner" : "auto",
	                 opts->stats.top_n ? opts->stats.top_n : SSR_ZONE_TOP_HOSTERS,
	                 opts->read.origin ? opts->read.origin : ".",
	                 opts->read.no_include ? "no" : "yes", extra ? extra : "");
	if (l < 0 || (size_t)l >= sizeof o) {
		return ssr_diag_set(diag, SSR_ELIMIT, "zone stats: options too long for a state");
	}
	return ssr_state_head_init(h, SSR_ZONE_STATE_KIND, SSR_ZONE_STATE_VERSION, o, date, shards,
	                           paths, n, "zone", diag);
}
