package io.sigil.auth;

import io.sigil.auth.RoleViews.AssignmentRequest;
import io.sigil.auth.RoleViews.AssignmentView;
import io.sigil.auth.RoleViews.GroupUserView;
import io.sigil.auth.RoleViews.GroupView;
import io.sigil.auth.RoleViews.ObjectRole;
import io.sigil.auth.RoleViews.ObjectRoles;
import io.sigil.auth.RoleViews.Page;
import io.sigil.auth.RoleViews.RoleChange;
import io.sigil.auth.RoleViews.RoleRequest;
import io.sigil.auth.RoleViews.RoleView;
import io.sigil.common.ApiException;
import io.sigil.common.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Roles, groups and role assignments: what {@code roles/}, {@code groups/}, {@code users/<id>/roles/} and the
 * objects' {@code add_role}/{@code remove_role}/{@code list_roles} do. Who may call what is the resources' business.
 */
@ApplicationScoped
public class RoleService {

    private static final String ROLE_COLUMNS = "pulp_id, pulp_created, name, description, permissions, locked";
    private static final String ASSIGNMENT_COLUMNS = "a.pulp_id, a.pulp_created, r.name, a.object_type, a.object_id, "
            + "r.description, r.permissions";

    @Inject
    EntityManager em;

    // ---- roles

    public record RoleFilter(String name, String nameContains, String nameIcontains, String nameStartswith,
                             Boolean locked, String containsPermission, String forObjectType) {
    }

    @Transactional
    public Page<RoleView> listRoles(RoleFilter f, int limit, int offset) {
        String where = " WHERE (?::text IS NULL OR name = ?) AND (?::text IS NULL OR strpos(name, ?) > 0)"
                + " AND (?::text IS NULL OR strpos(lower(name), lower(?)) > 0) AND (?::text IS NULL OR starts_with(name, ?))"
                + " AND (?::boolean IS NULL OR locked = ?) AND (?::text IS NULL OR ? = ANY (permissions))"
                + " AND (?::text IS NULL OR EXISTS (SELECT 1 FROM unnest(permissions) p WHERE p LIKE '%\\_' || ?))";
        String model = f.forObjectType() == null ? null : modelOf(f.forObjectType());
        Object[] params = {f.name(), f.name(), f.nameContains(), f.nameContains(), f.nameIcontains(), f.nameIcontains(),
                f.nameStartswith(), f.nameStartswith(), f.locked(), f.locked(), f.containsPermission(),
                f.containsPermission(), model, model};
        return Sql.with(em, sql -> {
            long count = sql.query("SELECT count(*) FROM sigil_role" + where, rs -> rs.getLong(1), params).get(0);
            Object[] paged = Arrays.copyOf(params, params.length + 2);
            paged[params.length] = limit;
            paged[params.length + 1] = offset;
            List<RoleView> roles = sql.query("SELECT " + ROLE_COLUMNS + " FROM sigil_role" + where
                    + " ORDER BY name LIMIT ? OFFSET ?", RoleService::role, paged);
            return new Page<>(count, roles);
        });
    }

    /** {@code for_object_type} is an href prefix of a collection, e.g. {@code /pulp/api/v3/repositories/container/container/}. */
    private static String modelOf(String collection) {
        for (ObjectType type : ObjectType.values()) {
            if (type.collection().equals(collection) || type.label().equals(collection)) {
                return type.model();
            }
        }
        throw ApiException.field("for_object_type", "'" + collection + "' is not a known object type");
    }

    @Transactional
    public RoleView role(UUID id) {
        return findRole(id);
    }

    @Transactional
    public RoleView createRole(RoleRequest request) {
        String name = required("name", request.name());
        List<String> permissions = knownPermissions(request.permissions() == null ? List.of() : request.permissions());
        requireFreeRoleName(name, null);
        UUID id = UUID.randomUUID();
        Sql.with(em, sql -> sql.update("INSERT INTO sigil_role (pulp_id, name, description, permissions) VALUES (?, ?, ?, ?)",
                id, name, request.description(), sql.texts(permissions)));
        return findRole(id);
    }

    @Transactional
    public RoleView updateRole(UUID id, RoleRequest request, boolean partial) {
        RoleView role = findRole(id);
        requireUnlocked(role);
        String name = partial && request.name() == null ? role.name() : required("name", request.name());
        requireFreeRoleName(name, id);
        String description = partial && request.description() == null ? role.description() : request.description();
        List<String> permissions = partial && request.permissions() == null ? role.permissions()
                : knownPermissions(request.permissions() == null ? List.of() : request.permissions());
        Sql.with(em, sql -> sql.update("UPDATE sigil_role SET name = ?, description = ?, permissions = ? WHERE pulp_id = ?",
                name, description, sql.texts(permissions), id));
        return findRole(id);
    }

    @Transactional
    public void deleteRole(UUID id) {
        requireUnlocked(findRole(id));
        Sql.with(em, sql -> sql.update("DELETE FROM sigil_role WHERE pulp_id = ?", id));
    }

    private RoleView findRole(UUID id) {
        return Sql.with(em, sql -> sql.query("SELECT " + ROLE_COLUMNS + " FROM sigil_role WHERE pulp_id = ?",
                RoleService::role, id)).stream().findFirst()
                .orElseThrow(() -> ApiException.notFound("No role matches the given query."));
    }

    private static void requireUnlocked(RoleView role) {
        if (role.locked()) {
            throw new ApiException(403, Map.of("detail", "The role is locked."), "The role is locked.");
        }
    }

    private void requireFreeRoleName(String name, UUID except) {
        long taken = Sql.with(em, sql -> sql.query("SELECT count(*) FROM sigil_role WHERE name = ? AND pulp_id IS DISTINCT FROM ?",
                rs -> rs.getLong(1), name, except)).get(0);
        if (taken > 0) {
            throw ApiException.field("name", "role with this name already exists.");
        }
    }

    /** Custom roles may hold only permissions Sigil checks: anything else would be a promise it does not keep. */
    private static List<String> knownPermissions(List<String> permissions) {
        Set<String> known = new TreeSet<>();
        LockedRoles.ROLES.values().forEach(known::addAll);
        List<String> unknown = permissions.stream().filter(p -> !known.contains(p)).toList();
        if (!unknown.isEmpty()) {
            throw ApiException.field("permissions", "unknown permissions: " + String.join(", ", unknown));
        }
        return List.copyOf(new TreeSet<>(permissions));
    }

    // ---- groups

    @Transactional
    public Page<GroupView> listGroups(String name, int limit, int offset) {
        return Sql.with(em, sql -> new Page<>(
                sql.query("SELECT count(*) FROM sigil_group WHERE (?::text IS NULL OR name = ?)", rs -> rs.getLong(1), name, name).get(0),
                sql.query("SELECT pulp_id, pulp_created, name FROM sigil_group WHERE (?::text IS NULL OR name = ?) "
                        + "ORDER BY name LIMIT ? OFFSET ?", RoleService::group, name, name, limit, offset)));
    }

    @Transactional
    public GroupView group(UUID id) {
        return Sql.with(em, sql -> sql.query("SELECT pulp_id, pulp_created, name FROM sigil_group WHERE pulp_id = ?",
                RoleService::group, id)).stream().findFirst()
                .orElseThrow(() -> ApiException.notFound("No group matches the given query."));
    }

    @Transactional
    public GroupView saveGroup(UUID id, String name) {
        required("name", name);
        long taken = Sql.with(em, sql -> sql.query("SELECT count(*) FROM sigil_group WHERE name = ? AND pulp_id IS DISTINCT FROM ?",
                rs -> rs.getLong(1), name, id)).get(0);
        if (taken > 0) {
            throw ApiException.field("name", "group with this name already exists.");
        }
        if (id == null) {
            UUID created = UUID.randomUUID();
            Sql.with(em, sql -> sql.update("INSERT INTO sigil_group (pulp_id, name) VALUES (?, ?)", created, name));
            return group(created);
        }
        group(id);
        Sql.with(em, sql -> sql.update("UPDATE sigil_group SET name = ? WHERE pulp_id = ?", name, id));
        return group(id);
    }

    @Transactional
    public void deleteGroup(UUID id) {
        group(id);
        Sql.with(em, sql -> sql.update("DELETE FROM sigil_group WHERE pulp_id = ?", id));
    }

    @Transactional
    public Page<GroupUserView> members(UUID group, int limit, int offset) {
        long groupId = groupId(group);
        return Sql.with(em, sql -> new Page<>(
                sql.query("SELECT count(*) FROM sigil_group_user WHERE group_id = ?", rs -> rs.getLong(1), groupId).get(0),
                sql.query("SELECT u.username, u.pulp_id FROM sigil_group_user g JOIN sigil_user u ON u.id = g.user_id "
                                + "WHERE g.group_id = ? ORDER BY u.username LIMIT ? OFFSET ?",
                        rs -> member(group, rs.getString(1), rs.getObject(2, UUID.class)), groupId, limit, offset)));
    }

    @Transactional
    public GroupUserView addMember(UUID group, String username) {
        long groupId = groupId(group);
        required("username", username);
        List<UUID> user = Sql.with(em, sql -> sql.query("SELECT pulp_id FROM sigil_user WHERE username = ?",
                rs -> rs.getObject(1, UUID.class), username));
        if (user.isEmpty()) {
            throw ApiException.field("username", "User '" + username + "' does not exist.");
        }
        Sql.with(em, sql -> sql.update("INSERT INTO sigil_group_user (group_id, user_id) "
                + "SELECT ?, id FROM sigil_user WHERE username = ? ON CONFLICT DO NOTHING", groupId, username));
        return member(group, username, user.get(0));
    }

    @Transactional
    public void removeMember(UUID group, UUID user) {
        long groupId = groupId(group);
        int removed = Sql.with(em, sql -> sql.update("DELETE FROM sigil_group_user WHERE group_id = ? "
                + "AND user_id = (SELECT id FROM sigil_user WHERE pulp_id = ?)", groupId, user));
        if (removed == 0) {
            throw ApiException.notFound("The user is not a member of this group.");
        }
    }

    private static GroupUserView member(UUID group, String username, UUID user) {
        return new GroupUserView(username, RoleViews.GROUPS + group + "/users/" + user + "/");
    }

    private long groupId(UUID group) {
        return Sql.with(em, sql -> sql.query("SELECT id FROM sigil_group WHERE pulp_id = ?", rs -> rs.getLong(1), group))
                .stream().findFirst().orElseThrow(() -> ApiException.notFound("No group matches the given query."));
    }

    private long userId(UUID user) {
        return Sql.with(em, sql -> sql.query("SELECT id FROM sigil_user WHERE pulp_id = ?", rs -> rs.getLong(1), user))
                .stream().findFirst().orElseThrow(() -> ApiException.notFound("No user matches the given query."));
    }

    // ---- assignments of users and groups (users/<id>/roles/, groups/<id>/roles/)

    /** Whose assignments: a user's or a group's, by row id, and the href prefix of their roles collection. */
    public record Holder(String column, long id, String rolesHref) {
    }

    @Transactional
    public Holder userHolder(UUID user) {
        return new Holder("user_id", userId(user), UserView.BASE + user + "/roles/");
    }

    @Transactional
    public Holder groupHolder(UUID group) {
        return new Holder("group_id", groupId(group), RoleViews.GROUPS + group + "/roles/");
    }

    /** {@code content_object}: absent for any, "null" for global ones, or an object's href. */
    @Transactional
    public Page<AssignmentView> assignments(Holder holder, String role, String contentObject, int limit, int offset) {
        boolean global = "null".equals(contentObject) || "".equals(contentObject);
        ObjectRef object = contentObject == null || global ? null : parseObject("content_object", contentObject);
        String where = " FROM role_assignment a JOIN sigil_role r ON r.id = a.role_id WHERE a." + holder.column() + " = ?"
                + " AND (?::text IS NULL OR r.name = ?)" + (global ? " AND a.object_type IS NULL" : "")
                + " AND (?::text IS NULL OR (a.object_type = ? AND a.object_id = ?))";
        String type = object == null ? null : object.type().label();
        String id = object == null ? null : object.id();
        return Sql.with(em, sql -> new Page<>(
                sql.query("SELECT count(*)" + where, rs -> rs.getLong(1), holder.id(), role, role, type, type, id).get(0),
                sql.query("SELECT " + ASSIGNMENT_COLUMNS + where + " ORDER BY a.pulp_created, a.id LIMIT ? OFFSET ?",
                        rs -> assignment(holder, rs), holder.id(), role, role, type, type, id, limit, offset)));
    }

    @Transactional
    public AssignmentView assignment(Holder holder, UUID id) {
        return Sql.with(em, sql -> sql.query("SELECT " + ASSIGNMENT_COLUMNS + " FROM role_assignment a JOIN sigil_role r "
                        + "ON r.id = a.role_id WHERE a." + holder.column() + " = ? AND a.pulp_id = ?",
                rs -> assignment(holder, rs), holder.id(), id)).stream().findFirst()
                .orElseThrow(() -> ApiException.notFound("No role assignment matches the given query."));
    }

    @Transactional
    public AssignmentView assign(Holder holder, AssignmentRequest request) {
        if (request.domain() != null) {
            throw ApiException.field("domain", "Sigil has no domains.");
        }
        long role = roleId(required("role", request.role()), "role");
        ObjectRef object = request.contentObject() == null ? null : parseObject("content_object", request.contentObject());
        if (object != null) {
            requireExists(object, "content_object");
            requireConcerns(request.role(), object.type(), "role");
        }
        UUID id = UUID.randomUUID();
        int inserted = Sql.with(em, sql -> sql.update("INSERT INTO role_assignment (pulp_id, role_id, " + holder.column()
                        + ", object_type, object_id) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", id, role, holder.id(),
                object == null ? null : object.type().label(), object == null ? null : object.id()));
        if (inserted == 0) {
            throw ApiException.badRequest("The role is already assigned to this " + (holder.column().equals("user_id")
                    ? "user" : "group") + (object == null ? "." : " on this object."));
        }
        return assignment(holder, id);
    }

    @Transactional
    public void unassign(Holder holder, UUID id) {
        assignment(holder, id);
        Sql.with(em, sql -> sql.update("DELETE FROM role_assignment WHERE pulp_id = ?", id));
    }

    private static AssignmentView assignment(Holder holder, ResultSet rs) throws SQLException {
        String type = rs.getString(4);
        String object = type == null ? null
                : ObjectType.ofLabel(type).map(t -> new ObjectRef(t, rsString(rs, 5)).href()).orElse(null);
        return new AssignmentView(holder.rolesHref() + rs.getObject(1, UUID.class) + "/", rs.getObject(2, OffsetDateTime.class),
                rs.getString(3), object, rs.getString(6), strings(rs.getArray(7)), null);
    }

    // ---- roles on one object (add_role/, remove_role/, list_roles/)

    @Transactional
    public ObjectRoles objectRoles(ObjectRef object) {
        Map<String, ObjectRole> roles = new LinkedHashMap<>();
        Sql.with(em, sql -> sql.query("""
                SELECT r.name, u.username, g.name FROM role_assignment a JOIN sigil_role r ON r.id = a.role_id
                LEFT JOIN sigil_user u ON u.id = a.user_id LEFT JOIN sigil_group g ON g.id = a.group_id
                WHERE a.object_type = ? AND a.object_id = ? ORDER BY r.name, u.username, g.name""", rs -> {
            ObjectRole role = roles.computeIfAbsent(rs.getString(1), n -> new ObjectRole(n, new ArrayList<>(), new ArrayList<>()));
            if (rs.getString(2) != null) {
                role.users().add(rs.getString(2));
            }
            if (rs.getString(3) != null) {
                role.groups().add(rs.getString(3));
            }
            return null;
        }, object.type().label(), object.id()));
        return new ObjectRoles(List.copyOf(roles.values()));
    }

    @Transactional
    public RoleChange addRole(ObjectRef object, RoleChange change) {
        long role = roleId(required("role", change.role()), "role");
        requireConcerns(change.role(), object.type(), "role");
        requireSomeone(change);
        for (String user : change.users()) {
            if (!insertObjectRole(role, "user_id", principal("sigil_user", "username", user, "users"), object)) {
                throw ApiException.field("users", "The user '" + user + "' already has the role '" + change.role() + "' on this object.");
            }
        }
        for (String group : change.groups()) {
            if (!insertObjectRole(role, "group_id", principal("sigil_group", "name", group, "groups"), object)) {
                throw ApiException.field("groups", "The group '" + group + "' already has the role '" + change.role() + "' on this object.");
            }
        }
        return change;
    }

    @Transactional
    public RoleChange removeRole(ObjectRef object, RoleChange change) {
        long role = roleId(required("role", change.role()), "role");
        requireSomeone(change);
        for (String user : change.users()) {
            if (!deleteObjectRole(role, "user_id", principal("sigil_user", "username", user, "users"), object)) {
                throw ApiException.field("users", "The user '" + user + "' does not have the role '" + change.role() + "' on this object.");
            }
        }
        for (String group : change.groups()) {
            if (!deleteObjectRole(role, "group_id", principal("sigil_group", "name", group, "groups"), object)) {
                throw ApiException.field("groups", "The group '" + group + "' does not have the role '" + change.role() + "' on this object.");
            }
        }
        return change;
    }

    private boolean insertObjectRole(long role, String column, long principal, ObjectRef object) {
        return Sql.with(em, sql -> sql.update("INSERT INTO role_assignment (pulp_id, role_id, " + column
                        + ", object_type, object_id) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", UUID.randomUUID(), role,
                principal, object.type().label(), object.id())) == 1;
    }

    private boolean deleteObjectRole(long role, String column, long principal, ObjectRef object) {
        return Sql.with(em, sql -> sql.update("DELETE FROM role_assignment WHERE role_id = ? AND " + column
                + " = ? AND object_type = ? AND object_id = ?", role, principal, object.type().label(), object.id())) > 0;
    }

    private long principal(String table, String column, String name, String field) {
        return Sql.with(em, sql -> sql.query("SELECT id FROM " + table + " WHERE " + column + " = ?", rs -> rs.getLong(1), name))
                .stream().findFirst().orElseThrow(() -> ApiException.field(field, "'" + name + "' does not exist."));
    }

    private static void requireSomeone(RoleChange change) {
        if (change.users().isEmpty() && change.groups().isEmpty()) {
            throw ApiException.field("non_field_errors", "Either 'users' or 'groups' need to be specified.");
        }
    }

    // ---- shared

    private long roleId(String name, String field) {
        return Sql.with(em, sql -> sql.query("SELECT id FROM sigil_role WHERE name = ?", rs -> rs.getLong(1), name))
                .stream().findFirst().orElseThrow(() -> ApiException.field(field, "Object with name=" + name + " does not exist."));
    }

    /** Pulp refuses an object role whose permissions say nothing about that kind of object. */
    private void requireConcerns(String role, ObjectType type, String field) {
        List<String> permissions = Sql.with(em, sql -> sql.query("SELECT unnest(permissions) FROM sigil_role WHERE name = ?",
                rs -> rs.getString(1), role));
        if (permissions.stream().noneMatch(type::concerns)) {
            throw ApiException.field(field, "The role '" + role + "' does not carry any permission for a "
                    + type.label() + ".");
        }
    }

    private void requireExists(ObjectRef object, String field) {
        long found = Sql.with(em, sql -> sql.query("SELECT count(*) FROM " + object.type().table() + " WHERE pulp_id = ?",
                rs -> rs.getLong(1), UUID.fromString(object.id()))).get(0);
        if (found == 0) {
            throw ApiException.field(field, object.href() + " does not exist.");
        }
    }

    private static ObjectRef parseObject(String field, String href) {
        return ObjectRef.parse(href).orElseThrow(() -> ApiException.field(field,
                "'" + href + "' is not the href of a repository, distribution, remote, namespace or signing service."));
    }

    private static RoleView role(ResultSet rs) throws SQLException {
        return new RoleView(RoleViews.ROLES + rs.getObject(1, UUID.class) + "/", rs.getObject(2, OffsetDateTime.class),
                rs.getString(3), rs.getString(4), strings(rs.getArray(5)), rs.getBoolean(6));
    }

    private static GroupView group(ResultSet rs) throws SQLException {
        UUID id = rs.getObject(1, UUID.class);
        return new GroupView(RoleViews.GROUPS + id + "/", rs.getObject(2, OffsetDateTime.class), rs.getString(3), id.toString());
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : List.of((String[]) array.getArray());
    }

    private static String rsString(ResultSet rs, int column) {
        try {
            return rs.getString(column);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String required(String field, String value) {
        if (value == null || value.isBlank()) {
            throw ApiException.field(field, "This field is required.");
        }
        return value;
    }
}
