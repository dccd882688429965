package org.aidledger.query.journal;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

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
        int first = firstSpecial(value);
        if (first < 0) {
            out.append(value);
            return;
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

    /** The index of the first character that needs escaping, or -1 (almost always). */
    private static int firstSpecial(String value) {
        int first = -1;
        for (char c : new char[] {'\\', '\t', '\n', '\r'}) {
            int at = value.indexOf(c);
            if (at >= 0 && (first < 0 || at < first)) {
                first = at;
            }
        }
        return first;
    }

    /**
     * An instant as PostgreSQL reads a timestamptz, {@code 2026-11-25T17:30:00.123456789Z}:
     * the same instant as {@link Instant#toString()} writes, without its formatter (a fifth of
     * the replay's own time went into that).
     */
    static String instant(Instant at) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(at.getEpochSecond(), at.getNano(),
                ZoneOffset.UTC);
        if (t.getYear() < 1000 || t.getYear() > 9999) {
            return at.toString();
        }
        StringBuilder out = new StringBuilder(30);
        out.append(t.getYear()).append('-');
        two(out, t.getMonthValue()).append('-');
        two(out, t.getDayOfMonth()).append('T');
        two(out, t.getHour()).append(':');
        two(out, t.getMinute()).append(':');
        two(out, t.getSecond());
        String nanos = Integer.toString(1_000_000_000 + t.getNano());
        return out.append('.').append(nanos, 1, nanos.length()).append('Z').toString();
    }

    private static StringBuilder two(StringBuilder out, int value) {
        return out.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
    }

    static InputStream utf8(StringBuilder rows) {
        return new ByteArrayInputStream(rows.toString().getBytes(StandardCharsets.UTF_8));
    }
}
