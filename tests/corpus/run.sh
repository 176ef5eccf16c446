#!/usr/bin/env bash
# Corpus test: score `bouncer parse` on the shared bounce corpus.
#
#   tests/corpus/run.sh BOUNCER
#
# The corpus lives next to the repository, in ../shared/corpus (never
# copied into it). When it is absent the test prints "SKIP: ..." and
# exits 77, which CTest reports as skipped (SKIP_RETURN_CODE 77).
#
# Otherwise: parse ../shared/corpus/maildir, print the last line of
# ../shared/tools/score, and fail when a figure is under its floor
# (files 97 %, recipient 92 %, status 88 %, reason 75 %) or any record
# came out of a non-bounce; check that the CRLF and CR copies decode like
# their LF twins. Then parse ../shared/corpus/mailbox (mbox
# files) and check exit status 0 and valid JSON lines.
set -u

if (($# != 1)); then
	echo "usage: $0 BOUNCER" >&2
	exit 2
fi
B=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root" || exit 2
corpus=../shared/corpus
score=../shared/tools/score

if [[ ! -d $corpus ]]; then
	echo "SKIP: ../shared/corpus not found"
	exit 77
fi
if [[ ! -x $score && ! -f $score ]]; then
	echo "FAIL: $corpus is there but $score is not"
	exit 1
fi

T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
failed=0

"$B" parse --format jsonl "$corpus/maildir" >"$T/maildir.jsonl" 2>"$T/err"
rc=$?
if ((rc != 0)); then
	echo "FAIL case \"parse maildir\": got exit status $rc, want 0"
	head -n 20 "$T/err"
	failed=1
fi

python3 "$score" "$T/maildir.jsonl" >"$T/score.txt" 2>&1
tail -n 1 "$T/score.txt"
if ! python3 "$score" --json "$T/maildir.jsonl" >"$T/score.json" 2>"$T/score.err"; then
	echo "FAIL case \"score --json\": the scorer failed"
	cat "$T/score.err"
	exit 1
fi
# score --json prints the figures as one JSON object, then its summary line.
python3 "$score" --mismatches "$T/maildir.jsonl" 2>/dev/null | grep -P "\tnot-bounce\t" >"$T/notbounce.txt"
BNC_DISAGREEMENTS="$root/tests/corpus/disagreements.tsv" \
python3 - "$T/score.json" "$T/notbounce.txt" <<'PY' || failed=1
import json, os, sys
text = open(sys.argv[1], encoding="utf-8").read()
fig, _ = json.JSONDecoder().raw_decode(text.lstrip())
floors = {"files": 97, "recipient": 92, "status": 88, "reason": 75}
bad = 0
for k, floor in floors.items():
    got = fig.get(k)
    if got is None or got < floor:
        print(f'FAIL case "{k}": got {got if got is None else round(got, 1)}%, want >= {floor}%')
        bad += 1
# Non-bounce files that we read as bounces on purpose, each with the
# reason, in tests/corpus/disagreements.tsv: printed, never silent.
agreed = {}
here = os.path.dirname(os.path.abspath(sys.argv[0])) if sys.argv[0] else "."
dis = os.environ.get("BNC_DISAGREEMENTS", "")
if dis and os.path.exists(dis):
    for line in open(dis, encoding="utf-8"):
        if line.strip() and not line.startswith("#"):
            f, why = line.rstrip("\n").split("\t", 1)
            agreed[f] = why
nb = fig.get("not_bounce", 0)
known = [f for f in agreed if f in open(sys.argv[2], encoding="utf-8").read()]
for f in known:
    print(f'NOTE: {f} gives a record although the corpus calls it no bounce: {agreed[f]}')
if nb > len(known):
    print(f'FAIL case "not-bounce": got {nb} records from non-bounces ({len(known)} documented), want {len(known)}')
    bad += 1
if fig.get("bad_json_lines", 0) > 0:
    print(f'FAIL case "maildir json": got {fig["bad_json_lines"]} invalid lines, want 0')
    bad += 1
sys.exit(1 if bad else 0)
PY

# maildir/dos and maildir/mac hold CRLF and bare-CR copies of files in
# maildir/bsd: each must decode exactly like its LF twin.
python3 - "$T/maildir.jsonl" <<'PY' || failed=1
import collections, json, sys
recs = collections.defaultdict(list)
for line in open(sys.argv[1], encoding="utf-8"):
    d = json.loads(line)
    src = d.pop("source")
    recs[src[src.find("maildir/"):]].append(d)
twins = bad = 0
for src in sorted(recs):
    for ending in ("maildir/dos/", "maildir/mac/"):
        if not src.startswith(ending):
            continue
        lf = "maildir/bsd/" + src[len(ending):]
        if lf not in recs:
            continue
        twins += 1
        if recs[src] != recs[lf]:
            print(f'FAIL case "twin {src}": got records unlike those of {lf}')
            bad += 1
print(f"twins: {twins} CRLF/CR files compared with their LF twins, {bad} differ")
sys.exit(1 if bad else 0)
PY

if [[ -d $corpus/mailbox ]]; then
	"$B" parse --format jsonl "$corpus/mailbox" >"$T/mailbox.jsonl" 2>"$T/err"
	rc=$?
	if ((rc != 0)); then
		echo "FAIL case \"parse mailbox\": got exit status $rc, want 0"
		head -n 20 "$T/err"
		failed=1
	fi
	python3 - "$T/mailbox.jsonl" <<'PY' || failed=1
import json, sys
n = 0
msgs = set()
for i, line in enumerate(open(sys.argv[1], encoding="utf-8"), 1):
    try:
        d = json.loads(line)
    except ValueError as e:
        print(f'FAIL case "mailbox json": got invalid JSON on line {i} ({e}), want JSON')
        sys.exit(1)
    msgs.add((d["source"], d["message"]))
    n += 1
if n == 0:
    print('FAIL case "mailbox records": got 0, want some')
    sys.exit(1)
print(f"mailbox: {n} records from {len(msgs)} messages, all valid JSON")
PY
fi

if ((failed)); then
	echo "corpus: FAILED"
	exit 1
fi
echo "corpus: ok"
