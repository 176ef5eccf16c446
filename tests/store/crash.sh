#!/usr/bin/env bash
# Crash safety of ingest on one backend:
#
#   tests/store/crash.sh BOUNCER sqlite|postgres
#
# Builds a large mbox from examples/ (tests/store/mkmbox.py: unique
# Message-IDs, recurring recipients, several campaigns, so the end state
# depends on every event and on their order), ingests it cleanly into
# one store, then into another with `kill -9` at random moments (twice)
# and a final complete run. Both stores must then answer the same:
# suppressions list and export, retries due, and check of every
# recipient, byte for byte.
source "$(dirname "$0")/lib.sh"
store_init "$@"
cd "$ROOT" || exit 2

COPIES=${BNC_CRASH_COPIES:-1500}	# x 10 examples = messages
RCPTS=300

"$B" parse --format jsonl examples/ >"$T/records.jsonl"
python3 tests/store/mkmbox.py "$T/records.jsonl" "$COPIES" "$RCPTS" "$T/big.mbox"
# Every recipient of the mbox, for check.
python3 - "$T/records.jsonl" "$RCPTS" >"$T/addresses" <<'PY'
import json, sys
seen = set()
for line in open(sys.argv[1], encoding="utf-8"):
    a = json.loads(line)["recipient"]
    if a and a not in seen:
        seen.add(a)
        local, _, domain = a.rpartition("@")
        for n in range(int(sys.argv[2])):
            print("%s.%d@%s" % (local, n, domain))
PY

state() { # DB OUT
	"$B" suppressions list --db "$1" >"$2"
	"$B" suppressions export --db "$1" >>"$2"
	"$B" retry due --db "$1" --at 2100-01-01 >>"$2"
	"$B" check --db "$1" - <"$T/addresses" >>"$2"
	[[ $? -le 1 ]]
}

now() { date +%s.%N; }

CLEAN=$(new_db clean)
CRASH=$(new_db crash)

t0=$(now)
"$B" ingest -q --batch 250 --db "$CLEAN" "$T/big.mbox" 2>"$T/clean.err"
rc=$?
t1=$(now)
if ((rc == 0)); then pass; else fail "clean ingest" "exit $rc $(head -c 300 "$T/clean.err")" 0; fi
clean_secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
state "$CLEAN" "$T/clean.txt" || fail "clean state" "an error" "the state"
echo "clean ingest of $((COPIES * 10)) messages: ${clean_secs}s"

# kill_during FRACTION_MIN FRACTION_MAX: start an ingest into CRASH and
# kill -9 it at a random moment in that part of the clean run's time.
# Sets killed=1 when it was still running at the kill.
kill_during() {
	local lo=$1 hi=$2 frac delay pid
	frac=$(awk -v lo="$lo" -v hi="$hi" -v r="$RANDOM" \
		'BEGIN { printf "%.3f", lo + (hi - lo) * r / 32767 }')
	delay=$(awk -v s="$clean_secs" -v f="$frac" 'BEGIN { printf "%.3f", s * f }')
	"$B" ingest -q --batch 250 --db "$CRASH" "$T/big.mbox" 2>>"$T/crash.err" &
	pid=$!
	sleep "$delay"
	killed=0
	if kill -0 "$pid" 2>/dev/null; then
		kill -9 "$pid"
		killed=1
	fi
	wait "$pid" 2>/dev/null
	printf 'kill -9 after %.2fs (%.0f%% of a clean run): %s\n' "$delay" \
		"$(awk -v f="$frac" 'BEGIN { print f * 100 }')" \
		"$( ((killed)) && echo killed || echo 'had finished')"
}

# The first kill lands in the first part of the run, the second (on top
# of what the first left) later; both must leave a store that a re-run
# completes.
kill_during 0.15 0.5
first_killed=$killed
"$B" suppressions list --db "$CRASH" >"$T/partial.csv" 2>/dev/null
kill_during 0.3 0.9
if ((first_killed || killed)); then pass; else
	fail "a kill landed mid-ingest" "both runs finished first" "a killed run"
fi
partial=$(($(wc -l <"$T/partial.csv") - 1))
echo "after the first kill: $partial suppressed addresses were committed"

"$B" ingest -q --batch 250 --db "$CRASH" "$T/big.mbox" 2>>"$T/crash.err"
rc=$?
if ((rc == 0)); then pass; else fail "ingest after the kills" "exit $rc $(tail -c 300 "$T/crash.err")" 0; fi
state "$CRASH" "$T/crash.txt" || fail "crash state" "an error" "the state"
if cmp -s "$T/clean.txt" "$T/crash.txt"; then pass; else
	fail "crash then re-run == clean run" "$(diff "$T/clean.txt" "$T/crash.txt" | head -n 6 | tr '\n' '|')" "identical"
fi
lines=$(grep -c . "$T/clean.txt")
if ((lines > 3000)); then pass; else fail "state compared" "$lines lines" "over 3000"; fi
# And once more: nothing new.
"$B" ingest --batch 250 --db "$CRASH" "$T/big.mbox" >"$T/summary" 2>&1
if grep -q ': 0 new events,' "$T/summary"; then pass; else fail "a third run" "$(head -n 1 "$T/summary")" "0 new events"; fi

finish
