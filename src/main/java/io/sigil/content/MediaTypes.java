package io.sigil.content;

import java.util.Set;

/** The media types manifest parsing and classification depend on. */
public final class MediaTypes {

    public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    public static final String DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    public static final String DOCKER_SCHEMA1 = "application/vnd.docker.distribution.manifest.v1+json";
    public static final String DOCKER_SCHEMA1_SIGNED = "application/vnd.docker.distribution.manifest.v1+prettyjws";
    public static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    public static final String OCI_EMPTY = "application/vnd.oci.empty.v1+json";

    public static final String COSIGN_SIMPLE_SIGNING = "application/vnd.dev.cosign.simplesigning.v1+json";
    public static final String DSSE_ENVELOPE = "application/vnd.dsse.envelope.v1+json";
    public static final String IN_TOTO = "application/vnd.in-toto+json";
    public static final String SIGSTORE_BUNDLE_V03 = "application/vnd.dev.sigstore.bundle.v0.3+json";
    /** cosign {@code --registry-referrers-mode=oci-1-1} artifact types ({@code ociexperimental.ArtifactType}). */
    public static final String COSIGN_ARTIFACT_SIG = "application/vnd.dev.cosign.artifact.sig.v1+json";
    public static final String COSIGN_ARTIFACT_ATT = "application/vnd.dev.cosign.artifact.att.v1+json";
    public static final String COSIGN_ARTIFACT_SBOM = "application/vnd.dev.cosign.artifact.sbom.v1+json";

    /** Older bundles use {@code application/vnd.dev.sigstore.bundle+json;version=0.x}; cosign matches this prefix. */
    private static final String SIGSTORE_BUNDLE_PREFIX = "application/vnd.dev.sigstore.bundle";
    /** What {@code cosign attach sbom} accepts ({@code pkg/types/media.go}). */
    private static final Set<String> SBOM_LAYERS = Set.of("text/spdx", "text/spdx+json", "text/spdx+xml",
            "application/vnd.cyclonedx", "application/vnd.cyclonedx+json", "application/vnd.cyclonedx+xml",
            "application/vnd.syft+json");

    private MediaTypes() {
    }

    public static boolean isIndex(String mediaType) {
        return OCI_INDEX.equals(mediaType) || DOCKER_MANIFEST_LIST.equals(mediaType);
    }

    public static boolean isImageManifest(String mediaType) {
        return OCI_MANIFEST.equals(mediaType) || DOCKER_MANIFEST.equals(mediaType);
    }

    public static boolean isSupportedManifest(String mediaType) {
        return isIndex(mediaType) || isImageManifest(mediaType);
    }

    public static boolean isDocker(String mediaType) {
        return DOCKER_MANIFEST.equals(mediaType) || DOCKER_MANIFEST_LIST.equals(mediaType);
    }

    public static boolean isSchema1(String mediaType) {
        return DOCKER_SCHEMA1.equals(mediaType) || DOCKER_SCHEMA1_SIGNED.equals(mediaType);
    }

    public static boolean isImageConfig(String mediaType) {
        return OCI_CONFIG.equals(mediaType) || DOCKER_CONFIG.equals(mediaType);
    }

    /** Filesystem layers, including zstd, encrypted and foreign/non-distributable variants. */
    public static boolean isImageLayer(String mediaType) {
        return mediaType.startsWith("application/vnd.oci.image.layer.")
                || mediaType.startsWith("application/vnd.docker.image.rootfs.");
    }

    public static boolean isSigstoreBundle(String mediaType) {
        return mediaType.startsWith(SIGSTORE_BUNDLE_PREFIX);
    }

    public static boolean isSbom(String mediaType) {
        return SBOM_LAYERS.contains(mediaType);
    }
}
