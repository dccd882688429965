package org.aidledger.command.fund;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.aidledger.command.loan.schedule.Instalment;
import org.aidledger.command.loan.schedule.RepaymentMethod;
import org.aidledger.command.loan.schedule.ScheduleCalculator;
import org.aidledger.command.loan.schedule.ScheduleRequest;
import org.aidledger.messages.loan.AllocationOrder;
import org.aidledger.messages.loan.InstalmentPayment;
import org.aidledger.messages.loan.LoanApplied;
import org.aidledger.messages.loan.ScheduledInstalment;

/**
 * One microloan's state inside its fund, and the arithmetic of repaying it: plain Java, so the
 * rules can be tested without Axon. Repayments go to interest that has fallen due (oldest first),
 * then to principal that has fallen due, and anything beyond is early repayment of principal,
 * after which the instalments not yet due are recomputed as a new schedule version.
 */
final class LoanAccount {

    enum Status { APPLIED, APPROVED, REJECTED, ACTIVE, CLOSED, WRITTEN_OFF, CONVERTED }

    /** One instalment with what has been paid towards it. */
    static final class Line {
        final int number;
        final LocalDate dueDate;
        final long principalMinor;
        final long interestMinor;
        long principalPaidMinor;
        long interestPaidMinor;

        Line(ScheduledInstalment i) {
            number = i.number();
            dueDate = i.dueDate();
            principalMinor = i.principalMinor();
            interestMinor = i.interestMinor();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Line l && number == l.number && dueDate.equals(l.dueDate)
                    && principalMinor == l.principalMinor && interestMinor == l.interestMinor
                    && principalPaidMinor == l.principalPaidMinor
                    && interestPaidMinor == l.interestPaidMinor;
        }

        @Override
        public int hashCode() {
            return Objects.hash(number, dueDate, principalMinor, interestMinor);
        }
    }

    /** How a repayment splits, and what the schedule looks like after it. */
    record Allocation(long penaltyMinor, long interestMinor, long principalMinor,
            List<InstalmentPayment> lines, long earlyPrincipalMinor, long outstandingAfterMinor,
            List<ScheduledInstalment> rescheduled) {
    }

    final String loanId;
    final String borrowerId;
    final String appliedBy;
    final long principalMinor;
    final String currency;
    final BigDecimal annualRate;
    final int termMonths;
    final RepaymentMethod method;
    Status status = Status.APPLIED;
    LocalDate disbursedOn;
    long outstandingPrincipalMinor;
    int scheduleVersion;
    /** After a write-off: what may still be recovered from the borrower. */
    long recoverableMinor;
    long penaltyAccruedMinor;
    long penaltyPaidMinor;
    /** The date up to which penalty has been accrued; null before any. */
    LocalDate penaltyThrough;
    final List<Line> schedule = new ArrayList<>();

    LoanAccount(LoanApplied e) {
        loanId = e.loanId();
        borrowerId = e.borrowerId();
        appliedBy = e.appliedBy();
        principalMinor = e.principal().amountMinor();
        currency = e.principal().currency();
        annualRate = e.annualRate();
        termMonths = e.termMonths();
        method = RepaymentMethod.valueOf(e.method().name());
    }

    /** Equal when every field is: Axon's test fixture compares state rebuilt from events. */
    @Override
    public boolean equals(Object o) {
        return o instanceof LoanAccount a && loanId.equals(a.loanId)
                && borrowerId.equals(a.borrowerId) && appliedBy.equals(a.appliedBy)
                && principalMinor == a.principalMinor && currency.equals(a.currency)
                && annualRate.compareTo(a.annualRate) == 0 && termMonths == a.termMonths
                && method == a.method && status == a.status
                && Objects.equals(disbursedOn, a.disbursedOn)
                && outstandingPrincipalMinor == a.outstandingPrincipalMinor
                && scheduleVersion == a.scheduleVersion && schedule.equals(a.schedule)
                && recoverableMinor == a.recoverableMinor
                && penaltyAccruedMinor == a.penaltyAccruedMinor
                && penaltyPaidMinor == a.penaltyPaidMinor
                && Objects.equals(penaltyThrough, a.penaltyThrough);
    }

    @Override
    public int hashCode() {
        return Objects.hash(loanId, status, outstandingPrincipalMinor);
    }

    /** The first schedule, computed at disbursement. */
    List<ScheduledInstalment> firstSchedule(LocalDate firstDueDate) {
        return recorded(ScheduleCalculator.compute(new ScheduleRequest(principalMinor, currency,
                annualRate, termMonths, method, firstDueDate)).instalments());
    }

    void disbursed(LocalDate on, List<ScheduledInstalment> lines) {
        status = Status.ACTIVE;
        disbursedOn = on;
        outstandingPrincipalMinor = principalMinor;
        scheduleVersion = 1;
        schedule.clear();
        lines.forEach(i -> schedule.add(new Line(i)));
    }

    /**
     * Penalty on overdue principal from the later of its due date and the last accrual up to
     * the date, at a yearly rate over 365 days, rounded HALF_UP to the fen once per accrual.
     * Principal only changes with repayments, and each repayment accrues first, so between two
     * accruals the overdue principal is constant and this is exact.
     */
    long penaltyToAccrueMinor(LocalDate on, BigDecimal annualRate) {
        if (annualRate == null || annualRate.signum() == 0) {
            return 0;
        }
        BigDecimal total = BigDecimal.ZERO;
        for (Line l : schedule) {
            long unpaidPrincipal = l.principalMinor - l.principalPaidMinor;
            if (unpaidPrincipal <= 0 || !l.dueDate.isBefore(on)) {
                continue;
            }
            LocalDate from = penaltyThrough != null && penaltyThrough.isAfter(l.dueDate)
                    ? penaltyThrough : l.dueDate;
            long days = java.time.temporal.ChronoUnit.DAYS.between(from, on);
            if (days > 0) {
                total = total.add(BigDecimal.valueOf(unpaidPrincipal).multiply(annualRate)
                        .multiply(BigDecimal.valueOf(days)));
            }
        }
        return total.divide(BigDecimal.valueOf(365), 0, java.math.RoundingMode.HALF_UP)
                .longValueExact();
    }

    long penaltyDueMinor() {
        return Math.subtractExact(penaltyAccruedMinor, penaltyPaidMinor);
    }

    /** Interest fallen due by the date and not yet paid. */
    long interestDueMinor(LocalDate on) {
        long due = 0;
        for (Line l : schedule) {
            if (!l.dueDate.isAfter(on)) {
                due = Math.addExact(due, l.interestMinor - l.interestPaidMinor);
            }
        }
        return due;
    }

    /** What is still unpaid of an instalment of the current schedule with that due date. */
    long unpaidMinor(int number, LocalDate dueDate) {
        for (Line l : schedule) {
            if (l.number == number && l.dueDate.equals(dueDate)) {
                return l.principalMinor - l.principalPaidMinor + l.interestMinor
                        - l.interestPaidMinor;
            }
        }
        return 0;
    }

    /** The most a borrower can pay on a date: penalty, interest due and all principal. */
    long owedMinor(LocalDate on, long penaltyDueMinor) {
        return Math.addExact(Math.addExact(interestDueMinor(on), outstandingPrincipalMinor),
                penaltyDueMinor);
    }

    /**
     * Splits a repayment in the fund's order among penalty due, interest due and principal due
     * (oldest instalment first); what is left is early principal. The caller has checked it does
     * not exceed {@link #owedMinor}.
     */
    Allocation allocate(long amountMinor, LocalDate on, long penaltyDueMinor,
            AllocationOrder order) {
        long[] left = {amountMinor};
        long[] penalty = {0};
        long[] interest = new long[schedule.size()];
        long[] principal = new long[schedule.size()];
        Runnable payPenalty = () -> {
            penalty[0] = Math.min(left[0], penaltyDueMinor);
            left[0] -= penalty[0];
        };
        Runnable payInterest = () -> {
            for (int i = 0; i < schedule.size() && left[0] > 0; i++) {
                Line l = schedule.get(i);
                if (!l.dueDate.isAfter(on)) {
                    interest[i] = Math.min(left[0], l.interestMinor - l.interestPaidMinor);
                    left[0] -= interest[i];
                }
            }
        };
        Runnable payPrincipal = () -> {
            for (int i = 0; i < schedule.size() && left[0] > 0; i++) {
                Line l = schedule.get(i);
                if (!l.dueDate.isAfter(on)) {
                    principal[i] = Math.min(left[0], l.principalMinor - l.principalPaidMinor);
                    left[0] -= principal[i];
                }
            }
        };
        switch (order) {
            case INTEREST_PENALTY_PRINCIPAL -> {
                payInterest.run();
                payPenalty.run();
                payPrincipal.run();
            }
            case INTEREST_PRINCIPAL_PENALTY -> {
                payInterest.run();
                payPrincipal.run();
                payPenalty.run();
            }
            default -> {
                payPenalty.run();
                payInterest.run();
                payPrincipal.run();
            }
        }
        long early = left[0];
        long interestTotal = 0;
        long principalTotal = early;
        List<InstalmentPayment> lines = new ArrayList<>();
        for (int i = 0; i < schedule.size(); i++) {
            if (interest[i] > 0 || principal[i] > 0) {
                lines.add(new InstalmentPayment(schedule.get(i).number, principal[i],
                        interest[i]));
                interestTotal = Math.addExact(interestTotal, interest[i]);
                principalTotal = Math.addExact(principalTotal, principal[i]);
            }
        }
        long outstandingAfter = Math.subtractExact(outstandingPrincipalMinor, principalTotal);
        List<ScheduledInstalment> rescheduled = List.of();
        if (early > 0 && outstandingAfter > 0) {
            List<Line> future = schedule.stream().filter(l -> l.dueDate.isAfter(on)).toList();
            List<Instalment> recomputed = ScheduleCalculator.compute(new ScheduleRequest(
                    outstandingAfter, currency, annualRate, future.size(), method,
                    future.get(0).dueDate)).instalments();
            List<ScheduledInstalment> renumbered = new ArrayList<>();
            for (Instalment r : recomputed) {
                renumbered.add(new ScheduledInstalment(future.get(0).number + r.number() - 1,
                        r.dueDate(), r.principalMinor(), r.interestMinor()));
            }
            rescheduled = renumbered;
        }
        return new Allocation(penalty[0], interestTotal, principalTotal, lines, early,
                outstandingAfter, rescheduled);
    }

    /**
     * A new schedule for the outstanding principal over the given months from a first due date,
     * numbered after the last instalment that has fallen due or been paid towards.
     */
    List<ScheduledInstalment> rescheduledOver(int months, LocalDate firstDueDate,
            LocalDate on) {
        int lastKept = 0;
        for (Line l : schedule) {
            if (!l.dueDate.isAfter(on) || l.principalPaidMinor > 0 || l.interestPaidMinor > 0) {
                lastKept = Math.max(lastKept, l.number);
            }
        }
        int from = lastKept + 1;
        List<ScheduledInstalment> out = new ArrayList<>();
        for (Instalment r : ScheduleCalculator.compute(new ScheduleRequest(
                outstandingPrincipalMinor, currency, annualRate, months, method, firstDueDate))
                .instalments()) {
            out.add(new ScheduledInstalment(from + r.number() - 1, r.dueDate(),
                    r.principalMinor(), r.interestMinor()));
        }
        return out;
    }

    void repaid(List<InstalmentPayment> lines, long outstandingAfterMinor) {
        for (InstalmentPayment p : lines) {
            for (Line l : schedule) {
                if (l.number == p.number()) {
                    l.principalPaidMinor = Math.addExact(l.principalPaidMinor, p.principalMinor());
                    l.interestPaidMinor = Math.addExact(l.interestPaidMinor, p.interestMinor());
                }
            }
        }
        outstandingPrincipalMinor = outstandingAfterMinor;
    }

    /** Replaces the instalments a new version covers; earlier ones and their payments stay. */
    void rescheduled(int version, List<ScheduledInstalment> remaining) {
        int from = remaining.get(0).number();
        schedule.removeIf(l -> l.number >= from);
        remaining.forEach(i -> schedule.add(new Line(i)));
        scheduleVersion = version;
    }

    private static List<ScheduledInstalment> recorded(List<Instalment> instalments) {
        return instalments.stream().map(i -> new ScheduledInstalment(i.number(), i.dueDate(),
                i.principalMinor(), i.interestMinor())).toList();
    }
}
