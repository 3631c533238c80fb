package io.sigil.auth;

import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** bcrypt via BouncyCastle. Slow on purpose; callers cache verified credentials, never hashes. */
@Singleton
class PasswordHasher {

    /** bcrypt reads at most 72 bytes; longer passwords would be silently truncated, so they are refused. */
    static final int MAX_PASSWORD_BYTES = 72;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final int cost;
    /** bcrypt checks made so far: what throttling and caching exist to keep low (tests and benchmarks read it). */
    private final AtomicLong verifications = new AtomicLong();
    /** Checked against when the user does not exist, so a wrong username costs as much time as a wrong password. */
    private final String decoy;

    PasswordHasher(@ConfigProperty(name = "sigil.auth.bcrypt-cost", defaultValue = "12") int cost) {
        this.cost = cost;
        this.decoy = hash("decoy password, matches nothing sent");
    }

    static boolean acceptable(String password) {
        return password != null && !password.isEmpty()
                && password.getBytes(StandardCharsets.UTF_8).length <= MAX_PASSWORD_BYTES;
    }

    String hash(String password) {
        if (!acceptable(password)) {
            throw new IllegalArgumentException("password must be 1 to " + MAX_PASSWORD_BYTES + " bytes");
        }
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return OpenBSDBCrypt.generate(password.toCharArray(), salt, cost);
    }

    long verifications() {
        return verifications.get();
    }

    /** True when {@code password} matches {@code hash}; a null hash (unknown user) never matches but costs the same. */
    boolean matches(String hash, String password) {
        if (!acceptable(password)) {
            return false;
        }
        verifications.incrementAndGet();
        try {
            boolean ok = OpenBSDBCrypt.checkPassword(hash == null ? decoy : hash, password.toCharArray());
            return ok && hash != null;
        } catch (RuntimeException e) {
            return false; // a malformed stored hash matches nothing
        }
    }
}
