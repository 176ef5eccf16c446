/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * main.c - `bouncer SUBCOMMAND ...`: dispatch, --help and --version.
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "bouncer.h"
#include "cli.h"

static const struct {
	const char *name;
	int (*run)(int, char **);
	const char *summary;
} commands[] = {
	{ "parse", bnc_cmd_parse,
	    "decode and classify bounces from files, folders, mbox or stdin" },
	{ "explain", bnc_cmd_explain,
	    "classify a raw SMTP reply, or one a line of stdin (MTA logs)" },
	{ "ingest", bnc_cmd_ingest,
	    "record bounces in the store and apply the bounce policy" },
	{ "check", bnc_cmd_check,
	    "may I send to these addresses? (JSON lines)" },
	{ "suppressions", bnc_cmd_suppressions,
	    "list, add, remove, export or import suppressions" },
	{ "history", bnc_cmd_history,
	    "every event and change of standing of one address" },
	{ "retry", bnc_cmd_retry,
	    "retry due: soft bounces whose next retry is due" },
};

int
bnc_cli_bad_option(const char *cmd, int c, const char *optstring,
    char **argv)
{
	const char *arg = argv[optind - 1];
	int n = (int)strcspn(arg, "=");
	bool is_short;

	/* glibc: an unknown short option leaves its letter in optopt, and
	 * optind may still be on its word (-xq); an unknown long one leaves
	 * 0. A long option missing its value, or given one it does not
	 * take, leaves its val, with optind past its word. */
	if (c == ':')
		is_short = strncmp(arg, "--", 2) != 0;
	else
		is_short = optopt > 0 && optopt < 0x100 &&
		    strchr(optstring, optopt) == NULL;
	if (is_short)
		fprintf(stderr, "%s: %s '-%c' (see %s --help)\n", cmd,
		    c == ':' ? "missing argument for option" :
		    "unknown option", optopt, cmd);
	else if (c == ':')
		fprintf(stderr, "%s: missing argument for option '%.*s' "
		    "(see %s --help)\n", cmd, n, arg, cmd);
	else if (optopt != 0)
		fprintf(stderr, "%s: option '%.*s' takes no argument (see %s "
		    "--help)\n", cmd, n, arg, cmd);
	else
		fprintf(stderr, "%s: unknown option '%.*s' (see %s --help)\n",
		    cmd, n, arg, cmd);
	return 2;
}

static void
usage(FILE *fp)
{
	size_t i;

	fprintf(fp, "usage: bouncer [--help] [--version] COMMAND [ARGS]\n\n"
	    "bouncer reads bounce mail (DSNs, NDRs, auto-replies, ARF "
	    "complaints)\nand says for each failed recipient whether the "
	    "failure is hard, soft or\ngray, why, and what to do.\n\n"
	    "commands:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(fp, "  %-10s %s\n", commands[i].name,
		    commands[i].summary);
	fprintf(fp, "\n'bouncer COMMAND --help' describes one command.\n");
}

int
main(int argc, char **argv)
{
	size_t i;

#ifdef __GLIBC__
	/* Every message's arena is freed just before the next one is made:
	 * by default glibc gives the top of the heap back to the kernel
	 * and takes it again, a page fault per page, twice the page faults
	 * of a parse and 1.5% of its time. Peak memory is what it was. */
	mallopt(M_TRIM_THRESHOLD, 64 << 20);
	mallopt(M_TOP_PAD, 16 << 20);
#endif
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		if (argc > 2 && strcmp(argv[1], "help") == 0) {
			char *sub[] = { argv[2], (char *)"--help", NULL };
			for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
				if (strcmp(argv[2], commands[i].name) == 0)
					return commands[i].run(2, sub);
		}
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		printf("bouncer %s\n", bnc_version());
		return 0;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "bouncer: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
