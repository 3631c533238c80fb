package io.sigil.registry;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Blobs uploaded into (or mounted into) a repository that no manifest of a version refers to yet. Clients HEAD a blob
 * right after uploading it and push the manifest last, so the blob must be readable in that repository meanwhile.
 * A manifest push that brings the blobs into a version drops their links; orphan clean-up drops those older than the
 * upload expiry ({@link RegistryUploads#dropExpiredPendingLinks}).
 */
@ApplicationScoped
public class PendingBlobs {

    @Inject
    EntityManager em;
    @Inject
    DataSource dataSource;

    /** The blob's size if it is pending in the repository. */
    public Optional<Long> size(long repositoryId, String digest) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT b.size FROM registry_pending_blob p JOIN blob b ON b.id = p.blob_id "
                     + "WHERE p.repository_id = ? AND b.digest = ?")) {
            ps.setLong(1, repositoryId);
            ps.setString(2, digest);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("pending blob query failed: " + e.getMessage(), e);
        }
    }

    /** The digests among {@code digests} pending in the repository. */
    public java.util.Set<String> present(long repositoryId, java.util.Collection<String> digests) {
        java.util.Set<String> found = new java.util.HashSet<>();
        if (digests.isEmpty()) {
            return found;
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT b.digest FROM registry_pending_blob p JOIN blob b ON b.id = p.blob_id "
                     + "WHERE p.repository_id = ? AND b.digest = ANY(?)")) {
            ps.setLong(1, repositoryId);
            ps.setArray(2, c.createArrayOf("text", digests.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(rs.getString(1));
                }
            }
            return found;
        } catch (SQLException e) {
            throw new IllegalStateException("pending blob query failed: " + e.getMessage(), e);
        }
    }

    /** Links (or refreshes the link of) a stored blob unit into the repository. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void link(long repositoryId, long blobId) {
        em.createNativeQuery("INSERT INTO registry_pending_blob (repository_id, blob_id) VALUES (?1, ?2) "
                        + "ON CONFLICT (repository_id, blob_id) DO UPDATE SET created = now()")
                .setParameter(1, repositoryId).setParameter(2, blobId).executeUpdate();
    }

    /** Drops the links created (or last refreshed) longer than {@code age} ago; returns how many. */
    @Transactional(Transactional.TxType.MANDATORY)
    public int dropOlderThan(Duration age) {
        return em.createNativeQuery("DELETE FROM registry_pending_blob WHERE created < now() - make_interval(secs => ?1)")
                .setParameter(1, (double) age.toSeconds()).executeUpdate();
    }

    /** Drops the links of the blobs a manifest (now in a version) refers to. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void settle(long repositoryId, long manifestId) {
        em.createNativeQuery("DELETE FROM registry_pending_blob WHERE repository_id = ?1 "
                        + "AND blob_id IN (SELECT blob_id FROM manifest_blob WHERE manifest_id = ?2)")
                .setParameter(1, repositoryId).setParameter(2, manifestId).executeUpdate();
    }
}
