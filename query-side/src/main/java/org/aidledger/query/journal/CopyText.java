package org.aidledger.query.journal;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Rows in the text format of PostgreSQL's {@code COPY ... FROM STDIN}: columns separated by a
 * tab, rows ended by a newline, a null written {@code \N}, and a backslash, tab, newline or
 * carriage return inside a value escaped with a backslash.
 */
final class CopyText {

    private CopyText() {
    }

    static void row(StringBuilder out, String... values) {
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                out.append('\t');
            }
            value(out, values[i]);
        }
        out.append('\n');
    }

    private static void value(StringBuilder out, String value) {
        if (value == null) {
            out.append("\\N");
            return;
        }
        int first = 0;
        while (first < value.length() && !special(value.charAt(first))) {
            first++;
        }
        out.append(value, 0, first);
        for (int i = first; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(c);
            }
        }
    }

    private static boolean special(char c) {
        return c == '\\' || c == '\t' || c == '\n' || c == '\r';
    }

    static InputStream utf8(StringBuilder rows) {
        return new ByteArrayInputStream(rows.toString().getBytes(StandardCharsets.UTF_8));
    }
}
