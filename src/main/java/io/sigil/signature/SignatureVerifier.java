package io.sigil.signature;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.sigil.common.Sql;
import io.sigil.content.NewSignature;
import io.sigil.content.Signature;
import io.sigil.tasks.TaskContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Gives every signature unit a verdict against the trusted keys: OpenPGP signatures against all trusted OpenPGP
 * keys, cosign signatures against all trusted cosign keys (with their Rekor logs) and keyless and PKI trust. Verdicts are stored, so listings and filters read them
 * instead of re-running cryptography; {@link #REVERIFY} recomputes them all when the keys change.
 */
@ApplicationScoped
public class SignatureVerifier {

    public static final String REVERIFY = "signatures.reverify";
    private static final int BATCH = 500;

    @Inject
    EntityManager em;
    @Inject
    TrustedKeys keys;
    @Inject
    RevokedKeys revokedKeys;
    @Inject
    io.sigil.metrics.SigilMetrics metrics;

    /** Verifies a signature unit against the keys trusted now and the revocation list, without storing anything. */
    public Verdict verify(Signature signature) {
        return unlessRevoked(verify(keys.current(), signature.type, signature.data, signature.signedDigest), signature.type,
                signature.keyId, signature.fingerprint, signature.data);
    }

    /**
     * A valid verdict for a signature whose key is revoked (by its own key ID or fingerprint, a subkey's counting for
     * its primary, or by the trusted key it verified with) becomes invalid, saying so.
     */
    private Verdict unlessRevoked(Verdict verdict, String type, String keyId, String fingerprint, byte[] data) {
        Verdict result = !verdict.isValid() ? verdict : revocation(type, keyId, fingerprint, data, verdict.keyIdentity())
                .map(r -> Verdict.invalid(verdict.keyIdentity(), revokedReason(r))).orElse(verdict);
        metrics.signatureVerified(type, result.state());
        return result;
    }

    private Optional<RevokedKeys.Revocation> revocation(String type, String keyId, String fingerprint, byte[] data,
                                                        String keyIdentity) {
        return revokedKeys.revocationOf(type, keyId, fingerprint, data)
                .or(() -> revokedKeys.revocationOf(type, null, keyIdentity, null));
    }

    private static String revokedReason(RevokedKeys.Revocation revocation) {
        return "the signing key " + revocation.identity() + " is revoked: " + revocation.reason();
    }

    /** Verifies and stores the verdict, in the caller's transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Verdict record(Signature signature) {
        Verdict verdict = verify(signature);
        Sql.with(em, sql -> store(sql, List.of(signature.id), List.of(verdict)));
        return verdict;
    }

    /** {@link #record} for many new units at once (ids with what was stored), against one snapshot of the keys. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void recordAll(Map<Long, NewSignature> signatures) {
        if (signatures.isEmpty()) {
            return;
        }
        TrustedKeys.KeySet keySet = keys.current();
        List<Long> ids = new ArrayList<>();
        List<Verdict> verdicts = new ArrayList<>();
        signatures.forEach((id, s) -> {
            ids.add(id);
            verdicts.add(unlessRevoked(verify(keySet, s.type(), s.data(), s.signedDigest()), s.type(), s.keyId(),
                    s.fingerprint(), s.data()));
        });
        Sql.with(em, sql -> store(sql, ids, verdicts));
    }

    /**
     * The stored verdicts of these signature units; units never verified are absent. A valid verdict whose key has
     * been revoked since it was stored reads as invalid at once, before re-verification rewrites it.
     */
    public Map<Long, StoredVerdict> verdicts(Collection<Long> signatureIds) {
        Map<Long, StoredVerdict> verdicts = new HashMap<>();
        if (signatureIds.isEmpty()) {
            return verdicts;
        }
        QuarkusTransaction.joiningExisting().run(() -> Sql.with(em, sql -> sql.query(
                "SELECT v.signature_id, v.state, v.key_identity, v.reason, v.computed_at, s.type, s.key_id, s.fingerprint, "
                        + "CASE WHEN v.state = 'VALID' THEN s.data END, v.predicate_type FROM signature_verdict v JOIN signature s ON s.id = v.signature_id "
                        + "WHERE v.signature_id = ANY(?)", rs -> {
                    StoredVerdict stored = new StoredVerdict(Verdict.State.valueOf(rs.getString(2)), rs.getString(3),
                            rs.getString(4), rs.getObject(5, OffsetDateTime.class), rs.getString(10));
                    return verdicts.put(rs.getLong(1), stored.state() != Verdict.State.VALID ? stored : currently(stored,
                            rs.getString(6), rs.getString(7), rs.getString(8), rs.getBytes(9)));
                }, sql.ids(signatureIds))));
        return verdicts;
    }

    private StoredVerdict currently(StoredVerdict stored, String type, String keyId, String fingerprint, byte[] data) {
        return revocation(type, keyId, fingerprint, data, stored.keyIdentity())
                .map(r -> new StoredVerdict(Verdict.State.INVALID, stored.keyIdentity(), revokedReason(r), stored.computedAt(),
                        stored.predicateType()))
                .orElse(stored);
    }

    public static Verdict verify(TrustedKeys.KeySet keySet, String type, byte[] data, String manifestDigest) {
        Verdict verdict = switch (type) {
            case SignatureIngest.ATOMIC -> AtomicSignatures.verify(data, keySet.openPgp(), manifestDigest);
            case SignatureIngest.COSIGN -> verifyCosign(keySet, data, manifestDigest);
            case SignatureIngest.ATTESTATION -> verifyAttestation(keySet, data, manifestDigest);
            case SignatureIngest.NOTATION -> verifyNotation(keySet, data, manifestDigest);
            case SignatureIngest.SIGSTORE_BUNDLE -> verifyBundle(keySet, data, manifestDigest);
            default -> Verdict.unknownKey("Sigil does not verify signatures of type " + type + " yet");
        };
        return requireParsableReference(verdict);
    }

    /**
     * A signed docker-reference that does not parse can match no image under any identity rule, and containers/image
     * rejects it whatever the policy: such a signature is invalid, not valid-for-nothing.
     */
    private static Verdict requireParsableReference(Verdict verdict) {
        if (!verdict.isValid() || verdict.signedDockerReference() == null) {
            return verdict;
        }
        try {
            DockerReference.parseNormalized(verdict.signedDockerReference());
            return verdict;
        } catch (IllegalArgumentException e) {
            return Verdict.invalid(verdict.keyIdentity(), "signed docker-reference is not valid: " + e.getMessage());
        }
    }

    private static Verdict verifyCosign(TrustedKeys.KeySet keySet, byte[] data, String manifestDigest) {
        UntrustedCosignSignature layer;
        try {
            layer = CosignSignatures.fromStorageForm(data);
        } catch (SignatureFormatException e) {
            return Verdict.invalid(null, e.getMessage());
        }
        return CosignSignatures.verify(layer, keySet.cosign(), manifestDigest);
    }

    /** An attestation layer in storage form, its DSSE envelope verified with the trusted cosign keys. */
    private static Verdict verifyAttestation(TrustedKeys.KeySet keySet, byte[] data, String manifestDigest) {
        UntrustedCosignSignature layer;
        try {
            layer = CosignSignatures.fromStorageForm(data);
        } catch (SignatureFormatException e) {
            return Verdict.invalid(null, e.getMessage());
        }
        return Verdict.of(Attestations.verify(layer.payload(), keySet.cosign().publicKeys(), manifestDigest));
    }

    /** A Sigstore bundle against each sigstore trust: valid by one, else the most telling failure. */
    private static Verdict verifyBundle(TrustedKeys.KeySet keySet, byte[] data, String manifestDigest) {
        if (keySet.sigstore().isEmpty()) {
            return Verdict.unknownKey("no sigstore trusted root is trusted");
        }
        Check best = null;
        for (SigstoreBundles.Expected expected : keySet.sigstore()) {
            Check check = SigstoreBundles.verify(data, expected, manifestDigest);
            if (check.isValid()) {
                return Verdict.of(check);
            }
            if (best == null || best.outcome() == Check.Outcome.UNKNOWN_KEY) {
                best = check;
            }
        }
        return Verdict.of(best);
    }

    /** A Notary Project signature against the notation trust stores, now. */
    private static Verdict verifyNotation(TrustedKeys.KeySet keySet, byte[] data, String manifestDigest) {
        StoredNotarySignature stored;
        try {
            stored = StoredNotarySignature.parse(data);
        } catch (SignatureFormatError e) {
            return Verdict.invalid(null, e.getMessage());
        }
        return Verdict.of(NotarySignatures.verify(stored.envelopeMediaType(), stored.envelope(),
                stored.target(manifestDigest), keySet.notary(), java.time.Instant.now()));
    }

    /**
     * Recomputes every verdict with the current keys, in batches. Verdicts computed before the task started are
     * redone; a second sweep catches signatures whose storing transaction began before the keys changed but
     * committed after the first sweep passed them.
     */
    public int reverifyAll(TaskContext context) {
        OffsetDateTime started = QuarkusTransaction.requiringNew().call(() ->
                Sql.with(em, sql -> sql.query("SELECT now()", rs -> rs.getObject(1, OffsetDateTime.class)).get(0)));
        TrustedKeys.KeySet keySet = keys.current();
        long total = QuarkusTransaction.requiringNew().call(() ->
                Sql.with(em, sql -> sql.query("SELECT count(*) FROM signature", rs -> rs.getLong(1)).get(0)));
        int done = sweep(context, keySet, started, total);
        return done + sweep(context, keySet, started, total);
    }

    private int sweep(TaskContext context, TrustedKeys.KeySet keySet, OffsetDateTime started, long total) {
        int done = 0;
        long cursor = 0;
        while (true) {
            context.checkCanceled();
            long after = cursor;
            List<Stale> batch = QuarkusTransaction.requiringNew().call(() -> Sql.with(em, sql -> sql.query("""
                    SELECT s.id, s.type, s.data, s.signed_digest, s.key_id, s.fingerprint FROM signature s
                    LEFT JOIN signature_verdict v ON v.signature_id = s.id
                    WHERE s.id > ? AND (v.signature_id IS NULL OR v.computed_at < ?) ORDER BY s.id LIMIT ?""",
                    rs -> new Stale(rs.getLong(1), rs.getString(2), rs.getBytes(3), rs.getString(4), rs.getString(5),
                            rs.getString(6)), after, started, BATCH)));
            if (batch.isEmpty()) {
                return done;
            }
            List<Verdict> verdicts = batch.stream().map(s -> unlessRevoked(verify(keySet, s.type, s.data, s.digest), s.type,
                    s.keyId, s.fingerprint, s.data)).toList();
            QuarkusTransaction.requiringNew().run(() -> Sql.with(em, sql -> store(sql, batch.stream().map(Stale::id).toList(), verdicts)));
            done += batch.size();
            cursor = batch.get(batch.size() - 1).id;
            context.progress("signatures.reverify", "Re-verifying signatures", done, total);
        }
    }

    private record Stale(long id, String type, byte[] data, String digest, String keyId, String fingerprint) {
    }

    /** Upserts verdicts; signatures deleted meanwhile are skipped rather than failing the batch. */
    private static int store(Sql sql, List<Long> ids, List<Verdict> verdicts) throws SQLException {
        List<String> states = new ArrayList<>(), identities = new ArrayList<>(), reasons = new ArrayList<>();
        List<String> predicateTypes = new ArrayList<>();
        for (Verdict v : verdicts) {
            states.add(v.state().name());
            identities.add(v.keyIdentity());
            reasons.add(v.reason());
            predicateTypes.add(v.predicateType());
        }
        return sql.update("""
                INSERT INTO signature_verdict (signature_id, state, key_identity, reason, computed_at, predicate_type)
                SELECT u.id, u.state, u.key_identity, u.reason, now(), u.predicate_type
                FROM unnest(?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[])
                    AS u(id, state, key_identity, reason, predicate_type)
                JOIN signature s ON s.id = u.id
                ON CONFLICT (signature_id) DO UPDATE SET state = excluded.state, key_identity = excluded.key_identity,
                    reason = excluded.reason, computed_at = excluded.computed_at, predicate_type = excluded.predicate_type""",
                sql.ids(ids), sql.texts(states), sql.texts(identities), sql.texts(reasons), sql.texts(predicateTypes));
    }
}
