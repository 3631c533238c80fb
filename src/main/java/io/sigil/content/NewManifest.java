package io.sigil.content;

import java.util.List;
import java.util.Map;

/** What is needed to store a manifest unit: its exact bytes and the references read out of them. */
public record NewManifest(
        String digest,
        String mediaType,
        int schemaVersion,
        String kind,
        byte[] data,
        String configDigest,
        List<String> blobDigests,
        List<ChildRef> children,
        String artifactType,
        String subjectDigest,
        Map<String, String> annotations) {

    /** A child of a manifest list or index, with the platform it is listed for. */
    public record ChildRef(String digest, String architecture, String os, String osVersion, String variant,
                           List<String> features) {
    }
}
