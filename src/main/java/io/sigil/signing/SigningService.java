package io.sigil.signing;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * A service that signs manifests: with a private key Sigil keeps sealed, or through an external script (an HSM, a
 * KMS). The private key never leaves the signing package.
 *
 * @param type        {@code atomic} (OpenPGP simple signing) or {@code cosign}
 * @param publicKey   armoured OpenPGP public key, or PEM public key for cosign
 * @param fingerprint OpenPGP primary fingerprint, or for cosign the upper-case hex SHA-256 of the DER public key:
 *                    the key identity verdicts name once this key is trusted
 * @param script      the external program, or null when Sigil holds the key
 * @param allowedReferences the references it may sign for: exact repository names, or prefixes ending in {@code /}
 *                    (e.g. {@code registry.example.com/team/}); none means it signs nothing
 */
public record SigningService(UUID id, OffsetDateTime created, String name, String type, String publicKey,
                             String fingerprint, String script, List<String> allowedReferences) {

    public static final String COLLECTION = "/pulp/api/v3/signing-services/";

    public SigningService {
        allowedReferences = allowedReferences == null ? List.of() : List.copyOf(allowedReferences);
    }

    /** Whether this service may sign for {@code reference}: an exact name, or under one of its prefixes. */
    public boolean mayFor(String reference) {
        return allowedReferences.stream().anyMatch(allowed -> allowed.endsWith("/")
                ? reference.startsWith(allowed) : reference.equals(allowed));
    }

    public String href() {
        return COLLECTION + id + "/";
    }
}
