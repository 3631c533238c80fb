package io.sigil.registry;

import io.sigil.common.Sql;
import io.sigil.content.ContentStore;
import io.sigil.content.Descriptor;
import io.sigil.content.Manifest;
import io.sigil.content.ManifestParser;
import io.sigil.content.ParsedManifest;
import io.sigil.repository.RepositoryVersion;
import io.sigil.repository.VersionChange;
import io.sigil.repository.VersionReader;
import io.sigil.signature.SignatureIngest;
import io.sigil.storage.Digest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Manifest pushes and deletes. Each one that changes the repository writes one new version directly, in one short
 * transaction through the version writer (which locks the repository row), never through the task queue: concurrent
 * pushes into one repository serialize in the database and none is refused or lost.
 */
@ApplicationScoped
public class RegistryPush {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(RegistryPush.class);

    @Inject
    ContentStore content;
    @Inject
    RepositoryWrites writer;
    @Inject
    SignatureIngest ingest;
    @Inject
    VersionReader reader;
    @Inject
    PendingBlobs pending;
    @Inject
    CosignSignatureLayers cosign;
    @Inject
    ReferrerSignatures referrers;
    @Inject
    EntityManager em;

    @ConfigProperty(name = "sigil.registry.blob-delete.enabled", defaultValue = "true")
    boolean blobDeleteEnabled;

    /** A stored manifest; {@code subject} is its OCI subject digest or null. */
    public record Pushed(String digest, String subject) {
    }

    public Pushed put(ServedRepository repository, String reference, InputStream body, String contentType) {
        byte[] bytes = readBounded(body);
        ParsedManifest parsed = ManifestParser.parse(bytes, contentType);
        String tag = null;
        if (RegistryPull.isDigest(reference)) {
            Digest claimed = Digest.parse(reference);
            if (!claimed.equals(parsed.digest())) {
                throw RegistryError.DIGEST_INVALID.with("the manifest has digest " + parsed.digest() + ", not " + claimed,
                        Map.of("digest", claimed.toString()));
            }
        } else {
            RegistryPull.requireTag(reference);
            tag = reference;
        }
        requireReferencedContent(repository, parsed);
        Optional<CosignSignatureLayers.Attached> signatures = tag == null ? Optional.empty()
                : signaturesOfSubjectServed(repository, tag, parsed);
        Optional<ReferrerSignatures.Notary> notary = referrers.notaryOf(repository, parsed);
        Optional<ReferrerSignatures.Bundle> bundle = referrers.bundleOf(repository, parsed);
        String tagName = tag;
        Optional<RepositoryVersion> version = ShortTransactions.run(() -> { // the version writer tells the served cache
            Manifest manifest = content.manifest(bytes, parsed);
            Set<Long> add = new HashSet<>(Set.of(manifest.id));
            if (tagName != null) {
                add.add(content.tag(tagName, manifest).id);
            }
            // Each layer was checked to sign the subject; the ingest stores it with a verdict.
            signatures.ifPresent(a -> a.layers().forEach(layer -> add.add((a.attestations()
                    ? ingest.attestation(a.subject(), layer, manifest.digest)
                    : ingest.cosign(a.subject(), layer, null, manifest.digest)).id)));
            notary.ifPresent(n -> add.add(ingest.notation(n.subject(), n.signature(), manifest.digest).id));
            bundle.ifPresent(b -> add.add(ingest.sigstoreBundle(b.subject(), b.bundle(), manifest.digest).id));
            Optional<RepositoryVersion> written = writer.write(repository.repositoryId(), VersionChange.adding(add));
            pending.settle(repository.pushTarget(), manifest.id);
            return written;
        });
        LOG.infof("push of manifest %s to %s%s: %s", parsed.digest(), repository.basePath(),
                tagName == null ? "" : " as tag " + tagName, version.map(v -> "version " + v.number).orElse("unchanged"));
        return new Pushed(parsed.digest().toString(), parsed.subject() == null ? null : parsed.subject().digest().toString());
    }

    /** Deletes a manifest by digest (with its tags, signatures and referrers) or just a tag. */
    public void delete(ServedRepository repository, String reference) {
        long unit;
        if (!RegistryPull.isValidReference(reference)) {
            throw unknown(repository, reference);
        } else if (RegistryPull.isDigest(reference)) {
            String digest = Digest.parse(reference).toString();
            unit = reader.manifestByDigest(repository.repositoryId(), null, digest).map(VersionReader.ManifestRef::id)
                    .orElseThrow(() -> unknown(repository, reference));
        } else {
            unit = reader.tagId(repository.repositoryId(), null, reference).orElseThrow(() -> unknown(repository, reference));
        }
        ShortTransactions.run(() -> writer.write(repository.repositoryId(), VersionChange.removing(Set.of(unit))));
    }

    /**
     * Deletes a blob from the target: a new repository version without it when the latest version holds it (refused
     * with 409 while a manifest kept there needs it), and its pending link. 404 when neither holds it; 405 when blob
     * deletion is turned off ({@code sigil.registry.blob-delete.enabled}).
     */
    public void deleteBlob(PushTarget target, String digestText) {
        if (!blobDeleteEnabled) {
            throw RegistryError.UNSUPPORTED.with("blob deletion is turned off on this registry "
                    + "(sigil.registry.blob-delete.enabled); delete the manifests that use the blob instead");
        }
        String digest = Digest.parse(digestText).toString();
        boolean inVersion = target.repositoryId() != null && reader.blobSize(target.repositoryId(), null, digest).isPresent();
        ShortTransactions.run(() -> {
            Long blobId = content.findBlob(digest).map(b -> b.id).orElse(null);
            int unlinked = blobId == null ? 0 : pending.unlink(target, blobId);
            if (blobId == null || (!inVersion && unlinked == 0)) {
                throw RegistryError.BLOB_UNKNOWN.with("blob " + digest + " is not in " + target.basePath(), Map.of("digest", digest));
            }
            return inVersion ? writer.write(target.repositoryId(), VersionChange.removing(Set.of(blobId))) : Optional.<RepositoryVersion>empty();
        });
    }

    /**
     * Every blob and child the manifest needs must be readable in this repository (in its latest version or pending
     * there), not merely stored somewhere: a push must not reach another repository's content by digest.
     */
    private void requireReferencedContent(ServedRepository repository, ParsedManifest parsed) {
        Set<String> needed = new LinkedHashSet<>();
        if (parsed.config() != null) {
            needed.add(parsed.config().digest().toString());
        }
        parsed.layers().stream().filter(l -> l.urls().isEmpty()).map(Descriptor::digest).forEach(d -> needed.add(d.toString()));
        parsed.manifests().forEach(m -> needed.add(m.digest().toString()));
        // Pending links first: a concurrent push of another manifest moves a shared blob from pending into a new
        // version in one transaction, so reading the version second always finds it in one of the two places.
        Set<String> missing = new LinkedHashSet<>(needed);
        missing.removeAll(pending.present(repository.pushTarget(), missing));
        missing.removeAll(reader.present(repository.repositoryId(), null, new ArrayList<>(missing)));
        if (!missing.isEmpty()) {
            throw RegistryError.MANIFEST_BLOB_UNKNOWN.with("manifest " + parsed.digest() + " refers to unknown content: "
                    + String.join(", ", missing), Map.of("missing", List.copyOf(missing)));
        }
        requireDeclaredSizes(parsed);
    }

    /**
     * Each descriptor's size must be that of the content it names: a client trusts the size to bound its download and
     * a wrong one breaks every pull. The distribution registry does not check this (OpenShift's registry does, as
     * MANIFEST_INVALID); here it is refused the same way, naming each descriptor that is wrong.
     */
    private void requireDeclaredSizes(ParsedManifest parsed) {
        List<Descriptor> descriptors = new ArrayList<>(parsed.layers().stream().filter(l -> l.urls().isEmpty()).toList());
        if (parsed.config() != null) {
            descriptors.add(0, parsed.config());
        }
        descriptors.addAll(parsed.manifests());
        if (descriptors.isEmpty()) {
            return;
        }
        Map<String, Long> stored = storedSizes(descriptors.stream().map(d -> d.digest().toString()).distinct().toList());
        List<Map<String, Object>> wrong = descriptors.stream()
                .filter(d -> stored.containsKey(d.digest().toString()) && stored.get(d.digest().toString()) != d.size())
                .map(d -> Map.<String, Object>of("digest", d.digest().toString(), "size", d.size(),
                        "stored_size", stored.get(d.digest().toString())))
                .distinct().toList();
        if (!wrong.isEmpty()) {
            throw RegistryError.MANIFEST_INVALID.with("manifest " + parsed.digest() + " declares sizes that are not those of "
                    + "the content: " + wrong.stream().map(w -> w.get("digest") + " is " + w.get("stored_size")
                    + " bytes, not " + w.get("size")).collect(Collectors.joining("; ")),
                    Map.of("sizes", wrong));
        }
    }

    /** The byte size of each stored blob or manifest among {@code digests}. */
    private Map<String, Long> storedSizes(List<String> digests) {
        return ShortTransactions.run(() -> Sql.with(em, sql -> sql.query("SELECT digest, size FROM blob WHERE digest = ANY(?) "
                        + "UNION ALL SELECT digest, octet_length(data) FROM manifest WHERE digest = ANY(?)",
                rs -> Map.entry(rs.getString(1), rs.getLong(2)), sql.texts(digests), sql.texts(digests))))
                .stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a));
    }

    /** Signature layers of a cosign .sig manifest, kept only when the repository holds the manifest they sign. */
    private Optional<CosignSignatureLayers.Attached> signaturesOfSubjectServed(ServedRepository repository, String tag,
                                                                               ParsedManifest parsed) {
        return cosign.of(tag, parsed)
                .filter(a -> reader.manifestByDigest(repository.repositoryId(), null, a.subject()).isPresent());
    }

    private static RegistryException unknown(ServedRepository repository, String reference) {
        return RegistryError.MANIFEST_UNKNOWN.with("manifest " + reference + " is not in " + repository.basePath(),
                Map.of("reference", reference));
    }

    /** Reads at most the manifest limit (plus one byte, to tell a larger body) into memory. */
    private static byte[] readBounded(InputStream body) {
        try {
            byte[] bytes = body.readNBytes(ManifestParser.MAX_MANIFEST_BYTES + 1);
            if (bytes.length > ManifestParser.MAX_MANIFEST_BYTES) {
                throw RegistryError.MANIFEST_TOO_LARGE.with("manifest is larger than " + ManifestParser.MAX_MANIFEST_BYTES
                        + " bytes", Map.of("limit", ManifestParser.MAX_MANIFEST_BYTES));
            }
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
