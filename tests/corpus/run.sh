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
# their LF twins, and that a copy with its domains and names renamed
# scores within half a point. Then parse ../shared/corpus/mailbox (mbox
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

# Decoders key on formats and phrases, not on a sample's text: a copy of
# the corpus with its example domains and the placeholder names in its
# addresses renamed (the expected values renamed alike) must score
# within half a point of the corpus itself. Texts inside base64 or
# another charset are not renamed, so a few expected values can no
# longer match: the half point is for them.
python3 - "$corpus" "$T/renamed" <<'PY' || failed=1
import os, sys
src, dst = sys.argv[1], sys.argv[2]
subs = [(b"example.jp", b"sample.info"), (b"example.com", b"shop-mail.biz"),
        (b"example.net", b"isp-demo.net"), (b"example.org", b"club-test.org"),
        (b"kijitora", b"tanuki77"), (b"shironeko", b"kuroneko9")]
def rename(b):
    for a, c in subs:
        b = b.replace(a, c)
    return b
n = 0
for top, _, files in os.walk(os.path.join(src, "maildir")):
    for f in files:
        p = os.path.join(top, f)
        out = os.path.join(dst, os.path.relpath(p, src))
        os.makedirs(os.path.dirname(out), exist_ok=True)
        with open(p, "rb") as i, open(out, "wb") as o:
            o.write(rename(i.read()))
        n += 1
with open(os.path.join(src, "expected.tsv"), "rb") as i, \
        open(os.path.join(dst, "expected.tsv"), "wb") as o:
    o.write(rename(i.read()))
print(f"renamed: {n} files copied with their domains and names renamed")
PY
"$B" parse --format jsonl "$T/renamed/maildir" >"$T/renamed.jsonl" 2>"$T/err"
if ! python3 "$score" --json --expected "$T/renamed/expected.tsv" "$T/renamed.jsonl" \
	>"$T/renamed.json" 2>"$T/score.err"; then
	echo "FAIL case \"renamed corpus\": the scorer failed"
	cat "$T/score.err"
	failed=1
else
	python3 - "$T/score.json" "$T/renamed.json" <<'PY' || failed=1
import json, sys
def figs(path):
    text = open(path, encoding="utf-8").read()
    return json.JSONDecoder().raw_decode(text.lstrip())[0]
base, ren = figs(sys.argv[1]), figs(sys.argv[2])
bad = 0
for k in ("files", "recipient", "status", "reply", "reason"):
    if ren[k] < base[k] - 0.5:
        print(f'FAIL case "renamed corpus {k}": got {ren[k]:.1f}%, want >= {base[k] - 0.5:.1f}% '
              f'(the corpus itself: {base[k]:.1f}%)')
        bad += 1
if ren.get("not_bounce", 0) != base.get("not_bounce", 0):
    print(f'FAIL case "renamed corpus not-bounce": got {ren.get("not_bounce")}, '
          f'want {base.get("not_bounce")}')
    bad += 1
print("renamed corpus: " + " ".join(f"{k} {ren[k]:.1f}%" for k in
      ("files", "recipient", "status", "reply", "reason")))
sys.exit(1 if bad else 0)
PY
fi

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
