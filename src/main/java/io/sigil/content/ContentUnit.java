package io.sigil.content;

import io.sigil.common.PulpEntity;
import jakarta.persistence.Column;
import jakarta.persistence.DiscriminatorColumn;
import jakarta.persistence.Entity;
import jakarta.persistence.Inheritance;
import jakarta.persistence.InheritanceType;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/**
 * An immutable unit of content. Units are shared by every repository that holds them; a repository version only
 * records membership. {@code timestampOfInterest} is refreshed on reuse so orphan clean-up spares fresh units.
 */
@Entity
@Table(name = "content")
@Inheritance(strategy = InheritanceType.JOINED)
@DiscriminatorColumn(name = "pulp_type")
public abstract class ContentUnit extends PulpEntity {

    @Column(name = "timestamp_of_interest", nullable = false, insertable = false)
    public OffsetDateTime timestampOfInterest;

    /** The unit's type as Pulp names it, e.g. {@code container.manifest}. */
    public abstract ContentType type();
}
