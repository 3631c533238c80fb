package io.sigil.signature;

import io.sigil.content.NewSignature;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The keys whose signatures Sigil no longer accepts. Declared here so that every ingest path can consult it without
 * the signature package depending on the lifecycle package, which keeps the list ({@code io.sigil.lifecycle.RevocationList}).
 */
public interface RevokedKeys {

    /** One entry of the revocation list: which key, and why. */
    record Revocation(UUID id, String type, String identity, String reason) {
        public String href() {
            return COLLECTION + id + "/";
        }
    }

    String COLLECTION = "/pulp/api/v3/revoked-keys/";

    /** A stored signature unit made by a revoked key; {@code carrierId}: its cosign {@code .sig} manifest, if any. */
    record RevokedSignature(long id, UUID pulpId, String signedDigest, Long carrierId, Revocation revocation) {
        public String href() {
            return "/pulp/api/v3/content/container/signatures/" + pulpId + "/";
        }
    }

    /**
     * The signatures among these units (of any type) that revoked keys made. Like {@link #requireNotRevoked}, call it
     * in the transaction that puts them into a version: an invalidation committing meanwhile then sweeps them after.
     */
    List<RevokedSignature> revokedAmong(Collection<Long> unitIds);

    /**
     * The revocation covering a signature with these claims, if any: an OpenPGP signature by its issuer key ID or
     * fingerprint (a subkey's counts for its primary key), a cosign signature by its signer identity or by verifying
     * it with each revoked cosign key.
     *
     * @param data the signature bytes; for cosign, containers/image's storage form
     */
    Optional<Revocation> revocationOf(String type, String keyId, String fingerprint, byte[] data);

    /** {@link #revocationOf} against one reading of the list. */
    @FunctionalInterface
    interface Snapshot {
        Optional<Revocation> revocationOf(String type, String keyId, String fingerprint, byte[] data);
    }

    /**
     * The list as it is now, for checking many signatures without reading it again for each (a sync's thousand
     * signatures). Whoever stores the signatures still calls {@link #requireNotRevoked} in the storing transaction.
     */
    default Snapshot snapshot() {
        return this::revocationOf;
    }

    /**
     * Throws {@link RevokedKeyException} when the signature is by a revoked key. Call it in the transaction that stores
     * the signature: a revocation committed meanwhile then either is seen here or waits for that transaction.
     */
    void requireNotRevoked(NewSignature signature);

    /** {@link #requireNotRevoked} for many signatures at once. */
    default void requireNoneRevoked(java.util.Collection<NewSignature> signatures) {
        signatures.forEach(this::requireNotRevoked);
    }
}
