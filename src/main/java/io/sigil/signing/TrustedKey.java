package io.sigil.signing;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * A key Sigil trusts when it verifies signatures.
 *
 * @param type        {@code openpgp}, {@code cosign} or {@code keyless}
 * @param fingerprint the identity verdicts name: for OpenPGP the upper-case V4 fingerprint of the primary key, for
 *                    cosign the upper-case hex SHA-256 of the DER public key; null for keyless
 * @param subkeys     OpenPGP only: every usable key of the ring (the primary key first), so that signatures by
 *                    subkeys resolve to {@code fingerprint}
 * @param publicKey   armoured OpenPGP key or PEM public key; null for keyless
 * @param fulcioCa    keyless only: PEM CA certificates of the Fulcio instance
 * @param rekorPublicKey keyless only: PEM ECDSA public key of the Rekor log
 */
public record TrustedKey(UUID id, OffsetDateTime created, String name, String type, String fingerprint,
                         List<Subkey> subkeys, String publicKey, String fulcioCa, String rekorPublicKey,
                         String oidcIssuer, String subject) {

    public static final String OPENPGP = "openpgp";
    public static final String COSIGN = "cosign";
    public static final String KEYLESS = "keyless";
    public static final String COLLECTION = "/pulp/api/v3/trusted-keys/";

    /** @param keyId the 16 upper-case hex digit key ID, as signatures name their issuer */
    public record Subkey(String fingerprint, String keyId) {
    }

    public String href() {
        return COLLECTION + id + "/";
    }
}
