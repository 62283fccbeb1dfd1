/* ssrwatch — running an engine's shards on a cluster with no cluster software of our own
 * (issue 23): a Slurm job array of map tasks (`--shard I/N --save-state`) and one merge job
 * that depends on them, written as plain sbatch scripts. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "ssrwatch/error.h"

typedef struct {
	const char *engine;    /* "zone", "abuse", "names", "traffic-stats",
	                        * "traffic-collisions", "traffic-trust-anchors" */
	const char *inputs;    /* a file listing the inputs, one path per line ('#' comments) */
	unsigned tasks;        /* N map tasks (1..SSR_STATE_MAX_SHARDS) */
	const char *out;       /* the job directory (created): scripts, states/, logs/, result */
	const char *partition; /* optional sbatch settings */
	const char *time_limit;
	const char *account;
	unsigned cpus;           /* per map task; 0: 1 */
	unsigned mem_mb;         /* per map task; 0: the partition's default */
	const char *ssrwatch;    /* the binary the jobs run (absolute); NULL: this program */
	const char *const *args; /* the engine's own options for the map tasks */
	size_t nargs;
	const char *const *merge_args; /* options for 'ssrwatch merge' (--format json, ...) */
	size_t nmerge_args;
	const char *result; /* the merge's output file name in out; NULL: "result" */
} ssr_cluster_slurm_t;

/* Write out/inputs.txt (absolute paths), out/map.sbatch (the array: task i runs shard i/N),
 * out/merge.sbatch, out/submit.sh (the array, then the merge with afterok; SSR_HOLD=1 submits
 * the array held) and out/resubmit.sh (only the indices whose state is missing, then the merge
 * again), and the directories states/ and logs/.  Every argument is shell-quoted.
 * Errors: SSR_EINVAL (an unknown engine, no task, a relative or missing binary), SSR_ENOTFOUND
 * or SSR_EIO (the input list; an input that does not exist, naming list and line), SSR_EPARSE
 * (an empty list), SSR_EIO (writing), SSR_ENOMEM. */
int ssr_cluster_slurm_write(const ssr_cluster_slurm_t *o, ssr_diag_t *diag) SSR_CHECK;
