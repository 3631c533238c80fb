package io.sigil.lifecycle;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.sigil.common.ApiException;
import io.sigil.common.Sql;
import io.sigil.content.NewSignature;
import io.sigil.signature.CosignSignatures;
import io.sigil.signature.RevokedKeyException;
import io.sigil.signature.RevokedKeys;
import io.sigil.signature.SignatureFormatException;
import io.sigil.signature.SignatureVerifier;
import io.sigil.signature.TrustedKeys;
import io.sigil.signature.UntrustedCosignSignature;
import io.sigil.tasks.TaskDispatcher;
import io.sigil.tasks.TaskRef;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.security.PublicKey;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The revocation list: keys whose signatures Sigil refuses on every ingest path (push, sync, import, signing) and
 * never reports valid. An entry is added by invalidation and lifted by an administrator.
 *
 * <p>Every ingest holds a shared advisory lock until it commits; {@link #awaitIngestsInFlight} takes it exclusively
 * once. An ingest that checked the list just before a revocation committed has therefore committed before
 * invalidation looks for that key's signatures, so none slips in behind the sweep.
 */
@ApplicationScoped
public class RevocationList implements RevokedKeys {

    private static final String INGEST_LOCK = "sigil:revocation-list";

    @Inject
    EntityManager em;
    @Inject
    TaskDispatcher dispatcher;

    private volatile Snapshot cached;

    /**
     * An entry of the list, as the API shows it.
     *
     * @param revokedAt when the key was revoked: for an imported entry, on the Sigil that revoked it
     * @param note      where an imported entry came from; null for a revocation made here
     */
    public record RevokedKey(UUID id, OffsetDateTime created, String type, String identity, List<RevocationKey.KeyName> keys,
                             String publicKey, String reason, String revokedBy, OffsetDateTime revokedAt, String note) {
        public String href() {
            return COLLECTION + id + "/";
        }
    }

    public record KeyPage(long count, List<RevokedKey> keys) {
    }

    /**
     * Puts a key on the list, or returns its existing entry (adding any subkeys this request makes known). A key given
     * by fingerprint or key ID also covers the subkeys that an earlier revocation or a trusted key knows it has.
     */
    public RevokedKey revoke(RevocationKey key, String reason, String user) {
        return get(QuarkusTransaction.requiringNew().call(() -> insert(key, reason, user, null, null)).id());
    }

    /** Whether {@link #insert} put a new entry on the list or found the key there already. */
    public record Listed(UUID id, boolean added) {
    }

    /**
     * Puts a revocation made elsewhere on the list (an import), keeping its reason, time and author and noting where
     * it came from; a key already listed here keeps its own entry (the subkeys named are added to it). Joins the
     * caller's transaction when there is one, so that the caller can undo it.
     */
    public Listed importRevocation(RevocationKey key, String reason, String revokedBy, OffsetDateTime revokedAt, String note) {
        return insert(key, reason, revokedBy, revokedAt, note);
    }

    private Listed insert(RevocationKey key, String reason, String user, OffsetDateTime revokedAt, String note) {
        return QuarkusTransaction.joiningExisting().call(() -> Sql.with(em, sql -> {
            List<RevocationKey.KeyName> names = new ArrayList<>(key.keys());
            if (RevocationKey.OPENPGP.equals(key.type())) {
                names.addAll(KnownSubkeys.of(sql, key.identity()));
            }
            List<Object[]> existing = sql.query("SELECT id, pulp_id FROM revoked_key WHERE type = ? AND identity = ?",
                    rs -> new Object[] {rs.getLong(1), rs.getObject(2, UUID.class)}, key.type(), key.identity());
            long rowId;
            UUID pulpId;
            if (existing.isEmpty()) {
                pulpId = UUID.randomUUID();
                rowId = sql.query("INSERT INTO revoked_key (pulp_id, type, identity, public_key, reason, revoked_by, revoked_at, note) "
                                + "VALUES (?, ?, ?, ?, ?, ?, coalesce(?, now()), ?) RETURNING id", rs -> rs.getLong(1),
                        pulpId, key.type(), key.identity(), key.publicKey(), reason, user, revokedAt, note).get(0);
            } else {
                rowId = (long) existing.get(0)[0];
                pulpId = (UUID) existing.get(0)[1];
            }
            for (RevocationKey.KeyName name : names) {
                sql.update("INSERT INTO revoked_subkey (revoked_key_id, key_id, fingerprint) VALUES (?, ?, ?) "
                        + "ON CONFLICT (revoked_key_id, key_id) DO NOTHING", rowId, name.keyId(), name.fingerprint());
            }
            return new Listed(pulpId, existing.isEmpty());
        }));
    }

    public RevokedKey get(UUID id) {
        List<RevokedKey> found = read("WHERE k.pulp_id = ?", List.of(id), 1, 0);
        if (found.isEmpty()) {
            throw ApiException.notFound("revoked key " + id + " does not exist");
        }
        return found.get(0);
    }

    /** Entries, newest first. */
    public KeyPage list(int limit, int offset) {
        long count = QuarkusTransaction.joiningExisting().call(() -> Sql.with(em, sql ->
                sql.query("SELECT count(*) FROM revoked_key", rs -> rs.getLong(1)).get(0)));
        return new KeyPage(count, read("", List.of(), limit, offset));
    }

    /** Removes entries an import added, when that import fails: nothing of a refused archive stays. */
    public void forgetImported(List<UUID> ids) {
        QuarkusTransaction.requiringNew().run(() -> Sql.with(em, sql ->
                sql.update("DELETE FROM revoked_key WHERE pulp_id = ANY(?)", sql.uuids(ids))));
    }

    /** Lifts a revocation: the key's signatures are accepted again from now on (removed ones do not come back). */
    public void lift(UUID id) {
        int deleted = QuarkusTransaction.requiringNew().call(() ->
                Sql.with(em, sql -> sql.update("DELETE FROM revoked_key WHERE pulp_id = ?", id)));
        if (deleted == 0) {
            throw ApiException.notFound("revoked key " + id + " does not exist");
        }
        reverify();
    }

    /** Stored verdicts follow the list: every change re-verifies every signature, as a change of trusted keys does. */
    public TaskRef reverify() {
        return dispatcher.dispatch(SignatureVerifier.REVERIFY, Map.of(), List.of(TrustedKeys.LOCK), List.of());
    }

    public boolean isRevoked(NewSignature signature) {
        return revocationOf(signature.type(), signature.keyId(), signature.fingerprint(), signature.data()).isPresent();
    }

    @Override
    public void requireNotRevoked(NewSignature signature) {
        requireNoneRevoked(List.of(signature));
    }

    /** One shared lock and one look at the list for all of them. */
    @Override
    public void requireNoneRevoked(Collection<NewSignature> signatures) {
        holdIngestLock();
        Snapshot snapshot = current();
        for (NewSignature signature : signatures) {
            Optional<Revocation> revocation = revocationIn(snapshot, signature.type(), signature.keyId(),
                    signature.fingerprint(), signature.data());
            if (revocation.isPresent()) {
                throw new RevokedKeyException(revocation.get());
            }
        }
    }

    @Override
    public Optional<Revocation> revocationOf(String type, String keyId, String fingerprint, byte[] data) {
        return revocationIn(current(), type, keyId, fingerprint, data);
    }

    @Override
    public RevokedKeys.Snapshot snapshot() {
        Snapshot snapshot = current();
        return (type, keyId, fingerprint, data) -> revocationIn(snapshot, type, keyId, fingerprint, data);
    }

    private static Optional<Revocation> revocationIn(Snapshot snapshot, String type, String keyId, String fingerprint,
                                                     byte[] data) {
        if (RevocationKey.COSIGN.equals(type)) {
            return snapshot.cosign(fingerprint, data);
        }
        Revocation byFingerprint = fingerprint == null ? null : snapshot.byFingerprint.get(fingerprint);
        if (byFingerprint != null) {
            return Optional.of(byFingerprint);
        }
        return Optional.ofNullable(keyId == null ? null : snapshot.byKeyId.get(keyId));
    }

    @Override
    public List<RevokedSignature> revokedAmong(Collection<Long> unitIds) {
        if (unitIds.isEmpty()) {
            return List.of();
        }
        return QuarkusTransaction.joiningExisting().call(() -> {
            holdIngestLock();
            List<SignatureRow> rows = Sql.with(em, sql -> sql.query("SELECT s.id, c.pulp_id, s.signed_digest, s.carrier_manifest_id, "
                    + "s.type, s.key_id, s.fingerprint, CASE WHEN s.type = 'cosign' THEN s.data END "
                    + "FROM signature s JOIN content c ON c.id = s.id WHERE s.id = ANY(?) ORDER BY s.id",
                    rs -> new SignatureRow(new RevokedSignature(rs.getLong(1), rs.getObject(2, UUID.class), rs.getString(3),
                            (Long) rs.getObject(4), null), rs.getString(5), rs.getString(6), rs.getString(7), rs.getBytes(8)),
                    sql.ids(unitIds)));
            List<RevokedSignature> revoked = new ArrayList<>();
            Snapshot snapshot = current();
            for (SignatureRow r : rows) {
                revocationIn(snapshot, r.type(), r.keyId(), r.fingerprint(), r.data()).ifPresent(revocation -> revoked.add(
                        new RevokedSignature(r.unit().id(), r.unit().pulpId(), r.unit().signedDigest(), r.unit().carrierId(), revocation)));
            }
            return revoked;
        });
    }

    private record SignatureRow(RevokedSignature unit, String type, String keyId, String fingerprint, byte[] data) {
    }

    /** Shared with every other ingest; {@link #awaitIngestsInFlight} takes it exclusively. Held until commit. */
    private void holdIngestLock() {
        em.createNativeQuery("SELECT pg_advisory_xact_lock_shared(hashtextextended(?1, 0))")
                .setParameter(1, INGEST_LOCK).getSingleResult();
    }

    /** Waits until every ingest that may have checked the list before now has committed. */
    void awaitIngestsInFlight() {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("SELECT pg_advisory_xact_lock(hashtextextended(?1, 0))")
                .setParameter(1, INGEST_LOCK).getSingleResult());
    }

    private List<RevokedKey> read(String where, List<Object> params, int limit, int offset) {
        List<Object> all = new ArrayList<>(params);
        all.add(limit);
        all.add(offset);
        return QuarkusTransaction.joiningExisting().call(() -> Sql.with(em, sql -> {
            Map<Long, RevokedKey> keys = new LinkedHashMap<>();
            sql.query("SELECT k.id, k.pulp_id, k.pulp_created, k.type, k.identity, k.public_key, k.reason, k.revoked_by, "
                    + "k.revoked_at, k.note FROM revoked_key k " + where + " ORDER BY k.id DESC LIMIT ? OFFSET ?",
                    rs -> keys.put(rs.getLong(1), new RevokedKey(rs.getObject(2, UUID.class), rs.getObject(3, OffsetDateTime.class),
                            rs.getString(4), rs.getString(5), new ArrayList<>(), rs.getString(6), rs.getString(7), rs.getString(8),
                            rs.getObject(9, OffsetDateTime.class), rs.getString(10))), all.toArray());
            sql.query("SELECT revoked_key_id, key_id, fingerprint FROM revoked_subkey WHERE revoked_key_id = ANY(?) "
                    + "ORDER BY revoked_key_id, key_id", rs -> keys.get(rs.getLong(1)).keys()
                    .add(new RevocationKey.KeyName(rs.getString(2), rs.getString(3))), sql.ids(keys.keySet()));
            return List.copyOf(keys.values());
        }));
    }

    /**
     * The list as of now. Rows are only inserted and deleted and ids never reused, so the counts and the highest id
     * change with every change: one cheap query decides whether the cached copy is still current.
     */
    private Snapshot current() {
        return QuarkusTransaction.joiningExisting().call(() -> Sql.with(em, sql -> {
            long[] generation = sql.query("SELECT (SELECT count(*) FROM revoked_key), (SELECT coalesce(max(id), 0) FROM revoked_key), "
                    + "(SELECT count(*) FROM revoked_subkey)", rs -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)}).get(0);
            Snapshot known = cached;
            if (known != null && java.util.Arrays.equals(known.generation, generation)) {
                return known;
            }
            Snapshot loaded = Snapshot.load(sql, generation);
            cached = loaded;
            return loaded;
        }));
    }

    private record CosignRevocation(PublicKey key, Revocation revocation) {
    }

    private record Snapshot(long[] generation, Map<String, Revocation> byKeyId, Map<String, Revocation> byFingerprint,
                            Map<String, Revocation> cosignByIdentity, List<CosignRevocation> cosignKeys) {

        static Snapshot load(Sql sql, long[] generation) throws SQLException {
            Map<String, Revocation> byKeyId = new HashMap<>(), byFingerprint = new HashMap<>(), cosign = new HashMap<>();
            List<CosignRevocation> cosignKeys = new ArrayList<>();
            sql.query("SELECT k.pulp_id, k.type, k.identity, k.reason, k.public_key FROM revoked_key k ORDER BY k.id", rs -> {
                Revocation r = new Revocation(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getString(4));
                if (RevocationKey.COSIGN.equals(r.type())) {
                    cosign.put(r.identity(), r);
                    cosignKeys.add(new CosignRevocation(CosignSignatures.parsePublicKey(rs.getString(5)), r));
                }
                return null;
            });
            sql.query("SELECT k.pulp_id, k.type, k.identity, k.reason, s.key_id, s.fingerprint FROM revoked_key k "
                    + "JOIN revoked_subkey s ON s.revoked_key_id = k.id ORDER BY k.id", rs -> {
                Revocation r = new Revocation(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getString(4));
                byKeyId.putIfAbsent(rs.getString(5), r);
                if (rs.getString(6) != null) {
                    byFingerprint.putIfAbsent(rs.getString(6), r);
                }
                return null;
            });
            return new Snapshot(generation, byKeyId, byFingerprint, cosign, cosignKeys);
        }

        Optional<Revocation> cosign(String signerIdentity, byte[] storageForm) {
            if (signerIdentity != null && cosignByIdentity.containsKey(signerIdentity)) {
                return Optional.of(cosignByIdentity.get(signerIdentity));
            }
            if (cosignKeys.isEmpty() || storageForm == null) {
                return Optional.empty();
            }
            UntrustedCosignSignature layer;
            try {
                layer = CosignSignatures.fromStorageForm(storageForm);
            } catch (SignatureFormatException e) {
                return Optional.empty();
            }
            return cosignKeys.stream().filter(k -> CosignSignatures.signedBy(layer, k.key())).map(CosignRevocation::revocation).findFirst();
        }
    }
}
