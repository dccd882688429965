package org.aidledger.infra.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Verifies an events export (JSON Lines) on its own: recomputes every link from the exported
 * fields, and checks the file ends with a chain head that matches. It reads line by line.
 */
public final class FileVerifier {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The verdict; headDigest is what to compare with the live ledger's chain head. */
    public record Result(boolean ok, long events, long headPosition, String headDigest,
            String problem) {
    }

    private FileVerifier() {
    }

    public static Result verify(BufferedReader lines) throws IOException {
        byte[] digest = ChainDigest.GENESIS;
        long seq = 0;
        String line;
        int lineNo = 0;
        while ((line = lines.readLine()) != null) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            JsonNode node = JSON.readTree(line);
            if (node.has("chainHead")) {
                JsonNode head = node.get("chainHead");
                long position = head.get("position").asLong();
                String headDigest = head.get("digest").asText();
                if (position != seq || !headDigest.equals(ChainDigest.hex(digest))) {
                    return new Result(false, seq, position, headDigest, "the chain head at line "
                            + lineNo + " (" + position + " " + headDigest + ") does not match"
                            + " the events above it (" + seq + " " + ChainDigest.hex(digest)
                            + ")");
                }
                if (lines.readLine() != null) {
                    return new Result(false, seq, position, headDigest,
                            "lines follow the chain head at line " + lineNo);
                }
                return new Result(true, seq, position, headDigest, null);
            }
            long chainSeq = node.get("chainSeq").asLong();
            if (chainSeq != seq + 1) {
                return new Result(false, seq, 0, null, "line " + lineNo + " is chain link "
                        + chainSeq + " but link " + (seq + 1) + " was expected");
            }
            EventRow row = new EventRow(node.get("globalIndex").asLong(),
                    textOrNull(node, "eventId"), textOrNull(node, "aggregateId"),
                    node.get("sequenceNumber").asLong(), textOrNull(node, "aggregateType"),
                    textOrNull(node, "payloadType"), textOrNull(node, "payloadRevision"),
                    bytesOrNull(node, "payload"), bytesOrNull(node, "metadata"),
                    textOrNull(node, "timestamp"));
            byte[] next = ChainDigest.link(digest, row);
            if (!Arrays.equals(next, HexFormat.of().parseHex(node.get("digest").asText()))) {
                return new Result(false, seq, 0, null, "line " + lineNo + " (event at position "
                        + row.globalIndex() + ") does not match its link digest");
            }
            digest = next;
            seq = chainSeq;
        }
        return new Result(false, seq, 0, null, "the file ends without a chain head line:"
                + " it was cut short");
    }

    private static String textOrNull(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static byte[] bytesOrNull(JsonNode node, String field) {
        String text = textOrNull(node, field);
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }
}
