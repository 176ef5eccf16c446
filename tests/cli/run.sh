#!/usr/bin/env bash
# CLI tests for `bouncer`: exit codes and messages, inputs (files, a
# missing file, folders, mbox, stdin, CRLF and bare-CR copies), --class,
# and the jsonl, csv and table formats.
#
#   tests/cli/run.sh BOUNCER
#
# Runs from the repository root on the synthetic examples/ (copies and
# variants are made in a temporary folder). Prints one line per failed
# check and a count; exits 1 when any check failed.
set -u

if (($# != 1)); then
	echo "usage: $0 BOUNCER" >&2
	exit 2
fi
B=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root" || exit 2
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export LC_ALL=C

checks=0
failures=0
pass() { checks=$((checks + 1)); }
fail() {
	checks=$((checks + 1))
	failures=$((failures + 1))
	echo "FAIL case \"$1\": got $2, want $3"
}

# run CMD...: run with stdout in $T/out, stderr in $T/err, status in $rc.
run() {
	"$@" >"$T/out" 2>"$T/err"
	rc=$?
}
# run_in FILE CMD...: the same with FILE on stdin.
run_in() {
	local in=$1
	shift
	"$@" <"$in" >"$T/out" 2>"$T/err"
	rc=$?
}
expect_rc() { # NAME WANT
	if ((rc == $2)); then pass; else fail "$1" "exit status $rc" "$2"; fi
}
expect_out() { # NAME REGEX: stdout matches
	if grep -Eq -- "$2" "$T/out"; then pass; else
		fail "$1" "stdout $(head -c 200 "$T/out" | tr '\n' ' ')" "/$2/"
	fi
}
expect_err() { # NAME REGEX: stderr matches
	if grep -Eq -- "$2" "$T/err"; then pass; else
		fail "$1" "stderr '$(head -c 200 "$T/err" | tr '\n' ' ')'" "/$2/"
	fi
}
expect_no_out() { # NAME
	if [[ ! -s $T/out ]]; then pass; else
		fail "$1" "stdout $(head -c 200 "$T/out" | tr '\n' ' ')" "nothing"
	fi
}
expect_lines() { # NAME FILE N
	local n
	n=$(wc -l <"$2")
	if ((n == $3)); then pass; else fail "$1" "$n lines in $(basename "$2")" "$3"; fi
}
# py NAME SCRIPT [ARGS...]: a python3 check; it prints the failure as
# "got X, want Y" and exits 1, or exits 0.
py() {
	local name=$1 script=$2 msg
	shift 2
	if msg=$(python3 -c "$script" "$@" 2>&1); then pass; else
		checks=$((checks + 1))
		failures=$((failures + 1))
		echo "FAIL case \"$name\": ${msg:-python check failed}"
	fi
}

EX=examples
UNK=$EX/postfix-userunknown.eml
FULL=$EX/exim-mailboxfull.eml
VAC=$EX/autoreply-vacation.eml

# ---- help, version, usage errors -------------------------------------
run "$B" --help
expect_rc "--help" 0
expect_out "--help" '^usage: bouncer'
run "$B" --version
expect_rc "--version" 0
expect_out "--version" '^bouncer [0-9]+\.[0-9]+'
run "$B" parse --help
expect_rc "parse --help" 0
expect_out "parse --help" '^usage: bouncer parse'
run "$B" explain --help
expect_rc "explain --help" 0
expect_out "explain --help" '^usage: bouncer explain'
run "$B" help parse
expect_rc "help parse" 0
expect_out "help parse" '^usage: bouncer parse'

run "$B"
expect_rc "no command" 2
expect_err "no command" 'usage'
run "$B" frobnicate
expect_rc "unknown command" 2
expect_err "unknown command" "unknown command 'frobnicate'"
expect_no_out "unknown command"
run "$B" parse --frobnicate "$UNK"
expect_rc "parse: unknown option" 2
expect_err "parse: unknown option" 'frobnicate'
expect_no_out "parse: unknown option"
run "$B" explain --frobnicate "550 5.1.1 user unknown"
expect_rc "explain: unknown option" 2
expect_err "explain: unknown option" 'frobnicate'
# Every command names itself in a refused option's message, exits 2 and
# writes nothing on stdout (the store commands before opening a store).
for cmd in parse explain ingest check history "retry due" "suppressions list" \
    "suppressions add" "suppressions remove" "suppressions export" \
    "suppressions import"; do
	# shellcheck disable=SC2086 # $cmd is the command and its subcommand
	run "$B" $cmd --bogus x
	expect_rc "$cmd --bogus" 2
	expect_no_out "$cmd --bogus"
	if [[ $(cat "$T/err") == "bouncer $cmd: unknown option '--bogus' (see bouncer $cmd --help)" ]]; then
		pass
	else
		fail "$cmd --bogus" "stderr '$(head -c 200 "$T/err")'" "bouncer $cmd: unknown option '--bogus' ..."
	fi
done
run "$B" check -x a@example.org
expect_rc "check -x" 2
expect_err "check -x" "^bouncer check: unknown option '-x' "
run "$B" ingest -qz "$UNK"
expect_rc "ingest -qz" 2
expect_err "ingest -qz: the letter in a cluster" "^bouncer ingest: unknown option '-z' "
run "$B" check --db
expect_rc "check --db without a value" 2
expect_err "check --db without a value" "^bouncer check: missing argument for option '--db' "
run "$B" parse -f
expect_rc "parse -f without a value" 2
expect_err "parse -f without a value" "^bouncer parse: missing argument for option '-f' "
run "$B" ingest --quiet=yes "$UNK"
expect_rc "ingest --quiet=yes" 2
expect_err "ingest --quiet=yes" "^bouncer ingest: option '--quiet' takes no argument "
run "$B" parse --format xml "$UNK"
expect_rc "bad --format" 2
expect_err "bad --format" "format 'xml'"
expect_no_out "bad --format"
run "$B" parse --class hard,bogus "$UNK"
expect_rc "bad --class" 2
expect_err "bad --class" "bogus"
expect_no_out "bad --class"
run "$B" parse --class "" "$UNK"
expect_rc "empty --class" 2
expect_err "empty --class" "class"
run "$B" parse --profile nosuch "$UNK"
expect_rc "bad --profile" 2
expect_err "bad --profile" "nosuch"
run "$B" parse
expect_rc "parse without input" 2
expect_err "parse without input" 'no input'
run "$B" explain
expect_rc "explain without reply" 2
expect_err "explain without reply" 'reply'
run "$B" explain --format xml "550 5.1.1 x"
expect_rc "explain bad --format" 2

# ---- explain -----------------------------------------------------------
run "$B" explain "550 5.1.1 <a@example.com>: Recipient address rejected: User unknown"
expect_rc "explain text" 0
expect_out "explain text" '^class: +hard$'
expect_out "explain text" '^reason: +userunknown$'
expect_out "explain text" '^rule: +hard-address$'
expect_out "explain text" '^recipient: +a@example.com$'
# explain - answers each line as it comes (a log followed live): the
# first verdict arrives while its input is still open.
coproc EXP { "$B" explain --format jsonl - 2>/dev/null; }
exp_pid=$EXP_PID
echo '550 5.1.1 <a@example.com>: User unknown' >&"${EXP[1]}"
line=
read -r -t 60 line <&"${EXP[0]}"
if [[ $line == *'"recipient":"a@example.com"'*'"class":"hard"'* ]]; then pass; else
	fail "explain - answers each line as it comes" "'$line'" "a@example.com's verdict"
fi
exec {EXP[1]}>&-
wait "$exp_pid"
rc=$?
expect_rc "explain - as a co-process" 0
# A text that says nothing to act on still gets its verdict, and exit 1.
run "$B" explain "hello world"
expect_rc "explain of no reply" 1
expect_out "explain of no reply" '^class: +unknown$'
run "$B" explain --remote-mta mta7.am0.yahoodns.net \
    "421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred"
expect_rc "explain yahoo" 0
expect_out "explain yahoo" '^class: +gray$'
expect_out "explain yahoo" '^action: +throttle$'
expect_out "explain yahoo" '^provider: +yahoo$'
run "$B" explain --format jsonl "452 4.2.2 <b@example.org>: over quota"
expect_rc "explain jsonl" 0
py "explain jsonl" '
import json, sys
lines = open(sys.argv[1]).read().splitlines()
if len(lines) != 1: sys.exit(f"got {len(lines)} lines, want 1")
d = json.loads(lines[0])
want = {"recipient": "b@example.org", "status": "4.2.2", "reply_code": "452",
        "mta": "smtp", "source": "-", "message": 1}
for k, v in want.items():
    if d.get(k) != v: sys.exit(f"got {k}={d.get(k)!r}, want {v!r}")
' "$T/out"

# explain: an empty reply is a usage error; - reads one reply a line.
run "$B" explain ""
expect_rc "explain ''" 2
expect_err "explain ''" '^bouncer explain: the reply is empty$'
expect_no_out "explain ''"
run "$B" explain "  "
expect_rc "explain of blanks" 2
printf '550 5.1.1 <a@example.com>: User unknown\r\n\n  \n452 4.2.2 <b@example.org>: over quota' >"$T/replies.txt"
run_in "$T/replies.txt" "$B" explain -
expect_rc "explain - (text)" 0
py "explain - (text): one block a reply, in order" '
import sys
blocks = open(sys.argv[1]).read().split("\n\n")
got = []
for b in blocks:
    d = dict(l.split(":", 1) for l in b.strip("\n").split("\n"))
    got.append((d["reply"].strip(), d["class"].strip(), d["recipient"].strip()))
want = [("550 5.1.1 <a@example.com>: User unknown", "hard", "a@example.com"),
        ("452 4.2.2 <b@example.org>: over quota", "soft", "b@example.org")]
if got != want: sys.exit(f"got {got}, want {want}")
' "$T/out"
run_in "$T/replies.txt" "$B" explain --format jsonl -
expect_rc "explain - (jsonl)" 0
py "explain - (jsonl): message is the line number" '
import json, sys
got = [(d["message"], d["recipient"], d["class"], d["diagnostic"])
       for d in map(json.loads, open(sys.argv[1]))]
want = [(1, "a@example.com", "hard", "550 5.1.1 <a@example.com>: User unknown"),
        (4, "b@example.org", "soft", "452 4.2.2 <b@example.org>: over quota")]
if got != want: sys.exit(f"got {got}, want {want}")
' "$T/out"
: >"$T/none.txt"
run_in "$T/none.txt" "$B" explain -
expect_rc "explain - of nothing" 0
expect_no_out "explain - of nothing"
printf 'a\0b\n550 5.1.1 <c@example.net>: no such user\n' >"$T/nul.txt"
run_in "$T/nul.txt" "$B" explain --format jsonl -
expect_rc "explain - with a NUL line" 1
expect_err "explain - with a NUL line" '^bouncer explain: line 1: a NUL byte'
expect_out "explain - with a NUL line: the next line still read" '"message":2,"recipient":"c@example.net"'

# --format json is another name for jsonl, in explain and parse.
"$B" explain --format jsonl "452 4.2.2 <b@example.org>: over quota" >"$T/jsonl.out"
run "$B" explain --format json "452 4.2.2 <b@example.org>: over quota"
expect_rc "explain --format json" 0
if [[ -s $T/out ]] && cmp -s "$T/out" "$T/jsonl.out"; then pass; else
	fail "explain --format json" "$(head -c 200 "$T/out")" "the jsonl output"
fi
"$B" parse --format jsonl "$EX" >"$T/jsonl.out" 2>/dev/null
run "$B" parse --format json "$EX"
expect_rc "parse --format json" 0
if [[ -s $T/out ]] && cmp -s "$T/out" "$T/jsonl.out"; then pass; else
	fail "parse --format json" "$(head -c 200 "$T/out")" "the jsonl output"
fi

# ---- one file, formats --------------------------------------------------
# The 23 keys DESIGN.md section 3 lists, in its order.
KEYS='source message recipient sender status reply_code diagnostic diagnostic_type dsn_action remote_mta reporting_mta smtp_command message_id campaign list_id feedback_type timestamp mta provider reason class action rule'
JSONCHECK='
import json, re, sys
keys = sys.argv[2].split()
want_n = int(sys.argv[3])
classes = {"hard", "soft", "gray", "complaint", "auto_reply", "delivered", "unknown"}
actions = {"suppress", "retry", "throttle", "review", "none"}
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
if lines[-1] != "": sys.exit("got no newline at the end, want one")
lines = lines[:-1]
if want_n >= 0 and len(lines) != want_n:
    sys.exit(f"got {len(lines)} records, want {want_n}")
for i, line in enumerate(lines, 1):
    try:
        d = json.loads(line)
    except ValueError as e:
        sys.exit(f"got invalid JSON on line {i} ({e}), want JSON")
    if list(d) != keys:
        sys.exit(f"got keys {sorted(set(d) ^ set(keys))} differing on line {i}, want exactly DESIGN.md 3")
    if type(d["message"]) is not int or d["message"] < 1:
        m = d["message"]
        sys.exit(f"got message {m!r} on line {i}, want an integer >= 1")
    for k in keys:
        if k != "message" and not isinstance(d[k], str):
            sys.exit(f"got {k} of type {type(d[k]).__name__} on line {i}, want str")
    c, a, r = d["class"], d["action"], d["recipient"]
    if c not in classes: sys.exit(f"got class {c!r}, want one of {sorted(classes)}")
    if a not in actions: sys.exit(f"got action {a!r}, want one of {sorted(actions)}")
    ts = d["timestamp"]
    if ts and not re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", ts):
        sys.exit(f"got timestamp {ts!r} on line {i}, want ISO 8601 UTC or empty")
    if d["recipient"] and "@" in d["recipient"]:
        dom = d["recipient"].rsplit("@", 1)[1]
        if dom != dom.lower(): sys.exit(f"got recipient {r!r}, want a lower-case domain")
    if not d["rule"]: sys.exit(f"got an empty rule on line {i}, want a rule")
'
run "$B" parse "$UNK"
expect_rc "jsonl default" 0
py "jsonl default" "$JSONCHECK" "$T/out" "$KEYS" 1
run "$B" parse --format jsonl "$EX"
expect_rc "jsonl examples" 0
nex=$(ls "$EX"/*.eml | wc -l)
py "jsonl examples: valid, all keys" "$JSONCHECK" "$T/out" "$KEYS" "$nex"
cp "$T/out" "$T/all.jsonl"

run "$B" parse --format csv "$EX"
expect_rc "csv" 0
py "csv: header row, one row per record" '
import csv, json, sys
rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))
recs = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8")]
head = rows[0]
for k in ("source", "message", "recipient", "status", "reply_code", "reason", "class", "action", "rule"):
    if k not in head: sys.exit(f"got header {head}, want a {k} column")
if len(rows) - 1 != len(recs): sys.exit(f"got {len(rows) - 1} data rows, want {len(recs)}")
for row, rec in zip(rows[1:], recs):
    if len(row) != len(head): sys.exit(f"got {len(row)} cells, want {len(head)}")
    got = dict(zip(head, row))
    for k in ("source", "recipient", "status", "reason", "class", "diagnostic"):
        if k in got and got[k] != rec[k]: sys.exit(f"got {k}={got[k]!r}, want {rec[k]!r} (as in jsonl)")
    gm, rm = got["message"], rec["message"]
    if gm != str(rm): sys.exit(f"got message {gm!r}, want {rm}")
' "$T/out" "$T/all.jsonl"
if head -n 1 "$T/out" | grep -q '^source,message,recipient,'; then pass; else
	fail "csv header" "$(head -n 1 "$T/out")" "source,message,recipient,..."
fi

run "$B" parse --format table "$EX"
expect_rc "table" 0
expect_out "table" '^SOURCE +# +RECIPIENT +CLASS +REASON'
expect_lines "table: header and one row per record" "$T/out" $((nex + 1))
expect_out "table" 'postfix-userunknown\.eml +1 +jane\.doe@example\.net +hard'

# ---- --class filters ------------------------------------------------------
for cls in hard soft,gray auto_reply,complaint delivered; do
	run "$B" parse --class "$cls" "$EX"
	expect_rc "--class $cls" 0
	py "--class $cls" '
import json, sys
want = set(sys.argv[3].split(","))
got = [json.loads(l) for l in open(sys.argv[1])]
exp = [d for d in map(json.loads, open(sys.argv[2])) if d["class"] in want]
seen = sorted({d["class"] for d in got})
if set(seen) - want:
    sys.exit(f"got classes {seen}, want only {sorted(want)}")
if got != exp: sys.exit(f"got {len(got)} records, want the {len(exp)} of those classes from the unfiltered run")
' "$T/out" "$T/all.jsonl" "$cls"
done
py "--class hard matches something" '
import json, sys
n = sum(1 for l in open(sys.argv[1]) if json.loads(l)["class"] == "hard")
if n < 3: sys.exit(f"got {n} hard records in examples/, want at least 3")
' "$T/all.jsonl"

# ---- a missing input ----------------------------------------------------------
run "$B" parse "$UNK" "$T/no-such-file.eml" "$FULL"
expect_rc "missing input: exit 1" 1
expect_lines "missing input: one line on stderr" "$T/err" 1
expect_err "missing input: names the file" 'no-such-file\.eml'
py "missing input: the others are read" '
import json, sys
src = [json.loads(l)["source"] for l in open(sys.argv[1])]
want = [sys.argv[2], sys.argv[3]]
if src != want: sys.exit(f"got sources {src}, want {want}")
' "$T/out" "$UNK" "$FULL"
run "$B" parse "$T/no-such-file.eml"
expect_rc "only a missing input" 1
expect_no_out "only a missing input"

# ---- empty file ----------------------------------------------------------------
: >"$T/empty.eml"
run "$B" parse "$T/empty.eml"
expect_rc "empty file" 0
expect_no_out "empty file"

# ---- folders: recursive, byte-wise sorted, dot files skipped ---------------
mkdir -p "$T/tree/b" "$T/tree/d/e" "$T/tree/.hidden"
cp "$UNK" "$T/tree/a.eml"
cp "$FULL" "$T/tree/Z.eml"		# "Z" sorts before "a" byte-wise
cp "$VAC" "$T/tree/b/c.eml"
cp "$EX/gmail-nosuchuser.eml" "$T/tree/d/e/f"
cp "$UNK" "$T/tree/.dotfile.eml"
cp "$UNK" "$T/tree/.hidden/x.eml"
for arg in "$T/tree" "$T/tree/"; do
	run "$B" parse "$arg"
	expect_rc "folder $arg" 0
	py "folder $arg: recursive, sorted, no dot files" '
import json, sys
src = [json.loads(l)["source"] for l in open(sys.argv[1])]
t = sys.argv[2]
want = [t + "/Z.eml", t + "/a.eml", t + "/b/c.eml", t + "/d/e/f"]
if src != want: sys.exit(f"got sources {src}, want {want}")
' "$T/out" "$T/tree"
done

# ---- mbox --------------------------------------------------------------------------
mbox_of() { # OUT FILE...: an mbox of the files, "From " lines between
	local out=$1 f
	shift
	: >"$out"
	for f in "$@"; do
		printf 'From MAILER-DAEMON Tue May 14 09:12:47 2024\n' >>"$out"
		cat "$f" >>"$out"
		printf '\n' >>"$out"
	done
}
mbox_of "$T/box.eml" "$UNK" "$FULL" "$EX/yahoo-deferred.eml"
MBOXCHECK='
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
got = [(r["source"], r["message"], r["recipient"]) for r in recs]
want = [(sys.argv[2], 1, "jane.doe@example.net"), (sys.argv[2], 2, "sam.roe@example.org"),
        (sys.argv[2], 3, "kim.nobody@example.net")]
if got != want: sys.exit(f"got {got}, want {want}")
'
run "$B" parse "$T/box.eml"
expect_rc "mbox named .eml" 0
py "mbox named .eml: one record set per message" "$MBOXCHECK" "$T/out" "$T/box.eml"
# The records of each message equal those of the message alone.
for n in postfix-userunknown exim-mailboxfull yahoo-deferred; do
	"$B" parse "$EX/$n.eml" >>"$T/single.jsonl"
done
py "mbox: same records as the single files" '
import json, sys
def strip(d):
    d = dict(d); d.pop("source"); d.pop("message"); return d
a = [strip(json.loads(l)) for l in open(sys.argv[1])]
b = [strip(json.loads(l)) for l in open(sys.argv[2])]
for x, y in zip(a, b):
    for k in x:
        if x[k] != y[k]: sys.exit(f"got {k}={x[k]!r} in the mbox, want {y[k]!r}")
if len(a) != len(b): sys.exit(f"got {len(a)} records, want {len(b)}")
' "$T/out" "$T/single.jsonl"

# ---- -j N: the same bytes as -j 1 ----------------------------------------------------
# An mbox of 60 rounds of the examples, with a message longer than the
# reader's window (256 KiB: it straddles windows and is copied, the rest
# are views of the windows), ">From " lines to unquote, and a CRLF copy;
# read as files, with the examples' folder, and from a pipe.
for i in $(seq 60); do
	for f in "$EX"/*.eml; do
		printf 'From MAILER-DAEMON Tue May 14 09:12:47 2024\n'
		cat "$f"
		if ((i % 20 == 7)); then
			printf '\n>From the original, quoted\n'
			head -c 300000 /dev/zero | tr '\0' 'x' | fold -w 76
		fi
		printf '\n'
	done
done >"$T/jobs.mbox"
sed 's/$/\r/' "$T/jobs.mbox" >"$T/jobs-crlf.mbox"
"$B" parse "$T/jobs.mbox" "$EX" "$T/jobs-crlf.mbox" >"$T/j1.out" 2>"$T/j1.err"
j1rc=$?
for j in 2 3 8; do
	"$B" parse -j "$j" "$T/jobs.mbox" "$EX" "$T/jobs-crlf.mbox" >"$T/jn.out" 2>"$T/jn.err"
	rc=$?
	expect_rc "-j $j" "$j1rc"
	if cmp -s "$T/j1.out" "$T/jn.out"; then pass; else
		fail "-j $j: records" "$(wc -l <"$T/jn.out") lines, not those of -j 1" \
		    "the $(wc -l <"$T/j1.out") lines of -j 1"
	fi
	if cmp -s "$T/j1.err" "$T/jn.err"; then pass; else
		fail "-j $j: stderr" "'$(head -c 200 "$T/jn.err")'" "'$(head -c 200 "$T/j1.err")'"
	fi
done
n_ex=$(ls "$EX"/*.eml | wc -l)
py "-j 1: every message of the mbox has its records" '
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
msgs = {r["message"] for r in recs if r["source"] == sys.argv[2]}
want = 60 * int(sys.argv[3])
if len(msgs) < want - 60 or max(msgs) != want:
    sys.exit(f"got {len(msgs)} messages with records, last {max(msgs)}, want {want}")
' "$T/j1.out" "$T/jobs.mbox" "$n_ex"
"$B" parse -j 3 - <"$T/jobs.mbox" >"$T/jn.out" 2>"$T/jn.err"
rc=$?
expect_rc "-j 3 from standard input" 0
"$B" parse - <"$T/jobs.mbox" >"$T/j1.out" 2>"$T/j1.err"
if cmp -s "$T/j1.out" "$T/jn.out"; then pass; else
	fail "-j 3 from standard input" "other records" "the records of -j 1"
fi

# A folder of many small files: a batch holds messages of many sources.
mkdir -p "$T/many"
for i in $(seq 40); do
	for f in "$EX"/*.eml; do
		cp "$f" "$T/many/$i-$(basename "$f")"
	done
done
"$B" parse "$T/many" >"$T/j1.out" 2>"$T/j1.err"
"$B" parse -j 2 "$T/many" >"$T/jn.out" 2>"$T/jn.err"
rc=$?
expect_rc "-j 2 on a folder of many files" 0
if cmp -s "$T/j1.out" "$T/jn.out" && [[ $(wc -l <"$T/j1.out") -ge 400 ]]; then pass; else
	fail "-j 2 on a folder of many files" "$(wc -l <"$T/jn.out") lines unlike -j 1's" \
	    "the $(wc -l <"$T/j1.out") lines (400 or more) of -j 1"
fi

# ---- standard input ------------------------------------------------------------------
run_in "$UNK" "$B" parse -
expect_rc "stdin message" 0
py "stdin message" '
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
got = [(r["source"], r["message"], r["recipient"], r["class"]) for r in recs]
want = [("-", 1, "jane.doe@example.net", "hard")]
if got != want: sys.exit(f"got {got}, want {want}")
' "$T/out"
run_in "$T/box.eml" "$B" parse -
expect_rc "stdin mbox" 0
py "stdin mbox" "$MBOXCHECK" "$T/out" "-"
cat "$T/box.eml" | "$B" parse - >"$T/out" 2>"$T/err"
rc=$?
expect_rc "stdin mbox from a pipe" 0
py "stdin mbox from a pipe" "$MBOXCHECK" "$T/out" "-"
run_in "$UNK" "$B" parse "$FULL" -
expect_rc "stdin with a file" 0
py "stdin with a file: order kept" '
import json, sys
src = [json.loads(l)["source"] for l in open(sys.argv[1])]
want = [sys.argv[2], "-"]
if src != want: sys.exit(f"got {src}, want {want}")
' "$T/out" "$FULL"

# ---- CRLF and bare-CR copies give the LF records -------------------------------------
mkdir -p "$T/lf" "$T/crlf" "$T/cr"
for f in "$EX"/*.eml; do
	n=$(basename "$f")
	cp "$f" "$T/lf/$n"
	sed 's/$/\r/' "$f" >"$T/crlf/$n"
	perl -pe 's/\n/\r/' "$f" >"$T/cr/$n"
done
cp "$T/box.eml" "$T/lf/zz-box.eml"
sed 's/$/\r/' "$T/box.eml" >"$T/crlf/zz-box.eml"
perl -pe 's/\n/\r/' "$T/box.eml" >"$T/cr/zz-box.eml"
if grep -q $'\r' "$T/cr/$(basename "$UNK")" &&
    [[ $(tr -cd '\n' <"$T/cr/$(basename "$UNK")" | wc -c) -eq 0 ]]; then
	pass
else
	fail "bare-CR copy" "LF bytes in it" "only CR line ends"
fi
"$B" parse "$T/lf" >"$T/lf.jsonl" 2>"$T/err"
for v in crlf cr; do
	run "$B" parse "$T/$v"
	expect_rc "$v copies" 0
	py "$v copies: same records as LF" '
import json, sys
def load(p, d):
    out = []
    for l in open(p):
        r = json.loads(l)
        r["source"] = r["source"].replace(d, "<dir>")
        out.append(r)
    return out
a = load(sys.argv[1], sys.argv[3])
b = load(sys.argv[2], sys.argv[4])
if len(a) != len(b): sys.exit(f"got {len(a)} records, want {len(b)}")
for x, y in zip(a, b):
    for k in y:
        src = x["source"]
        if x[k] != y[k]: sys.exit(f"got {src} {k}={x[k]!r}, want {y[k]!r}")
' "$T/out" "$T/lf.jsonl" "$T/$v" "$T/lf"
done
py "LF folder has every example and the mbox" '
import json, sys
n = sum(1 for _ in open(sys.argv[1]))
want = int(sys.argv[2]) + 3
if n != want: sys.exit(f"got {n} records, want {want}")
' "$T/lf.jsonl" "$nex"

# Folders: links back up are not followed, FIFOs are not opened.
mkdir -p "$T/loop/d"
cp examples/postfix-userunknown.eml "$T/loop/d/"
ln -s . "$T/loop/d/self"
ln -s .. "$T/loop/d/up"
mkfifo "$T/loop/d/fifo"
run timeout 20 "$B" parse "$T/loop"
expect_rc "folder with link loops and a fifo" 0
expect_lines "folder with link loops: one record" "$T/out" 1

# A limit that cut the message is said on stderr.
python3 - "$T/deep.eml" <<'PY'
import sys
n = 40
s = 'From: MAILER-DAEMON@example.com\nSubject: Undelivered\n'
s += 'Content-Type: multipart/mixed; boundary="b0"\n\n'
for i in range(n):
    s += '--b%d\nContent-Type: multipart/mixed; boundary="b%d"\n\n' % (i, i + 1)
s += '--b%d\nContent-Type: text/plain\n\n<x@example.org>: 550 5.1.1 no\n' % n
open(sys.argv[1], 'w').write(s)
PY
run "$B" parse "$T/deep.eml"
expect_rc "mime depth limit" 0
expect_err "mime depth limit" "^bouncer: $T/deep.eml: message 1: input limit hit \\(mime_depth: deeper parts were not read\\)$"
# A cut field is said as such: the rest of the message was read.
python3 - "$T/longdiag.eml" <<'PY'
import sys
s = 'From: MAILER-DAEMON@example.com\nSubject: Undelivered\n\n'
s += '<x@example.org>: 550 5.1.1 user unknown ' + 'a' * 20000 + '\n'
open(sys.argv[1], 'w').write(s)
PY
run "$B" parse "$T/longdiag.eml"
expect_rc "field size limit" 0
expect_err "field size limit" "^bouncer: $T/longdiag.eml: message 1: input limit hit \\(field_size: a record field was cut\\)$"
expect_out "field size limit: the record still comes out" '"recipient":"x@example.org".*"reason":"userunknown"'

# Boundaries that share a prefix ("b1", "b10") are told apart.
python3 - "$T/prefix.eml" <<'PY'
import sys
s = 'From: MAILER-DAEMON@example.com\nSubject: Undelivered\n'
s += 'Content-Type: multipart/mixed; boundary="b1"\n\n--b1\n'
s += 'Content-Type: multipart/mixed; boundary="b10"\n\n--b10\n'
s += 'Content-Type: text/plain\n\n<y@example.org>: 550 5.1.1 no such user\n'
s += '--b10--\n--b1--\n'
open(sys.argv[1], 'w').write(s)
PY
run "$B" parse --format csv "$T/prefix.eml"
expect_rc "boundary prefixes" 0
expect_out "boundary prefixes" '^[^,]*,1,y@example.org,'

# No records: the CSV header still comes out.
: >"$T/empty.eml"
run "$B" parse --format csv "$T/empty.eml"
expect_rc "empty input csv" 0
expect_out "empty input csv header" '^source,message,recipient,'

# Write errors are reported by explain too.
if [[ -w /dev/full ]]; then
	"$B" explain "550 5.1.1 user unknown" >/dev/full 2>"$T/err"
	rc=$?
	expect_rc "explain to a full disk" 1
	expect_err "explain to a full disk" 'error writing'
fi

# --format sisimai: the reference decoder's field names; the token is the
# one Sisimai itself computes for this sender, recipient and time.
run "$B" parse --format sisimai examples/gmail-nosuchuser.eml
expect_rc "sisimai format" 0
py "sisimai format fields" '
import json, sys
r = json.loads(open(sys.argv[1]).readline())
want = {"addresser": "support@example.com", "recipient": "chris.nobody@example.net",
        "deliverystatus": "5.1.1", "replycode": "550", "reason": "userunknown",
        "hardbounce": 1, "softbounce": 0, "destination": "example.net",
        "senderdomain": "example.com", "timestamp": 1715772774,
        "rhost": "gmail-smtp-in.l.google.com",
        "token": "cb452e1cddf5addfa3d8bdfd5f56c2a2bde59c6d"}
for k, v in want.items():
    if r.get(k) != v: sys.exit(f"got {k}={r.get(k)!r}, want {v!r}")
' "$T/out"
# A format decoder's name as Sisimai spells it.
run "$B" parse --format sisimai examples/postfix-userunknown.eml
expect_rc "sisimai smtpagent" 0
py "sisimai smtpagent" '
import json, sys
r = json.loads(open(sys.argv[1]).readline())
if r.get("smtpagent") != "Postfix": sys.exit("got smtpagent=" + repr(r.get("smtpagent")))
' "$T/out"

# Every decoder's records name it as Sisimai spells its decoders: the
# decoder fixtures in jsonl and in sisimai format, record by record.
run "$B" parse --format jsonl tests/decoders
cp "$T/out" "$T/dec.jsonl"
run "$B" parse --format sisimai tests/decoders
expect_rc "sisimai smtpagent for every decoder" 0
py "sisimai smtpagent for every decoder" '
import json, sys
ours = [json.loads(l)["mta"] for l in open(sys.argv[1])]
theirs = [json.loads(l)["smtpagent"] for l in open(sys.argv[2])]
if len(ours) != len(theirs): sys.exit("record counts differ")
seen = {}
for o, t in zip(ours, theirs):
    seen[o] = t
# qmail is the one decoder Sisimai spells in lower case.
bad = sorted(o for o, t in seen.items() if t == o and o != "qmail")
if bad: sys.exit("no Sisimai name for: " + " ".join(bad))
if len(seen) < 50: sys.exit(f"only {len(seen)} decoders seen in tests/decoders")
' "$T/dec.jsonl" "$T/out"

echo "cli: $checks checks, $failures failed"
((failures == 0))
