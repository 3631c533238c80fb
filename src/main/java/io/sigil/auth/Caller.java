package io.sigil.auth;

/** Who is calling: a user (with their admin flag at authentication time) or nobody. */
public record Caller(String username, boolean admin) {

    public static final Caller ANONYMOUS = new Caller(null, false);

    public boolean anonymous() {
        return username == null;
    }
}
