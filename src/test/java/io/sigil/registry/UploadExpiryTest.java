package io.sigil.registry;

import static io.restassured.RestAssured.given;
import static io.sigil.registry.RegistryTestClient.admin;
import static io.sigil.testing.Api.asAdmin;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.sigil.common.Sql;
import io.sigil.storage.Digest;
import io.sigil.testing.PostgresDatabaseResource;
import io.sigil.testing.Tasks;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Orphan clean-up drops upload sessions, upload bytes no session names and pending blob links older than the upload
 * expiry (7 days by default).
 */
@QuarkusTest
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.GLOBAL)
class UploadExpiryTest {

    @Inject
    EntityManager em;

    @ConfigProperty(name = "sigil.storage.path")
    String storage;

    private static JsonPath cleanup() {
        return Tasks.completed(asAdmin().contentType(ContentType.JSON).body(Map.of("orphan_protection_time", 60))
                .post("/pulp/api/v3/orphans/cleanup/"));
    }

    /** POSTs a session and PATCHes {@code bytes} into it; returns its id. */
    private static String startedUpload(String name, byte[] bytes) {
        String id = admin(name).post("/v2/" + name + "/blobs/uploads/").then().statusCode(202).extract().header("Docker-Upload-UUID");
        admin(name).contentType("application/octet-stream").body(bytes).patch("/v2/" + name + "/blobs/uploads/" + id)
                .then().statusCode(202);
        return id;
    }

    private int update(String statement, Object... params) {
        return QuarkusTransaction.requiringNew().call(() -> Sql.with(em, sql -> sql.update(statement, params)));
    }

    private boolean sessionExists(String id) {
        return QuarkusTransaction.requiringNew().call(() -> Sql.with(em, sql -> !sql.query(
                "SELECT 1 FROM registry_upload WHERE id = ?", rs -> 1, UUID.fromString(id)).isEmpty()));
    }

    private boolean blobUnitExists(String digest) {
        return QuarkusTransaction.requiringNew().call(() -> Sql.with(em, sql -> !sql.query(
                "SELECT 1 FROM blob WHERE digest = ?", rs -> 1, digest).isEmpty()));
    }

    private Path blobFile(String digest) {
        Digest d = Digest.parse(digest);
        return Path.of(storage, "blobs", d.algorithm(), d.hex().substring(0, 2), d.hex());
    }

    /** Backdates the pending links pushed to {@code name} (its repository's, or its base path's before one) by eight days. */
    private void agePendingLinks(String name) {
        update("UPDATE registry_pending_blob SET created = now() - interval '8 days' WHERE base_path = ? "
                + "OR repository_id = (SELECT repository_id FROM distribution WHERE base_path = ?)", name, name);
    }

    @Test
    void aSessionOlderThanTheExpiryGoesWithItsBytesAndAFreshOneCarriesOn() {
        String name = RegistryTestClient.uniqueName("expiry");
        String abandoned = startedUpload(name, RegistryTestClient.randomBytes(1000));
        byte[] first = RegistryTestClient.randomBytes(700);
        String fresh = startedUpload(name, first);
        Path bytes = Path.of(storage, "uploads", abandoned);
        assertTrue(Files.exists(bytes));
        update("UPDATE registry_upload SET created = now() - interval '8 days' WHERE id = ?", UUID.fromString(abandoned));

        JsonPath task = cleanup();

        assertTrue(task.getLong("result.uploads_deleted") >= 1);
        assertFalse(sessionExists(abandoned), "its row is gone");
        assertFalse(Files.exists(bytes), "its bytes are gone");
        admin(name).contentType("application/octet-stream").body(new byte[10]).patch("/v2/" + name + "/blobs/uploads/" + abandoned)
                .then().statusCode(404).body("errors[0].code", equalTo("BLOB_UPLOAD_UNKNOWN"));

        assertTrue(sessionExists(fresh));
        byte[] rest = RegistryTestClient.randomBytes(300);
        byte[] whole = Arrays.copyOf(first, first.length + rest.length);
        System.arraycopy(rest, 0, whole, first.length, rest.length);
        admin(name).contentType("application/octet-stream").body(rest)
                .put("/v2/" + name + "/blobs/uploads/" + fresh + "?digest=" + RegistryTestClient.sha(whole)).then().statusCode(201);
    }

    /** Bytes no session names (a crash mid-upload, a garbage collection's renamed blob) go once older than the expiry. */
    @Test
    void uploadBytesNoSessionNamesGoOnceOlderThanTheExpiry() throws Exception {
        Path crashed = Files.write(Path.of(storage, "uploads", UUID.randomUUID().toString()), new byte[100]);
        Path renamed = Files.write(Path.of(storage, "uploads", "gc-" + UUID.randomUUID()), new byte[100]);
        Path recent = Files.write(Path.of(storage, "uploads", UUID.randomUUID().toString()), new byte[100]);
        FileTime eightDaysAgo = FileTime.from(Instant.now().minus(Duration.ofDays(8)));
        Files.setLastModifiedTime(crashed, eightDaysAgo);
        Files.setLastModifiedTime(renamed, eightDaysAgo);
        Files.setLastModifiedTime(recent, FileTime.from(Instant.now().minus(Duration.ofDays(6))));

        JsonPath task = cleanup();

        assertTrue(task.getLong("result.upload_leftovers_deleted") >= 2);
        assertFalse(Files.exists(crashed));
        assertFalse(Files.exists(renamed));
        assertTrue(Files.exists(recent), "younger than the expiry: it stays");
        Files.delete(recent);
    }

    @Test
    void aPendingLinkOlderThanTheExpiryGoesAndItsBlobIsCollected() throws Exception {
        String holder = RegistryTestClient.uniqueName("expiry"), stale = RegistryTestClient.uniqueName("expiry"),
                recent = RegistryTestClient.uniqueName("expiry");
        RegistryTestClient.TestImage image = RegistryTestClient.image(holder, 0); // its config blob: in a version of holder
        image.push(holder, "v1").then().statusCode(201);
        String held = JsonPath.from(new String(image.bytes(), StandardCharsets.UTF_8)).getString("config.digest");
        for (String to : new String[] {stale, recent}) {
            String token = RegistryTestClient.token("admin", "password", "repository:" + to + ":pull,push repository:" + holder + ":pull");
            given().header("Authorization", "Bearer " + token).post("/v2/" + to + "/blobs/uploads/?mount=" + held + "&from=" + holder)
                    .then().statusCode(201);
        }
        String orphan = RegistryTestClient.pushBlob(stale, RegistryTestClient.randomBytes(500)); // pending in stale only
        agePendingLinks(stale);
        update("UPDATE content SET timestamp_of_interest = now() - interval '2 hours' WHERE id = (SELECT id FROM blob WHERE digest = ?)",
                orphan);
        Files.setLastModifiedTime(blobFile(orphan), FileTime.from(Instant.now().minusSeconds(7200)));

        JsonPath task = cleanup();

        assertTrue(task.getLong("result.pending_blob_links_deleted") >= 2);
        // No manifest was pushed to stale or recent: only their pusher reads what is pending there.
        admin(stale).head("/v2/" + stale + "/blobs/" + held).then().statusCode(404);
        admin(recent).head("/v2/" + recent + "/blobs/" + held).then().statusCode(200); // a fresh link stays
        given().head("/v2/" + holder + "/blobs/" + held).then().statusCode(200);
        admin(stale).head("/v2/" + stale + "/blobs/" + orphan).then().statusCode(404);
        assertFalse(blobUnitExists(orphan), "the blob only the link kept is an orphan now");
        assertFalse(Files.exists(blobFile(orphan)));
    }
}
