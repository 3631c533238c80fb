package io.sigil.registry;

import io.quarkus.vertx.http.runtime.filters.Filters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Puts the registry headers on every {@code /v2} and {@code /extensions/v2} response, errors and 401s included:
 * clients read {@code X-Registry-Supports-Signatures} from the 401 of their first ping. A Vert.x filter runs before
 * routing, so it also covers responses no resource method produced.
 */
@ApplicationScoped
public class RegistryHeaders {

    public static final String API_VERSION = "Docker-Distribution-API-Version";
    public static final String SUPPORTS_SIGNATURES = "X-Registry-Supports-Signatures";

    void register(@Observes Filters filters) {
        filters.register(rc -> {
            String path = rc.normalizedPath();
            if (path.startsWith("/v2") || path.startsWith("/extensions/v2")) {
                rc.response().headers().set(API_VERSION, "registry/2.0").set(SUPPORTS_SIGNATURES, "1");
            }
            rc.next();
        }, 100);
    }
}
