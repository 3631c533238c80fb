package io.sigil.registry;

import io.sigil.common.Sql;
import io.sigil.content.Blob;
import io.sigil.content.ContentStore;
import io.sigil.content.ExpiredUploads;
import io.sigil.content.MissingContentException;
import io.sigil.storage.BlobStore;
import io.sigil.storage.BlobUpload;
import io.sigil.storage.Digest;
import io.sigil.storage.DigestMismatchException;
import io.sigil.storage.UploadNotFoundException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Blob uploads: monolithic, chunked and single-request, and cross-repository mounts. Bytes stream into the blob
 * store, which hashes them on the way and publishes a blob only on a commit whose digest matches; the blob then
 * becomes pending in the push target. An upload session belongs to the target it was started in (a repository, or a
 * base path no manifest has created one at yet, see {@link PushTarget}); orphan clean-up
 * drops sessions and pending links older than the upload expiry, as the distribution registry purges old uploads.
 */
@ApplicationScoped
public class RegistryUploads implements ExpiredUploads {

    private static final Pattern CONTENT_RANGE = Pattern.compile("(?:bytes[ =])?(\\d+)-(\\d+)(?:/\\S+)?");

    @Inject
    BlobStore store;
    @Inject
    ContentStore content;
    @Inject
    PendingBlobs pending;
    @Inject
    EntityManager em;

    /** How long a session, and the pending link of a pushed blob, wait for the push to go on. */
    @ConfigProperty(name = "sigil.registry.upload-expiry", defaultValue = "168h")
    Duration expiry;

    /** Opens an upload session; returns its id. */
    public String start(PushTarget target) {
        try {
            BlobUpload upload = store.beginUpload();
            String owner = target.repositoryId() != null ? "repository_id" : "base_path";
            ShortTransactions.run(() -> em.createNativeQuery("INSERT INTO registry_upload (id, " + owner + ") VALUES (?1, ?2)")
                    .setParameter(1, UUID.fromString(upload.id()))
                    .setParameter(2, target.repositoryId() != null ? target.repositoryId() : target.basePath()).executeUpdate());
            upload.suspend();
            return upload.id();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Bytes received so far. */
    public long status(PushTarget target, String id) {
        requireSession(target, id);
        try (BlobUpload upload = store.resumeUpload(id)) {
            long size = upload.size();
            upload.suspend();
            return size;
        } catch (IOException e) {
            throw uploadFailure(id, e);
        }
    }

    /**
     * Appends a chunk. With a {@code Content-Range}, it must start where the upload ends (416 otherwise) and span
     * exactly the bytes sent. Returns the new size.
     */
    public long append(PushTarget target, String id, InputStream body, String contentRange) {
        long[] range = contentRange == null ? null : parseRange(contentRange); // a bad header changes nothing
        requireSession(target, id);
        try (BlobUpload upload = store.resumeUpload(id)) {
            requireRangeStart(upload, range, id);
            writeKeeping(upload, range == null ? body : new ExactLength(body, range[1] - range[0] + 1), id);
            long size = upload.size();
            upload.suspend();
            return size;
        } catch (IOException e) {
            throw uploadFailure(id, e);
        }
    }

    /**
     * Finishes an upload with its last bytes (possibly none): the content must have {@code digest}. A last chunk sent
     * with a {@code Content-Range} must start where the upload ends, as a PATCH must (416, the upload kept).
     */
    public Digest complete(PushTarget target, String id, InputStream body, String digest, String contentRange) {
        Digest expected = requireDigest(digest);
        requireSession(target, id);
        try (BlobUpload upload = store.resumeUpload(id)) {
            requireRangeStart(upload, contentRange == null ? null : parseRange(contentRange), id);
            writeKeeping(upload, body, id);
            long size = upload.size();
            commit(upload, expected, id);
            record(target, expected, size, id);
            return expected;
        } catch (IOException e) {
            throw uploadFailure(id, e);
        }
    }

    /** A whole blob in one POST. */
    public Digest monolithic(PushTarget target, InputStream body, String digest) {
        Digest expected = requireDigest(digest);
        try (BlobUpload upload = store.beginUpload()) {
            upload.write(body);
            long size = upload.size();
            commit(upload, expected, null);
            record(target, expected, size, null);
            return expected;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void cancel(PushTarget target, String id) {
        requireSession(target, id);
        try {
            store.abortUpload(id);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        dropSession(id);
    }

    /**
     * Drops up to {@code limit} sessions started longer than the upload expiry ago, whenever their last bytes came (as
     * the distribution registry judges an upload by its start). Bytes go first: a session left without them by a failure
     * in between answers its next request BLOB_UPLOAD_UNKNOWN (see {@link #uploadFailure}). Returns how many it dropped.
     */
    @Override
    public int dropExpiredSessions(int limit) {
        requirePositiveExpiry();
        List<UUID> expired = ShortTransactions.run(() -> Sql.with(em, sql -> sql.query(
                "SELECT id FROM registry_upload WHERE created < now() - make_interval(secs => ?) ORDER BY created LIMIT ?",
                rs -> rs.getObject(1, UUID.class), (double) expiry.toSeconds(), limit)));
        for (UUID id : expired) {
            try {
                store.abortUpload(id.toString());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove the bytes of upload " + id, e);
            }
        }
        if (!expired.isEmpty()) {
            ShortTransactions.run(() -> Sql.with(em, sql -> sql.update("DELETE FROM registry_upload WHERE id = ANY(?)", sql.uuids(expired))));
        }
        return expired.size();
    }

    /**
     * Removes upload bytes no session names (an upload or a sync's download cut short by a crash, leftovers of garbage
     * collection) last written longer than the upload expiry ago. Run after {@link #dropExpiredSessions}: a session's
     * bytes are never older than its start, so those of a live session stay. Returns how many uploads it removed.
     */
    @Override
    public int dropLeftoverUploads() {
        requirePositiveExpiry();
        try {
            return store.abortUploadsOlderThan(Instant.now().minus(expiry));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove old uploads from the blob storage", e);
        }
    }

    /**
     * Drops pending links older than the upload expiry: a push that left blobs without a manifest for that long is
     * abandoned, and its blobs are then ordinary orphans (unless a version holds them). Returns how many it dropped.
     */
    @Override
    public int dropExpiredPendingLinks() {
        requirePositiveExpiry();
        return ShortTransactions.run(() -> pending.dropOlderThan(expiry));
    }

    /** A zero or negative expiry would drop every push in progress: a configuration mistake, refused. */
    private void requirePositiveExpiry() {
        if (expiry.isZero() || expiry.isNegative()) {
            throw new IllegalStateException("sigil.registry.upload-expiry must be positive, not " + expiry);
        }
    }

    /**
     * Links a stored blob into {@code target} without copying it; the caller has checked that the source repository
     * serves it to this caller. Returns false (the client then uploads) when the bytes are not stored.
     */
    public boolean mount(PushTarget target, Digest digest) {
        if (!store.exists(digest)) {
            return false;
        }
        return ShortTransactions.run(() -> {
            Optional<Blob> blob = content.findBlob(digest.toString());
            blob.ifPresent(b -> pending.link(target, b.id));
            return blob.isPresent();
        });
    }

    /** A chunk must start where the upload ends: otherwise 416 with the upload's range, and the upload kept. */
    private static void requireRangeStart(BlobUpload upload, long[] range, String id) throws IOException {
        if (range != null && range[0] != upload.size()) {
            long size = upload.size();
            upload.suspend();
            throw RegistryError.RANGE_INVALID.with("chunk starts at " + range[0] + " but the upload has " + size + " bytes",
                    Map.of("size", size)).header("Range", rangeHeader(size)).header("Docker-Upload-UUID", id);
        }
    }

    private void commit(BlobUpload upload, Digest expected, String sessionId) throws IOException {
        try {
            upload.commit(expected, -1);
        } catch (DigestMismatchException e) {
            if (sessionId != null) {
                dropSession(sessionId);
            }
            throw RegistryError.DIGEST_INVALID.with(e.getMessage(), Map.of("digest", expected.toString()));
        }
    }

    private void record(PushTarget target, Digest digest, long size, String sessionId) {
        ShortTransactions.run(() -> {
            Blob blob = storedBlob(digest, size);
            pending.link(target, blob.id);
            if (sessionId != null) {
                em.createNativeQuery("DELETE FROM registry_upload WHERE id = ?1").setParameter(1, UUID.fromString(sessionId))
                        .executeUpdate();
            }
            return null;
        });
    }

    /** Only with a zero protection time can clean-up take a just-published file before its unit exists. */
    private Blob storedBlob(Digest digest, long size) {
        try {
            return content.storedBlob(digest, size);
        } catch (MissingContentException e) {
            throw RegistryError.BLOB_UPLOAD_INVALID.with(e.getMessage(), Map.of("digest", digest.toString()));
        }
    }

    /**
     * Writes a chunk; when that fails (a length that disagrees with its Content-Range, a full disk, a broken
     * connection) the store has undone the chunk and the session is kept as it was, for the client to resume.
     */
    private static void writeKeeping(BlobUpload upload, InputStream chunk, String id) throws IOException {
        try {
            upload.write(chunk);
        } catch (IOException | RuntimeException e) {
            upload.suspend();
            if (e instanceof ExactLength.Mismatch mismatch) {
                throw RegistryError.RANGE_INVALID.with(mismatch.getMessage() + "; the upload is kept as it was",
                        Map.of("size", upload.size())).header("Range", rangeHeader(upload.size())).header("Docker-Upload-UUID", id);
            }
            throw e;
        }
    }

    private void requireSession(PushTarget target, String id) {
        UUID uuid = parseId(id);
        // A session started before the first manifest created the repository belongs to its base path.
        boolean known = ShortTransactions.run(() -> !em.createNativeQuery(
                        "SELECT 1 FROM registry_upload WHERE id = ?1 AND (repository_id = ?2 OR base_path = ?3)")
                .setParameter(1, uuid).setParameter(2, target.repositoryId() == null ? -1L : target.repositoryId())
                .setParameter(3, target.basePath()).getResultList().isEmpty());
        if (!known) {
            throw unknownUpload(id);
        }
    }

    private void dropSession(String id) {
        ShortTransactions.run(() -> em.createNativeQuery("DELETE FROM registry_upload WHERE id = ?1")
                .setParameter(1, UUID.fromString(id)).executeUpdate());
    }

    private static UUID parseId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw unknownUpload(id);
        }
    }

    private static RegistryException unknownUpload(String id) {
        return RegistryError.BLOB_UPLOAD_UNKNOWN.with("upload " + id + " is unknown", Map.of("uuid", id));
    }

    private RuntimeException uploadFailure(String id, IOException e) {
        if (e instanceof UploadNotFoundException) {
            dropSession(id);
            return unknownUpload(id);
        }
        return new UncheckedIOException(e);
    }

    private static Digest requireDigest(String digest) {
        if (digest == null || digest.isBlank()) {
            throw RegistryError.DIGEST_INVALID.with("the digest query parameter is required");
        }
        return Digest.parse(digest);
    }

    private static long[] parseRange(String header) {
        Matcher m = CONTENT_RANGE.matcher(header.trim());
        if (!m.matches()) {
            throw RegistryError.RANGE_INVALID.with("Content-Range '" + header + "' is not <start>-<end>");
        }
        long start = Long.parseLong(m.group(1));
        long end = Long.parseLong(m.group(2));
        if (end < start) {
            throw RegistryError.RANGE_INVALID.with("Content-Range '" + header + "' ends before it starts");
        }
        return new long[] {start, end};
    }

    /** The spec's {@code Range} header for an upload of {@code size} bytes ({@code 0-0} when empty). */
    static String rangeHeader(long size) {
        return "0-" + Math.max(0, size - 1);
    }
}
