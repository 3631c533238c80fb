package io.sigil.sync;

import static io.restassured.RestAssured.given;
import static io.sigil.sync.SyncTesting.latestVersion;
import static io.sigil.sync.SyncTesting.remote;
import static io.sigil.sync.SyncTesting.repository;
import static io.sigil.testing.Api.asAdmin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.sigil.content.ContentStore;
import io.sigil.storage.BlobStore;
import io.sigil.storage.Digest;
import io.sigil.testing.DockerRegistryServer;
import io.sigil.testing.OciLayout;
import io.sigil.testing.PostgresDatabaseResource;
import io.sigil.testing.SigningSkopeo;
import io.sigil.testing.StaticHttpServer;
import io.sigil.testing.Tasks;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Orphan clean-up with no protection time racing a sync from the real docker-registry, and pulls racing clean-up.
 * While the sync runs, what it downloaded and what it reuses must survive: clean-up spares whatever is newer than the
 * start of the oldest running task, and the sync holds the units it reuses. The sync is also stopped, on purpose,
 * between its downloads and its write (a row it must read is locked) while a clean-up runs in full.
 */
@QuarkusTest
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.GLOBAL)
class SyncRacingOrphanCleanupTest {

    static final String CLEANUP = "/pulp/api/v3/orphans/cleanup/";
    static final int IMAGES = 6;

    static DockerRegistryServer registry;
    static SigningSkopeo skopeo;
    static StaticHttpServer lookaside;
    static OciLayout layout;

    @Inject
    BlobStore blobs;
    @Inject
    ContentStore store;

    @BeforeAll
    static void upstream() throws Exception {
        registry = new DockerRegistryServer();
        skopeo = new SigningSkopeo();
        lookaside = new StaticHttpServer(skopeo.lookaside());
        layout = new OciLayout(Files.createTempDirectory("race-layout"), 77);
    }

    @AfterAll
    static void stop() {
        lookaside.close();
        skopeo.close();
        registry.close();
    }

    private static JsonPath cleanup() {
        return Tasks.completed(asAdmin().contentType(ContentType.JSON).body(Map.of("orphan_protection_time", 0)).post(CLEANUP));
    }

    private static Connection database() throws Exception {
        var config = ConfigProvider.getConfig();
        Connection c = DriverManager.getConnection(config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getValue("quarkus.datasource.username", String.class),
                config.getOptionalValue("quarkus.datasource.password", String.class).orElse(""));
        c.setAutoCommit(false);
        return c;
    }

    private static byte[] layoutBlob(String digest) throws Exception {
        return Files.readAllBytes(layout.dir().resolve("blobs/sha256").resolve(digest.substring("sha256:".length())));
    }

    private static RequestSpecification puller(String name) {
        String token = given().auth().preemptive().basic("admin", "password")
                .queryParam("scope", "repository:" + name + ":pull").get("/token").then().statusCode(200).extract().path("token");
        return given().header("Authorization", "Bearer " + token);
    }

    /** The blob digests (config and layers) of the images the distribution serves under {@code tags}. */
    private static Set<String> blobsOf(String name, List<String> tags) throws Exception {
        Set<String> digests = new LinkedHashSet<>();
        RequestSpecification pull = puller(name);
        for (String tag : tags) {
            String body = pull.accept(OciLayout.MANIFEST).get("/v2/" + name + "/manifests/" + tag)
                    .then().statusCode(200).extract().asString();
            JsonNode manifest = new ObjectMapper().readTree(body);
            digests.add(manifest.path("config").path("digest").asText());
            manifest.path("layers").forEach(l -> digests.add(l.path("digest").asText()));
        }
        return digests;
    }

    /** 200 with exactly the bytes of the digest, or a clean 404 with a registry error when allowed; never anything else. */
    private static boolean pullBlob(RequestSpecification pull, String name, String digest, boolean mayBeGone) {
        Response r = pull.get("/v2/" + name + "/blobs/" + digest);
        if (r.statusCode() == 404 && mayBeGone) {
            assertEquals("BLOB_UNKNOWN", r.jsonPath().getString("errors[0].code"), r.asString());
            return false;
        }
        assertEquals(200, r.statusCode(), digest + ": " + r.asString());
        assertEquals(digest, Digest.sha256Of(r.asByteArray()).toString(), "the bytes served for " + digest);
        return true;
    }

    @Test
    void aSyncRacingCleanupsKeepsEverythingItWritesAndPullsSeeContentOrA404() throws Exception {
        String name = "race-" + UUID.randomUUID().toString().substring(0, 8);
        List<OciLayout.Blob> images = new ArrayList<>();
        for (int i = 0; i < IMAGES; i++) {
            images.add(layout.taggedImage(name + "-" + i, 3));
            skopeo.copy("oci:" + layout.dir() + ":" + name + "-" + i, "docker://" + registry.host() + "/" + name + ":v" + i, true);
        }
        JsonNode first = new ObjectMapper().readTree(images.get(0).bytes());
        // A blob the sync will reuse, its unit locked below as clean-up locks what it deletes, so the sync waits there.
        String held = first.path("layers").get(0).path("digest").asText();
        // An orphan's file, old, that the sync finds in storage and must keep from clean-up until its version names it.
        String oldOrphanFile = first.path("layers").get(1).path("digest").asText();
        storeBlobUnit(held);
        Path orphan = blobs.file(blobs.put(layoutBlob(oldOrphanFile))).orElseThrow();
        Files.setLastModifiedTime(orphan, FileTime.from(Instant.now().minus(3, ChronoUnit.HOURS)));

        String repository = repository();
        String remote = remote(Map.of("url", registry.baseUrl(), "upstream_name", name, "sigstore", lookaside.baseUrl(),
                "verify_with", List.of(skopeo.armoredPublicKey())));
        AtomicBoolean syncing = new AtomicBoolean(true);
        AtomicInteger cleanups = new AtomicInteger();
        ExecutorService background = Executors.newSingleThreadExecutor();
        try (Connection lock = database()) {
            lockBlobUnit(lock, held);
            String task = asAdmin().contentType(ContentType.JSON).body(Map.of("remote", remote, "mirror", false))
                    .post(repository + "sync/").then().statusCode(202).extract().path("task");
            Future<?> racing = background.submit(() -> {
                while (syncing.get()) {
                    cleanup();
                    cleanups.incrementAndGet();
                }
                return null;
            });
            awaitSyncWaitingOnTheLock();
            int before = cleanups.get();
            while (cleanups.get() < before + 2) { // at least one clean-up ran entirely while the sync was held
                Thread.sleep(50);
            }
            lock.rollback();
            JsonPath sync = Tasks.await(task);
            syncing.set(false);
            racing.get();
            assertEquals("completed", sync.getString("state"), sync.prettify());
        } finally {
            background.shutdownNow();
        }
        assertTrue(cleanups.get() >= 2, "clean-ups ran during the sync");

        String version = latestVersion(repository);
        asAdmin().contentType(ContentType.JSON).body(Map.of("name", name, "base_path", name, "repository", repository))
                .post("/pulp/api/v3/distributions/container/container/").then().statusCode(201);
        List<String> tags = new ArrayList<>();
        for (int i = 0; i < IMAGES; i++) {
            tags.add("v" + i);
        }
        Set<String> digests = blobsOf(name, tags);
        assertTrue(digests.contains(held) && digests.contains(oldOrphanFile));
        RequestSpecification pull = puller(name);
        digests.forEach(d -> pullBlob(pull, name, d, false));

        cleanup();
        assertEquals(version, latestVersion(repository));
        digests.forEach(d -> pullBlob(pull, name, d, false)); // clean-up took nothing of the version

        pullsRacingCleanupSeeContentOrA404(repository, version, name, digests);
    }

    /** The repository drops everything (a new version, the synced one deleted) while pullers pull and clean-ups delete: each pull is whole or a 404. */
    private void pullsRacingCleanupSeeContentOrA404(String repository, String synced, String name, Set<String> digests)
            throws Exception {
        AtomicBoolean pulling = new AtomicBoolean(true);
        AtomicInteger served = new AtomicInteger();
        AtomicInteger gone = new AtomicInteger();
        ExecutorService pullers = Executors.newFixedThreadPool(2);
        List<Future<?>> pulls = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            pulls.add(pullers.submit(() -> {
                RequestSpecification pull = puller(name);
                while (pulling.get()) {
                    for (String digest : digests) {
                        (pullBlob(pull, name, digest, true) ? served : gone).incrementAndGet();
                    }
                }
                return null;
            }));
        }
        try {
            Thread.sleep(200);
            Tasks.completed(asAdmin().contentType(ContentType.JSON).body(Map.of("remove_content_units", List.of("*")))
                    .post(repository + "modify/"));
            Tasks.completed(asAdmin().delete(synced)); // nothing holds the synced content any more
            awaitNoOtherTask(); // a task still running (from another test) would rightly make clean-up spare it
            for (int i = 0; i < 3; i++) {
                cleanup();
            }
            pulling.set(false);
            for (Future<?> f : pulls) {
                f.get(); // a broken pull fails its assertion in the puller
            }
        } finally {
            pullers.shutdownNow();
        }
        assertTrue(served.get() > 0 && gone.get() > 0, "served " + served + ", gone " + gone);
        for (String digest : digests) {
            assertTrue(blobs.file(Digest.parse(digest)).isEmpty(), "clean-up freed " + digest + " " + diagnose(digest));
        }
    }

    private static String diagnose(String digest) {
        try (Connection c = database()) {
            PreparedStatement ps = c.prepareStatement("SELECT c.id, c.timestamp_of_interest, now(), "
                    + "(SELECT count(*) FROM repository_content rc WHERE rc.content_id = c.id), "
                    + "(SELECT string_agg(m.digest || ' ' || m.id || ' ' || mc.timestamp_of_interest || ' rc=' || (SELECT count(*) FROM repository_content r2 WHERE r2.content_id = m.id), ',') FROM manifest_blob mb JOIN manifest m ON m.id = mb.manifest_id JOIN content mc ON mc.id = m.id WHERE mb.blob_id = c.id) "
                    + "FROM blob b JOIN content c ON c.id = b.id WHERE b.digest = ?");
            ps.setString(1, digest);
            ResultSet rs = ps.executeQuery();
            return rs.next() ? rs.getString(1) + " " + rs.getString(2) + " now " + rs.getString(3) + " rc " + rs.getString(4) + " m " + rs.getString(5) : "no row";
        } catch (Exception e) {
            return e.toString();
        }
    }

    private static void awaitNoOtherTask() throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            if (asAdmin().queryParam("state__in", "waiting,running").get("/pulp/api/v3/tasks/").then().statusCode(200)
                    .extract().jsonPath().getInt("count") == 0) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("tasks kept running");
    }

    private void storeBlobUnit(String digest) throws Exception {
        byte[] bytes = layoutBlob(digest);
        blobs.put(bytes);
        QuarkusTransaction.requiringNew().run(() -> store.blob(Digest.parse(digest), bytes.length));
    }

    private static void lockBlobUnit(Connection c, String digest) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM blob WHERE digest = ? FOR UPDATE")) {
            ps.setString(1, digest);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), "the reused blob unit exists");
            }
        }
    }

    /** Until the sync, its blobs downloaded, waits for the blob row this test holds. */
    private static void awaitSyncWaitingOnTheLock() throws Exception {
        // Its own connection, autocommit: within one transaction pg_stat_activity would show one frozen snapshot.
        try (Connection c = database()) {
            c.setAutoCommit(true);
            awaitWaiter(c);
        }
    }

    private static void awaitWaiter(Connection c) throws Exception {
        for (int i = 0; i < 1200; i++) {
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                    + "AND query LIKE 'SELECT digest, id FROM blob WHERE digest = ANY%'");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getInt(1) > 0) {
                    return;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the sync never reached its write");
    }
}
