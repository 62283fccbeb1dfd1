/* ssrwatch probe query | read */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ssrwatch/arena.h"
#include "ssrwatch/crypto.h"
#include "ssrwatch/probe.h"
#include "ssrwatch/report.h"

static const char probe_help[] =
    "usage: ssrwatch probe <query|read> [options]\n"
    "  query   ask a server one question and show the answer (dig-like; every exchange\n"
    "          can be recorded)\n"
    "  run     send every query of a query file (dnsperf's format), as fast as the server\n"
    "          answers with N in flight; a summary (outcomes, rcodes, rtt, rate)\n"
    "  read    show the exchanges of a record file (--record of query, run, regress, ...)\n";

static const char query_help[] =
    "usage: ssrwatch probe query --server ADDR[:PORT] [options] NAME [TYPE]\n"
    "\n"
    "Send one query, once (no retries), and show what came back.  Exit status 0 when an\n"
    "answer came (whatever its rcode), 1 when none did (timeout, refused, reset, malformed).\n"
    "\n"
    "options:\n"
    "  --server ADDR[:PORT]  the server (port 53 by default; [v6]:port)\n"
    "  --source ADDR         the source address\n"
    "  --type T, --class C   the question's type (A) and class (IN); a second argument is\n"
    "                        the type too\n"
    "  --tcp                 over TCP (default UDP)\n"
    "  --tls                 over TLS (DNS over TLS, RFC 7858; port 853 by default)\n"
    "  --tls-name NAME       the server's name: sent as SNI, checked with --tls-verify\n"
    "  --tls-verify          accept only a certificate that chains to a trusted CA and names\n"
    "                        --tls-name (default: any certificate, as opportunistic DoT)\n"
    "  --tls-ca FILE         trusted CAs (PEM; default the system's)\n"
    "  --rd --cd --ad --z    header bits (--z: the reserved bit)\n"
    "  --opcode N            the opcode (0 QUERY)\n"
    "  --id N                the query ID (default random)\n"
    "  --0x20                letters of the name in random case\n"
    "  --no-edns             no OPT record\n"
    "  --do                  DNSSEC OK\n"
    "  --edns-version N      EDNS version (0)\n"
    "  --edns-flags N        further EDNS flag bits (conformance probes)\n"
    "  --bufsize N           advertised UDP payload size (1232)\n"
    "  --nsid --cookie       the NSID and client cookie options\n"
    "  --padding N           pad the query to a multiple of N bytes\n"
    "  --option CODE:HEX     any EDNS option (repeatable; HEX may be empty)\n"
    "  --timeout-ms N        how long to wait (4000)\n"
    "  --record FILE         write the exchange into a record file (a new file)\n"
    "  --format F            text (default) or json\n";

static const char read_help[] = "usage: ssrwatch probe read [--format json|text] FILE\n"
                                "\n"
                                "Every exchange of a record file: JSON lines (default) or text.\n";

static const char *const formats[] = {"text", "json", NULL};

typedef struct {
	const char *server, *source, *record, *type_s, *class_s, *tls_name, *tls_ca;
	ssr_probe_query_t q;
	bool tcp, tls, tls_verify, no_edns;
	unsigned opcode, id, ednsver, ednsflags, bufsize, padding, timeout_ms;
	cli_list_t options;
	int format;
	int nargs;
} qopts_t;

static const ssr_opt_t query_opts[] = {
    SSR_OPT_STR("server", qopts_t, server),
    SSR_OPT_STR("source", qopts_t, source),
    SSR_OPT_STR("type", qopts_t, type_s),
    SSR_OPT_STR("class", qopts_t, class_s),
    SSR_OPT_FLAG("tcp", qopts_t, tcp),
    SSR_OPT_FLAG("tls", qopts_t, tls),
    SSR_OPT_STR("tls-name", qopts_t, tls_name),
    SSR_OPT_FLAG("tls-verify", qopts_t, tls_verify),
    SSR_OPT_STR("tls-ca", qopts_t, tls_ca),
    SSR_OPT_FLAG("rd", qopts_t, q.rd),
    SSR_OPT_FLAG("cd", qopts_t, q.cd),
    SSR_OPT_FLAG("ad", qopts_t, q.ad),
    SSR_OPT_FLAG("z", qopts_t, q.z),
    SSR_OPT_UINT("opcode", qopts_t, opcode, 0, 15),
    SSR_OPT_UINT("id", qopts_t, id, 1, 65535),
    SSR_OPT_FLAG("0x20", qopts_t, q.case_randomize),
    SSR_OPT_FLAG("no-edns", qopts_t, no_edns),
    SSR_OPT_FLAG("do", qopts_t, q.edns_do),
    SSR_OPT_UINT("edns-version", qopts_t, ednsver, 0, 255),
    SSR_OPT_UINT("edns-flags", qopts_t, ednsflags, 0, 65535),
    SSR_OPT_UINT("bufsize", qopts_t, bufsize, 0, 65535),
    SSR_OPT_FLAG("nsid", qopts_t, q.nsid),
    SSR_OPT_FLAG("cookie", qopts_t, q.cookie),
    SSR_OPT_UINT("padding", qopts_t, padding, 0, 512),
    SSR_OPT_FN("option", qopts_t, options, cli_opt_list),
    SSR_OPT_UINT("timeout-ms", qopts_t, timeout_ms, 1, 600000),
    SSR_OPT_STR("record", qopts_t, record),
    SSR_OPT_CHOICE("format", qopts_t, format, "format", formats),
    SSR_OPT_HELP,
};

/* "CODE:HEX" into an option whose data lives in buf (cap bytes). */
static int parse_option(const char *s, ssr_probe_opt_t *o, uint8_t *buf, size_t cap)
{
	char *end;
	unsigned long code = strtoul(s, &end, 10);
	if (*s < '0' || *s > '9' || *end != ':' || code > 65535) {
		return -1;
	}
	size_t n = 0;
	if (ssr_hex_decode(end + 1, buf, cap, &n) != SSR_EOK) {
		return -1;
	}
	o->code = (uint16_t)code;
	o->len = (uint16_t)n;
	o->data = buf;
	return 0;
}

typedef struct {
	int format;
	int status;
	int werr;
} show_t;

static void show(const ssr_probe_result_t *r, void *ctx)
{
	show_t *s = ctx;
	s->status = r->outcome == SSR_PROBE_ANSWER ? CLI_OK : CLI_FAIL;
	if (s->format == 1) {
		json_t *j = NULL;
		ssr_diag_t d;
		s->werr = ssr_report_probe_json(r, &j, &d);
		if (s->werr == SSR_EOK) {
			s->werr = ssr_json_write(j, stdout);
		}
		json_decref(j);
	} else {
		s->werr = ssr_report_probe_text(r, stdout);
	}
	if (r->outcome != SSR_PROBE_ANSWER) {
		char dst[80];
		ssr_probe_addr_format(&r->dst, dst, sizeof dst);
		cli_error("probe query: no answer from %s over %s: %s", dst,
		          ssr_probe_transport_name(r->transport),
		          ssr_probe_outcome_name(r->outcome));
	}
}

static int query(int argc, char **argv)
{
	static qopts_t o;
	memset(&o, 0, sizeof o);
	ssr_probe_query_init(&o.q);
	int rc = cli_opts("probe query", query_opts, CLI_NOPTS(query_opts), &o, argc, argv,
	                  &o.nargs, query_help);
	if (rc == CLI_OK && (o.nargs < 1 || o.nargs > 2)) {
		rc = cli_usage_error("probe query", "NAME [TYPE] expected");
	}
	if (rc == CLI_OK && o.server == NULL) {
		rc = cli_usage_error("probe query", "--server is required");
	}
	if (rc != CLI_OK) {
		return CLI_EXIT(rc);
	}
	ssr_probe_query_t *q = &o.q;
	q->qname = argv[1];
	const char *type = o.nargs == 2 ? argv[2] : o.type_s;
	if (type != NULL && ssr_probe_type_parse(type, &q->qtype) != SSR_EOK) {
		return cli_usage_error("probe query", "unknown type '%s'", type);
	}
	if (o.class_s != NULL && ssr_probe_class_parse(o.class_s, &q->qclass) != SSR_EOK) {
		return cli_usage_error("probe query", "unknown class '%s'", o.class_s);
	}
	q->opcode = (uint8_t)o.opcode;
	q->id = (uint16_t)o.id;
	q->edns = !o.no_edns;
	q->edns_version = (uint8_t)o.ednsver;
	q->edns_flags = (uint16_t)o.ednsflags;
	q->edns_bufsize = o.bufsize ? (uint16_t)o.bufsize : 1232;
	q->padding = (uint16_t)o.padding;
	static uint8_t optbuf[SSR_PROBE_MAX_OPTS][512];
	if (o.options.n > SSR_PROBE_MAX_OPTS) {
		return cli_usage_error("probe query", "at most %d --option", SSR_PROBE_MAX_OPTS);
	}
	for (size_t i = 0; i < o.options.n; i++) {
		if (parse_option(o.options.v[i], &q->opts[i], optbuf[i], sizeof optbuf[i]) != 0) {
			return cli_usage_error("probe query",
			                       "bad --option '%s' (CODE:HEX, at most 512 bytes)",
			                       o.options.v[i]);
		}
	}
	q->nopts = (unsigned)o.options.n;
	if (o.tcp && o.tls) {
		return cli_usage_error("probe query", "--tcp or --tls, not both");
	}
	if (!o.tls && (o.tls_name || o.tls_verify || o.tls_ca)) {
		return cli_usage_error("probe query",
		                       "--tls-name, --tls-verify and --tls-ca need --tls");
	}
	ssr_probe_req_t req = {.transport = o.tls   ? SSR_PROBE_TLS
	                                    : o.tcp ? SSR_PROBE_TCP
	                                            : SSR_PROBE_UDP,
	                       .timeout_ms = o.timeout_ms,
	                       .keep_id = o.id != 0,
	                       .tls_name = o.tls_name,
	                       .tls_verify = o.tls_verify,
	                       .label = "probe query"};
	if (ssr_probe_addr_parse(o.server, o.tls ? 853 : 53, &req.dst, &req.dst_len) != SSR_EOK) {
		return cli_usage_error("probe query", "bad --server '%s' (ADDR[:PORT])", o.server);
	}
	if (o.source != NULL &&
	    ssr_probe_addr_parse(o.source, 0, &req.src, &req.src_len) != SSR_EOK) {
		return cli_usage_error("probe query", "bad --source '%s'", o.source);
	}
	static uint8_t wire[SSR_PROBE_MAX_MSG];
	size_t len = 0;
	ssr_diag_t d;
	if (ssr_probe_query_build(q, wire, sizeof wire, &len, &d) != SSR_EOK) {
		return cli_usage_error("probe query", "%s", d.msg);
	}
	req.query = wire;
	req.qlen = len;
	show_t s = {.format = o.format, .status = CLI_FAIL};
	ssr_probe_rec_t *rec = NULL;
	ssr_probe_t *p = NULL;
	if (o.record != NULL && ssr_probe_rec_open(o.record, &rec, &d) != SSR_EOK) {
		cli_error("probe query: %s", d.msg);
		return CLI_FAIL;
	}
	ssr_probe_opts_t po = {.max_inflight = 1,
	                       .udp_sockets = 1,
	                       .done = show,
	                       .ctx = &s,
	                       .record = rec,
	                       .tls_ca = o.tls_ca};
	rc = ssr_probe_new(&po, &p, &d);
	if (rc == SSR_EOK) {
		rc = ssr_probe_submit(p, &req, &d);
	}
	if (rc == SSR_EOK) {
		rc = ssr_probe_run(p, &d);
	}
	ssr_probe_free(p);
	ssr_diag_t cd;
	int crc = ssr_probe_rec_close(rec, &cd); /* the record file is complete, or an error */
	if (rc == SSR_EOK && crc != SSR_EOK) {
		rc = crc;
		d = cd;
	}
	if (rc != SSR_EOK) {
		cli_error("probe query: %s", d.msg);
		return CLI_FAIL;
	}
	if (s.werr != SSR_EOK || fflush(stdout) != 0) {
		cli_error("probe query: cannot write the output");
		return CLI_FAIL;
	}
	return s.status;
}

typedef struct {
	int format;
	int nargs;
} ropts_t;

static const char *const read_formats[] = {"json", "text", NULL};

static const ssr_opt_t read_opts[] = {
    SSR_OPT_CHOICE("format", ropts_t, format, "format", read_formats),
    SSR_OPT_HELP,
};

static int read_one(const ssr_probe_result_t *r, void *ctx)
{
	const ropts_t *o = ctx;
	if (o->format == 1) {
		int rc = ssr_report_probe_text(r, stdout);
		fputc('\n', stdout);
		return rc;
	}
	json_t *j = NULL;
	ssr_diag_t d;
	int rc = ssr_report_probe_json(r, &j, &d);
	if (rc == SSR_EOK) {
		char *s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
		rc = s != NULL && printf("%s\n", s) > 0 ? SSR_EOK : SSR_EIO;
		free(s);
	}
	json_decref(j);
	return rc;
}

static int read_records(int argc, char **argv)
{
	ropts_t o = {0};
	int rc = cli_opts("probe read", read_opts, CLI_NOPTS(read_opts), &o, argc, argv, &o.nargs,
	                  read_help);
	if (rc == CLI_OK && o.nargs != 1) {
		rc = cli_usage_error("probe read", "one record FILE expected");
	}
	if (rc != CLI_OK) {
		return CLI_EXIT(rc);
	}
	ssr_diag_t d;
	if (ssr_probe_rec_read(argv[1], read_one, &o, &d) != SSR_EOK) {
		cli_error("probe read: %s", d.msg);
		return CLI_FAIL;
	}
	return fflush(stdout) == 0 ? CLI_OK : CLI_FAIL;
}

static const char run_help[] =
    "usage: ssrwatch probe run --server ADDR[:PORT] --queries FILE [options]\n"
    "\n"
    "Send every query of FILE (\"NAME TYPE\" lines, dnsperf's data file; '-' standard input)\n"
    "--repeat times, each once, keeping --max-inflight outstanding; print a summary.  Exit\n"
    "status 0 when the run finished (whatever the server answered).\n"
    "\n"
    "options:\n"
    "  --server ADDR[:PORT]  the server (53)\n"
    "  --queries FILE        the query file\n"
    "  --repeat N            times through the file (1)\n"
    "  --tcp                 over TCP (connections reused, --pipeline queries in flight each)\n"
    "  --tls                 over DNS over TLS (port 853 by default; any certificate)\n"
    "  --pipeline N          TCP or TLS queries in flight per connection (32)\n"
    "  --max-inflight N      queries outstanding at once (100)\n"
    "  --timeout-ms N        per query (4000)\n"
    "  --rd --do --no-edns --bufsize N --nsid --0x20   as for query\n"
    "  --record FILE         every exchange into a record file\n"
    "  --format F            text (default) or json\n";

typedef struct {
	const char *server, *queries, *record;
	ssr_probe_query_t q;
	bool tcp, tls, no_edns;
	unsigned repeat, pipeline, inflight, timeout_ms, bufsize;
	int format;
	int nargs;
} runopts_t;

static const ssr_opt_t run_opts[] = {
    SSR_OPT_STR("server", runopts_t, server),
    SSR_OPT_STR("queries", runopts_t, queries),
    SSR_OPT_UINT("repeat", runopts_t, repeat, 1, 1000000),
    SSR_OPT_FLAG("tcp", runopts_t, tcp),
    SSR_OPT_FLAG("tls", runopts_t, tls),
    SSR_OPT_UINT("pipeline", runopts_t, pipeline, 1, 65535),
    SSR_OPT_UINT("max-inflight", runopts_t, inflight, 1, 60000),
    SSR_OPT_UINT("timeout-ms", runopts_t, timeout_ms, 1, 600000),
    SSR_OPT_FLAG("rd", runopts_t, q.rd),
    SSR_OPT_FLAG("do", runopts_t, q.edns_do),
    SSR_OPT_FLAG("no-edns", runopts_t, no_edns),
    SSR_OPT_UINT("bufsize", runopts_t, bufsize, 0, 65535),
    SSR_OPT_FLAG("nsid", runopts_t, q.nsid),
    SSR_OPT_FLAG("0x20", runopts_t, q.case_randomize),
    SSR_OPT_STR("record", runopts_t, record),
    SSR_OPT_CHOICE("format", runopts_t, format, "format", formats),
    SSR_OPT_HELP,
};

/* The query file in memory: names and types, fed to the engine round after round. */
typedef struct {
	ssr_arena_t arena;
	const char **names;
	uint16_t *types;
	size_t n, cap;
	size_t next;
	unsigned round, rounds;
	runopts_t *o;
	ssr_probe_req_t req;
	ssr_probe_summary_t sum;
	const char *path;
	int err;
	ssr_diag_t d;
} feed_t;

static int keep_line(const char *name, uint16_t type, uint64_t line, void *ctx)
{
	feed_t *f = ctx;
	if (f->n == f->cap) {
		size_t nc = f->cap ? 2 * f->cap : 1024;
		const char **nn = realloc(f->names, nc * sizeof(*nn));
		uint16_t *nt = nn ? realloc(f->types, nc * sizeof(*nt)) : NULL;
		if (nn) {
			f->names = nn;
		}
		if (nt == NULL) {
			return SSR_ENOMEM;
		}
		f->types = nt;
		f->cap = nc;
	}
	/* the name must make a query: checked here, so that a bad line is named */
	ssr_probe_query_t q = f->o->q;
	q.qname = name;
	q.qtype = type;
	uint8_t w[600];
	size_t len;
	ssr_diag_t d;
	if (ssr_probe_query_build(&q, w, sizeof w, &len, &d) != SSR_EOK) {
		ssr_diag_set(&f->d, SSR_EPARSE, "queries '%s' line %llu: %s", f->path,
		             (unsigned long long)line, d.msg);
		return SSR_EPARSE;
	}
	f->names[f->n] = ssr_arena_memdup(&f->arena, name, strlen(name) + 1);
	if (f->names[f->n] == NULL) {
		return SSR_ENOMEM;
	}
	f->types[f->n++] = type;
	return SSR_EOK;
}

static bool feed_more(ssr_probe_t *p, unsigned room, void *ctx)
{
	feed_t *f = ctx;
	uint8_t w[600];
	for (unsigned i = 0; i < room && f->err == SSR_EOK; i++) {
		if (f->next == f->n) {
			f->next = 0;
			if (++f->round >= f->rounds) {
				return false;
			}
		}
		ssr_probe_query_t q = f->o->q;
		q.qname = f->names[f->next];
		q.qtype = f->types[f->next++];
		size_t len;
		if (ssr_probe_query_build(&q, w, sizeof w, &len, &f->d) != SSR_EOK) {
			f->err = SSR_EPARSE;
			return false;
		}
		f->req.query = w;
		f->req.qlen = len;
		if (ssr_probe_submit(p, &f->req, &f->d) != SSR_EOK) {
			f->err = SSR_ENOMEM;
			return false;
		}
	}
	return f->err == SSR_EOK && (f->next < f->n || f->round + 1 < f->rounds);
}

static void run_done(const ssr_probe_result_t *r, void *ctx)
{
	ssr_probe_summary_add(&((feed_t *)ctx)->sum, r);
}

static int run_queries(int argc, char **argv)
{
	static runopts_t o;
	memset(&o, 0, sizeof o);
	ssr_probe_query_init(&o.q);
	o.repeat = 1;
	o.inflight = 100;
	int rc = cli_opts("probe run", run_opts, CLI_NOPTS(run_opts), &o, argc, argv, &o.nargs,
	                  run_help);
	if (rc == CLI_OK && o.nargs > 0) {
		rc = cli_usage_error("probe run", "unexpected argument '%s'", argv[1]);
	}
	if (rc == CLI_OK && (o.server == NULL || o.queries == NULL)) {
		rc = cli_usage_error("probe run", "--server and --queries are required");
	}
	if (rc != CLI_OK) {
		return CLI_EXIT(rc);
	}
	o.q.edns = !o.no_edns;
	o.q.edns_bufsize = o.bufsize ? (uint16_t)o.bufsize : 1232;
	static feed_t f;
	memset(&f, 0, sizeof f);
	ssr_arena_init(&f.arena, 1 << 16);
	f.o = &o;
	f.rounds = o.repeat;
	f.path = o.queries;
	ssr_probe_summary_init(&f.sum);
	f.req = (ssr_probe_req_t){.transport = o.tls   ? SSR_PROBE_TLS
	                                       : o.tcp ? SSR_PROBE_TCP
	                                               : SSR_PROBE_UDP,
	                          .timeout_ms = o.timeout_ms};
	if (ssr_probe_addr_parse(o.server, o.tls ? 853 : 53, &f.req.dst, &f.req.dst_len) !=
	    SSR_EOK) {
		ssr_arena_release(&f.arena);
		return cli_usage_error("probe run", "bad --server '%s' (ADDR[:PORT])", o.server);
	}
	ssr_diag_t d;
	rc = ssr_probe_qfile_read(o.queries, keep_line, &f, &d);
	if (rc == SSR_EPARSE && f.d.msg[0] != '\0') {
		d = f.d;
	}
	if (rc == SSR_EOK && f.n == 0) {
		rc = ssr_diag_set(&d, SSR_EPARSE, "queries '%s': no query in it", o.queries);
	}
	ssr_probe_rec_t *rec = NULL;
	if (rc == SSR_EOK && o.record != NULL) {
		rc = ssr_probe_rec_open(o.record, &rec, &d);
	}
	ssr_probe_t *p = NULL;
	if (rc == SSR_EOK) {
		ssr_probe_opts_t po = {.max_inflight = o.inflight,
		                       .tcp_pipeline = o.pipeline,
		                       .done = run_done,
		                       .ctx = &f,
		                       .record = rec,
		                       .feed = feed_more,
		                       .feed_ctx = &f};
		rc = ssr_probe_new(&po, &p, &d);
	}
	if (rc == SSR_EOK) {
		rc = ssr_probe_run(p, &d);
	}
	if (rc == SSR_EOK && f.err != SSR_EOK) {
		rc = f.err;
		d = f.d;
	}
	ssr_probe_free(p);
	ssr_diag_t cd;
	int crc = ssr_probe_rec_close(rec, &cd);
	if (rc == SSR_EOK && crc != SSR_EOK) {
		rc = crc;
		d = cd;
	}
	if (rc == SSR_EOK) {
		rc = ssr_probe_summary_finish(&f.sum, &d);
	}
	json_t *j = NULL;
	if (rc == SSR_EOK) {
		rc = ssr_report_probe_summary_json(&f.sum, &j, &d);
	}
	if (rc == SSR_EOK) {
		if (o.format == 1) {
			rc = ssr_json_write(j, stdout);
		} else {
			const ssr_probe_summary_t *s = &f.sum;
			printf(
			    "exchanges %llu: answer %llu, timeout %llu, refused %llu, reset %llu, "
			    "malformed %llu, neterr %llu, tlsfail %llu\n",
			    (unsigned long long)s->exchanges, (unsigned long long)s->outcomes[0],
			    (unsigned long long)s->outcomes[1], (unsigned long long)s->outcomes[2],
			    (unsigned long long)s->outcomes[3], (unsigned long long)s->outcomes[4],
			    (unsigned long long)s->outcomes[5], (unsigned long long)s->outcomes[6]);
			printf("answers per second %.0f over %.3f s; rtt us p50 %.0f p90 %.0f p99 "
			       "%.0f "
			       "max %u\n",
			       s->qps, s->elapsed_us / 1e6, s->rtt_p50, s->rtt_p90, s->rtt_p99,
			       s->rtt_max);
		}
		if (rc != SSR_EOK || fflush(stdout) != 0) {
			rc = ssr_diag_set(&d, SSR_EIO, "cannot write the output");
		}
	}
	json_decref(j);
	ssr_probe_summary_release(&f.sum);
	free(f.names);
	free(f.types);
	ssr_arena_release(&f.arena);
	if (rc != SSR_EOK) {
		cli_error("probe run: %s", d.msg);
		return CLI_FAIL;
	}
	return CLI_OK;
}

int cmd_probe(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(probe_help, argc < 2 ? stderr : stdout);
		return argc < 2 ? CLI_USAGE : CLI_OK;
	}
	if (strcmp(argv[1], "query") == 0) {
		return query(argc - 1, argv + 1);
	}
	if (strcmp(argv[1], "read") == 0) {
		return read_records(argc - 1, argv + 1);
	}
	if (strcmp(argv[1], "run") == 0) {
		return run_queries(argc - 1, argv + 1);
	}
	return cli_usage_error("probe", "unknown command '%s' (query, run, read)", argv[1]);
}
