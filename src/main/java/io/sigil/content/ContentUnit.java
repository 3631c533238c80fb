package io.sigil.content;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.DiscriminatorColumn;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Inheritance;
import jakarta.persistence.InheritanceType;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * An immutable unit of content. Units are shared by every repository that holds them; a repository version only
 * records membership. {@code timestampOfInterest} is refreshed on reuse so orphan clean-up spares fresh units.
 */
@Entity
@Table(name = "content")
@Inheritance(strategy = InheritanceType.JOINED)
@DiscriminatorColumn(name = "pulp_type")
public abstract class ContentUnit extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "pulp_id", nullable = false, unique = true)
    public UUID pulpId = UUID.randomUUID();

    @Column(name = "pulp_created", nullable = false, insertable = false, updatable = false)
    public OffsetDateTime pulpCreated;

    @Column(name = "timestamp_of_interest", nullable = false, insertable = false)
    public OffsetDateTime timestampOfInterest;

    /** The unit's type as Pulp names it, e.g. {@code container.manifest}. */
    public abstract ContentType type();
}
