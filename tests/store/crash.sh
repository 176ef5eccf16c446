#!/usr/bin/env bash
# Crash safety of ingest on one backend:
#
#   tests/store/crash.sh BOUNCER sqlite|postgres [CRASHSHIM]
#
# Builds a large mbox from examples/ (tests/store/mkmbox.py: unique
# Message-IDs, recurring recipients, several campaigns, so the end state
# depends on every event and on their order), ingests it cleanly into
# one store, then into another in runs that each die by SIGKILL, each
# run resuming where the last one's commits ended, and a final complete
# run. The kills land at chosen points when CRASHSHIM (crashshim.c, an
# LD_PRELOAD library; CTest passes it) is given: opening the new store,
# at the end of its migrations before their COMMIT, between two
# statements of a batch, just before a COMMIT, just before the last.
# Another store is killed once by `kill -9` from outside at a random
# moment (which can land inside the database's own commit), then
# completed. After every kill the store must hold whole batches only. At
# the end all three stores must hold the same, byte for byte: suppressions
# list and export, retries due, check of every recipient, and every
# table (events, standings, changes, streaks, retries) without the row
# ids and ingest times.
SHIM=${3:-}
source "$(dirname "$0")/lib.sh"
store_init "$1" "$2"
cd "$ROOT" || exit 2

COPIES=${BNC_CRASH_COPIES:-1500}	# x 10 examples = messages
RCPTS=300
BATCH=250

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
records=$(grep -c '^From ' "$T/big.mbox")

# sql DB QUERY: rows as '|'-separated text.
sql() {
	if [[ $BACKEND == sqlite ]]; then
		python3 - "$1" "$2" <<'PY'
import sqlite3, sys
db = sqlite3.connect("file:%s?mode=ro" % sys.argv[1], uri=True)
for row in db.execute(sys.argv[2]):
    print("|".join("" if v is None else str(v) for v in row))
PY
	else
		psql -X -q -A -t -F '|' -v ON_ERROR_STOP=1 "$1" -c "$2"
	fi
}

events() { # DB: committed events (0 when there is no schema yet)
	sql "$1" "SELECT count(*) FROM bnc_events" 2>/dev/null || echo 0
}

state() { # DB OUT
	"$B" suppressions list --db "$1" >"$2"
	"$B" suppressions export --db "$1" >>"$2"
	"$B" retry due --db "$1" --at 2100-01-01 >>"$2"
	"$B" check --db "$1" - <"$T/addresses" >>"$2"
	[[ $? -le 1 ]] || return 1
	{
		sql "$1" "SELECT event_key, address, kind, class, reason, action,
			rule, status, reply_code, diagnostic, campaign, message_id,
			provider, remote_mta, source, message, occurred_at
			FROM bnc_events ORDER BY id"
		sql "$1" "SELECT a.address, a.state, a.reason, a.since, a.streak,
			e.event_key FROM bnc_addresses a
			JOIN bnc_events e ON e.id = a.event_id ORDER BY a.address"
		sql "$1" "SELECT e.event_key, c.address, c.from_state, c.to_state,
			c.reason, c.streak, c.at FROM bnc_changes c
			JOIN bnc_events e ON e.id = c.event_id ORDER BY e.id"
		sql "$1" "SELECT s.address, s.campaign, e.event_key FROM bnc_streak s
			JOIN bnc_events e ON e.id = s.event_id
			ORDER BY s.address, s.campaign"
		sql "$1" "SELECT r.address, r.message_key, r.campaign, r.attempts,
			r.first_at, r.last_at, r.next_at, r.state, e.event_key
			FROM bnc_retries r JOIN bnc_events e ON e.id = r.event_id
			ORDER BY r.address, r.message_key"
	} >>"$2"
}

now() { date +%s.%N; }

CLEAN=$(new_db clean)
CRASH=$(new_db crash)

# The clean run; with the shim it also counts the calls and commits.
t0=$(now)
if [[ -n $SHIM ]]; then
	LD_PRELOAD=$SHIM BNC_CRASH_COUNT=$T/count \
		ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0 \
		"$B" ingest -q --batch $BATCH --db "$CLEAN" "$T/big.mbox" 2>"$T/clean.err"
else
	"$B" ingest -q --batch $BATCH --db "$CLEAN" "$T/big.mbox" 2>"$T/clean.err"
fi
rc=$?
t1=$(now)
if ((rc == 0)); then pass; else fail "clean ingest" "exit $rc $(head -c 300 "$T/clean.err")" 0; fi
clean_secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
state "$CLEAN" "$T/clean.txt" || fail "clean state" "an error" "the state"
n=$(events "$CLEAN")
if ((n == records)); then pass; else fail "clean run events" "$n" "$records"; fi
echo "clean ingest of $records messages: ${clean_secs}s"

# After a kill: the run was killed, and the store holds whole batches
# of events, no fewer than before.
last=0
before=0
after_kill() { # WHAT EXIT-STATUS
	local n
	if (($2 == 137)); then pass; else fail "$1: killed" "exit $2 $(tail -c 200 "$T/crash.err")" "137 (SIGKILL)"; fi
	n=$(events "$CRASH")
	if ((n % BATCH == 0 && n >= last && n <= records)); then pass; else
		fail "$1: whole batches" "$n events (before: $last)" "a multiple of $BATCH, at least $last"
	fi
	echo "$1: killed; $n events committed"
	before=$last
	last=$n
}

if [[ -n $SHIM ]]; then
	read -r calls commits <"$T/count"
	# What a run costs that finds every record stored: it goes past
	# them in whole batches (one statement per record on SQLite, one
	# per batch on PostgreSQL). Counted on the clean store, which must
	# come out of it unchanged.
	LD_PRELOAD=$SHIM BNC_CRASH_COUNT=$T/rcount \
		ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0 \
		"$B" ingest -q --batch $BATCH --db "$CLEAN" "$T/big.mbox" 2>>"$T/clean.err"
	rc=$?
	if ((rc == 0)); then pass; else fail "clean ingest again" "exit $rc" 0; fi
	read -r rcalls _ <"$T/rcount"
	state "$CLEAN" "$T/clean2.txt" || fail "clean state again" "an error" "the state"
	if cmp -s "$T/clean.txt" "$T/clean2.txt"; then pass; else
		fail "clean run again == clean run" "$(diff "$T/clean.txt" "$T/clean2.txt" | head -n 6 | tr '\n' '|')" "identical"
	fi
	echo "calls: $calls for a clean run, $rcalls for a run over a complete store"
	# crash_run WHAT VAR=VALUE: an ingest into CRASH that the shim kills.
	crash_run() {
		# (the braces keep bash's own "Killed" line out of the log)
		{ env "$2" LD_PRELOAD="$SHIM" \
			ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
			"$B" ingest -q --batch $BATCH --db "$CRASH" "$T/big.mbox" 2>>"$T/crash.err"; } 2>/dev/null
		after_kill "$1" $?
	}
fi

# kill -9 from outside at a random moment, early in what a clean run
# takes, so that it lands in work and perhaps inside the database's own
# commit. It works on a store of its own (OUTSIDE): where a random kill
# lands depends on the machine's load, and the shim's kills below must
# find the work they aim at whatever it did. Afterwards OUTSIDE holds
# whole batches; it is completed and compared with the clean run at the
# end like CRASH.
OUTSIDE=$(new_db outside)
kill_from_outside() {
	local frac delay pid rc n
	frac=$(awk -v r="$RANDOM" 'BEGIN { printf "%.3f", 0.1 + 0.3 * r / 32767 }')
	delay=$(awk -v s="$clean_secs" -v f="$frac" 'BEGIN { printf "%.3f", s * f }')
	"$B" ingest -q --batch $BATCH --db "$OUTSIDE" "$T/big.mbox" 2>>"$T/crash.err" &
	pid=$!
	sleep "$delay"
	kill -9 "$pid" 2>/dev/null
	{ wait "$pid"; } 2>/dev/null
	rc=$?
	n=$(events "$OUTSIDE")
	if ((rc == 137)); then
		if ((n % BATCH == 0 && n <= records)); then pass; else
			fail "kill -9 after ${delay}s: whole batches" "$n events" "a multiple of $BATCH"
		fi
		echo "kill -9 after ${delay}s: killed; $n events committed"
	else
		echo "kill -9 after ${delay}s: the run had finished"
	fi
}
kill_from_outside

if [[ -n $SHIM ]]; then
	# A run that resumes spends about rcalls/records calls going past
	# each stored record, then about calls/records on each new one. at
	# RECORDS: the call that many new records past the store's end.
	at() {
		echo $((last * rcalls / records + 10 + $1 * calls / records))
	}
	crash_run "opening a new store" BNC_CRASH_AFTER=2
	# A new store's first COMMIT is the one of its migrations.
	crash_run "the migrations done, before their COMMIT" BNC_CRASH_BEFORE_COMMIT=1
	crash_run "mid-batch" BNC_CRASH_AFTER="$(at $((BATCH * 5 / 2)))"
	if ((last > before)); then pass; else fail "mid-batch kill after new batches" "$last events" "more than $before"; fi
	crash_run "before a COMMIT" BNC_CRASH_BEFORE_COMMIT=$((last / BATCH + 3))
	if ((last == before + 2 * BATCH)); then pass; else
		fail "the batch before the COMMIT was lost" "$last events" "$((before + 2 * BATCH))"
	fi
	crash_run "mid-batch, later" BNC_CRASH_AFTER="$(at $((BATCH * 4 + 37)))"
	if ((last > before)); then pass; else fail "later kill after new batches" "$last events" "more than $before"; fi
	crash_run "before the last COMMIT" BNC_CRASH_BEFORE_COMMIT=$((records / BATCH))
	if ((last == records - BATCH)); then pass; else
		fail "the last batch was lost" "$last events" "$((records - BATCH))"
	fi
else
	echo "NOTE: no crash shim given; only the kill from outside runs"
fi

"$B" ingest -q --batch $BATCH --db "$CRASH" "$T/big.mbox" 2>>"$T/crash.err"
rc=$?
if ((rc == 0)); then pass; else fail "ingest after the kills" "exit $rc $(tail -c 300 "$T/crash.err")" 0; fi
state "$CRASH" "$T/crash.txt" || fail "crash state" "an error" "the state"
if cmp -s "$T/clean.txt" "$T/crash.txt"; then pass; else
	fail "crash then re-run == clean run" "$(diff "$T/clean.txt" "$T/crash.txt" | head -n 6 | tr '\n' '|')" "identical"
fi
lines=$(grep -c . "$T/clean.txt")
if ((lines > 3000 + records)); then pass; else fail "state compared" "$lines lines" "over $((3000 + records))"; fi
# The store killed from outside, completed, holds the same.
"$B" ingest -q --batch $BATCH --db "$OUTSIDE" "$T/big.mbox" 2>>"$T/crash.err"
rc=$?
if ((rc == 0)); then pass; else fail "ingest after the outside kill" "exit $rc" 0; fi
state "$OUTSIDE" "$T/outside.txt" || fail "outside state" "an error" "the state"
if cmp -s "$T/clean.txt" "$T/outside.txt"; then pass; else
	fail "kill -9 from outside then re-run == clean run" "$(diff "$T/clean.txt" "$T/outside.txt" | head -n 6 | tr '\n' '|')" "identical"
fi
# And once more: nothing new.
"$B" ingest --batch $BATCH --db "$CRASH" "$T/big.mbox" >"$T/summary" 2>&1
if grep -q ': 0 new events,' "$T/summary"; then pass; else fail "a third run" "$(head -n 1 "$T/summary")" "0 new events"; fi

finish
