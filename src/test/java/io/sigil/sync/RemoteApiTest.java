package io.sigil.sync;

import static io.sigil.testing.Api.asAdmin;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.restassured.http.ContentType;
import io.sigil.testing.PostgresDatabaseResource;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Remote CRUD and the checks made before a sync is dispatched (400s, never failed tasks). */
@QuarkusTest
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.GLOBAL)
class RemoteApiTest {

    static final String REMOTES = "/pulp/api/v3/remotes/container/container/";

    static Map<String, Object> minimal() {
        return new HashMap<>(Map.of("name", "r-" + UUID.randomUUID(), "url", "https://registry.example.com/",
                "upstream_name", "library/busybox"));
    }

    @Test
    void credentialsAreWriteOnlyAndDefaultsApply() {
        Map<String, Object> fields = minimal();
        fields.putAll(Map.of("username", "alice", "password", "s3cret"));
        String href = SyncTesting.remote(fields);
        asAdmin().get(href).then().statusCode(200)
                .body("$", not(hasKey("password"))).body("$", not(hasKey("username")))
                .body("hidden_fields.find { it.name == 'password' }.is_set", equalTo(true))
                .body("url", equalTo("https://registry.example.com"))
                .body("download_concurrency", equalTo(10)).body("preserve_signatures", equalTo(true))
                .body("signed_only", equalTo(false)).body("signature_sources", nullValue());
        Map<String, Object> clear = new HashMap<>();
        clear.put("password", null);
        clear.put("signed_only", true);
        asAdmin().contentType(ContentType.JSON).body(clear).patch(href).then().statusCode(200)
                .body("hidden_fields.find { it.name == 'password' }.is_set", equalTo(false))
                .body("signed_only", equalTo(true)).body("upstream_name", equalTo("library/busybox"));
        asAdmin().queryParam("name", fields.get("name")).get(REMOTES).then().statusCode(200).body("count", equalTo(1));
        asAdmin().delete(href).then().statusCode(204);
        asAdmin().get(href).then().statusCode(404);
    }

    @Test
    void invalidFieldsAreRefusedNamingTheField() {
        refused(Map.of("url", "ftp://example.com"), "url");
        refused(Map.of("upstream_name", "Upper/Case"), "upstream_name");
        refused(Map.of("signature_sources", List.of("carrier-pigeon")), "signature_sources");
        refused(Map.of("signature_sources", List.of("lookaside")), "signature_sources");
        refused(Map.of("verify_with", List.of("not a key")), "verify_with");
        refused(Map.of("download_concurrency", 0), "download_concurrency");
        refused(Map.of("verify_with", List.of("/pulp/api/v3/trusted-keys/" + UUID.randomUUID() + "/")), "verify_with");
        refused(Map.of("ca_cert", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"), "ca_cert");
        refused(Map.of("colour", "blue"), "colour");
        Map<String, Object> noName = minimal();
        noName.remove("name");
        asAdmin().contentType(ContentType.JSON).body(noName).post(REMOTES).then().statusCode(400).body("$", hasKey("name"));
    }

    @Test
    void keylessTrustedKeyHrefIsAcceptedInVerifyWith() {
        String fixtures = "fixtures/containers-image/";
        io.restassured.path.json.JsonPath key = asAdmin().contentType(ContentType.JSON).body(Map.of("name", "keyless " + UUID.randomUUID(),
                "type", "keyless", "fulcio_ca", resource(fixtures + "fulcio_v1.crt.pem"), "rekor_public_key",
                resource(fixtures + "rekor.pub"), "oidc_issuer", "https://github.com/login/oauth", "subject", "mitr@redhat.com"))
                .post("/pulp/api/v3/trusted-keys/").then().statusCode(201).extract().jsonPath();
        try {
            Map<String, Object> body = minimal();
            body.put("verify_with", List.of(key.getString("pulp_href")));
            String href = asAdmin().contentType(ContentType.JSON).body(body).post(REMOTES).then().statusCode(201)
                    .body("verify_with", equalTo(List.of(key.getString("pulp_href")))).extract().path("pulp_href");
            asAdmin().delete(href).then().statusCode(204);
        } finally {
            io.sigil.testing.Tasks.await(asAdmin().delete(key.getString("pulp_href")).then().statusCode(202).extract().path("task"));
        }
    }

    private static String resource(String name) {
        try (var in = RemoteApiTest.class.getClassLoader().getResourceAsStream(name)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void refused(Map<String, Object> extra, String field) {
        Map<String, Object> body = minimal();
        body.putAll(extra);
        asAdmin().contentType(ContentType.JSON).body(body).post(REMOTES).then().statusCode(400).body("$", hasKey(field));
    }

    @Test
    void syncRequestsAreCheckedBeforeDispatch() {
        String repository = SyncTesting.repository();
        String remote = SyncTesting.remote(minimal());
        asAdmin().contentType(ContentType.JSON).body(Map.of("mirror", true)).post(repository + "sync/")
                .then().statusCode(400).body("$", hasKey("remote"));
        asAdmin().contentType(ContentType.JSON).body(Map.of("remote", "/pulp/api/v3/remotes/container/container/"
                        + UUID.randomUUID() + "/")).post(repository + "sync/")
                .then().statusCode(400).body("remote[0]", containsString("does not exist"));
        asAdmin().contentType(ContentType.JSON).body(Map.of("remote", remote, "mirror", "yes")).post(repository + "sync/")
                .then().statusCode(400).body("$", hasKey("mirror"));
        asAdmin().contentType(ContentType.JSON).body(Map.of("remote", remote)).post(REMOTES.replace("remotes", "repositories")
                + UUID.randomUUID() + "/sync/").then().statusCode(404);
        asAdmin().contentType(ContentType.JSON).body(Map.of("remote", remote)).post(repository + "sync/")
                .then().statusCode(202).body("task", containsString("/tasks/"));
    }

    @Inject
    RemoteService remotes;
    @Inject
    RemotePasswords passwords;
    @Inject
    EntityManager em;

    @Test
    void passwordsAreStoredSealedAndOnesStoredInTheClearAreSealedAtStartUp() {
        Map<String, Object> fields = minimal();
        fields.putAll(Map.of("username", "alice", "password", "s3cret-passw0rd"));
        UUID id = idOf(SyncTesting.remote(fields));
        Object[] stored = row(id);
        assertNull(stored[0], "nothing in the clear");
        assertFalse(new String((byte[]) stored[1], StandardCharsets.ISO_8859_1).contains("s3cret"), "sealed");
        assertEquals("s3cret-passw0rd", remotes.settings(id).password());

        // a row as Sigil stored it before passwords were sealed
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                "UPDATE container_remote SET unsealed_password = 'old-clear', sealed_password = NULL WHERE pulp_id = ?1")
                .setParameter(1, id).executeUpdate());
        assertEquals("old-clear", remotes.settings(id).password(), "still readable before it is sealed");
        assertTrue(passwords.sealStoredInTheClear() >= 1);
        assertNull(row(id)[0]);
        assertEquals("old-clear", remotes.settings(id).password());
        asAdmin().get(REMOTES + id + "/").then().statusCode(200)
                .body("hidden_fields.find { it.name == 'password' }.is_set", equalTo(true));
        // a sealed value is bound to its remote: copied to another, it does not open
        UUID other = idOf(SyncTesting.remote(minimal()));
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("UPDATE container_remote SET sealed_password = "
                + "(SELECT sealed_password FROM container_remote WHERE pulp_id = ?1) WHERE pulp_id = ?2")
                .setParameter(1, id).setParameter(2, other).executeUpdate());
        assertThrows(IllegalStateException.class, () -> remotes.settings(other));
        asAdmin().delete(REMOTES + id + "/").then().statusCode(204);
        asAdmin().delete(REMOTES + other + "/").then().statusCode(204);
    }

    private static UUID idOf(String href) {
        return UUID.fromString(href.replaceAll(".*/([0-9a-f-]{36})/$", "$1"));
    }

    private Object[] row(UUID id) {
        return QuarkusTransaction.requiringNew().call(() -> (Object[]) em.createNativeQuery(
                "SELECT unsealed_password, sealed_password FROM container_remote WHERE pulp_id = ?1")
                .setParameter(1, id).getSingleResult());
    }
}
