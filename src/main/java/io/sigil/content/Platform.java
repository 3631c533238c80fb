package io.sigil.content;

import java.util.List;

/**
 * The platform of an index entry. {@code features} is reserved in OCI but used by Docker manifest lists.
 * Optional strings are null when absent; lists are empty when absent.
 */
public record Platform(String architecture, String os, String osVersion, List<String> osFeatures, String variant,
        List<String> features) {

    public Platform {
        osFeatures = List.copyOf(osFeatures);
        features = List.copyOf(features);
    }
}
