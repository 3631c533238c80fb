package io.sigil.registry;

import io.sigil.auth.InvalidTokenException;
import io.sigil.auth.Permissions;
import io.sigil.auth.RegistryAccessPolicy;
import io.sigil.auth.RegistryScope;
import io.sigil.auth.RegistryToken;
import io.sigil.auth.RegistryTokens;
import io.sigil.common.ContentOrigin;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The registry's one authorization seam: every /v2 and /extensions/v2 request asks here before touching content.
 * It follows the Docker token flow: a 401 names the token endpoint ({@code WWW-Authenticate: Bearer realm=...}),
 * and requests carry the bearer token it issued, which lists what the caller may do on which repository.
 * Anyone may pull from a public distribution, with or without a token; private pulls need a user's token with pull
 * on that repository, pushes and deletes one with push, and the user must still hold what the token says (checked
 * again at every use, so deleting a user or taking a role away ends their tokens' use).
 */
@ApplicationScoped
public class RegistryAccess {

    @Inject
    DistributionService distributions;
    @Inject
    RegistryTokens tokens;
    @Inject
    ContentOrigin origin;
    @Inject
    RegistryAccessPolicy policy;
    @Inject
    Permissions permissions;

    /** Who is asking: a verified token, or nobody. */
    public record Caller(RegistryToken token) {
        static final Caller ANONYMOUS = new Caller(null);

        public boolean anonymous() {
            return token == null || token.subject().isEmpty();
        }

        /** Only users' tokens count: anonymous tokens open public distributions, which need none. */
        boolean claims(String name, String action) {
            return !anonymous() && token.allows(RegistryScope.REPOSITORY, name, action);
        }
    }

    /**
     * Whether the token grants {@code action} on {@code name} and its user still holds it: a token outlives neither
     * its user nor a role taken away since it was issued.
     */
    boolean may(Caller caller, String name, String action) {
        if (!caller.claims(name, action)) {
            return false;
        }
        return permissions.current(caller.token().subject())
                .map(user -> policy.grantedActions(user, RegistryScope.repository(name, action)).contains(action))
                .orElse(false);
    }

    /** The user behind the caller's token as they are now; anonymous when there is none. */
    public io.sigil.auth.Caller user(Caller caller) {
        return caller.anonymous() ? io.sigil.auth.Caller.ANONYMOUS
                : permissions.current(caller.token().subject()).orElse(io.sigil.auth.Caller.ANONYMOUS);
    }

    /** The caller of a request; 401 when a token was sent but is not valid. */
    public Caller caller(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            return Caller.ANONYMOUS;
        }
        String[] parts = authorization.trim().split("\\s+", 2);
        if (parts.length == 2 && parts[0].equalsIgnoreCase("Bearer")) {
            try {
                return new Caller(tokens.verify(parts[1].trim(), RegistryTokens.service(base())));
            } catch (InvalidTokenException e) {
                throw unauthorized(null, List.of(), e.getMessage());
            }
        }
        if (parts.length == 2 && parts[0].equalsIgnoreCase("Basic") && parts[1].trim().equals("Og==")) {
            return Caller.ANONYMOUS; // containers/image sends empty Basic credentials when it has none
        }
        throw unauthorized(null, List.of(), "the registry takes bearer tokens from its token endpoint");
    }

    /** The repository served at {@code name}, if the caller may pull from it. */
    public ServedRepository requirePull(String name, String authorization) {
        Caller caller = caller(authorization);
        requireValidName(name);
        Optional<ServedRepository> served = distributions.resolve(name);
        if (served.isPresent() && served.get().isPrivate() && !may(caller, name, RegistryScope.PULL)) {
            throw refused(caller, name, RegistryScope.PULL);
        }
        if (served.isEmpty() && caller.anonymous()) {
            throw refused(caller, name, RegistryScope.PULL); // the same answer as for a private one: nothing leaks
        }
        if (served.isEmpty() || !served.get().servesContent()) {
            throw unknownName(name);
        }
        return served.get();
    }

    /** The repository a manifest push to {@code name} goes to, created with its distribution (owned by the pusher) if needed. */
    public ServedRepository requirePush(String name, String authorization) {
        Caller caller = requirePushRight(name, authorization);
        return requireAcceptsPushes(distributions.forPush(name, user(caller)));
    }

    /** Whether the caller may pull {@code served}: for mounts and the catalog, which must not fail on it. */
    public boolean mayPull(ServedRepository served, Caller caller) {
        return served.servesContent() && (!served.isPrivate() || may(caller, served.basePath(), RegistryScope.PULL));
    }

    /**
     * Where a blob upload (or blob delete) at {@code name} goes. Creates nothing: before the first manifest push there
     * is no repository and no distribution, only the base path (see {@link PushTarget}).
     */
    public PushTarget requireUpload(String name, String authorization) {
        requirePushRight(name, authorization);
        return distributions.resolve(name).map(RegistryAccess::requireAcceptsPushes).map(ServedRepository::pushTarget)
                .orElseGet(() -> PushTarget.unpublished(name));
    }

    /** The existing repository a manifest delete at {@code name} changes. */
    public ServedRepository requireExistingPush(String name, String authorization) {
        requirePushRight(name, authorization);
        return requireAcceptsPushes(distributions.resolve(name).orElseThrow(() -> unknownName(name)));
    }

    /**
     * A base path no distribution serves yet, seen by a caller who may pull it: the blobs pushed there before the first
     * manifest are readable to it (clients check a blob right after uploading it). Empty in every other case.
     */
    public Optional<PushTarget> unpublished(String name, String authorization) {
        Caller caller = caller(authorization);
        if (!DistributionService.isValidBasePath(name) || !may(caller, name, RegistryScope.PULL)
                || distributions.resolve(name).isPresent()) {
            return Optional.empty();
        }
        return Optional.of(PushTarget.unpublished(name));
    }

    private Caller requirePushRight(String name, String authorization) {
        Caller caller = caller(authorization);
        requireValidName(name);
        if (!may(caller, name, RegistryScope.PUSH)) {
            throw refused(caller, name, RegistryScope.PUSH);
        }
        return caller;
    }

    private static ServedRepository requireAcceptsPushes(ServedRepository served) {
        if (!served.acceptsPushes()) {
            throw RegistryError.DENIED.with("distribution " + served.basePath()
                    + " serves a fixed repository version (or no repository) and takes no pushes");
        }
        return served;
    }

    private static RegistryException unknownName(String name) {
        return RegistryError.NAME_UNKNOWN.with("repository " + name + " is not known to the registry", Map.of("name", name));
    }

    /** A 401 for the version check: clients learn the token endpoint from it. */
    public RegistryException challenge() {
        return unauthorized(null, List.of(), "authentication required");
    }

    /** Anonymous callers are told how to authenticate (401); users without the right are refused (403). */
    private RegistryException refused(Caller caller, String name, String action) {
        if (caller.anonymous()) {
            List<RegistryScope> scope = List.of(RegistryScope.PUSH.equals(action)
                    ? RegistryScope.repository(name, RegistryScope.PULL, RegistryScope.PUSH)
                    : RegistryScope.repository(name, RegistryScope.PULL));
            return unauthorized(name, scope, "authentication required to " + action + " " + name);
        }
        return RegistryError.DENIED.with("the token does not allow " + action + " on " + name + ": " + action
                + " needs a role on the distribution or its namespace", Map.of("name", name));
    }

    private RegistryException unauthorized(String name, List<RegistryScope> scopes, String message) {
        return RegistryError.UNAUTHORIZED.with(message, name == null ? null : Map.of("name", name))
                .header("WWW-Authenticate", RegistryTokens.challenge(base(), scopes));
    }

    /** host[:port] of {@code sigil.content-origin}, as image references name this registry (never the request's Host). */
    public String host() {
        return origin.host();
    }

    /** {@code sigil.content-origin}: the token service and realm are named after it, whatever Host a request sends. */
    private URI base() {
        return origin.uri();
    }

    private static void requireValidName(String name) {
        if (!DistributionService.isValidBasePath(name)) {
            throw RegistryError.NAME_INVALID.with("invalid repository name '" + name + "'", Map.of("name", name));
        }
    }
}
