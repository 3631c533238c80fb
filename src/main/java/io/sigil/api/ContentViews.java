package io.sigil.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.sigil.common.Sql;
import io.sigil.content.Blob;
import io.sigil.content.ContentType;
import io.sigil.content.ContentUnit;
import io.sigil.content.Manifest;
import io.sigil.content.Signature;
import io.sigil.content.Tag;
import io.sigil.signature.SignatureVerifier;
import io.sigil.signature.StoredVerdict;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Turns content units into their JSON shapes, loading related hrefs for a whole page in a few queries. */
@ApplicationScoped
public class ContentViews {

    @Inject
    EntityManager em;
    @Inject
    SignatureVerifier verifier;

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record BlobView(String pulpHref, OffsetDateTime pulpCreated, String digest, long size) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ManifestView(String pulpHref, OffsetDateTime pulpCreated, String digest, String mediaType,
                               int schemaVersion, String type, String configBlob, List<String> blobs,
                               List<ListedManifest> listedManifests, String artifactType, String subject,
                               Map<String, String> annotations) {
    }

    public record ListedManifest(String manifest, String digest, Map<String, Object> platform) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record TagView(String pulpHref, OffsetDateTime pulpCreated, String name, String taggedManifest, String digest) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record SignatureView(String pulpHref, OffsetDateTime pulpCreated, String name, String digest, String type,
                                String keyId, String fingerprint, Long timestamp, String creator, String dockerReference,
                                String signedManifest, String signedDigest, String carrierManifest,
                                Verification verification) {
    }

    /**
     * The stored verdict: state valid, unknown_key or invalid; key is the trusted key's fingerprint; predicate_type the
     * verified in-toto predicate type of an attestation. Null until computed.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Verification(String state, String key, String reason, OffsetDateTime computedAt, String predicateType) {
        static Verification of(StoredVerdict v) {
            return v == null ? null : new Verification(v.state().name().toLowerCase(java.util.Locale.ROOT), v.keyIdentity(),
                    v.reason(), v.computedAt(), v.predicateType());
        }
    }

    /** Views of these units, in the order of {@code ids}. */
    @Transactional
    public List<Object> views(ContentType type, List<Long> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        List<? extends ContentUnit> units = switch (type) {
            case BLOB -> Blob.list("id in ?1", ids);
            case MANIFEST -> Manifest.list("id in ?1", ids);
            case TAG -> Tag.list("select t from Tag t join fetch t.manifest where t.id in ?1", ids);
            case SIGNATURE -> Signature.list("select s from Signature s join fetch s.signedManifest where s.id in ?1", ids);
        };
        List<ContentUnit> sorted = new ArrayList<>(units);
        sorted.sort(Comparator.comparingInt(u -> ids.indexOf(u.id)));
        return switch (type) {
            case BLOB -> sorted.stream().map(u -> (Object) blob((Blob) u)).toList();
            case MANIFEST -> manifests(sorted.stream().map(u -> (Manifest) u).toList());
            case TAG -> sorted.stream().map(u -> (Object) tag((Tag) u)).toList();
            case SIGNATURE -> signatures(sorted.stream().map(u -> (Signature) u).toList());
        };
    }

    static BlobView blob(Blob b) {
        return new BlobView(ContentType.BLOB.href(b.pulpId), b.pulpCreated, b.digest, b.size);
    }

    static TagView tag(Tag t) {
        return new TagView(ContentType.TAG.href(t.pulpId), t.pulpCreated, t.name, ContentType.MANIFEST.href(t.manifest.pulpId),
                t.manifest.digest);
    }

    private List<Object> signatures(List<Signature> signatures) {
        Map<Long, StoredVerdict> verdicts = verifier.verdicts(signatures.stream().map(s -> s.id).toList());
        return signatures.stream().map(s -> (Object) signature(s, verdicts.get(s.id))).toList();
    }

    static SignatureView signature(Signature s, StoredVerdict verdict) {
        return new SignatureView(ContentType.SIGNATURE.href(s.pulpId), s.pulpCreated, s.name, s.digest, s.type, s.keyId,
                s.fingerprint, s.signedAt, s.creator, s.dockerReference, ContentType.MANIFEST.href(s.signedManifest.pulpId),
                s.signedDigest, s.carrierManifest == null ? null : ContentType.MANIFEST.href(s.carrierManifest.pulpId),
                Verification.of(verdict));
    }

    private List<Object> manifests(List<Manifest> manifests) {
        List<Long> ids = manifests.stream().map(m -> m.id).toList();
        Map<Long, List<String>> blobs = blobHrefs(ids);
        Map<Long, List<ListedManifest>> children = children(ids);
        Map<Long, UUID> configs = configIds(ids);
        return manifests.stream().map(m -> (Object) new ManifestView(ContentType.MANIFEST.href(m.pulpId), m.pulpCreated,
                m.digest, m.mediaType, m.schemaVersion, m.kind,
                configs.containsKey(m.id) ? ContentType.BLOB.href(configs.get(m.id)) : null,
                blobs.getOrDefault(m.id, List.of()), children.getOrDefault(m.id, List.of()), m.artifactType,
                m.subjectDigest, m.annotations)).toList();
    }

    private Map<Long, List<String>> blobHrefs(Collection<Long> manifestIds) {
        Map<Long, List<String>> hrefs = new HashMap<>();
        Sql.with(em, sql -> sql.query("SELECT mb.manifest_id, c.pulp_id FROM manifest_blob mb JOIN content c ON c.id = mb.blob_id "
                        + "WHERE mb.manifest_id = ANY(?) ORDER BY c.id",
                rs -> hrefs.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                        .add(ContentType.BLOB.href(rs.getObject(2, UUID.class))), sql.ids(manifestIds)));
        return hrefs;
    }

    private Map<Long, UUID> configIds(Collection<Long> manifestIds) {
        Map<Long, UUID> configs = new HashMap<>();
        Sql.with(em, sql -> sql.query("SELECT m.id, c.pulp_id FROM manifest m JOIN content c ON c.id = m.config_blob_id "
                + "WHERE m.id = ANY(?)", rs -> configs.put(rs.getLong(1), rs.getObject(2, UUID.class)), sql.ids(manifestIds)));
        return configs;
    }

    private Map<Long, List<ListedManifest>> children(Collection<Long> listIds) {
        Map<Long, List<ListedManifest>> children = new HashMap<>();
        Sql.with(em, sql -> sql.query("""
                SELECT e.list_id, c.pulp_id, m.digest, e.architecture, e.os, e.os_version, e.variant
                FROM manifest_list_entry e JOIN manifest m ON m.id = e.child_id JOIN content c ON c.id = m.id
                WHERE e.list_id = ANY(?) ORDER BY c.id""", rs -> {
            Map<String, Object> platform = new HashMap<>();
            putIfPresent(platform, "architecture", rs.getString(4));
            putIfPresent(platform, "os", rs.getString(5));
            putIfPresent(platform, "os_version", rs.getString(6));
            putIfPresent(platform, "variant", rs.getString(7));
            return children.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(new ListedManifest(
                    ContentType.MANIFEST.href(rs.getObject(2, UUID.class)), rs.getString(3), platform));
        }, sql.ids(listIds)));
        return children;
    }

    private static void putIfPresent(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }
}
