package io.sigil.lifecycle;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.sigil.common.ApiException;
import io.sigil.signature.CosignSignatures;
import io.sigil.signature.OpenPgpKeyring;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A key to revoke, as an operator names it: an OpenPGP fingerprint or 16-digit key ID, an armoured OpenPGP public key
 * (which may hold several primary keys), or a PEM cosign public key.
 *
 * @param type      {@code openpgp} or {@code cosign}
 * @param identity  the primary fingerprint (or the key ID when only that is known), or the cosign key identity
 * @param keys      every OpenPGP key the revocation covers (primary and subkeys); empty for cosign
 * @param publicKey the key material as given, or null
 */
public record RevocationKey(String type, String identity, List<KeyName> keys, String publicKey) {

    public static final String OPENPGP = "openpgp";
    public static final String COSIGN = "cosign";

    private static final Pattern FINGERPRINT = Pattern.compile("[0-9A-F]{40}");
    private static final Pattern KEY_ID = Pattern.compile("[0-9A-F]{16}");

    /** An OpenPGP key by its key ID and, when known, its fingerprint. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record KeyName(String keyId, String fingerprint) {
        static KeyName ofFingerprint(String fingerprint) {
            return new KeyName(fingerprint.substring(fingerprint.length() - 16), fingerprint);
        }
    }

    /**
     * Parses what the operator gave; 400 on the {@code key} field when it is none of the accepted forms.
     */
    public static List<RevocationKey> parse(String key) {
        String text = key.trim();
        if (text.startsWith("-----BEGIN PGP PUBLIC KEY BLOCK-----")) {
            return openPgpBlock(text);
        }
        if (text.startsWith("-----BEGIN PUBLIC KEY-----")) {
            return List.of(cosign(text));
        }
        String hex = text.replace(" ", "").toUpperCase(Locale.ROOT);
        if (hex.startsWith("0X")) {
            hex = hex.substring(2);
        }
        if (FINGERPRINT.matcher(hex).matches()) {
            return List.of(new RevocationKey(OPENPGP, hex, List.of(KeyName.ofFingerprint(hex)), null));
        }
        if (KEY_ID.matcher(hex).matches()) {
            return List.of(new RevocationKey(OPENPGP, hex, List.of(new KeyName(hex, null)), null));
        }
        throw ApiException.field("key", "give a 40-digit OpenPGP fingerprint, a 16-digit key ID, an armoured OpenPGP "
                + "public key or a PEM cosign public key");
    }

    /**
     * A key as another Sigil listed it (an import), every part checked since an archive may lie: a cosign key's
     * identity must be that of its public key; an OpenPGP key needs well-formed key IDs and fingerprints that end in
     * them. Throws {@link IllegalArgumentException} naming the problem.
     */
    public static RevocationKey listed(String type, String identity, List<KeyName> keys, String publicKey) {
        if (COSIGN.equals(type)) {
            String actual = publicKey == null ? null : CosignSignatures.keyIdentity(CosignSignatures.parsePublicKey(publicKey));
            if (actual == null || !actual.equals(identity)) {
                throw new IllegalArgumentException("cosign key " + identity + " does not come with the public key it names");
            }
            return new RevocationKey(COSIGN, identity, List.of(), publicKey);
        }
        if (!OPENPGP.equals(type)) {
            throw new IllegalArgumentException("unknown key type '" + type + "'");
        }
        if (identity == null || !(FINGERPRINT.matcher(identity).matches() || KEY_ID.matcher(identity).matches())) {
            throw new IllegalArgumentException("OpenPGP identity '" + identity + "' is neither a fingerprint nor a key ID");
        }
        if (keys == null || keys.isEmpty()) {
            throw new IllegalArgumentException("OpenPGP key " + identity + " names no key ID");
        }
        for (KeyName key : keys) {
            boolean valid = key != null && key.keyId() != null && KEY_ID.matcher(key.keyId()).matches()
                    && (key.fingerprint() == null || FINGERPRINT.matcher(key.fingerprint()).matches()
                    && key.fingerprint().endsWith(key.keyId()));
            if (!valid) {
                throw new IllegalArgumentException("OpenPGP key " + identity + " names a malformed key " + key);
            }
        }
        return new RevocationKey(OPENPGP, identity, List.copyOf(keys), publicKey);
    }

    /** The cosign public key, for a cosign revocation. */
    public PublicKey cosignKey() {
        return CosignSignatures.parsePublicKey(publicKey);
    }

    private static List<RevocationKey> openPgpBlock(String armoured) {
        OpenPgpKeyring keyring;
        try {
            keyring = OpenPgpKeyring.of(armoured.getBytes(StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            throw ApiException.field("key", e.getMessage());
        }
        List<RevocationKey> keys = new ArrayList<>();
        for (String primary : keyring.primaryFingerprints()) {
            List<KeyName> names = keyring.fingerprintsOf(primary).stream().map(KeyName::ofFingerprint).toList();
            keys.add(new RevocationKey(OPENPGP, primary, names, armoured));
        }
        return keys;
    }

    private static RevocationKey cosign(String pem) {
        try {
            return new RevocationKey(COSIGN, CosignSignatures.keyIdentity(CosignSignatures.parsePublicKey(pem)), List.of(), pem);
        } catch (IllegalArgumentException e) {
            throw ApiException.field("key", e.getMessage());
        }
    }
}
