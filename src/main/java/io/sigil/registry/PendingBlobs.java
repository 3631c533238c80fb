package io.sigil.registry;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Blobs uploaded into (or mounted into) a push target that no manifest of a version refers to yet. Clients HEAD a blob
 * right after uploading it and push the manifest last, so the blob must be readable there meanwhile. A link belongs
 * to the repository, or to the base path alone while no repository exists there (see {@link PushTarget}); a target
 * sees both kinds. A manifest push that brings the blobs into a version drops their links; orphan clean-up drops those
 * older than the upload expiry ({@link RegistryUploads#dropExpiredPendingLinks}).
 */
@ApplicationScoped
public class PendingBlobs {

    /** The links a target sees: its repository's and its base path's. */
    private static final String OWNED = "(p.repository_id = ? OR p.base_path = ?)";

    @Inject
    EntityManager em;
    @Inject
    DataSource dataSource;

    /** The blob's size if it is pending in the target. */
    public Optional<Long> size(PushTarget target, String digest) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT b.size FROM registry_pending_blob p JOIN blob b ON b.id = p.blob_id "
                     + "WHERE " + OWNED + " AND b.digest = ? LIMIT 1")) {
            owner(ps, target);
            ps.setString(3, digest);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("pending blob query failed: " + e.getMessage(), e);
        }
    }

    /** The digests among {@code digests} pending in the target. */
    public Set<String> present(PushTarget target, Collection<String> digests) {
        Set<String> found = new HashSet<>();
        if (digests.isEmpty()) {
            return found;
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT b.digest FROM registry_pending_blob p JOIN blob b ON b.id = p.blob_id "
                     + "WHERE " + OWNED + " AND b.digest = ANY(?)")) {
            owner(ps, target);
            ps.setArray(3, c.createArrayOf("text", digests.toArray()));
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

    /** Links (or refreshes the link of) a stored blob unit into the target. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void link(PushTarget target, long blobId) {
        String owner = target.repositoryId() != null ? "repository_id" : "base_path";
        em.createNativeQuery("INSERT INTO registry_pending_blob (" + owner + ", blob_id) VALUES (?1, ?2) "
                        + "ON CONFLICT (" + owner + ", blob_id) DO UPDATE SET created = now()")
                .setParameter(1, target.repositoryId() != null ? target.repositoryId() : target.basePath())
                .setParameter(2, blobId).executeUpdate();
    }

    /** Drops the target's links to the blob; returns how many there were. */
    @Transactional(Transactional.TxType.MANDATORY)
    public int unlink(PushTarget target, long blobId) {
        return em.createNativeQuery("DELETE FROM registry_pending_blob WHERE (repository_id = ?1 OR base_path = ?2) AND blob_id = ?3")
                .setParameter(1, repositoryIdOrNone(target)).setParameter(2, target.basePath()).setParameter(3, blobId)
                .executeUpdate();
    }

    /**
     * Moves the links pushed to {@code basePath} before a repository existed there to {@code repositoryId}, which the
     * first manifest push just created for that path.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void adopt(String basePath, long repositoryId) {
        em.createNativeQuery("INSERT INTO registry_pending_blob (repository_id, blob_id, created) "
                        + "SELECT ?1, blob_id, created FROM registry_pending_blob WHERE base_path = ?2 "
                        + "ON CONFLICT (repository_id, blob_id) DO NOTHING")
                .setParameter(1, repositoryId).setParameter(2, basePath).executeUpdate();
        em.createNativeQuery("DELETE FROM registry_pending_blob WHERE base_path = ?1").setParameter(1, basePath).executeUpdate();
    }

    /** Drops the links created (or last refreshed) longer than {@code age} ago; returns how many. */
    @Transactional(Transactional.TxType.MANDATORY)
    public int dropOlderThan(Duration age) {
        return em.createNativeQuery("DELETE FROM registry_pending_blob WHERE created < now() - make_interval(secs => ?1)")
                .setParameter(1, (double) age.toSeconds()).executeUpdate();
    }

    /** Drops the target's links of the blobs a manifest (now in a version) refers to. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void settle(PushTarget target, long manifestId) {
        em.createNativeQuery("DELETE FROM registry_pending_blob WHERE (repository_id = ?1 OR base_path = ?2) "
                        + "AND blob_id IN (SELECT blob_id FROM manifest_blob WHERE manifest_id = ?3)")
                .setParameter(1, repositoryIdOrNone(target)).setParameter(2, target.basePath()).setParameter(3, manifestId)
                .executeUpdate();
    }

    /** Row ids are positive: -1 matches no repository, and spares a typed null parameter in a native query. */
    private static long repositoryIdOrNone(PushTarget target) {
        return target.repositoryId() == null ? -1L : target.repositoryId();
    }

    private static void owner(PreparedStatement ps, PushTarget target) throws SQLException {
        ps.setObject(1, target.repositoryId(), Types.BIGINT);
        ps.setString(2, target.basePath());
    }
}
