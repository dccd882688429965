package org.aidledger.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The short version of the input fuzzing: a few hundred generated request bodies, mostly
 * wrong in some way, against the write endpoints. No request may get a 5xx; whatever is
 * accepted must be valid; a refused request writes nothing. The seed is fixed so a failure can
 * be replayed; the long version runs under ./ledger chaos.
 */
class RestFuzzTest extends LedgerIntegrationTest {

    private static final long SEED = 20261125L;
    private static final int CASES = Boolean.getBoolean("chaos.long") ? 4_000 : 400;

    private static final List<String> AMOUNTS = List.of("0", "-1", "1", "0.01", "0.001",
            "1e3", "1E-2", "999999999999999999999", "1000000000.00", "1000000000.01", "NaN",
            "\"12.50\"", "\"abc\"", "\"\"", "null", "true", "[]", "{}", "12.5", "\" 7 \"",
            "\"1,000.00\"", "\"0x10\"", "3.14159", "-0.00", "100000000000");
    private static final List<String> CURRENCIES = List.of("\"CNY\"", "\"USD\"", "\"cny\"",
            "\"\"", "null", "1", "\"XXX\"", "\"CNYY\"", "\"JPY\"", "[]");
    private static final List<String> DONORS = List.of("\"COMPANY\"", "\"INDIVIDUAL\"",
            "\"ANONYMOUS\"", "\"company\"", "\"ROBOT\"", "null", "7", "\"\"");
    private static final List<String> DATES = List.of("\"2026-03-01\"", "\"2999-01-01\"",
            "\"2025-01-01\"", "\"2026-02-30\"", "\"yesterday\"", "null", "20260301",
            "\"2026-3-1\"");
    private static final List<String> PATHS = List.of("/donations", "/allocations",
            "/payouts", "/reversals", "/reserves/{partner}/deposits",
            "/reserves/{partner}/withdrawals", "/loans");

    @Test
    void generatedBodiesNeverBreakTheLedger() {
        String fundId = openFund("500.00");
        donate(fundId, "100000.00");
        Random random = new Random(SEED);
        List<String> serverErrors = new ArrayList<>();
        int accepted = 0;
        for (int i = 0; i < CASES; i++) {
            String path = "/api/v1/funds/" + fundId + pick(random, PATHS)
                    .replace("{partner}", id("cu"));
            String body = body(random, path);
            long events = eventCount(fundId);
            String cash = balances(fundId).get("cash").asText();
            Answer a = post(ADMIN, newTx(), path, body);
            if (a.status() >= 500) {
                serverErrors.add(a.status() + " " + path + " " + body + " -> " + a.raw());
                continue;
            }
            if (a.status() >= 400) {
                assertThat(a.rule()).as(path + " " + body + " -> " + a.raw()).isNotBlank();
                assertThat(eventCount(fundId)).as("refused but written: " + body)
                        .isEqualTo(events);
                assertThat(balances(fundId).get("cash").asText()).isEqualTo(cash);
            } else {
                accepted++;
                // Whatever was accepted carried a valid positive amount of at most two decimals.
                if (!path.endsWith("/reversals")) {
                    String amount = body.replaceAll(
                            ".*\"(amount|principal)\":\\s*\"?([^\",}]*)\"?.*", "$2");
                    BigDecimal value = new BigDecimal(amount.trim());
                    assertThat(value.signum()).as(body).isPositive();
                    assertThat(value.stripTrailingZeros().scale()).as(body)
                            .isLessThanOrEqualTo(2);
                    assertThat(value).as(body).isLessThanOrEqualTo(
                            new BigDecimal("1000000000.00"));
                }
            }
        }
        assertThat(serverErrors).as("requests answered with 5xx").isEmpty();
        System.out.println("fuzz: " + CASES + " cases, " + accepted + " accepted");
    }

    private static String pick(Random random, List<String> values) {
        return values.get(random.nextInt(values.size()));
    }

    /** A body for the endpoint: its own fields, each sometimes wrong, missing or extra. */
    private static String body(Random random, String path) {
        List<String> fields = new ArrayList<>();
        String amountField = path.endsWith("/loans") ? "principal" : "amount";
        boolean reversal = path.endsWith("/reversals");
        if (!reversal) {
            fields.add("\"" + amountField + "\":" + (random.nextInt(3) == 0
                    ? "\"" + (1 + random.nextInt(900)) + ".00\"" : pick(random, AMOUNTS)));
            if (random.nextInt(5) > 0) {
                fields.add("\"currency\":" + (random.nextInt(2) == 0 ? "\"CNY\""
                        : pick(random, CURRENCIES)));
            }
        }
        if (random.nextInt(2) > 0) {
            fields.add("\"valueDate\":" + pick(random, DATES));
        }
        if (path.endsWith("/donations") && random.nextInt(6) > 0) {
            fields.add("\"donorType\":" + pick(random, DONORS));
        } else if (path.endsWith("/allocations") && random.nextInt(6) > 0) {
            fields.add("\"kind\":\"ALLOCATION\",\"source\":\"city\"");
        } else if (path.endsWith("/payouts") && random.nextInt(6) > 0) {
            fields.add("\"beneficiaryId\":\"b-1\",\"category\":\"MEDICAL\",\"reason\":\"x\"");
        } else if (reversal) {
            fields.add("\"transactionId\":\"nope\",\"reason\":\"r\"");
        } else if (path.endsWith("/loans") && random.nextInt(6) > 0) {
            fields.add("\"borrowerId\":\"w\",\"annualRate\":" + pick(random, AMOUNTS)
                    + ",\"termMonths\":" + (random.nextInt(400) - 20) + ",\"method\":\"FLAT\"");
        }
        if (random.nextInt(10) == 0) {
            fields.add("\"extra\":1");
        }
        String body = "{" + String.join(",", fields) + "}";
        if (random.nextInt(15) == 0) {
            return body.substring(0, Math.max(1, body.length() - 1 - random.nextInt(8)));
        }
        return body;
    }
}
