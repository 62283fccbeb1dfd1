/* libregress: implementations under test started by ssrwatch itself on loopback.  Each gets a
 * configuration from data/regress/targets/IMPL.conf with its address, port, working directory
 * and zone filled in, runs in the foreground as a child that the kernel signals if ssrwatch
 * dies (PR_SET_PDEATHSIG), and is ready when it answers the zone's SOA; stopping sends SIGTERM,
 * waits up to 5 s, then SIGKILL, and removes the working directory. */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ssrwatch/regress.h"

struct ssr_regress_daemon {
	pid_t pid;
	char dir[256];
	char impl[32];
};

/* Every implementation ssrwatch can start, per role: the program, its arguments ("@CONF@" the
 * generated configuration, "@DIR@" the working directory), the argument that prints its
 * version, and the configuration templates in data/regress/targets/ (the first is @CONF@; a
 * second, when given, is written beside it under the name after the '>'). */
/* prestart is left out where there is nothing to prepare */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
static const struct {
	const char *impl;
	bool resolver;
	const char *bin, *const argv[8], *version_arg, *tmpl, *extra;
	const char *ta_static, *ta_managed; /* a resolver's @TRUST_ANCHOR@: the DS; an RFC 5011
	                                     * managed key (NULL: not implemented, the DS) */
	const char *const prestart[2][6];   /* commands run before it starts (placeholders as in
	                                     * argv, "@ZONE@" the zone); each must succeed */
	const char *serve_stale; /* a resolver's @SERVE_STALE@ when asked to (RFC 8767) */
} impls[] = {
    {"knot", false, "knotd", {"knotd", "-c", "@CONF@", NULL}, "-V", "knot.conf", NULL, NULL, NULL},
    {"nsd", false, "nsd", {"nsd", "-d", "-c", "@CONF@", NULL}, "-v", "nsd.conf", NULL, NULL, NULL},
    {"bind",
     false,
     "named",
     {"named", "-g", "-c", "@CONF@", NULL},
     "-v",
     "bind.conf",
     NULL,
     NULL,
     NULL},
    {"pdns",
     false,
     "pdns_server",
     {"pdns_server", "--config-dir=@DIR@", "--config-name=", NULL},
     "--version",
     "pdns.conf",
     "pdns-zones.conf>named.conf",
     NULL,
     NULL,
     /* a signed zone file is served as it is only when the bind backend knows it presigned */
     {{"pdnsutil", "--config-dir=@DIR@", "create-bind-db", "@DIR@/dnssec.db", NULL},
      {"pdnsutil", "--config-dir=@DIR@", "set-presigned", "@ZONE@", NULL}}},
    {"unbound",
     true,
     "unbound",
     {"unbound", "-d", "-c", "@CONF@", NULL},
     "-V",
     "unbound.conf",
     NULL,
     "trust-anchor: \". DS @TA_TAG@ @TA_ALG@ @TA_DTYPE@ @TA_DIGEST@\"",
     "auto-trust-anchor-file: \"@DIR@/root.key\"",
     {{NULL}},
     "serve-expired: yes"},
    {"kresd",
     true,
     "kresd",
     {"kresd", "--noninteractive", "-c", "@CONF@", "@DIR@", NULL},
     "--version",
     "kresd.conf",
     NULL,
     "trust_anchors.add('. DS @TA_TAG@ @TA_ALG@ @TA_DTYPE@ @TA_DIGEST@')",
     "trust_anchors.add_file('@DIR@/root.key', false)",
     {{NULL}},
     "modules.load('serve_stale < cache')"},
    {"bind",
     true,
     "named",
     {"named", "-g", "-4", "-c", "@CONF@", NULL},
     "-v",
     "bind-resolver.conf",
     NULL,
     "trust-anchors { . static-ds @TA_TAG@ @TA_ALG@ @TA_DTYPE@ \"@TA_DIGEST@\"; };",
     "trust-anchors { . initial-key @KEY_FLAGS@ @KEY_PROTO@ @KEY_ALG@ \"@KEY_DATA@\"; };",
     {{NULL}},
     "stale-answer-enable yes; stale-cache-enable yes;"},
    {"pdns-recursor",
     true,
     "pdns_recursor",
     {"pdns_recursor", "--config-dir=@DIR@", NULL},
     "--version",
     "recursor.conf",
     "recursor.lua>recursor.lua",
     "",
     NULL,
     {{NULL}},
     "serve-stale-extensions=1440"},
};
#pragma GCC diagnostic pop

static int find_impl(const char *impl, bool resolver)
{
	for (size_t i = 0; i < sizeof impls / sizeof impls[0]; i++) {
		if (strcmp(impls[i].impl, impl) == 0 && impls[i].resolver == resolver) {
			return (int)i;
		}
	}
	return -1;
}

bool ssr_regress_impl_known(const char *impl, bool resolver)
{
	return find_impl(impl, resolver) >= 0;
}

const char *ssr_regress_impl_names(bool resolver)
{
	return resolver ? "unbound, kresd, bind, pdns-recursor" : "knot, nsd, bind, pdns";
}

/* The program's path: PATH, then /usr/sbin and /sbin (daemons live there). */
static bool which(const char *bin, char *out, size_t cap)
{
	char path[4096];
	const char *env = getenv("PATH");
	snprintf(path, sizeof path, "%s:/usr/sbin:/sbin", env ? env : "/usr/bin:/bin");
	for (char *save = NULL, *d = strtok_r(path, ":", &save); d;
	     d = strtok_r(NULL, ":", &save)) {
		snprintf(out, cap, "%s/%s", d, bin);
		if (access(out, X_OK) == 0) {
			return true;
		}
	}
	return false;
}

/* in with the placeholders of kv (NULL-ended name, value pairs) filled in, into out. */
static void expand(const char *in, const char *const *kv, char *out, size_t cap)
{
	size_t o = 0;
	for (const char *p = in; *p && o + 1 < cap;) {
		bool done = false;
		for (size_t k = 0; kv[k] != NULL; k += 2) {
			size_t kl = strlen(kv[k]);
			if (strncmp(p, kv[k], kl) == 0) {
				int w = snprintf(out + o, cap - o, "%s", kv[k + 1]);
				o = w > 0 && (size_t)w < cap - o ? o + (size_t)w : cap - 1;
				p += kl;
				done = true;
				break;
			}
		}
		if (!done) {
			out[o++] = *p++;
		}
	}
	out[o] = '\0';
}

/* The template with the placeholders filled in, written to dst. */
static int fill(const char *tmpl, const char *dst, const char *const *kv, ssr_diag_t *diag)
{
	FILE *in = fopen(tmpl, "r");
	if (in == NULL) {
		return ssr_diag_set(diag, SSR_ENOTFOUND, "regress: no target configuration '%s'",
		                    tmpl);
	}
	FILE *out = fopen(dst, "w");
	if (out == NULL) {
		fclose(in);
		return ssr_diag_set(diag, SSR_EIO, "regress: cannot write '%s'", dst);
	}
	char line[1024], done[4096];
	while (fgets(line, sizeof line, in) != NULL) {
		expand(line, kv, done, sizeof done);
		fputs(done, out);
	}
	fclose(in);
	return fclose(out) == 0 ? SSR_EOK
	                        : ssr_diag_set(diag, SSR_EIO, "regress: cannot write '%s'", dst);
}

static void version_of(int k, const char *bin, char *out, size_t cap)
{
	char cmd[4200];
	snprintf(cmd, sizeof cmd, "'%s' %s 2>&1", bin, impls[k].version_arg);
	FILE *p = popen(cmd, "r");
	char text[1024] = "";
	if (p != NULL) {
		size_t n = fread(text, 1, sizeof text - 1, p);
		text[n] = '\0';
		pclose(p);
	}
	/* the first word that is a version (digits, a dot, a digit): "knotd (Knot DNS), version
	 * 3.2.6", "NSD version 4.6.1", "BIND 9.18.49-1~deb12u3-Debian (...)", "Dec 06 19:26:54
	 * PowerDNS Authoritative Server 4.7.3 (C) ...", "Version 1.17.1" */
	const char *v = "";
	for (const char *c = text; *c; c++) {
		if ((c == text || c[-1] == ' ' || c[-1] == '\n') && isdigit((unsigned char)*c)) {
			const char *e = c;
			while (isdigit((unsigned char)*e)) {
				e++;
			}
			if (*e == '.' && isdigit((unsigned char)e[1])) {
				v = c;
				break;
			}
		}
	}
	snprintf(out, cap, "%.*s", (int)strcspn(v, " \n,"), v);
}

static void rm_tree(const char *dir)
{
	DIR *d = opendir(dir);
	if (d != NULL) {
		struct dirent *e;
		while ((e = readdir(d)) != NULL) {
			if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) {
				continue;
			}
			char p[600];
			snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
			struct stat sb;
			if (lstat(p, &sb) == 0 && S_ISDIR(sb.st_mode)) {
				rm_tree(p);
			} else {
				unlink(p);
			}
		}
		closedir(d);
	}
	rmdir(dir);
}

typedef struct {
	bool resolver, seen;
} ready_t;

/* An authoritative server is ready with the zone's SOA in an answer (the zone is loaded); a
 * resolver with any answer (whether it can resolve is what the cases judge). */
static void answered(const ssr_probe_result_t *r, void *ctx)
{
	ready_t *x = ctx;
	ssr_probe_answer_t a;
	ssr_diag_t d;
	unsigned n = 0;
	if (r->outcome != SSR_PROBE_ANSWER ||
	    ssr_probe_parse(r->resp, r->rlen, r->query, r->qlen, &a, &d) != SSR_EOK) {
		return;
	}
	x->seen = x->resolver ||
	          (a.rcode == 0 && ssr_probe_count_rrs(r->resp, r->rlen, 1, 6, &n, &d) == SSR_EOK &&
	           n == 1);
}

/* Ready: tries 100 ms apart (a resolver: 300 ms, it may be priming first) until ready_s
 * seconds have passed (0: 10). */
static bool ready(const ssr_regress_target_t *t, const char *zone, bool resolver, pid_t pid,
                  unsigned ready_s)
{
	struct timespec start, now;
	clock_gettime(CLOCK_MONOTONIC, &start);
	ssr_probe_query_t q;
	ssr_probe_query_init(&q);
	q.qname = resolver ? "." : zone;
	q.qtype = 6;
	q.rd = resolver;
	uint8_t w[512];
	size_t len;
	ssr_diag_t d;
	if (ssr_probe_query_build(&q, w, sizeof w, &len, &d) != SSR_EOK) {
		return false;
	}
	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - start.tv_sec >= (time_t)(ready_s ? ready_s : 10)) {
			break;
		}
		int st;
		if (waitpid(pid, &st, WNOHANG) == pid) {
			return false; /* it died */
		}
		ssr_probe_t *p = NULL;
		ready_t x = {.resolver = resolver};
		ssr_probe_opts_t o = {
		    .max_inflight = 1, .udp_sockets = 1, .done = answered, .ctx = &x};
		ssr_probe_req_t req = {.dst = t->addr,
		                       .dst_len = t->addr_len,
		                       .transport = SSR_PROBE_UDP,
		                       .query = w,
		                       .qlen = len,
		                       .timeout_ms = resolver ? 300 : 100};
		if (ssr_probe_new(&o, &p, &d) == SSR_EOK &&
		    ssr_probe_submit(p, &req, &d) == SSR_EOK && ssr_probe_run(p, &d) != SSR_EOK) {
			x.seen = false;
		}
		ssr_probe_free(p);
		if (x.seen) {
			return true;
		}
		struct timespec ts = {0, 100 * 1000000L};
		nanosleep(&ts, NULL);
	}
	return false;
}

/* The resolver's root hints: the mock root's name server and address. */
static int write_hints(const char *path, const ssr_regress_daemon_spec_t *sp, ssr_diag_t *diag)
{
	FILE *f = fopen(path, "w");
	if (f == NULL) {
		return ssr_diag_set(diag, SSR_EIO, "regress: cannot write '%s'", path);
	}
	fprintf(f, ".\t3600000\tIN\tNS\t%s\n%s\t3600000\tIN\tA\t%s\n", sp->root_ns, sp->root_ns,
	        sp->root_addr);
	return fclose(f) == 0 ? SSR_EOK
	                      : ssr_diag_set(diag, SSR_EIO, "regress: cannot write '%s'", path);
}

/* The longest word of a trust anchor: an RSA-4096 key in base64 is 700 characters. */
#define WORD_MAX 800

/* "TAG ALG DIGESTTYPE HEX" into its four words. */
static int ds_words(const char *ds, char w[4][WORD_MAX])
{
	const char *p = ds;
	for (int i = 0; i < 4; i++) {
		p += strspn(p, " \t");
		size_t l = strcspn(p, " \t");
		if (l == 0 || l >= WORD_MAX) {
			return SSR_EINVAL;
		}
		snprintf(w[i], WORD_MAX, "%.*s", (int)l, p);
		p += l;
	}
	return *(p + strspn(p, " \t\n")) == '\0' ? SSR_EOK : SSR_EINVAL;
}

/* An argument list with "@CONF@" the configuration and "@DIR@", "@ZONE@" filled in anywhere
 * in an argument ("--config-dir=@DIR@"). */
static void make_argv(const char *const *in, const char *conf, const char *dir, const char *zone,
                      char arg[8][700], char *argv[8])
{
	const char *kv[] = {"@CONF@", conf, "@DIR@", dir, "@ZONE@", zone ? zone : ".", NULL};
	int i = 0;
	for (; i < 7 && in[i] != NULL; i++) {
		expand(in[i], kv, arg[i], sizeof arg[i]);
		argv[i] = arg[i];
	}
	argv[i] = NULL;
}

/* Run one preparation command (its output into the log); it must exit 0. */
static int prestart(const char *const *cmd, const char *conf, const char *dir, const char *zone,
                    const char *log, ssr_diag_t *diag)
{
	char bin[4096];
	if (!which(cmd[0], bin, sizeof bin)) {
		return ssr_diag_set(diag, SSR_ENOTFOUND, "regress: '%s' is not installed", cmd[0]);
	}
	pid_t pid = fork();
	if (pid == 0) {
		int fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0600);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
			close(fd);
		}
		char arg[8][700];
		char *argv[8] = {NULL};
		make_argv(cmd, conf, dir, zone, arg, argv);
		execv(bin, argv);
		_exit(127);
	}
	int st = 0;
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		return ssr_diag_set(diag, SSR_EIO, "regress: '%s %s' failed before the start",
		                    cmd[0], cmd[2] ? cmd[2] : "");
	}
	return SSR_EOK;
}

int ssr_regress_daemon_start(const ssr_regress_daemon_spec_t *sp, ssr_regress_daemon_t **out,
                             ssr_regress_target_t *t, ssr_diag_t *diag)
{
	*out = NULL;
	const char *impl = sp->impl;
	int k = find_impl(impl, sp->resolver);
	if (k < 0) {
		return ssr_diag_set(diag, SSR_EINVAL, "regress: unknown %s '%s' (%s)",
		                    sp->resolver ? "resolver" : "authoritative server", impl,
		                    ssr_regress_impl_names(sp->resolver));
	}
	char ta[4][WORD_MAX] = {"", "", "", ""}, key[4][WORD_MAX] = {"", "", "", ""};
	if (sp->resolver && (sp->root_ns == NULL || sp->root_addr == NULL ||
	                     (sp->trust_anchor != NULL && ds_words(sp->trust_anchor, ta) != 0))) {
		return ssr_diag_set(diag, SSR_EINVAL,
		                    "regress: a resolver needs the root's name server, address and "
		                    "a trust anchor as 'TAG ALG DIGESTTYPE DIGEST'");
	}
	if (sp->resolver && sp->managed_key != NULL && ds_words(sp->managed_key, key) != 0) {
		return ssr_diag_set(diag, SSR_EINVAL,
		                    "regress: a managed key is 'FLAGS PROTOCOL ALGORITHM KEY'");
	}
	if (!sp->resolver && (sp->zone == NULL || sp->zonefile == NULL)) {
		return ssr_diag_set(diag, SSR_EINVAL,
		                    "regress: an authoritative server needs a zone");
	}
	char bin[4096];
	if (!which(impls[k].bin, bin, sizeof bin)) {
		return ssr_diag_set(
		    diag, SSR_ENOTFOUND,
		    "regress: %s is not installed ('%s'; scripts/deps.sh installs it)", impl,
		    impls[k].bin);
	}
	memset(t, 0, sizeof(*t));
	snprintf(t->name, sizeof t->name, "%s", impl);
	snprintf(t->impl, sizeof t->impl, "%s", impl);
	if (sp->resolver) {
		snprintf(t->source, sizeof t->source, "%s", sp->source ? sp->source : sp->addr);
	}
	version_of(k, bin, t->version, sizeof t->version);
	char hp[80];
	snprintf(hp, sizeof hp, "%s:%u", sp->addr, sp->port);
	if (ssr_probe_addr_parse(hp, sp->port, &t->addr, &t->addr_len) != SSR_EOK) {
		return ssr_diag_set(diag, SSR_EINVAL, "regress: bad address '%s'", sp->addr);
	}
	ssr_regress_daemon_t *d = calloc(1, sizeof(*d));
	if (d == NULL) {
		return ssr_diag_set(diag, SSR_ENOMEM, "regress: out of memory");
	}
	snprintf(d->impl, sizeof d->impl, "%s", impl);
	const char *tmp = getenv("TMPDIR");
	snprintf(d->dir, sizeof d->dir, "%s/ssrwatch-%s-XXXXXX", tmp ? tmp : "/tmp", impl);
	if (mkdtemp(d->dir) == NULL) {
		free(d);
		return ssr_diag_set(diag, SSR_EIO, "regress: cannot make a working directory");
	}
	char zcopy[600], conf[600], tmpl[4200], ps[8], log[600], hints[600];
	snprintf(zcopy, sizeof zcopy, "%s/zone", d->dir);
	snprintf(conf, sizeof conf, "%s/%s", d->dir, impls[k].tmpl);
	snprintf(hints, sizeof hints, "%s/root.hints", d->dir);
	snprintf(log, sizeof log, "%s/stderr.log", d->dir);
	snprintf(ps, sizeof ps, "%u", sp->port);
	const char *data = getenv("SSRWATCH_DATA");
	snprintf(tmpl, sizeof tmpl, "%s/regress/targets/%s", data ? data : SSR_DATA_DIR,
	         impls[k].tmpl);
	const char *kv[] = {"@ADDR@",
	                    sp->addr,
	                    "@PORT@",
	                    ps,
	                    "@DIR@",
	                    d->dir,
	                    "@ZONEFILE@",
	                    zcopy,
	                    "@ZONE@",
	                    sp->zone ? sp->zone : ".",
	                    "@HINTS@",
	                    hints,
	                    "@ROOT_NS@",
	                    sp->root_ns ? sp->root_ns : "",
	                    "@ROOT_ADDR@",
	                    sp->root_addr ? sp->root_addr : "",
	                    "@TA_TAG@",
	                    ta[0],
	                    "@TA_ALG@",
	                    ta[1],
	                    "@TA_DTYPE@",
	                    ta[2],
	                    "@TA_DIGEST@",
	                    ta[3],
	                    "@SOURCE@",
	                    sp->source ? sp->source : sp->addr,
	                    "@KEY_FLAGS@",
	                    key[0],
	                    "@KEY_PROTO@",
	                    key[1],
	                    "@KEY_ALG@",
	                    key[2],
	                    "@KEY_DATA@",
	                    key[3],
	                    "@SERVE_STALE@",
	                    sp->serve_stale && impls[k].serve_stale ? impls[k].serve_stale : "",
	                    "@TRUST_ANCHOR@",
	                    "",
	                    NULL};
	/* the trust anchor line: an RFC 5011 managed key where the implementation has them */
	char anchor[2048] = "";
	const char *ta_fmt =
	    sp->managed_key && impls[k].ta_managed ? impls[k].ta_managed : impls[k].ta_static;
	if (ta_fmt != NULL) {
		expand(ta_fmt, kv, anchor, sizeof anchor);
	}
	kv[sizeof kv / sizeof kv[0] - 2] = anchor; /* the value of "@TRUST_ANCHOR@", the last */
	int rc = SSR_EOK;
	if (!sp->resolver) {
		/* the zone as a copy in the working directory: the daemon may not read elsewhere */
		const char *kvz[] = {NULL};
		rc = fill(sp->zonefile, zcopy, kvz, diag);
	} else {
		rc = write_hints(hints, sp, diag);
	}
	if (rc == SSR_EOK && sp->resolver && sp->managed_key != NULL) {
		char kf[600];
		snprintf(kf, sizeof kf, "%s/root.key", d->dir);
		FILE *f = fopen(kf, "w");
		if (f == NULL ||
		    fprintf(f, ". 3600 IN DNSKEY %s %s %s %s\n", key[0], key[1], key[2], key[3]) <
		        0 ||
		    fclose(f) != 0) {
			rc = ssr_diag_set(diag, SSR_EIO, "regress: cannot write '%s'", kf);
		}
	}
	if (rc == SSR_EOK) {
		rc = fill(tmpl, conf, kv, diag);
	}
	if (rc == SSR_EOK && impls[k].extra != NULL) {
		/* "template>name": a second file beside the configuration */
		const char *gt = strchr(impls[k].extra, '>');
		char src[4200], dst[600];
		snprintf(src, sizeof src, "%s/regress/targets/%.*s", data ? data : SSR_DATA_DIR,
		         (int)(gt - impls[k].extra), impls[k].extra);
		snprintf(dst, sizeof dst, "%s/%s", d->dir, gt + 1);
		rc = fill(src, dst, kv, diag);
	}
	if (rc != SSR_EOK) {
		rm_tree(d->dir);
		free(d);
		return rc;
	}
	for (int c = 0; rc == SSR_EOK && c < 2 && impls[k].prestart[c][0] != NULL; c++) {
		rc = prestart(impls[k].prestart[c], conf, d->dir, sp->zone, log, diag);
	}
	if (rc != SSR_EOK) {
		rm_tree(d->dir);
		free(d);
		return rc;
	}
	pid_t parent = getpid();
	d->pid = fork();
	if (d->pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (getppid() != parent) {
			_exit(127);
		}
		int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
			close(fd);
		}
		if (chdir(d->dir) != 0) {
			_exit(127);
		}
		if (sp->clock_file != NULL) {
			/* its wall clock from the file the timeline writes (libssrclock) */
			const char *shim = getenv("SSRWATCH_CLOCK_SHIM");
			shim = shim ? shim : SSR_CLOCK_SHIM;
			if (access(shim, R_OK) != 0) {
				fprintf(stderr, "ssrwatch: no clock shim '%s'\n", shim);
				_exit(126);
			}
			setenv("LD_PRELOAD", shim, 1);
			setenv("SSR_CLOCK_FILE", sp->clock_file, 1);
		}
		char arg[8][700];
		char *argv[8] = {NULL};
		make_argv(impls[k].argv, conf, d->dir, sp->zone, arg, argv);
		execv(bin, argv);
		_exit(127);
	}
	if (d->pid < 0) {
		rm_tree(d->dir);
		free(d);
		return ssr_diag_set(diag, SSR_EIO, "regress: cannot start %s", impl);
	}
	if (!ready(t, sp->zone, sp->resolver, d->pid, sp->ready_s)) {
		char msg[300] = "";
		FILE *f = fopen(log, "r");
		if (f != NULL) {
			/* the end of its log: where daemons say why they stopped */
			if (fseek(f, -(long)(sizeof msg - 1), SEEK_END) != 0) {
				rewind(f);
			}
			size_t n = fread(msg, 1, sizeof msg - 1, f);
			msg[n] = '\0';
			fclose(f);
		}
		for (char *p = msg; *p; p++) {
			*p = *p == '\n' ? ' ' : *p;
		}
		ssr_regress_daemon_stop(d);
		return ssr_diag_set(diag, SSR_EIO, "regress: %s did not answer on %s: %.240s", impl,
		                    hp, msg);
	}
	*out = d;
	return SSR_EOK;
}

bool ssr_regress_daemon_alive(ssr_regress_daemon_t *d, char *why, size_t cap)
{
	if (d == NULL || d->pid <= 0) {
		snprintf(why, cap, "not running");
		return false;
	}
	int st;
	pid_t r = waitpid(d->pid, &st, WNOHANG);
	if (r == 0) {
		return true;
	}
	d->pid = 0; /* reaped: nothing left to stop */
	if (r == d->pid || r > 0) {
		if (WIFSIGNALED(st)) {
			snprintf(why, cap, "%s died during the run (signal %d)", d->impl,
			         WTERMSIG(st));
		} else {
			snprintf(why, cap, "%s exited during the run (status %d)", d->impl,
			         WEXITSTATUS(st));
		}
	} else {
		snprintf(why, cap, "%s is gone", d->impl);
	}
	return false;
}

void ssr_regress_daemon_stop(ssr_regress_daemon_t *d)
{
	if (d == NULL) {
		return;
	}
	if (d->pid > 0) {
		kill(d->pid, SIGTERM);
		int st;
		bool gone = false;
		for (int i = 0; i < 50 && !gone; i++) {
			gone = waitpid(d->pid, &st, WNOHANG) == d->pid;
			if (!gone) {
				struct timespec ts = {0, 100 * 1000000L};
				nanosleep(&ts, NULL);
			}
		}
		if (!gone) {
			kill(d->pid, SIGKILL);
			waitpid(d->pid, &st, 0);
		}
	}
	if (getenv("SSRWATCH_KEEP_WORKDIR") == NULL) {
		rm_tree(d->dir); /* kept on request: its configuration and log, to debug a start */
	}
	free(d);
}
