package io.sigil.repository;

import io.sigil.common.Sql;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Questions about the units of one repository version, each answered by an index lookup over the units asked about,
 * never by reading the whole version. A unit belongs to version n when {@code version_added <= n} and it was not
 * removed at or before n. This is the one place that says so: other packages ask {@link #member} rather than spell the
 * predicate again.
 */
public final class Membership {

    private final Sql sql;
    private final long repositoryId;
    private final String inVersion;

    private Membership(Sql sql, long repositoryId, String inVersion) {
        this.sql = sql;
        this.repositoryId = repositoryId;
        this.inVersion = inVersion;
    }

    public static Membership latest(Sql sql, long repositoryId) {
        return new Membership(sql, repositoryId, "rc.version_removed IS NULL");
    }

    /** Version {@code number}, which callers that know the repository's latest number may declare {@code isLatest}. */
    public static Membership of(Sql sql, long repositoryId, int number, boolean isLatest) {
        return isLatest ? latest(sql, repositoryId) : new Membership(sql, repositoryId,
                "rc.version_added <= " + number + " AND (rc.version_removed IS NULL OR rc.version_removed > " + number + ")");
    }

    /** SQL condition on alias {@code rc} selecting this version's rows. */
    String condition() {
        return inVersion;
    }

    /** SQL condition: the unit whose id is {@code column} belongs to this version (an index lookup). */
    public String member(String column) {
        return "EXISTS (SELECT 1 FROM repository_content rc WHERE rc.repository_id = " + repositoryId
                + " AND rc.content_id = " + column + " AND " + inVersion + ")";
    }

    Set<Long> present(Collection<Long> ids) throws SQLException {
        if (ids.isEmpty()) {
            return new HashSet<>();
        }
        return new HashSet<>(sql.query("SELECT rc.content_id FROM repository_content rc WHERE rc.repository_id = ? "
                + "AND rc.content_id = ANY(?) AND " + inVersion, rs -> rs.getLong(1), repositoryId, sql.ids(ids)));
    }

    /** Every signature the version holds. */
    Set<Long> signatures() throws SQLException {
        return new HashSet<>(sql.query("SELECT rc.content_id FROM repository_content rc WHERE rc.repository_id = ? "
                + "AND rc.pulp_type = 'container.signature' AND " + inVersion, rs -> rs.getLong(1), repositoryId));
    }

    /** Tags of these manifests held by the version. */
    Set<Long> tagsOf(Collection<Long> manifestIds) throws SQLException {
        return idsWhere("SELECT t.id FROM tag t WHERE t.manifest_id = ANY(?) AND " + member("t.id"), manifestIds);
    }

    /** Signatures of these manifests held by the version. */
    Set<Long> signaturesOf(Collection<Long> manifestIds) throws SQLException {
        return idsWhere("SELECT s.id FROM signature s WHERE s.signed_manifest_id = ANY(?) AND " + member("s.id"),
                manifestIds);
    }

    /** Manifests held by the version that refer to these (OCI subject or cosign attachment). */
    Set<Long> referrersOf(Collection<Long> manifestIds) throws SQLException {
        return idsWhere("SELECT r.id FROM manifest r JOIN manifest m ON r.subject_digest = m.digest "
                + "WHERE m.id = ANY(?) AND " + member("r.id"), manifestIds);
    }

    /** For each unit, the manifests in the version that need it (as a blob or as a listed child). */
    Map<Long, Set<Long>> manifestsNeeding(Collection<Long> unitIds) throws SQLException {
        Map<Long, Set<Long>> users = new HashMap<>();
        if (unitIds.isEmpty()) {
            return users;
        }
        List<long[]> rows = sql.query(
                "SELECT mb.blob_id, mb.manifest_id FROM manifest_blob mb WHERE mb.blob_id = ANY(?) AND " + member("mb.manifest_id")
                        + " UNION ALL SELECT e.child_id, e.list_id FROM manifest_list_entry e WHERE e.child_id = ANY(?) AND "
                        + member("e.list_id"),
                rs -> new long[] {rs.getLong(1), rs.getLong(2)}, sql.ids(unitIds), sql.ids(unitIds));
        rows.forEach(r -> users.computeIfAbsent(r[0], k -> new HashSet<>()).add(r[1]));
        return users;
    }

    /** Tags in the version with one of these names: tag id → name. */
    Map<Long, String> tagsNamed(Collection<String> names) throws SQLException {
        Map<Long, String> tags = new HashMap<>();
        if (!names.isEmpty()) {
            sql.query("SELECT t.id, t.name FROM tag t WHERE t.name = ANY(?) AND " + member("t.id"),
                    rs -> tags.put(rs.getLong(1), rs.getString(2)), sql.texts(names));
        }
        return tags;
    }

    private Set<Long> idsWhere(String query, Collection<Long> ids) throws SQLException {
        return ids.isEmpty() ? new HashSet<>() : new HashSet<>(sql.query(query, rs -> rs.getLong(1), sql.ids(ids)));
    }
}
