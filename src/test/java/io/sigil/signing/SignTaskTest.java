package io.sigil.signing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.sigil.content.CosignTags;
import io.sigil.content.Manifest;
import io.sigil.repository.Repository;
import io.sigil.signature.CosignSignatures;
import io.sigil.signature.GnuPgHome;
import io.sigil.signature.SigningApi;
import io.sigil.signature.UntrustedCosignSignature;
import io.sigil.storage.Digest;
import io.sigil.testing.PostgresDatabaseResource;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The sign task end to end, checked with gpg, skopeo and openssl. */
@QuarkusTest
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.GLOBAL)
class SignTaskTest {

    private static final String REFERENCE = "registry.example.com/team/app";

    @Inject
    SigningRepos repos;

    @Test
    void atomicSigningCoversTagsAndListChildrenInOneVersionAndIsIdempotent() throws Exception {
        Repository repository = repos.create();
        Manifest image = repos.image(), amd = repos.image(), arm = repos.image();
        Manifest list = repos.list(amd, arm);
        repos.add(repository, repos.tag("v1", image), repos.tag("v1-alias", image), repos.tag("multi", list));
        int before = repos.latest(repository);
        JsonPath service = SigningApi.post(SigningApi.SERVICES, Map.of("name", "atomic " + UUID.randomUUID(), "type", "atomic", "generate", true, "allowed_references", List.of(REFERENCE)), 201);

        JsonPath task = SigningRepos.sign(repository, Map.of("signing_service", service.getString("pulp_href"), "reference", REFERENCE), "completed");

        assertEquals(before + 1, repos.latest(repository), "one new version per sign call");
        assertEquals(5, task.getInt("result.signed"), "v1, v1-alias, multi and the list's two children");
        String version = SigningRepos.versionHref(repository, before + 1);
        assertEquals(List.of(version), task.getList("created_resources"));
        JsonPath signatures = SigningApi.get(SigningApi.SIGNATURES + "?repository_version=" + version);
        assertThat(signatures.getList("results.docker_reference"), containsInAnyOrder(REFERENCE + ":v1", REFERENCE + ":v1-alias",
                REFERENCE + ":multi", REFERENCE + ":multi", REFERENCE + ":multi"));
        assertThat(signatures.getList("results.signed_digest"), containsInAnyOrder(image.digest, image.digest, list.digest,
                amd.digest, arm.digest));
        assertEquals(List.of("Sigil 0.1"), signatures.getList("results.creator").stream().distinct().toList());

        JsonPath again = SigningRepos.sign(repository, Map.of("signing_service", service.getString("pulp_href"), "reference", REFERENCE), "completed");
        assertEquals("unchanged", again.getString("result.version"));
        assertEquals(5, again.getInt("result.already_signed"));
        assertEquals(before + 1, repos.latest(repository));

        // Verdicts follow the trusted keys; the report classifies each signature's identity against each tag.
        String fingerprint = service.getString("pubkey_fingerprint");
        String href = signatures.getList("results.pulp_href", String.class).get(0);
        assertEquals("unknown_key", SigningApi.get(href).getString("verification.state"));
        JsonPath key = SigningApi.trust("service key " + UUID.randomUUID(), "openpgp", service.getString("public_key"));
        assertEquals(fingerprint, SigningApi.get(href).getString("verification.key"));
        assertEquals(5, SigningApi.get(SigningApi.SIGNATURES + "?repository_version=" + version + "&verified=true&key=" + fingerprint).getInt("count"));

        JsonPath report = SigningApi.get(version + "signature_report/?reference=" + REFERENCE);
        assertEquals(List.of("multi", "v1", "v1-alias"), report.getList("results.tag"));
        assertThat(report.getList("results[1].manifest.signatures.match"), containsInAnyOrder("exact", "repository"));
        assertEquals(List.of("valid", "valid"), report.getList("results[1].manifest.signatures.verification.state"));
        assertEquals(2, report.getList("results[0].listed_manifests").size());
        assertEquals(List.of("exact"), report.getList("results[0].listed_manifests[0].signatures.match"));
        assertEquals(List.of("other", "other"), SigningApi.get(version + "signature_report/?reference=elsewhere.example/app")
                .getList("results[1].manifest.signatures.match"));
        SigningApi.distrust(key.getString("pulp_href"));
    }

    @Test
    void gpgAndSkopeoAcceptSigilSignatures() throws Exception {
        assumeTrue(GnuPgHome.commandExists("gpg") && GnuPgHome.commandExists("skopeo"), "gpg or skopeo is not installed");
        Repository repository = repos.create();
        Manifest image = repos.image();
        repos.add(repository, repos.tag("latest", image));
        JsonPath service = SigningApi.post(SigningApi.SERVICES, Map.of("name", "gpg " + UUID.randomUUID(), "type", "atomic", "generate", true, "allowed_references", List.of(REFERENCE)), 201);
        SigningRepos.sign(repository, Map.of("signing_service", service.getString("pulp_href"), "reference", REFERENCE), "completed");
        String href = SigningApi.get(SigningApi.SIGNATURES + "?repository_version=" + SigningRepos.versionHref(repository, repos.latest(repository)))
                .getString("results[0].pulp_href");
        String fingerprint = service.getString("pubkey_fingerprint");

        try (GnuPgHome gnupg = new GnuPgHome()) {
            assertEquals(0, gnupg.gpg("--import", gnupg.file("key.asc", service.getString("public_key").getBytes(StandardCharsets.US_ASCII)).toString()).exitCode());
            Path signature = gnupg.file("signature", SigningRepos.data(href));
            GnuPgHome.Result verify = gnupg.gpg("--status-fd", "1", "--verify", signature.toString());
            assertEquals(0, verify.exitCode(), verify.stderr());
            assertTrue(verify.stdout().contains("[GNUPG:] VALIDSIG " + fingerprint), verify.stdout());
            Path manifest = gnupg.file("manifest.json", image.data);
            GnuPgHome.Result skopeo = gnupg.run(List.of("skopeo", "standalone-verify", manifest.toString(), REFERENCE + ":latest",
                    fingerprint, signature.toString()));
            assertEquals(0, skopeo.exitCode(), skopeo.stderr());
            assertTrue(skopeo.stdout().contains(image.digest), skopeo.stdout());
            GnuPgHome.Result wrongTag = gnupg.run(List.of("skopeo", "standalone-verify", manifest.toString(), REFERENCE + ":other",
                    fingerprint, signature.toString()));
            assertTrue(wrongTag.exitCode() != 0, "skopeo must refuse the signature for another tag");
        }
    }

    @Test
    void cosignSigningWritesASigManifestThatOpensslVerifies() throws Exception {
        Repository repository = repos.create();
        Manifest image = repos.image();
        repos.add(repository, repos.tag("v1", image));
        JsonPath service = SigningApi.post(SigningApi.SERVICES, Map.of("name", "cosign " + UUID.randomUUID(), "type", "cosign", "generate", true, "allowed_references", List.of(REFERENCE)), 201);
        String serviceHref = service.getString("pulp_href");
        SigningRepos.sign(repository, Map.of("signing_service", serviceHref, "reference", REFERENCE), "completed");

        String sigTag = CosignTags.signatureTag(Digest.parse(image.digest));
        String version = SigningRepos.versionHref(repository, repos.latest(repository));
        JsonPath tag = SigningApi.get("/pulp/api/v3/content/container/tags/?repository_version=" + version + "&name=" + sigTag);
        assertEquals(1, tag.getInt("count"));
        JsonNode sig = sigManifest(tag.getString("results[0].tagged_manifest"));
        assertEquals("application/vnd.oci.image.manifest.v1+json", sig.path("mediaType").asText());
        assertEquals(1, sig.path("layers").size());
        JsonNode layer = sig.path("layers").get(0);
        assertEquals(CosignSignatures.SIMPLE_SIGNING_MEDIA_TYPE, layer.path("mediaType").asText());

        JsonPath signature = SigningApi.get(SigningApi.SIGNATURES + "?repository_version=" + version + "&manifest=" + image.digest);
        assertEquals(List.of("cosign"), signature.getList("results.type"));
        assertEquals(tag.getString("results[0].tagged_manifest"), signature.getString("results[0].carrier_manifest"));
        UntrustedCosignSignature stored = CosignSignatures.fromStorageForm(SigningRepos.data(signature.getString("results[0].pulp_href")));
        assertEquals(layer.path("digest").asText(), Digest.sha256Of(stored.payload()).toString());
        assertEquals(layer.path("annotations").path(CosignSignatures.SIGNATURE_ANNOTATION).asText(),
                stored.annotations().get(CosignSignatures.SIGNATURE_ANNOTATION));
        assertEquals(REFERENCE + ":v1", CosignSignatures.parsePayload(stored.payload()).dockerReference());
        assertOpensslVerifies(service.getString("public_key"), stored);

        // A second tag: the .sig manifest keeps its layer and gains one; its config lists both in diff_ids.
        repos.add(repository, repos.tag("v1-again", image));
        SigningRepos.sign(repository, Map.of("signing_service", serviceHref, "reference", REFERENCE), "completed");
        String next = SigningRepos.versionHref(repository, repos.latest(repository));
        JsonPath sigTags = SigningApi.get("/pulp/api/v3/content/container/tags/?repository_version=" + next + "&name=" + sigTag);
        JsonNode grown = sigManifest(sigTags.getString("results[0].tagged_manifest"));
        assertEquals(2, grown.path("layers").size());
        assertEquals(layer, grown.path("layers").get(0));
        JsonNode config = new ObjectMapper().readTree(blobOf(grown.path("config").path("digest").asText()));
        assertEquals(List.of(grown.path("layers").get(0).path("digest").asText(), grown.path("layers").get(1).path("digest").asText()),
                List.of(config.path("rootfs").path("diff_ids").get(0).asText(), config.path("rootfs").path("diff_ids").get(1).asText()));
        assertEquals(0, SigningApi.get(SigningApi.MANIFESTS + "?repository_version=" + next + "&digest=" + SigningApi.get(tag.getString("results[0].tagged_manifest")).getString("digest")).getInt("count"),
                "the replaced .sig manifest leaves the version");
        assertEquals(2, SigningApi.get(SigningApi.SIGNATURES + "?repository_version=" + next + "&manifest=" + image.digest).getInt("count"));

        JsonPath key = SigningApi.trust("cosign service " + UUID.randomUUID(), "cosign", service.getString("public_key"));
        assertEquals(2, SigningApi.get(SigningApi.SIGNATURES + "?repository_version=" + next + "&verified=true&key=" + service.getString("pubkey_fingerprint")).getInt("count"));
        SigningApi.distrust(key.getString("pulp_href"));
    }

    /**
     * Two cosign services sign one image; invalidating the key of the later one leaves a .sig manifest with only the
     * earlier layer, although that layer's unit names as carrier the .sig manifest the first signing wrote.
     */
    @Test
    void invalidatingOneSigningKeyRebuildsTheSigManifestWithTheOtherKeysLayer() throws Exception {
        Repository repository = repos.create();
        Manifest image = repos.image();
        repos.add(repository, repos.tag("v1", image));
        JsonPath first = SigningApi.post(SigningApi.SERVICES, Map.of("name", "cosign " + UUID.randomUUID(), "type", "cosign", "generate", true, "allowed_references", List.of(REFERENCE)), 201);
        JsonPath second = SigningApi.post(SigningApi.SERVICES, Map.of("name", "cosign " + UUID.randomUUID(), "type", "cosign", "generate", true, "allowed_references", List.of(REFERENCE)), 201);
        for (JsonPath service : List.of(first, second)) {
            SigningRepos.sign(repository, Map.of("signing_service", service.getString("pulp_href"), "reference", REFERENCE), "completed");
        }
        String sigTag = CosignTags.signatureTag(Digest.parse(image.digest));
        JsonNode signedTwice = sigManifest(SigningApi.get("/pulp/api/v3/content/container/tags/?repository_version="
                + SigningRepos.versionHref(repository, repos.latest(repository)) + "&name=" + sigTag).getString("results[0].tagged_manifest"));
        assertEquals(2, signedTwice.path("layers").size());
        try {
            JsonPath task = io.sigil.testing.Tasks.completed(SigningApi.admin()
                    .body(Map.of("key", second.getString("public_key"), "reason", "rotated")).post("/pulp/api/v3/signatures/invalidate/"));
            assertEquals(1, task.getInt("result.repositories[0].rebuilt_attachments"));

            String version = SigningRepos.versionHref(repository, repos.latest(repository));
            JsonNode rebuilt = sigManifest(SigningApi.get("/pulp/api/v3/content/container/tags/?repository_version=" + version
                    + "&name=" + sigTag).getString("results[0].tagged_manifest"));
            assertEquals(List.of(signedTwice.path("layers").get(0)), List.of(rebuilt.path("layers").get(0)));
            assertEquals(1, rebuilt.path("layers").size());
            JsonNode config = new ObjectMapper().readTree(blobOf(rebuilt.path("config").path("digest").asText()));
            assertEquals(rebuilt.path("layers").get(0).path("digest").asText(), config.path("rootfs").path("diff_ids").get(0).asText());
            assertEquals(1, config.path("rootfs").path("diff_ids").size());
            JsonPath left = SigningApi.get(SigningApi.SIGNATURES + "?repository_version=" + version + "&manifest=" + image.digest);
            assertEquals(List.of(first.getString("pubkey_fingerprint")), left.getList("results.fingerprint"));
        } finally {
            io.sigil.testing.Revocations.liftAll();
        }
    }

    private static void assertOpensslVerifies(String publicKeyPem, UntrustedCosignSignature signature) throws Exception {
        try (GnuPgHome dir = new GnuPgHome()) {
            Path pem = dir.file("pub.pem", publicKeyPem.getBytes(StandardCharsets.US_ASCII));
            Path der = dir.file("sig.der", Base64.getDecoder().decode(signature.annotations().get(CosignSignatures.SIGNATURE_ANNOTATION)));
            Path payload = dir.file("payload", signature.payload());
            GnuPgHome.Result ok = dir.run(List.of("openssl", "dgst", "-sha256", "-verify", pem.toString(), "-signature", der.toString(), payload.toString()));
            assertEquals(0, ok.exitCode(), ok.stdout() + ok.stderr());
            assertTrue(ok.stdout().contains("Verified OK"), ok.stdout());
            byte[] tampered = signature.payload();
            tampered[tampered.length - 2] ^= 1;
            GnuPgHome.Result bad = dir.run(List.of("openssl", "dgst", "-sha256", "-verify", pem.toString(), "-signature", der.toString(),
                    dir.file("tampered", tampered).toString()));
            assertTrue(bad.exitCode() != 0, bad.stdout());
        }
    }

    private static JsonNode sigManifest(String manifestHref) throws Exception {
        UUID id = UUID.fromString(manifestHref.replaceAll(".*/([0-9a-f-]{36})/$", "$1"));
        byte[] data = QuarkusTransaction.requiringNew().call(() -> Manifest.<Manifest>find("pulpId", id).firstResult().data);
        return new ObjectMapper().readTree(data);
    }

    @Inject
    io.sigil.storage.BlobStore blobs;

    private byte[] blobOf(String digest) throws Exception {
        try (var in = blobs.open(Digest.parse(digest), 0)) {
            return in.readAllBytes();
        }
    }
}
