package io.sigil.exchange;

import io.sigil.storage.Digest;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Reads an archive defensively. {@link #open} checks the table of contents and every chunk's size and sha256 before
 * anything else happens; {@link #next} then streams the chunks as one tar (never unpacked to disk) and refuses any
 * entry that is not a regular file at an allowed path, that the table of contents does not list or lists with
 * another size, or whose bytes do not hash to what it says. {@link #requireComplete} refuses an archive missing
 * entries the table of contents lists.
 */
final class ArchiveReader implements AutoCloseable {

    private static final Pattern CHUNK_FILE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,254}");
    private static final Pattern SHA256_HEX = Pattern.compile("[a-f0-9]{64}");
    private static final int BUFFER = 1 << 20;

    /** Caps on what is read into memory. */
    record Limits(long maxMetadataBytes) {
    }

    private final TableOfContents toc;
    private final Map<String, TableOfContents.Entry> listed;
    private final Set<String> seen = new HashSet<>();
    private final Limits limits;
    private final TarArchiveInputStream tar;
    private Entry current;

    private ArchiveReader(TableOfContents toc, Map<String, TableOfContents.Entry> listed, List<Path> chunkFiles, Limits limits)
            throws IOException {
        this.toc = toc;
        this.listed = listed;
        this.limits = limits;
        this.tar = new TarArchiveInputStream(new BufferedInputStream(concatenate(chunkFiles), BUFFER), "UTF-8");
    }

    /** Reads and checks the table of contents and every chunk it names; throws {@link HostileArchiveException}. */
    static ArchiveReader open(Path tocFile, Limits limits) throws IOException {
        if (!Files.isRegularFile(tocFile, LinkOption.NOFOLLOW_LINKS)) {
            throw new HostileArchiveException("table of contents " + tocFile + " is not a regular file");
        }
        if (Files.size(tocFile) > limits.maxMetadataBytes()) {
            throw new HostileArchiveException("table of contents is larger than " + limits.maxMetadataBytes() + " bytes");
        }
        TableOfContents toc = ArchiveJson.read(Files.readAllBytes(tocFile), TableOfContents.class, "table of contents");
        requireFormat(toc.format(), toc.formatVersion(), "table of contents");
        List<Path> chunkFiles = verifyChunks(tocFile.toAbsolutePath().getParent(), toc);
        return new ArchiveReader(toc, listEntries(toc), chunkFiles, limits);
    }

    static void requireFormat(String format, String version, String where) {
        if (!ArchiveFormat.NAME.equals(format)) {
            throw new HostileArchiveException(where + ": not a Sigil export (format '" + format + "')");
        }
        if (!ArchiveFormat.supports(version)) {
            throw new HostileArchiveException(where + ": unsupported format version '" + version
                    + "'; this Sigil reads versions 1.x");
        }
    }

    private static List<Path> verifyChunks(Path directory, TableOfContents toc) throws IOException {
        if (toc.chunks() == null || toc.chunks().isEmpty()) {
            throw new HostileArchiveException("table of contents lists no chunk");
        }
        List<Path> files = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (TableOfContents.Chunk chunk : toc.chunks()) {
            if (chunk == null || chunk.file() == null || !CHUNK_FILE.matcher(chunk.file()).matches() || !names.add(chunk.file())) {
                throw new HostileArchiveException("chunk name " + (chunk == null ? null : chunk.file())
                        + " is not a plain, unique file name");
            }
            Path file = directory.resolve(chunk.file());
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                throw new HostileArchiveException("chunk " + chunk.file() + " is missing (or not a regular file)");
            }
            long size = Files.size(file);
            if (size != chunk.size()) {
                throw new HostileArchiveException("chunk " + chunk.file() + " has " + size + " bytes, the table of contents says "
                        + chunk.size());
            }
            String actual = sha256(file);
            if (!actual.equals(chunk.sha256())) {
                throw new HostileArchiveException("chunk " + chunk.file() + " is damaged: its sha256 is " + actual
                        + ", the table of contents says " + chunk.sha256());
            }
            files.add(file);
        }
        return files;
    }

    private static Map<String, TableOfContents.Entry> listEntries(TableOfContents toc) {
        if (toc.entries() == null) {
            throw new HostileArchiveException("table of contents lists no entries");
        }
        Map<String, TableOfContents.Entry> listed = new HashMap<>();
        for (TableOfContents.Entry entry : toc.entries()) {
            if (entry == null || !ArchiveFormat.isAllowedPath(entry.path())) {
                throw new HostileArchiveException("table of contents lists a path outside the archive layout: "
                        + (entry == null ? null : entry.path()));
            }
            if (entry.size() < 0 || entry.sha256() == null || !SHA256_HEX.matcher(entry.sha256()).matches()) {
                throw new HostileArchiveException("table of contents entry " + entry.path() + " needs a size and a sha256");
            }
            if (listed.put(entry.path(), entry) != null) {
                throw new HostileArchiveException("table of contents lists " + entry.path() + " twice");
            }
        }
        return listed;
    }

    private static String sha256(Path file) throws IOException {
        MessageDigest digest = Digest.newSha256();
        byte[] buffer = new byte[BUFFER];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static InputStream concatenate(List<Path> files) {
        Enumeration<InputStream> streams = Collections.enumeration(files.stream().map(ArchiveReader::lazy).toList());
        return new SequenceInputStream(streams);
    }

    /** Opens a chunk only when the stream reaches it, so one file handle is open at a time. */
    private static InputStream lazy(Path file) {
        return new InputStream() {
            private InputStream in;

            private InputStream in() throws IOException {
                if (in == null) {
                    in = Files.newInputStream(file);
                }
                return in;
            }

            @Override
            public int read() throws IOException {
                return in().read();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return in().read(b, off, len);
            }

            @Override
            public void close() throws IOException {
                if (in != null) {
                    in.close();
                }
            }
        };
    }

    TableOfContents toc() {
        return toc;
    }

    /** The next entry, checked against the table of contents; null at the end of the archive. */
    Entry next() throws IOException {
        finishCurrent();
        TarArchiveEntry entry = tar.getNextEntry();
        if (entry == null) {
            return null;
        }
        String path = entry.getName();
        requireRegularFile(entry, path);
        if (!ArchiveFormat.isAllowedPath(path)) {
            throw new HostileArchiveException("entry " + printable(path) + " is outside the archive layout");
        }
        TableOfContents.Entry expected = listed.get(path);
        if (expected == null) {
            throw new HostileArchiveException("entry " + path + " is not in the table of contents");
        }
        if (!seen.add(path)) {
            throw new HostileArchiveException("entry " + path + " appears twice");
        }
        if (entry.getSize() != expected.size()) {
            throw new HostileArchiveException("entry " + path + " has " + entry.getSize() + " bytes, the table of contents says "
                    + expected.size());
        }
        current = new Entry(path, expected.size(), expected.sha256(), new HashingStream(tar));
        return current;
    }

    private static void requireRegularFile(TarArchiveEntry entry, String path) {
        byte flag = entry.getLinkFlag();
        boolean regular = flag == TarConstants.LF_NORMAL || flag == TarConstants.LF_OLDNORM;
        if (!regular || entry.isSparse() || !entry.isCheckSumOK()) {
            String kind = entry.isSymbolicLink() ? "a symbolic link" : entry.isLink() ? "a hard link"
                    : entry.isCharacterDevice() || entry.isBlockDevice() ? "a device file" : entry.isDirectory() ? "a directory"
                    : entry.isFIFO() ? "a FIFO" : "not a plain regular file";
            throw new HostileArchiveException("entry " + printable(path) + " is " + kind + "; archives hold regular files only");
        }
    }

    /** Reads a metadata entry into memory, refusing one larger than the cap before reading it. */
    byte[] readSmall(Entry entry, long cap) throws IOException {
        long limit = Math.min(cap, limits.maxMetadataBytes());
        if (entry.size() > limit) {
            throw new HostileArchiveException("entry " + entry.path() + " has " + entry.size() + " bytes, more than the "
                    + limit + " allowed");
        }
        return entry.stream().readAllBytes();
    }

    byte[] readMetadata(Entry entry) throws IOException {
        return readSmall(entry, limits.maxMetadataBytes());
    }

    /** Refuses an archive that lacks entries its table of contents lists; call after {@link #next} returned null. */
    void requireComplete() {
        if (seen.size() != listed.size()) {
            List<String> missing = listed.keySet().stream().filter(p -> !seen.contains(p)).sorted().limit(5).toList();
            throw new HostileArchiveException("the archive lacks entries its table of contents lists: " + missing);
        }
    }

    /** Drains and checks the entry being read: its bytes must hash to what the table of contents says. */
    private void finishCurrent() throws IOException {
        if (current == null) {
            return;
        }
        Entry entry = current;
        current = null;
        if (!entry.stream.hashing) {
            entry.stream.skipNBytes(entry.size() - entry.stream.count);
            return; // next() checked the entry's size; skipNBytes fails on a short one
        }
        entry.stream.transferTo(java.io.OutputStream.nullOutputStream());
        String actual = entry.stream.hashing ? HexFormat.of().formatHex(entry.stream.digest.digest()) : "(not hashed)";
        if (entry.stream.count != entry.size() || !actual.equals(entry.sha256())) {
            throw new HostileArchiveException("entry " + entry.path() + " does not match the table of contents (sha256 "
                    + actual + ", listed " + entry.sha256() + ")");
        }
    }

    private static String printable(String path) {
        return path.replaceAll("[^\\x20-\\x7e]", "?");
    }

    @Override
    public void close() throws IOException {
        tar.close();
    }

    /** An entry being read; its stream ends at the entry's end. */
    record Entry(String path, long size, String sha256, HashingStream stream) {

        /**
         * For a consumer that verifies the bytes against {@link #sha256()} itself (a blob upload committed with that
         * digest), or does not use them at all (a blob stored here already): the reader then only checks the length,
         * sparing a hash of every byte.
         */
        void notHashedByReader() {
            if (stream.count > 0) {
                throw new IllegalStateException("entry " + path + " is already being read");
            }
            stream.hashing = false;
        }
    }

    /** Hashes everything read through it. */
    static final class HashingStream extends FilterInputStream {
        final MessageDigest digest = Digest.newSha256();
        long count;
        boolean hashing = true;

        HashingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                if (hashing) {
                    digest.update((byte) b);
                }
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                if (hashing) {
                    digest.update(b, off, n);
                }
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            if (!hashing) {
                long skipped = super.skip(n);
                count += skipped;
                return skipped;
            }
            byte[] buffer = new byte[8192];
            long skipped = 0;
            for (int r; skipped < n && (r = read(buffer, 0, (int) Math.min(buffer.length, n - skipped))) > 0; ) {
                skipped += r;
            }
            return skipped;
        }

        @Override
        public void close() {
            // the tar stream stays open for the next entry
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }
}
