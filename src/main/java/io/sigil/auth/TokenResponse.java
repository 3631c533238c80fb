package io.sigil.auth;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Body of {@code GET /token}: both field names Docker clients read, the lifetime in seconds and RFC 3339 issue time. */
record TokenResponse(
        @JsonProperty("token") String token,
        @JsonProperty("access_token") String accessToken,
        @JsonProperty("expires_in") long expiresIn,
        @JsonProperty("issued_at") String issuedAt) {

    static TokenResponse of(RegistryToken token) {
        long lifetime = token.expiresAt().getEpochSecond() - token.issuedAt().getEpochSecond();
        return new TokenResponse(token.encoded(), token.encoded(), lifetime, token.issuedAt().toString());
    }
}
