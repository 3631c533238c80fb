package io.sigil.registry;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Fields of a distribution create or update request. {@code given} names the fields the request carried, so an update
 * changes only those (an explicit null clears {@code repository}, {@code repository_version} or
 * {@code description}, and turns {@code signature_policy} off).
 */
public record DistributionFields(String name, String basePath, String repository, String repositoryVersion,
                                 Boolean isPrivate, String description, PolicyFields signaturePolicy,
                                 Map<String, String> pulpLabels, Set<String> given) {

    /**
     * A signature policy as requested.
     *
     * @param keys      trusted-key hrefs
     * @param reference the repository identities are checked against; null for the distribution's own
     */
    public record PolicyFields(List<String> keys, boolean exact, String reference) {
    }

    public boolean has(String field) {
        return given.contains(field);
    }
}
