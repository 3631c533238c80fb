package io.sigil.signature;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.sigil.testing.PostgresDatabaseResource;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.GLOBAL)
class TrustedKeysApiTest {

    @Test
    void openPgpKeyShowsItsPrimaryFingerprintAndSubkeysAndIsFoundBySubkey() {
        JsonPath key = SigningApi.trust("with subkey " + UUID.randomUUID(), "openpgp", text("public-key-with-subkey.gpg"));
        String href = key.getString("pulp_href");
        SigningApi.admin().get(href).then().statusCode(200)
                .body("type", equalTo("openpgp"))
                .body("fingerprint", equalTo(Fixtures.PRIMARY_WITH_SUBKEY))
                .body("subkeys.fingerprint", equalTo(List.of(Fixtures.PRIMARY_WITH_SUBKEY, Fixtures.SUBKEY_OF_PRIMARY_WITH_SUBKEY)))
                .body("subkeys[1].key_id", equalTo(Fixtures.SUBKEY_OF_PRIMARY_WITH_SUBKEY.substring(24)))
                .body("public_key", containsString("BEGIN PGP PUBLIC KEY BLOCK"))
                .body("pulp_created", notNullValue());
        for (String query : List.of(Fixtures.SUBKEY_OF_PRIMARY_WITH_SUBKEY, Fixtures.SUBKEY_OF_PRIMARY_WITH_SUBKEY.substring(24).toLowerCase(),
                Fixtures.PRIMARY_WITH_SUBKEY)) {
            assertEquals(List.of(href), SigningApi.get(SigningApi.KEYS + "?fingerprint=" + query).getList("results.pulp_href"), query);
        }
        SigningApi.admin().get(SigningApi.KEYS + "?type=cosign").then().body("results.pulp_href", org.hamcrest.Matchers.not(hasItem(href)));
        SigningApi.distrust(href);
        SigningApi.admin().get(href).then().statusCode(404);
        SigningApi.admin().delete(href).then().statusCode(404);
    }

    @Test
    void sameKeyOrSameNameTwiceIsRefused() {
        String name = "twice " + UUID.randomUUID();
        JsonPath key = SigningApi.trust(name, "openpgp", text("public-key-2.gpg"));
        SigningApi.post(SigningApi.KEYS, body(name, "cosign", text("cosign.pub")), 400).getList("name");
        assertEquals(1, SigningApi.post(SigningApi.KEYS, body("other " + UUID.randomUUID(), "openpgp", text("public-key-2.gpg")), 400)
                .getList("public_key").size());
        SigningApi.distrust(key.getString("pulp_href"));
    }

    @Test
    void badKeyMaterialIsA400NamingTheProblem() {
        assertProblem(body("x", "openpgp", "not a key"), "public_key", "");
        assertProblem(body("x", "openpgp", text("cosign.pub")), "public_key", "");
        assertProblem(body("x", "openpgp", java.util.Base64.getEncoder().encodeToString(Fixtures.read("pubring.gpg"))),
                "public_key", "exactly one");
        assertProblem(body("x", "cosign", text("public-key.gpg")), "public_key", "PEM");
        assertProblem(body("x", "cosign", text("some-rsa-key.pub").replace("MII", "XII")), "public_key", "");
        assertProblem(body("x", "pgp", text("public-key.gpg")), "type", "openpgp, cosign, keyless, pki, notation or sigstore");
        assertProblem(body(null, "openpgp", text("public-key.gpg")), "name", "required");
        assertProblem(keyless(text("rekor.pub"), text("rekor.pub"), "https://github.com/login/oauth", "a@example.com"),
                "fulcio_ca", "");
        assertProblem(keyless(text("fulcio_v1.crt.pem"), text("some-rsa-key.pub"), "https://github.com/login/oauth", "a@example.com"),
                "rekor_public_key", "ECDSA");
        assertProblem(keyless(text("fulcio_v1.crt.pem"), text("rekor.pub"), "github", "a@example.com"), "oidc_issuer", "URL");
        assertProblem(keyless(text("fulcio_v1.crt.pem"), text("rekor.pub"), "https://github.com/login/oauth", " "), "subject", "required");
        Map<String, Object> cosignWithRsaRekor = body("x", "cosign", text("cosign.pub"));
        cosignWithRsaRekor.put("rekor_public_key", text("some-rsa-key.pub"));
        assertProblem(cosignWithRsaRekor, "rekor_public_key", "ECDSA");
        assertProblem(pki(text("pki_root_crts.pem"), null, null), "subject", "subject_hostname");
        assertProblem(pki(text("pki_root_crts.pem"), null, "*.example.com"), "subject_hostname", "neither a hostname");
        assertProblem(pki(text("pki_root_crts.pem"), "a@example.com", "build..example.com"), "subject_hostname", "nor an IP address");
        assertProblem(pki(text("cosign.pub"), "a@example.com", null), "ca_roots", "");
        assertProblem(pki(null, "a@example.com", null), "ca_roots", "required");
        Map<String, Object> leafAsIntermediate = pki(text("pki_root_crts.pem"), "a@example.com", null);
        leafAsIntermediate.put("ca_intermediates", text("pki-cert"));
        assertProblem(leafAsIntermediate, "ca_intermediates", "not a CA certificate");
    }

    @Test
    void onlyAnAdminChangesWhatIsTrusted() {
        io.restassured.RestAssured.given().contentType(io.restassured.http.ContentType.JSON)
                .body(body("anonymous", "cosign", text("cosign.pub"))).post(SigningApi.KEYS).then().statusCode(401);
        io.restassured.RestAssured.given().delete(SigningApi.KEYS + UUID.randomUUID() + "/").then().statusCode(401);
        io.restassured.RestAssured.given().contentType(io.restassured.http.ContentType.JSON)
                .body(Map.of("name", "anonymous", "type", "cosign", "generate", true)).post(SigningApi.SERVICES).then().statusCode(401);
    }

    @Test
    void keylessTrustIsStoredAsGiven() {
        Map<String, Object> request = keyless(text("fulcio_v1.crt.pem"), text("rekor.pub"), "https://github.com/login/oauth",
                "mitr@redhat.com");
        JsonPath key = SigningApi.post(SigningApi.KEYS, request, 201);
        assertEquals("keyless", key.getString("type"));
        assertEquals(TrustedKey.materialFingerprint("keyless", text("fulcio_v1.crt.pem").trim() + "\n", null, null,
                KeyMaterial.pem(CosignSignatures.parsePublicKey(text("rekor.pub"))), "https://github.com/login/oauth",
                "mitr@redhat.com", null), key.getString("fingerprint"));
        SigningApi.post(SigningApi.KEYS, new HashMap<>(request) {{ put("name", "again " + UUID.randomUUID()); }}, 400).getList("type");
        assertEquals("mitr@redhat.com", key.getString("subject"));
        assertEquals("https://github.com/login/oauth", key.getString("oidc_issuer"));
        assertEquals(text("fulcio_v1.crt.pem").trim(), key.getString("fulcio_ca").trim());
        SigningApi.awaitTask(key.getString("reverify_task"), "completed");
        SigningApi.distrust(key.getString("pulp_href"));
    }

    @Test
    void certificateTrustIsNamedByItsMaterialNotItsPemLayout() {
        String issuer = "https://github.com/login/oauth";
        JsonPath keyless = SigningApi.trust(keyless(text("fulcio_v1.crt.pem"), text("rekor.pub"), issuer, "layout@example.com"));
        assertProblem(keyless(Fixtures.relaidOut(text("fulcio_v1.crt.pem")), Fixtures.relaidOut(text("rekor.pub")), issuer,
                "layout@example.com"), "type", keyless.getString("fingerprint") + " is already trusted");
        JsonPath otherCa = SigningApi.trust(keyless(text("pki_root_crts.pem"), text("rekor.pub"), issuer, "layout@example.com"));
        assertNotEquals(keyless.getString("fingerprint"), otherCa.getString("fingerprint"));

        Map<String, Object> request = pki(text("pki_root_crts.pem"), "layout@example.com", "build.example.com");
        request.put("ca_intermediates", text("pki_intermediate_crts.pem"));
        JsonPath pki = SigningApi.trust(request);
        Map<String, Object> relaid = pki(Fixtures.relaidOut(text("pki_root_crts.pem")), "layout@example.com", "build.example.com");
        relaid.put("ca_intermediates", "\n\n" + text("pki_intermediate_crts.pem").replace("\n", "\r\n") + "\n\n");
        assertProblem(relaid, "type", pki.getString("fingerprint") + " is already trusted");
        JsonPath otherRoot = SigningApi.trust(pki(text("pki_intermediate_crts.pem"), "layout@example.com", "build.example.com"));
        assertNotEquals(pki.getString("fingerprint"), otherRoot.getString("fingerprint"));
        for (JsonPath key : List.of(keyless, otherCa, pki, otherRoot)) {
            SigningApi.distrust(key.getString("pulp_href"));
        }
    }

    @Test
    void cosignRsaKeysAreAccepted() {
        JsonPath key = SigningApi.trust("rsa " + UUID.randomUUID(), "cosign", text("some-rsa-key.pub"));
        assertEquals(64, key.getString("fingerprint").length());
        assertEquals(null, key.getString("subkeys"));
        SigningApi.distrust(key.getString("pulp_href"));
    }

    private static void assertProblem(Map<String, Object> body, String field, String text) {
        List<String> messages = SigningApi.post(SigningApi.KEYS, body, 400).getList(field);
        assertEquals(1, messages.size(), field + ": " + messages);
        org.hamcrest.MatcherAssert.assertThat(messages.get(0), containsString(text));
    }

    private static Map<String, Object> body(String name, String type, String publicKey) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", name);
        body.put("type", type);
        body.put("public_key", publicKey);
        return body;
    }

    private static Map<String, Object> pki(String roots, String email, String hostname) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", "pki " + UUID.randomUUID());
        body.put("type", "pki");
        body.put("ca_roots", roots);
        body.put("subject", email);
        body.put("subject_hostname", hostname);
        return body;
    }

    private static Map<String, Object> keyless(String ca, String rekor, String issuer, String subject) {
        return Map.of("name", "keyless " + UUID.randomUUID(), "type", "keyless", "fulcio_ca", ca, "rekor_public_key", rekor,
                "oidc_issuer", issuer, "subject", subject);
    }

    /** Armoured and PEM fixtures as they are; binary OpenPGP keys in base64, as JSON carries them. */
    private static String text(String fixture) {
        byte[] bytes = Fixtures.read(fixture);
        return bytes[0] == '-' ? new String(bytes, StandardCharsets.US_ASCII) : java.util.Base64.getEncoder().encodeToString(bytes);
    }
}
