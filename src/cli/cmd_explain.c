/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * cmd_explain.c - `bouncer explain "550 5.1.1 ..."`: the verdict on one
 * raw SMTP reply and the rule that decided it; `bouncer explain -`: the
 * verdict on each line of standard input, as an MTA log holds one reply
 * a line.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "../util/buf.h"
#include "../util/limits.h"
#include "../util/str.h"
#include "cli.h"
#include "output.h"

static void
help(FILE *fp)
{
	fprintf(fp,
	    "usage: bouncer explain [OPTIONS] \"SMTP REPLY\"\n"
	    "       bouncer explain [OPTIONS] -     (one reply a line on stdin)\n\n"
	    "Classify a raw SMTP reply, as found in an MTA log, and show the\n"
	    "rule that decided. With -, each line of standard input is one\n"
	    "reply (blank lines are skipped) and gets its own verdict: in text,\n"
	    "a block that starts with the reply, blocks apart by a blank line;\n"
	    "in jsonl, one line whose message is the input line's number.\n\n"
	    "options:\n"
	    "  -r, --remote-mta HOST   the host that gave the reply (for\n"
	    "                          provider rules, e.g. Gmail, Microsoft)\n"
	    "      --profile NAME      default or protect-list\n"
	    "  -f, --format FMT        text (default) or jsonl (json is another\n"
	    "                          name for it)\n"
	    "  -h, --help              this text\n\n"
	    "exit status: 0 ok, 1 a reply could not be classified (its class\n"
	    "is unknown: the verdict is still printed) or a line of stdin held\n"
	    "a NUL byte, 2 usage error (no reply, or an empty one).\n");
}

struct run {
	const struct bnc_ctx *ctx;
	const char *remote;
	bool json;
	bool from_stdin;	/* text: each block opens with the reply */
	size_t shown;		/* verdicts written in text */
	struct bnc_writer w;
};

/* One reply's verdict; 0, or 1 when it could not be read (said on
 * stderr) or says nothing we can act on (class unknown, printed). */
static int
explain_one(struct run *run, const char *reply, size_t len, size_t line)
{
	struct bnc_report *rep;
	struct bnc_error err;
	const struct bnc_record *r;
	bool unknown;

	if (bnc_explain(&rep, run->ctx, reply, len, run->remote, &err) != 0) {
		if (run->from_stdin)
			fprintf(stderr, "bouncer explain: line %zu: %s\n", line,
			    err.msg);
		else
			fprintf(stderr, "bouncer explain: %s\n", err.msg);
		return 1;
	}
	r = bnc_report_record(rep, 0);
	if (run->json) {
		if (bnc_writer_record(&run->w, "-", line, r) != 0)
			fprintf(stderr, "bouncer explain: error writing the "
			    "output\n");
	} else {
		if (run->from_stdin) {
			if (run->shown++ > 0)
				putchar('\n');
			printf("reply:      %s\n", reply);
		}
		printf("class:      %s\n", bnc_class_name(r->cls));
		printf("action:     %s\n", bnc_action_name(r->action));
		printf("reason:     %s\n", r->reason);
		printf("rule:       %s\n", r->rule);
		printf("status:     %s\n", r->status[0] ? r->status : "-");
		printf("reply code: %s\n", r->reply_code[0] ? r->reply_code : "-");
		printf("recipient:  %s\n", r->recipient[0] ? r->recipient : "-");
		printf("provider:   %s\n", r->provider[0] ? r->provider : "-");
	}
	unknown = r->cls == BNC_CLASS_UNKNOWN;
	bnc_report_free(rep);
	return unknown ? 1 : 0;
}

/* Each line of stdin, CR LF or LF ended; a line longer than the input
 * line limit is cut there (and said so), as a message's would be. */
static int
explain_stdin(struct run *run)
{
	struct bnc_buf line;
	size_t lineno = 0;
	bool cut = false, nul = false, more = true;
	int c, failed = 0;

	bnc_buf_init(&line, BNC_DEFAULT_LINE_SIZE);
	while (more) {
		c = getc(stdin);
		if (c != EOF && c != '\n') {
			if (c == '\0')
				nul = true;
			if (bnc_buf_addc(&line, (char)c) != 0)
				cut = true;
			continue;
		}
		if (c == EOF) {
			more = false;
			if (line.len == 0 && !cut)
				break;
		}
		lineno++;
		if (line.len > 0 && line.ptr[line.len - 1] == '\r')
			line.ptr[--line.len] = '\0';
		if (nul) {
			fprintf(stderr, "bouncer explain: line %zu: a NUL "
			    "byte; not a reply\n", lineno);
			failed = 1;
		} else if (bnc_str_trim(bnc_str_make(line.ptr ? line.ptr : "",
		    line.len)).len > 0) {
			if (cut)
				fprintf(stderr, "bouncer explain: line %zu: "
				    "longer than %zu bytes; the rest of the "
				    "line was not read\n", lineno, line.max);
			failed |= explain_one(run, line.ptr, line.len, lineno);
			/* A log followed live gets each verdict now. */
			fflush(stdout);
		}
		bnc_buf_reset(&line);
		cut = nul = false;
	}
	if (ferror(stdin)) {
		fprintf(stderr, "bouncer explain: error reading standard "
		    "input\n");
		failed = 1;
	}
	bnc_buf_deinit(&line);
	return failed;
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
	struct bnc_ctx *ctx;
	struct run run;
	const char *reply;
	int c, rc;

	memset(&run, 0, sizeof(run));
	optind = 1;
	opterr = 0;	/* our own messages (bnc_cli_bad_option) */
	while ((c = getopt_long(argc, argv, ":r:f:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'r':
			run.remote = optarg;
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
				run.json = true;
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
		    "(quote it), or - to read one a line from stdin\n");
		help(stderr);
		return 2;
	}
	reply = argv[optind];
	if (bnc_str_trim(bnc_str_c(reply)).len == 0) {
		fprintf(stderr, "bouncer explain: the reply is empty\n");
		return 2;
	}
	rc = bnc_ctx_new(&ctx, &opts);
	if (rc) {
		fprintf(stderr, "bouncer explain: %s\n", bnc_strerror(rc));
		return 2;
	}
	run.ctx = ctx;
	bnc_writer_init(&run.w, stdout, BNC_FORMAT_JSONL);
	if (strcmp(reply, "-") == 0) {
		run.from_stdin = true;
		rc = explain_stdin(&run);
	} else {
		rc = explain_one(&run, reply, strlen(reply), 1);
	}
	if (bnc_writer_finish(&run.w) != 0)
		rc = 1;
	bnc_ctx_free(ctx);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "bouncer explain: error writing the output\n");
		return 1;
	}
	return rc;
}
