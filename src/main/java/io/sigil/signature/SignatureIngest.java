package io.sigil.signature;

import io.sigil.content.BulkContent;
import io.sigil.content.ContentStore;
import io.sigil.content.NewSignature;
import io.sigil.content.Signature;
import io.sigil.storage.Digest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Turns signature bytes received from anywhere (push, sync, signing, import) into signature units. The bytes are
 * parsed before anything is stored, and a signature whose payload names another manifest than the one it is attached
 * to is refused: Sigil never keeps a signature it cannot attribute to its manifest.
 */
@ApplicationScoped
public class SignatureIngest {

    public static final String ATOMIC = "atomic";
    public static final String COSIGN = "cosign";
    /** A DSSE envelope carrying an in-toto Statement about the manifest (a layer of cosign's {@code .att} tag). */
    public static final String ATTESTATION = "attestation";
    /** A Notary Project signature (JWS or COSE envelope), attached as an OCI referrer. */
    public static final String NOTATION = "notation";
    /** A Sigstore bundle (cosign 2.4+/3), attached as an OCI referrer. */
    public static final String SIGSTORE_BUNDLE = "sigstore-bundle";
    /** The largest signature containers/image reads (one atomic blob or one cosign layer); every path shares it. */
    public static final int MAX_SIGNATURE_BYTES = 4 * 1024 * 1024;

    @Inject
    ContentStore store;
    @Inject
    BulkContent bulk;
    @Inject
    RevokedKeys revokedKeys;
    @Inject
    SignatureVerifier verifier;

    /**
     * Stores an atomic (simple signing) signature of {@code manifestDigest}. Throws {@link SignatureFormatException}
     * for bytes that are not a signed message with a valid payload, and {@link InvalidSignatureException} when the
     * payload's manifest digest differs, {@link RevokedKeyException} when the signing key is revoked. Idempotent: the
     * same bytes give the same unit.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Signature atomic(String manifestDigest, byte[] untrustedBlob) {
        return store(atomicUnit(manifestDigest, untrustedBlob));
    }

    /** The unit {@link #atomic} would store, parsed and checked against the manifest digest; nothing is stored. */
    public static NewSignature atomicUnit(String manifestDigest, byte[] untrustedBlob) {
        UntrustedAtomicSignature parsed = AtomicSignatures.parse(untrustedBlob);
        AtomicSignatures.requireManifestDigest(parsed, manifestDigest);
        String name = manifestDigest + "@" + Digest.sha256Of(untrustedBlob).hex().substring(0, 32);
        return new NewSignature(manifestDigest, ATOMIC, name, untrustedBlob, parsed.signingKeyId(),
                parsed.issuerFingerprint(), parsed.creator(), parsed.timestamp(), parsed.dockerReference(),
                Digest.sha256Of(parsed.payload()).toString(), null);
    }

    /**
     * Stores one layer of a cosign {@code .sig} manifest as a signature of {@code manifestDigest}, in
     * containers/image's storage form, with a verdict. The layer must be a simple-signing payload for that digest
     * (else {@link SignatureFormatException} or {@link InvalidSignatureException}).
     *
     * @param signerIdentity the key identity of the signer when Sigil made the signature itself, else null
     * @param carrierDigest  the {@code .sig} manifest carrying the layer, already stored
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Signature cosign(String manifestDigest, UntrustedCosignSignature layer, String signerIdentity, String carrierDigest) {
        return store(cosignUnit(manifestDigest, layer, signerIdentity, carrierDigest));
    }

    /** The unit {@link #cosign} would store, parsed and checked against the manifest digest; nothing is stored. */
    public static NewSignature cosignUnit(String manifestDigest, UntrustedCosignSignature layer, String signerIdentity,
                                          String carrierDigest) {
        if (!layer.isSimpleSigning()) {
            throw new SignatureFormatException("not a cosign signature: media type " + layer.mediaType());
        }
        UntrustedCosignPayload claims = CosignSignatures.parsePayload(layer.payload());
        if (!claims.manifestDigest().equals(manifestDigest)) {
            throw new InvalidSignatureException(AtomicSignatures.digestMismatch(claims.manifestDigest(), manifestDigest));
        }
        return new NewSignature(manifestDigest, COSIGN, null, CosignSignatures.toStorageForm(layer), null,
                signerIdentity, claims.creator(), claims.timestamp(), claims.dockerReference(),
                Digest.sha256Of(layer.payload()).toString(), carrierDigest);
    }

    /**
     * Stores one layer of a cosign {@code .att} manifest as an attestation of {@code manifestDigest}, with a verdict.
     * The layer must be a DSSE envelope whose in-toto Statement names that digest (else {@link SignatureFormatException}
     * or {@link InvalidSignatureException}); the signature is checked by the verdict.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Signature attestation(String manifestDigest, UntrustedCosignSignature layer, String carrierDigest) {
        return store(attestationUnit(manifestDigest, layer, carrierDigest));
    }

    /** The unit {@link #attestation} would store; nothing is stored. */
    public static NewSignature attestationUnit(String manifestDigest, UntrustedCosignSignature layer, String carrierDigest) {
        InTotoStatement claims;
        try {
            DsseEnvelope envelope = DsseEnvelope.parse(layer.payload());
            if (!envelope.isInToto()) {
                throw new SignatureFormatException("not an in-toto attestation: payload type " + envelope.payloadType());
            }
            claims = InTotoStatement.parse(envelope.payload());
        } catch (SignatureFormatError e) {
            throw new SignatureFormatException(e.getMessage());
        }
        if (!claims.names(manifestDigest)) {
            throw new InvalidSignatureException("the attestation's subject does not name manifest " + manifestDigest);
        }
        return new NewSignature(manifestDigest, ATTESTATION, null, CosignSignatures.toStorageForm(layer), null, null,
                claims.predicateType(), null, claims.firstSubjectName(), Digest.sha256Of(layer.payload()).toString(),
                carrierDigest);
    }

    /**
     * Stores a Notary Project signature of {@code manifestDigest} (the subject of the referrer {@code carrierDigest}),
     * whatever its envelope holds: a malformed or mismatched one gets an invalid verdict rather than being hidden.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Signature notation(String manifestDigest, StoredNotarySignature signature, String carrierDigest) {
        Long signedAt = null;
        try {
            NotaryEnvelope envelope = NotaryEnvelope.parse(
                    signature.envelopeMediaType(), signature.envelope());
            java.time.Instant time = envelope.authenticTime() != null ? envelope.authenticTime() : envelope.signingTime();
            signedAt = time == null ? null : time.getEpochSecond();
        } catch (SignatureFormatError e) {
            // kept: its verdict says why it is invalid
        }
        return store(new NewSignature(manifestDigest, NOTATION, null, signature.toBytes(), null, null, null, signedAt, null,
                Digest.sha256Of(signature.envelope()).toString(), carrierDigest));
    }

    /** Stores a Sigstore bundle attached to {@code manifestDigest}; its verdict says whether it is good. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Signature sigstoreBundle(String manifestDigest, byte[] bundle, String carrierDigest) {
        return store(new NewSignature(manifestDigest, SIGSTORE_BUNDLE, null, bundle, null, null, null, null, null,
                Digest.sha256Of(bundle).toString(), carrierDigest));
    }

    /**
     * Stores many signatures (made by {@link #atomicUnit} or {@link #cosignUnit}) with a few statements, refusing all
     * if one is by a revoked key; new units get their verdict. Returns unit ids by {@link BulkContent#key}.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Map<String, Long> storeAll(Collection<NewSignature> signatures) {
        if (signatures.isEmpty()) {
            return Map.of();
        }
        revokedKeys.requireNoneRevoked(signatures);
        BulkContent.Stored<String> stored = bulk.signatures(signatures);
        Map<Long, NewSignature> created = new HashMap<>();
        signatures.forEach(s -> {
            Long id = stored.ids().get(BulkContent.key(s));
            if (stored.created().contains(id)) {
                created.put(id, s);
            }
        });
        verifier.recordAll(created);
        return stored.ids();
    }

    /** Refuses a revoked key's signature, then stores it with its verdict. */
    private Signature store(NewSignature newSignature) {
        revokedKeys.requireNotRevoked(newSignature);
        Signature signature = store.signature(newSignature);
        verifier.record(signature);
        return signature;
    }
}
