package io.sigil.repository;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A named repository; its content changes only by adding a new numbered version. */
@Entity
@Table(name = "repository")
public class Repository extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "pulp_id", nullable = false, unique = true)
    public UUID pulpId = UUID.randomUUID();

    @Column(nullable = false, unique = true)
    public String name;

    public String description;

    @Column(name = "retain_repo_versions")
    public Integer retainRepoVersions;

    @Column(name = "latest_version", nullable = false)
    public int latestVersion;

    @Column(name = "pulp_created", nullable = false, insertable = false, updatable = false)
    public OffsetDateTime pulpCreated;

    @Column(name = "pulp_last_updated", nullable = false)
    public OffsetDateTime pulpLastUpdated = OffsetDateTime.now();

    public String href() {
        return Hrefs.repository(pulpId);
    }

    /** The task-lock resource name of this repository. */
    public String resource() {
        return "repository:" + pulpId;
    }
}
