/* libdeleg internals: what the name servers answered (the survey), RRsets out of answers, the
 * rules over them. */
#pragma once

#include <libknot/libknot.h>

#include "ssrwatch/deleg.h"

#pragma GCC visibility push(hidden)

/* The questions asked of every server address over UDP and TCP. */
enum { DELEG_Q_SOA = 0, DELEG_Q_NS, DELEG_Q_DNSKEY, DELEG_Q_NSEC3PARAM, DELEG_NQ };
#define DELEG_NTR 2 /* UDP, TCP */

typedef struct {
	bool sent;
	ssr_probe_outcome_t outcome;
	uint8_t *resp; /* NULL without an answer */
	size_t rlen;
	uint64_t seq;
	int rcode; /* -1 no answer */
	uint16_t flags;
	ssr_probe_transport_t transport;
	char qname[256];
	uint16_t qtype;
	unsigned src, srv;
} deleg_ans_t;

/* One address of one name server. */
typedef struct {
	unsigned ns;
	char label[300]; /* "NAME ADDR" */
	struct sockaddr_storage addr;
	socklen_t len;
} deleg_srv_t;

typedef struct {
	ssr_deleg_change_t ch; /* the change, name servers' addresses looked up where missing */
	const ssr_deleg_opts_t *o;
	deleg_srv_t *srv; /* every address of every name server, the families asked for */
	size_t nsrv;
	unsigned nsrc;
	char src[SSR_DELEG_MAX_SOURCES][48];
	deleg_ans_t *ans;  /* [src][srv][transport][question] */
	deleg_ans_t *glue; /* [src][srv][name server][A, AAAA] (in-bailiwick names, UDP) */
	uint8_t apex[KNOT_DNAME_MAXLEN];
	int64_t now;
	uint64_t exchanges;
} deleg_survey_t;

deleg_ans_t *deleg_ans(const deleg_survey_t *s, unsigned src, size_t srv, unsigned tr, unsigned q);
deleg_ans_t *deleg_glue(const deleg_survey_t *s, unsigned src, size_t srv, unsigned ns,
                        unsigned fam);
/* Whether name (lower case, fully qualified) is the zone or under it. */
bool deleg_in_zone(const char *name, const char *zone);
/* Look up missing addresses, then ask every question of every server.  Errors: SSR_EINVAL,
 * SSR_EIO, SSR_ENOMEM. */
int deleg_survey_run(deleg_survey_t *s, ssr_diag_t *diag);
void deleg_survey_release(deleg_survey_t *s);

/* An authoritative answer: NOERROR with AA. */
bool deleg_auth(const deleg_ans_t *a);

/* The records of type (covering 'covered' for RRSIG) owned by owner (wire form) in section
 * (1 answer, 2 authority, 3 additional) of an answer, in canonical form and order, duplicates
 * dropped. */
#define DELEG_RR_MAX 64
typedef struct {
	size_t n;
	uint8_t *rd[DELEG_RR_MAX];
	uint16_t len[DELEG_RR_MAX];
} deleg_rrset_t;
int deleg_rrset(const deleg_ans_t *a, int section, const uint8_t *owner, uint16_t type,
                uint16_t covered, deleg_rrset_t *out);
void deleg_rrset_release(deleg_rrset_t *r);

/* An A or AAAA record's address as a server address (port 53).  Errors: SSR_EINVAL (another
 * type, or RDATA of the wrong size). */
int deleg_addr_from_rdata(uint16_t type, const uint8_t *rd, uint16_t len,
                          struct sockaddr_storage *sa, socklen_t *salen);

/* Results being built. */
void deleg_evidence(ssr_deleg_check_t *r, const deleg_survey_t *s, const deleg_ans_t *a);
void deleg_msg(ssr_deleg_check_t *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

typedef int (*deleg_rule_fn)(const deleg_survey_t *s, const ssr_regress_case_t *c,
                             ssr_deleg_check_t *r, ssr_diag_t *diag);
/* The rule of that name; NULL when there is none ("conformance" is run by check.c). */
deleg_rule_fn deleg_rule(const char *name);

#pragma GCC visibility pop
