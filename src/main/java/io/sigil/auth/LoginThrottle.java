package io.sigil.auth;

import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Limits password checks (bcrypt, deliberately slow) per username and per client address, so that guessing costs
 * the guesser time and never the server's cores. Each check not answered from the {@link CredentialCache} takes a
 * slot in both the user's and the address's window before bcrypt runs; a success gives the slots back, a failure
 * keeps them. With no slot left the caller is told when to retry and no bcrypt runs. Slots are taken before the
 * check, so concurrent guesses cannot overshoot the limit. Per process: N processes allow N times the limit.
 */
@Singleton
class LoginThrottle {

    private static final int MAX_KEYS = 100_000;

    private final int perUser;
    private final int perAddress;
    private final Duration window;
    private final Clock clock;
    /** Bounded (a spray of usernames cannot exhaust memory); an entry lives at most one window past its last change. */
    private final Map<String, Window> windows;

    /** Failures (and checks under way) counted since {@code start}. */
    private record Window(Instant start, int used) {
    }

    /** A slot in both windows, to give back when the password was right. */
    record Attempt(String userKey, String addressKey) {
    }

    @Inject
    LoginThrottle(@ConfigProperty(name = "sigil.auth.login-failures-per-user", defaultValue = "5") int perUser,
                  @ConfigProperty(name = "sigil.auth.login-failures-per-address", defaultValue = "20") int perAddress,
                  @ConfigProperty(name = "sigil.auth.login-failure-window", defaultValue = "60s") Duration window) {
        this(perUser, perAddress, window, Clock.systemUTC());
    }

    LoginThrottle(int perUser, int perAddress, Duration window, Clock clock) {
        this.perUser = perUser;
        this.perAddress = perAddress;
        this.window = window;
        this.clock = clock;
        this.windows = Caffeine.newBuilder().maximumSize(MAX_KEYS).expireAfterWrite(window)
                .ticker(() -> clock.instant().getEpochSecond() * 1_000_000_000L + clock.instant().getNano())
                .<String, Window>build().asMap();
    }

    /**
     * Takes a slot for a password check of {@code username} from {@code address}.
     *
     * @return the attempt, or empty when either window is full (see {@link #retryAfter})
     */
    Optional<Attempt> tryAcquire(String username, String address) {
        String userKey = "user:" + username;
        String addressKey = "address:" + address;
        if (!take(userKey, perUser)) {
            return Optional.empty();
        }
        if (!take(addressKey, perAddress)) {
            giveBack(userKey);
            return Optional.empty();
        }
        return Optional.of(new Attempt(userKey, addressKey));
    }

    /** The password was right: its slots go back, and the user's earlier failures are forgiven. */
    void succeeded(Attempt attempt) {
        windows.remove(attempt.userKey());
        giveBack(attempt.addressKey());
    }

    /** Whole seconds until {@code username} and {@code address} may try again (at least 1). */
    long retryAfter(String username, String address) {
        Instant now = clock.instant();
        long seconds = 1;
        for (String key : new String[] {"user:" + username, "address:" + address}) {
            Window w = windows.get(key);
            if (w != null) {
                seconds = Math.max(seconds, Duration.between(now, w.start().plus(window)).toSeconds() + 1);
            }
        }
        return seconds;
    }

    private boolean take(String key, int limit) {
        Instant now = clock.instant();
        boolean[] taken = {false};
        windows.compute(key, (k, w) -> {
            Window current = w == null || expired(w, now) ? new Window(now, 0) : w;
            if (current.used() >= limit) {
                return current;
            }
            taken[0] = true;
            return new Window(current.start(), current.used() + 1);
        });
        return taken[0];
    }

    private void giveBack(String key) {
        windows.computeIfPresent(key, (k, w) -> w.used() <= 1 ? null : new Window(w.start(), w.used() - 1));
    }

    private boolean expired(Window w, Instant now) {
        return !now.isBefore(w.start().plus(window));
    }
}
