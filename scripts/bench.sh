#!/usr/bin/env bash
# ./ledger bench [w1] [w2] [w4] [w3] [w5]: workloads against the real service and the real PostgreSQL
# (default durability), each beside an anchor measured on the same PostgreSQL before and after it.
# Prints a table, writes a JSON report under bench/reports/. Never fails on timing; fails only if
# it cannot run. With no arguments it runs W1, W2, W4 and then W3 (which leaves a million events
# in the store, so it goes last). W5 (W1 on an empty store, then on one holding ten million
# events) takes most of an hour and runs only when asked: ./ledger bench w5.
set -euo pipefail

LEDGER_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$LEDGER_ROOT"
# shellcheck source=pg.sh
. "$LEDGER_ROOT/scripts/pg.sh"
# shellcheck source=bench_build.sh
. "$LEDGER_ROOT/scripts/bench_build.sh"

W1_SECONDS=${BENCH_W1_SECONDS:-60}
ANCHOR_SECONDS=${BENCH_ANCHOR_SECONDS:-20}
CLIENTS=${BENCH_CLIENTS:-32}
FUNDS=${BENCH_FUNDS:-100}
W2_LINES=${BENCH_W2_LINES:-100000}
W4_SECONDS=${BENCH_W4_SECONDS:-30}
W3_EVENTS=${BENCH_W3_EVENTS:-1000000}
W5_EVENTS=${BENCH_W5_EVENTS:-10000000}
WARMUP_SECONDS=${BENCH_WARMUP_SECONDS:-60}
WARMUP_MAX_SECONDS=${BENCH_WARMUP_MAX_SECONDS:-180}
WARMED=0
# W4 warms up for 15 s, then in 5-s steps while the service's JIT compiler used more than 0.25 s
# of CPU in the last one, up to 60 s (BENCH_W4_WARMUP_SECONDS=15 BENCH_W4_WARMUP_MAX_SECONDS=15
# gives the measure before 2026-11-27: 15 s, whatever the compiler was doing).
W4_WARMUP_SECONDS=${BENCH_W4_WARMUP_SECONDS:-15}
W4_WARMUP_MAX_SECONDS=${BENCH_W4_WARMUP_MAX_SECONDS:-60}
WORKLOADS=${*:-w1 w2 w4 w3}
HTTP_PORT=${BENCH_HTTP_PORT:-18080}
GRPC_PORT=${BENCH_GRPC_PORT:-19090}
REPORTS="$LEDGER_ROOT/bench/reports"
JAR="$LEDGER_ROOT/infra/target/aid-ledger.jar"

if [ -n "${LEDGER_DB_URL:-}" ]; then
    echo "bench: runs on the private cluster only (it drops and creates its databases);" \
        "unset LEDGER_DB_URL" >&2
    exit 2
fi

service_pid=""
cleanup() {
    if [ -n "$service_pid" ] && kill -0 "$service_pid" 2>/dev/null; then
        kill -TERM "$service_pid" 2>/dev/null || true
        # A service that cannot shut down (one out of memory did not) is killed after 60 s, so
        # that it does not hold the bench's ports and database for the next run.
        for _ in $(seq 1 60); do
            kill -0 "$service_pid" 2>/dev/null || break
            sleep 1
        done
        kill -KILL "$service_pid" 2>/dev/null || true
        wait "$service_pid" 2>/dev/null || true
    fi
    if [ "$PG_STARTED_HERE" = 1 ]; then pg_stop; fi
    return 0
}
trap cleanup EXIT

echo "bench: building" >&2
BENCH_CP=$(bench_build)
pg_start
pgbench_bin=$(pg_tool pgbench)

# The anchor: pgbench TPC-B, scale 10, the same clients, on the same PostgreSQL.
if ! pg_psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'aidledger_pgbench'" \
    | grep -q 1; then
    pg_psql -d postgres -qc "CREATE DATABASE aidledger_pgbench" >/dev/null
    echo "bench: initialising pgbench scale 10" >&2
    "$pgbench_bin" -h 127.0.0.1 -p "$PG_PORT" -U ledger -i -s 10 -q aidledger_pgbench \
        >/dev/null 2>&1
fi
anchor() {
    echo "bench: anchor pgbench TPC-B, $CLIENTS clients, ${ANCHOR_SECONDS} s" >&2
    "$pgbench_bin" -h 127.0.0.1 -p "$PG_PORT" -U ledger -c "$CLIENTS" -j 2 -n \
        -T "$ANCHOR_SECONDS" aidledger_pgbench 2>/dev/null \
        | sed -n 's/^tps = \([0-9.]*\).*/\1/p' | head -1
}
# pgbench -S (select only): prints "tps p99_ms", p99 from a 10% sample of the transaction log.
anchor_select() {
    echo "bench: anchor pgbench -S, $CLIENTS clients, ${ANCHOR_SECONDS} s" >&2
    local logs
    logs=$(mktemp -d)
    local tps
    tps=$(cd "$logs" && "$pgbench_bin" -h 127.0.0.1 -p "$PG_PORT" -U ledger -S -c "$CLIENTS" \
        -j 2 -n -T "$ANCHOR_SECONDS" -l --sampling-rate=0.1 --log-prefix=pgb \
        aidledger_pgbench 2>/dev/null | sed -n 's/^tps = \([0-9.]*\).*/\1/p' | head -1)
    local p99
    p99=$(cat "$logs"/pgb.* | awk '{print $3}' | sort -n \
        | awk '{v[NR]=$1} END {i=int(NR*0.99); if (i<1) i=1; printf "%.2f", v[i]/1000}')
    rm -rf "$logs"
    echo "$tps $p99"
}

pg_recreate_database aidledger_bench
echo "bench: starting the ledger on aidledger_bench (log .ledger/bench-service.log)" >&2
LEDGER_DB_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/aidledger_bench" LEDGER_DB_USER=ledger \
    LEDGER_DB_PASSWORD="" LEDGER_HTTP_PORT=$HTTP_PORT LEDGER_GRPC_PORT=$GRPC_PORT \
    java ${BENCH_SERVICE_JAVA_OPTS:-} -jar "$JAR" >"$PG_HOME/bench-service.log" 2>&1 &
service_pid=$!
for _ in $(seq 1 90); do
    curl -sf "http://localhost:$HTTP_PORT/actuator/health" >/dev/null && break
    kill -0 "$service_pid" 2>/dev/null || break
    sleep 1
done
curl -sf "http://localhost:$HTTP_PORT/actuator/health" >/dev/null || {
    # The log's end here too: the next run overwrites the file.
    echo "bench: the ledger did not start; see .ledger/bench-service.log, which ends:" >&2
    tail -n 15 "$PG_HOME/bench-service.log" | cut -c1-300 | sed 's/^/bench:   /' >&2
    kill -0 "$service_pid" 2>/dev/null || echo "bench: the service process has exited" >&2
    exit 1
}

# W1 between two TPC-B anchors. Sets W1_RESULT (W1's JSON) and W1_ANCHORS ("before, after").
anchored_w1() {
    local before after
    before=$(anchor)
    echo "bench: $1 ($CLIENTS clients, $FUNDS funds, ${W1_SECONDS} s)" >&2
    local jit
    jit=$(compiler_cpu)
    W1_RESULT=$(java -cp "$BENCH_CP" org.aidledger.bench.W1AdministrationMix \
        "http://localhost:$HTTP_PORT" "$W1_SECONDS" "$CLIENTS" "$FUNDS")
    jit=$(compiler_cpu_since "$jit")
    W1_RESULT="${W1_RESULT%\}}, \"warmupSeconds\": $WARMED, \"compilerCpuSeconds\": $jit}"
    after=$(anchor)
    W1_ANCHORS="$before, $after"
}

# CPU seconds the service's JIT compiler threads have used so far (from /proc).
compiler_cpu() {
    local tick
    tick=$(getconf CLK_TCK)
    cat /proc/"$service_pid"/task/*/stat 2>/dev/null | awk -v tick="$tick" '
        { comm = $0; sub(/^[^(]*\(/, "", comm); sub(/\).*$/, "", comm)
          rest = $0; sub(/^.*\) /, "", rest); split(rest, f, " ")
          if (comm ~ /^C[12] CompilerThre/) sum += f[12] + f[13] }
        END { printf "%.2f", sum / tick }'
}

# CPU seconds the JIT compiler threads have used since compiler_cpu gave $1.
compiler_cpu_since() {
    awk -v a="$1" -v b="$(compiler_cpu)" 'BEGIN {printf "%.2f", b - a}'
}

# W1 for $1 seconds on 10 funds of its own, its figures thrown away.
unmeasured_w1() {
    java -cp "$BENCH_CP" org.aidledger.bench.W1AdministrationMix \
        "http://localhost:$HTTP_PORT" "$1" "$CLIENTS" 10 >/dev/null
}

# W1 on 10 funds of their own, not measured: a cold service compiles its hot paths during the
# first part of the load, which W1 would otherwise count against the ledger. WARMUP_SECONDS
# (60) first, then 15 s more at a time while the JIT compiler still used more than 0.75 s of
# CPU (5 % of a core) in the last 15 s, up to WARMUP_MAX_SECONDS (180) in all; W1's report
# gives the warm-up's length and the compiler's CPU during the measured minute. After 15 s of
# warm-up (the setting until the early hours of 2026-11-26) the compiler was still at work for
# the first 20 s of the measured minute (JFR: 4.7, 4.1 and 2.7 s of compile time in its first
# three 10-second spans); after 60 s it still used 2.4-5.9 s of CPU in the first 30 s (/proc),
# and under continuous load it went quiet only after about 80 s.
# BENCH_WARMUP_SECONDS=15 BENCH_WARMUP_MAX_SECONDS=15 gives the oldest measure.
warm_up() {
    echo "bench: warming the service up ($WARMUP_SECONDS s of W1, not measured)" >&2
    unmeasured_w1 "$WARMUP_SECONDS"
    WARMED=$WARMUP_SECONDS
    local before used
    while [ "$WARMED" -lt "$WARMUP_MAX_SECONDS" ]; do
        before=$(compiler_cpu)
        unmeasured_w1 15 2>/dev/null
        WARMED=$((WARMED + 15))
        used=$(compiler_cpu_since "$before")
        echo "bench: warm-up at $WARMED s; the JIT compiler used $used s of CPU in the last 15 s" >&2
        # An if, not "&& break": a last step still over the bound would end the loop, and so
        # the function, with awk's status 1, and set -e would stop the whole bench.
        if awk -v u="$used" 'BEGIN {exit !(u < 0.75)}'; then
            break
        fi
    done
}

seed_events() {
    java -cp "$JAR" -Dloader.path=bench/target/classes \
        -Dloader.main=org.aidledger.bench.W3Events \
        org.springframework.boot.loader.launch.PropertiesLauncher seed \
        "jdbc:postgresql://127.0.0.1:$PG_PORT/aidledger_bench" ledger "$1" 1000
}

await_projections() {
    while :; do
        head=$(curl -sf -u auditor:auditor-pass \
            "http://localhost:$HTTP_PORT/api/v1/audit/chain/head" \
            | sed -n 's/.*"globalIndex":\([0-9]*\).*/\1/p')
        at=$(curl -sf -u admin:admin-pass "http://localhost:$HTTP_PORT/api/v1/admin/projections" \
            | python3 -c 'import json,sys; print(min(json.load(sys.stdin).values()))')
        [ -n "$head" ] && [ "$at" -ge "$head" ] && break
        echo "bench: projections at $at of $head" >&2
        sleep 10
    done
}

# Vacuumed and analysed, as pgbench -i does after loading, then a checkpoint: set-up, so that
# a workload and its anchors do not share the cores with autovacuum's pass over the rows the
# workload before it (or the seeding) left, nor with writing out their pages. W1, and W5's first
# step, keep the debt of their own warm-up: it is part of their steady load of writes. In one run,
# autovacuum went over W1's and W2's rows from 22:39:54 to 22:41:03, through W4's first anchor
# and its warm-up; W4 had given 0.174 of its anchor in the full run before, 0.317 alone.
settle() {
    echo "bench: VACUUM ANALYZE and CHECKPOINT before $1 (set-up, not measured)" >&2
    pg_psql -d aidledger_bench -qc "VACUUM ANALYZE" >/dev/null
    pg_psql -d aidledger_bench -qc "CHECKPOINT" >/dev/null
}

results="$PG_HOME/bench-results.jsonl"
: >"$results"
for w in $WORKLOADS; do
    case "$w" in
        w1)
            warm_up
            anchored_w1 "W1 administration mix"
            echo "{\"W1\": $W1_RESULT, \"anchor\": [$W1_ANCHORS]}" >>"$results" ;;
        w2)
            settle W2
            echo "bench: W2 festival round, one batch of $W2_LINES payouts" >&2
            w2=$(java -cp "$BENCH_CP" org.aidledger.bench.W2FestivalRound \
                "http://localhost:$HTTP_PORT" \
                "jdbc:postgresql://127.0.0.1:$PG_PORT/aidledger_pgbench" ledger "$W2_LINES")
            echo "{\"W2\": $w2}" >>"$results" ;;
        w4)
            settle W4
            read -r before_tps before_p99 <<<"$(anchor_select)"
            echo "bench: W4 partner reads over gRPC, $CLIENTS callers, ${W4_SECONDS} s" >&2
            w4=$(java -cp "$BENCH_CP" org.aidledger.bench.W4PartnerReads \
                "http://localhost:$HTTP_PORT" 127.0.0.1 "$GRPC_PORT" "$W4_SECONDS" "$CLIENTS" \
                "$FUNDS" "$W4_WARMUP_SECONDS" "$service_pid" "$W4_WARMUP_MAX_SECONDS")
            read -r after_tps after_p99 <<<"$(anchor_select)"
            echo "{\"W4\": $w4, \"anchor\": [[$before_tps, $before_p99], [$after_tps, $after_p99]]}" \
                >>"$results" ;;
        w3)
            bench_db="jdbc:postgresql://127.0.0.1:$PG_PORT/aidledger_bench"
            echo "bench: W3 writing $W3_EVENTS events into the store (set-up, not measured)" >&2
            seed_events "$W3_EVENTS"
            echo "bench: W3 waiting for the live projections to take them in" >&2
            await_projections
            # The seeding, the live projections and the vacuum leave some 2 GB of new pages,
            # which the checkpointer and the kernel otherwise write out while the anchor and
            # the replay run.
            settle W3
            before=$(java -cp "$BENCH_CP" org.aidledger.bench.W3Events anchor "$bench_db" ledger)
            echo "bench: anchor keyset read $before rows/s; W3 replay (./ledger audit replay)" >&2
            # Shown as it runs through the script's own stderr (tee to /dev/stderr opened the
            # log file again when stderr was one, and the replay's lines overwrote each other).
            # The launcher's own lines on standard error are shown: the first replay after a
            # build is preceded by the rehearsal that records its class archive (not timed).
            replay=$(ledger_audit_on "$bench_db" replay 2> >(grep '^ledger:' >&2) \
                | tee >(cat >&2) || true)
            after=$(java -cp "$BENCH_CP" org.aidledger.bench.W3Events anchor "$bench_db" ledger)
            line=$(printf '%s\n' "$replay" | grep "events replayed in" | tail -1)
            events=$(echo "$line" | awk '{print $1}')
            seconds=$(echo "$line" | awk '{print $5}')
            compare=$(printf '%s\n' "$replay" | grep -q "^OK" && echo OK || echo DIFFERS)
            echo "{\"W3\": {\"events\": $events, \"seconds\": $seconds, \"compare\": \"$compare\"}, \"anchor\": [$before, $after]}" \
                >>"$results" ;;
        w5)
            warm_up
            anchored_w1 "W5 step 1, W1 on the store as it is"
            small=$W1_RESULT
            small_anchors=$W1_ANCHORS
            echo "bench: W5 writing $W5_EVENTS events (set-up, not measured)" >&2
            seed_events "$W5_EVENTS"
            echo "bench: W5 waiting for the live projections to take them in" >&2
            await_projections
            settle "W5 step 2"
            anchored_w1 "W5 step 2, W1 on the grown store"
            echo "{\"W5\": {\"seeded\": $W5_EVENTS, \"empty\": $small, \"grown\": $W1_RESULT}, \"anchor\": [[$small_anchors], [$W1_ANCHORS]]}" \
                >>"$results" ;;
        *) echo "bench: unknown workload $w (w1, w2, w4, w3, w5)" >&2; exit 2 ;;
    esac
done

mkdir -p "$REPORTS"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
report="$REPORTS/bench-$stamp.json"
python3 "$LEDGER_ROOT/scripts/bench_report.py" "$results" "$report"
