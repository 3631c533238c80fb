package io.sigil.lifecycle;

import static io.sigil.testing.Api.asAdmin;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.sigil.content.ContentStore;
import io.sigil.content.Descriptor;
import io.sigil.content.Manifest;
import io.sigil.content.ManifestParser;
import io.sigil.content.ParsedManifest;
import io.sigil.content.Signature;
import io.sigil.repository.Hrefs;
import io.sigil.repository.Repository;
import io.sigil.signature.OpenPgpSigner;
import io.sigil.signature.RevokedKeyException;
import io.sigil.signature.SignatureIngest;
import io.sigil.testing.PostgresDatabaseResource;
import io.sigil.testing.Tasks;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.junit.jupiter.api.Test;

/** Invalidation by key, subkey, cosign key and scope, and the revocation list it leaves behind. */
@QuarkusTest
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.GLOBAL)
class InvalidationTest {

    /** Revocations are server-wide: lift them so other test classes can keep using the fixture keys. */
    @org.junit.jupiter.api.AfterEach
    void liftRevocations() {
        io.sigil.testing.Revocations.liftAll();
    }


    static final String INVALIDATE = "/pulp/api/v3/signatures/invalidate/";
    static final Path FIXTURES = Path.of("src/test/resources/fixtures/containers-image");
    static final String D1 = "sha256:20bf21ed457b390829cdbeec8795a7bea1626991fda603e0d01b4e7f60427e55";
    static final String PRIMARY_WITH_SUBKEY = "B9F4CDB9FD8C475BFA340AC38D54A947EE396F36";
    static final String PRIMARY_WITH_REVOKED_SUBKEY = "6D88C5A1993648A17B2BB0DC6B8499AF63388D63";
    static final String SUBKEY_OF_PRIMARY_WITH_SUBKEY = "57D1D95BBC53BA0EAFF0718CD75B3109B3BAAEAF";

    private static PGPSecretKeyRing compromised;
    private static PGPSecretKeyRing other;

    @Inject
    LifecycleFixtures fixtures;
    @Inject
    ContentStore store;
    @Inject
    SignatureIngest ingest;

    static synchronized PGPSecretKeyRing compromised() {
        if (compromised == null) {
            compromised = OpenPgpSigner.generateKeyRing("Compromised <c@example.com>", null);
        }
        return compromised;
    }

    static synchronized PGPSecretKeyRing other() {
        if (other == null) {
            other = OpenPgpSigner.generateKeyRing("Other <o@example.com>", null);
        }
        return other;
    }

    static OpenPgpSigner signer(PGPSecretKeyRing ring) {
        return new OpenPgpSigner(ring.getSecretKey(), null);
    }

    static String fingerprint(PGPSecretKeyRing ring) {
        return HexFormat.of().withUpperCase().formatHex(ring.getPublicKey().getFingerprint());
    }

    static Response invalidate(Map<String, Object> body) {
        return asAdmin().contentType(ContentType.JSON).body(body).post(INVALIDATE);
    }

    static JsonPath invalidated(Map<String, Object> body) {
        return Tasks.completed(invalidate(body));
    }

    static Map<String, Object> body(Object... pairs) {
        Map<String, Object> body = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            body.put((String) pairs[i], pairs[i + 1]);
        }
        return body;
    }

    @Test
    void aKeyLeavesEveryRepositoryAcrossNamespacesInOneNewVersionEach() {
        OpenPgpSigner bad = signer(compromised()), good = signer(other());
        Manifest shared = fixtures.image(), own = fixtures.image(), elsewhere = fixtures.image();
        Signature badShared = fixtures.atomic(shared, bad), badOwn = fixtures.atomic(own, bad);
        Signature goodShared = fixtures.atomic(shared, good), goodElsewhere = fixtures.atomic(elsewhere, good);
        Repository a = fixtures.repository("team-a"), b = fixtures.repository("team-b"), c = fixtures.repository("team-c");
        fixtures.add(a, badShared, goodShared);
        fixtures.add(b, badShared, badOwn, goodShared);
        fixtures.add(c, goodElsewhere);

        JsonPath task = invalidated(body("key", fingerprint(compromised()), "reason", "leaked on a build host"));

        assertEquals(Set.of(shared.id, goodShared.id), fixtures.latestExceptBlobs(a));
        assertEquals(Set.of(shared.id, own.id, goodShared.id), fixtures.latestExceptBlobs(b));
        assertEquals(1, fixtures.latestVersion(c));
        assertTrue(fixtures.latest(c).contains(goodElsewhere.id));
        assertEquals(List.of(Hrefs.version(a.pulpId, 2), Hrefs.version(b.pulpId, 2)).stream().sorted().toList(),
                task.getList("created_resources", String.class).stream().sorted().toList());
        Map<String, Integer> removed = new HashMap<>();
        task.getList("result.repositories", Map.class).forEach(r -> removed.put((String) r.get("name"), (Integer) r.get("removed_signatures")));
        assertEquals(Map.of(a.name, 1, b.name, 2), removed);
        assertEquals(3, task.getInt("result.removed_signatures"));
        String revoked = task.getString("result.revoked_keys[0]");
        JsonPath entry = asAdmin().get(revoked).then().statusCode(200).extract().jsonPath();
        assertEquals(fingerprint(compromised()), entry.getString("identity"));
        assertEquals("leaked on a build host", entry.getString("reason"));
        assertEquals("admin", entry.getString("revoked_by"));
    }

    private static String verdictOf(Signature s) {
        return asAdmin().get("/pulp/api/v3/content/container/signatures/" + s.pulpId + "/").then().statusCode(200)
                .extract().path("verification.state");
    }

    static void awaitVerdict(Signature s, String state) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (!state.equals(verdictOf(s)) && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        assertEquals(state, verdictOf(s));
    }

    @Test
    void aRevokedKeyIsRefusedOnIngestAndNeverReportedValidUntilLifted() throws Exception {
        PGPSecretKeyRing ring = OpenPgpSigner.generateKeyRing("Revoked <r@example.com>", null);
        OpenPgpSigner signer = signer(ring);
        String armoured = new String(OpenPgpSigner.armoredPublicKey(ring), java.nio.charset.StandardCharsets.US_ASCII);
        asAdmin().contentType(ContentType.JSON).body(Map.of("name", "to-revoke-" + fingerprint(ring), "type", "openpgp",
                "public_key", armoured)).post(io.sigil.signature.TrustedKey.COLLECTION).then().statusCode(201);
        Manifest kept = fixtures.image(), next = fixtures.image();
        Signature before = fixtures.atomic(kept, signer);
        awaitVerdict(before, "valid");
        Repository elsewhere = fixtures.repository("team-d");

        JsonPath task = invalidated(body("key", armoured, "reason", "retired", "repositories", List.of(elsewhere.href())));

        RevokedKeyException refused = assertThrows(RevokedKeyException.class, () -> fixtures.atomic(next, signer));
        assertTrue(refused.getMessage().contains("revoked") && refused.getMessage().contains("retired"), refused.getMessage());
        assertEquals("invalid", verdictOf(before), "at once, before re-verification has run");
        awaitVerdict(before, "invalid");

        String revoked = task.getString("result.revoked_keys[0]");
        asAdmin().delete(revoked).then().statusCode(204);
        asAdmin().get(revoked).then().statusCode(404);
        assertEquals(next.digest, fixtures.atomic(next, signer).signedDigest);
        awaitVerdict(before, "valid");
    }

    @Test
    void aRevokedCosignKeyIsRefusedOnIngest() {
        KeyPair key = LifecycleFixtures.ecKey();
        Manifest subject = fixtures.image();
        invalidated(body("key", LifecycleFixtures.pem(key), "reason", "lost laptop", "manifests", List.of(subject.digest)));
        LifecycleFixtures.Cosign attachment = fixtures.cosignLayers(subject, key);
        RevokedKeyException refused = assertThrows(RevokedKeyException.class, () -> QuarkusTransaction.requiringNew().call(() ->
                ingest.cosign(subject.digest, attachment.layers().get(0), null, attachment.carrier().digest)));
        assertTrue(refused.getMessage().contains("lost laptop"), refused.getMessage());
    }

    @Test
    void subkeySignaturesGoWithTheirPrimaryKeyEvenWhenNamedByKeyId() throws Exception {
        Manifest d1 = storeD1();
        Signature bySubkey = QuarkusTransaction.requiringNew().call(() ->
                ingest.atomic(D1, Files.readAllBytes(FIXTURES.resolve("subkey.signature"))));
        Repository first = fixtures.repository("subkeys"), second = fixtures.repository("subkeys");
        fixtures.add(first, bySubkey);
        fixtures.add(second, bySubkey);
        String armoured = Files.readString(FIXTURES.resolve("public-key-with-subkey.gpg"));

        invalidated(body("key", armoured, "reason", "rotated", "repositories", List.of(first.href())));
        assertFalse(fixtures.latest(first).contains(bySubkey.id));
        assertTrue(fixtures.latest(second).contains(bySubkey.id), "out of scope");

        // By the primary's key ID alone: the earlier revocation knows its subkeys.
        JsonPath task = invalidated(body("key", PRIMARY_WITH_SUBKEY.substring(24), "reason", "rotated"));
        assertFalse(fixtures.latest(second).contains(bySubkey.id));
        assertTrue(fixtures.latest(second).contains(d1.id));
        JsonPath entry = asAdmin().get(task.getString("result.revoked_keys[0]")).then().statusCode(200).extract().jsonPath();
        assertTrue(entry.getList("keys.fingerprint").contains(SUBKEY_OF_PRIMARY_WITH_SUBKEY), entry.prettify());
    }

    @Test
    void aPrimaryFingerprintCoversTheSubkeysATrustedKeyKnows() throws Exception {
        storeD1();
        Signature bySubkey = QuarkusTransaction.requiringNew().call(() ->
                ingest.atomic(D1, Files.readAllBytes(FIXTURES.resolve("subkey-revoked.signature"))));
        Repository repo = fixtures.repository("trusted-subkeys");
        fixtures.add(repo, bySubkey);
        String trusted = asAdmin().contentType(ContentType.JSON).body(Map.of("name", "with-subkeys", "type", "openpgp",
                        "public_key", Files.readString(FIXTURES.resolve("public-key-with-revoked-subkey.gpg"))))
                .post(io.sigil.signature.TrustedKey.COLLECTION).then().statusCode(201).extract().path("pulp_href");
        try {
            invalidated(body("key", PRIMARY_WITH_REVOKED_SUBKEY, "reason", "compromised", "repositories", List.of(repo.href())));
            assertFalse(fixtures.latest(repo).contains(bySubkey.id));
        } finally {
            // Trust is server-wide: other test classes start from an empty trust store.
            Tasks.completed(asAdmin().delete(trusted));
        }
    }

    private Manifest storeD1() throws Exception {
        byte[] data = Files.readAllBytes(FIXTURES.resolve("image.manifest.json"));
        ParsedManifest parsed = ManifestParser.parse(data, null);
        return QuarkusTransaction.requiringNew().call(() -> {
            for (Descriptor d : parsed.layers()) {
                store.blob(d.digest(), d.size());
            }
            store.blob(parsed.config().digest(), parsed.config().size());
            return store.manifest(data, parsed);
        });
    }

    @Test
    void cosignSigManifestsLeaveWhenEveryLayerIsByTheKeyAndAreRebuiltOtherwise() {
        KeyPair bad = LifecycleFixtures.ecKey(), good = LifecycleFixtures.ecKey();
        Manifest subject = fixtures.image();
        LifecycleFixtures.Cosign allBad = fixtures.cosign(subject, bad, bad);
        LifecycleFixtures.Cosign mixed = fixtures.cosign(subject, bad, good);
        Repository a = fixtures.repository("cosign"), b = fixtures.repository("cosign");
        fixtures.add(a, subject, allBad.tag(), allBad.signatures().get(0), allBad.signatures().get(1));
        fixtures.add(b, subject, mixed.tag(), mixed.signatures().get(0), mixed.signatures().get(1));

        JsonPath task = invalidated(body("key", LifecycleFixtures.pem(bad), "reason", "cosign key lost"));

        Set<Long> inA = fixtures.latest(a);
        assertTrue(inA.contains(subject.id));
        for (var unit : List.of(allBad.carrier(), allBad.tag(), allBad.signatures().get(0), allBad.signatures().get(1))) {
            assertFalse(inA.contains(unit.id), "the emptied .sig manifest, its tag and its signatures leave");
        }
        Set<Long> inB = fixtures.latest(b);
        assertFalse(inB.contains(mixed.signatures().get(0).id));
        assertTrue(inB.contains(mixed.signatures().get(1).id), "the good layer's signature stays");
        assertFalse(inB.contains(mixed.carrier().id) || inB.contains(mixed.tag().id),
                "a .sig manifest with a good layer is replaced by one without the revoked layer");
        Map<String, List<Integer>> counts = new HashMap<>();
        task.getList("result.repositories", Map.class).forEach(r -> counts.put((String) r.get("name"),
                List.of((Integer) r.get("removed_manifests"), (Integer) r.get("rebuilt_attachments"))));
        assertEquals(Map.of(a.name, List.of(1, 0), b.name, List.of(0, 1)), counts);
    }

    @Test
    void signatureReferrersLeaveWithTheKeyAndOtherReferrersStay() {
        KeyPair bad = LifecycleFixtures.ecKey();
        Manifest subject = fixtures.image();
        LifecycleFixtures.Cosign referrer = fixtures.cosignReferrer(subject, bad);
        Manifest sbom = fixtures.image(subject, fixtures.blob(), fixtures.blob());
        Repository a = fixtures.repository("referrers");
        fixtures.add(a, subject, referrer.carrier(), referrer.signatures().get(0), sbom);

        JsonPath task = invalidated(body("key", LifecycleFixtures.pem(bad), "reason", "cosign key lost"));

        Set<Long> held = fixtures.latest(a);
        assertFalse(held.contains(referrer.signatures().get(0).id), "the signature goes");
        assertFalse(held.contains(referrer.carrier().id), "the referrer that carried only it goes");
        assertTrue(held.contains(subject.id) && held.contains(sbom.id), "the image and its other referrers stay");
        assertEquals(1, task.getInt("result.repositories[0].removed_manifests"));
    }

    @Test
    void aScopeWithoutAKeyRemovesEverySignatureInIt() {
        OpenPgpSigner any = signer(other());
        Manifest target = fixtures.image(), bystander = fixtures.image();
        Signature onTarget = fixtures.atomic(target, any), onBystander = fixtures.atomic(bystander, any);
        Repository a = fixtures.repository("scope"), b = fixtures.repository("scope"), c = fixtures.repository("scope");
        fixtures.add(a, onTarget, onBystander);
        fixtures.add(b, onTarget);
        fixtures.add(c, onTarget, onBystander);

        JsonPath byManifest = invalidated(body("manifests", List.of(target.digest), "reason", "re-signing",
                "repositories", List.of(a.href(), b.href())));
        assertEquals(List.of(), byManifest.getList("result.revoked_keys"));
        assertFalse(fixtures.latest(a).contains(onTarget.id));
        assertTrue(fixtures.latest(a).contains(onBystander.id));
        assertFalse(fixtures.latest(b).contains(onTarget.id));
        assertTrue(fixtures.latest(c).contains(onTarget.id), "repository c is out of scope");

        invalidated(body("repositories", List.of(c.href()), "reason", "clean slate"));
        assertFalse(fixtures.latest(c).contains(onTarget.id));
        assertFalse(fixtures.latest(c).contains(onBystander.id));
        assertTrue(fixtures.latest(c).contains(bystander.id));
    }

    @Test
    void theRevocationListIsReadAndOnlyAnAdminLiftsAnEntry() {
        KeyPair key = LifecycleFixtures.ecKey();
        String revoked = invalidated(body("key", LifecycleFixtures.pem(key), "reason", "rotated",
                "repositories", List.of(fixtures.repository("list").href()))).getString("result.revoked_keys[0]");
        JsonPath list = asAdmin().get(RevocationList.COLLECTION).then().statusCode(200).extract().jsonPath();
        assertTrue(list.getList("results.pulp_href").contains(revoked), list.prettify());
        JsonPath entry = asAdmin().get(revoked).then().statusCode(200).extract().jsonPath();
        assertEquals("cosign", entry.getString("type"));
        assertEquals("rotated", entry.getString("reason"));
        assertEquals(LifecycleFixtures.pem(key).strip(), entry.getString("public_key").strip());

        String user = "reader-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        asAdmin().contentType(ContentType.JSON).body(Map.of("username", user, "password", "reader-pass", "is_admin", false))
                .post("/pulp/api/v3/users/").then().statusCode(201);
        io.restassured.RestAssured.given().auth().preemptive().basic(user, "reader-pass").delete(revoked).then().statusCode(403);
        asAdmin().get(revoked).then().statusCode(200);
        asAdmin().delete(revoked).then().statusCode(204);
        assertFalse(asAdmin().get(RevocationList.COLLECTION).then().statusCode(200).extract().jsonPath()
                .getList("results.pulp_href").contains(revoked));
    }

    @Test
    void badRequestsAreRefusedBeforeAnyTaskOrRevocation() {
        long before = asAdmin().get(RevocationList.COLLECTION).then().statusCode(200).extract().jsonPath().getLong("count");
        invalidate(body("key", fingerprint(other()))).then().statusCode(400).body("reason[0]", containsString("required"));
        invalidate(body("key", "not a key", "reason", "x")).then().statusCode(400).body("key[0]", containsString("fingerprint"));
        invalidate(body("reason", "everything")).then().statusCode(400).body("key[0]", containsString("scope"));
        invalidate(body("reason", "x", "repositories", List.of(Hrefs.repository(java.util.UUID.randomUUID()))))
                .then().statusCode(400).body("repositories[0]", containsString("not the href"));
        invalidate(body("reason", "x", "manifests", List.of("sha256:nope"))).then().statusCode(400);
        assertEquals(before, asAdmin().get(RevocationList.COLLECTION).then().statusCode(200).extract().jsonPath().getLong("count"));
    }
}
