/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * cmd_check.c - `bouncer check`: may I send to these addresses? One JSON
 * line per address, in the order given, from the arguments or from
 * standard input ("-", one address a line).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/buf.h"
#include "../util/str.h"
#include "cli.h"
#include "output.h"
#include "store_opts.h"

static void
help(FILE *fp)
{
	fprintf(fp,
	    "usage: bouncer check [OPTIONS] ADDRESS...\n"
	    "       bouncer check [OPTIONS] -     (one address a line on stdin)\n\n"
	    "Say for each address whether it may be mailed, as one JSON line:\n"
	    "{\"address\":..., \"sendable\":true|false, \"state\":\"ok|soft|"
	    "suppressed|invalid\",\n"
	    " \"reason\":..., \"since\":...}. Domains compare case-"
	    "insensitively.\n\n"
	    "options:\n"
	    BNC_STORE_HELP
	    "  -h, --help              this text\n\n"
	    "exit status: 0 all sendable, 1 some address is not, 2 usage error,\n"
	    "3 the store could not be read.\n");
}

struct run {
	struct bnc_store *store;
	const struct bnc_cli_store *o;
	bool any_unsendable;
	bool store_error;
};

static void
check_one(struct run *run, const char *text)
{
	struct bnc_check c;
	char key[1024];
	bool sendable;
	int rc;

	if (!bnc_address_key(key, sizeof(key), text) ||
	    !bnc_address_valid(key)) {
		fputs("{\"address\":", stdout);
		bnc_json_string(stdout, bnc_str_trim(bnc_str_c(text)).len ?
		    text : "");
		fputs(",\"sendable\":false,\"state\":\"invalid\","
		    "\"reason\":\"not an address\",\"since\":\"\"}\n", stdout);
		run->any_unsendable = true;
		return;
	}
	rc = bnc_store_check(run->store, key, &c);
	if (rc) {
		fprintf(stderr, "%s: %s: %s\n", run->o->cmd, key,
		    bnc_store_errmsg(run->store));
		run->store_error = true;
		return;
	}
	sendable = c.state != BNC_STATE_SUPPRESSED;
	if (!sendable)
		run->any_unsendable = true;
	fputs("{\"address\":", stdout);
	bnc_json_string(stdout, key);
	fprintf(stdout, ",\"sendable\":%s,\"state\":\"%s\",\"reason\":",
	    sendable ? "true" : "false", bnc_state_name(c.state));
	bnc_json_string(stdout, c.reason);
	fputs(",\"since\":", stdout);
	bnc_json_string(stdout, c.since);
	fputs("}\n", stdout);
}

/* A line with a NUL byte: invalid, shown with U+FFFD for each NUL. */
static void
nul_line(struct run *run, const char *line, size_t n)
{
	struct bnc_buf b;
	size_t i;

	bnc_buf_init(&b, (size_t)-1 / 2);
	for (i = 0; i < n; i++)
		if ((line[i] ? bnc_buf_addc(&b, line[i]) :
		    bnc_buf_adds(&b, "\xef\xbf\xbd")) != 0)
			break;
	fputs("{\"address\":", stdout);
	bnc_json_string(stdout, b.ptr ? b.ptr : "");
	fputs(",\"sendable\":false,\"state\":\"invalid\","
	    "\"reason\":\"not an address\",\"since\":\"\"}\n", stdout);
	run->any_unsendable = true;
	bnc_buf_deinit(&b);
}

static void
check_stdin(struct run *run)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	while (!run->store_error && (n = getline(&line, &cap, stdin)) >= 0) {
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (bnc_str_trim(bnc_str_make(line, (size_t)n)).len == 0)
			continue;	/* blank lines separate, they ask nothing */
		if (memchr(line, '\0', (size_t)n) != NULL) {
			/* No address holds a NUL; checking the text before
			 * it would answer for another address. */
			nul_line(run, line, (size_t)n);
			continue;
		}
		check_one(run, line);
	}
	free(line);	/* getline's buffer is libc's, not ours */
}

int
bnc_cmd_check(int argc, char **argv)
{
	static const struct option longopts[] = {
		BNC_STORE_LONGOPTS,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct bnc_cli_store o;
	struct run run;
	int c, i, rc;

	memset(&run, 0, sizeof(run));
	bnc_cli_store_init(&o, "bouncer check");
	run.o = &o;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (bnc_cli_store_opt(&o, c, optarg))
			continue;
		if (c == 'h') {
			help(stdout);
			return 0;
		}
		help(stderr);
		return 2;
	}
	if (optind >= argc) {
		fprintf(stderr, "bouncer check: no address given (use - to "
		    "read them from stdin)\n");
		return 2;
	}
	rc = bnc_cli_store_finish(&o);
	if (rc)
		return rc;
	if (bnc_cli_store_open(&run.store, &o, BNC_STORE_NOCREATE) != 0)
		return 3;
	for (i = optind; i < argc && !run.store_error; i++) {
		if (strcmp(argv[i], "-") == 0)
			check_stdin(&run);
		else
			check_one(&run, argv[i]);
	}
	bnc_store_close(run.store);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "bouncer check: error writing the output\n");
		return 3;
	}
	if (run.store_error)
		return 3;
	return run.any_unsendable ? 1 : 0;
}
