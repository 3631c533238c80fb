package io.sigil.auth;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import jakarta.inject.Inject;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Enforces {@link Authorized} on every matched resource of {@code /pulp/api/v3} and on annotated resources elsewhere.
 * A JAX-RS filter rather than a CDI interceptor because it must also guard resources that carry no annotation
 * (secure by default) and it sees the HTTP method. It runs after matching, on the endpoint's thread (a worker thread
 * for the blocking Pulp API), so it may query the database.
 */
public class AuthorizationFilter {

    static final String CHALLENGE = "Basic realm=\"Sigil\"";
    private static final String PULP_API = "/pulp/api/v3/";
    /** Open without an annotation: StatusResource belongs to another package. */
    private static final Set<String> PUBLIC_PATHS = Set.of("/pulp/api/v3/status/");
    private static final Set<String> SAFE_METHODS = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

    enum Verdict { ALLOW, UNAUTHENTICATED, FORBIDDEN }

    @Inject
    BasicAuthenticator authenticator;

    @Inject
    CurrentUser currentUser;

    @Inject
    Permissions permissions;

    @ConfigProperty(name = "sigil.auth.anonymous-read", defaultValue = "false")
    boolean anonymousRead;

    @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
    public Response authorize(ContainerRequestContext request, ResourceInfo resource, HttpServerRequest http) {
        Optional<AccessLevel> level = requiredLevel(request, resource);
        if (level.isEmpty()) {
            return null; // not ours to guard (the /v2/ registry does its own token checks)
        }
        Optional<Caller> caller;
        try {
            caller = authenticator.authenticate(request.getHeaderString(HttpHeaders.AUTHORIZATION), clientAddress(http));
        } catch (BasicAuthenticator.ThrottledException e) {
            return json(Response.status(429).header(HttpHeaders.RETRY_AFTER, e.retryAfterSeconds),
                    "Too many failed logins for this user or from this address; try again in " + e.retryAfterSeconds
                            + " seconds.");
        }
        if (caller.isEmpty()) {
            return unauthorized("Invalid username/password.");
        }
        currentUser.set(caller.get());
        return switch (verdict(level.get(), caller.get(), anonymousRead)) {
            case ALLOW -> permissionMissing(resource, caller.get());
            case UNAUTHENTICATED -> unauthorized("Authentication credentials were not provided.");
            case FORBIDDEN -> json(Response.status(Response.Status.FORBIDDEN),
                    "You do not have permission to perform this action.");
        };
    }

    /** The client's address (the forwarded one when quarkus.http.proxy.proxy-address-forwarding trusts a proxy). */
    private static String clientAddress(HttpServerRequest http) {
        SocketAddress remote = http == null ? null : http.remoteAddress();
        return remote == null ? "unknown" : remote.hostAddress();
    }

    /** A 403 naming the global permission the endpoint declares and the caller lacks; null when nothing is missing. */
    private Response permissionMissing(ResourceInfo resource, Caller caller) {
        Authorized declared = declared(resource);
        if (declared == null || declared.permission().isEmpty() || permissions.has(caller, declared.permission(), null)) {
            return null;
        }
        return json(Response.status(Response.Status.FORBIDDEN), "You do not have permission to perform this action: it needs "
                + declared.permission() + " (the role " + LockedRoles.TRUST_ADMIN + " holds it for trust, or an admin).");
    }

    private static Optional<AccessLevel> requiredLevel(ContainerRequestContext request, ResourceInfo resource) {
        String path = request.getUriInfo().getPath();
        path = path.endsWith("/") ? path : path + "/";
        AccessLevel declared = declaredLevel(resource);
        if (declared == null && PUBLIC_PATHS.contains(path)) {
            declared = AccessLevel.PUBLIC;
        }
        if (declared == null && !path.startsWith(PULP_API)) {
            return Optional.empty();
        }
        return Optional.of(effectiveLevel(declared, request.getMethod()));
    }

    private static AccessLevel declaredLevel(ResourceInfo resource) {
        Authorized found = declared(resource);
        return found == null ? null : found.value();
    }

    private static Authorized declared(ResourceInfo resource) {
        Method method = resource.getResourceMethod();
        Class<?> type = resource.getResourceClass();
        Authorized found = method == null ? null : method.getAnnotation(Authorized.class);
        if (found == null && type != null) {
            found = type.getAnnotation(Authorized.class);
        }
        return found;
    }

    /** The declared level, or READ/WRITE by HTTP method when none; a write never needs less than WRITE. */
    static AccessLevel effectiveLevel(AccessLevel declared, String httpMethod) {
        boolean write = !SAFE_METHODS.contains(httpMethod);
        AccessLevel level = declared != null ? declared : write ? AccessLevel.WRITE : AccessLevel.READ;
        return write && level.compareTo(AccessLevel.WRITE) < 0 ? AccessLevel.WRITE : level;
    }

    /** Anonymous callers that fall short must authenticate (401); known users that fall short are refused (403). */
    static Verdict verdict(AccessLevel level, Caller caller, boolean anonymousRead) {
        boolean allowed = switch (level) {
            case PUBLIC -> true;
            case READ -> anonymousRead || !caller.anonymous();
            case WRITE -> !caller.anonymous();
            case ADMIN -> caller.admin();
        };
        if (allowed) {
            return Verdict.ALLOW;
        }
        return caller.anonymous() ? Verdict.UNAUTHENTICATED : Verdict.FORBIDDEN;
    }

    private static Response unauthorized(String detail) {
        return json(Response.status(Response.Status.UNAUTHORIZED).header(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE),
                detail);
    }

    private static Response json(Response.ResponseBuilder builder, String detail) {
        return builder.type(MediaType.APPLICATION_JSON_TYPE).entity(Map.of("detail", detail)).build();
    }
}
