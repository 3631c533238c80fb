package io.sigil.registry;

import io.sigil.common.PulpEntity;
import io.sigil.repository.Repository;
import io.sigil.repository.RepositoryVersion;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * Publishes a repository (always its latest version) or one pinned repository version at a base path of the
 * registry. At most one of {@code repository} and {@code repositoryVersion} is set; with neither it serves nothing.
 */
@Entity
@Table(name = "distribution")
public class Distribution extends PulpEntity {

    public static final String HREFS = "/pulp/api/v3/distributions/container/container/";

    @Column(nullable = false, unique = true)
    public String name;

    @Column(name = "base_path", nullable = false, unique = true)
    public String basePath;

    @ManyToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "repository_id")
    public Repository repository;

    @ManyToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "repository_version_id")
    public RepositoryVersion repositoryVersion;

    /** Pulls need credentials; otherwise anyone may pull. Pushes always need them. */
    @Column(name = "private", nullable = false)
    public boolean isPrivate;

    public String description;

    /** Pulls of manifests need a valid signature by one of {@link #policyKeyIds} (see io.sigil.signing.SignaturePolicy). */
    @Column(name = "require_signatures", nullable = false)
    public boolean requireSignatures;

    @Column(name = "require_exact_identity", nullable = false)
    public boolean requireExactIdentity;

    /** The repository signed identities are checked against; null for {@code <pulled host>/<base path>}. */
    @Column(name = "signature_identity")
    public String signatureIdentity;

    /** Row ids of the trusted keys the policy accepts. */
    @ElementCollection(fetch = FetchType.LAZY)
    @CollectionTable(name = "distribution_policy_key", joinColumns = @JoinColumn(name = "distribution_id"))
    @Column(name = "trusted_key_id")
    public Set<Long> policyKeyIds = new HashSet<>();

    @Column(name = "pulp_last_updated", nullable = false)
    public OffsetDateTime pulpLastUpdated = OffsetDateTime.now();

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "pulp_labels", nullable = false, columnDefinition = "jsonb")
    public Map<String, String> pulpLabels = new HashMap<>();

    public String href() {
        return HREFS + pulpId + "/";
    }
}
