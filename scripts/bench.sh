#!/usr/bin/env bash
# ./ledger bench: W1 against the real service and the real PostgreSQL (default durability), with
# pgbench TPC-B measured on the same PostgreSQL before and after as the anchor. Prints a table,
# writes a JSON report under bench/reports/. Never fails on timing; fails only if it cannot run.
set -euo pipefail

LEDGER_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$LEDGER_ROOT"
# shellcheck source=pg.sh
. "$LEDGER_ROOT/scripts/pg.sh"

W1_SECONDS=${BENCH_W1_SECONDS:-60}
ANCHOR_SECONDS=${BENCH_ANCHOR_SECONDS:-20}
CLIENTS=${BENCH_CLIENTS:-32}
FUNDS=${BENCH_FUNDS:-100}
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
        wait "$service_pid" 2>/dev/null || true
    fi
    if [ "$PG_STARTED_HERE" = 1 ]; then pg_stop; fi
    return 0
}
trap cleanup EXIT

echo "bench: building" >&2
mvn -B -q -Dstyle.color=never -DskipTests package
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

pg_recreate_database aidledger_bench
echo "bench: starting the ledger on aidledger_bench (log .ledger/bench-service.log)" >&2
LEDGER_DB_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/aidledger_bench" LEDGER_DB_USER=ledger \
    LEDGER_DB_PASSWORD="" LEDGER_HTTP_PORT=$HTTP_PORT LEDGER_GRPC_PORT=$GRPC_PORT \
    java -jar "$JAR" >"$PG_HOME/bench-service.log" 2>&1 &
service_pid=$!
for _ in $(seq 1 90); do
    curl -sf "http://localhost:$HTTP_PORT/actuator/health" >/dev/null && break
    sleep 1
done
curl -sf "http://localhost:$HTTP_PORT/actuator/health" >/dev/null || {
    echo "bench: the ledger did not start; see .ledger/bench-service.log" >&2
    exit 1
}

before=$(anchor)
echo "bench: W1 administration mix, $CLIENTS clients, $FUNDS funds, ${W1_SECONDS} s" >&2
w1=$(java -cp bench/target/classes org.aidledger.bench.W1AdministrationMix \
    "http://localhost:$HTTP_PORT" "$W1_SECONDS" "$CLIENTS" "$FUNDS")
after=$(anchor)

mkdir -p "$REPORTS"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
report="$REPORTS/bench-$stamp.json"
python3 - "$w1" "$before" "$after" "$report" <<'PY'
import json, os, platform, sys
w1 = json.loads(sys.argv[1])
before, after = float(sys.argv[2]), float(sys.argv[3])
anchor = (before + after) / 2
ratio = w1["commandsPerSecond"] / anchor if anchor else 0
report = {
    "machine": {"cores": os.cpu_count(), "platform": platform.platform()},
    "W1": dict(w1, anchorTps={"before": before, "after": after, "mean": anchor},
               ratio=round(ratio, 3), target=1.0, floor=0.5),
}
with open(sys.argv[4], "w") as f:
    json.dump(report, f, indent=2)
print()
print("| workload | figure | value | anchor (pgbench TPC-B tps, mean of before/after) | ratio | target |")
print("|---|---|---|---|---|---|")
print(f"| W1 administration mix | commands/s | {w1['commandsPerSecond']:.1f} | {anchor:.1f} ({before:.1f} / {after:.1f}) | {ratio:.3f} | >= 1.0 (floor 0.5) |")
print(f"| W1 | p50 / p99 latency | {w1['p50Ms']:.1f} ms / {w1['p99Ms']:.1f} ms | | | |")
print(f"| W1 | projection lag p99 | {w1['projectionLagP99Ms']} ms | | | |")
print(f"| W1 | commands / refused / failed | {w1['commands']} / {w1['refused']} / {w1['failed']} | | | |")
print()
print("report:", sys.argv[4])
PY
