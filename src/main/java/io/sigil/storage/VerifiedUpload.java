package io.sigil.storage;

import java.io.IOException;

/**
 * The commit rule every store shares: the size and the digest computed while the bytes streamed must match what the
 * client claims, or the upload is discarded; only then does the store publish the blob.
 */
abstract class VerifiedUpload implements BlobUpload {

    protected final String id;
    /** Bytes received so far, counting those of earlier sessions of a resumed upload. */
    protected long size;

    protected VerifiedUpload(String id, long size) {
        this.id = id;
        this.size = size;
    }

    @Override
    public final String id() {
        return id;
    }

    @Override
    public final long size() {
        return size;
    }

    /** The digest of everything written so far, without ending the running hash. */
    protected abstract Digest computed();

    /** Makes the verified bytes visible under {@code digest}, atomically. */
    protected abstract void publish(Digest digest) throws IOException;

    @Override
    public final void commit(Digest expected, long expectedSize) throws IOException {
        Digest actual = computed();
        if (expectedSize >= 0 && expectedSize != size()) {
            cancel();
            throw new DigestMismatchException("expected " + expectedSize + " bytes, received " + size());
        }
        if (!actual.equals(expected)) {
            cancel();
            throw new DigestMismatchException("content has digest " + actual + ", not " + expected);
        }
        publish(actual);
    }

    @Override
    public final Digest commit() throws IOException {
        Digest actual = computed();
        publish(actual);
        return actual;
    }
}
