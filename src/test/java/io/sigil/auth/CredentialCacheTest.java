package io.sigil.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CredentialCacheTest {

    /** A clock the test moves by hand. */
    private static final class ManualClock extends Clock {
        Instant now = Instant.parse("2030-01-01T00:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final ManualClock clock = new ManualClock();
    private final CredentialCache cache = new CredentialCache(clock);
    private final Caller alice = new Caller("alice", false);

    @Test
    void remembersVerifiedCredentialsUntilTheTtlEnds() {
        cache.put("alice", "secret", alice);
        clock.now = clock.now.plus(CredentialCache.TTL).minusSeconds(1);
        assertEquals(Optional.of(alice), cache.get("alice", "secret"));
        clock.now = clock.now.plus(Duration.ofSeconds(1));
        assertTrue(cache.get("alice", "secret").isEmpty());
    }

    @Test
    void otherPasswordOrNameMisses() {
        cache.put("alice", "secret", alice);
        assertTrue(cache.get("alice", "Secret").isEmpty());
        assertTrue(cache.get("alicE", "secret").isEmpty());
    }

    @Test
    void clearForgetsEverything() {
        cache.put("alice", "secret", alice);
        cache.clear();
        assertTrue(cache.get("alice", "secret").isEmpty());
    }
}
