package org.aidledger.messages.rules;

import java.util.regex.Pattern;

/**
 * The one rule for ids callers send (funds, bodies, partners, beneficiaries, loans), the same
 * over REST and gRPC: 1 to 64 letters, digits or . _ : - (so no control character such as a
 * NUL byte ever reaches the database).
 */
public final class Ids {

    public static final int LENGTH_MAX = 64;
    /** How the rule reads in a refusal. */
    public static final String RULE_TEXT = "must be 1 to " + LENGTH_MAX
            + " letters, digits or . _ : -";
    private static final Pattern WELL_FORMED = Pattern.compile("[\\p{L}\\p{N}._:\\-]+");

    private Ids() {
    }

    public static boolean wellFormed(String value) {
        return value.length() <= LENGTH_MAX && WELL_FORMED.matcher(value).matches();
    }
}
