package org.aidledger.infra.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;

/**
 * Remembers successful HTTP Basic sign-ins for a few minutes. Checking a bcrypt hash costs tens
 * of milliseconds of CPU by design, and Basic sends the password with every request: without
 * this, two cores spend themselves on bcrypt at a few dozen requests a second (W1 measured 26
 * commands/s). Only a salted SHA-256 of user and password is kept, under a per-process random
 * salt, never the password; failures are never cached, so a wrong password always takes the
 * full bcrypt check.
 */
public class CachingBasicAuthentication implements AuthenticationProvider {

    /** How long a successful sign-in is remembered. */
    static final Duration REMEMBER = Duration.ofMinutes(5);
    /** Most sign-ins remembered at once; the oldest is forgotten first. */
    static final int ENTRIES_MAX = 1_000;

    private final AuthenticationProvider delegate;
    private final byte[] salt = new byte[32];
    private final Map<String, Remembered> remembered = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Remembered> eldest) {
            return size() > ENTRIES_MAX;
        }
    };

    private record Remembered(Authentication authentication, long untilNanos) {
    }

    public CachingBasicAuthentication(AuthenticationProvider delegate) {
        this.delegate = delegate;
        new SecureRandom().nextBytes(salt);
    }

    @Override
    public Authentication authenticate(Authentication authentication)
            throws AuthenticationException {
        Object credentials = authentication.getCredentials();
        if (credentials == null) {
            return delegate.authenticate(authentication);
        }
        String key = key(authentication.getName(), credentials.toString());
        long now = System.nanoTime();
        synchronized (remembered) {
            Remembered r = remembered.get(key);
            if (r != null && r.untilNanos() - now > 0) {
                return r.authentication();
            }
        }
        Authentication result = delegate.authenticate(authentication);
        if (result != null && result.isAuthenticated()) {
            synchronized (remembered) {
                remembered.put(key, new Remembered(result, now + REMEMBER.toNanos()));
            }
        }
        return result;
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }

    private String key(String user, String password) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(salt);
            sha.update(user.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(password.getBytes(StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
