#!/usr/bin/env bash
# Golden test: run `bouncer parse --format jsonl` on examples/NAME.eml and
# diff the output with tests/golden/NAME.jsonl.
#
#   tests/golden/run.sh BOUNCER [NAME...]          check (all examples when
#                                                  no NAME is given)
#   tests/golden/run.sh --update BOUNCER [NAME...] rewrite the golden files
#
# The CLI runs from the repository root so that `source` reads
# "examples/NAME.eml" whatever the build directory is. A golden file must
# be checked by eye against examples/README.md before it is committed.
set -u

update=0
if [[ ${1:-} == --update ]]; then
	update=1
	shift
fi
if (($# < 1)); then
	echo "usage: $0 [--update] BOUNCER [NAME...]" >&2
	exit 2
fi
bouncer=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
shift
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root" || exit 2

if (($# == 0)); then
	for f in examples/*.eml; do
		n=$(basename "$f" .eml)
		set -- "$@" "$n"
	done
fi

tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
failed=0
checked=0
for name in "$@"; do
	eml="examples/$name.eml"
	gold="tests/golden/$name.jsonl"
	if [[ ! -f $eml ]]; then
		echo "FAIL $name: $eml not found"
		failed=$((failed + 1))
		continue
	fi
	if ! "$bouncer" parse --format jsonl "$eml" >"$tmp"; then
		echo "FAIL $name: bouncer parse exited with $?"
		failed=$((failed + 1))
		continue
	fi
	if ((update)); then
		cp "$tmp" "$gold"
		echo "wrote $gold"
		continue
	fi
	checked=$((checked + 1))
	if [[ ! -f $gold ]]; then
		echo "FAIL $name: no golden file $gold (create it with --update," \
		    "then check it against examples/README.md)"
		failed=$((failed + 1))
		continue
	fi
	if ! diff -u "$gold" "$tmp"; then
		echo "FAIL $name: output differs from $gold"
		failed=$((failed + 1))
		continue
	fi
	echo "ok $name"
done
((update)) && exit 0
echo "golden: $checked checked, $failed failed"
((failed == 0))
