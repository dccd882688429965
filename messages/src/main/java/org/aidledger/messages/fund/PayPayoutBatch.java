package org.aidledger.messages.fund;

import java.time.LocalDate;
import java.util.List;
import org.aidledger.messages.rules.Rule;
import org.aidledger.messages.rules.RuleViolation;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Pays a round of small payouts of one category from a fund in one command, such as the Spring
 * Festival condolence round (送温暖). Each line must be within the fund's approval threshold,
 * as a single payout of that size would be approved on request; the whole batch is paid or
 * none of it.
 */
public record PayPayoutBatch(@TargetAggregateIdentifier String fundId,
        String batchId,
        PayoutCategory category,
        String reason,
        String currency,
        LocalDate valueDate,
        List<BatchPayoutLine> lines) {

    /** The most lines one batch may carry. */
    public static final int LINES_MAX = 100_000;
    /** Lines per event: a batch is recorded as events of at most this many payouts each. */
    public static final int LINES_PER_PART = 1_000;

    /** A batch holds at least one line and at most {@link #LINES_MAX}. */
    public static void requireLineCount(int lines) {
        if (lines == 0) {
            throw new RuleViolation(Rule.BATCH_EMPTY, "a payout batch needs at least one line");
        }
        if (lines > LINES_MAX) {
            throw new RuleViolation(Rule.BATCH_TOO_LARGE, "a payout batch holds at most "
                    + LINES_MAX + " lines; this one has " + lines);
        }
    }
}
