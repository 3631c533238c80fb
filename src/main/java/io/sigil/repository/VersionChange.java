package io.sigil.repository;

import java.util.Set;

/**
 * A requested change to a repository: units to remove, then units to add, applied to {@code baseVersion} (the latest
 * version when null). The writer completes both sides with what the invariants require.
 */
public record VersionChange(Integer baseVersion, Set<Long> add, Set<Long> remove, boolean removeAll) {

    public static VersionChange adding(Set<Long> add) {
        return new VersionChange(null, add, Set.of(), false);
    }

    public static VersionChange removing(Set<Long> remove) {
        return new VersionChange(null, Set.of(), remove, false);
    }
}
