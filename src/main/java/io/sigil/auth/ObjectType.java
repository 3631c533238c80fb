package io.sigil.auth;

import java.util.Locale;
import java.util.Optional;

/**
 * The kinds of object a role can be assigned on, named as Pulp names them ({@code app_label.model}), with the API
 * collection their hrefs live under. Kept as strings here: auth sits below the packages that own these objects.
 */
public enum ObjectType {
    REPOSITORY("container.containerrepository", "/pulp/api/v3/repositories/container/container/", "repository"),
    DISTRIBUTION("container.containerdistribution", "/pulp/api/v3/distributions/container/container/", "distribution"),
    REMOTE("container.containerremote", "/pulp/api/v3/remotes/container/container/", "container_remote"),
    NAMESPACE("container.containernamespace", "/pulp/api/v3/pulp_container/namespaces/", "container_namespace"),
    SIGNING_SERVICE("sigil.signingservice", "/pulp/api/v3/signing-services/", "signing_service");

    private final String label;
    private final String collection;
    private final String table;

    ObjectType(String label, String collection, String table) {
        this.label = label;
        this.collection = collection;
        this.table = table;
    }

    /** The table whose pulp_id identifies these objects. */
    String table() {
        return table;
    }

    /** {@code app_label.model}, e.g. {@code container.containerrepository}. */
    public String label() {
        return label;
    }

    public String collection() {
        return collection;
    }

    /** The model name permissions on this type end with, e.g. {@code containerrepository}. */
    String model() {
        return label.substring(label.indexOf('.') + 1);
    }

    /** Whether {@code permission} ({@code app.codename}) is about objects of this type. */
    boolean concerns(String permission) {
        return permission.toLowerCase(Locale.ROOT).endsWith("_" + model());
    }

    static Optional<ObjectType> ofLabel(String label) {
        for (ObjectType type : values()) {
            if (type.label.equals(label)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
