package org.aidledger.command.partner;

import org.aidledger.command.support.Existence;
import org.aidledger.messages.partner.RegisterPartner;
import org.aidledger.messages.rules.Rule;
import org.aidledger.messages.rules.RuleViolation;
import org.axonframework.commandhandling.CommandHandler;
import org.springframework.stereotype.Component;

/** Registers a partner credit union under an id not used before. */
@Component
public class PartnerRegistration {

    private final Existence existence;

    public PartnerRegistration(Existence existence) {
        this.existence = existence;
    }

    @CommandHandler
    public String handle(RegisterPartner cmd) {
        if (cmd.partnerId() == null || cmd.partnerId().isBlank()) {
            throw new RuleViolation(Rule.FIELD_REQUIRED, "partnerId is required");
        }
        if (cmd.name() == null || cmd.name().isBlank()) {
            throw new RuleViolation(Rule.FIELD_REQUIRED, "name is required");
        }
        existence.requireUnused(cmd.partnerId(), Rule.PARTNER_ALREADY_EXISTS, "partner");
        existence.create(Partner.class, () -> new Partner(cmd));
        return cmd.partnerId();
    }
}
