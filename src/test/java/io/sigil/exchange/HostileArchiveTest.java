package io.sigil.exchange;

import static io.sigil.testing.Api.asAdmin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.sigil.repository.Repository;
import io.sigil.repository.RepositoryService;
import io.sigil.storage.BlobStore;
import io.sigil.storage.Digest;
import io.sigil.testing.PostgresDatabaseResource;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Damaged, lying and escaping archives are refused with a clear error, and nothing is imported: the destination
 * keeps its version and no repository is created. Each case starts from a genuine export and changes one thing.
 */
@QuarkusTest
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.GLOBAL)
class HostileArchiveTest {

    @Inject
    ExchangeFixtures fixtures;
    @Inject
    RepositoryService repositories;
    @Inject
    BlobStore blobStore;

    private String source;
    private Path genuine;
    private List<ArchiveTestFiles.TestEntry> entries;
    private ExchangeFixtures.SignedImage image;

    @BeforeEach
    void genuineExport() throws Exception {
        source = "hostile-src-" + UUID.randomUUID();
        Repository repository = fixtures.repository(source);
        image = fixtures.signedImage("1.0");
        fixtures.add(repository, image.ids());
        genuine = ExchangeApi.export(ExchangeApi.exporter(ExchangeApi.freshDirectory(), repository.href()), Map.of());
        entries = ArchiveTestFiles.fileEntries(genuine);
        // The destination instance has none of the blobs: every import would have to store them.
        for (var blob : image.blobs()) {
            blobStore.delete(Digest.parse(blob.digest));
        }
    }

    /** Imports into a fresh existing repository (and asks to create any other); asserts failure and no change. */
    private void refused(Path toc, String expectedError) {
        String destination = "hostile-dst-" + UUID.randomUUID();
        fixtures.repository(destination);
        long repositoryCount = QuarkusTransaction.requiringNew().call(() -> Repository.count());
        int revokedKeys = revokedKeyCount();
        JsonPath task = ExchangeApi.importArchive(ExchangeApi.importer(Map.of(source, destination)), toc, true);
        assertEquals("failed", task.getString("state"), task::prettify);
        String error = task.getString("error.description");
        assertTrue(error.contains(expectedError), () -> "expected '" + expectedError + "' in: " + error);
        assertEquals(0, QuarkusTransaction.requiringNew().call(() -> repositories.findByName(destination).orElseThrow().latestVersion));
        assertEquals(repositoryCount, QuarkusTransaction.requiringNew().call(() -> Repository.count()));
        assertEquals(revokedKeys, revokedKeyCount(), "no revocation of a refused archive stays listed");
    }

    private static int revokedKeyCount() {
        return asAdmin().get("/pulp/api/v3/revoked-keys/").then().statusCode(200).extract().path("count");
    }

    /** A well-formed revocation list naming one made-up OpenPGP key. */
    static byte[] revocationOfSomeKey() {
        String fingerprint = UUID.randomUUID().toString().replace("-", "").toUpperCase(java.util.Locale.ROOT).substring(0, 32)
                + "ABCDEF01";
        return ("[{\"type\":\"openpgp\",\"identity\":\"" + fingerprint + "\",\"keys\":[{\"key_id\":\""
                + fingerprint.substring(24) + "\",\"fingerprint\":\"" + fingerprint + "\"}],\"reason\":\"leaked\","
                + "\"revoked_at\":\"2026-01-02T03:04:05Z\",\"revoked_by\":\"vendor-admin\"}]").getBytes(StandardCharsets.UTF_8);
    }

    private Path rewritten(List<ArchiveTestFiles.TestEntry> content, UnaryOperator<TableOfContents> lie) throws Exception {
        Path directory = ExchangeApi.freshDirectory();
        TableOfContents toc = ArchiveTestFiles.write(directory, content);
        return ArchiveTestFiles.writeToc(directory, lie.apply(toc));
    }

    private Path rewritten(List<ArchiveTestFiles.TestEntry> content) throws Exception {
        return rewritten(content, UnaryOperator.identity());
    }

    private String layerPath() {
        return ArchiveFormat.blobPath(image.blobs().get(1).digest);
    }

    private static TableOfContents withEntries(TableOfContents toc, UnaryOperator<List<TableOfContents.Entry>> change) {
        return new TableOfContents(toc.format(), toc.formatVersion(), toc.created(), toc.chunkSize(), toc.chunks(),
                change.apply(new ArrayList<>(toc.entries())));
    }

    private static TableOfContents.Entry entry(TableOfContents toc, String path) {
        return toc.entries().stream().filter(e -> e.path().equals(path)).findFirst().orElseThrow();
    }

    @Test
    void theGenuineArchiveRewrittenByTheTestHelperImports() throws Exception {
        String destination = "hostile-control-" + UUID.randomUUID();
        ExchangeApi.importCompleted(ExchangeApi.importer(Map.of(source, destination)), rewritten(entries), true);
    }

    @Test
    void aTamperedChunk() throws Exception {
        TableOfContents toc = ExchangeApi.toc(genuine);
        Path chunk = genuine.resolveSibling(toc.chunks().get(0).file());
        byte[] bytes = Files.readAllBytes(chunk);
        bytes[bytes.length / 2] ^= 1;
        Files.write(chunk, bytes);
        refused(genuine, "is damaged");
    }

    @Test
    void aMissingChunk() throws Exception {
        Files.delete(genuine.resolveSibling(ExchangeApi.toc(genuine).chunks().get(0).file()));
        refused(genuine, "is missing");
    }

    @Test
    void aChunkNameThatLeavesTheDirectory() throws Exception {
        TableOfContents toc = ExchangeApi.toc(genuine);
        var chunk = toc.chunks().get(0);
        Path directory = ExchangeApi.freshDirectory();
        refused(ArchiveTestFiles.writeToc(directory, new TableOfContents(toc.format(), toc.formatVersion(), toc.created(), null,
                List.of(new TableOfContents.Chunk("../" + genuine.getParent().getFileName() + "/" + chunk.file(), chunk.size(),
                        chunk.sha256())), toc.entries())), "is not a plain, unique file name");
    }

    @Test
    void aTableOfContentsThatLiesAboutAnEntrySize() throws Exception {
        refused(rewritten(entries, toc -> withEntries(toc, list -> {
            TableOfContents.Entry layer = entry(toc, layerPath());
            list.set(list.indexOf(layer), new TableOfContents.Entry(layer.path(), layer.size() - 1, layer.sha256()));
            return list;
        })), "the table of contents says");
    }

    @Test
    void aTableOfContentsThatLiesAboutAChecksum() throws Exception {
        String tags = ArchiveFormat.TAGS;
        refused(rewritten(entries, toc -> withEntries(toc, list -> {
            TableOfContents.Entry e = entry(toc, tags);
            list.set(list.indexOf(e), new TableOfContents.Entry(tags, e.size(), "0".repeat(64)));
            return list;
        })), "does not match the table of contents");
    }

    @Test
    void blobBytesThatAreNotTheBlobEvenWithAConsistentTableOfContents() throws Exception {
        List<ArchiveTestFiles.TestEntry> swapped = replace(entries, layerPath(), new byte[4096]);
        refused(rewritten(swapped), "listed with bytes of another digest");
        // Lying as well about the checksum, so that only storage can notice: the verified commit refuses it.
        String hex = layerPath().substring(ArchiveFormat.BLOB_DIR.length());
        refused(rewritten(swapped, toc -> withEntries(toc, list -> {
            TableOfContents.Entry e = entry(toc, layerPath());
            list.set(list.indexOf(e), new TableOfContents.Entry(e.path(), e.size(), hex));
            return list;
        })), "sha256");
    }

    /**
     * The tampered blob is one this instance already holds, so the import would not write it: its bytes are still
     * checked against its digest, and the archive refused.
     */
    @Test
    void tamperedBytesOfABlobAlreadyStoredHereAreStillRefused() throws Exception {
        byte[] layer = entries.get(indexOf(entries, layerPath())).data();
        Digest digest = Digest.parse(image.blobs().get(1).digest);
        try (var upload = blobStore.beginUpload()) {
            upload.write(new java.io.ByteArrayInputStream(layer));
            upload.commit(digest, layer.length);
        }
        byte[] tampered = layer.clone();
        tampered[tampered.length / 2] ^= 1;
        String hex = layerPath().substring(ArchiveFormat.BLOB_DIR.length());
        // Chunks rewritten to match, the entry listed with the digest's checksum: only the bytes tell.
        refused(rewritten(replace(entries, layerPath(), tampered), toc -> withEntries(toc, list -> {
            TableOfContents.Entry e = entry(toc, layerPath());
            list.set(list.indexOf(e), new TableOfContents.Entry(e.path(), e.size(), hex));
            return list;
        })), "does not match the table of contents");
        assertTrue(blobStore.exists(digest), "the good copy stays");
        // The same archive untampered imports, the blob counted as already present.
        String destination = "hostile-present-" + UUID.randomUUID();
        JsonPath task = ExchangeApi.importCompleted(ExchangeApi.importer(Map.of(source, destination)), rewritten(entries), true);
        assertTrue(task.prettify().contains("already_present"), task::prettify);
    }

    @Test
    void aListedFileMissingFromTheArchive() throws Exception {
        String lookaside = ArchiveFormat.lookasidePath(source, image.manifest().digest, 1);
        refused(rewritten(entries, toc -> withEntries(toc, list -> {
            list.add(new TableOfContents.Entry(lookaside, 3, "1".repeat(64)));
            return list;
        })), "lacks entries its table of contents lists");
    }

    @Test
    void aContentFileTheRecordsDoNotDescribe() throws Exception {
        List<ArchiveTestFiles.TestEntry> extra = new ArrayList<>(entries);
        byte[] stray = "stray".getBytes(StandardCharsets.UTF_8);
        extra.add(ArchiveTestFiles.TestEntry.file(ArchiveFormat.blobPath(Digest.sha256Of(stray).toString()), stray));
        refused(rewritten(extra), "the table of contents and the records disagree");
    }

    @Test
    void anEntryTheTableOfContentsDoesNotList() throws Exception {
        String lookaside = ArchiveFormat.lookasidePath(source, image.manifest().digest, 1);
        List<ArchiveTestFiles.TestEntry> extra = new ArrayList<>(entries);
        extra.add(ArchiveTestFiles.TestEntry.file(lookaside, new byte[] {1, 2, 3}));
        refused(rewritten(extra, toc -> withEntries(toc, list -> {
            list.removeIf(e -> e.path().equals(lookaside));
            return list;
        })), "is not in the table of contents");
    }

    @Test
    void pathsOutsideTheArchive() throws Exception {
        for (String path : List.of("../escaped", "/etc/escaped", "blobs/sha256/../../escaped", "sigil//x.json")) {
            List<ArchiveTestFiles.TestEntry> escaping = new ArrayList<>(entries);
            escaping.add(ArchiveTestFiles.TestEntry.file(path, new byte[] {1}));
            refused(rewritten(escaping, toc -> withEntries(toc, list -> {
                list.removeIf(e -> e.path().equals(path));
                return list;
            })), "is outside the archive layout");
            refused(rewritten(escaping), "lists a path outside the archive layout");
        }
    }

    @Test
    void linksAndDeviceFiles() throws Exception {
        String target = layerPath();
        Map<Byte, String> kinds = Map.of(TarConstants.LF_SYMLINK, "a symbolic link", TarConstants.LF_LINK, "a hard link",
                TarConstants.LF_CHR, "a device file", TarConstants.LF_BLK, "a device file", TarConstants.LF_FIFO, "a FIFO",
                TarConstants.LF_DIR, "a directory");
        for (Map.Entry<Byte, String> kind : kinds.entrySet()) {
            List<ArchiveTestFiles.TestEntry> linked = new ArrayList<>(entries);
            int at = indexOf(linked, target);
            linked.set(at, new ArchiveTestFiles.TestEntry(target, kind.getKey(), linked.get(at).data(), "/etc/passwd"));
            refused(rewritten(linked), kind.getValue());
        }
    }

    @Test
    void oversizedMetadata() throws Exception {
        String tag = "{\"name\":\"t\",\"manifest\":\"" + image.manifest().digest + "\"}";
        byte[] huge = ("[" + (tag + ",").repeat(20_000) + tag + "]").getBytes(StandardCharsets.UTF_8);
        assertTrue(huge.length > 1024 * 1024);
        refused(rewritten(replace(entries, ArchiveFormat.TAGS, huge)), "more than the 1048576 allowed");
    }

    @Test
    void unknownFormatVersions() throws Exception {
        refused(rewritten(entries, toc -> new TableOfContents(toc.format(), "2.0", toc.created(), null, toc.chunks(),
                toc.entries())), "unsupported format version '2.0'");
        String header = new String(entries.get(0).data(), StandardCharsets.UTF_8)
                .replace("\"" + ArchiveFormat.VERSION + "\"", "\"7.3\"");
        refused(rewritten(replace(entries, ArchiveFormat.HEADER, header.getBytes(StandardCharsets.UTF_8))),
                "unsupported format version '7.3'");
    }

    @Test
    void aMalformedRevocationList() throws Exception {
        String revocation = new String(revocationOfSomeKey(), StandardCharsets.UTF_8);
        for (String malformed : List.of("{not json", "{\"type\":\"openpgp\"}", "[null]",
                revocation.replace("\"type\":\"openpgp\"", "\"type\":\"x509\""),
                revocation.replaceFirst("\"identity\":\"[0-9A-F]+\"", "\"identity\":\"../../etc\""),
                revocation.replace("\"reason\":\"leaked\",", ""),
                revocation.replace("2026-01-02T03:04:05Z", "yesterday"),
                revocation.replace("\"type\":\"openpgp\"", "\"type\":\"cosign\""))) {
            refused(rewritten(replace(entries, ArchiveFormat.REVOCATIONS, malformed.getBytes(StandardCharsets.UTF_8))),
                    ArchiveFormat.REVOCATIONS);
        }
    }

    @Test
    void aRevocationListThatDoesNotMatchItsChecksum() throws Exception {
        byte[] listed = revocationOfSomeKey();
        refused(rewritten(replace(entries, ArchiveFormat.REVOCATIONS, listed), toc -> withEntries(toc, list -> {
            TableOfContents.Entry e = entry(toc, ArchiveFormat.REVOCATIONS);
            list.set(list.indexOf(e), new TableOfContents.Entry(e.path(), e.size(), Digest.sha256Of(new byte[1]).hex()));
            return list;
        })), "does not match the table of contents");
    }

    @Test
    void aRevocationListAfterTheContent() throws Exception {
        List<ArchiveTestFiles.TestEntry> moved = new ArrayList<>(entries);
        ArchiveTestFiles.TestEntry revocations = moved.remove(indexOf(moved, ArchiveFormat.REVOCATIONS));
        moved.add(ArchiveTestFiles.TestEntry.file(revocations.name(), revocationOfSomeKey()));
        refused(rewritten(moved), "metadata entry " + ArchiveFormat.REVOCATIONS + " comes after content");
    }

    @Test
    void anArchiveThatDoesNotStartWithItsHeader() throws Exception {
        List<ArchiveTestFiles.TestEntry> reordered = new ArrayList<>(entries);
        reordered.add(1, reordered.remove(0));
        refused(rewritten(reordered), "does not start with sigil/export.json");
    }

    @Test
    void aFailureHalfwayThroughLeavesNoVersion() throws Exception {
        // The blobs are stored before the manifest turns out not to be what its record says: orphans, no version.
        String record = "\"digest\":\"" + image.manifest().digest + "\",\"media_type\":\"application/vnd.oci.image.manifest.v1+json\"";
        String manifests = new String(entries.get(indexOf(entries, ArchiveFormat.MANIFESTS)).data(), StandardCharsets.UTF_8);
        assertTrue(manifests.contains(record), manifests);
        byte[] lying = manifests.replace(record, record.replace("application/vnd.oci.image.manifest.v1+json",
                "application/vnd.docker.distribution.manifest.v2+json")).getBytes(StandardCharsets.UTF_8);
        List<ArchiveTestFiles.TestEntry> changed = replace(entries, ArchiveFormat.MANIFESTS, lying);
        // The archive's revocations are listed before content streams; the failure takes them off again.
        refused(rewritten(replace(changed, ArchiveFormat.REVOCATIONS, revocationOfSomeKey())), "is invalid");
        assertTrue(blobStore.exists(Digest.parse(image.blobs().get(1).digest)), "blobs stored before the failure stay, as orphans");
    }

    private static int indexOf(List<ArchiveTestFiles.TestEntry> list, String name) {
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).name().equals(name)) {
                return i;
            }
        }
        throw new AssertionError("no entry " + name);
    }

    private static List<ArchiveTestFiles.TestEntry> replace(List<ArchiveTestFiles.TestEntry> list, String name, byte[] data) {
        List<ArchiveTestFiles.TestEntry> copy = new ArrayList<>(list);
        copy.set(indexOf(copy, name), ArchiveTestFiles.TestEntry.file(name, data));
        return copy;
    }
}
