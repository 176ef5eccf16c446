#!/usr/bin/env bash
# CLI tests of the store commands on one backend:
#
#   tests/store/cli.sh BOUNCER sqlite|postgres
#
# ingest (summary, --campaign, config file and flags, default database),
# check (arguments, stdin, exit codes, case of the domain), history,
# retry due, suppressions list/add/remove/export/import (round trip,
# another tool's CSV with a column mapping, JSON lines, a bad row that
# rolls the whole import back) and the usage and store errors.
source "$(dirname "$0")/lib.sh"
store_init "$@"
cd "$ROOT" || exit 2

run() {
	"$@" >"$T/out" 2>"$T/err"
	rc=$?
}
expect_rc() { # NAME WANT
	if ((rc == $2)); then pass; else fail "$1" "exit status $rc ($(head -c 300 "$T/err" | tr '\n' ' '))" "$2"; fi
}
expect_out() { # NAME FILE-WITH-WANTED-STDOUT
	if cmp -s "$T/out" "$2"; then pass; else
		fail "$1" "stdout $(diff "$2" "$T/out" | head -n 10 | tr '\n' '|')" "$(tr '\n' '|' <"$2")"
	fi
}
expect_grep() { # NAME REGEX [FILE]
	if grep -Eq -- "$2" "${3:-$T/out}"; then pass; else
		fail "$1" "'$(head -c 300 "${3:-$T/out}" | tr '\n' ' ')'" "/$2/"
	fi
}
want() { cat >"$T/want"; }

DB=$(new_db main)

# ---- ingest ----
run "$B" ingest --db "$DB" examples/
expect_rc "ingest examples" 0
want <<'X'
read 11 messages: 10 decoded, 1 not recognised as a bounce
10 records: 10 new events, 0 already stored, 0 without a recipient
new events: hard 5, soft 2, gray 1, complaint 1, auto_reply 1, delivered 0, unknown 0
addresses: 6 suppressed (hard-bounce 5, complaint 1, soft-streak 0), 2 soft, 0 back to ok
retries: 2 scheduled, 0 exhausted
X
expect_out "ingest summary" "$T/want"
if [[ ! -s $T/err ]]; then pass; else fail "no progress bar off a terminal" "stderr $(head -c 200 "$T/err")" "nothing"; fi

run "$B" ingest --db "$DB" examples/
expect_rc "ingest again" 0
expect_grep "ingest again summary" '^10 records: 0 new events, 10 already stored, 0 without a recipient$'
run "$B" ingest --db "$DB" examples/postfix-userunknown.eml
expect_grep "ingest summary of one message" '^read 1 message: 1 decoded, 0 not recognised as a bounce$'
expect_grep "ingest summary of one record" '^1 record: 0 new events, 1 already stored, 0 without a recipient$'

# ---- suppressions list ----
want <<'X'
address,reason,since
alex@no-such-host.example.org,hard-bounce,2024-05-15T06:41:08Z
chris.nobody@example.net,hard-bounce,2024-05-15T11:32:54Z
dana.reader@example.net,complaint,2024-05-14T07:14:55Z
jane.doe@example.net,hard-bounce,2024-05-14T09:12:44Z
lee.former@example.org,hard-bounce,2024-05-15T13:05:21Z
pat.lee@example.org,hard-bounce,2024-05-15T08:20:10Z
X
run "$B" suppressions list --db "$DB"
expect_rc "list" 0
expect_out "list csv" "$T/want"
cp "$T/out" "$T/list1.csv"
run "$B" suppressions list --db "$DB" --format jsonl
expect_grep "list jsonl" '^\{"address":"jane.doe@example.net","reason":"hard-bounce","since":"2024-05-14T09:12:44Z"\}$'
if (($(wc -l <"$T/out") == 6)); then pass; else fail "list jsonl lines" "$(wc -l <"$T/out")" 6; fi
cp "$T/out" "$T/list.jsonl"
run "$B" suppressions list --db "$DB" --format json
expect_out "list --format json is jsonl" "$T/list.jsonl"

# ---- check ----
run "$B" check --db "$DB" lee.former@EXAMPLE.org robin@example.org
expect_rc "check one suppressed" 1
want <<'X'
{"address":"lee.former@example.org","sendable":false,"state":"suppressed","reason":"hard-bounce","since":"2024-05-15T13:05:21Z"}
{"address":"robin@example.org","sendable":true,"state":"ok","reason":"","since":""}
X
expect_out "check output" "$T/want"
run "$B" check --db "$DB" robin@example.org new@example.com Lee.Former@example.org
expect_rc "check all sendable (local part keeps its case)" 0
printf 'sam.roe@example.org\n\n  jane.doe@Example.Net  \r\nnot-an-address\n' >"$T/in"
"$B" check --db "$DB" - <"$T/in" >"$T/out" 2>"$T/err"
rc=$?
expect_rc "check stdin" 1
want <<'X'
{"address":"sam.roe@example.org","sendable":true,"state":"soft","reason":"soft-bounce","since":"2024-05-14T10:03:18Z"}
{"address":"jane.doe@example.net","sendable":false,"state":"suppressed","reason":"hard-bounce","since":"2024-05-14T09:12:44Z"}
{"address":"not-an-address","sendable":false,"state":"invalid","reason":"not an address","since":""}
X
expect_out "check stdin output" "$T/want"
# Many addresses go to the store a thousand at a time: the answers stay
# in the order asked across those slices, repeats and invalid lines
# included (the same four lines 700 times: 2,100 answers).
for ((i = 0; i < 700; i++)); do cat "$T/in"; done >"$T/in700"
for ((i = 0; i < 700; i++)); do cat "$T/want"; done >"$T/want700"
"$B" check --db "$DB" - <"$T/in700" >"$T/out" 2>"$T/err"
rc=$?
expect_rc "check of a long list" 1
expect_out "check of a long list: every answer in order" "$T/want700"
run "$B" check --db "$DB" $(for ((i = 0; i < 1200; i++)); do echo robin@example.org lee.former@EXAMPLE.org; done)
expect_rc "check of many arguments" 1
if (($(grep -c '"address":"lee.former@example.org","sendable":false' "$T/out") == 1200 &&
	$(grep -c '"address":"robin@example.org","sendable":true' "$T/out") == 1200 &&
	$(sed -n 2399p "$T/out" | grep -c robin) == 1)); then pass; else
	fail "check of many arguments" "$(wc -l <"$T/out") lines" "2400 alternating answers"
fi
# A program that asks one address at a time and waits for each answer
# gets it before its input ends (the read times out only on a hang).
coproc CHK { "$B" check --db "$DB" - 2>"$T/err"; }
# Bash unsets CHK_PID once it reaps the co-process, which may come
# before the wait below: keep the pid.
chk_pid=$CHK_PID
echo 'jane.doe@example.net' >&"${CHK[1]}"
line=
read -r -t 60 line <&"${CHK[0]}"
if [[ $line == *'"address":"jane.doe@example.net","sendable":false'* ]]; then pass; else
	fail "check answers each line as it comes" "'$line'" "jane.doe's answer"
fi
echo 'robin@example.org' >&"${CHK[1]}"
line=
read -r -t 60 line <&"${CHK[0]}"
if [[ $line == *'"address":"robin@example.org","sendable":true'* ]]; then pass; else
	fail "check answers the next line too" "'$line'" "robin's answer"
fi
exec {CHK[1]}>&-
wait "$chk_pid"
rc=$?
expect_rc "check as a co-process" 1
# Not addresses: never sendable, whatever the store holds.
run "$B" check --db "$DB" 'a@' '@example.org' 'a b@example.org' 'x@y@example.org' 'a@example.org.' "$(printf 'caf\xe9@example.org')"
expect_rc "check of things that are not addresses" 1
if (($(grep -c '"sendable":false,"state":"invalid","reason":"not an address"' "$T/out") == 6)); then pass; else
	fail "not addresses are invalid" "$(tr '\n' '|' <"$T/out")" "6 invalid"
fi
run "$B" suppressions add --db "$DB" 'a b@example.org'
expect_rc "add of a thing that is not an address" 1
expect_grep "add names it" "not an address: 'a b@example.org'" "$T/err"
run "$B" check --db "$DB"
expect_rc "check without address" 2
if [[ $BACKEND == sqlite ]]; then
	run "$B" check --db "$T/missing.db" a@example.com
	expect_rc "check missing store" 3
	expect_grep "check missing store says so" "no such database" "$T/err"
	if [[ ! -e $T/missing.db ]]; then pass; else fail "check creates no store" "a file" "none"; fi
	# A missing folder is named as such, not as a database to create.
	run "$B" check --db "$T/no-dir/x.db" a@example.com
	expect_rc "check in a missing folder" 3
	expect_grep "check in a missing folder says so" "x\.db: the folder $T/no-dir does not exist$" "$T/err"
	run "$B" ingest --db "$T/no-dir/x.db" examples/postfix-userunknown.eml
	expect_rc "ingest into a missing folder" 1
	expect_grep "ingest into a missing folder says so" "the folder $T/no-dir does not exist$" "$T/err"
	run "$B" check --db "$ROOT/README.md/x.db" a@example.com
	expect_rc "check under a file" 3
	expect_grep "check under a file says so" "README\.md is not a folder$" "$T/err"
	# Nothing to read at all: no new, empty store is left behind.
	run "$B" ingest --db "$T/never.db" "$T/no-such.eml" "$T/no-such-dir"
	expect_rc "ingest of missing inputs only" 1
	expect_grep "ingest names each missing input" "no-such-dir: No such file or directory$" "$T/err"
	if [[ ! -e $T/never.db ]]; then pass; else fail "ingest of missing inputs creates no store" "a file" "none"; fi
	# A store this user may not write, in a folder it may not write:
	# SQLite cannot even read it (WAL), and the message says why. Root
	# may write anything, so root runs this as nobody when nobody can
	# reach the program.
	mkdir "$T/ro"
	"$B" ingest -q --db "$T/ro/s.db" examples/gmail-nosuchuser.eml >/dev/null 2>&1
	chmod 555 "$T/ro"
	chmod 444 "$T/ro/s.db"
	as=()
	if ((EUID == 0)); then
		as=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
		chmod 755 "$T"
	fi
	if "${as[@]}" "$B" --version >/dev/null 2>&1; then
		run "${as[@]}" "$B" check --db "$T/ro/s.db" chris.nobody@example.net
		expect_rc "check of a store it may not write" 3
		expect_grep "check says what is not writable" "s\.db: this user may not write the database or its folder $T/ro; SQLite needs both, even to read" "$T/err"
	else
		echo "cli.sh: nobody cannot run $B; the read-only store case is not run" >&2
	fi
else
	run "$B" check --db "postgresql://bouncer@127.0.0.1:1/none?connect_timeout=5" a@example.com
	expect_rc "check unreachable server" 3
	expect_grep "check unreachable server says so" "cannot open the store: postgresql" "$T/err"
fi

# ---- history ----
run "$B" history --db "$DB" LEE.FORMER@example.ORG
expect_rc "history (local part case)" 1
run "$B" history --db "$DB" lee.former@EXAMPLE.ORG
expect_rc "history" 0
expect_grep "history event" '^\{"at":"2024-05-15T13:05:21Z","event":"[0-9a-f]{32}","kind":"bounce","class":"hard","reason":"userunknown","status":"5.1.1","action":"suppress","rule":"hard-address",.*"change":\{"from":"ok","to":"suppressed","reason":"hard-bounce","streak":0\}\}$'
run "$B" history --db "$DB" robin@example.org
expect_rc "history of an auto-reply" 0
expect_grep "auto-reply recorded, no change" '"class":"auto_reply".*"change":null\}$'
run "$B" history --db "$DB" nobody@example.org
expect_rc "history of an unknown address" 1
expect_grep "history says none" "no events for" "$T/err"

# ---- retry due ----
run "$B" retry due --db "$DB" --at 2024-05-14T09:00:00Z
expect_rc "retry due early" 0
if [[ ! -s $T/out ]]; then pass; else fail "retry due early" "$(cat "$T/out")" "nothing"; fi
run "$B" retry due --db "$DB" --at 2024-05-14T10:00:00Z
want <<'X'
{"address":"ops@slow.example.org","message_id":"<20240514071450.c4821.3d7be2@out2.example.com>","campaign":"c4821","attempts":1,"first_at":"2024-05-14T07:14:52Z","last_at":"2024-05-14T07:14:52Z","next_at":"2024-05-14T09:34:13Z"}
X
expect_out "retry due one" "$T/want"
run "$B" retry due --db "$DB" --at 2024-05-14T10:00:00Z --format json
expect_rc "retry due --format json" 0
expect_out "retry due --format json is jsonl" "$T/want"
run "$B" retry due --db "$DB" --at 2030-01-01 --format csv
expect_rc "retry due csv" 0
if (($(wc -l <"$T/out") == 3)); then pass; else fail "retry due csv lines" "$(wc -l <"$T/out")" 3; fi
run "$B" retry due --db "$DB" --at tomorrow
expect_rc "retry due bad time" 2
run "$B" retry due --db "$DB" --at 2024-02-30
expect_rc "retry due on a day February does not have" 2
run "$B" retry --db "$DB"
expect_rc "retry without due" 2

# ---- add and remove ----
run "$B" suppressions add --db "$DB" --reason "asked to leave" --at 2024-06-01T00:00:00Z Kai@Example.COM
expect_rc "add" 0
expect_grep "add says" '^Kai@example.com suppressed$'
run "$B" suppressions add --db "$DB" kai@example.com Kai@example.com
expect_rc "add again" 0
expect_grep "add again says" '^Kai@example.com unchanged \(already suppressed\)$'
run "$B" check --db "$DB" Kai@example.com
expect_grep "added check" '"state":"suppressed","reason":"asked to leave","since":"2024-06-01T00:00:00Z"'
run "$B" suppressions remove --db "$DB" --at 2024-06-02T00:00:00Z jane.doe@EXAMPLE.net
expect_rc "remove" 0
expect_grep "remove says" '^jane.doe@example.net removed$'
run "$B" check --db "$DB" jane.doe@example.net
expect_rc "removed is sendable" 0
expect_grep "removed check" '"state":"ok","reason":"removed","since":"2024-06-02T00:00:00Z"'
run "$B" history --db "$DB" jane.doe@example.net
if (($(wc -l <"$T/out") == 2)); then pass; else fail "history after remove" "$(wc -l <"$T/out") lines" 2; fi
expect_grep "removal in history" '"kind":"manual".*"change":\{"from":"suppressed","to":"ok","reason":"removed"'
run "$B" suppressions add --db "$DB" ok@example.com "not an address"
expect_rc "add a bad address" 1
run "$B" check --db "$DB" ok@example.com
expect_rc "nothing added with a bad address" 0
run "$B" suppressions add --db "$DB"
expect_rc "add nothing" 2

# ---- export and import ----
run "$B" suppressions export --db "$DB" --format csv -o "$T/export.csv"
expect_rc "export to a file" 0
if [[ -s $T/export.csv && ! -s $T/out ]]; then pass; else fail "export file" "missing or stdout used" "a file"; fi
if ls "$T"/export.csv.tmp.* >/dev/null 2>&1; then fail "export temp file" "left behind" "renamed"; else pass; fi
run "$B" suppressions export --db "$DB" -o "$T/no-dir/export.csv"
expect_rc "export into a missing folder" 1
expect_grep "export names the path given" "^bouncer suppressions export: $T/no-dir/export\.csv: No such file or directory$" "$T/err"
expect_grep "export header" '^address,reason,since,streak,kind,event_key,class,bounce_reason,status,campaign,source,diagnostic$' "$T/export.csv"
expect_grep "export row" '^lee.former@example.org,hard-bounce,2024-05-15T13:05:21Z,0,bounce,[0-9a-f]{32},hard,userunknown,5.1.1,receipts-2024-05,' "$T/export.csv"
# Not a file: a symbolic link stays one (its file gets the list), a
# FIFO is written into, not replaced by a file (as /dev/stdout was).
touch "$T/real.jsonl"
ln -s real.jsonl "$T/link.jsonl"
run "$B" suppressions export --db "$DB" -o "$T/link.jsonl"
expect_rc "export through a symbolic link" 0
if [[ -L $T/link.jsonl && -s $T/real.jsonl ]]; then pass; else
	fail "the link is kept, its file written" "$(ls -l "$T/link.jsonl" "$T/real.jsonl" | tr '\n' '|')" "a link to a full file"
fi
mkfifo "$T/fifo"
timeout 20 cat "$T/fifo" >"$T/from-fifo" &
reader=$!
run timeout 20 "$B" suppressions export --db "$DB" -o "$T/fifo"
expect_rc "export into a FIFO" 0
wait "$reader"
if [[ -p $T/fifo ]] && cmp -s "$T/from-fifo" "$T/real.jsonl"; then pass; else
	fail "the FIFO is written into" "$(ls -l "$T/fifo") $(wc -c <"$T/from-fifo") bytes read" "the list through the FIFO"
fi
run "$B" suppressions export --db "$DB" -o "$T"
expect_rc "export to a directory" 1
expect_grep "export to a directory says so" "Is a directory" "$T/err"
run "$B" suppressions export --db "$DB"
expect_grep "export jsonl" '^\{"address":"Kai@example.com","reason":"asked to leave","since":"2024-06-01T00:00:00Z","streak":0,"kind":"manual","event_key":"","class":"",'
cp "$T/out" "$T/export.jsonl"
"$B" suppressions list --db "$DB" >"$T/list2.csv"

DB2=$(new_db import_csv)
run "$B" suppressions import --db "$DB2" "$T/export.csv"
expect_rc "import our csv" 0
expect_grep "import summary" '^imported 7 addresses: 7 newly suppressed, 0 already suppressed$'
run "$B" suppressions list --db "$DB2"
expect_out "csv round trip" "$T/list2.csv"
run "$B" suppressions import --db "$DB2" "$T/export.csv"
expect_grep "import again" '^imported 7 addresses: 0 newly suppressed, 7 already suppressed$'
printf 'Email\none.more@example.com\n' >"$T/one.csv"
run "$B" suppressions import --db "$DB2" "$T/one.csv"
expect_grep "import of one address" '^imported 1 address: 1 newly suppressed, 0 already suppressed$'

DB3=$(new_db import_jsonl)
run "$B" suppressions import --db "$DB3" - <"$T/export.jsonl"
expect_rc "import jsonl from stdin" 0
run "$B" suppressions list --db "$DB3"
expect_out "jsonl round trip" "$T/list2.csv"

# Another tool's export: ';' separated, its own column names, quotes.
cat >"$T/other.csv" <<'X'
Id;Email Address;Created;Type
1;"first@Example.ORG";2023-01-02 03:04:05;bounce
2;second@example.org;2023-02-03;"spam; complaint"
3;third@example.org;2023-03-04T05:06:07.123+01:00;bounce
X
DB4=$(new_db import_other)
run "$B" suppressions import --db "$DB4" --delimiter ';' --map 'address=email address,reason=Type,since=3' "$T/other.csv"
expect_rc "import another tool's csv" 0
run "$B" suppressions list --db "$DB4"
want <<'X'
address,reason,since
first@example.org,bounce,2023-01-02T03:04:05Z
second@example.org,spam; complaint,2023-02-03T00:00:00Z
third@example.org,bounce,2023-03-04T04:06:07Z
X
expect_out "mapped import" "$T/want"
run "$B" suppressions import --db "$DB4" "$T/other.csv"
expect_rc "no address column without --map" 1
expect_grep "says which" "no address column" "$T/err"

# One bad row: nothing is imported, the row is named.
printf 'email,reason\ngood@example.org,x\nbad-row,y\n' >"$T/bad.csv"
DB5=$(new_db import_bad)
run "$B" suppressions import --db "$DB5" "$T/bad.csv"
expect_rc "import with a bad row" 1
expect_grep "bad row named" 'bad.csv:3: not an address' "$T/err"
run "$B" check --db "$DB5" good@example.org
expect_rc "bad import left nothing" 0
printf '{"address":"a@example.org","since":"yesterday"}\n' >"$T/bad.jsonl"
run "$B" suppressions import --db "$DB5" "$T/bad.jsonl"
expect_rc "import with a bad time" 1
printf '{"address":["a@example.org"]}\n' >"$T/nested.jsonl"
run "$B" suppressions import --db "$DB5" "$T/nested.jsonl"
expect_rc "import nested json" 1
# NUL bytes would cut a field short unseen: refused, nothing imported.
printf 'email,reason\nok@example.org,x\nc@exa\0mple.org,y\n' >"$T/nul.csv"
run "$B" suppressions import --db "$DB5" "$T/nul.csv"
expect_rc "import with a NUL byte" 1
expect_grep "the NUL is named" 'nul.csv:3: bad CSV row: a NUL byte' "$T/err"
printf '{"address":"ok@example.org"}\0{"address":"x@example.org"}\n' >"$T/nul.jsonl"
run "$B" suppressions import --db "$DB5" "$T/nul.jsonl"
expect_rc "jsonl import with a NUL byte" 1
expect_grep "the jsonl NUL is named" 'nul.jsonl:1: a NUL byte' "$T/err"
run "$B" suppressions list --db "$DB5"
if [[ $(cat "$T/out") == address,reason,since ]]; then pass; else
	fail "NUL imports left nothing" "$(tr '\n' '|' <"$T/out")" "the header only"
fi
run "$B" suppressions import --db "$DB5" "$T"
expect_rc "import of a directory" 1
expect_grep "says it is a directory" ": is a directory$" "$T/err"
run "$B" suppressions import --db "$DB5" --map address=Mail "$T/bad.csv"
expect_rc "import mapped to a missing column" 1
expect_grep "names the missing column" "no column 'Mail' for address" "$T/err"
# A spreadsheet's CSV starts with a byte order mark.
printf '\xef\xbb\xbfEmail,Reason\r\nbom@example.org,unsubscribed\r\n' >"$T/bom.csv"
run "$B" suppressions import --db "$DB5" "$T/bom.csv"
expect_rc "import of a CSV with a byte order mark" 0
run "$B" check --db "$DB5" bom@example.org
expect_grep "BOM import stored" '"state":"suppressed","reason":"unsubscribed"'
printf 'ok@example.org\njane.doe@example.net\0junk\n' | "$B" check --db "$DB" - >"$T/out" 2>"$T/err"
rc=$?
expect_rc "check of a line with a NUL" 1
{
	echo '{"address":"ok@example.org","sendable":true,"state":"ok","reason":"","since":""}'
	printf '{"address":"jane.doe@example.net\357\277\275junk","sendable":false,"state":"invalid","reason":"not an address","since":""}\n'
} >"$T/want"
expect_out "a NUL line is not the address before it" "$T/want"
run "$B" suppressions frobnicate --db "$DB"
expect_rc "unknown subcommand" 2
run "$B" suppressions list --db "$DB" --format xml
expect_rc "unknown format" 2

# ---- configuration ----
printf '# stricter\nsoft_streak_limit = 1  # one soft campaign\n\n' >"$T/strict.conf"
DB6=$(new_db strict)
run "$B" ingest --config "$T/strict.conf" --db "$DB6" examples/
expect_rc "ingest with a config file" 0
expect_grep "config: soft bounces suppress" 'addresses: 8 suppressed \(hard-bounce 5, complaint 1, soft-streak 2\), 0 soft'
expect_grep "config: suppressed, so no retries" '^retries: 0 scheduled, 0 exhausted$'
DB6b=$(new_db noretry)
printf 'retry_attempts = 0\nretry_window = 2d\n' >"$T/noretry.conf"
run "$B" ingest --config "$T/noretry.conf" --db "$DB6b" examples/
expect_grep "config: no retries" '^retries: 0 scheduled, 2 exhausted$'
DB7=$(new_db flags)
run "$B" ingest --config "$T/strict.conf" --soft-streak 3 --db "$DB7" examples/
expect_grep "a flag beats the config file" 'soft-streak 0\), 2 soft'
DB7b=$(new_db nostreak)
run "$B" ingest --config "$T/strict.conf" --soft-streak 0 --db "$DB7b" examples/
expect_grep "--soft-streak 0: soft bounces never suppress" 'soft-streak 0\), 2 soft'
expect_grep "--soft-streak 0: still retried" '^retries: 2 scheduled, 0 exhausted$'
DB7c=$(new_db envconfig)
BOUNCER_CONFIG=$T/strict.conf run "$B" ingest --db "$DB7c" examples/
expect_grep "config file from BOUNCER_CONFIG" 'soft-streak 2\), 0 soft'
printf 'db = %s\n' "$DB7" >"$T/db.conf"
run "$B" check --config "$T/db.conf" sam.roe@example.org
expect_grep "db from the config file" '"state":"soft"'
BOUNCER_DB=$DB7 run "$B" check sam.roe@example.org
expect_grep "db from BOUNCER_DB" '"state":"soft"'
printf 'soft_streak = 2\n' >"$T/typo.conf"
run "$B" ingest --config "$T/typo.conf" --db "$DB7" examples/
expect_rc "unknown setting" 2
expect_grep "names the setting" "typo.conf:1: unknown setting 'soft_streak'" "$T/err"
run "$B" ingest --config "$T" --db "$DB7" examples/
expect_rc "a directory as config" 2
expect_grep "config directory named" ": is a directory$" "$T/err"
printf 'soft_streak_limit = 1\0junk\n' >"$T/nul.conf"
run "$B" ingest --config "$T/nul.conf" --db "$DB7" examples/
expect_rc "a NUL in the config" 2
expect_grep "config NUL named" "nul.conf:1: a NUL byte" "$T/err"
run "$B" ingest --retry-window soon --db "$DB7" examples/
expect_rc "bad flag value" 2
expect_grep "bad flag value: the flag and the form named" \
	"bad value 'soon' for --retry-window \\(more than 0: seconds, or a number with s, m, h or d" "$T/err"
run "$B" ingest --retry-attempts 31 --db "$DB7" examples/
expect_rc "flag value out of range" 2
expect_grep "flag value out of range: the range named" \
	"bad value '31' for --retry-attempts \\(a whole number, 0 to 30\\)" "$T/err"
printf 'retry_attempts = many\n' >"$T/bad.conf"
run "$B" ingest --config "$T/bad.conf" --db "$DB7" examples/
expect_rc "bad config value" 2
expect_grep "bad config value: the line and the form named" \
	"bad.conf:1: bad value 'many' for retry_attempts \\(a whole number, 0 to 30\\)" "$T/err"
run "$B" ingest --db "$DB7"
expect_rc "ingest without input" 2

# --campaign: records that name none count under it.
DB8=$(new_db campaign)
run "$B" ingest --campaign spring --db "$DB8" examples/sendmail-hostunknown.eml
run "$B" suppressions export --db "$DB8"
expect_grep "--campaign used" '"campaign":"spring"'
run "$B" ingest --campaign spring --db "$DB8" examples/postfix-userunknown.eml
run "$B" suppressions export --db "$DB8" --format csv
expect_grep "the record's campaign wins" '^jane.doe@example.net,.*,c4821,'

# A limit that cut a message is said as parse says it.
python3 -c "import sys; open(sys.argv[1], 'w').write('From: MAILER-DAEMON@example.com\\nSubject: Undelivered\\n\\n<x@example.org>: 550 5.1.1 user unknown ' + 'a' * 20000 + '\\n')" "$T/longdiag.eml"
DB8b=$(new_db limit)
run "$B" ingest -q --db "$DB8b" "$T/longdiag.eml"
expect_rc "ingest of a cut message" 0
expect_grep "ingest names the limit" "^bouncer ingest: $T/longdiag.eml: message 1: input limit hit \\(field_size: a record field was cut\\)$" "$T/err"

# A missing input: the others are still ingested, exit 1.
DB9=$(new_db missing)
run "$B" ingest --db "$DB9" "$T/no-such-file" examples/gmail-nosuchuser.eml
expect_rc "a missing input" 1
expect_grep "missing input named" "no-such-file" "$T/err"
run "$B" check --db "$DB9" chris.nobody@example.net
expect_rc "the other input was ingested" 1

# On a terminal: a progress bar on stderr, wiped before an error line.
if command -v script >/dev/null; then
	DB10=$(new_db terminal)
	script -qc "'$B' ingest --db '$DB10' examples/ '$T/no-such-file' examples/gmail-nosuchuser.eml" /dev/null >"$T/tty" 2>&1
	tr '\r' '\n' <"$T/tty" >"$T/tty.lines"
	expect_grep "progress bar" '^\[#{30}\] 100% 12 messages, 11 records' "$T/tty.lines"
	expect_grep "summary after the bar" '^read 12 messages: 11 decoded, 1 not recognised as a bounce$' "$T/tty.lines"
	expect_grep "records after the bar" '^11 records: 10 new events, 1 already stored, 0 without a recipient$' "$T/tty.lines"
	if grep -q $'\e\\[Kbouncer ingest: .*no-such-file: No such file or directory' "$T/tty"; then pass; else
		fail "the error starts a line of its own" "$(cat -A "$T/tty" | head -c 300)" "the bar wiped first"
	fi
fi

if [[ $BACKEND == sqlite ]]; then
	# The default store is ./bouncer.db.
	mkdir "$T/cwd"
	(cd "$T/cwd" && "$B" ingest -q "$ROOT/examples/gmail-nosuchuser.eml") >"$T/out" 2>"$T/err"
	if [[ -f $T/cwd/bouncer.db ]]; then pass; else fail "default store" "no ./bouncer.db" "./bouncer.db"; fi
	(cd "$T/cwd" && "$B" check chris.nobody@example.net) >"$T/out" 2>&1
	expect_grep "default store read back" '"state":"suppressed"'
	printf 'not a database at all, but long enough to have a page' >"$T/junk.db"
	run "$B" ingest --db "$T/junk.db" examples/
	expect_rc "not a database" 1
	expect_grep "says it is not" "cannot open the store" "$T/err"
	# A damaged store: the pages after the first overwritten.
	"$B" suppressions list --db "$DB" >/dev/null
	cp "$DB" "$T/damaged.db"
	python3 - "$T/damaged.db" <<'PY'
import os, sys
with open(sys.argv[1], "r+b") as f:
    size = os.path.getsize(sys.argv[1])
    f.seek(4096)
    f.write(b"\xff" * (size - 4096))
PY
	run "$B" suppressions list --db "$T/damaged.db"
	expect_rc "a damaged store" 1
	expect_grep "says what failed, in words" ": reading the [a-z ]*: database disk image is malformed$" "$T/err"
	if grep -q SELECT "$T/err"; then fail "no SQL in the message" "$(cat "$T/err")" "words"; else pass; fi
fi

finish
