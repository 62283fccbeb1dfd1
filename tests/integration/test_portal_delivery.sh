#!/bin/bash
# Portal deliveries on SQLite: e-mail to a loopback SMTP server (XARF attachment), signed
# webhooks, retries with backoff, giving up, the delivery log, XARF export.
. "$(dirname "$0")/lib.sh"
python3 "$SSR_SOURCE/tests/integration/portal/delivery_test.py" "$SSRWATCH" "$T/portal.db" "$T"
