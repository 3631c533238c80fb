package io.sigil.signature;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.sigil.common.ApiException;
import io.sigil.common.Sql;
import io.sigil.tasks.TaskDispatcher;
import io.sigil.tasks.TaskRef;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The keys Sigil trusts. Every change re-verifies every signature (task {@link SignatureVerifier#REVERIFY}, locking
 * {@link #LOCK}), so stored verdicts always answer for the current key set once that task has run.
 */
@ApplicationScoped
public class TrustedKeys {

    /** The task-lock resource held by re-verification. */
    public static final String LOCK = "trusted-keys";

    @Inject
    EntityManager em;
    @Inject
    TaskDispatcher dispatcher;

    private volatile KeySet cached;

    public record KeyRequest(String name, String type, String public_key, String fulcio_ca, String rekor_public_key,
                             String oidc_issuer, String subject, String ca_roots, String ca_intermediates,
                             String subject_hostname, List<String> trusted_identities, String verification_level,
                             String trusted_root) {
    }

    public record Created(TrustedKey key, TaskRef reverify) {
    }

    public record KeyPage(long count, List<TrustedKey> keys) {
    }

    /** The trusted keys usable for verification now; rebuilt only when the set changed. */
    public record KeySet(long count, long maxId, OpenPgpKeyring openPgp, CosignTrust cosign,
                  List<NotaryTrust> notary, List<SigstoreBundles.Expected> sigstore) {
    }

    /** Validates and stores a key, then dispatches re-verification of every signature. */
    public Created create(KeyRequest request) {
        if (request == null) {
            throw ApiException.badRequest("a JSON body with name, type and the key material is required");
        }
        KeyMaterial.required("name", request.name());
        String type = KeyMaterial.required("type", request.type()).toLowerCase(Locale.ROOT);
        KeyMaterial.Validated key = switch (type) {
            case TrustedKey.OPENPGP -> KeyMaterial.openPgp(request.public_key());
            case TrustedKey.COSIGN -> KeyMaterial.cosign(request.public_key(), request.rekor_public_key());
            case TrustedKey.KEYLESS -> KeyMaterial.keyless(request.fulcio_ca(), request.rekor_public_key(),
                    request.oidc_issuer(), request.subject());
            case TrustedKey.PKI -> KeyMaterial.pki(request.ca_roots(), request.ca_intermediates(), request.subject(),
                    request.subject_hostname());
            case TrustedKey.NOTATION -> KeyMaterial.notation(request.ca_roots(), request.trusted_identities(),
                    request.verification_level());
            case TrustedKey.SIGSTORE -> KeyMaterial.sigstore(request.trusted_root(), request.public_key(),
                    request.oidc_issuer(), request.subject());
            default -> throw ApiException.field("type", "must be openpgp, cosign, keyless, pki, notation or sigstore, not '"
                    + request.type() + "'");
        };
        UUID id = QuarkusTransaction.requiringNew().call(() -> insert(request.name().trim(), type, key));
        return new Created(get(id), reverify());
    }

    public TrustedKey get(UUID id) {
        List<TrustedKey> found = QuarkusTransaction.joiningExisting().call(() ->
                Sql.with(em, sql -> read(sql, "WHERE k.pulp_id = ?", List.of(id), 1, 0)));
        if (found.isEmpty()) {
            throw ApiException.notFound("trusted key " + id + " does not exist");
        }
        return found.get(0);
    }

    /** Deletes a key and dispatches re-verification; returns that task. */
    public TaskRef delete(UUID id) {
        int deleted = QuarkusTransaction.requiringNew().call(() ->
                Sql.with(em, sql -> sql.update("DELETE FROM trusted_key WHERE pulp_id = ?", id)));
        if (deleted == 0) {
            throw ApiException.notFound("trusted key " + id + " does not exist");
        }
        return reverify();
    }

    /**
     * Keys by optional type, name and fingerprint; a fingerprint matches the primary key or any subkey, by full
     * fingerprint or by 16-digit key ID.
     */
    public KeyPage list(String type, String name, String fingerprint, int limit, int offset) {
        List<String> conditions = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        if (type != null) {
            conditions.add("k.type = ?");
            params.add(type.toLowerCase(Locale.ROOT));
        }
        if (name != null) {
            conditions.add("k.name = ?");
            params.add(name);
        }
        if (fingerprint != null) {
            conditions.add("(k.fingerprint = ? OR EXISTS (SELECT 1 FROM trusted_subkey s WHERE s.trusted_key_id = k.id "
                    + "AND (s.fingerprint = ? OR s.key_id = ?)))");
            String upper = fingerprint.toUpperCase(Locale.ROOT);
            params.addAll(List.of(upper, upper, upper));
        }
        String where = conditions.isEmpty() ? "" : "WHERE " + String.join(" AND ", conditions);
        return QuarkusTransaction.joiningExisting().call(() -> Sql.with(em, sql -> new KeyPage(
                sql.query("SELECT count(*) FROM trusted_key k " + where, rs -> rs.getLong(1), params.toArray()).get(0),
                read(sql, where, params, limit, offset))));
    }

    /**
     * The current key set. Rows are never updated and ids never reused, so (count, max id) changes with every
     * create and delete: a cheap check that lets every process share one parsed keyring until the set changes.
     */
    public KeySet current() {
        return QuarkusTransaction.joiningExisting().call(() -> Sql.with(em, sql -> {
            long[] generation = sql.query("SELECT count(*), coalesce(max(id), 0) FROM trusted_key",
                    rs -> new long[] {rs.getLong(1), rs.getLong(2)}).get(0);
            KeySet known = cached;
            if (known != null && known.count() == generation[0] && known.maxId() == generation[1]) {
                return known;
            }
            KeySet loaded = load(sql, generation[0], generation[1]);
            cached = loaded;
            return loaded;
        }));
    }

    private TaskRef reverify() {
        return dispatcher.dispatch(SignatureVerifier.REVERIFY, Map.of(), List.of(LOCK), List.of());
    }

    private UUID insert(String name, String type, KeyMaterial.Validated key) {
        return Sql.with(em, sql -> {
            if (!sql.query("SELECT 1 FROM trusted_key WHERE name = ?", rs -> 1, name).isEmpty()) {
                throw ApiException.field("name", "a trusted key named '" + name + "' already exists");
            }
            if (key.fingerprint() != null && !sql.query("SELECT 1 FROM trusted_key WHERE type = ? AND fingerprint = ?",
                    rs -> 1, type, key.fingerprint()).isEmpty()) {
                throw ApiException.field(key.publicKey() != null ? "public_key" : "type",
                        "key " + key.fingerprint() + " is already trusted");
            }
            UUID id = UUID.randomUUID();
            long rowId = sql.query("INSERT INTO trusted_key (pulp_id, name, type, fingerprint, public_key, fulcio_ca, "
                            + "rekor_public_key, oidc_issuer, subject, ca_roots, ca_intermediates, subject_hostname, "
                            + "trusted_identities, verification_level, trusted_root) "
                            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                    rs -> rs.getLong(1), id, name, type, key.fingerprint(), key.publicKey(), key.fulcioCa(),
                    key.rekorPublicKey(), key.oidcIssuer(), key.subject(), key.caRoots(), key.caIntermediates(),
                    key.subjectHostname(), key.trustedIdentities(), key.verificationLevel(),
                    key.trustedRoot()).get(0);
            for (TrustedKey.Subkey subkey : key.subkeys()) {
                sql.update("INSERT INTO trusted_subkey (trusted_key_id, fingerprint, key_id) VALUES (?, ?, ?)",
                        rowId, subkey.fingerprint(), subkey.keyId());
            }
            return id;
        });
    }

    private static List<TrustedKey> read(Sql sql, String where, List<Object> params, int limit, int offset) throws SQLException {
        List<Object> all = new ArrayList<>(params);
        all.add(limit);
        all.add(offset);
        List<KeyRow> rows = sql.query("SELECT k.id, k.pulp_id, k.pulp_created, k.name, k.type, k.fingerprint, k.public_key, "
                + "k.fulcio_ca, k.rekor_public_key, k.oidc_issuer, k.subject, k.ca_roots, k.ca_intermediates, "
                + "k.subject_hostname, k.trusted_identities, k.verification_level, k.trusted_root FROM trusted_key k " + where
                + " ORDER BY k.id LIMIT ? OFFSET ?", KeyRow::of, all.toArray());
        Map<Long, List<TrustedKey.Subkey>> subkeys = subkeys(sql, rows.stream().map(KeyRow::id).toList());
        return rows.stream().map(r -> r.toKey(subkeys.getOrDefault(r.id(), List.of()))).toList();
    }

    private static Map<Long, List<TrustedKey.Subkey>> subkeys(Sql sql, List<Long> keyIds) throws SQLException {
        Map<Long, List<TrustedKey.Subkey>> subkeys = new HashMap<>();
        sql.query("SELECT s.trusted_key_id, s.fingerprint, s.key_id FROM trusted_subkey s JOIN trusted_key k "
                        + "ON k.id = s.trusted_key_id WHERE s.trusted_key_id = ANY(?) ORDER BY (s.fingerprint <> k.fingerprint), s.fingerprint",
                rs -> subkeys.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                        .add(new TrustedKey.Subkey(rs.getString(2), rs.getString(3))), sql.ids(keyIds));
        return subkeys;
    }

    private static KeySet load(Sql sql, long count, long maxId) throws SQLException {
        List<TrustedKey> keys = read(sql, "", List.of(), Integer.MAX_VALUE, 0);
        List<byte[]> openPgp = keys.stream().filter(k -> TrustedKey.OPENPGP.equals(k.type()))
                .map(k -> k.publicKey().getBytes(StandardCharsets.US_ASCII)).toList();
        return new KeySet(count, maxId, OpenPgpKeyring.of(openPgp), CosignTrust.of(keys), notaryTrust(keys),
                sigstoreTrust(keys));
    }

    /** The Sigstore bundle trusts among the trusted keys. */
    private static List<SigstoreBundles.Expected> sigstoreTrust(List<TrustedKey> keys) {
        return keys.stream().filter(k -> TrustedKey.SIGSTORE.equals(k.type()))
                .map(k -> new SigstoreBundles.Expected(k.fingerprint(),
                        SigstoreTrustedRoot.parse(k.trustedRoot().getBytes(StandardCharsets.UTF_8)),
                        k.publicKey() == null ? null : CosignSignatures.parsePublicKey(k.publicKey()), k.oidcIssuer(),
                        k.subject())).toList();
    }

    /** The notation trust stores among the trusted keys; their material was validated when they were stored. */
    private static List<NotaryTrust> notaryTrust(List<TrustedKey> keys) {
        return keys.stream().filter(k -> TrustedKey.NOTATION.equals(k.type()))
                .map(k -> new NotaryTrust(k.fingerprint(),
                        SigningCertificates.parsePem(k.caRoots(), "trusted certificates"), k.trustedIdentities(),
                        NotaryTrust.Level.parse(k.verificationLevel()))).toList();
    }

    private record KeyRow(long id, UUID pulpId, OffsetDateTime created, String name, String type, String fingerprint,
                          String publicKey, String fulcioCa, String rekorKey, String issuer, String subject,
                          String caRoots, String caIntermediates, String subjectHostname, String trustedIdentities,
                          String verificationLevel, String trustedRoot) {
        static KeyRow of(ResultSet rs) throws SQLException {
            return new KeyRow(rs.getLong(1), rs.getObject(2, UUID.class), rs.getObject(3, OffsetDateTime.class),
                    rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8),
                    rs.getString(9), rs.getString(10), rs.getString(11), rs.getString(12), rs.getString(13),
                    rs.getString(14), rs.getString(15), rs.getString(16), rs.getString(17));
        }

        TrustedKey toKey(List<TrustedKey.Subkey> subkeys) {
            return new TrustedKey(pulpId, created, name, type, fingerprint, subkeys, publicKey, fulcioCa, rekorKey,
                    issuer, subject, caRoots, caIntermediates, subjectHostname,
                    trustedIdentities == null ? null : List.of(trustedIdentities.split("\n")), verificationLevel, trustedRoot);
        }
    }
}
