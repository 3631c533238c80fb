package io.sigil.storage;

import java.io.IOException;
import java.time.Instant;
import java.util.stream.Stream;
import java.io.InputStream;
import java.util.Optional;

/**
 * Content-addressed blob storage. A blob becomes visible only when an upload is committed with a digest and size that
 * match the bytes written, so readers never see a partial or corrupt blob.
 */
public interface BlobStore {

    /** Size of a stored blob, or empty when it is not stored. */
    Optional<Long> size(Digest digest);

    /**
     * How the store answers now, in Pulp's {@code storage} shape: total/used/free bytes for a filesystem, whether the
     * bucket answers for S3. Never throws: an unreachable store is reported as such.
     */
    StorageStatus status();

    default boolean exists(Digest digest) {
        return size(digest).isPresent();
    }

    /**
     * Marks a stored blob as written now, so that orphan clean-up, which deletes only files written before its
     * cut-off, spares it while the caller goes on to name it in a unit. False when the blob is not stored (then the
     * caller must store it). Clean-up moves a file out of sight before it looks at its write time, so a refresh
     * either lands before that look (the file stays) or fails (the caller stores the blob again).
     */
    boolean refresh(Digest digest) throws IOException;

    /** Opens a stored blob from {@code offset}; throws {@link BlobNotFoundException} when absent. */
    InputStream open(Digest digest, long offset) throws IOException;

    /**
     * The local file holding a stored blob, when this store keeps blobs in files, so it can be sent without copying
     * through the JVM (sendfile). Empty when the blob is absent or the store is not file-based.
     */
    default Optional<java.nio.file.Path> file(Digest digest) {
        return Optional.empty();
    }

    /** Starts an upload that streams to temporary space; nothing is visible until {@link BlobUpload#commit}. */
    BlobUpload beginUpload() throws IOException;

    /** Resumes an upload begun earlier (possibly by another process sharing the storage). */
    BlobUpload resumeUpload(String uploadId) throws IOException;

    /**
     * Discards an upload begun earlier, by whichever process, without reading its bytes back; does nothing when it is
     * already gone. For a cancelled or abandoned registry upload session.
     */
    void abortUpload(String uploadId) throws IOException;

    /**
     * Discards whatever of the upload area was last written before {@code cutoff}, whether or not a session names it:
     * the bytes of an upload cut short by a crash, and leftovers of garbage collection. An upload still being written to
     * counts as written now. Returns how many uploads (or leftover files) it removed.
     */
    int abortUploadsOlderThan(Instant cutoff) throws IOException;

    /** Deletes a blob; returns whether it existed. Used only by garbage collection. */
    boolean delete(Digest digest) throws IOException;

    /**
     * Deletes a blob unless it was written at or after {@code cutoff}, so that a copy of the same bytes published by a
     * concurrent upload survives. Returns the bytes freed, or -1 when nothing was deleted. Used only by garbage
     * collection.
     */
    long deleteIfWrittenBefore(Digest digest, Instant cutoff) throws IOException;

    /** The digests of all stored blobs, for garbage collection; the caller closes the stream. */
    Stream<Digest> digests() throws IOException;

    /**
     * Stores a small in-memory blob (a manifest, a signature), verifying it against its own digest. It is written even
     * when already stored: the fresh write time tells garbage collection the blob is wanted again.
     */
    default Digest put(byte[] bytes) throws IOException {
        Digest digest = Digest.sha256Of(bytes);
        try (BlobUpload upload = beginUpload()) {
            upload.write(new java.io.ByteArrayInputStream(bytes));
            upload.commit(digest, bytes.length);
        }
        return digest;
    }
}
