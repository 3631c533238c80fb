package io.sigil.exchange;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.sigil.content.ContentStore;
import io.sigil.content.Manifest;
import io.sigil.content.Signature;
import io.sigil.lifecycle.RevocationList;
import io.sigil.lifecycle.SignatureInvalidation;
import io.sigil.repository.Hrefs;
import io.sigil.repository.Repository;
import io.sigil.repository.RepositoryService;
import io.sigil.repository.RepositoryVersion;
import io.sigil.repository.VersionChange;
import io.sigil.repository.VersionWriter;
import io.sigil.signature.TrustedKeys;
import io.sigil.storage.BlobStore;
import io.sigil.storage.Digest;
import io.sigil.tasks.TaskContext;
import io.sigil.tasks.TaskHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Imports one archive in three steps. First every check that needs no change: the table of contents and each
 * chunk's checksum, the records, the repository mapping, and (for an incremental archive) that the units it leaves
 * out are already here. Then the content streams out of the chunks into storage and units, each blob and manifest
 * verified against its digest and each atomic signature through {@link io.sigil.signature.SignatureIngest}. Last, one
 * transaction writes one version per destination repository, mirroring the exported version; a failure anywhere
 * before it commits leaves no new version (stored units stay as orphans for clean-up).
 */
@ApplicationScoped
public class ImportTask implements TaskHandler {

    public static final String NAME = "exchange.import";

    @Inject
    ObjectMapper mapper;
    @Inject
    ExchangeConfig config;
    @Inject
    BlobStore blobStore;
    @Inject
    ContentStore store;
    @Inject
    RepositoryService repositories;
    @Inject
    VersionWriter writer;
    @Inject
    ContentImport contentImport;
    @Inject
    TrustedKeys trustedKeys;
    @Inject
    RevocationList revocations;
    @Inject
    SignatureInvalidation invalidation;

    record Parameters(UUID importer, UUID importId, String toc, boolean createRepositories) {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Object run(TaskContext context) throws Exception {
        Parameters p = mapper.treeToValue(context.parameters(), Parameters.class);
        Map<String, String> mapping = QuarkusTransaction.requiringNew().call(
                () -> new LinkedHashMap<>(Importer.<Importer>find("pulpId", p.importer()).firstResult().repoMapping));
        var limits = new ArchiveReader.Limits(config.maxMetadataSize().asLongValue());
        try (ArchiveReader reader = ArchiveReader.open(Path.of(p.toc()), limits)) {
            ArchiveMetadata metadata = ArchiveMetadata.read(reader);
            Map<String, String> destinations = QuarkusTransaction.requiringNew().call(
                    () -> checkBeforeImport(metadata, mapping, p.createRepositories(), reader.toc()));
            List<UUID> added = listRevocations(metadata, importNote(p, metadata));
            Map<String, Object> result;
            try {
                result = importContent(reader, metadata, destinations, context);
            } catch (Exception | Error e) {
                if (!added.isEmpty()) {
                    revocations.forgetImported(added); // nothing of a failed import stays on the list
                }
                throw e;
            }
            Map<String, Object> listed = new LinkedHashMap<>();
            listed.put("added", added.stream().map(id -> RevocationList.COLLECTION + id + "/").toList());
            listed.put("already_listed", metadata.revocations.size() - added.size());
            if (!added.isEmpty()) {
                revocations.reverify(); // verdicts of signatures stored earlier by the newly listed keys follow the list
                // and those signatures leave every repository here, as an invalidation took them out there
                listed.put("invalidation_task", invalidation.invalidateListed(added,
                        "revoked in the exporting zone; " + importNote(p, metadata), context.user()).href());
            }
            result.put("revocations", listed);
            return result;
        }
    }

    /** Where an imported revocation came from: the archive, its exporter and this import. */
    private static String importNote(Parameters p, ArchiveMetadata metadata) {
        return "imported from " + Path.of(p.toc()).getFileName() + " (exporter " + metadata.header.exporter() + ", exported "
                + metadata.header.created() + ") by import " + Importer.HREF + p.importer() + "/imports/" + p.importId() + "/";
    }

    /**
     * Lists the archive's revocations here, committed before the first signature is ingested (each ingest checks the
     * list in its own transaction); returns the entries that were new.
     */
    private List<UUID> listRevocations(ArchiveMetadata metadata, String note) {
        return QuarkusTransaction.requiringNew().call(() -> metadata.revocations.stream()
                .map(r -> revocations.importRevocation(r.key(), r.record().reason(), r.record().revokedBy(), r.revokedAt(), note))
                .filter(RevocationList.Listed::added).map(RevocationList.Listed::id).toList());
    }

    private Map<String, Object> importContent(ArchiveReader reader, ArchiveMetadata metadata, Map<String, String> destinations,
                                              TaskContext context) throws java.io.IOException {
        ContentImport.Outcome outcome = contentImport.run(reader, metadata, context);
        reader.requireComplete();
        List<String> untrusted = QuarkusTransaction.requiringNew().call(() -> untrustedKeys(metadata));
        Map<String, Object> result = new LinkedHashMap<>();
        // the last step: once these versions are committed, nothing may fail any more
        result.put("repositories", QuarkusTransaction.requiringNew().call(
                () -> writeVersions(metadata, destinations, outcome, context)));
        result.putAll(outcome.summary());
        result.put("keys_not_trusted_here", untrusted);
        return result;
    }

    /** Everything that can be checked before the first change; returns source → destination repository names. */
    private Map<String, String> checkBeforeImport(ArchiveMetadata metadata, Map<String, String> mapping, boolean create,
                                                  TableOfContents toc) {
        String unknown = ImportCheck.sourcesNotInArchive(mapping, metadata);
        if (unknown != null) {
            throw new IllegalStateException(unknown);
        }
        Map<String, String> destinations = new LinkedHashMap<>();
        for (RepositoryRecord r : metadata.repositories) {
            String destination = mapping.getOrDefault(r.name(), r.name());
            if (destinations.containsValue(destination)) {
                throw new IllegalStateException("two repositories of the archive would import into " + destination);
            }
            if (!create && repositories.findByName(destination).isEmpty()) {
                throw new IllegalStateException("destination repository '" + destination + "' (for '" + r.name()
                        + "') does not exist; map it to an existing one or set create_repositories");
            }
            destinations.put(r.name(), destination);
        }
        requireEntriesListed(metadata, toc);
        requireExcludedUnitsPresent(metadata);
        return destinations;
    }

    /**
     * The table of contents lists exactly the content the records say travels, no more, no less, and each content
     * entry's checksum is the digest it is named by (so bytes are checked even where a blob is already stored).
     */
    private static void requireEntriesListed(ArchiveMetadata metadata, TableOfContents toc) {
        Set<String> expected = metadata.includedPaths();
        Set<String> listed = new HashSet<>();
        for (TableOfContents.Entry entry : toc.entries()) {
            String path = entry.path();
            if (path.startsWith(ArchiveFormat.BLOB_DIR) || path.startsWith(ArchiveFormat.SIGNATURE_DIR)) {
                if (!path.endsWith("/" + entry.sha256())) {
                    throw new HostileArchiveException("entry " + path + " is listed with bytes of another digest, sha256:"
                            + entry.sha256());
                }
                listed.add(path);
            }
        }
        Set<String> missing = new HashSet<>(expected);
        missing.removeAll(listed);
        Set<String> extra = new HashSet<>(listed);
        extra.removeAll(expected);
        if (!missing.isEmpty() || !extra.isEmpty()) {
            throw new HostileArchiveException("the table of contents and the records disagree: missing "
                    + missing.stream().sorted().limit(3).toList() + ", not described " + extra.stream().sorted().limit(3).toList());
        }
    }

    /** An incremental archive leaves out units of the previous one: they must be here already. */
    private void requireExcludedUnitsPresent(ArchiveMetadata metadata) {
        List<String> missing = new ArrayList<>();
        metadata.blobs.values().stream().filter(b -> !b.included())
                .filter(b -> store.findBlob(b.digest()).isEmpty() || !blobStore.exists(Digest.parse(b.digest())))
                .forEach(b -> missing.add("blob " + b.digest()));
        metadata.manifests.values().stream().filter(m -> !m.included())
                .filter(m -> store.findManifest(m.digest()).isEmpty()).forEach(m -> missing.add("manifest " + m.digest()));
        metadata.signatures.values().stream().flatMap(List::stream).filter(s -> !s.included())
                .filter(s -> Signature.count("signedDigest = ?1 and digest = ?2", s.signedDigest(), s.digest()) == 0)
                .forEach(s -> missing.add("signature " + s.digest()));
        if (!missing.isEmpty()) {
            throw new IllegalStateException("this incremental archive builds on content not present here (" + missing.size()
                    + " units, e.g. " + missing.get(0) + "); import the earlier archives of this exporter first");
        }
    }

    /** Keys the exporting Sigil trusted that this one does not: their signatures will not verify here. */
    private List<String> untrustedKeys(ArchiveMetadata metadata) {
        return metadata.trustedKeys.stream().filter(k -> k.fingerprint() != null)
                .filter(k -> trustedKeys.list(k.type(), null, k.fingerprint(), 1, 0).count() == 0)
                .map(k -> k.type() + " " + k.fingerprint() + " (" + k.name() + ")").toList();
    }

    /** One version per destination repository, all in one transaction: every repository changes, or none. */
    private Map<String, Object> writeVersions(ArchiveMetadata metadata, Map<String, String> destinations,
                                              ContentImport.Outcome outcome, TaskContext context) {
        Map<String, Object> result = new LinkedHashMap<>();
        for (RepositoryRecord record : metadata.repositories) {
            String name = destinations.get(record.name());
            Repository repository = repositories.findByName(name)
                    .orElseGet(() -> repositories.create(name, record.description(), null));
            Optional<RepositoryVersion> version = writer.write(repository.id,
                    new VersionChange(null, unitIds(record, outcome), Set.of(), true), context);
            result.put(record.name(), Map.of("repository", repository.href(),
                    "version", version.map(v -> Hrefs.version(repository.pulpId, v.number)).orElse("unchanged")));
        }
        return result;
    }

    /** The units a repository record names, resolved here; signatures that were refused are left out. */
    private Set<Long> unitIds(RepositoryRecord record, ContentImport.Outcome outcome) {
        Set<Long> ids = new HashSet<>();
        var blobs = store.blobsByDigest(record.blobs());
        Map<String, Manifest> manifests = store.manifestsByDigest(record.manifests());
        if (blobs.size() != new HashSet<>(record.blobs()).size() || manifests.size() != new HashSet<>(record.manifests()).size()) {
            throw new IllegalStateException("repository " + record.name() + " names blobs or manifests that were not imported");
        }
        blobs.values().forEach(b -> ids.add(b.id));
        manifests.values().forEach(m -> ids.add(m.id));
        for (TagRecord tag : record.tags()) {
            ids.add(store.tag(tag.name(), manifests.get(tag.manifest())).id);
        }
        for (RepositoryRecord.SignatureKey key : record.signatures()) {
            if (!outcome.refused().contains(key)) {
                Signature s = Signature.<Signature>find("signedDigest = ?1 and digest = ?2", key.signedDigest(), key.digest())
                        .firstResultOptional().orElseThrow(() -> new IllegalStateException("signature " + key.digest()
                                + " of " + key.signedDigest() + " was not imported"));
                ids.add(s.id);
            }
        }
        return ids;
    }
}
