/* ssrwatch CLI — the helpers every command file shares (cli.h): the log sink, error and usage
 * messages, number and format options, and --output files written whole or not at all. */
#include <errno.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "ssrwatch/date.h"

static void log_stderr(void *ctx, ssr_log_level_t level, const char *source, const char *msg)
{
	(void)ctx;
	(void)source;
	if (level == SSR_LOG_ERROR) {
		fprintf(stderr, "ssrwatch: %s\n", msg);
	} else {
		fprintf(stderr, "ssrwatch: %s: %s\n", ssr_log_level_name(level), msg);
	}
}

ssr_log_t cli_log = {log_stderr, NULL, SSR_LOG_NOTICE};

void cli_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("ssrwatch: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("ssrwatch: ", stderr);
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\nTry 'ssrwatch %s --help'.\n", cmd);
	va_end(ap);
	return CLI_USAGE;
}

int cli_out_open(const char *cmd, const char *path, cli_out_t *o)
{
	o->path = path;
	o->f = stdout;
	if (path == NULL) {
		return CLI_OK;
	}
	struct stat st;
	o->direct = stat(path, &st) == 0 && !S_ISREG(st.st_mode);
	snprintf(o->tmp, sizeof o->tmp, "%s%s", path, o->direct ? "" : ".tmp");
	if ((o->f = fopen(o->tmp, "w")) == NULL) {
		cli_error("%s: cannot write '%s'", cmd, o->tmp);
		return CLI_FAIL;
	}
	return CLI_OK;
}

int cli_out_close(const char *cmd, cli_out_t *o, bool ok)
{
	if (o->f == NULL) {
		return ok ? CLI_OK : CLI_FAIL;
	}
	bool good = !ferror(o->f);
	if (o->path == NULL) {
		good &= fflush(o->f) == 0;
	} else {
		good &= fclose(o->f) == 0;
		if (!o->direct) {
			good = good && ok && rename(o->tmp, o->path) == 0;
			if (!good) {
				unlink(o->tmp);
			}
		}
	}
	o->f = NULL;
	if (ok && !good) {
		cli_error("%s: write failed on '%s'", cmd, o->path ? o->path : "standard output");
	}
	return ok && good ? CLI_OK : CLI_FAIL;
}

int cli_parse_u64(const char *s, uint64_t *out)
{
	if (s == NULL || *s < '0' || *s > '9') {
		return -1;
	}
	errno = 0;
	char *end;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0') {
		return -1;
	}
	*out = v;
	return 0;
}

int cli_parse_double(const char *s, double *out)
{
	errno = 0;
	char *end;
	double v = strtod(s, &end);
	if (errno != 0 || end == s || *end != '\0') {
		return -1;
	}
	*out = v;
	return 0;
}

int cli_parse_format(const char *cmd, const char *s, ssr_format_t *out)
{
	if (ssr_format_parse(s, out) != SSR_EOK) {
		return cli_usage_error(cmd, "unknown format '%s' (table, json or csv)", s);
	}
	return CLI_OK;
}

int cli_opts(const char *cmd, const ssr_opt_t *t, size_t n, void *base, int argc, char **argv,
             int *nargs, const char *help)
{
	ssr_diag_t d;
	bool want_help = false;
	/* in place: an argument is moved only over slots already read */
	if (ssr_opt_parse(t, n, base, argc, argv, argv + 1, nargs, &want_help, &d) != SSR_EOK) {
		return cli_usage_error(cmd, "%s", d.msg);
	}
	if (want_help) {
		if (help != NULL) {
			fputs(help, stdout);
		}
		return CLI_HELP;
	}
	return CLI_OK;
}

int cli_opt_format(const char *v, void *member, ssr_diag_t *diag)
{
	if (ssr_format_parse(v, member) != SSR_EOK) {
		return ssr_diag_set(diag, SSR_EINVAL, "unknown format '%s' (table, json or csv)",
		                    v);
	}
	return SSR_EOK;
}

int cli_opt_date(const char *v, void *member, ssr_diag_t *diag)
{
	int32_t day;
	if (strlen(v) != 10 || ssr_date_parse(v, 10, &day) != SSR_EOK) {
		return ssr_diag_set(diag, SSR_EINVAL, "bad date '%s' (YYYY-MM-DD)", v);
	}
	*(const char **)member = v;
	return SSR_EOK;
}

int cli_opt_list(const char *v, void *member, ssr_diag_t *diag)
{
	cli_list_t *l = member;
	if (l->n == CLI_LIST_MAX) {
		return ssr_diag_set(diag, SSR_EINVAL, "too many values (at most %d)", CLI_LIST_MAX);
	}
	l->v[l->n++] = v;
	return SSR_EOK;
}

bool cli_is_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			return true;
		}
	}
	return false;
}

int cli_trust_anchor(const char *cmd, const char *value, const char *file, char *buf, size_t cap,
                     const char **out)
{
	*out = value;
	if (file == NULL) {
		return CLI_OK;
	}
	FILE *f = fopen(file, "r");
	size_t n = f ? fread(buf, 1, cap - 1, f) : 0;
	bool big = f != NULL && n == cap - 1 && fgetc(f) != EOF;
	bool bad = f == NULL || ferror(f) || big || n == 0;
	if (f != NULL) {
		fclose(f);
	}
	if (bad) {
		cli_error("%s: cannot read the trust anchor file '%s'%s", cmd, file,
		          big ? " (too large)" : "");
		return CLI_FAIL;
	}
	buf[n] = 0;
	*out = buf;
	return CLI_OK;
}

int cli_opt_score(const char *v, void *member, ssr_diag_t *diag)
{
	double d;
	if (cli_parse_double(v, &d) != 0 || d < 0 || d > 1) {
		return ssr_diag_set(diag, SSR_EINVAL, "bad score '%s' (0 to 1)", v);
	}
	*(double *)member = d;
	return SSR_EOK;
}

int cli_run(char *const argv[])
{
	pid_t pid;
	extern char **environ;
	if (posix_spawnp(&pid, argv[0], NULL, NULL, argv, environ) != 0) {
		return -1;
	}
	int st;
	while (waitpid(pid, &st, 0) < 0) {
		if (errno != EINTR) {
			return -1;
		}
	}
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
}

char *cli_state_args(int argc, char **argv, const char *const *skip, size_t nskip)
{
	size_t cap = 1, n = 0;
	for (int i = 1; i < argc; i++) {
		cap += strlen(argv[i]) + 1;
	}
	char *out = malloc(cap);
	for (int i = 1; out && i < argc; i++) {
		bool drop = false;
		for (size_t k = 0; k < nskip && !drop; k++) {
			size_t l = strlen(skip[k]);
			if (strncmp(argv[i], skip[k], l) == 0 &&
			    (argv[i][l] == '\0' || argv[i][l] == '=')) {
				drop = true;
				i += argv[i][l] == '\0'; /* and its value */
			}
		}
		if (!drop) {
			size_t l = strlen(argv[i]);
			if (n > 0) {
				out[n++] = '\x1f';
			}
			memcpy(out + n, argv[i], l);
			n += l;
		}
	}
	if (out) {
		out[n] = '\0';
	}
	return out;
}

char **cli_state_argv(const char *cmd, char *args, const char *const *extra, size_t nextra, int *ac)
{
	size_t cap = nextra + 3;
	for (const char *p = args; *p; p++) {
		cap += *p == '\x1f';
	}
	char **av = calloc(cap, sizeof *av);
	if (!av) {
		return NULL;
	}
	int n = 0;
	av[n++] = (char *)cmd;
	for (char *p = args; *p;) {
		av[n++] = p;
		char *e = strchr(p, '\x1f');
		if (!e) {
			break;
		}
		*e = '\0';
		p = e + 1;
	}
	for (size_t i = 0; i < nextra; i++) {
		av[n++] = (char *)extra[i];
	}
	av[n] = NULL;
	*ac = n;
	return av;
}

int cli_str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int cli_state_rerun(const char *args, const char *cmd, const char *const *extra, size_t nextra,
                    int (*run)(int argc, char **argv))
{
	char *copy = strdup(args);
	int ac = 0;
	char **av = copy ? cli_state_argv(cmd, copy, extra, nextra, &ac) : NULL;
	int rc = CLI_FAIL;
	if (!av) {
		cli_error("merge: out of memory");
	} else {
		rc = run(ac, av);
	}
	free(av);
	free(copy);
	return rc;
}
