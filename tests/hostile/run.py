#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Hostile-input tests: inputs made to hurt a mail parser, generated at
test time into a temporary folder (deleted afterwards, never stored).

    tests/hostile/run.py BOUNCER CASE [--big-mb N] [--no-rss]

Each case runs `bouncer parse` on its input and checks that it ends in
bounded time with the documented result: exit status, the limit named on
stderr, records that are valid JSON lines, and (without --no-rss) a peak
RSS under the case's bound. --big-mb sets the size of the large-mbox
case (1024 in the release build; smaller under ASan, which is ~10x
slower and whose shadow memory makes RSS meaningless, hence --no-rss).
`tests/hostile/run.py BOUNCER list` prints the cases.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MB = 1 << 20

# A bounce small enough to repeat: our own examples are the unit.
DSN = (b"From: Mail Delivery System <MAILER-DAEMON@mx.example.net>\n"
       b"To: bounces@example.com\n"
       b"Subject: Undelivered Mail Returned to Sender\n"
       b"Content-Type: multipart/report; report-type=delivery-status;"
       b" boundary=\"B\"\n\n"
       b"--B\nContent-Type: text/plain\n\n"
       b"<jane@example.org>: host mx.example.org said: 550 5.1.1 "
       b"user unknown\n\n"
       b"--B\nContent-Type: message/delivery-status\n\n"
       b"Reporting-MTA: dns; mx.example.net\n\n"
       b"Final-Recipient: rfc822; jane@example.org\nAction: failed\n"
       b"Status: 5.1.1\n"
       b"Diagnostic-Code: smtp; 550 5.1.1 user unknown\n\n")


class Fail(Exception):
    pass


TIME = "/usr/bin/time"


def timed(bouncer, args):
    """The command line that runs bouncer under /usr/bin/time, whose own
    rusage gives the peak RSS of bouncer alone, and the file it writes
    that to. A child of Python cannot be measured from Python: Linux
    folds the spawning parent's pages into the child's peak RSS."""
    if not os.path.exists(TIME):
        return [bouncer] + args, None
    fd, path = tempfile.mkstemp(prefix="bnc-rss-")
    os.close(fd)
    return [TIME, "-f", "%M", "-o", path, bouncer] + args, path


def peak_kb(path):
    if path is None:
        return 0	# no /usr/bin/time: RSS unchecked (scripts/deps has it)
    try:
        with open(path) as fp:
            lines = [l for l in fp.read().split("\n") if l.strip()]
        return int(lines[-1])
    except (OSError, ValueError, IndexError):
        return 0
    finally:
        os.unlink(path)


def run(bouncer, args, timeout, stdin=None):
    """Run bouncer; returns (status, stdout bytes, stderr text, seconds,
    peak RSS in KiB)."""
    cmd, rss_file = timed(bouncer, args)
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, stdin=stdin, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    try:
        out, err = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        p.kill()
        p.communicate()
        peak_kb(rss_file)
        raise Fail(f"got no end within {timeout} s, want a bounded run")
    secs = time.monotonic() - t0
    return p.returncode, out, err.decode("utf-8", "replace"), secs, \
        peak_kb(rss_file)


def check_jsonl(out, want_min=0, want_max=None):
    n = 0
    for i, line in enumerate(out.split(b"\n")[:-1], 1):
        try:
            line.decode("utf-8")
            rec = json.loads(line)
        except ValueError as e:
            raise Fail(f"got invalid JSON/UTF-8 on line {i} ({e}), want JSON")
        if len(rec) != 23:
            raise Fail(f"got {len(rec)} keys on line {i}, want 23")
        n += 1
    if n < want_min or (want_max is not None and n > want_max):
        raise Fail(f"got {n} records, want {want_min}..{want_max}")
    return n


def expect(cond, got, want):
    if not cond:
        raise Fail(f"got {got}, want {want}")


# ---- the cases: each makes its input in T and checks the run ----------

def case_line_100mb(b, t, o):
    path = os.path.join(t, "line.eml")
    with open(path, "wb") as fp:
        block = b"x" * MB
        for _ in range(100):
            fp.write(block)
    rc, out, err, secs, rss = run(b, ["parse", path], 120)
    expect(rc == 0, f"exit {rc}", "exit 0")
    expect("message size limit" in err, repr(err[:200]), "the size limit named")
    check_jsonl(out, 0, 0)
    return secs, rss, 160 * 1024


def case_nested_10000(b, t, o):
    path = os.path.join(t, "nested.eml")
    depth = 10000
    with open(path, "wb") as fp:
        fp.write(b"From: MAILER-DAEMON@mx.example.net\nSubject: nested\n")
        for i in range(depth):
            fp.write(b"Content-Type: multipart/mixed; boundary=\"b%d\"\n\n"
                     b"--b%d\n" % (i, i))
        fp.write(b"Content-Type: text/plain\n\n<a@example.org>: 550 5.1.1 "
                 b"user unknown\n")
        for i in reversed(range(depth)):
            fp.write(b"--b%d--\n" % i)
    rc, out, err, secs, rss = run(b, ["parse", path], 120)
    expect(rc == 0, f"exit {rc}", "exit 0")
    expect("mime_depth" in err, repr(err[:200]), "mime_depth named")
    check_jsonl(out)
    return secs, rss, 64 * 1024


def case_boundary_never_closes(b, t, o):
    path = os.path.join(t, "open.eml")
    with open(path, "wb") as fp:
        fp.write(DSN)
        # The closing "--B--" never comes; a long tail instead.
        fp.write(b"--B\nContent-Type: message/rfc822\n\nSubject: x\n\n")
        for _ in range(200000):
            fp.write(b"--Bogus line that looks like a boundary but is not\n")
    rc, out, err, secs, rss = run(b, ["parse", path], 120)
    expect(rc == 0, f"exit {rc}", "exit 0")
    n = check_jsonl(out, 1, 1)
    rec = json.loads(out.split(b"\n")[0])
    expect(rec["recipient"] == "jane@example.org", rec["recipient"],
           "jane@example.org")
    return secs, rss, 64 * 1024


def case_bad_base64_qp(b, t, o):
    path = os.path.join(t, "bad.eml")
    body = (b"From: MAILER-DAEMON@mx.example.net\n"
            b"Subject: Undelivered Mail\n"
            b"Content-Type: multipart/report; boundary=\"B\"\n\n"
            b"--B\nContent-Type: text/plain\n"
            b"Content-Transfer-Encoding: base64\n\n"
            b"PGFAZXhhbXBsZS5vcmc+OiA1NTAgNS4xLjEgdXNlciB1bmtub3du!!*%\n"
            b"====AAAA===\x80\xff not base64 at all ====\n"
            b"--B\nContent-Type: text/plain; charset=utf-8\n"
            b"Content-Transfer-Encoding: quoted-printable\n\n"
            b"=ZZ =4 =\n=C3=28 trailing =\n=E2=82 cut = = =\n=\n"
            b"--B\nContent-Type: message/delivery-status\n"
            b"Content-Transfer-Encoding: base64\n\n"
            b"RmluYWwtUmVjaXBpZW50OiByZmM4MjI7IGJAZXhhbXBsZS5vcmcKU3RhdHVzOiA1LjEuMQo=garbage\n"
            b"--B--\n")
    with open(path, "wb") as fp:
        fp.write(body)
    rc, out, err, secs, rss = run(b, ["parse", path], 60)
    expect(rc == 0, f"exit {rc}", "exit 0")
    check_jsonl(out, 1)
    return secs, rss, 32 * 1024


def case_nul_bytes(b, t, o):
    path = os.path.join(t, "nul.eml")
    msg = DSN.replace(b"Subject: Undelivered", b"Subject: Und\0elivered")
    msg = msg.replace(b"user unknown\n\n--B", b"user\0unknown\0\n\n--B")
    with open(path, "wb") as fp:
        fp.write(b"\0\0" + msg + b"\0" * 100000)
    rc, out, err, secs, rss = run(b, ["parse", path], 60)
    expect(rc == 0, f"exit {rc}", "exit 0")
    check_jsonl(out)
    # And a message that is nothing but NULs.
    with open(path, "wb") as fp:
        fp.write(b"\0" * MB)
    rc, out, err, secs2, rss = run(b, ["parse", path], 60)
    expect(rc == 0, f"exit {rc}", "exit 0")
    check_jsonl(out, 0, 0)
    return secs + secs2, rss, 32 * 1024


def case_bad_utf8_charsets(b, t, o):
    path = os.path.join(t, "charsets.mbox")
    parts = []
    for cs, text in ((b"utf-8", b"\xc3\x28 \xe2\x82 \xf0\x9f\x98 \xed\xa0\x80 \xff\xfe"),
                     (b"iso-2022-jp", b"\x1b$B\x30\x21\x1b(B \x1b$B\xff\xff \x1b(J"),
                     (b"x-no-such-charset", b"\x80\x81\x82"),
                     (b"shift_jis", b"\x82\xa0\x82"),
                     (b"utf-16", b"\xff\xfe\x00"),
                     (b"\"utf-8\x00\"; format=flowed", b"\xc0\xaf overlong"),
                     (b"" + b"a" * 300, b"\x80 long charset name")):
        parts.append(b"From x@y Mon Jan  1 00:00:00 2024\n"
                     b"From: MAILER-DAEMON@mx.example.net\n"
                     b"Subject: =?" + cs[:40] + b"?B?/////w==?= =?utf-8?Q?=FF=FE?=\n"
                     b"Content-Type: text/plain; charset=" + cs + b"\n\n"
                     b"<a@example.org>: 550 5.1.1 " + text + b"\n\n")
    with open(path, "wb") as fp:
        fp.write(b"".join(parts))
    rc, out, err, secs, rss = run(b, ["parse", path], 60)
    expect(rc == 0, f"exit {rc}", "exit 0")
    # A text declared UTF-16 that is not becomes CJK, its address lost:
    # a legitimate "no record" for that one message.
    check_jsonl(out, len(parts) - 1, len(parts))
    # Every format must survive it.
    for fmt in ("csv", "table"):
        rc, out2, err, s2, rss = run(b, ["parse", "--format", fmt, path], 60)
        expect(rc == 0, f"exit {rc} with --format {fmt}", "exit 0")
    return secs, rss, 32 * 1024


def case_header_only_and_empty(b, t, o):
    cases = {"empty.eml": b"", "header-only.eml":
             b"From: MAILER-DAEMON@mx.example.net\nSubject: Undelivered",
             "header-only-lf.eml": b"Subject: x\n",
             "blank.eml": b"\n\n\n", "one-byte.eml": b"F",
             "from-only.mbox": b"From ", "sep-only.mbox": b"From x\n"}
    total = 0.0
    for name, data in cases.items():
        path = os.path.join(t, name)
        with open(path, "wb") as fp:
            fp.write(data)
        rc, out, err, secs, rss = run(b, ["parse", path], 30)
        expect(rc == 0, f"exit {rc} for {name}", "exit 0")
        check_jsonl(out, 0, 0)
        total += secs
    # Standard input, empty.
    with open(os.path.join(t, "empty.eml"), "rb") as fp:
        rc, out, err, secs, rss = run(b, ["parse", "-"], 30, stdin=fp)
    expect(rc == 0, f"exit {rc} for empty stdin", "exit 0")
    return total, rss, 32 * 1024


def case_truncated_mbox(b, t, o):
    path = os.path.join(t, "cut.mbox")
    whole = b""
    for i in range(50):
        whole += b"From x@y Mon Jan  1 00:00:00 2024\n" + DSN.replace(
            b"jane@", b"jane%d@" % i)
    # Cut in the middle of message 50's delivery-status part, mid-line.
    cut = whole[:len(whole) - 40]
    with open(path, "wb") as fp:
        fp.write(cut)
    rc, out, err, secs, rss = run(b, ["parse", path], 60)
    expect(rc == 0, f"exit {rc}", "exit 0")
    n = check_jsonl(out, 49, 50)
    return secs, rss, 32 * 1024


def case_many_parts_fields_recipients(b, t, o):
    path = os.path.join(t, "many.eml")
    with open(path, "wb") as fp:
        fp.write(b"From: MAILER-DAEMON@mx.example.net\nSubject: many\n")
        for i in range(200000):		# header fields
            fp.write(b"X-H%d: v\n" % i)
        fp.write(b"X-Folded: a\n" + b" folded\n" * 100000)   # header_size
        fp.write(b"Content-Type: multipart/report; boundary=\"B\"\n\n")
        for i in range(5000):		# mime_parts
            fp.write(b"--B\nContent-Type: text/plain\n\npart %d\n" % i)
        fp.write(b"--B\nContent-Type: message/delivery-status\n\n"
                 b"Reporting-MTA: dns; mx.example.net\n\n")
        for i in range(20000):		# recipients
            fp.write(b"Final-Recipient: rfc822; u%d@example.org\n"
                     b"Action: failed\nStatus: 5.1.1\n\n" % i)
        fp.write(b"--B--\n")
    rc, out, err, secs, rss = run(b, ["parse", path], 120)
    expect(rc == 0, f"exit {rc}", "exit 0")
    expect("mime_parts" in err, repr(err[:300]), "mime_parts named")
    check_jsonl(out, 0, 1000)
    return secs, rss, 256 * 1024


def case_big_mbox(b, t, o):
    """o.big_mb MB of repeated bounces (the examples, in mbox form);
    every record must come out, in bounded memory, -j 1 and -j 2."""
    unit = b""
    names = sorted(n for n in os.listdir(os.path.join(ROOT, "examples"))
                   if n.endswith(".eml"))
    for n in names:
        with open(os.path.join(ROOT, "examples", n), "rb") as fp:
            data = fp.read().replace(b"\r\n", b"\n")
        if not data.endswith(b"\n"):
            data += b"\n"
        unit += b"From MAILER-DAEMON Thu Jan  1 00:00:00 2026\n" + data + b"\n"
    path = os.path.join(t, "unit.mbox")
    with open(path, "wb") as fp:
        fp.write(unit)
    rc, out, err, secs, rss = run(b, ["parse", path], 60)
    per_unit = check_jsonl(out, 1)
    copies = max(1, o.big_mb * MB // len(unit))
    path = os.path.join(t, "big.mbox")
    block = unit * max(1, MB // len(unit))
    reps, rest = divmod(copies, MB // len(unit) or 1)
    with open(path, "wb") as fp:
        for _ in range(reps):
            fp.write(block)
        fp.write(unit * rest)
    size = os.path.getsize(path)
    want = per_unit * (size // len(unit))
    results = []
    for jobs in ("1", "2"):
        rc, out, err, secs, rss = run_count(b, ["parse", "-j", jobs, path],
                                            1800)
        expect(rc == 0, f"exit {rc} (-j {jobs})", "exit 0")
        expect(out == want, f"{out} records (-j {jobs})", f"{want}")
        results.append((jobs, secs, rss))
        print(f"big mbox: {size // MB} MB, {size // len(unit) * len(names)} "
              f"messages, -j {jobs}: {secs:.1f} s, "
              f"{size / MB / secs:.0f} MB/s, peak RSS {rss // 1024} MB")
        if not o.no_rss and rss > 32 * 1024:
            raise Fail(f"peak RSS {rss // 1024} MB with -j {jobs}, "
                       "want <= 32 MB")
    os.unlink(path)
    return sum(r[1] for r in results), max(r[2] for r in results), 32 * 1024


def run_count(bouncer, args, timeout):
    """Like run(), but counts the output lines instead of keeping them
    (the output of a 1 GB mbox is hundreds of MB)."""
    cmd, rss_file = timed(bouncer, args)
    t0 = time.monotonic()
    with tempfile.TemporaryFile() as errf:
        p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=errf)
        n = 0
        while True:
            chunk = p.stdout.read(1 << 20)
            if not chunk:
                break
            n += chunk.count(b"\n")
            if time.monotonic() - t0 > timeout:
                p.kill()
                p.wait()
                peak_kb(rss_file)
                raise Fail(f"got no end within {timeout} s")
        p.wait()
        errf.seek(0)
        err = errf.read().decode("utf-8", "replace")
    if err:
        print(err[:500], file=sys.stderr)
    return p.returncode, n, err, time.monotonic() - t0, peak_kb(rss_file)


CASES = {
    "line-100mb": case_line_100mb,
    "nested-10000": case_nested_10000,
    "boundary-never-closes": case_boundary_never_closes,
    "bad-base64-qp": case_bad_base64_qp,
    "nul-bytes": case_nul_bytes,
    "bad-utf8-charsets": case_bad_utf8_charsets,
    "header-only-and-empty": case_header_only_and_empty,
    "truncated-mbox": case_truncated_mbox,
    "many-parts-fields-recipients": case_many_parts_fields_recipients,
    "big-mbox": case_big_mbox,
}


class Opts:
    big_mb = 1024
    no_rss = False


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    bouncer, name = os.path.abspath(sys.argv[1]), sys.argv[2]
    o = Opts()
    args = sys.argv[3:]
    while args:
        a = args.pop(0)
        if a == "--big-mb":
            o.big_mb = int(args.pop(0))
        elif a == "--no-rss":
            o.no_rss = True
        else:
            print(f"unknown argument {a}", file=sys.stderr)
            return 2
    if name == "list":
        print("\n".join(CASES))
        return 0
    if name not in CASES:
        print(f"no case {name}", file=sys.stderr)
        return 2
    t = tempfile.mkdtemp(prefix="bnc-hostile-")
    try:
        secs, rss, bound = CASES[name](bouncer, t, o)
        if not o.no_rss and rss > bound:
            raise Fail(f"peak RSS {rss // 1024} MB, want <= {bound // 1024} MB")
    except Fail as e:
        print(f'FAIL case "{name}": {e}')
        return 1
    finally:
        shutil.rmtree(t, ignore_errors=True)
    print(f"{name}: ok ({secs:.2f} s, peak RSS {rss // 1024} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
