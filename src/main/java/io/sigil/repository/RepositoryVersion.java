package io.sigil.repository;

import io.sigil.common.PulpEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** An immutable numbered state of a repository, with counts of what it added, removed and holds. */
@Entity
@Table(name = "repository_version")
public class RepositoryVersion extends PulpEntity {

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "repository_id")
    public Repository repository;

    @Column(nullable = false)
    public int number;

    @Column(name = "base_version")
    public Integer baseVersion;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false, columnDefinition = "jsonb")
    public ContentSummary summary = ContentSummary.EMPTY;
}
