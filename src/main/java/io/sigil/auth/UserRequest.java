package io.sigil.auth;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Body of create and update; absent fields are null. {@code password} is write-only. */
public record UserRequest(
        @JsonProperty("username") String username,
        @JsonProperty("password") String password,
        @JsonProperty("is_admin") Boolean isAdmin) {
}
