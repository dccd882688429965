package org.aidledger.query.read;

import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.aidledger.messages.rules.Rule;
import org.aidledger.messages.rules.RuleViolation;
import org.aidledger.query.journal.Accounts;
import org.aidledger.query.journal.Posting;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Every read of the ledger's balances and journal. Reads come from the read models only, never
 * from the event store. Amounts are minor units; the transports format them.
 */
@Component
public class LedgerReads {

    /** The largest journal page a caller may ask for. */
    public static final int PAGE_SIZE_MAX = 500;
    public static final int PAGE_SIZE_DEFAULT = 100;

    private final JdbcTemplate jdbc;
    private final BalanceCache balanceCache;

    public LedgerReads(JdbcTemplate jdbc, BalanceCache balanceCache) {
        this.jdbc = jdbc;
        this.balanceCache = balanceCache;
    }

    public record FundView(String fundId, String bodyId, String name, String purpose,
            String currency, long approvalThresholdMinor, String status, LocalDate openedOn,
            LocalDate closedOn) {
    }

    public record FundBalances(String fundId, String currency, LocalDate asOfDate,
            Long asOfPosition, long cashMinor, Long committedMinor, Long availableMinor,
            long loansReceivableMinor,
            Map<String, Long> reservesMinor, Map<String, Long> incomeMinor,
            Map<String, Long> expenseMinor, long position) {
    }

    public record TrialBalance(String fundId, String currency, List<Posting> lines,
            long totalDebitsMinor, long totalCreditsMinor) {
    }

    public record JournalEntry(long position, String eventId, String transactionId, String kind,
            LocalDate valueDate, java.time.Instant recordedAt, String reversesTransactionId,
            String actor, String description, String currency, List<Posting> lines) {
    }

    public record PayoutView(String payoutId, String fundId, String beneficiaryId,
            String category, long amountMinor, String currency, String status,
            String requestedBy, String approvedBy, String reason, LocalDate requestedOn,
            LocalDate paidOn) {
    }

    public record UnionBodyView(String bodyId, String name, String level, String parentId) {
    }

    public record PartnerView(String partnerId, String name) {
    }

    /** A closed period's frozen closing balances, by account (debit positive). */
    public record PeriodStatement(String fundId, String period, LocalDate closedThrough,
            java.time.Instant closedAt, String closedBy, long position, String currency,
            List<Posting> closingBalances) {
    }

    public List<PeriodStatement> statements(String fundId) {
        FundView fund = requireFund(fundId);
        List<PeriodStatement> out = new ArrayList<>();
        jdbc.query("SELECT period, closed_through, closed_at, actor, position FROM period_close"
                        + " WHERE fund_id = ? ORDER BY period",
                rs -> {
                    String period = rs.getString(1);
                    out.add(new PeriodStatement(fundId, period,
                            rs.getDate(2).toLocalDate(), rs.getTimestamp(3).toInstant(),
                            rs.getString(4), rs.getLong(5), fund.currency(),
                            jdbc.query("SELECT account, balance_minor FROM period_statement"
                                            + " WHERE fund_id = ? AND period = ? ORDER BY account",
                                    (r, n) -> new Posting(r.getString(1), r.getLong(2)),
                                    fundId, period)));
                }, fundId);
        return out;
    }

    /** A loan with its current schedule (instalments not superseded by a later version). */
    public record LoanView(String loanId, String fundId, String borrowerId, long principalMinor,
            String currency, java.math.BigDecimal annualRate, int termMonths, String method,
            String purpose, String status, String appliedBy, String decidedBy,
            LocalDate appliedOn, LocalDate disbursedOn, LocalDate closedOn,
            long outstandingPrincipalMinor, int scheduleVersion, List<InstalmentView> schedule) {
    }

    public record InstalmentView(int number, int version, LocalDate dueDate,
            long principalMinor, long interestMinor, long principalPaidMinor,
            long interestPaidMinor) {
    }

    public List<LoanView> loans(String fundId) {
        requireFund(fundId);
        return jdbc.query(LOAN_SELECT + " WHERE fund_id = ? ORDER BY applied_on, loan_id LIMIT "
                + PAGE_SIZE_MAX, (rs, n) -> loanRow(rs, List.of()), fundId);
    }

    public LoanView loan(String fundId, String loanId) {
        requireFund(fundId);
        List<InstalmentView> schedule = jdbc.query("SELECT number, version, due_date,"
                        + " principal_minor, interest_minor, principal_paid_minor,"
                        + " interest_paid_minor FROM loan_instalment WHERE loan_id = ?"
                        + " AND superseded_by IS NULL ORDER BY number",
                (rs, n) -> new InstalmentView(rs.getInt(1), rs.getInt(2),
                        rs.getDate(3).toLocalDate(), rs.getLong(4), rs.getLong(5), rs.getLong(6),
                        rs.getLong(7)), loanId);
        return jdbc.query(LOAN_SELECT + " WHERE fund_id = ? AND loan_id = ?",
                        (rs, n) -> loanRow(rs, schedule), fundId, loanId).stream().findFirst()
                .orElseThrow(() -> new RuleViolation(Rule.LOAN_NOT_FOUND,
                        "fund " + fundId + " has no loan " + loanId));
    }

    private static final String LOAN_SELECT = "SELECT loan_id, fund_id, borrower_id,"
            + " principal_minor, currency, annual_rate, term_months, method, purpose, status,"
            + " applied_by, decided_by, applied_on, disbursed_on, closed_on,"
            + " outstanding_principal_minor, schedule_version FROM loan_view";

    private static LoanView loanRow(java.sql.ResultSet rs, List<InstalmentView> schedule)
            throws java.sql.SQLException {
        return new LoanView(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                rs.getString(5), rs.getBigDecimal(6).stripTrailingZeros(), rs.getInt(7),
                rs.getString(8), rs.getString(9), rs.getString(10), rs.getString(11),
                rs.getString(12), toLocalDate(rs.getDate(13)), toLocalDate(rs.getDate(14)),
                toLocalDate(rs.getDate(15)), rs.getLong(16), rs.getInt(17), schedule);
    }

    /** The head of the tamper-evident event chain the command side maintains. */
    public record ChainHeadView(long position, long globalIndex, String digest) {
    }

    public ChainHeadView chainHead() {
        return jdbc.queryForObject("SELECT h.chain_seq, COALESCE(c.global_index, 0),"
                        + " encode(h.digest, 'hex') FROM event_chain_head h"
                        + " LEFT JOIN event_chain c ON c.chain_seq = h.chain_seq WHERE h.id = 1",
                (rs, n) -> new ChainHeadView(rs.getLong(1), rs.getLong(2), rs.getString(3)));
    }

    public List<UnionBodyView> unionBodies() {
        return jdbc.query("SELECT body_id, name, level, parent_id FROM union_body_view"
                        + " ORDER BY body_id LIMIT " + PAGE_SIZE_MAX,
                (rs, n) -> new UnionBodyView(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getString(4)));
    }

    public List<PartnerView> partners() {
        return jdbc.query("SELECT partner_id, name FROM partner_view ORDER BY partner_id LIMIT "
                + PAGE_SIZE_MAX, (rs, n) -> new PartnerView(rs.getString(1), rs.getString(2)));
    }

    public Optional<FundView> fund(String fundId) {
        return jdbc.query("SELECT fund_id, body_id, name, purpose, currency,"
                        + " approval_threshold_minor, status, opened_on, closed_on"
                        + " FROM fund_view WHERE fund_id = ?",
                (rs, n) -> new FundView(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getString(5), rs.getLong(6), rs.getString(7),
                        toLocalDate(rs.getDate(8)), toLocalDate(rs.getDate(9))), fundId)
                .stream().findFirst();
    }

    public List<FundView> funds() {
        return jdbc.query("SELECT fund_id, body_id, name, purpose, currency,"
                        + " approval_threshold_minor, status, opened_on, closed_on"
                        + " FROM fund_view ORDER BY fund_id LIMIT " + PAGE_SIZE_MAX,
                (rs, n) -> new FundView(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getString(5), rs.getLong(6), rs.getString(7),
                        toLocalDate(rs.getDate(8)), toLocalDate(rs.getDate(9))));
    }

    public FundView requireFund(String fundId) {
        return fund(fundId).orElseThrow(() -> new RuleViolation(Rule.FUND_NOT_FOUND,
                "fund " + fundId + " does not exist"));
    }

    /** A fund's balances now. */
    public FundBalances balances(String fundId, LocalDate asOf) {
        return balances(fundId, asOf, null);
    }

    /**
     * A fund's balances now (both bounds null; kept in memory until they change, see
     * {@link BalanceCache}), as of the end of a value date, as of an event position (every entry
     * made by the event at that global index or before it), or both. Now
     * is read in one statement, so cash and commitments come from the same snapshot; it is the
     * partners' most frequent call, and one round trip instead of several is what keeps it fast.
     * The fund's commitments are summed once, in a lateral subquery on the fund's row: as a
     * subquery in the select list PostgreSQL summed them again for every account row (three
     * times for a fund with cash, one income and one expense account). Accounts come back in
     * the order of their codes, sorted here rather than by the statement.
     */
    public FundBalances balances(String fundId, LocalDate asOf, Long asOfPosition) {
        if (asOf == null && asOfPosition == null) {
            return balanceCache.get(fundId, () -> read(fundId, null, null));
        }
        return read(fundId, asOf, asOfPosition);
    }

    /** {@link #balances(String, LocalDate, Long)} from the read models, never from memory. */
    private FundBalances read(String fundId, LocalDate asOf, Long asOfPosition) {
        Map<String, Long> accounts = new TreeMap<>();
        boolean now = asOf == null && asOfPosition == null;
        long[] position = {0};
        long[] committedNow = {0};
        String currency;
        if (now) {
            String[] found = {null};
            jdbc.query("SELECT f.currency, a.account, a.balance_minor, a.position, c.committed"
                            + " FROM fund_view f CROSS JOIN LATERAL"
                            + " (SELECT COALESCE(SUM(p.amount_minor), 0) AS committed"
                            + " FROM payout_view p"
                            + " WHERE p.fund_id = f.fund_id AND p.status = 'APPROVED') c"
                            + " LEFT JOIN account_balance a ON a.fund_id = f.fund_id"
                            + " WHERE f.fund_id = ?",
                    rs -> {
                        found[0] = rs.getString(1);
                        committedNow[0] = rs.getLong(5);
                        if (rs.getString(2) != null) {
                            accounts.put(rs.getString(2), rs.getLong(3));
                            position[0] = Math.max(position[0], rs.getLong(4));
                        }
                    }, fundId);
            if (found[0] == null) {
                throw new RuleViolation(Rule.FUND_NOT_FOUND, "fund " + fundId
                        + " does not exist");
            }
            currency = found[0];
        } else {
            currency = requireFund(fundId).currency();
            Date date = asOf == null ? null : Date.valueOf(asOf);
            long upTo = asOfPosition == null ? Long.MAX_VALUE : asOfPosition;
            jdbc.query("SELECT account, SUM(amount_minor), MAX(position) FROM journal_line"
                            + " WHERE fund_id = ? AND (?::date IS NULL OR value_date <= ?::date)"
                            + " AND position <= ? GROUP BY account",
                    rs -> {
                        accounts.put(rs.getString(1), rs.getLong(2));
                        position[0] = Math.max(position[0], rs.getLong(3));
                    }, fundId, date, date, upTo);
        }
        long cash = accounts.getOrDefault(Accounts.CASH, 0L);
        Map<String, Long> reserves = new LinkedHashMap<>();
        Map<String, Long> income = new LinkedHashMap<>();
        Map<String, Long> expense = new LinkedHashMap<>();
        accounts.forEach((account, balance) -> {
            if (account.startsWith(Accounts.RESERVE_PREFIX)) {
                reserves.put(account.substring(Accounts.RESERVE_PREFIX.length()), balance);
            } else if (account.startsWith(Accounts.INCOME_PREFIX)) {
                income.put(account, Math.negateExact(balance));
            } else if (account.startsWith(Accounts.EXPENSE_PREFIX)) {
                expense.put(account, balance);
            }
        });
        Long committed = now ? committedNow[0] : null;
        Long available = now ? Math.subtractExact(cash, committedNow[0]) : null;
        // Unmodifiable: balances now are kept in memory and handed to every reader.
        return new FundBalances(fundId, currency, asOf, asOfPosition, cash, committed,
                available, accounts.getOrDefault(Accounts.LOANS_RECEIVABLE, 0L),
                Collections.unmodifiableMap(reserves), Collections.unmodifiableMap(income),
                Collections.unmodifiableMap(expense), position[0]);
    }

    public TrialBalance trialBalance(String fundId) {
        FundView fund = requireFund(fundId);
        List<Posting> lines = jdbc.query("SELECT account, balance_minor FROM account_balance"
                        + " WHERE fund_id = ? ORDER BY account",
                (rs, n) -> new Posting(rs.getString(1), rs.getLong(2)), fundId);
        long debits = 0;
        long credits = 0;
        for (Posting p : lines) {
            if (p.amountMinor() >= 0) {
                debits = Math.addExact(debits, p.amountMinor());
            } else {
                credits = Math.subtractExact(credits, p.amountMinor());
            }
        }
        return new TrialBalance(fundId, fund.currency(), lines, debits, credits);
    }

    /** Journal entries after a position, oldest first, at most pageSize of them. */
    public List<JournalEntry> journal(String fundId, long afterPosition, int pageSize) {
        return journal(fundId, afterPosition, pageSize, true);
    }

    /**
     * Journal entries after a position, oldest first. Without corrections, reversals and the
     * entries they reverse are left out, which shows what stands rather than how it came to be.
     */
    public List<JournalEntry> journal(String fundId, long afterPosition, int pageSize,
            boolean withCorrections) {
        requireFund(fundId);
        if (pageSize < 1 || pageSize > PAGE_SIZE_MAX) {
            throw new RuleViolation(Rule.PAGE_SIZE_INVALID,
                    "page size must be between 1 and " + PAGE_SIZE_MAX + ", was " + pageSize);
        }
        List<JournalEntry> entries = new ArrayList<>();
        Map<String, List<Posting>> lines = new LinkedHashMap<>();
        jdbc.query("SELECT event_id, position, transaction_id, kind, value_date, recorded_at,"
                        + " reverses_transaction_id, actor, description, currency FROM journal_entry"
                        + " j WHERE fund_id = ? AND position > ? AND (? OR (kind <> 'REVERSAL'"
                        + " AND NOT EXISTS (SELECT 1 FROM journal_entry r WHERE r.fund_id ="
                        + " j.fund_id AND r.reverses_transaction_id = j.transaction_id)))"
                        + " ORDER BY position LIMIT ?",
                rs -> {
                    List<Posting> own = new ArrayList<>();
                    lines.put(rs.getString(1), own);
                    entries.add(new JournalEntry(rs.getLong(2), rs.getString(1),
                            rs.getString(3), rs.getString(4), toLocalDate(rs.getDate(5)),
                            rs.getTimestamp(6).toInstant(), rs.getString(7), rs.getString(8),
                            rs.getString(9), rs.getString(10), own));
                }, fundId, afterPosition, withCorrections, pageSize);
        if (!entries.isEmpty()) {
            jdbc.query("SELECT event_id, account, amount_minor FROM journal_line"
                            + " WHERE fund_id = ? AND position > ? AND position <= ?"
                            + " ORDER BY position, line_no",
                    rs -> {
                        List<Posting> own = lines.get(rs.getString(1));
                        if (own != null) {
                            own.add(new Posting(rs.getString(2), rs.getLong(3)));
                        }
                    }, fundId, afterPosition, entries.get(entries.size() - 1).position());
        }
        return entries;
    }

    public List<PayoutView> payouts(String fundId, String status) {
        requireFund(fundId);
        return jdbc.query("SELECT payout_id, fund_id, beneficiary_id, category, amount_minor,"
                        + " currency, status, requested_by, approved_by, reason, requested_on,"
                        + " paid_on FROM payout_view WHERE fund_id = ?"
                        + " AND (?::text IS NULL OR status = ?) ORDER BY requested_at, payout_id"
                        + " LIMIT " + PAGE_SIZE_MAX,
                (rs, n) -> new PayoutView(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getLong(5), rs.getString(6), rs.getString(7),
                        rs.getString(8), rs.getString(9), rs.getString(10),
                        toLocalDate(rs.getDate(11)), toLocalDate(rs.getDate(12))),
                fundId, status, status);
    }

    private static LocalDate toLocalDate(Date date) {
        return date == null ? null : date.toLocalDate();
    }
}
