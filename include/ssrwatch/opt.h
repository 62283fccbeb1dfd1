/* ssrwatch — one declarative option table for every command and for configuration files: each
 * entry names an option, its type and range, and the member of the command's options struct it
 * sets.  The same table parses a command line (--name VALUE, --name=VALUE, options and
 * arguments in any order, "--" ends options) and 'name = value' lines of a file, with one set
 * of messages:
 *   unknown option '--x'            option '--x' needs a value
 *   bad --threads '0' (a whole number from 1 to 16)
 *   unknown format 'yaml' (table, json or csv)
 * (in a file, the name without dashes, prefixed with "config 'F' line N: "). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ssrwatch/arena.h"
#include "ssrwatch/error.h"

typedef enum {
	SSR_OPT_T_FLAG,   /* bool member = true (in a file: yes/no, true/false, 1/0) */
	SSR_OPT_T_BOOL,   /* bool member from a value: yes/no, true/false, 1/0 */
	SSR_OPT_T_SET,    /* int member = .min; takes no value (--quiet: progress = -1) */
	SSR_OPT_T_STR,    /* const char * member = the value */
	SSR_OPT_T_UINT,   /* unsigned member, from .min to .max */
	SSR_OPT_T_U64,    /* uint64_t member, from .min to .max */
	SSR_OPT_T_DOUBLE, /* double member, from .dmin to .dmax */
	SSR_OPT_T_CHOICE, /* int member = index of the value in .choices */
	SSR_OPT_T_FN,     /* .fn(value, member, diag): its own rule and message */
	SSR_OPT_T_HELP,   /* --help: parsing stops and reports it */
} ssr_opt_type_t;

typedef int (*ssr_opt_fn)(const char *value, void *member, ssr_diag_t *diag);

typedef struct {
	const char *name; /* without the dashes */
	ssr_opt_type_t type;
	size_t off; /* the member's offset in the options struct */
	int64_t min;
	uint64_t max;
	double dmin, dmax;
	const char *const *choices; /* NULL-terminated */
	ssr_opt_fn fn;
	const char *label; /* CHOICE: what a value is called in messages ("format") */
	bool argv_only;    /* not a setting of a file (--config FILE itself) */
} ssr_opt_t;

#define SSR_OPT_FLAG(n, T, m)                                                                      \
	{                                                                                          \
		.name = (n), .type = SSR_OPT_T_FLAG, .off = offsetof(T, m)                         \
	}
#define SSR_OPT_BOOL(n, T, m)                                                                      \
	{                                                                                          \
		.name = (n), .type = SSR_OPT_T_BOOL, .off = offsetof(T, m)                         \
	}
#define SSR_OPT_SET(n, T, m, v)                                                                    \
	{                                                                                          \
		.name = (n), .type = SSR_OPT_T_SET, .off = offsetof(T, m), .min = (v)              \
	}
#define SSR_OPT_STR(n, T, m)                                                                       \
	{                                                                                          \
		.name = (n), .type = SSR_OPT_T_STR, .off = offsetof(T, m)                          \
	}
#define SSR_OPT_UINT(n, T, m, lo, hi)                                                              \
	{                                                                                          \
		.name = (n), .type = SSR_OPT_T_UINT, .off = offsetof(T, m), .min = (lo),           \
		.max = (hi)                                                                        \
	}
#define SSR_OPT_U64(n, T, m, lo, hi)                                                               \
	{                                                                                          \
		.name = (n), .type = SSR_OPT_T_U64, .off = offsetof(T, m), .min = (lo),            \
		.max = (hi)                                                                        \
	}
#define SSR_OPT_DOUBLE(n, T, m, lo, hi)                                                            \
	{                                                                                          \
		.name = (n), .type = SSR_OPT_T_DOUBLE, .off = offsetof(T, m), .dmin = (lo),        \
		.dmax = (hi)                                                                       \
	}
#define SSR_OPT_CHOICE(n, T, m, what, list)                                                        \
	{                                                                                          \
		.name = (n), .type = SSR_OPT_T_CHOICE, .off = offsetof(T, m), .choices = (list),   \
		.label = (what)                                                                    \
	}
#define SSR_OPT_FN(n, T, m, f)                                                                     \
	{                                                                                          \
		.name = (n), .type = SSR_OPT_T_FN, .off = offsetof(T, m), .fn = (f)                \
	}
#define SSR_OPT_HELP                                                                               \
	{                                                                                          \
		.name = "help", .type = SSR_OPT_T_HELP                                             \
	}

/* Set one option of base from its table: key without dashes, value NULL for a flag given on a
 * command line.  in_file: the value comes from a file (flags take yes/no; names in messages
 * lose their dashes).  Errors: SSR_EINVAL with the message above. */
int ssr_opt_set(const ssr_opt_t *t, size_t n, void *base, const char *key, const char *value,
                bool in_file, ssr_diag_t *diag) SSR_CHECK;

/* Parse argv[1..argc-1] into base: the arguments that are not options go to args (argc
 * entries, in order; *nargs of them; args may be argv + 1: an argument only overwrites slots
 * already read); *help true when --help or -h was given (parsing stops there).
 * Errors: SSR_EINVAL (diag: the message). */
int ssr_opt_parse(const ssr_opt_t *t, size_t n, void *base, int argc, char **argv, char **args,
                  int *nargs, bool *help, ssr_diag_t *diag) SSR_CHECK;

/* Read 'name = value' lines of path ('#' comments, blank lines; lines up to 4 KiB) into base;
 * the values are copied into keep, which must outlive base's use.  Errors: SSR_ENOTFOUND and
 * SSR_EIO (the file), SSR_EPARSE
 * (a line that is not 'name = value'), SSR_EINVAL (a bad value), each naming file and line. */
int ssr_opt_load_file(const ssr_opt_t *t, size_t n, void *base, const char *path, ssr_arena_t *keep,
                      ssr_diag_t *diag) SSR_CHECK;
