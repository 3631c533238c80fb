package io.sigil.signing;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.sigil.common.Sql;
import io.sigil.content.Manifest;
import io.sigil.repository.Repository;
import io.sigil.signature.AtomicSignatures;
import io.sigil.signature.CosignSignatures;
import io.sigil.signature.Fixtures;
import io.sigil.signature.GnuPgHome;
import io.sigil.signature.OpenPgpKeyring;
import io.sigil.signature.OpenPgpSigner;
import io.sigil.signature.SigningApi;
import io.sigil.testing.PostgresDatabaseResource;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

@QuarkusTest
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.GLOBAL)
class SigningServicesApiTest {

    private static final String PASSPHRASE = "correct horse battery staple";

    @Inject
    SigningRepos repos;
    @Inject
    EntityManager em;

    @Test
    void importedPrivateKeysAndPassphrasesNeverComeBackAndAreStoredSealed() {
        PGPSecretKeyRing ring = OpenPgpSigner.generateKeyRing("Imported <imported@example.com>", PASSPHRASE.toCharArray());
        String secret = new String(OpenPgpSigner.armoredSecretKey(ring), StandardCharsets.US_ASCII);
        String name = "imported " + UUID.randomUUID();
        String created = SigningApi.admin().body(Map.of("name", name, "type", "atomic", "private_key", secret, "passphrase", PASSPHRASE,
                        "allowed_references", List.of("example.com/")))
                .post(SigningApi.SERVICES).then().statusCode(201).extract().asString();
        JsonPath service = new JsonPath(created);
        assertEquals(OpenPgpKeyring.fingerprintOf(ring.getPublicKey()), service.getString("pubkey_fingerprint"));
        assertThat(service.getString("public_key"), containsString("BEGIN PGP PUBLIC KEY BLOCK"));
        String href = service.getString("pulp_href");
        for (String body : List.of(created, SigningApi.admin().get(href).asString(), SigningApi.admin().get(SigningApi.SERVICES + "?limit=1000").asString())) {
            assertFalse(body.contains("PRIVATE KEY"), body);
            assertFalse(body.contains(PASSPHRASE), body);
            List<String> lines = secret.lines().toList();
            // The end of the armour is secret-key material (its start is the public key, which is shown).
            assertFalse(body.contains(lines.get(lines.size() - 4)), "no secret line of the armoured key");
        }
        byte[][] sealed = QuarkusTransaction.requiringNew().call(() -> Sql.with(em, sql -> sql.query(
                "SELECT sealed_private_key, sealed_passphrase FROM signing_service WHERE name = ?",
                rs -> new byte[][] {rs.getBytes(1), rs.getBytes(2)}, name).get(0)));
        assertFalse(new String(sealed[0], StandardCharsets.ISO_8859_1).contains("PGP PRIVATE KEY"));
        assertFalse(new String(sealed[1], StandardCharsets.ISO_8859_1).contains(PASSPHRASE));

        Repository repository = repos.create();
        repos.add(repository, repos.tag("v1", repos.image()));
        SigningRepos.sign(repository, Map.of("signing_service", href, "reference", "example.com/imported"), "completed");
        assertEquals(204, SigningApi.admin().delete(href).statusCode());
        SigningApi.admin().get(href).then().statusCode(404);
    }

    @Test
    void wrongPassphraseOrBadKeysAreRefused() {
        PGPSecretKeyRing ring = OpenPgpSigner.generateKeyRing("X <x@example.com>", PASSPHRASE.toCharArray());
        String secret = new String(OpenPgpSigner.armoredSecretKey(ring), StandardCharsets.US_ASCII);
        assertThat(SigningApi.post(SigningApi.SERVICES, Map.of("name", "x", "type", "atomic", "private_key", secret, "passphrase", "wrong"), 400)
                .getString("private_key[0]"), containsString("passphrase"));
        SigningApi.post(SigningApi.SERVICES, Map.of("name", "x", "type", "atomic", "private_key", "garbage"), 400).getString("private_key[0]");
        SigningApi.post(SigningApi.SERVICES, Map.of("name", "x", "type", "cosign", "private_key", text("cosign.pub")), 400).getString("private_key[0]");
        SigningApi.post(SigningApi.SERVICES, Map.of("name", "x", "type", "notary", "generate", true), 400).getString("type[0]");
        assertThat(SigningApi.post(SigningApi.SERVICES, Map.of("name", "x", "type", "atomic", "generate", true, "private_key", secret), 400)
                .getString("detail"), containsString("exactly one"));
    }

    @Test
    void cosignKeysImportFromOpensslPemPlainOrEncrypted() throws Exception {
        try (GnuPgHome dir = new GnuPgHome()) {
            assertEquals(0, dir.run(List.of("openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out",
                    dir.path("ec.pem").toString())).exitCode());
            assertEquals(0, dir.run(List.of("openssl", "pkcs8", "-topk8", "-in", dir.path("ec.pem").toString(), "-passout",
                    "pass:" + PASSPHRASE, "-out", dir.path("enc.pem").toString())).exitCode());
            assertEquals(0, dir.run(List.of("openssl", "ec", "-in", dir.path("ec.pem").toString(), "-pubout", "-out",
                    dir.path("pub.pem").toString())).exitCode());
            String publicPem = Files.readString(dir.path("pub.pem"));
            JsonPath plain = SigningApi.post(SigningApi.SERVICES, Map.of("name", "ec " + UUID.randomUUID(), "type", "cosign",
                    "private_key", Files.readString(dir.path("ec.pem"))), 201);
            JsonPath encrypted = SigningApi.post(SigningApi.SERVICES, Map.of("name", "ec enc " + UUID.randomUUID(), "type", "cosign",
                    "private_key", Files.readString(dir.path("enc.pem")), "passphrase", PASSPHRASE), 201);
            String identity = CosignSignatures.keyIdentity(CosignSignatures.parsePublicKey(publicPem));
            assertEquals(identity, plain.getString("pubkey_fingerprint"));
            assertEquals(identity, encrypted.getString("pubkey_fingerprint"));
            SigningApi.post(SigningApi.SERVICES, Map.of("name", "ec bad", "type", "cosign", "private_key", Files.readString(dir.path("enc.pem")),
                    "passphrase", "wrong"), 400);
        }
    }

    @Test
    void externalScriptServiceSignsWithSkopeoAndAFailingRunLeavesNoVersion() throws Exception {
        assumeTrue(GnuPgHome.commandExists("gpg") && GnuPgHome.commandExists("skopeo"), "gpg or skopeo is not installed");
        try (GnuPgHome gnupg = new GnuPgHome()) {
            assertEquals(0, gnupg.gpg("--passphrase", "", "--quick-generate-key", "Script signer <script@example.com>",
                    "rsa3072", "sign", "never").exitCode());
            String fingerprint = gnupg.gpg("--with-colons", "--list-keys").stdout().lines()
                    .filter(line -> line.startsWith("fpr:")).findFirst().orElseThrow().split(":")[9];
            String publicKey = gnupg.gpg("--armor", "--export", fingerprint).stdout();
            Path script = executable(gnupg.path("sign.sh"), "#!/bin/sh\nexport GNUPGHOME=" + gnupg.path("") + "\n"
                    + "skopeo standalone-sign \"$1\" \"$REFERENCE\" \"$PULP_SIGNING_KEY_FINGERPRINT\" --output \"$SIG_PATH\" >&2 || exit 1\n"
                    + "echo \"{\\\"signature_path\\\": \\\"$SIG_PATH\\\"}\"\n");
            JsonPath service = SigningApi.post(SigningApi.SERVICES, Map.of("name", "script " + UUID.randomUUID(), "type", "atomic",
                    "script", script.toString(), "public_key", publicKey, "allowed_references", List.of("quay.example/app")), 201);
            assertEquals(fingerprint, service.getString("pubkey_fingerprint"));
            assertEquals(script.toString(), service.getString("script"));

            Repository repository = repos.create();
            Manifest image = repos.image();
            repos.add(repository, repos.tag("v1", image));
            int before = repos.latest(repository);
            Map<String, Object> request = Map.of("signing_service", service.getString("pulp_href"), "reference", "quay.example/app");
            SigningRepos.sign(repository, request, "completed");
            assertEquals(before + 1, repos.latest(repository));
            JsonPath signature = SigningApi.get(SigningApi.SIGNATURES + "?repository_version=" + SigningRepos.versionHref(repository, before + 1));
            assertEquals(List.of("quay.example/app:v1"), signature.getList("results.docker_reference"));
            assertEquals(fingerprint, AtomicSignatures.parse(SigningRepos.data(signature.getString("results[0].pulp_href"))).issuerFingerprint());

            // The same script, now failing: the task fails with its message and the repository keeps its version.
            repos.add(repository, repos.tag("v2", repos.image()));
            int withV2 = repos.latest(repository);
            executable(script, "#!/bin/sh\necho 'the HSM is offline' >&2\nexit 3\n");
            JsonPath failed = SigningRepos.sign(repository, request, "failed");
            assertThat(failed.getString("error.description"), containsString("the HSM is offline"));
            assertEquals(withV2, repos.latest(repository));

            // A script that signs with another key than the one declared is refused at creation.
            PGPSecretKeyRing other = OpenPgpSigner.generateKeyRing("Other <o@example.com>", null);
            executable(script, "#!/bin/sh\nexport GNUPGHOME=" + gnupg.path("") + "\n"
                    + "skopeo standalone-sign \"$1\" \"$REFERENCE\" " + fingerprint + " --output \"$SIG_PATH\" >&2 || exit 1\n"
                    + "echo \"{\\\"signature_path\\\": \\\"$SIG_PATH\\\"}\"\n");
            assertThat(SigningApi.post(SigningApi.SERVICES, Map.of("name", "mismatch", "type", "atomic", "script", script.toString(),
                    "public_key", new String(OpenPgpSigner.armoredPublicKey(other), StandardCharsets.US_ASCII)), 400)
                    .getString("script[0]"), containsString("test manifest"));
            executable(script, "#!/bin/sh\nexit 1\n");
            SigningApi.post(SigningApi.SERVICES, Map.of("name", "broken", "type", "atomic", "script", script.toString(), "public_key", publicKey), 400);
            SigningApi.post(SigningApi.SERVICES, Map.of("name", "missing", "type", "atomic", "script", "/nonexistent/sign.sh", "public_key", publicKey), 400);
        }
    }

    @Test
    void badSignRequestsAreClear400s() {
        JsonPath service = SigningApi.post(SigningApi.SERVICES, Map.of("name", "bad requests " + UUID.randomUUID(), "type", "cosign", "generate", true,
                "allowed_references", List.of("example.com/")), 201);
        String href = service.getString("pulp_href");
        Repository empty = repos.create();
        String sign = SigningApi.REPOSITORIES + empty.pulpId + "/sign/";
        assertThat(SigningApi.post(sign, Map.of("signing_service", href, "reference", "example.com/app"), 400).getString("detail"),
                containsString("nothing to sign"));
        SigningApi.post(sign, Map.of("signing_service", SigningApi.SERVICES + UUID.randomUUID() + "/", "reference", "example.com/app"), 400)
                .getString("signing_service[0]");
        SigningApi.post(sign, Map.of("signing_service", "/pulp/api/v3/elsewhere/", "reference", "example.com/app"), 400).getString("signing_service[0]");
        SigningApi.post(sign, Map.of("signing_service", href, "reference", "Example.com/App"), 400).getString("reference[0]");
        SigningApi.post(sign, Map.of("signing_service", href, "reference", "example.com/app:tag"), 400).getString("reference[0]");
        SigningApi.post(sign, Map.of("signing_service", href), 400).getString("reference[0]");

        Repository tagged = repos.create();
        Manifest untagged = repos.image();
        repos.add(tagged, repos.tag("v1", repos.image()), untagged);
        String signTagged = SigningApi.REPOSITORIES + tagged.pulpId + "/sign/";
        assertThat(SigningApi.post(signTagged, Map.of("signing_service", href, "reference", "example.com/app", "tags", List.of("v1", "nope")), 400)
                .getString("tags[0]"), containsString("nope"));
        SigningApi.post(signTagged, Map.of("signing_service", href, "reference", "example.com/app",
                "content_units", List.of(io.sigil.content.ContentType.MANIFEST.href(untagged.pulpId))), 400).getString("content_units[0]");
        assertEquals(1, repos.latest(tagged));
        assertTrue(SigningApi.admin().post(SigningApi.REPOSITORIES + UUID.randomUUID() + "/sign/").statusCode() >= 400);
    }

    private static Path executable(Path path, String content) throws Exception {
        Files.writeString(path, content);
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwx------"));
        return path;
    }

    private static String text(String fixture) {
        return new String(Fixtures.read(fixture), StandardCharsets.US_ASCII);
    }
}
