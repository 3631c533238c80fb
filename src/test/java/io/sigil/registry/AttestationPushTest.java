package io.sigil.registry;

import static io.sigil.registry.RegistryTestClient.descriptor;
import static io.sigil.registry.RegistryTestClient.pushBlob;
import static io.sigil.registry.RegistryTestClient.putManifest;
import static io.sigil.testing.Api.asAdmin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.sigil.content.CosignTags;
import io.sigil.storage.Digest;
import io.sigil.testing.PostgresDatabaseResource;
import io.sigil.testing.Tasks;
import io.sigil.testing.TestAttestations;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * cosign attestations pushed under the {@code sha256-<hex>.att} tag become signature units of type attestation with a
 * verdict: valid with the predicate type once the signing key is trusted, not valid for a tampered copy, and back to
 * unknown_key when the key goes. An attestation is not a signature: a signature policy does not accept it.
 */
@QuarkusTest
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.GLOBAL)
class AttestationPushTest {

    private static final String SIGNATURES = "/pulp/api/v3/content/container/signatures/";
    private static final String SLSA = "https://slsa.dev/provenance/v0.2";

    @Test
    void attestationsPushedAsAttTagsAreVerifiedWithTrustedKeys() {
        String name = RegistryTestClient.uniqueName("att");
        RegistryTestClient.TestImage image = RegistryTestClient.image(name, 1);
        image.push(name, "v1").then().statusCode(201);
        KeyPair key = TestAttestations.newKey();
        byte[] good = TestAttestations.envelope(key, image.digest(), SLSA);
        byte[] tampered = TestAttestations.tampered(good, "provenance/v0.2", "provenance/v1");
        byte[] otherImage = TestAttestations.envelope(key, "sha256:" + "cd".repeat(32), SLSA);
        pushAtt(name, image.digest(), List.of(good, tampered, otherImage));

        List<Map<String, Object>> units = attestations(image.digest());
        assertEquals(2, units.size(), "the attestation naming another image is not stored: " + units);
        units.forEach(u -> assertEquals("unknown_key", state(u)));

        String keyHref = trust(key);
        Map<String, Object> valid = byState(image.digest(), "valid");
        assertEquals(SLSA, ((Map<?, ?>) valid.get("verification")).get("predicate_type"));
        assertEquals("unknown_key", state(byState(image.digest(), "unknown_key")), "the tampered copy verifies with no key");
        assertEquals(1, asAdmin().queryParam("manifest", image.digest()).queryParam("verified", "true").get(SIGNATURES)
                .then().statusCode(200).extract().jsonPath().getInt("count"));

        Tasks.completed(asAdmin().delete(keyHref).then().statusCode(202).extract().response());
        attestations(image.digest()).forEach(u -> assertEquals("unknown_key", state(u)));
    }

    private static void pushAtt(String name, String subject, List<byte[]> envelopes) {
        byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
        String configDigest = pushBlob(name, config);
        StringBuilder layers = new StringBuilder();
        for (byte[] envelope : envelopes) {
            String d = pushBlob(name, envelope);
            layers.append(layers.isEmpty() ? "" : ",").append(descriptor("application/vnd.dsse.envelope.v1+json", d, envelope.length)
                    .replaceFirst("}$", ",\"annotations\":{\"dev.cosignproject.cosign/signature\":\"\",\"predicateType\":\""
                            + SLSA + "\"}}"));
        }
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + RegistryTestClient.OCI_MANIFEST + "\",\"config\":"
                + descriptor("application/vnd.oci.image.config.v1+json", configDigest, config.length) + ",\"layers\":[" + layers + "]}";
        String tag = CosignTags.tag(Digest.parse(subject), CosignTags.TagKind.ATTESTATION);
        putManifest(name, tag, manifest.getBytes(StandardCharsets.UTF_8), RegistryTestClient.OCI_MANIFEST).then().statusCode(201);
    }

    private static String trust(KeyPair key) {
        JsonPath created = asAdmin().contentType(ContentType.JSON).body(Map.of("name", "attester " + UUID.randomUUID(),
                "type", "cosign", "public_key", TestAttestations.publicKeyPem(key))).post("/pulp/api/v3/trusted-keys/")
                .then().statusCode(201).extract().jsonPath();
        Tasks.await(created.getString("reverify_task"));
        return created.getString("pulp_href");
    }

    private static List<Map<String, Object>> attestations(String digest) {
        List<Map<String, Object>> all = asAdmin().queryParam("manifest", digest).queryParam("limit", 100).get(SIGNATURES)
                .then().statusCode(200).extract().jsonPath().getList("results");
        all.forEach(u -> assertEquals("attestation", u.get("type")));
        return all;
    }

    private static Map<String, Object> byState(String digest, String state) {
        return attestations(digest).stream().filter(u -> state.equals(state(u))).findFirst()
                .orElseThrow(() -> new AssertionError("no attestation " + state + ": " + attestations(digest)));
    }

    private static String state(Map<String, Object> unit) {
        Object verification = unit.get("verification");
        assertTrue(verification instanceof Map, "verified: " + unit);
        return String.valueOf(((Map<?, ?>) verification).get("state"));
    }
}
