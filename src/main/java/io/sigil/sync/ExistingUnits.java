package io.sigil.sync;

import io.sigil.common.Sql;
import io.sigil.storage.Digest;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The units of a sync plan that already exist, found with one query per type, so a re-sync costs a handful of
 * queries instead of several per unit. Units are immutable, so what is found stays valid; only missing ones go
 * through the content store (which locks per digest). Found units are held FOR KEY SHARE until the sync's
 * transaction ends, so orphan clean-up (which locks what it deletes FOR UPDATE SKIP LOCKED) leaves them alone, and one
 * it is deleting right now is waited for and then simply not found; they are also touched in bulk.
 */
final class ExistingUnits {

    private final Sql sql;

    ExistingUnits(Sql sql) {
        this.sql = sql;
    }

    Map<Digest, Long> blobs(Collection<Digest> digests) throws SQLException {
        return byDigest("SELECT digest, id FROM blob WHERE digest = ANY(?) FOR KEY SHARE", digests);
    }

    Map<Digest, Long> manifests(Collection<Digest> digests) throws SQLException {
        return byDigest("SELECT digest, id FROM manifest WHERE digest = ANY(?) FOR KEY SHARE", digests);
    }

    /** "name@manifest digest" → tag unit id. */
    Map<String, Long> tags(Collection<String> names) throws SQLException {
        Map<String, Long> found = new HashMap<>();
        sql.query("SELECT t.name || '@' || m.digest, t.id FROM tag t JOIN manifest m ON m.id = t.manifest_id WHERE t.name = ANY(?) "
                + "FOR KEY SHARE OF t",
                rs -> found.put(rs.getString(1), rs.getLong(2)), sql.texts(List.copyOf(names)));
        return found;
    }

    /** "signed digest@signature digest" → signature unit id. */
    Map<String, Long> signatures(Collection<Digest> signed) throws SQLException {
        Map<String, Long> found = new HashMap<>();
        sql.query("SELECT signed_digest || '@' || digest, id FROM signature WHERE signed_digest = ANY(?) FOR KEY SHARE",
                rs -> found.put(rs.getString(1), rs.getLong(2)), sql.texts(signed.stream().map(Digest::toString).toList()));
        return found;
    }

    void touch(Set<Long> ids) throws SQLException {
        sql.update("UPDATE content SET timestamp_of_interest = now() WHERE id = ANY(?) "
                + "AND timestamp_of_interest < now() - interval '1 minute'", sql.ids(ids));
    }

    private Map<Digest, Long> byDigest(String query, Collection<Digest> digests) throws SQLException {
        Map<Digest, Long> found = new HashMap<>();
        sql.query(query, rs -> found.put(Digest.parse(rs.getString(1)), rs.getLong(2)),
                sql.texts(digests.stream().map(Digest::toString).toList()));
        return found;
    }

    static Set<Long> values(Map<?, Long> map) {
        return new HashSet<>(map.values());
    }
}
