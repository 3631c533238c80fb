package io.sigil.registry;

import java.util.Set;

/**
 * Fields of a distribution create or update request. {@code given} names the fields the request carried, so an update
 * changes only those (an explicit null clears {@code repository}, {@code repository_version} or
 * {@code description}).
 */
public record DistributionFields(String name, String basePath, String repository, String repositoryVersion,
                                 Boolean isPrivate, String description, Set<String> given) {

    public boolean has(String field) {
        return given.contains(field);
    }
}
