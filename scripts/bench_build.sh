# Shared by scripts/bench.sh and scripts/chaos.sh: builds the ledger and the load generators and
# prints the class path the load generators run with. Expects LEDGER_ROOT.
bench_build() {
    # Called as $(bench_build), where set -e does not reach: a failed build must end the run
    # here, or the workloads would measure the jar of the last build that worked.
    mvn -B -q -Dstyle.color=never -DskipTests install >&2 || return 1
    mvn -B -q -Dstyle.color=never -pl bench dependency:build-classpath \
        -Dmdep.outputFile="$LEDGER_ROOT/bench/target/classpath.txt" >&2 || return 1
    echo "bench/target/classes:$(cat "$LEDGER_ROOT/bench/target/classpath.txt")"
}

# The auditor's tools (./ledger audit ...) against the database at $1, which must exist.
ledger_audit_on() {
    local url=$1
    shift
    LEDGER_DB_URL="$url" LEDGER_DB_USER=ledger LEDGER_DB_PASSWORD="" \
        "$LEDGER_ROOT/ledger" audit "$@"
}
