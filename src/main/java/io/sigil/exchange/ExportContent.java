package io.sigil.exchange;

import io.sigil.common.Sql;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The records of every unit in the exported versions, read in a few set-based queries. Manifest and signature bytes
 * are not held here: they are read in small batches while the archive is written, so memory does not grow with the
 * content. A unit is {@code included} (its bytes travel) unless the previous export already held it.
 */
final class ExportContent {

    final Map<Long, BlobRecord> blobs = new LinkedHashMap<>();
    /** Children before the lists that name them. */
    final Map<Long, ManifestRecord> manifests = new LinkedHashMap<>();
    final Map<Long, TagRecord> tags = new LinkedHashMap<>();
    final Map<Long, SignatureRecord> signatures = new LinkedHashMap<>();

    static ExportContent load(Sql sql, Set<Long> unitIds, Set<Long> previouslyExported) throws SQLException {
        ExportContent content = new ExportContent();
        content.loadBlobs(sql, unitIds, previouslyExported);
        content.loadManifests(sql, unitIds, previouslyExported);
        content.loadTags(sql, unitIds);
        content.loadSignatures(sql, unitIds, previouslyExported);
        return content;
    }

    /** Adds the verdicts the signing package recorded (signature id → verdict). */
    void addVerdicts(Map<Long, VerdictRecord> verdicts) {
        signatures.replaceAll((id, s) -> verdicts.containsKey(id) ? new SignatureRecord(s.signedDigest(), s.digest(), s.type(),
                s.name(), s.size(), s.keyId(), s.fingerprint(), s.creator(), s.signedAt(), s.dockerReference(),
                s.payloadDigest(), s.carrier(), s.included(), verdicts.get(id)) : s);
    }

    private void loadBlobs(Sql sql, Set<Long> ids, Set<Long> previous) throws SQLException {
        sql.query("SELECT id, digest, size FROM blob WHERE id = ANY(?) ORDER BY digest",
                rs -> blobs.put(rs.getLong(1), new BlobRecord(rs.getString(2), rs.getLong(3), !previous.contains(rs.getLong(1)))),
                sql.ids(ids));
    }

    private void loadManifests(Sql sql, Set<Long> ids, Set<Long> previous) throws SQLException {
        Map<Long, ManifestRecord> unordered = new HashMap<>();
        sql.query("SELECT id, digest, media_type, octet_length(data) FROM manifest WHERE id = ANY(?)",
                rs -> unordered.put(rs.getLong(1), new ManifestRecord(rs.getString(2), rs.getString(3), rs.getLong(4),
                        !previous.contains(rs.getLong(1)))), sql.ids(ids));
        Map<Long, List<Long>> children = new HashMap<>();
        sql.query("SELECT list_id, child_id FROM manifest_list_entry WHERE list_id = ANY(?)",
                rs -> children.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(rs.getLong(2)), sql.ids(ids));
        Map<Long, Integer> depth = new HashMap<>();
        unordered.keySet().forEach(id -> depthOf(id, children, depth, new HashSet<>()));
        unordered.entrySet().stream()
                .sorted(Comparator.<Map.Entry<Long, ManifestRecord>>comparingInt(e -> depth.get(e.getKey()))
                        .thenComparing(e -> e.getValue().digest()))
                .forEach(e -> manifests.put(e.getKey(), e.getValue()));
    }

    /** 0 for an image, 1 + the deepest child for a list: writing by depth puts children first. */
    private static int depthOf(long id, Map<Long, List<Long>> children, Map<Long, Integer> depth, Set<Long> path) {
        Integer known = depth.get(id);
        if (known != null) {
            return known;
        }
        if (!path.add(id)) {
            throw new IllegalStateException("manifest lists form a cycle at unit " + id);
        }
        int d = 0;
        for (long child : children.getOrDefault(id, List.of())) {
            d = Math.max(d, 1 + depthOf(child, children, depth, path));
        }
        depth.put(id, d);
        return d;
    }

    private void loadTags(Sql sql, Set<Long> ids) throws SQLException {
        sql.query("SELECT t.id, t.name, m.digest FROM tag t JOIN manifest m ON m.id = t.manifest_id WHERE t.id = ANY(?) "
                        + "ORDER BY t.name, m.digest",
                rs -> tags.put(rs.getLong(1), new TagRecord(rs.getString(2), rs.getString(3))), sql.ids(ids));
    }

    private void loadSignatures(Sql sql, Set<Long> ids, Set<Long> previous) throws SQLException {
        sql.query("""
                SELECT s.id, s.signed_digest, s.digest, s.type, s.name, octet_length(s.data), s.key_id, s.fingerprint,
                       s.creator, s.signed_at, s.docker_reference, s.payload_digest, c.digest
                FROM signature s LEFT JOIN manifest c ON c.id = s.carrier_manifest_id
                WHERE s.id = ANY(?) ORDER BY s.signed_digest, s.digest""",
                rs -> signatures.put(rs.getLong(1), new SignatureRecord(rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getLong(6), rs.getString(7), rs.getString(8), rs.getString(9),
                        (Long) rs.getObject(10), rs.getString(11), rs.getString(12), rs.getString(13),
                        !previous.contains(rs.getLong(1)), null)),
                sql.ids(ids));
    }

    /** The repository record of one version, naming its units by their natural keys. */
    RepositoryRecord repository(String name, String description, int version, Collection<Long> unitIds) {
        Set<Long> in = new HashSet<>(unitIds);
        return new RepositoryRecord(name, description, version,
                blobs.entrySet().stream().filter(e -> in.contains(e.getKey())).map(e -> e.getValue().digest()).toList(),
                manifests.entrySet().stream().filter(e -> in.contains(e.getKey())).map(e -> e.getValue().digest()).toList(),
                tags.entrySet().stream().filter(e -> in.contains(e.getKey())).map(Map.Entry::getValue).toList(),
                signatures.entrySet().stream().filter(e -> in.contains(e.getKey()))
                        .map(e -> new RepositoryRecord.SignatureKey(e.getValue().signedDigest(), e.getValue().digest())).toList());
    }
}
