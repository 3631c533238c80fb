package io.sigil.exchange;

import io.sigil.storage.Digest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/** Reads archives back and writes hand-made (possibly hostile) ones, independently of the production code. */
final class ArchiveTestFiles {

    private ArchiveTestFiles() {
    }

    /** One tar entry to write: a regular file unless {@code type} says otherwise. */
    record TestEntry(String name, byte type, byte[] data, String linkName) {
        static TestEntry file(String name, byte[] data) {
            return new TestEntry(name, TarConstants.LF_NORMAL, data, null);
        }
    }

    /** Every entry of the archive a table of contents describes, in order. */
    static Map<String, byte[]> entries(Path toc) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(concatenated(toc))) {
            for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
                entries.put(e.getName(), tar.readAllBytes());
            }
        }
        return entries;
    }

    static List<TestEntry> fileEntries(Path toc) throws IOException {
        List<TestEntry> list = new ArrayList<>();
        entries(toc).forEach((name, data) -> list.add(TestEntry.file(name, data)));
        return list;
    }

    private static InputStream concatenated(Path toc) throws IOException {
        List<InputStream> streams = new ArrayList<>();
        for (TableOfContents.Chunk chunk : ExchangeApi.toc(toc).chunks()) {
            streams.add(Files.newInputStream(toc.resolveSibling(chunk.file())));
        }
        return new SequenceInputStream(Collections.enumeration(streams));
    }

    /** Writes the entries as a one-chunk archive in {@code directory} with an honest table of contents; returns it. */
    static TableOfContents write(Path directory, List<TestEntry> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        List<TableOfContents.Entry> listed = new ArrayList<>();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (TestEntry e : entries) {
                TarArchiveEntry entry = new TarArchiveEntry(e.name(), e.type(), true);
                if (e.linkName() != null) {
                    entry.setLinkName(e.linkName());
                }
                entry.setSize(e.type() == TarConstants.LF_NORMAL ? e.data().length : 0);
                tar.putArchiveEntry(entry);
                if (e.type() == TarConstants.LF_NORMAL) {
                    tar.write(e.data());
                }
                tar.closeArchiveEntry();
                listed.add(new TableOfContents.Entry(e.name(), e.data().length, Digest.sha256Of(e.data()).hex()));
            }
        }
        byte[] archive = bytes.toByteArray();
        Files.write(directory.resolve("archive.tar"), archive);
        return new TableOfContents(ArchiveFormat.NAME, ArchiveFormat.VERSION, "2024-01-01T00:00:00Z", null,
                List.of(new TableOfContents.Chunk("archive.tar", archive.length, Digest.sha256Of(archive).hex())), listed);
    }

    static Path writeToc(Path directory, TableOfContents toc) throws IOException {
        Path file = directory.resolve("archive-toc.json");
        Files.write(file, ArchiveJson.write(toc));
        return file;
    }
}
