/* Minimal libzscanner reader: counts records and errors, nothing else.
 * The baseline of bench/zone: what the library alone costs on a zone file. */
#include <libzscanner/scanner.h>
#include <stdio.h>
#include <stdlib.h>

static void on_record(zs_scanner_t *s)
{
	(*(unsigned long long *)s->process.data)++;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: zscan-count ORIGIN FILE\n");
		return 2;
	}
	zs_scanner_t *s = malloc(sizeof(*s));
	unsigned long long n = 0;
	if (s == NULL || zs_init(s, argv[1], 1, 3600) != 0 ||
	    zs_set_processing(s, on_record, NULL, &n) != 0 || zs_set_input_file(s, argv[2]) != 0) {
		fprintf(stderr, "zscan-count: cannot open '%s'\n", argv[2]);
		return 1;
	}
	int rc = zs_parse_all(s);
	printf("%llu records, %llu errors\n", n, (unsigned long long)s->error.counter);
	zs_deinit(s);
	free(s);
	return rc == 0 ? 0 : 1;
}
