package org.aidledger.command.loan.schedule;

import java.util.List;

/** A repayment schedule: the request it was computed from and its instalments in order. */
public record Schedule(ScheduleRequest request, List<Instalment> instalments) {

    public Schedule {
        instalments = List.copyOf(instalments);
    }

    public long totalInterestMinor() {
        return instalments.stream().mapToLong(Instalment::interestMinor)
                .reduce(0, Math::addExact);
    }

    public long totalPrincipalMinor() {
        return instalments.stream().mapToLong(Instalment::principalMinor)
                .reduce(0, Math::addExact);
    }

    public long totalPaymentMinor() {
        return instalments.stream().mapToLong(Instalment::paymentMinor)
                .reduce(0, Math::addExact);
    }
}
