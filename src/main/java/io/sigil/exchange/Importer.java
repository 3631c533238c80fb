package io.sigil.exchange;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** Imports archives, mapping each source repository name to a destination (the same name when unmapped). */
@Entity
@Table(name = "importer")
public class Importer extends PanacheEntityBase {

    public static final String HREF = "/pulp/api/v3/importers/core/pulp/";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "pulp_id", nullable = false, unique = true)
    public UUID pulpId = UUID.randomUUID();

    @Column(name = "pulp_created", nullable = false, insertable = false, updatable = false)
    public OffsetDateTime pulpCreated;

    @Column(nullable = false, unique = true)
    public String name;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "repo_mapping", nullable = false, columnDefinition = "jsonb")
    public Map<String, String> repoMapping = new LinkedHashMap<>();

    public String href() {
        return HREF + pulpId + "/";
    }

    public String resource() {
        return "importer:" + pulpId;
    }
}
