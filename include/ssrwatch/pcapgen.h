/* ssrwatch — test data for traffic analysis (libgen): a root-server-like capture and its
 * exact truth. */
#pragma once

#include <jansson.h>
#include <stdint.h>

#include "ssrwatch/error.h"

typedef struct {
	uint64_t queries;
	uint64_t seed;
	int64_t start;         /* first packet's time; 0: 2026-11-23T00:00:00Z */
	const char *root_zone; /* write the matching root zone (its delegated TLDs) here */
	/* connections at the end of the day whose client sends each length prefix in a segment
	 * of its own, with holes in the capture (one ending before a body, one inside a body) */
	unsigned tcp_holes;
} ssr_pcapgen_opts_t;

/* A root-server-like capture (Ethernet, IPv4 and IPv6, UDP and TCP, Zipf TLDs, responses with
 * rcodes, EDNS, a few malformed packets) and its exact truth (the metrics it must give).
 * Errors: SSR_EIO (writing), SSR_ENOMEM. */
int ssr_pcapgen_write(const ssr_pcapgen_opts_t *o, const char *pcap_path, json_t **truth,
                      ssr_diag_t *diag) SSR_CHECK;
