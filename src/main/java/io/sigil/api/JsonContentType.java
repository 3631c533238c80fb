package io.sigil.api;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Pulp answers JSON as exactly {@code application/json}, and pulp-glue compares the Content-Type with the document's
 * media types character for character; the REST layer appends {@code ;charset=UTF-8} (JSON is UTF-8 by definition,
 * RFC 8259), so the suffix is dropped as the headers of {@code /pulp/} answers go out.
 */
@ApplicationScoped
public class JsonContentType {

    void onRouter(@Observes Router router) {
        router.route("/pulp/*").order(Integer.MIN_VALUE).handler(context -> {
            context.addHeadersEndHandler(ignored -> {
                String type = context.response().headers().get(HttpHeaders.CONTENT_TYPE);
                if (type != null && type.startsWith("application/json;")) {
                    context.response().headers().set(HttpHeaders.CONTENT_TYPE, "application/json");
                }
            });
            context.next();
        });
    }
}
