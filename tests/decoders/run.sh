#!/usr/bin/env bash
# Decoder fixtures: run `bouncer parse --format jsonl` on each
# tests/decoders/<decoder>/<case>.eml and diff with <case>.jsonl. Every
# decoder in src/mta/ has at least one case here.
#
#   tests/decoders/run.sh BOUNCER            check all cases
#   tests/decoders/run.sh --update BOUNCER   rewrite the .jsonl files
#                                            (read each diff by eye first)
set -u
update=0
if [[ ${1:-} == --update ]]; then
	update=1
	shift
fi
if (($# != 1)); then
	echo "usage: $0 [--update] BOUNCER" >&2
	exit 2
fi
B=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
here=$(cd "$(dirname "$0")" && pwd)
cd "$here" || exit 2
checked=0 failed=0
# Every decoder declared in src/mta/ (its BNC_DECODER line) has cases.
for name in $(sed -n 's/^BNC_DECODER(\([a-z0-9_]*\),.*/\1/p' ../../src/mta/*.c); do
	if ! compgen -G "$name/*.eml" >/dev/null; then
		echo "FAIL decoder $name: no fixture in tests/decoders/$name/"
		failed=$((failed + 1))
	fi
done
for eml in */*.eml; do
	want=${eml%.eml}.jsonl
	got=$("$B" parse --format jsonl "$eml")
	if ((update)); then
		printf '%s\n' "$got" >"$want"
		continue
	fi
	checked=$((checked + 1))
	if ! diff -u "$want" <(printf '%s\n' "$got"); then
		echo "FAIL $eml: output differs from $want"
		failed=$((failed + 1))
	fi
done
echo "decoders: $checked checked, $failed failed"
((failed == 0))
