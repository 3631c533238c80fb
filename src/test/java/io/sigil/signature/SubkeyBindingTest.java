package io.sigil.signature;

import static io.sigil.signature.Fixtures.D1;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sigil.signature.Verdict.State;
import java.security.SecureRandom;
import java.util.Date;
import java.util.Iterator;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.crypto.generators.Ed25519KeyPairGenerator;
import org.bouncycastle.crypto.params.Ed25519KeyGenerationParameters;
import org.bouncycastle.openpgp.PGPKeyPair;
import org.bouncycastle.openpgp.PGPKeyRingGenerator;
import org.bouncycastle.openpgp.PGPSecretKey;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPDigestCalculatorProvider;
import org.bouncycastle.openpgp.operator.bc.BcPGPKeyPair;
import org.junit.jupiter.api.Test;

/**
 * A signing subkey counts only with a valid binding signature AND a back-signature: otherwise anyone could attach
 * somebody else's key (whose signatures they have) to their own primary key, or the other way round.
 */
class SubkeyBindingTest {

    @Test
    void signingSubkeyWithBackSignatureIsAttributedToItsPrimary() throws Exception {
        PGPSecretKeyRing ring = certifyOnlyPrimaryWithSigningSubkey(true);

        Verdict verdict = signWithSubkeyAndVerify(ring);
        assertEquals(State.VALID, verdict.state(), verdict.reason());
        assertEquals(OpenPgpKeyring.fingerprintOf(ring.getPublicKey()), verdict.keyIdentity());
    }

    @Test
    void signingSubkeyWithoutBackSignatureIsNotPartOfTheKey() throws Exception {
        Verdict verdict = signWithSubkeyAndVerify(certifyOnlyPrimaryWithSigningSubkey(false));

        assertEquals(State.UNKNOWN_KEY, verdict.state(), verdict.reason());
    }

    @Test
    void certifyOnlyPrimaryKeyMayNotSign() throws Exception {
        PGPSecretKeyRing ring = certifyOnlyPrimaryWithSigningSubkey(true);
        byte[] signature = new OpenPgpSigner(ring.getSecretKey(), null).sign(AtomicSignatures.payload("example.com/a:b", D1, null, null));

        Verdict verdict = AtomicSignatures.verify(signature, OpenPgpKeyring.of(armoredPublicKey(ring)), D1);
        assertEquals(State.INVALID, verdict.state());
        assertEquals("key " + OpenPgpKeyring.fingerprintOf(ring.getPublicKey()) + " is not allowed to sign data", verdict.reason());
    }

    private static Verdict signWithSubkeyAndVerify(PGPSecretKeyRing ring) {
        PGPSecretKey subkey = secondKey(ring);
        byte[] signature = new OpenPgpSigner(subkey, null).sign(AtomicSignatures.payload("example.com/a:b", D1, null, null));
        return AtomicSignatures.verify(signature, OpenPgpKeyring.of(armoredPublicKey(ring)), D1);
    }

    private static PGPSecretKey secondKey(PGPSecretKeyRing ring) {
        Iterator<PGPSecretKey> keys = ring.getSecretKeys();
        keys.next(); // the primary key comes first
        return keys.next();
    }

    /** Ed25519 (fast to generate); the primary key may only certify. */
    private static PGPSecretKeyRing certifyOnlyPrimaryWithSigningSubkey(boolean withBackSignature) throws Exception {
        Date now = new Date();
        PGPKeyPair primary = ed25519(now);
        PGPKeyPair subkey = ed25519(now);
        PGPSignatureSubpacketGenerator primaryFlags = new PGPSignatureSubpacketGenerator();
        primaryFlags.setKeyFlags(false, KeyFlags.CERTIFY_OTHER);
        PGPKeyRingGenerator generator = new PGPKeyRingGenerator(PGPSignature.POSITIVE_CERTIFICATION, primary, "Subkey test",
                new BcPGPDigestCalculatorProvider().get(HashAlgorithmTags.SHA1), primaryFlags.generate(), null,
                new BcPGPContentSignerBuilder(PublicKeyAlgorithmTags.EDDSA_LEGACY, HashAlgorithmTags.SHA256), null);

        PGPSignatureSubpacketGenerator subkeyBinding = new PGPSignatureSubpacketGenerator();
        subkeyBinding.setKeyFlags(false, KeyFlags.SIGN_DATA);
        if (withBackSignature) {
            PGPSignatureGenerator back = new PGPSignatureGenerator(
                    new BcPGPContentSignerBuilder(PublicKeyAlgorithmTags.EDDSA_LEGACY, HashAlgorithmTags.SHA256), subkey.getPublicKey());
            back.init(PGPSignature.PRIMARYKEY_BINDING, subkey.getPrivateKey());
            subkeyBinding.addEmbeddedSignature(false, back.generateCertification(primary.getPublicKey(), subkey.getPublicKey()));
        }
        generator.addSubKey(subkey, subkeyBinding.generate(), null);
        return generator.generateSecretKeyRing();
    }

    private static PGPKeyPair ed25519(Date creationTime) throws Exception {
        Ed25519KeyPairGenerator generator = new Ed25519KeyPairGenerator();
        generator.init(new Ed25519KeyGenerationParameters(new SecureRandom()));
        return new BcPGPKeyPair(PublicKeyAlgorithmTags.EDDSA_LEGACY, generator.generateKeyPair(), creationTime);
    }

    private static byte[] armoredPublicKey(PGPSecretKeyRing ring) {
        return OpenPgpSigner.armoredPublicKey(ring);
    }
}
