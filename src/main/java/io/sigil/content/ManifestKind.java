package io.sigil.content;

import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/** What a manifest is for, derived from its artifactType, config media type and layer media types. */
public enum ManifestKind {
    /** A runnable image: image config and filesystem layers only. */
    IMAGE,
    /** A Docker manifest list or OCI image index. */
    INDEX,
    /** Any other OCI content: artifactType set, or a non-image config or layer. */
    ARTIFACT,
    /** cosign simple-signing signatures (the {@code .sig} tag, or cosign's OCI 1.1 referrers mode). */
    COSIGN_SIGNATURE,
    /** cosign in-toto attestations in DSSE envelopes (the {@code .att} tag, or referrers). */
    COSIGN_ATTESTATION,
    /** SBOMs attached with {@code cosign attach sbom} (the deprecated {@code .sbom} tag). */
    COSIGN_SBOM,
    /** Sigstore bundles (cosign 3 default), found only through referrers. */
    SIGSTORE_BUNDLE;

    /** Classifies an image manifest (not an index). */
    static ManifestKind of(String artifactType, Descriptor config, List<Descriptor> layers) {
        if (artifactType != null) {
            // An explicit artifactType is the author's declaration; layers do not override it.
            return fromArtifactType(artifactType).orElse(ARTIFACT);
        }
        // cosign's OCI 1.1 mode for legacy signatures puts the artifact type in config.mediaType.
        return fromArtifactType(config.mediaType()).or(() -> fromLayers(layers))
                .orElseGet(() -> isPlainImage(config, layers) ? IMAGE : ARTIFACT);
    }

    private static Optional<ManifestKind> fromArtifactType(String type) {
        if (MediaTypes.isSigstoreBundle(type)) {
            return Optional.of(SIGSTORE_BUNDLE);
        }
        return switch (type) {
            case MediaTypes.COSIGN_ARTIFACT_SIG -> Optional.of(COSIGN_SIGNATURE);
            case MediaTypes.COSIGN_ARTIFACT_ATT, MediaTypes.IN_TOTO -> Optional.of(COSIGN_ATTESTATION);
            case MediaTypes.COSIGN_ARTIFACT_SBOM -> Optional.of(COSIGN_SBOM);
            default -> Optional.empty();
        };
    }

    /** A .sig manifest may also hold other attachments, so any signature layer makes it a signature manifest. */
    private static Optional<ManifestKind> fromLayers(List<Descriptor> layers) {
        if (anyLayer(layers, MediaTypes::isSigstoreBundle)) {
            return Optional.of(SIGSTORE_BUNDLE);
        }
        if (anyLayer(layers, MediaTypes.COSIGN_SIMPLE_SIGNING::equals)) {
            return Optional.of(COSIGN_SIGNATURE);
        }
        if (anyLayer(layers, MediaTypes.DSSE_ENVELOPE::equals)) {
            return Optional.of(COSIGN_ATTESTATION);
        }
        boolean allSbom = !layers.isEmpty() && layers.stream().allMatch(l -> MediaTypes.isSbom(l.mediaType()));
        return allSbom ? Optional.of(COSIGN_SBOM) : Optional.empty();
    }

    private static boolean anyLayer(List<Descriptor> layers, Predicate<String> type) {
        return layers.stream().anyMatch(l -> type.test(l.mediaType()));
    }

    private static boolean isPlainImage(Descriptor config, List<Descriptor> layers) {
        return MediaTypes.isImageConfig(config.mediaType())
                && layers.stream().allMatch(l -> MediaTypes.isImageLayer(l.mediaType()));
    }
}
