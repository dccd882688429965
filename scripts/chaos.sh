#!/usr/bin/env bash
# ./ledger chaos [crash] [db-restart] [nodes] [long-tests]: fault scenarios against real service
# processes and the real PostgreSQL (private cluster, database aidledger_chaos). Each prints its
# figures; the command exits non-zero when any invariant is broken. Takes several minutes.
set -euo pipefail

LEDGER_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$LEDGER_ROOT"
# shellcheck source=pg.sh
. "$LEDGER_ROOT/scripts/pg.sh"
# shellcheck source=bench_build.sh
. "$LEDGER_ROOT/scripts/bench_build.sh"

SCENARIOS=${*:-crash db-restart nodes long-tests}
CRASH_SECONDS=${CHAOS_CRASH_SECONDS:-120}
DB_RESTART_SECONDS=${CHAOS_DB_RESTART_SECONDS:-60}
NODES_SECONDS=${CHAOS_NODES_SECONDS:-40}
CLIENTS=${CHAOS_CLIENTS:-16}
FUNDS=${CHAOS_FUNDS:-10}
JAR="$LEDGER_ROOT/infra/target/aid-ledger.jar"
DB=aidledger_chaos

if [ -n "${LEDGER_DB_URL:-}" ]; then
    echo "chaos: runs on the private cluster only (it drops and creates its database);" \
        "unset LEDGER_DB_URL" >&2
    exit 2
fi

declare -A NODE_PID=()
cleanup() {
    for n in "${!NODE_PID[@]}"; do
        kill -9 "${NODE_PID[$n]}" 2>/dev/null || true
    done
    if [ "$PG_STARTED_HERE" = 1 ]; then pg_stop; fi
    return 0
}
trap cleanup EXIT

say() { printf 'chaos: %s\n' "$*" >&2; }

echo "chaos: building" >&2
CP=$(bench_build)
pg_start
DB_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/$DB"

http_port() { echo $((18180 + $1)); }
node_url() { echo "http://localhost:$(http_port "$1")"; }

start_node() {
    local n=$1
    LEDGER_DB_URL="$DB_URL" LEDGER_DB_USER=ledger LEDGER_DB_PASSWORD="" \
        LEDGER_HTTP_PORT="$(http_port "$n")" LEDGER_GRPC_PORT=$((19180 + n)) \
        AXONIQ_UPDATE_CHECKER_DISABLED=true \
        java -jar "$JAR" >>"$PG_HOME/chaos-node-$n.log" 2>&1 &
    NODE_PID[$n]=$!
}

wait_healthy() {
    local n=$1
    for _ in $(seq 1 120); do
        curl -sf "$(node_url "$n")/actuator/health" >/dev/null 2>&1 && return 0
        sleep 0.5
    done
    say "node $n did not become healthy; see .ledger/chaos-node-$n.log"
    return 1
}

kill_node() {
    kill -9 "${NODE_PID[$1]}" 2>/dev/null || true
    wait "${NODE_PID[$1]}" 2>/dev/null || true
    unset "NODE_PID[$1]"
}

fresh_database() {
    pg_recreate_database "$DB"
    rm -f "$PG_HOME"/chaos-node-*.log
}

# Acknowledged-but-missing, duplicated effects and cash per fund; then the projections against a
# full replay, and the tamper-evident chain. Returns non-zero when any of them fails.
# verify NODES ACKLOG: NODES is one node's number or several, comma-separated; each of them must
# show every fund's cash as acknowledged (a node that kept a balance in memory and missed its
# change would not).
verify() {
    local nodes=$1 acks=$2 status=0 urls="" n
    for n in ${nodes//,/ }; do urls="${urls:+$urls,}$(node_url "$n")"; done
    java -cp "$CP" org.aidledger.bench.chaos.ChaosLoad verify "$urls" \
        "$DB_URL" ledger "$acks" || status=1
    local out
    out=$(audit replay) || { status=1; say "replay-and-compare found differences"; }
    printf '%s\n' "$out" | tail -3 | sed 's/^/chaos: replay: /'
    out=$(audit verify) || { status=1; say "the event chain does not verify"; }
    printf '%s\n' "$out" | tail -1 | sed 's/^/chaos: chain: /'
    return $status
}

audit() {
    ledger_audit_on "$DB_URL" "$@" 2>/dev/null
}

failures=0

scenario_crash() {
    say "== crash: kill -9 the service every few seconds for ${CRASH_SECONDS} s of load"
    fresh_database
    start_node 1
    wait_healthy 1
    local acks="$PG_HOME/chaos-crash-acks.log"
    java -cp "$CP" org.aidledger.bench.chaos.ChaosLoad load "$(node_url 1)" "$CRASH_SECONDS" \
        "$CLIENTS" "$FUNDS" "$acks" &
    local load=$! kills=0
    sleep 5
    while kill -0 "$load" 2>/dev/null; do
        sleep $((2 + RANDOM % 5))
        kill -0 "$load" 2>/dev/null || break
        kill_node 1
        kills=$((kills + 1))
        say "kill -9 number $kills"
        start_node 1
        wait_healthy 1 || return 1
    done
    wait "$load" || { say "crash: valid requests were refused"; failures=$((failures + 1)); }
    say "crash: $kills kills"
    verify 1 "$acks" || { say "crash: FAILED"; failures=$((failures + 1)); }
    kill_node 1
}

scenario_db_restart() {
    say "== db-restart: PostgreSQL restarted twice during ${DB_RESTART_SECONDS} s of load"
    fresh_database
    start_node 1
    wait_healthy 1
    local acks="$PG_HOME/chaos-db-acks.log"
    java -cp "$CP" org.aidledger.bench.chaos.ChaosLoad load "$(node_url 1)" \
        "$DB_RESTART_SECONDS" "$CLIENTS" "$FUNDS" "$acks" &
    local load=$!
    for _ in 1 2; do
        sleep $((DB_RESTART_SECONDS / 3))
        say "restarting PostgreSQL (pg_ctl restart -m fast)"
        pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w restart \
            -o "-p $PG_PORT -k $PG_SOCKETS" >/dev/null
    done
    wait "$load" || { say "db-restart: valid requests were refused"; failures=$((failures + 1)); }
    verify 1 "$acks" || { say "db-restart: FAILED"; failures=$((failures + 1)); }
    kill_node 1
}

ledger_token_owner() {
    pg_psql -d "$DB" -tAc "SELECT owner FROM tokenentry WHERE processorname = 'ledger'" \
        | head -1
}

scenario_nodes() {
    say "== nodes: two, then three service processes on one PostgreSQL; one is killed"
    fresh_database
    start_node 1
    start_node 2
    wait_healthy 1
    wait_healthy 2
    local acks2="$PG_HOME/chaos-nodes2-acks.log" acks3="$PG_HOME/chaos-nodes3-acks.log"
    java -cp "$CP" org.aidledger.bench.chaos.ChaosLoad overdraw "$(node_url 1),$(node_url 2)" \
        || { say "nodes: overdraw FAILED"; failures=$((failures + 1)); }
    java -cp "$CP" org.aidledger.bench.chaos.ChaosLoad load "$(node_url 1),$(node_url 2)" \
        "$NODES_SECONDS" "$CLIENTS" "$FUNDS" "$acks2" \
        || { say "nodes (two): valid requests were refused"; failures=$((failures + 1)); }
    verify 1,2 "$acks2" || { say "nodes (two): FAILED"; failures=$((failures + 1)); }
    start_node 3
    wait_healthy 3
    java -cp "$CP" org.aidledger.bench.chaos.ChaosLoad overdraw \
        "$(node_url 1),$(node_url 2),$(node_url 3)" \
        || { say "nodes: overdraw FAILED"; failures=$((failures + 1)); }
    java -cp "$CP" org.aidledger.bench.chaos.ChaosLoad load \
        "$(node_url 1),$(node_url 2),$(node_url 3)" "$NODES_SECONDS" "$CLIENTS" "$FUNDS" \
        "$acks3" &
    local load=$!
    sleep $((NODES_SECONDS / 2))
    local owner victim=1
    owner=$(ledger_token_owner)
    for n in 1 2 3; do
        case "$owner" in "${NODE_PID[$n]}@"*) victim=$n ;; esac
    done
    say "the ledger projection is claimed by '$owner' (node $victim): kill -9 node $victim"
    kill_node "$victim"
    wait "$load" || { say "nodes (three): valid requests were refused";
        failures=$((failures + 1)); }
    local survivors="" n
    for n in 1 2 3; do [ "$n" = "$victim" ] || survivors="${survivors:+$survivors,}$n"; done
    verify "$survivors" "$acks3" || { say "nodes (three): FAILED"; failures=$((failures + 1)); }
    say "the ledger projection is now claimed by '$(ledger_token_owner)'"
    for n in "${!NODE_PID[@]}"; do kill_node "$n"; done
}

scenario_long_tests() {
    say "== long versions of the suite's fault tests (long transaction, 100 identical requests," \
        "fuzzing): mvn verify -Dchaos.long=true"
    pg_recreate_database aidledger_chaos_tests
    local log="$PG_HOME/chaos-long-tests.log" status=0
    LEDGER_DB_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/aidledger_chaos_tests" \
        LEDGER_DB_USER=ledger LEDGER_DB_PASSWORD="" \
        mvn -B -Dstyle.color=never -pl infra verify -Dchaos.long=true \
        -Dtest='OutOfOrderCommitTest,GapTimeoutConfigurationTest,IdempotencyTest,RestFuzzTest,GrpcFuzzTest' \
        -Dsurefire.failIfNoSpecifiedTests=false >"$log" 2>&1 || status=$?
    grep -E "Tests run:|FAIL|^chaos" "$log" | grep -v "^\[INFO\] Tests run: .*, Time" || true
    [ "$status" = 0 ] || { say "long tests: FAILED (see .ledger/chaos-long-tests.log)";
        failures=$((failures + 1)); }
}

for s in $SCENARIOS; do
    case "$s" in
        crash) scenario_crash ;;
        db-restart) scenario_db_restart ;;
        nodes) scenario_nodes ;;
        long-tests) scenario_long_tests ;;
        *) say "unknown scenario $s (crash, db-restart, nodes, long-tests)"; exit 2 ;;
    esac
done

if [ "$failures" -gt 0 ]; then
    say "$failures scenario(s) broke an invariant"
    exit 1
fi
say "every scenario kept every invariant"
