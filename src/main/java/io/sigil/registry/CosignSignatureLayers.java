package io.sigil.registry;

import io.sigil.content.CosignTags;
import io.sigil.content.Descriptor;
import io.sigil.content.ParsedManifest;
import io.sigil.signature.CosignSignatures;
import io.sigil.signature.InvalidSignatureException;
import io.sigil.signature.RevokedKeys;
import io.sigil.signature.SignatureIngest;
import io.sigil.signature.UntrustedCosignSignature;
import io.sigil.storage.BlobStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Reads the simple-signing layers of a manifest pushed under a cosign {@code sha256-<hex>.sig} tag, so each can be
 * stored as a signature of the subject (by {@code SignatureIngest.cosign}, which also records a verdict). Layers that
 * cannot be read, are not a payload signing that subject, or were made by a revoked key, are skipped: they stay in
 * the manifest, and the push never fails for them.
 */
@ApplicationScoped
public class CosignSignatureLayers {

    private static final Logger LOG = Logger.getLogger(CosignSignatureLayers.class);
    /** containers/image reads at most 4 MiB of a signature layer. */
    private static final int MAX_LAYER = SignatureIngest.MAX_SIGNATURE_BYTES;

    @Inject
    BlobStore blobs;
    @Inject
    RevokedKeys revokedKeys;

    /** The signed image and the signature layers of a .sig manifest (or the DSSE layers of an .att manifest). */
    public record Attached(String subject, List<UntrustedCosignSignature> layers, boolean attestations) {
    }

    /** The signature layers of {@code manifest} pushed as {@code tag}; empty for any tag but a cosign .sig tag. */
    public Optional<Attached> of(String tag, ParsedManifest manifest) {
        Optional<CosignTags.TagTarget> target = CosignTags.subjectOf(tag);
        if (target.isPresent() && target.get().kind() == CosignTags.TagKind.ATTESTATION) {
            return Optional.of(attestations(target.get().subject().toString(), manifest));
        }
        target = target.filter(t -> t.kind() == CosignTags.TagKind.SIGNATURE);
        if (target.isEmpty()) {
            return Optional.empty();
        }
        String subject = target.get().subject().toString();
        List<UntrustedCosignSignature> layers = new ArrayList<>();
        for (Descriptor layer : manifest.layers()) {
            if (CosignSignatures.SIMPLE_SIGNING_MEDIA_TYPE.equals(layer.mediaType())) {
                read(layer).filter(payload -> signs(payload, subject, layer))
                        .map(payload -> new UntrustedCosignSignature(layer.mediaType(), payload, layer.annotations()))
                        .filter(signature -> !revoked(signature, layer)).ifPresent(layers::add);
            }
        }
        return Optional.of(new Attached(subject, layers, false));
    }

    /** The DSSE layers of an .att manifest whose in-toto Statement names the subject; others are skipped. */
    private Attached attestations(String subject, ParsedManifest manifest) {
        List<UntrustedCosignSignature> layers = new ArrayList<>();
        for (Descriptor layer : manifest.layers()) {
            if (io.sigil.signature.DsseEnvelope.MEDIA_TYPE.equals(layer.mediaType())) {
                read(layer).map(payload -> new UntrustedCosignSignature(layer.mediaType(), payload, layer.annotations()))
                        .filter(attestation -> attests(attestation, subject, layer)).ifPresent(layers::add);
            }
        }
        return new Attached(subject, layers, true);
    }

    private static boolean attests(UntrustedCosignSignature attestation, String subject, Descriptor layer) {
        try {
            SignatureIngest.attestationUnit(subject, attestation, null);
            return true;
        } catch (InvalidSignatureException e) {
            LOG.debugf("attestation layer %s is not stored: %s", layer.digest(), e.getMessage());
            return false;
        }
    }

    /**
     * Checked here, before any transaction: the ingest refuses the same layers by throwing, which would mark the
     * push's transaction for rollback.
     */
    private static boolean signs(byte[] payload, String subject, Descriptor layer) {
        try {
            String claimed = CosignSignatures.parsePayload(payload).manifestDigest();
            if (subject.equals(claimed)) {
                return true;
            }
            LOG.debugf("cosign layer %s signs %s, not %s: not stored as a signature", layer.digest(), claimed, subject);
        } catch (InvalidSignatureException e) {
            LOG.debugf("cosign layer %s is not a signature payload: %s", layer.digest(), e.getMessage());
        }
        return false;
    }

    /**
     * A layer by a revoked key is skipped like any other unusable layer, rather than failing the push: cosign re-pushes
     * the whole .sig manifest each time it adds a signature, so refusing it would block every later signer.
     */
    private boolean revoked(UntrustedCosignSignature signature, Descriptor layer) {
        Optional<RevokedKeys.Revocation> revocation = revokedKeys.revocationOf(SignatureIngest.COSIGN, null, null,
                CosignSignatures.toStorageForm(signature));
        revocation.ifPresent(r -> LOG.infof("cosign layer %s is not stored as a signature: the signing key %s is revoked: %s",
                layer.digest(), r.identity(), r.reason()));
        return revocation.isPresent();
    }

    /** A signature layer's bytes, or empty (logged) when it is over 4 MiB or cannot be read; other readers share it. */
    Optional<byte[]> read(Descriptor layer) {
        if (layer.size() > MAX_LAYER) {
            LOG.debugf("cosign layer %s is over 4 MiB: not stored as a signature", layer.digest());
            return Optional.empty();
        }
        try (InputStream in = blobs.open(layer.digest(), 0)) {
            return Optional.of(in.readNBytes(MAX_LAYER));
        } catch (IOException e) {
            LOG.debugf("cosign layer %s cannot be read: %s", layer.digest(), e.getMessage());
            return Optional.empty();
        }
    }

}
