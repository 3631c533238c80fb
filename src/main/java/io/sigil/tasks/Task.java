package io.sigil.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.Generated;
import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A row of the task queue. Immutable to Hibernate: once inserted, a task changes only through the conditional
 * updates in {@link TaskStore}, so a worker, a canceler and a reaper can never overwrite each other's columns.
 */
@Entity
@Table(name = "task")
@Immutable
class Task extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    Long id;

    @Column(name = "pulp_id", nullable = false, unique = true)
    UUID pulpId;

    @Column(nullable = false)
    String name;

    @Column(nullable = false)
    String state;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    JsonNode parameters;

    @Column(name = "exclusive_resources", nullable = false)
    String[] exclusiveResources;

    @Column(name = "shared_resources", nullable = false)
    String[] sharedResources;

    @Column(name = "created_by")
    String createdBy;

    String worker;

    /** Set by the database clock, so tasks from all processes queue in one order. */
    @Generated
    @Column(name = "pulp_created", insertable = false, updatable = false)
    Instant pulpCreated;

    @Column(name = "started_at")
    Instant startedAt;

    @Column(name = "finished_at")
    Instant finishedAt;

    @JdbcTypeCode(SqlTypes.JSON)
    JsonNode error;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "progress_reports", nullable = false)
    JsonNode progressReports;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "created_resources", nullable = false)
    JsonNode createdResources;

    @JdbcTypeCode(SqlTypes.JSON)
    JsonNode result;
}
