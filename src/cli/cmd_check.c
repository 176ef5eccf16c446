/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * cmd_check.c - `bouncer check`: may I send to these addresses? One JSON
 * line per address, in the order given, from the arguments or from
 * standard input ("-", one address a line).
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../util/arena.h"
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
	    "insensitively,\n"
	    "the part before the @ as it is (Jane.Doe@ is not jane.doe@).\n\n"
	    "options:\n"
	    BNC_STORE_HELP
	    "  -h, --help              this text\n\n"
	    "exit status: 0 all sendable, 1 some address is not, 2 usage error,\n"
	    "3 the store could not be read or the answers not written.\n");
}

/* Addresses asked of the store at once: one round trip for them all on
 * PostgreSQL. Fewer when the input pauses (a person typing, a program
 * waiting for each answer): what was read is answered first. */
#define CHUNK 1000

/* One line of the answer, in the order asked. */
struct item {
	const char *text;	/* as given; a key for LOOKUP */
	size_t len;		/* of text (a NUL line holds NULs) */
	enum { LOOKUP, INVALID, NUL_LINE } kind;
};

struct run {
	struct bnc_store *store;
	const struct bnc_cli_store *o;
	bool any_unsendable;
	bool store_error;
	struct item item[CHUNK];
	size_t nitem;
	const char *keys[CHUNK];
	struct bnc_check res[CHUNK];
	struct bnc_arena arena;	/* the items' text */
};

static void
invalid(struct run *run, const char *text)
{
	fputs("{\"address\":", stdout);
	bnc_json_string(stdout, bnc_str_trim(bnc_str_c(text)).len ? text : "");
	fputs(",\"sendable\":false,\"state\":\"invalid\","
	    "\"reason\":\"not an address\",\"since\":\"\"}\n", stdout);
	run->any_unsendable = true;
}

static void
answer(struct run *run, const char *key, const struct bnc_check *c)
{
	bool sendable = c->state != BNC_STATE_SUPPRESSED;

	if (!sendable)
		run->any_unsendable = true;
	fputs("{\"address\":", stdout);
	bnc_json_string(stdout, key);
	fprintf(stdout, ",\"sendable\":%s,\"state\":\"%s\",\"reason\":",
	    sendable ? "true" : "false", bnc_state_name(c->state));
	bnc_json_string(stdout, c->reason);
	fputs(",\"since\":", stdout);
	bnc_json_string(stdout, c->since);
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

/* Look the waiting addresses up and answer every item in order. */
static void
flush(struct run *run)
{
	size_t i, k = 0;

	for (i = 0; i < run->nitem; i++)
		if (run->item[i].kind == LOOKUP)
			run->keys[k++] = run->item[i].text;
	if (k > 0 && bnc_store_check_many(run->store, run->keys, k, run->res,
	    NULL) != 0) {
		fprintf(stderr, "%s: %s\n", run->o->cmd,
		    bnc_store_errmsg(run->store));
		run->store_error = true;
		return;
	}
	for (i = k = 0; i < run->nitem; i++) {
		const struct item *it = &run->item[i];
		if (it->kind == LOOKUP)
			answer(run, it->text, &run->res[k++]);
		else if (it->kind == INVALID)
			invalid(run, it->text);
		else
			nul_line(run, it->text, it->len);
	}
	run->nitem = 0;
	bnc_arena_deinit(&run->arena);
	bnc_arena_init(&run->arena, 0);
}

/* Queue one address (or a line that is none) for the next flush. */
static void
ask(struct run *run, const char *text, size_t len)
{
	struct item *it = &run->item[run->nitem];
	char key[1024];

	it->len = len;
	if (memchr(text, '\0', len) != NULL) {
		/* No address holds a NUL; checking the text before it would
		 * answer for another address. */
		it->kind = NUL_LINE;
	} else if (!bnc_address_key(key, sizeof(key), text) ||
	    !bnc_address_valid(key)) {
		it->kind = INVALID;
	} else {
		it->kind = LOOKUP;
		text = key;
		len = strlen(key);
	}
	it->text = bnc_arena_strndup(&run->arena, text, len);
	if (it->text == NULL) {
		fprintf(stderr, "%s: out of memory\n", run->o->cmd);
		run->store_error = true;
		return;
	}
	if (++run->nitem == CHUNK)
		flush(run);
}

/* Is more input there now? (poll() with no wait; an error says yes, so
 * the read that follows reports it.) */
static bool
input_ready(void)
{
	struct pollfd pfd = { STDIN_FILENO, POLLIN, 0 };

	return poll(&pfd, 1, 0) != 0;
}

static void
check_line(struct run *run, char *line, size_t n)
{
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	if (bnc_str_trim(bnc_str_make(line, n)).len == 0)
		return;		/* blank lines separate, they ask nothing */
	ask(run, line, n);
}

/* One address a line. Read with read(), not stdio, to know when what
 * came is used up: then the waiting addresses are answered (and the
 * answers flushed) before waiting for more. */
static void
check_stdin(struct run *run)
{
	struct bnc_buf in;
	size_t start = 0;
	bool eof = false;

	bnc_buf_init(&in, (size_t)1 << 30);
	while (!run->store_error) {
		char *nl = in.len > start ?
		    memchr(in.ptr + start, '\n', in.len - start) : NULL;
		ssize_t got;

		if (nl != NULL) {
			size_t n = (size_t)(nl - (in.ptr + start)) + 1;
			check_line(run, in.ptr + start, n);
			start += n;
			continue;
		}
		if (eof) {
			if (start < in.len)
				check_line(run, in.ptr + start, in.len - start);
			break;
		}
		/* Keep the partial line at the start of the buffer. */
		if (start > 0) {
			memmove(in.ptr, in.ptr + start, in.len - start);
			in.len -= start;
			start = 0;
		}
		if (run->nitem > 0 && !input_ready()) {
			flush(run);
			fflush(stdout);
		}
		if (bnc_buf_reserve(&in, 65536) != 0) {
			fprintf(stderr, "%s: a line is too long\n",
			    run->o->cmd);
			run->store_error = true;
			break;
		}
		got = read(STDIN_FILENO, in.ptr + in.len, 65536);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			fprintf(stderr, "%s: reading standard input: %s\n",
			    run->o->cmd, strerror(errno));
			run->store_error = true;
			break;
		}
		if (got == 0)
			eof = true;
		in.len += (size_t)got;
		in.ptr[in.len] = '\0';
	}
	bnc_buf_deinit(&in);
}

int
bnc_cmd_check(int argc, char **argv)
{
	static const struct option longopts[] = {
		BNC_STORE_LONGOPTS,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	static struct run run;	/* large: not on the stack */
	struct bnc_cli_store o;
	int c, i, rc;

	memset(&run, 0, sizeof(run));
	bnc_arena_init(&run.arena, 0);
	bnc_cli_store_init(&o, "bouncer check");
	run.o = &o;
	optind = 1;
	opterr = 0;	/* our own messages (bnc_cli_bad_option) */
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		if (bnc_cli_store_opt(&o, c, optarg))
			continue;
		if (c == 'h') {
			help(stdout);
			return 0;
		}
		return bnc_cli_bad_option("bouncer check", c, ":h", argv);
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
			ask(&run, argv[i], strlen(argv[i]));
	}
	if (!run.store_error)
		flush(&run);
	bnc_store_close(run.store);
	bnc_arena_deinit(&run.arena);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "bouncer check: error writing the output\n");
		return 3;
	}
	if (run.store_error)
		return 3;
	return run.any_unsendable ? 1 : 0;
}
