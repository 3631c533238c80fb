package io.sigil.repository;

import io.sigil.common.PulpEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A named repository; its content changes only by adding a new numbered version. */
@Entity
@Table(name = "repository")
public class Repository extends PulpEntity {

    @Column(nullable = false, unique = true)
    public String name;

    public String description;

    @Column(name = "retain_repo_versions")
    public Integer retainRepoVersions;

    @Column(name = "latest_version", nullable = false)
    public int latestVersion;

    @Column(name = "pulp_last_updated", nullable = false)
    public OffsetDateTime pulpLastUpdated = OffsetDateTime.now();

    /** The pulp_id of the remote a sync uses when the request names none (Pulp's {@code remote} field). */
    @Column(name = "remote_id")
    public UUID remoteId;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "pulp_labels", nullable = false, columnDefinition = "jsonb")
    public Map<String, String> pulpLabels = new HashMap<>();

    public String href() {
        return Hrefs.repository(pulpId);
    }

    /** The task-lock resource name of this repository. */
    public String resource() {
        return "repository:" + pulpId;
    }
}
