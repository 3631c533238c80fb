package io.sigil.signature;

import static io.sigil.signature.Fixtures.D1;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sigil.signature.Verdict.State;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.openpgp.PGPCompressedData;
import org.bouncycastle.openpgp.PGPCompressedDataGenerator;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPLiteralDataGenerator;
import org.bouncycastle.openpgp.PGPOnePassSignatureList;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Our signatures against our verifier, gpg and skopeo; and skopeo's signatures against our verifier. */
class OpenPgpSignerTest {

    private static final char[] PASSPHRASE = "sigil test passphrase".toCharArray();
    private static final String REFERENCE = "docker.io/library/busybox:latest";

    private static PGPSecretKeyRing keyRing;
    private static String fingerprint;
    private static byte[] publicKey;

    @BeforeAll
    static void generateKey() {
        keyRing = OpenPgpSigner.generateKeyRing("Sigil test <sigil@example.com>", PASSPHRASE);
        fingerprint = OpenPgpKeyring.fingerprintOf(keyRing.getPublicKey());
        publicKey = OpenPgpSigner.armoredPublicKey(keyRing);
    }

    private static byte[] signD1() {
        return new OpenPgpSigner(keyRing.getSecretKey(), PASSPHRASE).sign(AtomicSignatures.payload(REFERENCE, D1, "sigil", 1700000000L));
    }

    @Test
    void ourVerifierAcceptsOurSignature() {
        byte[] signature = signD1();

        Verdict verdict = AtomicSignatures.verify(signature, OpenPgpKeyring.of(publicKey), D1);
        assertEquals(State.VALID, verdict.state(), verdict.reason());
        assertEquals(fingerprint, verdict.keyIdentity());
        assertEquals(REFERENCE, verdict.signedDockerReference());
        UntrustedAtomicSignature parsed = AtomicSignatures.parse(signature);
        assertEquals(fingerprint, parsed.issuerFingerprint());
        assertEquals(fingerprint.substring(24), parsed.signingKeyId());
    }

    @Test
    void layoutIsTheOneGpgAndSkopeoWrite() throws Exception {
        byte[] signature = signD1();
        assertEquals(0xA3, signature[0] & 0xFF, "old-format compressed packet of indeterminate length");

        PGPCompressedData compressed = (PGPCompressedData) new BcPGPObjectFactory(signature).nextObject();
        assertEquals(PGPCompressedData.ZIP, compressed.getAlgorithm());
        BcPGPObjectFactory inner = new BcPGPObjectFactory(compressed.getDataStream());
        assertEquals(1, ((PGPOnePassSignatureList) inner.nextObject()).size());
        PGPLiteralData literal = (PGPLiteralData) inner.nextObject();
        assertEquals(PGPLiteralData.BINARY, literal.getFormat());
        assertEquals("", literal.getFileName());
        literal.getInputStream().readAllBytes();
        PGPSignatureList signatures = (PGPSignatureList) inner.nextObject();
        assertEquals(HashAlgorithmTags.SHA256, signatures.get(0).getHashAlgorithm());
        assertEquals(4, signatures.get(0).getVersion());
    }

    @Test
    void tamperedSignatureIsRejected() {
        byte[] payload = AtomicSignatures.payload(REFERENCE, D1, null, null);
        byte[] other = AtomicSignatures.payload(REFERENCE.replace("latest", "other!"), D1, null, null);
        byte[] signature = new OpenPgpSigner(keyRing.getSecretKey(), PASSPHRASE).sign(payload);
        // Same length, so swapping the literal data inside the (recompressed) message keeps the packets well-formed.
        assertEquals(payload.length, other.length);
        byte[] forged = replaceLiteral(signature, other);

        Verdict verdict = AtomicSignatures.verify(forged, OpenPgpKeyring.of(publicKey), D1);
        assertEquals(State.INVALID, verdict.state());
        assertTrue(verdict.reason().contains("BAD signature"), verdict.reason());
    }

    @Test
    void wrongPassphraseIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new OpenPgpSigner(keyRing.getSecretKey(), "wrong".toCharArray()));
    }

    @Test
    void armouredSecretKeyRoundTrips() {
        OpenPgpSigner signer = OpenPgpSigner.fromSecretKeyRing(OpenPgpSigner.armoredSecretKey(keyRing), PASSPHRASE);

        assertEquals(fingerprint.substring(24), signer.keyId());
        assertTrue(AtomicSignatures.verify(signer.sign(AtomicSignatures.payload(REFERENCE, D1, null, null)),
                OpenPgpKeyring.of(publicKey), D1).isValid());
    }

    @Test
    void signaturesByAnExpiredKeyAreRejected() {
        Instant created = Instant.now().minus(Duration.ofDays(2));
        PGPSecretKeyRing expiring = OpenPgpSigner.generateKeyRing("Expiring <x@example.com>", null, created, Duration.ofDays(1));
        byte[] payload = AtomicSignatures.payload(REFERENCE, D1, null, null);
        OpenPgpKeyring keys = OpenPgpKeyring.of(OpenPgpSigner.armoredPublicKey(expiring));
        OpenPgpSigner signer = new OpenPgpSigner(expiring.getSecretKey(), null);

        Verdict whileValid = AtomicSignatures.verify(signer.sign(payload, created.plusSeconds(60)), keys, D1, created.plusSeconds(120));
        Verdict afterExpiry = AtomicSignatures.verify(signer.sign(payload, created.plusSeconds(60)), keys, D1);
        assertEquals(State.VALID, whileValid.state(), whileValid.reason());
        assertEquals(State.INVALID, afterExpiry.state());
        assertTrue(afterExpiry.reason().contains("expired on"), afterExpiry.reason());
    }

    @Test
    void gpgVerifiesOurSignature() throws Exception {
        assumeTrue(GnuPgHome.commandExists("gpg"), "gpg is not installed");
        byte[] signature = signD1();
        try (GnuPgHome gnupg = new GnuPgHome()) {
            assertEquals(0, gnupg.gpg("--import", gnupg.file("key.asc", publicKey).toString()).exitCode());
            Path signed = gnupg.file("signature", signature);

            GnuPgHome.Result verify = gnupg.gpg("--status-fd", "1", "--verify", signed.toString());
            assertEquals(0, verify.exitCode(), verify.stderr());
            assertTrue(verify.stdout().contains("[GNUPG:] VALIDSIG " + fingerprint), verify.stdout());
            GnuPgHome.Result decrypt = gnupg.gpg("--output", gnupg.path("payload").toString(), "--decrypt", signed.toString());
            assertEquals(0, decrypt.exitCode(), decrypt.stderr());
            assertArrayEquals(AtomicSignatures.payload(REFERENCE, D1, "sigil", 1700000000L), Files.readAllBytes(gnupg.path("payload")));

            byte[] forged = replaceLiteral(signature, AtomicSignatures.payload(REFERENCE, D1, "sigiL", 1700000000L));
            GnuPgHome.Result bad = gnupg.gpg("--status-fd", "1", "--verify", gnupg.file("forged", forged).toString());
            assertNotEquals(0, bad.exitCode());
            assertTrue(bad.stdout().contains("[GNUPG:] BADSIG"), bad.stdout());
        }
    }

    @Test
    void skopeoVerifiesOurSignature() throws Exception {
        assumeTrue(GnuPgHome.commandExists("gpg") && GnuPgHome.commandExists("skopeo"), "gpg or skopeo is not installed");
        try (GnuPgHome gnupg = new GnuPgHome()) {
            gnupg.gpg("--import", gnupg.file("key.asc", publicKey).toString());
            Path manifest = gnupg.file("manifest.json", Fixtures.read("image.manifest.json"));
            Path signature = gnupg.file("signature", signD1());

            GnuPgHome.Result verify = gnupg.run(List.of("skopeo", "standalone-verify", manifest.toString(), REFERENCE,
                    fingerprint, signature.toString()));
            assertEquals(0, verify.exitCode(), verify.stderr());
            assertTrue(verify.stdout().startsWith("Signature verified") && verify.stdout().contains(D1), verify.stdout());
        }
    }

    /** skopeo (Go, containers/image) signs; we verify, and our payload for the same values must be byte-identical. */
    @Test
    void weVerifySkopeoSignaturesAndWriteTheSamePayload() throws Exception {
        assumeTrue(GnuPgHome.commandExists("gpg") && GnuPgHome.commandExists("skopeo"), "gpg or skopeo is not installed");
        try (GnuPgHome gnupg = new GnuPgHome()) {
            GnuPgHome.Result generated = gnupg.gpg("--passphrase", "", "--quick-generate-key", "Skopeo signer <skopeo@example.com>",
                    "rsa3072", "sign", "never");
            assertEquals(0, generated.exitCode(), generated.stderr());
            String skopeoKey = gnupg.gpg("--with-colons", "--list-keys").stdout().lines()
                    .filter(line -> line.startsWith("fpr:")).findFirst().orElseThrow().split(":")[9];
            Path manifest = gnupg.file("manifest.json", Fixtures.read("image.manifest.json"));
            // skopeo signs any string; these characters exercise Go's escaping (HTML-safe, \u2028, control characters).
            String reference = "example.com/ns/image:v1<&>\"\\é\u2028\t";
            GnuPgHome.Result signed = gnupg.run(List.of("skopeo", "standalone-sign", manifest.toString(), reference,
                    skopeoKey, "--output", gnupg.path("signature").toString()));
            assertEquals(0, signed.exitCode(), signed.stderr());
            byte[] exported = gnupg.gpg("--armor", "--export", skopeoKey).stdout().getBytes(StandardCharsets.US_ASCII);
            byte[] signature = Files.readAllBytes(gnupg.path("signature"));

            Verdict verdict = AtomicSignatures.verify(signature, OpenPgpKeyring.of(exported), D1);
            assertEquals(State.VALID, verdict.state(), verdict.reason());
            assertEquals(skopeoKey, verdict.keyIdentity());
            UntrustedAtomicSignature parsed = AtomicSignatures.parse(signature);
            assertEquals(reference, parsed.dockerReference());
            assertTrue(parsed.creator().startsWith("atomic "), parsed.creator());
            assertTrue(new String(parsed.payload(), StandardCharsets.UTF_8).contains("v1\\u003c\\u0026\\u003e\\\"\\\\é\\u2028\\t\""));
            assertArrayEquals(parsed.payload(), AtomicSignatures.payload(parsed.dockerReference(), parsed.manifestDigest(),
                    parsed.creator(), parsed.timestamp()));
        }
    }

    /** Rebuilds a signed message with different literal data but the original signature packet. */
    private static byte[] replaceLiteral(byte[] signature, byte[] newContent) {
        try {
            PGPCompressedData compressed = (PGPCompressedData) new BcPGPObjectFactory(signature).nextObject();
            BcPGPObjectFactory inner = new BcPGPObjectFactory(compressed.getDataStream());
            PGPOnePassSignatureList onePass = (PGPOnePassSignatureList) inner.nextObject();
            PGPLiteralData literal = (PGPLiteralData) inner.nextObject();
            literal.getInputStream().readAllBytes();
            PGPSignatureList signatures = (PGPSignatureList) inner.nextObject();

            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (OutputStream zip = new PGPCompressedDataGenerator(PGPCompressedData.ZIP).open(out)) {
                onePass.get(0).encode(zip);
                try (OutputStream data = new PGPLiteralDataGenerator()
                        .open(zip, PGPLiteralData.BINARY, "", newContent.length, literal.getModificationTime())) {
                    data.write(newContent);
                }
                signatures.get(0).encode(zip);
            }
            return out.toByteArray();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
