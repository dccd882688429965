package org.aidledger.messages.fund;

/**
 * One payout of a batch: the beneficiary on file and the amount in the batch's currency, in
 * minor units. Its payout id is the batch id, a slash and its 1-based line number.
 */
public record BatchPayoutLine(String beneficiaryId, long amountMinor) {
}
