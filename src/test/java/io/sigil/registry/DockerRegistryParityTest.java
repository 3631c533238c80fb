package io.sigil.registry;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.sigil.testing.DockerRegistryServer;
import io.sigil.testing.OciLayout;
import io.sigil.testing.PostgresDatabaseResource;
import io.sigil.testing.Skopeo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CNCF registry and Sigil, given the same image by skopeo, answer with the same digests and key headers. */
@QuarkusTest
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.GLOBAL)
class DockerRegistryParityTest {

    private static final String ACCEPT = String.join(",", OciLayout.MANIFEST, OciLayout.INDEX,
            "application/vnd.docker.distribution.manifest.v2+json",
            "application/vnd.docker.distribution.manifest.list.v2+json");
    private static final List<String> KEY_HEADERS = List.of("Docker-Content-Digest", "Content-Type", "Content-Length");

    @Test
    void manifestsAndBlobsMatchTheReferenceRegistry(@TempDir Path tmp) {
        OciLayout layout = new OciLayout(tmp, 7);
        OciLayout.Blob amd64 = layout.image("amd64", layout.layer(5000), layout.layer(3000));
        OciLayout.Blob arm64 = layout.image("arm64", layout.layer(4000));
        layout.tag("single", amd64);
        layout.tag("multi", layout.index(amd64, arm64));
        String name = "parity/" + UUID.randomUUID().toString().substring(0, 8);
        Skopeo skopeo = new Skopeo();

        try (DockerRegistryServer reference = new DockerRegistryServer()) {
            String sigil = "http://127.0.0.1:" + RestAssured.port;
            for (String tag : List.of("single", "multi")) {
                skopeo.copy("oci:" + layout.dir() + ":" + tag, "docker://" + reference.host() + "/" + name + ":" + tag, "--all")
                        .requireSuccess();
                skopeo.copy("oci:" + layout.dir() + ":" + tag, "docker://127.0.0.1:" + RestAssured.port + "/" + name + ":" + tag,
                        "--all", "--dest-creds", "admin:password").requireSuccess();
            }
            List<String> paths = new ArrayList<>();
            for (String ref : List.of("single", "multi", amd64.digest())) {
                paths.add("/v2/" + name + "/manifests/" + ref);
            }
            String config = amd64Config(reference.baseUrl() + "/v2/" + name + "/manifests/single");
            paths.add("/v2/" + name + "/blobs/" + config);
            for (String path : paths) {
                for (String method : List.of("GET", "HEAD")) {
                    Response expected = given().baseUri(reference.baseUrl()).port(-1).header("Accept", ACCEPT).request(method, path);
                    Response actual = given().baseUri(sigil).port(-1).header("Accept", ACCEPT).request(method, path);
                    assertEquals(expected.statusCode(), actual.statusCode(), method + " " + path);
                    for (String header : KEY_HEADERS) {
                        assertEquals(expected.header(header), actual.header(header), method + " " + path + " " + header);
                    }
                    assertArrayEquals(expected.asByteArray(), actual.asByteArray(), method + " " + path);
                }
            }
        }
    }

    private static String amd64Config(String manifestUrl) {
        return given().baseUri(manifestUrl).port(-1).header("Accept", ACCEPT).get().jsonPath().getString("config.digest");
    }
}
