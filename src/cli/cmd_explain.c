/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * cmd_explain.c - `bouncer explain "550 5.1.1 ..."`: the verdict on one
 * raw SMTP reply and the rule that decided it.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "output.h"

static void
help(FILE *fp)
{
	fprintf(fp,
	    "usage: bouncer explain [OPTIONS] \"SMTP REPLY\"\n\n"
	    "Classify one raw SMTP reply, as found in an MTA log, and show the\n"
	    "rule that decided.\n\n"
	    "options:\n"
	    "  -r, --remote-mta HOST   the host that gave the reply (for\n"
	    "                          provider rules, e.g. Gmail, Microsoft)\n"
	    "      --profile NAME      default or protect-list\n"
	    "  -f, --format FMT        text (default) or jsonl (json is another\n"
	    "                          name for it)\n"
	    "  -h, --help              this text\n");
}

int
bnc_cmd_explain(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "remote-mta", required_argument, NULL, 'r' },
		{ "profile", required_argument, NULL, 'P' },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct bnc_options opts = BNC_OPTIONS_INIT;
	const char *remote = NULL;
	struct bnc_ctx *ctx;
	struct bnc_report *rep;
	struct bnc_error err;
	const struct bnc_record *r;
	bool json = false;
	int c, rc;

	optind = 1;
	opterr = 0;	/* our own messages (bnc_cli_bad_option) */
	while ((c = getopt_long(argc, argv, ":r:f:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'r':
			remote = optarg;
			break;
		case 'P':
			if (strcmp(optarg, "protect-list") == 0)
				opts.profile = BNC_PROFILE_PROTECT_LIST;
			else if (strcmp(optarg, "default") != 0) {
				fprintf(stderr, "bouncer explain: unknown "
				    "profile '%s'\n", optarg);
				return 2;
			}
			break;
		case 'f':
			if (strcmp(optarg, "jsonl") == 0 ||
			    strcmp(optarg, "json") == 0)
				json = true;
			else if (strcmp(optarg, "text") != 0) {
				fprintf(stderr, "bouncer explain: unknown "
				    "format '%s' (text or jsonl)\n", optarg);
				return 2;
			}
			break;
		case 'h':
			help(stdout);
			return 0;
		default:
			return bnc_cli_bad_option("bouncer explain", c, ":r:f:h",
			    argv);
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "bouncer explain: give exactly one SMTP reply "
		    "(quote it)\n");
		help(stderr);
		return 2;
	}
	rc = bnc_ctx_new(&ctx, &opts);
	if (rc) {
		fprintf(stderr, "bouncer explain: %s\n", bnc_strerror(rc));
		return 2;
	}
	rc = bnc_explain(&rep, ctx, argv[optind], strlen(argv[optind]), remote,
	    &err);
	if (rc) {
		fprintf(stderr, "bouncer explain: %s\n", err.msg);
		bnc_ctx_free(ctx);
		return 1;
	}
	r = bnc_report_record(rep, 0);
	if (json) {
		struct bnc_writer w;
		bnc_writer_init(&w, stdout, BNC_FORMAT_JSONL);
		bnc_writer_record(&w, "-", 1, r);
		bnc_writer_finish(&w);
	} else {
		printf("class:      %s\n", bnc_class_name(r->cls));
		printf("action:     %s\n", bnc_action_name(r->action));
		printf("reason:     %s\n", r->reason);
		printf("rule:       %s\n", r->rule);
		printf("status:     %s\n", r->status[0] ? r->status : "-");
		printf("reply code: %s\n", r->reply_code[0] ? r->reply_code : "-");
		printf("recipient:  %s\n", r->recipient[0] ? r->recipient : "-");
		printf("provider:   %s\n", r->provider[0] ? r->provider : "-");
	}
	bnc_report_free(rep);
	bnc_ctx_free(ctx);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "bouncer explain: error writing the output\n");
		return 1;
	}
	return 0;
}
