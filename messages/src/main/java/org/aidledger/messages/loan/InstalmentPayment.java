package org.aidledger.messages.loan;

/** What one repayment paid towards one instalment, in minor units. */
public record InstalmentPayment(int number, long principalMinor, long interestMinor) {
}
