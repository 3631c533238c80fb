package io.sigil.registry;

import static io.sigil.registry.RegistryTestClient.putManifest;
import static io.sigil.testing.Api.asAdmin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.sigil.testing.PostgresDatabaseResource;
import io.sigil.testing.Tasks;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The notation CLI's e2e signatures (fixtures/notation/notation-cli-e2e, legacy config-media-type form) pushed as OCI
 * referrers become signature units of type notation, and get the verdicts the fixture README states once their trust
 * stores are trusted through the trusted-keys API: valid, expired (strict), not an envelope, and a certificate
 * expired since signing (rejected at strict, accepted at permissive).
 */
@QuarkusTest
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.GLOBAL)
class NotationPushTest {

    private static final String E2E = "/fixtures/notation/notation-cli-e2e/";
    private static final String IMAGE = "b8479de3f88fb259a0a9ea82a5b2a052a1ef3c4ebbcfc61482d5ae4c831f8af9";
    private static final String SIGNATURES = "/pulp/api/v3/content/container/signatures/";
    /** Layout → its signature manifest. */
    private static final Map<String, String> SIGNED = Map.of(
            "e2e-valid-signature", "90ceaff260d657d797c408ac73564a9c7bb9d86055877c2a811f0e63b8c6524f",
            "e2e-invalid-signature", "321fcc674d6771dd0e5bd21e599f2df3a482de99a400fd3a3fe371221b97a9c9",
            "e2e-expired-signature", "3829708badae8e4b14e1adbc2fac7182bc0c27c5b6f54153e8b68a12eab10a1e",
            "e2e-with-expired-cert", "b06e392c2d88206b492dbaf5381800578611eb24f86587bc7717cd3b736e5da7");
    /** Layout → the blobs of its signature manifest (config and envelope). */
    private static final Map<String, List<String>> BLOBS = Map.of(
            "e2e-valid-signature", List.of("c9af07e038b2b1a463e648986ad7273157511ffeba0b689f33e5472bae471f50"),
            "e2e-invalid-signature", List.of("9a8decdf3775708f4eed16859f19561d730cad40b1af0dcfc37ac1e5f879a934"),
            "e2e-expired-signature", List.of("b5f927564088f65dad86c81bcdd0b55415a8b4c9a0a5391107210e0cdb305cc7"),
            "e2e-with-expired-cert", List.of("8513a5ba473f32b78a87518b732700632c05cde0d59d179275c5c5a8096beeed"));

    @Test
    void notationE2eSignaturesPushedAsReferrersGetTheirUpstreamVerdicts() {
        String name = RegistryTestClient.uniqueName("notation");
        String layout = E2E + "e2e-valid-signature/blobs/sha256/";
        for (String blob : List.of("44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a",
                "6de5fe1f75e4b1094c98086f403d5fd8117776ebe5aad1609281403d13dea070")) {
            RegistryTestClient.pushBlob(name, read(layout + blob));
        }
        putManifest(name, "v1", read(layout + IMAGE), RegistryTestClient.OCI_MANIFEST).then().statusCode(201);
        Map<String, String> signatureOf = new HashMap<>();
        SIGNED.forEach((dir, manifest) -> {
            String blobs = E2E + dir + "/blobs/sha256/";
            BLOBS.get(dir).forEach(b -> RegistryTestClient.pushBlob(name, read(blobs + b)));
            putManifest(name, "sha256:" + manifest, read(blobs + manifest), RegistryTestClient.OCI_MANIFEST).then()
                    .statusCode(201).header("OCI-Subject", "sha256:" + IMAGE);
            signatureOf.put(dir, "sha256:" + manifest);
        });

        Map<String, Map<String, Object>> units = units();
        assertEquals(4, units.size(), units::toString);
        units.values().forEach(u -> assertEquals("notation", u.get("type")));
        assertEquals("unknown_key", state(units, signatureOf, "e2e-valid-signature"), "nothing trusted yet");
        assertEquals("invalid", state(units, signatureOf, "e2e-invalid-signature"));

        String e2eKey = trust("e2e.crt", "strict", List.of("x509.subject: CN=e2e,O=Notary,L=Seattle,ST=WA,C=US"));
        units = units();
        assertEquals("valid", state(units, signatureOf, "e2e-valid-signature"));
        assertEquals("invalid", state(units, signatureOf, "e2e-expired-signature"));
        assertTrue(reason(units, signatureOf, "e2e-expired-signature").contains("expiry validation failed"));
        assertEquals("invalid", state(units, signatureOf, "e2e-invalid-signature"));
        assertTrue(reason(units, signatureOf, "e2e-invalid-signature").contains("integrity validation failed"));
        assertEquals("unknown_key", state(units, signatureOf, "e2e-with-expired-cert"));
        assertEquals(1, asAdmin().queryParam("manifest", "sha256:" + IMAGE).queryParam("verified", "true").get(SIGNATURES)
                .then().statusCode(200).extract().jsonPath().getInt("count"));

        trust("expired_e2e.crt", "permissive", List.of("*"));
        assertEquals("valid", state(units(), signatureOf, "e2e-with-expired-cert"));

        Tasks.completed(asAdmin().delete(e2eKey).then().statusCode(202).extract().response());
        assertEquals("unknown_key", state(units(), signatureOf, "e2e-valid-signature"));
    }

    @Test
    void notationKeysAreValidated() {
        Map<String, Object> body = new HashMap<>(Map.of("name", "bad " + UUID.randomUUID(), "type", "notation",
                "ca_roots", new String(read(E2E + "e2e.crt"), StandardCharsets.US_ASCII), "trusted_identities", List.of("*"),
                "verification_level", "lenient"));
        asAdmin().contentType(ContentType.JSON).body(body).post("/pulp/api/v3/trusted-keys/").then().statusCode(400)
                .body("verification_level", org.hamcrest.Matchers.notNullValue());
        body.put("verification_level", "audit");
        body.put("trusted_identities", List.of("not a subject"));
        asAdmin().contentType(ContentType.JSON).body(body).post("/pulp/api/v3/trusted-keys/").then().statusCode(400)
                .body("trusted_identities", org.hamcrest.Matchers.notNullValue());
        body.put("trusted_identities", List.of("*"));
        body.put("ca_roots", "not pem");
        asAdmin().contentType(ContentType.JSON).body(body).post("/pulp/api/v3/trusted-keys/").then().statusCode(400)
                .body("ca_roots", org.hamcrest.Matchers.notNullValue());
    }

    private static String trust(String certificate, String level, List<String> identities) {
        JsonPath created = asAdmin().contentType(ContentType.JSON).body(Map.of("name", "notation " + UUID.randomUUID(),
                "type", "notation", "ca_roots", new String(read(E2E + certificate), StandardCharsets.US_ASCII),
                "trusted_identities", identities, "verification_level", level))
                .post("/pulp/api/v3/trusted-keys/").then().statusCode(201).extract().jsonPath();
        assertEquals(level, created.getString("verification_level"));
        Tasks.await(created.getString("reverify_task"));
        return created.getString("pulp_href");
    }

    /** Units by the digest of the referrer that carried them. */
    private static Map<String, Map<String, Object>> units() {
        List<Map<String, Object>> all = asAdmin().queryParam("manifest", "sha256:" + IMAGE).queryParam("limit", 100)
                .get(SIGNATURES).then().statusCode(200).extract().jsonPath().getList("results");
        Map<String, Map<String, Object>> byCarrier = new HashMap<>();
        for (Map<String, Object> unit : all) {
            String carrier = asAdmin().get((String) unit.get("carrier_manifest")).then().statusCode(200).extract().path("digest");
            byCarrier.put(carrier, unit);
        }
        return byCarrier;
    }

    private static String state(Map<String, Map<String, Object>> units, Map<String, String> signatureOf, String dir) {
        return String.valueOf(verification(units, signatureOf, dir).get("state"));
    }

    private static String reason(Map<String, Map<String, Object>> units, Map<String, String> signatureOf, String dir) {
        return String.valueOf(verification(units, signatureOf, dir).get("reason"));
    }

    private static Map<?, ?> verification(Map<String, Map<String, Object>> units, Map<String, String> signatureOf, String dir) {
        Map<String, Object> unit = units.get(signatureOf.get(dir));
        assertTrue(unit != null, dir + " has no signature unit: " + units.keySet());
        return (Map<?, ?>) unit.get("verification");
    }

    private static byte[] read(String path) {
        try (InputStream in = NotationPushTest.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
