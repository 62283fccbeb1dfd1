/* ssrwatch traffic stats | merge | collisions | trust-anchors */
#include <errno.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "ssrwatch/report.h"
#include "ssrwatch/state.h"
#include "ssrwatch/traffic.h"

#define DECODER_HELP                                                                               \
	"  --ports LIST        DNS ports, comma-separated (default 53)\n"                          \
	"  --threads N         decoding threads (default: the CPUs; one reader hands every "       \
	"packet\n"                                                                                 \
	"                      to them, each decodes its share of the flows; the same output)\n"   \
	"  --verify-checksums  count and drop packets with bad IPv4, UDP or TCP checksums\n"       \
	"                      (default: not checked, as tshark; captures taken on the server\n"   \
	"                      often carry offloaded, unfilled checksums)\n"                       \
	"  --reassembly-memory MIB  memory for IP fragments and TCP streams held (default 128)\n"  \
	"  --reassembly-timeout S   seconds an idle datagram or stream is kept (default 30)\n"     \
	"  --shard I/N         only shard I of N of the flows (every capture is read; a flow's\n"  \
	"                      packets, both ways, go to one shard), saved with --save-state\n"    \
	"                      as a shard state for 'ssrwatch merge' (no report)\n"

static const char traffic_help[] =
    "usage: ssrwatch traffic stats [options] FILE...\n"
    "       ssrwatch traffic merge [options] STATE...  (--help)\n"
    "       ssrwatch traffic collisions --root-zone FILE [options] FILE...  (--help)\n"
    "       ssrwatch traffic trust-anchors [options] FILE...  (--help)\n"
    "\n"
    "RSSAC002 v3 metrics from packet captures (pcap or pcapng; plain, gzip, zstd; '-' stdin):\n"
    "traffic-volume (queries and responses by UDP/TCP x IPv4/IPv6), traffic-sizes (16-byte\n"
    "bins of the DNS message), rcode-volume (responses), unique-sources (IPv4, IPv6, IPv6 /64;\n"
    "exact, or estimated with --approx); in JSON also privacy signals (QNAME minimisation,\n"
    "client subnet and its prefix lengths, cookies, padding; packets on ports 853 and 443)\n"
    "and reassembly counts.  IP fragments and DNS over TCP streams are reassembled.  The\n"
    "files are read as one stream of packets.  Malformed packets are counted by reason, never\n"
    "fatal.\n"
    "\n"
    "options:\n"
    "  --format F          yaml (RSSAC002 documents, default) or json\n"
    "  --server NAME       the service named in the YAML (default a.root-servers.net)\n"
    "  --interval I        day (default) or hour\n"
    "  --zone-depth N      labels of the zone served, for QNAME minimisation (0 root, 1 TLD)\n"
    "  --approx            unique sources by HyperLogLog (2^14 registers, standard error\n"
    "                      0.81%; constant memory) instead of exact sets\n"
    "  --save-state FILE   also save the state for 'traffic merge'\n"
    "  --out DIR           YAML files, one per metric per day: "
    "DIR/a-root-20261123-traffic-volume.yaml\n"
    "  --output FILE       write to FILE instead of standard output\n" DECODER_HELP;

/* What every traffic command takes: the decoder's settings, the outputs, the arguments. */
typedef struct {
	ssr_decoder_t dec;
	uint64_t reasm_mib; /* 0: the decoder's default */
	const char *format, *server, *output, *outdir, *save, *root;
	const char *shard, *shard_state; /* --shard I/N; the state file it is saved to */
	char part[4200];                 /* the engine's own state before it is wrapped */
	unsigned interval;
	uint64_t depth, top;
	bool approx;
	unsigned threads; /* decoding workers; 0: the CPUs */
	int nargs;        /* the arguments: argv[1..nargs] */
} topts_t;

/* "53,5353" into the decoder's port list. */
static int opt_ports(const char *arg, void *member, ssr_diag_t *diag)
{
	uint16_t *ports = member;
	size_t n = 0;
	for (const char *p = arg; *p && n < 7;) {
		uint64_t v;
		char num[8];
		size_t l = strcspn(p, ",");
		snprintf(num, sizeof num, "%.*s", (int)(l < 7 ? l : 7), p);
		if (l == 0 || l > 5 || cli_parse_u64(num, &v) != 0 || v == 0 || v > 65535) {
			return ssr_diag_set(diag, SSR_EINVAL, "bad port list '%s'", arg);
		}
		ports[n++] = (uint16_t)v;
		p += l + (p[l] == ',');
	}
	ports[n] = 0;
	return SSR_EOK;
}

static int opt_rssac_format(const char *v, void *member, ssr_diag_t *diag)
{
	if (strcmp(v, "yaml") != 0 && strcmp(v, "json") != 0) {
		return ssr_diag_set(diag, SSR_EINVAL, "bad format '%s' (yaml or json)", v);
	}
	*(const char **)member = v;
	return SSR_EOK;
}

static int opt_interval(const char *v, void *member, ssr_diag_t *diag)
{
	if (strcmp(v, "day") != 0 && strcmp(v, "hour") != 0) {
		return ssr_diag_set(diag, SSR_EINVAL, "bad interval '%s' (day or hour)", v);
	}
	*(unsigned *)member = strcmp(v, "day") == 0 ? 86400 : 3600;
	return SSR_EOK;
}

static int opt_collisions_format(const char *v, void *member, ssr_diag_t *diag)
{
	if (strcmp(v, "json") != 0 && strcmp(v, "csv") != 0 && strcmp(v, "html") != 0) {
		return ssr_diag_set(diag, SSR_EINVAL, "bad format '%s' (json, csv, html)", v);
	}
	*(const char **)member = v;
	return SSR_EOK;
}

#define DECODER_OPTS                                                                               \
	SSR_OPT_FN("ports", topts_t, dec.ports, opt_ports),                                        \
	    SSR_OPT_FLAG("verify-checksums", topts_t, dec.verify_checksums),                       \
	    SSR_OPT_U64("reassembly-memory", topts_t, reasm_mib, 1, 1048576),                      \
	    SSR_OPT_UINT("reassembly-timeout", topts_t, dec.reasm_timeout, 1, 86400),              \
	    SSR_OPT_UINT("threads", topts_t, threads, 1, SSR_CAPTURE_MAX_WORKERS),                 \
	    SSR_OPT_STR("shard", topts_t, shard), SSR_OPT_HELP
#define RSSAC_OPTS                                                                                 \
	SSR_OPT_STR("server", topts_t, server),                                                    \
	    SSR_OPT_FN("interval", topts_t, interval, opt_interval),                               \
	    SSR_OPT_STR("output", topts_t, output),                                                \
	    SSR_OPT_U64("zone-depth", topts_t, depth, 0, 126),                                     \
	    SSR_OPT_STR("out", topts_t, outdir), SSR_OPT_STR("save-state", topts_t, save),         \
	    SSR_OPT_FLAG("approx", topts_t, approx)

static const ssr_opt_t stats_opts[] = {
    DECODER_OPTS,
    RSSAC_OPTS,
    SSR_OPT_FN("format", topts_t, format, opt_rssac_format),
};
static const ssr_opt_t collisions_opts[] = {
    DECODER_OPTS,
    SSR_OPT_STR("root-zone", topts_t, root),
    SSR_OPT_STR("save-state", topts_t, save),
    SSR_OPT_U64("top", topts_t, top, 0, 1000000),
    SSR_OPT_FN("format", topts_t, format, opt_collisions_format),
    SSR_OPT_STR("output", topts_t, output),
};
static const ssr_opt_t anchors_opts[] = {
    DECODER_OPTS,
    SSR_OPT_STR("output", topts_t, output),
    SSR_OPT_STR("save-state", topts_t, save),
};
static const ssr_opt_t merge_opts[] = {
    RSSAC_OPTS, SSR_OPT_HELP, SSR_OPT_U64("top", topts_t, top, 0, 1000000),
    SSR_OPT_STR("format", topts_t, format), /* checked once the kind of state is known */
};

/* The command's options: CLI_OK, or the exit status (help printed, usage error). */
static int topts(const char *cmd, const ssr_opt_t *t, size_t n, int argc, char **argv,
                 const char *help, topts_t *o)
{
	ssr_decoder_init(&o->dec);
	o->server = "a.root-servers.net";
	o->interval = 86400;
	o->top = 50;
	int rc = cli_opts(cmd, t, n, o, argc, argv, &o->nargs, help);
	if (rc != CLI_OK) {
		return CLI_EXIT(rc) == CLI_OK ? -1 : rc;
	}
	if (o->reasm_mib > 0) {
		o->dec.reasm_max_bytes = (size_t)o->reasm_mib << 20;
	}
	return CLI_OK;
}

/* --shard I/N: the decoder keeps this shard's flows; the engine's own state goes to a part
 * file that shard_end wraps into the shard state.  CLI_OK, or a usage error. */
static int shard_begin(const char *cmd, topts_t *o)
{
	if (!o->shard) {
		return CLI_OK;
	}
	if (ssr_state_shard_parse(o->shard, &o->dec.shard, &o->dec.shards) != SSR_EOK) {
		return cli_usage_error(cmd, "bad --shard '%s' (I/N, 1 <= I <= N)", o->shard);
	}
	if (!o->save) {
		return cli_usage_error(cmd, "--shard needs --save-state FILE");
	}
	o->shard_state = o->save;
	snprintf(o->part, sizeof o->part, "%s.part", o->save);
	o->save = o->part;
	o->output = "/dev/null"; /* the report is the merge's */
	o->outdir = NULL;
	return CLI_OK;
}

static int shard_end(const char *cmd, int kind, topts_t *o, char **argv, int rc)
{
	if (!o->shard) {
		return rc;
	}
	if (rc == CLI_OK) {
		ssr_diag_t d = {0};
		ssr_state_head_t h;
		if (ssr_traffic_state_head(kind, &o->dec, o->interval, (unsigned)o->depth,
		                           o->approx, o->root, (const char *const *)argv + 1,
		                           (size_t)o->nargs, o->dec.shards, &h, &d) != SSR_EOK ||
		    ssr_state_wrap_file(o->shard_state, &h, o->dec.shard, o->part, &d) != SSR_EOK) {
			cli_error("%s: %s", cmd, d.msg);
			rc = CLI_FAIL;
		}
		ssr_state_head_release(&h);
	}
	unlink(o->part);
	return rc;
}

/* A traffic engine as the workers need it: a fresh state like the command's, its callback, and
 * its state saved to a file and merged from one (the shards' exact merge). */
typedef struct {
	void *(*make)(const topts_t *o);
	ssr_dns_pkt_fn add;
	int (*save)(void *e, const ssr_decoder_t *d, const char *path, ssr_diag_t *diag);
	int (*merge)(void *into, ssr_decoder_t *d, const char *path, ssr_diag_t *diag);
	void (*drop)(void *e);
} engine_t;

/* The decoding workers: one reader, each worker a shard of the flows (within this process's
 * own shard: worker k of W of shard i of N is shard i + k N of N W), their states merged into
 * ctx and o->dec through files, exactly as shards merge. */
static int read_parallel(const char *cmd, topts_t *o, char **argv, unsigned nw, const engine_t *eng,
                         void *ctx)
{
	ssr_decoder_t *dec = calloc(nw, sizeof *dec);
	void **st = calloc(nw, sizeof *st);
	ssr_capture_worker_t *w = calloc(nw, sizeof *w);
	ssr_diag_t d = {0};
	int rc = dec && st && w ? CLI_OK : CLI_FAIL;
	uint32_t base = o->dec.shards > 1 ? o->dec.shard : 0,
	         n = o->dec.shards > 1 ? o->dec.shards : 1;
	for (unsigned k = 0; rc == CLI_OK && k < nw; k++) {
		dec[k] = o->dec;
		dec[k].reasm = NULL;
		dec[k].reasm_max_bytes = o->dec.reasm_max_bytes / nw; /* the same memory in all */
		dec[k].shard = base + k * n;
		dec[k].shards = n * nw;
		if ((st[k] = eng->make(o)) == NULL) {
			rc = CLI_FAIL;
		}
		w[k] = (ssr_capture_worker_t){&dec[k], eng->add, st[k]};
	}
	if (rc == CLI_OK &&
	    ssr_capture_read_workers((const char *const *)argv + 1, (size_t)o->nargs, w, nw,
	                             &cli_log, &d) != SSR_EOK) {
		rc = CLI_FAIL;
	}
	char tmp[512];
	const char *t = getenv("TMPDIR");
	for (unsigned k = 0; rc == CLI_OK && k < nw; k++) {
		snprintf(tmp, sizeof tmp, "%s/ssrwatch-traffic-%ld-%u.state", t && *t ? t : "/tmp",
		         (long)getpid(), k);
		if (eng->save(st[k], &dec[k], tmp, &d) != SSR_EOK ||
		    eng->merge(ctx, &o->dec, tmp, &d) != SSR_EOK) {
			rc = CLI_FAIL;
		}
		unlink(tmp);
	}
	if (rc != CLI_OK) {
		cli_error("%s: %s", cmd, d.msg[0] ? d.msg : "out of memory");
	}
	for (unsigned k = 0; dec && st && k < nw; k++) {
		ssr_decoder_release(&dec[k]);
		if (st[k]) {
			eng->drop(st[k]);
		}
	}
	free(dec);
	free(st);
	free(w);
	return rc;
}

/* Every capture argument through the decoder into the engine's ctx, as one stream of packets (a
 * TCP stream or a fragmented datagram may go on in the next file); a truncated one is a
 * warning.  With more than one thread, read once and decoded by workers (read_parallel). */
static int read_captures(const char *cmd, topts_t *o, char **argv, const engine_t *eng, void *ctx)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned nw = o->threads ? o->threads : cpus > 1 ? (unsigned)cpus : 1;
	if (nw > SSR_CAPTURE_MAX_WORKERS) {
		nw = SSR_CAPTURE_MAX_WORKERS;
	}
	if (nw > 1) {
		return read_parallel(cmd, o, argv, nw, eng, ctx);
	}
	ssr_decoder_t *dec = &o->dec;
	for (int i = 1; i <= o->nargs; i++) {
		ssr_diag_t d = {0};
		ssr_capture_stats_t st = {0};
		int e = ssr_capture_read(argv[i], dec, eng->add, ctx, &st, &d);
		if (e == SSR_ECORRUPT) {
			ssr_log(&cli_log, SSR_LOG_WARNING, "traffic",
			        "%s (the packets before are counted)", d.msg);
		} else if (e != SSR_EOK) {
			cli_error("%s: %s", cmd, d.msg);
			ssr_decoder_release(dec);
			return CLI_FAIL;
		}
	}
	/* streams and datagrams still held: what follows a gap is delivered, the rest counted */
	ssr_decoder_finish(dec, eng->add, ctx);
	return CLI_OK;
}

/* ---- the engines -------------------------------------------------------------------------- */

static void *rssac_make(const topts_t *o)
{
	ssr_rssac_t *r = NULL;
	if (ssr_rssac_new(o->interval, &r) != SSR_EOK) {
		return NULL;
	}
	ssr_rssac_set_depth(r, (unsigned)o->depth);
	ssr_rssac_set_approx(r, o->approx);
	return r;
}

static int rssac_save_e(void *e, const ssr_decoder_t *d, const char *path, ssr_diag_t *diag)
{
	return ssr_rssac_save(e, d, path, diag);
}

static int rssac_merge_e(void *into, ssr_decoder_t *d, const char *path, ssr_diag_t *diag)
{
	return ssr_rssac_merge(into, d, path, diag);
}

static void rssac_drop(void *e)
{
	ssr_rssac_free(e);
}

static const engine_t rssac_engine = {rssac_make, ssr_rssac_add, rssac_save_e, rssac_merge_e,
                                      rssac_drop};

static void *collisions_make(const topts_t *o)
{
	ssr_collisions_t *c = NULL;
	ssr_diag_t d;
	return ssr_collisions_new(o->root, &c, &d) == SSR_EOK ? c : NULL;
}

static int collisions_save_e(void *e, const ssr_decoder_t *d, const char *path, ssr_diag_t *diag)
{
	(void)d;
	return ssr_collisions_save(e, path, diag);
}

static int collisions_merge_e(void *into, ssr_decoder_t *d, const char *path, ssr_diag_t *diag)
{
	(void)d;
	return ssr_collisions_merge(into, path, diag);
}

static void collisions_drop(void *e)
{
	ssr_collisions_free(e);
}

static const engine_t collisions_engine = {collisions_make, ssr_collisions_add, collisions_save_e,
                                           collisions_merge_e, collisions_drop};

static void *anchors_make(const topts_t *o)
{
	(void)o;
	ssr_anchors_t *a = NULL;
	return ssr_anchors_new(&a) == SSR_EOK ? a : NULL;
}

static int anchors_save_e(void *e, const ssr_decoder_t *d, const char *path, ssr_diag_t *diag)
{
	(void)d;
	return ssr_anchors_save(e, path, diag);
}

static int anchors_merge_e(void *into, ssr_decoder_t *d, const char *path, ssr_diag_t *diag)
{
	(void)d;
	return ssr_anchors_merge(into, path, diag);
}

static void anchors_drop(void *e)
{
	ssr_anchors_free(e);
}

static const engine_t anchors_engine = {anchors_make, ssr_anchors_add, anchors_save_e,
                                        anchors_merge_e, anchors_drop};

/* What stats and merge write: the state (--save-state), YAML files (--out DIR), or YAML/JSON. */
static int rssac_write(const char *cmd, const ssr_rssac_t *r, const ssr_decoder_t *dec,
                       const topts_t *o)
{
	ssr_diag_t d = {0};
	if (o->save && ssr_rssac_save(r, dec, o->save, &d) != SSR_EOK) {
		cli_error("%s: %s", cmd, d.msg);
		return CLI_FAIL;
	}
	if (o->outdir) {
		if (mkdir(o->outdir, 0777) != 0 && errno != EEXIST) {
			cli_error("%s: cannot create '%s': %s", cmd, o->outdir, strerror(errno));
			return CLI_FAIL;
		}
		if (ssr_rssac_yaml_dir(r, o->server, o->outdir, &d) != SSR_EOK) {
			cli_error("%s: %s", cmd, d.msg);
			return CLI_FAIL;
		}
		return CLI_OK;
	}
	cli_out_t out;
	int rc = cli_out_open(cmd, o->output, &out);
	if (rc == CLI_OK) {
		int e;
		if (strcmp(o->format, "json") == 0) {
			json_t *j = ssr_rssac_json(r, dec);
			e = j ? ssr_json_write(j, out.f) : SSR_ENOMEM;
			json_decref(j);
		} else {
			e = ssr_rssac_yaml(r, o->server, out.f);
		}
		rc = cli_out_close(cmd, &out, e == SSR_EOK);
	}
	return rc;
}

static int traffic_stats(int argc, char **argv)
{
	static topts_t o;
	memset(&o, 0, sizeof(o));
	o.format = "yaml";
	int rc =
	    topts("traffic stats", stats_opts, CLI_NOPTS(stats_opts), argc, argv, traffic_help, &o);
	if (rc != CLI_OK) {
		return rc < 0 ? CLI_OK : rc;
	}
	if (o.nargs == 0) {
		return cli_usage_error("traffic stats", "no capture file given");
	}
	if ((rc = shard_begin("traffic stats", &o)) != CLI_OK) {
		return rc;
	}
	ssr_decoder_t *dec = &o.dec;
	ssr_rssac_t *r;
	if (ssr_rssac_new(o.interval, &r) != SSR_EOK) {
		cli_error("traffic stats: out of memory");
		return CLI_FAIL;
	}
	ssr_rssac_set_depth(r, (unsigned)o.depth);
	ssr_rssac_set_approx(r, o.approx);
	rc = read_captures("traffic stats", &o, argv, &rssac_engine, r);
	if (rc == CLI_OK) {
		rc = rssac_write("traffic stats", r, dec, &o);
	}
	ssr_rssac_free(r);
	return shard_end("traffic stats", SSR_STATE_RSSAC, &o, argv, rc);
}

static const char collisions_help[] =
    "usage: ssrwatch traffic collisions --root-zone FILE [options] CAPTURE...\n"
    "\n"
    "Name collisions (SSR2 Rec 28): queries whose TLD the given root zone does not delegate,\n"
    "per TLD: queries, distinct sources, distinct second-level labels and the top ones, query\n"
    "types, and whether the name is set aside (RFC 6761, 6762, 7686, 9476, ICANN's .internal\n"
    "and the .home/.corp/.mail collision set).\n"
    "\n"
    "options:\n"
    "  --root-zone FILE    the root zone (any zone file; its one-label NS owners are the TLDs)\n"
    "  --top N             TLDs listed (default 50; 0 all)\n"
    "  --format F          json (default), csv or html (ranked bar chart)\n"
    "  --save-state FILE   also save the state for 'traffic merge'\n" DECODER_HELP
    "  --output FILE       write to FILE instead of standard output\n";

/* The collisions (col) or trust-anchor (a) report as JSON, the collisions also as CSV or HTML;
 * the state first when save is set. */
static int report_write(const char *cmd, const ssr_collisions_t *col, const ssr_anchors_t *a,
                        const char *format, unsigned top, const char *output, const char *save)
{
	ssr_diag_t d = {0};
	int e = !save ? SSR_EOK
	        : col ? ssr_collisions_save(col, save, &d)
	              : ssr_anchors_save(a, save, &d);
	if (e != SSR_EOK) {
		cli_error("%s: %s", cmd, d.msg);
		return CLI_FAIL;
	}
	json_t *j = col ? ssr_collisions_json(col, top) : ssr_anchors_json(a);
	if (!j) {
		cli_error("%s: out of memory", cmd);
		return CLI_FAIL;
	}
	cli_out_t out;
	int rc = cli_out_open(cmd, output, &out);
	if (rc == CLI_OK) {
		e = col && strcmp(format, "csv") == 0    ? ssr_report_collisions_csv(j, out.f)
		    : col && strcmp(format, "html") == 0 ? ssr_report_collisions_html(j, out.f)
		                                         : ssr_json_write(j, out.f);
		rc = cli_out_close(cmd, &out, e == SSR_EOK);
	}
	json_decref(j);
	return rc;
}

static int traffic_collisions(int argc, char **argv)
{
	static topts_t o;
	memset(&o, 0, sizeof(o));
	o.format = "json";
	int rc = topts("traffic collisions", collisions_opts, CLI_NOPTS(collisions_opts), argc,
	               argv, collisions_help, &o);
	if (rc != CLI_OK) {
		return rc < 0 ? CLI_OK : rc;
	}
	if (!o.root || o.nargs == 0) {
		return cli_usage_error("traffic collisions",
		                       "--root-zone and a capture are required");
	}
	if ((rc = shard_begin("traffic collisions", &o)) != CLI_OK) {
		return rc;
	}
	const char *root = o.root;
	ssr_diag_t d = {0};
	ssr_collisions_t *col;
	if (ssr_collisions_new(root, &col, &d) != SSR_EOK) {
		cli_error("traffic collisions: %s", d.msg);
		return CLI_FAIL;
	}
	rc = read_captures("traffic collisions", &o, argv, &collisions_engine, col);
	if (rc == CLI_OK) {
		rc = report_write("traffic collisions", col, NULL, o.format, (unsigned)o.top,
		                  o.output, o.save);
	}
	ssr_collisions_free(col);
	return shard_end("traffic collisions", SSR_STATE_COLLISIONS, &o, argv, rc);
}

static const char anchors_help[] =
    "usage: ssrwatch traffic trust-anchors [options] CAPTURE...\n"
    "\n"
    "Trust anchor telemetry (SSR2 Rec 21, 27): RFC 8145 key tag queries (_ta-XXXX) and EDNS\n"
    "key tag options, RFC 8509 root-key-sentinel queries, the share of queries with the DO\n"
    "bit, and RFC 6975 DAU algorithm signals; per key tag the queries and the distinct\n"
    "resolvers (source addresses) signalling it.  JSON.\n"
    "\n"
    "options:\n" DECODER_HELP "  --save-state FILE   also save the state for 'traffic merge'\n"
    "  --output FILE       write to FILE instead of standard output\n";

static int traffic_anchors(int argc, char **argv)
{
	static topts_t o;
	memset(&o, 0, sizeof(o));
	int rc = topts("traffic trust-anchors", anchors_opts, CLI_NOPTS(anchors_opts), argc, argv,
	               anchors_help, &o);
	if (rc != CLI_OK) {
		return rc < 0 ? CLI_OK : rc;
	}
	if (o.nargs == 0) {
		return cli_usage_error("traffic trust-anchors", "no capture file given");
	}
	if ((rc = shard_begin("traffic trust-anchors", &o)) != CLI_OK) {
		return rc;
	}
	ssr_anchors_t *a;
	if (ssr_anchors_new(&a) != SSR_EOK) {
		cli_error("traffic trust-anchors: out of memory");
		return CLI_FAIL;
	}
	rc = read_captures("traffic trust-anchors", &o, argv, &anchors_engine, a);
	if (rc == CLI_OK) {
		rc = report_write("traffic trust-anchors", NULL, a, "json", 0, o.output, o.save);
	}
	ssr_anchors_free(a);
	return shard_end("traffic trust-anchors", SSR_STATE_ANCHORS, &o, argv, rc);
}

static const char merge_help[] =
    "usage: ssrwatch traffic merge [options] STATE...\n"
    "\n"
    "Combine states saved with --save-state by 'traffic stats', 'traffic collisions' or\n"
    "'traffic trust-anchors' (per hour, per capture file, per server; all of one kind) into\n"
    "one result, exactly: counters add, source and label sets unite (with --approx, sketches\n"
    "take register maxima; exact states may merge into sketches).  Hourly states merge into\n"
    "days.  Output as the command that saved them; --save-state writes the merged state.\n"
    "\n"
    "options:\n"
    "  --format F          stats: yaml (default) or json; collisions: json (default), csv,\n"
    "                      html; trust-anchors: json\n"
    "  --top N             collisions: TLDs listed (default 50; 0 all)\n"
    "  --server NAME       the service named in the YAML (default a.root-servers.net)\n"
    "  --interval I        day (default) or hour\n"
    "  --zone-depth N      the depth the states were made with (default 0)\n"
    "  --approx            merge into HyperLogLog sketches (needed for approximate states)\n"
    "  --out DIR           YAML files, one per metric per day\n"
    "  --save-state FILE   the merged state\n"
    "  --output FILE       write to FILE instead of standard output\n";

/* traffic merge of collisions or trust-anchors states */
static int merge_other(int kind, char **argv, const char *format, unsigned top, const topts_t *o)
{
	ssr_diag_t d = {0};
	ssr_collisions_t *col = NULL;
	ssr_anchors_t *a = NULL;
	int rc =
	    kind == SSR_STATE_COLLISIONS ? ssr_collisions_new(NULL, &col, &d) : ssr_anchors_new(&a);
	if (rc != SSR_EOK) {
		cli_error("traffic merge: out of memory");
		return CLI_FAIL;
	}
	for (int i = 1; i <= o->nargs && rc == SSR_EOK; i++) {
		rc = col ? ssr_collisions_merge(col, argv[i], &d)
		         : ssr_anchors_merge(a, argv[i], &d);
	}
	if (rc != SSR_EOK) {
		cli_error("traffic merge: %s", d.msg); /* nothing is written from a partial merge */
		rc = CLI_FAIL;
	} else {
		rc = report_write("traffic merge", col, a, format, top, o->output, o->save);
	}
	ssr_collisions_free(col);
	ssr_anchors_free(a);
	return rc;
}

static int traffic_merge(int argc, char **argv)
{
	static topts_t o;
	memset(&o, 0, sizeof(o));
	int rc =
	    topts("traffic merge", merge_opts, CLI_NOPTS(merge_opts), argc, argv, merge_help, &o);
	if (rc != CLI_OK) {
		return rc < 0 ? CLI_OK : rc;
	}
	if (o.nargs == 0) {
		return cli_usage_error("traffic merge", "no state file given");
	}
	const char *format = o.format;
	uint64_t top = o.top;
	o.format = "yaml";
	ssr_diag_t kd = {0};
	int kind = ssr_traffic_state_kind(argv[1], &kd);
	if (kind < 0) {
		cli_error("traffic merge: %s", kd.msg);
		return CLI_FAIL;
	}
	static const char *const formats[4][4] = {
	    {0}, {"yaml", "json"}, {"json", "csv", "html"}, {"json"}};
	bool known = format == NULL;
	for (int i = 0; i < 4 && format && formats[kind][i]; i++) {
		known = known || strcmp(format, formats[kind][i]) == 0;
	}
	if (!known) {
		return cli_usage_error("traffic merge", "bad format '%s' for these states", format);
	}
	if (kind != SSR_STATE_RSSAC) {
		return merge_other(kind, argv, format ? format : "json", (unsigned)top, &o);
	}
	o.format = format ? format : o.format;
	ssr_rssac_t *r;
	if (ssr_rssac_new(o.interval, &r) != SSR_EOK) {
		cli_error("traffic merge: out of memory");
		return CLI_FAIL;
	}
	ssr_rssac_set_depth(r, (unsigned)o.depth);
	ssr_rssac_set_approx(r, o.approx);
	ssr_decoder_t dec;
	ssr_decoder_init(&dec);
	for (int i = 1; i <= o.nargs && rc == CLI_OK; i++) {
		ssr_diag_t d = {0};
		if (ssr_rssac_merge(r, &dec, argv[i], &d) != SSR_EOK) {
			cli_error("traffic merge: %s", d.msg);
			rc = CLI_FAIL; /* nothing is written from a partial merge */
		}
	}
	if (rc == CLI_OK) {
		rc = rssac_write("traffic merge", r, &dec, &o);
	}
	ssr_rssac_free(r);
	return rc;
}

int cmd_traffic_merge(int argc, char **argv)
{
	return traffic_merge(argc, argv);
}

int cmd_traffic(int argc, char **argv)
{
	if (argc < 2 || cli_is_help(argc, argv)) {
		fputs(traffic_help, argc < 2 ? stderr : stdout);
		return argc < 2 ? CLI_USAGE : CLI_OK;
	}
	if (strcmp(argv[1], "stats") == 0) {
		return traffic_stats(argc - 1, argv + 1);
	}
	if (strcmp(argv[1], "collisions") == 0) {
		return traffic_collisions(argc - 1, argv + 1);
	}
	if (strcmp(argv[1], "trust-anchors") == 0) {
		return traffic_anchors(argc - 1, argv + 1);
	}
	if (strcmp(argv[1], "merge") == 0) {
		return traffic_merge(argc - 1, argv + 1);
	}
	return cli_usage_error(
	    "traffic", "unknown command '%s' (stats, collisions, trust-anchors, merge)", argv[1]);
}
