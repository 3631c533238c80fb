package io.sigil.sync;

import java.io.IOException;

/** An upstream answered something a sync cannot use; {@code status} is the HTTP status, or 0 for other problems. */
public class UpstreamException extends IOException {

    private final int status;

    public UpstreamException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
