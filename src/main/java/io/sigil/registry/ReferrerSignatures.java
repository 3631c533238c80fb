package io.sigil.registry;

import io.sigil.content.Descriptor;
import io.sigil.content.ParsedManifest;
import io.sigil.repository.VersionReader;
import io.sigil.signature.StoredNotarySignature;
import io.sigil.signature.SignatureIngest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Signatures that arrive as OCI referrers: a Notary Project signature manifest (artifactType, or legacy config media
 * type, {@code application/vnd.cncf.notary.signature}) with one envelope layer, whose subject the repository holds.
 * Read before the push's transaction, so that nothing here can fail the push.
 */
@ApplicationScoped
public class ReferrerSignatures {

    private static final Logger LOG = Logger.getLogger(ReferrerSignatures.class);

    @Inject
    CosignSignatureLayers layers;
    @Inject
    VersionReader reader;

    /** A Notary Project signature of {@code subject}, ready for {@link SignatureIngest#notation}. */
    public record Notary(String subject, StoredNotarySignature signature) {
    }

    /** A Sigstore bundle attached to {@code subject}, ready for {@link SignatureIngest#sigstoreBundle}. */
    public record Bundle(String subject, byte[] bundle) {
    }

    /**
     * A referrer as cosign's {@code GetBundles} keeps it: one layer whose media type is a Sigstore bundle's, attached
     * to a manifest the repository holds.
     */
    public Optional<Bundle> bundleOf(ServedRepository repository, ParsedManifest manifest) {
        if (manifest.subject() == null || manifest.isIndex() || manifest.layers().size() != 1
                || !manifest.layers().get(0).mediaType().startsWith("application/vnd.dev.sigstore.bundle")) {
            return Optional.empty();
        }
        String subject = manifest.subject().digest().toString();
        if (reader.manifestByDigest(repository.repositoryId(), null, subject).isEmpty()) {
            return Optional.empty();
        }
        return read(manifest.layers().get(0)).map(bytes -> new Bundle(subject, bytes));
    }

    public Optional<Notary> notaryOf(ServedRepository repository, ParsedManifest manifest) {
        if (manifest.subject() == null || manifest.isIndex()
                || !StoredNotarySignature.ARTIFACT_TYPE.equals(manifest.referrerDescriptor().artifactType())) {
            return Optional.empty();
        }
        if (manifest.layers().size() != 1) {
            LOG.debugf("notary signature manifest %s has %d layers, not one: not stored as a signature", manifest.digest(),
                    manifest.layers().size());
            return Optional.empty();
        }
        String subject = manifest.subject().digest().toString();
        Optional<VersionReader.ManifestRef> target = reader.manifestByDigest(repository.repositoryId(), null, subject);
        if (target.isEmpty()) {
            LOG.debugf("notary signature manifest %s signs %s, which the repository does not hold", manifest.digest(), subject);
            return Optional.empty();
        }
        Descriptor layer = manifest.layers().get(0);
        return read(layer).map(envelope -> new Notary(subject, new StoredNotarySignature(layer.mediaType(),
                target.get().mediaType(), target.get().size(), envelope)));
    }

    private Optional<byte[]> read(Descriptor layer) {
        return layers.read(layer);
    }
}
