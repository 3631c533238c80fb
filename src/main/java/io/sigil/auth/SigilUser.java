package io.sigil.auth;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A row of {@code sigil_user}. Never leaves the package: the API speaks {@link UserView}. */
@Entity
@Table(name = "sigil_user")
class SigilUser extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "pulp_id", nullable = false, unique = true)
    public UUID pulpId;

    @Column(nullable = false, unique = true)
    public String username;

    /** OpenBSD bcrypt string ({@code $2y$cost$salt+hash}). */
    @Column(name = "password_hash", nullable = false)
    public String passwordHash;

    @Column(name = "is_admin", nullable = false)
    public boolean admin;

    /** Incremented to end the user's registry tokens (they carry the generation they were issued under). */
    @Column(name = "token_generation", nullable = false)
    public long tokenGeneration;

    @Column(name = "pulp_created", nullable = false)
    public OffsetDateTime pulpCreated;
}
