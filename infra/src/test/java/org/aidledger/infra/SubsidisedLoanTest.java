package org.aidledger.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.time.LocalDate;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.aidledger.proto.v1.GetReserveBalanceRequest;
import org.aidledger.proto.v1.GetSubsidisedLoanRequest;
import org.aidledger.proto.v1.ListSubsidyPaymentsRequest;
import org.aidledger.proto.v1.PartnerServiceGrpc;
import org.aidledger.proto.v1.SubsidisedLoan;
import org.aidledger.query.grpc.GrpcServer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * An interest-subsidised loan over its term. The partner lends 12,000.00 at 6% a year in equal
 * principal over 12 months, so the borrower's interest in month k is (12,000 − 1,000(k − 1)) ×
 * 0.5% = 60.00, 55.00, 50.00, ...; the union pays half of it, capped at 150.00 for the loan:
 *
 * <pre>
 * period   1      2      3      4      5      6      7              8
 * subsidy  30.00  27.50  25.00  22.50  20.00  17.50  7.50 (capped)  refused: cap reached
 * total    30.00  57.50  82.50 105.00 125.00 142.50 150.00
 * </pre>
 * The reserve at the partner falls by exactly the subsidy paid.
 */
class SubsidisedLoanTest extends LedgerIntegrationTest {

    @Autowired
    GrpcServer grpcServer;

    private static final String[] EXPECTED = {"30.00", "27.50", "25.00", "22.50", "20.00",
            "17.50", "7.50"};

    private String subsidyFund(String reserve) {
        String fundId = openFund("2000.00", "INTEREST_SUBSIDY");
        donate(fundId, "5000.00");
        ok(post(ADMIN, newTx(), "/api/v1/funds/" + fundId + "/reserves/" + id("cu")
                + "/deposits", Map.of("amount", reserve, "currency", "CNY",
                "valueDate", "2026-01-02")));
        return fundId;
    }

    private String register(String fundId) {
        Map<String, Object> loan = new java.util.HashMap<>(Map.of("partnerId", id("cu"),
                "borrowerId", "worker-88", "principal", "12000.00", "currency", "CNY",
                "annualRate", "0.06", "termMonths", 12, "method", "EQUAL_PRINCIPAL",
                "subsidyShare", "0.5", "subsidyCap", "150.00"));
        loan.put("firstDueDate", "2026-02-20");
        loan.put("valueDate", "2026-01-20");
        return ok(post(ADMIN, newTx(), "/api/v1/funds/" + fundId + "/subsidised-loans", loan))
                .body().get("loanId").asText();
    }

    private Answer pay(String fundId, String loanId, int period) {
        return post(ADMIN, newTx(), "/api/v1/funds/" + fundId + "/subsidised-loans/" + loanId
                + "/subsidies", Map.of("period", period, "valueDate",
                LocalDate.of(2026, 2, 20).plusMonths(period - 1).toString()));
    }

    @Test
    void subsidyEachPeriodIsInterestTimesShareCappedAndComesOutOfTheReserve() {
        String fundId = subsidyFund("1000.00");
        String loanId = register(fundId);
        for (int period = 1; period <= 7; period++) {
            ok(pay(fundId, loanId, period));
            JsonNode b = balances(fundId);
            assertThat(b.get("expense").get("EXPENSE:INTEREST_SUBSIDY").asText())
                    .as("paid through period %d", period)
                    .isEqualTo(sum(period));
            assertThat(b.get("reserves").get(id("cu")).asText())
                    .isEqualTo(new java.math.BigDecimal("1000.00")
                            .subtract(new java.math.BigDecimal(sum(period))).toPlainString());
        }
        long events = eventCount(fundId);
        Answer capped = pay(fundId, loanId, 8);
        assertThat(capped.rule()).isEqualTo("SUBSIDY_CAP_REACHED");
        Answer twice = pay(fundId, loanId, 3);
        assertThat(twice.rule()).isEqualTo("SUBSIDY_ALREADY_PAID");
        assertThat(eventCount(fundId)).isEqualTo(events);

        ManagedChannel channel = ManagedChannelBuilder.forAddress("localhost",
                grpcServer.port()).usePlaintext().build();
        try {
            var partner = PartnerServiceGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(30, TimeUnit.SECONDS);
            SubsidisedLoan loan = partner.getSubsidisedLoan(GetSubsidisedLoanRequest.newBuilder()
                    .setPartnerId(id("cu")).setLoanId(loanId).build());
            assertThat(loan.getSubsidyPaid().getAmountMinor()).isEqualTo(15_000);
            assertThat(loan.getScheduleList()).hasSize(12);
            for (int k = 0; k < 7; k++) {
                assertThat(loan.getSchedule(k).getInterest().getAmountMinor())
                        .isEqualTo(6_000 - 500L * k);
                assertThat(money(loan.getSchedule(k).getSubsidyPaid().getAmountMinor()))
                        .isEqualTo(EXPECTED[k]);
            }
            assertThat(loan.getSchedule(7).getSubsidyPaid().getAmountMinor()).isZero();
            var reserve = partner.getReserveBalance(GetReserveBalanceRequest.newBuilder()
                    .setPartnerId(id("cu")).build());
            assertThat(reserve.getFundsList()).anyMatch(f -> f.getFundId().equals(fundId)
                    && f.getBalance().getAmountMinor() == 85_000);
            assertThat(partner.listSubsidyPayments(ListSubsidyPaymentsRequest.newBuilder()
                    .setPartnerId(id("cu")).build()).getPaymentsCount()).isEqualTo(7);
        } finally {
            channel.shutdownNow();
        }
    }

    @Test
    void subsidyBeyondTheReserveIsRefusedAndNothingMoves() {
        String fundId = subsidyFund("29.99");
        String loanId = register(fundId);
        long events = eventCount(fundId);
        java.util.List<String> before = readModelOf(fundId);
        Answer refused = pay(fundId, loanId, 1);
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.rule()).isEqualTo("INSUFFICIENT_RESERVE");
        assertThat(refused.body().get("detail").asText()).contains("29.99").contains("30.00");
        assertThat(eventCount(fundId)).isEqualTo(events);
        assertThat(readModelOf(fundId)).isEqualTo(before);
    }

    @Test
    void subsidyStopsFromTheDateThePartnerReportsAnEarlyPayoff() {
        String fundId = subsidyFund("1000.00");
        String loanId = register(fundId);
        ok(pay(fundId, loanId, 1));
        ok(post(ADMIN, newTx(), "/api/v1/funds/" + fundId + "/subsidised-loans/" + loanId
                + "/end", Map.of("reason", "EARLY_PAYOFF", "endedOn", "2026-03-05")));
        Answer stopped = pay(fundId, loanId, 2);
        assertThat(stopped.rule()).isEqualTo("SUBSIDY_STOPPED");
        awaitProjections();
        JsonNode loan = ok(get(AUDITOR, "/api/v1/partners/" + id("cu") + "/subsidised-loans/"
                + loanId)).body();
        assertThat(loan.get("status").asText()).isEqualTo("ENDED");
        assertThat(loan.get("subsidyPaid").asText()).isEqualTo("30.00");
    }

    /**
     * Paid automatically as each period falls due: with 50.00 in the reserve the first period's
     * 30.00 is paid, and every later period that has fallen due (27.50, 25.00, ...) exceeds the
     * 20.00 left, so each is flagged as a shortfall and nothing more leaves the reserve.
     */
    @Test
    void automaticPaymentsFlagTheShortfallWhenTheReserveCannotCover() {
        String fundId = subsidyFund("50.00");
        java.time.ZoneId zone = java.time.ZoneId.of("Asia/Shanghai");
        LocalDate firstDue = LocalDate.now(zone).minusMonths(3);
        Map<String, Object> loan = new java.util.HashMap<>(Map.of("partnerId", id("cu"),
                "borrowerId", "worker-89", "principal", "12000.00", "currency", "CNY",
                "annualRate", "0.06", "termMonths", 12, "method", "EQUAL_PRINCIPAL",
                "subsidyShare", "0.5", "subsidyCap", "150.00"));
        loan.put("firstDueDate", firstDue.toString());
        loan.put("valueDate", firstDue.minusMonths(1).toString());
        loan.put("payAutomatically", true);
        String loanId = ok(post(ADMIN, newTx(), "/api/v1/funds/" + fundId
                + "/subsidised-loans", loan)).body().get("loanId").asText();
        java.util.List<Integer> past = new java.util.ArrayList<>();
        java.time.Instant now = java.time.Instant.now();
        for (int k = 1; k <= 12; k++) {
            if (!firstDue.plusMonths(k - 1).plusDays(1).atStartOfDay(zone).toInstant()
                    .isAfter(now)) {
                past.add(k);
            }
        }
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
                .untilAsserted(() -> {
                    awaitProjections();
                    assertThat(jdbc.queryForList("SELECT period FROM subsidy_shortfall"
                            + " WHERE loan_id = ? ORDER BY period", Integer.class, loanId))
                            .isEqualTo(past.subList(1, past.size()));
                });
        assertThat(jdbc.queryForList("SELECT period FROM subsidy_payment WHERE loan_id = ?",
                Integer.class, loanId)).containsExactly(1);
        JsonNode b = balances(fundId);
        assertThat(b.get("reserves").get(id("cu")).asText()).isEqualTo("20.00");
        JsonNode shortfalls = ok(get(AUDITOR, "/api/v1/partners/" + id("cu")
                + "/subsidy-shortfalls")).body();
        assertThat(shortfalls.get(0).get("due").asText()).isEqualTo("27.50");
        assertThat(shortfalls.get(0).get("reserve").asText()).isEqualTo("20.00");
    }

    private static String sum(int periods) {
        java.math.BigDecimal total = java.math.BigDecimal.ZERO;
        for (int k = 0; k < periods; k++) {
            total = total.add(new java.math.BigDecimal(EXPECTED[k]));
        }
        return total.toPlainString();
    }

    private static String money(long minor) {
        return java.math.BigDecimal.valueOf(minor, 2).toPlainString();
    }
}
