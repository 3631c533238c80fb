package io.sigil.lifecycle;

import static io.sigil.testing.Api.asAdmin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.sigil.common.Sql;
import io.sigil.content.Blob;
import io.sigil.content.ContentStore;
import io.sigil.content.ContentUnit;
import io.sigil.content.Manifest;
import io.sigil.content.ManifestParser;
import io.sigil.content.MissingContentException;
import io.sigil.content.Signature;
import io.sigil.content.Tag;
import io.sigil.repository.Repository;
import io.sigil.repository.RepositoryService;
import io.sigil.repository.VersionChange;
import io.sigil.repository.VersionWriter;
import io.sigil.signature.OpenPgpSigner;
import io.sigil.storage.BlobStore;
import io.sigil.storage.Digest;
import io.sigil.testing.PostgresDatabaseResource;
import io.sigil.testing.Tasks;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Orphan clean-up: what goes, what stays, files on disk, and clean-up racing with content being reused. */
@QuarkusTest
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.GLOBAL)
class OrphanCleanupTest {

    static final String CLEANUP = "/pulp/api/v3/orphans/cleanup/";
    static final int OLD = 120;

    @Inject
    LifecycleFixtures fixtures;
    @Inject
    ContentStore store;
    @Inject
    BlobStore blobs;
    @Inject
    VersionWriter writer;
    @Inject
    RepositoryService repositories;
    @Inject
    jakarta.persistence.EntityManager em;

    static JsonPath cleanup(Long protectionMinutes) {
        Map<String, Object> body = protectionMinutes == null ? Map.of() : Map.of("orphan_protection_time", protectionMinutes);
        return Tasks.completed(asAdmin().contentType(ContentType.JSON).body(body).post(CLEANUP));
    }

    /** An image (two blobs with files, a manifest), tagged and signed; returns every unit, blobs first. */
    private List<ContentUnit> signedImage(String tag) {
        Blob config = fixtures.blob(), layer = fixtures.blob();
        Manifest m = fixtures.image(null, config, layer);
        Tag t = QuarkusTransaction.requiringNew().call(() -> store.tag(tag, Manifest.findById(m.id)));
        Signature s = fixtures.atomic(m, new OpenPgpSigner(InvalidationTest.other().getSecretKey(), null));
        return List.of(config, layer, m, t, s);
    }

    private void assertGone(List<? extends ContentUnit> units) {
        for (ContentUnit u : units) {
            assertFalse(fixtures.exists(u), () -> u.type() + " " + u.id + " should be gone");
            if (u instanceof Blob b) {
                assertFalse(Files.exists(fixtures.file(b.digest)), "its file is deleted from storage");
            }
        }
    }

    private void assertKept(List<? extends ContentUnit> units) {
        for (ContentUnit u : units) {
            assertTrue(fixtures.exists(u), () -> u.type() + " " + u.id + " should be kept");
            if (u instanceof Blob b) {
                assertTrue(Files.exists(fixtures.file(b.digest)), "its file stays");
            }
        }
    }

    @Test
    void oldOrphansGoWithTheirFilesWhileHeldAndRecentContentStays() {
        List<ContentUnit> held = signedImage("held"), old = signedImage("old"), recent = signedImage("recent");
        Repository repo = fixtures.repository("gc");
        fixtures.add(repo, held.get(3), held.get(4));
        fixtures.age(OLD, held.toArray(ContentUnit[]::new));
        fixtures.age(OLD, old.toArray(ContentUnit[]::new));

        JsonPath task = cleanup(null);

        assertGone(old);
        assertKept(held);
        assertKept(recent);
        assertEquals(60, task.getLong("result.orphan_protection_time"));
        assertTrue(task.getLong("result.deleted.'container.blob'") >= 2);
        assertTrue(task.getLong("result.blob_files_deleted") >= 2);
        assertTrue(task.getLong("result.bytes_freed") > 0);
        assertTrue(task.getList("reserved_resources_record").contains("orphans"));
    }

    @Test
    void referrersWaitForTheirSubjectAndGoWithIt() {
        Manifest subject = fixtures.image();
        Repository repo = fixtures.repository("gc");
        fixtures.add(repo, subject);
        Blob sbomLayer = fixtures.blob();
        Manifest referrerOfHeld = fixtures.image(subject, fixtures.blob(), sbomLayer);
        List<ContentUnit> orphanImage = signedImage("gone");
        Manifest orphan = (Manifest) orphanImage.get(2);
        Blob attachmentLayer = fixtures.blob();
        Manifest referrerOfOrphan = fixtures.image(orphan, fixtures.blob(), attachmentLayer);
        fixtures.age(OLD, referrerOfHeld, sbomLayer, referrerOfOrphan, attachmentLayer);
        fixtures.age(OLD, orphanImage.toArray(ContentUnit[]::new));

        cleanup(60L);

        assertKept(List.of(referrerOfHeld, sbomLayer));
        assertGone(orphanImage);
        assertGone(List.of(referrerOfOrphan, attachmentLayer));
    }

    @Test
    void retentionAndDeletedVersionsReleaseTheirContent() {
        Repository retained = repositories.create("gc/retain-" + UUID.randomUUID(), null, 1);
        List<ContentUnit> first = signedImage("latest"), second = signedImage("latest");
        fixtures.add(retained, first.get(3), first.get(4));
        fixtures.add(retained, second.get(3), second.get(4)); // the tag moves; the first image stays
        fixtures.write(retained, VersionChange.removing(Set.of(first.get(2).id)));
        Repository history = fixtures.repository("gc");
        List<ContentUnit> removed = signedImage("removed");
        fixtures.add(history, removed.get(3), removed.get(4));
        fixtures.write(history, VersionChange.removing(Set.of(removed.get(2).id)));
        for (List<ContentUnit> image : List.of(first, second, removed)) {
            fixtures.age(OLD, image.toArray(ContentUnit[]::new));
        }

        cleanup(60L);
        assertGone(first); // only the versions retention dropped held it
        assertKept(second);
        assertKept(removed); // version 1 of history still holds it

        repositories.deleteVersion(history.pulpId, 1);
        cleanup(60L);
        assertGone(removed);
    }

    @Test
    void filesNoUnitNamesGoOnceOldEnough() throws Exception {
        Digest stray = blobs.put(("stray " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8));
        Digest fresh = blobs.put(("fresh " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8));
        fixtures.ageFile(stray.toString(), OLD);

        cleanup(60L);

        assertFalse(Files.exists(fixtures.file(stray.toString())));
        assertTrue(Files.exists(fixtures.file(fresh.toString())), "an upload whose unit is not created yet keeps its file");
    }

    private record Image(byte[] config, byte[] layer, byte[] manifest) {
        Digest configDigest() {
            return Digest.sha256Of(config);
        }

        Digest layerDigest() {
            return Digest.sha256Of(layer);
        }
    }

    /** Stores an image again as a push or sync does: uploads its blobs, then one transaction for units and version. */
    private void push(Image image, Repository repo, String tag) throws Exception {
        blobs.put(image.config());
        blobs.put(image.layer());
        QuarkusTransaction.requiringNew().run(() -> {
            store.blob(image.configDigest(), image.config().length);
            store.blob(image.layerDigest(), image.layer().length);
            Manifest m = store.manifest(image.manifest(), ManifestParser.parse(image.manifest(), null));
            writer.write(repo.id, VersionChange.adding(Set.of(store.tag(tag, m).id)), null);
        });
    }

    private boolean stored(String digest) {
        return QuarkusTransaction.requiringNew().call(() ->
                Blob.count("digest", digest) + Manifest.count("digest", digest) > 0);
    }

    @Test
    void cleanupRacingWithPushesThatReuseOrphansLosesNothingInUse() throws Exception {
        int count = 240;
        List<Image> images = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Blob config = fixtures.blob(), layer = fixtures.blob();
            Manifest m = fixtures.image(null, config, layer);
            images.add(new Image(Files.readAllBytes(fixtures.file(config.digest)), Files.readAllBytes(fixtures.file(layer.digest)), m.data));
            fixtures.age(OLD, config, layer, m);
        }
        List<Repository> repos = List.of(fixtures.repository("race"), fixtures.repository("race"), fixtures.repository("race"));
        ExecutorService pushers = Executors.newFixedThreadPool(repos.size());
        List<Future<?>> pushes = new ArrayList<>();
        for (int t = 0; t < repos.size(); t++) {
            int thread = t;
            pushes.add(pushers.submit(() -> {
                for (int i = 2 * thread; i < count; i += 2 * repos.size()) { // every other image is reused
                    push(images.get(i), repos.get(thread), "tag-" + i);
                }
                return null;
            }));
        }
        int runs = 0;
        try {
            while (pushes.stream().anyMatch(f -> !f.isDone()) || runs < 2) {
                cleanup(60L);
                runs++;
            }
            for (Future<?> push : pushes) {
                push.get(); // a push that lost a race would throw here
            }
        } finally {
            pushers.shutdownNow();
        }
        cleanup(60L);

        for (int i = 0; i < count; i++) {
            Image image = images.get(i);
            boolean reused = i % 2 == 0;
            String manifestDigest = Digest.sha256Of(image.manifest()).toString();
            for (String digest : List.of(image.configDigest().toString(), image.layerDigest().toString())) {
                assertEquals(reused, stored(digest), "blob unit of image " + i);
                assertEquals(reused, Files.exists(fixtures.file(digest)), "blob file of image " + i);
            }
            assertEquals(reused, stored(manifestDigest), "manifest of image " + i);
        }
        for (Repository repo : repos) {
            assertEquals(count / (2 * repos.size()), QuarkusTransaction.requiringNew().call(() ->
                    Tag.count("id in ?1", fixtures.latest(repo))), "every push is in its repository");
        }
    }

    /**
     * Runs clean-up's locking step on one unit in another thread, as a batch would, and deletes the unit half a second
     * later; returns once the unit is locked. Meanwhile the caller plays a push.
     */
    private Future<?> deleteWhileLocked(OrphanKind kind, ContentUnit unit, ExecutorService executor) throws InterruptedException {
        CountDownLatch locked = new CountDownLatch(1);
        Future<?> deletion = executor.submit(() -> QuarkusTransaction.requiringNew().run(() -> Sql.with(em, sql -> {
            assertEquals(List.of(unit.id), sql.query(kind.lockUnused(), rs -> rs.getLong(1), sql.ids(List.of(unit.id))));
            locked.countDown();
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return sql.update("DELETE FROM content WHERE id = ?", unit.id);
        })));
        assertTrue(locked.await(10, TimeUnit.SECONDS));
        return deletion;
    }

    @Test
    void aManifestLinkingToABlobBeingDeletedIsToldTheBlobIsMissing() throws Exception {
        Blob doomed = fixtures.blob(), layer = fixtures.blob();
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            Future<?> deletion = deleteWhileLocked(OrphanKind.BLOB, doomed, executor);
            MissingContentException e = assertThrows(MissingContentException.class, () -> fixtures.image(null, doomed, layer));
            assertEquals(List.of(doomed.digest), e.missing());
            deletion.get();
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void aPushReusingABlobBeingDeletedStoresItAfresh() throws Exception {
        Blob reused = fixtures.blob(), layer = fixtures.blob();
        byte[] bytes = Files.readAllBytes(fixtures.file(reused.digest));
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            Future<?> deletion = deleteWhileLocked(OrphanKind.BLOB, reused, executor);
            Manifest pushed = QuarkusTransaction.requiringNew().call(() -> {
                Blob again = store.blob(Digest.sha256Of(bytes), bytes.length);
                String json = LifecycleFixtures.imageJson(null, again, List.of(LifecycleFixtures.layer(layer,
                        "application/vnd.oci.image.layer.v1.tar+gzip", null)));
                byte[] data = json.getBytes(StandardCharsets.UTF_8);
                return store.manifest(data, ManifestParser.parse(data, null));
            });
            deletion.get();
            assertTrue(stored(reused.digest), "the push created the blob unit again");
            assertTrue(fixtures.exists(pushed));
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void theProtectionTimeMustBeInRange() {
        asAdmin().contentType(ContentType.JSON).body(Map.of("orphan_protection_time", -1)).post(CLEANUP)
                .then().statusCode(400);
    }
}
