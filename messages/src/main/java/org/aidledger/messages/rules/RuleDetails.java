package org.aidledger.messages.rules;

/** The serializable form of a refusal: the rule's code and the readable message. */
public record RuleDetails(String rule, String message) {
}
