package org.aidledger.messages.fund;

import java.time.LocalDate;
import org.axonframework.serialization.Revision;

/** A fund was closed and takes no further transactions. */
@Revision("1")
public record FundClosed(String fundId,
        String reason,
        LocalDate valueDate) {
}
