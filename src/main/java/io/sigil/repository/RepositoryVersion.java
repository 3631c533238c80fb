package io.sigil.repository;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** An immutable numbered state of a repository, with counts of what it added, removed and holds. */
@Entity
@Table(name = "repository_version")
public class RepositoryVersion extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "pulp_id", nullable = false, unique = true)
    public UUID pulpId = UUID.randomUUID();

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "repository_id")
    public Repository repository;

    @Column(nullable = false)
    public int number;

    @Column(name = "base_version")
    public Integer baseVersion;

    @Column(name = "pulp_created", nullable = false, insertable = false, updatable = false)
    public OffsetDateTime pulpCreated;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false, columnDefinition = "jsonb")
    public ContentSummary summary = ContentSummary.EMPTY;
}
