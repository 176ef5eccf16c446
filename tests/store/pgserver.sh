# shellcheck shell=bash
# A throwaway PostgreSQL server on loopback for the store tests and the
# benchmark. Source this file, then:
#
#   bnc_pg_start [SERVER-OPTION...]   start one; exports BNC_TEST_PG_URL
#                                     (postgresql://bouncer@127.0.0.1:PORT/
#                                     postgres) and returns 0, or says why
#                                     not on stderr and returns 1
#   bnc_pg_stop                       stop it and remove its files
#   bnc_pg_newdb NAME                 print the URL of a new empty database
#
# The cluster lives in a temporary folder, made with initdb from Debian's
# postgresql package (/usr/lib/postgresql/N/bin), listens on 127.0.0.1 at
# a free port and on a socket in that folder only, trusts local logins,
# and is run by the postgres user when we are root (initdb refuses root).
# Extra SERVER-OPTIONs go to the postgres command line, e.g. "-c
# fsync=off" for tests that never crash the server itself.

bnc_pg_as() {
	if [[ -n ${BNC_PG_USER:-} ]]; then
		runuser -u "$BNC_PG_USER" -- "$@"
	else
		"$@"
	fi
}

bnc_pg_free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

bnc_pg_start() {
	local bindir try port
	bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
	if [[ -z $bindir || ! -x $bindir/initdb || ! -x $bindir/pg_ctl ]]; then
		echo "pgserver: no PostgreSQL server installed (scripts/deps installs it)" >&2
		return 1
	fi
	BNC_PG_BIN=$bindir
	BNC_PG_USER=
	if [[ $(id -u) -eq 0 ]]; then
		if ! id postgres >/dev/null 2>&1; then
			echo "pgserver: running as root and there is no postgres user" >&2
			return 1
		fi
		BNC_PG_USER=postgres
	fi
	BNC_PG_DIR=$(mktemp -d /tmp/bnc-pg.XXXXXX) || return 1
	chmod 700 "$BNC_PG_DIR"
	if [[ -n $BNC_PG_USER ]]; then
		chown "$BNC_PG_USER" "$BNC_PG_DIR"
	fi
	if ! bnc_pg_as "$bindir/initdb" -D "$BNC_PG_DIR/data" -U bouncer \
		-A trust -E UTF8 --locale=C --no-sync >"$BNC_PG_DIR/initdb.log" 2>&1; then
		echo "pgserver: initdb failed:" >&2
		tail -n 20 "$BNC_PG_DIR/initdb.log" >&2
		rm -rf "$BNC_PG_DIR"
		return 1
	fi
	# A free port can be taken between the probe and the bind: try again.
	for try in 1 2 3; do
		port=$(bnc_pg_free_port) || break
		if bnc_pg_as "$bindir/pg_ctl" -D "$BNC_PG_DIR/data" \
			-l "$BNC_PG_DIR/server.log" -w -t 60 -o \
			"-c listen_addresses=127.0.0.1 -p $port -k $BNC_PG_DIR $*" \
			start >/dev/null 2>&1; then
			export BNC_TEST_PG_URL="postgresql://bouncer@127.0.0.1:$port/postgres"
			BNC_PG_PORT=$port
			return 0
		fi
	done
	echo "pgserver: the server did not start:" >&2
	tail -n 20 "$BNC_PG_DIR/server.log" >&2
	rm -rf "$BNC_PG_DIR"
	return 1
}

bnc_pg_stop() {
	if [[ -n ${BNC_PG_DIR:-} && -d $BNC_PG_DIR ]]; then
		bnc_pg_as "$BNC_PG_BIN/pg_ctl" -D "$BNC_PG_DIR/data" -m fast \
			-w -t 30 stop >/dev/null 2>&1 ||
			bnc_pg_as "$BNC_PG_BIN/pg_ctl" -D "$BNC_PG_DIR/data" \
				-m immediate stop >/dev/null 2>&1 || true
		rm -rf "$BNC_PG_DIR"
	fi
	BNC_PG_DIR=
	unset BNC_TEST_PG_URL
}

bnc_pg_newdb() {
	local name=$1
	PGOPTIONS="-c client_min_messages=warning" \
		psql -q -X -v ON_ERROR_STOP=1 "$BNC_TEST_PG_URL" \
		-c "DROP DATABASE IF EXISTS \"$name\"" \
		-c "CREATE DATABASE \"$name\"" >/dev/null || return 1
	echo "${BNC_TEST_PG_URL%/*}/$name"
}
