/* ssrwatch cluster slurm: the scripts of a sharded run on Slurm (and their submission). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ssrwatch/cluster.h"

static const char cluster_help[] =
    "usage: ssrwatch cluster slurm --engine E --inputs LIST --tasks N --out DIR [options]\n"
    "                              [-- ENGINE OPTIONS...]\n"
    "\n"
    "Write a Slurm job array of N map tasks (task i runs the engine's shard i/N and saves its\n"
    "state) and a merge job that runs when all of them ended well, as plain sbatch scripts in\n"
    "DIR: map.sbatch, merge.sbatch, submit.sh, resubmit.sh (only the tasks whose state is\n"
    "missing, then the merge), inputs.txt, states/, logs/; the merge writes DIR/result.  No\n"
    "cluster software of ssrwatch's own: sbatch, and the ssrwatch binary on every node.\n"
    "\n"
    "Engines: zone (zone stats: one file in byte ranges, several files whole), abuse (abuse\n"
    "ingest: the inputs are the zones, the same split; give -- --store DB --date D --feed ...;\n"
    "the merge stores the snapshot), names (names scan: the same; give -- --brands FILE),\n"
    "traffic-stats,\n"
    "traffic-collisions, traffic-trust-anchors (every capture read, the flows sharded).\n"
    "\n"
    "options:\n"
    "  --engine E         the engine (required)\n"
    "  --inputs LIST      a file listing the inputs, one path per line (required)\n"
    "  --tasks N          map tasks (required)\n"
    "  --out DIR          the job directory (required; created)\n"
    "  --partition P      sbatch --partition\n"
    "  --time T           sbatch --time (a task's and the merge's limit)\n"
    "  --account A        sbatch --account\n"
    "  --cpus N           CPUs per map task (default 1; zone stats reads with N threads)\n"
    "  --mem MB           memory per map task\n"
    "  --merge-arg ARG    an option for the merge (repeat: --merge-arg --format --merge-arg json)\n"
    "  --result NAME      the merge's output file in DIR (default result)\n"
    "  --ssrwatch PATH    the binary the jobs run (default: this one)\n"
    "  --submit           submit: the array, then the merge (afterok)\n"
    "  --hold             with --submit: the array held (scontrol release JOB starts it)\n"
    "  --help             this help\n"
    "\n"
    "Options after -- go to every map task's command (--root-zone FILE, --approx, --top N).\n";

typedef struct {
	ssr_cluster_slurm_t c;
	cli_list_t merge;
	bool submit, hold;
} cluster_opts_t;

static const ssr_opt_t cluster_opts[] = {
    SSR_OPT_STR("engine", cluster_opts_t, c.engine),
    SSR_OPT_STR("inputs", cluster_opts_t, c.inputs),
    SSR_OPT_UINT("tasks", cluster_opts_t, c.tasks, 1, 100000),
    SSR_OPT_STR("out", cluster_opts_t, c.out),
    SSR_OPT_STR("partition", cluster_opts_t, c.partition),
    SSR_OPT_STR("time", cluster_opts_t, c.time_limit),
    SSR_OPT_STR("account", cluster_opts_t, c.account),
    SSR_OPT_UINT("cpus", cluster_opts_t, c.cpus, 1, 1024),
    SSR_OPT_UINT("mem", cluster_opts_t, c.mem_mb, 1, 100000000),
    SSR_OPT_FN("merge-arg", cluster_opts_t, merge, cli_opt_list),
    SSR_OPT_STR("result", cluster_opts_t, c.result),
    SSR_OPT_STR("ssrwatch", cluster_opts_t, c.ssrwatch),
    SSR_OPT_FLAG("submit", cluster_opts_t, submit),
    SSR_OPT_FLAG("hold", cluster_opts_t, hold),
    SSR_OPT_HELP,
};

static int cluster_slurm(int argc, char **argv)
{
	static cluster_opts_t o;
	memset(&o, 0, sizeof o);
	int nargs = 0;
	int rc = cli_opts("cluster slurm", cluster_opts, CLI_NOPTS(cluster_opts), &o, argc, argv,
	                  &nargs, cluster_help);
	if (rc == CLI_OK && (!o.c.engine || !o.c.inputs || !o.c.tasks || !o.c.out)) {
		rc = cli_usage_error("cluster slurm", "--engine, --inputs, --tasks and --out are "
		                                      "required");
	}
	if (rc == CLI_OK && o.hold && !o.submit) {
		rc = cli_usage_error("cluster slurm", "--hold goes with --submit");
	}
	if (rc != CLI_OK) {
		return CLI_EXIT(rc);
	}
	o.c.args = (const char *const *)argv + 1;
	o.c.nargs = (size_t)nargs;
	o.c.merge_args = o.merge.v;
	o.c.nmerge_args = o.merge.n;
	ssr_diag_t diag = {0};
	if (ssr_cluster_slurm_write(&o.c, &diag) != SSR_EOK) {
		cli_error("cluster slurm: %s", diag.msg);
		return CLI_FAIL;
	}
	fprintf(stderr, "cluster slurm: %u map tasks and the merge written to '%s' (submit.sh)\n",
	        o.c.tasks, o.c.out);
	if (!o.submit) {
		return CLI_OK;
	}
	fflush(NULL);
	char script[8192];
	if (snprintf(script, sizeof script, "%s/submit.sh", o.c.out) >= (int)sizeof script) {
		cli_error("cluster slurm: directory name too long");
		return CLI_FAIL;
	}
	if (o.hold && setenv("SSR_HOLD", "1", 1) != 0) {
		cli_error("cluster slurm: cannot set SSR_HOLD");
		return CLI_FAIL;
	}
	char *const av[] = {"bash", script, NULL};
	int status = cli_run(av);
	if (status != 0) {
		cli_error("cluster slurm: '%s' failed (exit %d)", script, status);
		return CLI_FAIL;
	}
	return CLI_OK;
}

int cmd_cluster(int argc, char **argv)
{
	if (argc < 2 || cli_is_help(argc, argv)) {
		fputs(cluster_help, argc < 2 ? stderr : stdout);
		return argc < 2 ? CLI_USAGE : CLI_OK;
	}
	if (strcmp(argv[1], "slurm") == 0) {
		return cluster_slurm(argc - 1, argv + 1);
	}
	return cli_usage_error("cluster", "unknown command '%s' (slurm)", argv[1]);
}
