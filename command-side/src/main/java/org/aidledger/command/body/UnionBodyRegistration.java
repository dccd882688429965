package org.aidledger.command.body;

import org.aidledger.command.support.Existence;
import org.aidledger.messages.body.RegisterUnionBody;
import org.aidledger.messages.rules.Rule;
import org.aidledger.messages.rules.RuleViolation;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.modelling.command.Aggregate;
import org.springframework.stereotype.Component;

/** Registers a union body after checking its id is free and its parent exists above it. */
@Component
public class UnionBodyRegistration {

    private final Existence existence;

    public UnionBodyRegistration(Existence existence) {
        this.existence = existence;
    }

    @CommandHandler
    public String handle(RegisterUnionBody cmd) {
        if (cmd.bodyId() == null || cmd.bodyId().isBlank()) {
            throw new RuleViolation(Rule.FIELD_REQUIRED, "bodyId is required");
        }
        if (cmd.name() == null || cmd.name().isBlank()) {
            throw new RuleViolation(Rule.FIELD_REQUIRED, "name is required");
        }
        if (cmd.level() == null) {
            throw new RuleViolation(Rule.FIELD_REQUIRED, "level is required");
        }
        existence.requireUnused(cmd.bodyId(), Rule.UNION_BODY_ALREADY_EXISTS, "union body");
        if (cmd.parentId() != null && !cmd.parentId().isBlank()) {
            Aggregate<UnionBody> parent = existence.load(UnionBody.class, cmd.parentId(),
                    Rule.UNION_BODY_NOT_FOUND, "parent union body");
            parent.execute(p -> {
                if (!p.level().isAbove(cmd.level())) {
                    throw new RuleViolation(Rule.PARENT_BODY_LEVEL, "a " + cmd.level()
                            + " body cannot sit under a " + p.level() + " body");
                }
            });
        }
        existence.create(UnionBody.class, () -> new UnionBody(cmd));
        return cmd.bodyId();
    }
}
