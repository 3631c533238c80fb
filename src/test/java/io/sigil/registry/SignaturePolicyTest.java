package io.sigil.registry;

import static io.restassured.RestAssured.given;
import static io.sigil.testing.Api.asAdmin;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import io.sigil.testing.OciLayout;
import io.sigil.testing.PostgresDatabaseResource;
import io.sigil.testing.Skopeo;
import io.sigil.testing.Tasks;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A distribution's signature policy, end to end: images pushed with skopeo, signed by Sigil's signing services,
 * pulled through /v2 with REST Assured and skopeo, and listed by the distribution's signature report.
 */
@QuarkusTest
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.GLOBAL)
class SignaturePolicyTest {

    private static final String DISTRIBUTIONS = "/pulp/api/v3/distributions/container/container/";
    private static final String KEYS = "/pulp/api/v3/trusted-keys/";

    @Inject
    EntityManager em;

    /** Pulls as skopeo makes them: at 127.0.0.1, the host the signatures name. */
    private static ValidatableResponse pull(String method, String base, String reference) {
        return given().baseUri("http://127.0.0.1").accept("application/vnd.oci.image.manifest.v1+json,application/vnd.oci.image.index.v1+json")
                .request(method, "/v2/" + base + "/manifests/" + reference).then();
    }

    private static void allowed(String base, String reference) {
        pull("GET", base, reference).statusCode(200);
        pull("HEAD", base, reference).statusCode(200);
    }

    private static void denied(String base, String reference, String reason, String message) {
        pull("GET", base, reference).statusCode(403).body("errors[0].code", equalTo("DENIED"))
                .body("errors[0].detail.reason", equalTo(reason)).body("errors[0].message", containsString(message));
        pull("HEAD", base, reference).statusCode(403);
    }

    @Test
    void policyBlocksManifestsWithoutAValidSignatureByItsKeys(@TempDir Path tmp) throws Exception {
        String host = "127.0.0.1:" + RestAssured.port;
        String base = "policy/app-" + UUID.randomUUID().toString().substring(0, 8);
        OciLayout layout = new OciLayout(tmp.resolve("src"), 13);
        OciLayout.Blob signed = layout.taggedImage("v1", 1);
        layout.tag("v1-alias", signed);
        OciLayout.Blob other = layout.taggedImage("other", 1);
        OciLayout.Blob plain = layout.taggedImage("plain", 1);
        OciLayout.Blob amd = layout.image("amd64", layout.layer(1000));
        OciLayout.Blob arm = layout.image("arm64", layout.layer(1000));
        layout.tag("amd", amd).tag("multi", layout.index(amd, arm));
        Skopeo skopeo = new Skopeo();
        for (String tag : List.of("v1", "v1-alias", "other", "plain", "amd", "multi")) {
            skopeo.copy("oci:" + layout.dir() + ":" + tag, "docker://" + host + "/" + base + ":" + tag, "--all",
                    "--dest-creds", "admin:password").requireSuccess();
        }
        JsonPath distribution = asAdmin().queryParam("base_path", base).get(DISTRIBUTIONS).then().statusCode(200)
                .extract().jsonPath();
        String distributionHref = distribution.getString("results[0].pulp_href");
        String repository = distribution.getString("results[0].repository");
        List<String> keys = new ArrayList<>();
        try {
            JsonPath trustedService = service("atomic");
            JsonPath otherService = service("atomic");
            keys.add(trust(trustedService));
            keys.add(trust(otherService));
            sign(repository, trustedService, host + "/" + base, List.of("v1", "amd"));
            sign(repository, otherService, host + "/" + base, List.of("other"));

            // Off by default: everything is pulled.
            assertNull(asAdmin().get(distributionHref).then().statusCode(200).extract().jsonPath().get("signature_policy"));
            for (String tag : List.of("v1", "v1-alias", "other", "plain", "multi")) {
                allowed(base, tag);
            }

            setPolicy(distributionHref, Map.of("keys", List.of(keys.get(0))));
            allowed(base, "v1");
            allowed(base, "v1-alias");
            allowed(base, signed.digest());
            denied(base, "plain", "unsigned", "has no signature");
            denied(base, "other", "other_keys", "signed only by keys the signature policy does not name");
            denied(base, "multi", "unsigned", "has no signature");
            allowed(base, amd.digest());
            denied(base, arm.digest(), "unsigned", arm.digest());
            // The caches hold the manifest bytes now; the policy still decides every pull.
            denied(base, "plain", "unsigned", plain.digest());

            setPolicy(distributionHref, Map.of("keys", List.of(keys.get(0)), "exact", true));
            allowed(base, "v1");
            denied(base, "v1-alias", "identity_mismatch", host + "/" + base + ":v1, not for " + host + "/" + base + ":v1-alias");
            allowed(base, signed.digest());
            allowed(base, amd.digest());
            // Identities are checked against the configured reference when there is one.
            setPolicy(distributionHref, Map.of("keys", List.of(keys.get(0)), "exact", true, "reference", "registry.example.com/app"));
            denied(base, "v1", "identity_mismatch", "not for registry.example.com/app:v1");
            denied(base, signed.digest(), "identity_mismatch", "must name this repository");
            setPolicy(distributionHref, Map.of("keys", List.of(keys.get(0)), "exact", true));

            // The report judges pulls as made at the host it is asked at, as registry_path names it.
            JsonPath report = asAdmin().baseUri("http://127.0.0.1").get(distributionHref + "signature_report/").then().statusCode(200).extract().jsonPath();
            assertEquals(6, report.getInt("count"));
            Map<String, String> reasons = new HashMap<>();
            for (Map<String, Object> entry : report.<Map<String, Object>>getList("results")) {
                reasons.put((String) entry.get("tag"), entry.get("blocked").equals(true) ? (String) entry.get("reason") : "allowed");
            }
            assertEquals(Map.of("v1", "allowed", "v1-alias", "identity_mismatch", "other", "other_keys", "plain", "unsigned",
                    "amd", "allowed", "multi", "unsigned"), reasons);
            JsonPath multi = asAdmin().baseUri("http://127.0.0.1").get(distributionHref + "signature_report/?limit=1&offset=1").then().statusCode(200)
                    .extract().jsonPath();
            assertEquals("multi", multi.getString("results[0].tag"));
            assertEquals(List.of(false, true), List.of(multi.getBoolean("results[0].listed_manifests.find { it.digest == '"
                    + amd.digest() + "' }.blocked"), multi.getBoolean("results[0].listed_manifests.find { it.digest == '"
                    + arm.digest() + "' }.blocked")));

            // Real clients: skopeo gets the signed image and is refused the unsigned one, with the reason.
            skopeo.copy("docker://" + host + "/" + base + ":v1", "dir:" + tmp.resolve("v1")).requireSuccess();
            Skopeo.Result refused = skopeo.copy("docker://" + host + "/" + base + ":plain", "dir:" + tmp.resolve("plain"));
            assertNotEquals(0, refused.exitCode(), "skopeo must not get an unsigned image");
            assertTrue(refused.stderr().contains("denied") && refused.stderr().contains("has no signature"), refused.stderr());
            assertTrue(Files.notExists(tmp.resolve("plain/manifest.json")));

            revokedKeysNoLongerCount(base, trustedService.getString("pubkey_fingerprint"));

            // Distrusting the policy's only key leaves the policy on and closed (the message depends on whether this
            // process's distribution cache, kept two seconds, still names the key).
            untrust(keys.remove(0));
            denied(base, "v1", "other_keys", signed.digest());
        } finally {
            setPolicy(distributionHref, null);
            keys.forEach(SignaturePolicyTest::untrust);
        }
        allowed(base, "plain");
    }

    /** A revocation the stored verdicts have not caught up with yet still blocks at once. */
    private void revokedKeysNoLongerCount(String base, String fingerprint) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("INSERT INTO revoked_key (pulp_id, type, identity, "
                + "reason) VALUES (gen_random_uuid(), 'openpgp', ?1, 'policy test')").setParameter(1, fingerprint).executeUpdate());
        try {
            denied(base, "v1", "invalid", "is revoked");
        } finally {
            QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("DELETE FROM revoked_key WHERE identity = ?1")
                    .setParameter(1, fingerprint).executeUpdate());
        }
        allowed(base, "v1");
    }

    @Test
    void policyFieldsAreValidated() {
        String distribution = asAdmin().contentType(ContentType.JSON)
                .body(Map.of("name", "policy-" + UUID.randomUUID(), "base_path", "policy/v-" + UUID.randomUUID().toString().substring(0, 8)))
                .post(DISTRIBUTIONS).then().statusCode(201).body("signature_policy", equalTo(null)).extract().path("pulp_href");
        String missing = KEYS + UUID.randomUUID() + "/";
        patch(distribution, Map.of("signature_policy", Map.of("keys", List.of(missing, "not-an-href")))).statusCode(400)
                .body("signature_policy[0]", containsString("unknown trusted keys: " + missing + ", not-an-href"));
        patch(distribution, Map.of("signature_policy", Map.of("keys", List.of()))).statusCode(400)
                .body("signature_policy[0]", containsString("at least one trusted key"));
        patch(distribution, Map.of("signature_policy", Map.of("keys", "x"))).statusCode(400);
        patch(distribution, Map.of("signature_policy", Map.of("keys", List.of(missing), "exactly", true))).statusCode(400)
                .body("'signature_policy.exactly'[0]", containsString("Unexpected field"));
        JsonPath service = service("cosign");
        String key = trust(service);
        try {
            patch(distribution, Map.of("signature_policy", Map.of("keys", List.of(key), "reference", "example.com/app:v1")))
                    .statusCode(400).body("signature_policy[0]", containsString("names a tag or digest"));
            patch(distribution, Map.of("signature_policy", Map.of("keys", List.of(key), "exact", true)))
                    .statusCode(200).body("signature_policy.keys", equalTo(List.of(key)))
                    .body("signature_policy.exact", equalTo(true)).body("signature_policy.reference", equalTo(null));
            // PUT replaces every field: without a policy, the policy is off.
            asAdmin().contentType(ContentType.JSON).body(Map.of("name", "policy-" + UUID.randomUUID(), "base_path",
                    "policy/p-" + UUID.randomUUID().toString().substring(0, 8))).put(distribution).then().statusCode(200)
                    .body("signature_policy", equalTo(null));
        } finally {
            asAdmin().delete(distribution).then().statusCode(204);
            untrust(key);
        }
    }

    private static ValidatableResponse patch(String href, Map<String, Object> body) {
        return asAdmin().contentType(ContentType.JSON).body(body).patch(href).then();
    }

    private static void setPolicy(String distribution, Map<String, Object> policy) {
        Map<String, Object> body = new HashMap<>();
        body.put("signature_policy", policy);
        patch(distribution, body).statusCode(200);
    }

    private static JsonPath service(String type) {
        return asAdmin().contentType(ContentType.JSON).body(Map.of("name", "policy " + UUID.randomUUID(), "type", type,
                "generate", true, "allowed_references", List.of("127.0.0.1:" + RestAssured.port + "/", "example.com/",
                "registry.example.com/"))).post("/pulp/api/v3/signing-services/").then().statusCode(201).extract().jsonPath();
    }

    /** Trusts a service's public key, waits for re-verification, returns the trusted key's href. */
    static String trust(JsonPath service) {
        String type = "atomic".equals(service.getString("type")) ? "openpgp" : "cosign";
        JsonPath key = asAdmin().contentType(ContentType.JSON).body(Map.of("name", "policy " + UUID.randomUUID(), "type", type,
                "public_key", service.getString("public_key"))).post(KEYS).then().statusCode(201).extract().jsonPath();
        Tasks.await(key.getString("reverify_task"));
        return key.getString("pulp_href");
    }

    static void untrust(String keyHref) {
        Tasks.await(asAdmin().delete(keyHref).then().statusCode(202).extract().jsonPath().getString("task"));
    }

    static void sign(String repository, JsonPath service, String reference, List<String> tags) {
        Map<String, Object> body = new HashMap<>(Map.of("signing_service", service.getString("pulp_href"), "reference", reference));
        if (tags != null) {
            body.put("tags", tags);
        }
        String task = asAdmin().contentType(ContentType.JSON).body(body).post(repository + "sign/").then().statusCode(202)
                .extract().jsonPath().getString("task");
        assertEquals("completed", Tasks.await(task).getString("state"));
    }
}
