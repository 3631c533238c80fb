package io.sigil.sync;

import static io.sigil.sync.SyncTesting.completedSync;
import static io.sigil.sync.SyncTesting.latestVersion;
import static io.sigil.sync.SyncTesting.remote;
import static io.sigil.sync.SyncTesting.repository;
import static io.sigil.sync.SyncTesting.tags;
import static io.sigil.testing.Api.asAdmin;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.sigil.testing.OciLayout;
import io.sigil.testing.PostgresDatabaseResource;
import io.sigil.testing.SigningSkopeo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Sigil as the upstream: skopeo pushes a signed image into this server (signatures through the extension API), a
 * second repository syncs it over /v2/ with the token flow, and skopeo pulls the mirror under a policy that requires
 * the upstream's key with remapIdentity, as a mirror user would configure it.
 */
@QuarkusTest
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.GLOBAL)
class SyncFromSigilTest {

    @Test
    void mirrorsAnotherSigilThroughTheExtensionApiAndSkopeoVerifiesTheMirror() throws Exception {
        String host = "127.0.0.1:" + RestAssured.port;
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String upstreamPath = "upstream/app-" + suffix;
        String mirrorPath = "mirror/app-" + suffix;
        try (SigningSkopeo skopeo = new SigningSkopeo()) {
            OciLayout layout = new OciLayout(Files.createTempDirectory("sigil-upstream"), 7);
            layout.taggedImage("v1", 1);
            skopeo.copy("oci:" + layout.dir() + ":v1", "docker://" + host + "/" + upstreamPath + ":v1", true,
                    "--dest-creds", "admin:password");

            String repository = repository();
            JsonPath task = completedSync(repository, remote(Map.of("url", "http://" + host, "upstream_name", upstreamPath,
                    "username", "admin", "password", "password", "signed_only", true,
                    "verify_with", List.of(skopeo.armoredPublicKey()))), false);
            assertEquals(true, task.getBoolean("result.upstream.signature_extension"));
            assertThat(task.getList("result.upstream.sources", String.class), hasItem("extension"));
            assertEquals(Map.of("valid", 1), task.getMap("result.signatures.by_verdict"));
            assertEquals("extension", task.getString("result.signatures.verdicts[0].source"));
            assertThat(tags(latestVersion(repository)), containsInAnyOrder("v1"));

            asAdmin().contentType(ContentType.JSON).body(Map.of("name", mirrorPath, "base_path", mirrorPath,
                    "repository", repository)).post("/pulp/api/v3/distributions/container/container/").then().statusCode(201);
            Path key = Files.writeString(Files.createTempFile("upstream", ".asc"), skopeo.armoredPublicKey());
            Path policy = Files.writeString(Files.createTempFile("policy", ".json"), """
                    {"default":[{"type":"reject"}],"transports":{"docker":{"%s":[{"type":"signedBy","keyType":"GPGKeys",
                    "keyPath":"%s","signedIdentity":{"type":"remapIdentity","prefix":"%s","signedPrefix":"%s"}}]}}}
                    """.formatted(host + "/" + mirrorPath, key, host + "/" + mirrorPath, host + "/" + upstreamPath));
            Path out = Files.createTempDirectory("mirror-pull");
            String pulled = skopeo.run(List.of("skopeo", "--policy", policy.toString(), "--registries.d",
                    Files.createTempDirectory("no-lookaside").toString(), "copy", "--src-tls-verify=false",
                    "--src-creds", "admin:password", "docker://" + host + "/" + mirrorPath + ":v1", "dir:" + out));
            assertTrue(Files.exists(out.resolve("manifest.json")) && Files.exists(out.resolve("signature-1")), pulled);
        }
    }
}
