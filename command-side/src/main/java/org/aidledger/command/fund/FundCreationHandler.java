package org.aidledger.command.fund;

import org.aidledger.command.body.UnionBody;
import org.aidledger.command.partner.Partner;
import org.aidledger.command.support.Existence;
import org.aidledger.messages.fund.DepositReserve;
import org.aidledger.messages.fund.OpenFund;
import org.aidledger.messages.rules.Rule;
import org.aidledger.messages.rules.RuleViolation;
import org.axonframework.commandhandling.CommandHandler;
import org.springframework.stereotype.Component;

/**
 * Commands that need to see another aggregate before a fund can act: a fund is opened only for a
 * registered union body, and a reserve is deposited only at a registered partner.
 */
@Component
public class FundCreationHandler {

    private final Existence existence;

    public FundCreationHandler(Existence existence) {
        this.existence = existence;
    }

    @CommandHandler
    public String handle(OpenFund cmd) {
        if (cmd.fundId() == null || cmd.fundId().isBlank()) {
            throw new RuleViolation(Rule.FIELD_REQUIRED, "fundId is required");
        }
        if (!existence.exists(UnionBody.class, cmd.bodyId())) {
            throw new RuleViolation(Rule.UNION_BODY_NOT_FOUND,
                    "union body " + cmd.bodyId() + " is not registered");
        }
        existence.requireUnused(cmd.fundId(), Rule.FUND_ALREADY_EXISTS, "fund");
        existence.create(Fund.class, () -> new Fund(cmd));
        return cmd.fundId();
    }

    @CommandHandler
    public String handle(DepositReserve cmd) {
        if (!existence.exists(Partner.class, cmd.partnerId())) {
            throw new RuleViolation(Rule.PARTNER_NOT_FOUND,
                    "partner " + cmd.partnerId() + " is not registered");
        }
        existence.load(Fund.class, cmd.fundId(), Rule.FUND_NOT_FOUND, "fund")
                .execute(fund -> fund.depositReserve(cmd));
        return cmd.transactionId();
    }
}
