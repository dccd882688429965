package org.aidledger.query.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CopyTextTest {

    @Test
    void columnsAreSeparatedByTabsAndRowsEndedByNewlines() {
        StringBuilder out = new StringBuilder();
        CopyText.row(out, "e-1", "42", "Donation from INDIVIDUAL member-7");
        CopyText.row(out, "e-2", "43", "送温暖");
        assertThat(out).hasToString(
                "e-1\t42\tDonation from INDIVIDUAL member-7\ne-2\t43\t送温暖\n");
    }

    @Test
    void nullIsWrittenAsBackslashN() {
        StringBuilder out = new StringBuilder();
        CopyText.row(out, "e-1", null, "");
        assertThat(out).hasToString("e-1\t\\N\t\n");
    }

    @Test
    void separatorsAndBackslashesInsideAValueAreEscaped() {
        StringBuilder out = new StringBuilder();
        CopyText.row(out, "reason:\tstorm\nsecond line\r", "C:\\fund\\N");
        // A literal backslash-N must not read back as a null.
        assertThat(out).hasToString("reason:\\tstorm\\nsecond line\\r\tC:\\\\fund\\\\N\n");
    }

    @Test
    void rowsAreSentAsUtf8() throws Exception {
        StringBuilder out = new StringBuilder();
        CopyText.row(out, "送温暖");
        assertThat(new String(CopyText.utf8(out).readAllBytes(), StandardCharsets.UTF_8))
                .isEqualTo("送温暖\n");
    }

    @Test
    void instantsAreWrittenAsTheSameInstant() {
        for (String text : List.of("2026-11-25T17:30:00Z", "2026-11-25T17:30:00.123Z",
                "2026-01-01T00:00:00.000001Z", "1999-12-31T23:59:59.999999999Z",
                "0999-03-04T05:06:07Z", "+10000-01-01T00:00:00Z")) {
            Instant at = Instant.parse(text);
            assertThat(Instant.parse(CopyText.instant(at))).isEqualTo(at);
        }
        assertThat(CopyText.instant(Instant.parse("2026-03-04T05:06:07.5Z")))
                .isEqualTo("2026-03-04T05:06:07.500000000Z");
    }
}
