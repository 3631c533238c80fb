package io.sigil.registry;

import static io.sigil.testing.Api.asAdmin;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
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
 * {@code skopeo copy --sign-by} into Sigil stores the signature through the extension API, and skopeo's own policy
 * check accepts the image on the way out only with that key: an unsigned image and another key are refused.
 */
@QuarkusTest
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.GLOBAL)
class SkopeoSignByTest {

    static final Path OTHER_KEY = Path.of("src/test/resources/fixtures/containers-image/public-key-2.gpg");

    @Test
    void signedPushesVerifyOnPullAndOnlyWithTheSignersKey(@TempDir Path tmp) throws Exception {
        String repository = "127.0.0.1:" + RestAssured.port + "/signed/app-" + UUID.randomUUID().toString().substring(0, 8);
        OciLayout layout = new OciLayout(tmp.resolve("src"), 11);
        OciLayout.Blob signed = layout.taggedImage("signed", 2);
        layout.taggedImage("unsigned", 1);
        try (SigningSkopeo signer = new SigningSkopeo()) {
            signer.copy("oci:" + layout.dir() + ":signed", "docker://" + repository + ":1.0", true, "--dest-creds", "admin:password");
            signer.copy("oci:" + layout.dir() + ":unsigned", "docker://" + repository + ":plain", false, "--dest-creds", "admin:password");

            asAdmin().queryParam("manifest", signed.digest()).get("/pulp/api/v3/content/container/signatures/")
                    .then().statusCode(200).body("count", equalTo(1))
                    .body("results[0].fingerprint", equalTo(signer.fingerprint()))
                    .body("results[0].docker_reference", equalTo(repository + ":1.0"));
            assertTrue(Files.list(signer.lookaside()).findAny().isEmpty(), "skopeo must use the extension API, not the lookaside");

            Path key = Files.writeString(tmp.resolve("signer.asc"), signer.armoredPublicKey());
            Skopeo requiringSigner = new Skopeo(policy(repository, key));
            requiringSigner.copy("docker://" + repository + ":1.0", "dir:" + tmp.resolve("pulled")).requireSuccess();
            assertTrue(Files.exists(tmp.resolve("pulled/signature-1")), "skopeo copies the signature it verified");

            Skopeo.Result unsignedPull = requiringSigner.copy("docker://" + repository + ":plain", "dir:" + tmp.resolve("refused"));
            assertNotEquals(0, unsignedPull.exitCode(), "an unsigned image must be refused");
            assertTrue(unsignedPull.stderr().contains("signature"), unsignedPull.stderr());

            Skopeo requiringOther = new Skopeo(policy(repository, OTHER_KEY.toAbsolutePath()));
            Skopeo.Result otherKeyPull = requiringOther.copy("docker://" + repository + ":1.0", "dir:" + tmp.resolve("other"));
            assertNotEquals(0, otherKeyPull.exitCode(), "a signature by another key must not satisfy the policy");
        }
    }

    private static String policy(String repository, Path key) {
        return "{\"default\":[{\"type\":\"reject\"}],\"transports\":{\"docker\":{\"" + repository + "\":[{\"type\":\"signedBy\","
                + "\"keyType\":\"GPGKeys\",\"keyPath\":\"" + key + "\"}]},\"dir\":{\"\":[{\"type\":\"insecureAcceptAnything\"}]}}}";
    }
}
