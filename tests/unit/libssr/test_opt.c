/* tests for src/libssr/opt.c: the one option table of commands and configuration files. */
#include <stdio.h>
#include <unistd.h>

#include "../test_common.h"
#include "ssrwatch/opt.h"

typedef struct {
	const char *store, *list[4];
	size_t nlist;
	bool quick, bg;
	int progress, color;
	unsigned threads;
	uint64_t big;
	double share;
} t_opts_t;

static const char *const colors[] = {"red", "green", "blue", NULL};

static int add(const char *v, void *member, ssr_diag_t *diag)
{
	t_opts_t *o = member; /* off 0: the whole struct */
	if (o->nlist == 4) {
		return ssr_diag_set(diag, SSR_EINVAL, "too many");
	}
	o->list[o->nlist++] = v;
	return SSR_EOK;
}

static const ssr_opt_t table[] = {
    SSR_OPT_STR("store", t_opts_t, store),
    {.name = "item", .type = SSR_OPT_T_FN, .off = 0, .fn = add},
    SSR_OPT_FLAG("quick", t_opts_t, quick),
    SSR_OPT_BOOL("background", t_opts_t, bg),
    SSR_OPT_SET("quiet", t_opts_t, progress, -1),
    SSR_OPT_CHOICE("color", t_opts_t, color, "colour", colors),
    SSR_OPT_UINT("threads", t_opts_t, threads, 1, 16),
    SSR_OPT_U64("big", t_opts_t, big, 0, UINT64_MAX),
    SSR_OPT_DOUBLE("share", t_opts_t, share, 0, 1),
    {.name = "config", .type = SSR_OPT_T_STR, .off = offsetof(t_opts_t, store), .argv_only = true},
    SSR_OPT_HELP,
};
#define N (sizeof(table) / sizeof(table[0]))

static int parse(t_opts_t *o, int argc, char **argv, int *nargs, bool *help, ssr_diag_t *d)
{
	static char *args[32];
	memset(o, 0, sizeof(*o));
	return ssr_opt_parse(table, N, o, argc, argv, args, nargs, help, d);
}

static void command_lines(void **state)
{
	(void)state;
	t_opts_t o;
	ssr_diag_t d;
	int n;
	bool help;
	char *a1[] = {"cmd",
	              "FILE1",
	              "--store",
	              "s.db",
	              "--item=x",
	              "--quick",
	              "--item",
	              "y",
	              "--background",
	              "no",
	              "--quiet",
	              "--color",
	              "blue",
	              "--thr",
	              "16",
	              "--big",
	              "18446744073709551615",
	              "--share",
	              "0.25",
	              "--",
	              "--FILE2",
	              "-"};
	assert_int_equal(parse(&o, 22, a1, &n, &help, &d), SSR_EOK);
	assert_false(help);
	assert_string_equal(o.store, "s.db");
	assert_int_equal(o.nlist, 2);
	assert_string_equal(o.list[1], "y");
	assert_true(o.quick);
	assert_false(o.bg);
	assert_int_equal(o.progress, -1);
	assert_int_equal(o.color, 2);
	assert_int_equal(o.threads, 16); /* an unambiguous prefix */
	assert_true(o.big == UINT64_MAX);
	assert_true(o.share == 0.25);
	assert_int_equal(n, 3); /* FILE1, --FILE2 after "--", and "-" */

	static const struct {
		int argc;
		char *argv[4];
		const char *msg;
	} bad[] = {
	    {2, {"cmd", "--nope"}, "unknown option '--nope'"},
	    {2, {"cmd", "-x"}, "unknown option '-x'"},
	    {2, {"cmd", "--store"}, "option '--store' needs a value"},
	    {2, {"cmd", "--quick=yes"}, "option '--quick' takes no value"},
	    {3, {"cmd", "--threads", "0"}, "bad --threads '0' (a whole number from 1 to 16)"},
	    {3, {"cmd", "--threads", "17"}, "bad --threads '17' (a whole number from 1 to 16)"},
	    {3, {"cmd", "--threads", "-1"}, "bad --threads '-1'"},
	    {3, {"cmd", "--threads", " 3"}, "bad --threads ' 3'"},
	    {3,
	     {"cmd", "--big", "18446744073709551616"},
	     "bad --big '18446744073709551616' (a whole number from 0)"},
	    {3, {"cmd", "--share", "1.5"}, "bad --share '1.5' (0 to 1)"},
	    {3, {"cmd", "--share", "nan"}, "bad --share 'nan'"},
	    {3, {"cmd", "--color", "pink"}, "unknown colour 'pink' (red, green or blue)"},
	    {3, {"cmd", "--background", "maybe"}, "bad --background 'maybe' (yes or no)"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int rc = parse(&o, bad[i].argc, (char **)bad[i].argv, &n, &help, &d);
		if (rc != SSR_EINVAL || strstr(d.msg, bad[i].msg) == NULL) {
			fail_msg("%zu: rc %d, '%s' lacks '%s'", i, rc, d.msg, bad[i].msg);
		}
	}
	char *amb[] = {"cmd", "--s", "x"}; /* store or share */
	assert_int_equal(parse(&o, 3, amb, &n, &help, &d), SSR_EINVAL);
	assert_non_null(strstr(d.msg, "unknown option '--s'"));
	char *h[] = {"cmd", "--store", "x", "-h", "--nope"};
	assert_int_equal(parse(&o, 5, h, &n, &help, &d), SSR_EOK);
	assert_true(help);
}

static void files(void **state)
{
	(void)state;
	char path[] = "/tmp/ssr-opt-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	const char text[] = "# settings\n\n  store = a b.db  \nbackground=yes\ncolor = green\n"
	                    "threads = 4\n";
	assert_int_equal(write(fd, text, sizeof text - 1), (ssize_t)(sizeof text - 1));
	close(fd);
	t_opts_t o = {0};
	ssr_arena_t keep;
	ssr_arena_init(&keep, 256);
	ssr_diag_t d;
	assert_int_equal(ssr_opt_load_file(table, N, &o, path, &keep, &d), SSR_EOK);
	assert_string_equal(o.store, "a b.db");
	assert_true(o.bg);
	assert_int_equal(o.color, 1);
	assert_int_equal(o.threads, 4);
	/* what a file may not say, each named with file and line */
	static const struct {
		const char *text, *msg;
	} bad[] = {
	    {"quiet = 1\n", "line 1: unknown setting 'quiet'"},
	    {"config = x\n", "line 1: unknown setting 'config'"},
	    {"\nhelp = 1\n", "line 2: unknown setting 'help'"},
	    {"threads = 99\n", "line 1: bad threads '99' (a whole number from 1 to 16)"},
	    {"store\n", "line 1: expected 'key = value'"},
	    {"quick = perhaps\n", "line 1: bad quick 'perhaps' (yes or no)"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		FILE *f = fopen(path, "w");
		assert_non_null(f);
		fputs(bad[i].text, f);
		fclose(f);
		int rc = ssr_opt_load_file(table, N, &o, path, &keep, &d);
		if (rc == SSR_EOK || strstr(d.msg, bad[i].msg) == NULL ||
		    strstr(d.msg, path) == NULL) {
			fail_msg("%zu: rc %d, '%s' lacks '%s'", i, rc, d.msg, bad[i].msg);
		}
	}
	/* a line over 4 KiB */
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("store = ", f);
	for (int i = 0; i < 5000; i++) {
		fputc('x', f);
	}
	fputc('\n', f);
	fclose(f);
	assert_int_not_equal(ssr_opt_load_file(table, N, &o, path, &keep, &d), SSR_EOK);
	assert_non_null(strstr(d.msg, "line too long"));
	unlink(path);
	assert_int_equal(ssr_opt_load_file(table, N, &o, path, &keep, &d), SSR_ENOTFOUND);
	ssr_arena_release(&keep);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(command_lines),
	    cmocka_unit_test(files),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
