package org.aidledger.query.journal;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The payout register's changes not yet written, one statement for each kind of change (requests, approvals, rejections, payments,
 * reversals) over arrays of their rows, instead of one statement per event. Under W1 the live
 * projection ran 34,000-50,000 single-row statements on the register in 30 s, each a round
 * trip and each firing the register's notification trigger (migration V13) once; now a batch
 * of up to 100 events runs at most five. Live, they are a processor batch's, written when it
 * prepares to commit; while rebuilding, those of payouts whose rows were written before (the
 * rest are held in memory, {@link HeldPayouts}), written with the journal's batches.
 *
 * <p>The kinds run in the order of a payout's life: request, decision, payment, reversal. A
 * payout goes through at most one change of each kind, so running them in that order gives
 * every row what running the events' statements one by one would; each statement keeps its
 * condition on the row's status, as before. Should a payout appear twice in one kind (an
 * event applied twice in a batch), the rows are split into rounds in which no payout repeats,
 * run in the order they came. Nothing in the projection reads the register, so nothing needs
 * it written earlier.
 */
final class PayoutRegisterChanges {

    /** A payout requested: its row, awaiting approval. */
    record Request(String payoutId, String fundId, String beneficiaryId, String category,
            long amountMinor, String currency, String requestedBy, String reason,
            LocalDate requestedOn, Instant requestedAt) {
    }

    private record Decision(String payoutId, String by, String reason) {
    }

    private record Payment(String payoutId, LocalDate paidOn) {
    }

    private final List<Request> requests = new ArrayList<>();
    private final List<Decision> approvals = new ArrayList<>();
    private final List<Decision> rejections = new ArrayList<>();
    private final List<Payment> payments = new ArrayList<>();
    private final List<String> reversals = new ArrayList<>();

    boolean isEmpty() {
        return requests.isEmpty() && approvals.isEmpty() && rejections.isEmpty()
                && payments.isEmpty() && reversals.isEmpty();
    }

    void request(Request request) {
        requests.add(request);
    }

    void approve(String payoutId, String approvedBy) {
        approvals.add(new Decision(payoutId, approvedBy, null));
    }

    void reject(String payoutId, String rejectedBy, String reason) {
        rejections.add(new Decision(payoutId, rejectedBy, reason));
    }

    void pay(String payoutId, LocalDate paidOn) {
        payments.add(new Payment(payoutId, paidOn));
    }

    void reverse(String payoutId) {
        reversals.add(payoutId);
    }

    void clear() {
        requests.clear();
        approvals.clear();
        rejections.clear();
        payments.clear();
        reversals.clear();
    }

    /** Runs the changes, in the order of a payout's life, and forgets them. */
    void write(JdbcTemplate jdbc) {
        for (List<Request> round : rounds(requests, Request::payoutId)) {
            jdbc.update("INSERT INTO payout_view (payout_id, fund_id, beneficiary_id, category,"
                    + " amount_minor, currency, status, requested_by, reason, requested_on,"
                    + " requested_at) SELECT r.payout_id, r.fund_id, r.beneficiary_id,"
                    + " r.category, r.amount_minor, r.currency, 'AWAITING_APPROVAL',"
                    + " r.requested_by, r.reason, r.requested_on::date,"
                    + " r.requested_at::timestamptz FROM unnest(?::varchar[], ?::varchar[],"
                    + " ?::varchar[], ?::varchar[], ?::bigint[], ?::varchar[], ?::varchar[],"
                    + " ?::varchar[], ?::text[], ?::text[]) AS r (payout_id, fund_id,"
                    + " beneficiary_id, category, amount_minor, currency, requested_by, reason,"
                    + " requested_on, requested_at)"
                    + " ON CONFLICT (payout_id) DO NOTHING",
                    column(round, Request::payoutId), column(round, Request::fundId),
                    column(round, Request::beneficiaryId), column(round, Request::category),
                    round.stream().map(Request::amountMinor).toArray(Long[]::new),
                    column(round, Request::currency), column(round, Request::requestedBy),
                    column(round, Request::reason),
                    column(round, r -> r.requestedOn().toString()),
                    // Sent as text, as a single row's timestamp was: PostgreSQL rounds the
                    // nanoseconds to microseconds exactly as before (CopyBinary.timestamptz).
                    column(round, r -> r.requestedAt().toString()));
        }
        for (List<Decision> round : rounds(approvals, Decision::payoutId)) {
            jdbc.update("UPDATE payout_view p SET status = 'APPROVED',"
                    + " approved_by = d.decided_by FROM unnest(?::varchar[], ?::varchar[])"
                    + " AS d (payout_id, decided_by)"
                    + " WHERE p.payout_id = d.payout_id AND p.status = 'AWAITING_APPROVAL'",
                    column(round, Decision::payoutId), column(round, Decision::by));
        }
        for (List<Decision> round : rounds(rejections, Decision::payoutId)) {
            jdbc.update("UPDATE payout_view p SET status = 'REJECTED',"
                    + " approved_by = d.decided_by, decision_reason = d.reason"
                    + " FROM unnest(?::varchar[], ?::varchar[], ?::varchar[])"
                    + " AS d (payout_id, decided_by, reason)"
                    + " WHERE p.payout_id = d.payout_id AND p.status = 'AWAITING_APPROVAL'",
                    column(round, Decision::payoutId), column(round, Decision::by),
                    column(round, Decision::reason));
        }
        for (List<Payment> round : rounds(payments, Payment::payoutId)) {
            jdbc.update("UPDATE payout_view p SET status = 'PAID', paid_on = d.paid_on::date"
                    + " FROM unnest(?::varchar[], ?::text[]) AS d (payout_id, paid_on)"
                    + " WHERE p.payout_id = d.payout_id AND p.status = 'APPROVED'",
                    column(round, Payment::payoutId),
                    column(round, d -> d.paidOn().toString()));
        }
        for (List<String> round : rounds(reversals, id -> id)) {
            jdbc.update("UPDATE payout_view SET status = 'REVERSED'"
                    + " WHERE payout_id = ANY (?::varchar[])",
                    (Object) round.toArray(String[]::new));
        }
        clear();
    }

    private static <T> String[] column(List<T> rows, Function<T, String> value) {
        String[] column = new String[rows.size()];
        for (int i = 0; i < column.length; i++) {
            column[i] = value.apply(rows.get(i));
        }
        return column;
    }

    /**
     * The rows in order, cut into rounds in which no payout appears twice: one statement may
     * change a row only once, and the second change must see the first.
     */
    static <T> List<List<T>> rounds(List<T> rows, Function<T, String> payoutId) {
        List<List<T>> rounds = new ArrayList<>();
        if (rows.isEmpty()) {
            return rounds;
        }
        List<T> round = new ArrayList<>();
        Set<String> inRound = new HashSet<>();
        for (T row : rows) {
            if (!inRound.add(payoutId.apply(row))) {
                rounds.add(round);
                round = new ArrayList<>();
                inRound.clear();
                inRound.add(payoutId.apply(row));
            }
            round.add(row);
        }
        rounds.add(round);
        return rounds;
    }
}
