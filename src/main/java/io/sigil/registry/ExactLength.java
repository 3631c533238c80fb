package io.sigil.registry;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A chunk body that must hold exactly the bytes its {@code Content-Range} announces: reading fails with
 * {@link Mismatch} as soon as it proves longer, or when it ends shorter, so the store undoes the chunk.
 */
final class ExactLength extends FilterInputStream {

    /** The body and its Content-Range disagree. */
    static final class Mismatch extends IOException {
        Mismatch(String message) {
            super(message);
        }
    }

    private final long expected;
    private long read;

    ExactLength(InputStream body, long expected) {
        super(body);
        this.expected = expected;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, (int) Math.min(length, expected - read + 1)); // one more reveals a longer body
        if (n < 0) {
            if (read != expected) {
                throw new Mismatch("Content-Range announces " + expected + " bytes but " + read + " were sent");
            }
            return -1;
        }
        read += n;
        if (read > expected) {
            throw new Mismatch("Content-Range announces " + expected + " bytes but more were sent");
        }
        return n;
    }
}
