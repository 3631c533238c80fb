package io.sigil.repository;

import java.util.Set;

/**
 * A requested change to a repository: units to remove, then units to add, applied to {@code baseVersion} (the latest
 * version when null). The writer completes both sides with what the invariants require. {@code plannedOn}, when set,
 * is the latest version the caller read to plan the change: the writer refuses it if another version came since.
 */
public record VersionChange(Integer baseVersion, Set<Long> add, Set<Long> remove, boolean removeAll, Integer plannedOn) {

    public VersionChange(Integer baseVersion, Set<Long> add, Set<Long> remove, boolean removeAll) {
        this(baseVersion, add, remove, removeAll, null);
    }

    public static VersionChange adding(Set<Long> add) {
        return new VersionChange(null, add, Set.of(), false);
    }

    public static VersionChange removing(Set<Long> remove) {
        return new VersionChange(null, Set.of(), remove, false);
    }

    /** This change, refused by the writer unless {@code latest} is still the repository's latest version. */
    public VersionChange plannedOn(int latest) {
        return new VersionChange(baseVersion, add, remove, removeAll, latest);
    }
}
