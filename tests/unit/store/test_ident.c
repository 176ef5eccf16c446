/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_ident.c - SHA-256 against the FIPS 180-4 examples, and the
 * identity of a bounce: the same for every copy of one message (line
 * ends, an mbox separator, trace fields added on delivery, trailing
 * blank lines) and different for different messages. And the event key.
 */
#include "harness.h"
#include "mail/ident.h"
#include "store/store.h"
#include "util/sha256.h"

static void
test_sha256(void)
{
	static const struct {
		const char *name, *in, *want;
		size_t repeat;
	} rows[] = {
		{ "empty", "", "e3b0c44298fc1c149afbf4c8996fb924"
		    "27ae41e4649b934ca495991b7852b855", 1 },
		{ "abc", "abc", "ba7816bf8f01cfea414140de5dae2223"
		    "b00361a396177a9cb410ff61f20015ad", 1 },
		{ "two blocks", "abcdbcdecdefdefgefghfghighijhijkijkljklmklmn"
		    "lmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039"
		    "a33ce45964ff2167f6ecedd419db06c1", 1 },
		{ "million a", "aaaaaaaaaa", "cdc76e5c9914fb9281a1c7e284d73e67"
		    "f1809a48a497200e046d39ccc7112cd0", 100000 },
	};
	size_t i, k;

	for (i = 0; i < H_NELEM(rows); i++) {
		struct bnc_sha256 s;
		unsigned char d[32];
		char hex[65];

		bnc_sha256_init(&s);
		for (k = 0; k < rows[i].repeat; k++)
			bnc_sha256_update(&s, rows[i].in, strlen(rows[i].in));
		bnc_sha256_final(&s, d);
		bnc_hex(hex, d, 32);
		CHECK_STR(rows[i].name, "digest", hex, rows[i].want);
	}
}

static const char base[] =
    "Return-Path: <>\n"
    "Date: Wed, 15 May 2024 13:05:21 +0000\n"
    "From: MAILER-DAEMON@mx.example.net\n"
    "Message-ID: <bounce-1@mx.example.net>\n"
    "Subject: Undelivered Mail\n"
    "\n"
    "<jane@example.net>: 550 5.1.1 User unknown\n";

static void
ident_hex(char *hex, const char *msg)
{
	unsigned char d[32];

	bnc_message_ident(d, msg, strlen(msg));
	bnc_hex(hex, d, 32);
}

static void
test_ident(void)
{
	static const struct {
		const char *name, *msg;
		bool same;	/* as base */
	} rows[] = {
		{ "itself", base, true },
		{ "CRLF", "Return-Path: <>\r\nDate: Wed, 15 May 2024 13:05:21 "
		    "+0000\r\nFrom: MAILER-DAEMON@mx.example.net\r\nMessage-ID: "
		    "<bounce-1@mx.example.net>\r\nSubject: Undelivered Mail\r\n"
		    "\r\n<jane@example.net>: 550 5.1.1 User unknown\r\n", true },
		{ "bare CR", "Date: Wed, 15 May 2024 13:05:21 +0000\rMessage-ID:"
		    " <bounce-1@mx.example.net>\r\rbody\r", true },
		{ "mbox separator and trace fields",
		    "From MAILER-DAEMON Wed May 15 13:05:22 2024\n"
		    "Delivered-To: bounces@example.com\n"
		    "Received: from mx.example.net by in.example.com\n"
		    "Date: Wed, 15 May 2024 13:05:21 +0000\n"
		    "message-id:\n   <bounce-1@mx.example.net>\n"
		    "\nother body\n\n\n", true },
		{ "folded date", "Message-ID: <bounce-1@mx.example.net>\n"
		    "Date: Wed, 15 May 2024\n\t13:05:21   +0000\n\n", true },
		{ "other message id", "Message-ID: <bounce-2@mx.example.net>\n"
		    "Date: Wed, 15 May 2024 13:05:21 +0000\n\n", false },
		{ "other date", "Message-ID: <bounce-1@mx.example.net>\n"
		    "Date: Wed, 15 May 2024 13:05:22 +0000\n\n", false },
		{ "Message-ID in the body only", "Date: Wed, 15 May 2024 "
		    "13:05:21 +0000\n\nMessage-ID: <bounce-1@mx.example.net>\n",
		    false },
	};
	char want[65], got[65];
	size_t i;

	ident_hex(want, base);
	for (i = 0; i < H_NELEM(rows); i++) {
		ident_hex(got, rows[i].msg);
		CHECK_BOOL(rows[i].name, "same identity",
		    strcmp(got, want) == 0, rows[i].same);
	}
}

/* Without a Message-ID the whole message counts, line ends aside. */
static void
test_ident_raw(void)
{
	static const struct {
		const char *name, *a, *b;
		bool same;
	} rows[] = {
		{ "LF vs CRLF", "Subject: x\n\nbody\n", "Subject: x\r\n\r\nbody\r\n",
		    true },
		{ "mbox copy", "Subject: x\n\nbody\n",
		    "From MAILER-DAEMON Wed May 15 2024\nSubject: x\n\nbody\n\n",
		    true },
		{ "other body", "Subject: x\n\nbody\n", "Subject: x\n\nbodY\n",
		    false },
		{ "empty", "", "\n\n", true },
	};
	size_t i;

	for (i = 0; i < H_NELEM(rows); i++) {
		char a[65], b[65];
		ident_hex(a, rows[i].a);
		ident_hex(b, rows[i].b);
		CHECK_BOOL(rows[i].name, "same identity", strcmp(a, b) == 0,
		    rows[i].same);
	}
}

static void
test_event_key(void)
{
	unsigned char id0[32], id1[32], id2[32];
	char k1[BNC_EVENT_KEY_LEN], k2[BNC_EVENT_KEY_LEN];

	bnc_message_ident(id1, base, strlen(base));
	memcpy(id2, id1, 32);
	id2[31] ^= 1;
	/* SHA-256 of 32 zero bytes then the address, its first 16 bytes. */
	memset(id0, 0, sizeof(id0));
	bnc_event_key(k1, id0, "jane@example.net");
	CHECK_STR("known value", "key", k1, "56114b51aee8d3f2a02af1902bf31c87");
	bnc_event_key(k1, id1, "jane@example.net");
	CHECK_INT("key", "length", strlen(k1), 32);
	bnc_event_key(k2, id1, "jane@example.net");
	CHECK_STR("same inputs", "key", k2, k1);
	bnc_event_key(k2, id1, "jane2@example.net");
	CHECK_BOOL("other recipient", "differs", strcmp(k1, k2) != 0, true);
	bnc_event_key(k2, id2, "jane@example.net");
	CHECK_BOOL("other bounce", "differs", strcmp(k1, k2) != 0, true);
}

int
main(void)
{
	test_sha256();
	test_ident();
	test_ident_raw();
	test_event_key();
	return h_done("test_ident");
}
