#!/usr/bin/env bash
# The decoders' BNC_WHEN() conditions (src/mta/mta.h): with
# BNC_DECODE_CHECK=1, bnc_decode_run() also calls every decoder that its
# conditions rule out and aborts when one recognises the message. Run
# that over the decoder fixtures, the examples, the fuzz seed corpora
# and, when it is there, ../shared/corpus (its maildir and mailbox):
# a condition that does not follow from its decoder's code fails here.
# Then check the check: with BNC_DECODE_CHECK=all every decoder with
# conditions counts as ruled out, and a fixture of one must abort.
#
#   tests/decoders/check.sh BOUNCER
set -u
if (($# != 1)); then
	echo "usage: $0 BOUNCER" >&2
	exit 2
fi
B=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root" || exit 2
failed=0
inputs=(tests/decoders examples fuzz/corpus)
for d in ../shared/corpus/maildir ../shared/corpus/mailbox; do
	[[ -d $d ]] && inputs+=("$d")
done
err=$(mktemp)
trap 'rm -f "$err"' EXIT
for in in "${inputs[@]}"; do
	BNC_DECODE_CHECK=1 "$B" parse --format jsonl "$in" >/dev/null 2>"$err"
	rc=$?
	if ((rc != 0)); then
		echo "FAIL $in: exit status $rc with BNC_DECODE_CHECK=1"
		head -n 5 "$err"
		failed=$((failed + 1))
	fi
done
# postfix declares conditions and recognises its own fixture.
out=$(BNC_DECODE_CHECK=all "$B" parse tests/decoders/postfix/*.eml \
	2>&1 >/dev/null)
if [[ $out != *"decoder postfix recognised a message"* ]]; then
	echo "FAIL BNC_DECODE_CHECK=all: postfix's fixture did not abort"
	failed=$((failed + 1))
fi
if ((failed)); then
	echo "$failed failed"
	exit 1
fi
echo "ok: ${#inputs[@]} inputs decoded as their decoders' conditions say"
