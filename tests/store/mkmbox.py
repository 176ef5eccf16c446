#!/usr/bin/env python3
"""Build a large mbox from the bundled examples, for the store tests.

    mkmbox.py RECORDS.jsonl COPIES RECIPIENTS OUT.mbox
    mkmbox.py RECORDS.jsonl COPIES RECIPIENTS OUT/ --maildir

With --maildir the same messages go to OUT/cur/, one file each, named in
the mbox's order.

RECORDS.jsonl is `bouncer parse --format jsonl examples/` (it says which
recipient each example is about). Copy k of each example gets:
  - its own top-level Message-ID, so every message is a distinct bounce;
  - its recipient renamed to one of RECIPIENTS variants (local.N@domain,
    N = k mod RECIPIENTS), so addresses recur across copies;
  - its X-Campaign-ID set to camp-(k div RECIPIENTS), so a recurring
    address meets several campaigns and soft streaks build up.
The order of messages is fixed, so the final state of the store depends
on the order it was ingested in, which is what a crash test should
exercise. All names stay under example.org / example.net / example.com.
"""
import json
import os
import re
import sys


def main():
    records, copies, nrcpt, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    maildir = "--maildir" in sys.argv[5:]
    rcpt = {}
    for line in open(records, encoding="utf-8"):
        d = json.loads(line)
        if d["recipient"]:
            rcpt.setdefault(d["source"], d["recipient"])
    examples = []
    for src in sorted(rcpt):
        with open(src, "rb") as f:
            raw = f.read().replace(b"\r\n", b"\n").decode("utf-8", "surrogateescape")
        examples.append((os.path.basename(src).rsplit(".", 1)[0], raw, rcpt[src]))
    if maildir:
        os.makedirs(os.path.join(out, "cur"), exist_ok=True)
        f = None
    else:
        f = open(out, "w", encoding="utf-8", errors="surrogateescape", newline="\n")
    n = 0
    if True:
        for k in range(copies):
            camp = "camp-%d" % (k // nrcpt)
            for name, raw, addr in examples:
                local, _, domain = addr.rpartition("@")
                new = "%s.%d@%s" % (local, k % nrcpt, domain)
                text = re.sub(re.escape(addr), new, raw, flags=re.IGNORECASE)
                text = re.sub(r"(?mi)^(X-Campaign-ID:[ \t]*)\S+", lambda m: m.group(1) + camp, text)
                head, sep, body = text.partition("\n\n")
                mid = "Message-ID: <gen-%d-%s@bounce.example.com>" % (k, name)
                head, found = re.subn(r"(?mi)^Message-ID:.*(\n[ \t].*)*$", mid, head, count=1)
                if found == 0:
                    head = mid + "\n" + head
                text = head + sep + body
                n += 1
                if maildir:
                    path = os.path.join(out, "cur", "%08d.%s.eml" % (n, name))
                    with open(path, "w", encoding="utf-8", errors="surrogateescape", newline="\n") as m:
                        m.write(text)
                    continue
                # mboxrd: quote From_ lines (and already quoted ones).
                text = re.sub(r"(?m)^(>*From )", r">\1", text)
                f.write("From MAILER-DAEMON Mon Jan  1 00:00:00 2024\n")
                f.write(text if text.endswith("\n") else text + "\n")
                f.write("\n")
    if f is not None:
        f.close()


if __name__ == "__main__":
    main()
