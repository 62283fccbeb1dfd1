/* libFuzzer target: the CZDS API answers as the monitor parses them (libczds): the first byte
 * picks a request-list page, the link list or bare JSON; the rest is the body.  Nothing may
 * crash, loop or leak on answers that are not JSON or not what the API documents. */
#include <stddef.h>
#include <stdint.h>

#include "czds_priv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 200000) {
		return 0;
	}
	ssr_diag_t d;
	(void)czds_parse_answer(data[0] % 3, (const char *)data + 1, size - 1, &d);
	return 0;
}
