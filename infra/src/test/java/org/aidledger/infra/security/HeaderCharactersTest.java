package org.aidledger.infra.security;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.StrictHttpFirewall;

/**
 * The ledger's header rules against Spring Security's own: a firewall with its default
 * (regular-expression) rules and the ledger's firewall must accept and refuse the same header
 * names and values, character by character.
 */
class HeaderCharactersTest {

    private final StrictHttpFirewall defaults = new StrictHttpFirewall();
    private final StrictHttpFirewall ledgers = (StrictHttpFirewall) SecurityConfiguration.httpFirewall();

    @Test
    void everyCharacterIsJudgedAsTheDefaultFirewallJudgesIt() {
        List<String> disagreements = new ArrayList<>();
        for (String s : samples()) {
            if (allowsValue(defaults, s) != allowsValue(ledgers, s)) {
                disagreements.add("value " + escaped(s));
            }
            if (allowsName(defaults, "X" + s) != allowsName(ledgers, "X" + s)) {
                disagreements.add("name " + escaped(s));
            }
        }
        assertThat(disagreements).isEmpty();
    }

    @Test
    void controlCharactersAndUnassignedCodePointsAreRefused() {
        assertThat(HeaderCharacters.allowedValue("Basic YWRtaW46YWRtaW4tcGFzcw==")).isTrue();
        assertThat(HeaderCharacters.allowedValue("Zhāng Wěi 张伟 \uD83D\uDE00")).isTrue();
        assertThat(HeaderCharacters.allowedValue("a\tb")).isTrue();
        assertThat(HeaderCharacters.allowedName("a\tb")).isFalse();
        assertThat(HeaderCharacters.allowedValue("a\u0000b")).isFalse();
        assertThat(HeaderCharacters.allowedValue("a\u007fb")).isFalse();
        assertThat(HeaderCharacters.allowedValue("a\u0085b")).isFalse();
        assertThat(HeaderCharacters.allowedValue("a\u0378b")).isFalse();
        assertThat(allowsValue(ledgers, "a\u0085b")).isFalse();
    }

    /**
     * Each character of the first plane, every 61st code point above it and each plane's ends,
     * surrogates out of order, random mixes.
     */
    private static List<String> samples() {
        List<String> out = new ArrayList<>();
        out.add("");
        for (int c = 0; c <= 0xFFFF; c++) {
            out.add("a" + (char) c + "b");
        }
        for (int cp = 0x10000; cp <= Character.MAX_CODE_POINT; cp += 61) {
            out.add(new String(Character.toChars(cp)));
        }
        for (int plane = 1; plane <= 16; plane++) {
            out.add(new String(Character.toChars(plane << 16)));
            out.add(new String(Character.toChars((plane << 16) | 0xFFFF)));
        }
        out.add("\uDC00\uD800");
        out.add("\uD800\uD800\uDC00");
        out.add("x\uDBFF");
        Random random = new Random(20261126L);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder s = new StringBuilder();
            for (int j = random.nextInt(12); j > 0; j--) {
                s.append(random.nextInt(4) == 0 ? (char) random.nextInt(0x10000)
                        : (char) (0x20 + random.nextInt(0x5f)));
            }
            out.add(s.toString());
        }
        return out;
    }

    private static boolean allowsValue(StrictHttpFirewall firewall, String value) {
        return allows(firewall, "X-Probe", value);
    }

    private static boolean allowsName(StrictHttpFirewall firewall, String name) {
        return allows(firewall, name, "v");
    }

    /** Whether the firewall lets a request's header be read (it checks on reading). */
    private static boolean allows(StrictHttpFirewall firewall, String name, String value) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/v1/funds");
        request.addHeader(name, value);
        HttpServletRequest checked = firewall.getFirewalledRequest(request);
        try {
            checked.getHeader(name);
            return true;
        } catch (RequestRejectedException e) {
            return false;
        }
    }

    private static String escaped(String s) {
        StringBuilder out = new StringBuilder();
        s.codePoints().forEach(cp -> out.append(String.format("U+%04X ", cp)));
        return out.toString();
    }
}
