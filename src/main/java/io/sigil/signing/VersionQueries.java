package io.sigil.signing;

import io.sigil.common.Sql;
import io.sigil.content.CosignTags;
import io.sigil.repository.Membership;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What signing asks about one repository version: its tags, the children of its lists, the signatures it holds.
 * Each question is an index lookup restricted to the version by the repository package's {@link Membership}.
 */
final class VersionQueries {

    private final Sql sql;
    private final Membership version;

    VersionQueries(Sql sql, long repositoryId, int number) {
        this.sql = sql;
        this.version = Membership.of(sql, repositoryId, number, false);
    }

    record TaggedManifest(String tag, long tagId, long manifestId, String digest, String kind) {
        /** cosign's .sig, .att and .sbom tags name attachments, not images. */
        boolean isAttachment() {
            return CosignTags.subjectOf(tag).filter(t -> t.kind() != CosignTags.TagKind.REFERRERS_FALLBACK).isPresent();
        }
    }

    record Child(long listId, long manifestId, String digest) {
    }

    record HeldSignature(long id, long manifestId, String type, String dockerReference, byte[] data) {
    }

    /** Excludes cosign attachment tags (.sig, .att, .sbom). */
    private static final String NOT_ATTACHMENT = " AND t.name !~ '^sha256-[a-f0-9]{64}\\.(sig|att|sbom)$'";

    /** Tags of the version by name, in name order; {@code names} null for every tag but cosign attachment tags. */
    List<TaggedManifest> tags(Collection<String> names, int limit, int offset) throws SQLException {
        String filter = names == null ? NOT_ATTACHMENT : " AND t.name = ANY(?)";
        Object[] params = names == null ? new Object[] {limit, offset} : new Object[] {sql.texts(names), limit, offset};
        return sql.query("SELECT t.name, t.id, m.id, m.digest, m.kind FROM tag t JOIN manifest m ON m.id = t.manifest_id WHERE "
                        + version.member("t.id") + filter + " ORDER BY t.name LIMIT ? OFFSET ?",
                rs -> new TaggedManifest(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getString(4), rs.getString(5)), params);
    }

    /** How many tags {@link #tags} lists for {@code names} null. */
    long countTags() throws SQLException {
        return sql.query("SELECT count(*) FROM tag t WHERE " + version.member("t.id") + NOT_ATTACHMENT, rs -> rs.getLong(1)).get(0);
    }

    /** Tags of the version that point at these manifests. */
    List<TaggedManifest> tagsOf(Collection<Long> manifestIds) throws SQLException {
        return sql.query("SELECT t.name, t.id, m.id, m.digest, m.kind FROM tag t JOIN manifest m ON m.id = t.manifest_id WHERE "
                        + version.member("t.id") + " AND t.manifest_id = ANY(?) ORDER BY t.name",
                rs -> new TaggedManifest(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getString(4), rs.getString(5)),
                sql.ids(manifestIds));
    }

    /** Manifests of the version among these ids. */
    List<Long> manifestsAmong(Collection<Long> ids) throws SQLException {
        return sql.query("SELECT m.id FROM manifest m WHERE m.id = ANY(?) AND " + version.member("m.id"),
                rs -> rs.getLong(1), sql.ids(ids));
    }

    List<Child> childrenOf(Collection<Long> listIds) throws SQLException {
        return sql.query("SELECT e.list_id, m.id, m.digest FROM manifest_list_entry e JOIN manifest m ON m.id = e.child_id "
                        + "WHERE e.list_id = ANY(?) ORDER BY e.list_id, m.digest",
                rs -> new Child(rs.getLong(1), rs.getLong(2), rs.getString(3)), sql.ids(listIds));
    }

    /**
     * Signatures of these manifests held by the version; {@code type} null for every type. Their bytes are loaded only
     * for a given type (to recognise a service's own signatures), never for reports.
     */
    List<HeldSignature> signaturesOf(Collection<Long> manifestIds, String type) throws SQLException {
        return sql.query("SELECT s.id, s.signed_manifest_id, s.type, s.docker_reference, s.data FROM signature s "
                        + "WHERE s.signed_manifest_id = ANY(?) AND (?::text IS NULL OR s.type = ?) AND " + version.member("s.id")
                        + " ORDER BY s.id",
                rs -> new HeldSignature(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                        type == null ? null : rs.getBytes(5)), sql.ids(manifestIds), type, type);
    }

    /** Unit id → pulp id, for hrefs. */
    Map<Long, java.util.UUID> pulpIds(Collection<Long> ids) throws SQLException {
        Map<Long, java.util.UUID> found = new HashMap<>();
        sql.query("SELECT id, pulp_id FROM content WHERE id = ANY(?)", rs -> found.put(rs.getLong(1), rs.getObject(2, java.util.UUID.class)),
                sql.ids(ids));
        return found;
    }

    /** Manifest bytes by id. */
    Map<Long, byte[]> data(Collection<Long> manifestIds) throws SQLException {
        Map<Long, byte[]> data = new HashMap<>();
        sql.query("SELECT id, data FROM manifest WHERE id = ANY(?)", rs -> data.put(rs.getLong(1), rs.getBytes(2)),
                sql.ids(manifestIds));
        return data;
    }
}
