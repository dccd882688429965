package org.aidledger.infra.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The replay reads event timestamps without a formatter; it must read what Instant does. */
class ReplayTimestampsTest {

    @Test
    void readsEveryPrecisionTheEventStoreWrites() {
        for (String text : List.of("2026-11-25T17:30:00Z", "2026-11-25T17:30:00.1Z",
                "2026-11-25T17:30:00.123Z", "2026-11-25T17:30:00.123456Z",
                "2026-11-25T17:30:00.123456789Z", "2024-02-29T23:59:59.999Z",
                "1970-01-01T00:00:00Z")) {
            assertThat(EventTimestamps.parse(text)).as(text).isEqualTo(Instant.parse(text));
        }
    }

    @Test
    void leavesOtherFormsToInstantParse() {
        for (String odd : List.of("+10000-01-01T00:00:00Z", "2026-11-25T17:30:00.Z")) {
            assertThat(EventTimestamps.parse(odd)).as(odd).isEqualTo(Instant.parse(odd));
        }
        for (String bad : List.of("2026-02-30T00:00:00Z", "2026-11-25 17:30:00Z",
                "2026-11-25T17:3x:00Z", "2026-11-25T17:30:00+01:00x")) {
            assertThatThrownBy(() -> EventTimestamps.parse(bad)).as(bad)
                    .isInstanceOf(DateTimeParseException.class);
        }
    }
}
