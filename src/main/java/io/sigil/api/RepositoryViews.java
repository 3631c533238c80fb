package io.sigil.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.sigil.common.Prn;
import io.sigil.content.ContentType;
import io.sigil.repository.ContentSummary;
import io.sigil.repository.Hrefs;
import io.sigil.repository.Repository;
import io.sigil.repository.RepositoryVersion;
import io.sigil.sync.Remote;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.TreeMap;

/** JSON shapes of repositories and versions, as Pulp's container plugin writes them. */
final class RepositoryViews {

    private RepositoryViews() {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record RepositoryView(String pulpHref, String prn, OffsetDateTime pulpCreated, OffsetDateTime pulpLastUpdated,
                          String name, String description, Integer retainRepoVersions, String versionsHref,
                          String latestVersionHref, String pulpType, String remote, Map<String, String> pulpLabels) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record VersionView(String pulpHref, String prn, OffsetDateTime pulpCreated, int number, String repository, String baseVersion,
                       Map<String, Map<String, Count>> contentSummary) {
    }

    record Count(long count, String href) {
    }

    static RepositoryView of(Repository r) {
        return new RepositoryView(r.href(), Prn.of(Prn.REPOSITORY, r.pulpId), r.pulpCreated, r.pulpLastUpdated, r.name,
                r.description, r.retainRepoVersions, r.href() + "versions/", Hrefs.version(r.pulpId, r.latestVersion),
                "container.container", r.remoteId == null ? null : Remote.HREFS + r.remoteId + "/", r.pulpLabels);
    }

    static VersionView of(Repository r, RepositoryVersion v) {
        String href = Hrefs.version(r.pulpId, v.number);
        ContentSummary s = v.summary;
        return new VersionView(href, Prn.of(Prn.REPOSITORY_VERSION, v.pulpId), v.pulpCreated, v.number, r.href(),
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
