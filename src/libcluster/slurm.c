/* libcluster: the Slurm scripts of a sharded run (include/ssrwatch/cluster.h). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ssrwatch/cluster.h"
#include "ssrwatch/lines.h"
#include "ssrwatch/state.h"

#define LIST_LINE_MAX 4096

/* The engine's map command: the words after the binary. */
static const char *const *engine_words(const char *engine)
{
	static const char *const zone[] = {"zone", "stats", NULL};
	static const char *const stats[] = {"traffic", "stats", NULL};
	static const char *const coll[] = {"traffic", "collisions", NULL};
	static const char *const anch[] = {"traffic", "trust-anchors", NULL};
	static const char *const names[] = {"names", "scan", NULL};
	static const char *const abuse[] = {"abuse", "ingest", NULL};
	return strcmp(engine, "zone") == 0                    ? zone
	       : strcmp(engine, "abuse") == 0                 ? abuse
	       : strcmp(engine, "traffic-stats") == 0         ? stats
	       : strcmp(engine, "traffic-collisions") == 0    ? coll
	       : strcmp(engine, "traffic-trust-anchors") == 0 ? anch
	       : strcmp(engine, "names") == 0                 ? names
	                                                      : NULL;
}

/* s in single quotes for the shell ('it'\''s'). */
static void q(FILE *f, const char *s)
{
	fputc('\'', f);
	for (; *s; s++) {
		if (*s == '\'') {
			fputs("'\\''", f);
		} else {
			fputc(*s, f);
		}
	}
	fputc('\'', f);
}

typedef struct {
	FILE *f;
	const char *list;
	size_t n;
	int err;
	ssr_diag_t *diag;
} inputs_t;

static int on_input(const char *line, size_t len, uint64_t lineno, inputs_t *in)
{
	while (len > 0 &&
	       (line[len - 1] == ' ' || line[len - 1] == '\t' || line[len - 1] == '\r')) {
		len--;
	}
	while (len > 0 && (*line == ' ' || *line == '\t')) {
		line++;
		len--;
	}
	if (len == 0 || *line == '#') {
		return SSR_EOK;
	}
	if (len >= LIST_LINE_MAX) {
		return ssr_diag_set(in->diag, SSR_EPARSE, "inputs '%s' line %llu: not a path",
		                    in->list, (unsigned long long)lineno);
	}
	char path[LIST_LINE_MAX], abs[PATH_MAX];
	memcpy(path, line, len);
	path[len] = '\0';
	if (realpath(path, abs) == NULL) {
		return ssr_diag_set(in->diag, SSR_ENOTFOUND, "inputs '%s' line %llu: '%s': %s",
		                    in->list, (unsigned long long)lineno, path, strerror(errno));
	}
	fprintf(in->f, "%s\n", abs);
	in->n++;
	return SSR_EOK;
}

static int mkdirs(const char *dir, const char *sub, ssr_diag_t *diag)
{
	char p[PATH_MAX];
	snprintf(p, sizeof p, "%s%s%s", dir, sub ? "/" : "", sub ? sub : "");
	if (mkdir(p, 0777) != 0 && errno != EEXIST) {
		return ssr_diag_set(diag, SSR_EIO, "cannot create '%s': %s", p, strerror(errno));
	}
	return SSR_EOK;
}

/* Open out/name for writing (executable scripts); NULL with diag set. */
static FILE *open_in(const char *dir, const char *name, char *path, size_t cap, ssr_diag_t *diag)
{
	snprintf(path, cap, "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	if (!f) {
		ssr_diag_set(diag, SSR_EIO, "cannot write '%s': %s", path, strerror(errno));
	}
	return f;
}

static int close_script(FILE *f, const char *path, ssr_diag_t *diag)
{
	bool bad = ferror(f) != 0;
	if (fclose(f) != 0 || bad) {
		return ssr_diag_set(diag, SSR_EIO, "cannot write '%s'", path);
	}
	if (chmod(path, 0755) != 0) {
		return ssr_diag_set(diag, SSR_EIO, "cannot make '%s' executable: %s", path,
		                    strerror(errno));
	}
	return SSR_EOK;
}

static void sbatch_common(FILE *f, const ssr_cluster_slurm_t *o, const char *dir)
{
	/* #SBATCH lines are not shell: a directory with characters that need quoting is left to
	 * the submission's working directory (submit.sh and resubmit.sh cd into it) */
	bool plain = true;
	for (const char *p = dir; *p; p++) {
		plain &= (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		         (*p >= '0' && *p <= '9') || strchr("/._-+", *p) != NULL;
	}
	if (plain) {
		fprintf(f, "#SBATCH --chdir=%s\n", dir);
	}
	if (o->partition) {
		fprintf(f, "#SBATCH --partition=%s\n", o->partition);
	}
	if (o->account) {
		fprintf(f, "#SBATCH --account=%s\n", o->account);
	}
	if (o->time_limit) {
		fprintf(f, "#SBATCH --time=%s\n", o->time_limit);
	}
}

int ssr_cluster_slurm_write(const ssr_cluster_slurm_t *o, ssr_diag_t *diag)
{
	const char *const *words = o->engine ? engine_words(o->engine) : NULL;
	if (!words) {
		return ssr_diag_set(diag, SSR_EINVAL,
		                    "unknown engine '%s' (zone, abuse, names, traffic-stats, "
		                    "traffic-collisions, traffic-trust-anchors)",
		                    o->engine ? o->engine : "");
	}
	if (o->tasks == 0 || o->tasks > SSR_STATE_MAX_SHARDS) {
		return ssr_diag_set(diag, SSR_EINVAL, "--tasks from 1 to %d", SSR_STATE_MAX_SHARDS);
	}
	/* what goes on #SBATCH lines is not shell-quoted: plain words only */
	const char *const words_in[3] = {o->partition, o->time_limit, o->account};
	static const char *const names_in[3] = {"--partition", "--time", "--account"};
	for (int i = 0; i < 3; i++) {
		for (const char *p = words_in[i]; p && *p; p++) {
			if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			      (*p >= '0' && *p <= '9') || strchr("_.:,-+", *p))) {
				return ssr_diag_set(diag, SSR_EINVAL,
				                    "%s '%s': letters, digits and "
				                    "_.:,-+ only",
				                    names_in[i], words_in[i]);
			}
		}
	}
	char self[PATH_MAX];
	const char *bin = o->ssrwatch;
	if (!bin) {
		ssize_t l = readlink("/proc/self/exe", self, sizeof self - 1);
		if (l <= 0) {
			return ssr_diag_set(diag, SSR_EINVAL, "cannot tell this program's path");
		}
		self[l] = '\0';
		bin = self;
	}
	if (bin[0] != '/' || access(bin, X_OK) != 0) {
		return ssr_diag_set(diag, SSR_EINVAL,
		                    "the jobs' binary '%s' is not an absolute path to an "
		                    "executable (--ssrwatch)",
		                    bin);
	}
	int rc = mkdirs(o->out, NULL, diag);
	char dir[PATH_MAX];
	if (rc == SSR_EOK && realpath(o->out, dir) == NULL) {
		rc =
		    ssr_diag_set(diag, SSR_EIO, "cannot resolve '%s': %s", o->out, strerror(errno));
	}
	if (rc == SSR_EOK) {
		rc = mkdirs(dir, "states", diag);
	}
	if (rc == SSR_EOK) {
		rc = mkdirs(dir, "logs", diag);
	}
	if (rc != SSR_EOK) {
		return rc;
	}
	/* the inputs, absolute, checked now rather than on every node later */
	char path[PATH_MAX + 32];
	FILE *f = open_in(dir, "inputs.txt", path, sizeof path, diag);
	if (!f) {
		return diag->code;
	}
	inputs_t in = {.f = f, .list = o->inputs, .diag = diag};
	ssr_lines_t *lr = NULL;
	rc = ssr_lines_open(o->inputs, LIST_LINE_MAX, &lr, diag);
	while (rc == SSR_EOK) {
		const char *p;
		size_t n;
		bool too_long = false;
		int r = ssr_lines_next(lr, &p, &n, &too_long, diag);
		if (r <= 0) {
			rc = r;
			break;
		}
		rc = too_long ? ssr_diag_set(diag, SSR_ELIMIT,
		                             "inputs '%s' line %llu: longer than %d "
		                             "bytes",
		                             o->inputs, (unsigned long long)ssr_lines_number(lr),
		                             LIST_LINE_MAX)
		              : on_input(p, n, ssr_lines_number(lr), &in);
	}
	ssr_lines_free(lr);
	bool bad = ferror(f) != 0;
	if (fclose(f) != 0 || bad) {
		rc = rc != SSR_EOK ? rc : ssr_diag_set(diag, SSR_EIO, "cannot write '%s'", path);
	}
	if (rc == SSR_EOK && in.n == 0) {
		rc = ssr_diag_set(diag, SSR_EPARSE, "inputs '%s': no input listed", o->inputs);
	}
	if (rc != SSR_EOK) {
		return rc;
	}
	unsigned cpus = o->cpus ? o->cpus : 1;
	const char *result = o->result ? o->result : "result";

	/* map: one array task per shard */
	if (!(f = open_in(dir, "map.sbatch", path, sizeof path, diag))) {
		return diag->code;
	}
	fprintf(f,
	        "#!/bin/bash\n# ssrwatch cluster slurm: the map tasks of '%s' in %u shards; task i "
	        "writes states/shard-i.state\n",
	        o->engine, o->tasks);
	fprintf(f, "#SBATCH --job-name=ssrwatch-%s-map\n#SBATCH --array=1-%u\n", o->engine,
	        o->tasks);
	fputs("#SBATCH --output=logs/map-%a.log\n", f);
	fprintf(f, "#SBATCH --cpus-per-task=%u\n", cpus);
	if (o->mem_mb) {
		fprintf(f, "#SBATCH --mem=%uM\n", o->mem_mb);
	}
	sbatch_common(f, o, dir);
	bool abuse = strcmp(o->engine, "abuse") == 0;
	fputs("set -euo pipefail\ni=${SLURM_ARRAY_TASK_ID:?run as a task of the array}\n"
	      "mapfile -t inputs < inputs.txt\n",
	      f);
	if (abuse) { /* the ingest names its zones with --zone */
		fputs("zones=()\nfor z in \"${inputs[@]}\"; do zones+=(--zone \"$z\"); done\n", f);
	}
	fputs("exec ", f);
	q(f, bin);
	for (int w = 0; words[w]; w++) {
		fprintf(f, " %s", words[w]);
	}
	if (strcmp(o->engine, "zone") == 0 || abuse || strncmp(o->engine, "traffic", 7) == 0) {
		fprintf(f, " --threads %u", cpus);
	}
	fprintf(f, " --shard \"$i/%u\" --save-state \"states/shard-$i.state\"", o->tasks);
	for (size_t a = 0; a < o->nargs; a++) {
		fputc(' ', f);
		q(f, o->args[a]);
	}
	fputs(abuse ? " \"${zones[@]}\"\n" : " \"${inputs[@]}\"\n", f);
	if ((rc = close_script(f, path, diag)) != SSR_EOK) {
		return rc;
	}

	/* merge: every shard's state, by name, so that a missing one is an error */
	if (!(f = open_in(dir, "merge.sbatch", path, sizeof path, diag))) {
		return diag->code;
	}
	fprintf(f, "#!/bin/bash\n# ssrwatch cluster slurm: the merge of the %u shard states into ",
	        o->tasks);
	q(f, result);
	fprintf(f, "\n#SBATCH --job-name=ssrwatch-%s-merge\n#SBATCH --output=logs/merge.log\n",
	        o->engine);
	sbatch_common(f, o, dir);
	fprintf(f,
	        "set -euo pipefail\nstates=()\nfor i in $(seq 1 %u); do "
	        "states+=(\"states/shard-$i.state\"); done\nexec ",
	        o->tasks);
	q(f, bin);
	fputs(" merge", f);
	for (size_t a = 0; a < o->nmerge_args; a++) {
		fputc(' ', f);
		q(f, o->merge_args[a]);
	}
	fputs(" --output ", f);
	q(f, result);
	fputs(" \"${states[@]}\"\n", f);
	if ((rc = close_script(f, path, diag)) != SSR_EOK) {
		return rc;
	}

	/* submit: the array, then the merge once every task ended well (a failed task cancels
	 * the merge instead of leaving it pending forever) */
	if (!(f = open_in(dir, "submit.sh", path, sizeof path, diag))) {
		return diag->code;
	}
	fputs("#!/bin/bash\n# ssrwatch cluster slurm: submit the map array and the merge after it\n"
	      "# (SSR_HOLD=1: the array is submitted held; 'scontrol release JOB' starts it)\n"
	      "set -euo pipefail\ncd ",
	      f);
	q(f, dir);
	fputs("\nhold=()\n[ \"${SSR_HOLD:-0}\" = 1 ] && hold=(--hold)\n"
	      "map=$(sbatch --parsable \"${hold[@]}\" map.sbatch)\nmap=${map%%;*}\n"
	      "merge=$(sbatch --parsable --kill-on-invalid-dep=yes --dependency=afterok:\"$map\" "
	      "merge.sbatch)\nmerge=${merge%%;*}\n"
	      "echo \"$map\" >job.map\necho \"$merge\" >job.merge\n",
	      f);
	fprintf(f, "echo \"map job $map (array 1-%u), merge job $merge\"\n", o->tasks);
	if ((rc = close_script(f, path, diag)) != SSR_EOK) {
		return rc;
	}

	/* resubmit: only the tasks whose state is missing, then the merge again */
	if (!(f = open_in(dir, "resubmit.sh", path, sizeof path, diag))) {
		return diag->code;
	}
	fputs("#!/bin/bash\n# ssrwatch cluster slurm: run again only the map tasks whose state is "
	      "missing\n# (failed, killed, timed out), then the merge\nset -euo pipefail\ncd ",
	      f);
	q(f, dir);
	fprintf(f,
	        "\nmissing=()\nfor i in $(seq 1 %u); do [ -s \"states/shard-$i.state\" ] || "
	        "missing+=(\"$i\"); done\n",
	        o->tasks);
	fputs("dep=()\nif [ ${#missing[@]} -gt 0 ]; then\n"
	      "\tlist=$(IFS=,; echo \"${missing[*]}\")\n"
	      "\tmap=$(sbatch --parsable --array=\"$list\" map.sbatch)\n\tmap=${map%%;*}\n"
	      "\techo \"$map\" >job.map\n"
	      "\tdep=(--kill-on-invalid-dep=yes --dependency=afterok:\"$map\")\n"
	      "\techo \"map job $map: shards $list again\"\nelse\n"
	      "\techo \"every shard has its state\"\nfi\n"
	      "merge=$(sbatch --parsable \"${dep[@]}\" merge.sbatch)\nmerge=${merge%%;*}\n"
	      "echo \"$merge\" >job.merge\necho \"merge job $merge\"\n",
	      f);
	return close_script(f, path, diag);
}
