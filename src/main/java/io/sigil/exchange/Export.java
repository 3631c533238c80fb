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

/** One archive an exporter wrote: its files with their checksums, and (in export_version) the versions it holds. */
@Entity
@Table(name = "export")
public class Export extends PulpEntity {

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "exporter_id")
    public Exporter exporter;

    @Column(name = "task_id")
    public UUID taskId;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false, columnDefinition = "jsonb")
    public Map<String, Object> params = new LinkedHashMap<>();

    /** Chunk file (absolute path) → sha256. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "output_files", nullable = false, columnDefinition = "jsonb")
    public Map<String, String> outputFiles = new LinkedHashMap<>();

    @Column(name = "toc_file", nullable = false)
    public String tocFile;

    @Column(name = "toc_sha256", nullable = false)
    public String tocSha256;

    public String href() {
        return exporter.href() + "exports/" + pulpId + "/";
    }
}
