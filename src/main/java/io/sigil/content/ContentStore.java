package io.sigil.content;

import io.sigil.common.Sql;
import io.sigil.storage.BlobStore;
import io.sigil.storage.Digest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Creates content units, deduplicated by digest across the whole server. Creation is idempotent and safe under
 * concurrency: each digest is guarded by a transaction-scoped advisory lock, so two pushes of the same blob or
 * manifest yield one unit. Reusing a unit refreshes its timestamp of interest (orphan clean-up spares it).
 */
@ApplicationScoped
public class ContentStore {

    @Inject
    EntityManager em;
    @Inject
    BlobStore files;

    @Transactional(Transactional.TxType.MANDATORY)
    public Blob blob(Digest digest, long size) {
        lock(digest.toString());
        Optional<Blob> existing = findBlob(digest.toString());
        if (existing.isPresent()) {
            touch(existing.get());
            return existing.get();
        }
        Blob blob = new Blob();
        blob.digest = digest.toString();
        blob.size = size;
        blob.persist();
        return blob;
    }

    /**
     * Like {@link #blob}, for a blob whose file the caller has just written or refreshed: fails with
     * {@link MissingContentException} rather than create a unit for a file that orphan clean-up deleted meanwhile.
     * Checked under the digest's lock, which clean-up needs to delete the file, so the file then stays until commit.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Blob storedBlob(Digest digest, long size) {
        Blob blob = blob(digest, size);
        if (!files.exists(digest)) {
            throw new MissingContentException("blob " + digest + " (its file was removed by orphan clean-up; store it again)",
                    List.of(digest.toString()));
        }
        return blob;
    }

    /**
     * Stores a parsed manifest (its exact bytes) whose blobs and children are already stored; throws
     * {@link MissingContentException} listing every missing one. Foreign layers (with {@code urls}) need not be stored.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Manifest manifest(byte[] data, ParsedManifest parsed) {
        String digest = parsed.digest().toString();
        lock(digest);
        Optional<Manifest> existing = findManifest(digest);
        if (existing.isPresent()) {
            touch(existing.get());
            return existing.get();
        }
        List<String> blobDigests = storedBlobDescriptors(parsed).stream().map(d -> d.digest().toString()).distinct().toList();
        List<String> childDigests = parsed.manifests().stream().map(d -> d.digest().toString()).distinct().toList();
        Map<String, Blob> blobs = blobsByDigest(blobDigests);
        Map<String, Manifest> children = manifestsByDigest(childDigests);
        Set<Long> held = hold("blob", blobs.values().stream().map(b -> b.id).toList());
        held.addAll(hold("manifest", children.values().stream().map(m -> m.id).toList()));
        blobs.values().removeIf(b -> !held.contains(b.id));
        children.values().removeIf(m -> !held.contains(m.id));
        List<String> missing = new ArrayList<>();
        blobDigests.stream().filter(d -> !blobs.containsKey(d)).forEach(missing::add);
        childDigests.stream().filter(d -> !children.containsKey(d)).forEach(missing::add);
        if (!missing.isEmpty()) {
            throw new MissingContentException("manifest " + digest, missing);
        }
        Manifest manifest = newManifest(data, parsed, blobs);
        linkBlobs(manifest, blobs.values());
        linkChildren(manifest, parsed.manifests(), children);
        return manifest;
    }

    /** The blobs a manifest needs stored: its config and layers, foreign layers (with {@code urls}) excepted. */
    static List<Descriptor> storedBlobDescriptors(ParsedManifest parsed) {
        List<Descriptor> descriptors = new ArrayList<>();
        if (parsed.config() != null) {
            descriptors.add(parsed.config());
        }
        parsed.layers().stream().filter(d -> d.urls() == null || d.urls().isEmpty()).forEach(descriptors::add);
        return descriptors;
    }

    private Manifest newManifest(byte[] data, ParsedManifest parsed, Map<String, Blob> blobs) {
        Manifest manifest = new Manifest();
        manifest.digest = parsed.digest().toString();
        manifest.mediaType = parsed.mediaType();
        manifest.schemaVersion = parsed.schemaVersion();
        manifest.kind = parsed.kind().name().toLowerCase(java.util.Locale.ROOT);
        manifest.data = data;
        manifest.configBlob = parsed.config() == null ? null : blobs.get(parsed.config().digest().toString());
        manifest.artifactType = parsed.artifactType();
        manifest.subjectDigest = parsed.subject() == null ? null : parsed.subject().digest().toString();
        manifest.annotations = parsed.annotations();
        manifest.persist();
        em.flush();
        // Read back the columns the database fills in (timestamps): a later change to the entity, such as linking a
        // cosign attachment to its subject, must not flush them as null.
        em.refresh(manifest);
        return manifest;
    }

    private void linkBlobs(Manifest manifest, Collection<Blob> blobs) {
        for (Blob blob : blobs) {
            em.createNativeQuery("INSERT INTO manifest_blob (manifest_id, blob_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING")
                    .setParameter(1, manifest.id).setParameter(2, blob.id).executeUpdate();
        }
    }

    private void linkChildren(Manifest list, List<Descriptor> entries, Map<String, Manifest> children) {
        for (Descriptor entry : entries) {
            Platform p = entry.platform();
            em.createNativeQuery("""
                    INSERT INTO manifest_list_entry (list_id, child_id, architecture, os, os_version, variant, features)
                    VALUES (?1, ?2, ?3, ?4, ?5, ?6, CAST(?7 AS jsonb)) ON CONFLICT DO NOTHING""")
                    .setParameter(1, list.id).setParameter(2, children.get(entry.digest().toString()).id)
                    .setParameter(3, p == null ? null : p.architecture()).setParameter(4, p == null ? null : p.os())
                    .setParameter(5, p == null ? null : p.osVersion()).setParameter(6, p == null ? null : p.variant())
                    .setParameter(7, p == null || p.features() == null ? null : Json.write(p.features()))
                    .executeUpdate();
        }
    }

    /** Finds or creates a tag unit (name → manifest). */
    @Transactional(Transactional.TxType.MANDATORY)
    public Tag tag(String name, Manifest manifest) {
        lock(tagLockKey(name, manifest.digest));
        if (hold("manifest", List.of(manifest.id)).isEmpty()) {
            throw new MissingContentException("tag " + name, List.of(manifest.digest));
        }
        Optional<Tag> existing = Tag.find("name = ?1 and manifest = ?2", name, manifest).firstResultOptional();
        if (existing.isPresent()) {
            touch(existing.get());
            return existing.get();
        }
        Tag tag = new Tag();
        tag.name = name;
        tag.manifest = manifest;
        tag.persist();
        linkAttachment(name, manifest);
        return tag;
    }

    /** A cosign attachment tag (sha256-hex.sig/.att/.sbom) names the image its manifest belongs to. */
    private void linkAttachment(String tagName, Manifest manifest) {
        if (manifest.subjectDigest != null) {
            return;
        }
        CosignTags.subjectOf(tagName).filter(t -> t.kind() != CosignTags.TagKind.REFERRERS_FALLBACK).ifPresent(target -> {
            String subject = target.subject().toString();
            manifest.subjectDigest = subject;
            em.createNativeQuery("UPDATE manifest SET subject_digest = ?1 WHERE id = ?2 AND subject_digest IS NULL")
                    .setParameter(1, subject).setParameter(2, manifest.id).executeUpdate();
        });
    }

    /** Finds or creates a signature unit of a stored manifest. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Signature signature(NewSignature s) {
        String digest = Digest.sha256Of(s.data()).toString();
        lock(signatureLockKey(BulkContent.key(s.signedDigest(), digest)));
        Optional<Signature> existing = Signature.find("signedDigest = ?1 and digest = ?2", s.signedDigest(), digest)
                .firstResultOptional();
        if (existing.isPresent()) {
            touch(existing.get());
            return existing.get();
        }
        Manifest signed = findManifest(s.signedDigest()).filter(this::hold)
                .orElseThrow(() -> new MissingContentException("signature", List.of(s.signedDigest())));
        Signature signature = new Signature();
        signature.signedManifest = signed;
        signature.signedDigest = s.signedDigest();
        signature.type = s.type();
        signature.name = s.name() != null ? s.name() : s.signedDigest() + "@" + Digest.parse(digest).hex().substring(0, 32);
        signature.digest = digest;
        signature.data = s.data();
        signature.keyId = s.keyId();
        signature.fingerprint = s.fingerprint();
        signature.creator = s.creator();
        signature.signedAt = s.signedAt();
        signature.dockerReference = s.dockerReference();
        signature.payloadDigest = s.payloadDigest();
        signature.carrierManifest = s.carrierDigest() == null ? null : findManifest(s.carrierDigest()).filter(this::hold).orElse(null);
        signature.persist();
        return signature;
    }

    public Optional<Blob> findBlob(String digest) {
        return Blob.find("digest", digest).firstResultOptional();
    }

    public Optional<Manifest> findManifest(String digest) {
        return Manifest.find("digest", digest).firstResultOptional();
    }

    public Map<String, Blob> blobsByDigest(Collection<String> digests) {
        Map<String, Blob> found = new HashMap<>();
        if (!digests.isEmpty()) {
            Blob.<Blob>list("digest in ?1", new LinkedHashSet<>(digests)).forEach(b -> found.put(b.digest, b));
        }
        return found;
    }

    public Map<String, Manifest> manifestsByDigest(Collection<String> digests) {
        Map<String, Manifest> found = new HashMap<>();
        if (!digests.isEmpty()) {
            Manifest.<Manifest>list("digest in ?1", new LinkedHashSet<>(digests)).forEach(m -> found.put(m.digest, m));
        }
        return found;
    }

    /**
     * Holds the rows of units about to be linked to (FOR KEY SHARE, until commit) and returns the ids still present.
     * Orphan clean-up locks what it deletes FOR UPDATE, so a unit it is deleting is waited for and then reported
     * missing, instead of failing the insert on a foreign key; a unit held here is skipped by clean-up.
     */
    private Set<Long> hold(String table, Collection<Long> ids) {
        if (ids.isEmpty()) {
            return new HashSet<>();
        }
        return Sql.with(em, sql -> new HashSet<>(sql.query("SELECT id FROM " + table + " WHERE id = ANY(?) FOR KEY SHARE",
                rs -> rs.getLong(1), sql.ids(ids))));
    }

    private boolean hold(Manifest manifest) {
        return !hold("manifest", List.of(manifest.id)).isEmpty();
    }

    /**
     * The advisory-lock key of a tag unit. Every creator of tags (this class, {@link BulkContent}) takes it, and orphan
     * clean-up builds the same key in SQL ({@code lifecycle.OrphanKind}): they must stay alike.
     */
    static String tagLockKey(String name, Object manifestDigest) {
        return "tag:" + name + "@" + manifestDigest;
    }

    /** The advisory-lock key of a signature unit ({@link BulkContent#key} names it), shared as {@link #tagLockKey} is. */
    static String signatureLockKey(String signatureKey) {
        return "signature:" + signatureKey;
    }

    private void lock(String key) {
        em.createNativeQuery("SELECT pg_advisory_xact_lock(hashtextextended(?1, 0))").setParameter(1, key).getSingleResult();
    }

    private void touch(ContentUnit unit) {
        em.createNativeQuery("UPDATE content SET timestamp_of_interest = now() WHERE id = ?1 AND timestamp_of_interest < now() - interval '1 minute'")
                .setParameter(1, unit.id).executeUpdate();
    }
}
