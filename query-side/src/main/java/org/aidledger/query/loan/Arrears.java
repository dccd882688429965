package org.aidledger.query.loan;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Arrears aging of a loan portfolio as of a date, in plain Java. An instalment is in arrears when
 * its due date is before the date and what was paid towards it by then falls short. A loan's
 * days past due count from its oldest such instalment; it goes into one of the buckets 1–30,
 * 31–60, 61–90 or over 90 days. PAR30 is the outstanding principal of loans more than 30 days
 * past due over the outstanding principal of the whole portfolio, to four decimals (HALF_UP).
 */
public final class Arrears {

    public static final List<String> BUCKETS = List.of("CURRENT", "1-30", "31-60", "61-90",
            "OVER_90");

    /** One instalment of a loan's current schedule with what was paid towards it by the date. */
    public record Due(LocalDate dueDate, long amountMinor, long paidMinor) {
    }

    /** One loan as of the date. */
    public record Loan(String loanId, long outstandingPrincipalMinor, List<Due> instalments) {
    }

    public record Bucket(String bucket, int loans, long outstandingPrincipalMinor,
            long arrearsMinor) {
    }

    public record Report(LocalDate asOf, int loans, long outstandingPrincipalMinor,
            long arrearsMinor, List<Bucket> buckets, long atRisk30PrincipalMinor,
            BigDecimal par30) {
    }

    private Arrears() {
    }

    public static Report of(LocalDate asOf, List<Loan> loans) {
        Map<String, long[]> buckets = new LinkedHashMap<>();
        BUCKETS.forEach(b -> buckets.put(b, new long[3]));
        long outstanding = 0;
        long arrears = 0;
        long atRisk = 0;
        for (Loan loan : loans) {
            LocalDate oldest = null;
            long loanArrears = 0;
            for (Due d : loan.instalments()) {
                long unpaid = d.amountMinor() - d.paidMinor();
                if (d.dueDate().isBefore(asOf) && unpaid > 0) {
                    loanArrears = Math.addExact(loanArrears, unpaid);
                    if (oldest == null || d.dueDate().isBefore(oldest)) {
                        oldest = d.dueDate();
                    }
                }
            }
            long daysPastDue = oldest == null ? 0 : ChronoUnit.DAYS.between(oldest, asOf);
            String bucket = bucketOf(daysPastDue);
            long[] totals = buckets.get(bucket);
            totals[0]++;
            totals[1] = Math.addExact(totals[1], loan.outstandingPrincipalMinor());
            totals[2] = Math.addExact(totals[2], loanArrears);
            outstanding = Math.addExact(outstanding, loan.outstandingPrincipalMinor());
            arrears = Math.addExact(arrears, loanArrears);
            if (daysPastDue > 30) {
                atRisk = Math.addExact(atRisk, loan.outstandingPrincipalMinor());
            }
        }
        List<Bucket> out = new ArrayList<>();
        buckets.forEach((name, t) -> out.add(new Bucket(name, (int) t[0], t[1], t[2])));
        BigDecimal par30 = outstanding == 0 ? BigDecimal.ZERO.setScale(4)
                : BigDecimal.valueOf(atRisk).divide(BigDecimal.valueOf(outstanding), 4,
                RoundingMode.HALF_UP);
        return new Report(asOf, loans.size(), outstanding, arrears, out, atRisk, par30);
    }

    static String bucketOf(long daysPastDue) {
        if (daysPastDue <= 0) {
            return "CURRENT";
        }
        if (daysPastDue <= 30) {
            return "1-30";
        }
        if (daysPastDue <= 60) {
            return "31-60";
        }
        if (daysPastDue <= 90) {
            return "61-90";
        }
        return "OVER_90";
    }
}
