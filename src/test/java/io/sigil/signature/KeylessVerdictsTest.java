package io.sigil.signature;

import static io.sigil.signature.KeylessFixturesTest.D3;
import static io.sigil.signature.KeylessFixturesTest.D4;
import static io.sigil.signature.KeylessFixturesTest.GITHUB;
import static io.sigil.signature.KeylessFixturesTest.MITR;
import static io.sigil.signature.KeylessFixturesTest.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.sigil.content.ContentType;
import io.sigil.content.Signature;
import io.sigil.testing.ContentFixtures;
import io.sigil.testing.PostgresDatabaseResource;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hibernate.Session;
import org.junit.jupiter.api.Test;

/**
 * Keyless, PKI and key + Rekor trust through {@code /pulp/api/v3/trusted-keys/}: the upstream fixture signatures get
 * the verdicts containers/image reaches, and follow the trust as it is added and removed (re-verification).
 */
@QuarkusTest
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.GLOBAL)
class KeylessVerdictsTest {

    @Inject
    ContentFixtures fixtures;
    @Inject
    SignatureIngest ingest;
    @Inject
    EntityManager em;

    @Test
    void fulcioSignatureIsValidOnlyWhileItsIdentityIsTrusted() {
        String signature = store(D3, "dir-img-cosign-fulcio-rekor-valid");
        assertEquals("unknown_key", verification(signature).getString("state"));

        JsonPath mitr = SigningApi.trust(keyless(MITR, GITHUB));
        JsonPath v = verification(signature);
        assertEquals(List.of("valid", mitr.getString("fingerprint")), List.of(v.getString("state"), v.getString("key")));
        assertTrue(v.getString("reason").contains("signed by mitr@redhat.com"), v.getString("reason"));
        assertEquals(1, SigningApi.get(SigningApi.SIGNATURES + "?manifest=" + D3 + "&verified=true&key="
                + mitr.getString("fingerprint")).getInt("count"));

        JsonPath other = SigningApi.trust(keyless("someone@example.com", GITHUB));
        assertEquals("valid", verification(signature).getString("state"));
        SigningApi.distrust(mitr.getString("pulp_href"));
        v = verification(signature);
        assertEquals("invalid", v.getString("state"));
        assertTrue(v.getString("reason").contains("Required email \"someone@example.com\" not found"), v.getString("reason"));

        SigningApi.distrust(other.getString("pulp_href"));
        JsonPath wrongIssuer = SigningApi.trust(keyless(MITR, "https://accounts.google.com"));
        assertTrue(verification(signature).getString("reason").contains("Unexpected Fulcio OIDC issuer"));
        SigningApi.distrust(wrongIssuer.getString("pulp_href"));
        v = verification(signature);
        assertEquals("unknown_key", v.getString("state"));
        assertNull(v.getString("key"));
    }

    @Test
    void pkiSignatureIsValidForTheTrustedCaAndSubject() {
        String signature = store(D4, "dir-img-cosign-pki-valid");
        assertEquals("unknown_key", verification(signature).getString("state"));

        Map<String, Object> request = new HashMap<>(Map.of("name", "pki " + UUID.randomUUID(), "type", "pki",
                "ca_roots", text("pki_root_crts.pem"), "ca_intermediates", text("pki_intermediate_crts.pem"),
                "subject", "qiwan@redhat.com", "subject_hostname", "myhost.example.com"));
        JsonPath pki = SigningApi.trust(request);
        assertEquals(64, pki.getString("fingerprint").length());
        assertEquals("myhost.example.com", pki.getString("subject_hostname"));
        JsonPath v = verification(signature);
        assertEquals(List.of("valid", pki.getString("fingerprint")), List.of(v.getString("state"), v.getString("key")));

        request.put("name", "pki wrong host " + UUID.randomUUID());
        request.put("subject_hostname", "otherhost.example.com");
        JsonPath wrongHost = SigningApi.trust(request);
        SigningApi.distrust(pki.getString("pulp_href"));
        v = verification(signature);
        assertEquals("invalid", v.getString("state"));
        assertTrue(v.getString("reason").contains("Unexpected subject hostname"), v.getString("reason"));
        SigningApi.distrust(wrongHost.getString("pulp_href"));
        assertEquals("unknown_key", verification(signature).getString("state"));
    }

    @Test
    void migration017NamesKeysStoredBeforeByTheirCertificatesAndVerdictsFollow() {
        String signature = store(D4, "dir-img-cosign-pki-valid");
        JsonPath pki = SigningApi.trust(Map.of("name", "pki " + UUID.randomUUID(), "type", "pki",
                "ca_roots", Fixtures.relaidOut(text("pki_root_crts.pem")),
                "ca_intermediates", Fixtures.relaidOut(text("pki_intermediate_crts.pem")), "subject", "qiwan@redhat.com"));
        Map<String, Object> keylessRequest = new HashMap<>(Map.of("name", "keyless " + UUID.randomUUID(), "type", "keyless",
                "fulcio_ca", "\r\n" + text("fulcio_v1.crt.pem").replace("\n", "\r\n"), "rekor_public_key", text("rekor.pub"),
                "oidc_issuer", GITHUB, "subject", "migrated@example.com"));
        JsonPath keyless = SigningApi.trust(keylessRequest);
        String pkiFingerprint = pki.getString("fingerprint");
        String keylessFingerprint = keyless.getString("fingerprint");

        // As keys stored before were: another fingerprint, which their verdicts name.
        sql("UPDATE signature_verdict SET key_identity = 'TEXT' || key_identity WHERE key_identity = '" + pkiFingerprint + "'");
        sql("UPDATE trusted_key SET fingerprint = 'TEXT' || fingerprint WHERE fingerprint IN ('" + pkiFingerprint + "', '"
                + keylessFingerprint + "')");
        assertEquals("TEXT" + pkiFingerprint, verification(signature).getString("key"));
        applyChangeSet("017-trust-material-fingerprint.xml");
        assertEquals(List.of(pkiFingerprint, keylessFingerprint), List.of(fingerprint(pki), fingerprint(keyless)));
        JsonPath v = verification(signature);
        assertEquals(List.of("valid", pkiFingerprint), List.of(v.getString("state"), v.getString("key")));

        // The same material in two layouts could be trusted twice before: one key gets the fingerprint, never both.
        sql("UPDATE trusted_key SET fingerprint = 'TEXT' || fingerprint WHERE fingerprint = '" + keylessFingerprint + "'");
        keylessRequest.put("name", "keyless again " + UUID.randomUUID());
        keylessRequest.put("fulcio_ca", Fixtures.relaidOut(text("fulcio_v1.crt.pem")));
        JsonPath again = SigningApi.trust(keylessRequest);
        applyChangeSet("017-trust-material-fingerprint.xml");
        assertEquals(List.of("TEXT" + keylessFingerprint, keylessFingerprint), List.of(fingerprint(keyless), fingerprint(again)));
        sql("UPDATE trusted_key SET fingerprint = 'OTHER' || fingerprint WHERE fingerprint = '" + keylessFingerprint + "'");
        applyChangeSet("017-trust-material-fingerprint.xml");
        assertEquals(List.of(keylessFingerprint, "OTHER" + keylessFingerprint), List.of(fingerprint(keyless), fingerprint(again)));
        for (JsonPath key : List.of(pki, keyless, again)) {
            SigningApi.distrust(key.getString("pulp_href"));
        }
    }

    @Test
    void cosignKeyWithRekorNeedsASetByThatLog() {
        String signature = store(D3, "dir-img-cosign-key-rekor-valid");
        JsonPath wrongLog = SigningApi.trust(cosignWithRekor(text("cosign.pub")));
        JsonPath v = verification(signature);
        assertEquals(List.of("invalid", wrongLog.getString("fingerprint")), List.of(v.getString("state"), v.getString("key")));
        assertTrue(v.getString("reason").contains("Rekor SET failed"), v.getString("reason"));
        SigningApi.distrust(wrongLog.getString("pulp_href"));

        JsonPath rightLog = SigningApi.trust(cosignWithRekor(text("rekor.pub")));
        assertEquals(text("rekor.pub").trim(), rightLog.getString("rekor_public_key").trim());
        assertEquals("valid", verification(signature).getString("state"));
        SigningApi.distrust(rightLog.getString("pulp_href"));
        assertEquals("unknown_key", verification(signature).getString("state"));
    }

    private static Map<String, Object> keyless(String subject, String issuer) {
        return Map.of("name", "keyless " + UUID.randomUUID(), "type", "keyless", "fulcio_ca", text("fulcio_v1.crt.pem"),
                "rekor_public_key", text("rekor.pub"), "oidc_issuer", issuer, "subject", subject);
    }

    private static Map<String, Object> cosignWithRekor(String rekorKey) {
        return Map.of("name", "cosign2 + rekor " + UUID.randomUUID(), "type", "cosign", "public_key", text("cosign2.pub"),
                "rekor_public_key", rekorKey);
    }

    /** Stores the fixture image's manifest and its first signature; returns the signature's href. */
    private String store(String digest, String directory) {
        fixtures.manifest(Fixtures.read(directory + "/manifest.json"));
        Signature s = QuarkusTransaction.requiringNew().call(() -> ingest.cosign(digest,
                CosignSignatures.fromStorageForm(Fixtures.read(directory + "/signature-1")), null, null));
        return ContentType.SIGNATURE.href(s.pulpId);
    }

    private static String fingerprint(JsonPath key) {
        return SigningApi.get(key.getString("pulp_href")).getString("fingerprint");
    }

    private void sql(String statements) {
        QuarkusTransaction.requiringNew().run(() -> em.unwrap(Session.class).doWork(c -> {
            try (Statement statement = c.createStatement()) {
                statement.execute(statements);
            }
        }));
    }

    /** Runs the SQL of a Liquibase changeset again, as on a database that held rows before it. */
    private void applyChangeSet(String file) {
        String xml;
        try (InputStream in = KeylessVerdictsTest.class.getResourceAsStream("/" + file)) {
            xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        sql(xml.substring(xml.indexOf("<![CDATA[") + "<![CDATA[".length(), xml.indexOf("]]>")));
    }

    private static JsonPath verification(String signatureHref) {
        return new JsonPath(SigningApi.admin().get(signatureHref).then().statusCode(200).extract().asString()).setRootPath("verification");
    }
}
