package io.sigil.auth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PasswordHasherTest {

    private final PasswordHasher hasher = new PasswordHasher(4);

    @Test
    void hashIsBcryptAndChecksOnlyTheRightPassword() {
        String hash = hasher.hash("correct horse");
        assertTrue(hash.startsWith("$2"), hash);
        assertFalse(hash.contains("correct horse"));
        assertTrue(hasher.matches(hash, "correct horse"));
        assertFalse(hasher.matches(hash, "correct horsE"));
        assertFalse(hasher.matches(hash, ""));
    }

    @Test
    void saltMakesEachHashDifferent() {
        assertNotEquals(hasher.hash("same"), hasher.hash("same"));
    }

    @Test
    void unknownUserOrBrokenHashNeverMatches() {
        assertFalse(hasher.matches(null, "decoy password, matches nothing sent"));
        assertFalse(hasher.matches("not a bcrypt string", "anything"));
    }

    @Test
    void passwordsBcryptWouldTruncateAreRefused() {
        String seventyThree = "x".repeat(73);
        assertThrows(IllegalArgumentException.class, () -> hasher.hash(seventyThree));
        assertTrue(PasswordHasher.acceptable("x".repeat(72)));
        assertFalse(PasswordHasher.acceptable("é".repeat(37))); // 74 bytes in UTF-8
    }
}
