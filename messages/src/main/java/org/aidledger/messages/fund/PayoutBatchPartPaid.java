package org.aidledger.messages.fund;

import java.time.LocalDate;
import java.util.List;
import org.aidledger.messages.money.Money;
import org.axonframework.serialization.Revision;

/**
 * One part of a paid payout batch: up to {@link PayPayoutBatch#LINES_PER_PART} payouts out of
 * fund cash. All parts of a batch are appended in one transaction. {@code firstLine} is the
 * 1-based line number of this part's first payout within the batch.
 */
@Revision("1")
public record PayoutBatchPartPaid(String fundId,
        String batchId,
        int part,
        int parts,
        int firstLine,
        PayoutCategory category,
        String reason,
        Money partTotal,
        List<BatchPayoutLine> lines,
        LocalDate valueDate) {

    /** The journal's transaction id of this part: the batch id, "/p" and the part number. */
    public String partTransactionId() {
        return batchId + "/p" + part;
    }

    /** The payout id of the line at {@code index} (0-based) within this part. */
    public String payoutId(int index) {
        return batchId + "/" + (firstLine + index);
    }
}
