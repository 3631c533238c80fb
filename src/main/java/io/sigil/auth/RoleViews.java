package io.sigil.auth;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.OffsetDateTime;
import java.util.List;

/** The JSON shapes of roles, groups and role assignments, as Pulp's serializers write them. */
public final class RoleViews {

    public static final String ROLES = "/pulp/api/v3/roles/";
    public static final String GROUPS = "/pulp/api/v3/groups/";

    private RoleViews() {
    }

    public record RoleView(@JsonProperty("pulp_href") String pulpHref,
                           @JsonProperty("pulp_created") OffsetDateTime pulpCreated,
                           String name, String description, List<String> permissions, boolean locked) {
    }

    /** Body of role create/update; absent fields are null. */
    public record RoleRequest(String name, String description, List<String> permissions) {
    }

    public record GroupView(@JsonProperty("pulp_href") String pulpHref,
                            @JsonProperty("pulp_created") OffsetDateTime pulpCreated, String name, String id) {
    }

    public record GroupRequest(String name) {
    }

    public record GroupUserView(String username, @JsonProperty("pulp_href") String pulpHref) {
    }

    public record GroupUserRequest(String username) {
    }

    /** A role held by a user or group, globally ({@code content_object} null) or on one object. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record AssignmentView(@JsonProperty("pulp_href") String pulpHref,
                                 @JsonProperty("pulp_created") OffsetDateTime pulpCreated, String role,
                                 @JsonProperty("content_object") String contentObject, String description,
                                 List<String> permissions, String domain) {
    }

    /** Body of an assignment: {@code content_object} is required, null meaning global. */
    public record AssignmentRequest(String role, @JsonProperty("content_object") String contentObject, String domain) {
    }

    /** {@code add_role}/{@code remove_role} body, echoed back. */
    public record RoleChange(String role, List<String> users, List<String> groups) {
        public RoleChange {
            users = users == null ? List.of() : users;
            groups = groups == null ? List.of() : groups;
        }
    }

    public record ObjectRole(String role, List<String> users, List<String> groups) {
    }

    public record ObjectRoles(List<ObjectRole> roles) {
    }

    public record MyPermissions(List<String> permissions) {
    }

    public record Page<T>(long count, List<T> results) {
    }
}
