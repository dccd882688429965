# shellcheck shell=bash
# PostgreSQL for the ledger: an external database named by LEDGER_DB_URL, or a private cluster
# kept in .ledger/pgdata inside the checkout. Sourced by ./ledger; sets LEDGER_DB_URL/USER/PASSWORD.

LEDGER_ROOT=${LEDGER_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
PG_PORT=${LEDGER_PG_PORT:-54329}
PG_HOME="$LEDGER_ROOT/.ledger"
PG_DATA="$PG_HOME/pgdata"
PG_LOG="$PG_HOME/postgres.log"
PG_SOCKETS="$PG_HOME/run"
PG_SUPERUSER=ledger
PG_STARTED_HERE=0
PG_BIN=""

pg_say() { printf 'ledger: %s\n' "$*" >&2; }

# PostgreSQL refuses to run as root, so as root every server command runs as user postgres.
pg_as_owner() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

pg_find_binaries() {
    if command -v pg_ctl >/dev/null 2>&1 && command -v initdb >/dev/null 2>&1; then
        PG_BIN=$(dirname "$(command -v pg_ctl)")
        return 0
    fi
    local dir
    for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        if [ -x "$dir/pg_ctl" ] && [ -x "$dir/initdb" ]; then
            PG_BIN=$dir
            return 0
        fi
    done
    pg_say "PostgreSQL server binaries (initdb, pg_ctl) were not found."
    pg_say "Install them with:  apt-get install -y postgresql-15"
    pg_say "or point the ledger at an existing database with LEDGER_DB_URL, LEDGER_DB_USER"
    pg_say "and LEDGER_DB_PASSWORD."
    return 1
}

pg_check_reachable_by_owner() {
    [ "$(id -u)" = 0 ] || return 0
    id postgres >/dev/null 2>&1 || {
        pg_say "running as root needs the 'postgres' user (it comes with postgresql-15)"
        return 1
    }
    if ! runuser -u postgres -- test -x "$LEDGER_ROOT"; then
        pg_say "user postgres cannot reach $LEDGER_ROOT; every parent folder must be"
        pg_say "traversable (chmod o+x on each), or set LEDGER_DB_URL to another database."
        return 1
    fi
}

# A client tool from the same installation as the server where it has one, else from PATH.
pg_tool() {
    local name=$1 dir
    if [ -x "$PG_BIN/$name" ]; then
        echo "$PG_BIN/$name"
        return 0
    fi
    if command -v "$name" >/dev/null 2>&1; then
        command -v "$name"
        return 0
    fi
    for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        if [ -x "$dir/$name" ]; then
            echo "$dir/$name"
            return 0
        fi
    done
    pg_say "$name was not found; install it with: apt-get install -y postgresql-client-15"
    return 1
}

pg_is_up() {
    "$(pg_tool pg_isready)" -q -h 127.0.0.1 -p "$PG_PORT" >/dev/null 2>&1
}

pg_ours_is_running() {
    [ -f "$PG_DATA/postmaster.pid" ] && pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DATA" status \
        >/dev/null 2>&1
}

pg_init() {
    [ -f "$PG_DATA/PG_VERSION" ] && return 0
    pg_say "creating a private PostgreSQL cluster in $PG_DATA"
    mkdir -p "$PG_DATA" "$PG_SOCKETS"
    if [ "$(id -u)" = 0 ]; then
        chown postgres "$PG_HOME" "$PG_DATA" "$PG_SOCKETS"
        chmod 700 "$PG_DATA"
    fi
    pg_as_owner "$PG_BIN/initdb" -D "$PG_DATA" -U "$PG_SUPERUSER" --auth=trust \
        --encoding=UTF8 --no-locale >"$PG_HOME/initdb.log" 2>&1 || {
        pg_say "initdb failed; see $PG_HOME/initdb.log"
        return 1
    }
    # Defaults stay durable (fsync and synchronous_commit on): this holds other people's money.
    cat >>"$PG_DATA/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
max_connections = 200
shared_buffers = 256MB
CONF
}

# Starts the private cluster unless it is already running; remembers whether it started it.
pg_start() {
    pg_find_binaries || return 1
    pg_check_reachable_by_owner || return 1
    mkdir -p "$PG_HOME"
    if pg_ours_is_running; then
        return 0
    fi
    if pg_is_up; then
        pg_say "port $PG_PORT is taken by another PostgreSQL; choose another with LEDGER_PG_PORT"
        return 1
    fi
    pg_init || return 1
    mkdir -p "$PG_SOCKETS"
    [ "$(id -u)" = 0 ] && chown postgres "$PG_SOCKETS" "$PG_HOME"
    touch "$PG_LOG"
    [ "$(id -u)" = 0 ] && chown postgres "$PG_LOG"
    pg_say "starting PostgreSQL on 127.0.0.1:$PG_PORT (log: $PG_LOG)"
    pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t 60 \
        -o "-p $PG_PORT -k $PG_SOCKETS" start >/dev/null || {
        pg_say "PostgreSQL did not start; the end of $PG_LOG says:"
        tail -n 20 "$PG_LOG" >&2
        return 1
    }
    PG_STARTED_HERE=1
    local waited=0
    until pg_is_up; do
        sleep 1
        waited=$((waited + 1))
        if [ "$waited" -ge 30 ]; then
            pg_say "PostgreSQL is not accepting connections after 30 s; see $PG_LOG"
            return 1
        fi
    done
}

pg_stop() {
    [ -n "$PG_BIN" ] || pg_find_binaries || return 1
    if pg_ours_is_running; then
        pg_say "stopping PostgreSQL"
        pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null || true
    fi
}

pg_psql() {
    "$(pg_tool psql)" -h 127.0.0.1 -p "$PG_PORT" -U "$PG_SUPERUSER" "$@"
}

pg_ensure_database() {
    local db=$1
    if ! pg_psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'" \
        | grep -q 1; then
        pg_psql -d postgres -qc "CREATE DATABASE $db" >/dev/null
    fi
}

pg_recreate_database() {
    local db=$1
    pg_psql -d postgres -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null
    pg_psql -d postgres -qc "CREATE DATABASE $db" >/dev/null
}

# Makes LEDGER_DB_URL/USER/PASSWORD point at a database, starting the private cluster if needed.
# $1: the database name in the private cluster; $2: "fresh" to drop and recreate it first.
pg_use_database() {
    local db=$1 fresh=${2:-}
    if [ -n "${LEDGER_DB_URL:-}" ]; then
        export LEDGER_DB_USER=${LEDGER_DB_USER:-ledger} LEDGER_DB_PASSWORD=${LEDGER_DB_PASSWORD:-}
        return 0
    fi
    pg_start || return 1
    if [ "$fresh" = fresh ]; then
        pg_recreate_database "$db"
    else
        pg_ensure_database "$db"
    fi
    export LEDGER_DB_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/$db"
    export LEDGER_DB_USER=$PG_SUPERUSER
    export LEDGER_DB_PASSWORD=""
}
