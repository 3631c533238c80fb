package io.sigil.sync;

import static io.sigil.sync.SyncTesting.completedSync;
import static io.sigil.sync.SyncTesting.latestVersion;
import static io.sigil.sync.SyncTesting.remote;
import static io.sigil.sync.SyncTesting.repository;
import static io.sigil.sync.SyncTesting.signatures;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.sigil.testing.DockerRegistryServer;
import io.sigil.testing.OciLayout;
import io.sigil.testing.PostgresDatabaseResource;
import io.sigil.testing.SigningSkopeo;
import io.sigil.testing.StaticHttpServer;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a sync asks the upstream, counted in docker-registry's access log and the lookaside server: a re-sync of an
 * unchanged upstream HEADs each tag and walks each lookaside directory (a new signature may have appeared) but
 * downloads nothing, and no sync asks for attachment tags the tag list says do not exist.
 */
@QuarkusTest
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.GLOBAL)
class SyncRequestCountTest {

    static DockerRegistryServer registry;
    static SigningSkopeo skopeo;
    static StaticHttpServer lookaside;
    static Upstreams upstreams;
    static OciLayout layout;

    @BeforeAll
    static void upstream() throws Exception {
        registry = new DockerRegistryServer(true);
        skopeo = new SigningSkopeo();
        lookaside = new StaticHttpServer(skopeo.lookaside());
        upstreams = new Upstreams(registry.baseUrl());
        layout = new OciLayout(Files.createTempDirectory("sync-count-layout"), 7);
    }

    @AfterAll
    static void stop() {
        lookaside.close();
        skopeo.close();
        registry.close();
    }

    @Test
    void aNoChangeReSyncOnlyHeadsTagsAndWalksTheLookaside() throws Exception {
        OciLayout.Blob one = push("one");
        OciLayout.Blob two = push("two");
        String sig = "sha256-" + two.digest().substring(7) + ".sig";
        upstreams.pushCosignSignature("counted", registry.host() + "/counted", two.digest());
        String repository = repository();
        String remote = remote(Map.of("url", registry.baseUrl(), "upstream_name", "counted", "sigstore", lookaside.baseUrl(),
                "verify_with", List.of(skopeo.armoredPublicKey(), upstreams.cosignPublicKeyPem())));

        int before = registry.requests().size();
        completedSync(repository, remote, false);
        List<String> first = registry.requests().subList(before, registry.requests().size());
        assertEquals(List.of("HEAD /v2/counted/manifests/" + sig), attachmentTagRequests(first),
                "only the listed attachment tag is asked for: " + first);
        assertEquals(3, signatures(latestVersion(repository)).size());

        int registryBefore = registry.requests().size();
        int lookasideBefore = lookaside.requests();
        JsonPath resync = completedSync(repository, remote, false);
        List<String> asked = registry.requests().subList(registryBefore, registry.requests().size());

        assertEquals("unchanged", resync.getString("result.version"));
        assertThat("nothing is downloaded again: " + asked,
                asked.stream().filter(r -> r.startsWith("GET") && (r.contains("/manifests/") || r.contains("/blobs/"))).toList(), empty());
        assertThat(asked.stream().filter(r -> r.startsWith("HEAD")).toList(), containsInAnyOrder(
                "HEAD /v2/counted/manifests/one", "HEAD /v2/counted/manifests/two", "HEAD /v2/counted/manifests/" + sig));
        assertEquals(List.of("HEAD /v2/counted/manifests/" + sig), attachmentTagRequests(asked));
        long other = asked.stream().filter(r -> !r.startsWith("HEAD") && !r.equals("GET /v2/")
                && !r.startsWith("GET /v2/counted/tags/list") && !r.startsWith("GET /v2/counted/referrers/")).count();
        assertEquals(0, other, () -> "unexpected requests: " + asked);
        assertTrue(asked.stream().filter(r -> r.startsWith("GET /v2/counted/referrers/")).count() <= 2, asked::toString);
        // signature-1 (unchanged) and signature-2 (404: the end of the walk) of each image: new signatures would show
        assertEquals(4, lookaside.requests() - lookasideBefore);
        assertThat(signatures(latestVersion(repository)).stream().filter(s -> "atomic".equals(s.get("type")))
                .map(s -> s.get("signed_digest")).toList(), containsInAnyOrder(one.digest(), two.digest()));
    }

    private static OciLayout.Blob push(String tag) {
        OciLayout.Blob image = layout.taggedImage("counted-" + tag, 1);
        skopeo.copy("oci:" + layout.dir() + ":counted-" + tag, "docker://" + registry.host() + "/counted:" + tag, true);
        return image;
    }

    /** Requests for cosign or referrers fallback tags ({@code sha256-<hex>...}). */
    private static List<String> attachmentTagRequests(List<String> requests) {
        return requests.stream().filter(r -> r.contains("/manifests/sha256-")).toList();
    }
}
