/* libregress: implementations under test started by ssrwatch itself on loopback.  Each gets a
 * configuration from data/regress/targets/IMPL.conf with its address, port, working directory
 * and zone filled in, runs in the foreground as a child that the kernel signals if ssrwatch
 * dies (PR_SET_PDEATHSIG), and is ready when it answers the zone's SOA; stopping sends SIGTERM,
 * waits up to 5 s, then SIGKILL, and removes the working directory. */
#define _GNU_SOURCE
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

static const struct {
	const char *impl, *bin, *const argv[6], *version_argv[3];
} impls[] = {
    {"knot", "knotd", {"knotd", "-c", "@CONF@", NULL}, {"knotd", "-V", NULL}},
    {"nsd", "nsd", {"nsd", "-d", "-c", "@CONF@", NULL}, {"nsd", "-v", NULL}},
    {"bind", "named", {"named", "-g", "-c", "@CONF@", NULL}, {"named", "-v", NULL}},
};

static int find_impl(const char *impl)
{
	for (size_t i = 0; i < sizeof impls / sizeof impls[0]; i++) {
		if (strcmp(impls[i].impl, impl) == 0) {
			return (int)i;
		}
	}
	return -1;
}

bool ssr_regress_impl_known(const char *impl)
{
	return find_impl(impl) >= 0;
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
	char line[1024];
	while (fgets(line, sizeof line, in) != NULL) {
		for (const char *p = line; *p;) {
			bool done = false;
			for (size_t k = 0; kv[k] != NULL; k += 2) {
				size_t kl = strlen(kv[k]);
				if (strncmp(p, kv[k], kl) == 0) {
					fputs(kv[k + 1], out);
					p += kl;
					done = true;
					break;
				}
			}
			if (!done) {
				fputc(*p++, out);
			}
		}
	}
	fclose(in);
	return fclose(out) == 0 ? SSR_EOK
	                        : ssr_diag_set(diag, SSR_EIO, "regress: cannot write '%s'", dst);
}

static void version_of(int k, const char *bin, char *out, size_t cap)
{
	char cmd[4200];
	snprintf(cmd, sizeof cmd, "'%s' %s 2>&1", bin, impls[k].version_argv[1]);
	FILE *p = popen(cmd, "r");
	char line[256] = "";
	if (p != NULL) {
		if (fgets(line, sizeof line, p) == NULL) {
			line[0] = '\0';
		}
		pclose(p);
	}
	line[strcspn(line, "\n")] = '\0';
	/* the first word that starts with a digit: "knotd (Knot DNS), version 3.2.6",
	 * "NSD version 4.6.1", "BIND 9.18.49-1~deb12u3-Debian (Extended Support Version)" */
	const char *v = line;
	for (const char *c = line; *c; c++) {
		if ((c == line || c[-1] == ' ') && *c >= '0' && *c <= '9') {
			v = c;
			break;
		}
	}
	snprintf(out, cap, "%.*s", (int)strcspn(v, " "), v);
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

/* An answer with the zone's SOA: the zone is loaded. */
static void soa_seen(const ssr_probe_result_t *r, void *ctx)
{
	ssr_probe_answer_t a;
	ssr_diag_t d;
	unsigned n = 0;
	*(bool *)ctx = r->outcome == SSR_PROBE_ANSWER &&
	               ssr_probe_parse(r->resp, r->rlen, r->query, r->qlen, &a, &d) == SSR_EOK &&
	               a.rcode == 0 &&
	               ssr_probe_count_rrs(r->resp, r->rlen, 1, 6, &n, &d) == SSR_EOK && n == 1;
}

/* Ready: the zone's SOA in an answer (at most 100 tries, 100 ms apart; at most 15 s). */
static bool ready(const ssr_regress_target_t *t, const char *zone, pid_t pid)
{
	ssr_probe_query_t q;
	ssr_probe_query_init(&q);
	q.qname = zone;
	q.qtype = 6;
	uint8_t w[512];
	size_t len;
	ssr_diag_t d;
	if (ssr_probe_query_build(&q, w, sizeof w, &len, &d) != SSR_EOK) {
		return false;
	}
	for (int i = 0; i < 100; i++) {
		int st;
		if (waitpid(pid, &st, WNOHANG) == pid) {
			return false; /* it died */
		}
		ssr_probe_t *p = NULL;
		bool seen = false;
		ssr_probe_opts_t o = {
		    .max_inflight = 1, .udp_sockets = 1, .done = soa_seen, .ctx = &seen};
		ssr_probe_req_t req = {.dst = t->addr,
		                       .dst_len = t->addr_len,
		                       .transport = SSR_PROBE_UDP,
		                       .query = w,
		                       .qlen = len,
		                       .timeout_ms = 100};
		if (ssr_probe_new(&o, &p, &d) == SSR_EOK &&
		    ssr_probe_submit(p, &req, &d) == SSR_EOK && ssr_probe_run(p, &d) != SSR_EOK) {
			seen = false;
		}
		ssr_probe_free(p);
		if (seen) {
			return true; /* the zone is loaded */
		}
		struct timespec ts = {0, 100 * 1000000L};
		nanosleep(&ts, NULL);
	}
	return false;
}

int ssr_regress_daemon_start(const char *impl, const char *zone, const char *zonefile,
                             const char *addr, uint16_t port, ssr_regress_daemon_t **out,
                             ssr_regress_target_t *t, ssr_diag_t *diag)
{
	*out = NULL;
	int k = find_impl(impl);
	if (k < 0) {
		return ssr_diag_set(diag, SSR_EINVAL,
		                    "regress: unknown implementation '%s' (knot, nsd, bind)", impl);
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
	version_of(k, bin, t->version, sizeof t->version);
	char hp[80];
	snprintf(hp, sizeof hp, "%s:%u", addr, port);
	if (ssr_probe_addr_parse(hp, port, &t->addr, &t->addr_len) != SSR_EOK) {
		return ssr_diag_set(diag, SSR_EINVAL, "regress: bad address '%s'", addr);
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
	char zcopy[600], conf[600], tmpl[4200], ps[8], log[600];
	snprintf(zcopy, sizeof zcopy, "%s/zone", d->dir);
	snprintf(conf, sizeof conf, "%s/%s.conf", d->dir, impl);
	snprintf(log, sizeof log, "%s/stderr.log", d->dir);
	snprintf(ps, sizeof ps, "%u", port);
	const char *data = getenv("SSRWATCH_DATA");
	snprintf(tmpl, sizeof tmpl, "%s/regress/targets/%s.conf", data ? data : SSR_DATA_DIR, impl);
	/* the zone as a copy in the working directory: the daemon may not read elsewhere */
	const char *kvz[] = {NULL};
	int rc = fill(zonefile, zcopy, kvz, diag);
	const char *kv[] = {"@ADDR@",     addr,  "@PORT@", ps,   "@DIR@", d->dir,
	                    "@ZONEFILE@", zcopy, "@ZONE@", zone, NULL};
	if (rc == SSR_EOK) {
		rc = fill(tmpl, conf, kv, diag);
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
		const char *argv[6];
		for (int i = 0; i < 6; i++) {
			argv[i] = impls[k].argv[i] && strcmp(impls[k].argv[i], "@CONF@") == 0
			              ? conf
			              : impls[k].argv[i];
		}
		execv(bin, (char *const *)argv);
		_exit(127);
	}
	if (d->pid < 0) {
		rm_tree(d->dir);
		free(d);
		return ssr_diag_set(diag, SSR_EIO, "regress: cannot start %s", impl);
	}
	if (!ready(t, zone, d->pid)) {
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
	rm_tree(d->dir);
	free(d);
}
