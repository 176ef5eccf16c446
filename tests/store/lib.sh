# shellcheck shell=bash
# Shared by the store's shell tests (cli.sh, idempotent.sh, crash.sh):
#
#   store_init BOUNCER BACKEND   set B (absolute bouncer), ROOT, T (a temp
#                                folder removed on exit), BACKEND; exit 77
#                                (skipped) for postgres without a server
#   new_db NAME                  print the target of a new empty store:
#                                $T/NAME.db, or a new PostgreSQL database
#   pass / fail NAME GOT WANT    count checks; fail prints one line
#   finish                       print the tally, exit 1 on any failure
set -u
export LC_ALL=C

# shellcheck source=pgserver.sh
source "$(dirname "${BASH_SOURCE[0]}")/pgserver.sh"

checks=0
failures=0

pass() { checks=$((checks + 1)); }
fail() {
	checks=$((checks + 1))
	failures=$((failures + 1))
	echo "FAIL case \"$1\": got $2, want $3"
}

store_cleanup() {
	local db
	if [[ $BACKEND == postgres ]]; then
		# new_db runs in $(...), a subshell: find ours by name.
		for db in $(psql -X -A -t "$BNC_TEST_PG_URL" -c "SELECT datname \
			FROM pg_database WHERE datname LIKE 'bnc_sh_$$_%'" 2>/dev/null); do
			psql -q -X "$BNC_TEST_PG_URL" \
				-c "DROP DATABASE IF EXISTS \"$db\"" >/dev/null 2>&1 || true
		done
	fi
	rm -rf "$T"
}

store_init() {
	if (($# != 2)); then
		echo "usage: $0 BOUNCER sqlite|postgres" >&2
		exit 2
	fi
	B=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
	BACKEND=$2
	ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
	case $BACKEND in
	sqlite) ;;
	postgres)
		if [[ -z ${BNC_TEST_PG_URL:-} ]]; then
			echo "SKIP: BNC_TEST_PG_URL is not set (scripts/test starts a server)"
			exit 77
		fi
		;;
	*)
		echo "unknown backend $BACKEND" >&2
		exit 2
		;;
	esac
	T=$(mktemp -d)
	trap store_cleanup EXIT
	# The tests never touch the caller's own store or settings.
	unset BOUNCER_DB BOUNCER_CONFIG
}

new_db() {
	local name=$1 db
	if [[ $BACKEND == sqlite ]]; then
		echo "$T/$name.db"
		return
	fi
	db="bnc_sh_$$_${name//[^a-z0-9]/_}"
	bnc_pg_newdb "$db"
}

finish() {
	echo "$(basename "$0") $BACKEND: $checks checks, $failures failed"
	((failures == 0))
}
