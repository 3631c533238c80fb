package io.sigil.auth;

import io.sigil.common.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Answers "may this caller do that": the roles a user holds directly or through a group, globally or on one object.
 * Admins hold everything. One query per question; nothing is cached, so a removed role stops working at once (for
 * registry tokens too: the registry asks again when a token is used).
 */
@ApplicationScoped
public class Permissions {

    /** Assignments {@code a} (role {@code r}) of the user named by the two parameters, directly or through groups. */
    private static final String HELD_BY_USER = """
            (a.user_id = (SELECT id FROM sigil_user WHERE username = ?)
                OR a.group_id IN (SELECT g.group_id FROM sigil_group_user g JOIN sigil_user u ON u.id = g.user_id
                                  WHERE u.username = ?))""";

    @Inject
    EntityManager em;

    /** The caller's global permissions and those on {@code objects}. */
    @Transactional
    public Grants grants(Caller caller, Collection<ObjectRef> objects) {
        if (caller.admin()) {
            return Grants.EVERYTHING;
        }
        if (caller.anonymous()) {
            return Grants.NOTHING;
        }
        List<String> keys = objects.stream().map(ObjectRef::key).toList();
        Set<String> global = new HashSet<>();
        Map<String, Set<String>> byObject = new HashMap<>();
        Sql.with(em, sql -> sql.query("SELECT a.object_type, a.object_id, p FROM role_assignment a "
                        + "JOIN sigil_role r ON r.id = a.role_id CROSS JOIN unnest(r.permissions) p WHERE " + HELD_BY_USER
                        + " AND (a.object_type IS NULL OR a.object_type || ':' || a.object_id = ANY (?))",
                rs -> {
                    String type = rs.getString(1);
                    String permission = rs.getString(3);
                    if (type == null) {
                        global.add(permission);
                    } else {
                        byObject.computeIfAbsent(type + ":" + rs.getString(2), k -> new HashSet<>()).add(permission);
                    }
                    return null;
                }, caller.username(), caller.username(), sql.texts(keys)));
        return new Grants(false, global, byObject);
    }

    public Grants grants(Caller caller, ObjectRef... objects) {
        return grants(caller, List.of(objects));
    }

    public boolean has(Caller caller, String permission, ObjectRef object) {
        return grants(caller, object == null ? List.of() : List.of(object)).has(permission, object);
    }

    /**
     * The ids of the objects of {@code type} on which the caller holds {@code permission} object by object; callers
     * check {@link Grants#has} with a null object first, since a global grant covers every object.
     */
    @Transactional
    public Set<String> objectIds(Caller caller, String permission, ObjectType type) {
        if (caller.anonymous()) {
            return Set.of();
        }
        return new HashSet<>(Sql.with(em, sql -> sql.query("SELECT DISTINCT a.object_id FROM role_assignment a "
                        + "JOIN sigil_role r ON r.id = a.role_id WHERE " + HELD_BY_USER + " AND a.object_type = ? AND ? = ANY (r.permissions)", rs -> rs.getString(1),
                caller.username(), caller.username(), type.label(), permission)));
    }

    /** The user as they are now (their admin flag included), or empty when no such user exists any more. */
    @Transactional
    public Optional<Caller> current(String username) {
        if (username == null || username.isEmpty()) {
            return Optional.of(Caller.ANONYMOUS);
        }
        List<Caller> found = Sql.with(em, sql -> sql.query("SELECT username, is_admin FROM sigil_user WHERE username = ?",
                rs -> new Caller(rs.getString(1), rs.getBoolean(2)), username));
        return found.stream().findFirst();
    }

    /**
     * Gives the user {@code role} on {@code object}, in the caller's transaction: Pulp's creation hook, which makes
     * whoever creates an object its owner. Nothing for anonymous callers; nothing if they hold it already.
     */
    @Transactional
    public void grant(Caller caller, String role, ObjectRef object) {
        if (caller.anonymous()) {
            return;
        }
        Sql.with(em, sql -> sql.update("""
                INSERT INTO role_assignment (pulp_id, role_id, user_id, object_type, object_id)
                SELECT gen_random_uuid(), r.id, u.id, ?, ? FROM sigil_role r, sigil_user u
                WHERE r.name = ? AND u.username = ?
                ON CONFLICT DO NOTHING""", object.type().label(), object.id(), role, caller.username()));
    }

    /** Drops every assignment on an object being deleted, so a new object can never inherit them. */
    @Transactional
    public void forget(ObjectRef object) {
        Sql.with(em, sql -> sql.update("DELETE FROM role_assignment WHERE object_type = ? AND object_id = ?",
                object.type().label(), object.id()));
    }
}
