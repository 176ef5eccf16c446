/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * cmd_retry.c - `bouncer retry due [--at TIME]`: the soft-bounced
 * (address, message) pairs whose next retry is due, soonest first, as
 * JSON lines or CSV, for the sending side to pick up.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "output.h"
#include "store_opts.h"

static void
help(FILE *fp)
{
	fprintf(fp,
	    "usage: bouncer retry due [OPTIONS]\n\n"
	    "The soft bounces whose next retry is due at TIME (default now):\n"
	    "address, message_id (or the campaign when the bounce named no\n"
	    "message), campaign, attempts, first_at, last_at, next_at.\n\n"
	    "options:\n"
	    BNC_STORE_HELP
	    "      --at TIME           YYYY-MM-DDTHH:MM:SSZ, YYYY-MM-DD or\n"
	    "                          @EPOCH (now)\n"
	    "  -f, --format FMT        jsonl (default; json is another name\n"
	    "                          for it) or csv\n"
	    "  -h, --help              this text\n\n"
	    "exit status: 0 ok (also when none is due), 1 the store failed,\n"
	    "2 usage error.\n");
}

static int
print_retry(void *payload, const struct bnc_retry *r)
{
	const bool *csv = payload;
	char n[24];

	snprintf(n, sizeof(n), "%lld", r->attempts);
	if (*csv) {
		bnc_csv_field(stdout, r->address, true);
		bnc_csv_field(stdout, r->message_key, false);
		bnc_csv_field(stdout, r->campaign, false);
		bnc_csv_field(stdout, n, false);
		bnc_csv_field(stdout, r->first_at, false);
		bnc_csv_field(stdout, r->last_at, false);
		bnc_csv_field(stdout, r->next_at, false);
		putchar('\n');
		return 0;
	}
	fputs("{\"address\":", stdout);
	bnc_json_string(stdout, r->address);
	fputs(",\"message_id\":", stdout);
	bnc_json_string(stdout, r->message_key);
	fputs(",\"campaign\":", stdout);
	bnc_json_string(stdout, r->campaign);
	printf(",\"attempts\":%s,\"first_at\":", n);
	bnc_json_string(stdout, r->first_at);
	fputs(",\"last_at\":", stdout);
	bnc_json_string(stdout, r->last_at);
	fputs(",\"next_at\":", stdout);
	bnc_json_string(stdout, r->next_at);
	fputs("}\n", stdout);
	return 0;
}

int
bnc_cmd_retry(int argc, char **argv)
{
	static const struct option longopts[] = {
		BNC_STORE_LONGOPTS,
		{ "at", required_argument, NULL, 'a' },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct bnc_cli_store o;
	struct bnc_store *s;
	char at[BNC_TIME_LEN];
	bool csv = false;
	long long t;
	int c, rc;

	if (argc < 2 || strcmp(argv[1], "due") != 0) {
		if (argc >= 2 && (strcmp(argv[1], "--help") == 0 ||
		    strcmp(argv[1], "-h") == 0)) {
			help(stdout);
			return 0;
		}
		fprintf(stderr, "bouncer retry: want 'bouncer retry due'\n");
		return 2;
	}
	argc--;
	argv++;
	bnc_cli_store_init(&o, "bouncer retry due");
	bnc_time_format(at, (long long)time(NULL));
	optind = 1;
	opterr = 0;	/* our own messages (bnc_cli_bad_option) */
	while ((c = getopt_long(argc, argv, ":f:h", longopts, NULL)) != -1) {
		if (bnc_cli_store_opt(&o, c, optarg))
			continue;
		switch (c) {
		case 'a':
			if (bnc_time_parse(&t, optarg) != 0) {
				fprintf(stderr, "bouncer retry due: bad --at "
				    "'%s' (want YYYY-MM-DDTHH:MM:SSZ, "
				    "YYYY-MM-DD or @EPOCH)\n", optarg);
				return 2;
			}
			bnc_time_format(at, t);
			break;
		case 'f':
			if (strcmp(optarg, "csv") == 0)
				csv = true;
			else if (strcmp(optarg, "jsonl") == 0 ||
			    strcmp(optarg, "json") == 0)
				csv = false;
			else {
				fprintf(stderr, "bouncer retry due: unknown "
				    "format '%s' (jsonl or csv)\n", optarg);
				return 2;
			}
			break;
		case 'h':
			help(stdout);
			return 0;
		default:
			return bnc_cli_bad_option("bouncer retry due", c, ":f:h",
			    argv);
		}
	}
	if (optind < argc) {
		fprintf(stderr, "bouncer retry due: unexpected argument '%s'\n",
		    argv[optind]);
		return 2;
	}
	rc = bnc_cli_store_finish(&o);
	if (rc)
		return rc;
	if (bnc_cli_store_open(&s, &o, BNC_STORE_NOCREATE) != 0)
		return 1;
	if (csv)
		fputs("address,message_id,campaign,attempts,first_at,last_at,"
		    "next_at\n", stdout);
	rc = bnc_store_retries_due(s, at, print_retry, &csv);
	if (rc)
		fprintf(stderr, "bouncer retry due: %s\n", bnc_store_errmsg(s));
	bnc_store_close(s);
	if (fflush(stdout) != 0) {
		fprintf(stderr, "bouncer retry due: error writing the output\n");
		return 1;
	}
	return rc ? 1 : 0;
}
