package org.aidledger.infra.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The replay reads event metadata token by token where it is what the service writes (an object
 * of text values); whatever it reads must equal what Jackson's map reader makes of the same
 * bytes, and what that reader refuses stays refused.
 */
class ReplayMetaDataTest {

    private final ObjectMapper json = new ObjectMapper();
    private final ObjectReader generic = json.readerFor(
            new TypeReference<Map<String, Object>>() { });

    @Test
    void readsWhatJacksonsMapReaderReads() throws Exception {
        for (String meta : List.of(
                "{\"actor\":\"admin\",\"traceId\":\"f824abea\",\"correlationId\":\"f824abea\","
                        + "\"clientTransactionId\":\"bench-8396bd3f\"}",
                "{\"actor\":\"bench\"}", "{}", " { \"actor\" : \"\\u9001 \\\"q\\\"\" } ",
                "{\"actor\":\"送温暖\"}",
                // not text values only: read the general way, with the same result
                "{\"actor\":\"admin\",\"attempt\":3}", "{\"actor\":null}",
                "{\"nested\":{\"a\":[1,2]},\"actor\":\"x\"}", "{\"flag\":true}",
                "{\"actor\":\"first\",\"actor\":\"second\"}")) {
            byte[] bytes = meta.getBytes(StandardCharsets.UTF_8);
            Map<String, Object> expected = generic.readValue(bytes);
            assertThat(ReplayCompare.metaData(bytes, json, generic)).as(meta)
                    .isEqualTo(expected);
        }
    }

    @Test
    void refusesWhatJacksonsMapReaderRefuses() {
        for (String bad : List.of("[\"actor\"]", "{\"actor\":\"admin\"", "\"actor\"",
                "{\"actor\" \"admin\"}")) {
            byte[] bytes = bad.getBytes(StandardCharsets.UTF_8);
            assertThatThrownBy(() -> generic.readValue(bytes)).as("generic " + bad)
                    .isInstanceOf(java.io.IOException.class);
            assertThatThrownBy(() -> ReplayCompare.metaData(bytes, json, generic)).as(bad)
                    .isInstanceOf(java.io.IOException.class);
        }
    }
}
