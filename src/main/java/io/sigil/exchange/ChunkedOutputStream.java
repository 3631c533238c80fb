package io.sigil.exchange;

import io.sigil.storage.Digest;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Writes one logical stream into {@code <base>} (no chunk size) or {@code <base>.0000}, {@code <base>.0001} … of at
 * most {@code chunkSize} bytes each, hashing every file as it goes so that the table of contents costs no re-read.
 */
final class ChunkedOutputStream extends OutputStream {

    private static final int BUFFER = 1 << 20;
    /** Writes at least this large (the tar's whole blocks) skip the buffer: one copy less per byte. */
    private static final int DIRECT = 64 * 1024;

    private final Path base;
    private final Long chunkSize;
    private final List<TableOfContents.Chunk> finished = new ArrayList<>();
    private final List<Path> files = new ArrayList<>();
    private final byte[] buffer = new byte[BUFFER];
    private int buffered;
    private OutputStream current;
    private MessageDigest sha256;
    private long written;

    ChunkedOutputStream(Path base, Long chunkSize) {
        this.base = base;
        this.chunkSize = chunkSize;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] data, int offset, int length) throws IOException {
        if (length >= DIRECT) {
            drain();
            writeThrough(data, offset, length);
            return;
        }
        while (length > 0) {
            if (buffered == buffer.length) {
                drain();
            }
            int n = Math.min(length, buffer.length - buffered);
            System.arraycopy(data, offset, buffer, buffered, n);
            buffered += n;
            offset += n;
            length -= n;
        }
    }

    /** Writes the buffer out. */
    private void drain() throws IOException {
        writeThrough(buffer, 0, buffered);
        buffered = 0;
    }

    /** Writes to the chunk files, splitting across chunk boundaries and hashing each chunk as it goes. */
    private void writeThrough(byte[] data, int offset, int length) throws IOException {
        int end = offset + length;
        while (offset < end) {
            if (current == null) {
                open();
            }
            long room = chunkSize == null ? Long.MAX_VALUE : chunkSize - written;
            int n = (int) Math.min(end - offset, room);
            current.write(data, offset, n);
            sha256.update(data, offset, n);
            written += n;
            offset += n;
            if (chunkSize != null && written == chunkSize) {
                closeChunk();
            }
        }
    }

    private void open() throws IOException {
        Path file = chunkSize == null ? base : base.resolveSibling(base.getFileName() + "." + String.format("%04d", files.size()));
        files.add(file);
        current = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        sha256 = Digest.newSha256();
        written = 0;
    }

    private void closeChunk() throws IOException {
        current.close();
        Path file = files.get(files.size() - 1);
        finished.add(new TableOfContents.Chunk(file.getFileName().toString(), written, HexFormat.of().formatHex(sha256.digest())));
        current = null;
    }

    @Override
    public void close() throws IOException {
        drain();
        if (current != null) {
            closeChunk();
        }
    }

    /** The chunks written, in order, once closed. */
    List<TableOfContents.Chunk> chunks() {
        return List.copyOf(finished);
    }

    /** Every file created so far, to delete when the export fails. */
    List<Path> files() {
        return List.copyOf(files);
    }

    /** Closes without finishing, for clean-up after a failure. */
    void abandon() {
        try {
            if (current != null) {
                current.close();
            }
        } catch (IOException ignored) {
            // the files are deleted next
        }
    }
}
