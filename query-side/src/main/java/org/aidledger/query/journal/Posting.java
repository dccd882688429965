package org.aidledger.query.journal;

/** One line of a journal entry: a signed amount on an account (debit positive). */
public record Posting(String account, long amountMinor) {

    public Posting negate() {
        return new Posting(account, Math.negateExact(amountMinor));
    }
}
