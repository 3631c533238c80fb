package io.sigil.exchange;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.sigil.common.Sql;
import io.sigil.signature.SignatureIngest;
import io.sigil.storage.BlobStore;
import io.sigil.storage.Digest;
import io.sigil.tasks.TaskContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Lays out the entries of an archive (see {@link ArchiveFormat}) in the order an import needs them: metadata, then
 * blobs, then manifests children first, then signatures. Manifest and signature bytes are read from the database in
 * small batches so that memory stays flat whatever the size of the export.
 */
@ApplicationScoped
class ArchiveComposer {

    private static final int BATCH = 64;
    /** containers/image stops reading lookaside signatures at the 128th. */
    private static final int MAX_LOOKASIDE_SIGNATURES = 127;

    @Inject
    EntityManager em;
    @Inject
    BlobStore blobStore;
    @ConfigProperty(name = "quarkus.application.version", defaultValue = "unknown")
    String version;

    String sigilVersion() {
        return version;
    }

    void compose(ArchiveWriter writer, ExportTask.Plan plan, ArchiveHeader header, TaskContext context) throws IOException {
        ExportContent content = plan.content();
        List<RepositoryRecord> repositories = plan.versions().stream()
                .map(v -> content.repository(v.name(), v.description(), v.number(), v.unitIds())).toList();
        List<String> sections = List.of(ArchiveFormat.REPOSITORIES, ArchiveFormat.BLOBS, ArchiveFormat.MANIFESTS,
                ArchiveFormat.TAGS, ArchiveFormat.SIGNATURES, ArchiveFormat.TRUSTED_KEYS, ArchiveFormat.REVOCATIONS);
        writer.addJson(ArchiveFormat.HEADER, new ArchiveHeader(header.format(), header.formatVersion(), header.sigilVersion(),
                header.created(), header.exporter(), header.full(), header.ociLayout(), sections));
        writer.addJson(ArchiveFormat.REPOSITORIES, repositories);
        writer.addJson(ArchiveFormat.BLOBS, List.copyOf(content.blobs.values()));
        writer.addJson(ArchiveFormat.MANIFESTS, List.copyOf(content.manifests.values()));
        writer.addJson(ArchiveFormat.TAGS, List.copyOf(content.tags.values()));
        writer.addJson(ArchiveFormat.SIGNATURES, List.copyOf(content.signatures.values()));
        writer.addJson(ArchiveFormat.TRUSTED_KEYS, plan.trustedKeys());
        writer.addJson(ArchiveFormat.REVOCATIONS, plan.revocations());
        if (header.ociLayout()) {
            writer.add(ArchiveFormat.OCI_LAYOUT, "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            writer.addJson(ArchiveFormat.OCI_INDEX, ociIndex(repositories, content));
        }
        Set<String> written = new HashSet<>();
        writeBlobs(writer, content, written, context);
        writeBytes(writer, "manifest", included(content.manifests, ManifestRecord::included, ManifestRecord::digest),
                ArchiveFormat::blobPath, written, context);
        writeBytes(writer, "signature", included(content.signatures, SignatureRecord::included, SignatureRecord::digest),
                ArchiveFormat::signaturePath, written, context);
        if (header.ociLayout()) {
            writeLookaside(writer, plan, content, context);
        }
    }

    private void writeBlobs(ArchiveWriter writer, ExportContent content, Set<String> written, TaskContext context)
            throws IOException {
        long done = 0;
        long total = content.blobs.values().stream().filter(BlobRecord::included).count();
        for (BlobRecord blob : content.blobs.values()) {
            if (!blob.included() || !written.add(ArchiveFormat.blobPath(blob.digest()))) {
                continue;
            }
            context.checkCanceled();
            Digest digest = Digest.parse(blob.digest());
            try (InputStream in = blobStore.open(digest, 0)) {
                writer.addStored(ArchiveFormat.blobPath(blob.digest()), in, blob.size(), digest);
            }
            context.progress("exchange.export.blobs", "Writing blobs", ++done, total);
        }
    }

    private static <R> Map<Long, String> included(Map<Long, R> records, java.util.function.Predicate<R> included,
                                                  java.util.function.Function<R, String> digest) {
        Map<Long, String> ids = new LinkedHashMap<>();
        records.forEach((id, r) -> {
            if (included.test(r)) {
                ids.put(id, digest.apply(r));
            }
        });
        return ids;
    }

    /** Writes manifest or signature bytes (id → digest, in order), each under its digest. */
    private void writeBytes(ArchiveWriter writer, String kind, Map<Long, String> units,
                            java.util.function.Function<String, String> pathOf, Set<String> written, TaskContext context)
            throws IOException {
        List<Long> ids = new ArrayList<>(units.keySet());
        for (int from = 0; from < ids.size(); from += BATCH) {
            context.checkCanceled();
            List<Long> batch = ids.subList(from, Math.min(ids.size(), from + BATCH));
            Map<Long, byte[]> bytes = dataOf(kind, batch);
            for (Long id : batch) {
                String digest = units.get(id);
                if (written.add(pathOf.apply(digest))) {
                    byte[] data = bytes.get(id);
                    writer.addStored(pathOf.apply(digest), data, Digest.parse(digest));
                }
            }
            context.progress("exchange.export." + kind + "s", "Writing " + kind + "s", Math.min(ids.size(), from + BATCH),
                    (long) ids.size());
        }
    }

    private Map<Long, byte[]> dataOf(String kind, List<Long> ids) {
        String table = kind.equals("manifest") ? "manifest" : "signature";
        return QuarkusTransaction.requiringNew().call(() -> Sql.with(em, sql -> {
            Map<Long, byte[]> data = new HashMap<>();
            sql.query("SELECT id, data FROM " + table + " WHERE id = ANY(?)", rs -> data.put(rs.getLong(1), rs.getBytes(2)),
                    sql.ids(ids));
            return data;
        }));
    }

    /** Every tag of every exported repository, named {@code <repository>:<tag>} as skopeo's oci: transport expects. */
    private static Map<String, Object> ociIndex(List<RepositoryRecord> repositories, ExportContent content) {
        Map<String, ManifestRecord> byDigest = new HashMap<>();
        content.manifests.values().forEach(m -> byDigest.put(m.digest(), m));
        List<Map<String, Object>> entries = new ArrayList<>();
        for (RepositoryRecord repository : repositories) {
            for (TagRecord tag : repository.tags()) {
                ManifestRecord m = byDigest.get(tag.manifest());
                entries.add(Map.of("mediaType", m.mediaType(), "digest", m.digest(), "size", m.size(),
                        "annotations", Map.of(ArchiveFormat.REF_NAME, repository.name() + ":" + tag.name())));
            }
        }
        Map<String, Object> index = new LinkedHashMap<>();
        index.put("schemaVersion", 2);
        index.put("mediaType", "application/vnd.oci.image.index.v1+json");
        index.put("manifests", entries);
        return index;
    }

    /** Atomic signatures as containers/image reads them from a {@code file://} lookaside. */
    private void writeLookaside(ArchiveWriter writer, ExportTask.Plan plan, ExportContent content, TaskContext context)
            throws IOException {
        for (ExportTask.VersionPlan version : plan.versions()) {
            Map<String, List<Long>> bySigned = new LinkedHashMap<>();
            version.unitIds().stream().sorted().filter(content.signatures::containsKey)
                    .filter(id -> SignatureIngest.ATOMIC.equals(content.signatures.get(id).type()))
                    .forEach(id -> bySigned.computeIfAbsent(content.signatures.get(id).signedDigest(), k -> new ArrayList<>()).add(id));
            for (Map.Entry<String, List<Long>> signed : bySigned.entrySet()) {
                context.checkCanceled();
                List<Long> ids = signed.getValue().subList(0, Math.min(signed.getValue().size(), MAX_LOOKASIDE_SIGNATURES));
                Map<Long, byte[]> bytes = dataOf("signature", ids);
                for (int n = 1; n <= ids.size(); n++) {
                    writer.add(ArchiveFormat.lookasidePath(version.name(), signed.getKey(), n), bytes.get(ids.get(n - 1)));
                }
            }
        }
    }
}
