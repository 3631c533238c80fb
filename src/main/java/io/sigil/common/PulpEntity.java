package io.sigil.common;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.MappedSuperclass;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * The identity every Pulp-style resource shares: a database key, the UUID its href is built from, and the creation
 * time the database sets.
 */
@MappedSuperclass
public abstract class PulpEntity extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "pulp_id", nullable = false, unique = true)
    public UUID pulpId = UUID.randomUUID();

    @Column(name = "pulp_created", nullable = false, insertable = false, updatable = false)
    public OffsetDateTime pulpCreated;
}
