package io.sigil.exchange;

import io.sigil.common.PulpEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.util.LinkedHashMap;
import java.util.Map;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** Imports archives, mapping each source repository name to a destination (the same name when unmapped). */
@Entity
@Table(name = "importer")
public class Importer extends PulpEntity {

    public static final String HREF = "/pulp/api/v3/importers/core/pulp/";

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
