/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * output.h - record writers for the CLI: JSON lines (DESIGN.md section
 * 3), CSV (RFC 4180), an aligned table for people, and the JSON of the
 * reference decoder, Sisimai (docs/sisimai.md), for its users.
 */
#ifndef BNC_CLI_OUTPUT_H
#define BNC_CLI_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>

#include "bouncer.h"
#include "../util/buf.h"

enum bnc_format { BNC_FORMAT_JSONL, BNC_FORMAT_TABLE, BNC_FORMAT_CSV,
	BNC_FORMAT_SISIMAI };

struct bnc_table_row;

struct bnc_writer {
	FILE *fp;
	enum bnc_format format;
	bool colour;			/* table only, on a terminal */
	size_t rows;			/* records written */
	struct bnc_table_row *table;	/* table rows, kept to align */
	size_t table_n, table_cap;
	struct bnc_buf line;		/* the JSON line being built */
};

/* false when `name` is no format. */
bool bnc_format_parse(const char *name, enum bnc_format *out);
void bnc_writer_init(struct bnc_writer *w, FILE *fp, enum bnc_format f);
/* Format and write one record. 0, or BNC_EIO / BNC_ENOMEM. */
int bnc_writer_record(struct bnc_writer *w, const char *source,
    size_t message, const struct bnc_record *r);
/* The two halves of bnc_writer_record(), for `parse -j N`: format one
 * record, appending its bytes to `out` (reads only the writer's format,
 * so worker threads may call it while the writer's thread writes; on
 * failure `out` is left as it was); then, on the writer's thread, write
 * `n` records so formatted, in order. 0, BNC_ENOMEM or BNC_EIO. */
int bnc_writer_format(const struct bnc_writer *w, struct bnc_buf *out,
    const char *source, size_t message, const struct bnc_record *r);
int bnc_writer_put(struct bnc_writer *w, const char *bytes, size_t len,
    size_t n);
/* Flush (the table is printed here) and release. */
int bnc_writer_finish(struct bnc_writer *w);

/* JSON string body of `s` (valid UTF-8 out; bad bytes become U+FFFD). */
void bnc_json_string(FILE *fp, const char *s);
/* The JSON string of s[0, len), quotes included, written at o (room
 * for 6 bytes a byte and 2); the end. bnc_json_put() copies plain
 * bytes by vector loads; bnc_json_put_plain() a byte at a time, the
 * reference it is tested against. */
char *bnc_json_put(char *o, const char *s, size_t len);
char *bnc_json_put_plain(char *o, const char *s, size_t len);

#endif
