package io.sigil.registry;

import static io.restassured.RestAssured.given;
import static io.sigil.testing.Api.asAdmin;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.sigil.content.CosignTags;
import io.sigil.signature.CosignSignatures;
import io.sigil.storage.Digest;
import io.sigil.testing.DockerRegistryServer;
import io.sigil.testing.OciLayout;
import io.sigil.testing.PostgresDatabaseResource;
import io.sigil.testing.Skopeo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * skopeo (Debian's: it copies sigstore attachments but cannot make or check them) copies an image Sigil signed with a
 * cosign signing service into the CNCF docker-registry, and the {@code .sig} attachment arrives unchanged: the same
 * manifest and layer bytes, and a signature openssl verifies with the service's public key.
 */
@QuarkusTest
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.GLOBAL)
class SigstoreAttachmentCopyTest {

    private static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";

    @Test
    void skopeoCarriesSigilsCosignSignaturesIntoDockerRegistryUnchanged(@TempDir Path tmp) throws Exception {
        String host = "127.0.0.1:" + RestAssured.port;
        String base = "cosign/app-" + UUID.randomUUID().toString().substring(0, 8);
        OciLayout layout = new OciLayout(tmp.resolve("src"), 17);
        OciLayout.Blob image = layout.taggedImage("v1", 2);
        Skopeo skopeo = new Skopeo().withSigstoreAttachments();
        skopeo.copy("oci:" + layout.dir() + ":v1", "docker://" + host + "/" + base + ":v1", "--dest-creds", "admin:password")
                .requireSuccess();
        String repository = asAdmin().queryParam("base_path", base).get("/pulp/api/v3/distributions/container/container/")
                .then().statusCode(200).extract().jsonPath().getString("results[0].repository");
        JsonPath service = asAdmin().contentType(ContentType.JSON).body(Map.of("name", "cosign copy " + UUID.randomUUID(),
                "type", "cosign", "generate", true, "allowed_references", List.of(host + "/"))).post("/pulp/api/v3/signing-services/").then().statusCode(201)
                .extract().jsonPath();
        SignaturePolicyTest.sign(repository, service, host + "/" + base, null);

        String sigTag = CosignTags.signatureTag(Digest.parse(image.digest()));
        byte[] sigilManifest = manifest("http://" + host, base, sigTag);
        byte[] sigilLayer = blob("http://" + host, base, layerDigest(sigilManifest));

        try (DockerRegistryServer registry = new DockerRegistryServer()) {
            skopeo.copy("docker://" + host + "/" + base + ":v1", "docker://" + registry.host() + "/mirror/app:v1").requireSuccess();

            byte[] copiedManifest = manifest(registry.baseUrl(), "mirror/app", sigTag);
            assertEquals(new String(sigilManifest, StandardCharsets.UTF_8), new String(copiedManifest, StandardCharsets.UTF_8),
                    "the .sig manifest must arrive byte for byte");
            byte[] copiedLayer = blob(registry.baseUrl(), "mirror/app", layerDigest(copiedManifest));
            assertArrayEquals(sigilLayer, copiedLayer, "the simple-signing payload must arrive byte for byte");

            String signature = new ObjectMapper().readTree(copiedManifest).path("layers").get(0).path("annotations")
                    .path(CosignSignatures.SIGNATURE_ANNOTATION).asText();
            Path pem = Files.writeString(tmp.resolve("cosign.pub"), service.getString("public_key"));
            Path der = Files.write(tmp.resolve("sig.der"), Base64.getDecoder().decode(signature));
            Path payload = Files.write(tmp.resolve("payload"), copiedLayer);
            assertEquals(0, openssl(pem, der, payload), "openssl must accept the copied signature over the copied payload");
            copiedLayer[copiedLayer.length - 3] ^= 1;
            assertNotEquals(0, openssl(pem, der, Files.write(tmp.resolve("tampered"), copiedLayer)));
        }
    }

    private static byte[] manifest(String baseUri, String name, String reference) {
        return given().baseUri(baseUri).accept(OCI_MANIFEST).get("/v2/" + name + "/manifests/" + reference)
                .then().statusCode(200).extract().asByteArray();
    }

    private static byte[] blob(String baseUri, String name, String digest) {
        byte[] bytes = given().baseUri(baseUri).get("/v2/" + name + "/blobs/" + digest).then().statusCode(200)
                .extract().asByteArray();
        assertEquals(digest, Digest.sha256Of(bytes).toString());
        return bytes;
    }

    private static String layerDigest(byte[] sigManifest) throws Exception {
        JsonNode layers = new ObjectMapper().readTree(sigManifest).path("layers");
        assertEquals(1, layers.size());
        assertEquals(CosignSignatures.SIMPLE_SIGNING_MEDIA_TYPE, layers.get(0).path("mediaType").asText());
        return layers.get(0).path("digest").asText();
    }

    private static int openssl(Path publicKey, Path signature, Path payload) throws Exception {
        Process process = new ProcessBuilder(List.of("openssl", "dgst", "-sha256", "-verify", publicKey.toString(),
                "-signature", signature.toString(), payload.toString())).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        assertTrue(process.exitValue() != 0 || output.contains("Verified OK"), output);
        return process.exitValue();
    }
}
