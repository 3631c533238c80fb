package io.sigil.repository;

import io.sigil.common.Sql;
import io.sigil.content.ContentType;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Picks the units a copy takes from a source version: the chosen tags or manifests and, unless told otherwise, every
 * signature of every manifest they bring (children included), with referrers and their attachment tags.
 */
final class CopySelection {

    private final Sql sql;
    private final long repositoryId;
    private final Membership source;
    private final Units units;

    CopySelection(Sql sql, long repositoryId, int version, boolean isLatest) {
        this.sql = sql;
        this.repositoryId = repositoryId;
        this.source = Membership.of(sql, repositoryId, version, isLatest);
        this.units = new Units(sql);
    }

    Set<Long> select(RepositoryTasks.CopyParameters p) throws SQLException {
        Set<Long> chosen = p.tags() ? tags(p.names()) : manifests(p.digests(), p.mediaTypes());
        if (p.includeSignatures()) {
            chosen.addAll(signaturesAndReferrers(manifestClosure(chosen)));
        }
        return chosen;
    }

    private Set<Long> tags(List<String> names) throws SQLException {
        String sqlText = "SELECT t.id FROM tag t JOIN repository_content rc ON rc.content_id = t.id "
                + "WHERE rc.repository_id = ? AND " + source.condition();
        if (names == null) {
            return new HashSet<>(sql.query(sqlText, rs -> rs.getLong(1), repositoryId));
        }
        return new HashSet<>(sql.query(sqlText + " AND t.name = ANY(?)", rs -> rs.getLong(1), repositoryId, sql.texts(names)));
    }

    private Set<Long> manifests(List<String> digests, List<String> mediaTypes) throws SQLException {
        StringBuilder q = new StringBuilder("SELECT m.id FROM manifest m JOIN repository_content rc ON rc.content_id = m.id "
                + "WHERE rc.repository_id = ? AND " + source.condition());
        List<Object> params = new ArrayList<>(List.of(repositoryId));
        if (digests != null) {
            q.append(" AND m.digest = ANY(?)");
            params.add(sql.texts(digests));
        }
        if (mediaTypes != null) {
            q.append(" AND m.media_type = ANY(?)");
            params.add(sql.texts(mediaTypes));
        }
        return new HashSet<>(sql.query(q.toString(), rs -> rs.getLong(1), params.toArray()));
    }

    /** The chosen manifests, the manifests of chosen tags, and all their children, recursively. */
    private Set<Long> manifestClosure(Set<Long> chosen) throws SQLException {
        Set<Long> manifests = new HashSet<>(units.manifestsOf(chosen));
        units.types(chosen).forEach((id, type) -> {
            if (ContentType.MANIFEST_NAME.equals(type)) {
                manifests.add(id);
            }
        });
        Set<Long> frontier = new HashSet<>(manifests);
        while (!frontier.isEmpty()) {
            Set<Long> next = new HashSet<>();
            units.types(units.dependenciesOf(frontier)).forEach((id, type) -> {
                if (ContentType.MANIFEST_NAME.equals(type) && manifests.add(id)) {
                    next.add(id);
                }
            });
            frontier = next;
        }
        return manifests;
    }

    private Set<Long> signaturesAndReferrers(Set<Long> manifests) throws SQLException {
        Set<Long> extra = new HashSet<>();
        Set<Long> frontier = manifests;
        Set<Long> seen = new HashSet<>(manifests);
        while (!frontier.isEmpty()) {
            extra.addAll(source.signaturesOf(frontier));
            Set<Long> referrers = source.referrersOf(frontier);
            referrers.removeAll(seen);
            seen.addAll(referrers);
            extra.addAll(referrers);
            extra.addAll(source.tagsOf(referrers));
            frontier = referrers;
        }
        return extra;
    }
}
