package org.aidledger.command.fund;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.aidledger.messages.loan.ScheduledInstalment;
import org.aidledger.messages.subsidy.SubsidisedLoanRegistered;

/**
 * A loan a partner serves with the union paying its interest, or a share of it: plain Java. The
 * subsidy for a period is that period's scheduled interest times the share, rounded HALF_UP to
 * the fen, and never more than what the cap per loan still leaves.
 */
final class SubsidisedLoan {

    final String loanId;
    final String partnerId;
    final BigDecimal share;
    final long capMinor;
    final List<ScheduledInstalment> schedule;
    long paidMinor;
    final Set<Integer> paidPeriods = new HashSet<>();
    final Set<Integer> flaggedPeriods = new HashSet<>();
    LocalDate endedOn;

    SubsidisedLoan(SubsidisedLoanRegistered e) {
        loanId = e.loanId();
        partnerId = e.partnerId();
        share = e.subsidyShare();
        capMinor = e.subsidyCap().amountMinor();
        schedule = List.copyOf(e.schedule());
    }

    ScheduledInstalment period(int number) {
        return schedule.stream().filter(i -> i.number() == number).findFirst().orElse(null);
    }

    /** The subsidy due for a period: interest × share, rounded, within what the cap leaves. */
    static long dueMinor(long interestMinor, BigDecimal share, long capMinor, long paidMinor) {
        long full = BigDecimal.valueOf(interestMinor).multiply(share)
                .setScale(0, RoundingMode.HALF_UP).longValueExact();
        return Math.max(0, Math.min(full, Math.subtractExact(capMinor, paidMinor)));
    }

    long dueMinor(ScheduledInstalment period) {
        return dueMinor(period.interestMinor(), share, capMinor, paidMinor);
    }

    /** Equal when every field is: Axon's test fixture compares state rebuilt from events. */
    @Override
    public boolean equals(Object o) {
        return o instanceof SubsidisedLoan s && loanId.equals(s.loanId)
                && partnerId.equals(s.partnerId) && share.compareTo(s.share) == 0
                && capMinor == s.capMinor && schedule.equals(s.schedule)
                && paidMinor == s.paidMinor && paidPeriods.equals(s.paidPeriods)
                && flaggedPeriods.equals(s.flaggedPeriods)
                && Objects.equals(endedOn, s.endedOn);
    }

    @Override
    public int hashCode() {
        return Objects.hash(loanId, paidMinor);
    }
}
