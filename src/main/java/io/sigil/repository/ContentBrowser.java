package io.sigil.repository;

import io.sigil.common.ApiException;
import io.sigil.common.Sql;
import io.sigil.content.ContentType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Lists content units, server-wide or in repository versions, filtered and paged in the database. */
@ApplicationScoped
public class ContentBrowser {

    @Inject
    EntityManager em;
    @Inject
    RepositoryService repositories;

    public record IdPage(long count, List<Long> ids) {
    }

    @Transactional
    public IdPage list(ContentFilter filter, int limit, int offset) {
        Query q = new Query(filter.type());
        versionCondition(q, filter.repositoryVersion(), "member");
        versionCondition(q, filter.versionAdded(), "added");
        versionCondition(q, filter.versionRemoved(), "removed");
        typeConditions(q, filter);
        return Sql.with(em, sql -> {
            long count = q.conditions.isEmpty() && q.knownCount != null ? q.knownCount
                    : sql.query("SELECT count(*) " + q.from(), rs -> rs.getLong(1), q.params.toArray()).get(0);
            List<Object> pageParams = new ArrayList<>(q.params);
            pageParams.add(limit);
            pageParams.add(offset);
            List<Long> ids = sql.query(q.pageQuery(), rs -> rs.getLong(1), pageParams.toArray());
            return new IdPage(count, ids);
        });
    }

    /** Ids of every unit that version {@code number} of the repository holds. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Set<Long> unitIds(Repository repository, int number) {
        Membership version = Membership.of(null, repository.id, number, number == repository.latestVersion);
        return Sql.with(em, sql -> new HashSet<>(sql.query("SELECT rc.content_id FROM repository_content rc "
                + "WHERE rc.repository_id = ? AND " + version.condition(), rs -> rs.getLong(1), repository.id)));
    }

    private void versionCondition(Query q, Hrefs.VersionRef ref, String mode) {
        if (ref == null) {
            return;
        }
        Repository repository = repositories.get(ref.repository());
        RepositoryVersion version = repositories.version(ref.repository(), ref.number());
        if ("member".equals(mode)) {
            // Drive the listing from the version's membership rows (an ordered index scan), and take the unfiltered
            // count from the version's summary instead of counting.
            String member = Membership.of(null, repository.id, ref.number(), ref.number() == repository.latestVersion).condition();
            q.memberRows = "rc.repository_id = " + repository.id + " AND rc.pulp_type = '" + q.type.pulpType() + "' AND " + member;
            q.join = "JOIN repository_content rc ON rc.content_id = u.id AND " + q.memberRows;
            q.knownCount = version.summary.present().getOrDefault(q.type.pulpType(), 0L);
            q.membership = "rc2.repository_id = " + repository.id + " AND " + member.replace("rc.", "rc2.");
            return;
        }
        String inVersion = "added".equals(mode) ? "rc.version_added = " + ref.number() : "rc.version_removed = " + ref.number();
        q.where("EXISTS (SELECT 1 FROM repository_content rc WHERE rc.repository_id = " + repository.id
                + " AND rc.content_id = u.id AND " + inVersion + ")");
    }

    private static void typeConditions(Query q, ContentFilter f) {
        if (f.digests() != null && !f.digests().isEmpty()) {
            String column = f.type() == ContentType.TAG ? "(SELECT digest FROM manifest WHERE id = u.manifest_id)" : "u.digest";
            q.where(column + " = ANY(?)", (Object) f.digests().toArray(String[]::new));
        }
        if (f.names() != null && !f.names().isEmpty()) {
            q.where("u.name = ANY(?)", (Object) f.names().toArray(String[]::new));
        }
        if (f.mediaType() != null) {
            String column = f.type() == ContentType.TAG ? "(SELECT media_type FROM manifest WHERE id = u.manifest_id)" : "u.media_type";
            q.where(column + " = ?", f.mediaType());
        }
        if (f.kind() != null) {
            q.where("u.kind = ?", f.kind());
        }
        if (f.manifestDigest() != null) {
            q.where("u.signed_digest = ?", f.manifestDigest());
        }
        if (f.signatureType() != null) {
            q.where("u.type = ?", f.signatureType());
        }
        if (f.keyId() != null && f.type() == ContentType.SIGNATURE) {
            q.where("(u.key_id = ? OR u.fingerprint = ?)", f.keyId().toUpperCase(), f.keyId().toUpperCase());
        }
        if (f.signed() != null || (f.keyId() != null && f.type() == ContentType.MANIFEST)) {
            signedCondition(q, f);
        }
        if (f.verified() != null || f.verifiedBy() != null) {
            verifiedCondition(q, f);
        }
    }

    /** Signatures with a valid verdict (by one key when named), or manifests with one such signature in the version. */
    private static void verifiedCondition(Query q, ContentFilter f) {
        String valid = "EXISTS (SELECT 1 FROM signature_verdict v WHERE v.signature_id = %s AND v.state = 'VALID'"
                + (f.verifiedBy() != null ? " AND v.key_identity = ?" : "") + ")";
        Object[] params = f.verifiedBy() != null ? new Object[] {f.verifiedBy().toUpperCase()} : new Object[0];
        String condition;
        if (f.type() == ContentType.SIGNATURE) {
            condition = valid.formatted("u.id");
        } else if (f.type() == ContentType.MANIFEST) {
            condition = "EXISTS (SELECT 1 FROM signature s WHERE s.signed_manifest_id = u.id AND " + valid.formatted("s.id")
                    + (q.membership == null ? "" : " AND EXISTS (SELECT 1 FROM repository_content rc2 WHERE rc2.content_id = s.id AND "
                    + q.membership + ")") + ")";
        } else {
            throw ApiException.field("verified", "only signatures and manifests can be filtered by verification");
        }
        q.where((Boolean.FALSE.equals(f.verified()) ? "NOT " : "") + condition, params);
    }

    /** Manifests with (or without) a signature, in the same version when one is named. */
    private static void signedCondition(Query q, ContentFilter f) {
        StringBuilder exists = new StringBuilder("EXISTS (SELECT 1 FROM signature s WHERE s.signed_manifest_id = u.id");
        List<Object> params = new ArrayList<>();
        if (f.keyId() != null) {
            exists.append(" AND (s.key_id = ? OR s.fingerprint = ?)");
            params.add(f.keyId().toUpperCase());
            params.add(f.keyId().toUpperCase());
        }
        if (q.membership != null) {
            exists.append(" AND EXISTS (SELECT 1 FROM repository_content rc2 WHERE rc2.content_id = s.id AND ")
                    .append(q.membership).append(")");
        }
        exists.append(")");
        boolean negate = Boolean.FALSE.equals(f.signed());
        q.where((negate ? "NOT " : "") + exists, params.toArray());
    }

    private static final class Query {
        private final ContentType type;
        private final String table;
        private String join;
        private String memberRows;
        private Long knownCount;
        private final List<String> conditions = new ArrayList<>();
        private final List<Object> params = new ArrayList<>();
        private String membership;

        Query(ContentType type) {
            if (type == null) {
                throw ApiException.badRequest("a content type is required");
            }
            this.type = type;
            this.table = switch (type) {
                case BLOB -> "blob";
                case MANIFEST -> "manifest";
                case TAG -> "tag";
                case SIGNATURE -> "signature";
            };
        }

        void where(String condition, Object... values) {
            conditions.add(condition);
            params.addAll(List.of(values));
        }

        String from() {
            return "FROM " + table + " u" + (join == null ? "" : " " + join)
                    + (conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions));
        }

        /** Ids of one page; an unfiltered version listing is an index-only scan of the membership rows. */
        String pageQuery() {
            if (memberRows != null && conditions.isEmpty()) {
                return "SELECT rc.content_id FROM repository_content rc WHERE " + memberRows
                        + " ORDER BY rc.content_id LIMIT ? OFFSET ?";
            }
            return "SELECT u.id " + from() + " ORDER BY " + (join == null ? "u.id" : "rc.content_id") + " LIMIT ? OFFSET ?";
        }
    }
}
