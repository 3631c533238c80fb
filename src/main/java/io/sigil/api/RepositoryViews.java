package io.sigil.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.sigil.content.ContentType;
import io.sigil.repository.ContentSummary;
import io.sigil.repository.Hrefs;
import io.sigil.repository.Repository;
import io.sigil.repository.RepositoryVersion;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.TreeMap;

/** JSON shapes of repositories and versions, as Pulp's container plugin writes them. */
final class RepositoryViews {

    private RepositoryViews() {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record RepositoryView(String pulpHref, OffsetDateTime pulpCreated, OffsetDateTime pulpLastUpdated, String name,
                          String description, Integer retainRepoVersions, String versionsHref, String latestVersionHref,
                          String pulpType) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record VersionView(String pulpHref, OffsetDateTime pulpCreated, int number, String repository, String baseVersion,
                       Map<String, Map<String, Count>> contentSummary) {
    }

    record Count(long count, String href) {
    }

    static RepositoryView of(Repository r) {
        return new RepositoryView(r.href(), r.pulpCreated, r.pulpLastUpdated, r.name, r.description, r.retainRepoVersions,
                r.href() + "versions/", Hrefs.version(r.pulpId, r.latestVersion), "container.container");
    }

    static VersionView of(Repository r, RepositoryVersion v) {
        String href = Hrefs.version(r.pulpId, v.number);
        ContentSummary s = v.summary;
        return new VersionView(href, v.pulpCreated, v.number, r.href(),
                v.baseVersion == null ? null : Hrefs.version(r.pulpId, v.baseVersion),
                Map.of("added", counts(s.added(), "repository_version_added", href),
                        "removed", counts(s.removed(), "repository_version_removed", href),
                        "present", counts(s.present(), "repository_version", href)));
    }

    private static Map<String, Count> counts(Map<String, Long> byType, String filter, String versionHref) {
        Map<String, Count> counts = new TreeMap<>();
        byType.forEach((type, n) -> counts.put(type, new Count(n,
                "/pulp/api/v3/content/container/" + ContentType.ofPulpType(type).path() + "/?" + filter + "=" + versionHref)));
        return counts;
    }
}
