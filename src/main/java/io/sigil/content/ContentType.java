package io.sigil.content;

import java.util.Arrays;
import java.util.Optional;

/** The four kinds of container content, with the names Pulp uses in types and URLs. */
public enum ContentType {
    BLOB("container.blob", "blobs"),
    MANIFEST("container.manifest", "manifests"),
    TAG("container.tag", "tags"),
    SIGNATURE("container.signature", "signatures");

    public static final String BLOB_NAME = "container.blob";
    public static final String MANIFEST_NAME = "container.manifest";
    public static final String TAG_NAME = "container.tag";
    public static final String SIGNATURE_NAME = "container.signature";

    private final String pulpType;
    private final String path;

    ContentType(String pulpType, String path) {
        this.pulpType = pulpType;
        this.path = path;
    }

    public String pulpType() {
        return pulpType;
    }

    /** The collection segment under {@code /pulp/api/v3/content/container/}. */
    public String path() {
        return path;
    }

    public String href(java.util.UUID id) {
        return "/pulp/api/v3/content/container/" + path + "/" + id + "/";
    }

    public static ContentType ofPulpType(String pulpType) {
        return Arrays.stream(values()).filter(t -> t.pulpType.equals(pulpType)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown content type " + pulpType));
    }

    public static Optional<ContentType> ofPath(String path) {
        return Arrays.stream(values()).filter(t -> t.path.equals(path)).findFirst();
    }
}
