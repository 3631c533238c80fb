package io.sigil.lifecycle;

import static io.sigil.lifecycle.InvalidationTest.body;
import static io.sigil.lifecycle.InvalidationTest.compromised;
import static io.sigil.lifecycle.InvalidationTest.fingerprint;
import static io.sigil.lifecycle.InvalidationTest.invalidated;
import static io.sigil.lifecycle.InvalidationTest.other;
import static io.sigil.lifecycle.InvalidationTest.signer;
import static io.sigil.testing.Api.asAdmin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.sigil.content.ContentStore;
import io.sigil.content.Manifest;
import io.sigil.content.Signature;
import io.sigil.content.Tag;
import io.sigil.repository.Hrefs;
import io.sigil.repository.Repository;
import io.sigil.testing.PostgresDatabaseResource;
import io.sigil.testing.Tasks;
import jakarta.inject.Inject;
import java.security.KeyPair;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * "Every signature made by the key must leave every repository at once, and stay out": after an invalidation, modify,
 * copy and sign cannot bring a signature by the revoked key back, not even from a version older than the invalidation.
 */
@QuarkusTest
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.GLOBAL)
class RevokedSignaturesStayOutTest {

    static final String REPOSITORIES = "/pulp/api/v3/repositories/container/container/";

    @Inject
    LifecycleFixtures fixtures;
    @Inject
    ContentStore store;

    /** Revocations are server-wide: lift them so other test classes can keep using the fixture keys. */
    @AfterEach
    void liftRevocations() {
        io.sigil.testing.Revocations.liftAll();
    }

    private static String href(Signature s) {
        return "/pulp/api/v3/content/container/signatures/" + s.pulpId + "/";
    }

    private static String repoHref(Repository r) {
        return Hrefs.repository(r.pulpId);
    }

    private static JsonPath task(String path, Map<String, Object> body) {
        return Tasks.completed(asAdmin().contentType(ContentType.JSON).body(body).post(path));
    }

    /** An image signed by the key about to be revoked and by another, in a repository; then the key is invalidated. */
    private record Signed(Repository repository, Manifest image, Tag tag, Signature revoked, Signature kept, String revocation) {
    }

    private Signed signedThenInvalidated() {
        Manifest image = fixtures.image();
        Tag tag = QuarkusTransaction.requiringNew().call(() -> store.tag("v1", Manifest.findById(image.id)));
        Signature bad = fixtures.atomic(image, signer(compromised()));
        Signature good = fixtures.atomic(image, signer(other()));
        Repository repository = fixtures.repository("stay-out");
        fixtures.add(repository, tag, bad, good);
        JsonPath invalidation = invalidated(body("key", fingerprint(compromised()), "reason", "leaked in CI logs"));
        assertFalse(fixtures.latest(repository).contains(bad.id));
        return new Signed(repository, image, tag, bad, good, invalidation.getString("result.revoked_keys[0]"));
    }

    @Test
    void modifyRefusesToAddASignatureByARevokedKeyNamingItAndItsRevocation() {
        Signed s = signedThenInvalidated();
        Repository target = fixtures.repository("stay-out");
        fixtures.add(target, s.image());
        int before = fixtures.latestVersion(target);

        JsonPath refusal = asAdmin().contentType(ContentType.JSON)
                .body(Map.of("add_content_units", List.of(href(s.kept()), href(s.revoked()))))
                .post(repoHref(target) + "modify/").then().statusCode(400).extract().jsonPath();

        assertEquals(List.of(href(s.revoked())), refusal.getList("revoked_signatures.signature"));
        assertEquals(List.of(s.revocation()), refusal.getList("revoked_signatures.revoked_key"));
        assertEquals(List.of("leaked in CI logs"), refusal.getList("revoked_signatures.reason"));
        assertTrue(refusal.getString("add_content_units[0]").contains(fingerprint(compromised())), refusal.prettify());
        assertEquals(before, fixtures.latestVersion(target), "no version");
    }

    @Test
    void copyLeavesRevokedSignaturesBehindAndSaysHowMany() {
        Signed s = signedThenInvalidated();
        String oldVersion = Hrefs.version(s.repository().pulpId, 1); // from before the invalidation
        Repository byManifest = fixtures.repository("stay-out"), byTag = fixtures.repository("stay-out");

        JsonPath manifests = task(repoHref(byManifest) + "copy_manifests/",
                Map.of("source_repository_version", oldVersion, "digests", List.of(s.image().digest)));
        JsonPath tags = task(repoHref(byTag) + "copy_tags/", Map.of("source_repository_version", oldVersion, "names", List.of("v1")));

        for (JsonPath copy : List.of(manifests, tags)) {
            assertEquals(1, copy.getInt("result.revoked_signatures_skipped"), copy.prettify());
            assertEquals(href(s.revoked()), copy.getString("result.skipped_signatures[0].signature"));
            assertEquals(s.revocation(), copy.getString("result.skipped_signatures[0].revoked_key"));
            assertTrue(copy.getList("progress_reports.code").contains("repository.revoked_signatures"));
        }
        for (Repository r : List.of(byManifest, byTag)) {
            Set<Long> held = fixtures.latest(r);
            assertTrue(held.contains(s.image().id) && held.contains(s.kept().id), "the image and its good signature");
            assertFalse(held.contains(s.revoked().id), "the revoked key's signature stays out");
        }
    }

    @Test
    void copyLeavesACosignSigManifestBehindWhenEveryLayerIsRevoked() {
        KeyPair bad = LifecycleFixtures.ecKey();
        Manifest subject = fixtures.image();
        LifecycleFixtures.Cosign attachment = fixtures.cosign(subject, bad);
        Repository source = fixtures.repository("stay-out");
        fixtures.add(source, subject, attachment.tag(), attachment.signatures().get(0));
        invalidated(body("key", LifecycleFixtures.pem(bad), "reason", "cosign key lost",
                "repositories", List.of(repoHref(fixtures.repository("stay-out")))));
        Repository target = fixtures.repository("stay-out");

        JsonPath copy = task(repoHref(target) + "copy_manifests/",
                Map.of("source_repository", repoHref(source), "digests", List.of(subject.digest)));

        assertEquals(1, copy.getInt("result.revoked_signatures_skipped"), copy.prettify());
        Set<Long> held = fixtures.latest(target);
        assertTrue(held.contains(subject.id));
        for (var unit : List.of(attachment.carrier(), attachment.tag(), attachment.signatures().get(0))) {
            assertFalse(held.contains(unit.id), "the .sig manifest, its tag and its signature stay out");
        }
    }

    @Test
    void modifyFromAnOlderBaseVersionLeavesRevokedSignaturesOut() {
        Signed s = signedThenInvalidated();
        String base = Hrefs.version(s.repository().pulpId, 1);

        JsonPath modify = task(repoHref(s.repository()) + "modify/", Map.of("base_version", base));

        assertEquals(1, modify.getInt("result.revoked_signatures_skipped"), modify.prettify());
        Set<Long> held = fixtures.latest(s.repository());
        assertTrue(held.contains(s.kept().id) && held.contains(s.tag().id));
        assertFalse(held.contains(s.revoked().id));
    }

    @Test
    void aSigningServiceWhoseKeyIsRevokedSignsNothing() {
        Manifest image = fixtures.image();
        Tag tag = QuarkusTransaction.requiringNew().call(() -> store.tag("v1", Manifest.findById(image.id)));
        Repository repository = fixtures.repository("stay-out");
        fixtures.add(repository, tag);
        JsonPath service = asAdmin().contentType(ContentType.JSON)
                .body(Map.of("name", "revoked " + UUID.randomUUID(), "type", "atomic", "generate", true,
                        "allowed_references", java.util.List.of("registry.example.com/app")))
                .post("/pulp/api/v3/signing-services/").then().statusCode(201).extract().jsonPath();
        JsonPath invalidation = invalidated(body("key", service.getString("pubkey_fingerprint"), "reason", "service key retired",
                "repositories", List.of(repoHref(repository))));
        int before = fixtures.latestVersion(repository);

        JsonPath refusal = asAdmin().contentType(ContentType.JSON)
                .body(Map.of("signing_service", service.getString("pulp_href"), "reference", "registry.example.com/app"))
                .post(repoHref(repository) + "sign/").then().statusCode(400).extract().jsonPath();

        assertEquals(invalidation.getString("result.revoked_keys[0]"), refusal.getString("revoked_key"));
        assertTrue(refusal.getString("signing_service[0]").contains("service key retired"), refusal.prettify());
        assertEquals(before, fixtures.latestVersion(repository));
    }
}
