package io.sigil.exchange;

import io.sigil.storage.Digest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Streams an archive: a tar of regular files, split into chunks, and its table of contents. Content (blobs,
 * manifests, signatures) is listed under its own digest without hashing it again: storage verified it when it was
 * written. Only metadata entries are hashed here, and every byte once more on its way into a chunk, for the chunk's
 * checksum. {@link #discard} removes everything written when an export fails.
 */
final class ArchiveWriter implements AutoCloseable {

    private static final int COPY_BUFFER = 1 << 20;
    /** The tar hands the chunk stream whole blocks of this size, which it writes out without another copy. */
    private static final int TAR_BLOCK = 256 * 1024;

    private final Path directory;
    private final String baseName;
    private final Long chunkSize;
    private final Instant created;
    private final ChunkedOutputStream chunks;
    private final TarArchiveOutputStream tar;
    private final List<TableOfContents.Entry> entries = new ArrayList<>();
    private final byte[] copyBuffer = new byte[COPY_BUFFER];
    private boolean finished;

    ArchiveWriter(Path directory, String baseName, Long chunkSize, Instant created) {
        this.directory = directory;
        this.baseName = baseName;
        this.chunkSize = chunkSize;
        this.created = created;
        this.chunks = new ChunkedOutputStream(directory.resolve(baseName + ".tar"), chunkSize);
        this.tar = new TarArchiveOutputStream(chunks, TAR_BLOCK, "UTF-8");
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setAddPaxHeadersForNonAsciiNames(true);
    }

    /** A metadata entry (or any bytes without a digest of their own): hashed for the table of contents. */
    void add(String path, byte[] data) throws IOException {
        putEntry(path, data.length);
        tar.write(data);
        tar.closeArchiveEntry();
        entries.add(new TableOfContents.Entry(path, data.length, Digest.sha256Of(data).hex()));
    }

    void addJson(String path, Object value) throws IOException {
        add(path, ArchiveJson.write(value));
    }

    /** Stored content in memory (a manifest, a signature), listed under its digest. */
    void addStored(String path, byte[] data, Digest digest) throws IOException {
        addStored(path, new ByteArrayInputStream(data), data.length, digest);
    }

    /**
     * Copies {@code size} bytes of stored content, listed under its digest without hashing them again: content-addressed
     * storage verified them when it wrote them. (An import verifies every digest in any case.)
     */
    void addStored(String path, InputStream data, long size, Digest digest) throws IOException {
        putEntry(path, size);
        long copied = 0;
        for (int n; copied < size && (n = data.read(copyBuffer, 0, (int) Math.min(copyBuffer.length, size - copied))) > 0; ) {
            tar.write(copyBuffer, 0, n);
            copied += n;
        }
        if (copied != size) {
            throw new IOException(path + ": expected " + size + " bytes, the source had " + copied);
        }
        tar.closeArchiveEntry();
        entries.add(new TableOfContents.Entry(path, size, digest.hex()));
    }

    private void putEntry(String path, long size) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(path);
        entry.setSize(size);
        entry.setMode(0644);
        entry.setModTime(created.toEpochMilli());
        tar.putArchiveEntry(entry);
    }

    /** Ends the tar, writes the table of contents, and returns it with its file. */
    Written finish() throws IOException {
        tar.finish();
        tar.close();
        TableOfContents toc = new TableOfContents(ArchiveFormat.NAME, ArchiveFormat.VERSION, created.toString(), chunkSize,
                chunks.chunks(), List.copyOf(entries));
        byte[] json = ArchiveJson.write(toc);
        Path tocFile = directory.resolve(baseName + "-toc.json");
        Files.write(tocFile, json, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        finished = true;
        return new Written(tocFile, Digest.sha256Of(json).hex(), toc);
    }

    /** Deletes every file written; the export left nothing behind. */
    void discard() {
        chunks.abandon();
        List<Path> files = new ArrayList<>(chunks.files());
        files.add(directory.resolve(baseName + "-toc.json"));
        for (Path file : files) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // best effort: the export has failed already
            }
        }
    }

    @Override
    public void close() {
        if (!finished) {
            discard();
        }
    }

    record Written(Path tocFile, String tocSha256, TableOfContents toc) {
    }
}
