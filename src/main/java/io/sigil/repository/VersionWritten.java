package io.sigil.repository;

import java.util.UUID;

/** Fired by {@link VersionWriter} for each new version; observe it after success to learn of committed versions. */
public record VersionWritten(long repositoryId, UUID repositoryPulpId, int number) {
}
