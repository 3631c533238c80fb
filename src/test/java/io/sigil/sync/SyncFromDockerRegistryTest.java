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
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
        registry = new DockerRegistryServer();
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
}
