package io.sigil.exchange;

import static io.sigil.testing.Api.asAdmin;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.sigil.content.Blob;
import io.sigil.content.Manifest;
import io.sigil.content.Signature;
import io.sigil.repository.ContentBrowser;
import io.sigil.repository.Repository;
import io.sigil.repository.RepositoryService;
import io.sigil.storage.BlobStore;
import io.sigil.storage.Digest;
import io.sigil.testing.PostgresDatabaseResource;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Exports and imports through the API: a destination mirrors the exported version, signatures of every kind included. */
@QuarkusTest
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.GLOBAL)
class ExchangeRoundTripTest {

    @Inject
    ExchangeFixtures fixtures;
    @Inject
    RepositoryService repositories;
    @Inject
    ContentBrowser browser;
    @Inject
    BlobStore blobStore;

    private Repository sourceWithSignedImages(String name) {
        Repository source = fixtures.repository(name);
        ExchangeFixtures.SignedImage one = fixtures.signedImage("1.0");
        ExchangeFixtures.SignedImage two = fixtures.signedImage("2.0");
        Manifest list = fixtures.list(one.manifest(), two.manifest());
        Set<Long> ids = new HashSet<>(one.ids());
        ids.addAll(two.ids());
        ids.add(fixtures.tag("latest", list).id);
        fixtures.add(source, ids);
        return source;
    }

    /** Natural keys of everything in the latest version: comparable across repositories and instances. */
    private Set<String> contentOf(String repositoryName) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Repository r = repositories.findByName(repositoryName).orElseThrow();
            Set<Long> ids = browser.unitIds(r, r.latestVersion);
            Set<String> keys = new TreeSet<>();
            Blob.<Blob>list("id in ?1", ids).forEach(b -> keys.add("blob " + b.digest));
            Manifest.<Manifest>list("id in ?1", ids).forEach(m -> keys.add("manifest " + m.digest));
            io.sigil.content.Tag.<io.sigil.content.Tag>list("id in ?1", ids).forEach(t -> keys.add("tag " + t.name + " " + t.manifest.digest));
            Signature.<Signature>list("id in ?1", ids).forEach(s -> keys.add("signature " + s.type + " " + s.signedDigest + " " + s.digest));
            return keys;
        });
    }

    private int latestVersion(String name) {
        return QuarkusTransaction.requiringNew().call(() -> repositories.findByName(name).orElseThrow().latestVersion);
    }

    @Test
    void anImportMirrorsTheExportedVersionWithEverySignatureAndReimportingChangesNothing() throws Exception {
        String name = "vendor/app-" + UUID.randomUUID();
        Repository source = sourceWithSignedImages(name);
        Path toc = ExchangeApi.export(ExchangeApi.exporter(ExchangeApi.freshDirectory(), source.href()), Map.of());

        // Blobs gone from storage are streamed back from the archive and verified.
        Set<String> before = contentOf(name);
        List<String> blobDigests = before.stream().filter(k -> k.startsWith("blob ")).map(k -> k.substring(5)).toList();
        for (String digest : blobDigests) {
            blobStore.delete(Digest.parse(digest));
        }
        String destination = "mirror/app-" + UUID.randomUUID();
        String importer = ExchangeApi.importer(Map.of(name, destination));
        JsonPath task = ExchangeApi.importCompleted(importer, toc, true);

        assertEquals(before, contentOf(destination));
        assertEquals(1, latestVersion(destination));
        assertEquals(blobDigests.size(), task.getInt("result.blobs.stored"));
        assertEquals(2 * 2, before.stream().filter(k -> k.startsWith("signature ")).count());
        for (String digest : blobDigests) {
            assertTrue(blobStore.exists(Digest.parse(digest)), digest);
        }
        assertTrue(task.getList("created_resources").get(0).toString().endsWith("/versions/1/"));

        JsonPath again = ExchangeApi.importCompleted(importer, toc, false);
        assertEquals("unchanged", again.getString("result.repositories.'" + name + "'.version"));
        assertEquals(1, latestVersion(destination));
    }

    @Test
    void theDestinationLosesWhatTheExportedVersionNoLongerHolds() throws Exception {
        String name = "app-" + UUID.randomUUID();
        Repository source = sourceWithSignedImages(name);
        String destination = "dest-" + UUID.randomUUID();
        Repository dest = fixtures.repository(destination);
        fixtures.add(dest, fixtures.signedImage("local-only").ids());
        Path toc = ExchangeApi.export(ExchangeApi.exporter(ExchangeApi.freshDirectory(), source.href()), Map.of());

        ExchangeApi.importCompleted(ExchangeApi.importer(Map.of(name, destination)), toc, false);

        assertEquals(contentOf(name), contentOf(destination));
        assertEquals(2, latestVersion(destination));
    }

    @Test
    void chunksAreReadAsOneStreamAndEachHasItsChecksum() throws Exception {
        String name = "chunked-" + UUID.randomUUID();
        Repository source = sourceWithSignedImages(name);
        Path toc = ExchangeApi.export(ExchangeApi.exporter(ExchangeApi.freshDirectory(), source.href()),
                Map.of("chunk_size", "4KB"));
        TableOfContents contents = ExchangeApi.toc(toc);
        assertTrue(contents.chunks().size() > 3, () -> contents.chunks().toString());
        assertEquals(4000L, contents.chunkSize());
        for (TableOfContents.Chunk chunk : contents.chunks()) {
            byte[] bytes = Files.readAllBytes(toc.resolveSibling(chunk.file()));
            assertTrue(bytes.length <= 4000);
            assertEquals(Digest.sha256Of(bytes).hex(), chunk.sha256());
        }
        String destination = "chunked-copy-" + UUID.randomUUID();
        ExchangeApi.importCompleted(ExchangeApi.importer(Map.of(name, destination)), toc, true);
        assertEquals(contentOf(name), contentOf(destination));
    }

    @Test
    void anIncrementalExportCarriesOnlyNewBytesButDescribesTheWholeVersion() throws Exception {
        String name = "incremental-" + UUID.randomUUID();
        Repository source = sourceWithSignedImages(name);
        String exporter = ExchangeApi.exporter(ExchangeApi.freshDirectory(), source.href());
        Path first = ExchangeApi.export(exporter, Map.of());
        String destination = "incremental-copy-" + UUID.randomUUID();
        String importer = ExchangeApi.importer(Map.of(name, destination));
        ExchangeApi.importCompleted(importer, first, true);

        ExchangeFixtures.SignedImage added = fixtures.signedImage("3.0");
        fixtures.add(source, added.ids());
        Path second = ExchangeApi.export(exporter, Map.of("full", false));

        Set<String> carried = new TreeSet<>();
        ExchangeApi.toc(second).entries().forEach(e -> carried.add(e.path()));
        Set<String> expected = new TreeSet<>();
        added.blobs().forEach(b -> expected.add(ArchiveFormat.blobPath(b.digest)));
        expected.add(ArchiveFormat.blobPath(added.manifest().digest));
        expected.add(ArchiveFormat.blobPath(added.cosignManifest().digest));
        expected.add(ArchiveFormat.signaturePath(added.atomic().digest));
        expected.add(ArchiveFormat.signaturePath(added.cosign().digest));
        carried.removeIf(p -> p.startsWith("sigil/") && p.endsWith(".json"));
        assertEquals(expected, carried);

        ExchangeApi.importCompleted(importer, second, false);
        assertEquals(contentOf(name), contentOf(destination));
        assertEquals(2, latestVersion(destination));
    }

    @Test
    void anIncrementalArchiveIsRefusedWhereItsBaseWasNeverImported() throws Exception {
        String name = "base-missing-" + UUID.randomUUID();
        Repository source = sourceWithSignedImages(name);
        String exporter = ExchangeApi.exporter(ExchangeApi.freshDirectory(), source.href());
        Path first = ExchangeApi.export(exporter, Map.of());
        fixtures.add(source, fixtures.signedImage("4.0").ids());
        Path second = ExchangeApi.export(exporter, Map.of("full", false));
        // Make the first archive's blobs absent, as on an instance that never imported it.
        for (TableOfContents.Entry e : ExchangeApi.toc(first).entries()) {
            if (e.path().startsWith(ArchiveFormat.BLOB_DIR)) {
                blobStore.delete(new Digest("sha256", e.path().substring(ArchiveFormat.BLOB_DIR.length())));
            }
        }
        String destination = "never-" + UUID.randomUUID();
        JsonPath task = ExchangeApi.importArchive(ExchangeApi.importer(Map.of(name, destination)), second, true);
        assertEquals("failed", task.getString("state"));
        assertTrue(task.getString("error.description").contains("import the earlier archives"), task.prettify());
        assertTrue(QuarkusTransaction.requiringNew().call(() -> repositories.findByName(destination).isEmpty()));
    }

    @Test
    void anImportWhoseMappingNamesNoRepositoryOfTheArchiveFailsAndCreatesNothing() throws Exception {
        String name = "mapped-" + UUID.randomUUID();
        Path toc = ExchangeApi.export(ExchangeApi.exporter(ExchangeApi.freshDirectory(), sourceWithSignedImages(name).href()), Map.of());
        String typo = name + "-typo";
        JsonPath task = ExchangeApi.importArchive(ExchangeApi.importer(Map.of(typo, "elsewhere-" + UUID.randomUUID())), toc, true);
        assertEquals("failed", task.getString("state"));
        assertTrue(task.getString("error.description").contains("[" + typo + "], which the archive does not carry"), task.prettify());
        assertEquals(0, task.getList("created_resources").size(), task.prettify());
    }

    @Test
    void anOciLayoutAndALookasideTreeLetOtherToolsReadTheArchive() throws Exception {
        String name = "layout-" + UUID.randomUUID();
        Repository source = sourceWithSignedImages(name);
        Path toc = ExchangeApi.export(ExchangeApi.exporter(ExchangeApi.freshDirectory(), source.href()),
                Map.of("oci_layout", true));
        Map<String, byte[]> entries = ArchiveTestFiles.entries(toc);
        assertEquals("{\"imageLayoutVersion\":\"1.0.0\"}", new String(entries.get("oci-layout")));
        JsonPath index = new JsonPath(new String(entries.get("index.json")));
        List<String> refs = index.getList("manifests.annotations.'org.opencontainers.image.ref.name'");
        assertTrue(refs.containsAll(List.of(name + ":1.0", name + ":2.0", name + ":latest")), refs.toString());
        for (String digest : index.<String>getList("manifests.digest")) {
            assertTrue(entries.containsKey(ArchiveFormat.blobPath(digest)), digest);
        }
        Set<Signature> atomic = new HashSet<>(QuarkusTransaction.requiringNew().call(() ->
                Signature.<Signature>list("type = 'atomic' and id in ?1", browser.unitIds(Repository.findById(source.id), 1))));
        assertEquals(2, atomic.size());
        for (Signature s : atomic) {
            byte[] lookaside = entries.get(ArchiveFormat.lookasidePath(name, s.signedDigest, 1));
            assertArrayEquals(s.data, lookaside);
            assertFalse(entries.containsKey(ArchiveFormat.lookasidePath(name, s.signedDigest, 2)));
        }
    }

    @Test
    void theExportRecordListsItsFilesAndVersions() throws Exception {
        Repository source = sourceWithSignedImages("record-" + UUID.randomUUID());
        String exporter = ExchangeApi.exporter(ExchangeApi.freshDirectory(), source.href());
        Path toc = ExchangeApi.export(exporter, Map.of("chunk_size", "1MB"));
        JsonPath export = asAdmin().get(exporter + "exports/").then().statusCode(200).extract().jsonPath();
        assertEquals(1, export.getInt("count"));
        assertEquals(List.of(source.href() + "versions/1/"), export.getList("results[0].exported_resources"));
        assertEquals(toc.toString(), export.getString("results[0].toc_info.file"));
        assertEquals(Digest.sha256Of(Files.readAllBytes(toc)).hex(), export.getString("results[0].toc_info.sha256"));
        Map<String, String> files = export.getMap("results[0].output_file_info");
        for (Map.Entry<String, String> file : files.entrySet()) {
            try (InputStream in = Files.newInputStream(Path.of(file.getKey()))) {
                assertEquals(Digest.sha256Of(in.readAllBytes()).hex(), file.getValue());
            }
        }
        assertEquals(export.getString("results[0].pulp_href"),
                asAdmin().get(exporter).then().statusCode(200).extract().path("last_export"));
    }

    @Test
    void signaturesTravelWithTheirVerdictsAndTheKeysTrustedAtExport() throws Exception {
        String armored = new String(io.sigil.signature.OpenPgpSigner.armoredPublicKey(ExchangeFixtures.KEY_RING));
        asAdmin().contentType(io.restassured.http.ContentType.JSON)
                .body(Map.of("name", "exchange-" + UUID.randomUUID(), "type", "openpgp", "public_key", armored))
                .post("/pulp/api/v3/trusted-keys/").then().statusCode(201);
        String name = "verdicts-" + UUID.randomUUID();
        Repository source = fixtures.repository(name);
        ExchangeFixtures.SignedImage image = fixtures.signedImage("1.0");
        fixtures.add(source, image.ids());
        Path toc = ExchangeApi.export(ExchangeApi.exporter(ExchangeApi.freshDirectory(), source.href()), Map.of());

        Map<String, byte[]> entries = ArchiveTestFiles.entries(toc);
        JsonPath signatures = new JsonPath(new String(entries.get(ArchiveFormat.SIGNATURES)));
        String fingerprint = signatures.getString("find { it.type == 'atomic' }.verdict.key_identity");
        assertEquals("VALID", signatures.getString("find { it.type == 'atomic' }.verdict.state"));
        assertEquals(List.of(fingerprint), new JsonPath(new String(entries.get(ArchiveFormat.TRUSTED_KEYS))).getList("fingerprint"));

        // An archive naming a key this Sigil does not trust says so in the import result.
        String keys = new String(entries.get(ArchiveFormat.TRUSTED_KEYS)).replace("]",
                ",{\"name\":\"vendor\",\"type\":\"openpgp\",\"fingerprint\":\"" + "AB".repeat(20) + "\"}]");
        List<ArchiveTestFiles.TestEntry> changed = new java.util.ArrayList<>(ArchiveTestFiles.fileEntries(toc));
        changed.replaceAll(e -> e.name().equals(ArchiveFormat.TRUSTED_KEYS) ? ArchiveTestFiles.TestEntry.file(e.name(), keys.getBytes()) : e);
        Path directory = ExchangeApi.freshDirectory();
        Path rewritten = ArchiveTestFiles.writeToc(directory, ArchiveTestFiles.write(directory, changed));
        JsonPath task = ExchangeApi.importCompleted(ExchangeApi.importer(Map.of(name, "verdicts-copy-" + UUID.randomUUID())),
                rewritten, true);
        assertEquals(List.of("openpgp " + "AB".repeat(20) + " (vendor)"), task.getList("result.keys_not_trusted_here"));
    }

    @Test
    void aSignatureThatDoesNotSignItsManifestIsReportedAndLeftOut() throws Exception {
        String name = "refused-" + UUID.randomUUID();
        Repository source = fixtures.repository(name);
        ExchangeFixtures.SignedImage one = fixtures.signedImage("1.0");
        ExchangeFixtures.SignedImage two = fixtures.signedImage("2.0");
        Set<Long> ids = new HashSet<>(one.ids());
        ids.addAll(two.ids());
        fixtures.add(source, ids);
        Path toc = ExchangeApi.export(ExchangeApi.exporter(ExchangeApi.freshDirectory(), source.href()), Map.of());
        // Claim that image one's atomic signature signs image two.
        String claimed = "\"signed_digest\":\"" + one.manifest().digest + "\",\"digest\":\"" + one.atomic().digest + "\"";
        String lie = claimed.replace(one.manifest().digest, two.manifest().digest);
        List<ArchiveTestFiles.TestEntry> changed = new java.util.ArrayList<>(ArchiveTestFiles.fileEntries(toc));
        changed.replaceAll(e -> e.name().equals(ArchiveFormat.SIGNATURES) || e.name().equals(ArchiveFormat.REPOSITORIES)
                ? ArchiveTestFiles.TestEntry.file(e.name(), new String(e.data()).replace(claimed, lie).getBytes()) : e);
        Path directory = ExchangeApi.freshDirectory();
        Path rewritten = ArchiveTestFiles.writeToc(directory, ArchiveTestFiles.write(directory, changed));

        String destination = "refused-copy-" + UUID.randomUUID();
        JsonPath task = ExchangeApi.importCompleted(ExchangeApi.importer(Map.of(name, destination)), rewritten, true);
        List<Map<String, String>> refused = task.getList("result.signatures.refused");
        assertEquals(1, refused.size(), task.prettify());
        assertEquals(two.manifest().digest, refused.get(0).get("signed_digest"));
        Set<String> expected = new TreeSet<>(contentOf(name));
        expected.remove("signature atomic " + one.manifest().digest + " " + one.atomic().digest);
        assertEquals(expected, contentOf(destination));
    }

    @Test
    void aSignatureByAKeyRevokedSinceTheExportIsReportedAndLeftOut() throws Exception {
        String name = "revoked-" + UUID.randomUUID();
        Repository source = fixtures.repository(name);
        ExchangeFixtures.SignedImage image = fixtures.signedImage("1.0");
        fixtures.add(source, image.ids());
        Path toc = ExchangeApi.export(ExchangeApi.exporter(ExchangeApi.freshDirectory(), source.href()), Map.of());
        String fingerprint = org.bouncycastle.util.encoders.Hex.toHexString(ExchangeFixtures.KEY_RING.getPublicKey().getFingerprint())
                .toUpperCase(java.util.Locale.ROOT);
        io.sigil.testing.Tasks.completed(asAdmin().contentType(io.restassured.http.ContentType.JSON)
                .body(Map.of("key", fingerprint, "reason", "vendor key leaked", "manifests", List.of(image.manifest().digest)))
                .post("/pulp/api/v3/signatures/invalidate/"));
        try {
            String destination = "revoked-copy-" + UUID.randomUUID();
            JsonPath task = ExchangeApi.importCompleted(ExchangeApi.importer(Map.of(name, destination)), toc, true);
            List<Map<String, String>> refused = task.getList("result.signatures.refused");
            assertEquals(1, refused.size(), task.prettify());
            assertEquals(image.atomic().digest, refused.get(0).get("digest"));
            assertTrue(refused.get(0).get("reason").contains("revoked"), refused.get(0).get("reason"));
            assertTrue(contentOf(destination).stream().noneMatch(unit -> unit.startsWith("signature atomic")));
        } finally {
            io.sigil.testing.Revocations.liftAll(); // the other tests sign with the same key
        }
    }

    @Test
    void aRevocationTravelsWithTheArchiveAndItsKeysSignaturesAreSkippedOnImport() throws Exception {
        String name = "revocation-travels-" + UUID.randomUUID();
        Repository source = fixtures.repository(name);
        ExchangeFixtures.SignedImage image = fixtures.signedImage("1.0");
        fixtures.add(source, image.ids());
        String fingerprint = org.bouncycastle.util.encoders.Hex.toHexString(ExchangeFixtures.KEY_RING.getPublicKey().getFingerprint())
                .toUpperCase(java.util.Locale.ROOT);
        // Revoke the key without touching the exported repository: scope the invalidation to a manifest it lacks.
        io.sigil.testing.Tasks.completed(asAdmin().contentType(io.restassured.http.ContentType.JSON)
                .body(Map.of("key", fingerprint, "reason", "vendor key leaked", "manifests", List.of(fixtures.signedImage("x").manifest().digest)))
                .post("/pulp/api/v3/signatures/invalidate/"));
        try {
            Map<String, Object> original = revocationOf(fingerprint);
            Path toc = ExchangeApi.export(ExchangeApi.exporter(ExchangeApi.freshDirectory(), source.href()), Map.of());
            JsonPath listed = new JsonPath(new String(ArchiveTestFiles.entries(toc).get(ArchiveFormat.REVOCATIONS)));
            assertEquals("vendor key leaked", listed.getString("find { it.identity == '" + fingerprint + "' }.reason"));
            assertTrue(contentOf(name).contains("signature atomic " + image.manifest().digest + " " + image.atomic().digest));

            // This side forgets the revocation, as a Sigil behind the gap never heard of it.
            io.sigil.testing.Revocations.liftAll();
            String destination = "revocation-copy-" + UUID.randomUUID();
            JsonPath task = ExchangeApi.importCompleted(ExchangeApi.importer(Map.of(name, destination)), toc, true);

            Map<String, Object> imported = revocationOf(fingerprint);
            assertEquals(List.of(imported.get("pulp_href")), task.getList("result.revocations.added"), task::prettify);
            assertEquals("vendor key leaked", imported.get("reason"));
            assertEquals(original.get("revoked_by"), imported.get("revoked_by"));
            assertEquals(java.time.OffsetDateTime.parse((String) original.get("revoked_at")).toInstant(),
                    java.time.OffsetDateTime.parse((String) imported.get("revoked_at")).toInstant());
            assertTrue(((String) imported.get("note")).contains("imported from " + toc.getFileName()), imported::toString);
            List<Map<String, String>> refused = task.getList("result.signatures.refused");
            assertEquals(1, refused.size(), task.prettify());
            assertEquals(image.atomic().digest, refused.get(0).get("digest"));
            assertTrue(refused.get(0).get("reason").contains("vendor key leaked"), refused.get(0).get("reason"));
            assertTrue(contentOf(destination).stream().noneMatch(unit -> unit.startsWith("signature atomic")));

            // What this Sigil held by the key leaves its repositories too, as the invalidation took it out there.
            JsonPath invalidation = io.sigil.testing.Tasks.await(task.getString("result.revocations.invalidation_task"));
            assertEquals("completed", invalidation.getString("state"), invalidation::prettify);
            assertEquals(List.of(imported.get("pulp_href")), invalidation.getList("result.revoked_keys"));
            assertTrue(invalidation.getLong("result.removed_signatures") >= 1, invalidation::prettify);
            assertFalse(contentOf(name).contains("signature atomic " + image.manifest().digest + " " + image.atomic().digest));
            assertTrue(contentOf(name).contains("manifest " + image.manifest().digest), contentOf(name)::toString);

            // Importing again finds the key listed already and changes nothing.
            JsonPath again = ExchangeApi.importCompleted(ExchangeApi.importer(Map.of(name, destination)), toc, false);
            assertEquals(List.of(), again.getList("result.revocations.added"));
            assertNull(again.get("result.revocations.invalidation_task"));
            assertEquals("unchanged", again.getString("result.repositories.'" + name + "'.version"));
        } finally {
            io.sigil.testing.Revocations.liftAll(); // the other tests sign with the same key
        }
    }

    private static Map<String, Object> revocationOf(String fingerprint) {
        List<Map<String, Object>> keys = asAdmin().queryParam("limit", 1000).get("/pulp/api/v3/revoked-keys/").then().statusCode(200)
                .extract().jsonPath().getList("results");
        return keys.stream().filter(k -> fingerprint.equals(k.get("identity"))).findFirst()
                .orElseThrow(() -> new AssertionError(fingerprint + " is not listed: " + keys));
    }

    @Test
    void aFormat10ArchiveWithoutRevocationsStillImports() throws Exception {
        String name = "format-1.0-" + UUID.randomUUID();
        Repository source = sourceWithSignedImages(name);
        Path toc = ExchangeApi.export(ExchangeApi.exporter(ExchangeApi.freshDirectory(), source.href()), Map.of());
        List<ArchiveTestFiles.TestEntry> old = new java.util.ArrayList<>(ArchiveTestFiles.fileEntries(toc));
        old.removeIf(e -> e.name().equals(ArchiveFormat.REVOCATIONS));
        old.replaceAll(e -> e.name().equals(ArchiveFormat.HEADER) ? ArchiveTestFiles.TestEntry.file(e.name(),
                new String(e.data()).replace("\"1.1\"", "\"1.0\"").replace(",\"" + ArchiveFormat.REVOCATIONS + "\"", "").getBytes()) : e);
        assertFalse(new String(old.get(0).data()).contains("revocations"), new String(old.get(0).data()));
        Path directory = ExchangeApi.freshDirectory();
        TableOfContents written = ArchiveTestFiles.write(directory, old);
        Path rewritten = ArchiveTestFiles.writeToc(directory, new TableOfContents(written.format(), "1.0", written.created(),
                null, written.chunks(), written.entries()));

        String destination = "format-1.0-copy-" + UUID.randomUUID();
        JsonPath task = ExchangeApi.importCompleted(ExchangeApi.importer(Map.of(name, destination)), rewritten, true);
        assertEquals(contentOf(name), contentOf(destination));
        assertEquals(List.of(), task.getList("result.revocations.added"));
    }

    @Test
    void aSignatureCarriedByAnOciReferrerTravelsWithItsCarrier() throws Exception {
        String name = "referrer-" + UUID.randomUUID();
        Repository source = fixtures.repository(name);
        ExchangeFixtures.SignedImage image = fixtures.signedImage("1.0");
        ExchangeFixtures.Referrer referrer = fixtures.referrer(image.manifest());
        Set<Long> ids = new HashSet<>(image.ids());
        ids.addAll(referrer.ids());
        fixtures.add(source, ids);
        Path toc = ExchangeApi.export(ExchangeApi.exporter(ExchangeApi.freshDirectory(), source.href()), Map.of());

        String destination = "referrer-copy-" + UUID.randomUUID();
        ExchangeApi.importCompleted(ExchangeApi.importer(Map.of(name, destination)), toc, true);
        Set<String> copied = contentOf(destination);
        assertEquals(contentOf(name), copied);
        assertTrue(copied.contains("manifest " + referrer.manifest().digest), copied::toString);
        String carrier = QuarkusTransaction.requiringNew().call(() -> {
            Repository r = repositories.findByName(destination).orElseThrow();
            Signature s = Signature.<Signature>find("id in ?1 and digest = ?2", browser.unitIds(r, r.latestVersion),
                    referrer.signature().digest).firstResult();
            return s.carrierManifest == null ? null : s.carrierManifest.digest;
        });
        assertEquals(referrer.manifest().digest, carrier);
    }
}
