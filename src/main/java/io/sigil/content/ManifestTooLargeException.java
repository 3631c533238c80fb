package io.sigil.content;

/** A manifest body over the size limit; refused before parsing (HTTP 413). */
public class ManifestTooLargeException extends RuntimeException {

    private final long size;
    private final long limit;

    public ManifestTooLargeException(long size, long limit) {
        super("manifest is " + size + " bytes, over the limit of " + limit + " bytes");
        this.size = size;
        this.limit = limit;
    }

    public long size() {
        return size;
    }

    public long limit() {
        return limit;
    }
}
