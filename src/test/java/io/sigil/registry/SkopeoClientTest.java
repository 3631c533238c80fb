package io.sigil.registry;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.sigil.testing.OciLayout;
import io.sigil.testing.PostgresDatabaseResource;
import io.sigil.testing.Skopeo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real skopeo pushes into Sigil and pulls back out; every digest survives the round trip. */
@QuarkusTest
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.GLOBAL)
class SkopeoClientTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Skopeo skopeo = new Skopeo();

    private static String repository(String prefix) {
        return "docker://127.0.0.1:" + RestAssured.port + "/" + prefix + "/" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void imageRoundTripKeepsEveryDigest(@TempDir Path tmp) throws IOException {
        OciLayout source = new OciLayout(tmp.resolve("src"), 1);
        OciLayout.Blob image = source.taggedImage("v1", 2);
        String repository = repository("skopeo");

        skopeo.copy("oci:" + source.dir() + ":v1", repository + ":v1", "--dest-creds", "admin:password").requireSuccess();
        skopeo.copy(repository + ":v1", "oci:" + tmp.resolve("out") + ":v1").requireSuccess();

        assertEquals(image.digest(), taggedDigest(tmp.resolve("out"), "v1"));
        assertSameBlobs(source.dir(), tmp.resolve("out"), image.digest());
        assertArrayEquals(image.bytes(), skopeo.inspect(repository + ":v1", "--raw").requireSuccess().stdout()
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        JsonNode inspected = JSON.readTree(skopeo.inspect(repository + ":v1").requireSuccess().stdout());
        assertEquals(image.digest(), inspected.get("Digest").asText());
        assertEquals("amd64", inspected.get("Architecture").asText());
    }

    @Test
    void twoPlatformIndexRoundTripsWithAll(@TempDir Path tmp) throws IOException {
        OciLayout source = new OciLayout(tmp.resolve("src"), 2);
        OciLayout.Blob shared = source.layer(3000);
        OciLayout.Blob amd64 = source.image("amd64", shared, source.layer(2000));
        OciLayout.Blob arm64 = source.image("arm64", shared, source.layer(2500));
        OciLayout.Blob index = source.index(amd64, arm64);
        source.tag("multi", index);
        String repository = repository("skopeo");

        skopeo.copy("oci:" + source.dir() + ":multi", repository + ":multi", "--all", "--dest-creds", "admin:password")
                .requireSuccess();
        skopeo.copy(repository + ":multi", "oci:" + tmp.resolve("out") + ":multi", "--all").requireSuccess();

        assertEquals(index.digest(), taggedDigest(tmp.resolve("out"), "multi"));
        assertSameBlobs(source.dir(), tmp.resolve("out"), index.digest());
        assertSameBlobs(source.dir(), tmp.resolve("out"), amd64.digest());
        assertSameBlobs(source.dir(), tmp.resolve("out"), arm64.digest());
        assertEquals(index.digest(), digestOfRaw(repository + ":multi"));
    }

    @Test
    void listTagsShowsEveryPushedTag(@TempDir Path tmp) throws IOException {
        OciLayout source = new OciLayout(tmp.resolve("src"), 3);
        source.taggedImage("a", 1);
        source.taggedImage("b", 1);
        String repository = repository("tags");
        for (String tag : List.of("a", "b")) {
            skopeo.copy("oci:" + source.dir() + ":" + tag, repository + ":" + tag, "--dest-creds", "admin:password")
                    .requireSuccess();
        }
        JsonNode listed = JSON.readTree(skopeo.listTags(repository).requireSuccess().stdout());
        List<String> tags = new ArrayList<>();
        listed.get("Tags").forEach(t -> tags.add(t.asText()));
        assertThat(tags, containsInAnyOrder("a", "b"));
    }

    private String digestOfRaw(String image) {
        byte[] raw = skopeo.inspect(image, "--raw").requireSuccess().stdout().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return io.sigil.storage.Digest.sha256Of(raw).toString();
    }

    private static String taggedDigest(Path layout, String tag) throws IOException {
        for (JsonNode entry : JSON.readTree(layout.resolve("index.json").toFile()).get("manifests")) {
            if (tag.equals(entry.path("annotations").path("org.opencontainers.image.ref.name").asText())) {
                return entry.get("digest").asText();
            }
        }
        throw new AssertionError("no " + tag + " in " + layout);
    }

    /** The manifest and every blob it names are byte-identical in both layouts. */
    private static void assertSameBlobs(Path expected, Path actual, String manifestDigest) throws IOException {
        byte[] manifest = blob(expected, manifestDigest);
        assertArrayEquals(manifest, blob(actual, manifestDigest), manifestDigest);
        JsonNode json = JSON.readTree(manifest);
        List<String> digests = new ArrayList<>();
        if (json.has("config")) {
            digests.add(json.get("config").get("digest").asText());
        }
        json.path("layers").forEach(l -> digests.add(l.get("digest").asText()));
        for (String digest : digests) {
            assertArrayEquals(blob(expected, digest), blob(actual, digest), digest);
        }
    }

    private static byte[] blob(Path layout, String digest) throws IOException {
        return Files.readAllBytes(layout.resolve("blobs/sha256").resolve(digest.substring("sha256:".length())));
    }
}
