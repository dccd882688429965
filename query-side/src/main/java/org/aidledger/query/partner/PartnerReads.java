package org.aidledger.query.partner;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import org.aidledger.messages.rules.Rule;
import org.aidledger.messages.rules.RuleViolation;
import org.aidledger.query.read.LedgerReads;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Reads for partner credit unions, served from the read models. */
@Component
public class PartnerReads {

    private final JdbcTemplate jdbc;

    public PartnerReads(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public record Loan(String loanId, String fundId, String partnerId, String borrowerId,
            long principalMinor, String currency, BigDecimal annualRate, int termMonths,
            String method, BigDecimal subsidyShare, long subsidyCapMinor,
            long subsidyPaidMinor, String status, String endReason, LocalDate endedOn,
            LocalDate registeredOn) {
    }

    public record Period(int number, LocalDate dueDate, long principalMinor, long interestMinor,
            long subsidyPaidMinor) {
    }

    public record FundReserve(String fundId, long balanceMinor, String currency) {
    }

    public record Payment(long position, String transactionId, String loanId, String fundId,
            int period, long amountMinor, String currency, LocalDate valueDate) {
    }

    private static final String LOAN_SELECT = "SELECT loan_id, fund_id, partner_id,"
            + " borrower_id, principal_minor, currency, annual_rate, term_months, method,"
            + " subsidy_share, subsidy_cap_minor, subsidy_paid_minor, status, end_reason,"
            + " ended_on, registered_on FROM subsidised_loan_view";

    public void requirePartner(String partnerId) {
        if (jdbc.queryForObject("SELECT count(*) FROM partner_view WHERE partner_id = ?",
                Long.class, partnerId) == 0) {
            throw new RuleViolation(Rule.PARTNER_NOT_FOUND,
                    "partner " + partnerId + " is not registered");
        }
    }

    /** Loans after the given one in registration order, at most pageSize. */
    public List<Loan> loans(String partnerId, String afterLoanId, int pageSize) {
        requirePartner(partnerId);
        requirePageSize(pageSize);
        return jdbc.query(LOAN_SELECT + " WHERE partner_id = ? AND loan_id > ?"
                + " ORDER BY loan_id LIMIT ?", (rs, n) -> loan(rs), partnerId,
                afterLoanId == null ? "" : afterLoanId, pageSize);
    }

    public Loan loan(String partnerId, String loanId) {
        requirePartner(partnerId);
        return jdbc.query(LOAN_SELECT + " WHERE partner_id = ? AND loan_id = ?",
                        (rs, n) -> loan(rs), partnerId, loanId).stream().findFirst()
                .orElseThrow(() -> new RuleViolation(Rule.LOAN_NOT_FOUND, "partner "
                        + partnerId + " serves no subsidised loan " + loanId));
    }

    public List<Period> schedule(String loanId) {
        return jdbc.query("SELECT i.number, i.due_date, i.principal_minor, i.interest_minor,"
                        + " COALESCE(SUM(p.amount_minor), 0) FROM subsidised_instalment i"
                        + " LEFT JOIN subsidy_payment p ON p.loan_id = i.loan_id"
                        + " AND p.period = i.number WHERE i.loan_id = ? GROUP BY i.number,"
                        + " i.due_date, i.principal_minor, i.interest_minor ORDER BY i.number",
                (rs, n) -> new Period(rs.getInt(1), rs.getDate(2).toLocalDate(), rs.getLong(3),
                        rs.getLong(4), rs.getLong(5)), loanId);
    }

    public List<FundReserve> reserves(String partnerId) {
        requirePartner(partnerId);
        return jdbc.query("SELECT fund_id, balance_minor, currency FROM account_balance"
                        + " WHERE account = ? ORDER BY fund_id",
                (rs, n) -> new FundReserve(rs.getString(1), rs.getLong(2), rs.getString(3)),
                "ASSET:RESERVE:" + partnerId);
    }

    public List<Payment> payments(String partnerId, long afterPosition, int pageSize) {
        requirePartner(partnerId);
        requirePageSize(pageSize);
        return jdbc.query("SELECT position, transaction_id, loan_id, fund_id, period,"
                        + " amount_minor, currency, value_date FROM subsidy_payment"
                        + " WHERE partner_id = ? AND position > ? ORDER BY position LIMIT ?",
                (rs, n) -> new Payment(rs.getLong(1), rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getInt(5), rs.getLong(6), rs.getString(7),
                        rs.getDate(8).toLocalDate()), partnerId, afterPosition, pageSize);
    }

    public record Shortfall(String loanId, int period, String fundId, long dueMinor,
            long reserveMinor, String currency, LocalDate dueDate) {
    }

    public List<Shortfall> shortfalls(String partnerId) {
        requirePartner(partnerId);
        return jdbc.query("SELECT s.loan_id, s.period, s.fund_id, s.due_minor, s.reserve_minor,"
                        + " l.currency, s.due_date FROM subsidy_shortfall s JOIN"
                        + " subsidised_loan_view l ON l.loan_id = s.loan_id WHERE s.partner_id = ?"
                        + " ORDER BY s.due_date, s.loan_id, s.period LIMIT "
                        + LedgerReads.PAGE_SIZE_MAX,
                (rs, n) -> new Shortfall(rs.getString(1), rs.getInt(2), rs.getString(3),
                        rs.getLong(4), rs.getLong(5), rs.getString(6),
                        rs.getDate(7).toLocalDate()), partnerId);
    }

    private static void requirePageSize(int pageSize) {
        if (pageSize < 1 || pageSize > LedgerReads.PAGE_SIZE_MAX) {
            throw new RuleViolation(Rule.PAGE_SIZE_INVALID, "page size must be between 1 and "
                    + LedgerReads.PAGE_SIZE_MAX + ", was " + pageSize);
        }
    }

    private static Loan loan(java.sql.ResultSet rs) throws java.sql.SQLException {
        java.sql.Date ended = rs.getDate(15);
        return new Loan(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getLong(5), rs.getString(6), rs.getBigDecimal(7).stripTrailingZeros(),
                rs.getInt(8), rs.getString(9), rs.getBigDecimal(10).stripTrailingZeros(),
                rs.getLong(11), rs.getLong(12), rs.getString(13), rs.getString(14),
                ended == null ? null : ended.toLocalDate(), rs.getDate(16).toLocalDate());
    }
}
