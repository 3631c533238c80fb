package io.sigil.registry;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.sigil.testing.DockerRegistryServer;
import io.sigil.testing.OciLayout;
import io.sigil.testing.PostgresDatabaseResource;
import io.sigil.testing.SigningSkopeo;
import io.sigil.testing.Skopeo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sigil's atomic signatures in the containers/image lookaside layout: a mirror with no signature support (the CNCF
 * docker-registry) holds the image, registries.d points its lookaside at Sigil, and skopeo's signedBy policy accepts
 * the image with the signer's key and refuses it with another — no extension API involved.
 */
@QuarkusTest
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.GLOBAL)
class LookasideTest {

    @Test
    void skopeoVerifiesAMirroredImageWithSignaturesFromSigilsLookaside(@TempDir Path tmp) throws Exception {
        String sigil = "127.0.0.1:" + RestAssured.port;
        String path = "lookaside/app-" + UUID.randomUUID().toString().substring(0, 8);
        OciLayout layout = new OciLayout(tmp.resolve("src"), 13);
        OciLayout.Blob image = layout.taggedImage("v1", 2);
        try (SigningSkopeo signer = new SigningSkopeo(); DockerRegistryServer mirror = new DockerRegistryServer()) {
            signer.copy("oci:" + layout.dir() + ":v1", "docker://" + sigil + "/" + path + ":1.0", true, "--dest-creds", "admin:password");

            String hex = image.digest().substring(7);
            byte[] first = given().get("/lookaside/" + path + "@sha256=" + hex + "/signature-1").then().statusCode(200)
                    .extract().asByteArray();
            assertEquals((byte) 0xA3, first[0], "raw OpenPGP bytes, as skopeo wrote them");
            given().get("/lookaside/" + path + "@sha256=" + hex + "/signature-2").then().statusCode(404);
            given().get("/lookaside/" + path + "@sha256=" + "0".repeat(64) + "/signature-1").then().statusCode(404);
            given().get("/lookaside/" + path + "/signature-1").then().statusCode(400);

            new Skopeo().copy("docker://" + sigil + "/" + path + ":1.0", "docker://" + mirror.host() + "/" + path + ":1.0",
                    "--remove-signatures").requireSuccess();

            Path key = Files.writeString(tmp.resolve("signer.asc"), signer.armoredPublicKey());
            Skopeo trusting = new Skopeo(policy(mirror.host() + "/" + path, sigil + "/" + path, key))
                    .withLookaside("http://" + sigil + "/lookaside");
            trusting.copy("docker://" + mirror.host() + "/" + path + ":1.0", "dir:" + tmp.resolve("pulled")).requireSuccess();
            assertArrayEquals(first, Files.readAllBytes(tmp.resolve("pulled/signature-1")));

            Skopeo other = new Skopeo(policy(mirror.host() + "/" + path, sigil + "/" + path,
                    SkopeoSignByTest.OTHER_KEY.toAbsolutePath())).withLookaside("http://" + sigil + "/lookaside");
            Skopeo.Result refused = other.copy("docker://" + mirror.host() + "/" + path + ":1.0", "dir:" + tmp.resolve("refused"));
            assertNotEquals(0, refused.exitCode(), "a signature by another key must not satisfy the policy");
            assertTrue(mirror.requests().stream().noneMatch(r -> r.contains("/extensions/")), "no extension API involved");
        }
    }

    /** signedBy for the mirror's repository, the signatures naming Sigil's (remapIdentity maps one to the other). */
    private static String policy(String mirrorRepository, String signedRepository, Path key) {
        return "{\"default\":[{\"type\":\"reject\"}],\"transports\":{\"docker\":{\"" + mirrorRepository + "\":[{\"type\":\"signedBy\","
                + "\"keyType\":\"GPGKeys\",\"keyPath\":\"" + key + "\",\"signedIdentity\":{\"type\":\"remapIdentity\",\"prefix\":\""
                + mirrorRepository + "\",\"signedPrefix\":\"" + signedRepository + "\"}}]},\"dir\":{\"\":[{\"type\":\"insecureAcceptAnything\"}]}}}";
    }
}
