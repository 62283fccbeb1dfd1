/* ssrwatch CLI — shared helpers for the thin command files. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "ssrwatch/log.h"
#include "ssrwatch/report.h"

enum { CLI_OK = 0, CLI_FAIL = 1, CLI_USAGE = 2 };

extern ssr_log_t cli_log;

void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print "ssrwatch: <msg>" plus a hint to --help; returns CLI_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int cli_parse_u64(const char *s, uint64_t *out);
int cli_parse_double(const char *s, double *out);
int cli_parse_format(const char *cmd, const char *s, ssr_format_t *out);
bool cli_is_help(int argc, char **argv);

int cmd_zone(int argc, char **argv);
int cmd_gen(int argc, char **argv);
int cmd_abuse(int argc, char **argv);
int cmd_portal(int argc, char **argv);
int cmd_names(int argc, char **argv);
int cmd_recs(int argc, char **argv);
int cmd_traffic(int argc, char **argv);
