package io.sigil.auth;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.OffsetDateTime;

/** A user as the API shows it; the password hash is never part of it. */
public record UserView(
        @JsonProperty("pulp_href") String pulpHref,
        @JsonProperty("pulp_created") OffsetDateTime pulpCreated,
        @JsonProperty("username") String username,
        @JsonProperty("is_admin") boolean isAdmin) {

    static final String BASE = "/pulp/api/v3/users/";

    static UserView of(SigilUser user) {
        return new UserView(BASE + user.pulpId + "/", user.pulpCreated, user.username, user.admin);
    }
}
