package io.sigil.registry;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The registry's one authorization seam: every /v2 and /extensions/v2 request asks here before touching content.
 * Anyone may pull from a public distribution; private pulls, pushes and deletes need credentials with those rights.
 * Until the auth package's users and tokens are wired in, the credentials are the configured admin's (Basic).
 */
@ApplicationScoped
public class RegistryAccess {

    @Inject
    DistributionService distributions;

    @ConfigProperty(name = "sigil.admin.username")
    String adminUser;
    @ConfigProperty(name = "sigil.admin.password")
    String adminPassword;

    /** Who is asking, from the Authorization header. */
    public record Caller(String username, boolean mayPush) {
        static final Caller ANONYMOUS = new Caller(null, false);

        public boolean anonymous() {
            return username == null;
        }
    }

    /** The caller of a request; 401 when credentials were sent but are not valid. */
    public Caller caller(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            return Caller.ANONYMOUS;
        }
        String[] pair = basic(authorization);
        if (pair != null && pair[0].isEmpty() && pair[1].isEmpty()) {
            return Caller.ANONYMOUS; // containers/image sends empty Basic credentials when it has none
        }
        if (pair != null && equal(pair[0], adminUser) && equal(pair[1], adminPassword)) {
            return new Caller(pair[0], true);
        }
        throw unauthorized(null, "invalid credentials");
    }

    /** The repository served at {@code name}, if the caller may pull from it. */
    public ServedRepository requirePull(String name, String authorization) {
        Caller caller = caller(authorization);
        requireValidName(name);
        Optional<ServedRepository> served = distributions.resolve(name);
        if (served.isPresent() && served.get().isPrivate() && caller.anonymous()) {
            throw unauthorized(name, "authentication required to pull from " + name);
        }
        if (served.isEmpty() || !served.get().servesContent()) {
            throw RegistryError.NAME_UNKNOWN.with("repository " + name + " is not known to the registry",
                    java.util.Map.of("name", name));
        }
        return served.get();
    }

    /** Whether the caller may pull {@code name}: for mounts and the catalog, which must not fail on it. */
    public boolean mayPull(ServedRepository served, Caller caller) {
        return served.servesContent() && (!served.isPrivate() || !caller.anonymous());
    }

    /** The repository a push to {@code name} goes to, created with its distribution if needed. */
    public ServedRepository requirePush(String name, String authorization) {
        Caller caller = caller(authorization);
        requireValidName(name);
        if (caller.anonymous()) {
            throw unauthorized(name, "authentication required to push to " + name);
        }
        if (!caller.mayPush()) {
            throw RegistryError.DENIED.with("user " + caller.username() + " may not push to " + name);
        }
        ServedRepository served = distributions.forPush(name);
        if (!served.acceptsPushes()) {
            throw RegistryError.DENIED.with("distribution " + name + " serves a fixed repository version and takes no pushes");
        }
        return served;
    }

    /** The challenge sent with a 401 for the ping and for any request that needs credentials. */
    public String challenge() {
        return "Basic realm=\"Sigil\"";
    }

    public RegistryException unauthorized(String name, String message) {
        return RegistryError.UNAUTHORIZED.with(message, name == null ? null : java.util.Map.of("name", name))
                .header("WWW-Authenticate", challenge());
    }

    private static void requireValidName(String name) {
        if (!DistributionService.isValidBasePath(name)) {
            throw RegistryError.NAME_INVALID.with("invalid repository name '" + name + "'", java.util.Map.of("name", name));
        }
    }

    private static String[] basic(String authorization) {
        String[] parts = authorization.trim().split("\\s+", 2);
        if (parts.length != 2 || !parts[0].equalsIgnoreCase("Basic")) {
            return null;
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(parts[1].trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? null : new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static boolean equal(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
