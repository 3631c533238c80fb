package io.sigil.repository;

import io.sigil.common.Sql;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** Facts about content units that hold in every version: their types and what they depend on. */
final class Units {

    private final Sql sql;

    Units(Sql sql) {
        this.sql = sql;
    }

    /** unit id → pulp type, for the ids that exist. */
    Map<Long, String> types(Collection<Long> ids) throws SQLException {
        Map<Long, String> types = new HashMap<>();
        if (!ids.isEmpty()) {
            sql.query("SELECT id, pulp_type FROM content WHERE id = ANY(?)",
                    rs -> types.put(rs.getLong(1), rs.getString(2)), sql.ids(ids));
        }
        return types;
    }

    /**
     * Holds the content rows of units about to join a version (FOR KEY SHARE, until commit): orphan clean-up skips
     * them, and a unit it is deleting right now is waited for and then found missing (a 400, not a foreign-key error).
     */
    void hold(Collection<Long> ids) throws SQLException {
        if (!ids.isEmpty()) {
            sql.query("SELECT id FROM content WHERE id = ANY(?) FOR KEY SHARE", rs -> null, sql.ids(ids));
        }
    }

    /** The manifest each tag or signature needs. */
    Set<Long> manifestsOf(Collection<Long> tagsAndSignatures) throws SQLException {
        if (tagsAndSignatures.isEmpty()) {
            return new HashSet<>();
        }
        return new HashSet<>(sql.query("SELECT manifest_id FROM tag WHERE id = ANY(?) "
                + "UNION SELECT signed_manifest_id FROM signature WHERE id = ANY(?)", rs -> rs.getLong(1),
                sql.ids(tagsAndSignatures), sql.ids(tagsAndSignatures)));
    }

    /** The blobs and listed children of these manifests (one level). */
    Set<Long> dependenciesOf(Collection<Long> manifestIds) throws SQLException {
        if (manifestIds.isEmpty()) {
            return new HashSet<>();
        }
        return new HashSet<>(sql.query("SELECT blob_id FROM manifest_blob WHERE manifest_id = ANY(?) "
                + "UNION SELECT child_id FROM manifest_list_entry WHERE list_id = ANY(?)", rs -> rs.getLong(1),
                sql.ids(manifestIds), sql.ids(manifestIds)));
    }

    /** tag id → name. */
    Map<Long, String> tagNames(Collection<Long> tagIds) throws SQLException {
        Map<Long, String> names = new HashMap<>();
        if (!tagIds.isEmpty()) {
            sql.query("SELECT id, name FROM tag WHERE id = ANY(?)", rs -> names.put(rs.getLong(1), rs.getString(2)),
                    sql.ids(tagIds));
        }
        return names;
    }

    /** unit id → a short human name (digest or tag name) for error messages. */
    Map<Long, String> describe(Collection<Long> ids) throws SQLException {
        Map<Long, String> names = new HashMap<>();
        if (!ids.isEmpty()) {
            sql.query("SELECT id, digest FROM blob WHERE id = ANY(?) UNION ALL SELECT id, digest FROM manifest WHERE id = ANY(?) "
                            + "UNION ALL SELECT id, 'tag ' || name FROM tag WHERE id = ANY(?) "
                            + "UNION ALL SELECT id, 'signature ' || name FROM signature WHERE id = ANY(?)",
                    rs -> names.put(rs.getLong(1), rs.getString(2)), sql.ids(ids), sql.ids(ids), sql.ids(ids), sql.ids(ids));
        }
        return names;
    }
}
