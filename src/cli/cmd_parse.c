/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * cmd_parse.c - `bouncer parse`: every message of every input, one record
 * per recipient. A broken input is named on stderr and skipped; the exit
 * status is 1 at the end when any input failed.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../core/report.h"
#include "../mail/source.h"
#include "cli.h"
#include "output.h"
#include "pool.h"

/* stdout's buffer (see bnc_cmd_parse). */
static char outbuf[(size_t)1 << 16];

static void
help(FILE *fp)
{
	fprintf(fp,
	    "usage: bouncer parse [OPTIONS] INPUT...\n\n"
	    "Decode and classify bounce mail. INPUT is a message file, an mbox\n"
	    "file, a maildir or any folder (read recursively, in sorted order),\n"
	    "or - for standard input.\n\n"
	    "options:\n"
	    "  -f, --format FMT        jsonl (default; json is another name\n"
	    "                          for it), table, csv, or sisimai (the\n"
	    "                          field names and values of the Sisimai\n"
	    "                          decoder's JSON)\n"
	    "  -c, --class LIST        only these classes, comma-separated:\n"
	    "                          hard,soft,gray,complaint,auto_reply,\n"
	    "                          delivered,unknown\n"
	    "      --profile NAME      default or protect-list\n"
	    "      --campaign-header H header of the original message that\n"
	    "                          names the campaign (X-Campaign-ID)\n"
	    "  -j, --jobs N            decode on N threads (default 1); the\n"
	    "                          output keeps the input order\n"
	    "  -h, --help              this text\n\n"
	    "exit status: 0 all inputs read, 1 some input could not be read,\n"
	    "2 usage error.\n");
}

struct run {
	struct bnc_ctx *ctx;
	struct bnc_writer w;
	unsigned class_mask;	/* 1 << enum bnc_class; 0 = all */
	int failed;
	int write_error;
	struct bnc_pool *pool;	/* with -j N, N > 1 */
	struct bnc_pool_out out;	/* without: one message's output */
};

static bool
parse_classes(const char *list, unsigned *mask)
{
	static const enum bnc_class all[] = { BNC_CLASS_UNKNOWN,
		BNC_CLASS_HARD, BNC_CLASS_SOFT, BNC_CLASS_GRAY,
		BNC_CLASS_COMPLAINT, BNC_CLASS_AUTO_REPLY,
		BNC_CLASS_DELIVERED };
	const char *p = list;

	*mask = 0;
	while (*p) {
		size_t n = strcspn(p, ","), i;
		bool ok = false;
		for (i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
			const char *name = bnc_class_name(all[i]);
			if (strlen(name) == n && strncmp(p, name, n) == 0) {
				*mask |= 1u << all[i];
				ok = true;
			}
		}
		if (!ok)
			return false;
		p += n;
		if (*p == ',')
			p++;
	}
	return *mask != 0;
}

/* What was not read, or cut, when a limit was hit (src/util/limits.h). */
static const char *
limit_effect(unsigned bit)
{
	switch (bit) {
	case BNC_ANOMALY_MIME_DEPTH:
		return "deeper parts were not read";
	case BNC_ANOMALY_MIME_PARTS:
		return "later parts were not read";
	case BNC_ANOMALY_DECODED:
		return "decoded text past the limit was cut";
	case BNC_ANOMALY_RECIPIENTS:
		return "later recipients give no record";
	case BNC_ANOMALY_LONG_LINE:
		return "a longer line was cut";
	case BNC_ANOMALY_FIELD:
		return "a record field was cut";
	}
	return "cut";
}

void
bnc_cli_note_limits(struct bnc_buf *notes, const char *cmd,
    const char *source, size_t index, unsigned anomalies)
{
	unsigned bit;
	const char *sep = "";

	anomalies &= ~(unsigned)(BNC_ANOMALY_BAD_ENCODING |
	    BNC_ANOMALY_TRUNCATED);
	if (anomalies == 0)
		return;
	bnc_buf_printf(notes, "%s: %s: message %zu: input limit hit (", cmd,
	    source, index);
	for (bit = 1; bit != 0 && bit <= anomalies; bit <<= 1) {
		if (anomalies & bit) {
			bnc_buf_printf(notes, "%s%s: %s", sep,
			    bnc_anomaly_name(bit), limit_effect(bit));
			sep = "; ";
		}
	}
	bnc_buf_adds(notes, ")\n");
}

/* The output of one message, as bytes: also the pool's render(), on a
 * worker thread, so it only reads `run`. */
static void
render(void *payload, struct bnc_pool_out *o, const char *source,
    size_t index, bool truncated, int rc, const struct bnc_report *rep,
    const struct bnc_error *err)
{
	const struct run *run = payload;
	size_t i, n;

	if (truncated)
		bnc_buf_printf(&o->notes, "bouncer: %s: message %zu is larger "
		    "than the message size limit; the rest was not read\n",
		    source, index);
	if (rc) {
		bnc_buf_printf(&o->notes, "bouncer: %s: message %zu: %s\n",
		    source, index, err->msg);
		o->failed = true;
		return;
	}
	bnc_cli_note_limits(&o->notes, "bouncer", source, index,
	    bnc_report_anomalies(rep));
	n = bnc_report_count(rep);
	for (i = 0; i < n; i++) {
		const struct bnc_record *r = bnc_report_record(rep, i);
		if (run->class_mask && !(run->class_mask & (1u << r->cls)))
			continue;
		if (bnc_writer_format(&run->w, &o->data, source, index, r) != 0) {
			o->broken = true;
			break;
		}
		o->records++;
	}
}

/* Write what render() made, in input order: also the pool's
 * deliver(). Non-zero stops the run (a broken output). */
static int
deliver(void *payload, const struct bnc_pool_out *o)
{
	struct run *run = payload;

	if (o->notes.len)
		fwrite(o->notes.ptr, 1, o->notes.len, stderr);
	if (o->failed)
		run->failed = 1;
	if (o->broken || bnc_writer_put(&run->w, o->data.ptr, o->data.len,
	    o->records) != 0)
		run->write_error = 1;
	return run->write_error;
}

static int
on_message(void *payload, const char *source, size_t index, const char *data,
    size_t len, bool truncated, bool clean)
{
	struct run *run = payload;
	struct bnc_pool_out *o = &run->out;
	struct bnc_report *rep;
	struct bnc_error err;
	int rc;

	if (run->pool) {
		rc = bnc_pool_submit(run->pool, source, index, data, len,
		    truncated, clean);
		if (rc < 0) {
			fprintf(stderr, "bouncer: %s: message %zu: %s\n", source,
			    index, bnc_strerror(rc));
			run->failed = 1;
			return 0;
		}
		return rc;
	}
	rc = bnc_parse_clean(&rep, run->ctx, data, len, clean, &err);
	render(run, o, source, index, truncated, rc, rep, &err);
	bnc_report_free(rep);
	rc = deliver(run, o);
	bnc_buf_reset(&o->data);
	bnc_buf_reset(&o->notes);
	o->records = 0;
	o->failed = o->broken = false;
	return rc;
}

/* The mbox reader's windows, lent by the pool under -j N. */
static char *
window_get(void *payload)
{
	return bnc_pool_window_get(((struct run *)payload)->pool);
}

static void
window_put(void *payload, char *window)
{
	bnc_pool_window_put(((struct run *)payload)->pool, window);
}

static void
on_error(void *payload, const char *source, const char *why)
{
	struct run *run = payload;

	fprintf(stderr, "bouncer: %s: %s\n", source, why);
	run->failed = 1;
}

int
bnc_cmd_parse(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "class", required_argument, NULL, 'c' },
		{ "profile", required_argument, NULL, 'P' },
		{ "campaign-header", required_argument, NULL, 'C' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct bnc_options opts = BNC_OPTIONS_INIT;
	struct bnc_source_opts so;
	enum bnc_format format = BNC_FORMAT_JSONL;
	struct run run;
	unsigned long jobs = 1;
	char *end;
	int c, i, rc;

	memset(&run, 0, sizeof(run));
	optind = 1;
	opterr = 0;	/* our own messages (bnc_cli_bad_option) */
	while ((c = getopt_long(argc, argv, ":f:c:j:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (!bnc_format_parse(optarg, &format)) {
				fprintf(stderr, "bouncer parse: unknown format "
				    "'%s' (jsonl, table, csv or sisimai)\n", optarg);
				return 2;
			}
			break;
		case 'c':
			if (!parse_classes(optarg, &run.class_mask)) {
				fprintf(stderr, "bouncer parse: bad class list "
				    "'%s' (comma-separated: hard, soft, gray, "
				    "complaint, auto_reply, delivered, unknown)\n",
				    optarg);
				return 2;
			}
			break;
		case 'P':
			if (strcmp(optarg, "default") == 0)
				opts.profile = BNC_PROFILE_DEFAULT;
			else if (strcmp(optarg, "protect-list") == 0)
				opts.profile = BNC_PROFILE_PROTECT_LIST;
			else {
				fprintf(stderr, "bouncer parse: unknown profile "
				    "'%s' (default or protect-list)\n", optarg);
				return 2;
			}
			break;
		case 'C':
			opts.campaign_header = optarg;
			break;
		case 'j':
			jobs = strtoul(optarg, &end, 10);
			if (*optarg < '0' || *optarg > '9' || *end != '\0' ||
			    jobs < 1 || jobs > BNC_POOL_MAX_JOBS) {
				fprintf(stderr, "bouncer parse: bad job count "
				    "'%s' (1 to %u)\n", optarg,
				    BNC_POOL_MAX_JOBS);
				return 2;
			}
			break;
		case 'h':
			help(stdout);
			return 0;
		default:
			return bnc_cli_bad_option("bouncer parse", c, ":f:c:j:h",
			    argv);
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "bouncer parse: no input given\n");
		help(stderr);
		return 2;
	}
	rc = bnc_ctx_new(&run.ctx, &opts);
	if (rc) {
		fprintf(stderr, "bouncer parse: %s\n", bnc_strerror(rc));
		return 2;
	}
	/* Records come by the thousand: write them in large blocks, not
	 * stdio's 4 KiB (a terminal keeps its line buffering). glibc takes
	 * the size only with a buffer; stdout outlives this function, so
	 * the buffer is static (the CLI's, not the library's). */
	if (!isatty(fileno(stdout)))
		setvbuf(stdout, outbuf, _IOFBF, sizeof(outbuf));
	bnc_writer_init(&run.w, stdout, format);
	bnc_buf_init(&run.out.data, (size_t)64 << 20);
	bnc_buf_init(&run.out.notes, (size_t)1 << 20);
	memset(&so, 0, sizeof(so));
	so.max_message = opts.limits.message_size ? opts.limits.message_size :
	    ((size_t)32 << 20);
	so.on_message = on_message;
	so.on_error = on_error;
	so.payload = &run;
	if (jobs > 1) {
		rc = bnc_pool_new(&run.pool, run.ctx, (unsigned)jobs, render,
		    deliver, &run);
		if (rc) {
			fprintf(stderr, "bouncer parse: cannot start %lu "
			    "threads: %s\n", jobs, bnc_strerror(rc));
			bnc_ctx_free(run.ctx);
			return 1;
		}
		so.window_get = window_get;
		so.window_put = window_put;
	}
	for (i = optind; i < argc && !run.write_error; i++)
		bnc_source_read(argv[i], &so);
	if (run.pool) {
		bnc_pool_finish(run.pool);
		bnc_pool_free(run.pool);
	}
	if (bnc_writer_finish(&run.w) != 0)
		run.write_error = 1;
	bnc_buf_deinit(&run.out.data);
	bnc_buf_deinit(&run.out.notes);
	bnc_ctx_free(run.ctx);
	if (run.write_error) {
		fprintf(stderr, "bouncer parse: error writing the output\n");
		return 1;
	}
	return run.failed ? 1 : 0;
}
