package org.aidledger.query.loan;

import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.aidledger.messages.rules.Rule;
import org.aidledger.messages.rules.RuleViolation;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Builds arrears reports from the loan read models, for one fund or for a union body and every
 * body below it, one report per currency. Payments count by their value date, so a report can
 * be asked for any past date; it uses each loan's current schedule.
 */
@Component
public class ArrearsReports {

    private final JdbcTemplate jdbc;

    public ArrearsReports(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A report and the currency it is in. */
    public record CurrencyReport(String currency, Arrears.Report report) {
    }

    @Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
    public List<CurrencyReport> forFund(String fundId, LocalDate asOf) {
        if (jdbc.queryForObject("SELECT count(*) FROM fund_view WHERE fund_id = ?", Long.class,
                fundId) == 0) {
            throw new RuleViolation(Rule.FUND_NOT_FOUND, "fund " + fundId + " does not exist");
        }
        return build(jdbc.queryForList("SELECT loan_id FROM loan_view WHERE fund_id = ?",
                String.class, fundId), asOf);
    }

    @Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
    public List<CurrencyReport> forBody(String bodyId, LocalDate asOf) {
        if (jdbc.queryForObject("SELECT count(*) FROM union_body_view WHERE body_id = ?",
                Long.class, bodyId) == 0) {
            throw new RuleViolation(Rule.UNION_BODY_NOT_FOUND,
                    "union body " + bodyId + " does not exist");
        }
        return build(jdbc.queryForList("WITH RECURSIVE tree AS (SELECT body_id FROM"
                + " union_body_view WHERE body_id = ? UNION SELECT b.body_id FROM union_body_view b"
                + " JOIN tree t ON b.parent_id = t.body_id) SELECT l.loan_id FROM loan_view l"
                + " JOIN fund_view f ON f.fund_id = l.fund_id JOIN tree t ON t.body_id ="
                + " f.body_id", String.class, bodyId), asOf);
    }

    private List<CurrencyReport> build(List<String> loanIds, LocalDate asOf) {
        Map<String, List<Arrears.Loan>> byCurrency = new LinkedHashMap<>();
        Date date = Date.valueOf(asOf);
        for (String loanId : loanIds) {
            Map<String, Object> loan = jdbc.queryForMap("SELECT currency, principal_minor,"
                    + " status, disbursed_on, closed_on FROM loan_view WHERE loan_id = ?", loanId);
            Date disbursed = (Date) loan.get("disbursed_on");
            Date closed = (Date) loan.get("closed_on");
            // The portfolio on a date: loans paid out by then and not yet closed, written off
            // or converted by then.
            if (disbursed == null || disbursed.after(date)
                    || (closed != null && !closed.after(date))) {
                continue;
            }
            long principalPaid = jdbc.queryForObject("SELECT COALESCE(SUM(principal_minor), 0)"
                    + " FROM loan_payment WHERE loan_id = ? AND value_date <= ?", Long.class,
                    loanId, date);
            List<Arrears.Due> dues = jdbc.query("SELECT i.due_date, i.principal_minor"
                            + " + i.interest_minor, COALESCE((SELECT SUM(p.principal_minor"
                            + " + p.interest_minor) FROM loan_payment p WHERE p.loan_id = i.loan_id"
                            + " AND p.number = i.number AND p.value_date <= ?), 0)"
                            + " FROM loan_instalment i WHERE i.loan_id = ?"
                            + " AND i.superseded_by IS NULL ORDER BY i.number",
                    (rs, n) -> new Arrears.Due(rs.getDate(1).toLocalDate(), rs.getLong(2),
                            rs.getLong(3)), date, loanId);
            long outstanding = ((Number) loan.get("principal_minor")).longValue() - principalPaid;
            byCurrency.computeIfAbsent((String) loan.get("currency"), c -> new ArrayList<>())
                    .add(new Arrears.Loan(loanId, outstanding, dues));
        }
        List<CurrencyReport> out = new ArrayList<>();
        byCurrency.forEach((c, loans) -> out.add(new CurrencyReport(c, Arrears.of(asOf, loans))));
        return out;
    }
}
