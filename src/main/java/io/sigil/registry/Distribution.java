package io.sigil.registry;

import io.sigil.common.PulpEntity;
import io.sigil.repository.Repository;
import io.sigil.repository.RepositoryVersion;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

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

    @Column(name = "pulp_last_updated", nullable = false)
    public OffsetDateTime pulpLastUpdated = OffsetDateTime.now();

    public String href() {
        return HREFS + pulpId + "/";
    }
}
