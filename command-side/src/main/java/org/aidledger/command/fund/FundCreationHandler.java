package org.aidledger.command.fund;

import org.aidledger.command.body.UnionBody;
import org.aidledger.command.partner.Partner;
import org.aidledger.command.support.Existence;
import org.aidledger.messages.fund.DepositReserve;
import org.aidledger.messages.fund.OpenFund;
import org.aidledger.messages.loan.ConvertLoanToGrant;
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

    /**
     * Converts a loan into a hardship grant: the loan's fund is paid its outstanding principal
     * by the hardship fund, both in this one unit of work, so either both funds change or neither.
     */
    @CommandHandler
    public String handle(ConvertLoanToGrant cmd) {
        if (cmd.hardshipFundId() == null || cmd.hardshipFundId().equals(cmd.fundId())) {
            throw new RuleViolation(Rule.FIELD_INVALID,
                    "hardshipFundId must name another fund, the one that pays the grant");
        }
        // Both funds are locked for the unit of work; taking the locks in id order means two
        // conversions between the same funds in opposite directions cannot deadlock.
        boolean loanFundFirst = cmd.fundId().compareTo(cmd.hardshipFundId()) < 0;
        var first = existence.load(Fund.class, loanFundFirst ? cmd.fundId()
                : cmd.hardshipFundId(), Rule.FUND_NOT_FOUND, "fund");
        var second = existence.load(Fund.class, loanFundFirst ? cmd.hardshipFundId()
                : cmd.fundId(), Rule.FUND_NOT_FOUND, "fund");
        var loanFund = loanFundFirst ? first : second;
        var hardshipFund = loanFundFirst ? second : first;
        long[] amount = new long[1];
        String[] currency = new String[1];
        loanFund.execute(f -> {
            f.checkConversion(cmd);
            amount[0] = f.outstandingPrincipalOf(cmd.loanId());
            currency[0] = f.currency();
        });
        hardshipFund.execute(f -> {
            if (!f.currency().equals(currency[0])) {
                throw new RuleViolation(Rule.CURRENCY_MISMATCH, "the hardship fund keeps "
                        + f.currency() + " and the loan is in " + currency[0]);
            }
            f.payLoanGrant(cmd, amount[0]);
        });
        loanFund.execute(f -> f.convertLoan(cmd));
        return cmd.loanId();
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
