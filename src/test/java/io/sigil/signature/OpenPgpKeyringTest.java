package io.sigil.signature;

import static io.sigil.signature.Fixtures.KEY_WITH_PASSPHRASE;
import static io.sigil.signature.Fixtures.PRIMARY_WITH_REVOKED_SUBKEY;
import static io.sigil.signature.Fixtures.PRIMARY_WITH_SUBKEY;
import static io.sigil.signature.Fixtures.REVOKED_SUBKEY;
import static io.sigil.signature.Fixtures.SUBKEY_OF_PRIMARY_WITH_SUBKEY;
import static io.sigil.signature.Fixtures.TEST_KEY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenPgpKeyringTest {

    @Test
    void identifiesArmouredAndBinaryKeysByPrimaryFingerprint() {
        assertEquals(List.of(TEST_KEY), List.copyOf(Fixtures.keyring("public-key.gpg").primaryFingerprints()));
        assertEquals(List.of(TEST_KEY), List.copyOf(Fixtures.keyring("public-key-1.gpg").primaryFingerprints()));
    }

    @Test
    void readsEveryKeyOfAKeyringInOrder() {
        List<String> expected = List.of(KEY_WITH_PASSPHRASE, TEST_KEY, PRIMARY_WITH_SUBKEY, PRIMARY_WITH_REVOKED_SUBKEY);

        assertEquals(expected, List.copyOf(Fixtures.keyring("pubring.gpg").primaryFingerprints()));
    }

    @Test
    void mergesTheSameKeyGivenTwice() {
        byte[] pubring = Fixtures.read("pubring.gpg");
        byte[] twice = new byte[pubring.length * 2];
        System.arraycopy(pubring, 0, twice, 0, pubring.length);
        System.arraycopy(pubring, 0, twice, pubring.length, pubring.length);

        assertEquals(4, OpenPgpKeyring.of(twice).primaryFingerprints().size());
        assertEquals(List.of(TEST_KEY, KEY_WITH_PASSPHRASE),
                List.copyOf(Fixtures.keyring("public-key-1.gpg", "public-key-2.gpg", "public-key.gpg").primaryFingerprints()));
    }

    @Test
    void mapsASubkeyToItsPrimaryKey() {
        OpenPgpKey subkey = onlyKeyWithId(Fixtures.keyring("public-key-with-subkey.gpg"), SUBKEY_OF_PRIMARY_WITH_SUBKEY);

        assertEquals(SUBKEY_OF_PRIMARY_WITH_SUBKEY, subkey.fingerprint());
        assertEquals(PRIMARY_WITH_SUBKEY, subkey.primaryFingerprint());
        assertTrue(subkey.signingAllowed());
        assertFalse(subkey.revoked());
    }

    @Test
    void knowsRevokedSubkeys() {
        OpenPgpKeyring keyring = Fixtures.keyring("public-key-with-revoked-subkey.gpg");

        assertTrue(onlyKeyWithId(keyring, REVOKED_SUBKEY).revoked());
        assertFalse(onlyKeyWithId(keyring, PRIMARY_WITH_REVOKED_SUBKEY).revoked());
    }

    @Test
    void aCertifyOnlyPrimaryKeyMayNotSign() {
        assertFalse(onlyKeyWithId(Fixtures.keyring("public-key-with-subkey.gpg"), PRIMARY_WITH_SUBKEY).signingAllowed());
        assertTrue(onlyKeyWithId(Fixtures.keyring("public-key.gpg"), TEST_KEY).signingAllowed());
    }

    @Test
    void rejectsWhatIsNotAPublicKey() {
        assertThrows(IllegalArgumentException.class, () -> OpenPgpKeyring.of(new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> OpenPgpKeyring.of("not a key".getBytes(StandardCharsets.UTF_8)));
        assertThrows(IllegalArgumentException.class, () -> OpenPgpKeyring.of(Fixtures.read("image.signature")));
    }

    static OpenPgpKey onlyKeyWithId(OpenPgpKeyring keyring, String fingerprint) {
        long keyId = Long.parseUnsignedLong(fingerprint.substring(24), 16);
        List<OpenPgpKey> keys = keyring.keysWithId(keyId);
        assertEquals(1, keys.size(), "keys with ID of " + fingerprint);
        return keys.get(0);
    }
}
