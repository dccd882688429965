package org.aidledger.query.directory;

import org.aidledger.messages.body.UnionBodyRegistered;
import org.aidledger.messages.fund.FundClosed;
import org.aidledger.messages.fund.FundOpened;
import org.aidledger.messages.loan.LoanPolicySet;
import org.aidledger.messages.partner.PartnerRegistered;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Keeps the lists of union bodies, partners and funds. Every write is idempotent. */
@Component
@ProcessingGroup(DirectoryProjection.GROUP)
public class DirectoryProjection {

    public static final String GROUP = "directory";

    private final JdbcTemplate jdbc;

    public DirectoryProjection(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(UnionBodyRegistered e) {
        jdbc.update("INSERT INTO union_body_view (body_id, name, level, parent_id)"
                        + " VALUES (?, ?, ?, ?) ON CONFLICT (body_id) DO NOTHING",
                e.bodyId(), e.name(), e.level().name(), e.parentId());
    }

    @EventHandler
    void on(PartnerRegistered e) {
        jdbc.update("INSERT INTO partner_view (partner_id, name) VALUES (?, ?)"
                + " ON CONFLICT (partner_id) DO NOTHING", e.partnerId(), e.name());
    }

    @EventHandler
    void on(FundOpened e) {
        jdbc.update("INSERT INTO fund_view (fund_id, body_id, name, purpose, currency,"
                        + " approval_threshold_minor, status, opened_on)"
                        + " VALUES (?, ?, ?, ?, ?, ?, 'OPEN', ?) ON CONFLICT (fund_id) DO NOTHING",
                e.fundId(), e.bodyId(), e.name(), e.purpose().name(), e.currency(),
                e.approvalThreshold().amountMinor(), e.valueDate());
    }

    @EventHandler
    void on(FundClosed e) {
        jdbc.update("UPDATE fund_view SET status = 'CLOSED', closed_on = ? WHERE fund_id = ?",
                e.valueDate(), e.fundId());
    }

    @EventHandler
    void on(LoanPolicySet e) {
        jdbc.update("UPDATE fund_view SET penalty_annual_rate = ?, allocation_order = ?"
                + " WHERE fund_id = ?", e.penaltyAnnualRate(), e.allocationOrder().name(),
                e.fundId());
    }

    @ResetHandler
    void reset() {
        jdbc.execute("TRUNCATE union_body_view, partner_view, fund_view");
    }
}
