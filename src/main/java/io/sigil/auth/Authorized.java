package io.sigil.auth;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares the access level of a REST resource class or method; a method's annotation wins over its class's.
 * Enforced by one request filter, so resources hold no auth code. Without it, a {@code /pulp/api/v3} endpoint needs
 * {@link AccessLevel#READ} for GET/HEAD/OPTIONS and {@link AccessLevel#WRITE} otherwise, and a write never needs
 * less than WRITE whatever is declared.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface Authorized {
    AccessLevel value();

    /**
     * A permission the caller must also hold globally (from a role assigned with {@code content_object: null}), e.g.
     * {@link Perm#MANAGE_TRUST}; admins hold every one. Empty for none.
     */
    String permission() default "";
}
