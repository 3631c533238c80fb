package io.sigil.content;

import io.sigil.common.Sql;
import io.sigil.storage.BlobStore;
import io.sigil.storage.Digest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;

/**
 * Finds or creates many content units at once, with a handful of statements per batch instead of several per unit
 * (what {@link ContentStore} does for one unit). The same protection holds: units found are held FOR KEY SHARE (orphan
 * clean-up skips them) and touched; units missing are created under the same per-unit advisory locks ContentStore
 * takes, after looking again once the locks are held, so a concurrent creator of the same digest yields one unit.
 * Only the locks of units to create are taken: a re-sync of thousands of existing units takes none.
 */
@ApplicationScoped
public class BulkContent {

    /** A manifest to store: its exact bytes and what the parser read from them. */
    public record NewManifest(byte[] data, ParsedManifest parsed) {
    }

    /** A tag unit: the name and the digest of the stored manifest it names. */
    public record NewTag(String name, Digest manifest) {
        String key() {
            return name + "@" + manifest;
        }
    }

    /** Ids of the units asked for, and those of them that this call created. */
    public record Stored<K>(Map<K, Long> ids, Set<Long> created) {
    }

    @Inject
    EntityManager em;
    @Inject
    BlobStore files;

    /**
     * Blobs whose files the caller has just written or refreshed. As {@link ContentStore#storedBlob}: a unit is only
     * created for a file still in storage (checked under the digest's lock, which clean-up needs to delete the file),
     * else {@link MissingContentException}.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Stored<Digest> blobs(Map<Digest, Long> sizes) {
        return Sql.with(em, sql -> findOrCreate(sql, sizes.keySet(), Digest::toString,
                keys -> byDigest(sql, "blob", keys),
                missing -> {
                    List<String> removed = missing.stream().filter(d -> !files.exists(d)).map(Digest::toString).toList();
                    if (!removed.isEmpty()) {
                        throw new MissingContentException("blobs (their files were removed by orphan clean-up; store them "
                                + "again)", removed);
                    }
                    Map<Digest, Long> ids = newContent(sql, ContentType.BLOB_NAME, missing);
                    sql.batch("INSERT INTO blob (id, digest, size) VALUES (?, ?, ?)", missing.stream()
                            .map(d -> new Object[] {ids.get(d), d.toString(), sizes.get(d)}).toList());
                    return ids;
                }));
    }

    /**
     * Stores manifests whose blobs and children are stored or among {@code manifests} (children are stored before the
     * lists naming them); throws {@link MissingContentException} listing what is missing. Foreign layers need no blob.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Stored<Digest> manifests(Collection<NewManifest> manifests) {
        Map<Digest, NewManifest> byDigest = new LinkedHashMap<>();
        manifests.forEach(m -> byDigest.put(m.parsed().digest(), m));
        return Sql.with(em, sql -> findOrCreate(sql, byDigest.keySet(), Digest::toString,
                keys -> byDigest(sql, "manifest", keys),
                missing -> createManifests(sql, missing.stream().map(byDigest::get).toList())));
    }

    /** Stores tags of stored manifests; a cosign attachment tag also names the subject of its manifest. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Stored<NewTag> tags(Collection<NewTag> tags) {
        return Sql.with(em, sql -> findOrCreate(sql, new HashSet<>(tags), t -> ContentStore.tagLockKey(t.name(), t.manifest()),
                keys -> existingTags(sql, keys), missing -> createTags(sql, missing)));
    }

    /** Stores signatures of stored manifests (carriers, when named, are linked if stored). Keyed by {@link #key}. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Stored<String> signatures(Collection<NewSignature> signatures) {
        Map<String, NewSignature> byKey = new LinkedHashMap<>();
        signatures.forEach(s -> byKey.put(key(s), s));
        return Sql.with(em, sql -> findOrCreate(sql, byKey.keySet(), ContentStore::signatureLockKey,
                keys -> existingSignatures(sql, keys),
                missing -> createSignatures(sql, missing.stream().map(byKey::get).toList())));
    }

    /** A signature's identity: the signed manifest's digest and the digest of its bytes. */
    public static String key(NewSignature signature) {
        return key(signature.signedDigest(), Digest.sha256Of(signature.data()).toString());
    }

    static String key(String signedDigest, String digest) {
        return signedDigest + "@" + digest;
    }

    interface Lookup<K> {
        Map<K, Long> find(Collection<K> keys) throws SQLException;
    }

    interface Creation<K> {
        Map<K, Long> create(List<K> keys) throws SQLException;
    }

    /**
     * The protocol every type shares: hold and touch what exists; lock the keys of the rest (sorted, so two bulk
     * creators never deadlock each other), look again (a creator that held a lock has committed by now), create what
     * is still missing.
     */
    private static <K> Stored<K> findOrCreate(Sql sql, Collection<K> wanted, Function<K, String> lockKey, Lookup<K> existing,
                                              Creation<K> creation) throws SQLException {
        Map<K, Long> ids = new HashMap<>(existing.find(wanted));
        List<K> missing = wanted.stream().filter(k -> !ids.containsKey(k)).toList();
        if (!missing.isEmpty()) {
            lock(sql, missing.stream().map(lockKey).toList());
            ids.putAll(existing.find(missing));
        }
        touch(sql, ids.values());
        List<K> toCreate = wanted.stream().filter(k -> !ids.containsKey(k)).toList();
        Map<K, Long> created = toCreate.isEmpty() ? Map.of() : creation.create(toCreate);
        ids.putAll(created);
        return new Stored<>(ids, new HashSet<>(created.values()));
    }

    private static void lock(Sql sql, List<String> keys) throws SQLException {
        sql.query("SELECT pg_advisory_xact_lock(hashtextextended(k, 0)) FROM (SELECT k FROM unnest(?::text[]) AS k ORDER BY k) s",
                rs -> null, sql.texts(new TreeSet<>(keys)));
    }

    private static void touch(Sql sql, Collection<Long> ids) throws SQLException {
        if (!ids.isEmpty()) {
            sql.update("UPDATE content SET timestamp_of_interest = now() WHERE id = ANY(?) "
                    + "AND timestamp_of_interest < now() - interval '1 minute'", sql.ids(ids));
        }
    }

    /** Rows of {@code content} for new units, one per key; returns their ids. */
    private static <K> Map<K, Long> newContent(Sql sql, String pulpType, List<K> keys) throws SQLException {
        Map<UUID, K> byPulpId = new HashMap<>();
        keys.forEach(k -> byPulpId.put(UUID.randomUUID(), k));
        Map<K, Long> ids = new HashMap<>();
        sql.query("INSERT INTO content (pulp_id, pulp_type) SELECT u, ? FROM unnest(?::uuid[]) AS u RETURNING pulp_id, id",
                rs -> ids.put(byPulpId.get(rs.getObject(1, UUID.class)), rs.getLong(2)), pulpType, sql.uuids(byPulpId.keySet()));
        return ids;
    }

    private static Map<Digest, Long> byDigest(Sql sql, String table, Collection<Digest> digests) throws SQLException {
        Map<Digest, Long> found = new HashMap<>();
        sql.query("SELECT digest, id FROM " + table + " WHERE digest = ANY(?) FOR KEY SHARE",
                rs -> found.put(Digest.parse(rs.getString(1)), rs.getLong(2)),
                sql.texts(digests.stream().map(Digest::toString).toList()));
        return found;
    }

    /** Level by level: a manifest is inserted once everything it lists is stored. */
    private static Map<Digest, Long> createManifests(Sql sql, List<NewManifest> manifests) throws SQLException {
        Set<Digest> blobDigests = new HashSet<>();
        Set<Digest> childDigests = new HashSet<>();
        Set<Digest> creating = new HashSet<>();
        for (NewManifest m : manifests) {
            ContentStore.storedBlobDescriptors(m.parsed()).forEach(d -> blobDigests.add(d.digest()));
            m.parsed().manifests().forEach(d -> childDigests.add(d.digest()));
            creating.add(m.parsed().digest());
        }
        childDigests.removeAll(creating);
        Map<Digest, Long> blobs = byDigest(sql, "blob", blobDigests);
        Map<Digest, Long> stored = byDigest(sql, "manifest", childDigests);
        requireAll(manifests, blobs, stored, creating);
        Map<Digest, Long> created = new HashMap<>();
        List<NewManifest> pending = new ArrayList<>(manifests);
        while (!pending.isEmpty()) {
            List<NewManifest> ready = pending.stream().filter(m -> m.parsed().childDigests().stream().allMatch(stored::containsKey)).toList();
            if (ready.isEmpty()) {
                throw new IllegalStateException("manifests that list each other: " + pending.size() + " left");
            }
            Map<Digest, Long> ids = insertManifests(sql, ready, blobs, stored);
            created.putAll(ids);
            stored.putAll(ids);
            pending.removeIf(m -> ids.containsKey(m.parsed().digest()));
        }
        return created;
    }

    private static void requireAll(List<NewManifest> manifests, Map<Digest, Long> blobs, Map<Digest, Long> stored,
                                   Set<Digest> creating) {
        for (NewManifest m : manifests) {
            List<String> missing = new ArrayList<>();
            ContentStore.storedBlobDescriptors(m.parsed()).stream().map(Descriptor::digest).filter(d -> !blobs.containsKey(d))
                    .map(Digest::toString).distinct().forEach(missing::add);
            m.parsed().childDigests().stream().filter(d -> !stored.containsKey(d) && !creating.contains(d))
                    .map(Digest::toString).forEach(missing::add);
            if (!missing.isEmpty()) {
                throw new MissingContentException("manifest " + m.parsed().digest(), missing);
            }
        }
    }

    private static Map<Digest, Long> insertManifests(Sql sql, List<NewManifest> manifests, Map<Digest, Long> blobs,
                                                     Map<Digest, Long> children) throws SQLException {
        Map<Digest, Long> ids = newContent(sql, ContentType.MANIFEST_NAME, manifests.stream().map(m -> m.parsed().digest()).toList());
        List<Object[]> rows = new ArrayList<>(), blobLinks = new ArrayList<>(), entries = new ArrayList<>();
        for (NewManifest m : manifests) {
            ParsedManifest p = m.parsed();
            long id = ids.get(p.digest());
            rows.add(new Object[] {id, p.digest().toString(), p.mediaType(), p.schemaVersion(),
                    p.kind().name().toLowerCase(java.util.Locale.ROOT), m.data(),
                    p.config() == null ? null : blobs.get(p.config().digest()), p.artifactType(),
                    p.subject() == null ? null : p.subject().digest().toString(), Json.write(p.annotations())});
            ContentStore.storedBlobDescriptors(p).stream().map(d -> blobs.get(d.digest())).distinct().forEach(b -> blobLinks.add(new Object[] {id, b}));
            Set<Digest> listed = new HashSet<>();
            for (Descriptor entry : p.manifests()) {
                if (listed.add(entry.digest())) {
                    entries.add(listEntry(id, children.get(entry.digest()), entry.platform()));
                }
            }
        }
        sql.batch("INSERT INTO manifest (id, digest, media_type, schema_version, kind, data, config_blob_id, artifact_type, "
                + "subject_digest, annotations) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS jsonb))", rows);
        sql.batch("INSERT INTO manifest_blob (manifest_id, blob_id) VALUES (?, ?) ON CONFLICT DO NOTHING", blobLinks);
        sql.batch("INSERT INTO manifest_list_entry (list_id, child_id, architecture, os, os_version, variant, features) "
                + "VALUES (?, ?, ?, ?, ?, ?, CAST(? AS jsonb)) ON CONFLICT DO NOTHING", entries);
        return ids;
    }

    private static Object[] listEntry(long list, long child, Platform p) {
        return new Object[] {list, child, p == null ? null : p.architecture(), p == null ? null : p.os(),
                p == null ? null : p.osVersion(), p == null ? null : p.variant(),
                p == null || p.features() == null ? null : Json.write(p.features())};
    }

    private static Map<NewTag, Long> existingTags(Sql sql, Collection<NewTag> tags) throws SQLException {
        Map<String, NewTag> byKey = new HashMap<>();
        tags.forEach(t -> byKey.put(t.key(), t));
        Map<NewTag, Long> found = new HashMap<>();
        sql.query("SELECT t.name || '@' || m.digest, t.id FROM tag t JOIN manifest m ON m.id = t.manifest_id "
                        + "WHERE t.name = ANY(?) FOR KEY SHARE OF t",
                rs -> {
                    NewTag tag = byKey.get(rs.getString(1));
                    return tag == null ? null : found.put(tag, rs.getLong(2));
                }, sql.texts(tags.stream().map(NewTag::name).distinct().toList()));
        return found;
    }

    private static Map<NewTag, Long> createTags(Sql sql, List<NewTag> tags) throws SQLException {
        Map<Digest, Long> manifests = byDigest(sql, "manifest", tags.stream().map(NewTag::manifest).distinct().toList());
        List<String> missing = tags.stream().map(NewTag::manifest).filter(d -> !manifests.containsKey(d))
                .map(Digest::toString).distinct().toList();
        if (!missing.isEmpty()) {
            throw new MissingContentException("tag " + tags.get(0).name(), missing);
        }
        Map<NewTag, Long> ids = newContent(sql, ContentType.TAG_NAME, tags);
        sql.batch("INSERT INTO tag (id, name, manifest_id) VALUES (?, ?, ?)", tags.stream()
                .map(t -> new Object[] {ids.get(t), t.name(), manifests.get(t.manifest())}).toList());
        List<Object[]> subjects = new ArrayList<>();
        for (NewTag tag : tags) {
            CosignTags.subjectOf(tag.name()).filter(t -> t.kind() != CosignTags.TagKind.REFERRERS_FALLBACK)
                    .ifPresent(t -> subjects.add(new Object[] {t.subject().toString(), manifests.get(tag.manifest())}));
        }
        // A cosign attachment tag names the image its manifest belongs to, unless the manifest says so itself.
        sql.batch("UPDATE manifest SET subject_digest = ? WHERE id = ? AND subject_digest IS NULL", subjects);
        return ids;
    }

    private static Map<String, Long> existingSignatures(Sql sql, Collection<String> keys) throws SQLException {
        Set<String> wanted = new HashSet<>(keys);
        Map<String, Long> found = new HashMap<>();
        sql.query("SELECT signed_digest || '@' || digest, id FROM signature WHERE signed_digest = ANY(?) FOR KEY SHARE",
                rs -> wanted.contains(rs.getString(1)) ? found.put(rs.getString(1), rs.getLong(2)) : null,
                sql.texts(keys.stream().map(k -> k.substring(0, k.indexOf('@'))).distinct().toList()));
        return found;
    }

    private static Map<String, Long> createSignatures(Sql sql, List<NewSignature> signatures) throws SQLException {
        Set<Digest> named = new HashSet<>();
        signatures.forEach(s -> {
            named.add(Digest.parse(s.signedDigest()));
            if (s.carrierDigest() != null) {
                named.add(Digest.parse(s.carrierDigest()));
            }
        });
        Map<Digest, Long> manifests = byDigest(sql, "manifest", named);
        List<String> missing = signatures.stream().map(NewSignature::signedDigest)
                .filter(d -> !manifests.containsKey(Digest.parse(d))).distinct().toList();
        if (!missing.isEmpty()) {
            throw new MissingContentException("signature", missing);
        }
        Map<String, Long> ids = newContent(sql, ContentType.SIGNATURE_NAME, signatures.stream().map(BulkContent::key).toList());
        sql.batch("INSERT INTO signature (id, signed_manifest_id, signed_digest, type, name, digest, data, key_id, fingerprint, "
                + "creator, signed_at, docker_reference, payload_digest, carrier_manifest_id) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", signatures.stream().map(s -> {
                    Digest digest = Digest.sha256Of(s.data());
                    String name = s.name() != null ? s.name() : s.signedDigest() + "@" + digest.hex().substring(0, 32);
                    Long carrier = s.carrierDigest() == null ? null : manifests.get(Digest.parse(s.carrierDigest()));
                    return new Object[] {ids.get(key(s)), manifests.get(Digest.parse(s.signedDigest())), s.signedDigest(),
                            s.type(), name, digest.toString(), s.data(), s.keyId(), s.fingerprint(), s.creator(),
                            s.signedAt(), s.dockerReference(), s.payloadDigest(), carrier};
                }).toList());
        return ids;
    }
}
