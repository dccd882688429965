package org.aidledger.query.journal;

import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import org.postgresql.PGConnection;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * While rebuilding: the payout register's rows of payouts requested in the replay and not yet
 * written, changed in memory as their payouts are decided, paid and reversed, and then written
 * all at once with COPY. Written statement by statement, in JDBC batches, W1's history of
 * some 20,000 payouts (a row inserted, then updated once or twice) and W2's 100,000 batch lines
 * were most of the time the replay spent on its first 100,000 events.
 *
 * <p>At most {@code max} rows are held: then they are written and the projection's statements
 * take the later changes of those payouts. The first write goes straight into the (empty)
 * register, which starts without indexes and is then indexed by payout id (built by sorting
 * the rows: kept up row by row during the COPY, the index took more than the rows, 486 ms
 * against 100 ms and 171 ms for the index, for the 173,681 payouts of the bench's store).
 * Later writes go through a scratch table, so that a payout id already written keeps its first
 * row, as {@code ON CONFLICT DO NOTHING} keeps it in the live projection.
 */
final class HeldPayouts {

    static final String AWAITING_APPROVAL = "AWAITING_APPROVAL";
    private static final String COLUMNS = "payout_id, fund_id, beneficiary_id, category,"
            + " amount_minor, currency, status, requested_by, approved_by, reason,"
            + " decision_reason, requested_on, requested_at, paid_on";

    /** One payout's register row. */
    static final class Row {
        final String payoutId;
        final String fundId;
        final String beneficiaryId;
        final String category;
        final long amountMinor;
        final String currency;
        String status;
        final String requestedBy;
        String approvedBy;
        final String reason;
        String decisionReason;
        final LocalDate requestedOn;
        final Instant requestedAt;
        LocalDate paidOn;

        Row(String payoutId, String fundId, String beneficiaryId, String category,
                long amountMinor, String currency, String status, String requestedBy,
                String approvedBy, String reason, LocalDate requestedOn, Instant requestedAt,
                LocalDate paidOn) {
            this.payoutId = payoutId;
            this.fundId = fundId;
            this.beneficiaryId = beneficiaryId;
            this.category = category;
            this.amountMinor = amountMinor;
            this.currency = currency;
            this.status = status;
            this.requestedBy = requestedBy;
            this.approvedBy = approvedBy;
            this.reason = reason;
            this.requestedOn = requestedOn;
            this.requestedAt = requestedAt;
            this.paidOn = paidOn;
        }
    }

    private final int max;
    private final Map<String, Row> rows = new HashMap<>();
    private boolean written;

    HeldPayouts(int max) {
        this.max = max;
    }

    /** The held row of the payout, or null when it is not held (written, or never requested). */
    Row get(String payoutId) {
        return rows.get(payoutId);
    }

    /**
     * Holds a new payout's row; a payout id already held keeps its first row. Returns true when
     * the rows held reached the limit and should now be written.
     */
    boolean hold(Row row) {
        rows.putIfAbsent(row.payoutId, row);
        return rows.size() >= max;
    }

    /**
     * Writes the rows held, with COPY in PostgreSQL's binary format sent as it is encoded (up
     * to {@code max} rows of some 180 bytes each were encoded whole first), and forgets them.
     */
    void write(JdbcTemplate jdbc) {
        if (rows.isEmpty()) {
            return;
        }
        boolean first = !written;
        jdbc.execute((ConnectionCallback<Void>) c -> {
            try (var s = c.createStatement()) {
                if (!first) {
                    s.execute("CREATE TEMP TABLE IF NOT EXISTS payout_view_held"
                            + " (LIKE payout_view) ON COMMIT DROP");
                }
                String table = first ? "payout_view" : "payout_view_held";
                CopyBinary.streaming().stream(
                        c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + table
                                + " (" + COLUMNS + ") FROM STDIN (FORMAT binary)"),
                        rows.values(), HeldPayouts::encode);
                if (first) {
                    // The statements that change written payouts, and the later writes'
                    // ON CONFLICT, find them by this index.
                    s.execute("CREATE UNIQUE INDEX ON payout_view (payout_id)");
                } else {
                    s.execute("INSERT INTO payout_view (" + COLUMNS + ") SELECT " + COLUMNS
                            + " FROM payout_view_held ON CONFLICT (payout_id) DO NOTHING");
                    s.execute("TRUNCATE payout_view_held");
                }
            }
            return null;
        });
        rows.clear();
        written = true;
    }

    private static void encode(CopyBinary copy, Row r) {
        copy.row(14).text(r.payoutId).text(r.fundId).text(r.beneficiaryId).text(r.category)
                .int8Field(r.amountMinor).text(r.currency).text(r.status)
                .text(r.requestedBy).text(r.approvedBy).text(r.reason)
                .text(r.decisionReason).date(r.requestedOn).timestamptz(r.requestedAt)
                .date(r.paidOn);
    }
}
