#!/usr/bin/env bash
# README test: what README.md shows is what runs, against the library and
# the CLI of a build tree, so that the README cannot drift.
#
#   tests/readme/run.sh BUILD_DIR CC [FLAG...]
#
# The C example ("## C library"): the first ```c block of the section is
# written to ex.c in a temporary folder where include/, build/ and
# examples/ link to the repository's include/, BUILD_DIR and examples/.
# Each "$ " line of the next block is run there verbatim by bash, with
# `cc` standing for "CC FLAG..." (the sanitizer tree passes its compiler
# and -fsanitize flags), and its output must be the lines under it. So
# are the "$ build/bouncer" lines of the README's other plain blocks (the
# table of examples/, explain), except those that read ../shared.
#
# The store commands ("## Suppression list and bounce policy"): each line
# of the section's first ```sh block is run verbatim in another
# temporary folder (build/ and examples/ linked): each must exit 0 (a
# `check` also 1: not sendable) and write nothing on stderr, and the
# import must have suppressed the address of its CSV.
set -u

if (($# < 2)); then
	echo "usage: $0 BUILD_DIR CC [FLAG...]" >&2
	exit 2
fi
build=$(cd "$1" && pwd)
shift
root=$(cd "$(dirname "$0")/../.." && pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export LC_ALL=C

# ex.c, and the commands with their expected output as "$ CMD" and
# "> LINE" lines in steps.txt.
if ! python3 - "$root/README.md" "$T" <<'PY'; then
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
m = re.search(r"^## C library\n(.*?)(?=^## )", text, re.M | re.S)
if not m:
    sys.exit("README.md: no '## C library' section")
sec = m.group(1)
blocks = re.findall(r"^```(\w*)\n(.*?)^```", sec, re.M | re.S)
code = next((i for i, (lang, _) in enumerate(blocks) if lang == "c"), None)
if code is None or code + 1 >= len(blocks):
    sys.exit("README.md: no ```c block followed by a block of commands")
open(sys.argv[2] + "/ex.c", "w").write(blocks[code][1])
steps = []
for line in blocks[code + 1][1].splitlines():
    steps.append(("$ " + line[2:]) if line.startswith("$ ") else "> " + line)
if not steps or not steps[0].startswith("$ "):
    sys.exit("README.md: the block after the example has no '$ ' command")
# The CLI's own examples: every plain block that opens with
# "$ build/bouncer", except those that read ../shared (the corpus score
# moves with the decoders; tests/corpus checks it).
n = 0
for lang, body in re.findall(r"^```(\w*)\n(.*?)^```", text, re.M | re.S):
    if lang or not body.startswith("$ build/bouncer ") or "../shared" in body:
        continue
    n += 1
    for line in body.splitlines():
        steps.append(("$ " + line[2:]) if line.startswith("$ ") else "> " + line)
if n < 2:
    sys.exit(f"README.md: {n} blocks of bouncer commands, want the parse and explain ones")
open(sys.argv[2] + "/steps.txt", "w").write("\n".join(steps) + "\n")
PY
	exit 1
fi

ln -s "$root/include" "$T/include"
ln -s "$build" "$T/build"
ln -s "$root/examples" "$T/examples"
cd "$T" || exit 2

fails=0
ncmd=0
# check CMD WANT_FILE: run CMD, compare stdout with WANT_FILE.
check() {
	local cmd=$1 want=$2
	ncmd=$((ncmd + 1))
	rm -f ex
	if ! bash -c "cc() { command $(printf '%q ' "${CC[@]}") \"\$@\"; }; $cmd" \
	    >got.txt 2>err.txt; then
		echo "FAIL: '$cmd' failed:"
		sed 's/^/  /' err.txt | head -n 20
		fails=$((fails + 1))
	elif ! diff -u "$want" got.txt; then
		echo "FAIL: '$cmd': output differs from README.md"
		fails=$((fails + 1))
	fi
}

CC=("$@")
cmd=""
: >want.txt
while IFS= read -r line; do
	if [[ $line == '$ '* ]]; then
		if [[ -n $cmd ]]; then
			check "$cmd" want.txt
		fi
		cmd=${line#\$ }
		: >want.txt
	else
		printf '%s\n' "${line#> }" >>want.txt
	fi
done <steps.txt
check "$cmd" want.txt

# ---- the store commands ----------------------------------------------------
S=$T/store
mkdir "$S"
if ! python3 - "$root/README.md" "$S/cmds.txt" <<'PY'; then
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
m = re.search(r"^## Suppression list and bounce policy\n(.*?)(?=^## )", text,
              re.M | re.S)
if not m:
    sys.exit("README.md: no '## Suppression list and bounce policy' section")
b = re.search(r"^```sh\n(.*?)^```", m.group(1), re.M | re.S)
if not b:
    sys.exit("README.md: no ```sh block in the store section")
open(sys.argv[2], "w").write(b.group(1))
PY
	exit 1
fi
ln -s "$build" "$S/build"
ln -s "$root/examples" "$S/examples"
cd "$S" || exit 2
unset BOUNCER_DB BOUNCER_CONFIG
while IFS= read -r cmd; do
	[[ -z $cmd ]] && continue
	ncmd=$((ncmd + 1))
	bash -c "$cmd" >out.txt 2>err.txt
	rc=$?
	if ((rc != 0)) && ! { ((rc == 1)) && [[ $cmd == "build/bouncer check "* ]]; }; then
		echo "FAIL: '$cmd': exit status $rc"
		sed 's/^/  /' err.txt | head -n 5
		fails=$((fails + 1))
	elif [[ -s err.txt ]]; then
		echo "FAIL: '$cmd': stderr: $(head -c 300 err.txt)"
		fails=$((fails + 1))
	fi
done <cmds.txt
if grep -q '^old\.customer@example\.com,' <("$build/bouncer" suppressions list \
    --db bouncer.db 2>&1); then :; else
	echo "FAIL: the README's import did not suppress old.customer@example.com"
	fails=$((fails + 1))
fi

echo "readme: $ncmd commands, $fails failed"
((fails == 0))
