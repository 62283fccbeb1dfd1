/* tests for src/libtraffic/capture.c: one reader and several decoding workers count exactly what
 * one decoder counts (every message delivered once, the decoders' counts summing to one's) on
 * the captured fixtures; workers whose shards are not the reader's refused; a file that is not
 * a capture named. */
#include <string.h>

#include "../test_common.h"
#include "ssrwatch/traffic.h"

typedef struct {
	uint64_t messages, qbytes;
} tally_t;

static void on_msg(const ssr_dns_pkt_t *p, void *ctx)
{
	tally_t *t = ctx;
	t->messages++;
	t->qbytes += p->dns_len;
}

static const char *const fixtures[] = {SSR_TEST_DATA "/traffic/knot-lo.pcapng",
                                       SSR_TEST_DATA "/traffic/knot-any-sll.pcapng"};

static void workers_count_as_one(void **state)
{
	(void)state;
	ssr_decoder_t one;
	ssr_decoder_init(&one);
	one.ports[0] = 5300; /* the fixtures: Knot DNS and kdig on port 5300 */
	one.ports[1] = 0;
	tally_t t1 = {0};
	ssr_diag_t d;
	for (size_t i = 0; i < 2; i++) {
		ssr_capture_stats_t st = {0};
		assert_int_equal(ssr_capture_read(fixtures[i], &one, on_msg, &t1, &st, &d),
		                 SSR_EOK);
	}
	ssr_decoder_finish(&one, on_msg, &t1);
	assert_int_equal(t1.messages, 2 * 36); /* 18 queries and 18 responses in each */
	for (unsigned n = 1; n <= 4; n++) {
		ssr_decoder_t dec[4];
		tally_t t[4] = {{0}};
		ssr_capture_worker_t w[4];
		for (unsigned k = 0; k < n; k++) {
			ssr_decoder_init(&dec[k]);
			dec[k].ports[0] = 5300;
			dec[k].ports[1] = 0;
			dec[k].shard = k;
			dec[k].shards = n;
			w[k] = (ssr_capture_worker_t){&dec[k], on_msg, &t[k]};
		}
		assert_int_equal(ssr_capture_read_workers(fixtures, 2, w, n, NULL, &d), SSR_EOK);
		uint64_t msgs = 0, qb = 0, packets = 0, dns = 0;
		for (unsigned k = 0; k < n; k++) {
			msgs += t[k].messages;
			qb += t[k].qbytes;
			packets += dec[k].packets;
			dns += dec[k].dns_messages;
			ssr_decoder_release(&dec[k]);
		}
		assert_int_equal(msgs, t1.messages);
		assert_int_equal(qb, t1.qbytes);
		assert_int_equal(packets, one.packets);
		assert_int_equal(dns, one.dns_messages);
	}
	ssr_decoder_release(&one);
}

static void refused(void **state)
{
	(void)state;
	ssr_decoder_t dec[2];
	tally_t t = {0};
	ssr_capture_worker_t w[2];
	ssr_diag_t d;
	for (unsigned k = 0; k < 2; k++) {
		ssr_decoder_init(&dec[k]);
		w[k] = (ssr_capture_worker_t){&dec[k], on_msg, &t};
	}
	assert_int_equal(ssr_capture_read_workers(fixtures, 1, w, 0, NULL, &d), SSR_EINVAL);
	/* two workers that are both the whole (shard 0 of 1): each packet would count twice */
	assert_int_equal(ssr_capture_read_workers(fixtures, 1, w, 2, NULL, &d), SSR_EINVAL);
	assert_non_null(strstr(d.msg, "is not shard"));
	char path[256];
	tmp_text(path, sizeof path, "not a capture\n");
	dec[0].shard = 0;
	dec[0].shards = 2;
	dec[1].shard = 1;
	dec[1].shards = 2;
	const char *bad[1] = {path};
	assert_int_equal(ssr_capture_read_workers(bad, 1, w, 2, NULL, &d), SSR_EPARSE);
	assert_non_null(strstr(d.msg, path));
	unlink(path);
	for (unsigned k = 0; k < 2; k++) {
		ssr_decoder_release(&dec[k]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(workers_count_as_one),
	    cmocka_unit_test(refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
