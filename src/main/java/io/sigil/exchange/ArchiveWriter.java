package io.sigil.exchange;

import io.sigil.storage.Digest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Streams an archive: a tar of regular files, split into chunks, and its table of contents. Every entry is hashed
 * as it is written; an entry with an expected digest (a blob) that does not match fails the export, so a corrupt
 * stored blob never leaves the building. {@link #discard} removes everything written when an export fails.
 */
final class ArchiveWriter implements AutoCloseable {

    private static final int COPY_BUFFER = 256 * 1024;

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
        this.tar = new TarArchiveOutputStream(chunks, COPY_BUFFER, "UTF-8");
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setAddPaxHeadersForNonAsciiNames(true);
    }

    void add(String path, byte[] data) throws IOException {
        add(path, new ByteArrayInputStream(data), data.length, null);
    }

    void addJson(String path, Object value) throws IOException {
        add(path, ArchiveJson.write(value));
    }

    /** Copies {@code size} bytes; when {@code expected} is given, the bytes must hash to it. */
    void add(String path, InputStream data, long size, Digest expected) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(path);
        entry.setSize(size);
        entry.setMode(0644);
        entry.setModTime(created.toEpochMilli());
        tar.putArchiveEntry(entry);
        MessageDigest sha256 = Digest.newSha256();
        long copied = 0;
        for (int n; copied < size && (n = data.read(copyBuffer, 0, (int) Math.min(copyBuffer.length, size - copied))) > 0; ) {
            tar.write(copyBuffer, 0, n);
            sha256.update(copyBuffer, 0, n);
            copied += n;
        }
        if (copied != size) {
            throw new IOException(path + ": expected " + size + " bytes, the source had " + copied);
        }
        tar.closeArchiveEntry();
        String hex = HexFormat.of().formatHex(sha256.digest());
        if (expected != null && !expected.hex().equals(hex)) {
            throw new IOException("stored content " + expected + " is corrupt: its bytes hash to sha256:" + hex);
        }
        entries.add(new TableOfContents.Entry(path, size, hex));
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
