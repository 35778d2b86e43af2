package vap.console.auth;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Server-side sessions keyed by a random 256-bit token (the cookie value). A session exists before login too
 * (user null), so the login form carries a CSRF token as well; logging in replaces it with a fresh session,
 * so a token planted before login is worth nothing after it.
 */
public final class Sessions {
    /** One browser's session: its CSRF token is compared with every form it posts. */
    public record Session(String id, UserDirectory.User user, String csrfToken, Instant expires) {
        public boolean loggedIn() {
            return user != null;
        }

        public boolean csrfMatches(String token) {
            return token != null && MessageDigest.isEqual(csrfToken.getBytes(StandardCharsets.UTF_8),
                    token.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private final Map<String, Session> byId = new ConcurrentHashMap<>();
    private final Duration timeout;
    private final Clock clock;

    public Sessions(Duration timeout, Clock clock) {
        this.timeout = timeout;
        this.clock = clock;
    }

    public Optional<Session> find(String id) {
        if (id == null) {
            return Optional.empty();
        }
        Session s = byId.get(id);
        if (s != null && s.expires().isBefore(clock.instant())) {
            byId.remove(id);
            return Optional.empty();
        }
        return Optional.ofNullable(s);
    }

    public Session anonymous() {
        return open(null);
    }

    /** Ends {@code previous} (if any) and opens a logged-in session with new id and token. */
    public Session login(Session previous, UserDirectory.User user) {
        if (previous != null) {
            byId.remove(previous.id());
        }
        return open(user);
    }

    public void end(Session s) {
        byId.remove(s.id());
    }

    private Session open(UserDirectory.User user) {
        byId.values().removeIf(s -> s.expires().isBefore(clock.instant()));
        Session s = new Session(randomToken(), user, randomToken(), clock.instant().plus(timeout));
        byId.put(s.id(), s);
        return s;
    }

    public static String randomToken() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
