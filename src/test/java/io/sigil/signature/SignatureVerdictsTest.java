package io.sigil.signature;

import static io.sigil.signature.Fixtures.D1;
import static io.sigil.signature.Fixtures.D2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.sigil.content.Signature;
import io.sigil.testing.ContentFixtures;
import io.sigil.testing.PostgresDatabaseResource;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Upstream fixture signatures stored as units, fixture keys trusted through the REST API: the verdicts the signature
 * listing shows must be the ones containers/image reaches, and must follow the trusted keys as they come and go.
 */
@QuarkusTest
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.GLOBAL)
class SignatureVerdictsTest {

    private static final String D3 = "sha256:0489474da8ea22426ece86ace6c1c0026ab2fd3cdfbbd62b7e94650266c37d9a";

    /** Fixture → (expected state, expected key) once every fixture key is trusted. */
    private static final Map<String, String[]> ATOMIC_EXPECTED = new LinkedHashMap<>();

    static {
        ATOMIC_EXPECTED.put("image.signature", new String[] {"valid", Fixtures.TEST_KEY});
        ATOMIC_EXPECTED.put("no-optional-fields.signature", new String[] {"valid", Fixtures.TEST_KEY});
        ATOMIC_EXPECTED.put("dir-img-valid/signature-1", new String[] {"valid", Fixtures.TEST_KEY});
        ATOMIC_EXPECTED.put("dir-img-valid-2/signature-2", new String[] {"valid", Fixtures.TEST_KEY});
        ATOMIC_EXPECTED.put("invalid-reference.signature", new String[] {"invalid", Fixtures.TEST_KEY});
        ATOMIC_EXPECTED.put("unknown-key.signature", new String[] {"unknown_key", null});
        ATOMIC_EXPECTED.put("unknown-key.signature-v3", new String[] {"unknown_key", null});
        ATOMIC_EXPECTED.put("corrupt.signature", new String[] {"invalid", Fixtures.TEST_KEY});
        ATOMIC_EXPECTED.put("corrupt.signature-v3", new String[] {"invalid", Fixtures.TEST_KEY});
        ATOMIC_EXPECTED.put("subkey.signature", new String[] {"valid", Fixtures.PRIMARY_WITH_SUBKEY});
        ATOMIC_EXPECTED.put("subkey.signature-v3", new String[] {"valid", Fixtures.PRIMARY_WITH_SUBKEY});
        ATOMIC_EXPECTED.put("subkey-revoked.signature", new String[] {"invalid", Fixtures.PRIMARY_WITH_REVOKED_SUBKEY});
        ATOMIC_EXPECTED.put("subkey-revoked.signature-v3", new String[] {"invalid", Fixtures.PRIMARY_WITH_REVOKED_SUBKEY});
    }

    @Inject
    ContentFixtures fixtures;
    @Inject
    SignatureIngest ingest;

    @Test
    void verdictsMatchContainersImageAndFollowTheTrustedKeys() {
        fixtures.manifest(Fixtures.read("image.manifest.json"));
        fixtures.manifest(Fixtures.read("dir-img-cosign-valid/manifest.json"));
        fixtures.manifest(Fixtures.read("dir-img-cosign-key-rekor-valid/manifest.json"));
        Map<String, String> atomic = new HashMap<>();
        ATOMIC_EXPECTED.keySet().forEach(f -> atomic.put(f, storeAtomic(f)));
        String cosignValid = storeCosign(D2, "dir-img-cosign-valid/signature-1");
        String cosignWithTag = storeCosign(D2, "dir-img-cosign-valid-with-tag/signature-1");
        String cosignUnknown = storeCosign(D2, "unknown-cosign-key.signature");
        String cosignRekor = storeCosign(D3, "dir-img-cosign-key-rekor-valid/signature-1");
        List<String> all = new java.util.ArrayList<>(atomic.values());
        all.addAll(List.of(cosignValid, cosignWithTag, cosignUnknown, cosignRekor));

        // Nothing trusted: nothing is valid, and nothing is called invalid for want of a key.
        all.forEach(href -> assertEquals("unknown_key", verification(href).getString("state"), href));

        JsonPath testKey = SigningApi.trust("test key", "openpgp", text("public-key.gpg"));
        SigningApi.trust("subkey", "openpgp", text("public-key-with-subkey.gpg"));
        SigningApi.trust("revoked subkey", "openpgp", text("public-key-with-revoked-subkey.gpg"));
        JsonPath cosignKey = SigningApi.trust("cosign", "cosign", text("cosign.pub"));
        SigningApi.trust("cosign 2", "cosign", text("cosign2.pub"));

        ATOMIC_EXPECTED.forEach((fixture, expected) -> {
            JsonPath v = verification(atomic.get(fixture));
            assertEquals(expected[0], v.getString("state"), fixture + ": " + v.getString("reason"));
            assertEquals(expected[1], v.getString("key"), fixture);
        });
        assertTrue(verification(atomic.get("corrupt.signature")).getString("reason").contains("BAD signature"));
        assertTrue(verification(atomic.get("subkey-revoked.signature")).getString("reason").contains("revoked"));
        String cosignIdentity = cosignKey.getString("fingerprint");
        assertEquals(CosignSignatures.keyIdentity(CosignSignatures.parsePublicKey(text("cosign.pub"))), cosignIdentity);
        assertEquals(List.of("valid", cosignIdentity), stateAndKey(cosignValid));
        assertEquals(List.of("valid", cosignIdentity), stateAndKey(cosignWithTag));
        assertEquals("unknown_key", verification(cosignUnknown).getString("state"));
        assertEquals("valid", verification(cosignRekor).getString("state"));

        // Filters read the stored verdicts.
        List<String> validForD1 = SigningApi.get(SigningApi.SIGNATURES + "?manifest=" + D1 + "&verified=true&limit=1000").getList("results.pulp_href");
        List<String> expectedValid = ATOMIC_EXPECTED.entrySet().stream().filter(e -> e.getValue()[0].equals("valid"))
                .map(e -> atomic.get(e.getKey())).sorted().toList();
        assertEquals(expectedValid, validForD1.stream().sorted().toList());
        List<String> bySubkeyPrimary = SigningApi.get(SigningApi.SIGNATURES + "?manifest=" + D1 + "&verified=true&key="
                + Fixtures.PRIMARY_WITH_SUBKEY).getList("results.pulp_href");
        assertEquals(List.of(atomic.get("subkey.signature"), atomic.get("subkey.signature-v3")).stream().sorted().toList(),
                bySubkeyPrimary.stream().sorted().toList());
        assertEquals(1, SigningApi.get(SigningApi.MANIFESTS + "?digest=" + D1 + "&verified=true&key=" + Fixtures.TEST_KEY).getInt("count"));
        assertEquals(0, SigningApi.get(SigningApi.MANIFESTS + "?digest=" + D1 + "&verified=false").getInt("count"));
        assertEquals(0, SigningApi.get(SigningApi.MANIFESTS + "?digest=" + D1 + "&verified=true&key=" + Fixtures.KEY_WITH_PASSPHRASE).getInt("count"));

        // Distrusting a key flips its signatures back to unknown_key; the others keep their verdicts.
        SigningApi.distrust(testKey.getString("pulp_href"));
        assertEquals(List.of("unknown_key"), List.of(verification(atomic.get("image.signature")).getString("state")));
        assertNull(verification(atomic.get("image.signature")).getString("key"));
        assertEquals("unknown_key", verification(atomic.get("corrupt.signature")).getString("state"));
        assertEquals("valid", verification(atomic.get("subkey.signature")).getString("state"));
        assertEquals(0, SigningApi.get(SigningApi.MANIFESTS + "?digest=" + D1 + "&verified=true&key=" + Fixtures.TEST_KEY).getInt("count"));
        assertEquals(1, SigningApi.get(SigningApi.MANIFESTS + "?digest=" + D1 + "&verified=true").getInt("count"));
        SigningApi.trust("test key again, binary", "openpgp", binaryKeyAsBase64());
        assertEquals(List.of("valid", Fixtures.TEST_KEY), stateAndKey(atomic.get("image.signature")));
        SigningApi.get(SigningApi.KEYS + "?type=openpgp&limit=1000").getList("results.pulp_href", String.class)
                .forEach(SigningApi::distrust);
        SigningApi.get(SigningApi.KEYS + "?type=cosign&limit=1000").getList("results.pulp_href", String.class)
                .forEach(SigningApi::distrust);
        assertEquals("unknown_key", verification(cosignValid).getString("state"));
    }

    private String storeAtomic(String fixture) {
        Signature s = QuarkusTransaction.requiringNew().call(() -> ingest.atomic(D1, Fixtures.read(fixture)));
        return io.sigil.content.ContentType.SIGNATURE.href(s.pulpId);
    }

    private String storeCosign(String digest, String fixture) {
        Signature s = QuarkusTransaction.requiringNew().call(() ->
                ingest.cosign(digest, CosignSignatures.fromStorageForm(Fixtures.read(fixture)), null, null));
        return io.sigil.content.ContentType.SIGNATURE.href(s.pulpId);
    }

    private static JsonPath verification(String signatureHref) {
        return new JsonPath(SigningApi.admin().get(signatureHref).then().statusCode(200).extract().asString()).setRootPath("verification");
    }

    private static List<String> stateAndKey(String signatureHref) {
        JsonPath v = verification(signatureHref);
        return java.util.Arrays.asList(v.getString("state"), v.getString("key"));
    }

    private static String text(String fixture) {
        return new String(Fixtures.read(fixture), StandardCharsets.US_ASCII);
    }

    private static String binaryKeyAsBase64() {
        return java.util.Base64.getEncoder().encodeToString(Fixtures.read("public-key-1.gpg"));
    }
}
