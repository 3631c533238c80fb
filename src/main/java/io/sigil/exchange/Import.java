package io.sigil.exchange;

import io.sigil.common.PulpEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One import request; its task holds the outcome. */
@Entity
@Table(name = "import")
public class Import extends PulpEntity {

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "importer_id")
    public Importer importer;

    @Column(name = "task_id", nullable = false)
    public UUID taskId;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false, columnDefinition = "jsonb")
    public Map<String, Object> params = new LinkedHashMap<>();

    public String href() {
        return importer.href() + "imports/" + pulpId + "/";
    }
}
