package org.aidledger.query.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.aidledger.infra.LedgerIntegrationTest;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Rows written by the replay's binary COPY read back exactly as the live projection's rows,
 * which PostgreSQL parses from text: the same strings, dates, numbers, nulls, and timestamps
 * rounded from nanoseconds to microseconds the same way. Runs against the real PostgreSQL.
 */
class CopyBinaryTest extends LedgerIntegrationTest {

    @Autowired
    DataSource dataSource;

    @Test
    void binaryRowsEqualTheRowsPostgresqlReadsFromText() throws Exception {
        List<Instant> instants = new ArrayList<>();
        for (String text : List.of("2026-11-25T17:28:19.997891548Z",
                "2026-11-25T17:28:19.000000500Z", "2026-11-25T17:28:19.000001500Z",
                "2026-11-25T17:28:19.999999500Z", "2026-11-25T23:59:59.999999999Z",
                "2026-11-25T17:28:19.123456Z", "2026-11-25T17:28:19Z",
                "1999-12-31T23:59:59.000000501Z", "2026-03-01T12:00:00.1234565Z")) {
            instants.add(Instant.parse(text));
        }
        for (int i = 0; i < 2_000; i++) {
            instants.add(Instant.ofEpochSecond(1_700_000_000L + i * 7919L, i * 499_979));
        }
        String[] texts = {"plain", "送温暖 campaign", "campaign 送温暖, café", "tab\there",
                "line\nbreak\r", "C:\\N",
                "", null};
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TEMP TABLE copy_check (n int, t varchar(100), d date,"
                    + " at timestamptz, amount bigint, code char(3))");
            CopyBinary rows = new CopyBinary(1_024);
            for (int i = 0; i < instants.size(); i++) {
                rows.row(6).int4Field(i).text(texts[i % texts.length])
                        .date(LocalDate.of(2000 + i % 60, 1 + i % 12, 1 + i % 28))
                        .timestamptz(instants.get(i)).int8Field(-4_200_000_000L * i)
                        .text(i % 2 == 0 ? "CNY" : null);
            }
            rows.end(c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY copy_check"
                    + " FROM STDIN (FORMAT binary)"));
            try (PreparedStatement q = c.prepareStatement("SELECT n, t IS NOT DISTINCT FROM ?,"
                    + " d = ?::date, at = ?::timestamptz, amount = ?, code IS NOT DISTINCT FROM ?"
                    + " FROM copy_check WHERE n = ?")) {
                for (int i = 0; i < instants.size(); i++) {
                    q.setString(1, texts[i % texts.length]);
                    q.setString(2, LocalDate.of(2000 + i % 60, 1 + i % 12, 1 + i % 28)
                            .toString());
                    // As the live projection sends it: Instant's text, nanoseconds and all.
                    q.setString(3, instants.get(i).toString());
                    q.setLong(4, -4_200_000_000L * i);
                    q.setString(5, i % 2 == 0 ? "CNY" : null);
                    q.setInt(6, i);
                    try (ResultSet r = q.executeQuery()) {
                        assertThat(r.next()).as("row %d", i).isTrue();
                        for (int col = 2; col <= 6; col++) {
                            assertThat(r.getBoolean(col)).as("row %d (%s) column %d", i,
                                    instants.get(i), col).isTrue();
                        }
                    }
                }
            }
            s.execute("DROP TABLE copy_check");
        }
    }

    @Test
    void wholeMicrosecondsStayExact() {
        for (int micros = 0; micros < 1_000_000; micros++) {
            if (CopyBinary.microsOf(micros * 1_000) != micros) {
                throw new AssertionError(micros + " microseconds read as "
                        + CopyBinary.microsOf(micros * 1_000));
            }
        }
    }

    @Test
    void aBufferUsedAgainSendsOnlyItsNewRows() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TEMP TABLE copy_again (n int, t text)");
            CopyBinary rows = new CopyBinary(64);
            for (int batch = 0; batch < 3; batch++) {
                rows.reset();
                // grown past its first size in the first batch, smaller in the later ones
                for (int i = 0; i < (batch == 0 ? 1_000 : 10); i++) {
                    rows.row(2).int4Field(batch * 10_000 + i).text("batch " + batch);
                }
                rows.end(c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY copy_again"
                        + " FROM STDIN (FORMAT binary)"));
            }
            try (ResultSet r = s.executeQuery("SELECT t, count(*), min(n), max(n)"
                    + " FROM copy_again GROUP BY t ORDER BY t")) {
                List<String> groups = new ArrayList<>();
                while (r.next()) {
                    groups.add(r.getString(1) + ": " + r.getInt(2) + " rows, " + r.getInt(3)
                            + ".." + r.getInt(4));
                }
                assertThat(groups).containsExactly("batch 0: 1000 rows, 0..999",
                        "batch 1: 10 rows, 10000..10009", "batch 2: 10 rows, 20000..20009");
            }
            s.execute("DROP TABLE copy_again");
        }
    }

    @Test
    void rowsSentInPiecesArriveWholeAndACancelledCopyWritesNothing() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TEMP TABLE copy_pieces (n int, t text)");
            CopyBinary rows = new CopyBinary(64);
            // Pieces of at least 100 bytes: a row is cut from the next, never in two.
            CopyIn in = c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY copy_pieces"
                    + " FROM STDIN (FORMAT binary)");
            rows.reset();
            for (int i = 0; i < 5_000; i++) {
                rows.row(2).int4Field(i).text(i % 7 == 0 ? "送温暖 " + i : "row " + i);
                rows.sendTo(in, 100);
            }
            assertThat(rows.end(in)).isEqualTo(5_000);
            // A second COPY with the same buffer, cancelled half-way (as the replay cancels one
            // whose encoding failed): none of its rows is written, and the connection goes on.
            in = c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY copy_pieces"
                    + " FROM STDIN (FORMAT binary)");
            rows.reset();
            for (int i = 0; i < 1_000; i++) {
                rows.row(2).int4Field(100_000 + i).text("cancelled");
                rows.sendTo(in, 100);
            }
            in.cancelCopy();
            try (ResultSet r = s.executeQuery("SELECT count(*), count(DISTINCT n), min(n),"
                    + " max(n), count(*) FILTER (WHERE t = 'row ' || n OR t = '送温暖 ' || n)"
                    + " FROM copy_pieces")) {
                assertThat(r.next()).isTrue();
                assertThat(List.of(r.getInt(1), r.getInt(2), r.getInt(3), r.getInt(4),
                        r.getInt(5))).containsExactly(5_000, 5_000, 0, 4_999, 5_000);
            }
            s.execute("DROP TABLE copy_pieces");
        }
    }

    @Test
    void aStreamedCopyWritesEveryRowOrNoneWhenItsEncodingFails() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TEMP TABLE copy_streamed (n int, t text)");
            CopyBinary rows = CopyBinary.streaming();
            List<Integer> items = new ArrayList<>();
            for (int i = 0; i < 100_000; i++) {
                items.add(i);
            }
            // About 2 MB: sent in some thirty pieces.
            long written = rows.stream(c.unwrap(PGConnection.class).getCopyAPI().copyIn(
                    "COPY copy_streamed FROM STDIN (FORMAT binary)"), items,
                    (copy, i) -> copy.row(2).int4Field(i).text("row " + i));
            assertThat(written).isEqualTo(100_000);
            // The same buffer again, its encoding failing after many pieces have been sent.
            CopyIn failing = c.unwrap(PGConnection.class).getCopyAPI().copyIn(
                    "COPY copy_streamed FROM STDIN (FORMAT binary)");
            assertThatThrownBy(() -> rows.stream(failing, items, (copy, i) -> {
                if (i == 60_000) {
                    throw new IllegalStateException("no encoding for " + i);
                }
                copy.row(2).int4Field(1_000_000 + i).text("failed");
            })).isInstanceOf(IllegalStateException.class).hasMessage("no encoding for 60000");
            assertThat(failing.isActive()).isFalse();
            try (ResultSet r = s.executeQuery("SELECT count(*), count(DISTINCT n), min(n),"
                    + " max(n), count(*) FILTER (WHERE t = 'row ' || n) FROM copy_streamed")) {
                assertThat(r.next()).isTrue();
                assertThat(List.of(r.getInt(1), r.getInt(2), r.getInt(3), r.getInt(4),
                        r.getInt(5))).containsExactly(100_000, 100_000, 0, 99_999, 100_000);
            }
            s.execute("DROP TABLE copy_streamed");
        }
    }
}
