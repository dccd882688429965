package org.aidledger.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.aidledger.infra.audit.EventChain;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

/**
 * Exports a log of 200,000 events from a JVM limited to a 64 MB heap, then verifies the file in
 * another such JVM: export and file verification run in bounded memory. The events are generated
 * in a scratch schema, chained by the ledger's own chaining code, and dropped afterwards.
 */
class LargeExportTest extends LedgerIntegrationTest {

    private static final String SCHEMA = "export_big";
    private static final int EVENTS = 200_000;
    private static final int CHAIN_BATCH = 10_000;
    private static final String HEAP = "-Xmx64m";

    @Autowired
    DataSource dataSource;
    @Value("${spring.datasource.url}")
    String url;
    @Value("${spring.datasource.username}")
    String user;
    @Value("${spring.datasource.password:}")
    String password;

    @AfterEach
    void dropScratch() {
        jdbc.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
    }

    @Test
    void largeLogExportsAndVerifiesInBoundedMemory() throws Exception {
        jdbc.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        jdbc.execute("CREATE SCHEMA " + SCHEMA);
        for (String table : List.of("domainevententry", "event_chain", "event_chain_head")) {
            jdbc.execute("CREATE TABLE " + SCHEMA + "." + table + " (LIKE public." + table
                    + " INCLUDING ALL)");
        }
        jdbc.update("INSERT INTO " + SCHEMA + ".event_chain_head VALUES"
                + " (1, 0, decode(repeat('00', 32), 'hex'), now())");
        jdbc.update("INSERT INTO " + SCHEMA + ".domainevententry (globalindex,"
                + " aggregateidentifier, sequencenumber, type, eventidentifier, metadata, payload,"
                + " payloadrevision, payloadtype, timestamp) SELECT g, 'big-fund-' || (g % 100),"
                + " g / 100, 'Fund', 'big-event-' || g, convert_to('{\"actor\":\"bench\"}',"
                + " 'UTF8'), convert_to('{\"fundId\":\"big-fund-' || (g % 100)"
                + " || '\",\"transactionId\":\"tx-' || g || '\",\"amount\":{\"amountMinor\":'"
                + " || g || ',\"currency\":\"CNY\"},\"donorType\":\"COMPANY\"}', 'UTF8'), '1',"
                + " 'org.aidledger.messages.fund.DonationReceived',"
                + " '2026-11-24T00:00:00Z' FROM generate_series(1, " + EVENTS + ") g");
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SET LOCAL search_path TO " + SCHEMA);
                for (int from = 1; from <= EVENTS; from += CHAIN_BATCH) {
                    List<String> ids = new ArrayList<>(CHAIN_BATCH);
                    for (int g = from; g < from + CHAIN_BATCH && g <= EVENTS; g++) {
                        ids.add("big-event-" + g);
                    }
                    EventChain.link(c, ids);
                }
            }
            c.commit();
        }
        String head = jdbc.queryForObject("SELECT encode(digest, 'hex') FROM " + SCHEMA
                + ".event_chain_head", String.class);

        Path file = Files.createTempFile("aid-ledger-export", ".jsonl");
        try {
            Process export = cli("export", "--out", file.toString());
            assertThat(export.waitFor(5, TimeUnit.MINUTES)).isTrue();
            String exportOut = new String(export.getInputStream().readAllBytes());
            assertThat(export.exitValue()).as(exportOut).isZero();
            assertThat(exportOut).contains("exported " + EVENTS + " events");
            System.out.println("export with " + HEAP + ": " + exportOut.strip());

            Process verify = cli("verify-file", file.toString());
            assertThat(verify.waitFor(5, TimeUnit.MINUTES)).isTrue();
            String verifyOut = new String(verify.getInputStream().readAllBytes());
            assertThat(verify.exitValue()).as(verifyOut).isZero();
            assertThat(verifyOut).startsWith("OK " + EVENTS + " events")
                    .contains("head " + EVENTS + " " + head);
            System.out.println("verify-file with " + HEAP + ": " + verifyOut.strip());
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** The auditor's command line in a JVM of its own with a small heap. */
    private Process cli(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                System.getProperty("java.home") + File.separator + "bin" + File.separator + "java",
                HEAP, "-cp", System.getProperty("java.class.path"),
                "org.aidledger.infra.audit.AuditCli"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        String scoped = url + (url.contains("?") ? "&" : "?") + "currentSchema=" + SCHEMA
                + ",public";
        pb.environment().put("LEDGER_DB_URL", scoped);
        pb.environment().put("LEDGER_DB_USER", user);
        pb.environment().put("LEDGER_DB_PASSWORD", password == null ? "" : password);
        return pb.start();
    }
}
