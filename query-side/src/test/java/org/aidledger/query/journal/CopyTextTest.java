package org.aidledger.query.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
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
}
