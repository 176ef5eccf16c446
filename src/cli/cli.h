/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * cli.h - the bouncer command: one function per subcommand.
 */
#ifndef BNC_CLI_CLI_H
#define BNC_CLI_CLI_H

/* Each returns the process exit status: 0 ok, 1 some input failed,
 * 2 usage error. */
int bnc_cmd_parse(int argc, char **argv);
int bnc_cmd_explain(int argc, char **argv);
/* The store commands (cmd_ingest.c ...); check exits 1 when an address
 * is not sendable and 3 when the store fails. */
int bnc_cmd_ingest(int argc, char **argv);
int bnc_cmd_check(int argc, char **argv);
int bnc_cmd_suppressions(int argc, char **argv);
int bnc_cmd_history(int argc, char **argv);
int bnc_cmd_retry(int argc, char **argv);

struct bnc_buf;
/* Add to `notes` the line that names the input limits one message hit
 * (enum bnc_anomaly bits) and what each cut, e.g. "CMD: SOURCE: message
 * 7: input limit hit (mime_depth: deeper parts were not read)"; nothing
 * when none was (a broken encoding is no limit, and a too-large message
 * is named by the source). The records may be incomplete, not wrong. */
void bnc_cli_note_limits(struct bnc_buf *notes, const char *cmd,
    const char *source, size_t index, unsigned anomalies);

/* After getopt_long() refused an option (with opterr = 0 and optstring
 * starting with ':', so ':' is a missing argument and '?' anything
 * else), say so on stderr as "CMD: unknown option '--x' (see CMD
 * --help)". Returns 2, the usage-error exit status. */
int bnc_cli_bad_option(const char *cmd, int c, const char *optstring,
    char **argv);

#endif
