#!/bin/bash
# The same portal test on PostgreSQL (a real server CTest starts on loopback).
. "$(dirname "$0")/lib.sh"
: "${SSR_PG_STATE:?run through ctest: SSR_PG_STATE names the test server}"
: "${SSR_PG_HARNESS:?}"
pg=$(bash "$SSR_PG_HARNESS" createdb "$SSR_PG_STATE" "it_portal_$$")
pg2=$(bash "$SSR_PG_HARNESS" createdb "$SSR_PG_STATE" "it_portal_sla_$$")
python3 "$SSR_SOURCE/tests/integration/portal/portal_test.py" "$SSRWATCH" "$pg" "$T" "$pg2"
mkdir -p "$T/dl"
pg3=$(bash "$SSR_PG_HARNESS" createdb "$SSR_PG_STATE" "it_portal_dl_$$")
python3 "$SSR_SOURCE/tests/integration/portal/delivery_test.py" "$SSRWATCH" "$pg3" "$T/dl"
# two instances on the one store, claims on: every case mailed once, also across a SIGKILL
mkdir -p "$T/multi"
pg4=$(bash "$SSR_PG_HARNESS" createdb "$SSR_PG_STATE" "it_portal_multi_$$")
python3 "$SSR_SOURCE/tests/integration/portal/multi_test.py" "$SSRWATCH" "$pg4" "$T/multi"
