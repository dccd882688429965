#!/usr/bin/env bash
# Loads a small, living ledger into a running Aid Ledger through its public REST API, then prints
# the balances. Safe to run again: every run uses fresh ids, tagged with the time it ran.
set -euo pipefail

BASE=${LEDGER_URL:-http://localhost:${LEDGER_HTTP_PORT:-8080}}
API="$BASE/api/v1"
TAG=$(date +%m%d%H%M%S)

if ! curl -sf "$BASE/actuator/health" >/dev/null; then
    echo "demo: no ledger answers at $BASE; start it first with ./ledger run" >&2
    exit 1
fi

# post USER PATH JSON -> prints the response body; stops the demo on any refusal.
post() {
    local user=$1 path=$2 body=$3 out status tx
    # Each step gets its own client transaction id; post often runs in a subshell, so no counter.
    tx="demo-$TAG-$(cut -c1-8 /proc/sys/kernel/random/uuid)"
    out=$(mktemp)
    status=$(curl -sS -o "$out" -w '%{http_code}' -u "$user" -X POST "$API$path" \
        -H 'Content-Type: application/json' -H "Client-Transaction-Id: $tx" \
        -d "$body")
    if [ "${status:0:1}" != 2 ]; then
        echo "demo: POST $path answered $status:" >&2
        cat "$out" >&2
        echo >&2
        rm -f "$out"
        exit 1
    fi
    cat "$out"
    rm -f "$out"
}

# Prints one field of a JSON answer; quiet when there is none (post has already said why).
field() {
    python3 -c "
import json, sys
try:
    print(json.load(sys.stdin)['$1'])
except Exception:
    sys.exit(1)
"
}

ADMIN=admin:admin-pass
CITY="city-$TAG"; UNION="union-$TAG"; PARTNER="rcc-$TAG"
HARDSHIP="hardship-$TAG"; REEMPLOY="reemploy-$TAG"
# The funds open half a year back so that the demo can record a loan already under way.
OPENED=$(date -d 'today - 6 months' +%F)

echo "demo: union bodies, partner credit union and funds ($TAG)"
post $ADMIN /union-bodies "{\"bodyId\":\"$CITY\",\"name\":\"市总工会\",\"level\":\"CITY\"}" >/dev/null
post $ADMIN /union-bodies "{\"bodyId\":\"$UNION\",\"name\":\"机械厂基层工会\",\"level\":\"GRASSROOTS\",\"parentId\":\"$CITY\"}" >/dev/null
post $ADMIN /partners "{\"partnerId\":\"$PARTNER\",\"name\":\"城郊农村信用合作社\"}" >/dev/null
post $ADMIN /funds "{\"fundId\":\"$HARDSHIP\",\"bodyId\":\"$UNION\",\"name\":\"困难职工帮扶资金\",\"purpose\":\"HARDSHIP\",\"currency\":\"CNY\",\"approvalThreshold\":\"2000.00\",\"valueDate\":\"$OPENED\"}" >/dev/null
post $ADMIN /funds "{\"fundId\":\"$REEMPLOY\",\"bodyId\":\"$CITY\",\"name\":\"再就业资金\",\"purpose\":\"REEMPLOYMENT\",\"currency\":\"CNY\",\"approvalThreshold\":\"5000.00\",\"valueDate\":\"$OPENED\"}" >/dev/null

echo "demo: donations from companies and individuals"
donate() {
    post $ADMIN "/funds/$HARDSHIP/donations" "$1" >/dev/null
}
donate '{"donorType":"COMPANY","donorRef":"steelworks-01","campaign":"送温暖 2027","amount":"50000.00","currency":"CNY"}'
donate '{"donorType":"COMPANY","donorRef":"textile-02","amount":"20000.00","currency":"CNY"}'
donate '{"donorType":"COMPANY","donorRef":"bus-company-03","campaign":"送温暖 2027","amount":"15000.00","currency":"CNY"}'
donate '{"donorType":"INDIVIDUAL","donorRef":"member-1138","restrictedPurpose":"EDUCATION","amount":"3000.00","currency":"CNY"}'
donate '{"donorType":"ANONYMOUS","amount":"888.88","currency":"CNY"}'

echo "demo: a government subsidy and a reserve at the credit union"
post $ADMIN "/funds/$REEMPLOY/allocations" '{"source":"市人社局","kind":"GOVERNMENT_SUBSIDY","amount":"200000.00","currency":"CNY"}' >/dev/null
post $ADMIN "/funds/$REEMPLOY/reserves/$PARTNER/deposits" '{"amount":"80000.00","currency":"CNY"}' >/dev/null

echo "demo: hardship payouts"
pay_out() {
    local id
    id=$(post $ADMIN "/funds/$HARDSHIP/payouts" "$1" | field payoutId)
    post $ADMIN "/funds/$HARDSHIP/payouts/$id/pay" '{}' >/dev/null
}
pay_out '{"beneficiaryId":"file-0007","category":"FESTIVAL","amount":"800.00","currency":"CNY","reason":"春节慰问"}'
pay_out '{"beneficiaryId":"file-0012","category":"HOSPITAL_VISIT","amount":"500.00","currency":"CNY","reason":"住院探访"}'
pay_out '{"beneficiaryId":"file-0031","category":"MEDICAL","amount":"1800.00","currency":"CNY","reason":"大病医疗救助"}'
pay_out '{"beneficiaryId":"file-0044","category":"EDUCATION","amount":"1500.00","currency":"CNY","reason":"助学金"}'
waiting=$(post $ADMIN "/funds/$HARDSHIP/payouts" '{"beneficiaryId":"file-0052","category":"EMERGENCY","amount":"3000.00","currency":"CNY","reason":"房屋火灾应急救助"}')
echo "demo: a 3000.00 emergency payout is $(echo "$waiting" | field status) (above the 2000.00 threshold; an approver decides it)"

echo "demo: a microloan from the re-employment fund, and an interest-subsidised loan at the partner"
LOAN=$(post $ADMIN "/funds/$REEMPLOY/loans" '{"borrowerId":"laidoff-0021","principal":"30000.00","currency":"CNY","annualRate":"0.0435","termMonths":24,"method":"EQUAL_INSTALMENTS","purpose":"早餐店开业"}' | field loanId)
post approver:approver-pass "/funds/$REEMPLOY/loans/$LOAN/approve" '{}' >/dev/null
post $ADMIN "/funds/$REEMPLOY/loans/$LOAN/disburse" '{}' >/dev/null
SUBSIDISED=$(post $ADMIN "/funds/$REEMPLOY/subsidised-loans" "{\"partnerId\":\"$PARTNER\",\"borrowerId\":\"laidoff-0034\",\"principal\":\"100000.00\",\"currency\":\"CNY\",\"annualRate\":\"0.0435\",\"termMonths\":36,\"method\":\"EQUAL_INSTALMENTS\",\"subsidyShare\":\"1\",\"subsidyCap\":\"8000.00\",\"firstDueDate\":\"$(date -d 'today - 1 month' +%F)\",\"valueDate\":\"$(date -d 'today - 2 months' +%F)\"}" | field loanId)
post $ADMIN "/funds/$REEMPLOY/subsidised-loans/$SUBSIDISED/subsidies" '{"period":1}' >/dev/null

PRINT_BALANCES='
import json, sys
b = json.load(sys.stdin)
print("%s  (%s)" % (b["fundId"], b["currency"]))
rows = [("cash", b["cash"]), ("committed", b["committed"]), ("available", b["available"]),
        ("loans receivable", b["loansReceivable"])]
rows += [("reserve at " + k, v) for k, v in b["reserves"].items()]
rows += list(b["income"].items()) + list(b["expense"].items())
for label, amount in rows:
    print("  %-36s%14s" % (label, amount))
print()
'

# Projections follow the events asynchronously; give them a moment before reading.
sleep 1
echo
for fund in "$HARDSHIP" "$REEMPLOY"; do
    curl -sf -u auditor:auditor-pass "$API/funds/$fund/balances" | python3 -c "$PRINT_BALANCES"
done
echo "demo: browse more at $BASE/swagger-ui.html (user admin / admin-pass, auditor / auditor-pass)"
