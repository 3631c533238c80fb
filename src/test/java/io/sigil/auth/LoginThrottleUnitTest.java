package io.sigil.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The throttle's arithmetic, with a clock moved by hand: slots per user and per address, refunds, the window. */
class LoginThrottleUnitTest {

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
    private final LoginThrottle throttle = new LoginThrottle(3, 5, Duration.ofSeconds(60), clock);

    @Test
    void aUserGetsItsFailuresThenWaitsForTheWindow() {
        for (int i = 0; i < 3; i++) {
            assertTrue(throttle.tryAcquire("alice", "10.0.0.1").isPresent());
        }
        assertTrue(throttle.tryAcquire("alice", "10.0.0.2").isEmpty(), "another address does not help");
        clock.now = clock.now.plusSeconds(20);
        assertEquals(41, throttle.retryAfter("alice", "10.0.0.9"));
        assertTrue(throttle.tryAcquire("bob", "10.0.0.2").isPresent(), "other users are not affected");
        clock.now = clock.now.plusSeconds(40);
        assertTrue(throttle.tryAcquire("alice", "10.0.0.1").isPresent(), "a new window");
    }

    @Test
    void anAddressGetsItsFailuresAcrossUsernames() {
        for (int i = 0; i < 5; i++) {
            assertTrue(throttle.tryAcquire("user" + i, "192.0.2.7").isPresent());
        }
        assertTrue(throttle.tryAcquire("fresh", "192.0.2.7").isEmpty());
        assertTrue(throttle.tryAcquire("fresh", "192.0.2.8").isPresent(), "the refused attempt took no user slot");
    }

    @Test
    void aSuccessGivesItsSlotsBackAndForgivesTheUser() {
        throttle.tryAcquire("alice", "10.0.0.1");
        throttle.tryAcquire("alice", "10.0.0.1");
        throttle.succeeded(throttle.tryAcquire("alice", "10.0.0.1").orElseThrow());
        for (int i = 0; i < 3; i++) {
            assertTrue(throttle.tryAcquire("alice", "10.0.0.3").isPresent(), "attempt " + i);
        }
        // the address 10.0.0.1 keeps its two failures: three more fill it (5)
        assertTrue(throttle.tryAcquire("x", "10.0.0.1").isPresent());
        assertTrue(throttle.tryAcquire("y", "10.0.0.1").isPresent());
        assertTrue(throttle.tryAcquire("z", "10.0.0.1").isPresent());
        assertTrue(throttle.tryAcquire("w", "10.0.0.1").isEmpty());
    }
}
