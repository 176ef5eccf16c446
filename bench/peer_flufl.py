#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""bench/peer_flufl.py MBOX: run Debian's python3-flufl.bounce over every
message of MBOX (flufl.bounce.scan_message per message, the mbox split
and parsed by the standard library) and print "MESSAGES RECORDS", a
record being one address scan_message() returned."""
import mailbox
import sys

from flufl.bounce import scan_message


def main():
    msgs = recs = 0
    for msg in mailbox.mbox(sys.argv[1], create=False):
        msgs += 1
        try:
            recs += len(scan_message(msg))
        except Exception:  # a peer's crash on one message is not ours
            pass
    print(msgs, recs)


if __name__ == "__main__":
    main()
