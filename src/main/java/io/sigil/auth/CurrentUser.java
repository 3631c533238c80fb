package io.sigil.auth;

import jakarta.enterprise.context.RequestScoped;

/**
 * The caller of the current HTTP request, set by the authorization filter before the resource runs. Anonymous until
 * then, and for requests the filter does not cover. Request-scoped: a task should record {@link #username()} when
 * dispatched rather than inject this.
 */
@RequestScoped
public class CurrentUser {

    private Caller caller = Caller.ANONYMOUS;

    public Caller caller() {
        return caller;
    }

    /** The username, or null when anonymous. */
    public String username() {
        return caller.username();
    }

    public boolean isAdmin() {
        return caller.admin();
    }

    public boolean isAnonymous() {
        return caller.anonymous();
    }

    void set(Caller caller) {
        this.caller = caller;
    }
}
