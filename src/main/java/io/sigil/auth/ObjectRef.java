package io.sigil.auth;

import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One object roles can be held on: its type and its pulp_id, as text so auth needs none of the owners' classes. */
public record ObjectRef(ObjectType type, String id) {

    private static final Pattern UUID_TAIL = Pattern.compile("([0-9a-fA-F-]{36})/");

    public static ObjectRef of(ObjectType type, UUID id) {
        return new ObjectRef(type, id.toString());
    }

    public static ObjectRef repository(UUID id) {
        return of(ObjectType.REPOSITORY, id);
    }

    public static ObjectRef distribution(UUID id) {
        return of(ObjectType.DISTRIBUTION, id);
    }

    public static ObjectRef remote(UUID id) {
        return of(ObjectType.REMOTE, id);
    }

    public static ObjectRef namespace(UUID id) {
        return of(ObjectType.NAMESPACE, id);
    }

    public static ObjectRef signingService(UUID id) {
        return of(ObjectType.SIGNING_SERVICE, id);
    }

    public String href() {
        return type.collection() + id + "/";
    }

    /** The object an href names, if it names one of the known types. */
    public static Optional<ObjectRef> parse(String href) {
        if (href == null) {
            return Optional.empty();
        }
        for (ObjectType type : ObjectType.values()) {
            if (href.startsWith(type.collection())) {
                Matcher m = UUID_TAIL.matcher(href.substring(type.collection().length()));
                if (m.matches()) {
                    try {
                        return Optional.of(of(type, UUID.fromString(m.group(1))));
                    } catch (IllegalArgumentException e) {
                        return Optional.empty();
                    }
                }
            }
        }
        return Optional.empty();
    }

    String key() {
        return type.label() + ":" + id;
    }
}
