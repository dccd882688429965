package org.aidledger.messages.rules;

/**
 * A refusal: the request would break the named rule. Thrown by command handlers before anything is
 * applied, so a refused command leaves no event behind.
 */
public class RuleViolation extends RuntimeException {

    private final Rule rule;

    public RuleViolation(Rule rule, String message) {
        super(message);
        this.rule = rule;
    }

    public Rule rule() {
        return rule;
    }

    /** What travels in Axon's CommandExecutionException details across a bus. */
    public RuleDetails details() {
        return new RuleDetails(rule.name(), getMessage());
    }
}
