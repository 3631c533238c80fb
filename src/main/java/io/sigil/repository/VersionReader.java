package io.sigil.repository;

import io.sigil.common.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Read queries over one repository version for the registry's hot paths: is a digest in the version, which manifest
 * does a tag name, which tags and referrers does it hold. Each is a single indexed query on an autocommit connection,
 * outside any transaction. {@code version} null means the latest version, which is read live.
 */
@ApplicationScoped
public class VersionReader {

    @Inject
    DataSource dataSource;

    /** A manifest in a version; {@code size} is the length of its stored bytes. */
    public record ManifestRef(long id, String digest, String mediaType, int size) {
    }

    /** A manifest of the version that refers to another, with its stored bytes. */
    public record Referrer(String digest, String mediaType, byte[] data) {
    }

    /** A signature of a manifest in the version. */
    public record SignatureData(String name, String type, byte[] data) {
    }

    /**
     * What a signature policy needs to judge a pull of one manifest, in one query: whether the manifest is itself an
     * attachment (it has an OCI subject or carries cosign signatures), and each signature the version holds for it
     * with its stored verdict (state null when never verified) and whether its key was revoked since.
     */
    public record PolicyFacts(boolean attachment, List<PolicySignature> signatures) {
    }

    public record PolicySignature(String dockerReference, String state, String keyIdentity, String reason, boolean revoked) {
    }

    /** The number of the repository's latest version. */
    public int latestVersion(long repositoryId) {
        return query(sql -> sql.query("SELECT latest_version FROM repository WHERE id = ?", rs -> rs.getInt(1), repositoryId))
                .stream().findFirst().orElse(0);
    }

    public Optional<ManifestRef> manifestByTag(long repositoryId, Integer version, String tag) {
        return query(sql -> sql.query("SELECT m.id, m.digest, m.media_type, octet_length(m.data) FROM tag t "
                + "JOIN manifest m ON m.id = t.manifest_id WHERE t.name = ? AND " + member(sql, repositoryId, version, "t.id"),
                rs -> new ManifestRef(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4)), tag))
                .stream().findFirst();
    }

    public Optional<ManifestRef> manifestByDigest(long repositoryId, Integer version, String digest) {
        return query(sql -> sql.query("SELECT m.id, m.digest, m.media_type, octet_length(m.data) FROM manifest m "
                + "WHERE m.digest = ? AND " + member(sql, repositoryId, version, "m.id"),
                rs -> new ManifestRef(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4)), digest))
                .stream().findFirst();
    }

    public PolicyFacts policyFacts(long repositoryId, Integer version, long manifestId) {
        List<Object[]> rows = query(sql -> sql.query("SELECT m.subject_digest IS NOT NULL OR EXISTS (SELECT 1 FROM signature c "
                + "WHERE c.carrier_manifest_id = m.id), s.id IS NOT NULL, s.docker_reference, v.state, v.key_identity, v.reason, "
                + "v.state = 'VALID' AND (EXISTS (SELECT 1 FROM revoked_key rk WHERE rk.type IN ('openpgp', 'cosign') "
                + "AND rk.identity IN (v.key_identity, s.fingerprint)) OR EXISTS (SELECT 1 FROM revoked_subkey rs "
                + "WHERE rs.key_id = s.key_id OR rs.fingerprint IN (v.key_identity, s.fingerprint))) "
                + "FROM manifest m LEFT JOIN signature s ON s.signed_manifest_id = m.id AND s.type <> 'attestation' AND " + member(sql, repositoryId, version, "s.id")
                + " LEFT JOIN signature_verdict v ON v.signature_id = s.id WHERE m.id = ? ORDER BY s.id",
                rs -> new Object[] {rs.getBoolean(1), rs.getBoolean(2) ? new PolicySignature(rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getBoolean(7)) : null}, manifestId));
        boolean attachment = !rows.isEmpty() && (Boolean) rows.get(0)[0];
        return new PolicyFacts(attachment, rows.stream().map(r -> (PolicySignature) r[1]).filter(java.util.Objects::nonNull).toList());
    }

    /** The stored bytes of a manifest (by unit id; manifests are immutable, so callers may cache them). */
    public byte[] manifestData(long manifestId) {
        return query(sql -> sql.query("SELECT data FROM manifest WHERE id = ?", rs -> rs.getBytes(1), manifestId))
                .stream().findFirst().orElseThrow();
    }

    /** The id of the tag unit named {@code tag} in the version. */
    public Optional<Long> tagId(long repositoryId, Integer version, String tag) {
        return query(sql -> sql.query("SELECT t.id FROM tag t WHERE t.name = ? AND " + member(sql, repositoryId, version, "t.id"),
                rs -> rs.getLong(1), tag)).stream().findFirst();
    }

    /** The size of the blob if the version holds it. */
    public Optional<Long> blobSize(long repositoryId, Integer version, String digest) {
        return query(sql -> sql.query("SELECT b.size FROM blob b WHERE b.digest = ? AND " + member(sql, repositoryId, version, "b.id"),
                rs -> rs.getLong(1), digest)).stream().findFirst();
    }

    /** Digests among {@code digests} that the version holds (blobs or manifests). */
    public List<String> present(long repositoryId, Integer version, List<String> digests) {
        if (digests.isEmpty()) {
            return List.of();
        }
        return query(sql -> sql.query("SELECT b.digest FROM blob b WHERE b.digest = ANY(?) AND " + member(sql, repositoryId, version, "b.id")
                + " UNION SELECT m.digest FROM manifest m WHERE m.digest = ANY(?) AND " + member(sql, repositoryId, version, "m.id"),
                rs -> rs.getString(1), sql.texts(digests), sql.texts(digests)));
    }

    /** Tag names after {@code last} (all when null) in lexical order, at most {@code limit}. */
    public List<String> tagNames(long repositoryId, Integer version, String last, int limit) {
        return query(sql -> sql.query("SELECT t.name FROM tag t JOIN repository_content rc ON rc.content_id = t.id "
                + "WHERE rc.repository_id = ? AND rc.pulp_type = 'container.tag' AND " + Membership.of(sql, repositoryId,
                version == null ? 0 : version, version == null).condition() + " AND t.name COLLATE \"C\" > ? ORDER BY t.name COLLATE \"C\" LIMIT ?",
                rs -> rs.getString(1), repositoryId, last == null ? "" : last, limit));
    }

    /** Manifests in the version whose subject (OCI {@code subject} or cosign attachment tag) is {@code digest}. */
    public List<Referrer> referrers(long repositoryId, Integer version, String digest) {
        return query(sql -> sql.query("SELECT m.digest, m.media_type, m.data FROM manifest m WHERE m.subject_digest = ? AND "
                + member(sql, repositoryId, version, "m.id") + " ORDER BY m.digest",
                rs -> new Referrer(rs.getString(1), rs.getString(2), rs.getBytes(3)), digest));
    }

    /** Signatures of one type of the manifest {@code digest}, held by the version. */
    public List<SignatureData> signatures(long repositoryId, Integer version, String digest, String type) {
        return query(sql -> sql.query("SELECT s.name, s.type, s.data FROM signature s WHERE s.signed_digest = ? AND s.type = ? AND "
                + member(sql, repositoryId, version, "s.id") + " ORDER BY s.id",
                rs -> new SignatureData(rs.getString(1), rs.getString(2), rs.getBytes(3)), digest, type));
    }

    private static String member(Sql sql, long repositoryId, Integer version, String column) {
        String inVersion = Membership.of(sql, repositoryId, version == null ? 0 : version, version == null).condition();
        return "EXISTS (SELECT 1 FROM repository_content rc WHERE rc.repository_id = " + repositoryId
                + " AND rc.content_id = " + column + " AND " + inVersion + ")";
    }

    private <T> T query(Sql.SqlWork<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            return work.run(Sql.on(connection));
        } catch (SQLException e) {
            throw new IllegalStateException("version query failed: " + e.getMessage(), e);
        }
    }
}
