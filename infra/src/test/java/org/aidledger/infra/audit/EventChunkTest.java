package org.aidledger.infra.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.messaging.MetaData;
import org.junit.jupiter.api.Test;

/**
 * The replay decodes a chunk of events with one parser over their payloads and metadata laid end
 * to end. Whatever it decodes must equal decoding each event on its own, and an event that is
 * malformed must fail, not run into its neighbour.
 */
class EventChunkTest {

    private static final String BODY = "org.aidledger.messages.body.UnionBodyRegistered";
    private static final String FUND = "org.aidledger.messages.fund.FundOpened";
    private static final String DONATION = "org.aidledger.messages.fund.DonationReceived";

    private final ObjectMapper json = ReplayCompare.json();
    private final ObjectReader metaReader = json.readerFor(
            new TypeReference<Map<String, Object>>() { });
    private final Function<String, ObjectReader> readers = type -> {
        try {
            return json.readerFor(Class.forName(type));
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    };

    /** One stored event: payload type, payload and metadata as the event table holds them. */
    private record Row(String type, String payload, String metaData) {
    }

    private static Row body(String id) {
        return new Row(BODY, "{\"bodyId\":\"" + id + "\",\"name\":\"工会 \\\"w3\\\"\","
                + "\"level\":\"CITY\",\"parentId\":null}", "{\"actor\":\"bench\"}");
    }

    private static Row fund(String id) {
        return new Row(FUND, "{\"fundId\":\"" + id + "\",\"bodyId\":\"b\",\"name\":\"w3\","
                + "\"purpose\":\"HARDSHIP\",\"currency\":\"CNY\",\"approvalThreshold\":"
                + "{\"amountMinor\":50000,\"currency\":\"CNY\"},\"valueDate\":\"2026-01-01\"}",
                "{\"actor\":\"admin\",\"traceId\":\"f824abea\",\"clientTransactionId\":\"t-1\"}");
    }

    private static Row donation(String fund, int minor) {
        return new Row(DONATION, "{\"fundId\":\"" + fund + "\",\"transactionId\":\"tx-" + minor
                + "\",\"amount\":{\"amountMinor\":" + minor + ",\"currency\":\"CNY\"},"
                + "\"donorType\":\"INDIVIDUAL\",\"donorRef\":\"member-1\",\"campaign\":null,"
                + "\"restrictedPurpose\":null,\"valueDate\":\"2026-03-01\"}",
                "{\"actor\":\"admin\"}");
    }

    private static byte[] bytes(String text) {
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }

    private List<EventMessage<?>> inOneChunk(EventChunk chunk, List<Row> rows) throws Exception {
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            chunk.add(100 + i, "event-" + i, row.type(), bytes(row.payload()),
                    bytes(row.metaData()), "2026-11-26T07:3" + (i % 10) + ":00.12345Z");
        }
        return chunk.decode();
    }

    /** Decoding each event on its own, as the replay did before chunks. */
    private List<Object[]> oneByOne(List<Row> rows) throws Exception {
        List<Object[]> events = new ArrayList<>();
        for (Row row : rows) {
            Object payload = readers.apply(row.type()).readValue(bytes(row.payload()));
            Map<String, Object> metaData = row.metaData() == null ? Map.of()
                    : ReplayCompare.metaData(bytes(row.metaData()), json, metaReader);
            events.add(new Object[] {payload, MetaData.from(metaData)});
        }
        return events;
    }

    private void assertSameAsOneByOne(List<Row> rows, List<EventMessage<?>> decoded)
            throws Exception {
        List<Object[]> expected = oneByOne(rows);
        assertThat(decoded).hasSize(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            EventMessage<?> event = decoded.get(i);
            assertThat(event.getPayload()).as("payload %d", i).isEqualTo(expected.get(i)[0]);
            assertThat(event.getMetaData()).as("metadata %d", i).isEqualTo(expected.get(i)[1]);
            assertThat(event.getIdentifier()).isEqualTo("event-" + i);
            assertThat(event.getTimestamp())
                    .isEqualTo(java.time.Instant.parse("2026-11-26T07:3" + (i % 10) + ":00.12345Z"));
            assertThat(((TrackedEventMessage<?>) event).trackingToken().position())
                    .hasValue(100L + i);
        }
    }

    @Test
    void decodesAChunkAsEachEventOnItsOwnWithOneParser() throws Exception {
        List<Row> rows = new ArrayList<>(List.of(body("b"), fund("f-1"), fund("f-2")));
        for (int i = 0; i < 40; i++) {
            rows.add(donation("f-" + (1 + i % 2), 100 + i));
        }
        rows.add(new Row(DONATION, donation("f-1", 7).payload(), null));
        rows.add(new Row(DONATION, donation("f-2", 8).payload(), "{}"));
        EventChunk chunk = new EventChunk(1_000, json, readers, metaReader);
        assertSameAsOneByOne(rows, inOneChunk(chunk, rows));
        assertThat(chunk.decodedOneByOne()).isZero();

        // the chunk is used again, as the replay does, with a buffer that must grow
        List<Row> more = new ArrayList<>();
        for (int i = 0; i < 900; i++) {
            more.add(donation("f-1", 1_000 + i));
        }
        assertSameAsOneByOne(more, inOneChunk(chunk, more));
        assertThat(chunk.decodedOneByOne()).isZero();
    }

    @Test
    void unusualEventsAndTheRestOfTheirChunkAreDecodedOneByOneWithTheSameResult()
            throws Exception {
        List<Row> unusual = List.of(
                new Row(DONATION, donation("f-1", 1).payload() + " ", "{\"actor\":\"a\"}"),
                new Row(DONATION, " " + donation("f-1", 2).payload(), "{\"actor\":\"a\"}"),
                new Row(DONATION, donation("f-1", 3).payload(), "{\"actor\":\"a\",\"attempt\":3}"),
                new Row(DONATION, donation("f-1", 4).payload(), "{\"nested\":{\"a\":[1]}}"),
                new Row(DONATION, donation("f-1", 5).payload(), "{\"actor\":\"a\",\"actor\":\"b\"}"),
                new Row(DONATION, donation("f-1", 6).payload(), "{\"actor\":null}"),
                new Row(DONATION, donation("f-1", 7).payload(), "{\"actor\":\"a\"}\n"),
                // one by one, what follows the payload's object is ignored; read on from the
                // payload it must not become the event's metadata (its actor)
                new Row(DONATION, donation("f-1", 8).payload() + " {\"actor\":\"forged\"}",
                        "{\"actor\":\"a\"}"));
        for (Row odd : unusual) {
            List<Row> rows = List.of(donation("f-1", 10), donation("f-1", 11), odd,
                    donation("f-1", 12));
            EventChunk chunk = new EventChunk(10, json, readers, metaReader);
            assertSameAsOneByOne(rows, inOneChunk(chunk, rows));
            assertThat(chunk.decodedOneByOne()).as(odd.toString()).isEqualTo(2);
        }
    }

    @Test
    void aMalformedEventFailsAsOnItsOwnAndDoesNotReadIntoTheNextOne() {
        Row next = donation("f-1", 12);
        List<Row> malformed = List.of(
                // an object left open: with the next event's bytes after it, the two could read
                // as one object
                new Row(DONATION, "{\"fundId\":\"f-1\",\"transactionId\":", "{\"actor\":\"a\"}"),
                new Row(DONATION, "{\"fundId\":\"f-1\"", null),
                new Row(DONATION, "{\"fundId\":\"f-1\",\"surplus\":1}", "{\"actor\":\"a\"}"),
                new Row(DONATION, donation("f-1", 3).payload(), "{\"actor\":"),
                new Row(DONATION, "[1]", "{\"actor\":\"a\"}"));
        for (Row bad : malformed) {
            List<Row> rows = List.of(donation("f-1", 10), bad, next);
            assertThatThrownBy(() -> oneByOne(rows)).as("one by one " + bad)
                    .isInstanceOf(IOException.class);
            assertThatThrownBy(() -> inOneChunk(new EventChunk(10, json, readers, metaReader),
                    rows)).as(bad.toString()).isInstanceOf(IOException.class);
        }
    }
}
