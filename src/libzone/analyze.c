/* ssrwatch — zone statistics of one file, start to end: sequential or in parallel parts, with a
 * second pass through an owner index when the zone is not grouped by owner. */
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ssrwatch/dname.h"
#include "ssrwatch/input.h"
#include "ssrwatch/zonestats.h"

#define PARALLEL_AUTO_MIN (32ull << 20) /* automatic splitting from this size on */
#define PARALLEL_PART_MIN (1ull << 20)  /* no part smaller than this */
#define PARALLEL_MAX      16

static json_t *u64(uint64_t v)
{
	return json_integer((json_int_t)v);
}

static int one_pass(const char *path, const ssr_zone_analyze_opts_t *opts, bool index,
                    ssr_zone_stats_t **out, ssr_zone_read_stats_t *rs, ssr_diag_t *diag)
{
	ssr_zone_stats_opts_t so = opts->stats;
	so.owner_index = index;
	ssr_zone_stats_t *st;
	int rc = ssr_zone_stats_new(&so, &st);
	if (rc != SSR_EOK) {
		return ssr_diag_set(diag, rc, "zone '%s': %s", path, ssr_strerror(rc));
	}
	rc = ssr_zone_read(path, &opts->read, ssr_zone_stats_add, st, rs, diag);
	if (rc == SSR_EOK) {
		rc = ssr_zone_stats_finish(st);
	}
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
	for (unsigned i = 0; i < n; i++) {
		p[i].path = path;
		p[i].read = opts->read;
		p[i].read.keep_going = false; /* any error: sequential run, exact messages */
		p[i].read.range_offset = start[i];
		p[i].read.range_length = start[i + 1] - start[i];
		p[i].stats = opts->stats;
		p[i].stats.part = i;
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
			sum.bytes += p[i].rs.bytes;
			sum.raw_bytes += p[i].rs.raw_bytes;
			sum.records += p[i].rs.records;
			sum.fast_records += p[i].rs.fast_records;
			sum.lines += p[i].rs.lines;
			add_unvalidated(&sum, &p[i].rs);
		}
		*rs_out = sum;
		if (ok && ssr_zone_stats_ordered(p[0].st) &&
		    ssr_zone_stats_to_json(p[0].st, &sum, &z) == SSR_EOK) {
			json_object_set_new(z, "lines", u64(sum.lines));
			json_object_set_new(z, "fast_path_records", u64(sum.fast_records));
			json_object_set_new(z, "parts", u64(n));
		}
	}
	for (unsigned i = 0; i < n; i++) {
		ssr_zone_stats_free(p[i].st);
	}
	free(p);
	free(th);
	if (z == NULL) {
		ssr_log(opts->log, SSR_LOG_INFO, "zone",
		        "zone '%s': parallel parts did not fit together; reading it in one piece",
		        path);
		return SSR_EUNSUPPORTED;
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
	if (n > 1) {
		/* only plain files can be read in ranges */
		ssr_input_t *in;
		if (ssr_input_open(path, &in, NULL) != SSR_EOK) {
			return 1;
		}
		bool plain = ssr_input_kind(in) == SSR_INPUT_PLAIN;
		ssr_input_free(in);
		if (!plain) {
			return 1;
		}
	}
	return n;
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
		json_object_set_new(*out, "parts", u64(1));
	}
	ssr_zone_stats_free(st);
	return rc;
}
