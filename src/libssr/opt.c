/* ssrwatch — the declarative option table (opt.h): command lines and configuration files. */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ssrwatch/lines.h"
#include "ssrwatch/opt.h"

static const ssr_opt_t *find(const ssr_opt_t *t, size_t n, const char *key, size_t kl)
{
	for (size_t i = 0; i < n; i++) {
		if (strlen(t[i].name) == kl && strncmp(t[i].name, key, kl) == 0) {
			return &t[i];
		}
	}
	return NULL;
}

/* An exact name, or on a command line an unambiguous prefix (as getopt_long allows). */
static const ssr_opt_t *find_arg(const ssr_opt_t *t, size_t n, const char *key, size_t kl)
{
	const ssr_opt_t *o = find(t, n, key, kl), *hit = NULL;
	for (size_t i = 0; o == NULL && kl > 0 && i < n; i++) {
		if (strncmp(t[i].name, key, kl) == 0) {
			if (hit != NULL) {
				return NULL; /* ambiguous */
			}
			hit = &t[i];
		}
	}
	return o ? o : hit;
}

static bool takes_value(const ssr_opt_t *o)
{
	return o->type != SSR_OPT_T_FLAG && o->type != SSR_OPT_T_SET && o->type != SSR_OPT_T_HELP;
}

/* A whole decimal number without sign, spaces or overflow. */
static bool whole(const char *s, uint64_t *v)
{
	if (*s < '0' || *s > '9') {
		return false;
	}
	errno = 0;
	char *end;
	unsigned long long x = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0') {
		return false;
	}
	*v = x;
	return true;
}

static int bad_number(const ssr_opt_t *o, const char *dash, const char *v, uint64_t type_max,
                      ssr_diag_t *diag)
{
	if (o->max >= type_max) {
		return ssr_diag_set(diag, SSR_EINVAL, "bad %s%s '%s' (a whole number%s%" PRId64 ")",
		                    dash, o->name, v, o->min > 0 ? ", at least " : " from ",
		                    o->min);
	}
	return ssr_diag_set(diag, SSR_EINVAL,
	                    "bad %s%s '%s' (a whole number from %" PRId64 " to %" PRIu64 ")", dash,
	                    o->name, v, o->min, o->max);
}

static int choice(const ssr_opt_t *o, const char *v, int *out, ssr_diag_t *diag)
{
	for (int i = 0; o->choices[i] != NULL; i++) {
		if (strcmp(o->choices[i], v) == 0) {
			*out = i;
			return SSR_EOK;
		}
	}
	char list[512];
	size_t used = 0;
	for (int i = 0; o->choices[i] != NULL && used < sizeof(list); i++) {
		const char *sep = i == 0 ? "" : o->choices[i + 1] == NULL ? " or " : ", ";
		used +=
		    (size_t)snprintf(list + used, sizeof(list) - used, "%s%s", sep, o->choices[i]);
	}
	return ssr_diag_set(diag, SSR_EINVAL, "unknown %s '%s' (%s)", o->label ? o->label : o->name,
	                    v, list);
}

static int set_one(const ssr_opt_t *o, void *base, const char *v, bool in_file, ssr_diag_t *diag)
{
	char *m = (char *)base + o->off;
	const char *dash = in_file ? "" : "--";
	uint64_t x;
	switch (o->type) {
	case SSR_OPT_T_FLAG:
	case SSR_OPT_T_BOOL:
		if (v == NULL || strcmp(v, "yes") == 0 || strcmp(v, "true") == 0 ||
		    strcmp(v, "1") == 0) {
			*(bool *)m = true;
		} else if (strcmp(v, "no") == 0 || strcmp(v, "false") == 0 || strcmp(v, "0") == 0) {
			*(bool *)m = false;
		} else {
			return ssr_diag_set(diag, SSR_EINVAL, "bad %s%s '%s' (yes or no)", dash,
			                    o->name, v);
		}
		return SSR_EOK;
	case SSR_OPT_T_SET:
		*(int *)m = (int)o->min;
		return SSR_EOK;
	case SSR_OPT_T_STR:
		*(const char **)m = v;
		return SSR_EOK;
	case SSR_OPT_T_UINT:
		if (!whole(v, &x) || x < (uint64_t)o->min || x > o->max || x > UINT32_MAX) {
			return bad_number(o, dash, v, UINT32_MAX, diag);
		}
		*(unsigned *)m = (unsigned)x;
		return SSR_EOK;
	case SSR_OPT_T_U64:
		if (!whole(v, &x) || x < (uint64_t)o->min || x > o->max) {
			return bad_number(o, dash, v, UINT64_MAX, diag);
		}
		*(uint64_t *)m = x;
		return SSR_EOK;
	case SSR_OPT_T_DOUBLE: {
		char *end;
		errno = 0;
		double d = strtod(v, &end);
		if (errno != 0 || end == v || *end != '\0' || !isfinite(d) || d < o->dmin ||
		    d > o->dmax) {
			return ssr_diag_set(diag, SSR_EINVAL, "bad %s%s '%s' (%g to %g)", dash,
			                    o->name, v, o->dmin, o->dmax);
		}
		*(double *)m = d;
		return SSR_EOK;
	}
	case SSR_OPT_T_CHOICE:
		return choice(o, v, (int *)m, diag);
	case SSR_OPT_T_FN:
		return o->fn(v, m, diag);
	case SSR_OPT_T_HELP:
		return SSR_EOK;
	}
	return ssr_diag_set(diag, SSR_EINVAL, "option '%s%s': bad table entry", dash, o->name);
}

int ssr_opt_set(const ssr_opt_t *t, size_t n, void *base, const char *key, const char *value,
                bool in_file, ssr_diag_t *diag)
{
	const ssr_opt_t *o = find(t, n, key, strlen(key));
	if (o == NULL || o->type == SSR_OPT_T_HELP ||
	    (in_file && (o->type == SSR_OPT_T_SET || o->argv_only))) {
		return in_file ? ssr_diag_set(diag, SSR_EINVAL, "unknown setting '%s'", key)
		               : ssr_diag_set(diag, SSR_EINVAL, "unknown option '--%s'", key);
	}
	if (value == NULL && (takes_value(o) || in_file)) {
		return ssr_diag_set(diag, SSR_EINVAL, "option '--%s' needs a value", key);
	}
	return set_one(o, base, value, in_file, diag);
}

int ssr_opt_parse(const ssr_opt_t *t, size_t n, void *base, int argc, char **argv, char **args,
                  int *nargs, bool *help, ssr_diag_t *diag)
{
	*nargs = 0;
	*help = false;
	bool options = true;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!options || a[0] != '-' || a[1] == '\0') {
			args[(*nargs)++] = argv[i]; /* an argument, or "-" (standard input) */
			continue;
		}
		if (strcmp(a, "--") == 0) {
			options = false;
			continue;
		}
		if (strcmp(a, "-h") == 0 && find(t, n, "help", 4) != NULL) {
			*help = true;
			return SSR_EOK;
		}
		if (a[1] != '-') {
			return ssr_diag_set(diag, SSR_EINVAL, "unknown option '%s'", a);
		}
		const char *key = a + 2, *eq = strchr(key, '=');
		size_t kl = eq ? (size_t)(eq - key) : strlen(key);
		const ssr_opt_t *o = find_arg(t, n, key, kl);
		if (o == NULL) {
			return ssr_diag_set(diag, SSR_EINVAL, "unknown option '--%.*s'", (int)kl,
			                    key);
		}
		if (o->type == SSR_OPT_T_HELP) {
			*help = true;
			return SSR_EOK;
		}
		const char *v = NULL;
		if (takes_value(o)) {
			if (eq != NULL) {
				v = eq + 1;
			} else if (i + 1 < argc) {
				v = argv[++i];
			} else {
				return ssr_diag_set(diag, SSR_EINVAL, "option '--%s' needs a value",
				                    o->name);
			}
		} else if (eq != NULL) {
			return ssr_diag_set(diag, SSR_EINVAL, "option '--%s' takes no value",
			                    o->name);
		}
		int rc = set_one(o, base, v, false, diag);
		if (rc != SSR_EOK) {
			return rc;
		}
	}
	return SSR_EOK;
}

int ssr_opt_load_file(const ssr_opt_t *t, size_t n, void *base, const char *path, ssr_arena_t *keep,
                      ssr_diag_t *diag)
{
	ssr_lines_t *lr;
	int rc = ssr_lines_open(path, 4096, &lr, diag);
	if (rc != SSR_EOK) {
		return rc;
	}
	const char *p;
	size_t len;
	bool too_long;
	while ((rc = ssr_lines_next(lr, &p, &len, &too_long, diag)) == 1) {
		uint64_t line = ssr_lines_number(lr);
		while (len > 0 && (*p == ' ' || *p == '\t')) {
			p++, len--;
		}
		if (!too_long && (len == 0 || *p == '#')) {
			continue;
		}
		const char *eq = too_long ? NULL : memchr(p, '=', len);
		if (eq == NULL || memchr(p, '\0', len) != NULL) {
			rc = ssr_diag_set(diag, SSR_EPARSE, "config '%s' line %" PRIu64 ": %s",
			                  path, line,
			                  too_long ? "line too long" : "expected 'key = value'");
			break;
		}
		size_t kl = (size_t)(eq - p);
		while (kl > 0 && (p[kl - 1] == ' ' || p[kl - 1] == '\t')) {
			kl--;
		}
		const char *v = eq + 1, *e = p + len;
		while (v < e && (*v == ' ' || *v == '\t')) {
			v++;
		}
		while (e > v && (e[-1] == ' ' || e[-1] == '\t')) {
			e--;
		}
		char *ks = ssr_arena_alloc(keep, kl + 1),
		     *vs = ssr_arena_alloc(keep, (size_t)(e - v) + 1);
		if (ks == NULL || vs == NULL) {
			rc = ssr_diag_set(diag, SSR_ENOMEM, "config '%s': out of memory", path);
			break;
		}
		memcpy(ks, p, kl);
		ks[kl] = '\0';
		memcpy(vs, v, (size_t)(e - v));
		vs[e - v] = '\0';
		ssr_diag_t d;
		if (ssr_opt_set(t, n, base, ks, vs, true, &d) != SSR_EOK) {
			rc = ssr_diag_set(diag, d.code, "config '%s' line %" PRIu64 ": %s", path,
			                  line, d.msg);
			break;
		}
	}
	ssr_lines_free(lr);
	return rc < 0 ? rc : SSR_EOK;
}
