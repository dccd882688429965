package org.aidledger.query.journal;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.function.BiConsumer;
import org.postgresql.copy.CopyIn;

/**
 * Rows in the binary format of PostgreSQL's {@code COPY ... FROM STDIN (FORMAT binary)}: a
 * signature and header, then per row the number of fields and each field as a 32-bit length
 * (-1 for null) and its bytes, then a trailer. Values travel as PostgreSQL stores them, so
 * neither side formats or parses text, and nothing inside a value needs escaping.
 */
final class CopyBinary {

    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF,
            '\r', '\n', 0};
    /** 2000-01-01, PostgreSQL's epoch for dates and timestamps, in days since 1970-01-01. */
    private static final long EPOCH_DAYS = 10_957;
    private static final long EPOCH_SECONDS = EPOCH_DAYS * 86_400;

    /** {@link #stream} sends the rows in pieces of this many bytes. */
    static final int SEND_BYTES = 64 * 1_024;

    private byte[] bytes;
    private int size;

    CopyBinary(int expectedBytes) {
        bytes = new byte[Math.max(64, expectedBytes)];
        header();
    }

    /**
     * A buffer for {@link #stream}, sent whenever it holds {@value #SEND_BYTES}: room for that
     * and one more row or two (a journal entry takes some 200 bytes, its lines 300, a payout's
     * register row 180), so that it seldom grows.
     */
    static CopyBinary streaming() {
        return new CopyBinary(SEND_BYTES + 4_096);
    }

    /**
     * Empties the buffer for the next COPY, keeping its array: a replay writes a batch of its
     * journal every 10,000 entries, and buffers grown anew each time (doubling from a guess)
     * were a tenth of everything it allocated.
     */
    CopyBinary reset() {
        size = 0;
        header();
        return this;
    }

    private void header() {
        put(SIGNATURE);
        int4(0); // flags
        int4(0); // header extension length
    }

    CopyBinary row(int fields) {
        int2(fields);
        return this;
    }

    /**
     * text, varchar or char(n): the UTF-8 bytes. ASCII, nearly every value, is written straight
     * into the buffer: encoding into an array of its own and copying that took a quarter of the
     * replay's applying thread.
     */
    CopyBinary text(String value) {
        if (value == null) {
            return nul();
        }
        int length = value.length();
        room(4 + length);
        int start = size + 4;
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (c >= 0x80) {
                byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
                int4(utf8.length);
                put(utf8);
                return this;
            }
            bytes[start + i] = (byte) c;
        }
        int4(length);
        size += length;
        return this;
    }

    CopyBinary int4Field(int value) {
        int4(4);
        int4(value);
        return this;
    }

    CopyBinary int8Field(long value) {
        int4(8);
        int8(value);
        return this;
    }

    /** date: days since 2000-01-01. */
    CopyBinary date(LocalDate value) {
        if (value == null) {
            return nul();
        }
        return int4Field(Math.toIntExact(value.toEpochDay() - EPOCH_DAYS));
    }

    /**
     * timestamptz: microseconds since 2000-01-01 UTC, rounded from nanoseconds exactly as
     * PostgreSQL rounds the fraction of a timestamp it reads as text (the live projection
     * sends text): {@code rint(fraction * 1000000)} in double precision.
     */
    CopyBinary timestamptz(Instant value) {
        if (value == null) {
            return nul();
        }
        long micros = Math.multiplyExact(value.getEpochSecond() - EPOCH_SECONDS, 1_000_000L)
                + microsOf(value.getNano());
        return int8Field(micros);
    }

    /** The microseconds PostgreSQL makes of a fraction of a second given in nanoseconds. */
    static long microsOf(int nanos) {
        // The double nearest the decimal fraction, as strtod gives it: the quotient of two
        // doubles held exactly is rounded once, to that same nearest double. Whole microseconds
        // come out exact this way too (CopyBinaryTest checks every one), so there is no branch
        // for them: one taken only after the compiled code had been made without it sent the
        // replay's journal writing back to the compiler three times.
        double fraction = nanos / 1e9;
        return (long) Math.rint(fraction * 1_000_000);
    }

    private CopyBinary nul() {
        int4(-1);
        return this;
    }

    /**
     * Sends the rows encoded so far into a COPY in progress, once they fill {@code atLeast}
     * bytes, and empties the buffer: PostgreSQL takes them in while the next are encoded.
     */
    void sendTo(CopyIn copy, int atLeast) throws SQLException {
        if (size >= atLeast) {
            copy.writeToCopy(bytes, 0, size);
            size = 0;
        }
    }

    /**
     * Encodes every item into the COPY from the start and sends it {@value #SEND_BYTES} bytes
     * at a time, so that PostgreSQL takes in the first rows while the next are encoded (encoded
     * whole and then sent, PostgreSQL waited for each of a replay's batches to be encoded);
     * the COPY is cancelled when anything fails. Returns the rows written.
     */
    <T> long stream(CopyIn copy, Iterable<T> items, BiConsumer<CopyBinary, T> encoding)
            throws SQLException {
        try {
            reset();
            for (T item : items) {
                encoding.accept(this, item);
                sendTo(copy, SEND_BYTES);
            }
            return end(copy);
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
    }

    /** Sends the rest of the rows and the trailer and ends the COPY: the rows it wrote. */
    long end(CopyIn copy) throws SQLException {
        int2(-1);
        sendTo(copy, 0);
        return copy.endCopy();
    }

    private void int2(int value) {
        room(2);
        bytes[size++] = (byte) (value >>> 8);
        bytes[size++] = (byte) value;
    }

    private void int4(int value) {
        room(4);
        bytes[size++] = (byte) (value >>> 24);
        bytes[size++] = (byte) (value >>> 16);
        bytes[size++] = (byte) (value >>> 8);
        bytes[size++] = (byte) value;
    }

    private void int8(long value) {
        int4((int) (value >>> 32));
        int4((int) value);
    }

    private void put(byte[] value) {
        room(value.length);
        System.arraycopy(value, 0, bytes, size, value.length);
        size += value.length;
    }

    private void room(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }
}
