package io.sigil.repository;

import io.sigil.common.ApiException;
import io.sigil.common.Sql;
import io.sigil.signature.RevokedKeys;
import io.sigil.signature.RevokedKeys.RevokedSignature;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keeps signatures by revoked keys out of the versions that modify and copy write, so that a signature invalidation
 * removed stays out: modify refuses to add one by name, copy (and a modify from an older base version) leaves them
 * behind and says how many. Checked in the transaction that writes the version (see {@link RevokedKeys#revokedAmong}).
 */
@ApplicationScoped
public class RevokedSignatureGuard {

    @Inject
    RevokedKeys revokedKeys;

    /** Throws a 400 naming each signature among {@code units} that a revoked key made, with its revocation. */
    public void refuse(String field, Set<Long> units) {
        List<RevokedSignature> revoked = revokedKeys.revokedAmong(units);
        if (revoked.isEmpty()) {
            return;
        }
        List<String> messages = revoked.stream().map(r -> "signature " + r.href() + " of " + r.signedDigest()
                + " was made by the revoked key " + r.revocation().identity() + " (" + r.revocation().reason() + ")").toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put(field, messages);
        body.put("revoked_signatures", revoked.stream().map(RevokedSignatureGuard::describe).toList());
        throw new ApiException(400, body, field + ": " + String.join("; ", messages));
    }

    /** The signatures by revoked keys among {@code units}. */
    List<RevokedSignature> among(Set<Long> units) {
        return revokedKeys.revokedAmong(units);
    }

    /**
     * {@code units} without these signatures, and without the cosign {@code .sig} manifests (with their tags) that
     * carried only revoked signatures among {@code units}: what is left of them is the revoked key's work.
     */
    static Set<Long> without(Sql sql, Set<Long> units, List<RevokedSignature> revoked) throws SQLException {
        Set<Long> kept = new HashSet<>(units);
        Set<Long> carriers = new HashSet<>();
        revoked.forEach(r -> {
            kept.remove(r.id());
            if (r.carrierId() != null) {
                carriers.add(r.carrierId());
            }
        });
        if (carriers.isEmpty()) {
            return kept;
        }
        carriers.removeAll(sql.query("SELECT DISTINCT carrier_manifest_id FROM signature WHERE id = ANY(?) "
                + "AND carrier_manifest_id = ANY(?)", rs -> rs.getLong(1), sql.ids(kept), sql.ids(carriers)));
        kept.removeAll(carriers);
        kept.removeAll(sql.query("SELECT id FROM tag WHERE manifest_id = ANY(?)", rs -> rs.getLong(1), sql.ids(carriers)));
        return kept;
    }

    /** What a task result says about a signature it left behind. */
    static Map<String, Object> describe(RevokedSignature r) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("signature", r.href());
        d.put("signed_digest", r.signedDigest());
        d.put("revoked_key", r.revocation().href());
        d.put("key", r.revocation().identity());
        d.put("reason", r.revocation().reason());
        return d;
    }
}
