package io.sigil.storage;

import java.io.IOException;
import java.io.InputStream;

/**
 * An upload in progress. Data is appended in order and hashed while it streams, so committing never re-reads it.
 * Closing an upload that was neither committed nor kept for later discards what was written.
 */
public interface BlobUpload extends AutoCloseable {

    String id();

    /** Bytes written so far. */
    long size();

    /**
     * Appends the stream's bytes; returns how many were written. When it fails (the stream broke off, the disk is
     * full: {@link StorageFullException}) the filesystem store undoes the partial chunk, so the upload is as it was.
     */
    long write(InputStream data) throws IOException;

    /**
     * Verifies size and digest and publishes the blob atomically. On a mismatch the upload is discarded and
     * {@link DigestMismatchException} is thrown.
     */
    void commit(Digest expected, long expectedSize) throws IOException;

    /** Like {@link #commit} but trusts the computed digest; returns it. */
    Digest commit() throws IOException;

    /** Keeps the partial upload so that {@link BlobStore#resumeUpload} can continue it. */
    void suspend() throws IOException;

    /** Discards the upload. */
    void cancel() throws IOException;

    @Override
    void close() throws IOException;
}
