package org.aidledger.command.support;

/**
 * The acting user travels with every command as the metadata entry {@value #KEY}, and Axon's
 * correlation data copies it onto every event the command produces.
 */
public final class Actor {

    public static final String KEY = "actor";
    public static final String CLIENT_TRANSACTION_ID = "clientTransactionId";
    private static final String SYSTEM = "system";

    private Actor() {
    }

    public static String orSystem(String actor) {
        return actor == null || actor.isBlank() ? SYSTEM : actor;
    }
}
