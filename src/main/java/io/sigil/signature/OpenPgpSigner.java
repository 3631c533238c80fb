package io.sigil.signature;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.CompressionAlgorithmTags;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.bcpg.sig.Features;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.crypto.generators.RSAKeyPairGenerator;
import org.bouncycastle.crypto.params.RSAKeyGenerationParameters;
import org.bouncycastle.openpgp.PGPCompressedDataGenerator;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPKeyPair;
import org.bouncycastle.openpgp.PGPKeyRing;
import org.bouncycastle.openpgp.PGPKeyRingGenerator;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPLiteralDataGenerator;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSecretKey;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.PGPSecretKeyRingCollection;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.operator.PBESecretKeyEncryptor;
import org.bouncycastle.openpgp.operator.PGPDigestCalculator;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.bc.BcPBESecretKeyDecryptorBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPBESecretKeyEncryptorBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPDigestCalculatorProvider;
import org.bouncycastle.openpgp.operator.bc.BcPGPKeyPair;

/**
 * Makes atomic signatures the way gpg and skopeo do: a ZIP-compressed packet holding a one-pass signature, the
 * literal data (binary, empty file name) and a SHA-256 signature. Sign payloads from {@link AtomicSignatures#payload}.
 * Also generates keys (RSA 3072, which every OpenPGP implementation containers/image can use understands).
 */
public final class OpenPgpSigner {

    private static final int RSA_BITS = 3072;
    private static final int[] PREFERRED_HASHES = {HashAlgorithmTags.SHA512, HashAlgorithmTags.SHA384, HashAlgorithmTags.SHA256};

    private final PGPPublicKey publicKey;
    private final PGPPrivateKey privateKey;

    /**
     * @param secretKey  the (primary or sub-) key to sign with
     * @param passphrase its passphrase; null or empty for an unprotected key
     * @throws IllegalArgumentException if the passphrase is wrong or the key cannot sign
     */
    public OpenPgpSigner(PGPSecretKey secretKey, char[] passphrase) {
        if (!secretKey.isSigningKey()) {
            throw new IllegalArgumentException("key " + keyIdOf(secretKey.getPublicKey()) + " cannot make signatures");
        }
        this.publicKey = secretKey.getPublicKey();
        try {
            this.privateKey = secretKey.extractPrivateKey(
                    new BcPBESecretKeyDecryptorBuilder(new BcPGPDigestCalculatorProvider()).build(passphraseOrEmpty(passphrase)));
        } catch (PGPException e) {
            throw new IllegalArgumentException("cannot unlock key " + keyIdOf(publicKey) + ": wrong passphrase?", e);
        }
    }

    /** A signer using the primary key of the first key ring in {@code armouredOrBinarySecretKeys}. */
    public static OpenPgpSigner fromSecretKeyRing(byte[] armouredOrBinarySecretKeys, char[] passphrase) {
        return new OpenPgpSigner(readSecretKeyRing(armouredOrBinarySecretKeys).getSecretKey(), passphrase);
    }

    /** The first secret key ring of an armoured or binary blob. */
    public static PGPSecretKeyRing readSecretKeyRing(byte[] armouredOrBinarySecretKeys) {
        try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(armouredOrBinarySecretKeys))) {
            Iterator<PGPSecretKeyRing> rings = new PGPSecretKeyRingCollection(in, new BcKeyFingerprintCalculator()).getKeyRings();
            if (!rings.hasNext()) {
                throw new IllegalArgumentException("no OpenPGP secret key found");
            }
            return rings.next();
        } catch (IOException | PGPException | RuntimeException e) {
            throw e instanceof IllegalArgumentException iae ? iae
                    : new IllegalArgumentException("not an OpenPGP secret key: " + e.getMessage(), e);
        }
    }

    /** The signing key's 16 upper-case hex digit key ID. */
    public String keyId() {
        return keyIdOf(publicKey);
    }

    /** Returns a complete atomic signature blob over {@code payload}. */
    public byte[] sign(byte[] payload) {
        return sign(payload, Instant.now());
    }

    byte[] sign(byte[] payload, Instant now) {
        Date creationTime = Date.from(now);
        ByteArrayOutputStream blob = new ByteArrayOutputStream();
        PGPCompressedDataGenerator compressor = new PGPCompressedDataGenerator(CompressionAlgorithmTags.ZIP);
        try (OutputStream compressed = compressor.open(blob)) {
            PGPSignatureGenerator signature = signatureGenerator(creationTime);
            signature.generateOnePassVersion(false).encode(compressed);
            try (OutputStream literal = new PGPLiteralDataGenerator()
                    .open(compressed, PGPLiteralData.BINARY, "", payload.length, creationTime)) {
                literal.write(payload);
            }
            signature.update(payload);
            signature.generate().encode(compressed);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (PGPException e) {
            throw new IllegalStateException("signing failed", e);
        }
        return blob.toByteArray();
    }

    private PGPSignatureGenerator signatureGenerator(Date creationTime) throws PGPException {
        PGPSignatureGenerator generator = new PGPSignatureGenerator(
                new BcPGPContentSignerBuilder(publicKey.getAlgorithm(), HashAlgorithmTags.SHA256), publicKey);
        generator.init(PGPSignature.BINARY_DOCUMENT, privateKey);
        PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
        hashed.setIssuerFingerprint(false, publicKey);
        hashed.setSignatureCreationTime(false, creationTime);
        PGPSignatureSubpacketGenerator unhashed = new PGPSignatureSubpacketGenerator();
        unhashed.setIssuerKeyID(false, publicKey.getKeyID());
        generator.setHashedSubpackets(hashed.generate());
        generator.setUnhashedSubpackets(unhashed.generate());
        return generator;
    }

    /**
     * Generates an RSA 3072 key that certifies and signs, with one user ID and no expiry.
     *
     * @param passphrase protects the secret key; null or empty leaves it unprotected
     */
    public static PGPSecretKeyRing generateKeyRing(String userId, char[] passphrase) {
        return generateKeyRing(userId, passphrase, Instant.now(), null);
    }

    static PGPSecretKeyRing generateKeyRing(String userId, char[] passphrase, Instant creationTime, Duration validity) {
        try {
            RSAKeyPairGenerator rsa = new RSAKeyPairGenerator();
            rsa.init(new RSAKeyGenerationParameters(BigInteger.valueOf(0x10001), new SecureRandom(), RSA_BITS, 100));
            PGPKeyPair keyPair = new BcPGPKeyPair(PublicKeyAlgorithmTags.RSA_GENERAL, rsa.generateKeyPair(), Date.from(creationTime));
            PGPSignatureSubpacketGenerator selfSignature = new PGPSignatureSubpacketGenerator();
            selfSignature.setKeyFlags(false, KeyFlags.CERTIFY_OTHER | KeyFlags.SIGN_DATA);
            selfSignature.setPreferredHashAlgorithms(false, PREFERRED_HASHES);
            selfSignature.setPreferredSymmetricAlgorithms(false, new int[] {SymmetricKeyAlgorithmTags.AES_256, SymmetricKeyAlgorithmTags.AES_128});
            selfSignature.setPreferredCompressionAlgorithms(false, new int[] {CompressionAlgorithmTags.ZIP, CompressionAlgorithmTags.UNCOMPRESSED});
            selfSignature.setFeature(false, Features.FEATURE_MODIFICATION_DETECTION);
            selfSignature.setSignatureCreationTime(false, Date.from(creationTime));
            if (validity != null) {
                selfSignature.setKeyExpirationTime(false, validity.toSeconds());
            }
            PGPDigestCalculator sha1 = new BcPGPDigestCalculatorProvider().get(HashAlgorithmTags.SHA1); // RFC 4880 key checksum
            return new PGPKeyRingGenerator(PGPSignature.POSITIVE_CERTIFICATION, keyPair, userId, sha1, selfSignature.generate(),
                    null, new BcPGPContentSignerBuilder(PublicKeyAlgorithmTags.RSA_GENERAL, HashAlgorithmTags.SHA256),
                    encryptor(passphrase)).generateSecretKeyRing();
        } catch (PGPException e) {
            throw new IllegalStateException("key generation failed", e);
        }
    }

    /** The public half, ASCII-armoured, for an {@link OpenPgpKeyring} or {@code gpg --import}. */
    public static byte[] armoredPublicKey(PGPSecretKeyRing keyRing) {
        List<PGPPublicKey> publicKeys = new ArrayList<>();
        keyRing.getPublicKeys().forEachRemaining(publicKeys::add);
        return armor(new PGPPublicKeyRing(publicKeys));
    }

    /** The secret key ring, ASCII-armoured (still protected by its passphrase, if it has one). */
    public static byte[] armoredSecretKey(PGPSecretKeyRing keyRing) {
        return armor(keyRing);
    }

    static byte[] armor(PGPKeyRing keyRing) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ArmoredOutputStream armored = ArmoredOutputStream.builder().clearHeaders().build(out)) {
            keyRing.encode(armored);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static PBESecretKeyEncryptor encryptor(char[] passphrase) throws PGPException {
        if (passphrase == null || passphrase.length == 0) {
            return null;
        }
        PGPDigestCalculator sha256 = new BcPGPDigestCalculatorProvider().get(HashAlgorithmTags.SHA256);
        return new BcPBESecretKeyEncryptorBuilder(SymmetricKeyAlgorithmTags.AES_256, sha256).build(passphrase);
    }

    private static char[] passphraseOrEmpty(char[] passphrase) {
        return passphrase == null ? new char[0] : passphrase;
    }

    private static String keyIdOf(PGPPublicKey key) {
        return String.format(Locale.ROOT, "%016X", key.getKeyID());
    }
}
