package io.sigil.exchange;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.sigil.content.ContentStore;
import io.sigil.content.ManifestInvalidException;
import io.sigil.content.ManifestParser;
import io.sigil.content.NewSignature;
import io.sigil.content.ParsedManifest;
import io.sigil.signature.CosignSignatures;
import io.sigil.signature.InvalidSignatureException;
import io.sigil.signature.SignatureIngest;
import io.sigil.signature.SignatureVerifier;
import io.sigil.storage.BlobStore;
import io.sigil.storage.BlobUpload;
import io.sigil.storage.Digest;
import io.sigil.tasks.TaskContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Streams the content entries of an archive into storage and units. Blobs go straight from the tar into a verified
 * upload (never to a temporary copy of the archive); manifests are checked against their digest and parsed; atomic
 * and cosign signatures are parsed again by {@link SignatureIngest}, which refuses what it must (a signature for
 * another manifest, a revoked key) and records a verdict against the keys trusted here: refusals are reported, not
 * imported. Units are created in batched transactions.
 */
@ApplicationScoped
class ContentImport {

    private static final int BATCH_UNITS = 200;

    @Inject
    BlobStore blobStore;
    @Inject
    ContentStore store;
    @Inject
    SignatureIngest ingest;
    @Inject
    SignatureVerifier verifier;

    /** What the content step did; {@code refused} signatures stay out of the new versions. */
    record Outcome(Set<RepositoryRecord.SignatureKey> refused, Map<String, Object> summary) {
    }

    Outcome run(ArchiveReader reader, ArchiveMetadata metadata, TaskContext context) throws IOException {
        Run run = new Run(reader, metadata, context);
        for (ArchiveReader.Entry entry = metadata.firstContent; entry != null; entry = reader.next()) {
            context.checkCanceled();
            run.entry(entry);
        }
        run.flush();
        return run.outcome();
    }

    private final class Run {
        private final ArchiveReader reader;
        private final ArchiveMetadata metadata;
        private final TaskContext context;
        private final List<Runnable> pending = new ArrayList<>();
        private final Set<RepositoryRecord.SignatureKey> refused = new HashSet<>();
        private final List<Map<String, String>> refusals = new ArrayList<>();
        private long blobsStored;
        private long blobsPresent;
        private long bytesStored;
        private long manifests;
        private long signatures;
        private final long blobTotal;

        Run(ArchiveReader reader, ArchiveMetadata metadata, TaskContext context) {
            this.reader = reader;
            this.metadata = metadata;
            this.context = context;
            this.blobTotal = metadata.blobs.values().stream().filter(BlobRecord::included).count();
        }

        void entry(ArchiveReader.Entry entry) throws IOException {
            String path = entry.path();
            if (path.startsWith(ArchiveFormat.BLOB_DIR)) {
                blobOrManifest(entry, "sha256:" + path.substring(ArchiveFormat.BLOB_DIR.length()));
            } else if (path.startsWith(ArchiveFormat.SIGNATURE_DIR)) {
                signatures(entry, "sha256:" + path.substring(ArchiveFormat.SIGNATURE_DIR.length()));
            } else if (path.equals(ArchiveFormat.HEADER) || ArchiveMetadata.isKnownSection(path)) {
                throw new HostileArchiveException("metadata entry " + path + " comes after content");
            } // lookaside files and later optional sections are for other tools: their bytes are checked, not used
        }

        private void blobOrManifest(ArchiveReader.Entry entry, String digest) throws IOException {
            ManifestRecord manifest = metadata.manifests.get(digest);
            BlobRecord blob = metadata.blobs.get(digest);
            if (manifest != null && manifest.included()) {
                byte[] bytes = reader.readSmall(entry, ManifestParser.MAX_MANIFEST_BYTES);
                requireDigest(bytes, digest, "manifest");
                if (blob != null && blob.included()) {
                    storeBlob(digest, bytes.length, new ByteArrayInputStream(bytes), null);
                }
                manifest(bytes, manifest);
            } else if (blob != null && blob.included()) {
                if (blob.size() != entry.size()) {
                    throw new HostileArchiveException("blob " + digest + " is described with " + blob.size() + " bytes, its entry has "
                            + entry.size());
                }
                storeBlob(digest, blob.size(), entry.stream(), entry);
            }
        }

        /** {@code entry}: the archive entry streamed into storage, whose digest the verified commit then checks. */
        private void storeBlob(String digest, long size, java.io.InputStream data, ArchiveReader.Entry entry) throws IOException {
            Digest d = Digest.parse(digest);
            if (blobStore.refresh(d)) { // a stored file may be an orphan's: its new write time keeps clean-up off it
                // Not written, but still read and hashed by the reader against the listed sha256, which is the digest
                // (ImportTask.requireEntriesListed): an archive whose bytes are not what it names is refused whatever
                // this instance already holds, never accepted because its own copy happens to be good.
                blobsPresent++;
            } else {
                if (entry != null && entry.sha256().equals(d.hex())) {
                    entry.notHashedByReader();
                }
                try (BlobUpload upload = blobStore.beginUpload()) {
                    upload.write(data);
                    upload.commit(d, size); // verifies the bytes against the digest and size
                }
                blobsStored++;
                bytesStored += size;
            }
            queue(() -> store.storedBlob(d, size));
            context.progress("exchange.import.blobs", "Importing blobs", blobsStored + blobsPresent, blobTotal);
        }

        private void manifest(byte[] bytes, ManifestRecord record) {
            ParsedManifest parsed;
            try {
                parsed = ManifestParser.parse(bytes, record.mediaType());
            } catch (ManifestInvalidException e) {
                throw new HostileArchiveException("manifest " + record.digest() + " is invalid: " + e.getMessage());
            }
            queue(() -> store.manifest(bytes, parsed));
            manifests++;
        }

        private void signatures(ArchiveReader.Entry entry, String digest) throws IOException {
            byte[] bytes = reader.readSmall(entry, ArchiveMetadata.MAX_SIGNATURE_BYTES);
            requireDigest(bytes, digest, "signature");
            flush(); // the signed manifests must be committed before each signature's own transaction
            for (SignatureRecord record : metadata.signatures.getOrDefault(digest, List.of())) {
                if (record.included()) {
                    signature(record, bytes);
                }
            }
        }

        /** Each signature in its own transaction, so that one refused signature does not undo the others. */
        private void signature(SignatureRecord record, byte[] bytes) {
            try {
                QuarkusTransaction.requiringNew().run(() -> {
                    if (SignatureIngest.ATOMIC.equals(record.type())) {
                        ingest.atomic(record.signedDigest(), bytes);
                    } else if (SignatureIngest.COSIGN.equals(record.type())) {
                        // The recorded fingerprint names the key of a signature the exporting Sigil made itself.
                        ingest.cosign(record.signedDigest(), CosignSignatures.fromStorageForm(bytes), record.fingerprint(),
                                record.carrier());
                    } else {
                        verifier.record(store.signature(new NewSignature(record.signedDigest(), record.type(), record.name(),
                                bytes, record.keyId(), record.fingerprint(), record.creator(), record.signedAt(),
                                record.dockerReference(), record.payloadDigest(), record.carrier())));
                    }
                });
                signatures++;
            } catch (InvalidSignatureException e) {
                refused.add(new RepositoryRecord.SignatureKey(record.signedDigest(), record.digest()));
                refusals.add(Map.of("signed_digest", record.signedDigest(), "digest", record.digest(), "reason", e.getMessage()));
            }
        }

        private void requireDigest(byte[] bytes, String digest, String what) {
            if (!Digest.sha256Of(bytes).toString().equals(digest)) {
                throw new HostileArchiveException(what + " entry " + digest + " holds bytes with another digest");
            }
        }

        private void queue(Runnable unit) {
            pending.add(unit);
            if (pending.size() >= BATCH_UNITS) {
                flush();
            }
        }

        void flush() {
            if (pending.isEmpty()) {
                return;
            }
            List<Runnable> batch = List.copyOf(pending);
            pending.clear();
            QuarkusTransaction.requiringNew().run(() -> batch.forEach(Runnable::run));
        }

        Outcome outcome() {
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("blobs", Map.of("stored", blobsStored, "already_present", blobsPresent, "bytes_stored", bytesStored));
            summary.put("manifests", manifests);
            summary.put("signatures", Map.of("imported", signatures, "refused", refusals));
            return new Outcome(Set.copyOf(refused), summary);
        }
    }
}
