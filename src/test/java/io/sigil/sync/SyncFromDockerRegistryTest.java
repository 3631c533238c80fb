package io.sigil.sync;

import static io.sigil.testing.Api.asAdmin;
import static io.sigil.sync.SyncTesting.completedSync;
import static io.sigil.sync.SyncTesting.count;
import static io.sigil.sync.SyncTesting.latestVersion;
import static io.sigil.sync.SyncTesting.remote;
import static io.sigil.sync.SyncTesting.repository;
import static io.sigil.sync.SyncTesting.signatures;
import static io.sigil.sync.SyncTesting.sync;
import static io.sigil.sync.SyncTesting.tags;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
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
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Sync from the real CNCF docker-registry: images pushed and signed by skopeo (lookaside signatures served over
 * HTTP), cosign {@code .sig} tags and a referrer fallback tag pushed raw.
 */
@QuarkusTest
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.GLOBAL)
class SyncFromDockerRegistryTest {

    static DockerRegistryServer registry;
    static SigningSkopeo skopeo;
    static StaticHttpServer lookaside;
    static Upstreams upstreams;
    static OciLayout layout;

    @BeforeAll
    static void upstream() throws Exception {
        registry = new DockerRegistryServer(true); // with its access log: tests count what a sync asks
        skopeo = new SigningSkopeo();
        lookaside = new StaticHttpServer(skopeo.lookaside());
        upstreams = new Upstreams(registry.baseUrl());
        layout = new OciLayout(Files.createTempDirectory("sync-layout"), 42);
    }

    @AfterAll
    static void stop() {
        lookaside.close();
        skopeo.close();
        registry.close();
    }

    /** Pushes a fresh one-layer image as {@code name:tag}, signed or not; returns its manifest. */
    static OciLayout.Blob push(String name, String tag, boolean sign) {
        OciLayout.Blob image = layout.taggedImage(name + "-" + tag, 1);
        skopeo.copy("oci:" + layout.dir() + ":" + name + "-" + tag, "docker://" + registry.host() + "/" + name + ":" + tag, sign);
        return image;
    }

    static Path lookasideDir(String name, String digest) {
        return skopeo.lookaside().resolve(name + "@sha256=" + digest.substring(7));
    }

    Map<String, Object> remoteFields(String name) {
        return Map.of("url", registry.baseUrl(), "upstream_name", name, "sigstore", lookaside.baseUrl(),
                "verify_with", List.of(skopeo.armoredPublicKey(), upstreams.cosignPublicKeyPem()));
    }

    @Test
    void bringsEverySignatureKindAndSkipsBadOnes() throws Exception {
        OciLayout.Blob signed = push("mixed", "signed", true);
        push("mixed", "unsigned", false);
        OciLayout.Blob corrupt = push("mixed", "corrupt", true);
        Files.write(lookasideDir("mixed", corrupt.digest()).resolve("signature-2"), "not OpenPGP".getBytes());
        OciLayout.Blob cosigned = push("mixed", "cosigned", false);
        String sig = upstreams.pushCosignSignature("mixed", registry.host() + "/mixed", cosigned.digest());
        String sbom = upstreams.pushReferrerWithFallbackTag("mixed", signed.digest(), signed.size());

        String repository = repository();
        JsonPath task = completedSync(repository, remote(remoteFields("mixed")), false);

        String version = latestVersion(repository);
        assertThat(tags(version), containsInAnyOrder("signed", "unsigned", "corrupt", "cosigned",
                "sha256-" + cosigned.digest().substring(7) + ".sig", "sha256-" + signed.digest().substring(7)));
        assertThat(signatures(version).stream().map(s -> s.get("signed_digest") + " " + s.get("type")).toList(),
                containsInAnyOrder(signed.digest() + " atomic", corrupt.digest() + " atomic", cosigned.digest() + " cosign"));
        assertEquals(sig, signatures(version).stream().filter(s -> "cosign".equals(s.get("type"))).findFirst().orElseThrow()
                .get("carrier_manifest").toString().isEmpty() ? null : sig);
        assertEquals(Map.of("valid", 3, "bad", 1), task.getMap("result.signatures.by_verdict"));
        assertThat(task.getList("result.signatures.verdicts.findAll { it.verdict == 'valid' }.key", String.class),
                hasItem(skopeo.fingerprint()));
        assertEquals(corrupt.digest(), task.getString("result.signatures.skipped[0].manifest"));
        assertThat(task.getList("progress_reports.code", String.class),
                hasItems("sync.tags", "sync.signatures", "sync.blobs", "sync.skipped_signatures"));
        // 4 images, the .sig manifest, the SBOM referrer and its fallback index
        assertEquals(7, count(version, "present", "container.manifest"));
        assertThat(task.getList("result.manifests.skipped"), org.hamcrest.Matchers.empty());
        assertEquals(sbom, asAdmin().queryParam("digest", sbom).get("/pulp/api/v3/content/container/manifests/")
                .then().statusCode(200).extract().path("results[0].digest"));
    }
    @Test
    void signaturesByARevokedKeyAreSkippedWithTheReason() {
        OciLayout.Blob image = push("revoked", "one", true);
        JsonPath invalidation = io.sigil.testing.Tasks.completed(asAdmin().contentType(io.restassured.http.ContentType.JSON)
                .body(Map.of("key", skopeo.fingerprint(), "reason", "build key leaked"))
                .post("/pulp/api/v3/signatures/invalidate/"));
        String revoked = invalidation.getString("result.revoked_keys[0]");
        try {
            String repository = repository();
            JsonPath task = completedSync(repository, remote(remoteFields("revoked")), false);
            String version = latestVersion(repository);
            assertThat(tags(version), hasItem("one"));
            assertThat(signatures(version), org.hamcrest.Matchers.empty());
            assertEquals(image.digest(), task.getString("result.signatures.skipped[0].manifest"));
            assertThat(task.getString("result.signatures.skipped[0].reason"), org.hamcrest.Matchers.containsString("revoked"));
        } finally {
            asAdmin().delete(revoked).then().statusCode(204); // the other tests sign with the same key
        }
    }

    @Test
    void signedOnlySkipsUnsignedManifestsAndListsWithAnUnsignedChild() {
        push("strict", "signed", true);
        push("strict", "unsigned", false);
        OciLayout.Blob amd = layout.image("amd64", layout.layer(300));
        OciLayout.Blob arm = layout.image("arm64", layout.layer(300));
        layout.tag("strict-list", layout.index(amd, arm));
        skopeo.copy("oci:" + layout.dir() + ":strict-list", "docker://" + registry.host() + "/strict:list", true, "--all");
        deleteTree(lookasideDir("strict", arm.digest()));
        Map<String, Object> fields = new java.util.HashMap<>(remoteFields("strict"));
        fields.put("signed_only", true);

        String repository = repository();
        JsonPath task = completedSync(repository, remote(fields), false);

        assertThat(tags(latestVersion(repository)), containsInAnyOrder("signed"));
        assertThat(task.getList("result.tags.skipped.tag", String.class), containsInAnyOrder("unsigned", "list"));
        assertThat(task.getString("result.tags.skipped.find { it.tag == 'list' }.reason"),
                org.hamcrest.Matchers.containsString(arm.digest()));
    }

    @Test
    void reSyncAddsOnlyNewSignaturesAndNothingWhenNothingChanged() throws Exception {
        OciLayout.Blob image = push("again", "v1", true);
        String repository = repository();
        String remote = remote(remoteFields("again"));
        completedSync(repository, remote, false);
        String first = latestVersion(repository);

        JsonPath unchanged = completedSync(repository, remote, false);
        assertEquals("unchanged", unchanged.getString("result.version"));
        assertEquals(first, latestVersion(repository));
        assertEquals(0, unchanged.getInt("result.blobs.downloaded"));
        assertEquals(0, unchanged.getInt("result.manifests.downloaded"));

        // RSA signatures are deterministic and the payload's timestamp counts seconds: a signature made within the
        // same second as the push would be the very same bytes, not a new signature.
        Thread.sleep(1100);
        Path manifest = Files.write(Files.createTempFile("manifest", ".json"), image.bytes());
        Path extra = lookasideDir("again", image.digest()).resolve("signature-2");
        skopeo.run(List.of("skopeo", "standalone-sign", "-o", extra.toString(), manifest.toString(),
                registry.host() + "/again:v1", skopeo.fingerprint()));
        JsonPath resync = completedSync(repository, remote, false);
        String second = latestVersion(repository);
        assertEquals(second, resync.getString("result.version"), () -> resync.prettify());
        assertEquals(1, count(second, "added", "container.signature"));
        assertEquals(0, count(second, "added", "container.manifest") + count(second, "added", "container.blob")
                + count(second, "added", "container.tag") + count(second, "removed", "container.signature"));
        assertEquals(0, resync.getInt("result.blobs.downloaded"));
        assertEquals(2, signatures(second).size());
    }

    /**
     * What a re-sync of an unchanged upstream asks, counted in docker-registry's access log and the lookaside server:
     * a HEAD per tag and the walk of each lookaside directory (a new signature may have appeared), nothing downloaded
     * again, and no request for attachment tags the tag list says do not exist.
     */
    @Test
    void aNoChangeReSyncOnlyHeadsTagsAndWalksTheLookaside() throws Exception {
        OciLayout.Blob one = push("counted", "one", true);
        OciLayout.Blob two = push("counted", "two", true);
        String sig = "sha256-" + two.digest().substring(7) + ".sig";
        upstreams.pushCosignSignature("counted", registry.host() + "/counted", two.digest());
        String repository = repository();
        String remote = remote(remoteFields("counted"));

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

    /** Requests for cosign or referrers fallback tags ({@code sha256-<hex>...}). */
    private static List<String> attachmentTagRequests(List<String> requests) {
        return requests.stream().filter(r -> r.contains("/manifests/sha256-")).toList();
    }

    @Test
    void tagFiltersAndMirror() {
        push("filtered", "v1", false);
        push("filtered", "v2", false);
        push("filtered", "dev-1", false);
        String repository = repository();
        Map<String, Object> fields = new java.util.HashMap<>(remoteFields("filtered"));
        fields.put("include_tags", List.of("v*"));
        fields.put("exclude_tags", List.of("v2"));
        completedSync(repository, remote(fields), false);
        assertThat(tags(latestVersion(repository)), containsInAnyOrder("v1"));

        // Exact names are asked for one by one; a missing one is reported, and mirror drops what was not selected.
        fields.put("include_tags", List.of("v2", "missing"));
        fields.remove("exclude_tags");
        JsonPath task = completedSync(repository, remote(fields), true);
        assertThat(tags(latestVersion(repository)), containsInAnyOrder("v2"));
        assertThat(task.getList("result.tags.skipped.tag", String.class), containsInAnyOrder("missing"));
        assertEquals(2, task.getInt("result.tags.listed"));
    }

    @Test
    void signedOnlyWithNoSourceTheUpstreamOffersIsRefused() {
        push("nosource", "v1", true);
        Map<String, Object> fields = new java.util.HashMap<>(remoteFields("nosource"));
        fields.put("signed_only", true);
        fields.put("signature_sources", List.of("extension"));
        String repository = repository();
        JsonPath task = sync(repository, remote(fields), false);
        assertEquals("failed", task.getString("state"));
        assertThat(task.getString("error.description"), org.hamcrest.Matchers.containsString("offers none of its signature sources"));
        assertEquals(repository + "versions/0/", latestVersion(repository));
    }

    @Test
    void anUpstreamThatDiesMidSyncLeavesNoVersion() {
        try (DockerRegistryServer dying = new DockerRegistryServer(); SigningSkopeo signer = new SigningSkopeo();
             StaticHttpServer store = new StaticHttpServer(signer.lookaside())) {
            OciLayout.Blob image = layout.taggedImage("dying-v1", 1);
            signer.copy("oci:" + layout.dir() + ":dying-v1", "docker://" + dying.host() + "/dying:v1", true);
            store.beforeAnswer(path -> dying.close()); // the registry goes away while signatures are read
            String repository = repository();
            JsonPath task = sync(repository, remote(Map.of("url", dying.baseUrl(), "upstream_name", "dying",
                    "sigstore", store.baseUrl())), false);
            assertEquals("failed", task.getString("state"), task::prettify);
            assertThat(task.getString("error.description"), org.hamcrest.Matchers.containsString("failed after 4 attempts"));
            assertEquals(repository + "versions/0/", latestVersion(repository));
            assertThat(image.digest(), org.hamcrest.Matchers.notNullValue());
        }
    }

    @Test
    void verifyWithNamesTrustedKeysByHref() {
        push("trusted", "v1", true);
        String key = asAdmin().contentType(io.restassured.http.ContentType.JSON).body(Map.of("name", "upstream-" + registry.host(),
                "type", "openpgp", "public_key", skopeo.armoredPublicKey())).post("/pulp/api/v3/trusted-keys/")
                .then().statusCode(201).extract().path("pulp_href");
        try {
            String repository = repository();
            JsonPath task = completedSync(repository, remote(Map.of("url", registry.baseUrl(), "upstream_name", "trusted",
                    "sigstore", lookaside.baseUrl(), "signed_only", true, "verify_with", List.of(key))), false);
            assertEquals(Map.of("valid", 1), task.getMap("result.signatures.by_verdict"));
            assertEquals(skopeo.fingerprint(), task.getString("result.signatures.verdicts[0].key"));
            assertThat(tags(latestVersion(repository)), containsInAnyOrder("v1"));
        } finally {
            // Later test classes expect no trusted keys they did not add.
            io.sigil.testing.Tasks.await(asAdmin().delete(key).then().statusCode(202).extract().path("task"));
        }
    }

    static void deleteTree(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
