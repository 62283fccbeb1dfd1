/* tests for src/libportal/sla.c: SLA figures from timelines written straight into a store
 * (median of odd and even counts, nearest-rank p90, decided/within, the clock stopping at a
 * case's close, open breaches) */
#include <unistd.h>

#include "../test_common.h"
#include "ssrwatch/portal.h"
#include "ssrwatch/portalstore.h"

#define H 3600
#define D 86400

typedef struct {
	ssr_store_t *st;
	char path[64];
	int64_t party;
} fx_t;

static int setup(void **state)
{
	fx_t *f = calloc(1, sizeof(*f));
	snprintf(f->path, sizeof(f->path), "/tmp/ssr-sla-%d.db", (int)getpid());
	unlink(f->path);
	ssr_diag_t d;
	if (ssr_store_open(f->path, &f->st, &d) != SSR_EOK) {
		return -1;
	}
	ssr_party_t p = {.kind = "registrar", .name = "R", .iana_id = 9};
	if (ssr_store_party_put(f->st, &p, 0, &f->party, &d) != SSR_EOK) {
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fx_t *f = *state;
	ssr_store_free(f->st);
	unlink(f->path);
	char wal[80];
	snprintf(wal, sizeof(wal), "%s-wal", f->path);
	unlink(wal);
	snprintf(wal, sizeof(wal), "%s-shm", f->path);
	unlink(wal);
	free(f);
	return 0;
}

/* A case routed at 0 to the party; ack/res < 0: never; closed < 0: open. */
static void timeline(fx_t *f, const char *dom, int64_t ack, int64_t res, const char *outcome,
                     int64_t closed)
{
	ssr_diag_t d;
	int64_t c;
	bool added;
	assert_int_equal(ssr_store_case_insert(f->st, dom, "com", "spam", 0, &c, &d), SSR_EOK);
	assert_int_equal(ssr_store_case_party_add(f->st, c, f->party, "registrar", &added, &d),
	                 SSR_EOK);
	assert_true(added);
	assert_int_equal(ssr_store_event_add(f->st, c, f->party, "routed", 0, "registrar", &d),
	                 SSR_EOK);
	if (ack >= 0) {
		assert_int_equal(
		    ssr_store_event_add(f->st, c, f->party, "acknowledged", ack, NULL, &d),
		    SSR_EOK);
	}
	if (res >= 0) {
		assert_int_equal(
		    ssr_store_event_add(f->st, c, f->party, "resolved", res, outcome, &d), SSR_EOK);
	}
	if (closed >= 0) {
		assert_int_equal(ssr_store_case_set_status(f->st, c, "closed", closed, &d),
		                 SSR_EOK);
	}
}

static json_t *sla(fx_t *f, int64_t now)
{
	ssr_sla_opts_t o = {D, 7 * D, now};
	json_t *out = NULL;
	ssr_diag_t d;
	assert_int_equal(ssr_portal_sla(f->st, &o, &out, &d), SSR_EOK);
	assert_int_equal(json_array_size(json_object_get(out, "parties")), 1);
	json_t *p = json_incref(json_array_get(json_object_get(out, "parties"), 0));
	json_decref(out);
	return p;
}

static double num(json_t *o, const char *a, const char *b)
{
	json_t *v = b ? json_object_get(json_object_get(o, a), b) : json_object_get(o, a);
	return json_is_real(v) ? json_real_value(v) : (double)json_integer_value(v);
}

static void odd_count(void **state)
{
	fx_t *f = *state;
	/* acknowledged after 1 h, 5 h, 2 days; resolved (suspended) after 3, 6, 9 days */
	timeline(f, "a.com", 1 * H, 3 * D, "suspended", 3 * D);
	timeline(f, "b.com", 5 * H, 6 * D, "deleted", 6 * D);
	timeline(f, "c.com", 2 * D, 9 * D, "no-action: parked", -1);
	json_t *p = sla(f, 20 * D);
	assert_int_equal(num(p, "routed", NULL), 3);
	assert_true(num(p, "time_to_acknowledge", "median_s") == 5 * H);
	assert_int_equal(num(p, "time_to_acknowledge", "p90_s"), 2 * D); /* rank ceil(2.7) = 3 */
	assert_int_equal(num(p, "time_to_acknowledge", "within_sla"), 2);
	assert_int_equal(num(p, "time_to_acknowledge", "decided"), 3);
	assert_true(num(p, "time_to_action", "median_s") == 6 * D);
	assert_int_equal(num(p, "time_to_action", "within_sla"), 2);
	assert_int_equal(num(p, "mitigated", NULL), 2);
	assert_true(num(p, "mitigation_rate", NULL) == 2.0 / 3.0);
	assert_int_equal(num(p, "outcomes", "no-action"), 1);
	json_decref(p);
}

static void even_count_and_breaches(void **state)
{
	fx_t *f = *state;
	/* resolved without an acknowledgement: acknowledged at the resolution */
	timeline(f, "a.com", -1, 2 * H, "suspended", 2 * H);
	timeline(f, "b.com", 4 * H, -1, NULL, -1);
	/* never acted, still open: both SLAs breached at 8 days */
	timeline(f, "c.com", -1, -1, NULL, -1);
	/* never acted, closed by another party after 12 hours: clock stopped inside both SLAs */
	timeline(f, "d.com", -1, -1, NULL, 12 * H);
	/* never acted, closed after 2 days: an acknowledge breach, not open; action undecided */
	timeline(f, "e.com", -1, -1, NULL, 2 * D);
	json_t *p = sla(f, 8 * D);
	assert_int_equal(num(p, "routed", NULL), 5);
	assert_int_equal(num(p, "acknowledged", NULL), 2);
	assert_true(num(p, "time_to_acknowledge", "median_s") == 3 * H); /* (2 h + 4 h) / 2 */
	assert_int_equal(num(p, "time_to_acknowledge", "p90_s"), 4 * H);
	assert_int_equal(num(p, "time_to_acknowledge", "decided"), 4); /* a, b, c, e */
	assert_int_equal(num(p, "time_to_acknowledge", "within_sla"), 2);
	assert_int_equal(num(p, "open_acknowledge_breaches", NULL), 1); /* c */
	assert_int_equal(num(p, "time_to_action", "decided"), 3);       /* a, b, c */
	assert_int_equal(num(p, "time_to_action", "within_sla"), 1);
	assert_int_equal(num(p, "open_action_breaches", NULL), 2); /* b, c */
	json_decref(p);
	/* at 1 hour nothing is decided but a */
	p = sla(f, 1 * H);
	assert_int_equal(num(p, "time_to_acknowledge", "decided"), 2);
	assert_int_equal(num(p, "open_acknowledge_breaches", NULL), 0);
	json_decref(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(odd_count, setup, teardown),
	    cmocka_unit_test_setup_teardown(even_count_and_breaches, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
