package io.sigil.lifecycle;

import io.sigil.common.Sql;
import io.sigil.signature.CosignSignatures;
import io.sigil.signature.SignatureFormatException;
import io.sigil.signature.UntrustedCosignSignature;
import java.security.PublicKey;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Which signatures an invalidation removes: those made by the given keys (every signature when no key is given),
 * within the given repositories (all when null) and signing the given manifests (any when null).
 *
 * <p>OpenPGP signatures match in SQL on their issuer key ID or fingerprint. Cosign signatures name no key, so every
 * cosign signature in scope is a candidate and matches when its signature annotation verifies with a revoked key.
 */
final class InvalidationScope {

    private final boolean everyKey;
    private final Set<String> keyIds;
    private final Set<String> fingerprints;
    private final Set<String> cosignIdentities;
    private final List<PublicKey> cosignKeys;
    private final List<UUID> repositories;
    private final List<String> manifests;

    InvalidationScope(SignatureInvalidation.Parameters p) {
        this.everyKey = p.keyIds().isEmpty() && p.fingerprints().isEmpty() && p.cosignKeys().isEmpty();
        this.keyIds = Set.copyOf(p.keyIds());
        this.fingerprints = Set.copyOf(p.fingerprints());
        this.cosignKeys = p.cosignKeys().stream().map(CosignSignatures::parsePublicKey).toList();
        this.cosignIdentities = new HashSet<>(cosignKeys.stream().map(CosignSignatures::keyIdentity).toList());
        this.repositories = p.repositories();
        this.manifests = p.manifests();
    }

    record Holder(long id, UUID pulpId, String name) {
    }

    record Candidate(long id, String type, String fingerprint, byte[] data, Long carrierId, String signedDigest) {
    }

    /** Repositories whose latest version holds a candidate signature, by name. */
    List<Holder> holders(Sql sql) throws SQLException {
        List<Object> params = new ArrayList<>();
        String where = where(sql, params);
        if (repositories != null) {
            where += " AND r.pulp_id = ANY(?)";
            params.add(sql.uuids(repositories));
        }
        return sql.query("SELECT DISTINCT r.id, r.pulp_id, r.name FROM repository_content rc "
                        + "JOIN signature s ON s.id = rc.content_id JOIN repository r ON r.id = rc.repository_id WHERE " + where
                        + " ORDER BY r.name", rs -> new Holder(rs.getLong(1), rs.getObject(2, UUID.class), rs.getString(3)),
                params.toArray());
    }

    /** The signatures in the latest version of the repository that this invalidation removes. */
    List<Candidate> matchesIn(Sql sql, long repositoryId) throws SQLException {
        List<Object> params = new ArrayList<>();
        params.add(repositoryId);
        String where = where(sql, params);
        List<Candidate> candidates = sql.query("SELECT s.id, s.type, s.fingerprint, CASE WHEN s.type = 'cosign' THEN s.data END, "
                        + "s.carrier_manifest_id, s.signed_digest FROM repository_content rc JOIN signature s ON s.id = rc.content_id "
                        + "WHERE rc.repository_id = ? AND " + where,
                rs -> new Candidate(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getBytes(4), (Long) rs.getObject(5),
                        rs.getString(6)),
                params.toArray());
        return candidates.stream().filter(this::matches).toList();
    }

    private boolean matches(Candidate c) {
        if (everyKey || !RevocationKey.COSIGN.equals(c.type())) {
            return true; // SQL already matched the OpenPGP key IDs and fingerprints
        }
        if (c.fingerprint() != null && cosignIdentities.contains(c.fingerprint())) {
            return true;
        }
        try {
            UntrustedCosignSignature layer = CosignSignatures.fromStorageForm(c.data());
            return cosignKeys.stream().anyMatch(k -> CosignSignatures.signedBy(layer, k));
        } catch (SignatureFormatException e) {
            return false;
        }
    }

    private String where(Sql sql, List<Object> params) throws SQLException {
        StringBuilder where = new StringBuilder("rc.version_removed IS NULL AND rc.pulp_type = 'container.signature'");
        if (!everyKey) {
            List<String> any = new ArrayList<>();
            if (!keyIds.isEmpty()) {
                any.add("s.key_id = ANY(?)");
                params.add(sql.texts(keyIds));
            }
            if (!fingerprints.isEmpty()) {
                any.add("s.fingerprint = ANY(?)");
                params.add(sql.texts(fingerprints));
            }
            if (!cosignKeys.isEmpty()) {
                any.add("s.type = 'cosign'");
            }
            where.append(" AND (").append(String.join(" OR ", any)).append(')');
        }
        if (manifests != null) {
            where.append(" AND s.signed_digest = ANY(?)");
            params.add(sql.texts(manifests));
        }
        return where.toString();
    }
}
