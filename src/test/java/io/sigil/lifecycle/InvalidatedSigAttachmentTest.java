package io.sigil.lifecycle;

import static io.sigil.lifecycle.InvalidationTest.body;
import static io.sigil.lifecycle.InvalidationTest.invalidated;
import static io.sigil.lifecycle.RevokedKeysOnPushTest.OCI_MANIFEST;
import static io.sigil.lifecycle.RevokedKeysOnPushTest.push;
import static io.sigil.testing.Api.asAdmin;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.sigil.content.Manifest;
import io.sigil.content.Signature;
import io.sigil.repository.Repository;
import io.sigil.signature.CosignSignatures;
import io.sigil.storage.Digest;
import io.sigil.testing.DockerRegistryServer;
import io.sigil.testing.PostgresDatabaseResource;
import io.sigil.testing.Skopeo;
import io.sigil.testing.Tasks;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Invalidating one of the keys whose layers a pushed cosign {@code .sig} manifest carries rebuilds that manifest
 * without the revoked layer, and cosign clients pulling the tag get the rebuilt one.
 */
@QuarkusTest
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.GLOBAL)
class InvalidatedSigAttachmentTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @jakarta.inject.Inject
    LifecycleFixtures fixtures;

    @AfterEach
    void liftRevocations() {
        io.sigil.testing.Revocations.liftAll();
    }

    private record Pushed(String name, String digest, String sigTag, byte[] sigManifest) {
    }

    private static Pushed pushSigned(KeyPair... keys) {
        String name = "rebuild/" + UUID.randomUUID().toString().substring(0, 8);
        String digest = RevokedKeysOnPushTest.pushImage(name);
        List<String> layers = java.util.Arrays.stream(keys).map(k -> RevokedKeysOnPushTest.layer(name, digest, k)).toList();
        byte[] sig = RevokedKeysOnPushTest.manifest(name, layers).getBytes(StandardCharsets.UTF_8);
        String tag = "sha256-" + digest.substring(7) + ".sig";
        push(name).contentType(OCI_MANIFEST).body(sig).put("/v2/" + name + "/manifests/" + tag).then().statusCode(201);
        return new Pushed(name, digest, tag, sig);
    }

    private static Response pull(String name, String path) {
        return push(name).accept(OCI_MANIFEST).get("/v2/" + name + path);
    }

    private static Signature unitBy(List<Signature> units, KeyPair key) {
        return units.stream().filter(s -> CosignSignatures.signedBy(CosignSignatures.fromStorageForm(s.data), key.getPublic()))
                .findFirst().orElseThrow();
    }

    private Set<Long> latest(String name) {
        return fixtures.latest(QuarkusTransaction.requiringNew().call(() -> Repository.<Repository>find("name", name).firstResult()));
    }

    @Test
    void aSigManifestWithAnotherKeysLayerIsRebuiltWithoutTheRevokedLayer(@TempDir Path tmp) throws Exception {
        KeyPair revoked = LifecycleFixtures.ecKey(), kept = LifecycleFixtures.ecKey();
        Pushed pushed = pushSigned(revoked, kept);
        List<Signature> units = QuarkusTransaction.requiringNew().call(() ->
                Signature.<Signature>list("signedDigest = ?1 and type = 'cosign'", pushed.digest()));
        assertEquals(2, units.size());
        Signature revokedUnit = unitBy(units, revoked), keptUnit = unitBy(units, kept);
        String trusted = asAdmin().contentType(ContentType.JSON).body(Map.of("name", "rebuild-" + UUID.randomUUID(),
                        "type", "cosign", "public_key", LifecycleFixtures.pem(kept)))
                .post(io.sigil.signature.TrustedKey.COLLECTION).then().statusCode(201).extract().path("pulp_href");
        try {
            InvalidationTest.awaitVerdict(keptUnit, "valid");
            Manifest before = QuarkusTransaction.requiringNew().call(() ->
                    Manifest.<Manifest>find("digest", Digest.sha256Of(pushed.sigManifest()).toString()).firstResult());

            JsonPath task = invalidated(body("key", LifecycleFixtures.pem(revoked), "reason", "cosign key lost"));

            assertEquals(1, task.getInt("result.repositories[0].removed_signatures"));
            assertEquals(0, task.getInt("result.repositories[0].removed_manifests"));
            assertEquals(1, task.getInt("result.repositories[0].rebuilt_attachments"));
            Response sig = pull(pushed.name(), "/manifests/" + pushed.sigTag());
            sig.then().statusCode(200);
            byte[] rebuilt = sig.asByteArray();
            assertEquals(Digest.sha256Of(rebuilt).toString(), sig.header("Docker-Content-Digest"));
            UntrustedLayer layer = onlyLayer(rebuilt, pushed.name());
            assertEquals(CosignSignatures.fromStorageForm(keptUnit.data).annotations(), layer.annotations());
            assertTrue(opensslVerifies(tmp, kept, layer), "the remaining layer still verifies with the other key");

            String skopeoRef = "docker://127.0.0.1:" + RestAssured.port + "/" + pushed.name() + ":" + pushed.sigTag();
            String raw = new Skopeo().inspect(skopeoRef, "--raw", "--creds", "admin:password").requireSuccess().stdout();
            assertArrayEquals(rebuilt, raw.getBytes(StandardCharsets.UTF_8), "containers/image reads the rebuilt manifest");
            try (DockerRegistryServer registry = new DockerRegistryServer()) {
                new Skopeo().withSigstoreAttachments().copy("docker://127.0.0.1:" + RestAssured.port + "/" + pushed.name() + ":v1",
                        "docker://" + registry.host() + "/mirror/app:v1", "--src-creds", "admin:password").requireSuccess();
                byte[] copied = RestAssured.given().baseUri(registry.baseUrl()).accept(OCI_MANIFEST)
                        .get("/v2/mirror/app/manifests/" + pushed.sigTag()).then().statusCode(200).extract().asByteArray();
                assertEquals(new String(rebuilt, StandardCharsets.UTF_8), new String(copied, StandardCharsets.UTF_8),
                        "skopeo carries the rebuilt attachment byte for byte (containers/image re-serializes it)");
            }

            Set<Long> held = latest(pushed.name());
            assertFalse(held.contains(revokedUnit.id), "the revoked signature unit goes");
            assertFalse(held.contains(before.id), "the old .sig manifest goes");
            assertTrue(held.contains(keptUnit.id), "the other key's signature stays");
            InvalidationTest.awaitVerdict(keptUnit, "valid");
        } finally {
            Tasks.completed(asAdmin().delete(trusted));
        }
    }

    @Test
    void aSigManifestOfOnlyTheRevokedKeyLeavesWhole() {
        KeyPair revoked = LifecycleFixtures.ecKey();
        Pushed pushed = pushSigned(revoked, revoked);

        JsonPath task = invalidated(body("key", LifecycleFixtures.pem(revoked), "reason", "cosign key lost"));

        assertEquals(2, task.getInt("result.repositories[0].removed_signatures"));
        assertEquals(1, task.getInt("result.repositories[0].removed_manifests"));
        assertEquals(0, task.getInt("result.repositories[0].rebuilt_attachments"));
        pull(pushed.name(), "/manifests/" + pushed.sigTag()).then().statusCode(404);
        pull(pushed.name(), "/manifests/" + pushed.digest()).then().statusCode(200);
    }

    private record UntrustedLayer(byte[] payload, Map<String, String> annotations) {
    }

    /** Checks the manifest is a .sig manifest as containers/image writes it, and returns its one layer. */
    @SuppressWarnings("unchecked")
    private static UntrustedLayer onlyLayer(byte[] manifest, String name) throws Exception {
        JsonNode json = JSON.readTree(manifest);
        assertEquals(2, json.get("schemaVersion").asInt());
        assertEquals(OCI_MANIFEST, json.get("mediaType").asText());
        assertEquals("application/vnd.oci.image.config.v1+json", json.at("/config/mediaType").asText());
        assertEquals(1, json.get("layers").size());
        JsonNode layer = json.get("layers").get(0);
        assertEquals(CosignSignatures.SIMPLE_SIGNING_MEDIA_TYPE, layer.get("mediaType").asText());
        byte[] config = pull(name, "/blobs/" + json.at("/config/digest").asText()).then().statusCode(200).extract().asByteArray();
        assertEquals(json.at("/config/size").asLong(), config.length);
        assertEquals(layer.get("digest").asText(), JSON.readTree(config).at("/rootfs/diff_ids/0").asText(),
                "the config lists the layers, as cosign writes it");
        byte[] payload = pull(name, "/blobs/" + layer.get("digest").asText()).then().statusCode(200).extract().asByteArray();
        assertEquals(layer.get("digest").asText(), Digest.sha256Of(payload).toString());
        return new UntrustedLayer(payload, JSON.convertValue(layer.get("annotations"), Map.class));
    }

    private static boolean opensslVerifies(Path tmp, KeyPair key, UntrustedLayer layer) throws Exception {
        Path pub = Files.writeString(tmp.resolve("key.pem"), LifecycleFixtures.pem(key));
        Path signature = Files.write(tmp.resolve("sig.der"),
                Base64.getDecoder().decode(layer.annotations().get(CosignSignatures.SIGNATURE_ANNOTATION)));
        Path payload = Files.write(tmp.resolve("payload.json"), layer.payload());
        Process openssl = new ProcessBuilder("openssl", "dgst", "-sha256", "-verify", pub.toString(), "-signature",
                signature.toString(), payload.toString()).redirectErrorStream(true).start();
        String out = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return openssl.waitFor() == 0 && out.contains("Verified OK");
    }
}
