package io.sigil.signature;

import static io.sigil.signature.Fixtures.D1;
import static io.sigil.signature.Fixtures.PRIMARY_WITH_REVOKED_SUBKEY;
import static io.sigil.signature.Fixtures.PRIMARY_WITH_SUBKEY;
import static io.sigil.signature.Fixtures.TEST_KEY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sigil.signature.Verdict.State;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every atomic signature fixture gets the verdict containers/image reaches (fixtures README, "atomic" table). */
class AtomicSignatureFixturesTest {

    private static final String ALL_KEYS = "pubring.gpg";

    static Stream<Arguments> fixtures() {
        return Stream.of(
                // file, keyring, expected state, expected key identity, reference signed (valid only) or reason fragment
                Arguments.of("image.signature", "public-key.gpg", State.VALID, TEST_KEY, "testing/manifest"),
                Arguments.of("image.signature", "public-key-1.gpg", State.VALID, TEST_KEY, "testing/manifest"),
                Arguments.of("no-optional-fields.signature", "public-key.gpg", State.VALID, TEST_KEY, "testing/manifest"),
                // Crypto and digest are fine; the reference is rejected by the identity check, see below.
                Arguments.of("invalid-reference.signature", "public-key.gpg", State.VALID, TEST_KEY, "UPPERCASEISINVALID"),
                Arguments.of("expired.signature", "public-key.gpg", State.INVALID, TEST_KEY, "signature expired on 2025-06-24"),
                Arguments.of("unknown-key.signature", ALL_KEYS, State.UNKNOWN_KEY, null, "key ID 5F9470E3BC6C3B55"),
                Arguments.of("unknown-key.signature-v3", ALL_KEYS, State.UNKNOWN_KEY, null, "key ID 5F9470E3BC6C3B55"),
                Arguments.of("corrupt.signature", "public-key.gpg", State.INVALID, TEST_KEY, "BAD signature"),
                Arguments.of("corrupt.signature-v3", "public-key.gpg", State.INVALID, TEST_KEY, "BAD signature"),
                Arguments.of("invalid-blob.signature", "public-key.gpg", State.INVALID, TEST_KEY, "invalid signature payload: payload is not valid JSON"),
                Arguments.of("invalid-blob.signature-v3", "public-key.gpg", State.INVALID, TEST_KEY, "invalid signature payload: payload is not valid JSON"),
                Arguments.of("subkey.signature", "public-key-with-subkey.gpg", State.VALID, PRIMARY_WITH_SUBKEY, "testing/manifest:latest"),
                Arguments.of("subkey.signature-v3", "public-key-with-subkey.gpg", State.VALID, PRIMARY_WITH_SUBKEY, "testing/manifest:latest"),
                Arguments.of("subkey.signature", ALL_KEYS, State.VALID, PRIMARY_WITH_SUBKEY, "testing/manifest:latest"),
                Arguments.of("subkey-revoked.signature", "public-key-with-revoked-subkey.gpg", State.INVALID, PRIMARY_WITH_REVOKED_SUBKEY, "is revoked"),
                Arguments.of("subkey-revoked.signature-v3", "public-key-with-revoked-subkey.gpg", State.INVALID, PRIMARY_WITH_REVOKED_SUBKEY, "is revoked"),
                Arguments.of("unsigned-literal.signature", ALL_KEYS, State.INVALID, null, "not signed"),
                Arguments.of("unsigned-encrypted.signature", ALL_KEYS, State.INVALID, null, "encrypted"),
                // A well-formed key that signed none of the fixtures.
                Arguments.of("image.signature", "public-key-2.gpg", State.UNKNOWN_KEY, null, "key ID E932F44B23E8DD43"));
    }

    @ParameterizedTest(name = "{0} with {1} → {2}")
    @MethodSource("fixtures")
    void verdictMatchesContainersImage(String signatureFile, String keyFile, State expectedState, String expectedKey,
                                       String expectedDetail) {
        Verdict verdict = AtomicSignatures.verify(Fixtures.read(signatureFile), Fixtures.keyring(keyFile), D1);

        assertEquals(expectedState, verdict.state(), verdict.reason());
        assertEquals(expectedKey, verdict.keyIdentity());
        if (expectedState == State.VALID) {
            assertEquals(expectedDetail, verdict.signedDockerReference());
        } else {
            assertNull(verdict.signedDockerReference());
            assertTrue(verdict.reason().contains(expectedDetail), verdict.reason());
        }
    }
}
