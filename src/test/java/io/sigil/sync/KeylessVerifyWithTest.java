package io.sigil.sync;

import static io.sigil.sync.SyncTesting.completedSync;
import static io.sigil.sync.SyncTesting.latestVersion;
import static io.sigil.sync.SyncTesting.remote;
import static io.sigil.sync.SyncTesting.repository;
import static io.sigil.sync.SyncTesting.signatures;
import static io.sigil.sync.SyncTesting.tags;
import static io.sigil.testing.Api.asAdmin;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.sigil.signature.CosignSignatures;
import io.sigil.signature.RevokedKeys;
import io.sigil.signature.TestSigstore;
import io.sigil.storage.Digest;
import io.sigil.testing.DockerRegistryServer;
import io.sigil.testing.OciLayout;
import io.sigil.testing.PostgresDatabaseResource;
import io.sigil.testing.Skopeo;
import io.sigil.testing.Tasks;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyPair;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A remote's {@code verify_with} naming keyless trusted keys (Fulcio CA + Rekor key + OIDC issuer and subject): the
 * whole trust applies during sync, as it does for stored verdicts.
 */
@QuarkusTest
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.GLOBAL)
class KeylessVerifyWithTest {

    static final String KEYS = "/pulp/api/v3/trusted-keys/";
    static final String DEVELOPER = "dev@example.com";
    /** The containers/image fixture: signed by mitr@redhat.com through GitHub, for this image in this repository. */
    static final String FIXTURE = "fixtures/containers-image/";
    static final String FIXTURE_DIGEST = "sha256:0489474da8ea22426ece86ace6c1c0026ab2fd3cdfbbd62b7e94650266c37d9a";
    static final String FIXTURE_REGISTRY = "http://192.168.64.2:5000";
    static final String FIXTURE_REPOSITORY = "cosign-signed/fulcio-rekor-1";
    static final String GITHUB = "https://github.com/login/oauth";

    static DockerRegistryServer registry;
    static Skopeo skopeo;
    static OciLayout layout;
    static Upstreams upstreams;
    static TestSigstore sigstore;

    @Inject
    RemoteService remotes;
    @Inject
    RevokedKeys revokedKeys;

    private final List<String> trusted = new ArrayList<>();

    @BeforeAll
    static void upstream() throws IOException {
        registry = new DockerRegistryServer();
        skopeo = new Skopeo();
        layout = new OciLayout(Files.createTempDirectory("keyless-layout"), 7);
        upstreams = new Upstreams(registry.baseUrl());
        sigstore = new TestSigstore();
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    /** Trusted keys are global: every key a test trusts is removed again. */
    @AfterEach
    void distrust() {
        for (String href : trusted) {
            Tasks.await(asAdmin().delete(href).then().statusCode(202).extract().path("task"));
        }
        trusted.clear();
    }

    @Test
    void syncKeepsSignaturesTheKeylessKeyVouchesFor() {
        String digest = pushKeylessSigned("keyless-good", DEVELOPER);
        JsonPath key = trust(testKeyless(DEVELOPER));
        String repository = repository();
        JsonPath task = completedSync(repository, remote(fields("keyless-good", key, true)), false);

        assertEquals(Map.of("valid", 1), task.getMap("result.signatures.by_verdict"));
        assertEquals(key.getString("fingerprint"), task.getString("result.signatures.verdicts[0].key"));
        String version = latestVersion(repository);
        assertThat(tags(version), containsInAnyOrder("v1", "sha256-" + digest.substring(7) + ".sig"));
        Map<String, Object> signature = signatures(version).get(0);
        assertEquals(digest, signature.get("signed_digest"));
        JsonPath stored = JsonPath.from(asAdmin().get((String) signature.get("pulp_href")).asString());
        assertEquals(List.of("valid", key.getString("fingerprint")),
                List.of(stored.getString("verification.state"), stored.getString("verification.key")));
    }

    @Test
    void keylessKeyOfAnotherSubjectRejectsTheSignature() {
        String digest = pushKeylessSigned("keyless-other", DEVELOPER);
        JsonPath other = trust(testKeyless("someone@example.com"));

        String lenient = repository();
        JsonPath task = completedSync(lenient, remote(fields("keyless-other", other, false)), false);
        assertEquals(Map.of("invalid", 1), task.getMap("result.signatures.by_verdict"));
        assertThat(task.getString("result.signatures.skipped[0].reason"), containsString("Required email \"someone@example.com\""));
        assertThat(signatures(latestVersion(lenient)), empty());
        assertThat(tags(latestVersion(lenient)), containsInAnyOrder("v1", "sha256-" + digest.substring(7) + ".sig"));

        String strict = repository();
        task = completedSync(strict, remote(fields("keyless-other", other, true)), false);
        assertEquals("v1", task.getString("result.tags.skipped[0].tag"));
        assertThat(task.getString("result.tags.skipped[0].reason"), containsString("none verified by a verify_with key"));
        assertEquals("unchanged", task.getString("result.version"));
        assertThat(tags(latestVersion(strict)), empty());
    }

    /**
     * The upstream fixture signature, checked as a sync of a mirror of the registry it names checks it. (Its image's
     * blobs are not among the fixtures, so it cannot be pushed into a registry and synced whole.)
     */
    @Test
    void upstreamFulcioFixtureIsCheckedWithTheRemotesKeylessKey() {
        FoundSignature fixture = FoundSignature.cosign(SourceKind.COSIGN, CosignSignatures.fromStorageForm(
                resource("dir-img-cosign-fulcio-rekor-valid/signature-1")), null);
        JsonPath mitr = trust(fixtureKeyless("mitr@redhat.com"));
        JsonPath other = trust(fixtureKeyless("someone@example.com"));

        SignatureChecker.Checked valid = check(FIXTURE_REPOSITORY, mitr, fixture);
        assertTrue(valid.kept() && valid.verdict().isValid(), () -> valid.toString());
        assertEquals(mitr.getString("fingerprint"), valid.verdict().keyIdentity());
        assertThat(valid.verdict().reason(), containsString("signed by mitr@redhat.com"));

        SignatureChecker.Checked wrongSubject = check(FIXTURE_REPOSITORY, other, fixture);
        assertFalse(wrongSubject.kept());
        assertThat(wrongSubject.problem(), containsString("Required email \"someone@example.com\" not found"));

        SignatureChecker.Checked otherRepository = check("cosign-signed/elsewhere", mitr, fixture);
        assertFalse(otherRepository.kept());
        assertEquals("signed identity \"192.168.64.2:5000/cosign-signed/fulcio-rekor-1\" is not accepted for "
                + "\"192.168.64.2:5000/cosign-signed/elsewhere@" + FIXTURE_DIGEST + "\" by matchRepository",
                otherRepository.problem());

        SignatureChecker.Checked unconfigured = checker(FIXTURE_REPOSITORY, List.of()).check(Digest.parse(FIXTURE_DIGEST), fixture);
        assertTrue(unconfigured.kept());
        assertNull(unconfigured.verdict().keyIdentity());
    }

    /** A cosign key with a Rekor log in {@code verify_with} needs that log's SET, as in stored verdicts. */
    @Test
    void cosignKeyWithRekorNeedsASetByThatLogDuringSync() {
        FoundSignature fixture = FoundSignature.cosign(SourceKind.COSIGN, CosignSignatures.fromStorageForm(
                resource("dir-img-cosign-key-rekor-valid/signature-1")), null);
        JsonPath wrongLog = trust(cosignWithRekor(text("cosign.pub")));
        SignatureChecker.Checked rejected = check("cosign-signed/key-1", wrongLog, fixture);
        assertFalse(rejected.kept());
        assertThat(rejected.problem(), containsString("Rekor SET failed"));
        distrust(); // one key may be trusted once

        JsonPath rightLog = trust(cosignWithRekor(text("rekor.pub")));
        SignatureChecker.Checked valid = check("cosign-signed/key-1", rightLog, fixture);
        assertTrue(valid.kept() && valid.verdict().isValid(), () -> valid.toString());
        assertEquals(rightLog.getString("fingerprint"), valid.verdict().keyIdentity());
    }

    private SignatureChecker.Checked check(String upstreamName, JsonPath key, FoundSignature found) {
        return checker(upstreamName, List.of(key.getString("pulp_href"))).check(Digest.parse(FIXTURE_DIGEST), found);
    }

    private SignatureChecker checker(String upstreamName, List<String> verifyWith) {
        String remote = remote(Map.of("url", FIXTURE_REGISTRY, "upstream_name", upstreamName, "verify_with", verifyWith));
        RemoteSettings settings = remotes.settings(UUID.fromString(remote.replaceAll(".*/([0-9a-f-]{36})/$", "$1")));
        return new SignatureChecker(settings, revokedKeys);
    }

    /** Pushes {@code name:v1} and a keyless {@code .sig} for it by {@code email}, naming this registry's repository. */
    private static String pushKeylessSigned(String name, String email) {
        OciLayout.Blob image = layout.taggedImage(name, 1);
        skopeo.copy("oci:" + layout.dir() + ":" + name, "docker://" + registry.host() + "/" + name + ":v1").requireSuccess();
        KeyPair signer = io.sigil.lifecycle.LifecycleFixtures.ecKey();
        Instant issued = Instant.now().minusSeconds(60);
        byte[] payload = Upstreams.cosignPayload(registry.host() + "/" + name, image.digest());
        upstreams.pushCosignLayer(name, image.digest(), sigstore.layer(signer,
                sigstore.leaf(signer.getPublic(), email, TestSigstore.ISSUER, null, issued), payload, issued.plusSeconds(30)));
        return image.digest();
    }

    private Map<String, Object> fields(String name, JsonPath key, boolean signedOnly) {
        return Map.of("url", registry.baseUrl(), "upstream_name", name, "signed_only", signedOnly,
                "verify_with", List.of(key.getString("pulp_href")));
    }

    private static Map<String, Object> testKeyless(String subject) {
        return keyless(TestSigstore.pem(sigstore.root), sigstore.rekorPem(), TestSigstore.ISSUER, subject);
    }

    private static Map<String, Object> fixtureKeyless(String subject) {
        return keyless(text("fulcio_v1.crt.pem"), text("rekor.pub"), GITHUB, subject);
    }

    private static Map<String, Object> cosignWithRekor(String rekorKey) {
        return Map.of("name", "cosign2 + rekor " + UUID.randomUUID(), "type", "cosign", "public_key", text("cosign2.pub"),
                "rekor_public_key", rekorKey);
    }

    private static Map<String, Object> keyless(String fulcioCa, String rekorKey, String issuer, String subject) {
        return new HashMap<>(Map.of("name", "keyless " + UUID.randomUUID(), "type", "keyless", "fulcio_ca", fulcioCa,
                "rekor_public_key", rekorKey, "oidc_issuer", issuer, "subject", subject));
    }

    /** Trusts a key (removed again after the test) and waits for the re-verification it starts. */
    private JsonPath trust(Map<String, Object> request) {
        JsonPath key = asAdmin().contentType(ContentType.JSON).body(request).post(KEYS).then().statusCode(201)
                .extract().jsonPath();
        trusted.add(key.getString("pulp_href"));
        Tasks.await(key.getString("reverify_task"));
        return key;
    }

    private static String text(String name) {
        return new String(resource(name), StandardCharsets.US_ASCII);
    }

    private static byte[] resource(String name) {
        try (InputStream in = KeylessVerifyWithTest.class.getClassLoader().getResourceAsStream(FIXTURE + name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
