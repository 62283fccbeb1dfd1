/* librecs: the shipped catalogue (28 + 31 + CCT 16), bad catalogues with file and line, the
 * status workflow, and the survey statistics against values computed by hand. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../test_common.h"
#include "ssrwatch/recs.h"

static char *write_tmp(const char *text)
{
	char *path = strdup("/tmp/ssr-recs-XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	size_t n = strlen(text);
	assert_int_equal(write(fd, text, n), (ssize_t)n);
	close(fd);
	return path;
}

static const ssr_recs_rec_t *find(const ssr_recs_catalogue_t *c, const char *id)
{
	for (size_t i = 0; i < c->nrecs; i++) {
		if (strcmp(c->recs[i].id, id) == 0) {
			return &c->recs[i];
		}
	}
	return NULL;
}

static void shipped_catalogue(void **state)
{
	(void)state;
	char **paths;
	size_t n;
	ssr_diag_t d = {0};
	assert_int_equal(ssr_recs_shipped(&paths, &n, &d), SSR_EOK);
	assert_int_equal(n, 3);
	ssr_recs_catalogue_t *c;
	assert_int_equal(ssr_recs_catalogue_read((const char *const *)paths, n, &c, &d), SSR_EOK);
	unsigned per[3] = {0}, subs = 0;
	for (size_t i = 0; i < c->nrecs; i++) {
		const ssr_recs_rec_t *r = &c->recs[i];
		if (r->parent) {
			subs++;
			continue;
		}
		per[strcmp(r->review, "SSR1") == 0 ? 0 : strcmp(r->review, "SSR2") == 0 ? 1 : 2]++;
	}
	assert_int_equal(per[0], 28);
	assert_int_equal(per[1], 31);
	assert_int_equal(per[2], 1);
	assert_true(subs >= 10);
	assert_int_equal(c->nreviews, 3);
	const ssr_recs_rec_t *r = find(c, "SSR2-19");
	assert_non_null(r);
	assert_string_equal(r->priority, "high");
	assert_string_equal(r->measure, "names.scan");
	assert_int_equal(r->cadence, 92);
	assert_string_equal(find(c, "SSR2-24")->priority, "medium");
	assert_string_equal(find(c, "SSR1-10")->owner, "Compliance");
	assert_null(find(c, "SSR1-3")->owner); /* the seed's table leaves it blank */
	r = find(c, "SSR2-3.b");
	assert_string_equal(r->parent, "SSR2-3");
	assert_string_equal(r->priority, "high"); /* from its recommendation */
	assert_string_equal(r->refs, "SSR1-15");
	assert_string_equal(find(c, "CCT-16")->measure, "abuse.report");
	ssr_recs_catalogue_free(c);
	ssr_recs_paths_free(paths, n);
}

static void bad_catalogues(void **state)
{
	(void)state;
	struct {
		const char *text, *want;
	} v[] = {
	    {"review: X\ntitle: T\n\nid: X-1\ntitle: a\n\nid: X-1\ntitle: b\n",
	     "line 7: duplicate id 'X-1' (first at"},
	    {"review: X\ntitle: T\n\nid: Y-1\ntitle: a\n", "line 4: bad id 'Y-1'"},
	    {"id: X-1\ntitle: a\n", "line 1: 'X-1' before the file's 'review:' stanza"},
	    {"review: X\ntitle: T\npublished: 2021-02-30\n", "line 3: bad date '2021-02-30'"},
	    {"review: X\ntitle: T\n\nid: X-1\ntitle: a\nrefs: X-2\n",
	     "line 6: 'X-1' refers to unknown 'X-2'"},
	    {"review: X\ntitle: T\n\nid: X-1\ntitle: a\npriority: urgent\n",
	     "line 6: bad priority 'urgent'"},
	    {"review: X\ntitle: T\n\nid: X-1\ntitle: a\ncolour: red\n",
	     "line 6: unknown key 'colour'"},
	    {"review: X\ntitle: T\n\nid: X-1.a\nparent: X-1\ntitle: a\n",
	     "line 5: unknown parent 'X-1'"},
	    {"review: X\ntitle: T\n\nid: X-1\ntitle: a\nmeasure: abuse.report\n",
	     "line 6: bad cadence in 'abuse.report'"},
	    {"review: X\ntitle: T\n\nid: X-1\ntitle: a\nmeasure: weather 7\n",
	     "line 6: unknown measurement 'weather'"},
	    {"review: X\ntitle: T\n\nid: X-1\ntitle: a\ntitle: b\n",
	     "line 6: key 'title' given twice"},
	    {"review: X\ntitle: T\n\nno colon here\n", "line 4: expected 'key: value'"},
	    {"# nothing\n", "no 'review:' stanza"},
	};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		char *p = write_tmp(v[i].text);
		const char *paths[] = {p};
		ssr_recs_catalogue_t *c = NULL;
		ssr_diag_t d = {0};
		assert_int_equal(ssr_recs_catalogue_read(paths, 1, &c, &d), SSR_EPARSE);
		assert_null(c);
		if (!strstr(d.msg, v[i].want) || !strstr(d.msg, p)) {
			fail_msg("case %zu: '%s' lacks '%s'", i, d.msg, v[i].want);
		}
		unlink(p);
		free(p);
	}
	/* continuation lines join with one space; a user review beside the shipped ones */
	char *p = write_tmp("review: ATRT3\ntitle: Third Accountability and Transparency Review\n\n"
	                    "id: ATRT3-1\ntitle: one\n  two\nsummary: s\npriority: low\n");
	const char *paths[] = {p};
	ssr_recs_catalogue_t *c;
	ssr_diag_t d = {0};
	assert_int_equal(ssr_recs_catalogue_read(paths, 1, &c, &d), SSR_EOK);
	assert_string_equal(c->recs[0].title, "one two");
	assert_int_equal(c->recs[0].line, 4);
	ssr_recs_catalogue_free(c);
	unlink(p);
	free(p);
}

static void workflow(void **state)
{
	(void)state;
	ssr_diag_t d = {0};
	ssr_rec_status_t s;
	assert_int_equal(ssr_rec_status_parse("in-progress", &s), SSR_EOK);
	assert_int_equal(s, SSR_REC_IN_PROGRESS);
	assert_int_equal(ssr_rec_status_parse("done", &s), SSR_EINVAL);
	assert_int_equal(ssr_rec_move_check(SSR_REC_NOT_STARTED, SSR_REC_IN_DESIGN, 0, "", &d),
	                 SSR_EOK);
	assert_int_equal(ssr_rec_move_check(SSR_REC_NOT_STARTED, SSR_REC_IMPLEMENTED, 0, "", &d),
	                 SSR_EOK); /* forward skips are allowed */
	assert_int_equal(ssr_rec_move_check(SSR_REC_IMPLEMENTED, SSR_REC_VERIFIED, 0, "", &d),
	                 SSR_EINVAL);
	assert_string_equal(d.msg, "implemented -> verified needs at least one evidence item");
	assert_int_equal(ssr_rec_move_check(SSR_REC_IMPLEMENTED, SSR_REC_VERIFIED, 1, "", &d),
	                 SSR_EOK);
	assert_int_equal(ssr_rec_move_check(SSR_REC_IN_PROGRESS, SSR_REC_VERIFIED, 3, "", &d),
	                 SSR_EINVAL);
	assert_non_null(strstr(d.msg, "only an implemented recommendation"));
	assert_int_equal(ssr_rec_move_check(SSR_REC_IN_PROGRESS, SSR_REC_IN_DESIGN, 0, "", &d),
	                 SSR_EINVAL);
	assert_string_equal(d.msg, "in-progress -> in-design needs a reason");
	assert_int_equal(ssr_rec_move_check(SSR_REC_IN_PROGRESS, SSR_REC_IN_DESIGN, 0, "redo", &d),
	                 SSR_EOK);
	assert_int_equal(ssr_rec_move_check(SSR_REC_IN_PROGRESS, SSR_REC_REJECTED, 0, "no", &d),
	                 SSR_EINVAL);
	assert_int_equal(ssr_rec_move_check(SSR_REC_IN_PROGRESS, SSR_REC_PENDING, 0, "", &d),
	                 SSR_EOK);
	assert_int_equal(ssr_rec_move_check(SSR_REC_PENDING, SSR_REC_REJECTED, 0, "", &d),
	                 SSR_EINVAL);
	assert_int_equal(ssr_rec_move_check(SSR_REC_PENDING, SSR_REC_REJECTED, 0, "board", &d),
	                 SSR_EOK);
	assert_int_equal(ssr_rec_move_check(SSR_REC_REJECTED, SSR_REC_IN_PROGRESS, 0, "x", &d),
	                 SSR_EINVAL);
	assert_int_equal(ssr_rec_move_check(SSR_REC_VERIFIED, SSR_REC_NOT_STARTED, 0, "x", &d),
	                 SSR_EINVAL);
	assert_int_equal(ssr_rec_move_check(SSR_REC_VERIFIED, SSR_REC_IN_PROGRESS, 0, "", &d),
	                 SSR_EINVAL);
	assert_int_equal(ssr_rec_move_check(SSR_REC_DEFERRED, SSR_REC_DEFERRED, 0, "x", &d),
	                 SSR_EINVAL);
	assert_string_equal(d.msg, "already deferred");
}

static int collect(const char *rater, const char *rec, double score, void *ctx)
{
	char *buf = ctx;
	size_t l = strlen(buf);
	snprintf(buf + l, 2048 - l, "%s/%s/%g;", rater, rec, score);
	return SSR_EOK;
}

static bool rec_known(const char *id, void *ctx)
{
	(void)ctx;
	return strncmp(id, "SSR2-", 5) == 0;
}

static bool rater_known(const char *id, void *ctx)
{
	(void)ctx;
	return strcmp(id, "mallory") != 0;
}

static int skips;
static void on_skip(const char *msg, void *ctx)
{
	(void)ctx;
	if (skips++ == 0) {
		assert_non_null(strstr(msg, "line 3: score outside 50-100: '120'"));
	}
}

static void survey(void **state)
{
	(void)state;
	char *p = write_tmp("rater,recommendation,score\n"
	                    "alice,SSR2-1,90\n"
	                    "bob,SSR2-1,120\n"
	                    "bob,SSR2-1,80\n"
	                    "carol,SSR1-1,70\n"
	                    "mallory,SSR2-2,75\n"
	                    "alice,SSR2-1,60\n"
	                    "dave,SSR2-2,abc\n"
	                    "dave,SSR2-2,77.5\n");
	char buf[2048] = "";
	ssr_recs_survey_stats_t st = {0};
	ssr_diag_t d = {0};
	assert_int_equal(ssr_recs_survey_read(p, rec_known, rater_known, NULL, collect, buf,
	                                      on_skip, NULL, &st, &d),
	                 SSR_EOK);
	assert_string_equal(buf, "alice/SSR2-1/90;bob/SSR2-1/80;dave/SSR2-2/77.5;");
	assert_int_equal(st.rows, 8);
	assert_int_equal(st.accepted, 3);
	assert_int_equal(st.bad_score, 2);
	assert_int_equal(st.unknown_rec, 1);
	assert_int_equal(st.unknown_rater, 1);
	assert_int_equal(st.duplicate, 1);
	assert_int_equal(skips, 5);
	unlink(p);
	free(p);

	/* by hand: 75 80 85 90 100 -> mean 86, median 85, Q1 80, Q3 90 (R type 7), IQR 10 */
	double v[] = {100, 80, 90, 75, 85};
	ssr_recs_summary_t s;
	ssr_recs_summarise(v, 5, &s);
	assert_float_equal(s.mean, 86, 1e-12);
	assert_float_equal(s.median, 85, 1e-12);
	assert_float_equal(s.q1, 80, 1e-12);
	assert_float_equal(s.q3, 90, 1e-12);
	assert_float_equal(s.iqr, 10, 1e-12);
	/* 4 values: 76 78 81 95 -> median 79.5, Q1 = 76 + 0.75*2 = 77.5, Q3 = 81 + 0.25*14 = 84.5
	 */
	double w[] = {81, 95, 76, 78};
	ssr_recs_summarise(w, 4, &s);
	assert_float_equal(s.median, 79.5, 1e-12);
	assert_float_equal(s.q1, 77.5, 1e-12);
	assert_float_equal(s.q3, 84.5, 1e-12);

	/* natural breaks: two clear groups (as the SSR2 survey found) */
	double m[] = {91, 76, 93, 77.5, 90, 78, 95, 75};
	unsigned cls[8];
	double gvf;
	assert_int_equal(ssr_recs_jenks(m, 8, 2, cls, &gvf), SSR_EOK);
	unsigned want[8] = {1, 0, 1, 0, 1, 0, 1, 0};
	assert_memory_equal(cls, want, sizeof want);
	/* by hand: SDAM = sum (x - 84.4375)^2 = 508.71875; SDCM = 14.75 (the 92.25 group) + 5.6875
	 * (the 76.625 group) -> GVF = 1 - 20.4375 / 508.71875 */
	assert_float_equal(gvf, 1 - 20.4375 / 508.71875, 1e-9);
	assert_int_equal(ssr_recs_jenks(m, 8, 3, cls, &gvf), SSR_EOK);
	assert_int_equal(cls[6], 2); /* 95 on its own or with 93 */
	assert_int_equal(cls[3], 0);
	assert_int_equal(ssr_recs_jenks(m, 8, 9, cls, &gvf), SSR_EINVAL);
}

/* The evidence rules the CLI and the portal share (src/librecs/changes.c). */
static void evidence_rules(void **state)
{
	(void)state;
	ssr_diag_t d;
	char big[SSR_RECS_MAX_REF + 2];
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	assert_int_equal(ssr_recs_evidence_check("url", "https://example.org/x", NULL, &d),
	                 SSR_EOK);
	assert_int_equal(ssr_recs_evidence_check("url", "http://example.org/x", "n", &d), SSR_EOK);
	assert_int_equal(ssr_recs_evidence_check("file", "minutes-2026-10.pdf", NULL, &d), SSR_EOK);
	assert_int_equal(ssr_recs_evidence_check("metric", NULL, NULL, &d), SSR_EOK);
	assert_int_equal(ssr_recs_evidence_check("url", "ftp://example.org/x", NULL, &d),
	                 SSR_EINVAL);
	assert_non_null(strstr(d.msg, "https://"));
	assert_int_equal(ssr_recs_evidence_check("url", "", NULL, &d), SSR_EINVAL);
	assert_int_equal(ssr_recs_evidence_check("file", NULL, NULL, &d), SSR_EINVAL);
	assert_int_equal(ssr_recs_evidence_check("photo", "x", NULL, &d), SSR_EINVAL);
	assert_int_equal(ssr_recs_evidence_check(NULL, "x", NULL, &d), SSR_EINVAL);
	/* 2,000 characters are the cap for a reference and a note, in the CLI as in the portal */
	big[SSR_RECS_MAX_REF] = '\0';
	assert_int_equal(ssr_recs_evidence_check("file", big, NULL, &d), SSR_EOK);
	assert_int_equal(ssr_recs_evidence_check("file", "f", big, &d), SSR_EOK);
	big[SSR_RECS_MAX_REF] = 'a';
	assert_int_equal(ssr_recs_evidence_check("file", big, NULL, &d), SSR_EINVAL);
	assert_int_equal(ssr_recs_evidence_check("file", "f", big, &d), SSR_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(shipped_catalogue), cmocka_unit_test(bad_catalogues),
	    cmocka_unit_test(workflow),          cmocka_unit_test(survey),
	    cmocka_unit_test(evidence_rules),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
