package org.aidledger.command.partner;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import org.aidledger.messages.partner.PartnerRegistered;
import org.aidledger.messages.partner.RegisterPartner;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

/** A partner credit union. Loans it serves and its partner identity come in later issues. */
@Aggregate
public class Partner {

    @AggregateIdentifier
    private String partnerId;

    protected Partner() {
        // Required by Axon.
    }

    Partner(RegisterPartner cmd) {
        apply(new PartnerRegistered(cmd.partnerId(), cmd.name()));
    }

    @EventSourcingHandler
    void on(PartnerRegistered e) {
        partnerId = e.partnerId();
    }
}
