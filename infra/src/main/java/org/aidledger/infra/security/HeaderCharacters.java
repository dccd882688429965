package org.aidledger.infra.security;

/**
 * The rules Spring Security's {@code StrictHttpFirewall} holds every request header to, written
 * as a loop over the characters instead of a regular expression.
 *
 * <p>The firewall's defaults are {@code [\p{IsAssigned}&&[^\p{IsControl}]]*} for names and
 * {@code [\p{IsAssigned}&&[[^\p{IsControl}]||\t]]*} for values: every code point assigned in
 * Unicode and none a control character, except that a value may hold a tab. It checks each
 * header each time a header is read, and Spring MVC reads them all when it takes a request's
 * body: in a W1 profile the two expressions took 5 % of the request threads. The rules are the
 * same; {@code HeaderCharactersTest} holds these predicates to the firewall's own defaults.
 */
final class HeaderCharacters {

    private HeaderCharacters() {
    }

    /** A header name: assigned code points, no control characters. */
    static boolean allowedName(String name) {
        return allowed(name, false);
    }

    /** A header value: assigned code points, no control characters other than a tab. */
    static boolean allowedValue(String value) {
        return allowed(value, true);
    }

    private static boolean allowed(String s, boolean tab) {
        int n = s.length();
        for (int i = 0; i < n; ) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x7f) {
                i++;
                continue;
            }
            int cp = s.codePointAt(i);
            int type = Character.getType(cp);
            if (type == Character.UNASSIGNED
                    || (type == Character.CONTROL && !(tab && cp == '\t'))) {
                return false;
            }
            i += Character.charCount(cp);
        }
        return true;
    }
}
