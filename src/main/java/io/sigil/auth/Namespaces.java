package io.sigil.auth;

import io.sigil.common.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Container namespaces: the first segment of a distribution's base path, an object roles are held on. A namespace
 * comes into being with the first distribution (or push) under it, whose creator becomes its owner.
 */
@ApplicationScoped
public class Namespaces {

    public record Namespace(UUID id, String name, OffsetDateTime created) {
        public ObjectRef ref() {
            return ObjectRef.namespace(id);
        }
    }

    @Inject
    EntityManager em;

    /** The namespace a base path (or registry repository name) belongs to. */
    public static String nameOf(String basePath) {
        int slash = basePath.indexOf('/');
        return slash < 0 ? basePath : basePath.substring(0, slash);
    }

    @Transactional
    public Optional<Namespace> find(String name) {
        return Sql.with(em, sql -> sql.query("SELECT pulp_id, name, pulp_created FROM container_namespace WHERE name = ?",
                Namespaces::row, name)).stream().findFirst();
    }

    @Transactional
    public Optional<Namespace> get(UUID id) {
        return Sql.with(em, sql -> sql.query("SELECT pulp_id, name, pulp_created FROM container_namespace WHERE pulp_id = ?",
                Namespaces::row, id)).stream().findFirst();
    }

    /**
     * Creates the namespace unless it exists, and makes {@code creator} its owner if this call created it. Concurrent
     * first pushes create it once; only the winner becomes owner.
     */
    @Transactional
    public Namespace claim(String name, Caller creator, Permissions permissions) {
        List<UUID> created = Sql.with(em, sql -> sql.query("INSERT INTO container_namespace (pulp_id, name) VALUES (?, ?) "
                + "ON CONFLICT (name) DO NOTHING RETURNING pulp_id", rs -> rs.getObject(1, UUID.class), UUID.randomUUID(), name));
        Namespace namespace = find(name).orElseThrow();
        if (!created.isEmpty()) {
            permissions.grant(creator, LockedRoles.NAMESPACE_OWNER, namespace.ref());
        }
        return namespace;
    }

    @Transactional
    public long count(String name) {
        return Sql.with(em, sql -> sql.query("SELECT count(*) FROM container_namespace WHERE (?::text IS NULL OR name = ?)",
                rs -> rs.getLong(1), name, name)).get(0);
    }

    /** Namespaces in name order; {@code visibleIds} null for all. */
    @Transactional
    public List<Namespace> list(String name, java.util.Set<String> visibleIds, int limit, int offset) {
        String[] ids = visibleIds == null ? null : visibleIds.toArray(String[]::new);
        return Sql.with(em, sql -> sql.query("SELECT pulp_id, name, pulp_created FROM container_namespace "
                        + "WHERE (?::text IS NULL OR name = ?) AND (?::text[] IS NULL OR pulp_id::text = ANY (?)) "
                        + "ORDER BY name LIMIT ? OFFSET ?", Namespaces::row, name, name,
                ids == null ? null : sql.texts(List.of(ids)), ids == null ? null : sql.texts(List.of(ids)), limit, offset));
    }

    @Transactional
    public long countVisible(String name, java.util.Set<String> visibleIds) {
        return Sql.with(em, sql -> sql.query("SELECT count(*) FROM container_namespace "
                        + "WHERE (?::text IS NULL OR name = ?) AND (?::text[] IS NULL OR pulp_id::text = ANY (?))",
                rs -> rs.getLong(1), name, name, visibleIds == null ? null : sql.texts(visibleIds),
                visibleIds == null ? null : sql.texts(visibleIds))).get(0);
    }

    /** Deletes the namespace and the roles held on it. */
    @Transactional
    public void delete(Namespace namespace, Permissions permissions) {
        Sql.with(em, sql -> sql.update("DELETE FROM container_namespace WHERE pulp_id = ?", namespace.id()));
        permissions.forget(namespace.ref());
    }

    private static Namespace row(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Namespace(rs.getObject(1, UUID.class), rs.getString(2), rs.getObject(3, OffsetDateTime.class));
    }
}
