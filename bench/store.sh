#!/usr/bin/env bash
# Store benchmarks, on demand (never part of the tests):
#
#   bench/store.sh [RECORDS]        (default 200000)
#
# Builds build/ (Release) with bench_store, starts a throwaway PostgreSQL
# server on loopback with its default durability (fsync on, as a real
# server; tests/store/pgserver.sh), and prints for SQLite and PostgreSQL:
#   1. bench_store: records/s through the store and policy
#      (bnc_store_ingest, batches of 5000) and bnc_store_check look-ups/s;
#   2. the CLI end to end: `bouncer ingest` of an mbox made from
#      examples/ (parsing included), and `bouncer check -` of RECORDS
#      addresses (JSON output included).
# The server is stopped on exit. Figures depend on what else the machine
# runs: the CPU-time figures of bench_store say what the wall clock
# cannot on a shared machine.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
N=${1:-200000}

scripts/deps
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j2 --target bouncer-cli bench_store >/dev/null

T=$(mktemp -d)
# shellcheck source=../tests/store/pgserver.sh
source tests/store/pgserver.sh
trap 'bnc_pg_stop; rm -rf "$T"' EXIT
trap 'exit 130' INT TERM
pg=0
if bnc_pg_start; then
	pg=1
else
	echo "bench: no PostgreSQL server; SQLite only" >&2
fi

secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
rate() { awk -v n="$1" -v a="$2" -v b="$3" 'BEGIN { printf "%.0f", n / (b - a) }'; }

echo "== machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== 1. bench_store ($N records, $N look-ups)"
build/bench/bench_store "$T/bench.db" "$N"
if ((pg)); then
	build/bench/bench_store "$(bnc_pg_newdb bench_store)" "$N"
fi

echo "== 2. the CLI end to end"
build/bouncer parse --format jsonl examples/ >"$T/records.jsonl"
python3 tests/store/mkmbox.py "$T/records.jsonl" 2000 300 "$T/big.mbox"
msgs=$(grep -c '^From ' "$T/big.mbox")
python3 - "$N" >"$T/addresses" <<'PY'
import sys
n = int(sys.argv[1])
for i in range(n):
    print("%s%d@d%d.example.com" % ("other" if i % 2 else "user", i % (n // 2), i % 50))
PY
cli() { # NAME DB
	local t0 t1
	t0=$(date +%s.%N)
	build/bouncer ingest -q --db "$2" "$T/big.mbox"
	t1=$(date +%s.%N)
	echo "$1 bouncer ingest: $msgs messages ($msgs records) in $(secs "$t0" "$t1") s = $(rate "$msgs" "$t0" "$t1") records/s (parsing included)"
	# check against the store bench_store filled, so half are known
	t0=$(date +%s.%N)
	build/bouncer check --db "$3" - <"$T/addresses" >/dev/null || true
	t1=$(date +%s.%N)
	echo "$1 bouncer check -: $N addresses in $(secs "$t0" "$t1") s = $(rate "$N" "$t0" "$t1") addresses/s (JSON output included)"
}
t0=$(date +%s.%N)
build/bouncer parse --format jsonl "$T/big.mbox" >/dev/null
t1=$(date +%s.%N)
echo "(bouncer parse alone of the same mbox: $(secs "$t0" "$t1") s = $(rate "$msgs" "$t0" "$t1") messages/s)"
cli sqlite "$T/cli.db" "$T/bench.db"
if ((pg)); then
	cli postgresql "$(bnc_pg_newdb bench_cli)" "${BNC_TEST_PG_URL%/*}/bench_store"
fi
