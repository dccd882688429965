package org.aidledger.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import javax.sql.DataSource;
import java.util.ArrayList;
import java.util.List;
import org.aidledger.infra.audit.AuditController;
import org.aidledger.infra.audit.ChainDigest;
import org.aidledger.infra.audit.ChainVerifier;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The three ways of changing the log behind the application's back, each done with plain SQL in a
 * transaction that is rolled back afterwards, are detected at the right position.
 */
class TamperEvidenceTest extends LedgerIntegrationTest {

    @Autowired
    DataSource dataSource;
    @Autowired
    AuditController auditController;

    private long donationPosition(String fundId) {
        return jdbc.queryForObject("SELECT globalindex FROM domainevententry"
                + " WHERE aggregateidentifier = ? AND payloadtype LIKE '%.DonationReceived'"
                + " ORDER BY globalindex LIMIT 1", Long.class, fundId);
    }

    /** Runs the tampering SQL, verifies in the same transaction, then undoes everything. */
    private ChainVerifier.Result tamperAndVerify(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute(sql);
                return ChainVerifier.verifyInCurrentTransaction(c);
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
        }
    }

    @Test
    void untouchedLogVerifiesOverRest() {
        String fundId = openFund("2000.00");
        donate(fundId, "10.00");
        Answer verified = ok(post(AUDITOR, null, "/api/v1/audit/verify", Map.of()));
        assertThat(verified.body().get("ok").asBoolean()).as(verified.raw()).isTrue();
        Answer head = ok(get(AUDITOR, "/api/v1/audit/chain/head"));
        assertThat(head.body().get("position").asLong())
                .isEqualTo(verified.body().get("headSeq").asLong()).isGreaterThan(0);
        assertThat(head.body().get("digest").asText())
                .isEqualTo(verified.body().get("headDigest").asText()).hasSize(64);
    }

    @Test
    void payloadChangedByUpdateIsFound() throws SQLException {
        String fundId = openFund("2000.00");
        donate(fundId, "10.00");
        long position = donationPosition(fundId);
        ChainVerifier.Result result = tamperAndVerify("UPDATE domainevententry SET payload ="
                + " convert_to(replace(convert_from(payload, 'UTF8'), '1000', '9000'), 'UTF8')"
                + " WHERE globalindex = " + position);
        assertThat(result.ok()).isFalse();
        assertThat(result.differenceGlobalIndex()).isEqualTo(position);
        assertThat(result.firstDifference()).contains("differs from what was written");
    }

    @Test
    void rowRemovedByDeleteIsFound() throws SQLException {
        String fundId = openFund("2000.00");
        donate(fundId, "10.00");
        long position = donationPosition(fundId);
        ChainVerifier.Result result = tamperAndVerify(
                "DELETE FROM domainevententry WHERE globalindex = " + position);
        assertThat(result.ok()).isFalse();
        assertThat(result.differenceGlobalIndex()).isEqualTo(position);
        assertThat(result.firstDifference()).contains("was deleted");
    }

    @Test
    void rowAddedByInsertIsFound() throws SQLException {
        String fundId = openFund("2000.00");
        donate(fundId, "10.00");
        long position = donationPosition(fundId);
        ChainVerifier.Result result = tamperAndVerify("INSERT INTO domainevententry"
                + " (aggregateidentifier, sequencenumber, type, eventidentifier, metadata,"
                + " payload, payloadrevision, payloadtype, timestamp)"
                + " SELECT aggregateidentifier, 99, type, 'forged-' || eventidentifier, metadata,"
                + " payload, payloadrevision, payloadtype, timestamp FROM domainevententry"
                + " WHERE globalindex = " + position);
        assertThat(result.ok()).isFalse();
        assertThat(result.firstDifference()).contains("not in the chain");
        assertThat(result.differenceGlobalIndex()).isGreaterThan(position);
    }

    /**
     * Someone with write access rewrites an event and recomputes every later link and the head,
     * so the chain is consistent again; the digest logged earlier still gives them away.
     */
    @Test
    void rewrittenChainIsCaughtByTheDigestLog() throws SQLException {
        String fundId = openFund("2000.00");
        donate(fundId, "10.00");
        long position = donationPosition(fundId);
        donate(fundId, "20.00");
        auditController.logHead();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("UPDATE domainevententry SET payload = convert_to(replace("
                        + "convert_from(payload, 'UTF8'), '1000', '9000'), 'UTF8')"
                        + " WHERE globalindex = " + position);
                long fromSeq;
                byte[] digest;
                try (var rs = s.executeQuery("SELECT chain_seq FROM event_chain"
                        + " WHERE global_index = " + position)) {
                    rs.next();
                    fromSeq = rs.getLong(1);
                }
                try (var rs = s.executeQuery("SELECT digest FROM event_chain WHERE chain_seq = "
                        + (fromSeq - 1))) {
                    digest = rs.next() ? rs.getBytes(1) : ChainDigest.GENESIS;
                }
                List<Object[]> relinked = new ArrayList<>();
                try (var rs = s.executeQuery("SELECT c.chain_seq, d.* FROM event_chain c JOIN"
                        + " domainevententry d ON d.globalindex = c.global_index"
                        + " WHERE c.chain_seq >= " + fromSeq + " ORDER BY c.chain_seq")) {
                    while (rs.next()) {
                        digest = ChainDigest.link(digest, rs);
                        relinked.add(new Object[] {rs.getLong("chain_seq"), digest});
                    }
                }
                try (var update = c.prepareStatement(
                        "UPDATE event_chain SET digest = ? WHERE chain_seq = ?")) {
                    for (Object[] link : relinked) {
                        update.setBytes(1, (byte[]) link[1]);
                        update.setLong(2, (Long) link[0]);
                        update.executeUpdate();
                    }
                }
                try (var head = c.prepareStatement(
                        "UPDATE event_chain_head SET digest = ? WHERE id = 1")) {
                    head.setBytes(1, digest);
                    head.executeUpdate();
                }
                ChainVerifier.Result result = ChainVerifier.verifyInCurrentTransaction(c);
                assertThat(result.ok()).isFalse();
                assertThat(result.firstDifference()).contains("logged for it earlier");
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
        }
        assertThat(ok(post(AUDITOR, null, "/api/v1/audit/verify", Map.of())).body().get("ok")
                .asBoolean()).isTrue();
    }

    @Test
    void refusalsAndRepeatsDoNotExtendTheChain() {
        String fundId = openFund("2000.00");
        String tx = newTx();
        Map<String, Object> body = Map.of("donorType", "COMPANY", "amount", "3.00",
                "currency", "CNY");
        ok(post(ADMIN, tx, "/api/v1/funds/" + fundId + "/donations", body));
        long head = ok(get(AUDITOR, "/api/v1/audit/chain/head")).body().get("position")
                .asLong();
        ok(post(ADMIN, tx, "/api/v1/funds/" + fundId + "/donations", body));
        post(ADMIN, newTx(), "/api/v1/funds/" + fundId + "/donations",
                Map.of("donorType", "COMPANY", "amount", "-3.00", "currency", "CNY"));
        post(ADMIN, newTx(), "/api/v1/funds/" + fundId + "/payouts", Map.of("beneficiaryId",
                "b", "category", "MEDICAL", "amount", "999.00", "currency", "CNY",
                "reason", "more than the fund holds"));
        assertThat(ok(get(AUDITOR, "/api/v1/audit/chain/head")).body().get("position")
                .asLong()).isEqualTo(head);
    }
}
