package io.sigil.auth;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A Docker token scope, {@code type:name:action[,action...]}, e.g. {@code repository:library/busybox:pull,push}.
 * The name sits between the first and the last colon, so a name holding a registry port still parses.
 */
public record RegistryScope(String type, String name, Set<String> actions) {

    public static final String REPOSITORY = "repository";
    public static final String PULL = "pull";
    public static final String PUSH = "push";

    public RegistryScope {
        if (type == null || type.isEmpty() || name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a scope needs a type and a name");
        }
        actions = Collections.unmodifiableSet(new LinkedHashSet<>(actions));
    }

    public static RegistryScope repository(String name, String... actions) {
        return new RegistryScope(REPOSITORY, name, new LinkedHashSet<>(Arrays.asList(actions)));
    }

    /** Parses one scope; throws {@link IllegalArgumentException} when it is not {@code type:name:actions}. */
    public static RegistryScope parse(String scope) {
        int first = scope.indexOf(':');
        int last = scope.lastIndexOf(':');
        if (first <= 0 || last == first) {
            throw new IllegalArgumentException("invalid scope: " + scope);
        }
        Set<String> actions = new LinkedHashSet<>();
        for (String action : scope.substring(last + 1).split(",")) {
            if (!action.isBlank()) {
                actions.add(action.trim());
            }
        }
        if (actions.isEmpty()) {
            throw new IllegalArgumentException("scope names no action: " + scope);
        }
        return new RegistryScope(scope.substring(0, first), scope.substring(first + 1, last), actions);
    }

    /** The same resource with only those of {@code granted} that were asked for. */
    public RegistryScope narrowedTo(Collection<String> granted) {
        Set<String> kept = new LinkedHashSet<>(actions);
        kept.retainAll(granted);
        return new RegistryScope(type, name, kept);
    }

    @Override
    public String toString() {
        return type + ":" + name + ":" + String.join(",", actions);
    }
}
