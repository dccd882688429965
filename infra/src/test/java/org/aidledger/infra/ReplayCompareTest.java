package org.aidledger.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.aidledger.infra.audit.ReplayCompare;
import org.aidledger.query.admin.Projections;
import org.aidledger.query.journal.LedgerProjection;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The auditor's replay rebuilds the read models apart from the live ones and compares them. */
class ReplayCompareTest extends LedgerIntegrationTest {

    @Autowired
    DataSource dataSource;

    private ReplayCompare.Result replay() throws Exception {
        return replay(LedgerProjection.PENDING_MAX, LedgerProjection.RECENT_ENTRIES,
                LedgerProjection.PAYOUTS_HELD);
    }

    /** What the last replay printed. */
    private String printed = "";

    private ReplayCompare.Result replay(int entriesPerWrite, int recentEntries,
            int payoutsHeld) throws Exception {
        awaitProjections();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try (Connection reader = dataSource.getConnection();
                Connection writer = dataSource.getConnection()) {
            List<String> settings = sessionSettings(writer);
            ReplayCompare.Result result = ReplayCompare.run(reader, writer, new PrintStream(
                    output, true, StandardCharsets.UTF_8), entriesPerWrite, recentEntries,
                    payoutsHeld);
            // The writer is one of the service's pooled connections: it must go back to the
            // pool as it came, not writing without waiting for its commits, planning without
            // whole-table scans or resolving tables to the replay's schema.
            assertThat(sessionSettings(writer)).as("the writer's settings after the replay")
                    .isEqualTo(settings);
            return result;
        } finally {
            printed = output.toString(StandardCharsets.UTF_8);
        }
    }

    private static List<String> sessionSettings(Connection c) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT current_setting('search_path'), current_setting('synchronous_commit'),"
                        + " current_setting('enable_seqscan')")) {
            rs.next();
            return List.of(rs.getString(1), rs.getString(2), rs.getString(3));
        }
    }

    /** {found among the recent entries, read back} from the last replay's output. */
    private long[] reversalLookups() {
        Matcher m = Pattern.compile("reversals: (\\d+) found .*, (\\d+) read it back")
                .matcher(printed);
        assertThat(m.find()).as(printed).isTrue();
        return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))};
    }

    private String payout(String fundId, String amount) {
        return ok(post(ADMIN, newTx(), "/api/v1/funds/" + fundId + "/payouts", Map.of(
                "beneficiaryId", id("b"), "category", "MEDICAL", "amount", amount,
                "currency", "CNY", "reason", "hospital"))).body().get("payoutId").asText();
    }

    @Test
    void populatedLedgerReplaysEqualAndAlteredRowIsReported() throws Exception {
        String fundId = openFund("500.00");
        donate(fundId, "2000.00");
        ok(post(ADMIN, newTx(), "/api/v1/funds/" + fundId + "/payouts", Map.of(
                "beneficiaryId", "b-1", "category", "EMERGENCY", "amount", "800.00",
                "currency", "CNY", "reason", "storm")));
        ok(post(ADMIN, newTx(), "/api/v1/funds/" + fundId + "/reserves/" + id("cu")
                + "/deposits", Map.of("amount", "300.00", "currency", "CNY")));
        ok(post(ADMIN, newTx(), "/api/v1/funds/" + fundId + "/periods/2026-09/close",
                Map.of()));
        String donation = donate(fundId, "5.00");
        ok(post(ADMIN, newTx(), "/api/v1/funds/" + fundId + "/reversals", Map.of(
                // Tabs, newlines and backslashes travel into the journal's description, which the
                // replay writes in COPY's text format, where they must be escaped.
                "transactionId", donation,
                "reason", "returned\tto the donor,\nletter C:\\N\\2026")));
        // Every stage of a payout's life in the register: approved and paid, rejected, paid and
        // reversed, a batch and the batch reversed.
        String payouts = "/api/v1/funds/" + fundId + "/payouts/";
        String approved = payout(fundId, "700.00");
        ok(post(APPROVER, newTx(), payouts + approved + "/approve", Map.of()));
        ok(post(ADMIN, newTx(), payouts + approved + "/pay", Map.of()));
        String rejected = payout(fundId, "650.00");
        ok(post(APPROVER, newTx(), payouts + rejected + "/reject", Map.of("reason", "no proof")));
        String reversed = payout(fundId, "40.00");
        ok(post(ADMIN, newTx(), payouts + reversed + "/pay", Map.of()));
        ok(post(ADMIN, newTx(), "/api/v1/funds/" + fundId + "/reversals", Map.of(
                "transactionId", reversed, "reason", "paid twice")));
        String batch = ok(post(ADMIN, newTx(), "/api/v1/funds/" + fundId + "/payout-batches",
                Map.of("category", "FESTIVAL", "reason", "festival round", "currency", "CNY",
                        "lines", List.of(Map.of("beneficiaryId", "w-7", "amount", "8.00"),
                                Map.of("beneficiaryId", "w-8", "amount", "9.00")))))
                .body().get("batchId").asText();
        ok(post(ADMIN, newTx(), "/api/v1/funds/" + fundId + "/reversals", Map.of(
                "transactionId", batch, "reason", "sent to the wrong branch")));
        awaitProjections();
        assertThat(jdbc.queryForList("SELECT status FROM payout_view WHERE fund_id = ?"
                + " ORDER BY status", String.class, fundId)).containsExactly(
                "AWAITING_APPROVAL", "PAID", "REJECTED", "REVERSED", "REVERSED", "REVERSED");
        String cashBefore = balances(fundId).get("cash").asText();

        ReplayCompare.Result clean = replay();
        assertThat(clean.differences()).isEmpty();
        assertThat(clean.ok()).isTrue();
        // This fund's donation and payout were reversed right after they were recorded: found
        // in memory (the batch's parts are read back).
        long[] lookups = reversalLookups();
        assertThat(lookups[0]).isGreaterThanOrEqualTo(2);
        assertThat(lookups[1]).isGreaterThanOrEqualTo(1);
        // Every event the service wrote was decoded with its chunk's parser (EventChunk).
        assertThat(printed).contains("decoding: 0 events decoded one by one");
        // The same with the journal written every 3 entries and no recent entries kept: its
        // COPY is then often still running when the next handler writes, reads the journal (the
        // reversal, found by position now, the period close) or the replay commits.
        // And with at most 2 payout-register rows held in memory: most payouts are written
        // before they are decided, paid or reversed, and those changes go by statement.
        ReplayCompare.Result small = replay(3, 0, 2);
        assertThat(small.differences()).isEmpty();
        assertThat(reversalLookups()).containsExactly(0, lookups[0] + lookups[1]);
        assertThat(small.events()).isEqualTo(clean.events());
        assertThat(clean.events()).isGreaterThanOrEqualTo(eventCount(fundId));
        // And with only the last 4 entries kept: the ring of recent entries wraps over and
        // over, and a reversal finds its entry there or, once it has been overwritten, by
        // position.
        ReplayCompare.Result fewRecent = replay(3, 4, 2);
        assertThat(fewRecent.differences()).isEmpty();
        assertThat(fewRecent.events()).isEqualTo(clean.events());
        assertThat(reversalLookups()[0]).isGreaterThanOrEqualTo(2);
        assertThat(reversalLookups()[0] + reversalLookups()[1])
                .isEqualTo(lookups[0] + lookups[1]);
        // The replay's journal is indexed by position only: the reversal found the entry it
        // reverses among the recent entries, or by the position the projection remembered.
        assertThat(jdbc.queryForList("SELECT indexdef FROM pg_indexes WHERE schemaname = ?"
                + " AND tablename IN ('journal_entry', 'journal_line')", String.class,
                ReplayCompare.SCHEMA)).hasSize(2).allMatch(d -> d.endsWith("(\"position\")")
                || d.endsWith("(position)"));

        jdbc.update("UPDATE account_balance SET balance_minor = balance_minor + 1"
                + " WHERE fund_id = ? AND account = 'ASSET:CASH'", fundId);
        try {
            ReplayCompare.Result altered = replay();
            assertThat(altered.ok()).isFalse();
            assertThat(altered.differences()).anyMatch(d -> d.startsWith(
                    "account_balance (live only)") && d.contains(fundId));
            assertThat(altered.differences()).anyMatch(d -> d.startsWith(
                    "account_balance (replay only)") && d.contains(fundId));
        } finally {
            jdbc.update("UPDATE account_balance SET balance_minor = balance_minor - 1"
                    + " WHERE fund_id = ? AND account = 'ASSET:CASH'", fundId);
        }
        // The live read model was only read: the fund's balance is as before.
        assertThat(balances(fundId).get("cash").asText()).isEqualTo(cashBefore);
    }

    /** Every replay-schema table's rows, as one digest per table, and the schema's oid. */
    private List<String> replaySchemaState() {
        List<String> state = new ArrayList<>();
        state.add(String.valueOf(jdbc.queryForObject("SELECT oid FROM pg_namespace"
                + " WHERE nspname = ?", Long.class, ReplayCompare.SCHEMA)));
        state.addAll(jdbc.queryForList("SELECT tablename FROM pg_tables WHERE schemaname = ?"
                + " ORDER BY tablename", String.class, ReplayCompare.SCHEMA));
        for (String table : Projections.READ_MODEL_TABLES) {
            state.add(table + " " + jdbc.queryForObject("SELECT count(*) || ' '"
                    + " || coalesce(md5(string_agg(x::text, ',' ORDER BY x::text)), '-')"
                    + " FROM " + ReplayCompare.SCHEMA + "." + table + " x", String.class));
        }
        return state;
    }

    @Test
    void rehearsalReplaysAndLeavesTheDatabaseAsItWas() throws Exception {
        String fundId = openFund("500.00");
        donate(fundId, "120.00");
        donate(fundId, "30.00");
        ReplayCompare.Result replayed = replay();
        assertThat(replayed.ok()).isTrue();
        List<String> before = replaySchemaState();
        assertThat(before).anyMatch(s -> s.startsWith("journal_entry ")
                && !s.startsWith("journal_entry 0 "));
        String cashBefore = balances(fundId).get("cash").asText();
        try (Connection reader = dataSource.getConnection();
                Connection writer = dataSource.getConnection()) {
            List<String> settings = sessionSettings(writer);
            // The first three events, then every event: each in a transaction rolled back.
            assertThat(ReplayCompare.rehearse(reader, writer, 3)).isEqualTo(3);
            assertThat(ReplayCompare.rehearse(reader, writer, Long.MAX_VALUE))
                    .isGreaterThanOrEqualTo(replayed.events());
            assertThat(sessionSettings(writer)).isEqualTo(settings);
            assertThat(writer.getAutoCommit()).isTrue();
            // Refused: a rehearsal of no events.
            assertThatThrownBy(() -> ReplayCompare.rehearse(reader, writer, 0))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        // The replay schema from before, its oid and every row, and the live read models.
        assertThat(replaySchemaState()).isEqualTo(before);
        assertThat(balances(fundId).get("cash").asText()).isEqualTo(cashBefore);
    }
}
