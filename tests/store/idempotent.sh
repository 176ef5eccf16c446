#!/usr/bin/env bash
# Idempotence of ingest on one backend:
#
#   tests/store/idempotent.sh BOUNCER sqlite|postgres
#
# On our own fixtures (a maildir made from examples/ with recurring
# recipients and several campaigns, so soft streaks build up) and, when
# it is there, on ../shared/corpus/maildir:
#  - ingesting twice leaves `suppressions list` and `suppressions export`
#    byte-identical to ingesting once;
#  - the same messages again from another path, with CRLF line ends, or
#    as one mbox, add no event and change nothing.
source "$(dirname "$0")/lib.sh"
store_init "$@"
cd "$ROOT" || exit 2

# state DB OUT: everything the store answers about its suppressions and
# retries, for byte comparison.
state() {
	{
		"$B" suppressions list --db "$1" &&
			"$B" suppressions export --db "$1" &&
			"$B" retry due --db "$1" --at 2100-01-01
	} >"$2" 2>"$T/state.err" || {
		echo "state of $1 failed: $(cat "$T/state.err")"
		return 1
	}
}

same() { # NAME A B
	if cmp -s "$2" "$3"; then pass; else
		fail "$1" "a difference: $(diff "$2" "$3" | head -n 6 | tr '\n' '|')" "identical"
	fi
}

ingest() { # DB INPUT...: quiet ingest, summary in $T/summary
	local db=$1
	shift
	"$B" ingest --db "$db" "$@" >"$T/summary" 2>"$T/ingest.err"
	rc=$?
}

no_new_events() { # NAME
	if ((rc == 0)) && grep -q ': 0 new events,' "$T/summary"; then pass; else
		fail "$1" "exit $rc, $(head -n 1 "$T/summary") $(head -c 200 "$T/ingest.err")" "0 new events"
	fi
}

# ---- our fixtures ----
"$B" parse --format jsonl examples/ >"$T/records.jsonl"
python3 tests/store/mkmbox.py "$T/records.jsonl" 40 7 "$T/md" --maildir
python3 tests/store/mkmbox.py "$T/records.jsonl" 40 7 "$T/all.mbox"
n=$(find "$T/md/cur" -type f | wc -l)
if ((n == 400)); then pass; else fail "fixture maildir" "$n files" 400; fi

ONCE=$(new_db once)
TWICE=$(new_db twice)
ingest "$ONCE" "$T/md"
if ((rc == 0)); then pass; else fail "ingest once" "exit $rc $(cat "$T/ingest.err")" 0; fi
if grep -q '^400 records: 400 new events' "$T/summary"; then pass; else
	fail "ingest once summary" "$(head -n 2 "$T/summary" | tr '\n' ' ')" "400 new events"
fi
# The fixture is built so every rule of the policy fires.
if grep -Eq 'suppressed \(hard-bounce [1-9][0-9]*, complaint [1-9][0-9]*, soft-streak [1-9][0-9]*\)' "$T/summary"; then pass; else
	fail "fixture exercises the policy" "$(sed -n 3p "$T/summary")" "hard, complaint and soft-streak suppressions"
fi
state "$ONCE" "$T/once.txt"
ingest "$TWICE" "$T/md"
ingest "$TWICE" "$T/md"
no_new_events "second ingest of the maildir"
state "$TWICE" "$T/twice.txt"
same "fixtures: once vs twice" "$T/once.txt" "$T/twice.txt"
if (($(grep -c . "$T/once.txt") > 20)); then pass; else fail "fixture state" "$(grep -c . "$T/once.txt") lines" "more than 20"; fi

# The same bounces from elsewhere: CRLF copies under another path.
mkdir -p "$T/elsewhere/new"
for f in "$T"/md/cur/*; do
	sed 's/$/\r/' "$f" >"$T/elsewhere/new/copy-$(basename "$f")"
done
ingest "$TWICE" "$T/elsewhere"
no_new_events "CRLF copies under another path"
ingest "$TWICE" "$T/all.mbox"
no_new_events "the same messages as one mbox"
ingest "$TWICE" - <"$T/md/cur/$(ls "$T/md/cur" | head -n 1)"
no_new_events "one of them on stdin"
state "$TWICE" "$T/after.txt"
same "fixtures: other paths change nothing" "$T/once.txt" "$T/after.txt"

# ---- the shared corpus ----
corpus=../shared/corpus/maildir
if [[ -d $corpus ]]; then
	C1=$(new_db corpus_once)
	C2=$(new_db corpus_twice)
	ingest "$C1" "$corpus"
	# A few corpus files are unreadable on purpose: exit 1 is fine,
	# what was read is stored.
	state "$C1" "$T/c1.txt"
	ingest "$C2" "$corpus"
	ingest "$C2" "$corpus"
	no=$(grep -o '[0-9]* new events' "$T/summary")
	if [[ $no == "0 new events" ]]; then pass; else fail "corpus second ingest" "$no" "0 new events"; fi
	state "$C2" "$T/c2.txt"
	same "corpus: once vs twice" "$T/c1.txt" "$T/c2.txt"
	"$B" suppressions list --db "$C1" >"$T/c1.csv"
	"$B" suppressions list --db "$C2" >"$T/c2.csv"
	same "corpus: suppressions list" "$T/c1.csv" "$T/c2.csv"
	lines=$(($(wc -l <"$T/c1.csv") - 1))
	if ((lines > 100)); then pass; else fail "corpus suppressions" "$lines" "more than 100"; fi
	echo "corpus: $lines suppressed addresses, identical after a second ingest"
else
	echo "NOTE: ../shared/corpus absent; the corpus part was skipped (fixtures ran)"
fi

finish
