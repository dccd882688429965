package org.aidledger.command.body;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import org.aidledger.messages.body.RegisterUnionBody;
import org.aidledger.messages.body.UnionBodyRegistered;
import org.aidledger.messages.body.UnionLevel;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

/** A union body; the rules about its place in the tree are checked by the registration handler. */
@Aggregate
public class UnionBody {

    @AggregateIdentifier
    private String bodyId;
    private UnionLevel level;

    protected UnionBody() {
        // Required by Axon.
    }

    UnionBody(RegisterUnionBody cmd) {
        apply(new UnionBodyRegistered(cmd.bodyId(), cmd.name(), cmd.level(), cmd.parentId()));
    }

    public UnionLevel level() {
        return level;
    }

    @EventSourcingHandler
    void on(UnionBodyRegistered e) {
        bodyId = e.bodyId();
        level = e.level();
    }
}
