package org.aidledger.infra.audit;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.GenericTrackedEventMessage;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.messaging.MetaData;

/**
 * The replay's rows of one chunk of events, their payloads and metadata laid end to end in one
 * buffer, and decoded by one JSON parser for the whole chunk. A parser per payload and per
 * metadata (two per event) made a quarter of the replay's allocations: the parser, its context,
 * its text buffer and its child symbol table, set up twice a million times.
 *
 * <p>The shared parser may only ever read what decoding each event on its own would read: each
 * value must start exactly where its bytes start and end exactly where they end, payloads and
 * metadata must be JSON objects and metadata hold text values only. At the first event where any
 * of this does not hold, or anything fails, that event and the rest of the chunk are decoded one
 * by one as before, so that a malformed event fails, or an unusual one decodes, exactly as it
 * always did.
 */
final class EventChunk {

    private final ObjectMapper json;
    private final Function<String, ObjectReader> readers;
    private final ObjectReader metaReader;
    private final long[] positions;
    private final String[] ids;
    private final String[] types;
    private final String[] timestamps;
    /** Offsets in {@link #bytes}: payload from/to, metadata from/to (from -1: no metadata). */
    private final int[] offsets;
    private byte[] bytes = new byte[1 << 16];
    private int used;
    private int size;
    private long decodedOneByOne;

    /**
     * @param json the mapper whose factory makes the parser
     * @param readers the reader for a payload type's name
     * @param metaReader how metadata that is not text values only is read
     */
    EventChunk(int capacity, ObjectMapper json, Function<String, ObjectReader> readers,
            ObjectReader metaReader) {
        this.json = json;
        this.readers = readers;
        this.metaReader = metaReader;
        this.positions = new long[capacity];
        this.ids = new String[capacity];
        this.types = new String[capacity];
        this.timestamps = new String[capacity];
        this.offsets = new int[4 * capacity];
    }

    int size() {
        return size;
    }

    boolean isFull() {
        return size == positions.length;
    }

    /** How many events, over every chunk decoded so far, were decoded one by one. */
    long decodedOneByOne() {
        return decodedOneByOne;
    }

    void add(long position, String id, String type, byte[] payload, byte[] metaData,
            String timestamp) {
        positions[size] = position;
        ids[size] = id;
        types[size] = type;
        timestamps[size] = timestamp;
        offsets[4 * size] = append(payload);
        offsets[4 * size + 1] = offsets[4 * size] + payload.length;
        if (metaData == null) {
            offsets[4 * size + 2] = -1;
            offsets[4 * size + 3] = -1;
        } else {
            offsets[4 * size + 2] = append(metaData);
            offsets[4 * size + 3] = offsets[4 * size + 2] + metaData.length;
        }
        size++;
    }

    /** Copies the value in, followed by a space; returns where it starts. */
    private int append(byte[] value) {
        if (used + value.length + 1 > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, used + value.length + 1));
        }
        int start = used;
        System.arraycopy(value, 0, bytes, used, value.length);
        used += value.length;
        bytes[used++] = ' ';
        return start;
    }

    /** The chunk's events, in order; the chunk is empty afterwards. */
    List<EventMessage<?>> decode() throws Exception {
        List<EventMessage<?>> events = new ArrayList<>(size);
        int i = 0;
        try (JsonParser parser = json.getFactory().createParser(bytes, 0, used)) {
            for (; i < size; i++) {
                int at = 4 * i;
                Object payload = object(parser, offsets[at], offsets[at + 1],
                        readers.apply(types[i]));
                if (payload == null) {
                    break;
                }
                Map<String, Object> metaData = offsets[at + 2] < 0 ? Map.of()
                        : textValues(parser, offsets[at + 2], offsets[at + 3]);
                if (metaData == null) {
                    break;
                }
                events.add(event(i, payload, metaData));
            }
        } catch (IOException | RuntimeException e) {
            // decoded again below, one by one: a malformed event then fails as it always did
        }
        for (; i < size; i++) {
            int at = 4 * i;
            Object payload = readers.apply(types[i]).readValue(
                    Arrays.copyOfRange(bytes, offsets[at], offsets[at + 1]));
            Map<String, Object> metaData = offsets[at + 2] < 0 ? Map.of()
                    : ReplayCompare.metaData(Arrays.copyOfRange(bytes, offsets[at + 2],
                            offsets[at + 3]), json, metaReader);
            events.add(event(i, payload, metaData));
            decodedOneByOne++;
        }
        Arrays.fill(ids, 0, size, null);
        Arrays.fill(types, 0, size, null);
        Arrays.fill(timestamps, 0, size, null);
        size = 0;
        used = 0;
        return events;
    }

    private EventMessage<?> event(int i, Object payload, Map<String, Object> metaData) {
        Instant timestamp = EventTimestamps.parse(timestamps[i]);
        return new GenericTrackedEventMessage<>(new GlobalSequenceTrackingToken(positions[i]),
                new GenericEventMessage<>(ids[i], payload, MetaData.from(metaData), timestamp));
    }

    /**
     * The object from {@code from} to {@code to} (the end excluded), or null if the parser's next
     * value is not an object spanning exactly those bytes.
     */
    private static Object object(JsonParser parser, int from, int to, ObjectReader reader)
            throws IOException {
        if (!objectStartsAt(parser, from)) {
            return null;
        }
        Object value = reader.readValue(parser);
        if (value == null || parser.currentLocation().getByteOffset() != to) {
            return null;
        }
        return value;
    }

    /**
     * Metadata from {@code from} to {@code to} if it is an object of distinct names with text
     * values spanning exactly those bytes (what the service writes); otherwise null.
     */
    private static Map<String, Object> textValues(JsonParser parser, int from, int to)
            throws IOException {
        if (!objectStartsAt(parser, from)) {
            return null;
        }
        Map<String, Object> values = ReplayCompare.textValues(parser);
        return values != null && parser.currentLocation().getByteOffset() == to ? values : null;
    }

    /** Whether the parser's next token starts an object at byte {@code from}. */
    private static boolean objectStartsAt(JsonParser parser, int from) throws IOException {
        return parser.nextToken() == JsonToken.START_OBJECT
                && parser.currentTokenLocation().getByteOffset() == from;
    }
}
