/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * cmd_history.c - `bouncer history ADDRESS`: every event the store has
 * for an address, in the order stored, each with the change of standing
 * it caused (or null), as JSON lines.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "output.h"
#include "store_opts.h"

static void
help(FILE *fp)
{
	fprintf(fp,
	    "usage: bouncer history [OPTIONS] ADDRESS\n\n"
	    "Every event of ADDRESS and the change of standing it caused, one\n"
	    "JSON object a line, oldest first.\n\n"
	    "options:\n"
	    BNC_STORE_HELP
	    "  -h, --help              this text\n\n"
	    "exit status: 0 events printed, 1 none (or the store failed),\n"
	    "2 usage error.\n");
}

static void
kv(const char *k, const char *v)
{
	putchar(',');
	bnc_json_string(stdout, k);
	putchar(':');
	bnc_json_string(stdout, v);
}

static int
print_event(void *payload, const struct bnc_history *h)
{
	unsigned long *n = payload;

	fputs("{\"at\":", stdout);
	bnc_json_string(stdout, h->at);
	kv("event", h->event_key);
	kv("kind", h->kind);
	kv("class", h->cls);
	kv("reason", h->reason);
	kv("status", h->status);
	kv("action", h->action);
	kv("rule", h->rule);
	kv("campaign", h->campaign);
	kv("message_id", h->message_id);
	kv("source", h->source);
	printf(",\"message\":%lld", h->message);
	kv("diagnostic", h->diagnostic);
	kv("ingested_at", h->ingested_at);
	fputs(",\"change\":", stdout);
	if (h->changed) {
		fputs("{\"from\":", stdout);
		bnc_json_string(stdout, h->from_state);
		kv("to", h->to_state);
		kv("reason", h->new_reason);
		printf(",\"streak\":%lld}", h->streak);
	} else {
		fputs("null", stdout);
	}
	fputs("}\n", stdout);
	(*n)++;
	return 0;
}

int
bnc_cmd_history(int argc, char **argv)
{
	static const struct option longopts[] = {
		BNC_STORE_LONGOPTS,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct bnc_cli_store o;
	struct bnc_store *s;
	unsigned long n = 0;
	int c, rc;

	bnc_cli_store_init(&o, "bouncer history");
	optind = 1;
	opterr = 0;	/* our own messages (bnc_cli_bad_option) */
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		if (bnc_cli_store_opt(&o, c, optarg))
			continue;
		if (c == 'h') {
			help(stdout);
			return 0;
		}
		return bnc_cli_bad_option("bouncer history", c, ":h", argv);
	}
	if (argc - optind != 1) {
		fprintf(stderr, "bouncer history: give one ADDRESS\n");
		return 2;
	}
	rc = bnc_cli_store_finish(&o);
	if (rc)
		return rc;
	if (bnc_cli_store_open(&s, &o, BNC_STORE_NOCREATE) != 0)
		return 1;
	rc = bnc_store_history(s, argv[optind], print_event, &n);
	if (rc)
		fprintf(stderr, "bouncer history: %s\n", bnc_store_errmsg(s));
	bnc_store_close(s);
	if (fflush(stdout) != 0) {
		fprintf(stderr, "bouncer history: error writing the output\n");
		return 1;
	}
	if (rc)
		return 1;
	if (n == 0) {
		fprintf(stderr, "bouncer history: no events for %s\n",
		    argv[optind]);
		return 1;
	}
	return 0;
}
